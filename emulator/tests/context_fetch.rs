//! POST /v1/context/{user,customer,client,conversation}/fetch: ranking,
//! scoping, response shapes, summary mode and validation.

mod reads;

use std::collections::BTreeSet;

use reads::*;
use serde_json::{Value, json};
use synap_emulator::Config;

const USER: &str = "user_789";
const CUSTOMER: &str = "cust_456";
const CONV: &str = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";

fn owned(user: &str, customer: &str) -> Value {
    json!({ "user_id": user, "customer_id": customer })
}

/// The decaf document plus a second one that shares a word with the query.
fn coffee_user(api: &Api) {
    api.ingest(DECAF_DOC, owned(USER, CUSTOMER));
    api.ingest("User: I drink green tea at lunch.", owned(USER, CUSTOMER));
}

fn user_fetch(extra: Value) -> Value {
    let mut body = json!({"user_id": USER, "customer_id": null, "conversation_id": null,
        "search_query": [DECAF_QUERY], "max_results": 10, "types": ["all"], "mode": "fast"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

#[test]
fn the_decaf_memory_ranks_first() {
    let api = Api::start();
    coffee_user(&api);
    let body = api.fetch("user", user_fetch(json!({})));
    let prefs = &body["context"]["preferences"];
    assert_eq!(contents(prefs), ["I switched to decaf after 3pm."], "{body}");
    assert_eq!(contents(&body["context"]["facts"]), ["I drink green tea at lunch."]);
    assert_eq!(prefs[0]["matched_queries"], json!([DECAF_QUERY]));
    let decaf = prefs[0]["metadata"]["rank_score"].as_f64().unwrap();
    let tea = body["context"]["facts"][0]["metadata"]["rank_score"].as_f64().unwrap();
    assert!(0.0 < tea && tea < decaf && decaf < 1.0, "{tea} {decaf}");

    let ranked = api.fetch("user", user_fetch(json!({"response_shape": "ranked"})));
    let items = ranked["context"]["items"].as_array().unwrap();
    assert_eq!(
        contents(&ranked["context"]["items"]),
        ["I switched to decaf after 3pm.", "I drink green tea at lunch."]
    );
    assert_eq!((items[0]["rank"].as_u64(), items[0]["category"].as_str()), (Some(1), Some("preferences")));
    assert_eq!((items[1]["rank"].as_u64(), items[1]["category"].as_str()), (Some(2), Some("facts")));
    assert_eq!(items[0]["metadata"]["rank_score"].as_f64(), Some(decaf));
    // The typed lists hold the same items.
    assert_eq!(contents(&ranked["context"]["preferences"]), ["I switched to decaf after 3pm."]);
}

#[test]
fn every_item_and_envelope_field_is_there() {
    let api = Api::start();
    coffee_user(&api);
    api.ingest(
        "User: Felt relieved once the outage was resolved. Visited Lisbon last spring. Dentist on Friday.",
        owned(USER, CUSTOMER),
    );
    for shape in ["by_type", "ranked"] {
        let body = api.fetch("user", user_fetch(json!({"search_query": null, "response_shape": shape})));
        let keys: BTreeSet<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["context", "conversation_context", "retrieval", "ttl_seconds"]));
        assert_eq!((body["ttl_seconds"].as_u64(), &body["retrieval"]), (Some(300), &Value::Null));
        let items = all_items(&body);
        assert_eq!(items.len(), 6, "{body}");
        for list in ["facts", "preferences", "episodes", "emotions", "temporal_events"] {
            assert!(!body["context"][list].as_array().unwrap().is_empty(), "{list} in {body}");
        }
        for item in items.iter().chain(body["context"]["items"].as_array().into_iter().flatten()) {
            assert!(item["id"].is_string() && item["content"].is_string() && item["source"].is_string(), "{item}");
            let confidence = item["confidence"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&confidence));
            let extracted = item["extracted_at"].as_str().unwrap();
            assert!(extracted.ends_with('Z') && extracted.parse::<jiff::Timestamp>().is_ok(), "{extracted}");
            assert!(item["said_at"].as_str().unwrap().ends_with('Z'));
            assert!(item["metadata"].is_object());
            let rank_score = item["metadata"]["rank_score"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&rank_score));
            assert!(item["temporal_category"].is_string());
            assert!((0.0..=1.0).contains(&item["temporal_confidence"].as_f64().unwrap()));
            assert_eq!(item["matched_queries"], json!([]));
            assert!(item.get("event_date").is_some());
        }
        assert_eq!(body["context"]["emotions"][0]["emotion_type"], "relieved");
        assert_eq!(body["context"].get("items").is_some(), shape == "ranked");
    }
    let client = api.fetch(
        "client",
        json!({"conversation_id": null, "search_query": null, "max_results": 10, "types": ["all"], "mode": "fast"}),
    );
    assert_eq!(client["ttl_seconds"], 1800);
}

