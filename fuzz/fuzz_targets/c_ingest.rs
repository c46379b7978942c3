//! The ingestion entry points (create request builder, create, batch
//! create, get, whoami, wait_all) fed arbitrary strings and numbers, as a C
//! caller could pass them.
//!
//! The input is split on NUL into the fields below; a missing field is a
//! NULL string or an unset value. Numbers are read as in c_api.
//!
//!   document text \0 document JSON \0 type \0 mode \0 document id
//!   \0 created-at us \0 user id \0 customer id \0 scope level \0 scope value
//!   \0 metadata JSON \0 memory id \0 flags \0 ingestion id \0 ingestion id ...
//!
//! flags: bit 0 asks the batch to fail fast, bit 1 puts a NULL request in
//! it; the rest is wait_all's max_in_flight.
//!
//! Every call goes to a loopback port where nothing listens, once, so it
//! fails at once without leaving the machine: the property is that each
//! fails with INVALID_ARGUMENT (refused here) or NETWORK (sent), never
//! anything else, leaves its out pointer NULL, and leaks nothing.
#![no_main]

use std::ffi::{CString, c_char};
use std::ptr;

use libfuzzer_sys::fuzz_target;
use synap::ffi::*;

mod common;
use common::{check, decimal, refused_url};

/// The ingestion ids wait_all gets at most: enough for its bookkeeping,
/// few enough to keep each input quick.
const MAX_IDS: usize = 8;

fuzz_target!(|data: &[u8]| {
    let fields: Vec<CString> = data.split(|&b| b == 0).map(|f| CString::new(f).expect("split on NUL")).collect();
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    let number = |i: usize| fields.get(i).map(|f| f.as_bytes().iter().fold(0u64, decimal));
    let flags = number(12).unwrap_or(0);

    // SAFETY: every pointer is NULL or a live NUL-terminated string or handle
    // made here, and each handle is freed exactly once.
    unsafe {
        let request = synap_create_request_new();
        assert!(!request.is_null());
        let setters: [(usize, unsafe extern "C" fn(*mut SynapCreateRequest, *const c_char) -> SynapCode); 8] = [
            (0, synap_create_request_set_document_text),
            (1, synap_create_request_set_document_json),
            (2, synap_create_request_set_document_type),
            (3, synap_create_request_set_mode),
            (4, synap_create_request_set_document_id),
            (6, synap_create_request_set_user_id),
            (7, synap_create_request_set_customer_id),
            (10, synap_create_request_set_metadata_json),
        ];
        for (field, setter) in setters {
            if field < fields.len() {
                check(setter(request, text(field)));
            }
        }
        if fields.len() > 8 {
            check(synap_create_request_add_scope(request, text(8), text(9)));
        }
        if let Some(us) = number(5) {
            check(synap_create_request_set_document_created_at_us(request, us as i64));
        }

        let client = client();
        let mut ingestion: *mut SynapIngestion = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_memories_create(client, request, &mut ingestion));
        assert!(ingestion.is_null(), "out_ingestion set on failure");

        let requests = [request.cast_const(), if flags & 2 == 0 { request.cast_const() } else { ptr::null() }];
        let mut batch: *mut SynapBatch = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_memories_batch_create(
            client,
            requests.as_ptr(),
            requests.len(),
            flags & 1 == 1,
            &mut batch,
        ));
        assert!(batch.is_null(), "out_batch set on failure");
        synap_create_request_free(request);

        let mut memory: *mut SynapMemory = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_memories_get(client, text(11), &mut memory));
        assert!(memory.is_null(), "out_memory set on failure");
        let mut identity: *mut SynapIdentity = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_client_whoami(client, &mut identity));
        assert!(identity.is_null(), "out_identity set on failure");

        let ids: Vec<_> = (13..fields.len().min(13 + MAX_IDS)).map(text).collect();
        let max_in_flight = (flags >> 2) as u32;
        let mut results: *mut SynapWaitAllResults = ptr::dangling_mut();
        let code = check(synap_memories_wait_all(
            client,
            ids.as_ptr(),
            ids.len(),
            5_000,
            10,
            max_in_flight,
            None,
            ptr::null_mut(),
            ptr::null(),
            &mut results,
        ));
        if code == SynapCode::SYNAP_OK {
            assert_eq!(synap_wait_all_count(results), ids.len());
            for index in 0..ids.len() {
                let code = synap_wait_all_code(results, index);
                assert!(
                    matches!(code, SynapCode::SYNAP_INVALID_ARGUMENT | SynapCode::SYNAP_NETWORK),
                    "job {index}: {code:?}"
                );
                assert!(synap_wait_all_status(results, index).is_null(), "no status from a refused port");
                assert!(!synap_wait_all_error_message(results, index).is_null(), "job {index} says why");
            }
        } else {
            assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT);
            assert!(results.is_null(), "out_results set on failure");
        }
        synap_wait_all_free(results);
        synap_client_free(client);
    }
});

/// A client of the refusing port, trying each call once.
unsafe fn client() -> *mut SynapClient {
    // SAFETY: the options handle is made, used and freed here.
    unsafe {
        let options = synap_options_new();
        assert_eq!(check(synap_options_set_base_url(options, refused_url().as_ptr())), SynapCode::SYNAP_OK);
        assert_eq!(check(synap_options_set_proxy(options, c"".as_ptr())), SynapCode::SYNAP_OK);
        assert_eq!(check(synap_options_set_max_attempts(options, 1)), SynapCode::SYNAP_OK);
        let mut client: *mut SynapClient = ptr::null_mut();
        assert_eq!(check(synap_client_new(c"synap_fuzz_key".as_ptr(), options, &mut client)), SynapCode::SYNAP_OK);
        synap_options_free(options);
        client
    }
}

/// A call to the refusing port is refused before sending or fails sending.
fn fails_here_or_on_the_wire(code: SynapCode) {
    let code = check(code);
    assert!(matches!(code, SynapCode::SYNAP_INVALID_ARGUMENT | SynapCode::SYNAP_NETWORK), "{code:?}");
}
