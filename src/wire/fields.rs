//! A response object read as named loose values, with the field checks every
//! body parser shares: each failure is a protocol error naming the field.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};

use super::loose::{Loose, quote};
use crate::error::Error;
use crate::timestamp::parse_unix_micros;

/// The top-level fields of a JSON object; nested arrays and objects are
/// only recorded as such (`Loose::Array`, `Loose::Object`).
pub(crate) struct Fields<'de> {
    what: &'static str,
    values: HashMap<Cow<'de, str>, Loose<'de>>,
}

/// Reads `body` as one JSON object. `what` names the response in messages
/// ("invalid memory response: ...").
pub(crate) fn read_object<'de>(body: &'de [u8], what: &'static str) -> Result<Fields<'de>, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let values = de
        .deserialize_map(ObjectVisitor)
        .and_then(|values| de.end().map(|()| values))
        .map_err(|e| invalid(what, format_args!("{e}")))?;
    Ok(Fields { what, values })
}

pub(crate) fn invalid(what: &str, detail: impl fmt::Display) -> Error {
    Error::protocol(format!("invalid {what} response: {detail}"))
}

struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = HashMap<Cow<'de, str>, Loose<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut values = HashMap::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            // A repeated key wins, as in the reference SDK's parser.
            values.insert(key, map.next_value::<Loose<'de>>()?);
        }
        Ok(values)
    }
}

impl<'de> Fields<'de> {
    fn take(&mut self, field: &str) -> Option<Loose<'de>> {
        self.values.remove(field)
    }

    fn error(&self, detail: impl fmt::Display) -> Error {
        invalid(self.what, detail)
    }

    /// A string that must be present and not null.
    pub(crate) fn required_str(&mut self, field: &str) -> Result<Cow<'de, str>, Error> {
        match self.take(field) {
            None => Err(self.error(format_args!("field `{field}` is missing"))),
            Some(Loose::Null) => Err(self.error(format_args!("field `{field}` must be a string, got null"))),
            value => self.string(field, value).map(|s| s.unwrap_or_default()),
        }
    }

    /// A string, or `None` when absent or null.
    pub(crate) fn optional_str(&mut self, field: &str) -> Result<Option<Cow<'de, str>>, Error> {
        let value = self.take(field);
        self.string(field, value)
    }

    fn string(&self, field: &str, value: Option<Loose<'de>>) -> Result<Option<Cow<'de, str>>, Error> {
        match value {
            None | Some(Loose::Null) => Ok(None),
            Some(Loose::Str(s)) if s.contains('\0') => {
                Err(self.error(format_args!("field `{field}` contains a NUL character")))
            }
            Some(Loose::Str(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(format_args!("field `{field}` must be a string, got {}", other.describe()))),
        }
    }

    /// A required string holding a UUID.
    pub(crate) fn required_uuid(&mut self, field: &str) -> Result<uuid::Uuid, Error> {
        let text = self.required_str(field)?;
        uuid::Uuid::parse_str(&text)
            .map_err(|_| self.error(format_args!("field `{field}` is not a UUID: {}", quote(&text))))
    }

    /// A required ISO 8601 timestamp, as Unix microseconds.
    pub(crate) fn required_time(&mut self, field: &str) -> Result<i64, Error> {
        let text = self.required_str(field)?;
        self.time(field, &text)
    }

    /// An optional timestamp: absent, null and `""` all mean none.
    pub(crate) fn optional_time(&mut self, field: &str) -> Result<Option<i64>, Error> {
        match self.optional_str(field)? {
            None => Ok(None),
            Some(s) if s.is_empty() => Ok(None),
            Some(s) => self.time(field, &s).map(Some),
        }
    }

    fn time(&self, field: &str, text: &str) -> Result<i64, Error> {
        parse_unix_micros(text)
            .ok_or_else(|| self.error(format_args!("field `{field}` is not an ISO 8601 timestamp: {}", quote(text))))
    }

    /// A required number (an integer is accepted too).
    pub(crate) fn required_number(&mut self, field: &str) -> Result<f64, Error> {
        match self.take(field) {
            None => Err(self.error(format_args!("field `{field}` is missing"))),
            Some(Loose::Float(f)) => Ok(f),
            Some(Loose::Int(n)) => Ok(n as f64),
            Some(Loose::UInt(n)) => Ok(n as f64),
            Some(other) => Err(self.error(format_args!("field `{field}` must be a number, got {}", other.describe()))),
        }
    }
}
