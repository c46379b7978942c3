//! `CreateRequest` (the body of `memories.create`, contract section 7) and
//! `Ingestion` (what the service answers: a job to poll).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::error::{Error, one_line};
use crate::status::IngestState;
use crate::timestamp::format_rfc3339_micros;

/// The document types the service accepts; anything else is refused
/// locally, as the reference SDK does.
pub const DOCUMENT_TYPES: [&str; 7] =
    ["ai-chat-conversation", "document", "email", "pdf", "image", "audio", "meeting-transcript"];
/// The ingestion modes the service accepts.
pub const MODES: [&str; 2] = ["fast", "long-range"];

/// One document to ingest, with how to file it. Set the document, then
/// pass it to [`Client::memories_create`](crate::Client::memories_create).
///
/// Setters take `&mut self`, check their value, and leave the request
/// unchanged when they refuse it:
///
/// ```
/// let mut request = synap::CreateRequest::text("User: I switched to decaf after 3pm.");
/// request.user_id("user-42").mode("fast")?;
/// # Ok::<(), synap::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CreateRequest {
    /// None until a document is set: a create without one is refused.
    document: Option<Value>,
    document_type: Option<&'static str>,
    document_id: Option<String>,
    document_created_at_us: Option<i64>,
    user_id: Option<String>,
    customer_id: Option<String>,
    scope: Option<BTreeMap<String, String>>,
    mode: Option<&'static str>,
    metadata: Map<String, Value>,
}

impl CreateRequest {
    /// An empty request: no document yet, typed `ai-chat-conversation` and
    /// ingested `long-range` unless set otherwise.
    pub fn new() -> CreateRequest {
        CreateRequest::default()
    }

    /// A request for a text document.
    pub fn text(document: &str) -> CreateRequest {
        let mut request = CreateRequest::new();
        request.document_text(document);
        request
    }

    /// Sets the document to text (a conversation, an email body, ...).
    pub fn document_text(&mut self, text: &str) -> &mut Self {
        self.document = Some(Value::String(text.to_owned()));
        self
    }

    /// Sets the document to a structured one: `json` must be a JSON object.
    pub fn document_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        let value: Value = serde_json::from_str(json)
            .map_err(|e| Error::invalid_argument(format!("document is not valid JSON: {e}")))?;
        if !value.is_object() {
            return Err(Error::invalid_argument("document JSON must be an object"));
        }
        self.document = Some(value);
        Ok(self)
    }

    /// The document type, one of [`DOCUMENT_TYPES`].
    pub fn document_type(&mut self, document_type: &str) -> Result<&mut Self, Error> {
        let known = DOCUMENT_TYPES.iter().find(|t| **t == document_type).ok_or_else(|| {
            Error::invalid_argument(format!(
                "document_type \"{}\" is not one of {}",
                one_line(document_type, 64),
                DOCUMENT_TYPES.join(", ")
            ))
        })?;
        self.document_type = Some(known);
        Ok(self)
    }

    /// The ingestion mode, `fast` or `long-range`.
    pub fn mode(&mut self, mode: &str) -> Result<&mut Self, Error> {
        let known = MODES.iter().find(|m| **m == mode).ok_or_else(|| {
            Error::invalid_argument(format!("mode \"{}\" is not one of fast, long-range", one_line(mode, 64)))
        })?;
        self.mode = Some(known);
        Ok(self)
    }

    /// Your id for the document; a second ingest with the same id is a
    /// conflict (`ErrorKind::Conflict`).
    pub fn document_id(&mut self, id: &str) -> &mut Self {
        self.document_id = Some(id.to_owned());
        self
    }

    /// When the document was written, Unix microseconds UTC, years 1 to
    /// 9999 (the service uses the time of ingestion otherwise).
    pub fn document_created_at_us(&mut self, us: i64) -> Result<&mut Self, Error> {
        format_rfc3339_micros(us).ok_or_else(|| {
            Error::invalid_argument(format!("document_created_at {us} us is outside years 1 to 9999"))
        })?;
        self.document_created_at_us = Some(us);
        Ok(self)
    }

    /// The end user the memories belong to.
    pub fn user_id(&mut self, id: &str) -> &mut Self {
        self.user_id = Some(id.to_owned());
        self
    }

    /// The customer (organisation) the memories belong to.
    pub fn customer_id(&mut self, id: &str) -> &mut Self {
        self.customer_id = Some(id.to_owned());
        self
    }

    /// Adds one level of the scope path (e.g. `team` = `payments`), for
    /// accounts with levels between customer and user.
    pub fn scope(&mut self, level: &str, value: &str) -> &mut Self {
        self.scope.get_or_insert_with(BTreeMap::new).insert(level.to_owned(), value.to_owned());
        self
    }

    /// Free-form metadata: `json` must be a JSON object.
    pub fn metadata_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        match serde_json::from_str(json) {
            Ok(Value::Object(map)) => {
                self.metadata = map;
                Ok(self)
            }
            Ok(_) => Err(Error::invalid_argument("metadata JSON must be an object")),
            Err(e) => Err(Error::invalid_argument(format!("metadata is not valid JSON: {e}"))),
        }
    }

    pub(crate) fn customer_id_set(&self) -> bool {
        self.customer_id.is_some()
    }

    /// The wire body: all nine keys, unset ones as null, as the reference
    /// SDK sends them. Refused when no document was set.
    pub(crate) fn to_json(&self) -> Result<Value, Error> {
        let document = self
            .document
            .as_ref()
            .ok_or_else(|| Error::invalid_argument("the request has no document: set its text or JSON first"))?;
        Ok(json!({
            "document": document,
            "document_type": self.document_type.unwrap_or(DOCUMENT_TYPES[0]),
            "document_id": self.document_id,
            "document_created_at": self.document_created_at_us.and_then(format_rfc3339_micros),
            "user_id": self.user_id,
            "customer_id": self.customer_id,
            "scope": self.scope,
            "mode": self.mode.unwrap_or("long-range"),
            "metadata": self.metadata,
        }))
    }
}

