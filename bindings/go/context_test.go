package synap_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

const (
	decafDoc   = "User: I switched to decaf after 3pm. I love dark roast in the morning."
	decafQuery = "what does the user drink after 3pm?"
	decafText  = "I switched to decaf after 3pm."
	teaText    = "I drink green tea at lunch."
	userFetch  = "/v1/context/user/fetch"
)

// newUUID is a random version-4 UUID, so that each test has conversations
// of its own.
func newUUID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// remember creates a document and waits until its memories are made.
func remember(t *testing.T, client *synap.Client, req synap.CreateRequest) {
	t.Helper()
	fastCreates(t)
	if req.DocumentID == "" {
		req.DocumentID = docID("go-context")
	}
	if req.CustomerID == "" {
		req.CustomerID = "go-acme" // the emulator is B2B: a user belongs to a customer
	}
	ingestion, err := client.Create(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	status, err := client.Wait(context.Background(), ingestion.IngestionID,
		synap.WithPollInterval(20*time.Millisecond), synap.WithWaitTimeout(10*time.Second))
	if err != nil || status.State != synap.StateCompleted {
		t.Fatalf("%+v %v", status, err)
	}
}

// written is when the decaf document was written.
var written = time.Date(2025, 1, 15, 10, 29, 58, 0, time.UTC)

// coffeeUser is a user who remembers the decaf document and a green tea
// fact, whose documents belong to the conversation conv when it is not "".
func coffeeUser(t *testing.T, client *synap.Client, user, conv string) {
	t.Helper()
	remember(t, client, synap.CreateRequest{Text: decafDoc + "\nAssistant: Noted.",
		UserID: user, DocumentID: conv, DocumentCreatedAt: written})
	remember(t, client, synap.CreateRequest{Text: "User: " + teaText, UserID: user})
}

func fetch(t *testing.T, client *synap.Client, req synap.ContextRequest) *synap.Context {
	t.Helper()
	got, err := client.FetchContext(context.Background(), req)
	if err != nil {
		t.Fatalf("FetchContext(%+v): %v", req, err)
	}
	return got
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func texts(items []synap.ContextItem) []string {
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = str(item.Text)
	}
	return out
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t *testing.T, got json.RawMessage, want string) bool {
	t.Helper()
	var a, b interface{}
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &b); err != nil {
		t.Fatalf("%q: %v", want, err)
	}
	return reflect.DeepEqual(a, b)
}

