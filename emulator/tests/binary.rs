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
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.is_empty());
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--time-format"));
}
