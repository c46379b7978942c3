//! The official Python SDK against the emulator's context read routes,
//! conversation routes and memory lifecycle routes: documents are ingested
//! through the emulator's API, then `tests/sdk/context_fidelity.py` runs
//! every read through the unchanged SDK and checks what it parsed;
//! `tests/sdk/conversation_fidelity.py` records, ingests and compacts
//! through the SDK on an empty emulator and reads the results back;
//! `tests/sdk/lifecycle_fidelity.py` updates, deletes, forgets, uploads and
//! deletes data by scope through it (the credits calls cannot run in this
//! SDK version, so they are left out). The SDK lives in the virtualenv that
//! `benches/install.sh` makes (`build/bench/venv`); it is made the same way
//! when missing. Without it the test only prints a note, except under CI
//! (`CI=true`), where it fails.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::Emu;
use serde_json::{Value, json};
use synap_emulator::{Config, DEV_API_KEY};

const USER: &str = "user_789";
const CUSTOMER: &str = "cust_456";
const CONVERSATION: &str = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";
const CONVERSATION2: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";
/// `uuid.uuid5(uuid.NAMESPACE_URL, "call-8812")`: the id an ingest under
/// `call-8812` is kept under.
const CALL_UUID: &str = "5a0b2935-9bb5-5de8-8b14-cc1f3069d301";
/// Generous: the SDK's imports alone take a few seconds on a busy machine.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(300);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a command to completion; `Err` with its output when it fails.
fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{cmd:?}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn sdk_importable(python: &Path) -> bool {
    python.exists() && run(Command::new(python).args(["-c", "import maximem_synap"])).is_ok()
}

/// The venv's python with the SDK installed, made as `benches/install.sh`
/// makes it when missing.
fn python() -> Result<PathBuf, String> {
    let venv = root().join("build/bench/venv");
    let python = venv.join("bin/python");
    if sdk_importable(&python) {
        return Ok(python);
    }
    run(Command::new("python3").args(["-c", "import sys; sys.exit(sys.version_info < (3, 11))"]))
        .map_err(|e| format!("the Python SDK needs python3 >= 3.11: {e}"))?;
    if !python.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    let requirements = root().join("benches/python/requirements.txt");
    run(Command::new(&python)
        .args(["-m", "pip", "install", "-q", "--disable-pip-version-check", "-r"])
        .arg(&requirements))?;
    // The marker install.sh compares, so it keeps this venv.
    std::fs::copy(&requirements, venv.join("requirements.txt")).map_err(|e| e.to_string())?;
    if sdk_importable(&python) { Ok(python) } else { Err("maximem_synap still not importable".to_owned()) }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into()
}

/// Creates a document through the API and waits until its job completed.
fn ingest(emu: &Emu, agent: &ureq::Agent, body: Value) {
    let auth = format!("Bearer {DEV_API_KEY}");
    let mut r = agent
        .post(format!("{}/api/v1/memories/create", emu.base_url))
        .header("Authorization", &auth)
        .content_type("application/json")
        .send(body.to_string())
        .expect("create");
    let text = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status(), 200, "create {body}: {text}");
    let id = serde_json::from_str::<Value>(&text).unwrap()["ingestion_id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut r = agent
            .get(format!("{}/api/v1/memories/status/{id}", emu.base_url))
            .header("Authorization", &auth)
            .call()
            .expect("status");
        let status: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        if status["status"] == "completed" {
            return;
        }
        assert!(Instant::now() < deadline, "job of {body} stuck: {status}");
        thread::sleep(Duration::from_millis(10));
    }
}

