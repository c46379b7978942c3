//! The body of `GET /api/v1/memories/status/{id}` (contract section 4).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use uuid::Uuid;

use super::loose::{Loose, quote};
use crate::error::Error;
use crate::status::{IngestState, MemoryIds, MemoryStatus};
use crate::timestamp::parse_unix_micros;

/// Parses a status body. Unknown fields are ignored; a missing or ill-typed
/// required field, or any string holding a NUL, is a protocol error that
/// names the field.
pub(crate) fn parse_status(body: &[u8]) -> Result<MemoryStatus, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let raw =
        de.deserialize_map(RawVisitor).and_then(|raw| de.end().map(|()| raw)).map_err(|e| invalid(format!("{e}")))?;
    raw.validate()
}

fn invalid(detail: impl fmt::Display) -> Error {
    Error::protocol(format!("invalid status response: {detail}"))
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Key {
    IngestionId,
    DocumentId,
    Status,
    QueuedAt,
    StartedAt,
    CompletedAt,
    MemoriesCreated,
    MemoryIds,
    ErrorMessage,
    #[serde(other)]
    Other,
}

/// The fields as read, before their types are judged.
#[derive(Default)]
struct Raw<'de> {
    ingestion_id: Option<Loose<'de>>,
    document_id: Option<Loose<'de>>,
    status: Option<Loose<'de>>,
    queued_at: Option<Loose<'de>>,
    started_at: Option<Loose<'de>>,
    completed_at: Option<Loose<'de>>,
    memories_created: Option<Loose<'de>>,
    memory_ids: MemoryIds,
    /// Why `memory_ids` is unusable, if it is.
    memory_ids_problem: Option<String>,
    error_message: Option<Loose<'de>>,
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        let mut raw = Raw::default();
        while let Some(key) = map.next_key::<Key>()? {
            let slot = match key {
                Key::IngestionId => &mut raw.ingestion_id,
                Key::DocumentId => &mut raw.document_id,
                Key::Status => &mut raw.status,
                Key::QueuedAt => &mut raw.queued_at,
                Key::StartedAt => &mut raw.started_at,
                Key::CompletedAt => &mut raw.completed_at,
                Key::MemoriesCreated => &mut raw.memories_created,
                Key::ErrorMessage => &mut raw.error_message,
                Key::MemoryIds => {
                    // A repeated key wins, as in the reference SDK's parser.
                    raw.memory_ids = MemoryIds::default();
                    raw.memory_ids_problem = map.next_value_seed(IdsSeed(&mut raw.memory_ids))?;
                    continue;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(raw)
    }
}

/// Reads `memory_ids` straight into the packed buffer: no string per id.
/// Yields `Some(problem)` for a value that is not an array of strings.
struct IdsSeed<'a>(&'a mut MemoryIds);

impl<'de> DeserializeSeed<'de> for IdsSeed<'_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        match Loose::deserialize_seq_or(deserializer, self)? {
            Ok(problem) => Ok(problem),
            Err(other) => Ok(Some(format!("must be an array of strings, got {}", other.describe()))),
        }
    }
}

impl<'de> Visitor<'de> for IdsSeed<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut problem = None;
        let mut index = 0usize;
        while let Some(item) = seq.next_element::<Loose<'de>>()? {
            match item {
                Loose::Str(s) if !s.contains('\0') => self.0.push(&s),
                Loose::Str(_) if problem.is_none() => {
                    problem = Some(format!("element {index} contains a NUL character"));
                }
                other if problem.is_none() => {
                    problem = Some(format!("element {index} must be a string, got {}", other.describe()));
                }
                _ => {}
            }
            index += 1;
        }
        Ok(problem)
    }
}

impl<'de> Loose<'de> {
    /// Runs `visitor` if the value is an array, else hands back the value
    /// read loosely, so the caller can say what it got instead.
    fn deserialize_seq_or<D, V>(deserializer: D, visitor: V) -> Result<Result<V::Value, Loose<'de>>, D::Error>
    where
        D: Deserializer<'de>,
        V: Visitor<'de>,
    {
        deserializer.deserialize_any(SeqOr(visitor))
    }
}

