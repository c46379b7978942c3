//! Conversations from C: record a message or a batch
//! (`SynapMessageRequest`), ingest a transcript (`SynapTranscriptRequest`),
//! list a conversation's messages, compact it (`SynapCompactOptions`), and
//! read its compacted state (`SynapCompactedOptions`) and compaction status.
//!
//! The writes (record, batch, ingest, compact) are not idempotent and carry
//! no idempotency key: each is resent only when the failure proves it had no
//! effect (a refused connection, HTTP 429, HTTP 503), never after a timeout,
//! a dropped connection or another 5xx, where the service may already have
//! recorded it.

use std::ffi::c_char;

use super::client::SynapClient;
use super::cstr::{arg, array, opt_string, out_slot, string};
use super::error::SynapCode;
use super::guard::{Handle, configure, entry, free, get, lend, make, optional, produce, text};
use crate::error::Error;
use crate::{
    CompactOptions, Compacted, Compaction, CompactionStatus, ConversationMessage, MessageBatch, MessageRequest,
    RecordedMessage, TranscriptIngestion, TranscriptRequest,
};

/// One message of a conversation, for `synap_conversation_record_message()`
/// or a batch (`synap_conversation_record_messages()`).
///
/// Made by `synap_message_request_new()`, freed by
/// `synap_message_request_free()`. Set its conversation, role and content
/// (and, to record it alone, its user). Setters copy their strings, check
/// their value and leave the request unchanged when they refuse it. Use
/// from one thread at a time; a call only reads it.
pub struct SynapMessageRequest {
    inner: MessageRequest,
}

impl Handle for SynapMessageRequest {
    const NAME: &'static str = "SynapMessageRequest";
}

/// Makes an empty message request. Returns NULL only if memory runs out. Free
/// with
/// `synap_message_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_message_request_new() -> *mut SynapMessageRequest {
    make(|| SynapMessageRequest { inner: MessageRequest::new() })
}

/// Frees a message request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_free(request: *mut SynapMessageRequest) {
    free(request)
}

/// Sets the conversation: a UUID in any case, with or without hyphens.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `conversation_id` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_conversation_id(
    request: *mut SynapMessageRequest,
    conversation_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.conversation_id(string(conversation_id, "conversation_id")?).map(|_| ()))
}

/// Sets who spoke: `user` or `assistant`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `role` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_role(
    request: *mut SynapMessageRequest,
    role: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.role(string(role, "role")?).map(|_| ()))
}

/// Sets what was said (copied; may be empty).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `content` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_content(
    request: *mut SynapMessageRequest,
    content: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.content(string(content, "content")?);
        Ok(())
    })
}

/// Sets the end user; required to record the message alone. Refused if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_user_id(
    request: *mut SynapMessageRequest,
    user_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.user_id(string(user_id, "user_id")?).map(|_| ()))
}

/// Sets the customer on a B2B instance. Refused if empty; a call naming one on
/// an instance `synap_client_whoami()` reported as B2C fails with
/// `SYNAP_INVALID_ARGUMENT` before any request.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_customer_id(
    request: *mut SynapMessageRequest,
    customer_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.customer_id(string(customer_id, "customer_id")?).map(|_| ()))
}

/// Sets the session; the service makes one when none is given. NULL or `""`
/// clears it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `session_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_session_id(
    request: *mut SynapMessageRequest,
    session_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.session_id(opt_string(session_id, "session_id")?.unwrap_or_default());
        Ok(())
    })
}

/// Sets free-form metadata, a JSON object given as text.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `json` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_metadata_json(
    request: *mut SynapMessageRequest,
    json: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.metadata_json(string(json, "json")?).map(|_| ()))
}

/// Adds (or replaces) one rung of the scope path.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `level` and `value` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_add_scope_level(
    request: *mut SynapMessageRequest,
    level: *const c_char,
    value: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.scope_level(string(level, "level")?, string(value, "value")?).map(|_| ()))
}

/// Sets the model the agent runs (folded into the metadata as `agent_model`;
/// the service sizes compaction to its window). NULL or `""` clears it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `model` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_agent_model(
    request: *mut SynapMessageRequest,
    model: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.agent_model(opt_string(model, "model")?.unwrap_or_default());
        Ok(())
    })
}

/// Sets the agent's context window in tokens (folded into the metadata as
/// `agent_context_window`); 0 clears it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_request_set_agent_context_window(
    request: *mut SynapMessageRequest,
    tokens: u32,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.agent_context_window(tokens);
        Ok(())
    })
}

/// A message the service recorded.
///
/// Made by `synap_conversation_record_message()` and freed by
/// `synap_recorded_message_free()`, or lent, as a `const
/// SynapRecordedMessage *`, by `synap_message_batch_result()` and owned by
/// its batch. Immutable.
pub struct SynapRecordedMessage {
    inner: RecordedMessage,
    lent: bool,
}

