//! PATCH and DELETE /api/v1/memories/{id} and POST /api/v1/memories/forget:
//! what each answers, and that every read route sees the change.

mod reads;

use reads::*;
use serde_json::{Value, json};
use synap_emulator::Config;

const USER: &str = "user_789";
const CUSTOMER: &str = "cust_456";

fn owned() -> Value {
    json!({"user_id": USER, "customer_id": CUSTOMER})
}

fn memory_path(id: &str) -> String {
    format!("/api/v1/memories/{id}")
}

/// The contents a no-query user fetch returns, every list.
fn fetched(api: &Api) -> Vec<String> {
    let body = api.fetch(
        "user",
        json!({"user_id": USER, "customer_id": CUSTOMER, "conversation_id": null, "search_query": null,
               "max_results": 20, "types": ["all"], "mode": "fast"}),
    );
    all_items(&body).iter().map(|i| i["content"].as_str().unwrap().to_owned()).collect()
}

fn is_rfc3339_z(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.ends_with('Z') && s.as_bytes().get(10) == Some(&b'T'))
}

#[test]
fn updates_merge_and_every_read_sees_them() {
    let api = Api::start();
    let id = api.ingest("User: I love green tea.", owned()).remove(0);
    let before = api.get(&memory_path(&id)).body;
    assert_eq!((before["content"].as_str(), before["updated_at"].is_null()), (Some("I love green tea."), true));

    let r = api.patch(&memory_path(&id), &json!({"document": "Prefers SMS after 6pm", "merge_strategy": "replace"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let m = &r.body;
    assert_eq!((m["memory_id"].as_str(), m["content"].as_str()), (Some(id.as_str()), Some("Prefers SMS after 6pm")));
    assert_eq!(m["memory_type"], "preference");
    assert!(is_rfc3339_z(&m["updated_at"]) && m["created_at"] == before["created_at"], "{m}");
    assert_eq!(m["source_document_id"], before["source_document_id"]);
    assert!((0.0..=1.0).contains(&m["confidence"].as_f64().unwrap()));
    assert_eq!(api.get(&memory_path(&id)).body, *m, "GET reads the update back");
    assert_eq!(fetched(&api), ["Prefers SMS after 6pm"]);

    let appended = api.patch(
        &memory_path(&id),
        &json!({"document": {"note": "Lives in Oslo."}, "merge_strategy": "append",
        "document_type": "document", "metadata": {}}),
    );
    assert_eq!(appended.body["content"], "Prefers SMS after 6pm\nLives in Oslo.", "{}", appended.body);
    // smart-merge: already said, so nothing changes; a superset replaces.
    let same = api.patch(&memory_path(&id), &json!({"document": "lives in OSLO", "merge_strategy": "smart-merge"}));
    assert_eq!(same.body["content"], appended.body["content"]);
    assert!(same.body["updated_at"].as_str() >= appended.body["updated_at"].as_str());
    let wider = "Prefers SMS after 6pm\nLives in Oslo. Has a cat.";
    let merged = api.patch(&memory_path(&id), &json!({"document": wider, "merge_strategy": "smart-merge"}));
    assert_eq!(merged.body["content"], wider);
    assert_eq!(fetched(&api), [wider]);
    // A typed-again memory moves list: now a plain fact.
    let fact = api.patch(&memory_path(&id), &json!({"document": "Lives in Oslo.", "merge_strategy": "replace"}));
    assert_eq!(fact.body["memory_type"], "fact");
    assert_eq!(api.get(&format!("/v1/users/{USER}/profile")).status, 404, "no preference left for a profile");
}

#[test]
fn bad_updates_are_refused() {
    let api = Api::start();
    let id = api.ingest("User: I love green tea.", owned()).remove(0);
    for (body, kinds) in [
        (json!({"merge_strategy": "replace"}), vec!["missing"]),
        (json!({"document": "x"}), vec!["missing"]),
        (json!({"document": "x", "merge_strategy": "merge"}), vec!["enum"]),
        (
            json!({"document": 5, "merge_strategy": "replace", "document_type": "note", "metadata": "m"}),
            vec!["string_type", "enum", "dict_type"],
        ),
        (json!({"document": "  ", "merge_strategy": "replace"}), vec!["value_error"]),
    ] {
        let r = api.patch(&memory_path(&id), &body);
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        let got: Vec<&str> = r.body["detail"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(got, kinds, "{body}");
        assert_eq!(r.body["detail"][0]["loc"][0], "body");
    }
    let good = json!({"document": "x y z", "merge_strategy": "replace"});
    for missing in ["0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "not-a-uuid"] {
        let r = api.patch(&memory_path(missing), &good);
        assert_eq!((r.status, r.body.clone()), (404, json!({"detail": "Memory not found"})), "{missing}");
    }
    assert_eq!(api.anonymous("GET", &memory_path(&id)).status, 401);
    assert_eq!(api.get(&memory_path(&id)).body["content"], "I love green tea.", "nothing changed");
}

#[test]
fn a_deleted_memory_is_gone_everywhere() {
    let api = Api::start();
    let ids = api.ingest("User: I love green tea. I visited Lisbon last spring.", owned());
    assert_eq!(ids.len(), 2);
    assert_eq!(api.get(&format!("/v1/users/{USER}/profile")).status, 200);
    let r = api.delete(&memory_path(&ids[0].to_uppercase()));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body.as_object().unwrap().len(), 2, "{}", r.body);
    assert_eq!(r.body["memory_id"], ids[0].as_str(), "canonical id");
    assert!(is_rfc3339_z(&r.body["deleted_at"]), "{}", r.body);

    assert_eq!(api.get(&memory_path(&ids[0])).status, 404);
    assert_eq!(api.delete(&memory_path(&ids[0])).status, 404);
    assert_eq!(api.patch(&memory_path(&ids[0]), &json!({"document": "x", "merge_strategy": "replace"})).status, 404);
    assert_eq!(fetched(&api), ["I visited Lisbon last spring."]);
    assert_eq!(api.get(&format!("/v1/users/{USER}/profile")).status, 404, "its only preference is gone");
    assert_eq!(api.get(&memory_path(&ids[1])).status, 200, "the other memory stays");
    assert_eq!(api.delete(&memory_path("nope")).status, 404);
}

fn forget(api: &Api, description: &str, mode: &str) -> Reply {
    api.post(
        "/api/v1/memories/forget",
        &json!({"description": description, "user_id": USER, "customer_id": CUSTOMER, "scope": null, "mode": mode}),
    )
}

fn all_forget_fields(body: &Value) {
    let keys =
        ["status", "request_id", "candidates", "deleted_ids", "failed_ids", "still_present_in", "may_be_incomplete"];
    assert_eq!(body.as_object().unwrap().len(), keys.len(), "{body}");
    for k in &keys[2..6] {
        assert!(body[k].is_array(), "{k} in {body}");
    }
}

#[test]
fn forget_previews_deletes_or_finds_nothing() {
    let api = Api::start();
    let coffee = api.ingest("User: I drink decaf coffee after 3pm. I love jazz on vinyl.", owned());
    // Another user's identical memory is never a candidate.
    api.ingest("User: I drink decaf coffee after 3pm.", json!({"user_id": "user_222", "customer_id": CUSTOMER}));

    let r = forget(&api, "the DECAF coffee I drink", "preview");
    assert_eq!(r.status, 200, "{}", r.body);
    all_forget_fields(&r.body);
    assert_eq!(r.body["status"], "preview");
    assert!(r.body["request_id"].as_str().unwrap().starts_with("fr_"));
    let candidate = &r.body["candidates"][0];
    assert_eq!(r.body["candidates"].as_array().unwrap().len(), 1);
    assert_eq!(
        (candidate["memory_id"].as_str(), candidate["store"].as_str()),
        (Some(coffee[0].as_str()), Some("memory"))
    );
    assert_eq!(
        (candidate["content"].as_str(), candidate["memory_type"].as_str()),
        (Some("I drink decaf coffee after 3pm."), Some("temporal_event"))
    );
    assert_eq!((r.body["deleted_ids"].clone(), r.body["may_be_incomplete"].clone()), (json!([]), json!(false)));
    assert_eq!(api.get(&memory_path(&coffee[0])).status, 200, "a preview deletes nothing");

    let r = forget(&api, "tea with honey", "direct");
    all_forget_fields(&r.body);
    assert_eq!((r.body["status"].as_str(), r.body["request_id"].clone()), (Some("nothing_matches"), Value::Null));
    assert_eq!(r.body["candidates"], json!([]));

    let r = forget(&api, "decaf coffee", "direct");
    all_forget_fields(&r.body);
    assert_eq!(r.body["status"], "deleted");
    assert_eq!(r.body["deleted_ids"], json!([coffee[0]]));
    assert_eq!(r.body["still_present_in"], json!([]));
    assert_eq!(api.get(&memory_path(&coffee[0])).status, 404);
    assert_eq!(fetched(&api), ["I love jazz on vinyl."]);
    assert_eq!(forget(&api, "decaf coffee", "direct").body["status"], "nothing_matches", "a repeat finds nothing new");

    api.control("config", &json!({"forget_partial": true}));
    let r = forget(&api, "jazz vinyl", "direct");
    all_forget_fields(&r.body);
    assert_eq!((r.body["status"].as_str(), r.body["still_present_in"].clone()), (Some("partial"), json!(["graph"])));
    assert_eq!((r.body["may_be_incomplete"].clone(), r.body["deleted_ids"].clone()), (json!(true), json!([coffee[1]])));
    assert!(fetched(&api).is_empty());
    api.control("reset", &json!({}));
    let again = api.ingest("User: I love jazz on vinyl.", owned());
    assert_eq!(forget(&api, "jazz", "direct").body["deleted_ids"], json!(again), "reset turned partial off");
}

#[test]
fn forget_needs_exactly_one_user_and_a_valid_body() {
    let api = Api::start();
    let post = |body: Value| api.post("/api/v1/memories/forget", &body);
    let base = json!({"description": "old address", "user_id": USER, "customer_id": CUSTOMER, "scope": null,
                      "mode": "preview"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    assert_eq!(post(base.clone()).status, 200);
    for body in [with("user_id", Value::Null), with("user_id", json!("")), with("customer_id", Value::Null)] {
        let r = post(body.clone());
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(r.body["detail"].is_string());
    }
    for (body, kind) in [
        (with("description", json!("ab")), "string_too_short"),
        (with("description", json!("x".repeat(501))), "string_too_long"),
        (with("mode", json!("later")), "enum"),
        (with("scope", json!("acme")), "dict_type"),
    ] {
        let r = post(body.clone());
        assert_eq!(r.status, 422, "{body}: {}", r.body);
        assert_eq!(r.body["detail"][0]["type"], kind);
    }
    assert_eq!(api.anonymous("POST", "/api/v1/memories/forget").status, 401);

    // B2C: the user alone is the scope, and a customer_id is refused.
    let b2c = Api::with(Config {
        seed_demo: false,
        user_context_isolation: Some("equals_customer".into()),
        ..Config::default()
    });
    let ids = b2c.ingest("User: I moved to 12 Elm St.", json!({"user_id": USER}));
    let r = b2c.post(
        "/api/v1/memories/forget",
        &json!({"description": "Elm St", "user_id": USER, "customer_id": null, "scope": null, "mode": "direct"}),
    );
    assert_eq!((r.status, r.body["deleted_ids"].clone()), (200, json!(ids)), "{}", r.body);
    let r = b2c.post(
        "/api/v1/memories/forget",
        &json!({"description": "Elm St", "user_id": USER, "customer_id": CUSTOMER, "scope": null, "mode": "direct"}),
    );
    assert_eq!(r.status, 400);
}

#[test]
fn faults_apply_to_the_lifecycle_routes() {
    let api = Api::start();
    let id = api.ingest("User: I love green tea.", owned()).remove(0);
    for path in [memory_path(&id), "/api/v1/memories/forget".to_owned()] {
        api.control(
            "faults",
            &json!({"path": path, "fault": {"kind": "respond", "status": 503, "body": "{\"detail\":\"busy\"}"}}),
        );
    }
    assert_eq!(api.delete(&memory_path(&id)).status, 503);
    assert_eq!(api.get(&memory_path(&id)).status, 200, "the faulted delete did nothing");
    assert_eq!(forget(&api, "green tea", "direct").status, 503);
    assert_eq!(api.delete(&memory_path(&id)).status, 200);
}
