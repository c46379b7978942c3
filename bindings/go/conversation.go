package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unsafe"
)

// Role is who spoke a message; libsynap refuses any other value before a
// request is made.
type Role string

// The roles of a message.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one message of a conversation, for RecordMessage or
// RecordMessages. ConversationID and Role are required, and UserID is too
// for RecordMessage; every other field is optional, its zero value meaning
// none. Content is always sent, "" included. libsynap checks each value
// before any request is made: a conversation id that is not a UUID, an
// unknown role or metadata that is not a JSON object is
// ErrInvalidArgument.
type Message struct {
	// ConversationID is the conversation, a UUID in any case, with or
	// without hyphens.
	ConversationID string
	// Role is who spoke.
	Role Role
	// Content is what was said; it may be empty.
	Content string
	// UserID is the end user the conversation belongs to.
	UserID string
	// CustomerID is the customer (organisation) on a B2B instance. After
	// Whoami has reported a B2C instance it is refused locally.
	CustomerID string
	// SessionID is the session; "" lets the service make one.
	SessionID string
	// Metadata is free-form, a JSON object; nil sends {}.
	Metadata json.RawMessage
	// ScopePath is the path to a level between customer and user, for
	// accounts that have them.
	ScopePath []ScopeLevel
	// AgentModel is the model the agent runs, sent in the metadata as
	// agent_model; the service sizes compaction to its context window.
	AgentModel string
	// AgentContextWindow is that model's context window in tokens, sent in
	// the metadata as agent_context_window; 0 sends none.
	AgentContextWindow uint32
}

// RecordedMessage is a message the service recorded, copied out of
// libsynap: a plain value, safe to keep and share. Every value is nil
// when the service left it out.
type RecordedMessage struct {
	// MessageID is the message's id, as the service gave it.
	MessageID *string
	// ConversationID is the conversation.
	ConversationID *string
	// SessionID is the session, given or made by the service.
	SessionID *string
	// RecordedAt is when the service recorded it, UTC.
	RecordedAt *time.Time
	// ConversationMessageCount is how many messages the conversation
	// holds after this one.
	ConversationMessageCount *int64
}

// MessageBatch is what RecordMessages came to.
type MessageBatch struct {
	// Total, Succeeded and Failed count the messages sent, stored and
	// refused, as the service counts them; nil when it did not say.
	Total, Succeeded, Failed *int64
	// Results has one entry per stored message, in the order sent; a
	// refused message has none. Never nil.
	Results []RecordedMessage
	// Errors has one entry per refused message; never nil.
	Errors []MessageBatchError
}

// MessageBatchError is a message of a batch the service refused.
type MessageBatchError struct {
	// Index is the message's position in the batch sent, from 0; nil when
	// the service did not say.
	Index *int64
	// Message is why, as the service said it.
	Message *string
}

// TranscriptTurn is one turn of a transcript given as turns.
type TranscriptTurn struct {
	// Role is who spoke.
	Role Role
	// Content is what was said.
	Content string
	// Speaker names who spoke ("Caller", "Agent Kim"); "" sends none.
	Speaker string
	// Timestamp is when it was said (years 1 to 9999, microsecond
	// precision); zero sends none.
	Timestamp time.Time
}

// Transcript is a finished conversation to ingest in one go: its id, its
// user, and the transcript as Text or as Turns (set one). Every other
// field is optional, its zero value meaning none.
type Transcript struct {
	// ConversationID is the conversation's id as you know it (a call id,
	// a UUID, ...). The service keeps a UUID for it and answers with it
	// (TranscriptIngestion.ConversationID): use that for later reads.
	ConversationID string
	// UserID is the end user.
	UserID string
	// CustomerID is the customer (organisation) on a B2B instance. After
	// Whoami has reported a B2C instance it is refused locally.
	CustomerID string
	// Text is the whole transcript as text, which the service splits on
	// its turn grammar ("User: ..." and "Assistant: ..." lines).
	Text string
	// Turns is the transcript as turns, in order.
	Turns []TranscriptTurn
	// ConversationType is the kind of conversation ("voice", "chat", ...).
	ConversationType string
	// Analysis is your analysis of the conversation, a JSON object.
	Analysis json.RawMessage
	// Metadata is free-form, a JSON object.
	Metadata json.RawMessage
	// StartedAt and EndedAt bound the conversation (years 1 to 9999,
	// microsecond precision); zero sends none.
	StartedAt, EndedAt time.Time
	// ScopePath is the path to a level between customer and user, for
	// accounts that have them.
	ScopePath []ScopeLevel
}

