//! Conversations: the messages of the documents that belong to one, for
//! `context-for-prompt`, conversation context blocks and summary mode.
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
}

#[derive(Debug)]
pub(crate) struct Conversation {
    pub id: String,
    /// The first user and customer a document of it named.
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    /// The `document_type` of its first document.
    pub conversation_type: String,
    /// In time order (arrival order among equal times).
    pub messages: Vec<Message>,
}

/// What a prompt is built from: the compacted part (its summary and how
/// many messages it replaced) and the messages after it.
pub(crate) struct PromptView<'a> {
    pub summary: Option<&'a str>,
    pub compaction_id: Option<String>,
    pub compacted: usize,
    pub recent: &'a [Message],
}

impl Conversation {
    /// Nothing is ever compacted here, so every message is recent.
    pub fn prompt_view(&self) -> PromptView<'_> {
        PromptView { summary: None, compaction_id: None, compacted: 0, recent: &self.messages }
    }

    pub fn last_message_at(&self) -> Option<Timestamp> {
        self.messages.last().map(|m| m.at)
    }

    /// Whether a fetch naming this user (and customer, when given) sees it.
    pub fn belongs_to(&self, user_id: &str, customer_id: Option<&str>) -> bool {
        self.user_id.as_deref() == Some(user_id) && customer_id.is_none_or(|c| self.customer_id.as_deref() == Some(c))
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

#[derive(Debug, Default)]
pub(crate) struct ConversationStore {
    conversations: HashMap<String, Conversation>,
}

impl ConversationStore {
    pub fn add(&mut self, doc: Joining<'_>) {
        let conversation = self.conversations.entry(doc.conversation_id.to_owned()).or_insert_with(|| Conversation {
            id: doc.conversation_id.to_owned(),
            user_id: None,
            customer_id: None,
            conversation_type: doc.document_type.to_owned(),
            messages: Vec::new(),
        });
        if conversation.user_id.is_none() {
            conversation.user_id = doc.user_id.map(str::to_owned);
        }
        if conversation.customer_id.is_none() {
            conversation.customer_id = doc.customer_id.map(str::to_owned);
        }
        for (i, (role, content)) in doc.messages.into_iter().enumerate() {
            let at = doc.at.checked_add(SignedDuration::from_secs(i as i64)).unwrap_or(doc.at);
            conversation.messages.push(Message { id: Uuid::new_v4(), role, content, at });
        }
        // Stable: messages at equal times keep their arrival order.
        conversation.messages.sort_by_key(|m| m.at);
    }

    /// By any form of its id.
    pub fn get(&self, id: &str) -> Option<&Conversation> {
        self.conversations.get(&key(id))
    }

    /// The user's conversations, most recent message first.
    pub fn of_user(&self, user_id: &str, customer_id: Option<&str>) -> Vec<&Conversation> {
        let mut found: Vec<&Conversation> =
            self.conversations.values().filter(|c| c.belongs_to(user_id, customer_id)).collect();
        found.sort_by(|a, b| b.last_message_at().cmp(&a.last_message_at()).then(a.id.cmp(&b.id)));
        found
    }
}

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
}
