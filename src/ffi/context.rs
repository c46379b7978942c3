//! Context retrieval from C: `SynapContextRequest` and `synap_context_fetch()`,
//! the `SynapContext` it returns with the items, conversation state,
//! retrieval block, profile and conversation summaries it lends, a user's
//! `SynapProfile`, and a conversation's `SynapPromptContext`.

use std::ffi::{c_char, c_int};
use std::ptr;

use super::client::SynapClient;
use super::cstr::{arg, opt_string, string};
use super::error::SynapCode;
use super::guard::{Handle, configure, entry, free, get, lend, make, optional, produce, text};
use crate::context::{ContextItem, ContextList, ConversationContext, ConversationSummary, Retrieval, Turn};
use crate::error::Error;
use crate::{Context, ContextRequest, ContextScope, Profile, PromptContext};

/// The scope of a context fetch: whose memories it reads. Taken as an
/// `int`, so any value is safe to pass; another value is refused.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapContextScope {
    /// One end user's memories (`POST /v1/context/user/fetch`); needs a
    /// user id.
    SYNAP_SCOPE_USER = 1,
    /// One customer's (organisation's); needs a customer id.
    SYNAP_SCOPE_CUSTOMER = 2,
    /// The whole account's.
    SYNAP_SCOPE_CLIENT = 3,
    /// One conversation's; needs a conversation id.
    SYNAP_SCOPE_CONVERSATION = 4,
}

fn scope_of(scope: c_int) -> Result<ContextScope, Error> {
    match scope {
        1 => Ok(ContextScope::User),
        2 => Ok(ContextScope::Customer),
        3 => Ok(ContextScope::Client),
        4 => Ok(ContextScope::Conversation),
        other => Err(Error::invalid_argument(format!("scope {other} is not a SynapContextScope (1 to 4)"))),
    }
}

/// The lists of a `SynapContext`. Taken as an `int`; another value is an
/// empty list.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SynapContextList {
    /// `facts`.
    SYNAP_LIST_FACTS = 1,
    /// `preferences`.
    SYNAP_LIST_PREFERENCES = 2,
    /// `episodes`.
    SYNAP_LIST_EPISODES = 3,
    /// `emotions`.
    SYNAP_LIST_EMOTIONS = 4,
    /// `temporal_events`.
    SYNAP_LIST_TEMPORAL_EVENTS = 5,
    /// The ranked shape's items, best first across types.
    SYNAP_LIST_RANKED = 6,
    /// Document excerpts (ranked shape, `source` `chunks`).
    SYNAP_LIST_EXCERPTS = 7,
}

fn list_of(list: c_int) -> Option<ContextList> {
    usize::try_from(list).ok().and_then(|i| i.checked_sub(1)).and_then(|i| ContextList::ALL.get(i).copied())
}

/// A context fetch: its scope and ids, queries, and how to rank and shape
/// the answer (contract part 2, §3.2).
///
/// Made by `synap_context_request_new()`, freed by
/// `synap_context_request_free()`. Setters copy their strings, check their
/// value and leave the request unchanged when they refuse it. Use from one
/// thread at a time; a fetch only reads it, so it may be sent again or
/// changed afterwards.
pub struct SynapContextRequest {
    request: ContextRequest,
}

impl Handle for SynapContextRequest {
    const NAME: &'static str = "SynapContextRequest";
}

/// Makes a request for `scope` (a `SynapContextScope`) with the defaults:
/// no ids, no query, 10 results, every type, mode `fast`, precision
/// `high`, by type. Returns NULL if `scope` is not a `SynapContextScope`
/// (the last error says so) or memory runs out. Free with
/// `synap_context_request_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_context_request_new(scope: c_int) -> *mut SynapContextRequest {
    let mut made = ptr::null_mut();
    entry(|| {
        let scope = scope_of(scope)?;
        made = make(|| SynapContextRequest { request: ContextRequest::new(scope) });
        Ok(())
    });
    made
}

/// Frees a request. NULL is ignored.
///
/// # Safety
/// `request` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_free(request: *mut SynapContextRequest) {
    free(request)
}

/// Every setter: the core request's own setter checks the value.
///
/// # Safety
/// `request` is NULL or a live handle, not used elsewhere meanwhile.
unsafe fn set(
    request: *mut SynapContextRequest,
    apply: impl FnOnce(&mut ContextRequest) -> Result<&mut ContextRequest, Error>,
) -> SynapCode {
    configure(request, "request", |r| apply(&mut r.request).map(|_| ()))
}

/// Moves the request to another scope (a `SynapContextScope`); the ids set
/// stay. Refused for a value that is not a scope, and for a scope other
/// than the user's while summary mode is on.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_scope(request: *mut SynapContextRequest, scope: c_int) -> SynapCode {
    set(request, |r| r.set_scope(scope_of(scope)?))
}

/// Sets the end user: the user scope's id, required there, and a filter on
/// the conversation scope. Refused if empty.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_user_id(
    request: *mut SynapContextRequest,
    user_id: *const c_char,
) -> SynapCode {
    set(request, |r| r.user_id(string(user_id, "user_id")?))
}

