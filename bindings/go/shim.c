#include "shim.h"

#include <stdlib.h>
#include <string.h>

#include "_cgo_export.h"

static char *copy(const char *text) {
    if (text == NULL) {
        return NULL;
    }
    size_t size = strlen(text) + 1;
    char *out = malloc(size);
    if (out != NULL) {
        memcpy(out, text, size);
    }
    return out;
}

/* Copies the calling thread's last error for a call that returned `code`. */
static int fail(int code, synapgo_error *err) {
    err->code = code;
    err->http_status = synap_last_error_http_status();
    err->retry_after_ms = synap_last_error_retry_after_ms();
    err->message = copy(synap_last_error_message());
    err->correlation_id = copy(synap_last_error_correlation_id());
    return code;
}

static int out_of_memory(synapgo_error *err) {
    err->code = SYNAP_INTERNAL;
    err->message = copy("out of memory");
    return SYNAP_INTERNAL;
}

static SynapCode apply(SynapOptions *o, const synapgo_settings *s) {
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && (s->set & SYNAPGO_BASE_URL)) {
        code = synap_options_set_base_url(o, s->base_url);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_CONNECT_TIMEOUT)) {
        code = synap_options_set_connect_timeout_ms(o, s->connect_timeout_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_REQUEST_TIMEOUT)) {
        code = synap_options_set_request_timeout_ms(o, s->request_timeout_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_DEADLINE)) {
        code = synap_options_set_deadline_ms(o, s->deadline_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_MAX_ATTEMPTS)) {
        code = synap_options_set_max_attempts(o, s->max_attempts);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_RETRY_BACKOFF)) {
        code = synap_options_set_retry_backoff_ms(o, s->backoff_base_ms, s->backoff_cap_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_PROXY)) {
        code = synap_options_set_proxy(o, s->proxy);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_CA_FILE)) {
        code = synap_options_set_ca_file(o, s->ca_file);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_SYSTEM_ROOTS)) {
        code = synap_options_set_system_roots(o, s->system_roots);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_MAX_BODY_BYTES)) {
        code = synap_options_set_max_body_bytes(o, s->max_body_bytes);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_ALLOW_INSECURE_HTTP)) {
        code = synap_options_set_allow_insecure_http(o, s->allow_insecure_http);
    }
    return code;
}

int synapgo_client_new(const char *api_key, const synapgo_settings *settings, SynapClient **out,
                       synapgo_error *err) {
    SynapOptions *options = synap_options_new();
    if (options == NULL) {
        return out_of_memory(err);
    }
    SynapCode code = apply(options, settings);
    if (code == SYNAP_OK) {
        code = synap_client_new(api_key, options, out);
    }
    /* Read before anything else runs, as after every failure. */
    if (code != SYNAP_OK) {
        fail(code, err);
    }
    synap_options_free(options);
    return code;
}

int synapgo_status(const SynapClient *client, const char *id, SynapMemoryStatus **out, synapgo_error *err) {
    SynapCode code = synap_memories_status(client, id, out);
    return code == SYNAP_OK ? SYNAP_OK : fail(code, err);
}

/* Builds the options `s` describes, with `to_go` as the progress callback
 * when `s` has a handle. On failure it copies the error into `err` and
 * returns the code. */
static int wait_options(const synapgo_wait_settings *s, SynapWaitProgressFn to_go, SynapWaitOptions **out,
                        synapgo_error *err) {
    SynapWaitOptions *o = synap_wait_options_new();
    if (o == NULL) {
        return out_of_memory(err);
    }
    SynapCode code = synap_wait_options_set_timeout_ms(o, s->timeout_ms);
    if (code == SYNAP_OK && s->poll_interval_ms > 0) {
        code = synap_wait_options_set_poll_interval_ms(o, s->poll_interval_ms);
    }
    if (code == SYNAP_OK && s->max_in_flight > 0) {
        code = synap_wait_options_set_max_in_flight(o, s->max_in_flight);
    }
    if (code == SYNAP_OK && s->progress != 0) {
        code = synap_wait_options_set_progress(o, to_go, (void *)s->progress);
    }
    if (code == SYNAP_OK && s->cancel != NULL) {
        code = synap_wait_options_set_cancel(o, s->cancel);
    }
    if (code != SYNAP_OK) {
        fail(code, err);
        synap_wait_options_free(o);
        return code;
    }
    *out = o;
    return SYNAP_OK;
}

/* Hands each poll's progress to the Go function behind the handle. */
static bool progress_to_go(const SynapWaitProgress *progress, void *user_data) {
    return synapgoProgress((SynapWaitProgress *)progress, (uintptr_t)user_data);
}