// The statuses of a TranscriptIngestion.
const (
	// TranscriptQueued is a transcript queued for the first time.
	TranscriptQueued = "queued"
	// TranscriptDuplicate is the same transcript again: its job is the
	// first one's.
	TranscriptDuplicate = "duplicate"
)

// TranscriptIngestion is an ingested transcript: the job that turns it
// into memories, followed with MemoryStatus, Wait and WaitAll like a
// created document's. A plain value, safe to keep and share; every value
// is nil when the service left it out.
type TranscriptIngestion struct {
	// ConversationID is the conversation's id as the service keeps it (a
	// UUID): use it for later reads.
	ConversationID *string
	// ExternalConversationID is the conversation id you gave.
	ExternalConversationID *string
	// IngestionID is the ingestion job.
	IngestionID *string
	// Status is TranscriptQueued or TranscriptDuplicate, as sent.
	Status *string
	// TurnsRecorded is how many turns were recorded.
	TurnsRecorded *int64
	// SummaryStatus is "in_progress", "already_compacted" or "skipped".
	SummaryStatus *string
	// QueuedAt is when the job was queued, UTC.
	QueuedAt *time.Time
	// Warnings are the service's warnings, as sent; never nil.
	Warnings []string
}

// MaxMessagesPage is the most messages one page of Messages holds.
const MaxMessagesPage = 500

// ConversationMessage is one message of a conversation as Messages lists
// it, copied out of libsynap. Every value is nil when the service left it
// out.
type ConversationMessage struct {
	// Position is its place in the conversation, from 1.
	Position *int64
	// Role is who spoke: "user" or "assistant".
	Role *string
	// Content is what was said.
	Content *string
	// Timestamp is when, UTC.
	Timestamp *time.Time
	// MessageID is the message's id.
	MessageID *string
}

// CompactionStrategy is how hard a compaction shrinks a conversation;
// libsynap refuses any other value before a request is made.
type CompactionStrategy string

// The compaction strategies.
const (
	StrategyAggressive   CompactionStrategy = "aggressive"
	StrategyBalanced     CompactionStrategy = "balanced"
	StrategyConservative CompactionStrategy = "conservative"
	StrategyAdaptive     CompactionStrategy = "adaptive"
)

// CompactOptions is how Compact compacts; the zero value is the service's
// defaults.
type CompactOptions struct {
	// Strategy is the strategy; "" is the service's choice.
	Strategy CompactionStrategy
	// TargetTokens is the size to compact to, in tokens; 0 is the
	// service's choice.
	TargetTokens uint32
	// Force compacts even when the service thinks it needless.
	Force bool
}

// Compaction is a compaction the service started, copied out of libsynap.
// Every value is nil when the service left it out.
type Compaction struct {
	// CompactionID is the compaction's id.
	CompactionID *string
	// ConversationID is the conversation.
	ConversationID *string
	// Status is its status, e.g. "in_progress".
	Status *string
	// TriggerType is what started it, e.g. "manual_api".
	TriggerType *string
	// InitiatedAt is when it started, UTC.
	InitiatedAt *time.Time
	// EstimatedCompletionSeconds is how long it should take.
	EstimatedCompletionSeconds *int64
	// PreviousCompactionID is the compaction it replaces.
	PreviousCompactionID *string
}

// CompactedFormat is how Compacted renders the compacted history;
// libsynap refuses any other value before a request is made.
type CompactedFormat string

