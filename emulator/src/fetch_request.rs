//! The body of `POST /v1/context/{scope}/fetch` (contract section 3.2),
//! checked as the service's request model would: every key of 3.2 with
//! nulls or omitted, unknown keys ignored, 422 for the rest.

use serde_json::{Map, Value, json};

use crate::validate::{FieldError, one_of};

/// Largest `max_results` (the SDK's tool schema allows 1 to 50; the
/// service's own cap is not published).
pub(crate) const MAX_RESULTS: i64 = 100;
/// Largest `last_n_conversations` (contract section 3.9).
const MAX_LAST_N: i64 = 20;
/// The memory lists, in the order a by-type response lists them.
pub(crate) const LISTS: [&str; 5] = ["facts", "preferences", "episodes", "emotions", "temporal_events"];
/// The keys only summary mode uses, which only the user route accepts.
const SUMMARY_KEYS: [&str; 3] = ["context_mode", "include_profile", "last_n_conversations"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    User,
    Customer,
    Client,
    Conversation,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::User, Scope::Customer, Scope::Client, Scope::Conversation];

    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Customer => "customer",
            Scope::Client => "client",
            Scope::Conversation => "conversation",
        }
    }

    pub fn from_name(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == name)
    }

    /// `ttl_seconds` of a response: the SDK's own defaults per scope.
    pub fn ttl_seconds(self) -> u64 {
        if self == Scope::Client { 1800 } else { 300 }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub include_profile: bool,
    pub last_n: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FetchRequest {
    pub scope: Scope,
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    pub conversation_id: Option<String>,
    /// Non-blank queries, each once, in the order sent.
    pub queries: Vec<String>,
    pub max_results: usize,
    pub max_results_per_query: Option<usize>,
    /// Which of [`LISTS`] to fill.
    pub lists: [bool; 5],
    pub accurate: bool,
    pub ranked: bool,
    pub include_conversation_context: bool,
    /// Set in summary mode (user route only).
    pub summary: Option<Summary>,
}

pub(crate) fn parse(scope: Scope, body: &Value) -> Result<FetchRequest, Vec<FieldError>> {
    let Value::Object(obj) = body else {
        let msg = "Input should be a valid dictionary or object to extract fields from";
        return Err(vec![FieldError::new(vec![json!("body")], "model_attributes_type", msg, body)]);
    };
    let mut errors = Vec::new();
    let mut check = Check { obj, errors: &mut errors };
    let required = |s: Scope| s == scope;
    let user_id = check.string("user_id", required(Scope::User));
    let customer_id = check.string("customer_id", required(Scope::Customer));
    let conversation_id = check.string("conversation_id", required(Scope::Conversation));
    let queries = check.queries();
    let max_results = check.int("max_results", 10, 1, MAX_RESULTS);
    let max_results_per_query = match obj.get("max_results_per_query") {
        None | Some(Value::Null) => None,
        Some(_) => Some(check.int("max_results_per_query", 1, 1, MAX_RESULTS)),
    };
    let lists = check.types();
    let at = |f: &str| vec![json!("body"), json!(f)];
    one_of(obj, "mode", &["fast", "accurate"], &at, check.errors);
    one_of(obj, "precision_level", &["high", "medium"], &at, check.errors);
    one_of(obj, "response_shape", &["by_type", "ranked"], &at, check.errors);
    let include_conversation_context = check.bool("include_conversation_context", true);
    if let Some(Value::Object(path)) = obj.get("scope") {
        for (rung, v) in path.iter().filter(|(_, v)| !v.is_string()) {
            let loc = vec![json!("body"), json!("scope"), json!(rung)];
            check.errors.push(FieldError::new(loc, "string_type", "Input should be a valid string", v));
        }
    } else if let Some(v) = obj.get("scope").filter(|v| !v.is_null()) {
        check.errors.push(FieldError::new(at("scope"), "dict_type", "Input should be a valid dictionary", v));
    }
    let summary = if scope == Scope::User {
        one_of(obj, "context_mode", &["in-conversation", "conversation-summary"], &at, check.errors);
        let include_profile = check.bool("include_profile", true);
        let last_n = check.int("last_n_conversations", 1, 0, MAX_LAST_N);
        let on = obj.get("context_mode").and_then(Value::as_str) == Some("conversation-summary");
        on.then_some(Summary { include_profile, last_n })
    } else {
        for name in SUMMARY_KEYS {
            if let Some(v) = obj.get(name) {
                check.errors.push(FieldError::new(at(name), "extra_forbidden", "Extra inputs are not permitted", v));
            }
        }
        None
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(FetchRequest {
        scope,
        user_id,
        customer_id,
        conversation_id,
        queries,
        max_results,
        max_results_per_query,
        lists,
        accurate: obj.get("mode").and_then(Value::as_str) == Some("accurate"),
        ranked: obj.get("response_shape").and_then(Value::as_str) == Some("ranked"),
        include_conversation_context,
        summary,
    })
}

/// Field checks that record a pydantic-shaped error and return a default.
struct Check<'a> {
    obj: &'a Map<String, Value>,
    errors: &'a mut Vec<FieldError>,
}

impl Check<'_> {
    fn fail(&mut self, loc: Vec<Value>, kind: &'static str, msg: impl Into<String>, input: &Value) {
        self.errors.push(FieldError::new(loc, kind, msg, input));
    }

    fn loc(name: &str) -> Vec<Value> {
        vec![json!("body"), json!(name)]
    }

    /// A string or null; `required` ones must be present and not null.
    fn string(&mut self, name: &str, required: bool) -> Option<String> {
        match self.obj.get(name) {
            Some(Value::String(s)) => Some(s.clone()),
            None if required => {
                let whole = Value::Object(self.obj.clone());
                self.fail(Check::loc(name), "missing", "Field required", &whole);
                None
            }
            None | Some(Value::Null) if !required => None,
            Some(v) => {
                let v = v.clone();
                self.fail(Check::loc(name), "string_type", "Input should be a valid string", &v);
                None
            }
            None => None,
        }
    }

    /// An integer in `min..=max`; absent or null takes `default`.
    fn int(&mut self, name: &str, default: i64, min: i64, max: i64) -> usize {
        let Some(v) = self.obj.get(name).filter(|v| !v.is_null()) else {
            return default as usize;
        };
        let v = v.clone();
        match v.as_i64() {
            Some(n) if n < min => {
                let msg = format!("Input should be greater than or equal to {min}");
                self.errors.push(FieldError {
                    ctx: Some(json!({ "ge": min })),
                    ..FieldError::new(Check::loc(name), "greater_than_equal", msg, &v)
                });
                default as usize
            }
            Some(n) if n > max => {
                let msg = format!("Input should be less than or equal to {max}");
                self.errors.push(FieldError {
                    ctx: Some(json!({ "le": max })),
                    ..FieldError::new(Check::loc(name), "less_than_equal", msg, &v)
                });
                default as usize
            }
            Some(n) => n as usize,
            None => {
                self.fail(Check::loc(name), "int_type", "Input should be a valid integer", &v);
                default as usize
            }
        }
    }

    fn bool(&mut self, name: &str, default: bool) -> bool {
        match self.obj.get(name) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                let v = v.clone();
                self.fail(Check::loc(name), "bool_type", "Input should be a valid boolean", &v);
                default
            }
        }
    }

    fn queries(&mut self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        match self.obj.get("search_query") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(q) if q.trim().is_empty() || out.contains(q) => {}
                        Value::String(q) => out.push(q.clone()),
                        other => {
                            let loc = vec![json!("body"), json!("search_query"), json!(i)];
                            let other = other.clone();
                            self.fail(loc, "string_type", "Input should be a valid string", &other);
                        }
                    }
                }
            }
            Some(v) => {
                let v = v.clone();
                self.fail(Check::loc("search_query"), "list_type", "Input should be a valid list", &v);
            }
        }
        out
    }

    /// `types`: absent, null, empty or naming `all` means every list.
    fn types(&mut self) -> [bool; 5] {
        let items = match self.obj.get("types") {
            None | Some(Value::Null) => return [true; 5],
            Some(Value::Array(items)) => items.clone(),
            Some(v) => {
                let v = v.clone();
                self.fail(Check::loc("types"), "list_type", "Input should be a valid list", &v);
                return [true; 5];
            }
        };
        let mut lists = [false; 5];
        let mut all = items.is_empty();
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some("all") => all = true,
                Some(name) if LISTS.contains(&name) => lists[LISTS.iter().position(|l| *l == name).unwrap_or(0)] = true,
                _ => {
                    let expected = "'facts', 'preferences', 'episodes', 'emotions', 'temporal_events' or 'all'";
                    let loc = vec![json!("body"), json!("types"), json!(i)];
                    self.errors.push(FieldError {
                        ctx: Some(json!({ "expected": expected })),
                        ..FieldError::new(loc, "enum", format!("Input should be {expected}"), item)
                    });
                }
            }
        }
        if all { [true; 5] } else { lists }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(scope: Scope, body: Value) -> Vec<(String, &'static str)> {
        let path = |e: &FieldError| -> Vec<String> {
            e.loc[1..].iter().map(|p| p.to_string().trim_matches('"').to_owned()).collect()
        };
        parse(scope, &body).unwrap_err().iter().map(|e| (path(e).join("."), e.kind)).collect()
    }

    #[test]
    fn the_sdks_bodies_parse() {
        let user = json!({"user_id": "user_789", "customer_id": null, "conversation_id": null,
            "search_query": null, "max_results": 10, "types": ["all"], "mode": "fast"});
        let f = parse(Scope::User, &user).unwrap();
        assert_eq!((f.user_id.as_deref(), f.queries.len(), f.max_results), (Some("user_789"), 0, 10));
        assert_eq!((f.lists, f.accurate, f.ranked, f.summary), ([true; 5], false, false, None));
        let conv = json!({"conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37",
            "search_query": ["refund status", " ", "refund status"], "max_results": 5,
            "types": ["facts", "temporal_events"], "mode": "accurate", "user_id": "user_789",
            "customer_id": "cust_456", "precision_level": "medium", "response_shape": "ranked",
            "query_date": "2025-03-11", "max_results_per_query": 2,
            "scope": {"customer": "cust_456", "user": "user_789"}, "include_conversation_context": false});
        let f = parse(Scope::Conversation, &conv).unwrap();
        assert_eq!(f.queries, ["refund status"]);
        assert_eq!(f.lists, [true, false, false, false, true]);
        assert!(f.accurate && f.ranked && !f.include_conversation_context);
        assert_eq!(f.max_results_per_query, Some(2));
        let summary = json!({"user_id": "u", "context_mode": "conversation-summary",
            "include_profile": false, "last_n_conversations": 0});
        assert_eq!(parse(Scope::User, &summary).unwrap().summary, Some(Summary { include_profile: false, last_n: 0 }));
        let minimal = parse(Scope::Client, &json!({})).unwrap();
        assert_eq!((minimal.max_results, minimal.lists), (10, [true; 5]));
    }

    #[test]
    fn bad_values_are_all_reported() {
        let got = errors(
            Scope::User,
            json!({"customer_id": 5, "search_query": "coffee", "max_results": 0, "types": ["fact"],
                   "mode": "slow", "precision_level": "low", "response_shape": "flat",
                   "context_mode": "summary", "last_n_conversations": 21, "include_profile": "yes",
                   "scope": "acme", "include_conversation_context": 1}),
        );
        assert_eq!(
            got,
            [
                ("user_id".to_owned(), "missing"),
                ("customer_id".to_owned(), "string_type"),
                ("search_query".to_owned(), "list_type"),
                ("max_results".to_owned(), "greater_than_equal"),
                ("types.0".to_owned(), "enum"),
                ("mode".to_owned(), "enum"),
                ("precision_level".to_owned(), "enum"),
                ("response_shape".to_owned(), "enum"),
                ("include_conversation_context".to_owned(), "bool_type"),
                ("scope".to_owned(), "dict_type"),
                ("context_mode".to_owned(), "enum"),
                ("include_profile".to_owned(), "bool_type"),
                ("last_n_conversations".to_owned(), "less_than_equal"),
            ]
        );
        assert_eq!(
            errors(Scope::User, json!({"user_id": "u", "last_n_conversations": true, "search_query": [1]})),
            [("search_query.0".to_owned(), "string_type"), ("last_n_conversations".to_owned(), "int_type")]
        );
        assert_eq!(errors(Scope::User, json!({"user_id": "u", "max_results": 101}))[0].1, "less_than_equal");
        assert_eq!(errors(Scope::Client, json!([]))[0].1, "model_attributes_type");
    }

    #[test]
    fn summary_keys_only_on_the_user_route() {
        for scope in [Scope::Customer, Scope::Client, Scope::Conversation] {
            let mut body = json!({"customer_id": "c", "conversation_id": "x", "context_mode": "conversation-summary",
                "last_n_conversations": 1});
            if scope == Scope::Conversation {
                body["conversation_id"] = json!("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37");
            }
            let got = errors(scope, body);
            assert_eq!(
                got,
                [
                    ("context_mode".to_owned(), "extra_forbidden"),
                    ("last_n_conversations".to_owned(), "extra_forbidden")
                ],
                "{scope:?}"
            );
        }
        assert_eq!(errors(Scope::Customer, json!({}))[0], ("customer_id".to_owned(), "missing"));
        assert_eq!(errors(Scope::Conversation, json!({"conversation_id": null}))[0].1, "string_type");
    }
}
