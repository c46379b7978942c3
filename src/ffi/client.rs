//! `SynapClient`: the handle every call goes through.

use std::ffi::c_char;

use super::cstr::opt_string;
use super::error::SynapCode;
use super::guard::{Handle, free, produce};
use super::options::SynapOptions;
use crate::{Client, ClientOptions};

/// A connection to the Synap service: API key, base URL, timeouts and a
/// pool of kept-alive connections.
///
/// Made by `synap_client_new()`, freed by `synap_client_free()`. Immutable
/// once made: one client may be used by any number of threads at once, and
/// sharing one is how connections get reused.
pub struct SynapClient {
    pub(crate) inner: Client,
}

impl Handle for SynapClient {
    const NAME: &'static str = "SynapClient";
}

/// Makes a client. Makes no network request, so a wrong key or URL shows up
/// on the first call.
///
/// - `api_key`: the API key (`"synap_..."`), or NULL or `""` to read
///   `SYNAP_API_KEY` from the environment. Copied.
/// - `options`: NULL for the defaults, else options from
///   `synap_options_new()`; copied, so they may be freed right after.
/// - `out_client`: receives the new client on `SYNAP_OK`; set to NULL on
///   entry, so it is NULL after any failure.
///
/// Returns `SYNAP_OK`; `SYNAP_AUTH` if there is no key at all;
/// `SYNAP_INVALID_ARGUMENT` if `out_client` is NULL, the key is not UTF-8 or
/// has spaces or control characters, or `SYNAP_BASE_URL` is malformed.
/// Free the client with `synap_client_free()`.
///
/// # Safety
/// `api_key` is NULL or a NUL-terminated string; `options` is NULL or a live
/// options handle; `out_client` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_client_new(
    api_key: *const c_char,
    options: *const SynapOptions,
    out_client: *mut *mut SynapClient,
) -> SynapCode {
    produce(out_client, "out_client", || {
        let mut settings = options.as_ref().map_or_else(ClientOptions::new, |o| o.inner.clone());
        if let Some(key) = opt_string(api_key, "api_key")? {
            settings.api_key(key)?;
        }
        Ok(SynapClient { inner: Client::new(&settings)? })
    })
}

/// Frees a client and closes its connections. NULL is ignored. No call may
/// be using the client, on any thread, when it is freed; status handles it
/// returned stay valid.
///
/// # Safety
/// `client` is NULL or a live handle from `synap_client_new()`, freed
/// exactly once and not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_client_free(client: *mut SynapClient) {
    free(client)
}
