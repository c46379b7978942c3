//! `SynapCreateRequest`, `synap_memories_create()`, `synap_memories_batch_create()`
//! and the `SynapIngestion` and `SynapBatch` they return.

use std::ffi::{CString, c_char};

use super::client::SynapClient;
use super::cstr::{arg, array, c_opt_string, c_string, string};
use super::error::SynapCode;
use super::guard::{Handle, configure, free, get, lend, make, optional, produce, text};
use super::status::{SynapIngestState, ingest_state};
use crate::error::Error;
use crate::{Batch, CreateRequest, Ingestion};

/// One document to ingest and how to file it: the request builder for
/// `synap_memories_create()` and `synap_memories_batch_create()`.
///
/// Made by `synap_create_request_new()`, freed by
/// `synap_create_request_free()`. Set the document with
/// `synap_create_request_set_document_text()` or `_json()`; everything else
/// is optional. Setters copy their strings, check their value and leave the
/// request unchanged when they refuse it. Use from one thread at a time; a
/// call only reads it, so it may be sent again or changed afterwards.
pub struct SynapCreateRequest {
    request: CreateRequest,
}

impl Handle for SynapCreateRequest {
    const NAME: &'static str = "SynapCreateRequest";
}

/// An accepted ingestion: the job `synap_memories_status()` and
/// `synap_memories_wait()` follow.
///
/// Made by `synap_memories_create()` and freed by `synap_ingestion_free()`,
/// or lent, as a `const SynapIngestion *`, by `synap_batch_result()` and
/// owned by its batch. Immutable; strings it returns live as long as it
/// does.
pub struct SynapIngestion {
    ingestion: Ingestion,
    ingestion_id: CString,
    document_id: CString,
    state_name: CString,
    error_message: Option<CString>,
    lent: bool,
}

impl Handle for SynapIngestion {
    const NAME: &'static str = "SynapIngestion";

    fn is_lent(&self) -> bool {
        self.lent
    }
}

/// The answer to `synap_memories_batch_create()`: counts and one
/// `SynapIngestion` per document sent, in order.
///
/// Freed by `synap_batch_free()`. Immutable.
pub struct SynapBatch {
    batch: Batch,
    batch_id: CString,
    results: Vec<SynapIngestion>,
}

impl Handle for SynapBatch {
    const NAME: &'static str = "SynapBatch";
}

impl SynapIngestion {
    pub(super) fn new(ingestion: Ingestion, lent: bool) -> Result<SynapIngestion, Error> {
        Ok(SynapIngestion {
            ingestion_id: c_string(&ingestion.ingestion_id().to_string(), "ingestion_id")?,
            document_id: c_string(ingestion.document_id(), "document_id")?,
            state_name: c_string(ingestion.state().as_str(), "status")?,
            error_message: c_opt_string(ingestion.error_message(), "error_message")?,
            ingestion,
            lent,
        })
    }
}

/// Makes an empty request: no document yet, type `ai-chat-conversation`,
/// mode `long-range`, no ids, scope or metadata. Returns NULL only if
/// memory runs out. Free with `synap_create_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_create_request_new() -> *mut SynapCreateRequest {
    make(|| SynapCreateRequest { request: CreateRequest::new() })
}

/// Frees a request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_free(request: *mut SynapCreateRequest) {
    free(request)
}

/// Every setter: the core request's own setter checks the value and
/// leaves the request unchanged when it refuses it.
///
/// # Safety
/// `request` is NULL or a live handle, not used elsewhere meanwhile.
unsafe fn set(
    request: *mut SynapCreateRequest,
    apply: impl FnOnce(&mut CreateRequest) -> Result<&mut CreateRequest, Error>,
) -> SynapCode {
    configure(request, "request", |r| apply(&mut r.request).map(|_| ()))
}

/// Sets the document to plain text (a conversation, an email body, ...).
/// Returns `SYNAP_INVALID_ARGUMENT` if `request` or `text` is NULL or `text`
/// is not UTF-8.
///
/// # Safety
/// `request` is NULL or a live handle; `text` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_document_text(
    request: *mut SynapCreateRequest,
    text: *const c_char,
) -> SynapCode {
    set(request, |r| Ok(r.document_text(string(text, "text")?)))
}

/// Sets the document to a JSON object given as text, e.g.
/// `"{\"subject\":\"Renewal\",\"body\":\"...\"}"`. Returns
/// `SYNAP_INVALID_ARGUMENT` if it is not valid JSON or not an object.
///
/// # Safety
/// `request` is NULL or a live handle; `json` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_document_json(
    request: *mut SynapCreateRequest,
    json: *const c_char,
) -> SynapCode {
    set(request, |r| r.document_json(string(json, "json")?))
}

