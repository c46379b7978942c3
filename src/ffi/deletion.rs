//! Permanent data deletion from C: delete one user's, conversation's or
//! customer's data (`SynapDataDeleteRequest`), read a deletion's audit
//! record, and wait for a deletion to end with the ingestion wait's options.
//!
//! The deletion request is idempotent and retried as reads are. A caller
//! reads `synap_data_deletion_state()`: `SYNAP_DELETION_PARTIAL` is never
//! reported as `SYNAP_DELETION_COMPLETE`.

use std::ffi::{c_char, c_int};

use super::client::SynapClient;
use super::cstr::{arg, string};
use super::error::SynapCode;
use super::guard::{Handle, configure, free, get, optional, produce, text};
use super::wait::SynapWaitOptions;
use crate::error::Error;
use crate::{DataDeleteRequest, DataDeletion, DeleteScope, DeletionState, WaitCounts};

/// What a data deletion removes. Functions take it as an `int`, so that
/// any value is safe to pass; other values are refused.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapDeleteScope {
    /// One user: memories, conversations, profile.
    SYNAP_DELETE_USER = 0,
    /// One conversation: its turns, summaries and buffer; the memories made
    /// from it are kept.
    SYNAP_DELETE_CONVERSATION = 1,
    /// One customer and all its users (needs a management key).
    SYNAP_DELETE_CUSTOMER = 2,
}

/// Where a data deletion stands, from `synap_data_deletion_state()`.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapDeletionState {
    /// No status, or one this version does not know: read it as not done.
    SYNAP_DELETION_UNKNOWN = 0,
    /// Still running: wait with `synap_data_deletion_wait()`.
    SYNAP_DELETION_IN_PROGRESS = 1,
    /// Done. `synap_data_deletion_fully_removed()` says whether the
    /// service vouches that no store holds anything of the target.
    SYNAP_DELETION_COMPLETE = 2,
    /// Ended, but the stores `synap_data_deletion_still_present_in()` names
    /// still hold data of the target.
    SYNAP_DELETION_PARTIAL = 3,
    /// A dry run: nothing was deleted; the counts say what would be.
    SYNAP_DELETION_DRY_RUN = 4,
}

fn deletion_state(d: &DataDeletion) -> SynapDeletionState {
    match d.state() {
        DeletionState::InProgress => SynapDeletionState::SYNAP_DELETION_IN_PROGRESS,
        DeletionState::Complete => SynapDeletionState::SYNAP_DELETION_COMPLETE,
        DeletionState::Partial => SynapDeletionState::SYNAP_DELETION_PARTIAL,
        DeletionState::DryRun => SynapDeletionState::SYNAP_DELETION_DRY_RUN,
        _ => SynapDeletionState::SYNAP_DELETION_UNKNOWN,
    }
}

/// How a wait's progress report counts a deletion: one job, finished when
/// complete, partial or a dry run.
pub(crate) fn deletion_counts(d: &DataDeletion) -> WaitCounts {
    let mut counts = WaitCounts::default();
    match d.state() {
        DeletionState::Complete | DeletionState::DryRun => counts.completed = 1,
        DeletionState::Partial => counts.partial_success = 1,
        _ => counts.processing = 1,
    }
    counts
}

/// A permanent deletion of one user's, conversation's or customer's data, for
/// `synap_data_delete()`.
///
/// Made by `synap_data_delete_request_new()` with its scope and the scope's own
/// id, freed by `synap_data_delete_request_free()`. Unless it is a dry run, it
/// must be confirmed with `synap_data_delete_request_set_confirm()`, repeating
/// that id: the service requires this second, deliberate naming of what goes.
/// Setters copy their strings, check their value and leave the request
/// unchanged when they refuse it. Use from one thread at a time; a call only
/// reads it.
pub struct SynapDataDeleteRequest {
    inner: DataDeleteRequest,
}

impl Handle for SynapDataDeleteRequest {
    const NAME: &'static str = "SynapDataDeleteRequest";
}

