//! `synap_memories_wait_all()` and the `SynapWaitAllResults` it returns.

use std::ffi::{CString, c_char, c_void};
use std::ptr;
use std::time::Duration;

use super::client::SynapClient;
use super::cstr::{arg_ref, arg_str, out_ptr};
use super::error::SynapCode;
use super::guard::{entry, quiet, read};
use super::status::SynapMemoryStatus;
use super::wait::SynapCancel;
use crate::error::Error;
use crate::{DEFAULT_POLL_INTERVAL, WaitAllOptions, WaitCounts};

/// How many jobs of a `synap_memories_wait_all()` are in each state.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SynapWaitCounts {
    /// Not polled yet.
    pub pending: usize,
    /// Last seen queued.
    pub queued: usize,
    /// Last seen processing (or in a state this version does not know).
    pub processing: usize,
    /// Finished: completed.
    pub completed: usize,
    /// Finished: failed.
    pub failed: usize,
    /// Finished: partial_success.
    pub partial_success: usize,
    /// Ended by an error: a malformed id, or a status error after retries.
    pub errors: usize,
}

impl From<&WaitCounts> for SynapWaitCounts {
    fn from(c: &WaitCounts) -> Self {
        SynapWaitCounts {
            pending: c.pending,
            queued: c.queued,
            processing: c.processing,
            completed: c.completed,
            failed: c.failed,
            partial_success: c.partial_success,
            errors: c.errors,
        }
    }
}

/// Called by `synap_memories_wait_all()` on the calling thread after every
/// change, with the counts per state (borrowed for the call). Return true to
/// go on, false to stop: jobs not finished yet end with `SYNAP_CANCELLED`.
pub type SynapWaitAllProgressFn =
    Option<unsafe extern "C" fn(counts: *const SynapWaitCounts, user_data: *mut c_void) -> bool>;

/// The outcome of `synap_memories_wait_all()`: one result per id, in the
/// order given. Freed by `synap_wait_all_free()`; immutable.
pub struct SynapWaitAllResults {
    results: Vec<Outcome>,
    counts: SynapWaitCounts,
}

struct Outcome {
    code: SynapCode,
    status: Option<SynapMemoryStatus>,
    message: Option<CString>,
}

/// Waits for many ingestion jobs at once, polling at most `max_in_flight`
/// of them at a time, until every job is completed, failed or
/// partial_success or has an error, or `timeout_ms` passes, or the wait is
/// cancelled.
///
/// - `ingestion_ids`: `count` ids. A malformed one is that job's
///   `SYNAP_INVALID_ARGUMENT`; a NULL or non-UTF-8 one fails the call.
/// - `timeout_ms`: the most the whole wait may take; must be greater than 0.
/// - `poll_interval_ms`: pause between a job's answer and its next poll; 0
///   means 2000.
/// - `max_in_flight`: status requests at once, 1 to 64.
/// - `progress`, `user_data`: NULL, or called on this thread with counts
///   per state, once before any poll and then after every change (the last
///   call sees every change); returning false stops the wait.
/// - `cancel`: NULL, or a handle another thread may trigger to stop it.
/// - `out_results`: receives the results on `SYNAP_OK`; set to NULL on
///   entry. Free them with `synap_wait_all_free()`.
///
/// Returns `SYNAP_OK` whenever the wait ran, whatever became of each job:
/// read each job's code with `synap_wait_all_code()` (`SYNAP_TIMEOUT` for a
/// job still running at the deadline, `SYNAP_CANCELLED` if the wait was
/// stopped first). Fails with `SYNAP_INVALID_ARGUMENT` only for bad
/// arguments. Blocks the calling thread; uses up to `max_in_flight` threads.
///
/// # Safety
/// `client` is NULL or live; `ingestion_ids` is NULL or points to `count`
/// pointers; `progress` is NULL or callable as documented; `cancel` is NULL
/// or live; `out_results` is NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn synap_memories_wait_all(
    client: *const SynapClient,
    ingestion_ids: *const *const c_char,
    count: usize,
    timeout_ms: u32,
    poll_interval_ms: u32,
    max_in_flight: u32,
    progress: SynapWaitAllProgressFn,
    user_data: *mut c_void,
    cancel: *const SynapCancel,
    out_results: *mut *mut SynapWaitAllResults,
) -> SynapCode {
    entry(|| {
        // SAFETY: pointer contracts are the caller's, as documented above.
        let out = unsafe { out_ptr(out_results, "out_results") }?;
        // SAFETY: as above.
        let client = unsafe { arg_ref(client, "client") }?;
        if ingestion_ids.is_null() && count > 0 {
            return Err(Error::invalid_argument("ingestion_ids is NULL"));
        }
        let pointers =
            // SAFETY: not NULL, and the caller promises `count` readable pointers.
            if count == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(ingestion_ids, count) } };
        let mut ids = Vec::with_capacity(count);
        for (i, pointer) in pointers.iter().enumerate() {
            // SAFETY: each element is NULL or a NUL-terminated string.
            ids.push(unsafe { arg_str(*pointer, &format!("ingestion_ids[{i}]")) }?);
        }
        let options = WaitAllOptions {
            timeout: Duration::from_millis(timeout_ms.into()),
            poll_interval: match poll_interval_ms {
                0 => DEFAULT_POLL_INTERVAL,
                ms => Duration::from_millis(ms.into()),
            },
            max_in_flight: max_in_flight as usize,
        };
        // SAFETY: NULL or a live handle, as documented.
        let cancel = unsafe { cancel.as_ref() }.map(SynapCancel::token);
        let results = client.inner.memories_wait_all(&ids, &options, cancel, |counts| match progress {
            None => true,
            // SAFETY: the caller promises `progress` may be called so.
            Some(callback) => unsafe { callback(&SynapWaitCounts::from(counts), user_data) },
        })?;
        let counts = SynapWaitCounts::from(&WaitCounts::of_results(&results));
        let results: Vec<Outcome> = results
            .into_iter()
            .map(|result| match result {
                Ok(status) => {
                    Outcome { code: SynapCode::SYNAP_OK, status: Some(SynapMemoryStatus::new(status)), message: None }
                }
                Err(e) => Outcome {
                    code: SynapCode::from(e.kind()),
                    status: None,
                    message: Some(CString::new(e.message().replace('\0', " ")).unwrap_or_default()),
                },
            })
            .collect();
        *out = Box::into_raw(Box::new(SynapWaitAllResults { results, counts }));
        Ok(())
    })
}