// The formats of a compacted history.
const (
	// CompactedStructured is the default.
	CompactedStructured CompactedFormat = "structured"
	CompactedNarrative  CompactedFormat = "narrative"
	CompactedInjection  CompactedFormat = "injection"
)

// CompactedOptions is how Compacted reads; the zero value reads the latest
// compaction, structured.
type CompactedOptions struct {
	// Format is the format; "" is CompactedStructured.
	Format CompactedFormat
	// Version is the compaction to read, from 1; 0 is the latest.
	Version uint32
}

// Compacted is a conversation's compacted state, copied out of libsynap:
// a plain value, safe to keep and share. Every value is nil when the
// service left it out.
type Compacted struct {
	// CompactionID is the compaction's id.
	CompactionID *string
	// FormattedContext is the compacted history, in the format asked for.
	FormattedContext *string
	// OriginalTokenCount and CompactedTokenCount are the history's size
	// in tokens, before and after.
	OriginalTokenCount, CompactedTokenCount *int64
	// CompressionRatio is how much it shrank the history.
	CompressionRatio *float64
	// StrategyUsed is the strategy applied, as sent.
	StrategyUsed *string
	// ValidationScore is the compaction's validation score.
	ValidationScore *float64
	// ValidationPassed is whether it passed validation.
	ValidationPassed *bool
	// QualityWarning is whether the service doubts its quality.
	QualityWarning *bool
	// Facts, Decisions and Preferences are what the compaction kept, each
	// a JSON array.
	Facts, Decisions, Preferences json.RawMessage
	// CurrentState is the conversation's state, a JSON object.
	CurrentState json.RawMessage
	// TTLSeconds is how long it may be cached.
	TTLSeconds *int64
	// RawJSON is the response body.
	RawJSON json.RawMessage
}

// The statuses of a conversation's compaction the service is known to
// send; CompactionStatus.Status keeps any other as sent.
const (
	CompactionInProgress = "in_progress"
	CompactionCompleted  = "completed"
)

// CompactionStatus is where a conversation's compaction stands, copied
// out of libsynap. Every value is nil when the service left it out.
type CompactionStatus struct {
	// ConversationID is the conversation.
	ConversationID *string
	// Status is the status as sent: CompactionCompleted,
	// CompactionInProgress, ...
	Status *string
	// CompactionID is the latest compaction's id.
	CompactionID *string
	// CompletedAt is when it completed, UTC.
	CompletedAt *time.Time
	// CompressionRatio is how much it shrank the history.
	CompressionRatio *float64
	// ValidationScore is its validation score.
	ValidationScore *float64
	// EstimatedCompletionSeconds is how long a running one should still
	// take.
	EstimatedCompletionSeconds *int64
	// LatestVersion is the latest compaction's version.
	LatestVersion *int64
	// ErrorMessage is what went wrong, for a failed one.
	ErrorMessage *string
}

// RecordMessage records one message of a conversation
// (POST /v1/conversations/messages); msg needs ConversationID, Role and
// UserID.
//
// It is not idempotent: libsynap resends it only when the failure proves
// it had no effect (a refused connection, HTTP 429 or 503), never after a
// timeout, a dropped connection or another 5xx, where the service may
// already have recorded it; the binding adds no retry of its own. If ctx
// ends first, RecordMessage returns its error at once, but the message may
// still be recorded.
func (c *Client) RecordMessage(ctx context.Context, msg Message) (*RecordedMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_message_request
	if err := m.message(&in, &msg); err != nil {
		m.free()
		return nil, err
	}
	return inBackground(ctx, func() (*RecordedMessage, error) {
		defer m.free()
		return c.recordMessage(&in)
	})
}

