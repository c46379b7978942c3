//! POST /api/v1/memories/upload: multipart and urlencoded forms, their
//! checks, the job they queue, large streamed bodies, bodies cut short,
//! the size limit and the upload records.

mod common;

use std::net::Shutdown;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use synap_emulator::{Config, Emulator};

const UPLOAD: &str = "/api/v1/memories/upload";
const BOUNDARY: &str = "b1e0c5a4d2f34d6f9a7b8c9d0e1f2a3b";
const USER: &str = "user_789";
const CUSTOMER: &str = "cust_456";

struct File<'a> {
    name: &'a str,
    content_type: &'a str,
    bytes: &'a [u8],
}

/// A multipart body as httpx writes one: the fields, then the file part.
fn multipart(fields: &[(&str, &str)], file: Option<&File<'_>>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    if let Some(f) = file {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                f.name, f.content_type
            )
            .bytes(),
        );
        body.extend_from_slice(f.bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").bytes());
    body
}

fn urlencoded(fields: &[(&str, &str)]) -> Vec<u8> {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b' ' => "+".to_owned(),
                b if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) => (b as char).to_string(),
                b => format!("%{b:02X}"),
            })
            .collect()
    };
    fields.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&").into_bytes()
}

const SDK_FIELDS: [(&str, &str); 4] =
    [("user_id", USER), ("relationship_type", "b2c"), ("mode", "long-range"), ("customer_id", CUSTOMER)];

fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

fn head(content_type: &str, len: usize, extra: &str) -> String {
    format!(
        "POST {UPLOAD} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer synap_dev_emulator\r\n\
         Content-Type: {content_type}\r\nContent-Length: {len}\r\n{extra}\r\n"
    )
}

fn upload_on(conn: &mut Conn, content_type: &str, body: &[u8]) -> Resp {
    conn.write_raw(head(content_type, body.len(), "").as_bytes());
    conn.write_raw(body);
    conn.read_response().expect("an answer")
}

fn upload(emu: &Emulator, content_type: &str, body: &[u8]) -> Resp {
    upload_on(&mut Conn::open(emu), content_type, body)
}

fn uploads(emu: &Emulator) -> Vec<Value> {
    let r = request(emu, "GET", "/_emulator/uploads", &[], None);
    assert_eq!(r.status, 200);
    r.json()["uploads"].as_array().unwrap().clone()
}

fn fnv1a64(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
    format!("{h:016x}")
}

