//! POST /v1/data/delete and GET /v1/data/delete/{deletion_id}: dry runs,
//! the continue rounds, timing, what each scope removes from every read
//! route, and the refusals.

mod reads;

use std::thread::sleep;
use std::time::{Duration, Instant};

use reads::*;
use serde_json::{Value, json};
use synap_emulator::Config;

const USER: &str = "user_789";
const OTHER: &str = "user_222";
const CUSTOMER: &str = "cust_456";
const CONV: &str = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";
const INSTANCE: &str = "inst_4e7a19c03b5d82f1";
const FIELDS: [&str; 14] = [
    "deletion_id",
    "status",
    "scope",
    "dry_run",
    "found",
    "counts",
    "stores",
    "still_present_in",
    "fully_removed",
    "continue",
    "kept",
    "note",
    "audit",
    "memories_kept",
];

struct Seeded {
    /// The user's memory from a created document, and its ingestion job.
    tea: String,
    tea_job: String,
    other: String,
}

fn owned(user: &str) -> Value {
    json!({"user_id": user, "customer_id": CUSTOMER})
}

/// The user: one created document, and a conversation of two messages whose
/// user message becomes a memory. Another user of the same customer.
fn seed(api: &Api) -> Seeded {
    let ack = api.post(
        "/api/v1/memories/create",
        &json!({"document": "User: I love green tea.", "user_id": USER,
        "customer_id": CUSTOMER}),
    );
    let tea_job = ack.body["ingestion_id"].as_str().unwrap().to_owned();
    let tea = api.get(&format!("/api/v1/memories/status/{tea_job}")).body["memory_ids"][0].as_str().unwrap().to_owned();
    for (role, content) in [("user", "I switched to decaf after 3pm."), ("assistant", "Noted, I will remember.")] {
        let r = api.post(
            "/v1/conversations/messages",
            &json!({"conversation_id": CONV, "role": role, "content": content,
            "user_id": USER, "customer_id": CUSTOMER}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let other = api.ingest("User: I prefer window seats.", owned(OTHER)).remove(0);
    wait_for(|| user_contents(api, USER).len() == 2, "the message's memory");
    Seeded { tea, tea_job, other }
}

fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "{what} never came");
        sleep(Duration::from_millis(5));
    }
}

fn user_contents(api: &Api, user: &str) -> Vec<String> {
    let body = api.fetch(
        "user",
        json!({"user_id": user, "customer_id": CUSTOMER, "search_query": null, "max_results": 20, "types": ["all"],
               "mode": "fast"}),
    );
    all_items(&body).iter().map(|i| i["content"].as_str().unwrap().to_owned()).collect()
}

fn messages(api: &Api) -> usize {
    api.get(&format!("/v1/conversations/{CONV}/messages")).body["turns"].as_array().unwrap().len()
}

fn body(scope: &str, ids: Value, dry_run: bool, confirm: Option<&str>) -> Value {
    let mut b = json!({"scope": scope, "instance_id": INSTANCE, "user_id": null, "customer_id": null,
                       "conversation_id": null, "dry_run": dry_run, "confirm": confirm});
    for (k, v) in ids.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

fn user_body() -> Value {
    body("user", json!({"user_id": USER, "customer_id": CUSTOMER}), false, Some(USER))
}

fn delete(api: &Api, body: &Value) -> Value {
    let r = api.post("/v1/data/delete", body);
    assert_eq!(r.status, 200, "{body}: {}", r.body);
    assert_eq!(r.body.as_object().unwrap().len(), FIELDS.len(), "{}", r.body);
    assert!(FIELDS.iter().all(|k| r.body.get(k).is_some()), "{}", r.body);
    r.body
}

fn status(api: &Api, id: &str) -> Value {
    let r = api.get(&format!("/v1/data/delete/{id}?instance_id={INSTANCE}"));
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[test]
fn a_dry_run_counts_and_changes_nothing() {
    let api = Api::start();
    let seeded = seed(&api);
    let r = delete(&api, &body("user", json!({"user_id": USER, "customer_id": CUSTOMER}), true, None));
    assert_eq!(
        (r["status"].as_str(), r["deletion_id"].clone(), r["dry_run"].clone()),
        (Some("dry_run"), Value::Null, json!(true))
    );
    assert_eq!(
        (r["found"].clone(), r["continue"].clone(), r["fully_removed"].clone()),
        (json!(true), json!(false), json!(false))
    );
    assert_eq!(r["counts"], json!({"memories": 2, "conversations": 1, "messages": 2}));
    assert_eq!((r["scope"].as_str(), r["still_present_in"].clone()), (Some("user"), json!([])));
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.tea)).status, 200);
    assert_eq!(messages(&api), 2);
    let nobody = delete(&api, &body("user", json!({"user_id": "nobody", "customer_id": CUSTOMER}), true, None));
    assert_eq!((nobody["found"].clone(), nobody["counts"]["memories"].clone()), (json!(false), json!(0)));
}

