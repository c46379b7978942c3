//! Connection handling: keep-alive, pipelining, concurrency, framing errors, shutdown.

mod common;

use std::io::Read;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use synap_emulator::{DEMO_FAILED_ID, Emulator};

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let emu = start();
    let mut c = Conn::open(&emu);
    for i in 0..50 {
        let path = if i % 2 == 0 { "/health".to_owned() } else { status_path(DEMO_FAILED_ID) };
        let r = c.send("GET", &path, &[AUTH], None);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("connection"), Some("keep-alive"));
    }
}

#[test]
fn connection_close_is_honoured() {
    let emu = start();
    let mut c = Conn::open(&emu);
    let r = c.send("GET", "/health", &[("Connection", "close")], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("connection"), Some("close"));
    assert!(c.read_to_end().is_empty());
}

#[test]
fn http_1_0_closes_unless_keep_alive() {
    let emu = start();
    let mut c = Conn::open(&emu);
    c.write_raw(b"GET /health HTTP/1.0\r\n\r\n");
    assert_eq!(c.read_response().unwrap().status, 200);
    assert!(c.read_to_end().is_empty());
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let emu = start();
    let mut c = Conn::open(&emu);
    c.write_raw(
        b"GET /health HTTP/1.1\r\nX-Correlation-ID: one\r\n\r\nGET /nope HTTP/1.1\r\nX-Correlation-ID: two\r\n\r\n",
    );
    let a = c.read_response().unwrap();
    let b = c.read_response().unwrap();
    assert_eq!((a.status, a.header("x-correlation-id")), (200, Some("one")));
    assert_eq!((b.status, b.header("x-correlation-id")), (404, Some("two")));
}

#[test]
fn expect_100_continue() {
    let emu = start();
    let mut c = Conn::open(&emu);
    c.write_raw(b"POST /v1/telemetry/batch HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    let interim = c.read_response().unwrap();
    assert_eq!(interim.status, 100);
    c.write_raw(b"{}");
    assert_eq!(c.read_response().unwrap().status, 202);
}

#[test]
fn malformed_requests_get_an_error_and_a_close() {
    let emu = start();
    for (raw, status) in [
        (&b"NOT A REQUEST LINE AT ALL\r\n\r\n"[..], 400),
        (b"GET / HTTP/2.0\r\n\r\n", 505),
        (b"POST /v1/telemetry/batch HTTP/1.1\r\nContent-Length: zz\r\n\r\n", 400),
        (b"POST /v1/telemetry/batch HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413),
        (b"POST /v1/telemetry/batch HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    ] {
        let mut c = Conn::open(&emu);
        c.write_raw(raw);
        let r = c.read_response().unwrap();
        assert_eq!(r.status, status, "{}", String::from_utf8_lossy(raw));
        assert!(r.json()["detail"].is_string());
        assert!(c.read_to_end().is_empty());
    }
}

#[test]
fn sixteen_concurrent_connections_with_one_delayed() {
    let emu = start_control();
    fault(&emu, "/api/v1/auth/whoami", 1, json!({"kind": "delay", "ms": 1500}));
    let barrier = Barrier::new(16);
    let t0 = Instant::now();
    thread::scope(|s| {
        let slow = s.spawn(|| {
            let r = get(&emu, "/api/v1/auth/whoami");
            (r.status, t0.elapsed())
        });
        thread::sleep(Duration::from_millis(50));
        let fast: Vec<_> = (0..16)
            .map(|_| {
                s.spawn(|| {
                    let mut c = Conn::open(&emu);
                    barrier.wait();
                    for _ in 0..10 {
                        let r = c.send("GET", &status_path(DEMO_FAILED_ID), &[AUTH], None);
                        assert_eq!(r.status, 200);
                    }
                    t0.elapsed()
                })
            })
            .collect();
        for h in fast {
            let done = h.join().unwrap();
            assert!(done < Duration::from_millis(1200), "blocked behind the delay: {done:?}");
        }
        let (status, done) = slow.join().unwrap();
        assert_eq!(status, 200);
        assert!(done >= Duration::from_millis(1500));
    });
}

#[test]
fn many_emulators_at_once() {
    let emus: Vec<Emulator> = (0..4).map(|_| start_control()).collect();
    let id = new_job(&emus[0], json!({}));
    for (i, emu) in emus.iter().enumerate() {
        assert_eq!(request(emu, "GET", "/health", &[], None).status, 200);
        let expect = if i == 0 { 200 } else { 404 };
        assert_eq!(get(emu, &status_path(&id)).status, expect);
    }
    let ports: std::collections::HashSet<u16> = emus.iter().map(|e| e.addr().port()).collect();
    assert_eq!(ports.len(), 4);
    assert!(emus[0].base_url().starts_with("http://127.0.0.1:"));
}

#[test]
fn shutdown_is_bounded_with_a_delay_in_flight() {
    let emu = start_control();
    fault(&emu, "/health", 1, json!({"kind": "delay", "ms": 30000}));
    let mut idle = Conn::open(&emu);
    assert_eq!(idle.send("GET", "/api/v1/auth/whoami", &[AUTH], None).status, 200);
    let mut delayed = Conn::open(&emu);
    delayed.write_request("GET", "/health", &[], None);
    thread::sleep(Duration::from_millis(100));
    let addr = emu.addr();

    let t0 = Instant::now();
    emu.shutdown();
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    // Both connections are closed, and nothing listens any more.
    assert!(delayed.read_to_end().is_empty());
    let mut rest = Vec::new();
    let _ = idle.reader_mut().read_to_end(&mut rest);
    assert!(rest.is_empty());
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err());
}

#[test]
fn drop_stops_the_emulator() {
    let addr = {
        let emu = start();
        emu.addr()
    };
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err());
}
