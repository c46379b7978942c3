//! The bodies of `POST /api/v1/memories/create` and `/batch` (contract
//! sections 7 and 8).

use super::fields::{Fields, invalid, read_object};
use crate::create::{Batch, Ingestion};
use crate::error::Error;
use crate::status::IngestState;

/// Parses a create answer.
pub(crate) fn parse_ingestion(body: &[u8]) -> Result<Ingestion, Error> {
    let mut f = read_object(body, "create")?;
    ingestion(&mut f)
}

fn ingestion(f: &mut Fields<'_>) -> Result<Ingestion, Error> {
    Ok(Ingestion {
        ingestion_id: f.required_uuid("ingestion_id")?,
        document_id: f.required_str("document_id")?.into_owned(),
        state: IngestState::from_wire(&f.required_str("status")?),
        queued_at_us: f.required_time("queued_at")?,
        error_message: f.optional_str("error_message")?.filter(|s| !s.is_empty()).map(|s| s.into_owned()),
    })
}

/// Parses a batch answer.
pub(crate) fn parse_batch(body: &[u8]) -> Result<Batch, Error> {
    // The results array needs its elements, which `Fields` skips: read it
    // as a value tree (batches are bounded by what the caller sent).
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| invalid("batch", format_args!("{e}")))?;
    let mut f = read_object(body, "batch")?;
    let count = |f: &mut Fields<'_>, name: &str| -> Result<u64, Error> {
        let n = f.required_number(name)?;
        if n < 0.0 || n.fract() != 0.0 {
            return Err(invalid("batch", format_args!("field `{name}` must be a non-negative integer, got {n}")));
        }
        Ok(n as u64)
    };
    let batch_id = f.required_uuid("batch_id")?;
    let (total, succeeded, failed) = (count(&mut f, "total")?, count(&mut f, "succeeded")?, count(&mut f, "failed")?);
    let items = value
        .get("results")
        .ok_or_else(|| invalid("batch", "field `results` is missing"))?
        .as_array()
        .ok_or_else(|| invalid("batch", "field `results` must be an array"))?;
    let mut results = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let text = serde_json::to_vec(item).map_err(|e| invalid("batch", e))?;
        let mut f =
            read_object(&text, "batch").map_err(|e| invalid("batch", format_args!("results[{i}]: {}", e.message())))?;
        results.push(
            ingestion(&mut f).map_err(|e| invalid("batch", format_args!("results[{i}]: {}", strip(e.message()))))?,
        );
    }
    Ok(Batch { batch_id, total, succeeded, failed, results })
}

fn strip(message: &str) -> &str {
    message.strip_prefix("invalid batch response: ").unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_answer() {
        let body =
            br#"{"ingestion_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37", "document_id": "chat-2025-01-15-user-789",
 "status": "queued", "queued_at": "2025-01-15T10:30:00.412Z"}"#;
        let i = parse_ingestion(body).unwrap();
        assert_eq!(i.ingestion_id().to_string(), "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37");
        assert_eq!((i.document_id(), i.state()), ("chat-2025-01-15-user-789", &IngestState::Queued));
        assert_eq!(i.queued_at_us(), 1_736_937_000_412_000);
        let e = parse_ingestion(br#"{"document_id":"d","status":"queued","queued_at":"2025-01-15T10:30:00Z"}"#);
        assert_eq!(e.unwrap_err().message(), "invalid create response: field `ingestion_id` is missing");
    }

    #[test]
    fn batch_answer_with_a_refused_item() {
        let body = br#"{"batch_id": "c2d4e6f8-0a1b-4c3d-8e5f-7a9b0c1d2e3f", "total": 2, "succeeded": 1, "failed": 1,
 "results": [{"ingestion_id": "aa11bb22-cc33-4d44-8e55-ff6677889900", "document_id": "kb-1",
   "status": "queued", "queued_at": "2025-01-15T12:00:00Z", "error_message": null},
  {"ingestion_id": "bb22cc33-dd44-4e55-8f66-007788990011", "document_id": "kb-2", "status": "failed",
   "queued_at": "2025-01-15T12:00:00Z", "error_message": "document must not be empty"}]}"#;
        let b = parse_batch(body).unwrap();
        assert_eq!((b.total, b.succeeded, b.failed, b.results.len()), (2, 1, 1, 2));
        assert_eq!(b.results[0].error_message(), None);
        assert_eq!(b.results[1].state(), &IngestState::Failed);
        assert_eq!(b.results[1].error_message(), Some("document must not be empty"));
        let bad = String::from_utf8_lossy(body).replace("\"kb-2\"", "7");
        assert_eq!(
            parse_batch(bad.as_bytes()).unwrap_err().message(),
            "invalid batch response: results[1]: field `document_id` must be a string, got the number 7"
        );
    }
}
