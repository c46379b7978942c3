//! The memory lifecycle calls against the emulator, through the Rust API:
//! updating a memory with each setter and reading it back, deleting one,
//! forgetting by description (preview, direct, nothing, partial), and
//! uploading a file, a buffer or text; the bodies sent, what the emulator
//! received, the refusals made before any request, and a file that cannot
//! be read or changes while it is sent.

mod common;
mod lifecycle_support;

use std::ffi::OsStr;
use std::fs::File;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::Emu;
use lifecycle_support::{
    CUSTOMER, Fnv1a64, TempDir, USER, completed, fetched_ids, fnv1a64, ingest, retrying, sent_to, start, start_with,
    uploads,
};
use serde_json::{Value, json};
use synap::{
    Client, ErrorKind, FORGET_DESCRIPTION_CHARS, ForgetOutcome, ForgetRequest, IngestState, LedgerQuery, UpdateRequest,
    UploadRequest,
};
use synap_emulator::Config;

const MEMORIES: &str = "/api/v1/memories/";
const FORGET: &str = "/api/v1/memories/forget";
const UPLOAD: &str = "/api/v1/memories/upload";
const ABSENT: &str = "0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60";

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_micros() as i64
}

fn json_body(logged: &Value) -> Value {
    serde_json::from_str(logged["body"].as_str().expect("a logged body")).expect("a JSON body")
}

/// The JSON body of the last request to `path`.
fn last_sent(emu: &Emu, path: &str) -> Value {
    json_body(sent_to(emu, path).last().unwrap_or_else(|| panic!("no request to {path}")))
}

/// The updates sent to `path`, in order.
fn patches(emu: &Emu, path: &str) -> Vec<Value> {
    sent_to(emu, path).into_iter().filter(|r| r["method"] == "PATCH").collect()
}

/// The body of the last update sent to `path`.
fn last_patch(emu: &Emu, path: &str) -> Value {
    json_body(patches(emu, path).last().unwrap_or_else(|| panic!("no update of {path}")))
}

fn forget(description: &str, mode: &str) -> ForgetRequest {
    let mut request = ForgetRequest::new();
    request.description(description).unwrap().user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
    request.mode(mode).unwrap();
    request
}

fn upload_for(user: &str) -> UploadRequest {
    let mut upload = UploadRequest::new();
    upload.user_id(user).unwrap().customer_id(CUSTOMER).unwrap();
    upload
}

/// The one upload the emulator received since `before` uploads.
fn only_upload_since(emu: &Emu, before: usize) -> Value {
    let all = uploads(emu);
    assert_eq!(all.len(), before + 1, "one upload received: {all:?}");
    all[before].clone()
}

/// Checks that the emulator received `bytes` whole.
fn assert_intact(record: &Value, bytes: &[u8]) {
    assert_eq!(record["bytes"], bytes.len(), "{record}");
    assert_eq!(record["fnv1a64"], fnv1a64(bytes), "{record}");
}

