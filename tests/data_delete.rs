//! Permanent data deletion against the emulator, through the Rust API: dry
//! runs, the confirmation, the service's `continue` loop, following a
//! deletion to its end (complete or partial) with its progress, timeout and
//! cancellation, the status route's path and query, and the conversation
//! scope that keeps the memories made from it.

mod common;
mod lifecycle_support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::Emu;
use lifecycle_support::{CUSTOMER, INSTANCE, USER, correlation_id, fetched_ids, ingest, sent_to, start, start_with};
use serde_json::{Value, json};
use synap::{
    CancelToken, Client, DataDeleteRequest, DataDeletion, DeleteScope, DeletionState, ErrorKind, MAX_CONTINUE_ROUNDS,
    MessageRequest, WaitOptions,
};
use synap_emulator::Config;

const DELETE: &str = "/v1/data/delete";
const STATUS: &str = "/v1/data/delete/";
const CONV: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";
const DOC: &str = "User: I moved to Lisbon last spring. I play padel every Sunday morning.";
const QUERY: &str = "Lisbon spring padel Sunday morning";

/// A deletion of `user` at `CUSTOMER`, confirmed.
fn delete_user(user: &str) -> DataDeleteRequest {
    let mut request = DataDeleteRequest::new(DeleteScope::User, user).unwrap();
    request.customer_id(CUSTOMER).unwrap().confirm(user);
    request
}

fn waiting(timeout: Duration) -> WaitOptions {
    let mut options = WaitOptions::new();
    options.timeout(timeout).unwrap().poll_interval(Duration::from_millis(40)).unwrap();
    options
}

fn bodies(emu: &Emu) -> Vec<Value> {
    emu.sent_json(DELETE)
}

fn strs(list: &[synap::Text]) -> Vec<&str> {
    list.iter().map(|t| t.as_str()).collect()
}

/// Follows `deletion` to its end, recording every state polled.
fn follow(client: &Client, deletion: &DataDeletion) -> (DataDeletion, Vec<DeletionState>) {
    let id = deletion.deletion_id.as_deref().expect("a deletion id");
    let mut seen = Vec::new();
    let last = client
        .data_deletion_wait(id, &waiting(Duration::from_secs(10)), None, |d| {
            seen.push(d.state());
            true
        })
        .unwrap();
    (last, seen)
}

#[test]
fn a_dry_run_counts_what_would_go_and_deletes_nothing() {
    let emu = start();
    let client = emu.client();
    let ids = ingest(&client, DOC, USER, CUSTOMER);
    let mut dry = DataDeleteRequest::new(DeleteScope::User, USER).unwrap();
    dry.customer_id(CUSTOMER).unwrap().dry_run(true);
    let answer = client.data_delete(&dry).unwrap();
    assert_eq!(
        bodies(&emu),
        [json!({"scope": "user", "instance_id": "", "user_id": USER, "customer_id": CUSTOMER,
                "conversation_id": null, "dry_run": true, "confirm": null})],
        "one request, all seven keys"
    );
    assert_eq!(answer.state(), DeletionState::DryRun);
    assert_eq!((answer.dry_run, answer.found, answer.deletion_id.as_deref()), (Some(true), Some(true), None));
    assert_eq!(answer.count("memories"), Some(ids.len() as i64));
    assert_eq!(answer.scope.as_deref(), Some("user"));
    assert!(answer.raw_json.as_deref().is_some_and(|raw| raw.contains("\"dry_run\"")));
    for id in &ids {
        assert!(client.memories_get(id).is_ok(), "a dry run deletes nothing");
    }
    assert_eq!(fetched_ids(&client, USER, QUERY), ids.iter().cloned().collect());

    // A user with nothing stored: found is false.
    let mut nobody = DataDeleteRequest::new(DeleteScope::User, "nobody").unwrap();
    nobody.dry_run(true).confirm("nobody");
    let answer = client.data_delete(&nobody).unwrap();
    assert_eq!((answer.state(), answer.found, answer.count("memories")), (DeletionState::DryRun, Some(false), Some(0)));
    assert_eq!(bodies(&emu)[1]["confirm"], "nobody");
}

