//! Crossing the boundary with data: C arguments in (strings, handles,
//! arrays, out-pointers, each refused with a message naming the parameter),
//! and text out.
//!
//! Text out follows two rules. A value from the server (an id, a state, a
//! message in a body) cannot hold NUL: the wire parsers refuse one, so
//! [`c_string`] fails with `SYNAP_PROTOCOL` rather than hand C a string cut
//! short. Text the library writes itself (error messages, log lines) may
//! quote server text, and there [`c_line`] shows a NUL as a space.

#![deny(unsafe_op_in_unsafe_fn)]

use std::ffi::{CStr, CString, c_char};

use crate::error::Error;

/// Reads a NUL-terminated UTF-8 argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and
/// unchanged for `'a`.
pub(crate) unsafe fn string<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::invalid_argument(format!("{name} is NULL")));
    }
    // SAFETY: not NULL, and the caller promises a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Error::invalid_argument(format!("{name} is not valid UTF-8 (bad byte at offset {})", e.valid_up_to()))
    })
}

/// Like [`string`], with NULL meaning "not given".
///
/// # Safety
/// As for [`string`].
pub(crate) unsafe fn opt_string<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { string(ptr, name) }.map(Some)
}

/// Borrows a handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn arg<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    // SAFETY: the caller promises a live handle when not NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| Error::invalid_argument(format!("{name} is NULL")))
}

/// Borrows an array argument of `count` elements; NULL is allowed only
/// when `count` is 0.
///
/// # Safety
/// `ptr` is NULL or points to `count` readable elements that stay valid for
/// `'a`.
pub(crate) unsafe fn array<'a, T>(ptr: *const T, count: usize, name: &str) -> Result<&'a [T], Error> {
    match (ptr.is_null(), count) {
        (_, 0) => Ok(&[]),
        (true, _) => Err(Error::invalid_argument(format!("{name} is NULL"))),
        // SAFETY: not NULL, and the caller promises `count` readable elements.
        (false, _) => Ok(unsafe { std::slice::from_raw_parts(ptr, count) }),
    }
}

/// Reads every string of an array argument, naming the bad one
/// (`ingestion_ids[3] is NULL`).
///
/// # Safety
/// As for [`array`], each element being NULL or a NUL-terminated string.
pub(crate) unsafe fn strings<'a>(ptr: *const *const c_char, count: usize, name: &str) -> Result<Vec<&'a str>, Error> {
    // SAFETY: forwarded from the caller.
    let pointers = unsafe { array(ptr, count, name) }?;
    pointers
        .iter()
        .enumerate()
        // SAFETY: each element is NULL or a NUL-terminated string, per the caller.
        .map(|(i, p)| unsafe { string(*p, &format!("{name}[{i}]")) })
        .collect()
}

/// Clears an out-pointer on entry, so a caller can free it unconditionally
/// after any result, and returns it for the result.
///
/// # Safety
/// `out` is NULL or valid for writing one pointer.
pub(crate) unsafe fn out_slot<'a, T>(out: *mut *mut T, name: &str) -> Result<&'a mut *mut T, Error> {
    // SAFETY: the caller promises `out` is writable when not NULL.
    match unsafe { out.as_mut() } {
        Some(slot) => {
            *slot = std::ptr::null_mut();
            Ok(slot)
        }
        None => Err(Error::invalid_argument(format!("{name} is NULL"))),
    }
}

/// A value from the server as C text. The parsers refuse a NUL inside
/// server text, so this fails only if one slipped past them, and then the
/// call fails too, naming the field, rather than cut the value short.
pub(crate) fn c_string(value: &str, field: &str) -> Result<CString, Error> {
    CString::new(value).map_err(|e| Error::protocol(format!("{field} holds a NUL byte at offset {}", e.nul_position())))
}

/// [`c_string`] for an optional value.
pub(crate) fn c_opt_string(value: Option<&str>, field: &str) -> Result<Option<CString>, Error> {
    value.map(|v| c_string(v, field)).transpose()
}

/// Text the library wrote (an error message, a log line) as C text; a NUL
/// in server text it quotes shows as a space.
pub(crate) fn c_line(text: &str) -> CString {
    let bytes: Vec<u8> = text.bytes().map(|b| if b == 0 { b' ' } else { b }).collect();
    CString::new(bytes).unwrap_or_else(|_| unreachable!("every NUL was replaced"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_with_a_nul_is_a_protocol_error() {
        let e = c_string("a\0b", "document_id").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Protocol);
        assert_eq!(e.message(), "document_id holds a NUL byte at offset 1");
        assert_eq!(c_string("ok", "x").unwrap().as_bytes(), b"ok");
    }

    #[test]
    fn library_text_shows_a_nul_as_a_space() {
        assert_eq!(c_line("HTTP 500: a\0b").as_bytes(), b"HTTP 500: a b");
    }
}
