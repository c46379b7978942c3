//! POST /api/v1/memories/batch: per-item results, fail_fast, list bounds.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::*;
use serde_json::{Value, json};
use synap_emulator::{Config, Emulator};
use uuid::Uuid;

fn doc(text: &str, id: Value) -> Value {
    json!({"document": text, "document_type": "document", "document_id": id, "document_created_at": null,
        "user_id": null, "customer_id": null, "scope": null, "mode": "long-range", "metadata": {}})
}

fn batch(emu: &Emulator, documents: Vec<Value>, fail_fast: bool) -> Resp {
    post(emu, BATCH, &json!({"documents": documents, "fail_fast": fail_fast}))
}

#[test]
fn mixed_batch_reports_every_item_in_order() {
    let emu = start_instant();
    let mut bad_type = doc("Reads sci-fi novels at night.", json!("kb-3"));
    bad_type["document_type"] = json!("note");
    let documents = vec![
        doc("Likes hiking in the Alps every summer.", json!("kb-1")),
        doc("", json!("kb-2")),
        bad_type,
        doc("Moved to Lisbon in 2021 for work.", Value::Null),
        doc("A second document under an id in use.", json!("kb-1")),
        json!("not an object"),
    ];
    let r = batch(&emu, documents, false);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!((v["total"].as_u64(), v["succeeded"].as_u64(), v["failed"].as_u64()), (Some(6), Some(2), Some(4)));
    assert!(Uuid::parse_str(v["batch_id"].as_str().unwrap()).is_ok());
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    let ids: HashSet<&str> = results.iter().map(|r| r["ingestion_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 6, "a fresh ingestion id each, rejected items too");
    for r in results {
        let keys: BTreeSet<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["ingestion_id", "document_id", "status", "queued_at", "error_message"]));
        assert!(Uuid::parse_str(r["ingestion_id"].as_str().unwrap()).is_ok());
    }
    let statuses: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["queued", "failed", "failed", "queued", "failed", "failed"]);
    assert_eq!(results[0]["document_id"], "kb-1");
    assert_eq!(results[0]["error_message"], Value::Null);
    assert_eq!(results[1]["document_id"], "kb-2");
    assert_eq!(results[1]["error_message"], "document: Value error, document must not be empty");
    assert_eq!(results[2]["document_id"], "kb-3");
    assert!(results[2]["error_message"].as_str().unwrap().starts_with("document_type: Input should be"));
    assert!(results[3]["document_id"].as_str().unwrap().starts_with("doc-"));
    assert_eq!(results[4]["error_message"], "document_id already exists: kb-1");
    assert!(results[5]["document_id"].as_str().unwrap().starts_with("doc-"));
    assert!(results[5]["error_message"].as_str().unwrap().contains("valid dictionary"));

    // Queued items become jobs with memories; a rejected item's id reports
    // failed with the same reason.
    let done = get(&emu, &status_path(results[3]["ingestion_id"].as_str().unwrap())).json();
    assert_eq!(done["status"], "completed");
    let memory = get(&emu, &memory_path(done["memory_ids"][0].as_str().unwrap())).json();
    assert_eq!(memory["content"], "Moved to Lisbon in 2021 for work.");
    assert_eq!(memory["source_document_id"], results[3]["document_id"]);
    let rejected = get(&emu, &status_path(results[1]["ingestion_id"].as_str().unwrap())).json();
    assert_eq!(rejected["status"], "failed");
    assert_eq!(rejected["error_message"], results[1]["error_message"]);
    assert_eq!(rejected["memory_ids"], json!([]));
    // Accepted ids are taken, rejected ones are not.
    assert_eq!(post(&emu, CREATE, &doc("Again.", json!("kb-1"))).status, 409);
    assert_eq!(post(&emu, CREATE, &doc("Now with text.", json!("kb-2"))).status, 200);
}

