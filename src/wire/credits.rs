//! The bodies of the credits routes (contract part 2, §7.2): the balance,
//! a page of the ledger, an estimate and a redeemed code.
//!
//! Each body is read in one streaming pass into the model types of
//! `crate::credits`, by the tolerance rules of the conversation answers
//! (see `super::conversation`):
//! - an explicit `null` is the same as an absent key;
//! - a scalar of the wrong type is absent (an integer, number, boolean or
//!   time is read as `super::context` reads one: a number may be a string
//!   holding a finite one);
//! - server text holding a NUL (JSON `\u0000`) is absent, and so is an id
//!   sent as a number;
//! - no default is filled in: what the service does not send is `None`;
//! - a repeated key: the last one wins.
//!
//! The one number a call exists for is required: a balance's
//! `balance_credits` and an estimate's `credits_estimate`. Absent, null or
//! not a number, it fails the body with `Protocol` naming it.
//!
//! Otherwise only a body whose structure is wrong fails, with `Protocol`
//! naming the path (`entries[2] is not an object`): not UTF-8 or not JSON,
//! not an object; `buckets` or `entries` not an array, or an element of one
//! not an object (`null` included).
//!
//! Nothing here recurses with the depth of the body: values that are
//! skipped are handled by serde_json without recursion.

use std::fmt;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::context::{Path, boolean, integer, number, read_body, text, time, utf8};
use super::conversation::{list, scalar};
use super::loose::Loose;
use super::required::required_number;
use crate::credits::{CreditBalance, CreditBucket, LedgerEntry, LedgerPage, Redemption};
use crate::error::Error;

/// Parses the body of `GET /v1/credits/balance`.
pub(crate) fn parse_balance(body: &[u8]) -> Result<CreditBalance, Error> {
    const WHAT: &str = "credit balance";
    let (mut balance, credits) = read_body(WHAT, utf8(WHAT, body)?, BalanceVisitor)?;
    balance.balance_credits = required_number(WHAT, "balance_credits", credits)?;
    Ok(balance)
}

/// Parses a page of `GET /v1/credits/ledger`. Absent or null `entries` is
/// an empty page.
pub(crate) fn parse_ledger_page(body: &[u8]) -> Result<LedgerPage, Error> {
    const WHAT: &str = "credit ledger";
    read_body(WHAT, utf8(WHAT, body)?, LedgerPageVisitor)
}

/// Parses the body of `POST /v1/credits/estimate`: the credits the work
/// would cost.
pub(crate) fn parse_estimate(body: &[u8]) -> Result<f64, Error> {
    const WHAT: &str = "credit estimate";
    let estimate = read_body(WHAT, utf8(WHAT, body)?, EstimateVisitor)?;
    required_number(WHAT, "credits_estimate", estimate)
}

/// Parses the body of `POST /v1/credits/redeem`.
pub(crate) fn parse_redemption(body: &[u8]) -> Result<Redemption, Error> {
    const WHAT: &str = "redemption";
    read_body(WHAT, utf8(WHAT, body)?, RedemptionVisitor)
}

// The balance.

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum BalanceKey {
    ClientId,
    BalanceCredits,
    WarningLow,
    Buckets,
    #[serde(other)]
    Other,
}

/// The balance, and its `balance_credits` as sent, checked once the body
/// is read.
struct BalanceVisitor;

