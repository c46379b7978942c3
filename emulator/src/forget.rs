//! `POST /api/v1/memories/forget` (contract part 2, section 6.3): finds a
//! user's memories by a description and previews or deletes them.
//!
//! Scope: exactly one user, so `user_id` is required (400 without it), and
//! on a B2B instance `customer_id` too; a B2C instance refuses a
//! `customer_id` (400).
//!
//! Matching: the description's words of three letters or digits or more,
//! lowercased, common words (`the`, `what`, ... as retrieval drops them)
//! left out; a readable memory of that user (and customer, when given)
//! matches when every one of them occurs in its content, case-insensitively
//! (as a substring, so `drink` finds `drinks`). A description without such
//! a word matches nothing.
//!
//! Answers: no match is `nothing_matches`; `preview` lists the matches as
//! candidates under a new `request_id` and deletes nothing; `direct`
//! deletes them (gone as after `DELETE`) and lists them in `deleted_ids`,
//! with status `deleted`, or `partial` (`still_present_in: ["graph"]`,
//! `may_be_incomplete: true`) when [`crate::Config::forget_partial`] is on.
//! Every field of the response model is sent, arrays never null.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::body_check::Fields;
use crate::http::{Request, Response};
use crate::ids;
use crate::jobs::StoredMemory;
use crate::retrieval;
use crate::state::{B2C, State, lock};
use crate::validate::{self, FieldError};

const MIN_DESCRIPTION: usize = 3;
const MAX_DESCRIPTION: usize = 500;
const MODES: [&str; 2] = ["preview", "direct"];

struct Forget {
    description: String,
    user_id: Option<String>,
    customer_id: Option<String>,
    direct: bool,
}

fn parse(body: &Value) -> Result<Forget, Vec<FieldError>> {
    let mut f = Fields::of(body, &[json!("body")])?;
    let description = f.required_string("description");
    if let Some(d) = &description {
        let n = d.chars().count();
        let (kind, msg, ctx) = if n < MIN_DESCRIPTION {
            let msg = format!("String should have at least {MIN_DESCRIPTION} characters");
            ("string_too_short", msg, json!({"min_length": MIN_DESCRIPTION}))
        } else {
            let msg = format!("String should have at most {MAX_DESCRIPTION} characters");
            ("string_too_long", msg, json!({"max_length": MAX_DESCRIPTION}))
        };
        if !(MIN_DESCRIPTION..=MAX_DESCRIPTION).contains(&n) {
            let err = FieldError::new(f.loc("description"), kind, msg, &json!(d));
            f.errors.push(FieldError { ctx: Some(ctx), ..err });
        }
    }
    let user_id = f.optional_string("user_id");
    let customer_id = f.optional_string("customer_id");
    f.scope("scope");
    let mode = f.one_of("mode", &MODES, Some("preview"));
    let (description, mode) = f.finish((description, mode))?;
    Ok(Forget {
        description: description.expect("checked above"),
        user_id,
        customer_id,
        direct: mode == Some("direct"),
    })
}

/// The description's words that must all occur in a matching memory.
fn key_words(description: &str) -> Vec<String> {
    retrieval::words(description).into_iter().filter(|w| w.chars().count() >= 3).collect()
}

fn matches(words: &[String], content: &str) -> bool {
    let content = content.to_lowercase();
    !words.is_empty() && words.iter().all(|w| content.contains(w.as_str()))
}

pub(crate) fn forget(state: &State, req: &Request) -> Response {
    let body = match validate::json_body(&req.body) {
        Ok(body) => body,
        Err(resp) => return resp,
    };
    let forget = match parse(&body) {
        Ok(forget) => forget,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let Some(user_id) = forget.user_id.as_deref().filter(|u| !u.is_empty()) else {
        return Response::detail(400, "forget must be scoped to exactly one user: user_id is required");
    };
    let b2c = state.config.user_context_isolation.as_deref() == Some(B2C);
    let customer_id = forget.customer_id.as_deref().filter(|c| !c.is_empty());
    if b2c && customer_id.is_some() {
        return Response::detail(400, "customer_id is not accepted: this instance isolates users per customer");
    }
    if !b2c && customer_id.is_none() {
        return Response::detail(
            400,
            "forget must be scoped to exactly one user: customer_id is required on this instance",
        );
    }
    let words = key_words(&forget.description);
    let mut jobs = lock(&state.jobs);
    let found: Vec<StoredMemory> = jobs
        .reported_memories()
        .into_iter()
        .filter(|m| m.origin.user_id.as_deref() == Some(user_id))
        .filter(|m| customer_id.is_none_or(|c| m.origin.customer_id.as_deref() == Some(c)))
        .filter(|m| matches(&words, &m.draft.content))
        .collect();
    let candidates: Vec<Value> = found
        .iter()
        .map(|m| {
            json!({"memory_id": m.id.hyphenated().to_string(), "content": m.draft.content,
                   "memory_type": m.draft.memory_type, "store": "memory"})
        })
        .collect();
    let (status, deleted_ids, still_present_in) = if found.is_empty() {
        ("nothing_matches", Vec::new(), Vec::new())
    } else if !forget.direct {
        ("preview", Vec::new(), Vec::new())
    } else {
        let now = Timestamp::now();
        let deleted: Vec<String> =
            found.iter().filter(|m| jobs.delete_memory(&m.id, now)).map(|m| m.id.hyphenated().to_string()).collect();
        if state.knobs().forget_partial {
            ("partial", deleted, vec!["graph"])
        } else {
            ("deleted", deleted, Vec::new())
        }
    };
    let request_id = (!found.is_empty()).then(|| ids::prefixed("fr_"));
    Response::json(
        200,
        &json!({
            "status": status,
            "request_id": request_id,
            "candidates": candidates,
            "deleted_ids": deleted_ids,
            "failed_ids": [],
            "still_present_in": still_present_in,
            "may_be_incomplete": status == "partial",
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_long_word_must_occur() {
        let words = key_words("the old Home address of mine!");
        assert_eq!(words, ["old", "home", "address", "mine"]);
        assert!(matches(&words, "Old home address of mine: 12 Elm St"));
        assert!(!matches(&words, "Home address of mine: 12 Elm St"));
        assert!(matches(&key_words("drink coffee"), "Drinks only decaf coffee after 3pm."));
        assert!(!matches(&key_words("a b"), "a b"));
    }

    #[test]
    fn the_request_model() {
        let ok = parse(&json!({"description": "old address", "user_id": "u", "customer_id": null, "scope": null,
                               "mode": "direct"}))
        .map_err(|e| e.len())
        .unwrap();
        assert!(ok.direct && ok.user_id.as_deref() == Some("u"));
        assert!(!parse(&json!({"description": "abc"})).map_err(|e| e.len()).unwrap().direct);
        for (body, kind) in [
            (json!({"description": "ab"}), "string_too_short"),
            (json!({"description": "x".repeat(501)}), "string_too_long"),
            (json!({"description": "abc", "mode": "later"}), "enum"),
            (json!({"mode": "direct"}), "missing"),
            (json!({"description": "abc", "scope": {"team": 1}}), "string_type"),
        ] {
            let errors = parse(&body).err().unwrap();
            assert_eq!(errors[0].kind, kind, "{body}");
        }
        // Code points, not bytes.
        assert!(parse(&json!({"description": "éé"})).is_err());
        assert!(parse(&json!({"description": "ééé"})).is_ok());
    }
}
