//! Compaction (contract part 2, sections 5.5 to 5.7): `POST
//! /v1/conversations/compact` starts one, `GET .../compaction/status`
//! follows it, `GET .../compacted` reads the result.
//!
//! A compaction covers the messages the conversation holds when it starts
//! (its cut-off) and is `in_progress` for [`crate::Config::compaction_done_after_ms`],
//! then `completed`; one at a time per conversation (409 while one runs).
//! What it produces is computed at the start from those messages: a summary
//! made of their first sentences (1, 3 or 5 of them by strategy, fewer when
//! `target_tokens` is small), the user's sentences as facts and
//! preferences, the assistant's "will" sentences as decisions, and token
//! counts at four characters a token. `force` is accepted and changes
//! nothing: there is no size threshold here.
//!
//! Status values: `none` (never compacted), `in_progress`, `completed`
//! (the latest covers every message) and `stale` (messages came after the
//! latest one's cut-off).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::body_check::Fields;
use crate::config::TimeFormat;
use crate::conversations::{Conversation, Message};
use crate::http::{Request, Response, query_param};
use crate::memories;
use crate::state::{State, lock};
use crate::timefmt;
use crate::validate::{self, FieldError};

/// `strategy_used` values the SDK's enum accepts.
pub(crate) const STRATEGIES: [&str; 7] =
    ["low", "medium", "high", "adaptive", "aggressive", "balanced", "conservative"];
/// Formats `/compacted` renders (the SDK docstring's and its cache's).
const FORMATS: [&str; 4] = ["structured", "narrative", "injection", "bullet_points"];
/// How every context block begins, as the service's v3 renderer writes it
/// (the SDK recognises a block by this).
pub(crate) const BLOCK_HEADING: &str = "## Conversation so far (compacted";
const TTL_SECONDS: u64 = 300;
pub(crate) const VALIDATION_SCORE: f64 = 0.93;
const MAX_ITEMS: usize = 10;

#[derive(Debug)]
pub(crate) struct Compaction {
    pub id: Uuid,
    /// 1 for a conversation's first.
    pub version: usize,
    pub trigger_type: &'static str,
    pub strategy: &'static str,
    pub initiated_at: Timestamp,
    started: Instant,
    done_after: Duration,
    covered: HashSet<Uuid>,
    pub digest: Digest,
}

impl Compaction {
    pub fn is_done(&self) -> bool {
        self.started.elapsed() >= self.done_after
    }

    pub fn covers(&self, message: &Uuid) -> bool {
        self.covered.contains(message)
    }

    pub fn completed_at(&self) -> Timestamp {
        let d = SignedDuration::try_from(self.done_after).unwrap_or(SignedDuration::MAX);
        self.initiated_at.checked_add(d).unwrap_or(Timestamp::MAX)
    }

    /// Whole seconds still to run, rounded up.
    fn remaining_seconds(&self) -> u64 {
        let left = self.done_after.saturating_sub(self.started.elapsed());
        left.as_secs() + u64::from(left.subsec_nanos() > 0)
    }

    /// The block a prompt starts with.
    pub fn context_block(&self) -> String {
        format!("{BLOCK_HEADING}, {} messages)\n{}", self.covered.len(), self.digest.summary)
    }

    pub fn compression_ratio(&self) -> f64 {
        self.digest.compression_ratio()
    }
}

/// What a compaction made of the messages it covers.
#[derive(Debug, Clone)]
pub(crate) struct Digest {
    pub summary: String,
    pub facts: Vec<Value>,
    pub preferences: Vec<Value>,
    pub decisions: Vec<Value>,
    pub current_state: Map<String, Value>,
    pub original_tokens: u64,
    pub compacted_tokens: u64,
}

impl Digest {
    fn compression_ratio(&self) -> f64 {
        if self.compacted_tokens == 0 {
            return 1.0;
        }
        (self.original_tokens as f64 / self.compacted_tokens as f64 * 100.0).round() / 100.0
    }
}

/// Four characters a token, rounded up.
fn tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

fn summary_sentences(strategy: &str) -> usize {
    match strategy {
        "aggressive" | "high" => 1,
        "conservative" | "low" => 5,
        _ => 3,
    }
}

