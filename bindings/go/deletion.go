package synap

// #include <stdlib.h>
// #include "shim_deletion.h"
import "C"

import (
	"context"
	"encoding/json"
	"runtime/cgo"
	"strconv"
	"unsafe"
)

// DeleteScope is what DeleteData removes.
type DeleteScope string

// The scopes of a data deletion.
const (
	// DeleteUser removes one user: memories, conversations, profile.
	DeleteUser DeleteScope = "user"
	// DeleteConversation removes one conversation: its turns, summaries
	// and buffer; the memories made from it are kept.
	DeleteConversation DeleteScope = "conversation"
	// DeleteCustomer removes one customer and all its users; it needs a
	// management key.
	DeleteCustomer DeleteScope = "customer"
)

// cScope is the SynapDeleteScope of s; ok is false for another value.
func (s DeleteScope) cScope() (scope C.int, ok bool) {
	switch s {
	case DeleteUser:
		return C.SYNAP_DELETE_USER, true
	case DeleteConversation:
		return C.SYNAP_DELETE_CONVERSATION, true
	case DeleteCustomer:
		return C.SYNAP_DELETE_CUSTOMER, true
	}
	return 0, false
}

// DataDeleteRequest is a permanent deletion of one user's, conversation's
// or customer's data. Scope and ID are required, and unless DryRun so is
// Confirm, repeating ID: the service requires this second, deliberate
// naming of what goes.
type DataDeleteRequest struct {
	// Scope is what to delete.
	Scope DeleteScope
	// ID is the scope's own id: the user, conversation or customer id.
	ID string
	// Confirm repeats ID to confirm the deletion; a mismatch is
	// ErrInvalidArgument, naming both. Not needed for a dry run.
	Confirm string
	// CustomerID is the customer the user or conversation belongs to, on a
	// B2B instance; refused for DeleteCustomer.
	CustomerID string
	// UserID is the user a conversation belongs to (DeleteConversation
	// only).
	UserID string
	// DryRun deletes nothing and counts what would go.
	DryRun bool
}

// DeletionState is where a data deletion stands (SynapDeletionState in
// synap.h).
type DeletionState int

// The states of a data deletion; their values are synap.h's.
const (
	// DeletionUnknown is no status, or one this version does not know:
	// read it as not done.
	DeletionUnknown DeletionState = C.SYNAP_DELETION_UNKNOWN
	// DeletionInProgress is still running: WaitDeletion for it.
	DeletionInProgress DeletionState = C.SYNAP_DELETION_IN_PROGRESS
	// DeletionComplete is done; DataDeletion.FullyRemoved says whether the
	// service vouches that no store holds anything of the target.
	DeletionComplete DeletionState = C.SYNAP_DELETION_COMPLETE
	// DeletionPartial is ended, while the stores DataDeletion.StillPresentIn
	// names still hold data of the target.
	DeletionPartial DeletionState = C.SYNAP_DELETION_PARTIAL
	// DeletionDryRun is a dry run: nothing was deleted; the counts say
	// what would be.
	DeletionDryRun DeletionState = C.SYNAP_DELETION_DRY_RUN
)

// String gives the state as the service names it ("in_progress",
// "complete", "partial", "dry_run"), or "unknown".
func (s DeletionState) String() string {
	switch s {
	case DeletionInProgress:
		return "in_progress"
	case DeletionComplete:
		return "complete"
	case DeletionPartial:
		return "partial"
	case DeletionDryRun:
		return "dry_run"
	}
	return "unknown"
}

// DataDeletion is a data deletion's record, copied out of libsynap: a
// plain value, safe to keep and share. Every pointer is nil when the
// service left the value out.
type DataDeletion struct {
	// DeletionID is the deletion's id, for DeletionStatus and
	// WaitDeletion; nil on a dry run.
	DeletionID *string
	// State is where it stands.
	State DeletionState
	// Status is the status as the service sent it.
	Status *string
	// Scope is "user", "conversation" or "customer".
	Scope *string
	// DryRun is whether this was a dry run.
	DryRun bool
	// Found is whether the target existed.
	Found bool
	// FullyRemoved is true only when the service says nothing of the
	// target is left in any store.
	FullyRemoved bool
	// MemoriesKept is whether the memories made from a deleted
	// conversation were kept.
	MemoriesKept bool
	// Counts is what was removed per store ("memories", "conversations",
	// ...); on a dry run, what would be. Never nil.
	Counts map[string]int64
	// StillPresentIn names the stores that still hold data of the target;
	// never nil.
	StillPresentIn []string
	// Kept names the kinds of data the deletion keeps on purpose; never
	// nil.
	Kept []string
	// Stores is the per-store detail, a JSON object.
	Stores json.RawMessage
	// Note is a note from the service.
	Note *string
	// Audit is the audit record's reference.
	Audit *string
	// RawJSON is the whole record as the service sent it.
	RawJSON json.RawMessage
}

// DeleteData deletes, permanently, everything stored about one user, one
// conversation or one customer. While the service asks for the request
// again, libsynap sends it again at once; the record may still be
// DeletionInProgress, so WaitDeletion for its DeletionID. It is
// idempotent and retried as reads are.
//
// A missing or mismatched confirmation, or a CustomerID on an instance
// Whoami reported as B2C, is ErrInvalidArgument before any request; the
// customer scope without a management key is ErrAuth, an id of another
// customer ErrConflict. If ctx ends first, DeleteData returns its error at
// once, but the deletion may still start.
func (c *Client) DeleteData(ctx context.Context, req DataDeleteRequest) (*DataDeletion, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_delete_request
	scope, ok := req.Scope.cScope()
	if !ok {
		m.refuse("Scope " + strconv.Quote(string(req.Scope)) + " is not one of user, conversation, customer")
	}
	in.scope = scope
	in.id = m.optional("ID", req.ID)
	in.confirm = m.optional("Confirm", req.Confirm)
	in.customer_id = m.optional("CustomerID", req.CustomerID)
	in.user_id = m.optional("UserID", req.UserID)
	in.dry_run = C.bool(req.DryRun)
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*DataDeletion, error) {
		defer m.free()
		return c.deleteData(&in)
	})
}

