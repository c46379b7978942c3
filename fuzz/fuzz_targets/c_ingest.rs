//! The ingestion entry points (create request builder, create, batch
//! create, get, whoami, wait and wait_all with their options) fed arbitrary
//! strings and numbers, as a C caller could pass them.
//!
//! The input is split on NUL into the fields below; a missing field is a
//! NULL string or an unset value. Numbers are read as in c_api.
//!
//!   document text \0 document JSON \0 type \0 mode \0 document id
//!   \0 created-at us \0 user id \0 customer id \0 scope level \0 scope value
//!   \0 metadata JSON \0 memory id \0 flags \0 wait timeout ms
//!   \0 poll interval ms \0 max in flight \0 ingestion id \0 ingestion id ...
//!
//! flags: bit 0 asks the batch to fail fast, bit 1 puts a NULL request in
//! it; bit 2 waits with NULL options (the defaults), bit 3 sets a progress
//! callback, bit 4 has it stop the wait, bit 5 sets a triggered cancel
//! handle; the rest, as an int, is a state to count.
//!
//! The three wait numbers go to the wait-options setters as they are: each
//! must accept exactly the values in its range. A timeout under 5 s is put
//! back to 5 s before waiting, so that no job can time out here.
//!
//! Every call goes to a loopback port where nothing listens, once, so it
//! fails at once without leaving the machine: the property is that each
//! fails with INVALID_ARGUMENT (refused here) or NETWORK (sent), or
//! CANCELLED when the flags stop the wait, never anything else, leaves its
//! out pointer NULL, and leaks nothing.
#![no_main]

use std::ffi::{CString, c_char, c_int, c_void};
use std::ptr;

use libfuzzer_sys::fuzz_target;
use synap::ffi::*;

mod common;
use common::{check, client, decimal, fails_here_or_on_the_wire};

/// The ingestion ids wait_all gets at most: enough for its bookkeeping,
/// few enough to keep each input quick.
const MAX_IDS: usize = 8;

/// The field holding the first ingestion id.
const FIRST_ID: usize = 16;

/// A wait's timeout when the fuzzed one is shorter: long enough that a
/// refused connection always comes first.
const WAIT_TIMEOUT_MS: u32 = 5_000;

/// Every `SynapWaitState`, PENDING to ERROR.
const STATES: std::ops::RangeInclusive<c_int> = 0..=6;
const ERROR_STATE: c_int = 6;

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

        let ids: Vec<_> = (FIRST_ID..fields.len().min(FIRST_ID + MAX_IDS)).map(text).collect();
        let state = (flags >> 6) as u32 as c_int;
        let cancel = synap_cancel_new();
        assert!(!cancel.is_null());
        synap_cancel_trigger(cancel);
        let how = wait_options(number(13), number(14), number(15), flags, cancel);
        let options = if flags & 4 == 0 { how.cast_const() } else { ptr::null() };
        let stops = options == how.cast_const() && (flags & 0x18 == 0x18 || flags & 0x20 != 0);

        // Read by the callback, so only touched through this pointer.
        let watch: *mut Watch =
            Box::into_raw(Box::new(Watch { total: 1, single: true, stop: flags & 0x10 != 0, state }));
        if flags & 8 != 0 {
            assert_eq!(
                check(synap_wait_options_set_progress(how, Some(on_progress), watch.cast())),
                SynapCode::SYNAP_OK
            );
        }
        let mut status: *mut SynapMemoryStatus = ptr::dangling_mut();
        let code = check(synap_memories_wait(client, text(FIRST_ID), options, &mut status));
        // Progress follows a poll that answered, so only a cancel handle stops this one.
        let cancelled = options == how.cast_const() && flags & 0x20 != 0;
        assert!(
            matches!(code, SynapCode::SYNAP_INVALID_ARGUMENT | SynapCode::SYNAP_NETWORK)
                || (cancelled && code == SynapCode::SYNAP_CANCELLED),
            "wait: {code:?}"
        );
        assert!(status.is_null(), "out_status set on failure");

        (*watch).total = ids.len();
        (*watch).single = false;
        let mut results: *mut SynapWaitAllResults = ptr::dangling_mut();
        let code = check(synap_memories_wait_all(client, ids.as_ptr(), ids.len(), options, &mut results));
        if code == SynapCode::SYNAP_OK {
            assert_eq!(synap_wait_all_count(results), ids.len());
            for index in 0..ids.len() {
                let code = synap_wait_all_code(results, index);
                assert!(
                    matches!(code, SynapCode::SYNAP_INVALID_ARGUMENT | SynapCode::SYNAP_NETWORK)
                        || (stops && code == SynapCode::SYNAP_CANCELLED),
                    "job {index}: {code:?}"
                );
                assert!(synap_wait_all_status(results, index).is_null(), "no status from a refused port");
                assert!(!synap_wait_all_error_message(results, index).is_null(), "job {index} says why");
            }
            // No job answered, so every one ended in an error.
            for s in STATES {
                let expected = if s == ERROR_STATE { ids.len() } else { 0 };
                assert_eq!(synap_wait_all_count_in(results, s), expected, "state {s}");
            }
            let expected = if state == ERROR_STATE { ids.len() } else { 0 };
            assert_eq!(synap_wait_all_count_in(results, state), expected, "state {state}");
        } else {
            assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT);
            assert!(results.is_null(), "out_results set on failure");
        }
        assert_eq!(synap_wait_all_count_in(ptr::null(), state), 0);
        synap_wait_all_free(results);
        synap_wait_options_free(how);
        synap_cancel_free(cancel);
        drop(Box::from_raw(watch));
        synap_client_free(client);
    }
});