#[test]
fn a_user_is_deleted_over_the_continue_loop() {
    let api = Api::start();
    let seeded = seed(&api);
    let first = delete(&api, &user_body());
    assert_eq!((first["status"].as_str(), first["continue"].clone()), (Some("in_progress"), json!(true)));
    let id = first["deletion_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("del_"), "{id}");
    assert_eq!((first["found"].clone(), first["fully_removed"].clone()), (json!(true), json!(false)));
    assert_eq!(first["stores"]["graph"], "pending");
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.tea)).status, 200, "nothing gone while it runs");

    let second = delete(&api, &user_body());
    assert_eq!(second["deletion_id"], id.as_str(), "an identical re-send joins the running job");
    assert_eq!((second["status"].as_str(), second["continue"].clone()), (Some("complete"), json!(false)));
    assert_eq!((second["fully_removed"].clone(), second["still_present_in"].clone()), (json!(true), json!([])));
    assert_eq!(second["counts"], json!({"memories": 2, "conversations": 1, "messages": 2}));
    assert_eq!(second["stores"], json!({"postgres": "cleared", "vector": "cleared", "graph": "cleared"}));
    assert_eq!((second["memories_kept"].clone(), second["kept"].clone()), (json!(false), json!([])));

    // Gone from every read route; the other user keeps everything.
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.tea)).status, 404);
    assert_eq!(api.get(&format!("/api/v1/memories/status/{}", seeded.tea_job)).status, 404);
    assert!(user_contents(&api, USER).is_empty());
    assert_eq!(messages(&api), 0);
    assert_eq!(api.get(&format!("/v1/users/{USER}/profile")).status, 404);
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.other)).status, 200);
    assert_eq!(user_contents(&api, OTHER), ["I prefer window seats."]);

    assert_eq!(status(&api, &id), second);
    // After completion the same request is a new deletion, which finds nothing.
    let again = delete(&api, &user_body());
    assert_ne!(again["deletion_id"], id.as_str());
    assert_eq!((again["found"].clone(), again["counts"]["memories"].clone()), (json!(false), json!(0)));
}

