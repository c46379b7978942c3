//! `whoami` and `memories.get` against the emulator.

mod common;

use common::Emu;
use serde_json::json;
use synap::ErrorKind;

#[test]
fn whoami_identifies_the_key_and_prefixes_correlation_ids() {
    let emu = Emu::start();
    let client = emu.client();
    let id = emu.job(json!({}));
    client.memories_status(&id).unwrap();
    let identity = client.whoami().unwrap();
    assert_eq!(identity.client_id(), Some("cli_9b2f4d6a8c0e1357"));
    assert_eq!(identity.instance_id(), Some("inst_4e7a19c03b5d82f1"));
    client.memories_status(&id).unwrap();

    let seen = emu.requests(Some(&format!("{}{id}", common::STATUS_PATH)));
    let header = |i: usize, name: &str| seen[i]["headers"][name].as_str().map(str::to_owned);
    assert!(header(0, "x-correlation-id").unwrap().starts_with("syn__"), "before whoami: empty prefix");
    assert_eq!(header(0, "x-instance-id"), None);
    assert!(header(1, "x-correlation-id").unwrap().starts_with("syn_inst_4_"), "after: the instance prefix");
    assert_eq!(header(1, "x-client-id").as_deref(), Some("cli_9b2f4d6a8c0e1357"));
    assert_eq!(header(1, "x-instance-id").as_deref(), Some("inst_4e7a19c03b5d82f1"));
}

#[test]
fn whoami_errors_are_ordinary_errors() {
    let emu = Emu::start();
    emu.post_fault(
        "/api/v1/auth/whoami",
        1,
        json!({"kind": "respond", "status": 401, "body": "{\"detail\":\"Invalid API key\"}"}),
    );
    let e = emu.client().whoami().unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::Auth, "HTTP 401: Invalid API key"));
    emu.post_fault("/api/v1/auth/whoami", 1, json!({"kind": "respond", "status": 200, "body": "[]"}));
    assert_eq!(emu.client().whoami().unwrap_err().kind(), ErrorKind::Protocol);
}

#[test]
fn get_refuses_malformed_ids_before_any_request() {
    let emu = Emu::start();
    let e = emu.client().memories_get("../status/x").unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "memory_id is not a UUID: \"../status/x\""));
    let e = emu.client().memories_get("00000000-0000-4000-8000-000000000000").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(emu.requests(None).iter().all(|r| !r["path"].as_str().unwrap().contains("status/x")));
}
