//! Any bytes as a conversation route's response body (a recorded message,
//! a batch, a transcript ingestion, a page of messages, a compaction, its
//! status, the compacted state): a value or a protocol error, never a
//! panic; and what each holds keeps the shape the parsers promise.
#![no_main]

mod response_body;

use libfuzzer_sys::fuzz_target;
use response_body::{check_errors, check_text, check_texts};
use synap::{
    Compacted, Compaction, CompactionStatus, ConversationMessage, MessageBatch, RecordedMessage, TranscriptIngestion,
};

fuzz_target!(|body: &[u8]| {
    let message = RecordedMessage::from_json(body);
    let batch = MessageBatch::from_json(body);
    let ingestion = TranscriptIngestion::from_json(body);
    let page = ConversationMessage::page_from_json(body);
    let compaction = Compaction::from_json(body);
    let status = CompactionStatus::from_json(body);
    let compacted = Compacted::from_json(body);
    let results: [(&str, Option<&synap::Error>); 7] = [
        ("message", message.as_ref().err()),
        ("message batch", batch.as_ref().err()),
        ("transcript ingestion", ingestion.as_ref().err()),
        ("messages", page.as_ref().err()),
        ("compaction", compaction.as_ref().err()),
        ("compaction status", status.as_ref().err()),
        ("compacted", compacted.as_ref().err()),
    ];
    check_errors(body, &results, &[("message batch", &["results", "errors"]), ("messages", &["turns"])]);

    if let Ok(m) = &message {
        check_message(m);
    }
    if let Ok(b) = &batch {
        b.results.iter().for_each(check_message);
        for e in &b.errors {
            check_texts([&e.error]);
        }
    }
    if let Ok(t) = &ingestion {
        check_texts([&t.conversation_id, &t.external_conversation_id, &t.ingestion_id, &t.status, &t.summary_status]);
        for w in &t.warnings {
            check_text(w);
        }
    }
    for m in page.iter().flatten() {
        check_texts([&m.role, &m.content, &m.message_id]);
    }
    if let Ok(c) = &compaction {
        check_texts([&c.compaction_id, &c.conversation_id, &c.status, &c.trigger_type, &c.previous_compaction_id]);
    }
    if let Ok(s) = &status {
        check_texts([&s.conversation_id, &s.status, &s.compaction_id, &s.error_message]);
        assert!(s.compression_ratio.is_none_or(f64::is_finite) && s.validation_score.is_none_or(f64::is_finite));
    }
    if let Ok(c) = &compacted {
        assert_eq!(c.raw_json.as_deref().map(str::as_bytes), Some(body));
        check_texts([&c.compaction_id, &c.formatted_context, &c.strategy_used]);
        for list in [&c.facts_json, &c.decisions_json, &c.preferences_json] {
            assert!(list.as_deref().is_none_or(|j| j.starts_with('[') && j.ends_with(']')), "{list:?}");
        }
        let state = c.current_state_json.as_deref();
        assert!(state.is_none_or(|j| j.starts_with('{') && j.ends_with('}')), "{state:?}");
    }
});

fn check_message(m: &RecordedMessage) {
    check_texts([&m.message_id, &m.conversation_id, &m.session_id]);
}
