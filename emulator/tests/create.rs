//! POST /api/v1/memories/create: validation, tenancy, duplicates, and the
//! job it queues, up to readable memories.

mod common;

use std::collections::BTreeSet;
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use synap_emulator::{Config, Emulator};
use uuid::Uuid;

/// The contract's example request: all nine keys, as the SDK sends them.
fn example() -> Value {
    json!({"document": "User: I only drink decaf after 3pm.\nAssistant: Noted.",
        "document_type": "ai-chat-conversation", "document_id": "chat-2025-01-15-user-789",
        "document_created_at": "2025-01-15T10:29:58Z", "user_id": "user_789", "customer_id": "cust_456",
        "scope": null, "mode": "long-range", "metadata": {"channel": "web"}})
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn canonical(id: &str) -> bool {
    Uuid::parse_str(id).is_ok_and(|u| u.hyphenated().to_string() == id)
}

/// Polls the status until `done` holds, for at most 10 s.
fn wait_for(emu: &Emulator, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = get(emu, &status_path(id)).json();
        if done(&v) {
            return v;
        }
        assert!(Instant::now() < deadline, "job {id} stuck at {v}");
        sleep(Duration::from_millis(20));
    }
}

#[test]
fn create_queues_a_job_that_progresses_to_readable_memories() {
    let emu = Emulator::start(Config {
        control: true,
        create_processing_after_ms: 800,
        create_done_after_ms: 2400,
        ..Config::default()
    })
    .unwrap();
    let t0 = Instant::now();
    let r = post(&emu, CREATE, &example());
    assert_eq!(r.status, 200, "{}", r.text());
    let ack = r.json();
    assert_eq!(keys(&ack), BTreeSet::from(["ingestion_id", "document_id", "status", "queued_at"]));
    assert_eq!(ack["status"], "queued");
    assert_eq!(ack["document_id"], "chat-2025-01-15-user-789");
    let id = ack["ingestion_id"].as_str().unwrap().to_owned();
    assert!(canonical(&id), "{id}");

    let v = get(&emu, &status_path(&id)).json();
    assert_eq!(v["queued_at"], ack["queued_at"]);
    assert_eq!(v["document_id"], "chat-2025-01-15-user-789");
    if t0.elapsed() < Duration::from_millis(800) {
        assert_eq!(v["status"], "queued");
    }
    let v = wait_for(&emu, &id, |v| v["status"] != "queued");
    if t0.elapsed() < Duration::from_millis(2400) {
        assert_eq!(v["status"], "processing");
        assert_eq!(v["completed_at"], Value::Null);
    }
    let v = wait_for(&emu, &id, |v| v["status"] == "completed");
    assert!(t0.elapsed() >= Duration::from_millis(2400));
    assert_eq!(v["error_message"], Value::Null);
    // "Noted." is chatter, so the one sentence with content is the memory.
    assert_eq!(v["memories_created"], 1);
    let memory_id = v["memory_ids"][0].as_str().unwrap();
    let r = get(&emu, &memory_path(memory_id));
    assert_eq!(r.status, 200, "{}", r.text());
    let m = r.json();
    assert_eq!(
        keys(&m),
        BTreeSet::from([
            "memory_id",
            "memory_type",
            "content",
            "confidence",
            "category",
            "subcategory",
            "created_at",
            "updated_at",
            "source_document_id"
        ])
    );
    assert_eq!(m["memory_id"], memory_id);
    assert_eq!(m["content"], "I only drink decaf after 3pm.");
    assert_eq!(m["memory_type"], "preference");
    assert_eq!(m["category"], "preferences");
    let confidence = m["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence), "{confidence}");
    assert_eq!(m["created_at"], v["completed_at"]);
    assert_eq!(m["updated_at"], Value::Null);
    assert_eq!(m["source_document_id"], "chat-2025-01-15-user-789");
}

#[test]
fn the_log_keeps_the_body_as_sent() {
    let emu = start_instant();
    let body = example().to_string();
    let r = request(&emu, "POST", CREATE, &[AUTH], Some(&body));
    assert_eq!(r.status, 200);
    let log = logged(&emu, &format!("?path={CREATE}"));
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["body"], body.as_str());
    let sent: Value = serde_json::from_str(log[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(keys(&sent).len(), 9);
}

#[test]
fn optional_keys_take_defaults_and_an_id_is_assigned() {
    let emu = start_instant();
    let ack = post(&emu, CREATE, &json!({"document": "We met at the Berlin office last year."})).json();
    let doc = ack["document_id"].as_str().unwrap();
    assert!(doc.len() == 12 && doc.starts_with("doc-") && doc[4..].bytes().all(|b| b.is_ascii_hexdigit()), "{doc}");
    let v = get(&emu, &status_path(ack["ingestion_id"].as_str().unwrap())).json();
    assert_eq!(v["status"], "completed");
    assert_eq!(v["document_id"], doc);
    let m = get(&emu, &memory_path(v["memory_ids"][0].as_str().unwrap())).json();
    assert_eq!(m["source_document_id"], doc);
    assert_eq!(m["memory_type"], "episode");
}

#[test]
fn an_object_document_yields_memories_from_its_strings() {
    let emu = start_instant();
    let doc = json!({"messages": [{"text": "I feel anxious about the launch."}, {"text": "The launch is on Friday."}]});
    let ack = post(&emu, CREATE, &json!({"document": doc, "document_type": "document", "mode": "fast"})).json();
    let v = get(&emu, &status_path(ack["ingestion_id"].as_str().unwrap())).json();
    let ids = v["memory_ids"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    let memories: Vec<Value> = ids.iter().map(|id| get(&emu, &memory_path(id.as_str().unwrap())).json()).collect();
    assert_eq!(memories[0]["content"], "I feel anxious about the launch.");
    assert_eq!(memories[0]["memory_type"], "emotion");
    assert_eq!(memories[1]["content"], "The launch is on Friday.");
    assert_eq!(memories[1]["memory_type"], "temporal_event");
    assert_eq!(memories[1]["subcategory"], "friday");
}

/// (body, loc of the first error, its type)
fn invalid_bodies() -> Vec<(Value, Value, &'static str)> {
    let with = |key: &str, value: Value| {
        let mut b = example();
        b[key] = value;
        b
    };
    let without = |key: &str| {
        let mut b = example();
        b.as_object_mut().unwrap().remove(key);
        b
    };
    vec![
        (without("document"), json!(["body", "document"]), "missing"),
        (with("document", json!("")), json!(["body", "document"]), "value_error"),
        (with("document", json!("  \n")), json!(["body", "document"]), "value_error"),
        (with("document", json!({})), json!(["body", "document"]), "value_error"),
        (with("document", json!(["a"])), json!(["body", "document"]), "string_type"),
        (with("document", Value::Null), json!(["body", "document"]), "string_type"),
        (with("document_type", json!("note")), json!(["body", "document_type"]), "enum"),
        (with("document_type", Value::Null), json!(["body", "document_type"]), "enum"),
        (with("mode", json!("Fast")), json!(["body", "mode"]), "enum"),
        (with("metadata", Value::Null), json!(["body", "metadata"]), "dict_type"),
        (with("metadata", json!("x")), json!(["body", "metadata"]), "dict_type"),
        (with("scope", json!(["acme"])), json!(["body", "scope"]), "dict_type"),
        (with("scope", json!({"customer": "acme", "team": 7})), json!(["body", "scope", "team"]), "string_type"),
        (
            with("document_created_at", json!("15/01/2025")),
            json!(["body", "document_created_at"]),
            "datetime_from_date_parsing",
        ),
        (with("document_created_at", json!(1736937000)), json!(["body", "document_created_at"]), "datetime_type"),
        (with("document_id", json!(42)), json!(["body", "document_id"]), "string_type"),
        (with("user_id", json!(true)), json!(["body", "user_id"]), "string_type"),
        (with("customer_id", json!({})), json!(["body", "customer_id"]), "string_type"),
        (json!(["not", "an", "object"]), json!(["body"]), "model_attributes_type"),
    ]
}

#[test]
fn invalid_bodies_get_fastapi_422s() {
    let emu = start_instant();
    for (body, loc, kind) in invalid_bodies() {
        let r = post(&emu, CREATE, &body);
        assert_eq!(r.status, 422, "{body}: {}", r.text());
        let v = r.json();
        let detail = v["detail"].as_array().unwrap_or_else(|| panic!("{v}"));
        assert_eq!(detail.len(), 1, "{v}");
        assert_eq!(detail[0]["loc"], loc, "{body}");
        assert_eq!(detail[0]["type"], kind, "{body}");
        assert!(!detail[0]["msg"].as_str().unwrap().is_empty());
    }
    // Every error at once, as pydantic reports them.
    let r = post(&emu, CREATE, &json!({"document_type": "note", "mode": "slow"}));
    let locs: Vec<Value> = r.json()["detail"].as_array().unwrap().iter().map(|e| e["loc"].clone()).collect();
    assert_eq!(locs, [json!(["body", "document"]), json!(["body", "document_type"]), json!(["body", "mode"])]);
    let r = post(&emu, CREATE, &json!({"document": "x", "mode": "slow"}));
    assert_eq!(r.json()["detail"][0]["msg"], "Input should be 'fast' or 'long-range'");
    // Nothing was queued for any of them.
    assert_eq!(post(&emu, CREATE, &example()).status, 200);
}

#[test]
fn unreadable_bodies_are_422_too() {
    let emu = start_instant();
    for (body, kind) in
        [("", "missing"), ("null", "missing"), ("{\"document\": ", "json_invalid"), ("{'a': 1}", "json_invalid")]
    {
        let r = request(&emu, "POST", CREATE, &[AUTH], Some(body));
        assert_eq!(r.status, 422, "{body:?}: {}", r.text());
        assert_eq!(r.json()["detail"][0]["type"], kind, "{body:?}");
        assert_eq!(r.json()["detail"][0]["loc"][0], "body");
    }
}

#[test]
fn every_section_9_datetime_form_is_accepted() {
    let emu = start_instant();
    for ts in [
        "2025-01-15T10:30:00Z",
        "2025-01-15T10:30:00.123456+05:30",
        "2025-01-15T10:30:00.123000",
        "2025-01-15 10:30:00",
        "2025-01-15",
        "20250115T103000Z",
        "2025-W03-3T10:30:00",
    ] {
        let r = post(&emu, CREATE, &json!({"document": "A document with words.", "document_created_at": ts}));
        assert_eq!(r.status, 200, "{ts}: {}", r.text());
    }
}

#[test]
fn b2b_instances_need_customer_id_with_user_id() {
    let emu = start_instant();
    let doc =
        |user: Value, customer: Value| json!({"document": "Prefers tea.", "user_id": user, "customer_id": customer});
    let r = post(&emu, CREATE, &doc(json!("u1"), Value::Null));
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"detail": "user_id requires customer_id on this instance"}));
    assert_eq!(post(&emu, CREATE, &doc(json!("u1"), json!("c1"))).status, 200);
    assert_eq!(post(&emu, CREATE, &doc(Value::Null, json!("c1"))).status, 200);
    assert_eq!(post(&emu, CREATE, &doc(Value::Null, Value::Null)).status, 200);
}

