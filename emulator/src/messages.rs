//! Conversation messages (contract part 2, sections 5.1, 5.2 and 5.4):
//! `POST /v1/conversations/messages` records one, `.../messages/batch`
//! many, `GET /v1/conversations/{id}/messages?start=&limit=` pages through
//! them.
//!
//! A message is stored in its conversation in arrival order with a server
//! `message_id`, a `session_id` (the given one, else one generated per
//! conversation and reused) and `recorded_at`. A user message's statements
//! (sentences of three words or more, up to five) also become memories of
//! its user, customer and conversation through a job on the create timing
//! ([`crate::Config::create_processing_after_ms`] and `..._done_after_ms`),
//! so context fetches find them once that job reports them; assistant
//! messages only join the conversation.
//!
//! Tenancy as for `memories.create`: a `customer_id` on a B2C instance, or
//! a `user_id` without one on a B2B instance, is a 400 (a batch error row).
//! A batch message without `user_id` takes its conversation's user and
//! customer; one of a conversation without them is refused.

use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::body_check::Fields;
use crate::conversations::{ConversationStore, NewMessage, Recorded};
use crate::http::{Request, Response, query_param};
use crate::jobs::{FinalState, JobSpec, JobStore, Origin};
use crate::memories;
use crate::state::{B2C, State, lock};
use crate::timefmt;
use crate::validate::{self, FieldError};

pub(crate) const ROLES: [&str; 2] = ["user", "assistant"];
/// Most messages in one batch.
const MAX_BATCH: usize = 1000;
/// Memories one message yields at most.
const MAX_MEMORIES_PER_MESSAGE: usize = 5;
/// Page size of the message list when `limit` is not given, and its cap.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

/// Why a message was not stored.
enum Refusal {
    Invalid(Vec<FieldError>),
    /// 400: ids that do not fit the instance's tenancy.
    Scope(&'static str),
}

impl Refusal {
    fn response(&self) -> Response {
        match self {
            Refusal::Invalid(errors) => validate::unprocessable(errors),
            Refusal::Scope(msg) => Response::detail(400, msg),
        }
    }

