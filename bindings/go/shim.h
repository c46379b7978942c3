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

/* Whether the calling thread is running the Go log callback. */
bool synapgo_in_log_callback(void);

/* synap_set_log_callback with the Go log callback and `handle` (a
 * runtime/cgo.Handle), or with none when `handle` is 0. */
int synapgo_set_log_callback(int level, uintptr_t handle, synapgo_error *err);

#endif
