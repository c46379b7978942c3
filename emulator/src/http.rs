//! Just enough HTTP/1.1 on `std::net`: request reading and response bytes.
//!
//! The connection handling is hand-rolled rather than tiny_http because the
//! wire faults need the raw socket: tiny_http gives no way to close a
//! connection without writing a response, keeps reading pipelined requests
//! after a short body, and cannot close live keep-alive connections on
//! shutdown. Parsing the request head is httparse's; this module only frames
//! it (limits, body, keep-alive).

use std::io::{self, BufRead, Read};
use std::time::Duration;

/// Request line plus headers.
const MAX_HEAD_BYTES: usize = 32 * 1024;
const MAX_HEADERS: usize = 100;
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A slow client gets this long per read once a request has begun.
pub(crate) const REQUEST_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// One parsed request. Header names are lowercased; order is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    pub method: String,
    /// The path as sent, without the query; for CONNECT, the `host:port` target.
    pub path: String,
    pub query: Option<String>,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// First value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Whether the client asked for the connection to end after this exchange.
    pub fn wants_close(&self) -> bool {
        let tokens = |name: &str| {
            self.headers
                .iter()
                .filter(|(n, _)| n == "connection")
                .flat_map(|(_, v)| v.split(','))
                .any(|t| t.trim().eq_ignore_ascii_case(name))
        };
        tokens("close") || (self.minor_version == 0 && !tokens("keep-alive"))
    }
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// EOF, timeout or I/O error: close without answering.
    Closed,
    /// Malformed request: answer with this status and message, then close.
    Bad(u16, &'static str),
}

/// The byte source of a connection, with the two side effects parsing needs.
pub(crate) trait Source: BufRead {
    /// Called once the first byte of a request has arrived.
    fn request_started(&mut self) {}
    /// Sends `100 Continue` to a client that waits for it before its body.
    fn send_continue(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Source for &[u8] {}

const BAD_LINE: ReadError = ReadError::Bad(400, "Malformed request line");

/// Reads the next request from a connection, its body included.
#[cfg(test)]
pub(crate) fn read_request<S: Source>(src: &mut S) -> Result<Request, ReadError> {
    let mut req = read_head(src)?;
    req.body = read_body(src, &req)?;
    Ok(req)
}

/// Reads the next request's head; its body, if any, is left in `src`.
pub(crate) fn read_head<S: Source>(src: &mut S) -> Result<Request, ReadError> {
    let mut budget = MAX_HEAD_BYTES;
    let mut head = Vec::new();
    // RFC 9112 2.2: ignore a few empty lines before the request line. They
    // are dropped here so the re-parse below stays cheap.
    for skipped in 0.. {
        head.clear();
        read_line(src, &mut head, &mut budget, 431)?;
        if skipped == 0 {
            src.request_started();
        }
        if !is_blank(&head) {
            break;
        }
        if skipped == 4 {
            return Err(BAD_LINE);
        }
    }
    // Whole lines only, so the pipelined bytes after the head stay in `src`;
    // re-parsing per line answers a bad request line without waiting for more.
    loop {
        if let Some(req) = parse_head(&head)? {
            return Ok(req);
        }
        read_line(src, &mut head, &mut budget, 431)?;
    }
}

/// Parses the head read so far: `None` until its final empty line is in.
fn parse_head(head: &[u8]) -> Result<Option<Request>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    match parsed.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(ReadError::Bad(431, "Too many request headers")),
        Err(httparse::Error::HeaderName | httparse::Error::HeaderValue) => {
            return Err(ReadError::Bad(400, "Malformed header line"));
        }
        // httparse knows only 1.0 and 1.1; another HTTP/x is refused, not junk.
        Err(httparse::Error::Version) if head.split(|&b| b == b' ').nth(2).is_some_and(|v| v.starts_with(b"HTTP/")) => {
            return Err(ReadError::Bad(505, "HTTP Version Not Supported"));
        }
        Err(_) => return Err(BAD_LINE),
    }
    let (Some(method), Some(target), Some(minor_version)) = (parsed.method, parsed.path, parsed.version) else {
        return Err(BAD_LINE);
    };
    let (path, query) = if method == "CONNECT" { (authority(target)?, None) } else { split_target(target)? };
    let headers = parsed
        .headers
        .iter()
        .map(|h| (h.name.to_ascii_lowercase(), String::from_utf8_lossy(h.value).into_owned()))
        .collect();
    Ok(Some(Request { method: method.to_owned(), path, query, minor_version, headers, body: Vec::new() }))
}

