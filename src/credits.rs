//! What the credits routes answer (contract part 2, §7.2): the balance, a
//! page of the ledger, an estimate and a redeemed code.
//!
//! The reference SDK has never sent these requests (its methods fail
//! before any), so their wire format is the one its code means to read,
//! not one observed. The answers are read by the tolerance rules of the
//! context answers (see [`crate::context`]); the one number each call
//! exists for is required.

use crate::text::Text;

/// The account's credit balance (`GET /v1/credits/balance`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreditBalance {
    /// The account.
    pub client_id: Option<Text>,
    /// Credits left (required).
    pub balance_credits: f64,
    /// The balance is low.
    pub warning_low: Option<bool>,
    /// Where the credits come from.
    pub buckets: Vec<CreditBucket>,
}

impl CreditBalance {
    /// Reads the response body of `GET /v1/credits/balance` (contract part
    /// 2, §7.2). Every field but `balance_credits` is optional, with no
    /// default filled in. Fails with
    /// [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) for a body that
    /// is not a JSON object, `balance_credits` absent, null or not a number
    /// (a string holding one is read), `buckets` that is not an array or a
    /// bucket that is not an object (`buckets[1] is not an object`).
    pub fn from_json(body: &[u8]) -> Result<CreditBalance, crate::Error> {
        crate::wire::credits::parse_balance(body)
    }
}

/// One source of credits in a balance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreditBucket {
    /// What granted them (`grant`, `purchase`, ...).
    pub source_type: Option<Text>,
    /// Credits left in it.
    pub balance: Option<f64>,
    /// When they expire, Unix µs UTC.
    pub expires_at_us: Option<i64>,
}

/// One page of the credit ledger (`GET /v1/credits/ledger`), newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LedgerPage {
    /// The rows of this page.
    pub entries: Vec<LedgerEntry>,
    /// Rows matching the query, over all pages.
    pub total: Option<i64>,
    /// The page size the service used.
    pub limit: Option<i64>,
    /// The offset of this page.
    pub offset: Option<i64>,
}

impl LedgerPage {
    /// Reads a page of `GET /v1/credits/ledger` (contract part 2, §7.2).
    /// No default is filled in: an absent `total`, `limit` or `offset` is
    /// `None`, and an unparsable `created_at` is `None`, not the time it was
    /// read. Fails with [`ErrorKind::Protocol`](crate::ErrorKind::Protocol)
    /// for a body that is not a JSON object, `entries` that is not an array
    /// or an entry that is not an object (`entries[2] is not an object`).
    pub fn from_json(body: &[u8]) -> Result<LedgerPage, crate::Error> {
        crate::wire::credits::parse_ledger_page(body)
    }
}

/// One row of the credit ledger.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LedgerEntry {
    /// The row's id.
    pub ledger_id: Option<Text>,
    /// What kind of entry (`usage`, `redeem`, `grant`, ...).
    pub entry_type: Option<Text>,
    /// Credits added (positive) or spent (negative).
    pub delta: Option<f64>,
    /// What was metered.
    pub metric_type: Option<Text>,
    /// The usage category.
    pub category: Option<Text>,
    /// When, Unix µs UTC.
    pub created_at_us: Option<i64>,
}

/// A redeemed code (`POST /v1/credits/redeem`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Redemption {
    /// The redemption's id.
    pub redemption_id: Option<Text>,
    /// Credits the code granted.
    pub credits_granted: Option<f64>,
    /// The balance after it.
    pub new_balance_credits: Option<f64>,
    /// When the granted credits expire, Unix µs UTC.
    pub expires_at_us: Option<i64>,
}

impl Redemption {
    /// Reads the response body of `POST /v1/credits/redeem` (contract part
    /// 2, §7.2). Every field is optional, with no default filled in. Fails
    /// with [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) only for a
    /// body that is not a JSON object.
    pub fn from_json(body: &[u8]) -> Result<Redemption, crate::Error> {
        crate::wire::credits::parse_redemption(body)
    }
}

/// Reads the response body of `POST /v1/credits/estimate` (contract part 2,
/// §7.2): the credits the work would cost, its `credits_estimate`. Fails
/// with [`ErrorKind::Protocol`](crate::ErrorKind::Protocol) for a body that
/// is not a JSON object, or whose `credits_estimate` is absent, null or not
/// a number (a string holding one is read).
pub fn credits_estimate_from_json(body: &[u8]) -> Result<f64, crate::Error> {
    crate::wire::credits::parse_estimate(body)
}
