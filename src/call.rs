//! One logical call: its attempts, the backoff between them, its deadline
//! and cancellation. The same correlation id goes with every attempt.

use std::time::{Duration, Instant};

use crate::cancel::{CancelToken, sleep};
use crate::error::{Error, ErrorKind};
use crate::log::{LogLevel, log};
use crate::retry::{RetryPolicy, describe, human};
use crate::rng;

/// The limits one call runs under.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Limits<'a> {
    /// No attempt starts, and no attempt runs, past this instant.
    pub deadline: Option<Instant>,
    /// Stops the backoff between attempts.
    pub cancel: Option<&'a CancelToken>,
}

impl Limits<'_> {
    /// The time left before the deadline, if there is one.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline.map(|d| d.saturating_duration_since(Instant::now()))
    }
}

/// Whether a request may be sent twice without harm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Idempotence {
    /// A GET: any transient failure may be retried.
    Idempotent,
    /// A POST that creates something: retried only when the failure proves
    /// the request had no effect (see `Error::is_safe_to_resend`).
    NotIdempotent,
}

/// Runs `attempt` until it succeeds, fails permanently, runs out of
/// attempts, or the next backoff would pass the deadline; then returns the
/// last attempt's result. `attempt` gets the time left before the deadline.
/// `what` names the call in log lines; it is only called to log.
pub(crate) fn with_retries<T>(
    policy: &RetryPolicy,
    limits: &Limits<'_>,
    idempotence: Idempotence,
    what: &dyn Fn() -> String,
    correlation_id: &str,
    mut attempt: impl FnMut(Option<Duration>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut number = 1;
    loop {
        let remaining = limits.remaining();
        if remaining == Some(Duration::ZERO) {
            return Err(Error::new(ErrorKind::Timeout, "the call's deadline passed before the request was sent"));
        }
        let error = match attempt(remaining) {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let retryable = match idempotence {
            Idempotence::Idempotent => error.is_transient(),
            Idempotence::NotIdempotent => error.is_safe_to_resend(),
        };
        if !retryable || number >= policy.max_attempts {
            if number > 1 {
                log(LogLevel::Info, || {
                    format!(
                        "{}: attempt {number} of {} failed ({}); giving up [{correlation_id}]",
                        what(),
                        policy.max_attempts,
                        describe(&error)
                    )
                });
            }
            return Err(error);
        }
        let delay = policy.backoff(number, &error, rng::unit());
        if let Some(asked) = error.retry_after().filter(|asked| *asked > policy.cap) {
            log(LogLevel::Warn, || {
                format!(
                    "{}: the server asked to wait {}; waiting the {} cap [{correlation_id}]",
                    what(),
                    human(asked),
                    human(policy.cap)
                )
            });
        }
        if let Some(left) = limits.remaining().filter(|left| *left <= delay) {
            log(LogLevel::Warn, || {
                format!(
                    "{}: attempt {number} failed ({}); not retrying: {} left before the deadline, backoff is {} [{correlation_id}]",
                    what(),
                    describe(&error),
                    human(left),
                    human(delay)
                )
            });
            return Err(error);
        }
        log(LogLevel::Info, || {
            format!(
                "{}: attempt {number} of {} failed ({}); retrying in {} [{correlation_id}]",
                what(),
                policy.max_attempts,
                describe(&error),
                human(delay)
            )
        });
        if !sleep(delay, limits.cancel) {
            return Err(Error::new(
                ErrorKind::Cancelled,
                format!("cancelled while waiting to retry after attempt {number}"),
            ));
        }
        number += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(attempts: u32) -> RetryPolicy {
        RetryPolicy::new(attempts, Duration::from_millis(1), Duration::from_millis(5))
    }

    fn run(
        policy: RetryPolicy,
        limits: Limits<'_>,
        outcomes: &mut Vec<Result<u32, Error>>,
    ) -> (Result<u32, Error>, u32) {
        let mut calls = 0;
        let result = with_retries(&policy, &limits, Idempotence::Idempotent, &|| "GET /x".to_owned(), "cid", |_| {
            calls += 1;
            outcomes.remove(0)
        });
        (result, calls)
    }

    fn err(kind: ErrorKind) -> Result<u32, Error> {
        Err(Error::new(kind, "x"))
    }

    #[test]
    fn transient_failures_are_retried_until_success() {
        let mut outcomes = vec![err(ErrorKind::Server), err(ErrorKind::Network), Ok(7)];
        let (result, calls) = run(fast(3), Limits::default(), &mut outcomes);
        assert_eq!(result.unwrap(), 7);
        assert_eq!(calls, 3);
    }

    #[test]
    fn attempts_are_bounded_and_permanent_errors_stop_at_once() {
        let mut outcomes = vec![err(ErrorKind::Server), err(ErrorKind::Server), err(ErrorKind::Server)];
        let (result, calls) = run(fast(2), Limits::default(), &mut outcomes);
        assert_eq!(result.unwrap_err().kind(), ErrorKind::Server);
        assert_eq!(calls, 2);
        for kind in [ErrorKind::InsufficientCredits, ErrorKind::Protocol, ErrorKind::Auth, ErrorKind::Tls] {
            let (result, calls) = run(fast(3), Limits::default(), &mut vec![err(kind), Ok(1)]);
            assert_eq!((result.unwrap_err().kind(), calls), (kind, 1));
        }
        let dns = Err(Error::new(ErrorKind::Network, "could not resolve").permanent());
        let (result, calls) = run(fast(3), Limits::default(), &mut vec![dns, Ok(1)]);
        assert_eq!((result.unwrap_err().kind(), calls), (ErrorKind::Network, 1));
    }

    #[test]
    fn a_post_is_resent_only_when_it_provably_had_no_effect() {
        let post = |first: Error| {
            let mut outcomes = vec![Err(first), Ok(1)];
            let mut calls = 0;
            let result =
                with_retries(&fast(3), &Limits::default(), Idempotence::NotIdempotent, &String::new, "c", |_| {
                    calls += 1;
                    outcomes.remove(0)
                });
            (result.is_ok(), calls)
        };
        assert_eq!(post(Error::new(ErrorKind::Network, "refused").not_sent()), (true, 2));
        assert_eq!(post(Error::new(ErrorKind::Server, "503").with_http_status(503)), (true, 2));
        assert_eq!(post(Error::new(ErrorKind::RateLimited, "429").with_http_status(429)), (true, 2));
        assert_eq!(post(Error::new(ErrorKind::Server, "500").with_http_status(500)), (false, 1));
        assert_eq!(post(Error::new(ErrorKind::Timeout, "no answer")), (false, 1));
        assert_eq!(post(Error::new(ErrorKind::Network, "reset")), (false, 1));
    }

    #[test]
    fn a_backoff_past_the_deadline_returns_the_last_error() {
        let policy = RetryPolicy::new(3, Duration::from_secs(5), Duration::from_secs(5));
        let limits = Limits { deadline: Some(Instant::now() + Duration::from_millis(200)), cancel: None };
        let started = Instant::now();
        let (result, calls) = run(policy, limits, &mut vec![err(ErrorKind::Server), Ok(1)]);
        assert_eq!((result.unwrap_err().kind(), calls), (ErrorKind::Server, 1));
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn an_expired_deadline_sends_nothing() {
        let limits = Limits { deadline: Some(Instant::now()), cancel: None };
        let (result, calls) = run(fast(3), limits, &mut vec![Ok(1)]);
        assert_eq!((result.unwrap_err().kind(), calls), (ErrorKind::Timeout, 0));
    }

    #[test]
    fn cancel_stops_the_backoff() {
        let token = CancelToken::new();
        token.cancel();
        let policy = RetryPolicy::new(3, Duration::from_secs(5), Duration::from_secs(5));
        let limits = Limits { deadline: None, cancel: Some(&token) };
        let (result, calls) = run(policy, limits, &mut vec![err(ErrorKind::Server), Ok(1)]);
        let error = result.unwrap_err();
        assert_eq!((error.kind(), calls), (ErrorKind::Cancelled, 1));
        assert_eq!(error.message(), "cancelled while waiting to retry after attempt 1");
    }
}
