package synap_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

const (
	recordPath  = "/v1/conversations/messages"
	recordBatch = "/v1/conversations/messages/batch"
	ingestPath  = "/v1/conversations/ingest"
	compactPath = "/v1/conversations/compact"
	// The emulator is B2B: a user belongs to a customer.
	convCustomer = "go-acme"
)

// say is a message of conv from its user.
func say(conv string, role synap.Role, content string) synap.Message {
	return synap.Message{ConversationID: conv, Role: role, Content: content, UserID: "go-conv-user", CustomerID: convCustomer}
}

func record(t *testing.T, client *synap.Client, msg synap.Message) *synap.RecordedMessage {
	t.Helper()
	got, err := client.RecordMessage(context.Background(), msg)
	if err != nil {
		t.Fatalf("RecordMessage(%+v): %v", msg, err)
	}
	return got
}

func messages(t *testing.T, client *synap.Client, conv string) []synap.ConversationMessage {
	t.Helper()
	got, err := client.AllMessages(context.Background(), conv)
	if err != nil {
		t.Fatalf("AllMessages: %v", err)
	}
	return got
}

func contents(list []synap.ConversationMessage) []string {
	out := make([]string, len(list))
	for i, m := range list {
		out[i] = str(m.Content)
	}
	return out
}

func num(p *int64) int64 {
	if p == nil {
		return -1
	}
	return *p
}

func TestRecordMessageSendsEveryFieldAndKeepsTheOrder(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	before := time.Now()
	first := say(strings.ToUpper(conv), synap.RoleUser, "Any update on my refund?")
	first.SessionID = "go-session-1"
	first.Metadata = json.RawMessage(`{"channel":"web","agent_model":"mine"}`)
	first.ScopePath = []synap.ScopeLevel{{Level: "customer", Value: convCustomer}, {Level: "team", Value: "payments"}}
	first.AgentModel = "gpt-4o"
	first.AgentContextWindow = 128000
	got := record(t, client, first)

	body := sentBody(t, recordPath)
	want := map[string]interface{}{"conversation_id": conv, "role": "user", "content": "Any update on my refund?",
		"user_id": "go-conv-user", "customer_id": convCustomer, "session_id": "go-session-1"}
	for key, value := range want {
		if body[key] != value {
			t.Errorf("%s: sent %#v, want %#v", key, body[key], value)
		}
	}
	if m := fmt.Sprint(body["metadata"]); m != "map[agent_context_window:128000 agent_model:gpt-4o channel:web]" {
		t.Errorf("metadata sent %s", m)
	}
	if s := fmt.Sprint(body["scope"]); s != "map[customer:go-acme team:payments]" {
		t.Errorf("scope sent %s", s)
	}
	if got.MessageID == nil || len(*got.MessageID) != 36 || str(got.ConversationID) != conv ||
		str(got.SessionID) != "go-session-1" || num(got.ConversationMessageCount) != 1 {
		t.Fatalf("%+v", got)
	}
	if at := got.RecordedAt; at == nil || at.Location() != time.UTC || at.Before(before.Add(-time.Minute)) ||
		at.After(time.Now().Add(time.Minute)) {
		t.Fatalf("recorded at %v", at)
	}

	// The defaults: no session (the service makes one), {} as metadata.
	ids := []string{*got.MessageID}
	for i, m := range []synap.Message{say(conv, synap.RoleAssistant, "It is on its way."), say(conv, synap.RoleUser, "")} {
		r := record(t, client, m)
		ids = append(ids, str(r.MessageID))
		if num(r.ConversationMessageCount) != int64(i+2) || r.SessionID == nil {
			t.Fatalf("%d: %+v", i, r)
		}
	}
	body = sentBody(t, recordPath)
	if _, has := body["session_id"]; has || fmt.Sprint(body["metadata"]) != "map[]" || body["content"] != "" ||
		body["scope"] != nil {
		t.Fatalf("sent %v", body)
	}

	list := messages(t, client, conv)
	if want := []string{"Any update on my refund?", "It is on its way.", ""}; !reflect.DeepEqual(contents(list), want) {
		t.Fatalf("%q", contents(list))
	}
	for i, m := range list {
		if num(m.Position) != int64(i+1) || str(m.MessageID) != ids[i] || m.Timestamp == nil ||
			str(m.Role) != []string{"user", "assistant", "user"}[i] {
			t.Fatalf("%d: %+v", i, m)
		}
	}
}