/// Sets the customer (organisation): the customer scope's id, required
/// there, and the tenant of a user on a B2B instance. Refused if empty; a
/// fetch naming one on an instance `synap_client_whoami()` reported as B2C
/// fails with `SYNAP_INVALID_ARGUMENT` before any request.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_customer_id(
    request: *mut SynapContextRequest,
    customer_id: *const c_char,
) -> SynapCode {
    set(request, |r| r.customer_id(string(customer_id, "customer_id")?))
}

/// Sets the conversation: the conversation scope's id, required there, and
/// the current conversation on the other scopes. A UUID in any case, with
/// or without hyphens; anything else is refused.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `conversation_id` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_conversation_id(
    request: *mut SynapContextRequest,
    conversation_id: *const c_char,
) -> SynapCode {
    set(request, |r| r.conversation_id(string(conversation_id, "conversation_id")?))
}

/// Adds a search query (copied). Without a query (none, or only blank
/// ones) a conversation fetch answers with the conversation's prompt
/// context, and a user fetch with the user's profile when there is one,
/// as the reference SDK does (see `synap_context_fetch()`).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `query` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_add_query(
    request: *mut SynapContextRequest,
    query: *const c_char,
) -> SynapCode {
    set(request, |r| Ok(r.query(string(query, "query")?)))
}

/// Removes every query.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_clear_queries(request: *mut SynapContextRequest) -> SynapCode {
    set(request, |r| Ok(r.clear_queries()))
}

/// Sets how many memories at most, at least 1; default 10. The service
/// sets the upper bound, and refuses more with `SYNAP_INVALID_REQUEST`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_max_results(
    request: *mut SynapContextRequest,
    max_results: u32,
) -> SynapCode {
    set(request, |r| r.max_results(max_results))
}

/// Adds a memory type to fetch: `facts`, `preferences`, `episodes`,
/// `emotions`, `temporal_events` or `all`; none added means `all`. Any
/// other value is refused.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `memory_type` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_add_type(
    request: *mut SynapContextRequest,
    memory_type: *const c_char,
) -> SynapCode {
    set(request, |r| r.memory_type(string(memory_type, "memory_type")?))
}

/// Sets the retrieval mode: `fast` (default) or `accurate`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_mode(
    request: *mut SynapContextRequest,
    mode: *const c_char,
) -> SynapCode {
    set(request, |r| r.mode(string(mode, "mode")?))
}

/// Sets the precision level: `high` (default) or `medium`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `precision_level` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_precision_level(
    request: *mut SynapContextRequest,
    precision_level: *const c_char,
) -> SynapCode {
    set(request, |r| r.precision_level(string(precision_level, "precision_level")?))
}

/// Sets the answer's shape: `by_type` (default: the five typed lists) or
/// `ranked` (`SYNAP_LIST_RANKED`, best first across types, plus the
/// excerpts and the typed lists as views of it).
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `response_shape` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_response_shape(
    request: *mut SynapContextRequest,
    response_shape: *const c_char,
) -> SynapCode {
    set(request, |r| r.response_shape(string(response_shape, "response_shape")?))
}

/// Sets the day the queries are asked, as text the service reads
/// (`2025-03-11`, `2025/03/11 21:26`; anything else means now). NULL or
/// `""` clears it.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `query_date` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_query_date(
    request: *mut SynapContextRequest,
    query_date: *const c_char,
) -> SynapCode {
    set(request, |r| Ok(r.query_date(opt_string(query_date, "query_date")?.unwrap_or_default())))
}

/// Sets how many memories each query may contribute; 0 (the default)
/// means no bound per query.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_max_results_per_query(
    request: *mut SynapContextRequest,
    max_results: u32,
) -> SynapCode {
    set(request, |r| Ok(r.max_results_per_query(max_results)))
}

/// Adds (or replaces) one rung of the scope path, e.g. `("team",
/// "payments")`, for accounts with levels between customer and user. The
/// service refuses a path that skips a rung.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle; `level` and `value` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_add_scope_level(
    request: *mut SynapContextRequest,
    level: *const c_char,
    value: *const c_char,
) -> SynapCode {
    set(request, |r| r.scope_level(string(level, "level")?, string(value, "value")?))
}

/// Turns on summary mode (user scope only): the fetch answers with the
/// user's profile (when `include_profile`) and the summaries of the last
/// `last_n_conversations` conversations (0 to 20) instead of memories.
/// Refused on another scope or out of range.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
/// the value is refused.
///
/// # Safety
/// `request` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_request_set_summary_mode(
    request: *mut SynapContextRequest,
    include_profile: bool,
    last_n_conversations: u32,
) -> SynapCode {
    set(request, |r| r.summary_mode(include_profile, last_n_conversations))
}

/// What a context fetch returned: the memories (typed lists, ranked list,
/// excerpts), the conversation state, the retrieval block, the profile and
/// conversation summaries of summary mode, and the answer's metadata.
///
/// Made by `synap_context_fetch()`, freed by `synap_context_free()`.
/// Immutable: any thread may read it. Everything it lends (items, turns,
/// strings) is valid until it is freed. Absent values are NULL, or false
/// from the `bool f(handle, &out)` accessors.
///
/// It is tolerant where the reference SDK fails a whole fetch over one
/// item: an explicit `null` is absent; a score is kept as sent, inside 0..1
/// or not; a time, number or text that does not read as its type is
/// absent. Only a body whose structure is wrong (a list that is not an
/// array, an item that is not an object) fails the fetch, with
/// `SYNAP_PROTOCOL` naming the field. Keys this version does not read
/// stay in an item's metadata JSON or in `synap_context_raw_json()`.
pub struct SynapContext {
    context: Context,
    profile: Option<SynapProfile>,
}

