//! The conversation calls against the emulator, through the Rust API:
//! recording messages alone and in batches, ingesting transcripts, paging
//! through messages, and compaction from start to the prompt context; the
//! bodies sent, the answers read, the refusals made before any request, the
//! rule that a write is resent only when the failure proves it had no
//! effect, and many threads recording into one conversation.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::Emu;
use serde_json::{Value, json};
use synap::{
    Client, ClientOptions, CompactOptions, Compacted, CompactionStatus, ContextList, ContextRequest, ContextScope,
    ConversationMessage, Error, ErrorKind, IngestState, LogLevel, MessageRequest, RecordedMessage, RetryPolicy,
    TranscriptRequest, WaitOptions, set_log_callback,
};
use synap_emulator::Config;
use uuid::Uuid;

const RECORD: &str = "/v1/conversations/messages";
const BATCH: &str = "/v1/conversations/messages/batch";
const INGEST: &str = "/v1/conversations/ingest";
const COMPACT: &str = "/v1/conversations/compact";
const USER: &str = "user_789";
const CUSTOMER: &str = "cust_456";
const CONV: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";

/// An emulator with no demo jobs, whose ingestion jobs finish quickly and
/// whose compactions run `compaction_ms`.
fn start(compaction_ms: u64) -> Emu {
    start_with(compaction_ms, Config::default())
}

fn start_with(compaction_ms: u64, config: Config) -> Emu {
    Emu::start_with(Config {
        seed_demo: false,
        create_processing_after_ms: 0,
        create_done_after_ms: 40,
        compaction_done_after_ms: compaction_ms,
        ..config
    })
}

/// A client that retries quickly, with `timeout` for each attempt.
fn retrying(emu: &Emu, timeout: Duration) -> Client {
    Client::new(
        emu.options()
            .request_timeout(timeout)
            .unwrap()
            .retry(RetryPolicy::new(3, Duration::from_millis(10), Duration::from_millis(30)))
            .unwrap(),
    )
    .unwrap()
}

/// The `n`th test conversation.
fn conv(n: u32) -> String {
    format!("6f1c9e2a-3b7d-4a58-9c0e-{n:012x}")
}

/// A message of `USER` at `CUSTOMER` (the emulator is B2B by default).
fn message(conversation: &str, role: &str, content: &str) -> MessageRequest {
    let mut m = MessageRequest::new();
    m.conversation_id(conversation).unwrap().role(role).unwrap().content(content);
    m.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
    m
}

fn say(client: &Client, conversation: &str, role: &str, content: &str) -> RecordedMessage {
    client.conversation_record_message(&message(conversation, role, content)).expect("recorded")
}

/// Every message of the conversation, read in pages of 500.
fn all_messages(client: &Client, conversation: &str) -> Vec<ConversationMessage> {
    let mut all = Vec::new();
    loop {
        let page = client.conversation_messages(conversation, all.len() as u32 + 1, 500).expect("a page");
        let last = page.len() < 500;
        all.extend(page);
        if last {
            return all;
        }
    }
}

fn contents(messages: &[ConversationMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.content.as_deref().unwrap_or("<none>")).collect()
}

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_micros() as i64
}

fn is_uuid(text: Option<&str>) -> bool {
    text.is_some_and(|t| Uuid::try_parse(t).is_ok())
}

