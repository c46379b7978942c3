//! The credits calls against the emulator, through the Rust API: the
//! balance, spending by ingestion as the ledger shows it (newest first,
//! paged, filtered), the credit stop once the balance is spent, estimates,
//! and redeeming codes.

mod common;
mod lifecycle_support;

use std::time::Duration;

use lifecycle_support::{CUSTOMER, USER, ingest, start};
use serde_json::json;
use synap::{
    Client, CreateRequest, ErrorKind, EstimateRequest, LedgerEntry, LedgerQuery, MAX_LEDGER_PAGE, UploadRequest,
};
use synap_emulator::Config;

const LEDGER: &str = "/v1/credits/ledger";
const ESTIMATE: &str = "/v1/credits/estimate";
const REDEEM: &str = "/v1/credits/redeem";
const CODE: &str = "SYN-TEST-CODE-0001-A";

fn balance(client: &Client) -> f64 {
    client.credits_balance().unwrap().balance_credits
}

fn ledger(client: &Client, query: &LedgerQuery) -> Vec<LedgerEntry> {
    client.credits_ledger(query).unwrap().entries
}

fn types(entries: &[LedgerEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.entry_type.as_deref().unwrap_or("<none>")).collect()
}

fn one_document(client: &Client, text: &str) -> Result<synap::Ingestion, synap::Error> {
    let mut request = CreateRequest::text(text);
    request.user_id(USER).customer_id(CUSTOMER);
    client.memories_create(&request)
}

#[test]
fn the_balance_is_read_with_its_buckets() {
    let emu = start();
    let client = emu.client();
    let balance = client.credits_balance().unwrap();
    assert_eq!(balance.balance_credits, Config::default().credit_balance);
    assert_eq!(balance.client_id.as_deref(), Some(Config::default().client_id.as_str()));
    assert_eq!(balance.warning_low, Some(false));
    assert_eq!(balance.buckets.len(), 1, "{balance:?}");
    assert_eq!(balance.buckets[0].source_type.as_deref(), Some("grant"));
    assert_eq!(balance.buckets[0].balance, Some(balance.balance_credits));
    let logged = &emu.requests(Some("/v1/credits/balance"))[0];
    assert_eq!((logged["method"].as_str(), logged["query"].as_str()), (Some("GET"), None));

    // Below 100 credits the balance warns.
    emu.post_config(json!({"credit_balance": 42.5}));
    let low = client.credits_balance().unwrap();
    assert_eq!((low.balance_credits, low.warning_low), (42.5, Some(true)));
}

