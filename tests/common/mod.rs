//! An in-process emulator with its control endpoint, for integration tests.
#![allow(dead_code)]

pub mod cprog;

use std::net::TcpListener;

use serde_json::{Value, json};
use synap::{Client, ClientOptions, RetryPolicy};
use synap_emulator::{Config, DEV_API_KEY, Emulator, TestPki};

pub const STATUS_PATH: &str = "/api/v1/memories/status/";

pub struct Emu {
    pub emulator: Emulator,
    pub base_url: String,
    control: ureq::Agent,
}

impl Emu {
    pub fn start() -> Emu {
        Emu::attach(Emulator::start(Config { control: true, ..Config::default() }).expect("emulator starts"))
    }

    /// Drives an emulator started with its own config (control on).
    pub fn attach(emulator: Emulator) -> Emu {
        let base_url = emulator.base_url();
        // The control client never goes through a proxy from the environment.
        let control = ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into();
        Emu { emulator, base_url, control }
    }

    /// An emulator with `config`, control forced on (`start_https` for TLS).
    pub fn start_with(config: Config) -> Emu {
        Emu::attach(Emulator::start(Config { control: true, ..config }).expect("emulator starts"))
    }

    /// An HTTPS emulator serving `pki`'s certificate, control on; the control
    /// client trusts `pki`'s CA and nothing else.
    pub fn start_https(pki: &TestPki, config: Config) -> Emu {
        let config = Config { control: true, tls: Some(pki.identity()), ..config };
        let emulator = Emulator::start(config).expect("emulator starts");
        let ca = ureq::tls::Certificate::from_pem(pki.ca_cert_pem.as_bytes()).expect("CA PEM");
        let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[ca])).build();
        let control = ureq::Agent::config_builder().http_status_as_error(false).proxy(None).tls_config(tls).build();
        Emu { base_url: emulator.base_url(), emulator, control: control.into() }
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let mut response = self
            .control
            .post(&format!("{}{path}", self.base_url))
            .content_type("application/json")
            .send(body.to_string())
            .expect("control endpoint answers");
        let status = response.status();
        let text = response.body_mut().read_to_string().expect("control body");
        assert_eq!(status, 200, "control {path} refused: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Creates a job from a control spec and returns its ingestion id.
    pub fn job(&self, spec: Value) -> String {
        self.post("/_emulator/jobs", spec)["ingestion_id"].as_str().expect("ingestion_id").to_owned()
    }

    /// A job whose status route answers exactly `body`.
    pub fn raw_job(&self, body: Value) -> String {
        self.job(json!({ "raw_body": body }))
    }

    /// Scripts `fault` for the next `count` requests to the status of `id`.
    pub fn fault(&self, id: &str, count: u32, fault: Value) {
        self.post_fault(&format!("{STATUS_PATH}{id}"), count, fault);
    }

    /// Scripts `fault` for the next `count` requests to `path` (`*`: any).
    pub fn post_fault(&self, path: &str, count: u32, fault: Value) {
        self.post("/_emulator/faults", json!({ "path": path, "count": count, "fault": fault }));
    }

    /// Scripts `fault` for the next `count` requests to any path.
    pub fn fault_any(&self, count: u32, fault: Value) {
        self.post_fault("*", count, fault);
    }

    /// Every request the emulator saw on `path` (all when `None`).
    pub fn requests(&self, path: Option<&str>) -> Vec<Value> {
        let mut url = format!("{}/_emulator/requests", self.base_url);
        if let Some(path) = path {
            url = format!("{url}?path={path}");
        }
        let text = self.control.get(&url).call().expect("request log").body_mut().read_to_string().unwrap();
        let log: Value = serde_json::from_str(&text).unwrap();
        log["requests"].as_array().cloned().unwrap_or_default()
    }

    /// The JSON bodies of the requests the emulator saw on `path`, in order.
    pub fn sent_json(&self, path: &str) -> Vec<Value> {
        self.requests(Some(path))
            .iter()
            .map(|r| serde_json::from_str(r["body"].as_str().expect("a logged body")).expect("a JSON body"))
            .collect()
    }

    /// Changes run-time settings (`POST /_emulator/config`).
    pub fn post_config(&self, config: Value) {
        self.post("/_emulator/config", config);
    }

    /// Scripts changes to the next context fetches (`POST /_emulator/context`).
    pub fn script_context(&self, script: Value) {
        self.post("/_emulator/context", script);
    }

    pub fn set_time_format(&self, format: &str) {
        self.post("/_emulator/config", json!({ "time_format": format }));
    }

    /// Options for this emulator with one attempt per call, so a scripted
    /// fault shows as the call's result; retry tests set their own policy.
    pub fn options(&self) -> ClientOptions {
        let mut options = ClientOptions::new();
        options.api_key(DEV_API_KEY).unwrap().base_url(&self.base_url).unwrap().retry(RetryPolicy::none()).unwrap();
        options
    }

    pub fn client(&self) -> Client {
        Client::new(&self.options()).expect("client")
    }
}

/// A new CA and a certificate for `localhost`, `127.0.0.1` and `::1`.
pub fn test_pki() -> TestPki {
    TestPki::generate(&["localhost", "127.0.0.1", "::1"]).expect("test PKI")
}

/// A loopback URL where nothing listens: bind a port, then free it.
pub fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