/// Forwards arrays to the inner visitor and reads anything else loosely.
struct SeqOr<V>(V);

macro_rules! loose_scalar {
    ($name:ident, $t:ty, $variant:expr) => {
        fn $name<E: de::Error>(self, v: $t) -> Result<Self::Value, E> {
            Ok(Err($variant(v)))
        }
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for SeqOr<V> {
    type Value = Result<V::Value, Loose<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(seq).map(Ok)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Err(Loose::Null))
    }
    loose_scalar!(visit_bool, bool, Loose::Bool);
    loose_scalar!(visit_i64, i64, Loose::Int);
    loose_scalar!(visit_u64, u64, Loose::UInt);
    loose_scalar!(visit_f64, f64, Loose::Float);
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Err(Loose::Str(v.into())))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Err(Loose::Str(v.to_owned().into())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err(Loose::Object))
    }
}

impl Raw<'_> {
    fn validate(self) -> Result<MemoryStatus, Error> {
        let ingestion_id = required_str("ingestion_id", self.ingestion_id)?;
        let ingestion_id = Uuid::parse_str(&ingestion_id)
            .map_err(|_| invalid(format_args!("field `ingestion_id` is not a UUID: {}", quote(&ingestion_id))))?;
        let state = IngestState::from_wire(&required_str("status", self.status)?);
        let memories_created = match self.memories_created {
            None => 0,
            Some(v) => lax_count(&v).ok_or_else(|| {
                invalid(format_args!("field `memories_created` must be a non-negative integer, got {}", v.describe()))
            })?,
        };
        if let Some(problem) = self.memory_ids_problem {
            return Err(invalid(format_args!("field `memory_ids` {problem}")));
        }
        Ok(MemoryStatus {
            ingestion_id,
            document_id: required_str("document_id", self.document_id)?.into_owned(),
            state,
            queued_at_us: timestamp("queued_at", &required_str("queued_at", self.queued_at)?)?,
            started_at_us: optional_timestamp("started_at", self.started_at)?,
            completed_at_us: optional_timestamp("completed_at", self.completed_at)?,
            memories_created,
            memory_ids: self.memory_ids,
            error_message: optional_str("error_message", self.error_message)?
                .filter(|s| !s.is_empty())
                .map(|s| s.into_owned()),
        })
    }
}

fn required_str<'de>(field: &str, value: Option<Loose<'de>>) -> Result<std::borrow::Cow<'de, str>, Error> {
    match value {
        None => Err(invalid(format_args!("field `{field}` is missing"))),
        Some(v) => optional_str(field, Some(v))?
            .ok_or_else(|| invalid(format_args!("field `{field}` must be a string, got null"))),
    }
}

/// A string, or `None` for an absent or null field.
fn optional_str<'de>(field: &str, value: Option<Loose<'de>>) -> Result<Option<std::borrow::Cow<'de, str>>, Error> {
    match value {
        None | Some(Loose::Null) => Ok(None),
        Some(Loose::Str(s)) if s.contains('\0') => {
            Err(invalid(format_args!("field `{field}` contains a NUL character")))
        }
        Some(Loose::Str(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(format_args!("field `{field}` must be a string, got {}", other.describe()))),
    }
}

fn timestamp(field: &str, text: &str) -> Result<i64, Error> {
    parse_unix_micros(text)
        .ok_or_else(|| invalid(format_args!("field `{field}` is not an ISO 8601 timestamp: {}", quote(text))))
}

/// Absent, null and `""` all mean "not yet", as in the reference SDK.
fn optional_timestamp(field: &str, value: Option<Loose<'_>>) -> Result<Option<i64>, Error> {
    match optional_str(field, value)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => timestamp(field, &s).map(Some),
    }
}

/// An integer count, accepting what the reference SDK's lax validation
/// accepts: `3`, `3.0` and `"3"`, but not `3.5`, negatives or null.
fn lax_count(value: &Loose<'_>) -> Option<u64> {
    match value {
        Loose::UInt(n) => Some(*n),
        Loose::Int(n) => u64::try_from(*n).ok(),
        Loose::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f < u64::MAX as f64 => Some(*f as u64),
        Loose::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
