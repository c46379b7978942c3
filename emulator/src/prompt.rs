//! `GET /v1/conversations/{conversation_id}/context-for-prompt?style=...`
//! (contract section 4): the conversation's compacted summary, if any, and
//! the messages after it, as one prompt-ready text in the asked style.
//! Before the first compaction finished every message is recent and
//! `available` is false; after it, `context_block` is the latest
//! compaction's block, the messages it covers are counted as compacted,
//! and `is_stale` says whether messages came after its cut-off. A
//! conversation nothing was ever said in answers with no messages.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::compaction::Compaction;
use crate::config::TimeFormat;
use crate::conversations::{self, Message, PromptView};
use crate::http::Response;
use crate::state::{State, lock};
use crate::timefmt;
use crate::validate::{FieldError, unprocessable};

const STYLES: [&str; 3] = ["structured", "narrative", "bullet_points"];

pub(crate) fn get(state: &State, conversation_id: &str, style: Option<&str>) -> Response {
    if let Err(e) = uuid::Uuid::parse_str(conversation_id) {
        return crate::routes::uuid_error("conversation_id", conversation_id, &e.to_string());
    }
    let style = style.unwrap_or(STYLES[0]);
    if !STYLES.contains(&style) {
        let expected = "'structured', 'narrative' or 'bullet_points'";
        let err = FieldError::new(
            vec![json!("query"), json!("style")],
            "enum",
            format!("Input should be {expected}"),
            &json!(style),
        );
        return unprocessable(&[FieldError { ctx: Some(json!({ "expected": expected })), ..err }]);
    }
    let fmt = state.time_format();
    let store = lock(&state.conversations);
    let view = store.get(conversation_id).map_or_else(PromptView::empty, conversations::Conversation::prompt_view);
    Response::json(200, &body(&view, style, fmt))
}

fn body(view: &PromptView<'_>, style: &str, fmt: TimeFormat) -> Value {
    let messages: Vec<Value> = view
        .recent
        .iter()
        .map(|m| {
            json!({
                "message_id": m.id.hyphenated().to_string(),
                "role": m.role,
                "content": m.content,
                "timestamp": timefmt::format(m.at, fmt),
            })
        })
        .collect();
    let recent = render(&view.recent, style, fmt);
    let c = view.compaction;
    let block = c.map(Compaction::context_block);
    let formatted = match (&block, recent.is_empty()) {
        (None, true) => None,
        (None, false) => Some(recent),
        (Some(b), true) => Some(b.clone()),
        (Some(b), false) => Some(format!("{b}\n\n{recent}")),
    };
    let age = c.map(|c| Timestamp::now().duration_since(c.completed_at()).as_secs().max(0));
    json!({
        "formatted_context": formatted,
        "available": c.is_some(),
        "is_stale": c.is_some() && !view.recent.is_empty(),
        "compression_ratio": c.map(Compaction::compression_ratio),
        "validation_score": c.map(|_| crate::compaction::VALIDATION_SCORE),
        "compaction_age_seconds": age,
        "quality_warning": false,
        "recent_messages": messages,
        "recent_message_count": view.recent.len(),
        "compacted_message_count": view.compacted,
        "total_message_count": view.compacted + view.recent.len(),
        "context_block": block,
        "compaction_id": c.map(|c| c.id.to_string()),
    })
}

/// The messages as text in one of [`STYLES`]; empty when there are none.
fn render(messages: &[&Message], style: &str, fmt: TimeFormat) -> String {
    if messages.is_empty() {
        return String::new();
    }
    match style {
        "narrative" => {
            let sentences: Vec<String> = messages
                .iter()
                .map(|m| match m.role.as_str() {
                    "user" => format!("The user said: \"{}\"", m.content),
                    "assistant" => format!("The assistant replied: \"{}\"", m.content),
                    other => format!("The {other} said: \"{}\"", m.content),
                })
                .collect();
            format!("Conversation so far. {}", sentences.join(" "))
        }
        "bullet_points" => {
            let lines: Vec<String> = messages.iter().map(|m| format!("- {}: {}", m.role, m.content)).collect();
            lines.join("\n")
        }
        _ => {
            let lines: Vec<String> = messages
                .iter()
                .map(|m| format!("[{}] {}: {}", timefmt::format(m.at, fmt), m.role, m.content))
                .collect();
            format!("## Recent messages\n{}", lines.join("\n"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compaction;
    use crate::conversations::Conversation;
    use std::time::Duration;
    use uuid::Uuid;

    fn msg(role: &str, content: &str, at: &str) -> Message {
        let at = at.parse::<Timestamp>().unwrap();
        Message { id: Uuid::new_v4(), role: role.into(), content: content.into(), at, session_id: None }
    }

    #[test]
    fn styles_render_every_message() {
        let msgs =
            [msg("user", "I drink decaf.", "2025-01-15T10:00:00Z"), msg("assistant", "Noted.", "2025-01-15T10:00:01Z")];
        let view = PromptView { compaction: None, compacted: 0, recent: msgs.iter().collect() };
        let structured = body(&view, "structured", TimeFormat::Z);
        assert_eq!(
            structured["formatted_context"],
            "## Recent messages\n[2025-01-15T10:00:00Z] user: I drink decaf.\n[2025-01-15T10:00:01Z] assistant: Noted."
        );
        assert_eq!(structured["available"], false);
        assert_eq!(structured["context_block"], Value::Null);
        assert_eq!(
            (structured["recent_message_count"].as_u64(), structured["total_message_count"].as_u64()),
            (Some(2), Some(2))
        );
        assert_eq!(structured["recent_messages"][1]["role"], "assistant");
        assert_eq!(structured["recent_messages"][0]["timestamp"], "2025-01-15T10:00:00Z");
        let bullets = body(&view, "bullet_points", TimeFormat::Z);
        assert_eq!(bullets["formatted_context"], "- user: I drink decaf.\n- assistant: Noted.");
        let narrative = body(&view, "narrative", TimeFormat::Z);
        assert_eq!(
            narrative["formatted_context"],
            "Conversation so far. The user said: \"I drink decaf.\" The assistant replied: \"Noted.\""
        );
    }

    #[test]
    fn a_compaction_frames_the_recent_messages() {
        let mut conv =
            Conversation::for_tests(vec![msg("user", "My refund was requested today.", "2025-01-15T10:00:00Z")]);
        compaction::start(&mut conv, "manual_api", "balanced", None, Duration::ZERO);
        conv.messages.push(msg("user", "any update?", "2025-01-15T10:41:02Z"));
        let b = body(&conv.prompt_view(), "bullet_points", TimeFormat::Z);
        let block = "## Conversation so far (compacted, 1 messages)\nMy refund was requested today.";
        assert_eq!(b["context_block"], block);
        assert_eq!(b["formatted_context"], format!("{block}\n\n- user: any update?"));
        assert_eq!((b["available"].as_bool(), b["is_stale"].as_bool()), (Some(true), Some(true)));
        assert_eq!((b["compacted_message_count"].as_u64(), b["total_message_count"].as_u64()), (Some(1), Some(2)));
        assert_eq!(b["compaction_id"], conv.compactions[0].id.to_string());
        assert!(b["compaction_age_seconds"].is_u64() && b["compression_ratio"].is_f64());
        let e = body(&PromptView::empty(), "narrative", TimeFormat::Z);
        assert_eq!((e["formatted_context"].clone(), e["recent_messages"].clone()), (Value::Null, json!([])));
    }
}
