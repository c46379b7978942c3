//! What a context fetch returns (contract part 2, §3): the memories
//! relevant to a scope and its queries, typed and ranked, with the
//! conversation's state, the retrieval's health and, in summary mode, the
//! user's profile and conversation summaries. Also the prompt context of
//! one conversation (§4) and a user's profile (§7.1).
//!
//! Where the reference SDK fails a whole fetch over one item, these types
//! are tolerant, by the same rules everywhere:
//! - an explicit `null` is the same as an absent key;
//! - a score is kept as sent, inside 0..1 or not;
//! - a time, number or text that does not read as its type is absent;
//! - only a body whose structure is wrong (a list that is not an array, an
//!   item that is not an object) fails, with `Protocol`, naming the field.
//!
//! Keys this version does not read stay in the item's metadata JSON (for
//! `metadata`) or in the raw body.

use crate::text::Text;

/// The five typed lists of a context, by their wire names, then the
/// ranked list and the excerpts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContextList {
    /// `facts`.
    Facts,
    /// `preferences`.
    Preferences,
    /// `episodes`.
    Episodes,
    /// `emotions`.
    Emotions,
    /// `temporal_events`.
    TemporalEvents,
    /// The ranked shape's `items`, best first across types.
    Ranked,
    /// Document excerpts (`source: "chunks"`), found in the ranked shape.
    Excerpts,
}

impl ContextList {
    /// Every list, in the order above.
    pub const ALL: [ContextList; 7] = [
        ContextList::Facts,
        ContextList::Preferences,
        ContextList::Episodes,
        ContextList::Emotions,
        ContextList::TemporalEvents,
        ContextList::Ranked,
        ContextList::Excerpts,
    ];

    /// The five typed lists.
    pub const TYPED: [ContextList; 5] = [
        ContextList::Facts,
        ContextList::Preferences,
        ContextList::Episodes,
        ContextList::Emotions,
        ContextList::TemporalEvents,
    ];

    /// The wire name: `facts`, ..., `items`, `excerpts`.
    pub fn wire_name(self) -> &'static str {
        match self {
            ContextList::Facts => "facts",
            ContextList::Preferences => "preferences",
            ContextList::Episodes => "episodes",
            ContextList::Emotions => "emotions",
            ContextList::TemporalEvents => "temporal_events",
            ContextList::Ranked => "items",
            ContextList::Excerpts => "excerpts",
        }
    }

    /// The typed list a wire name (or a ranked item's `category`) names.
    pub fn from_wire(name: &str) -> Option<ContextList> {
        ContextList::ALL.into_iter().find(|l| l.wire_name() == name)
    }
}

/// One remembered item, read the same way whatever list it came from.
///
/// Each type names its text, score, label and time differently on the wire;
/// they are read into one shape:
///
/// | list | text | score | label | time |
/// |---|---|---|---|---|
/// | facts, excerpts | `content` | `confidence` | - | `extracted_at` |
/// | preferences | `content` | `strength`, else `confidence` | `category` | `extracted_at` |
/// | episodes | `summary`, else `content` | `significance`, else `confidence` | - | `occurred_at`, else `extracted_at` |
/// | emotions | `context`, else `content` | `intensity`, else `confidence` | `emotion_type`, else `category` | `detected_at`, else `extracted_at` |
/// | temporal_events | `content` | `confidence` | `temporal_category` | `extracted_at` |
///
/// A ranked item is read by the type its `category` names (in that shape
/// `category` is the type, not a label).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContextItem {
    /// The type of the item: the list it belongs to (`facts`, ...,
    /// `excerpts`), for a ranked item its `category` as sent.
    pub kind: Option<Text>,
    /// The memory's id.
    pub id: Option<Text>,
    /// What was remembered.
    pub text: Option<Text>,
    /// How sure or how strong, usually 0 to 1, kept as sent. The words
    /// `explicit`, `inferred` and `assumed` read as 1.0, 0.75 and 0.5, and a
    /// numeric string as its number, as the reference SDK reads them.
    pub score: Option<f64>,
    /// A preference's category, an emotion's type, a temporal event's
    /// temporal category.
    pub label: Option<Text>,
    /// When it was extracted (or occurred, or was detected), Unix µs UTC.
    pub time_us: Option<i64>,
    /// Where it came from (`conversation`, `chunks`, ...).
    pub source: Option<Text>,
    /// Start of the time window the memory is about, Unix µs UTC.
    pub event_date_us: Option<i64>,
    /// End of that window, Unix µs UTC.
    pub event_end_us: Option<i64>,
    /// The day it was said, Unix µs UTC.
    pub said_at_us: Option<i64>,
    /// Until when it holds, Unix µs UTC.
    pub valid_until_us: Option<i64>,
    /// How precise the window is (`day`, `month`, `approximate`, ...).
    pub event_precision: Option<Text>,
    /// `perpetual`, `temporal_fact`, `episode`, ...
    pub temporal_category: Option<Text>,
    /// How sure the temporal reading is.
    pub temporal_confidence: Option<f64>,
    /// The quotes the memory rests on.
    pub source_evidence: Vec<Text>,
    /// The fetch's queries that found it.
    pub matched_queries: Vec<Text>,
    /// An episode's participants.
    pub participants: Vec<Text>,
    /// Its rank (1 = best), which the ranked shape sends.
    pub rank: Option<i64>,
    /// Its rank score (`metadata.rank_score`, else a top-level
    /// `rank_score`), which the ranked shape sends.
    pub rank_score: Option<f64>,
    /// The `metadata` object as JSON text.
    pub metadata_json: Option<Text>,
}

