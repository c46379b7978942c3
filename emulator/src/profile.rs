//! A user's profile (contract section 7.1), derived from the preference
//! memories of the user's documents: one attribute per preference, named
//! from its content, plus an overview. No preferences, no profile.

use serde_json::{Map, Value, json};

use crate::config::TimeFormat;
use crate::http::Response;
use crate::jobs::StoredMemory;
use crate::retrieval;
use crate::state::{B2C, State, lock};
use crate::timefmt;

/// Words in an attribute name.
const NAME_WORDS: usize = 3;
/// Preferences quoted in the overview.
const OVERVIEW_ITEMS: usize = 3;

/// `GET /v1/users/{user_id}/profile[?customer_id=...]`: `{"profile": {...}}`,
/// or 404 while the user has no preference memory.
pub(crate) fn get(state: &State, user_id: &str, customer_id: Option<&str>) -> Response {
    if customer_id.is_some() && state.config.user_context_isolation.as_deref() == Some(B2C) {
        return Response::detail(400, "customer_id is not accepted: this instance isolates users per customer");
    }
    let memories = lock(&state.jobs).reported_memories();
    let preferences: Vec<&StoredMemory> =
        memories.iter().filter(|m| is_users_preference(m, user_id, customer_id)).collect();
    match document(&preferences, state.time_format()) {
        Some(doc) => Response::json(200, &json!({ "profile": doc })),
        None => Response::detail(404, "Profile not found"),
    }
}

/// Whether a memory counts toward this user's profile.
pub(crate) fn is_users_preference(m: &StoredMemory, user_id: &str, customer_id: Option<&str>) -> bool {
    m.draft.memory_type == "preference"
        && m.origin.user_id.as_deref() == Some(user_id)
        && customer_id.is_none_or(|c| m.origin.customer_id.as_deref() == Some(c))
}

/// The profile document made of `preferences` (newest first), or `None`
/// when there are none.
pub(crate) fn document(preferences: &[&StoredMemory], fmt: TimeFormat) -> Option<Value> {
    let newest = preferences.first()?;
    let mut attributes = Map::new();
    for m in preferences {
        // Newest first: a later statement of the same preference wins.
        attributes.entry(attribute_name(m)).or_insert_with(|| {
            json!({
                "value": m.draft.content,
                "confidence": m.draft.confidence,
                "updated_at": timefmt::format(m.created_at, fmt),
                "source_conversation_id": m.origin.conversation_id,
                "category": m.draft.category,
            })
        });
    }
    let quoted: Vec<&str> = preferences.iter().take(OVERVIEW_ITEMS).map(|m| m.draft.content.as_str()).collect();
    let count = preferences.len();
    let plural = if count == 1 { "preference" } else { "preferences" };
    let overview = format!("{count} {plural} on record. {}", quoted.join(" "));
    Some(json!({
        "attributes": attributes,
        "overview": overview,
        "extras": {},
        "_meta": {"version": count, "updated_at": timefmt::format(newest.created_at, fmt), "derived_from": "preferences"},
    }))
}

/// `I love dark roast in the morning.` -> `dark_roast_morning`: the first
/// meaningful words, without the word that made it a preference.
fn attribute_name(m: &StoredMemory) -> String {
    let keyword = m.draft.subcategory.unwrap_or_default();
    let words: Vec<String> =
        retrieval::words(&m.draft.content).into_iter().filter(|w| w != keyword).take(NAME_WORDS).collect();
    if words.is_empty() { "preference".to_owned() } else { words.join("_") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::Origin;
    use crate::memories;
    use jiff::Timestamp;
    use uuid::Uuid;

    fn pref(text: &str, at: &str, conversation: Option<&str>) -> StoredMemory {
        StoredMemory {
            id: Uuid::new_v4(),
            index: 0,
            draft: memories::draft(text),
            created_at: at.parse::<Timestamp>().unwrap(),
            said_at: at.parse::<Timestamp>().unwrap(),
            updated_at: None,
            document_id: "d".into(),
            origin: Origin {
                user_id: Some("u".into()),
                customer_id: Some("c".into()),
                conversation_id: conversation.map(str::to_owned),
                ..Origin::default()
            },
        }
    }

    #[test]
    fn attributes_from_preferences() {
        let a = pref("I love dark roast in the morning.", "2025-01-15T10:00:00Z", Some("conv-1"));
        let b = pref("I switched to decaf after 3pm.", "2025-01-14T10:00:00Z", None);
        let old = pref("I love dark roast in the morning!", "2025-01-13T10:00:00Z", None);
        assert!(is_users_preference(&a, "u", None) && is_users_preference(&a, "u", Some("c")));
        assert!(!is_users_preference(&a, "u", Some("x")) && !is_users_preference(&a, "v", None));
        let doc = document(&[&a, &b, &old], TimeFormat::Z).unwrap();
        let attrs = doc["attributes"].as_object().unwrap();
        assert_eq!(attrs.len(), 2, "{attrs:?}");
        let roast = &attrs["dark_roast_morning"];
        assert_eq!(roast["value"], "I love dark roast in the morning.");
        assert_eq!(roast["updated_at"], "2025-01-15T10:00:00Z");
        assert_eq!(roast["source_conversation_id"], "conv-1");
        assert_eq!(attrs["decaf_after_3pm"]["source_conversation_id"], Value::Null);
        assert!(doc["overview"].as_str().unwrap().starts_with("3 preferences on record. I love dark roast"));
        assert_eq!(doc["_meta"]["version"], 3);
        assert!(document(&[], TimeFormat::Z).is_none());
    }
}