pub(crate) fn digest(messages: &[&Message], strategy: &str, target_tokens: Option<u64>) -> Digest {
    let mut summary: Vec<String> = Vec::new();
    let mut summary_tokens = 0;
    'messages: for m in messages {
        for sentence in memories::sentences(&m.content) {
            let t = tokens(&sentence);
            let over_target = target_tokens.is_some_and(|max| summary_tokens + t > max);
            if summary.len() == summary_sentences(strategy) || (over_target && !summary.is_empty()) {
                break 'messages;
            }
            summary_tokens += t;
            summary.push(sentence);
        }
    }
    let summary = if summary.is_empty() { "Nothing of substance was said.".to_owned() } else { summary.join(" ") };
    let (mut facts, mut preferences, mut decisions) = (Vec::new(), Vec::new(), Vec::new());
    for m in messages {
        for sentence in memories::sentences(&m.content) {
            if m.role == "assistant" {
                let says_will = sentence.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case("will"));
                if says_will && decisions.len() < MAX_ITEMS {
                    decisions.push(json!({"content": sentence, "source_message_id": m.id.to_string()}));
                }
                continue;
            }
            if sentence.ends_with('?') {
                continue;
            }
            let d = memories::draft(&sentence);
            let item = json!({"content": d.content, "type": d.memory_type, "confidence": d.confidence,
                              "source_message_id": m.id.to_string()});
            let list = if d.memory_type == "preference" { &mut preferences } else { &mut facts };
            if list.len() < MAX_ITEMS {
                list.push(item);
            }
        }
    }
    let mut current_state = Map::new();
    current_state.insert("messages_covered".into(), json!(messages.len()));
    current_state.insert("last_speaker".into(), json!(messages.last().map(|m| m.role.as_str())));
    if let Some(last_user) = messages.iter().rev().find(|m| m.role == "user") {
        current_state.insert("last_user_message".into(), json!(last_user.content));
    }
    let original_tokens = messages.iter().map(|m| tokens(&m.content)).sum();
    Digest {
        compacted_tokens: tokens(&summary).max(1),
        summary,
        facts,
        preferences,
        decisions,
        current_state,
        original_tokens,
    }
}

/// Starts a compaction of everything the conversation holds now.
pub(crate) fn start<'a>(
    conversation: &'a mut Conversation,
    trigger_type: &'static str,
    strategy: &'static str,
    target_tokens: Option<u64>,
    done_after: Duration,
) -> &'a Compaction {
    let messages: Vec<&Message> = conversation.messages.iter().collect();
    let digest = digest(&messages, strategy, target_tokens);
    let covered = messages.iter().map(|m| m.id).collect();
    let version = conversation.compactions.len() + 1;
    conversation.compactions.push(Compaction {
        id: Uuid::new_v4(),
        version,
        trigger_type,
        strategy,
        initiated_at: Timestamp::now(),
        started: Instant::now(),
        done_after,
        covered,
        digest,
    });
    conversation.compactions.last().expect("just pushed")
}

/// `POST /v1/conversations/compact`.
pub(crate) fn trigger(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let parsed = Fields::of(&body, &[json!("body")]).and_then(|mut f| {
        let id = f.uuid("conversation_id");
        let strategy = f.one_of("strategy", &STRATEGIES, Some("adaptive"));
        let target_tokens = f.optional_int("target_tokens", 1);
        f.bool("force", false);
        f.finish((id, strategy, target_tokens))
    });
    let (id, strategy, target_tokens) = match parsed {
        Ok((Some(id), Some(strategy), target_tokens)) => (id, strategy, target_tokens),
        Ok(_) => unreachable!("a missing field is an error"),
        Err(errors) => return validate::unprocessable(&errors),
    };
    let fmt = state.time_format();
    let mut store = lock(&state.conversations);
    let Some(conversation) = store.get_mut(&id).filter(|c| !c.messages.is_empty()) else {
        return Response::detail(404, "Conversation not found");
    };
    if conversation.running().is_some() {
        return Response::detail(409, "Compaction already in progress");
    }
    let previous = conversation
        .latest_completed()
        .map(|c| (c.id, c.completed_at(), compacted_body(conversation, c, "structured", fmt)));
    let target = target_tokens.map(|t| t as u64);
    let c = start(conversation, "manual_api", strategy, target, state.compaction_timing());
    let (previous_id, previous_age, previous_context) = match previous {
        Some((id, at, body)) => {
            let age = Timestamp::now().duration_since(at).as_secs().max(0);
            (Some(id.to_string()), Some(age), Some(body))
        }
        None => (None, None, None),
    };
    Response::json(
        200,
        &json!({
            "compaction_id": c.id.to_string(),
            "conversation_id": id,
            "status": if c.is_done() { "completed" } else { "in_progress" },
            "trigger_type": c.trigger_type,
            "initiated_at": timefmt::format(c.initiated_at, fmt),
            "estimated_completion_seconds": c.remaining_seconds(),
            "previous_context": previous_context,
            "previous_context_age_seconds": previous_age,
            "previous_compaction_id": previous_id,
        }),
    )
}

