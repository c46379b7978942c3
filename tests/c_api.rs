//! The C programs: the C tests and the examples are compiled with strict
//! warnings against the committed header and the built library, then run
//! against an in-process emulator, the C tests under valgrind memcheck.

mod common;
mod lifecycle_support;

use std::path::Path;
use std::process::{Command, Output};

use common::Emu;
use common::cprog::{
    CHAT_TRANSCRIPT, assert_chat_output, assert_conversation_writes_sent_once, compile, context_fixtures,
    conversation_fixtures, declared_functions, ingest_fixtures, lifecycle_fixtures, resilience_fixtures, root, run,
    run_c_tests, run_with_input, status_fixtures, text, used_functions, valgrind,
};
use lifecycle_support::{TempDir, fetched_ids, fnv1a64, uploads};
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
    assert!(stdout.contains("- [preference] I switched to decaf after 3pm."), "{stdout}");
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
    let out = ingest(&["--metadata", "[1]", sample.to_str().unwrap()], false);
    assert_eq!(out.status.code(), Some(1), "metadata that is not an object refused locally");
    assert!(text(&out.stderr).contains("SYNAP_INVALID_ARGUMENT"), "{}", text(&out.stderr));
    let out = ingest(&["--user-id", "u-1", sample.to_str().unwrap()], false);
    assert_eq!(out.status.code(), Some(4), "this instance wants a customer with a user: {}", text(&out.stderr));
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

