//! The API key never shows in an error message or a log line, whatever the
//! server sends back; and the log hook hears retries. One test per binary:
//! the log callback is process-wide.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Emu, STATUS_PATH};
use serde_json::json;
use synap::{Client, ClientOptions, LogLevel, RetryPolicy, WaitOptions, set_log_callback};
use synap_emulator::{Config, Emulator};

const KEY: &str = "synap_Scan7hisKey_4f1e9a";

#[test]
fn no_message_or_log_line_contains_the_key() {
    let lines = Arc::new(Mutex::new(Vec::<(LogLevel, String)>::new()));
    let sink = Arc::clone(&lines);
    assert!(set_log_callback(
        LogLevel::Debug,
        Some(Box::new(move |level, text| sink.lock().unwrap().push((level, text.to_owned()))))
    ));

    let emulator =
        Emulator::start(Config { control: true, api_keys: vec![KEY.to_owned()], ..Config::default() }).unwrap();
    let emu = Emu::attach(emulator);
    let mut options = ClientOptions::new();
    options
        .api_key(KEY)
        .unwrap()
        .base_url(&emu.base_url)
        .unwrap()
        .retry(RetryPolicy::new(2, Duration::from_millis(10), Duration::from_millis(20)))
        .unwrap();
    let client = Client::new(&options).unwrap();
    let echo = format!("the key {KEY} is not welcome; Bearer {KEY}");
    let faults = [
        json!({"kind": "respond", "status": 401, "body": format!(r#"{{"detail":"{echo}"}}"#)}),
        json!({"kind": "respond", "status": 403, "body": format!(r#"{{"detail":{{"message":"{echo}"}}}}"#)}),
        json!({"kind": "respond", "status": 400, "body": format!(r#"{{"message":"{echo}"}}"#)}),
        json!({"kind": "respond", "status": 422, "body": format!(r#"{{"detail":[{{"loc":["{KEY}"],"msg":"{echo}"}}]}}"#)}),
        json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "0"}, "body": echo.clone()}),
        json!({"kind": "respond", "status": 502, "body": format!("<html>{echo}</html>")}),
        json!({"kind": "respond", "status": 302, "headers": {"Location": format!("http://evil.example/{KEY}")}}),
        json!({"kind": "respond", "status": 200, "body": format!(r#"{{"ingestion_id":"{KEY}"}}"#)}),
        json!({"kind": "respond", "status": 200, "body": echo.clone()}),
        json!({"kind": "garbage"}),
        json!({"kind": "truncate"}),
        json!({"kind": "drop"}),
    ];
    let mut messages = Vec::new();
    for fault in faults {
        let id = emu.job(json!({}));
        emu.post_fault(&format!("{STATUS_PATH}{id}"), 5, fault);
        let e = client.memories_status(&id).unwrap_err();
        messages.push(e.to_string());
    }
    let wrong = Client::new(ClientOptions::new().api_key(&format!("{KEY}x")).unwrap().base_url(&emu.base_url).unwrap())
        .unwrap();
    messages.push(wrong.memories_status(&emu.job(json!({}))).unwrap_err().to_string());
    let id = emu.job(json!({"done_after_ms": 100}));
    let mut wait = WaitOptions::new();
    wait.timeout(Duration::from_secs(5)).unwrap().poll_interval(Duration::from_millis(20)).unwrap();
    client.memories_wait(&id, &wait, None, |_| true).unwrap();
    assert!(set_log_callback(LogLevel::Debug, None));

    let lines = lines.lock().unwrap();
    assert!(messages.len() == 13 && lines.len() > 20, "{} messages, {} log lines", messages.len(), lines.len());
    for text in messages.iter().chain(lines.iter().map(|(_, l)| l)) {
        assert!(!text.contains(KEY), "the key leaked: {text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }
    assert!(messages.iter().any(|m| m.contains("[redacted]")), "echoes were redacted: {messages:?}");
    let retry = lines
        .iter()
        .find(|(level, l)| *level == LogLevel::Info && l.contains("attempt 1 of 2 failed"))
        .expect("a retry line");
    assert!(retry.1.contains("retrying in") && retry.1.ends_with(']'), "{}", retry.1);
    assert!(
        lines.iter().any(|(level, l)| *level == LogLevel::Debug && l.starts_with("wait ")),
        "wait polls are logged"
    );
}
