use super::parse_status;
use crate::error::ErrorKind;
use crate::status::IngestState;

const ID: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";

fn body(extra: &str) -> String {
    format!(
        r#"{{"ingestion_id":"{ID}","document_id":"d1","status":"processing","queued_at":"2025-01-15T10:30:00"{extra}}}"#
    )
}

fn protocol_message(json: &str) -> String {
    let err = parse_status(json.as_bytes()).expect_err(json);
    assert_eq!(err.kind(), ErrorKind::Protocol, "{json}");
    err.message().to_owned()
}

#[test]
fn contract_example_completed() {
    let s = parse_status(
        br#"{"ingestion_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37", "document_id": "chat-2025-01-15-user-789",
 "status": "completed", "queued_at": "2025-01-15T10:30:00.412Z",
 "started_at": "2025-01-15T10:30:02.108Z", "completed_at": "2025-01-15T10:30:41.950Z",
 "memories_created": 2,
 "memory_ids": ["0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d"],
 "error_message": null}"#,
    )
    .unwrap();
    assert_eq!(s.ingestion_id().to_string(), ID);
    assert_eq!(s.document_id(), "chat-2025-01-15-user-789");
    assert_eq!(s.state(), &IngestState::Completed);
    assert!(s.state().is_terminal());
    assert_eq!(s.queued_at_us(), 1_736_937_000_412_000);
    assert_eq!(s.started_at_us(), Some(1_736_937_002_108_000));
    assert_eq!(s.completed_at_us(), Some(1_736_937_041_950_000));
    assert_eq!(s.memories_created(), 2);
    let ids: Vec<&str> = s.memory_ids().iter().collect();
    assert_eq!(ids, ["0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d"]);
    assert_eq!(s.memory_ids().get(2), None);
    assert_eq!(s.memory_ids().get_with_nul(1), Some("9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d\0"));
    assert_eq!(s.error_message(), None);
}

#[test]
fn contract_example_partial_success_with_offsets() {
    let s = parse_status(
        br#"{"ingestion_id": "1b4e7a90-5c3d-4f28-b6e1-7a9c0d2e4f81", "document_id": "ticket-88213",
 "status": "partial_success", "queued_at": "2025-01-15T11:02:10.000001+00:00",
 "started_at": "2025-01-15T11:02:11.5+00:00", "completed_at": "2025-01-15T11:03:40+00:00",
 "memories_created": 1, "memory_ids": ["5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"],
 "error_message": "entity resolution timed out for 2 of 3 extractions"}"#,
    )
    .unwrap();
    assert_eq!(s.state(), &IngestState::PartialSuccess);
    assert_eq!(s.queued_at_us() % 1_000_000, 1, "microsecond precision kept");
    assert_eq!(s.started_at_us().unwrap() % 1_000_000, 500_000);
    assert_eq!(s.error_message(), Some("entity resolution timed out for 2 of 3 extractions"));
}

#[test]
fn smallest_body_gets_the_defaults() {
    let s = parse_status(body("").as_bytes()).unwrap();
    assert_eq!(s.state(), &IngestState::Processing);
    assert_eq!(s.started_at_us(), None);
    assert_eq!(s.completed_at_us(), None);
    assert_eq!(s.memories_created(), 0);
    assert!(s.memory_ids().is_empty());
    assert_eq!(s.error_message(), None);
}

