//! Waiting for many ingestion jobs at once: a bounded number of status
//! requests in flight, one deadline for all, and progress as counts per
//! state. The reference SDKs have no equivalent; bulk loaders need it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::cancel::CancelToken;
use crate::client::{Client, parse_ingestion_id};
use crate::error::{Error, ErrorKind};
use crate::status::{IngestState, MemoryStatus};
use crate::wait::WaitOptions;

/// The most status requests a wait-all may have in flight.
pub const MAX_IN_FLIGHT: usize = 64;

/// How many jobs are in each state, for the progress callback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitCounts {
    /// Not polled yet.
    pub pending: usize,
    /// Last seen queued.
    pub queued: usize,
    /// Last seen processing (or in a state this version does not know).
    pub processing: usize,
    /// Finished: completed.
    pub completed: usize,
    /// Finished: failed.
    pub failed: usize,
    /// Finished: partial_success.
    pub partial_success: usize,
    /// Ended by an error (a malformed id, or a status error after retries).
    pub errors: usize,
}

impl WaitCounts {
    /// The final counts of a [`Client::memories_wait_all`] result: each
    /// terminal status by its state, every error (an unfinished job's
    /// included) in `errors`.
    pub fn of_results(results: &[Result<MemoryStatus, Error>]) -> WaitCounts {
        count(results.iter().map(Some))
    }

    /// The counts of a single job's wait: one job, in `status`'s state.
    pub fn of_status(status: &MemoryStatus) -> WaitCounts {
        let mut c = WaitCounts::default();
        c.add(status);
        c
    }

    fn add(&mut self, status: &MemoryStatus) {
        match status.state() {
            IngestState::Queued => self.queued += 1,
            IngestState::Completed => self.completed += 1,
            IngestState::Failed => self.failed += 1,
            IngestState::PartialSuccess => self.partial_success += 1,
            IngestState::Processing | IngestState::Unknown(_) => self.processing += 1,
        }
    }

    /// Jobs with a final answer: a terminal state or an error.
    pub fn done(&self) -> usize {
        self.completed + self.failed + self.partial_success + self.errors
    }
}

/// Per job: the last status seen (terminal when done), or why it ended.
type Outcome = Option<Result<MemoryStatus, Error>>;

struct Board {
    /// Jobs due for a poll, earliest first: (due, index).
    due: BinaryHeap<Reverse<(Instant, usize)>>,
    outcomes: Vec<Outcome>,
    /// Changed since the progress callback last ran.
    changed: bool,
    stop: bool,
    in_flight: usize,
}

struct Shared<'a> {
    board: Mutex<Board>,
    wake: Condvar,
    deadline: Instant,
    interval: Duration,
    cancel: Option<&'a CancelToken>,
}

