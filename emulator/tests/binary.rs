//! The `synap-emulator` binary: banner, flags, exit codes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_synap-emulator");

fn http_get(base: &str, path: &str, key: Option<&str>) -> String {
    let addr = base.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let auth = key.map(|k| format!("Authorization: Bearer {k}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn prints_base_url_first_and_serves() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--api-key", "synap_a", "--api-key=synap_b", "--control"])
        .args(["--time-format", "nanos"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    assert!(http_get(&base, "/health", None).starts_with("HTTP/1.1 200"));
    let ok = http_get(&base, "/api/v1/memories/status/2c5d8e1f-4a7b-4c9d-8e0f-1a2b3c4d5e6f", Some("synap_b"));
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("+00:00\""), "{ok}");
    let dev = http_get(&base, "/api/v1/auth/whoami", Some("synap_dev_emulator"));
    assert!(dev.starts_with("HTTP/1.1 401"));
    assert!(http_get(&base, "/_emulator/requests", None).starts_with("HTTP/1.1 200"));

    child.kill().unwrap();
    child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("demo job 6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"), "{err}");
    assert!(err.contains("accepting 2 API key(s)"), "{err}");
    assert!(!err.contains("synap_a") && !err.contains("synap_b"), "{err}");
}

#[test]
fn default_banner_names_the_dev_key() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--no-demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().to_owned();
    let r = http_get(&base, "/_emulator/requests", None);
    assert!(r.starts_with("HTTP/1.1 404"), "control is off by default: {r}");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("dev API key: synap_dev_emulator"), "{err}");
    assert!(!err.contains("demo job"), "{err}");
}

#[test]
fn bad_arguments_exit_2_and_help_exits_0() {
    for args in [
        &["--bogus"][..],
        &["--port"],
        &["--port", "99999"],
        &["--host", "localhost"],
        &["--time-format", "iso"],
        &["--api-key", ""],
        &["--control=yes"],
        &["--create-done-after-ms", "-1"],
        &["--create-processing-after-ms", "soon"],
        &["--create-done-after-ms"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.is_empty());
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "--time-format",
        "--tls-generate",
        "--proxy",
        r#""kind":"endless""#,
        "--create-done-after-ms",
        "POST /api/v1/memories/create",
        "GET /api/v1/memories/{memory_id}",
        "FAIL_INGEST",
        "PARTIAL_INGEST",
        "create_processing_after_ms",
        "--compaction-done-after-ms",
        "POST /v1/conversations/ingest",
        r#""kind":"handle_then_drop""#,
        "POST /api/v1/memories/upload",
        "GET /v1/data/delete/{deletion_id}",
        "POST /v1/credits/redeem",
        "data_delete_continue_rounds",
        "GET /_emulator/uploads",
    ] {
        assert!(help.contains(word), "{word} missing from --help");
    }
}

#[test]
fn create_timing_flags_set_how_long_created_jobs_take() {
    let (child, base) = spawn(&["--port", "0", "--create-processing-after-ms=0", "--create-done-after-ms", "0"]);
    let agent: ureq::Agent = ureq::Agent::config_builder().proxy(None).build().into();
    let auth = "Bearer synap_dev_emulator";
    let mut r = agent
        .post(format!("{base}/api/v1/memories/create"))
        .header("Authorization", auth)
        .send(r#"{"document": "Prefers window seats on long flights."}"#)
        .unwrap();
    let ack: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    let id = ack["ingestion_id"].as_str().unwrap();
    let mut r = agent.get(format!("{base}/api/v1/memories/status/{id}")).header("Authorization", auth).call().unwrap();
    let status: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(status["status"], "completed");
    let memory_id = status["memory_ids"][0].as_str().unwrap();
    let mut r = agent.get(format!("{base}/api/v1/memories/{memory_id}")).header("Authorization", auth).call().unwrap();
    let memory: serde_json::Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(memory["content"], "Prefers window seats on long flights.");
    let err = stop(child);
    assert!(err.contains("created jobs: processing after 0 ms, done after 0 ms"), "{err}");
}

/// Starts the binary; returns it and its base URL.
fn spawn(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(BIN).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    (child, line.trim().to_owned())
}

fn stop(mut child: std::process::Child) -> String {
    child.kill().unwrap();
    child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    err
}

fn trusting(ca_pem: &str) -> ureq::Agent {
    let ca = ureq::tls::Certificate::from_pem(ca_pem.as_bytes()).unwrap();
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[ca])).build();
    ureq::Agent::config_builder().proxy(None).tls_config(tls).build().into()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("synap-emu-{name}-{}", std::process::id()))
}

#[test]
fn tls_generate_writes_the_ca_and_serves_https() {
    let dir = temp_dir("generate");
    let (child, base) = spawn(&["--port", "0", "--tls-generate", dir.to_str().unwrap(), "--proxy"]);
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let ca = std::fs::read_to_string(dir.join("ca.pem")).unwrap();
    let mut r = trusting(&ca).get(format!("{base}/health")).call().unwrap();
    assert_eq!(r.body_mut().read_to_string().unwrap(), r#"{"status":"ok"}"#);
    let err = stop(child);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.contains("TLS: trust the CA in"), "{err}");
    assert!(err.contains("proxy: CONNECT tunnels lead to this emulator"), "{err}");
}

#[test]
fn tls_cert_and_key_files_serve_https() {
    let pki = synap_emulator::TestPki::generate(&["127.0.0.1"]).unwrap();
    let dir = temp_dir("files");
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, &pki.cert_pem).unwrap();
    std::fs::write(&key, &pki.key_pem).unwrap();
    let (child, base) = spawn(&["--port=0", "--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()]);
    assert!(base.starts_with("https://"), "{base}");
    assert_eq!(trusting(&pki.ca_cert_pem).get(format!("{base}/health")).call().unwrap().status(), 200);
    let err = stop(child);
    assert!(err.contains(&format!("TLS: serving {}", cert.display())), "{err}");
    assert!(!err.contains("PRIVATE KEY"), "{err}");

    // Cert and key swapped: refused before listening.
    let out = Command::new(BIN)
        .args(["--port", "0", "--tls-cert", key.to_str().unwrap(), "--tls-key", cert.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-cert/--tls-key"));
}

#[test]
fn proxy_flag_tunnels_connect() {
    let (child, base) = spawn(&["--port", "0", "--proxy"]);
    let addr = base.strip_prefix("http://").unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\nGET /health HTTP/1.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    stop(child);
    assert!(out.starts_with("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200 OK\r\n"), "{out}");
    assert!(out.ends_with(r#"{"status":"ok"}"#), "{out}");
}

#[test]
fn bad_tls_arguments_exit_2() {
    for args in [
        &["--tls-cert", "c.pem"][..],
        &["--tls-key", "k.pem"],
        &["--tls-generate", "d", "--tls-cert", "c.pem", "--tls-key", "k.pem"],
        &["--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"],
        &["--tls-generate"],
        &["--proxy=yes"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.is_empty());
    }
}
