//! A real pooling HTTP client (ureq, as libsynap uses) against the emulator.

use std::collections::HashSet;
use std::thread;

use serde_json::Value;
use synap_emulator::{Config, DEMO_FAILED_ID, Emulator};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn log(agent: &ureq::Agent, emu: &Emulator) -> Vec<Value> {
    let url = format!("{}/_emulator/requests", emu.base_url());
    let v: Value = serde_json::from_str(&agent.get(&url).call().unwrap().body_mut().read_to_string().unwrap()).unwrap();
    v["requests"].as_array().unwrap().clone()
}

#[test]
fn sequential_and_concurrent_requests_reuse_connections() {
    let emu = Emulator::start(Config { control: true, ..Config::default() }).unwrap();
    let url = format!("{}/api/v1/memories/status/{DEMO_FAILED_ID}", emu.base_url());
    let agent = agent();

    for _ in 0..1000 {
        let mut r = agent.get(&url).header("Authorization", "Bearer synap_dev_emulator").call().unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert_eq!(v["status"], "failed");
    }
    let seq = log(&agent, &emu);
    assert_eq!(seq.len(), 1000);
    let conns: HashSet<u64> = seq.iter().map(|e| e["conn"].as_u64().unwrap()).collect();
    assert_eq!(conns.len(), 1, "one pooled connection for sequential calls");

    thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                for _ in 0..100 {
                    let mut r = agent.get(&url).header("Authorization", "Bearer nope").call().unwrap();
                    assert_eq!(r.status(), 401);
                    r.body_mut().read_to_string().unwrap();
                }
            });
        }
    });
    assert_eq!(log(&agent, &emu).len(), 2600);
}

#[test]
fn faults_as_a_client_sees_them() {
    let emu = Emulator::start(Config { control: true, ..Config::default() }).unwrap();
    let agent = agent();
    let path = format!("/api/v1/memories/status/{DEMO_FAILED_ID}");
    let url = format!("{}{path}", emu.base_url());
    let add = |fault: &str| {
        let body = format!(r#"{{"path":"{path}","fault":{fault}}}"#);
        let r = agent.post(format!("{}/_emulator/faults", emu.base_url())).send(body.as_str()).unwrap();
        assert_eq!(r.status(), 200);
    };
    let call = || agent.get(&url).header("Authorization", "Bearer synap_dev_emulator").call();

    add(r#"{"kind":"truncate"}"#);
    let res = call().and_then(|mut r| r.body_mut().read_to_string());
    assert!(res.is_err(), "a short body must be an error: {res:?}");

    add(r#"{"kind":"drop"}"#);
    assert!(call().is_err());

    add(
        r#"{"kind":"respond","status":429,"headers":{"Retry-After":"3"},"body":"{\"detail\":\"Rate limit exceeded\"}"}"#,
    );
    let r = call().unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");

    assert_eq!(call().unwrap().status(), 200);
}

#[test]
fn body_faults_as_a_client_sees_them() {
    let emu = Emulator::start(Config { control: true, ..Config::default() }).unwrap();
    let agent = agent();
    let url = format!("{}/api/v1/memories/status/{DEMO_FAILED_ID}", emu.base_url());
    let add = |fault: &str| {
        let body = format!(r#"{{"path":"*","fault":{fault}}}"#);
        let r = agent.post(format!("{}/_emulator/faults", emu.base_url())).send(body.as_str()).unwrap();
        assert_eq!(r.status(), 200);
    };
    let call = || agent.get(&url).header("Authorization", "Bearer synap_dev_emulator").call();
    let normal = call().unwrap().body_mut().read_to_string().unwrap();

    for fault in
        [r#"{"kind":"gzip"}"#, r#"{"kind":"chunked","chunk_bytes":2}"#, r#"{"kind":"trickle","interval_ms":0}"#]
    {
        add(fault);
        let mut r = call().unwrap();
        assert_eq!(r.status(), 200, "{fault}");
        assert_eq!(r.body_mut().read_to_string().unwrap(), normal, "{fault}");
    }

    add(r#"{"kind":"endless"}"#);
    let mut r = call().unwrap();
    let mut reader = r.body_mut().with_config().limit(1 << 20).reader();
    let res = std::io::copy(&mut reader, &mut std::io::sink());
    assert!(res.is_err(), "the body must hit the limit: {res:?}");
    assert_eq!(log(&agent, &emu).len(), 5, "every attempt logged");
}