#[test]
fn b2c_instances_refuse_customer_id() {
    let emu = Emulator::start(Config {
        user_context_isolation: Some("equals_customer".into()),
        create_done_after_ms: 0,
        ..Config::default()
    })
    .unwrap();
    let doc =
        |user: Value, customer: Value| json!({"document": "Prefers tea.", "user_id": user, "customer_id": customer});
    for customer in [json!("c1"), json!("")] {
        let r = post(&emu, CREATE, &doc(json!("u1"), customer));
        assert_eq!(r.status, 400);
        assert!(r.json()["detail"].as_str().unwrap().starts_with("customer_id is not accepted"), "{}", r.text());
    }
    assert_eq!(post(&emu, CREATE, &doc(json!("u1"), Value::Null)).status, 200);
    assert_eq!(post(&emu, CREATE, &doc(Value::Null, Value::Null)).status, 200);
}

#[test]
fn a_document_id_is_taken_once() {
    let emu = start_instant();
    let body = json!({"document": "Lives in Oslo with two cats.", "document_id": "dup-1"});
    assert_eq!(post(&emu, CREATE, &body).status, 200);
    let r = post(&emu, CREATE, &body);
    assert_eq!(r.status, 409);
    assert_eq!(r.json(), json!({"detail": "document_id already exists: dup-1"}));
    // Null ids never clash; a failed job still holds its id.
    let anon = json!({"document": "Lives in Oslo with two cats."});
    assert_eq!(post(&emu, CREATE, &anon).status, 200);
    assert_eq!(post(&emu, CREATE, &anon).status, 200);
    let failing = json!({"document": "FAIL_INGEST now", "document_id": "dup-2"});
    assert_eq!(post(&emu, CREATE, &failing).status, 200);
    assert_eq!(post(&emu, CREATE, &failing).status, 409);
}

