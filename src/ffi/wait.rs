//! `synap_memories_wait()` and its cancel handle, `SynapCancel`.

use std::ffi::{c_char, c_void};
use std::time::Duration;

use super::client::SynapClient;
use super::cstr::{arg_ref, arg_str, out_ptr};
use super::error::SynapCode;
use super::guard::{entry, quiet};
use super::status::SynapMemoryStatus;
use crate::{CancelToken, DEFAULT_POLL_INTERVAL, WaitOptions};

/// A flag that stops a `synap_memories_wait()` from another thread.
///
/// Made by `synap_cancel_new()`, freed by `synap_cancel_free()`. Any
/// number of threads may trigger it and waits may watch it at once; it must
/// outlive every wait it is passed to. Once triggered it stays triggered:
/// use a new one for the next wait.
pub struct SynapCancel {
    token: CancelToken,
}

impl SynapCancel {
    pub(crate) fn token(&self) -> &CancelToken {
        &self.token
    }
}

/// Called by `synap_memories_wait()` after every poll with the status just
/// read, the last one included. `status` is borrowed for the duration of the
/// call only: copy what you need, do not free it. Return true to go on
/// waiting, false to stop the wait with `SYNAP_CANCELLED`. Runs on the
/// thread that called `synap_memories_wait()`.
pub type SynapProgressFn =
    Option<unsafe extern "C" fn(status: *const SynapMemoryStatus, user_data: *mut c_void) -> bool>;

/// Makes a cancel handle, not triggered. Returns NULL only if memory runs
/// out. Free with `synap_cancel_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_cancel_new() -> *mut SynapCancel {
    quiet(std::ptr::null_mut(), || Box::into_raw(Box::new(SynapCancel { token: CancelToken::new() })))
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
    // SAFETY: the caller promises a live handle when not NULL.
    if let Some(cancel) = unsafe { cancel.as_ref() } {
        quiet((), || cancel.token.cancel());
    }
}

/// Whether `cancel` has been triggered; false for NULL.
///
/// # Safety
/// `cancel` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_cancel_is_triggered(cancel: *const SynapCancel) -> bool {
    // SAFETY: the caller promises a live handle when not NULL.
    unsafe { cancel.as_ref() }.is_some_and(|cancel| quiet(false, || cancel.token.is_cancelled()))
}

/// Frees a cancel handle. NULL is ignored. No wait may still be using it.
///
/// # Safety
/// `cancel` is NULL or a live handle, freed exactly once and not used after.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_cancel_free(cancel: *mut SynapCancel) {
    if !cancel.is_null() {
        // SAFETY: the caller hands back a handle made by this library.
        quiet((), || drop(unsafe { Box::from_raw(cancel) }));
    }
}

/// Waits for the ingestion job `ingestion_id` to finish: polls
/// `memories.status` until the job is completed, failed or partial_success,
/// and returns that status. A failed job is a status, not an error.
///
/// - `client`, `ingestion_id`: as for `synap_memories_status()`.
/// - `timeout_ms`: the most the whole wait may take, status requests
///   included; must be greater than 0. Measured on a monotonic clock. When it
///   passes the wait returns `SYNAP_TIMEOUT`: the last pause is cut short to
///   end on time, and a status request gets no more time than is left.
/// - `poll_interval_ms`: the pause between one poll's answer and the next
///   poll; 0 means the default, 2000.
/// - `progress`: NULL, or called after every poll (see `SynapProgressFn`);
///   returning false stops the wait with `SYNAP_CANCELLED`.
/// - `user_data`: passed to `progress` untouched.
/// - `cancel`: NULL, or a handle another thread may trigger to stop the wait
///   with `SYNAP_CANCELLED`.
/// - `out_status`: receives the terminal status on `SYNAP_OK`; set to NULL
///   on entry. Free it with `synap_status_free()`.
///
/// Each poll is a status call with its own retries. A status error (after
/// those retries) ends the wait with that error; the `synap_last_error_*`
/// functions give its details. Blocks the calling thread.
///
/// # Safety
/// `client`, `ingestion_id` and `out_status` as for
/// `synap_memories_status()`; `progress` is NULL or a function that may be
/// called as documented; `cancel` is NULL or a live handle.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn synap_memories_wait(
    client: *const SynapClient,
    ingestion_id: *const c_char,
    timeout_ms: u32,
    poll_interval_ms: u32,
    progress: SynapProgressFn,
    user_data: *mut c_void,
    cancel: *const SynapCancel,
    out_status: *mut *mut SynapMemoryStatus,
) -> SynapCode {
    entry(|| {
        // SAFETY: pointer contracts are the caller's, as documented above.
        let out = unsafe { out_ptr(out_status, "out_status") }?;
        // SAFETY: as above.
        let client = unsafe { arg_ref(client, "client") }?;
        // SAFETY: as above.
        let id = unsafe { arg_str(ingestion_id, "ingestion_id") }?;
        // SAFETY: as above; NULL means no cancel handle.
        let cancel = unsafe { cancel.as_ref() }.map(|c| &c.token);
        let options = WaitOptions {
            timeout: Duration::from_millis(timeout_ms.into()),
            poll_interval: match poll_interval_ms {
                0 => DEFAULT_POLL_INTERVAL,
                ms => Duration::from_millis(ms.into()),
            },
        };
        let status = client.inner.memories_wait(id, &options, cancel, |status| match progress {
            None => true,
            Some(callback) => {
                // The callback gets a handle it borrows for this call only.
                let handle = SynapMemoryStatus::new(status.clone());
                // SAFETY: the caller promises `progress` may be called with
                // a status handle and its own user_data.
                unsafe { callback(&handle, user_data) }
            }
        })?;
        *out = Box::into_raw(Box::new(SynapMemoryStatus::new(status)));
        Ok(())
    })
}