/// Polls the compaction status until it is `want`.
fn status_until(client: &Client, conversation: &str, want: &str) -> CompactionStatus {
    let until = Instant::now() + Duration::from_secs(20);
    loop {
        let status = client.conversation_compaction_status(conversation).unwrap();
        if status.status.as_deref() == Some(want) {
            return status;
        }
        assert!(Instant::now() < until, "still {:?}, not {want}", status.status);
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A call made again for each case of a test.
type Call<'a> = Box<dyn Fn() -> Result<(), Error> + 'a>;
/// A read, made on the client given.
type Read = Box<dyn Fn(&Client) -> Result<(), Error>>;

/// Drops a call's value, to compare results by their error alone.
fn unit<T>(_: T) {}

fn json_of(text: Option<&str>) -> Value {
    serde_json::from_str(text.expect("JSON text")).unwrap()
}

#[test]
fn one_message_is_sent_as_the_sdk_sends_it_and_its_answer_read() {
    let emu = start(0);
    let client = emu.client();

    // The id in any UUID form is sent canonical; no session, no scope, the
    // agent model folded into the metadata.
    let mut first = message(&CONV.replace('-', "").to_uppercase(), "user", "Any update on my refund?");
    first.agent_model("gpt-4o");
    let before = now_us();
    let one = client.conversation_record_message(&first).unwrap();
    let after = now_us();
    assert_eq!(
        emu.sent_json(RECORD)[0],
        json!({"conversation_id": CONV, "role": "user", "content": "Any update on my refund?", "user_id": USER,
               "customer_id": CUSTOMER, "metadata": {"agent_model": "gpt-4o"}})
    );
    let logged = &emu.requests(Some(RECORD))[0];
    assert_eq!((logged["method"].as_str(), logged["query"].as_str()), (Some("POST"), None));
    assert_eq!(logged["headers"]["content-type"], "application/json");
    assert!(is_uuid(one.message_id.as_deref()), "{one:?}");
    assert_eq!(one.conversation_id.as_deref(), Some(CONV));
    assert!(is_uuid(one.session_id.as_deref()), "a session the service made: {one:?}");
    let at = one.recorded_at_us.expect("recorded_at");
    assert!(before - 1_000_000 <= at && at <= after + 1_000_000, "{at} not within {before}..{after}");
    assert_eq!(one.conversation_message_count, Some(1));

    // Every option: the agent model overrides the caller's own metadata keys;
    // content may be empty.
    let mut second = message(CONV, "assistant", "");
    second.metadata_json(r#"{"channel":"web","agent_model":"theirs","agent_context_window":1}"#).unwrap();
    second.agent_model("gpt-4o-mini").agent_context_window(128_000).session_id("sess-1");
    second.scope_level("customer", CUSTOMER).unwrap().scope_level("user", USER).unwrap();
    let two = client.conversation_record_message(&second).unwrap();
    assert_eq!(
        emu.sent_json(RECORD)[1],
        json!({"conversation_id": CONV, "role": "assistant", "content": "", "user_id": USER, "customer_id": CUSTOMER,
               "metadata": {"channel": "web", "agent_model": "gpt-4o-mini", "agent_context_window": 128_000},
               "session_id": "sess-1", "scope": {"customer": CUSTOMER, "user": USER}})
    );
    assert_eq!((two.session_id.as_deref(), two.conversation_message_count), (Some("sess-1"), Some(2)));
    assert!(two.recorded_at_us >= one.recorded_at_us);
    assert_ne!(two.message_id, one.message_id);

    // Cleared values send nothing: `{}` metadata, no session, no scope.
    let mut third = message(CONV, "user", "Still waiting.");
    third.agent_model("x").agent_model("").agent_context_window(9).agent_context_window(0);
    third.session_id("s").session_id("");
    let three = client.conversation_record_message(&third).unwrap();
    assert_eq!(
        emu.sent_json(RECORD)[2],
        json!({"conversation_id": CONV, "role": "user", "content": "Still waiting.", "user_id": USER,
               "customer_id": CUSTOMER, "metadata": {}})
    );
    assert_eq!(three.session_id, one.session_id, "the conversation's own session again");
    assert_eq!(three.conversation_message_count, Some(3));

    let stored = all_messages(&client, CONV);
    assert_eq!(contents(&stored), ["Any update on my refund?", "", "Still waiting."]);
    let ids: Vec<_> = stored.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids, [one.message_id, two.message_id, three.message_id]);
}

#[test]
fn a_batch_sends_each_message_as_given_and_reads_its_rows_and_errors() {
    let emu = start(0);
    let client = emu.client();
    let (owned, fresh) = (conv(1), conv(2));
    say(&client, &owned, "user", "Hello there.");

    let mut bare = MessageRequest::new();
    bare.conversation_id(&owned).unwrap().role("user").unwrap().content("I prefer email over phone calls.");
    let mut orphan = bare.clone();
    orphan.conversation_id(&fresh.to_uppercase()).unwrap();
    let mut full = message(&fresh, "assistant", "I will note that.");
    full.session_id("s-2").scope_level("customer", CUSTOMER).unwrap().agent_model("gpt-4o");
    let mut no_customer = bare.clone();
    no_customer.user_id(USER).unwrap().content("A user without a customer.");
    let batch = client.conversation_record_messages(&[bare, orphan, full, no_customer]).unwrap();

    // Absent keys are left out (no null customer_id as alone); metadata always.
    let sent = &emu.sent_json(BATCH)[0];
    assert_eq!(sent.as_object().unwrap().len(), 1, "{sent}");
    assert_eq!(
        sent["messages"],
        json!([
            {"conversation_id": owned, "role": "user", "content": "I prefer email over phone calls.", "metadata": {}},
            {"conversation_id": fresh, "role": "user", "content": "I prefer email over phone calls.", "metadata": {}},
            {"conversation_id": fresh, "role": "assistant", "content": "I will note that.", "user_id": USER,
             "customer_id": CUSTOMER, "metadata": {"agent_model": "gpt-4o"}, "session_id": "s-2",
             "scope": {"customer": CUSTOMER}},
            {"conversation_id": owned, "role": "user", "content": "A user without a customer.", "user_id": USER,
             "metadata": {}},
        ])
    );

    // The service stored two and refused two, each error naming its index.
    assert_eq!((batch.total, batch.succeeded, batch.failed), (Some(4), Some(2), Some(2)));
    assert_eq!(batch.results.len(), 2);
    let (a, b) = (&batch.results[0], &batch.results[1]);
    assert_eq!((a.conversation_id.as_deref(), a.conversation_message_count), (Some(owned.as_str()), Some(2)));
    assert_eq!((b.conversation_id.as_deref(), b.conversation_message_count), (Some(fresh.as_str()), Some(1)));
    assert_eq!(b.session_id.as_deref(), Some("s-2"));
    assert!(batch.results.iter().all(|r| is_uuid(r.message_id.as_deref()) && r.recorded_at_us.is_some()));
    let errors: Vec<(Option<i64>, &str)> =
        batch.errors.iter().map(|e| (e.index, e.error.as_deref().unwrap_or(""))).collect();
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), [Some(1), Some(3)]);
    assert!(errors[0].1.contains("user_id"), "{errors:?}");
    assert!(errors[1].1.contains("customer_id"), "{errors:?}");

    assert_eq!(contents(&all_messages(&client, &owned)), ["Hello there.", "I prefer email over phone calls."]);
    assert_eq!(contents(&all_messages(&client, &fresh)), ["I will note that."]);
    assert_eq!(all_messages(&client, &fresh)[0].message_id, b.message_id);
}

