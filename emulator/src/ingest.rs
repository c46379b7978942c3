//! `memories.create` and `memories.batch` (contract sections 7 and 8):
//! each document is checked as the service does, then becomes a job that
//! turns its sentences into memories over time.

use std::collections::HashSet;
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::conversations::Joining;
use crate::credits;
use crate::http::{Request, Response};
use crate::jobs::{FinalState, JobSpec, JobStore, Origin, assigned_document_id};
use crate::memories;
use crate::state::{B2C, State, lock};
use crate::timefmt;
use crate::validate::{self, FieldError, NewDocument};

/// A document whose text contains this is accepted, then its job fails.
pub const FAIL_MARKER: &str = "FAIL_INGEST";
/// A document whose text contains this ends `partial_success`.
pub const PARTIAL_MARKER: &str = "PARTIAL_INGEST";
/// Most documents in one batch.
const MAX_BATCH: usize = 1000;
/// Most memories one document yields (from its first sentences).
const MAX_MEMORIES_PER_DOCUMENT: usize = 5;

/// Why a document was refused.
enum Refusal {
    /// 422: the body does not fit the request model.
    Invalid(Vec<FieldError>),
    /// 400: ids that do not fit the instance's tenancy.
    Scope(&'static str),
    /// 409: create or batch already took this document_id.
    Duplicate(String),
}

impl Refusal {
    fn response(&self) -> Response {
        match self {
            Refusal::Invalid(errors) => validate::unprocessable(errors),
            Refusal::Scope(msg) => Response::detail(400, msg),
            Refusal::Duplicate(_) => Response::detail(409, &self.message(0)),
        }
    }

    /// One line, for a batch result; `depth` = loc parts above the document.
    fn message(&self, depth: usize) -> String {
        match self {
            Refusal::Invalid(errors) => errors.iter().map(|e| e.summary(depth)).collect::<Vec<_>>().join("; "),
            Refusal::Scope(msg) => (*msg).to_owned(),
            Refusal::Duplicate(id) => format!("document_id already exists: {id}"),
        }
    }
}

/// A create answer or a batch result.
#[derive(Serialize)]
struct Ack {
    ingestion_id: String,
    document_id: String,
    status: &'static str,
    queued_at: String,
    /// Absent in a create answer; null or a reason in a batch result.
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<Option<String>>,
}

pub(crate) fn create(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let mut jobs = lock(&state.jobs);
    match admit(state, &jobs, &HashSet::new(), &body, &[json!("body")]) {
        Ok(doc) => match credits::charge(state, 1, "memories.create") {
            Ok(()) => queue(state, &mut jobs, doc),
            Err(resp) => resp,
        },
        Err(refusal) => refusal.response(),
    }
}

/// Queues an admitted, paid-for document; the create answer.
pub(crate) fn queue(state: &State, jobs: &mut JobStore, doc: NewDocument) -> Response {
    let ack = Ack { error_message: None, ..enqueue(state, jobs, doc) };
    Response::json(200, &ack)
}

pub(crate) fn batch(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let (items, fail_fast) = match batch_shape(&body) {
        Ok(shape) => shape,
        Err(errors) => return validate::unprocessable(&errors),
    };
    // One lock for the whole batch: nothing is queued unless every check
    // that fail_fast needs has passed, and duplicates are seen atomically.
    let mut jobs = lock(&state.jobs);
    let mut batch_ids = HashSet::new();
    let mut checked = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let result = admit(state, &jobs, &batch_ids, item, &[json!("body"), json!("documents"), json!(i)]);
        match &result {
            Ok(NewDocument { document_id: Some(id), .. }) => {
                batch_ids.insert(id.clone());
            }
            Err(refusal) if fail_fast => return refusal.response(),
            _ => {}
        }
        checked.push(result);
    }
    // One charge for the documents that will be queued; none if it cannot pay.
    if let Err(resp) = credits::charge(state, checked.iter().filter(|r| r.is_ok()).count(), "memories.batch") {
        return resp;
    }
    let results: Vec<Ack> = checked
        .into_iter()
        .zip(items)
        .map(|(result, item)| match result {
            Ok(doc) => enqueue(state, &mut jobs, doc),
            Err(refusal) => record_refusal(state, &mut jobs, item, refusal.message(3)),
        })
        .collect();
    #[derive(Serialize)]
    struct Batch {
        batch_id: String,
        total: usize,
        succeeded: usize,
        failed: usize,
        results: Vec<Ack>,
    }
    let failed = results.iter().filter(|r| r.status == "failed").count();
    Response::json(
        200,
        &Batch {
            batch_id: Uuid::new_v4().hyphenated().to_string(),
            total: results.len(),
            succeeded: results.len() - failed,
            failed,
            results,
        },
    )
}

