//! `PATCH` and `DELETE /api/v1/memories/{memory_id}` (contract part 2,
//! sections 6.1 and 6.2).
//!
//! An update merges the new document's text into the memory's content:
//! `replace` takes the new text, `append` adds it on a new line,
//! `smart-merge` keeps the content when it already says the new text
//! (case-insensitively), takes the new text when that contains the old
//! content, and appends otherwise. The memory is then typed again by its
//! new content (as a created one is), keeps its `created_at` and gets
//! `updated_at` = now. `document_type` and `metadata` are checked and
//! otherwise change nothing. A deleted memory is gone for every route.
//! Unknown, unreported, deleted and malformed ids are all 404, as for
//! `GET`.

use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::body_check::Fields;
use crate::http::{Request, Response};
use crate::memories;
use crate::state::{State, lock};
use crate::timefmt;
use crate::validate::{self, DOCUMENT_TYPES, FieldError};

pub(crate) const MERGE_STRATEGIES: [&str; 3] = ["replace", "append", "smart-merge"];

fn not_found() -> Response {
    Response::detail(404, "Memory not found")
}

/// The update body: the new text and the merge strategy.
fn parse(body: &Value) -> Result<(String, &'static str), Vec<FieldError>> {
    let mut f = Fields::of(body, &[json!("body")])?;
    let text = match f.obj.get("document") {
        None => {
            f.fail("document", "missing", "Field required", body);
            None
        }
        Some(doc @ (Value::String(_) | Value::Object(_))) => {
            let text = memories::document_text(doc);
            if text.trim().is_empty() || doc.as_object().is_some_and(|o| o.is_empty()) {
                f.fail("document", "value_error", "Value error, document must not be empty", doc);
                None
            } else {
                Some(text)
            }
        }
        Some(doc) => {
            let doc = doc.clone();
            f.fail("document", "string_type", "Input should be a valid string or dictionary", &doc);
            None
        }
    };
    let strategy = f.one_of("merge_strategy", &MERGE_STRATEGIES, None);
    if f.obj.get("document_type").is_some_and(|v| !v.is_null()) {
        f.one_of("document_type", &DOCUMENT_TYPES, None);
    }
    f.object("metadata");
    match f.finish((text, strategy))? {
        (Some(text), Some(strategy)) => Ok((text, strategy)),
        _ => unreachable!("a missing field is an error"),
    }
}

/// The content after merging `new` into `old` by `strategy` (module docs).
pub(crate) fn merge(old: &str, new: &str, strategy: &str) -> String {
    let new = new.trim();
    match strategy {
        "replace" => new.to_owned(),
        "append" => format!("{old}\n{new}"),
        _ => {
            let (old_l, new_l) = (old.to_lowercase(), new.to_lowercase());
            if old_l.contains(&new_l) {
                old.to_owned()
            } else if new_l.contains(old_l.trim()) {
                new.to_owned()
            } else {
                format!("{old}\n{new}")
            }
        }
    }
}

pub(crate) fn update(state: &State, raw_id: &str, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let (text, strategy) = match parse(&body) {
        Ok(parsed) => parsed,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let Ok(id) = Uuid::parse_str(raw_id) else {
        return not_found();
    };
    let mut jobs = lock(&state.jobs);
    let Some(memory) = jobs.memory(&id) else {
        return not_found();
    };
    let draft = memories::draft(&merge(&memory.draft.content, &text, strategy));
    match jobs.update_memory(&id, draft, Timestamp::now()) {
        Some(updated) => Response::new(200, updated.body(state.time_format())),
        None => not_found(),
    }
}

pub(crate) fn delete(state: &State, raw_id: &str) -> Response {
    let Ok(id) = Uuid::parse_str(raw_id) else {
        return not_found();
    };
    let now = Timestamp::now();
    if !lock(&state.jobs).delete_memory(&id, now) {
        return not_found();
    }
    Response::json(
        200,
        &json!({"memory_id": id.hyphenated().to_string(), "deleted_at": timefmt::format(now, state.time_format())}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_strategies() {
        let old = "Prefers email.";
        assert_eq!(merge(old, " Prefers SMS after 6pm ", "replace"), "Prefers SMS after 6pm");
        assert_eq!(merge(old, "Prefers SMS after 6pm", "append"), "Prefers email.\nPrefers SMS after 6pm");
        assert_eq!(merge(old, "prefers EMAIL", "smart-merge"), old);
        assert_eq!(merge(old, "Prefers email. Also SMS.", "smart-merge"), "Prefers email. Also SMS.");
        assert_eq!(merge(old, "Lives in Oslo.", "smart-merge"), "Prefers email.\nLives in Oslo.");
    }

    #[test]
    fn the_update_body() {
        assert_eq!(parse(&json!({"document": "x", "merge_strategy": "replace"})).unwrap(), ("x".to_owned(), "replace"));
        let obj = json!({"document": {"text": "y"}, "merge_strategy": "append", "document_type": null, "metadata": {}});
        assert_eq!(parse(&obj).unwrap().0, "y");
        let errors = parse(&json!({"document": 3, "merge_strategy": "merge", "document_type": "note", "metadata": []}))
            .unwrap_err();
        let kinds: Vec<&str> = errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["string_type", "enum", "enum", "dict_type"]);
        let kinds: Vec<&str> = parse(&json!({"document": " "})).unwrap_err().iter().map(|e| e.kind).collect();
        assert_eq!(kinds, ["value_error", "missing"]);
    }
}