#[test]
fn c_context_tests_pass_under_valgrind() {
    let source = "tests/c/test_context.c";
    // Every context-retrieval function of the header is called at least once.
    let header = std::fs::read_to_string(root().join("include/synap.h")).unwrap();
    let used = used_functions(&std::fs::read_to_string(root().join(source)).unwrap());
    let families =
        ["synap_context_", "synap_conversation_", "synap_profile_", "synap_prompt_", "synap_retrieval_", "synap_turn_"];
    let missing: Vec<String> = declared_functions(&header)
        .into_iter()
        .filter(|f| families.iter().any(|p| f.starts_with(p)) || f == "synap_user_profile")
        .filter(|f| !conversation_api(f))
        .filter(|f| !used.contains(f))
        .collect();
    assert!(missing.is_empty(), "{source} never calls {missing:?}");

    let binary = compile(source, "test_context");
    let emu = Emu::start();
    let fixtures = context_fixtures(&emu, false);
    let started = std::time::Instant::now();
    run_c_tests(&binary, &fixtures);
    eprintln!("test_context under valgrind: {:?}", started.elapsed());
    // Refused arguments never reached the server; a conversation id in any
    // accepted form is sent canonical.
    for path in ["/v1/conversations/conv-1/context-for-prompt", "/v1/users//profile", "/v1/users/nobody/profile"] {
        let seen = emu.requests(Some(path)).len();
        assert_eq!(seen, usize::from(path.contains("nobody")), "{path}");
    }
    let fetches = emu.requests(Some("/v1/context/user/fetch"));
    let conversation = &fixtures.iter().find(|(n, _)| *n == "CONVERSATION").unwrap().1;
    let named = format!(r#""conversation_id":"{conversation}""#);
    assert!(fetches.iter().any(|r| r["body"].as_str().unwrap().contains(&named)), "sent canonical: {fetches:?}");
}

/// An emulator holding the demo's conversation: the sample transcript for
/// `demo-user` of `demo-customer`, in conversation `CONVERSATION`.
fn context_emulator(ingest: &Path) -> Emu {
    let emu = Emu::start();
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 200}));
    let metadata = format!(r#"{{"conversation_id": "{CONVERSATION}"}}"#);
    let sample = root().join("examples-c/sample-chat.txt");
    let out = example(
        &emu,
        ingest,
        &[
            "--interval",
            "0.05",
            "--user-id",
            "demo-user",
            "--customer-id",
            "demo-customer",
            "--metadata",
            &metadata,
            sample.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}\n{}", text(&out.stdout), text(&out.stderr));
    emu
}

const CONVERSATION: &str = "5b0f3c2e-8d41-4a7b-9c6e-1f2a3b4c5d6e";
const QUESTION: &str = "what does the user drink after 3pm?";

#[test]
fn synap_context_example_ranks_the_decaf_preference_first() {
    let ingest = compile("examples-c/synap-ingest.c", "synap-ingest-for-context");
    let binary = compile("examples-c/synap-context.c", "synap-context");
    let emu = context_emulator(&ingest);

    // Under valgrind: the ranked answer, then the prompt context.
    let out = run(valgrind()
        .arg(&binary)
        .args(["--base-url", &emu.base_url, "--user", "demo-user", "--ranked", "--query", QUESTION])
        .env("SYNAP_API_KEY", DEV_API_KEY));
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "ranked (2):", "{stdout}");
    assert!(lines[1].starts_with("  1. [preferences] I switched to decaf after 3pm.  (rank score 0."), "{stdout}");
    assert!(lines[1].ends_with(", score 0.81)"), "{stdout}");
    assert!(lines[2].starts_with("  2. [facts] Regular coffee after lunch gives me a headache."), "{stdout}");
    let out = run(valgrind()
        .arg(&binary)
        .args(["--base-url", &emu.base_url, "--prompt", CONVERSATION, "--style", "bullet_points"])
        .env("SYNAP_API_KEY", DEV_API_KEY));
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert_eq!(
        stdout.lines().next(),
        Some(format!("conversation {CONVERSATION}: 5 messages, 0 compacted (no compaction yet)").as_str())
    );
    assert!(stdout.contains("\n- user: I switched to decaf after 3pm."), "{stdout}");
    assert!(stdout.contains("\n- assistant: Done: Friday afternoon"), "{stdout}");

    // One JSON object per item, with every field.
    let out = example(&emu, &binary, &["--user", "demo-user", "--ranked", "--json", "--query", QUESTION]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let items: Vec<serde_json::Value> =
        text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["text"], "I switched to decaf after 3pm.");
    assert_eq!((items[0]["list"].as_str(), items[0]["rank"].as_i64()), (Some("ranked"), Some(1)));
    assert_eq!(items[0]["kind"], "preferences");
    assert_eq!(items[0]["score"], 0.81);
    assert!(items[0]["rank_score"].as_f64().unwrap() > items[1]["rank_score"].as_f64().unwrap());
    assert_eq!(items[0]["matched_queries"], json!([QUESTION]));
    assert!(items[0]["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(items[0]["metadata"]["source_document_id"], items[1]["metadata"]["source_document_id"]);
    for field in ["id", "label", "source"] {
        assert!(items[0].get(field).is_some(), "{field}");
    }

    // By type: each list with its items and their scores.
    let out = example(&emu, &binary, &["--user", "demo-user", "--query", "coffee", "--query", "Friday"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.starts_with("facts (2):\n  - "), "{stdout}");
    assert!(stdout.contains("temporal_events (1):\n  - Also, my sister Dana is visiting on Friday"), "{stdout}");
    assert!(!stdout.contains("preferences ("), "{stdout}");
    let out = example(&emu, &binary, &["--user", "demo-user", "--types", "preferences,emotions", "--max", "1"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // No query: the user's profile answers.
    assert!(stdout.starts_with("profile: 2 preferences on record."), "{stdout}");
    assert!(stdout.contains("  decaf_after_3pm = \"I switched to decaf after 3pm.\"  (confidence 0.81)"), "{stdout}");
    let out = example(&emu, &binary, &["--user", "demo-user", "--json"]);
    let profile: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(profile["profile"]["attributes"]["decaf_after_3pm"]["value"], "I switched to decaf after 3pm.");
    let out = example(&emu, &binary, &["--user", "demo-user", "--query", "zebra"]);
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), "no memories found\n"));

    // A conversation: its state without a query, its memories with one.
    let out = example(&emu, &binary, &["--conversation", CONVERSATION]);
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with(&format!("conversation {CONVERSATION}: 5 recent turns\n## Recent messages\n[")));
    let out = example(&emu, &binary, &["--conversation", CONVERSATION, "--ranked", "--query", "decaf"]);
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("ranked (1):\n  1. [preferences] I switched to decaf after 3pm."), "{stdout}");
    assert!(stdout.contains("\n  user: I switched to decaf after 3pm."), "the state's turns: {stdout}");
    let out = example(&emu, &binary, &["--client", "--types", "facts", "--query", "coffee", "--json"]);
    assert_eq!(text(&out.stdout).lines().count(), 2, "{}", text(&out.stdout));
    let out = example(&emu, &binary, &["--customer", "demo-customer", "--query", "oat milk"]);
    assert!(text(&out.stdout).starts_with("preferences (1):\n  - I love the oat milk latte"));
    let out = example(&emu, &binary, &["--prompt", CONVERSATION, "--json"]);
    let body: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(body["total_message_count"], 5);
}

