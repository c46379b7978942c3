package synap_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

func TestCreateWaitThenGetTheMemories(t *testing.T) {
	fastCreates(t)
	client := newClient(t)
	id := docID("go-decaf")
	ingestion, err := client.Create(context.Background(), synap.CreateRequest{
		Text:       "User: I only drink decaf after 3pm. Assistant: Noted, decaf it is.",
		DocumentID: id, UserID: "u1", CustomerID: "c1",
	})
	if err != nil {
		t.Fatal(err)
	}
	status, err := client.Wait(context.Background(), ingestion.IngestionID,
		synap.WithPollInterval(50*time.Millisecond), synap.WithWaitTimeout(10*time.Second))
	if err != nil || status.State != synap.StateCompleted || len(status.MemoryIDs) == 0 {
		t.Fatalf("%+v %v", status, err)
	}
	for _, memoryID := range status.MemoryIDs {
		memory, err := client.Get(context.Background(), strings.ToUpper(memoryID))
		if err != nil {
			t.Fatal(err)
		}
		if memory.ID != memoryID || memory.Type == "" || !strings.Contains(memory.Content, "decaf") {
			t.Fatalf("%+v", memory)
		}
		if memory.SourceDocumentID == nil || *memory.SourceDocumentID != id || memory.UpdatedAt != nil {
			t.Fatalf("%+v", memory)
		}
		if memory.Confidence <= 0 || memory.Confidence > 1 || memory.CreatedAt.Location() != time.UTC ||
			memory.CreatedAt.Before(ingestion.QueuedAt) {
			t.Fatalf("%+v (queued at %v)", memory, ingestion.QueuedAt)
		}
	}
}

func TestGetErrors(t *testing.T) {
	client := newClient(t)
	_, err := client.Get(context.Background(), unknownID)
	if e := asError(t, err, synap.ErrNotFound); e.HTTPStatus != 404 || e.CorrelationID == "" {
		t.Fatalf("%#v", e)
	}
	_, err = client.Get(context.Background(), "../status/x")
	if e := asError(t, err, synap.ErrInvalidArgument); e.HTTPStatus != 0 || !strings.Contains(e.Message, "not a UUID") {
		t.Fatalf("%#v", e)
	}
	_, err = client.Get(context.Background(), unknownID+"\x00")
	if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "NUL") {
		t.Fatalf("%#v", e)
	}

	faultPath(t, "/api/v1/memories/"+unknownID, 1, map[string]interface{}{"kind": "delay", "ms": 1000})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	started := time.Now()
	_, err = client.Get(ctx, unknownID)
	if !errors.Is(err, synap.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(started); took > 700*time.Millisecond {
		t.Fatalf("returned after %v", took)
	}
}

func TestWhoamiIdentifiesTheKey(t *testing.T) {
	client := newClient(t)
	identity, err := client.Whoami(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if identity.ClientID == nil || *identity.ClientID != "cli_9b2f4d6a8c0e1357" ||
		identity.InstanceID == nil || *identity.InstanceID != "inst_4e7a19c03b5d82f1" ||
		identity.UserContextIsolation != nil || identity.IsB2C() {
		t.Fatalf("%+v", identity)
	}
	// Later requests say which instance they are for.
	_, err = client.MemoryStatus(context.Background(), unknownID)
	e := asError(t, err, synap.ErrNotFound)
	if !strings.HasPrefix(e.CorrelationID, "syn_inst_4_") {
		t.Fatalf("correlation id %q", e.CorrelationID)
	}
	requests := sent(t, "/api/v1/memories/status/"+unknownID)
	headers, _ := requests[len(requests)-1]["headers"].(map[string]interface{})
	if headers["x-instance-id"] != "inst_4e7a19c03b5d82f1" || headers["x-client-id"] != "cli_9b2f4d6a8c0e1357" {
		t.Fatalf("headers %v", headers)
	}
	b2c := "equals_customer"
	if !(&synap.Identity{UserContextIsolation: &b2c}).IsB2C() {
		t.Fatal("equals_customer is B2C")
	}
}

func TestWhoamiErrors(t *testing.T) {
	const path = "/api/v1/auth/whoami"
	client := newClient(t)
	faultPath(t, path, 1, map[string]interface{}{"kind": "respond", "status": 401, "body": `{"detail":"Invalid API key"}`})
	_, err := client.Whoami(context.Background())
	if e := asError(t, err, synap.ErrAuth); e.HTTPStatus != 401 || e.Message != "HTTP 401: Invalid API key" {
		t.Fatalf("%#v", e)
	}
	faultPath(t, path, 1, map[string]interface{}{"kind": "respond", "status": 200, "body": "[]"})
	_, err = client.Whoami(context.Background())
	asError(t, err, synap.ErrProtocol)

	wrong, err := synap.NewClient("synap_wrong_key", synap.WithBaseURL(emulatorURL))
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if _, err := wrong.Whoami(context.Background()); !errors.Is(err, synap.ErrAuth) {
		t.Fatalf("got %v", err)
	}
}

func TestNewCallsAfterCloseFail(t *testing.T) {
	client := newClient(t)
	client.Close()
	ctx := context.Background()
	if _, err := client.Create(ctx, synap.CreateRequest{Text: "words"}); err != synap.ErrClosed {
		t.Fatalf("Create: %v", err)
	}
	if _, err := client.BatchCreate(ctx, []synap.CreateRequest{{Text: "words"}}, false); err != synap.ErrClosed {
		t.Fatalf("BatchCreate: %v", err)
	}
	if _, err := client.Get(ctx, unknownID); err != synap.ErrClosed {
		t.Fatalf("Get: %v", err)
	}
	if _, err := client.Whoami(ctx); err != synap.ErrClosed {
		t.Fatalf("Whoami: %v", err)
	}
	if _, err := client.WaitAll(ctx, []string{unknownID}, synap.WaitAllOptions{}); err != synap.ErrClosed {
		t.Fatalf("WaitAll: %v", err)
	}
}

func TestB2CInstanceRefusesACustomerIDAfterWhoami(t *testing.T) {
	client := newClient(t)
	faultPath(t, "/api/v1/auth/whoami", 1, map[string]interface{}{"kind": "respond", "status": 200,
		"body": `{"client_id":"cli_b2c","instance_id":"inst_b2c","user_context_isolation":"equals_customer"}`})
	identity, err := client.Whoami(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !identity.IsB2C() {
		t.Fatalf("%+v", identity)
	}
	before := len(sent(t, "/api/v1/memories/create"))
	_, err = client.Create(context.Background(), synap.CreateRequest{Text: "words", UserID: "u1", CustomerID: "c1"})
	if e := asError(t, err, synap.ErrInvalidArgument); e.HTTPStatus != 0 || !strings.Contains(e.Message, "customer") {
		t.Fatalf("%#v", e)
	}
	if after := len(sent(t, "/api/v1/memories/create")); after != before {
		t.Fatalf("the refused create was sent (%d requests, %d before)", after, before)
	}
	// Only the customer id is refused: the same client still creates.
	if _, err := client.Create(context.Background(), synap.CreateRequest{Text: "words"}); err != nil {
		t.Fatal(err)
	}
}