func (c *Client) recordMessage(in *C.synapgo_message_request) (*RecordedMessage, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapRecordedMessage
	var view C.synapgo_recorded
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_record_message(c.handle, in, &out, &view, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_recorded_message_free(out)
	recorded := copyRecorded(&view)
	return &recorded, nil
}

// RecordMessages records several messages in one request
// (POST /v1/conversations/messages/batch); each needs ConversationID and
// Role. A message the service refuses is one of the batch's Errors while
// the others are stored; an empty batch is ErrInvalidArgument. It is
// resent only as RecordMessage is.
func (c *Client) RecordMessages(ctx context.Context, msgs []Message) (*MessageBatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	in := make([]C.synapgo_message_request, len(msgs))
	for i := range msgs {
		if err := m.message(&in[i], &msgs[i]); err != nil {
			m.free()
			err.Message = "messages[" + strconv.Itoa(i) + "]: " + err.Message
			return nil, err
		}
	}
	return inBackground(ctx, func() (*MessageBatch, error) {
		defer m.free()
		return c.recordMessages(in)
	})
}

func (c *Client) recordMessages(in []C.synapgo_message_request) (*MessageBatch, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var first *C.synapgo_message_request
	if len(in) > 0 {
		first = &in[0]
	}
	var out *C.SynapMessageBatch
	var v C.synapgo_message_batch_view
	bad := C.size_t(len(in))
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_record_messages(c.handle, first, C.size_t(len(in)), &out, &v, &bad, &cerr) != C.SYNAP_OK {
		err := takeError(&cerr)
		if int(bad) < len(in) {
			err.Message = "messages[" + strconv.Itoa(int(bad)) + "]: " + err.Message
		}
		return nil, err
	}
	defer C.synapgo_message_batch_release(out, &v)
	results := unsafe.Slice(v.results, int(v.result_count))
	errs := unsafe.Slice(v.errors, int(v.error_count))
	batch := &MessageBatch{
		Total:     optionalInt(v.has_total, v.total),
		Succeeded: optionalInt(v.has_succeeded, v.succeeded),
		Failed:    optionalInt(v.has_failed, v.failed),
		Results:   make([]RecordedMessage, len(results)),
		Errors:    make([]MessageBatchError, len(errs)),
	}
	for i := range results {
		batch.Results[i] = copyRecorded(&results[i])
	}
	for i := range errs {
		batch.Errors[i] = MessageBatchError{
			Index:   optionalInt(errs[i].has_index, errs[i].index),
			Message: optionalString(errs[i].message),
		}
	}
	return batch, nil
}

// message fills in with C copies of msg's fields, or returns the first one
// the binding refuses; libsynap checks the values when the shim applies
// them.
func (m *cMemory) message(in *C.synapgo_message_request, msg *Message) *Error {
	in.conversation_id = m.optional("ConversationID", msg.ConversationID)
	in.role = m.optional("Role", string(msg.Role))
	in.content = m.str("Content", msg.Content)
	in.user_id = m.optional("UserID", msg.UserID)
	in.customer_id = m.optional("CustomerID", msg.CustomerID)
	in.session_id = m.optional("SessionID", msg.SessionID)
	if len(msg.Metadata) > 0 {
		in.metadata_json = m.str("Metadata", string(msg.Metadata))
	}
	in.scope_path, in.scope_path_count = m.scopePath("ScopePath", msg.ScopePath)
	in.agent_model = m.optional("AgentModel", msg.AgentModel)
	in.agent_context_window = C.uint32_t(msg.AgentContextWindow)
	return m.err
}

// copyRecorded reads a recorded message's view; the caller still owns the
// message it lends from.
func copyRecorded(v *C.synapgo_recorded) RecordedMessage {
	return RecordedMessage{
		MessageID:                optionalString(v.message_id),
		ConversationID:           optionalString(v.conversation_id),
		SessionID:                optionalString(v.session_id),
		RecordedAt:               optionalTime(v.has_recorded_at, v.recorded_at_us),
		ConversationMessageCount: optionalInt(v.has_message_count, v.message_count),
	}
}

// IngestTranscript ingests a finished conversation
// (POST /v1/conversations/ingest) as an ingestion job: Wait for its
// IngestionID as for a created document's, and read the conversation by
// its ConversationID. The same transcript again is answered with Status
// TranscriptDuplicate and the first job; another transcript under the
// same conversation id is ErrConflict. Setting both Text and Turns is
// ErrInvalidArgument before any request.
//
// It is resent only as RecordMessage is; repeating it yourself is safe,
// since a repeat is a duplicate. If ctx ends first, IngestTranscript
// returns its error at once, but the transcript may still be ingested.
func (c *Client) IngestTranscript(ctx context.Context, t Transcript) (*TranscriptIngestion, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_transcript_request
	if err := m.transcript(&in, &t); err != nil {
		m.free()
		return nil, err
	}
	return inBackground(ctx, func() (*TranscriptIngestion, error) {
		defer m.free()
		return c.ingest(&in)
	})
}

func (c *Client) ingest(in *C.synapgo_transcript_request) (*TranscriptIngestion, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapTranscriptIngestion
	var v C.synapgo_transcript_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_ingest(c.handle, in, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_transcript_release(out, &v)
	return &TranscriptIngestion{
		ConversationID:         optionalString(v.conversation_id),
		ExternalConversationID: optionalString(v.external_conversation_id),
		IngestionID:            optionalString(v.ingestion_id),
		Status:                 optionalString(v.status),
		TurnsRecorded:          optionalInt(v.has_turns_recorded, v.turns_recorded),
		SummaryStatus:          optionalString(v.summary_status),
		QueuedAt:               optionalTime(v.has_queued_at, v.queued_at_us),
		Warnings:               goStrings(v.warnings, v.warning_count),
	}, nil
}

// transcript fills in with C copies of t's fields, or returns the first
// one the binding refuses; libsynap checks the values when the shim
// applies them.
func (m *cMemory) transcript(in *C.synapgo_transcript_request, t *Transcript) *Error {
	if t.Text != "" && len(t.Turns) > 0 {
		m.refuse("both Text and Turns are set; a transcript is one or the other")
	}
	in.conversation_id = m.optional("ConversationID", t.ConversationID)
	in.user_id = m.optional("UserID", t.UserID)
	in.customer_id = m.optional("CustomerID", t.CustomerID)
	if t.Text != "" {
		in.text = m.str("Text", t.Text)
	}
	if n := len(t.Turns); n > 0 {
		p := m.alloc(n, unsafe.Sizeof(C.synapgo_transcript_turn{}))
		turns := unsafe.Slice((*C.synapgo_transcript_turn)(p), n)
		for i := range t.Turns {
			turn, what := &t.Turns[i], "Turns["+strconv.Itoa(i)+"]."
			turns[i].role = m.optional(what+"Role", string(turn.Role))
			turns[i].content = m.str(what+"Content", turn.Content)
			turns[i].speaker = m.optional(what+"Speaker", turn.Speaker)
			if !turn.Timestamp.IsZero() {
				turns[i].has_timestamp = true
				turns[i].timestamp_us = m.micros(what+"Timestamp", turn.Timestamp)
			}
		}
		in.turns = (*C.synapgo_transcript_turn)(p)
		in.turn_count = C.size_t(n)
	}
	in.conversation_type = m.optional("ConversationType", t.ConversationType)
	if len(t.Analysis) > 0 {
		in.analysis_json = m.str("Analysis", string(t.Analysis))
	}
	if len(t.Metadata) > 0 {
		in.metadata_json = m.str("Metadata", string(t.Metadata))
	}
	if !t.StartedAt.IsZero() {
		in.has_started_at = true
		in.started_at_us = m.micros("StartedAt", t.StartedAt)
	}
	if !t.EndedAt.IsZero() {
		in.has_ended_at = true
		in.ended_at_us = m.micros("EndedAt", t.EndedAt)
	}
	in.scope_path, in.scope_path_count = m.scopePath("ScopePath", t.ScopePath)
	return m.err
}

// Messages reads one page of a conversation's messages, oldest first
// (GET /v1/conversations/{id}/messages): from position start (1 is the
// first message), at most limit (1 to MaxMessagesPage). A page shorter
// than limit is the last; the next one starts at start+limit.
// conversationID is a UUID; it, start or limit out of range is
// ErrInvalidArgument before any request. The read is retried as reads
// are. If ctx ends first, Messages returns its error at once, as
// MemoryStatus does.
func (c *Client) Messages(ctx context.Context, conversationID string, start, limit int) ([]ConversationMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	if start < 0 || int64(start) > math.MaxUint32 {
		return nil, invalid("start must be between 1 (the first message) and 2^32-1, not " + strconv.Itoa(start))
	}
	if limit < 0 || int64(limit) > math.MaxUint32 {
		return nil, invalid("limit must be between 1 and " + strconv.Itoa(MaxMessagesPage) + ", not " + strconv.Itoa(limit))
	}
	m := new(cMemory)
	id := m.str("conversation id", conversationID)
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() ([]ConversationMessage, error) {
		defer m.free()
		return c.messages(id, C.uint32_t(start), C.uint32_t(limit))
	})
}

func (c *Client) messages(id *C.char, start, limit C.uint32_t) ([]ConversationMessage, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapMessagePage
	var list *C.synapgo_message
	var count C.size_t
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_conversation_messages(c.handle, id, start, limit, &out, &list, &count, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_message_page_release(out, list)
	messages := unsafe.Slice(list, int(count))
	page := make([]ConversationMessage, len(messages))
	for i := range messages {
		v := &messages[i]
		page[i] = ConversationMessage{
			Position:  optionalInt(v.has_position, v.position),
			Role:      optionalString(v.role),
			Content:   optionalString(v.content),
			Timestamp: optionalTime(v.has_timestamp, v.timestamp_us),
			MessageID: optionalString(v.message_id),
		}
	}
	return page, nil
}

// AllMessages reads every message of a conversation, oldest first: pages
// of MaxMessagesPage from Messages until one is shorter. Each page is one
// request, so messages recorded meanwhile may or may not be included. The
// first failure ends it, with what was read so far discarded.
func (c *Client) AllMessages(ctx context.Context, conversationID string) ([]ConversationMessage, error) {
	all := []ConversationMessage{}
	for start := 1; ; start += MaxMessagesPage {
		page, err := c.Messages(ctx, conversationID, start, MaxMessagesPage)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < MaxMessagesPage {
			return all, nil
		}
	}
}

// Compact starts compacting a conversation (POST
// /v1/conversations/compact): a job that ends with a summary and a
// cut-off. Follow it with CompactionStatus, then read Compacted; from then
// on PromptContext gives the summary plus the messages after the cut-off.
// conversationID is a UUID, checked before any request, as is the
// strategy. One already running is ErrConflict.
//
// It is resent only as RecordMessage is. If ctx ends first, Compact
// returns its error at once, but the compaction may still start.
func (c *Client) Compact(ctx context.Context, conversationID string, opts CompactOptions) (*Compaction, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	id := m.str("conversation id", conversationID)
	settings := C.synapgo_compact_settings{
		strategy:      m.optional("Strategy", string(opts.Strategy)),
		target_tokens: C.uint32_t(opts.TargetTokens),
		force:         C.bool(opts.Force),
	}
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*Compaction, error) {
		defer m.free()
		return c.compact(id, &settings)
	})
}