#[test]
fn the_confirmation_and_the_ids_are_checked_before_any_request() {
    let emu = start();
    let client = emu.client();
    for blank in ["", "  ", "\t"] {
        assert_eq!(DataDeleteRequest::new(DeleteScope::User, blank).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
    let mut request = DataDeleteRequest::new(DeleteScope::User, USER).unwrap();
    let e = client.data_delete(&request).unwrap_err();
    assert_eq!(
        (e.kind(), e.message()),
        (ErrorKind::InvalidArgument, "a deletion needs confirm set to its user_id (or a dry run)")
    );
    for wrong in ["user_78", "USER_789", " user_789", ""] {
        request.confirm(wrong);
        let e = client.data_delete(&request).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{wrong:?}");
        assert!(e.message().starts_with("confirm does not match user_id"), "{}", e.message());
        // A dry run does not make a wrong confirmation right.
        let e = client.data_delete(request.clone().dry_run(true)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{wrong:?}");
    }
    let mut conversation = DataDeleteRequest::new(DeleteScope::Conversation, CONV).unwrap();
    conversation.confirm(USER);
    let e = client.data_delete(&conversation).unwrap_err();
    assert!(e.message().starts_with("confirm does not match conversation_id"), "{}", e.message());
    assert!(request.user_id("u").is_err(), "user_id is for the conversation scope");
    assert!(DataDeleteRequest::new(DeleteScope::Customer, CUSTOMER).unwrap().customer_id("c").is_err());

    for blank in ["", "   "] {
        let e = client.data_deletion_status(blank).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().starts_with("deletion_id must not be empty"), "{}", e.message());
        let e = client.data_deletion_wait(blank, &WaitOptions::new(), None, |_| true).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    }
    assert!(emu.requests(None).is_empty(), "nothing was sent: {:?}", emu.requests(None));
}

#[test]
fn the_same_request_is_sent_again_while_the_service_asks_to_continue() {
    let emu = start();
    emu.post_config(json!({"data_delete_continue_rounds": 3}));
    let client = emu.client();
    let ids = ingest(&client, DOC, USER, CUSTOMER);
    let done = client.data_delete(&delete_user(USER)).unwrap();
    assert_eq!(done.state(), DeletionState::Complete, "{done:?}");
    assert_eq!((done.continues, done.fully_removed), (Some(false), Some(true)));
    assert_eq!(done.count("memories"), Some(ids.len() as i64));

    // Three answers said continue, the fourth ended it: identical bodies,
    // each request its own call with its own correlation id.
    let logged = emu.requests(Some(DELETE));
    assert_eq!(logged.len(), 4, "{logged:?}");
    assert!(logged.iter().all(|r| r["body"] == logged[0]["body"]), "identical bodies");
    let ids_sent: BTreeSet<&str> = logged.iter().map(correlation_id).collect();
    assert_eq!(ids_sent.len(), 4, "distinct correlation ids: {ids_sent:?}");
    assert_eq!(
        bodies(&emu)[0],
        json!({"scope": "user", "instance_id": "", "user_id": USER, "customer_id": CUSTOMER,
               "conversation_id": null, "dry_run": false, "confirm": USER})
    );
    for id in &ids {
        assert_eq!(client.memories_get(id).unwrap_err().kind(), ErrorKind::NotFound);
    }

    // A dry run is never continued.
    let mut dry = DataDeleteRequest::new(DeleteScope::User, "someone").unwrap();
    dry.dry_run(true);
    client.data_delete(&dry).unwrap();
    assert_eq!(emu.requests(Some(DELETE)).len(), 5);
}

#[test]
fn the_continue_loop_stops_at_its_cap_with_the_last_answer() {
    let emu = start();
    emu.post_config(json!({"data_delete_continue_rounds": MAX_CONTINUE_ROUNDS + 10}));
    let client = emu.client();
    let still = client.data_delete(&delete_user(USER)).unwrap();
    assert_eq!(emu.requests(Some(DELETE)).len(), MAX_CONTINUE_ROUNDS as usize);
    assert_eq!((still.state(), still.continues), (DeletionState::InProgress, Some(true)));
    assert!(still.deletion_id.is_some());
}

#[test]
fn a_deletion_is_followed_to_completion_and_its_data_is_gone() {
    let emu = start();
    emu.post_config(json!({"data_delete_continue_rounds": 0, "data_delete_done_after_ms": 400}));
    let client = emu.client();
    let ids = ingest(&client, DOC, USER, CUSTOMER);
    let other = ingest(&client, "User: I keep bees on the roof in summer.", "user_other", CUSTOMER);

    let started = client.data_delete(&delete_user(USER)).unwrap();
    assert_eq!(emu.requests(Some(DELETE)).len(), 1);
    assert_eq!((started.state(), started.continues), (DeletionState::InProgress, Some(false)));
    assert!(!started.state().is_terminal());
    assert_eq!(started.fully_removed, Some(false));

    let (done, seen) = follow(&client, &started);
    assert_eq!(seen.first(), Some(&DeletionState::InProgress), "{seen:?}");
    assert_eq!(seen.last(), Some(&DeletionState::Complete), "{seen:?}");
    assert_eq!(seen.iter().filter(|s| **s == DeletionState::Complete).count(), 1);
    assert_eq!(done.deletion_id, started.deletion_id);
    assert_eq!((done.fully_removed, done.found), (Some(true), Some(true)));
    assert!(done.still_present_in.is_empty());
    assert_eq!(done.count("memories"), Some(ids.len() as i64));
    assert!(done.audit.as_deref().is_some_and(|a| a.contains(started.deletion_id.as_deref().unwrap())));
    assert!(done.stores_json.is_some());

    // The record stays readable; the data does not.
    let record = client.data_deletion_status(started.deletion_id.as_deref().unwrap()).unwrap();
    assert_eq!(record.state(), DeletionState::Complete);
    for id in &ids {
        let e = client.memories_get(id).unwrap_err();
        assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
    }
    assert!(fetched_ids(&client, USER, QUERY).is_empty());
    assert_eq!(fetched_ids(&client, "user_other", "bees roof summer"), other.into_iter().collect());
}

#[test]
fn a_partial_deletion_ends_partial_never_complete() {
    let emu = start();
    emu.post_config(
        json!({"data_delete_continue_rounds": 0, "data_delete_done_after_ms": 300, "data_delete_partial": true}),
    );
    let client = emu.client();
    let ids = ingest(&client, DOC, USER, CUSTOMER);
    let started = client.data_delete(&delete_user(USER)).unwrap();
    let (done, seen) = follow(&client, &started);
    assert_eq!(seen.first(), Some(&DeletionState::InProgress), "{seen:?}");
    assert_eq!(seen.last(), Some(&DeletionState::Partial), "{seen:?}");
    assert!(!seen.contains(&DeletionState::Complete), "{seen:?}");
    assert!(done.state().is_terminal());
    assert_eq!(done.fully_removed, Some(false));
    assert_eq!(strs(&done.still_present_in), ["graph"]);
    assert_eq!(done.status.as_deref(), Some("partial"));
    // Gone from the API all the same.
    assert_eq!(client.memories_get(&ids[0]).unwrap_err().kind(), ErrorKind::NotFound);

    // Answered partial at once, the call itself says so.
    emu.post_config(json!({"data_delete_done_after_ms": 0}));
    let at_once = client.data_delete(&delete_user("user_second")).unwrap();
    assert_eq!((at_once.state(), at_once.fully_removed), (DeletionState::Partial, Some(false)));
}

#[test]
fn the_status_route_escapes_the_id_and_sends_the_instance() {
    let emu = start();
    let client = emu.client();

    let e = client.data_deletion_status("del_0000000000000000").unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
    let logged = sent_to(&emu, "/v1/data/delete/del_0000000000000000");
    assert_eq!((logged.len(), logged[0]["query"].as_str()), (1, Some("instance_id=")));

    // Every reserved character of the id is percent-encoded; spaces around
    // it are trimmed.
    let e = client.data_deletion_status(" del/x ?y#z%w+é ").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let logged = sent_to(&emu, "/v1/data/delete/del%2Fx%20%3Fy%23z%25w%2B%C3%A9");
    assert_eq!(logged.len(), 1, "{:?}", emu.requests(None));
    assert_eq!(logged[0]["query"], "instance_id=");
    let e = client.data_deletion_wait("del/x", &waiting(Duration::from_secs(2)), None, |_| true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(sent_to(&emu, "/v1/data/delete/del%2Fx").len(), 1);

    // Before whoami the instance is unknown and sent empty; after it, the
    // real one, in the body and in the status query.
    let first = client.data_delete(&delete_user(USER)).unwrap();
    assert_eq!(bodies(&emu)[0]["instance_id"], "");
    assert_eq!(client.whoami().unwrap().instance_id(), Some(INSTANCE));
    let second = client.data_delete(&delete_user("user_second")).unwrap();
    let sent = bodies(&emu);
    assert_eq!(sent.last().unwrap()["instance_id"], INSTANCE);
    for deletion in [&first, &second] {
        let id = deletion.deletion_id.as_deref().unwrap();
        let record = client.data_deletion_status(id).unwrap();
        assert_eq!(record.deletion_id, deletion.deletion_id);
        let logged = sent_to(&emu, &format!("{STATUS}{id}"));
        assert_eq!(logged.last().unwrap()["query"], format!("instance_id={INSTANCE}"));
        assert_eq!(logged.last().unwrap()["headers"]["x-instance-id"], INSTANCE);
    }
}

#[test]
fn a_wait_ends_at_its_timeout_or_when_cancelled() {
    let emu = start();
    emu.post_config(json!({"data_delete_continue_rounds": 0, "data_delete_done_after_ms": 60_000}));
    let client = emu.client();
    let running = client.data_delete(&delete_user(USER)).unwrap();
    let id = running.deletion_id.as_deref().unwrap().to_owned();
    let polls = || sent_to(&emu, &format!("{STATUS}{id}")).len();

    let started = Instant::now();
    let e = client.data_deletion_wait(&id, &waiting(Duration::from_millis(300)), None, |_| true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("did not complete within 300 ms"), "{}", e.message());
    assert!(e.message().contains("in_progress"), "{}", e.message());
    assert!(started.elapsed() >= Duration::from_millis(300) && started.elapsed() < Duration::from_secs(2));

    // Cancelled from another thread while it sleeps between polls.
    let token = CancelToken::new();
    let started = Instant::now();
    let e = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(150));
            token.cancel();
        });
        client.data_deletion_wait(&id, &waiting(Duration::from_secs(20)), Some(&token), |_| true).unwrap_err()
    });
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());

    // Already cancelled: not a single poll.
    let before = polls();
    let e = client.data_deletion_wait(&id, &WaitOptions::new(), Some(&token), |_| true).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(polls(), before);

    // The progress callback ends it after the poll it saw.
    let e = client.data_deletion_wait(&id, &WaitOptions::new(), None, |d| d.state() != DeletionState::InProgress);
    let e = e.unwrap_err();
    assert_eq!(
        (e.kind(), e.message()),
        (ErrorKind::Cancelled, "wait cancelled by the progress callback after 1 polls")
    );
    assert_eq!(polls(), before + 1);
}

