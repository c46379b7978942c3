package synap_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

const (
	forgetPath = "/api/v1/memories/forget"
	// lifecycleCustomer is the customer of every user the lifecycle tests
	// make: the emulator is a B2B instance.
	lifecycleCustomer = "go-lifecycle-co"
)

// memoriesOf creates text as a document of user and waits until its
// memories are made; returns their ids.
func memoriesOf(t *testing.T, client *synap.Client, user, text string) []string {
	t.Helper()
	fastCreates(t)
	ingestion, err := client.Create(context.Background(), synap.CreateRequest{
		Text: text, UserID: user, CustomerID: lifecycleCustomer, DocumentID: docID("go-lifecycle"),
	})
	if err != nil {
		t.Fatal(err)
	}
	return completedMemories(t, client, ingestion.IngestionID)
}

// completedMemories waits until the ingestion job has completed; returns
// its memory ids.
func completedMemories(t *testing.T, client *synap.Client, ingestionID string) []string {
	t.Helper()
	status, err := client.Wait(context.Background(), ingestionID,
		synap.WithPollInterval(20*time.Millisecond), synap.WithWaitTimeout(10*time.Second))
	if err != nil || status.State != synap.StateCompleted || len(status.MemoryIDs) == 0 {
		t.Fatalf("%+v %v", status, err)
	}
	return status.MemoryIDs
}

// knobs changes the emulator's lifecycle or credit settings for one test;
// a reset after it puts them back as they started.
func knobs(t *testing.T, settings map[string]interface{}) {
	t.Helper()
	post(t, "/_emulator/config", settings)
	t.Cleanup(func() { post(t, "/_emulator/reset", map[string]interface{}{}) })
}

// jsonOf is v's JSON text, for comparing a body sent with what it should be.
func jsonOf(t *testing.T, v interface{}) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestUpdateMemorySendsEveryFieldAndReadsBack(t *testing.T) {
	client := newClient(t)
	user := docID("go-update")
	id := memoriesOf(t, client, user, "User: I prefer email over phone calls for billing.")[0]
	path := "/api/v1/memories/" + id
	original, err := client.Get(context.Background(), id)
	if err != nil || original.UpdatedAt != nil {
		t.Fatalf("%+v %v", original, err)
	}

	// Replace, the id given in upper case.
	replaced, err := client.UpdateMemory(context.Background(), strings.ToUpper(id),
		synap.UpdateRequest{Text: "Prefers SMS after 6pm", MergeStrategy: synap.MergeReplace})
	if err != nil {
		t.Fatal(err)
	}
	if requests := sent(t, path); requests[len(requests)-1]["method"] != "PATCH" {
		t.Fatalf("%v", requests)
	}
	if got := jsonOf(t, sentBody(t, path)); got != `{"document":"Prefers SMS after 6pm","merge_strategy":"replace"}` {
		t.Fatalf("sent %s", got)
	}
	if replaced.ID != id || replaced.Content != "Prefers SMS after 6pm" || replaced.UpdatedAt == nil ||
		!replaced.CreatedAt.Equal(original.CreatedAt) {
		t.Fatalf("%+v (was %+v)", replaced, original)
	}
	if got, err := client.Get(context.Background(), id); err != nil || !reflect.DeepEqual(got, replaced) {
		t.Fatalf("read back %+v %v, updated %+v", got, err, replaced)
	}

	// Append, then smart-merge unless set: what the memory says changes nothing.
	appended, err := client.UpdateMemory(context.Background(), id,
		synap.UpdateRequest{Text: "Lives in Oslo since 2019.", MergeStrategy: synap.MergeAppend})
	if err != nil || appended.Content != "Prefers SMS after 6pm\nLives in Oslo since 2019." {
		t.Fatalf("%+v %v", appended, err)
	}
	merged, err := client.UpdateMemory(context.Background(), id, synap.UpdateRequest{Text: "lives in OSLO since 2019"})
	if err != nil || merged.Content != appended.Content {
		t.Fatalf("%+v %v", merged, err)
	}
	if got := sentBody(t, path)["merge_strategy"]; got != "smart-merge" {
		t.Fatalf("merge strategy sent %v", got)
	}

	// A structured document, its type and metadata.
	structured, err := client.UpdateMemory(context.Background(), id, synap.UpdateRequest{
		JSON:          json.RawMessage(`{"note": {"text": "Works from Berlin now."}}`),
		MergeStrategy: synap.MergeReplace, DocumentType: synap.DocumentTypeEmail,
		Metadata: json.RawMessage(`{"source":"crm"}`),
	})
	if err != nil || structured.Content != "Works from Berlin now." {
		t.Fatalf("%+v %v", structured, err)
	}
	want := `{"document":{"note":{"text":"Works from Berlin now."}},"document_type":"email",` +
		`"merge_strategy":"replace","metadata":{"source":"crm"}}`
	if got := jsonOf(t, sentBody(t, path)); got != want {
		t.Fatalf("sent %s", got)
	}
}

