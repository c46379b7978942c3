//! The memory lifecycle, data deletion and credits entry points (the
//! update, forget, upload, deletion, ledger and estimate builders; update,
//! delete, forget, upload, data delete, deletion status and wait, balance,
//! ledger, estimate, redeem; the accessors on NULL) fed arbitrary strings
//! and numbers, as a C caller could pass them.
//!
//! The input is split on NUL into the fields below; a missing field is a
//! NULL string or an unset value. Numbers are read as in c_api.
//!
//!   memory id \0 update text \0 update JSON \0 merge strategy
//!   \0 document type \0 metadata JSON \0 description \0 user id
//!   \0 customer id \0 scope level \0 scope value \0 mode
//!   \0 relationship type \0 file name \0 bytes \0 upload text \0 filename
//!   \0 content type \0 delete scope \0 delete id \0 confirm \0 deletion id
//!   \0 entry type \0 from us \0 to us \0 limit \0 offset \0 metric type
//!   \0 units \0 item count \0 endpoint \0 redeem code \0 flags
//!
//! flags: bit 0 makes the deletion a dry run, bit 1 sets its user id, bit 2
//! waits with NULL options (the defaults), bit 3 reads the ledger with a
//! NULL query; bits 4 and 5 pick the upload's source: the file, the bytes,
//! the text, or no bytes at a NULL pointer.
//!
//! The file name is looked up in this crate's fuzz_targets directory, with
//! each `/` made `_`, so that an upload only ever opens a source file of
//! these targets, that directory, its parent, or nothing: never a device
//! or a pipe that could block.
//!
//! The numbers go to their setters as they are, and each must accept
//! exactly the values in its range: a scope of 0 to 2, a time in years 1
//! to 9999, a limit of 1 to 500, units (the number's bits as a double)
//! finite and not negative.
//!
//! Every call goes to a loopback port where nothing listens, once, so it
//! fails at once without leaving the machine: the property is that each
//! fails with INVALID_ARGUMENT (refused here) or NETWORK (sent), an upload
//! also with FILE, never anything else, leaves its out pointer NULL (an
//! estimate its double unchanged), and leaks nothing.
#![no_main]

use std::ffi::{CString, OsStr, c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::ptr;

use libfuzzer_sys::fuzz_target;
use synap::ffi::*;

mod common;
use common::{check, client, decimal, fails_here_or_on_the_wire};

/// The first and the last microsecond of years 1 to 9999.
const TIMES: std::ops::RangeInclusive<i64> = -62_135_596_800_000_000..=253_402_300_799_999_999;
/// The ledger's page sizes.
const LIMITS: std::ops::RangeInclusive<u32> = 1..=500;
/// Every `SynapDeleteScope`.
const SCOPES: std::ops::RangeInclusive<c_int> = 0..=2;

/// A request setter taking a string, of each request type.
type UpdateSetter = unsafe extern "C" fn(*mut SynapUpdateRequest, *const c_char) -> SynapCode;
type ForgetSetter = unsafe extern "C" fn(*mut SynapForgetRequest, *const c_char) -> SynapCode;
type UploadSetter = unsafe extern "C" fn(*mut SynapUploadRequest, *const c_char) -> SynapCode;
type EstimateSetter = unsafe extern "C" fn(*mut SynapEstimateRequest, *const c_char) -> SynapCode;

fuzz_target!(|data: &[u8]| {
    let fields: Vec<CString> = data.split(|&b| b == 0).map(|f| CString::new(f).expect("split on NUL")).collect();
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    let number = |i: usize| fields.get(i).map(|f| f.as_bytes().iter().fold(0u64, decimal));
    let given = |i: usize| i < fields.len();
    let flags = number(32).unwrap_or(0);

    // SAFETY: every pointer is NULL or a live NUL-terminated string or handle
    // made here, and each handle is freed exactly once.
    unsafe {
        let client = client();

        let update = synap_update_request_new();
        assert!(!update.is_null());
        let setters: [(usize, UpdateSetter); 5] = [
            (1, synap_update_request_set_document_text),
            (2, synap_update_request_set_document_json),
            (3, synap_update_request_set_merge_strategy),
            (4, synap_update_request_set_document_type),
            (5, synap_update_request_set_metadata_json),
        ];
        for (field, setter) in setters {
            assert_eq!(check(setter(ptr::null_mut(), text(field))), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL request");
            if given(field) {
                either(setter(update, text(field)));
            }
        }
        let mut memory: *mut SynapMemory = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_memories_update(client, text(0), update, &mut memory));
        assert!(memory.is_null(), "out_memory set on failure");
        synap_update_request_free(update);
        let mut deleted: *mut SynapDeletedMemory = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_memories_delete(client, text(0), &mut deleted));
        assert!(deleted.is_null(), "out_deleted set on failure");

        let forget = synap_forget_request_new();
        assert!(!forget.is_null());
        let setters: [(usize, ForgetSetter); 4] = [
            (6, synap_forget_request_set_description),
            (7, synap_forget_request_set_user_id),
            (8, synap_forget_request_set_customer_id),
            (11, synap_forget_request_set_mode),
        ];
        for (field, setter) in setters {
            assert_eq!(check(setter(ptr::null_mut(), text(field))), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL request");
            if given(field) {
                either(setter(forget, text(field)));
            }
        }
        if given(9) {
            either(synap_forget_request_add_scope_level(forget, text(9), text(10)));
        }
        let mut forgotten: *mut SynapForgetResult = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_memories_forget(client, forget, &mut forgotten));
        assert!(forgotten.is_null(), "out_result set on failure");
        synap_forget_request_free(forget);

        upload(client, &fields, flags);
        data_delete(client, &fields, flags);
        credits(client, &fields, flags);
        synap_client_free(client);

        null_handles(number(25).unwrap_or(0) as usize);
    }
});

