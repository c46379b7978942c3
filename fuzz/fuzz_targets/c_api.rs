//! The C entry points fed arbitrary strings and numbers, as a C caller
//! could pass them.
//!
//! The input is split on NUL into the fields below; a missing field is a
//! NULL string or an unset option. Numbers are read as decimal, any byte
//! folded in, so every field names some value.
//!
//!   id \0 API key \0 base URL \0 proxy URL \0 connect ms \0 request ms
//!   \0 body cap \0 deadline ms \0 attempts \0 backoff base ms \0 cap ms
//!
//! A client on the fuzzed URLs is only made and freed, which sends nothing.
//! The status call goes to a loopback port where nothing listens, once and
//! directly, so it fails at once without leaving the machine. Every handle
//! made is freed: the leak checker fails the run otherwise.
#![no_main]

use std::ffi::CString;
use std::ptr;

use libfuzzer_sys::fuzz_target;
use synap::ffi::*;

mod common;
use common::{check, decimal, refused_url};

fuzz_target!(|data: &[u8]| {
    let fields: Vec<CString> = data.split(|&b| b == 0).map(|f| CString::new(f).expect("split on NUL")).collect();
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    let number = |i: usize| fields.get(i).map(|f| f.as_bytes().iter().fold(0u64, decimal));
    let (id, key) = (text(0), text(1));

    // SAFETY: every pointer is NULL or a live NUL-terminated string or handle
    // made here, and each handle is freed exactly once.
    unsafe {
        let options = synap_options_new();
        assert!(!options.is_null());
        check(synap_options_set_base_url(options, text(2)));
        check(synap_options_set_proxy(options, text(3)));
        let setters: [unsafe extern "C" fn(*mut SynapOptions, u32) -> SynapCode; 4] = [
            synap_options_set_connect_timeout_ms,
            synap_options_set_request_timeout_ms,
            synap_options_set_deadline_ms,
            synap_options_set_max_attempts,
        ];
        for (field, setter) in [4, 5, 7, 8].into_iter().zip(setters) {
            if let Some(n) = number(field) {
                check(setter(options, n as u32));
            }
        }
        if let Some(bytes) = number(6) {
            check(synap_options_set_max_body_bytes(options, bytes));
        }
        if let (Some(base), Some(cap)) = (number(9), number(10)) {
            check(synap_options_set_retry_backoff_ms(options, base as u32, cap as u32));
        }

        let mut client: *mut SynapClient = ptr::dangling_mut();
        let code = check(synap_client_new(key, options, &mut client));
        assert_eq!(code == SynapCode::SYNAP_OK, !client.is_null(), "out_client set only on success");
        synap_client_free(client);

        // The same key and settings, to a port that refuses, in one attempt.
        assert_eq!(check(synap_options_set_base_url(options, refused_url().as_ptr())), SynapCode::SYNAP_OK);
        assert_eq!(check(synap_options_set_proxy(options, c"".as_ptr())), SynapCode::SYNAP_OK);
        assert_eq!(check(synap_options_set_max_attempts(options, 1)), SynapCode::SYNAP_OK);
        let code = check(synap_client_new(key, options, &mut client));
        synap_options_free(options);
        if code == SynapCode::SYNAP_OK {
            let mut status: *mut SynapMemoryStatus = ptr::dangling_mut();
            let code = check(synap_memories_status(client, id, &mut status));
            assert_ne!(code, SynapCode::SYNAP_OK, "nothing listens at {:?}", refused_url());
            assert!(status.is_null(), "out_status set on failure");
            synap_status_free(status);
        }
        synap_client_free(client);
    }
});
