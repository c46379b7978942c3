//! POST /_emulator/context scripts the next context fetches; the wire
//! faults apply to the read routes as to every other.

mod common;
mod reads;

use reads::*;
use serde_json::{Value, json};

const USER_FETCH: &str = "/v1/context/user/fetch";

fn fetch_body() -> Value {
    json!({"user_id": "u", "customer_id": "c", "search_query": ["decaf"], "max_results": 10, "types": ["all"], "mode": "fast"})
}

fn ready() -> Api {
    let api = Api::start();
    api.ingest(DECAF_DOC, json!({"user_id": "u", "customer_id": "c"}));
    api
}

#[test]
fn degraded_retrieval_on_the_next_n_fetches() {
    let api = ready();
    let block = json!({"degraded": true, "level": "partial", "code": "timeout", "warnings": ["vector store slow"]});
    let r = api.control("context", &json!({"count": 2, "retrieval": block}));
    assert_eq!((r.status, r.body.clone()), (200, json!({"pending": 1})));
    for _ in 0..2 {
        let body = api.fetch("user", fetch_body());
        assert_eq!(body["retrieval"], block);
        assert_eq!(all_items(&body).len(), 1, "items are still real");
    }
    assert_eq!(api.fetch("user", fetch_body())["retrieval"], Value::Null);

    // A failed retrieval: no items at all.
    let failed = json!({"degraded": true, "level": "failed", "code": "unavailable", "warnings": []});
    api.control("context", &json!({"retrieval": failed, "clear_items": true}));
    let body = api.fetch("user", json!({"user_id": "u", "search_query": ["decaf"], "response_shape": "ranked"}));
    assert_eq!((all_items(&body).len(), body["context"]["items"].clone()), (0, json!([])));
    assert_eq!(body["retrieval"]["level"], "failed");
}

#[test]
fn scripts_can_be_limited_to_a_route_and_survive_refused_fetches() {
    let api = ready();
    api.control("context", &json!({"route": "customer", "retrieval": {"degraded": true}}));
    assert_eq!(api.fetch("user", fetch_body())["retrieval"], Value::Null);
    assert_eq!(api.post("/v1/context/customer/fetch", &json!({"max_results": 0})).status, 422);
    let body = api.fetch("customer", json!({"customer_id": "c", "search_query": ["decaf"]}));
    assert_eq!(body["retrieval"], json!({"degraded": true}));
    assert_eq!(api.fetch("customer", json!({"customer_id": "c"}))["retrieval"], Value::Null);
}

#[test]
fn conversation_context_block() {
    let api = ready();
    let block = json!({"summary": "Asked about decaf.", "current_state": {"stage": "ordering"},
        "recent_turns": [{"role": "user", "content": "and decaf?", "timestamp": "2025-01-15T10:41:02Z"}],
        "compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e", "compacted_at": "2025-01-15T10:40:00Z",
        "conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"});
    api.control("context", &json!({"route": "user", "conversation_context": block}));
    assert_eq!(api.fetch("user", fetch_body())["conversation_context"], block);
}

#[test]
fn malformed_items_for_tolerance_tests() {
    let api = ready();
    let patch = json!({"source": null, "confidence": 1.5, "extracted_at": "not a time", "surprise": {"x": 1}});
    api.control("context", &json!({"item_patch": patch, "inject": {"facts": [{"id": null, "content": "raw"}, 7], "items": [{"rank": "first"}]}}));
    let body = api.fetch("user", json!({"user_id": "u", "search_query": ["decaf"], "response_shape": "ranked"}));
    let pref = &body["context"]["preferences"][0];
    assert_eq!(pref["content"], "I switched to decaf after 3pm.");
    for (k, v) in patch.as_object().unwrap() {
        assert_eq!(&pref[k], v, "{k}");
    }
    assert_eq!(body["context"]["facts"], json!([{"id": null, "content": "raw"}, 7]));
    let items = body["context"]["items"].as_array().unwrap();
    assert_eq!(items[0], json!({"rank": "first"}));
    assert_eq!((items[1]["confidence"].clone(), items[1]["rank"].clone()), (json!(1.5), json!(1)));
    // Used up: the next fetch is clean.
    let clean = api.fetch("user", fetch_body());
    assert_eq!(clean["context"]["preferences"][0]["source"], "conversation");
}

#[test]
fn bad_scripts_are_refused_and_reset_clears_them() {
    let api = ready();
    for body in [
        json!({"count": 0}),
        json!({"route": "team"}),
        json!({"inject": {"notes": []}}),
        json!({"retreival": {}}),
        json!({"item_patch": [1]}),
    ] {
        let r = api.control("context", &body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(r.body["detail"].is_string());
    }
    api.control("context", &json!({"retrieval": {"degraded": true}}));
    assert_eq!(api.control("reset", &json!({})).status, 200);
    assert_eq!(api.fetch("user", fetch_body())["retrieval"], Value::Null);
}

#[test]
fn wire_faults_apply_to_the_read_routes() {
    let api = ready();
    let fault = |path: &str, fault: Value| {
        let r = api.control("faults", &json!({"path": path, "count": 1, "fault": fault}));
        assert_eq!(r.status, 200, "{}", r.body);
    };
    fault(
        USER_FETCH,
        json!({"kind": "respond", "status": 503, "headers": {"Retry-After": 2}, "body": "{\"detail\":\"busy\"}"}),
    );
    let r = api.post(USER_FETCH, &fetch_body());
    assert_eq!((r.status, r.header("retry-after"), r.body.clone()), (503, Some("2"), json!({"detail": "busy"})));
    assert_eq!(api.post(USER_FETCH, &fetch_body()).status, 200);

    // The profile path as sent, its id still encoded.
    let profile = "/v1/users/a%2Fb/profile";
    api.ingest("User: I love tea.", json!({"user_id": "a/b", "customer_id": "c"}));
    fault(profile, json!({"kind": "respond", "status": 429, "body": "{\"detail\":\"Rate limit exceeded\"}"}));
    assert_eq!(api.get(profile).status, 429);
    assert_eq!(api.get(profile).status, 200);

    // Body-shaping faults wrap the real answer.
    let prompt = "/v1/conversations/6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37/context-for-prompt";
    for kind in [json!({"kind": "gzip"}), json!({"kind": "chunked", "chunk_bytes": 5})] {
        fault(prompt, kind.clone());
        let r = common::request(&api.emu, "GET", &format!("{prompt}?style=narrative"), &[common::AUTH], None);
        assert_eq!(r.status, 200, "{kind}");
        let text = if r.header("content-encoding") == Some("gzip") {
            let mut out = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&r.body[..]), &mut out).unwrap();
            out
        } else {
            assert!(r.chunks.len() > 1, "{kind}");
            r.text()
        };
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["available"], false, "{kind}");
    }
    fault(USER_FETCH, json!({"kind": "drop"}));
    let mut conn = common::Conn::open(&api.emu);
    conn.write_request("POST", USER_FETCH, &[common::AUTH], Some("{}"));
    assert!(conn.read_response().is_err(), "dropped without an answer");
}
