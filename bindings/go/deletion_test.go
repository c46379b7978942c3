package synap_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

const deletePath = "/v1/data/delete"

// quickWait is a deletion wait's options for the emulator's pace.
var quickWait = []synap.WaitOption{synap.WithPollInterval(20 * time.Millisecond), synap.WithWaitTimeout(10 * time.Second)}

func deleteUser(user string) synap.DataDeleteRequest {
	return synap.DataDeleteRequest{Scope: synap.DeleteUser, ID: user, Confirm: user, CustomerID: lifecycleCustomer}
}

func TestADryRunCountsAndDeletesNothing(t *testing.T) {
	client := newClient(t)
	user := docID("go-dry-run")
	ids := memoriesOf(t, client, user, "User: I take the 7:40 train. I read on the way to work.")
	req := deleteUser(user)
	req.Confirm, req.DryRun = "", true
	dry, err := client.DeleteData(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if dry.State != synap.DeletionDryRun || dry.State.String() != "dry_run" || !dry.DryRun || !dry.Found ||
		dry.DeletionID != nil || str(dry.Scope) != "user" || dry.Counts["memories"] != int64(len(ids)) ||
		len(dry.RawJSON) == 0 || dry.StillPresentIn == nil || dry.Kept == nil {
		t.Fatalf("%+v", dry)
	}
	body := sentBody(t, deletePath)
	if body["dry_run"] != true || body["user_id"] != user || body["scope"] != "user" {
		t.Fatalf("sent %v", body)
	}
	if _, err := client.Get(context.Background(), ids[0]); err != nil {
		t.Fatalf("a dry run deletes nothing: %v", err)
	}
}

func TestDeleteDataThenWaitUntilComplete(t *testing.T) {
	knobs(t, map[string]interface{}{"data_delete_continue_rounds": 2, "data_delete_done_after_ms": 300})
	client := newClient(t)
	user := docID("go-delete-user")
	ids := memoriesOf(t, client, user, "User: My sister lives in Lisbon. I visit her every August.")
	before := len(sent(t, deletePath))
	started, err := client.DeleteData(context.Background(), deleteUser(user))
	if err != nil {
		t.Fatal(err)
	}
	// Two answers asked for the request again; the third is the record.
	if n := len(sent(t, deletePath)) - before; n != 3 {
		t.Fatalf("%d requests sent, want 3", n)
	}
	body := sentBody(t, deletePath)
	if body["confirm"] != user || body["customer_id"] != lifecycleCustomer || body["dry_run"] != false {
		t.Fatalf("sent %v", body)
	}
	if started.State != synap.DeletionInProgress || started.DeletionID == nil || started.Audit == nil {
		t.Fatalf("%+v", started)
	}
	id := *started.DeletionID
	status, err := client.DeletionStatus(context.Background(), id)
	if err != nil || status.State != synap.DeletionInProgress || str(status.DeletionID) != id {
		t.Fatalf("%+v %v", status, err)
	}

	var seen []synap.DeletionState
	done, err := client.WaitDeletion(context.Background(), id, append(quickWait,
		synap.WithDeletionProgress(func(d *synap.DataDeletion) bool {
			seen = append(seen, d.State)
			return true
		}))...)
	if err != nil {
		t.Fatal(err)
	}
	if done.State != synap.DeletionComplete || !done.FullyRemoved || !done.Found ||
		done.Counts["memories"] != int64(len(ids)) || len(done.StillPresentIn) != 0 || len(done.Stores) == 0 {
		t.Fatalf("%+v", done)
	}
	if len(seen) < 2 || seen[0] != synap.DeletionInProgress || seen[len(seen)-1] != synap.DeletionComplete {
		t.Fatalf("progress saw %v", seen)
	}
	for _, memoryID := range ids {
		_, err := client.Get(context.Background(), memoryID)
		asError(t, err, synap.ErrNotFound)
	}
	// The record stays readable.
	again, err := client.DeletionStatus(context.Background(), " "+id+" ")
	if err != nil || !reflect.DeepEqual(again.Counts, done.Counts) || again.State != synap.DeletionComplete {
		t.Fatalf("%+v %v", again, err)
	}
}

func TestAPartialDeletionNamesTheStoresStillHoldingData(t *testing.T) {
	knobs(t, map[string]interface{}{"data_delete_partial": true})
	client := newClient(t)
	user := docID("go-delete-partial")
	memoriesOf(t, client, user, "User: I keep bees on my roof.")
	started, err := client.DeleteData(context.Background(), deleteUser(user))
	if err != nil {
		t.Fatal(err)
	}
	done := started
	if started.State == synap.DeletionInProgress {
		if done, err = client.WaitDeletion(context.Background(), *started.DeletionID, quickWait...); err != nil {
			t.Fatal(err)
		}
	}
	if done.State != synap.DeletionPartial || done.FullyRemoved ||
		!reflect.DeepEqual(done.StillPresentIn, []string{"graph"}) {
		t.Fatalf("%+v", done)
	}
}

func TestDeletingAConversationKeepsItsMemories(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	user := docID("go-delete-conv")
	record(t, client, synap.Message{ConversationID: conv, Role: synap.RoleUser, Content: "Book me a table for two.",
		UserID: user, CustomerID: lifecycleCustomer})
	done, err := client.DeleteData(context.Background(), synap.DataDeleteRequest{
		Scope: synap.DeleteConversation, ID: conv, Confirm: conv, UserID: user, CustomerID: lifecycleCustomer,
	})
	if err != nil {
		t.Fatal(err)
	}
	if done.State != synap.DeletionComplete || !done.MemoriesKept || !reflect.DeepEqual(done.Kept, []string{"memories"}) ||
		done.Note == nil || done.Counts["messages"] != 1 {
		t.Fatalf("%+v", done)
	}
	if body := sentBody(t, deletePath); body["conversation_id"] != conv || body["user_id"] != user {
		t.Fatalf("sent %v", body)
	}
	if left := messages(t, client, conv); len(left) != 0 {
		t.Fatalf("messages left: %+v", left)
	}
}

func TestDeleteDataRefusals(t *testing.T) {
	client := newClient(t)
	before := len(sent(t, deletePath))
	for _, c := range []struct {
		message string
		req     synap.DataDeleteRequest
	}{
		{"not one of user, conversation, customer", synap.DataDeleteRequest{Scope: "client", ID: "u", Confirm: "u"}},
		{"", synap.DataDeleteRequest{Scope: synap.DeleteUser, Confirm: "u"}},
		{"confirm", synap.DataDeleteRequest{Scope: synap.DeleteUser, ID: "u"}},
		{"confirm does not match user_id", synap.DataDeleteRequest{Scope: synap.DeleteUser, ID: "u", Confirm: "u-other"}},
		{"", synap.DataDeleteRequest{Scope: synap.DeleteCustomer, ID: "c", Confirm: "c", CustomerID: "c"}},
		{"ID contains a NUL byte", synap.DataDeleteRequest{Scope: synap.DeleteUser, ID: "u\x00", Confirm: "u"}},
		{"Confirm contains a NUL byte", synap.DataDeleteRequest{Scope: synap.DeleteUser, ID: "u", Confirm: "u\x00"}},
	} {
		_, err := client.DeleteData(context.Background(), c.req)
		if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, c.message) {
			t.Fatalf("%+v: %#v", c.req, e)
		}
	}
	if after := len(sent(t, deletePath)); after != before {
		t.Fatalf("%d refused deletions were sent", after-before)
	}
	_, err := client.DeletionStatus(context.Background(), "del_unknown")
	if e := asError(t, err, synap.ErrNotFound); e.HTTPStatus != 404 {
		t.Fatalf("%#v", e)
	}
	_, err = client.WaitDeletion(context.Background(), "del_unknown", quickWait...)
	asError(t, err, synap.ErrNotFound)
	_, err = client.DeletionStatus(context.Background(), "del\x00")
	asError(t, err, synap.ErrInvalidArgument)
	_, err = client.WaitDeletion(context.Background(), "del\x00")
	asError(t, err, synap.ErrInvalidArgument)

	// Each wait takes its own progress option only.
	_, err = client.WaitDeletion(context.Background(), "del_x", synap.WithProgress(func(*synap.MemoryStatus) bool { return true }))
	if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "WithDeletionProgress") {
		t.Fatalf("%#v", e)
	}
	_, err = client.Wait(context.Background(), unknownID, synap.WithDeletionProgress(func(*synap.DataDeletion) bool { return true }))
	if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "WithProgress") {
		t.Fatalf("%#v", e)
	}
	_, err = client.WaitDeletion(context.Background(), "del_x", nil)
	asError(t, err, synap.ErrInvalidArgument)
}