/// Makes a deletion request of `scope` (a `SynapDeleteScope` value) whose own
/// id is `id`: the user id, the conversation id or the customer id.
///
/// - `out_request`: receives the request on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_data_delete_request_free()`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` for an unknown scope, a NULL
/// or empty id, or a NULL `out_request`.
///
/// # Safety
/// `id` is NULL or NUL-terminated; `out_request` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_delete_request_new(
    scope: c_int,
    id: *const c_char,
    out_request: *mut *mut SynapDataDeleteRequest,
) -> SynapCode {
    produce(out_request, "out_request", || {
        const USER: c_int = SynapDeleteScope::SYNAP_DELETE_USER as c_int;
        const CONVERSATION: c_int = SynapDeleteScope::SYNAP_DELETE_CONVERSATION as c_int;
        const CUSTOMER: c_int = SynapDeleteScope::SYNAP_DELETE_CUSTOMER as c_int;
        let scope = match scope {
            USER => DeleteScope::User,
            CONVERSATION => DeleteScope::Conversation,
            CUSTOMER => DeleteScope::Customer,
            other => return Err(Error::invalid_argument(format!("scope {other} is not a SynapDeleteScope"))),
        };
        Ok(SynapDataDeleteRequest { inner: DataDeleteRequest::new(scope, string(id, "id")?)? })
    })
}

/// Frees a deletion request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_delete_request_free(request: *mut SynapDataDeleteRequest) {
    free(request)
}

/// Sets the customer the user or conversation belongs to (B2B instances).
/// Refused for the customer scope and if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_delete_request_set_customer_id(
    request: *mut SynapDataDeleteRequest,
    customer_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.customer_id(string(customer_id, "customer_id")?).map(|_| ()))
}

/// Sets the user a conversation belongs to (conversation scope only). Refused
/// if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_delete_request_set_user_id(
    request: *mut SynapDataDeleteRequest,
    user_id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| h.inner.user_id(string(user_id, "user_id")?).map(|_| ()))
}

/// Makes the request a dry run (true) or a deletion (false, the default). A dry
/// run deletes nothing and counts what would go; it needs no confirmation.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_delete_request_set_dry_run(
    request: *mut SynapDataDeleteRequest,
    dry_run: bool,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.dry_run(dry_run);
        Ok(())
    })
}

/// Confirms the deletion: `id` must repeat the scope's id given to
/// `synap_data_delete_request_new()`. A mismatch is refused with
/// `SYNAP_INVALID_ARGUMENT` when the request is sent, before any request.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
/// value is refused (the handle is then unchanged).
///
/// # Safety
/// `request` is NULL or a live handle; `id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_delete_request_set_confirm(
    request: *mut SynapDataDeleteRequest,
    id: *const c_char,
) -> SynapCode {
    configure(request, "request", |h| {
        h.inner.confirm(string(id, "id")?);
        Ok(())
    })
}

/// A data deletion's record: its state, what was removed and what is still
/// present.
///
/// Made by `synap_data_delete()`, `synap_data_deletion_status()` and
/// `synap_data_deletion_wait()`, freed by `synap_data_deletion_free()`; or lent
/// to a wait's progress callback by `synap_wait_progress_deletion()` (never
/// freed then). Immutable; strings it returns live as long as it does.
pub struct SynapDataDeletion {
    pub(super) inner: DataDeletion,
    pub(super) lent: bool,
}

impl Handle for SynapDataDeletion {
    const NAME: &'static str = "SynapDataDeletion";

    fn is_lent(&self) -> bool {
        self.lent
    }
}