#[test]
fn null_and_empty_optional_fields_are_absent() {
    let s = parse_status(body(r#","started_at":null,"completed_at":"","error_message":null"#).as_bytes()).unwrap();
    assert_eq!(s.started_at_us(), None);
    assert_eq!(s.completed_at_us(), None);
    assert_eq!(s.error_message(), None);
    let s = parse_status(body(r#","error_message":"""#).as_bytes()).unwrap();
    assert_eq!(s.error_message(), None, "an empty message carries nothing");
}

#[test]
fn unknown_fields_are_ignored() {
    let s = parse_status(body(r#","extra":{"nested":[1,2,{"x":null}]},"another":[true],"n":1.5"#).as_bytes()).unwrap();
    assert_eq!(s.document_id(), "d1");
}

#[test]
fn every_known_state_and_an_unknown_one() {
    for (wire, state) in [
        ("queued", IngestState::Queued),
        ("processing", IngestState::Processing),
        ("completed", IngestState::Completed),
        ("failed", IngestState::Failed),
        ("partial_success", IngestState::PartialSuccess),
        ("COMPLETED", IngestState::Unknown("COMPLETED".into())),
        ("archived", IngestState::Unknown("archived".into())),
    ] {
        let json = body("").replace("\"processing\"", &format!("\"{wire}\""));
        let s = parse_status(json.as_bytes()).unwrap();
        assert_eq!(s.state(), &state);
        assert_eq!(s.state().as_str(), wire);
    }
    assert!(!IngestState::Unknown("done".into()).is_terminal());
}

#[test]
fn uuid_forms_are_canonicalised() {
    for form in [
        "6F1C9E2A-3B7D-4A58-9C0E-2D4B6A8F1E37",
        "6f1c9e2a3b7d4a589c0e2d4b6a8f1e37",
        "{6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37}",
        "urn:uuid:6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37",
    ] {
        let json = body("").replace(ID, form);
        assert_eq!(parse_status(json.as_bytes()).unwrap().ingestion_id().to_string(), ID);
    }
}

#[test]
fn memories_created_is_lax_like_the_sdk() {
    for (value, expected) in [("3", 3), ("3.0", 3), ("\"3\"", 3), ("0", 0)] {
        let s = parse_status(body(&format!(r#","memories_created":{value}"#)).as_bytes()).unwrap();
        assert_eq!(s.memories_created(), expected, "{value}");
    }
    for value in ["3.5", "-1", "null", "\"three\"", "true", "[]"] {
        let msg = protocol_message(&body(&format!(r#","memories_created":{value}"#)));
        assert!(msg.contains("`memories_created`"), "{msg}");
    }
}

#[test]
fn each_missing_required_field_is_named() {
    for field in ["ingestion_id", "document_id", "status", "queued_at"] {
        let mut v: serde_json::Value = serde_json::from_str(&body("")).unwrap();
        v.as_object_mut().unwrap().remove(field);
        let msg = protocol_message(&v.to_string());
        assert_eq!(msg, format!("invalid status response: field `{field}` is missing"));
    }
}

#[test]
fn each_ill_typed_required_field_is_named() {
    for field in ["ingestion_id", "document_id", "status", "queued_at"] {
        for bad in [serde_json::Value::Null, serde_json::json!(7), serde_json::json!({"a": 1})] {
            let mut v: serde_json::Value = serde_json::from_str(&body("")).unwrap();
            v[field] = bad.clone();
            let msg = protocol_message(&v.to_string());
            assert!(msg.contains(&format!("field `{field}` must be a string")), "{msg}");
        }
    }
}

#[test]
fn bad_values_are_named() {
    let msg = protocol_message(&body("").replace(ID, "../../x"));
    assert_eq!(msg, r#"invalid status response: field `ingestion_id` is not a UUID: "../../x""#);
    let msg = protocol_message(&body("").replace("2025-01-15T10:30:00", "yesterday"));
    assert_eq!(msg, r#"invalid status response: field `queued_at` is not an ISO 8601 timestamp: "yesterday""#);
    let msg = protocol_message(&body(r#","started_at":1736937000"#));
    assert!(msg.contains("field `started_at` must be a string, got the number 1736937000"), "{msg}");
    let msg = protocol_message(&body(r#","completed_at":"2025-01-15T10:30:00z""#));
    assert!(msg.contains("field `completed_at` is not an ISO 8601 timestamp"), "{msg}");
    let msg = protocol_message(&body(r#","error_message":false"#));
    assert!(msg.contains("field `error_message` must be a string"), "{msg}");
}

#[test]
fn memory_ids_must_be_an_array_of_strings() {
    for (value, expected) in [
        ("null", "field `memory_ids` must be an array of strings, got null"),
        ("\"a\"", "field `memory_ids` must be an array of strings, got the string \"a\""),
        ("{}", "field `memory_ids` must be an array of strings, got an object"),
        (r#"["a", 1]"#, "field `memory_ids` element 1 must be a string, got the number 1"),
        (r#"["a\u0000b"]"#, "field `memory_ids` element 0 contains a NUL character"),
    ] {
        let msg = protocol_message(&body(&format!(r#","memory_ids":{value}"#)));
        assert_eq!(msg, format!("invalid status response: {expected}"));
    }
}

#[test]
fn nul_in_a_string_is_refused() {
    let msg = protocol_message(&body("").replace("\"d1\"", r#""d\u00001""#));
    assert_eq!(msg, "invalid status response: field `document_id` contains a NUL character");
}

#[test]
fn escaped_strings_are_decoded() {
    let s =
        parse_status(body(r#","memory_ids":["caf\u00e9","a\"b"],"error_message":"line1\nline2""#).as_bytes()).unwrap();
    assert_eq!(s.memory_ids().get(0), Some("café"));
    assert_eq!(s.memory_ids().get(1), Some("a\"b"));
    assert_eq!(s.error_message(), Some("line1\nline2"));
}

#[test]
fn not_an_object_or_not_json() {
    for json in ["", "[]", "\"x\"", "null", "<html>502</html>", "{\"ingestion_id\":", "{} {}"] {
        let msg = protocol_message(json);
        assert!(msg.starts_with("invalid status response: "), "{msg}");
    }
}

#[test]
fn long_values_are_capped_in_messages() {
    let long = "x".repeat(10_000);
    let msg = protocol_message(&body("").replace("2025-01-15T10:30:00", &long));
    assert!(msg.len() < 200, "{msg}");
}

#[test]
fn many_memory_ids() {
    let ids: Vec<String> = (0..10_000).map(|i| format!("id-{i}")).collect();
    let json = body(&format!(r#","memory_ids":{}"#, serde_json::to_string(&ids).unwrap()));
    let s = parse_status(json.as_bytes()).unwrap();
    assert_eq!(s.memory_ids().len(), 10_000);
    assert!(s.memory_ids().iter().eq(ids.iter().map(String::as_str)));
}
