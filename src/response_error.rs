//! Turns a server's non-success answer into an `Error`: the code from the
//! HTTP status (contract section 11.1), the message from the body (11.2).

use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, one_line};

/// Longest stretch of server text we put in a message.
const MESSAGE_CAP: usize = 300;

/// Reasons in a 429 body that mean "out of credits", not "slow down".
const CREDIT_ERRORS: [&str; 2] = ["insufficient_credits", "trial_limit_reached"];

/// The error for an answer whose status is not 200. `location` is the
/// `Location` header, named in the message of an unfollowed redirect.
pub(crate) fn error_for_response(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    location: Option<&str>,
) -> Error {
    let json = serde_json::from_slice::<Value>(body).ok();
    let object = json.as_ref().and_then(Value::as_object);
    let payload = object.map(credit_payload);
    let kind = match status {
        401 | 403 => ErrorKind::Auth,
        400 | 422 => ErrorKind::InvalidRequest,
        402 => ErrorKind::InsufficientCredits,
        404 => ErrorKind::NotFound,
        408 => ErrorKind::Timeout,
        409 => ErrorKind::Conflict,
        // A credit stop will not clear by waiting, so it is not a rate limit.
        429 if payload.and_then(credit_reason).is_some() => ErrorKind::InsufficientCredits,
        429 => ErrorKind::RateLimited,
        400..=499 => ErrorKind::InvalidRequest,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Protocol,
    };
    let text = match status {
        300..=399 => Some(match location {
            Some(to) => format!("redirect to {} not followed", one_line(to, MESSAGE_CAP)),
            None => "redirect not followed".to_owned(),
        }),
        402 | 429 => payload
            .and_then(|p| non_empty_str(p.get("message")))
            .map(str::to_owned)
            .or_else(|| body_message(object, body)),
        _ => body_message(object, body),
    };
    let text = match (text, payload.and_then(credit_reason)) {
        (Some(t), Some(reason)) if status == 429 && !t.contains(reason) => Some(format!("{t} ({reason})")),
        (t, _) => t,
    };
    let message = match text {
        Some(t) => format!("HTTP {status}: {t}"),
        None => match ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()) {
            Some(reason) => format!("HTTP {status} {reason}"),
            None => format!("HTTP {status}"),
        },
    };
    Error::new(kind, message).with_http_status(status).with_retry_after(retry_after)
}

/// Where credit fields live: in an object `detail` (FastAPI nests a raised
/// exception's payload there), else at the top level.
fn credit_payload(object: &Map<String, Value>) -> &Map<String, Value> {
    object.get("detail").and_then(Value::as_object).unwrap_or(object)
}

fn credit_reason(payload: &Map<String, Value>) -> Option<&str> {
    non_empty_str(payload.get("reason"))
        .or_else(|| non_empty_str(payload.get("error")).filter(|e| CREDIT_ERRORS.contains(e)))
}

fn non_empty_str(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// A string `detail`; an object `detail`'s `message` (else its JSON); a
/// FastAPI validation list as `loc: msg` items; a flat `message` or `error`;
/// else the raw body text. `None` for an empty body.
fn body_message(object: Option<&Map<String, Value>>, body: &[u8]) -> Option<String> {
    if let Some(object) = object {
        let found = match object.get("detail") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::Object(d)) => Some(
                non_empty_str(d.get("message")).map_or_else(|| Value::Object(d.clone()).to_string(), str::to_owned),
            ),
            Some(Value::Array(items)) if !items.is_empty() => Some(validation_list(items)),
            _ => None,
        };
        if let Some(found) =
            found.or_else(|| ["message", "error"].iter().find_map(|k| non_empty_str(object.get(*k)).map(str::to_owned)))
        {
            return Some(one_line(&found, MESSAGE_CAP));
        }
    }
    let text = String::from_utf8_lossy(body);
    (!text.trim().is_empty()).then(|| one_line(&text, MESSAGE_CAP))
}