int synapgo_wait(const SynapClient *client, const char *id, const synapgo_wait_settings *settings,
                 SynapMemoryStatus **out, synapgo_error *err) {
    SynapWaitOptions *options = NULL;
    int code = wait_options(settings, progress_to_go, &options, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_wait(client, id, options, out);
    if (code != SYNAP_OK) {
        fail(code, err);
    }
    synap_wait_options_free(options);
    return code;
}

/* Applies every field `in` sets to a new request. On failure it copies the
 * error into `err`, frees the request and returns the code. */
static int build(const synapgo_request *in, SynapCreateRequest **out, synapgo_error *err) {
    SynapCreateRequest *r = synap_create_request_new();
    if (r == NULL) {
        return out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && in->text != NULL) {
        code = synap_create_request_set_document_text(r, in->text);
    }
    if (code == SYNAP_OK && in->json != NULL) {
        code = synap_create_request_set_document_json(r, in->json);
    }
    if (code == SYNAP_OK && in->document_type != NULL) {
        code = synap_create_request_set_document_type(r, in->document_type);
    }
    if (code == SYNAP_OK && in->mode != NULL) {
        code = synap_create_request_set_mode(r, in->mode);
    }
    if (code == SYNAP_OK && in->document_id != NULL) {
        code = synap_create_request_set_document_id(r, in->document_id);
    }
    if (code == SYNAP_OK && in->has_created_at) {
        code = synap_create_request_set_document_created_at_us(r, in->created_at_us);
    }
    if (code == SYNAP_OK && in->user_id != NULL) {
        code = synap_create_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->customer_id != NULL) {
        code = synap_create_request_set_customer_id(r, in->customer_id);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->scope_count; i++) {
        code = synap_create_request_add_scope(r, in->scope[2 * i], in->scope[2 * i + 1]);
    }
    if (code == SYNAP_OK && in->metadata_json != NULL) {
        code = synap_create_request_set_metadata_json(r, in->metadata_json);
    }
    if (code != SYNAP_OK) {
        fail(code, err);
        synap_create_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

int synapgo_create(const SynapClient *client, const synapgo_request *request, SynapIngestion **out,
                   synapgo_error *err) {
    SynapCreateRequest *r = NULL;
    int code = build(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_create(client, r, out);
    if (code != SYNAP_OK) {
        fail(code, err);
    }
    synap_create_request_free(r);
    return code;
}

int synapgo_batch_create(const SynapClient *client, const synapgo_request *requests, size_t count, bool fail_fast,
                         SynapBatch **out, size_t *bad_index, synapgo_error *err) {
    SynapCreateRequest **built = NULL;
    if (count > 0) {
        built = calloc(count, sizeof *built);
        if (built == NULL) {
            return out_of_memory(err);
        }
    }
    int code = SYNAP_OK;
    size_t made = 0;
    for (; made < count; made++) {
        code = build(&requests[made], &built[made], err);
        if (code != SYNAP_OK) {
            *bad_index = made;
            break;
        }
    }
    if (code == SYNAP_OK) {
        code = synap_memories_batch_create(client, (const SynapCreateRequest *const *)built, count, fail_fast, out);
        if (code != SYNAP_OK) {
            fail(code, err);
        }
    }
    for (size_t i = 0; i < made; i++) {
        synap_create_request_free(built[i]);
    }
    free(built);
    return code;
}

int synapgo_get(const SynapClient *client, const char *id, SynapMemory **out, synapgo_error *err) {
    SynapCode code = synap_memories_get(client, id, out);
    return code == SYNAP_OK ? SYNAP_OK : fail(code, err);
}

int synapgo_whoami(const SynapClient *client, SynapIdentity **out, synapgo_error *err) {
    SynapCode code = synap_client_whoami(client, out);
    return code == SYNAP_OK ? SYNAP_OK : fail(code, err);
}

/* Hands each change of the counts to the Go function behind the handle. */
static bool counts_to_go(const SynapWaitProgress *progress, void *user_data) {
    return synapgoWaitAllProgress((SynapWaitProgress *)progress, (uintptr_t)user_data);
}

int synapgo_wait_all(const SynapClient *client, const char *const *ids, size_t count,
                     const synapgo_wait_settings *settings, SynapWaitAllResults **out, synapgo_error *err) {
    SynapWaitOptions *options = NULL;
    int code = wait_options(settings, counts_to_go, &options, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_wait_all(client, ids, count, options, out);
    if (code != SYNAP_OK) {
        fail(code, err);
    }
    synap_wait_options_free(options);
    return code;
}

/* Set while this thread runs the Go log callback, so that SetLogCallback
 * can refuse a call from inside it before taking its lock: a replacement
 * holding that lock waits for the callback to return. */
static _Thread_local bool in_log;

bool synapgo_in_log_callback(void) {
    return in_log;
}

/* Hands each log line to the Go function behind the handle. */
static void log_to_go(SynapLogLevel level, const char *message, void *user_data) {
    bool was = in_log;
    in_log = true;
    synapgoLog((int)level, (char *)message, (uintptr_t)user_data);
    in_log = was;
}

int synapgo_set_log_callback(int level, uintptr_t handle, synapgo_error *err) {
    SynapCode code = synap_set_log_callback(level, handle ? log_to_go : NULL, (void *)handle);
    return code == SYNAP_OK ? SYNAP_OK : fail(code, err);
}
