//! `POST /v1/conversations/ingest` (contract part 2, section 5.3): a whole
//! transcript at once.
//!
//! The `conversation_id` is any string: a UUID stays itself (canonical),
//! anything else becomes `uuid5(NAMESPACE_URL, id)`, and the original is
//! echoed as `external_conversation_id`. The transcript is a list of turns
//! or a string split into one turn per `Label: text` line (labels `user`
//! and `human` are the user, any other the assistant, as the SDK documents;
//! unlabelled lines continue the turn before). Turns are dated by their
//! `timestamp`, else a second after the turn before, the first at
//! `started_at`, else now.
//!
//! The push queues an ingestion job, followed through `memories.status`
//! like a created document's (its memories, from the user's turns, belong
//! to the user, customer and conversation; the document markers apply),
//! and starts a compaction (`summary_status: in_progress`) unless one is
//! running (`skipped`). The same transcript again is a 200 `duplicate`
//! with the first push's `ingestion_id`; another transcript under the same
//! id a 409 `transcript_conflict`.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::body_check::Fields;
use crate::compaction;
use crate::conversations::{Conversation, IngestDetails, IngestedTurn, TranscriptRecord};
use crate::credits;
use crate::http::{Request, Response};
use crate::ingest::outcome;
use crate::jobs::{JobSpec, Origin};
use crate::memories;
use crate::messages::ROLES;
use crate::state::{B2C, State, lock};
use crate::timefmt;
use crate::uuid5;
use crate::validate::{self, FieldError};

/// The docstring's limits.
const MAX_TYPE_CHARS: usize = 64;
const MAX_JSON_BYTES: usize = 64 * 1024;
const DEFAULT_TYPE: &str = "transcript";

/// A turn as sent; `at` when it carried a timestamp.
struct Turn {
    role: String,
    content: String,
    at: Option<Timestamp>,
}

struct Push {
    external_id: String,
    user_id: String,
    customer_id: Option<String>,
    conversation_type: String,
    started_at: Option<Timestamp>,
    ended_at: Option<Timestamp>,
    turns: Vec<Turn>,
}

/// The stored id of a conversation named `id` by a client.
pub(crate) fn coerce(id: &str) -> Uuid {
    Uuid::parse_str(id).unwrap_or_else(|_| uuid5::url_v5(id))
}

fn parse(body: &Value) -> Result<Push, Vec<FieldError>> {
    let mut f = Fields::of(body, &[json!("body")])?;
    let external_id = f.non_empty_string("conversation_id");
    let user_id = f.non_empty_string("user_id");
    let turns = transcript(&mut f);
    let customer_id = f.optional_string("customer_id");
    let conversation_type = f.bounded_string("conversation_type", MAX_TYPE_CHARS);
    for name in ["analysis", "metadata"] {
        f.object(name);
        f.max_json_bytes(name, MAX_JSON_BYTES);
    }
    let started_at = f.datetime("started_at");
    let ended_at = f.datetime("ended_at");
    f.scope("scope");
    let (Some(external_id), Some(user_id), Some(turns)) = f.finish((external_id, user_id, turns))? else {
        unreachable!("a missing field is an error");
    };
    Ok(Push {
        external_id,
        user_id,
        customer_id,
        conversation_type: conversation_type.unwrap_or_else(|| DEFAULT_TYPE.to_owned()),
        started_at,
        ended_at,
        turns,
    })
}

fn transcript(f: &mut Fields<'_>) -> Option<Vec<Turn>> {
    let value = match f.obj.get("transcript") {
        None => {
            let whole = Value::Object(f.obj.clone());
            f.fail("transcript", "missing", "Field required", &whole);
            return None;
        }
        Some(v) => v.clone(),
    };
    let empty = |f: &mut Fields<'_>, v: &Value| {
        f.fail("transcript", "value_error", "Value error, transcript must not be empty", v);
        None
    };
    match &value {
        Value::String(text) => {
            let turns = split(text);
            if turns.is_empty() { empty(f, &value) } else { Some(turns) }
        }
        Value::Array(items) if items.is_empty() => empty(f, &value),
        Value::Array(items) => {
            let mut turns = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let base = [json!("body"), json!("transcript"), json!(i)];
                match Fields::of(item, &base) {
                    Ok(mut t) => {
                        let role = t.one_of("role", &ROLES, None);
                        let content = t.required_string("content");
                        let at = t.datetime("timestamp");
                        t.optional_string("speaker");
                        t.object("metadata");
                        f.errors.append(&mut t.errors);
                        if let (Some(role), Some(content)) = (role, content) {
                            turns.push(Turn { role: role.to_owned(), content, at });
                        }
                    }
                    Err(mut errors) => f.errors.append(&mut errors),
                }
            }
            Some(turns)
        }
        _ => {
            f.fail("transcript", "string_type", "Input should be a valid string or a list of turns", &value);
            None
        }
    }
}

