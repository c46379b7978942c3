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
        err->code = SYNAP_INTERNAL;
        err->message = copy("out of memory");
        return SYNAP_INTERNAL;
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

/* Hands each polled status to the Go function behind the handle. */
static bool progress_to_go(const SynapMemoryStatus *status, void *user_data) {
    return synapgoProgress((SynapMemoryStatus *)status, (uintptr_t)user_data);
}

int synapgo_wait(const SynapClient *client, const char *id, uint32_t timeout_ms, uint32_t interval_ms,
                 uintptr_t progress, const SynapCancel *cancel, SynapMemoryStatus **out, synapgo_error *err) {
    SynapCode code = synap_memories_wait(client, id, timeout_ms, interval_ms, progress ? progress_to_go : NULL,
                                         (void *)progress, cancel, out);
    return code == SYNAP_OK ? SYNAP_OK : fail(code, err);
}