/// An accepted ingestion: the job to poll with `memories.status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ingestion {
    pub(crate) ingestion_id: Uuid,
    pub(crate) document_id: String,
    pub(crate) state: IngestState,
    pub(crate) queued_at_us: i64,
    pub(crate) error_message: Option<String>,
}

impl Ingestion {
    /// The job's id, for `memories.status` and waiting.
    pub fn ingestion_id(&self) -> Uuid {
        self.ingestion_id
    }

    /// Your document id, or the one the service gave.
    pub fn document_id(&self) -> &str {
        &self.document_id
    }

    /// The job's state when accepted, normally `queued` (in a batch, a
    /// refused item is `failed`).
    pub fn state(&self) -> &IngestState {
        &self.state
    }

    /// When the job was queued, Unix microseconds UTC.
    pub fn queued_at_us(&self) -> i64 {
        self.queued_at_us
    }

    /// Why a batch item was refused, if it was.
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }
}

/// The answer to a batch: one result per document, in the order sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub(crate) batch_id: Uuid,
    pub(crate) total: u64,
    pub(crate) succeeded: u64,
    pub(crate) failed: u64,
    pub(crate) results: Vec<Ingestion>,
}

impl Batch {
    /// The batch's id.
    pub fn batch_id(&self) -> Uuid {
        self.batch_id
    }

    /// Documents sent, accepted and refused, as the service counted them.
    pub fn counts(&self) -> (u64, u64, u64) {
        (self.total, self.succeeded, self.failed)
    }

    /// One result per document sent: a queued job, or a refused item
    /// (state `failed`, with an error message).
    pub fn results(&self) -> &[Ingestion] {
        &self.results
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_nine_keys_are_sent_with_defaults() {
        let body = CreateRequest::text("User: hi").to_json().unwrap();
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 9, "{keys:?}");
        assert_eq!(body["document_type"], "ai-chat-conversation");
        assert_eq!(body["mode"], "long-range");
        assert_eq!(body["metadata"], json!({}));
        for null in ["document_id", "document_created_at", "user_id", "customer_id", "scope"] {
            assert!(body[null].is_null(), "{null}");
        }
    }

    #[test]
    fn a_request_without_a_document_is_refused() {
        let mut request = CreateRequest::new();
        request.user_id("u1");
        let e = request.to_json().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        assert_eq!(e.message(), "the request has no document: set its text or JSON first");
    }

    #[test]
    fn every_field_goes_on_the_wire() {
        let mut request = CreateRequest::new();
        request
            .document_json(r#"{"subject":"hi","body":"text"}"#)
            .unwrap()
            .document_type("email")
            .unwrap()
            .mode("fast")
            .unwrap()
            .document_id("mail-1")
            .document_created_at_us(1_736_937_000_412_000)
            .unwrap()
            .user_id("u1")
            .customer_id("c1")
            .scope("customer", "acme")
            .scope("team", "payments")
            .metadata_json(r#"{"channel":"web"}"#)
            .unwrap();
        let body = request.to_json().unwrap();
        assert_eq!(body["document"]["subject"], "hi");
        assert_eq!(body["document_created_at"], "2025-01-15T10:30:00.412000Z");
        assert_eq!(body["scope"], json!({"customer": "acme", "team": "payments"}));
        assert_eq!((body["document_type"].as_str(), body["mode"].as_str()), (Some("email"), Some("fast")));
    }

    #[test]
    fn unknown_values_are_refused_locally_and_leave_the_request_alone() {
        let mut request = CreateRequest::text("x");
        let before = request.clone();
        let e = request.document_type("support-ticket").unwrap_err();
        assert!(e.message().starts_with("document_type \"support-ticket\" is not one of ai-chat-conversation"));
        assert_eq!(request.mode("slow").unwrap_err().message(), "mode \"slow\" is not one of fast, long-range");
        assert_eq!(request.document_json("[1]").unwrap_err().message(), "document JSON must be an object");
        assert!(request.document_json("{").unwrap_err().message().starts_with("document is not valid JSON"));
        assert_eq!(request.metadata_json("3").unwrap_err().message(), "metadata JSON must be an object");
        assert!(request.document_created_at_us(i64::MAX).is_err());
        assert_eq!(request, before, "every refusal left the request unchanged");
        assert!(request.document_created_at_us(-62_135_596_800_000_000).is_ok(), "0001-01-01");
    }
}
