//! A tiny hand-written HTTP/1.1 client, so tests see exactly what is on the wire.
#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use serde_json::Value;
use synap_emulator::{Config, DEV_API_KEY, Emulator, TestPki};

pub const AUTH: (&str, &str) = ("Authorization", "Bearer synap_dev_emulator");

pub fn start() -> Emulator {
    Emulator::start(Config::default()).expect("emulator starts")
}

pub fn start_control() -> Emulator {
    Emulator::start(Config { control: true, ..Config::default() }).expect("emulator starts")
}

/// A CA and certificate for the loopback names.
pub fn pki() -> TestPki {
    TestPki::generate(&["localhost", "127.0.0.1", "::1"]).expect("test PKI")
}

/// An HTTPS emulator with control on, and the PKI it serves from.
pub fn start_https(config: Config) -> (Emulator, TestPki) {
    let pki = pki();
    let emu = Emulator::start(Config { control: true, tls: Some(pki.identity()), ..config }).expect("emulator starts");
    (emu, pki)
}

/// A rustls client trusting only `ca_pem`, on the ring provider.
pub fn tls_client_config(ca_pem: &str) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// A ureq agent trusting only `ca_pem`, reporting statuses instead of failing on them.
pub fn ureq_trusting(ca_pem: &str) -> ureq::Agent {
    let ca = ureq::tls::Certificate::from_pem(ca_pem.as_bytes()).unwrap();
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&[ca])).build();
    ureq::Agent::config_builder().http_status_as_error(false).proxy(None).tls_config(tls).build().into()
}

/// Whatever the connection carries: plain TCP or a TLS client stream.
pub trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

pub fn status_path(id: &str) -> String {
    format!("/api/v1/memories/status/{id}")
}

pub const CREATE: &str = "/api/v1/memories/create";
pub const BATCH: &str = "/api/v1/memories/batch";

pub fn memory_path(id: &str) -> String {
    format!("/api/v1/memories/{id}")
}

/// A control-enabled emulator whose created jobs finish at once.
pub fn start_instant() -> Emulator {
    Emulator::start(Config {
        control: true,
        create_processing_after_ms: 0,
        create_done_after_ms: 0,
        ..Config::default()
    })
    .expect("emulator starts")
}

/// An authorized JSON POST.
pub fn post(emu: &Emulator, path: &str, body: &Value) -> Resp {
    request(emu, "POST", path, &[AUTH, ("Content-Type", "application/json")], Some(&body.to_string()))
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Chunk sizes, for a chunked body.
    pub chunks: Vec<usize>,
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
    reader: BufReader<Box<dyn Stream>>,
}

fn tcp(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

impl Conn {
    pub fn open(emu: &Emulator) -> Conn {
        Conn::over(tcp(emu.addr()))
    }

    /// A connection carrying `stream`, e.g. one a CONNECT opened.
    pub fn over(stream: impl Stream + 'static) -> Conn {
        Conn { reader: BufReader::new(Box::new(stream)) }
    }

    /// A TLS connection trusting `ca_pem`, checking the certificate for `name`.
    pub fn open_tls(emu: &Emulator, ca_pem: &str, name: &str) -> Conn {
        Conn::over(tls_stream(tcp(emu.addr()), ca_pem, name))
    }

    pub fn reader_mut(&mut self) -> &mut BufReader<Box<dyn Stream>> {
        &mut self.reader
    }

    pub fn write_raw(&mut self, bytes: &[u8]) {
        let stream = self.reader.get_mut();
        stream.write_all(bytes).and_then(|()| stream.flush()).expect("write");
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
        let header = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        if header("transfer-encoding") == Some("chunked") {
            let (body, chunks) = self.read_chunked()?;
            return Ok(Resp { status, headers, body, chunks });
        }
        let len = header("content-length").map_or(0, |v| v.parse::<usize>().unwrap());
        let mut body = vec![0; len];
        if status != 204 && status >= 200 {
            self.reader.read_exact(&mut body)?;
        }
        Ok(Resp { status, headers, body, chunks: Vec::new() })
    }

    fn read_chunked(&mut self) -> io::Result<(Vec<u8>, Vec<usize>)> {
        let (mut body, mut chunks) = (Vec::new(), Vec::new());
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim_end(), 16).expect("chunk size line");
            let mut crlf = [0; 2];
            if size == 0 {
                self.reader.read_exact(&mut crlf)?;
                assert_eq!(&crlf, b"\r\n", "no trailers expected");
                return Ok((body, chunks));
            }
            let start = body.len();
            body.resize(start + size, 0);
            self.reader.read_exact(&mut body[start..])?;
            self.reader.read_exact(&mut crlf)?;
            assert_eq!(&crlf, b"\r\n");
            chunks.push(size);
        }
    }

    /// Everything the server still sends until it closes.
    pub fn read_to_end(&mut self) -> Vec<u8> {
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest).expect("read to EOF");
        rest
    }

    /// Everything until the connection ends, and how it ended: over TLS an
    /// end without close_notify is an `UnexpectedEof` error.
    pub fn read_until_close(&mut self) -> (Vec<u8>, io::Result<usize>) {
        let mut rest = Vec::new();
        let end = self.reader.read_to_end(&mut rest);
        (rest, end)
    }
}

/// A TLS client over `tcp`, trusting `ca_pem`, for server name `name`.
pub fn tls_stream(tcp: TcpStream, ca_pem: &str, name: &str) -> StreamOwned<ClientConnection, TcpStream> {
    let name = ServerName::try_from(name.to_owned()).unwrap();
    let conn = ClientConnection::new(tls_client_config(ca_pem), name).unwrap();
    StreamOwned::new(conn, tcp)
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