#[test]
fn synap_context_example_warns_of_a_degraded_retrieval_and_reports_failures() {
    let ingest = compile("examples-c/synap-ingest.c", "synap-ingest-for-context-failures");
    let binary = compile("examples-c/synap-context.c", "synap-context-failures");
    let emu = context_emulator(&ingest);

    emu.script_context(json!({"route": "user", "retrieval": {"degraded": true, "level": "partial",
        "code": "timeout", "warnings": ["vector index timed out"]}}));
    let out = example(&emu, &binary, &["--user", "demo-user", "--ranked", "--query", QUESTION]);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("ranked (2):\n  1. [preferences] I switched to decaf"));
    assert_eq!(
        text(&out.stderr),
        "synap-context: warning: retrieval degraded (level partial, code timeout): vector index timed out: \
         some memories may be missing\n"
    );

    // Errors: code, message and correlation id on stderr; the code is the exit status.
    emu.post_fault(
        "/v1/context/user/fetch",
        1,
        json!({"kind": "respond", "status": 404,
        "body": r#"{"detail":"user not found"}"#}),
    );
    let out = example(&emu, &binary, &["--user", "demo-user", "--query", "decaf"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "SYNAP_NOT_FOUND: {stderr}");
    assert!(stderr.starts_with("synap-context: fetch: SYNAP_NOT_FOUND: HTTP 404: user not found"), "{stderr}");
    assert!(stderr.contains(" (correlation id syn_"), "{stderr}");
    emu.post_fault("/v1/context/client/fetch", 1, json!({"kind": "garbage"}));
    let out = example(&emu, &binary, &["--client", "--query", "decaf"]);
    assert_eq!(out.status.code(), Some(12), "SYNAP_PROTOCOL: {}", text(&out.stderr));
    let out = example(&emu, &binary, &["--user", "demo-user", "--query", "decaf", "--max", "101"]);
    assert_eq!(out.status.code(), Some(4), "SYNAP_INVALID_REQUEST: {}", text(&out.stderr));
    for (args, code, says) in [
        (&["--conversation", "conv-1"][..], 1, "conversation_id"),
        (&["--prompt", "../x"][..], 1, "conversation_id"),
        (&["--prompt", CONVERSATION, "--style", "poetic"][..], 1, "style"),
        (&["--client", "--types", "facts,notes"][..], 1, "type \"notes\""),
        (&["--client", "--max", "0"][..], 1, "max_results"),
    ] {
        let out = example(&emu, &binary, args);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("SYNAP_INVALID_ARGUMENT") && text(&out.stderr).contains(says), "{args:?}");
    }
    let out =
        run(Command::new(&binary).args(["--client"]).env_remove("SYNAP_API_KEY").env("SYNAP_BASE_URL", &emu.base_url));
    assert_eq!(out.status.code(), Some(2), "no key is SYNAP_AUTH");
    let out = run(Command::new(&binary)
        .args(["--client", "--base-url", &common::refused_url()])
        .env("SYNAP_API_KEY", DEV_API_KEY));
    assert_eq!(out.status.code(), Some(10), "SYNAP_NETWORK");

    // Usage errors: 64.
    for args in [
        &[][..],
        &["--user"][..],
        &["--bogus"][..],
        &["--user", "u", "--client"][..],
        &["--conversation", CONVERSATION, "--customer", "c"][..],
        &["--prompt", CONVERSATION, "--ranked"][..],
        &["--client", "--style", "narrative"][..],
        &["--client", "--max", "ten"][..],
        &["--client", "--max", "-1"][..],
        &["--client", "--max", "4294967296"][..],
        &["stray"][..],
    ] {
        let out = example(&emu, &binary, args);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("usage: synap-context"), "{args:?}");
    }
    let out = example(&emu, &binary, &["--help"]);
    assert!(out.status.success() && text(&out.stdout).starts_with("usage: synap-context"));

    // Under valgrind, a failing run is clean too.
    let out = run(valgrind()
        .arg(&binary)
        .args(["--base-url", &emu.base_url, "--prompt", "not-a-uuid"])
        .env("SYNAP_API_KEY", DEV_API_KEY));
    assert_eq!(out.status.code(), Some(1), "valgrind or the program failed:\n{}", text(&out.stderr));
}

/// Whether `function` is one of the conversation calls (record, batch,
/// ingest, list, compact, compacted, compaction status) or of their
/// handles, which tests/c/test_conversation.c covers.
fn conversation_api(function: &str) -> bool {
    let families = [
        "synap_message_",
        "synap_recorded_message_",
        "synap_transcript_",
        "synap_compact",
        "synap_conversation_compact",
        "synap_conversation_ingest",
        "synap_conversation_message",
        "synap_conversation_record_",
    ];
    families.iter().any(|p| function.starts_with(p))
}