func TestFetchContextRanksTheDecafPreferenceFirst(t *testing.T) {
	client := newClient(t)
	user := "go-ranked-" + newUUID(t)
	before := time.Now()
	coffeeUser(t, client, user, "")
	got := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user,
		Queries: []string{decafQuery}, ResponseShape: synap.ShapeRanked})
	if want := []string{decafText, teaText}; !reflect.DeepEqual(texts(got.Ranked), want) {
		t.Fatalf("ranked %q, want %q", texts(got.Ranked), want)
	}
	first, second := got.Ranked[0], got.Ranked[1]
	if str(first.Kind) != "preferences" || str(second.Kind) != "facts" {
		t.Fatalf("kinds %s %s", str(first.Kind), str(second.Kind))
	}
	if first.Score == nil || *first.Score <= 0 || *first.Score > 1 {
		t.Fatalf("score %v", first.Score)
	}
	if first.Rank == nil || *first.Rank != 1 || second.Rank == nil || *second.Rank != 2 {
		t.Fatalf("ranks %v %v", first.Rank, second.Rank)
	}
	if first.RankScore == nil || second.RankScore == nil || !(*first.RankScore > *second.RankScore) {
		t.Fatalf("rank scores %v %v", first.RankScore, second.RankScore)
	}
	if !reflect.DeepEqual(first.MatchedQueries, []string{decafQuery}) {
		t.Fatalf("matched %q", first.MatchedQueries)
	}
	at := first.Time
	if at == nil || at.Location() != time.UTC || at.Before(before.Add(-time.Second)) || at.After(time.Now()) {
		t.Fatalf("time %v (test began %v)", at, before)
	}
	if first.SaidAt == nil || !first.SaidAt.Equal(written) || first.SaidAt.Location() != time.UTC {
		t.Fatalf("said at %v, want %v", first.SaidAt, written)
	}
	if first.ID == nil || len(*first.ID) != 36 || str(first.Source) != "conversation" ||
		str(first.TemporalCategory) == "<nil>" || first.TemporalConfidence == nil {
		t.Fatalf("%+v", first)
	}
	if first.EventDate != nil || first.EventEnd != nil || first.ValidUntil != nil || first.EventPrecision != nil {
		t.Fatalf("the window is null on the wire: %+v", first)
	}
	if !reflect.DeepEqual(first.SourceEvidence, []string{decafText}) || first.Participants == nil ||
		len(first.Participants) != 0 {
		t.Fatalf("evidence %q participants %q", first.SourceEvidence, first.Participants)
	}
	var metadata struct {
		RankScore float64 `json:"rank_score"`
	}
	if err := json.Unmarshal(first.Metadata, &metadata); err != nil || metadata.RankScore != *first.RankScore {
		t.Fatalf("metadata %s: %v", first.Metadata, err)
	}
	// The typed lists are views of the ranked one.
	if !reflect.DeepEqual(texts(got.Preferences), []string{decafText}) || !reflect.DeepEqual(texts(got.Facts), []string{teaText}) {
		t.Fatalf("preferences %q facts %q", texts(got.Preferences), texts(got.Facts))
	}
	if got.Excerpts == nil || len(got.Excerpts) != 0 || got.Episodes == nil || got.Conversations == nil {
		t.Fatalf("empty lists are not nil: %+v", got)
	}
	if got.Source != synap.SourceCloud || got.TTLSeconds != 300 || !strings.HasPrefix(got.CorrelationID, "syn__") ||
		got.Retrieval != nil || got.Profile != nil || got.Conversation != nil {
		t.Fatalf("%+v", got)
	}
	if got.RetrievedAt.Location() != time.UTC || got.RetrievedAt.Before(before) || got.RetrievedAt.After(time.Now()) {
		t.Fatalf("retrieved at %v", got.RetrievedAt)
	}
	var raw map[string]interface{}
	if err := json.Unmarshal(got.RawJSON, &raw); err != nil || raw["context"] == nil {
		t.Fatalf("raw %s: %v", got.RawJSON, err)
	}
	body := sentBody(t, userFetch)
	if body["user_id"] != user || body["response_shape"] != "ranked" ||
		!reflect.DeepEqual(body["search_query"], []interface{}{decafQuery}) {
		t.Fatalf("sent %v", body)
	}
}

func TestFetchContextByTypeAndTypesFilter(t *testing.T) {
	client := newClient(t)
	user := "go-by-type-" + newUUID(t)
	coffeeUser(t, client, user, "")
	got := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user, Queries: []string{decafQuery}})
	if !reflect.DeepEqual(texts(got.Preferences), []string{decafText}) || !reflect.DeepEqual(texts(got.Facts), []string{teaText}) {
		t.Fatalf("preferences %q facts %q", texts(got.Preferences), texts(got.Facts))
	}
	if len(got.Ranked) != 0 || len(got.Excerpts) != 0 || len(got.Episodes) != 0 || len(got.Emotions) != 0 ||
		len(got.TemporalEvents) != 0 {
		t.Fatalf("%+v", got)
	}
	pref := got.Preferences[0]
	if str(pref.Kind) != "preferences" || pref.Rank != nil || pref.RankScore == nil || pref.Score == nil {
		t.Fatalf("%+v", pref)
	}
	if str(got.Facts[0].Kind) != "facts" || !reflect.DeepEqual(got.Facts[0].MatchedQueries, []string{decafQuery}) {
		t.Fatalf("%+v", got.Facts[0])
	}

	facts := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user, Queries: []string{decafQuery},
		Types: []synap.ContextType{synap.ContextFacts}})
	if !reflect.DeepEqual(texts(facts.Facts), []string{teaText}) || len(facts.Preferences) != 0 {
		t.Fatalf("facts %q preferences %q", texts(facts.Facts), texts(facts.Preferences))
	}
	if types := sentBody(t, userFetch)["types"]; !reflect.DeepEqual(types, []interface{}{"facts"}) {
		t.Fatalf("sent types %v", types)
	}
	one := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user, Queries: []string{decafQuery},
		MaxResults: 1, ResponseShape: synap.ShapeRanked})
	if !reflect.DeepEqual(texts(one.Ranked), []string{decafText}) {
		t.Fatalf("max 1: %q", texts(one.Ranked))
	}
}

