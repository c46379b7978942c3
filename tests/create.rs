//! `memories.create`, `batch_create` and `memories.get` against the
//! emulator: the body sent, the loop from ingestion to memories, every error
//! path, and the no-double-ingestion retry rule.

mod common;

use std::time::Duration;

use common::Emu;
use serde_json::{Value, json};
use synap::{CreateRequest, ErrorKind, IngestState, RetryPolicy, WaitOptions};

const CREATE: &str = "/api/v1/memories/create";
const BATCH: &str = "/api/v1/memories/batch";

fn fast_jobs(emu: &Emu) {
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 200}));
}

#[test]
fn ingest_wait_and_read_the_memories() {
    let emu = Emu::start();
    fast_jobs(&emu);
    let client = emu.client();
    let text = "User: I only drink decaf after 3pm.\nAssistant: Noted, decaf it is.";
    let mut request = CreateRequest::text(text);
    request.document_id("chat-1").user_id("u1").customer_id("c1");
    let ingestion = client.memories_create(&request).unwrap();
    assert_eq!((ingestion.document_id(), ingestion.state()), ("chat-1", &IngestState::Queued));

    let sent: Value = serde_json::from_str(emu.requests(Some(CREATE))[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent.as_object().unwrap().len(), 9, "all nine keys: {sent}");
    assert_eq!(sent["document"], text);
    assert_eq!(sent["document_type"], "ai-chat-conversation");
    assert_eq!(sent["metadata"], json!({}));

    let mut options = WaitOptions::new();
    options.timeout(Duration::from_secs(10)).unwrap().poll_interval(Duration::from_millis(50)).unwrap();
    let id = ingestion.ingestion_id().to_string();
    let status = client.memories_wait(&id, &options, None, |_| true).unwrap();
    assert_eq!(status.state(), &IngestState::Completed);
    assert!(!status.memory_ids().is_empty());
    for memory_id in status.memory_ids().iter() {
        let memory = client.memories_get(memory_id).unwrap();
        assert_eq!(memory.memory_id().to_string(), memory_id);
        assert_eq!(memory.source_document_id(), Some("chat-1"));
        assert!(memory.content().contains("decaf"), "{}", memory.content());
        assert!((0.0..=1.0).contains(&memory.confidence()));
        assert!(memory.created_at_us() >= status.queued_at_us());
    }
}

#[test]
fn refusals_map_to_codes() {
    let emu = Emu::start();
    let client = emu.client();
    let first = client.memories_create(CreateRequest::text("hello there friend").document_id("dup")).unwrap();
    let e = client.memories_create(CreateRequest::text("again and again").document_id("dup")).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Conflict, Some(409)));
    assert!(e.message().contains("document_id already exists: dup"), "{}", e.message());
    assert!(first.queued_at_us() > 0);

    let e = client.memories_create(&CreateRequest::text("   ")).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(422)));
    let e = client.memories_create(CreateRequest::text("some words here").user_id("u-only")).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(400)));

    let credit = r#"{"detail":{"reason":"overages_disabled","message":"Credit balance is exhausted."}}"#;
    emu.post_fault(CREATE, 1, json!({"kind": "respond", "status": 402, "body": credit}));
    let e = client.memories_create(&CreateRequest::text("a b c d")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InsufficientCredits);
}

