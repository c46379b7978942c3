//! Hostile context bodies, through the public parsers: huge, deep, null
//! everywhere, malformed. Each parses or fails with `Protocol`; none
//! overflows the stack or takes memory out of proportion to the body.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;

use synap::{Context, ContextItem, ContextList, ErrorKind, Profile, PromptContext};

/// Counts the bytes this thread holds, and the most it held, so a test can
/// weigh what one parse allocates while other tests run on other threads.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn held(delta: isize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get().wrapping_add(delta));
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            held(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            held(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        held(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            held(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// `f`'s result and the most memory this thread held beyond what it held
/// before, the result included.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let value = f();
    (value, (PEAK.with(Cell::get) - base) as usize)
}

fn items_body(n: usize, ranked: bool) -> String {
    let mut items = String::with_capacity(n * 120);
    for i in 0..n {
        if i > 0 {
            items.push(',');
        }
        let category = ["facts", "preferences", "episodes", "emotions", "temporal_events"][i % 5];
        write!(
            items,
            r#"{{"id":"m{i}","category":"{category}","rank":{},"content":"memory number {i}","confidence":0.5,"extracted_at":"2025-01-15T10:30:41Z","metadata":{{"rank_score":0.{i}}}}}"#,
            i + 1
        )
        .unwrap();
    }
    if ranked {
        format!(r#"{{"context":{{"items":[{items}]}}}}"#)
    } else {
        format!(r#"{{"context":{{"facts":[{items}]}}}}"#)
    }
}

fn protocol<T: std::fmt::Debug>(result: Result<T, synap::Error>, what: &str) -> String {
    let e = result.expect_err(what);
    assert_eq!(e.kind(), ErrorKind::Protocol, "{what}: {e}");
    assert!(!e.message().contains('\n'), "{what}: one line: {e}");
    e.message().to_owned()
}

/// Runs `f` on a thread with a small stack: a parser that recursed with
/// the depth of the body would overflow it (and abort the test binary).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(256 << 10).spawn(f).unwrap().join().unwrap()
}

#[test]
fn hundred_thousand_items_parse_in_bounded_memory() {
    for ranked in [false, true] {
        let body = items_body(100_000, ranked);
        let (context, ours) = peak_of(|| Context::from_json(body.as_bytes()).unwrap());
        let (value, floor) = peak_of(|| serde_json::from_slice::<serde_json::Value>(body.as_bytes()).unwrap());
        drop(value);
        // At most what the same body takes as a generic JSON tree, views
        // and excerpts of the ranked shape included.
        assert!(ours <= floor, "ranked={ranked}: {ours} bytes, a serde_json Value takes {floor}");
        if ranked {
            assert_eq!(context.list(ContextList::Ranked).len(), 100_000);
            assert_eq!(context.list(ContextList::Facts).len(), 20_000);
            assert_eq!(context.list(ContextList::TemporalEvents).len(), 20_000);
            let last = &context.list(ContextList::Ranked)[99_999];
            assert_eq!(
                (last.rank, last.rank_score, last.kind.as_deref()),
                (Some(100_000), Some(0.99999), Some("temporal_events"))
            );
        } else {
            let facts = context.list(ContextList::Facts);
            assert_eq!(facts.len(), 100_000);
            assert_eq!(
                (facts[99_999].id.as_deref(), facts[99_999].text.as_deref()),
                (Some("m99999"), Some("memory number 99999"))
            );
        }
    }
}

#[test]
fn ten_thousand_levels_inside_metadata_are_captured_without_recursion() {
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    for deep in [arrays, objects] {
        let metadata = format!(r#"{{"rank_score":0.5,"deep":{deep}}}"#);
        let body = format!(r#"{{"context":{{"items":[{{"id":"x","category":"facts","metadata":{metadata}}}]}}}}"#);
        let c = on_small_stack(move || Context::from_json(body.as_bytes()).unwrap());
        let item = &c.list(ContextList::Ranked)[0];
        assert_eq!(item.metadata_json.as_deref(), Some(metadata.as_str()));
        assert_eq!(item.rank_score, Some(0.5));
        assert_eq!(c.list(ContextList::Facts)[0], *item);
    }
}

#[test]
fn ten_thousand_levels_anywhere_else_are_skipped_or_refused() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let accepted = [
        format!(r#"{{"unknown":{deep}}}"#),
        format!(r#"{{"context":{{"unknown":{deep}}}}}"#),
        format!(r#"{{"context":{{"facts":[{{"content":{deep},"other":{deep},"source_evidence":{deep}}}]}}}}"#),
        format!(r#"{{"conversation_context":{{"current_state":{{"a":{deep}}},"summary":{deep}}}}}"#),
        format!(r#"{{"retrieval":{{"warnings":{deep}}}}}"#),
        format!(r#"{{"profile":{{"attributes":{{"x":{deep},"y":{{"value":{deep}}}}},"overview":{deep}}}}}"#),
        format!(r#"{{"conversations":[{{"summary":{deep},"other":{deep}}},{{"summary":{{"overview":{deep}}}}}]}}"#),
    ];
    for body in accepted {
        on_small_stack(move || Context::from_json(body.as_bytes()).unwrap());
    }
    let refused = [
        (deep.clone(), "the body is not an object"),
        (format!(r#"{{"context":{deep}}}"#), "context is not an object"),
        (format!(r#"{{"context":{{"facts":{deep}}}}}"#), "context.facts[0] is not an object"),
        (format!(r#"{{"context":{{"items":[{{}},{deep}]}}}}"#), "context.items[1] is not an object"),
        (
            format!(r#"{{"conversation_context":{{"recent_turns":{deep}}}}}"#),
            "conversation_context.recent_turns[0] is not an object",
        ),
    ];
    for (body, path) in refused {
        let result = on_small_stack(move || Context::from_json(body.as_bytes()));
        assert_eq!(protocol(result, path), format!("invalid context response: {path}"));
    }
    let prompt = format!(r#"{{"recent_messages":[{{"content":{deep}}}],"formatted_context":{deep}}}"#);
    on_small_stack(move || PromptContext::from_json(prompt.as_bytes()).unwrap());
    let profile = format!(r#"{{"profile":{{"profile":{deep},"attributes":{{"a":{{"value":{deep}}}}}}}}}"#);
    let p = on_small_stack(move || Profile::from_json(profile.as_bytes()).unwrap());
    assert_eq!(p.attributes[0].value_json.as_deref(), Some(deep.as_str()));
}

#[test]
fn nulls_in_every_field_of_an_item() {
    let keys = [
        "id",
        "content",
        "summary",
        "context",
        "confidence",
        "strength",
        "significance",
        "intensity",
        "category",
        "emotion_type",
        "temporal_category",
        "extracted_at",
        "occurred_at",
        "detected_at",
        "source",
        "event_date",
        "event_end",
        "said_at",
        "valid_until",
        "event_precision",
        "temporal_confidence",
        "source_evidence",
        "matched_queries",
        "participants",
        "rank",
        "rank_score",
        "metadata",
    ];
    let item = format!("{{{}}}", keys.map(|k| format!(r#""{k}":null"#)).join(","));
    for list in ContextList::TYPED {
        let body = format!(r#"{{"context":{{"{}":[{item}]}}}}"#, list.wire_name());
        let c = Context::from_json(body.as_bytes()).unwrap();
        let [read] = c.list(list) else { panic!("{list:?}: one item") };
        assert_eq!(read.kind.as_deref(), Some(list.wire_name()));
        assert_eq!(ContextItem { kind: None, ..read.clone() }, ContextItem::default(), "{list:?}");
    }
    let c = Context::from_json(format!(r#"{{"context":{{"items":[{item}]}}}}"#).as_bytes()).unwrap();
    assert_eq!(c.list(ContextList::Ranked), [ContextItem::default()]);
    assert!(ContextList::TYPED.iter().chain(&[ContextList::Excerpts]).all(|l| c.list(*l).is_empty()));
}

#[test]
fn ten_megabyte_formatted_context() {
    let line = "user: where is my refund? \\\"order 42\\\"\\n";
    // Ten megabytes once unescaped (each line loses its three backslashes).
    let text = line.repeat((10 << 20) / (line.len() - 3) + 1);
    let expected = text.replace("\\n", "\n").replace("\\\"", "\"");
    assert!(expected.len() >= 10 << 20);
    let body = format!(r#"{{"formatted_context":"{text}","available":true}}"#);
    let p = PromptContext::from_json(body.as_bytes()).unwrap();
    assert_eq!(p.formatted_context.as_deref(), Some(expected.as_str()));
    assert!(p.available);
    let body = format!(r#"{{"conversation_context":{{"formatted_context":"{text}"}}}}"#);
    let c = Context::from_json(body.as_bytes()).unwrap();
    assert_eq!(c.conversation_context.unwrap().formatted_context.as_deref(), Some(expected.as_str()));
}

#[test]
fn non_utf8_bytes_are_protocol_errors() {
    let bodies: [&[u8]; 5] = [
        b"\xff",
        b"{\"context\": {\"facts\": [{\"content\": \"caf\xe9\"}]}}",
        b"{\"ignored\": \"\xc3\x28\"}",
        b"{\"context\": {\"items\": [{\"metadata\": {\"k\": \"\xed\xa0\x80\"}}]}}",
        b"{\"\xf0\x28\x8c\x28\": 1}",
    ];
    for body in bodies {
        let what = format!("{body:?}");
        assert!(protocol(Context::from_json(body), &what).contains("not UTF-8"));
        assert!(protocol(PromptContext::from_json(body), &what).contains("not UTF-8"));
        assert!(protocol(Profile::from_json(body), &what).contains("not UTF-8"));
    }
}

const EXAMPLES: [&str; 4] = [
    r#"{"context": {"facts": [{"id": "9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d", "content": "Drinks only decaf after 3pm",
     "confidence": 0.91, "metadata": {"rank_score": 0.82}, "matched_queries": ["coffee preferences"]}],
     "episodes": [], "emotions": [], "temporal_events": []}, "conversation_context": null, "ttl_seconds": 300}"#,
    r#"{"context": {"items": [{"id": "c7", "rank": 2, "category": "facts", "content": "Refunds within 30 days",
     "source": "chunks", "metadata": {"rank_score": 0.77}}]},
     "retrieval": {"degraded": true, "level": "partial", "code": "timeout", "warnings": []}, "ttl_seconds": 300}"#,
    r#"{"formatted_context": "<block>", "available": true, "recent_messages": [{"role": "user",
     "content": "any update?", "timestamp": "2025-01-15T10:41:02Z", "message_id": "m"}], "total_message_count": 25}"#,
    r#"{"profile": {"attributes": {"preferred_name": {"value": "Dana", "confidence": 0.92}},
     "overview": "Returning caller, prefers SMS.", "_meta": {"version": 4}}}"#,
];

#[test]
fn every_truncation_is_a_protocol_error() {
    for example in EXAMPLES {
        Context::from_json(example.as_bytes()).unwrap();
        PromptContext::from_json(example.as_bytes()).unwrap();
        Profile::from_json(example.as_bytes()).unwrap();
        for end in 0..example.len() {
            let cut = &example.as_bytes()[..end];
            let what = String::from_utf8_lossy(cut);
            protocol(Context::from_json(cut), &what);
            protocol(PromptContext::from_json(cut), &what);
            protocol(Profile::from_json(cut), &what);
        }
    }
}

#[test]
fn a_top_level_array_is_a_protocol_error() {
    for body in ["[]", r#"[{"context": {}}]"#, " [1] "] {
        assert_eq!(
            protocol(Context::from_json(body.as_bytes()), body),
            "invalid context response: the body is not an object"
        );
        assert_eq!(
            protocol(PromptContext::from_json(body.as_bytes()), body),
            "invalid context-for-prompt response: the body is not an object"
        );
        assert_eq!(
            protocol(Profile::from_json(body.as_bytes()), body),
            "invalid profile response: the body is not an object"
        );
    }
}
