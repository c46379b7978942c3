//! `POST /v1/data/delete` and `GET /v1/data/delete/{deletion_id}` (contract
//! part 2, sections 6.5 and 6.6): permanent deletion of one user, one
//! conversation or one customer, as jobs (see `deletions`).
//!
//! What goes: the user scope takes every ingestion job, memory and
//! conversation of that user (narrowed to the customer when one is given);
//! the customer scope those of that customer; the conversation scope that
//! conversation's messages, compactions and transcript, keeping the
//! memories learned from it. Counts are of readable memories, conversations
//! and their messages. Jobs advance with time, so due ones are settled at
//! the start of every request (see [`settle`]).
//!
//! The status route matches the id after percent-decoding; an
//! `instance_id` in its query that names another instance than the one the
//! deletion was requested for is a 404, like an unknown id.

use crate::deletion_request::{self, Target};
use crate::deletions::{self, Counts, Deletion};
use crate::http::{Request, Response, query_param};
use crate::state::{B2C, State, lock};
use crate::validate;

pub(crate) fn post(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let request = match deletion_request::parse(&body) {
        Ok(request) => request,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let b2c = state.config.user_context_isolation.as_deref() == Some(B2C);
    if let Some(msg) = request.refusal(b2c) {
        return Response::detail(400, &msg);
    }
    if request.dry_run {
        return Response::json(200, &deletions::dry_run_answer(&request.target, count(state, &request.target)));
    }
    let target = request.target;
    let mut store = lock(&state.deletions);
    if store.running_for(&target).is_none() {
        let counts = count(state, &target);
        store.start(Deletion::new(target.clone(), request.instance_id, counts, &state.knobs()));
    }
    let deletion = store.running_for(&target).expect("started above");
    deletion.answered();
    if deletion.is_due() {
        let removed = remove(state, &deletion.target);
        deletion.finish(removed);
    }
    Response::json(200, &deletion.answer())
}

pub(crate) fn status(state: &State, deletion_id: &str, req: &Request) -> Response {
    let store = lock(&state.deletions);
    let asked_instance = query_param(req.query.as_deref(), "instance_id").filter(|i| !i.is_empty());
    let found = store.get(deletion_id).filter(|d| match (&asked_instance, &d.instance_id) {
        (Some(asked), Some(own)) => asked == own,
        _ => true,
    });
    match found {
        Some(deletion) => Response::json(200, &deletion.answer()),
        None => Response::detail(404, "Deletion not found"),
    }
}

/// Removes the data of every deletion whose time has come.
pub(crate) fn settle(state: &State) {
    let mut store = lock(&state.deletions);
    for deletion in store.due() {
        let removed = remove(state, &deletion.target);
        deletion.finish(removed);
    }
}

/// What a deletion of `target` would remove now.
fn count(state: &State, target: &Target) -> Counts {
    let memories = lock(&state.jobs).count_owned(&|origin| target.owns_memories_of(origin));
    let (conversations, messages) = lock(&state.conversations).count_where(&|c| target.owns_conversation(c));
    Counts { memories, conversations, messages }
}

fn remove(state: &State, target: &Target) -> Counts {
    let mut jobs = lock(&state.jobs);
    let mut conversations = lock(&state.conversations);
    let memories = jobs.remove_owned(&|origin| target.owns_memories_of(origin));
    let (conversations, messages) = conversations.remove_where(&|c| target.owns_conversation(c));
    Counts { memories, conversations, messages }
}
