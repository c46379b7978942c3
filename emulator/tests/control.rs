//! The control endpoint: scripted jobs, request log, reset, time formats.

mod common;

use std::thread::sleep;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use synap_emulator::{Config, DEMO_FAILED_ID, Emulator, TimeFormat};

#[test]
fn job_moves_queued_processing_terminal() {
    let emu = start_control();
    let t0 = Instant::now();
    let id =
        new_job(&emu, json!({"document_id": "d-1", "processing_after_ms": 200, "done_after_ms": 600, "memories": 3}));
    let at = |ms: u64| {
        let target = t0 + Duration::from_millis(ms);
        sleep(target.saturating_duration_since(Instant::now()));
        get(&emu, &status_path(&id)).json()
    };
    let v = at(0);
    assert_eq!(v["status"], "queued");
    assert_eq!(v["document_id"], "d-1");
    assert_eq!(v["started_at"], Value::Null);
    let v = at(400);
    assert_eq!(v["status"], "processing");
    assert!(v["started_at"].is_string());
    assert_eq!(v["completed_at"], Value::Null);
    assert!(v["memories_created"].as_u64().unwrap() < 3);
    let v = at(750);
    assert_eq!(v["status"], "completed");
    assert_eq!(v["memories_created"], 3);
    let ids: Vec<&str> = v["memory_ids"].as_array().unwrap().iter().map(|i| i.as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    assert!(v["started_at"].as_str().unwrap() < v["completed_at"].as_str().unwrap());
    assert_eq!(v["error_message"], Value::Null);
    // Memory ids are fixed at creation.
    assert_eq!(get(&emu, &status_path(&id)).json()["memory_ids"], v["memory_ids"]);
}

#[test]
fn job_defaults_and_terminal_kinds() {
    let emu = start_control();
    let id = new_job(&emu, json!({}));
    let v = get(&emu, &status_path(&id)).json();
    assert_eq!(v["ingestion_id"], id.as_str());
    assert_eq!(v["status"], "completed");
    assert_eq!(v["memories_created"], 1);
    assert!(!v["document_id"].as_str().unwrap().is_empty());

    let chosen = "0D8E5B3A-7C21-4F96-8A4E-1B2C3D4E5F60";
    let id = new_job(
        &emu,
        json!({"ingestion_id": chosen, "final_status": "failed", "memories": 0,
               "error_message": "boom"}),
    );
    assert_eq!(id, chosen.to_lowercase());
    let v = get(&emu, &status_path(&id)).json();
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error_message"], "boom");
    assert_eq!(v["memory_ids"], json!([]));

    let id = new_job(&emu, json!({"final_status": "partial_success", "memories": 2}));
    let v = get(&emu, &status_path(&id)).json();
    assert_eq!(v["status"], "partial_success");
    assert_eq!(v["error_message"], Value::Null);
    assert_eq!(v["memory_ids"].as_array().unwrap().len(), 2);
}

#[test]
fn raw_body_is_served_verbatim() {
    let emu = start_control();
    let raw = r#"{"status": "COMPLETED", "zeta": 1, "alpha": [1.5, null], "queued_at": 1736937000}"#;
    let body = format!(r#"{{"raw_body": {raw}}}"#);
    let r = request(&emu, "POST", "/_emulator/jobs", &[], Some(&body));
    assert_eq!(r.status, 200, "{}", r.text());
    let id = r.json()["ingestion_id"].as_str().unwrap().to_owned();
    let r = get(&emu, &status_path(&id));
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), raw);
    assert_eq!(r.header("content-type"), Some("application/json"));
    // Still behind auth.
    assert_eq!(request(&emu, "GET", &status_path(&id), &[], None).status, 401);
}

