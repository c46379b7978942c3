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
	"unsafe"
)

// Scope is whose memories a context fetch reads; each has its own route
// (POST /v1/context/{scope}/fetch).
type Scope string

// The scopes of a context fetch.
const (
	// ScopeUser reads one end user's memories; it needs UserID.
	ScopeUser Scope = "user"
	// ScopeCustomer reads one customer's (organisation's); it needs
	// CustomerID.
	ScopeCustomer Scope = "customer"
	// ScopeClient reads the whole account's.
	ScopeClient Scope = "client"
	// ScopeConversation reads one conversation's; it needs ConversationID.
	ScopeConversation Scope = "conversation"
)

// cScope is the SynapContextScope of s; ok is false for another value.
func (s Scope) cScope() (scope C.int, ok bool) {
	switch s {
	case ScopeUser:
		return C.SYNAP_SCOPE_USER, true
	case ScopeCustomer:
		return C.SYNAP_SCOPE_CUSTOMER, true
	case ScopeClient:
		return C.SYNAP_SCOPE_CLIENT, true
	case ScopeConversation:
		return C.SYNAP_SCOPE_CONVERSATION, true
	}
	return 0, false
}

// ContextType is a kind of memory a context fetch asks for; libsynap
// refuses any other value before a request is made.
type ContextType string

// The memory types a context fetch accepts.
const (
	ContextFacts          ContextType = "facts"
	ContextPreferences    ContextType = "preferences"
	ContextEpisodes       ContextType = "episodes"
	ContextEmotions       ContextType = "emotions"
	ContextTemporalEvents ContextType = "temporal_events"
	// ContextAll asks for every type, as no type at all does.
	ContextAll ContextType = "all"
)

// RetrievalMode trades how thoroughly a fetch searches against how fast.
type RetrievalMode string

// The retrieval modes.
const (
	// RetrievalFast is the default.
	RetrievalFast RetrievalMode = "fast"
	// RetrievalAccurate also matches other forms of the query's words.
	RetrievalAccurate RetrievalMode = "accurate"
)

// Precision is how strictly a fetch filters what it finds.
type Precision string

// The precision levels.
const (
	// PrecisionHigh is the default.
	PrecisionHigh   Precision = "high"
	PrecisionMedium Precision = "medium"
)

// ResponseShape is how a fetch's answer is laid out.
type ResponseShape string

// The response shapes.
const (
	// ShapeByType (the default) answers with the five typed lists.
	ShapeByType ResponseShape = "by_type"
	// ShapeRanked answers with one list, best first across types
	// (Context.Ranked), the excerpts, and the typed lists as views of it.
	ShapeRanked ResponseShape = "ranked"
)

// SummaryMode asks a user fetch for the user's profile and recent
// conversation summaries instead of memories.
type SummaryMode struct {
	// IncludeProfile puts the user's profile in Context.Profile.
	IncludeProfile bool
	// LastNConversations is how many recent conversations to summarise,
	// 0 to 20.
	LastNConversations uint32
}

// ContextRequest is one context fetch: whose memories, which queries, and
// how to rank and shape the answer. Scope and the scope's own id are
// required; every other field is optional, its zero value meaning the
// default. libsynap checks each value before any request is made: an
// empty id is not sent (it is the zero value), but an unknown type, mode,
// precision or shape, a conversation id that is not a UUID, or summary
// mode off the user scope is ErrInvalidArgument.
type ContextRequest struct {
	// Scope is whose memories to read.
	Scope Scope
	// UserID is the end user: ScopeUser's id, and a filter on
	// ScopeConversation.
	UserID string
	// CustomerID is the customer (organisation): ScopeCustomer's id, and a
	// user's tenant on a B2B instance. After Whoami has reported a B2C
	// instance it is refused locally.
	CustomerID string
	// ConversationID is the conversation, a UUID: ScopeConversation's id,
	// and the current conversation on the other scopes.
	ConversationID string
	// Queries are the search queries. Without one (none, or only blank
	// ones) a conversation fetch answers with the conversation's state
	// (Source SourceConversationState), and a user fetch with the user's
	// profile when there is one (SourceProfile).
	Queries []string
	// MaxResults is how many memories at most; 0 means 10. The service
	// sets the upper bound (ErrInvalidRequest above it).
	MaxResults uint32
	// Types are the kinds of memory to fetch; none means all.
	Types []ContextType
	// Mode is the retrieval mode; "" is RetrievalFast.
	Mode RetrievalMode
	// PrecisionLevel is how strictly to filter; "" is PrecisionHigh.
	PrecisionLevel Precision
	// ResponseShape is how to lay out the answer; "" is ShapeByType.
	ResponseShape ResponseShape
	// QueryDate is the day the queries are asked, as text the service
	// reads ("2025-03-11", "2025/03/11 21:26"); "" means now.
	QueryDate string
	// MaxResultsPerQuery is how many memories each query may contribute;
	// 0 means no bound.
	MaxResultsPerQuery uint32
	// ScopePath is the path to a level between customer and user, for
	// accounts that have them; the service refuses one that skips a level.
	ScopePath []ScopeLevel
	// Summary turns on summary mode (ScopeUser only); nil leaves it off.
	Summary *SummaryMode
}

