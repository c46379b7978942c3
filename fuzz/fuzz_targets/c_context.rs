//! The context-retrieval entry points (the context request builder, the
//! fetch, a user's profile, prompt options and a conversation's prompt
//! context, and the accessors on NULL) fed arbitrary strings and numbers,
//! as a C caller could pass them.
//!
//! The input is split on NUL into the fields below; a missing field is a
//! NULL string or an unset value. Numbers are read as in c_api.
//!
//!   scope \0 user id \0 customer id \0 conversation id \0 query \0 query
//!   \0 type \0 type \0 mode \0 precision level \0 response shape
//!   \0 query date \0 max results \0 max results per query \0 scope level
//!   \0 scope value \0 flags \0 second scope \0 list \0 profile user id
//!   \0 profile customer id \0 prompt conversation id \0 prompt style
//!
//! flags: bit 0 turns summary mode on, bit 1 includes the profile there;
//! the rest is its number of conversations. Bit 0 of the list's number
//! also makes the prompt call with NULL options (the defaults).
//!
//! The numbers go to their setters as they are, and each must accept
//! exactly the values in its range: a scope 1 to 4 (and the user's while
//! summary mode is on), max results from 1, any max per query, 0 to 20
//! conversations on the user scope only.
//!
//! Every call goes to a loopback port where nothing listens, once, so it
//! fails at once without leaving the machine: the property is that each
//! fails with INVALID_ARGUMENT (refused here) or NETWORK (sent), never
//! anything else, leaves its out pointer NULL, and leaks nothing.
#![no_main]

use std::ffi::{CString, c_char, c_int};
use std::ptr;

use libfuzzer_sys::fuzz_target;
use synap::ffi::*;

mod common;
use common::{check, client, decimal, fails_here_or_on_the_wire};

/// `SYNAP_SCOPE_USER`.
const USER: c_int = 1;
/// Every `SynapContextScope`.
const SCOPES: std::ops::RangeInclusive<c_int> = 1..=4;
/// The most conversations summary mode may ask for.
const MAX_SUMMARY_CONVERSATIONS: u32 = 20;

/// A request setter taking a string.
type TextSetter = unsafe extern "C" fn(*mut SynapContextRequest, *const c_char) -> SynapCode;