#[test]
fn bad_control_input_is_400() {
    let emu = start_control();
    for (name, body) in [
        ("jobs", r#"{"final_status": "done"}"#),
        ("jobs", r#"{"ingestion_id": "nope"}"#),
        ("jobs", r#"{"memories": 100000000}"#),
        ("jobs", r#"{"typo_field": 1}"#),
        ("jobs", "not json"),
        ("faults", r#"{"path": "/health", "count": 0, "fault": {"kind": "drop"}}"#),
        ("faults", r#"{"path": "/health", "fault": {"kind": "explode"}}"#),
        ("faults", r#"{"path": "health", "fault": {"kind": "drop"}}"#),
        ("faults", r#"{"path": "/_emulator/jobs", "fault": {"kind": "drop"}}"#),
        ("faults", r#"{"fault": {"kind": "drop"}}"#),
        ("faults", r#"{"path": "/h", "fault": {"kind": "respond", "status": 1000}}"#),
        ("faults", r#"{"path": "/h", "fault": {"kind": "respond", "status": 100}}"#),
        ("faults", r#"{"path": "/h?x=1", "fault": {"kind": "drop"}}"#),
        ("config", r#"{"time_format": "iso"}"#),
    ] {
        let r = request(&emu, "POST", &format!("/_emulator/{name}"), &[], Some(body));
        assert_eq!(r.status, 400, "{name} {body}: {}", r.text());
        assert!(r.json()["detail"].is_string());
    }
    assert_eq!(request(&emu, "GET", "/_emulator/jobs", &[], None).status, 405);
    assert_eq!(request(&emu, "POST", "/_emulator/requests", &[], Some("")).status, 405);
    assert_eq!(request(&emu, "GET", "/_emulator/nothing", &[], None).status, 404);
}

#[test]
fn request_log_filter_and_reset() {
    let emu = start_control();
    request(&emu, "GET", "/health?x=1", &[("X-Correlation-ID", "c-1"), ("X-Client-ID", "")], None);
    get(&emu, &status_path(DEMO_FAILED_ID));
    request(&emu, "POST", "/v1/telemetry/batch", &[], Some(r#"{"events":[]}"#));
    control(&emu, "config", &json!({}));

    let log = logged(&emu, "");
    assert_eq!(log.len(), 3, "control requests are not logged: {log:?}");
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(log[0]["path"], "/health");
    assert_eq!(log[0]["query"], "x=1");
    assert_eq!(log[0]["headers"]["x-correlation-id"], "c-1");
    assert_eq!(log[0]["headers"]["x-client-id"], "");
    assert_eq!(log[1]["path"], status_path(DEMO_FAILED_ID));
    assert_eq!(log[1]["headers"]["authorization"], "Bearer synap_dev_emulator");
    assert_eq!(log[2]["method"], "POST");
    assert_eq!(log[2]["body"], r#"{"events":[]}"#);
    assert!(log[0]["at_ms"].as_u64().unwrap() <= log[2]["at_ms"].as_u64().unwrap());

    let only = logged(&emu, "?path=/health");
    assert_eq!(only.len(), 1);
    let encoded = logged(&emu, "?path=%2Fv1%2Ftelemetry%2Fbatch");
    assert_eq!(encoded.len(), 1);

    control(&emu, "reset", &json!({}));
    assert!(logged(&emu, "").is_empty());
}

fn queued_at(emu: &Emulator) -> String {
    get(emu, &status_path(DEMO_FAILED_ID)).json()["queued_at"].as_str().unwrap().to_owned()
}

/// `2025-01-15T10:30:00` then a fraction of `digits` (None = 0 or 6) and `suffix`.
fn assert_shape(ts: &str, digits: Option<usize>, suffix: &str) {
    let base = &ts[..19];
    let b = base.as_bytes();
    assert!(b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':', "{ts}");
    let rest = ts[19..].strip_suffix(suffix).unwrap_or_else(|| panic!("{ts}"));
    let frac = rest.strip_prefix('.').unwrap_or(rest);
    assert!(frac.bytes().all(|c| c.is_ascii_digit()), "{ts}");
    match digits {
        Some(n) => assert_eq!(frac.len(), n, "{ts}"),
        None => assert!(frac.is_empty() || frac.len() == 6, "{ts}"),
    }
}

#[test]
fn time_formats() {
    let emu = start_control();
    assert_shape(&queued_at(&emu), None, "Z");
    for (name, digits, suffix) in [
        ("naive", None, ""),
        ("offset", None, "+00:00"),
        ("millis", Some(3), "Z"),
        ("nanos", Some(9), "+00:00"),
        ("z", None, "Z"),
    ] {
        let r = control(&emu, "config", &json!({ "time_format": name }));
        assert_eq!(r.json()["time_format"], name);
        let ts = queued_at(&emu);
        assert_shape(&ts, digits, suffix);
        if suffix.is_empty() {
            assert!(!ts.contains('Z') && !ts.contains('+'), "{ts}");
        }
    }

    let emu = Emulator::start(Config { time_format: TimeFormat::Millis, ..Config::default() }).unwrap();
    assert_shape(&queued_at(&emu), Some(3), "Z");
}

#[test]
fn chunked_control_body() {
    let emu = start_control();
    let mut c = Conn::open(&emu);
    let body = r#"{"document_id":"chunky"}"#;
    let (a, b) = body.split_at(10);
    c.write_raw(
        format!(
            "POST /_emulator/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
            a.len(),
            b.len()
        )
        .as_bytes(),
    );
    let r = c.read_response().unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let id = r.json()["ingestion_id"].as_str().unwrap().to_owned();
    assert_eq!(get(&emu, &status_path(&id)).json()["document_id"], "chunky");
}
