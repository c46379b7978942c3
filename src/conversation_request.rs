//! What the conversation writes send (contract part 2, §5.1-5.3 and 5.5):
//! a message, a transcript, a compaction's options. Each value is checked
//! where it is set; the bodies are the reference SDK's.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::context_request::parse_conversation_id;
use crate::error::{Error, one_line};
use crate::request_fields::{json_object, missing, non_empty, rfc3339, rungs, set_rung};
use crate::timestamp::format_rfc3339_micros;

/// The roles a message may have.
pub const ROLES: [&str; 2] = ["user", "assistant"];

/// One message of a conversation, to record alone
/// ([`Client::conversation_record_message`](crate::Client::conversation_record_message))
/// or in a batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageRequest {
    conversation_id: Option<Uuid>,
    role: Option<&'static str>,
    content: Option<String>,
    user_id: Option<String>,
    customer_id: Option<String>,
    session_id: Option<String>,
    metadata: Map<String, Value>,
    scope_path: Vec<(String, String)>,
    agent_model: Option<String>,
    agent_context_window: Option<u32>,
}

impl MessageRequest {
    /// An empty message: set its conversation, role and content (and, to
    /// record it alone, its user).
    pub fn new() -> MessageRequest {
        MessageRequest::default()
    }

    /// The conversation, a UUID in any case, with or without hyphens.
    pub fn conversation_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.conversation_id = Some(parse_conversation_id(id)?);
        Ok(self)
    }

    /// `user` or `assistant`.
    pub fn role(&mut self, role: &str) -> Result<&mut Self, Error> {
        let known = ROLES.iter().find(|r| **r == role).ok_or_else(|| {
            Error::invalid_argument(format!("role \"{}\" is not one of user, assistant", one_line(role, 64)))
        })?;
        self.role = Some(known);
        Ok(self)
    }

    /// What was said; may be empty.
    pub fn content(&mut self, content: &str) -> &mut Self {
        self.content = Some(content.to_owned());
        self
    }

    /// The end user the conversation belongs to; required to record a
    /// message alone. Must not be empty.
    pub fn user_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.user_id = Some(non_empty("user_id", id)?);
        Ok(self)
    }

    /// The customer (organisation) on a B2B instance. Must not be empty.
    pub fn customer_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.customer_id = Some(non_empty("customer_id", id)?);
        Ok(self)
    }

    /// The session; the service makes one when none is given. Empty clears
    /// it.
    pub fn session_id(&mut self, id: &str) -> &mut Self {
        self.session_id = (!id.is_empty()).then(|| id.to_owned());
        self
    }

    /// Free-form metadata, a JSON object given as text.
    pub fn metadata_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        self.metadata = json_object("metadata", json)?;
        Ok(self)
    }

    /// Adds (or replaces) one rung of the scope path.
    pub fn scope_level(&mut self, level: &str, value: &str) -> Result<&mut Self, Error> {
        set_rung(&mut self.scope_path, level, value)?;
        Ok(self)
    }

    /// The model the agent runs, folded into the metadata as `agent_model`;
    /// the service sizes compaction to its context window. Empty clears it.
    pub fn agent_model(&mut self, model: &str) -> &mut Self {
        self.agent_model = (!model.is_empty()).then(|| model.to_owned());
        self
    }

    /// The agent's context window in tokens, folded into the metadata as
    /// `agent_context_window`; 0 clears it.
    pub fn agent_context_window(&mut self, tokens: u32) -> &mut Self {
        self.agent_context_window = (tokens > 0).then_some(tokens);
        self
    }

    pub(crate) fn customer_id_set(&self) -> bool {
        self.customer_id.is_some()
    }

    /// The body of `POST /v1/conversations/messages` (§5.1): `alone`, or an
    /// element of a batch (§5.2), where absent keys are left out.
    pub(crate) fn to_json(&self, alone: bool) -> Result<Value, Error> {
        let conversation = self.conversation_id.ok_or_else(|| missing("conversation_id"))?;
        let role = self.role.ok_or_else(|| missing("role"))?;
        let content = self.content.as_ref().ok_or_else(|| missing("content"))?;
        let mut body = Map::new();
        body.insert("conversation_id".into(), json!(conversation.hyphenated().to_string()));
        body.insert("role".into(), json!(role));
        body.insert("content".into(), json!(content));
        match (&self.user_id, alone) {
            (Some(user), _) => {
                body.insert("user_id".into(), json!(user));
            }
            (None, true) => return Err(missing("user_id")),
            (None, false) => {}
        }
        if alone || self.customer_id.is_some() {
            body.insert("customer_id".into(), json!(self.customer_id));
        }
        let mut metadata = self.metadata.clone();
        if let Some(model) = &self.agent_model {
            metadata.insert("agent_model".into(), json!(model));
        }
        if let Some(window) = self.agent_context_window {
            metadata.insert("agent_context_window".into(), json!(window));
        }
        body.insert("metadata".into(), Value::Object(metadata));
        if let Some(session) = &self.session_id {
            body.insert("session_id".into(), json!(session));
        }
        if !self.scope_path.is_empty() {
            body.insert("scope".into(), rungs(&self.scope_path));
        }
        Ok(Value::Object(body))
    }
}

