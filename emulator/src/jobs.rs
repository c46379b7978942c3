//! Ingestion jobs whose status is computed from elapsed time at each read,
//! and the memories they produce.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::config::TimeFormat;
use crate::memories::{self, Draft, SAMPLES};
use crate::memory_overlay::MemoryOverlay;
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
    /// What the memories say, cycled; empty = [`SAMPLES`].
    pub memory_texts: Vec<String>,
    pub error_message: Option<String>,
    /// How long before "now" the job was queued (for already-finished jobs).
    pub backdate: Duration,
    /// Whose document it was, for the context routes.
    pub origin: Origin,
}

/// Who a job's document belongs to. Control-made and demo jobs have no
/// owner, so only a client-wide context fetch sees their memories.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Origin {
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    /// The conversation key (see `conversations::key`).
    pub conversation_id: Option<String>,
    /// The document's `document_created_at`; `None` = its queued_at.
    pub said_at: Option<Timestamp>,
    pub document_type: Option<String>,
}

/// A memory a job has reported, with what the context routes need.
#[derive(Debug, Clone)]
pub(crate) struct StoredMemory {
    pub id: Uuid,
    /// Its place among its document's memories.
    pub index: usize,
    pub draft: Draft,
    /// When the job's status first listed it.
    pub created_at: Timestamp,
    /// When its document was written.
    pub said_at: Timestamp,
    /// When it was last changed by an update; `None` if never.
    pub updated_at: Option<Timestamp>,
    pub document_id: String,
    pub origin: Origin,
}

impl StoredMemory {
    /// The section 16 body.
    pub fn body(&self, fmt: TimeFormat) -> Vec<u8> {
        let time = |t: Timestamp| timefmt::format(t, fmt);
        memories::body(&self.id, &self.draft, time(self.created_at), self.updated_at.map(time), &self.document_id)
    }
}

#[derive(Debug)]
enum Job {
    Timed(Box<TimedJob>),
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

/// Where a job stands at one moment.
struct Progress {
    status: &'static str,
    started: bool,
    completed: bool,
    /// Memories reported so far: always the first ones of `memory_ids`.
    count: u64,
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

    /// Time since queued_at.
    fn elapsed(&self) -> Duration {
        self.created.elapsed() + self.spec.backdate
    }

    fn progress(&self, elapsed: Duration) -> Progress {
        let spec = &self.spec;
        if elapsed < spec.processing_after {
            Progress { status: "queued", started: false, completed: false, count: 0 }
        } else if elapsed < spec.done_after {
            // Report memories in proportion to progress, as a real pipeline might.
            let done = (elapsed - spec.processing_after).as_nanos();
            let total = (spec.done_after - spec.processing_after).as_nanos().max(1);
            let count = u128::from(spec.memories) * done / total;
            Progress { status: "processing", started: true, completed: false, count: count as u64 }
        } else {
            Progress { status: spec.final_state.as_str(), started: true, completed: true, count: spec.memories }
        }
    }

    /// When memory `index` first shows in the status, after queued_at: the
    /// inverse of the proportional count in `progress`, so the last memory
    /// appears exactly at completion.
    fn appears_after(&self, index: usize) -> Duration {
        let spec = &self.spec;
        let span = (spec.done_after - spec.processing_after).as_nanos();
        let n = u128::from(spec.memories.max(1));
        let nanos = (index as u128 + 1) * span;
        let offset = nanos / n + u128::from(nanos % n != 0);
        spec.processing_after + Duration::from_nanos(u64::try_from(offset).unwrap_or(u64::MAX))
    }

