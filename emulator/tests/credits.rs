//! The credits routes: balance, ledger, estimate, redeem, and the charge
//! every ingestion pays (402 once the balance cannot).

mod reads;

use reads::*;
use serde_json::{Value, json};
use synap_emulator::{Config, DEFAULT_REDEEM_CODE};

const USER: &str = "user_789";
const CUSTOMER: &str = "cust_456";

fn balance(api: &Api) -> f64 {
    let r = api.get("/v1/credits/balance");
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["balance_credits"].as_f64().expect("a number")
}

fn ledger(api: &Api, query: &str) -> Value {
    let r = api.get(&format!("/v1/credits/ledger{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.body);
    r.body
}

fn create(api: &Api, text: &str) -> Reply {
    api.post("/api/v1/memories/create", &json!({"document": text, "user_id": USER, "customer_id": CUSTOMER}))
}

#[test]
fn balance_and_ledger_shapes() {
    let api = Api::start();
    let r = api.get("/v1/credits/balance");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        json!({"client_id": "cli_9b2f4d6a8c0e1357", "balance_credits": 1_000_000.0, "warning_low": false,
               "buckets": [{"source_type": "grant", "balance": 1_000_000.0, "expires_at": null}]})
    );
    let l = ledger(&api, "");
    assert_eq!((l["total"].clone(), l["limit"].clone(), l["offset"].clone()), (json!(1), json!(100), json!(0)));
    let grant = &l["entries"][0];
    assert_eq!((grant["entry_type"].as_str(), grant["delta"].as_f64()), (Some("grant"), Some(1_000_000.0)));
    assert!(grant["ledger_id"].as_str().unwrap().starts_with("led_"));
    assert!(grant["created_at"].as_str().unwrap().ends_with('Z'));
    for key in ["metric_type", "category"] {
        assert!(grant.get(key).is_some(), "{key} in {grant}");
    }
    for path in ["/v1/credits/balance", "/v1/credits/ledger"] {
        assert_eq!(api.anonymous("GET", path).status, 401);
    }
    for path in ["/v1/credits/estimate", "/v1/credits/redeem"] {
        assert_eq!(api.anonymous("POST", path).status, 401);
    }
    assert_eq!(api.post("/v1/credits/balance", &json!({})).status, 405);
}

#[test]
fn every_ingestion_pays_and_is_ledgered() {
    let api = Api::start();
    assert_eq!(create(&api, "User: I love green tea.").status, 200);
    let batch = api.post(
        "/api/v1/memories/batch",
        &json!({"documents": [{"document": "One doc here."}, {"document": ""}, {"document": "Two docs here."}]}),
    );
    assert_eq!((batch.status, batch.body["succeeded"].clone()), (200, json!(2)), "{}", batch.body);
    let ingest = api.post(
        "/v1/conversations/ingest",
        &json!({"conversation_id": "call-1", "user_id": USER, "customer_id": CUSTOMER, "transcript": "User: hi there you."}),
    );
    assert_eq!(ingest.status, 200, "{}", ingest.body);
    // A repeat is a duplicate, not a new ingestion: free.
    assert_eq!(
        api.post(
            "/v1/conversations/ingest",
            &json!({"conversation_id": "call-1", "user_id": USER,
        "customer_id": CUSTOMER, "transcript": "User: hi there you."})
        )
        .body["status"],
        "duplicate"
    );
    // Recorded messages are not ingestions.
    api.post(
        "/v1/conversations/messages",
        &json!({"conversation_id": "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9",
        "role": "user", "content": "I like tea a lot.", "user_id": USER, "customer_id": CUSTOMER}),
    );
    assert_eq!(balance(&api), 1_000_000.0 - 4.0);

    let usage = ledger(&api, "?entry_type=usage");
    assert_eq!(usage["total"], 3);
    let rows: Vec<(f64, &str)> = usage["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["delta"].as_f64().unwrap(), e["category"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [(-1.0, "conversations.ingest"), (-2.0, "memories.batch"), (-1.0, "memories.create")],
        "newest first"
    );
    assert!(usage["entries"].as_array().unwrap().iter().all(|e| e["metric_type"] == "documents_ingested"));
}

#[test]
fn a_short_balance_is_402_and_queues_nothing() {
    let api = Api::with(Config { seed_demo: false, credit_balance: 1.0, ..Config::default() });
    assert_eq!(create(&api, "User: I love green tea.").status, 200);
    let r = create(&api, "User: I love black tea.");
    assert_eq!(r.status, 402, "{}", r.body);
    let detail = &r.body["detail"];
    assert!(detail["message"].as_str().unwrap().starts_with("insufficient credits"), "{detail}");
    assert_eq!(
        (detail["balance_credits"].as_f64(), detail["minimum_required_credits"].as_f64()),
        (Some(0.0), Some(1.0))
    );
    assert_eq!(detail["recovery_url"], "/v1/credits/balance");
    let b = api.get("/v1/credits/balance").body;
    assert_eq!(
        (b["balance_credits"].as_f64(), b["warning_low"].clone(), b["buckets"].clone()),
        (Some(0.0), json!(true), json!([]))
    );
    for (path, body) in [
        ("/api/v1/memories/batch", json!({"documents": [{"document": "One doc here."}]})),
        (
            "/v1/conversations/ingest",
            json!({"conversation_id": "call-8812", "user_id": USER, "customer_id": CUSTOMER, "transcript": "User: hi."}),
        ),
    ] {
        assert_eq!(api.post(path, &body).status, 402, "{path}");
    }
    // Nothing was queued: the transcript's conversation does not exist.
    let conversation = "/v1/conversations/5a0b2935-9bb5-5de8-8b14-cc1f3069d301/messages";
    assert_eq!(api.get(conversation).body["total"], 0);
    assert_eq!(ledger(&api, "?entry_type=usage")["total"], 1);

    // Topping up through control lets ingestion go on.
    api.control("config", &json!({"credit_balance": 3}));
    assert_eq!(create(&api, "User: I love black tea.").status, 200);
    assert_eq!(ledger(&api, "?entry_type=adjustment")["entries"][0]["delta"], 3.0);
    api.control("reset", &json!({}));
    assert_eq!(balance(&api), 1.0, "reset restores the starting account");
}

#[test]
fn ledger_paging_and_filters() {
    let api = Api::start();
    for i in 0..5 {
        assert_eq!(create(&api, &format!("User: Document number {i} here.")).status, 200);
    }
    let page = ledger(&api, "?limit=2&offset=1");
    assert_eq!((page["total"].clone(), page["limit"].clone(), page["offset"].clone()), (json!(6), json!(2), json!(1)));
    assert_eq!(page["entries"].as_array().unwrap().len(), 2);
    let all = ledger(&api, "?limit=500");
    assert_eq!(all["entries"][1], page["entries"][0]);
    assert_eq!(all["entries"][5]["entry_type"], "grant", "oldest last");
    assert_eq!(ledger(&api, "?offset=10")["entries"], json!([]));
    let newest = all["entries"][0]["created_at"].as_str().unwrap().to_owned();
    let from_newest = ledger(&api, &format!("?from={}", newest.replace('+', "%2B")));
    assert!(from_newest["total"].as_u64().unwrap() >= 1);
    assert_eq!(ledger(&api, &format!("?to={newest}&entry_type=grant"))["total"], 1);
    assert_eq!(ledger(&api, "?from=2999-01-01T00:00:00%2B00:00")["total"], 0);
    for bad in ["?limit=0", "?limit=501", "?limit=x", "?offset=-1", "?from=yesterday"] {
        let r = api.get(&format!("/v1/credits/ledger{bad}"));
        assert_eq!(r.status, 422, "{bad}: {}", r.body);
        assert_eq!(r.body["detail"][0]["loc"][0], "query");
    }
}

#[test]
fn estimates() {
    let api = Api::start();
    let estimate = |body: Value| api.post("/v1/credits/estimate", &body);
    let r = estimate(
        json!({"metric_type": "llm_input_tokens", "units": 1000, "item_count": null, "endpoint": null, "mode": null}),
    );
    assert_eq!((r.status, r.body.clone()), (200, json!({"credits_estimate": 1.0})));
    let r = estimate(
        json!({"metric_type": "documents", "units": 3.5, "item_count": 3, "endpoint": "/api/v1/memories/create", "mode": "fast"}),
    );
    assert_eq!(r.body["credits_estimate"], 3.5);
    assert_eq!(estimate(json!({"metric_type": "something_else", "units": 100})).body["credits_estimate"], 1.0);
    for (body, kind) in [
        (json!({"units": 1}), "missing"),
        (json!({"metric_type": "documents"}), "missing"),
        (json!({"metric_type": "documents", "units": -1}), "greater_than_equal"),
        (json!({"metric_type": "documents", "units": "many"}), "float_type"),
        (json!({"metric_type": 3, "units": 1}), "string_type"),
        (json!({"metric_type": "documents", "units": 1, "item_count": -2}), "greater_than_equal"),
    ] {
        let r = estimate(body.clone());
        assert_eq!((r.status, r.body["detail"][0]["type"].as_str()), (422, Some(kind)), "{body}: {}", r.body);
    }
}

#[test]
fn redeeming_codes() {
    let api = Api::start();
    let redeem = |code: &str| api.post("/v1/credits/redeem", &json!({ "code": code }));
    let r = redeem(&DEFAULT_REDEEM_CODE.to_lowercase());
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["redemption_id"].as_str().unwrap().starts_with("red_"));
    assert_eq!(
        (r.body["credits_granted"].as_f64(), r.body["new_balance_credits"].as_f64()),
        (Some(500.0), Some(1_000_500.0))
    );
    assert_eq!(r.body["expires_at"], Value::Null);
    let row = &ledger(&api, "")["entries"][0];
    assert_eq!((row["entry_type"].as_str(), row["delta"].as_f64()), (Some("redeem"), Some(500.0)));
    let buckets = api.get("/v1/credits/balance").body["buckets"].clone();
    assert_eq!(buckets[1], json!({"source_type": "redeem", "balance": 500.0, "expires_at": null}));

    let again = redeem(DEFAULT_REDEEM_CODE);
    assert_eq!(again.status, 402, "{}", again.body);
    assert!(again.body["detail"]["message"].as_str().unwrap().contains("already been redeemed"));
    let unknown = redeem("SYN-ABCD-EFGH-1234-Z");
    assert_eq!((unknown.status, unknown.body["detail"].is_string()), (400, true));
    for bad in ["SYN-TEST", "SYN-TEST-CODE-0001-AB", "XYZ-TEST-CODE-0001-A", "SYN-TE$T-CODE-0001-A"] {
        let r = redeem(bad);
        assert_eq!((r.status, r.body["detail"][0]["type"].as_str()), (422, Some("string_pattern_mismatch")), "{bad}");
    }
    assert_eq!(api.post("/v1/credits/redeem", &json!({})).status, 422);

    api.control("config", &json!({"redeem_codes": {"SYN-ABCD-EFGH-1234-Z": 25}}));
    assert_eq!(redeem("SYN-ABCD-EFGH-1234-Z").body["credits_granted"], 25.0);
    assert_eq!(balance(&api), 1_000_525.0);
    let bad_codes = api.control("config", &json!({"redeem_codes": {"SYN-ABCD-EFGH-1234-Y": -1}}));
    assert_eq!(bad_codes.status, 400);
}

#[test]
fn faults_apply_to_the_credits_routes() {
    let api = Api::start();
    api.control(
        "faults",
        &json!({"path": "/v1/credits/balance", "count": 2, "fault": {"kind": "respond", "status": 503}}),
    );
    assert_eq!(api.get("/v1/credits/balance").status, 503);
    assert_eq!(api.get("/v1/credits/balance").status, 503);
    assert_eq!(api.get("/v1/credits/balance").status, 200);
}
