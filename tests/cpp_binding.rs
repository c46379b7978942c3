//! The C++ interface, include/synap.hpp: tests/cpp/test_synap.cpp built as
//! C++17 with strict warnings by g++ and by clang++, with AddressSanitizer
//! (its leak checker proves the RAII types free every handle) and
//! UndefinedBehaviorSanitizer, run against the emulator; then the bodies
//! its creates, batches, context fetches and conversation writes sent, and
//! the paths its reads asked for, are checked here, as are how many times
//! each conversation write met by a scripted fault was sent, and that a
//! call refused for a NUL byte in a string sent nothing. The README's C++
//! examples compile too. tests/cpp/test_lifecycle.cpp, built and run the
//! same way, covers the memory lifecycle, data deletion and credits calls,
//! whose requests are checked here as well, the uploaded file included.

mod common;
mod compilers;
mod uploads;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::Emu;
use common::cprog::{lib_dir, root, run, text};
use compilers::Compiler;
use serde_json::{Value, json};
use synap_emulator::Config;

const CREATE: &str = "/api/v1/memories/create";
const BATCH: &str = "/api/v1/memories/batch";
const USER_FETCH: &str = "/v1/context/user/fetch";
/// The conversation of the C++ tests' decaf document.
const CONVERSATION: &str = "5d0c3a1e-8b7f-4c2d-9e6a-1f2b3c4d5e6f";
const MESSAGES: &str = "/v1/conversations/messages";
const MESSAGES_BATCH: &str = "/v1/conversations/messages/batch";
const INGEST: &str = "/v1/conversations/ingest";
const COMPACT: &str = "/v1/conversations/compact";
/// The conversation the C++ tests record in, list and compact.
const CONV_A: &str = "3c9d6f1e-2b4a-4e8d-9f7c-1a2b3c4d5e6f";
/// The one without a user, whose batch message the service refuses.
const CONV_B: &str = "8e7d6c5b-4a39-4281-9f0e-d1c2b3a4f5e6";
/// The one of the message the refusing setters leave as it was.
const CONV_KEPT: &str = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
/// The one of the message the NUL-refusing setters leave as it was.
const CONV_NUL: &str = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";

const CXX_STRICT: [&str; 5] = ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic"];
const SANITIZE: [&str; 4] =
    ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all", "-O1"];

fn compile(compiler: Compiler, source: &Path, out: &Path, flags: &[&str]) {
    let lib = lib_dir();
    let result = run(Command::new(compiler.cxx)
        .args(CXX_STRICT)
        .args(flags)
        .arg("-I")
        .arg(root().join("include"))
        .arg(source)
        .arg("-o")
        .arg(out)
        .arg("-L")
        .arg(&lib)
        .arg("-lsynap")
        .arg(format!("-Wl,-rpath,{}", lib.display())));
    assert!(result.status.success(), "{} {}:\n{}", compiler.cxx, source.display(), text(&result.stderr));
}

/// `tests/cpp/<name>.cpp` built with the sanitizers by `compiler`.
fn compile_sanitized(compiler: Compiler, name: &str) -> PathBuf {
    let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}_cpp-{}", compiler.name));
    let mut flags = vec!["-g", "-pthread"];
    flags.extend(SANITIZE);
    compile(compiler, &root().join(format!("tests/cpp/{name}.cpp")), &binary, &flags);
    binary
}

/// Runs a C++ test program with `fixtures` as `SYNAP_FIX_<name>` (and no
/// key or base URL from this environment); every check must pass and the
/// sanitizers stay silent.
fn run_cpp_tests(compiler: Compiler, binary: &Path, fixtures: &[(&str, String)]) {
    let mut cmd = Command::new(binary);
    cmd.env("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:fast_unwind_on_malloc=0")
        .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        .env_remove("SYNAP_API_KEY")
        .env_remove("SYNAP_BASE_URL");
    for (name, value) in fixtures {
        cmd.env(format!("SYNAP_FIX_{name}"), value);
    }
    let out = run(&mut cmd);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{} C++ tests failed ({:?}):\n{stdout}\n{stderr}", compiler.name, out.status);
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    assert!(!stderr.contains("Sanitizer") && !stderr.contains("runtime error:"), "{stderr}");
}

