//! Serving one connection: TLS or plain, the request loop with keep-alive,
//! CONNECT tunnels, faults, and closing.

use std::io::{BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::control;
use crate::fault_writers::{self, Sent};
use crate::faults::{Plan, RawWrite};
use crate::http::{self, ReadError, Request, Response};
use crate::routes;
use crate::state::{RATE_LIMIT, State, lock};
use crate::transport::{self, Transport};
use crate::upload;

/// An idle keep-alive connection is closed after this (the SDK's pool keeps
/// connections 300 s; closing earlier would make clients see stale sockets).
const IDLE_TIMEOUT: Duration = Duration::from_secs(310);
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a closing connection drains unread client bytes, so the kernel
/// sends FIN rather than a reset that could destroy the response in flight.
const LINGER: Duration = Duration::from_millis(200);
/// The whole answer to an accepted CONNECT: a 2xx to CONNECT has no body
/// and must not announce one.
const ESTABLISHED: &[u8] = b"HTTP/1.1 200 Connection established\r\n\r\n";

/// Serves one connection; `conn` is its number, shown in the request log.
pub(crate) fn serve(state: &State, tcp: TcpStream, conn: u64) {
    let _ = tcp.set_nodelay(true);
    let _ = tcp.set_write_timeout(Some(WRITE_TIMEOUT));
    // On failure the socket stays open only until this thread ends and the
    // registry drops its clone, i.e. at once.
    let Some(mut transport) = open(state, tcp) else {
        return;
    };
    loop {
        match serve_requests(state, transport, conn) {
            End::Closed => return,
            End::Tunnel(tcp) => match state.tls.as_ref().map(|tls| Transport::accept_tls(tls, tcp)) {
                Some(Ok(tls)) => transport = tls,
                _ => return,
            },
        }
    }
}

/// The connection as the client opened it. On an HTTPS port plain bytes
/// are served only in proxy mode (a CONNECT before its tunnel); otherwise,
/// like a failed handshake, they end the connection without an answer.
fn open(state: &State, tcp: TcpStream) -> Option<Transport> {
    let Some(tls) = &state.tls else {
        return Some(Transport::Plain(tcp));
    };
    match transport::opens_with_tls(&tcp) {
        Some(true) => Transport::accept_tls(tls, tcp).ok(),
        Some(false) if state.config.proxy => Some(Transport::Plain(tcp)),
        _ => {
            // A FIN, not the reset that closing on unread bytes would send.
            linger_close(&mut Transport::Plain(tcp));
            None
        }
    }
}

enum End {
    Closed,
    /// A CONNECT was accepted on a plain connection to an HTTPS emulator:
    /// TLS starts now, inside the tunnel.
    Tunnel(TcpStream),
}

/// What to do with one request.
enum Action {
    Send(Response),
    /// Answer, then close whatever the client asked.
    Refuse(Response),
    Raw(RawWrite, Response),
    Tunnel,
    Close,
}

fn serve_requests(state: &State, transport: Transport, conn: u64) -> End {
    let tunnel_only = state.tls.is_some() && !transport.is_tls();
    let mut reader = BufReader::new(transport);
    while !state.stop.is_stopped() {
        let _ = reader.get_ref().tcp().set_read_timeout(Some(IDLE_TIMEOUT));
        let mut req = match http::read_head(&mut reader) {
            Ok(req) => req,
            Err(ReadError::Closed) => break,
            Err(ReadError::Bad(status, msg)) => return refuse_unreadable(state, reader.get_mut(), status, msg),
        };
        if tunnel_only && req.method != "CONNECT" {
            break;
        }
        // An upload's body is streamed by its handler; any other is read here.
        let streamed = upload::streams(&req);
        if !streamed {
            match http::read_body(&mut reader, &req) {
                Ok(body) => req.body = body,
                Err(ReadError::Closed) => break,
                Err(ReadError::Bad(status, msg)) => return refuse_unreadable(state, reader.get_mut(), status, msg),
            }
        }
        let t0 = Instant::now();
        let head_only = req.method == "HEAD";
        let over_tls = reader.get_ref().is_tls();
        let mut body_read = !streamed;
        let action = if streamed {
            dispatch(state, &req, conn, over_tls, &mut || upload::receive(state, &req, &mut reader, &mut body_read))
        } else {
            dispatch(state, &req, conn, over_tls, &mut || Some(routes::handle(state, &req)))
        };
        // Unread body bytes would be taken for the next request.
        let close = req.wants_close() || state.stop.is_stopped() || !body_read;
        let out = reader.get_mut();
        match action {
            Action::Send(mut resp) => {
                decorate(state, req.header("x-correlation-id"), &mut resp, t0);
                let bytes = resp.to_bytes(head_only, close);
                if close {
                    send_and_close(out, &bytes);
                    return End::Closed;
                }
                if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                    break;
                }
            }
            Action::Refuse(mut resp) => {
                decorate(state, req.header("x-correlation-id"), &mut resp, t0);
                send_and_close(out, &resp.to_bytes(head_only, true));
                return End::Closed;
            }
            Action::Raw(kind, mut resp) => {
                decorate(state, req.header("x-correlation-id"), &mut resp, t0);
                match fault_writers::write(kind, out, resp, head_only, close, &state.stop) {
                    Sent::Whole if !close => {}
                    Sent::Whole => {
                        linger_close(out);
                        return End::Closed;
                    }
                    Sent::Broken => break,
                }
            }
            Action::Tunnel => {
                if out.write_all(ESTABLISHED).and_then(|()| out.flush()).is_err() {
                    break;
                }
                if tunnel_only {
                    // A client waits for the 200 before its ClientHello;
                    // bytes sent earlier would be lost to the handshake.
                    if !reader.buffer().is_empty() {
                        break;
                    }
                    return reader.into_inner().into_plain().map_or(End::Closed, End::Tunnel);
                }
            }
            Action::Close => break,
        }
    }
    // Abrupt on purpose: no close_notify, as for a dropped connection.
    let _ = reader.get_ref().tcp().shutdown(Shutdown::Both);
    End::Closed
}

