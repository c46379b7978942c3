//! The memory lifecycle from C: update one memory (`SynapUpdateRequest`),
//! delete one, forget memories by description (`SynapForgetRequest`), and
//! upload a file, a buffer or text as a document (`SynapUploadRequest`).
//!
//! Update, forget and upload change what the service holds and carry no
//! idempotency key: each is resent only when the failure proves it had no
//! effect (a refused connection, HTTP 429, HTTP 503), never after a
//! timeout, a dropped connection or another 5xx. Deleting one memory is
//! idempotent and retried as reads are.

use std::ffi::{CStr, OsStr, c_char};
use std::os::unix::ffi::OsStrExt;

use super::client::SynapClient;
use super::create::SynapIngestion;
use super::cstr::{arg, array, string};
use super::error::SynapCode;
use super::guard::{Handle, configure, free, get, make, optional, produce, text};
use super::memory::SynapMemory;
use crate::error::Error;
use crate::{DeletedMemory, ForgetOutcome, ForgetRequest, Forgotten, UpdateRequest, UploadRequest};

/// The new document of one memory and how to merge it, for
/// `synap_memories_update()`.
///
/// Made by `synap_update_request_new()`, freed by
/// `synap_update_request_free()`. Set the document with
/// `synap_update_request_set_document_text()` or `_json()`; the merge strategy
/// is `smart-merge` unless set. Setters copy their strings, check their value
/// and leave the request unchanged when they refuse it. Use from one thread at
/// a time; a call only reads it.
pub struct SynapUpdateRequest {
    inner: UpdateRequest,
}

impl Handle for SynapUpdateRequest {
    const NAME: &'static str = "SynapUpdateRequest";
}

/// Makes an empty update request. Its merge strategy is `smart-merge`. Returns
/// NULL only if memory runs out. Free with `synap_update_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_update_request_new() -> *mut SynapUpdateRequest {
    make(|| SynapUpdateRequest { inner: UpdateRequest::new() })
}

/// Frees a update request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_update_request_free(request: *mut SynapUpdateRequest) {
    free(request)
}

/// Sets the new document to text (copied).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `text` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_update_request_set_document_text(
    request: *mut SynapUpdateRequest,
    text: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.document_text(string(text, "text")?);
        Ok(())
    })
}

/// Sets the new document to a structured one: `json` must be a JSON object.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `json` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_update_request_set_document_json(
    request: *mut SynapUpdateRequest,
    json: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.document_json(string(json, "json")?).map(|_| ()))
}

/// Sets how the new document combines with the memory: `replace`, `append` or
/// `smart-merge` (the default).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `strategy` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_update_request_set_merge_strategy(
    request: *mut SynapUpdateRequest,
    strategy: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.merge_strategy(string(strategy, "strategy")?).map(|_| ()))
}

/// Sets the document type: `ai-chat-conversation`, `document`, `email`, `pdf`,
/// `image`, `audio` or `meeting-transcript`. Sent only when set.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `document_type` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_update_request_set_document_type(
    request: *mut SynapUpdateRequest,
    document_type: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.document_type(string(document_type, "document_type")?).map(|_| ()))
}

/// Sets metadata, a JSON object given as text. Sent only when set (`{}`
/// included).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `json` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_update_request_set_metadata_json(
    request: *mut SynapUpdateRequest,
    json: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.metadata_json(string(json, "json")?).map(|_| ()))
}

/// Updates one memory (`PATCH /api/v1/memories/{memory_id}`) and returns it as
/// the service now holds it.
///
/// - `memory_id`: a UUID in any case, with or without hyphens; checked before
///   any request.
/// - `request`: from `synap_update_request_new()` with its document set; only
///   read.
/// - `out_memory`: receives the memory on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_memory_free()`.
///
/// Not idempotent (an `append` sent twice appends twice): resent only when the
/// failure proves it had no effect. Returns `SYNAP_OK`;
/// `SYNAP_INVALID_ARGUMENT` (NULL, a malformed id, no document);
/// `SYNAP_NOT_FOUND` (no such memory, or deleted); `SYNAP_INVALID_REQUEST`; or
/// the transport codes.
///
/// # Safety
/// `client` and `request` are NULL or live handles; `memory_id` is NULL or
/// NUL-terminated; `out_memory` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_update(
    client: *const SynapClient,
    memory_id: *const c_char,
    request: *const SynapUpdateRequest,
    out_memory: *mut *mut SynapMemory,
) -> SynapCode {
    produce(out_memory, "out_memory", || {
        let client = arg(client, "client")?;
        let id = string(memory_id, "memory_id")?;
        SynapMemory::new(client.inner.memories_update(id, &arg(request, "request")?.inner)?)
    })
}

