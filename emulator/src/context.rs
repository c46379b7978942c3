//! `POST /v1/context/{user,customer,client,conversation}/fetch` (contract
//! section 3): retrieval over the memories ingestion jobs have reported,
//! scoped by the documents they came from, and summary mode.
//!
//! Scopes: a user fetch sees the memories of documents created with that
//! `user_id` (and that `customer_id`, when the fetch names one); a customer
//! fetch those created with that `customer_id`; a conversation fetch those of
//! documents in that conversation (see `conversations`); a client fetch all.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::context_items::{self, Hit};
use crate::conversations::{self, Conversation};
use crate::fetch_request::{self, FetchRequest, LISTS, Scope, Summary};
use crate::http::{Request, Response};
use crate::jobs::StoredMemory;
use crate::profile;
use crate::retrieval;
use crate::state::{B2C, State, lock};
use crate::timefmt;
use crate::validate;

pub(crate) fn fetch(state: &State, scope: Scope, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let fetch = match fetch_request::parse(scope, &body) {
        Ok(fetch) => fetch,
        Err(errors) => return validate::unprocessable(&errors),
    };
    if state.config.user_context_isolation.as_deref() == Some(B2C)
        && (scope == Scope::Customer || fetch.customer_id.is_some())
    {
        return Response::detail(400, "customer_id is not accepted: this instance isolates users per customer");
    }
    let memories = lock(&state.jobs).reported_memories();
    let mut body = match &fetch.summary {
        Some(summary) => summary_body(state, &fetch, summary, &memories),
        None => retrieval_body(state, &fetch, &memories),
    };
    if let Some(script) = lock(&state.context_scripts).take(scope) {
        script.apply(&mut body);
    }
    Response::json(200, &body)
}

/// Whether a fetch's scope includes a memory.
fn sees(fetch: &FetchRequest, m: &StoredMemory) -> bool {
    let origin = &m.origin;
    match fetch.scope {
        Scope::User => {
            origin.user_id == fetch.user_id
                && fetch.customer_id.as_ref().is_none_or(|c| origin.customer_id.as_ref() == Some(c))
        }
        Scope::Customer => origin.customer_id.is_some() && origin.customer_id == fetch.customer_id,
        Scope::Client => true,
        Scope::Conversation => {
            let wanted = fetch.conversation_id.as_deref().map(conversations::key);
            origin.conversation_id.is_some() && origin.conversation_id == wanted
        }
    }
}

/// The memories a fetch returns, best first: by relevance to its queries
/// (only those matching one), or newest first without a query.
fn hits<'a>(fetch: &FetchRequest, memories: &'a [StoredMemory]) -> Vec<Hit<'a>> {
    let in_scope: Vec<&StoredMemory> = memories.iter().filter(|m| sees(fetch, m)).collect();
    let wanted = |m: &StoredMemory| {
        let list = context_items::list_of(m.draft.memory_type);
        LISTS.iter().zip(fetch.lists).any(|(name, on)| on && *name == list)
    };
    if fetch.queries.is_empty() {
        // Newest first, scored by position so the score reproduces the order.
        return in_scope
            .into_iter()
            .filter(|m| wanted(m))
            .take(fetch.max_results)
            .enumerate()
            .map(|(i, memory)| Hit { memory, score: 1.0 / (i as f64 + 1.0), matched: Vec::new() })
            .collect();
    }
    // Scored over the whole scope, so `types` filters without changing scores.
    let texts: Vec<&str> = in_scope.iter().map(|m| m.draft.content.as_str()).collect();
    let scores = retrieval::score(&texts, &fetch.queries, fetch.accurate);
    let chosen = retrieval::select(&scores, &|d| wanted(in_scope[d]), fetch.max_results, fetch.max_results_per_query);
    chosen
        .into_iter()
        .map(|d| Hit {
            memory: in_scope[d],
            score: scores[d].iter().copied().fold(0.0, f64::max),
            matched: fetch.queries.iter().zip(&scores[d]).filter(|(_, s)| **s > 0.0).map(|(q, _)| q.clone()).collect(),
        })
        .collect()
}

fn retrieval_body(state: &State, fetch: &FetchRequest, memories: &[StoredMemory]) -> Map<String, Value> {
    let fmt = state.time_format();
    let hits = hits(fetch, memories);
    let mut context = empty_lists();
    for hit in &hits {
        let list = context_items::list_of(hit.memory.draft.memory_type);
        if let Some(Value::Array(items)) = context.get_mut(list) {
            items.push(Value::Object(context_items::item(hit, fmt)));
        }
    }
    if fetch.ranked {
        let ranked = hits.iter().enumerate().map(|(i, h)| Value::Object(context_items::ranked_item(h, i + 1, fmt)));
        context.insert("items".into(), Value::Array(ranked.collect()));
    }
    let block = if fetch.include_conversation_context { conversation_block(state, fetch) } else { Value::Null };
    envelope(fetch, context, block)
}