    fn body(&self, id: &Uuid, fmt: TimeFormat) -> Vec<u8> {
        let spec = &self.spec;
        let Progress { status, started, completed, count } = self.progress(self.elapsed());
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

    /// Memory `index`, once the status has reported it.
    fn memory(&self, index: usize) -> Option<StoredMemory> {
        ((index as u64) < self.progress(self.elapsed()).count).then(|| self.stored(index))
    }

    fn stored(&self, index: usize) -> StoredMemory {
        StoredMemory {
            id: self.memory_ids[index],
            index,
            draft: memories::draft(self.text(index)),
            created_at: self.at(self.appears_after(index)),
            said_at: self.spec.origin.said_at.unwrap_or(self.queued_at),
            updated_at: None,
            document_id: self.spec.document_id.clone(),
            origin: self.spec.origin.clone(),
        }
    }

    fn text(&self, index: usize) -> &str {
        let texts = &self.spec.memory_texts;
        if texts.is_empty() { SAMPLES[index % SAMPLES.len()] } else { &texts[index % texts.len()] }
    }

    /// The memories the status reports now.
    fn reported(&self) -> impl Iterator<Item = StoredMemory> + '_ {
        let count = self.progress(self.elapsed()).count as usize;
        (0..count).map(|index| self.stored(index))
    }
}

/// All jobs of one emulator, keyed by canonical UUID.
#[derive(Debug, Default)]
pub(crate) struct JobStore {
    jobs: HashMap<Uuid, Job>,
    /// Every memory id of a timed job: its job and its index there.
    memories: HashMap<Uuid, (Uuid, usize)>,
    /// document_ids taken by create and batch (not by control or demo jobs,
    /// so the contract's example ids stay free).
    document_ids: HashSet<String>,
    /// Updates and deletions of reported memories.
    overlay: MemoryOverlay,
}

impl JobStore {
    /// Adds or replaces a timed job; returns its queued_at.
    pub fn insert(&mut self, id: Uuid, spec: JobSpec) -> Timestamp {
        self.forget(&id);
        let job = TimedJob::new(spec);
        let queued_at = job.queued_at;
        for (index, memory_id) in job.memory_ids.iter().enumerate() {
            self.memories.insert(*memory_id, (id, index));
        }
        self.jobs.insert(id, Job::Timed(Box::new(job)));
        queued_at
    }

    /// Adds or replaces a job whose status body is fixed.
    pub fn insert_raw(&mut self, id: Uuid, body: Box<RawValue>) {
        self.forget(&id);
        self.jobs.insert(id, Job::Raw(body));
    }

    /// Drops a job being replaced or deleted, with its memories.
    fn forget(&mut self, id: &Uuid) {
        if let Some(Job::Timed(old)) = self.jobs.remove(id) {
            for memory_id in &old.memory_ids {
                self.memories.remove(memory_id);
                self.overlay.drop_memory(memory_id);
            }
        }
    }

    /// Deletes every timed job whose document matches `owned`, with its
    /// memories and its document_id; returns how many memories were
    /// readable before.
    pub fn remove_owned(&mut self, owned: &dyn Fn(&Origin) -> bool) -> usize {
        let doomed: Vec<Uuid> = self
            .jobs
            .iter()
            .filter(|(_, job)| matches!(job, Job::Timed(t) if owned(&t.spec.origin)))
            .map(|(id, _)| *id)
            .collect();
        let readable = self.count_owned(owned);
        for id in doomed {
            if let Some(Job::Timed(job)) = self.jobs.get(&id) {
                self.document_ids.remove(&job.spec.document_id);
            }
            self.forget(&id);
        }
        readable
    }

    /// How many readable memories come from documents matching `owned`.
    pub fn count_owned(&self, owned: &dyn Fn(&Origin) -> bool) -> usize {
        self.reported_memories().iter().filter(|m| owned(&m.origin)).count()
    }

    /// Whether create or batch already took this document_id.
    pub fn has_document_id(&self, document_id: &str) -> bool {
        self.document_ids.contains(document_id)
    }

    pub fn claim_document_id(&mut self, document_id: String) {
        self.document_ids.insert(document_id);
    }