/// A memory deleted by `synap_memories_delete()`.
///
/// Freed by `synap_deleted_memory_free()`. Immutable.
pub struct SynapDeletedMemory {
    inner: DeletedMemory,
}

impl Handle for SynapDeletedMemory {
    const NAME: &'static str = "SynapDeletedMemory";
}

/// Deletes one memory (`DELETE /api/v1/memories/{memory_id}`). Afterwards
/// `synap_memories_get()` and context fetches no longer return it.
///
/// - `memory_id`: a UUID in any case, with or without hyphens; checked before
///   any request.
/// - `out_deleted`: receives what the service deleted on `SYNAP_OK`; set to
///   NULL on entry. Free it with `synap_deleted_memory_free()`.
///
/// Idempotent: retried as reads are. An empty `204 No Content` answer counts
/// as the deletion of the memory asked for, with no time. Returns `SYNAP_OK`;
/// `SYNAP_INVALID_ARGUMENT`; `SYNAP_NOT_FOUND` (no such memory, or already
/// deleted); `SYNAP_PROTOCOL` (a 200 answer that does not name the memory); or
/// the transport codes.
///
/// # Safety
/// `client` is NULL or a live handle; `memory_id` is NULL or NUL-terminated;
/// `out_deleted` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_delete(
    client: *const SynapClient,
    memory_id: *const c_char,
    out_deleted: *mut *mut SynapDeletedMemory,
) -> SynapCode {
    produce(out_deleted, "out_deleted", || {
        let client = arg(client, "client")?;
        Ok(SynapDeletedMemory { inner: client.inner.memories_delete(string(memory_id, "memory_id")?)? })
    })
}

/// Frees a deleted-memory answer. NULL is ignored.
///
/// # Safety
/// `deleted` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_deleted_memory_free(deleted: *mut SynapDeletedMemory) {
    free(deleted)
}

/// The deleted memory's id, as the service gave it. NULL when absent. Owned by
/// `deleted`.
///
/// # Safety
/// `deleted` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_deleted_memory_id(deleted: *const SynapDeletedMemory) -> *const c_char {
    text(deleted, |x| &x.inner.memory_id)
}

/// When it was deleted, Unix microseconds UTC. Returns true and writes `*out`
/// when present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `deleted` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_deleted_memory_deleted_at_us(deleted: *const SynapDeletedMemory, out: *mut i64) -> bool {
    optional(deleted, out, |x| x.inner.deleted_at_us)
}

/// A request to forget one user's memories that match a description, for
/// `synap_memories_forget()`.
///
/// Made by `synap_forget_request_new()`, freed by
/// `synap_forget_request_free()`. Set its description and user; the mode is
/// `preview` unless set. Setters copy their strings, check their value and
/// leave the request unchanged when they refuse it. Use from one thread at a
/// time; a call only reads it.
pub struct SynapForgetRequest {
    inner: ForgetRequest,
}

impl Handle for SynapForgetRequest {
    const NAME: &'static str = "SynapForgetRequest";
}

/// Makes an empty forget request. Its mode is `preview`. Returns NULL only if
/// memory runs out. Free with `synap_forget_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_forget_request_new() -> *mut SynapForgetRequest {
    make(|| SynapForgetRequest { inner: ForgetRequest::new() })
}

/// Frees a forget request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_request_free(request: *mut SynapForgetRequest) {
    free(request)
}

/// Sets what to forget, in words: 3 to 500 characters (required).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `description` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_request_set_description(
    request: *mut SynapForgetRequest,
    description: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.description(string(description, "description")?).map(|_| ()))
}

/// Sets the user whose memories are searched (required). Refused if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_request_set_user_id(
    request: *mut SynapForgetRequest,
    user_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.user_id(string(user_id, "user_id")?).map(|_| ()))
}

/// Sets the customer, required with the user on a B2B instance. Refused if
/// empty; a call naming one on an instance `synap_client_whoami()` reported as
/// B2C fails with `SYNAP_INVALID_ARGUMENT` before any request.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_request_set_customer_id(
    request: *mut SynapForgetRequest,
    customer_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.customer_id(string(customer_id, "customer_id")?).map(|_| ()))
}

