//! Conversations: their messages (recorded one by one or in batches, from
//! an ingested transcript, or from created documents), their compactions,
//! for the conversation routes, `context-for-prompt`, conversation context
//! blocks and summary mode.
//!
//! A created document belongs to a conversation when its
//! `metadata.conversation_id` is a string (that id), else when its
//! `document_id` is a UUID (that UUID). Ids are keyed in canonical form when
//! they are UUIDs (so `{...}`, upper case and `urn:uuid:` forms meet), else
//! verbatim. Its messages join the conversation when create or batch accepts
//! it, whatever its ingestion job then does.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::compaction::Compaction;
use crate::memories;

/// The key a conversation id is stored and looked up under.
pub(crate) fn key(id: &str) -> String {
    Uuid::parse_str(id).map_or_else(|_| id.to_owned(), |u| u.hyphenated().to_string())
}

/// The conversation a created document belongs to, if any (module docs).
pub(crate) fn conversation_of(document_id: Option<&str>, metadata: Option<&Map<String, Value>>) -> Option<String> {
    let named = metadata.and_then(|m| m.get("conversation_id")).and_then(Value::as_str).filter(|s| !s.is_empty());
    match named {
        Some(id) => Some(key(id)),
        None => document_id.and_then(|id| Uuid::parse_str(id).ok()).map(|u| u.hyphenated().to_string()),
    }
}

/// The messages of a document, as (role, content):
/// - an object with a `messages` (or `turns`) list of objects: each one's
///   `role` (default `user`) and `content` (or `text`);
/// - otherwise its text, one message per speaker-labelled line (`User: hi`),
///   unlabelled lines continuing the message before them (or starting a
///   `user` one).
pub(crate) fn messages(document: &Value) -> Vec<(String, String)> {
    if let Some(list) = ["messages", "turns"].iter().find_map(|k| document.get(k).and_then(Value::as_array)) {
        let structured: Vec<(String, String)> = list
            .iter()
            .filter_map(|m| {
                let content = m.get("content").or_else(|| m.get("text")).and_then(Value::as_str)?;
                let role = m.get("role").and_then(Value::as_str).map_or_else(|| "user".to_owned(), role);
                (!content.trim().is_empty()).then(|| (role, content.trim().to_owned()))
            })
            .collect();
        if !structured.is_empty() {
            return structured;
        }
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for line in memories::document_text(document).lines().map(str::trim).filter(|l| !l.is_empty()) {
        match (memories::split_speaker(line), out.last_mut()) {
            ((Some(label), rest), _) => out.push((role(label), rest.to_owned())),
            ((None, rest), Some((_, content))) => {
                content.push('\n');
                content.push_str(rest);
            }
            ((None, rest), None) => out.push(("user".to_owned(), rest.to_owned())),
        }
    }
    out
}

/// A speaker label as a chat role: the usual names of the two sides map to
/// `user` and `assistant`, anything else is kept, lowercased.
fn role(label: &str) -> String {
    let lower = label.to_lowercase();
    match lower.as_str() {
        "user" | "human" | "customer" | "caller" | "client" | "me" => "user".to_owned(),
        "assistant" | "ai" | "bot" | "agent" | "model" => "assistant".to_owned(),
        _ => lower,
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub id: Uuid,
    pub role: String,
    pub content: String,
    pub at: Timestamp,
    /// Recorded and ingested messages have one; a document's have none.
    pub session_id: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Conversation {
    pub id: String,
    /// The first user and customer a document or message of it named.
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    /// The `document_type` of its first document, or what started it.
    pub conversation_type: String,
    /// In time order (arrival order among equal times).
    pub messages: Vec<Message>,
    /// The caller's id of an ingested transcript that was not this UUID.
    pub external_id: Option<String>,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    /// The transcript ingested into it, once.
    pub transcript: Option<TranscriptRecord>,
    /// Oldest first; only the last may still be running.
    pub compactions: Vec<Compaction>,
    /// Given to messages recorded without a session_id.
    default_session: Option<String>,
}

/// What an ingest left behind, to spot a repeat or a conflicting push.
#[derive(Debug, Clone)]
pub(crate) struct TranscriptRecord {
    pub transcript: Value,
    pub ingestion_id: Uuid,
    pub turns: usize,
    pub queued_at: Timestamp,
    pub warnings: Vec<String>,
}

/// What a prompt is built from: the latest finished compaction, the
/// messages it covers and those after it.
pub(crate) struct PromptView<'a> {
    pub compaction: Option<&'a Compaction>,
    pub compacted: usize,
    pub recent: Vec<&'a Message>,
}

impl<'a> PromptView<'a> {
    pub fn empty() -> PromptView<'a> {
        PromptView { compaction: None, compacted: 0, recent: Vec::new() }
    }
}

impl Conversation {
    fn new(id: &str, conversation_type: &str) -> Conversation {
        Conversation {
            id: id.to_owned(),
            user_id: None,
            customer_id: None,
            conversation_type: conversation_type.to_owned(),
            messages: Vec::new(),
            external_id: None,
            started_at: None,
            ended_at: None,
            transcript: None,
            compactions: Vec::new(),
            default_session: None,
        }
    }

    /// Before any compaction finished, every message is recent; after, those
    /// the latest one does not cover.
    pub fn prompt_view(&self) -> PromptView<'_> {
        let Some(compaction) = self.latest_completed() else {
            return PromptView { compaction: None, compacted: 0, recent: self.messages.iter().collect() };
        };
        let recent: Vec<&Message> = self.messages.iter().filter(|m| !compaction.covers(&m.id)).collect();
        PromptView { compaction: Some(compaction), compacted: self.messages.len() - recent.len(), recent }
    }

    /// The newest compaction that has finished.
    pub fn latest_completed(&self) -> Option<&Compaction> {
        self.compactions.iter().rev().find(|c| c.is_done())
    }

    /// The compaction still running, if any.
    pub fn running(&self) -> Option<&Compaction> {
        self.compactions.last().filter(|c| !c.is_done())
    }

    /// A finished compaction exists and messages came after its cut-off.
    pub fn is_stale(&self) -> bool {
        self.latest_completed().is_some_and(|c| self.messages.iter().any(|m| !c.covers(&m.id)))
    }

    pub fn last_message_at(&self) -> Option<Timestamp> {
        self.messages.last().map(|m| m.at)
    }

    /// Whether a fetch naming this user (and customer, when given) sees it.
    pub fn belongs_to(&self, user_id: &str, customer_id: Option<&str>) -> bool {
        self.user_id.as_deref() == Some(user_id) && customer_id.is_none_or(|c| self.customer_id.as_deref() == Some(c))
    }

    fn adopt_owner(&mut self, user_id: Option<&str>, customer_id: Option<&str>) {
        if self.user_id.is_none() {
            self.user_id = user_id.map(str::to_owned);
        }
        if self.customer_id.is_none() {
            self.customer_id = customer_id.map(str::to_owned);
        }
    }

    #[cfg(test)]
    pub fn for_tests(messages: Vec<Message>) -> Conversation {
        Conversation { messages, ..Conversation::new("c", CHAT_TYPE) }
    }
}