fn message(role: &str, content: &str) -> MessageRequest {
    let mut m = MessageRequest::new();
    m.conversation_id(CONV).unwrap().role(role).unwrap().content(content);
    m.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
    m
}

#[test]
fn the_conversation_scope_removes_its_turns_and_keeps_its_memories() {
    let emu = start();
    let client = emu.client();
    client.conversation_record_message(&message("user", "I moved to Lisbon last spring for a new job.")).unwrap();
    client.conversation_record_message(&message("assistant", "Noted, you live in Lisbon now.")).unwrap();
    let until = Instant::now() + Duration::from_secs(5);
    let learned = loop {
        let found = fetched_ids(&client, USER, "Lisbon spring job");
        if !found.is_empty() {
            break found;
        }
        assert!(Instant::now() < until, "no memory was made from the conversation");
        std::thread::sleep(Duration::from_millis(20));
    };

    let mut request = DataDeleteRequest::new(DeleteScope::Conversation, CONV).unwrap();
    request.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
    let dry = client.data_delete(request.clone().dry_run(true)).unwrap();
    assert_eq!(dry.state(), DeletionState::DryRun);
    assert_eq!((dry.count("conversations"), dry.count("messages"), dry.count("memories")), (Some(1), Some(2), Some(0)));
    assert_eq!(client.conversation_messages(CONV, 1, 100).unwrap().len(), 2, "a dry run deletes nothing");

    request.confirm(CONV);
    let done = client.data_delete(&request).unwrap();
    assert_eq!(
        bodies(&emu).last().unwrap(),
        &json!({"scope": "conversation", "instance_id": "", "user_id": USER, "customer_id": CUSTOMER,
                "conversation_id": CONV, "dry_run": false, "confirm": CONV})
    );
    assert_eq!(done.state(), DeletionState::Complete, "{done:?}");
    assert_eq!((done.scope.as_deref(), done.memories_kept), (Some("conversation"), Some(true)));
    assert_eq!(strs(&done.kept), ["memories"]);
    assert!(done.note.as_deref().is_some_and(|n| n.contains("memories")), "{:?}", done.note);
    assert_eq!(done.count("messages"), Some(2));

    assert!(client.conversation_messages(CONV, 1, 100).unwrap().is_empty(), "the turns are gone");
    assert_eq!(fetched_ids(&client, USER, "Lisbon spring job"), learned, "the memories stay");
    for id in &learned {
        assert!(client.memories_get(id).is_ok());
    }
}

#[test]
fn on_b2c_a_customer_is_refused_after_whoami() {
    let emu = start_with(Config { user_context_isolation: Some("equals_customer".to_owned()), ..Config::default() });
    let client = emu.client();
    assert!(client.whoami().unwrap().is_b2c());
    let mut customer = DataDeleteRequest::new(DeleteScope::Customer, CUSTOMER).unwrap();
    customer.confirm(CUSTOMER);
    for request in [customer, delete_user(USER)] {
        let e = client.data_delete(&request).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("customer_id is not accepted on this instance"), "{}", e.message());
    }
    assert!(emu.requests(Some(DELETE)).is_empty(), "refused before any request");
    let mut plain = DataDeleteRequest::new(DeleteScope::User, USER).unwrap();
    plain.confirm(USER);
    let done = client.data_delete(&plain).unwrap();
    assert_eq!(done.state(), DeletionState::Complete);
    assert_eq!(bodies(&emu).last().unwrap()["customer_id"], Value::Null);
}
