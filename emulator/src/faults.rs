//! Scripted wire faults: what they are and the queue that holds them. The
//! writers of those that shape the bytes on the wire are in `fault_writers`.
//!
//! To add a kind: a `Fault` variant (its JSON shape, checked in
//! [`Fault::validate`]), a `Plan` for it in [`Fault::plan`], and, if it needs
//! raw control of the connection, a `RawWrite` variant with its writer in
//! `fault_writers::write`. Every kind works over TLS as over plain TCP.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

use crate::http::{MAX_BODY_BYTES, Response};
use crate::state::StopSignal;

/// Path value that matches every non-control request.
pub(crate) const ANY_PATH: &str = "*";
/// Longest delay a fault may ask for (keeps a typo from wedging a test run).
const MAX_DELAY_MS: u64 = 600_000;
/// Small, so even a short body is cut into several chunks.
const DEFAULT_CHUNK_BYTES: usize = 7;
const DEFAULT_ENDLESS_CHUNK_BYTES: usize = 16 * 1024;
const DEFAULT_TRICKLE_MS: u64 = 10;

// Kinds without fields are empty structs: serde ignores unknown fields on
// unit variants, and a typo must not pass unnoticed.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Fault {
    /// Answer with this status, headers and verbatim body.
    Respond {
        status: u16,
        #[serde(default)]
        headers: BTreeMap<String, serde_json::Value>,
        #[serde(default)]
        body: String,
    },
    /// Sleep, then handle the request normally.
    Delay { ms: u64 },
    /// 200 with a body that is not JSON.
    Garbage {},
    /// 200 announcing the full body length, half the body sent, then close.
    Truncate {},
    /// Close the connection without sending a byte.
    Drop {},
    /// Handle the request (a write is applied), then close the connection
    /// without sending a byte: the client cannot tell whether it was.
    HandleThenDrop {},
    /// Handle the request, then send nothing for `ms` (a client's read
    /// times out first), then close.
    HandleThenStall { ms: u64 },
    /// The normal response with its body gzip-compressed
    /// (`Content-Encoding: gzip`, the compressed length).
    Gzip {},
    /// The normal response, its body sent with `Transfer-Encoding: chunked`
    /// in chunks of at most `chunk_bytes`.
    Chunked {
        #[serde(default = "default_chunk_bytes")]
        chunk_bytes: usize,
    },
    /// 200 with a chunked JSON body that never ends: the start of the normal
    /// body, then string filler in `chunk_bytes` chunks, `interval_ms` apart,
    /// until the client closes or the emulator stops.
    Endless {
        #[serde(default = "default_endless_chunk_bytes")]
        chunk_bytes: usize,
        #[serde(default)]
        interval_ms: u64,
    },
    /// The normal response, head and body, one byte every `interval_ms`.
    Trickle {
        #[serde(default = "default_trickle_ms")]
        interval_ms: u64,
    },
}

fn default_chunk_bytes() -> usize {
    DEFAULT_CHUNK_BYTES
}

fn default_endless_chunk_bytes() -> usize {
    DEFAULT_ENDLESS_CHUNK_BYTES
}

fn default_trickle_ms() -> u64 {
    DEFAULT_TRICKLE_MS
}

/// What the server does with a request that met a fault.
pub(crate) enum Plan {
    /// Handle normally.
    Normal,
    /// Send this response instead of the normal one.
    Replace(Response),
    /// Handle normally, then gzip the body.
    Gzip,
    /// Handle normally, then write the response through a faulty writer.
    Raw(RawWrite),
    /// Close the connection at once (also used when shutting down mid-delay).
    Close,
    /// Handle normally, discard the response, stay silent this long, close.
    HandleThenClose(Duration),
}

/// Writers that control the bytes on the wire themselves.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RawWrite {
    Truncate,
    Chunked { chunk_bytes: usize },
    Endless { chunk_bytes: usize, interval: Duration },
    Trickle { interval: Duration },
}