#[test]
fn every_update_setter_is_sent_and_the_memory_reads_back_as_answered() {
    let emu = start();
    let client = emu.client();
    let id = ingest(&client, "User: I prefer email over phone calls for billing.", USER, CUSTOMER).remove(0);
    let path = format!("{MEMORIES}{id}");
    let original = client.memories_get(&id).unwrap();
    assert_eq!(original.updated_at_us(), None);

    // Replace, the id given in another UUID form: sent canonical, by PATCH.
    let before = now_us();
    let mut update = UpdateRequest::new();
    update.document_text("Prefers SMS after 6pm").merge_strategy("replace").unwrap();
    let replaced = client.memories_update(&id.replace('-', "").to_uppercase(), &update).unwrap();
    let logged = patches(&emu, &path);
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0]["headers"]["content-type"], "application/json");
    assert_eq!(json_body(&logged[0]), json!({"document": "Prefers SMS after 6pm", "merge_strategy": "replace"}));
    assert_eq!(replaced.memory_id().to_string(), id);
    assert_eq!(replaced.content(), "Prefers SMS after 6pm");
    assert_eq!(replaced.created_at_us(), original.created_at_us());
    let at = replaced.updated_at_us().expect("updated_at");
    assert!(at >= before - 1_000_000 && at <= now_us() + 1_000_000, "{at}");
    assert_eq!(client.memories_get(&id).unwrap(), replaced);

    // Append.
    let mut update = UpdateRequest::new();
    update.document_text("Lives in Oslo since 2019.").merge_strategy("append").unwrap();
    let appended = client.memories_update(&id, &update).unwrap();
    assert_eq!(last_patch(&emu, &path), json!({"document": "Lives in Oslo since 2019.", "merge_strategy": "append"}));
    assert_eq!(appended.content(), "Prefers SMS after 6pm\nLives in Oslo since 2019.");
    assert_eq!(client.memories_get(&id).unwrap(), appended);

    // smart-merge unless set: what the memory already says changes nothing.
    let mut update = UpdateRequest::new();
    update.document_text("lives in OSLO since 2019");
    let merged = client.memories_update(&id, &update).unwrap();
    assert_eq!(
        last_patch(&emu, &path),
        json!({"document": "lives in OSLO since 2019", "merge_strategy": "smart-merge"})
    );
    assert_eq!(merged.content(), appended.content());

    // A structured document, its type and metadata.
    let mut update = UpdateRequest::new();
    update.document_json(r#"{"note": {"text": "Works from Berlin now."}}"#).unwrap();
    update
        .merge_strategy("replace")
        .unwrap()
        .document_type("email")
        .unwrap()
        .metadata_json(r#"{"source":"crm"}"#)
        .unwrap();
    let structured = client.memories_update(&id, &update).unwrap();
    assert_eq!(
        last_patch(&emu, &path),
        json!({"document": {"note": {"text": "Works from Berlin now."}}, "merge_strategy": "replace",
               "document_type": "email", "metadata": {"source": "crm"}})
    );
    assert_eq!(structured.content(), "Works from Berlin now.");
    assert_eq!(client.memories_get(&id).unwrap(), structured);

    // Empty metadata is sent as `{}`.
    update.metadata_json("{}").unwrap().document_text("Works from Hamburg now.");
    let emptied = client.memories_update(&id, &update).unwrap();
    assert_eq!(last_patch(&emu, &path)["metadata"], json!({}));
    assert_eq!(client.memories_get(&id).unwrap().content(), emptied.content());
    assert_eq!(emptied.content(), "Works from Hamburg now.");

    // Unknown, then deleted: 404.
    let e = client.memories_update(ABSENT, &update).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
    client.memories_delete(&id).unwrap();
    let e = client.memories_update(&id, &update).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
}

#[test]
fn a_malformed_update_is_refused_before_any_request() {
    let emu = start();
    let client = emu.client();
    let mut update = UpdateRequest::new();
    update.document_text("Prefers tea.");
    for bad in ["not-a-uuid", "", "0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f6", "../0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60"] {
        let e = client.memories_update(bad, &update).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        assert!(e.message().starts_with("memory_id is not a UUID"), "{}", e.message());
    }
    let e = client.memories_update(ABSENT, &UpdateRequest::new()).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "the request has no document"));

    // A refused value leaves the request as it was.
    let kept = update.clone();
    for strategy in ["merge", "Replace", "smart_merge", ""] {
        let e = update.merge_strategy(strategy).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{strategy:?}");
        assert!(e.message().contains("merge_strategy"), "{}", e.message());
    }
    assert_eq!(update.document_type("note").unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(update.document_json("[1, 2]").unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(update.document_json("{").unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(update.metadata_json("\"x\"").unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(update, kept);

    let e = client.memories_delete("6f1c9e2a").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(emu.requests(None).is_empty(), "nothing was sent: {:?}", emu.requests(None));
}

#[test]
fn a_deleted_memory_is_gone_from_every_read() {
    let emu = start();
    let client = emu.client();
    let ids = ingest(&client, "User: I drink green tea at lunch. I walk my dog every evening.", USER, CUSTOMER);
    assert_eq!(ids.len(), 2, "{ids:?}");
    let query = "green tea lunch walk dog evening";
    assert_eq!(fetched_ids(&client, USER, query), ids.iter().cloned().collect());

    let before = now_us();
    let deleted = client.memories_delete(&ids[0].to_uppercase()).unwrap();
    assert_eq!(deleted.memory_id.as_deref(), Some(ids[0].as_str()));
    let at = deleted.deleted_at_us.expect("deleted_at");
    assert!(at >= before - 1_000_000 && at <= now_us() + 1_000_000, "{at}");
    let logged = sent_to(&emu, &format!("{MEMORIES}{}", ids[0]));
    assert_eq!((logged.len(), logged[0]["method"].as_str(), logged[0]["body"].as_str()), (1, Some("DELETE"), Some("")));

    let e = client.memories_get(&ids[0]).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
    assert_eq!(fetched_ids(&client, USER, query), [ids[1].clone()].into(), "the other memory stays");
    assert!(client.memories_get(&ids[1]).is_ok());

    // Deleting again: the memory is already gone.
    let e = client.memories_delete(&ids[0]).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)));
    let e = client.memories_delete(ABSENT).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[test]
fn an_empty_204_answer_to_a_delete_is_the_deletion_of_the_memory_asked_for() {
    let emu = start();
    let client = emu.client();
    emu.post_fault(&format!("{MEMORIES}{ABSENT}"), 1, json!({"kind": "respond", "status": 204, "body": ""}));
    let deleted = client.memories_delete(&ABSENT.to_uppercase()).unwrap();
    assert_eq!((deleted.memory_id.as_deref(), deleted.deleted_at_us), (Some(ABSENT), None));
    // A 200 that does not name the memory is not taken for a deletion.
    emu.post_fault(&format!("{MEMORIES}{ABSENT}"), 1, json!({"kind": "respond", "status": 200, "body": "{}"}));
    let e = client.memories_delete(ABSENT).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol);
    assert!(e.message().contains("memory_id"), "{}", e.message());
}