#[test]
fn rounds_and_time_are_configurable() {
    let api = Api::start();
    let seeded = seed(&api);
    api.control("config", &json!({"data_delete_continue_rounds": 3, "data_delete_done_after_ms": 400}));
    let started = Instant::now();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let r = delete(&api, &user_body());
        assert_eq!((r["status"].as_str(), r["continue"].clone()), (Some("in_progress"), json!(true)));
        ids.push(r["deletion_id"].clone());
    }
    let r = delete(&api, &user_body());
    ids.push(r["deletion_id"].clone());
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    assert_eq!((r["status"].as_str(), r["continue"].clone()), (Some("in_progress"), json!(false)));
    let id = ids[0].as_str().unwrap();
    assert_eq!(status(&api, id)["status"], "in_progress");
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.tea)).status, 200);
    sleep(Duration::from_millis(400).saturating_sub(started.elapsed()) + Duration::from_millis(20));
    let done = status(&api, id);
    assert_eq!((done["status"].as_str(), done["fully_removed"].clone()), (Some("complete"), json!(true)));
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.tea)).status, 404);

    // No rounds, partial: the first answer is the last, and names the graph.
    api.control(
        "config",
        &json!({"data_delete_continue_rounds": 0, "data_delete_done_after_ms": 0, "data_delete_partial": true}),
    );
    let other = body("user", json!({"user_id": OTHER, "customer_id": CUSTOMER}), false, Some(OTHER));
    let r = delete(&api, &other);
    assert_eq!(
        (r["status"].as_str(), r["continue"].clone(), r["fully_removed"].clone()),
        (Some("partial"), json!(false), json!(false))
    );
    assert_eq!((r["still_present_in"].clone(), r["stores"]["graph"].clone()), (json!(["graph"]), json!("not_cleared")));
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.other)).status, 404, "partial still removes");
    api.control("reset", &json!({}));
    assert_eq!(delete(&api, &other)["continue"], json!(true), "reset restored one round");
}

#[test]
fn a_conversation_goes_but_its_memories_stay() {
    let api = Api::start();
    let seeded = seed(&api);
    let conv = CONV.to_uppercase();
    let dry = delete(&api, &body("conversation", json!({"conversation_id": conv}), true, None));
    assert_eq!(dry["counts"], json!({"memories": 0, "conversations": 1, "messages": 2}));
    let b = body("conversation", json!({"conversation_id": conv}), false, Some(&conv));
    delete(&api, &b);
    let r = delete(&api, &b);
    assert_eq!(r["status"], "complete");
    assert_eq!((r["memories_kept"].clone(), r["kept"].clone()), (json!(true), json!(["memories"])));
    assert!(r["note"].as_str().unwrap().contains("memories"), "{r}");
    assert_eq!(messages(&api), 0);
    assert_eq!(user_contents(&api, USER).len(), 2, "memories are kept");
    assert_eq!(api.get(&format!("/api/v1/memories/{}", seeded.tea)).status, 200);

    // An ingested call is found under the id it was ingested with.
    let call = json!({"conversation_id": "call-8812", "user_id": USER, "customer_id": CUSTOMER,
                      "transcript": "User: I want a refund.\nAgent: Sure."});
    assert_eq!(api.post("/v1/conversations/ingest", &call).status, 200);
    let dry = delete(&api, &body("conversation", json!({"conversation_id": "call-8812"}), true, None));
    assert_eq!(dry["counts"]["messages"], 2, "{dry}");
}

#[test]
fn a_customer_goes_with_all_its_users() {
    let api = Api::start();
    let seeded = seed(&api);
    let elsewhere = api.ingest("User: I like chess.", json!({"user_id": USER, "customer_id": "cust_other"})).remove(0);
    let b = body("customer", json!({"customer_id": CUSTOMER}), false, Some(CUSTOMER));
    delete(&api, &b);
    let r = delete(&api, &b);
    assert_eq!((r["status"].as_str(), r["counts"]["memories"].clone()), (Some("complete"), json!(3)));
    for gone in [&seeded.tea, &seeded.other] {
        assert_eq!(api.get(&format!("/api/v1/memories/{gone}")).status, 404);
    }
    assert_eq!(api.get(&format!("/api/v1/memories/{elsewhere}")).status, 200);

    let b2c = Api::with(Config {
        seed_demo: false,
        user_context_isolation: Some("equals_customer".into()),
        ..Config::default()
    });
    for b in [
        body("customer", json!({"customer_id": CUSTOMER}), false, Some(CUSTOMER)),
        body("user", json!({"user_id": USER, "customer_id": CUSTOMER}), false, Some(USER)),
    ] {
        let r = b2c.post("/v1/data/delete", &b);
        assert_eq!(r.status, 400, "{b}: {}", r.body);
    }
    let ids = b2c.ingest("User: I like chess.", json!({"user_id": USER}));
    let b = body("user", json!({"user_id": USER}), false, Some(USER));
    delete(&b2c, &b);
    assert_eq!(delete(&b2c, &b)["counts"]["memories"], 1);
    assert_eq!(b2c.get(&format!("/api/v1/memories/{}", ids[0])).status, 404);
}

