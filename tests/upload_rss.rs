//! A 100 MB file uploaded through the C API is streamed: the uploading
//! process stays under 20 MB of resident memory, and the emulator receives
//! every byte intact (its size and FNV-1a 64 hash).

mod common;
mod lifecycle_support;

use std::io::Write;
use std::process::Command;

use common::Emu;
use common::cprog::{compile, run, text};
use lifecycle_support::{Fnv1a64, TempDir, uploads};

const FILE_BYTES: usize = 100 * 1024 * 1024;
const BLOCK_BYTES: usize = 1024 * 1024;
const MAX_PEAK_RSS_KB: u64 = 20 * 1024;

/// Writes `FILE_BYTES` of data at `path` and returns its hash: a
/// pseudo-random block whose first bytes are its index, so that a block
/// lost, repeated or reordered on the way changes the hash.
fn write_large_file(path: &std::path::Path) -> String {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut block: Vec<u8> = (0..BLOCK_BYTES)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut hash = Fnv1a64::default();
    for index in 0..FILE_BYTES / BLOCK_BYTES {
        block[..8].copy_from_slice(&(index as u64).to_le_bytes());
        hash.update(&block);
        file.write_all(&block).unwrap();
    }
    file.flush().unwrap();
    hash.hex()
}

/// The number before " kB" on the line of `stdout` that starts with `label`.
fn kilobytes(stdout: &str, label: &str) -> u64 {
    let line = stdout.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("no {label:?} in {stdout}"));
    line[label.len()..].trim().trim_end_matches(" kB").parse().unwrap_or_else(|_| panic!("{line:?}"))
}

#[test]
fn a_100_mb_upload_is_streamed_in_under_20_mb_of_rss() {
    let binary = compile("tests/c/upload_rss.c", "upload_rss");
    let emu = Emu::start();
    let dir = TempDir::new("upload-rss");
    let path = dir.path().join("large.bin");
    let hash = write_large_file(&path);

    let out = run(Command::new(&binary)
        .env("SYNAP_FIX_BASE_URL", &emu.base_url)
        .env("SYNAP_FIX_FILE", &path)
        .env_remove("SYNAP_API_KEY")
        .env_remove("SYNAP_BASE_URL"));
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    let (before, peak) = (kilobytes(&stdout, "peak rss before upload:"), kilobytes(&stdout, "peak rss:"));
    eprintln!("100 MiB upload through the C API: peak RSS {peak} kB ({before} kB before the upload)");

    let received = uploads(&emu);
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["filename"], "large.bin");
    assert_eq!(received[0]["bytes"], FILE_BYTES as u64, "every byte arrived");
    assert_eq!(received[0]["fnv1a64"], hash.as_str(), "intact");
    assert!(peak < MAX_PEAK_RSS_KB, "peak RSS {peak} kB is not under {MAX_PEAK_RSS_KB} kB");
}