impl Fault {
    /// Checks values that serde cannot; the message goes back to the caller.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Fault::Respond { status, headers, .. } => {
                // 1xx would be an interim response with no final one after it.
                if !(200..=999).contains(status) {
                    return Err(format!("status {status} must be a 3-digit status of at least 200"));
                }
                for (name, value) in headers {
                    header_value(value)
                        .filter(|v| !v.contains(['\r', '\n']))
                        .ok_or_else(|| format!("header {name:?} needs a one-line string or number"))?;
                    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
                    if name.is_empty() || !name.bytes().all(token) {
                        return Err(format!("{name:?} is not a header name"));
                    }
                }
                Ok(())
            }
            Fault::Delay { ms } | Fault::HandleThenStall { ms } if *ms > MAX_DELAY_MS => {
                Err(format!("ms must be at most {MAX_DELAY_MS}"))
            }
            Fault::Chunked { chunk_bytes } | Fault::Endless { chunk_bytes, .. }
                if !(1..=MAX_BODY_BYTES).contains(chunk_bytes) =>
            {
                Err(format!("chunk_bytes must be 1 to {MAX_BODY_BYTES}"))
            }
            Fault::Endless { interval_ms, .. } | Fault::Trickle { interval_ms } if *interval_ms > MAX_DELAY_MS => {
                Err(format!("interval_ms must be at most {MAX_DELAY_MS}"))
            }
            _ => Ok(()),
        }
    }

    /// Turns the fault into a plan; a delay sleeps here.
    pub fn plan(self, stop: &StopSignal) -> Plan {
        match self {
            Fault::Respond { status, headers, body } => {
                let mut resp = Response::new(status, body);
                for (name, value) in &headers {
                    if let Some(v) = header_value(value) {
                        resp.set_header(name, v);
                    }
                }
                Plan::Replace(resp)
            }
            Fault::Delay { ms } => {
                if stop.sleep(Duration::from_millis(ms)) {
                    Plan::Normal
                } else {
                    Plan::Close
                }
            }
            Fault::Garbage {} => Plan::Replace(Response::new(200, "<html>this is not json")),
            Fault::Truncate {} => Plan::Raw(RawWrite::Truncate),
            Fault::Drop {} => Plan::Close,
            Fault::HandleThenDrop {} => Plan::HandleThenClose(Duration::ZERO),
            Fault::HandleThenStall { ms } => Plan::HandleThenClose(Duration::from_millis(ms)),
            Fault::Gzip {} => Plan::Gzip,
            Fault::Chunked { chunk_bytes } => Plan::Raw(RawWrite::Chunked { chunk_bytes }),
            Fault::Endless { chunk_bytes, interval_ms } => {
                Plan::Raw(RawWrite::Endless { chunk_bytes, interval: Duration::from_millis(interval_ms) })
            }
            Fault::Trickle { interval_ms } => {
                Plan::Raw(RawWrite::Trickle { interval: Duration::from_millis(interval_ms) })
            }
        }
    }
}

fn header_value(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Pending faults, applied in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    path: String,
    remaining: u32,
    fault: Fault,
}

impl FaultQueue {
    pub fn push(&mut self, path: String, count: u32, fault: Fault) {
        self.entries.push(Entry { path, remaining: count, fault });
    }