#[test]
fn a_transcript_is_ingested_once_followed_as_a_job_and_read_back() {
    let emu = start(0);
    let client = emu.client();
    let text = "User: I want a refund for order 8812.\nAssistant: I will file the refund today.";
    let mut call = TranscriptRequest::new();
    call.conversation_id("call-8812").unwrap().user_id("+14155550123").unwrap().customer_id(CUSTOMER).unwrap();
    call.transcript_text(text);
    let before = now_us();
    let first = client.conversation_ingest(&call).unwrap();
    assert_eq!(
        emu.sent_json(INGEST)[0],
        json!({"conversation_id": "call-8812", "user_id": "+14155550123", "customer_id": CUSTOMER,
               "transcript": text})
    );

    // The service keeps a UUID for the caller's id and answers with both.
    let id = first.conversation_id.as_deref().unwrap().to_owned();
    assert_eq!(id, "5a0b2935-9bb5-5de8-8b14-cc1f3069d301");
    assert_eq!(first.external_conversation_id.as_deref(), Some("call-8812"));
    assert!(is_uuid(first.ingestion_id.as_deref()));
    assert_eq!((first.status.as_deref(), first.turns_recorded), (Some("queued"), Some(2)));
    assert_eq!(first.summary_status.as_deref(), Some("in_progress"));
    assert!(first.queued_at_us.unwrap() >= before - 1_000_000);
    assert_eq!(first.warnings.len(), 1, "no time was given: {:?}", first.warnings);
    assert!(first.warnings[0].contains("started_at"), "{:?}", first.warnings);

    // The job is followed like a created document's.
    let mut wait = WaitOptions::new();
    wait.timeout(Duration::from_secs(10)).unwrap().poll_interval(Duration::from_millis(20)).unwrap();
    let job = client.memories_wait(first.ingestion_id.as_deref().unwrap(), &wait, None, |_| true).unwrap();
    assert_eq!(job.state(), &IngestState::Completed);
    assert!(!job.memory_ids().is_empty());
    let turns = all_messages(&client, &id);
    let said: Vec<(&str, &str)> =
        turns.iter().map(|m| (m.role.as_deref().unwrap(), m.content.as_deref().unwrap())).collect();
    assert_eq!(said, [("user", "I want a refund for order 8812."), ("assistant", "I will file the refund today.")]);

    // The same transcript again is a duplicate of the first job; another
    // one under the same id is a conflict.
    let again = client.conversation_ingest(&call).unwrap();
    assert_eq!((again.status.as_deref(), &again.ingestion_id), (Some("duplicate"), &first.ingestion_id));
    assert_eq!((again.conversation_id.as_deref(), again.turns_recorded), (Some(id.as_str()), Some(2)));
    call.transcript_text("User: Actually, a replacement please.");
    let e = client.conversation_ingest(&call).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Conflict, Some(409)));
    assert!(e.message().contains("different transcript"), "{}", e.message());
    assert_eq!(all_messages(&client, &id).len(), 2, "neither repeat added turns");

    // Turns and every option, as the SDK sends them: all five keys of a turn.
    let mut turns = TranscriptRequest::new();
    turns.conversation_id("call-9001").unwrap().user_id("+14155550123").unwrap().customer_id(CUSTOMER).unwrap();
    turns.add_turn("user", "My order arrived damaged.", Some(1_736_935_204_000_000), Some("Caller")).unwrap();
    turns.add_turn("assistant", "I will send a replacement.", None, None).unwrap();
    turns.conversation_type("voice").analysis_json(r#"{"sentiment":"negative"}"#).unwrap();
    turns.metadata_json(r#"{"queue":"refunds"}"#).unwrap().scope_level("customer", CUSTOMER).unwrap();
    turns.started_at_us(1_736_935_200_000_000).unwrap().ended_at_us(1_736_935_601_000_000).unwrap();
    let second = client.conversation_ingest(&turns).unwrap();
    assert_eq!(
        emu.sent_json(INGEST).last().unwrap(),
        &json!({"conversation_id": "call-9001", "user_id": "+14155550123", "customer_id": CUSTOMER,
                "transcript": [
                    {"role": "user", "content": "My order arrived damaged.", "timestamp": "2025-01-15T10:00:04.000000Z",
                     "speaker": "Caller", "metadata": null},
                    {"role": "assistant", "content": "I will send a replacement.", "timestamp": null,
                     "speaker": null, "metadata": null}],
                "conversation_type": "voice", "analysis": {"sentiment": "negative"}, "metadata": {"queue": "refunds"},
                "started_at": "2025-01-15T10:00:00.000000Z", "ended_at": "2025-01-15T10:06:41.000000Z",
                "scope": {"customer": CUSTOMER}})
    );
    assert_eq!((second.status.as_deref(), second.turns_recorded), (Some("queued"), Some(2)));
    assert!(second.warnings.is_empty(), "{:?}", second.warnings);
    let stored = all_messages(&client, second.conversation_id.as_deref().unwrap());
    let damaged = stored.iter().find(|m| m.content.as_deref() == Some("My order arrived damaged.")).unwrap();
    assert_eq!(damaged.timestamp_us, Some(1_736_935_204_000_000));
    assert_eq!(stored.len(), 2);

    // A transcript the service refuses.
    let mut empty = TranscriptRequest::new();
    empty.conversation_id("call-0").unwrap().user_id("u").unwrap().customer_id(CUSTOMER).unwrap().transcript_text(" ");
    let e = client.conversation_ingest(&empty).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(422)));
}

