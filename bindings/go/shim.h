/* C helpers for the Go binding. libsynap keeps a failure's details per OS
 * thread, and a goroutine may move between threads between two cgo calls,
 * so each helper makes its libsynap calls and copies the details of a
 * failure before it returns: all within one cgo call, on one thread. */
#ifndef SYNAP_GO_SHIM_H
#define SYNAP_GO_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <synap.h>

/* A failure's details, copied out of libsynap's per-thread last error. */
typedef struct synapgo_error {
    int code;
    uint16_t http_status;
    int64_t retry_after_ms;  /* -1: none */
    char *message;           /* malloc'd, or NULL; the caller frees it */
    char *correlation_id;    /* malloc'd, or NULL; the caller frees it */
} synapgo_error;

/* Which fields of synapgo_settings to apply; the rest keep their default. */
enum {
    SYNAPGO_BASE_URL = 1 << 0,
    SYNAPGO_CONNECT_TIMEOUT = 1 << 1,
    SYNAPGO_REQUEST_TIMEOUT = 1 << 2,
    SYNAPGO_DEADLINE = 1 << 3,
    SYNAPGO_MAX_ATTEMPTS = 1 << 4,
    SYNAPGO_RETRY_BACKOFF = 1 << 5,
    SYNAPGO_PROXY = 1 << 6,
    SYNAPGO_CA_FILE = 1 << 7,
    SYNAPGO_SYSTEM_ROOTS = 1 << 8,
    SYNAPGO_MAX_BODY_BYTES = 1 << 9,
    SYNAPGO_ALLOW_INSECURE_HTTP = 1 << 10
};

/* Every option of a client, as one struct so that one call applies them. */
typedef struct synapgo_settings {
    unsigned set; /* SYNAPGO_* bits */
    const char *base_url;
    uint32_t connect_timeout_ms;
    uint32_t request_timeout_ms;
    uint32_t deadline_ms;
    uint32_t max_attempts;
    uint32_t backoff_base_ms;
    uint32_t backoff_cap_ms;
    const char *proxy;
    const char *ca_file;
    bool system_roots;
    uint64_t max_body_bytes;
    bool allow_insecure_http;
} synapgo_settings;

/* synap_options_new, the setters `settings` asks for, synap_client_new. */
int synapgo_client_new(const char *api_key, const synapgo_settings *settings, SynapClient **out,
                       synapgo_error *err);

/* synap_memories_status. */
int synapgo_status(const SynapClient *client, const char *id, SynapMemoryStatus **out, synapgo_error *err);

/* How a wait runs, as plain fields, so that one call builds its
 * SynapWaitOptions. */
typedef struct synapgo_wait_settings {
    uint32_t timeout_ms;       /* more than 0 */
    uint32_t poll_interval_ms; /* 0: the default */
    uint32_t max_in_flight;    /* 0: the default; wait-all only */
    uintptr_t progress;        /* a runtime/cgo.Handle, 0 for none */
    const SynapCancel *cancel; /* NULL for none */
} synapgo_wait_settings;

/* Builds the wait options, then synap_memories_wait. */
int synapgo_wait(const SynapClient *client, const char *id, const synapgo_wait_settings *settings,
                 SynapMemoryStatus **out, synapgo_error *err);

/* One create request as plain fields, so that one call builds it. Every
 * pointer is NULL (not set: the default) or a NUL-terminated string. */
typedef struct synapgo_request {
    const char *text;           /* the document as text */
    const char *json;           /* or the document as a JSON object */
    const char *document_type;
    const char *mode;
    const char *document_id;
    bool has_created_at;
    int64_t created_at_us;
    const char *user_id;
    const char *customer_id;
    const char *const *scope;   /* scope_count (level, value) pairs, in order */
    size_t scope_count;
    const char *metadata_json;
} synapgo_request;

/* Builds the request (synap_create_request_new and its setters), then
 * synap_memories_create. */
int synapgo_create(const SynapClient *client, const synapgo_request *request, SynapIngestion **out,
                   synapgo_error *err);

/* Builds the `count` requests, then synap_memories_batch_create. When a
 * request is refused while it is built, `*bad_index` is its index; else
 * it is left alone. */
int synapgo_batch_create(const SynapClient *client, const synapgo_request *requests, size_t count, bool fail_fast,
                         SynapBatch **out, size_t *bad_index, synapgo_error *err);

/* synap_memories_get. */
int synapgo_get(const SynapClient *client, const char *id, SynapMemory **out, synapgo_error *err);

/* synap_client_whoami. */
int synapgo_whoami(const SynapClient *client, SynapIdentity **out, synapgo_error *err);

/* Builds the wait options, then synap_memories_wait_all. */
int synapgo_wait_all(const SynapClient *client, const char *const *ids, size_t count,
                     const synapgo_wait_settings *settings, SynapWaitAllResults **out, synapgo_error *err);