#[test]
fn forget_previews_deletes_or_finds_nothing() {
    let emu = start();
    let client = emu.client();
    let ids =
        ingest(&client, "User: My old home address is 12 Elm Street. I prefer email over phone calls.", USER, CUSTOMER);
    let (address, email) = (ids[0].clone(), ids[1].clone());
    assert!(client.memories_get(&address).unwrap().content().contains("Elm Street"));

    // Preview: the match is filed for approval, nothing is deleted.
    let preview = client.memories_forget(&forget("my old home address", "preview")).unwrap();
    assert_eq!(
        last_sent(&emu, FORGET),
        json!({"description": "my old home address", "user_id": USER, "customer_id": CUSTOMER, "scope": null,
               "mode": "preview"})
    );
    assert_eq!(preview.outcome(), ForgetOutcome::Preview);
    assert!(preview.request_id.as_deref().is_some_and(|r| !r.is_empty()), "{preview:?}");
    assert_eq!(preview.candidates.len(), 1, "{preview:?}");
    let candidate = &preview.candidates[0];
    assert_eq!(candidate.memory_id.as_deref(), Some(address.as_str()));
    assert_eq!(candidate.content.as_deref(), Some("My old home address is 12 Elm Street."));
    assert_eq!(candidate.store.as_deref(), Some("memory"));
    assert!(candidate.memory_type.is_some());
    assert!(preview.deleted_ids.is_empty() && preview.still_present_in.is_empty());
    assert!(client.memories_get(&address).is_ok(), "a preview deletes nothing");
    assert!(fetched_ids(&client, USER, "old home address Elm Street").contains(&address));

    // Direct: deleted, and no read returns it any more.
    let direct = client.memories_forget(&forget("my old home address", "direct")).unwrap();
    assert_eq!(last_sent(&emu, FORGET)["mode"], "direct");
    assert_eq!(direct.outcome(), ForgetOutcome::Deleted);
    let deleted: Vec<&str> = direct.deleted_ids.iter().map(|t| t.as_str()).collect();
    assert_eq!(deleted, [address.as_str()]);
    assert!(direct.failed_ids.is_empty() && direct.still_present_in.is_empty());
    assert_eq!(direct.may_be_incomplete, Some(false));
    assert_eq!(client.memories_get(&address).unwrap_err().kind(), ErrorKind::NotFound);
    let left = fetched_ids(&client, USER, "old home address Elm Street email phone calls");
    assert!(!left.contains(&address) && left.contains(&email), "{left:?}");

    // The same description again, or one that matches nothing.
    for description in ["my old home address", "favourite football team"] {
        let none = client.memories_forget(&forget(description, "direct")).unwrap();
        assert_eq!(none.outcome(), ForgetOutcome::NothingMatches, "{description}");
        assert!(none.candidates.is_empty() && none.deleted_ids.is_empty(), "{none:?}");
        assert_eq!(none.request_id, None);
    }
    assert!(client.memories_get(&email).is_ok());
}

