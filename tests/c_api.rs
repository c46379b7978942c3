//! The C programs: the C tests and the examples are compiled with strict
//! warnings against the committed header and the built library, then run
//! against an in-process emulator, the C tests under valgrind memcheck.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::Emu;
use common::cprog::{
    compile, ingest_fixtures, resilience_fixtures, root, run, run_c_tests, status_fixtures, text, valgrind,
};
use serde_json::json;
use synap_emulator::{DEMO_FAILED_ID, DEMO_PARTIAL_ID, DEMO_PROGRESSING_ID, DEV_API_KEY};

#[test]
fn c_status_tests_pass_under_valgrind() {
    let binary = compile("tests/c/test_status.c", "test_status");
    let emu = Emu::start();
    let fixtures = status_fixtures(&emu);
    run_c_tests(&binary, &fixtures);

    // Every request that reached the server was for a canonical status path:
    // malformed ids never left the process.
    for request in emu.requests(None) {
        let path = request["path"].as_str().unwrap();
        let id = path.strip_prefix(common::STATUS_PATH).unwrap_or_else(|| panic!("unexpected path {path}"));
        assert_eq!(uuid::Uuid::parse_str(id).unwrap().to_string(), id, "non-canonical path {path}");
    }
}

#[test]
fn c_resilience_tests_pass_under_valgrind() {
    let binary = compile("tests/c/test_resilience.c", "test_resilience");
    let emu = Emu::start();
    let fixtures = resilience_fixtures(&emu);
    let started = std::time::Instant::now();
    run_c_tests(&binary, &fixtures);
    eprintln!("test_resilience under valgrind: {:?}", started.elapsed());

    let fixture = |name: &str| fixtures.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()).unwrap();
    let attempts = |name: &str| emu.requests(Some(&format!("{}{}", common::STATUS_PATH, fixture(name)))).len();
    for (name, expected) in
        [("R503_TWICE", 3), ("R500_ALWAYS", 3), ("R429_CREDIT", 1), ("R429_AFTER", 2), ("R_HANG", 1), ("R503_ONCE", 2)]
    {
        assert_eq!(attempts(name), expected, "attempts the emulator saw for {name}");
    }
    let threaded = emu.requests(Some(&format!("{}{}", common::STATUS_PATH, fixture("COMPLETED"))));
    assert!(threaded.len() >= 8 * 500, "every threaded call reached the server");
    let connections: std::collections::HashSet<u64> = threaded.iter().map(|r| r["conn"].as_u64().unwrap()).collect();
    assert!(connections.len() <= 16, "8 threads reuse pooled connections: {} were opened", connections.len());
}

fn example(emu: &Emu, binary: &Path, args: &[&str]) -> Output {
    run(Command::new(binary)
        .args(["--base-url", &emu.base_url])
        .args(args)
        .env("SYNAP_API_KEY", DEV_API_KEY)
        .env_remove("SYNAP_BASE_URL"))
}

#[test]
fn c_ingest_tests_pass_under_valgrind() {
    let binary = compile("tests/c/test_ingest.c", "test_ingest");
    let emu = Emu::start();
    let fixtures = ingest_fixtures(&emu);
    run_c_tests(&binary, &fixtures);
    // Refused arguments never reached the server.
    assert!(emu.requests(None).iter().all(|r| !r["path"].as_str().unwrap().contains("..")));
}

