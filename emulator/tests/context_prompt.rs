//! GET /v1/conversations/{conversation_id}/context-for-prompt: the
//! conversation's messages in each style, before any compaction.

mod reads;

use reads::*;
use serde_json::{Value, json};

const CONV: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";

fn prompt_path(id: &str, style: Option<&str>) -> String {
    match style {
        Some(style) => format!("/v1/conversations/{id}/context-for-prompt?style={style}"),
        None => format!("/v1/conversations/{id}/context-for-prompt"),
    }
}

fn two_documents(api: &Api) {
    api.ingest(
        "User: I switched to decaf after 3pm.\nAssistant: Noted.",
        json!({"user_id": "u", "customer_id": "c", "document_id": CONV, "document_created_at": "2025-01-15T10:29:58Z"}),
    );
    api.ingest(
        "User: Any news on my order?\nAgent: It ships tomorrow.",
        json!({"user_id": "u", "customer_id": "c", "document_id": "chat-2",
               "metadata": {"conversation_id": CONV}, "document_created_at": "2025-01-15T11:00:00Z"}),
    );
}

#[test]
fn every_message_is_recent_before_compaction() {
    let api = Api::start();
    two_documents(&api);
    let r = api.get(&prompt_path(CONV, Some("structured")));
    assert_eq!(r.status, 200, "{}", r.body);
    let b = &r.body;
    assert_eq!(
        (b["available"].as_bool(), b["is_stale"].as_bool(), b["quality_warning"].as_bool()),
        (Some(false), Some(false), Some(false))
    );
    assert_eq!((b["context_block"].clone(), b["compaction_id"].clone()), (Value::Null, Value::Null));
    for count in ["recent_message_count", "total_message_count"] {
        assert_eq!(b[count], 4, "{count}");
    }
    assert_eq!(b["compacted_message_count"], 0);
    let messages = b["recent_messages"].as_array().unwrap();
    let roles: Vec<&str> = messages.iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "assistant", "user", "assistant"]);
    assert_eq!(messages[3]["content"], "It ships tomorrow.");
    assert_eq!(messages[0]["timestamp"], "2025-01-15T10:29:58Z");
    assert_eq!(messages[1]["timestamp"], "2025-01-15T10:29:59Z");
    for m in messages {
        for field in ["role", "content", "timestamp", "message_id"] {
            assert!(m[field].is_string(), "{field} in {m}");
        }
        assert!(uuid::Uuid::parse_str(m["message_id"].as_str().unwrap()).is_ok());
    }
    let text = b["formatted_context"].as_str().unwrap();
    assert!(
        text.starts_with("## Recent messages\n[2025-01-15T10:29:58Z] user: I switched to decaf after 3pm."),
        "{text}"
    );
    // The same messages, with the same ids, on every read.
    assert_eq!(api.get(&prompt_path(CONV, Some("structured"))).body["recent_messages"], b["recent_messages"]);
}

#[test]
fn styles_and_defaults() {
    let api = Api::start();
    two_documents(&api);
    let text =
        |style: Option<&str>| api.get(&prompt_path(CONV, style)).body["formatted_context"].as_str().unwrap().to_owned();
    assert_eq!(text(None), text(Some("structured")));
    let bullets = text(Some("bullet_points"));
    assert_eq!(bullets.lines().next(), Some("- user: I switched to decaf after 3pm."));
    assert_eq!(bullets.lines().count(), 4);
    let narrative = text(Some("narrative"));
    assert!(
        narrative.contains("The user said: \"Any news on my order?\" The assistant replied: \"It ships tomorrow.\""),
        "{narrative}"
    );
    // Any form of the UUID finds the conversation.
    let upper = api.get(&prompt_path(&CONV.to_uppercase(), Some("narrative")));
    assert_eq!(upper.body["formatted_context"], narrative.as_str());
}

#[test]
fn unknown_conversations_and_bad_input() {
    let api = Api::start();
    let r = api.get(&prompt_path("00000000-0000-4000-8000-000000000000", Some("narrative")));
    assert_eq!(r.status, 200);
    assert_eq!((r.body["recent_messages"].clone(), r.body["formatted_context"].clone()), (json!([]), Value::Null));
    assert_eq!((r.body["total_message_count"].as_u64(), r.body["available"].as_bool()), (Some(0), Some(false)));

    let r = api.get(&prompt_path(CONV, Some("injection")));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["detail"][0]["loc"], json!(["query", "style"]));
    assert_eq!(r.body["detail"][0]["type"], "enum");
    let r = api.get(&prompt_path("not-a-uuid", None));
    assert_eq!(r.status, 422);
    assert_eq!(r.body["detail"][0]["loc"], json!(["path", "conversation_id"]));
    assert_eq!(r.body["detail"][0]["type"], "uuid_parsing");
    assert_eq!(api.anonymous("GET", &prompt_path(CONV, None)).status, 401);
    let r = api.post(&prompt_path(CONV, None), &json!({}));
    assert_eq!((r.status, r.header("allow")), (405, Some("GET")));
    for path in ["/v1/conversations//context-for-prompt", "/v1/conversations/a/b/context-for-prompt"] {
        assert_eq!(api.get(path).status, 404, "{path}");
    }
}