#[test]
fn a_partial_forget_names_the_stores_that_may_still_hold_the_text() {
    let emu = start();
    emu.post_config(json!({"forget_partial": true}));
    let client = emu.client();
    let id = ingest(&client, "User: My locker combination is 4521 at the gym.", USER, CUSTOMER).remove(0);
    let partial = client.memories_forget(&forget("locker combination", "direct")).unwrap();
    assert_eq!(partial.outcome(), ForgetOutcome::Partial, "{partial:?}");
    assert_ne!(partial.outcome(), ForgetOutcome::Deleted);
    let stores: Vec<&str> = partial.still_present_in.iter().map(|t| t.as_str()).collect();
    assert_eq!(stores, ["graph"]);
    assert_eq!(partial.may_be_incomplete, Some(true));
    assert_eq!(partial.deleted_ids.iter().map(|t| t.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    // Hidden from the API all the same.
    assert_eq!(client.memories_get(&id).unwrap_err().kind(), ErrorKind::NotFound);
    assert!(!fetched_ids(&client, USER, "locker combination gym").contains(&id));
}

#[test]
fn forget_descriptions_and_users_are_checked_before_any_request() {
    let emu = start();
    let client = emu.client();
    let (least, most) = FORGET_DESCRIPTION_CHARS;
    assert_eq!((least, most), (3, 500));
    let mut request = ForgetRequest::new();
    for bad in ["", "ab", "é", "   ", "\t\n\r"] {
        let e = request.description(bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        assert!(e.message().starts_with("description must have 3 to 500 characters"), "{}", e.message());
    }
    // Characters, not bytes: 500 two-byte characters pass, 501 do not.
    let e = request.description(&"é".repeat(501)).unwrap_err();
    assert_eq!(e.message(), "description must have 3 to 500 characters, not 501");
    let e = request.description(&"x".repeat(501)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(request.mode("soft").is_err() && request.mode("Direct").is_err());
    assert!(request.user_id("").is_err() && request.customer_id("").is_err());

    // Without a description, then without a user.
    let e = client.memories_forget(&request).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "the request has no description"));
    request.description("abc").unwrap();
    let e = client.memories_forget(&request).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "the request has no user_id"));
    assert!(emu.requests(None).is_empty(), "nothing was sent: {:?}", emu.requests(None));

    // The bounds themselves are sent as given.
    request.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
    for description in ["abc".to_owned(), "é".repeat(500), "x".repeat(500)] {
        request.description(&description).unwrap();
        let none = client.memories_forget(&request).unwrap();
        assert_eq!(none.outcome(), ForgetOutcome::NothingMatches);
        assert_eq!(last_sent(&emu, FORGET)["description"], description);
    }
}

#[test]
fn on_b2c_a_customer_id_is_refused_after_whoami() {
    let emu = start_with(Config { user_context_isolation: Some("equals_customer".to_owned()), ..Config::default() });
    let client = emu.client();
    assert!(client.whoami().unwrap().is_b2c());
    let mut forget = ForgetRequest::new();
    forget.description("old address").unwrap().user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
    let mut upload = UploadRequest::new();
    upload.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap().text("I like quiet mornings at home.");
    let refusals = [client.memories_forget(&forget).map(|_| ()), client.memories_upload(&upload).map(|_| ())];
    for e in refusals.into_iter().map(Result::unwrap_err) {
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("customer_id is not accepted on this instance"), "{}", e.message());
    }
    assert!(sent_to(&emu, FORGET).is_empty() && sent_to(&emu, UPLOAD).is_empty(), "refused before any request");

    let mut forget = ForgetRequest::new();
    forget.description("old address").unwrap().user_id(USER).unwrap();
    assert_eq!(client.memories_forget(&forget).unwrap().outcome(), ForgetOutcome::NothingMatches);
    assert_eq!(last_sent(&emu, FORGET)["customer_id"], Value::Null);
    let mut upload = UploadRequest::new();
    upload.user_id(USER).unwrap().text("I like quiet mornings at home.");
    let ingestion = client.memories_upload(&upload).unwrap();
    assert_eq!(ingestion.state(), &IngestState::Queued);
    assert_eq!(uploads(&emu)[0]["fields"]["relationship_type"], "b2c");
}