#[test]
fn without_a_query_newest_first() {
    let api = Api::start();
    api.ingest("User: I live in Oslo.", owned(USER, CUSTOMER));
    std::thread::sleep(std::time::Duration::from_millis(5));
    api.ingest("User: I work at Acme as an engineer. My manager is Kim.", owned(USER, CUSTOMER));
    for query in [json!(null), json!([]), json!(["  "])] {
        let body = api.fetch("user", user_fetch(json!({"search_query": query, "response_shape": "ranked"})));
        let items = &body["context"]["items"];
        assert_eq!(contents(items), ["My manager is Kim.", "I work at Acme as an engineer.", "I live in Oslo."]);
        let scores: Vec<f64> =
            items.as_array().unwrap().iter().map(|i| i["metadata"]["rank_score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
    }
    let two = api.fetch("user", user_fetch(json!({"search_query": null, "max_results": 2})));
    assert_eq!(contents(&two["context"]["facts"]), ["My manager is Kim.", "I work at Acme as an engineer."]);
}

#[test]
fn types_max_results_and_per_query_caps() {
    let api = Api::start();
    coffee_user(&api);
    let facts = api.fetch("user", user_fetch(json!({"types": ["facts"]})));
    assert_eq!(all_items(&facts).len(), 1);
    assert_eq!(contents(&facts["context"]["facts"]), ["I drink green tea at lunch."]);
    let both = api.fetch("user", user_fetch(json!({"types": ["preferences", "all"]})));
    assert_eq!(all_items(&both).len(), 2);
    let none = api.fetch("user", user_fetch(json!({"types": ["emotions"], "response_shape": "ranked"})));
    assert_eq!((all_items(&none).len(), none["context"]["items"].clone()), (0, json!([])));
    let one = api.fetch("user", user_fetch(json!({"max_results": 1, "response_shape": "ranked"})));
    assert_eq!(contents(&one["context"]["items"]), ["I switched to decaf after 3pm."]);

    let queries = json!(["decaf", "green tea", "dark roast morning"]);
    let all = api.fetch("user", user_fetch(json!({"search_query": queries})));
    assert_eq!(all_items(&all).len(), 3);
    let capped =
        api.fetch("user", user_fetch(json!({"search_query": queries, "max_results_per_query": 1, "max_results": 2})));
    assert_eq!(all_items(&capped).len(), 2);
    let roast = all["context"]["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["content"] == "I love dark roast in the morning.")
        .unwrap();
    assert_eq!(roast["matched_queries"], json!(["dark roast morning"]));
}

#[test]
fn accurate_mode_matches_word_forms() {
    let api = Api::start();
    coffee_user(&api);
    let fast = api.fetch("user", user_fetch(json!({"search_query": ["drinks"]})));
    assert!(all_items(&fast).is_empty(), "{fast}");
    let accurate = api.fetch("user", user_fetch(json!({"search_query": ["drinks"], "mode": "accurate"})));
    assert_eq!(contents(&accurate["context"]["facts"]), ["I drink green tea at lunch."]);
}

#[test]
fn scopes_see_their_documents_only() {
    let api = Api::start();
    api.ingest("User: Alice likes jazz records.", owned("alice", "acme"));
    api.ingest("User: Bob likes jazz concerts.", owned("bob", "acme"));
    api.ingest("User: Carol likes jazz radio.", owned("carol", "globex"));
    api.ingest("Kim likes jazz festivals.", json!({"customer_id": "acme"}));
    api.ingest("Everyone here likes jazz bars.", json!({}));
    api.ingest(
        "User: Alice likes jazz in this chat.",
        json!({"user_id": "alice", "customer_id": "acme", "document_id": CONV}),
    );
    api.ingest(
        "User: Alice likes jazz by email.",
        json!({"user_id": "alice", "customer_id": "acme", "document_id": "mail-1",
        "metadata": {"conversation_id": CONV.to_uppercase()}}),
    );
    let q = json!(["jazz"]);
    let seen = |scope: &str, body: Value| -> BTreeSet<String> {
        let mut body = body;
        body["search_query"] = q.clone();
        contents(&api.fetch(scope, body)["context"]["preferences"]).into_iter().collect()
    };
    let set = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<String>>();
    let alice = set(&["Alice likes jazz records.", "Alice likes jazz in this chat.", "Alice likes jazz by email."]);
    assert_eq!(seen("user", json!({"user_id": "alice"})), alice);
    assert_eq!(seen("user", json!({"user_id": "alice", "customer_id": "acme"})), alice);
    assert!(seen("user", json!({"user_id": "alice", "customer_id": "globex"})).is_empty());
    let mut acme = alice.clone();
    acme.extend(set(&["Bob likes jazz concerts.", "Kim likes jazz festivals."]));
    assert_eq!(seen("customer", json!({"customer_id": "acme"})), acme);
    assert_eq!(seen("customer", json!({"customer_id": "globex"})), set(&["Carol likes jazz radio."]));
    assert_eq!(seen("client", json!({})).len(), 7);
    let chat = set(&["Alice likes jazz in this chat.", "Alice likes jazz by email."]);
    assert_eq!(seen("conversation", json!({"conversation_id": CONV})), chat);
    assert_eq!(seen("conversation", json!({"conversation_id": format!("{{{CONV}}}")})), chat);
    assert!(seen("conversation", json!({"conversation_id": "00000000-0000-4000-8000-000000000000"})).is_empty());
}

#[test]
fn conversation_context_blocks() {
    let api = Api::start();
    api.ingest(
        &format!("{DECAF_DOC}\nAssistant: Noted, decaf after 3pm."),
        json!({"user_id": USER, "customer_id": CUSTOMER, "document_id": CONV}),
    );
    let body = api.fetch("conversation", json!({"conversation_id": CONV, "search_query": ["decaf"], "max_results": 10, "types": ["all"], "mode": "fast"}));
    let block = &body["conversation_context"];
    assert_eq!(block["conversation_id"], CONV);
    assert_eq!(block["summary"], Value::Null);
    assert_eq!(block["current_state"], json!({}));
    let turns = block["recent_turns"].as_array().unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!((turns[0]["role"].as_str(), turns[1]["role"].as_str()), (Some("user"), Some("assistant")));
    assert_eq!(turns[0]["content"], "I switched to decaf after 3pm. I love dark roast in the morning.");
    assert!(turns[0]["timestamp"].as_str().unwrap().ends_with('Z'));
    assert_eq!(contents(&body["context"]["preferences"]), ["I switched to decaf after 3pm."]);

    let off = api.fetch(
        "conversation",
        json!({"conversation_id": CONV, "search_query": ["decaf"], "include_conversation_context": false}),
    );
    assert_eq!(off["conversation_context"], Value::Null);
    let user = api.fetch("user", user_fetch(json!({"conversation_id": CONV})));
    assert_eq!(user["conversation_context"]["recent_turns"], block["recent_turns"]);
    let unknown = api.fetch("user", user_fetch(json!({"conversation_id": "not-a-uuid"})));
    assert_eq!(unknown["conversation_context"], Value::Null);
    let empty = api.fetch(
        "conversation",
        json!({"conversation_id": "00000000-0000-4000-8000-000000000000", "search_query": ["x"]}),
    );
    assert_eq!(empty["conversation_context"]["recent_turns"], json!([]));
}

#[test]
fn summary_mode_gives_profile_and_conversations() {
    let api = Api::start();
    api.ingest(
        DECAF_DOC,
        json!({"user_id": USER, "customer_id": CUSTOMER, "document_id": CONV,
        "document_created_at": "2025-01-15T10:29:58Z"}),
    );
    let other = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";
    api.ingest(
        "User: Any update on my refund?\nAssistant: It is on its way.",
        json!({"user_id": USER, "customer_id": CUSTOMER,
        "document_id": other, "document_created_at": "2025-02-01T09:00:00Z"}),
    );
    let summary = |extra: Value| {
        let mut body = user_fetch(
            json!({"context_mode": "conversation-summary", "include_profile": true, "last_n_conversations": 5}),
        );
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        api.fetch("user", body)
    };
    let body = summary(json!({}));
    assert!(all_items(&body).is_empty());
    let attrs = body["profile"]["attributes"].as_object().unwrap();
    assert!(attrs.contains_key("decaf_after_3pm") && attrs.contains_key("dark_roast_morning"), "{attrs:?}");
    let conversations = body["conversations"].as_array().unwrap();
    let ids: Vec<&str> = conversations.iter().map(|c| c["conversation_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [other, CONV], "most recent first");
    let first = &conversations[0];
    assert_eq!((first["message_count"].as_u64(), first["summary_status"].as_str()), (Some(2), Some("pending")));
    assert_eq!(first["started_at"], "2025-02-01T09:00:00Z");
    assert_eq!(first["last_message_at"], "2025-02-01T09:00:01Z");
    assert_eq!(first["conversation_type"], "ai-chat-conversation");
    for c in conversations {
        assert!(c["summary_status"].is_string());
    }
    assert_eq!(summary(json!({"last_n_conversations": 1}))["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(summary(json!({"last_n_conversations": 0}))["conversations"], json!([]));
    assert_eq!(summary(json!({"include_profile": false}))["profile"], Value::Null);
    let stranger = api.fetch("user", json!({"user_id": "nobody", "context_mode": "conversation-summary"}));
    assert_eq!((stranger["profile"].clone(), stranger["conversations"].clone()), (Value::Null, json!([])));
    // In-conversation mode has neither key.
    assert!(api.fetch("user", user_fetch(json!({}))).get("profile").is_none());
}

#[test]
fn validation_errors_are_422_with_fastapi_bodies() {
    let api = Api::start();
    let cases = [
        ("user", json!({"search_query": ["x"]}), vec!["body", "user_id"], "missing"),
        (
            "user",
            json!({"user_id": "u", "last_n_conversations": 21, "context_mode": "conversation-summary"}),
            vec!["body", "last_n_conversations"],
            "less_than_equal",
        ),
        (
            "user",
            json!({"user_id": "u", "last_n_conversations": -1}),
            vec!["body", "last_n_conversations"],
            "greater_than_equal",
        ),
        ("user", json!({"user_id": "u", "context_mode": "summary"}), vec!["body", "context_mode"], "enum"),
        (
            "customer",
            json!({"customer_id": "c", "context_mode": "conversation-summary"}),
            vec!["body", "context_mode"],
            "extra_forbidden",
        ),
        ("client", json!({"context_mode": "in-conversation"}), vec!["body", "context_mode"], "extra_forbidden"),
        (
            "conversation",
            json!({"conversation_id": CONV, "last_n_conversations": 2}),
            vec!["body", "last_n_conversations"],
            "extra_forbidden",
        ),
        ("conversation", json!({"search_query": ["x"]}), vec!["body", "conversation_id"], "missing"),
        ("customer", json!({}), vec!["body", "customer_id"], "missing"),
        ("client", json!({"types": ["facts", "notes"]}), vec!["body", "types", "1"], "enum"),
        ("client", json!({"mode": "slow"}), vec!["body", "mode"], "enum"),
        ("client", json!({"response_shape": "flat"}), vec!["body", "response_shape"], "enum"),
        ("client", json!({"precision_level": "low"}), vec!["body", "precision_level"], "enum"),
        ("client", json!({"max_results": 0}), vec!["body", "max_results"], "greater_than_equal"),
        ("client", json!({"max_results": "ten"}), vec!["body", "max_results"], "int_type"),
        ("client", json!({"search_query": "coffee"}), vec!["body", "search_query"], "list_type"),
    ];
    for (scope, body, loc, kind) in cases {
        let r = api.post(&format!("/v1/context/{scope}/fetch"), &body);
        assert_eq!(r.status, 422, "{scope} {body}: {}", r.body);
        let detail = &r.body["detail"][0];
        let got: Vec<String> =
            detail["loc"].as_array().unwrap().iter().map(|p| p.to_string().trim_matches('"').to_owned()).collect();
        assert_eq!(
            (got, detail["type"].as_str().unwrap()),
            (loc.iter().map(|s| (*s).to_owned()).collect(), kind),
            "{scope} {body}"
        );
        assert!(detail["msg"].is_string());
    }
    for raw in ["", "{", "null"] {
        let r = api.post_raw("/v1/context/client/fetch", raw);
        assert_eq!(r.status, 422, "{raw:?}");
    }
    let r = api.anonymous("POST", "/v1/context/user/fetch");
    assert_eq!((r.status, r.body.clone()), (401, json!({"detail": "Missing API key"})));
    let r = api.get("/v1/context/user/fetch");
    assert_eq!((r.status, r.header("allow")), (405, Some("POST")));
    let r = api.post("/v1/context/team/fetch", &json!({}));
    assert_eq!((r.status, r.body.clone()), (404, json!({"detail": "Not Found"})));
}

#[test]
fn b2c_refuses_customer_ids() {
    let api = Api::with(Config {
        seed_demo: false,
        user_context_isolation: Some("equals_customer".into()),
        ..Config::default()
    });
    api.ingest(DECAF_DOC, json!({"user_id": USER}));
    let body = api.fetch("user", user_fetch(json!({})));
    assert_eq!(contents(&body["context"]["preferences"]), ["I switched to decaf after 3pm."]);
    for (scope, body) in [("user", user_fetch(json!({"customer_id": "c"}))), ("customer", json!({"customer_id": "c"}))]
    {
        let r = api.post(&format!("/v1/context/{scope}/fetch"), &body);
        assert_eq!(r.status, 400, "{scope}");
        assert!(r.body["detail"].is_string());
    }
}

#[test]
fn times_follow_the_time_format() {
    let api = Api::start();
    api.ingest(DECAF_DOC, owned(USER, CUSTOMER));
    assert_eq!(api.control("config", &json!({"time_format": "offset"})).status, 200);
    let body = api.fetch("user", user_fetch(json!({})));
    let extracted = body["context"]["preferences"][0]["extracted_at"].as_str().unwrap();
    assert!(extracted.ends_with("+00:00"), "{extracted}");
}