impl Shared<'_> {
    fn lock(&self) -> MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Client {
    /// Waits for every job in `ingestion_ids`, polling at most
    /// `options.max_in_flight` at once, until each has a terminal state or
    /// an error, the timeout passes, or the wait is cancelled (by `cancel`
    /// or by `progress` returning `false`). `progress` runs on the calling
    /// thread with the counts per state: once before any poll (every valid
    /// id pending), then after every change; its last call sees the final
    /// counts of the jobs that finished.
    ///
    /// Returns one result per id, in order: the terminal status; or the
    /// error that ended that job (a malformed id, a status error after its
    /// retries, [`ErrorKind::Timeout`] if it was still running at the
    /// deadline, [`ErrorKind::Cancelled`] if the wait was cancelled first).
    /// The options were checked when they were set, so nothing fails the
    /// wait as a whole.
    pub fn memories_wait_all<S: AsRef<str>>(
        &self,
        ingestion_ids: &[S],
        options: &WaitOptions,
        cancel: Option<&CancelToken>,
        mut progress: impl FnMut(&WaitCounts) -> bool,
    ) -> Vec<Result<MemoryStatus, Error>> {
        let started = Instant::now();
        let mut ids: Vec<Option<Uuid>> = Vec::with_capacity(ingestion_ids.len());
        let mut outcomes: Vec<Outcome> = Vec::with_capacity(ingestion_ids.len());
        let mut due = BinaryHeap::new();
        for (index, text) in ingestion_ids.iter().enumerate() {
            match parse_ingestion_id(text.as_ref()) {
                Ok(id) => {
                    ids.push(Some(id));
                    outcomes.push(None);
                    due.push(Reverse((started, index)));
                }
                Err(e) => {
                    ids.push(None);
                    outcomes.push(Some(Err(e)));
                }
            }
        }
        // The first report, before any poll: every valid id is pending.
        if !progress(&count(outcomes.iter().map(Option::as_ref))) {
            return finish_all(outcomes, ingestion_ids, true, options.timeout);
        }
        let shared = Shared {
            board: Mutex::new(Board { due, outcomes, changed: false, stop: false, in_flight: 0 }),
            wake: Condvar::new(),
            deadline: started + options.timeout,
            interval: options.poll_interval,
            cancel,
        };
        let workers = options.max_in_flight.min(ids.len().max(1));
        let cancelled_by_callback = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers).map(|_| scope.spawn(|| self.poll_jobs(&shared, &ids))).collect();
            let cancelled = self.report_progress(&shared, &mut progress);
            // Joined, not left to the scope: the scope only waits for the
            // workers' code to end, and a detached thread still exiting when
            // the program does is reported as a leak by valgrind.
            for handle in handles {
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            cancelled
        });
        let board = shared.board.into_inner().unwrap_or_else(|p| p.into_inner());
        let cancelled = cancelled_by_callback || cancel.is_some_and(CancelToken::is_cancelled);
        finish_all(board.outcomes, ingestion_ids, cancelled, options.timeout)
    }

    /// A worker: takes the job due soonest, polls it, puts it back.
    fn poll_jobs(&self, shared: &Shared<'_>, ids: &[Option<Uuid>]) {
        let mut board = shared.lock();
        loop {
            if board.stop {
                return;
            }
            let now = Instant::now();
            let Some(&Reverse((due, index))) = board.due.peek() else {
                if board.in_flight == 0 {
                    board.stop = true;
                    shared.wake.notify_all();
                    return;
                }
                board = shared.wake.wait(board).unwrap_or_else(|p| p.into_inner());
                continue;
            };
            if due > now {
                let until = due.min(shared.deadline);
                board = shared
                    .wake
                    .wait_timeout(board, until.saturating_duration_since(now))
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
                continue;
            }
            board.due.pop();
            board.in_flight += 1;
            drop(board);
            let id = ids[index].expect("only valid ids are scheduled");
            let result = self.status_within(id, &self.limits(Some(shared.deadline), shared.cancel));
            board = shared.lock();
            board.in_flight -= 1;
            board.changed = true;
            match result {
                Ok(status) if status.state().is_terminal() => board.outcomes[index] = Some(Ok(status)),
                Ok(status) => {
                    board.outcomes[index] = Some(Ok(status));
                    board.due.push(Reverse((Instant::now() + shared.interval, index)));
                }
                // Cut short by the wait itself: left for `finish` to name.
                Err(e)
                    if matches!(e.kind(), ErrorKind::Timeout | ErrorKind::Cancelled)
                        && Instant::now() >= shared.deadline => {}
                Err(e) if e.kind() == ErrorKind::Cancelled => {}
                Err(e) => board.outcomes[index] = Some(Err(e)),
            }
            shared.wake.notify_all();
        }
    }

    /// The calling thread: runs `progress` on every change and stops the
    /// workers at the deadline or on cancellation. True if `progress`
    /// cancelled.
    fn report_progress(&self, shared: &Shared<'_>, progress: &mut impl FnMut(&WaitCounts) -> bool) -> bool {
        let mut board = shared.lock();
        loop {
            if board.changed {
                board.changed = false;
                let counts = count(board.outcomes.iter().map(Option::as_ref));
                drop(board);
                let go_on = progress(&counts);
                board = shared.lock();
                if !go_on {
                    board.stop = true;
                    shared.wake.notify_all();
                    return true;
                }
                // What changed while `progress` ran is reported before the
                // workers' end is noticed: the last report is the final one.
                continue;
            }
            let now = Instant::now();
            if board.stop || now >= shared.deadline || shared.cancel.is_some_and(CancelToken::is_cancelled) {
                board.stop = true;
                shared.wake.notify_all();
                return false;
            }
            // Wake for changes, the deadline, or to look at the cancel flag.
            let nap = shared.deadline.saturating_duration_since(now).min(Duration::from_millis(20));
            board = shared.wake.wait_timeout(board, nap).unwrap_or_else(|p| p.into_inner()).0;
        }
    }
}

/// Counts per state; `None` is a job not polled yet.
fn count<'a>(outcomes: impl IntoIterator<Item = Option<&'a Result<MemoryStatus, Error>>>) -> WaitCounts {
    let mut c = WaitCounts::default();
    for outcome in outcomes {
        match outcome {
            None => c.pending += 1,
            Some(Err(_)) => c.errors += 1,
            Some(Ok(status)) => c.add(status),
        }
    }
    c
}

/// Every job's final result, in the order of `ids`.
fn finish_all<S: AsRef<str>>(
    outcomes: Vec<Outcome>,
    ids: &[S],
    cancelled: bool,
    timeout: Duration,
) -> Vec<Result<MemoryStatus, Error>> {
    outcomes.into_iter().zip(ids).map(|(outcome, id)| finish(outcome, id.as_ref(), cancelled, timeout)).collect()
}

/// A job's final result: its terminal status or error, or why it has none.
fn finish(outcome: Outcome, id: &str, cancelled: bool, timeout: Duration) -> Result<MemoryStatus, Error> {
    match outcome {
        Some(Ok(status)) if status.state().is_terminal() => Ok(status),
        Some(Err(e)) => Err(e),
        last => {
            let state = match &last {
                Some(Ok(status)) => format!("still {}", status.state()),
                _ => "not polled yet".to_owned(),
            };
            if cancelled {
                Err(Error::new(ErrorKind::Cancelled, format!("wait for ingestion {id} cancelled: {state}")))
            } else {
                Err(Error::new(
                    ErrorKind::Timeout,
                    format!("ingestion {id} did not complete within {} ms: {state}", timeout.as_millis()),
                ))
            }
        }
    }
}