fuzz_target!(|data: &[u8]| {
    let fields: Vec<CString> = data.split(|&b| b == 0).map(|f| CString::new(f).expect("split on NUL")).collect();
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    let number = |i: usize| fields.get(i).map(|f| f.as_bytes().iter().fold(0u64, decimal));
    let flags = number(16).unwrap_or(0);
    let list = number(18).map_or(0, |n| n as c_int);

    // SAFETY: every pointer is NULL or a live NUL-terminated string or handle
    // made here, and each handle is freed exactly once.
    unsafe {
        let fuzzed_scope = number(0).map_or(USER, |n| n as c_int);
        let mut request = synap_context_request_new(fuzzed_scope);
        assert_eq!(request.is_null(), !SCOPES.contains(&fuzzed_scope), "scope {fuzzed_scope}");
        let mut scope = fuzzed_scope;
        if request.is_null() {
            assert!(!synap_last_error_message().is_null(), "a refused scope says why");
            request = synap_context_request_new(USER);
            scope = USER;
        }
        assert!(!request.is_null());

        let setters: [(usize, TextSetter); 11] = [
            (1, synap_context_request_set_user_id),
            (2, synap_context_request_set_customer_id),
            (3, synap_context_request_set_conversation_id),
            (4, synap_context_request_add_query),
            (5, synap_context_request_add_query),
            (6, synap_context_request_add_type),
            (7, synap_context_request_add_type),
            (8, synap_context_request_set_mode),
            (9, synap_context_request_set_precision_level),
            (10, synap_context_request_set_response_shape),
            (11, synap_context_request_set_query_date),
        ];
        for (field, setter) in setters {
            assert_eq!(check(setter(ptr::null_mut(), text(field))), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL request");
            if field < fields.len() {
                let code = check(setter(request, text(field)));
                assert!(matches!(code, SynapCode::SYNAP_OK | SynapCode::SYNAP_INVALID_ARGUMENT), "{code:?}");
            }
        }
        if let Some(n) = number(12) {
            let expected = if n as u32 > 0 { SynapCode::SYNAP_OK } else { SynapCode::SYNAP_INVALID_ARGUMENT };
            assert_eq!(check(synap_context_request_set_max_results(request, n as u32)), expected, "max {n}");
        }
        if let Some(n) = number(13) {
            assert_eq!(check(synap_context_request_set_max_results_per_query(request, n as u32)), SynapCode::SYNAP_OK);
        }
        if fields.len() > 14 {
            let code = check(synap_context_request_add_scope_level(request, text(14), text(15)));
            assert!(matches!(code, SynapCode::SYNAP_OK | SynapCode::SYNAP_INVALID_ARGUMENT), "{code:?}");
        }
        let mut summary = false;
        if flags & 1 != 0 {
            let last_n = (flags >> 2) as u32;
            let fits = scope == USER && last_n <= MAX_SUMMARY_CONVERSATIONS;
            let expected = if fits { SynapCode::SYNAP_OK } else { SynapCode::SYNAP_INVALID_ARGUMENT };
            let code = check(synap_context_request_set_summary_mode(request, flags & 2 != 0, last_n));
            assert_eq!(code, expected, "summary mode on scope {scope}, {last_n} conversations");
            summary = fits;
        }
        if let Some(n) = number(17) {
            let next = n as c_int;
            let fits = SCOPES.contains(&next) && (!summary || next == USER);
            let expected = if fits { SynapCode::SYNAP_OK } else { SynapCode::SYNAP_INVALID_ARGUMENT };
            assert_eq!(check(synap_context_request_set_scope(request, next)), expected, "scope {next}");
        }
        assert_eq!(check(synap_context_request_set_scope(ptr::null_mut(), USER)), SynapCode::SYNAP_INVALID_ARGUMENT);
        assert_eq!(check(synap_context_request_set_max_results(ptr::null_mut(), 1)), SynapCode::SYNAP_INVALID_ARGUMENT);
        let code = check(synap_context_request_set_summary_mode(ptr::null_mut(), true, 1));
        assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT);

        let client = client();
        let mut context: *mut SynapContext = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_context_fetch(client, request, &mut context));
        assert!(context.is_null(), "out_context set on failure");
        let mut context: *mut SynapContext = ptr::dangling_mut();
        assert_eq!(check(synap_context_fetch(client, ptr::null(), &mut context)), SynapCode::SYNAP_INVALID_ARGUMENT);
        assert!(context.is_null(), "out_context set on failure");
        assert_eq!(check(synap_context_request_clear_queries(request)), SynapCode::SYNAP_OK);
        // No query: a user fetch asks for the profile first, a conversation
        // fetch for the prompt context; both fail the same ways.
        let mut context: *mut SynapContext = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_context_fetch(client, request, &mut context));
        assert!(context.is_null(), "out_context set on failure");
        synap_context_request_free(request);

        let mut profile: *mut SynapProfile = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_user_profile(client, text(19), text(20), &mut profile));
        assert!(profile.is_null(), "out_profile set on failure");

        let options = synap_prompt_options_new();
        assert!(!options.is_null());
        if fields.len() > 22 {
            let code = check(synap_prompt_options_set_style(options, text(22)));
            assert!(matches!(code, SynapCode::SYNAP_OK | SynapCode::SYNAP_INVALID_ARGUMENT), "{code:?}");
        }
        let how = if list & 1 == 0 { options.cast_const() } else { ptr::null() };
        let mut prompt: *mut SynapPromptContext = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_conversation_prompt_context(client, text(21), how, &mut prompt));
        assert!(prompt.is_null(), "out_prompt set on failure");
        synap_prompt_options_free(options);
        synap_client_free(client);

        null_handles(list, number(12).unwrap_or(0) as usize);
    }
});

/// Every accessor on NULL gives its documented default, whatever the list
/// and index.
unsafe fn null_handles(list: c_int, index: usize) {
    // SAFETY: NULL is a valid argument to every accessor and `_free`.
    unsafe {
        let (mut d, mut n) = (-7.0f64, -7i64);
        assert_eq!(synap_context_count(ptr::null(), list), 0);
        assert!(synap_context_item(ptr::null(), list, index).is_null());
        assert!(synap_context_conversation_summary(ptr::null(), index).is_null());
        let item = ptr::null();
        assert!(!synap_context_item_score(item, &mut d) && !synap_context_item_rank(item, &mut n));
        assert!(synap_context_item_text(item).is_null() && synap_context_item_matched_query(item, index).is_null());
        assert!(synap_context_item_source_evidence(item, index).is_null());
        assert!(synap_context_item_participant(item, index).is_null());
        assert!(synap_conversation_context_turn(ptr::null(), index).is_null());
        assert!(synap_retrieval_warning(ptr::null(), index).is_null() && !synap_retrieval_degraded(ptr::null()));
        assert!(synap_profile_attribute_name(ptr::null(), index).is_null());
        assert!(!synap_profile_attribute_confidence(ptr::null(), index, &mut d));
        assert!(!synap_profile_attribute_updated_at_us(ptr::null(), index, &mut n));
        assert!(synap_prompt_context_turn(ptr::null(), index).is_null());
        assert!(synap_turn_role(ptr::null()).is_null() && !synap_turn_timestamp_us(ptr::null(), &mut n));
        assert_eq!((d, n), (-7.0, -7), "out values left alone");
        synap_context_free(ptr::null_mut());
        synap_profile_free(ptr::null_mut());
        synap_prompt_context_free(ptr::null_mut());
        synap_prompt_options_free(ptr::null_mut());
        synap_context_request_free(ptr::null_mut());
    }
}