#[test]
fn ingestion_spends_credits_and_the_ledger_shows_it_newest_first() {
    let emu = start();
    let client = emu.client();
    let start_balance = balance(&client);
    ingest(&client, "User: I swim laps every Tuesday morning.", USER, CUSTOMER);
    assert_eq!(balance(&client), start_balance - 1.0, "one document, one credit");
    one_document(&client, "User: I read history books before bed.").unwrap();
    let mut upload = UploadRequest::new();
    upload.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap().text("I cycle to work when it is dry.");
    client.memories_upload(&upload).unwrap();
    assert_eq!(balance(&client), start_balance - 3.0);

    // Newest first: three usage rows over the starting grant.
    let all = ledger(&client, &LedgerQuery::new());
    assert_eq!(types(&all), ["usage", "usage", "usage", "grant"]);
    assert!(all[..3].iter().all(|e| e.delta == Some(-1.0)), "{all:?}");
    assert_eq!(all[3].delta, Some(start_balance));
    let times: Vec<i64> = all.iter().map(|e| e.created_at_us.expect("created_at")).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {times:?}");
    let ids: Vec<&str> = all.iter().map(|e| e.ledger_id.as_deref().unwrap()).collect();
    assert_eq!(ids.iter().collect::<std::collections::BTreeSet<_>>().len(), 4, "{ids:?}");
    assert_eq!(emu.requests(Some(LEDGER))[0]["query"], "limit=100&offset=0");

    // Pages of two, read in turn, give the same rows.
    let mut paged = Vec::new();
    for offset in [0, 2, 4] {
        let mut query = LedgerQuery::new();
        query.limit(2).unwrap().offset(offset);
        let page = client.credits_ledger(&query).unwrap();
        assert_eq!((page.total, page.limit, page.offset), (Some(4), Some(2), Some(offset as i64)));
        assert!(page.entries.len() <= 2);
        paged.extend(page.entries);
    }
    assert_eq!(paged, all);
    assert_eq!(emu.requests(Some(LEDGER)).last().unwrap()["query"], "limit=2&offset=4");

    // Only one entry type.
    let mut usage = LedgerQuery::new();
    usage.entry_type("usage");
    let page = client.credits_ledger(&usage).unwrap();
    assert_eq!((page.total, types(&page.entries)), (Some(3), vec!["usage"; 3]));
    assert_eq!(page.entries, all[..3]);
    assert_eq!(emu.requests(Some(LEDGER)).last().unwrap()["query"], "limit=100&offset=0&entry_type=usage");
    usage.entry_type("grant").limit(1).unwrap();
    assert_eq!(types(&ledger(&client, &usage)), ["grant"]);
    usage.entry_type("");
    assert_eq!(ledger(&client, &usage).len(), 1, "an empty type clears the filter");

    // A time range: nothing before the first row, everything up to now.
    let first = *times.last().unwrap();
    let mut range = LedgerQuery::new();
    range.to_us(first - 1_000_000).unwrap();
    assert!(ledger(&client, &range).is_empty());
    range.from_us(first - 1_000_000).unwrap().to_us(times[0] + 1_000_000).unwrap();
    assert_eq!(ledger(&client, &range), all);

    let mut bad = LedgerQuery::new();
    assert!(bad.limit(0).is_err() && bad.limit(MAX_LEDGER_PAGE + 1).is_err());
    assert_eq!(bad, LedgerQuery::new(), "refused values change nothing");
}

#[test]
fn a_spent_balance_stops_ingestion_with_insufficient_credits() {
    let emu = start();
    let client = Client::new(
        emu.options().retry(synap::RetryPolicy::new(3, Duration::from_millis(10), Duration::from_millis(20))).unwrap(),
    )
    .unwrap();
    emu.post_config(json!({"credit_balance": 1.5}));
    one_document(&client, "User: I bake sourdough bread on Saturdays.").unwrap();
    assert_eq!(balance(&client), 0.5);

    let before = emu.requests(Some("/api/v1/memories/create")).len();
    let e = one_document(&client, "User: I bake rye bread on Sundays.").unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InsufficientCredits, Some(402)));
    assert!(e.message().contains("insufficient credits"), "{}", e.message());
    assert_eq!(emu.requests(Some("/api/v1/memories/create")).len(), before + 1, "a credit stop is not retried");
    let mut upload = UploadRequest::new();
    upload.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap().bytes(b"a note about bread");
    assert_eq!(client.memories_upload(&upload).unwrap_err().kind(), ErrorKind::InsufficientCredits);
    assert_eq!(balance(&client), 0.5, "nothing was charged");
    let newest = &ledger(&client, &LedgerQuery::new())[0];
    assert_eq!(newest.entry_type.as_deref(), Some("usage"));

    // Redeeming a code lets ingestion go on.
    client.credits_redeem(CODE).unwrap();
    assert!(one_document(&client, "User: I bake rye bread on Sundays.").is_ok());
    assert_eq!(balance(&client), 499.5);
}

