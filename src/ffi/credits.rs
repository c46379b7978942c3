//! Credits from C: the balance, a page of the ledger
//! (`SynapLedgerQuery`), an estimate (`SynapEstimateRequest`) and a redeemed
//! code.
//!
//! These four calls follow an unconfirmed wire format: the reference SDK has
//! never sent them (its methods fail before any request), so libsynap sends
//! and reads what that SDK's code describes.

use std::ffi::c_char;

use super::client::SynapClient;
use super::cstr::{arg, string};
use super::error::SynapCode;
use super::guard::{Handle, configure, entry, free, get, make, optional, produce, text};
use crate::error::Error;
use crate::{CreditBalance, EstimateRequest, LedgerPage, LedgerQuery, Redemption};

/// The account's credit balance, from `synap_credits_balance()`.
///
/// Freed by `synap_credit_balance_free()`. Immutable.
pub struct SynapCreditBalance {
    inner: CreditBalance,
}

impl Handle for SynapCreditBalance {
    const NAME: &'static str = "SynapCreditBalance";
}

/// The account's credit balance (`GET /v1/credits/balance`).
///
/// - `out_balance`: receives the balance on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_credit_balance_free()`.
///
/// Retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
/// `SYNAP_AUTH`; `SYNAP_PROTOCOL` (no balance in the answer); or the transport
/// codes. Unconfirmed wire format: the reference SDK has never sent this
/// request; libsynap sends and reads what that SDK's code describes (contract
/// part 2, §7.2).
///
/// # Safety
/// `client` is NULL or a live handle; `out_balance` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credits_balance(
    client: *const SynapClient,
    out_balance: *mut *mut SynapCreditBalance,
) -> SynapCode {
    produce(out_balance, "out_balance", || {
        Ok(SynapCreditBalance { inner: arg(client, "client")?.inner.credits_balance()? })
    })
}

/// Frees a balance. NULL is ignored.
///
/// # Safety
/// `balance` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_free(balance: *mut SynapCreditBalance) {
    free(balance)
}

/// Credits left; 0 if `balance` is NULL.
///
/// # Safety
/// `balance` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_credits(balance: *const SynapCreditBalance) -> f64 {
    get(balance, 0.0, |x| x.inner.balance_credits)
}

/// The account. NULL when absent. Owned by `balance`.
///
/// # Safety
/// `balance` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_client_id(balance: *const SynapCreditBalance) -> *const c_char {
    text(balance, |x| &x.inner.client_id)
}

/// Whether the service warns that the balance is low. False if `balance` is
/// NULL.
///
/// # Safety
/// `balance` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_warning_low(balance: *const SynapCreditBalance) -> bool {
    get(balance, false, |x| x.inner.warning_low == Some(true))
}

/// How many sources of credits the balance lists. 0 if `balance` is NULL.
///
/// # Safety
/// `balance` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_bucket_count(balance: *const SynapCreditBalance) -> usize {
    get(balance, 0, |x| x.inner.buckets.len())
}

/// What granted bucket `index` (`grant`, `purchase`, ...). NULL past the end or
/// when absent. Owned by `balance`.
///
/// # Safety
/// `balance` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_bucket_source_type(
    balance: *const SynapCreditBalance,
    index: usize,
) -> *const c_char {
    text(balance, |x| x.inner.buckets.get(index).and_then(|b| b.source_type.as_ref()))
}

/// Credits left in bucket `index`. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, past the end, when absent or if a pointer is
/// NULL.
///
/// # Safety
/// `balance` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_bucket_credits(
    balance: *const SynapCreditBalance,
    index: usize,
    out: *mut f64,
) -> bool {
    optional(balance, out, |x| x.inner.buckets.get(index).and_then(|b| b.balance))
}

/// When bucket `index`'s credits expire, Unix microseconds UTC. Returns true
/// and writes `*out` when present; false, leaving `*out` alone, past the end,
/// when absent or if a pointer is NULL.
///
/// # Safety
/// `balance` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credit_balance_bucket_expires_at_us(
    balance: *const SynapCreditBalance,
    index: usize,
    out: *mut i64,
) -> bool {
    optional(balance, out, |x| x.inner.buckets.get(index).and_then(|b| b.expires_at_us))
}

