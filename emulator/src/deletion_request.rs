//! The body of `POST /v1/data/delete` (contract part 2, section 6.5) and
//! what a deletion targets.
//!
//! 422 for a body that does not fit the model (scope not one of `user`,
//! `conversation`, `customer`; an id, `confirm` or `instance_id` not a
//! string or null; `dry_run` not a boolean). 400 when the scope's own id is
//! missing or blank, when `confirm` differs from it outside a dry run, and
//! for any `customer_id` (so the customer scope) on a B2C instance.

use serde_json::{Value, json};

use crate::body_check::Fields;
use crate::conversations::{self, Conversation};
use crate::jobs::Origin;
use crate::transcripts;
use crate::validate::FieldError;

pub(crate) const SCOPES: [&str; 3] = ["user", "conversation", "customer"];

/// Whose data a deletion removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub scope: &'static str,
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    pub conversation_id: Option<String>,
}

#[derive(Debug)]
pub(crate) struct DeleteRequest {
    pub target: Target,
    pub instance_id: Option<String>,
    pub dry_run: bool,
    pub confirm: Option<String>,
}

pub(crate) fn parse(body: &Value) -> Result<DeleteRequest, Vec<FieldError>> {
    let mut f = Fields::of(body, &[json!("body")])?;
    let scope = f.one_of("scope", &SCOPES, None);
    let instance_id = f.optional_string("instance_id");
    let user_id = f.optional_string("user_id");
    let customer_id = f.optional_string("customer_id");
    let conversation_id = f.optional_string("conversation_id");
    let dry_run = f.bool("dry_run", false);
    let confirm = f.optional_string("confirm");
    let scope = f.finish(scope)?.expect("a missing scope is an error");
    Ok(DeleteRequest {
        target: Target { scope, user_id, customer_id, conversation_id },
        instance_id: instance_id.filter(|i| !i.is_empty()),
        dry_run,
        confirm,
    })
}

impl DeleteRequest {
    /// The 400 message for a request that cannot run, if any.
    pub fn refusal(&self, b2c: bool) -> Option<String> {
        let t = &self.target;
        if b2c && t.customer_id.is_some() {
            return Some("customer_id is not accepted: this instance isolates users per customer".to_owned());
        }
        let field = format!("{}_id", t.scope);
        let Some(id) = t.id().filter(|id| !id.trim().is_empty()) else {
            return Some(format!("{field} is required for scope={}", t.scope));
        };
        if !self.dry_run && self.confirm.as_deref() != Some(id) {
            return Some(format!("confirm must equal the {field} being deleted"));
        }
        None
    }
}

impl Target {
    /// The id of the scope itself.
    pub fn id(&self) -> Option<&str> {
        match self.scope {
            "user" => self.user_id.as_deref(),
            "customer" => self.customer_id.as_deref(),
            _ => self.conversation_id.as_deref(),
        }
    }

    /// Whether the memories of a document with this origin go too (never
    /// for the conversation scope, which keeps them).
    pub fn owns_memories_of(&self, origin: &Origin) -> bool {
        match self.scope {
            "user" => {
                origin.user_id == self.user_id
                    && self.customer_id.as_ref().is_none_or(|c| origin.customer_id.as_ref() == Some(c))
            }
            "customer" => origin.customer_id.is_some() && origin.customer_id == self.customer_id,
            _ => false,
        }
    }

    /// Whether a conversation goes. A conversation id is looked up as given
    /// and as an ingest would have coerced it.
    pub fn owns_conversation(&self, c: &Conversation) -> bool {
        match self.scope {
            "user" => self.user_id.as_deref().is_some_and(|u| c.belongs_to(u, self.customer_id.as_deref())),
            "customer" => c.customer_id.is_some() && c.customer_id == self.customer_id,
            _ => self.conversation_id.as_deref().is_some_and(|id| {
                c.id == conversations::key(id) || c.id == transcripts::coerce(id).hyphenated().to_string()
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: Value) -> DeleteRequest {
        parse(&body).map_err(|e| e.len()).unwrap()
    }

    #[test]
    fn the_seven_keys() {
        let r = request(json!({"scope": "user", "instance_id": "", "user_id": "u", "customer_id": null,
                               "conversation_id": null, "dry_run": false, "confirm": "u"}));
        assert_eq!((r.target.id(), r.instance_id.as_deref(), r.refusal(false)), (Some("u"), None, None));
        let kinds: Vec<&str> = parse(&json!({"scope": "client", "user_id": 1, "dry_run": "yes"}))
            .unwrap_err()
            .iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["enum", "string_type", "bool_type"]);
        assert_eq!(parse(&json!({})).unwrap_err()[0].kind, "missing");
    }

    #[test]
    fn refusals() {
        let refusal = |body: Value, b2c: bool| request(body).refusal(b2c);
        assert!(refusal(json!({"scope": "user", "confirm": "u"}), false).unwrap().contains("user_id is required"));
        assert!(refusal(json!({"scope": "user", "user_id": " ", "dry_run": true}), false).is_some());
        assert!(refusal(json!({"scope": "user", "user_id": "u"}), false).unwrap().contains("confirm"));
        assert!(refusal(json!({"scope": "user", "user_id": "u", "confirm": "v"}), false).is_some());
        assert!(refusal(json!({"scope": "user", "user_id": "u", "dry_run": true}), false).is_none());
        let customer = json!({"scope": "customer", "customer_id": "c", "confirm": "c"});
        assert!(refusal(customer.clone(), false).is_none());
        assert!(refusal(customer, true).unwrap().contains("customer_id is not accepted"));
        let conv = json!({"scope": "conversation", "conversation_id": "k", "confirm": "k"});
        assert!(refusal(conv, false).is_none());
    }
}
