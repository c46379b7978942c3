//! One memory as a context item (contract sections 3.6 and 3.7): the
//! generic wire shape every typed list shares, and its ranked form.

use serde_json::{Map, Value, json};

use crate::config::TimeFormat;
use crate::jobs::StoredMemory;
use crate::timefmt;

/// A memory chosen for a response.
pub(crate) struct Hit<'a> {
    pub memory: &'a StoredMemory,
    /// Relevance in 0..1 (`metadata.rank_score`).
    pub score: f64,
    /// The fetch's queries that match it, in the order sent.
    pub matched: Vec<String>,
}

/// The response list a memory type is filed under.
pub(crate) fn list_of(memory_type: &str) -> &'static str {
    match memory_type {
        "preference" => "preferences",
        "episode" => "episodes",
        "emotion" => "emotions",
        "temporal_event" => "temporal_events",
        _ => "facts",
    }
}

/// The item as a by-type list holds it.
pub(crate) fn item(hit: &Hit<'_>, fmt: TimeFormat) -> Map<String, Value> {
    let m = hit.memory;
    let d = &m.draft;
    let time = |ts| Value::String(timefmt::format(ts, fmt));
    let mut metadata = Map::new();
    metadata.insert("memory_type".into(), json!(d.memory_type));
    metadata.insert("source_document_id".into(), json!(m.document_id));
    metadata.insert("rank_score".into(), json!(round(hit.score)));
    let mut item = Map::new();
    item.insert("id".into(), json!(m.id.hyphenated().to_string()));
    item.insert("content".into(), json!(d.content));
    item.insert("confidence".into(), json!(d.confidence));
    item.insert("source".into(), json!(source(m.origin.document_type.as_deref())));
    item.insert("extracted_at".into(), time(m.created_at));
    item.insert("metadata".into(), Value::Object(metadata));
    if let Some(category) = d.category {
        item.insert("category".into(), json!(category));
    }
    if let Some(sub) = d.subcategory {
        item.insert("subcategory".into(), json!(sub));
        if d.memory_type == "emotion" {
            item.insert("emotion_type".into(), json!(sub));
        }
    }
    if d.memory_type == "episode" {
        item.insert("participants".into(), json!([]));
    }
    // Nothing here states when an event happened, only when it was said.
    for key in ["event_date", "event_end", "event_precision", "valid_until"] {
        item.insert(key.into(), Value::Null);
    }
    item.insert("said_at".into(), time(m.said_at));
    item.insert("temporal_category".into(), json!(temporal_category(d.memory_type)));
    item.insert("temporal_confidence".into(), json!(d.confidence));
    item.insert("source_evidence".into(), json!([d.content]));
    item.insert("matched_queries".into(), json!(hit.matched));
    item
}

/// The item as `context.items` holds it: `rank` from 1 and `category` = its list.
pub(crate) fn ranked_item(hit: &Hit<'_>, rank: usize, fmt: TimeFormat) -> Map<String, Value> {
    let mut item = item(hit, fmt);
    item.insert("rank".into(), json!(rank));
    item.insert("category".into(), json!(list_of(hit.memory.draft.memory_type)));
    item
}

/// Chats and transcripts are conversations; everything else a document.
fn source(document_type: Option<&str>) -> &'static str {
    match document_type {
        None | Some("ai-chat-conversation" | "meeting-transcript" | "audio") => "conversation",
        Some(_) => "document",
    }
}

fn temporal_category(memory_type: &str) -> &'static str {
    match memory_type {
        "temporal_event" => "temporal_fact",
        "episode" | "emotion" => "episode",
        _ => "perpetual",
    }
}

/// Four decimals: enough to order by, short on the wire.
fn round(score: f64) -> f64 {
    (score.clamp(0.0, 1.0) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::Origin;
    use crate::memories;
    use jiff::Timestamp;
    use uuid::Uuid;

    fn stored(text: &str, document_type: Option<&str>) -> StoredMemory {
        StoredMemory {
            id: Uuid::new_v4(),
            index: 0,
            draft: memories::draft(text),
            created_at: "2025-01-15T10:30:41Z".parse::<Timestamp>().unwrap(),
            said_at: "2025-01-15T10:29:58Z".parse::<Timestamp>().unwrap(),
            updated_at: None,
            document_id: "chat-1".into(),
            origin: Origin { document_type: document_type.map(str::to_owned), ..Origin::default() },
        }
    }

    #[test]
    fn by_type_and_ranked_shapes() {
        let m = stored("I switched to decaf after 3pm.", None);
        let hit = Hit { memory: &m, score: 0.123456, matched: vec!["decaf".into()] };
        let item = Value::Object(item(&hit, TimeFormat::Z));
        assert_eq!(item["id"], m.id.to_string());
        assert_eq!(item["category"], "preferences");
        assert_eq!(item["subcategory"], "switched");
        assert_eq!(item["source"], "conversation");
        assert_eq!(item["extracted_at"], "2025-01-15T10:30:41Z");
        assert_eq!(item["said_at"], "2025-01-15T10:29:58Z");
        assert_eq!(item["metadata"]["rank_score"], 0.1235);
        assert_eq!(item["matched_queries"], json!(["decaf"]));
        assert_eq!(item["temporal_category"], "perpetual");
        assert!(item["event_date"].is_null());
        let ranked = Value::Object(ranked_item(&hit, 3, TimeFormat::Z));
        assert_eq!((ranked["rank"].as_u64(), ranked["category"].as_str()), (Some(3), Some("preferences")));
    }

    #[test]
    fn emotions_and_episodes_carry_their_labels() {
        let m = stored("Felt relieved once the outage was resolved.", Some("email"));
        let e = Value::Object(item(&Hit { memory: &m, score: 1.0, matched: vec![] }, TimeFormat::Z));
        assert_eq!((e["emotion_type"].as_str(), e["source"].as_str()), (Some("relieved"), Some("document")));
        let m = stored("Visited Lisbon with family last spring.", None);
        let e = Value::Object(item(&Hit { memory: &m, score: 0.0, matched: vec![] }, TimeFormat::Z));
        assert_eq!((e["participants"].clone(), e["temporal_category"].as_str()), (json!([]), Some("episode")));
        assert_eq!(list_of("temporal_event"), "temporal_events");
        assert_eq!(list_of("anything"), "facts");
    }
}