    /// A memory as it reads now: `None` while unknown or not yet
    /// reported, and once deleted.
    pub fn memory(&self, memory_id: &Uuid) -> Option<StoredMemory> {
        let (job_id, index) = self.memories.get(memory_id)?;
        match self.jobs.get(job_id)? {
            Job::Timed(job) => self.overlay.apply(job.memory(*index)?),
            Job::Raw(_) => None,
        }
    }

    /// The 200 body for a memory, or `None` while unknown or not yet reported.
    pub fn memory_body(&self, memory_id: &Uuid, fmt: TimeFormat) -> Option<Vec<u8>> {
        self.memory(memory_id).map(|m| m.body(fmt))
    }

    /// Gives a readable memory new contents; returns it as it now reads.
    pub fn update_memory(&mut self, memory_id: &Uuid, draft: Draft, at: Timestamp) -> Option<StoredMemory> {
        self.memory(memory_id)?;
        self.overlay.edit(*memory_id, draft, at);
        self.memory(memory_id)
    }

    /// Deletes a readable memory; `false` if there is none to delete.
    pub fn delete_memory(&mut self, memory_id: &Uuid, at: Timestamp) -> bool {
        if self.memory(memory_id).is_none() {
            return false;
        }
        self.overlay.delete(*memory_id, at);
        true
    }