/// `GET /v1/conversations/{id}/compaction/status`; a conversation never
/// compacted (or never seen) is `none`.
pub(crate) fn status(state: &State, raw_id: &str) -> Response {
    let id = match Uuid::parse_str(raw_id) {
        Ok(id) => id.hyphenated().to_string(),
        Err(e) => return crate::routes::uuid_error("conversation_id", raw_id, &e.to_string()),
    };
    let fmt = state.time_format();
    let store = lock(&state.conversations);
    let conversation = store.get(&id);
    let latest = conversation.and_then(Conversation::latest_completed);
    let running = conversation.and_then(Conversation::running);
    let status = match (running, latest) {
        (Some(_), _) => "in_progress",
        (None, Some(_)) if conversation.is_some_and(Conversation::is_stale) => "stale",
        (None, Some(_)) => "completed",
        (None, None) => "none",
    };
    let completed_at = latest.map(|c| timefmt::format(c.completed_at(), fmt));
    Response::json(
        200,
        &json!({
            "conversation_id": id,
            "status": status,
            "compaction_id": running.or(latest).map(|c| c.id.to_string()),
            "completed_at": completed_at,
            "compression_ratio": latest.map(Compaction::compression_ratio),
            "validation_score": latest.map(|_| VALIDATION_SCORE),
            "estimated_completion_seconds": running.map(Compaction::remaining_seconds),
            "error_message": null,
            "latest_version": latest.map(|c| c.version),
            "latest_created_at": completed_at,
        }),
    )
}

/// `GET /v1/conversations/{id}/compacted?format=F[&version=N]`: 404 until
/// the first compaction finished (or for a version that has not).
pub(crate) fn compacted(state: &State, raw_id: &str, req: &Request) -> Response {
    let id = match Uuid::parse_str(raw_id) {
        Ok(id) => id.hyphenated().to_string(),
        Err(e) => return crate::routes::uuid_error("conversation_id", raw_id, &e.to_string()),
    };
    let query = req.query.as_deref();
    let mut errors = Vec::new();
    let format = query_param(query, "format").unwrap_or_else(|| FORMATS[0].to_owned());
    if !FORMATS.contains(&format.as_str()) {
        let expected = "'structured', 'narrative', 'injection' or 'bullet_points'";
        let err = FieldError::new(
            vec![json!("query"), json!("format")],
            "enum",
            format!("Input should be {expected}"),
            &json!(format),
        );
        errors.push(FieldError { ctx: Some(json!({ "expected": expected })), ..err });
    }
    let version = match query_param(query, "version") {
        None => None,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                let msg = "Input should be a valid integer of at least 1";
                errors.push(FieldError::new(vec![json!("query"), json!("version")], "int_parsing", msg, &json!(v)));
                None
            }
        },
    };
    if !errors.is_empty() {
        return validate::unprocessable(&errors);
    }
    let store = lock(&state.conversations);
    let conversation = store.get(&id);
    let chosen = conversation.and_then(|conv| match version {
        None => conv.latest_completed(),
        Some(n) => conv.compactions.get(n - 1).filter(|c| c.is_done()),
    });
    match (conversation, chosen) {
        (Some(conv), Some(c)) => Response::json(200, &compacted_body(conv, c, &format, state.time_format())),
        _ if version.is_some() => Response::detail(404, "Compaction version not found"),
        _ => Response::detail(404, "No compaction for this conversation yet"),
    }
}

fn compacted_body(conversation: &Conversation, c: &Compaction, format: &str, fmt: TimeFormat) -> Value {
    let d = &c.digest;
    json!({
        "compaction_id": c.id.to_string(),
        "conversation_id": conversation.id,
        "version": c.version,
        "created_at": timefmt::format(c.completed_at(), fmt),
        "format": format,
        "formatted_context": render(c, format),
        "original_token_count": d.original_tokens,
        "compacted_token_count": d.compacted_tokens,
        "compression_ratio": c.compression_ratio(),
        "strategy_used": c.strategy,
        "trigger_type": c.trigger_type,
        "message_count": c.covered.len(),
        "validation_score": VALIDATION_SCORE,
        "validation_passed": true,
        "quality_warning": false,
        "facts": d.facts,
        "decisions": d.decisions,
        "preferences": d.preferences,
        "current_state": d.current_state,
        "ttl_seconds": TTL_SECONDS,
    })
}