#[test]
fn text_is_uploaded_url_encoded_and_becomes_a_memory() {
    let emu = start();
    let client = emu.client();
    let text = "I prefer oolong tea over coffee & juice at breakfast.";
    let mut upload = upload_for(USER);
    upload.text(text);
    let ingestion = client.memories_upload(&upload).unwrap();
    assert_eq!(ingestion.state(), &IngestState::Queued);

    let logged = &emu.requests(Some(UPLOAD))[0];
    assert_eq!(logged["method"], "POST");
    assert_eq!(logged["headers"]["content-type"], "application/x-www-form-urlencoded");
    let form = "user_id=user_789&relationship_type=b2b&mode=long-range&customer_id=cust_456\
                &text=I+prefer+oolong+tea+over+coffee+%26+juice+at+breakfast.";
    assert_eq!(logged["headers"]["content-length"], form.len().to_string());
    let record = only_upload_since(&emu, 0);
    assert_eq!(record["encoding"], "urlencoded");
    assert_eq!(
        record["fields"],
        json!({"user_id": USER, "relationship_type": "b2b", "mode": "long-range", "customer_id": CUSTOMER})
    );
    assert!(record["filename"].is_null(), "{record}");
    assert_intact(&record, text.as_bytes());

    // Followed as a created document's job, to a memory a fetch returns.
    let ids = completed(&client, &ingestion.ingestion_id().to_string());
    assert!(!ids.is_empty());
    let memory = client.memories_get(&ids[0]).unwrap();
    assert!(memory.content().contains("oolong tea"), "{}", memory.content());
    assert_eq!(memory.source_document_id(), Some(ingestion.document_id()));
    assert!(fetched_ids(&client, USER, "oolong tea breakfast").contains(&ids[0]));
}

