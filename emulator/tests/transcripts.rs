//! POST /v1/conversations/ingest: id coercion, both transcript forms, the
//! ingestion job, the compaction it starts, dedupe and conflict.

mod reads;

use std::thread;
use std::time::{Duration, Instant};

use reads::{Api, all_items};
use serde_json::{Value, json};
use synap_emulator::Config;

const INGEST: &str = "/v1/conversations/ingest";
/// `uuid.uuid5(uuid.NAMESPACE_URL, "call-8812")`.
const CALL_UUID: &str = "5a0b2935-9bb5-5de8-8b14-cc1f3069d301";

fn call(transcript: Value) -> Value {
    json!({"conversation_id": "call-8812", "user_id": "+14155550123", "customer_id": "cust_456",
           "conversation_type": "voice", "transcript": transcript,
           "started_at": "2025-01-15T10:00:00+00:00", "ended_at": "2025-01-15T10:06:41+00:00"})
}

fn turns() -> Value {
    json!([
        {"role": "user", "content": "I want a refund for order 8812.", "timestamp": "2025-01-15T10:00:04Z", "speaker": "Caller", "metadata": null},
        {"role": "assistant", "content": "I will process it today.", "timestamp": null, "speaker": "Agent", "metadata": {"x": 1}, "sentiment": "calm"},
    ])
}

fn wait_job(api: &Api, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let s = api.get(&format!("/api/v1/memories/status/{id}")).body;
        if ["completed", "failed", "partial_success"].contains(&s["status"].as_str().unwrap()) {
            return s;
        }
        assert!(Instant::now() < deadline, "{s}");
        thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_transcript_is_recorded_queued_and_compacted() {
    let api = Api::with(Config { seed_demo: false, compaction_done_after_ms: 0, ..Config::default() });
    let r = api.post(INGEST, &call(turns()));
    assert_eq!(r.status, 200, "{}", r.body);
    let b = r.body;
    assert_eq!(
        (b["conversation_id"].as_str(), b["external_conversation_id"].as_str()),
        (Some(CALL_UUID), Some("call-8812"))
    );
    assert_eq!(
        (b["status"].as_str(), b["turns_recorded"].as_u64(), b["summary_status"].as_str()),
        (Some("queued"), Some(2), Some("in_progress"))
    );
    assert!(b["queued_at"].as_str().unwrap().ends_with('Z') && b["warnings"] == json!([]));
    let ingestion_id = b["ingestion_id"].as_str().unwrap().to_owned();

    // The job is followed like a created document's, and its memories are
    // the user's, in the call's conversation.
    let job = wait_job(&api, &ingestion_id);
    assert_eq!(
        (job["status"].as_str(), job["document_id"].as_str(), job["memories_created"].as_u64()),
        (Some("completed"), Some("call-8812"), Some(1))
    );
    let f = api.fetch("conversation", json!({"conversation_id": CALL_UUID, "search_query": ["refund"]}));
    let items = all_items(&f);
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["content"].as_str(), items[0]["said_at"].as_str()),
        (Some("I want a refund for order 8812."), Some("2025-01-15T10:00:04Z"))
    );
    let u =
        api.fetch("user", json!({"user_id": "+14155550123", "customer_id": "cust_456", "search_query": ["refund"]}));
    assert_eq!(all_items(&u).len(), 1);

    // The turns, dated by their timestamps, else a second after the one before.
    let listed = api.get(&format!("/v1/conversations/{CALL_UUID}/messages")).body;
    let t = listed["turns"].as_array().unwrap();
    assert_eq!(t.len(), 2);
    assert_eq!(
        (t[0]["timestamp"].as_str(), t[1]["timestamp"].as_str()),
        (Some("2025-01-15T10:00:04Z"), Some("2025-01-15T10:00:05Z"))
    );
    assert_eq!((t[0]["role"].as_str(), t[1]["role"].as_str()), (Some("user"), Some("assistant")));

    // The compaction it started is done; the summary mode entry says so.
    let s = api.get(&format!("/v1/conversations/{CALL_UUID}/compaction/status")).body;
    assert_eq!(s["status"], "completed");
    let c = api.get(&format!("/v1/conversations/{CALL_UUID}/compacted")).body;
    assert_eq!(c["trigger_type"], "transcript_ingest");
    let summary = api.fetch(
        "user",
        json!({"user_id": "+14155550123", "customer_id": "cust_456",
        "context_mode": "conversation-summary", "include_profile": false, "last_n_conversations": 5}),
    );
    let conv = &summary["conversations"][0];
    assert_eq!(
        (conv["conversation_id"].as_str(), conv["external_conversation_id"].as_str()),
        (Some(CALL_UUID), Some("call-8812"))
    );
    assert_eq!(
        (conv["conversation_type"].as_str(), conv["summary_status"].as_str()),
        (Some("voice"), Some("available"))
    );
    assert_eq!(
        (conv["started_at"].as_str(), conv["ended_at"].as_str()),
        (Some("2025-01-15T10:00:00Z"), Some("2025-01-15T10:06:41Z"))
    );

    // The same push again: a duplicate with the first job.
    let again = api.post(INGEST, &call(turns())).body;
    assert_eq!(
        (again["status"].as_str(), again["ingestion_id"].as_str()),
        (Some("duplicate"), Some(ingestion_id.as_str()))
    );
    assert_eq!(
        (again["summary_status"].as_str(), again["turns_recorded"].as_u64()),
        (Some("already_compacted"), Some(2))
    );
    assert_eq!(again["queued_at"], b["queued_at"]);
    assert_eq!(api.get(&format!("/v1/conversations/{CALL_UUID}/messages")).body["total"], 2);

    // Another transcript under the same id: refused.
    let r = api.post(INGEST, &call(json!("User: Something else entirely.")));
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.body["detail"]["code"], "transcript_conflict");
    assert!(r.body["detail"]["message"].as_str().unwrap().contains("call-8812"));
    assert_eq!(r.body["detail"]["ingestion_id"].as_str(), Some(ingestion_id.as_str()));
}

