//! The conversation entry points (the message, transcript, compact and
//! compacted builders; record, batch record, ingest, list, compact, read
//! the compacted state and the compaction status; the accessors on NULL)
//! fed arbitrary strings and numbers, as a C caller could pass them.
//!
//! The input is split on NUL into the fields below; a missing field is a
//! NULL string or an unset value. Numbers are read as in c_api.
//!
//!   conversation id \0 role \0 content \0 user id \0 customer id
//!   \0 session id \0 metadata JSON \0 scope level \0 scope value
//!   \0 agent model \0 context window \0 transcript conversation id
//!   \0 transcript user id \0 transcript customer id \0 transcript text
//!   \0 turn role \0 turn content \0 speaker \0 turn time us \0 type
//!   \0 analysis JSON \0 transcript metadata JSON \0 started at us
//!   \0 ended at us \0 list start \0 list limit \0 strategy
//!   \0 target tokens \0 format \0 version \0 flags
//!
//! flags: bit 0 forces the compaction, bit 1 compacts with NULL options
//! and bit 2 reads with NULL options (the defaults), bit 3 puts a NULL
//! request in the batch, bit 4 adds the turn untimed.
//!
//! The numbers go to their setters as they are, and each must accept
//! exactly the values in its range: any context window and target tokens,
//! any version, a time in years 1 to 9999 (and a turn's with a known role,
//! text and speaker). A listing with start 0 or a limit outside 1 to 500
//! is refused before any request.
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
use common::{check, client, decimal, fails_here_or_on_the_wire};

/// The first and the last microsecond of years 1 to 9999.
const TIMES: std::ops::RangeInclusive<i64> = -62_135_596_800_000_000..=253_402_300_799_999_999;
/// The longest page of messages.
const MAX_LIMIT: u32 = 500;

/// A message request setter taking a string.
type MessageSetter = unsafe extern "C" fn(*mut SynapMessageRequest, *const c_char) -> SynapCode;
/// A transcript request setter taking a string.
type TranscriptSetter = unsafe extern "C" fn(*mut SynapTranscriptRequest, *const c_char) -> SynapCode;

