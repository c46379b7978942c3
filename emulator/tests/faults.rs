//! Each fault kind, its ordering and counting, and that faulted requests are logged.

mod common;

use std::io::{BufRead, Read};
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

#[test]
fn gzip_compresses_the_normal_body_and_keeps_the_connection() {
    let emu = start_control();
    let path = status_path(DEMO_FAILED_ID);
    let normal = get(&emu, &path);
    fault(&emu, &path, 1, json!({"kind": "gzip"}));
    let mut c = Conn::open(&emu);
    let r = c.send("GET", &path, &[AUTH, ("Accept-Encoding", "gzip")], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("content-length").unwrap().parse::<usize>().unwrap(), r.body.len());
    assert_eq!(&r.body[..2], &[0x1f, 0x8b], "gzip magic");
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&r.body[..]).read_to_end(&mut plain).unwrap();
    assert_eq!(plain, normal.body);
    let again = c.send("GET", &path, &[AUTH], None);
    assert_eq!((again.status, again.header("content-encoding")), (200, None));
}

#[test]
fn chunked_sends_the_normal_body_in_small_chunks() {
    let emu = start_control();
    let path = status_path(DEMO_FAILED_ID);
    let normal = get(&emu, &path);
    fault(&emu, &path, 1, json!({"kind": "chunked", "chunk_bytes": 5}));
    fault(&emu, &path, 1, json!({"kind": "chunked"}));
    let mut c = Conn::open(&emu);
    for max in [5, 7] {
        let r = c.send("GET", &path, &[AUTH], None);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("transfer-encoding"), Some("chunked"));
        assert_eq!(r.header("content-length"), None);
        assert_eq!(r.body, normal.body);
        assert_eq!(r.chunks.len(), normal.body.len().div_ceil(max), "{:?}", r.chunks);
        assert!(r.chunks.iter().all(|&n| n <= max), "{:?}", r.chunks);
    }
    // The framing is intact, so the connection goes on.
    assert_eq!(c.send("GET", &path, &[AUTH], None).body, normal.body);
}

#[test]
fn chunked_head_request_has_no_body() {
    let emu = start_control();
    fault(&emu, "/health", 1, json!({"kind": "chunked"}));
    let mut c = Conn::open(&emu);
    c.write_request("HEAD", "/health", &[("Connection", "close")], None);
    let raw = String::from_utf8(c.read_to_end()).unwrap();
    // HEAD is not a route's method, so the normal answer is a 405 with a body.
    assert!(raw.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"), "{raw}");
    assert!(raw.contains("Transfer-Encoding: chunked\r\n"), "{raw}");
    assert!(raw.ends_with("Connection: close\r\n\r\n"), "{raw}");
}

#[test]
fn endless_body_is_json_that_never_ends() {
    let emu = start_control();
    let path = status_path(DEMO_FAILED_ID);
    fault(&emu, &path, 1, json!({"kind": "endless", "chunk_bytes": 4096}));
    let mut c = Conn::open(&emu);
    c.write_request("GET", &path, &[AUTH], None);
    let reader = c.reader_mut();
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        reader.read_line(&mut head).unwrap();
    }
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Type: application/json\r\n"), "{head}");
    assert!(head.contains("Transfer-Encoding: chunked\r\n"), "{head}");
    assert!(!head.contains("Content-Length"), "{head}");
    // Decode chunks well past any status body: it is still going.
    let (mut body, mut sizes) = (Vec::new(), Vec::new());
    while body.len() < 4 << 20 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let size = usize::from_str_radix(line.trim_end(), 16).unwrap();
        assert!(size > 0, "the body ended");
        let start = body.len();
        body.resize(start + size + 2, 0);
        reader.read_exact(&mut body[start..]).unwrap();
        assert!(body.ends_with(b"\r\n"));
        body.truncate(start + size);
        sizes.push(size);
    }
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with(r#"{"ingestion_id":""#), "{}", &text[..80]);
    let (open, filler) = text.split_once(r#","padding":""#).unwrap();
    assert!(open.contains(r#""status":"failed""#), "{open}");
    assert!(filler.bytes().all(|b| b == b'x'));
    assert_eq!(sizes[0], open.len() + r#","padding":""#.len(), "the JSON prefix is one chunk");
    assert!(sizes[1..].iter().all(|&n| n == 4096), "{:?}", &sizes[..5]);
    drop(c);
    // The connection ends with the client; the emulator goes on.
    assert_eq!(get(&emu, &path).status, 200);
}

#[test]
fn trickle_sends_one_byte_per_interval() {
    let emu = start_control();
    let normal = request(&emu, "GET", "/health", &[("Connection", "close")], None);
    fault(&emu, "/health", 1, json!({"kind": "trickle", "interval_ms": 4}));
    let mut c = Conn::open(&emu);
    c.write_request("GET", "/health", &[("Connection", "close")], None);
    let t0 = Instant::now();
    let (mut raw, mut reads) = (Vec::new(), 0);
    let mut buf = [0u8; 4096];
    loop {
        let n = c.reader_mut().get_mut().read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
        reads += 1;
    }
    let elapsed = t0.elapsed();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert!(head.contains("\r\nConnection: close"), "{head}");
    assert_eq!(body.as_bytes(), normal.body);
    assert!(elapsed >= Duration::from_millis(4) * (text.len() as u32 - 1), "{elapsed:?} for {} bytes", text.len());
    assert!(reads > text.len() / 2, "{reads} reads for {} bytes", text.len());
}

#[test]
fn trickle_keeps_the_connection() {
    let emu = start_control();
    fault(&emu, "/health", 1, json!({"kind": "trickle", "interval_ms": 0}));
    let mut c = Conn::open(&emu);
    for _ in 0..2 {
        let r = c.send("GET", "/health", &[], None);
        assert_eq!((r.status, r.json()), (200, json!({"status": "ok"})));
    }
}

#[test]
fn every_attempt_is_logged_whatever_the_fault() {
    let emu = start_control();
    let kinds = [
        json!({"kind": "gzip"}),
        json!({"kind": "chunked"}),
        json!({"kind": "trickle", "interval_ms": 0}),
        json!({"kind": "endless"}),
    ];
    for kind in &kinds {
        fault(&emu, "/health", 1, kind.clone());
    }
    for _ in &kinds {
        let mut c = Conn::open(&emu);
        c.write_request("GET", "/health", &[("Connection", "close")], None);
        // Enough for the head of each, then hang up (endless would not end).
        let mut head = [0u8; 12];
        c.reader_mut().read_exact(&mut head).unwrap();
        assert_eq!(&head, b"HTTP/1.1 200");
    }
    assert_eq!(logged(&emu, "?path=/health").len(), kinds.len());
}

#[test]
fn bad_new_faults_are_refused() {
    let emu = start_control();
    for bad in [
        json!({"kind": "chunked", "chunk_bytes": 0}),
        json!({"kind": "endless", "chunk_bytes": 0}),
        json!({"kind": "trickle", "interval_ms": 600_001}),
        json!({"kind": "gzip", "level": 9}),
        json!({"kind": "trickle", "ms": 5}),
    ] {
        let body = json!({"path": "/health", "fault": bad}).to_string();
        let r = request(&emu, "POST", "/_emulator/faults", &[], Some(&body));
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
    assert_eq!(request(&emu, "GET", "/health", &[], None).status, 200);
}
