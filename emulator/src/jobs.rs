//! Ingestion jobs whose status is computed from elapsed time at each read.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::config::TimeFormat;
use crate::timefmt;
use crate::{DEMO_FAILED_ID, DEMO_PARTIAL_ID, DEMO_PROGRESSING_ID};

/// Most memories one job may report (keeps a typo from allocating gigabytes).
pub(crate) const MAX_MEMORIES: u64 = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FinalState {
    #[default]
    Completed,
    Failed,
    PartialSuccess,
}

impl FinalState {
    fn as_str(self) -> &'static str {
        match self {
            FinalState::Completed => "completed",
            FinalState::Failed => "failed",
            FinalState::PartialSuccess => "partial_success",
        }
    }
}

/// How a timed job should behave.
#[derive(Debug, Clone)]
pub(crate) struct JobSpec {
    pub document_id: String,
    pub final_state: FinalState,
    /// From queued_at until `processing`.
    pub processing_after: Duration,
    /// From queued_at until the terminal state (at least `processing_after`).
    pub done_after: Duration,
    pub memories: u64,
    pub error_message: Option<String>,
    /// How long before "now" the job was queued (for already-finished jobs).
    pub backdate: Duration,
}

#[derive(Debug)]
enum Job {
    Timed(TimedJob),
    /// Served verbatim, for client parser tests.
    Raw(Box<RawValue>),
}

#[derive(Debug)]
struct TimedJob {
    spec: JobSpec,
    created: Instant,
    queued_at: Timestamp,
    memory_ids: Vec<Uuid>,
}

/// The nine fields of contract section 4, in wire order.
#[derive(Serialize)]
struct StatusBody<'a> {
    ingestion_id: String,
    document_id: &'a str,
    status: &'static str,
    queued_at: String,
    started_at: Option<String>,
    completed_at: Option<String>,
    memories_created: u64,
    memory_ids: Vec<String>,
    error_message: Option<&'a str>,
}

impl TimedJob {
    fn new(spec: JobSpec) -> TimedJob {
        let mut spec = spec;
        spec.done_after = spec.done_after.max(spec.processing_after);
        let backdate = SignedDuration::try_from(spec.backdate).unwrap_or(SignedDuration::ZERO);
        let memory_ids = (0..spec.memories).map(|_| Uuid::new_v4()).collect();
        TimedJob {
            created: Instant::now(),
            queued_at: Timestamp::now().checked_sub(backdate).unwrap_or(Timestamp::UNIX_EPOCH),
            memory_ids,
            spec,
        }
    }

    fn at(&self, offset: Duration) -> Timestamp {
        let offset = SignedDuration::try_from(offset).unwrap_or(SignedDuration::MAX);
        self.queued_at.checked_add(offset).unwrap_or(Timestamp::MAX)
    }

    fn body(&self, id: &Uuid, fmt: TimeFormat) -> Vec<u8> {
        let spec = &self.spec;
        let elapsed = self.created.elapsed() + spec.backdate;
        let (status, started, completed, count) = if elapsed < spec.processing_after {
            ("queued", false, false, 0)
        } else if elapsed < spec.done_after {
            // Report memories in proportion to progress, as a real pipeline might.
            let done = (elapsed - spec.processing_after).as_nanos();
            let total = (spec.done_after - spec.processing_after).as_nanos().max(1);
            let count = u128::from(spec.memories) * done / total;
            ("processing", true, false, count as u64)
        } else {
            (spec.final_state.as_str(), true, true, spec.memories)
        };
        let body = StatusBody {
            ingestion_id: id.hyphenated().to_string(),
            document_id: &spec.document_id,
            status,
            queued_at: timefmt::format(self.queued_at, fmt),
            started_at: started.then(|| timefmt::format(self.at(spec.processing_after), fmt)),
            completed_at: completed.then(|| timefmt::format(self.at(spec.done_after), fmt)),
            memories_created: count,
            memory_ids: self.memory_ids[..count as usize].iter().map(|m| m.hyphenated().to_string()).collect(),
            error_message: if completed { spec.error_message.as_deref() } else { None },
        };
        serde_json::to_vec(&body).expect("status body serializes")
    }
}

/// All jobs of one emulator, keyed by canonical UUID.
#[derive(Debug, Default)]
pub(crate) struct JobStore {
    jobs: HashMap<Uuid, Job>,
}

impl JobStore {
    /// Adds or replaces a timed job.
    pub fn insert(&mut self, id: Uuid, spec: JobSpec) {
        self.jobs.insert(id, Job::Timed(TimedJob::new(spec)));
    }

    /// Adds or replaces a job whose status body is fixed.
    pub fn insert_raw(&mut self, id: Uuid, body: Box<RawValue>) {
        self.jobs.insert(id, Job::Raw(body));
    }

    /// The 200 body for a status request, or `None` for an unknown job.
    pub fn status_body(&self, id: &Uuid, fmt: TimeFormat) -> Option<Vec<u8>> {
        Some(match self.jobs.get(id)? {
            Job::Timed(job) => job.body(id, fmt),
            Job::Raw(raw) => raw.get().as_bytes().to_vec(),
        })
    }