impl Handle for SynapContext {
    const NAME: &'static str = "SynapContext";
}

/// One remembered item of a `SynapContext`, lent by it.
///
/// Each memory type names its fields differently on the wire; they are
/// read into one shape (text, score, label, time), as the table in
/// README.md ("Context retrieval") shows.
pub struct SynapContextItem {
    _opaque: [u8; 0],
}

/// One conversation turn, lent by a `SynapConversationContext` or a
/// `SynapPromptContext`.
pub struct SynapTurn {
    _opaque: [u8; 0],
}

/// A conversation's state as a context fetch returns it, lent by its
/// `SynapContext`.
pub struct SynapConversationContext {
    _opaque: [u8; 0],
}

/// The retrieval block of a `SynapContext`, lent by it: how the service
/// says "nothing came back because retrieval broke", as against "nothing
/// relevant".
pub struct SynapRetrieval {
    _opaque: [u8; 0],
}

/// One conversation's summary in summary mode, lent by its `SynapContext`.
pub struct SynapConversationSummary {
    _opaque: [u8; 0],
}

/// The Rust value a lent C handle points to: lent handles are pointers into
/// their owner's Rust data, typed for C by a marker that C never sees the
/// inside of.
trait Lent {
    type Rust;
}

macro_rules! lent {
    ($($c:ty => $rust:ty),* $(,)?) => {
        $(impl Lent for $c {
            type Rust = $rust;
        })*
    };
}

lent!(
    SynapContextItem => ContextItem,
    SynapTurn => Turn,
    SynapConversationContext => ConversationContext,
    SynapRetrieval => Retrieval,
    SynapConversationSummary => ConversationSummary,
);

/// The Rust value behind a lent C handle.
fn rust<C: Lent>(handle: *const C) -> *const C::Rust {
    handle.cast()
}

/// A lent C handle for a Rust value its owner keeps.
fn lent_handle<C: Lent>(value: Option<&C::Rust>) -> Option<&C> {
    // SAFETY: a marker type is never read: the pointer goes to C as it is,
    // and comes back through `rust()` before anything reads it.
    value.map(|v| unsafe { &*(v as *const C::Rust).cast::<C>() })
}

/// `context.fetch`: the memories of the request's scope relevant to its
/// queries (`POST /v1/context/{user,customer,client,conversation}/fetch`).
///
/// - `client`: from `synap_client_new()`.
/// - `request`: from `synap_context_request_new()`, with the scope's own
///   id set; only read.
/// - `out_context`: receives the answer on `SYNAP_OK`; set to NULL on
///   entry. Free it with `synap_context_free()`.
///
/// Without a query (none, or only blank ones), as the reference SDK does:
/// a conversation fetch reads the conversation's prompt context instead
/// (`GET .../context-for-prompt?style=structured`) and answers with no
/// memories, that state as its conversation context and source
/// `conversation_state`; a user fetch (not in summary mode) reads the
/// user's profile first and answers with it when it has attributes or an
/// overview (source `profile`), else makes the fetch. A ranked fetch whose
/// answer has no ranked list gets one merged from the typed lists.
///
/// Idempotent, so retried as reads are. Returns `SYNAP_OK`;
/// `SYNAP_INVALID_ARGUMENT` (NULL, the scope's id missing, a customer id on
/// a B2C instance); `SYNAP_INVALID_REQUEST` (the service refused a value:
/// HTTP 400/422); `SYNAP_NOT_FOUND`; `SYNAP_CONFLICT` (the instance is not
/// ready); `SYNAP_PROTOCOL` (a body whose structure is wrong); or the
/// transport codes.
///
/// # Safety
/// `client` and `request` are NULL or live handles; `out_context` is NULL
/// or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_fetch(
    client: *const SynapClient,
    request: *const SynapContextRequest,
    out_context: *mut *mut SynapContext,
) -> SynapCode {
    produce(out_context, "out_context", || {
        let client = arg(client, "client")?;
        let context = client.inner.context_fetch(&arg(request, "request")?.request)?;
        let profile = context.profile.clone().map(|p| SynapProfile { profile: p, lent: true });
        Ok(SynapContext { context, profile })
    })
}

/// Frees a context and everything it lent. NULL is ignored.
///
/// # Safety
/// `context` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_free(context: *mut SynapContext) {
    free(context)
}

/// How many items `list` (a `SynapContextList`) holds; 0 for another
/// value, or if `context` is NULL.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_count(context: *const SynapContext, list: c_int) -> usize {
    get(context, 0, |c| list_of(list).map_or(0, |l| c.context.list(l).len()))
}

/// Item `index` of `list` (a `SynapContextList`), in the service's order
/// (best first), lent by `context`; NULL past the end, for another `list`
/// value, or if `context` is NULL.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item(
    context: *const SynapContext,
    list: c_int,
    index: usize,
) -> *const SynapContextItem {
    lend(context, |c| lent_handle(list_of(list).and_then(|l| c.context.list(l).get(index))))
}