/// Adds (or replaces) one level of the scope path, e.g. `team` = `payments`,
/// for accounts with levels between customer and user. The level must not be
/// empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `level` and `value` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_request_add_scope_level(
    request: *mut SynapForgetRequest,
    level: *const c_char,
    value: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.scope_level(string(level, "level")?, string(value, "value")?).map(|_| ()))
}

/// Sets the mode: `preview` (the default: the matches are filed for a person to
/// approve and nothing is deleted) or `direct` (the matches are deleted at
/// once).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_request_set_mode(
    request: *mut SynapForgetRequest,
    mode: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.mode(string(mode, "mode")?).map(|_| ()))
}

/// What a forget request came to, from `synap_forget_result_outcome()`.
/// Read `SYNAP_FORGET_UNKNOWN` as "not done".
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapForgetOutcome {
    /// A status this version does not know.
    SYNAP_FORGET_UNKNOWN = 0,
    /// No memory of the user matched; nothing changed.
    SYNAP_FORGET_NOTHING_MATCHES = 1,
    /// The matches were filed for approval; nothing was deleted.
    SYNAP_FORGET_PREVIEW = 2,
    /// Every match was deleted.
    SYNAP_FORGET_DELETED = 3,
    /// The matches are hidden, but the stores that
    /// `synap_forget_result_still_present_in()` names may still hold their
    /// text.
    SYNAP_FORGET_PARTIAL = 4,
}

/// The answer to `synap_memories_forget()`: its outcome, the memories matched
/// and those deleted.
///
/// Freed by `synap_forget_result_free()`. Immutable; strings it returns live as
/// long as it does.
pub struct SynapForgetResult {
    inner: Forgotten,
}

impl Handle for SynapForgetResult {
    const NAME: &'static str = "SynapForgetResult";
}

/// Forgets one user's memories that match a description (`POST
/// /api/v1/memories/forget`).
///
/// - `request`: from `synap_forget_request_new()` with its description and user
///   set; only read.
/// - `out_result`: receives the answer on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_forget_result_free()`.
///
/// Read `synap_forget_result_outcome()`: `SYNAP_FORGET_PARTIAL` is not
/// `SYNAP_FORGET_DELETED`. Not idempotent: resent only when the failure proves
/// it had no effect (HTTP 503 means the matcher was unavailable and nothing was
/// deleted). Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
/// `SYNAP_INVALID_REQUEST` (e.g. not scoped to one user); `SYNAP_PROTOCOL` (an
/// answer without a status); or the transport codes.
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_result` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_forget(
    client: *const SynapClient,
    request: *const SynapForgetRequest,
    out_result: *mut *mut SynapForgetResult,
) -> SynapCode {
    produce(out_result, "out_result", || {
        let client = arg(client, "client")?;
        Ok(SynapForgetResult { inner: client.inner.memories_forget(&arg(request, "request")?.inner)? })
    })
}

/// Frees a forget answer. NULL is ignored.
///
/// # Safety
/// `result` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_free(result: *mut SynapForgetResult) {
    free(result)
}

/// The outcome the answer's status names; `SYNAP_FORGET_UNKNOWN` for a status
/// this version does not know, or if `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_outcome(result: *const SynapForgetResult) -> SynapForgetOutcome {
    get(result, SynapForgetOutcome::SYNAP_FORGET_UNKNOWN, |x| match x.inner.outcome() {
        ForgetOutcome::NothingMatches => SynapForgetOutcome::SYNAP_FORGET_NOTHING_MATCHES,
        ForgetOutcome::Preview => SynapForgetOutcome::SYNAP_FORGET_PREVIEW,
        ForgetOutcome::Deleted => SynapForgetOutcome::SYNAP_FORGET_DELETED,
        ForgetOutcome::Partial => SynapForgetOutcome::SYNAP_FORGET_PARTIAL,
        _ => SynapForgetOutcome::SYNAP_FORGET_UNKNOWN,
    })
}

/// The status as the service sent it. NULL when absent. Owned by `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_status(result: *const SynapForgetResult) -> *const c_char {
    text(result, |x| &x.inner.status)
}

/// The request filed for approval (preview mode). NULL when absent. Owned by
/// `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_request_id(result: *const SynapForgetResult) -> *const c_char {
    text(result, |x| &x.inner.request_id)
}

/// How many memories matched. 0 if `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_candidate_count(result: *const SynapForgetResult) -> usize {
    get(result, 0, |x| x.inner.candidates.len())
}

