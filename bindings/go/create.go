package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// DocumentType tells the service how to read a document; libsynap refuses
// any other value before a request is made.
type DocumentType string

// The document types the service accepts.
const (
	DocumentTypeAIChatConversation DocumentType = "ai-chat-conversation"
	DocumentTypeDocument           DocumentType = "document"
	DocumentTypeEmail              DocumentType = "email"
	DocumentTypePDF                DocumentType = "pdf"
	DocumentTypeImage              DocumentType = "image"
	DocumentTypeAudio              DocumentType = "audio"
	DocumentTypeMeetingTranscript  DocumentType = "meeting-transcript"
)

// Mode trades how thoroughly a document is processed against how soon its
// memories are ready.
type Mode string

// The modes the service accepts.
const (
	ModeLongRange Mode = "long-range"
	ModeFast      Mode = "fast"
)

// ScopeLevel is one level of a scope path, e.g. {"team", "payments"}; a
// slice of them keeps the path's order.
type ScopeLevel struct {
	Level string
	Value string
}

// CreateRequest is one document to ingest and how to file it. Set exactly
// one of Text and JSON; every other field is optional, its zero value
// meaning the service's default.
type CreateRequest struct {
	// Text is the document as plain text: a conversation, an email body.
	Text string
	// JSON is the document as a JSON object, e.g. {"subject":..,"body":..}.
	JSON json.RawMessage
	// DocumentType is how to read it; "" is DocumentTypeAIChatConversation.
	DocumentType DocumentType
	// Mode is how to process it; "" is ModeLongRange.
	Mode Mode
	// DocumentID is your id for the document. The service refuses a second
	// document with the same id (ErrConflict), so a create you are unsure
	// about can be repeated safely.
	DocumentID string
	// DocumentCreatedAt is when the document was written (years 1 to 9999,
	// microsecond precision); zero means the time of ingestion.
	DocumentCreatedAt time.Time
	// UserID is the end user the memories belong to.
	UserID string
	// CustomerID is the customer (organisation) they belong to. After
	// Whoami has reported a B2C instance it is refused locally.
	CustomerID string
	// Scope is the full path to a level, for accounts with levels between
	// customer and user.
	Scope []ScopeLevel
	// Metadata is free-form, a JSON object; nil sends {}.
	Metadata json.RawMessage
}

// Ingestion is a document the service accepted: the job that Wait,
// MemoryStatus and WaitAll follow. A plain value, safe to keep and share.
type Ingestion struct {
	// IngestionID is the job's id, a canonical lowercase UUID.
	IngestionID string
	// DocumentID is your document id, or the one the service assigned.
	DocumentID string
	// State is the job's state when accepted, normally StateQueued.
	State State
	// QueuedAt is when the job was queued (UTC, microsecond precision).
	QueuedAt time.Time
}

// Batch is the answer to BatchCreate.
type Batch struct {
	// BatchID is the batch's id (UUID).
	BatchID string
	// Total, Succeeded and Failed count the documents sent, queued and
	// refused.
	Total, Succeeded, Failed uint64
	// Results has one entry per document sent, in the order sent.
	Results []BatchResult
}

// BatchResult is what became of one document of a batch.
type BatchResult struct {
	// Ingestion is the document's job. The service makes one for a refused
	// document too, already failed, so polling every result works.
	Ingestion *Ingestion
	// Err is why the service refused the document, an *Error with
	// CodeInvalidRequest; nil if it was queued.
	Err error
}

// Create queues one document for ingestion and returns the accepted job;
// Wait for it, then Get its memories.
//
// A create is resent only when the failure proves it had no effect, never
// after a timeout or dropped connection: set DocumentID to make your own
// retry safe (a repeat is ErrConflict). If ctx ends first, Create returns
// its error at once, but the request may still reach the service.
func (c *Client) Create(ctx context.Context, req CreateRequest) (*Ingestion, error) {
	var in C.synapgo_request
	return c.sendDocument(ctx, func(m *cMemory) *Error { return m.request(&in, &req) },
		func(client *C.SynapClient, out **C.SynapIngestion, cerr *C.synapgo_error) C.int {
			return C.synapgo_create(client, &in, out, cerr)
		})
}

// sendDocument runs a call that queues one document and answers with its
// ingestion job: fill copies the caller's request into C memory on the
// calling goroutine, then call sends it on the open client.
func (c *Client) sendDocument(ctx context.Context, fill func(m *cMemory) *Error,
	call func(client *C.SynapClient, out **C.SynapIngestion, cerr *C.synapgo_error) C.int) (*Ingestion, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	if err := fill(m); err != nil {
		m.free()
		return nil, err
	}
	return inBackground(ctx, func() (*Ingestion, error) {
		defer m.free()
		c.mu.RLock()
		defer c.mu.RUnlock()
		if c.handle == nil {
			return nil, ErrClosed
		}
		var out *C.SynapIngestion
		cerr := C.synapgo_error{retry_after_ms: -1}
		if call(c.handle, &out, &cerr) != C.SYNAP_OK {
			return nil, takeError(&cerr)
		}
		defer C.synap_ingestion_free(out)
		return copyIngestion(out), nil
	})
}