func TestUpdateMemoryRefusals(t *testing.T) {
	client := newClient(t)
	for _, c := range []struct {
		name, id, message string
		req               synap.UpdateRequest
	}{
		{"no document", unknownID, "no document", synap.UpdateRequest{}},
		{"two documents", unknownID, "both Text and JSON",
			synap.UpdateRequest{Text: "a", JSON: json.RawMessage(`{"a":1}`)}},
		{"NUL in the text", unknownID, "Text contains a NUL byte", synap.UpdateRequest{Text: "a\x00b"}},
		{"NUL in the id", unknownID + "\x00", "memory id contains a NUL byte", synap.UpdateRequest{Text: "a"}},
		{"NUL in the metadata", unknownID, "Metadata contains a NUL byte",
			synap.UpdateRequest{Text: "a", Metadata: json.RawMessage("{\"a\":\"\x00\"}")}},
		{"unknown strategy", unknownID, "", synap.UpdateRequest{Text: "a", MergeStrategy: "merge"}},
		{"JSON that is not an object", unknownID, "", synap.UpdateRequest{JSON: json.RawMessage(`[1]`)}},
		{"malformed id", "../status/x", "", synap.UpdateRequest{Text: "a"}},
	} {
		_, err := client.UpdateMemory(context.Background(), c.id, c.req)
		e := asError(t, err, synap.ErrInvalidArgument)
		if !strings.Contains(e.Message, c.message) || e.HTTPStatus != 0 {
			t.Fatalf("%s: %#v", c.name, e)
		}
	}
	if requests := sent(t, "/api/v1/memories/"+unknownID); len(requests) != 0 {
		t.Fatalf("refused updates were sent: %v", requests)
	}
	_, err := client.UpdateMemory(context.Background(), unknownID, synap.UpdateRequest{Text: "a"})
	if e := asError(t, err, synap.ErrNotFound); e.HTTPStatus != 404 {
		t.Fatalf("%#v", e)
	}
}

func TestDeleteMemoryThenItIsGone(t *testing.T) {
	client := newClient(t)
	user := docID("go-delete")
	ids := memoriesOf(t, client, user, "User: My gym locker is number 42. I swim on Tuesdays.")
	before := time.Now()
	deleted, err := client.DeleteMemory(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if deleted.MemoryID == nil || *deleted.MemoryID != ids[0] || deleted.DeletedAt == nil ||
		deleted.DeletedAt.Location() != time.UTC || deleted.DeletedAt.Before(before.Add(-time.Minute)) {
		t.Fatalf("%+v", deleted)
	}
	if requests := sent(t, "/api/v1/memories/"+ids[0]); requests[len(requests)-1]["method"] != "DELETE" {
		t.Fatalf("%v", requests)
	}
	_, err = client.Get(context.Background(), ids[0])
	asError(t, err, synap.ErrNotFound)
	_, err = client.DeleteMemory(context.Background(), ids[0])
	asError(t, err, synap.ErrNotFound)
	if len(ids) > 1 {
		if _, err := client.Get(context.Background(), ids[1]); err != nil {
			t.Fatalf("another memory of the document: %v", err)
		}
	}

	_, err = client.DeleteMemory(context.Background(), "not-a-uuid")
	asError(t, err, synap.ErrInvalidArgument)
	_, err = client.DeleteMemory(context.Background(), ids[0]+"\x00")
	if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "NUL") {
		t.Fatalf("%#v", e)
	}
}