#[test]
fn a_buffer_and_a_file_are_uploaded_as_multipart_with_every_field() {
    let emu = start();
    let client = emu.client();

    // A buffer, with every field set.
    let pdf = b"%PDF-1.4 quarterly report draft";
    let mut upload = upload_for(USER);
    upload.relationship_type("b2c").unwrap().mode("fast").unwrap().document_type("pdf").unwrap();
    upload.metadata_json(r#"{"source": "scanner \u00e9"}"#).unwrap().scope_level("team", "payments").unwrap();
    upload.bytes(pdf).filename("q3 report.pdf").unwrap();
    client.memories_upload(&upload).unwrap();
    let logged = &emu.requests(Some(UPLOAD))[0];
    let content_type = logged["headers"]["content-type"].as_str().unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    assert!(boundary.len() == 32 && boundary.bytes().all(|b| b.is_ascii_hexdigit()), "{boundary}");
    let record = only_upload_since(&emu, 0);
    assert_eq!(record["encoding"], "multipart");
    assert_eq!(
        (record["filename"].as_str(), record["content_type"].as_str()),
        (Some("q3 report.pdf"), Some("application/pdf"))
    );
    assert_eq!(
        record["fields"],
        json!({"user_id": USER, "relationship_type": "b2c", "mode": "fast", "customer_id": CUSTOMER,
               "scope": "{\"team\": \"payments\"}", "document_type": "pdf",
               "metadata": "{\"source\": \"scanner \\u00e9\"}"})
    );
    assert_intact(&record, pdf);

    // A buffer without a name is `upload`; an explicit content type wins.
    let mut upload = upload_for(USER);
    upload.bytes(b"plain bytes of a note").content_type("text/markdown").unwrap();
    client.memories_upload(&upload).unwrap();
    let record = only_upload_since(&emu, 1);
    assert_eq!((record["filename"].as_str(), record["content_type"].as_str()), (Some("upload"), Some("text/markdown")));
    assert_eq!(
        record["fields"],
        json!({"user_id": USER, "relationship_type": "b2b", "mode": "long-range", "customer_id": CUSTOMER})
    );

    // A file: its own name and a type guessed from it; it becomes memories.
    let dir = TempDir::new("upload-file");
    let text = b"User: I avoid gluten and dairy at dinner.\nUser: I love spicy Thai food on weekends.";
    let path = dir.file("diet.txt", text);
    let mut upload = upload_for(USER);
    upload.file(&path).unwrap();
    let ingestion = client.memories_upload(&upload).unwrap();
    let record = only_upload_since(&emu, 2);
    assert_eq!((record["filename"].as_str(), record["content_type"].as_str()), (Some("diet.txt"), Some("text/plain")));
    assert_intact(&record, text);
    let ids = completed(&client, &ingestion.ingestion_id().to_string());
    let contents: Vec<String> = ids.iter().map(|id| client.memories_get(id).unwrap().content().to_owned()).collect();
    assert!(contents.iter().any(|c| c.contains("gluten and dairy")), "{contents:?}");
    let fetched = fetched_ids(&client, USER, "gluten dairy dinner spicy Thai food");
    assert!(ids.iter().all(|id| fetched.contains(id)), "{ids:?} not all in {fetched:?}");
}

#[test]
fn empty_one_byte_and_oddly_named_files_arrive_as_they_are() {
    let emu = start();
    let client = emu.client();
    let dir = TempDir::new("upload-small");

    // An empty file is sent, an empty part; the service refuses an empty
    // document.
    let mut upload = upload_for(USER);
    upload.file(dir.file("empty.txt", b"")).unwrap();
    let e = client.memories_upload(&upload).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(422)), "{e}");
    assert!(e.message().contains("must not be empty"), "{}", e.message());
    assert_eq!(emu.requests(Some(UPLOAD)).len(), 1);
    assert!(uploads(&emu).is_empty());

    let mut upload = upload_for(USER);
    upload.file(dir.file("one.txt", b"A")).unwrap();
    client.memories_upload(&upload).unwrap();
    let record = only_upload_since(&emu, 0);
    assert_eq!(record["filename"], "one.txt");
    assert_intact(&record, b"A");
    let received = 1;
    assert_eq!(fnv1a64(b""), "cbf29ce484222325");

    // A name that is not UTF-8 is sent with U+FFFD in place of its bad byte.
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    let path = dir.path().join(name);
    std::fs::write(&path, "I order a flat white every morning.").unwrap();
    let mut upload = upload_for(USER);
    upload.file(&path).unwrap();
    client.memories_upload(&upload).unwrap();
    let record = only_upload_since(&emu, received);
    assert_eq!(record["filename"], "caf\u{FFFD}.txt");
    assert_eq!(record["content_type"], "text/plain");
    assert_intact(&record, b"I order a flat white every morning.");
}

#[test]
fn a_hundred_megabyte_file_arrives_intact() {
    const SIZE: usize = 100 << 20;
    let emu = start();
    let client = Client::new(emu.options().request_timeout(Duration::from_secs(120)).unwrap()).unwrap();
    let dir = TempDir::new("upload-large");
    let path = dir.path().join("large.bin");

    // Pseudo-random bytes, so a lost, doubled or reordered block shows.
    let mut file = File::create(&path).unwrap();
    let mut hash = Fnv1a64::default();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut block = vec![0u8; 1 << 20];
    for _ in 0..SIZE / block.len() {
        for word in block.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            word.copy_from_slice(&state.to_le_bytes());
        }
        hash.update(&block);
        file.write_all(&block).unwrap();
    }
    drop(file);

    let mut upload = upload_for(USER);
    upload.file(&path).unwrap();
    let started = Instant::now();
    client.memories_upload(&upload).unwrap();
    eprintln!("100 MiB uploaded in {:?}", started.elapsed());
    let record = only_upload_since(&emu, 0);
    assert_eq!(record["bytes"], SIZE);
    assert_eq!(record["fnv1a64"], hash.hex());
    assert_eq!(record["content_type"], "application/octet-stream");
}