#[test]
fn markers_make_jobs_fail_or_partly_succeed() {
    let emu = start_instant();
    let ack = post(&emu, CREATE, &json!({"document": "Please FAIL_INGEST this document."})).json();
    assert_eq!(ack["status"], "queued");
    let v = get(&emu, &status_path(ack["ingestion_id"].as_str().unwrap())).json();
    assert_eq!(v["status"], "failed");
    assert_eq!(v["memories_created"], 0);
    assert_eq!(v["memory_ids"], json!([]));
    assert_eq!(v["error_message"], "extraction failed: the document contains FAIL_INGEST");

    let body = json!({"document": "PARTIAL_INGEST. I love long walks. I hate loud music."});
    let ack = post(&emu, CREATE, &body).json();
    let v = get(&emu, &status_path(ack["ingestion_id"].as_str().unwrap())).json();
    assert_eq!(v["status"], "partial_success");
    assert_eq!(v["error_message"], "entity resolution timed out for 1 of 3 extractions");
    let ids = v["memory_ids"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    let contents: Vec<Value> =
        ids.iter().map(|id| get(&emu, &memory_path(id.as_str().unwrap())).json()["content"].clone()).collect();
    assert_eq!(contents, [json!("I love long walks."), json!("I hate loud music.")]);
}

#[test]
fn timing_can_change_at_run_time() {
    let emu = start_control();
    let r = control(&emu, "config", &json!({}));
    assert_eq!(r.json()["create_processing_after_ms"], 500);
    assert_eq!(r.json()["create_done_after_ms"], 2000);
    control(&emu, "config", &json!({"create_processing_after_ms": 600_000, "create_done_after_ms": 600_000}));
    let first = post(&emu, CREATE, &json!({"document": "Queued for a while."})).json();
    let r = control(&emu, "config", &json!({"create_processing_after_ms": 0, "create_done_after_ms": 0}));
    assert_eq!(r.json()["create_done_after_ms"], 0);
    let second = post(&emu, CREATE, &json!({"document": "Done at once."})).json();
    assert_eq!(get(&emu, &status_path(second["ingestion_id"].as_str().unwrap())).json()["status"], "completed");
    // A job keeps the timing it was queued with.
    assert_eq!(get(&emu, &status_path(first["ingestion_id"].as_str().unwrap())).json()["status"], "queued");
    for bad in [json!({"create_done_after_ms": -1}), json!({"create_done_after_ms": "5"})] {
        let r = request(&emu, "POST", "/_emulator/config", &[], Some(&bad.to_string()));
        assert_eq!(r.status, 400, "{bad}");
    }
}

#[test]
fn auth_methods_and_faults() {
    let emu = start_instant();
    let body = example().to_string();
    // Auth is checked before the body.
    let r = request(&emu, "POST", CREATE, &[], Some("not json"));
    assert_eq!(r.status, 401);
    let r = request(&emu, "POST", CREATE, &[("Authorization", "Bearer nope")], Some(&body));
    assert_eq!(r.status, 401);
    let r = get(&emu, CREATE);
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));

    // A scripted 503 answers instead of the route and queues nothing, so
    // the retry with the same document_id succeeds.
    fault(
        &emu,
        CREATE,
        1,
        json!({"kind": "respond", "status": 503, "headers": {"Retry-After": "1"}, "body": "{\"detail\":\"busy\"}"}),
    );
    let r = request(&emu, "POST", CREATE, &[AUTH], Some(&body));
    assert_eq!((r.status, r.text().as_str()), (503, "{\"detail\":\"busy\"}"));
    assert_eq!(request(&emu, "POST", CREATE, &[AUTH], Some(&body)).status, 200);
    assert_eq!(logged(&emu, &format!("?path={CREATE}")).len(), 5);
}
