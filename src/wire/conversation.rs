//! The bodies of the conversation routes (contract part 2, §5.1-5.7): a
//! recorded message, a batch of them, an ingested transcript, a page of a
//! conversation's messages, a compaction started, its status and the
//! compacted state.
//!
//! Each body is read in one streaming pass into the model types of
//! `crate::conversation`, by the tolerance rules of the context answers
//! (see `super::context`, whose readers these are):
//! - an explicit `null` is the same as an absent key;
//! - a scalar of the wrong type is absent: an integer is a JSON integer, a
//!   float with no fraction or a string holding an integer (`3`, `3.0`,
//!   `"3"`); a number is a JSON number or a string holding a finite one; a
//!   boolean is `true`/`false`, 0/1 or a word pydantic reads as one; a time
//!   is an ISO 8601 string;
//! - server text holding a NUL (JSON `\u0000`) is absent;
//! - `warnings` that is not an array is empty, and its elements that are
//!   not strings are skipped;
//! - `facts`, `decisions` and `preferences` are kept as JSON text when they
//!   are arrays, `current_state` when it is an object; any other value is
//!   absent;
//! - no default is filled in: what the service does not send is `None`;
//! - a repeated key: the last one wins.
//!
//! Only a body whose structure is wrong fails, with `Protocol` naming the
//! path (`results[2] is not an object`): not UTF-8 or not JSON, not an
//! object; `results`, `errors` or `turns` not an array, or an element of
//! one not an object (`null` included).
//!
//! As in the context parsers, nothing here recurses with the depth of the
//! body: values that are skipped or captured as JSON text are handled by
//! serde_json without recursion.

use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::context::{
    Array, Path, Strings, boolean, integer, number, object_json, objects, read_body, text, time, utf8,
};
use super::loose::Loose;
use crate::conversation::{
    BatchError, Compacted, Compaction, CompactionStatus, ConversationMessage, MessageBatch, RecordedMessage,
    TranscriptIngestion,
};
use crate::error::Error;
use crate::text::Text;

/// Parses the body of `POST /v1/conversations/messages` (§5.1).
pub(crate) fn parse_recorded_message(body: &[u8]) -> Result<RecordedMessage, Error> {
    const WHAT: &str = "message";
    read_body(WHAT, utf8(WHAT, body)?, RecordedMessageVisitor)
}

/// Parses the body of `POST /v1/conversations/messages/batch` (§5.2).
pub(crate) fn parse_message_batch(body: &[u8]) -> Result<MessageBatch, Error> {
    const WHAT: &str = "message batch";
    read_body(WHAT, utf8(WHAT, body)?, MessageBatchVisitor)
}

/// Parses the body of `POST /v1/conversations/ingest` (§5.3).
pub(crate) fn parse_transcript_ingestion(body: &[u8]) -> Result<TranscriptIngestion, Error> {
    const WHAT: &str = "transcript ingestion";
    read_body(WHAT, utf8(WHAT, body)?, TranscriptIngestionVisitor)
}

/// Parses a page of `GET /v1/conversations/{id}/messages` (§5.4),
/// `{"turns": [...]}`: every turn, in the order sent. Absent or null
/// `turns` is an empty page.
pub(crate) fn parse_message_page(body: &[u8]) -> Result<Vec<ConversationMessage>, Error> {
    const WHAT: &str = "messages";
    read_body(WHAT, utf8(WHAT, body)?, PageVisitor)
}

/// Parses the body of `POST /v1/conversations/compact` (§5.5).
pub(crate) fn parse_compaction(body: &[u8]) -> Result<Compaction, Error> {
    const WHAT: &str = "compaction";
    read_body(WHAT, utf8(WHAT, body)?, CompactionVisitor)
}

/// Parses the body of `GET /v1/conversations/{id}/compaction/status`
/// (§5.7).
pub(crate) fn parse_compaction_status(body: &[u8]) -> Result<CompactionStatus, Error> {
    const WHAT: &str = "compaction status";
    read_body(WHAT, utf8(WHAT, body)?, CompactionStatusVisitor)
}

/// Parses the body of `GET /v1/conversations/{id}/compacted` (§5.6);
/// `raw_json` is the body.
pub(crate) fn parse_compacted(body: &[u8]) -> Result<Compacted, Error> {
    const WHAT: &str = "compacted";
    let text = utf8(WHAT, body)?;
    let mut compacted = read_body(WHAT, text, CompactedVisitor)?;
    // Always some: JSON text holds no NUL byte (in a string it would be a
    // control character, refused by the read above).
    compacted.raw_json = Text::new(text);
    Ok(compacted)
}

/// The next value of `map`, as a scalar for the readers of
/// `super::context` (an array or object reads as neither).
pub(super) fn scalar<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Loose<'de>>, A::Error> {
    map.next_value().map(Some)
}

/// An array's JSON text as sent; absent when the value is not an array.
fn array_json(raw: Option<&RawValue>) -> Option<Text> {
    raw.filter(|r| r.get().starts_with('[')).and_then(|r| Text::new(r.get()))
}

/// The next value of `map`, an array of objects at `path`, each read by
/// the visitor `element` makes; absent or null is empty.
pub(super) fn list<'de, A, V>(map: &mut A, path: Path<'_>, element: fn() -> V) -> Result<Vec<V::Value>, A::Error>
where
    A: MapAccess<'de>,
    V: Visitor<'de>,
{
    Ok(map.next_value_seed(Array { path, visitor: ListVisitor { path, element } })?.unwrap_or_default())
}

/// An array of objects, each read by a visitor `element` makes.
struct ListVisitor<'p, V> {
    path: Path<'p>,
    element: fn() -> V,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for ListVisitor<'_, V> {
    type Value = Vec<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let mut values = Vec::new();
        objects(self.path, seq, self.element, |value| values.push(value))?;
        Ok(values)
    }
}