impl<'de> Visitor<'de> for BalanceVisitor {
    type Value = (CreditBalance, Option<Loose<'de>>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a credit balance response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut b, mut credits) = (CreditBalance::default(), None);
        while let Some(key) = map.next_key::<BalanceKey>()? {
            match key {
                BalanceKey::ClientId => b.client_id = text(&scalar(&mut map)?),
                BalanceKey::BalanceCredits => credits = scalar(&mut map)?,
                BalanceKey::WarningLow => b.warning_low = boolean(&scalar(&mut map)?),
                BalanceKey::Buckets => b.buckets = list(&mut map, Path::Key("buckets"), || BucketVisitor)?,
                BalanceKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((b, credits))
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum BucketKey {
    SourceType,
    Balance,
    ExpiresAt,
    #[serde(other)]
    Other,
}

struct BucketVisitor;

impl<'de> Visitor<'de> for BucketVisitor {
    type Value = CreditBucket;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a credit bucket")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut b = CreditBucket::default();
        while let Some(key) = map.next_key::<BucketKey>()? {
            match key {
                BucketKey::SourceType => b.source_type = text(&scalar(&mut map)?),
                BucketKey::Balance => b.balance = number(&scalar(&mut map)?),
                BucketKey::ExpiresAt => b.expires_at_us = time(&scalar(&mut map)?),
                BucketKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(b)
    }
}

// A page of the ledger.

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum PageKey {
    Entries,
    Total,
    Limit,
    Offset,
    #[serde(other)]
    Other,
}

struct LedgerPageVisitor;

impl<'de> Visitor<'de> for LedgerPageVisitor {
    type Value = LedgerPage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a credit ledger response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut p = LedgerPage::default();
        while let Some(key) = map.next_key::<PageKey>()? {
            match key {
                PageKey::Entries => p.entries = list(&mut map, Path::Key("entries"), || EntryVisitor)?,
                PageKey::Total => p.total = integer(&scalar(&mut map)?),
                PageKey::Limit => p.limit = integer(&scalar(&mut map)?),
                PageKey::Offset => p.offset = integer(&scalar(&mut map)?),
                PageKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(p)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum EntryKey {
    LedgerId,
    EntryType,
    Delta,
    MetricType,
    Category,
    CreatedAt,
    #[serde(other)]
    Other,
}

/// A row of the ledger, as sent: an unparsable `created_at` is `None`,
/// not the time it was read.
struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = LedgerEntry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a ledger entry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut e = LedgerEntry::default();
        while let Some(key) = map.next_key::<EntryKey>()? {
            match key {
                EntryKey::LedgerId => e.ledger_id = text(&scalar(&mut map)?),
                EntryKey::EntryType => e.entry_type = text(&scalar(&mut map)?),
                EntryKey::Delta => e.delta = number(&scalar(&mut map)?),
                EntryKey::MetricType => e.metric_type = text(&scalar(&mut map)?),
                EntryKey::Category => e.category = text(&scalar(&mut map)?),
                EntryKey::CreatedAt => e.created_at_us = time(&scalar(&mut map)?),
                EntryKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(e)
    }
}

// An estimate.

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum EstimateKey {
    CreditsEstimate,
    #[serde(other)]
    Other,
}

/// The estimate's `credits_estimate` as sent, checked once the body is
/// read.
struct EstimateVisitor;

impl<'de> Visitor<'de> for EstimateVisitor {
    type Value = Option<Loose<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a credit estimate response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut estimate = None;
        while let Some(key) = map.next_key::<EstimateKey>()? {
            match key {
                EstimateKey::CreditsEstimate => estimate = scalar(&mut map)?,
                EstimateKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(estimate)
    }
}

// A redeemed code.

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum RedemptionKey {
    RedemptionId,
    CreditsGranted,
    NewBalanceCredits,
    ExpiresAt,
    #[serde(other)]
    Other,
}

struct RedemptionVisitor;

impl<'de> Visitor<'de> for RedemptionVisitor {
    type Value = Redemption;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a redemption response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut r = Redemption::default();
        while let Some(key) = map.next_key::<RedemptionKey>()? {
            match key {
                RedemptionKey::RedemptionId => r.redemption_id = text(&scalar(&mut map)?),
                RedemptionKey::CreditsGranted => r.credits_granted = number(&scalar(&mut map)?),
                RedemptionKey::NewBalanceCredits => r.new_balance_credits = number(&scalar(&mut map)?),
                RedemptionKey::ExpiresAt => r.expires_at_us = time(&scalar(&mut map)?),
                RedemptionKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::wire::test_support::{error, ok, t};

    fn balance(json: &str) -> CreditBalance {
        ok(parse_balance, json)
    }

    /// A balance of 1 credit with `fields`.
    fn balance_with(fields: &str) -> CreditBalance {
        balance(&format!(r#"{{"balance_credits": 1, {fields}}}"#))
    }

    /// The one bucket of a balance made of `fields`.
    fn bucket(fields: &str) -> CreditBucket {
        let b = balance_with(&format!(r#""buckets": [{{{fields}}}]"#));
        assert_eq!(b.buckets.len(), 1);
        b.buckets.into_iter().next().unwrap()
    }

    fn page(json: &str) -> LedgerPage {
        ok(parse_ledger_page, json)
    }

    /// The one entry of a page made of `fields`.
    fn entry(fields: &str) -> LedgerEntry {
        let p = page(&format!(r#"{{"entries": [{{{fields}}}]}}"#));
        assert_eq!(p.entries.len(), 1);
        p.entries.into_iter().next().unwrap()
    }

    fn estimate(json: &str) -> f64 {
        ok(parse_estimate, json)
    }

    fn redemption(json: &str) -> Redemption {
        ok(parse_redemption, json)
    }

    // The wire the reference SDK's code means to read (§7.2): no example is
    // given, so these are made of the fields it names.

    const BALANCE: &str = r#"{"client_id": "cl_8812", "balance_credits": 1250.5, "warning_low": false,
 "buckets": [{"source_type": "grant", "balance": 250.5, "expires_at": "2025-02-01T00:00:00Z"},
  {"source_type": "purchase", "balance": 1000, "expires_at": null}]}"#;

    const LEDGER: &str = r#"{"entries": [
 {"ledger_id": "led_2", "entry_type": "usage", "delta": -1.25, "metric_type": "llm_input_tokens",
  "category": "context", "created_at": "2025-01-15T10:42:00Z"},
 {"ledger_id": "led_1", "entry_type": "redeem", "delta": 500, "created_at": "2025-01-15T10:41:02Z"}],
 "total": 2, "limit": 100, "offset": 0}"#;

    const ESTIMATE: &str = r#"{"credits_estimate": 0.75}"#;

    const REDEMPTION: &str = r#"{"redemption_id": "red_51", "credits_granted": 500, "new_balance_credits": 1750.5,
 "expires_at": "2025-02-01T00:00:00Z"}"#;

    // The balance.

    #[test]
    fn balance_example() {
        let b = balance(BALANCE);
        assert_eq!(
            b,
            CreditBalance {
                client_id: t("cl_8812"),
                balance_credits: 1250.5,
                warning_low: Some(false),
                buckets: vec![
                    CreditBucket {
                        source_type: t("grant"),
                        balance: Some(250.5),
                        expires_at_us: Some(1_738_368_000_000_000),
                    },
                    CreditBucket { source_type: t("purchase"), balance: Some(1000.0), expires_at_us: None },
                ],
            }
        );
        assert_eq!(CreditBalance::from_json(BALANCE.as_bytes()).unwrap(), b);
    }

    #[test]
    fn balance_nulls_wrong_types_and_nul_are_absent() {
        let only = CreditBalance { balance_credits: 1.0, ..Default::default() };
        assert_eq!(balance(r#"{"balance_credits": 1}"#), only);
        assert_eq!(balance_with(r#""client_id": null, "warning_low": null, "buckets": null"#), only);
        assert_eq!(balance_with(r#""client_id": 8812, "warning_low": "perhaps", "extra": {"a": [1]}"#), only);
        assert_eq!(balance_with(r#""client_id": "cl\u0000""#), only);
        let b = balance_with(r#""warning_low": "true", "buckets": []"#);
        assert_eq!((b.warning_low, b.buckets.len()), (Some(true), 0));
        assert_eq!(balance_with(r#""warning_low": 0"#).warning_low, Some(false));
        let nulls = r#""source_type": null, "balance": null, "expires_at": null"#;
        assert_eq!(bucket(nulls), CreditBucket::default());
        let wrong = r#""source_type": 1, "balance": "lots", "expires_at": "next month""#;
        assert_eq!(bucket(wrong), CreditBucket::default());
        let lax = r#""source_type": "grant\u0000", "balance": " 2.5 ", "expires_at": 1738368000"#;
        assert_eq!(bucket(lax), CreditBucket { balance: Some(2.5), ..Default::default() });
    }

    #[test]
    fn balance_credits_is_required() {
        let credits = |v: &str| balance(&format!(r#"{{"balance_credits": {v}}}"#)).balance_credits;
        assert_eq!(credits("0"), 0.0);
        assert_eq!(credits("-3.5"), -3.5);
        assert_eq!(credits(r#""12.25""#), 12.25);
        assert_eq!(credits("18446744073709551615"), u64::MAX as f64);
        let cases: &[(&str, &str)] = &[
            ("{}", "field `balance_credits` is missing"),
            (r#"{"client_id": "c", "warning_low": true}"#, "field `balance_credits` is missing"),
            (r#"{"balance_credits": null}"#, "field `balance_credits` is missing"),
            (r#"{"balance_credits": 1, "balance_credits": null}"#, "field `balance_credits` is missing"),
            (r#"{"balance_credits": "lots"}"#, "field `balance_credits` must be a number, got the string \"lots\""),
            (r#"{"balance_credits": "NaN"}"#, "field `balance_credits` must be a number, got the string \"NaN\""),
            (r#"{"balance_credits": true}"#, "field `balance_credits` must be a number, got the boolean true"),
            (r#"{"balance_credits": [1]}"#, "field `balance_credits` must be a number, got an array"),
            (r#"{"balance_credits": {"value": 1}}"#, "field `balance_credits` must be a number, got an object"),
            (r#"{"balance_credits": "1\u0000"}"#, "field `balance_credits` must be a number, got the string \"1 \""),
        ];
        for (body, detail) in cases {
            assert_eq!(
                error(parse_balance, body.as_bytes()),
                format!("invalid credit balance response: {detail}"),
                "{body}"
            );
        }
    }

    #[test]
    fn balance_structure_errors_name_the_path() {
        let cases: &[(&str, &str)] = &[
            (r#"{"balance_credits": 1, "buckets": {}}"#, "buckets is not an array"),
            (r#"{"balance_credits": 1, "buckets": "grant"}"#, "buckets is not an array"),
            (r#"{"balance_credits": 1, "buckets": [{}, {}, 3]}"#, "buckets[2] is not an object"),
            (r#"{"balance_credits": 1, "buckets": [null]}"#, "buckets[0] is not an object"),
            // The structure fails before the balance is looked at.
            (r#"{"buckets": [[]]}"#, "buckets[0] is not an object"),
        ];
        for (body, path) in cases {
            assert_eq!(error(parse_balance, body.as_bytes()), format!("invalid credit balance response: {path}"));
        }
    }

    // A page of the ledger.

    #[test]
    fn ledger_example() {
        let p = page(LEDGER);
        assert_eq!(
            p,
            LedgerPage {
                entries: vec![
                    LedgerEntry {
                        ledger_id: t("led_2"),
                        entry_type: t("usage"),
                        delta: Some(-1.25),
                        metric_type: t("llm_input_tokens"),
                        category: t("context"),
                        created_at_us: Some(1_736_937_720_000_000),
                    },
                    LedgerEntry {
                        ledger_id: t("led_1"),
                        entry_type: t("redeem"),
                        delta: Some(500.0),
                        created_at_us: Some(1_736_937_662_000_000),
                        ..Default::default()
                    },
                ],
                total: Some(2),
                limit: Some(100),
                offset: Some(0),
            }
        );
        assert_eq!(LedgerPage::from_json(LEDGER.as_bytes()).unwrap(), p);
    }

    #[test]
    fn ledger_nulls_wrong_types_and_nul_are_absent() {
        // No defaults: the reference SDK's total 0 and the request's limit
        // and offset are not made up.
        assert_eq!(page("{}"), LedgerPage::default());
        let nulls = r#"{"entries": null, "total": null, "limit": null, "offset": null}"#;
        assert_eq!(page(nulls), LedgerPage::default());
        let wrong = r#"{"total": "many", "limit": 2.5, "offset": [0], "next": "/v1/credits/ledger?offset=100"}"#;
        assert_eq!(page(wrong), LedgerPage::default());
        let p = page(r#"{"total": "7", "limit": 50.0, "offset": " 100 "}"#);
        assert_eq!((p.total, p.limit, p.offset), (Some(7), Some(50), Some(100)));
        let nulls = r#""ledger_id": null, "entry_type": null, "delta": null, "metric_type": null, "category": null,
            "created_at": null"#;
        assert_eq!(entry(nulls), LedgerEntry::default());
        // An id sent as a number is absent, as any text of the wrong type.
        let wrong = r#""ledger_id": 2, "entry_type": ["usage"], "delta": "minus one", "metric_type": {},
            "category": false, "created_at": "now""#;
        assert_eq!(entry(wrong), LedgerEntry::default());
        let e = entry(r#""ledger_id": "l\u0000", "category": "\u0000", "delta": "-0.5", "entry_type": "grant""#);
        assert_eq!(e, LedgerEntry { delta: Some(-0.5), entry_type: t("grant"), ..Default::default() });
    }

    #[test]
    fn ledger_structure_errors_name_the_path() {
        let cases: &[(&str, &str)] = &[
            (r#"{"entries": {}}"#, "entries is not an array"),
            (r#"{"entries": 1}"#, "entries is not an array"),
            (r#"{"entries": [{}, "led_1"]}"#, "entries[1] is not an object"),
            (r#"{"entries": [null]}"#, "entries[0] is not an object"),
        ];
        for (body, path) in cases {
            assert_eq!(error(parse_ledger_page, body.as_bytes()), format!("invalid credit ledger response: {path}"));
        }
    }

    // An estimate.

    #[test]
    fn estimate_is_required() {
        assert_eq!(estimate(ESTIMATE), 0.75);
        assert_eq!(estimate(r#"{"credits_estimate": 3, "currency": "credits"}"#), 3.0);
        assert_eq!(estimate(r#"{"credits_estimate": "0.5"}"#), 0.5);
        assert_eq!(estimate(r#"{"credits_estimate": null, "credits_estimate": 2}"#), 2.0);
        let cases: &[(&str, &str)] = &[
            ("{}", "field `credits_estimate` is missing"),
            (r#"{"credits_estimate": null}"#, "field `credits_estimate` is missing"),
            (r#"{"estimate": 1}"#, "field `credits_estimate` is missing"),
            (r#"{"credits_estimate": "free"}"#, "field `credits_estimate` must be a number, got the string \"free\""),
            (r#"{"credits_estimate": false}"#, "field `credits_estimate` must be a number, got the boolean false"),
            (r#"{"credits_estimate": {"credits": 1}}"#, "field `credits_estimate` must be a number, got an object"),
        ];
        for (body, detail) in cases {
            assert_eq!(
                error(parse_estimate, body.as_bytes()),
                format!("invalid credit estimate response: {detail}"),
                "{body}"
            );
        }
    }

    // A redeemed code.

    #[test]
    fn redemption_example() {
        let r = redemption(REDEMPTION);
        assert_eq!(
            r,
            Redemption {
                redemption_id: t("red_51"),
                credits_granted: Some(500.0),
                new_balance_credits: Some(1750.5),
                expires_at_us: Some(1_738_368_000_000_000),
            }
        );
        assert_eq!(Redemption::from_json(REDEMPTION.as_bytes()).unwrap(), r);
    }

    #[test]
    fn redemption_nulls_wrong_types_and_nul_are_absent() {
        assert_eq!(redemption("{}"), Redemption::default());
        let nulls =
            r#"{"redemption_id": null, "credits_granted": null, "new_balance_credits": null, "expires_at": null}"#;
        assert_eq!(redemption(nulls), Redemption::default());
        let wrong = r#"{"redemption_id": 51, "credits_granted": "five hundred", "new_balance_credits": [1],
            "expires_at": "never"}"#;
        assert_eq!(redemption(wrong), Redemption::default());
        let r = redemption(r#"{"redemption_id": "r\u0000", "credits_granted": "500", "expires_at": ""}"#);
        assert_eq!(r, Redemption { credits_granted: Some(500.0), ..Default::default() });
    }

    // Every parser.

    /// Each parser, with the name its messages give the response.
    fn each_parser(check: impl Fn(&str, &dyn Fn(&[u8]) -> Option<Error>)) {
        check("credit balance", &|b| parse_balance(b).err());
        check("credit ledger", &|b| parse_ledger_page(b).err());
        check("credit estimate", &|b| parse_estimate(b).err());
        check("redemption", &|b| parse_redemption(b).err());
    }

    #[test]
    fn malformed_bodies_are_protocol_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"[1, 2]", "the body is not an object"),
            (b"null", "the body is not an object"),
            (b"\"text\"", "the body is not an object"),
            (b"1.5", "the body is not an object"),
            (b"{\"a\": \"\xff\"}", "the body is not UTF-8 (invalid byte at offset 7)"),
            (b"", "EOF while parsing a value at line 1 column 0"),
            (b"{\"a\": ", "EOF while parsing a value at line 1 column 6"),
            (b"{} {}", "trailing characters at line 1 column 4"),
            (
                b"{\"a\": \"\x01\"}",
                "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 7",
            ),
        ];
        each_parser(|what, parse| {
            for (body, detail) in cases {
                let e = parse(body).unwrap_or_else(|| panic!("{what}: {}", String::from_utf8_lossy(body)));
                assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
                assert_eq!(e.message(), format!("invalid {what} response: {detail}"));
            }
        });
        for body in [LEDGER, REDEMPTION, " {\"unknown\": [1, {\"x\": null}]} "] {
            assert!(parse_ledger_page(body.as_bytes()).is_ok() && parse_redemption(body.as_bytes()).is_ok());
        }
    }

    #[test]
    fn numbers_beyond_f64_fail_only_where_read() {
        assert_eq!(
            error(parse_estimate, br#"{"credits_estimate": 1e999}"#),
            "invalid credit estimate response: number out of range at line 1 column 26"
        );
        assert_eq!(estimate(r#"{"other": 1e999, "credits_estimate": 1}"#), 1.0);
        // A string is not a JSON number: out of range, it is not a number.
        assert_eq!(redemption(r#"{"credits_granted": "1e999"}"#).credits_granted, None);
    }

    #[test]
    fn deep_values_are_skipped() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let b = balance(&format!(
            r#"{{"balance_credits": 2, "client_id": {deep}, "buckets": [{{"balance": {deep}, "x": {deep}}}], "y": {deep}}}"#
        ));
        assert_eq!(b.buckets, [CreditBucket::default()]);
        assert_eq!(
            error(parse_balance, format!(r#"{{"balance_credits": {deep}}}"#).as_bytes()),
            "invalid credit balance response: field `balance_credits` must be a number, got an array"
        );
        let p = page(&format!(r#"{{"entries": [{{"delta": {deep}}}], "total": {deep}}}"#));
        assert_eq!((p.entries, p.total), (vec![LedgerEntry::default()], None));
        assert_eq!(redemption(&format!(r#"{{"expires_at": {deep}}}"#)), Redemption::default());
        assert_eq!(estimate(&format!(r#"{{"credits_estimate": 1, "z": {deep}}}"#)), 1.0);
    }
}
