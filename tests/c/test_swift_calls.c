/* The C calls the Swift wrapper (bindings/swift/Sources/Synap/Synap.swift)
 * makes, in the same order and pattern, since no Swift toolchain runs here:
 * options built and freed around synap_client_new, every failure's details
 * read right after it, each status copied field by field and freed, the
 * progress callback reaching its closure through user_data, a Cancel
 * triggered from another thread. Run by tests/swift_calls.rs under
 * valgrind, with the jobs in SYNAP_FIX_<name>. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "synap.h"

static char *copy(const char *text) {
    if (text == NULL) {
        return NULL;
    }
    char *out = malloc(strlen(text) + 1);
    return out ? strcpy(out, text) : NULL;
}

/* SynapError.last(code) */
struct error_copy {
    SynapCode code;
    char *code_name;
    char *message;
    uint16_t http_status;
    char *correlation_id;
    int64_t retry_after_ms;
};

static struct error_copy last_error(SynapCode code) {
    struct error_copy e;
    e.code = code;
    e.message = copy(synap_last_error_message());
    e.http_status = synap_last_error_http_status();
    e.correlation_id = copy(synap_last_error_correlation_id());
    e.retry_after_ms = synap_last_error_retry_after_ms();
    e.code_name = copy(synap_code_name((int)code));
    return e;
}

static void error_free(struct error_copy *e) {
    free(e->code_name);
    free(e->message);
    free(e->correlation_id);
}

/* MemoryStatus.init(_:) */
struct status_copy {
    char *ingestion_id, *document_id, *state;
    bool terminal;
    int64_t queued_at;
    bool started, completed;
    int64_t started_at, completed_at;
    uint64_t memories;
    size_t id_count;
    char **memory_ids;
    char *error_message;
};

static struct status_copy status_copy(const SynapMemoryStatus *s) {
    struct status_copy c;
    int64_t us = 0;
    c.ingestion_id = copy(synap_status_ingestion_id(s));
    c.document_id = copy(synap_status_document_id(s));
    c.state = copy(synap_status_state_name(s));
    c.terminal = synap_status_is_terminal(s);
    c.queued_at = synap_status_queued_at_us(s);
    c.started = synap_status_started_at_us(s, &us);
    c.started_at = us;
    c.completed = synap_status_completed_at_us(s, &us);
    c.completed_at = us;
    c.memories = synap_status_memories_created(s);
    c.id_count = synap_status_memory_id_count(s);
    c.memory_ids = calloc(c.id_count + 1, sizeof(char *));
    for (size_t i = 0; i < c.id_count; i++) {
        c.memory_ids[i] = copy(synap_status_memory_id(s, i));
    }
    c.error_message = copy(synap_status_error_message(s));
    return c;
}

static void status_copy_free(struct status_copy *c) {
    free(c->ingestion_id);
    free(c->document_id);
    free(c->state);
    for (size_t i = 0; i < c->id_count; i++) {
        free(c->memory_ids[i]);
    }
    free(c->memory_ids);
    free(c->error_message);
}

/* ClientOptions: 0 or NULL is nil. */
struct client_options {
    const char *base_url;
    uint32_t connect_timeout_ms, request_timeout_ms, deadline_ms, max_attempts;
    const char *proxy, *ca_file;
};

/* Client.init(apiKey:options:): the setters asked for, then the client; a
 * failure's details are read before the options are freed (Swift's defer). */
static SynapClient *client_new(const char *api_key, const struct client_options *o, struct error_copy *err) {
    SynapOptions *options = synap_options_new();
    SynapClient *out = NULL;
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && o->base_url) code = synap_options_set_base_url(options, o->base_url);
    if (code == SYNAP_OK && o->connect_timeout_ms) code = synap_options_set_connect_timeout_ms(options, o->connect_timeout_ms);
    if (code == SYNAP_OK && o->request_timeout_ms) code = synap_options_set_request_timeout_ms(options, o->request_timeout_ms);
    if (code == SYNAP_OK && o->deadline_ms) code = synap_options_set_deadline_ms(options, o->deadline_ms);
    if (code == SYNAP_OK && o->max_attempts) code = synap_options_set_max_attempts(options, o->max_attempts);
    if (code == SYNAP_OK && o->proxy) code = synap_options_set_proxy(options, o->proxy);
    if (code == SYNAP_OK && o->ca_file) code = synap_options_set_ca_file(options, o->ca_file);
    if (code == SYNAP_OK) code = synap_client_new(api_key ? api_key : "", options, &out);
    if (code != SYNAP_OK) *err = last_error(code);
    synap_options_free(options);
    return out;
}

