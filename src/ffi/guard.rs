//! The boundary, written once: every export is one of these shapes.
//!
//! - a call or setter: [`entry`], [`produce`] or [`configure`]; no panic
//!   crosses into C and every fallible call starts with a clean last error;
//! - a handle's birth and death: [`make`] and [`free`];
//! - an accessor: [`get`], [`text`], [`lend`] and [`optional`], which give
//!   the documented fallback for a NULL handle or a panic.
//!
//! Each export is an `unsafe extern "C" fn` whose `# Safety` section is the
//! pointer contract its C caller keeps; the helpers here rely on exactly
//! that contract (a pointer is NULL or live, of the type it claims), so the
//! reasoning is written once per helper instead of once per export.

#![deny(unsafe_op_in_unsafe_fn)]

use std::any::Any;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use super::cstr::out_slot;
use super::error::{SynapCode, clear_last_error, record_last_error};
use crate::error::{Error, ErrorKind};
use crate::log::{LogLevel, log};
use crate::text::Text;

/// An opaque handle type that C owns through a pointer.
pub(crate) trait Handle {
    /// What C calls it, for messages.
    const NAME: &'static str;

    /// True for a handle lent by another one (a batch's result, a wait-all
    /// status): it lives inside its owner, and only the owner frees it.
    fn is_lent(&self) -> bool {
        false
    }
}

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

/// The shape of a call that makes a handle: `*out` is set to NULL first, so
/// a caller may free it after any result, and receives the boxed value only
/// on `SYNAP_OK`.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer; `body` keeps the
/// contracts of the pointers it reads.
pub(crate) unsafe fn produce<T>(out: *mut *mut T, name: &str, body: impl FnOnce() -> Result<T, Error>) -> SynapCode {
    entry(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { out_slot(out, name) }?;
        let value = body()?;
        *slot = Box::into_raw(Box::new(value));
        Ok(())
    })
}

/// The shape of a setter: check the handle, let `apply` check and store the
/// value. `apply` must leave the handle unchanged when it refuses a value.
///
/// # Safety
/// `handle` is NULL or a live `H`, not used elsewhere meanwhile.
pub(crate) unsafe fn configure<H: Handle>(
    handle: *mut H,
    name: &str,
    apply: impl FnOnce(&mut H) -> Result<(), Error>,
) -> SynapCode {
    entry(|| {
        // SAFETY: the caller promises NULL or a live, unshared handle.
        let handle = unsafe { handle.as_mut() }.ok_or_else(|| Error::invalid_argument(format!("{name} is NULL")))?;
        apply(handle)
    })
}

/// Boxes a new handle for a `_new` export; NULL only if making it panics
/// (memory ran out).
pub(crate) fn make<T>(value: impl FnOnce() -> T) -> *mut T {
    quiet(ptr::null_mut(), || Box::into_raw(Box::new(value())))
}

/// The body of every `_free`: NULL is ignored, and so is a lent handle,
/// which lives inside its owner and is freed with it (freeing it here would
/// corrupt the owner). The refusal is logged, since the caller has a bug.
///
/// # Safety
/// `handle` is NULL, a handle of type `H` made by this library and not yet
/// freed, or one lent by a live owner.
pub(crate) unsafe fn free<H: Handle>(handle: *mut H) {
    if handle.is_null() {
        return;
    }
    // SAFETY: not NULL, and live (owned or lent) per the caller.
    if quiet(true, || unsafe { &*handle }.is_lent()) {
        log(LogLevel::Error, || format!("refused to free a {} lent by another handle: free its owner", H::NAME));
        return;
    }
    // SAFETY: an owned handle, boxed by this library, freed exactly once.
    quiet((), || drop(unsafe { Box::from_raw(handle) }));
}

/// Reads through a handle for an accessor: `fallback` for NULL or a panic.
/// The last error is left alone.
///
/// # Safety
/// `handle` is NULL or points to a live `H`.
pub(crate) unsafe fn get<H, T>(handle: *const H, fallback: T, read: impl FnOnce(&H) -> T) -> T {
    // SAFETY: the caller promises NULL or a live handle.
    match unsafe { handle.as_ref() } {
        Some(h) => quiet(fallback, || read(h)),
        None => fallback,
    }
}

/// Text a handle owns, as C reads it: NULL for an absent value. Only
/// borrowed forms implement it, so an accessor cannot lend a temporary.
pub(crate) trait CText {
    /// The pointer C receives.
    fn c_ptr(self) -> *const c_char;
}

impl CText for &CStr {
    fn c_ptr(self) -> *const c_char {
        self.as_ptr()
    }
}

