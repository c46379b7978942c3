//! Data deletion jobs and the answer every data deletion route gives.
//!
//! A job starts with the first request for its target and answers
//! `in_progress` with `continue: true` to that request and the next ones
//! for the same target until `data_delete_continue_rounds` requests have
//! been answered so; the request after them ends the rounds. It completes
//! once the rounds are over and `data_delete_done_after` has passed since
//! it started (both settings as they were when it started): then its
//! target's data is removed and the record says `complete` (or `partial`),
//! with the counts removed. Until then a repeated request joins the running
//! job; after it, one starts anew.

use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{Value, json};

use crate::deletion_request::Target;
use crate::ids;
use crate::knobs::Knobs;

/// What a deletion removes, or removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Counts {
    pub memories: usize,
    pub conversations: usize,
    pub messages: usize,
}

impl Counts {
    pub fn any(&self) -> bool {
        self.memories + self.conversations + self.messages > 0
    }
}

#[derive(Debug)]
pub(crate) struct Deletion {
    pub id: String,
    pub target: Target,
    /// The instance the request named, if any.
    pub instance_id: Option<String>,
    started: Instant,
    /// Requests answered so far.
    rounds: u32,
    continue_rounds: u32,
    done_after: Duration,
    partial: bool,
    found: bool,
    /// To remove while running; removed once finished.
    counts: Counts,
    finished: bool,
}

impl Deletion {
    pub fn new(target: Target, instance_id: Option<String>, counts: Counts, knobs: &Knobs) -> Deletion {
        Deletion {
            id: ids::prefixed("del_"),
            target,
            instance_id,
            started: Instant::now(),
            rounds: 0,
            continue_rounds: knobs.data_delete_continue_rounds,
            done_after: knobs.data_delete_done_after,
            partial: knobs.data_delete_partial,
            found: counts.any(),
            counts,
            finished: false,
        }
    }

    /// Counts one more request for this target.
    pub fn answered(&mut self) {
        self.rounds = self.rounds.saturating_add(1);
    }

    /// Whether its data should go now.
    pub fn is_due(&self) -> bool {
        !self.finished && self.rounds > self.continue_rounds && self.started.elapsed() >= self.done_after
    }

    pub fn finish(&mut self, removed: Counts) {
        self.counts = removed;
        self.finished = true;
    }

    pub fn is_running(&self) -> bool {
        !self.finished
    }

    /// The record, as the routes answer it.
    pub fn answer(&self) -> Value {
        let status = match (self.finished, self.partial) {
            (false, _) => "in_progress",
            (true, false) => "complete",
            (true, true) => "partial",
        };
        let store = |cleared: bool| {
            if !self.finished {
                "pending"
            } else if cleared {
                "cleared"
            } else {
                "not_cleared"
            }
        };
        let more = !self.finished && self.rounds <= self.continue_rounds;
        let mut body = shape(&self.target, false);
        body["deletion_id"] = json!(self.id);
        body["status"] = json!(status);
        body["found"] = json!(self.found);
        body["counts"] = json!(self.counts);
        body["stores"] = json!({"postgres": store(true), "vector": store(true), "graph": store(!self.partial)});
        body["still_present_in"] = if status == "partial" { json!(["graph"]) } else { json!([]) };
        body["fully_removed"] = json!(status == "complete");
        body["continue"] = json!(more);
        if more && self.target.scope != "conversation" {
            body["note"] = json!("stopped at the size cap: send the same request again to continue");
        }
        body["audit"] = json!(format!("/v1/data/delete/{}", self.id));
        body
    }
}

/// A dry run's answer: what would go, nothing changed.
pub(crate) fn dry_run_answer(target: &Target, counts: Counts) -> Value {
    let mut body = shape(target, true);
    body["found"] = json!(counts.any());
    body["counts"] = json!(counts);
    body
}

/// Every field of the response model, with what depends on the scope.
fn shape(target: &Target, dry_run: bool) -> Value {
    let conversation = target.scope == "conversation";
    json!({
        "deletion_id": null,
        "status": if dry_run { "dry_run" } else { "in_progress" },
        "scope": target.scope,
        "dry_run": dry_run,
        "found": false,
        "counts": Counts::default(),
        "stores": {},
        "still_present_in": [],
        "fully_removed": false,
        "continue": false,
        "kept": if conversation { json!(["memories"]) } else { json!([]) },
        "note": conversation.then_some(
            "memories learned from this conversation are kept: use scope=user or memories.delete to remove them"),
        "audit": null,
        "memories_kept": conversation,
    })
}

/// Every deletion job, oldest first.
#[derive(Debug, Default)]
pub(crate) struct DeletionStore {
    jobs: Vec<Deletion>,
}

impl DeletionStore {
    pub fn running_for(&mut self, target: &Target) -> Option<&mut Deletion> {
        self.jobs.iter_mut().find(|d| d.is_running() && d.target == *target)
    }

    pub fn start(&mut self, deletion: Deletion) {
        self.jobs.push(deletion);
    }

    pub fn get(&self, id: &str) -> Option<&Deletion> {
        self.jobs.iter().find(|d| d.id == id)
    }

    pub fn due(&mut self) -> impl Iterator<Item = &mut Deletion> {
        self.jobs.iter_mut().filter(|d| d.is_due())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(scope: &'static str) -> Target {
        Target { scope, user_id: Some("u".into()), customer_id: None, conversation_id: Some("c".into()) }
    }

    fn knobs(rounds: u32, done_after_ms: u64, partial: bool) -> Knobs {
        Knobs {
            upload_max_bytes: 1,
            forget_partial: false,
            data_delete_continue_rounds: rounds,
            data_delete_done_after: Duration::from_millis(done_after_ms),
            data_delete_partial: partial,
        }
    }

    #[test]
    fn rounds_then_completion() {
        let counts = Counts { memories: 2, conversations: 1, messages: 3 };
        let mut d = Deletion::new(target("user"), None, counts, &knobs(2, 0, false));
        for _ in 0..2 {
            d.answered();
            assert!(!d.is_due());
            let a = d.answer();
            assert_eq!((a["status"].as_str(), a["continue"].as_bool()), (Some("in_progress"), Some(true)));
        }
        d.answered();
        assert!(d.is_due());
        d.finish(counts);
        let a = d.answer();
        assert_eq!((a["status"].as_str(), a["continue"].as_bool()), (Some("complete"), Some(false)));
        assert_eq!((a["fully_removed"].as_bool(), a["found"].as_bool()), (Some(true), Some(true)));
        assert_eq!(a["counts"], json!({"memories": 2, "conversations": 1, "messages": 3}));
        assert!(a["deletion_id"].as_str().unwrap().starts_with("del_"));
    }

    #[test]
    fn timing_and_partial() {
        let mut d = Deletion::new(target("conversation"), None, Counts::default(), &knobs(0, 60_000, true));
        d.answered();
        assert!(!d.is_due(), "the time has not passed");
        assert_eq!(d.answer()["continue"], false);
        d.finish(Counts::default());
        let a = d.answer();
        assert_eq!((a["status"].as_str(), a["still_present_in"].clone()), (Some("partial"), json!(["graph"])));
        assert_eq!((a["memories_kept"].as_bool(), a["kept"].clone()), (Some(true), json!(["memories"])));
        let dry = dry_run_answer(&target("user"), Counts::default());
        assert_eq!((dry["status"].as_str(), dry["deletion_id"].is_null()), (Some("dry_run"), true));
    }
}
