//! `SynapOptions`: the builder a client is made from.

use std::ffi::c_char;
use std::path::PathBuf;
use std::time::Duration;

use super::cstr::opt_string;
use super::error::SynapCode;
use super::guard::{Handle, configure, free, make};
use crate::{ClientOptions, Error, ProxySetting, RetryPolicy};

/// Settings for `synap_client_new()`: base URL, timeouts and deadline,
/// retries, body cap, proxy, trust roots.
///
/// Made by `synap_options_new()`, freed by `synap_options_free()`. Setters
/// check their value and leave the options unchanged when they refuse it.
/// Use from one thread at a time. `synap_client_new()` copies what it needs,
/// so the options may be freed, or reused for another client, right after.
pub struct SynapOptions {
    pub(crate) inner: ClientOptions,
}

impl Handle for SynapOptions {
    const NAME: &'static str = "SynapOptions";
}

/// Makes options with the defaults: base URL from `SYNAP_BASE_URL`, else
/// the production service; 5000 ms to connect; 30000 ms per attempt; no
/// overall deadline; 3 attempts with backoff from 1000 ms up to 10000 ms;
/// 16 MiB response bodies; the proxy from the environment; the bundled
/// Mozilla roots; plain http to loopback hosts only.
///
/// Returns NULL only if memory runs out. Free with `synap_options_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_options_new() -> *mut SynapOptions {
    make(|| SynapOptions { inner: ClientOptions::new() })
}

/// Frees options made by `synap_options_new()`. NULL is ignored.
///
/// # Safety
/// `options` is NULL or a live handle from `synap_options_new()`, freed
/// exactly once and not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_free(options: *mut SynapOptions) {
    free(options)
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
    set(options, |o| match opt_string(url, "url")? {
        Some(url) => o.base_url(url).map(|_| ()),
        None => {
            o.default_base_url();
            Ok(())
        }
    })
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
    set(options, |o| o.connect_timeout(millis(ms)).map(|_| ()))
}

/// Sets how long one attempt of a request may take, from connecting to the
/// last byte of the response, in milliseconds; must be greater than 0.
/// Default 30000. A server that answers slowly, trickles, or does not answer
/// at all fails the attempt with `SYNAP_TIMEOUT` once this has passed; a
/// retry gets the same again (see `synap_options_set_deadline_ms()` for a
/// bound on the whole call).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `ms` is 0.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_request_timeout_ms(options: *mut SynapOptions, ms: u32) -> SynapCode {
    set(options, |o| o.request_timeout(millis(ms)).map(|_| ()))
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
    set(options, |o| o.max_body_bytes(bytes).map(|_| ()))
}

/// Sets the most one call may take, in milliseconds, every attempt and
/// every backoff wait included; 0 (the default) means no overall deadline,
/// so each attempt is bounded by the request timeout only. An attempt gets
/// no more than what is left; a retry whose backoff would end past the
/// deadline is not made, and the call returns the last attempt's error.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_deadline_ms(options: *mut SynapOptions, ms: u32) -> SynapCode {
    set(options, |o| o.deadline((ms > 0).then(|| millis(ms))).map(|_| ()))
}

/// Sets how many attempts a call makes at most, the first included: 1
/// means no retries; at most 100. Default 3.
///
/// Only transient failures are retried: HTTP 429 (not a credit stop), 5xx,
/// timeouts, and connections refused, reset or closed before the answer was
/// complete. Every attempt of a call carries the same `X-Correlation-ID`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `attempts` is out of range.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_max_attempts(options: *mut SynapOptions, attempts: u32) -> SynapCode {
    set(options, |o| {
        let now = o.retry_policy();
        o.retry(RetryPolicy::new(attempts, now.base, now.cap)).map(|_| ())
    })
}