/// The conversation's state, when the service sent one (or a conversation
/// fetch without a query read it), lent by `context`; else NULL.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_conversation(context: *const SynapContext) -> *const SynapConversationContext {
    lend(context, |c| lent_handle(c.context.conversation_context.as_ref()))
}

/// The retrieval block, when the service sent one, lent by `context`; NULL
/// on a healthy fetch.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_retrieval(context: *const SynapContext) -> *const SynapRetrieval {
    lend(context, |c| lent_handle(c.context.retrieval.as_ref()))
}

/// The user's profile (summary mode, or a user fetch without a query),
/// lent by `context` (`synap_profile_free()` refuses it); else NULL.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_profile(context: *const SynapContext) -> *const SynapProfile {
    lend(context, |c| c.profile.as_ref())
}

/// How many conversation summaries summary mode returned; 0 otherwise.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_conversation_count(context: *const SynapContext) -> usize {
    get(context, 0, |c| c.context.conversations.len())
}

/// Conversation summary `index`, lent by `context`; NULL past the end.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_conversation_summary(
    context: *const SynapContext,
    index: usize,
) -> *const SynapConversationSummary {
    lend(context, |c| lent_handle(c.context.conversations.get(index)))
}

/// How long the answer may be cached, in seconds (300 when the service
/// did not say); 0 if `context` is NULL.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_ttl_seconds(context: *const SynapContext) -> i64 {
    get(context, 0, |c| c.context.ttl_seconds)
}

/// Where the answer came from: `cloud` (a fetch), `profile` or
/// `conversation_state` (a fetch without a query). Static; NULL if
/// `context` is NULL.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_source(context: *const SynapContext) -> *const c_char {
    get(context, ptr::null(), |c| match c.context.source {
        "profile" => c"profile".as_ptr(),
        "conversation_state" => c"conversation_state".as_ptr(),
        _ => c"cloud".as_ptr(),
    })
}

/// The `X-Correlation-ID` of the request that answered; quote it when
/// reporting a problem. Owned by `context`.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_correlation_id(context: *const SynapContext) -> *const c_char {
    text(context, |c| &c.context.correlation_id)
}

/// When the answer was received, Unix microseconds UTC; 0 if `context` is
/// NULL.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_retrieved_at_us(context: *const SynapContext) -> i64 {
    get(context, 0, |c| c.context.retrieved_at_us)
}

/// The response body as JSON text, for what this version does not read;
/// NULL when no body was read (a profile answer). Owned by `context`.
///
/// # Safety
/// `context` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_raw_json(context: *const SynapContext) -> *const c_char {
    text(context, |c| &c.context.raw_json)
}

/// The item's type: the list it came from (`facts`, `preferences`, `episodes`,
/// `emotions`, `temporal_events`, `excerpts`), or for a ranked item its
/// `category` as sent. Valid as long as the handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_kind(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.kind)
}

/// The memory's id. Valid as long as the handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_id(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.id)
}

/// What was remembered (`content`; an episode's `summary`, an emotion's
/// `context`). Valid as long as the handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_text(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.text)
}

/// How sure or how strong, usually 0 to 1, kept as sent (`confidence`; a
/// preference's `strength`, an episode's `significance`, an emotion's
/// `intensity`). The words `explicit`, `inferred` and `assumed` read as 1.0,
/// 0.75 and 0.5. Returns true and writes `*out` when present; false, leaving
/// `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_score(item: *const SynapContextItem, out: *mut f64) -> bool {
    optional(rust(item), out, |x| x.score)
}

/// A preference's category, an emotion's type or a temporal event's temporal
/// category. Valid as long as the handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_label(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.label)
}

/// When it was extracted (an episode's `occurred_at`, an emotion's
/// `detected_at`), Unix microseconds UTC. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_time_us(item: *const SynapContextItem, out: *mut i64) -> bool {
    optional(rust(item), out, |x| x.time_us)
}

/// Where it came from (`conversation`, `chunks`, ...). Valid as long as the
/// handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_source(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.source)
}

/// The start of the time window the memory is about, Unix microseconds UTC.
/// Returns true and writes `*out` when present; false, leaving `*out` alone,
/// when absent or a pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_event_date_us(item: *const SynapContextItem, out: *mut i64) -> bool {
    optional(rust(item), out, |x| x.event_date_us)
}

/// The end of that window, Unix microseconds UTC. Returns true and writes
/// `*out` when present; false, leaving `*out` alone, when absent or a pointer
/// is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_event_end_us(item: *const SynapContextItem, out: *mut i64) -> bool {
    optional(rust(item), out, |x| x.event_end_us)
}

/// The day it was said, Unix microseconds UTC. Returns true and writes `*out`
/// when present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_said_at_us(item: *const SynapContextItem, out: *mut i64) -> bool {
    optional(rust(item), out, |x| x.said_at_us)
}

/// Until when it holds, Unix microseconds UTC. Returns true and writes `*out`
/// when present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_valid_until_us(item: *const SynapContextItem, out: *mut i64) -> bool {
    optional(rust(item), out, |x| x.valid_until_us)
}

