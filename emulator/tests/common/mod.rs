//! A tiny hand-written HTTP/1.1 client, so tests see exactly what is on the wire.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;
use synap_emulator::{Config, DEV_API_KEY, Emulator};

pub const AUTH: (&str, &str) = ("Authorization", "Bearer synap_dev_emulator");

pub fn start() -> Emulator {
    Emulator::start(Config::default()).expect("emulator starts")
}

pub fn start_control() -> Emulator {
    Emulator::start(Config { control: true, ..Config::default() }).expect("emulator starts")
}

pub fn status_path(id: &str) -> String {
    format!("/api/v1/memories/status/{id}")
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

pub struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    pub fn open(emu: &Emulator) -> Conn {
        let stream = TcpStream::connect(emu.addr()).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        Conn { reader: BufReader::new(stream) }
    }

    pub fn reader_mut(&mut self) -> &mut BufReader<TcpStream> {
        &mut self.reader
    }

    pub fn write_raw(&mut self, bytes: &[u8]) {
        self.reader.get_mut().write_all(bytes).expect("write");
    }

    pub fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
        self.write_request(method, path, headers, body);
        self.read_response().expect("a complete response")
    }

    pub fn write_request(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
        for (n, v) in headers {
            req.push_str(&format!("{n}: {v}\r\n"));
        }
        if let Some(b) = body {
            req.push_str(&format!("Content-Length: {}\r\n", b.len()));
        }
        req.push_str("\r\n");
        req.push_str(body.unwrap_or(""));
        self.write_raw(req.as_bytes());
    }

    /// Reads one response framed by Content-Length; `Err` on EOF or a short body.
    pub fn read_response(&mut self) -> std::io::Result<Resp> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 =
            line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("bad status line {line:?}"));
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            self.reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (n, v) = h.split_once(':').expect("header line");
            headers.push((n.to_owned(), v.trim().to_owned()));
        }
        let len = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse::<usize>().unwrap());
        let mut body = vec![0; len];
        if status != 204 && status >= 200 {
            self.reader.read_exact(&mut body)?;
        }
        Ok(Resp { status, headers, body })
    }

    /// Everything the server still sends until it closes.
    pub fn read_to_end(&mut self) -> Vec<u8> {
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest).expect("read to EOF");
        rest
    }
}

/// One request on a fresh connection.
pub fn request(emu: &Emulator, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
    Conn::open(emu).send(method, path, headers, body)
}

pub fn get(emu: &Emulator, path: &str) -> Resp {
    request(emu, "GET", path, &[AUTH], None)
}

pub fn control(emu: &Emulator, name: &str, body: &Value) -> Resp {
    let resp = request(
        emu,
        "POST",
        &format!("/_emulator/{name}"),
        &[("Content-Type", "application/json")],
        Some(&body.to_string()),
    );
    assert_eq!(resp.status, 200, "control {name}: {}", resp.text());
    resp
}

pub fn new_job(emu: &Emulator, body: Value) -> String {
    let resp = control(emu, "jobs", &body);
    resp.json()["ingestion_id"].as_str().unwrap().to_owned()
}

pub fn fault(emu: &Emulator, path: &str, count: u32, fault: Value) {
    control(emu, "faults", &serde_json::json!({ "path": path, "count": count, "fault": fault }));
}

pub fn logged(emu: &Emulator, query: &str) -> Vec<Value> {
    let resp = request(emu, "GET", &format!("/_emulator/requests{query}"), &[], None);
    assert_eq!(resp.status, 200);
    resp.json()["requests"].as_array().unwrap().clone()
}

pub fn assert_no_key(resp: &Resp) {
    assert!(!resp.text().contains(DEV_API_KEY), "key leaked: {}", resp.text());
}
