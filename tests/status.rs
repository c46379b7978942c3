//! `Client::memories_status` against the emulator over loopback: the wire
//! behaviour of the contract and every error reachable without retries.

mod common;

use std::time::{Duration, Instant};

use common::{Emu, STATUS_PATH, refused_url};
use serde_json::json;
use synap::{Client, ClientOptions, ErrorKind, IngestState};
use synap_emulator::{DEMO_FAILED_ID, DEMO_PARTIAL_ID, DEMO_PROGRESSING_ID, DEV_API_KEY};

fn expect_err(client: &Client, id: &str, kind: ErrorKind) -> synap::Error {
    let err = client.memories_status(id).expect_err("call should fail");
    assert_eq!(err.kind(), kind, "{err}");
    assert!(!err.message().contains(DEV_API_KEY), "key leaked: {err}");
    err
}

#[test]
fn completed_job_has_every_field() {
    let emu = Emu::start();
    let id = emu.job(json!({"document_id": "doc-1", "memories": 3}));
    let s = emu.client().memories_status(&id).unwrap();
    assert_eq!(s.ingestion_id().to_string(), id);
    assert_eq!(s.document_id(), "doc-1");
    assert_eq!(s.state(), &IngestState::Completed);
    assert!(s.started_at_us().unwrap() >= s.queued_at_us());
    assert!(s.completed_at_us().unwrap() >= s.started_at_us().unwrap());
    assert_eq!(s.memories_created(), 3);
    assert_eq!(s.memory_ids().len(), 3);
    for mem in s.memory_ids().iter() {
        assert!(uuid::Uuid::parse_str(mem).is_ok(), "{mem}");
    }
    assert_eq!(s.error_message(), None);
    let now_us = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() as i64;
    assert!((now_us - s.queued_at_us()).abs() < 60_000_000, "queued_at is about now");
}

#[test]
fn demo_jobs() {
    let emu = Emu::start();
    let client = emu.client();
    let failed = client.memories_status(DEMO_FAILED_ID).unwrap();
    assert_eq!(failed.state(), &IngestState::Failed);
    assert!(failed.error_message().is_some());
    let partial = client.memories_status(DEMO_PARTIAL_ID).unwrap();
    assert_eq!(partial.state(), &IngestState::PartialSuccess);
    assert_eq!(partial.memory_ids().len(), 1);
    assert!(partial.error_message().is_some());
    let first = client.memories_status(DEMO_PROGRESSING_ID).unwrap();
    assert!(!first.state().is_terminal(), "{}", first.state());
}

#[test]
fn jobs_advance_with_time() {
    let emu = Emu::start();
    let id = emu.job(json!({"processing_after_ms": 300, "done_after_ms": 900, "memories": 2}));
    let client = emu.client();
    let queued = client.memories_status(&id).unwrap();
    assert_eq!(queued.state(), &IngestState::Queued);
    assert_eq!(queued.started_at_us(), None);
    assert_eq!(queued.completed_at_us(), None);
    let mut seen = vec![queued.state().clone()];
    let deadline = Instant::now() + Duration::from_secs(10);
    while !seen.last().unwrap().is_terminal() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        let s = client.memories_status(&id).unwrap();
        if s.state() != seen.last().unwrap() {
            seen.push(s.state().clone());
        }
    }
    assert_eq!(seen, [IngestState::Queued, IngestState::Processing, IngestState::Completed]);
}

#[test]
fn request_carries_the_contract_headers() {
    let emu = Emu::start();
    let id = emu.job(json!({}));
    let client = emu.client();
    // Upper case in, canonical lower case on the wire.
    client.memories_status(&id.to_uppercase()).unwrap();
    client.memories_status(&id.replace('-', "")).unwrap();
    let log = emu.requests(Some(&format!("{STATUS_PATH}{id}")));
    assert_eq!(log.len(), 2, "{log:?}");
    let mut correlation_ids = Vec::new();
    for request in &log {
        assert_eq!(request["method"], "GET");
        let headers = &request["headers"];
        assert_eq!(headers["authorization"], format!("Bearer {DEV_API_KEY}"));
        assert_eq!(headers["user-agent"], format!("libsynap/{}", synap::VERSION));
        let cid = headers["x-correlation-id"].as_str().expect("correlation id sent");
        assert!(cid.starts_with("syn__") && cid.len() == "syn__1736937000412_9c41e7".len(), "{cid}");
        correlation_ids.push(cid.to_owned());
    }
    assert_ne!(correlation_ids[0], correlation_ids[1], "a fresh id per call");
}

