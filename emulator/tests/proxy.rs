//! Proxy mode: CONNECT tunnels that lead back to the emulator, over HTTP and
//! with TLS inside the tunnel.

mod common;

use common::*;
use serde_json::{Value, json};
use synap_emulator::{Config, Emulator};

fn start_proxy() -> Emulator {
    Emulator::start(Config { control: true, proxy: true, ..Config::default() }).expect("emulator starts")
}

/// A port on loopback where nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn proxied(proxy_url: &str, ca_pem: Option<&str>) -> ureq::Agent {
    let proxy = ureq::Proxy::new(proxy_url).unwrap();
    let mut config = ureq::Agent::config_builder().http_status_as_error(false).proxy(Some(proxy));
    if let Some(ca) = ca_pem {
        let ca = ureq::tls::Certificate::from_pem(ca.as_bytes()).unwrap();
        config = config.tls_config(
            ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[ca])).build(),
        );
    }
    config.build().into()
}

#[test]
fn connect_opens_a_tunnel_to_the_emulator_itself() {
    let emu = start_proxy();
    let mut c = Conn::open(&emu);
    c.write_raw(b"CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nProxy-Connection: Keep-Alive\r\n\r\n");
    let mut line = String::new();
    std::io::BufRead::read_line(c.reader_mut(), &mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 200 Connection established\r\n");
    std::io::BufRead::read_line(c.reader_mut(), &mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 200 Connection established\r\n\r\n", "no headers, no body");

    let r = c.send("GET", "/health", &[("X-Correlation-ID", "through")], None);
    assert_eq!((r.status, r.json()), (200, json!({"status": "ok"})));

    let log = logged(&emu, "");
    assert_eq!(log.len(), 2);
    assert_eq!((log[0]["method"].as_str(), log[0]["path"].as_str()), (Some("CONNECT"), Some("127.0.0.1:9")));
    assert_eq!(log[0]["headers"]["proxy-connection"], "Keep-Alive");
    assert_eq!(log[0]["query"], Value::Null);
    assert_eq!((log[1]["method"].as_str(), log[1]["path"].as_str()), (Some("GET"), Some("/health")));
    assert_eq!(log[0]["conn"], log[1]["conn"], "the tunnel is the same connection");
}

#[test]
fn connect_without_proxy_mode_is_refused_and_logged() {
    let emu = start_control();
    let mut c = Conn::open(&emu);
    let r = c.send("CONNECT", "127.0.0.1:9", &[], None);
    assert_eq!(r.status, 405);
    assert!(r.header("allow").is_some());
    assert_eq!(r.header("connection"), Some("close"));
    assert!(c.read_to_end().is_empty());
    let log = logged(&emu, "");
    assert_eq!((log.len(), log[0]["method"].as_str()), (1, Some("CONNECT")));
}

#[test]
fn a_client_reaches_a_closed_port_only_through_the_proxy() {
    let emu = start_proxy();
    let target = format!("http://127.0.0.1:{}/health", closed_port());
    let direct: ureq::Agent = ureq::Agent::config_builder().proxy(None).build().into();
    assert!(direct.get(&target).call().is_err(), "nothing listens on the target");

    let agent = proxied(&emu.base_url(), None);
    for _ in 0..3 {
        let mut r = agent.get(&target).call().unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.body_mut().read_to_string().unwrap(), r#"{"status":"ok"}"#);
    }
    let log = logged(&emu, "");
    let methods: Vec<&str> = log.iter().map(|e| e["method"].as_str().unwrap()).collect();
    assert_eq!(methods, ["CONNECT", "GET", "GET", "GET"], "one tunnel, pooled");
    let authority = target.trim_start_matches("http://").trim_end_matches("/health");
    assert_eq!(log[0]["path"], authority);
}

#[test]
fn faults_apply_inside_the_tunnel_but_never_to_connect() {
    let emu = start_proxy();
    fault(&emu, "*", 1, json!({"kind": "respond", "status": 503, "headers": {"Retry-After": "1"}}));
    let agent = proxied(&emu.base_url(), None);
    let target = format!("http://127.0.0.1:{}/health", closed_port());
    let r = agent.get(&target).call().unwrap();
    assert_eq!(r.status(), 503);
    assert_eq!(agent.get(&target).call().unwrap().status(), 200);
}

#[test]
fn https_through_the_proxy_starts_tls_inside_the_tunnel() {
    let (emu, pki) = start_https(Config { proxy: true, ..Config::default() });
    // The proxy is addressed over plain HTTP, as HTTP proxies are.
    let proxy_url = format!("http://{}", emu.addr());
    let target = format!("https://127.0.0.1:{}/health", closed_port());
    let agent = proxied(&proxy_url, Some(&pki.ca_cert_pem));
    let mut r = agent.get(&target).call().unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.body_mut().read_to_string().unwrap(), r#"{"status":"ok"}"#);

    let mut c = Conn::open(&emu);
    c.write_raw(b"CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n");
    let mut established = [0u8; 39];
    std::io::Read::read_exact(c.reader_mut(), &mut established).unwrap();
    assert_eq!(&established, b"HTTP/1.1 200 Connection established\r\n\r\n");

    // Requests go through TLS only: plain bytes besides CONNECT end the connection.
    let mut plain = Conn::open(&emu);
    plain.write_raw(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(plain.read_to_end().is_empty());
    // And no tunnel inside TLS (an HTTPS proxy).
    let mut inside = Conn::open_tls(&emu, &pki.ca_cert_pem, "127.0.0.1");
    assert_eq!(inside.send("CONNECT", "127.0.0.1:9", &[], None).status, 405);

    let agent = ureq_trusting(&pki.ca_cert_pem);
    let text = agent.get(format!("{}/_emulator/requests", emu.base_url())).call().unwrap().body_mut().read_to_string();
    let log: Value = serde_json::from_str(&text.unwrap()).unwrap();
    let seen: Vec<(&str, &str)> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["method"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    let target_authority = target.trim_start_matches("https://").trim_end_matches("/health");
    assert_eq!(
        seen,
        [("CONNECT", target_authority), ("GET", "/health"), ("CONNECT", "localhost:443"), ("CONNECT", "127.0.0.1:9")]
    );
}