// runningDeletion starts a deletion that stays in progress for a minute.
func runningDeletion(t *testing.T, client *synap.Client) string {
	t.Helper()
	knobs(t, map[string]interface{}{"data_delete_done_after_ms": 60000})
	started, err := client.DeleteData(context.Background(), deleteUser(docID("go-delete-slow")))
	if err != nil || started.State != synap.DeletionInProgress {
		t.Fatalf("%+v %v", started, err)
	}
	return *started.DeletionID
}

func TestWaitDeletionEndsWithItsContextOrItsProgress(t *testing.T) {
	client := newClient(t)
	id := runningDeletion(t, client)

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := client.WaitDeletion(ctx, id, synap.WithPollInterval(20*time.Millisecond))
	if !errors.Is(err, synap.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(started); took > 2*time.Second {
		t.Fatalf("returned after %v", took)
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = client.WaitDeletion(ctx, id, synap.WithPollInterval(20*time.Millisecond))
	if !errors.Is(err, synap.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}

	_, err = client.WaitDeletion(context.Background(), id, synap.WithWaitTimeout(100*time.Millisecond),
		synap.WithPollInterval(20*time.Millisecond))
	asError(t, err, synap.ErrTimeout)

	polls := 0
	_, err = client.WaitDeletion(context.Background(), id, append(quickWait,
		synap.WithDeletionProgress(func(d *synap.DataDeletion) bool {
			polls++
			return d.State != synap.DeletionInProgress
		}))...)
	if !errors.Is(err, synap.ErrCancelled) || polls != 1 {
		t.Fatalf("got %v after %d polls", err, polls)
	}

	defer func() {
		if r := recover(); r != "stop here" {
			t.Fatalf("recovered %v", r)
		}
	}()
	client.WaitDeletion(context.Background(), id, append(quickWait,
		synap.WithDeletionProgress(func(*synap.DataDeletion) bool { panic("stop here") }))...)
	t.Fatal("WaitDeletion returned after its progress function panicked")
}