/// Sets the document type: `ai-chat-conversation` (default), `document`,
/// `email`, `pdf`, `image`, `audio` or `meeting-transcript`. Any other
/// value is `SYNAP_INVALID_ARGUMENT`, before any request.
///
/// # Safety
/// `request` is NULL or a live handle; `document_type` is NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_document_type(
    request: *mut SynapCreateRequest,
    document_type: *const c_char,
) -> SynapCode {
    set(request, |r| r.document_type(string(document_type, "document_type")?))
}

/// Sets the mode: `long-range` (default) or `fast`; anything else is
/// `SYNAP_INVALID_ARGUMENT`.
///
/// # Safety
/// `request` is NULL or a live handle; `mode` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_mode(
    request: *mut SynapCreateRequest,
    mode: *const c_char,
) -> SynapCode {
    set(request, |r| r.mode(string(mode, "mode")?))
}

/// Sets your id for the document. The service refuses a second document
/// with the same id (`SYNAP_CONFLICT`), which makes a create you are unsure
/// about safe to repeat.
///
/// # Safety
/// `request` is NULL or a live handle; `document_id` is NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_document_id(
    request: *mut SynapCreateRequest,
    document_id: *const c_char,
) -> SynapCode {
    set(request, |r| Ok(r.document_id(string(document_id, "document_id")?)))
}

/// Sets when the document was written, in Unix microseconds UTC (years 1
/// to 9999). Without it the service uses the time of ingestion.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_document_created_at_us(
    request: *mut SynapCreateRequest,
    unix_us: i64,
) -> SynapCode {
    set(request, |r| r.document_created_at_us(unix_us))
}

/// Sets the end user the memories belong to.
///
/// # Safety
/// `request` is NULL or a live handle; `user_id` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_user_id(
    request: *mut SynapCreateRequest,
    user_id: *const c_char,
) -> SynapCode {
    set(request, |r| Ok(r.user_id(string(user_id, "user_id")?)))
}

/// Sets the customer (organisation) the memories belong to. On an instance
/// `synap_client_whoami()` reported as B2C, `synap_memories_create()`
/// refuses it with `SYNAP_INVALID_ARGUMENT`.
///
/// # Safety
/// `request` is NULL or a live handle; `customer_id` is NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_customer_id(
    request: *mut SynapCreateRequest,
    customer_id: *const c_char,
) -> SynapCode {
    set(request, |r| Ok(r.customer_id(string(customer_id, "customer_id")?)))
}

/// Adds one level of the scope path, e.g. `("team", "payments")`, for
/// accounts with levels between customer and user.
///
/// # Safety
/// `request` is NULL or a live handle; `level` and `value` are NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_add_scope(
    request: *mut SynapCreateRequest,
    level: *const c_char,
    value: *const c_char,
) -> SynapCode {
    set(request, |r| Ok(r.scope(string(level, "level")?, string(value, "value")?)))
}

/// Sets free-form metadata, a JSON object given as text, e.g.
/// `"{\"channel\":\"web\"}"`; anything else is `SYNAP_INVALID_ARGUMENT`.
///
/// # Safety
/// `request` is NULL or a live handle; `json` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_create_request_set_metadata_json(
    request: *mut SynapCreateRequest,
    json: *const c_char,
) -> SynapCode {
    set(request, |r| r.metadata_json(string(json, "json")?))
}

/// `memories.create`: queues one document for ingestion.
///
/// - `client`: from `synap_client_new()`.
/// - `request`: a request with its document set; only read.
/// - `out_ingestion`: receives the accepted job on `SYNAP_OK`; set to NULL
///   on entry. Free it with `synap_ingestion_free()`.
///
/// Not idempotent, so it is retried only when the failure proves the
/// request had no effect: a refused connection or connect timeout, HTTP 429
/// (not a credit stop) or 503. It is never retried after a read timeout, a
/// dropped connection or another 5xx, where the service may already have
/// queued the document: resending could ingest it twice. Set a document id
/// to make your own retry safe (a repeat is `SYNAP_CONFLICT`).
///
/// Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT` (NULL, no document);
/// `SYNAP_INVALID_REQUEST` (the service refused a field: HTTP 400/422);
/// `SYNAP_CONFLICT` (duplicate document id, or the instance is not ready);
/// `SYNAP_INSUFFICIENT_CREDITS`; or the transport codes.
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_ingestion` is NULL
/// or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_create(
    client: *const SynapClient,
    request: *const SynapCreateRequest,
    out_ingestion: *mut *mut SynapIngestion,
) -> SynapCode {
    produce(out_ingestion, "out_ingestion", || {
        let client = arg(client, "client")?;
        let request = arg(request, "request")?;
        SynapIngestion::new(client.inner.memories_create(&request.request)?, false)
    })
}

/// `memories.batch_create`: queues `count` documents in one request.
///
/// - `requests`: an array of `count` requests, each with its document set.
/// - `fail_fast`: true to have the service refuse the whole batch at the
///   first invalid document (`SYNAP_INVALID_REQUEST`); false to get invalid
///   ones back as refused items while the rest are queued.
/// - `out_batch`: receives the results on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_batch_free()`.
///
/// Retried only as `synap_memories_create()` is.
///
/// # Safety
/// `client` is NULL or live; `requests` is NULL or points to `count`
/// pointers, each NULL or a live request; `out_batch` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_batch_create(
    client: *const SynapClient,
    requests: *const *const SynapCreateRequest,
    count: usize,
    fail_fast: bool,
    out_batch: *mut *mut SynapBatch,
) -> SynapCode {
    produce(out_batch, "out_batch", || {
        let client = arg(client, "client")?;
        let items = array(requests, count, "requests")?
            .iter()
            .enumerate()
            .map(|(i, r)| arg(*r, &format!("requests[{i}]")).map(|r| r.request.clone()))
            .collect::<Result<Vec<CreateRequest>, Error>>()?;
        let batch = client.inner.memories_batch_create(&items, fail_fast)?;
        let results =
            batch.results().iter().map(|r| SynapIngestion::new(r.clone(), true)).collect::<Result<Vec<_>, Error>>()?;
        Ok(SynapBatch { batch_id: c_string(&batch.batch_id().to_string(), "batch_id")?, batch, results })
    })
}