func TestRecordMessagesWithOneRefused(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	refused := say(conv, synap.RoleUser, "I have no customer.")
	refused.CustomerID = ""
	// A message without a user takes its conversation's.
	noUser := synap.Message{ConversationID: conv, Role: synap.RoleAssistant, Content: "Your refund is on its way."}
	batch, err := client.RecordMessages(context.Background(), []synap.Message{
		say(conv, synap.RoleUser, "Any update on my refund?"), refused, noUser})
	if err != nil {
		t.Fatal(err)
	}
	if num(batch.Total) != 3 || num(batch.Succeeded) != 2 || num(batch.Failed) != 1 || len(batch.Results) != 2 ||
		len(batch.Errors) != 1 {
		t.Fatalf("%+v", batch)
	}
	for i, r := range batch.Results {
		if r.MessageID == nil || str(r.ConversationID) != conv || num(r.ConversationMessageCount) != int64(i+1) {
			t.Fatalf("%d: %+v", i, r)
		}
	}
	if e := batch.Errors[0]; num(e.Index) != 1 || !strings.Contains(str(e.Message), "customer_id") {
		t.Fatalf("%+v %s", e, str(e.Message))
	}
	if sent := sentBody(t, recordBatch)["messages"].([]interface{}); len(sent) != 3 {
		t.Fatalf("sent %v", sent)
	}
	if got := contents(messages(t, client, conv)); !reflect.DeepEqual(got, []string{"Any update on my refund?", "Your refund is on its way."}) {
		t.Fatalf("%q", got)
	}
}

func TestIngestTranscriptTextThenDuplicateThenConflict(t *testing.T) {
	client := newClient(t)
	fastCreates(t)
	external := "go-call-" + newUUID(t)
	transcript := synap.Transcript{
		ConversationID:   external,
		UserID:           "+14155550123",
		CustomerID:       convCustomer,
		Text:             "User: I want a refund for order 8812.\nAssistant: I will refund it today.",
		ConversationType: "voice",
		Analysis:         json.RawMessage(`{"sentiment":"negative"}`),
		Metadata:         json.RawMessage(`{"line":"support"}`),
		StartedAt:        time.Date(2025, 1, 15, 10, 0, 0, 0, time.UTC),
		EndedAt:          time.Date(2025, 1, 15, 10, 6, 41, 0, time.UTC),
		ScopePath:        []synap.ScopeLevel{{Level: "customer", Value: convCustomer}},
	}
	first, err := client.IngestTranscript(context.Background(), transcript)
	if err != nil {
		t.Fatal(err)
	}
	conv := str(first.ConversationID)
	if len(conv) != 36 || str(first.ExternalConversationID) != external || first.IngestionID == nil ||
		str(first.Status) != synap.TranscriptQueued || num(first.TurnsRecorded) != 2 ||
		str(first.SummaryStatus) != "in_progress" || first.QueuedAt == nil || first.Warnings == nil {
		t.Fatalf("%+v", first)
	}
	body := sentBody(t, ingestPath)
	want := map[string]interface{}{"conversation_id": external, "user_id": "+14155550123", "customer_id": convCustomer,
		"transcript": transcript.Text, "conversation_type": "voice", "started_at": "2025-01-15T10:00:00.000000Z",
		"ended_at": "2025-01-15T10:06:41.000000Z"}
	for key, value := range want {
		if key == "started_at" || key == "ended_at" {
			at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(body[key]))
			if wantAt, _ := time.Parse(time.RFC3339Nano, value.(string)); err != nil || !at.Equal(wantAt) {
				t.Errorf("%s: sent %v", key, body[key])
			}
		} else if body[key] != value {
			t.Errorf("%s: sent %#v, want %#v", key, body[key], value)
		}
	}
	if fmt.Sprint(body["analysis"], body["metadata"], body["scope"]) != "map[sentiment:negative] map[line:support] map[customer:go-acme]" {
		t.Errorf("sent %v", body)
	}

	status, err := client.Wait(context.Background(), *first.IngestionID,
		synap.WithPollInterval(20*time.Millisecond), synap.WithWaitTimeout(10*time.Second))
	if err != nil || status.State != synap.StateCompleted {
		t.Fatalf("%+v %v", status, err)
	}
	list := messages(t, client, conv)
	if len(list) != 2 || str(list[0].Role) != "user" || str(list[1].Role) != "assistant" ||
		str(list[1].Content) != "I will refund it today." {
		t.Fatalf("%+v", list)
	}

	again, err := client.IngestTranscript(context.Background(), transcript)
	if err != nil || str(again.Status) != synap.TranscriptDuplicate || str(again.IngestionID) != *first.IngestionID ||
		str(again.ConversationID) != conv {
		t.Fatalf("%+v %v", again, err)
	}
	transcript.Text += "\nUser: And a voucher."
	_, err = client.IngestTranscript(context.Background(), transcript)
	if e := asError(t, err, synap.ErrConflict); e.HTTPStatus != 409 || e.CorrelationID == "" {
		t.Fatalf("%#v", e)
	}
	if got := len(messages(t, client, conv)); got != 2 {
		t.Fatalf("%d messages after the duplicate and the conflict", got)
	}
}

