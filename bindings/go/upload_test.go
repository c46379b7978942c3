package synap_test

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	synap "github.com/synap/libsynap/bindings/go"
)

const uploadPath = "/api/v1/memories/upload"

// uploadsReceived is what the emulator received by upload, oldest first
// (GET /_emulator/uploads).
func uploadsReceived(t *testing.T) []map[string]interface{} {
	t.Helper()
	resp, err := control.Get(emulatorURL + "/_emulator/uploads")
	if err != nil {
		t.Fatalf("control uploads: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		Uploads []map[string]interface{} `json:"uploads"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("control uploads (%d): %v", resp.StatusCode, err)
	}
	return out.Uploads
}

// lastUpload uploads req and returns its ingestion and what the emulator
// received of it.
func lastUpload(t *testing.T, client *synap.Client, req synap.UploadRequest) (*synap.Ingestion, map[string]interface{}) {
	t.Helper()
	before := len(uploadsReceived(t))
	ingestion, err := client.Upload(context.Background(), req)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	received := uploadsReceived(t)
	if len(received) != before+1 {
		t.Fatalf("%d uploads received, want %d", len(received), before+1)
	}
	return ingestion, received[before]
}

// assertIntact checks that the emulator received data whole.
func assertIntact(t *testing.T, record map[string]interface{}, data []byte) {
	t.Helper()
	h := fnv.New64a()
	h.Write(data)
	if record["bytes"] != float64(len(data)) || record["fnv1a64"] != fmt.Sprintf("%016x", h.Sum64()) {
		t.Fatalf("received %v, sent %d bytes", record, len(data))
	}
}

func TestUploadTextBecomesAMemory(t *testing.T) {
	fastCreates(t)
	client := newClient(t)
	user := docID("go-upload-text")
	text := "I prefer oolong tea over coffee & juice at breakfast."
	ingestion, record := lastUpload(t, client, synap.UploadRequest{Text: text, UserID: user, CustomerID: lifecycleCustomer})
	if ingestion.State != synap.StateQueued || ingestion.IngestionID == "" {
		t.Fatalf("%+v", ingestion)
	}
	requests := sent(t, uploadPath)
	if headers := requests[len(requests)-1]["headers"].(map[string]interface{}); headers["content-type"] !=
		"application/x-www-form-urlencoded" {
		t.Fatalf("%v", headers)
	}
	fields := jsonOf(t, record["fields"])
	want := `{"customer_id":"` + lifecycleCustomer + `","mode":"long-range","relationship_type":"b2b","user_id":"` +
		user + `"}`
	if record["encoding"] != "urlencoded" || fields != want || record["filename"] != nil {
		t.Fatalf("%v", record)
	}
	assertIntact(t, record, []byte(text))

	ids := completedMemories(t, client, ingestion.IngestionID)
	memory, err := client.Get(context.Background(), ids[0])
	if err != nil || !strings.Contains(memory.Content, "oolong tea") || str(memory.SourceDocumentID) != ingestion.DocumentID {
		t.Fatalf("%+v %v", memory, err)
	}
}

func TestUploadBytesAndAFileAsMultipart(t *testing.T) {
	client := newClient(t)
	user := docID("go-upload-bytes")

	// Bytes, NUL bytes among them, with every field set.
	pdf := []byte("%PDF-1.4 quarterly\x00report\xff draft")
	_, record := lastUpload(t, client, synap.UploadRequest{
		Bytes: pdf, Filename: "q3 report.pdf", UserID: user, CustomerID: lifecycleCustomer,
		RelationshipType: synap.RelationshipB2C, Mode: synap.ModeFast, DocumentType: synap.DocumentTypePDF,
		Metadata:  json.RawMessage(`{"source": "scanner"}`),
		ScopePath: []synap.ScopeLevel{{Level: "team", Value: "payments"}},
	})
	want := `{"customer_id":"` + lifecycleCustomer + `","document_type":"pdf","metadata":"{\"source\": \"scanner\"}",` +
		`"mode":"fast","relationship_type":"b2c","scope":"{\"team\": \"payments\"}","user_id":"` + user + `"}`
	if record["encoding"] != "multipart" || record["filename"] != "q3 report.pdf" ||
		record["content_type"] != "application/pdf" || jsonOf(t, record["fields"]) != want {
		t.Fatalf("%v", record)
	}
	assertIntact(t, record, pdf)

	// Bytes without a name are "upload"; a content type given wins.
	note := []byte("plain bytes of a note")
	_, record = lastUpload(t, client, synap.UploadRequest{Bytes: note, ContentType: "text/markdown",
		UserID: user, CustomerID: lifecycleCustomer})
	if record["filename"] != "upload" || record["content_type"] != "text/markdown" {
		t.Fatalf("%v", record)
	}
	assertIntact(t, record, note)

	// A file: its own name, a type guessed from it; it becomes memories.
	fastCreates(t)
	dir := t.TempDir()
	text := []byte("User: I avoid gluten and dairy at dinner.\nUser: I love spicy Thai food on weekends.")
	path := filepath.Join(dir, "diet.txt")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	ingestion, record := lastUpload(t, client, synap.UploadRequest{File: path, UserID: user, CustomerID: lifecycleCustomer})
	if record["filename"] != "diet.txt" || record["content_type"] != "text/plain" {
		t.Fatalf("%v", record)
	}
	assertIntact(t, record, text)
	ids := completedMemories(t, client, ingestion.IngestionID)
	found := false
	for _, id := range ids {
		memory, err := client.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		found = found || strings.Contains(memory.Content, "gluten and dairy")
	}
	if !found {
		t.Fatalf("no memory of the file among %v", ids)
	}

	// A name that is not UTF-8 is sent with U+FFFD for its bad byte.
	odd := filepath.Join(dir, "caf\xe9.txt")
	if err := os.WriteFile(odd, []byte("I order a flat white every morning."), 0o600); err != nil {
		t.Fatal(err)
	}
	_, record = lastUpload(t, client, synap.UploadRequest{File: odd, UserID: user, CustomerID: lifecycleCustomer})
	if record["filename"] != "caf\uFFFD.txt" {
		t.Fatalf("%v", record)
	}
	assertIntact(t, record, []byte("I order a flat white every morning."))
}

func TestAFileThatCannotBeReadIsErrFile(t *testing.T) {
	client := newClient(t)
	dir := t.TempDir()
	before := len(sent(t, uploadPath))
	_, err := client.Upload(context.Background(), synap.UploadRequest{
		File: filepath.Join(dir, "absent.txt"), UserID: "u", CustomerID: lifecycleCustomer,
	})
	e := asError(t, err, synap.ErrFile)
	if e.Code != synap.CodeFile || e.Code.String() != "SYNAP_FILE" || e.HTTPStatus != 0 ||
		!strings.Contains(e.Message, "absent.txt") || !strings.Contains(e.Message, "cannot be opened") {
		t.Fatalf("%#v", e)
	}
	_, err = client.Upload(context.Background(), synap.UploadRequest{File: dir, UserID: "u", CustomerID: lifecycleCustomer})
	if e := asError(t, err, synap.ErrFile); !strings.Contains(e.Message, "is not a regular file") {
		t.Fatalf("%#v", e)
	}
	if after := len(sent(t, uploadPath)); after != before {
		t.Fatalf("%d uploads sent for unreadable files", after-before)
	}
}

func TestUploadRefusals(t *testing.T) {
	client := newClient(t)
	before := len(sent(t, uploadPath))
	for _, c := range []struct {
		message string
		req     synap.UploadRequest
	}{
		{"no source", synap.UploadRequest{UserID: "u"}},
		{"File and Text are set", synap.UploadRequest{File: "/tmp/x", Text: "words", UserID: "u"}},
		{"Bytes and Text are set", synap.UploadRequest{Bytes: []byte("b"), Text: "words", UserID: "u"}},
		{"File contains a NUL byte", synap.UploadRequest{File: "/tmp/a\x00b", UserID: "u"}},
		{"Text contains a NUL byte", synap.UploadRequest{Text: "a\x00b", UserID: "u"}},
		{"Filename contains a NUL byte", synap.UploadRequest{Bytes: []byte("b"), Filename: "a\x00", UserID: "u"}},
		{"no user_id", synap.UploadRequest{Text: "words"}},
		{"", synap.UploadRequest{Text: "words", UserID: "u", RelationshipType: "b2x"}},
		{"", synap.UploadRequest{Bytes: []byte("b"), UserID: "u", ContentType: "text/plain\r\nX-Evil: 1"}},
	} {
		_, err := client.Upload(context.Background(), c.req)
		if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, c.message) {
			t.Fatalf("%+v: %#v", c.req, e)
		}
	}
	if after := len(sent(t, uploadPath)); after != before {
		t.Fatalf("%d refused uploads were sent", after-before)
	}
}

func TestAnUploadTooLargeIsErrInvalidRequest(t *testing.T) {
	knobs(t, map[string]interface{}{"upload_max_bytes": 64})
	client := newClient(t)
	_, err := client.Upload(context.Background(), synap.UploadRequest{
		Bytes: make([]byte, 4096), UserID: "u", CustomerID: lifecycleCustomer,
	})
	if e := asError(t, err, synap.ErrInvalidRequest); e.HTTPStatus != 413 {
		t.Fatalf("%#v", e)
	}
}