/// Sets the backoff between attempts, in milliseconds. After failed attempt
/// `n` a call waits `min(base_ms * 2^(n-1), cap_ms)` plus up to 25 % jitter,
/// at most `cap_ms`. A `Retry-After` from the server (seconds, decimal
/// seconds or an HTTP date) replaces that wait, still at most `cap_ms`.
/// Defaults 1000 and 10000; `cap_ms` must be at least `base_ms`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `cap_ms` is less than `base_ms`.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_retry_backoff_ms(
    options: *mut SynapOptions,
    base_ms: u32,
    cap_ms: u32,
) -> SynapCode {
    set(options, |o| {
        let now = o.retry_policy();
        o.retry(RetryPolicy::new(now.max_attempts(), millis(base_ms), millis(cap_ms))).map(|_| ())
    })
}

/// Sets the proxy, as curl's `CURLOPT_PROXY` does:
///
/// - NULL (the default): from the environment, as curl reads it. For an
///   `https` base URL `https_proxy`, else `HTTPS_PROXY`; for `http`,
///   `http_proxy`, else `HTTP_PROXY`; then `all_proxy`, else `ALL_PROXY`.
///   `no_proxy` (else `NO_PROXY`) lists hosts reached directly: `*`,
///   domains (`example.com` also matches its subdomains), IP addresses and
///   CIDR ranges.
/// - `""`: no proxy, whatever the environment says.
/// - a URL, `http://[user:password@]host:port` (or `https://` for TLS to the
///   proxy): this proxy, whatever the environment says.
///
/// Requests go through the proxy as a `CONNECT` tunnel, so TLS runs end to
/// end and the proxy never sees the API key. The string is copied; the
/// proxy URL is checked when the client is made.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `url` is not UTF-8.
///
/// # Safety
/// `options` is NULL or a live handle; `url` is NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_proxy(options: *mut SynapOptions, url: *const c_char) -> SynapCode {
    set(options, |o| {
        o.proxy(match opt_string(url, "url")? {
            None => ProxySetting::FromEnv,
            Some("") => ProxySetting::Off,
            Some(url) => ProxySetting::Url(url.to_owned()),
        });
        Ok(())
    })
}

/// Trusts the certificate authorities in the PEM file at `path` instead of
/// the bundled Mozilla roots, as curl's `--cacert` does (with
/// `synap_options_set_system_roots()` on as well, both are trusted). NULL
/// restores the bundled roots. The path is copied; the file is read by
/// `synap_client_new()`, which fails with `SYNAP_INVALID_ARGUMENT` if it
/// cannot be read or holds no certificate.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// `path` is not UTF-8.
///
/// # Safety
/// `options` is NULL or a live handle; `path` is NULL or a NUL-terminated
/// string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_ca_file(options: *mut SynapOptions, path: *const c_char) -> SynapCode {
    set(options, |o| {
        o.ca_file(opt_string(path, "path")?.map(PathBuf::from));
        Ok(())
    })
}

/// Trusts the operating system's root certificates instead of the bundled
/// Mozilla roots when `on` is true (default false). They are read by
/// `synap_client_new()`, from the usual places or `SSL_CERT_FILE` and
/// `SSL_CERT_DIR`; finding none fails it with `SYNAP_TLS`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_system_roots(options: *mut SynapOptions, on: bool) -> SynapCode {
    set(options, |o| {
        o.system_roots(on);
        Ok(())
    })
}

/// Allows a plain `http://` base URL to a host that is not loopback when
/// `allow` is true (default false). Without it `synap_client_new()` refuses
/// such a URL with `SYNAP_INVALID_ARGUMENT`, because the API key would cross
/// the network unencrypted. Loopback hosts (`127.0.0.0/8`, `::1`,
/// `localhost`) are always allowed.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_options_set_allow_insecure_http(options: *mut SynapOptions, allow: bool) -> SynapCode {
    set(options, |o| {
        o.allow_insecure_http(allow);
        Ok(())
    })
}

/// Every setter: the core's own setter checks the value and leaves the
/// options unchanged when it refuses it.
///
/// # Safety
/// `options` is NULL or a live handle, not used elsewhere meanwhile.
unsafe fn set(options: *mut SynapOptions, apply: impl FnOnce(&mut ClientOptions) -> Result<(), Error>) -> SynapCode {
    configure(options, "options", |o| apply(&mut o.inner))
}

fn millis(ms: u32) -> Duration {
    Duration::from_millis(ms.into())
}