impl Handle for SynapRecordedMessage {
    const NAME: &'static str = "SynapRecordedMessage";

    fn is_lent(&self) -> bool {
        self.lent
    }
}

/// Records one message of a conversation (`POST /v1/conversations/messages`).
///
/// - `request`: a message with its conversation, role, content and user
///   set; only read.
/// - `out_message`: receives what the service recorded on `SYNAP_OK`; set
///   to NULL on entry. Free it with `synap_recorded_message_free()`.
///
/// Not idempotent: resent only when the failure proves it had no effect
/// (a refused connection, HTTP 429, HTTP 503); after a timeout, a dropped
/// connection or another 5xx it is not resent, since the service may have
/// recorded it already. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT` (NULL,
/// a field missing, a customer id on a B2C instance);
/// `SYNAP_INVALID_REQUEST`; `SYNAP_CONFLICT` (the instance is not ready); or
/// the transport codes.
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_message` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_record_message(
    client: *const SynapClient,
    request: *const SynapMessageRequest,
    out_message: *mut *mut SynapRecordedMessage,
) -> SynapCode {
    produce(out_message, "out_message", || {
        let client = arg(client, "client")?;
        let message = client.inner.conversation_record_message(&arg(request, "request")?.inner)?;
        Ok(SynapRecordedMessage { inner: message, lent: false })
    })
}

/// Frees a recorded message from `synap_conversation_record_message()`.
/// NULL is ignored, and so is one lent by a batch (logged at
/// `SYNAP_LOG_ERROR`).
///
/// # Safety
/// `message` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_recorded_message_free(message: *mut SynapRecordedMessage) {
    free(message)
}

/// The message's id, as the service gave it. Owned by `message`.
///
/// # Safety
/// `message` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_recorded_message_id(message: *const SynapRecordedMessage) -> *const c_char {
    text(message, |x| &x.inner.message_id)
}

/// The conversation. Owned by `message`.
///
/// # Safety
/// `message` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_recorded_message_conversation_id(message: *const SynapRecordedMessage) -> *const c_char {
    text(message, |x| &x.inner.conversation_id)
}

/// The session, given or made by the service. Owned by `message`.
///
/// # Safety
/// `message` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_recorded_message_session_id(message: *const SynapRecordedMessage) -> *const c_char {
    text(message, |x| &x.inner.session_id)
}

/// When the service recorded it, Unix microseconds UTC. Returns true and writes
/// `*out` when present; false, leaving `*out` alone, when absent or a pointer
/// is NULL.
///
/// # Safety
/// `message` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_recorded_message_recorded_at_us(
    message: *const SynapRecordedMessage,
    out: *mut i64,
) -> bool {
    optional(message, out, |x| x.inner.recorded_at_us)
}

/// How many messages the conversation holds after this one. Returns true and
/// writes `*out` when present; false, leaving `*out` alone, when absent or a
/// pointer is NULL.
///
/// # Safety
/// `message` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_recorded_message_conversation_message_count(
    message: *const SynapRecordedMessage,
    out: *mut i64,
) -> bool {
    optional(message, out, |x| x.inner.conversation_message_count)
}

/// What `synap_conversation_record_messages()` came to: the counts, a
/// lent `SynapRecordedMessage` per stored message, and the refused ones.
///
/// Freed by `synap_message_batch_free()`. Immutable.
pub struct SynapMessageBatch {
    inner: MessageBatch,
    rows: Vec<SynapRecordedMessage>,
}

impl Handle for SynapMessageBatch {
    const NAME: &'static str = "SynapMessageBatch";
}

impl SynapMessageBatch {
    fn rows(&self) -> &[SynapRecordedMessage] {
        &self.rows
    }
}

/// Records several messages in one request
/// (`POST /v1/conversations/messages/batch`).
///
/// - `requests`: `count` (at least 1) messages, each with its conversation,
///   role and content set; only read.
/// - `out_batch`: receives the outcome on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_message_batch_free()`.
///
/// A message the service refuses is an error row of the batch
/// (`synap_message_batch_error_index()`), and the others are stored. Not
/// idempotent: resent only as `synap_conversation_record_message()` is.
///
/// # Safety
/// `client` is NULL or live; `requests` is NULL or points to `count`
/// pointers, each NULL or a live request; `out_batch` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_record_messages(
    client: *const SynapClient,
    requests: *const *const SynapMessageRequest,
    count: usize,
    out_batch: *mut *mut SynapMessageBatch,
) -> SynapCode {
    produce(out_batch, "out_batch", || {
        let client = arg(client, "client")?;
        let messages = array(requests, count, "requests")?
            .iter()
            .enumerate()
            .map(|(i, r)| arg(*r, &format!("requests[{i}]")).map(|r| r.inner.clone()))
            .collect::<Result<Vec<MessageRequest>, Error>>()?;
        let batch = client.inner.conversation_record_messages(&messages)?;
        let rows = batch.results.iter().map(|m| SynapRecordedMessage { inner: m.clone(), lent: true }).collect();
        Ok(SynapMessageBatch { inner: batch, rows })
    })
}

