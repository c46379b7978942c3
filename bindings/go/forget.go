package synap

// #include "shim_lifecycle.h"
import "C"

import (
	"context"
	"unsafe"
)

// ForgetMode is whether Forget deletes what matches or only files it for
// approval; libsynap refuses any other value before a request is made.
type ForgetMode string

// The forget modes.
const (
	// ForgetModePreview (the default) files the matches for a person to
	// approve and deletes nothing.
	ForgetModePreview ForgetMode = "preview"
	// ForgetModeDirect deletes the matches at once.
	ForgetModeDirect ForgetMode = "direct"
)

// ForgetRequest is what to forget of one user. Description and UserID are
// required, and CustomerID too on a B2B instance; every other field is
// optional, its zero value meaning the default.
type ForgetRequest struct {
	// Description is what to forget, in words: 3 to 500 characters.
	Description string
	// UserID is the user whose memories are searched.
	UserID string
	// CustomerID is the user's customer (organisation) on a B2B instance.
	// After Whoami has reported a B2C instance it is refused locally.
	CustomerID string
	// ScopePath is the path to a level between customer and user, for
	// accounts that have them.
	ScopePath []ScopeLevel
	// Mode is what to do with the matches; "" is ForgetModePreview.
	Mode ForgetMode
}

// ForgetOutcome is what a forget request came to (SynapForgetOutcome in
// synap.h). Read ForgetUnknown as "not done".
type ForgetOutcome int

// The outcomes of a forget request; their values are synap.h's.
const (
	// ForgetUnknown is a status this version does not know
	// (ForgetResult.Status has it as sent).
	ForgetUnknown ForgetOutcome = C.SYNAP_FORGET_UNKNOWN
	// ForgetNothingMatches is no memory of the user matching; nothing
	// changed.
	ForgetNothingMatches ForgetOutcome = C.SYNAP_FORGET_NOTHING_MATCHES
	// ForgetPreview is the matches filed for approval; nothing was deleted.
	ForgetPreview ForgetOutcome = C.SYNAP_FORGET_PREVIEW
	// ForgetDeleted is every match deleted.
	ForgetDeleted ForgetOutcome = C.SYNAP_FORGET_DELETED
	// ForgetPartial is the matches hidden, while the stores that
	// ForgetResult.StillPresentIn names may still hold their text: not
	// ForgetDeleted.
	ForgetPartial ForgetOutcome = C.SYNAP_FORGET_PARTIAL
)

// String gives the outcome as the service names it ("nothing_matches",
// "preview", "deleted", "partial"), or "unknown".
func (o ForgetOutcome) String() string {
	switch o {
	case ForgetNothingMatches:
		return "nothing_matches"
	case ForgetPreview:
		return "preview"
	case ForgetDeleted:
		return "deleted"
	case ForgetPartial:
		return "partial"
	}
	return "unknown"
}

// ForgetCandidate is one memory a forget request matched. Every value is
// nil when the service left it out.
type ForgetCandidate struct {
	// MemoryID is the memory's id.
	MemoryID *string
	// Content is its text.
	Content *string
	// MemoryType is its type ("fact", "preference", ...).
	MemoryType *string
	// Store is where it lives: "memory", "chunk", "sentence", "entity",
	// "triple", "profile" or "candidate".
	Store *string
}

// ForgetResult is what Forget came to, copied out of libsynap: a plain
// value, safe to keep and share.
type ForgetResult struct {
	// Outcome is what the request came to; ForgetPartial is not
	// ForgetDeleted.
	Outcome ForgetOutcome
	// Status is the outcome as the service sent it; nil when absent.
	Status *string
	// RequestID is the request filed for approval (ForgetPreview); nil
	// when absent.
	RequestID *string
	// Candidates are the memories that matched; never nil.
	Candidates []ForgetCandidate
	// DeletedIDs are the memories deleted; never nil.
	DeletedIDs []string
	// FailedIDs are matched memories that could not be deleted; never nil.
	FailedIDs []string
	// StillPresentIn names the stores that may still hold the text; never
	// nil.
	StillPresentIn []string
	// MayBeIncomplete is the service saying its matcher may have missed
	// some memories.
	MayBeIncomplete bool
}

// Forget finds one user's memories that match a description and, in
// ForgetModeDirect, deletes them; in ForgetModePreview (the default) it
// files them for approval. Read the result's Outcome: ForgetPartial is not
// ForgetDeleted. A missing description or user, or a value libsynap
// refuses, is ErrInvalidArgument before any request; a request the service
// does not scope to one user is ErrInvalidRequest.
//
// It is not idempotent: libsynap resends it only when the failure proves
// it had no effect (HTTP 503 means the matcher was unavailable and nothing
// was deleted). If ctx ends first, Forget returns its error at once, but
// the request may still reach the service.
func (c *Client) Forget(ctx context.Context, req ForgetRequest) (*ForgetResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_forget_request
	in.description = m.optional("Description", req.Description)
	in.user_id = m.optional("UserID", req.UserID)
	in.customer_id = m.optional("CustomerID", req.CustomerID)
	in.mode = m.optional("Mode", string(req.Mode))
	in.scope_path, in.scope_path_count = m.scopePath("ScopePath", req.ScopePath)
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*ForgetResult, error) {
		defer m.free()
		return c.forget(&in)
	})
}

func (c *Client) forget(in *C.synapgo_forget_request) (*ForgetResult, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapForgetResult
	var v C.synapgo_forget_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_memories_forget(c.handle, in, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_forget_release(out, &v)
	candidates := unsafe.Slice(v.candidates, int(v.candidate_count))
	result := &ForgetResult{
		Outcome:         ForgetOutcome(v.outcome),
		Status:          optionalString(v.status),
		RequestID:       optionalString(v.request_id),
		Candidates:      make([]ForgetCandidate, len(candidates)),
		DeletedIDs:      goStrings(v.deleted_ids, v.deleted_count),
		FailedIDs:       goStrings(v.failed_ids, v.failed_count),
		StillPresentIn:  goStrings(v.still_present_in, v.still_present_count),
		MayBeIncomplete: bool(v.may_be_incomplete),
	}
	for i := range candidates {
		result.Candidates[i] = ForgetCandidate{
			MemoryID:   optionalString(candidates[i].memory_id),
			Content:    optionalString(candidates[i].content),
			MemoryType: optionalString(candidates[i].memory_type),
			Store:      optionalString(candidates[i].store),
		}
	}
	return result, nil
}
