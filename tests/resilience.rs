//! The hostile-server matrix: each case scripts a fault through the
//! emulator's control endpoint and checks the code, the attempts the
//! emulator saw, and a bound on the time the call took.

mod common;

use std::time::{Duration, Instant};

use common::{Emu, STATUS_PATH};
use serde_json::{Value, json};
use synap::{Client, ClientOptions, ErrorKind, MemoryStatus, RetryPolicy};

/// Backoff short enough for a test suite, long enough to measure.
const BASE: Duration = Duration::from_millis(100);

fn retrying(emu: &Emu) -> ClientOptions {
    let mut options = emu.options();
    options.retry(RetryPolicy::new(3, BASE, Duration::from_secs(2))).unwrap();
    options
}

struct Outcome {
    result: Result<MemoryStatus, synap::Error>,
    attempts: usize,
    elapsed: Duration,
}

/// Scripts `fault` for the next `count` requests of a fresh completed job,
/// calls status once with `options`, and reports what happened.
fn run(emu: &Emu, options: &ClientOptions, fault: Value, count: u32) -> Outcome {
    let id = emu.job(json!({"memories": 2}));
    emu.fault(&id, count, fault.clone());
    let client = Client::new(options).unwrap();
    let started = Instant::now();
    let result = client.memories_status(&id);
    let elapsed = started.elapsed();
    let seen = emu.requests(Some(&format!("{STATUS_PATH}{id}")));
    let ids: Vec<&str> = seen.iter().map(|r| r["headers"]["x-correlation-id"].as_str().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one correlation id across attempts: {ids:?}");
    if let Err(e) = &result {
        assert_eq!(e.correlation_id(), ids.last().copied(), "the error names the call's correlation id");
    }
    eprintln!(
        "{fault}: {:?} after {} attempts in {elapsed:?}",
        result.as_ref().map(|s| s.state().to_string()).map_err(|e| e.to_string()),
        seen.len()
    );
    Outcome { result, attempts: seen.len(), elapsed }
}

fn respond(status: u16, headers: Value, body: &str) -> Value {
    json!({"kind": "respond", "status": status, "headers": headers, "body": body})
}

fn kind(outcome: &Outcome) -> Option<ErrorKind> {
    outcome.result.as_ref().err().map(synap::Error::kind)
}

#[test]
fn rate_limit_with_retry_after_then_success_waits_as_asked() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), respond(429, json!({"Retry-After": "1"}), r#"{"detail":"slow down"}"#), 1);
    assert!(o.result.is_ok());
    assert_eq!(o.attempts, 2);
    assert!(o.elapsed >= Duration::from_secs(1), "waited the Retry-After: {:?}", o.elapsed);
    assert!(o.elapsed < Duration::from_secs(3), "{:?}", o.elapsed);
}

#[test]
fn decimal_retry_after_and_the_cap() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), respond(429, json!({"Retry-After": "0.3"}), "{}"), 1);
    assert!(o.result.is_ok());
    assert!(o.elapsed >= Duration::from_millis(300) && o.elapsed < Duration::from_secs(2), "{:?}", o.elapsed);
    // Retry-After: 60 is cut to the 2 s cap.
    let o = run(&emu, &retrying(&emu), respond(429, json!({"Retry-After": "60"}), "{}"), 1);
    assert!(o.result.is_ok());
    assert!(o.elapsed >= Duration::from_secs(2) && o.elapsed < Duration::from_secs(4), "{:?}", o.elapsed);
}

#[test]
fn service_unavailable_twice_then_success() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), respond(503, json!({}), r#"{"detail":"busy"}"#), 2);
    assert_eq!(o.result.unwrap().memories_created(), 2);
    assert_eq!(o.attempts, 3);
    // Backoff 100 ms then 200 ms, each plus up to 25 %.
    assert!(o.elapsed >= Duration::from_millis(300) && o.elapsed < Duration::from_secs(2), "{:?}", o.elapsed);
}

#[test]
fn server_error_every_time_uses_every_attempt() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), respond(500, json!({}), r#"{"detail":"boom"}"#), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Server));
    assert_eq!(o.attempts, 3);
    assert_eq!(o.result.unwrap_err().message(), "HTTP 500: boom");
    assert!(o.elapsed >= Duration::from_millis(300) && o.elapsed < Duration::from_secs(2), "{:?}", o.elapsed);
    let five =
        run(&emu, retrying(&emu).retry(RetryPolicy::new(5, BASE, BASE)).unwrap(), respond(500, json!({}), "{}"), 10);
    assert_eq!(five.attempts, 5, "max_attempts is honoured");
}

#[test]
fn credit_stop_is_never_retried() {
    let emu = Emu::start();
    let body = r#"{"detail":{"reason":"overages_disabled","message":"Credit balance is exhausted."}}"#;
    let o = run(&emu, &retrying(&emu), respond(429, json!({"Retry-After": "1"}), body), 10);
    assert_eq!(kind(&o), Some(ErrorKind::InsufficientCredits));
    assert_eq!(o.attempts, 1);
    assert!(o.elapsed < Duration::from_millis(500), "{:?}", o.elapsed);
}