#[test]
fn every_time_format_the_emulator_emits_parses() {
    let emu = Emu::start();
    let id = emu.job(json!({}));
    let client = emu.client();
    let reference = client.memories_status(&id).unwrap().queued_at_us();
    for (format, precision_us) in [("z", 1), ("naive", 1), ("offset", 1), ("millis", 1000), ("nanos", 1)] {
        emu.set_time_format(format);
        let s = client.memories_status(&id).unwrap();
        assert_eq!(s.queued_at_us() / precision_us, reference / precision_us, "{format}");
    }
}

#[test]
fn odd_bodies_within_the_contract() {
    let emu = Emu::start();
    let id = emu.raw_job(json!({
        "ingestion_id": "6F1C9E2A3B7D4A589C0E2D4B6A8F1E37",
        "document_id": "d", "status": "archived", "queued_at": "2025-01-15 10:30:00.1234567",
        "started_at": "", "completed_at": null, "memories_created": "2",
        "memory_ids": ["m1", "m2"], "error_message": null, "new_field": {"x": [1]}
    }));
    let s = emu.client().memories_status(&id).unwrap();
    assert_eq!(s.ingestion_id().to_string(), "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37");
    assert_eq!(s.state(), &IngestState::Unknown("archived".into()));
    assert_eq!(s.queued_at_us(), 1_736_937_000_123_456);
    assert_eq!(s.started_at_us(), None);
    assert_eq!(s.memories_created(), 2);
}

#[test]
fn missing_field_is_a_protocol_error_naming_it() {
    let emu = Emu::start();
    let id = emu.raw_job(json!({"ingestion_id": DEMO_FAILED_ID, "status": "queued", "queued_at": "2025-01-15"}));
    let err = expect_err(&emu.client(), &id, ErrorKind::Protocol);
    assert_eq!(err.message(), "invalid status response: field `document_id` is missing");
    assert_eq!(err.http_status(), Some(200));
    assert!(err.correlation_id().unwrap().starts_with("syn__"));
}

#[test]
fn malformed_ids_are_refused_before_any_request() {
    let emu = Emu::start();
    let client = emu.client();
    for bad in ["../../x", "", "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e3z", "6f1c9e2a/../../health"] {
        let err = expect_err(&client, bad, ErrorKind::InvalidArgument);
        assert!(err.message().starts_with("ingestion_id is not a UUID"), "{err}");
        assert_eq!(err.correlation_id(), None, "no request, so no correlation id");
    }
    assert!(emu.requests(None).is_empty(), "no request reached the server");
}

#[test]
fn unknown_key_is_auth() {
    let emu = Emu::start();
    let client = Client::new(emu.options().api_key("synap_wrong_key").unwrap()).unwrap();
    let err = expect_err(&client, DEMO_FAILED_ID, ErrorKind::Auth);
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(err.message(), "HTTP 401: Invalid API key");
    assert!(!err.message().contains("synap_wrong_key"));
}

#[test]
fn a_server_echoing_the_key_is_redacted() {
    let emu = Emu::start();
    emu.fault(
        DEMO_FAILED_ID,
        1,
        json!({"kind": "respond", "status": 401, "body": format!("{{\"detail\":\"key {DEV_API_KEY} revoked\"}}")}),
    );
    let err = expect_err(&emu.client(), DEMO_FAILED_ID, ErrorKind::Auth);
    assert_eq!(err.message(), "HTTP 401: key [redacted] revoked");
}

#[test]
fn unknown_id_is_not_found() {
    let emu = Emu::start();
    let err = expect_err(&emu.client(), "00000000-0000-4000-8000-000000000000", ErrorKind::NotFound);
    assert_eq!(err.http_status(), Some(404));
    assert_eq!(err.message(), "HTTP 404: Ingestion job not found");
}