/// Which ledger rows `synap_credits_ledger()` reads: a page of `limit` rows
/// (100 unless set) from `offset` (0), optionally of one entry type and within
/// a time range.
///
/// Made by `synap_ledger_query_new()`, freed by `synap_ledger_query_free()`.
/// Setters check their value and leave the query unchanged when they refuse it.
pub struct SynapLedgerQuery {
    inner: LedgerQuery,
}

impl Handle for SynapLedgerQuery {
    const NAME: &'static str = "SynapLedgerQuery";
}

/// Makes a ledger query for the first 100 rows of any type. Returns NULL only
/// if memory runs out. Free with `synap_ledger_query_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_ledger_query_new() -> *mut SynapLedgerQuery {
    make(|| SynapLedgerQuery { inner: LedgerQuery::new() })
}

/// Frees a ledger query. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_query_free(request: *mut SynapLedgerQuery) {
    free(request)
}

/// Only rows of this entry type (e.g. `usage`, `redeem`); empty clears it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `entry_type` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_query_set_entry_type(
    request: *mut SynapLedgerQuery,
    entry_type: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.entry_type(string(entry_type, "entry_type")?);
        Ok(())
    })
}

/// Only rows at or after this time, Unix microseconds UTC (years 1 to 9999).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_query_set_from_us(request: *mut SynapLedgerQuery, us: i64) -> SynapCode {
    configure(request, "request", |h| h.inner.from_us(us).map(|_| ()))
}

/// Only rows before this time, Unix microseconds UTC (years 1 to 9999).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_query_set_to_us(request: *mut SynapLedgerQuery, us: i64) -> SynapCode {
    configure(request, "request", |h| h.inner.to_us(us).map(|_| ()))
}

/// Rows per page, 1 to 500; 100 unless set.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_query_set_limit(request: *mut SynapLedgerQuery, limit: u32) -> SynapCode {
    configure(request, "request", |h| h.inner.limit(limit).map(|_| ()))
}

/// Rows to skip; 0 unless set.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_query_set_offset(request: *mut SynapLedgerQuery, offset: u64) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.offset(offset);
        Ok(())
    })
}

/// One page of the credit ledger, newest first, from `synap_credits_ledger()`.
///
/// Freed by `synap_ledger_page_free()`. Immutable; strings it returns live as
/// long as it does.
pub struct SynapLedgerPage {
    inner: LedgerPage,
}

impl Handle for SynapLedgerPage {
    const NAME: &'static str = "SynapLedgerPage";
}

/// One page of the credit ledger, newest first (`GET /v1/credits/ledger`).
///
/// - `query`: NULL for the first 100 rows, else from
///   `synap_ledger_query_new()`; only read.
/// - `out_page`: receives the page on `SYNAP_OK`; set to NULL on entry. Free it
///   with `synap_ledger_page_free()`.
///
/// Retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
/// `SYNAP_INVALID_REQUEST`; `SYNAP_AUTH`; or the transport codes. Unconfirmed
/// wire format: the reference SDK has never sent this request; libsynap sends
/// and reads what that SDK's code describes (contract part 2, §7.2).
///
/// # Safety
/// `client` and `query` are NULL or live handles; `out_page` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credits_ledger(
    client: *const SynapClient,
    query: *const SynapLedgerQuery,
    out_page: *mut *mut SynapLedgerPage,
) -> SynapCode {
    produce(out_page, "out_page", || {
        let client = arg(client, "client")?;
        let defaults = LedgerQuery::new();
        let query = query.as_ref().map_or(&defaults, |q| &q.inner);
        Ok(SynapLedgerPage { inner: client.inner.credits_ledger(query)? })
    })
}

/// Frees a ledger page. NULL is ignored.
///
/// # Safety
/// `page` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_free(page: *mut SynapLedgerPage) {
    free(page)
}

/// How many rows the page holds. 0 if `page` is NULL.
///
/// # Safety
/// `page` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_count(page: *const SynapLedgerPage) -> usize {
    get(page, 0, |x| x.inner.entries.len())
}

/// Rows matching the query over all pages. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `page` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_total(page: *const SynapLedgerPage, out: *mut i64) -> bool {
    optional(page, out, |x| x.inner.total)
}

/// The page size the service used. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `page` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_limit(page: *const SynapLedgerPage, out: *mut i64) -> bool {
    optional(page, out, |x| x.inner.limit)
}