/// Builds an upload from the fields and sends it.
unsafe fn upload(client: *const SynapClient, fields: &[CString], flags: u64) {
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    // SAFETY: as in the target.
    unsafe {
        let request = synap_upload_request_new();
        assert!(!request.is_null());
        let setters: [(usize, UploadSetter); 8] = [
            (7, synap_upload_request_set_user_id),
            (8, synap_upload_request_set_customer_id),
            (12, synap_upload_request_set_relationship_type),
            (11, synap_upload_request_set_mode),
            (4, synap_upload_request_set_document_type),
            (5, synap_upload_request_set_metadata_json),
            (16, synap_upload_request_set_filename),
            (17, synap_upload_request_set_content_type),
        ];
        for (field, setter) in setters {
            assert_eq!(check(setter(ptr::null_mut(), text(field))), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL request");
            if field < fields.len() {
                either(setter(request, text(field)));
            }
        }
        if fields.len() > 9 {
            either(synap_upload_request_add_scope_level(request, text(9), text(10)));
        }
        let code = match (flags >> 4) & 3 {
            0 => {
                let name: Vec<u8> = fields
                    .get(13)
                    .map_or(&[][..], |f| f.as_bytes())
                    .iter()
                    .map(|&b| if b == b'/' { b'_' } else { b })
                    .collect();
                let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz_targets").join(OsStr::from_bytes(&name));
                let path = CString::new(path.as_os_str().as_bytes()).expect("no NUL in a path made of NUL-free parts");
                synap_upload_request_set_file(request, path.as_ptr())
            }
            1 => {
                let bytes = fields.get(14).map_or(&[][..], |f| f.as_bytes());
                synap_upload_request_set_bytes(request, bytes.as_ptr(), bytes.len())
            }
            2 => synap_upload_request_set_text(request, text(15)),
            _ => synap_upload_request_set_bytes(request, ptr::null(), 0),
        };
        either(code);
        let code = check(synap_upload_request_set_bytes(request, ptr::null(), 1));
        assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT, "bytes at NULL");
        let mut ingestion: *mut SynapIngestion = ptr::dangling_mut();
        let code = check(synap_memories_upload(client, request, &mut ingestion));
        assert!(
            matches!(code, SynapCode::SYNAP_INVALID_ARGUMENT | SynapCode::SYNAP_FILE | SynapCode::SYNAP_NETWORK),
            "{code:?}"
        );
        assert!(ingestion.is_null(), "out_ingestion set on failure");
        synap_upload_request_free(request);
    }
}

