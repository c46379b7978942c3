//! TLS trust roots and proxies, against an HTTPS emulator with a CA made at
//! test time and an emulator acting as a CONNECT proxy. Environment-driven
//! cases run the C example in a child process, so this process's
//! environment is never changed.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::cprog::{compile, run, text};
use common::{Emu, refused_url, test_pki};
use serde_json::json;
use synap::{Client, ClientOptions, ErrorKind, IngestState, ProxySetting};
use synap_emulator::{Config, DEV_API_KEY};

fn write_ca(name: &str, pem: &str) -> PathBuf {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}.pem", std::process::id()));
    std::fs::write(&path, pem).unwrap();
    path
}

fn options(base_url: &str) -> ClientOptions {
    let mut options = ClientOptions::new();
    options.api_key(DEV_API_KEY).unwrap().base_url(base_url).unwrap().retry(synap::RetryPolicy::none()).unwrap();
    options
}

#[test]
fn an_unknown_ca_fails_and_the_right_ca_succeeds() {
    let pki = test_pki();
    let emu = Emu::start_https(&pki, Config::default());
    assert!(emu.base_url.starts_with("https://127.0.0.1:"));
    let id = emu.job(json!({"memories": 1}));

    let e = Client::new(&options(&emu.base_url)).unwrap().memories_status(&id).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "bundled roots do not know the test CA: {e}");
    assert!(e.message().starts_with("TLS failed: "), "{}", e.message());
    assert!(e.message().contains("UnknownIssuer"), "{}", e.message());

    let ca = write_ca("right-ca", &pki.ca_cert_pem);
    let status = Client::new(options(&emu.base_url).ca_file(Some(ca.clone()))).unwrap().memories_status(&id).unwrap();
    assert_eq!(status.state(), &IngestState::Completed);

    let other = write_ca("other-ca", &test_pki().ca_cert_pem);
    let e = Client::new(options(&emu.base_url).ca_file(Some(other))).unwrap().memories_status(&id).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "another CA is refused: {e}");

    // The certificate names 127.0.0.1 and localhost, not other names.
    let by_name = emu.base_url.replace("127.0.0.1", "localhost");
    assert!(Client::new(options(&by_name).ca_file(Some(ca.clone()))).unwrap().memories_status(&id).is_ok());
}

#[test]
fn the_system_store_is_used_when_asked() {
    let pki = test_pki();
    let emu = Emu::start_https(&pki, Config::default());
    let id = emu.job(json!({}));
    let binary = compile("examples-c/synap-status.c", "synap-status-roots");
    let ca = write_ca("system-ca", &pki.ca_cert_pem);
    let status = |args: &[&str], cert_file: Option<&PathBuf>| -> Output {
        let mut cmd = Command::new(&binary);
        cmd.args(["--base-url", &emu.base_url]).args(args).arg(&id).env("SYNAP_API_KEY", DEV_API_KEY);
        for var in ["SSL_CERT_FILE", "SSL_CERT_DIR", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
            cmd.env_remove(var);
        }
        if let Some(file) = cert_file {
            cmd.env("SSL_CERT_FILE", file);
        }
        run(&mut cmd)
    };
    // SSL_CERT_FILE stands in for the system store, so the test does not
    // depend on what the machine has installed.
    let out = status(&["--system-roots"], Some(&ca));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = status(&[], Some(&ca));
    assert_eq!(out.status.code(), Some(11), "bundled roots ignore SSL_CERT_FILE: {}", text(&out.stderr));
    let out = status(&["--ca-file", ca.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = status(&["--ca-file", "/nonexistent.pem"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

#[test]
fn an_explicit_proxy_carries_the_call_through_a_connect_tunnel() {
    let proxy = Emu::start_with(Config { proxy: true, ..Config::default() });
    let id = proxy.job(json!({"memories": 2}));
    // Nothing listens at the target: only the proxy can answer.
    let target = refused_url();
    let client = Client::new(options(&target).proxy(ProxySetting::Url(proxy.base_url.clone()))).unwrap();
    assert_eq!(client.memories_status(&id).unwrap().memories_created(), 2);
    let connects: Vec<_> = proxy.requests(None).into_iter().filter(|r| r["method"] == "CONNECT").collect();
    assert_eq!(connects.len(), 1, "one tunnel");
    assert_eq!(connects[0]["path"], target.trim_start_matches("http://"));
    assert!(connects[0]["headers"].get("authorization").is_none(), "the key stays inside the tunnel");

    let direct = Client::new(options(&target).proxy(ProxySetting::Off)).unwrap();
    assert_eq!(direct.memories_status(&id).unwrap_err().kind(), ErrorKind::Network);
}

#[test]
fn https_through_the_proxy_runs_tls_end_to_end() {
    let pki = test_pki();
    let emu = Emu::start_https(&pki, Config { proxy: true, ..Config::default() });
    let id = emu.job(json!({}));
    let port = emu.emulator.addr().port();
    let target = format!("https://127.0.0.1:{}", refused_url().rsplit(':').next().unwrap());
    let proxy_url = format!("http://127.0.0.1:{port}");
    let ca = write_ca("tunnel-ca", &pki.ca_cert_pem);
    let client = Client::new(options(&target).ca_file(Some(ca.clone())).proxy(ProxySetting::Url(proxy_url))).unwrap();
    assert_eq!(client.memories_status(&id).unwrap().state(), &IngestState::Completed);
}

#[test]
fn proxies_from_the_environment_follow_curl() {
    let proxy = Emu::start_with(Config { proxy: true, ..Config::default() });
    let id = proxy.job(json!({}));
    let target = refused_url();
    let binary = compile("examples-c/synap-status.c", "synap-status-proxy");
    let status = |vars: &[(&str, &str)]| -> i32 {
        let mut cmd = Command::new(&binary);
        cmd.args(["--base-url", &target, &id]).env("SYNAP_API_KEY", DEV_API_KEY);
        for var in
            ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"]
        {
            cmd.env_remove(var);
        }
        cmd.envs(vars.iter().copied());
        run(&mut cmd).status.code().unwrap()
    };
    let via = proxy.base_url.as_str();
    assert_eq!(status(&[]), 10, "direct: refused");
    assert_eq!(status(&[("HTTP_PROXY", via)]), 0);
    assert_eq!(status(&[("http_proxy", via)]), 0);
    assert_eq!(status(&[("ALL_PROXY", via)]), 0);
    assert_eq!(status(&[("HTTPS_PROXY", via)]), 10, "an https proxy is not used for an http URL");
    assert_eq!(status(&[("HTTP_PROXY", via), ("NO_PROXY", "127.0.0.1")]), 10);
    assert_eq!(status(&[("HTTP_PROXY", via), ("no_proxy", "127.0.0.0/8")]), 10);
    assert_eq!(status(&[("HTTP_PROXY", via), ("NO_PROXY", "example.com")]), 0);
    assert_eq!(status(&[("HTTP_PROXY", "socks5://127.0.0.1:1")]), 1, "unsupported proxy: invalid argument");
}
