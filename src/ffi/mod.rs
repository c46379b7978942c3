//! The C API. This layer only converts: it checks pointers and strings,
//! boxes handles, records the last error and stops panics at the boundary.
//! Every function here appears in `include/synap.h` with these comments,
//! in the order the modules are declared below.

// The area modules hold only exports. Each is an `unsafe extern "C" fn`
// whose `# Safety` section is its C caller's pointer contract, and its body
// calls the `unsafe` helpers of `guard` and `cstr` under exactly that
// contract: the body as a whole is the unsafe block, and the reasoning is
// written once, on the helpers. `guard` and `cstr` deny this lint again and
// keep a SAFETY comment on every unsafe operation.
#![allow(unsafe_op_in_unsafe_fn)]

mod version;
mod error;
mod options;
mod client;
mod status;
mod wait;
mod wait_all;
mod create;
mod memory;
mod context;
mod conversation;
mod lifecycle;
mod deletion;
mod credits;
mod log;
mod cstr;
mod guard;

pub use client::{SynapClient, synap_client_free, synap_client_new};
pub use context::{
    SynapContext, SynapContextItem, SynapContextList, SynapContextRequest, SynapContextScope, SynapConversationContext,
    SynapConversationSummary, SynapProfile, SynapPromptContext, SynapPromptOptions, SynapRetrieval, SynapTurn,
    synap_context_conversation, synap_context_conversation_count, synap_context_conversation_summary,
    synap_context_correlation_id, synap_context_count, synap_context_fetch, synap_context_free, synap_context_item,
    synap_context_item_event_date_us, synap_context_item_event_end_us, synap_context_item_event_precision,
    synap_context_item_id, synap_context_item_kind, synap_context_item_label, synap_context_item_matched_query,
    synap_context_item_matched_query_count, synap_context_item_metadata_json, synap_context_item_participant,
    synap_context_item_participant_count, synap_context_item_rank, synap_context_item_rank_score,
    synap_context_item_said_at_us, synap_context_item_score, synap_context_item_source,
    synap_context_item_source_evidence, synap_context_item_source_evidence_count, synap_context_item_temporal_category,
    synap_context_item_temporal_confidence, synap_context_item_text, synap_context_item_time_us,
    synap_context_item_valid_until_us, synap_context_profile, synap_context_raw_json, synap_context_request_add_query,
    synap_context_request_add_scope_level, synap_context_request_add_type, synap_context_request_clear_queries,
    synap_context_request_free, synap_context_request_new, synap_context_request_set_conversation_id,
    synap_context_request_set_customer_id, synap_context_request_set_max_results,
    synap_context_request_set_max_results_per_query, synap_context_request_set_mode,
    synap_context_request_set_precision_level, synap_context_request_set_query_date,
    synap_context_request_set_response_shape, synap_context_request_set_scope, synap_context_request_set_summary_mode,
    synap_context_request_set_user_id, synap_context_retrieval, synap_context_retrieved_at_us, synap_context_source,
    synap_context_ttl_seconds, synap_conversation_context_compacted_at, synap_conversation_context_compaction_id,
    synap_conversation_context_current_state_json, synap_conversation_context_formatted_context,
    synap_conversation_context_id, synap_conversation_context_key_extractions_json, synap_conversation_context_summary,
    synap_conversation_context_turn, synap_conversation_context_turn_count, synap_conversation_prompt_context,
    synap_conversation_summary_id, synap_conversation_summary_json, synap_conversation_summary_last_message_at_us,
    synap_conversation_summary_message_count, synap_conversation_summary_started_at_us,
    synap_conversation_summary_status, synap_conversation_summary_text, synap_profile_attribute_confidence,
    synap_profile_attribute_count, synap_profile_attribute_name, synap_profile_attribute_source_conversation_id,
    synap_profile_attribute_updated_at_us, synap_profile_attribute_value_json, synap_profile_free, synap_profile_json,
    synap_profile_overview, synap_prompt_context_available, synap_prompt_context_compacted_message_count,
    synap_prompt_context_compaction_age_seconds, synap_prompt_context_compaction_id,
    synap_prompt_context_compression_ratio, synap_prompt_context_context_block, synap_prompt_context_formatted_context,
    synap_prompt_context_free, synap_prompt_context_is_stale, synap_prompt_context_quality_warning,
    synap_prompt_context_raw_json, synap_prompt_context_recent_message_count, synap_prompt_context_total_message_count,
    synap_prompt_context_turn, synap_prompt_context_turn_count, synap_prompt_context_validation_score,
    synap_prompt_options_free, synap_prompt_options_new, synap_prompt_options_set_style, synap_retrieval_code,
    synap_retrieval_degraded, synap_retrieval_level, synap_retrieval_warning, synap_retrieval_warning_count,
    synap_turn_content, synap_turn_message_id, synap_turn_role, synap_turn_timestamp_us, synap_user_profile,
};
pub use conversation::{
    SynapCompactOptions, SynapCompacted, SynapCompactedOptions, SynapCompaction, SynapCompactionStatus,
    SynapConversationMessage, SynapMessageBatch, SynapMessagePage, SynapMessageRequest, SynapRecordedMessage,
    SynapTranscriptIngestion, SynapTranscriptRequest, synap_compact_options_free, synap_compact_options_new,
    synap_compact_options_set_force, synap_compact_options_set_strategy, synap_compact_options_set_target_tokens,
    synap_compacted_compacted_token_count, synap_compacted_compression_ratio, synap_compacted_current_state_json,
    synap_compacted_decisions_json, synap_compacted_facts_json, synap_compacted_formatted_context,
    synap_compacted_free, synap_compacted_id, synap_compacted_options_free, synap_compacted_options_new,
    synap_compacted_options_set_format, synap_compacted_options_set_version, synap_compacted_original_token_count,
    synap_compacted_preferences_json, synap_compacted_quality_warning, synap_compacted_raw_json,
    synap_compacted_strategy_used, synap_compacted_ttl_seconds, synap_compacted_validation_passed,
    synap_compacted_validation_score, synap_compaction_conversation_id, synap_compaction_estimated_completion_seconds,
    synap_compaction_free, synap_compaction_id, synap_compaction_initiated_at_us, synap_compaction_previous_id,
    synap_compaction_status, synap_compaction_status_compaction_id, synap_compaction_status_completed_at_us,
    synap_compaction_status_compression_ratio, synap_compaction_status_conversation_id,
    synap_compaction_status_error_message, synap_compaction_status_estimated_completion_seconds,
    synap_compaction_status_free, synap_compaction_status_latest_version, synap_compaction_status_state,
    synap_compaction_status_validation_score, synap_compaction_trigger_type, synap_conversation_compact,
    synap_conversation_compacted, synap_conversation_compaction_status, synap_conversation_ingest,
    synap_conversation_message_content, synap_conversation_message_id, synap_conversation_message_position,
    synap_conversation_message_role, synap_conversation_message_timestamp_us, synap_conversation_messages,
    synap_conversation_record_message, synap_conversation_record_messages, synap_message_batch_error_count,
    synap_message_batch_error_index, synap_message_batch_error_message, synap_message_batch_failed,
    synap_message_batch_free, synap_message_batch_result, synap_message_batch_result_count,
    synap_message_batch_succeeded, synap_message_batch_total, synap_message_page_count, synap_message_page_free,
    synap_message_page_message, synap_message_request_add_scope_level, synap_message_request_free,
    synap_message_request_new, synap_message_request_set_agent_context_window, synap_message_request_set_agent_model,
    synap_message_request_set_content, synap_message_request_set_conversation_id,
    synap_message_request_set_customer_id, synap_message_request_set_metadata_json, synap_message_request_set_role,
    synap_message_request_set_session_id, synap_message_request_set_user_id, synap_recorded_message_conversation_id,
    synap_recorded_message_conversation_message_count, synap_recorded_message_free, synap_recorded_message_id,
    synap_recorded_message_recorded_at_us, synap_recorded_message_session_id,
    synap_transcript_ingestion_conversation_id, synap_transcript_ingestion_external_conversation_id,
    synap_transcript_ingestion_free, synap_transcript_ingestion_ingestion_id, synap_transcript_ingestion_queued_at_us,
    synap_transcript_ingestion_status, synap_transcript_ingestion_summary_status,
    synap_transcript_ingestion_turns_recorded, synap_transcript_ingestion_warning,
    synap_transcript_ingestion_warning_count, synap_transcript_request_add_scope_level,
    synap_transcript_request_add_timed_turn, synap_transcript_request_add_turn, synap_transcript_request_free,
    synap_transcript_request_new, synap_transcript_request_set_analysis_json,
    synap_transcript_request_set_conversation_id, synap_transcript_request_set_conversation_type,
    synap_transcript_request_set_customer_id, synap_transcript_request_set_ended_at_us,
    synap_transcript_request_set_metadata_json, synap_transcript_request_set_started_at_us,
    synap_transcript_request_set_text, synap_transcript_request_set_user_id,
};
pub use create::{
    SynapBatch, SynapCreateRequest, SynapIngestion, synap_batch_counts, synap_batch_free, synap_batch_id,
    synap_batch_result, synap_batch_result_count, synap_create_request_add_scope, synap_create_request_free,
    synap_create_request_new, synap_create_request_set_customer_id, synap_create_request_set_document_created_at_us,
    synap_create_request_set_document_id, synap_create_request_set_document_json,
    synap_create_request_set_document_text, synap_create_request_set_document_type,
    synap_create_request_set_metadata_json, synap_create_request_set_mode, synap_create_request_set_user_id,
    synap_ingestion_document_id, synap_ingestion_error_message, synap_ingestion_free, synap_ingestion_id,
    synap_ingestion_queued_at_us, synap_ingestion_state, synap_ingestion_state_name, synap_memories_batch_create,
    synap_memories_create,
};
pub use credits::{
    SynapCreditBalance, SynapEstimateRequest, SynapLedgerPage, SynapLedgerQuery, SynapRedemption,
    synap_credit_balance_bucket_count, synap_credit_balance_bucket_credits, synap_credit_balance_bucket_expires_at_us,
    synap_credit_balance_bucket_source_type, synap_credit_balance_client_id, synap_credit_balance_credits,
    synap_credit_balance_free, synap_credit_balance_warning_low, synap_credits_balance, synap_credits_estimate,
    synap_credits_ledger, synap_credits_redeem, synap_estimate_request_free, synap_estimate_request_new,
    synap_estimate_request_set_endpoint, synap_estimate_request_set_item_count, synap_estimate_request_set_metric_type,
    synap_estimate_request_set_mode, synap_estimate_request_set_units, synap_ledger_page_count,
    synap_ledger_page_entry_category, synap_ledger_page_entry_created_at_us, synap_ledger_page_entry_delta,
    synap_ledger_page_entry_id, synap_ledger_page_entry_metric_type, synap_ledger_page_entry_type,
    synap_ledger_page_free, synap_ledger_page_limit, synap_ledger_page_offset, synap_ledger_page_total,
    synap_ledger_query_free, synap_ledger_query_new, synap_ledger_query_set_entry_type, synap_ledger_query_set_from_us,
    synap_ledger_query_set_limit, synap_ledger_query_set_offset, synap_ledger_query_set_to_us,
    synap_redemption_credits_granted, synap_redemption_expires_at_us, synap_redemption_free, synap_redemption_id,
    synap_redemption_new_balance,
};
pub use deletion::{
    SynapDataDeleteRequest, SynapDataDeletion, SynapDeleteScope, SynapDeletionState, synap_data_delete,
    synap_data_delete_request_free, synap_data_delete_request_new, synap_data_delete_request_set_confirm,
    synap_data_delete_request_set_customer_id, synap_data_delete_request_set_dry_run,
    synap_data_delete_request_set_user_id, synap_data_deletion_audit, synap_data_deletion_count_count,
    synap_data_deletion_count_of, synap_data_deletion_count_store, synap_data_deletion_count_value,
    synap_data_deletion_found, synap_data_deletion_free, synap_data_deletion_fully_removed, synap_data_deletion_id,
    synap_data_deletion_is_dry_run, synap_data_deletion_json, synap_data_deletion_kept, synap_data_deletion_kept_count,
    synap_data_deletion_memories_kept, synap_data_deletion_note, synap_data_deletion_scope, synap_data_deletion_state,
    synap_data_deletion_status, synap_data_deletion_status_text, synap_data_deletion_still_present_count,
    synap_data_deletion_still_present_in, synap_data_deletion_stores_json, synap_data_deletion_wait,
};
pub use error::{
    SynapCode, synap_code_name, synap_last_error_correlation_id, synap_last_error_http_status,
    synap_last_error_message, synap_last_error_retry_after_ms,
};
pub use lifecycle::{
    SynapDeletedMemory, SynapForgetOutcome, SynapForgetRequest, SynapForgetResult, SynapUpdateRequest,
    SynapUploadRequest, synap_deleted_memory_deleted_at_us, synap_deleted_memory_free, synap_deleted_memory_id,
    synap_forget_request_add_scope_level, synap_forget_request_free, synap_forget_request_new,
    synap_forget_request_set_customer_id, synap_forget_request_set_description, synap_forget_request_set_mode,
    synap_forget_request_set_user_id, synap_forget_result_candidate_content, synap_forget_result_candidate_count,
    synap_forget_result_candidate_memory_id, synap_forget_result_candidate_memory_type,
    synap_forget_result_candidate_store, synap_forget_result_deleted_count, synap_forget_result_deleted_id,
    synap_forget_result_failed_count, synap_forget_result_failed_id, synap_forget_result_free,
    synap_forget_result_may_be_incomplete, synap_forget_result_outcome, synap_forget_result_request_id,
    synap_forget_result_status, synap_forget_result_still_present_count, synap_forget_result_still_present_in,
    synap_memories_delete, synap_memories_forget, synap_memories_update, synap_memories_upload,
    synap_update_request_free, synap_update_request_new, synap_update_request_set_document_json,
    synap_update_request_set_document_text, synap_update_request_set_document_type,
    synap_update_request_set_merge_strategy, synap_update_request_set_metadata_json,
    synap_upload_request_add_scope_level, synap_upload_request_free, synap_upload_request_new,
    synap_upload_request_set_bytes, synap_upload_request_set_content_type, synap_upload_request_set_customer_id,
    synap_upload_request_set_document_type, synap_upload_request_set_file, synap_upload_request_set_filename,
    synap_upload_request_set_metadata_json, synap_upload_request_set_mode, synap_upload_request_set_relationship_type,
    synap_upload_request_set_text, synap_upload_request_set_user_id,
};
pub use log::{SynapLogFn, SynapLogLevel, synap_set_log_callback};
pub use memory::{
    SynapIdentity, SynapMemory, synap_client_whoami, synap_identity_client_id, synap_identity_free,
    synap_identity_instance_id, synap_identity_user_context_isolation, synap_memories_get, synap_memory_category,
    synap_memory_confidence, synap_memory_content, synap_memory_created_at_us, synap_memory_free, synap_memory_id,
    synap_memory_source_document_id, synap_memory_subcategory, synap_memory_type, synap_memory_updated_at_us,
};
pub use options::{
    SynapOptions, synap_options_free, synap_options_new, synap_options_set_allow_insecure_http,
    synap_options_set_base_url, synap_options_set_ca_file, synap_options_set_connect_timeout_ms,
    synap_options_set_deadline_ms, synap_options_set_max_attempts, synap_options_set_max_body_bytes,
    synap_options_set_proxy, synap_options_set_request_timeout_ms, synap_options_set_retry_backoff_ms,
    synap_options_set_system_roots,
};
pub use status::{
    SynapIngestState, SynapMemoryStatus, synap_memories_status, synap_status_completed_at_us, synap_status_document_id,
    synap_status_error_message, synap_status_free, synap_status_ingestion_id, synap_status_is_terminal,
    synap_status_memories_created, synap_status_memory_id, synap_status_memory_id_count, synap_status_queued_at_us,
    synap_status_started_at_us, synap_status_state, synap_status_state_name,
};
pub use version::synap_version;
pub use wait::{
    SynapCancel, SynapWaitOptions, SynapWaitProgress, SynapWaitProgressFn, SynapWaitState, synap_cancel_free,
    synap_cancel_is_triggered, synap_cancel_new, synap_cancel_trigger, synap_memories_wait, synap_wait_options_free,
    synap_wait_options_new, synap_wait_options_set_cancel, synap_wait_options_set_max_in_flight,
    synap_wait_options_set_poll_interval_ms, synap_wait_options_set_progress, synap_wait_options_set_timeout_ms,
    synap_wait_progress_count, synap_wait_progress_deletion, synap_wait_progress_status, synap_wait_progress_total,
};
pub use wait_all::{
    SynapWaitAllResults, synap_memories_wait_all, synap_wait_all_code, synap_wait_all_count, synap_wait_all_count_in,
    synap_wait_all_error_message, synap_wait_all_free, synap_wait_all_status,
};
