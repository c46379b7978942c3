//! The C tests and the examples built with AddressSanitizer (with its leak
//! checker) and UndefinedBehaviorSanitizer, by gcc and by clang, and run
//! against the emulator. libsynap.so itself is not instrumented: the
//! sanitizer runtime replaces malloc and free for the whole process, so
//! leaks and bad frees of the library's allocations are still caught.
//!
//! A canary program checks first that each build does catch a use after
//! free, undefined behaviour and a leaked libsynap handle.

mod common;
mod compilers;
mod lifecycle_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Emu;
use common::cprog::{
    CHAT_TRANSCRIPT, assert_chat_output, assert_conversation_writes_sent_once, context_fixtures, conversation_fixtures,
    ingest_fixtures, lifecycle_fixtures, resilience_fixtures, root, run, run_with_input, status_fixtures, text,
};
use compilers::Compiler;
use lifecycle_support::TempDir;
use serde_json::json;
use synap_emulator::{DEMO_FAILED_ID, DEMO_PARTIAL_ID, DEV_API_KEY};

const SANITIZE: [&str; 4] =
    ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all", "-O1"];

/// Runs `binary` with the sanitizers set to stop at the first report.
/// Full stacks on malloc (`fast_unwind_on_malloc=0`): the library has no
/// frame pointers, and a leak report must name the libsynap call.
///
/// No leak suppressions are needed: the thread handle Rust's standard
/// library keeps per thread, which valgrind calls "possibly lost" (see
/// tests/valgrind.supp), is reached through an interior pointer from
/// thread-local storage, and LeakSanitizer counts that as reachable.
fn sanitized(binary: &Path) -> Command {
    let mut cmd = Command::new(binary);
    cmd.env("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:fast_unwind_on_malloc=0")
        .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        .env_remove("SYNAP_API_KEY")
        .env_remove("SYNAP_BASE_URL");
    cmd
}

fn build(compiler: Compiler, source: &str, name: &str) -> PathBuf {
    compilers::compile_c(compiler, source, name, &SANITIZE)
}

/// Fails with the program's output if it did not exit with `code` or a
/// sanitizer spoke.
fn assert_clean(what: &str, out: &Output, code: i32) {
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let report = ["Sanitizer", "runtime error:"].iter().any(|m| stderr.contains(m));
    assert!(
        out.status.code() == Some(code) && !report,
        "{what}: {:?}, expected {code}:\n{stdout}\n{stderr}",
        out.status
    );
}

const CANARY: &str = r#"#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "synap.h"
int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "";
    SynapOptions *options = synap_options_new();
    if (strcmp(what, "use-after-free") == 0) {
        char *volatile buffer = malloc(4);
        free(buffer);
        buffer[0] = 1;
    }
    int result = 0;
    if (strcmp(what, "undefined") == 0) {
        volatile int big = INT_MAX;
        result = big + argc;
    }
    if (strcmp(what, "leak") == 0) (void)synap_options_new();
    synap_options_free(options);
    return result != 0 && result != INT_MIN;
}
"#;

/// The sanitizers of this build are live: each planted bug is reported.
fn canary_catches_planted_bugs(compiler: Compiler) {
    let source = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sanitizer_canary.c");
    std::fs::write(&source, CANARY).unwrap();
    let binary = build(compiler, source.to_str().unwrap(), "sanitizer_canary");
    assert_clean("canary without a bug", &run(&mut sanitized(&binary)), 0);
    for (bug, report) in [
        ("use-after-free", "heap-use-after-free"),
        ("undefined", "signed integer overflow"),
        ("leak", "synap_options_new"),
    ] {
        let out = run(sanitized(&binary).arg(bug));
        let stderr = text(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains(report),
            "{compiler:?} missed the {bug}: {:?}\n{stderr}",
            out.status
        );
    }
}

/// Runs a C test program, built with the sanitizers, with `fixtures` as
/// `SYNAP_FIX_<name>`; it must pass every check and the sanitizers stay quiet.
fn c_tests(compiler: Compiler, source: &str, fixtures: &[(&str, String)]) {
    let name = Path::new(source).file_stem().unwrap().to_str().unwrap();
    let binary = build(compiler, source, &format!("{name}-sanitized"));
    let mut cmd = sanitized(&binary);
    for (name, value) in fixtures {
        cmd.env(format!("SYNAP_FIX_{name}"), value);
    }
    let out = run(&mut cmd);
    assert_clean(source, &out, 0);
    assert!(text(&out.stdout).trim_end().ends_with(" passed, 0 failed"), "{}", text(&out.stdout));
}

fn status_example(compiler: Compiler) {
    let binary = build(compiler, "examples-c/synap-status.c", "synap-status-sanitized");
    let emu = Emu::start();
    let status = |args: &[&str]| {
        run(sanitized(&binary).args(["--base-url", &emu.base_url]).args(args).env("SYNAP_API_KEY", DEV_API_KEY))
    };
    let unknown = "00000000-0000-4000-8000-000000000000";
    assert_clean("synap-status", &status(&[DEMO_PARTIAL_ID, unknown, "../../x"]), 3);
    assert_clean("synap-status --json", &status(&["--json", DEMO_FAILED_ID, DEMO_PARTIAL_ID]), 0);
    let job = emu.job(json!({"processing_after_ms": 100, "done_after_ms": 300, "memories": 2}));
    assert_clean("synap-status --wait", &status(&["--wait", "--interval", "0.1", "--verbose", &job]), 0);
}