/// A wait-options setter taking a number.
type WaitSetter = unsafe extern "C" fn(*mut SynapWaitOptions, u32) -> SynapCode;

/// Wait options made from the fuzzed numbers: each setter accepts exactly
/// the values in its range and refuses the rest, also on NULL options.
unsafe fn wait_options(
    timeout: Option<u64>,
    interval: Option<u64>,
    in_flight: Option<u64>,
    flags: u64,
    cancel: *const SynapCancel,
) -> *mut SynapWaitOptions {
    // SAFETY: the options handle is made here; `cancel` is live.
    unsafe {
        let how = synap_wait_options_new();
        assert!(!how.is_null());
        assert_eq!(check(synap_wait_options_set_timeout_ms(how, WAIT_TIMEOUT_MS)), SynapCode::SYNAP_OK);
        let setters: [(Option<u64>, WaitSetter, u32, u32); 3] = [
            (timeout, synap_wait_options_set_timeout_ms, 1, u32::MAX),
            (interval, synap_wait_options_set_poll_interval_ms, 1, u32::MAX),
            (in_flight, synap_wait_options_set_max_in_flight, 1, 64),
        ];
        for (value, setter, low, high) in setters {
            let Some(value) = value else { continue };
            let value = value as u32;
            assert_eq!(check(setter(ptr::null_mut(), value)), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL options");
            let expected =
                if (low..=high).contains(&value) { SynapCode::SYNAP_OK } else { SynapCode::SYNAP_INVALID_ARGUMENT };
            assert_eq!(check(setter(how, value)), expected, "{value}");
        }
        if timeout.is_some_and(|t| (t as u32) < WAIT_TIMEOUT_MS) {
            assert_eq!(check(synap_wait_options_set_timeout_ms(how, WAIT_TIMEOUT_MS)), SynapCode::SYNAP_OK);
        }
        let progress = synap_wait_options_set_progress(ptr::null_mut(), Some(on_progress), ptr::null_mut());
        assert_eq!(check(progress), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL options");
        assert_eq!(check(synap_wait_options_set_progress(how, None, ptr::null_mut())), SynapCode::SYNAP_OK);
        let with_cancel = synap_wait_options_set_cancel(ptr::null_mut(), cancel);
        assert_eq!(check(with_cancel), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL options");
        let cancel = if flags & 0x20 == 0 { ptr::null() } else { cancel };
        assert_eq!(check(synap_wait_options_set_cancel(how, cancel)), SynapCode::SYNAP_OK);
        how
    }
}

/// What a progress report must show, and whether to stop there.
struct Watch {
    total: usize,
    single: bool,
    stop: bool,
    state: c_int,
}

/// Checks a progress report: every job counted once, in a known state, and
/// the polled status lent for a single wait only.
unsafe extern "C" fn on_progress(progress: *const SynapWaitProgress, user_data: *mut c_void) -> bool {
    // SAFETY: `user_data` is the `Watch` the wait was set up with, and
    // `progress` is lent for this call.
    unsafe {
        let watch = &*user_data.cast::<Watch>();
        assert_eq!(synap_wait_progress_total(progress), watch.total);
        let sum: usize = STATES.map(|s| synap_wait_progress_count(progress, s)).sum();
        assert_eq!(sum, watch.total, "every job in one state");
        if !STATES.contains(&watch.state) {
            assert_eq!(synap_wait_progress_count(progress, watch.state), 0, "state {}", watch.state);
        }
        assert_eq!(synap_wait_progress_status(progress).is_null(), !watch.single);
        assert_eq!(synap_wait_progress_total(ptr::null()), 0);
        assert_eq!(synap_wait_progress_count(ptr::null(), watch.state), 0);
        assert!(synap_wait_progress_status(ptr::null()).is_null());
        !watch.stop
    }
}