/* Client.status(_:) */
static bool status(const SynapClient *client, const char *id, struct status_copy *c, struct error_copy *err) {
    SynapMemoryStatus *out = NULL;
    SynapCode code = synap_memories_status(client, id, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    *c = status_copy(out);
    synap_status_free(out);
    return true;
}

/* The Progress box a wait's user_data points to, and its closure. */
struct progress {
    int calls;
    int stop_after; /* 0: never stops */
    char last_state[32];
};

static bool progress_closure(struct progress *p, const struct status_copy *c) {
    p->calls++;
    snprintf(p->last_state, sizeof p->last_state, "%s", c->state);
    return p->stop_after == 0 || p->calls < p->stop_after;
}

static bool progress_to_closure(const SynapMemoryStatus *status, void *user_data) {
    struct status_copy c = status_copy(status);
    bool go_on = progress_closure(user_data, &c);
    status_copy_free(&c);
    return go_on;
}

/* Client.wait(_:timeout:pollInterval:cancel:progress:) */
static bool wait_for(const SynapClient *client, const char *id, uint32_t timeout_ms, uint32_t interval_ms,
                     const SynapCancel *cancel, struct progress *p, struct status_copy *c, struct error_copy *err) {
    SynapMemoryStatus *out = NULL;
    SynapCode code = p ? synap_memories_wait(client, id, timeout_ms, interval_ms, progress_to_closure, p, cancel, &out)
                       : synap_memories_wait(client, id, timeout_ms, interval_ms, NULL, NULL, cancel, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    *c = status_copy(out);
    synap_status_free(out);
    return true;
}

static void *trigger_later(void *cancel) {
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    synap_cancel_trigger(cancel);
    return NULL;
}

static void options_and_client_failures(void) {
    struct error_copy err;
    struct client_options refused = {0};
    refused.base_url = fixture("BASE_URL");
    refused.max_attempts = 1000; /* over the limit: the setter refuses it */
    CHECK(client_new("synap_dev_emulator", &refused, &err) == NULL, "max_attempts 1000 refused");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "attempts") != NULL, "%s", err.message);
    CHECK(str_eq(err.code_name, "SYNAP_INVALID_ARGUMENT") && err.correlation_id == NULL, "%s", err.code_name);
    error_free(&err);

    struct client_options no_ca = {0};
    no_ca.ca_file = "/nonexistent/ca.pem";
    CHECK(client_new("synap_dev_emulator", &no_ca, &err) == NULL, "a missing CA file fails the client");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "/nonexistent/ca.pem") != NULL, "%s",
          err.message);
    error_free(&err);
}

int main(void) {
    CHECK(strcmp(synap_version(), SYNAP_VERSION) == 0, "%s", synap_version()); /* version() */
    options_and_client_failures();

    struct client_options options = {0};
    options.base_url = fixture("BASE_URL");
    options.connect_timeout_ms = 2000;
    options.request_timeout_ms = 5000;
    options.deadline_ms = 10000;
    options.max_attempts = 1;
    options.proxy = "";
    struct error_copy err;
    SynapClient *client = client_new("synap_dev_emulator", &options, &err);
    if (client == NULL) {
        fprintf(stderr, "no client: %s\n", err.message);
        error_free(&err);
        return 1;
    }

    struct status_copy c;
    if (status(client, fixture("COMPLETED"), &c, &err)) {
        CHECK(str_eq(c.ingestion_id, fixture("COMPLETED")) && str_eq(c.document_id, "swift-doc"), "%s", c.document_id);
        CHECK(str_eq(c.state, "completed") && c.terminal && c.memories == 2 && c.id_count == 2, "%s", c.state);
        CHECK(c.started && c.completed && c.completed_at >= c.queued_at && c.error_message == NULL, "times");
        CHECK(c.memory_ids[0] != NULL && c.memory_ids[1] != NULL && c.memory_ids[2] == NULL, "memory ids");
        status_copy_free(&c);
    } else {
        CHECK(false, "status: %s", err.message);
        error_free(&err);
    }
    if (status(client, fixture("FAILED"), &c, &err)) {
        CHECK(str_eq(c.state, "failed") && str_eq(c.error_message, "boom"), "%s", c.state);
        status_copy_free(&c);
    } else {
        CHECK(false, "status: %s", err.message);
        error_free(&err);
    }

    CHECK(!status(client, "00000000-0000-4000-8000-000000000000", &c, &err), "unknown id");
    CHECK(err.code == SYNAP_NOT_FOUND && err.http_status == 404 && starts_with(err.correlation_id, "syn__"), "%s",
          err.message);
    CHECK(err.retry_after_ms == -1 && str_eq(err.code_name, "SYNAP_NOT_FOUND"), "%lld", (long long)err.retry_after_ms);
    error_free(&err);
    CHECK(!status(client, fixture("R429"), &c, &err), "rate limited");
    CHECK(err.code == SYNAP_RATE_LIMITED && err.retry_after_ms == 7000, "%lld", (long long)err.retry_after_ms);
    error_free(&err);

    /* A wait with a progress closure, until the job is done. */
    struct progress p = {0, 0, ""};
    if (wait_for(client, fixture("PROGRESSING"), 30000, 50, NULL, &p, &c, &err)) {
        CHECK(str_eq(c.state, "completed") && p.calls >= 1 && strcmp(p.last_state, "completed") == 0, "%d calls",
              p.calls);
        status_copy_free(&c);
    } else {
        CHECK(false, "wait: %s", err.message);
        error_free(&err);
    }
    /* The closure returning false stops it. */
    struct progress stop = {0, 2, ""};
    CHECK(!wait_for(client, fixture("NEVER"), 30000, 10, NULL, &stop, &c, &err), "stopped by progress");
    CHECK(err.code == SYNAP_CANCELLED && stop.calls == 2, "%s after %d calls", err.code_name, stop.calls);
    error_free(&err);
    /* A Cancel triggered from another thread; no progress closure. */
    SynapCancel *cancel = synap_cancel_new();
    pthread_t thread;
    pthread_create(&thread, NULL, trigger_later, cancel);
    CHECK(!wait_for(client, fixture("NEVER"), 30000, 20, cancel, NULL, &c, &err), "cancelled");
    pthread_join(thread, NULL);
    CHECK(err.code == SYNAP_CANCELLED && synap_cancel_is_triggered(cancel), "%s", err.code_name);
    error_free(&err);
    synap_cancel_free(cancel);
    /* The timeout. */
    CHECK(!wait_for(client, fixture("NEVER"), 200, 20, NULL, NULL, &c, &err), "timed out");
    CHECK(err.code == SYNAP_TIMEOUT, "%s", err.code_name);
    error_free(&err);

    synap_client_free(client);
    return finish();
}