/// A finished conversation to ingest in one go
/// ([`Client::conversation_ingest`](crate::Client::conversation_ingest)):
/// its id (any text: the service keeps a UUID for it and answers with it),
/// its user, and the transcript as text or as turns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TranscriptRequest {
    conversation_id: Option<String>,
    user_id: Option<String>,
    transcript: Transcript,
    customer_id: Option<String>,
    conversation_type: Option<String>,
    analysis: Option<Map<String, Value>>,
    metadata: Option<Map<String, Value>>,
    started_at_us: Option<i64>,
    ended_at_us: Option<i64>,
    scope_path: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
enum Transcript {
    #[default]
    None,
    /// Split by the service on its turn grammar (`Role: text` lines).
    Text(String),
    Turns(Vec<Value>),
}

impl TranscriptRequest {
    /// An empty transcript request.
    pub fn new() -> TranscriptRequest {
        TranscriptRequest::default()
    }

    /// The conversation's id as you know it (a call id, a UUID, ...); must
    /// not be empty. The service answers with the UUID it keeps for it.
    pub fn conversation_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.conversation_id = Some(non_empty("conversation_id", id)?);
        Ok(self)
    }

    /// The end user; must not be empty.
    pub fn user_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.user_id = Some(non_empty("user_id", id)?);
        Ok(self)
    }

    /// The customer on a B2B instance; must not be empty.
    pub fn customer_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.customer_id = Some(non_empty("customer_id", id)?);
        Ok(self)
    }

    /// The whole transcript as text, split by the service on its turn
    /// grammar (`User: ...` / `Assistant: ...` lines). Replaces any turns.
    pub fn transcript_text(&mut self, text: &str) -> &mut Self {
        self.transcript = Transcript::Text(text.to_owned());
        self
    }

    /// Adds one turn: `role` `user` or `assistant`, what was said, when
    /// (Unix µs UTC, None for unknown) and who spoke (None for unknown).
    /// Replaces a transcript given as text.
    pub fn add_turn(
        &mut self,
        role: &str,
        content: &str,
        timestamp_us: Option<i64>,
        speaker: Option<&str>,
    ) -> Result<&mut Self, Error> {
        if !ROLES.contains(&role) {
            return Err(Error::invalid_argument(format!(
                "turn role \"{}\" is not one of user, assistant",
                one_line(role, 64)
            )));
        }
        let timestamp = match timestamp_us {
            None => Value::Null,
            Some(us) => json!(rfc3339("turn timestamp", us)?),
        };
        let turn = json!({"role": role, "content": content, "timestamp": timestamp, "speaker": speaker,
                          "metadata": null});
        match &mut self.transcript {
            Transcript::Turns(turns) => turns.push(turn),
            other => *other = Transcript::Turns(vec![turn]),
        }
        Ok(self)
    }

    /// The kind of conversation (`voice`, `chat`, ...); empty clears it.
    pub fn conversation_type(&mut self, kind: &str) -> &mut Self {
        self.conversation_type = (!kind.is_empty()).then(|| kind.to_owned());
        self
    }

    /// Your analysis of the conversation, a JSON object given as text.
    pub fn analysis_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        self.analysis = Some(json_object("analysis", json)?);
        Ok(self)
    }

    /// Free-form metadata, a JSON object given as text.
    pub fn metadata_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        self.metadata = Some(json_object("metadata", json)?);
        Ok(self)
    }

    /// When the conversation started, Unix µs UTC (years 1 to 9999).
    pub fn started_at_us(&mut self, us: i64) -> Result<&mut Self, Error> {
        rfc3339("started_at", us)?;
        self.started_at_us = Some(us);
        Ok(self)
    }

    /// When it ended, Unix µs UTC (years 1 to 9999).
    pub fn ended_at_us(&mut self, us: i64) -> Result<&mut Self, Error> {
        rfc3339("ended_at", us)?;
        self.ended_at_us = Some(us);
        Ok(self)
    }

    /// Adds (or replaces) one rung of the scope path.
    pub fn scope_level(&mut self, level: &str, value: &str) -> Result<&mut Self, Error> {
        set_rung(&mut self.scope_path, level, value)?;
        Ok(self)
    }

    pub(crate) fn customer_id_set(&self) -> bool {
        self.customer_id.is_some()
    }

    /// The body of `POST /v1/conversations/ingest` (§5.3).
    pub(crate) fn to_json(&self) -> Result<Value, Error> {
        let conversation = self.conversation_id.as_ref().ok_or_else(|| missing("conversation_id"))?;
        let user = self.user_id.as_ref().ok_or_else(|| missing("user_id"))?;
        let transcript = match &self.transcript {
            Transcript::None => return Err(missing("transcript")),
            Transcript::Text(text) => json!(text),
            Transcript::Turns(turns) => json!(turns),
        };
        let mut body = Map::new();
        body.insert("conversation_id".into(), json!(conversation));
        body.insert("user_id".into(), json!(user));
        body.insert("transcript".into(), transcript);
        let mut optional = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                body.insert(key.into(), value);
            }
        };
        optional("customer_id", self.customer_id.as_ref().map(|c| json!(c)));
        optional("conversation_type", self.conversation_type.as_ref().map(|c| json!(c)));
        optional("analysis", self.analysis.clone().map(Value::Object));
        optional("metadata", self.metadata.clone().map(Value::Object));
        optional("started_at", self.started_at_us.and_then(format_rfc3339_micros).map(Value::String));
        optional("ended_at", self.ended_at_us.and_then(format_rfc3339_micros).map(Value::String));
        optional("scope", (!self.scope_path.is_empty()).then(|| rungs(&self.scope_path)));
        Ok(Value::Object(body))
    }
}