#[test]
fn a_create_is_resent_only_when_it_provably_had_no_effect() {
    let emu = Emu::start();
    let client = synap::Client::new(
        emu.options().retry(RetryPolicy::new(3, Duration::from_millis(20), Duration::from_millis(50))).unwrap(),
    )
    .unwrap();
    let attempts = |emu: &Emu| emu.requests(Some(CREATE)).len();

    // 503 and 429: the service refused the request, so it is sent again.
    emu.post_fault(CREATE, 1, json!({"kind": "respond", "status": 503}));
    assert!(client.memories_create(&CreateRequest::text("one two three")).is_ok());
    assert_eq!(attempts(&emu), 2);
    emu.post_fault(CREATE, 1, json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "0"}}));
    assert!(client.memories_create(&CreateRequest::text("four five six")).is_ok());
    assert_eq!(attempts(&emu), 4);

    // 500, a dropped connection, a timeout: it may have been queued; never resent.
    for fault in [json!({"kind": "respond", "status": 500}), json!({"kind": "drop"})] {
        emu.post_fault(CREATE, 1, fault);
        let before = attempts(&emu);
        assert!(client.memories_create(&CreateRequest::text("seven eight nine")).is_err());
        assert_eq!(attempts(&emu), before + 1, "sent once");
    }
    let impatient = synap::Client::new(
        emu.options()
            .request_timeout(Duration::from_millis(200))
            .unwrap()
            .retry(RetryPolicy::new(3, Duration::from_millis(20), Duration::from_millis(50)))
            .unwrap(),
    )
    .unwrap();
    emu.post_fault(CREATE, 1, json!({"kind": "delay", "ms": 1000}));
    let before = attempts(&emu);
    assert_eq!(
        impatient.memories_create(&CreateRequest::text("ten eleven twelve")).unwrap_err().kind(),
        ErrorKind::Timeout
    );
    assert_eq!(attempts(&emu), before + 1, "a timed-out create is not resent");

    // A refused connection never reached anyone: resent, then Network.
    let refused = synap::Client::new(
        synap::ClientOptions::new()
            .api_key("k")
            .unwrap()
            .base_url(&common::refused_url())
            .unwrap()
            .retry(RetryPolicy::new(2, Duration::from_millis(10), Duration::from_millis(10)))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(refused.memories_create(&CreateRequest::text("x y z")).unwrap_err().kind(), ErrorKind::Network);
}

#[test]
fn b2c_instances_refuse_a_customer_id_locally_after_whoami() {
    let emu = Emu::start_with(synap_emulator::Config {
        user_context_isolation: Some("equals_customer".to_owned()),
        ..synap_emulator::Config::default()
    });
    let client = emu.client();
    assert!(client.whoami().unwrap().is_b2c());
    let e = client.memories_create(CreateRequest::text("words words words").customer_id("c1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(emu.requests(Some(CREATE)).is_empty(), "refused before any request");
    assert!(client.memories_create(CreateRequest::text("words words words").user_id("u1")).is_ok());
}

#[test]
fn batch_results_come_back_in_order() {
    let emu = Emu::start();
    let client = emu.client();
    let mut email = CreateRequest::new();
    email
        .document_json(r#"{"subject":"Renewal","body":"The renewal is due in March."}"#)
        .unwrap()
        .document_type("email")
        .unwrap();
    let requests = [
        CreateRequest::text("first document has words").document_id("kb-1").clone(),
        CreateRequest::text("  ").document_id("kb-2").clone(),
        email,
    ];
    let batch = client.memories_batch_create(&requests, false).unwrap();
    assert_eq!(batch.counts(), (3, 2, 1));
    let results = batch.results();
    assert_eq!((results[0].document_id(), results[0].state()), ("kb-1", &IngestState::Queued));
    assert_eq!(results[1].state(), &IngestState::Failed);
    assert!(results[1].error_message().unwrap().contains("document"), "{:?}", results[1].error_message());
    assert_eq!(results[2].error_message(), None);
    let sent: Value = serde_json::from_str(emu.requests(Some(BATCH))[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent["fail_fast"], false);
    assert_eq!(sent["documents"].as_array().unwrap().len(), 3);

    let e = client.memories_batch_create(&requests[1..], true).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(422)));
    assert_eq!(client.memories_batch_create(&[], false).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn malformed_create_answers_are_protocol_errors_naming_the_field() {
    let emu = Emu::start();
    emu.post_fault(CREATE, 1, json!({"kind": "respond", "status": 200, "body": r#"{"ingestion_id":"x","document_id":"d","status":"queued","queued_at":"2025-01-15T10:30:00Z"}"#}));
    let e = emu.client().memories_create(&CreateRequest::text("a b c")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol);
    assert_eq!(e.message(), "invalid create response: field `ingestion_id` is not a UUID: \"x\"");
}

#[test]
fn a_request_without_a_document_is_refused_before_any_request() {
    let emu = Emu::start();
    let client = emu.client();
    let mut request = CreateRequest::new();
    request.user_id("u1");
    let e = client.memories_create(&request).unwrap_err();
    assert_eq!(
        (e.kind(), e.message()),
        (ErrorKind::InvalidArgument, "the request has no document: set its text or JSON first")
    );
    let e = client.memories_batch_create(&[CreateRequest::text("a b c"), request], false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().starts_with("requests[1]: the request has no document"), "{}", e.message());
    assert!(emu.requests(None).is_empty(), "nothing was sent: {:?}", emu.requests(None));
}
