package synap

// #include <stdlib.h>
// #include "shim_lifecycle.h"
import "C"

import (
	"context"
	"encoding/json"
	"time"
	"unsafe"
)

// MergeStrategy is how an update's document combines with the memory;
// libsynap refuses any other value before a request is made.
type MergeStrategy string

// The merge strategies.
const (
	// MergeSmart (the default) lets the service decide what to keep.
	MergeSmart   MergeStrategy = "smart-merge"
	MergeReplace MergeStrategy = "replace"
	MergeAppend  MergeStrategy = "append"
)

// UpdateRequest is the new document of one memory. Set exactly one of
// Text and JSON; every other field is optional, its zero value meaning
// the default.
type UpdateRequest struct {
	// Text is the new document as plain text.
	Text string
	// JSON is the new document as a JSON object.
	JSON json.RawMessage
	// MergeStrategy is how it combines with the memory; "" is MergeSmart.
	MergeStrategy MergeStrategy
	// DocumentType is how to read it; "" sends none.
	DocumentType DocumentType
	// Metadata is free-form, a JSON object; nil sends none.
	Metadata json.RawMessage
}

// DeletedMemory is what DeleteMemory deleted. Every value is nil when the
// service left it out.
type DeletedMemory struct {
	// MemoryID is the deleted memory's id, as the service gave it.
	MemoryID *string
	// DeletedAt is when it was deleted, UTC.
	DeletedAt *time.Time
}

// UpdateMemory gives one memory a new document and returns the memory as
// the service now holds it. An id that is not a UUID is refused before
// any request; an unknown or deleted one is ErrNotFound.
//
// It is not idempotent (MergeAppend twice appends twice): libsynap resends
// it only when the failure proves it had no effect. If ctx ends first,
// UpdateMemory returns its error at once, but the update may still happen.
func (c *Client) UpdateMemory(ctx context.Context, memoryID string, req UpdateRequest) (*Memory, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_update_request
	id := m.str("memory id", memoryID)
	if err := m.update(&in, &req); err != nil {
		m.free()
		return nil, err
	}
	return inBackground(ctx, func() (*Memory, error) {
		defer m.free()
		return c.updateMemory(id, &in)
	})
}

func (c *Client) updateMemory(id *C.char, in *C.synapgo_update_request) (*Memory, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapMemory
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_memories_update(c.handle, id, in, &out, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_memory_free(out)
	return copyMemory(out), nil
}

// update fills in with C copies of r's fields, or returns the first one
// the binding refuses; libsynap checks the values when the shim applies
// them.
func (m *cMemory) update(in *C.synapgo_update_request, r *UpdateRequest) *Error {
	in.text, in.json = m.document(r.Text, r.JSON, "an update")
	in.merge_strategy = m.optional("MergeStrategy", string(r.MergeStrategy))
	in.document_type = m.optional("DocumentType", string(r.DocumentType))
	if len(r.Metadata) > 0 {
		in.metadata_json = m.str("Metadata", string(r.Metadata))
	}
	return m.err
}

// DeleteMemory deletes one memory; afterwards Get and context fetches no
// longer return it. An id that is not a UUID is refused before any
// request; an unknown or already deleted one is ErrNotFound. It is
// idempotent and retried as reads are. If ctx ends first, DeleteMemory
// returns its error at once, but the memory may still be deleted.
func (c *Client) DeleteMemory(ctx context.Context, memoryID string) (*DeletedMemory, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	id, refused := cID("memory id", memoryID)
	if refused != nil {
		return nil, refused
	}
	return inBackground(ctx, func() (*DeletedMemory, error) {
		defer C.free(unsafe.Pointer(id))
		return c.deleteMemory(id)
	})
}

func (c *Client) deleteMemory(id *C.char) (*DeletedMemory, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapDeletedMemory
	var v C.synapgo_deleted_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_memories_delete(c.handle, id, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_deleted_memory_free(out)
	return &DeletedMemory{
		MemoryID:  optionalString(v.memory_id),
		DeletedAt: optionalTime(v.has_deleted_at, v.deleted_at_us),
	}, nil
}