#[test]
fn base_url_path_prefix_is_kept() {
    let emu = Emu::start();
    let client = Client::new(emu.options().base_url(&format!("{}/pfx/", emu.base_url)).unwrap()).unwrap();
    expect_err(&client, DEMO_FAILED_ID, ErrorKind::NotFound);
    let log = emu.requests(None);
    assert_eq!(log[0]["path"], format!("/pfx{STATUS_PATH}{DEMO_FAILED_ID}"));
}

/// Each scripted answer and the code it must give.
#[test]
fn http_errors_map_to_codes() {
    let emu = Emu::start();
    let client = emu.client();
    let cases = [
        (400, r#"{"detail":"bad"}"#, ErrorKind::InvalidRequest, "HTTP 400: bad"),
        (403, r#"{"detail":"Forbidden"}"#, ErrorKind::Auth, "HTTP 403: Forbidden"),
        (
            422,
            r#"{"detail":[{"loc":["path","ingestion_id"],"msg":"Input should be a valid UUID"}]}"#,
            ErrorKind::InvalidRequest,
            "HTTP 422: path.ingestion_id: Input should be a valid UUID",
        ),
        (
            402,
            r#"{"detail":{"reason":"overages_disabled","message":"Credit balance is exhausted."}}"#,
            ErrorKind::InsufficientCredits,
            "HTTP 402: Credit balance is exhausted.",
        ),
        (409, r#"{"detail":"Conflict here"}"#, ErrorKind::Conflict, "HTTP 409: Conflict here"),
        (
            429,
            r#"{"detail":{"reason":"trial_limit_reached","message":"Trial allowance used up."}}"#,
            ErrorKind::InsufficientCredits,
            "HTTP 429: Trial allowance used up. (trial_limit_reached)",
        ),
        (500, r#"{"detail":"Internal Server Error"}"#, ErrorKind::Server, "HTTP 500: Internal Server Error"),
        (503, "", ErrorKind::Server, "HTTP 503 Service Unavailable"),
        (
            502,
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            ErrorKind::Server,
            "HTTP 502: <html><body><h1>502 Bad Gateway</h1></body></html>",
        ),
        (408, "", ErrorKind::Timeout, "HTTP 408 Request Timeout"),
        (405, r#"{"detail":"Method Not Allowed"}"#, ErrorKind::InvalidRequest, "HTTP 405: Method Not Allowed"),
        (202, "{}", ErrorKind::Protocol, "HTTP 202: {}"),
    ];
    for (status, body, kind, message) in cases {
        emu.fault(DEMO_FAILED_ID, 1, json!({"kind": "respond", "status": status, "body": body}));
        let err = expect_err(&client, DEMO_FAILED_ID, kind);
        assert_eq!(err.http_status(), Some(status));
        assert_eq!(err.message(), message);
        assert!(err.correlation_id().is_some());
    }
}

#[test]
fn rate_limit_gives_retry_after() {
    let emu = Emu::start();
    let client = emu.client();
    for (header, expected) in [("7", 7000), ("1.5", 1500), ("Thu, 01 Jan 1970 00:00:00 GMT", 0)] {
        emu.fault(
            DEMO_FAILED_ID,
            1,
            json!({"kind": "respond", "status": 429, "headers": {"Retry-After": header},
                   "body": "{\"detail\":\"Rate limit exceeded\"}"}),
        );
        let err = expect_err(&client, DEMO_FAILED_ID, ErrorKind::RateLimited);
        assert_eq!(err.message(), "HTTP 429: Rate limit exceeded");
        assert_eq!(err.retry_after(), Some(Duration::from_millis(expected)), "{header}");
    }
}

#[test]
fn redirects_are_not_followed() {
    let emu = Emu::start();
    emu.fault(
        DEMO_FAILED_ID,
        1,
        json!({"kind": "respond", "status": 302, "headers": {"Location": "http://127.0.0.2:9/steal"}}),
    );
    let err = expect_err(&emu.client(), DEMO_FAILED_ID, ErrorKind::Protocol);
    assert_eq!(err.message(), "HTTP 302: redirect to http://127.0.0.2:9/steal not followed");
    assert_eq!(emu.requests(None).len(), 1);
}

#[test]
fn garbage_body_is_protocol() {
    let emu = Emu::start();
    emu.fault(DEMO_FAILED_ID, 1, json!({"kind": "garbage"}));
    let err = expect_err(&emu.client(), DEMO_FAILED_ID, ErrorKind::Protocol);
    assert!(err.message().starts_with("invalid status response: "), "{err}");
}

#[test]
fn truncated_body_is_network() {
    let emu = Emu::start();
    emu.fault(DEMO_FAILED_ID, 1, json!({"kind": "truncate"}));
    let err = expect_err(&emu.client(), DEMO_FAILED_ID, ErrorKind::Network);
    assert_eq!(err.message(), "the server closed the connection before the response was complete");
}

#[test]
fn dropped_connection_is_network() {
    let emu = Emu::start();
    emu.fault(DEMO_FAILED_ID, 1, json!({"kind": "drop"}));
    let err = expect_err(&emu.client(), DEMO_FAILED_ID, ErrorKind::Network);
    assert_eq!(err.http_status(), None);
    assert!(err.correlation_id().is_some());
}

#[test]
fn slow_server_times_out_within_the_request_timeout() {
    let emu = Emu::start();
    emu.fault(DEMO_FAILED_ID, 1, json!({"kind": "delay", "ms": 3000}));
    let client = Client::new(emu.options().request_timeout(Duration::from_millis(300)).unwrap()).unwrap();
    let started = Instant::now();
    let err = expect_err(&client, DEMO_FAILED_ID, ErrorKind::Timeout);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(290) && elapsed < Duration::from_millis(2000), "{elapsed:?}");
    assert_eq!(err.message(), "no complete response within 300 ms");
}

#[test]
fn refused_connection_is_network() {
    let mut options = ClientOptions::new();
    options.api_key(DEV_API_KEY).unwrap().base_url(&refused_url()).unwrap();
    let err = expect_err(&Client::new(&options).unwrap(), DEMO_FAILED_ID, ErrorKind::Network);
    assert_eq!(err.message(), "connection refused");
}

#[test]
fn tls_to_a_plain_http_server_is_tls() {
    let emu = Emu::start();
    let https = emu.base_url.replace("http://", "https://");
    let client = Client::new(emu.options().base_url(&https).unwrap()).unwrap();
    let err = expect_err(&client, DEMO_FAILED_ID, ErrorKind::Tls);
    assert!(err.message().starts_with("TLS failed"), "{err}");
}

#[test]
fn body_over_the_cap_is_protocol() {
    let emu = Emu::start();
    let client = Client::new(emu.options().max_body_bytes(100).unwrap()).unwrap();
    let err = expect_err(&client, DEMO_PARTIAL_ID, ErrorKind::Protocol);
    assert_eq!(err.message(), "response body is larger than the 100-byte cap");
}

#[test]
fn one_client_many_threads() {
    let emu = Emu::start();
    let ids: Vec<String> = (0..4).map(|i| emu.job(json!({"memories": i}))).collect();
    let client = emu.client();
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (client, ids) = (&client, &ids);
            scope.spawn(move || {
                for i in 0..50 {
                    let id = &ids[(t + i) % ids.len()];
                    let s = client.memories_status(id).unwrap();
                    assert_eq!(s.ingestion_id().to_string(), *id);
                    assert_eq!(s.memory_ids().len() as u64, s.memories_created());
                }
            });
        }
    });
}

#[test]
fn failures_after_a_200_keep_the_status() {
    let emu = Emu::start();
    emu.fault(DEMO_FAILED_ID, 1, json!({"kind": "truncate"}));
    let err = expect_err(&emu.client(), DEMO_FAILED_ID, ErrorKind::Network);
    assert_eq!(err.http_status(), Some(200), "truncated");
    let client = Client::new(emu.options().max_body_bytes(64).unwrap()).unwrap();
    let err = expect_err(&client, DEMO_FAILED_ID, ErrorKind::Protocol);
    assert_eq!(err.http_status(), Some(200), "over the cap");
}
