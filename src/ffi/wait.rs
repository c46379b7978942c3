//! Waiting: the cancel handle `SynapCancel`, the options both waits take
//! (`SynapWaitOptions`), the progress report their callback reads
//! (`SynapWaitProgress`), and `synap_memories_wait()`.

use std::ffi::{c_char, c_int, c_void};
use std::ptr;
use std::time::Duration;

use super::client::SynapClient;
use super::cstr::{arg, string};
use super::deletion::SynapDataDeletion;
use super::error::SynapCode;
use super::guard::{Handle, configure, free, get, lend, make, produce};
use super::status::SynapMemoryStatus;
use crate::error::Error;
use crate::{CancelToken, DataDeletion, MemoryStatus, WaitCounts, WaitOptions};

/// A flag that stops a wait from another thread.
///
/// Made by `synap_cancel_new()`, freed by `synap_cancel_free()`. Any
/// number of threads may trigger it and waits may watch it at once; it must
/// outlive every wait it is passed to. Once triggered it stays triggered:
/// use a new one for the next wait.
pub struct SynapCancel {
    token: CancelToken,
}

impl Handle for SynapCancel {
    const NAME: &'static str = "SynapCancel";
}

/// Makes a cancel handle, not triggered. Returns NULL only if memory runs
/// out. Free with `synap_cancel_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_cancel_new() -> *mut SynapCancel {
    make(|| SynapCancel { token: CancelToken::new() })
}

/// Triggers `cancel`: every wait watching it returns `SYNAP_CANCELLED`
/// within milliseconds if it is sleeping between polls, or as soon as the
/// status request in flight ends (bounded by the request timeout). Safe to
/// call from any thread, any number of times; not from a signal handler.
/// NULL is ignored.
///
/// # Safety
/// `cancel` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_cancel_trigger(cancel: *const SynapCancel) {
    get(cancel, (), |c| c.token.cancel())
}

/// Whether `cancel` has been triggered; false for NULL.
///
/// # Safety
/// `cancel` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_cancel_is_triggered(cancel: *const SynapCancel) -> bool {
    get(cancel, false, |c| c.token.is_cancelled())
}

/// Frees a cancel handle. NULL is ignored. No wait may still be using it.
///
/// # Safety
/// `cancel` is NULL or a live handle, freed exactly once and not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_cancel_free(cancel: *mut SynapCancel) {
    free(cancel)
}

/// Where one job of a wait stands, as a progress report or wait-all
/// results count it. Values 1 to 5 equal the `SynapIngestState` of the
/// same name. Functions that take one take it as an `int`, so that any
/// value is safe to pass; a value that is not one of these counts nothing.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapWaitState {
    /// Not polled yet.
    SYNAP_WAIT_PENDING = 0,
    /// Last seen queued.
    SYNAP_WAIT_QUEUED = 1,
    /// Last seen processing, or in a state this version does not know.
    SYNAP_WAIT_PROCESSING = 2,
    /// Finished: completed (a deletion: complete, or a dry run).
    SYNAP_WAIT_COMPLETED = 3,
    /// Finished: failed.
    SYNAP_WAIT_FAILED = 4,
    /// Finished: partial_success (a deletion: partial).
    SYNAP_WAIT_PARTIAL_SUCCESS = 5,
    /// Ended by an error: a malformed id, a status error after its retries,
    /// or still running when the wait timed out or was cancelled.
    SYNAP_WAIT_ERROR = 6,
}

