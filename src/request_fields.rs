//! Checks every request builder shares: required and non-empty text, JSON
//! objects given as text, closed value sets, scope paths.

use serde_json::{Map, Value, json};

use crate::error::{Error, one_line};

/// The error for a required field that was never set.
pub(crate) fn missing(field: &str) -> Error {
    Error::invalid_argument(format!("the request has no {field}"))
}

/// `value`, refused when empty or only white space.
pub(crate) fn non_empty(field: &str, value: &str) -> Result<String, Error> {
    if value.trim().is_empty() {
        return Err(Error::invalid_argument(format!("{field} must not be empty")));
    }
    Ok(value.to_owned())
}

/// `json` parsed, refused unless it is a JSON object.
pub(crate) fn json_object(field: &str, json: &str) -> Result<Map<String, Value>, Error> {
    match serde_json::from_str(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::invalid_argument(format!("{field} JSON must be an object"))),
        Err(e) => Err(Error::invalid_argument(format!("{field} is not valid JSON: {e}"))),
    }
}

/// The member of `allowed` equal to `value`.
pub(crate) fn one_of(field: &str, value: &str, allowed: &[&'static str]) -> Result<&'static str, Error> {
    allowed.iter().find(|a| **a == value).copied().ok_or_else(|| {
        Error::invalid_argument(format!("{field} \"{}\" is not one of {}", one_line(value, 64), allowed.join(", ")))
    })
}

/// Adds one rung to a scope path, or replaces the rung of that level.
pub(crate) fn set_rung(path: &mut Vec<(String, String)>, level: &str, value: &str) -> Result<(), Error> {
    let level = non_empty("scope level", level)?;
    match path.iter_mut().find(|(l, _)| *l == level) {
        Some(rung) => rung.1 = value.to_owned(),
        None => path.push((level, value.to_owned())),
    }
    Ok(())
}

/// A scope path as the JSON object the service reads.
pub(crate) fn rungs(path: &[(String, String)]) -> Value {
    Value::Object(path.iter().map(|(l, v)| (l.clone(), json!(v))).collect())
}

/// A time given in Unix µs UTC, as the RFC 3339 text the service reads.
pub(crate) fn rfc3339(field: &str, us: i64) -> Result<String, Error> {
    crate::timestamp::format_rfc3339_micros(us)
        .ok_or_else(|| Error::invalid_argument(format!("{field} {us} us is outside years 1 to 9999")))
}