/// How a compaction is asked for
/// ([`Client::conversation_compact`](crate::Client::conversation_compact)).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompactOptions {
    strategy: Option<String>,
    target_tokens: Option<u32>,
    force: bool,
}

/// The strategies the service names; others are passed on as given.
pub const COMPACTION_STRATEGIES: [&str; 4] = ["aggressive", "balanced", "conservative", "adaptive"];

impl CompactOptions {
    /// The defaults: the service's strategy and size, no forcing.
    pub fn new() -> CompactOptions {
        CompactOptions::default()
    }

    /// The strategy, one of [`COMPACTION_STRATEGIES`]; empty means the
    /// service's choice.
    pub fn strategy(&mut self, strategy: &str) -> Result<&mut Self, Error> {
        if strategy.is_empty() {
            self.strategy = None;
            return Ok(self);
        }
        if !COMPACTION_STRATEGIES.contains(&strategy) {
            return Err(Error::invalid_argument(format!(
                "strategy \"{}\" is not one of {}",
                one_line(strategy, 64),
                COMPACTION_STRATEGIES.join(", ")
            )));
        }
        self.strategy = Some(strategy.to_owned());
        Ok(self)
    }

    /// The size to compact to, in tokens; 0 means the service's choice.
    pub fn target_tokens(&mut self, tokens: u32) -> &mut Self {
        self.target_tokens = (tokens > 0).then_some(tokens);
        self
    }

    /// Compact even when the service thinks it needless.
    pub fn force(&mut self, force: bool) -> &mut Self {
        self.force = force;
        self
    }

