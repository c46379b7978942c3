//! The file the binding tests upload, and what the emulator received: sizes
//! and FNV-1a 64 hashes (`GET /_emulator/uploads`), so a test can tell that
//! a file arrived whole.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;

/// 300 KiB (more than one read) of bytes that are not UTF-8, NUL among them.
pub fn file_bytes() -> Vec<u8> {
    (0..300 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
}

/// Writes [`file_bytes`] as `name` in the test's scratch directory.
pub fn write_file(name: &str) -> PathBuf {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, file_bytes()).unwrap();
    path
}

pub fn fnv1a64(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
    format!("{hash:016x}")
}

/// What the emulator at `base_url` received as uploads, oldest first.
pub fn received(base_url: &str) -> Vec<Value> {
    // Never through a proxy from the environment, as the control client.
    let http: ureq::Agent = ureq::Agent::config_builder().proxy(None).build().into();
    let text = http
        .get(&format!("{base_url}/_emulator/uploads"))
        .call()
        .expect("uploads list")
        .body_mut()
        .read_to_string()
        .unwrap();
    let list: Value = serde_json::from_str(&text).unwrap();
    list["uploads"].as_array().cloned().unwrap_or_default()
}