func TestFetchContextSendsEveryField(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	_, err := client.FetchContext(context.Background(), synap.ContextRequest{
		Scope: synap.ScopeCustomer, CustomerID: "go-acme", UserID: "ignored-off-user-scope",
		ConversationID: strings.ToUpper(conv), Queries: []string{"decaf", "  ", "tea"}, MaxResults: 7,
		Types: []synap.ContextType{synap.ContextFacts, synap.ContextPreferences}, Mode: synap.RetrievalAccurate,
		PrecisionLevel: synap.PrecisionMedium, ResponseShape: synap.ShapeRanked, QueryDate: "2025-03-11",
		MaxResultsPerQuery: 2, ScopePath: []synap.ScopeLevel{{Level: "customer", Value: "go-acme"}, {Level: "team", Value: "pay/ments"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	body := sentBody(t, "/v1/context/customer/fetch")
	want := map[string]interface{}{
		"customer_id": "go-acme", "conversation_id": conv, "search_query": []interface{}{"decaf", "tea"},
		"max_results": 7.0, "types": []interface{}{"facts", "preferences"}, "mode": "accurate",
		"precision_level": "medium", "response_shape": "ranked", "query_date": "2025-03-11",
		"max_results_per_query": 2.0, "scope": map[string]interface{}{"customer": "go-acme", "team": "pay/ments"},
	}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("sent %v\nwant %v", body, want)
	}

	_, err = client.FetchContext(context.Background(), synap.ContextRequest{Scope: synap.ScopeClient, Queries: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	body = sentBody(t, "/v1/context/client/fetch")
	want = map[string]interface{}{"conversation_id": nil, "search_query": []interface{}{"x"}, "max_results": 10.0,
		"types": []interface{}{"all"}, "mode": "fast"}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("defaults sent %v\nwant %v", body, want)
	}
}

func TestConversationFetchAndItsState(t *testing.T) {
	client := newClient(t)
	user, conv := "go-conv-"+newUUID(t), newUUID(t)
	coffeeUser(t, client, user, conv)
	got := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeConversation, ConversationID: conv,
		Queries: []string{"decaf"}})
	if !reflect.DeepEqual(texts(got.Preferences), []string{decafText}) || got.Source != synap.SourceCloud {
		t.Fatalf("%q %s", texts(got.Preferences), got.Source)
	}
	state := got.Conversation
	if state == nil || str(state.ConversationID) != conv || state.Summary != nil || len(state.RecentTurns) != 2 {
		t.Fatalf("%+v", state)
	}
	if !jsonEqual(t, state.CurrentState, `{}`) {
		t.Fatalf("current state %s", state.CurrentState)
	}
	turn := state.RecentTurns[0]
	wantAt := time.Date(2025, 1, 15, 10, 29, 58, 0, time.UTC)
	if str(turn.Role) != "user" || str(turn.Content) != strings.TrimPrefix(decafDoc, "User: ") ||
		turn.Timestamp == nil || !turn.Timestamp.Equal(wantAt) || turn.Timestamp.Location() != time.UTC {
		t.Fatalf("%+v (%v)", turn, turn.Timestamp)
	}
	if str(state.RecentTurns[1].Role) != "assistant" {
		t.Fatalf("%+v", state.RecentTurns[1])
	}

	// Without a query: the conversation's prompt context, and no memories.
	posts := len(sent(t, "/v1/context/conversation/fetch"))
	got = fetch(t, client, synap.ContextRequest{Scope: synap.ScopeConversation, ConversationID: conv})
	if got.Source != synap.SourceConversationState || len(got.Preferences)+len(got.Facts)+len(got.Ranked) != 0 {
		t.Fatalf("%+v", got)
	}
	if got.Conversation == nil || len(got.Conversation.RecentTurns) != 2 ||
		!strings.HasPrefix(str(got.Conversation.FormattedContext), "## Recent messages\n") {
		t.Fatalf("%+v", got.Conversation)
	}
	if n := len(sent(t, "/v1/context/conversation/fetch")); n != posts {
		t.Fatalf("%d fetches sent, want none", n-posts)
	}
	prompt := sent(t, "/v1/conversations/"+conv+"/context-for-prompt")
	if len(prompt) != 1 || prompt[0]["query"] != "style=structured" {
		t.Fatalf("%v", prompt)
	}
}

func TestUserFetchWithoutAQuery(t *testing.T) {
	client := newClient(t)
	user := "go-noquery-" + newUUID(t)
	coffeeUser(t, client, user, "")
	got := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user})
	if got.Source != synap.SourceProfile || got.Profile == nil || len(got.Profile.Attributes) != 2 ||
		got.RawJSON != nil || len(got.Preferences) != 0 {
		t.Fatalf("%+v", got)
	}
	if !strings.HasPrefix(str(got.Profile.Overview), "2 preferences on record.") {
		t.Fatalf("overview %s", str(got.Profile.Overview))
	}

	// No profile: the fetch is made, newest first.
	plain := "go-noprofile-" + newUUID(t)
	remember(t, client, synap.CreateRequest{Text: "User: I live in Oslo.", UserID: plain})
	got = fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: plain, Queries: []string{" "}})
	if got.Source != synap.SourceCloud || got.Profile != nil || !reflect.DeepEqual(texts(got.Facts), []string{"I live in Oslo."}) {
		t.Fatalf("%+v", got)
	}
	if body := sentBody(t, userFetch); body["search_query"] != nil || body["user_id"] != plain {
		t.Fatalf("sent %v", body)
	}
}