/// The five lists, empty.
fn empty_lists() -> Map<String, Value> {
    LISTS.iter().map(|name| ((*name).to_owned(), json!([]))).collect()
}

fn envelope(fetch: &FetchRequest, context: Map<String, Value>, conversation_context: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("context".into(), Value::Object(context));
    body.insert("conversation_context".into(), conversation_context);
    body.insert("retrieval".into(), Value::Null);
    body.insert("ttl_seconds".into(), json!(fetch.scope.ttl_seconds()));
    body
}

/// The conversation's state for a fetch that names one: always on the
/// conversation route, on the others when the conversation has messages.
fn conversation_block(state: &State, fetch: &FetchRequest) -> Value {
    let Some(id) = &fetch.conversation_id else {
        return Value::Null;
    };
    let store = lock(&state.conversations);
    match store.get(id) {
        Some(conversation) => block_of(state, conversation),
        None if fetch.scope == Scope::Conversation => json!({
            "conversation_id": conversations::key(id), "summary": null, "current_state": {},
            "key_extractions": {}, "recent_turns": [], "compaction_id": null, "compacted_at": null,
        }),
        None => Value::Null,
    }
}

fn block_of(state: &State, conversation: &Conversation) -> Value {
    let fmt = state.time_format();
    let view = conversation.prompt_view();
    let turns: Vec<Value> = view
        .recent
        .iter()
        .map(|m| json!({"role": m.role, "content": m.content, "timestamp": timefmt::format(m.at, fmt)}))
        .collect();
    let c = view.compaction;
    let extractions = c.map_or_else(
        || json!({}),
        |c| json!({"facts": c.digest.facts, "decisions": c.digest.decisions, "preferences": c.digest.preferences}),
    );
    json!({
        "conversation_id": conversation.id,
        "summary": c.map(|c| c.digest.summary.as_str()),
        "current_state": c.map_or_else(|| json!({}), |c| json!(c.digest.current_state)),
        "key_extractions": extractions,
        "recent_turns": turns,
        "compaction_id": c.map(|c| c.id.to_string()),
        "compacted_at": c.map(|c| timefmt::format(c.completed_at(), fmt)),
    })
}

/// Summary mode: no retrieval; the user's profile and their latest
/// conversations (contract section 3.9).
fn summary_body(
    state: &State,
    fetch: &FetchRequest,
    summary: &Summary,
    memories: &[StoredMemory],
) -> Map<String, Value> {
    let fmt = state.time_format();
    let user_id = fetch.user_id.as_deref().unwrap_or_default();
    let customer_id = fetch.customer_id.as_deref();
    let profile = if summary.include_profile {
        let preferences: Vec<&StoredMemory> =
            memories.iter().filter(|m| profile::is_users_preference(m, user_id, customer_id)).collect();
        profile::document(&preferences, fmt).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    let conversations: Vec<Value> = lock(&state.conversations)
        .of_user(user_id, customer_id)
        .into_iter()
        .take(summary.last_n)
        .map(|c| {
            let time = |t: Timestamp| timefmt::format(t, fmt);
            let started = c.started_at.or_else(|| c.messages.first().map(|m| m.at));
            let compaction = c.latest_completed();
            json!({
                "conversation_id": c.id,
                "external_conversation_id": c.external_id,
                "conversation_type": c.conversation_type,
                "started_at": started.map(time),
                "ended_at": c.ended_at.map(time),
                "last_message_at": c.last_message_at().map(time),
                "message_count": c.messages.len(),
                // Ready once a compaction finished; until then pending.
                "summary_status": if compaction.is_some() { "available" } else { "pending" },
                "summary": compaction.map(|k| json!({"narrative_summary": k.digest.summary})),
                "classification": null,
                "analysis": null,
                "compaction_version": compaction.map(|k| k.version),
                "compacted_at": compaction.map(|k| time(k.completed_at())),
            })
        })
        .collect();
    let mut context = empty_lists();
    if fetch.ranked {
        context.insert("items".into(), json!([]));
    }
    let mut body = envelope(fetch, context, Value::Null);
    body.insert("profile".into(), profile);
    body.insert("conversations".into(), Value::Array(conversations));
    body
}
