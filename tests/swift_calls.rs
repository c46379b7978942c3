//! The Swift binding cannot be built here (no Swift toolchain), so its C
//! side is tested instead: tests/c/test_swift_calls.c makes the calls the
//! wrapper makes, under valgrind against the emulator; it uses exactly the
//! C functions the wrapper uses; and the wrapper's enums (error codes, job
//! and wait states, log levels) have the header's values.

mod common;

use std::collections::BTreeSet;

use common::Emu;
use common::cprog::{compile, root, run_c_tests};
use serde_json::json;

const WRAPPER: &str = "bindings/swift/Sources/Synap/Synap.swift";
const MIRROR: &str = "tests/c/test_swift_calls.c";

/// The `synap_*` functions a source file calls.
fn calls(path: &str) -> BTreeSet<String> {
    let source = std::fs::read_to_string(root().join(path)).unwrap();
    let mut found = BTreeSet::new();
    for (at, _) in source.match_indices("synap_") {
        let name: String = source[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if source[at + name.len()..].starts_with('(') {
            found.insert(name);
        }
    }
    found
}

#[test]
fn swift_wrapper_calls_run_under_valgrind() {
    let binary = compile(MIRROR, "test_swift_calls");
    let emu = Emu::start();
    let r429 = emu.job(json!({"memories": 1}));
    emu.fault(&r429, 1, json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "7"}, "body": "{}"}));
    let r503 = emu.job(json!({"memories": 1}));
    emu.fault(&r503, 1, json!({"kind": "respond", "status": 503, "body": "{}"}));
    // Created jobs finish within 300 ms; the first whoami is refused.
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300}));
    emu.post_fault(
        "/api/v1/auth/whoami",
        1,
        json!({"kind": "respond", "status": 401, "body": "{\"detail\":\"Invalid API key\"}"}),
    );
    let fixtures = [
        ("BASE_URL", emu.base_url.clone()),
        ("COMPLETED", emu.job(json!({"document_id": "swift-doc", "memories": 2}))),
        ("FAILED", emu.job(json!({"final_status": "failed", "memories": 0, "error_message": "boom"}))),
        ("R429", r429),
        ("NEVER", emu.job(json!({"done_after_ms": 3_600_000}))),
        ("PROGRESSING", emu.job(json!({"processing_after_ms": 100, "done_after_ms": 300, "memories": 1}))),
        ("R503_ONCE", r503),
    ];
    run_c_tests(&binary, &fixtures);

    // What CreateRequest.handle() set reached the service; what libsynap
    // refused never left the process.
    let creates = emu.requests(Some("/api/v1/memories/create"));
    let bodies: Vec<serde_json::Value> =
        creates.iter().map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap()).collect();
    let chat: Vec<_> = bodies.iter().filter(|b| b["document_id"] == "swift-chat-1").collect();
    assert_eq!(chat.len(), 2, "the create and its repeat: {bodies:?}");
    assert_eq!(chat[0]["document_type"], "ai-chat-conversation");
    assert_eq!(chat[0]["mode"], "fast");
    assert_eq!(chat[0]["document_created_at"], "2025-01-15T10:30:00.412000Z");
    assert_eq!((&chat[0]["user_id"], &chat[0]["customer_id"]), (&json!("u-swift"), &json!("c-swift")));
    assert_eq!(chat[0]["scope"], json!({"team": "payments"}));
    assert_eq!(chat[0]["metadata"], json!({"channel": "web"}));
    assert!(bodies.iter().any(|b| b["document"]["subject"] == "FAIL_INGEST" && b["document_type"] == "email"));
    let sent = format!("{creates:?}{:?}", emu.requests(Some("/api/v1/memories/batch")));
    for refused in ["support-ticket", "slow", "years", "[1,2]", "A fine document"] {
        assert!(!sent.contains(refused), "{refused} was refused locally, yet sent");
    }
    assert_eq!(emu.requests(Some("/api/v1/memories/batch")).len(), 2, "the batch and its fail_fast repeat");
}

