//! Scripted changes to the next context fetches (`POST /_emulator/context`),
//! so client tests can meet a degraded retrieval, a conversation context
//! block, or malformed items, on an otherwise real answer.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::fetch_request::{LISTS, Scope};

/// The control request: what to change on the next `count` successful
/// fetches (on `route` only, when given). Values are served verbatim, so
/// they may be as malformed as a test needs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContextScript {
    #[serde(default = "one")]
    pub count: u32,
    /// `user`, `customer`, `client` or `conversation`; absent = any.
    pub route: Option<String>,
    /// Served as the top-level `retrieval` block.
    pub retrieval: Option<Value>,
    /// Served as the top-level `conversation_context` block.
    pub conversation_context: Option<Value>,
    /// Drop every real item (a retrieval that found nothing because it broke).
    #[serde(default)]
    pub clear_items: bool,
    /// Keys set on every real item (`{"source": null}`, `{"confidence": 1.5}`, ...).
    pub item_patch: Option<Map<String, Value>>,
    /// Raw values put first in the named lists (`facts` ... `temporal_events`, `items`).
    #[serde(default)]
    pub inject: BTreeMap<String, Vec<Value>>,
}

fn one() -> u32 {
    1
}

impl ContextScript {
    pub fn validate(&self) -> Result<Option<Scope>, String> {
        if self.count == 0 {
            return Err("count must be at least 1".to_owned());
        }
        if let Some(list) = self.inject.keys().find(|k| *k != "items" && !LISTS.contains(&k.as_str())) {
            return Err(format!("inject: unknown list {list:?} (expected one of {}, items)", LISTS.join(", ")));
        }
        self.route
            .as_deref()
            .map(|r| {
                Scope::from_name(r).ok_or_else(|| format!("route {r:?} must be user, customer, client or conversation"))
            })
            .transpose()
    }

    /// Applies the script to a fetch response body.
    pub fn apply(&self, body: &mut Map<String, Value>) {
        if let Some(Value::Object(context)) = body.get_mut("context") {
            for (name, list) in context.iter_mut() {
                let Value::Array(items) = list else {
                    continue;
                };
                if self.clear_items {
                    items.clear();
                }
                if let Some(patch) = &self.item_patch {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        item.extend(patch.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                }
                if let Some(extra) = self.inject.get(name) {
                    items.splice(0..0, extra.iter().cloned());
                }
            }
        }
        if let Some(retrieval) = &self.retrieval {
            body.insert("retrieval".into(), retrieval.clone());
        }
        if let Some(block) = &self.conversation_context {
            body.insert("conversation_context".into(), block.clone());
        }
    }
}

/// Pending scripts, used in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct ScriptQueue {
    entries: Vec<(Option<Scope>, u32, ContextScript)>,
}

impl ScriptQueue {
    pub fn push(&mut self, route: Option<Scope>, script: ContextScript) {
        self.entries.push((route, script.count, script));
    }

    /// The script for a fetch on `scope`, if one is pending; uses it up.
    pub fn take(&mut self, scope: Scope) -> Option<ContextScript> {
        let idx = self.entries.iter().position(|(route, _, _)| route.is_none_or(|r| r == scope))?;
        let entry = &mut self.entries[idx];
        entry.1 -= 1;
        let script = entry.2.clone();
        if entry.1 == 0 {
            self.entries.remove(idx);
        }
        Some(script)
    }

    pub fn pending(&self) -> usize {
        self.entries.len()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn script(v: Value) -> ContextScript {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn shapes_and_checks() {
        assert_eq!(script(json!({})).validate(), Ok(None));
        assert_eq!(script(json!({"route": "user"})).validate(), Ok(Some(Scope::User)));
        assert!(script(json!({"route": "team"})).validate().is_err());
        assert!(script(json!({"count": 0})).validate().is_err());
        assert!(script(json!({"inject": {"notes": []}})).validate().is_err());
        assert!(serde_json::from_value::<ContextScript>(json!({"retreival": {}})).is_err());
    }

    #[test]
    fn apply_patches_injects_and_sets_blocks() {
        let mut body = json!({"context": {"facts": [{"id": "a", "source": "x"}], "preferences": [], "items": [{"id": "a"}]},
            "retrieval": null, "ttl_seconds": 300});
        let s = script(json!({"retrieval": {"degraded": true}, "item_patch": {"source": null, "odd": 1},
            "inject": {"preferences": [{"id": "p", "content": null}]}, "conversation_context": {"summary": "s"}}));
        s.apply(body.as_object_mut().unwrap());
        assert_eq!(body["context"]["facts"], json!([{"id": "a", "source": null, "odd": 1}]));
        assert_eq!(body["context"]["items"][0]["odd"], 1);
        assert_eq!(body["context"]["preferences"], json!([{"id": "p", "content": null}]));
        assert_eq!(body["retrieval"], json!({"degraded": true}));
        assert_eq!(body["conversation_context"]["summary"], "s");
        script(json!({"clear_items": true})).apply(body.as_object_mut().unwrap());
        assert_eq!(body["context"]["facts"], json!([]));
    }

    #[test]
    fn queue_counts_and_routes() {
        let mut q = ScriptQueue::default();
        q.push(Some(Scope::User), script(json!({"count": 2})));
        q.push(None, script(json!({})));
        assert!(q.take(Scope::Client).is_some());
        assert!(q.take(Scope::Client).is_none());
        assert!(q.take(Scope::User).is_some() && q.take(Scope::User).is_some());
        assert_eq!(q.pending(), 0);
    }
}
