//! The credits calls on `Client` (contract part 2, §7.2): balance, ledger,
//! estimate and redeem.
//!
//! Their wire format is the one the reference SDK's code means to send and
//! read; that SDK has never sent these requests. Balance, ledger and
//! estimate are reads, retried as reads are; redeem spends a code and is
//! resent only when the failure proves it had no effect.

use serde_json::json;

use crate::call::Idempotence;
use crate::client::{Client, Request};
use crate::credits::{CreditBalance, LedgerPage, Redemption};
use crate::credits_request::{EstimateRequest, LedgerQuery};
use crate::error::Error;
use crate::request_fields::non_empty;
use crate::wire::credits::{parse_balance, parse_estimate, parse_ledger_page, parse_redemption};

impl Client {
    /// The account's credit balance (`GET /v1/credits/balance`).
    pub fn credits_balance(&self) -> Result<CreditBalance, Error> {
        let url = format!("{}/v1/credits/balance", self.base_url());
        self.exchange(&url, Request::Get, &self.limits(None, None), parse_balance).map(|(b, _)| b)
    }

    /// One page of the credit ledger, newest first (`GET /v1/credits/ledger`).
    pub fn credits_ledger(&self, query: &LedgerQuery) -> Result<LedgerPage, Error> {
        let url = format!("{}/v1/credits/ledger{}", self.base_url(), query.to_query());
        self.exchange(&url, Request::Get, &self.limits(None, None), parse_ledger_page).map(|(p, _)| p)
    }

    /// What a usage would cost, in credits (`POST /v1/credits/estimate`).
    /// Changes nothing, so it is retried as reads are.
    pub fn credits_estimate(&self, request: &EstimateRequest) -> Result<f64, Error> {
        let body = serde_json::to_vec(&request.to_json()?).map_err(|e| Error::invalid_argument(e.to_string()))?;
        let url = format!("{}/v1/credits/estimate", self.base_url());
        self.exchange(&url, Request::Post(&body, Idempotence::Idempotent), &self.limits(None, None), parse_estimate)
            .map(|(e, _)| e)
    }

    /// Redeems a credit code (`POST /v1/credits/redeem`). A code already
    /// used, expired or exhausted is
    /// [`ErrorKind::InsufficientCredits`](crate::ErrorKind::InsufficientCredits);
    /// a malformed or unknown one `InvalidRequest`. Resent only when the
    /// failure proves it had no effect.
    pub fn credits_redeem(&self, code: &str) -> Result<Redemption, Error> {
        let code = non_empty("code", code)?;
        let body =
            serde_json::to_vec(&json!({ "code": code.trim() })).map_err(|e| Error::invalid_argument(e.to_string()))?;
        let url = format!("{}/v1/credits/redeem", self.base_url());
        self.exchange(
            &url,
            Request::Post(&body, Idempotence::NotIdempotent),
            &self.limits(None, None),
            parse_redemption,
        )
        .map(|(r, _)| r)
    }
}
