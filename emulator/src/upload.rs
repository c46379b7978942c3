//! `POST /api/v1/memories/upload` (contract part 2, section 6.4): a file
//! (`multipart/form-data`) or a text (`application/x-www-form-urlencoded`)
//! ingested as `memories.create` ingests a document: same answer, same job,
//! same memories, same credit charge.
//!
//! Fields: `user_id` (required), `relationship_type` (`b2c` default, or
//! `b2b`), `mode` (`long-range` default, or `fast`), `customer_id`,
//! `document_type` (one of create's seven, `document` by default), `scope`
//! and `metadata` (JSON objects as text), and exactly one of a file part
//! and a `text` field (else 422). Tenancy as for create (400). The
//! document's text is the text, or the file when it is UTF-8 of at most
//! 64 KiB; anything else stands as one line, `uploaded file NAME (N bytes)`.
//! A `metadata.conversation_id` places it in that conversation, as for
//! create.
//!
//! A body with a Content-Length is streamed, never held whole, up to
//! [`crate::Config::upload_max_bytes`] (413 beyond, answered before any of
//! it is read, without `100 Continue`). A body that ends before its length
//! (the client went away) leaves no job and no record. A chunked body is
//! read whole first, as any other route's, so it is held to that cap
//! (1 MiB). Every accepted upload is recorded for `GET /_emulator/uploads`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::body_check::Fields;
use crate::body_scan::{ScanError, Scanner};
use crate::conversations;
use crate::credits;
use crate::http::{self, ReadError, Request, Response, Source, percent_decode};
use crate::ingest;
use crate::routes;
use crate::state::{B2C, State, lock};
use crate::upload_form::{self, Form, MAX_FIELD_BYTES};
use crate::uploads::{Received, UploadRecord};
use crate::validate::{self, DOCUMENT_TYPES, FieldError, MODES, NewDocument};

pub(crate) const UPLOAD_PATH: &str = "/api/v1/memories/upload";
const RELATIONSHIPS: [&str; 2] = ["b2c", "b2b"];
const DEFAULT_DOCUMENT_TYPE: &str = "document";

/// Whether a request's body is left on the connection for [`receive`] to
/// stream: a POST to the upload route framed by Content-Length.
pub(crate) fn streams(req: &Request) -> bool {
    req.method == "POST"
        && req.header("content-length").is_some()
        && req.header("transfer-encoding").is_none()
        && percent_decode(&req.path).as_deref() == Some(UPLOAD_PATH)
}

/// Answers a streamed upload, reading its body from `src`. `None` when the
/// body ended early: nothing is answered and the connection closes.
/// `body_read` tells whether the whole body was read (else the connection
/// must close after the answer).
pub(crate) fn receive<S: Source>(state: &State, req: &Request, src: &mut S, body_read: &mut bool) -> Option<Response> {
    if let Some(refused) = routes::authorized(state, req) {
        return Some(refused);
    }
    let len = match http::content_length(req) {
        Ok(len) => len.unwrap_or(0),
        Err(ReadError::Bad(status, msg)) => return Some(Response::detail(status, msg)),
        Err(ReadError::Closed) => return None,
    };
    let max = state.knobs().upload_max_bytes;
    if len > max {
        return Some(Response::detail(413, &format!("Request body too large: {len} bytes, at most {max}")));
    }
    if len > 0 && http::maybe_continue(src, req).is_err() {
        return None;
    }
    let mut scanner = Scanner::new(src, len);
    let answer = match upload_form::read(&mut scanner, req.header("content-type")) {
        Ok(form) => accept(state, form),
        Err(ScanError::Cut) => return None,
        Err(e) => refusal(e),
    };
    match scanner.drain() {
        Ok(()) => *body_read = true,
        Err(ScanError::Cut) => return None,
        Err(_) => {}
    }
    Some(answer)
}

/// Answers an upload whose body was read whole (a chunked one).
pub(crate) fn buffered(state: &State, req: &Request) -> Response {
    let mut body = &req.body[..];
    let mut scanner = Scanner::new(&mut body, req.body.len() as u64);
    match upload_form::read(&mut scanner, req.header("content-type")) {
        Ok(form) => accept(state, form),
        Err(e) => refusal(e),
    }
}

fn refusal(e: ScanError) -> Response {
    match e {
        ScanError::FieldTooLong(name) => {
            let msg = format!("String should have at most {MAX_FIELD_BYTES} characters");
            let err = FieldError::new(vec![json!("body"), json!(name)], "string_too_long", msg, &Value::Null);
            validate::unprocessable(&[FieldError { ctx: Some(json!({"max_length": MAX_FIELD_BYTES})), ..err }])
        }
        ScanError::Malformed(why) => Response::detail(400, &format!("There was an error parsing the body: {why}")),
        ScanError::Cut => Response::detail(400, "There was an error parsing the body: it ended early"),
    }
}