/// How many of `counts` are in the `SynapWaitState` numbered `state`.
pub(crate) fn count_in(counts: &WaitCounts, state: c_int) -> usize {
    const PENDING: c_int = SynapWaitState::SYNAP_WAIT_PENDING as c_int;
    const QUEUED: c_int = SynapWaitState::SYNAP_WAIT_QUEUED as c_int;
    const PROCESSING: c_int = SynapWaitState::SYNAP_WAIT_PROCESSING as c_int;
    const COMPLETED: c_int = SynapWaitState::SYNAP_WAIT_COMPLETED as c_int;
    const FAILED: c_int = SynapWaitState::SYNAP_WAIT_FAILED as c_int;
    const PARTIAL_SUCCESS: c_int = SynapWaitState::SYNAP_WAIT_PARTIAL_SUCCESS as c_int;
    const ERROR: c_int = SynapWaitState::SYNAP_WAIT_ERROR as c_int;
    match state {
        PENDING => counts.pending,
        QUEUED => counts.queued,
        PROCESSING => counts.processing,
        COMPLETED => counts.completed,
        FAILED => counts.failed,
        PARTIAL_SUCCESS => counts.partial_success,
        ERROR => counts.errors,
        _ => 0,
    }
}

/// What a wait's progress callback is told: how many jobs are in each
/// state and, for `synap_memories_wait()`, the status just polled (for
/// `synap_data_deletion_wait()`, the deletion record).
///
/// Lent to the callback for the duration of the call only: read it with
/// `synap_wait_progress_count()`, `_total()`, `_status()` and
/// `_deletion()`, copy what you need, never keep or free it.
pub struct SynapWaitProgress {
    counts: WaitCounts,
    status: Option<SynapMemoryStatus>,
    deletion: Option<SynapDataDeletion>,
}

/// Called by a wait on the thread that called it: by
/// `synap_memories_wait()` and `synap_data_deletion_wait()` after every
/// poll (the last one included), by `synap_memories_wait_all()` once before
/// any poll and then after every change (its last call sees every change). Return true to go on, false
/// to stop the wait with `SYNAP_CANCELLED`.
///
/// It must not unwind (no C++ throw, no longjmp) out of the call. Calling
/// `synap_*` functions inside it replaces the thread's last error.
pub type SynapWaitProgressFn =
    Option<unsafe extern "C" fn(progress: *const SynapWaitProgress, user_data: *mut c_void) -> bool>;

/// How many jobs of the wait are in `state`, a `SynapWaitState` value (for
/// `synap_memories_wait()`, 1 in the job's state and 0 elsewhere). 0 for
/// any other `state` value, or if `progress` is NULL.
///
/// # Safety
/// `progress` is NULL or the report a progress callback was given, during
/// that call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_progress_count(progress: *const SynapWaitProgress, state: c_int) -> usize {
    get(progress, 0, |p| count_in(&p.counts, state))
}

/// How many jobs the wait follows: 1 for `synap_memories_wait()`, the
/// number of ids for `synap_memories_wait_all()`. 0 if `progress` is NULL.
///
/// # Safety
/// As for `synap_wait_progress_count()`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_progress_total(progress: *const SynapWaitProgress) -> usize {
    get(progress, 0, |p| p.counts.pending + p.counts.queued + p.counts.processing + p.counts.done())
}

/// For `synap_memories_wait()`, the status just polled, lent by the report
/// for the duration of the callback only: copy what you need, never free
/// it. NULL for `synap_memories_wait_all()`, or if `progress` is NULL.
///
/// # Safety
/// As for `synap_wait_progress_count()`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_progress_status(progress: *const SynapWaitProgress) -> *const SynapMemoryStatus {
    lend(progress, |p| p.status.as_ref())
}

/// For `synap_data_deletion_wait()`, the deletion record just polled, lent
/// by the report for the duration of the callback only: copy what you need,
/// never free it. NULL for the ingestion waits, or if `progress` is NULL.
///
/// # Safety
/// As for `synap_wait_progress_count()`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_progress_deletion(progress: *const SynapWaitProgress) -> *const SynapDataDeletion {
    lend(progress, |p| p.deletion.as_ref())
}

