//! `SynapMemoryStatus` and `synap_memories_status()`.

use std::ffi::{CStr, CString, c_char};

use super::client::SynapClient;
use super::cstr::{arg, c_opt_string, c_string, string};
use super::error::SynapCode;
use super::guard::{Handle, free, get, optional, produce, text};
use crate::error::Error;
use crate::{IngestState, MemoryStatus};

/// An ingestion job's state. `SYNAP_INGEST_UNKNOWN` is a state this version
/// of libsynap does not know; `synap_status_state_name()` gives it as sent.
///
/// New states are only added at the end.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapIngestState {
    /// A state this version does not know (or a NULL status handle).
    SYNAP_INGEST_UNKNOWN = 0,
    /// `"queued"`: accepted, not yet picked up.
    SYNAP_INGEST_QUEUED = 1,
    /// `"processing"`: in the pipeline.
    SYNAP_INGEST_PROCESSING = 2,
    /// `"completed"`: every stage succeeded. Terminal.
    SYNAP_INGEST_COMPLETED = 3,
    /// `"failed"`: processing failed; see `synap_status_error_message()`.
    /// Terminal.
    SYNAP_INGEST_FAILED = 4,
    /// `"partial_success"`: some extractions failed; see
    /// `synap_status_error_message()`. Terminal.
    SYNAP_INGEST_PARTIAL_SUCCESS = 5,
}

/// One ingestion job's status, as `memories.status` returned it.
///
/// Made by `synap_memories_status()` and `synap_memories_wait()`, freed by
/// `synap_status_free()`; or lent, as a `const SynapMemoryStatus *`, by
/// `synap_wait_all_status()` and `synap_wait_progress_status()`, and then
/// owned by the lender and never freed on its own.
/// Immutable: any thread may read it. Every string an accessor returns is
/// NUL-terminated UTF-8 owned by the handle: valid until the handle is
/// freed, never freed by the caller. Absent values are NULL, never `""`.
pub struct SynapMemoryStatus {
    status: MemoryStatus,
    ingestion_id: CString,
    document_id: CString,
    state_name: CString,
    error_message: Option<CString>,
    lent: bool,
}

impl Handle for SynapMemoryStatus {
    const NAME: &'static str = "SynapMemoryStatus";

    fn is_lent(&self) -> bool {
        self.lent
    }
}

impl SynapMemoryStatus {
    /// Makes the C strings once, so accessors only lend pointers.
    pub(crate) fn owned(status: MemoryStatus) -> Result<SynapMemoryStatus, Error> {
        Ok(SynapMemoryStatus {
            ingestion_id: c_string(&status.ingestion_id().to_string(), "ingestion_id")?,
            document_id: c_string(status.document_id(), "document_id")?,
            state_name: c_string(status.state().as_str(), "status")?,
            error_message: c_opt_string(status.error_message(), "error_message")?,
            status,
            lent: false,
        })
    }

    /// A status another handle keeps and lends.
    pub(crate) fn lent(status: MemoryStatus) -> Result<SynapMemoryStatus, Error> {
        Ok(SynapMemoryStatus { lent: true, ..SynapMemoryStatus::owned(status)? })
    }
}

/// Asks the service how far the ingestion job `ingestion_id` has come
/// (`GET /api/v1/memories/status/{ingestion_id}`).
///
/// - `client`: from `synap_client_new()`; may be shared with other threads.
/// - `ingestion_id`: the job's UUID as returned when it was created, in any
///   case, with or without hyphens. Anything else is refused before a
///   request is made. Sent in canonical lowercase form.
/// - `out_status`: receives the status on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_status_free()`.
///
/// A failed job is a status (`SYNAP_INGEST_FAILED`), not an error. Returns
/// `SYNAP_OK` or any failure code: `SYNAP_INVALID_ARGUMENT` (NULL or bad
/// argument), `SYNAP_AUTH`, `SYNAP_NOT_FOUND` (unknown id), `SYNAP_TIMEOUT`,
/// `SYNAP_NETWORK`, `SYNAP_PROTOCOL` and the other HTTP codes; the
/// `synap_last_error_*` functions give the details. Blocks the calling
/// thread for at most the request timeout.
///
/// # Safety
/// `client` is NULL or a live client; `ingestion_id` is NULL or a
/// NUL-terminated string; `out_status` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_status(
    client: *const SynapClient,
    ingestion_id: *const c_char,
    out_status: *mut *mut SynapMemoryStatus,
) -> SynapCode {
    produce(out_status, "out_status", || {
        let client = arg(client, "client")?;
        SynapMemoryStatus::owned(client.inner.memories_status(string(ingestion_id, "ingestion_id")?)?)
    })
}