func TestIngestTranscriptTurns(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t) // a UUID stays itself
	said := time.Date(2025, 1, 15, 10, 0, 4, 250000000, time.FixedZone("CET", 3600))
	got, err := client.IngestTranscript(context.Background(), synap.Transcript{
		ConversationID: conv, UserID: "go-turns", CustomerID: convCustomer,
		Turns: []synap.TranscriptTurn{
			{Role: synap.RoleUser, Content: "I want a refund.", Speaker: "Caller", Timestamp: said},
			{Role: synap.RoleAssistant, Content: "I will refund it.", Timestamp: said.Add(3 * time.Second)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if str(got.ConversationID) != conv || num(got.TurnsRecorded) != 2 || str(got.Status) != synap.TranscriptQueued {
		t.Fatalf("%+v", got)
	}
	turns := sentBody(t, ingestPath)["transcript"].([]interface{})
	if len(turns) != 2 {
		t.Fatalf("sent %v", turns)
	}
	firstTurn, second := turns[0].(map[string]interface{}), turns[1].(map[string]interface{})
	at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(firstTurn["timestamp"]))
	if err != nil || !at.Equal(said) || firstTurn["speaker"] != "Caller" || firstTurn["role"] != "user" ||
		second["speaker"] != nil || second["content"] != "I will refund it." {
		t.Fatalf("sent %v", turns)
	}
	list := messages(t, client, conv)
	if len(list) != 2 || list[0].Timestamp == nil || !list[0].Timestamp.Equal(said) ||
		list[1].Timestamp == nil || !list[1].Timestamp.Equal(said.Add(3*time.Second)) {
		t.Fatalf("%+v", list)
	}
}

func TestMessagesPages(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	const total = synap.MaxMessagesPage + 3
	batch := make([]synap.Message, total)
	batch[0] = say(conv, synap.RoleUser, "m1")
	for i := 1; i < total; i++ {
		batch[i] = synap.Message{ConversationID: conv, Role: synap.RoleAssistant, Content: "m" + strconv.Itoa(i+1)}
	}
	if got, err := client.RecordMessages(context.Background(), batch); err != nil || num(got.Succeeded) != total {
		t.Fatalf("%+v %v", got, err)
	}

	page := func(start, limit int) []synap.ConversationMessage {
		t.Helper()
		got, err := client.Messages(context.Background(), conv, start, limit)
		if err != nil {
			t.Fatalf("Messages(%d, %d): %v", start, limit, err)
		}
		return got
	}
	if got := contents(page(1, 2)); !reflect.DeepEqual(got, []string{"m1", "m2"}) {
		t.Fatalf("%q", got)
	}
	if got := page(3, 2); !reflect.DeepEqual(contents(got), []string{"m3", "m4"}) || num(got[0].Position) != 3 {
		t.Fatalf("%+v", got)
	}
	if got := contents(page(total-1, 5)); !reflect.DeepEqual(got, []string{"m" + strconv.Itoa(total-1), "m" + strconv.Itoa(total)}) {
		t.Fatalf("the last page %q", got)
	}
	if got := page(total+1, 5); got == nil || len(got) != 0 {
		t.Fatalf("past the end: %+v", got)
	}
	if last := sent(t, "/v1/conversations/"+conv+"/messages"); last[len(last)-1]["query"] != "start="+strconv.Itoa(total+1)+"&limit=5" {
		t.Fatalf("query %v", last[len(last)-1]["query"])
	}

	before := len(sent(t, "/v1/conversations/"+conv+"/messages"))
	all := messages(t, client, conv)
	requests := sent(t, "/v1/conversations/"+conv+"/messages")[before:]
	if len(all) != total || str(all[total-1].Content) != "m"+strconv.Itoa(total) || len(requests) != 2 ||
		requests[0]["query"] != "start=1&limit=500" || requests[1]["query"] != "start=501&limit=500" {
		t.Fatalf("%d messages in %v", len(all), requests)
	}
	for i, m := range all {
		if num(m.Position) != int64(i+1) {
			t.Fatalf("%d: %+v", i, m)
		}
	}
	if none := messages(t, client, newUUID(t)); none == nil || len(none) != 0 {
		t.Fatalf("a conversation never seen: %+v", none)
	}
}

// compactionCompleted polls the conversation's compaction status until it
// is completed.
func compactionCompleted(t *testing.T, client *synap.Client, conv string) *synap.CompactionStatus {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, err := client.CompactionStatus(context.Background(), conv)
		if err != nil {
			t.Fatal(err)
		}
		if str(status.Status) == synap.CompactionCompleted {
			return status
		}
		if str(status.Status) != synap.CompactionInProgress || time.Now().After(deadline) {
			t.Fatalf("%+v", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCompactThenReadTheCompactedStateAndThePrompt(t *testing.T) {
	client := newClient(t)
	post(t, "/_emulator/config", map[string]interface{}{"compaction_done_after_ms": 1000})
	t.Cleanup(func() { post(t, "/_emulator/config", map[string]interface{}{"compaction_done_after_ms": 1500}) })
	conv := newUUID(t)
	for _, m := range []synap.Message{
		say(conv, synap.RoleUser, "My order 8812 arrived damaged. I prefer a refund to a replacement."),
		say(conv, synap.RoleAssistant, "I will refund order 8812 today."),
		say(conv, synap.RoleUser, "Thank you very much."),
	} {
		record(t, client, m)
	}

	if got, err := client.Compacted(context.Background(), conv, synap.CompactedOptions{}); got != nil || err != nil {
		t.Fatalf("before any compaction: %+v %v", got, err)
	}
	if last := sent(t, "/v1/conversations/"+conv+"/compacted"); last[len(last)-1]["query"] != "format=structured" {
		t.Fatalf("query %v", last[len(last)-1]["query"])
	}
	status, err := client.CompactionStatus(context.Background(), strings.ToUpper(conv))
	if err != nil || str(status.ConversationID) != conv || str(status.Status) != "none" || status.CompactionID != nil ||
		status.LatestVersion != nil {
		t.Fatalf("%+v %v", status, err)
	}

	started := time.Now()
	compaction, err := client.Compact(context.Background(), conv, synap.CompactOptions{Strategy: synap.StrategyBalanced})
	if err != nil {
		t.Fatal(err)
	}
	if compaction.CompactionID == nil || str(compaction.ConversationID) != conv ||
		str(compaction.Status) != synap.CompactionInProgress || str(compaction.TriggerType) != "manual_api" ||
		compaction.InitiatedAt == nil || compaction.InitiatedAt.Before(started.Add(-time.Minute)) ||
		num(compaction.EstimatedCompletionSeconds) != 1 || compaction.PreviousCompactionID != nil {
		t.Fatalf("%+v", compaction)
	}
	body := sentBody(t, compactPath)
	if len(body) != 4 || body["conversation_id"] != conv || body["strategy"] != "balanced" || body["target_tokens"] != nil ||
		body["force"] != false {
		t.Fatalf("sent %v", body)
	}
	_, err = client.Compact(context.Background(), conv, synap.CompactOptions{Force: true, TargetTokens: 50})
	if e := asError(t, err, synap.ErrConflict); e.HTTPStatus != 409 {
		t.Fatalf("%#v", e)
	}
	if body := sentBody(t, compactPath); body["force"] != true || body["target_tokens"] != 50.0 || body["strategy"] != nil {
		t.Fatalf("sent %v", body)
	}

	status = compactionCompleted(t, client, conv)
	if str(status.CompactionID) != *compaction.CompactionID || num(status.LatestVersion) != 1 || status.CompletedAt == nil ||
		status.CompressionRatio == nil || status.ValidationScore == nil || status.EstimatedCompletionSeconds != nil ||
		status.ErrorMessage != nil {
		t.Fatalf("%+v", status)
	}

	got, err := client.Compacted(context.Background(), conv, synap.CompactedOptions{})
	if err != nil || got == nil {
		t.Fatalf("%+v %v", got, err)
	}
	if str(got.CompactionID) != *compaction.CompactionID || str(got.StrategyUsed) != "balanced" ||
		!strings.HasPrefix(str(got.FormattedContext), "## Conversation so far (compacted, 3 messages)\nMy order 8812 arrived damaged.") ||
		got.ValidationPassed == nil || !*got.ValidationPassed || got.QualityWarning == nil || *got.QualityWarning ||
		num(got.TTLSeconds) != 300 || got.CompressionRatio == nil || num(got.OriginalTokenCount) <= num(got.CompactedTokenCount) {
		t.Fatalf("%+v %s", got, str(got.FormattedContext))
	}
	var facts, decisions []map[string]interface{}
	if json.Unmarshal(got.Facts, &facts) != nil || json.Unmarshal(got.Decisions, &decisions) != nil || len(facts) == 0 ||
		len(decisions) != 1 || decisions[0]["content"] != "I will refund order 8812 today." || got.Preferences == nil {
		t.Fatalf("facts %s, decisions %s, preferences %s", got.Facts, got.Decisions, got.Preferences)
	}
	if !jsonEqual(t, got.CurrentState, `{"messages_covered":3,"last_speaker":"user","last_user_message":"Thank you very much."}`) ||
		!strings.Contains(string(got.RawJSON), `"version":1`) {
		t.Fatalf("%s %s", got.CurrentState, got.RawJSON)
	}
	narrative, err := client.Compacted(context.Background(), conv, synap.CompactedOptions{Format: synap.CompactedNarrative, Version: 1})
	if err != nil || !strings.HasPrefix(str(narrative.FormattedContext), "So far in this conversation (3 messages): ") {
		t.Fatalf("%+v %v", narrative, err)
	}
	if last := sent(t, "/v1/conversations/"+conv+"/compacted"); last[len(last)-1]["query"] != "format=narrative&version=1" {
		t.Fatalf("query %v", last[len(last)-1]["query"])
	}
	if none, err := client.Compacted(context.Background(), conv, synap.CompactedOptions{Version: 2}); none != nil || err != nil {
		t.Fatalf("a version not made yet: %+v %v", none, err)
	}

	// The turns after the cut-off follow the compacted summary.
	record(t, client, say(conv, synap.RoleUser, "When will I see the money?"))
	record(t, client, say(conv, synap.RoleAssistant, "Within five days."))
	p, err := client.PromptContext(context.Background(), conv, "")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Available || str(p.CompactionID) != *compaction.CompactionID || p.CompactedMessageCount != 3 ||
		p.TotalMessageCount != 5 || p.RecentMessageCount != 2 || len(p.RecentMessages) != 2 ||
		str(p.RecentMessages[0].Content) != "When will I see the money?" || str(p.RecentMessages[1].Content) != "Within five days." {
		t.Fatalf("%+v", p)
	}
	text := str(p.FormattedContext)
	block := strings.Index(text, "## Conversation so far (compacted, 3 messages)")
	later := strings.Index(text, "When will I see the money?")
	if block < 0 || later < block || !strings.Contains(text, "Within five days.") || strings.Contains(text, "Thank you very much.") ||
		!strings.HasPrefix(str(p.ContextBlock), "## Conversation so far (compacted, 3 messages)") {
		t.Fatalf("%q", text)
	}
	if status, err := client.CompactionStatus(context.Background(), conv); err != nil || str(status.Status) != "stale" {
		t.Fatalf("after later messages: %+v %v", status, err)
	}
}

func TestRefusedConversationValuesSendNothing(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	ok := say(conv, synap.RoleUser, "hello")
	with := func(change func(*synap.Message)) synap.Message {
		m := ok
		change(&m)
		return m
	}
	turns := []synap.TranscriptTurn{{Role: synap.RoleUser, Content: "hello"}}
	transcript := synap.Transcript{ConversationID: "call-1", UserID: "u", CustomerID: convCustomer, Turns: turns}
	withTranscript := func(change func(*synap.Transcript)) synap.Transcript {
		tr := transcript
		change(&tr)
		return tr
	}
	bg := context.Background()
	cases := []struct {
		call func() error
		want string
	}{
		{func() error {
			_, err := client.RecordMessage(bg, with(func(m *synap.Message) { m.UserID = "" }))
			return err
		}, "user_id"},
		{func() error {
			_, err := client.RecordMessage(bg, with(func(m *synap.Message) { m.ConversationID = "call-1" }))
			return err
		}, "conversation_id"},
		{func() error {
			_, err := client.RecordMessage(bg, with(func(m *synap.Message) { m.Role = "system" }))
			return err
		}, "system"},
		{func() error {
			_, err := client.RecordMessage(bg, with(func(m *synap.Message) { m.Role = "" }))
			return err
		}, "role"},
		{func() error {
			_, err := client.RecordMessage(bg, with(func(m *synap.Message) { m.Metadata = json.RawMessage(`[1]`) }))
			return err
		}, "metadata"},
		{func() error {
			_, err := client.RecordMessage(bg, with(func(m *synap.Message) { m.Content = "a\x00b" }))
			return err
		}, "Content contains a NUL byte"},
		{func() error {
			_, err := client.RecordMessage(bg, with(func(m *synap.Message) { m.ScopePath = []synap.ScopeLevel{{Level: "\x00"}} }))
			return err
		}, "ScopePath[0] contains a NUL byte"},
		{func() error { _, err := client.RecordMessages(bg, nil); return err }, "at least one message"},
		{func() error {
			_, err := client.RecordMessages(bg, []synap.Message{ok, with(func(m *synap.Message) { m.Role = "system" })})
			return err
		}, "messages[1]: "},
		{func() error {
			_, err := client.RecordMessages(bg, []synap.Message{ok, with(func(m *synap.Message) { m.AgentModel = "\x00" })})
			return err
		}, "messages[1]: AgentModel contains a NUL byte"},
		{func() error {
			_, err := client.IngestTranscript(bg, withTranscript(func(tr *synap.Transcript) { tr.Text = "User: hi" }))
			return err
		}, "both Text and Turns"},
		{func() error {
			_, err := client.IngestTranscript(bg, withTranscript(func(tr *synap.Transcript) { tr.Turns = nil }))
			return err
		}, "transcript"},
		{func() error {
			_, err := client.IngestTranscript(bg, withTranscript(func(tr *synap.Transcript) { tr.UserID = "" }))
			return err
		}, "user_id"},
		{func() error {
			_, err := client.IngestTranscript(bg, withTranscript(func(tr *synap.Transcript) {
				tr.Turns = []synap.TranscriptTurn{turns[0], {Role: "system", Content: "x"}}
			}))
			return err
		}, "system"},
		{func() error {
			_, err := client.IngestTranscript(bg, withTranscript(func(tr *synap.Transcript) {
				tr.Turns = []synap.TranscriptTurn{turns[0], {Role: synap.RoleUser, Speaker: "\x00"}}
			}))
			return err
		}, "Turns[1].Speaker contains a NUL byte"},
		{func() error {
			_, err := client.IngestTranscript(bg, withTranscript(func(tr *synap.Transcript) {
				tr.StartedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
			}))
			return err
		}, "StartedAt must be in the years 1 to 9999"},
		{func() error { _, err := client.Messages(bg, "call-1", 1, 10); return err }, "conversation_id"},
		{func() error { _, err := client.Messages(bg, conv, 0, 10); return err }, "start"},
		{func() error { _, err := client.Messages(bg, conv, -1, 10); return err }, "start"},
		{func() error { _, err := client.Messages(bg, conv, 1, 0); return err }, "limit"},
		{func() error { _, err := client.Messages(bg, conv, 1, synap.MaxMessagesPage+1); return err }, "limit"},
		{func() error { _, err := client.Messages(bg, conv+"\x00", 1, 10); return err }, "NUL"},
		{func() error { _, err := client.AllMessages(bg, "call-1"); return err }, "conversation_id"},
		{func() error { _, err := client.Compact(bg, "call-1", synap.CompactOptions{}); return err }, "conversation_id"},
		{func() error { _, err := client.Compact(bg, conv, synap.CompactOptions{Strategy: "gentle"}); return err }, "gentle"},
		{func() error {
			_, err := client.Compacted(bg, conv, synap.CompactedOptions{Format: "bullet_points"})
			return err
		}, "bullet_points"},
		{func() error { _, err := client.Compacted(bg, "call-1", synap.CompactedOptions{}); return err }, "conversation_id"},
		{func() error { _, err := client.CompactionStatus(bg, "call-1"); return err }, "conversation_id"},
		{func() error { _, err := client.CompactionStatus(bg, conv+"\x00"); return err }, "NUL"},
	}
	before := len(sentAll(t))
	for i, c := range cases {
		e := asError(t, c.call(), synap.ErrInvalidArgument)
		if !strings.Contains(e.Message, c.want) || e.HTTPStatus != 0 || e.CorrelationID != "" {
			t.Errorf("%d: %#v, want %q", i, e, c.want)
		}
	}

	// A context already ended sends nothing either.
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for i, call := range []func() error{
		func() error { _, err := client.RecordMessage(ended, ok); return err },
		func() error { _, err := client.RecordMessages(ended, []synap.Message{ok}); return err },
		func() error { _, err := client.IngestTranscript(ended, transcript); return err },
		func() error { _, err := client.Messages(ended, conv, 1, 10); return err },
		func() error { _, err := client.AllMessages(ended, conv); return err },
		func() error { _, err := client.Compact(ended, conv, synap.CompactOptions{}); return err },
		func() error { _, err := client.Compacted(ended, conv, synap.CompactedOptions{}); return err },
		func() error { _, err := client.CompactionStatus(ended, conv); return err },
	} {
		if err := call(); !errors.Is(err, synap.ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Errorf("%d: %v", i, err)
		}
	}
	if after := len(sentAll(t)); after != before {
		t.Fatalf("%d requests sent", after-before)
	}
}

func TestConversationCallsAfterClose(t *testing.T) {
	client := newClient(t)
	client.Close()
	conv := newUUID(t)
	bg := context.Background()
	for i, call := range []func() error{
		func() error { _, err := client.RecordMessage(bg, say(conv, synap.RoleUser, "hi")); return err },
		func() error {
			_, err := client.RecordMessages(bg, []synap.Message{say(conv, synap.RoleUser, "hi")})
			return err
		},
		func() error {
			_, err := client.IngestTranscript(bg, synap.Transcript{ConversationID: "c", UserID: "u", Text: "User: hi"})
			return err
		},
		func() error { _, err := client.Messages(bg, conv, 1, 10); return err },
		func() error { _, err := client.AllMessages(bg, conv); return err },
		func() error { _, err := client.Compact(bg, conv, synap.CompactOptions{}); return err },
		func() error { _, err := client.Compacted(bg, conv, synap.CompactedOptions{}); return err },
		func() error { _, err := client.CompactionStatus(bg, conv); return err },
	} {
		if err := call(); err != synap.ErrClosed {
			t.Errorf("%d: got %v", i, err)
		}
	}
}

// A write the service may have applied is never sent again, whatever the
// client's attempts; one that certainly was not (503) is.
func TestConversationWritesAreSentOnceUnlessNothingHappened(t *testing.T) {
	client := newClient(t, synap.WithMaxAttempts(3), synap.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	conv := newUUID(t)
	count := func(path string) int { return len(sent(t, path)) }
	stored := func() int { return len(messages(t, client, conv)) }

	before := count(recordPath)
	faultPath(t, recordPath, 1, map[string]interface{}{"kind": "respond", "status": 500, "body": `{"detail":"boom"}`})
	_, err := client.RecordMessage(context.Background(), say(conv, synap.RoleUser, "first"))
	if e := asError(t, err, synap.ErrServer); e.HTTPStatus != 500 || count(recordPath) != before+1 {
		t.Fatalf("%#v, %d requests", e, count(recordPath)-before)
	}

	// Recorded, but the answer never came: not sent again, stored once.
	before = count(recordPath)
	faultPath(t, recordPath, 1, map[string]interface{}{"kind": "handle_then_drop"})
	_, err = client.RecordMessage(context.Background(), say(conv, synap.RoleUser, "second"))
	if !errors.Is(err, synap.ErrNetwork) || count(recordPath) != before+1 {
		t.Fatalf("%v, %d requests", err, count(recordPath)-before)
	}
	if got := contents(messages(t, client, conv)); !reflect.DeepEqual(got, []string{"second"}) {
		t.Fatalf("%q", got)
	}

	before = count(recordPath)
	faultPath(t, recordPath, 1, map[string]interface{}{"kind": "respond", "status": 503, "body": "{}"})
	got, err := client.RecordMessage(context.Background(), say(conv, synap.RoleUser, "third"))
	if err != nil || num(got.ConversationMessageCount) != 2 || count(recordPath) != before+2 {
		t.Fatalf("%+v %v, %d requests", got, err, count(recordPath)-before)
	}
	if stored() != 2 {
		t.Fatalf("%d stored", stored())
	}

	// The other writes, after a 500 and after a dropped connection.
	writes := map[string]func() error{
		recordBatch: func() error {
			_, err := client.RecordMessages(context.Background(), []synap.Message{say(conv, synap.RoleUser, "batch")})
			return err
		},
		ingestPath: func() error {
			_, err := client.IngestTranscript(context.Background(), synap.Transcript{
				ConversationID: "go-once-" + newUUID(t), UserID: "u", CustomerID: convCustomer, Text: "User: hi"})
			return err
		},
		compactPath: func() error {
			_, err := client.Compact(context.Background(), conv, synap.CompactOptions{})
			return err
		},
	}
	for path, write := range writes {
		for _, f := range []map[string]interface{}{{"kind": "respond", "status": 502, "body": "{}"}, {"kind": "drop"}} {
			before := count(path)
			faultPath(t, path, 1, f)
			if err := write(); err == nil || count(path) != before+1 {
				t.Fatalf("%s after %v: %v, %d requests", path, f, err, count(path)-before)
			}
		}
	}
	if stored() != 2 {
		t.Fatalf("%d stored", stored())
	}
}

func TestGoroutinesRecordIntoOneConversation(t *testing.T) {
	const goroutines, each = 8, 12
	client := newClient(t)
	conv := newUUID(t)
	before := len(sent(t, recordPath))
	var wg sync.WaitGroup
	failures := make(chan string, goroutines*each)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				role := synap.RoleUser
				if i%2 == 1 {
					role = synap.RoleAssistant
				}
				if _, err := client.RecordMessage(context.Background(), say(conv, role, fmt.Sprintf("g%d-%d", g, i))); err != nil {
					failures <- fmt.Sprintf("%d/%d: %v", g, i, err)
				}
			}
		}(g)
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if n := len(sent(t, recordPath)) - before; n != goroutines*each {
		t.Fatalf("%d requests for %d messages", n, goroutines*each)
	}
	list := messages(t, client, conv)
	if len(list) != goroutines*each {
		t.Fatalf("%d messages stored", len(list))
	}
	next := make([]int, goroutines)
	for i, m := range list {
		var g, n int
		if _, err := fmt.Sscanf(str(m.Content), "g%d-%d", &g, &n); err != nil || g < 0 || g >= goroutines {
			t.Fatalf("%d: %q", i, str(m.Content))
		}
		if n != next[g] {
			t.Fatalf("goroutine %d's message %d came when %d was due", g, n, next[g])
		}
		next[g]++
		if num(m.Position) != int64(i+1) {
			t.Fatalf("%d: %+v", i, m)
		}
	}
}