/// The offset of this page. Returns true and writes `*out` when present; false,
/// leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `page` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_offset(page: *const SynapLedgerPage, out: *mut i64) -> bool {
    optional(page, out, |x| x.inner.offset)
}

/// Row `index`'s id. NULL past the end or when absent. Owned by `page`.
///
/// # Safety
/// `page` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_entry_id(page: *const SynapLedgerPage, index: usize) -> *const c_char {
    text(page, |x| x.inner.entries.get(index).and_then(|e| e.ledger_id.as_ref()))
}

/// Row `index`'s entry type (`usage`, `redeem`, `grant`, ...). NULL past the
/// end or when absent. Owned by `page`.
///
/// # Safety
/// `page` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_entry_type(page: *const SynapLedgerPage, index: usize) -> *const c_char {
    text(page, |x| x.inner.entries.get(index).and_then(|e| e.entry_type.as_ref()))
}

/// Credits row `index` added (positive) or spent (negative). Returns true and
/// writes `*out` when present; false, leaving `*out` alone, past the end, when
/// absent or if a pointer is NULL.
///
/// # Safety
/// `page` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_entry_delta(
    page: *const SynapLedgerPage,
    index: usize,
    out: *mut f64,
) -> bool {
    optional(page, out, |x| x.inner.entries.get(index).and_then(|e| e.delta))
}

/// What row `index` metered. NULL past the end or when absent. Owned by `page`.
///
/// # Safety
/// `page` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_entry_metric_type(
    page: *const SynapLedgerPage,
    index: usize,
) -> *const c_char {
    text(page, |x| x.inner.entries.get(index).and_then(|e| e.metric_type.as_ref()))
}

/// Row `index`'s usage category. NULL past the end or when absent. Owned by
/// `page`.
///
/// # Safety
/// `page` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_entry_category(page: *const SynapLedgerPage, index: usize) -> *const c_char {
    text(page, |x| x.inner.entries.get(index).and_then(|e| e.category.as_ref()))
}

/// When row `index` was written, Unix microseconds UTC. Returns true and writes
/// `*out` when present; false, leaving `*out` alone, past the end, when absent
/// or if a pointer is NULL.
///
/// # Safety
/// `page` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ledger_page_entry_created_at_us(
    page: *const SynapLedgerPage,
    index: usize,
    out: *mut i64,
) -> bool {
    optional(page, out, |x| x.inner.entries.get(index).and_then(|e| e.created_at_us))
}

/// What `synap_credits_estimate()` prices: a metric type and a number of units,
/// optionally an item count, an endpoint and a mode.
///
/// Made by `synap_estimate_request_new()`, freed by
/// `synap_estimate_request_free()`. Setters copy their strings, check their
/// value and leave the request unchanged when they refuse it.
pub struct SynapEstimateRequest {
    inner: EstimateRequest,
}

impl Handle for SynapEstimateRequest {
    const NAME: &'static str = "SynapEstimateRequest";
}

/// Makes an empty estimate request. Returns NULL only if memory runs out. Free
/// with `synap_estimate_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_estimate_request_new() -> *mut SynapEstimateRequest {
    make(|| SynapEstimateRequest { inner: EstimateRequest::new() })
}

/// Frees a estimate request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_estimate_request_free(request: *mut SynapEstimateRequest) {
    free(request)
}

/// Sets what is metered, e.g. `llm_input_tokens` (required). Refused if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `metric_type` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_estimate_request_set_metric_type(
    request: *mut SynapEstimateRequest,
    metric_type: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.metric_type(string(metric_type, "metric_type")?).map(|_| ()))
}

/// Sets how many units (required): finite and not negative.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_estimate_request_set_units(request: *mut SynapEstimateRequest, units: f64) -> SynapCode {
    configure(request, "request", |h| h.inner.units(units).map(|_| ()))
}

/// Sets how many items the units are spread over.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_estimate_request_set_item_count(
    request: *mut SynapEstimateRequest,
    count: u64,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.item_count(count);
        Ok(())
    })
}

/// Sets the route the usage would go to; empty clears it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `endpoint` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_estimate_request_set_endpoint(
    request: *mut SynapEstimateRequest,
    endpoint: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.endpoint(string(endpoint, "endpoint")?);
        Ok(())
    })
}

