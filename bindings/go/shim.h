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

/* Whether the calling thread is running the Go log callback. */
bool synapgo_in_log_callback(void);

/* synap_set_log_callback with the Go log callback and `handle` (a
 * runtime/cgo.Handle), or with none when `handle` is 0. */
int synapgo_set_log_callback(int level, uintptr_t handle, synapgo_error *err);

#endif