/// Frees a batch and every message it lent. NULL is ignored.
///
/// # Safety
/// `batch` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_free(batch: *mut SynapMessageBatch) {
    free(batch)
}

/// How many messages were stored: the result rows. 0 if `batch` is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_result_count(batch: *const SynapMessageBatch) -> usize {
    get(batch, 0, |b| b.rows().len())
}

/// Stored message `index`, in the order sent, lent by `batch`
/// (`synap_recorded_message_free()` refuses it); NULL past the end.
///
/// # Safety
/// `batch` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_result(
    batch: *const SynapMessageBatch,
    index: usize,
) -> *const SynapRecordedMessage {
    lend(batch, |b| b.rows().get(index))
}

/// Error row `index`'s position in the batch sent (from 0). Returns true
/// and writes `*out` when the service said; false past the end, when
/// absent, or if a pointer is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_error_index(
    batch: *const SynapMessageBatch,
    index: usize,
    out: *mut i64,
) -> bool {
    optional(batch, out, |b| b.inner.errors.get(index).and_then(|e| e.index))
}

/// Why error row `index` was refused, as the service said it; NULL past
/// the end or when absent. Owned by `batch`.
///
/// # Safety
/// `batch` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_error_message(
    batch: *const SynapMessageBatch,
    index: usize,
) -> *const c_char {
    text(batch, |b| b.inner.errors.get(index).and_then(|e| e.error.as_ref()))
}

/// How many messages the service counted. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_total(batch: *const SynapMessageBatch, out: *mut i64) -> bool {
    optional(batch, out, |x| x.inner.total)
}

/// How many it stored. Returns true and writes `*out` when present; false,
/// leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_succeeded(batch: *const SynapMessageBatch, out: *mut i64) -> bool {
    optional(batch, out, |x| x.inner.succeeded)
}

/// How many it refused. Returns true and writes `*out` when present; false,
/// leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_failed(batch: *const SynapMessageBatch, out: *mut i64) -> bool {
    optional(batch, out, |x| x.inner.failed)
}

/// How many error rows the batch has. 0 if `batch` is NULL.
///
/// # Safety
/// `batch` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_batch_error_count(batch: *const SynapMessageBatch) -> usize {
    get(batch, 0, |x| x.inner.errors.len())
}

/// A finished conversation to ingest in one go, for
/// `synap_conversation_ingest()`: its id (any text), its user, and the
/// transcript as text or as turns.
///
/// Made by `synap_transcript_request_new()`, freed by
/// `synap_transcript_request_free()`. Setters copy their strings, check
/// their value and leave the request unchanged when they refuse it.
pub struct SynapTranscriptRequest {
    inner: TranscriptRequest,
}

impl Handle for SynapTranscriptRequest {
    const NAME: &'static str = "SynapTranscriptRequest";
}

/// Makes an empty transcript request. Returns NULL only if memory runs out.
/// Free with
/// `synap_transcript_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_transcript_request_new() -> *mut SynapTranscriptRequest {
    make(|| SynapTranscriptRequest { inner: TranscriptRequest::new() })
}

/// Frees a transcript request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_free(request: *mut SynapTranscriptRequest) {
    free(request)
}

/// Sets the conversation's id as you know it (a call id, a UUID, ...). Refused
/// if empty. The service answers with the UUID it keeps for it: use that for
/// later reads.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `conversation_id` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_conversation_id(
    request: *mut SynapTranscriptRequest,
    conversation_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.conversation_id(string(conversation_id, "conversation_id")?).map(|_| ()))
}

/// Sets the end user. Refused if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_user_id(
    request: *mut SynapTranscriptRequest,
    user_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.user_id(string(user_id, "user_id")?).map(|_| ()))
}

/// Sets the customer on a B2B instance. Refused if empty, and on a B2C instance
/// when the call is made.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_customer_id(
    request: *mut SynapTranscriptRequest,
    customer_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.customer_id(string(customer_id, "customer_id")?).map(|_| ()))
}

/// Sets the whole transcript as text, which the service splits on its turn
/// grammar (`User: ...` / `Assistant: ...` lines). Replaces any turns.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `transcript` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_text(
    request: *mut SynapTranscriptRequest,
    transcript: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.transcript_text(string(transcript, "transcript")?);
        Ok(())
    })
}

/// Adds one turn: `role` `user` or `assistant`, what was said, and who spoke
/// (NULL: unknown). Replaces a transcript given as text. Its time is unknown
/// unless `synap_transcript_request_add_timed_turn()` is used.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `role`, `content` and `speaker` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_add_turn(
    request: *mut SynapTranscriptRequest,
    role: *const c_char,
    content: *const c_char,
    speaker: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner
            .add_turn(string(role, "role")?, string(content, "content")?, None, opt_string(speaker, "speaker")?)
            .map(|_| ())
    })
}

