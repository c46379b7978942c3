//! What the memory lifecycle writes send (contract part 2, §6.1, §6.3,
//! §6.5): a memory's update, a forget request, a data deletion. Each value
//! is checked where it is set; the bodies are the reference SDK's.

use serde_json::{Map, Value, json};

use crate::create::DOCUMENT_TYPES;
use crate::error::Error;
use crate::request_fields::{json_object, missing, non_empty, one_of, rungs, set_rung};

/// How an update combines the new document with the memory's content.
pub const MERGE_STRATEGIES: [&str; 3] = ["replace", "append", "smart-merge"];
/// The modes of a forget request.
pub const FORGET_MODES: [&str; 2] = ["preview", "direct"];
/// The fewest and most characters a forget description may have.
pub const FORGET_DESCRIPTION_CHARS: (usize, usize) = (3, 500);

/// An update of one memory
/// ([`Client::memories_update`](crate::Client::memories_update)): the new
/// document and how to merge it.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateRequest {
    document: Option<Value>,
    merge_strategy: &'static str,
    document_type: Option<&'static str>,
    metadata: Option<Map<String, Value>>,
}

impl Default for UpdateRequest {
    fn default() -> Self {
        UpdateRequest { document: None, merge_strategy: "smart-merge", document_type: None, metadata: None }
    }
}

impl UpdateRequest {
    /// An update with no document yet, merged `smart-merge`.
    pub fn new() -> UpdateRequest {
        UpdateRequest::default()
    }

    /// The new document, as text.
    pub fn document_text(&mut self, text: &str) -> &mut Self {
        self.document = Some(Value::String(text.to_owned()));
        self
    }

    /// The new document, structured: `json` must be a JSON object.
    pub fn document_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        self.document = Some(Value::Object(json_object("document", json)?));
        Ok(self)
    }

    /// One of [`MERGE_STRATEGIES`]; `smart-merge` unless set.
    pub fn merge_strategy(&mut self, strategy: &str) -> Result<&mut Self, Error> {
        self.merge_strategy = one_of("merge_strategy", strategy, &MERGE_STRATEGIES)?;
        Ok(self)
    }

    /// The document type, one of [`DOCUMENT_TYPES`]; sent only when set.
    pub fn document_type(&mut self, document_type: &str) -> Result<&mut Self, Error> {
        self.document_type = Some(one_of("document_type", document_type, &DOCUMENT_TYPES)?);
        Ok(self)
    }

    /// Metadata, a JSON object given as text; sent only when set (`{}`
    /// included).
    pub fn metadata_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        self.metadata = Some(json_object("metadata", json)?);
        Ok(self)
    }

    /// The body of `PATCH /api/v1/memories/{id}` (§6.1): unset optional
    /// keys left out.
    pub(crate) fn to_json(&self) -> Result<Value, Error> {
        let document = self.document.as_ref().ok_or_else(|| missing("document"))?;
        let mut body = Map::new();
        body.insert("document".into(), document.clone());
        body.insert("merge_strategy".into(), json!(self.merge_strategy));
        if let Some(t) = self.document_type {
            body.insert("document_type".into(), json!(t));
        }
        if let Some(m) = &self.metadata {
            body.insert("metadata".into(), Value::Object(m.clone()));
        }
        Ok(Value::Object(body))
    }
}

/// A request to forget memories by description
/// ([`Client::memories_forget`](crate::Client::memories_forget)), scoped to
/// one user.
#[derive(Clone, Debug, PartialEq)]
pub struct ForgetRequest {
    description: Option<String>,
    user_id: Option<String>,
    customer_id: Option<String>,
    scope: Vec<(String, String)>,
    mode: &'static str,
}

impl Default for ForgetRequest {
    fn default() -> Self {
        ForgetRequest { description: None, user_id: None, customer_id: None, scope: Vec::new(), mode: "preview" }
    }
}

impl ForgetRequest {
    /// A request in `preview` mode, with no description or user yet.
    pub fn new() -> ForgetRequest {
        ForgetRequest::default()
    }

    /// What to forget, in words: 3 to 500 characters.
    pub fn description(&mut self, description: &str) -> Result<&mut Self, Error> {
        let (least, most) = FORGET_DESCRIPTION_CHARS;
        let chars = description.chars().count();
        if !(least..=most).contains(&chars) || description.trim().is_empty() {
            return Err(Error::invalid_argument(format!(
                "description must have {least} to {most} characters, not {chars}"
            )));
        }
        self.description = Some(description.to_owned());
        Ok(self)
    }

