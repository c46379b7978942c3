//! `SynapMemoryStatus` and `synap_memories_status()`.

use std::ffi::{CString, c_char};
use std::ptr;

use super::client::SynapClient;
use super::cstr::{arg_ref, arg_str, out_ptr};
use super::error::SynapCode;
use super::guard::{entry, quiet};
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
/// Made by `synap_memories_status()`, freed by `synap_status_free()`.
/// Immutable: any thread may read it. Every string an accessor returns is
/// NUL-terminated UTF-8 owned by the handle: valid until the handle is
/// freed, never freed by the caller. Absent values are NULL, never `""`.
pub struct SynapMemoryStatus {
    status: MemoryStatus,
    ingestion_id: CString,
    document_id: CString,
    state_name: CString,
    error_message: Option<CString>,
}

impl SynapMemoryStatus {
    /// Makes the C strings once, so accessors only lend pointers. The parser
    /// refused any NUL inside server text, so no conversion here can fail
    /// short of a bug; those fall back to empty strings.
    pub(crate) fn new(status: MemoryStatus) -> SynapMemoryStatus {
        let c = |s: &str| CString::new(s).unwrap_or_default();
        SynapMemoryStatus {
            ingestion_id: c(&status.ingestion_id().to_string()),
            document_id: c(status.document_id()),
            state_name: c(status.state().as_str()),
            error_message: status.error_message().map(c),
            status,
        }
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
    entry(|| {
        // SAFETY: pointer contracts are the caller's, as documented above.
        let out = unsafe { out_ptr(out_status, "out_status") }?;
        // SAFETY: as above.
        let client = unsafe { arg_ref(client, "client") }?;
        // SAFETY: as above.
        let id = unsafe { arg_str(ingestion_id, "ingestion_id") }?;
        let status = client.inner.memories_status(id)?;
        *out = Box::into_raw(Box::new(SynapMemoryStatus::new(status)));
        Ok(())
    })
}

/// Frees a status. NULL is ignored. Every string its accessors returned
/// becomes invalid.
///
/// # Safety
/// `status` is NULL or a live handle, freed exactly once and not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_free(status: *mut SynapMemoryStatus) {
    if !status.is_null() {
        // SAFETY: the caller hands back a handle made by this library.
        quiet((), || drop(unsafe { Box::from_raw(status) }));
    }
}

/// Reads a status handle, or returns `fallback` for NULL or a panic.
fn read<T>(status: *const SynapMemoryStatus, fallback: T, get: impl FnOnce(&SynapMemoryStatus) -> T) -> T {
    // SAFETY: every accessor documents that `status` is NULL or live.
    unsafe { super::guard::read(status, fallback, get) }
}

/// The job's ingestion id, canonical lowercase UUID
/// (`"6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"`). NULL if `status` is NULL.
/// Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_ingestion_id(status: *const SynapMemoryStatus) -> *const c_char {
    read(status, ptr::null(), |s| s.ingestion_id.as_ptr())
}

/// The id of the document the job ingests: the caller's own id, or one the
/// server assigned. NULL if `status` is NULL. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_document_id(status: *const SynapMemoryStatus) -> *const c_char {
    read(status, ptr::null(), |s| s.document_id.as_ptr())
}

/// The job's state; `SYNAP_INGEST_UNKNOWN` for a state this version does
/// not know, or if `status` is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_state(status: *const SynapMemoryStatus) -> SynapIngestState {
    read(status, SynapIngestState::SYNAP_INGEST_UNKNOWN, |s| ingest_state(s.status.state()))
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
    read(status, ptr::null(), |s| s.state_name.as_ptr())
}

/// True if the job will not change any more: completed, failed or
/// partial_success. False for queued, processing, an unknown state, or a
/// NULL `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_is_terminal(status: *const SynapMemoryStatus) -> bool {
    read(status, false, |s| s.status.state().is_terminal())
}

/// When the job was queued, in microseconds since the Unix epoch, UTC (a
/// time the server sent without an offset is read as UTC). 0 if `status`
/// is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_queued_at_us(status: *const SynapMemoryStatus) -> i64 {
    read(status, 0, |s| s.status.queued_at_us())
}

/// When processing started, in Unix microseconds, UTC. Returns true and
/// writes `*out_us` if the job has started; returns false and leaves
/// `*out_us` alone if it is still queued, or if either pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle; `out_us` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_started_at_us(status: *const SynapMemoryStatus, out_us: *mut i64) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { write_optional(out_us, read(status, None, |s| s.status.started_at_us())) }
}

/// When processing finished, in Unix microseconds, UTC. Returns true and
/// writes `*out_us` if the job has finished; returns false and leaves
/// `*out_us` alone if it is still in progress, or if either pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle; `out_us` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_completed_at_us(status: *const SynapMemoryStatus, out_us: *mut i64) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { write_optional(out_us, read(status, None, |s| s.status.completed_at_us())) }
}

/// # Safety
/// `out` is NULL or valid for writing one `i64`.
unsafe fn write_optional(out: *mut i64, value: Option<i64>) -> bool {
    match (value, out.is_null()) {
        (Some(v), false) => {
            // SAFETY: checked non-NULL; writable per the caller.
            unsafe { out.write(v) };
            true
        }
        _ => false,
    }
}

/// How many memories the job has produced so far, as the server counts
/// them. 0 if `status` is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_memories_created(status: *const SynapMemoryStatus) -> u64 {
    read(status, 0, |s| s.status.memories_created())
}

/// How many memory ids the status lists (see `synap_status_memory_id()`).
/// 0 if `status` is NULL.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_memory_id_count(status: *const SynapMemoryStatus) -> usize {
    read(status, 0, |s| s.status.memory_ids().len())
}

/// The memory id at `index`, from 0 to `synap_status_memory_id_count() - 1`,
/// in the server's order; NULL past the end or if `status` is NULL. Owned
/// by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_memory_id(status: *const SynapMemoryStatus, index: usize) -> *const c_char {
    read(status, ptr::null(), |s| {
        s.status.memory_ids().get_with_nul(index).map_or(ptr::null(), |id| id.as_ptr().cast())
    })
}

/// What went wrong, for a failed or partially successful job; NULL when the
/// server gave no message, or if `status` is NULL. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live status handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_status_error_message(status: *const SynapMemoryStatus) -> *const c_char {
    read(status, ptr::null(), |s| s.error_message.as_ref().map_or(ptr::null(), |m| m.as_ptr()))
}