/// A document joining a conversation.
pub(crate) struct Joining<'a> {
    pub conversation_id: &'a str,
    pub user_id: Option<&'a str>,
    pub customer_id: Option<&'a str>,
    pub document_type: &'a str,
    /// When it was written: its first message's time, one second per message after.
    pub at: Timestamp,
    pub messages: Vec<(String, String)>,
}

/// A message to record (`POST /v1/conversations/messages` or a batch row).
#[derive(Debug)]
pub(crate) struct NewMessage {
    /// Canonical UUID.
    pub conversation_id: String,
    pub role: String,
    pub content: String,
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    pub session_id: Option<String>,
}

/// A stored message and the conversation's size after it.
pub(crate) struct Recorded {
    pub message: Message,
    pub conversation_id: String,
    pub session_id: String,
    pub count: usize,
}

/// A transcript's turns joining a conversation.
pub(crate) struct IngestedTurn {
    pub role: String,
    pub content: String,
    pub at: Timestamp,
}

#[derive(Debug, Default)]
pub(crate) struct ConversationStore {
    conversations: HashMap<String, Conversation>,
}

impl ConversationStore {
    fn entry(&mut self, id: &str, conversation_type: &str) -> &mut Conversation {
        self.conversations.entry(id.to_owned()).or_insert_with(|| Conversation::new(id, conversation_type))
    }