#[test]
fn an_estimate_sends_all_five_keys_and_reads_the_credits() {
    let emu = start();
    let client = emu.client();
    let before = balance(&client);
    let mut request = EstimateRequest::new();
    request.metric_type("llm_input_tokens").unwrap().units(1000.0).unwrap();
    assert_eq!(client.credits_estimate(&request).unwrap(), 1.0);
    assert_eq!(
        emu.sent_json(ESTIMATE)[0],
        json!({"metric_type": "llm_input_tokens", "units": 1000, "item_count": null, "endpoint": null, "mode": null})
    );
    request.metric_type("documents").unwrap().units(2.5).unwrap().item_count(3).endpoint("/api/v1/memories/create");
    request.mode("fast");
    assert_eq!(client.credits_estimate(&request).unwrap(), 2.5);
    assert_eq!(
        emu.sent_json(ESTIMATE)[1],
        json!({"metric_type": "documents", "units": 2.5, "item_count": 3, "endpoint": "/api/v1/memories/create",
               "mode": "fast"})
    );
    request.units(0.0).unwrap();
    assert_eq!(client.credits_estimate(&request).unwrap(), 0.0);
    assert_eq!(balance(&client), before, "an estimate spends nothing");

    // Refused locally: no metric, no units, bad units.
    let mut empty = EstimateRequest::new();
    let e = client.credits_estimate(&empty).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "the request has no metric_type"));
    empty.metric_type("documents").unwrap();
    assert_eq!(client.credits_estimate(&empty).unwrap_err().message(), "the request has no units");
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(empty.units(bad).unwrap_err().kind(), ErrorKind::InvalidArgument, "{bad}");
    }
    assert!(empty.metric_type("").is_err());
    assert_eq!(emu.requests(Some(ESTIMATE)).len(), 3);
}

#[test]
fn a_code_is_redeemed_once() {
    let emu = start();
    let client = emu.client();
    let before = balance(&client);
    let redeemed = client.credits_redeem(&format!("  {CODE}\n")).unwrap();
    assert_eq!(emu.sent_json(REDEEM)[0], json!({"code": CODE}), "sent trimmed");
    assert_eq!(redeemed.credits_granted, Some(500.0));
    assert_eq!(redeemed.new_balance_credits, Some(before + 500.0));
    assert!(redeemed.redemption_id.as_deref().is_some_and(|id| !id.is_empty()), "{redeemed:?}");
    assert_eq!(balance(&client), before + 500.0);
    let newest = &ledger(&client, &LedgerQuery::new())[0];
    assert_eq!((newest.entry_type.as_deref(), newest.delta), (Some("redeem"), Some(500.0)));

    // Twice: used up. Sent once, as a write is.
    let retrying = Client::new(
        emu.options().retry(synap::RetryPolicy::new(3, Duration::from_millis(10), Duration::from_millis(20))).unwrap(),
    )
    .unwrap();
    let e = retrying.credits_redeem(CODE).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InsufficientCredits, Some(402)));
    assert!(e.message().contains("already been redeemed"), "{}", e.message());
    assert_eq!(emu.requests(Some(REDEEM)).len(), 2);
    assert_eq!(balance(&client), before + 500.0);

    // Malformed (422) and unknown (400) codes: the service refused them.
    for malformed in ["not-a-code", "SYN-TEST-CODE-0001", "SYN-TEST-CODE-0001-AB"] {
        let e = client.credits_redeem(malformed).unwrap_err();
        assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(422)), "{malformed}");
    }
    let e = client.credits_redeem("SYN-AAAA-BBBB-CCCC-D").unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(400)));

    // An empty code never leaves the client.
    let sent = emu.requests(Some(REDEEM)).len();
    for empty in ["", "   "] {
        assert_eq!(client.credits_redeem(empty).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
    assert_eq!(emu.requests(Some(REDEEM)).len(), sent);

    // Codes the account was given later.
    emu.post_config(json!({"redeem_codes": {"SYN-GIFT-0000-0042-Z": 42.0}}));
    let gift = client.credits_redeem("syn-gift-0000-0042-z").unwrap();
    assert_eq!((gift.credits_granted, gift.new_balance_credits), (Some(42.0), Some(before + 542.0)));
}