#[test]
fn dropped_connection_is_retried_then_network() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), json!({"kind": "drop"}), 1);
    assert!(o.result.is_ok(), "recovers after one drop");
    assert_eq!(o.attempts, 2);
    let o = run(&emu, &retrying(&emu), json!({"kind": "drop"}), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Network));
    assert_eq!(o.attempts, 3);
    assert!(o.elapsed < Duration::from_secs(2), "{:?}", o.elapsed);
}

#[test]
fn truncated_body_is_retried_then_network() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), json!({"kind": "truncate"}), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Network));
    assert_eq!(o.attempts, 3);
    assert_eq!(o.result.unwrap_err().http_status(), Some(200));
    assert!(o.elapsed < Duration::from_secs(2), "{:?}", o.elapsed);
}

#[test]
fn garbage_json_is_not_retried() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), json!({"kind": "garbage"}), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Protocol));
    assert_eq!(o.attempts, 1);
    assert!(o.elapsed < Duration::from_millis(500), "{:?}", o.elapsed);
}

#[test]
fn gzip_body_is_decoded() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), json!({"kind": "gzip"}), 1);
    assert_eq!(o.result.unwrap().memory_ids().len(), 2);
    assert_eq!(o.attempts, 1);
    let seen = emu.requests(None);
    assert!(seen.iter().any(|r| r["headers"]["accept-encoding"].as_str().is_some_and(|v| v.contains("gzip"))));
}

#[test]
fn chunked_body_is_read_whole() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), json!({"kind": "chunked", "chunk_bytes": 5}), 1);
    assert_eq!(o.result.unwrap().memories_created(), 2);
    assert_eq!(o.attempts, 1);
}

#[test]
fn endless_body_stops_at_the_cap() {
    let emu = Emu::start();
    let mut options = retrying(&emu);
    options.max_body_bytes(1 << 20).unwrap();
    let o = run(&emu, &options, json!({"kind": "endless"}), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Protocol));
    assert_eq!(o.attempts, 1);
    assert_eq!(o.result.unwrap_err().message(), "response body is larger than the 1048576-byte cap");
    assert!(o.elapsed < Duration::from_secs(5), "{:?}", o.elapsed);
}

#[test]
fn trickle_is_cut_by_the_deadline() {
    let emu = Emu::start();
    let mut options = retrying(&emu);
    options.request_timeout(Duration::from_millis(400)).unwrap().deadline(Some(Duration::from_millis(1500))).unwrap();
    let o = run(&emu, &options, json!({"kind": "trickle", "interval_ms": 50}), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Timeout));
    assert!((2..=3).contains(&o.attempts), "{}", o.attempts);
    assert!(o.elapsed < Duration::from_millis(1500) + Duration::from_millis(300), "{:?}", o.elapsed);
}

#[test]
fn a_server_that_never_answers_is_bounded_by_the_deadline() {
    let emu = Emu::start();
    let mut options = retrying(&emu);
    options.deadline(Some(Duration::from_millis(800))).unwrap();
    let o = run(&emu, &options, json!({"kind": "delay", "ms": 20_000}), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Timeout));
    assert_eq!(o.attempts, 1);
    assert!(o.result.unwrap_err().message().starts_with("the call's deadline passed"));
    assert!(o.elapsed >= Duration::from_millis(800) && o.elapsed < Duration::from_millis(1100), "{:?}", o.elapsed);
}

#[test]
fn html_502_from_a_proxy_is_a_retried_server_error() {
    let emu = Emu::start();
    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let o = run(&emu, &retrying(&emu), respond(502, json!({"Content-Type": "text/html"}), html), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Server));
    assert_eq!(o.attempts, 3);
    let message = o.result.unwrap_err().message().to_owned();
    assert!(message.starts_with("HTTP 502: <html>"), "{message}");
    assert!(!message.contains('\n'));
}

#[test]
fn redirect_is_not_followed_nor_retried() {
    let emu = Emu::start();
    let o = run(&emu, &retrying(&emu), respond(307, json!({"Location": "https://elsewhere.example/steal"}), ""), 10);
    assert_eq!(kind(&o), Some(ErrorKind::Protocol));
    assert_eq!(o.attempts, 1);
    assert_eq!(o.result.unwrap_err().message(), "HTTP 307: redirect to https://elsewhere.example/steal not followed");
}

#[test]
fn refused_connections_are_retried() {
    let mut options = ClientOptions::new();
    options
        .api_key("synap_k")
        .unwrap()
        .base_url(&common::refused_url())
        .unwrap()
        .retry(RetryPolicy::new(3, BASE, Duration::from_secs(1)))
        .unwrap();
    let started = Instant::now();
    let e = Client::new(&options).unwrap().memories_status("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(started.elapsed() >= Duration::from_millis(300), "two backoffs: {:?}", started.elapsed());
}
