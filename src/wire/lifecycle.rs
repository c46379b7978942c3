//! The bodies of the memory lifecycle routes (contract part 2, §6.2, §6.3,
//! §6.5, §6.6): a memory deleted, a forget request's outcome and a data
//! deletion's record.
//!
//! Each body is read in one streaming pass into the model types of
//! `crate::lifecycle`, by the tolerance rules of the conversation answers
//! (see `super::conversation`):
//! - an explicit `null` is the same as an absent key;
//! - a scalar of the wrong type is absent (an integer, number, boolean or
//!   time is read as `super::context` reads one);
//! - server text holding a NUL (JSON `\u0000`) is absent;
//! - a list of strings (`deleted_ids`, `failed_ids`, `still_present_in`,
//!   `kept`) that is not an array is empty, and its elements that are not
//!   strings are skipped;
//! - `counts` that is not an object is empty, and its stores whose count is
//!   not an integer are left out; `stores` is kept as JSON text when it is an
//!   object, any other value is absent;
//! - no default is filled in: what the service does not send is `None`;
//! - a repeated key: the last one wins (a repeated store of `counts` keeps
//!   its first place).
//!
//! Two fields are required, as what a caller acts on: a deleted memory's
//! `memory_id` and a forget answer's `status`. Absent, null, not a string or
//! holding a NUL, they fail the body with `Protocol` naming them.
//!
//! Otherwise only a body whose structure is wrong fails, with `Protocol`
//! naming the path (`candidates[2] is not an object`): not UTF-8 or not
//! JSON, not an object; `candidates` not an array, or an element of it not
//! an object (`null` included).
//!
//! Nothing here recurses with the depth of the body: values that are
//! skipped or captured as JSON text are handled by serde_json without
//! recursion.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::context::{Path, Strings, boolean, integer, object_json, read_body, scalars, text, time, utf8};
use super::conversation::{list, scalar};
use super::loose::Loose;
use super::required::required_text;
use crate::error::Error;
use crate::lifecycle::{DataDeletion, DeletedMemory, ForgetCandidate, Forgotten};
use crate::text::Text;

/// Parses the body of `DELETE /api/v1/memories/{memory_id}` (§6.2).
pub(crate) fn parse_deleted_memory(body: &[u8]) -> Result<DeletedMemory, Error> {
    const WHAT: &str = "deleted memory";
    let (mut deleted, memory_id) = read_body(WHAT, utf8(WHAT, body)?, DeletedMemoryVisitor)?;
    deleted.memory_id = Some(required_text(WHAT, "memory_id", memory_id)?);
    Ok(deleted)
}

/// Parses the body of `POST /api/v1/memories/forget` (§6.3).
pub(crate) fn parse_forgotten(body: &[u8]) -> Result<Forgotten, Error> {
    const WHAT: &str = "forget";
    let (mut forgotten, status) = read_body(WHAT, utf8(WHAT, body)?, ForgottenVisitor)?;
    forgotten.status = Some(required_text(WHAT, "status", status)?);
    Ok(forgotten)
}

/// Parses the body of `POST /v1/data/delete` and
/// `GET /v1/data/delete/{deletion_id}` (§6.5, §6.6); `raw_json` is the
/// body.
pub(crate) fn parse_data_deletion(body: &[u8]) -> Result<DataDeletion, Error> {
    const WHAT: &str = "data deletion";
    let text = utf8(WHAT, body)?;
    let mut deletion = read_body(WHAT, text, DataDeletionVisitor)?;
    // Always some: JSON text holds no NUL byte (in a string it would be a
    // control character, refused by the read above).
    deletion.raw_json = Text::new(text);
    Ok(deletion)
}

// A memory deleted (§6.2).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum DeletedKey {
    MemoryId,
    DeletedAt,
    #[serde(other)]
    Other,
}

/// The answer, and its `memory_id` as sent, checked once the body is read.
struct DeletedMemoryVisitor;

