package synap

// #include "shim_lifecycle.h"
import "C"

import (
	"context"
	"encoding/json"
	"strings"
)

// RelationshipType is whether an upload's user stands alone or belongs
// to a customer; libsynap refuses any other value before a request is
// made.
type RelationshipType string

// The relationship types of an upload.
const (
	RelationshipB2C RelationshipType = "b2c"
	RelationshipB2B RelationshipType = "b2b"
)

// UploadRequest is one document to upload for one user: a file, bytes or
// text. UserID and exactly one of File, Bytes and Text are required;
// every other field is optional, its zero value meaning the default.
type UploadRequest struct {
	// File is the path of a file to upload, as the operating system takes
	// it (it need not be UTF-8). The file is opened when the upload is
	// sent and streamed, never read whole into memory; the whole request
	// must fit in the client's request timeout.
	File string
	// Bytes is a buffer to upload as a file, copied before the call; a
	// non-nil empty slice is an empty file.
	Bytes []byte
	// Text is text to upload, sent with no file part.
	Text string
	// Filename is the file name the service is told. "" is the file's own
	// name, or "upload" for Bytes.
	Filename string
	// ContentType is the file's content type. "" guesses it from the file
	// name ("notes.pdf" is application/pdf), else
	// application/octet-stream.
	ContentType string
	// UserID is the user the document belongs to.
	UserID string
	// CustomerID is the user's customer on a B2B instance.
	CustomerID string
	// RelationshipType is RelationshipB2C or RelationshipB2B; "" is
	// RelationshipB2B with a CustomerID, else RelationshipB2C.
	RelationshipType RelationshipType
	// Mode is how to process it; "" is ModeLongRange.
	Mode Mode
	// DocumentType is how to read it; "" sends none.
	DocumentType DocumentType
	// Metadata is free-form, a JSON object; nil sends none.
	Metadata json.RawMessage
	// ScopePath is the path to a level between customer and user, for
	// accounts that have them.
	ScopePath []ScopeLevel
}

// Upload sends a file, bytes or text as one document and returns its
// ingestion job: Wait for it as for a created one. A file goes as
// multipart/form-data, text alone urlencoded.
//
// A file that cannot be opened, is not a regular file, or shrinks, grows
// or fails to read while it is sent is ErrFile, before the body is
// complete, so the service never takes a partial file for a whole one. A
// body too large for the service is ErrInvalidRequest (HTTP 413).
//
// It is not idempotent: libsynap resends it only when the failure proves
// it had no effect, reading a file again from its start. If ctx ends
// first, Upload returns its error at once, but the upload may still reach
// the service.
func (c *Client) Upload(ctx context.Context, req UploadRequest) (*Ingestion, error) {
	var in C.synapgo_upload_request
	return c.sendDocument(ctx, func(m *cMemory) *Error { return m.upload(&in, &req) },
		func(client *C.SynapClient, out **C.SynapIngestion, cerr *C.synapgo_error) C.int {
			return C.synapgo_memories_upload(client, &in, out, cerr)
		})
}

// upload fills in with C copies of r's fields, or returns the first one
// the binding refuses; libsynap checks the values when the shim applies
// them.
func (m *cMemory) upload(in *C.synapgo_upload_request, r *UploadRequest) *Error {
	var sources []string
	if r.File != "" {
		sources = append(sources, "File")
		in.file = m.str("File", r.File)
	}
	if r.Bytes != nil {
		sources = append(sources, "Bytes")
		in.has_bytes = true
		in.bytes = (*C.uint8_t)(m.bytes(r.Bytes))
		in.byte_count = C.size_t(len(r.Bytes))
	}
	if r.Text != "" {
		sources = append(sources, "Text")
		in.text = m.str("Text", r.Text)
	}
	switch {
	case len(sources) == 0:
		m.refuse("no source: set File, Bytes or Text")
	case len(sources) > 1:
		m.refuse(strings.Join(sources, " and ") + " are set; an upload sends one source")
	}
	in.filename = m.optional("Filename", r.Filename)
	in.content_type = m.optional("ContentType", r.ContentType)
	in.user_id = m.optional("UserID", r.UserID)
	in.customer_id = m.optional("CustomerID", r.CustomerID)
	in.relationship_type = m.optional("RelationshipType", string(r.RelationshipType))
	in.mode = m.optional("Mode", string(r.Mode))
	in.document_type = m.optional("DocumentType", string(r.DocumentType))
	if len(r.Metadata) > 0 {
		in.metadata_json = m.str("Metadata", string(r.Metadata))
	}
	in.scope_path, in.scope_path_count = m.scopePath("ScopePath", r.ScopePath)
	return m.err
}
