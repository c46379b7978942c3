package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"encoding/json"
)

// PromptStyle is how PromptContext renders a conversation; libsynap
// refuses any other value before a request is made.
type PromptStyle string

// The prompt styles.
const (
	// PromptStructured is the default.
	PromptStructured   PromptStyle = "structured"
	PromptNarrative    PromptStyle = "narrative"
	PromptBulletPoints PromptStyle = "bullet_points"
)

// PromptContext is a conversation's prompt context, copied out of
// libsynap: its compacted history plus every message after the
// compaction's cut-off (all of them before the first compaction), as one
// prompt-ready string and its parts.
type PromptContext struct {
	// FormattedContext is the prompt-ready text: the compaction block,
	// then the recent messages.
	FormattedContext *string
	// Available is true when a compaction exists.
	Available bool
	// IsStale is true when the compaction lags the conversation.
	IsStale bool
	// QualityWarning is true when the service doubts the compaction's
	// quality.
	QualityWarning bool
	// CompressionRatio is how much the compaction shrank the history.
	CompressionRatio *float64
	// ValidationScore is the compaction's validation score.
	ValidationScore *float64
	// CompactionAgeSeconds is how old the compaction is.
	CompactionAgeSeconds *int64
	// RecentMessages are the messages after the cut-off, oldest first;
	// never nil.
	RecentMessages []Turn
	// RecentMessageCount is how many messages came after the cut-off, as
	// the service counts them.
	RecentMessageCount int64
	// CompactedMessageCount is how many messages the compaction covers.
	CompactedMessageCount int64
	// TotalMessageCount is how many messages the conversation has.
	TotalMessageCount int64
	// ContextBlock is the compaction block alone.
	ContextBlock *string
	// CompactionID is the compaction it comes from.
	CompactionID *string
	// RawJSON is the response body; nil when absent.
	RawJSON json.RawMessage
}

// PromptContext reads a conversation's prompt context
// (GET /v1/conversations/{id}/context-for-prompt) in style; "" is
// PromptStructured. conversationID is a UUID; anything else is
// ErrInvalidArgument before any request. If ctx ends first, PromptContext
// returns its error at once, as MemoryStatus does.
func (c *Client) PromptContext(ctx context.Context, conversationID string, style PromptStyle) (*PromptContext, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	id := m.str("conversation id", conversationID)
	cstyle := m.optional("style", string(style))
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*PromptContext, error) {
		defer m.free()
		return c.promptContext(id, cstyle)
	})
}

func (c *Client) promptContext(id, style *C.char) (*PromptContext, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapPromptContext
	var v C.synapgo_prompt_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_prompt_context(c.handle, id, style, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_prompt_release(out, &v)
	return &PromptContext{
		FormattedContext:      optionalString(v.formatted_context),
		Available:             bool(v.available),
		IsStale:               bool(v.is_stale),
		QualityWarning:        bool(v.quality_warning),
		CompressionRatio:      optionalFloat(v.has_compression_ratio, v.compression_ratio),
		ValidationScore:       optionalFloat(v.has_validation_score, v.validation_score),
		CompactionAgeSeconds:  optionalInt(v.has_compaction_age, v.compaction_age_seconds),
		RecentMessages:        copyTurns(v.turns, v.turn_count),
		RecentMessageCount:    int64(v.recent_message_count),
		CompactedMessageCount: int64(v.compacted_message_count),
		TotalMessageCount:     int64(v.total_message_count),
		ContextBlock:          optionalString(v.context_block),
		CompactionID:          optionalString(v.compaction_id),
		RawJSON:               rawJSON(v.raw_json),
	}, nil
}