impl CText for &CString {
    fn c_ptr(self) -> *const c_char {
        self.as_ptr()
    }
}

impl CText for &Option<CString> {
    fn c_ptr(self) -> *const c_char {
        self.as_ref().map_or(ptr::null(), |s| s.as_ptr())
    }
}

impl CText for Option<&CStr> {
    fn c_ptr(self) -> *const c_char {
        self.map_or(ptr::null(), CStr::as_ptr)
    }
}

impl CText for &Text {
    fn c_ptr(self) -> *const c_char {
        self.as_ptr()
    }
}

impl CText for &Option<Text> {
    fn c_ptr(self) -> *const c_char {
        self.as_ref().map_or(ptr::null(), Text::as_ptr)
    }
}

impl CText for Option<&Text> {
    fn c_ptr(self) -> *const c_char {
        self.map_or(ptr::null(), Text::as_ptr)
    }
}

/// A string accessor: the text `field` picks, owned by the handle; NULL
/// for an absent value or a NULL handle.
///
/// # Safety
/// `handle` is NULL or points to a live `H`.
pub(crate) unsafe fn text<'h, H: 'h, S: CText>(handle: *const H, field: impl FnOnce(&'h H) -> S) -> *const c_char {
    // SAFETY: the caller promises NULL or a live handle, which outlives
    // the pointer C is given.
    match unsafe { handle.as_ref::<'h>() } {
        Some(h) => quiet(ptr::null(), || field(h).c_ptr()),
        None => ptr::null(),
    }
}

/// A lending accessor: the handle `item` picks, owned by `handle`; NULL
/// when it picks none (an index past the end) or `handle` is NULL.
///
/// # Safety
/// `handle` is NULL or points to a live `H`.
pub(crate) unsafe fn lend<H, T>(handle: *const H, item: impl FnOnce(&H) -> Option<&T>) -> *const T {
    // SAFETY: forwarded from the caller.
    unsafe { get(handle, ptr::null(), |h| item(h).map_or(ptr::null(), |t| t as *const T)) }
}

/// An optional-value accessor: writes `*out` and returns true when the
/// value is present; returns false and leaves `*out` alone when it is
/// absent or either pointer is NULL.
///
/// # Safety
/// `handle` is NULL or points to a live `H`; `out` is NULL or writable.
pub(crate) unsafe fn optional<H, T>(handle: *const H, out: *mut T, field: impl FnOnce(&H) -> Option<T>) -> bool {
    if out.is_null() {
        return false;
    }
    // SAFETY: forwarded from the caller.
    match unsafe { get(handle, None, field) } {
        Some(value) => {
            // SAFETY: not NULL, and writable per the caller.
            unsafe { out.write(value) };
            true
        }
        None => false,
    }
}

/// Runs `body`, returning `fallback` if it panics.
fn quiet<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
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
    fn accessors_return_their_fallback_on_panic() {
        let value = 5u8;
        // SAFETY: a live value.
        assert_eq!(unsafe { get(&value, 7, |_| -> i32 { panic!("getter") }) }, 7);
        // SAFETY: NULL is allowed.
        assert_eq!(unsafe { get(ptr::null::<u8>(), 7, |_| 3) }, 7);
        // SAFETY: a live value.
        assert_eq!(unsafe { get(&value, 7, |v| i32::from(*v)) }, 5);
    }

    struct Lendable(bool);
    impl Handle for Lendable {
        const NAME: &'static str = "Lendable";
        fn is_lent(&self) -> bool {
            self.0
        }
    }

    #[test]
    fn free_refuses_a_lent_handle() {
        let mut lent = Lendable(true);
        // SAFETY: a live lent handle: free must leave it alone.
        unsafe { free(&mut lent as *mut Lendable) };
        assert!(lent.0, "still readable");
        // SAFETY: an owned handle from Box::into_raw, freed once.
        unsafe { free(Box::into_raw(Box::new(Lendable(false)))) };
        // SAFETY: NULL is ignored.
        unsafe { free(ptr::null_mut::<Lendable>()) };
    }

    #[test]
    fn optional_writes_only_present_values() {
        let value = 1u8;
        let mut out = 0i64;
        // SAFETY: live handle, writable out.
        assert!(unsafe { optional(&value, &mut out, |_| Some(42)) });
        assert_eq!(out, 42);
        // SAFETY: as above.
        assert!(!unsafe { optional(&value, &mut out, |_| None) });
        assert_eq!(out, 42, "left alone");
        // SAFETY: NULL out is allowed.
        assert!(!unsafe { optional(&value, ptr::null_mut(), |_| Some(1)) });
    }
}