#[test]
fn c_conversation_tests_pass_under_valgrind() {
    let source = "tests/c/test_conversation.c";
    // Every conversation function of the header is called at least once.
    let header = std::fs::read_to_string(root().join("include/synap.h")).unwrap();
    let used = used_functions(&std::fs::read_to_string(root().join(source)).unwrap());
    let missing: Vec<String> =
        declared_functions(&header).into_iter().filter(|f| conversation_api(f)).filter(|f| !used.contains(f)).collect();
    assert!(missing.is_empty(), "{source} never calls {missing:?}");

    let binary = compile(source, "test_conversation");
    let emu = Emu::start();
    let fixtures = conversation_fixtures(&emu);
    let started = std::time::Instant::now();
    run_c_tests(&binary, &fixtures);
    eprintln!("test_conversation under valgrind: {:?}", started.elapsed());
    assert_conversation_writes_sent_once(&emu, &fixtures);

    // Refused arguments never reached the server.
    for request in emu.requests(None) {
        let (path, body) = (request["path"].as_str().unwrap(), request["body"].as_str().unwrap());
        let query = request["query"].as_str().unwrap_or_default();
        assert!(!path.contains("conv-1") && !path.contains(".."), "{path}");
        assert!(!body.contains("never sent") && !body.contains("never-sent-call"), "{body}");
        assert!(!query.contains("start=0") && !query.contains("limit=0") && !query.contains("limit=501"), "{query}");
    }
}

fn chat(emu: &Emu, binary: &Path, args: &[&str], input: &str, valgrind_it: bool) -> Output {
    let mut cmd = if valgrind_it { valgrind() } else { Command::new(binary) };
    if valgrind_it {
        cmd.arg(binary);
    }
    cmd.args(["--base-url", &emu.base_url]).args(args).env("SYNAP_API_KEY", DEV_API_KEY).env_remove("SYNAP_BASE_URL");
    run_with_input(&mut cmd, input)
}