/// CONNECT's authority-form target: `host:port`, the host possibly a
/// bracketed IPv6 address.
fn authority(target: &str) -> Result<String, ReadError> {
    let port_ok = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match target.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port_ok(port) && !target.contains(['/', '?', '#', '@']) => {
            Ok(target.to_owned())
        }
        _ => Err(ReadError::Bad(400, "Malformed request target")),
    }
}

/// Accepts origin-form (`/p?q`), absolute-form (`http://h/p`) and `*`.
fn split_target(target: &str) -> Result<(String, Option<String>), ReadError> {
    let rest = if target.starts_with('/') || target == "*" {
        target
    } else if let Some(idx) = target.find("://") {
        let after = &target[idx + 3..];
        match after.find('/') {
            Some(slash) => &after[slash..],
            None => "/",
        }
    } else {
        return Err(ReadError::Bad(400, "Malformed request target"));
    };
    let rest = rest.split('#').next().unwrap_or(rest);
    Ok(match rest.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (rest.to_owned(), None),
    })
}

/// Reads the body of `req` whole (held to [`MAX_BODY_BYTES`]).
pub(crate) fn read_body<S: Source>(src: &mut S, req: &Request) -> Result<Vec<u8>, ReadError> {
    let te: Vec<&str> = values(req, "transfer-encoding");
    if !te.is_empty() {
        if !values(req, "content-length").is_empty() {
            return Err(ReadError::Bad(400, "Both Transfer-Encoding and Content-Length"));
        }
        if te.len() != 1 || !te[0].eq_ignore_ascii_case("chunked") {
            return Err(ReadError::Bad(501, "Unsupported Transfer-Encoding"));
        }
        maybe_continue(src, req)?;
        return read_chunked(src);
    }
    let Some(len) = content_length(req)? else {
        return Ok(Vec::new());
    };
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > MAX_BODY_BYTES {
        return Err(ReadError::Bad(413, "Request body too large"));
    }
    if len > 0 {
        maybe_continue(src, req)?;
    }
    let mut body = vec![0; len];
    src.read_exact(&mut body).map_err(|_| ReadError::Closed)?;
    Ok(body)
}

/// The body length a request announces: `None` without Content-Length;
/// 400 for a malformed or ambiguous one.
pub(crate) fn content_length(req: &Request) -> Result<Option<u64>, ReadError> {
    const BAD_CL: ReadError = ReadError::Bad(400, "Invalid Content-Length");
    let cl: Vec<&str> = values(req, "content-length");
    let Some(first) = cl.first() else {
        return Ok(None);
    };
    if cl.iter().any(|v| v != first) || first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BAD_CL);
    }
    first.parse().map(Some).map_err(|_| BAD_CL)
}

/// All comma-separated values of a header, trimmed.
fn values<'a>(req: &'a Request, name: &str) -> Vec<&'a str> {
    req.headers.iter().filter(|(n, _)| n == name).flat_map(|(_, v)| v.split(',')).map(str::trim).collect()
}

/// Sends `100 Continue` when the client asked to wait for it.
pub(crate) fn maybe_continue<S: Source>(src: &mut S, req: &Request) -> Result<(), ReadError> {
    let expects = req.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    if expects && req.minor_version == 1 {
        src.send_continue().map_err(|_| ReadError::Closed)?;
    }
    Ok(())
}

/// Hand-written: httparse's `parse_chunk_size` needs CRLF and reads an empty
/// size line as the last chunk, and a decoder crate would be a new dependency
/// for these few lines.
fn read_chunked<S: Source>(src: &mut S) -> Result<Vec<u8>, ReadError> {
    const BAD: ReadError = ReadError::Bad(400, "Malformed chunked body");
    let mut body = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        read_line(src, &mut line, &mut 4096, 400)?;
        let size = line.split(|&b| b == b';').next().unwrap_or(&[]).trim_ascii();
        let size = std::str::from_utf8(size)
            .ok()
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|s| usize::from_str_radix(s, 16).ok())
            .ok_or(BAD)?;
        if size == 0 {
            break;
        }
        if body.len() + size > MAX_BODY_BYTES {
            return Err(ReadError::Bad(413, "Request body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        src.read_exact(&mut body[start..]).map_err(|_| ReadError::Closed)?;
        line.clear();
        read_line(src, &mut line, &mut 2, 400)?;
        if !is_blank(&line) {
            return Err(BAD);
        }
    }
    // Trailer fields are read and ignored.
    let mut budget = MAX_HEAD_BYTES;
    loop {
        line.clear();
        read_line(src, &mut line, &mut budget, 431)?;
        if is_blank(&line) {
            return Ok(body);
        }
    }
}

/// Appends one line, LF included, to `buf`, charging it to `budget`. EOF is
/// `Closed`; a line longer than the budget is `too_long`.
fn read_line<S: BufRead>(src: &mut S, buf: &mut Vec<u8>, budget: &mut usize, too_long: u16) -> Result<(), ReadError> {
    let limit = (*budget as u64).saturating_add(1);
    let n = (&mut *src).take(limit).read_until(b'\n', buf).map_err(|_| ReadError::Closed)?;
    if n == 0 || buf.last() != Some(&b'\n') {
        return Err(if n as u64 >= limit {
            ReadError::Bad(too_long, "Request header too large")
        } else {
            ReadError::Closed
        });
    }
    *budget = budget.saturating_sub(n);
    Ok(())
}

fn is_blank(line: &[u8]) -> bool {
    matches!(line, b"\n" | b"\r\n")
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The first value of `name` in a form-encoded query (`+` is a space),
/// decoded; `None` when absent or not UTF-8.
pub(crate) fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| percent_decode(&s.replace('+', " "));
        (decode(key)? == name).then(|| decode(value)).flatten()
    })
}

