//! The Swift binding cannot be built here (no Swift toolchain), so its C
//! side is tested instead: tests/c/test_swift_calls.c makes the calls the
//! wrapper makes, under valgrind against the emulator; it uses exactly the
//! C functions the wrapper uses; and the wrapper's enums (error codes, job
//! and wait states, log levels, context scopes and lists) have the
//! header's values. The conversation writes reach the service as set, and
//! are sent once after a 500 or a dropped connection, twice after a 503.
//! The memory lifecycle, data deletion and credits requests reach it as
//! set too, and an uploaded file arrives whole.

mod common;
mod uploads;

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
    // Created jobs finish within 300 ms; a data deletion takes a second;
    // the first whoami is refused.
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300,
                           "data_delete_done_after_ms": 1000}));
    emu.post_fault(
        "/api/v1/auth/whoami",
        1,
        json!({"kind": "respond", "status": 401, "body": "{\"detail\":\"Invalid API key\"}"}),
    );
    script_context_answers(&emu);
    script_write_faults(&emu);
    let fixtures = [
        ("BASE_URL", emu.base_url.clone()),
        ("COMPLETED", emu.job(json!({"document_id": "swift-doc", "memories": 2}))),
        ("FAILED", emu.job(json!({"final_status": "failed", "memories": 0, "error_message": "boom"}))),
        ("R429", r429),
        ("NEVER", emu.job(json!({"done_after_ms": 3_600_000}))),
        ("PROGRESSING", emu.job(json!({"processing_after_ms": 100, "done_after_ms": 300, "memories": 1}))),
        ("R503_ONCE", r503),
        ("UPLOAD_FILE", uploads::write_file("swift-upload.bin").display().to_string()),
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

    check_context_requests(&emu);
    check_conversation_requests(&emu);
    check_lifecycle_requests(&emu);
}

