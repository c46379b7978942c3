//! libsynap: a client for the Synap memory service.
//!
//! Used from Rust through [`Client`], and from C, C++, Go and Swift through
//! the C API in [`ffi`] (header `include/synap.h`).
//!
//! ```no_run
//! let client = synap::Client::new(synap::ClientOptions::new().api_key("synap_...")?)?;
//! let status = client.memories_status("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37")?;
//! println!("{} ({} memories)", status.state(), status.memories_created());
//! # Ok::<(), synap::Error>(())
//! ```
#![deny(missing_docs)]
#![warn(clippy::missing_safety_doc, clippy::undocumented_unsafe_blocks)]

mod call;
mod cancel;
mod data_deletion;
mod client;
mod context;
mod context_fetch;
mod context_request;
mod conversation;
mod conversation_calls;
mod conversation_request;
mod correlation;
mod create;
mod credits;
mod credits_calls;
mod credits_request;
mod error;
pub mod ffi;
mod identity;
mod lifecycle;
mod lifecycle_calls;
mod lifecycle_request;
mod log;
mod memory;
mod options;
mod proxy;
mod request_fields;
mod resolver;
mod response_error;
mod retry;
mod retry_after;
mod rng;
mod status;
mod text;
mod timestamp;
mod tls;
mod transport;
mod upload;
mod url;
mod wait;
mod wait_all;
mod wire;

pub use cancel::CancelToken;
pub use client::Client;
pub use context::{
    Context, ContextItem, ContextList, ConversationContext, ConversationSummary, Profile, ProfileAttribute,
    PromptContext, Retrieval, Turn,
};
pub use context_fetch::PROMPT_STYLES;
pub use context_request::{
    CONTEXT_MODES, CONTEXT_TYPES, ContextRequest, ContextScope, MAX_SUMMARY_CONVERSATIONS, PRECISION_LEVELS,
    RESPONSE_SHAPES,
};
pub use conversation::{
    BatchError, Compacted, Compaction, CompactionStatus, ConversationMessage, MessageBatch, RecordedMessage,
    TranscriptIngestion,
};
pub use conversation_calls::MAX_MESSAGES_PAGE;
pub use conversation_request::{
    COMPACTED_FORMATS, COMPACTION_STRATEGIES, CompactOptions, MessageRequest, ROLES, TranscriptRequest,
};
pub use create::{Batch, CreateRequest, DOCUMENT_TYPES, Ingestion, MODES};
pub use credits::{CreditBalance, CreditBucket, LedgerEntry, LedgerPage, Redemption, credits_estimate_from_json};
pub use credits_request::{EstimateRequest, LedgerQuery, MAX_LEDGER_PAGE};
pub use data_deletion::MAX_CONTINUE_ROUNDS;
pub use error::{Error, ErrorKind};
pub use identity::Identity;
pub use lifecycle::{DataDeletion, DeletedMemory, DeletionState, ForgetCandidate, ForgetOutcome, Forgotten};
pub use lifecycle_request::{
    DataDeleteRequest, DeleteScope, FORGET_DESCRIPTION_CHARS, FORGET_MODES, ForgetRequest, MERGE_STRATEGIES,
    UpdateRequest,
};
pub use log::{LogFn, LogLevel, set_log_callback};
pub use memory::Memory;
pub use options::{
    API_KEY_ENV, BASE_URL_ENV, ClientOptions, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_REQUEST_TIMEOUT,
};
pub use proxy::ProxySetting;
pub use retry::{DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BASE, DEFAULT_RETRY_CAP, RetryPolicy};
pub use status::{IngestState, MemoryIds, MemoryStatus};
pub use text::Text;
pub use timestamp::parse_unix_micros;
pub use upload::{RELATIONSHIP_TYPES, UploadRequest};
pub use wait::{DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT, WaitOptions};
pub use wait_all::{MAX_IN_FLIGHT, WaitCounts};

/// This library's version, as in `Cargo.toml` and `synap_version()`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