func TestForgetPreviewsDeletesOrFindsNothing(t *testing.T) {
	client := newClient(t)
	user := docID("go-forget")
	ids := memoriesOf(t, client, user, "User: My old home address is 12 Elm Street. I prefer email over phone calls.")
	address, email := ids[0], ids[1]
	forget := func(description string, mode synap.ForgetMode) *synap.ForgetResult {
		t.Helper()
		result, err := client.Forget(context.Background(), synap.ForgetRequest{
			Description: description, UserID: user, CustomerID: lifecycleCustomer, Mode: mode,
		})
		if err != nil {
			t.Fatal(err)
		}
		return result
	}

	// Preview (the default): the match is filed for approval, nothing goes.
	preview := forget("my old home address", "")
	want := `{"customer_id":"` + lifecycleCustomer + `","description":"my old home address","mode":"preview",` +
		`"scope":null,"user_id":"` + user + `"}`
	if got := jsonOf(t, sentBody(t, forgetPath)); got != want {
		t.Fatalf("sent %s", got)
	}
	if preview.Outcome != synap.ForgetPreview || preview.Outcome.String() != "preview" ||
		preview.Status == nil || *preview.Status != "preview" ||
		preview.RequestID == nil || *preview.RequestID == "" || len(preview.Candidates) != 1 {
		t.Fatalf("%+v", preview)
	}
	c := preview.Candidates[0]
	if str(c.MemoryID) != address || str(c.Content) != "My old home address is 12 Elm Street." ||
		str(c.Store) != "memory" || c.MemoryType == nil {
		t.Fatalf("%+v", c)
	}
	if len(preview.DeletedIDs) != 0 || preview.FailedIDs == nil || len(preview.StillPresentIn) != 0 {
		t.Fatalf("%+v", preview)
	}
	if _, err := client.Get(context.Background(), address); err != nil {
		t.Fatalf("a preview deletes nothing: %v", err)
	}

	// Direct: deleted.
	direct := forget("my old home address", synap.ForgetModeDirect)
	if direct.Outcome != synap.ForgetDeleted || !reflect.DeepEqual(direct.DeletedIDs, []string{address}) ||
		len(direct.FailedIDs) != 0 || len(direct.StillPresentIn) != 0 || direct.MayBeIncomplete {
		t.Fatalf("%+v", direct)
	}
	_, err := client.Get(context.Background(), address)
	asError(t, err, synap.ErrNotFound)

	// The same description again, or one that matches nothing.
	for _, description := range []string{"my old home address", "favourite football team"} {
		none := forget(description, synap.ForgetModeDirect)
		if none.Outcome != synap.ForgetNothingMatches || len(none.Candidates) != 0 || none.RequestID != nil {
			t.Fatalf("%s: %+v", description, none)
		}
	}
	if _, err := client.Get(context.Background(), email); err != nil {
		t.Fatalf("the other memory: %v", err)
	}
}