/// Builds a data deletion from the fields, sends it, reads and waits for a
/// deletion.
unsafe fn data_delete(client: *const SynapClient, fields: &[CString], flags: u64) {
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    let scope = fields.get(18).map_or(0, |f| f.as_bytes().iter().fold(0u64, decimal)) as c_int;
    // SAFETY: as in the target.
    unsafe {
        let mut request: *mut SynapDataDeleteRequest = ptr::dangling_mut();
        let code = check(synap_data_delete_request_new(scope, text(19), &mut request));
        assert!(code == SynapCode::SYNAP_INVALID_ARGUMENT || SCOPES.contains(&scope), "scope {scope}");
        either(code);
        if code == SynapCode::SYNAP_OK {
            either(synap_data_delete_request_set_customer_id(request, text(8)));
            if flags & 2 != 0 {
                either(synap_data_delete_request_set_user_id(request, text(7)));
            }
            if fields.len() > 20 {
                either(synap_data_delete_request_set_confirm(request, text(20)));
            }
            let code = check(synap_data_delete_request_set_dry_run(request, flags & 1 != 0));
            assert_eq!(code, SynapCode::SYNAP_OK);
        } else {
            assert!(request.is_null(), "out_request set on failure");
        }
        let mut deletion: *mut SynapDataDeletion = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_data_delete(client, request, &mut deletion));
        assert!(deletion.is_null(), "out_deletion set on failure");
        synap_data_delete_request_free(request);
        assert_eq!(
            check(synap_data_delete_request_set_dry_run(ptr::null_mut(), true)),
            SynapCode::SYNAP_INVALID_ARGUMENT
        );

        let blank = fields.get(21).is_none_or(|f| f.as_bytes().trim_ascii().is_empty());
        let mut deletion: *mut SynapDataDeletion = ptr::dangling_mut();
        let code = check(synap_data_deletion_status(client, text(21), &mut deletion));
        assert!(!blank || code == SynapCode::SYNAP_INVALID_ARGUMENT, "a blank deletion id is refused");
        fails_here_or_on_the_wire(code);
        assert!(deletion.is_null(), "out_deletion set on failure");
        let how = synap_wait_options_new();
        assert!(!how.is_null());
        let options = if flags & 4 != 0 { ptr::null() } else { how.cast_const() };
        let mut deletion: *mut SynapDataDeletion = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_data_deletion_wait(client, text(21), options, &mut deletion));
        assert!(deletion.is_null(), "out_deletion set on failure");
        synap_wait_options_free(how);
    }
}

/// The four credits calls, their requests built from the fields.
unsafe fn credits(client: *const SynapClient, fields: &[CString], flags: u64) {
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    let number = |i: usize| fields.get(i).map(|f| f.as_bytes().iter().fold(0u64, decimal));
    // SAFETY: as in the target.
    unsafe {
        let mut balance: *mut SynapCreditBalance = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_credits_balance(client, &mut balance));
        assert!(balance.is_null(), "out_balance set on failure");

        let query = synap_ledger_query_new();
        assert!(!query.is_null());
        if fields.len() > 22 {
            either(synap_ledger_query_set_entry_type(query, text(22)));
        }
        if let Some(us) = number(23).map(|n| n as i64) {
            assert_eq!(check(synap_ledger_query_set_from_us(query, us)), in_range(TIMES.contains(&us)), "{us}");
        }
        if let Some(us) = number(24).map(|n| n as i64) {
            assert_eq!(check(synap_ledger_query_set_to_us(query, us)), in_range(TIMES.contains(&us)), "{us}");
        }
        if let Some(limit) = number(25).map(|n| n as u32) {
            let code = check(synap_ledger_query_set_limit(query, limit));
            assert_eq!(code, in_range(LIMITS.contains(&limit)), "limit {limit}");
        }
        if let Some(offset) = number(26) {
            assert_eq!(check(synap_ledger_query_set_offset(query, offset)), SynapCode::SYNAP_OK);
        }
        assert_eq!(check(synap_ledger_query_set_offset(ptr::null_mut(), 0)), SynapCode::SYNAP_INVALID_ARGUMENT);
        let read = if flags & 8 != 0 { ptr::null() } else { query.cast_const() };
        let mut page: *mut SynapLedgerPage = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_credits_ledger(client, read, &mut page));
        assert!(page.is_null(), "out_page set on failure");
        synap_ledger_query_free(query);

        let estimate = synap_estimate_request_new();
        assert!(!estimate.is_null());
        let setters: [(usize, EstimateSetter); 3] = [
            (27, synap_estimate_request_set_metric_type),
            (30, synap_estimate_request_set_endpoint),
            (11, synap_estimate_request_set_mode),
        ];
        for (field, setter) in setters {
            assert_eq!(check(setter(ptr::null_mut(), text(field))), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL request");
            if field < fields.len() {
                either(setter(estimate, text(field)));
            }
        }
        if let Some(units) = number(28).map(f64::from_bits) {
            let code = check(synap_estimate_request_set_units(estimate, units));
            assert_eq!(code, in_range(units.is_finite() && units >= 0.0), "units {units}");
        }
        if let Some(count) = number(29) {
            assert_eq!(check(synap_estimate_request_set_item_count(estimate, count)), SynapCode::SYNAP_OK);
        }
        let mut credits = -7.0f64;
        fails_here_or_on_the_wire(synap_credits_estimate(client, estimate, &mut credits));
        assert_eq!(credits, -7.0, "out_credits set on failure");
        synap_estimate_request_free(estimate);

        let mut redemption: *mut SynapRedemption = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_credits_redeem(client, text(31), &mut redemption));
        assert!(redemption.is_null(), "out_redemption set on failure");
    }
}

