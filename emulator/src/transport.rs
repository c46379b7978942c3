//! A connection's byte stream, plain TCP or TLS over it, so that request
//! handling and the fault writers are the same for HTTP and HTTPS.

use std::io::{self, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::{ServerConfig, ServerConnection, StreamOwned};

use crate::http::{REQUEST_READ_TIMEOUT, Source};

/// A client gets this long to complete its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Content type of a TLS record carrying a handshake: every ClientHello
/// starts with it, and no HTTP request line does.
const TLS_HANDSHAKE_RECORD: u8 = 0x16;

pub(crate) enum Transport {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
}

impl Transport {
    /// Runs the server side of a TLS handshake on `tcp`, within a deadline.
    pub fn accept_tls(config: &Arc<ServerConfig>, tcp: TcpStream) -> io::Result<Transport> {
        let conn = ServerConnection::new(Arc::clone(config)).map_err(io::Error::other)?;
        let mut tls = StreamOwned::new(conn, tcp);
        let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
        while tls.conn.is_handshaking() {
            // Per read, so a client that dribbles bytes cannot stretch it.
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            tls.sock.set_read_timeout(Some(left))?;
            tls.conn.complete_io(&mut tls.sock)?;
        }
        Ok(Transport::Tls(Box::new(tls)))
    }

    pub fn tcp(&self) -> &TcpStream {
        match self {
            Transport::Plain(tcp) => tcp,
            Transport::Tls(tls) => &tls.sock,
        }
    }

    pub fn is_tls(&self) -> bool {
        matches!(self, Transport::Tls(_))
    }

    /// Ends TLS cleanly (close_notify), so the client can tell a complete
    /// response from a cut connection; plain TCP has nothing to send.
    pub fn close_notify(&mut self) {
        if let Transport::Tls(tls) = self {
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    }

    /// The TCP stream, for a plain connection that is about to start TLS.
    pub fn into_plain(self) -> Option<TcpStream> {
        match self {
            Transport::Plain(tcp) => Some(tcp),
            Transport::Tls(_) => None,
        }
    }
}

/// Whether the client's first byte opens a TLS handshake; `None` if it
/// closed or stayed silent for the handshake timeout.
pub(crate) fn opens_with_tls(tcp: &TcpStream) -> Option<bool> {
    tcp.set_read_timeout(Some(HANDSHAKE_TIMEOUT)).ok()?;
    let mut first = [0u8; 1];
    match tcp.peek(&mut first) {
        Ok(1) => Some(first[0] == TLS_HANDSHAKE_RECORD),
        _ => None,
    }
}

impl Read for Transport {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(tcp) => tcp.read(buf),
            Transport::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Transport {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Transport::Plain(tcp) => tcp.write(buf),
            Transport::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Transport::Plain(tcp) => tcp.flush(),
            Transport::Tls(tls) => tls.flush(),
        }
    }
}

impl Source for BufReader<Transport> {
    fn request_started(&mut self) {
        let _ = self.get_ref().tcp().set_read_timeout(Some(REQUEST_READ_TIMEOUT));
    }

    fn send_continue(&mut self) -> io::Result<()> {
        let out = self.get_mut();
        out.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        out.flush()
    }
}
