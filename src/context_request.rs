//! `ContextRequest`: what a context fetch asks for (contract part 2, §3.2),
//! checked where each value is set (§3.3) and turned into the body the
//! reference SDK sends.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::error::{Error, one_line};
use crate::request_fields::{non_empty, one_of};

/// Whose memories a fetch reads: the route it goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextScope {
    /// `POST /v1/context/user/fetch`: one end user's memories.
    User,
    /// `POST /v1/context/customer/fetch`: one customer's (organisation's).
    Customer,
    /// `POST /v1/context/client/fetch`: the whole account's.
    Client,
    /// `POST /v1/context/conversation/fetch`: one conversation's.
    Conversation,
}

impl ContextScope {
    /// The route's name in the path.
    pub fn as_str(self) -> &'static str {
        match self {
            ContextScope::User => "user",
            ContextScope::Customer => "customer",
            ContextScope::Client => "client",
            ContextScope::Conversation => "conversation",
        }
    }
}

/// The memory types a fetch may ask for.
pub const CONTEXT_TYPES: [&str; 6] = ["facts", "preferences", "episodes", "emotions", "temporal_events", "all"];
/// The retrieval modes.
pub const CONTEXT_MODES: [&str; 2] = ["fast", "accurate"];
/// The precision levels.
pub const PRECISION_LEVELS: [&str; 2] = ["high", "medium"];
/// The response shapes.
pub const RESPONSE_SHAPES: [&str; 2] = ["by_type", "ranked"];
/// The most conversations summary mode may ask for.
pub const MAX_SUMMARY_CONVERSATIONS: u32 = 20;

/// A context fetch: the scope and its ids, the queries, and how to rank
/// and shape the answer. Setters take `&mut self`, check their value and
/// leave the request unchanged when they refuse it.
///
/// ```
/// let mut request = synap::ContextRequest::new(synap::ContextScope::User);
/// request.user_id("user-42")?.query("what does the user drink after 3pm?").max_results(5)?;
/// # Ok::<(), synap::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ContextRequest {
    scope: ContextScope,
    user_id: Option<String>,
    customer_id: Option<String>,
    conversation_id: Option<Uuid>,
    queries: Vec<String>,
    max_results: u32,
    types: Vec<&'static str>,
    mode: &'static str,
    precision_level: &'static str,
    response_shape: &'static str,
    query_date: Option<String>,
    max_results_per_query: Option<u32>,
    scope_path: Vec<(String, String)>,
    summary: Option<Summary>,
}

/// Summary mode (user scope only): the profile and recent conversations'
/// summaries instead of memories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Summary {
    include_profile: bool,
    last_n_conversations: u32,
}

impl ContextRequest {
    /// A fetch in `scope`, with the reference SDK's defaults: no query, 10
    /// results, every type, mode `fast`, precision `high`, by type.
    pub fn new(scope: ContextScope) -> ContextRequest {
        ContextRequest {
            scope,
            user_id: None,
            customer_id: None,
            conversation_id: None,
            queries: Vec::new(),
            max_results: 10,
            types: Vec::new(),
            mode: CONTEXT_MODES[0],
            precision_level: PRECISION_LEVELS[0],
            response_shape: RESPONSE_SHAPES[0],
            query_date: None,
            max_results_per_query: None,
            scope_path: Vec::new(),
            summary: None,
        }
    }

    /// The scope the request reads.
    pub fn scope(&self) -> ContextScope {
        self.scope
    }

    /// Moves the request to another scope; the ids already set stay.
    /// Summary mode is refused on any scope but the user's.
    pub fn set_scope(&mut self, scope: ContextScope) -> Result<&mut Self, Error> {
        if scope != ContextScope::User && self.summary.is_some() {
            return Err(Error::invalid_argument("summary mode is for the user scope only"));
        }
        self.scope = scope;
        Ok(self)
    }