/// One turn of a conversation as a prompt sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Turn {
    /// `user`, `assistant`, ...
    pub role: Option<Text>,
    /// What was said.
    pub content: Option<Text>,
    /// When, Unix µs UTC.
    pub timestamp_us: Option<i64>,
    /// The message's id, where the service gives one.
    pub message_id: Option<Text>,
}

/// A conversation's state, as a context fetch returns it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConversationContext {
    /// The conversation.
    pub conversation_id: Option<Text>,
    /// The compaction narrative.
    pub summary: Option<Text>,
    /// The turns after the compaction cut-off.
    pub recent_turns: Vec<Turn>,
    /// The compaction the summary comes from.
    pub compaction_id: Option<Text>,
    /// When it was compacted, as the service wrote it (never parsed).
    pub compacted_at: Option<Text>,
    /// The prompt-ready text, when the service (or a no-query fetch) gives it.
    pub formatted_context: Option<Text>,
    /// `current_state` as JSON text.
    pub current_state_json: Option<Text>,
    /// `key_extractions` as JSON text.
    pub key_extractions_json: Option<Text>,
}

/// The retrieval block: how the service says "nothing came back because
/// retrieval broke", as against "nothing relevant".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Retrieval {
    /// True when the answer is incomplete (the default when the block is
    /// present without it).
    pub degraded: bool,
    /// `partial`, `minimal` or `failed`.
    pub level: Option<Text>,
    /// `timeout`, `overloaded`, `unavailable` or `internal`.
    pub code: Option<Text>,
    /// Warnings, as sent.
    pub warnings: Vec<Text>,
}

/// A user's profile (contract part 2, §7.1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Profile {
    /// The free-text overview.
    pub overview: Option<Text>,
    /// The attributes, in the order sent.
    pub attributes: Vec<ProfileAttribute>,
    /// The whole profile document as JSON text.
    pub json: Option<Text>,
}

/// One attribute of a profile.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileAttribute {
    /// Its name.
    pub name: Option<Text>,
    /// Its value as JSON text (a string value keeps its quotes).
    pub value_json: Option<Text>,
    /// How sure the service is.
    pub confidence: Option<f64>,
    /// When it last changed, Unix µs UTC.
    pub updated_at_us: Option<i64>,
    /// The conversation it was learnt in.
    pub source_conversation_id: Option<Text>,
}

/// One conversation's summary, in summary mode.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConversationSummary {
    /// The conversation.
    pub conversation_id: Option<Text>,
    /// `available`, `pending` or `failed`.
    pub summary_status: Option<Text>,
    /// The prompt text of its summary (`narrative_summary`, `overview`,
    /// `narrative` or `summary`, the first not blank).
    pub summary: Option<Text>,
    /// How many messages it has.
    pub message_count: Option<i64>,
    /// When it started, Unix µs UTC.
    pub started_at_us: Option<i64>,
    /// When its last message came, Unix µs UTC.
    pub last_message_at_us: Option<i64>,
    /// The whole element as JSON text.
    pub json: Option<Text>,
}