    /// The user whose memories to search (required).
    pub fn user_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.user_id = Some(non_empty("user_id", id)?);
        Ok(self)
    }

    /// The customer, required with the user on a B2B instance.
    pub fn customer_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.customer_id = Some(non_empty("customer_id", id)?);
        Ok(self)
    }

    /// Adds (or replaces) one level of the scope to search, for accounts
    /// with levels between customer and user.
    pub fn scope_level(&mut self, level: &str, value: &str) -> Result<&mut Self, Error> {
        set_rung(&mut self.scope, level, value)?;
        Ok(self)
    }

    /// `preview` (the default: candidates filed for approval, nothing
    /// deleted) or `direct` (deleted at once).
    pub fn mode(&mut self, mode: &str) -> Result<&mut Self, Error> {
        self.mode = one_of("mode", mode, &FORGET_MODES)?;
        Ok(self)
    }

    pub(crate) fn customer_id_set(&self) -> bool {
        self.customer_id.is_some()
    }

    /// The body of `POST /api/v1/memories/forget` (§6.3): all five keys.
    pub(crate) fn to_json(&self) -> Result<Value, Error> {
        let description = self.description.as_ref().ok_or_else(|| missing("description"))?;
        let user_id = self.user_id.as_ref().ok_or_else(|| missing("user_id"))?;
        let scope = (!self.scope.is_empty()).then(|| rungs(&self.scope));
        Ok(json!({"description": description, "user_id": user_id, "customer_id": self.customer_id,
                  "scope": scope, "mode": self.mode}))
    }
}

/// What a data deletion removes: one user, one conversation or one
/// customer, with everything stored about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeleteScope {
    /// One user: memories, conversations, profile.
    User,
    /// One conversation: turns, summaries, telemetry, buffer; the memories
    /// made from it are kept.
    Conversation,
    /// One customer and all its users (needs a management key).
    Customer,
}

impl DeleteScope {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeleteScope::User => "user",
            DeleteScope::Conversation => "conversation",
            DeleteScope::Customer => "customer",
        }
    }
}

/// A permanent deletion of one user's, conversation's or customer's data
/// ([`Client::data_delete`](crate::Client::data_delete)).
///
/// Unless it is a dry run, the request must carry `confirm` equal to the
/// scope's own id, as the service requires: a second, deliberate naming of
/// what goes.
#[derive(Clone, Debug, PartialEq)]
pub struct DataDeleteRequest {
    scope: DeleteScope,
    target: String,
    customer_id: Option<String>,
    user_id: Option<String>,
    dry_run: bool,
    confirm: Option<String>,
}

impl DataDeleteRequest {
    /// A deletion of `scope` whose own id is `id` (the user id, the
    /// conversation id or the customer id); refused when `id` is empty.
    pub fn new(scope: DeleteScope, id: &str) -> Result<DataDeleteRequest, Error> {
        let field = DataDeleteRequest::id_field(scope);
        Ok(DataDeleteRequest {
            scope,
            target: non_empty(field, id)?,
            customer_id: None,
            user_id: None,
            dry_run: false,
            confirm: None,
        })
    }