fn ingest_example(compiler: Compiler) {
    let binary = build(compiler, "examples-c/synap-ingest.c", "synap-ingest-sanitized");
    let emu = Emu::start();
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300}));
    let sample = root().join("examples-c/sample-chat.txt");
    let ingest = |args: &[&str]| {
        run(sanitized(&binary)
            .args(["--base-url", &emu.base_url, "--interval", "0.1"])
            .args(args)
            .env("SYNAP_API_KEY", DEV_API_KEY))
    };
    let sample = sample.to_str().unwrap();
    assert_clean("synap-ingest", &ingest(&["--document-id", "san-1", sample]), 0);
    assert_clean("synap-ingest, a duplicate document id", &ingest(&["--document-id", "san-1", sample]), 6);
    assert_clean("synap-ingest, an unknown type", &ingest(&["--type", "support-ticket", sample]), 1);
}

/// synap-context against the demo's conversation: the ranked answer, the
/// profile, the prompt context, JSON lines, a degraded retrieval and errors.
fn context_example(compiler: Compiler) {
    let ingest = build(compiler, "examples-c/synap-ingest.c", "synap-ingest-for-context-sanitized");
    let binary = build(compiler, "examples-c/synap-context.c", "synap-context-sanitized");
    let emu = Emu::start();
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 200}));
    let conversation = "5b0f3c2e-8d41-4a7b-9c6e-1f2a3b4c5d6e";
    let with_key = |binary: &Path, args: &[&str]| {
        run(sanitized(binary).args(["--base-url", &emu.base_url]).args(args).env("SYNAP_API_KEY", DEV_API_KEY))
    };
    let metadata = format!(r#"{{"conversation_id": "{conversation}"}}"#);
    let sample = root().join("examples-c/sample-chat.txt");
    let ingested = with_key(
        &ingest,
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
    assert_clean("synap-ingest --user-id --metadata", &ingested, 0);
    let context = |args: &[&str]| with_key(&binary, args);
    let question = "what does the user drink after 3pm?";
    let out = context(&["--user", "demo-user", "--ranked", "--query", question]);
    assert_clean("synap-context --ranked", &out, 0);
    assert!(text(&out.stdout).contains("  1. [preferences] I switched to decaf after 3pm."), "{}", text(&out.stdout));
    assert_clean("synap-context --json", &context(&["--user", "demo-user", "--json", "--query", "coffee"]), 0);
    assert_clean("synap-context, the profile", &context(&["--user", "demo-user"]), 0);
    assert_clean("synap-context, the state", &context(&["--conversation", conversation]), 0);
    assert_clean("synap-context --prompt", &context(&["--prompt", conversation, "--style", "narrative"]), 0);
    emu.script_context(json!({"retrieval": {"degraded": true, "level": "failed", "code": "internal"},
                              "clear_items": true}));
    assert_clean("synap-context, degraded", &context(&["--client", "--types", "facts,preferences", "--query", "x"]), 0);
    assert_clean("synap-context, a bad type", &context(&["--client", "--types", "facts,notes"]), 1);
    assert_clean("synap-context, a bad id", &context(&["--prompt", "conv-1"]), 1);
    assert_clean("synap-context, usage", &context(&["--client", "--user", "u"]), 64);
}

/// synap-chat on the scripted transcript, compacting every two turns, then
/// a line that is not a turn, a refused id and a failed write.
fn chat_example(compiler: Compiler) {
    let binary = build(compiler, "examples-c/synap-chat.c", "synap-chat-sanitized");
    let emu = Emu::start();
    emu.post_config(json!({"compaction_done_after_ms": 200}));
    let conversation = uuid::Uuid::new_v4().to_string();
    let chat = |args: &[&str], input: &str| {
        let mut cmd = sanitized(&binary);
        cmd.args(["--base-url", &emu.base_url, "--conversation", &conversation]).args(args);
        run_with_input(cmd.env("SYNAP_API_KEY", DEV_API_KEY), input)
    };
    let ids = ["--user", "chat-user", "--customer", "chat-customer"];
    let out = chat(&[&ids[..], &["--compact-every", "2"]].concat(), CHAT_TRANSCRIPT);
    assert_clean("synap-chat --compact-every 2", &out, 0);
    assert_chat_output(&text(&out.stdout));
    assert_clean("synap-chat, a bad line", &chat(&ids, "user: hi\nnot a turn\n"), 65);
    assert_clean("synap-chat, a bad style", &chat(&[&ids[..], &["--style", "poetic"]].concat(), "user: hi\n"), 1);
    emu.post_fault("/v1/conversations/messages", 1, json!({"kind": "handle_then_drop"}));
    assert_clean("synap-chat, a dropped write", &chat(&ids, "user: hi\n"), 10);
}

/// synap-forget against the demo's user: a preview, a direct forget, a
/// partial one, one memory deleted, a dry run, the user's data deleted
/// with its progress and proof, memories that still come back, a partial
/// deletion, and usage errors.
fn forget_example(compiler: Compiler) {
    let ingest = build(compiler, "examples-c/synap-ingest.c", "synap-ingest-for-forget-sanitized");
    let binary = build(compiler, "examples-c/synap-forget.c", "synap-forget-sanitized");
    let emu = Emu::start();
    emu.post_config(json!({"create_processing_after_ms": 20, "create_done_after_ms": 100}));
    let with_key = |binary: &Path, args: &[&str]| {
        run(sanitized(binary).args(["--base-url", &emu.base_url]).args(args).env("SYNAP_API_KEY", DEV_API_KEY))
    };
    let user = ["--user", "demo-user", "--customer", "demo-customer"];
    let sample = root().join("examples-c/sample-chat.txt");
    let sample = sample.to_str().unwrap();
    let ingested =
        with_key(&ingest, &["--interval", "0.05", "--user-id", "demo-user", "--customer-id", "demo-customer", sample]);
    assert_clean("synap-ingest for synap-forget", &ingested, 0);
    let forget = |args: &[&str]| with_key(&binary, &[&user[..], args].concat());
    assert_clean("synap-forget --describe", &forget(&["--describe", "sister Dana visiting"]), 0);
    assert_clean("synap-forget --describe --direct", &forget(&["--describe", "sister Dana visiting", "--direct"]), 0);
    emu.post_config(json!({"forget_partial": true}));
    assert_clean("synap-forget, a partial forget", &forget(&["--describe", "oat milk latte", "--direct"]), 65);
    let out = forget(&["--describe", "a description longer than it may be ".repeat(20).as_str()]);
    assert_clean("synap-forget, a description too long", &out, 1);
    assert_clean(
        "synap-forget --memory, unknown",
        &with_key(&binary, &["--memory", "00000000-0000-4000-8000-000000000000"]),
        3,
    );
    assert_clean("synap-forget --wait --dry-run", &forget(&["--wait", "--dry-run"]), 0);
    emu.post_config(json!({"data_delete_done_after_ms": 300}));
    let out = forget(&["--wait", "--interval", "0.1", "--query", "what does the user drink after 3pm?"]);
    assert_clean("synap-forget --wait", &out, 0);
    assert!(text(&out.stdout).ends_with(": nothing comes back\n"), "{}", text(&out.stdout));
    emu.script_context(json!({"route": "user", "inject": {"facts": [{"id": "left", "content": "Still here."}]}}));
    emu.post_config(json!({"data_delete_done_after_ms": 0, "data_delete_partial": true}));
    assert_clean("synap-forget --wait, partial, still found", &forget(&["--wait"]), 66);
    assert_clean("synap-forget, usage", &forget(&["--wait", "--direct"]), 64);
}

fn all_checks(compiler: Compiler) {
    canary_catches_planted_bugs(compiler);
    let emu = Emu::start();
    c_tests(compiler, "tests/c/test_status.c", &status_fixtures(&emu));
    let emu = Emu::start();
    c_tests(compiler, "tests/c/test_resilience.c", &resilience_fixtures(&emu));
    let emu = Emu::start();
    c_tests(compiler, "tests/c/test_ingest.c", &ingest_fixtures(&emu));
    let emu = Emu::start();
    c_tests(compiler, "tests/c/test_context.c", &context_fixtures(&emu, true));
    let emu = Emu::start();
    let fixtures = conversation_fixtures(&emu);
    c_tests(compiler, "tests/c/test_conversation.c", &fixtures);
    assert_conversation_writes_sent_once(&emu, &fixtures);
    status_example(compiler);
    ingest_example(compiler);
    context_example(compiler);
    chat_example(compiler);
}

/// The memory lifecycle, data deletion and credits: the C test and
/// synap-forget.
fn lifecycle_checks(compiler: Compiler) {
    let (emu, partial, dir) = (Emu::start(), Emu::start(), TempDir::new("c-lifecycle-sanitized"));
    c_tests(compiler, "tests/c/test_lifecycle.c", &lifecycle_fixtures(&emu, &partial, dir.path()));
    forget_example(compiler);
}

#[test]
fn c_programs_are_clean_under_sanitizers_with_gcc() {
    all_checks(compilers::available(compilers::GCC).unwrap());
}

#[test]
fn c_programs_are_clean_under_sanitizers_with_clang() {
    if let Some(clang) = compilers::available(compilers::CLANG) {
        all_checks(clang);
    }
}

#[test]
fn c_lifecycle_programs_are_clean_under_sanitizers_with_gcc() {
    lifecycle_checks(compilers::available(compilers::GCC).unwrap());
}

#[test]
fn c_lifecycle_programs_are_clean_under_sanitizers_with_clang() {
    if let Some(clang) = compilers::available(compilers::CLANG) {
        lifecycle_checks(clang);
    }
}