    /// The end user: the user scope's id (required there), and a filter on
    /// the conversation scope. Must not be empty.
    pub fn user_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.user_id = Some(non_empty("user_id", id)?);
        Ok(self)
    }

    /// The customer (organisation): the customer scope's id (required
    /// there), and the tenant of a user on a B2B instance. Must not be
    /// empty. Refused when the call is made on an instance whoami reported
    /// as B2C.
    pub fn customer_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.customer_id = Some(non_empty("customer_id", id)?);
        Ok(self)
    }

    /// The conversation: the conversation scope's id (required there), and
    /// the current conversation on the others. A UUID in any case, with or
    /// without hyphens; sent in canonical lowercase form.
    pub fn conversation_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.conversation_id = Some(parse_conversation_id(id)?);
        Ok(self)
    }

    /// Adds a search query. With none (or only blank ones) a conversation
    /// fetch reads the conversation's prompt context, and a user fetch the
    /// user's profile first, as the reference SDK does.
    pub fn query(&mut self, query: &str) -> &mut Self {
        self.queries.push(query.to_owned());
        self
    }

    /// Removes every query.
    pub fn clear_queries(&mut self) -> &mut Self {
        self.queries.clear();
        self
    }

    /// How many memories at most, at least 1 (default 10). The service sets
    /// the upper bound and refuses more (`InvalidRequest`).
    pub fn max_results(&mut self, n: u32) -> Result<&mut Self, Error> {
        if n == 0 {
            return Err(Error::invalid_argument("max_results must be at least 1"));
        }
        self.max_results = n;
        Ok(self)
    }

    /// Adds a memory type to fetch, one of [`CONTEXT_TYPES`]; none means
    /// `all`.
    pub fn memory_type(&mut self, memory_type: &str) -> Result<&mut Self, Error> {
        let known = one_of("type", memory_type, &CONTEXT_TYPES)?;
        if !self.types.contains(&known) {
            self.types.push(known);
        }
        Ok(self)
    }

    /// `fast` (default) or `accurate`.
    pub fn mode(&mut self, mode: &str) -> Result<&mut Self, Error> {
        self.mode = one_of("mode", mode, &CONTEXT_MODES)?;
        Ok(self)
    }

    /// `high` (default) or `medium`.
    pub fn precision_level(&mut self, level: &str) -> Result<&mut Self, Error> {
        self.precision_level = one_of("precision_level", level, &PRECISION_LEVELS)?;
        Ok(self)
    }

    /// `by_type` (default) or `ranked`: one list, best first across types.
    pub fn response_shape(&mut self, shape: &str) -> Result<&mut Self, Error> {
        self.response_shape = one_of("response_shape", shape, &RESPONSE_SHAPES)?;
        Ok(self)
    }

    /// The day the queries are asked, as free text the service reads
    /// (`2025-03-11`, `2025/03/11 21:26`; anything else means now). Empty
    /// clears it.
    pub fn query_date(&mut self, date: &str) -> &mut Self {
        self.query_date = (!date.is_empty()).then(|| date.to_owned());
        self
    }

    /// How many memories each query may contribute; 0 (the default) means
    /// no per-query bound.
    pub fn max_results_per_query(&mut self, n: u32) -> &mut Self {
        self.max_results_per_query = (n > 0).then_some(n);
        self
    }

    /// Adds (or replaces) one rung of the scope path, e.g. `("team",
    /// "payments")`; the service refuses a path that skips a rung.
    pub fn scope_level(&mut self, level: &str, value: &str) -> Result<&mut Self, Error> {
        let level = non_empty("scope level", level)?;
        match self.scope_path.iter_mut().find(|(l, _)| *l == level) {
            Some(rung) => rung.1 = value.to_owned(),
            None => self.scope_path.push((level, value.to_owned())),
        }
        Ok(self)
    }

    /// Summary mode (user scope only): the user's profile (when
    /// `include_profile`) and the summaries of the last
    /// `last_n_conversations` conversations (0 to 20) instead of memories.
    pub fn summary_mode(&mut self, include_profile: bool, last_n_conversations: u32) -> Result<&mut Self, Error> {
        if self.scope != ContextScope::User {
            return Err(Error::invalid_argument("summary mode is for the user scope only"));
        }
        if last_n_conversations > MAX_SUMMARY_CONVERSATIONS {
            return Err(Error::invalid_argument(format!(
                "last_n_conversations must be between 0 and {MAX_SUMMARY_CONVERSATIONS}, not {last_n_conversations}"
            )));
        }
        self.summary = Some(Summary { include_profile, last_n_conversations });
        Ok(self)
    }

    /// Back to memories (the default).
    pub fn in_conversation_mode(&mut self) -> &mut Self {
        self.summary = None;
        self
    }

    pub(crate) fn is_ranked(&self) -> bool {
        self.response_shape == "ranked"
    }

    pub(crate) fn is_summary(&self) -> bool {
        self.summary.is_some()
    }

    pub(crate) fn user(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    pub(crate) fn customer(&self) -> Option<&str> {
        self.customer_id.as_deref()
    }

    pub(crate) fn conversation(&self) -> Option<Uuid> {
        self.conversation_id
    }

    /// True when no query has text: the fetch without a query of §3.4.
    pub(crate) fn has_no_query(&self) -> bool {
        self.queries.iter().all(|q| q.trim().is_empty())
    }

    /// The scope's own id must be set before the call.
    pub(crate) fn check_ready(&self) -> Result<(), Error> {
        let missing = match self.scope {
            ContextScope::User => self.user_id.is_none().then_some("user_id"),
            ContextScope::Customer => self.customer_id.is_none().then_some("customer_id"),
            ContextScope::Conversation => self.conversation_id.is_none().then_some("conversation_id"),
            ContextScope::Client => None,
        };
        match missing {
            Some(field) => {
                Err(Error::invalid_argument(format!("a {} context fetch needs its {field}", self.scope.as_str())))
            }
            None => Ok(()),
        }
    }

    /// The wire body, with the keys each route sends (§3.2).
    pub(crate) fn to_json(&self) -> Value {
        let mut body = Map::new();
        let conversation = self.conversation_id.map(|id| Value::String(id.hyphenated().to_string()));
        let text = |s: &Option<String>| s.as_ref().map_or(Value::Null, |s| Value::String(s.clone()));
        match self.scope {
            ContextScope::User => {
                body.insert("user_id".into(), text(&self.user_id));
                body.insert("customer_id".into(), text(&self.customer_id));
                body.insert("conversation_id".into(), conversation.unwrap_or(Value::Null));
            }
            ContextScope::Customer => {
                body.insert("customer_id".into(), text(&self.customer_id));
                body.insert("conversation_id".into(), conversation.unwrap_or(Value::Null));
            }
            ContextScope::Client => {
                body.insert("conversation_id".into(), conversation.unwrap_or(Value::Null));
            }
            ContextScope::Conversation => {
                body.insert("conversation_id".into(), conversation.unwrap_or(Value::Null));
                if let Some(user) = &self.user_id {
                    body.insert("user_id".into(), json!(user));
                }
                if let Some(customer) = &self.customer_id {
                    body.insert("customer_id".into(), json!(customer));
                }
            }
        }
        let queries: Vec<&str> = self.queries.iter().map(String::as_str).filter(|q| !q.trim().is_empty()).collect();
        body.insert("search_query".into(), if queries.is_empty() { Value::Null } else { json!(queries) });
        body.insert("max_results".into(), json!(self.max_results));
        body.insert("types".into(), if self.types.is_empty() { json!(["all"]) } else { json!(self.types) });
        body.insert("mode".into(), json!(self.mode));
        if self.precision_level != PRECISION_LEVELS[0] {
            body.insert("precision_level".into(), json!(self.precision_level));
        }
        if self.response_shape != RESPONSE_SHAPES[0] {
            body.insert("response_shape".into(), json!(self.response_shape));
        }
        if let Some(date) = &self.query_date {
            body.insert("query_date".into(), json!(date));
        }
        if let Some(n) = self.max_results_per_query {
            body.insert("max_results_per_query".into(), json!(n));
        }
        if !self.scope_path.is_empty() {
            let path: Map<String, Value> = self.scope_path.iter().map(|(l, v)| (l.clone(), json!(v))).collect();
            body.insert("scope".into(), Value::Object(path));
        }
        if let Some(summary) = self.summary {
            body.insert("context_mode".into(), json!("conversation-summary"));
            body.insert("include_profile".into(), json!(summary.include_profile));
            body.insert("last_n_conversations".into(), json!(summary.last_n_conversations));
        }
        Value::Object(body)
    }
}