/// Sets the mode the usage would run in (e.g. `fast`); empty clears it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_estimate_request_set_mode(
    request: *mut SynapEstimateRequest,
    mode: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.mode(string(mode, "mode")?);
        Ok(())
    })
}

/// What a usage would cost, in credits (`POST /v1/credits/estimate`).
///
/// - `request`: from `synap_estimate_request_new()` with its metric type and
///   units set; only read.
/// - `out_credits`: receives the estimate on `SYNAP_OK`; left alone otherwise.
///
/// Changes nothing, so it is retried as reads are. Returns `SYNAP_OK`;
/// `SYNAP_INVALID_ARGUMENT`; `SYNAP_INVALID_REQUEST`; `SYNAP_PROTOCOL` (no
/// estimate in the answer); or the transport codes. Unconfirmed wire format:
/// the reference SDK has never sent this request; libsynap sends and reads what
/// that SDK's code describes (contract part 2, §7.2).
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_credits` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credits_estimate(
    client: *const SynapClient,
    request: *const SynapEstimateRequest,
    out_credits: *mut f64,
) -> SynapCode {
    entry(|| {
        if out_credits.is_null() {
            return Err(Error::invalid_argument("out_credits is NULL"));
        }
        let estimate = arg(client, "client")?.inner.credits_estimate(&arg(request, "request")?.inner)?;
        *out_credits = estimate;
        Ok(())
    })
}

/// A redeemed credit code, from `synap_credits_redeem()`.
///
/// Freed by `synap_redemption_free()`. Immutable.
pub struct SynapRedemption {
    inner: Redemption,
}

impl Handle for SynapRedemption {
    const NAME: &'static str = "SynapRedemption";
}

/// Redeems a credit code (`POST /v1/credits/redeem`).
///
/// - `code`: the code, e.g. `SYN-XXXX-XXXX-XXXX-X`; white space around it is
///   ignored.
/// - `out_redemption`: receives what the code granted on `SYNAP_OK`; set to
///   NULL on entry. Free it with `synap_redemption_free()`.
///
/// Not idempotent: resent only when the failure proves it had no effect.
/// Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`; `SYNAP_INVALID_REQUEST` (a
/// malformed or unknown code); `SYNAP_INSUFFICIENT_CREDITS` (a code already
/// redeemed, expired or exhausted); or the transport codes. Unconfirmed wire
/// format: the reference SDK has never sent this request; libsynap sends and
/// reads what that SDK's code describes (contract part 2, §7.2).
///
/// # Safety
/// `client` is NULL or a live handle; `code` is NULL or NUL-terminated;
/// `out_redemption` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_credits_redeem(
    client: *const SynapClient,
    code: *const c_char,
    out_redemption: *mut *mut SynapRedemption,
) -> SynapCode {
    produce(out_redemption, "out_redemption", || {
        let client = arg(client, "client")?;
        Ok(SynapRedemption { inner: client.inner.credits_redeem(string(code, "code")?)? })
    })
}

/// Frees a redemption. NULL is ignored.
///
/// # Safety
/// `redemption` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_redemption_free(redemption: *mut SynapRedemption) {
    free(redemption)
}

/// The redemption's id. NULL when absent. Owned by `redemption`.
///
/// # Safety
/// `redemption` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_redemption_id(redemption: *const SynapRedemption) -> *const c_char {
    text(redemption, |x| &x.inner.redemption_id)
}

/// Credits the code granted. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `redemption` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_redemption_credits_granted(redemption: *const SynapRedemption, out: *mut f64) -> bool {
    optional(redemption, out, |x| x.inner.credits_granted)
}

/// The balance after the code. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `redemption` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_redemption_new_balance(redemption: *const SynapRedemption, out: *mut f64) -> bool {
    optional(redemption, out, |x| x.inner.new_balance_credits)
}

/// When the granted credits expire, Unix microseconds UTC. Returns true and
/// writes `*out` when present; false, leaving `*out` alone, when absent or a
/// pointer is NULL.
///
/// # Safety
/// `redemption` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_redemption_expires_at_us(redemption: *const SynapRedemption, out: *mut i64) -> bool {
    optional(redemption, out, |x| x.inner.expires_at_us)
}