/// The memories of a finished upload job.
fn memories_of(emu: &Emulator, ack: &Resp) -> Vec<Value> {
    assert_eq!(ack.status, 200, "{}", ack.text());
    let id = ack.json()["ingestion_id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = get(emu, &status_path(&id)).json();
        if status["status"] == "completed" {
            return status["memory_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| get(emu, &memory_path(m.as_str().unwrap())).json())
                .collect();
        }
        assert!(Instant::now() < deadline, "upload job stuck: {status}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Deterministic bytes that are not UTF-8.
fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_u32;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8 | 0x80
        })
        .collect()
}

#[test]
fn a_file_upload_is_ingested_and_recorded() {
    let emu = start_instant();
    let file =
        File { name: "notes.txt", content_type: "text/plain", bytes: "I prefer window seats on flights.".as_bytes() };
    let mut fields = SDK_FIELDS.to_vec();
    fields.push(("metadata", r#"{"channel": "web"}"#));
    let ack = upload(&emu, &multipart_type(), &multipart(&fields, Some(&file)));
    let body = ack.json();
    assert_eq!(body.as_object().unwrap().len(), 4, "the create answer: {body}");
    assert_eq!(body["status"], "queued");
    assert!(body["document_id"].as_str().is_some() && body["queued_at"].as_str().unwrap().ends_with('Z'));
    let memories = memories_of(&emu, &ack);
    assert_eq!(memories.len(), 1);
    assert_eq!(
        (memories[0]["content"].as_str(), memories[0]["memory_type"].as_str()),
        (Some("I prefer window seats on flights."), Some("preference"))
    );
    let fetched = post(
        &emu,
        "/v1/context/user/fetch",
        &json!({"user_id": USER, "customer_id": CUSTOMER,
        "search_query": ["window seats"], "max_results": 5, "types": ["all"], "mode": "fast"}),
    )
    .json();
    assert_eq!(fetched["context"]["preferences"][0]["content"], "I prefer window seats on flights.");

    let records = uploads(&emu);
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0],
        json!({"user_id": USER, "filename": "notes.txt", "content_type": "text/plain", "bytes": file.bytes.len(),
               "fnv1a64": fnv1a64(file.bytes), "encoding": "multipart",
               "fields": {"user_id": USER, "relationship_type": "b2c", "mode": "long-range", "customer_id": CUSTOMER,
                          "metadata": "{\"channel\": \"web\"}"}})
    );
}

#[test]
fn a_text_upload_is_urlencoded() {
    let emu = start_instant();
    let mut fields = SDK_FIELDS.to_vec();
    fields.push(("text", "I switched to decaf after 3pm & love it!"));
    let ack = upload(&emu, "application/x-www-form-urlencoded", &urlencoded(&fields));
    let memories = memories_of(&emu, &ack);
    assert_eq!(memories[0]["content"], "I switched to decaf after 3pm & love it!");
    let record = &uploads(&emu)[0];
    assert_eq!(
        (record["encoding"].as_str(), record["filename"].clone(), record["content_type"].clone()),
        (Some("urlencoded"), Value::Null, Value::Null)
    );
    assert_eq!(record["fnv1a64"], fnv1a64("I switched to decaf after 3pm & love it!".as_bytes()));
    assert!(record["fields"].get("text").is_none(), "{record}");
}

#[test]
fn bad_forms_are_refused() {
    let emu = start_instant();
    let file = File { name: "a.txt", content_type: "text/plain", bytes: b"Some words here." };
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut f = SDK_FIELDS.to_vec();
        f.extend_from_slice(extra);
        f
    };
    let mp = multipart_type();
    let form = "application/x-www-form-urlencoded";
    for (content_type, body, kinds) in [
        (mp.as_str(), multipart(&with(&[("text", "also text")]), Some(&file)), vec!["value_error"]),
        (form, urlencoded(&SDK_FIELDS), vec!["value_error"]),
        (form, urlencoded(&[("text", "Hello there you.")]), vec!["missing"]),
        (
            form,
            urlencoded(&with(&[("text", "x y z"), ("mode", "slow"), ("document_type", "note")])),
            vec!["enum", "enum"],
        ),
        (
            form,
            urlencoded(&with(&[("text", "x y z"), ("metadata", "{not json"), ("scope", r#"{"team": 1}"#)])),
            vec!["json_invalid", "value_error"],
        ),
        (form, urlencoded(&with(&[("text", "   ")])), vec!["value_error"]),
        ("text/plain", b"just text".to_vec(), vec!["missing", "value_error"]),
    ] {
        let r = upload(&emu, content_type, &body);
        assert_eq!(r.status, 422, "{}: {}", String::from_utf8_lossy(&body), r.text());
        let mut got: Vec<String> =
            r.json()["detail"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_owned()).collect();
        got.sort();
        assert_eq!(got, kinds, "{}", r.text());
    }
    // Tenancy as for create: a B2B instance needs the customer.
    let r = upload(&emu, form, &urlencoded(&[("user_id", USER), ("text", "Hello there you.")]));
    assert_eq!(r.status, 400, "{}", r.text());
    let r = upload(&emu, &mp, b"no boundary in here");
    assert_eq!(r.status, 400, "{}", r.text());
    let r = request(&emu, "POST", UPLOAD, &[("Content-Type", form)], Some("user_id=u&text=hi"));
    assert_eq!(r.status, 401);
    assert!(uploads(&emu).is_empty());
    assert_eq!(get(&emu, "/v1/credits/ledger?entry_type=usage").json()["total"], 0, "no job, no charge");
}

#[test]
fn a_large_binary_file_streams_in_intact() {
    let emu = start_instant();
    let data = noise(12 * 1024 * 1024 + 7);
    let file = File { name: "big.bin", content_type: "application/octet-stream", bytes: &data };
    let body = multipart(&SDK_FIELDS, Some(&file));
    let mut conn = Conn::open(&emu);
    conn.write_raw(head(&multipart_type(), body.len(), "Expect: 100-continue\r\n").as_bytes());
    let interim = conn.read_response().expect("100 Continue");
    assert_eq!(interim.status, 100);
    for chunk in body.chunks(256 * 1024) {
        conn.write_raw(chunk);
    }
    let ack = conn.read_response().expect("an answer");
    let memories = memories_of(&emu, &ack);
    assert_eq!(memories[0]["content"], format!("uploaded file big.bin ({} bytes)", data.len()));
    let record = &uploads(&emu)[0];
    assert_eq!(
        (record["bytes"].as_u64(), record["fnv1a64"].as_str()),
        (Some(data.len() as u64), Some(fnv1a64(&data).as_str()))
    );
    assert_eq!(record["content_type"], "application/octet-stream");
    // The connection stays usable after a streamed body.
    let health = conn.send("GET", "/health", &[], None);
    assert_eq!(health.status, 200);
}

#[test]
fn a_body_cut_short_leaves_nothing() {
    let emu = start_instant();
    let data = noise(2 * 1024 * 1024);
    let body =
        multipart(&SDK_FIELDS, Some(&File { name: "big.bin", content_type: "application/octet-stream", bytes: &data }));
    let mut conn = Conn::open(&emu);
    conn.write_raw(head(&multipart_type(), body.len(), "").as_bytes());
    conn.write_raw(&body[..body.len() / 2]);
    // The client goes away mid-body.
    drop(conn);
    let deadline = Instant::now() + Duration::from_millis(300);
    while Instant::now() < deadline {
        assert!(uploads(&emu).is_empty());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(get(&emu, "/v1/credits/ledger?entry_type=usage").json()["total"], 0, "no job was queued");
    // A whole one afterwards still works.
    let ack = upload(&emu, &multipart_type(), &body);
    assert_eq!(ack.status, 200, "{}", ack.text());
    assert_eq!(uploads(&emu).len(), 1);
}

#[test]
fn a_half_closed_body_gets_no_answer() {
    let emu = start_instant();
    let tcp = std::net::TcpStream::connect(emu.addr()).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut conn = Conn::over(tcp.try_clone().unwrap());
    let body = urlencoded(&[("user_id", USER), ("customer_id", CUSTOMER), ("text", "Hello there you.")]);
    conn.write_raw(head("application/x-www-form-urlencoded", body.len() + 100, "").as_bytes());
    conn.write_raw(&body);
    tcp.shutdown(Shutdown::Write).unwrap();
    assert!(conn.read_to_end().is_empty(), "closed without an answer");
    assert!(uploads(&emu).is_empty());
    assert_eq!(get(&emu, "/v1/credits/ledger?entry_type=usage").json()["total"], 0);
}

#[test]
fn bodies_over_the_limit_are_413_before_they_are_read() {
    let emu = start_instant();
    // The default limit is 512 MiB: 600 MB is refused from the head alone.
    let mut conn = Conn::open(&emu);
    conn.write_raw(head(&multipart_type(), 600_000_000, "Expect: 100-continue\r\n").as_bytes());
    let r = conn.read_response().unwrap();
    assert_eq!(r.status, 413, "no 100 Continue first: {}", r.text());
    assert!(conn.read_to_end().is_empty(), "then the connection closes");

    control(&emu, "config", &json!({"upload_max_bytes": 1000}));
    let body = urlencoded(&[("user_id", USER), ("customer_id", CUSTOMER), ("text", &"word ".repeat(300))]);
    assert_eq!(upload(&emu, "application/x-www-form-urlencoded", &body).status, 413);
    control(&emu, "reset", &json!({}));
    assert_eq!(upload(&emu, "application/x-www-form-urlencoded", &body).status, 200, "reset lifted the limit");
}

#[test]
fn a_chunked_upload_is_read_whole() {
    let emu = start_instant();
    let body = urlencoded(&[("user_id", USER), ("customer_id", CUSTOMER), ("text", "I love jazz on vinyl.")]);
    let mut conn = Conn::open(&emu);
    let (a, b) = body.split_at(10);
    let mut raw = format!(
        "POST {UPLOAD} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer synap_dev_emulator\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
        a.len()
    )
    .into_bytes();
    raw.extend(a);
    raw.extend(format!("\r\n{:x}\r\n", b.len()).bytes());
    raw.extend(b);
    raw.extend(b"\r\n0\r\n\r\n");
    conn.write_raw(&raw);
    let ack = conn.read_response().unwrap();
    assert_eq!(memories_of(&emu, &ack)[0]["content"], "I love jazz on vinyl.");
}

#[test]
fn faults_apply_to_uploads() {
    let emu = start_instant();
    let body = urlencoded(&[("user_id", USER), ("customer_id", CUSTOMER), ("text", "Hello there you.")]);
    let form = "application/x-www-form-urlencoded";
    fault(&emu, UPLOAD, 1, json!({"kind": "respond", "status": 503, "body": "{\"detail\":\"busy\"}"}));
    assert_eq!(upload(&emu, form, &body).status, 503);
    fault(&emu, UPLOAD, 1, json!({"kind": "drop"}));
    let mut conn = Conn::open(&emu);
    conn.write_raw(head(form, body.len(), "").as_bytes());
    conn.write_raw(&body);
    assert!(conn.read_response().is_err(), "dropped");
    assert!(uploads(&emu).is_empty());
    fault(&emu, UPLOAD, 1, json!({"kind": "gzip"}));
    let r = upload(&emu, form, &body);
    assert_eq!((r.status, r.header("content-encoding")), (200, Some("gzip")));
    assert_eq!(uploads(&emu).len(), 1);
    assert_eq!(logged(&emu, &format!("?path={UPLOAD}")).len(), 3);
}

#[test]
fn b2c_uploads_take_no_customer() {
    let emu = Emulator::start(Config {
        control: true,
        create_processing_after_ms: 0,
        create_done_after_ms: 0,
        user_context_isolation: Some("equals_customer".into()),
        ..Config::default()
    })
    .unwrap();
    let form = "application/x-www-form-urlencoded";
    let ack = upload(&emu, form, &urlencoded(&[("user_id", USER), ("text", "Hello there you.")]));
    assert_eq!(memories_of(&emu, &ack)[0]["content"], "Hello there you.");
    let r =
        upload(&emu, form, &urlencoded(&[("user_id", USER), ("customer_id", CUSTOMER), ("text", "Hello there you.")]));
    assert_eq!(r.status, 400);
}
