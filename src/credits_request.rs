//! What the credits calls send (contract part 2, §7.2): a ledger query and
//! an estimate request. Each value is checked where it is set.

use serde_json::{Value, json};

use crate::error::Error;
use crate::request_fields::{missing, non_empty, rfc3339};
use crate::url::push_encoded;

/// The most rows one ledger page may ask for.
pub const MAX_LEDGER_PAGE: u32 = 500;

/// Which ledger rows to read
/// ([`Client::credits_ledger`](crate::Client::credits_ledger)): a page of
/// `limit` rows from `offset`, optionally of one entry type and within a
/// time range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerQuery {
    entry_type: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: u32,
    offset: u64,
}

impl Default for LedgerQuery {
    fn default() -> Self {
        LedgerQuery { entry_type: None, from: None, to: None, limit: 100, offset: 0 }
    }
}

impl LedgerQuery {
    /// The first 100 rows of any type.
    pub fn new() -> LedgerQuery {
        LedgerQuery::default()
    }

    /// Only rows of this entry type; empty clears it.
    pub fn entry_type(&mut self, entry_type: &str) -> &mut Self {
        self.entry_type = (!entry_type.is_empty()).then(|| entry_type.to_owned());
        self
    }

    /// Only rows at or after this time, Unix µs UTC.
    pub fn from_us(&mut self, us: i64) -> Result<&mut Self, Error> {
        self.from = Some(rfc3339("from", us)?);
        Ok(self)
    }

    /// Only rows before this time, Unix µs UTC.
    pub fn to_us(&mut self, us: i64) -> Result<&mut Self, Error> {
        self.to = Some(rfc3339("to", us)?);
        Ok(self)
    }

    /// Rows per page, 1 to [`MAX_LEDGER_PAGE`]; 100 unless set.
    pub fn limit(&mut self, limit: u32) -> Result<&mut Self, Error> {
        if !(1..=MAX_LEDGER_PAGE).contains(&limit) {
            return Err(Error::invalid_argument(format!("limit must be between 1 and {MAX_LEDGER_PAGE}, not {limit}")));
        }
        self.limit = limit;
        Ok(self)
    }

    /// Rows to skip; 0 unless set.
    pub fn offset(&mut self, offset: u64) -> &mut Self {
        self.offset = offset;
        self
    }

    /// The query string, from `?`: `limit` and `offset` always, the rest
    /// when set.
    pub(crate) fn to_query(&self) -> String {
        let mut query = format!("?limit={}&offset={}", self.limit, self.offset);
        for (key, value) in [("entry_type", &self.entry_type), ("from", &self.from), ("to", &self.to)] {
            if let Some(value) = value {
                query.push_str(&format!("&{key}="));
                push_encoded(&mut query, value);
            }
        }
        query
    }
}

/// What to estimate the cost of
/// ([`Client::credits_estimate`](crate::Client::credits_estimate)).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EstimateRequest {
    metric_type: Option<String>,
    units: Option<f64>,
    item_count: Option<u64>,
    endpoint: Option<String>,
    mode: Option<String>,
}

impl EstimateRequest {
    /// An empty request: set its metric type and units.
    pub fn new() -> EstimateRequest {
        EstimateRequest::default()
    }

    /// What is metered, e.g. `llm_input_tokens` (required).
    pub fn metric_type(&mut self, metric_type: &str) -> Result<&mut Self, Error> {
        self.metric_type = Some(non_empty("metric_type", metric_type)?);
        Ok(self)
    }

    /// How many units, finite and not negative (required).
    pub fn units(&mut self, units: f64) -> Result<&mut Self, Error> {
        if !units.is_finite() || units < 0.0 {
            return Err(Error::invalid_argument(format!("units must be a finite number >= 0, not {units}")));
        }
        self.units = Some(units);
        Ok(self)
    }

    /// How many items the units are spread over.
    pub fn item_count(&mut self, count: u64) -> &mut Self {
        self.item_count = Some(count);
        self
    }

    /// The route the usage would go to; empty clears it.
    pub fn endpoint(&mut self, endpoint: &str) -> &mut Self {
        self.endpoint = (!endpoint.is_empty()).then(|| endpoint.to_owned());
        self
    }

    /// The mode the usage would run in (e.g. `fast`); empty clears it.
    pub fn mode(&mut self, mode: &str) -> &mut Self {
        self.mode = (!mode.is_empty()).then(|| mode.to_owned());
        self
    }

    /// The body of `POST /v1/credits/estimate`: all five keys, unset ones
    /// as null.
    pub(crate) fn to_json(&self) -> Result<Value, Error> {
        let metric_type = self.metric_type.as_ref().ok_or_else(|| missing("metric_type"))?;
        let units = self.units.ok_or_else(|| missing("units"))?;
        // Whole units go as JSON integers, as a Python int would.
        let units = if units.fract() == 0.0 && units < 9.0e15 { json!(units as u64) } else { json!(units) };
        Ok(json!({"metric_type": metric_type, "units": units, "item_count": self.item_count,
                  "endpoint": self.endpoint, "mode": self.mode}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_query_names_what_was_set() {
        let mut q = LedgerQuery::new();
        assert_eq!(q.to_query(), "?limit=100&offset=0");
        q.limit(5).unwrap().offset(10).entry_type("usage").from_us(1_736_937_000_000_000).unwrap();
        assert_eq!(q.to_query(), "?limit=5&offset=10&entry_type=usage&from=2025-01-15T10%3A30%3A00.000000Z");
        assert!(q.limit(0).is_err() && q.limit(501).is_err());
    }

    #[test]
    fn an_estimate_sends_all_five_keys() {
        let mut e = EstimateRequest::new();
        assert_eq!(e.to_json().unwrap_err().message(), "the request has no metric_type");
        e.metric_type("llm_input_tokens").unwrap().units(1000.0).unwrap();
        assert_eq!(
            e.to_json().unwrap(),
            json!({"metric_type": "llm_input_tokens", "units": 1000, "item_count": null, "endpoint": null, "mode": null})
        );
        assert!(e.units(-1.0).is_err() && e.units(f64::NAN).is_err());
        assert_eq!(e.units(2.5).unwrap().to_json().unwrap()["units"], json!(2.5));
    }
}
