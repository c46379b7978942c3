//! Any bytes as a memory lifecycle or credits route's response body (a
//! memory deleted, a forget outcome, a data deletion, a credit balance, a
//! ledger page, an estimate, a redeemed code): a value or a protocol error,
//! never a panic; and what each holds keeps the shape the parsers promise.
#![no_main]

mod response_body;

use libfuzzer_sys::fuzz_target;
use response_body::{check_errors, check_text, check_texts};
use synap::{
    CreditBalance, DataDeletion, DeletedMemory, Forgotten, LedgerPage, Redemption, credits_estimate_from_json,
};

fuzz_target!(|body: &[u8]| {
    let deleted = DeletedMemory::from_json(body);
    let forgotten = Forgotten::from_json(body);
    let deletion = DataDeletion::from_json(body);
    let balance = CreditBalance::from_json(body);
    let ledger = LedgerPage::from_json(body);
    let estimate = credits_estimate_from_json(body);
    let redemption = Redemption::from_json(body);
    let results: [(&str, Option<&synap::Error>); 7] = [
        ("deleted memory", deleted.as_ref().err()),
        ("forget", forgotten.as_ref().err()),
        ("data deletion", deletion.as_ref().err()),
        ("credit balance", balance.as_ref().err()),
        ("credit ledger", ledger.as_ref().err()),
        ("credit estimate", estimate.as_ref().err()),
        ("redemption", redemption.as_ref().err()),
    ];
    let lists: [(&str, &[&str]); 3] =
        [("forget", &["candidates"]), ("credit balance", &["buckets"]), ("credit ledger", &["entries"])];
    for (what, detail) in check_errors(body, &results, &lists) {
        // A required field fails only its own route.
        if let Some(field) = detail.strip_prefix("field `").and_then(|f| f.split('`').next()) {
            let required = match what {
                "deleted memory" => "memory_id",
                "forget" => "status",
                "credit balance" => "balance_credits",
                "credit estimate" => "credits_estimate",
                _ => "",
            };
            assert_eq!(field, required, "{what}: {detail}");
        }
    }

    if let Ok(d) = &deleted {
        assert!(d.memory_id.is_some());
        check_texts([&d.memory_id]);
    }
    if let Ok(f) = &forgotten {
        assert!(f.status.is_some());
        check_texts([&f.status, &f.request_id]);
        for c in &f.candidates {
            check_texts([&c.memory_id, &c.content, &c.memory_type, &c.store]);
        }
        f.deleted_ids.iter().chain(&f.failed_ids).chain(&f.still_present_in).for_each(check_text);
    }
    if let Ok(d) = &deletion {
        assert_eq!(d.raw_json.as_deref().map(str::as_bytes), Some(body));
        check_texts([&d.deletion_id, &d.status, &d.scope, &d.note, &d.audit]);
        d.still_present_in.iter().chain(&d.kept).for_each(check_text);
        for (i, (store, count)) in d.counts.iter().enumerate() {
            check_text(store);
            assert!(d.counts[..i].iter().all(|(s, _)| s != store), "{store:?} twice");
            assert_eq!(d.count(store), Some(*count));
        }
        let stores = d.stores_json.as_deref();
        assert!(stores.is_none_or(|j| j.starts_with('{') && j.ends_with('}')), "{stores:?}");
    }
    if let Ok(b) = &balance {
        assert!(b.balance_credits.is_finite());
        check_texts([&b.client_id]);
        for bucket in &b.buckets {
            check_texts([&bucket.source_type]);
            assert!(bucket.balance.is_none_or(f64::is_finite));
        }
    }
    if let Ok(p) = &ledger {
        for e in &p.entries {
            check_texts([&e.ledger_id, &e.entry_type, &e.metric_type, &e.category]);
            assert!(e.delta.is_none_or(f64::is_finite));
        }
    }
    if let Ok(credits) = estimate {
        assert!(credits.is_finite());
    }
    if let Ok(r) = &redemption {
        check_texts([&r.redemption_id]);
        assert!(r.credits_granted.is_none_or(f64::is_finite) && r.new_balance_credits.is_none_or(f64::is_finite));
    }
});
