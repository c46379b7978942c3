//! The listener, one thread per connection, and a bounded shutdown.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::connection::{self, decorate, send_and_close};
use crate::http::Response;
use crate::state::{State, lock};
use crate::transport::Transport;

/// Beyond this many open connections new ones get a 503 (on plain HTTP)
/// and are closed.
const MAX_CONNECTIONS: usize = 512;
/// How long `shutdown` waits for threads before leaving them detached.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// A running emulator. Stops on [`Emulator::shutdown`] or drop.
pub struct Emulator {
    addr: SocketAddr,
    https: bool,
    running: Option<Running>,
}

struct Running {
    state: Arc<State>,
    conns: Arc<Connections>,
    acceptor: JoinHandle<()>,
}

impl Emulator {
    /// Binds `config.host:config.port`, starts serving in background threads
    /// and returns once the socket is listening. Fails also for a TLS
    /// identity that rustls refuses.
    pub fn start(config: Config) -> io::Result<Emulator> {
        let tls = config.tls.as_ref().map(|identity| identity.server_config()).transpose()?;
        let https = tls.is_some();
        let listener = TcpListener::bind((config.host, config.port))?;
        let addr = connectable(listener.local_addr()?);
        let state = Arc::new(State::new(config, tls));
        let conns = Arc::new(Connections::default());
        let acceptor = thread::Builder::new().name("synap-emu-accept".into()).spawn({
            let state = Arc::clone(&state);
            let conns = Arc::clone(&conns);
            move || accept_loop(listener, &state, &conns)
        })?;
        Ok(Emulator { addr, https, running: Some(Running { state, conns, acceptor }) })
    }

    /// The address to connect to (loopback when bound to an unspecified address).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, or `https://` with TLS on (IPv6 hosts in
    /// brackets), no trailing slash.
    pub fn base_url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
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
        f.debug_struct("Emulator").field("addr", &self.addr).field("https", &self.https).finish()
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
                connection::serve(&state, stream, id);
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

/// A plain-HTTP client gets a 503; a TLS one is just closed, as answering
/// would need a handshake on the accepting thread.
fn refuse_busy(stream: TcpStream, state: &State) {
    if state.tls.is_some() {
        let _ = stream.shutdown(Shutdown::Both);
        return;
    }
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let mut resp = Response::detail(503, "Too many connections");
    decorate(state, None, &mut resp, Instant::now());
    send_and_close(&mut Transport::Plain(stream), &resp.to_bytes(false, true));
}