#[test]
fn bad_requests_are_refused() {
    let api = Api::start();
    for (b, kind) in [
        (json!({"scope": "client", "confirm": "x"}), "enum"),
        (json!({"scope": {"user": "u"}}), "enum"),
        (json!({"scope": "user", "user_id": 5, "confirm": "5"}), "string_type"),
        (json!({"scope": "user", "user_id": "u", "dry_run": "yes"}), "bool_type"),
        (json!({"user_id": "u"}), "missing"),
        (json!(["user"]), "model_attributes_type"),
    ] {
        let r = api.post("/v1/data/delete", &b);
        assert_eq!((r.status, r.body["detail"][0]["type"].as_str()), (422, Some(kind)), "{b}: {}", r.body);
    }
    assert_eq!(api.post_raw("/v1/data/delete", "{").status, 422);
    for b in [
        body("user", json!({}), false, Some("u")),
        body("user", json!({"user_id": "  "}), true, None),
        body("user", json!({"user_id": "u"}), false, None),
        body("user", json!({"user_id": "u"}), false, Some("v")),
        body("conversation", json!({"user_id": "u"}), false, Some("u")),
        body("customer", json!({"user_id": "u"}), true, None),
    ] {
        let r = api.post("/v1/data/delete", &b);
        assert_eq!(r.status, 400, "{b}: {}", r.body);
        assert!(r.body["detail"].is_string());
    }
    assert_eq!(api.anonymous("POST", "/v1/data/delete").status, 401);
    assert_eq!(api.anonymous("GET", "/v1/data/delete/del_x").status, 401);
    assert_eq!(api.get("/v1/data/delete").status, 405);
    assert_eq!(api.post("/v1/data/delete/del_x", &json!({})).status, 405);
}

#[test]
fn the_status_route_finds_a_deletion_by_its_decoded_id() {
    let api = Api::start();
    let r = delete(&api, &user_body());
    let id = r["deletion_id"].as_str().unwrap();
    let encoded = id.replace('_', "%5F");
    for path in [
        format!("/v1/data/delete/{encoded}"),
        format!("/v1/data/delete/{id}?instance_id="),
        format!("/v1/data/delete/{id}?instance_id={INSTANCE}"),
    ] {
        let got = api.get(&path);
        assert_eq!((got.status, got.body["deletion_id"].as_str()), (200, Some(id)), "{path}");
    }
    let unknown = api.get("/v1/data/delete/del_0000000000000000");
    assert_eq!((unknown.status, unknown.body.clone()), (404, json!({"detail": "Deletion not found"})));
    assert_eq!(api.get(&format!("/v1/data/delete/{id}?instance_id=inst_0000000000000000")).status, 404);
    assert_eq!(api.get("/v1/data/delete/d%201%2Fx").status, 404);
}

#[test]
fn faults_apply_to_the_deletion_routes() {
    let api = Api::start();
    seed(&api);
    api.control("faults", &json!({"path": "/v1/data/delete", "fault": {"kind": "respond", "status": 500}}));
    assert_eq!(api.post("/v1/data/delete", &user_body()).status, 500);
    let r = delete(&api, &user_body());
    assert_eq!(r["continue"], json!(true), "the faulted request started nothing");
    let id = r["deletion_id"].as_str().unwrap();
    api.control("faults", &json!({"path": format!("/v1/data/delete/{id}"), "fault": {"kind": "gzip"}}));
    let got = api.get(&format!("/v1/data/delete/{id}"));
    assert_eq!((got.status, got.body["deletion_id"].as_str()), (200, Some(id)));
}
