//! The endless and trickle writers stop when the client leaves and when the
//! emulator shuts down. Alone in its test binary, as it counts the
//! emulator's connection threads in the whole process.
#![cfg(target_os = "linux")]

mod common;

use std::io::Read;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

/// Threads serving a connection, by the name the emulator gives them.
fn conn_threads() -> usize {
    let tasks = std::fs::read_dir("/proc/self/task").expect("procfs");
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.trim_end() == "synap-emu-conn")
        .count()
}

fn settles_to(count: usize, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if conn_threads() == count {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    conn_threads() == count
}

fn start_faulted(emu: &synap_emulator::Emulator, fault_json: serde_json::Value) -> Conn {
    fault(emu, "/health", 1, fault_json);
    let mut c = Conn::open(emu);
    c.write_request("GET", "/health", &[], None);
    let mut first = [0u8; 1];
    c.reader_mut().read_exact(&mut first).unwrap();
    c
}

#[test]
fn writers_stop_when_the_client_leaves_and_on_shutdown() {
    let emu = start_control();
    assert!(settles_to(0, Duration::from_secs(2)), "control connections linger");

    let mut endless = start_faulted(&emu, json!({"kind": "endless", "chunk_bytes": 1024}));
    let mut sink = vec![0; 256 * 1024];
    endless.reader_mut().read_exact(&mut sink).unwrap();
    assert_eq!(conn_threads(), 1);
    drop(endless);
    assert!(settles_to(0, Duration::from_secs(2)), "endless writer outlived its client");

    let trickle = start_faulted(&emu, json!({"kind": "trickle", "interval_ms": 100}));
    drop(trickle);
    assert!(settles_to(0, Duration::from_secs(2)), "trickle writer outlived its client");

    // On shutdown: an endless body to a client that stopped reading (its
    // writer blocks on a full socket) and a trickle between two bytes.
    let _stalled = start_faulted(&emu, json!({"kind": "endless"}));
    let _slow = start_faulted(&emu, json!({"kind": "trickle", "interval_ms": 60_000}));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(conn_threads(), 2);
    let t0 = Instant::now();
    emu.shutdown();
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    assert_eq!(conn_threads(), 0, "shutdown left connection threads running");
}