/// Conversation ids are UUIDs on every route that names one.
pub(crate) fn parse_conversation_id(text: &str) -> Result<Uuid, Error> {
    Uuid::try_parse(text)
        .map_err(|_| Error::invalid_argument(format!("conversation_id is not a UUID: \"{}\"", one_line(text, 64))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_fetch_sends_the_sdk_keys() {
        let mut r = ContextRequest::new(ContextScope::User);
        r.user_id("user_789").unwrap().query("coffee preferences");
        assert_eq!(
            r.to_json(),
            json!({"user_id": "user_789", "customer_id": null, "conversation_id": null,
                   "search_query": ["coffee preferences"], "max_results": 10, "types": ["all"], "mode": "fast"})
        );
    }

    #[test]
    fn a_conversation_fetch_sends_every_option() {
        let mut r = ContextRequest::new(ContextScope::Conversation);
        r.conversation_id("6F1C9E2A3B7D4A589C0E2D4B6A8F1E37").unwrap();
        r.query("refund status").query("  ").max_results(5).unwrap();
        r.memory_type("facts").unwrap().memory_type("temporal_events").unwrap().memory_type("facts").unwrap();
        r.mode("accurate").unwrap().precision_level("medium").unwrap().response_shape("ranked").unwrap();
        r.user_id("user_789").unwrap().customer_id("cust_456").unwrap();
        r.query_date("2025-03-11").max_results_per_query(2);
        r.scope_level("customer", "cust_456").unwrap().scope_level("user", "x").unwrap();
        r.scope_level("user", "user_789").unwrap();
        assert_eq!(
            r.to_json(),
            json!({"conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37", "search_query": ["refund status"],
                   "max_results": 5, "types": ["facts", "temporal_events"], "mode": "accurate",
                   "user_id": "user_789", "customer_id": "cust_456", "precision_level": "medium",
                   "response_shape": "ranked", "query_date": "2025-03-11", "max_results_per_query": 2,
                   "scope": {"customer": "cust_456", "user": "user_789"}})
        );
    }

    #[test]
    fn summary_mode_is_for_users_only() {
        let mut r = ContextRequest::new(ContextScope::User);
        r.user_id("u").unwrap().summary_mode(false, 3).unwrap();
        let body = r.to_json();
        assert_eq!(
            (&body["context_mode"], &body["include_profile"], &body["last_n_conversations"]),
            (&json!("conversation-summary"), &json!(false), &json!(3))
        );
        assert_eq!(
            r.set_scope(ContextScope::Customer).unwrap_err().message(),
            "summary mode is for the user scope only"
        );
        assert_eq!(r.scope(), ContextScope::User, "unchanged");
        let e = r.summary_mode(true, 21).unwrap_err();
        assert_eq!(e.message(), "last_n_conversations must be between 0 and 20, not 21");
        let mut c = ContextRequest::new(ContextScope::Client);
        assert!(c.summary_mode(true, 1).is_err());
    }

    #[test]
    fn bad_values_are_refused_where_they_are_set() {
        let mut r = ContextRequest::new(ContextScope::Conversation);
        let before = r.clone();
        assert_eq!(r.conversation_id("../x").unwrap_err().message(), "conversation_id is not a UUID: \"../x\"");
        assert_eq!(r.user_id(" ").unwrap_err().message(), "user_id must not be empty");
        assert_eq!(r.mode("slow").unwrap_err().message(), "mode \"slow\" is not one of fast, accurate");
        assert!(r.precision_level("low").is_err());
        assert!(r.response_shape("flat").is_err());
        assert!(r.memory_type("facts ").is_err());
        assert_eq!(r.max_results(0).unwrap_err().message(), "max_results must be at least 1");
        assert_eq!(r, before);
        assert_eq!(r.check_ready().unwrap_err().message(), "a conversation context fetch needs its conversation_id");
        assert!(ContextRequest::new(ContextScope::Client).check_ready().is_ok());
    }
}