#[test]
fn a_file_that_cannot_be_read_is_a_file_error_before_any_request() {
    let emu = start();
    let client = retrying(&emu, Duration::from_secs(5));
    let dir = TempDir::new("upload-missing");
    let missing = dir.path().join("absent.txt");
    let mut upload = upload_for(USER);
    upload.file(&missing).unwrap();
    let e = client.memories_upload(&upload).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::File);
    assert!(e.message().contains("absent.txt") && e.message().contains("cannot be opened"), "{}", e.message());
    assert_eq!(e.http_status(), None);

    upload.file(dir.path()).unwrap();
    let e = client.memories_upload(&upload).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::File);
    assert!(e.message().contains("is not a regular file"), "{}", e.message());

    // Refused locally too: no user, no source, an empty path.
    let e = client.memories_upload(UploadRequest::new().text("words")).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "the request has no user_id"));
    let e = client.memories_upload(&upload_for(USER)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(upload.file("").unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert!(upload.relationship_type("b2x").is_err() && upload.mode("slow").is_err());
    assert!(upload.content_type("text/plain\r\nX-Evil: 1").is_err());

    assert!(emu.requests(None).is_empty(), "nothing was sent: {:?}", emu.requests(None));
    assert!(uploads(&emu).is_empty());
}

#[test]
fn a_file_cut_short_while_it_is_sent_is_a_file_error_and_nothing_is_ingested() {
    const SIZE: u64 = 256 << 20;
    let emu = start();
    let client = retrying(&emu, Duration::from_secs(30));
    let dir = TempDir::new("upload-cut");
    let path = dir.path().join("shrinking.bin");
    // Sparse: 256 MiB announced, next to nothing on disk.
    File::create(&path).unwrap().set_len(SIZE).unwrap();
    let ledger_before = client.credits_ledger(LedgerQuery::new().entry_type("usage")).unwrap().total;

    // The emulator holds the request a second before it reads the body, so
    // the client, blocked once the socket buffers are full, is a few MiB
    // into the file when it is cut.
    emu.post_fault(UPLOAD, 1, json!({"kind": "delay", "ms": 1000}));
    let mut upload = upload_for("user_cut");
    upload.file(&path).unwrap();
    let result = std::thread::scope(|s| {
        let sending = s.spawn(|| client.memories_upload(&upload));
        let until = Instant::now() + Duration::from_secs(10);
        while emu.requests(Some(UPLOAD)).is_empty() {
            assert!(Instant::now() < until, "the upload never reached the emulator");
            assert!(!sending.is_finished(), "the upload ended before the file was cut");
            std::thread::sleep(Duration::from_millis(5));
        }
        File::options().write(true).open(&path).unwrap().set_len(4096).unwrap();
        sending.join().unwrap()
    });
    let e = result.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::File, "{e}");
    assert!(e.message().contains("shrinking.bin"), "{}", e.message());
    assert!(e.message().contains(&format!("of its {SIZE} bytes while it was sent")), "{}", e.message());
    assert_eq!(emu.requests(Some(UPLOAD)).len(), 1, "a file error is not retried");

    // Nothing was received whole: no upload, no job, nothing charged.
    std::thread::sleep(Duration::from_millis(200));
    assert!(uploads(&emu).is_empty(), "{:?}", uploads(&emu));
    let ledger_after = client.credits_ledger(LedgerQuery::new().entry_type("usage")).unwrap().total;
    assert_eq!(ledger_after, ledger_before, "no ingestion was charged");
    assert!(fetched_ids(&client, "user_cut", "file").is_empty());

    // Whole again, the same request goes through, read from its start.
    let text = b"User: I collect vintage fountain pens from Japan.";
    std::fs::write(&path, text).unwrap();
    let ingestion = client.memories_upload(&upload).unwrap();
    assert_intact(&only_upload_since(&emu, 0), text);
    let ids = completed(&client, &ingestion.ingestion_id().to_string());
    let fetched = fetched_ids(&client, "user_cut", "vintage fountain pens");
    assert!(!ids.is_empty() && ids.iter().all(|id| fetched.contains(id)), "{ids:?} / {fetched:?}");
}