    pub fn seed_demo(&mut self) {
        for (id, spec) in demo_jobs() {
            self.insert(id, spec);
        }
    }
}

/// The three demo jobs; also used by the binary to describe them.
pub(crate) fn demo_jobs() -> Vec<(Uuid, JobSpec)> {
    let id = |s: &str| Uuid::parse_str(s).expect("demo ids are UUIDs");
    let secs = Duration::from_secs_f64;
    vec![
        (
            id(DEMO_PROGRESSING_ID),
            JobSpec {
                document_id: "chat-2025-01-15-user-789".to_owned(),
                final_state: FinalState::Completed,
                processing_after: secs(1.5),
                done_after: secs(4.0),
                memories: 2,
                error_message: None,
                backdate: Duration::ZERO,
            },
        ),
        (
            id(DEMO_FAILED_ID),
            JobSpec {
                document_id: "email-4471".to_owned(),
                final_state: FinalState::Failed,
                processing_after: secs(1.5),
                done_after: secs(35.0),
                memories: 0,
                error_message: Some("document could not be parsed: unsupported encoding".to_owned()),
                backdate: secs(95.0),
            },
        ),
        (
            id(DEMO_PARTIAL_ID),
            JobSpec {
                document_id: "ticket-88213".to_owned(),
                final_state: FinalState::PartialSuccess,
                processing_after: secs(1.2),
                done_after: secs(90.0),
                memories: 1,
                error_message: Some("entity resolution timed out for 2 of 3 extractions".to_owned()),
                backdate: secs(120.0),
            },
        ),
    ]
}

/// One line describing a demo job, for the binary's banner.
pub(crate) fn describe(id: &Uuid, spec: &JobSpec) -> String {
    if spec.backdate >= spec.done_after {
        format!(
            "demo job {id}: {} ({}, document {})",
            spec.final_state.as_str(),
            memories(spec.memories),
            spec.document_id
        )
    } else {
        format!(
            "demo job {id}: queued, processing after {:.1} s, {} after {:.1} s ({}, document {})",
            spec.processing_after.as_secs_f64(),
            spec.final_state.as_str(),
            spec.done_after.as_secs_f64(),
            memories(spec.memories),
            spec.document_id
        )
    }
}

fn memories(n: u64) -> String {
    if n == 1 { "1 memory".to_owned() } else { format!("{n} memories") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(store: &JobStore, id: &str) -> serde_json::Value {
        let id = Uuid::parse_str(id).unwrap();
        serde_json::from_slice(&store.status_body(&id, TimeFormat::Z).unwrap()).unwrap()
    }

    #[test]
    fn demo_jobs_start_where_documented() {
        let mut store = JobStore::default();
        store.seed_demo();
        let p = body(&store, DEMO_PROGRESSING_ID);
        assert_eq!(p["status"], "queued");
        assert_eq!(p["started_at"], serde_json::Value::Null);
        assert_eq!(p["memory_ids"], serde_json::json!([]));
        let f = body(&store, DEMO_FAILED_ID);
        assert_eq!(f["status"], "failed");
        assert_eq!(f["memories_created"], 0);
        assert!(f["completed_at"].is_string());
        let s = body(&store, DEMO_PARTIAL_ID);
        assert_eq!(s["status"], "partial_success");
        assert_eq!(s["memory_ids"].as_array().unwrap().len(), 1);
        assert_eq!(s["error_message"], "entity resolution timed out for 2 of 3 extractions");
    }

    #[test]
    fn field_order_is_the_contracts() {
        let mut store = JobStore::default();
        store.seed_demo();
        let id = Uuid::parse_str(DEMO_FAILED_ID).unwrap();
        let text = String::from_utf8(store.status_body(&id, TimeFormat::Z).unwrap()).unwrap();
        let keys = [
            "ingestion_id",
            "document_id",
            "status",
            "queued_at",
            "started_at",
            "completed_at",
            "memories_created",
            "memory_ids",
            "error_message",
        ];
        let positions: Vec<usize> = keys.iter().map(|k| text.find(&format!("\"{k}\"")).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    }

    #[test]
    fn processing_reports_partial_progress() {
        let spec = JobSpec {
            document_id: "d".into(),
            final_state: FinalState::Completed,
            processing_after: Duration::ZERO,
            done_after: Duration::from_secs(100),
            memories: 4,
            error_message: Some("only when terminal".into()),
            backdate: Duration::from_secs(50),
        };
        let mut store = JobStore::default();
        let id = Uuid::new_v4();
        store.insert(id, spec);
        let v: serde_json::Value = serde_json::from_slice(&store.status_body(&id, TimeFormat::Z).unwrap()).unwrap();
        assert_eq!(v["status"], "processing");
        assert_eq!(v["memories_created"], 2);
        assert_eq!(v["memory_ids"].as_array().unwrap().len(), 2);
        assert_eq!(v["error_message"], serde_json::Value::Null);
    }
}