#[test]
fn messages_come_back_in_pages_oldest_first() {
    let emu = start(0);
    let client = emu.client();
    let recorded: Vec<RecordedMessage> = (1..=7)
        .map(|i| say(&client, CONV, if i % 2 == 1 { "user" } else { "assistant" }, &format!("message {i}")))
        .collect();

    let id = CONV.replace('-', "").to_uppercase();
    let mut seen = Vec::new();
    for (start, len) in [(1, 3), (4, 3), (7, 1), (8, 0)] {
        let page = client.conversation_messages(&id, start, 3).unwrap();
        assert_eq!(page.len(), len, "page at {start}");
        seen.extend(page);
    }
    let queries: Vec<Value> =
        emu.requests(Some(&format!("/v1/conversations/{CONV}/messages"))).iter().map(|r| r["query"].clone()).collect();
    assert_eq!(queries, ["start=1&limit=3", "start=4&limit=3", "start=7&limit=3", "start=8&limit=3"]);

    assert_eq!(seen.len(), 7);
    for (i, (m, r)) in seen.iter().zip(&recorded).enumerate() {
        assert_eq!(m.position, Some(i as i64 + 1));
        assert_eq!(m.content.as_deref(), Some(format!("message {}", i + 1).as_str()));
        assert_eq!(m.role.as_deref(), Some(if i % 2 == 0 { "user" } else { "assistant" }));
        assert_eq!((&m.message_id, m.timestamp_us), (&r.message_id, r.recorded_at_us));
    }
    assert_eq!(client.conversation_messages(CONV, 1, synap::MAX_MESSAGES_PAGE).unwrap(), seen);
    assert!(client.conversation_messages(&conv(99), 1, 10).unwrap().is_empty(), "a conversation never seen");
}

#[test]
fn a_compaction_runs_then_the_prompt_holds_its_summary_and_the_turns_after_it() {
    let emu = start(2000);
    let client = emu.client();
    for (role, content) in [
        ("user", "My order 8812 arrived damaged. I prefer a refund over a replacement."),
        ("assistant", "Sorry about that. I will file the refund today."),
        ("user", "Thanks, how long does it take?"),
        ("assistant", "About five days."),
    ] {
        say(&client, CONV, role, content);
    }
    let compacted_path = format!("/v1/conversations/{CONV}/compacted");

    // Nothing compacted yet: None (the 404), asked once.
    assert_eq!(client.conversation_compacted(CONV, "structured", None).unwrap(), None);
    let asked = emu.requests(Some(&compacted_path));
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0]["query"], "format=structured");
    let none = client.conversation_compaction_status(CONV).unwrap();
    assert_eq!((none.conversation_id.as_deref(), none.status.as_deref()), (Some(CONV), Some("none")));
    assert_eq!((none.compaction_id.as_ref(), none.latest_version, none.completed_at_us), (None, None, None));

    // Started: all four keys sent; one at a time.
    let before = now_us();
    let started = client.conversation_compact(&CONV.to_uppercase(), &CompactOptions::new()).unwrap();
    assert_eq!(
        emu.sent_json(COMPACT)[0],
        json!({"conversation_id": CONV, "strategy": null, "target_tokens": null, "force": false})
    );
    assert!(is_uuid(started.compaction_id.as_deref()));
    assert_eq!((started.conversation_id.as_deref(), started.status.as_deref()), (Some(CONV), Some("in_progress")));
    assert_eq!(started.trigger_type.as_deref(), Some("manual_api"));
    assert!(started.initiated_at_us.unwrap() >= before - 1_000_000);
    assert_eq!((started.estimated_completion_seconds, started.previous_compaction_id), (Some(2), None));
    let e = client.conversation_compact(CONV, &CompactOptions::new()).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Conflict, Some(409)));
    let running = client.conversation_compaction_status(CONV).unwrap();
    assert_eq!((running.status.as_deref(), &running.compaction_id), (Some("in_progress"), &started.compaction_id));
    assert!(matches!(running.estimated_completion_seconds, Some(1 | 2)), "{running:?}");
    assert_eq!((running.latest_version, running.completed_at_us), (None, None));
    assert_eq!(client.conversation_compacted(CONV, "structured", None).unwrap(), None, "not done yet");

    // Completed: the status and the compacted state in each format.
    let done = status_until(&client, CONV, "completed");
    assert_eq!((done.compaction_id.as_ref(), done.latest_version), (started.compaction_id.as_ref(), Some(1)));
    assert!(done.completed_at_us.unwrap() >= started.initiated_at_us.unwrap());
    assert!(done.compression_ratio.unwrap() > 1.0 && done.validation_score.is_some());
    assert_eq!((done.estimated_completion_seconds, done.error_message.as_ref()), (None, None));

    let Compacted {
        compaction_id,
        formatted_context,
        original_token_count,
        compacted_token_count,
        compression_ratio,
        strategy_used,
        validation_score,
        validation_passed,
        quality_warning,
        facts_json,
        decisions_json,
        preferences_json,
        current_state_json,
        ttl_seconds,
        raw_json,
    } = client.conversation_compacted(CONV, "structured", None).unwrap().expect("compacted");
    assert_eq!(compaction_id, started.compaction_id);
    let block = "## Conversation so far (compacted, 4 messages)\nMy order 8812 arrived damaged. \
                 I prefer a refund over a replacement. Sorry about that.";
    assert!(formatted_context.as_deref().unwrap().starts_with(block), "{formatted_context:?}");
    assert!(original_token_count.unwrap() > compacted_token_count.unwrap());
    assert_eq!((compression_ratio, validation_score), (done.compression_ratio, done.validation_score));
    assert_eq!(strategy_used.as_deref(), Some("adaptive"), "the service's choice");
    assert_eq!((validation_passed, quality_warning, ttl_seconds), (Some(true), Some(false), Some(300)));
    assert_eq!(json_of(preferences_json.as_deref())[0]["content"], "I prefer a refund over a replacement.");
    assert_eq!(json_of(facts_json.as_deref())[0]["content"], "My order 8812 arrived damaged.");
    assert_eq!(json_of(decisions_json.as_deref())[0]["content"], "I will file the refund today.");
    assert_eq!(json_of(current_state_json.as_deref())["messages_covered"], 4);
    assert_eq!(json_of(raw_json.as_deref())["version"], 1);
    let text = |format: &str, version: Option<u32>| {
        client.conversation_compacted(CONV, format, version).unwrap().map(|c| c.formatted_context.unwrap().to_string())
    };
    assert!(text("narrative", None).unwrap().starts_with("So far in this conversation (4 messages): My order"));
    assert!(text("injection", None).unwrap().starts_with("<conversation_context>\nMy order"));
    assert!(text("structured", Some(1)).unwrap().starts_with(block));
    assert_eq!(text("structured", Some(2)), None, "no second version yet");
    let queries: Vec<Value> = emu.requests(Some(&compacted_path)).iter().map(|r| r["query"].clone()).collect();
    assert_eq!(
        queries[queries.len() - 4..],
        ["format=narrative", "format=injection", "format=structured&version=1", "format=structured&version=2"]
    );

    // Two more turns: the prompt is the summary, then only those turns.
    say(&client, CONV, "user", "Can I get it faster?");
    say(&client, CONV, "assistant", "I will ask for express handling.");
    assert_eq!(client.conversation_compaction_status(CONV).unwrap().status.as_deref(), Some("stale"));
    let prompt = client.conversation_prompt_context(CONV, "structured").unwrap();
    assert!(prompt.available && prompt.is_stale);
    assert_eq!(prompt.compaction_id, started.compaction_id);
    assert_eq!((prompt.compacted_message_count, prompt.recent_message_count, prompt.total_message_count), (4, 2, 6));
    let recent: Vec<&str> = prompt.recent_messages.iter().map(|t| t.content.as_deref().unwrap()).collect();
    assert_eq!(recent, ["Can I get it faster?", "I will ask for express handling."]);
    assert_eq!(prompt.context_block.as_deref(), Some(block));
    let formatted = prompt.formatted_context.as_deref().unwrap();
    assert!(formatted.starts_with(block), "{formatted}");
    let after = &formatted[block.len()..];
    let (faster, express) = (after.find("Can I get it faster?").unwrap(), after.find("express handling").unwrap());
    assert!(faster < express, "{formatted}");
    assert!(!formatted.contains("About five days."), "a compacted turn is not repeated: {formatted}");

    // A second compaction, with every option, replaces the first.
    let mut options = CompactOptions::new();
    options.strategy("aggressive").unwrap().target_tokens(50).force(true);
    let next = client.conversation_compact(CONV, &options).unwrap();
    assert_eq!(
        emu.sent_json(COMPACT).last().unwrap(),
        &json!({"conversation_id": CONV, "strategy": "aggressive", "target_tokens": 50, "force": true})
    );
    assert_eq!(next.previous_compaction_id, started.compaction_id);
    assert_ne!(next.compaction_id, started.compaction_id);
    let done = status_until(&client, CONV, "completed");
    assert_eq!((done.compaction_id.as_ref(), done.latest_version), (next.compaction_id.as_ref(), Some(2)));
    let latest = client.conversation_compacted(CONV, "structured", None).unwrap().unwrap();
    assert_eq!(
        (latest.compaction_id.as_ref(), latest.strategy_used.as_deref()),
        (next.compaction_id.as_ref(), Some("aggressive"))
    );
    assert!(
        latest
            .formatted_context
            .unwrap()
            .starts_with("## Conversation so far (compacted, 6 messages)\nMy order 8812 arrived damaged.\n")
    );
    let first = client.conversation_compacted(CONV, "structured", Some(1)).unwrap().unwrap();
    assert_eq!(first.compaction_id, started.compaction_id);
    let prompt = client.conversation_prompt_context(CONV, "narrative").unwrap();
    assert_eq!((prompt.compacted_message_count, prompt.recent_message_count, prompt.is_stale), (6, 0, false));
    assert_eq!(prompt.compaction_id, next.compaction_id);
}