#[test]
fn mirror_makes_every_call_the_swift_wrapper_makes() {
    let wrapper = calls(WRAPPER);
    let mirror = calls(MIRROR);
    assert!(wrapper.len() > 20, "the wrapper's calls were found: {wrapper:?}");
    assert_eq!(wrapper, mirror, "{MIRROR} must make exactly the C calls {WRAPPER} makes");
    let header = std::fs::read_to_string(root().join("include/synap.h")).unwrap();
    for name in &wrapper {
        let declared = [" ", "*"].iter().any(|before| header.contains(&format!("{before}{name}(")));
        assert!(declared, "{name} is not in synap.h");
    }
}

/// The values of the C enum `name` in the header: `SYNAP_NOT_FOUND = 3,`
/// as `("notfound", 3)`, without `prefix` (`SYNAP_` and the enum's own).
fn c_enum(header: &str, name: &str, prefix: &str) -> Vec<(String, i64)> {
    let body = header.split(&format!("typedef enum {name} {{")).nth(1).unwrap_or_else(|| panic!("{name} in synap.h"));
    let body = body.split(&format!("}} {name};")).next().unwrap();
    body.lines()
        .filter_map(|l| l.trim().strip_prefix(prefix)?.strip_suffix(',')?.split_once(" = "))
        .map(|(name, value)| (name.replace('_', "").to_lowercase(), value.parse().unwrap()))
        .collect()
}

/// The cases of the Swift enum `name`, one a line up to its closing brace:
/// `case notFound = 3` as `("notfound", 3)`.
fn swift_enum(swift: &str, name: &str) -> Vec<(String, i64)> {
    let body = swift.split(&format!("enum {name}: Int")).nth(1).unwrap_or_else(|| panic!("enum {name} in Swift"));
    body.lines()
        .skip(1)
        .take_while(|l| l.trim() != "}")
        .filter_map(|l| l.trim().strip_prefix("case ")?.split_once(" = "))
        .map(|(name, value)| (name.to_lowercase(), value.parse().unwrap()))
        .collect()
}

#[test]
fn swift_enums_have_the_header_values() {
    let header = std::fs::read_to_string(root().join("include/synap.h")).unwrap();
    let swift = std::fs::read_to_string(root().join(WRAPPER)).unwrap();

    let c_codes: Vec<_> = c_enum(&header, "SynapCode", "SYNAP_").into_iter().filter(|(n, _)| n != "ok").collect();
    // `internalError` and `protocolError` are `SYNAP_INTERNAL` and `SYNAP_PROTOCOL`.
    let swift_codes: Vec<_> = swift_enum(&swift, "Code")
        .into_iter()
        .map(|(name, value)| (name.trim_end_matches("error").to_owned(), value))
        .collect();
    assert_eq!(c_codes.len(), 14, "{c_codes:?}");
    assert_eq!(swift_codes, c_codes, "SynapError.Code in {WRAPPER} against SynapCode in synap.h");

    let c_ingest = c_enum(&header, "SynapIngestState", "SYNAP_INGEST_");
    assert_eq!(c_ingest.len(), 6, "{c_ingest:?}");
    assert_eq!(swift_enum(&swift, "IngestState"), c_ingest, "IngestState in {WRAPPER} against SynapIngestState");

    let c_states = c_enum(&header, "SynapWaitState", "SYNAP_WAIT_");
    assert_eq!(c_states.len(), 7, "{c_states:?}");
    assert_eq!(swift_enum(&swift, "WaitState"), c_states, "WaitState in {WRAPPER} against SynapWaitState");

    let c_levels = c_enum(&header, "SynapLogLevel", "SYNAP_LOG_");
    assert_eq!(c_levels.len(), 4, "{c_levels:?}");
    assert_eq!(swift_enum(&swift, "LogLevel"), c_levels, "LogLevel in {WRAPPER} against SynapLogLevel");
}
