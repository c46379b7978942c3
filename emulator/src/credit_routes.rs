//! The four credits routes (contract part 2, section 7.2):
//! `GET /v1/credits/balance`, `GET /v1/credits/ledger`,
//! `POST /v1/credits/estimate` and `POST /v1/credits/redeem`.
//!
//! Estimates are `units` times the rate of their `metric_type` (credits per
//! unit, [`rate`]); `item_count`, `endpoint` and `mode` are accepted and
//! change nothing. Redeem codes look like `SYN-XXXX-XXXX-XXXX-X` (letters
//! and digits; trimmed and upper-cased first): a malformed one is 422, an
//! unknown one 400, one already redeemed 402.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::body_check::Fields;
use crate::credits::{LOW_BALANCE, RedeemRefusal};
use crate::http::{Request, Response, query_param};
use crate::messages::query_int;
use crate::state::{State, lock};
use crate::timefmt;
use crate::validate::{self, FieldError};

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 500;

/// Credits per unit of a metric; any other metric costs [`OTHER_RATE`].
const RATES: [(&str, f64); 6] = [
    ("documents", 1.0),
    ("documents_ingested", 1.0),
    ("context_fetches", 0.1),
    ("llm_input_tokens", 0.001),
    ("llm_output_tokens", 0.004),
    ("embedding_tokens", 0.0001),
];
const OTHER_RATE: f64 = 0.01;

pub(crate) fn rate(metric_type: &str) -> f64 {
    RATES.iter().find(|(m, _)| *m == metric_type).map_or(OTHER_RATE, |(_, r)| *r)
}

pub(crate) fn balance(state: &State) -> Response {
    let account = lock(&state.credits);
    let balance = account.balance();
    let buckets: Vec<Value> = account
        .buckets()
        .map(|b| json!({"source_type": b.source_type, "balance": b.balance, "expires_at": null}))
        .collect();
    Response::json(
        200,
        &json!({
            "client_id": state.config.client_id,
            "balance_credits": balance,
            "warning_low": balance < LOW_BALANCE,
            "buckets": buckets,
        }),
    )
}

/// `?limit=1..500&offset=0..[&entry_type=T][&from=ISO][&to=ISO]`: newest
/// first; `from` inclusive, `to` exclusive.
pub(crate) fn ledger(state: &State, req: &Request) -> Response {
    let query = req.query.as_deref();
    let mut errors = Vec::new();
    let limit = query_int(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, &mut errors);
    let offset = query_int(query, "offset", 0, 0, usize::MAX, &mut errors);
    let from = time_param(query, "from", &mut errors);
    let to = time_param(query, "to", &mut errors);
    if !errors.is_empty() {
        return validate::unprocessable(&errors);
    }
    let entry_type = query_param(query, "entry_type");
    let fmt = state.time_format();
    let account = lock(&state.credits);
    let matching: Vec<_> = account
        .ledger()
        .filter(|e| entry_type.as_deref().is_none_or(|t| e.entry_type == t))
        .filter(|e| from.is_none_or(|f| e.created_at >= f) && to.is_none_or(|t| e.created_at < t))
        .collect();
    let entries: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|e| {
            let mut row = serde_json::to_value(e).expect("ledger rows serialize");
            row["created_at"] = json!(timefmt::format(e.created_at, fmt));
            row
        })
        .collect();
    Response::json(200, &json!({"entries": entries, "total": matching.len(), "limit": limit, "offset": offset}))
}

fn time_param(query: Option<&str>, name: &str, errors: &mut Vec<FieldError>) -> Option<Timestamp> {
    let raw = query_param(query, name)?;
    let parsed = timefmt::parse(&raw);
    if parsed.is_none() {
        let msg = "Input should be a valid datetime or date, not an ISO 8601 datetime";
        errors.push(FieldError::new(vec![json!("query"), json!(name)], "datetime_from_date_parsing", msg, &json!(raw)));
    }
    parsed
}

/// `{"metric_type", "units", "item_count", "endpoint", "mode"}`: the first
/// two required, `units` a number of at least 0.
pub(crate) fn estimate(req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let mut f = match Fields::of(&body, &[json!("body")]) {
        Ok(f) => f,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let metric_type = f.required_string("metric_type");
    let units = match f.obj.get("units") {
        None => {
            f.fail("units", "missing", "Field required", &body);
            None
        }
        Some(v @ Value::Number(n)) => match n.as_f64() {
            Some(u) if u >= 0.0 => Some(u),
            _ => {
                let err = FieldError::new(
                    f.loc("units"),
                    "greater_than_equal",
                    "Input should be greater than or equal to 0",
                    v,
                );
                f.errors.push(FieldError { ctx: Some(json!({"ge": 0})), ..err });
                None
            }
        },
        Some(v) => {
            let v = v.clone();
            f.fail("units", "float_type", "Input should be a valid number", &v);
            None
        }
    };
    f.optional_int("item_count", 0);
    f.optional_string("endpoint");
    f.optional_string("mode");
    match f.finish((metric_type, units)) {
        Ok((Some(metric_type), Some(units))) => {
            let credits = (units * rate(&metric_type) * 1e6).round() / 1e6;
            Response::json(200, &json!({"credits_estimate": credits}))
        }
        Ok(_) => unreachable!("a missing field is an error"),
        Err(errors) => validate::unprocessable(&errors),
    }
}

/// Whether `code` has the `SYN-XXXX-XXXX-XXXX-X` shape.
fn well_formed(code: &str) -> bool {
    let groups: Vec<&str> = code.split('-').collect();
    let alnum = |g: &str| g.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    matches!(groups[..], ["SYN", a, b, c, d] if [a, b, c].iter().all(|g| g.len() == 4 && alnum(g)) && d.len() == 1 && alnum(d))
}

pub(crate) fn redeem(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let mut f = match Fields::of(&body, &[json!("body")]) {
        Ok(f) => f,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let code = f.required_string("code").map(|c| c.trim().to_ascii_uppercase());
    if let Some(c) = code.as_ref().filter(|c| !well_formed(c)) {
        let err = FieldError::new(
            f.loc("code"),
            "string_pattern_mismatch",
            "String should match pattern '^SYN-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]$'",
            &json!(c),
        );
        f.errors.push(FieldError {
            ctx: Some(json!({"pattern": "^SYN-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]$"})),
            ..err
        });
    }
    let code = match f.finish(code) {
        Ok(Some(code)) => code,
        Ok(None) => unreachable!("a missing field is an error"),
        Err(errors) => return validate::unprocessable(&errors),
    };
    match lock(&state.credits).redeem(&code) {
        Ok(r) => Response::json(
            200,
            &json!({
                "redemption_id": r.redemption_id,
                "credits_granted": r.credits,
                "new_balance_credits": r.new_balance,
                "expires_at": null,
            }),
        ),
        Err(RedeemRefusal::Unknown) => Response::detail(400, "Unknown redeem code"),
        Err(RedeemRefusal::AlreadyRedeemed) => Response::json(
            402,
            &json!({"detail": {"reason": "code_already_redeemed", "message": format!("Code {code} has already been redeemed")}}),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_shapes() {
        assert!(well_formed("SYN-TEST-CODE-0001-A"));
        for bad in ["SYN-TEST-CODE-0001", "SYN-TEST-CODE-0001-AB", "XYZ-TEST-CODE-0001-A", "SYN-test-CODE-0001-A", ""] {
            assert!(!well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn rates() {
        assert_eq!(rate("documents"), 1.0);
        assert_eq!(rate("llm_input_tokens") * 1000.0, 1.0);
        assert_eq!(rate("anything"), OTHER_RATE);
    }
}