/// `{"documents": [1 to 1000 items], "fail_fast": bool}`; fail_fast defaults to false.
fn batch_shape(body: &Value) -> Result<(&Vec<Value>, bool), Vec<FieldError>> {
    let Value::Object(obj) = body else {
        let msg = "Input should be a valid dictionary or object to extract fields from";
        return Err(vec![FieldError::new(vec![json!("body")], "model_attributes_type", msg, body)]);
    };
    let loc = |field: &str| vec![json!("body"), json!(field)];
    let mut errors = Vec::new();
    let fail_fast = match obj.get("fail_fast") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            errors.push(FieldError::new(loc("fail_fast"), "bool_type", "Input should be a valid boolean", v));
            false
        }
    };
    let items = match obj.get("documents") {
        None => {
            errors.push(FieldError::new(loc("documents"), "missing", "Field required", body));
            None
        }
        Some(v @ Value::Array(items)) if items.is_empty() || items.len() > MAX_BATCH => {
            let n = items.len();
            let (kind, msg, ctx) = if n == 0 {
                let msg = "List should have at least 1 item after validation, not 0".to_owned();
                ("too_short", msg, json!({"field_type": "List", "min_length": 1, "actual_length": 0}))
            } else {
                let msg = format!("List should have at most {MAX_BATCH} items after validation, not {n}");
                ("too_long", msg, json!({"field_type": "List", "max_length": MAX_BATCH, "actual_length": n}))
            };
            errors.push(FieldError { ctx: Some(ctx), ..FieldError::new(loc("documents"), kind, msg, v) });
            None
        }
        Some(Value::Array(items)) => Some(items),
        Some(v) => {
            errors.push(FieldError::new(loc("documents"), "list_type", "Input should be a valid list", v));
            None
        }
    };
    match items {
        Some(items) if errors.is_empty() => Ok((items, fail_fast)),
        _ => Err(errors),
    }
}

/// Checks one document: the request model (422), then tenancy (400), then
/// whether its document_id was taken before, also earlier in this batch (409).
fn admit(
    state: &State,
    jobs: &JobStore,
    batch_ids: &HashSet<String>,
    value: &Value,
    loc: &[Value],
) -> Result<NewDocument, Refusal> {
    let doc = validate::document(value, loc).map_err(Refusal::Invalid)?;
    let isolation = state.config.user_context_isolation.as_deref();
    if isolation == Some(B2C) && doc.customer_id.is_some() {
        return Err(Refusal::Scope("customer_id is not accepted: this instance isolates users per customer"));
    }
    if isolation.is_none() && doc.user_id.is_some() && doc.customer_id.is_none() {
        return Err(Refusal::Scope("user_id requires customer_id on this instance"));
    }
    if let Some(id) = doc.document_id.as_ref().filter(|id| jobs.has_document_id(id) || batch_ids.contains(*id)) {
        return Err(Refusal::Duplicate(id.clone()));
    }
    Ok(doc)
}

