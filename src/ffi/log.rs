//! `synap_set_log_callback()`: the library's log lines into the program's log.

use std::ffi::{c_char, c_void};

use super::cstr::c_line;

use super::error::SynapCode;
use super::guard::entry;
use crate::error::Error;
use crate::{LogLevel, set_log_callback};

/// How much the log callback hears; each level includes the ones before it.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapLogLevel {
    /// Failures the caller may not see otherwise.
    SYNAP_LOG_ERROR = 1,
    /// Things to know: plain http to a remote host, a `Retry-After` longer
    /// than the backoff cap, a retry a deadline did not leave time for.
    SYNAP_LOG_WARN = 2,
    /// Retries and the backoff waited, the proxy in use.
    SYNAP_LOG_INFO = 3,
    /// Every request with its outcome and time, every poll of a wait.
    SYNAP_LOG_DEBUG = 4,
}

/// Receives one log line: `message` is NUL-terminated UTF-8, one line, no
/// trailing newline, borrowed for the duration of the call only. It never
/// contains the API key or proxy credentials; it ends with the request's
/// correlation id in brackets when there is one.
///
/// Called on the thread whose libsynap call logs, so possibly from several
/// threads at once: the callback must be thread-safe. It may call libsynap
/// functions, but their own log lines are dropped, and it must not call
/// `synap_set_log_callback()`.
pub type SynapLogFn =
    Option<unsafe extern "C" fn(level: SynapLogLevel, message: *const c_char, user_data: *mut c_void)>;

/// The user's pointer, passed back untouched on whatever thread logs.
struct UserData(*mut c_void);
// SAFETY: libsynap never dereferences it; making it safe to use from the
// threads that log is the caller's part, as the documentation says.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}

/// Installs the process-wide log callback: `callback` hears every message
/// at `level` or more severe, with `user_data` passed back untouched.
/// NULL `callback` turns logging off (the default). Replaces any callback
/// installed before; when this returns, the old one is not running and will
/// not be called again, so its `user_data` may be freed.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `level` is not a
/// `SynapLogLevel` or this is called from inside a log callback.
///
/// # Safety
/// `callback` is NULL or a function that may be called as `SynapLogFn`
/// documents, with `user_data`, from any thread, until it is replaced.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_set_log_callback(level: i32, callback: SynapLogFn, user_data: *mut c_void) -> SynapCode {
    entry(|| {
        let max = LogLevel::from_number(level)
            .ok_or_else(|| Error::invalid_argument(format!("log level {level} is not a SynapLogLevel (1 to 4)")))?;
        let sink = callback.map(|callback| {
            let user_data = UserData(user_data);
            Box::new(move |level: LogLevel, text: &str| {
                let level = match level {
                    LogLevel::Error => SynapLogLevel::SYNAP_LOG_ERROR,
                    LogLevel::Warn => SynapLogLevel::SYNAP_LOG_WARN,
                    LogLevel::Info => SynapLogLevel::SYNAP_LOG_INFO,
                    LogLevel::Debug => SynapLogLevel::SYNAP_LOG_DEBUG,
                };
                let text = c_line(text);
                let user_data = &user_data;
                // SAFETY: the caller promised `callback` may be called so.
                unsafe { callback(level, text.as_ptr(), user_data.0) }
            }) as crate::LogFn
        });
        if set_log_callback(max, sink) {
            Ok(())
        } else {
            Err(Error::invalid_argument("synap_set_log_callback() cannot be called from inside a log callback"))
        }
    })
}