    /// One line for a batch error row; `depth` = loc parts above the message.
    fn message(&self, depth: usize) -> String {
        match self {
            Refusal::Invalid(errors) => errors.iter().map(|e| e.summary(depth)).collect::<Vec<_>>().join("; "),
            Refusal::Scope(msg) => (*msg).to_owned(),
        }
    }
}

/// The request model of one message. `user_id` is required on the single
/// route and optional in a batch.
fn parse(value: &Value, base: &[Value], user_required: bool) -> Result<NewMessage, Refusal> {
    let mut f = Fields::of(value, base).map_err(Refusal::Invalid)?;
    let conversation_id = f.uuid("conversation_id");
    let role = f.one_of("role", &ROLES, None);
    let content = f.required_string("content");
    let user_id = if user_required || f.obj.get("user_id").is_some_and(|v| !v.is_null()) {
        f.non_empty_string("user_id")
    } else {
        None
    };
    let customer_id = f.optional_string("customer_id");
    let session_id = f.optional_string("session_id");
    f.object("metadata");
    f.scope("scope");
    let parsed = f.finish((conversation_id, role, content)).map_err(Refusal::Invalid)?;
    let (Some(conversation_id), Some(role), Some(content)) = parsed else {
        unreachable!("a missing field is an error");
    };
    Ok(NewMessage { conversation_id, role: role.to_owned(), content, user_id, customer_id, session_id })
}

fn tenancy(state: &State, user_id: Option<&str>, customer_id: Option<&str>) -> Result<(), Refusal> {
    let isolation = state.config.user_context_isolation.as_deref();
    if isolation == Some(B2C) && customer_id.is_some() {
        return Err(Refusal::Scope("customer_id is not accepted: this instance isolates users per customer"));
    }
    if isolation.is_none() && user_id.is_some() && customer_id.is_none() {
        return Err(Refusal::Scope("user_id requires customer_id on this instance"));
    }
    Ok(())
}

/// The stored row, as the single route answers and a batch lists it.
fn row(rec: &Recorded, state: &State) -> Value {
    json!({
        "message_id": rec.message.id.to_string(),
        "conversation_id": rec.conversation_id,
        "session_id": rec.session_id,
        "recorded_at": timefmt::format(rec.message.at, state.time_format()),
        "conversation_message_count": rec.count,
    })
}

/// Stores one checked message and queues its memories.
fn store(state: &State, jobs: &mut JobStore, conversations: &mut ConversationStore, msg: NewMessage) -> Recorded {
    let (user_id, customer_id) = (msg.user_id.clone(), msg.customer_id.clone());
    let rec = conversations.record(msg, Timestamp::now());
    if rec.message.role == "user" {
        remember(state, jobs, &rec, user_id, customer_id);
    }
    rec
}

/// Queues the job that turns a user message into memories.
fn remember(state: &State, jobs: &mut JobStore, rec: &Recorded, user_id: Option<String>, customer_id: Option<String>) {
    let texts: Vec<String> =
        memories::statements(&rec.message.content).into_iter().take(MAX_MEMORIES_PER_MESSAGE).collect();
    if texts.is_empty() {
        return;
    }
    let (processing_after, done_after) = state.create_timing();
    let spec = JobSpec {
        document_id: rec.message.id.to_string(),
        final_state: FinalState::Completed,
        processing_after,
        done_after,
        memories: texts.len() as u64,
        memory_texts: texts,
        error_message: None,
        backdate: Duration::ZERO,
        origin: Origin {
            user_id,
            customer_id,
            conversation_id: Some(rec.conversation_id.clone()),
            said_at: Some(rec.message.at),
            document_type: Some("ai-chat-conversation".to_owned()),
        },
    };
    jobs.insert(Uuid::new_v4(), spec);
}

/// `POST /v1/conversations/messages`.
pub(crate) fn record(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let msg = match parse(&body, &[json!("body")], true) {
        Ok(msg) => msg,
        Err(refusal) => return refusal.response(),
    };
    if let Err(refusal) = tenancy(state, msg.user_id.as_deref(), msg.customer_id.as_deref()) {
        return refusal.response();
    }
    let mut jobs = lock(&state.jobs);
    let mut conversations = lock(&state.conversations);
    let rec = store(state, &mut jobs, &mut conversations, msg);
    Response::json(200, &row(&rec, state))
}

/// `POST /v1/conversations/messages/batch`: `{"messages": [1 to 1000]}`.
/// Each message is checked alone; the good ones are stored in input order,
/// the others listed in `errors` by index.
pub(crate) fn batch(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let items = match batch_items(&body) {
        Ok(items) => items,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let parsed: Vec<Result<NewMessage, Refusal>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| parse(item, &[json!("body"), json!("messages"), json!(i)], false))
        .collect();
    // One lock for the whole batch, so its messages stay together and in order.
    let mut jobs = lock(&state.jobs);
    let mut conversations = lock(&state.conversations);
    let (mut results, mut errors) = (Vec::new(), Vec::new());
    for (index, parsed) in parsed.into_iter().enumerate() {
        let checked = parsed.and_then(|mut msg| {
            if msg.user_id.is_none() {
                let owner = conversations
                    .get(&msg.conversation_id)
                    .and_then(|c| c.user_id.clone().map(|u| (u, c.customer_id.clone())));
                let Some((user, customer)) = owner else {
                    let loc = vec![json!("body"), json!("messages"), json!(index), json!("user_id")];
                    let msg = "Field required (the conversation has no user yet)";
                    return Err(Refusal::Invalid(vec![FieldError::new(loc, "missing", msg, &items[index])]));
                };
                msg.user_id = Some(user);
                msg.customer_id = msg.customer_id.or(customer);
            }
            tenancy(state, msg.user_id.as_deref(), msg.customer_id.as_deref())?;
            Ok(msg)
        });
        match checked {
            Ok(msg) => results.push(row(&store(state, &mut jobs, &mut conversations, msg), state)),
            Err(refusal) => errors.push(json!({"index": index, "error": refusal.message(3)})),
        }
    }
    Response::json(
        200,
        &json!({
            "total": items.len(),
            "succeeded": results.len(),
            "failed": errors.len(),
            "results": results,
            "errors": errors,
        }),
    )
}

fn batch_items(body: &Value) -> Result<&Vec<Value>, Vec<FieldError>> {
    let mut f = Fields::of(body, &[json!("body")])?;
    let loc = f.loc("messages");
    match f.obj.get("messages") {
        None => {
            let whole = body.clone();
            f.fail("messages", "missing", "Field required", &whole);
        }
        Some(v @ Value::Array(items)) if items.is_empty() || items.len() > MAX_BATCH => {
            let n = items.len();
            let (kind, msg, ctx) = if n == 0 {
                let msg = "List should have at least 1 item after validation, not 0".to_owned();
                ("too_short", msg, json!({"field_type": "List", "min_length": 1, "actual_length": 0}))
            } else {
                let msg = format!("List should have at most {MAX_BATCH} items after validation, not {n}");
                ("too_long", msg, json!({"field_type": "List", "max_length": MAX_BATCH, "actual_length": n}))
            };
            f.errors.push(FieldError { ctx: Some(ctx), ..FieldError::new(loc, kind, msg, v) });
        }
        Some(Value::Array(items)) => return Ok(items),
        Some(v) => {
            let v = v.clone();
            f.fail("messages", "list_type", "Input should be a valid list", &v);
        }
    }
    Err(f.errors)
}

/// `GET /v1/conversations/{id}/messages?start=S&limit=L`: the messages from
/// position `S` (1-based, default 1), at most `L` (default 100, 1 to 1000),
/// in time order. A conversation never seen has none. Besides `turns`:
/// `total`, `start`, `limit` and `next_start` (null on the last page).
pub(crate) fn list(state: &State, raw_id: &str, req: &Request) -> Response {
    let id = match Uuid::parse_str(raw_id) {
        Ok(id) => id.hyphenated().to_string(),
        Err(e) => return crate::routes::uuid_error("conversation_id", raw_id, &e.to_string()),
    };
    let query = req.query.as_deref();
    let mut errors = Vec::new();
    let start = query_int(query, "start", 1, 1, usize::MAX, &mut errors);
    let limit = query_int(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &mut errors);
    if !errors.is_empty() {
        return validate::unprocessable(&errors);
    }
    let fmt = state.time_format();
    let store = lock(&state.conversations);
    let messages = store.get(&id).map_or(&[][..], |c| &c.messages[..]);
    let turns: Vec<Value> = messages
        .iter()
        .enumerate()
        .skip(start - 1)
        .take(limit)
        .map(|(i, m)| {
            json!({
                "position": i + 1,
                "role": m.role,
                "content": m.content,
                "timestamp": timefmt::format(m.at, fmt),
                "message_id": m.id.to_string(),
                "session_id": m.session_id,
            })
        })
        .collect();
    let end = start - 1 + turns.len();
    let next_start = (end < messages.len() && !turns.is_empty()).then_some(end + 1);
    Response::json(
        200,
        &json!({
            "conversation_id": id,
            "turns": turns,
            "total": messages.len(),
            "start": start,
            "limit": limit,
            "next_start": next_start,
        }),
    )
}

/// An integer query parameter in `min..=max`; absent takes `default`.
pub(crate) fn query_int(
    query: Option<&str>,
    name: &str,
    default: usize,
    min: usize,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> usize {
    let Some(raw) = query_param(query, name) else {
        return default;
    };
    let loc = vec![json!("query"), json!(name)];
    match raw.trim().parse::<i64>() {
        Ok(n) if n < min as i64 => {
            let msg = format!("Input should be greater than or equal to {min}");
            errors.push(FieldError {
                ctx: Some(json!({"ge": min})),
                ..FieldError::new(loc, "greater_than_equal", msg, &json!(raw))
            });
            default
        }
        Ok(n) if n as u64 > max as u64 => {
            let msg = format!("Input should be less than or equal to {max}");
            errors.push(FieldError {
                ctx: Some(json!({"le": max})),
                ..FieldError::new(loc, "less_than_equal", msg, &json!(raw))
            });
            default
        }
        Ok(n) => n as usize,
        Err(_) => {
            let msg = "Input should be a valid integer, unable to parse string as an integer";
            errors.push(FieldError::new(loc, "int_parsing", msg, &json!(raw)));
            default
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(v: Value, user_required: bool) -> Result<NewMessage, String> {
        parse(&v, &[json!("body")], user_required).map_err(|r| r.message(1))
    }

    #[test]
    fn the_request_model() {
        let id = "6F1C9E2A-3B7D-4A58-9C0E-2D4B6A8F1E37";
        let m = message(
            json!({"conversation_id": id, "role": "user", "content": "", "user_id": "u",
                               "customer_id": null, "metadata": {"agent_model": "gpt-4o"}}),
            true,
        )
        .unwrap();
        assert_eq!((m.conversation_id.as_str(), m.content.as_str()), ("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37", ""));
        assert_eq!((m.user_id.as_deref(), m.customer_id, m.session_id), (Some("u"), None, None));
        let err = message(json!({"conversation_id": "x", "role": "system", "user_id": "", "metadata": []}), true)
            .unwrap_err();
        assert!(err.starts_with("conversation_id: Input should be a valid UUID"), "{err}");
        for part in [
            "role: Input should be 'user' or 'assistant'",
            "content: Field required",
            "user_id: String should have at least 1 character",
            "metadata: Input should be a valid dictionary",
        ] {
            assert!(err.contains(part), "{part} in {err}");
        }
        assert!(message(json!({"conversation_id": id, "role": "user", "content": "hi"}), false).is_ok());
        assert!(message(json!({"conversation_id": id, "role": "user", "content": "hi"}), true).is_err());
        assert!(message(json!("x"), true).is_err());
    }

    #[test]
    fn query_integers() {
        let mut errors = Vec::new();
        assert_eq!(query_int(Some("start=3"), "start", 1, 1, 10, &mut errors), 3);
        assert_eq!(query_int(None, "start", 1, 1, 10, &mut errors), 1);
        assert!(errors.is_empty());
        query_int(Some("start=0"), "start", 1, 1, 10, &mut errors);
        query_int(Some("limit=11"), "limit", 1, 1, 10, &mut errors);
        query_int(Some("limit=x"), "limit", 1, 1, 10, &mut errors);
        let kinds: Vec<&str> = errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["greater_than_equal", "less_than_equal", "int_parsing"]);
    }
}