fuzz_target!(|data: &[u8]| {
    let fields: Vec<CString> = data.split(|&b| b == 0).map(|f| CString::new(f).expect("split on NUL")).collect();
    let text = |i: usize| fields.get(i).map_or(ptr::null(), |f| f.as_ptr());
    let number = |i: usize| fields.get(i).map(|f| f.as_bytes().iter().fold(0u64, decimal));
    let flags = number(30).unwrap_or(0);

    // SAFETY: every pointer is NULL or a live NUL-terminated string or handle
    // made here, and each handle is freed exactly once.
    unsafe {
        let client = client();

        let message = synap_message_request_new();
        assert!(!message.is_null());
        let setters: [(usize, MessageSetter); 8] = [
            (0, synap_message_request_set_conversation_id),
            (1, synap_message_request_set_role),
            (2, synap_message_request_set_content),
            (3, synap_message_request_set_user_id),
            (4, synap_message_request_set_customer_id),
            (5, synap_message_request_set_session_id),
            (6, synap_message_request_set_metadata_json),
            (9, synap_message_request_set_agent_model),
        ];
        for (field, setter) in setters {
            assert_eq!(check(setter(ptr::null_mut(), text(field))), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL request");
            if field < fields.len() {
                either(setter(message, text(field)));
            }
        }
        if fields.len() > 7 {
            either(synap_message_request_add_scope_level(message, text(7), text(8)));
        }
        if let Some(n) = number(10) {
            assert_eq!(check(synap_message_request_set_agent_context_window(message, n as u32)), SynapCode::SYNAP_OK);
        }
        let code = check(synap_message_request_set_agent_context_window(ptr::null_mut(), 1));
        assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT);

        let mut recorded: *mut SynapRecordedMessage = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_conversation_record_message(client, message, &mut recorded));
        assert!(recorded.is_null(), "out_message set on failure");
        let batch_of: [*const SynapMessageRequest; 2] =
            [message, if flags & 8 != 0 { ptr::null() } else { message.cast_const() }];
        let mut batch: *mut SynapMessageBatch = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_conversation_record_messages(client, batch_of.as_ptr(), 2, &mut batch));
        assert!(batch.is_null(), "out_batch set on failure");
        let code = check(synap_conversation_record_messages(client, batch_of.as_ptr(), 0, &mut batch));
        assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT, "an empty batch");
        synap_message_request_free(message);

        let transcript = synap_transcript_request_new();
        assert!(!transcript.is_null());
        let setters: [(usize, TranscriptSetter); 7] = [
            (11, synap_transcript_request_set_conversation_id),
            (12, synap_transcript_request_set_user_id),
            (13, synap_transcript_request_set_customer_id),
            (14, synap_transcript_request_set_text),
            (19, synap_transcript_request_set_conversation_type),
            (20, synap_transcript_request_set_analysis_json),
            (21, synap_transcript_request_set_metadata_json),
        ];
        for (field, setter) in setters {
            assert_eq!(check(setter(ptr::null_mut(), text(field))), SynapCode::SYNAP_INVALID_ARGUMENT, "NULL request");
            if field < fields.len() {
                either(setter(transcript, text(field)));
            }
        }
        if fields.len() > 15 {
            let turn = if flags & 16 != 0 {
                synap_transcript_request_add_turn(transcript, text(15), text(16), text(17))
            } else {
                let us = number(18).unwrap_or(0) as i64;
                let code = check(synap_transcript_request_add_timed_turn(transcript, text(15), text(16), text(17), us));
                assert!(code == SynapCode::SYNAP_INVALID_ARGUMENT || TIMES.contains(&us), "a turn at {us} us");
                code
            };
            either(turn);
        }
        if let Some(us) = number(22).map(|n| n as i64) {
            assert_eq!(check(synap_transcript_request_set_started_at_us(transcript, us)), in_range(us), "{us}");
        }
        if let Some(us) = number(23).map(|n| n as i64) {
            assert_eq!(check(synap_transcript_request_set_ended_at_us(transcript, us)), in_range(us), "{us}");
        }
        if fields.len() > 7 {
            either(synap_transcript_request_add_scope_level(transcript, text(7), text(8)));
        }
        let code = check(synap_transcript_request_set_started_at_us(ptr::null_mut(), 0));
        assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT);
        let mut ingestion: *mut SynapTranscriptIngestion = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_conversation_ingest(client, transcript, &mut ingestion));
        assert!(ingestion.is_null(), "out_ingestion set on failure");
        synap_transcript_request_free(transcript);

        // The listing: start from 1, a limit of 1 to 500, else refused here.
        let start = number(24).map_or(1, |n| n as u32);
        let limit = number(25).map_or(MAX_LIMIT, |n| n as u32);
        let mut page: *mut SynapMessagePage = ptr::dangling_mut();
        let code = check(synap_conversation_messages(client, text(0), start, limit, &mut page));
        assert!(page.is_null(), "out_page set on failure");
        if start == 0 || !(1..=MAX_LIMIT).contains(&limit) {
            assert_eq!(code, SynapCode::SYNAP_INVALID_ARGUMENT, "start {start}, limit {limit}");
        } else {
            fails_here_or_on_the_wire(code);
        }

        let how = synap_compact_options_new();
        assert!(!how.is_null());
        if fields.len() > 26 {
            either(synap_compact_options_set_strategy(how, text(26)));
        }
        if let Some(n) = number(27) {
            assert_eq!(check(synap_compact_options_set_target_tokens(how, n as u32)), SynapCode::SYNAP_OK);
        }
        assert_eq!(check(synap_compact_options_set_force(how, flags & 1 != 0)), SynapCode::SYNAP_OK);
        assert_eq!(check(synap_compact_options_set_force(ptr::null_mut(), true)), SynapCode::SYNAP_INVALID_ARGUMENT);
        let options = if flags & 2 != 0 { ptr::null() } else { how.cast_const() };
        let mut compaction: *mut SynapCompaction = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_conversation_compact(client, text(0), options, &mut compaction));
        assert!(compaction.is_null(), "out_compaction set on failure");
        synap_compact_options_free(how);

        let read = synap_compacted_options_new();
        assert!(!read.is_null());
        if fields.len() > 28 {
            either(synap_compacted_options_set_format(read, text(28)));
        }
        if let Some(n) = number(29) {
            assert_eq!(check(synap_compacted_options_set_version(read, n as u32)), SynapCode::SYNAP_OK);
        }
        let options = if flags & 4 != 0 { ptr::null() } else { read.cast_const() };
        let mut compacted: *mut SynapCompacted = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_conversation_compacted(client, text(0), options, &mut compacted));
        assert!(compacted.is_null(), "out_compacted set on failure");
        synap_compacted_options_free(read);
        let mut status: *mut SynapCompactionStatus = ptr::dangling_mut();
        fails_here_or_on_the_wire(synap_conversation_compaction_status(client, text(0), &mut status));
        assert!(status.is_null(), "out_status set on failure");
        synap_client_free(client);

        null_handles(number(24).unwrap_or(0) as usize);
    }
});

