//! The conversation calls on `Client` (contract part 2, §5): record a
//! message or a batch, ingest a transcript, list messages, compact, and
//! read the compacted state and the compaction's status.
//!
//! The writes are not idempotent and carry no idempotency key, so each is
//! resent only when the failure proves it had no effect (a refused
//! connection, 429, 503), as `memories.create` is: never after a timeout, a
//! dropped connection or another 5xx, where the service may already have
//! recorded it.

use crate::call::Idempotence;
use crate::client::{Client, Request};
use crate::context_request::parse_conversation_id;
use crate::conversation::{
    Compacted, Compaction, CompactionStatus, ConversationMessage, MessageBatch, RecordedMessage, TranscriptIngestion,
};
use crate::conversation_request::{COMPACTED_FORMATS, CompactOptions, MessageRequest, TranscriptRequest};
use crate::error::{Error, ErrorKind, one_line};
use crate::url::{Part, build};

/// The most messages one page of [`Client::conversation_messages`] holds.
pub const MAX_MESSAGES_PAGE: u32 = 500;

impl Client {
    /// Records one message of a conversation (`POST /v1/conversations/messages`).
    /// The message needs its conversation, role, content and user. Not
    /// idempotent: resent only when the failure proves it had no effect.
    pub fn conversation_record_message(&self, message: &MessageRequest) -> Result<RecordedMessage, Error> {
        let body = message.to_json(true)?;
        self.refuse_customer_id_on_b2c(message.customer_id_set())?;
        self.write("/v1/conversations/messages", &body, RecordedMessage::from_json)
    }

    /// Records several messages in one request
    /// (`POST /v1/conversations/messages/batch`). Each needs its
    /// conversation, role and content. A message the service refuses comes
    /// back in [`MessageBatch::errors`] while the rest are stored. Not
    /// idempotent: resent only when the failure proves it had no effect.
    pub fn conversation_record_messages(&self, messages: &[MessageRequest]) -> Result<MessageBatch, Error> {
        if messages.is_empty() {
            return Err(Error::invalid_argument("a batch needs at least one message"));
        }
        let elements = messages
            .iter()
            .enumerate()
            .map(|(i, m)| {
                m.to_json(false).map_err(|e| Error::invalid_argument(format!("messages[{i}]: {}", e.message())))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.refuse_customer_id_on_b2c(messages.iter().any(MessageRequest::customer_id_set))?;
        let body = serde_json::json!({ "messages": elements });
        self.write("/v1/conversations/messages/batch", &body, MessageBatch::from_json)
    }

    /// Ingests a finished conversation in one go (`POST /v1/conversations/ingest`),
    /// as an ingestion job to follow with `memories.status` and the waits.
    /// The service answers with the UUID it keeps for the conversation: use
    /// it for every later read. The same transcript again is answered as a
    /// `duplicate` of the first job; another transcript under the same id is
    /// `ErrorKind::Conflict`. Not idempotent: resent only when the failure
    /// proves it had no effect (a repeat by you is safe: it is a duplicate).
    pub fn conversation_ingest(&self, transcript: &TranscriptRequest) -> Result<TranscriptIngestion, Error> {
        let body = transcript.to_json()?;
        self.refuse_customer_id_on_b2c(transcript.customer_id_set())?;
        self.write("/v1/conversations/ingest", &body, TranscriptIngestion::from_json)
    }

    /// One page of a conversation's messages, oldest first
    /// (`GET /v1/conversations/{id}/messages?start=&limit=`): from position
    /// `start` (1 is the first message), at most `limit` (1 to
    /// [`MAX_MESSAGES_PAGE`]). A page shorter than `limit` is the last.
    pub fn conversation_messages(
        &self,
        conversation_id: &str,
        start: u32,
        limit: u32,
    ) -> Result<Vec<ConversationMessage>, Error> {
        let id = parse_conversation_id(conversation_id)?.hyphenated().to_string();
        if start == 0 {
            return Err(Error::invalid_argument("start must be at least 1 (the first message)"));
        }
        if !(1..=MAX_MESSAGES_PAGE).contains(&limit) {
            return Err(Error::invalid_argument(format!(
                "limit must be between 1 and {MAX_MESSAGES_PAGE}, not {limit}"
            )));
        }
        let query = format!("/messages?start={start}&limit={limit}");
        let url =
            build(self.base_url(), &[Part::Literal("/v1/conversations/"), Part::Segment(&id), Part::Literal(&query)]);
        self.read(&url, ConversationMessage::page_from_json)
    }

    /// Starts compacting a conversation (`POST /v1/conversations/compact`):
    /// a job that ends with a summary and a cut-off; follow it with
    /// [`Client::conversation_compaction_status`], then read
    /// [`Client::conversation_compacted`]. One already running is
    /// `ErrorKind::Conflict`. Not idempotent: resent only when the failure
    /// proves it had no effect.
    pub fn conversation_compact(&self, conversation_id: &str, options: &CompactOptions) -> Result<Compaction, Error> {
        let id = parse_conversation_id(conversation_id)?;
        self.write("/v1/conversations/compact", &options.to_json(&id), Compaction::from_json)
    }

    /// The conversation's compacted state, in `format` (one of
    /// [`COMPACTED_FORMATS`](crate::COMPACTED_FORMATS)), at `version` or the
    /// latest (`GET /v1/conversations/{id}/compacted`). `None` when the
    /// conversation has not been compacted yet (the service's 404), as the
    /// reference SDK reads it.
    pub fn conversation_compacted(
        &self,
        conversation_id: &str,
        format: &str,
        version: Option<u32>,
    ) -> Result<Option<Compacted>, Error> {
        let id = parse_conversation_id(conversation_id)?.hyphenated().to_string();
        if !COMPACTED_FORMATS.contains(&format) {
            return Err(Error::invalid_argument(format!(
                "format \"{}\" is not one of {}",
                one_line(format, 64),
                COMPACTED_FORMATS.join(", ")
            )));
        }
        let mut query = format!("/compacted?format={format}");
        if let Some(version) = version {
            query.push_str(&format!("&version={version}"));
        }
        let url =
            build(self.base_url(), &[Part::Literal("/v1/conversations/"), Part::Segment(&id), Part::Literal(&query)]);
        match self.read(&url, Compacted::from_json) {
            Ok(compacted) => Ok(Some(compacted)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Where the conversation's compaction stands
    /// (`GET /v1/conversations/{id}/compaction/status`).
    pub fn conversation_compaction_status(&self, conversation_id: &str) -> Result<CompactionStatus, Error> {
        let id = parse_conversation_id(conversation_id)?.hyphenated().to_string();
        let url = build(
            self.base_url(),
            &[Part::Literal("/v1/conversations/"), Part::Segment(&id), Part::Literal("/compaction/status")],
        );
        self.read(&url, CompactionStatus::from_json)
    }

    /// A POST that writes: resent only when the failure proves no effect.
    fn write<T>(&self, path: &str, body: &serde_json::Value, parse: fn(&[u8]) -> Result<T, Error>) -> Result<T, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::invalid_argument(e.to_string()))?;
        let url = format!("{}{path}", self.base_url());
        self.exchange(&url, Request::Post(&bytes, Idempotence::NotIdempotent), &self.limits(None, None), parse)
            .map(|(value, _)| value)
    }

    /// A GET: retried as reads are.
    fn read<T>(&self, url: &str, parse: fn(&[u8]) -> Result<T, Error>) -> Result<T, Error> {
        self.exchange(url, Request::Get, &self.limits(None, None), parse).map(|(value, _)| value)
    }
}