/// How a wait polls, for `synap_memories_wait()`,
/// `synap_memories_wait_all()` and `synap_data_deletion_wait()`: timeout,
/// poll interval, requests in flight, a progress callback and a cancel
/// handle.
///
/// Made by `synap_wait_options_new()`, freed by `synap_wait_options_free()`.
/// Setters check their value and leave the options unchanged when they
/// refuse it. Use from one thread at a time; a wait only reads the options,
/// so they may be reused for any number of waits.
pub struct SynapWaitOptions {
    options: WaitOptions,
    progress: SynapWaitProgressFn,
    user_data: *mut c_void,
    cancel: *const SynapCancel,
}

impl Handle for SynapWaitOptions {
    const NAME: &'static str = "SynapWaitOptions";
}

impl SynapWaitOptions {
    /// The defaults, for a wait given NULL options.
    const DEFAULT: SynapWaitOptions = SynapWaitOptions {
        options: WaitOptions::DEFAULT,
        progress: None,
        user_data: ptr::null_mut(),
        cancel: ptr::null(),
    };

    /// The options a wait was given, or the defaults for NULL.
    ///
    /// # Safety
    /// `options` is NULL or a live handle.
    pub(crate) unsafe fn or_default<'a>(options: *const SynapWaitOptions) -> &'a SynapWaitOptions {
        options.as_ref().unwrap_or(&SynapWaitOptions::DEFAULT)
    }

    /// The cancel token the options name.
    ///
    /// # Safety
    /// The cancel handle set on the options is live, as the setter requires.
    pub(crate) unsafe fn cancel<'a>(&self) -> Option<&'a CancelToken> {
        self.cancel.as_ref().map(|c| &c.token)
    }

    pub(crate) fn settings(&self) -> &WaitOptions {
        &self.options
    }

    /// Tells the progress callback, if any; true to go on.
    ///
    /// # Safety
    /// The callback set on the options may be called with its user data.
    pub(crate) unsafe fn report(&self, counts: WaitCounts, status: Option<SynapMemoryStatus>) -> bool {
        match self.progress {
            None => true,
            Some(callback) => callback(&SynapWaitProgress { counts, status, deletion: None }, self.user_data),
        }
    }

    /// Tells the progress callback of a deletion wait, if any; true to go on.
    ///
    /// # Safety
    /// As for [`SynapWaitOptions::report`].
    pub(crate) unsafe fn report_deletion(&self, counts: WaitCounts, deletion: DataDeletion) -> bool {
        match self.progress {
            None => true,
            Some(callback) => {
                let deletion = Some(SynapDataDeletion { inner: deletion, lent: true });
                callback(&SynapWaitProgress { counts, status: None, deletion }, self.user_data)
            }
        }
    }

    pub(crate) fn has_progress(&self) -> bool {
        self.progress.is_some()
    }
}

/// Makes wait options with the defaults: 300000 ms in all, a poll every
/// 2000 ms, 8 status requests in flight (wait-all), no progress callback,
/// no cancel handle. Returns NULL only if memory runs out. Free with
/// `synap_wait_options_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_wait_options_new() -> *mut SynapWaitOptions {
    make(|| SynapWaitOptions::DEFAULT)
}

/// Frees wait options. NULL is ignored. A wait that was given them has
/// already returned, so they may be freed at any time after it.
///
/// # Safety
/// `options` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_options_free(options: *mut SynapWaitOptions) {
    free(options)
}

/// Sets the most a whole wait may take, status requests included, in
/// milliseconds; must be greater than 0. Default 300000. Measured on a
/// monotonic clock. When it passes the wait ends: the last pause is cut
/// short to end on time, and a status request gets no more time than is
/// left.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `ms` is 0.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_options_set_timeout_ms(options: *mut SynapWaitOptions, ms: u32) -> SynapCode {
    configure(options, "options", |o| o.options.timeout(millis(ms)).map(|_| ()))
}

/// Sets the pause between one poll's answer and that job's next poll, in
/// milliseconds; must be greater than 0. Default 2000.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `ms` is 0.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_options_set_poll_interval_ms(options: *mut SynapWaitOptions, ms: u32) -> SynapCode {
    configure(options, "options", |o| o.options.poll_interval(millis(ms)).map(|_| ()))
}