func TestSummaryMode(t *testing.T) {
	client := newClient(t)
	user, conv := "go-summary-"+newUUID(t), newUUID(t)
	coffeeUser(t, client, user, conv)
	got := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user,
		Summary: &synap.SummaryMode{IncludeProfile: true, LastNConversations: 5}})
	if got.Profile == nil || len(got.Profile.Attributes) != 2 || len(got.Conversations) != 1 {
		t.Fatalf("%+v", got)
	}
	c := got.Conversations[0]
	started := time.Date(2025, 1, 15, 10, 29, 58, 0, time.UTC)
	if str(c.ConversationID) != conv || str(c.Status) != "pending" || c.MessageCount == nil || *c.MessageCount != 2 ||
		c.StartedAt == nil || !c.StartedAt.Equal(started) || c.LastMessageAt == nil ||
		!c.LastMessageAt.Equal(started.Add(time.Second)) || c.JSON == nil {
		t.Fatalf("%+v", c)
	}
	body := sentBody(t, userFetch)
	if body["context_mode"] != "conversation-summary" || body["include_profile"] != true || body["last_n_conversations"] != 5.0 {
		t.Fatalf("sent %v", body)
	}
}

func TestUserProfile(t *testing.T) {
	client := newClient(t)
	user, conv := "go-profile-"+newUUID(t), newUUID(t)
	coffeeUser(t, client, user, conv)
	profile, err := client.UserProfile(context.Background(), user, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(profile.Attributes) != 2 || profile.JSON == nil || !strings.HasPrefix(str(profile.Overview), "2 preferences") {
		t.Fatalf("%+v", profile)
	}
	var decaf *synap.ProfileAttribute
	for i := range profile.Attributes {
		if str(profile.Attributes[i].Name) == "decaf_after_3pm" {
			decaf = &profile.Attributes[i]
		}
	}
	if decaf == nil || !jsonEqual(t, decaf.Value, `"`+decafText+`"`) || decaf.Confidence == nil ||
		*decaf.Confidence <= 0 || *decaf.Confidence > 1 || decaf.UpdatedAt == nil ||
		decaf.UpdatedAt.Location() != time.UTC || str(decaf.SourceConversationID) != conv {
		t.Fatalf("%+v", profile.Attributes)
	}

	_, err = client.UserProfile(context.Background(), "go-nobody-"+newUUID(t), "")
	if e := asError(t, err, synap.ErrNotFound); e.HTTPStatus != 404 || e.CorrelationID == "" {
		t.Fatalf("%#v", e)
	}
	_, err = client.UserProfile(context.Background(), user, "go-globex")
	asError(t, err, synap.ErrNotFound)
	requests := sent(t, "/v1/users/"+user+"/profile")
	if last := requests[len(requests)-1]; last["query"] != "customer_id=go-globex" {
		t.Fatalf("%v", last)
	}
}

func TestReservedCharactersInAUserIDReachTheEmulatorIntact(t *testing.T) {
	client := newClient(t)
	user := "go/who?" + newUUID(t)[:8] + "#1 %"
	remember(t, client, synap.CreateRequest{Text: "User: I love jazz records.", UserID: user})
	profile, err := client.UserProfile(context.Background(), user, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(profile.Attributes) != 1 || !jsonEqual(t, profile.Attributes[0].Value, `"I love jazz records."`) {
		t.Fatalf("%+v", profile.Attributes)
	}
	encoded := "/v1/users/" + strings.NewReplacer("/", "%2F", "?", "%3F", "#", "%23", " ", "%20", "%", "%25").Replace(user) + "/profile"
	if n := len(sent(t, encoded)); n != 1 {
		t.Fatalf("%d requests to %s", n, encoded)
	}
	got := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user, Queries: []string{"jazz"}})
	if !reflect.DeepEqual(texts(got.Preferences), []string{"I love jazz records."}) || sentBody(t, userFetch)["user_id"] != user {
		t.Fatalf("%q", texts(got.Preferences))
	}
}