#[test]
fn recorded_messages_are_found_by_a_context_fetch() {
    let emu = start(0);
    let client = emu.client();
    let said = say(&client, CONV, "user", "I switched to decaf after 3pm.");
    say(&client, CONV, "assistant", "Noted, I will remember the decaf.");

    let mut by_user = ContextRequest::new(ContextScope::User);
    by_user.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap().query("decaf");
    let mut by_conversation = ContextRequest::new(ContextScope::Conversation);
    by_conversation.conversation_id(CONV).unwrap().query("decaf");
    for request in [&by_user, &by_conversation] {
        let until = Instant::now() + Duration::from_secs(10);
        let found = loop {
            let context = client.context_fetch(request).unwrap();
            let texts: Vec<String> = ContextList::TYPED
                .iter()
                .flat_map(|l| context.list(*l))
                .filter_map(|i| i.text.as_deref().map(str::to_owned))
                .collect();
            if !texts.is_empty() || Instant::now() > until {
                break texts;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(found, ["I switched to decaf after 3pm."], "{:?}", request.scope());
    }
    // The assistant's turn joined the conversation but made no memory.
    assert_eq!(all_messages(&client, CONV).len(), 2);
    assert!(said.recorded_at_us.is_some());
}

#[test]
fn bad_values_are_refused_before_any_request() {
    let emu = start(0);
    let client = emu.client();
    let refused = |result: Result<(), Error>, message: &str| {
        let e = result.expect_err(message);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(e.message().starts_with(message), "{:?} does not start with {message:?}", e.message());
    };

    // A message's values, where they are set.
    let mut m = MessageRequest::new();
    refused(m.conversation_id("call-1").map(unit), "conversation_id is not a UUID: \"call-1\"");
    refused(m.conversation_id("").map(unit), "conversation_id is not a UUID");
    refused(m.role("system").map(unit), "role \"system\" is not one of user, assistant");
    refused(m.role("User").map(unit), "role \"User\" is not one of user, assistant");
    refused(m.user_id(" ").map(unit), "user_id must not be empty");
    refused(m.customer_id("").map(unit), "customer_id must not be empty");
    refused(m.metadata_json("[]").map(unit), "metadata JSON must be an object");
    refused(m.metadata_json("{").map(unit), "metadata is not valid JSON");
    refused(m.scope_level(" ", "x").map(unit), "scope level must not be empty");
    assert_eq!(m, MessageRequest::new(), "refused values change nothing");

    // A message missing what it needs.
    let record = |m: &MessageRequest| client.conversation_record_message(m).map(|_| ());
    refused(record(&m), "the request has no conversation_id");
    m.conversation_id(CONV).unwrap();
    refused(record(&m), "the request has no role");
    m.role("user").unwrap();
    refused(record(&m), "the request has no content");
    m.content("hi");
    refused(record(&m), "the request has no user_id");
    let batch = |ms: &[MessageRequest]| client.conversation_record_messages(ms).map(|_| ());
    refused(batch(&[]), "a batch needs at least one message");
    let mut no_content = MessageRequest::new();
    no_content.conversation_id(CONV).unwrap().role("assistant").unwrap();
    refused(batch(&[m.clone(), no_content]), "messages[1]: the request has no content");

    // A transcript's values and what it needs.
    let mut t = TranscriptRequest::new();
    refused(t.conversation_id(" ").map(unit), "conversation_id must not be empty");
    refused(t.user_id("").map(unit), "user_id must not be empty");
    refused(t.customer_id("").map(unit), "customer_id must not be empty");
    refused(t.add_turn("system", "x", None, None).map(unit), "turn role \"system\" is not one of user, assistant");
    refused(t.add_turn("user", "x", Some(i64::MAX), None).map(unit), "turn timestamp");
    refused(t.started_at_us(i64::MIN).map(unit), "started_at");
    refused(
        t.ended_at_us(253_402_300_800_000_000).map(unit),
        "ended_at 253402300800000000 us is outside years 1 to 9999",
    );
    refused(t.analysis_json("1").map(unit), "analysis JSON must be an object");
    refused(t.metadata_json("nope").map(unit), "metadata is not valid JSON");
    assert_eq!(t, TranscriptRequest::new(), "refused values change nothing");
    let ingest = |t: &TranscriptRequest| client.conversation_ingest(t).map(|_| ());
    refused(ingest(&t), "the request has no conversation_id");
    t.conversation_id("call-1").unwrap();
    refused(ingest(&t), "the request has no user_id");
    t.user_id("u").unwrap();
    refused(ingest(&t), "the request has no transcript");

    // Reads and compaction.
    refused(client.conversation_messages("not-a-uuid", 1, 10).map(|_| ()), "conversation_id is not a UUID");
    refused(client.conversation_messages(CONV, 0, 10).map(|_| ()), "start must be at least 1");
    refused(client.conversation_messages(CONV, 1, 0).map(|_| ()), "limit must be between 1 and 500, not 0");
    refused(client.conversation_messages(CONV, 1, 501).map(|_| ()), "limit must be between 1 and 500, not 501");
    refused(client.conversation_compacted("", "structured", None).map(|_| ()), "conversation_id is not a UUID");
    refused(
        client.conversation_compacted(CONV, "bullet_points", None).map(|_| ()),
        "format \"bullet_points\" is not one of structured, narrative, injection",
    );
    refused(client.conversation_compacted(CONV, "", Some(1)).map(|_| ()), "format \"\" is not one of");
    refused(client.conversation_compaction_status("6f1c9e2a").map(|_| ()), "conversation_id is not a UUID");
    refused(client.conversation_compact("call-1", &CompactOptions::new()).map(|_| ()), "conversation_id is not a UUID");
    let mut options = CompactOptions::new();
    refused(options.strategy("fast").map(unit), "strategy \"fast\" is not one of aggressive, balanced");
    refused(options.strategy("Balanced").map(unit), "strategy \"Balanced\" is not one of");
    assert_eq!(options, CompactOptions::new());

    assert!(emu.requests(None).is_empty(), "nothing was sent: {:?}", emu.requests(None));
}

#[test]
fn on_b2c_the_sdk_example_is_sent_and_a_customer_id_refused_after_whoami() {
    let emu = start_with(0, Config { user_context_isolation: Some("equals_customer".to_owned()), ..Config::default() });
    let client = emu.client();
    let mut plain = MessageRequest::new();
    plain.conversation_id(CONV).unwrap().role("user").unwrap().content("Any update on my refund?");
    plain.user_id(USER).unwrap().agent_model("gpt-4o");
    client.conversation_record_message(&plain).unwrap();
    assert_eq!(
        emu.sent_json(RECORD)[0],
        json!({"conversation_id": CONV, "role": "user", "content": "Any update on my refund?", "user_id": USER,
               "customer_id": null, "metadata": {"agent_model": "gpt-4o"}})
    );

    let mut with_customer = plain.clone();
    with_customer.customer_id("c1").unwrap();
    let mut transcript = TranscriptRequest::new();
    transcript.conversation_id("call-1").unwrap().user_id(USER).unwrap().transcript_text("User: hello there all");
    let mut transcript_with_customer = transcript.clone();
    transcript_with_customer.customer_id("c1").unwrap();

    // Before whoami the service is the one to refuse it.
    let e = client.conversation_record_message(&with_customer).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(400)));
    assert_eq!(emu.requests(Some(RECORD)).len(), 2);

    assert!(client.whoami().unwrap().is_b2c());
    let writes: [(&str, Call<'_>); 3] = [
        (RECORD, Box::new(|| client.conversation_record_message(&with_customer).map(|_| ()))),
        (BATCH, Box::new(|| client.conversation_record_messages(&[plain.clone(), with_customer.clone()]).map(|_| ()))),
        (INGEST, Box::new(|| client.conversation_ingest(&transcript_with_customer).map(|_| ()))),
    ];
    for (path, write) in &writes {
        let before = emu.requests(Some(path)).len();
        let e = write().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{path}: {e}");
        assert!(e.message().contains("customer_id is not accepted on this instance"), "{}", e.message());
        assert_eq!(emu.requests(Some(path)).len(), before, "{path}: refused before any request");
    }
    assert!(client.conversation_record_messages(&[plain.clone()]).is_ok());
    assert_eq!(client.conversation_ingest(&transcript).unwrap().status.as_deref(), Some("queued"));
}

/// One write of the no-duplicate matrix.
struct Write {
    path: &'static str,
    /// Makes the write on conversation `n` (after any setup it needs).
    run: fn(&Client, &Client, u32) -> Result<(), Error>,
    /// How many times the write on conversation `n` took effect.
    effects: fn(&Client, u32) -> usize,
}

fn writes() -> [Write; 4] {
    [
        Write {
            path: RECORD,
            run: |c, _, n| c.conversation_record_message(&message(&conv(n), "user", "one")).map(|_| ()),
            effects: |c, n| all_messages(c, &conv(n)).len(),
        },
        Write {
            path: BATCH,
            run: |c, _, n| {
                let pair = [message(&conv(n), "user", "one"), message(&conv(n), "assistant", "two")];
                c.conversation_record_messages(&pair).map(|_| ())
            },
            effects: |c, n| all_messages(c, &conv(n)).len() / 2,
        },
        Write {
            path: INGEST,
            run: |c, _, n| {
                let mut t = TranscriptRequest::new();
                t.conversation_id(&conv(n)).unwrap().user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
                t.transcript_text("User: one\nAssistant: two");
                c.conversation_ingest(&t).map(|_| ())
            },
            effects: |c, n| all_messages(c, &conv(n)).len() / 2,
        },
        Write {
            path: COMPACT,
            run: |c, setup, n| {
                say(setup, &conv(n), "user", "Something worth compacting.");
                c.conversation_compact(&conv(n), &CompactOptions::new()).map(|_| ())
            },
            effects: |c, n| {
                let status = c.conversation_compaction_status(&conv(n)).unwrap();
                status.latest_version.unwrap_or(0) as usize
            },
        },
    ]
}

#[test]
fn a_write_is_resent_only_when_the_failure_proves_it_had_no_effect() {
    let emu = start(0);
    let setup = emu.client();
    let client = retrying(&emu, Duration::from_millis(1000));
    let matrix: [(Value, Option<ErrorKind>, usize, usize); 7] = [
        // The service refused it: sent again, done once.
        (json!({"kind": "respond", "status": 503}), None, 2, 1),
        (json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "0"}}), None, 2, 1),
        // It may have been done: sent once, whether it was done or not.
        (json!({"kind": "respond", "status": 500}), Some(ErrorKind::Server), 1, 0),
        (json!({"kind": "drop"}), Some(ErrorKind::Network), 1, 0),
        (json!({"kind": "handle_then_drop"}), Some(ErrorKind::Network), 1, 1),
        (json!({"kind": "handle_then_stall", "ms": 2500}), Some(ErrorKind::Timeout), 1, 1),
        (json!({"kind": "delay", "ms": 2500}), Some(ErrorKind::Timeout), 1, 1),
    ];
    let mut n = 100;
    for write in writes() {
        for (fault, failure, attempts, effects) in &matrix {
            n += 1;
            let case = format!("{} with {fault}", write.path);
            emu.post_fault(write.path, 1, fault.clone());
            let before = emu.requests(Some(write.path)).len();
            let result = (write.run)(&client, &setup, n);
            assert_eq!(result.as_ref().err().map(Error::kind), *failure, "{case}: {result:?}");
            if let Err(e) = &result {
                assert_eq!(e.http_status(), (*failure == Some(ErrorKind::Server)).then_some(500), "{case}");
            }
            assert_eq!(emu.requests(Some(write.path)).len() - before, *attempts, "{case}: attempts");
            // A delayed request is handled after the client gave up on it.
            let until = Instant::now() + Duration::from_secs(5);
            while (write.effects)(&setup, n) < *effects && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(25));
            }
            assert_eq!((write.effects)(&setup, n), *effects, "{case}: effects");
        }
    }

    // A refused connection reached no one: resent, then Network.
    let attempts: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let heard = Arc::clone(&attempts);
    assert!(set_log_callback(
        LogLevel::Debug,
        Some(Box::new(move |level, line| {
            let cid = line.rsplit_once('[').and_then(|(_, rest)| rest.strip_suffix(']'));
            if let (LogLevel::Debug, true, Some(cid)) = (level, line.starts_with("POST /v1/conversations/"), cid) {
                *heard.lock().unwrap().entry(cid.to_owned()).or_default() += 1;
            }
        })),
    ));
    let refused = Client::new(
        ClientOptions::new()
            .api_key("k")
            .unwrap()
            .base_url(&common::refused_url())
            .unwrap()
            .retry(RetryPolicy::new(3, Duration::from_millis(5), Duration::from_millis(5)))
            .unwrap(),
    )
    .unwrap();
    let mut outcomes = Vec::new();
    for write in writes() {
        n += 1;
        let e = (write.run)(&refused, &setup, n).unwrap_err();
        outcomes.push((write.path, e.kind(), e.correlation_id().map(str::to_owned)));
    }
    assert!(set_log_callback(LogLevel::Debug, None));
    let attempts = attempts.lock().unwrap();
    for (path, kind, cid) in outcomes {
        assert_eq!(kind, ErrorKind::Network, "{path}");
        assert_eq!(attempts.get(cid.as_deref().unwrap()), Some(&3), "{path}: tried three times");
    }
}

