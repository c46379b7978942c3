//! The log of requests served, for `GET /_emulator/requests`.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::http::Request;

/// Oldest entries are dropped past this, so a long run stays bounded.
const MAX_ENTRIES: usize = 50_000;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Lowercased names; repeated headers joined with ", ".
    pub headers: BTreeMap<String, String>,
    /// The body as text (lossy UTF-8); "" when there was none.
    pub body: String,
    /// Milliseconds since the emulator started, when the request was read.
    pub at_ms: u64,
    /// Which connection carried it (numbered from 0 per emulator), so tests
    /// can see connection reuse.
    pub conn: u64,
}

#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    pub fn record(&mut self, req: &Request, at_ms: u64, conn: u64) {
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &req.headers {
            headers
                .entry(name.clone())
                .and_modify(|v| {
                    v.push_str(", ");
                    v.push_str(value);
                })
                .or_insert_with(|| value.clone());
        }
        if self.entries.len() == MAX_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(LoggedRequest {
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers,
            body: String::from_utf8_lossy(&req.body).into_owned(),
            at_ms,
            conn,
        });
    }

    /// Entries in arrival order, optionally only those for one exact path.
    pub fn list(&self, path: Option<&str>) -> Vec<&LoggedRequest> {
        self.entries.iter().filter(|e| path.is_none_or(|p| e.path == p)).collect()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
