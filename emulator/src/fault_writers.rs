//! How the faults that shape the bytes on the wire write a response. They
//! write through [`Write`], so they behave the same over TCP and TLS.

use std::io::{self, Write};
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::faults::RawWrite;
use crate::http::{Framing, Response};
use crate::state::StopSignal;

/// Filler for the endless body: inside a JSON string, so a parser can
/// neither finish nor fail until the body ends (it never does).
const FILLER: u8 = b'x';

/// The response with its body gzip-compressed. The server frames it with
/// the compressed length, as a server that compresses on the fly would.
pub(crate) fn gzip(mut resp: Response) -> Response {
    if resp.bodiless() {
        return resp;
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    let compressed = encoder.write_all(&resp.body).and_then(|()| encoder.finish());
    resp.body = compressed.expect("compressing into memory cannot fail");
    resp.set_header("Content-Encoding", "gzip");
    resp
}

/// How a raw write left the connection.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Sent {
    /// The whole response went out, properly framed: the connection may
    /// serve the next request.
    Whole,
    /// Framing is broken, the client went away or the emulator is stopping:
    /// close the connection without another byte.
    Broken,
}

/// Writes `resp` the way `kind` asks. `head_only` for HEAD requests;
/// `close` puts `Connection: close` in the head of well-framed kinds.
pub(crate) fn write(
    kind: RawWrite,
    out: &mut impl Write,
    resp: Response,
    head_only: bool,
    close: bool,
    stop: &StopSignal,
) -> Sent {
    let whole = match kind {
        RawWrite::Truncate => {
            let _ = truncate(out, resp);
            return Sent::Broken;
        }
        RawWrite::Endless { chunk_bytes, interval } => {
            let _ = endless(out, resp, chunk_bytes, interval, head_only, stop);
            return Sent::Broken;
        }
        RawWrite::Chunked { chunk_bytes } => chunked(out, &resp, chunk_bytes, head_only, close),
        RawWrite::Trickle { interval } => trickle(out, &resp.to_bytes(head_only, close), interval, stop),
    };
    if whole.is_ok() { Sent::Whole } else { Sent::Broken }
}

/// 200 announcing the full length, then half the body.
fn truncate(out: &mut impl Write, mut resp: Response) -> io::Result<()> {
    resp.status = 200;
    let full = resp.body.len();
    let mut bytes = resp.head_bytes(Framing::Length(full), false);
    bytes.extend_from_slice(&resp.body[..full / 2]);
    out.write_all(&bytes)?;
    out.flush()
}

/// One flush per chunk, so each leaves in its own segment (TCP_NODELAY is on).
fn chunked(out: &mut impl Write, resp: &Response, chunk_bytes: usize, head_only: bool, close: bool) -> io::Result<()> {
    out.write_all(&resp.head_bytes(Framing::Chunked, close))?;
    out.flush()?;
    if head_only || resp.bodiless() {
        return Ok(());
    }
    for chunk in resp.body.chunks(chunk_bytes) {
        out.write_all(&chunk_frame(chunk))?;
        out.flush()?;
    }
    out.write_all(b"0\r\n\r\n")?;
    out.flush()
}

fn chunk_frame(data: &[u8]) -> Vec<u8> {
    let mut frame = format!("{:x}\r\n", data.len()).into_bytes();
    frame.extend_from_slice(data);
    frame.extend_from_slice(b"\r\n");
    frame
}

fn trickle(out: &mut impl Write, bytes: &[u8], interval: Duration, stop: &StopSignal) -> io::Result<()> {
    for (i, byte) in bytes.iter().enumerate() {
        if i > 0 && !stop.sleep(interval) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        out.write_all(std::slice::from_ref(byte))?;
        out.flush()?;
    }
    Ok(())
}

/// Returns only on a write error (the client left) or shutdown. One filler
/// frame is reused, so memory stays flat however long it runs.
fn endless(
    out: &mut impl Write,
    mut resp: Response,
    chunk_bytes: usize,
    interval: Duration,
    head_only: bool,
    stop: &StopSignal,
) -> io::Result<()> {
    resp.status = 200;
    resp.set_header("Content-Type", "application/json");
    out.write_all(&resp.head_bytes(Framing::Chunked, false))?;
    if head_only {
        return out.flush();
    }
    out.write_all(&chunk_frame(&endless_prefix(&resp.body)))?;
    out.flush()?;
    let filler = chunk_frame(&vec![FILLER; chunk_bytes]);
    while !stop.is_stopped() {
        out.write_all(&filler)?;
        out.flush()?;
        if !interval.is_zero() && !stop.sleep(interval) {
            break;
        }
    }
    Ok(())
}

/// The normal JSON object left open, with a string member that the filler
/// continues: `{"status":"processing","padding":"`.
fn endless_prefix(body: &[u8]) -> Vec<u8> {
    let body = body.trim_ascii();
    match body.strip_suffix(b"}") {
        Some(open) if open.starts_with(b"{") => {
            let mut prefix = open.to_vec();
            if open.trim_ascii() != b"{" {
                prefix.push(b',');
            }
            prefix.extend_from_slice(br#""padding":""#);
            prefix
        }
        _ => br#"{"padding":""#.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(kind: RawWrite, resp: Response, head_only: bool) -> (Sent, String) {
        let mut out = Vec::new();
        let sent = write(kind, &mut out, resp, head_only, false, &StopSignal::default());
        (sent, String::from_utf8(out).unwrap())
    }

    #[test]
    fn chunked_frames_the_body() {
        let (sent, text) = written(RawWrite::Chunked { chunk_bytes: 4 }, Response::new(200, "abcdefghij"), false);
        assert_eq!(sent, Sent::Whole);
        let body = text.split_once("\r\n\r\n").unwrap().1;
        assert_eq!(body, "4\r\nabcd\r\n4\r\nefgh\r\n2\r\nij\r\n0\r\n\r\n");
        let (_, head) = written(RawWrite::Chunked { chunk_bytes: 4 }, Response::new(200, "abcdefghij"), true);
        assert!(head.ends_with("Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"), "{head}");
    }

    #[test]
    fn trickle_writes_the_normal_bytes() {
        let resp = Response::new(200, "{}");
        let (sent, text) = written(RawWrite::Trickle { interval: Duration::ZERO }, resp.clone(), false);
        assert_eq!(sent, Sent::Whole);
        assert_eq!(text.as_bytes(), resp.to_bytes(false, false));
    }

    #[test]
    fn trickle_stops_on_shutdown() {
        let stop = StopSignal::default();
        stop.trigger();
        let mut out = Vec::new();
        let kind = RawWrite::Trickle { interval: Duration::from_secs(60) };
        assert_eq!(write(kind, &mut out, Response::new(200, "{}"), false, false, &stop), Sent::Broken);
        assert_eq!(out, b"H");
    }

    #[test]
    fn endless_prefix_keeps_the_object_open() {
        assert_eq!(endless_prefix(br#"{"status":"failed"}"#), br#"{"status":"failed","padding":""#);
        assert_eq!(endless_prefix(b"{}"), br#"{"padding":""#);
        assert_eq!(endless_prefix(b"<html>"), br#"{"padding":""#);
    }

    #[test]
    fn gzip_round_trips_and_skips_bodiless() {
        let zipped = gzip(Response::new(200, "hello hello hello"));
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&zipped.body[..]), &mut plain).unwrap();
        assert_eq!(plain, "hello hello hello");
        assert!(zipped.has_header("content-encoding"));
        assert!(!gzip(Response::new(204, "")).has_header("content-encoding"));
    }
}
