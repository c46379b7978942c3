//! The C API. This layer only converts: it checks pointers and strings,
//! boxes handles, records the last error and stops panics at the boundary.
//! Every function here appears in `include/synap.h` with these comments,
//! in the order the modules are declared below.

mod version;
mod error;
mod options;
mod client;
mod status;
mod cstr;
mod guard;

pub use client::{SynapClient, synap_client_free, synap_client_new};
pub use error::{
    SynapCode, synap_code_name, synap_last_error_correlation_id, synap_last_error_http_status,
    synap_last_error_message, synap_last_error_retry_after_ms,
};
pub use options::{
    SynapOptions, synap_options_free, synap_options_new, synap_options_set_base_url,
    synap_options_set_connect_timeout_ms, synap_options_set_max_body_bytes, synap_options_set_request_timeout_ms,
};
pub use status::{
    SynapIngestState, SynapMemoryStatus, synap_memories_status, synap_status_completed_at_us, synap_status_document_id,
    synap_status_error_message, synap_status_free, synap_status_ingestion_id, synap_status_is_terminal,
    synap_status_memories_created, synap_status_memory_id, synap_status_memory_id_count, synap_status_queued_at_us,
    synap_status_started_at_us, synap_status_state, synap_status_state_name,
};
pub use version::synap_version;
