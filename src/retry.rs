//! `RetryPolicy`: how many attempts a call makes and how long it waits
//! between them (contract section 12).

use std::time::Duration;

use crate::error::{Error, one_line};

/// Default attempts per call, the first included.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Default backoff after the first failed attempt; it doubles per attempt.
pub const DEFAULT_RETRY_BASE: Duration = Duration::from_secs(1);
/// Default longest wait between attempts, `Retry-After` included.
pub const DEFAULT_RETRY_CAP: Duration = Duration::from_secs(10);
/// More attempts than this is a mistake, not a policy.
pub(crate) const MAX_ATTEMPTS_LIMIT: u32 = 100;

/// How a call retries a transient failure (429 that is not a credit stop,
/// 5xx, a timeout, a connection refused, reset or closed early).
///
/// After failed attempt `n` the call waits `min(base * 2^(n-1), cap)` plus
/// up to 25 % jitter, still at most `cap`; when the server sent
/// `Retry-After`, it waits exactly that, at most `cap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base: Duration,
    pub(crate) cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: DEFAULT_MAX_ATTEMPTS, base: DEFAULT_RETRY_BASE, cap: DEFAULT_RETRY_CAP }
    }
}

impl RetryPolicy {
    /// A policy; checked when it is set on the options.
    pub fn new(max_attempts: u32, base: Duration, cap: Duration) -> RetryPolicy {
        RetryPolicy { max_attempts, base, cap }
    }

    /// No retries: one attempt per call.
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// Attempts per call, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if !(1..=MAX_ATTEMPTS_LIMIT).contains(&self.max_attempts) {
            return Err(Error::invalid_argument(format!(
                "max_attempts must be between 1 and {MAX_ATTEMPTS_LIMIT} (1 means no retries), not {}",
                self.max_attempts
            )));
        }
        if self.cap < self.base {
            return Err(Error::invalid_argument(format!(
                "the retry cap ({} ms) must not be less than the base ({} ms)",
                self.cap.as_millis(),
                self.base.as_millis()
            )));
        }
        Ok(())
    }

    /// The wait after failed attempt `attempt` (1-based) that ended in
    /// `error`; `jitter` is uniform in [0, 1).
    pub(crate) fn backoff(&self, attempt: u32, error: &Error, jitter: f64) -> Duration {
        if let Some(asked) = error.retry_after() {
            return asked.min(self.cap);
        }
        let exponential = self.base.saturating_mul(1u32 << (attempt.clamp(1, 31) - 1)).min(self.cap);
        exponential.saturating_add(exponential.mul_f64(0.25 * jitter.clamp(0.0, 1.0))).min(self.cap)
    }
}

/// "1.25 s" / "250 ms", for log lines.
pub(crate) fn human(d: Duration) -> String {
    if d >= Duration::from_secs(1) { format!("{:.2} s", d.as_secs_f64()) } else { format!("{} ms", d.as_millis()) }
}

/// The short form of an error for a log line about a retry.
pub(crate) fn describe(error: &Error) -> String {
    one_line(&format!("{}: {}", error.kind().as_str(), error.message()), 300)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn server_error() -> Error {
        Error::new(ErrorKind::Server, "HTTP 503")
    }

    #[test]
    fn exponential_with_bounded_jitter_and_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, &server_error(), 0.0), Duration::from_secs(1));
        assert_eq!(p.backoff(1, &server_error(), 0.999_999), Duration::from_secs(1).mul_f64(1.0 + 0.25 * 0.999_999));
        assert_eq!(p.backoff(2, &server_error(), 0.0), Duration::from_secs(2));
        assert_eq!(p.backoff(3, &server_error(), 0.5), Duration::from_secs(4).mul_f64(1.125));
        assert_eq!(p.backoff(4, &server_error(), 0.9), Duration::from_millis(9800));
        assert_eq!(p.backoff(5, &server_error(), 0.0), Duration::from_secs(10), "16 s is capped");
        let tight = RetryPolicy::new(3, Duration::from_secs(9), Duration::from_secs(10));
        assert_eq!(tight.backoff(1, &server_error(), 0.9), Duration::from_secs(10), "jitter is capped too");
        assert_eq!(p.backoff(40, &server_error(), 0.0), Duration::from_secs(10), "no overflow");
    }

    #[test]
    fn retry_after_is_exact_and_capped() {
        let p = RetryPolicy::default();
        let asked = |secs: f64| {
            Error::new(ErrorKind::RateLimited, "HTTP 429").with_retry_after(Some(Duration::from_secs_f64(secs)))
        };
        assert_eq!(p.backoff(1, &asked(1.5), 0.9), Duration::from_millis(1500));
        assert_eq!(p.backoff(1, &asked(0.0), 0.9), Duration::ZERO);
        assert_eq!(p.backoff(1, &asked(60.0), 0.0), Duration::from_secs(10));
    }

    #[test]
    fn checks() {
        assert!(RetryPolicy::default().check().is_ok());
        assert!(RetryPolicy::none().check().is_ok());
        let bad = RetryPolicy::new(0, Duration::ZERO, Duration::ZERO).check().unwrap_err();
        assert_eq!(bad.message(), "max_attempts must be between 1 and 100 (1 means no retries), not 0");
        let bad = RetryPolicy::new(3, Duration::from_secs(2), Duration::from_secs(1)).check().unwrap_err();
        assert_eq!(bad.message(), "the retry cap (1000 ms) must not be less than the base (2000 ms)");
    }

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_millis(1250)), "1.25 s");
        assert_eq!(human(Duration::from_millis(80)), "80 ms");
    }
}