    pub fn add(&mut self, doc: Joining<'_>) {
        let conversation = self.entry(doc.conversation_id, doc.document_type);
        conversation.adopt_owner(doc.user_id, doc.customer_id);
        for (i, (role, content)) in doc.messages.into_iter().enumerate() {
            let at = doc.at.checked_add(SignedDuration::from_secs(i as i64)).unwrap_or(doc.at);
            conversation.messages.push(Message { id: Uuid::new_v4(), role, content, at, session_id: None });
        }
        // Stable: messages at equal times keep their arrival order.
        conversation.messages.sort_by_key(|m| m.at);
    }

    /// Appends a message at `now`, or just after the conversation's last
    /// message if the clock stepped back, so recording order is kept.
    pub fn record(&mut self, new: NewMessage, now: Timestamp) -> Recorded {
        let conversation = self.entry(&new.conversation_id, CHAT_TYPE);
        conversation.adopt_owner(new.user_id.as_deref(), new.customer_id.as_deref());
        let at = conversation.last_message_at().map_or(now, |last| now.max(last));
        let session_id = match new.session_id.filter(|s| !s.is_empty()) {
            Some(s) => s,
            None => conversation.default_session.get_or_insert_with(|| Uuid::new_v4().hyphenated().to_string()).clone(),
        };
        let message = Message {
            id: Uuid::new_v4(),
            role: new.role,
            content: new.content,
            at,
            session_id: Some(session_id.clone()),
        };
        conversation.messages.push(message.clone());
        Recorded { message, conversation_id: conversation.id.clone(), session_id, count: conversation.messages.len() }
    }

    /// Adds an ingested transcript's turns (kept in time order with what the
    /// conversation already held) and remembers the push.
    pub fn ingest(&mut self, id: &str, external_id: Option<String>, details: IngestDetails, turns: Vec<IngestedTurn>) {
        let conversation = self.entry(id, &details.conversation_type);
        conversation.adopt_owner(details.user_id.as_deref(), details.customer_id.as_deref());
        if conversation.messages.is_empty() {
            conversation.conversation_type = details.conversation_type;
        }
        conversation.external_id = external_id.or(conversation.external_id.take());
        conversation.started_at = details.started_at.or(conversation.started_at);
        conversation.ended_at = details.ended_at.or(conversation.ended_at);
        let session = Uuid::new_v4().hyphenated().to_string();
        for turn in turns {
            conversation.messages.push(Message {
                id: Uuid::new_v4(),
                role: turn.role,
                content: turn.content,
                at: turn.at,
                session_id: Some(session.clone()),
            });
        }
        conversation.messages.sort_by_key(|m| m.at);
        conversation.transcript = Some(details.record);
    }

    /// By any form of its id.
    pub fn get(&self, id: &str) -> Option<&Conversation> {
        self.conversations.get(&key(id))
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut Conversation> {
        self.conversations.get_mut(&key(id))
    }

    /// How many conversations match, and their messages.
    pub fn count_where(&self, chosen: &dyn Fn(&Conversation) -> bool) -> (usize, usize) {
        self.conversations.values().filter(|c| chosen(c)).fold((0, 0), |(n, m), c| (n + 1, m + c.messages.len()))
    }

    /// Deletes the conversations that match, with everything they hold;
    /// returns how many there were, and their messages.
    pub fn remove_where(&mut self, chosen: &dyn Fn(&Conversation) -> bool) -> (usize, usize) {
        let counts = self.count_where(chosen);
        self.conversations.retain(|_, c| !chosen(c));
        counts
    }

    /// The user's conversations, most recent message first.
    pub fn of_user(&self, user_id: &str, customer_id: Option<&str>) -> Vec<&Conversation> {
        let mut found: Vec<&Conversation> =
            self.conversations.values().filter(|c| c.belongs_to(user_id, customer_id)).collect();
        found.sort_by(|a, b| b.last_message_at().cmp(&a.last_message_at()).then(a.id.cmp(&b.id)));
        found
    }
}

/// What an ingest says about the conversation besides its turns.
pub(crate) struct IngestDetails {
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    pub conversation_type: String,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub record: TranscriptRecord,
}

/// The conversation type of one started by recorded messages.
const CHAT_TYPE: &str = "ai-chat-conversation";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ID: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";

