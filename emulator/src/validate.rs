//! The service's request model for one document (contract section 7),
//! checked field by field, and FastAPI's 422 body for what fails.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::conversations;
use crate::http::Response;
use crate::isodate;
use crate::memories;
use crate::timefmt;

pub(crate) const DOCUMENT_TYPES: [&str; 7] =
    ["ai-chat-conversation", "document", "email", "pdf", "image", "audio", "meeting-transcript"];
pub(crate) const MODES: [&str; 2] = ["fast", "long-range"];

/// One item of a 422 `detail` list, in pydantic 2's shape.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FieldError {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub loc: Vec<Value>,
    pub msg: String,
    pub input: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ctx: Option<Value>,
}

impl FieldError {
    pub fn new(loc: Vec<Value>, kind: &'static str, msg: impl Into<String>, input: &Value) -> FieldError {
        FieldError { kind, loc, msg: msg.into(), input: input.clone(), ctx: None }
    }

    /// `scope.team: Input should be a valid string`, naming the field
    /// below the first `depth` parts of `loc`.
    pub fn summary(&self, depth: usize) -> String {
        let path: Vec<String> =
            self.loc.iter().skip(depth).map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned)).collect();
        if path.is_empty() { self.msg.clone() } else { format!("{}: {}", path.join("."), self.msg) }
    }
}

/// FastAPI's 422: `{"detail": [...]}`.
pub(crate) fn unprocessable(errors: &[FieldError]) -> Response {
    Response::json(422, &json!({ "detail": errors }))
}

/// Parses a request body as JSON, or gives the 422 for it; an empty or
/// `null` body is a missing one.
pub(crate) fn json_body(body: &[u8]) -> Result<Value, Response> {
    let missing = || unprocessable(&[FieldError::new(vec![json!("body")], "missing", "Field required", &Value::Null)]);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(missing());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Null) => Err(missing()),
        Ok(v) => Ok(v),
        Err(e) => {
            let loc = vec![json!("body"), json!(byte_offset(body, &e))];
            let err = FieldError::new(loc, "json_invalid", "JSON decode error", &json!({}));
            Err(unprocessable(&[FieldError { ctx: Some(json!({ "error": e.to_string() })), ..err }]))
        }
    }
}

/// Where in `body` a parse error is, from serde_json's line and column.
fn byte_offset(body: &[u8], e: &serde_json::Error) -> usize {
    let line_start: usize = body.split(|b| *b == b'\n').take(e.line().saturating_sub(1)).map(|l| l.len() + 1).sum();
    (line_start + e.column().saturating_sub(1)).min(body.len())
}

/// What the handlers need from a valid document.
#[derive(Debug)]
pub(crate) struct NewDocument {
    /// The text memories are made from.
    pub text: String,
    pub document_id: Option<String>,
    pub user_id: Option<String>,
    pub customer_id: Option<String>,
    pub document_type: String,
    /// `document_created_at`, when given in a form it can be read in.
    pub created_at: Option<jiff::Timestamp>,
    /// The conversation key it belongs to (see `conversations`).
    pub conversation_id: Option<String>,
    /// Its messages as (role, content), for its conversation.
    pub messages: Vec<(String, String)>,
}

/// Checks one create body found at `loc`; unknown keys are ignored and
/// missing optional ones take the SDK's defaults, as in the service.
pub(crate) fn document(value: &Value, loc: &[Value]) -> Result<NewDocument, Vec<FieldError>> {
    let Value::Object(obj) = value else {
        let msg = "Input should be a valid dictionary or object to extract fields from";
        return Err(vec![FieldError::new(loc.to_vec(), "model_attributes_type", msg, value)]);
    };
    let at = |field: &str| {
        let mut l = loc.to_vec();
        l.push(json!(field));
        l
    };
    let mut errors = Vec::new();
    match obj.get("document") {
        None => errors.push(FieldError::new(at("document"), "missing", "Field required", value)),
        Some(doc @ (Value::String(_) | Value::Object(_))) => {
            if is_blank(doc) {
                let msg = "Value error, document must not be empty";
                errors.push(FieldError::new(at("document"), "value_error", msg, doc));
            }
        }
        Some(doc) => {
            let msg = "Input should be a valid string or dictionary";
            errors.push(FieldError::new(at("document"), "string_type", msg, doc));
        }
    }
    one_of(obj, "document_type", &DOCUMENT_TYPES, &at, &mut errors);
    one_of(obj, "mode", &MODES, &at, &mut errors);
    if let Some(m) = obj.get("metadata").filter(|m| !m.is_object()) {
        errors.push(FieldError::new(at("metadata"), "dict_type", "Input should be a valid dictionary", m));
    }
    match obj.get("scope") {
        None | Some(Value::Null) => {}
        Some(Value::Object(scope)) => {
            for (key, v) in scope.iter().filter(|(_, v)| !v.is_string()) {
                let mut l = at("scope");
                l.push(json!(key));
                errors.push(FieldError::new(l, "string_type", "Input should be a valid string", v));
            }
        }
        Some(v) => errors.push(FieldError::new(at("scope"), "dict_type", "Input should be a valid dictionary", v)),
    }
    match obj.get("document_created_at") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if isodate::is_datetime(s) => {}
        Some(v @ Value::String(_)) => {
            let msg = "Input should be a valid datetime or date, not an ISO 8601 datetime";
            errors.push(FieldError::new(at("document_created_at"), "datetime_from_date_parsing", msg, v));
        }
        Some(v) => errors.push(FieldError::new(
            at("document_created_at"),
            "datetime_type",
            "Input should be a valid datetime",
            v,
        )),
    }
    let mut text_field = |name: &str| match obj.get(name) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(v) => {
            errors.push(FieldError::new(at(name), "string_type", "Input should be a valid string", v));
            None
        }
    };
    let document_id = text_field("document_id");
    let user_id = text_field("user_id");
    let customer_id = text_field("customer_id");
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = memories::document_text(&obj["document"]);
    let document_type = obj.get("document_type").and_then(Value::as_str).unwrap_or(DOCUMENT_TYPES[0]).to_owned();
    let created_at = obj.get("document_created_at").and_then(Value::as_str).and_then(timefmt::parse);
    let conversation_id =
        conversations::conversation_of(document_id.as_deref(), obj.get("metadata").and_then(Value::as_object));
    let messages = conversations::messages(&obj["document"]);
    Ok(NewDocument { text, document_id, user_id, customer_id, document_type, created_at, conversation_id, messages })
}

