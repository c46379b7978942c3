//! Result codes, `synap_code_name`, and the calling thread's last error.

use std::cell::RefCell;
use std::ffi::{CString, c_char, c_int};
use std::ptr;

use super::cstr::c_line;
use crate::error::{Error, ErrorKind};

/// The result of every fallible libsynap call. `SYNAP_OK` is 0; any other
/// value is a failure whose details `synap_last_error_message()` and the
/// other `synap_last_error_*` functions give.
///
/// Codes are stable: new ones are only added at the end, and a number is
/// never reused. Treat an unknown value like `SYNAP_INTERNAL`.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SynapCode {
    /// Success.
    SYNAP_OK = 0,
    /// An argument or option was refused before any request was made: a
    /// NULL pointer where one is required, a string that is not UTF-8, an
    /// ingestion id that is not a UUID, a malformed URL, a zero timeout.
    SYNAP_INVALID_ARGUMENT = 1,
    /// HTTP 401 or 403 (a missing, malformed or unknown API key), or no API
    /// key was given and `SYNAP_API_KEY` is unset.
    SYNAP_AUTH = 2,
    /// HTTP 404: the ingestion id is unknown, or outside the key's scope.
    SYNAP_NOT_FOUND = 3,
    /// HTTP 400, 422 or another 4xx refusing the request as invalid.
    SYNAP_INVALID_REQUEST = 4,
    /// HTTP 402, or a 429 whose body says credits or the trial ran out
    /// (waiting will not help, so it is not `SYNAP_RATE_LIMITED`).
    SYNAP_INSUFFICIENT_CREDITS = 5,
    /// HTTP 409.
    SYNAP_CONFLICT = 6,
    /// HTTP 429, a plain rate limit. `synap_last_error_retry_after_ms()`
    /// says how long the server asked to wait, if it did.
    SYNAP_RATE_LIMITED = 7,
    /// HTTP 5xx.
    SYNAP_SERVER = 8,
    /// The connect or request timeout passed, or HTTP 408.
    SYNAP_TIMEOUT = 9,
    /// The host could not be resolved or reached, the connection was refused
    /// or reset, or the server closed it before the response was complete.
    SYNAP_NETWORK = 10,
    /// The TLS handshake failed or the server's certificate was refused.
    SYNAP_TLS = 11,
    /// The server's answer was not valid: malformed HTTP or JSON, a missing
    /// or ill-typed field (the message names it), a body over the size cap,
    /// a redirect (never followed), or another unexpected status.
    SYNAP_PROTOCOL = 12,
    /// The caller cancelled the operation.
    SYNAP_CANCELLED = 13,
    /// A bug in libsynap was caught at the API boundary. The message says
    /// what; please report it.
    SYNAP_INTERNAL = 14,
    /// A local file could not be opened or read, or changed size while it
    /// was sent (an upload's source). The message names the file and the
    /// reason; nothing was sent complete.
    SYNAP_FILE = 15,
}

impl SynapCode {
    const ALL: [SynapCode; 16] = [
        SynapCode::SYNAP_OK,
        SynapCode::SYNAP_INVALID_ARGUMENT,
        SynapCode::SYNAP_AUTH,
        SynapCode::SYNAP_NOT_FOUND,
        SynapCode::SYNAP_INVALID_REQUEST,
        SynapCode::SYNAP_INSUFFICIENT_CREDITS,
        SynapCode::SYNAP_CONFLICT,
        SynapCode::SYNAP_RATE_LIMITED,
        SynapCode::SYNAP_SERVER,
        SynapCode::SYNAP_TIMEOUT,
        SynapCode::SYNAP_NETWORK,
        SynapCode::SYNAP_TLS,
        SynapCode::SYNAP_PROTOCOL,
        SynapCode::SYNAP_CANCELLED,
        SynapCode::SYNAP_INTERNAL,
        SynapCode::SYNAP_FILE,
    ];