/// A response before framing; the server adds the standard headers.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response { status, headers: Vec::new(), body: body.into() }
    }

    /// A JSON body from any serializable value.
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Response {
        let body = serde_json::to_vec(value).expect("emulator bodies always serialize");
        Response::new(status, body)
    }

    /// FastAPI's error shape: `{"detail": ...}`.
    pub fn detail(status: u16, detail: &str) -> Response {
        Response::json(status, &serde_json::json!({ "detail": detail }))
    }

    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// Sets a header, replacing any of the same name (case-insensitive).
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
    }

    /// Sets a header unless one of that name is already there.
    pub fn default_header(&mut self, name: &str, value: impl Into<String>) {
        if !self.has_header(name) {
            self.headers.push((name.to_owned(), value.into()));
        }
    }

    /// 1xx, 204 and 304 responses carry no body and no Content-Length.
    pub fn bodiless(&self) -> bool {
        self.status < 200 || self.status == 204 || self.status == 304
    }

    /// Status line and headers, with the body framed as `framing` says.
    pub fn head_bytes(&self, framing: Framing, close: bool) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            let framing = ["content-length", "transfer-encoding", "connection"];
            if framing.iter().any(|f| name.eq_ignore_ascii_case(f)) {
                continue; // framing belongs to the server
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !self.bodiless() {
            match framing {
                Framing::Exact => head.push_str(&format!("Content-Length: {}\r\n", self.body.len())),
                Framing::Length(len) => head.push_str(&format!("Content-Length: {len}\r\n")),
                Framing::Chunked => head.push_str("Transfer-Encoding: chunked\r\n"),
            }
        }
        head.push_str(if close { "Connection: close\r\n" } else { "Connection: keep-alive\r\n" });
        head.push_str("\r\n");
        head.into_bytes()
    }

    /// The whole response; `head_only` for replies to HEAD.
    pub fn to_bytes(&self, head_only: bool, close: bool) -> Vec<u8> {
        let mut out = self.head_bytes(Framing::Exact, close);
        if !head_only && !self.bodiless() {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// How a response head announces its body.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Framing {
    /// `Content-Length` of the real body.
    Exact,
    /// `Content-Length` of this many bytes, whatever the body is (for faults).
    Length(usize),
    /// `Transfer-Encoding: chunked`; the body follows in chunks.
    Chunked,
}

pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        417 => "Expectation Failed",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<Request, ReadError> {
        let mut src = raw.as_bytes();
        read_request(&mut src)
    }

    #[test]
    fn get_with_query_and_headers() {
        let r = parse("GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Thing:  v v \r\n\r\n").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/a/b");
        assert_eq!(r.query.as_deref(), Some("x=1"));
        assert_eq!(r.header("x-thing"), Some("v v"));
        assert!(!r.wants_close());
    }

    #[test]
    fn bare_lf_and_leading_empty_line() {
        let r = parse("\r\nGET / HTTP/1.0\nConnection: keep-alive\n\n").unwrap();
        assert_eq!(r.path, "/");
        assert!(!r.wants_close());
        assert!(parse("GET / HTTP/1.0\r\n\r\n").unwrap().wants_close());
    }

    #[test]
    fn content_length_body() {
        let r = parse("POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcdef").unwrap();
        assert_eq!(r.body, b"abc");
    }

    #[test]
    fn chunked_body() {
        let r =
            parse("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n")
                .unwrap();
        assert_eq!(r.body, b"abcde");
    }

    #[test]
    fn absolute_form() {
        let r = parse("GET http://127.0.0.1:1/health?q HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(r.path, "/health");
    }

    #[test]
    fn connect_authority_form() {
        let r = parse("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n").unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str(), r.query), ("CONNECT", "127.0.0.1:443", None));
        assert_eq!(parse("CONNECT [::1]:8080 HTTP/1.1\r\n\r\n").unwrap().path, "[::1]:8080");
        for bad in ["CONNECT /x HTTP/1.1\r\n\r\n", "CONNECT host HTTP/1.1\r\n\r\n", "CONNECT h:1/p HTTP/1.1\r\n\r\n"] {
            assert!(matches!(parse(bad), Err(ReadError::Bad(400, _))), "{bad}");
        }
    }

    #[test]
    fn chunked_head() {
        let mut r = Response::new(200, "abc");
        r.set_header("Transfer-Encoding", "gzip");
        let head = String::from_utf8(r.head_bytes(Framing::Chunked, false)).unwrap();
        assert_eq!(head, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n");
    }

    #[test]
    fn malformed() {
        assert_eq!(parse(""), Err(ReadError::Closed));
        assert_eq!(parse("GET /"), Err(ReadError::Closed));
        assert!(matches!(parse("GET\r\n\r\n"), Err(ReadError::Bad(400, _))));
        assert!(matches!(parse("GET / HTTP/2\r\n\r\n"), Err(ReadError::Bad(505, _))));
        assert!(matches!(parse("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), Err(ReadError::Bad(400, _))));
        assert!(matches!(parse("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"), Err(ReadError::Bad(400, _))));
        assert!(matches!(parse("GET / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"), Err(ReadError::Bad(413, _))));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(40_000));
        assert!(matches!(parse(&huge), Err(ReadError::Bad(431, _))));
    }

    #[test]
    fn head_edges() {
        // A head cut off by EOF, even at a line end, is a silent close.
        assert_eq!(parse("GET / HTTP/1.1\r\nHost: h\r\n"), Err(ReadError::Closed));
        assert!(matches!(parse("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n"), Err(ReadError::Bad(400, _))));
        assert!(matches!(parse("GET / HTTP/1.2\r\n\r\n"), Err(ReadError::Bad(505, _))));
        assert!(matches!(parse("GET / HTTP/1.1\r\n folded: x\r\n\r\n"), Err(ReadError::Bad(400, _))));
        let many = |n: usize| format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(n));
        assert_eq!(parse(&many(MAX_HEADERS)).unwrap().headers.len(), MAX_HEADERS);
        assert!(matches!(parse(&many(MAX_HEADERS + 1)), Err(ReadError::Bad(431, _))));
        // The next pipelined request stays unread.
        let mut src = &b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"[..];
        assert_eq!(read_request(&mut src).unwrap().path, "/a");
        assert_eq!(read_request(&mut src).unwrap().path, "/b");
    }

    #[test]
    fn header_bytes() {
        // httparse refuses control bytes in values (they were passed through
        // before) but keeps obs-text, which is decoded lossily.
        assert!(matches!(parse("GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n"), Err(ReadError::Bad(400, _))));
        assert!(matches!(parse("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"), Err(ReadError::Bad(400, _))));
        let mut src = &b"GET / HTTP/1.1\r\nX: \xffok\r\n\r\n"[..];
        assert_eq!(read_request(&mut src).unwrap().header("x"), Some("\u{fffd}ok"));
    }

    #[test]
    fn decode() {
        assert_eq!(percent_decode("/a%2Fb%7b").as_deref(), Some("/a/b{"));
        assert_eq!(percent_decode("%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(percent_decode("%ff"), None);
        let q = Some("style=bullet_points&customer_id=acme+co%2F1&flag&x=%ff");
        assert_eq!(query_param(q, "style").as_deref(), Some("bullet_points"));
        assert_eq!(query_param(q, "customer_id").as_deref(), Some("acme co/1"));
        assert_eq!(query_param(q, "flag").as_deref(), Some(""));
        assert_eq!((query_param(q, "x"), query_param(q, "nope"), query_param(None, "style")), (None, None, None));
    }

    #[test]
    fn framing_headers_are_owned_by_the_server() {
        let mut r = Response::new(204, "ignored");
        r.set_header("Content-Length", "5");
        let bytes = String::from_utf8(r.to_bytes(false, true)).unwrap();
        assert_eq!(bytes, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    }
}
