//! What the memory lifecycle routes answer (contract part 2, §6): a memory
//! deleted, a forget request's outcome, and a data deletion's record.
//!
//! Read by the tolerance rules of the context answers (see
//! [`crate::context`]), with one difference where a caller acts on the
//! answer: the fields that say what happened are required. A forget answer
//! without `status`, or a delete answer without `memory_id`, is a
//! `Protocol` error rather than a result that might read as success.

use crate::text::Text;

/// A memory deleted (`DELETE /api/v1/memories/{id}`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeletedMemory {
    /// The memory, as the service names it (required).
    pub memory_id: Option<Text>,
    /// When it was deleted, Unix µs UTC.
    pub deleted_at_us: Option<i64>,
}

impl DeletedMemory {
    /// Reads the response body of `DELETE /api/v1/memories/{memory_id}`
    /// (contract part 2, §6.2). `deleted_at` is `None` when absent, null or
    /// not a timestamp. Fails with
    /// [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) for a body that
    /// is not a JSON object, or whose `memory_id` is absent, null, not a
    /// string or holds a NUL, naming it.
    pub fn from_json(body: &[u8]) -> Result<DeletedMemory, crate::Error> {
        crate::wire::lifecycle::parse_deleted_memory(body)
    }
}

/// What a forget request came to, from its `status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ForgetOutcome {
    /// `nothing_matches`: no memory of the user matched; nothing changed.
    NothingMatches,
    /// `preview`: candidates filed for a person to approve; nothing deleted.
    Preview,
    /// `deleted`: every match was deleted.
    Deleted,
    /// `partial`: the matches are hidden, but a store named in
    /// `still_present_in` may still hold their text.
    Partial,
    /// A status this version does not know: read it as not done.
    Unknown,
}

impl ForgetOutcome {
    /// The outcome a wire `status` names.
    pub fn from_wire(status: &str) -> ForgetOutcome {
        match status {
            "nothing_matches" => ForgetOutcome::NothingMatches,
            "preview" => ForgetOutcome::Preview,
            "deleted" => ForgetOutcome::Deleted,
            "partial" => ForgetOutcome::Partial,
            _ => ForgetOutcome::Unknown,
        }
    }
}

/// A memory a forget request matched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForgetCandidate {
    /// The memory's id.
    pub memory_id: Option<Text>,
    /// Its text.
    pub content: Option<Text>,
    /// Its type (`fact`, `preference`, ...).
    pub memory_type: Option<Text>,
    /// Where it lives: `memory`, `chunk`, `sentence`, `entity`, `triple`,
    /// `profile` or `candidate`.
    pub store: Option<Text>,
}

/// The answer to a forget request (`POST /api/v1/memories/forget`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forgotten {
    /// `nothing_matches`, `preview`, `deleted` or `partial`, as sent
    /// (required).
    pub status: Option<Text>,
    /// The request filed for approval (preview mode).
    pub request_id: Option<Text>,
    /// The memories matched.
    pub candidates: Vec<ForgetCandidate>,
    /// The memories deleted.
    pub deleted_ids: Vec<Text>,
    /// The memories that could not be deleted.
    pub failed_ids: Vec<Text>,
    /// Stores that may still hold the text (a `partial` outcome).
    pub still_present_in: Vec<Text>,
    /// The matcher may have missed some memories.
    pub may_be_incomplete: Option<bool>,
}

impl Forgotten {
    /// Reads the response body of `POST /api/v1/memories/forget` (contract
    /// part 2, §6.3). No default is filled in (a candidate's absent `store`
    /// is `None`); the id lists that are not arrays are empty, and their
    /// elements that are not strings are skipped. Fails with
    /// [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) for a body that
    /// is not a JSON object, `status` absent, null, not a string or holding
    /// a NUL, `candidates` that is not an array or a candidate that is not
    /// an object (`candidates[2] is not an object`).
    pub fn from_json(body: &[u8]) -> Result<Forgotten, crate::Error> {
        crate::wire::lifecycle::parse_forgotten(body)
    }