/// Ingests the fixture documents; returns what the script expects of them.
fn fixture(emu: &Emu) -> Value {
    let agent = agent();
    let owned = |doc: &str, extra: Value| {
        let mut body = json!({"document": doc, "document_type": "ai-chat-conversation", "user_id": USER,
            "customer_id": CUSTOMER, "mode": "long-range", "metadata": {}});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let decaf_doc = "User: I switched to decaf after 3pm. I love dark roast in the morning.\n\
                     Assistant: Noted, I will remember that.";
    ingest(
        emu,
        &agent,
        owned(decaf_doc, json!({"document_id": CONVERSATION, "document_created_at": "2025-01-15T10:29:58Z"})),
    );
    ingest(emu, &agent, owned("User: I drink green tea at lunch.", json!({"document_id": "chat-tea-1"})));
    ingest(
        emu,
        &agent,
        owned(
            "User: Any update on my refund?\nAssistant: It is on its way.",
            json!({"document_id": "chat-refund", "metadata": {"conversation_id": CONVERSATION2},
                   "document_created_at": "2025-02-01T09:00:00Z"}),
        ),
    );
    ingest(emu, &agent, owned("User: I prefer window seats on flights.", json!({"user_id": "user_222"})));
    ingest(emu, &agent, owned("User: I love jazz on vinyl.", json!({"user_id": "dana lópez"})));
    ingest(emu, &agent, json!({"document": "The account renews every March.", "customer_id": CUSTOMER}));
    ingest(emu, &agent, json!({"document": "Support hours are nine to five on weekdays."}));
    json!({
        "user": USER,
        "customer": CUSTOMER,
        "conversation": CONVERSATION,
        "conversation2": CONVERSATION2,
        "empty_conversation": "00000000-0000-4000-8000-000000000000",
        "accented_user": "dana lópez",
        "query": "what does the user drink after 3pm?",
        "decaf": "I switched to decaf after 3pm.",
        "tea": "I drink green tea at lunch.",
        "window": "I prefer window seats on flights.",
        "renewal": "The account renews every March.",
        "hours": "Support hours are nine to five on weekdays.",
        "jazz": "I love jazz on vinyl.",
        "conversation_messages": [
            "I switched to decaf after 3pm. I love dark roast in the morning.",
            "Noted, I will remember that.",
        ],
    })
}

/// Reads a child's pipe on a thread, so a chatty child never blocks on it.
fn drain(pipe: Option<impl Read + Send + 'static>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

fn wait(mut child: Child) -> (Option<std::process::ExitStatus>, String, String) {
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + SCRIPT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    (status, out.join().unwrap_or_default(), err.join().unwrap_or_default())
}

/// The SDK's venv, or `None` (with a note) when it cannot be made outside CI.
/// Made once for all the tests of this file, which run in parallel: two
/// `python3 -m venv` at once on a fresh checkout collide.
fn python_or_skip() -> Option<PathBuf> {
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    match PYTHON.get_or_init(python).clone() {
        Ok(python) => Some(python),
        Err(why) if std::env::var("CI").as_deref() == Ok("true") => panic!("no Python SDK under CI: {why}"),
        Err(why) => {
            eprintln!("note: skipping the Python SDK fidelity test, the SDK's venv cannot be made: {why}");
            None
        }
    }
}

/// Runs `tests/sdk/<script>` against `emu` with `fixture`; asserts it passed
/// and returns its stderr (where the SDK logs what it swallows).
fn run_script(python: &Path, script: &str, emu: &Emu, fixture: &Value) -> String {
    let child = Command::new(python)
        .arg("-B")
        .arg(root().join("tests/sdk").join(script))
        .arg(&emu.base_url)
        .arg(fixture.to_string())
        .env("SYNAP_API_KEY", DEV_API_KEY)
        .env("SYNAP_SDK_LOCAL_MODEL", "off")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env_remove("SYNAP_BASE_URL")
        .env_remove("SYNAP_INSTANCE_ID")
        .env_remove("SYNAP_CLIENT_ID")
        .env_remove("SYNAP_SDK_ST_AUTHORITATIVE")
        .env_remove("SYNAP_ST_VERBATIM_OVERLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    let (status, stdout, stderr) = wait(child);
    print!("{stdout}");
    // Shown with the test's output.
    eprint!("{stderr}");
    assert!(
        status.is_some_and(|s| s.success()) && stdout.contains("all checks passed"),
        "{script} failed against the emulator ({status:?}):\n{stdout}\n{stderr}"
    );
    stderr
}

/// An emulator with no demo data, whose ingestion jobs end at once.
fn quick_emulator(config: Config) -> Emu {
    Emu::start_with(Config { seed_demo: false, create_processing_after_ms: 0, create_done_after_ms: 0, ..config })
}

/// Fails unless the emulator saw a request for each of `routes`.
fn assert_requested(emu: &Emu, routes: &[&str]) {
    let paths: Vec<String> = emu.requests(None).iter().filter_map(|r| r["path"].as_str().map(str::to_owned)).collect();
    for route in routes {
        assert!(paths.iter().any(|p| p == route), "{route} never requested: {paths:?}");
    }
}

#[test]
fn python_sdk_parses_every_context_read() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let emu = quick_emulator(Config::default());
    let fixture = fixture(&emu);
    run_script(&python, "context_fidelity.py", &emu, &fixture);
    // Every route was reached, each request the SDK's own.
    assert_requested(
        &emu,
        &[
            "/v1/context/user/fetch",
            "/v1/context/customer/fetch",
            "/v1/context/client/fetch",
            "/v1/context/conversation/fetch",
            &format!("/v1/conversations/{CONVERSATION}/context-for-prompt"),
            &format!("/v1/users/{USER}/profile"),
            "/v1/users/dana%20l%C3%B3pez/profile",
        ],
    );
}

#[test]
fn python_sdk_drives_every_conversation_route() {
    let Some(python) = python_or_skip() else {
        return;
    };
    // Compactions run long enough for the SDK to see one in progress.
    let emu = quick_emulator(Config { compaction_done_after_ms: 3000, ..Config::default() });
    let fixture = json!({
        "conversation": CONVERSATION,
        "user": USER,
        "customer": CUSTOMER,
        "turns": [
            ["user", "My order 8812 arrived damaged. I prefer a refund over a replacement."],
            ["assistant", "Sorry about that. I will file the refund today."],
            ["user", "How long does a refund take?"],
        ],
        "batch": ["I usually shop on weekends.", "Refunds take three to five days."],
        "call_id": "call-8812",
        "call_uuid": CALL_UUID,
        "call_user_turn": "I want a refund for order 8812.",
        "summary_start": "My order 8812 arrived damaged.",
        "facts": ["My order 8812 arrived damaged.", "I usually shop on weekends."],
        "preferences": ["I prefer a refund over a replacement."],
        "decisions": ["I will file the refund today."],
        "later": "Any news on the refund?",
    });
    let stderr = run_script(&python, "conversation_fidelity.py", &emu, &fixture);
    // The batch's rows lined up with what was sent, so the SDK mirrored them.
    assert!(!stderr.contains("does not line up"), "{stderr}");
    assert!(!stderr.contains("backfill"), "the turn backfill failed: {stderr}");
    assert_requested(
        &emu,
        &[
            "/v1/conversations/messages",
            "/v1/conversations/messages/batch",
            "/v1/conversations/ingest",
            "/v1/conversations/compact",
            &format!("/v1/conversations/{CONVERSATION}/compaction/status"),
            &format!("/v1/conversations/{CONVERSATION}/compacted"),
            &format!("/v1/conversations/{CONVERSATION}/context-for-prompt"),
            "/v1/context/conversation/fetch",
        ],
    );
    // The backfill of the ingested call asked for the first page, as the
    // contract records, once.
    let backfill = emu.requests(Some(&format!("/v1/conversations/{CALL_UUID}/messages")));
    assert_eq!(backfill.len(), 1, "{backfill:?}");
    assert_eq!(backfill[0]["query"], "start=1&limit=500", "{backfill:?}");
}

/// FNV-1a 64 of `bytes`, as the emulator records uploads.
fn fnv1a64(bytes: &[u8]) -> String {
    let h = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3));
    format!("{h:016x}")
}

