//! The Synap routes: auth, errors, whoami, health, demo jobs.

mod common;

use common::*;
use serde_json::{Value, json};
use synap_emulator::{Config, DEMO_FAILED_ID, DEMO_PARTIAL_ID, DEMO_PROGRESSING_ID, Emulator};

#[test]
fn health_needs_no_auth_and_carries_standard_headers() {
    let emu = start();
    let r = request(&emu, "GET", "/health", &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), json!({"status": "ok"}));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-ratelimit-limit"), Some("600"));
    let remaining: u32 = r.header("x-ratelimit-remaining").unwrap().parse().unwrap();
    assert!(remaining < 600);
    let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(reset > 1_700_000_000);
    let _: u64 = r.header("x-synap-server-ms").unwrap().parse().unwrap();
    assert!(!r.header("x-correlation-id").unwrap().is_empty());
}

#[test]
fn correlation_id_is_echoed() {
    let emu = start();
    let id = "syn_inst_4_1736937000412_9c41e7";
    let r = request(&emu, "GET", "/health", &[("X-Correlation-ID", id)], None);
    assert_eq!(r.header("x-correlation-id"), Some(id));
    let r = get(&emu, &status_path("00000000-0000-4000-8000-000000000000"));
    assert_eq!(r.status, 404);
    assert!(!r.header("x-correlation-id").unwrap().is_empty());
}

#[test]
fn telemetry_is_accepted() {
    let emu = start();
    let r = request(
        &emu,
        "POST",
        "/v1/telemetry/batch",
        &[("Content-Type", "application/json")],
        Some(r#"{"events":[],"sdk_version":"0.6.9"}"#),
    );
    assert_eq!(r.status, 202);
    assert_eq!(r.json(), json!({}));
}

#[test]
fn auth_cases() {
    let emu = start();
    let path = status_path(DEMO_FAILED_ID);
    type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);
    let cases: [Case; 7] = [
        (&[], 401, "Missing API key"),
        (&[("Authorization", "")], 401, "Missing API key"),
        (&[("Authorization", "Bearer nope")], 401, "Invalid API key"),
        (&[("Authorization", "Bearer")], 401, "Invalid API key"),
        (&[("Authorization", "synap_dev_emulator")], 401, "Invalid API key"),
        (&[("Authorization", "Basic synap_dev_emulator")], 401, "Invalid API key"),
        (&[("Authorization", "Bearer synap_dev_emulatorX")], 401, "Invalid API key"),
    ];
    for (headers, status, detail) in cases {
        let r = request(&emu, "GET", &path, headers, None);
        assert_eq!(r.status, status, "{headers:?}");
        assert_eq!(r.json(), json!({ "detail": detail }), "{headers:?}");
        assert_no_key(&r);
    }
    assert_eq!(get(&emu, &path).status, 200);
    // The scheme is case-insensitive, as in FastAPI.
    let r = request(&emu, "GET", &path, &[("Authorization", "bearer synap_dev_emulator")], None);
    assert_eq!(r.status, 200);
}

#[test]
fn configured_keys_replace_the_dev_key() {
    let emu =
        Emulator::start(Config { api_keys: vec!["synap_k1".into(), "synap_k2".into()], ..Config::default() }).unwrap();
    let path = "/api/v1/auth/whoami";
    assert_eq!(get(&emu, path).status, 401);
    let r = request(&emu, "GET", path, &[("Authorization", "Bearer synap_k2")], None);
    assert_eq!(r.status, 200);
    assert!(!r.text().contains("synap_k2"));
}

#[test]
fn whoami_reports_config() {
    let emu = start();
    let r = get(&emu, "/api/v1/auth/whoami");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.text(),
        r#"{"client_id":"cli_9b2f4d6a8c0e1357","instance_id":"inst_4e7a19c03b5d82f1","user_context_isolation":null}"#
    );
    assert_eq!(request(&emu, "GET", "/api/v1/auth/whoami", &[], None).status, 401);

    let emu = Emulator::start(Config {
        client_id: "cli_0000000000000001".into(),
        instance_id: "inst_0000000000000002".into(),
        user_context_isolation: Some("equals_customer".into()),
        ..Config::default()
    })
    .unwrap();
    let v = get(&emu, "/api/v1/auth/whoami").json();
    assert_eq!(v["client_id"], "cli_0000000000000001");
    assert_eq!(v["instance_id"], "inst_0000000000000002");
    assert_eq!(v["user_context_isolation"], "equals_customer");
}

#[test]
fn unknown_routes_and_wrong_methods() {
    let emu = start();
    for path in [
        "/nope",
        "/api/v1/memories/status/",
        "/api/v1/memories/status",
        "/api/v1/memories/status/a/b",
        "/v1/memories/status/6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37",
        "/_emulator/jobs",
        "/_emulator/requests",
    ] {
        let r = get(&emu, path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json(), json!({"detail": "Not Found"}), "{path}");
    }
    for (method, path, allow) in [
        ("POST", "/health", "GET"),
        ("GET", "/v1/telemetry/batch", "POST"),
        ("POST", "/api/v1/auth/whoami", "GET"),
        ("DELETE", status_path(DEMO_FAILED_ID).as_str(), "GET"),
        ("PUT", "/api/v1/memories/status/not-a-uuid", "GET"),
    ] {
        let r = request(&emu, method, path, &[AUTH], Some(""));
        assert_eq!(r.status, 405, "{method} {path}");
        assert_eq!(r.json(), json!({"detail": "Method Not Allowed"}));
        assert_eq!(r.header("allow"), Some(allow));
    }
}