// BatchCreate queues many documents in one request. With failFast the
// service refuses the whole batch at the first invalid document
// (ErrInvalidRequest); without it, invalid documents come back as refused
// results and the rest are queued. It is resent only as Create is.
func (c *Client) BatchCreate(ctx context.Context, reqs []CreateRequest, failFast bool) (*Batch, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	in := make([]C.synapgo_request, len(reqs))
	for i := range reqs {
		if err := m.request(&in[i], &reqs[i]); err != nil {
			m.free()
			err.Message = "requests[" + strconv.Itoa(i) + "]: " + err.Message
			return nil, err
		}
	}
	return inBackground(ctx, func() (*Batch, error) {
		defer m.free()
		return c.batchCreate(in, failFast)
	})
}

func (c *Client) batchCreate(in []C.synapgo_request, failFast bool) (*Batch, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var first *C.synapgo_request
	if len(in) > 0 {
		first = &in[0]
	}
	var out *C.SynapBatch
	bad := C.size_t(len(in))
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_batch_create(c.handle, first, C.size_t(len(in)), C.bool(failFast), &out, &bad, &cerr) != C.SYNAP_OK {
		err := takeError(&cerr)
		if int(bad) < len(in) {
			err.Message = "requests[" + strconv.Itoa(int(bad)) + "]: " + err.Message
		}
		return nil, err
	}
	defer C.synap_batch_free(out)
	var total, succeeded, failed C.uint64_t
	C.synap_batch_counts(out, &total, &succeeded, &failed)
	batch := &Batch{
		BatchID:   C.GoString(C.synap_batch_id(out)),
		Total:     uint64(total),
		Succeeded: uint64(succeeded),
		Failed:    uint64(failed),
		Results:   make([]BatchResult, int(C.synap_batch_result_count(out))),
	}
	for i := range batch.Results {
		item := C.synap_batch_result(out, C.size_t(i))
		batch.Results[i].Ingestion = copyIngestion(item)
		message := C.synap_ingestion_error_message(item)
		if message != nil || C.synap_ingestion_state(item) == C.SYNAP_INGEST_FAILED {
			text := "refused by the service"
			if message != nil {
				text = C.GoString(message)
			}
			batch.Results[i].Err = &Error{Code: CodeInvalidRequest, Message: text}
		}
	}
	return batch, nil
}

// request fills in with C copies of r's fields, or returns the first one
// the binding refuses; libsynap checks the values when the shim applies
// them.
func (m *cMemory) request(in *C.synapgo_request, r *CreateRequest) *Error {
	in.text, in.json = m.document(r.Text, r.JSON, "a request")
	in.document_type = m.optional("DocumentType", string(r.DocumentType))
	in.mode = m.optional("Mode", string(r.Mode))
	in.document_id = m.optional("DocumentID", r.DocumentID)
	if t := r.DocumentCreatedAt; !t.IsZero() {
		// Checked here: UnixMicro wraps around for years far outside.
		if t.Year() < 1 || t.Year() > 9999 {
			m.refuse("DocumentCreatedAt must be in the years 1 to 9999, not " + strconv.Itoa(t.Year()))
		}
		in.has_created_at = true
		in.created_at_us = C.int64_t(t.UnixMicro())
	}
	in.user_id = m.optional("UserID", r.UserID)
	in.customer_id = m.optional("CustomerID", r.CustomerID)
	if len(r.Scope) > 0 {
		pairs := make([]string, 0, 2*len(r.Scope))
		for i, s := range r.Scope {
			if strings.IndexByte(s.Level, 0) >= 0 || strings.IndexByte(s.Value, 0) >= 0 {
				m.refuse("Scope[" + strconv.Itoa(i) + "] contains a NUL byte")
			}
			pairs = append(pairs, s.Level, s.Value)
		}
		in.scope = m.strs("Scope", pairs)
		in.scope_count = C.size_t(len(r.Scope))
	}
	if len(r.Metadata) > 0 {
		in.metadata_json = m.str("Metadata", string(r.Metadata))
	}
	return m.err
}

// document is the C copy of a request's one document, Text or JSON, as
// (text, json) with the other nil; both or neither set is refused. sender
// names the call in the refusal, e.g. "an update".
func (m *cMemory) document(text string, doc json.RawMessage, sender string) (cText, cJSON *C.char) {
	switch {
	case text != "" && len(doc) > 0:
		m.refuse("both Text and JSON are set; " + sender + " sends one document")
	case len(doc) > 0:
		cJSON = m.str("JSON", string(doc))
	case text != "":
		cText = m.str("Text", text)
	default:
		m.refuse("no document: set Text or JSON")
	}
	return cText, cJSON
}

// copyIngestion reads every field of a C ingestion; the caller still owns it.
func copyIngestion(p *C.SynapIngestion) *Ingestion {
	return &Ingestion{
		IngestionID: C.GoString(C.synap_ingestion_id(p)),
		DocumentID:  C.GoString(C.synap_ingestion_document_id(p)),
		State:       State(C.GoString(C.synap_ingestion_state_name(p))),
		QueuedAt:    microsUTC(C.synap_ingestion_queued_at_us(p)),
	}
}
