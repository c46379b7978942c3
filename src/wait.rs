//! `memories.wait_for_completion` (contract section 6): poll a job's status
//! on a monotonic clock until it reaches a terminal state.

use std::time::{Duration, Instant};

use crate::call::Limits;
use crate::cancel::{CancelToken, sleep};
use crate::client::{Client, parse_ingestion_id};
use crate::error::{Error, ErrorKind};
use crate::log::{LogLevel, log};
use crate::options::check_timeout;
use crate::retry::human;
use crate::status::MemoryStatus;
use crate::wait_all::MAX_IN_FLIGHT;

/// How long a wait may take by default, as in the reference SDK.
pub const DEFAULT_WAIT_TIMEOUT: Duration = Duration::from_secs(300);
/// The default pause between polls, as in the reference SDK.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// How a wait polls: for one job ([`Client::memories_wait`]) or many
/// ([`Client::memories_wait_all`]). Setters check their value and leave the
/// options unchanged when they refuse one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    pub(crate) timeout: Duration,
    pub(crate) poll_interval: Duration,
    pub(crate) max_in_flight: usize,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions::DEFAULT
    }
}

impl WaitOptions {
    pub(crate) const DEFAULT: WaitOptions =
        WaitOptions { timeout: DEFAULT_WAIT_TIMEOUT, poll_interval: DEFAULT_POLL_INTERVAL, max_in_flight: 8 };

    /// The defaults: 300 s in all, a poll every 2 s, 8 polls in flight.
    pub fn new() -> WaitOptions {
        WaitOptions::default()
    }

    /// The most the whole wait may take, status calls included; greater
    /// than zero.
    pub fn timeout(&mut self, timeout: Duration) -> Result<&mut Self, Error> {
        check_timeout("wait timeout", timeout)?;
        self.timeout = timeout;
        Ok(self)
    }

    /// The pause between the end of one poll of a job and the start of its
    /// next; greater than zero.
    pub fn poll_interval(&mut self, interval: Duration) -> Result<&mut Self, Error> {
        check_timeout("poll interval", interval)?;
        self.poll_interval = interval;
        Ok(self)
    }

    /// Status requests a wait-all has in flight at once, 1 to
    /// [`MAX_IN_FLIGHT`]; a single wait has one.
    pub fn max_in_flight(&mut self, requests: usize) -> Result<&mut Self, Error> {
        if !(1..=MAX_IN_FLIGHT).contains(&requests) {
            return Err(Error::invalid_argument(format!(
                "max_in_flight must be between 1 and {MAX_IN_FLIGHT}, not {requests}"
            )));
        }
        self.max_in_flight = requests;
        Ok(self)
    }
}

impl Client {
    /// Polls `memories.status` until the job is `completed`, `failed` or
    /// `partial_success`, and returns that status: a failed job is a status,
    /// not an error.
    ///
    /// `progress` sees every polled status, the last one included; returning
    /// `false` ends the wait with [`ErrorKind::Cancelled`]. So does `cancel`,
    /// raised from another thread, at once if the wait is sleeping (a status
    /// request in flight finishes first). A status error ends the wait with
    /// that error. When `options.timeout` passes, the wait ends with
    /// [`ErrorKind::Timeout`]: the last pause is cut to the deadline, and
    /// status requests get no more time than is left.
    pub fn memories_wait(
        &self,
        ingestion_id: &str,
        options: &WaitOptions,
        cancel: Option<&CancelToken>,
        progress: impl FnMut(&MemoryStatus) -> bool,
    ) -> Result<MemoryStatus, Error> {
        let id = parse_ingestion_id(ingestion_id)?;
        let job = Job {
            what: &format!("ingestion {id}"),
            poll: &|limits: &Limits<'_>| self.status_within(id, limits),
            state: &|status: &MemoryStatus| status.state().to_string(),
            done: &|status: &MemoryStatus| status.state().is_terminal(),
        };
        self.poll_until(&job, options, cancel, progress)
    }

    /// Polls `job` until it is done, as [`Client::memories_wait`] describes
    /// (which is this loop for an ingestion job).
    pub(crate) fn poll_until<T>(
        &self,
        job: &Job<'_, T>,
        options: &WaitOptions,
        cancel: Option<&CancelToken>,
        mut progress: impl FnMut(&T) -> bool,
    ) -> Result<T, Error> {
        let what = job.what;
        let started = Instant::now();
        let deadline = started + options.timeout;
        let mut polls = 0u32;
        loop {
            if cancel.is_some_and(CancelToken::is_cancelled) {
                return Err(cancelled(polls, "by the cancel handle"));
            }
            let value = (job.poll)(&self.limits(Some(deadline), cancel)).map_err(|e| {
                if e.kind() == ErrorKind::Timeout && Instant::now() >= deadline {
                    let message =
                        format!("{what} did not complete within {} ms: {}", options.timeout.as_millis(), e.message());
                    e.with_message(message)
                } else {
                    e
                }
            })?;
            polls += 1;
            log(LogLevel::Debug, || {
                format!("wait {what}: poll {polls}: {} after {}", (job.state)(&value), human(started.elapsed()))
            });
            if !progress(&value) {
                return Err(cancelled(polls, "by the progress callback"));
            }
            if (job.done)(&value) {
                return Ok(value);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let pause = options.poll_interval.min(left);
            if !sleep(pause, cancel) {
                return Err(cancelled(polls, "by the cancel handle"));
            }
            if pause == left {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{what} did not complete within {} ms: still {} after {polls} polls",
                        options.timeout.as_millis(),
                        (job.state)(&value)
                    ),
                ));
            }
        }
    }
}

/// A job a wait polls: how to poll it once within the wait's limits, how
/// to name its state, and when it is done.
pub(crate) struct Job<'a, T> {
    /// Names the job in messages: `ingestion <id>`, `deletion <id>`.
    pub what: &'a str,
    pub poll: &'a dyn Fn(&Limits<'_>) -> Result<T, Error>,
    pub state: &'a dyn Fn(&T) -> String,
    pub done: &'a dyn Fn(&T) -> bool,
}

fn cancelled(polls: u32, how: &str) -> Error {
    Error::new(ErrorKind::Cancelled, format!("wait cancelled {how} after {polls} polls"))
}