/// How precise the window is (`day`, `month`, `approximate`, ...). Valid as
/// long as the handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_event_precision(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.event_precision)
}

/// `perpetual`, `temporal_fact`, `episode`, ... Valid as long as the handle
/// that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_temporal_category(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.temporal_category)
}

/// How sure the temporal reading is. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_temporal_confidence(item: *const SynapContextItem, out: *mut f64) -> bool {
    optional(rust(item), out, |x| x.temporal_confidence)
}

/// How many of the fetch's queries found the item. 0 if `item` is NULL.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_matched_query_count(item: *const SynapContextItem) -> usize {
    get(rust(item), 0, |x| x.matched_queries.len())
}

/// The query at `index` that found the item. NULL past the end. Valid as long
/// as the handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_matched_query(
    item: *const SynapContextItem,
    index: usize,
) -> *const c_char {
    text(rust(item), |x| x.matched_queries.get(index))
}

/// How many quotes the memory rests on. 0 if `item` is NULL.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_source_evidence_count(item: *const SynapContextItem) -> usize {
    get(rust(item), 0, |x| x.source_evidence.len())
}

/// The quote at `index` the memory rests on. NULL past the end. Valid as long
/// as the handle that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_source_evidence(
    item: *const SynapContextItem,
    index: usize,
) -> *const c_char {
    text(rust(item), |x| x.source_evidence.get(index))
}

/// How many participants an episode names. 0 if `item` is NULL.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_participant_count(item: *const SynapContextItem) -> usize {
    get(rust(item), 0, |x| x.participants.len())
}

/// The participant at `index`. NULL past the end. Valid as long as the handle
/// that lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_participant(item: *const SynapContextItem, index: usize) -> *const c_char {
    text(rust(item), |x| x.participants.get(index))
}

/// The item's rank (1 = best), which the ranked shape sends. Returns true and
/// writes `*out` when present; false, leaving `*out` alone, when absent or a
/// pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_rank(item: *const SynapContextItem, out: *mut i64) -> bool {
    optional(rust(item), out, |x| x.rank)
}

/// Its rank score (`metadata.rank_score`), which the ranked shape sends.
/// Returns true and writes `*out` when present; false, leaving `*out` alone,
/// when absent or a pointer is NULL.
///
/// # Safety
/// `item` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_rank_score(item: *const SynapContextItem, out: *mut f64) -> bool {
    optional(rust(item), out, |x| x.rank_score)
}

/// The item's `metadata` object as JSON text. Valid as long as the handle that
/// lent it.
///
/// # Safety
/// `item` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_context_item_metadata_json(item: *const SynapContextItem) -> *const c_char {
    text(rust(item), |x| &x.metadata_json)
}

/// The conversation's id. Valid as long as the handle that lent it.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_id(conversation: *const SynapConversationContext) -> *const c_char {
    text(rust(conversation), |x| &x.conversation_id)
}

/// The compaction narrative. Valid as long as the handle that lent it.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_summary(
    conversation: *const SynapConversationContext,
) -> *const c_char {
    text(rust(conversation), |x| &x.summary)
}

/// The compaction the summary comes from. Valid as long as the handle that lent
/// it.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_compaction_id(
    conversation: *const SynapConversationContext,
) -> *const c_char {
    text(rust(conversation), |x| &x.compaction_id)
}

/// When it was compacted, as the service wrote it (not parsed). Valid as long
/// as the handle that lent it.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_compacted_at(
    conversation: *const SynapConversationContext,
) -> *const c_char {
    text(rust(conversation), |x| &x.compacted_at)
}

/// The prompt-ready text, when given. Valid as long as the handle that lent it.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_formatted_context(
    conversation: *const SynapConversationContext,
) -> *const c_char {
    text(rust(conversation), |x| &x.formatted_context)
}

/// `current_state` as JSON text. Valid as long as the handle that lent it.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_current_state_json(
    conversation: *const SynapConversationContext,
) -> *const c_char {
    text(rust(conversation), |x| &x.current_state_json)
}

/// `key_extractions` as JSON text. Valid as long as the handle that lent it.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_key_extractions_json(
    conversation: *const SynapConversationContext,
) -> *const c_char {
    text(rust(conversation), |x| &x.key_extractions_json)
}

/// How many turns came after the compaction cut-off. 0 if `conversation` is
/// NULL.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_turn_count(conversation: *const SynapConversationContext) -> usize {
    get(rust(conversation), 0, |x| x.recent_turns.len())
}

/// The turn at `index`, oldest first. Lent; NULL past the end.
///
/// # Safety
/// `conversation` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_context_turn(
    conversation: *const SynapConversationContext,
    index: usize,
) -> *const SynapTurn {
    lend(rust(conversation), |x| lent_handle(x.recent_turns.get(index)))
}

/// Who spoke: `user`, `assistant`, ... Valid as long as the handle that lent
/// it.
///
/// # Safety
/// `turn` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_turn_role(turn: *const SynapTurn) -> *const c_char {
    text(rust(turn), |x| &x.role)
}

/// What was said. Valid as long as the handle that lent it.
///
/// # Safety
/// `turn` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_turn_content(turn: *const SynapTurn) -> *const c_char {
    text(rust(turn), |x| &x.content)
}