/// Deletes, permanently, everything stored about one user, one conversation or
/// one customer (`POST /v1/data/delete`).
///
/// - `request`: from `synap_data_delete_request_new()`, confirmed unless a dry
///   run; only read.
/// - `out_deletion`: receives the record on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_data_deletion_free()`.
///
/// While the service answers that it wants the request again (`continue`), it
/// is sent again at once, up to 50 requests, as the reference SDK does. The
/// record may still be `SYNAP_DELETION_IN_PROGRESS`: pass
/// `synap_data_deletion_id()` to `synap_data_deletion_wait()`. Idempotent:
/// retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT` (NULL, no
/// or a mismatched confirmation, a customer id on a B2C instance);
/// `SYNAP_INVALID_REQUEST`; `SYNAP_AUTH` (the customer scope needs a management
/// key); `SYNAP_CONFLICT` (the id belongs to another customer); or the
/// transport codes.
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_deletion` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_delete(
    client: *const SynapClient,
    request: *const SynapDataDeleteRequest,
    out_deletion: *mut *mut SynapDataDeletion,
) -> SynapCode {
    produce(out_deletion, "out_deletion", || {
        let client = arg(client, "client")?;
        Ok(SynapDataDeletion { inner: client.inner.data_delete(&arg(request, "request")?.inner)?, lent: false })
    })
}

/// A deletion's audit record (`GET /v1/data/delete/{deletion_id}`).
///
/// - `deletion_id`: as `synap_data_deletion_id()` gave it; white space around
///   it is ignored, and it must not be empty.
/// - `out_deletion`: receives the record on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_data_deletion_free()`.
///
/// Retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
/// `SYNAP_NOT_FOUND` (no such deletion); or the transport codes.
///
/// # Safety
/// `client` is NULL or a live handle; `deletion_id` is NULL or NUL-terminated;
/// `out_deletion` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_status(
    client: *const SynapClient,
    deletion_id: *const c_char,
    out_deletion: *mut *mut SynapDataDeletion,
) -> SynapCode {
    produce(out_deletion, "out_deletion", || {
        let client = arg(client, "client")?;
        let record = client.inner.data_deletion_status(string(deletion_id, "deletion_id")?)?;
        Ok(SynapDataDeletion { inner: record, lent: false })
    })
}

/// Waits for a deletion to end: polls its record until it is complete, partial
/// or a dry run, and returns that record. A partial deletion is a record, not
/// an error: read `synap_data_deletion_state()`.
///
/// - `deletion_id`: as for `synap_data_deletion_status()`.
/// - `options`: NULL for the defaults (300000 ms, a poll every 2000 ms), else
///   from `synap_wait_options_new()`, as for `synap_memories_wait()`; only
///   read. The progress callback is called after every poll;
///   `synap_wait_progress_deletion()` gives the record just read (complete
///   counts as `SYNAP_WAIT_COMPLETED`, partial as `SYNAP_WAIT_PARTIAL_SUCCESS`,
///   anything else as `SYNAP_WAIT_PROCESSING`). Returning false stops the wait
///   with `SYNAP_CANCELLED`, and so does triggering the cancel handle.
/// - `out_deletion`: receives the final record on `SYNAP_OK`; set to NULL on
///   entry. Free it with `synap_data_deletion_free()`.
///
/// A status error (after its retries) ends the wait with that error; the
/// timeout passing ends it with `SYNAP_TIMEOUT`. Blocks the calling thread.
///
/// # Safety
/// `client` is NULL or a live handle; `deletion_id` is NULL or NUL-terminated;
/// `options` is NULL or a live handle whose callback and cancel handle keep
/// their setters' contracts; `out_deletion` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_wait(
    client: *const SynapClient,
    deletion_id: *const c_char,
    options: *const SynapWaitOptions,
    out_deletion: *mut *mut SynapDataDeletion,
) -> SynapCode {
    produce(out_deletion, "out_deletion", || {
        let client = arg(client, "client")?;
        let id = string(deletion_id, "deletion_id")?;
        let options = SynapWaitOptions::or_default(options);
        let waited =
            client.inner.data_deletion_wait(id, options.settings(), options.cancel(), |d: &DataDeletion| {
                !options.has_progress() || options.report_deletion(deletion_counts(d), d.clone())
            })?;
        Ok(SynapDataDeletion { inner: waited, lent: false })
    })
}

/// Frees a deletion record. NULL is ignored, and so is one lent to a progress
/// callback (logged at `SYNAP_LOG_ERROR`).
///
/// # Safety
/// `deletion` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_free(deletion: *mut SynapDataDeletion) {
    free(deletion)
}

/// The deletion's id, for `synap_data_deletion_status()` and `_wait()`; absent
/// on a dry run. NULL when absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_id(deletion: *const SynapDataDeletion) -> *const c_char {
    text(deletion, |x| &x.inner.deletion_id)
}

/// Where the deletion stands; `SYNAP_DELETION_UNKNOWN` when the status is
/// absent or unknown, or if `deletion` is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_state(deletion: *const SynapDataDeletion) -> SynapDeletionState {
    get(deletion, SynapDeletionState::SYNAP_DELETION_UNKNOWN, |x| deletion_state(&x.inner))
}