    fn name(self) -> &'static str {
        match self {
            SynapCode::SYNAP_OK => "SYNAP_OK\0",
            SynapCode::SYNAP_INVALID_ARGUMENT => "SYNAP_INVALID_ARGUMENT\0",
            SynapCode::SYNAP_AUTH => "SYNAP_AUTH\0",
            SynapCode::SYNAP_NOT_FOUND => "SYNAP_NOT_FOUND\0",
            SynapCode::SYNAP_INVALID_REQUEST => "SYNAP_INVALID_REQUEST\0",
            SynapCode::SYNAP_INSUFFICIENT_CREDITS => "SYNAP_INSUFFICIENT_CREDITS\0",
            SynapCode::SYNAP_CONFLICT => "SYNAP_CONFLICT\0",
            SynapCode::SYNAP_RATE_LIMITED => "SYNAP_RATE_LIMITED\0",
            SynapCode::SYNAP_SERVER => "SYNAP_SERVER\0",
            SynapCode::SYNAP_TIMEOUT => "SYNAP_TIMEOUT\0",
            SynapCode::SYNAP_NETWORK => "SYNAP_NETWORK\0",
            SynapCode::SYNAP_TLS => "SYNAP_TLS\0",
            SynapCode::SYNAP_PROTOCOL => "SYNAP_PROTOCOL\0",
            SynapCode::SYNAP_CANCELLED => "SYNAP_CANCELLED\0",
            SynapCode::SYNAP_INTERNAL => "SYNAP_INTERNAL\0",
            SynapCode::SYNAP_FILE => "SYNAP_FILE\0",
        }
    }
}

impl From<ErrorKind> for SynapCode {
    fn from(kind: ErrorKind) -> SynapCode {
        match kind {
            ErrorKind::InvalidArgument => SynapCode::SYNAP_INVALID_ARGUMENT,
            ErrorKind::Auth => SynapCode::SYNAP_AUTH,
            ErrorKind::NotFound => SynapCode::SYNAP_NOT_FOUND,
            ErrorKind::InvalidRequest => SynapCode::SYNAP_INVALID_REQUEST,
            ErrorKind::InsufficientCredits => SynapCode::SYNAP_INSUFFICIENT_CREDITS,
            ErrorKind::Conflict => SynapCode::SYNAP_CONFLICT,
            ErrorKind::RateLimited => SynapCode::SYNAP_RATE_LIMITED,
            ErrorKind::Server => SynapCode::SYNAP_SERVER,
            ErrorKind::Timeout => SynapCode::SYNAP_TIMEOUT,
            ErrorKind::Network => SynapCode::SYNAP_NETWORK,
            ErrorKind::Tls => SynapCode::SYNAP_TLS,
            ErrorKind::Protocol => SynapCode::SYNAP_PROTOCOL,
            ErrorKind::Cancelled => SynapCode::SYNAP_CANCELLED,
            ErrorKind::Internal => SynapCode::SYNAP_INTERNAL,
            ErrorKind::File => SynapCode::SYNAP_FILE,
        }
    }
}

/// The name of a result code, e.g. `"SYNAP_NOT_FOUND"` for
/// `SYNAP_NOT_FOUND`; `"SYNAP_UNKNOWN_CODE"` for a value that is not a code.
///
/// Takes a plain `int` so any value is safe to pass. The string is static:
/// never free it.
#[unsafe(no_mangle)]
pub extern "C" fn synap_code_name(code: c_int) -> *const c_char {
    let name =
        usize::try_from(code).ok().and_then(|i| SynapCode::ALL.get(i)).map_or("SYNAP_UNKNOWN_CODE\0", |c| c.name());
    name.as_ptr().cast()
}

/// What the calling thread's last failed call left behind.
#[derive(Default)]
struct LastError {
    message: Option<CString>,
    http_status: u16,
    correlation_id: Option<CString>,
    retry_after_ms: Option<i64>,
}

thread_local! {
    static LAST_ERROR: RefCell<LastError> = RefCell::new(LastError::default());
}

pub(crate) fn clear_last_error() {
    // try_with: a call during thread teardown just has no last error.
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = LastError::default());
}