/// Frees a status. NULL is ignored, and so is a status lent by another
/// handle (a wait-all result's, a progress report's): that one is freed
/// with its owner, and the refusal is logged at `SYNAP_LOG_ERROR`. Every
/// string its accessors returned becomes invalid.
///
/// # Safety
/// `status` is NULL or a live handle, freed exactly once and not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_free(status: *mut SynapMemoryStatus) {
    free(status)
}

/// The job's ingestion id, canonical lowercase UUID
/// (`"6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"`). NULL if `status` is NULL.
/// Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_ingestion_id(status: *const SynapMemoryStatus) -> *const c_char {
    text(status, |s| &s.ingestion_id)
}

/// The id of the document the job ingests: the caller's own id, or one the
/// server assigned. NULL if `status` is NULL. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_document_id(status: *const SynapMemoryStatus) -> *const c_char {
    text(status, |s| &s.document_id)
}

/// The job's state; `SYNAP_INGEST_UNKNOWN` for a state this version does
/// not know, or if `status` is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_state(status: *const SynapMemoryStatus) -> SynapIngestState {
    get(status, SynapIngestState::SYNAP_INGEST_UNKNOWN, |s| ingest_state(s.status.state()))
}

/// The C value of a state.
pub(crate) fn ingest_state(state: &IngestState) -> SynapIngestState {
    match state {
        IngestState::Queued => SynapIngestState::SYNAP_INGEST_QUEUED,
        IngestState::Processing => SynapIngestState::SYNAP_INGEST_PROCESSING,
        IngestState::Completed => SynapIngestState::SYNAP_INGEST_COMPLETED,
        IngestState::Failed => SynapIngestState::SYNAP_INGEST_FAILED,
        IngestState::PartialSuccess => SynapIngestState::SYNAP_INGEST_PARTIAL_SUCCESS,
        IngestState::Unknown(_) => SynapIngestState::SYNAP_INGEST_UNKNOWN,
    }
}

/// The state exactly as the server sent it, e.g. `"partial_success"`; the
/// way to see a state reported as `SYNAP_INGEST_UNKNOWN`. NULL if `status`
/// is NULL. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_state_name(status: *const SynapMemoryStatus) -> *const c_char {
    text(status, |s| &s.state_name)
}

/// True if the job will not change any more: completed, failed or
/// partial_success. False for queued, processing, an unknown state, or a
/// NULL `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_is_terminal(status: *const SynapMemoryStatus) -> bool {
    get(status, false, |s| s.status.state().is_terminal())
}

/// When the job was queued, in microseconds since the Unix epoch, UTC (a
/// time the server sent without an offset is read as UTC). 0 if `status`
/// is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_queued_at_us(status: *const SynapMemoryStatus) -> i64 {
    get(status, 0, |s| s.status.queued_at_us())
}

/// When processing started, in Unix microseconds, UTC. Returns true and
/// writes `*out_us` if the job has started; returns false and leaves
/// `*out_us` alone if it is still queued, or if either pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle; `out_us` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_started_at_us(status: *const SynapMemoryStatus, out_us: *mut i64) -> bool {
    optional(status, out_us, |s| s.status.started_at_us())
}

/// When processing finished, in Unix microseconds, UTC. Returns true and
/// writes `*out_us` if the job has finished; returns false and leaves
/// `*out_us` alone if it is still in progress, or if either pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle; `out_us` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_completed_at_us(status: *const SynapMemoryStatus, out_us: *mut i64) -> bool {
    optional(status, out_us, |s| s.status.completed_at_us())
}

/// How many memories the job has produced so far, as the server counts
/// them. 0 if `status` is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_memories_created(status: *const SynapMemoryStatus) -> u64 {
    get(status, 0, |s| s.status.memories_created())
}

/// How many memory ids the status lists (see `synap_status_memory_id()`).
/// 0 if `status` is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_memory_id_count(status: *const SynapMemoryStatus) -> usize {
    get(status, 0, |s| s.status.memory_ids().len())
}

/// The memory id at `index`, from 0 to `synap_status_memory_id_count() - 1`,
/// in the server's order; NULL past the end or if `status` is NULL. Owned
/// by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_memory_id(status: *const SynapMemoryStatus, index: usize) -> *const c_char {
    text(status, |s| {
        s.status.memory_ids().get_with_nul(index).and_then(|id| CStr::from_bytes_with_nul(id.as_bytes()).ok())
    })
}

/// What went wrong, for a failed or partially successful job; NULL when the
/// server gave no message, or if `status` is NULL. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_error_message(status: *const SynapMemoryStatus) -> *const c_char {
    text(status, |s| &s.error_message)
}