func TestPromptContextInEachStyle(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	remember(t, client, synap.CreateRequest{Text: "User: " + decafText + "\nAssistant: Noted.",
		UserID: "go-prompt", DocumentID: conv, DocumentCreatedAt: written})
	path := "/v1/conversations/" + conv + "/context-for-prompt"
	read := func(style synap.PromptStyle, query string) *synap.PromptContext {
		t.Helper()
		p, err := client.PromptContext(context.Background(), strings.ToUpper(conv), style)
		if err != nil {
			t.Fatal(err)
		}
		requests := sent(t, path)
		if last := requests[len(requests)-1]; last["query"] != query {
			t.Fatalf("%q sent %v", style, last["query"])
		}
		return p
	}
	structured := read(synap.PromptStructured, "style=structured")
	if want := "## Recent messages\n[2025-01-15T10:29:58Z] user: " + decafText; !strings.HasPrefix(str(structured.FormattedContext), want) {
		t.Fatalf("%q", str(structured.FormattedContext))
	}
	if def := read("", "style=structured"); str(def.FormattedContext) != str(structured.FormattedContext) {
		t.Fatalf("default %q", str(def.FormattedContext))
	}
	bullets := read(synap.PromptBulletPoints, "style=bullet_points")
	if lines := strings.Split(str(bullets.FormattedContext), "\n"); lines[0] != "- user: "+decafText {
		t.Fatalf("%q", lines)
	}
	narrative := read(synap.PromptNarrative, "style=narrative")
	if want := `The user said: "` + decafText + `" The assistant replied: "Noted."`; !strings.Contains(str(narrative.FormattedContext), want) {
		t.Fatalf("%q", str(narrative.FormattedContext))
	}

	p := structured
	if p.Available || p.IsStale || p.QualityWarning || p.ContextBlock != nil || p.CompactionID != nil ||
		p.CompressionRatio != nil || p.ValidationScore != nil || p.CompactionAgeSeconds != nil {
		t.Fatalf("%+v", p)
	}
	if p.RecentMessageCount != 2 || p.TotalMessageCount != 2 || p.CompactedMessageCount != 0 || len(p.RecentMessages) != 2 {
		t.Fatalf("%+v", p)
	}
	for i, role := range []string{"user", "assistant"} {
		m := p.RecentMessages[i]
		if str(m.Role) != role || m.MessageID == nil || m.Timestamp == nil || !m.Timestamp.Equal(written.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("%d: %+v", i, m)
		}
	}
	if str(p.RecentMessages[1].Content) != "Noted." || !jsonEqual(t, p.RawJSON, string(p.RawJSON)) {
		t.Fatalf("%+v", p)
	}

	// A conversation with no messages yet.
	empty, err := client.PromptContext(context.Background(), newUUID(t), synap.PromptNarrative)
	if err != nil || empty.FormattedContext != nil || empty.TotalMessageCount != 0 || empty.RecentMessages == nil ||
		len(empty.RecentMessages) != 0 {
		t.Fatalf("%+v %v", empty, err)
	}
}