/// Matched memory `index`'s id. NULL past the end or when absent. Owned by
/// `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_candidate_memory_id(
    result: *const SynapForgetResult,
    index: usize,
) -> *const c_char {
    text(result, |x| x.inner.candidates.get(index).and_then(|c| c.memory_id.as_ref()))
}

/// Matched memory `index`'s text. NULL past the end or when absent. Owned by
/// `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_candidate_content(
    result: *const SynapForgetResult,
    index: usize,
) -> *const c_char {
    text(result, |x| x.inner.candidates.get(index).and_then(|c| c.content.as_ref()))
}

/// Matched memory `index`'s type (`fact`, `preference`, ...). NULL past the end
/// or when absent. Owned by `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_candidate_memory_type(
    result: *const SynapForgetResult,
    index: usize,
) -> *const c_char {
    text(result, |x| x.inner.candidates.get(index).and_then(|c| c.memory_type.as_ref()))
}

/// Where matched memory `index` lives: `memory`, `chunk`, `sentence`, `entity`,
/// `triple`, `profile` or `candidate`. NULL past the end or when absent. Owned
/// by `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_candidate_store(
    result: *const SynapForgetResult,
    index: usize,
) -> *const c_char {
    text(result, |x| x.inner.candidates.get(index).and_then(|c| c.store.as_ref()))
}

/// How many memories were deleted. 0 if `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_deleted_count(result: *const SynapForgetResult) -> usize {
    get(result, 0, |x| x.inner.deleted_ids.len())
}

/// Deleted memory `index`'s id. NULL past the end or when absent. Owned by
/// `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_deleted_id(
    result: *const SynapForgetResult,
    index: usize,
) -> *const c_char {
    text(result, |x| x.inner.deleted_ids.get(index))
}

/// How many matched memories could not be deleted. 0 if `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_failed_count(result: *const SynapForgetResult) -> usize {
    get(result, 0, |x| x.inner.failed_ids.len())
}

/// Undeleted memory `index`'s id. NULL past the end or when absent. Owned by
/// `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_failed_id(
    result: *const SynapForgetResult,
    index: usize,
) -> *const c_char {
    text(result, |x| x.inner.failed_ids.get(index))
}

/// How many stores may still hold the text. 0 if `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_still_present_count(result: *const SynapForgetResult) -> usize {
    get(result, 0, |x| x.inner.still_present_in.len())
}

/// Store `index` that may still hold the text. NULL past the end or when
/// absent. Owned by `result`.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_still_present_in(
    result: *const SynapForgetResult,
    index: usize,
) -> *const c_char {
    text(result, |x| x.inner.still_present_in.get(index))
}

/// Whether the service says the matcher may have missed some memories. False if
/// `result` is NULL.
///
/// # Safety
/// `result` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_forget_result_may_be_incomplete(result: *const SynapForgetResult) -> bool {
    get(result, false, |x| x.inner.may_be_incomplete == Some(true))
}

/// One upload for `synap_memories_upload()`: a file, a buffer or text, for one
/// user, ingested as a document.
///
/// Made by `synap_upload_request_new()`, freed by
/// `synap_upload_request_free()`. Set its user and one source:
/// `synap_upload_request_set_file()`, `_set_bytes()` or `_set_text()` (each
/// replaces the source set before). Setters copy what they are given, check
/// their value and leave the request unchanged when they refuse it. Use from
/// one thread at a time; a call only reads it.
pub struct SynapUploadRequest {
    inner: UploadRequest,
}

impl Handle for SynapUploadRequest {
    const NAME: &'static str = "SynapUploadRequest";
}

/// Makes an empty upload request. Returns NULL only if memory runs out. Free
/// with `synap_upload_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_upload_request_new() -> *mut SynapUploadRequest {
    make(|| SynapUploadRequest { inner: UploadRequest::new() })
}

/// Frees a upload request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_free(request: *mut SynapUploadRequest) {
    free(request)
}

/// Sets the user the document belongs to (required). Refused if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_user_id(
    request: *mut SynapUploadRequest,
    user_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.user_id(string(user_id, "user_id")?).map(|_| ()))
}

/// Sets the customer on a B2B instance. Refused if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_customer_id(
    request: *mut SynapUploadRequest,
    customer_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.customer_id(string(customer_id, "customer_id")?).map(|_| ()))
}

/// Sets `b2c` or `b2b`. Unless set, `b2b` when a customer id is set and `b2c`
/// otherwise.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `relationship_type` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_relationship_type(
    request: *mut SynapUploadRequest,
    relationship_type: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.relationship_type(string(relationship_type, "relationship_type")?).map(|_| ())
    })
}