#[test]
fn the_reads_are_retried_after_a_server_error() {
    let emu = start(0);
    let client = retrying(&emu, Duration::from_secs(5));
    say(&client, CONV, "user", "My order arrived damaged.");
    client.conversation_compact(CONV, &CompactOptions::new()).unwrap();
    let reads: [(String, Read); 3] = [
        (
            format!("/v1/conversations/{CONV}/messages"),
            Box::new(|c| c.conversation_messages(CONV, 1, 10).map(|page| assert_eq!(page.len(), 1))),
        ),
        (
            format!("/v1/conversations/{CONV}/compacted"),
            Box::new(|c| c.conversation_compacted(CONV, "structured", None).map(|got| assert!(got.is_some()))),
        ),
        (
            format!("/v1/conversations/{CONV}/compaction/status"),
            Box::new(|c| {
                c.conversation_compaction_status(CONV).map(|s| assert_eq!(s.status.as_deref(), Some("completed")))
            }),
        ),
    ];
    let once = emu.client();
    for (path, read) in &reads {
        for fault in [json!({"kind": "respond", "status": 500}), json!({"kind": "drop"})] {
            emu.post_fault(path, 1, fault.clone());
            let before = emu.requests(Some(path)).len();
            read(&client).unwrap_or_else(|e| panic!("{path} with {fault}: {e}"));
            assert_eq!(emu.requests(Some(path)).len() - before, 2, "{path} with {fault}: retried once");
        }
        // Without retries the 500 is the call's result, never "not compacted".
        emu.post_fault(path, 1, json!({"kind": "respond", "status": 500}));
        let e = read(&once).unwrap_err();
        assert_eq!((e.kind(), e.http_status()), (ErrorKind::Server, Some(500)), "{path}");
    }

    // A 404 is an answer: not compacted yet, asked once.
    let fresh = conv(7);
    say(&client, &fresh, "user", "Nothing compacted here.");
    let path = format!("/v1/conversations/{fresh}/compacted");
    assert_eq!(client.conversation_compacted(&fresh, "narrative", None).unwrap(), None);
    assert_eq!(emu.requests(Some(&path)).len(), 1);
}