func TestDegradedRetrievalIsReported(t *testing.T) {
	client := newClient(t)
	user := "go-degraded-" + newUUID(t)
	coffeeUser(t, client, user, "")
	req := synap.ContextRequest{Scope: synap.ScopeUser, UserID: user, Queries: []string{decafQuery}}
	post(t, "/_emulator/context", map[string]interface{}{"route": "user", "retrieval": map[string]interface{}{
		"degraded": true, "level": "partial", "code": "timeout", "warnings": []string{"vector store slow"}}})
	got := fetch(t, client, req)
	r := got.Retrieval
	if r == nil || !r.Degraded || str(r.Level) != "partial" || str(r.Code) != "timeout" ||
		!reflect.DeepEqual(r.Warnings, []string{"vector store slow"}) {
		t.Fatalf("%+v", r)
	}
	if !reflect.DeepEqual(texts(got.Preferences), []string{decafText}) {
		t.Fatalf("the items are still there: %q", texts(got.Preferences))
	}

	post(t, "/_emulator/context", map[string]interface{}{"route": "user", "clear_items": true,
		"retrieval": map[string]interface{}{"degraded": true, "level": "failed", "code": "unavailable", "warnings": []string{}}})
	req.ResponseShape = synap.ShapeRanked
	got = fetch(t, client, req)
	r = got.Retrieval
	if r == nil || !r.Degraded || str(r.Level) != "failed" || r.Warnings == nil || len(r.Warnings) != 0 || len(got.Ranked) != 0 {
		t.Fatalf("%+v %+v", r, got)
	}
	if got = fetch(t, client, req); got.Retrieval != nil {
		t.Fatalf("the script is used up: %+v", got.Retrieval)
	}
}

func TestAConversationStateBlockIsCopied(t *testing.T) {
	client := newClient(t)
	user := "go-state-" + newUUID(t)
	coffeeUser(t, client, user, "")
	compaction := newUUID(t)
	post(t, "/_emulator/context", map[string]interface{}{"route": "user", "conversation_context": map[string]interface{}{
		"summary": "Asked about decaf.", "current_state": map[string]interface{}{"stage": "ordering"},
		"key_extractions": map[string]interface{}{"preferences": []string{"decaf"}},
		"recent_turns": []interface{}{
			map[string]interface{}{"role": "user", "content": "and decaf?", "timestamp": "2025-01-15T10:41:02Z"},
			map[string]interface{}{"role": "assistant", "content": 7, "timestamp": "soon"},
		},
		"compaction_id": compaction, "compacted_at": "2025-01-15T10:40:00Z", "conversation_id": "c-1",
		"formatted_context": nil,
	}})
	got := fetch(t, client, synap.ContextRequest{Scope: synap.ScopeUser, UserID: user, Queries: []string{decafQuery}})
	s := got.Conversation
	if s == nil || str(s.Summary) != "Asked about decaf." || str(s.CompactionID) != compaction ||
		str(s.CompactedAt) != "2025-01-15T10:40:00Z" || str(s.ConversationID) != "c-1" || s.FormattedContext != nil {
		t.Fatalf("%+v", s)
	}
	if !jsonEqual(t, s.CurrentState, `{"stage":"ordering"}`) || !jsonEqual(t, s.KeyExtractions, `{"preferences":["decaf"]}`) {
		t.Fatalf("%s %s", s.CurrentState, s.KeyExtractions)
	}
	if len(s.RecentTurns) != 2 || s.RecentTurns[0].Timestamp == nil ||
		!s.RecentTurns[0].Timestamp.Equal(time.Date(2025, 1, 15, 10, 41, 2, 0, time.UTC)) || s.RecentTurns[0].MessageID != nil {
		t.Fatalf("%+v", s.RecentTurns)
	}
	// What does not read as its type is absent; the rest of the turn stays.
	if second := s.RecentTurns[1]; str(second.Role) != "assistant" || second.Content != nil || second.Timestamp != nil {
		t.Fatalf("%+v", second)
	}
}