func (c *Client) compact(id *C.char, settings *C.synapgo_compact_settings) (*Compaction, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapCompaction
	var v C.synapgo_compaction_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_compact(c.handle, id, settings, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_compaction_free(out)
	return &Compaction{
		CompactionID:               optionalString(v.compaction_id),
		ConversationID:             optionalString(v.conversation_id),
		Status:                     optionalString(v.status),
		TriggerType:                optionalString(v.trigger_type),
		InitiatedAt:                optionalTime(v.has_initiated_at, v.initiated_at_us),
		EstimatedCompletionSeconds: optionalInt(v.has_estimated_completion, v.estimated_completion_seconds),
		PreviousCompactionID:       optionalString(v.previous_compaction_id),
	}, nil
}

// Compacted reads a conversation's compacted state
// (GET /v1/conversations/{id}/compacted) in opts.Format, at opts.Version
// or the latest. It returns (nil, nil) when the conversation has not been
// compacted yet (the service's 404, "none yet", not an error).
// conversationID is a UUID; it or an unknown format is
// ErrInvalidArgument before any request. The read is retried as reads
// are. If ctx ends first, Compacted returns its error at once, as
// MemoryStatus does.
func (c *Client) Compacted(ctx context.Context, conversationID string, opts CompactedOptions) (*Compacted, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	id := m.str("conversation id", conversationID)
	format := m.optional("Format", string(opts.Format))
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*Compacted, error) {
		defer m.free()
		return c.compacted(id, format, C.uint32_t(opts.Version))
	})
}