/// Every accessor on NULL gives its documented default, whatever the index.
unsafe fn null_handles(index: usize) {
    // SAFETY: NULL is a valid argument to every accessor and `_free`.
    unsafe {
        let (mut d, mut n) = (-7.0f64, -7i64);
        assert!(synap_deleted_memory_id(ptr::null()).is_null());
        assert!(!synap_deleted_memory_deleted_at_us(ptr::null(), &mut n));
        assert_eq!(synap_forget_result_outcome(ptr::null()), SynapForgetOutcome::SYNAP_FORGET_UNKNOWN);
        assert!(synap_forget_result_status(ptr::null()).is_null());
        assert!(synap_forget_result_candidate_memory_id(ptr::null(), index).is_null());
        assert!(synap_forget_result_candidate_content(ptr::null(), index).is_null());
        assert!(synap_forget_result_deleted_id(ptr::null(), index).is_null());
        assert!(synap_forget_result_still_present_in(ptr::null(), index).is_null());
        assert!(!synap_forget_result_may_be_incomplete(ptr::null()));
        assert_eq!(synap_data_deletion_state(ptr::null()), SynapDeletionState::SYNAP_DELETION_UNKNOWN);
        assert!(synap_data_deletion_id(ptr::null()).is_null());
        assert!(synap_data_deletion_count_store(ptr::null(), index).is_null());
        assert!(!synap_data_deletion_count_value(ptr::null(), index, &mut n));
        assert!(!synap_data_deletion_count_of(ptr::null(), c"memories".as_ptr(), &mut n));
        assert!(synap_data_deletion_still_present_in(ptr::null(), index).is_null());
        assert!(synap_data_deletion_kept(ptr::null(), index).is_null());
        assert!(synap_data_deletion_json(ptr::null()).is_null());
        assert!(synap_wait_progress_deletion(ptr::null()).is_null());
        assert_eq!(synap_credit_balance_credits(ptr::null()), 0.0);
        assert!(synap_credit_balance_bucket_source_type(ptr::null(), index).is_null());
        assert!(!synap_credit_balance_bucket_credits(ptr::null(), index, &mut d));
        assert!(!synap_credit_balance_bucket_expires_at_us(ptr::null(), index, &mut n));
        assert_eq!(synap_ledger_page_count(ptr::null()), 0);
        assert!(synap_ledger_page_entry_id(ptr::null(), index).is_null());
        assert!(!synap_ledger_page_entry_delta(ptr::null(), index, &mut d));
        assert!(!synap_ledger_page_entry_created_at_us(ptr::null(), index, &mut n));
        assert!(synap_redemption_id(ptr::null()).is_null());
        assert!(!synap_redemption_new_balance(ptr::null(), &mut d));
        assert_eq!((d, n), (-7.0, -7), "out values left alone");
        synap_update_request_free(ptr::null_mut());
        synap_deleted_memory_free(ptr::null_mut());
        synap_forget_request_free(ptr::null_mut());
        synap_forget_result_free(ptr::null_mut());
        synap_upload_request_free(ptr::null_mut());
        synap_data_delete_request_free(ptr::null_mut());
        synap_data_deletion_free(ptr::null_mut());
        synap_credit_balance_free(ptr::null_mut());
        synap_ledger_query_free(ptr::null_mut());
        synap_ledger_page_free(ptr::null_mut());
        synap_estimate_request_free(ptr::null_mut());
        synap_redemption_free(ptr::null_mut());
    }
}

/// A setter's answer: the value taken or refused, nothing else.
fn either(code: SynapCode) {
    let code = check(code);
    assert!(matches!(code, SynapCode::SYNAP_OK | SynapCode::SYNAP_INVALID_ARGUMENT), "{code:?}");
}

/// What a setter with a range must answer.
fn in_range(ok: bool) -> SynapCode {
    if ok { SynapCode::SYNAP_OK } else { SynapCode::SYNAP_INVALID_ARGUMENT }
}