/// What a context fetch returned.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    pub(crate) lists: [Vec<ContextItem>; 7],
    /// The conversation's state, when the service sent it.
    pub conversation_context: Option<ConversationContext>,
    /// The retrieval block, when the service sent one.
    pub retrieval: Option<Retrieval>,
    /// The user's profile (summary mode, or a user fetch without a query).
    pub profile: Option<Profile>,
    /// The conversation summaries (summary mode).
    pub conversations: Vec<ConversationSummary>,
    /// How long the answer may be cached, in seconds (300 when not sent).
    pub ttl_seconds: i64,
    /// Where the answer came from: `cloud` (a fetch), `profile` or
    /// `conversation_state` (the no-query compositions).
    pub source: &'static str,
    /// The call's correlation id.
    pub correlation_id: Option<Text>,
    /// When the answer was received, Unix µs UTC.
    pub retrieved_at_us: i64,
    /// The response body, as JSON text.
    pub raw_json: Option<Text>,
}

impl Context {
    /// The items of one list.
    pub fn list(&self, list: ContextList) -> &[ContextItem] {
        &self.lists[list as usize]
    }

    pub(crate) fn list_mut(&mut self, list: ContextList) -> &mut Vec<ContextItem> {
        &mut self.lists[list as usize]
    }
}

/// A conversation's prompt context (`context-for-prompt`, contract part 2 §4).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PromptContext {
    /// The compacted history plus every message after the cut-off, as one
    /// prompt-ready string.
    pub formatted_context: Option<Text>,
    /// Whether a compaction exists.
    pub available: bool,
    /// Whether the compaction lags the conversation.
    pub is_stale: bool,
    /// Whether the service doubts the compaction's quality.
    pub quality_warning: bool,
    /// How much the compaction shrank the history.
    pub compression_ratio: Option<f64>,
    /// The compaction's validation score.
    pub validation_score: Option<f64>,
    /// How old the compaction is, in seconds.
    pub compaction_age_seconds: Option<i64>,
    /// The messages after the cut-off (all of them before any compaction).
    pub recent_messages: Vec<Turn>,
    /// How many messages are recent.
    pub recent_message_count: i64,
    /// How many messages the compaction covers.
    pub compacted_message_count: i64,
    /// How many messages in all.
    pub total_message_count: i64,
    /// The compaction block alone.
    pub context_block: Option<Text>,
    /// The compaction it comes from.
    pub compaction_id: Option<Text>,
    /// The response body, as JSON text.
    pub raw_json: Option<Text>,
}

impl Context {
    /// Reads a context fetch's response body (contract part 2, §3.5-3.10),
    /// by the tolerance rules of this module: only a body whose structure
    /// is wrong fails, with [`ErrorKind::Protocol`](crate::ErrorKind::Protocol)
    /// naming the path (`context.facts[3] is not an object`).
    ///
    /// In the ranked shape (`context.items` present), the typed lists are
    /// views of the ranked list filtered on each item's category, and the
    /// excerpts are its items from `chunks`. `source` is `cloud`, `ttl_seconds`
    /// 300 when not sent, `raw_json` the body; `correlation_id` and
    /// `retrieved_at_us` are left for the caller.
    pub fn from_json(body: &[u8]) -> Result<Context, crate::Error> {
        crate::wire::context::parse_context(body)
    }
}

impl PromptContext {
    /// Reads a `context-for-prompt` response body (contract part 2, §4):
    /// booleans default to false and counts to 0, an empty
    /// `formatted_context` or `context_block` is absent. Fails with
    /// [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) only for a body
    /// that is not a JSON object, or `recent_messages` that is not an array
    /// of objects.
    pub fn from_json(body: &[u8]) -> Result<PromptContext, crate::Error> {
        crate::wire::context::parse_prompt_context(body)
    }
}

impl Profile {
    /// Reads a profile response body, `{"profile": document}` (contract
    /// part 2, §7.1), tolerant as the reference SDK: a missing or
    /// non-object `profile` is an empty profile. Fails with
    /// [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) only for a body
    /// that is not a JSON object.
    pub fn from_json(body: &[u8]) -> Result<Profile, crate::Error> {
        crate::wire::context::parse_profile(body)
    }
}
