//! `Client::memories_wait_all` over many jobs in the emulator.

mod common;

use std::time::{Duration, Instant};

use common::Emu;
use serde_json::json;
use synap::{ErrorKind, IngestState, MAX_IN_FLIGHT, WaitCounts, WaitOptions};

fn options(timeout_ms: u64, poll_ms: u64, in_flight: usize) -> WaitOptions {
    let mut options = WaitOptions::new();
    options
        .timeout(Duration::from_millis(timeout_ms))
        .unwrap()
        .poll_interval(Duration::from_millis(poll_ms))
        .unwrap()
        .max_in_flight(in_flight)
        .unwrap();
    options
}

#[test]
fn many_jobs_finish_with_results_in_order_and_progress_counts() {
    let emu = Emu::start();
    let mut ids = Vec::new();
    for i in 0..40u64 {
        let spec = match i % 4 {
            0 => json!({"processing_after_ms": 50, "done_after_ms": 100 + i * 10, "memories": 1}),
            1 => json!({"done_after_ms": 200, "final_status": "failed", "error_message": "bad"}),
            2 => json!({"done_after_ms": 300, "final_status": "partial_success"}),
            _ => json!({"done_after_ms": 0}),
        };
        ids.push(emu.job(spec));
    }
    ids.push("not-a-uuid".to_owned());
    ids.push("00000000-0000-4000-8000-000000000000".to_owned());
    let mut seen: Vec<WaitCounts> = Vec::new();
    let results = emu.client().memories_wait_all(&ids, &options(10_000, 50, 6), None, |c| {
        seen.push(*c);
        true
    });
    assert_eq!(results.len(), 42);
    for (i, result) in results.iter().take(40).enumerate() {
        let status = result.as_ref().unwrap_or_else(|e| panic!("job {i}: {e}"));
        assert_eq!(status.ingestion_id().to_string(), ids[i], "results are in the order given");
        let want = [IngestState::Completed, IngestState::Failed, IngestState::PartialSuccess, IngestState::Completed];
        assert_eq!(status.state(), &want[i % 4]);
    }
    assert_eq!(results[40].as_ref().unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(results[41].as_ref().unwrap_err().kind(), ErrorKind::NotFound);
    let last = seen.last().unwrap();
    assert_eq!((last.completed, last.failed, last.partial_success, last.errors), (20, 10, 10, 2));
    assert_eq!(last.done(), 42);
    assert!(seen.windows(2).all(|w| w[1].done() >= w[0].done()), "done only grows");
    assert_eq!(seen[0].pending, 41, "the first report comes before any poll (the bad id is already an error)");
}

#[test]
fn requests_in_flight_are_bounded() {
    let emu = Emu::start();
    let ids: Vec<String> = (0..12).map(|_| emu.job(json!({"done_after_ms": 0}))).collect();
    emu.fault_any(12, json!({"kind": "delay", "ms": 150}));
    let started = Instant::now();
    let results = emu.client().memories_wait_all(&ids, &options(20_000, 10, 3), None, |_| true);
    let elapsed = started.elapsed();
    assert!(results.iter().all(Result::is_ok));
    // 12 slow answers, 3 at a time: at least 4 rounds of 150 ms; all at
    // once would take one.
    assert!(elapsed >= Duration::from_millis(600), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
}

#[test]
fn the_deadline_and_cancellation_end_unfinished_jobs() {
    let emu = Emu::start();
    let done = emu.job(json!({"done_after_ms": 0}));
    let never = emu.job(json!({"done_after_ms": 3_600_000}));
    let ids = [done.clone(), never.clone()];
    let started = Instant::now();
    let results = emu.client().memories_wait_all(&ids, &options(500, 100, 2), None, |_| true);
    assert!(started.elapsed() < Duration::from_millis(800), "{:?}", started.elapsed());
    assert!(results[0].is_ok());
    let e = results[1].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(
        e.message().starts_with(&format!("ingestion {never} did not complete within 500 ms: still ")),
        "{}",
        e.message()
    );

    let mut calls = 0;
    let results = emu.client().memories_wait_all(&ids, &options(10_000, 50, 2), None, |c| {
        calls += 1;
        c.done() < 1
    });
    assert!(results[0].is_ok());
    assert_eq!(results[1].as_ref().unwrap_err().kind(), ErrorKind::Cancelled);

    let token = synap::CancelToken::new();
    let client = emu.client();
    let waiter = {
        let token = token.clone();
        let ids = ids.clone();
        std::thread::spawn(move || client.memories_wait_all(&ids, &options(60_000, 10_000, 2), Some(&token), |_| true))
    };
    std::thread::sleep(Duration::from_millis(300));
    let cancelled_at = Instant::now();
    token.cancel();
    let results = waiter.join().unwrap();
    assert!(cancelled_at.elapsed() < Duration::from_millis(100), "{:?}", cancelled_at.elapsed());
    assert_eq!(results[1].as_ref().unwrap_err().kind(), ErrorKind::Cancelled);

    // Bad options are refused where they are set, so no wait can see them;
    // the refusal leaves the options as they were.
    let mut bad = options(1000, 10, 2);
    let e = bad.max_in_flight(0).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "max_in_flight must be between 1 and 64, not 0"));
    let e = bad.max_in_flight(MAX_IN_FLIGHT + 1).unwrap_err();
    assert_eq!(e.message(), "max_in_flight must be between 1 and 64, not 65");
    let e = bad.timeout(Duration::ZERO).unwrap_err();
    assert_eq!(e.message(), "wait timeout must be greater than zero");
    assert_eq!(bad, options(1000, 10, 2), "the refusals left the options unchanged");
}

#[test]
fn a_slow_progress_callback_still_sees_the_last_change() {
    let emu = Emu::start();
    let ids: Vec<String> = (0..4).map(|_| emu.job(json!({"done_after_ms": 0}))).collect();
    // Answers land while the callback sleeps; the wait must not end
    // without reporting them.
    for round in 0..20 {
        let mut seen: Vec<WaitCounts> = Vec::new();
        let results = emu.client().memories_wait_all(&ids, &options(10_000, 10, 4), None, |c| {
            seen.push(*c);
            std::thread::sleep(Duration::from_millis(3));
            true
        });
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(seen[0], WaitCounts { pending: 4, ..WaitCounts::default() }, "round {round}: first report");
        assert_eq!(seen.last().unwrap().completed, 4, "round {round}: last report {seen:?}");
        assert_eq!(WaitCounts::of_results(&results), *seen.last().unwrap(), "round {round}");
    }
}

#[test]
fn a_progress_callback_that_stops_at_once_polls_nothing() {
    let emu = Emu::start();
    let ids = [emu.job(json!({"done_after_ms": 0})), "not-a-uuid".to_owned()];
    let mut calls = 0;
    let results = emu.client().memories_wait_all(&ids, &options(10_000, 10, 2), None, |c| {
        calls += 1;
        assert_eq!((c.pending, c.errors), (1, 1));
        false
    });
    assert_eq!(calls, 1);
    assert_eq!(results[0].as_ref().unwrap_err().kind(), ErrorKind::Cancelled);
    assert_eq!(results[1].as_ref().unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert!(emu.requests(None).is_empty(), "no request was sent: {:?}", emu.requests(None));
}