/// What a checked form ingests.
struct Upload {
    user_id: String,
    customer_id: Option<String>,
    document_type: &'static str,
    metadata: Option<Map<String, Value>>,
}

/// The form checked as the route's model: every error at once.
fn check(form: &Form) -> Result<Upload, Vec<FieldError>> {
    let fields: Map<String, Value> = form.fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let fields = Value::Object(fields);
    let mut f = Fields::of(&fields, &[json!("body")])?;
    let user_id = f.non_empty_string("user_id");
    f.one_of("relationship_type", &RELATIONSHIPS, Some("b2c"));
    f.one_of("mode", &MODES, Some("long-range"));
    let document_type = if form.fields.get("document_type").is_some_and(|t| !t.is_empty()) {
        f.one_of("document_type", &DOCUMENT_TYPES, None)
    } else {
        Some(DEFAULT_DOCUMENT_TYPE)
    };
    let customer_id = f.optional_string("customer_id").filter(|c| !c.is_empty());
    json_object(&mut f, "scope", &form.fields, true);
    let metadata = json_object(&mut f, "metadata", &form.fields, false);
    if form.sources != 1 {
        let msg = format!("Value error, exactly one of a file or text is required, not {}", form.sources);
        f.errors.push(FieldError::new(vec![json!("body")], "value_error", msg, &Value::Null));
    } else if source(form).is_some_and(|data| data.as_text().is_some_and(|t| t.trim().is_empty())) {
        let name = if form.file.is_some() { "file" } else { upload_form::TEXT_FIELD };
        f.fail(name, "value_error", "Value error, document must not be empty", &Value::Null);
    }
    match f.finish((user_id, document_type))? {
        (Some(user_id), Some(document_type)) => Ok(Upload { user_id, customer_id, document_type, metadata }),
        _ => unreachable!("a missing field is an error"),
    }
}

/// A field holding a JSON object as text (of strings only, when `flat`).
fn json_object(
    f: &mut Fields<'_>,
    name: &str,
    fields: &BTreeMap<String, String>,
    flat: bool,
) -> Option<Map<String, Value>> {
    let text = fields.get(name).filter(|t| !t.is_empty())?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(obj)) if !flat || obj.values().all(Value::is_string) => Some(obj),
        Ok(_) => {
            let msg = if flat { "Value error, must be an object of strings" } else { "Value error, must be an object" };
            f.fail(name, "value_error", msg, &json!(text));
            None
        }
        Err(_) => {
            f.fail(name, "json_invalid", "Invalid JSON", &json!(text));
            None
        }
    }
}

fn source(form: &Form) -> Option<&Received> {
    form.file.as_ref().map(|f| &f.data).or(form.text.as_ref())
}

/// The document's text (module docs).
fn document_text(form: &Form) -> String {
    let data = source(form).expect("checked: one source");
    match (data.as_text(), &form.file) {
        (Some(text), _) => text.to_owned(),
        (None, Some(file)) => format!("uploaded file {} ({} bytes)", file.filename, data.bytes),
        (None, None) => format!("uploaded text ({} bytes)", data.bytes),
    }
}

fn accept(state: &State, form: Form) -> Response {
    let upload = match check(&form) {
        Ok(upload) => upload,
        Err(errors) => return validate::unprocessable(&errors),
    };
    let isolation = state.config.user_context_isolation.as_deref();
    if isolation == Some(B2C) && upload.customer_id.is_some() {
        return Response::detail(400, "customer_id is not accepted: this instance isolates users per customer");
    }
    if isolation.is_none() && upload.customer_id.is_none() {
        return Response::detail(400, "user_id requires customer_id on this instance");
    }
    let text = document_text(&form);
    let conversation_id = conversations::conversation_of(None, upload.metadata.as_ref());
    let messages =
        if conversation_id.is_some() { conversations::messages(&Value::String(text.clone())) } else { Vec::new() };
    let doc = NewDocument {
        text,
        document_id: None,
        user_id: Some(upload.user_id.clone()),
        customer_id: upload.customer_id,
        document_type: upload.document_type.to_owned(),
        created_at: None,
        conversation_id,
        messages,
    };
    let mut jobs = lock(&state.jobs);
    if let Err(resp) = credits::charge(state, 1, "memories.upload") {
        return resp;
    }
    let answer = ingest::queue(state, &mut jobs, doc);
    drop(jobs);
    let data = source(&form).expect("checked: one source");
    let (bytes, fnv1a64) = (data.bytes, data.hash.hex());
    let (filename, content_type) = match form.file {
        Some(file) => (Some(file.filename), file.content_type),
        None => (None, None),
    };
    let record = UploadRecord {
        user_id: upload.user_id,
        filename,
        content_type,
        bytes,
        fnv1a64,
        encoding: form.encoding,
        fields: form.fields,
    };
    lock(&state.uploads).record(record);
    answer
}
