//! HTTPS: certificates from `TestPki`, trust, failed handshakes, faults over
//! TLS and a bounded shutdown.

mod common;

use std::collections::HashSet;
use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv6Addr, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use synap_emulator::{Config, DEMO_FAILED_ID, Emulator, TestPki, TlsIdentity};

fn health(agent: &ureq::Agent, base: &str) -> Result<u16, ureq::Error> {
    agent.get(format!("{base}/health")).call().map(|r| r.status().as_u16())
}

#[test]
fn serves_https_to_a_client_that_trusts_the_ca() {
    let (emu, pki) = start_https(Config::default());
    let base = emu.base_url();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let agent = ureq_trusting(&pki.ca_cert_pem);
    for _ in 0..20 {
        let mut r = agent
            .get(format!("{base}/api/v1/memories/status/{DEMO_FAILED_ID}"))
            .header("Authorization", "Bearer synap_dev_emulator")
            .call()
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert_eq!(v["status"], "failed");
    }
    let log = logged_tls(&agent, &base);
    assert_eq!(log.len(), 20);
    let conns: HashSet<u64> = log.iter().map(|e| e["conn"].as_u64().unwrap()).collect();
    assert_eq!(conns.len(), 1, "one pooled TLS connection");
}

fn logged_tls(agent: &ureq::Agent, base: &str) -> Vec<Value> {
    let text = agent.get(format!("{base}/_emulator/requests")).call().unwrap().body_mut().read_to_string().unwrap();
    serde_json::from_str::<Value>(&text).unwrap()["requests"].as_array().unwrap().clone()
}

#[test]
fn the_certificate_names_the_loopback_hosts() {
    let (emu, pki) = start_https(Config::default());
    let mut c = Conn::open_tls(&emu, &pki.ca_cert_pem, "localhost");
    assert_eq!(c.send("GET", "/health", &[], None).status, 200);
    let mut wrong = tls_stream(TcpStream::connect(emu.addr()).unwrap(), &pki.ca_cert_pem, "example.com");
    let err = wrong.write_all(b"GET /health HTTP/1.1\r\n\r\n").and_then(|()| wrong.flush()).unwrap_err();
    assert!(err.to_string().contains("not valid for name"), "{err}");

    // IPv6 loopback, where the machine has it.
    let Ok(v6) = Emulator::start(Config { host: Ipv6Addr::LOCALHOST.into(), ..pki.config() }) else {
        return;
    };
    assert!(v6.base_url().starts_with("https://[::1]:"), "{}", v6.base_url());
    assert_eq!(health(&ureq_trusting(&pki.ca_cert_pem), &v6.base_url()).unwrap(), 200);
}

#[test]
fn failed_handshakes_close_only_their_connection() {
    let (emu, pki) = start_https(Config::default());
    let base = emu.base_url();

    // Another CA, and the public roots: both reject the certificate.
    let stranger = TestPki::generate(&["127.0.0.1"]).unwrap();
    assert!(health(&ureq_trusting(&stranger.ca_cert_pem), &base).is_err());
    let public: ureq::Agent = ureq::Agent::config_builder().proxy(None).build().into();
    assert!(health(&public, &base).is_err());

    // Plain HTTP on the HTTPS port: closed without an answer.
    let mut plain = Conn::open(&emu);
    plain.write_raw(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(plain.read_to_end().is_empty());

    // A TLS record that is not a ClientHello, and a client that hangs up at once.
    let mut junk = TcpStream::connect(emu.addr()).unwrap();
    junk.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    junk.write_all(&[0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]).unwrap();
    let mut rest = Vec::new();
    let _ = junk.read_to_end(&mut rest);
    assert!(rest.len() < 64, "at most an alert: {rest:?}");
    drop(TcpStream::connect(emu.addr()).unwrap());

    let agent = ureq_trusting(&pki.ca_cert_pem);
    assert_eq!(health(&agent, &base).unwrap(), 200);
    // None of them reached the request log.
    assert!(logged_tls(&agent, &base).iter().all(|e| e["path"] == "/health"));
}

#[test]
fn connection_close_ends_tls_cleanly_and_faults_cut_it() {
    let (emu, pki) = start_https(Config::default());
    let path = status_path(DEMO_FAILED_ID);
    let ca = &pki.ca_cert_pem;
    let fault_tls = |fault_json: Value| {
        let agent = ureq_trusting(ca);
        let body = json!({"path": path, "fault": fault_json}).to_string();
        let r = agent.post(format!("{}/_emulator/faults", emu.base_url())).send(body.as_str()).unwrap();
        assert_eq!(r.status(), 200);
    };

    let mut c = Conn::open_tls(&emu, ca, "127.0.0.1");
    let normal = c.send("GET", &path, &[AUTH, ("Connection", "close")], None);
    assert_eq!(normal.status, 200);
    let (rest, end) = c.read_until_close();
    assert!(rest.is_empty() && end.is_ok(), "close_notify expected: {end:?}");

    fault_tls(json!({"kind": "truncate"}));
    let mut c = Conn::open_tls(&emu, ca, "127.0.0.1");
    c.write_request("GET", &path, &[AUTH], None);
    let (raw, end) = c.read_until_close();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.contains(&format!("Content-Length: {}", normal.body.len())), "{head}");
    assert_eq!(body.as_bytes(), &normal.body[..normal.body.len() / 2]);
    assert_eq!(end.unwrap_err().kind(), ErrorKind::UnexpectedEof, "no close_notify after a cut");

    fault_tls(json!({"kind": "drop"}));
    let mut c = Conn::open_tls(&emu, ca, "127.0.0.1");
    c.write_request("GET", &path, &[AUTH], None);
    let (raw, end) = c.read_until_close();
    assert!(raw.is_empty());
    assert_eq!(end.unwrap_err().kind(), ErrorKind::UnexpectedEof);
}