#[test]
fn python_sdk_drives_every_lifecycle_route() {
    let Some(python) = python_or_skip() else {
        return;
    };
    let emu = quick_emulator(Config::default());
    let (file_text, stream_text, form_text) = (
        "I prefer window seats on flights.",
        "Visited Lisbon with family last spring.",
        "I love jazz & blues on vinyl.",
    );
    let fixture = json!({
        "user": USER,
        "customer": CUSTOMER,
        "doomed_user": "user_222",
        "conversation": CONVERSATION,
        "tea": "I love green tea.",
        "sms": "Prefers SMS after 6pm",
        "oslo": "Lives in Oslo.",
        "coffee_doc": "User: I drink decaf coffee after 3pm. I love jazz on vinyl.",
        "coffee": "I drink decaf coffee after 3pm.",
        "jazz": "I love jazz on vinyl.",
        "coffee_description": "the decaf coffee I drink",
        "file_name": "notes.txt",
        "file_text": file_text,
        "stream_name": "trip.md",
        "stream_text": stream_text,
        "form_text": form_text,
    });
    run_script(&python, "lifecycle_fidelity.py", &emu, &fixture);

    // Each upload arrived in the encoding the contract records, intact.
    let mut r = agent().get(format!("{}/_emulator/uploads", emu.base_url)).call().expect("uploads");
    let uploads: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    let uploads = uploads["uploads"].as_array().unwrap();
    let seen: Vec<(&str, Option<&str>, &str)> = uploads
        .iter()
        .map(|u| (u["encoding"].as_str().unwrap(), u["filename"].as_str(), u["fnv1a64"].as_str().unwrap()))
        .collect();
    let (file_hash, stream_hash, form_hash) =
        (fnv1a64(file_text.as_bytes()), fnv1a64(stream_text.as_bytes()), fnv1a64(form_text.as_bytes()));
    assert_eq!(
        seen,
        [
            ("multipart", Some("notes.txt"), file_hash.as_str()),
            ("multipart", Some("trip.md"), stream_hash.as_str()),
            ("urlencoded", None, form_hash.as_str()),
        ],
        "{uploads:?}"
    );
    assert_eq!(uploads[0]["content_type"], "text/plain");
    assert_eq!(
        uploads[2]["fields"],
        json!({"user_id": USER, "customer_id": CUSTOMER, "relationship_type": "b2c", "mode": "long-range"})
    );

    // Data deletion: the dry run, then twice the same body over the
    // continue loop, for the user and for the conversation.
    let deletes = emu.sent_json("/v1/data/delete");
    assert_eq!(deletes.len(), 5, "{deletes:?}");
    assert!(deletes.iter().all(|b| b.as_object().unwrap().len() == 7), "{deletes:?}");
    assert_eq!((deletes[0]["dry_run"].clone(), deletes[0]["confirm"].clone()), (json!(true), Value::Null));
    assert_eq!(deletes[1], deletes[2]);
    assert_eq!(deletes[1]["instance_id"], "inst_4e7a19c03b5d82f1");
    assert_eq!(deletes[3], deletes[4]);
    let patches = emu.requests(None).iter().filter(|r| r["method"] == "PATCH").count();
    assert_eq!(patches, 4, "three updates and one after the delete");
    assert_requested(
        &emu,
        &["/api/v1/memories/forget", "/api/v1/memories/upload", "/v1/data/delete/del_0000000000000000"],
    );
}