// A recorded message (§5.1), also a row of a batch's `results` (§5.2).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum RecordedKey {
    MessageId,
    ConversationId,
    SessionId,
    RecordedAt,
    ConversationMessageCount,
    #[serde(other)]
    Other,
}

struct RecordedMessageVisitor;

impl<'de> Visitor<'de> for RecordedMessageVisitor {
    type Value = RecordedMessage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a recorded message")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = RecordedMessage::default();
        while let Some(key) = map.next_key::<RecordedKey>()? {
            match key {
                RecordedKey::MessageId => m.message_id = text(&scalar(&mut map)?),
                RecordedKey::ConversationId => m.conversation_id = text(&scalar(&mut map)?),
                RecordedKey::SessionId => m.session_id = text(&scalar(&mut map)?),
                RecordedKey::RecordedAt => m.recorded_at_us = time(&scalar(&mut map)?),
                RecordedKey::ConversationMessageCount => m.conversation_message_count = integer(&scalar(&mut map)?),
                RecordedKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(m)
    }
}

// A batch (§5.2).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum BatchKey {
    Total,
    Succeeded,
    Failed,
    Results,
    Errors,
    #[serde(other)]
    Other,
}

struct MessageBatchVisitor;

impl<'de> Visitor<'de> for MessageBatchVisitor {
    type Value = MessageBatch;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message batch response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut b = MessageBatch::default();
        while let Some(key) = map.next_key::<BatchKey>()? {
            match key {
                BatchKey::Total => b.total = integer(&scalar(&mut map)?),
                BatchKey::Succeeded => b.succeeded = integer(&scalar(&mut map)?),
                BatchKey::Failed => b.failed = integer(&scalar(&mut map)?),
                BatchKey::Results => b.results = list(&mut map, Path::Key("results"), || RecordedMessageVisitor)?,
                BatchKey::Errors => b.errors = list(&mut map, Path::Key("errors"), || BatchErrorVisitor)?,
                BatchKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(b)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum BatchErrorKey {
    Index,
    Error,
    Message,
    Detail,
    #[serde(other)]
    Other,
}

/// An element of a batch's `errors`. Its text is the first of `error`,
/// `message`, `detail` that reads as text.
struct BatchErrorVisitor;

impl<'de> Visitor<'de> for BatchErrorVisitor {
    type Value = BatchError;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a batch error")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut index = None;
        let mut candidates: [Option<Loose<'de>>; 3] = Default::default();
        while let Some(key) = map.next_key::<BatchErrorKey>()? {
            let slot = match key {
                BatchErrorKey::Index => {
                    index = scalar(&mut map)?;
                    continue;
                }
                BatchErrorKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                BatchErrorKey::Error => 0,
                BatchErrorKey::Message => 1,
                BatchErrorKey::Detail => 2,
            };
            candidates[slot] = scalar(&mut map)?;
        }
        Ok(BatchError { index: integer(&index), error: candidates.iter().find_map(text) })
    }
}

// An ingested transcript (§5.3).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum IngestionKey {
    ConversationId,
    ExternalConversationId,
    IngestionId,
    Status,
    TurnsRecorded,
    SummaryStatus,
    QueuedAt,
    Warnings,
    #[serde(other)]
    Other,
}

struct TranscriptIngestionVisitor;

impl<'de> Visitor<'de> for TranscriptIngestionVisitor {
    type Value = TranscriptIngestion;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a transcript ingestion response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut t = TranscriptIngestion::default();
        while let Some(key) = map.next_key::<IngestionKey>()? {
            match key {
                IngestionKey::ConversationId => t.conversation_id = text(&scalar(&mut map)?),
                IngestionKey::ExternalConversationId => t.external_conversation_id = text(&scalar(&mut map)?),
                IngestionKey::IngestionId => t.ingestion_id = text(&scalar(&mut map)?),
                IngestionKey::Status => t.status = text(&scalar(&mut map)?),
                IngestionKey::TurnsRecorded => t.turns_recorded = integer(&scalar(&mut map)?),
                IngestionKey::SummaryStatus => t.summary_status = text(&scalar(&mut map)?),
                IngestionKey::QueuedAt => t.queued_at_us = time(&scalar(&mut map)?),
                IngestionKey::Warnings => t.warnings = map.next_value_seed(Strings)?,
                IngestionKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(t)
    }
}

// A page of messages (§5.4).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum PageKey {
    Turns,
    #[serde(other)]
    Other,
}

struct PageVisitor;

impl<'de> Visitor<'de> for PageVisitor {
    type Value = Vec<ConversationMessage>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a messages response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut turns = Vec::new();
        while let Some(key) = map.next_key::<PageKey>()? {
            match key {
                PageKey::Turns => turns = list(&mut map, Path::Key("turns"), || MessageVisitor)?,
                PageKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(turns)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum MessageKey {
    Position,
    Role,
    Content,
    Timestamp,
    MessageId,
    #[serde(other)]
    Other,
}

/// A turn of a page, as sent: no role is assumed and an empty content is
/// kept, so that the page holds as many messages as the service sent.
struct MessageVisitor;

impl<'de> Visitor<'de> for MessageVisitor {
    type Value = ConversationMessage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = ConversationMessage::default();
        while let Some(key) = map.next_key::<MessageKey>()? {
            match key {
                MessageKey::Position => m.position = integer(&scalar(&mut map)?),
                MessageKey::Role => m.role = text(&scalar(&mut map)?),
                MessageKey::Content => m.content = text(&scalar(&mut map)?),
                MessageKey::Timestamp => m.timestamp_us = time(&scalar(&mut map)?),
                MessageKey::MessageId => m.message_id = text(&scalar(&mut map)?),
                MessageKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(m)
    }
}

// A compaction started (§5.5).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum CompactionKey {
    CompactionId,
    ConversationId,
    Status,
    TriggerType,
    InitiatedAt,
    EstimatedCompletionSeconds,
    PreviousCompactionId,
    #[serde(other)]
    Other,
}

struct CompactionVisitor;

impl<'de> Visitor<'de> for CompactionVisitor {
    type Value = Compaction;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a compaction response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut c = Compaction::default();
        while let Some(key) = map.next_key::<CompactionKey>()? {
            match key {
                CompactionKey::CompactionId => c.compaction_id = text(&scalar(&mut map)?),
                CompactionKey::ConversationId => c.conversation_id = text(&scalar(&mut map)?),
                CompactionKey::Status => c.status = text(&scalar(&mut map)?),
                CompactionKey::TriggerType => c.trigger_type = text(&scalar(&mut map)?),
                CompactionKey::InitiatedAt => c.initiated_at_us = time(&scalar(&mut map)?),
                CompactionKey::EstimatedCompletionSeconds => {
                    c.estimated_completion_seconds = integer(&scalar(&mut map)?);
                }
                CompactionKey::PreviousCompactionId => c.previous_compaction_id = text(&scalar(&mut map)?),
                CompactionKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
}

// A compaction's status (§5.7).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum StatusKey {
    ConversationId,
    Status,
    CompactionId,
    CompletedAt,
    CompressionRatio,
    ValidationScore,
    EstimatedCompletionSeconds,
    LatestVersion,
    ErrorMessage,
    #[serde(other)]
    Other,
}

struct CompactionStatusVisitor;

impl<'de> Visitor<'de> for CompactionStatusVisitor {
    type Value = CompactionStatus;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a compaction status response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut s = CompactionStatus::default();
        while let Some(key) = map.next_key::<StatusKey>()? {
            match key {
                StatusKey::ConversationId => s.conversation_id = text(&scalar(&mut map)?),
                StatusKey::Status => s.status = text(&scalar(&mut map)?),
                StatusKey::CompactionId => s.compaction_id = text(&scalar(&mut map)?),
                StatusKey::CompletedAt => s.completed_at_us = time(&scalar(&mut map)?),
                StatusKey::CompressionRatio => s.compression_ratio = number(&scalar(&mut map)?),
                StatusKey::ValidationScore => s.validation_score = number(&scalar(&mut map)?),
                StatusKey::EstimatedCompletionSeconds => {
                    s.estimated_completion_seconds = integer(&scalar(&mut map)?);
                }
                StatusKey::LatestVersion => s.latest_version = integer(&scalar(&mut map)?),
                StatusKey::ErrorMessage => s.error_message = text(&scalar(&mut map)?),
                StatusKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(s)
    }
}

// The compacted state (§5.6).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum CompactedKey {
    CompactionId,
    FormattedContext,
    OriginalTokenCount,
    CompactedTokenCount,
    CompressionRatio,
    StrategyUsed,
    ValidationScore,
    ValidationPassed,
    QualityWarning,
    Facts,
    Decisions,
    Preferences,
    CurrentState,
    TtlSeconds,
    #[serde(other)]
    Other,
}

struct CompactedVisitor;

impl<'de> Visitor<'de> for CompactedVisitor {
    type Value = Compacted;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a compacted response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut c = Compacted::default();
        while let Some(key) = map.next_key::<CompactedKey>()? {
            match key {
                CompactedKey::CompactionId => c.compaction_id = text(&scalar(&mut map)?),
                CompactedKey::FormattedContext => c.formatted_context = text(&scalar(&mut map)?),
                CompactedKey::OriginalTokenCount => c.original_token_count = integer(&scalar(&mut map)?),
                CompactedKey::CompactedTokenCount => c.compacted_token_count = integer(&scalar(&mut map)?),
                CompactedKey::CompressionRatio => c.compression_ratio = number(&scalar(&mut map)?),
                CompactedKey::StrategyUsed => c.strategy_used = text(&scalar(&mut map)?),
                CompactedKey::ValidationScore => c.validation_score = number(&scalar(&mut map)?),
                CompactedKey::ValidationPassed => c.validation_passed = boolean(&scalar(&mut map)?),
                CompactedKey::QualityWarning => c.quality_warning = boolean(&scalar(&mut map)?),
                // Captured as text without being parsed into values:
                // however deep, serde_json skips them without recursion.
                CompactedKey::Facts => c.facts_json = array_json(map.next_value()?),
                CompactedKey::Decisions => c.decisions_json = array_json(map.next_value()?),
                CompactedKey::Preferences => c.preferences_json = array_json(map.next_value()?),
                CompactedKey::CurrentState => c.current_state_json = object_json(map.next_value()?),
                CompactedKey::TtlSeconds => c.ttl_seconds = integer(&scalar(&mut map)?),
                CompactedKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::wire::test_support::{error, ok, t, texts};

    fn message(json: &str) -> RecordedMessage {
        ok(parse_recorded_message, json)
    }

    fn batch(json: &str) -> MessageBatch {
        ok(parse_message_batch, json)
    }

    fn ingestion(json: &str) -> TranscriptIngestion {
        ok(parse_transcript_ingestion, json)
    }

    fn page(json: &str) -> Vec<ConversationMessage> {
        ok(parse_message_page, json)
    }

    /// The one turn of a page made of `fields`.
    fn turn(fields: &str) -> ConversationMessage {
        let turns = page(&format!(r#"{{"turns": [{{{fields}}}]}}"#));
        assert_eq!(turns.len(), 1);
        turns.into_iter().next().unwrap()
    }

    fn compaction(json: &str) -> Compaction {
        ok(parse_compaction, json)
    }

    fn status(json: &str) -> CompactionStatus {
        ok(parse_compaction_status, json)
    }

    fn compacted(json: &str) -> Compacted {
        ok(parse_compacted, json)
    }

    /// `compacted` without its `raw_json`, to compare fields alone.
    fn compacted_fields(json: &str) -> Compacted {
        let c = compacted(json);
        assert_eq!(c.raw_json.as_deref(), Some(json));
        Compacted { raw_json: None, ..c }
    }

    const MESSAGE: &str = r#"{"message_id": "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
 "conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37",
 "session_id": "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", "recorded_at": "2025-01-15T10:41:02.117Z",
 "conversation_message_count": 25}"#;

    const BATCH: &str = r#"{"total": 2, "succeeded": 1, "failed": 1,
 "results": [{"message_id": "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37",
   "recorded_at": "2025-01-15T10:41:02Z", "conversation_message_count": 26}],
 "errors": [{"index": 1, "error": "content must not be empty"}]}"#;

    const INGESTION: &str = r#"{"conversation_id": "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9",
 "external_conversation_id": "call-8812",
 "ingestion_id": "1b4e7a90-5c3d-4f28-b6e1-7a9c0d2e4f81", "status": "queued", "turns_recorded": 1,
 "summary_status": "in_progress", "queued_at": "2025-01-15T10:06:42Z", "warnings": []}"#;

    const PAGE: &str = r#"{"turns": [
 {"position": 1, "role": "user", "content": "Any update on my refund?", "timestamp": "2025-01-15T10:41:02Z",
  "message_id": "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"},
 {"position": "2", "role": "assistant", "content": "It was issued today.", "timestamp": "2025-01-15T10:42:00Z",
  "message_id": "8d2f3e4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a"}]}"#;

    const COMPACTION: &str = r#"{"compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e",
 "conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37", "status": "in_progress", "trigger_type": "manual_api",
 "initiated_at": "2025-01-15T10:42:00Z", "estimated_completion_seconds": 45}"#;

    const STATUS: &str = r#"{"conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37", "status": "completed",
 "compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e",
 "completed_at": "2025-01-15T10:42:41Z", "compression_ratio": 8.69, "latest_version": 3,
 "latest_created_at": "2025-01-15T10:42:41Z"}"#;

    const COMPACTED: &str = r#"{"compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e",
 "formatted_context": "<compacted text>",
 "original_token_count": 18250, "compacted_token_count": 2100, "compression_ratio": 8.69, "strategy_used": "balanced",
 "validation_score": 0.93, "validation_passed": true, "facts": [{"content": "Order 8812 arrived damaged"}],
 "decisions": [], "preferences": [], "current_state": {"stage": "awaiting refund"}, "quality_warning": false}"#;

    // Recorded message (§5.1).

    #[test]
    fn recorded_message_contract_example() {
        assert_eq!(
            message(MESSAGE),
            RecordedMessage {
                message_id: t("7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
                conversation_id: t("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"),
                session_id: t("a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"),
                recorded_at_us: Some(1_736_937_662_117_000),
                conversation_message_count: Some(25),
            }
        );
        assert_eq!(RecordedMessage::from_json(MESSAGE.as_bytes()).unwrap(), message(MESSAGE));
    }

    #[test]
    fn recorded_message_nulls_wrong_types_and_nul_are_absent() {
        let nulls = r#"{"message_id": null, "conversation_id": null, "session_id": null, "recorded_at": null,
            "conversation_message_count": null}"#;
        assert_eq!(message(nulls), RecordedMessage::default());
        assert_eq!(message("{}"), RecordedMessage::default());
        let wrong = r#"{"message_id": 7, "conversation_id": ["x"], "session_id": {"a": 1}, "recorded_at": "yesterday",
            "conversation_message_count": 2.5}"#;
        assert_eq!(message(wrong), RecordedMessage::default());
        let m = message(r#"{"message_id": "a\u0000b", "session_id": "s", "recorded_at": 1736937662}"#);
        assert_eq!((m.message_id, m.session_id.as_deref(), m.recorded_at_us), (None, Some("s"), None));
    }

    #[test]
    fn integers_are_lax() {
        let count = |v: &str| message(&format!(r#"{{"conversation_message_count": {v}}}"#)).conversation_message_count;
        assert_eq!(count("3"), Some(3));
        assert_eq!(count("3.0"), Some(3));
        assert_eq!(count(r#""3""#), Some(3));
        assert_eq!(count(r#"" 4 ""#), Some(4));
        assert_eq!(count("-1"), Some(-1));
        assert_eq!(count("3.5"), None);
        assert_eq!(count("9223372036854775808"), None);
        assert_eq!(count("1e19"), None);
        assert_eq!(count(r#""three""#), None);
        assert_eq!(count("true"), None);
    }

    #[test]
    fn unknown_and_repeated_keys() {
        let m = message(
            r#"{"message_id": "first", "message_id": "second", "extra": {"deep": [1, {"x": null}]},
                "recorded_at": "2025-01-15T10:41:02Z", "recorded_at": null}"#,
        );
        assert_eq!((m.message_id.as_deref(), m.recorded_at_us), (Some("second"), None));
        let b = batch(r#"{"results": [{"message_id": "a"}], "results": null, "errors": [], "errors": [{"index": 0}]}"#);
        assert!(b.results.is_empty());
        assert_eq!(b.errors, [BatchError { index: Some(0), error: None }]);
        assert!(page(r#"{"turns": [{}], "turns": []}"#).is_empty());
    }

    #[test]
    fn escapes_are_read() {
        let m = message(r#"{"session_id": "caf\u00e9 \"s\"\n", "message_id": "\ud83d\ude00"}"#);
        assert_eq!((m.session_id.as_deref(), m.message_id.as_deref()), (Some("café \"s\"\n"), Some("😀")));
    }

    // Batch (§5.2).

    #[test]
    fn batch_contract_example() {
        assert_eq!(
            batch(BATCH),
            MessageBatch {
                total: Some(2),
                succeeded: Some(1),
                failed: Some(1),
                results: vec![RecordedMessage {
                    message_id: t("7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
                    conversation_id: t("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"),
                    session_id: None,
                    recorded_at_us: Some(1_736_937_662_000_000),
                    conversation_message_count: Some(26),
                }],
                errors: vec![BatchError { index: Some(1), error: t("content must not be empty") }],
            }
        );
        assert_eq!(MessageBatch::from_json(BATCH.as_bytes()).unwrap(), batch(BATCH));
    }

    #[test]
    fn batch_rows_read_every_field_in_order() {
        let b = batch(
            r#"{"results": [
                {"message_id": "m1", "conversation_id": "c", "session_id": "s1", "recorded_at": "2025-01-15T10:42:00Z",
                 "conversation_message_count": "27"},
                {},
                {"message_id": "m3", "session_id": null, "conversation_message_count": 28.0}]}"#,
        );
        assert_eq!(
            b.results,
            [
                RecordedMessage {
                    message_id: t("m1"),
                    conversation_id: t("c"),
                    session_id: t("s1"),
                    recorded_at_us: Some(1_736_937_720_000_000),
                    conversation_message_count: Some(27),
                },
                RecordedMessage::default(),
                RecordedMessage { message_id: t("m3"), conversation_message_count: Some(28), ..Default::default() },
            ]
        );
        assert_eq!((b.total, b.succeeded, b.failed), (None, None, None));
        assert!(b.errors.is_empty());
    }

    #[test]
    fn batch_defaults_and_lax_counts() {
        assert_eq!(batch("{}"), MessageBatch::default());
        let nulls = r#"{"total": null, "succeeded": null, "failed": null, "results": null, "errors": null}"#;
        assert_eq!(batch(nulls), MessageBatch::default());
        let b = batch(r#"{"total": "5", "succeeded": 4.0, "failed": "one", "results": [], "errors": []}"#);
        assert_eq!((b.total, b.succeeded, b.failed), (Some(5), Some(4), None));
        assert_eq!(batch(r#"{"total": [2], "succeeded": {}, "failed": true}"#), MessageBatch::default());
    }

    #[test]
    fn batch_error_text_is_the_first_string() {
        let error = |fields: &str| {
            let b = batch(&format!(r#"{{"errors": [{{{fields}}}]}}"#));
            assert_eq!(b.errors.len(), 1);
            b.errors[0].clone()
        };
        let text = |fields: &str| error(fields).error.map(|t| t.as_str().to_owned());
        assert_eq!(text(r#""error": "e", "message": "m", "detail": "d""#).as_deref(), Some("e"));
        // By preference, not by the order sent.
        assert_eq!(text(r#""detail": "d", "message": "m", "error": "e""#).as_deref(), Some("e"));
        assert_eq!(text(r#""detail": "d", "message": "m""#).as_deref(), Some("m"));
        assert_eq!(text(r#""detail": "d""#).as_deref(), Some("d"));
        assert_eq!(text(r#""error": null, "message": 3, "detail": "d""#).as_deref(), Some("d"));
        assert_eq!(text(r#""error": {"code": "x"}, "message": "m""#).as_deref(), Some("m"));
        assert_eq!(text(r#""error": "a\u0000", "message": "m""#).as_deref(), Some("m"));
        assert_eq!(text(r#""error": "", "message": "m""#).as_deref(), Some(""));
        assert_eq!(text(r#""detail": {"message": "nested"}"#), None);
        assert_eq!(text(r#""error": "first", "error": 1, "message": "m""#).as_deref(), Some("m"));
        assert_eq!(error(""), BatchError::default());
        assert_eq!(error(r#""index": null"#).index, None);
        assert_eq!(error(r#""index": "2""#).index, Some(2));
        assert_eq!(error(r#""index": 2.0"#).index, Some(2));
        assert_eq!(error(r#""index": 1.5"#).index, None);
        assert_eq!(error(r#""index": "first""#).index, None);
        assert_eq!(
            error(r#""index": 3, "code": "invalid_role", "message": "bad role""#),
            BatchError { index: Some(3), error: t("bad role") }
        );
    }

    // Transcript ingestion (§5.3).

    #[test]
    fn ingestion_contract_example() {
        assert_eq!(
            ingestion(INGESTION),
            TranscriptIngestion {
                conversation_id: t("3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9"),
                external_conversation_id: t("call-8812"),
                ingestion_id: t("1b4e7a90-5c3d-4f28-b6e1-7a9c0d2e4f81"),
                status: t("queued"),
                turns_recorded: Some(1),
                summary_status: t("in_progress"),
                queued_at_us: Some(1_736_935_602_000_000),
                warnings: vec![],
            }
        );
        assert_eq!(TranscriptIngestion::from_json(INGESTION.as_bytes()).unwrap(), ingestion(INGESTION));
    }

    #[test]
    fn ingestion_no_defaults_and_values_kept_as_sent() {
        assert_eq!(ingestion("{}"), TranscriptIngestion::default());
        let nulls = r#"{"conversation_id": null, "external_conversation_id": null, "ingestion_id": null,
            "status": null, "turns_recorded": null, "summary_status": null, "queued_at": null, "warnings": null}"#;
        assert_eq!(ingestion(nulls), TranscriptIngestion::default());
        let wrong = r#"{"conversation_id": 1, "external_conversation_id": [], "ingestion_id": {}, "status": true,
            "turns_recorded": "many", "summary_status": 0, "queued_at": "soon", "warnings": "careful"}"#;
        assert_eq!(ingestion(wrong), TranscriptIngestion::default());
        // Values the reference SDK refuses are kept: they are the service's.
        let t2 = ingestion(r#"{"status": "rejected", "summary_status": "pending", "turns_recorded": "12"}"#);
        assert_eq!(
            (t2.status.as_deref(), t2.summary_status.as_deref(), t2.turns_recorded),
            (Some("rejected"), Some("pending"), Some(12))
        );
    }

    #[test]
    fn ingestion_warnings_are_tolerant() {
        let warnings = |v: &str| ingestion(&format!(r#"{{"warnings": {v}}}"#)).warnings;
        assert_eq!(texts(&warnings(r#"["a", "b"]"#)), ["a", "b"]);
        assert_eq!(texts(&warnings(r#"["a", 1, null, {"w": "x"}, ["y"], "b\u0000", "", "c"]"#)), ["a", "", "c"]);
        assert!(warnings(r#""one warning""#).is_empty());
        assert!(warnings(r#"{"w": "x"}"#).is_empty());
        assert!(warnings("3").is_empty());
        assert!(warnings("null").is_empty());
    }

    // A page of messages (§5.4).

    #[test]
    fn page_example() {
        let turns = page(PAGE);
        assert_eq!(
            turns,
            [
                ConversationMessage {
                    position: Some(1),
                    role: t("user"),
                    content: t("Any update on my refund?"),
                    timestamp_us: Some(1_736_937_662_000_000),
                    message_id: t("7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
                },
                ConversationMessage {
                    position: Some(2),
                    role: t("assistant"),
                    content: t("It was issued today."),
                    timestamp_us: Some(1_736_937_720_000_000),
                    message_id: t("8d2f3e4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a"),
                },
            ]
        );
        assert_eq!(ConversationMessage::page_from_json(PAGE.as_bytes()).unwrap(), turns);
    }

    #[test]
    fn page_without_turns_is_empty() {
        assert!(page("{}").is_empty());
        assert!(page(r#"{"turns": null}"#).is_empty());
        assert!(page(r#"{"turns": []}"#).is_empty());
        assert!(page(r#"{"total": 3, "next": 501}"#).is_empty());
    }

    #[test]
    fn page_turns_are_kept_as_sent() {
        // No role assumed, empty content kept: the page holds every turn.
        let turns = page(r#"{"turns": [{"content": ""}, {}, {"role": "system", "content": "x"}]}"#);
        assert_eq!(
            turns,
            [
                ConversationMessage { content: t(""), ..Default::default() },
                ConversationMessage::default(),
                ConversationMessage { role: t("system"), content: t("x"), ..Default::default() },
            ]
        );
        let nulls = r#""position": null, "role": null, "content": null, "timestamp": null, "message_id": null"#;
        assert_eq!(turn(nulls), ConversationMessage::default());
        let wrong = r#""position": "first", "role": 1, "content": ["x"], "timestamp": 1736937662,
            "message_id": {"id": 1}"#;
        assert_eq!(turn(wrong), ConversationMessage::default());
        let nul = turn(r#""role": "u\u0000", "content": "c\u0000", "message_id": "m""#);
        assert_eq!(nul, ConversationMessage { message_id: t("m"), ..Default::default() });
    }

    #[test]
    fn page_position_integer_or_digit_string() {
        let position = |v: &str| turn(&format!(r#""position": {v}"#)).position;
        assert_eq!(position("501"), Some(501));
        assert_eq!(position(r#""501""#), Some(501));
        assert_eq!(position("7.0"), Some(7));
        assert_eq!(position("7.5"), None);
        assert_eq!(position(r#""7th""#), None);
        assert_eq!(position(r#""""#), None);
        assert_eq!(position("false"), None);
    }

    // Compaction started (§5.5).

    #[test]
    fn compaction_contract_example() {
        assert_eq!(
            compaction(COMPACTION),
            Compaction {
                compaction_id: t("b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"),
                conversation_id: t("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"),
                status: t("in_progress"),
                trigger_type: t("manual_api"),
                initiated_at_us: Some(1_736_937_720_000_000),
                estimated_completion_seconds: Some(45),
                previous_compaction_id: None,
            }
        );
        assert_eq!(Compaction::from_json(COMPACTION.as_bytes()).unwrap(), compaction(COMPACTION));
    }

    #[test]
    fn compaction_every_field_and_tolerance() {
        let c = compaction(
            r#"{"previous_compaction_id": "a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d", "estimated_completion_seconds": "60",
                "previous_context": {"facts": []}, "previous_context_age_seconds": 3600}"#,
        );
        assert_eq!(
            c,
            Compaction {
                previous_compaction_id: t("a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d"),
                estimated_completion_seconds: Some(60),
                ..Default::default()
            }
        );
        // No defaults: the reference SDK's `pending`, `in_progress`,
        // `manual_api`, 60 s and "now" are not made up.
        assert_eq!(compaction("{}"), Compaction::default());
        let nulls = r#"{"compaction_id": null, "conversation_id": null, "status": null, "trigger_type": null,
            "initiated_at": null, "estimated_completion_seconds": null, "previous_compaction_id": null}"#;
        assert_eq!(compaction(nulls), Compaction::default());
        let wrong = r#"{"compaction_id": 1, "conversation_id": [], "status": {}, "trigger_type": false,
            "initiated_at": "at noon", "estimated_completion_seconds": 4.5, "previous_compaction_id": "p\u0000"}"#;
        assert_eq!(compaction(wrong), Compaction::default());
    }

    // Compaction status (§5.7).

    #[test]
    fn compaction_status_contract_example() {
        assert_eq!(
            status(STATUS),
            CompactionStatus {
                conversation_id: t("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"),
                status: t("completed"),
                compaction_id: t("b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"),
                completed_at_us: Some(1_736_937_761_000_000),
                compression_ratio: Some(8.69),
                validation_score: None,
                estimated_completion_seconds: None,
                latest_version: Some(3),
                error_message: None,
            }
        );
        assert_eq!(CompactionStatus::from_json(STATUS.as_bytes()).unwrap(), status(STATUS));
    }

    #[test]
    fn compaction_status_every_field_and_tolerance() {
        let s = status(
            r#"{"status": "failed", "validation_score": "0.4", "estimated_completion_seconds": 30,
                "latest_version": "2", "compression_ratio": 3, "error_message": "model timeout"}"#,
        );
        assert_eq!(
            s,
            CompactionStatus {
                status: t("failed"),
                validation_score: Some(0.4),
                estimated_completion_seconds: Some(30),
                latest_version: Some(2),
                compression_ratio: Some(3.0),
                error_message: t("model timeout"),
                ..Default::default()
            }
        );
        assert_eq!(status("{}"), CompactionStatus::default());
        let nulls = r#"{"conversation_id": null, "status": null, "compaction_id": null, "completed_at": null,
            "compression_ratio": null, "validation_score": null, "estimated_completion_seconds": null,
            "latest_version": null, "error_message": null, "latest_created_at": null}"#;
        assert_eq!(status(nulls), CompactionStatus::default());
        let wrong = r#"{"conversation_id": 6, "status": ["completed"], "compaction_id": true,
            "completed_at": "2025-13-45T99:00:00Z", "compression_ratio": "high", "validation_score": {},
            "estimated_completion_seconds": "soon", "latest_version": 2.5, "error_message": 500}"#;
        assert_eq!(status(wrong), CompactionStatus::default());
        let s = status(r#"{"compression_ratio": "NaN", "validation_score": " 0.5 ", "error_message": "\u0000"}"#);
        assert_eq!((s.compression_ratio, s.validation_score, s.error_message), (None, Some(0.5), None));
    }

    // Compacted state (§5.6).

    #[test]
    fn compacted_contract_example() {
        let c = compacted(COMPACTED);
        assert_eq!(
            c,
            Compacted {
                compaction_id: t("b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"),
                formatted_context: t("<compacted text>"),
                original_token_count: Some(18250),
                compacted_token_count: Some(2100),
                compression_ratio: Some(8.69),
                strategy_used: t("balanced"),
                validation_score: Some(0.93),
                validation_passed: Some(true),
                quality_warning: Some(false),
                facts_json: t(r#"[{"content": "Order 8812 arrived damaged"}]"#),
                decisions_json: t("[]"),
                preferences_json: t("[]"),
                current_state_json: t(r#"{"stage": "awaiting refund"}"#),
                ttl_seconds: None,
                raw_json: t(COMPACTED),
            }
        );
        assert_eq!(Compacted::from_json(COMPACTED.as_bytes()).unwrap(), c);
    }

    #[test]
    fn compacted_every_field_and_tolerance() {
        let c = compacted_fields(
            r#"{"ttl_seconds": "120", "strategy_used": "unheard-of", "original_token_count": 10.0,
                "compacted_token_count": "4", "compression_ratio": "2.5", "validation_passed": "yes",
                "quality_warning": 1, "formatted_context": "", "version": 2, "warnings": ["w"]}"#,
        );
        assert_eq!(
            c,
            Compacted {
                ttl_seconds: Some(120),
                strategy_used: t("unheard-of"),
                original_token_count: Some(10),
                compacted_token_count: Some(4),
                compression_ratio: Some(2.5),
                validation_passed: Some(true),
                quality_warning: Some(true),
                formatted_context: t(""),
                ..Default::default()
            }
        );
        assert_eq!(compacted_fields("{}"), Compacted::default());
        let nulls = r#"{"compaction_id": null, "formatted_context": null, "original_token_count": null,
            "compacted_token_count": null, "compression_ratio": null, "strategy_used": null, "validation_score": null,
            "validation_passed": null, "quality_warning": null, "facts": null, "decisions": null,
            "preferences": null, "current_state": null, "ttl_seconds": null}"#;
        assert_eq!(compacted_fields(nulls), Compacted::default());
        let wrong = r#"{"compaction_id": 1, "formatted_context": ["x"], "original_token_count": "many",
            "compacted_token_count": 1.5, "compression_ratio": true, "strategy_used": {}, "validation_score": "high",
            "validation_passed": "perhaps", "quality_warning": 2, "facts": {"content": "x"}, "decisions": "none",
            "preferences": 0, "current_state": ["stage"], "ttl_seconds": "5m"}"#;
        assert_eq!(compacted_fields(wrong), Compacted::default());
    }

    #[test]
    fn compacted_captures_json_as_sent() {
        let c = compacted(
            r#"{"facts": [1, "two", null, {"a": [true]}], "decisions":[ ], "preferences": ["\u0000"],
                "current_state": {"k": "caf\u00e9", "n": null}}"#,
        );
        assert_eq!(c.facts_json.as_deref(), Some(r#"[1, "two", null, {"a": [true]}]"#));
        assert_eq!(c.decisions_json.as_deref(), Some("[ ]"));
        // The JSON text keeps the escape, which C can show.
        assert_eq!(c.preferences_json.as_deref(), Some(r#"["\u0000"]"#));
        assert_eq!(c.current_state_json.as_deref(), Some(r#"{"k": "caf\u00e9", "n": null}"#));
        let c = compacted(r#"{"current_state": {}, "current_state": "x", "facts": [], "facts": [2]}"#);
        assert_eq!((c.current_state_json, c.facts_json.as_deref()), (None, Some("[2]")));
    }

    #[test]
    fn booleans_are_lax() {
        let passed = |v: &str| compacted(&format!(r#"{{"validation_passed": {v}}}"#)).validation_passed;
        assert_eq!(passed("true"), Some(true));
        assert_eq!(passed("false"), Some(false));
        assert_eq!(passed("0"), Some(false));
        assert_eq!(passed(r#""TRUE""#), Some(true));
        assert_eq!(passed(r#""off""#), Some(false));
        assert_eq!(passed("2"), None);
        assert_eq!(passed("1.0"), None);
        assert_eq!(passed(r#""maybe""#), None);
    }

    // Structure errors.

    #[test]
    fn structure_errors_name_the_path() {
        let batch_cases: &[(&str, &str)] = &[
            (r#"{"results": {}}"#, "results is not an array"),
            (r#"{"results": "none"}"#, "results is not an array"),
            (r#"{"results": 0}"#, "results is not an array"),
            (r#"{"results": [{}, []]}"#, "results[1] is not an object"),
            (r#"{"results": [{}, {}, "m"]}"#, "results[2] is not an object"),
            (r#"{"results": [null]}"#, "results[0] is not an object"),
            (r#"{"errors": {"index": 1}}"#, "errors is not an array"),
            (r#"{"errors": true}"#, "errors is not an array"),
            (r#"{"errors": [null]}"#, "errors[0] is not an object"),
            (r#"{"errors": [{"index": 0}, 1]}"#, "errors[1] is not an object"),
        ];
        for (body, path) in batch_cases {
            assert_eq!(
                error(parse_message_batch, body.as_bytes()),
                format!("invalid message batch response: {path}"),
                "{body}"
            );
        }
        let page_cases: &[(&str, &str)] = &[
            (r#"{"turns": {}}"#, "turns is not an array"),
            (r#"{"turns": "x"}"#, "turns is not an array"),
            (r#"{"turns": [{}, {}, {}, 4]}"#, "turns[3] is not an object"),
            (r#"{"turns": [null]}"#, "turns[0] is not an object"),
            (r#"{"turns": [[]]}"#, "turns[0] is not an object"),
        ];
        for (body, path) in page_cases {
            assert_eq!(error(parse_message_page, body.as_bytes()), format!("invalid messages response: {path}"));
        }
    }

    /// Each parser, with the name its messages give the response.
    fn each_parser(check: impl Fn(&str, &dyn Fn(&[u8]) -> Option<Error>)) {
        check("message", &|b| parse_recorded_message(b).err());
        check("message batch", &|b| parse_message_batch(b).err());
        check("transcript ingestion", &|b| parse_transcript_ingestion(b).err());
        check("messages", &|b| parse_message_page(b).err());
        check("compaction", &|b| parse_compaction(b).err());
        check("compaction status", &|b| parse_compaction_status(b).err());
        check("compacted", &|b| parse_compacted(b).err());
    }

    #[test]
    fn malformed_bodies_are_protocol_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"[1, 2]", "the body is not an object"),
            (b"null", "the body is not an object"),
            (b"\"text\"", "the body is not an object"),
            (b"42", "the body is not an object"),
            (b"{\"a\": \"\xff\"}", "the body is not UTF-8 (invalid byte at offset 7)"),
            (b"", "EOF while parsing a value at line 1 column 0"),
            (b"{\"a\": ", "EOF while parsing a value at line 1 column 6"),
            (b"{} {}", "trailing characters at line 1 column 4"),
            (
                b"{\"a\": \"\x01\"}",
                "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 7",
            ),
        ];
        each_parser(|what, parse| {
            for (body, detail) in cases {
                let e = parse(body).unwrap_or_else(|| panic!("{what}: {}", String::from_utf8_lossy(body)));
                assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
                assert_eq!(e.message(), format!("invalid {what} response: {detail}"));
            }
            assert!(parse(b" {\"unknown\": [1, {\"x\": null}]} ").is_none(), "{what}");
        });
    }

    #[test]
    fn every_route_reads_every_example() {
        // Each body is an object to every parser: they only differ in what
        // they pick from it.
        for body in [MESSAGE, BATCH, INGESTION, PAGE, COMPACTION, STATUS, COMPACTED] {
            each_parser(|what, parse| assert!(parse(body.as_bytes()).is_none(), "{what}: {body}"));
        }
    }

    #[test]
    fn numbers_beyond_f64_fail_only_where_read() {
        // serde_json refuses such a number where it is read, as it does into
        // a Value; skipped unread, it is not looked at.
        assert_eq!(
            error(parse_compaction_status, br#"{"compression_ratio": 1e999}"#),
            "invalid compaction status response: number out of range at line 1 column 27"
        );
        assert_eq!(status(r#"{"other": 1e999}"#), CompactionStatus::default());
    }

    #[test]
    fn deep_values_are_skipped_or_captured() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let c = compacted(&format!(
            r#"{{"facts": {deep}, "current_state": {{"a": {deep}}}, "formatted_context": {deep}, "x": {deep}}}"#
        ));
        assert_eq!(c.facts_json.as_deref(), Some(deep.as_str()));
        assert_eq!(c.current_state_json.as_deref(), Some(format!(r#"{{"a": {deep}}}"#).as_str()));
        assert_eq!(c.formatted_context, None);
        let b = batch(&format!(
            r#"{{"results": [{{"message_id": {deep}, "y": {deep}}}], "errors": [{{"detail": {deep}}}]}}"#
        ));
        assert_eq!((b.results.len(), b.errors[0].error.as_ref()), (1, None));
        let turns = page(&format!(r#"{{"turns": [{{"content": {deep}}}], "more": {deep}}}"#));
        assert_eq!(turns, [ConversationMessage::default()]);
        assert!(ingestion(&format!(r#"{{"warnings": [{deep}, "w"]}}"#)).warnings.len() == 1);
    }
}