#[test]
fn synap_ingest_example_ingests_waits_and_prints_memories_under_valgrind() {
    let binary = compile("examples-c/synap-ingest.c", "synap-ingest");
    let emu = Emu::start();
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300}));
    let sample = root().join("examples-c/sample-chat.txt");
    let ingest = |args: &[&str], valgrind_it: bool| {
        let mut cmd = if valgrind_it { valgrind() } else { Command::new(&binary) };
        if valgrind_it {
            cmd.arg(&binary);
        }
        cmd.args(["--base-url", &emu.base_url, "--interval", "0.1"]).args(args);
        run(cmd.env("SYNAP_API_KEY", DEV_API_KEY).env_remove("SYNAP_BASE_URL"))
    };
    let out = ingest(&["--document-id", "ex-1", sample.to_str().unwrap()], true);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains(": completed, 5 memories"), "{stdout}");
    assert!(stdout.contains("- [preference] I only drink decaf after 3pm"), "{stdout}");
    assert!(text(&out.stderr).contains(": completed after "), "{}", text(&out.stderr));

    let out = ingest(&["--document-id", "ex-1", sample.to_str().unwrap()], false);
    assert_eq!(out.status.code(), Some(6), "a repeated document id is SYNAP_CONFLICT");
    let failing = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fail-ingest.txt");
    std::fs::write(&failing, "This document says FAIL_INGEST so it cannot be processed.").unwrap();
    let out = ingest(&[failing.to_str().unwrap()], false);
    assert_eq!(out.status.code(), Some(65), "a failed job: {}", text(&out.stdout));
    assert!(text(&out.stdout).contains("error: extraction failed"), "{}", text(&out.stdout));
    let out = ingest(&["--type", "support-ticket", sample.to_str().unwrap()], false);
    assert_eq!(out.status.code(), Some(1), "unknown type refused locally");
    let out = ingest(&["/nonexistent/file"], false);
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn synap_status_example_prints_the_demo_jobs() {
    let binary = compile("examples-c/synap-status.c", "synap-status");
    let emu = Emu::start();

    let out = example(&emu, &binary, &[DEMO_PROGRESSING_ID, DEMO_FAILED_ID, DEMO_PARTIAL_ID]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    for expected in [
        DEMO_PROGRESSING_ID,
        DEMO_FAILED_ID,
        DEMO_PARTIAL_ID,
        "document:     chat-2025-01-15-user-789",
        "status:       failed (final)",
        "status:       partial_success (final)",
        "error:        entity resolution timed out for 2 of 3 extractions",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }

    let out = example(&emu, &binary, &["--json", DEMO_FAILED_ID, DEMO_PARTIAL_ID]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> =
        text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["ingestion_id"], DEMO_FAILED_ID);
    assert_eq!(lines[0]["status"], "failed");
    assert_eq!(lines[1]["status"], "partial_success");
    assert_eq!(lines[1]["memories_created"], 1);
    assert_eq!(lines[1]["memory_ids"].as_array().unwrap().len(), 1);
    assert!(lines[1]["queued_at"].as_str().unwrap().ends_with('Z'));
    for field in ["document_id", "started_at", "completed_at", "error_message"] {
        assert!(lines[1].get(field).is_some(), "{field}");
    }
}

#[test]
fn synap_status_example_reports_failures() {
    let binary = compile("examples-c/synap-status.c", "synap-status-failures");
    let emu = Emu::start();
    let unknown = "00000000-0000-4000-8000-000000000000";

    // Exit status is the first failure's code; later ids are still printed.
    let out = example(&emu, &binary, &[unknown, "../../x", DEMO_FAILED_ID]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "synap-status: {unknown}: SYNAP_NOT_FOUND: HTTP 404: Ingestion job not found (correlation id syn__"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("synap-status: ../../x: SYNAP_INVALID_ARGUMENT: ingestion_id is not a UUID"), "{stderr}");
    assert!(text(&out.stdout).contains(DEMO_FAILED_ID));

    let out =
        run(Command::new(&binary).arg(DEMO_FAILED_ID).env_remove("SYNAP_API_KEY").env("SYNAP_BASE_URL", &emu.base_url));
    assert_eq!(out.status.code(), Some(2), "no key is SYNAP_AUTH");
    assert!(text(&out.stderr).contains("no API key"));

    let out = run(Command::new(&binary).arg("--bogus"));
    assert_eq!(out.status.code(), Some(64));
    let out = run(&mut Command::new(&binary));
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn synap_status_example_waits_with_progress_lines() {
    let binary = compile("examples-c/synap-status.c", "synap-status-wait");
    let emu = Emu::start();
    let id = emu.job(json!({"processing_after_ms": 300, "done_after_ms": 900, "memories": 1}));
    let out = example(&emu, &binary, &["--wait", "--interval", "0.1", &id]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    let progress: Vec<&str> = stdout.lines().filter(|l| l.starts_with(&format!("{id}: "))).collect();
    assert_eq!(progress.len(), 3, "a plain line per state when stdout is not a terminal: {stdout}");
    assert!(progress[0].contains(": queued after ") && progress[1].contains(": processing after "), "{stdout}");
    assert!(progress[2].contains(": completed after "), "{stdout}");
    assert!(stdout.contains("status:       completed (final)"), "{stdout}");

    let never = emu.job(json!({"done_after_ms": 3_600_000}));
    let out = example(&emu, &binary, &["--wait", "--interval", "0.1", "--timeout", "0.5", &never]);
    assert_eq!(out.status.code(), Some(9), "SYNAP_TIMEOUT");
    assert!(text(&out.stderr).contains("did not complete within 500 ms"), "{}", text(&out.stderr));
    let out = example(&emu, &binary, &["--wait", "--timeout", "-1", &never]);
    assert_eq!(out.status.code(), Some(64));
}

#[test]
fn synap_status_example_is_clean_under_valgrind() {
    let binary = compile("examples-c/synap-status.c", "synap-status-valgrind");
    let emu = Emu::start();
    let out = run(valgrind()
        .arg(&binary)
        .args(["--base-url", &emu.base_url, DEMO_PARTIAL_ID, "00000000-0000-4000-8000-000000000000"])
        .env("SYNAP_API_KEY", DEV_API_KEY));
    assert_eq!(out.status.code(), Some(3), "valgrind or the program failed:\n{}", text(&out.stderr));
}
