//! Field-by-field checks of a JSON object, each failure recorded as a
//! pydantic 2 error item located under a base `loc` (`["body"]`, or
//! `["body", "messages", 3]` for one element of a batch), so every error
//! of a body is reported at once, as FastAPI does.

use serde_json::{Map, Value, json};

use crate::isodate;
use crate::validate::{FieldError, one_of};

pub(crate) struct Fields<'a> {
    pub obj: &'a Map<String, Value>,
    base: Vec<Value>,
    pub errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    /// The object at `base`, or the error for a value that is not one.
    pub fn of(value: &'a Value, base: &[Value]) -> Result<Fields<'a>, Vec<FieldError>> {
        match value {
            Value::Object(obj) => Ok(Fields { obj, base: base.to_vec(), errors: Vec::new() }),
            _ => {
                let msg = "Input should be a valid dictionary or object to extract fields from";
                Err(vec![FieldError::new(base.to_vec(), "model_attributes_type", msg, value)])
            }
        }
    }

    pub fn loc(&self, name: &str) -> Vec<Value> {
        let mut loc = self.base.clone();
        loc.push(json!(name));
        loc
    }

    pub fn fail(&mut self, name: &str, kind: &'static str, msg: impl Into<String>, input: &Value) {
        let err = FieldError::new(self.loc(name), kind, msg, input);
        self.errors.push(err);
    }

    fn missing(&mut self, name: &str) {
        let whole = Value::Object(self.obj.clone());
        self.fail(name, "missing", "Field required", &whole);
    }

    /// A required string: absent, null or another type is an error.
    pub fn required_string(&mut self, name: &str) -> Option<String> {
        match self.obj.get(name) {
            None => {
                self.missing(name);
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                let v = v.clone();
                self.fail(name, "string_type", "Input should be a valid string", &v);
                None
            }
        }
    }

    /// A required string of at least one character.
    pub fn non_empty_string(&mut self, name: &str) -> Option<String> {
        let s = self.required_string(name)?;
        if s.is_empty() {
            let err = FieldError {
                ctx: Some(json!({ "min_length": 1 })),
                ..FieldError::new(
                    self.loc(name),
                    "string_too_short",
                    "String should have at least 1 character",
                    &json!(s),
                )
            };
            self.errors.push(err);
            return None;
        }
        Some(s)
    }

    /// An optional string: absent and null are `None`.
    pub fn optional_string(&mut self, name: &str) -> Option<String> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                let v = v.clone();
                self.fail(name, "string_type", "Input should be a valid string", &v);
                None
            }
        }
    }

    /// An optional string of at most `max` characters.
    pub fn bounded_string(&mut self, name: &str, max: usize) -> Option<String> {
        let s = self.optional_string(name)?;
        let n = s.chars().count();
        if n > max {
            let msg = format!("String should have at most {max} characters");
            let err = FieldError {
                ctx: Some(json!({ "max_length": max })),
                ..FieldError::new(self.loc(name), "string_too_long", msg, &json!(s))
            };
            self.errors.push(err);
            return None;
        }
        Some(s)
    }

    /// A required value that must be a UUID in any form `uuid` reads;
    /// returns it canonical.
    pub fn uuid(&mut self, name: &str) -> Option<String> {
        let s = self.required_string(name)?;
        match uuid::Uuid::parse_str(&s) {
            Ok(id) => Some(id.hyphenated().to_string()),
            Err(e) => {
                self.fail(name, "uuid_parsing", format!("Input should be a valid UUID, {e}"), &json!(s));
                None
            }
        }
    }

    /// An enum member; absent takes `default` (or is missing without one).
    pub fn one_of(
        &mut self,
        name: &str,
        allowed: &[&'static str],
        default: Option<&'static str>,
    ) -> Option<&'static str> {
        match (self.obj.get(name), default) {
            (None | Some(Value::Null), Some(default)) => return Some(default),
            (None, None) => {
                self.missing(name);
                return None;
            }
            _ => {}
        }
        let before = self.errors.len();
        let base = self.base.clone();
        let at = |field: &str| {
            let mut loc = base.clone();
            loc.push(json!(field));
            loc
        };
        one_of(self.obj, name, allowed, &at, &mut self.errors);
        if self.errors.len() > before {
            return None;
        }
        let given = self.obj.get(name).and_then(Value::as_str);
        allowed.iter().copied().find(|a| Some(*a) == given)
    }

    /// An optional object: absent and null are `None`.
    pub fn object(&mut self, name: &str) -> Option<&'a Map<String, Value>> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m),
            Some(v) => {
                let v = v.clone();
                self.fail(name, "dict_type", "Input should be a valid dictionary", &v);
                None
            }
        }
    }

    /// A `scope` path: null or an object of strings.
    pub fn scope(&mut self, name: &str) {
        if let Some(path) = self.object(name) {
            for (rung, v) in path.iter().filter(|(_, v)| !v.is_string()) {
                let mut loc = self.loc(name);
                loc.push(json!(rung));
                self.errors.push(FieldError::new(loc, "string_type", "Input should be a valid string", v));
            }
        }
    }

    pub fn bool(&mut self, name: &str, default: bool) -> bool {
        match self.obj.get(name) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                let v = v.clone();
                self.fail(name, "bool_type", "Input should be a valid boolean", &v);
                default
            }
        }
    }

    /// An optional integer of at least `min`.
    pub fn optional_int(&mut self, name: &str, min: i64) -> Option<i64> {
        let v = self.obj.get(name).filter(|v| !v.is_null())?.clone();
        match v.as_i64() {
            Some(n) if n >= min => Some(n),
            Some(_) => {
                let err = FieldError {
                    ctx: Some(json!({ "ge": min })),
                    ..FieldError::new(
                        self.loc(name),
                        "greater_than_equal",
                        format!("Input should be greater than or equal to {min}"),
                        &v,
                    )
                };
                self.errors.push(err);
                None
            }
            None => {
                self.fail(name, "int_type", "Input should be a valid integer", &v);
                None
            }
        }
    }

    /// An optional datetime string in a form pydantic reads.
    pub fn datetime(&mut self, name: &str) -> Option<jiff::Timestamp> {
        match self.obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if isodate::is_datetime(s) => crate::timefmt::parse(s),
            Some(v @ Value::String(_)) => {
                let v = v.clone();
                let msg = "Input should be a valid datetime or date, not an ISO 8601 datetime";
                self.fail(name, "datetime_from_date_parsing", msg, &v);
                None
            }
            Some(v) => {
                let v = v.clone();
                self.fail(name, "datetime_type", "Input should be a valid datetime", &v);
                None
            }
        }
    }

    /// Fails when the value's compact JSON exceeds `max_bytes`.
    pub fn max_json_bytes(&mut self, name: &str, max_bytes: usize) {
        if let Some(v) = self.obj.get(name) {
            let len = v.to_string().len();
            if len > max_bytes {
                let msg = format!("Value error, {name} must be at most {max_bytes} bytes of JSON, not {len}");
                let v = v.clone();
                self.fail(name, "value_error", msg, &v);
            }
        }
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() { Ok(value) } else { Err(self.errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_the_base_location() {
        let v = json!({"role": "system", "user_id": "", "n": -1, "when": "yesterday"});
        let mut f = Fields::of(&v, &[json!("body"), json!("messages"), json!(2)]).unwrap();
        assert_eq!(f.one_of("role", &["user", "assistant"], None), None);
        assert_eq!(f.non_empty_string("user_id"), None);
        assert_eq!(f.required_string("content"), None);
        assert_eq!(f.optional_int("n", 1), None);
        assert_eq!(f.datetime("when"), None);
        assert_eq!(f.uuid("conversation_id"), None);
        let kinds: Vec<(&str, String)> = f.errors.iter().map(|e| (e.kind, e.summary(3))).collect();
        assert_eq!(kinds[0], ("enum", "role: Input should be 'user' or 'assistant'".to_owned()));
        assert_eq!(kinds[1].0, "string_too_short");
        assert_eq!(kinds[2], ("missing", "content: Field required".to_owned()));
        assert_eq!(kinds[3].0, "greater_than_equal");
        assert_eq!(kinds[4].0, "datetime_from_date_parsing");
        assert_eq!(kinds[5].0, "missing");
        assert_eq!(f.errors[0].loc, [json!("body"), json!("messages"), json!(2), json!("role")]);
        assert!(Fields::of(&json!([1]), &[json!("body")]).is_err());
    }

    #[test]
    fn good_values_pass() {
        let v = json!({"role": "user", "conversation_id": "6F1C9E2A-3B7D-4A58-9C0E-2D4B6A8F1E37", "force": true,
                       "target_tokens": 5, "scope": {"team": "a"}, "when": "2025-01-15T10:00:00+00:00"});
        let mut f = Fields::of(&v, &[json!("body")]).unwrap();
        assert_eq!(f.one_of("role", &["user", "assistant"], None), Some("user"));
        assert_eq!(f.one_of("strategy", &["a"], Some("a")), Some("a"));
        assert_eq!(f.uuid("conversation_id").as_deref(), Some("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"));
        assert!(f.bool("force", false));
        assert_eq!(f.optional_int("target_tokens", 1), Some(5));
        f.scope("scope");
        assert!(f.datetime("when").is_some());
        assert!(f.finish(()).is_ok());
    }
}