fn is_blank(doc: &Value) -> bool {
    match doc {
        Value::String(s) => s.trim().is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// An enum field: absent takes the default; anything else must be listed.
pub(crate) fn one_of(
    obj: &Map<String, Value>,
    name: &str,
    allowed: &[&str],
    at: &dyn Fn(&str) -> Vec<Value>,
    errors: &mut Vec<FieldError>,
) {
    let Some(v) = obj.get(name) else {
        return;
    };
    if v.as_str().is_some_and(|s| allowed.contains(&s)) {
        return;
    }
    let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    let (last, rest) = quoted.split_last().expect("enums have values");
    let expected = format!("{} or {last}", rest.join(", "));
    let mut err = FieldError::new(at(name), "enum", format!("Input should be {expected}"), v);
    err.ctx = Some(json!({ "expected": expected }));
    errors.push(err);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Value) -> Result<NewDocument, Vec<FieldError>> {
        document(&v, &[json!("body")])
    }

    fn kinds(v: Value) -> Vec<(String, &'static str)> {
        let path = |e: &FieldError| e.loc[1..].iter().map(|p| p.as_str().unwrap().to_owned()).collect::<Vec<_>>();
        check(v).unwrap_err().iter().map(|e| (path(e).join("."), e.kind)).collect()
    }

    #[test]
    fn all_nine_keys_with_nulls_and_only_document() {
        let full = json!({"document": "User: hi there friend", "document_type": "ai-chat-conversation",
            "document_id": null, "document_created_at": null, "user_id": null, "customer_id": null,
            "scope": null, "mode": "long-range", "metadata": {}});
        let d = check(full).unwrap();
        assert_eq!((d.document_id, d.user_id, d.customer_id), (None, None, None));
        assert_eq!(d.text, "User: hi there friend");
        let d =
            check(json!({"document": {"a": "b"}, "document_id": "d1", "user_id": "u", "customer_id": "c"})).unwrap();
        assert_eq!(
            (d.text.as_str(), d.document_id.as_deref(), d.user_id.as_deref(), d.customer_id.as_deref()),
            ("b", Some("d1"), Some("u"), Some("c"))
        );
    }

    #[test]
    fn every_field_error_is_reported_at_once() {
        let got = kinds(json!({"document_type": "note", "mode": "slow", "metadata": null,
            "scope": {"team": 1}, "document_created_at": "yesterday", "user_id": 5, "customer_id": [],
            "document_id": {}}));
        assert_eq!(
            got,
            [
                ("document".to_owned(), "missing"),
                ("document_type".to_owned(), "enum"),
                ("mode".to_owned(), "enum"),
                ("metadata".to_owned(), "dict_type"),
                ("scope.team".to_owned(), "string_type"),
                ("document_created_at".to_owned(), "datetime_from_date_parsing"),
                ("document_id".to_owned(), "string_type"),
                ("user_id".to_owned(), "string_type"),
                ("customer_id".to_owned(), "string_type"),
            ]
        );
        assert_eq!(kinds(json!({"document": ""})), [("document".to_owned(), "value_error")]);
        assert_eq!(kinds(json!({"document": {}})), [("document".to_owned(), "value_error")]);
        assert_eq!(kinds(json!({"document": 3})), [("document".to_owned(), "string_type")]);
        assert_eq!(kinds(json!({"document": "x", "scope": "acme"})), [("scope".to_owned(), "dict_type")]);
        assert_eq!(
            kinds(json!({"document": "x", "document_created_at": 1})),
            [("document_created_at".to_owned(), "datetime_type")]
        );
        assert_eq!(kinds(json!({"document": "x", "mode": null})), [("mode".to_owned(), "enum")]);
        assert_eq!(kinds(json!(["x"])), [(String::new(), "model_attributes_type")]);
    }

    #[test]
    fn enum_message_lists_the_values() {
        let err = &check(json!({"document": "x", "mode": "slow"})).unwrap_err()[0];
        assert_eq!(err.msg, "Input should be 'fast' or 'long-range'");
        assert_eq!(err.ctx, Some(json!({"expected": "'fast' or 'long-range'"})));
        assert_eq!(err.loc, [json!("body"), json!("mode")]);
        assert_eq!(err.input, json!("slow"));
    }

    #[test]
    fn body_parsing() {
        let error = |body: &[u8]| -> Value {
            let resp = json_body(body).unwrap_err();
            assert_eq!(resp.status, 422);
            serde_json::from_slice::<Value>(&resp.body).unwrap()["detail"][0].clone()
        };
        assert_eq!(error(b"")["type"], "missing");
        assert_eq!(error(b" null ")["loc"], json!(["body"]));
        let e = error(b"{\n  \"a\": }");
        assert_eq!(e["type"], "json_invalid");
        assert_eq!(e["loc"], json!(["body", 9]));
        assert!(e["ctx"]["error"].is_string());
        assert_eq!(json_body(b"[1]").unwrap(), json!([1]));
    }
}