#[test]
fn synap_chat_example_records_compacts_and_prints_prompts_under_valgrind() {
    let binary = compile("examples-c/synap-chat.c", "synap-chat");
    let emu = Emu::start();
    emu.post_config(json!({"compaction_done_after_ms": 200}));
    let conversation = uuid::Uuid::new_v4().to_string();
    let ids = ["--conversation", conversation.as_str(), "--user", "chat-user", "--customer", "chat-customer"];

    let args = [&ids[..], &["--compact-every", "2"]].concat();
    let out = chat(&emu, &binary, &args, CHAT_TRANSCRIPT, true);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert_chat_output(&stdout);
    // Each turn recorded once, in order, with its role; two compactions.
    let sent = emu.requests(Some("/v1/conversations/messages"));
    let turns: Vec<(String, String)> = sent
        .iter()
        .map(|r| serde_json::from_str::<serde_json::Value>(r["body"].as_str().unwrap()).unwrap())
        .map(|b| (b["role"].as_str().unwrap().to_owned(), b["content"].as_str().unwrap().to_owned()))
        .collect();
    let roles: Vec<&str> = turns.iter().map(|(role, _)| role.as_str()).collect();
    assert_eq!(roles, ["user", "assistant", "user", "assistant", "user"]);
    assert_eq!(turns[2].1, "My sister Dana visits on Friday.");
    assert_eq!(emu.requests(Some("/v1/conversations/compact")).len(), 2);
    assert_eq!(emu.requests(Some(&format!("/v1/conversations/{conversation}/context-for-prompt"))).len(), 3);

    // Another style; no compaction without --compact-every.
    let other = uuid::Uuid::new_v4().to_string();
    let out = chat(
        &emu,
        &binary,
        &["--conversation", other.as_str(), "--user", "u", "--customer", "c", "--style", "bullet_points"],
        "user: hi\nassistant: hello\nuser: bye\n",
        false,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with(
            "--- prompt after turn 3: 3 messages, 0 compacted\n- user: hi\n- assistant: hello\n- user: bye\n"
        )
    );
    assert_eq!(emu.requests(Some("/v1/conversations/compact")).len(), 2);

    // A line that is not a turn: an error naming it, after the turns before it.
    let bad = uuid::Uuid::new_v4().to_string();
    let bad_ids = ["--conversation", bad.as_str(), "--user", "u", "--customer", "c"];
    for (input, line) in [("user: hi\n\nthis is not a turn\n", 3), ("system: you are helpful\n", 1), ("user hi\n", 1)] {
        let out = chat(&emu, &binary, &bad_ids, input, false);
        assert_eq!(out.status.code(), Some(65), "{input:?}: {}", text(&out.stderr));
        let said = format!("synap-chat: line {line}: expected \"user: text\" or \"assistant: text\"\n");
        assert_eq!(text(&out.stderr), said);
    }
    // Under valgrind, a failing run is clean too.
    let out = chat(&emu, &binary, &bad_ids, "assistant: hi\nuser: fine\n:\n", true);
    assert_eq!(out.status.code(), Some(65), "valgrind or the program failed:\n{}", text(&out.stderr));

    // A failed write is reported and not sent again, though the client retries reads.
    emu.post_fault("/v1/conversations/messages", 1, json!({"kind": "respond", "status": 500, "body": "{}"}));
    let before = emu.requests(Some("/v1/conversations/messages")).len();
    let out = chat(&emu, &binary, &ids, "user: one more\n", false);
    assert_eq!(out.status.code(), Some(8), "SYNAP_SERVER: {}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with("synap-chat: recording turn 1: SYNAP_SERVER: HTTP 500"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(emu.requests(Some("/v1/conversations/messages")).len(), before + 1, "sent once");
    // The service refuses a user without a customer on this instance.
    let out = chat(&emu, &binary, &["--conversation", other.as_str(), "--user", "u"], "user: hi\n", false);
    assert_eq!(out.status.code(), Some(4), "SYNAP_INVALID_REQUEST: {}", text(&out.stderr));

    // Refused before any request: exit status 1, the field named.
    let sent = emu.requests(None).len();
    for (args, says) in [
        (&["--conversation", "conv-1", "--user", "u"][..], "conversation_id"),
        (&["--conversation", other.as_str(), "--user", ""][..], "user_id"),
        (&["--conversation", other.as_str(), "--user", "u", "--style", "poetic"][..], "style"),
    ] {
        let out = chat(&emu, &binary, args, "user: hi\n", false);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("SYNAP_INVALID_ARGUMENT") && text(&out.stderr).contains(says), "{args:?}");
    }
    assert_eq!(emu.requests(None).len(), sent, "nothing sent");
    let out = run_with_input(
        Command::new(&binary)
            .args(["--conversation", other.as_str(), "--user", "u"])
            .env_remove("SYNAP_API_KEY")
            .env("SYNAP_BASE_URL", &emu.base_url),
        "user: hi\n",
    );
    assert_eq!(out.status.code(), Some(2), "no key is SYNAP_AUTH");

    // Usage errors: 64.
    for args in [
        &[][..],
        &["--user", "u"][..],
        &["--conversation", other.as_str()][..],
        &["--conversation", other.as_str(), "--user"][..],
        &["--conversation", other.as_str(), "--user", "u", "--compact-every", "0"][..],
        &["--conversation", other.as_str(), "--user", "u", "--compact-every", "-1"][..],
        &["--conversation", other.as_str(), "--user", "u", "--compact-every", "two"][..],
        &["--conversation", other.as_str(), "--user", "u", "--bogus"][..],
        &["--conversation", other.as_str(), "--user", "u", "stray"][..],
    ] {
        let out = chat(&emu, &binary, args, "", false);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("usage: synap-chat"), "{args:?}");
    }
    let out = chat(&emu, &binary, &["--help"], "", false);
    assert!(out.status.success() && text(&out.stdout).starts_with("usage: synap-chat"));
    // No turns: nothing to do.
    let out = chat(&emu, &binary, &ids, "\n  \n", false);
    assert_eq!((out.status.code(), text(&out.stdout).as_str()), (Some(0), ""));
}

/// Whether `function` is one of the memory lifecycle, data deletion or
/// credits calls, or of their handles, which tests/c/test_lifecycle.c
/// covers.
fn lifecycle_api(function: &str) -> bool {
    let families = [
        "synap_memories_update",
        "synap_memories_delete",
        "synap_memories_forget",
        "synap_memories_upload",
        "synap_update_request_",
        "synap_deleted_memory_",
        "synap_forget_",
        "synap_upload_request_",
        "synap_data_delete",
        "synap_data_deletion_",
        "synap_credit",
        "synap_ledger_",
        "synap_estimate_",
        "synap_redemption_",
        "synap_wait_progress_deletion",
    ];
    families.iter().any(|p| function.starts_with(p))
}