    /// The fault for a request to `path`, if one is pending; uses it up.
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        let idx = self.entries.iter().position(|e| e.path == ANY_PATH || e.path == path)?;
        let entry = &mut self.entries[idx];
        entry.remaining -= 1;
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            self.entries.remove(idx);
        }
        Some(fault)
    }

    pub fn pending(&self) -> usize {
        self.entries.len()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(json: &str) -> Result<Fault, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn shapes() {
        assert!(matches!(
            fault(r#"{"kind":"respond","status":503,"headers":{"Retry-After":2}}"#).unwrap(),
            Fault::Respond { status: 503, .. }
        ));
        assert!(matches!(fault(r#"{"kind":"delay","ms":5}"#).unwrap(), Fault::Delay { ms: 5 }));
        assert!(matches!(fault(r#"{"kind":"drop"}"#).unwrap(), Fault::Drop {}));
        assert!(matches!(fault(r#"{"kind":"handle_then_drop"}"#).unwrap(), Fault::HandleThenDrop {}));
        let stall = fault(r#"{"kind":"handle_then_stall","ms":50}"#).unwrap();
        assert!(matches!(stall, Fault::HandleThenStall { ms: 50 }) && stall.validate().is_ok());
        assert!(fault(r#"{"kind":"handle_then_stall"}"#).is_err());
        assert!(fault(r#"{"kind":"handle_then_stall","ms":600001}"#).unwrap().validate().is_err());
        assert!(fault(r#"{"kind":"handle_then_drop","ms":5}"#).is_err());
        assert!(fault(r#"{"kind":"explode"}"#).is_err());
        assert!(fault(r#"{"kind":"delay","ms":5,"extra":1}"#).is_err());
        let bad = fault(r#"{"kind":"respond","status":503,"headers":{"A":"x\r\nB: y"}}"#).unwrap();
        assert!(bad.validate().is_err());
        assert!(fault(r#"{"kind":"respond","status":42}"#).unwrap().validate().is_err());
    }

    #[test]
    fn body_shaping_shapes_and_defaults() {
        assert!(matches!(fault(r#"{"kind":"gzip"}"#).unwrap(), Fault::Gzip {}));
        assert!(matches!(fault(r#"{"kind":"chunked"}"#).unwrap(), Fault::Chunked { chunk_bytes: 7 }));
        assert!(matches!(fault(r#"{"kind":"chunked","chunk_bytes":3}"#).unwrap(), Fault::Chunked { chunk_bytes: 3 }));
        assert!(matches!(
            fault(r#"{"kind":"endless"}"#).unwrap(),
            Fault::Endless { chunk_bytes: 16384, interval_ms: 0 }
        ));
        assert!(matches!(fault(r#"{"kind":"trickle"}"#).unwrap(), Fault::Trickle { interval_ms: 10 }));
        assert!(matches!(fault(r#"{"kind":"trickle","interval_ms":0}"#).unwrap(), Fault::Trickle { interval_ms: 0 }));
        assert!(fault(r#"{"kind":"gzip","level":9}"#).is_err());
        assert!(fault(r#"{"kind":"drop","after_ms":9}"#).is_err());
        assert!(fault(r#"{"kind":"chunked","chunk_bytes":-1}"#).is_err());
        for bad in [
            r#"{"kind":"chunked","chunk_bytes":0}"#,
            r#"{"kind":"endless","chunk_bytes":2000000}"#,
            r#"{"kind":"endless","interval_ms":600001}"#,
            r#"{"kind":"trickle","interval_ms":600001}"#,
        ] {
            assert!(fault(bad).unwrap().validate().is_err(), "{bad}");
        }
        assert!(fault(r#"{"kind":"endless","chunk_bytes":1,"interval_ms":600000}"#).unwrap().validate().is_ok());
    }

    #[test]
    fn queue_order_counts_and_wildcard() {
        let mut q = FaultQueue::default();
        q.push("/a".into(), 2, Fault::Garbage {});
        q.push("/a".into(), 1, Fault::Drop {});
        q.push(ANY_PATH.into(), 1, Fault::Truncate {});
        assert!(matches!(q.take("/a"), Some(Fault::Garbage {})));
        assert!(matches!(q.take("/b"), Some(Fault::Truncate {})));
        assert!(matches!(q.take("/a"), Some(Fault::Garbage {})));
        assert!(matches!(q.take("/a"), Some(Fault::Drop {})));
        assert!(q.take("/a").is_none());
        assert_eq!(q.pending(), 0);
    }
}
