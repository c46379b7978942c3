//! The process-wide log hook: off until a program installs a callback, then
//! it hears retries, backoff waits, warnings and (at `Debug`) each request.
//! Messages never contain the API key or proxy credentials.

use std::cell::Cell;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// How much the log callback hears; each level includes those above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// A call failed in a way the caller may not see (none in 0.1).
    Error = 1,
    /// Something the caller should know about: plain HTTP to a remote host,
    /// a `Retry-After` longer than the backoff cap, a retry cut by a deadline.
    Warn = 2,
    /// Retries and the backoff waited, the proxy in use.
    Info = 3,
    /// Every request and its outcome, every poll of a wait.
    Debug = 4,
}

impl LogLevel {
    /// The level's number as in the C header (1 = error … 4 = debug), if valid.
    pub fn from_number(n: i32) -> Option<LogLevel> {
        match n {
            1 => Some(LogLevel::Error),
            2 => Some(LogLevel::Warn),
            3 => Some(LogLevel::Info),
            4 => Some(LogLevel::Debug),
            _ => None,
        }
    }
}

/// A log callback: called on the thread that makes the call being logged,
/// possibly from many threads at once.
pub type LogFn = Box<dyn Fn(LogLevel, &str) + Send + Sync>;

/// 0 while no callback is installed, so a disabled log costs one load.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(0);
static SINK: RwLock<Option<LogFn>> = RwLock::new(None);

thread_local! {
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

/// Installs `callback` to hear messages up to `max_level`, replacing any
/// previous one; `None` turns logging off. Once this returns, the previous
/// callback is not running and will not be called again.
///
/// Fails (returns `false`) when called from inside a log callback, which
/// would otherwise deadlock.
pub fn set_log_callback(max_level: LogLevel, callback: Option<LogFn>) -> bool {
    if IN_CALLBACK.with(Cell::get) {
        return false;
    }
    let mut sink = SINK.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    let level = if callback.is_some() { max_level as u8 } else { 0 };
    *sink = callback;
    MAX_LEVEL.store(level, Ordering::Release);
    true
}

/// Whether a message at `level` would be heard; lets callers skip building it.
pub(crate) fn enabled(level: LogLevel) -> bool {
    (level as u8) <= MAX_LEVEL.load(Ordering::Acquire)
}

/// Sends a message to the callback, if one hears `level`. A message logged
/// while a callback runs on this thread (the callback called libsynap) is
/// dropped rather than re-entering the callback.
pub(crate) fn log(level: LogLevel, message: impl FnOnce() -> String) {
    if !enabled(level) || IN_CALLBACK.with(Cell::get) {
        return;
    }
    let sink = SINK.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(callback) = sink.as_ref() {
        let text = message();
        IN_CALLBACK.with(|flag| flag.set(true));
        // A panicking Rust callback must not leave the flag set or poison
        // the lock for everyone; its panic still propagates to the caller.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| callback(level, &text)));
        IN_CALLBACK.with(|flag| flag.set(false));
        if let Err(payload) = result {
            drop(sink);
            std::panic::resume_unwind(payload);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// Serialises tests that install the process-wide callback.
    pub(crate) static LOG_TESTS: Mutex<()> = Mutex::new(());

    #[test]
    fn levels_filter_and_reentry_is_refused() {
        let _serial = LOG_TESTS.lock().unwrap_or_else(|p| p.into_inner());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        assert!(set_log_callback(
            LogLevel::Info,
            Some(Box::new(move |level, text| {
                // Logging and re-installing from inside are both refused.
                log(LogLevel::Error, || "nested".to_owned());
                assert!(!set_log_callback(LogLevel::Debug, None));
                sink.lock().unwrap().push((level, text.to_owned()));
            }))
        ));
        log(LogLevel::Info, || "retrying".to_owned());
        log(LogLevel::Debug, || unreachable!("debug is filtered before the message is built"));
        log(LogLevel::Warn, || "careful".to_owned());
        assert!(set_log_callback(LogLevel::Debug, None));
        log(LogLevel::Error, || unreachable!("logging is off"));
        assert_eq!(
            *seen.lock().unwrap(),
            vec![(LogLevel::Info, "retrying".to_owned()), (LogLevel::Warn, "careful".to_owned())]
        );
        assert_eq!(LogLevel::from_number(3), Some(LogLevel::Info));
        assert_eq!(LogLevel::from_number(0), None);
        assert_eq!(LogLevel::from_number(5), None);
    }
}
