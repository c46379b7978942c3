//! What a job's memories say. A document's sentences become memory
//! contents; simple keyword rules give each a type, category and
//! confidence, so the same document always yields the same memories.

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// Longest memory content, in characters.
const MAX_CONTENT_CHARS: usize = 300;
/// Shorter sentences ("Noted.") are chatter, kept only when nothing else is.
const MIN_WORDS: usize = 3;

/// Contents for jobs without a document (control-made and demo jobs); one
/// per memory type, cycled.
pub(crate) const SAMPLES: [&str; 7] = [
    "Drinks only decaf coffee after 3pm.",
    "Works on the payments team at Acme.",
    "Felt relieved once the outage was resolved.",
    "Has a dentist appointment on Friday at 10am.",
    "Visited Lisbon with family last spring.",
    "Prefers email over phone calls.",
    "Lives in Portland, Oregon.",
];

const PREFERENCE: &[&str] = &[
    "prefer",
    "prefers",
    "preferred",
    "like",
    "likes",
    "love",
    "loves",
    "hate",
    "hates",
    "enjoy",
    "enjoys",
    "favorite",
    "favourite",
    "only",
    "rather",
    "want",
    "wants",
    // A changed habit ("switched to decaf") is a preference now held.
    "switched",
];
/// Words that only say a sentence is about a feeling: the feeling itself,
/// when named too, is the better label.
const FEELING: &[&str] = &["feel", "feels", "felt"];
const EMOTION: &[&str] =
    &["happy", "sad", "angry", "upset", "worried", "anxious", "excited", "frustrated", "relieved", "stressed", "glad"];
const TEMPORAL: &[&str] = &[
    "today",
    "tomorrow",
    "yesterday",
    "tonight",
    "deadline",
    "appointment",
    "meeting",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    // "may" is left out: it is a verb more often than a month.
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const EPISODE: &[&str] =
    &["went", "visited", "met", "attended", "travelled", "traveled", "happened", "moved", "started", "finished"];

/// One memory, before it has an id and a time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    pub memory_type: &'static str,
    pub content: String,
    pub confidence: f64,
    pub category: Option<&'static str>,
    pub subcategory: Option<&'static str>,
}

/// The text of a document: a string as is; for an object, its string
/// values in order, one per line (its compact JSON when it has none).
pub(crate) fn document_text(doc: &Value) -> String {
    fn collect<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::String(s) if !s.trim().is_empty() => out.push(s),
            Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
            Value::Object(map) => map.values().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    if let Value::String(s) = doc {
        return s.clone();
    }
    let mut parts = Vec::new();
    collect(doc, &mut parts);
    if parts.is_empty() { doc.to_string() } else { parts.join("\n") }
}

/// The sentences of `text`, speaker labels (`User:`) removed, each cut to
/// [`MAX_CONTENT_CHARS`]; short ones only if there are no others.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    for line in text.lines() {
        let line = strip_speaker(line.trim());
        let mut start = 0;
        for (i, c) in line.char_indices() {
            let end = i + c.len_utf8();
            // "3.5" or "e.g.x" is not a sentence end; a mark before a space is.
            if matches!(c, '.' | '!' | '?') && line[end..].chars().next().is_none_or(char::is_whitespace) {
                push_sentence(&mut all, &line[start..end]);
                start = end;
            }
        }
        push_sentence(&mut all, &line[start..]);
    }
    let long: Vec<String> = all.iter().filter(|s| s.split_whitespace().count() >= MIN_WORDS).cloned().collect();
    if long.is_empty() { all } else { long }
}

/// The sentences of `text` that say something: chatter ("Hi.", "Ok
/// thanks") left out, even when nothing else is there.
pub(crate) fn statements(text: &str) -> Vec<String> {
    sentences(text).into_iter().filter(|s| s.split_whitespace().count() >= MIN_WORDS).collect()
}

fn push_sentence(out: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s.chars().take(MAX_CONTENT_CHARS).collect());
    }
}

/// `User: hello` -> `hello`; a label is one word starting with a letter.
fn strip_speaker(line: &str) -> &str {
    split_speaker(line).1
}

/// `User: hello` -> `(Some("User"), "hello")`; a line without a label is
/// `(None, line)`.
pub(crate) fn split_speaker(line: &str) -> (Option<&str>, &str) {
    let Some((label, rest)) = line.split_once(':') else {
        return (None, line);
    };
    let is_label = label.len() <= 20
        && label.starts_with(|c: char| c.is_alphabetic())
        && label.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if is_label && !rest.trim().is_empty() { (Some(label), rest.trim_start()) } else { (None, line) }
}

