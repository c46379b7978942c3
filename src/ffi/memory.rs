//! `synap_memories_get()` with its `SynapMemory`, and `synap_client_whoami()`
//! with its `SynapIdentity`.

use std::ffi::{CString, c_char};

use super::client::SynapClient;
use super::cstr::{arg, c_opt_string, c_string, string};
use super::error::SynapCode;
use super::guard::{Handle, free, get, optional, produce, text};
use crate::Memory;

/// One memory, as `synap_memories_get()` returned it.
///
/// Freed by `synap_memory_free()`. Immutable; the strings it returns are
/// NUL-terminated UTF-8 owned by it. Absent values are NULL.
pub struct SynapMemory {
    memory: Memory,
    memory_id: CString,
    memory_type: CString,
    content: CString,
    category: Option<CString>,
    subcategory: Option<CString>,
    source_document_id: Option<CString>,
}

/// The account behind an API key, as `synap_client_whoami()` returned it.
///
/// Freed by `synap_identity_free()`. Immutable; absent values are NULL.
pub struct SynapIdentity {
    client_id: Option<CString>,
    instance_id: Option<CString>,
    user_context_isolation: Option<CString>,
}

impl Handle for SynapMemory {
    const NAME: &'static str = "SynapMemory";
}

impl Handle for SynapIdentity {
    const NAME: &'static str = "SynapIdentity";
}

impl SynapMemory {
    pub(super) fn new(memory: Memory) -> Result<SynapMemory, crate::Error> {
        Ok(SynapMemory {
            memory_id: c_string(&memory.memory_id().to_string(), "id")?,
            memory_type: c_string(memory.memory_type(), "memory_type")?,
            content: c_string(memory.content(), "content")?,
            category: c_opt_string(memory.category(), "category")?,
            subcategory: c_opt_string(memory.subcategory(), "subcategory")?,
            source_document_id: c_opt_string(memory.source_document_id(), "source_document_id")?,
            memory,
        })
    }
}

/// `memories.get`: one memory by id (`GET /api/v1/memories/{memory_id}`).
///
/// - `memory_id`: a UUID, e.g. from `synap_status_memory_id()`; anything
///   else is refused before a request. Sent in canonical lowercase form.
/// - `out_memory`: receives the memory on `SYNAP_OK`; set to NULL on entry.
///   Free it with `synap_memory_free()`.
///
/// Retried as `synap_memories_status()` is. Returns `SYNAP_OK`,
/// `SYNAP_NOT_FOUND` (unknown id, or outside the key's scope), or the other
/// codes of `synap_memories_status()`.
///
/// # Safety
/// `client` is NULL or live; `memory_id` is NULL or NUL-terminated;
/// `out_memory` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memories_get(
    client: *const SynapClient,
    memory_id: *const c_char,
    out_memory: *mut *mut SynapMemory,
) -> SynapCode {
    produce(out_memory, "out_memory", || {
        let client = arg(client, "client")?;
        SynapMemory::new(client.inner.memories_get(string(memory_id, "memory_id")?)?)
    })
}

/// Frees a memory. NULL is ignored.
///
/// # Safety
/// `memory` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_free(memory: *mut SynapMemory) {
    free(memory)
}

/// The memory's id, canonical lowercase UUID. NULL if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_id(memory: *const SynapMemory) -> *const c_char {
    text(memory, |m| &m.memory_id)
}

/// Its kind as sent: `fact`, `preference`, `episode`, `emotion`,
/// `temporal_event`, or one the service adds later. NULL if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_type(memory: *const SynapMemory) -> *const c_char {
    text(memory, |m| &m.memory_type)
}

/// What was remembered, as text. NULL if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_content(memory: *const SynapMemory) -> *const c_char {
    text(memory, |m| &m.content)
}

/// How sure the service is, usually 0.0 to 1.0; 0.0 if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_confidence(memory: *const SynapMemory) -> f64 {
    get(memory, 0.0, |m| m.memory.confidence())
}

/// Its category, or NULL when it has none.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_category(memory: *const SynapMemory) -> *const c_char {
    text(memory, |m| &m.category)
}

/// Its subcategory, or NULL when it has none.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_subcategory(memory: *const SynapMemory) -> *const c_char {
    text(memory, |m| &m.subcategory)
}

/// When the memory was made, Unix microseconds UTC; 0 if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_created_at_us(memory: *const SynapMemory) -> i64 {
    get(memory, 0, |m| m.memory.created_at_us())
}

/// When it last changed: returns true and writes `*out_us` if it has
/// changed; false (leaving `*out_us` alone) if not, or if a pointer is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle; `out_us` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_updated_at_us(memory: *const SynapMemory, out_us: *mut i64) -> bool {
    optional(memory, out_us, |m| m.memory.updated_at_us())
}

/// The document the memory came from, or NULL when unknown.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_source_document_id(memory: *const SynapMemory) -> *const c_char {
    text(memory, |m| &m.source_document_id)
}

/// `whoami`: the account behind the client's API key.
/// (`GET /api/v1/auth/whoami`). Once it has answered, the client's later
/// requests carry `X-Client-ID` and `X-Instance-ID`, its correlation ids
/// start with the instance id's first six characters, and a customer id on
/// create is refused locally on a B2C instance, as the reference SDK does.
///
/// - `out_identity`: receives the identity on `SYNAP_OK`; set to NULL on
///   entry. Free it with `synap_identity_free()`.
///
/// Returns `SYNAP_OK`, `SYNAP_AUTH` for a key the service does not know, or
/// the other codes of `synap_memories_status()`.
///
/// # Safety
/// `client` is NULL or live; `out_identity` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_client_whoami(
    client: *const SynapClient,
    out_identity: *mut *mut SynapIdentity,
) -> SynapCode {
    produce(out_identity, "out_identity", || {
        let identity = arg(client, "client")?.inner.whoami()?;
        Ok(SynapIdentity {
            client_id: c_opt_string(identity.client_id(), "client_id")?,
            instance_id: c_opt_string(identity.instance_id(), "instance_id")?,
            user_context_isolation: c_opt_string(identity.user_context_isolation(), "user_context_isolation")?,
        })
    })
}

/// Frees an identity. NULL is ignored.
///
/// # Safety
/// `identity` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_free(identity: *mut SynapIdentity) {
    free(identity)
}

/// The client (account) id, or NULL if the service did not say.
///
/// # Safety
/// `identity` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_client_id(identity: *const SynapIdentity) -> *const c_char {
    text(identity, |i| &i.client_id)
}

/// The instance id, or NULL if the service did not say.
///
/// # Safety
/// `identity` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_instance_id(identity: *const SynapIdentity) -> *const c_char {
    text(identity, |i| &i.instance_id)
}

/// The instance's user-context isolation: `"equals_customer"` on a B2C
/// instance (each customer is one user), else NULL or another value.
///
/// # Safety
/// `identity` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_user_context_isolation(identity: *const SynapIdentity) -> *const c_char {
    text(identity, |i| &i.user_context_isolation)
}