// ContextSource is where a context came from.
type ContextSource string

// The sources of a context.
const (
	// SourceCloud is a fetch's answer.
	SourceCloud ContextSource = "cloud"
	// SourceProfile is a user fetch without a query answered with the
	// user's profile (Context.Profile).
	SourceProfile ContextSource = "profile"
	// SourceConversationState is a conversation fetch without a query
	// answered with the conversation's state (Context.Conversation).
	SourceConversationState ContextSource = "conversation_state"
)

// ContextItem is one remembered item of a Context. Each memory type names
// its fields differently on the wire; libsynap reads them into this one
// shape (README.md, "Context retrieval", has the table). Every optional
// value is nil when the service left it out, sent null, or sent something
// that does not read as its type; a score is kept as sent, even outside
// 0 to 1.
type ContextItem struct {
	// Kind is the list it came from ("facts", ..., "temporal_events",
	// "excerpts"), or for a ranked item its category as sent.
	Kind *string
	// ID is the memory's id.
	ID *string
	// Text is what was remembered: the content, an episode's summary, an
	// emotion's context.
	Text *string
	// Score is how sure or how strong, usually 0 to 1: the confidence, a
	// preference's strength, an episode's significance, an emotion's
	// intensity.
	Score *float64
	// Label is a preference's category, an emotion's type or a temporal
	// event's temporal category.
	Label *string
	// Time is when it was extracted (an episode's occurrence, an emotion's
	// detection), UTC.
	Time *time.Time
	// Source is where it came from ("conversation", "chunks", ...).
	Source *string
	// EventDate and EventEnd bound the time window the memory is about.
	EventDate, EventEnd *time.Time
	// SaidAt is the day it was said.
	SaidAt *time.Time
	// ValidUntil is until when it holds.
	ValidUntil *time.Time
	// EventPrecision is how precise the window is ("day", "month", ...).
	EventPrecision *string
	// TemporalCategory is "perpetual", "temporal_fact", "episode", ...
	TemporalCategory *string
	// TemporalConfidence is how sure the temporal reading is.
	TemporalConfidence *float64
	// MatchedQueries are the fetch's queries that found it; never nil.
	MatchedQueries []string
	// SourceEvidence are the quotes it rests on; never nil.
	SourceEvidence []string
	// Participants are an episode's participants; never nil.
	Participants []string
	// Rank is its rank in the ranked shape, 1 the best.
	Rank *int64
	// RankScore is its rank score in the ranked shape.
	RankScore *float64
	// Metadata is its metadata object, keys this version does not read
	// included; nil when absent.
	Metadata json.RawMessage
}

// Turn is one message of a conversation.
type Turn struct {
	// Role is who spoke: "user", "assistant", ...
	Role *string
	// Content is what was said.
	Content *string
	// Timestamp is when, UTC.
	Timestamp *time.Time
	// MessageID is the message's id, where the service gives one.
	MessageID *string
}

