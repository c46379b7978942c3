//! Reading C arguments: strings, handles and out-pointers, each refused with
//! a message naming the parameter.

use std::ffi::{CStr, c_char};

use crate::error::Error;

/// Reads a NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and
/// unchanged for `'a`.
pub(crate) unsafe fn arg_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("{name} is NULL")));
    }
    // SAFETY: not NULL, and the caller promises a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Error::invalid_argument(format!("{name} is not valid UTF-8 (bad byte at offset {})", e.valid_up_to()))
    })
}

/// Like [`arg_str`], with NULL meaning "not given".
///
/// # Safety
/// As for [`arg_str`].
pub(crate) unsafe fn opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { arg_str(ptr, name) }.map(Some)
}

/// Borrows a handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn arg_ref<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    // SAFETY: the caller promises a live handle when not NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| Error::invalid_argument(format!("{name} is NULL")))
}

/// Borrows a mutable handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of type `T`, not used elsewhere meanwhile.
pub(crate) unsafe fn arg_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, Error> {
    // SAFETY: the caller promises a live, unshared handle when not NULL.
    unsafe { ptr.as_mut() }.ok_or_else(|| Error::invalid_argument(format!("{name} is NULL")))
}

/// Clears an out-pointer on entry, so a caller can free it unconditionally
/// after any result, and returns it for the result.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
pub(crate) unsafe fn out_ptr<'a, T>(out: *mut *mut T, name: &str) -> Result<&'a mut *mut T, Error> {
    // SAFETY: the caller promises `out` is writable when not NULL.
    match unsafe { out.as_mut() } {
        Some(slot) => {
            *slot = std::ptr::null_mut();
            Ok(slot)
        }
        None => Err(Error::invalid_argument(format!("{name} is NULL"))),
    }
}
