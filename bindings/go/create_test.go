package synap_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

const (
	createPath = "/api/v1/memories/create"
	batchPath  = "/api/v1/memories/batch"
)

var documents int64

// docID is a document id no other create of this process has used, so
// that tests (and -count runs) never collide on the emulator's ids.
func docID(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, atomic.AddInt64(&documents, 1), time.Now().UnixNano())
}

func TestCreateSendsEveryField(t *testing.T) {
	client := newClient(t)
	id := docID("go-chat")
	written := time.Date(2025, 1, 15, 10, 29, 58, 412000000, time.FixedZone("CET", 3600))
	before := time.Now()
	ingestion, err := client.Create(context.Background(), synap.CreateRequest{
		Text:              "User: I only drink decaf after 3pm.\nAssistant: Noted.",
		DocumentType:      synap.DocumentTypeDocument,
		Mode:              synap.ModeFast,
		DocumentID:        id,
		DocumentCreatedAt: written,
		UserID:            "u1",
		CustomerID:        "c1",
		Scope:             []synap.ScopeLevel{{"customer", "c1"}, {"team", "payments"}},
		Metadata:          json.RawMessage(`{"channel":"web"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if ingestion.DocumentID != id || ingestion.State != synap.StateQueued || len(ingestion.IngestionID) != 36 {
		t.Fatalf("%+v", ingestion)
	}
	if ingestion.QueuedAt.Location() != time.UTC || ingestion.QueuedAt.Before(before.Add(-time.Minute)) ||
		ingestion.QueuedAt.After(time.Now().Add(time.Second)) {
		t.Fatalf("queued at %v, now %v", ingestion.QueuedAt, before)
	}

	body := sentBody(t, createPath)
	if len(body) != 9 {
		t.Errorf("%d keys sent, want all nine: %v", len(body), body)
	}
	want := map[string]interface{}{
		"document": "User: I only drink decaf after 3pm.\nAssistant: Noted.", "document_type": "document",
		"mode": "fast", "document_id": id, "user_id": "u1", "customer_id": "c1",
	}
	for key, value := range want {
		if body[key] != value {
			t.Errorf("%s: sent %#v, want %#v", key, body[key], value)
		}
	}
	if got := fmt.Sprint(body["scope"]); got != "map[customer:c1 team:payments]" {
		t.Errorf("scope sent %s", got)
	}
	if got := fmt.Sprint(body["metadata"]); got != "map[channel:web]" {
		t.Errorf("metadata sent %s", got)
	}
	at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(body["document_created_at"]))
	if err != nil || !at.Equal(written) {
		t.Errorf("document_created_at sent %v (%v), want %v", body["document_created_at"], err, written)
	}
}

func TestCreateSendsAJSONDocumentAndDefaults(t *testing.T) {
	client := newClient(t)
	ingestion, err := client.Create(context.Background(), synap.CreateRequest{
		JSON:         json.RawMessage(`{"subject":"Renewal","body":"The renewal is due in March."}`),
		DocumentType: synap.DocumentTypeEmail,
	})
	if err != nil {
		t.Fatal(err)
	}
	if ingestion.DocumentID == "" || ingestion.State != synap.StateQueued {
		t.Fatalf("%+v", ingestion)
	}
	body := sentBody(t, createPath)
	document, ok := body["document"].(map[string]interface{})
	if !ok || document["subject"] != "Renewal" || document["body"] != "The renewal is due in March." {
		t.Fatalf("document sent %#v", body["document"])
	}
	if body["document_type"] != "email" || body["mode"] != "long-range" || body["document_id"] != nil ||
		body["user_id"] != nil || body["scope"] != nil || body["document_created_at"] != nil ||
		fmt.Sprint(body["metadata"]) != "map[]" {
		t.Fatalf("defaults sent %v", body)
	}
}

func TestCreateRefusesBadFieldsBeforeAnyRequest(t *testing.T) {
	client := newClient(t)
	text := "A document with words."
	cases := []struct {
		request synap.CreateRequest
		inMsg   string
	}{
		{synap.CreateRequest{Text: text, DocumentType: "support-ticket"}, `document_type "support-ticket"`},
		{synap.CreateRequest{Text: text, Mode: "slow"}, "mode"},
		{synap.CreateRequest{JSON: json.RawMessage(`[1,2]`)}, "object"},
		{synap.CreateRequest{JSON: json.RawMessage(`{`)}, "JSON"},
		{synap.CreateRequest{Text: text, Metadata: json.RawMessage(`"x"`)}, "object"},
		{synap.CreateRequest{Text: text, JSON: json.RawMessage(`{"a":"b"}`)}, "both Text and JSON"},
		{synap.CreateRequest{DocumentID: "no-document"}, "no document"},
		{synap.CreateRequest{Text: text, DocumentID: "a\x00b"}, "DocumentID contains a NUL byte"},
		{synap.CreateRequest{Text: text, Scope: []synap.ScopeLevel{{"team", "x\x00"}}}, "Scope[0] contains a NUL"},
		{synap.CreateRequest{Text: text, DocumentCreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, "9999"},
		{synap.CreateRequest{Text: text, DocumentCreatedAt: time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)}, "years 1"},
	}
	before := len(sent(t, createPath))
	for _, c := range cases {
		ingestion, err := client.Create(context.Background(), c.request)
		if ingestion != nil {
			t.Errorf("%+v: accepted", c.request)
			continue
		}
		var e *synap.Error
		if !errors.As(err, &e) || !errors.Is(err, synap.ErrInvalidArgument) || e.HTTPStatus != 0 ||
			!strings.Contains(e.Message, c.inMsg) {
			t.Errorf("%+v: got %v, want ErrInvalidArgument mentioning %q", c.request, err, c.inMsg)
		}
	}
	if after := len(sent(t, createPath)); after != before {
		t.Fatalf("%d requests reached the service", after-before)
	}
}

func TestCreateRefusalsMapToErrors(t *testing.T) {
	client := newClient(t)
	id := docID("go-dup")
	if _, err := client.Create(context.Background(), synap.CreateRequest{Text: "hello there friend", DocumentID: id}); err != nil {
		t.Fatal(err)
	}
	_, err := client.Create(context.Background(), synap.CreateRequest{Text: "again and again", DocumentID: id})
	if e := asError(t, err, synap.ErrConflict); e.HTTPStatus != 409 || !strings.Contains(e.Message, "document_id already exists: "+id) ||
		!strings.HasPrefix(e.CorrelationID, "syn_") {
		t.Fatalf("%#v", e)
	}

	_, err = client.Create(context.Background(), synap.CreateRequest{Text: "   "})
	if e := asError(t, err, synap.ErrInvalidRequest); e.HTTPStatus != 422 || !strings.Contains(e.Message, "document") {
		t.Fatalf("%#v", e)
	}
	_, err = client.Create(context.Background(), synap.CreateRequest{Text: "some words here", UserID: "u-only"})
	if e := asError(t, err, synap.ErrInvalidRequest); e.HTTPStatus != 400 {
		t.Fatalf("%#v", e)
	}
	faultPath(t, createPath, 1, map[string]interface{}{"kind": "respond", "status": 402,
		"body": `{"detail":{"reason":"overages_disabled","message":"Credit balance is exhausted."}}`})
	_, err = client.Create(context.Background(), synap.CreateRequest{Text: "a b c d"})
	asError(t, err, synap.ErrInsufficientCredits)
}

func TestCreateReturnsWhenTheContextEnds(t *testing.T) {
	client := newClient(t)
	faultPath(t, createPath, 1, map[string]interface{}{"kind": "delay", "ms": 1000})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := client.Create(ctx, synap.CreateRequest{Text: "slow words here"})
	if !errors.Is(err, synap.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(started); took > 700*time.Millisecond {
		t.Fatalf("returned after %v", took)
	}
	if _, err := client.Create(ctx, synap.CreateRequest{Text: "more words"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("an ended context: got %v", err)
	}
}

func TestBatchCreateHasPerItemResults(t *testing.T) {
	client := newClient(t)
	id := docID("go-kb")
	requests := []synap.CreateRequest{
		{Text: "The first document has words.", DocumentID: id},
		{Text: "  "},
		{JSON: json.RawMessage(`{"subject":"Renewal","body":"Due in March."}`), DocumentType: synap.DocumentTypeEmail},
	}
	batch, err := client.BatchCreate(context.Background(), requests, false)
	if err != nil {
		t.Fatal(err)
	}
	if batch.BatchID == "" || batch.Total != 3 || batch.Succeeded != 2 || batch.Failed != 1 || len(batch.Results) != 3 {
		t.Fatalf("%+v", batch)
	}
	first, refused, third := batch.Results[0], batch.Results[1], batch.Results[2]
	if first.Err != nil || first.Ingestion.DocumentID != id || first.Ingestion.State != synap.StateQueued {
		t.Fatalf("first: %+v %v", first.Ingestion, first.Err)
	}
	if third.Err != nil || third.Ingestion.State != synap.StateQueued || third.Ingestion.IngestionID == first.Ingestion.IngestionID {
		t.Fatalf("third: %+v %v", third.Ingestion, third.Err)
	}
	e := asError(t, refused.Err, synap.ErrInvalidRequest)
	if !strings.Contains(e.Message, "document") || refused.Ingestion == nil || refused.Ingestion.State != synap.StateFailed {
		t.Fatalf("refused: %#v %+v", e, refused.Ingestion)
	}
	body := sentBody(t, batchPath)
	if documents, _ := body["documents"].([]interface{}); body["fail_fast"] != false || len(documents) != 3 {
		t.Fatalf("sent %v", body)
	}

	_, err = client.BatchCreate(context.Background(), requests[1:], true)
	if e := asError(t, err, synap.ErrInvalidRequest); e.HTTPStatus != 422 {
		t.Fatalf("%#v", e)
	}
	if body := sentBody(t, batchPath); body["fail_fast"] != true {
		t.Fatalf("sent %v", body)
	}
	before := len(sent(t, batchPath))
	if _, err := client.BatchCreate(context.Background(), nil, false); !errors.Is(err, synap.ErrInvalidArgument) {
		t.Fatalf("an empty batch: got %v", err)
	}
	_, err = client.BatchCreate(context.Background(), []synap.CreateRequest{{Text: "fine"}, {Text: "x", Mode: "slow"}}, false)
	if e := asError(t, err, synap.ErrInvalidArgument); !strings.HasPrefix(e.Message, "requests[1]: ") {
		t.Fatalf("%#v", e)
	}
	_, err = client.BatchCreate(context.Background(), []synap.CreateRequest{{Text: "fine"}, {}}, false)
	if e := asError(t, err, synap.ErrInvalidArgument); e.Message != "requests[1]: no document: set Text or JSON" {
		t.Fatalf("%#v", e)
	}
	if after := len(sent(t, batchPath)); after != before {
		t.Fatalf("%d refused batches reached the service", after-before)
	}
}

// Each goroutine's create error is its own, though libsynap keeps error
// details per thread and goroutines move between threads.
func TestConcurrentCreatesKeepTheirOwnErrors(t *testing.T) {
	client := newClient(t)
	taken := docID("go-taken")
	if _, err := client.Create(context.Background(), synap.CreateRequest{Text: "taken words", DocumentID: taken}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	failures := make(chan string, 100)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				var e *synap.Error
				if (g+i)%2 == 0 {
					_, err := client.Create(context.Background(), synap.CreateRequest{Text: "dup words", DocumentID: taken})
					if !errors.As(err, &e) || e.Code != synap.CodeConflict || e.HTTPStatus != 409 || e.CorrelationID == "" {
						failures <- fmt.Sprintf("duplicate: %#v", err)
					}
				} else {
					_, err := client.Create(context.Background(), synap.CreateRequest{Text: "x", DocumentType: "note"})
					if !errors.As(err, &e) || e.Code != synap.CodeInvalidArgument || e.HTTPStatus != 0 ||
						e.CorrelationID != "" || !strings.Contains(e.Message, "note") {
						failures <- fmt.Sprintf("invalid: %#v", err)
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}