/// When, Unix microseconds UTC. Returns true and writes `*out` when present;
/// false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `turn` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_turn_timestamp_us(turn: *const SynapTurn, out: *mut i64) -> bool {
    optional(rust(turn), out, |x| x.timestamp_us)
}

/// The message's id, where the service gives one. Valid as long as the handle
/// that lent it.
///
/// # Safety
/// `turn` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_turn_message_id(turn: *const SynapTurn) -> *const c_char {
    text(rust(turn), |x| &x.message_id)
}

/// True when the answer is incomplete because retrieval broke. False if
/// `retrieval` is NULL.
///
/// # Safety
/// `retrieval` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_retrieval_degraded(retrieval: *const SynapRetrieval) -> bool {
    get(rust(retrieval), false, |x| x.degraded)
}

/// How much broke: `partial`, `minimal` or `failed`. Valid as long as the
/// handle that lent it.
///
/// # Safety
/// `retrieval` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_retrieval_level(retrieval: *const SynapRetrieval) -> *const c_char {
    text(rust(retrieval), |x| &x.level)
}

/// Why: `timeout`, `overloaded`, `unavailable` or `internal`. Valid as long as
/// the handle that lent it.
///
/// # Safety
/// `retrieval` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_retrieval_code(retrieval: *const SynapRetrieval) -> *const c_char {
    text(rust(retrieval), |x| &x.code)
}

/// How many warnings the service gave. 0 if `retrieval` is NULL.
///
/// # Safety
/// `retrieval` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_retrieval_warning_count(retrieval: *const SynapRetrieval) -> usize {
    get(rust(retrieval), 0, |x| x.warnings.len())
}

/// The warning at `index`. NULL past the end. Valid as long as the handle that
/// lent it.
///
/// # Safety
/// `retrieval` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_retrieval_warning(retrieval: *const SynapRetrieval, index: usize) -> *const c_char {
    text(rust(retrieval), |x| x.warnings.get(index))
}

/// The conversation's id. Valid as long as the handle that lent it.
///
/// # Safety
/// `summary` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_summary_id(summary: *const SynapConversationSummary) -> *const c_char {
    text(rust(summary), |x| &x.conversation_id)
}

/// Whether its summary is ready: `available`, `pending` or `failed`. Valid as
/// long as the handle that lent it.
///
/// # Safety
/// `summary` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_summary_status(summary: *const SynapConversationSummary) -> *const c_char {
    text(rust(summary), |x| &x.summary_status)
}

/// The summary's prompt text. Valid as long as the handle that lent it.
///
/// # Safety
/// `summary` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_summary_text(summary: *const SynapConversationSummary) -> *const c_char {
    text(rust(summary), |x| &x.summary)
}

/// How many messages the conversation has. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `summary` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_summary_message_count(
    summary: *const SynapConversationSummary,
    out: *mut i64,
) -> bool {
    optional(rust(summary), out, |x| x.message_count)
}

/// When it started, Unix microseconds UTC. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `summary` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_summary_started_at_us(
    summary: *const SynapConversationSummary,
    out: *mut i64,
) -> bool {
    optional(rust(summary), out, |x| x.started_at_us)
}

/// When its last message came, Unix microseconds UTC. Returns true and writes
/// `*out` when present; false, leaving `*out` alone, when absent or a pointer
/// is NULL.
///
/// # Safety
/// `summary` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_summary_last_message_at_us(
    summary: *const SynapConversationSummary,
    out: *mut i64,
) -> bool {
    optional(rust(summary), out, |x| x.last_message_at_us)
}

/// The whole summary element as JSON text. Valid as long as the handle that
/// lent it.
///
/// # Safety
/// `summary` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_summary_json(summary: *const SynapConversationSummary) -> *const c_char {
    text(rust(summary), |x| &x.json)
}

/// A user's profile: what the service has learnt of them (contract part
/// 2, §7.1).
///
/// Made by `synap_user_profile()` and freed by `synap_profile_free()`, or
/// lent by `synap_context_profile()` and owned by its context. Immutable;
/// everything it returns lives as long as it does.
pub struct SynapProfile {
    profile: Profile,
    lent: bool,
}

impl Handle for SynapProfile {
    const NAME: &'static str = "SynapProfile";

    fn is_lent(&self) -> bool {
        self.lent
    }
}

/// A user's profile (`GET /v1/users/{user_id}/profile`).
///
/// - `user_id`: the user, not empty; percent-encoded into the path, so any
///   text (`/`, `?`, `#` included) reaches the service intact.
/// - `customer_id`: the user's customer on a B2B instance, where the
///   service needs it; NULL on a B2C instance (where one is refused before
///   any request, once `synap_client_whoami()` has told).
/// - `out_profile`: receives the profile on `SYNAP_OK`; set to NULL on
///   entry. Free it with `synap_profile_free()`.
///
/// Returns `SYNAP_OK`; `SYNAP_NOT_FOUND` when the user has no profile yet;
/// `SYNAP_INVALID_ARGUMENT`; or the other codes of
/// `synap_memories_status()`. Retried as reads are.
///
/// # Safety
/// `client` is NULL or live; `user_id` and `customer_id` are NULL or
/// NUL-terminated; `out_profile` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_user_profile(
    client: *const SynapClient,
    user_id: *const c_char,
    customer_id: *const c_char,
    out_profile: *mut *mut SynapProfile,
) -> SynapCode {
    produce(out_profile, "out_profile", || {
        let client = arg(client, "client")?;
        let (user, customer) = (string(user_id, "user_id")?, opt_string(customer_id, "customer_id")?);
        Ok(SynapProfile { profile: client.inner.user_profile(user, customer)?, lent: false })
    })
}