/// Queues a job for an admitted document, takes its document_id and adds
/// its messages to its conversation.
fn enqueue(state: &State, jobs: &mut JobStore, doc: NewDocument) -> Ack {
    let id = Uuid::new_v4();
    let document_id = doc.document_id.unwrap_or_else(|| assigned_document_id(&id));
    jobs.claim_document_id(document_id.clone());
    let (final_state, memory_texts, error_message) = outcome(&doc.text);
    let (processing_after, done_after) = state.create_timing();
    let origin = Origin {
        user_id: doc.user_id,
        customer_id: doc.customer_id,
        conversation_id: doc.conversation_id,
        said_at: doc.created_at,
        document_type: Some(doc.document_type),
    };
    let spec = JobSpec {
        document_id: document_id.clone(),
        final_state,
        processing_after,
        done_after,
        memories: memory_texts.len() as u64,
        memory_texts,
        error_message,
        backdate: Duration::ZERO,
        origin: origin.clone(),
    };
    let queued_at = jobs.insert(id, spec);
    if let Some(conversation_id) = &origin.conversation_id {
        lock(&state.conversations).add(Joining {
            conversation_id,
            user_id: origin.user_id.as_deref(),
            customer_id: origin.customer_id.as_deref(),
            document_type: origin.document_type.as_deref().unwrap_or_default(),
            at: origin.said_at.unwrap_or(queued_at),
            messages: doc.messages,
        });
    }
    Ack {
        ingestion_id: id.hyphenated().to_string(),
        document_id,
        status: "queued",
        queued_at: timefmt::format(queued_at, state.time_format()),
        error_message: Some(None),
    }
}

/// A refused batch item still gets an ingestion id, whose status is
/// `failed` with the same reason, so a client polling every result can.
fn record_refusal(state: &State, jobs: &mut JobStore, item: &Value, reason: String) -> Ack {
    let id = Uuid::new_v4();
    let given = item.get("document_id").and_then(Value::as_str).map(str::to_owned);
    let document_id = given.unwrap_or_else(|| assigned_document_id(&id));
    let spec = JobSpec {
        document_id: document_id.clone(),
        final_state: FinalState::Failed,
        processing_after: Duration::ZERO,
        done_after: Duration::ZERO,
        memories: 0,
        memory_texts: Vec::new(),
        error_message: Some(reason.clone()),
        backdate: Duration::ZERO,
        origin: Origin::default(),
    };
    let queued_at = jobs.insert(id, spec);
    Ack {
        ingestion_id: id.hyphenated().to_string(),
        document_id,
        status: "failed",
        queued_at: timefmt::format(queued_at, state.time_format()),
        error_message: Some(Some(reason)),
    }
}

/// How a document's job ends and what its memories say: markers in the
/// text pick the end, its first sentences become the memories.
pub(crate) fn outcome(text: &str) -> (FinalState, Vec<String>, Option<String>) {
    if text.contains(FAIL_MARKER) {
        let msg = format!("extraction failed: the document contains {FAIL_MARKER}");
        return (FinalState::Failed, Vec::new(), Some(msg));
    }
    let all = memories::sentences(text);
    let mut texts: Vec<String> =
        all.iter().filter(|s| !s.contains(PARTIAL_MARKER)).take(MAX_MEMORIES_PER_DOCUMENT).cloned().collect();
    if texts.is_empty() {
        // Text made only of a marker still yields one memory.
        texts.extend(all.into_iter().take(1));
    }
    if text.contains(PARTIAL_MARKER) {
        let msg = format!("entity resolution timed out for 1 of {} extractions", texts.len() + 1);
        (FinalState::PartialSuccess, texts, Some(msg))
    } else {
        (FinalState::Completed, texts, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_pick_the_end() {
        let (end, texts, msg) = outcome("I love tea. It is warm today.");
        assert_eq!((end, texts.len(), msg), (FinalState::Completed, 2, None));
        let (end, texts, msg) = outcome("Please FAIL_INGEST this one.");
        assert_eq!((end, texts.len()), (FinalState::Failed, 0));
        assert!(msg.unwrap().contains(FAIL_MARKER));
        let (end, texts, msg) = outcome("PARTIAL_INGEST please. I love tea with milk.");
        assert_eq!((end, texts), (FinalState::PartialSuccess, vec!["I love tea with milk.".to_owned()]));
        assert_eq!(msg.unwrap(), "entity resolution timed out for 1 of 2 extractions");
        let (_, texts, _) = outcome("PARTIAL_INGEST");
        assert_eq!(texts, ["PARTIAL_INGEST"]);
    }

    #[test]
    fn at_most_five_memories() {
        let text = "One two three. ".repeat(9);
        assert_eq!(outcome(&text).1.len(), MAX_MEMORIES_PER_DOCUMENT);
    }
}
