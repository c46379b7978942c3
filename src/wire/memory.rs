//! The body of `GET /api/v1/memories/{memory_id}` (contract section 16).

use super::fields::read_object;
use crate::error::Error;
use crate::memory::Memory;

/// Parses a memory body; unknown fields are ignored, each bad field named.
pub(crate) fn parse_memory(body: &[u8]) -> Result<Memory, Error> {
    let mut f = read_object(body, "memory")?;
    Ok(Memory {
        memory_id: f.required_uuid("memory_id")?,
        memory_type: f.required_str("memory_type")?.into_owned(),
        content: f.required_str("content")?.into_owned(),
        confidence: f.required_number("confidence")?,
        category: f.optional_str("category")?.map(|s| s.into_owned()),
        subcategory: f.optional_str("subcategory")?.map(|s| s.into_owned()),
        created_at_us: f.required_time("created_at")?,
        updated_at_us: f.optional_time("updated_at")?,
        source_document_id: f.optional_str("source_document_id")?.map(|s| s.into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{"memory_id": "0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "memory_type": "preference",
 "content": "Drinks only decaf coffee after 3pm", "confidence": 0.91,
 "category": "food_and_drink", "subcategory": "coffee",
 "created_at": "2025-01-15T10:30:41.812Z", "updated_at": null,
 "source_document_id": "chat-2025-01-15-user-789", "extra": [1, 2]}"#;

    #[test]
    fn contract_example() {
        let m = parse_memory(EXAMPLE.as_bytes()).unwrap();
        assert_eq!(m.memory_id().to_string(), "0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60");
        assert_eq!((m.memory_type(), m.content()), ("preference", "Drinks only decaf coffee after 3pm"));
        assert_eq!(m.confidence(), 0.91);
        assert_eq!((m.category(), m.subcategory()), (Some("food_and_drink"), Some("coffee")));
        assert_eq!(m.created_at_us(), 1_736_937_041_812_000);
        assert_eq!(m.updated_at_us(), None);
        assert_eq!(m.source_document_id(), Some("chat-2025-01-15-user-789"));
    }

    #[test]
    fn integer_confidence_and_missing_optionals() {
        let body = r#"{"memory_id":"0D8E5B3A7C214F968A4E1B2C3D4E5F60","memory_type":"fact","content":"x",
                       "confidence":1,"created_at":"2025-01-15T10:30:41","updated_at":""}"#;
        let m = parse_memory(body.as_bytes()).unwrap();
        assert_eq!(m.confidence(), 1.0);
        assert_eq!((m.category(), m.updated_at_us(), m.source_document_id()), (None, None, None));
    }

    #[test]
    fn bad_fields_are_named() {
        let message = |body: &str| parse_memory(body.as_bytes()).unwrap_err().message().to_owned();
        let without = |field: &str| {
            let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
            v.as_object_mut().unwrap().remove(field);
            message(&v.to_string())
        };
        assert_eq!(without("content"), "invalid memory response: field `content` is missing");
        assert_eq!(without("confidence"), "invalid memory response: field `confidence` is missing");
        assert_eq!(
            message(&EXAMPLE.replace("0.91", "\"high\"")),
            "invalid memory response: field `confidence` must be a number, got the string \"high\""
        );
        assert_eq!(
            message(&EXAMPLE.replace("0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "nope")),
            "invalid memory response: field `memory_id` is not a UUID: \"nope\""
        );
        assert!(message("[1]").starts_with("invalid memory response: invalid type"), "{}", message("[1]"));
    }
}