/// Frees a profile from `synap_user_profile()`. NULL is ignored, and so is
/// one lent by `synap_context_profile()`, which is freed with its context
/// (the refusal is logged at `SYNAP_LOG_ERROR`).
///
/// # Safety
/// `profile` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_free(profile: *mut SynapProfile) {
    free(profile)
}

/// The free-text overview. Owned by `profile`.
///
/// # Safety
/// `profile` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_overview(profile: *const SynapProfile) -> *const c_char {
    text(profile, |x| &x.profile.overview)
}

/// The whole profile document as JSON text. Owned by `profile`.
///
/// # Safety
/// `profile` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_json(profile: *const SynapProfile) -> *const c_char {
    text(profile, |x| &x.profile.json)
}

/// How many attributes the profile has. 0 if `profile` is NULL.
///
/// # Safety
/// `profile` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_attribute_count(profile: *const SynapProfile) -> usize {
    get(profile, 0, |x| x.profile.attributes.len())
}

/// The name of attribute `index` (e.g. `preferred_name`). NULL past the end or
/// when absent. Owned by `profile`.
///
/// # Safety
/// `profile` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_attribute_name(profile: *const SynapProfile, index: usize) -> *const c_char {
    text(profile, |p| p.profile.attributes.get(index).and_then(|a| a.name.as_ref()))
}

/// The value of attribute `index` as JSON text (a string keeps its quotes).
/// NULL past the end or when absent. Owned by `profile`.
///
/// # Safety
/// `profile` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_attribute_value_json(
    profile: *const SynapProfile,
    index: usize,
) -> *const c_char {
    text(profile, |p| p.profile.attributes.get(index).and_then(|a| a.value_json.as_ref()))
}

/// The conversation attribute `index` was learnt in. NULL past the end or when
/// absent. Owned by `profile`.
///
/// # Safety
/// `profile` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_attribute_source_conversation_id(
    profile: *const SynapProfile,
    index: usize,
) -> *const c_char {
    text(profile, |p| p.profile.attributes.get(index).and_then(|a| a.source_conversation_id.as_ref()))
}

/// How sure the service is of attribute `index`. Returns true and writes `*out`
/// when present; false, leaving
/// `*out` alone, when absent, past the end, or a pointer is NULL.
///
/// # Safety
/// `profile` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_attribute_confidence(
    profile: *const SynapProfile,
    index: usize,
    out: *mut f64,
) -> bool {
    optional(profile, out, |p| p.profile.attributes.get(index).and_then(|a| a.confidence))
}

/// When attribute `index` last changed, Unix microseconds UTC. Returns true and
/// writes `*out` when present; false, leaving
/// `*out` alone, when absent, past the end, or a pointer is NULL.
///
/// # Safety
/// `profile` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_profile_attribute_updated_at_us(
    profile: *const SynapProfile,
    index: usize,
    out: *mut i64,
) -> bool {
    optional(profile, out, |p| p.profile.attributes.get(index).and_then(|a| a.updated_at_us))
}

/// How `synap_conversation_prompt_context()` renders: the style, for now.
///
/// Made by `synap_prompt_options_new()`, freed by
/// `synap_prompt_options_free()`. Setters check their value and leave the
/// options unchanged when they refuse it.
pub struct SynapPromptOptions {
    style: &'static str,
}

impl Handle for SynapPromptOptions {
    const NAME: &'static str = "SynapPromptOptions";
}

/// Makes prompt options with the defaults (style `structured`). Returns
/// NULL only if memory runs out. Free with `synap_prompt_options_free()`.
#[unsafe(no_mangle)]
pub extern "C" fn synap_prompt_options_new() -> *mut SynapPromptOptions {
    make(|| SynapPromptOptions { style: crate::PROMPT_STYLES[0] })
}

/// Frees prompt options. NULL is ignored.
///
/// # Safety
/// `options` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_options_free(options: *mut SynapPromptOptions) {
    free(options)
}

/// Sets the style: `structured` (default), `narrative` or `bullet_points`.
///
/// Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
/// the style is not one of those.
///
/// # Safety
/// `options` is NULL or a live handle; `style` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_options_set_style(
    options: *mut SynapPromptOptions,
    style: *const c_char,
) -> SynapCode {
    configure(options, "options", |o| {
        let style = string(style, "style")?;
        o.style = crate::PROMPT_STYLES.iter().find(|s| **s == style).copied().ok_or_else(|| {
            Error::invalid_argument(format!(
                "style \"{}\" is not one of {}",
                crate::error::one_line(style, 64),
                crate::PROMPT_STYLES.join(", ")
            ))
        })?;
        Ok(())
    })
}

/// A conversation's prompt context: its compacted history plus every
/// message after the compaction cut-off (all of them before the first
/// compaction), as one prompt-ready string and its parts.
///
/// Made by `synap_conversation_prompt_context()`, freed by
/// `synap_prompt_context_free()`. Immutable; everything it returns lives
/// as long as it does.
pub struct SynapPromptContext {
    prompt: PromptContext,
}