/// Sets how many status requests `synap_memories_wait_all()` has in flight
/// at once, 1 to 64; default 8. `synap_memories_wait()` has one.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `requests` is out of range.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_options_set_max_in_flight(
    options: *mut SynapWaitOptions,
    requests: u32,
) -> SynapCode {
    configure(options, "options", |o| o.options.max_in_flight(requests as usize).map(|_| ()))
}

/// Sets the progress callback (see `SynapWaitProgressFn`) and the
/// `user_data` passed to it untouched; NULL `progress` means none (the
/// default).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
///
/// # Safety
/// `options` is NULL or a live handle; `progress` is NULL or a function
/// that may be called as `SynapWaitProgressFn` documents, with `user_data`,
/// during every wait given these options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_options_set_progress(
    options: *mut SynapWaitOptions,
    progress: SynapWaitProgressFn,
    user_data: *mut c_void,
) -> SynapCode {
    configure(options, "options", |o| {
        o.progress = progress;
        o.user_data = user_data;
        Ok(())
    })
}

/// Sets a cancel handle another thread may trigger to stop the wait with
/// `SYNAP_CANCELLED`; NULL means none (the default). The handle is not
/// copied: it must outlive every wait given these options.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
///
/// # Safety
/// `options` is NULL or a live handle; `cancel` is NULL or a handle that
/// stays live during every wait given these options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_wait_options_set_cancel(
    options: *mut SynapWaitOptions,
    cancel: *const SynapCancel,
) -> SynapCode {
    configure(options, "options", |o| {
        o.cancel = cancel;
        Ok(())
    })
}

fn millis(ms: u32) -> Duration {
    Duration::from_millis(ms.into())
}

/// Waits for the ingestion job `ingestion_id` to finish: polls
/// `memories.status` until the job is completed, failed or partial_success,
/// and returns that status. A failed job is a status, not an error.
///
/// - `client`, `ingestion_id`: as for `synap_memories_status()`.
/// - `options`: NULL for the defaults (300000 ms, a poll every 2000 ms),
///   else from `synap_wait_options_new()`; only read. The progress callback
///   is called after every poll, with the status just read; returning
///   false stops the wait with `SYNAP_CANCELLED`, and so does triggering
///   the cancel handle.
/// - `out_status`: receives the terminal status on `SYNAP_OK`; set to NULL
///   on entry. Free it with `synap_status_free()`.
///
/// Each poll is a status call with its own retries. A status error (after
/// those retries) ends the wait with that error; the timeout passing ends
/// it with `SYNAP_TIMEOUT`; the `synap_last_error_*` functions give the
/// details. Blocks the calling thread.
///
/// # Safety
/// `client`, `ingestion_id` and `out_status` as for
/// `synap_memories_status()`; `options` is NULL or a live handle whose
/// callback and cancel handle keep their setters' contracts.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_wait(
    client: *const SynapClient,
    ingestion_id: *const c_char,
    options: *const SynapWaitOptions,
    out_status: *mut *mut SynapMemoryStatus,
) -> SynapCode {
    produce(out_status, "out_status", || {
        let client = arg(client, "client")?;
        let id = string(ingestion_id, "ingestion_id")?;
        let options = SynapWaitOptions::or_default(options);
        // A status the callback cannot be shown ends the wait with why.
        let mut unshowable: Option<Error> = None;
        let waited = client.inner.memories_wait(id, options.settings(), options.cancel(), |status: &MemoryStatus| {
            if !options.has_progress() {
                return true;
            }
            match SynapMemoryStatus::lent(status.clone()) {
                Ok(lent) => options.report(WaitCounts::of_status(status), Some(lent)),
                Err(e) => {
                    unshowable = Some(e);
                    false
                }
            }
        });
        match (waited, unshowable) {
            (_, Some(e)) => Err(e),
            (waited, None) => SynapMemoryStatus::owned(waited?),
        }
    })
}