func TestMalformedItemsAreReadTolerantly(t *testing.T) {
	client := newClient(t)
	user := "go-malformed-" + newUUID(t)
	coffeeUser(t, client, user, "")
	req := synap.ContextRequest{Scope: synap.ScopeUser, UserID: user, Queries: []string{decafQuery}}
	post(t, "/_emulator/context", map[string]interface{}{"route": "user",
		"item_patch": map[string]interface{}{"source": nil, "confidence": 1.5, "extracted_at": "not a time",
			"matched_queries": nil, "surprise": map[string]interface{}{"x": 1}},
		"inject": map[string]interface{}{"facts": []interface{}{
			map[string]interface{}{"id": nil, "content": "raw", "confidence": "inferred", "said_at": 12},
		}}})
	got := fetch(t, client, req)
	pref := got.Preferences[0]
	if str(pref.Text) != decafText || pref.ID == nil || pref.Source != nil || pref.Time != nil ||
		pref.Score == nil || *pref.Score != 1.5 || pref.MatchedQueries == nil || len(pref.MatchedQueries) != 0 {
		t.Fatalf("%+v", pref)
	}
	if !strings.Contains(string(got.RawJSON), `"surprise"`) {
		t.Fatalf("unread keys stay in the raw body: %s", got.RawJSON)
	}
	if len(got.Facts) != 2 {
		t.Fatalf("facts %q", texts(got.Facts))
	}
	raw := got.Facts[0]
	if raw.ID != nil || str(raw.Text) != "raw" || raw.Score == nil || *raw.Score != 0.75 || raw.SaidAt != nil ||
		raw.Metadata != nil || str(raw.Kind) != "facts" {
		t.Fatalf("%+v", raw)
	}

	post(t, "/_emulator/context", map[string]interface{}{"route": "user",
		"inject": map[string]interface{}{"items": []interface{}{
			map[string]interface{}{"rank": "first", "category": "preferences", "content": 5, "confidence": 3},
		}}})
	req.ResponseShape = synap.ShapeRanked
	got = fetch(t, client, req)
	odd := got.Ranked[0]
	if odd.Rank != nil || str(odd.Kind) != "preferences" || odd.Text != nil || odd.Score == nil || *odd.Score != 3 {
		t.Fatalf("%+v", odd)
	}
	if !reflect.DeepEqual(texts(got.Ranked[1:]), []string{decafText, teaText}) {
		t.Fatalf("%q", texts(got.Ranked))
	}

	// Only a wrong structure fails the fetch, naming the field.
	post(t, "/_emulator/context", map[string]interface{}{"route": "user",
		"inject": map[string]interface{}{"facts": []interface{}{7}}})
	req.ResponseShape = ""
	_, err := client.FetchContext(context.Background(), req)
	if e := asError(t, err, synap.ErrProtocol); !strings.Contains(e.Message, "facts[0]") {
		t.Fatalf("%#v", e)
	}
}

func TestRefusedContextValuesSendNothing(t *testing.T) {
	client := newClient(t)
	ok := synap.ContextRequest{Scope: synap.ScopeUser, UserID: "go-refused", Queries: []string{"x"}}
	with := func(change func(*synap.ContextRequest)) synap.ContextRequest {
		r := ok
		change(&r)
		return r
	}
	cases := []struct {
		req  synap.ContextRequest
		want string
	}{
		{with(func(r *synap.ContextRequest) { r.Scope = "" }), `Scope "" is not one of`},
		{with(func(r *synap.ContextRequest) { r.Scope = "team" }), `Scope "team" is not one of`},
		{with(func(r *synap.ContextRequest) { r.UserID = "" }), "needs its user_id"},
		{with(func(r *synap.ContextRequest) { r.UserID = "a\x00b" }), "UserID contains a NUL byte"},
		{with(func(r *synap.ContextRequest) { r.Queries = []string{"ok", "a\x00"} }), "Queries[1] contains a NUL byte"},
		{with(func(r *synap.ContextRequest) { r.ScopePath = []synap.ScopeLevel{{Level: "team", Value: "\x00"}} }), "ScopePath[0] contains a NUL byte"},
		{with(func(r *synap.ContextRequest) { r.Mode = "slow" }), `mode "slow" is not one of`},
		{with(func(r *synap.ContextRequest) { r.PrecisionLevel = "low" }), "precision_level"},
		{with(func(r *synap.ContextRequest) { r.ResponseShape = "flat" }), "response_shape"},
		{with(func(r *synap.ContextRequest) { r.Types = []synap.ContextType{"facts", "notes"} }), "notes"},
		{with(func(r *synap.ContextRequest) { r.ConversationID = "not-a-uuid" }), "conversation_id is not a UUID"},
		{with(func(r *synap.ContextRequest) { r.Summary = &synap.SummaryMode{LastNConversations: 21} }), "last_n_conversations"},
		{synap.ContextRequest{Scope: synap.ScopeCustomer, CustomerID: "c", Summary: &synap.SummaryMode{}}, "user scope only"},
		{synap.ContextRequest{Scope: synap.ScopeConversation, Queries: []string{"x"}}, "needs its conversation_id"},
	}
	before := len(sentAll(t))
	for _, c := range cases {
		_, err := client.FetchContext(context.Background(), c.req)
		e := asError(t, err, synap.ErrInvalidArgument)
		if !strings.Contains(e.Message, c.want) || e.HTTPStatus != 0 || e.CorrelationID != "" {
			t.Errorf("%+v: %#v, want %q", c.req, e, c.want)
		}
	}
	for _, call := range []func() error{
		func() error { _, err := client.UserProfile(context.Background(), "", ""); return err },
		func() error { _, err := client.UserProfile(context.Background(), "u\x00", ""); return err },
		func() error { _, err := client.UserProfile(context.Background(), "u", "c\x00"); return err },
		func() error { _, err := client.PromptContext(context.Background(), "not-a-uuid", ""); return err },
		func() error {
			_, err := client.PromptContext(context.Background(), newUUID(t), "injection")
			return err
		},
		func() error { _, err := client.PromptContext(context.Background(), newUUID(t)+"\x00", ""); return err },
		func() error {
			_, err := client.PromptContext(context.Background(), newUUID(t), "narrative\x00")
			return err
		},
	} {
		asError(t, call(), synap.ErrInvalidArgument)
	}
	if after := len(sentAll(t)); after != before {
		t.Fatalf("%d requests sent", after-before)
	}
}