/// Stores `error` as the calling thread's last error and returns its code.
pub(crate) fn record_last_error(error: &Error) -> SynapCode {
    let last = LastError {
        message: Some(c_line(error.message())),
        http_status: error.http_status().unwrap_or(0),
        correlation_id: error.correlation_id().map(c_line),
        retry_after_ms: error.retry_after().map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
    };
    let _ = LAST_ERROR.try_with(|slot| *slot.borrow_mut() = last);
    error.kind().into()
}

fn read_last_error<T>(default: T, read: impl FnOnce(&LastError) -> T) -> T {
    LAST_ERROR.try_with(|slot| slot.try_borrow().map(|e| read(&e)).ok()).ok().flatten().unwrap_or(default)
}

fn c_ptr(text: &Option<CString>) -> *const c_char {
    text.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// The message of the calling thread's last failed call: one line of UTF-8
/// that names the problem (and never contains the API key). NULL if the
/// last fallible call on this thread succeeded, or none was made.
///
/// The string belongs to libsynap: do not free it. It stays valid until the
/// next fallible `synap_*` call on the same thread. Each thread has its own
/// last error.
#[unsafe(no_mangle)]
pub extern "C" fn synap_last_error_message() -> *const c_char {
    read_last_error(ptr::null(), |e| c_ptr(&e.message))
}

/// The HTTP status of the server's answer to the calling thread's last
/// failed call, or 0 if the failure came before or without an answer
/// (invalid argument, network error, timeout).
#[unsafe(no_mangle)]
pub extern "C" fn synap_last_error_http_status() -> u16 {
    read_last_error(0, |e| e.http_status)
}

/// The `X-Correlation-ID` libsynap sent with the calling thread's last
/// failed request, e.g. `"syn__1736937000412_9c41e7"`; quote it when
/// reporting a problem to the service. NULL if no request was made.
///
/// Owned and valid as for `synap_last_error_message()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_last_error_correlation_id() -> *const c_char {
    read_last_error(ptr::null(), |e| c_ptr(&e.correlation_id))
}

/// How long, in milliseconds, the server asked the caller to wait before
/// trying again (its `Retry-After` header, in seconds, decimal seconds or
/// an HTTP date), for the calling thread's last failed call; -1 if the
/// server gave none.
#[unsafe(no_mangle)]
pub extern "C" fn synap_last_error_retry_after_ms() -> i64 {
    read_last_error(-1, |e| e.retry_after_ms.unwrap_or(-1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn name(code: c_int) -> &'static str {
        // SAFETY: synap_code_name always returns a static C string.
        unsafe { CStr::from_ptr(synap_code_name(code)) }.to_str().unwrap()
    }

    #[test]
    fn every_code_has_its_own_name() {
        for (i, code) in SynapCode::ALL.iter().enumerate() {
            assert_eq!(*code as usize, i);
            assert_eq!(name(i as c_int), format!("{code:?}"));
        }
        for bad in [-1, 16, 1000, c_int::MIN, c_int::MAX] {
            assert_eq!(name(bad), "SYNAP_UNKNOWN_CODE");
        }
    }

    #[test]
    fn record_and_read_back() {
        let e = Error::new(ErrorKind::RateLimited, "HTTP 429: slow\0down")
            .with_http_status(429)
            .with_retry_after(Some(std::time::Duration::from_millis(1500)))
            .with_correlation_id("syn__1_abcdef");
        assert_eq!(record_last_error(&e), SynapCode::SYNAP_RATE_LIMITED);
        // SAFETY: valid until the next fallible call on this thread.
        let msg = unsafe { CStr::from_ptr(synap_last_error_message()) };
        assert_eq!(msg.to_str().unwrap(), "HTTP 429: slow down");
        assert_eq!(synap_last_error_http_status(), 429);
        assert_eq!(synap_last_error_retry_after_ms(), 1500);
        // SAFETY: as above.
        let cid = unsafe { CStr::from_ptr(synap_last_error_correlation_id()) };
        assert_eq!(cid.to_str().unwrap(), "syn__1_abcdef");
        clear_last_error();
        assert!(synap_last_error_message().is_null());
        assert!(synap_last_error_correlation_id().is_null());
        assert_eq!(synap_last_error_http_status(), 0);
        assert_eq!(synap_last_error_retry_after_ms(), -1);
    }
}