/* One context fetch as plain fields, so that one call builds its
 * SynapContextRequest. Every pointer is NULL (not set: the default) or a
 * NUL-terminated string; a count of 0 adds nothing. */
typedef struct synapgo_context_request {
    int scope;                        /* a SynapContextScope */
    const char *user_id;
    const char *customer_id;
    const char *conversation_id;
    const char *const *queries;       /* query_count queries, in order */
    size_t query_count;
    uint32_t max_results;             /* 0: the default */
    const char *const *types;         /* type_count memory types */
    size_t type_count;
    const char *mode;
    const char *precision_level;
    const char *response_shape;
    const char *query_date;
    uint32_t max_results_per_query;   /* 0: the default (no bound) */
    const char *const *scope_path;    /* scope_path_count (level, value) pairs, in order */
    size_t scope_path_count;
    bool summary_mode;                /* then include_profile and last_n_conversations */
    bool include_profile;
    uint32_t last_n_conversations;
} synapgo_context_request;

/* The views below carry a context, a profile or a prompt context to Go in
 * one call: the shim walks the handle and fills plain structs (arrays
 * malloc'd by the shim, strings lent by the handle), which Go reads as
 * ordinary memory, with no cgo call per field. The matching _release
 * frees the arrays and the handle, after Go has copied what it needs.
 * Every `has_x` says whether x was present; a string is NULL when absent. */

/* One SynapContextItem. Its string lists point into the view's `strings`. */
typedef struct synapgo_item {
    const char *kind;
    const char *id;
    const char *text;
    const char *label;
    const char *source;
    const char *event_precision;
    const char *temporal_category;
    const char *metadata_json;
    bool has_score, has_temporal_confidence, has_rank_score;
    double score, temporal_confidence, rank_score;
    bool has_time, has_event_date, has_event_end, has_said_at, has_valid_until, has_rank;
    int64_t time_us, event_date_us, event_end_us, said_at_us, valid_until_us, rank;
    const char *const *matched_queries;
    size_t matched_query_count;
    const char *const *source_evidence;
    size_t source_evidence_count;
    const char *const *participants;
    size_t participant_count;
} synapgo_item;

/* One SynapTurn. */
typedef struct synapgo_turn {
    const char *role;
    const char *content;
    const char *message_id;
    bool has_timestamp;
    int64_t timestamp_us;
} synapgo_turn;

/* One attribute of a SynapProfile. */
typedef struct synapgo_attribute {
    const char *name;
    const char *value_json;
    const char *source_conversation_id;
    bool has_confidence, has_updated_at;
    double confidence;
    int64_t updated_at_us;
} synapgo_attribute;

/* A SynapProfile: the context's lent one, or one synap_user_profile made. */
typedef struct synapgo_profile {
    const char *overview;
    const char *json;
    synapgo_attribute *attributes;
    size_t attribute_count;
} synapgo_profile;

/* One SynapConversationSummary. */
typedef struct synapgo_summary {
    const char *id;
    const char *status;
    const char *text;
    const char *json;
    bool has_message_count, has_started_at, has_last_message_at;
    int64_t message_count, started_at_us, last_message_at_us;
} synapgo_summary;

/* A whole SynapContext. */
typedef struct synapgo_context_view {
    synapgo_item *items;          /* every list's items, list after list */
    /* How many of them each list has: SynapContextList's values in order,
     * SYNAP_LIST_FACTS first (index list - SYNAP_LIST_FACTS). */
    size_t counts[SYNAP_LIST_EXCERPTS - SYNAP_LIST_FACTS + 1];
    const char **strings;         /* the items' string lists */
    bool has_conversation;
    const char *conversation_id;
    const char *summary;
    const char *compaction_id;
    const char *compacted_at;
    const char *formatted_context;
    const char *current_state_json;
    const char *key_extractions_json;
    synapgo_turn *turns;
    size_t turn_count;
    bool has_retrieval;
    bool degraded;
    const char *level;
    const char *code;
    const char **warnings;
    size_t warning_count;
    bool has_profile;
    synapgo_profile profile;
    synapgo_summary *summaries;
    size_t summary_count;
    int64_t ttl_seconds;
    int64_t retrieved_at_us;
    const char *source;
    const char *correlation_id;
    const char *raw_json;
} synapgo_context_view;

/* Builds the request, synap_context_fetch, then fills `view` from the
 * context. On SYNAP_OK release both with synapgo_context_release. */
int synapgo_context_fetch(const SynapClient *client, const synapgo_context_request *request, SynapContext **out,
                          synapgo_context_view *view, synapgo_error *err);

/* Frees the view's arrays and the context. */
void synapgo_context_release(SynapContext *context, synapgo_context_view *view);

/* synap_user_profile, then fills `view`. On SYNAP_OK release both with
 * synapgo_profile_release. */