#[test]
fn string_transcripts_and_uuid_ids() {
    let api = Api::start();
    let id = "6F1C9E2A-3B7D-4A58-9C0E-2D4B6A8F1E37";
    let mut body = call(json!(
        "Caller: Hi, I need help.\nUser: My card was charged twice this morning.\n  It was 40 dollars.\nAgent: Let me check."
    ));
    body["conversation_id"] = json!(id);
    body.as_object_mut().unwrap().remove("started_at");
    let r = api.post(INGEST, &body).body;
    assert_eq!(
        (r["conversation_id"].as_str(), r["external_conversation_id"].as_str()),
        (Some(id.to_lowercase().as_str()), Some(id))
    );
    assert_eq!(r["turns_recorded"], 3);
    assert_eq!(r["warnings"][0], "no started_at and no turn timestamps: the turns and their memories are dated now");
    let listed = api.get(&format!("/v1/conversations/{id}/messages")).body;
    let got: Vec<(String, String)> = listed["turns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["role"].as_str().unwrap().to_owned(), t["content"].as_str().unwrap().to_owned()))
        .collect();
    // Labels other than user/human are the assistant, as the SDK documents.
    assert_eq!(
        got,
        [
            ("assistant".to_owned(), "Hi, I need help.".to_owned()),
            ("user".to_owned(), "My card was charged twice this morning.\nIt was 40 dollars.".to_owned()),
            ("assistant".to_owned(), "Let me check.".to_owned()),
        ]
    );
    // A UUID id names the conversation whatever its form; the job's memories
    // come from the user's turn only.
    let job = wait_job(&api, r["ingestion_id"].as_str().unwrap());
    assert_eq!(job["memories_created"], 2);
    // The duplicate check compares the transcript itself, not the id's form.
    body["conversation_id"] = json!(id.to_lowercase());
    assert_eq!(api.post(INGEST, &body).body["status"], "duplicate");
}

#[test]
fn ingest_into_a_conversation_with_messages_keeps_them() {
    let api = Api::with(Config { seed_demo: false, compaction_done_after_ms: 600_000, ..Config::default() });
    let conv = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";
    let recorded = api.post(
        "/v1/conversations/messages",
        &json!({"conversation_id": conv, "role": "user", "content": "Hello there friend", "user_id": "+14155550123", "customer_id": "cust_456"}),
    );
    assert_eq!(recorded.status, 200);
    let compact = api.post("/v1/conversations/compact", &json!({"conversation_id": conv}));
    assert_eq!(compact.body["status"], "in_progress");
    let mut body = call(turns());
    body["conversation_id"] = json!(conv);
    let r = api.post(INGEST, &body).body;
    // A compaction is running, so the ingest starts none.
    assert_eq!((r["summary_status"].as_str(), r["turns_recorded"].as_u64()), (Some("skipped"), Some(2)));
    assert_eq!(r["warnings"], json!(["the conversation already had 1 messages; they were kept"]));
    assert_eq!(api.get(&format!("/v1/conversations/{conv}/messages")).body["total"], 3);
    let again = api.post(INGEST, &body).body;
    assert_eq!((again["status"].as_str(), again["summary_status"].as_str()), (Some("duplicate"), Some("in_progress")));
}

#[test]
fn ingest_validation_and_tenancy() {
    let api = Api::start();
    let check = |body: Value, loc: Value, kind: &str| {
        let r = api.post(INGEST, &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        let found = r.body["detail"].as_array().unwrap().iter().any(|e| e["loc"] == loc && e["type"] == kind);
        assert!(found, "{loc} {kind} in {}", r.body);
    };
    let with = |k: &str, v: Value| {
        let mut b = call(turns());
        b[k] = v;
        b
    };
    check(with("transcript", json!("")), json!(["body", "transcript"]), "value_error");
    check(with("transcript", json!([])), json!(["body", "transcript"]), "value_error");
    check(with("transcript", json!(5)), json!(["body", "transcript"]), "string_type");
    check(
        with("transcript", json!([{"role": "system", "content": "x"}])),
        json!(["body", "transcript", 0, "role"]),
        "enum",
    );
    check(with("transcript", json!([{"role": "user"}])), json!(["body", "transcript", 0, "content"]), "missing");
    check(
        with("transcript", json!([{"role": "user", "content": "x", "timestamp": "soon"}])),
        json!(["body", "transcript", 0, "timestamp"]),
        "datetime_from_date_parsing",
    );
    check(with("conversation_id", json!("")), json!(["body", "conversation_id"]), "string_too_short");
    check(with("user_id", json!("")), json!(["body", "user_id"]), "string_too_short");
    check(with("conversation_type", json!("v".repeat(65))), json!(["body", "conversation_type"]), "string_too_long");
    check(with("analysis", json!({"blob": "x".repeat(70_000)})), json!(["body", "analysis"]), "value_error");
    check(with("metadata", json!("x")), json!(["body", "metadata"]), "dict_type");
    check(with("started_at", json!(1736935200)), json!(["body", "started_at"]), "datetime_type");
    let mut missing = call(turns());
    missing.as_object_mut().unwrap().remove("transcript");
    check(missing, json!(["body", "transcript"]), "missing");

    let r = api.post(INGEST, &with("customer_id", Value::Null));
    assert_eq!((r.status, r.body["detail"].as_str()), (400, Some("user_id requires customer_id on this instance")));
    let b2c = Api::with(Config { user_context_isolation: Some("equals_customer".into()), ..Config::default() });
    assert_eq!(b2c.post(INGEST, &call(turns())).status, 400);
    let mut own = call(turns());
    own.as_object_mut().unwrap().remove("customer_id");
    assert_eq!(b2c.post(INGEST, &own).status, 200);
    assert_eq!(api.anonymous("POST", INGEST).status, 401);
    assert_eq!(api.get(INGEST).status, 405);
}

#[test]
fn markers_end_the_job_as_for_documents() {
    let api = Api::start();
    let mut body = call(json!("User: Please FAIL_INGEST this call."));
    body["conversation_id"] = json!("call-fail");
    let r = api.post(INGEST, &body).body;
    assert_eq!(r["status"], "queued");
    let job = wait_job(&api, r["ingestion_id"].as_str().unwrap());
    assert_eq!(job["status"], "failed");
    assert!(job["error_message"].as_str().unwrap().contains("FAIL_INGEST"));
}