/// The compacted history as text in one of [`FORMATS`].
fn render(c: &Compaction, format: &str) -> String {
    let d = &c.digest;
    let contents = |items: &[Value]| -> Vec<String> {
        items.iter().filter_map(|i| i["content"].as_str()).map(str::to_owned).collect()
    };
    let sections = [
        ("Facts", contents(&d.facts)),
        ("Preferences", contents(&d.preferences)),
        ("Decisions", contents(&d.decisions)),
    ];
    match format {
        "narrative" => format!("So far in this conversation ({} messages): {}", c.covered.len(), d.summary),
        "injection" => format!("<conversation_context>\n{}\n</conversation_context>", d.summary),
        "bullet_points" => {
            let mut lines = vec![format!("- Summary: {}", d.summary)];
            for (name, items) in &sections {
                lines.extend(items.iter().map(|i| format!("- {name}: {i}")));
            }
            lines.join("\n")
        }
        _ => {
            let mut parts = vec![c.context_block()];
            for (name, items) in &sections {
                if !items.is_empty() {
                    let lines: Vec<String> = items.iter().map(|i| format!("- {i}")).collect();
                    parts.push(format!("## {name}\n{}", lines.join("\n")));
                }
            }
            let state: Vec<String> = d
                .current_state
                .iter()
                .map(|(k, v)| format!("- {k}: {}", v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                .collect();
            parts.push(format!("## Current state\n{}", state.join("\n")));
            parts.join("\n\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: &str, content: &str) -> Message {
        Message {
            id: Uuid::new_v4(),
            role: role.into(),
            content: content.into(),
            at: Timestamp::UNIX_EPOCH,
            session_id: None,
        }
    }

    fn conversation() -> Vec<Message> {
        vec![
            msg("user", "My order 8812 arrived damaged. I prefer a refund over a replacement."),
            msg("assistant", "Sorry about that. I will file the refund today."),
            msg("user", "Thanks, how long does it take?"),
        ]
    }

    #[test]
    fn digest_takes_first_sentences_and_sorts_the_users() {
        let msgs = conversation();
        let refs: Vec<&Message> = msgs.iter().collect();
        let d = digest(&refs, "adaptive", None);
        assert_eq!(d.summary, "My order 8812 arrived damaged. I prefer a refund over a replacement. Sorry about that.");
        assert_eq!(d.preferences[0]["content"], "I prefer a refund over a replacement.");
        assert_eq!(d.facts[0]["content"], "My order 8812 arrived damaged.");
        assert_eq!(
            d.decisions,
            [json!({"content": "I will file the refund today.", "source_message_id": msgs[1].id.to_string()})]
        );
        assert_eq!(d.current_state["last_user_message"], "Thanks, how long does it take?");
        assert_eq!(d.current_state["messages_covered"], 3);
        assert!(d.original_tokens > d.compacted_tokens && d.compression_ratio() > 1.0);
        assert_eq!(digest(&refs, "aggressive", None).summary, "My order 8812 arrived damaged.");
        assert_eq!(digest(&refs, "conservative", Some(1)).summary, "My order 8812 arrived damaged.");
        assert_eq!(digest(&[], "balanced", None).summary, "Nothing of substance was said.");
    }

    #[test]
    fn timing_and_rendering() {
        let mut conv = Conversation::for_tests(conversation());
        let c = start(&mut conv, "manual_api", "balanced", None, Duration::from_secs(60));
        assert!(!c.is_done() && (59..=60).contains(&c.remaining_seconds()));
        assert!(c.context_block().starts_with("## Conversation so far (compacted, 3 messages)\nMy order"));
        let structured = render(c, "structured");
        assert!(structured.contains("## Preferences\n- I prefer a refund"), "{structured}");
        assert!(
            structured
                .contains("## Decisions\n- I will file the refund today.\n\n## Current state\n- last_speaker: user"),
            "{structured}"
        );
        assert!(!structured.contains("- Thanks, how long"), "questions are not facts: {structured}");
        assert!(render(c, "bullet_points").starts_with("- Summary: My order"));
        assert!(render(c, "narrative").starts_with("So far in this conversation (3 messages): My order"));
        assert!(render(c, "injection").starts_with("<conversation_context>\nMy order"));
        assert!(conv.running().is_some() && conv.latest_completed().is_none());
        let done = start(&mut conv, "manual_api", "balanced", None, Duration::ZERO);
        assert!(done.is_done() && done.version == 2 && done.remaining_seconds() == 0);
    }
}