// ConversationContext is a conversation's state as a fetch returns it.
type ConversationContext struct {
	// ConversationID is the conversation.
	ConversationID *string
	// Summary is the compaction narrative.
	Summary *string
	// RecentTurns are the turns after the compaction cut-off, oldest
	// first; never nil.
	RecentTurns []Turn
	// CompactionID is the compaction the summary comes from.
	CompactionID *string
	// CompactedAt is when it was compacted, as the service wrote it.
	CompactedAt *string
	// FormattedContext is the prompt-ready text, when given.
	FormattedContext *string
	// CurrentState is current_state as JSON; nil when absent.
	CurrentState json.RawMessage
	// KeyExtractions is key_extractions as JSON; nil when absent.
	KeyExtractions json.RawMessage
}

// Retrieval is a fetch's retrieval block: how the service says "nothing
// came back because retrieval broke", as against "nothing relevant".
type Retrieval struct {
	// Degraded is true when the answer is incomplete.
	Degraded bool
	// Level is how much broke: "partial", "minimal" or "failed".
	Level *string
	// Code is why: "timeout", "overloaded", "unavailable" or "internal".
	Code *string
	// Warnings are the service's warnings, as sent; never nil.
	Warnings []string
}

// ConversationSummary is one conversation's summary, in summary mode.
type ConversationSummary struct {
	// ConversationID is the conversation.
	ConversationID *string
	// Status is whether its summary is ready: "available", "pending" or
	// "failed".
	Status *string
	// Summary is the summary's prompt text.
	Summary *string
	// MessageCount is how many messages the conversation has.
	MessageCount *int64
	// StartedAt is when it started, UTC.
	StartedAt *time.Time
	// LastMessageAt is when its last message came, UTC.
	LastMessageAt *time.Time
	// JSON is the whole summary element; nil when absent.
	JSON json.RawMessage
}

// Context is what a context fetch returned, copied out of libsynap: a
// plain value, safe to keep and share. Only a body whose structure is
// wrong (a list that is not an array, an item that is not an object) fails
// the fetch, with ErrProtocol naming the field; anything else that does
// not read is left out of its item.
type Context struct {
	// Facts, Preferences, Episodes, Emotions and TemporalEvents are the
	// typed lists, best first; in the ranked shape, views of Ranked.
	// Never nil.
	Facts, Preferences, Episodes, Emotions, TemporalEvents []ContextItem
	// Ranked is the ranked shape's list, best first across types; never
	// nil.
	Ranked []ContextItem
	// Excerpts are the document excerpts of the ranked shape; never nil.
	Excerpts []ContextItem
	// Conversation is the conversation's state, when the service sent one
	// (or a conversation fetch without a query read it).
	Conversation *ConversationContext
	// Retrieval is the retrieval block; nil on a healthy fetch.
	Retrieval *Retrieval
	// Profile is the user's profile (summary mode, or a user fetch without
	// a query).
	Profile *Profile
	// Conversations are summary mode's conversation summaries; never nil.
	Conversations []ConversationSummary
	// TTLSeconds is how long the answer may be cached (300 when the
	// service did not say).
	TTLSeconds int64
	// Source is where the answer came from.
	Source ContextSource
	// CorrelationID is the X-Correlation-ID of the request that answered;
	// quote it when reporting a problem.
	CorrelationID string
	// RetrievedAt is when the answer was received, UTC.
	RetrievedAt time.Time
	// RawJSON is the response body, for what this version does not read;
	// nil when no body was read (a profile answer).
	RawJSON json.RawMessage
}

// FetchContext asks what Synap remembers for req's scope that bears on
// its queries. The fetch is idempotent and retried as reads are. If ctx
// ends first, FetchContext returns its error at once, as MemoryStatus
// does.
func (c *Client) FetchContext(ctx context.Context, req ContextRequest) (*Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_context_request
	if err := m.contextRequest(&in, &req); err != nil {
		m.free()
		return nil, err
	}
	return inBackground(ctx, func() (*Context, error) {
		defer m.free()
		return c.fetchContext(&in)
	})
}