    /// The body of `POST /v1/conversations/compact` (§5.5): all four keys.
    pub(crate) fn to_json(&self, conversation_id: &Uuid) -> Value {
        json!({"conversation_id": conversation_id.hyphenated().to_string(), "strategy": self.strategy,
               "target_tokens": self.target_tokens, "force": self.force})
    }
}

/// The formats the compacted state is read in.
pub const COMPACTED_FORMATS: [&str; 3] = ["structured", "narrative", "injection"];

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> MessageRequest {
        let mut m = MessageRequest::new();
        m.conversation_id("6F1C9E2A3B7D4A589C0E2D4B6A8F1E37").unwrap().role("user").unwrap().content("Any update?");
        m
    }

    #[test]
    fn a_message_sends_the_sdk_keys() {
        let mut m = message();
        m.user_id("user_789").unwrap().agent_model("gpt-4o");
        assert_eq!(
            m.to_json(true).unwrap(),
            json!({"conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37", "role": "user",
                   "content": "Any update?", "user_id": "user_789", "customer_id": null,
                   "metadata": {"agent_model": "gpt-4o"}})
        );
        m.session_id("s1").scope_level("customer", "c").unwrap().metadata_json(r#"{"agent_model":"x","k":1}"#).unwrap();
        m.agent_context_window(8000);
        let body = m.to_json(true).unwrap();
        assert_eq!(body["metadata"], json!({"agent_model": "gpt-4o", "agent_context_window": 8000, "k": 1}));
        assert_eq!((&body["session_id"], &body["scope"]), (&json!("s1"), &json!({"customer": "c"})));
    }

    #[test]
    fn a_batch_element_leaves_absent_keys_out() {
        let body = message().to_json(false).unwrap();
        assert_eq!(body.as_object().unwrap().len(), 4, "{body}");
        assert_eq!(message().to_json(true).unwrap_err().message(), "the request has no user_id");
        assert_eq!(MessageRequest::new().to_json(false).unwrap_err().message(), "the request has no conversation_id");
    }

    #[test]
    fn message_values_are_refused_where_they_are_set() {
        let mut m = message();
        let before = m.clone();
        assert_eq!(m.role("system").unwrap_err().message(), "role \"system\" is not one of user, assistant");
        assert!(m.conversation_id("call-1").is_err());
        assert!(m.user_id("").is_err());
        assert!(m.metadata_json("[]").is_err());
        assert_eq!(m, before);
    }

    #[test]
    fn a_transcript_sends_text_or_turns() {
        let mut t = TranscriptRequest::new();
        t.conversation_id("call-8812").unwrap().user_id("+14155550123").unwrap().transcript_text("User: hi");
        assert_eq!(
            t.to_json().unwrap(),
            json!({"conversation_id": "call-8812", "user_id": "+14155550123", "transcript": "User: hi"})
        );
        t.add_turn("user", "I want a refund.", Some(1_736_935_204_000_000), Some("Caller")).unwrap();
        t.conversation_type("voice").started_at_us(1_736_935_200_000_000).unwrap();
        let body = t.to_json().unwrap();
        assert_eq!(
            body["transcript"],
            json!([{"role": "user", "content": "I want a refund.", "timestamp": "2025-01-15T10:00:04.000000Z",
                    "speaker": "Caller", "metadata": null}])
        );
        assert_eq!(body["started_at"], "2025-01-15T10:00:00.000000Z");
        assert_eq!(body["conversation_type"], "voice");
        assert!(t.add_turn("system", "x", None, None).is_err());
        assert_eq!(TranscriptRequest::new().to_json().unwrap_err().message(), "the request has no conversation_id");
    }

    #[test]
    fn compaction_sends_all_four_keys() {
        let id = Uuid::nil();
        assert_eq!(
            CompactOptions::new().to_json(&id),
            json!({"conversation_id": id.to_string(), "strategy": null, "target_tokens": null, "force": false})
        );
        let mut o = CompactOptions::new();
        assert!(o.strategy("fast").is_err());
        o.strategy("balanced").unwrap().target_tokens(2000).force(true);
        assert_eq!(o.to_json(&id)["strategy"], "balanced");
    }
}
