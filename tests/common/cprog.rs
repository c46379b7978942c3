//! Building and running the C programs: compiled with strict warnings
//! against the committed header and the library `cargo build` made.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use synap_emulator::{DEMO_FAILED_ID, DEV_API_KEY};

use super::{Emu, refused_url};

pub const C_STRICT: [&str; 5] = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"];

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding the libsynap.so that `cargo build` made for this
/// profile (target/<profile>). Not target/<profile>/deps: `cargo build` and
/// `cargo test` build the library with different feature sets (dev
/// dependencies), and both write their copy there under the same name.
/// `make test` runs `cargo build` first; a library older than its sources
/// fails here rather than testing stale code.
pub fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
    let lib = dir.join("libsynap.so");
    let built = std::fs::metadata(&lib)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| panic!("{} is missing: run `cargo build` first (`make test` does)", lib.display()));
    let mut sources = vec![root().join("build.rs"), root().join("Cargo.toml")];
    let mut dirs = vec![root().join("src")];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() { dirs.push(path) } else { sources.push(path) }
        }
    }
    for source in sources {
        let changed = std::fs::metadata(&source).and_then(|m| m.modified()).unwrap();
        assert!(
            changed <= built,
            "{} is newer than {}: run `cargo build` first (`make test` does)",
            source.display(),
            lib.display()
        );
    }
    dir
}

pub fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_owned())
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Compiles one C program against the header and the shared library.
pub fn compile(source: &str, name: &str) -> PathBuf {
    compile_with(source, name, &[])
}

/// `compile` with extra compiler flags (sanitizers, optimisation).
pub fn compile_with(source: &str, name: &str, flags: &[&str]) -> PathBuf {
    compile_using(&cc(), source, name, flags)
}

/// Compiles one C program with the C compiler `compiler` (a command name):
/// strict warnings, the committed header, the built shared library found
/// through the rpath. The program is `name` in the test's scratch directory.
pub fn compile_using(compiler: &str, source: &str, name: &str, flags: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let lib = lib_dir();
    let result = run(Command::new(compiler)
        .args(C_STRICT)
        .args(["-g", "-pthread"])
        .args(flags)
        .arg("-I")
        .arg(root().join("include"))
        .arg("-I")
        .arg(root().join("tests/c"))
        .arg(root().join(source))
        .arg("-o")
        .arg(&out)
        .arg("-L")
        .arg(&lib)
        .arg("-lsynap")
        .arg(format!("-Wl,-rpath,{}", lib.display())));
    assert!(result.status.success(), "{compiler} {source} {flags:?} failed:\n{}", text(&result.stderr));
    out
}

pub fn valgrind() -> Command {
    let mut cmd = Command::new("valgrind");
    cmd.args([
        "--quiet",
        "--leak-check=full",
        "--show-leak-kinds=definite,indirect,possible",
        "--errors-for-leak-kinds=definite,indirect,possible",
        "--error-exitcode=99",
    ]);
    cmd.arg(format!("--suppressions={}", root().join("tests/valgrind.supp").display()));
    cmd
}

/// Runs a C test program under valgrind with `fixtures` as `SYNAP_FIX_<name>`
/// (and no key or base URL from this environment), asserts that it passed
/// every check and never printed the development key, and returns its stdout.
pub fn run_c_tests(binary: &Path, fixtures: &[(&str, String)]) -> String {
    let mut cmd = valgrind();
    cmd.arg(binary).env_remove("SYNAP_API_KEY").env_remove("SYNAP_BASE_URL");
    for (name, value) in fixtures {
        cmd.env(format!("SYNAP_FIX_{name}"), value);
    }
    let out = run(&mut cmd);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{} failed ({:?}):\n{stdout}\n{stderr}", binary.display(), out.status);
    assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{stdout}");
    assert!(!stderr.contains(DEV_API_KEY), "the key reached stderr:\n{stderr}");
    stdout
}