impl Handle for SynapPromptContext {
    const NAME: &'static str = "SynapPromptContext";
}

/// `context-for-prompt` (`GET /v1/conversations/{id}/context-for-prompt`).
///
/// - `conversation_id`: a UUID, as for
///   `synap_context_request_set_conversation_id()`.
/// - `options`: NULL for the defaults, else from `synap_prompt_options_new()`.
/// - `out_prompt`: receives the prompt context on `SYNAP_OK`; set to NULL
///   on entry. Free it with `synap_prompt_context_free()`.
///
/// Returns `SYNAP_OK`; `SYNAP_NOT_FOUND` for an unknown conversation;
/// `SYNAP_INVALID_ARGUMENT`; or the other codes of
/// `synap_memories_status()`. Retried as reads are.
///
/// # Safety
/// `client` and `options` are NULL or live handles; `conversation_id` is
/// NULL or NUL-terminated; `out_prompt` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_conversation_prompt_context(
    client: *const SynapClient,
    conversation_id: *const c_char,
    options: *const SynapPromptOptions,
    out_prompt: *mut *mut SynapPromptContext,
) -> SynapCode {
    produce(out_prompt, "out_prompt", || {
        let client = arg(client, "client")?;
        let id = string(conversation_id, "conversation_id")?;
        let style = options.as_ref().map_or(crate::PROMPT_STYLES[0], |o| o.style);
        Ok(SynapPromptContext { prompt: client.inner.conversation_prompt_context(id, style)? })
    })
}

/// Frees a prompt context. NULL is ignored.
///
/// # Safety
/// `prompt` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_free(prompt: *mut SynapPromptContext) {
    free(prompt)
}

/// The prompt-ready text: the compaction block, then the recent messages. Owned
/// by `prompt`.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_formatted_context(prompt: *const SynapPromptContext) -> *const c_char {
    text(prompt, |x| &x.prompt.formatted_context)
}

/// True when a compaction exists. False if `prompt` is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_available(prompt: *const SynapPromptContext) -> bool {
    get(prompt, false, |x| x.prompt.available)
}

/// True when the compaction lags the conversation. False if `prompt` is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_is_stale(prompt: *const SynapPromptContext) -> bool {
    get(prompt, false, |x| x.prompt.is_stale)
}

/// True when the service doubts the compaction's quality. False if `prompt` is
/// NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_quality_warning(prompt: *const SynapPromptContext) -> bool {
    get(prompt, false, |x| x.prompt.quality_warning)
}

/// How much the compaction shrank the history. Returns true and writes `*out`
/// when present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_compression_ratio(
    prompt: *const SynapPromptContext,
    out: *mut f64,
) -> bool {
    optional(prompt, out, |x| x.prompt.compression_ratio)
}

/// The compaction's validation score. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_validation_score(
    prompt: *const SynapPromptContext,
    out: *mut f64,
) -> bool {
    optional(prompt, out, |x| x.prompt.validation_score)
}

/// How old the compaction is, in seconds. Returns true and writes `*out` when
/// present; false, leaving `*out` alone, when absent or a pointer is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_compaction_age_seconds(
    prompt: *const SynapPromptContext,
    out: *mut i64,
) -> bool {
    optional(prompt, out, |x| x.prompt.compaction_age_seconds)
}

/// How many messages came after the cut-off, as the service counts them. 0 if
/// `prompt` is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_recent_message_count(prompt: *const SynapPromptContext) -> i64 {
    get(prompt, 0, |x| x.prompt.recent_message_count)
}

/// How many messages the compaction covers. 0 if `prompt` is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_compacted_message_count(prompt: *const SynapPromptContext) -> i64 {
    get(prompt, 0, |x| x.prompt.compacted_message_count)
}

/// How many messages the conversation has. 0 if `prompt` is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_total_message_count(prompt: *const SynapPromptContext) -> i64 {
    get(prompt, 0, |x| x.prompt.total_message_count)
}

/// The compaction block alone. Owned by `prompt`.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_context_block(prompt: *const SynapPromptContext) -> *const c_char {
    text(prompt, |x| &x.prompt.context_block)
}

/// The compaction it comes from. Owned by `prompt`.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_compaction_id(prompt: *const SynapPromptContext) -> *const c_char {
    text(prompt, |x| &x.prompt.compaction_id)
}

/// How many recent messages the answer holds. 0 if `prompt` is NULL.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_turn_count(prompt: *const SynapPromptContext) -> usize {
    get(prompt, 0, |x| x.prompt.recent_messages.len())
}

/// The recent message at `index`, oldest first. Lent by `prompt`; NULL past the
/// end.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_turn(
    prompt: *const SynapPromptContext,
    index: usize,
) -> *const SynapTurn {
    lend(prompt, |x| lent_handle(x.prompt.recent_messages.get(index)))
}

/// The response body as JSON text. Owned by `prompt`.
///
/// # Safety
/// `prompt` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_prompt_context_raw_json(prompt: *const SynapPromptContext) -> *const c_char {
    text(prompt, |x| &x.prompt.raw_json)
}