/// Frees wait-all results and every status they lent. NULL is ignored.
///
/// # Safety
/// `results` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_free(results: *mut SynapWaitAllResults) {
    if !results.is_null() {
        // SAFETY: the caller hands back a handle made by this library.
        quiet((), || drop(unsafe { Box::from_raw(results) }));
    }
}

/// How many results: the `count` ids passed. 0 if `results` is NULL.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_count(results: *const SynapWaitAllResults) -> usize {
    // SAFETY: as documented above.
    unsafe { read(results, 0, |r| r.results.len()) }
}

/// The final counts per state (nothing is left pending, queued or
/// processing: jobs that did not finish count as errors). Returns false
/// and writes nothing if a pointer is NULL.
///
/// # Safety
/// `results` is NULL or a live handle; `out_counts` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_counts(
    results: *const SynapWaitAllResults,
    out_counts: *mut SynapWaitCounts,
) -> bool {
    // SAFETY: as documented above.
    unsafe {
        read(results, false, |r| match out_counts.as_mut() {
            Some(slot) => {
                *slot = r.counts;
                true
            }
            None => false,
        })
    }
}

/// Job `index`'s code: `SYNAP_OK` if it reached a terminal state (read it
/// with `synap_wait_all_status()`), else what ended it. `SYNAP_INVALID_ARGUMENT`
/// if `results` is NULL or `index` out of range.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_code(results: *const SynapWaitAllResults, index: usize) -> SynapCode {
    // SAFETY: as documented above.
    unsafe {
        read(results, SynapCode::SYNAP_INVALID_ARGUMENT, |r| {
            r.results.get(index).map_or(SynapCode::SYNAP_INVALID_ARGUMENT, |o| o.code)
        })
    }
}

/// Job `index`'s terminal status, lent by `results` (valid until
/// `synap_wait_all_free()`, never freed by the caller); NULL if the job
/// ended with an error or `index` is out of range.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_status(
    results: *const SynapWaitAllResults,
    index: usize,
) -> *const SynapMemoryStatus {
    // SAFETY: as documented above.
    unsafe {
        read(results, ptr::null(), |r| {
            r.results.get(index).and_then(|o| o.status.as_ref()).map_or(ptr::null(), |s| s as *const SynapMemoryStatus)
        })
    }
}

/// Why job `index` ended without a terminal status, one line; NULL if it
/// has one or `index` is out of range. Owned by `results`.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_error_message(
    results: *const SynapWaitAllResults,
    index: usize,
) -> *const c_char {
    // SAFETY: as documented above.
    unsafe {
        read(results, ptr::null(), |r| {
            r.results.get(index).and_then(|o| o.message.as_ref()).map_or(ptr::null(), |m| m.as_ptr())
        })
    }
}
