//! What the memory lifecycle, data deletion and credits tests share: an
//! emulator whose jobs finish quickly, documents ingested to completion,
//! what a context fetch still returns, the uploads the emulator received,
//! and temporary files that are removed afterwards.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use synap::{Client, ContextList, ContextRequest, ContextScope, CreateRequest, IngestState, RetryPolicy, WaitOptions};
use synap_emulator::Config;

use crate::common::Emu;

pub const USER: &str = "user_789";
pub const CUSTOMER: &str = "cust_456";
pub const INSTANCE: &str = "inst_4e7a19c03b5d82f1";

/// An emulator with no demo jobs, whose ingestion jobs finish quickly.
pub fn start() -> Emu {
    start_with(Config::default())
}

pub fn start_with(config: Config) -> Emu {
    Emu::start_with(Config { seed_demo: false, create_processing_after_ms: 0, create_done_after_ms: 40, ..config })
}

/// A client that retries quickly, with `timeout` for each attempt.
pub fn retrying(emu: &Emu, timeout: Duration) -> Client {
    Client::new(
        emu.options()
            .request_timeout(timeout)
            .unwrap()
            .retry(RetryPolicy::new(3, Duration::from_millis(10), Duration::from_millis(30)))
            .unwrap(),
    )
    .unwrap()
}

pub fn quick_wait() -> WaitOptions {
    let mut options = WaitOptions::new();
    options.timeout(Duration::from_secs(10)).unwrap().poll_interval(Duration::from_millis(10)).unwrap();
    options
}

/// Waits until the ingestion job has completed; returns its memory ids.
pub fn completed(client: &Client, ingestion_id: &str) -> Vec<String> {
    let status = client.memories_wait(ingestion_id, &quick_wait(), None, |_| true).expect("wait");
    assert_eq!(status.state(), &IngestState::Completed, "{status:?}");
    status.memory_ids().iter().map(str::to_owned).collect()
}

/// Creates `text` as a document of `user` at `customer` and waits until its
/// memories are readable; returns their ids.
pub fn ingest(client: &Client, text: &str, user: &str, customer: &str) -> Vec<String> {
    let mut request = CreateRequest::text(text);
    request.user_id(user).customer_id(customer);
    let ingestion = client.memories_create(&request).expect("create");
    completed(client, &ingestion.ingestion_id().to_string())
}

/// The ids of the memories a user fetch for `query` returns.
pub fn fetched_ids(client: &Client, user: &str, query: &str) -> BTreeSet<String> {
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id(user).unwrap().query(query);
    let context = client.context_fetch(&request).expect("context fetch");
    ContextList::TYPED
        .iter()
        .flat_map(|l| context.list(*l))
        .filter_map(|item| item.id.as_deref().map(str::to_owned))
        .collect()
}

/// The uploads the emulator received (`GET /_emulator/uploads`), oldest first.
pub fn uploads(emu: &Emu) -> Vec<Value> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into();
    let mut response = agent.get(&format!("{}/_emulator/uploads", emu.base_url)).call().expect("upload log");
    assert_eq!(response.status(), 200);
    let log: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    log["uploads"].as_array().cloned().expect("an uploads array")
}

/// The requests the emulator logged whose path, as sent (percent-encoded),
/// is `path`.
pub fn sent_to(emu: &Emu, path: &str) -> Vec<Value> {
    emu.requests(None).into_iter().filter(|r| r["path"] == path).collect()
}

pub fn correlation_id(logged: &Value) -> &str {
    logged["headers"]["x-correlation-id"].as_str().expect("X-Correlation-ID sent")
}

/// FNV-1a 64 of `bytes`, as the emulator writes it (16 hex digits).
pub fn fnv1a64(bytes: &[u8]) -> String {
    let mut hash = Fnv1a64::default();
    hash.update(bytes);
    hash.hex()
}

pub struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// A directory of its own under the system's temporary directory, removed
/// with everything in it when dropped (a failed assertion included).
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        let dir = std::env::temp_dir().join(format!("synap-{name}-{}-{}", std::process::id(), &unique[..8]));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` to `name` in the directory; returns its path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).expect("temporary file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
