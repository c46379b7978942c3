package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"time"
	"unsafe"
)

// MemoryType is a memory's kind, exactly as the service sent it; it may be
// one this version does not know.
type MemoryType string

// The kinds of memory the service is known to make.
const (
	MemoryFact          MemoryType = "fact"
	MemoryPreference    MemoryType = "preference"
	MemoryEpisode       MemoryType = "episode"
	MemoryEmotion       MemoryType = "emotion"
	MemoryTemporalEvent MemoryType = "temporal_event"
)

// Memory is one thing the service remembered from a document, copied out
// of libsynap: a plain value, safe to keep and share.
type Memory struct {
	// ID is the memory's id, a canonical lowercase UUID.
	ID string
	// Type is its kind.
	Type MemoryType
	// Content is what was remembered, as text.
	Content string
	// Confidence is how sure the service is, usually 0 to 1.
	Confidence float64
	// Category is its category; nil when it has none.
	Category *string
	// Subcategory is its subcategory; nil when it has none.
	Subcategory *string
	// CreatedAt is when it was made (UTC, microsecond precision).
	CreatedAt time.Time
	// UpdatedAt is when it last changed; nil if it never has.
	UpdatedAt *time.Time
	// SourceDocumentID is the document it came from; nil when unknown.
	SourceDocumentID *string
}

// Get reads one memory by id, e.g. one of a finished job's MemoryIDs. An
// id that is not a UUID is refused before any request; an unknown one, or
// one outside the key's scope, is ErrNotFound. If ctx ends first, Get
// returns its error at once, as MemoryStatus does.
func (c *Client) Get(ctx context.Context, memoryID string) (*Memory, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	return inBackground(ctx, func() (*Memory, error) { return c.get(memoryID) })
}

func (c *Client) get(memoryID string) (*Memory, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	cid, err := cID("memory id", memoryID)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cid))
	var out *C.SynapMemory
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_get(c.handle, cid, &out, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_memory_free(out)
	return copyMemory(out), nil
}

// copyMemory reads every field of a C memory; the caller still owns it.
func copyMemory(p *C.SynapMemory) *Memory {
	m := &Memory{
		ID:               C.GoString(C.synap_memory_id(p)),
		Type:             MemoryType(C.GoString(C.synap_memory_type(p))),
		Content:          C.GoString(C.synap_memory_content(p)),
		Confidence:       float64(C.synap_memory_confidence(p)),
		Category:         optionalString(C.synap_memory_category(p)),
		Subcategory:      optionalString(C.synap_memory_subcategory(p)),
		CreatedAt:        microsUTC(C.synap_memory_created_at_us(p)),
		SourceDocumentID: optionalString(C.synap_memory_source_document_id(p)),
	}
	var us C.int64_t
	if C.synap_memory_updated_at_us(p, &us) {
		t := microsUTC(us)
		m.UpdatedAt = &t
	}
	return m
}