int synapgo_user_profile(const SynapClient *client, const char *user_id, const char *customer_id,
                         SynapProfile **out, synapgo_profile *view, synapgo_error *err);

/* Frees the view's arrays and the profile. */
void synapgo_profile_release(SynapProfile *profile, synapgo_profile *view);

/* A whole SynapPromptContext. */
typedef struct synapgo_prompt_view {
    const char *formatted_context;
    const char *context_block;
    const char *compaction_id;
    const char *raw_json;
    bool available, is_stale, quality_warning;
    bool has_compression_ratio, has_validation_score, has_compaction_age;
    double compression_ratio, validation_score;
    int64_t compaction_age_seconds;
    int64_t recent_message_count, compacted_message_count, total_message_count;
    synapgo_turn *turns;
    size_t turn_count;
} synapgo_prompt_view;

/* Builds the options (none when `style` is NULL), then
 * synap_conversation_prompt_context, then fills `view`. On SYNAP_OK
 * release both with synapgo_prompt_release. */
int synapgo_prompt_context(const SynapClient *client, const char *conversation_id, const char *style,
                           SynapPromptContext **out, synapgo_prompt_view *view, synapgo_error *err);

/* Frees the view's arrays and the prompt context. */
void synapgo_prompt_release(SynapPromptContext *prompt, synapgo_prompt_view *view);

/* One message to record as plain fields, so that one call builds its
 * SynapMessageRequest. Every pointer is NULL (not set) or a NUL-terminated
 * string; content is always set (it may be empty). */
typedef struct synapgo_message_request {
    const char *conversation_id;
    const char *role;
    const char *content;
    const char *user_id;
    const char *customer_id;
    const char *session_id;
    const char *metadata_json;
    const char *const *scope_path;    /* scope_path_count (level, value) pairs, in order */
    size_t scope_path_count;
    const char *agent_model;
    uint32_t agent_context_window;    /* 0: none */
} synapgo_message_request;

/* A SynapRecordedMessage, its strings lent by it. */
typedef struct synapgo_recorded {
    const char *message_id;
    const char *conversation_id;
    const char *session_id;
    bool has_recorded_at, has_message_count;
    int64_t recorded_at_us, message_count;
} synapgo_recorded;

/* Builds the request, synap_conversation_record_message, then fills
 * `view`. On SYNAP_OK free the message with synap_recorded_message_free
 * after reading the view. */
int synapgo_record_message(const SynapClient *client, const synapgo_message_request *request,
                           SynapRecordedMessage **out, synapgo_recorded *view, synapgo_error *err);

/* One error row of a SynapMessageBatch. */
typedef struct synapgo_batch_error {
    bool has_index;
    int64_t index;
    const char *message;
} synapgo_batch_error;

/* A whole SynapMessageBatch. */
typedef struct synapgo_message_batch_view {
    bool has_total, has_succeeded, has_failed;
    int64_t total, succeeded, failed;
    synapgo_recorded *results;
    size_t result_count;
    synapgo_batch_error *errors;
    size_t error_count;
} synapgo_message_batch_view;

/* Builds the `count` requests, synap_conversation_record_messages, then
 * fills `view`. When a request is refused while it is built, `*bad_index`
 * is its index; else it is left alone. On SYNAP_OK release both with
 * synapgo_message_batch_release. */
int synapgo_record_messages(const SynapClient *client, const synapgo_message_request *requests, size_t count,
                            SynapMessageBatch **out, synapgo_message_batch_view *view, size_t *bad_index,
                            synapgo_error *err);

/* Frees the view's arrays and the batch. */
void synapgo_message_batch_release(SynapMessageBatch *batch, synapgo_message_batch_view *view);

/* One turn of a transcript. speaker is NULL when unknown. */
typedef struct synapgo_transcript_turn {
    const char *role;
    const char *content;
    const char *speaker;
    bool has_timestamp;
    int64_t timestamp_us;
} synapgo_transcript_turn;

/* One transcript to ingest as plain fields, so that one call builds its
 * SynapTranscriptRequest. Every pointer is NULL (not set) or a
 * NUL-terminated string; the transcript is `text` or the `turn_count`
 * turns. */
typedef struct synapgo_transcript_request {
    const char *conversation_id;
    const char *user_id;
    const char *customer_id;
    const char *text;
    const synapgo_transcript_turn *turns;
    size_t turn_count;
    const char *conversation_type;
    const char *analysis_json;
    const char *metadata_json;
    bool has_started_at, has_ended_at;
    int64_t started_at_us, ended_at_us;
    const char *const *scope_path;    /* scope_path_count (level, value) pairs, in order */
    size_t scope_path_count;
} synapgo_transcript_request;

