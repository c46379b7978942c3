//! `MemoryStatus`: one ingestion job's progress, as `memories.status` returns it.

use std::fmt;

use uuid::Uuid;

/// The state of an ingestion job.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IngestState {
    /// Accepted, not yet picked up.
    Queued,
    /// In the pipeline.
    Processing,
    /// Every stage succeeded. Terminal.
    Completed,
    /// Processing failed; see the error message. Terminal.
    Failed,
    /// Some extractions failed; see the error message. Terminal.
    PartialSuccess,
    /// A value this version does not know, kept exactly as the server sent it.
    Unknown(String),
}

impl IngestState {
    /// Reads the wire value; anything but the five known lowercase values is
    /// `Unknown`, so a newer server cannot break an older client.
    pub fn from_wire(value: &str) -> IngestState {
        match value {
            "queued" => IngestState::Queued,
            "processing" => IngestState::Processing,
            "completed" => IngestState::Completed,
            "failed" => IngestState::Failed,
            "partial_success" => IngestState::PartialSuccess,
            other => IngestState::Unknown(other.to_owned()),
        }
    }

    /// The wire value (for `Unknown`, the string the server sent).
    pub fn as_str(&self) -> &str {
        match self {
            IngestState::Queued => "queued",
            IngestState::Processing => "processing",
            IngestState::Completed => "completed",
            IngestState::Failed => "failed",
            IngestState::PartialSuccess => "partial_success",
            IngestState::Unknown(raw) => raw,
        }
    }

    /// True for `Completed`, `Failed` and `PartialSuccess`: the job will not
    /// change any more. An unknown state is not terminal.
    pub fn is_terminal(&self) -> bool {
        matches!(self, IngestState::Completed | IngestState::Failed | IngestState::PartialSuccess)
    }
}

impl fmt::Display for IngestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ids of the memories a job produced, in the server's order.
///
/// Stored as one buffer of NUL-terminated strings, so that a status with
/// 100k ids costs two allocations and the C API can lend each id out as a
/// `const char *` without copying.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryIds {
    buf: String,
    starts: Vec<usize>,
}

impl MemoryIds {
    pub(crate) fn push(&mut self, id: &str) {
        debug_assert!(!id.contains('\0'));
        self.starts.push(self.buf.len());
        self.buf.push_str(id);
        self.buf.push('\0');
    }

    /// How many ids there are.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when the job has produced no memory yet.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The id at `index`, or `None` past the end.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.get_with_nul(index).map(|s| &s[..s.len() - 1])
    }

    /// The id at `index` followed by its NUL terminator.
    pub(crate) fn get_with_nul(&self, index: usize) -> Option<&str> {
        let start = *self.starts.get(index)?;
        let end = self.starts.get(index + 1).copied().unwrap_or(self.buf.len());
        Some(&self.buf[start..end])
    }

    /// Iterates over the ids in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }
}

/// One ingestion job's progress: the nine fields of `memories.status`.
///
/// Timestamps are Unix microseconds, UTC; a timestamp the server sent without
/// an offset is read as UTC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryStatus {
    pub(crate) ingestion_id: Uuid,
    pub(crate) document_id: String,
    pub(crate) state: IngestState,
    pub(crate) queued_at_us: i64,
    pub(crate) started_at_us: Option<i64>,
    pub(crate) completed_at_us: Option<i64>,
    pub(crate) memories_created: u64,
    pub(crate) memory_ids: MemoryIds,
    pub(crate) error_message: Option<String>,
}

impl MemoryStatus {
    /// Parses a `memories.status` response body, as the client does: unknown
    /// fields are ignored, a missing or ill-typed required field is an
    /// [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) error naming it.
    pub fn from_json(body: &[u8]) -> Result<MemoryStatus, crate::Error> {
        crate::wire::parse_status(body)
    }

    /// The ingestion job's id.
    pub fn ingestion_id(&self) -> Uuid {
        self.ingestion_id
    }

    /// The document this job ingests (the caller's id or one the server gave).
    pub fn document_id(&self) -> &str {
        &self.document_id
    }

    /// Where the job is.
    pub fn state(&self) -> &IngestState {
        &self.state
    }

    /// When the job was queued.
    pub fn queued_at_us(&self) -> i64 {
        self.queued_at_us
    }

    /// When processing started; `None` while queued.
    pub fn started_at_us(&self) -> Option<i64> {
        self.started_at_us
    }

    /// When processing finished; `None` while in progress.
    pub fn completed_at_us(&self) -> Option<i64> {
        self.completed_at_us
    }

    /// How many memories the job has produced so far, as the server counts them.
    pub fn memories_created(&self) -> u64 {
        self.memories_created
    }

    /// The ids of the memories produced so far.
    pub fn memory_ids(&self) -> &MemoryIds {
        &self.memory_ids
    }

    /// What went wrong, for `Failed` and `PartialSuccess` jobs.
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }
}
