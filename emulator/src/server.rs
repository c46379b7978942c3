//! The listener, one thread per connection, and a bounded shutdown.

use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::config::Config;
use crate::control;
use crate::faults::{self, Plan, RawWrite};
use crate::http::{self, ReadError, Request, Response};
use crate::routes;
use crate::state::{RATE_LIMIT, State, lock};

/// Beyond this many open connections new ones get a 503 and are closed.
const MAX_CONNECTIONS: usize = 512;
/// An idle keep-alive connection is closed after this (the SDK's pool keeps
/// connections 300 s; closing earlier would make clients see stale sockets).
const IDLE_TIMEOUT: Duration = Duration::from_secs(310);
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long `shutdown` waits for threads before leaving them detached.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// How long a closing connection drains unread client bytes, so the kernel
/// sends FIN rather than a reset that could destroy the response in flight.
const LINGER: Duration = Duration::from_millis(200);

/// A running emulator. Stops on [`Emulator::shutdown`] or drop.
pub struct Emulator {
    addr: SocketAddr,
    running: Option<Running>,
}

struct Running {
    state: Arc<State>,
    conns: Arc<Connections>,
    acceptor: JoinHandle<()>,
}

impl Emulator {
    /// Binds `config.host:config.port`, starts serving in background threads
    /// and returns once the socket is listening.
    pub fn start(config: Config) -> io::Result<Emulator> {
        let listener = TcpListener::bind((config.host, config.port))?;
        let addr = connectable(listener.local_addr()?);
        let state = Arc::new(State::new(config));
        let conns = Arc::new(Connections::default());
        let acceptor = thread::Builder::new().name("synap-emu-accept".into()).spawn({
            let state = Arc::clone(&state);
            let conns = Arc::clone(&conns);
            move || accept_loop(listener, &state, &conns)
        })?;
        Ok(Emulator { addr, running: Some(Running { state, conns, acceptor }) })
    }

    /// The address to connect to (loopback when bound to an unspecified address).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (IPv6 hosts in brackets), no trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, closes every connection and joins the threads,
    /// waiting at most about two seconds in all. Dropping does the same.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(running) = self.running.take() else {
            return;
        };
        running.state.stop.trigger();
        // accept() has no timeout: a connection of our own wakes it.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(500));
        let deadline = Instant::now() + SHUTDOWN_GRACE;
        join_by(running.acceptor, deadline);
        for handle in running.conns.close_all() {
            join_by(handle, deadline);
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator").field("addr", &self.addr).finish()
    }
}

fn connectable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// Joins a thread unless it is still running at `deadline`; then it is left
/// detached, so shutdown stays bounded.
fn join_by(handle: JoinHandle<()>, deadline: Instant) {
    while !handle.is_finished() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(2));
    }
    if handle.is_finished() {
        let _ = handle.join();
    }
}

/// Open connections: a clone of each socket (to close it from outside) and
/// the thread serving it.
#[derive(Default)]
struct Connections {
    inner: Mutex<ConnectionsInner>,
}

#[derive(Default)]
struct ConnectionsInner {
    next_id: u64,
    streams: HashMap<u64, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

impl Connections {
    fn spawn(self: &Arc<Self>, stream: TcpStream, state: &Arc<State>) {
        let mut inner = lock(&self.inner);
        inner.threads.retain(|h| !h.is_finished());
        if inner.streams.len() >= MAX_CONNECTIONS {
            drop(inner);
            refuse_busy(stream, state);
            return;
        }
        let Ok(clone) = stream.try_clone() else {
            return;
        };
        let id = inner.next_id;
        inner.next_id += 1;
        inner.streams.insert(id, clone);
        let spawned = thread::Builder::new().name("synap-emu-conn".into()).spawn({
            let state = Arc::clone(state);
            let conns = Arc::clone(self);
            move || {
                serve(&state, stream, id);
                lock(&conns.inner).streams.remove(&id);
            }
        });
        match spawned {
            Ok(handle) => inner.threads.push(handle),
            Err(_) => {
                inner.streams.remove(&id);
            }
        }
    }

