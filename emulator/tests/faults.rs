//! Each fault kind, its ordering and counting, and that faulted requests are logged.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use synap_emulator::DEMO_FAILED_ID;

#[test]
fn respond_sends_status_headers_and_verbatim_body() {
    let emu = start_control();
    let path = status_path(DEMO_FAILED_ID);
    fault(
        &emu,
        &path,
        2,
        json!({"kind": "respond", "status": 503, "headers": {"Retry-After": "2", "X-Extra": 7},
               "body": "{\"detail\": \"Service Unavailable\"}"}),
    );
    let mut c = Conn::open(&emu);
    for _ in 0..2 {
        let r = c.send("GET", &path, &[AUTH, ("X-Correlation-ID", "abc")], None);
        assert_eq!(r.status, 503);
        assert_eq!(r.header("retry-after"), Some("2"));
        assert_eq!(r.header("x-extra"), Some("7"));
        assert_eq!(r.header("x-correlation-id"), Some("abc"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.text(), r#"{"detail": "Service Unavailable"}"#);
    }
    // Used up: normal handling again, on the same connection.
    assert_eq!(c.send("GET", &path, &[AUTH], None).status, 200);
}

#[test]
fn respond_defaults_and_header_overrides() {
    let emu = start_control();
    fault(&emu, "/health", 1, json!({"kind": "respond", "status": 429, "headers": {"content-type": "text/plain"}}));
    let r = request(&emu, "GET", "/health", &[], None);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    assert!(r.body.is_empty());
    assert_eq!(r.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("content-type")).count(), 1);
}

#[test]
fn faults_queue_in_order_and_apply_before_auth() {
    let emu = start_control();
    let path = status_path(DEMO_FAILED_ID);
    fault(&emu, &path, 1, json!({"kind": "respond", "status": 500}));
    fault(&emu, &path, 1, json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "0"}}));
    fault(&emu, "/other", 1, json!({"kind": "respond", "status": 502}));
    let mut c = Conn::open(&emu);
    // No Authorization at all: the faults still answer.
    assert_eq!(c.send("GET", &path, &[], None).status, 500);
    assert_eq!(c.send("GET", &path, &[], None).status, 429);
    assert_eq!(c.send("GET", &path, &[], None).status, 401);
    assert_eq!(c.send("GET", "/other", &[], None).status, 502);
}

#[test]
fn wildcard_matches_any_non_control_path() {
    let emu = start_control();
    fault(&emu, "*", 2, json!({"kind": "respond", "status": 504}));
    // Control requests neither match nor use it up.
    assert!(logged(&emu, "").is_empty());
    assert_eq!(request(&emu, "GET", "/health", &[], None).status, 504);
    assert_eq!(request(&emu, "GET", "/no/such/route", &[], None).status, 504);
    assert_eq!(request(&emu, "GET", "/health", &[], None).status, 200);
}

#[test]
fn delay_then_normal() {
    let emu = start_control();
    fault(&emu, "/health", 1, json!({"kind": "delay", "ms": 300}));
    let t0 = Instant::now();
    let r = request(&emu, "GET", "/health", &[], None);
    assert!(t0.elapsed() >= Duration::from_millis(300));
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"status": "ok"}));
    let ms: u64 = r.header("x-synap-server-ms").unwrap().parse().unwrap();
    assert!(ms >= 300, "{ms}");
}

#[test]
fn garbage_is_non_json_and_keeps_the_connection() {
    let emu = start_control();
    let path = status_path(DEMO_FAILED_ID);
    fault(&emu, &path, 1, json!({"kind": "garbage"}));
    let mut c = Conn::open(&emu);
    let r = c.send("GET", &path, &[AUTH], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.text(), "<html>this is not json");
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    assert_eq!(c.send("GET", &path, &[AUTH], None).status, 200);
}

#[test]
fn truncate_sends_half_a_body_then_closes() {
    let emu = start_control();
    let path = status_path(DEMO_FAILED_ID);
    let full = get(&emu, &path).body.len();
    fault(&emu, &path, 1, json!({"kind": "truncate"}));
    let mut c = Conn::open(&emu);
    c.write_request("GET", &path, &[AUTH], None);
    let raw = String::from_utf8(c.read_to_end()).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    let announced: usize = head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).unwrap().parse().unwrap();
    assert!(announced.abs_diff(full) <= 2, "{announced} vs {full}");
    assert_eq!(body.len(), announced / 2);
    assert!(body.starts_with("{\"ingestion_id\":"));
    assert!(serde_json::from_str::<serde_json::Value>(body).is_err());
}

#[test]
fn drop_closes_without_a_byte() {
    let emu = start_control();
    fault(&emu, "/health", 1, json!({"kind": "drop"}));
    let mut c = Conn::open(&emu);
    c.write_request("GET", "/health", &[], None);
    assert!(c.read_to_end().is_empty());
    // The next connection is served normally.
    assert_eq!(request(&emu, "GET", "/health", &[], None).status, 200);
}

#[test]
fn faulted_requests_are_logged_and_reset_clears_faults() {
    let emu = start_control();
    fault(&emu, "/health", 1, json!({"kind": "drop"}));
    let mut c = Conn::open(&emu);
    c.write_request("GET", "/health", &[("X-Correlation-ID", "dropped")], None);
    c.read_to_end();
    let log = logged(&emu, "?path=/health");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["headers"]["x-correlation-id"], "dropped");

    fault(&emu, "/health", 5, json!({"kind": "respond", "status": 500}));
    control(&emu, "reset", &json!({}));
    assert_eq!(request(&emu, "GET", "/health", &[], None).status, 200);
}