#[test]
fn c_lifecycle_tests_pass_under_valgrind() {
    let source = "tests/c/test_lifecycle.c";
    // Every lifecycle, data deletion and credits function of the header is called at least once.
    let header = std::fs::read_to_string(root().join("include/synap.h")).unwrap();
    let used = used_functions(&std::fs::read_to_string(root().join(source)).unwrap());
    let declared: Vec<String> = declared_functions(&header).into_iter().filter(|f| lifecycle_api(f)).collect();
    assert!(declared.len() >= 124, "the lifecycle API: {declared:?}");
    let missing: Vec<&String> = declared.iter().filter(|f| !used.contains(*f)).collect();
    assert!(missing.is_empty(), "{source} never calls {missing:?}");

    let binary = compile(source, "test_lifecycle");
    let (emu, partial) = (Emu::start(), Emu::start());
    let dir = TempDir::new("c-lifecycle");
    let fixtures = lifecycle_fixtures(&emu, &partial, dir.path());
    let started = std::time::Instant::now();
    run_c_tests(&binary, &fixtures);
    eprintln!("test_lifecycle under valgrind: {:?}", started.elapsed());

    // Each upload arrived byte for byte; the file whose name is not UTF-8
    // under that name with U+FFFD. The empty file was refused by the
    // service; the missing file and the directory never left the process.
    let received = uploads(&emu);
    let named = |name: &str| received.iter().find(|r| r["filename"] == name);
    let cafe = "User: The caf\u{e9} on the corner makes my favourite croissant.";
    for (name, sent) in
        [("one.txt", "x"), ("caf\u{fffd}.txt", cafe), ("bike.txt", "User: My bike is a green Brompton with a basket.")]
    {
        let record = named(name).unwrap_or_else(|| panic!("no upload named {name:?}: {received:?}"));
        assert_eq!(record["bytes"], sent.len(), "{name}");
        assert_eq!(record["fnv1a64"], fnv1a64(sent.as_bytes()), "{name}");
        assert_eq!(record["encoding"], "multipart", "{name}");
    }
    let texts: Vec<&serde_json::Value> = received.iter().filter(|r| r["encoding"] == "urlencoded").collect();
    assert_eq!(texts.len(), 1, "{received:?}");
    assert_eq!(texts[0]["bytes"], "User: I keep my passport in the top drawer of the desk.".len());
    assert_eq!(received.len(), 4, "{received:?}");
    let upload_tries = emu.requests(Some("/api/v1/memories/upload")).len();
    assert_eq!(upload_tries, 6, "the four accepted uploads, the empty file, and the one without a customer");

    // A deletion follows the service's `continue` answers: two, then the
    // request that ends them. A mismatched confirmation never left.
    let deletions = emu.requests(Some("/v1/data/delete"));
    let bodies: Vec<&str> = deletions.iter().filter_map(|r| r["body"].as_str()).collect();
    let of_user = |dry_run: bool| {
        let user = r#""user_id":"life-erase""#;
        bodies.iter().filter(|b| b.contains(user) && b.contains(&format!(r#""dry_run":{dry_run}"#))).count()
    };
    assert_eq!((of_user(true), of_user(false)), (1, 3), "{bodies:?}");
    assert!(bodies.iter().all(|b| !b.contains("someone-else")), "{bodies:?}");
    for request in emu.requests(None) {
        let path = request["path"].as_str().unwrap();
        assert!(!path.contains("not-a-uuid") && !path.contains(".."), "{path}");
    }
}

fn forget_example(emu: &Emu, binary: &Path, args: &[&str], valgrind_it: bool) -> Output {
    let mut cmd = if valgrind_it { valgrind() } else { Command::new(binary) };
    if valgrind_it {
        cmd.arg(binary);
    }
    cmd.args(["--base-url", &emu.base_url]).args(args);
    run(cmd.env("SYNAP_API_KEY", DEV_API_KEY).env_remove("SYNAP_BASE_URL"))
}

const DEMO_USER: [&str; 4] = ["--user", "demo-user", "--customer", "demo-customer"];

#[test]
fn synap_forget_example_forgets_by_description_and_deletes_a_memory_under_valgrind() {
    let ingest = compile("examples-c/synap-ingest.c", "synap-ingest-for-forget");
    let binary = compile("examples-c/synap-forget.c", "synap-forget");
    let emu = context_emulator(&ingest);
    let client = emu.client();
    let forget =
        |args: &[&str], valgrind_it: bool| forget_example(&emu, &binary, &[&DEMO_USER[..], args].concat(), valgrind_it);
    let visit = "Also, my sister Dana is visiting on Friday, so block the afternoon.";

    // A preview lists what matches and deletes nothing.
    let out = forget(&["--describe", "sister Dana visiting"], true);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("preview: 1 memory match, filed as request fr_"), "{stdout}");
    assert!(lines[0].ends_with(" for approval; nothing deleted"), "{stdout}");
    assert!(lines[1].starts_with(&format!("  - [temporal_event] {visit}  (memory ")), "{stdout}");
    assert!(lines[1].ends_with(", store memory)"), "{stdout}");
    assert_eq!(fetched_ids(&client, "demo-user", "Dana visiting").len(), 1, "still there");

    // Directly: deleted, and no longer found.
    let out = forget(&["--describe", "sister Dana visiting", "--direct"], true);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.starts_with(&format!("deleted: 1 of 1 matching memory\n  - [temporal_event] {visit}")), "{stdout}");
    assert!(fetched_ids(&client, "demo-user", "Dana visiting").is_empty(), "forgotten");
    let out = forget(&["--describe", "sister Dana visiting", "--direct"], false);
    assert_eq!(
        (out.status.code(), text(&out.stdout).as_str()),
        (Some(0), "nothing matches: no memory of demo-user fits the description; nothing changed\n")
    );

    // A partial outcome is shown as such, with the store, and exits 65.
    emu.post_config(json!({"forget_partial": true}));
    let out = forget(&["--describe", "oat milk latte", "--direct"], false);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(65), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.starts_with("PARTIAL: 1 of 1 matching memory hidden, but still present in: graph\n"), "{stdout}");
    assert!(stdout.ends_with("note: the service says its matching may have missed some memories\n"), "{stdout}");
    emu.post_config(json!({"forget_partial": false}));

    // One memory by its id; then it is gone.
    let headache: Vec<String> = fetched_ids(&client, "demo-user", "headache").into_iter().collect();
    assert_eq!(headache.len(), 1, "{headache:?}");
    let out = forget_example(&emu, &binary, &["--memory", &headache[0]], true);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout.starts_with(&format!("deleted memory {} at 20", headache[0])) && stdout.ends_with("Z\n"),
        "{stdout}"
    );
    assert!(fetched_ids(&client, "demo-user", "headache").is_empty());
    let out = forget_example(&emu, &binary, &["--memory", &headache[0]], false);
    assert_eq!(out.status.code(), Some(3), "SYNAP_NOT_FOUND: {}", text(&out.stderr));
    assert!(
        text(&out.stderr).starts_with(&format!("synap-forget: {}: SYNAP_NOT_FOUND: HTTP 404", headache[0])),
        "{}",
        text(&out.stderr)
    );
    let out = forget_example(&emu, &binary, &["--memory", "../x"], false);
    assert_eq!(out.status.code(), Some(1), "SYNAP_INVALID_ARGUMENT: {}", text(&out.stderr));

    // Refused by the service (no customer on this instance) or here.
    let out = forget_example(&emu, &binary, &["--user", "demo-user", "--describe", "oat milk"], false);
    assert_eq!(out.status.code(), Some(4), "SYNAP_INVALID_REQUEST: {}", text(&out.stderr));
    assert!(text(&out.stderr).starts_with("synap-forget: forget: SYNAP_INVALID_REQUEST: HTTP 400"));
    let out = forget(&["--describe", "ab"], false);
    assert_eq!(out.status.code(), Some(1), "a description too short: {}", text(&out.stderr));
    assert!(text(&out.stderr).contains("description must have 3 to 500 characters"), "{}", text(&out.stderr));

    // Usage errors: 64.
    for args in [
        &[][..],
        &["--user", "u"][..],
        &["--describe", "oat milk"][..],
        &["--user", "u", "--describe", "oat milk", "--wait"][..],
        &["--user", "u", "--memory", "m"][..],
        &["--user", "u", "--wait", "--direct"][..],
        &["--user", "u", "--describe", "oat milk", "--dry-run"][..],
        &["--user", "u", "--describe", "oat milk", "--query", "q"][..],
        &["--user", "u", "--wait", "--timeout", "0"][..],
        &["--user", "u", "--wait", "--interval", "soon"][..],
        &["--user", "u", "--wait", "--query"][..],
        &["--user", "u", "--wait", "stray"][..],
    ] {
        let out = forget_example(&emu, &binary, args, false);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("usage: synap-forget"), "{args:?}");
    }
    let out = forget_example(&emu, &binary, &["--help"], false);
    assert!(out.status.success() && text(&out.stdout).starts_with("usage: synap-forget"));
    assert!(text(&out.stdout).contains("66 memories still come back"), "the exit codes are documented");
}