/// As `synap_transcript_request_add_turn()`, with when the turn was said, Unix
/// microseconds UTC (years 1 to 9999).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `role`, `content` and `speaker` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_add_timed_turn(
    request: *mut SynapTranscriptRequest,
    role: *const c_char,
    content: *const c_char,
    speaker: *const c_char,
    timestamp_us: i64,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner
            .add_turn(
                string(role, "role")?,
                string(content, "content")?,
                Some(timestamp_us),
                opt_string(speaker, "speaker")?,
            )
            .map(|_| ())
    })
}

/// Sets the kind of conversation (`voice`, `chat`, ...). NULL or `""` clears
/// it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `kind` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_conversation_type(
    request: *mut SynapTranscriptRequest,
    kind: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.conversation_type(opt_string(kind, "kind")?.unwrap_or_default());
        Ok(())
    })
}

/// Sets your analysis of the conversation, a JSON object given as text.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `json` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_analysis_json(
    request: *mut SynapTranscriptRequest,
    json: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.analysis_json(string(json, "json")?).map(|_| ()))
}

/// Sets free-form metadata, a JSON object given as text.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `json` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_metadata_json(
    request: *mut SynapTranscriptRequest,
    json: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.metadata_json(string(json, "json")?).map(|_| ()))
}

/// Sets when the conversation started, Unix microseconds UTC (years 1 to 9999).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_started_at_us(
    request: *mut SynapTranscriptRequest,
    unix_us: i64,
) -> SynapCode {
    configure(request, "request", |h| h.inner.started_at_us(unix_us).map(|_| ()))
}

/// Sets when it ended, Unix microseconds UTC (years 1 to 9999).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_set_ended_at_us(
    request: *mut SynapTranscriptRequest,
    unix_us: i64,
) -> SynapCode {
    configure(request, "request", |h| h.inner.ended_at_us(unix_us).map(|_| ()))
}

/// Adds (or replaces) one rung of the scope path.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `level` and `value` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_request_add_scope_level(
    request: *mut SynapTranscriptRequest,
    level: *const c_char,
    value: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.scope_level(string(level, "level")?, string(value, "value")?).map(|_| ()))
}

/// An ingested transcript: the job that turns it into memories, followed
/// with `synap_memories_status()` and the waits like a created document's.
///
/// Made by `synap_conversation_ingest()`, freed by
/// `synap_transcript_ingestion_free()`. Immutable.
pub struct SynapTranscriptIngestion {
    inner: TranscriptIngestion,
}

impl Handle for SynapTranscriptIngestion {
    const NAME: &'static str = "SynapTranscriptIngestion";
}

/// Ingests a finished conversation (`POST /v1/conversations/ingest`).
///
/// - `request`: with its conversation id, user and transcript set; only
///   read.
/// - `out_ingestion`: receives the job on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_transcript_ingestion_free()`.
///
/// The same transcript again is answered as a `duplicate` of the first
/// job; another transcript under the same conversation id is
/// `SYNAP_CONFLICT`. Not idempotent: resent only when the failure proves it
/// had no effect (repeating it yourself is safe: it is a duplicate).
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_ingestion` is NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_ingest(
    client: *const SynapClient,
    request: *const SynapTranscriptRequest,
    out_ingestion: *mut *mut SynapTranscriptIngestion,
) -> SynapCode {
    produce(out_ingestion, "out_ingestion", || {
        let client = arg(client, "client")?;
        Ok(SynapTranscriptIngestion { inner: client.inner.conversation_ingest(&arg(request, "request")?.inner)? })
    })
}

/// Frees an ingested transcript. NULL is ignored.
///
/// # Safety
/// `ingestion` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_free(ingestion: *mut SynapTranscriptIngestion) {
    free(ingestion)
}

/// The conversation's id as the service keeps it (a UUID): use it for later
/// reads. Owned by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_conversation_id(
    ingestion: *const SynapTranscriptIngestion,
) -> *const c_char {
    text(ingestion, |x| &x.inner.conversation_id)
}

/// The conversation id you gave. Owned by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_external_conversation_id(
    ingestion: *const SynapTranscriptIngestion,
) -> *const c_char {
    text(ingestion, |x| &x.inner.external_conversation_id)
}

/// The ingestion job, for `synap_memories_status()` and the waits. Owned by
/// `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_ingestion_id(
    ingestion: *const SynapTranscriptIngestion,
) -> *const c_char {
    text(ingestion, |x| &x.inner.ingestion_id)
}

/// `queued`, or `duplicate` when the same transcript was ingested before. Owned
/// by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_status(
    ingestion: *const SynapTranscriptIngestion,
) -> *const c_char {
    text(ingestion, |x| &x.inner.status)
}

/// How many turns were recorded. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `ingestion` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_turns_recorded(
    ingestion: *const SynapTranscriptIngestion,
    out: *mut i64,
) -> bool {
    optional(ingestion, out, |x| x.inner.turns_recorded)
}

