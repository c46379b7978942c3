//! `SynapOptions`: the builder a client is made from.

use std::ffi::c_char;
use std::time::Duration;

use super::cstr::{arg_mut, opt_str};
use super::error::SynapCode;
use super::guard::{entry, quiet};
use crate::options::{check_max_body_bytes, check_timeout, normalize_base_url};
use crate::{ClientOptions, Error};

/// Settings for `synap_client_new()`: base URL, timeouts, body cap.
///
/// Made by `synap_options_new()`, freed by `synap_options_free()`. Setters
/// check their value and leave the options unchanged when they refuse it.
/// Use from one thread at a time. `synap_client_new()` copies what it needs,
/// so the options may be freed, or reused for another client, right after.
pub struct SynapOptions {
    pub(crate) inner: ClientOptions,
}

/// Makes options with the defaults: base URL from `SYNAP_BASE_URL`, else
/// the production service; 5000 ms to connect; 30000 ms per request;
/// 16 MiB response bodies.
///
/// Returns NULL only if memory runs out. Free with `synap_options_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_options_new() -> *mut SynapOptions {
    quiet(std::ptr::null_mut(), || Box::into_raw(Box::new(SynapOptions { inner: ClientOptions::new() })))
}

/// Frees options made by `synap_options_new()`. NULL is ignored.
///
/// # Safety
/// `options` is NULL or a live handle from `synap_options_new()`, freed
/// exactly once and not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_free(options: *mut SynapOptions) {
    if !options.is_null() {
        // SAFETY: the caller hands back a handle from synap_options_new.
        quiet((), || drop(unsafe { Box::from_raw(options) }));
    }
}

/// Sets the service's base URL: `http://` or `https://`, a host, an
/// optional port and path prefix, no query or credentials, e.g.
/// `"http://127.0.0.1:8787"`. A trailing slash is ignored. NULL restores
/// the default (`SYNAP_BASE_URL`, else the production service).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// the URL is malformed or not UTF-8. The string is copied.
///
/// # Safety
/// `options` is NULL or a live handle; `url` is NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_base_url(options: *mut SynapOptions, url: *const c_char) -> SynapCode {
    // SAFETY: pointer contracts are the caller's, as documented above.
    unsafe {
        set(options, |o| {
            o.base_url = opt_str(url, "url")?.map(normalize_base_url).transpose()?;
            Ok(())
        })
    }
}

/// Sets how long opening a connection (TCP and TLS handshake) may take, in
/// milliseconds; must be greater than 0. Default 5000.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `ms` is 0.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_connect_timeout_ms(options: *mut SynapOptions, ms: u32) -> SynapCode {
    // SAFETY: as documented above.
    unsafe {
        set(options, |o| {
            o.connect_timeout = timeout("connect timeout", ms)?;
            Ok(())
        })
    }
}

/// Sets how long one whole request may take, from connecting to the last
/// byte of the response, in milliseconds; must be greater than 0. Default
/// 30000. A server that answers slowly or not at all fails with
/// `SYNAP_TIMEOUT` once this has passed.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `ms` is 0.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_request_timeout_ms(options: *mut SynapOptions, ms: u32) -> SynapCode {
    // SAFETY: as documented above.
    unsafe {
        set(options, |o| {
            o.request_timeout = timeout("request timeout", ms)?;
            Ok(())
        })
    }
}

/// Sets the largest response body accepted, in bytes; must be greater than
/// 0. Default 16 MiB. A longer body fails the call with `SYNAP_PROTOCOL`
/// after reading no more than this, so a broken server cannot exhaust memory.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `bytes` is 0.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_max_body_bytes(options: *mut SynapOptions, bytes: u64) -> SynapCode {
    // SAFETY: as documented above.
    unsafe {
        set(options, |o| {
            check_max_body_bytes(bytes)?;
            o.max_body_bytes = bytes;
            Ok(())
        })
    }
}

/// The shape of every setter: check the handle, then let `apply` check the
/// value and store it; a refused value leaves the options unchanged.
///
/// # Safety
/// `options` is NULL or a live handle, not used elsewhere meanwhile.
unsafe fn set(options: *mut SynapOptions, apply: impl FnOnce(&mut ClientOptions) -> Result<(), Error>) -> SynapCode {
    entry(|| {
        // SAFETY: forwarded from the caller.
        let options = unsafe { arg_mut(options, "options") }?;
        apply(&mut options.inner)
    })
}

fn timeout(name: &str, ms: u32) -> Result<Duration, Error> {
    let timeout = Duration::from_millis(ms.into());
    check_timeout(name, timeout)?;
    Ok(timeout)
}