/// Types a memory by the first rule that matches: preference, emotion,
/// temporal event, episode, else fact.
pub(crate) fn draft(content: &str) -> Draft {
    let words: Vec<String> =
        content.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let find = |list: &[&'static str]| words.iter().find_map(|w| list.iter().find(|k| **k == w).copied());
    let clock = words.iter().any(|w| {
        w.starts_with(|c: char| c.is_ascii_digit())
            && (w.ends_with("am") || w.ends_with("pm"))
            && w[..w.len() - 2].bytes().all(|b| b.is_ascii_digit())
    });
    let (memory_type, category, subcategory) = if let Some(k) = find(PREFERENCE) {
        ("preference", Some("preferences"), Some(k))
    } else if let Some(k) = find(EMOTION).or_else(|| find(FEELING)) {
        ("emotion", Some("emotional_state"), Some(k))
    } else if let Some(k) = find(TEMPORAL) {
        ("temporal_event", Some("schedule"), Some(k))
    } else if clock {
        ("temporal_event", Some("schedule"), Some("time_of_day"))
    } else if find(EPISODE).is_some() {
        ("episode", Some("experiences"), None)
    } else {
        ("fact", None, None)
    };
    Draft { memory_type, content: content.to_owned(), confidence: confidence(content), category, subcategory }
}

/// 0.55 to 0.99 in steps of 0.01, from an FNV-1a hash of the content.
fn confidence(content: &str) -> f64 {
    let hash = content.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    (55 + hash % 45) as f64 / 100.0
}

/// The section 16 body of one memory.
pub(crate) fn body(
    id: &Uuid,
    draft: &Draft,
    created_at: String,
    updated_at: Option<String>,
    source_document_id: &str,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct Body<'a> {
        memory_id: String,
        memory_type: &'a str,
        content: &'a str,
        confidence: f64,
        category: Option<&'a str>,
        subcategory: Option<&'a str>,
        created_at: String,
        updated_at: Option<String>,
        source_document_id: &'a str,
    }
    let body = Body {
        memory_id: id.hyphenated().to_string(),
        memory_type: draft.memory_type,
        content: &draft.content,
        confidence: draft.confidence,
        category: draft.category,
        subcategory: draft.subcategory,
        created_at,
        updated_at,
        source_document_id,
    };
    serde_json::to_vec(&body).expect("memory body serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sentences_drop_speakers_and_chatter() {
        let text = "User: I only drink decaf after 3pm.\nAssistant: Noted.";
        assert_eq!(sentences(text), ["I only drink decaf after 3pm."]);
        assert_eq!(sentences("Hi! Version 3.5 is out today. Is it?"), ["Version 3.5 is out today."]);
        assert_eq!(sentences("Hi. Ok"), ["Hi.", "Ok"]);
        assert_eq!(sentences("Meeting at 10:30 with the team"), ["Meeting at 10:30 with the team"]);
        assert_eq!(sentences(&"x".repeat(400))[0].chars().count(), MAX_CONTENT_CHARS);
        assert!(sentences(" \n ").is_empty());
        assert!(statements("Hi. Ok thanks").is_empty());
        assert_eq!(statements("Hi. I love green tea."), ["I love green tea."]);
    }

    #[test]
    fn object_documents_use_their_strings() {
        let doc = json!({"messages": [{"role": "user", "text": "I love jazz"}, {"n": 1}], "title": " "});
        assert_eq!(document_text(&doc), "user\nI love jazz");
        assert_eq!(document_text(&json!({"n": 1})), r#"{"n":1}"#);
        assert_eq!(document_text(&json!("plain")), "plain");
    }

    #[test]
    fn samples_cover_every_type() {
        let types: Vec<&str> = SAMPLES.iter().map(|s| draft(s).memory_type).collect();
        for t in ["fact", "preference", "episode", "emotion", "temporal_event"] {
            assert!(types.contains(&t), "{t} in {types:?}");
        }
        let d = draft(SAMPLES[0]);
        assert_eq!((d.memory_type, d.category, d.subcategory), ("preference", Some("preferences"), Some("only")));
        let d = draft("Call at 9pm sharp");
        assert_eq!((d.memory_type, d.subcategory), ("temporal_event", Some("time_of_day")));
        let d = draft("Felt relieved once it was fixed");
        assert_eq!((d.memory_type, d.subcategory), ("emotion", Some("relieved")));
        assert_eq!(draft("I feel it in my bones").subcategory, Some("feel"));
        let d = draft(SAMPLES[6]);
        assert_eq!((d.memory_type, d.category, d.subcategory), ("fact", None, None));
    }

    #[test]
    fn confidence_is_stable_and_in_range() {
        for s in SAMPLES {
            let c = draft(s).confidence;
            assert!((0.55..=0.99).contains(&c), "{c}");
            assert_eq!(c, draft(s).confidence);
        }
        assert_ne!(confidence("a"), confidence("b"));
    }
}
