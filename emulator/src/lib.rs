//! A Synap-compatible HTTP/1.1 server for loopback tests and demos.
//!
//! It speaks the subset of the Synap REST contract that libsynap uses
//! (`memories.create`, `.batch`, `.status` and `.get`, the context reads,
//! the conversation routes, the memory lifecycle and data deletion routes,
//! credits, `whoami`, `/health`, telemetry), with ingestion jobs that move from `queued` to a terminal
//! state over time, and an optional control endpoint (`/_emulator/...`)
//! that scripts jobs and wire faults: scripted answers, delays, garbage,
//! truncated, gzip, chunked, endless and trickled bodies, dropped
//! connections. Faults key on the request path, so they apply to every
//! route alike.
//!
//! Ingestion: create and batch check each document as the service does
//! (422 with FastAPI's `{"detail": [{"type", "loc", "msg", "input"}]}`,
//! 400 for ids that do not fit the instance's tenancy, 409 for a reused
//! `document_id`) and queue a job that is `processing` after
//! [`Config::create_processing_after_ms`] and terminal after
//! [`Config::create_done_after_ms`]. Its memories are the document's first
//! sentences (up to five), typed by keyword (preference, emotion,
//! temporal_event, episode, else fact), and each can be read with
//! `GET /api/v1/memories/{id}` from the moment the job's status lists it.
//! A document containing [`FAIL_MARKER`] is accepted and its job ends
//! `failed`; one containing [`PARTIAL_MARKER`] ends `partial_success`.
//! Jobs scripted through the control endpoint, and the demo jobs, produce
//! readable memories too, with sample contents.
//!
//! Context reads: `POST /v1/context/{user,customer,client,conversation}/fetch`
//! ranks the memories jobs have reported by BM25 relevance to its
//! `search_query` (newest first without one), in the scope of the documents
//! they came from: a created document belongs to its `user_id` and
//! `customer_id`, and to a conversation when its `metadata.conversation_id`
//! is a string or its `document_id` a UUID. The user route also has summary
//! mode (profile and latest conversations);
//! `GET /v1/users/{user_id}/profile` is derived from the user's preference
//! memories; `GET /v1/conversations/{id}/context-for-prompt` renders the
//! conversation's latest compaction and the messages after it. The control
//! endpoint can script `retrieval` and `conversation_context` blocks and
//! malformed items on the next fetches.
//!
//! Conversations: `POST /v1/conversations/messages` (and `.../batch`)
//! records messages in order, a user message's sentences becoming memories
//! on the create timing; `GET /v1/conversations/{id}/messages` pages
//! through them; `POST /v1/conversations/ingest` takes a whole transcript
//! under any id (coerced to a UUID), queues its ingestion job and starts a
//! compaction, dedupes an identical repeat and refuses a different one
//! (409 `transcript_conflict`); `POST /v1/conversations/compact` starts a
//! compaction that completes after [`Config::compaction_done_after_ms`],
//! followed by `.../compaction/status` and read by `.../compacted`.
//!
//! Memory lifecycle: `PATCH` and `DELETE /api/v1/memories/{id}` change and
//! remove a reported memory for every read route; `POST
//! /api/v1/memories/forget` finds a user's memories by description and
//! previews or deletes them; `POST /api/v1/memories/upload` takes a
//! multipart file or a urlencoded text, streamed (up to
//! [`Config::upload_max_bytes`]), and ingests it as create does, recording
//! each upload for `GET /_emulator/uploads`. `POST /v1/data/delete` removes
//! a user's, a conversation's or a customer's data through a job that asks
//! to be called again ([`Config::data_delete_continue_rounds`]) before it
//! completes; `GET /v1/data/delete/{id}` reads it. Credits: every
//! ingestion costs one credit from [`Config::credit_balance`] (402 once it
//! cannot pay); `/v1/credits/{balance,ledger,estimate,redeem}` show and
//! top up the account.
//!
//! It can serve HTTPS ([`Config::tls`], with [`tls::TestPki`] to make a CA
//! and a certificate at test time) and act as an HTTP CONNECT proxy whose
//! tunnels lead back to itself ([`Config::proxy`]), so a test can tell
//! whether a client really went through its proxy.
//!
//! Every [`Emulator`] owns its own state, so many can run in one process.

mod body_check;
mod body_scan;
mod compaction;
mod config;
mod connection;
mod context;
mod context_items;
mod context_script;
mod control;
mod conversations;
mod credit_routes;
mod credits;
mod data_delete;
mod deletion_request;
mod deletions;
mod fault_writers;
mod faults;
mod fetch_request;
mod forget;
mod http;
mod ids;
mod ingest;
mod isodate;
mod jobs;
mod knobs;
mod lifecycle;
mod memories;
mod memory_overlay;
mod messages;
mod multipart;
mod profile;
mod prompt;
mod reqlog;
mod retrieval;
mod routes;
mod server;
mod state;
mod timefmt;
pub mod tls;
mod transcripts;
mod transport;
mod upload;
mod upload_form;
mod uploads;
mod urlencoded;
mod uuid5;
mod validate;

pub use config::{
    Config, DEFAULT_REDEEM_CODE, DEFAULT_REDEEM_CREDITS, DEFAULT_UPLOAD_MAX_BYTES, TimeFormat, UnknownTimeFormat,
};
pub use ingest::{FAIL_MARKER, PARTIAL_MARKER};
pub use server::Emulator;
pub use tls::{TestPki, TlsIdentity};

/// The API key accepted by a default [`Config`].
pub const DEV_API_KEY: &str = "synap_dev_emulator";
/// Demo job: `queued` for 1.5 s after start, `processing` until 4 s, then
/// `completed` with 2 memories.
pub const DEMO_PROGRESSING_ID: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";
/// Demo job: already `failed`, with an `error_message`.
pub const DEMO_FAILED_ID: &str = "2c5d8e1f-4a7b-4c9d-8e0f-1a2b3c4d5e6f";
/// Demo job: already `partial_success` with 1 memory and an `error_message`.
pub const DEMO_PARTIAL_ID: &str = "1b4e7a90-5c3d-4f28-b6e1-7a9c0d2e4f81";

/// One line per demo job, describing how it behaves (for the binary's banner).
pub fn demo_job_lines() -> Vec<String> {
    jobs::demo_jobs().iter().map(|(id, spec)| jobs::describe(id, spec)).collect()
}