    fn id_field(scope: DeleteScope) -> &'static str {
        match scope {
            DeleteScope::User => "user_id",
            DeleteScope::Conversation => "conversation_id",
            DeleteScope::Customer => "customer_id",
        }
    }

    /// The customer the user or conversation belongs to (B2B instances).
    /// Refused for the customer scope, whose id is the customer's.
    pub fn customer_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        if self.scope == DeleteScope::Customer {
            return Err(Error::invalid_argument("the customer scope names its customer when it is made"));
        }
        self.customer_id = Some(non_empty("customer_id", id)?);
        Ok(self)
    }

    /// The user the conversation belongs to (conversation scope only).
    pub fn user_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        if self.scope != DeleteScope::Conversation {
            return Err(Error::invalid_argument("user_id is set apart only for the conversation scope"));
        }
        self.user_id = Some(non_empty("user_id", id)?);
        Ok(self)
    }

    /// A dry run: nothing is deleted, the answer counts what would be.
    pub fn dry_run(&mut self, dry_run: bool) -> &mut Self {
        self.dry_run = dry_run;
        self
    }

    /// The confirmation: must equal the scope's id. Checked when the
    /// request is sent, before anything goes out.
    pub fn confirm(&mut self, id: &str) -> &mut Self {
        self.confirm = Some(id.to_owned());
        self
    }

    pub(crate) fn scope(&self) -> DeleteScope {
        self.scope
    }

    pub(crate) fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    pub(crate) fn customer_id_set(&self) -> bool {
        self.scope == DeleteScope::Customer || self.customer_id.is_some()
    }

    /// The body of `POST /v1/data/delete` (§6.5): all seven keys.
    pub(crate) fn to_json(&self, instance_id: &str) -> Result<Value, Error> {
        let field = DataDeleteRequest::id_field(self.scope);
        match &self.confirm {
            Some(c) if *c == self.target => {}
            _ if self.dry_run && self.confirm.is_none() => {}
            Some(_) => {
                return Err(Error::invalid_argument(format!(
                    "confirm does not match {field}: it must repeat the id of what is deleted"
                )));
            }
            None => {
                return Err(Error::invalid_argument(format!(
                    "a deletion needs confirm set to its {field} (or a dry run)"
                )));
            }
        }
        let id = |scope: DeleteScope, other: &Option<String>| {
            if self.scope == scope { Some(self.target.clone()) } else { other.clone() }
        };
        Ok(json!({
            "scope": self.scope.as_str(),
            "instance_id": instance_id,
            "user_id": id(DeleteScope::User, &self.user_id),
            "customer_id": id(DeleteScope::Customer, &self.customer_id),
            "conversation_id": id(DeleteScope::Conversation, &None),
            "dry_run": self.dry_run,
            "confirm": self.confirm,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_sends_only_what_was_set() {
        let mut u = UpdateRequest::new();
        assert_eq!(u.to_json().unwrap_err().message(), "the request has no document");
        u.document_text("Prefers SMS after 6pm").merge_strategy("replace").unwrap();
        assert_eq!(u.to_json().unwrap(), json!({"document": "Prefers SMS after 6pm", "merge_strategy": "replace"}));
        u.metadata_json("{}").unwrap().document_type("email").unwrap();
        assert_eq!(u.to_json().unwrap()["metadata"], json!({}));
        assert!(u.merge_strategy("merge").is_err());
        assert!(u.document_json("[1]").is_err());
        assert_eq!(u.to_json().unwrap()["merge_strategy"], "replace", "a refused value leaves the request as it was");
    }

    #[test]
    fn a_forget_sends_all_five_keys() {
        let mut f = ForgetRequest::new();
        assert!(f.description("ab").is_err());
        assert!(f.description(&"é".repeat(501)).is_err());
        f.description(&"é".repeat(500)).unwrap();
        f.description("my old home address").unwrap();
        assert_eq!(f.to_json().unwrap_err().message(), "the request has no user_id");
        f.user_id("user_789").unwrap();
        assert_eq!(
            f.to_json().unwrap(),
            json!({"description": "my old home address", "user_id": "user_789", "customer_id": null,
                   "scope": null, "mode": "preview"})
        );
        assert!(f.mode("soft").is_err());
        f.mode("direct").unwrap().scope_level("team", "pay").unwrap();
        assert_eq!(f.to_json().unwrap()["scope"], json!({"team": "pay"}));
    }

    #[test]
    fn a_deletion_needs_its_confirmation() {
        let mut d = DataDeleteRequest::new(DeleteScope::User, "user_789").unwrap();
        assert!(d.to_json("").unwrap_err().message().contains("needs confirm"));
        d.confirm("user_78");
        assert!(d.to_json("").unwrap_err().message().contains("does not match user_id"));
        d.confirm("user_789");
        assert_eq!(
            d.to_json("inst").unwrap(),
            json!({"scope": "user", "instance_id": "inst", "user_id": "user_789", "customer_id": null,
                   "conversation_id": null, "dry_run": false, "confirm": "user_789"})
        );
        let mut dry = DataDeleteRequest::new(DeleteScope::Conversation, "c1").unwrap();
        dry.dry_run(true).user_id("u").unwrap();
        assert_eq!(dry.to_json("").unwrap()["confirm"], Value::Null);
        assert_eq!(dry.to_json("").unwrap()["conversation_id"], "c1");
        assert!(DataDeleteRequest::new(DeleteScope::Customer, " ").is_err());
        let mut c = DataDeleteRequest::new(DeleteScope::Customer, "cust").unwrap();
        assert!(c.customer_id("x").is_err());
        c.confirm("cust");
        assert_eq!(c.to_json("").unwrap()["customer_id"], "cust");
    }
}
