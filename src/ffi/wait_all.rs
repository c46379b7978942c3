//! `synap_memories_wait_all()` and the `SynapWaitAllResults` it returns.

use std::ffi::{CString, c_char, c_int};

use super::client::SynapClient;
use super::cstr::{arg, c_line, strings};
use super::error::SynapCode;
use super::guard::{Handle, free, get, lend, produce, text};
use super::status::SynapMemoryStatus;
use super::wait::{SynapWaitOptions, count_in};
use crate::WaitCounts;

/// The outcome of `synap_memories_wait_all()`: one result per id, in the
/// order given. Freed by `synap_wait_all_free()`; immutable.
pub struct SynapWaitAllResults {
    results: Vec<Outcome>,
    counts: WaitCounts,
}

impl Handle for SynapWaitAllResults {
    const NAME: &'static str = "SynapWaitAllResults";
}

struct Outcome {
    code: SynapCode,
    status: Option<SynapMemoryStatus>,
    message: Option<CString>,
}

/// Waits for many ingestion jobs at once, polling a bounded number of them
/// at a time, until every job is completed, failed or partial_success or
/// has an error, or the timeout passes, or the wait is cancelled.
///
/// - `ingestion_ids`: `count` ids. A malformed one is that job's
///   `SYNAP_INVALID_ARGUMENT`; a NULL or non-UTF-8 one fails the call.
/// - `options`: NULL for the defaults (300000 ms in all, a poll every
///   2000 ms per job, 8 requests in flight), else from
///   `synap_wait_options_new()`; only read. The progress callback is called
///   on this thread once before any poll and then after every change (the
///   last call sees every change), with counts per state and no status;
///   returning false stops the wait, and so does triggering the cancel
///   handle.
/// - `out_results`: receives the results on `SYNAP_OK`; set to NULL on
///   entry. Free them with `synap_wait_all_free()`.
///
/// Returns `SYNAP_OK` whenever the wait ran, whatever became of each job:
/// read each job's code with `synap_wait_all_code()` (`SYNAP_TIMEOUT` for a
/// job still running at the deadline, `SYNAP_CANCELLED` if the wait was
/// stopped first). Fails with `SYNAP_INVALID_ARGUMENT` only for bad
/// arguments. Blocks the calling thread; uses up to the in-flight bound of
/// threads.
///
/// # Safety
/// `client` is NULL or live; `ingestion_ids` is NULL or points to `count`
/// pointers; `options` is NULL or a live handle whose callback and cancel
/// handle keep their setters' contracts; `out_results` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_wait_all(
    client: *const SynapClient,
    ingestion_ids: *const *const c_char,
    count: usize,
    options: *const SynapWaitOptions,
    out_results: *mut *mut SynapWaitAllResults,
) -> SynapCode {
    produce(out_results, "out_results", || {
        let client = arg(client, "client")?;
        let ids = strings(ingestion_ids, count, "ingestion_ids")?;
        let options = SynapWaitOptions::or_default(options);
        let results = client
            .inner
            .memories_wait_all(&ids, options.settings(), options.cancel(), |counts| options.report(*counts, None));
        let counts = WaitCounts::of_results(&results);
        let results = results
            .into_iter()
            .map(|result| {
                Ok(match result {
                    Ok(status) => Outcome {
                        code: SynapCode::SYNAP_OK,
                        status: Some(SynapMemoryStatus::lent(status)?),
                        message: None,
                    },
                    Err(e) => Outcome { code: e.kind().into(), status: None, message: Some(c_line(e.message())) },
                })
            })
            .collect::<Result<_, crate::Error>>()?;
        Ok(SynapWaitAllResults { results, counts })
    })
}

/// Frees wait-all results and every status they lent. NULL is ignored.
///
/// # Safety
/// `results` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_free(results: *mut SynapWaitAllResults) {
    free(results)
}

/// How many results: the `count` ids passed. 0 if `results` is NULL.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_count(results: *const SynapWaitAllResults) -> usize {
    get(results, 0, |r| r.results.len())
}

/// How many jobs ended in `state`, a `SynapWaitState` value. Nothing is
/// left pending, queued or processing at the end: a job that did not
/// finish counts as `SYNAP_WAIT_ERROR`. 0 for any other `state` value, or
/// if `results` is NULL.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_count_in(results: *const SynapWaitAllResults, state: c_int) -> usize {
    get(results, 0, |r| count_in(&r.counts, state))
}

/// Job `index`'s code: `SYNAP_OK` if it reached a terminal state (read it
/// with `synap_wait_all_status()`), else what ended it. `SYNAP_INVALID_ARGUMENT`
/// if `results` is NULL or `index` out of range.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_code(results: *const SynapWaitAllResults, index: usize) -> SynapCode {
    get(results, SynapCode::SYNAP_INVALID_ARGUMENT, |r| {
        r.results.get(index).map_or(SynapCode::SYNAP_INVALID_ARGUMENT, |o| o.code)
    })
}

/// Job `index`'s terminal status, lent by `results`: valid until
/// `synap_wait_all_free()`, never freed on its own (`synap_status_free()`
/// refuses it). NULL if the job ended with an error or `index` is out of
/// range.
///
/// # Safety
/// `results` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_all_status(
    results: *const SynapWaitAllResults,
    index: usize,
) -> *const SynapMemoryStatus {
    lend(results, |r| r.results.get(index).and_then(|o| o.status.as_ref()))
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
    text(results, |r| r.results.get(index).and_then(|o| o.message.as_deref()))
}