    /// Every memory reported so far, newest first; at equal times the
    /// later one in its document first, then by id, so the order is stable.
    pub fn reported_memories(&self) -> Vec<StoredMemory> {
        let mut all: Vec<StoredMemory> = self
            .jobs
            .values()
            .filter_map(|job| match job {
                Job::Timed(job) => Some(job.reported()),
                Job::Raw(_) => None,
            })
            .flatten()
            .filter_map(|m| self.overlay.apply(m))
            .collect();
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.index.cmp(&a.index)).then(a.id.cmp(&b.id)));
        all
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

/// The document_id of a job whose maker gave none.
pub(crate) fn assigned_document_id(id: &Uuid) -> String {
    format!("doc-{}", &id.simple().to_string()[..8])
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
                memory_texts: Vec::new(),
                error_message: None,
                backdate: Duration::ZERO,
                origin: Origin::default(),
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
                memory_texts: Vec::new(),
                error_message: Some("document could not be parsed: unsupported encoding".to_owned()),
                backdate: secs(95.0),
                origin: Origin::default(),
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
                memory_texts: vec!["Escalated the billing ticket to the finance team.".to_owned()],
                error_message: Some("entity resolution timed out for 2 of 3 extractions".to_owned()),
                backdate: secs(120.0),
                origin: Origin::default(),
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
            memory_texts: Vec::new(),
            error_message: Some("only when terminal".into()),
            backdate: Duration::from_secs(50),
            origin: Origin::default(),
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

    fn spec(memories: u64, processing_ms: u64, done_ms: u64, backdate_ms: u64) -> JobSpec {
        JobSpec {
            document_id: "doc-1".into(),
            final_state: FinalState::Completed,
            processing_after: Duration::from_millis(processing_ms),
            done_after: Duration::from_millis(done_ms),
            memories,
            memory_texts: vec!["I love green tea.".into(), "Lives in Oslo.".into()],
            error_message: None,
            backdate: Duration::from_millis(backdate_ms),
            origin: Origin::default(),
        }
    }

    fn memory_ids(store: &JobStore, id: &Uuid) -> Vec<Uuid> {
        match &store.jobs[id] {
            Job::Timed(job) => job.memory_ids.clone(),
            Job::Raw(_) => Vec::new(),
        }
    }

    #[test]
    fn memories_are_readable_once_listed() {
        let mut store = JobStore::default();
        let id = Uuid::new_v4();
        store.insert(id, spec(4, 0, 100_000, 50_000));
        let listed = body(&store, &id.to_string())["memory_ids"].clone();
        let all = memory_ids(&store, &id);
        assert_eq!(listed, serde_json::json!([all[0].to_string(), all[1].to_string()]));
        let read = |m: &Uuid| -> Option<serde_json::Value> {
            store.memory_body(m, TimeFormat::Z).map(|b| serde_json::from_slice(&b).unwrap())
        };
        let first = read(&all[0]).unwrap();
        assert_eq!(first["memory_id"], all[0].to_string());
        assert_eq!(first["content"], "I love green tea.");
        assert_eq!(first["memory_type"], "preference");
        assert_eq!(first["source_document_id"], "doc-1");
        assert_eq!(first["updated_at"], serde_json::Value::Null);
        assert_eq!(read(&all[1]).unwrap()["content"], "Lives in Oslo.");
        assert!(read(&all[2]).is_none() && read(&all[3]).is_none());
        assert!(read(&Uuid::new_v4()).is_none());
    }

    #[test]
    fn last_memory_is_created_at_completion() {
        let mut store = JobStore::default();
        let id = Uuid::new_v4();
        store.insert(id, spec(3, 1_000, 4_000, 10_000));
        let status = body(&store, &id.to_string());
        let ids = memory_ids(&store, &id);
        let time = |v: &serde_json::Value| v.as_str().unwrap().parse::<Timestamp>().unwrap();
        let created: Vec<Timestamp> = ids
            .iter()
            .map(|m| {
                let v: serde_json::Value =
                    serde_json::from_slice(&store.memory_body(m, TimeFormat::Z).unwrap()).unwrap();
                time(&v["created_at"])
            })
            .collect();
        assert_eq!(created[2], time(&status["completed_at"]));
        assert!(created[0] < created[1] && created[1] < created[2], "{created:?}");
        assert!(time(&status["started_at"]) < created[0]);
    }

    #[test]
    fn appearance_matches_the_reported_count() {
        for (n, processing, done) in [(1, 0, 0), (3, 100, 1_000), (7, 0, 1), (10, 5, 5), (1_000, 10, 2_000)] {
            let job = TimedJob::new(spec(n, processing, done, 0));
            for index in 0..n as usize {
                let at = job.appears_after(index);
                assert!(job.progress(at).count > index as u64, "{n} {index}");
                if let Some(before) = at.checked_sub(Duration::from_nanos(1)) {
                    assert!(job.progress(before).count <= index as u64, "{n} {index}");
                }
            }
            assert_eq!(job.appears_after(n as usize - 1), job.spec.done_after);
        }
    }

    #[test]
    fn reported_memories_follow_the_status() {
        let mut store = JobStore::default();
        let said = "2025-01-15T10:29:58Z".parse::<Timestamp>().unwrap();
        let origin = Origin { user_id: Some("u".into()), said_at: Some(said), ..Origin::default() };
        let id = Uuid::new_v4();
        store.insert(id, JobSpec { origin: origin.clone(), ..spec(4, 0, 100_000, 50_000) });
        store.insert(Uuid::new_v4(), spec(1, 0, 0, 0));
        let all = store.reported_memories();
        assert_eq!(all.len(), 3, "two of four, plus one");
        assert!(all.windows(2).all(|w| w[0].created_at >= w[1].created_at));
        let mine: Vec<&StoredMemory> = all.iter().filter(|m| m.origin == origin).collect();
        assert_eq!(mine.len(), 2);
        assert_eq!(mine[1].draft.content, "I love green tea.");
        assert_eq!((mine[0].said_at, mine[0].document_id.as_str()), (said, "doc-1"));
        let listed = body(&store, &id.to_string())["memory_ids"].clone();
        assert_eq!(listed[0], mine[1].id.to_string());
    }

    #[test]
    fn replacing_a_job_drops_its_memories() {
        let mut store = JobStore::default();
        let id = Uuid::new_v4();
        store.insert(id, spec(2, 0, 0, 0));
        let old = memory_ids(&store, &id);
        assert!(store.memory_body(&old[0], TimeFormat::Z).is_some());
        store.insert_raw(id, RawValue::from_string("{}".into()).unwrap());
        assert!(store.memory_body(&old[0], TimeFormat::Z).is_none());
        assert!(store.memories.is_empty());
    }
}