/// Sets the ingestion mode, `fast` or `long-range` (the default).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_mode(
    request: *mut SynapUploadRequest,
    mode: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.mode(string(mode, "mode")?).map(|_| ()))
}

/// Sets the document type: `ai-chat-conversation`, `document`, `email`, `pdf`,
/// `image`, `audio` or `meeting-transcript`. Sent only when set.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `document_type` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_document_type(
    request: *mut SynapUploadRequest,
    document_type: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.document_type(string(document_type, "document_type")?).map(|_| ()))
}

/// Sets metadata, a JSON object given as text; sent only when not empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `json` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_metadata_json(
    request: *mut SynapUploadRequest,
    json: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.metadata_json(string(json, "json")?).map(|_| ()))
}

/// Adds (or replaces) one level of the scope path, e.g. `team` = `payments`,
/// for accounts with levels between customer and user. The level must not be
/// empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `level` and `value` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_add_scope_level(
    request: *mut SynapUploadRequest,
    level: *const c_char,
    value: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.scope_level(string(level, "level")?, string(value, "value")?).map(|_| ()))
}

/// Sets the source to the file at `path`: bytes as the operating system takes
/// them (they need not be UTF-8). The file is opened when the upload is sent
/// and streamed as the request goes out, never read whole into memory.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `path` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_file(
    request: *mut SynapUploadRequest,
    path: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        if path.is_null() {
            return Err(Error::invalid_argument("path is NULL"));
        }
        let bytes = CStr::from_ptr(path).to_bytes();
        h.inner.file(OsStr::from_bytes(bytes)).map(|_| ())
    })
}

/// Sets the source to `len` bytes at `data` (copied), sent as a file named by
/// `synap_upload_request_set_filename()` (`upload` unless set). `data` may be
/// NULL when `len` is 0.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `data` is NULL or points to `len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_bytes(
    request: *mut SynapUploadRequest,
    data: *const u8,
    len: usize,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.bytes(array(data, len, "data")?);
        Ok(())
    })
}

/// Sets the source to text (copied), sent with no file part.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `text` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_text(
    request: *mut SynapUploadRequest,
    text: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.text(string(text, "text")?);
        Ok(())
    })
}

/// Sets the file name the service is told. Unless set: the file's own name
/// (bytes that are not UTF-8 shown as U+FFFD), or `upload` for a buffer.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `filename` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_filename(
    request: *mut SynapUploadRequest,
    filename: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.filename(string(filename, "filename")?).map(|_| ()))
}

/// Sets the file's content type. Unless set, it is guessed from the file name
/// (`notes.pdf` is `application/pdf`), else `application/octet-stream`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `content_type` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_upload_request_set_content_type(
    request: *mut SynapUploadRequest,
    content_type: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.content_type(string(content_type, "content_type")?).map(|_| ()))
}

/// Uploads a file, a buffer or text as one document (`POST
/// /api/v1/memories/upload`) and returns its ingestion job, to follow with
/// `synap_memories_status()` or `synap_memories_wait()`.
///
/// - `request`: from `synap_upload_request_new()` with its user and a source
///   set; only read.
/// - `out_ingestion`: receives the job on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_ingestion_free()`.
///
/// A file or buffer goes as `multipart/form-data`, text alone as
/// `application/x-www-form-urlencoded`. A file is streamed: the whole request
/// must fit in the client's request timeout (raise it for large files). A file
/// that cannot be opened, is not a regular file, or shrinks, grows or fails to
/// read while it is sent ends the call with `SYNAP_FILE` before the body is
/// complete, so the service never receives a partial file as a whole one.
///
/// Not idempotent: resent only when the failure proves it had no effect, the
/// file then read again from its start. Returns `SYNAP_OK`;
/// `SYNAP_INVALID_ARGUMENT`; `SYNAP_FILE`; `SYNAP_INVALID_REQUEST` (HTTP 413
/// included: too large); `SYNAP_INSUFFICIENT_CREDITS`; or the transport codes.
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_ingestion` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_upload(
    client: *const SynapClient,
    request: *const SynapUploadRequest,
    out_ingestion: *mut *mut SynapIngestion,
) -> SynapCode {
    produce(out_ingestion, "out_ingestion", || {
        let client = arg(client, "client")?;
        SynapIngestion::new(client.inner.memories_upload(&arg(request, "request")?.inner)?, false)
    })
}