/// `in_progress`, `already_compacted` or `skipped`. Owned by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_summary_status(
    ingestion: *const SynapTranscriptIngestion,
) -> *const c_char {
    text(ingestion, |x| &x.inner.summary_status)
}

/// When the job was queued, Unix microseconds UTC. Returns true and writes
/// `*out` when present; false, leaving `*out` alone, when absent or a pointer
/// is NULL.
///
/// # Safety
/// `ingestion` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_queued_at_us(
    ingestion: *const SynapTranscriptIngestion,
    out: *mut i64,
) -> bool {
    optional(ingestion, out, |x| x.inner.queued_at_us)
}

/// How many warnings the service gave. 0 if `ingestion` is NULL.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_warning_count(ingestion: *const SynapTranscriptIngestion) -> usize {
    get(ingestion, 0, |x| x.inner.warnings.len())
}

/// The warning at `index`. NULL past the end. Owned by `ingestion`.
///
/// # Safety
/// `ingestion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_transcript_ingestion_warning(
    ingestion: *const SynapTranscriptIngestion,
    index: usize,
) -> *const c_char {
    text(ingestion, |x| x.inner.warnings.get(index))
}

/// One page of a conversation's messages, oldest first.
///
/// Made by `synap_conversation_messages()`, freed by
/// `synap_message_page_free()`. Immutable.
pub struct SynapMessagePage {
    inner: Vec<ConversationMessage>,
}

impl Handle for SynapMessagePage {
    const NAME: &'static str = "SynapMessagePage";
}

/// One message of a `SynapMessagePage`, lent by it.
pub struct SynapConversationMessage {
    _opaque: [u8; 0],
}

fn message_of(message: *const SynapConversationMessage) -> *const ConversationMessage {
    message.cast()
}

/// One page of a conversation's messages, oldest first
/// (`GET /v1/conversations/{id}/messages`).
///
/// - `conversation_id`: a UUID.
/// - `start`: the position of the first message wanted (1 is the
///   conversation's first).
/// - `limit`: how many at most, 1 to 500. A page with fewer is the last:
///   read the next one from `start + limit`.
/// - `out_page`: receives the page on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_message_page_free()`.
///
/// Retried as reads are.
///
/// # Safety
/// `client` is NULL or live; `conversation_id` is NULL or NUL-terminated;
/// `out_page` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_messages(
    client: *const SynapClient,
    conversation_id: *const c_char,
    start: u32,
    limit: u32,
    out_page: *mut *mut SynapMessagePage,
) -> SynapCode {
    produce(out_page, "out_page", || {
        let client = arg(client, "client")?;
        let id = string(conversation_id, "conversation_id")?;
        Ok(SynapMessagePage { inner: client.inner.conversation_messages(id, start, limit)? })
    })
}

/// Frees a page and the messages it lent. NULL is ignored.
///
/// # Safety
/// `page` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_page_free(page: *mut SynapMessagePage) {
    free(page)
}

/// How many messages the page holds; 0 if `page` is NULL.
///
/// # Safety
/// `page` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_page_count(page: *const SynapMessagePage) -> usize {
    get(page, 0, |p| p.inner.len())
}

/// Message `index` of the page, lent by it; NULL past the end.
///
/// # Safety
/// `page` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_message_page_message(
    page: *const SynapMessagePage,
    index: usize,
) -> *const SynapConversationMessage {
    lend(page, |p| p.inner.get(index)).cast()
}

/// The message's place in the conversation, from 1. Returns true and writes
/// `*out` when present; false, leaving `*out` alone, when absent or a pointer
/// is NULL.
///
/// # Safety
/// `message` is NULL or lent by a live page; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_message_position(
    message: *const SynapConversationMessage,
    out: *mut i64,
) -> bool {
    optional(message_of(message), out, |m| m.position)
}

/// Who spoke: `user` or `assistant`. Valid as long as its page.
///
/// # Safety
/// `message` is NULL or lent by a live page.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_message_role(message: *const SynapConversationMessage) -> *const c_char {
    text(message_of(message), |m| &m.role)
}

/// What was said. Valid as long as its page.
///
/// # Safety
/// `message` is NULL or lent by a live page.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_message_content(message: *const SynapConversationMessage) -> *const c_char {
    text(message_of(message), |m| &m.content)
}

/// When, Unix microseconds UTC. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `message` is NULL or lent by a live page; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_message_timestamp_us(
    message: *const SynapConversationMessage,
    out: *mut i64,
) -> bool {
    optional(message_of(message), out, |m| m.timestamp_us)
}

/// The message's id. Valid as long as its page.
///
/// # Safety
/// `message` is NULL or lent by a live page.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_message_id(message: *const SynapConversationMessage) -> *const c_char {
    text(message_of(message), |m| &m.message_id)
}