#[test]
fn fail_fast_rejects_the_whole_batch_at_the_first_bad_item() {
    let emu = start_instant();
    let mut bad_mode = doc("Bad mode.", json!("ff-3"));
    bad_mode["mode"] = json!("slow");
    let documents =
        vec![doc("Valid and first.", json!("ff-1")), doc("", json!("ff-2")), bad_mode, doc("Valid.", json!("ff-4"))];
    let r = batch(&emu, documents, true);
    assert_eq!(r.status, 422, "{}", r.text());
    let detail = r.json()["detail"].as_array().unwrap().clone();
    assert_eq!(detail.len(), 1, "only the first bad item: {detail:?}");
    assert_eq!(detail[0]["loc"], json!(["body", "documents", 1, "document"]));
    assert_eq!(detail[0]["type"], "value_error");
    // Nothing was queued, so ff-1 is still free.
    assert_eq!(post(&emu, CREATE, &doc("Now.", json!("ff-1"))).status, 200);

    // A duplicate under fail_fast is the create route's 409.
    let r = batch(&emu, vec![doc("New.", json!("ff-5")), doc("Clash.", json!("ff-1"))], true);
    assert_eq!(r.status, 409);
    assert_eq!(r.json(), json!({"detail": "document_id already exists: ff-1"}));
    let r = batch(&emu, vec![doc("One.", json!("ff-6")), doc("Two.", json!("ff-6"))], true);
    assert_eq!(r.status, 409);
    // A clean batch under fail_fast is accepted whole.
    let r = batch(&emu, vec![doc("One.", json!("ff-7")), doc("Two.", json!("ff-8"))], true);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["succeeded"], 2);
}

#[test]
fn tenancy_is_checked_per_item() {
    let emu = start_instant();
    let mut user_only = doc("Prefers aisle seats.", Value::Null);
    user_only["user_id"] = json!("u1");
    let v = batch(&emu, vec![user_only.clone(), doc("Fine.", Value::Null)], false).json();
    assert_eq!(v["results"][0]["status"], "failed");
    assert_eq!(v["results"][0]["error_message"], "user_id requires customer_id on this instance");
    assert_eq!(v["results"][1]["status"], "queued");
    assert_eq!(batch(&emu, vec![user_only], true).status, 400);

    let b2c = Emulator::start(Config { user_context_isolation: Some("equals_customer".into()), ..Config::default() })
        .unwrap();
    let mut with_customer = doc("Prefers aisle seats.", Value::Null);
    with_customer["customer_id"] = json!("c1");
    let v = batch(&b2c, vec![with_customer], false).json();
    assert!(v["results"][0]["error_message"].as_str().unwrap().starts_with("customer_id is not accepted"));
}

#[test]
fn list_bounds_and_shape_are_422() {
    let emu = start_instant();
    let item = doc("Short but fine.", Value::Null);
    let cases = [
        (json!({"documents": [], "fail_fast": false}), json!(["body", "documents"]), "too_short"),
        (json!({"documents": vec![item.clone(); 1001]}), json!(["body", "documents"]), "too_long"),
        (json!({"fail_fast": false}), json!(["body", "documents"]), "missing"),
        (json!({"documents": item.clone()}), json!(["body", "documents"]), "list_type"),
        (json!({"documents": [item.clone()], "fail_fast": "yes"}), json!(["body", "fail_fast"]), "bool_type"),
        (json!([item.clone()]), json!(["body"]), "model_attributes_type"),
    ];
    for (body, loc, kind) in cases {
        let r = post(&emu, BATCH, &body);
        assert_eq!(r.status, 422, "{kind}: {}", r.text());
        let v = r.json();
        assert_eq!(v["detail"][0]["loc"], loc, "{kind}");
        assert_eq!(v["detail"][0]["type"], kind);
    }
    let r = request(&emu, "POST", BATCH, &[AUTH], Some("{"));
    assert_eq!((r.status, r.json()["detail"][0]["type"].clone()), (422, json!("json_invalid")));

    // Exactly 1000 is fine, and fail_fast may be left out.
    let r = post(&emu, BATCH, &json!({"documents": vec![item; 1000]}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["succeeded"], 1000);
}

#[test]
fn auth_method_and_faults() {
    let emu = start_instant();
    let body = json!({"documents": [doc("Fine.", Value::Null)]}).to_string();
    assert_eq!(request(&emu, "POST", BATCH, &[], Some(&body)).status, 401);
    let r = get(&emu, BATCH);
    assert_eq!((r.status, r.header("allow")), (405, Some("POST")));
    fault(&emu, BATCH, 1, json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "0"}}));
    assert_eq!(request(&emu, "POST", BATCH, &[AUTH], Some(&body)).status, 429);
    assert_eq!(request(&emu, "POST", BATCH, &[AUTH], Some(&body)).status, 200);
    // Refused and faulted requests are logged as well.
    let log = logged(&emu, &format!("?path={BATCH}"));
    assert_eq!(log.len(), 4);
    assert!(log.iter().filter(|e| e["method"] == "POST").all(|e| e["body"] == body.as_str()));
}