/// Frees an ingestion from `synap_memories_create()`. NULL is ignored, and
/// so is one lent by `synap_batch_result()`, which is freed with its batch
/// (the refusal is logged at `SYNAP_LOG_ERROR`).
///
/// # Safety
/// `ingestion` is NULL or a live handle from `synap_memories_create()`,
/// freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ingestion_free(ingestion: *mut SynapIngestion) {
    free(ingestion)
}

/// The job's ingestion id (canonical lowercase UUID), for
/// `synap_memories_status()` and `synap_memories_wait()`. NULL if
/// `ingestion` is NULL. Owned by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ingestion_id(ingestion: *const SynapIngestion) -> *const c_char {
    text(ingestion, |i| &i.ingestion_id)
}

/// Your document id, or the one the service assigned. NULL if `ingestion`
/// is NULL. Owned by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ingestion_document_id(ingestion: *const SynapIngestion) -> *const c_char {
    text(ingestion, |i| &i.document_id)
}

/// The job's state when accepted: normally `SYNAP_INGEST_QUEUED`; a batch
/// item the service refused is `SYNAP_INGEST_FAILED`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ingestion_state(ingestion: *const SynapIngestion) -> SynapIngestState {
    get(ingestion, SynapIngestState::SYNAP_INGEST_UNKNOWN, |i| ingest_state(i.ingestion.state()))
}

/// The state as the service sent it. NULL if `ingestion` is NULL. Owned by
/// `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ingestion_state_name(ingestion: *const SynapIngestion) -> *const c_char {
    text(ingestion, |i| &i.state_name)
}

/// When the job was queued, Unix microseconds UTC; 0 if `ingestion` is NULL.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ingestion_queued_at_us(ingestion: *const SynapIngestion) -> i64 {
    get(ingestion, 0, |i| i.ingestion.queued_at_us())
}

/// Why the service refused a batch item; NULL when it was accepted (and for
/// every `synap_memories_create()` result). Owned by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_ingestion_error_message(ingestion: *const SynapIngestion) -> *const c_char {
    text(ingestion, |i| &i.error_message)
}

/// Frees a batch and every ingestion it lent. NULL is ignored.
///
/// # Safety
/// `batch` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_batch_free(batch: *mut SynapBatch) {
    free(batch)
}

/// The batch's id (UUID). NULL if `batch` is NULL. Owned by `batch`.
///
/// # Safety
/// `batch` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_batch_id(batch: *const SynapBatch) -> *const c_char {
    text(batch, |b| &b.batch_id)
}

/// How many documents the service accepted (`out_succeeded`) and refused
/// (`out_failed`) out of `out_total`; each out pointer may be NULL. Returns
/// false and writes nothing if `batch` is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle; each out pointer is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_batch_counts(
    batch: *const SynapBatch,
    out_total: *mut u64,
    out_succeeded: *mut u64,
    out_failed: *mut u64,
) -> bool {
    let Some((total, succeeded, failed)) = get(batch, None, |b| Some(b.batch.counts())) else { return false };
    for (out, value) in [(out_total, total), (out_succeeded, succeeded), (out_failed, failed)] {
        optional(batch, out, |_| Some(value));
    }
    true
}

/// How many results the batch holds: one per document sent. 0 if `batch`
/// is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_batch_result_count(batch: *const SynapBatch) -> usize {
    get(batch, 0, |b| b.results.len())
}

/// The result for document `index` (0-based, in the order sent), lent by
/// the batch: valid until `synap_batch_free()`, never freed on its own
/// (`synap_ingestion_free()` refuses it).
/// NULL if `batch` is NULL or `index` is out of range.
///
/// # Safety
/// `batch` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_batch_result(batch: *const SynapBatch, index: usize) -> *const SynapIngestion {
    lend(batch, |b| b.results.get(index))
}
