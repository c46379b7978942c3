//! Compaction: the trigger, its status over time, the compacted state, and
//! what context-for-prompt, conversation fetches and summary mode make of it.

mod reads;

use std::thread;
use std::time::{Duration, Instant};

use reads::Api;
use serde_json::{Value, json};
use synap_emulator::Config;

const CONV: &str = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";
const COMPACT: &str = "/v1/conversations/compact";

fn say(api: &Api, role: &str, content: &str) -> Value {
    let r = api.post(
        "/v1/conversations/messages",
        &json!({"conversation_id": CONV, "role": role, "content": content, "user_id": "user_789", "customer_id": "cust_456"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

fn conversation(api: &Api) {
    say(api, "user", "My order 8812 arrived damaged. I prefer a refund over a replacement.");
    say(api, "assistant", "Sorry about that. I will file the refund today.");
    say(api, "user", "Thanks, how long does it take?");
}

fn compact_body(strategy: Value) -> Value {
    json!({"conversation_id": CONV, "strategy": strategy, "target_tokens": null, "force": false})
}

fn status(api: &Api) -> Value {
    let r = api.get(&format!("/v1/conversations/{CONV}/compaction/status"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

fn compacted(api: &Api, query: &str) -> reads::Reply {
    api.get(&format!("/v1/conversations/{CONV}/compacted{query}"))
}

fn prompt(api: &Api, style: &str) -> Value {
    let r = api.get(&format!("/v1/conversations/{CONV}/context-for-prompt?style={style}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

fn wait_for(api: &Api, wanted: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let s = status(api);
        if s["status"] == wanted {
            return s;
        }
        assert!(Instant::now() < deadline, "still {s}");
        thread::sleep(Duration::from_millis(10));
    }
}

fn timed(ms: u64) -> Api {
    Api::with(Config { seed_demo: false, compaction_done_after_ms: ms, ..Config::default() })
}

#[test]
fn lifecycle_none_in_progress_completed_stale() {
    let api = timed(400);
    assert_eq!(
        status(&api),
        json!({"conversation_id": CONV, "status": "none", "compaction_id": null,
        "completed_at": null, "compression_ratio": null, "validation_score": null,
        "estimated_completion_seconds": null, "error_message": null, "latest_version": null, "latest_created_at": null})
    );
    let r = compacted(&api, "?format=structured");
    assert_eq!((r.status, r.body["detail"].as_str()), (404, Some("No compaction for this conversation yet")));
    // Nothing to compact yet.
    assert_eq!(api.post(COMPACT, &compact_body(Value::Null)).status, 404);

    conversation(&api);
    let t0 = Instant::now();
    let r = api.post(COMPACT, &compact_body(Value::Null));
    assert_eq!(r.status, 200, "{}", r.body);
    let trigger = r.body;
    let id = trigger["compaction_id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    assert_eq!((trigger["conversation_id"].as_str(), trigger["status"].as_str()), (Some(CONV), Some("in_progress")));
    assert_eq!(
        (trigger["trigger_type"].as_str(), trigger["estimated_completion_seconds"].as_u64()),
        (Some("manual_api"), Some(1))
    );
    assert!(trigger["initiated_at"].as_str().unwrap().ends_with('Z'));
    assert!(trigger["previous_context"].is_null() && trigger["previous_compaction_id"].is_null());

    // One at a time.
    let again = api.post(COMPACT, &compact_body(json!("balanced")));
    assert_eq!((again.status, again.body["detail"].as_str()), (409, Some("Compaction already in progress")));
    let running = status(&api);
    if t0.elapsed() < Duration::from_millis(350) {
        assert_eq!(
            (running["status"].as_str(), running["compaction_id"].as_str()),
            (Some("in_progress"), Some(id.as_str()))
        );
        assert_eq!(running["estimated_completion_seconds"], 1);
        assert!(running["latest_version"].is_null());
        // Not readable until it completes.
        assert_eq!(compacted(&api, "").status, 404);
        assert_eq!(prompt(&api, "structured")["available"], false);
    }

    let done = wait_for(&api, "completed");
    assert!(t0.elapsed() >= Duration::from_millis(400));
    assert_eq!((done["compaction_id"].as_str(), done["latest_version"].as_u64()), (Some(id.as_str()), Some(1)));
    assert!(done["completed_at"].is_string() && done["completed_at"] == done["latest_created_at"]);
    assert!(done["compression_ratio"].as_f64().unwrap() > 1.0 && done["validation_score"].as_f64().is_some());
    assert!(done["estimated_completion_seconds"].is_null());

    let c = compacted(&api, "?format=structured");
    assert_eq!(c.status, 200, "{}", c.body);
    let b = &c.body;
    assert_eq!((b["compaction_id"].as_str(), b["strategy_used"].as_str()), (Some(id.as_str()), Some("adaptive")));
    let text = b["formatted_context"].as_str().unwrap();
    assert!(
        text.starts_with("## Conversation so far (compacted, 3 messages)\nMy order 8812 arrived damaged. I prefer a refund over a replacement. Sorry about that."),
        "{text}"
    );
    assert!(b["original_token_count"].as_u64().unwrap() > b["compacted_token_count"].as_u64().unwrap());
    assert_eq!(b["preferences"][0]["content"], "I prefer a refund over a replacement.");
    assert_eq!(b["facts"][0]["content"], "My order 8812 arrived damaged.");
    assert_eq!(b["decisions"][0]["content"], "I will file the refund today.");
    assert_eq!(b["current_state"]["messages_covered"], 3);
    assert_eq!(
        (b["ttl_seconds"].as_u64(), b["validation_passed"].as_bool(), b["quality_warning"].as_bool()),
        (Some(300), Some(true), Some(false))
    );
    assert_eq!(b["version"], 1);

    // A message after the cut-off makes it stale.
    say(&api, "user", "Any news?");
    assert_eq!(status(&api)["status"], "stale");
    // The next compaction covers everything again and hands back the old one.
    let second = api.post(COMPACT, &compact_body(json!("aggressive"))).body;
    assert_eq!(second["previous_compaction_id"].as_str(), Some(id.as_str()));
    assert_eq!(second["previous_context"]["compaction_id"].as_str(), Some(id.as_str()));
    assert!(second["previous_context_age_seconds"].is_u64());
    let done = wait_for(&api, "completed");
    assert_eq!(done["latest_version"], 2);
    let latest = compacted(&api, "").body;
    assert_eq!((latest["version"].as_u64(), latest["strategy_used"].as_str()), (Some(2), Some("aggressive")));
    assert!(
        latest["formatted_context"]
            .as_str()
            .unwrap()
            .contains("(compacted, 4 messages)\nMy order 8812 arrived damaged.\n")
    );
    // Older versions stay readable; unknown ones are 404.
    assert_eq!(compacted(&api, "?format=structured&version=1").body["compaction_id"].as_str(), Some(id.as_str()));
    assert_eq!(compacted(&api, "?version=3").status, 404);
}

#[test]
fn formats_and_strategies() {
    let api = timed(0);
    conversation(&api);
    assert_eq!(api.post(COMPACT, &compact_body(json!("conservative"))).body["status"], "completed");
    let text = |format: &str| {
        compacted(&api, &format!("?format={format}")).body["formatted_context"].as_str().unwrap().to_owned()
    };
    assert!(text("narrative").starts_with("So far in this conversation (3 messages): My order 8812"));
    assert!(text("bullet_points").starts_with("- Summary: My order 8812"));
    assert!(text("injection").starts_with("<conversation_context>\n"));
    // Conservative keeps more sentences.
    assert!(text("structured").contains("Sorry about that. I will file the refund today."));
    let r = compacted(&api, "?format=html");
    assert_eq!((r.status, r.body["detail"][0]["loc"].clone()), (422, json!(["query", "format"])));
    assert_eq!(compacted(&api, "?version=0").status, 422);
    assert_eq!(compacted(&api, "?version=x").status, 422);

    for strategy in ["low", "medium", "high", "adaptive", "aggressive", "balanced", "conservative"] {
        let r = api.post(COMPACT, &compact_body(json!(strategy)));
        assert_eq!(r.status, 200, "{strategy}: {}", r.body);
        assert_eq!(compacted(&api, "").body["strategy_used"], strategy);
    }
    // A tight token target keeps one sentence.
    let r = api.post(
        COMPACT,
        &json!({"conversation_id": CONV, "strategy": "conservative", "target_tokens": 1, "force": true}),
    );
    assert_eq!(r.status, 200);
    assert!(
        compacted(&api, "").body["formatted_context"]
            .as_str()
            .unwrap()
            .contains("messages)\nMy order 8812 arrived damaged.\n\n")
    );
}

#[test]
fn trigger_validation() {
    let api = timed(0);
    conversation(&api);
    for (body, loc, kind) in [
        (
            json!({"conversation_id": "", "strategy": null, "target_tokens": null, "force": false}),
            "conversation_id",
            "uuid_parsing",
        ),
        (json!({"strategy": null}), "conversation_id", "missing"),
        (compact_body(json!("extreme")), "strategy", "enum"),
        (json!({"conversation_id": CONV, "target_tokens": 0}), "target_tokens", "greater_than_equal"),
        (json!({"conversation_id": CONV, "target_tokens": "many"}), "target_tokens", "int_type"),
        (json!({"conversation_id": CONV, "force": "yes"}), "force", "bool_type"),
    ] {
        let r = api.post(COMPACT, &body);
        assert_eq!(r.status, 422, "{body}");
        assert_eq!(
            (r.body["detail"][0]["loc"].clone(), r.body["detail"][0]["type"].as_str()),
            (json!(["body", loc]), Some(kind)),
            "{body}"
        );
    }
    let r = api.post(COMPACT, &json!({"conversation_id": "00000000-0000-4000-8000-000000000000"}));
    assert_eq!((r.status, r.body["detail"].as_str()), (404, Some("Conversation not found")));
    assert_eq!(api.anonymous("POST", COMPACT).status, 401);
    assert_eq!(api.get(COMPACT).status, 405);
    for path in ["/v1/conversations/x/compaction/status", "/v1/conversations/x/compacted"] {
        let r = api.get(path);
        assert_eq!((r.status, r.body["detail"][0]["loc"].clone()), (422, json!(["path", "conversation_id"])), "{path}");
    }
    // Only the keys the SDK sends, all defaults.
    assert_eq!(api.post(COMPACT, &json!({"conversation_id": CONV})).status, 200);
}

#[test]
fn prompt_after_compaction_is_the_summary_plus_later_messages() {
    let api = timed(0);
    conversation(&api);
    let before = prompt(&api, "structured");
    assert_eq!((before["available"].as_bool(), before["recent_message_count"].as_u64()), (Some(false), Some(3)));
    let id = api.post(COMPACT, &compact_body(Value::Null)).body["compaction_id"].as_str().unwrap().to_owned();

    let p = prompt(&api, "structured");
    let block = p["context_block"].as_str().unwrap().to_owned();
    assert!(block.starts_with("## Conversation so far (compacted, 3 messages)\nMy order 8812"), "{block}");
    assert_eq!(
        (p["available"].as_bool(), p["is_stale"].as_bool(), p["compaction_id"].as_str()),
        (Some(true), Some(false), Some(id.as_str()))
    );
    assert_eq!(
        (p["recent_message_count"].as_u64(), p["compacted_message_count"].as_u64(), p["total_message_count"].as_u64()),
        (Some(0), Some(3), Some(3))
    );
    assert_eq!(p["formatted_context"], block.as_str());
    assert!(p["compaction_age_seconds"].is_u64() && p["compression_ratio"].as_f64().unwrap() > 1.0);

    let later = say(&api, "user", "Any news on the refund?");
    for style in ["structured", "narrative", "bullet_points"] {
        let p = prompt(&api, style);
        assert_eq!((p["is_stale"].as_bool(), p["total_message_count"].as_u64()), (Some(true), Some(4)), "{style}");
        let recent = p["recent_messages"].as_array().unwrap();
        assert_eq!(recent.len(), 1);
        assert_eq!(
            (recent[0]["content"].as_str(), recent[0]["message_id"].clone()),
            (Some("Any news on the refund?"), later["message_id"].clone())
        );
        let text = p["formatted_context"].as_str().unwrap();
        assert!(
            text.starts_with(&format!("{block}\n\n")) && text.contains("Any news on the refund?"),
            "{style}: {text}"
        );
        assert!(!text.contains("Thanks, how long"), "{style}: compacted turns are not repeated: {text}");
    }

    // The conversation fetch carries the same state.
    let f = api.fetch("conversation", json!({"conversation_id": CONV, "search_query": ["refund"]}));
    let ctx = &f["conversation_context"];
    assert!(ctx["summary"].as_str().unwrap().starts_with("My order 8812 arrived damaged."));
    assert_eq!((ctx["compaction_id"].as_str(), ctx["recent_turns"].as_array().unwrap().len()), (Some(id.as_str()), 1));
    assert!(ctx["compacted_at"].is_string() && ctx["current_state"]["messages_covered"] == 3);
    assert_eq!(ctx["key_extractions"]["decisions"][0]["content"], "I will file the refund today.");

    // Summary mode reports the summary as available.
    let s = api.fetch(
        "user",
        json!({"user_id": "user_789", "customer_id": "cust_456", "conversation_id": null,
        "search_query": null, "max_results": 10, "types": ["all"], "mode": "fast",
        "context_mode": "conversation-summary", "include_profile": false, "last_n_conversations": 1}),
    );
    let c = &s["conversations"][0];
    assert_eq!(
        (c["summary_status"].as_str(), c["compaction_version"].as_u64(), c["message_count"].as_u64()),
        (Some("available"), Some(1), Some(4))
    );
    assert!(c["summary"]["narrative_summary"].as_str().unwrap().starts_with("My order 8812"));
}

#[test]
fn compaction_timing_is_set_at_run_time() {
    let api = timed(600_000);
    conversation(&api);
    let r = api.control("config", &json!({"compaction_done_after_ms": 0}));
    assert_eq!((r.status, r.body["compaction_done_after_ms"].as_u64()), (200, Some(0)));
    assert_eq!(api.post(COMPACT, &compact_body(Value::Null)).body["status"], "completed");
    assert_eq!(status(&api)["status"], "completed");
    api.control("config", &json!({"compaction_done_after_ms": 600_000}));
    let r = api.post(COMPACT, &compact_body(Value::Null)).body;
    assert_eq!((r["status"].as_str(), r["estimated_completion_seconds"].as_u64()), (Some("in_progress"), Some(600)));
    // The finished one is still what reads see while the next runs.
    let s = status(&api);
    assert_eq!((s["status"].as_str(), s["latest_version"].as_u64()), (Some("in_progress"), Some(1)));
    assert_eq!(compacted(&api, "").body["version"], 1);
    assert_eq!(prompt(&api, "structured")["available"], true);
}