/// What UpdateRequest, ForgetRequest, UploadRequest, DataDeleteRequest and
/// the credit calls set reached the service; what libsynap refused did not.
fn check_lifecycle_requests(emu: &Emu) {
    let patches: Vec<serde_json::Value> = emu
        .requests(None)
        .iter()
        .filter(|r| r["method"] == "PATCH")
        .map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(
        patches[..2],
        [
            json!({"document": "I moved to Porto in 2021.", "merge_strategy": "replace"}),
            json!({"document": {"text": "I moved there for work."}, "merge_strategy": "append",
                   "document_type": "document", "metadata": {"source": "swift-update"}}),
        ],
        "{patches:?}"
    );
    assert_eq!(patches.len(), 4, "two updates, the unknown memory's and the deleted one's: {patches:?}");

    let forgets = bodies(emu, "/api/v1/memories/forget");
    assert_eq!(
        forgets[0],
        json!({"description": "old home address", "user_id": "u-swift-life", "customer_id": "c-swift-life",
               "scope": null, "mode": "preview"})
    );
    assert_eq!((&forgets[1]["mode"], &forgets[1]["scope"]), (&json!("direct"), &json!({"team": "travel"})));
    assert_eq!(forgets.len(), 4, "preview, direct, nothing matching, no customer: {forgets:?}");

    let received = uploads::received(&emu.base_url);
    assert_eq!(received.len(), 3, "the file, the bytes and the text: {received:?}");
    let bytes = uploads::file_bytes();
    let file = &received[0];
    assert_eq!((&file["filename"], &file["encoding"]), (&json!("swift-upload.bin"), &json!("multipart")));
    assert_eq!((&file["bytes"], &file["fnv1a64"]), (&json!(bytes.len()), &json!(uploads::fnv1a64(&bytes))));
    let fields = &file["fields"];
    assert_eq!((&fields["mode"], &fields["document_type"]), (&json!("fast"), &json!("document")));
    assert_eq!((&fields["user_id"], &fields["customer_id"]), (&json!("u-swift-life"), &json!("c-swift-life")));
    let scope: serde_json::Value = serde_json::from_str(fields["scope"].as_str().unwrap()).unwrap();
    let metadata: serde_json::Value = serde_json::from_str(fields["metadata"].as_str().unwrap()).unwrap();
    assert_eq!((scope, metadata), (json!({"team": "travel"}), json!({"channel": "swift-upload"})));
    let data = &received[1];
    let sent: &[u8] = &[b's', b'w', b'i', b'f', b't', 0, 0xff, 0xfe, b'b', b'y', b't', b'e', b's', b'\n'];
    assert_eq!((&data["filename"], &data["content_type"]), (&json!("swift-notes.bin"), &json!("application/x-swift")));
    assert_eq!((&data["bytes"], &data["fnv1a64"]), (&json!(sent.len()), &json!(uploads::fnv1a64(sent))));
    assert_eq!(data["fields"]["relationship_type"], "b2b");
    assert_eq!((&received[2]["encoding"], &received[2]["filename"]), (&json!("urlencoded"), &serde_json::Value::Null));

    let deletes = bodies(emu, "/v1/data/delete");
    let dry = json!({"scope": "user", "user_id": "u-swift-del", "customer_id": "c-swift-life",
                     "conversation_id": null, "dry_run": true, "confirm": null});
    let without_instance = |b: &serde_json::Value| {
        let mut b = b.clone();
        b.as_object_mut().unwrap().remove("instance_id");
        b
    };
    assert_eq!(without_instance(&deletes[0]), dry, "{deletes:?}");
    let confirmed: Vec<_> = deletes.iter().filter(|b| b["confirm"] == "u-swift-del").collect();
    assert_eq!(confirmed.len(), 2, "the deletion and the one its continue asked for: {deletes:?}");
    assert_eq!(confirmed[0], confirmed[1]);
    assert_eq!(confirmed[0]["dry_run"], false);
    let conversation = deletes.iter().find(|b| b["scope"] == "conversation").expect("the conversation dry run");
    assert_eq!(
        (&conversation["conversation_id"], &conversation["user_id"]),
        (&json!("a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d"), &json!("u-swift-del"))
    );
    assert_eq!(deletes.len(), 6, "dry run, 2 + 2 confirmed, the conversation's: {deletes:?}");

    assert_eq!(
        bodies(emu, "/v1/credits/estimate"),
        [json!({"metric_type": "llm_input_tokens", "units": 1000, "item_count": 4,
                "endpoint": "/v1/context/user/fetch", "mode": "fast"})]
    );
    let codes: Vec<serde_json::Value> = bodies(emu, "/v1/credits/redeem").iter().map(|b| b["code"].clone()).collect();
    assert_eq!(codes, [json!("SYN-TEST-CODE-0001-A"), json!("SYN-TEST-CODE-0001-A"), json!("swift-malformed-code")]);
    let ledger: Vec<String> =
        emu.requests(Some("/v1/credits/ledger")).iter().map(|r| r["query"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(ledger.len(), 3, "the refused page was sent: {ledger:?}");
    assert_eq!(ledger[0], "limit=100&offset=0");
    assert!(ledger[1].contains("entry_type=usage") && ledger[1].contains("limit=2&offset=1"), "{ledger:?}");
    assert!(ledger[2].contains("from=") && ledger[2].contains("to="), "{ledger:?}");

    let log = format!("{:?}", emu.requests(None));
    for refused in ["swift-refused", "swift-nul", "swift-missing-upload", "u-swift-refused"] {
        assert!(!log.contains(refused), "{refused} was refused locally, yet sent");
    }
}

/// The conversation the C program records messages in and compacts.
const CONVERSATION: &str = "e0c5a7d2-3b41-4f8e-9a6c-1d2e3f4a5b6c";
const RECORD: &str = "/v1/conversations/messages";
const BATCH: &str = "/v1/conversations/messages/batch";
const INGEST: &str = "/v1/conversations/ingest";
const COMPACT: &str = "/v1/conversations/compact";

/// The answers to the C program's first three records (a 500, a dropped
/// connection, a 503) and its first batch (a 500); its compactions run
/// for two seconds.
fn script_write_faults(emu: &Emu) {
    let respond = |status: u16| json!({"kind": "respond", "status": status, "body": "{\"detail\":\"scripted\"}"});
    emu.post_fault(RECORD, 1, respond(500));
    emu.post_fault(RECORD, 1, json!({"kind": "drop"}));
    emu.post_fault(RECORD, 1, respond(503));
    emu.post_fault(BATCH, 1, respond(500));
    emu.post_config(json!({"compaction_done_after_ms": 2000}));
}

/// The JSON bodies of the requests to `path`.
fn bodies(emu: &Emu, path: &str) -> Vec<serde_json::Value> {
    emu.requests(Some(path)).iter().map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap()).collect()
}

/// What Message, Transcript and the options set reached the service; a
/// write answered with a 500 or a dropped connection was sent once, one
/// answered with a 503 twice; what libsynap (or the NUL check) refused was
/// never sent.
fn check_conversation_requests(emu: &Emu) {
    let records = bodies(emu, RECORD);
    let sent = |content: &str| records.iter().filter(|b| b["content"] == content).count();
    assert_eq!(sent("swift-dup-500"), 1, "a record answered with a 500 was resent");
    assert_eq!(sent("swift-dup-drop"), 1, "a record whose connection dropped was resent");
    assert_eq!(sent("swift-dup-503"), 2, "a record answered with a 503 is resent once");
    let batches = bodies(emu, BATCH);
    let dup_batches = batches.iter().filter(|b| b["messages"][0]["content"] == "swift-dup-batch-500").count();
    assert_eq!(dup_batches, 1, "a batch answered with a 500 was resent");

    let first: Vec<_> = records.iter().filter(|b| b["session_id"] == "swift-session-1").collect();
    assert_eq!(first.len(), 1, "{records:?}");
    let first = first[0];
    assert_eq!((&first["conversation_id"], &first["role"]), (&json!(CONVERSATION), &json!("user")));
    assert_eq!((&first["user_id"], &first["customer_id"]), (&json!("u-swift-conv"), &json!("c-swift-conv")));
    assert_eq!(first["metadata"], json!({"channel": "web", "agent_model": "gpt-4o", "agent_context_window": 128000}));
    assert_eq!(first["scope"], json!({"team": "payments"}));
    let second = records.iter().find(|b| b["role"] == "assistant").expect("the assistant's message");
    assert!(second.get("session_id").is_none_or(|s| s.is_null()) && second.get("scope").is_none(), "{second}");
    let batch: Vec<_> = batches.iter().filter(|b| b["messages"].as_array().is_some_and(|m| m.len() == 3)).collect();
    assert_eq!(batch.len(), 1, "{batches:?}");
    let rows = batch[0]["messages"].as_array().unwrap();
    assert_eq!(rows[1]["content"], "swift-batch-refused");
    assert!(rows[1].get("customer_id").is_none_or(|c| c.is_null()) && rows[2].get("user_id").is_none(), "{rows:?}");

    let ingests = bodies(emu, INGEST);
    let call: Vec<_> = ingests.iter().filter(|b| b["conversation_id"] == "swift-call-8812").collect();
    assert_eq!(call.len(), 3, "the push, its repeat and the conflicting one: {ingests:?}");
    assert_eq!(call[0]["transcript"], "User: I want a refund for order 8812.\nAssistant: I will process it today.");
    assert_eq!((&call[0]["conversation_type"], &call[0]["scope"]), (&json!("voice"), &json!({"team": "payments"})));
    assert_eq!(
        (&call[0]["analysis"], &call[0]["metadata"]),
        (&json!({"sentiment": "negative"}), &json!({"channel": "phone"}))
    );
    let started = call[0]["started_at"].as_str().unwrap();
    let ended = call[0]["ended_at"].as_str().unwrap();
    assert!(
        started.starts_with("2025-01-15T10:00:00") && ended.starts_with("2025-01-15T10:06:41"),
        "{started} {ended}"
    );
    let turns: Vec<_> = ingests.iter().filter(|b| b["conversation_id"] == "swift-call-turns").collect();
    assert_eq!(turns.len(), 2, "{ingests:?}");
    let said = &turns[0]["transcript"];
    assert_eq!((&said[0]["role"], &said[0]["content"]), (&json!("user"), &json!("I want a refund.")));
    assert_eq!(said[0]["speaker"], "Caller");
    let at = said[0]["timestamp"].as_str().unwrap_or("");
    assert!(at.starts_with("2025-01-15T10:00:04") && at.ends_with('Z'), "{at}");
    assert!(said[1]["speaker"].is_null() && said[1]["timestamp"].is_null(), "{said}");

    let compacts = bodies(emu, COMPACT);
    let with_options =
        json!({"conversation_id": CONVERSATION, "strategy": "balanced", "target_tokens": 2000, "force": true});
    assert_eq!(
        compacts.iter().filter(|b| **b == with_options).count(),
        2,
        "the compaction and the one refused: {compacts:?}"
    );
    let defaults = json!({"conversation_id": CONVERSATION, "strategy": null, "target_tokens": null, "force": false});
    assert_eq!(compacts.iter().filter(|b| **b == defaults).count(), 1, "{compacts:?}");
    assert_eq!(compacts.len(), 3, "{compacts:?}");

    let queries = |path: &str| -> Vec<String> {
        emu.requests(Some(path)).iter().map(|r| r["query"].as_str().unwrap_or("").to_owned()).collect()
    };
    let compacted = queries(&format!("/v1/conversations/{CONVERSATION}/compacted"));
    for query in ["format=structured", "format=narrative&version=1", "format=injection", "format=structured&version=2"]
    {
        assert!(compacted.iter().any(|q| q == query), "{query}: {compacted:?}");
    }
    assert!(!compacted.iter().any(|q| q.contains("bullet_points")), "the refused format was sent");
    let pages = queries(&format!("/v1/conversations/{CONVERSATION}/messages"));
    for query in ["start=1&limit=500", "start=1&limit=3", "start=4&limit=3", "start=5&limit=3"] {
        assert!(pages.iter().any(|q| q == query), "{query}: {pages:?}");
    }
    assert_eq!(pages.len(), 4, "the refused pages were sent: {pages:?}");

    let log = format!("{:?}", emu.requests(None));
    for refused in ["swift-refused", "narrator", "gentle", "swift-nul"] {
        assert!(!log.contains(refused), "{refused} was refused locally, yet sent");
    }
}

/// The conversation the C program ingests and fetches.
const CTX_CONVERSATION: &str = "5b0c2d1e-8f7a-4c3b-9e2d-1a0b9c8d7e6f";

/// What the C program's first fetches on the customer, client and
/// conversation routes get: a degraded retrieval, then a failed one; items
/// with malformed values, then a list holding a number; a compaction block.
fn script_context_answers(emu: &Emu) {
    let degraded = json!({"degraded": true, "level": "partial", "code": "timeout", "warnings": ["vector store slow"]});
    emu.script_context(json!({"route": "customer", "retrieval": degraded}));
    let failed = json!({"degraded": true, "level": "failed", "code": "unavailable", "warnings": []});
    emu.script_context(json!({"route": "customer", "retrieval": failed, "clear_items": true}));
    emu.script_context(json!({
        "route": "client",
        "item_patch": {"source": null, "confidence": 1.5, "extracted_at": "not a time", "surprise": {"x": 1}},
        "inject": {"facts": [{"id": null, "content": "raw", "confidence": "inferred", "said_at": "2025-13-45",
                              "extracted_at": 17, "matched_queries": null, "rank": "first"}]},
    }));
    emu.script_context(json!({"route": "client", "inject": {"facts": [7]}}));
    emu.script_context(json!({
        "route": "conversation",
        "conversation_context": {
            "conversation_id": CTX_CONVERSATION, "summary": "Asked about an order.",
            "current_state": {"stage": "shipping"}, "key_extractions": {"topics": ["order"]},
            "formatted_context": "Order asked about.", "compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e",
            "compacted_at": "2025-01-15T10:40:00Z",
            "recent_turns": [{"role": "user", "content": "and when?", "timestamp": "2025-01-15T10:41:02Z",
                              "message_id": "m-1"}],
        },
    }));
}

/// What ContextRequest.handle() set reached the service; what libsynap (or
/// the NUL check) refused never left the process; the user id's `/`, `?`
/// and `#` reached the profile route encoded, and were matched intact.
fn check_context_requests(emu: &Emu) {
    let fetches = emu.requests(Some("/v1/context/user/fetch"));
    let bodies: Vec<serde_json::Value> =
        fetches.iter().map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap()).collect();
    let every: Vec<_> = bodies.iter().filter(|b| b["query_date"] == "2025-03-11").collect();
    assert_eq!(every.len(), 1, "the fetch with every setter: {bodies:?}");
    let every = every[0];
    assert_eq!((&every["user_id"], &every["customer_id"]), (&json!("swift/ctx?u#1"), &json!("c-swift-ctx")));
    assert_eq!(every["conversation_id"], CTX_CONVERSATION);
    assert_eq!(every["search_query"], json!(["what does the user drink after 3pm?", "dark roast"]));
    assert_eq!((&every["max_results"], &every["max_results_per_query"]), (&json!(5), &json!(2)));
    assert_eq!(every["types"], json!(["preferences", "facts"]));
    assert_eq!((&every["mode"], &every["precision_level"]), (&json!("accurate"), &json!("medium")));
    assert_eq!(every["scope"], json!({"team": "payments"}));
    let summary: Vec<_> = bodies.iter().filter(|b| b["context_mode"] == "conversation-summary").collect();
    assert_eq!(summary.len(), 1, "{bodies:?}");
    assert_eq!((&summary[0]["include_profile"], &summary[0]["last_n_conversations"]), (&json!(true), &json!(5)));
    assert!(bodies.iter().any(|b| b["max_results"] == 101), "the value the service refused was sent");
    for b in &bodies {
        assert_eq!(b["user_id"], "swift/ctx?u#1", "{b}");
        for (key, refused) in [("mode", "slow"), ("precision_level", "low"), ("response_shape", "flat")] {
            assert_ne!(b[key], refused, "{key} {refused} was refused locally, yet sent");
        }
        assert!(b["max_results"] != 0 && !b["types"].to_string().contains("notes"), "{b}");
    }
    for route in ["customer", "client", "conversation"] {
        let sent = emu.requests(Some(&format!("/v1/context/{route}/fetch")));
        assert!(!sent.is_empty(), "no {route} fetch");
        for r in sent {
            let body: serde_json::Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
            assert!(body.get("context_mode").is_none(), "summary mode off the user scope was sent: {body}");
        }
    }

    let all = emu.requests(None);
    let log = format!("{all:?}");
    assert!(!log.contains("swift-nul") && !log.contains("not-a-uuid"), "a refused value was sent");
    let profiles: Vec<_> = all
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.starts_with("/v1/users/")))
        .map(|r| (r["path"].as_str().unwrap().to_owned(), r["query"].as_str().map(str::to_owned)))
        .collect();
    let encoded = "/v1/users/swift%2Fctx%3Fu%231/profile".to_owned();
    assert!(profiles.contains(&(encoded.clone(), Some("customer_id=c-swift-ctx".to_owned()))), "{profiles:?}");
    assert!(profiles.contains(&(encoded.clone(), None)), "{profiles:?}");
    assert!(profiles.contains(&("/v1/users/swift-nobody/profile".to_owned(), None)), "{profiles:?}");
    for (path, _) in &profiles {
        assert!(path == &encoded || path == "/v1/users/swift-nobody/profile", "{path}");
    }

    let prompts = emu.requests(Some(&format!("/v1/conversations/{CTX_CONVERSATION}/context-for-prompt")));
    let styles: Vec<Option<&str>> = prompts.iter().map(|r| r["query"].as_str()).collect();
    for style in ["structured", "bullet_points", "narrative"] {
        assert!(styles.contains(&Some(&format!("style={style}"))), "{style}: {styles:?}");
    }
    assert!(!format!("{styles:?}").contains("injection"), "the refused style was sent");
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
    assert_eq!(c_codes.len(), 15, "{c_codes:?}");
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

    let c_scopes = c_enum(&header, "SynapContextScope", "SYNAP_SCOPE_");
    assert_eq!(c_scopes.len(), 4, "{c_scopes:?}");
    assert_eq!(swift_enum(&swift, "Scope"), c_scopes, "ContextRequest.Scope in {WRAPPER} against SynapContextScope");

    let c_lists = c_enum(&header, "SynapContextList", "SYNAP_LIST_");
    assert_eq!(c_lists.len(), 7, "{c_lists:?}");
    assert_eq!(swift_enum(&swift, "ContextList"), c_lists, "ContextList in {WRAPPER} against SynapContextList");

    let c_outcomes = c_enum(&header, "SynapForgetOutcome", "SYNAP_FORGET_");
    assert_eq!(c_outcomes.len(), 5, "{c_outcomes:?}");
    assert_eq!(
        swift_enum(&swift, "ForgetOutcome"),
        c_outcomes,
        "ForgetOutcome in {WRAPPER} against SynapForgetOutcome"
    );

    let c_deletion = c_enum(&header, "SynapDeletionState", "SYNAP_DELETION_");
    assert_eq!(c_deletion.len(), 5, "{c_deletion:?}");
    assert_eq!(
        swift_enum(&swift, "DeletionState"),
        c_deletion,
        "DeletionState in {WRAPPER} against SynapDeletionState"
    );

    let c_delete_scopes = c_enum(&header, "SynapDeleteScope", "SYNAP_DELETE_");
    assert_eq!(c_delete_scopes.len(), 3, "{c_delete_scopes:?}");
    assert_eq!(swift_enum(&swift, "DeleteScope"), c_delete_scopes, "DeleteScope in {WRAPPER} against SynapDeleteScope");
}