/// One turn per `Label: text` line; unlabelled lines continue the turn before.
fn split(text: &str) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match (memories::split_speaker(line), turns.last_mut()) {
            ((Some(label), rest), _) => {
                let role =
                    if ["user", "human"].contains(&label.to_lowercase().as_str()) { "user" } else { "assistant" };
                turns.push(Turn { role: role.to_owned(), content: rest.to_owned(), at: None });
            }
            ((None, rest), Some(turn)) => {
                turn.content.push('\n');
                turn.content.push_str(rest);
            }
            ((None, rest), None) => turns.push(Turn { role: "user".to_owned(), content: rest.to_owned(), at: None }),
        }
    }
    turns
}

pub(crate) fn ingest(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let push = match parse(&body) {
        Ok(push) => push,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let isolation = state.config.user_context_isolation.as_deref();
    if isolation == Some(B2C) && push.customer_id.is_some() {
        return Response::detail(400, "customer_id is not accepted: this instance isolates users per customer");
    }
    if isolation.is_none() && push.customer_id.is_none() {
        return Response::detail(400, "user_id requires customer_id on this instance");
    }
    let id = coerce(&push.external_id).hyphenated().to_string();
    let fmt = state.time_format();
    let mut jobs = lock(&state.jobs);
    let mut conversations = lock(&state.conversations);
    let existing = conversations.get(&id);
    if let Some(record) = existing.and_then(|c| c.transcript.as_ref()) {
        let conversation = existing.expect("a record has its conversation");
        if record.transcript != body["transcript"] {
            return Response::json(
                409,
                &json!({"detail": {
                    "code": "transcript_conflict",
                    "message": format!("conversation {} already has a different transcript; use a new conversation_id for a new call", push.external_id),
                    "conversation_id": id,
                    "ingestion_id": record.ingestion_id.to_string(),
                }}),
            );
        }
        let summary_status = match (conversation.latest_completed(), conversation.running()) {
            (Some(_), _) => "already_compacted",
            (None, Some(_)) => "in_progress",
            (None, None) => "skipped",
        };
        return Response::json(
            200,
            &json!({
                "conversation_id": id,
                "external_conversation_id": push.external_id,
                "ingestion_id": record.ingestion_id.to_string(),
                "status": "duplicate",
                "turns_recorded": record.turns,
                "summary_status": summary_status,
                "queued_at": timefmt::format(record.queued_at, fmt),
                "warnings": record.warnings,
            }),
        );
    }
    if let Err(resp) = credits::charge(state, 1, "conversations.ingest") {
        return resp;
    }
    let mut warnings = Vec::new();
    if push.started_at.is_none() && push.turns.iter().all(|t| t.at.is_none()) {
        warnings.push("no started_at and no turn timestamps: the turns and their memories are dated now".to_owned());
    }
    if let Some(n) = existing.map(|c| c.messages.len()).filter(|n| *n > 0) {
        warnings.push(format!("the conversation already had {n} messages; they were kept"));
    }
    // An undated turn comes a second after the one before it (the first at
    // started_at, else now), so the transcript's order is kept.
    let mut previous: Option<Timestamp> = None;
    let turns: Vec<IngestedTurn> = push
        .turns
        .into_iter()
        .map(|t| {
            let at = t.at.unwrap_or_else(|| match previous {
                Some(p) => p.checked_add(SignedDuration::from_secs(1)).unwrap_or(p),
                None => push.started_at.unwrap_or_else(Timestamp::now),
            });
            previous = Some(at);
            IngestedTurn { at, role: t.role, content: t.content }
        })
        .collect();
    let user_text: Vec<&str> = turns.iter().filter(|t| t.role == "user").map(|t| t.content.as_str()).collect();
    let (final_state, memory_texts, error_message) = outcome(&user_text.join("\n"));
    let (processing_after, done_after) = state.create_timing();
    let ingestion_id = Uuid::new_v4();
    let queued_at = jobs.insert(
        ingestion_id,
        JobSpec {
            document_id: push.external_id.clone(),
            final_state,
            processing_after,
            done_after,
            memories: memory_texts.len() as u64,
            memory_texts,
            error_message,
            backdate: Duration::ZERO,
            origin: Origin {
                user_id: Some(push.user_id.clone()),
                customer_id: push.customer_id.clone(),
                conversation_id: Some(id.clone()),
                said_at: turns.first().map(|t| t.at),
                document_type: Some("meeting-transcript".to_owned()),
            },
        },
    );
    let turns_recorded = turns.len();
    let record = TranscriptRecord {
        transcript: body["transcript"].clone(),
        ingestion_id,
        turns: turns_recorded,
        queued_at,
        warnings: warnings.clone(),
    };
    let external = (Uuid::parse_str(&push.external_id).is_err()).then(|| push.external_id.clone());
    let details = IngestDetails {
        user_id: Some(push.user_id),
        customer_id: push.customer_id,
        conversation_type: push.conversation_type,
        started_at: push.started_at,
        ended_at: push.ended_at,
        record,
    };
    conversations.ingest(&id, external, details, turns);
    let conversation: &mut Conversation = conversations.get_mut(&id).expect("just ingested");
    let summary_status = if conversation.running().is_some() {
        "skipped"
    } else {
        compaction::start(conversation, "transcript_ingest", "adaptive", None, state.compaction_timing());
        "in_progress"
    };
    Response::json(
        200,
        &json!({
            "conversation_id": id,
            "external_conversation_id": push.external_id,
            "ingestion_id": ingestion_id.to_string(),
            "status": "queued",
            "turns_recorded": turns_recorded,
            "summary_status": summary_status,
            "queued_at": timefmt::format(queued_at, fmt),
            "warnings": warnings,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_coerced_deterministically() {
        let id = "6F1C9E2A-3B7D-4A58-9C0E-2D4B6A8F1E37";
        assert_eq!(coerce(id).to_string(), id.to_lowercase());
        assert_eq!(coerce("call-8812").to_string(), "5a0b2935-9bb5-5de8-8b14-cc1f3069d301");
        assert_eq!(coerce("call-8812"), coerce("call-8812"));
    }

    #[test]
    fn string_transcripts_split_on_labels() {
        let turns = split("Caller: I want a refund.\nIt arrived broken.\nHuman: hi\nAgent: Sure.\n\n");
        let got: Vec<(&str, &str)> = turns.iter().map(|t| (t.role.as_str(), t.content.as_str())).collect();
        assert_eq!(
            got,
            [("assistant", "I want a refund.\nIt arrived broken."), ("user", "hi"), ("assistant", "Sure.")]
        );
        assert_eq!(split("no label").len(), 1);
        assert!(split(" \n ").is_empty());
    }

    #[test]
    fn the_request_model() {
        let ok = parse(&json!({"conversation_id": "call-1", "user_id": "+1", "transcript": [
            {"role": "user", "content": "I want a refund.", "timestamp": "2025-01-15T10:00:04Z", "speaker": "Caller", "metadata": null, "x": 1}],
            "started_at": "2025-01-15T10:00:00+00:00", "customer_id": "c"}))
        .map_err(|e| e.len())
        .unwrap();
        assert_eq!((ok.turns.len(), ok.conversation_type.as_str()), (1, DEFAULT_TYPE));
        assert!(ok.turns[0].at.is_some() && ok.started_at.is_some());
        let bad =
            parse(&json!({"conversation_id": "", "user_id": "u", "transcript": [{"role": "system", "content": 1}],
            "conversation_type": "x".repeat(65), "analysis": []}))
            .err()
            .unwrap();
        let kinds: Vec<String> = bad.iter().map(|e| e.summary(1)).collect();
        assert_eq!(kinds.len(), 5, "{kinds:?}");
        assert!(kinds[1].starts_with("transcript.0.role"), "{kinds:?}");
        for empty in [json!(""), json!([]), json!("  \n")] {
            let errs = parse(&json!({"conversation_id": "c", "user_id": "u", "transcript": empty})).err().unwrap();
            assert_eq!(errs[0].kind, "value_error");
        }
    }
}