    /// The outcome `status` names; `Unknown` when it is absent.
    pub fn outcome(&self) -> ForgetOutcome {
        self.status.as_deref().map_or(ForgetOutcome::Unknown, ForgetOutcome::from_wire)
    }
}

/// Where a data deletion stands, from its `status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeletionState {
    /// `in_progress`: still running.
    InProgress,
    /// `complete`: done. Check `fully_removed` too: only it says that no
    /// store holds anything of the target any more.
    Complete,
    /// `partial`: ended, but the stores in `still_present_in` still hold
    /// data of the target.
    Partial,
    /// `dry_run`: nothing was deleted; the counts say what would go.
    DryRun,
    /// Absent or a status this version does not know: read it as not done.
    Unknown,
}

impl DeletionState {
    /// The state a wire `status` names.
    pub fn from_wire(status: &str) -> DeletionState {
        match status {
            "in_progress" => DeletionState::InProgress,
            "complete" => DeletionState::Complete,
            "partial" => DeletionState::Partial,
            "dry_run" => DeletionState::DryRun,
            _ => DeletionState::Unknown,
        }
    }

    /// Whether the deletion has ended (complete, partial or a dry run).
    pub fn is_terminal(self) -> bool {
        matches!(self, DeletionState::Complete | DeletionState::Partial | DeletionState::DryRun)
    }
}

/// A data deletion's record (`POST /v1/data/delete`,
/// `GET /v1/data/delete/{deletion_id}`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataDeletion {
    /// The deletion's id, for its status route (absent on a dry run).
    pub deletion_id: Option<Text>,
    /// `complete`, `partial`, `in_progress` or `dry_run`, as sent.
    pub status: Option<Text>,
    /// `user`, `conversation` or `customer`.
    pub scope: Option<Text>,
    /// Whether this was a dry run.
    pub dry_run: Option<bool>,
    /// Whether the target existed.
    pub found: Option<bool>,
    /// Per store, what was removed (or, on a dry run, would be), in the
    /// order sent; values that are not integers are left out.
    pub counts: Vec<(Text, i64)>,
    /// `stores`, as JSON text, when it is an object.
    pub stores_json: Option<Text>,
    /// Stores that still hold data of the target.
    pub still_present_in: Vec<Text>,
    /// True only when the service says nothing of the target is left.
    pub fully_removed: Option<bool>,
    /// The service asks for the same request again to go on (`continue`).
    pub continues: Option<bool>,
    /// What the deletion keeps on purpose.
    pub kept: Vec<Text>,
    /// A note from the service.
    pub note: Option<Text>,
    /// The audit record's reference.
    pub audit: Option<Text>,
    /// The conversation scope kept the memories made from it.
    pub memories_kept: Option<bool>,
    /// The whole body, keys this version does not read included.
    pub raw_json: Option<Text>,
}

impl DataDeletion {
    /// Reads the response body of `POST /v1/data/delete` or
    /// `GET /v1/data/delete/{deletion_id}` (contract part 2, §6.5, §6.6).
    /// Every field is optional and no default is filled in; `counts` keeps
    /// the stores whose count is an integer, in the order sent; `stores` is
    /// kept as JSON text when it is an object; `raw_json` is the body. Fails
    /// with [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) only for a
    /// body that is not a JSON object.
    pub fn from_json(body: &[u8]) -> Result<DataDeletion, crate::Error> {
        crate::wire::lifecycle::parse_data_deletion(body)
    }

    /// The state `status` names.
    pub fn state(&self) -> DeletionState {
        self.status.as_deref().map_or(DeletionState::Unknown, DeletionState::from_wire)
    }

    /// The removal count of `store`, if the service gave one.
    pub fn count(&self, store: &str) -> Option<i64> {
        self.counts.iter().find(|(name, _)| name.as_str() == store).map(|(_, n)| *n)
    }
}