func TestAPartialForgetNamesTheStoresThatMayStillHoldTheText(t *testing.T) {
	knobs(t, map[string]interface{}{"forget_partial": true})
	client := newClient(t)
	user := docID("go-forget-partial")
	id := memoriesOf(t, client, user, "User: My locker combination is 4521 at the gym.")[0]
	partial, err := client.Forget(context.Background(), synap.ForgetRequest{
		Description: "locker combination", UserID: user, CustomerID: lifecycleCustomer,
		Mode: synap.ForgetModeDirect, ScopePath: nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	if partial.Outcome != synap.ForgetPartial || partial.Outcome == synap.ForgetDeleted ||
		!reflect.DeepEqual(partial.StillPresentIn, []string{"graph"}) || !partial.MayBeIncomplete ||
		!reflect.DeepEqual(partial.DeletedIDs, []string{id}) {
		t.Fatalf("%+v", partial)
	}
	_, err = client.Get(context.Background(), id)
	asError(t, err, synap.ErrNotFound)
}

func TestForgetRefusals(t *testing.T) {
	client := newClient(t)
	for _, c := range []struct {
		message string
		req     synap.ForgetRequest
	}{
		{"no description", synap.ForgetRequest{UserID: "u", CustomerID: "c"}},
		{"3 to 500 characters", synap.ForgetRequest{Description: "ab", UserID: "u", CustomerID: "c"}},
		{"no user_id", synap.ForgetRequest{Description: "old address", CustomerID: "c"}},
		{"", synap.ForgetRequest{Description: "old address", UserID: "u", Mode: "soft"}},
		{"Description contains a NUL byte", synap.ForgetRequest{Description: "old\x00address", UserID: "u"}},
		{"UserID contains a NUL byte", synap.ForgetRequest{Description: "old address", UserID: "u\x00"}},
		{"ScopePath[0] contains a NUL byte", synap.ForgetRequest{Description: "old address", UserID: "u",
			ScopePath: []synap.ScopeLevel{{Level: "team", Value: "a\x00"}}}},
	} {
		_, err := client.Forget(context.Background(), c.req)
		if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, c.message) {
			t.Fatalf("%+v: %#v", c.req, e)
		}
	}
	if requests := sent(t, forgetPath); len(requests) != 0 {
		t.Fatalf("refused requests were sent: %v", requests)
	}
	// Not scoped to one user on this B2B instance: the service refuses it.
	_, err := client.Forget(context.Background(), synap.ForgetRequest{Description: "old address", UserID: "u"})
	if e := asError(t, err, synap.ErrInvalidRequest); e.HTTPStatus != 400 {
		t.Fatalf("%#v", e)
	}
}

func TestLifecycleCallsAfterCloseOrWithAnEndedContext(t *testing.T) {
	client := newClient(t)
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	calls := map[string]func(context.Context) error{
		"UpdateMemory": func(ctx context.Context) error {
			_, err := client.UpdateMemory(ctx, unknownID, synap.UpdateRequest{Text: "a"})
			return err
		},
		"DeleteMemory": func(ctx context.Context) error {
			_, err := client.DeleteMemory(ctx, unknownID)
			return err
		},
		"Forget": func(ctx context.Context) error {
			_, err := client.Forget(ctx, synap.ForgetRequest{Description: "abc", UserID: "u", CustomerID: "c"})
			return err
		},
		"Upload": func(ctx context.Context) error {
			_, err := client.Upload(ctx, synap.UploadRequest{Text: "abc", UserID: "u", CustomerID: "c"})
			return err
		},
		"DeleteData": func(ctx context.Context) error {
			_, err := client.DeleteData(ctx, synap.DataDeleteRequest{Scope: synap.DeleteUser, ID: "u", DryRun: true})
			return err
		},
		"DeletionStatus": func(ctx context.Context) error {
			_, err := client.DeletionStatus(ctx, "del_x")
			return err
		},
		"WaitDeletion": func(ctx context.Context) error {
			_, err := client.WaitDeletion(ctx, "del_x")
			return err
		},
		"CreditBalance": func(ctx context.Context) error {
			_, err := client.CreditBalance(ctx)
			return err
		},
		"CreditLedger": func(ctx context.Context) error {
			_, err := client.CreditLedger(ctx, synap.LedgerQuery{})
			return err
		},
		"EstimateCredits": func(ctx context.Context) error {
			_, err := client.EstimateCredits(ctx, synap.EstimateRequest{MetricType: "documents", Units: 1})
			return err
		},
		"RedeemCredits": func(ctx context.Context) error {
			_, err := client.RedeemCredits(ctx, "SYN-TEST-CODE-0001-A")
			return err
		},
	}
	before := len(sentAll(t))
	for name, call := range calls {
		if err := call(ended); !errors.Is(err, synap.ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("%s with an ended context: %v", name, err)
		}
	}
	client.Close()
	for name, call := range calls {
		if err := call(context.Background()); err != synap.ErrClosed {
			t.Fatalf("%s after Close: %v", name, err)
		}
	}
	if after := sentAll(t); len(after) != before {
		t.Fatalf("requests were sent: %v", after[before:])
	}
}