/// `[{"loc":["path","ingestion_id"],"msg":"..."}]` -> `path.ingestion_id: ...`.
fn validation_list(items: &[Value]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|item| {
            let msg = item.get("msg").and_then(Value::as_str);
            let loc = item.get("loc").and_then(Value::as_array).map(|loc| {
                loc.iter()
                    .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(".")
            });
            match (loc, msg) {
                (Some(loc), Some(msg)) => format!("{loc}: {msg}"),
                (None, Some(msg)) => msg.to_owned(),
                _ => item.to_string(),
            }
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> Error {
        error_for_response(status, body.as_bytes(), None, None)
    }

    #[test]
    fn status_codes_map_to_kinds() {
        for (status, kind) in [
            (400, ErrorKind::InvalidRequest),
            (401, ErrorKind::Auth),
            (402, ErrorKind::InsufficientCredits),
            (403, ErrorKind::Auth),
            (404, ErrorKind::NotFound),
            (405, ErrorKind::InvalidRequest),
            (408, ErrorKind::Timeout),
            (409, ErrorKind::Conflict),
            (410, ErrorKind::InvalidRequest),
            (422, ErrorKind::InvalidRequest),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::Server),
            (502, ErrorKind::Server),
            (503, ErrorKind::Server),
            (599, ErrorKind::Server),
            (201, ErrorKind::Protocol),
            (202, ErrorKind::Protocol),
            (204, ErrorKind::Protocol),
            (301, ErrorKind::Protocol),
            (307, ErrorKind::Protocol),
            (101, ErrorKind::Protocol),
        ] {
            let e = err(status, "");
            assert_eq!(e.kind(), kind, "HTTP {status}");
            assert_eq!(e.http_status(), Some(status));
        }
    }

    #[test]
    fn message_from_string_detail() {
        assert_eq!(err(404, r#"{"detail":"Ingestion job not found"}"#).message(), "HTTP 404: Ingestion job not found");
    }

    #[test]
    fn message_from_object_detail() {
        let e = err(409, r#"{"detail":{"code":"x","message":"Already ingested"}}"#);
        assert_eq!(e.message(), "HTTP 409: Already ingested");
        let e = err(409, r#"{"detail":{"code":"x"}}"#);
        assert_eq!(e.message(), r#"HTTP 409: {"code":"x"}"#);
    }

    #[test]
    fn message_from_validation_list() {
        let e = err(
            422,
            r#"{"detail":[{"loc":["path","ingestion_id"],"msg":"Input should be a valid UUID","type":"uuid_parsing"},{"loc":["body",0],"msg":"Field required"}]}"#,
        );
        assert_eq!(e.message(), "HTTP 422: path.ingestion_id: Input should be a valid UUID; body.0: Field required");
    }

    #[test]
    fn message_from_flat_fields_and_docs_shape() {
        assert_eq!(err(500, r#"{"message":"boom"}"#).message(), "HTTP 500: boom");
        assert_eq!(
            err(401, r#"{"error":"Invalid key","code":"AUTH","details":{}}"#).message(),
            "HTTP 401: Invalid key"
        );
        assert_eq!(err(401, r#"{"detail":null,"message":"m"}"#).message(), "HTTP 401: m");
    }

    #[test]
    fn raw_text_is_capped_and_one_line() {
        let html = format!("<html>\n<body>Bad gateway{}</body></html>", "x".repeat(5000));
        let e = err(502, &html);
        assert!(e.message().starts_with("HTTP 502: <html> <body>Bad gateway"), "{}", e.message());
        assert!(e.message().len() < MESSAGE_CAP + 20);
        assert!(!e.message().contains('\n'));
    }

    #[test]
    fn empty_body_gives_the_reason_phrase() {
        assert_eq!(err(503, "").message(), "HTTP 503 Service Unavailable");
        assert_eq!(err(599, "  ").message(), "HTTP 599");
    }

    #[test]
    fn plain_rate_limit_keeps_retry_after() {
        let e = error_for_response(429, br#"{"detail":"Rate limit exceeded"}"#, Some(Duration::from_secs(7)), None);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
        assert_eq!(e.message(), "HTTP 429: Rate limit exceeded");
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    }

    #[test]
    fn credit_stop_429_is_insufficient_credits() {
        let e = err(
            429,
            r#"{"detail":{"error":"trial_limit_reached","reason":"trial_limit_reached","message":"Trial allowance used up."}}"#,
        );
        assert_eq!(e.kind(), ErrorKind::InsufficientCredits);
        assert_eq!(e.message(), "HTTP 429: Trial allowance used up. (trial_limit_reached)");
        let e = err(429, r#"{"error":"insufficient_credits"}"#);
        assert_eq!(e.kind(), ErrorKind::InsufficientCredits);
        let e = err(429, r#"{"detail":"Rate limit exceeded","error":"slow_down"}"#);
        assert_eq!(e.kind(), ErrorKind::RateLimited);
    }

    #[test]
    fn payment_required_uses_the_payload_message() {
        let e = err(
            402,
            r#"{"detail":{"reason":"overages_disabled","message":"Credit balance is exhausted.","balance_credits":0.0}}"#,
        );
        assert_eq!(e.kind(), ErrorKind::InsufficientCredits);
        assert_eq!(e.message(), "HTTP 402: Credit balance is exhausted.");
    }

    #[test]
    fn redirect_names_its_target() {
        let e = error_for_response(302, b"", None, Some("https://elsewhere.example/x"));
        assert_eq!(e.message(), "HTTP 302: redirect to https://elsewhere.example/x not followed");
    }
}
