//! What an upload received, kept for `GET /_emulator/uploads`: sizes and
//! FNV-1a 64 hashes instead of contents, so a test can check that a large
//! file arrived intact without the emulator holding it.

use std::collections::BTreeMap;

use serde::Serialize;

/// Leading bytes of an upload kept to make its memory from.
pub(crate) const KEPT_BYTES: usize = 64 * 1024;
/// Oldest records are dropped past this.
const MAX_RECORDS: usize = 10_000;

/// FNV-1a, 64 bits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    pub fn update(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }

    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// A file or text as it streamed in: its size, hash and first bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Received {
    pub bytes: u64,
    pub hash: Fnv1a64,
    /// At most [`KEPT_BYTES`] + 1, so "more than kept" can be told.
    pub head: Vec<u8>,
}

impl Received {
    pub fn push(&mut self, chunk: &[u8]) {
        self.bytes += chunk.len() as u64;
        self.hash.update(chunk);
        let room = (KEPT_BYTES + 1).saturating_sub(self.head.len());
        self.head.extend_from_slice(&chunk[..room.min(chunk.len())]);
    }

    /// The whole of it as text, when it is UTF-8 of at most [`KEPT_BYTES`].
    pub fn as_text(&self) -> Option<&str> {
        if self.head.len() > KEPT_BYTES {
            return None;
        }
        std::str::from_utf8(&self.head).ok()
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct UploadRecord {
    pub user_id: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: u64,
    pub fnv1a64: String,
    /// `multipart` or `urlencoded`.
    pub encoding: &'static str,
    /// The form's other fields (not the file, not the text).
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Default)]
pub(crate) struct UploadLog {
    records: Vec<UploadRecord>,
}

impl UploadLog {
    pub fn record(&mut self, record: UploadRecord) {
        if self.records.len() == MAX_RECORDS {
            self.records.remove(0);
        }
        self.records.push(record);
    }

    pub fn list(&self) -> &[UploadRecord] {
        &self.records
    }

    pub fn clear(&mut self) {
        self.records.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_known_values() {
        let hash = |s: &[u8]| {
            let mut h = Fnv1a64::default();
            h.update(s);
            h.hex()
        };
        assert_eq!(hash(b""), "cbf29ce484222325");
        assert_eq!(hash(b"a"), "af63dc4c8601ec8c");
        assert_eq!(hash(b"foobar"), "85944171f73967e8");
    }

    #[test]
    fn received_keeps_the_head_and_hashes_all() {
        let mut r = Received::default();
        r.push(b"hello ");
        r.push(b"world");
        assert_eq!((r.bytes, r.as_text()), (11, Some("hello world")));
        let mut whole = Fnv1a64::default();
        whole.update(b"hello world");
        assert_eq!(r.hash.hex(), whole.hex());
        r.push(&vec![b'x'; KEPT_BYTES]);
        assert_eq!((r.head.len(), r.as_text()), (KEPT_BYTES + 1, None));
        let mut bad = Received::default();
        bad.push(&[0xff, 0xfe]);
        assert_eq!(bad.as_text(), None);
    }
}