func (c *Client) fetchContext(in *C.synapgo_context_request) (*Context, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapContext
	var view C.synapgo_context_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_context_fetch(c.handle, in, &out, &view, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_context_release(out, &view)
	return copyContext(&view), nil
}

// contextRequest fills in with C copies of r's fields, or returns the
// first one the binding refuses; libsynap checks the values when the shim
// applies them.
func (m *cMemory) contextRequest(in *C.synapgo_context_request, r *ContextRequest) *Error {
	scope, ok := r.Scope.cScope()
	if !ok {
		m.refuse("Scope " + strconv.Quote(string(r.Scope)) + " is not one of user, customer, client, conversation")
	}
	in.scope = scope
	in.user_id = m.optional("UserID", r.UserID)
	in.customer_id = m.optional("CustomerID", r.CustomerID)
	in.conversation_id = m.optional("ConversationID", r.ConversationID)
	in.queries = m.strs("Queries", r.Queries)
	in.query_count = C.size_t(len(r.Queries))
	in.max_results = C.uint32_t(r.MaxResults)
	if len(r.Types) > 0 {
		types := make([]string, len(r.Types))
		for i, t := range r.Types {
			types[i] = string(t)
		}
		in.types = m.strs("Types", types)
		in.type_count = C.size_t(len(types))
	}
	in.mode = m.optional("Mode", string(r.Mode))
	in.precision_level = m.optional("PrecisionLevel", string(r.PrecisionLevel))
	in.response_shape = m.optional("ResponseShape", string(r.ResponseShape))
	in.query_date = m.optional("QueryDate", r.QueryDate)
	in.max_results_per_query = C.uint32_t(r.MaxResultsPerQuery)
	if len(r.ScopePath) > 0 {
		pairs := make([]string, 0, 2*len(r.ScopePath))
		for i, s := range r.ScopePath {
			if strings.IndexByte(s.Level, 0) >= 0 || strings.IndexByte(s.Value, 0) >= 0 {
				m.refuse("ScopePath[" + strconv.Itoa(i) + "] contains a NUL byte")
			}
			pairs = append(pairs, s.Level, s.Value)
		}
		in.scope_path = m.strs("ScopePath", pairs)
		in.scope_path_count = C.size_t(len(r.ScopePath))
	}
	if s := r.Summary; s != nil {
		in.summary_mode = true
		in.include_profile = C.bool(s.IncludeProfile)
		in.last_n_conversations = C.uint32_t(s.LastNConversations)
	}
	return m.err
}

// copyContext reads every field of a context view; the caller still owns
// the view and the context it lends from.
func copyContext(v *C.synapgo_context_view) *Context {
	total := 0
	for _, n := range v.counts {
		total += int(n)
	}
	items := unsafe.Slice(v.items, total)
	lists := make([][]ContextItem, len(v.counts))
	at := 0
	for i, n := range v.counts {
		lists[i] = make([]ContextItem, int(n))
		for j := range lists[i] {
			lists[i][j] = copyItem(&items[at])
			at++
		}
	}
	// The items of a SynapContextList.
	list := func(l int) []ContextItem { return lists[l-C.SYNAP_LIST_FACTS] }
	out := &Context{
		Facts:          list(C.SYNAP_LIST_FACTS),
		Preferences:    list(C.SYNAP_LIST_PREFERENCES),
		Episodes:       list(C.SYNAP_LIST_EPISODES),
		Emotions:       list(C.SYNAP_LIST_EMOTIONS),
		TemporalEvents: list(C.SYNAP_LIST_TEMPORAL_EVENTS),
		Ranked:         list(C.SYNAP_LIST_RANKED),
		Excerpts:       list(C.SYNAP_LIST_EXCERPTS),
		Conversations:  make([]ConversationSummary, int(v.summary_count)),
		TTLSeconds:     int64(v.ttl_seconds),
		Source:         ContextSource(C.GoString(v.source)),
		CorrelationID:  C.GoString(v.correlation_id),
		RetrievedAt:    microsUTC(v.retrieved_at_us),
		RawJSON:        rawJSON(v.raw_json),
	}
	if v.has_conversation {
		out.Conversation = &ConversationContext{
			ConversationID:   optionalString(v.conversation_id),
			Summary:          optionalString(v.summary),
			RecentTurns:      copyTurns(v.turns, v.turn_count),
			CompactionID:     optionalString(v.compaction_id),
			CompactedAt:      optionalString(v.compacted_at),
			FormattedContext: optionalString(v.formatted_context),
			CurrentState:     rawJSON(v.current_state_json),
			KeyExtractions:   rawJSON(v.key_extractions_json),
		}
	}
	if v.has_retrieval {
		out.Retrieval = &Retrieval{
			Degraded: bool(v.degraded),
			Level:    optionalString(v.level),
			Code:     optionalString(v.code),
			Warnings: goStrings(v.warnings, v.warning_count),
		}
	}
	if v.has_profile {
		out.Profile = copyProfile(&v.profile)
	}
	summaries := unsafe.Slice(v.summaries, int(v.summary_count))
	for i := range out.Conversations {
		s := &summaries[i]
		out.Conversations[i] = ConversationSummary{
			ConversationID: optionalString(s.id),
			Status:         optionalString(s.status),
			Summary:        optionalString(s.text),
			MessageCount:   optionalInt(s.has_message_count, s.message_count),
			StartedAt:      optionalTime(s.has_started_at, s.started_at_us),
			LastMessageAt:  optionalTime(s.has_last_message_at, s.last_message_at_us),
			JSON:           rawJSON(s.json),
		}
	}
	return out
}

func copyItem(it *C.synapgo_item) ContextItem {
	return ContextItem{
		Kind:               optionalString(it.kind),
		ID:                 optionalString(it.id),
		Text:               optionalString(it.text),
		Score:              optionalFloat(it.has_score, it.score),
		Label:              optionalString(it.label),
		Time:               optionalTime(it.has_time, it.time_us),
		Source:             optionalString(it.source),
		EventDate:          optionalTime(it.has_event_date, it.event_date_us),
		EventEnd:           optionalTime(it.has_event_end, it.event_end_us),
		SaidAt:             optionalTime(it.has_said_at, it.said_at_us),
		ValidUntil:         optionalTime(it.has_valid_until, it.valid_until_us),
		EventPrecision:     optionalString(it.event_precision),
		TemporalCategory:   optionalString(it.temporal_category),
		TemporalConfidence: optionalFloat(it.has_temporal_confidence, it.temporal_confidence),
		MatchedQueries:     goStrings(it.matched_queries, it.matched_query_count),
		SourceEvidence:     goStrings(it.source_evidence, it.source_evidence_count),
		Participants:       goStrings(it.participants, it.participant_count),
		Rank:               optionalInt(it.has_rank, it.rank),
		RankScore:          optionalFloat(it.has_rank_score, it.rank_score),
		Metadata:           rawJSON(it.metadata_json),
	}
}

// copyTurns copies a view's n turns; never nil.
func copyTurns(p *C.synapgo_turn, n C.size_t) []Turn {
	turns := unsafe.Slice(p, int(n))
	out := make([]Turn, len(turns))
	for i := range turns {
		t := &turns[i]
		out[i] = Turn{
			Role:      optionalString(t.role),
			Content:   optionalString(t.content),
			Timestamp: optionalTime(t.has_timestamp, t.timestamp_us),
			MessageID: optionalString(t.message_id),
		}
	}
	return out
}

// goStrings copies a C array of n strings; never nil.
func goStrings(p **C.char, n C.size_t) []string {
	array := unsafe.Slice(p, int(n))
	out := make([]string, len(array))
	for i, s := range array {
		out[i] = C.GoString(s)
	}
	return out
}

// rawJSON copies JSON text libsynap may leave out; nil when it did.
func rawJSON(p *C.char) json.RawMessage {
	if p == nil {
		return nil
	}
	return json.RawMessage(C.GoString(p))
}

func optionalFloat(has C.bool, v C.double) *float64 {
	if !has {
		return nil
	}
	f := float64(v)
	return &f
}

func optionalInt(has C.bool, v C.int64_t) *int64 {
	if !has {
		return nil
	}
	n := int64(v)
	return &n
}

func optionalTime(has C.bool, us C.int64_t) *time.Time {
	if !has {
		return nil
	}
	t := microsUTC(us)
	return &t
}