/// How `synap_conversation_compact()` compacts: strategy, target size,
/// force.
///
/// Made by `synap_compact_options_new()`, freed by
/// `synap_compact_options_free()`. Setters check their value and leave the
/// options unchanged when they refuse it.
pub struct SynapCompactOptions {
    inner: CompactOptions,
}

impl Handle for SynapCompactOptions {
    const NAME: &'static str = "SynapCompactOptions";
}

/// Makes compact options with the defaults: the service's strategy and size, no
/// forcing. Returns NULL only if memory runs out. Free with
/// `synap_compact_options_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_compact_options_new() -> *mut SynapCompactOptions {
    make(|| SynapCompactOptions { inner: CompactOptions::new() })
}

/// Frees compact options. NULL is ignored.
///
/// # Safety
/// `options` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compact_options_free(options: *mut SynapCompactOptions) {
    free(options)
}

/// Sets the strategy: `aggressive`, `balanced`, `conservative` or `adaptive`;
/// NULL or `""` means the service's choice.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `options` is NULL or a live handle; `strategy` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compact_options_set_strategy(
    options: *mut SynapCompactOptions,
    strategy: *const c_char,
) -> SynapCode {
    configure(options, "options", |h| {
        h.inner.strategy(opt_string(strategy, "strategy")?.unwrap_or_default()).map(|_| ())
    })
}

/// Sets the size to compact to, in tokens; 0 means the service's choice.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compact_options_set_target_tokens(
    options: *mut SynapCompactOptions,
    tokens: u32,
) -> SynapCode {
    configure(options, "options", |h| {
        h.inner.target_tokens(tokens);
        Ok(())
    })
}

/// Compacts even when the service thinks it needless (default false).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// the value is refused (the handle is then unchanged).
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compact_options_set_force(options: *mut SynapCompactOptions, force: bool) -> SynapCode {
    configure(options, "options", |h| {
        h.inner.force(force);
        Ok(())
    })
}

/// A compaction the service started.
///
/// Made by `synap_conversation_compact()`, freed by
/// `synap_compaction_free()`. Immutable.
pub struct SynapCompaction {
    inner: Compaction,
}

impl Handle for SynapCompaction {
    const NAME: &'static str = "SynapCompaction";
}

/// Starts compacting a conversation (`POST /v1/conversations/compact`): a
/// job that ends with a summary and a cut-off. Follow it with
/// `synap_conversation_compaction_status()`, then read
/// `synap_conversation_compacted()`.
///
/// - `conversation_id`: a UUID.
/// - `options`: NULL for the defaults, else from `synap_compact_options_new()`.
/// - `out_compaction`: receives the compaction on `SYNAP_OK`; set to NULL
///   on entry. Free it with `synap_compaction_free()`.
///
/// One already running is `SYNAP_CONFLICT`. Not idempotent: resent only
/// when the failure proves it had no effect.
///
/// # Safety
/// `client` and `options` are NULL or live handles; `conversation_id` is
/// NULL or NUL-terminated; `out_compaction` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_compact(
    client: *const SynapClient,
    conversation_id: *const c_char,
    options: *const SynapCompactOptions,
    out_compaction: *mut *mut SynapCompaction,
) -> SynapCode {
    produce(out_compaction, "out_compaction", || {
        let client = arg(client, "client")?;
        let id = string(conversation_id, "conversation_id")?;
        let defaults = CompactOptions::new();
        let options = options.as_ref().map_or(&defaults, |o| &o.inner);
        Ok(SynapCompaction { inner: client.inner.conversation_compact(id, options)? })
    })
}

/// Frees a compaction. NULL is ignored.
///
/// # Safety
/// `compaction` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_free(compaction: *mut SynapCompaction) {
    free(compaction)
}

/// The compaction's id. Owned by `compaction`.
///
/// # Safety
/// `compaction` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_id(compaction: *const SynapCompaction) -> *const c_char {
    text(compaction, |x| &x.inner.compaction_id)
}

/// The conversation. Owned by `compaction`.
///
/// # Safety
/// `compaction` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_conversation_id(compaction: *const SynapCompaction) -> *const c_char {
    text(compaction, |x| &x.inner.conversation_id)
}

/// Its status, e.g. `in_progress`. Owned by `compaction`.
///
/// # Safety
/// `compaction` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status(compaction: *const SynapCompaction) -> *const c_char {
    text(compaction, |x| &x.inner.status)
}

/// What started it, e.g. `manual_api`. Owned by `compaction`.
///
/// # Safety
/// `compaction` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_trigger_type(compaction: *const SynapCompaction) -> *const c_char {
    text(compaction, |x| &x.inner.trigger_type)
}

/// When it started, Unix microseconds UTC. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compaction` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_initiated_at_us(compaction: *const SynapCompaction, out: *mut i64) -> bool {
    optional(compaction, out, |x| x.inner.initiated_at_us)
}