#[test]
fn head_gets_a_bodiless_405_and_the_connection_survives() {
    let emu = start();
    let mut c = Conn::open(&emu);
    c.write_request("HEAD", "/health", &[], None);
    // The 405 announces its length but sends no body; read just the head.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        use std::io::Read;
        c.reader_mut().read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    assert!(String::from_utf8_lossy(&head).starts_with("HTTP/1.1 405"));
    let r = c.send("GET", "/health", &[], None);
    assert_eq!(r.status, 200);
}

#[test]
fn status_path_must_be_a_uuid() {
    let emu = start();
    let r = get(&emu, "/api/v1/memories/status/not-a-uuid");
    assert_eq!(r.status, 422);
    let v = r.json();
    let item = &v["detail"][0];
    assert_eq!(item["type"], "uuid_parsing");
    assert_eq!(item["loc"], json!(["path", "ingestion_id"]));
    assert!(item["msg"].as_str().unwrap().starts_with("Input should be a valid UUID"));
    // Auth comes first, as with FastAPI dependencies.
    let r = request(&emu, "GET", "/api/v1/memories/status/not-a-uuid", &[], None);
    assert_eq!(r.status, 401);
}

#[test]
fn unknown_job_is_404() {
    let emu = start();
    let r = get(&emu, &status_path("9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d"));
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"detail": "Ingestion job not found"}));
}

#[test]
fn any_uuid_form_finds_the_job_and_comes_back_canonical() {
    let emu = start();
    let simple = DEMO_FAILED_ID.replace('-', "");
    for form in
        [DEMO_FAILED_ID.to_uppercase(), simple, format!("%7B{DEMO_FAILED_ID}%7D"), format!("urn:uuid:{DEMO_FAILED_ID}")]
    {
        let r = get(&emu, &status_path(&form));
        assert_eq!(r.status, 200, "{form}");
        assert_eq!(r.json()["ingestion_id"], DEMO_FAILED_ID);
    }
}

fn keys_in_order(text: &str) -> Vec<usize> {
    [
        "ingestion_id",
        "document_id",
        "status",
        "queued_at",
        "started_at",
        "completed_at",
        "memories_created",
        "memory_ids",
        "error_message",
    ]
    .iter()
    .map(|k| text.find(&format!("\"{k}\":")).unwrap_or_else(|| panic!("{k} in {text}")))
    .collect()
}

#[test]
fn demo_jobs() {
    let emu = start();
    let r = get(&emu, &status_path(DEMO_PROGRESSING_ID));
    assert_eq!(r.status, 200);
    let pos = keys_in_order(&r.text());
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{}", r.text());
    let v = r.json();
    assert_eq!(v["document_id"], "chat-2025-01-15-user-789");
    assert_eq!(v["status"], "queued");
    assert_eq!(v["started_at"], Value::Null);
    assert_eq!(v["completed_at"], Value::Null);
    assert_eq!(v["memories_created"], 0);
    assert_eq!(v["memory_ids"], json!([]));
    assert_eq!(v["error_message"], Value::Null);

    let v = get(&emu, &status_path(DEMO_FAILED_ID)).json();
    assert_eq!(v["document_id"], "email-4471");
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error_message"], "document could not be parsed: unsupported encoding");
    assert!(v["started_at"].is_string() && v["completed_at"].is_string());
    assert!(v["queued_at"].as_str().unwrap() < v["started_at"].as_str().unwrap());

    let v = get(&emu, &status_path(DEMO_PARTIAL_ID)).json();
    assert_eq!(v["document_id"], "ticket-88213");
    assert_eq!(v["status"], "partial_success");
    assert_eq!(v["memories_created"], 1);
    let ids = v["memory_ids"].as_array().unwrap();
    assert_eq!(ids.len(), 1);
    let id = ids[0].as_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().hyphenated().to_string(), id);
}

#[test]
fn no_demo_means_no_jobs() {
    let emu = Emulator::start(Config { seed_demo: false, ..Config::default() }).unwrap();
    assert_eq!(get(&emu, &status_path(DEMO_FAILED_ID)).status, 404);
}

#[test]
fn tolerates_sdk_headers() {
    let emu = start();
    let r = request(
        &emu,
        "GET",
        &status_path(DEMO_FAILED_ID),
        &[
            AUTH,
            ("Content-Type", "application/json"),
            ("X-Client-ID", ""),
            ("X-Instance-ID", ""),
            ("X-Correlation-ID", "syn__1736937000412_9c41e7"),
            ("Accept", "*/*"),
            ("Accept-Encoding", "gzip, deflate"),
            ("Connection", "keep-alive"),
            ("User-Agent", "python-httpx/0.28.1"),
        ],
        None,
    );
    assert_eq!(r.status, 200);
}
