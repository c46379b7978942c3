//! `CancelToken`: lets another thread stop a wait, waking it mid-sleep.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// A flag another thread can raise to stop a wait (or the backoff of a
/// call) within milliseconds. Clones share the flag. Once cancelled it
/// stays cancelled.
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    cancelled: Mutex<bool>,
    wake: Condvar,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Raises the flag and wakes every thread sleeping on it.
    pub fn cancel(&self) {
        let mut cancelled = self.inner.cancelled.lock().unwrap_or_else(|p| p.into_inner());
        *cancelled = true;
        self.inner.wake.notify_all();
    }

    /// Whether `cancel` has been called.
    pub fn is_cancelled(&self) -> bool {
        *self.inner.cancelled.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sleeps for `duration` unless cancelled first; returns `false` if the
    /// sleep was cut short by cancellation.
    pub(crate) fn sleep(&self, duration: Duration) -> bool {
        let until = Instant::now() + duration;
        let mut cancelled = self.inner.cancelled.lock().unwrap_or_else(|p| p.into_inner());
        while !*cancelled {
            let now = Instant::now();
            if now >= until {
                return true;
            }
            cancelled = self.inner.wake.wait_timeout(cancelled, until - now).unwrap_or_else(|p| p.into_inner()).0;
        }
        false
    }
}

/// Sleeps for `duration`, cut short if `cancel` is raised; `false` if it was.
pub(crate) fn sleep(duration: Duration, cancel: Option<&CancelToken>) -> bool {
    match cancel {
        Some(token) => token.sleep(duration),
        None => {
            std::thread::sleep(duration);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_wakes_a_sleeper_at_once() {
        let token = CancelToken::new();
        let other = token.clone();
        let started = Instant::now();
        let sleeper = std::thread::spawn(move || other.sleep(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        token.cancel();
        assert!(!sleeper.join().unwrap(), "the sleep reports cancellation");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(token.is_cancelled());
        assert!(!token.sleep(Duration::from_secs(30)), "a cancelled token does not sleep");
    }

    #[test]
    fn an_uncancelled_sleep_runs_its_length() {
        let started = Instant::now();
        assert!(CancelToken::new().sleep(Duration::from_millis(30)));
        assert!(started.elapsed() >= Duration::from_millis(30));
    }
}