/// How long it should take, in seconds. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compaction` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_estimated_completion_seconds(
    compaction: *const SynapCompaction,
    out: *mut i64,
) -> bool {
    optional(compaction, out, |x| x.inner.estimated_completion_seconds)
}

/// The compaction it replaces. Owned by `compaction`.
///
/// # Safety
/// `compaction` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_previous_id(compaction: *const SynapCompaction) -> *const c_char {
    text(compaction, |x| &x.inner.previous_compaction_id)
}

/// How `synap_conversation_compacted()` reads: the format and the version.
///
/// Made by `synap_compacted_options_new()`, freed by
/// `synap_compacted_options_free()`. Setters check their value and leave
/// the options unchanged when they refuse it.
pub struct SynapCompactedOptions {
    format: &'static str,
    version: Option<u32>,
}

impl Handle for SynapCompactedOptions {
    const NAME: &'static str = "SynapCompactedOptions";
}

/// Makes compacted options with the defaults: format `structured`, the
/// latest version. Returns NULL only if memory runs out. Free with
/// `synap_compacted_options_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_compacted_options_new() -> *mut SynapCompactedOptions {
    make(|| SynapCompactedOptions { format: crate::COMPACTED_FORMATS[0], version: None })
}

/// Frees compacted options. NULL is ignored.
///
/// # Safety
/// `options` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_options_free(options: *mut SynapCompactedOptions) {
    free(options)
}

/// Sets the format: `structured` (default), `narrative` or `injection`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// the format is not one of those.
///
/// # Safety
/// `options` is NULL or a live handle; `format` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_options_set_format(
    options: *mut SynapCompactedOptions,
    format: *const c_char,
) -> SynapCode {
    configure(options, "options", |o| {
        let format = string(format, "format")?;
        o.format = crate::COMPACTED_FORMATS.iter().find(|f| **f == format).copied().ok_or_else(|| {
            Error::invalid_argument(format!(
                "format \"{}\" is not one of {}",
                crate::error::one_line(format, 64),
                crate::COMPACTED_FORMATS.join(", ")
            ))
        })?;
        Ok(())
    })
}

/// Sets the version to read; 0 (the default) means the latest.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
///
/// # Safety
/// `options` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_options_set_version(
    options: *mut SynapCompactedOptions,
    version: u32,
) -> SynapCode {
    configure(options, "options", |o| {
        o.version = (version > 0).then_some(version);
        Ok(())
    })
}

/// A conversation's compacted state.
///
/// Made by `synap_conversation_compacted()`, freed by
/// `synap_compacted_free()`. Immutable.
pub struct SynapCompacted {
    inner: Compacted,
}

impl Handle for SynapCompacted {
    const NAME: &'static str = "SynapCompacted";
}

/// A conversation's compacted state (`GET /v1/conversations/{id}/compacted`).
///
/// - `conversation_id`: a UUID.
/// - `options`: NULL for the defaults, else from
///   `synap_compacted_options_new()`.
/// - `out_compacted`: set to NULL on entry; on `SYNAP_OK` it receives the
///   compacted state, or stays NULL when the conversation has not been
///   compacted yet (the service's 404, which is "none yet", not an error).
///   Free it with `synap_compacted_free()`.
///
/// Retried as reads are.
///
/// # Safety
/// `client` and `options` are NULL or live handles; `conversation_id` is
/// NULL or NUL-terminated; `out_compacted` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_compacted(
    client: *const SynapClient,
    conversation_id: *const c_char,
    options: *const SynapCompactedOptions,
    out_compacted: *mut *mut SynapCompacted,
) -> SynapCode {
    entry(|| {
        let slot = out_slot(out_compacted, "out_compacted")?;
        let client = arg(client, "client")?;
        let id = string(conversation_id, "conversation_id")?;
        let (format, version) = options.as_ref().map_or((crate::COMPACTED_FORMATS[0], None), |o| (o.format, o.version));
        if let Some(compacted) = client.inner.conversation_compacted(id, format, version)? {
            *slot = Box::into_raw(Box::new(SynapCompacted { inner: compacted }));
        }
        Ok(())
    })
}

/// Frees a compacted state. NULL is ignored.
///
/// # Safety
/// `compacted` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_free(compacted: *mut SynapCompacted) {
    free(compacted)
}

/// The compaction's id. Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_id(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.compaction_id)
}

/// The compacted history, in the format asked for. Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_formatted_context(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.formatted_context)
}

/// Tokens before compaction. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compacted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_original_token_count(compacted: *const SynapCompacted, out: *mut i64) -> bool {
    optional(compacted, out, |x| x.inner.original_token_count)
}

/// Tokens after. Returns true and writes `*out` when present; false, leaving
/// `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compacted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_compacted_token_count(
    compacted: *const SynapCompacted,
    out: *mut i64,
) -> bool {
    optional(compacted, out, |x| x.inner.compacted_token_count)
}

/// How much it shrank the history. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compacted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_compression_ratio(compacted: *const SynapCompacted, out: *mut f64) -> bool {
    optional(compacted, out, |x| x.inner.compression_ratio)
}