impl<'de> Visitor<'de> for DeletedMemoryVisitor {
    type Value = (DeletedMemory, Option<Loose<'de>>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a deleted memory response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut d, mut memory_id) = (DeletedMemory::default(), None);
        while let Some(key) = map.next_key::<DeletedKey>()? {
            match key {
                DeletedKey::MemoryId => memory_id = scalar(&mut map)?,
                DeletedKey::DeletedAt => d.deleted_at_us = time(&scalar(&mut map)?),
                DeletedKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((d, memory_id))
    }
}

// A forget request's outcome (§6.3).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ForgottenKey {
    Status,
    RequestId,
    Candidates,
    DeletedIds,
    FailedIds,
    StillPresentIn,
    MayBeIncomplete,
    #[serde(other)]
    Other,
}

/// The answer, and its `status` as sent, checked once the body is read.
struct ForgottenVisitor;

impl<'de> Visitor<'de> for ForgottenVisitor {
    type Value = (Forgotten, Option<Loose<'de>>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a forget response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut f, mut status) = (Forgotten::default(), None);
        while let Some(key) = map.next_key::<ForgottenKey>()? {
            match key {
                ForgottenKey::Status => status = scalar(&mut map)?,
                ForgottenKey::RequestId => f.request_id = text(&scalar(&mut map)?),
                ForgottenKey::Candidates => {
                    f.candidates = list(&mut map, Path::Key("candidates"), || CandidateVisitor)?;
                }
                ForgottenKey::DeletedIds => f.deleted_ids = map.next_value_seed(Strings)?,
                ForgottenKey::FailedIds => f.failed_ids = map.next_value_seed(Strings)?,
                ForgottenKey::StillPresentIn => f.still_present_in = map.next_value_seed(Strings)?,
                ForgottenKey::MayBeIncomplete => f.may_be_incomplete = boolean(&scalar(&mut map)?),
                ForgottenKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((f, status))
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum CandidateKey {
    MemoryId,
    Content,
    MemoryType,
    Store,
    #[serde(other)]
    Other,
}

/// A memory the forget request matched. No `store` is assumed: the
/// reference SDK's `memory` default is not made up.
struct CandidateVisitor;

impl<'de> Visitor<'de> for CandidateVisitor {
    type Value = ForgetCandidate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a forget candidate")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut c = ForgetCandidate::default();
        while let Some(key) = map.next_key::<CandidateKey>()? {
            match key {
                CandidateKey::MemoryId => c.memory_id = text(&scalar(&mut map)?),
                CandidateKey::Content => c.content = text(&scalar(&mut map)?),
                CandidateKey::MemoryType => c.memory_type = text(&scalar(&mut map)?),
                CandidateKey::Store => c.store = text(&scalar(&mut map)?),
                CandidateKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(c)
    }
}

// A data deletion's record (§6.5, §6.6).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum DeletionKey {
    DeletionId,
    Status,
    Scope,
    DryRun,
    Found,
    Counts,
    Stores,
    StillPresentIn,
    FullyRemoved,
    Continue,
    Kept,
    Note,
    Audit,
    MemoriesKept,
    #[serde(other)]
    Other,
}

struct DataDeletionVisitor;

impl<'de> Visitor<'de> for DataDeletionVisitor {
    type Value = DataDeletion;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a data deletion response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut d = DataDeletion::default();
        while let Some(key) = map.next_key::<DeletionKey>()? {
            match key {
                DeletionKey::DeletionId => d.deletion_id = text(&scalar(&mut map)?),
                DeletionKey::Status => d.status = text(&scalar(&mut map)?),
                DeletionKey::Scope => d.scope = text(&scalar(&mut map)?),
                DeletionKey::DryRun => d.dry_run = boolean(&scalar(&mut map)?),
                DeletionKey::Found => d.found = boolean(&scalar(&mut map)?),
                DeletionKey::Counts => d.counts = map.next_value_seed(Counts)?,
                // Captured as text without being parsed into values:
                // however deep, serde_json skips it without recursion.
                DeletionKey::Stores => d.stores_json = object_json(map.next_value()?),
                DeletionKey::StillPresentIn => d.still_present_in = map.next_value_seed(Strings)?,
                DeletionKey::FullyRemoved => d.fully_removed = boolean(&scalar(&mut map)?),
                DeletionKey::Continue => d.continues = boolean(&scalar(&mut map)?),
                DeletionKey::Kept => d.kept = map.next_value_seed(Strings)?,
                DeletionKey::Note => d.note = text(&scalar(&mut map)?),
                DeletionKey::Audit => d.audit = text(&scalar(&mut map)?),
                DeletionKey::MemoriesKept => d.memories_kept = boolean(&scalar(&mut map)?),
                DeletionKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(d)
    }
}

/// `counts`, per store an integer, in the order sent. Tolerant: a value
/// that is not an object is empty; a store whose count is not an integer,
/// or whose name holds a NUL, is left out. A repeated store keeps its first
/// place and takes its last value, as the object read into a dict does.
struct Counts;

impl<'de> DeserializeSeed<'de> for Counts {
    type Value = Vec<(Text, i64)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Counts {
    type Value = Vec<(Text, i64)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of counts")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut counts: Vec<(Text, Option<i64>)> = Vec::new();
        let mut places: HashMap<String, usize> = HashMap::new();
        while let Some(store) = map.next_key::<String>()? {
            let count = integer(&scalar(&mut map)?);
            if let Some(&place) = places.get(&store) {
                counts[place].1 = count;
            } else if let Some(name) = Text::new(&store) {
                places.insert(store, counts.len());
                counts.push((name, count));
            }
        }
        Ok(counts.into_iter().filter_map(|(name, count)| Some((name, count?))).collect())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    scalars!(null => Ok(Vec::new()), |_this| Ok(Vec::new()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::lifecycle::{DeletionState, ForgetOutcome};
    use crate::wire::test_support::{error, ok, t, texts};

    fn deleted(json: &str) -> DeletedMemory {
        ok(parse_deleted_memory, json)
    }

    fn forgotten(json: &str) -> Forgotten {
        ok(parse_forgotten, json)
    }

    /// A forget answer with a valid `status` and `fields`.
    fn forgotten_with(fields: &str) -> Forgotten {
        forgotten(&format!(r#"{{"status": "deleted", {fields}}}"#))
    }

    fn deletion(json: &str) -> DataDeletion {
        ok(parse_data_deletion, json)
    }

    /// `deletion` without its `raw_json`, to compare fields alone.
    fn deletion_fields(json: &str) -> DataDeletion {
        let d = deletion(json);
        assert_eq!(d.raw_json.as_deref(), Some(json));
        DataDeletion { raw_json: None, ..d }
    }

    const DELETED: &str =
        r#"{"memory_id": "0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "deleted_at": "2025-01-16T09:12:30Z"}"#;

    const FORGET: &str = r#"{"status": "preview", "request_id": "fr_01HZX3", "candidates": [{"memory_id": "0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60",
  "content": "Lives at 12 Elm St", "memory_type": "fact", "store": "memory"}], "deleted_ids": [], "may_be_incomplete": false}"#;

    const DELETION: &str = r#"{"deletion_id": "del_7f3a9c", "status": "partial", "scope": "user", "dry_run": false, "found": true,
 "counts": {"memories": 42, "conversations": 3}, "still_present_in": ["graph"], "fully_removed": false, "continue": false}"#;

    // A memory deleted (§6.2).

    #[test]
    fn deleted_memory_contract_example() {
        assert_eq!(
            deleted(DELETED),
            DeletedMemory {
                memory_id: t("0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60"),
                deleted_at_us: Some(1_737_018_750_000_000),
            }
        );
        assert_eq!(DeletedMemory::from_json(DELETED.as_bytes()).unwrap(), deleted(DELETED));
    }

    #[test]
    fn deleted_memory_time_is_tolerant() {
        let at = |v: &str| deleted(&format!(r#"{{"memory_id": "m", "deleted_at": {v}}}"#)).deleted_at_us;
        assert_eq!(at(r#""2025-01-16T09:12:30.5+01:00""#), Some(1_737_015_150_500_000));
        assert_eq!(at("null"), None);
        assert_eq!(at(r#""""#), None);
        assert_eq!(at(r#""yesterday""#), None);
        assert_eq!(at("1737018750"), None);
        assert_eq!(at(r#"["2025-01-16T09:12:30Z"]"#), None);
        assert_eq!(at(r#""2025-01-16T09:12:30Z\u0000""#), None);
        // The id is kept as sent: the service names its memories.
        let d = deleted(r#"{"memory_id": "", "other": {"x": [1]}}"#);
        assert_eq!(d, DeletedMemory { memory_id: t(""), deleted_at_us: None });
    }

    #[test]
    fn deleted_memory_requires_its_id() {
        let cases: &[(&str, &str)] = &[
            ("{}", "field `memory_id` is missing"),
            (r#"{"deleted_at": "2025-01-16T09:12:30Z"}"#, "field `memory_id` is missing"),
            (r#"{"memory_id": null}"#, "field `memory_id` is missing"),
            (r#"{"memory_id": "m", "memory_id": null}"#, "field `memory_id` is missing"),
            (r#"{"memory_id": 7}"#, "field `memory_id` must be a string, got the number 7"),
            (r#"{"memory_id": true}"#, "field `memory_id` must be a string, got the boolean true"),
            (r#"{"memory_id": ["m"]}"#, "field `memory_id` must be a string, got an array"),
            (r#"{"memory_id": {"id": "m"}}"#, "field `memory_id` must be a string, got an object"),
            (r#"{"memory_id": "m\u0000"}"#, "field `memory_id` contains a NUL character"),
        ];
        for (body, detail) in cases {
            assert_eq!(
                error(parse_deleted_memory, body.as_bytes()),
                format!("invalid deleted memory response: {detail}"),
                "{body}"
            );
        }
        assert_eq!(deleted(r#"{"memory_id": null, "memory_id": "m"}"#).memory_id, t("m"));
    }

    // A forget request's outcome (§6.3).

    #[test]
    fn forget_contract_example() {
        let f = forgotten(FORGET);
        assert_eq!(
            f,
            Forgotten {
                status: t("preview"),
                request_id: t("fr_01HZX3"),
                candidates: vec![ForgetCandidate {
                    memory_id: t("0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60"),
                    content: t("Lives at 12 Elm St"),
                    memory_type: t("fact"),
                    store: t("memory"),
                }],
                deleted_ids: vec![],
                failed_ids: vec![],
                still_present_in: vec![],
                may_be_incomplete: Some(false),
            }
        );
        assert_eq!(f.outcome(), ForgetOutcome::Preview);
        assert_eq!(Forgotten::from_json(FORGET.as_bytes()).unwrap(), f);
    }

    #[test]
    fn forget_every_field() {
        let f = forgotten(
            r#"{"status": "partial", "request_id": null, "deleted_ids": ["a", "b"], "failed_ids": ["c"],
                "still_present_in": ["chunk", "triple"], "may_be_incomplete": true, "matched": 3,
                "candidates": [{"memory_id": "a", "content": "x", "store": "chunk"}, {}]}"#,
        );
        assert_eq!(
            f,
            Forgotten {
                status: t("partial"),
                request_id: None,
                candidates: vec![
                    ForgetCandidate { memory_id: t("a"), content: t("x"), store: t("chunk"), ..Default::default() },
                    ForgetCandidate::default(),
                ],
                deleted_ids: vec![Text::new("a").unwrap(), Text::new("b").unwrap()],
                failed_ids: vec![Text::new("c").unwrap()],
                still_present_in: vec![Text::new("chunk").unwrap(), Text::new("triple").unwrap()],
                may_be_incomplete: Some(true),
            }
        );
        assert_eq!(f.outcome(), ForgetOutcome::Partial);
        // A status this version does not know is kept, and reads as not done.
        let f = forgotten(r#"{"status": "queued"}"#);
        assert_eq!((f.status.as_deref(), f.outcome()), (Some("queued"), ForgetOutcome::Unknown));
    }

    #[test]
    fn forget_nulls_wrong_types_and_nul_are_absent() {
        let only_status = Forgotten { status: t("deleted"), ..Default::default() };
        assert_eq!(forgotten(r#"{"status": "deleted"}"#), only_status);
        let nulls = r#""request_id": null, "candidates": null, "deleted_ids": null, "failed_ids": null,
            "still_present_in": null, "may_be_incomplete": null"#;
        assert_eq!(forgotten_with(nulls), only_status);
        let wrong = r#""request_id": 12, "deleted_ids": "a", "failed_ids": {"c": 1}, "still_present_in": 0,
            "may_be_incomplete": "perhaps""#;
        assert_eq!(forgotten_with(wrong), only_status);
        assert_eq!(forgotten_with(r#""request_id": "fr\u0000""#), only_status);
        let candidate = |fields: &str| {
            let f = forgotten_with(&format!(r#""candidates": [{{{fields}}}]"#));
            assert_eq!(f.candidates.len(), 1);
            f.candidates.into_iter().next().unwrap()
        };
        let nulls = r#""memory_id": null, "content": null, "memory_type": null, "store": null"#;
        assert_eq!(candidate(nulls), ForgetCandidate::default());
        let wrong = r#""memory_id": 5, "content": ["x"], "memory_type": {}, "store": false"#;
        assert_eq!(candidate(wrong), ForgetCandidate::default());
        let nul = r#""memory_id": "m", "content": "a\u0000b", "memory_type": "\u0000", "store": "memory""#;
        assert_eq!(candidate(nul), ForgetCandidate { memory_id: t("m"), store: t("memory"), ..Default::default() });
    }

    #[test]
    fn forget_id_lists_skip_what_is_not_a_string() {
        let ids = |v: &str| forgotten_with(&format!(r#""deleted_ids": {v}"#)).deleted_ids;
        assert_eq!(texts(&ids(r#"["a", 1, null, {"id": "x"}, ["y"], "b\u0000", "", "c"]"#)), ["a", "", "c"]);
        assert!(ids(r#""a""#).is_empty());
        assert!(ids("true").is_empty());
        let f = forgotten_with(r#""failed_ids": [2, "f"], "still_present_in": [null, "graph"]"#);
        assert_eq!((texts(&f.failed_ids), texts(&f.still_present_in)), (vec!["f"], vec!["graph"]));
    }

    #[test]
    fn forget_booleans_are_lax() {
        let incomplete = |v: &str| forgotten_with(&format!(r#""may_be_incomplete": {v}"#)).may_be_incomplete;
        assert_eq!(incomplete("true"), Some(true));
        assert_eq!(incomplete("0"), Some(false));
        assert_eq!(incomplete(r#""yes""#), Some(true));
        assert_eq!(incomplete("2"), None);
    }

    #[test]
    fn forget_requires_its_status() {
        let cases: &[(&str, &str)] = &[
            ("{}", "field `status` is missing"),
            (r#"{"candidates": [], "deleted_ids": ["a"]}"#, "field `status` is missing"),
            (r#"{"status": null}"#, "field `status` is missing"),
            (r#"{"status": "deleted", "status": null}"#, "field `status` is missing"),
            (r#"{"status": 1}"#, "field `status` must be a string, got the number 1"),
            (r#"{"status": ["deleted"]}"#, "field `status` must be a string, got an array"),
            (r#"{"status": {"state": "deleted"}}"#, "field `status` must be a string, got an object"),
            (r#"{"status": "deleted\u0000"}"#, "field `status` contains a NUL character"),
        ];
        for (body, detail) in cases {
            assert_eq!(error(parse_forgotten, body.as_bytes()), format!("invalid forget response: {detail}"), "{body}");
        }
        // The empty string is a status, if not one this version knows.
        assert_eq!(forgotten(r#"{"status": ""}"#).outcome(), ForgetOutcome::Unknown);
    }

    #[test]
    fn forget_structure_errors_name_the_path() {
        let cases: &[(&str, &str)] = &[
            (r#"{"status": "deleted", "candidates": {}}"#, "candidates is not an array"),
            (r#"{"status": "deleted", "candidates": "none"}"#, "candidates is not an array"),
            (r#"{"status": "deleted", "candidates": 0}"#, "candidates is not an array"),
            (r#"{"status": "deleted", "candidates": [{}, {}, "m"]}"#, "candidates[2] is not an object"),
            (r#"{"status": "deleted", "candidates": [null]}"#, "candidates[0] is not an object"),
            (r#"{"status": "deleted", "candidates": [{}, []]}"#, "candidates[1] is not an object"),
            // The structure fails before the status is looked at.
            (r#"{"candidates": [1]}"#, "candidates[0] is not an object"),
        ];
        for (body, path) in cases {
            assert_eq!(error(parse_forgotten, body.as_bytes()), format!("invalid forget response: {path}"), "{body}");
        }
    }

    // A data deletion's record (§6.5, §6.6).

    #[test]
    fn data_deletion_contract_example() {
        let d = deletion(DELETION);
        assert_eq!(
            d,
            DataDeletion {
                deletion_id: t("del_7f3a9c"),
                status: t("partial"),
                scope: t("user"),
                dry_run: Some(false),
                found: Some(true),
                counts: vec![(Text::new("memories").unwrap(), 42), (Text::new("conversations").unwrap(), 3)],
                stores_json: None,
                still_present_in: vec![Text::new("graph").unwrap()],
                fully_removed: Some(false),
                continues: Some(false),
                kept: vec![],
                note: None,
                audit: None,
                memories_kept: None,
                raw_json: t(DELETION),
            }
        );
        assert_eq!((d.state(), d.count("memories"), d.count("graph")), (DeletionState::Partial, Some(42), None));
        assert_eq!(DataDeletion::from_json(DELETION.as_bytes()).unwrap(), d);
    }

    #[test]
    fn data_deletion_every_field() {
        let d = deletion_fields(
            r#"{"status": "in_progress", "scope": "conversation", "dry_run": "false", "found": 1,
                "stores": {"vector": {"rows": 3}, "graph": null}, "fully_removed": true, "continue": true,
                "kept": ["memories", "audit"], "note": "memories made from it are kept", "audit": "aud_19",
                "memories_kept": true, "local_cleared": true}"#,
        );
        assert_eq!(
            d,
            DataDeletion {
                status: t("in_progress"),
                scope: t("conversation"),
                dry_run: Some(false),
                found: Some(true),
                stores_json: t(r#"{"vector": {"rows": 3}, "graph": null}"#),
                fully_removed: Some(true),
                continues: Some(true),
                kept: vec![Text::new("memories").unwrap(), Text::new("audit").unwrap()],
                note: t("memories made from it are kept"),
                audit: t("aud_19"),
                memories_kept: Some(true),
                ..Default::default()
            }
        );
        assert_eq!((d.state(), d.state().is_terminal()), (DeletionState::InProgress, false));
        let dry = deletion(r#"{"status": "dry_run", "dry_run": true, "counts": {"memories": 7}}"#);
        assert_eq!((dry.state(), &dry.deletion_id, dry.count("memories")), (DeletionState::DryRun, &None, Some(7)));
    }

    #[test]
    fn data_deletion_nulls_and_wrong_types_are_absent() {
        // No defaults: the reference SDK's `unknown` status and false flags
        // are not made up.
        assert_eq!(deletion_fields("{}"), DataDeletion::default());
        assert_eq!(deletion("{}").state(), DeletionState::Unknown);
        let nulls = r#"{"deletion_id": null, "status": null, "scope": null, "dry_run": null, "found": null,
            "counts": null, "stores": null, "still_present_in": null, "fully_removed": null, "continue": null,
            "kept": null, "note": null, "audit": null, "memories_kept": null}"#;
        assert_eq!(deletion_fields(nulls), DataDeletion::default());
        let wrong = r#"{"deletion_id": 7, "status": ["complete"], "scope": {}, "dry_run": "perhaps", "found": 2,
            "counts": [1, 2], "stores": ["vector"], "still_present_in": "graph", "fully_removed": 1.0,
            "continue": "again", "kept": {"memories": true}, "note": 3, "audit": false, "memories_kept": []}"#;
        assert_eq!(deletion_fields(wrong), DataDeletion::default());
        let nul = r#"{"deletion_id": "d\u0000", "note": "\u0000", "audit": "a", "kept": ["k\u0000", "m"]}"#;
        let d = deletion_fields(nul);
        assert_eq!((d.deletion_id, d.note, d.audit, texts(&d.kept)), (None, None, t("a"), vec!["m"]));
        for stores in [r#""vector""#, "3", "true", "[]"] {
            assert_eq!(deletion(&format!(r#"{{"stores": {stores}}}"#)).stores_json, None, "{stores}");
        }
    }

    #[test]
    fn data_deletion_counts_keep_integers_in_order() {
        let counts = |v: &str| {
            let d = deletion(&format!(r#"{{"counts": {v}}}"#));
            d.counts.iter().map(|(store, n)| (store.as_str().to_owned(), *n)).collect::<Vec<_>>()
        };
        let pairs = |list: &[(&str, i64)]| list.iter().map(|(s, n)| (s.to_string(), *n)).collect::<Vec<_>>();
        assert_eq!(counts(r#"{"z": 1, "a": 2, "m": 3}"#), pairs(&[("z", 1), ("a", 2), ("m", 3)]));
        let mixed = r#"{"a": "4", "b": 5.0, "c": 5.5, "d": "many", "e": null, "f": [1], "g": {"n": 1},
            "h": true, "i\u0000": 1, "j": -2, "k": 9223372036854775808}"#;
        assert_eq!(counts(mixed), pairs(&[("a", 4), ("b", 5), ("j", -2)]));
        // A repeated store keeps its first place and its last value.
        assert_eq!(counts(r#"{"a": 1, "b": 2, "a": 3}"#), pairs(&[("a", 3), ("b", 2)]));
        assert_eq!(counts(r#"{"a": 1, "b": 2, "a": "x"}"#), pairs(&[("b", 2)]));
        assert_eq!(counts(r#"{"a": "x", "b": 2, "a": 1}"#), pairs(&[("a", 1), ("b", 2)]));
        for not_an_object in ["[1, 2]", r#""a""#, "7", "false", "null", "{}"] {
            assert!(counts(not_an_object).is_empty(), "{not_an_object}");
        }
        let d = deletion(r#"{"counts": {"memories": 1}, "counts": {"chunks": 2}}"#);
        assert_eq!((d.count("memories"), d.count("chunks")), (None, Some(2)));
    }

    #[test]
    fn data_deletion_states() {
        let state = |s: &str| deletion(&format!(r#"{{"status": "{s}"}}"#)).state();
        assert_eq!(state("complete"), DeletionState::Complete);
        assert_eq!(state("partial"), DeletionState::Partial);
        assert_eq!(state("in_progress"), DeletionState::InProgress);
        assert_eq!(state("dry_run"), DeletionState::DryRun);
        assert_eq!(state("Complete"), DeletionState::Unknown);
        assert_eq!(state("unknown"), DeletionState::Unknown);
    }

    // Every parser.

    /// Each parser, with the name its messages give the response.
    fn each_parser(check: impl Fn(&str, &dyn Fn(&[u8]) -> Option<Error>)) {
        check("deleted memory", &|b| parse_deleted_memory(b).err());
        check("forget", &|b| parse_forgotten(b).err());
        check("data deletion", &|b| parse_data_deletion(b).err());
    }

    #[test]
    fn malformed_bodies_are_protocol_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"[1, 2]", "the body is not an object"),
            (b"null", "the body is not an object"),
            (b"\"text\"", "the body is not an object"),
            (b"42", "the body is not an object"),
            (b"{\"a\": \"\xff\"}", "the body is not UTF-8 (invalid byte at offset 7)"),
            (b"\xc3", "the body is not UTF-8 (invalid byte at offset 0)"),
            (b"", "EOF while parsing a value at line 1 column 0"),
            (b"{\"a\": ", "EOF while parsing a value at line 1 column 6"),
            (b"{} {}", "trailing characters at line 1 column 4"),
            (
                b"{\"a\": \"\x01\"}",
                "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 7",
            ),
        ];
        each_parser(|what, parse| {
            for (body, detail) in cases {
                let e = parse(body).unwrap_or_else(|| panic!("{what}: {}", String::from_utf8_lossy(body)));
                assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
                assert_eq!(e.message(), format!("invalid {what} response: {detail}"));
            }
        });
        assert!(parse_data_deletion(b" {\"unknown\": [1, {\"x\": null}]} ").is_ok());
    }

    #[test]
    fn every_route_reads_every_example() {
        // Each example holds the required fields of its own route only.
        assert!(parse_forgotten(DELETED.as_bytes()).is_err() && parse_deleted_memory(FORGET.as_bytes()).is_err());
        for body in [DELETED, FORGET, DELETION] {
            assert!(parse_data_deletion(body.as_bytes()).is_ok(), "{body}");
        }
    }

    #[test]
    fn numbers_beyond_f64_fail_only_where_read() {
        assert_eq!(
            error(parse_data_deletion, br#"{"counts": {"a": 1e999}}"#),
            "invalid data deletion response: number out of range at line 1 column 22"
        );
        assert_eq!(deletion(r#"{"other": 1e999, "stores": {"a": 1e999}}"#).count("a"), None);
    }

    #[test]
    fn deep_values_are_skipped_or_captured() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let d = deleted(&format!(r#"{{"memory_id": "m", "deleted_at": {deep}, "x": {deep}}}"#));
        assert_eq!(d, DeletedMemory { memory_id: t("m"), deleted_at_us: None });
        assert_eq!(
            error(parse_deleted_memory, format!(r#"{{"memory_id": {deep}}}"#).as_bytes()),
            "invalid deleted memory response: field `memory_id` must be a string, got an array"
        );
        let f = forgotten(&format!(
            r#"{{"status": "deleted", "candidates": [{{"content": {deep}, "y": {deep}}}], "deleted_ids": [{deep}, "a"],
                "failed_ids": {deep}, "may_be_incomplete": {deep}, "z": {deep}}}"#
        ));
        assert_eq!((f.candidates, texts(&f.deleted_ids)), (vec![ForgetCandidate::default()], vec!["a"]));
        let d = deletion(&format!(
            r#"{{"counts": {{"a": {deep}, "b": 1}}, "stores": {{"s": {deep}}}, "kept": {deep}, "note": {deep}}}"#
        ));
        assert_eq!(d.counts, [(Text::new("b").unwrap(), 1)]);
        assert_eq!(d.stores_json.as_deref(), Some(format!(r#"{{"s": {deep}}}"#).as_str()));
        assert_eq!(deletion(&format!(r#"{{"counts": {deep}}}"#)).counts, []);
    }
}
