//! The credit account (contract part 2, section 7.2): buckets of credits,
//! the ledger of every change, redeemable codes, and the charge every
//! ingestion pays.
//!
//! Cost: [`DOCUMENT_COST`] credit per ingested document: a create, each
//! document a batch accepts, an upload, an ingested transcript. A call that
//! cannot pay gets 402 with the credit payload of base section 11.3 and
//! queues nothing; one that can writes one `usage` ledger row (a batch one
//! row for all its documents). Spending draws on the oldest bucket first.

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;
use serde::Serialize;
use serde_json::json;

use crate::config::Config;
use crate::http::Response;
use crate::ids;
use crate::state::{State, lock};

/// Credits one ingested document costs.
pub(crate) const DOCUMENT_COST: f64 = 1.0;
/// `warning_low` is set below this balance.
pub(crate) const LOW_BALANCE: f64 = 100.0;

#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    pub source_type: &'static str,
    pub balance: f64,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LedgerEntry {
    pub ledger_id: String,
    /// `grant` (the starting balance), `usage`, `redeem` or `adjustment`
    /// (a balance set through the control endpoint).
    pub entry_type: &'static str,
    pub delta: f64,
    pub metric_type: Option<&'static str>,
    pub category: Option<&'static str>,
    #[serde(skip)]
    pub created_at: Timestamp,
}

/// Why a redeem failed.
pub(crate) enum RedeemRefusal {
    Unknown,
    AlreadyRedeemed,
}

pub(crate) struct Redeemed {
    pub redemption_id: String,
    pub credits: f64,
    pub new_balance: f64,
}

#[derive(Debug)]
pub(crate) struct CreditAccount {
    /// Oldest first.
    buckets: Vec<Bucket>,
    /// Oldest first.
    ledger: Vec<LedgerEntry>,
    codes: BTreeMap<String, f64>,
    redeemed: HashSet<String>,
}

impl CreditAccount {
    pub fn new(config: &Config) -> CreditAccount {
        let mut account = CreditAccount {
            buckets: Vec::new(),
            ledger: Vec::new(),
            codes: config.redeem_codes.clone(),
            redeemed: HashSet::new(),
        };
        if config.credit_balance > 0.0 {
            account.buckets.push(Bucket { source_type: "grant", balance: config.credit_balance });
            account.write("grant", config.credit_balance, None, Some("grant"));
        }
        account
    }

    pub fn balance(&self) -> f64 {
        self.buckets.iter().map(|b| b.balance).sum()
    }

    /// Buckets that still hold credits, oldest first.
    pub fn buckets(&self) -> impl Iterator<Item = &Bucket> {
        self.buckets.iter().filter(|b| b.balance > 0.0)
    }

    /// Newest first.
    pub fn ledger(&self) -> impl Iterator<Item = &LedgerEntry> {
        self.ledger.iter().rev()
    }

    fn write(
        &mut self,
        entry_type: &'static str,
        delta: f64,
        metric: Option<&'static str>,
        category: Option<&'static str>,
    ) {
        self.ledger.push(LedgerEntry {
            ledger_id: ids::prefixed("led_"),
            entry_type,
            delta,
            metric_type: metric,
            category,
            created_at: Timestamp::now(),
        });
    }

    /// Takes `cost` credits, oldest bucket first; `false` (and nothing
    /// taken) when the balance is short.
    fn spend(&mut self, cost: f64, category: &'static str) -> bool {
        if self.balance() < cost {
            return false;
        }
        let mut left = cost;
        for bucket in &mut self.buckets {
            let take = left.min(bucket.balance);
            bucket.balance -= take;
            left -= take;
        }
        self.write("usage", -cost, Some("documents_ingested"), Some(category));
        true
    }

    /// Sets the balance outright (one grant bucket), logged as an adjustment.
    pub fn set_balance(&mut self, balance: f64) {
        let delta = balance - self.balance();
        self.buckets = vec![Bucket { source_type: "grant", balance }];
        self.write("adjustment", delta, None, Some("adjustment"));
    }

    pub fn set_codes(&mut self, codes: BTreeMap<String, f64>) {
        self.codes = codes;
    }

    pub fn redeem(&mut self, code: &str) -> Result<Redeemed, RedeemRefusal> {
        let credits = *self.codes.get(code).ok_or(RedeemRefusal::Unknown)?;
        if !self.redeemed.insert(code.to_owned()) {
            return Err(RedeemRefusal::AlreadyRedeemed);
        }
        self.buckets.push(Bucket { source_type: "redeem", balance: credits });
        self.write("redeem", credits, None, Some("redeem"));
        Ok(Redeemed { redemption_id: ids::prefixed("red_"), credits, new_balance: self.balance() })
    }
}

/// Charges `documents` ingested documents to the account, or gives the
/// 402 for a balance that cannot pay. `category` names the route in the
/// ledger. No charge for zero documents.
pub(crate) fn charge(state: &State, documents: usize, category: &'static str) -> Result<(), Response> {
    if documents == 0 {
        return Ok(());
    }
    let cost = documents as f64 * DOCUMENT_COST;
    let mut account = lock(&state.credits);
    if account.spend(cost, category) {
        return Ok(());
    }
    let balance = account.balance();
    Err(Response::json(
        402,
        &json!({"detail": {
            "error": "insufficient_credits",
            "reason": "insufficient_credits",
            "message": format!("insufficient credits: the balance is {balance}, this request needs {cost}"),
            "balance_credits": balance,
            "minimum_required_credits": cost,
            "recovery_url": "/v1/credits/balance",
            "redeem_url": "/v1/credits/redeem",
        }}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(balance: f64) -> CreditAccount {
        CreditAccount::new(&Config { credit_balance: balance, ..Config::default() })
    }

    #[test]
    fn spending_draws_oldest_first_and_stops_short() {
        let mut a = account(2.0);
        assert!(matches!(a.redeem("SYN-TEST-CODE-0001-A"), Ok(Redeemed { credits: 500.0, new_balance: 502.0, .. })));
        assert!(a.spend(3.0, "t"));
        let left: Vec<(&str, f64)> = a.buckets().map(|b| (b.source_type, b.balance)).collect();
        assert_eq!(left, [("redeem", 499.0)]);
        assert!(!a.spend(500.0, "t"));
        assert_eq!(a.balance(), 499.0);
        let kinds: Vec<&str> = a.ledger().map(|e| e.entry_type).collect();
        assert_eq!(kinds, ["usage", "redeem", "grant"]);
        assert!(matches!(a.redeem("SYN-TEST-CODE-0001-A"), Err(RedeemRefusal::AlreadyRedeemed)));
        assert!(matches!(a.redeem("SYN-NOPE-NOPE-NOPE-N"), Err(RedeemRefusal::Unknown)));
    }

    #[test]
    fn an_empty_account_has_no_grant() {
        let mut a = account(0.0);
        assert_eq!((a.balance(), a.ledger().count()), (0.0, 0));
        a.set_balance(5.0);
        assert_eq!(a.ledger().next().map(|e| (e.entry_type, e.delta)), Some(("adjustment", 5.0)));
    }
}