/// The fixtures tests/c/test_status.c reads from `SYNAP_FIX_<name>`: jobs and
/// scripted faults on `emu`, one id per case.
pub fn status_fixtures(emu: &Emu) -> Vec<(&'static str, String)> {
    let fixed = |fault: serde_json::Value| {
        let id = uuid::Uuid::new_v4().to_string();
        emu.fault(&id, 5, fault);
        id
    };
    let respond = |status: u16, body: &str| json!({"kind": "respond", "status": status, "body": body});
    vec![
        ("BASE_URL", emu.base_url.clone()),
        ("REFUSED_URL", refused_url()),
        ("COMPLETED", emu.job(json!({"document_id": "c-doc", "memories": 3}))),
        ("QUEUED", emu.job(json!({"processing_after_ms": 3_600_000, "done_after_ms": 7_200_000}))),
        ("FAILED", emu.job(json!({"final_status": "failed", "memories": 0, "error_message": "boom"}))),
        ("PARTIAL", emu.job(json!({"final_status": "partial_success", "error_message": "half"}))),
        (
            "UNKNOWN_STATE",
            emu.raw_job(json!({"ingestion_id": DEMO_FAILED_ID, "document_id": "d", "status": "archived",
                               "queued_at": "2025-01-15T10:30:00Z"})),
        ),
        ("MISSING_FIELD", emu.raw_job(json!({"ingestion_id": DEMO_FAILED_ID, "document_id": "d", "status": "queued"}))),
        ("F400", fixed(respond(400, r#"{"detail":"bad request body"}"#))),
        ("F422", fixed(respond(422, r#"{"detail":[{"loc":["path","ingestion_id"],"msg":"bad"}]}"#))),
        (
            "F402",
            fixed(respond(
                402,
                r#"{"detail":{"reason":"overages_disabled","message":"Credit balance is exhausted."}}"#,
            )),
        ),
        ("F409", fixed(respond(409, r#"{"detail":"conflict"}"#))),
        (
            "F429",
            fixed(json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "7"},
                         "body": r#"{"detail":"Rate limit exceeded"}"#})),
        ),
        ("F500", fixed(respond(500, r#"{"detail":"Internal Server Error"}"#))),
        ("F302", fixed(json!({"kind": "respond", "status": 302, "headers": {"Location": "http://127.0.0.2:9/x"}}))),
        ("GARBAGE", fixed(json!({"kind": "garbage"}))),
        ("TRUNCATE", fixed(json!({"kind": "truncate"}))),
        ("DROP", fixed(json!({"kind": "drop"}))),
        ("DELAY", fixed(json!({"kind": "delay", "ms": 3000}))),
        ("ECHO_KEY", fixed(respond(401, &format!(r#"{{"detail":"key {DEV_API_KEY} revoked"}}"#)))),
    ]
}

/// The fixtures tests/c/test_resilience.c reads: jobs whose status answers
/// are scripted to fail a given number of times.
pub fn resilience_fixtures(emu: &Emu) -> Vec<(&'static str, String)> {
    let respond = |status: u16, headers: serde_json::Value, body: &str| json!({"kind": "respond", "status": status, "headers": headers, "body": body});
    let faulted = |count: u32, fault: serde_json::Value| {
        let id = emu.job(json!({"memories": 2}));
        emu.fault(&id, count, fault);
        id
    };
    let credit = r#"{"detail":{"reason":"overages_disabled","message":"Credit balance is exhausted."}}"#;
    vec![
        ("BASE_URL", emu.base_url.clone()),
        ("COMPLETED", emu.job(json!({"memories": 2}))),
        ("THREAD_CALLS", "500".to_owned()),
        ("R503_TWICE", faulted(2, respond(503, json!({}), "{}"))),
        ("R500_ALWAYS", faulted(10, respond(500, json!({}), r#"{"detail":"boom"}"#))),
        ("R429_CREDIT", faulted(10, respond(429, json!({}), credit))),
        ("R429_AFTER", faulted(1, respond(429, json!({"Retry-After": "0.2"}), "{}"))),
        ("R_HANG", faulted(10, json!({"kind": "delay", "ms": 20_000}))),
        ("R503_ONCE", faulted(1, respond(503, json!({}), "{}"))),
        ("R503_ONCE_MORE", faulted(1, respond(503, json!({}), "{}"))),
        ("W_PROGRESSING", emu.job(json!({"processing_after_ms": 3000, "done_after_ms": 8000}))),
        ("W_FAILED", emu.job(json!({"final_status": "failed", "done_after_ms": 100, "error_message": "x"}))),
        ("W_NEVER", emu.job(json!({"processing_after_ms": 0, "done_after_ms": 3_600_000}))),
    ]
}

/// The fixtures tests/c/test_ingest.c reads; also makes the jobs `emu`
/// creates finish within 300 ms.
pub fn ingest_fixtures(emu: &Emu) -> Vec<(&'static str, String)> {
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300}));
    vec![
        ("BASE_URL", emu.base_url.clone()),
        ("DONE", emu.job(json!({"done_after_ms": 0}))),
        ("FAILED", emu.job(json!({"done_after_ms": 0, "final_status": "failed", "error_message": "x"}))),
        ("NEVER", emu.job(json!({"done_after_ms": 3_600_000}))),
    ]
}

/// The fixtures tests/c/test_lifecycle.c reads: `emu`, whose data deletions
/// answer `continue` twice and then run 400 ms, and `partial`, whose direct
/// forgets and data deletions end partial; on both, created jobs finish
/// within 150 ms. `dir` is an empty directory for the files it uploads.
pub fn lifecycle_fixtures(emu: &Emu, partial: &Emu, dir: &Path) -> Vec<(&'static str, String)> {
    let quick = json!({"create_processing_after_ms": 20, "create_done_after_ms": 150});
    emu.post_config(quick.clone());
    emu.post_config(json!({"data_delete_continue_rounds": 2, "data_delete_done_after_ms": 400}));
    partial.post_config(quick);
    partial.post_config(json!({"forget_partial": true, "data_delete_partial": true}));
    vec![
        ("BASE_URL", emu.base_url.clone()),
        ("PARTIAL_URL", partial.base_url.clone()),
        ("DIR", dir.to_str().expect("a UTF-8 scratch path").to_owned()),
    ]
}

/// The functions a C header declares: the `synap_*` names of its
/// top-level declarations, as cbindgen writes them (one per line, at the
/// line's start after the return type).
pub fn declared_functions(header: &str) -> std::collections::BTreeSet<String> {
    header
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with('*') && !l.starts_with('#') && !l.starts_with('/'))
        .filter(|l| !l.starts_with("typedef"))
        .filter_map(|l| l.split_once('(').map(|(head, _)| head))
        .filter_map(|head| head.rsplit([' ', '*']).next())
        .filter(|n| n.starts_with("synap_"))
        .map(str::to_owned)
        .collect()
}

/// The `synap_*` functions a source text uses: each name outside comments,
/// called or passed as a function pointer (C, C++, Go and Swift share `//` and `/* */`; a line
/// comment counts only on a line of its own, so `"http://..."` is safe).
pub fn used_functions(source: &str) -> std::collections::BTreeSet<String> {
    let mut code = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    code.push_str(rest);
    let source: String = code.lines().filter(|l| !l.trim_start().starts_with("//")).flat_map(|l| [l, "\n"]).collect();
    let mut found = std::collections::BTreeSet::new();
    for (at, _) in source.match_indices("synap_") {
        let before = source[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = source[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        found.insert(name);
    }
    found
}

/// The path the hostile context bodies of [`context_fixtures`] are scripted
/// on: tests/c/test_context.c makes its client-scope fetches in their order.
pub const CLIENT_FETCH_PATH: &str = "/v1/context/client/fetch";

/// The fixtures tests/c/test_context.c reads; makes the jobs `emu` creates
/// finish within 300 ms. `full` sizes the hostile bodies as the sanitizer
/// runs take them (100,000 items, 10,000 levels, a 10 MB prompt context);
/// otherwise they are smaller, for valgrind.
///
/// Hostile bodies are scripted on [`CLIENT_FETCH_PATH`], one answer each,
/// in this order: many empty items, deep metadata, nulls in every field
/// (of an item in each typed list, then of a ranked item), ill-typed values, lone surrogate escapes, a body that is not JSON, JSON
/// cut short, a list that is not an array, an item that is not an object,
/// a body cut short on the wire, and a body that never ends. A script on
/// the customer route answers the next customer fetch with a degraded
/// retrieval and a full conversation block. The big conversation is real:
/// documents of 900 kB each, filed in one conversation, so its prompt
/// context is as large as the service would make it (a control request
/// cannot carry a body that size).
pub fn context_fixtures(emu: &Emu, full: bool) -> Vec<(&'static str, String)> {
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300}));
    let (items, depth, big_docs) = if full { (100_000, 10_000, 12) } else { (20_000, 10_000, 3) };

    let many = format!(r#"{{"context":{{"facts":[{}{{"id":"last"}}]}}}}"#, "{},".repeat(items - 1));
    let deep_metadata = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    let deep = format!(
        r#"{{"context":{{"facts":[{{"id":"deep","content":"deep one","metadata":{deep_metadata},"extra":{}{}}}]}},"x":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth),
        "[".repeat(depth),
        "]".repeat(depth),
    );
    let null_item = json!({
        "id": null, "content": null, "summary": null, "context": null, "confidence": null, "strength": null,
        "significance": null, "intensity": null, "category": null, "emotion_type": null, "temporal_category": null,
        "extracted_at": null, "occurred_at": null, "detected_at": null, "source": null, "event_date": null,
        "event_end": null, "said_at": null, "valid_until": null, "event_precision": null,
        "temporal_confidence": null, "matched_queries": null, "source_evidence": null, "participants": null,
        "rank": null, "rank_score": null, "metadata": null,
    });
    // Without `items`: with it, the typed lists would be views of the ranked one.
    let lists = ["facts", "preferences", "episodes", "emotions", "temporal_events"];
    let mut context = serde_json::Map::new();
    for list in lists {
        context.insert(list.to_owned(), json!([null_item]));
    }
    let nulls = json!({
        "context": context, "ttl_seconds": null, "retrieval": null, "profile": null, "conversations": null,
        "conversation_context": {"conversation_id": null, "summary": null, "recent_turns": null,
            "compaction_id": null, "compacted_at": null, "formatted_context": null, "current_state": null,
            "key_extractions": null},
    });
    let ill_typed = json!({
        "context": {"preferences": [{"id": 7, "content": ["not", "text"], "strength": "explicit",
            "confidence": 0.2, "category": {}, "extracted_at": "yesterday", "said_at": 12,
            "matched_queries": "decaf", "source_evidence": [1, "quote", null], "metadata": "flat"}],
            "facts": [{"id": "f", "content": "over one", "confidence": 1.5, "extracted_at": "2025-01-15T10:30:00Z",
            "temporal_confidence": "high"}]},
        "ttl_seconds": "soon", "retrieval": {"degraded": "yes", "warnings": "many"},
    });
    let surrogates = r#"{"context":{"facts":[{"id":"s","content":"lone \udc00 and \ud800 halves"}]}}"#;
    let respond = |body: &str| json!({"kind": "respond", "status": 200, "body": body});
    let hostile = [
        respond(&many),
        respond(&deep),
        respond(&nulls.to_string()),
        respond(&json!({"context": {"items": [null_item]}}).to_string()),
        respond(&ill_typed.to_string()),
        respond(surrogates),
        json!({"kind": "garbage"}),
        respond(r#"{"context":{"facts":[{"id":"x","content":"cut"#),
        respond(r#"{"context":{"facts":{"id":"x"}}}"#),
        respond(r#"{"context":{"facts":[{"id":"a"},7]}}"#),
        json!({"kind": "truncate"}),
        json!({"kind": "endless"}),
    ];
    for fault in hostile {
        emu.post_fault(CLIENT_FETCH_PATH, 1, fault);
    }

    let conversation = uuid::Uuid::new_v4().to_string();
    emu.script_context(json!({
        "route": "customer",
        "retrieval": {"degraded": true, "level": "partial", "code": "timeout",
                      "warnings": ["vector index timed out", 7, "graph skipped"]},
        "conversation_context": {
            "conversation_id": conversation, "summary": "Talked about coffee.", "compaction_id": "cmp-1",
            "compacted_at": "2025-01-15T10:00:00Z", "formatted_context": "## Summary\nTalked about coffee.",
            "current_state": {"topic": "coffee"}, "key_extractions": {"drink": "decaf"},
            "recent_turns": [
                {"role": "user", "content": "Any decaf left?", "timestamp": "2025-01-15T10:30:00Z",
                 "message_id": "m-1"},
                {"role": "assistant", "content": null, "timestamp": "never"},
            ],
        },
    }));

    let big_conversation = uuid::Uuid::new_v4().to_string();
    let said = "decaf ".repeat(150_000);
    let said = said.trim_end();
    let message = format!("User: {said}");
    let client = emu.client();
    let metadata = json!({"conversation_id": big_conversation}).to_string();
    for _ in 0..big_docs {
        let mut request = synap::CreateRequest::text(&message);
        request.user_id("big-user").customer_id("big-customer").metadata_json(&metadata).unwrap();
        client.memories_create(&request).expect("a big document is accepted");
    }
    vec![
        ("BASE_URL", emu.base_url.clone()),
        ("REFUSED_URL", refused_url()),
        ("CONVERSATION", conversation),
        ("MANY_ITEMS", items.to_string()),
        ("DEPTH", depth.to_string()),
        ("BIG_CONVERSATION", big_conversation),
        ("BIG_BYTES", (big_docs * said.len()).to_string()),
    ]
}

/// The write routes of the conversation API, with the text that names each
/// write of tests/c/test_conversation.c in its request body, for a fault
/// name: see [`conversation_fixtures`].
pub const CONVERSATION_WRITES: [(&str, &str); 4] = [
    ("/v1/conversations/messages", "no-dup record "),
    ("/v1/conversations/messages/batch", "no-dup batch "),
    ("/v1/conversations/ingest", "no-dup-ingest-"),
    ("/v1/conversations/compact", ""),
];

/// The faults scripted on each conversation write route, in order, and how
/// many times the write that meets each must be sent: a 500, a connection
/// dropped after the write was applied, a delay past the C test's request
/// timeout (1 s), each once; a 503, then again.
pub const CONVERSATION_FAULTS: [(&str, u32); 4] = [("500", 1), ("drop", 1), ("timeout", 1), ("503", 2)];

/// The fixtures tests/c/test_conversation.c reads: its conversations (one
/// per compaction it starts under a fault), with compactions that complete
/// after 300 ms and created jobs within 300 ms. Scripts, on each route of
/// [`CONVERSATION_WRITES`], the faults of [`CONVERSATION_FAULTS`] for its
/// next four requests: the C test's first four writes there.
pub fn conversation_fixtures(emu: &Emu) -> Vec<(&'static str, String)> {
    emu.post_config(json!({"create_processing_after_ms": 50, "create_done_after_ms": 300,
                           "compaction_done_after_ms": 300}));
    for (path, _) in CONVERSATION_WRITES {
        for (fault, _) in CONVERSATION_FAULTS {
            let scripted = match fault {
                "500" => json!({"kind": "respond", "status": 500, "body": r#"{"detail":"Internal Server Error"}"#}),
                "drop" => json!({"kind": "handle_then_drop"}),
                "timeout" => json!({"kind": "delay", "ms": 3000}),
                _ => json!({"kind": "respond", "status": 503, "body": r#"{"detail":"Service Unavailable"}"#}),
            };
            emu.post_fault(path, 1, scripted);
        }
    }
    let id = || uuid::Uuid::new_v4().to_string();
    vec![
        ("BASE_URL", emu.base_url.clone()),
        ("CONVERSATION", id()),
        ("BATCH", id()),
        ("THREADS", id()),
        ("NO_DUP", id()),
        ("COMPACT_500", id()),
        ("COMPACT_drop", id()),
        ("COMPACT_timeout", id()),
        ("COMPACT_503", id()),
    ]
}

/// Each conversation write of tests/c/test_conversation.c that met a fault
/// reached `emu` as often as [`CONVERSATION_FAULTS`] says: never again after
/// a 500, a dropped connection or a timeout, once more after a 503.
pub fn assert_conversation_writes_sent_once(emu: &Emu, fixtures: &[(&str, String)]) {
    for (path, marker) in CONVERSATION_WRITES {
        let sent = emu.requests(Some(path));
        for (fault, expected) in CONVERSATION_FAULTS {
            let needle = if marker.is_empty() {
                let name = format!("COMPACT_{fault}");
                let id = &fixtures.iter().find(|(n, _)| *n == name).expect("a compaction fixture").1;
                format!(r#""conversation_id":"{id}""#)
            } else {
                format!("{marker}{fault}\"")
            };
            let count = sent.iter().filter(|r| r["body"].as_str().unwrap_or_default().contains(&needle)).count();
            assert_eq!(count, expected as usize, "{path}: the write that met a {fault} was sent {count} times");
        }
    }
}

/// Runs `cmd` with `input` on its standard input, and returns its output.
pub fn run_with_input(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let mut stdin = child.stdin.take().expect("a pipe");
    // A program that stops reading early closes the pipe: not a failure here.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().expect("the program's output")
}

/// The conversation examples-c/synap-chat.c is tested on: five turns, a
/// blank line, roles in any case.
pub const CHAT_TRANSCRIPT: &str = "User: I switched to decaf after 3pm.\n\
    assistant: Noted: decaf after 3pm.\n\
    \n\
    USER : My sister Dana visits on Friday.\n\
    Assistant: I will block Friday afternoon.\n\
    user: Is the oat milk latte decaf too?\n";

/// What synap-chat prints for [`CHAT_TRANSCRIPT`] with `--compact-every 2`:
/// a prompt after each user turn and a line after each compaction; the last
/// prompt is the summary of the four compacted turns, then the fifth.
pub fn assert_chat_output(stdout: &str) {
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("--- ")).collect();
    let expected = [
        "--- prompt after turn 1: 1 message, 0 compacted",
        "--- compacted after turn 2: compaction ",
        "--- prompt after turn 3: 3 messages, 2 compacted",
        "--- compacted after turn 4: compaction ",
        "--- prompt after turn 5: 5 messages, 4 compacted",
    ];
    assert_eq!(headers.len(), expected.len(), "{stdout}");
    for (header, want) in headers.iter().zip(expected) {
        assert!(header.starts_with(want), "{header:?} is not {want:?}:\n{stdout}");
    }
    let first = stdout.split("--- compacted after turn 2").next().unwrap();
    assert!(first.contains("] user: I switched to decaf after 3pm.\n"), "{stdout}");
    let last = stdout.split("--- prompt after turn 5: 5 messages, 4 compacted\n").nth(1).expect("the last prompt");
    assert!(
        last.starts_with("## Conversation so far (compacted, 4 messages)\nI switched to decaf after 3pm."),
        "the summary of the compacted turns first:\n{last}"
    );
    let recent: Vec<&str> = last.split("## Recent messages\n").nth(1).expect("recent messages").lines().collect();
    assert_eq!(recent.len(), 1, "only the turn after the cut-off:\n{last}");
    assert!(recent[0].starts_with('[') && recent[0].ends_with("] user: Is the oat milk latte decaf too?"), "{last}");
}