func (c *Client) compacted(id, format *C.char, version C.uint32_t) (*Compacted, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapCompacted
	var v C.synapgo_compacted_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_compacted(c.handle, id, format, version, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	if out == nil {
		return nil, nil
	}
	defer C.synap_compacted_free(out)
	return &Compacted{
		CompactionID:        optionalString(v.compaction_id),
		FormattedContext:    optionalString(v.formatted_context),
		OriginalTokenCount:  optionalInt(v.has_original_tokens, v.original_token_count),
		CompactedTokenCount: optionalInt(v.has_compacted_tokens, v.compacted_token_count),
		CompressionRatio:    optionalFloat(v.has_compression_ratio, v.compression_ratio),
		StrategyUsed:        optionalString(v.strategy_used),
		ValidationScore:     optionalFloat(v.has_validation_score, v.validation_score),
		ValidationPassed:    optionalBool(v.has_validation_passed, v.validation_passed),
		QualityWarning:      optionalBool(v.has_quality_warning, v.quality_warning),
		Facts:               rawJSON(v.facts_json),
		Decisions:           rawJSON(v.decisions_json),
		Preferences:         rawJSON(v.preferences_json),
		CurrentState:        rawJSON(v.current_state_json),
		TTLSeconds:          optionalInt(v.has_ttl, v.ttl_seconds),
		RawJSON:             rawJSON(v.raw_json),
	}, nil
}

// CompactionStatus asks where a conversation's compaction stands
// (GET /v1/conversations/{id}/compaction/status). conversationID is a
// UUID; anything else is ErrInvalidArgument before any request. The read
// is retried as reads are. If ctx ends first, CompactionStatus returns its
// error at once, as MemoryStatus does.
func (c *Client) CompactionStatus(ctx context.Context, conversationID string) (*CompactionStatus, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	id := m.str("conversation id", conversationID)
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*CompactionStatus, error) {
		defer m.free()
		return c.compactionStatus(id)
	})
}

func (c *Client) compactionStatus(id *C.char) (*CompactionStatus, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapCompactionStatus
	var v C.synapgo_compaction_status_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_compaction_status(c.handle, id, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_compaction_status_free(out)
	return &CompactionStatus{
		ConversationID:             optionalString(v.conversation_id),
		Status:                     optionalString(v.state),
		CompactionID:               optionalString(v.compaction_id),
		CompletedAt:                optionalTime(v.has_completed_at, v.completed_at_us),
		CompressionRatio:           optionalFloat(v.has_compression_ratio, v.compression_ratio),
		ValidationScore:            optionalFloat(v.has_validation_score, v.validation_score),
		EstimatedCompletionSeconds: optionalInt(v.has_estimated_completion, v.estimated_completion_seconds),
		LatestVersion:              optionalInt(v.has_latest_version, v.latest_version),
		ErrorMessage:               optionalString(v.error_message),
	}, nil
}

// optionalBool is v when has, else nil.
func optionalBool(has, v C.bool) *bool {
	if !has {
		return nil
	}
	b := bool(v)
	return &b
}