#[test]
fn body_faults_over_tls() {
    let (emu, pki) = start_https(Config::default());
    let path = status_path(DEMO_FAILED_ID);
    let ca = &pki.ca_cert_pem;
    let agent = ureq_trusting(ca);
    let add = |fault_json: Value| {
        let body = json!({"path": path, "fault": fault_json}).to_string();
        let r = agent.post(format!("{}/_emulator/faults", emu.base_url())).send(body.as_str()).unwrap();
        assert_eq!(r.status(), 200);
    };
    let mut c = Conn::open_tls(&emu, ca, "127.0.0.1");
    let normal = c.send("GET", &path, &[AUTH], None);

    add(json!({"kind": "gzip"}));
    add(json!({"kind": "chunked", "chunk_bytes": 3}));
    add(json!({"kind": "trickle", "interval_ms": 1}));
    let gz = c.send("GET", &path, &[AUTH], None);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..]).read_to_end(&mut plain).unwrap();
    assert_eq!(plain, normal.body);
    let chunked = c.send("GET", &path, &[AUTH], None);
    assert_eq!(chunked.body, normal.body);
    assert!(chunked.chunks.len() > 10 && chunked.chunks.iter().all(|&n| n <= 3));
    assert_eq!(c.send("GET", &path, &[AUTH], None).body, normal.body, "trickled");
    // All on the one connection.
    assert_eq!(c.send("GET", &path, &[AUTH], None).status, 200);

    add(json!({"kind": "endless"}));
    c.write_request("GET", &path, &[AUTH], None);
    let mut lots = vec![0; 2 << 20];
    c.reader_mut().read_exact(&mut lots).unwrap();
    assert!(lots.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(lots.iter().filter(|&&b| b == b'x').count() > 1 << 20, "mostly filler");
}

#[test]
fn shutdown_is_bounded_with_tls_connections_in_every_state() {
    let (emu, pki) = start_https(Config::default());
    let ca = &pki.ca_cert_pem;
    let mut idle = Conn::open_tls(&emu, ca, "127.0.0.1");
    assert_eq!(idle.send("GET", "/health", &[], None).status, 200);
    // Connected, never says hello.
    let silent = TcpStream::connect(emu.addr()).unwrap();
    // An endless body nobody reads.
    let agent = ureq_trusting(ca);
    let body = json!({"path": "/health", "fault": {"kind": "endless"}}).to_string();
    agent.post(format!("{}/_emulator/faults", emu.base_url())).send(body.as_str()).unwrap();
    let mut stalled = Conn::open_tls(&emu, ca, "127.0.0.1");
    stalled.write_request("GET", "/health", &[], None);
    std::thread::sleep(Duration::from_millis(300));

    let t0 = Instant::now();
    emu.shutdown();
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    let (rest, _) = idle.read_until_close();
    assert!(rest.is_empty());
    drop(silent);
}

#[test]
fn identity_from_files_with_the_ca_in_the_chain() {
    let pki = pki();
    let dir = std::env::temp_dir().join(format!("synap-emu-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("chain.pem"), dir.join("key.pem"));
    std::fs::write(&cert, format!("{}{}", pki.cert_pem, pki.ca_cert_pem)).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    let identity = TlsIdentity::from_files(&cert, &key).unwrap();
    assert!(TlsIdentity::from_files(&key, &key).is_err());
    let missing = TlsIdentity::from_files(dir.join("nope.pem"), &key).unwrap_err();
    assert!(missing.to_string().contains("nope.pem"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();

    let emu = Emulator::start(Config { tls: Some(identity), ..Config::default() }).unwrap();
    assert_eq!(health(&ureq_trusting(&pki.ca_cert_pem), &emu.base_url()).unwrap(), 200);
}