/// Answers a request whose head or body could not be read, and closes.
fn refuse_unreadable(state: &State, out: &mut Transport, status: u16, msg: &'static str) -> End {
    let mut resp = Response::detail(status, msg);
    decorate(state, None, &mut resp, Instant::now());
    send_and_close(out, &resp.to_bytes(false, true));
    End::Closed
}

/// What to do with a request: control, CONNECT, or a route's answer from
/// `handle` as a pending fault shapes it. `handle` gives `None` when the
/// client went away mid-body.
fn dispatch(
    state: &State,
    req: &Request,
    conn: u64,
    over_tls: bool,
    handle: &mut dyn FnMut() -> Option<Response>,
) -> Action {
    if state.config.control && control::is_control_path(&req.path) {
        return Action::Send(control::handle(state, req));
    }
    if state.config.control {
        let at_ms = u64::try_from(state.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        lock(&state.log).record(req, at_ms, conn);
    }
    if req.method == "CONNECT" {
        return connect(state, over_tls);
    }
    let fault = lock(&state.faults).take(&req.path);
    match fault.map_or(Plan::Normal, |f| f.plan(&state.stop)) {
        Plan::Normal => handle().map_or(Action::Close, Action::Send),
        Plan::Replace(resp) => Action::Send(resp),
        Plan::Gzip => handle().map_or(Action::Close, |resp| Action::Send(fault_writers::gzip(resp))),
        Plan::Raw(kind) => handle().map_or(Action::Close, |resp| Action::Raw(kind, resp)),
        Plan::Close => Action::Close,
        Plan::HandleThenClose(silence) => {
            drop(handle());
            // An early wake-up means shutdown: close all the same.
            state.stop.sleep(silence);
            Action::Close
        }
    }
}

/// CONNECT opens a tunnel back to this emulator, in proxy mode and on a
/// plain connection only (a tunnel inside TLS, an HTTPS proxy, is not
/// offered). Faults never apply to it.
fn connect(state: &State, over_tls: bool) -> Action {
    if state.config.proxy && !over_tls {
        return Action::Tunnel;
    }
    let mut resp = Response::detail(405, "Method Not Allowed");
    resp.set_header("Allow", "GET, HEAD, POST");
    Action::Refuse(resp)
}

/// Adds the headers every response carries, unless a fault already set them.
pub(crate) fn decorate(state: &State, correlation: Option<&str>, resp: &mut Response, t0: Instant) {
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

/// Sends a last response, then closes gracefully.
pub(crate) fn send_and_close(out: &mut Transport, bytes: &[u8]) {
    if out.write_all(bytes).and_then(|()| out.flush()).is_ok() {
        linger_close(out);
    } else {
        let _ = out.tcp().shutdown(Shutdown::Both);
    }
}

/// Ends TLS cleanly, half-closes, drains what the client still sends for a
/// moment, then closes.
fn linger_close(out: &mut Transport) {
    out.close_notify();
    let tcp = out.tcp();
    let _ = tcp.shutdown(Shutdown::Write);
    let _ = tcp.set_read_timeout(Some(LINGER));
    let mut sink = [0u8; 4096];
    let mut drained = 0;
    let deadline = Instant::now() + LINGER;
    let mut raw = tcp;
    while drained < http::MAX_BODY_BYTES && Instant::now() < deadline {
        match raw.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
    let _ = tcp.shutdown(Shutdown::Both);
}