func TestContextCallsStopWhenTheirContextEnds(t *testing.T) {
	client := newClient(t)
	conv := newUUID(t)
	calls := map[string]func(context.Context) error{
		userFetch: func(ctx context.Context) error {
			_, err := client.FetchContext(ctx, synap.ContextRequest{Scope: synap.ScopeUser, UserID: "go-slow", Queries: []string{"x"}})
			return err
		},
		"/v1/users/go-slow/profile": func(ctx context.Context) error {
			_, err := client.UserProfile(ctx, "go-slow", "")
			return err
		},
		"/v1/conversations/" + conv + "/context-for-prompt": func(ctx context.Context) error {
			_, err := client.PromptContext(ctx, conv, "")
			return err
		},
	}
	for path, call := range calls {
		faultPath(t, path, 1, map[string]interface{}{"kind": "delay", "ms": 1000})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		started := time.Now()
		err := call(ctx)
		if !errors.Is(err, synap.ErrCancelled) || !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: got %v", path, err)
		}
		if took := time.Since(started); took > 700*time.Millisecond {
			t.Fatalf("%s: returned after %v", path, took)
		}

		faultPath(t, path, 1, map[string]interface{}{"kind": "delay", "ms": 1000})
		ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
		err = call(ctx)
		cancel()
		if !errors.Is(err, synap.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s: got %v", path, err)
		}

		// A context already ended sends nothing.
		before := len(sent(t, path))
		err = call(ctx)
		if !errors.Is(err, synap.ErrTimeout) || len(sent(t, path)) != before {
			t.Fatalf("%s: got %v", path, err)
		}
	}
}

func TestContextCallsAfterClose(t *testing.T) {
	client := newClient(t)
	client.Close()
	if _, err := client.FetchContext(context.Background(), synap.ContextRequest{Scope: synap.ScopeClient}); err != synap.ErrClosed {
		t.Fatalf("got %v", err)
	}
	if _, err := client.UserProfile(context.Background(), "u", ""); err != synap.ErrClosed {
		t.Fatalf("got %v", err)
	}
	if _, err := client.PromptContext(context.Background(), newUUID(t), ""); err != synap.ErrClosed {
		t.Fatalf("got %v", err)
	}
}

func TestManyGoroutinesFetchContexts(t *testing.T) {
	const goroutines, calls = 16, 10
	client := newClient(t)
	user := "go-shared-" + newUUID(t)
	coffeeUser(t, client, user, "")
	var wg sync.WaitGroup
	failures := make(chan string, goroutines*calls)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				got, err := client.FetchContext(context.Background(), synap.ContextRequest{Scope: synap.ScopeUser,
					UserID: user, Queries: []string{decafQuery}, ResponseShape: synap.ShapeRanked})
				if err != nil || len(got.Ranked) != 2 || str(got.Ranked[0].Text) != decafText {
					failures <- fmt.Sprintf("%d/%d: %v", g, i, err)
					if err == nil {
						failures <- fmt.Sprintf("ranked %q", texts(got.Ranked))
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