/// The status as the service sent it (`complete`, `partial`, `in_progress`,
/// `dry_run`, ...). NULL when absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_status_text(deletion: *const SynapDataDeletion) -> *const c_char {
    text(deletion, |x| &x.inner.status)
}

/// The scope: `user`, `conversation` or `customer`. NULL when absent. Owned by
/// `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_scope(deletion: *const SynapDataDeletion) -> *const c_char {
    text(deletion, |x| &x.inner.scope)
}

/// Whether this was a dry run. False if `deletion` is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_is_dry_run(deletion: *const SynapDataDeletion) -> bool {
    get(deletion, false, |x| x.inner.dry_run == Some(true))
}

/// Whether the target existed. False if `deletion` is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_found(deletion: *const SynapDataDeletion) -> bool {
    get(deletion, false, |x| x.inner.found == Some(true))
}

/// True only when the service says nothing of the target is left in any store.
/// False if `deletion` is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_fully_removed(deletion: *const SynapDataDeletion) -> bool {
    get(deletion, false, |x| x.inner.fully_removed == Some(true))
}

/// Whether the memories made from a deleted conversation were kept. False if
/// `deletion` is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_memories_kept(deletion: *const SynapDataDeletion) -> bool {
    get(deletion, false, |x| x.inner.memories_kept == Some(true))
}

/// How many stores the counts name. 0 if `deletion` is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_count_count(deletion: *const SynapDataDeletion) -> usize {
    get(deletion, 0, |x| x.inner.counts.len())
}

/// The store count `index` is about (`memories`, `conversations`, ...). NULL
/// past the end or when absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_count_store(
    deletion: *const SynapDataDeletion,
    index: usize,
) -> *const c_char {
    text(deletion, |x| x.inner.counts.get(index).map(|(name, _)| name))
}

/// What count `index` says was removed (on a dry run: would be). Returns true
/// and writes `*out` when present; false, leaving `*out` alone, past the end,
/// when absent or if a pointer is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_count_value(
    deletion: *const SynapDataDeletion,
    index: usize,
    out: *mut i64,
) -> bool {
    optional(deletion, out, |x| x.inner.counts.get(index).map(|(_, n)| *n))
}

/// The count of the store named `store`, e.g. `memories`. Returns true and
/// writes `*out` when present; false, leaving `*out` alone, when absent or a
/// pointer is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle; `store` is NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_count_of(
    deletion: *const SynapDataDeletion,
    store: *const c_char,
    out: *mut i64,
) -> bool {
    optional(deletion, out, |x| x.inner.count(string(store, "store").ok()?))
}

/// How many stores still hold data of the target. 0 if `deletion` is NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_still_present_count(deletion: *const SynapDataDeletion) -> usize {
    get(deletion, 0, |x| x.inner.still_present_in.len())
}

/// Store `index` that still holds data of the target. NULL past the end or when
/// absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_still_present_in(
    deletion: *const SynapDataDeletion,
    index: usize,
) -> *const c_char {
    text(deletion, |x| x.inner.still_present_in.get(index))
}

/// How many kinds of data the deletion keeps on purpose. 0 if `deletion` is
/// NULL.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_kept_count(deletion: *const SynapDataDeletion) -> usize {
    get(deletion, 0, |x| x.inner.kept.len())
}

/// Kept kind `index`. NULL past the end or when absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_kept(deletion: *const SynapDataDeletion, index: usize) -> *const c_char {
    text(deletion, |x| x.inner.kept.get(index))
}

/// Per-store detail, as JSON text (an object). NULL when absent. Owned by
/// `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_stores_json(deletion: *const SynapDataDeletion) -> *const c_char {
    text(deletion, |x| &x.inner.stores_json)
}

/// A note from the service. NULL when absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_note(deletion: *const SynapDataDeletion) -> *const c_char {
    text(deletion, |x| &x.inner.note)
}

/// The audit record's reference. NULL when absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_audit(deletion: *const SynapDataDeletion) -> *const c_char {
    text(deletion, |x| &x.inner.audit)
}

/// The whole record as the service sent it, keys this version does not read
/// included. NULL when absent. Owned by `deletion`.
///
/// # Safety
/// `deletion` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_data_deletion_json(deletion: *const SynapDataDeletion) -> *const c_char {
    text(deletion, |x| &x.inner.raw_json)
}