/// Every accessor on NULL gives its documented default, whatever the index.
unsafe fn null_handles(index: usize) {
    // SAFETY: NULL is a valid argument to every accessor and `_free`.
    unsafe {
        let (mut d, mut n, mut b) = (-7.0f64, -7i64, true);
        assert!(synap_recorded_message_id(ptr::null()).is_null());
        assert!(!synap_recorded_message_conversation_message_count(ptr::null(), &mut n));
        assert_eq!(synap_message_batch_result_count(ptr::null()), 0);
        assert!(synap_message_batch_result(ptr::null(), index).is_null());
        assert!(!synap_message_batch_error_index(ptr::null(), index, &mut n));
        assert!(synap_message_batch_error_message(ptr::null(), index).is_null());
        assert!(synap_transcript_ingestion_warning(ptr::null(), index).is_null());
        assert!(!synap_transcript_ingestion_turns_recorded(ptr::null(), &mut n));
        assert!(synap_message_page_message(ptr::null(), index).is_null());
        assert!(!synap_conversation_message_position(ptr::null(), &mut n));
        assert!(synap_conversation_message_content(ptr::null()).is_null());
        assert!(!synap_compaction_initiated_at_us(ptr::null(), &mut n));
        assert!(!synap_compacted_compression_ratio(ptr::null(), &mut d));
        assert!(!synap_compacted_validation_passed(ptr::null(), &mut b));
        assert!(synap_compacted_formatted_context(ptr::null()).is_null());
        assert!(synap_compaction_status_state(ptr::null()).is_null());
        assert!(!synap_compaction_status_latest_version(ptr::null(), &mut n));
        assert_eq!((d, n, b), (-7.0, -7, true), "out values left alone");
        synap_message_request_free(ptr::null_mut());
        synap_recorded_message_free(ptr::null_mut());
        synap_message_batch_free(ptr::null_mut());
        synap_transcript_request_free(ptr::null_mut());
        synap_transcript_ingestion_free(ptr::null_mut());
        synap_message_page_free(ptr::null_mut());
        synap_compact_options_free(ptr::null_mut());
        synap_compaction_free(ptr::null_mut());
        synap_compacted_options_free(ptr::null_mut());
        synap_compacted_free(ptr::null_mut());
        synap_compaction_status_free(ptr::null_mut());
    }
}

/// A setter's answer: the value taken or refused, nothing else.
fn either(code: SynapCode) {
    let code = check(code);
    assert!(matches!(code, SynapCode::SYNAP_OK | SynapCode::SYNAP_INVALID_ARGUMENT), "{code:?}");
}

/// What a time setter must answer for `us`.
fn in_range(us: i64) -> SynapCode {
    if TIMES.contains(&us) { SynapCode::SYNAP_OK } else { SynapCode::SYNAP_INVALID_ARGUMENT }
}