    /// Closes every socket (unblocking their threads) and hands back the threads.
    fn close_all(&self) -> Vec<JoinHandle<()>> {
        let mut inner = lock(&self.inner);
        for stream in inner.streams.values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        std::mem::take(&mut inner.threads)
    }
}

fn accept_loop(listener: TcpListener, state: &Arc<State>, conns: &Arc<Connections>) {
    for stream in listener.incoming() {
        if state.stop.is_stopped() {
            break;
        }
        match stream {
            Ok(stream) => conns.spawn(stream, state),
            // Out of descriptors and the like: back off instead of spinning.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn refuse_busy(mut stream: TcpStream, state: &State) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let mut resp = Response::detail(503, "Too many connections");
    decorate(state, None, &mut resp, Instant::now());
    let _ = stream.write_all(&resp.to_bytes(false, true));
    linger_close(&stream);
}

/// What to do with one request.
enum Action {
    Send(Response),
    Raw(RawWrite, Response),
    Close,
}

/// Serves one connection; `conn` is its number, shown in the request log.
fn serve(state: &State, stream: TcpStream, conn: u64) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut reader = BufReader::new(stream);
    while !state.stop.is_stopped() {
        let _ = reader.get_ref().set_read_timeout(Some(IDLE_TIMEOUT));
        let req = match http::read_request(&mut reader) {
            Ok(req) => req,
            Err(ReadError::Closed) => break,
            Err(ReadError::Bad(status, msg)) => {
                let mut resp = Response::detail(status, msg);
                decorate(state, None, &mut resp, Instant::now());
                let _ = reader.get_mut().write_all(&resp.to_bytes(false, true));
                linger_close(reader.get_ref());
                return;
            }
        };
        let t0 = Instant::now();
        let mut stream = reader.get_ref();
        match dispatch(state, &req, conn) {
            Action::Send(mut resp) => {
                decorate(state, req.header("x-correlation-id"), &mut resp, t0);
                let close = req.wants_close() || state.stop.is_stopped();
                let bytes = resp.to_bytes(req.method == "HEAD", close);
                if stream.write_all(&bytes).is_err() {
                    break;
                }
                if close {
                    linger_close(stream);
                    return;
                }
            }
            Action::Raw(kind, mut resp) => {
                decorate(state, req.header("x-correlation-id"), &mut resp, t0);
                faults::write_raw(kind, stream, resp);
                return;
            }
            Action::Close => break,
        }
    }
    let _ = reader.get_ref().shutdown(Shutdown::Both);
}

fn dispatch(state: &State, req: &Request, conn: u64) -> Action {
    if state.config.control && control::is_control_path(&req.path) {
        return Action::Send(control::handle(state, req));
    }
    if state.config.control {
        let at_ms = u64::try_from(state.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        lock(&state.log).record(req, at_ms, conn);
    }
    let fault = lock(&state.faults).take(&req.path);
    match fault.map_or(Plan::Normal, |f| f.plan(&state.stop)) {
        Plan::Normal => Action::Send(routes::handle(state, req)),
        Plan::Replace(resp) => Action::Send(resp),
        Plan::Raw(kind) => Action::Raw(kind, routes::handle(state, req)),
        Plan::Close => Action::Close,
    }
}

/// Adds the headers every response carries, unless a fault already set them.
fn decorate(state: &State, correlation: Option<&str>, resp: &mut Response, t0: Instant) {
    let correlation = correlation
        .filter(|c| !c.is_empty() && c.bytes().all(|b| (0x20..0x7f).contains(&b)))
        .map_or_else(|| Uuid::new_v4().hyphenated().to_string(), str::to_owned);
    let (remaining, reset) = state.count_request();
    resp.default_header("Content-Type", "application/json");
    resp.default_header("X-Correlation-Id", correlation);
    resp.default_header("X-RateLimit-Limit", RATE_LIMIT.to_string());
    resp.default_header("X-RateLimit-Remaining", remaining.to_string());
    resp.default_header("X-RateLimit-Reset", reset.to_string());
    resp.default_header("x-synap-server-ms", t0.elapsed().as_millis().to_string());
    resp.default_header("Server", concat!("synap-emulator/", env!("CARGO_PKG_VERSION")));
}

/// Half-closes, drains what the client still sends for a moment, then closes.
fn linger_close(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(LINGER));
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    let deadline = Instant::now() + LINGER;
    let mut s = stream;
    while drained < http::MAX_BODY_BYTES && Instant::now() < deadline {
        match s.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}
