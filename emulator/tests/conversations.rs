//! Recording conversation messages, one at a time and in batches, and
//! reading them back page by page: shapes, order, validation, memories,
//! faults on the new routes, and concurrent writers.

mod reads;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use reads::{Api, all_items};
use serde_json::{Value, json};
use synap_emulator::Config;

const CONV: &str = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";
const MESSAGES: &str = "/v1/conversations/messages";
const BATCH: &str = "/v1/conversations/messages/batch";

fn message(role: &str, content: &str) -> Value {
    json!({"conversation_id": CONV, "role": role, "content": content, "user_id": "user_789",
           "customer_id": "cust_456", "metadata": {"agent_model": "gpt-4o"}})
}

fn list_path(id: &str, query: &str) -> String {
    format!("/v1/conversations/{id}/messages{query}")
}

fn turns(api: &Api, id: &str, query: &str) -> Vec<Value> {
    let r = api.get(&list_path(id, query));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["turns"].as_array().unwrap().clone()
}

fn contents(turns: &[Value]) -> Vec<String> {
    turns.iter().map(|t| t["content"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_recorded_message_answers_with_its_row() {
    let api = Api::start();
    let r = api.post(MESSAGES, &message("user", "Any update on my refund?"));
    assert_eq!(r.status, 200, "{}", r.body);
    let b = &r.body;
    let keys: Vec<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5, "{b}");
    assert!(uuid::Uuid::parse_str(b["message_id"].as_str().unwrap()).is_ok());
    assert!(uuid::Uuid::parse_str(b["session_id"].as_str().unwrap()).is_ok());
    assert_eq!((b["conversation_id"].as_str(), b["conversation_message_count"].as_u64()), (Some(CONV), Some(1)));
    assert!(b["recorded_at"].as_str().unwrap().ends_with('Z'), "{b}");

    // The generated session is the conversation's, reused; a given one is kept.
    let second = api.post(MESSAGES, &message("assistant", "It is on its way.")).body;
    assert_eq!(
        (second["session_id"].clone(), second["conversation_message_count"].as_u64()),
        (b["session_id"].clone(), Some(2))
    );
    let mut own = message("user", "Thanks!");
    own["session_id"] = json!("sess-1");
    // Any UUID form names the same conversation.
    own["conversation_id"] = json!(CONV.to_uppercase());
    let third = api.post(MESSAGES, &own).body;
    assert_eq!((third["session_id"].as_str(), third["conversation_id"].as_str()), (Some("sess-1"), Some(CONV)));
    assert_eq!(third["conversation_message_count"], 3);

    let listed = turns(&api, CONV, "");
    assert_eq!(contents(&listed), ["Any update on my refund?", "It is on its way.", "Thanks!"]);
    let t = &listed[0];
    assert_eq!((t["position"].as_u64(), t["role"].as_str()), (Some(1), Some("user")));
    assert_eq!((t["message_id"].clone(), t["timestamp"].clone()), (b["message_id"].clone(), b["recorded_at"].clone()));
    assert_eq!(listed[2]["position"], 3);
    // Times never go backwards within the conversation.
    let times: Vec<&str> = listed.iter().map(|t| t["timestamp"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}

#[test]
fn record_validation_and_tenancy() {
    let api = Api::start();
    let check = |body: Value, loc: &[&str], kind: &str| {
        let r = api.post(MESSAGES, &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        let found = r.body["detail"].as_array().unwrap().iter().any(|e| e["loc"] == json!(loc) && e["type"] == kind);
        assert!(found, "{loc:?} {kind} in {}", r.body);
    };
    let with = |k: &str, v: Value| {
        let mut m = message("user", "hello");
        m[k] = v;
        m
    };
    check(with("role", json!("system")), &["body", "role"], "enum");
    check(with("role", json!("")), &["body", "role"], "enum");
    check(with("conversation_id", json!("not-a-uuid")), &["body", "conversation_id"], "uuid_parsing");
    check(with("conversation_id", json!("")), &["body", "conversation_id"], "uuid_parsing");
    check(with("user_id", json!("")), &["body", "user_id"], "string_too_short");
    check(with("content", Value::Null), &["body", "content"], "string_type");
    check(with("metadata", json!([])), &["body", "metadata"], "dict_type");
    check(with("session_id", json!(7)), &["body", "session_id"], "string_type");
    check(with("scope", json!({"team": 1})), &["body", "scope", "team"], "string_type");
    let mut missing = message("user", "x");
    missing.as_object_mut().unwrap().remove("user_id");
    check(missing, &["body", "user_id"], "missing");
    assert_eq!(api.post_raw(MESSAGES, "{").status, 422);
    // An empty content is a message all the same.
    assert_eq!(api.post(MESSAGES, &with("content", json!(""))).status, 200);

    // B2B (the default): a user needs a customer.
    let r = api.post(MESSAGES, &with("customer_id", Value::Null));
    assert_eq!((r.status, r.body["detail"].as_str()), (400, Some("user_id requires customer_id on this instance")));
    assert_eq!(api.anonymous("POST", MESSAGES).status, 401);
    let r = api.get(MESSAGES);
    assert_eq!((r.status, r.header("allow")), (405, Some("POST")));
    // Nothing refused was stored.
    assert_eq!(turns(&api, CONV, "").len(), 1);

    let b2c = Api::with(Config { user_context_isolation: Some("equals_customer".into()), ..Config::default() });
    assert_eq!(b2c.post(MESSAGES, &message("user", "hi")).status, 400);
    let mut own = message("user", "hi");
    own["customer_id"] = Value::Null;
    assert_eq!(b2c.post(MESSAGES, &own).status, 200);
}

#[test]
fn user_messages_become_memories_of_their_scope() {
    let api = Api::start();
    api.post(MESSAGES, &message("user", "I switched to decaf after 3pm. Ok."));
    api.post(MESSAGES, &message("assistant", "I will remember that you like green tea."));
    api.post(MESSAGES, &message("user", "Thanks"));
    let fetch = |scope: &str, extra: Value| {
        let mut body = json!({"search_query": null, "max_results": 10, "types": ["all"], "mode": "fast"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        // Memories appear on the create timing (at once here), polled to be safe.
        for _ in 0..200 {
            let items = all_items(&api.fetch(scope, body.clone()));
            if !items.is_empty() {
                return items;
            }
            thread::sleep(Duration::from_millis(5));
        }
        panic!("no memories on {scope}");
    };
    for (scope, extra) in [
        ("conversation", json!({"conversation_id": CONV})),
        ("user", json!({"user_id": "user_789", "customer_id": "cust_456", "conversation_id": null})),
        ("customer", json!({"customer_id": "cust_456", "conversation_id": null})),
    ] {
        let items = fetch(scope, extra);
        let texts: Vec<&str> = items.iter().map(|i| i["content"].as_str().unwrap()).collect();
        // Only the user's statements: no chatter, nothing the assistant said.
        assert_eq!(texts, ["I switched to decaf after 3pm."], "{scope}");
        assert_eq!(items[0]["source"], "conversation");
    }
    let other = api.fetch("user", json!({"user_id": "someone_else", "search_query": ["decaf"]}));
    assert!(all_items(&other).is_empty());
}

#[test]
fn a_batch_stores_the_good_messages_in_order_and_lists_the_others() {
    let api = Api::start();
    let mut no_user = message("assistant", "Second, inheriting the user.");
    no_user.as_object_mut().unwrap().remove("user_id");
    no_user.as_object_mut().unwrap().remove("customer_id");
    let other_conv = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";
    let mut orphan = message("user", "No user anywhere.");
    orphan["conversation_id"] = json!(other_conv);
    orphan.as_object_mut().unwrap().remove("user_id");
    let batch = json!({"messages": [
        message("user", "First."),
        message("system", "Bad role."),
        no_user,
        {"conversation_id": "nope", "role": "user", "content": "x", "user_id": "u"},
        orphan,
        message("user", "Last."),
    ]});
    let r = api.post(BATCH, &batch);
    assert_eq!(r.status, 200, "{}", r.body);
    let b = &r.body;
    assert_eq!((b["total"].as_u64(), b["succeeded"].as_u64(), b["failed"].as_u64()), (Some(6), Some(3), Some(3)));
    let counts: Vec<u64> =
        b["results"].as_array().unwrap().iter().map(|r| r["conversation_message_count"].as_u64().unwrap()).collect();
    assert_eq!(counts, [1, 2, 3]);
    let errors = b["errors"].as_array().unwrap();
    let indexes: Vec<u64> = errors.iter().map(|e| e["index"].as_u64().unwrap()).collect();
    assert_eq!(indexes, [1, 3, 4]);
    assert!(
        errors[0]["error"].as_str().unwrap().starts_with("role: Input should be 'user' or 'assistant'"),
        "{errors:?}"
    );
    assert!(errors[1]["error"].as_str().unwrap().starts_with("conversation_id: Input should be a valid UUID"));
    assert!(errors[2]["error"].as_str().unwrap().starts_with("user_id: Field required"));
    for row in b["results"].as_array().unwrap() {
        for key in ["message_id", "conversation_id", "session_id", "recorded_at"] {
            assert!(row[key].is_string(), "{key} in {row}");
        }
    }
    assert_eq!(contents(&turns(&api, CONV, "")), ["First.", "Second, inheriting the user.", "Last."]);
    assert!(turns(&api, other_conv, "").is_empty());

    for (bad, kind) in
        [(json!({"messages": []}), "too_short"), (json!({"messages": {}}), "list_type"), (json!({}), "missing")]
    {
        let r = api.post(BATCH, &bad);
        assert_eq!((r.status, r.body["detail"][0]["type"].as_str()), (422, Some(kind)), "{bad}");
    }
    let many = json!({"messages": vec![message("user", "x"); 1001]});
    assert_eq!(api.post(BATCH, &many).body["detail"][0]["type"], "too_long");
}

#[test]
fn messages_page_by_position() {
    let api = Api::start();
    let batch: Vec<Value> =
        (1..=7).map(|i| message(if i % 2 == 1 { "user" } else { "assistant" }, &format!("m{i}"))).collect();
    assert_eq!(api.post(BATCH, &json!({"messages": batch})).body["succeeded"], 7);
    let r = api.get(&list_path(CONV, "?start=1&limit=3"));
    assert_eq!(contents(r.body["turns"].as_array().unwrap()), ["m1", "m2", "m3"]);
    assert_eq!((r.body["total"].as_u64(), r.body["next_start"].as_u64()), (Some(7), Some(4)));
    let page = turns(&api, CONV, "?start=4&limit=3");
    let positions: Vec<u64> = page.iter().map(|t| t["position"].as_u64().unwrap()).collect();
    assert_eq!(positions, [4, 5, 6]);
    let last = api.get(&list_path(CONV, "?start=7&limit=3")).body;
    assert_eq!(
        (contents(last["turns"].as_array().unwrap()), last["next_start"].clone()),
        (vec!["m7".to_owned()], Value::Null)
    );
    // The SDK's backfill asks for 500 from position 1.
    assert_eq!(turns(&api, CONV, "?start=1&limit=500").len(), 7);
    assert!(turns(&api, CONV, "?start=8").is_empty());
    // Unknown conversations have no messages; bad ids and bounds are 422.
    assert!(turns(&api, "00000000-0000-4000-8000-000000000000", "").is_empty());
    for (query, loc) in [("?start=0", "start"), ("?limit=0", "limit"), ("?limit=1001", "limit"), ("?start=x", "start")]
    {
        let r = api.get(&list_path(CONV, query));
        assert_eq!((r.status, r.body["detail"][0]["loc"].clone()), (422, json!(["query", loc])), "{query}");
    }
    let r = api.get(&list_path("not-a-uuid", ""));
    assert_eq!((r.status, r.body["detail"][0]["loc"].clone()), (422, json!(["path", "conversation_id"])));
    assert_eq!(api.anonymous("GET", &list_path(CONV, "")).status, 401);
    assert_eq!(api.post(&list_path(CONV, ""), &json!({})).status, 405);
}

#[test]
fn documents_and_recorded_messages_share_the_conversation() {
    let api = Api::start();
    api.ingest(
        "User: I drink green tea at lunch.\nAssistant: Noted.",
        json!({"user_id": "user_789", "customer_id": "cust_456", "document_id": CONV,
               "document_created_at": "2025-01-15T10:00:00Z"}),
    );
    let r = api.post(MESSAGES, &message("user", "And coffee in the morning."));
    assert_eq!(r.body["conversation_message_count"], 3);
    let listed = turns(&api, CONV, "");
    assert_eq!(contents(&listed), ["I drink green tea at lunch.", "Noted.", "And coffee in the morning."]);
    assert!(listed[0]["session_id"].is_null() && listed[2]["session_id"].is_string());
}

/// 8 writers, one conversation: each message stored once, each writer's
/// messages in the order it sent them.
#[test]
fn concurrent_writers_keep_every_message_once_and_in_order() {
    const WRITERS: usize = 8;
    const EACH: usize = 25;
    let api = Api::start();
    let base = api.emu.base_url();
    let counts: Vec<Vec<u64>> = thread::scope(|s| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let base = base.clone();
                s.spawn(move || {
                    let agent: ureq::Agent =
                        ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into();
                    (0..EACH)
                        .map(|i| {
                            let body = message("user", &format!("writer {w} message {i}"));
                            let mut r = agent
                                .post(format!("{base}{MESSAGES}"))
                                .header("Authorization", "Bearer synap_dev_emulator")
                                .content_type("application/json")
                                .send(body.to_string())
                                .unwrap();
                            assert_eq!(r.status(), 200);
                            let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
                            v["conversation_message_count"].as_u64().unwrap()
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Every count from 1 to the total was handed out exactly once.
    let mut all: Vec<u64> = counts.iter().flatten().copied().collect();
    all.sort_unstable();
    assert_eq!(all, (1..=(WRITERS * EACH) as u64).collect::<Vec<_>>());
    let listed = turns(&api, CONV, "?limit=1000");
    assert_eq!(listed.len(), WRITERS * EACH);
    let mut seen: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, t) in listed.iter().enumerate() {
        assert_eq!(t["position"].as_u64(), Some(i as u64 + 1));
        let text = t["content"].as_str().unwrap();
        let mut words = text.split(' ');
        let writer: usize = words.nth(1).unwrap().parse().unwrap();
        let n: usize = words.nth(1).unwrap().parse().unwrap();
        seen.entry(writer).or_default().push(n);
    }
    for w in 0..WRITERS {
        assert_eq!(seen[&w], (0..EACH).collect::<Vec<_>>(), "writer {w}");
    }
    // Each writer's own counts rose with its messages.
    for c in &counts {
        assert!(c.windows(2).all(|p| p[0] < p[1]), "{c:?}");
    }
}

/// A raw POST on a fresh connection with a short read timeout: what came
/// back before the server closed or the timeout hit.
fn raw_post(api: &Api, path: &str, body: &Value, timeout: Duration) -> std::io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(api.emu.addr())?;
    stream.set_read_timeout(Some(timeout))?;
    let body = body.to_string();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer synap_dev_emulator\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).map(|_| out)
}

fn fault(api: &Api, path: &str, fault: Value) {
    let r = api.control("faults", &json!({"path": path, "count": 1, "fault": fault}));
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn faults_apply_to_the_new_routes() {
    let api = Api::start();
    // A scripted answer stands in for the route: nothing is stored.
    fault(&api, MESSAGES, json!({"kind": "respond", "status": 503, "body": "{\"detail\": \"busy\"}"}));
    let r = api.post(MESSAGES, &message("user", "one"));
    assert_eq!((r.status, r.body["detail"].as_str()), (503, Some("busy")));
    assert!(turns(&api, CONV, "").is_empty());

    // Handled, then the connection closes without a byte: stored once.
    fault(&api, MESSAGES, json!({"kind": "handle_then_drop"}));
    let got = raw_post(&api, MESSAGES, &message("user", "two"), Duration::from_secs(10));
    assert!(got.as_ref().is_ok_and(Vec::is_empty) || got.is_err(), "{got:?}");
    assert_eq!(contents(&turns(&api, CONV, "")), ["two"]);

    // Handled, then silence past the client's read timeout: stored once.
    fault(&api, BATCH, json!({"kind": "handle_then_stall", "ms": 5_000}));
    let err = raw_post(&api, BATCH, &json!({"messages": [message("user", "three")]}), Duration::from_millis(300));
    let kind = err.expect_err("the read times out").kind();
    assert!(matches!(kind, std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut), "{kind:?}");
    assert_eq!(contents(&turns(&api, CONV, "")), ["two", "three"]);

    // Plain drop: closed before handling, nothing stored.
    fault(&api, MESSAGES, json!({"kind": "drop"}));
    assert!(raw_post(&api, MESSAGES, &message("user", "four"), Duration::from_secs(10)).is_ok_and(|b| b.is_empty()));
    assert_eq!(turns(&api, CONV, "").len(), 2);

    // Faults key on the path as sent, so GET routes with ids take them too.
    let list = list_path(CONV, "");
    fault(&api, &list, json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "1"}}));
    let r = api.get(&list);
    assert_eq!((r.status, r.header("retry-after")), (429, Some("1")));
    fault(&api, &list, json!({"kind": "gzip"}));
    assert_eq!(turns(&api, CONV, "").len(), 2, "ureq inflates the gzip fault's body");
    // Every attempt is in the request log, faulted or not.
    let url = format!("{}/_emulator/requests?path={MESSAGES}", api.emu.base_url());
    let text = ureq::get(&url).call().unwrap().body_mut().read_to_string().unwrap();
    let log: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["requests"].as_array().unwrap().len(), 3);
}

#[test]
fn handle_then_stall_and_drop_are_checked() {
    let api = Api::start();
    for bad in [
        json!({"kind": "handle_then_stall"}),
        json!({"kind": "handle_then_stall", "ms": 600_001}),
        json!({"kind": "handle_then_drop", "ms": 1}),
    ] {
        let r = api.control("faults", &json!({"path": MESSAGES, "fault": bad}));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
}
