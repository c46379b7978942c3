//! `synap_memories_get()` with its `SynapMemory`, and `synap_client_whoami()`
//! with its `SynapIdentity`.

use std::ffi::{CString, c_char};
use std::ptr;

use super::client::SynapClient;
use super::cstr::{arg_ref, arg_str, out_ptr};
use super::error::SynapCode;
use super::guard::{entry, quiet, read};
use crate::{Identity, Memory};

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

fn c(s: &str) -> CString {
    // The parsers refuse NUL inside server text; this cannot fail short of a bug.
    CString::new(s).unwrap_or_default()
}

fn opt(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
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
    entry(|| {
        // SAFETY: pointer contracts are the caller's, as documented above.
        let out = unsafe { out_ptr(out_memory, "out_memory") }?;
        // SAFETY: as above.
        let client = unsafe { arg_ref(client, "client") }?;
        // SAFETY: as above.
        let id = unsafe { arg_str(memory_id, "memory_id") }?;
        let memory = client.inner.memories_get(id)?;
        *out = Box::into_raw(Box::new(SynapMemory {
            memory_id: c(&memory.memory_id().to_string()),
            memory_type: c(memory.memory_type()),
            content: c(memory.content()),
            category: memory.category().map(c),
            subcategory: memory.subcategory().map(c),
            source_document_id: memory.source_document_id().map(c),
            memory,
        }));
        Ok(())
    })
}

/// Frees a memory. NULL is ignored.
///
/// # Safety
/// `memory` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_free(memory: *mut SynapMemory) {
    if !memory.is_null() {
        // SAFETY: the caller hands back a handle made by this library.
        quiet((), || drop(unsafe { Box::from_raw(memory) }));
    }
}

/// The memory's id, canonical lowercase UUID. NULL if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_id(memory: *const SynapMemory) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(memory, ptr::null(), |m| m.memory_id.as_ptr()) }
}

/// Its kind as sent: `fact`, `preference`, `episode`, `emotion`,
/// `temporal_event`, or one the service adds later. NULL if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_type(memory: *const SynapMemory) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(memory, ptr::null(), |m| m.memory_type.as_ptr()) }
}

/// What was remembered, as text. NULL if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_content(memory: *const SynapMemory) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(memory, ptr::null(), |m| m.content.as_ptr()) }
}

/// How sure the service is, usually 0.0 to 1.0; 0.0 if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_confidence(memory: *const SynapMemory) -> f64 {
    // SAFETY: as documented above.
    unsafe { read(memory, 0.0, |m| m.memory.confidence()) }
}

/// Its category, or NULL when it has none.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_category(memory: *const SynapMemory) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(memory, ptr::null(), |m| opt(&m.category)) }
}

/// Its subcategory, or NULL when it has none.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_subcategory(memory: *const SynapMemory) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(memory, ptr::null(), |m| opt(&m.subcategory)) }
}

/// When the memory was made, Unix microseconds UTC; 0 if `memory` is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_created_at_us(memory: *const SynapMemory) -> i64 {
    // SAFETY: as documented above.
    unsafe { read(memory, 0, |m| m.memory.created_at_us()) }
}

/// When it last changed: returns true and writes `*out_us` if it has
/// changed; false (leaving `*out_us` alone) if not, or if a pointer is NULL.
///
/// # Safety
/// `memory` is NULL or a live handle; `out_us` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_updated_at_us(memory: *const SynapMemory, out_us: *mut i64) -> bool {
    // SAFETY: as documented above.
    unsafe {
        read(memory, false, |m| match (m.memory.updated_at_us(), out_us.as_mut()) {
            (Some(us), Some(slot)) => {
                *slot = us;
                true
            }
            _ => false,
        })
    }
}

/// The document the memory came from, or NULL when unknown.
///
/// # Safety
/// `memory` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_memory_source_document_id(memory: *const SynapMemory) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(memory, ptr::null(), |m| opt(&m.source_document_id)) }
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
    entry(|| {
        // SAFETY: pointer contracts are the caller's, as documented above.
        let out = unsafe { out_ptr(out_identity, "out_identity") }?;
        // SAFETY: as above.
        let client = unsafe { arg_ref(client, "client") }?;
        let identity: Identity = client.inner.whoami()?;
        *out = Box::into_raw(Box::new(SynapIdentity {
            client_id: identity.client_id().map(c),
            instance_id: identity.instance_id().map(c),
            user_context_isolation: identity.user_context_isolation().map(c),
        }));
        Ok(())
    })
}

/// Frees an identity. NULL is ignored.
///
/// # Safety
/// `identity` is NULL or a live handle, freed exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_free(identity: *mut SynapIdentity) {
    if !identity.is_null() {
        // SAFETY: the caller hands back a handle made by this library.
        quiet((), || drop(unsafe { Box::from_raw(identity) }));
    }
}

/// The client (account) id, or NULL if the service did not say.
///
/// # Safety
/// `identity` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_client_id(identity: *const SynapIdentity) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(identity, ptr::null(), |i| opt(&i.client_id)) }
}

/// The instance id, or NULL if the service did not say.
///
/// # Safety
/// `identity` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_instance_id(identity: *const SynapIdentity) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(identity, ptr::null(), |i| opt(&i.instance_id)) }
}

/// The instance's user-context isolation: `"equals_customer"` on a B2C
/// instance (each customer is one user), else NULL or another value.
///
/// # Safety
/// `identity` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn synap_identity_user_context_isolation(identity: *const SynapIdentity) -> *const c_char {
    // SAFETY: as documented above.
    unsafe { read(identity, ptr::null(), |i| opt(&i.user_context_isolation)) }
}