/// The strategy applied (`balanced`, `adaptive`, ...). Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_strategy_used(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.strategy_used)
}

/// The compaction's validation score. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compacted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_validation_score(compacted: *const SynapCompacted, out: *mut f64) -> bool {
    optional(compacted, out, |x| x.inner.validation_score)
}

/// Whether it passed validation. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compacted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_validation_passed(compacted: *const SynapCompacted, out: *mut bool) -> bool {
    optional(compacted, out, |x| x.inner.validation_passed)
}

/// Whether the service doubts its quality. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compacted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_quality_warning(compacted: *const SynapCompacted, out: *mut bool) -> bool {
    optional(compacted, out, |x| x.inner.quality_warning)
}

/// `facts` as JSON text. Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_facts_json(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.facts_json)
}

/// `decisions` as JSON text. Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_decisions_json(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.decisions_json)
}

/// `preferences` as JSON text. Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_preferences_json(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.preferences_json)
}

/// `current_state` as JSON text. Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_current_state_json(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.current_state_json)
}

/// How long it may be cached, in seconds. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `compacted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_ttl_seconds(compacted: *const SynapCompacted, out: *mut i64) -> bool {
    optional(compacted, out, |x| x.inner.ttl_seconds)
}

/// The response body as JSON text. Owned by `compacted`.
///
/// # Safety
/// `compacted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compacted_raw_json(compacted: *const SynapCompacted) -> *const c_char {
    text(compacted, |x| &x.inner.raw_json)
}

/// Where a conversation's compaction stands.
///
/// Made by `synap_conversation_compaction_status()`, freed by
/// `synap_compaction_status_free()`. Immutable.
pub struct SynapCompactionStatus {
    inner: CompactionStatus,
}

impl Handle for SynapCompactionStatus {
    const NAME: &'static str = "SynapCompactionStatus";
}

/// Where a conversation's compaction stands
/// (`GET /v1/conversations/{id}/compaction/status`).
///
/// - `conversation_id`: a UUID.
/// - `out_status`: receives the status on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_compaction_status_free()`.
///
/// Retried as reads are.
///
/// # Safety
/// `client` is NULL or live; `conversation_id` is NULL or NUL-terminated;
/// `out_status` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_compaction_status(
    client: *const SynapClient,
    conversation_id: *const c_char,
    out_status: *mut *mut SynapCompactionStatus,
) -> SynapCode {
    produce(out_status, "out_status", || {
        let client = arg(client, "client")?;
        let id = string(conversation_id, "conversation_id")?;
        Ok(SynapCompactionStatus { inner: client.inner.conversation_compaction_status(id)? })
    })
}

/// Frees a compaction status. NULL is ignored.
///
/// # Safety
/// `status` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_free(status: *mut SynapCompactionStatus) {
    free(status)
}

/// The conversation. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_conversation_id(
    status: *const SynapCompactionStatus,
) -> *const c_char {
    text(status, |x| &x.inner.conversation_id)
}

/// The status as the service sent it (`completed`, `in_progress`, ...). Owned
/// by `status`.
///
/// # Safety
/// `status` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_state(status: *const SynapCompactionStatus) -> *const c_char {
    text(status, |x| &x.inner.status)
}

/// The latest compaction's id. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_compaction_id(status: *const SynapCompactionStatus) -> *const c_char {
    text(status, |x| &x.inner.compaction_id)
}

/// When it completed, Unix microseconds UTC. Returns true and writes `*out`
/// when present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_completed_at_us(
    status: *const SynapCompactionStatus,
    out: *mut i64,
) -> bool {
    optional(status, out, |x| x.inner.completed_at_us)
}

/// How much it shrank the history. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_compression_ratio(
    status: *const SynapCompactionStatus,
    out: *mut f64,
) -> bool {
    optional(status, out, |x| x.inner.compression_ratio)
}

/// Its validation score. Returns true and writes `*out` when present; false,
/// leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_validation_score(
    status: *const SynapCompactionStatus,
    out: *mut f64,
) -> bool {
    optional(status, out, |x| x.inner.validation_score)
}

/// How long a running one should still take, in seconds. Returns true and
/// writes `*out` when present; false, leaving `*out` alone, when absent or a
/// pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_estimated_completion_seconds(
    status: *const SynapCompactionStatus,
    out: *mut i64,
) -> bool {
    optional(status, out, |x| x.inner.estimated_completion_seconds)
}

/// The latest version. Returns true and writes `*out` when present; false,
/// leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `status` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_latest_version(
    status: *const SynapCompactionStatus,
    out: *mut i64,
) -> bool {
    optional(status, out, |x| x.inner.latest_version)
}

/// What went wrong, for a failed one. Owned by `status`.
///
/// # Safety
/// `status` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_compaction_status_error_message(status: *const SynapCompactionStatus) -> *const c_char {
    text(status, |x| &x.inner.error_message)
}