/* A whole SynapTranscriptIngestion. */
typedef struct synapgo_transcript_view {
    const char *conversation_id;
    const char *external_conversation_id;
    const char *ingestion_id;
    const char *status;
    const char *summary_status;
    bool has_turns_recorded, has_queued_at;
    int64_t turns_recorded, queued_at_us;
    const char **warnings;
    size_t warning_count;
} synapgo_transcript_view;

/* Builds the request, synap_conversation_ingest, then fills `view`. On
 * SYNAP_OK release both with synapgo_transcript_release. */
int synapgo_ingest(const SynapClient *client, const synapgo_transcript_request *request,
                   SynapTranscriptIngestion **out, synapgo_transcript_view *view, synapgo_error *err);

/* Frees the view's warnings and the ingestion. */
void synapgo_transcript_release(SynapTranscriptIngestion *ingestion, synapgo_transcript_view *view);

/* One SynapConversationMessage. */
typedef struct synapgo_message {
    const char *role;
    const char *content;
    const char *message_id;
    bool has_position, has_timestamp;
    int64_t position, timestamp_us;
} synapgo_message;

/* synap_conversation_messages, then fills `*messages` (malloc'd) and
 * `*count` from the page. On SYNAP_OK release both with
 * synapgo_message_page_release. */
int synapgo_conversation_messages(const SynapClient *client, const char *conversation_id, uint32_t start,
                                  uint32_t limit, SynapMessagePage **out, synapgo_message **messages,
                                  size_t *count, synapgo_error *err);

/* Frees the messages and the page. */
void synapgo_message_page_release(SynapMessagePage *page, synapgo_message *messages);

/* How a compaction is asked for. */
typedef struct synapgo_compact_settings {
    const char *strategy;             /* NULL: the service's choice */
    uint32_t target_tokens;           /* 0: the service's choice */
    bool force;
} synapgo_compact_settings;

/* A whole SynapCompaction, its strings lent by it. */
typedef struct synapgo_compaction_view {
    const char *compaction_id;
    const char *conversation_id;
    const char *status;
    const char *trigger_type;
    const char *previous_compaction_id;
    bool has_initiated_at, has_estimated_completion;
    int64_t initiated_at_us, estimated_completion_seconds;
} synapgo_compaction_view;

/* Builds the options, synap_conversation_compact, then fills `view`. On
 * SYNAP_OK free the compaction with synap_compaction_free after reading
 * the view. */
int synapgo_compact(const SynapClient *client, const char *conversation_id, const synapgo_compact_settings *settings,
                    SynapCompaction **out, synapgo_compaction_view *view, synapgo_error *err);

/* A whole SynapCompacted, its strings lent by it. */
typedef struct synapgo_compacted_view {
    const char *compaction_id;
    const char *formatted_context;
    const char *strategy_used;
    const char *facts_json;
    const char *decisions_json;
    const char *preferences_json;
    const char *current_state_json;
    const char *raw_json;
    bool has_original_tokens, has_compacted_tokens, has_ttl;
    int64_t original_token_count, compacted_token_count, ttl_seconds;
    bool has_compression_ratio, has_validation_score;
    double compression_ratio, validation_score;
    bool has_validation_passed, has_quality_warning;
    bool validation_passed, quality_warning;
} synapgo_compacted_view;

/* Builds the options (format NULL: the default; version 0: the latest),
 * synap_conversation_compacted, then fills `view` when there is a
 * compacted state. On SYNAP_OK `*out` is NULL when the conversation has
 * not been compacted yet; else free it with synap_compacted_free after
 * reading the view. */
int synapgo_compacted(const SynapClient *client, const char *conversation_id, const char *format, uint32_t version,
                      SynapCompacted **out, synapgo_compacted_view *view, synapgo_error *err);

/* A whole SynapCompactionStatus, its strings lent by it. */
typedef struct synapgo_compaction_status_view {
    const char *conversation_id;
    const char *state;
    const char *compaction_id;
    const char *error_message;
    bool has_completed_at, has_estimated_completion, has_latest_version;
    int64_t completed_at_us, estimated_completion_seconds, latest_version;
    bool has_compression_ratio, has_validation_score;
    double compression_ratio, validation_score;
} synapgo_compaction_status_view;

/* synap_conversation_compaction_status, then fills `view`. On SYNAP_OK
 * free the status with synap_compaction_status_free after reading the
 * view. */
int synapgo_compaction_status(const SynapClient *client, const char *conversation_id, SynapCompactionStatus **out,
                              synapgo_compaction_status_view *view, synapgo_error *err);

/* Whether the calling thread is running the Go log callback. */
bool synapgo_in_log_callback(void);

/* synap_set_log_callback with the Go log callback and `handle` (a
 * runtime/cgo.Handle), or with none when `handle` is 0. */
int synapgo_set_log_callback(int level, uintptr_t handle, synapgo_error *err);

#endif