func (c *Client) deleteData(in *C.synapgo_delete_request) (*DataDeletion, error) {
	return c.readDeletion(func(client *C.SynapClient, out **C.SynapDataDeletion, v *C.synapgo_deletion_view,
		cerr *C.synapgo_error) C.int {
		return C.synapgo_data_delete(client, in, out, v, cerr)
	})
}

// readDeletion runs call, a shim call that lends a deletion record through
// a view, on the open client, and copies the record out.
func (c *Client) readDeletion(call func(client *C.SynapClient, out **C.SynapDataDeletion,
	v *C.synapgo_deletion_view, cerr *C.synapgo_error) C.int) (*DataDeletion, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapDataDeletion
	var v C.synapgo_deletion_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if call(c.handle, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_deletion_release(out, &v)
	return copyDeletion(&v), nil
}

// DeletionStatus reads a data deletion's record by the DeletionID
// DeleteData gave; an unknown one is ErrNotFound. If ctx ends first,
// DeletionStatus returns its error at once, as MemoryStatus does.
func (c *Client) DeletionStatus(ctx context.Context, deletionID string) (*DataDeletion, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	id, refused := cID("deletion id", deletionID)
	if refused != nil {
		return nil, refused
	}
	return inBackground(ctx, func() (*DataDeletion, error) {
		defer C.free(unsafe.Pointer(id))
		return c.deletionStatus(id)
	})
}

func (c *Client) deletionStatus(id *C.char) (*DataDeletion, error) {
	return c.readDeletion(func(client *C.SynapClient, out **C.SynapDataDeletion, v *C.synapgo_deletion_view,
		cerr *C.synapgo_error) C.int {
		return C.synapgo_data_deletion_status(client, id, out, v, cerr)
	})
}

// WithDeletionProgress calls fn after every poll of WaitDeletion, on the
// waiting goroutine, with the record just read; fn returning false stops
// the wait (ErrCancelled). If fn panics, the wait stops and WaitDeletion
// panics with the same value. It is WaitDeletion's option; Wait refuses
// it.
func WithDeletionProgress(fn func(*DataDeletion) bool) WaitOption {
	return func(w *waitConfig) { w.deletionProgress = fn }
}

// deletionProgress is what the C progress callback reaches through a
// cgo.Handle.
type deletionProgress struct {
	callback
	fn func(*DataDeletion) bool
}

//export synapgoDeletionProgress
func synapgoDeletionProgress(v *C.synapgo_deletion_view, handle C.uintptr_t) C.bool {
	p := cgo.Handle(handle).Value().(*deletionProgress)
	return p.call(func() bool { return p.fn(copyDeletion(v)) })
}

// WaitDeletion polls a data deletion's record until it is complete,
// partial or a dry run, and returns that record: a partial deletion is a
// record, not an error, so read its State. It takes WithWaitTimeout,
// WithPollInterval and WithDeletionProgress, and ends early as Wait does:
// ErrTimeout when the timeout or the context's deadline passes,
// ErrCancelled when ctx is cancelled or the progress function returns
// false, or a poll's error after its retries.
func (c *Client) WaitDeletion(ctx context.Context, deletionID string, opts ...WaitOption) (*DataDeletion, error) {
	w, refused := newWaitConfig(opts)
	if refused != nil {
		return nil, refused
	}
	if w.progress != nil {
		return nil, invalid("WithProgress is Wait's option; WaitDeletion reports with WithDeletionProgress")
	}
	var p reporter // nil: no progress function
	if w.deletionProgress != nil {
		p = &deletionProgress{fn: w.deletionProgress}
	}
	var out *C.SynapDataDeletion
	var v C.synapgo_deletion_view
	err := c.runWait(ctx, w, "deletion id", deletionID, p,
		func(client *C.SynapClient, cid *C.char, settings *C.synapgo_wait_settings, cerr *C.synapgo_error) C.int {
			return C.synapgo_data_deletion_wait(client, cid, settings, &out, &v, cerr)
		})
	if err != nil {
		return nil, err
	}
	defer C.synapgo_deletion_release(out, &v)
	return copyDeletion(&v), nil
}

// copyDeletion reads every field of a deletion view; the caller still
// owns the view and the record it lends from.
func copyDeletion(v *C.synapgo_deletion_view) *DataDeletion {
	counts := unsafe.Slice(v.counts, int(v.count_count))
	d := &DataDeletion{
		DeletionID:     optionalString(v.deletion_id),
		State:          DeletionState(v.state),
		Status:         optionalString(v.status),
		Scope:          optionalString(v.scope),
		DryRun:         bool(v.dry_run),
		Found:          bool(v.found),
		FullyRemoved:   bool(v.fully_removed),
		MemoriesKept:   bool(v.memories_kept),
		Counts:         make(map[string]int64, len(counts)),
		StillPresentIn: goStrings(v.still_present_in, v.still_present_count),
		Kept:           goStrings(v.kept, v.kept_count),
		Stores:         rawJSON(v.stores_json),
		Note:           optionalString(v.note),
		Audit:          optionalString(v.audit),
		RawJSON:        rawJSON(v.json),
	}
	for _, n := range counts {
		if n.store != nil && n.has_value {
			d.Counts[C.GoString(n.store)] = int64(n.value)
		}
	}
	return d
}