fn cpp_tests_pass(compiler: Compiler) {
    let binary = compile_sanitized(compiler, "test_synap");

    let emu = Emu::start();
    // Jobs made by create and batch finish within a third of a second.
    // A compaction runs for a second: long enough to be seen running.
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300,
                           "compaction_done_after_ms": 1000}));
    let r429 = emu.job(json!({"memories": 1}));
    emu.fault(
        &r429,
        1,
        json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "7"}, "body": r#"{"detail":"slow down"}"#}),
    );
    // A B2C instance: whoami says so, and it refuses a customer id.
    let b2c =
        Emu::start_with(Config { user_context_isolation: Some("equals_customer".to_owned()), ..Config::default() });
    let scripted = scripted_context_answers();
    // Every call the C++ tests make with a NUL byte in a string goes here:
    // none may reach it.
    let nul = Emu::start();
    let faults = scripted_conversation_faults();
    let fixtures = [
        ("FAULTS_URL", faults.base_url.clone()),
        ("BASE_URL", emu.base_url.clone()),
        ("B2C_URL", b2c.base_url.clone()),
        ("CTX_URL", scripted.base_url.clone()),
        ("NUL_URL", nul.base_url.clone()),
        ("COMPLETED", emu.job(json!({"document_id": "cpp-doc", "memories": 3}))),
        ("QUEUED", emu.job(json!({"processing_after_ms": 3_600_000, "done_after_ms": 7_200_000}))),
        ("FAILED", emu.job(json!({"final_status": "failed", "memories": 0, "error_message": "boom"}))),
        ("R429", r429),
        ("NEVER", emu.job(json!({"done_after_ms": 3_600_000}))),
        ("PARTIAL", emu.job(json!({"final_status": "partial_success", "memories": 1, "error_message": "half"}))),
        // Last, right before the run: its timeline starts now.
        ("PROGRESSING", emu.job(json!({"processing_after_ms": 1000, "done_after_ms": 2000, "memories": 1}))),
    ];
    run_cpp_tests(compiler, &binary, &fixtures);

    // Every field the C++ request set, sent as the nine keys of the wire
    // body; the timestamp rounded down to the microsecond.
    assert_eq!(
        sent(&emu, CREATE, |body| body["document_id"] == "cpp-chat-1")[0],
        json!({
            "document": "User: I only drink decaf after 3pm.\nAssistant: Noted.",
            "document_type": "document",
            "document_id": "cpp-chat-1",
            "document_created_at": "2025-01-15T10:30:00.412000Z",
            "user_id": "u1",
            "customer_id": "c1",
            "scope": {"team": "payments"},
            "mode": "fast",
            "metadata": {"channel": "web"},
        })
    );
    // Refused setters left the request as it was.
    let kept = &sent(&emu, CREATE, |body| body["document_id"] == "cpp-kept")[0];
    assert_eq!((&kept["document_type"], &kept["mode"]), (&json!("email"), &json!("fast")), "{kept}");
    // Only the two batches the service saw: empty and NULL ones are refused
    // before any request.
    let batches = sent(&emu, BATCH, |_| true);
    let shape: Vec<(Value, usize)> =
        batches.iter().map(|b| (b["fail_fast"].clone(), b["documents"].as_array().map_or(0, Vec::len))).collect();
    assert_eq!(shape, [(json!(false), 5), (json!(true), 2)]);
    assert_eq!(batches[1]["documents"][1]["document"], "   ");
    assert_eq!(batches[0]["documents"][2]["document_type"], "email");
    assert_eq!(batches[0]["documents"][2]["document"]["subject"], "Renewal");
    // The B2C instance saw the create naming a customer once: after whoami
    // the client refused it itself.
    let customers: Vec<Value> = sent(&b2c, CREATE, |_| true).iter().map(|b| b["customer_id"].clone()).collect();
    assert_eq!(customers, [json!("c1"), Value::Null]);
    // ... and no context fetch at all: the one naming a customer was refused.
    assert!(b2c.requests(None).iter().all(|r| !r["path"].as_str().unwrap_or_default().starts_with("/v1/context/")));

    // Refused context setters left the request as it was.
    let kept = &sent(&emu, USER_FETCH, |body| body["user_id"] == "cpp-ctx-kept")[0];
    assert_eq!(
        (&kept["mode"], &kept["max_results"], &kept["types"], &kept["precision_level"], &kept["search_query"]),
        (&json!("accurate"), &json!(3), &json!(["preferences"]), &json!("medium"), &json!(["decaf"])),
        "{kept}"
    );
    // The user id holding `/`, `?`, `#` and `%` arrived intact:
    // percent-encoded in the profile's path, as itself in the fetch's body.
    let paths: Vec<String> =
        emu.requests(None).iter().map(|r| r["path"].as_str().unwrap_or_default().to_owned()).collect();
    assert!(paths.iter().any(|p| p == "/v1/users/team%2Fa%3Fb%23c%252F/profile"), "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains("team/a")), "{paths:?}");
    assert_eq!(
        sent(&emu, USER_FETCH, |body| body["user_id"] == "team/a?b#c%2F")[0]["search_query"],
        json!(["jasmine"])
    );
    // Each prompt style was asked for (the conversation fetch without a
    // query asks for the structured one).
    let styles: BTreeSet<String> = emu
        .requests(Some(&format!("/v1/conversations/{CONVERSATION}/context-for-prompt")))
        .iter()
        .map(|r| r["query"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(styles, ["style=bullet_points", "style=narrative", "style=structured"].map(str::to_owned).into());
    // Summary mode asked for what it was told.
    let summary = &sent(&emu, USER_FETCH, |body| body["context_mode"] == "conversation-summary")[0];
    assert_eq!((&summary["include_profile"], &summary["last_n_conversations"]), (&json!(true), &json!(5)));
    // A string holding a NUL byte was refused before any request ...
    let reached: Vec<Value> = nul.requests(None);
    assert!(reached.is_empty(), "requests with a NUL byte reached the emulator: {reached:?}");
    // ... and the refusing setters left the requests as they were.
    assert_eq!(
        sent(&emu, CREATE, |body| body["document_id"] == "cpp-nul-kept")[0],
        json!({
            "document": "User: keep me as I am.",
            "document_type": "ai-chat-conversation",
            "document_id": "cpp-nul-kept",
            "document_created_at": null,
            "user_id": "cpp-nul-user",
            "customer_id": "cpp-ctx-cust",
            "scope": null,
            "mode": "long-range",
            "metadata": {},
        })
    );
    assert_eq!(
        sent(&emu, USER_FETCH, |body| body["user_id"] == "cpp-nul-ctx")[0],
        json!({"user_id": "cpp-nul-ctx", "customer_id": "cpp-ctx-cust", "conversation_id": null,
               "search_query": ["decaf"], "max_results": 10, "types": ["all"], "mode": "fast"})
    );
    // Every scripted answer was served.
    assert_eq!(scripted.requests(None).iter().filter(|r| r["path"] == "/v1/context/client/fetch").count(), 2);

    conversation_requests_were_sent_as_set(&emu);
    // The B2C instance saw no conversation write: each named a customer.
    assert!(
        b2c.requests(None).iter().all(|r| !r["path"].as_str().unwrap_or_default().starts_with("/v1/conversations"))
    );
    // A write met by a 500 or a dropped connection was sent once; one met by
    // a 503 twice.
    let sent_to = |path: &str| faults.requests(Some(path)).len();
    assert_eq!(
        [sent_to(MESSAGES), sent_to(MESSAGES_BATCH), sent_to(INGEST), sent_to(COMPACT)],
        [4, 1, 1, 2],
        "requests per conversation write on the emulator answering with faults"
    );
}

/// An emulator whose first answers to the conversation writes are faults:
/// to a message a 500, then a dropped connection, then a 503; to a batch a
/// 500; to a transcript a dropped connection; to a compaction a 503.
fn scripted_conversation_faults() -> Emu {
    let emu = Emu::start();
    let status = |code: u16| json!({"kind": "respond", "status": code, "body": r#"{"detail":"scripted"}"#});
    emu.post_fault(MESSAGES, 1, status(500));
    emu.post_fault(MESSAGES, 1, json!({"kind": "drop"}));
    emu.post_fault(MESSAGES, 1, status(503));
    emu.post_fault(MESSAGES_BATCH, 1, status(500));
    emu.post_fault(INGEST, 1, json!({"kind": "drop"}));
    emu.post_fault(COMPACT, 1, status(503));
    emu
}

/// The conversation writes the C++ tests made carry what their requests
/// set, and what refusing setters left; the reads asked for what they were
/// told.
fn conversation_requests_were_sent_as_set(emu: &Emu) {
    // A message with every field set: the agent model folded into the
    // metadata, the id canonical.
    assert_eq!(
        sent(emu, MESSAGES, |body| body["session_id"] == "cpp-session-1")[0],
        json!({
            "conversation_id": CONV_A, "role": "user", "content": "I am planning a trip to Lisbon in May.",
            "user_id": "cpp-conv-user", "customer_id": "cpp-conv-cust", "session_id": "cpp-session-1",
            "metadata": {"channel": "web", "agent_model": "gpt-4o", "agent_context_window": 128000},
            "scope": {"team": "travel"},
        })
    );
    // One without the optional fields: a null customer is still sent.
    assert_eq!(
        sent(emu, MESSAGES, |body| body["content"] == "I will look for flights.")[0],
        json!({"conversation_id": CONV_A, "role": "assistant", "content": "I will look for flights.",
               "user_id": "cpp-conv-user", "customer_id": "cpp-conv-cust", "metadata": {}})
    );
    // Refused setters, and refused NUL bytes, left the messages as they were.
    assert_eq!(
        sent(emu, MESSAGES, |body| body["conversation_id"] == CONV_KEPT),
        [json!({"conversation_id": CONV_KEPT, "role": "assistant", "content": "Kept as it was.",
                "user_id": "cpp-conv-kept", "customer_id": "cpp-conv-cust", "session_id": "cpp-kept-session",
                "metadata": {}})]
    );
    assert_eq!(
        sent(emu, MESSAGES, |body| body["conversation_id"] == CONV_NUL),
        [json!({"conversation_id": CONV_NUL, "role": "user", "content": "Keep me as I am.",
                "user_id": "cpp-nul-user", "customer_id": "cpp-ctx-cust", "metadata": {}})]
    );
    // The one batch that reached the service (the others were refused
    // before any request): absent keys left out.
    assert_eq!(
        sent(emu, MESSAGES_BATCH, |_| true),
        [json!({"messages": [
            {"conversation_id": CONV_A, "role": "user", "content": "Are there trams in Lisbon?", "metadata": {}},
            {"conversation_id": CONV_B, "role": "user", "content": "Nobody owns this conversation.", "metadata": {}},
            {"conversation_id": CONV_A, "role": "assistant", "content": "Yes, tram 28 is the famous one.",
             "metadata": {}},
        ]})]
    );

    // A transcript as text with every field, sent three times (the first,
    // its duplicate, the conflicting one).
    let by_text = sent(emu, INGEST, |body| body["conversation_id"] == "cpp-call-8812");
    assert_eq!(by_text.len(), 3);
    assert_eq!(
        by_text[0],
        json!({
            "conversation_id": "cpp-call-8812", "user_id": "cpp-conv-user", "customer_id": "cpp-conv-cust",
            "transcript": "User: My order 8812 arrived damaged.\nAssistant: I will send a replacement today.\nUser: Please keep me updated by email.",
            "conversation_type": "voice", "analysis": {"sentiment": "negative"}, "metadata": {"channel": "phone"},
            "started_at": "2025-01-15T10:00:00.000000Z", "ended_at": "2025-01-15T10:06:41.000000Z",
            "scope": {"team": "support"},
        })
    );
    assert_eq!(by_text[1], by_text[0]);
    assert!(by_text[2]["transcript"].as_str().unwrap_or_default().ends_with("User: One more thing."));
    // As turns: each with its five keys.
    assert_eq!(
        sent(emu, INGEST, |body| body["conversation_id"] == "cpp-call-8813")[0],
        json!({
            "conversation_id": "cpp-call-8813", "user_id": "cpp-conv-user", "customer_id": "cpp-conv-cust",
            "transcript": [
                {"role": "user", "content": "I want a refund.", "timestamp": "2025-01-15T10:00:04.000000Z",
                 "speaker": "Caller", "metadata": null},
                {"role": "assistant", "content": "I will process it now.", "timestamp": null, "speaker": "Agent",
                 "metadata": null},
                {"role": "user", "content": "Thank you.", "timestamp": null, "speaker": null, "metadata": null},
            ],
        })
    );
    // Text set after turns replaced them.
    assert_eq!(
        sent(emu, INGEST, |body| body["conversation_id"] == "cpp-call-8814")[0]["transcript"],
        json!("User: Hello there, I need help.")
    );
    assert_eq!(
        sent(emu, INGEST, |body| body["conversation_id"] == "cpp-nul-call"),
        [json!({"conversation_id": "cpp-nul-call", "user_id": "cpp-nul-user", "customer_id": "cpp-ctx-cust",
                "transcript": "User: Keep me as I am."})]
    );

    // Compactions: all four keys, the refused strategy leaving the one set.
    assert_eq!(
        sent(emu, COMPACT, |body| body["conversation_id"] == CONV_A),
        [
            json!({"conversation_id": CONV_A, "strategy": "balanced", "target_tokens": 2000, "force": true}),
            json!({"conversation_id": CONV_A, "strategy": null, "target_tokens": null, "force": false}),
        ]
    );
    assert_eq!(
        sent(emu, COMPACT, |body| body["conversation_id"] == CONV_KEPT),
        [json!({"conversation_id": CONV_KEPT, "strategy": "conservative", "target_tokens": 500, "force": false})]
    );

    // The reads asked for the pages and the formats they were told.
    let queries = |path: &str| -> BTreeSet<String> {
        emu.requests(Some(path)).iter().map(|r| r["query"].as_str().unwrap_or_default().to_owned()).collect()
    };
    let pages = queries(&format!("/v1/conversations/{CONV_A}/messages"));
    for page in ["start=1&limit=2", "start=3&limit=2", "start=5&limit=2", "start=1&limit=500", "start=2&limit=3"] {
        assert!(pages.contains(page), "{page} not in {pages:?}");
    }
    assert_eq!(
        queries(&format!("/v1/conversations/{CONV_A}/compacted")),
        ["format=injection&version=1", "format=narrative", "format=structured", "format=structured&version=2"]
            .map(str::to_owned)
            .into()
    );
}

/// An emulator whose next answers on three routes are scripted: the
/// customer route's retrieval broke, the user route's holds malformed
/// items and a conversation block, the client route's has an item that is
/// not an object.
fn scripted_context_answers() -> Emu {
    let emu = Emu::start();
    emu.script_context(json!({
        "route": "customer",
        "clear_items": true,
        "retrieval": {"degraded": true, "level": "partial", "code": "timeout",
                      "warnings": ["vector store slow", "retried once"]},
    }));
    let malformed = json!({
        "id": null, "content": "I like tea.", "strength": 1.5, "category": null, "source": null,
        "extracted_at": "yesterday-ish", "said_at": "2025-13-45T99:00:00Z", "matched_queries": null,
        "metadata": null, "event_precision": "day", "temporal_confidence": "high", "rank": null,
    });
    let odder =
        json!({"id": "p-2", "content": 42, "strength": null, "confidence": 0.25, "metadata": {"surprise": true}});
    emu.script_context(json!({
        "route": "user",
        "inject": {"preferences": [malformed, odder]},
        "conversation_context": {
            "conversation_id": CONVERSATION, "summary": "Asked about tea.", "current_state": {"stage": "ordering"},
            "key_extractions": null, "compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e", "compacted_at": "not parsed",
            "recent_turns": [
                {"role": "user", "content": "and tea?", "timestamp": "2025-01-15T10:41:02Z", "message_id": "m-1"},
                {"role": "assistant", "content": "Green or black?", "timestamp": "soon"},
            ],
        },
    }));
    emu.script_context(json!({"route": "client", "inject": {"facts": [7]}}));
    emu
}

/// The JSON bodies of the requests to `path` that `keep` selects, in order.
fn sent(emu: &Emu, path: &str, keep: impl Fn(&Value) -> bool) -> Vec<Value> {
    let bodies: Vec<Value> = emu
        .requests(Some(path))
        .iter()
        .map(|r| serde_json::from_str(r["body"].as_str().unwrap_or_default()).unwrap_or(Value::Null))
        .filter(|body| keep(body))
        .collect();
    assert!(!bodies.is_empty(), "nothing matching was sent to {path}");
    bodies
}

/// Job timings that keep the lifecycle tests short: a created or uploaded
/// document's job ends in 300 ms.
fn quick_jobs() -> Value {
    json!({"create_processing_after_ms": 50, "create_done_after_ms": 300})
}

fn cpp_lifecycle_tests_pass(compiler: Compiler) {
    let binary = compile_sanitized(compiler, "test_lifecycle");
    let emu = Emu::start();
    emu.post_config(quick_jobs());
    // A data deletion runs for most of a second: long enough to be waited for.
    emu.post_config(json!({"data_delete_done_after_ms": 800}));
    let partial = Emu::start();
    partial.post_config(quick_jobs());
    partial.post_config(json!({"forget_partial": true, "data_delete_partial": true}));
    // Every call the tests make with a NUL byte in a string goes here: none
    // may reach it.
    let nul = Emu::start();
    let file = uploads::write_file(&format!("cpp-upload-{}.bin", compiler.name));
    let fixtures = [
        ("BASE_URL", emu.base_url.clone()),
        ("PARTIAL_URL", partial.base_url.clone()),
        ("NUL_URL", nul.base_url.clone()),
        ("UPLOAD_FILE", file.display().to_string()),
    ];
    run_cpp_tests(compiler, &binary, &fixtures);

    let reached: Vec<Value> = nul.requests(None);
    assert!(reached.is_empty(), "requests with a NUL byte reached the emulator: {reached:?}");
    lifecycle_requests_were_sent_as_set(&emu, &file);
}

/// The lifecycle calls sent what their requests set, and what refusing
/// setters left; the file arrived whole; nothing refused was sent.
fn lifecycle_requests_were_sent_as_set(emu: &Emu, file: &Path) {
    let patches: Vec<Value> = emu
        .requests(None)
        .iter()
        .filter(|r| r["method"] == "PATCH")
        .map(|r| serde_json::from_str(r["body"].as_str().unwrap_or_default()).unwrap_or(Value::Null))
        .collect();
    assert_eq!(
        patches,
        [
            json!({"document": "I moved to Porto in 2021.", "merge_strategy": "replace"}),
            json!({"document": {"text": "I moved there for work."}, "merge_strategy": "append",
                   "document_type": "document", "metadata": {"source": "cpp-update"}}),
            json!({"document": "I moved to Porto in 2021.", "merge_strategy": "replace"}),
            json!({"document": "Back again.", "merge_strategy": "smart-merge"}),
        ]
    );
    let forgets = sent(emu, "/api/v1/memories/forget", |_| true);
    assert_eq!(
        forgets[..2],
        [
            json!({"description": "old home address", "user_id": "cpp-life-user", "customer_id": "cpp-life-cust",
                   "scope": null, "mode": "preview"}),
            json!({"description": "old home address", "user_id": "cpp-life-user", "customer_id": "cpp-life-cust",
                   "scope": {"team": "travel"}, "mode": "direct"}),
        ]
    );
    assert_eq!(forgets.len(), 4, "preview, direct, nothing matching, no customer: {forgets:?}");

    let received = uploads::received(&emu.base_url);
    assert_eq!(received.len(), 3, "the file, the bytes and the text: {received:?}");
    let bytes = std::fs::read(file).unwrap();
    let name = file.file_name().unwrap().to_str().unwrap();
    assert_eq!((&received[0]["filename"], &received[0]["encoding"]), (&json!(name), &json!("multipart")));
    assert_eq!(
        (&received[0]["bytes"], &received[0]["fnv1a64"]),
        (&json!(bytes.len()), &json!(uploads::fnv1a64(&bytes)))
    );
    let fields = &received[0]["fields"];
    // The mode the refusing setter left.
    assert_eq!((&fields["mode"], &fields["document_type"]), (&json!("fast"), &json!("document")));
    assert_eq!(serde_json::from_str::<Value>(fields["scope"].as_str().unwrap()).unwrap(), json!({"team": "travel"}));
    let sent_bytes = b"cpp\0\xff\xfe bytes\n";
    assert_eq!(
        (&received[1]["bytes"], &received[1]["fnv1a64"], &received[1]["content_type"]),
        (&json!(sent_bytes.len()), &json!(uploads::fnv1a64(sent_bytes)), &json!("application/x-cpp"))
    );
    assert_eq!(
        (&received[2]["encoding"], &received[2]["fields"]["user_id"]),
        (&json!("urlencoded"), &json!("cpp-life-user"))
    );

    let deletes = sent(emu, "/v1/data/delete", |_| true);
    assert_eq!((&deletes[0]["dry_run"], &deletes[0]["confirm"]), (&json!(true), &Value::Null), "{deletes:?}");
    let confirmed: Vec<&Value> = deletes.iter().filter(|b| b["confirm"] == "cpp-del-user").collect();
    assert_eq!(confirmed.len(), 2, "the deletion and the one its continue asked for: {deletes:?}");
    assert_eq!(
        (&confirmed[0]["user_id"], &confirmed[0]["customer_id"]),
        (&json!("cpp-del-user"), &json!("cpp-life-cust"))
    );

    assert_eq!(
        sent(emu, "/v1/credits/estimate", |_| true),
        [json!({"metric_type": "llm_input_tokens", "units": 1000, "item_count": 4,
                "endpoint": "/v1/context/user/fetch", "mode": "fast"})]
    );
    let codes: Vec<Value> = sent(emu, "/v1/credits/redeem", |_| true).iter().map(|b| b["code"].clone()).collect();
    assert_eq!(codes, [json!("SYN-TEST-CODE-0001-A"), json!("SYN-TEST-CODE-0001-A"), json!("cpp-malformed-code")]);
    let ledger: Vec<String> = emu
        .requests(Some("/v1/credits/ledger"))
        .iter()
        .map(|r| r["query"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(ledger.len(), 3, "{ledger:?}");
    assert_eq!(ledger[0], "limit=100&offset=0");
    assert!(ledger[1].contains("entry_type=usage") && ledger[1].contains("limit=2&offset=1"), "{ledger:?}");

    let log = format!("{:?}", emu.requests(None));
    for refused in ["cpp-missing-upload", "cpp-del-other", "cpp-not-a-uuid", "\"slow\"", "no user"] {
        assert!(!log.contains(refused), "{refused} was refused locally, yet sent");
    }
}

#[test]
fn cpp_lifecycle_tests_pass_with_gcc() {
    cpp_lifecycle_tests_pass(compilers::available(compilers::GCC).unwrap());
}

#[test]
fn cpp_lifecycle_tests_pass_with_clang() {
    if let Some(clang) = compilers::available(compilers::CLANG) {
        cpp_lifecycle_tests_pass(clang);
    }
}

#[test]
fn cpp_tests_pass_with_gcc() {
    cpp_tests_pass(compilers::available(compilers::GCC).unwrap());
}

#[test]
fn cpp_tests_pass_with_clang() {
    if let Some(clang) = compilers::available(compilers::CLANG) {
        cpp_tests_pass(clang);
    }
}

#[test]
fn readme_cpp_blocks_compile() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks: Vec<&str> =
        readme.split("```cpp\n").skip(1).map(|rest| rest.split("\n```").next().unwrap_or_default()).collect();
    assert!(!blocks.is_empty(), "the README has its C++ example");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    for (i, block) in blocks.iter().enumerate() {
        let source = dir.join(format!("readme_{i}.cpp"));
        std::fs::write(&source, block).unwrap();
        compile(compilers::GCC, &source, &dir.join(format!("readme_{i}_cpp")), &[]);
    }
}