#[test]
fn the_service_refusals_map_to_codes() {
    let emu = start(0);
    let client = emu.client();
    // A user without a customer on a B2B instance.
    let mut m = MessageRequest::new();
    m.conversation_id(CONV).unwrap().role("user").unwrap().content("hi").user_id(USER).unwrap();
    let e = client.conversation_record_message(&m).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(400)));
    assert!(e.message().contains("customer_id"), "{}", e.message());
    // Nothing said in the conversation: nothing to compact.
    let e = client.conversation_compact(&conv(5), &CompactOptions::new()).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
    // A status for a conversation never seen is an answer.
    assert_eq!(client.conversation_compaction_status(&conv(5)).unwrap().status.as_deref(), Some("none"));
    // A bad key.
    let stranger = Client::new(emu.options().api_key("sk-wrong").unwrap()).unwrap();
    let e = stranger.conversation_record_message(&message(CONV, "user", "hi")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(!e.message().contains("sk-wrong"));
    assert!(all_messages(&client, CONV).is_empty());
}

#[test]
fn eight_threads_record_into_one_conversation_on_one_client() {
    const THREADS: usize = 8;
    const EACH: usize = 50;
    let emu = start(0);
    let client = emu.client();
    let counts: Vec<Vec<i64>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let client = &client;
                s.spawn(move || {
                    (0..EACH)
                        .map(|i| {
                            let role = if i % 2 == 0 { "user" } else { "assistant" };
                            let recorded = say(client, CONV, role, &format!("thread {t} message {i}"));
                            assert_eq!(recorded.conversation_id.as_deref(), Some(CONV));
                            recorded.conversation_message_count.expect("a count")
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    // Each write saw its own count, and each thread's counts grow.
    let mut all: Vec<i64> = counts.iter().flatten().copied().collect();
    assert!(counts.iter().all(|c| c.windows(2).all(|w| w[0] < w[1])), "{counts:?}");
    all.sort_unstable();
    assert_eq!(all, (1..=(THREADS * EACH) as i64).collect::<Vec<_>>());
    assert_eq!(emu.requests(Some(RECORD)).len(), THREADS * EACH, "one request each");

    // Every message stored once, each thread's in its own order.
    let mut stored = Vec::new();
    for start in (1..).step_by(100) {
        let page = client.conversation_messages(CONV, start, 100).unwrap();
        let last = page.len() < 100;
        stored.extend(page);
        if last {
            break;
        }
    }
    assert_eq!(stored.len(), THREADS * EACH);
    let positions: Vec<i64> = stored.iter().map(|m| m.position.unwrap()).collect();
    assert_eq!(positions, (1..=(THREADS * EACH) as i64).collect::<Vec<_>>());
    let mut next = [0usize; THREADS];
    for m in &stored {
        let text = m.content.as_deref().unwrap();
        let (t, i) = text.strip_prefix("thread ").and_then(|r| r.split_once(" message ")).unwrap();
        let (t, i): (usize, usize) = (t.parse().unwrap(), i.parse().unwrap());
        assert_eq!(i, next[t], "thread {t}'s messages in order");
        assert_eq!(m.role.as_deref(), Some(if i % 2 == 0 { "user" } else { "assistant" }));
        next[t] += 1;
    }
    assert_eq!(next, [EACH; THREADS]);
    let mut ids: Vec<_> = stored.iter().map(|m| m.message_id.clone().unwrap().to_string()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), THREADS * EACH);
}
