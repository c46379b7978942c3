//! `Client::memories_wait` against jobs that progress in the emulator:
//! terminal states, the deadline, cancellation and errors.

mod common;

use std::time::{Duration, Instant};

use common::Emu;
use serde_json::json;
use synap::{CancelToken, ErrorKind, IngestState, WaitCounts, WaitOptions};

fn every(poll_ms: u64, timeout_ms: u64) -> WaitOptions {
    let mut options = WaitOptions::new();
    options.timeout(Duration::from_millis(timeout_ms)).unwrap().poll_interval(Duration::from_millis(poll_ms)).unwrap();
    options
}

#[test]
fn waits_through_queued_and_processing_to_completed() {
    let emu = Emu::start();
    let id = emu.job(json!({"processing_after_ms": 200, "done_after_ms": 600, "memories": 4}));
    let mut seen = Vec::new();
    let status = emu
        .client()
        .memories_wait(&id, &every(50, 10_000), None, |s| {
            seen.push(s.state().clone());
            true
        })
        .unwrap();
    assert_eq!(status.state(), &IngestState::Completed);
    assert_eq!(status.memories_created(), 4);
    assert_eq!(seen.first(), Some(&IngestState::Queued));
    assert!(seen.contains(&IngestState::Processing), "{seen:?}");
    assert_eq!(seen.last(), Some(&IngestState::Completed), "the callback sees the terminal poll too");
    assert!(seen.len() >= 5, "polled about every 50 ms: {seen:?}");
    assert_eq!(WaitCounts::of_status(&status), WaitCounts { completed: 1, ..WaitCounts::default() });
}

#[test]
fn a_failed_job_is_returned_not_raised() {
    let emu = Emu::start();
    let id = emu.job(json!({"final_status": "failed", "error_message": "bad pdf", "done_after_ms": 100}));
    let status = emu.client().memories_wait(&id, &every(30, 5_000), None, |_| true).unwrap();
    assert_eq!(status.state(), &IngestState::Failed);
    assert_eq!(status.error_message(), Some("bad pdf"));
}

#[test]
fn the_deadline_cuts_the_last_sleep() {
    let emu = Emu::start();
    let id = emu.job(json!({"processing_after_ms": 0, "done_after_ms": 3_600_000}));
    let started = Instant::now();
    let e = emu.client().memories_wait(&id, &every(400, 1_000), None, |_| true).unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.message(), format!("ingestion {id} did not complete within 1000 ms: still processing after 3 polls"));
    assert!(elapsed >= Duration::from_millis(1000) && elapsed < Duration::from_millis(1200), "{elapsed:?}");
}

#[test]
fn a_slow_status_call_is_cut_by_the_wait_deadline() {
    let emu = Emu::start();
    let id = emu.job(json!({"done_after_ms": 3_600_000}));
    emu.fault(&id, 1, json!({"kind": "delay", "ms": 20_000}));
    let started = Instant::now();
    let e = emu.client().memories_wait(&id, &every(100, 700), None, |_| true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().starts_with(&format!("ingestion {id} did not complete within 700 ms")), "{}", e.message());
    assert!(started.elapsed() < Duration::from_millis(1000), "{:?}", started.elapsed());
}

#[test]
fn cancel_from_another_thread_stops_a_sleeping_wait_at_once() {
    let emu = Emu::start();
    let id = emu.job(json!({"done_after_ms": 3_600_000}));
    let client = emu.client();
    let token = CancelToken::new();
    let (tx, rx) = std::sync::mpsc::channel();
    let waiter = {
        let token = token.clone();
        std::thread::spawn(move || {
            let result = client.memories_wait(&id, &every(60_000, 120_000), Some(&token), |_| {
                tx.send(()).unwrap();
                true
            });
            (result, Instant::now())
        })
    };
    rx.recv().unwrap(); // the first poll is done: the wait now sleeps 60 s
    std::thread::sleep(Duration::from_millis(50));
    let cancelled_at = Instant::now();
    token.cancel();
    let (result, returned_at) = waiter.join().unwrap();
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(e.message(), "wait cancelled by the cancel handle after 1 polls");
    let lag = returned_at - cancelled_at;
    assert!(lag < Duration::from_millis(50), "returned {lag:?} after the cancel");
}

#[test]
fn the_progress_callback_can_cancel() {
    let emu = Emu::start();
    let id = emu.job(json!({"done_after_ms": 3_600_000}));
    let mut polls = 0;
    let e = emu
        .client()
        .memories_wait(&id, &every(10, 5_000), None, |_| {
            polls += 1;
            polls < 3
        })
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(e.message(), "wait cancelled by the progress callback after 3 polls");
}

#[test]
fn status_errors_end_the_wait() {
    let emu = Emu::start();
    let client = emu.client();
    let e =
        client.memories_wait("00000000-0000-4000-8000-000000000000", &every(10, 5_000), None, |_| true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = client.memories_wait("../../x", &every(10, 5_000), None, |_| true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let id = emu.job(json!({}));
    // A zero timeout is refused where it is set, and the refusal leaves the
    // options as they were, so it can never reach a wait.
    let mut options = every(10, 5_000);
    let e = options.timeout(Duration::ZERO).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "wait timeout must be greater than zero"));
    let e = options.poll_interval(Duration::ZERO).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "poll interval must be greater than zero"));
    assert_eq!(options, every(10, 5_000), "the refusals left the options unchanged");
    assert!(emu.requests(Some(&format!("{}{id}", common::STATUS_PATH))).is_empty(), "no request for bad input");
}