    #[test]
    fn documents_map_to_conversations() {
        let meta = |v: Value| v.as_object().cloned();
        assert_eq!(conversation_of(Some(ID), None).as_deref(), Some(ID));
        assert_eq!(conversation_of(Some(&ID.to_uppercase()), None).as_deref(), Some(ID));
        assert_eq!(conversation_of(Some("chat-1"), None), None);
        assert_eq!(conversation_of(None, meta(json!({})).as_ref()), None);
        let named = meta(json!({"conversation_id": format!("urn:uuid:{ID}")}));
        assert_eq!(conversation_of(Some("chat-1"), named.as_ref()).as_deref(), Some(ID));
        let named = meta(json!({"conversation_id": "support-7"}));
        assert_eq!(conversation_of(Some(ID), named.as_ref()).as_deref(), Some("support-7"));
        let odd = meta(json!({"conversation_id": 7}));
        assert_eq!(conversation_of(Some(ID), odd.as_ref()).as_deref(), Some(ID));
    }

    #[test]
    fn messages_from_text_and_objects() {
        let text = json!("User: I switched to decaf.\nIt helps.\nAssistant: Noted.\nSystem: x");
        let got = messages(&text);
        assert_eq!(
            got,
            [
                ("user".to_owned(), "I switched to decaf.\nIt helps.".to_owned()),
                ("assistant".to_owned(), "Noted.".to_owned()),
                ("system".to_owned(), "x".to_owned()),
            ]
        );
        assert_eq!(messages(&json!("no label here")), [("user".to_owned(), "no label here".to_owned())]);
        let obj = json!({"messages": [{"role": "assistant", "content": "Hi"}, {"text": "Hello"}, {"n": 1}]});
        assert_eq!(
            messages(&obj),
            [("assistant".to_owned(), "Hi".to_owned()), ("user".to_owned(), "Hello".to_owned())]
        );
        assert_eq!(messages(&json!({"title": "Agent: ok"})), [("assistant".to_owned(), "ok".to_owned())]);
    }

    #[test]
    fn store_orders_messages_and_finds_users() {
        let mut store = ConversationStore::default();
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let join = |id: &'static str, at: &str, text: &str| Joining {
            conversation_id: id,
            user_id: Some("u"),
            customer_id: Some("c"),
            document_type: "ai-chat-conversation",
            at: t(at),
            messages: messages(&json!(text)),
        };
        store.add(join("a", "2025-01-15T10:00:00Z", "User: later\nAssistant: ok"));
        store.add(join("a", "2025-01-14T10:00:00Z", "User: earlier"));
        store.add(join("b", "2025-01-16T10:00:00Z", "User: other"));
        let a = store.get("a").unwrap();
        let contents: Vec<&str> = a.messages.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(contents, ["earlier", "later", "ok"]);
        assert_eq!(a.messages[2].at, t("2025-01-15T10:00:01Z"));
        assert_eq!(a.prompt_view().recent.len(), 3);
        let ids: Vec<&str> = store.of_user("u", None).iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
        assert!(store.of_user("u", Some("other")).is_empty());
        assert!(store.of_user("v", None).is_empty());
    }

    #[test]
    fn recording_keeps_order_and_a_session() {
        let mut store = ConversationStore::default();
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let new = |content: &str, session: Option<&str>| NewMessage {
            conversation_id: ID.to_owned(),
            role: "user".to_owned(),
            content: content.to_owned(),
            user_id: Some("u".to_owned()),
            customer_id: None,
            session_id: session.map(str::to_owned),
        };
        let a = store.record(new("a", None), t("2025-01-15T10:00:00Z"));
        // A clock that stepped back still files the message last.
        let b = store.record(new("b", None), t("2025-01-15T09:00:00Z"));
        let c = store.record(new("c", Some("s1")), t("2025-01-15T10:00:05Z"));
        assert_eq!((a.count, b.count, c.count), (1, 2, 3));
        assert_eq!(b.message.at, t("2025-01-15T10:00:00Z"));
        assert_eq!((a.session_id == b.session_id, c.session_id.as_str()), (true, "s1"));
        let conv = store.get(&ID.to_uppercase()).unwrap();
        let contents: Vec<&str> = conv.messages.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(contents, ["a", "b", "c"]);
        assert_eq!((conv.user_id.as_deref(), conv.conversation_type.as_str()), (Some("u"), CHAT_TYPE));
        assert!(conv.latest_completed().is_none() && !conv.is_stale() && conv.running().is_none());
    }
}
