//! Any bytes as a context route's response body (a context fetch,
//! `context-for-prompt`, a profile): a value or a protocol error, never a
//! panic; and what a context holds keeps the shape the parser promises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synap::{Context, ContextItem, ContextList, Profile, PromptContext};

fuzz_target!(|body: &[u8]| {
    let context = Context::from_json(body);
    let prompt = PromptContext::from_json(body);
    let profile = Profile::from_json(body);
    for e in [context.as_ref().err(), prompt.as_ref().err(), profile.as_ref().err()].into_iter().flatten() {
        assert_eq!(e.kind(), synap::ErrorKind::Protocol, "{e}");
        assert!(e.message().starts_with("invalid ") && !e.message().contains('\n'), "{e}");
    }
    // Only a body that is no JSON object fails the profile route, and such
    // a body fails the other two as well.
    if context.is_ok() || prompt.is_ok() {
        assert!(profile.is_ok());
    }
    if let Ok(p) = &profile {
        check_profile(p);
    }
    if let Ok(p) = &prompt {
        assert_eq!(p.raw_json.as_deref().map(str::as_bytes), Some(body));
        assert!(p.formatted_context.as_deref() != Some("") && p.context_block.as_deref() != Some(""));
    }
    let Ok(c) = context else { return };
    assert_eq!(c.raw_json.as_deref().map(str::as_bytes), Some(body));
    assert_eq!((c.source, c.retrieved_at_us, c.correlation_id.as_ref()), ("cloud", 0, None));
    for list in ContextList::ALL {
        for item in c.list(list) {
            check_item(item);
        }
    }
    let ranked = c.list(ContextList::Ranked);
    if ranked.is_empty() {
        // By type: each item's kind is its list.
        for list in ContextList::TYPED {
            assert!(c.list(list).iter().all(|i| i.kind.as_deref() == Some(list.wire_name())));
        }
        assert!(c.list(ContextList::Excerpts).is_empty());
    } else {
        // Ranked: the typed lists are its views, in its order.
        for list in ContextList::TYPED {
            let view: Vec<&ContextItem> =
                ranked.iter().filter(|i| i.kind.as_deref() == Some(list.wire_name())).collect();
            assert!(c.list(list).iter().eq(view), "{list:?}");
        }
    }
    assert!(c.list(ContextList::Excerpts).iter().all(|i| i.kind.as_deref() == Some("excerpts")));
    assert!(c.list(ContextList::Excerpts).len() <= ranked.len());
    if let Some(p) = &c.profile {
        check_profile(p);
    }
    for s in &c.conversations {
        assert!(s.json.as_deref().is_some_and(|j| j.starts_with('{') && j.ends_with('}')));
        assert!(s.summary.as_deref().is_none_or(|t| !t.trim().is_empty()));
    }
});

fn check_item(item: &ContextItem) {
    if let Some(m) = &item.metadata_json {
        assert!(m.starts_with('{') && m.ends_with('}'), "{m}");
    }
}

fn check_profile(p: &Profile) {
    if let Some(j) = &p.json {
        assert!(j.starts_with('{') && j.ends_with('}'), "{j}");
    } else {
        assert!(p.overview.is_none() && p.attributes.is_empty());
    }
    for a in &p.attributes {
        assert!(a.value_json.as_deref() != Some("null") && a.value_json.as_deref() != Some(""));
    }
}