#[test]
fn synap_forget_example_deletes_a_user_and_proves_nothing_comes_back_under_valgrind() {
    let ingest = compile("examples-c/synap-ingest.c", "synap-ingest-for-forget-user");
    let binary = compile("examples-c/synap-forget.c", "synap-forget-user");
    let emu = context_emulator(&ingest);
    let client = emu.client();
    let forget =
        |args: &[&str], valgrind_it: bool| forget_example(&emu, &binary, &[&DEMO_USER[..], args].concat(), valgrind_it);
    let asked = fetched_ids(&client, "demo-user", QUESTION);
    assert_eq!(asked.len(), 2, "the question finds the user's memories first");

    // A dry run counts, deletes nothing and proves nothing.
    let out = forget(&["--wait", "--dry-run"], false);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.starts_with("dry run: nothing deleted; deleting demo-user would remove:\n"), "{stdout}");
    assert!(stdout.contains("\n  would remove memories: 5\n"), "{stdout}");
    assert!(!stdout.contains("context fetch") && out.stderr.is_empty(), "{stdout}\n{}", text(&out.stderr));
    assert_eq!(fetched_ids(&client, "demo-user", QUESTION), asked);

    // The deletion runs a while: a progress line, then the record, then the proof.
    emu.post_config(json!({"data_delete_done_after_ms": 500}));
    let out = forget(&["--wait", "--interval", "0.1", "--query", QUESTION], true);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let progress: Vec<&str> = stderr.lines().collect();
    assert!(progress.len() >= 2, "{stderr}");
    assert!(progress[0].starts_with("deleting demo-user: in_progress ... ("), "{stderr}");
    assert!(progress.last().unwrap().starts_with("deleting demo-user: complete ("), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("complete: deletion del_"), "{stdout}");
    assert!(lines[0].ends_with(" of demo-user, fully removed from every store"), "{stdout}");
    assert!(stdout.contains("\n  removed memories: 5\n"), "{stdout}");
    assert_eq!(
        lines.last().copied(),
        Some(format!("context fetch for demo-user, \"{QUESTION}\": nothing comes back").as_str()),
        "{stdout}"
    );
    assert!(fetched_ids(&client, "demo-user", QUESTION).is_empty());
    let deletion_id = lines[0].split_whitespace().nth(2).unwrap();
    let polled = emu.requests(Some(&format!("/v1/data/delete/{deletion_id}")));
    assert!(!polled.is_empty(), "waited by polling its status");

    // Memories that still come back fail it, listed (a fetch scripted to answer one).
    emu.post_config(json!({"data_delete_done_after_ms": 0}));
    emu.script_context(json!({"route": "user", "inject": {"facts": [{"id": "left", "content": "Still here."}]}}));
    let out = forget(&["--wait"], false);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(66), "{stdout}\n{}", text(&out.stderr));
    assert!(
        stdout.ends_with(
            "context fetch for demo-user, \"what do you remember about this user?\": 1 memory still comes back:\n\
             \x20 - [facts] Still here.\n"
        ),
        "{stdout}"
    );

    // A partial deletion is said plainly, with where data remains.
    emu.post_config(json!({"data_delete_partial": true}));
    let out = forget(&["--wait"], true);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(65), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.starts_with("PARTIAL: deletion del_"), "{stdout}");
    assert!(stdout.contains(" of demo-user ended, but some data is still present\n"), "{stdout}");
    assert!(stdout.contains("\n  still present in: graph\n"), "{stdout}");
    assert!(stdout.ends_with(": nothing comes back\n"), "{stdout}");

    // Failures: the code of the call that failed.
    emu.post_fault(
        "/v1/data/delete",
        1,
        json!({"kind": "respond", "status": 409,
        "body": r#"{"detail":"a deletion of this user is running"}"#}),
    );
    let out = forget(&["--wait"], false);
    assert_eq!(out.status.code(), Some(6), "SYNAP_CONFLICT: {}", text(&out.stderr));
    assert!(text(&out.stderr).starts_with("synap-forget: data deletion: SYNAP_CONFLICT: HTTP 409"));
    let out = forget_example(&emu, &binary, &["--user", "demo-user", "--customer", "", "--wait"], false);
    assert_eq!(out.status.code(), Some(1), "SYNAP_INVALID_ARGUMENT: {}", text(&out.stderr));
}
