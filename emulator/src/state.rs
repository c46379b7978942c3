//! Everything one emulator shares between its threads.

use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rustls::ServerConfig;

use crate::config::{Config, TimeFormat};
use crate::context_script::ScriptQueue;
use crate::conversations::ConversationStore;
use crate::credits::CreditAccount;
use crate::deletions::DeletionStore;
use crate::faults::FaultQueue;
use crate::jobs::JobStore;
use crate::knobs::Knobs;
use crate::reqlog::RequestLog;
use crate::uploads::UploadLog;

/// The advertised per-minute limit (Pro tier, contract section 18).
pub(crate) const RATE_LIMIT: u32 = 600;
/// whoami's `user_context_isolation` of a B2C instance.
pub(crate) const B2C: &str = "equals_customer";

pub(crate) struct State {
    pub config: Config,
    /// Built from `config.tls` once, at start.
    pub tls: Option<Arc<ServerConfig>>,
    time_format: AtomicU8,
    /// Timing of jobs made by create and batch (changeable via control).
    create_processing_after_ms: AtomicU64,
    create_done_after_ms: AtomicU64,
    /// How long a compaction runs (changeable via control).
    compaction_done_after_ms: AtomicU64,
    /// Lifecycle settings (changeable via control).
    knobs: Mutex<Knobs>,
    /// Locks are taken in this order: `deletions`, `jobs`,
    /// `conversations`, `credits`.
    pub deletions: Mutex<DeletionStore>,
    pub jobs: Mutex<JobStore>,
    pub conversations: Mutex<ConversationStore>,
    pub credits: Mutex<CreditAccount>,
    /// Uploads received, for `GET /_emulator/uploads`.
    pub uploads: Mutex<UploadLog>,
    pub context_scripts: Mutex<ScriptQueue>,
    pub faults: Mutex<FaultQueue>,
    pub log: Mutex<RequestLog>,
    rate: Mutex<RateWindow>,
    pub started: Instant,
    pub stop: StopSignal,
}

impl State {
    pub fn new(config: Config, tls: Option<Arc<ServerConfig>>) -> State {
        let mut jobs = JobStore::default();
        if config.seed_demo {
            jobs.seed_demo();
        }
        State {
            time_format: AtomicU8::new(format_index(config.time_format)),
            create_processing_after_ms: AtomicU64::new(config.create_processing_after_ms),
            create_done_after_ms: AtomicU64::new(config.create_done_after_ms),
            compaction_done_after_ms: AtomicU64::new(config.compaction_done_after_ms),
            knobs: Mutex::new(Knobs::of(&config)),
            deletions: Mutex::new(DeletionStore::default()),
            credits: Mutex::new(CreditAccount::new(&config)),
            uploads: Mutex::new(UploadLog::default()),
            config,
            tls,
            jobs: Mutex::new(jobs),
            conversations: Mutex::new(ConversationStore::default()),
            context_scripts: Mutex::new(ScriptQueue::default()),
            faults: Mutex::new(FaultQueue::default()),
            log: Mutex::new(RequestLog::default()),
            rate: Mutex::new(RateWindow::default()),
            started: Instant::now(),
            stop: StopSignal::default(),
        }
    }

    pub fn time_format(&self) -> TimeFormat {
        TimeFormat::ALL[self.time_format.load(Ordering::Relaxed) as usize]
    }

    pub fn set_time_format(&self, fmt: TimeFormat) {
        self.time_format.store(format_index(fmt), Ordering::Relaxed);
    }

    /// (processing after, done after) for a job made now by create or batch.
    pub fn create_timing(&self) -> (Duration, Duration) {
        let ms = |a: &AtomicU64| Duration::from_millis(a.load(Ordering::Relaxed));
        (ms(&self.create_processing_after_ms), ms(&self.create_done_after_ms))
    }

    pub fn set_create_timing(&self, processing_after_ms: Option<u64>, done_after_ms: Option<u64>) {
        if let Some(ms) = processing_after_ms {
            self.create_processing_after_ms.store(ms, Ordering::Relaxed);
        }
        if let Some(ms) = done_after_ms {
            self.create_done_after_ms.store(ms, Ordering::Relaxed);
        }
    }

    /// How long a compaction started now stays `in_progress`.
    pub fn compaction_timing(&self) -> Duration {
        Duration::from_millis(self.compaction_done_after_ms.load(Ordering::Relaxed))
    }

    pub fn set_compaction_timing(&self, done_after_ms: Option<u64>) {
        if let Some(ms) = done_after_ms {
            self.compaction_done_after_ms.store(ms, Ordering::Relaxed);
        }
    }

    pub fn knobs(&self) -> Knobs {
        *lock(&self.knobs)
    }

    pub fn set_knobs(&self, knobs: Knobs) {
        *lock(&self.knobs) = knobs;
    }

    /// Counts a request in the current minute; returns (remaining, reset as
    /// Unix seconds). Informational only: the emulator never answers 429 on
    /// its own (script one with a fault).
    pub fn count_request(&self) -> (u32, u64) {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let minute = now / 60;
        let mut rate = lock(&self.rate);
        if rate.minute != minute {
            *rate = RateWindow { minute, count: 0 };
        }
        rate.count = rate.count.saturating_add(1);
        (RATE_LIMIT.saturating_sub(rate.count), (minute + 1) * 60)
    }
}

fn format_index(fmt: TimeFormat) -> u8 {
    TimeFormat::ALL.iter().position(|f| *f == fmt).expect("every format is listed") as u8
}

#[derive(Default)]
struct RateWindow {
    minute: u64,
    count: u32,
}

/// Locks a mutex, ignoring poisoning: a panicked handler thread must not take
/// the whole emulator down with it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Set once at shutdown; wakes sleeping faults (delay, trickle, endless) early.
#[derive(Default)]
pub(crate) struct StopSignal {
    stopped: Mutex<bool>,
    cv: Condvar,
}

impl StopSignal {
    pub fn trigger(&self) {
        *lock(&self.stopped) = true;
        self.cv.notify_all();
    }

    pub fn is_stopped(&self) -> bool {
        *lock(&self.stopped)
    }

    /// Sleeps for `dur`; `false` if the emulator began shutting down first.
    pub fn sleep(&self, dur: Duration) -> bool {
        let deadline = Instant::now() + dur;
        let mut stopped = lock(&self.stopped);
        loop {
            if *stopped {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            stopped = self.cv.wait_timeout(stopped, deadline - now).unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}
