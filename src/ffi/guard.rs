//! The boundary guard: no panic crosses into C, and every fallible entry
//! point starts with a clean last error.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::error::{SynapCode, clear_last_error, record_last_error};
use crate::error::{Error, ErrorKind};

/// Runs the body of a fallible export: clears the last error, runs `body`,
/// and turns its error, or a panic, into a result code plus last error.
pub(crate) fn entry(body: impl FnOnce() -> Result<(), Error>) -> SynapCode {
    clear_last_error();
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => SynapCode::SYNAP_OK,
        Ok(Err(e)) => record_last_error(&e),
        Err(payload) => record_last_error(&panic_error(payload)),
    }
}

/// Runs the body of an infallible export (a getter, a free), returning
/// `fallback` if it panics. The last error is left alone.
pub(crate) fn quiet<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Reads through a handle for an accessor: `fallback` for NULL or a panic.
///
/// # Safety
/// `handle` is NULL or points to a live `H`.
pub(crate) unsafe fn read<H, T>(handle: *const H, fallback: T, get: impl FnOnce(&H) -> T) -> T {
    // SAFETY: the caller promises NULL or a live handle.
    match unsafe { handle.as_ref() } {
        Some(h) => quiet(fallback, || get(h)),
        None => fallback,
    }
}

fn panic_error(payload: Box<dyn Any + Send>) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    // A payload whose destructor panics must not unwind out of here.
    std::mem::forget(payload);
    Error::new(ErrorKind::Internal, format!("internal error in libsynap (please report): {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::{synap_last_error_http_status, synap_last_error_message};
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_synap_internal() {
        let code = entry(|| panic!("forced for the test"));
        assert_eq!(code, SynapCode::SYNAP_INTERNAL);
        // SAFETY: the last error message is a valid C string until the next call.
        let msg = unsafe { CStr::from_ptr(synap_last_error_message()) }.to_str().unwrap();
        assert_eq!(msg, "internal error in libsynap (please report): forced for the test");
        assert_eq!(synap_last_error_http_status(), 0);
    }

    #[test]
    fn success_clears_the_last_error() {
        entry(|| Err(Error::invalid_argument("x")));
        assert!(!synap_last_error_message().is_null());
        assert_eq!(entry(|| Ok(())), SynapCode::SYNAP_OK);
        assert!(synap_last_error_message().is_null());
    }

    #[test]
    fn quiet_returns_the_fallback_on_panic() {
        assert_eq!(quiet(7, || panic!("getter")), 7);
        assert_eq!(quiet(7, || 3), 3);
    }
}
