/* The C calls the Swift wrapper (bindings/swift/Sources/Synap/Synap.swift)
 * makes, in the same order and pattern, since no Swift toolchain runs here:
 * options built and freed around synap_client_new, every failure's details
 * read right after it, each status copied field by field and freed, wait
 * options built around each wait, the progress callback reaching its
 * closure through user_data with the progress copied out, a Cancel
 * triggered from another thread, create requests built setter by setter
 * and freed after the call (or at the first refusal), wait-all ids copied
 * for the call and each job's result turned into a success or an error,
 * and the process-wide log handler retained until it is replaced.
 * Run by tests/swift_calls.rs under valgrind, with the jobs in
 * SYNAP_FIX_<name>. */
#define _POSIX_C_SOURCE 200809L

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
    SynapIngestState ingest_state;
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
    c.ingest_state = synap_status_state(s);
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

/* ClientOptions: NULL is nil; the two Bools are always set. */
struct client_options {
    const char *base_url;
    const uint32_t *connect_timeout_ms, *request_timeout_ms;
    const uint64_t *max_body_bytes;
    const uint32_t *deadline_ms, *max_attempts;
    const uint32_t *retry_backoff_ms; /* {base, cap} */
    const char *proxy, *ca_file;
    bool system_roots, allow_insecure_http;
};

/* Client.init(apiKey:options:): the setters asked for, then the client; a
 * failure's details are read before the options are freed (Swift's defer). */
static SynapClient *client_new(const char *api_key, const struct client_options *o, struct error_copy *err) {
    SynapOptions *options = synap_options_new();
    SynapClient *out = NULL;
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && o->base_url) code = synap_options_set_base_url(options, o->base_url);
    if (code == SYNAP_OK && o->connect_timeout_ms)
        code = synap_options_set_connect_timeout_ms(options, *o->connect_timeout_ms);
    if (code == SYNAP_OK && o->request_timeout_ms)
        code = synap_options_set_request_timeout_ms(options, *o->request_timeout_ms);
    if (code == SYNAP_OK && o->max_body_bytes) code = synap_options_set_max_body_bytes(options, *o->max_body_bytes);
    if (code == SYNAP_OK && o->deadline_ms) code = synap_options_set_deadline_ms(options, *o->deadline_ms);
    if (code == SYNAP_OK && o->max_attempts) code = synap_options_set_max_attempts(options, *o->max_attempts);
    if (code == SYNAP_OK && o->retry_backoff_ms)
        code = synap_options_set_retry_backoff_ms(options, o->retry_backoff_ms[0], o->retry_backoff_ms[1]);
    if (code == SYNAP_OK && o->proxy) code = synap_options_set_proxy(options, o->proxy);
    if (code == SYNAP_OK && o->ca_file) code = synap_options_set_ca_file(options, o->ca_file);
    if (code == SYNAP_OK) code = synap_options_set_system_roots(options, o->system_roots);
    if (code == SYNAP_OK) code = synap_options_set_allow_insecure_http(options, o->allow_insecure_http);
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

/* The failure a wait-all job ended with: SynapError(code, message:). */
static struct error_copy job_error(SynapCode code, const char *message) {
    struct error_copy e;
    e.code = code;
    e.code_name = copy(synap_code_name((int)code));
    e.message = copy(message ? message : "");
    e.http_status = 0;
    e.correlation_id = NULL;
    e.retry_after_ms = -1;
    return e;
}

/* WaitCounts, indexed by SynapWaitState (WaitState's raw values). */
#define WAIT_STATES (SYNAP_WAIT_ERROR + 1)

/* WaitProgress.init(_:): the total, the counts state by state, and for a
 * single wait the status. */
struct progress_copy {
    size_t total;
    size_t counts[WAIT_STATES];
    bool has_status;
    struct status_copy status;
};

static struct progress_copy progress_copy(const SynapWaitProgress *p) {
    struct progress_copy c;
    c.total = synap_wait_progress_total(p);
    for (int state = SYNAP_WAIT_PENDING; state < WAIT_STATES; state++) {
        c.counts[state] = synap_wait_progress_count(p, state);
    }
    const SynapMemoryStatus *status = synap_wait_progress_status(p);
    c.has_status = status != NULL;
    if (status != NULL) {
        c.status = status_copy(status);
    }
    return c;
}

static void progress_copy_free(struct progress_copy *c) {
    if (c->has_status) {
        status_copy_free(&c->status);
    }
}

/* The WaitState a job in `state` (a state name) is counted in. */
static int wait_state_of(const char *state) {
    static const char *const names[] = {"queued", "processing", "completed", "failed", "partial_success"};
    for (int i = 0; i < 5; i++) {
        if (str_eq(state, names[i])) {
            return SYNAP_WAIT_QUEUED + i;
        }
    }
    return SYNAP_WAIT_PROCESSING;
}

/* The closure a wait's ProgressHandler holds, and what it captured: what
 * the progress reports said. */
struct progress {
    int calls;
    int stop_after;   /* 0: never stops */
    int inconsistent; /* reports whose counts do not match their total or status */
    size_t first_counts[WAIT_STATES];
    size_t last_total;
    size_t last_counts[WAIT_STATES];
    bool last_has_status;
    char last_state[32];
};

static bool progress_closure(struct progress *p, const struct progress_copy *c) {
    size_t sum = 0;
    for (int state = 0; state < WAIT_STATES; state++) {
        sum += c->counts[state];
        if (p->calls == 0) {
            p->first_counts[state] = c->counts[state];
        }
        p->last_counts[state] = c->counts[state];
    }
    if (sum != c->total || (c->has_status && c->counts[wait_state_of(c->status.state)] != 1)) {
        p->inconsistent++;
    }
    p->calls++;
    p->last_total = c->total;
    p->last_has_status = c->has_status;
    snprintf(p->last_state, sizeof p->last_state, "%s", c->has_status ? c->status.state : "");
    return p->stop_after == 0 || p->calls < p->stop_after;
}

static bool progress_to_closure(const SynapWaitProgress *progress, void *user_data) {
    struct progress_copy c = progress_copy(progress);
    bool go_on = progress_closure(user_data, &c);
    progress_copy_free(&c);
    return go_on;
}

/* WaitOptions: NULL is nil. */
struct wait_options {
    const uint32_t *timeout_ms, *poll_interval_ms, *max_in_flight;
    const SynapCancel *cancel;
    struct progress *progress;
};

/* WaitOptions.withHandle(_:) up to its body: the setters asked for, in the
 * wrapper's order; on a refusal its details are read, then the options are
 * freed. Otherwise the caller frees them after its call. */
static SynapWaitOptions *wait_options_handle(const struct wait_options *w, struct error_copy *err) {
    SynapWaitOptions *o = synap_wait_options_new();
    if (o == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && w->timeout_ms) code = synap_wait_options_set_timeout_ms(o, *w->timeout_ms);
    if (code == SYNAP_OK && w->poll_interval_ms)
        code = synap_wait_options_set_poll_interval_ms(o, *w->poll_interval_ms);
    if (code == SYNAP_OK && w->max_in_flight) code = synap_wait_options_set_max_in_flight(o, *w->max_in_flight);
    if (code == SYNAP_OK && w->cancel) code = synap_wait_options_set_cancel(o, w->cancel);
    if (code == SYNAP_OK && w->progress)
        code = synap_wait_options_set_progress(o, progress_to_closure, w->progress);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_wait_options_free(o);
        return NULL;
    }
    return o;
}

/* Client.wait(_:options:): the wait's failure read before the options are
 * freed, the status copied and freed after. */
static bool wait_for(const SynapClient *client, const char *id, const struct wait_options *w, struct status_copy *c,
                     struct error_copy *err) {
    SynapWaitOptions *o = wait_options_handle(w, err);
    if (o == NULL) {
        return false;
    }
    SynapMemoryStatus *out = NULL;
    SynapCode code = synap_memories_wait(client, id, o, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
    }
    synap_wait_options_free(o);
    if (code != SYNAP_OK) {
        return false;
    }
    *c = status_copy(out);
    synap_status_free(out);
    return true;
}

/* CreateRequest: json set means .json, else .text; NULL (or
 * has_created_at false) is nil; scope is level, value, ..., NULL. */
struct create_request {
    const char *text, *json;
    const char *document_type, *mode, *document_id;
    bool has_created_at;
    int64_t created_at_us;
    const char *user_id, *customer_id;
    const char *const *scope;
    const char *metadata_json;
};

/* CreateRequest.handle(): the setters asked for, in the wrapper's order; on
 * a refusal its details are read, then the request is freed. */
static SynapCreateRequest *request_handle(const struct create_request *q, struct error_copy *err) {
    SynapCreateRequest *r = synap_create_request_new();
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = q->json ? synap_create_request_set_document_json(r, q->json)
                             : synap_create_request_set_document_text(r, q->text);
    if (code == SYNAP_OK && q->document_type) code = synap_create_request_set_document_type(r, q->document_type);
    if (code == SYNAP_OK && q->mode) code = synap_create_request_set_mode(r, q->mode);
    if (code == SYNAP_OK && q->document_id) code = synap_create_request_set_document_id(r, q->document_id);
    if (code == SYNAP_OK && q->has_created_at) code = synap_create_request_set_document_created_at_us(r, q->created_at_us);
    if (code == SYNAP_OK && q->user_id) code = synap_create_request_set_user_id(r, q->user_id);
    if (code == SYNAP_OK && q->customer_id) code = synap_create_request_set_customer_id(r, q->customer_id);
    for (const char *const *s = q->scope; code == SYNAP_OK && s && s[0]; s += 2) {
        code = synap_create_request_add_scope(r, s[0], s[1]);
    }
    if (code == SYNAP_OK && q->metadata_json) code = synap_create_request_set_metadata_json(r, q->metadata_json);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_create_request_free(r);
        return NULL;
    }
    return r;
}

/* Ingestion.init(_:) */
struct ingestion_copy {
    char *ingestion_id, *document_id, *state;
    bool accepted;
    int64_t queued_at;
    char *error_message;
};

static struct ingestion_copy ingestion_copy(const SynapIngestion *i) {
    struct ingestion_copy c;
    c.ingestion_id = copy(synap_ingestion_id(i));
    c.document_id = copy(synap_ingestion_document_id(i));
    c.state = copy(synap_ingestion_state_name(i));
    c.accepted = synap_ingestion_state(i) != SYNAP_INGEST_FAILED;
    c.queued_at = synap_ingestion_queued_at_us(i);
    c.error_message = copy(synap_ingestion_error_message(i));
    return c;
}

static void ingestion_copy_free(struct ingestion_copy *c) {
    free(c->ingestion_id);
    free(c->document_id);
    free(c->state);
    free(c->error_message);
}

/* Client.create(_:): the request is freed after the ingestion (Swift's
 * defers, last in first out), and after a failure's details are read. */
static bool create(const SynapClient *client, const struct create_request *q, struct ingestion_copy *c,
                   struct error_copy *err) {
    SynapCreateRequest *r = request_handle(q, err);
    if (r == NULL) {
        return false;
    }
    SynapIngestion *out = NULL;
    SynapCode code = synap_memories_create(client, r, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_create_request_free(r);
        return false;
    }
    *c = ingestion_copy(out);
    synap_ingestion_free(out);
    synap_create_request_free(r);
    return true;
}

/* Batch.init(_:) */
struct batch_copy {
    char *batch_id;
    uint64_t total, succeeded, failed;
    size_t count;
    struct ingestion_copy *results;
};

static struct batch_copy batch_copy(const SynapBatch *b) {
    struct batch_copy c;
    c.batch_id = copy(synap_batch_id(b));
    c.total = c.succeeded = c.failed = 0;
    (void)synap_batch_counts(b, &c.total, &c.succeeded, &c.failed);
    c.count = synap_batch_result_count(b);
    c.results = calloc(c.count + 1, sizeof *c.results);
    for (size_t i = 0; i < c.count; i++) {
        c.results[i] = ingestion_copy(synap_batch_result(b, i));
    }
    return c;
}

static void batch_copy_free(struct batch_copy *c) {
    free(c->batch_id);
    for (size_t i = 0; i < c->count; i++) {
        ingestion_copy_free(&c->results[i]);
    }
    free(c->results);
}

/* Client.batchCreate(_:failFast:): handles made one by one (a refusal stops
 * there), every one made freed at the end. */
static bool batch_create(const SynapClient *client, const struct create_request *qs, size_t n, bool fail_fast,
                         struct batch_copy *c, struct error_copy *err) {
    SynapCreateRequest **handles = calloc(n + 1, sizeof *handles);
    size_t made = 0;
    bool ok = true;
    for (; made < n; made++) {
        handles[made] = request_handle(&qs[made], err);
        if (handles[made] == NULL) {
            ok = false;
            break;
        }
    }
    if (ok) {
        SynapBatch *out = NULL;
        SynapCode code =
            synap_memories_batch_create(client, (const SynapCreateRequest *const *)handles, n, fail_fast, &out);
        if (code == SYNAP_OK) {
            *c = batch_copy(out);
            synap_batch_free(out);
        } else {
            *err = last_error(code);
            ok = false;
        }
    }
    for (size_t i = 0; i < made; i++) {
        synap_create_request_free(handles[i]);
    }
    free(handles);
    return ok;
}

/* Memory.init(_:) */
struct memory_copy {
    char *memory_id, *memory_type, *content;
    double confidence;
    char *category, *subcategory;
    int64_t created_at;
    bool updated;
    int64_t updated_at;
    char *source_document_id;
};

static struct memory_copy memory_copy(const SynapMemory *m) {
    struct memory_copy c;
    int64_t us = 0;
    c.memory_id = copy(synap_memory_id(m));
    c.memory_type = copy(synap_memory_type(m));
    c.content = copy(synap_memory_content(m));
    c.confidence = synap_memory_confidence(m);
    c.category = copy(synap_memory_category(m));
    c.subcategory = copy(synap_memory_subcategory(m));
    c.created_at = synap_memory_created_at_us(m);
    c.updated = synap_memory_updated_at_us(m, &us);
    c.updated_at = us;
    c.source_document_id = copy(synap_memory_source_document_id(m));
    return c;
}

static void memory_copy_free(struct memory_copy *c) {
    free(c->memory_id);
    free(c->memory_type);
    free(c->content);
    free(c->category);
    free(c->subcategory);
    free(c->source_document_id);
}

/* Client.get(_:) */
static bool get(const SynapClient *client, const char *id, struct memory_copy *c, struct error_copy *err) {
    SynapMemory *out = NULL;
    SynapCode code = synap_memories_get(client, id, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    *c = memory_copy(out);
    synap_memory_free(out);
    return true;
}

/* Identity.init(_:) */
struct identity_copy {
    char *client_id, *instance_id, *user_context_isolation;
};

/* Client.whoami() */
static bool whoami(const SynapClient *client, struct identity_copy *c, struct error_copy *err) {
    SynapIdentity *out = NULL;
    SynapCode code = synap_client_whoami(client, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    c->client_id = copy(synap_identity_client_id(out));
    c->instance_id = copy(synap_identity_instance_id(out));
    c->user_context_isolation = copy(synap_identity_user_context_isolation(out));
    synap_identity_free(out);
    return true;
}

static void identity_copy_free(struct identity_copy *c) {
    free(c->client_id);
    free(c->instance_id);
    free(c->user_context_isolation);
}

/* One element of WaitAllResults.results. */
struct wait_result {
    bool ok;
    struct status_copy status;
    struct error_copy error;
};

/* WaitAllResults.init(_:): the results, then the counts state by state. */
struct wait_all_copy {
    size_t count;
    struct wait_result *results;
    size_t counts[WAIT_STATES];
};

static void wait_all_copy_free(struct wait_all_copy *r) {
    for (size_t i = 0; i < r->count; i++) {
        if (r->results[i].ok) {
            status_copy_free(&r->results[i].status);
        } else {
            error_free(&r->results[i].error);
        }
    }
    free(r->results);
}

/* Client.waitAll(_:options:): the ids copied (strdup) for the call, the
 * options freed after it, the results copied and freed before the copies. */
static bool wait_all(const SynapClient *client, const char *const *ids, size_t n, const struct wait_options *w,
                     struct wait_all_copy *r, struct error_copy *err) {
    char **copies = calloc(n + 1, sizeof *copies);
    for (size_t i = 0; i < n; i++) {
        copies[i] = copy(ids[i]);
    }
    const char *const *c_ids = (const char *const *)copies;
    SynapWaitAllResults *out = NULL;
    SynapCode code = SYNAP_INVALID_ARGUMENT;
    SynapWaitOptions *o = wait_options_handle(w, err);
    if (o != NULL) {
        code = synap_memories_wait_all(client, c_ids, n, o, &out);
        if (code != SYNAP_OK) {
            *err = last_error(code);
        }
        synap_wait_options_free(o);
    }
    bool ok = code == SYNAP_OK;
    if (ok) {
        r->count = synap_wait_all_count(out);
        r->results = calloc(r->count + 1, sizeof *r->results);
        for (size_t i = 0; i < r->count; i++) {
            const SynapMemoryStatus *status = synap_wait_all_status(out, i);
            r->results[i].ok = status != NULL;
            if (status != NULL) {
                r->results[i].status = status_copy(status);
            } else {
                r->results[i].error = job_error(synap_wait_all_code(out, i), synap_wait_all_error_message(out, i));
            }
        }
        for (int state = SYNAP_WAIT_PENDING; state < WAIT_STATES; state++) {
            r->counts[state] = synap_wait_all_count_in(out, state);
        }
        synap_wait_all_free(out);
    }
    for (size_t i = 0; i < n; i++) {
        free(copies[i]);
    }
    free(copies);
    return ok;
}

/* The closure a LogHandler holds, and what it captured: what the lines
 * said. Lines may come from several threads at once. */
struct log_lines {
    pthread_mutex_t lock;
    int count;
    int debug;
    int retrying; /* info lines announcing a retry */
    int key_seen;
    char last_debug[512];
};

static void log_closure(struct log_lines *lines, SynapLogLevel level, const char *line) {
    pthread_mutex_lock(&lines->lock);
    lines->count++;
    if (level == SYNAP_LOG_DEBUG) {
        lines->debug++;
        snprintf(lines->last_debug, sizeof lines->last_debug, "%s", line);
    }
    if (level == SYNAP_LOG_INFO && strstr(line, "retrying in") != NULL) {
        lines->retrying++;
    }
    if (strstr(line, "synap_dev_emulator") != NULL) {
        lines->key_seen++;
    }
    pthread_mutex_unlock(&lines->lock);
}

/* The LogHandler setLogHandler retains: the closure's captures. */
struct log_handler {
    struct log_lines *lines;
};

static void log_to_closure(SynapLogLevel level, const char *message, void *user_data) {
    struct log_handler *handler = user_data;
    char *line = copy(message ? message : "");
    log_closure(handler->lines, level, line);
    free(line);
}

/* logLock and installedLogHandler. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_handler *installed_log_handler = NULL;

/* swapLogHandler(level:_:): under the lock, installs `handler` (NULL: nil)
 * and hands back the one it replaced; a refusal's details are read first. */
static bool swap_log_handler(SynapLogLevel level, struct log_handler *handler, struct log_handler **old,
                             struct error_copy *err) {
    pthread_mutex_lock(&log_lock);
    SynapCode code = handler ? synap_set_log_callback((int32_t)level, log_to_closure, handler)
                             : synap_set_log_callback((int32_t)level, NULL, NULL);
    bool ok = code == SYNAP_OK;
    if (ok) {
        *old = installed_log_handler;
        installed_log_handler = handler;
    } else {
        *err = last_error(code);
    }
    pthread_mutex_unlock(&log_lock);
    return ok;
}

/* setLogHandler(level:_:): the new handler retained, the old one released
 * once libsynap has let go of it, outside the lock; `lines` NULL is nil. */
static bool set_log_handler(SynapLogLevel level, struct log_lines *lines, struct error_copy *err) {
    struct log_handler *handler = NULL;
    if (lines != NULL) {
        handler = malloc(sizeof *handler);
        handler->lines = lines;
    }
    struct log_handler *old = NULL;
    if (!swap_log_handler(level, handler, &old, err)) {
        free(handler);
        return false;
    }
    free(old);
    return true;
}

static void *trigger_later(void *cancel) {
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    synap_cancel_trigger(cancel);
    return NULL;
}

/* Long enough for a finished job's answer to arrive first, under valgrind. */
static void *trigger_after_a_second(void *cancel) {
    struct timespec pause = {1, 0};
    nanosleep(&pause, NULL);
    synap_cancel_trigger(cancel);
    return NULL;
}

/* The loop from a document to its memories, as the README shows it, with
 * the error paths of each step. */
static const char *const SCOPE[] = {"team", "payments", NULL};
static const char *const CHAT =
    "User: I only drink decaf after 3pm. I visited Lisbon with my family last spring.\nAssistant: Noted.";

static void create_refusals(const SynapClient *client) {
    struct ingestion_copy i;
    struct error_copy err;
    /* Refused by libsynap before any request: no HTTP status, no id. */
    struct create_request q = {0};
    q.text = CHAT;
    q.document_type = "support-ticket";
    CHECK(!create(client, &q, &i, &err), "unknown document type");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && starts_with(err.message, "document_type \"support-ticket\""), "%s",
          err.message);
    CHECK(err.http_status == 0 && err.correlation_id == NULL && str_eq(err.code_name, "SYNAP_INVALID_ARGUMENT"),
          "%u", err.http_status);
    error_free(&err);
    q.document_type = NULL;
    q.mode = "slow";
    CHECK(!create(client, &q, &i, &err) && err.code == SYNAP_INVALID_ARGUMENT, "unknown mode");
    CHECK(strstr(err.message, "slow") != NULL, "%s", err.message);
    error_free(&err);
    q.mode = NULL;
    q.metadata_json = "[1]";
    CHECK(!create(client, &q, &i, &err) && err.code == SYNAP_INVALID_ARGUMENT, "metadata not an object");
    CHECK(strstr(err.message, "metadata") != NULL, "%s", err.message);
    error_free(&err);
    q.metadata_json = NULL;
    q.has_created_at = true;
    q.created_at_us = INT64_MAX; /* what microseconds(_:) gives a Date no Int64 holds */
    CHECK(!create(client, &q, &i, &err) && err.code == SYNAP_INVALID_ARGUMENT, "created at out of range");
    CHECK(strstr(err.message, "years 1 to 9999") != NULL, "%s", err.message);
    error_free(&err);
    struct create_request array = {0};
    array.json = "[1,2]";
    CHECK(!create(client, &array, &i, &err) && err.code == SYNAP_INVALID_ARGUMENT, "JSON not an object");
    error_free(&err);
    /* Refused by the service: a user without a customer on a B2B instance. */
    struct create_request orphan = {0};
    orphan.text = CHAT;
    orphan.user_id = "u-orphan";
    CHECK(!create(client, &orphan, &i, &err), "user without customer");
    CHECK(err.code == SYNAP_INVALID_REQUEST && err.http_status == 400 && starts_with(err.correlation_id, "syn_"),
          "%s: %s", err.code_name, err.message);
    error_free(&err);
}

/* Client.create with every field; a repeat of its document id is 409. */
static bool create_chat(const SynapClient *client, struct ingestion_copy *chat) {
    struct create_request q = {0};
    q.text = CHAT;
    q.document_type = "ai-chat-conversation";
    q.mode = "fast";
    q.document_id = "swift-chat-1";
    q.has_created_at = true;
    q.created_at_us = 1736937000412000;
    q.user_id = "u-swift";
    q.customer_id = "c-swift";
    q.scope = SCOPE;
    q.metadata_json = "{\"channel\":\"web\"}";
    struct error_copy err;
    if (!create(client, &q, chat, &err)) {
        CHECK(false, "create: %s", err.message);
        error_free(&err);
        return false;
    }
    CHECK(strlen(chat->ingestion_id) == 36 && str_eq(chat->document_id, "swift-chat-1"), "%s", chat->document_id);
    CHECK(str_eq(chat->state, "queued") && chat->accepted && chat->error_message == NULL, "%s", chat->state);
    CHECK(chat->queued_at > 1736937000412000, "queued at %lld", (long long)chat->queued_at);

    struct ingestion_copy again;
    CHECK(!create(client, &q, &again, &err), "the same document id twice");
    CHECK(err.code == SYNAP_CONFLICT && err.http_status == 409 && str_eq(err.code_name, "SYNAP_CONFLICT"), "%s: %s",
          err.code_name, err.message);
    CHECK(strstr(err.message, "swift-chat-1") != NULL && starts_with(err.correlation_id, "syn_"), "%s",
          err.message);
    error_free(&err);
    return true;
}

static void batch_calls(const SynapClient *client, struct batch_copy *b) {
    struct error_copy err;
    struct create_request items[3] = {{0}, {0}, {0}};
    items[0].text = "The renewal is due in March for the whole team.";
    items[0].document_id = "swift-batch-1";
    items[1].text = "   "; /* the service refuses a blank document */
    items[2].json = "{\"subject\":\"Renewal\",\"body\":\"Same id again.\"}";
    items[2].document_type = "email";
    items[2].document_id = "swift-chat-1"; /* taken by create */
    if (batch_create(client, items, 3, false, b, &err)) {
        CHECK(strlen(b->batch_id) == 36 && b->total == 3 && b->succeeded == 1 && b->failed == 2,
              "%llu %llu %llu", (unsigned long long)b->total, (unsigned long long)b->succeeded,
              (unsigned long long)b->failed);
        CHECK(b->count == 3, "one result per request: %zu", b->count);
        CHECK(b->results[0].accepted && str_eq(b->results[0].state, "queued") &&
                  str_eq(b->results[0].document_id, "swift-batch-1") && b->results[0].error_message == NULL,
              "first queued");
        CHECK(!b->results[1].accepted && str_eq(b->results[1].state, "failed") && b->results[1].error_message,
              "blank refused");
        CHECK(!b->results[2].accepted && strstr(b->results[2].error_message, "already exists") != NULL, "%s",
              b->results[2].error_message);
        CHECK(strlen(b->results[1].ingestion_id) == 36 && b->results[1].queued_at > 0, "a refused item's job");
    } else {
        CHECK(false, "batch: %s", err.message);
        error_free(&err);
        memset(b, 0, sizeof *b);
    }
    /* fail_fast: the blank one refuses the whole batch. */
    struct batch_copy none;
    items[0].document_id = "swift-batch-2";
    CHECK(!batch_create(client, items, 2, true, &none, &err), "fail fast");
    CHECK(err.code == SYNAP_INVALID_REQUEST && err.http_status == 422, "%s: %s", err.code_name, err.message);
    error_free(&err);
    /* A request libsynap refuses stops the batch before any request; the
     * handles made before it are freed. */
    items[1].text = "A fine document.";
    items[1].mode = "slow";
    CHECK(!batch_create(client, items, 2, false, &none, &err), "a refused request");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.http_status == 0, "%s", err.message);
    error_free(&err);
    CHECK(!batch_create(client, items, 0, false, &none, &err), "no requests");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT, "%s", err.code_name);
    error_free(&err);
}

static void whoami_calls(const SynapClient *client) {
    struct identity_copy id;
    struct error_copy err;
    /* The harness scripted one 401 for whoami. */
    CHECK(!whoami(client, &id, &err), "whoami refused once");
    CHECK(err.code == SYNAP_AUTH && err.http_status == 401 && strstr(err.message, "Invalid API key") != NULL,
          "%s: %s", err.code_name, err.message);
    error_free(&err);
    if (whoami(client, &id, &err)) {
        CHECK(str_eq(id.client_id, "cli_9b2f4d6a8c0e1357") && str_eq(id.instance_id, "inst_4e7a19c03b5d82f1"),
              "%s %s", id.client_id, id.instance_id);
        CHECK(id.user_context_isolation == NULL, "B2B: %s", id.user_context_isolation);
        identity_copy_free(&id);
    } else {
        CHECK(false, "whoami: %s", err.message);
        error_free(&err);
    }
}

static void wait_all_calls(const SynapClient *client, const struct ingestion_copy *chat,
                           const struct ingestion_copy *failing, const struct batch_copy *b, char **chat_memory_ids) {
    const char *ids[5] = {chat->ingestion_id, failing->ingestion_id, b->count > 1 ? b->results[1].ingestion_id : "",
                          "not-a-uuid", fixture("NEVER")};
    struct progress p = {0};
    struct wait_options w = {0};
    w.timeout_ms = &(uint32_t){2000};
    w.poll_interval_ms = &(uint32_t){50};
    w.max_in_flight = &(uint32_t){2};
    w.progress = &p;
    struct wait_all_copy r;
    struct error_copy err;
    if (wait_all(client, ids, 5, &w, &r, &err)) {
        CHECK(r.count == 5, "one result per id: %zu", r.count);
        CHECK(r.results[0].ok && str_eq(r.results[0].status.state, "completed") && r.results[0].status.id_count == 2,
              "chat: %s", r.results[0].ok ? r.results[0].status.state : r.results[0].error.message);
        if (r.results[0].ok && r.results[0].status.id_count == 2) {
            chat_memory_ids[0] = copy(r.results[0].status.memory_ids[0]);
            chat_memory_ids[1] = copy(r.results[0].status.memory_ids[1]);
        }
        CHECK(r.results[1].ok && str_eq(r.results[1].status.state, "failed") && r.results[1].status.terminal &&
                  strstr(r.results[1].status.error_message, "FAIL_INGEST") != NULL,
              "a failed job is a status");
        CHECK(r.results[2].ok && str_eq(r.results[2].status.state, "failed") &&
                  r.results[2].status.error_message != NULL,
              "a refused batch item's job is failed");
        CHECK(!r.results[3].ok && r.results[3].error.code == SYNAP_INVALID_ARGUMENT &&
                  str_eq(r.results[3].error.code_name, "SYNAP_INVALID_ARGUMENT") &&
                  strstr(r.results[3].error.message, "not-a-uuid"),
              "malformed id");
        CHECK(!r.results[4].ok && r.results[4].error.code == SYNAP_TIMEOUT && r.results[4].error.http_status == 0 &&
                  r.results[4].error.correlation_id == NULL && strstr(r.results[4].error.message, "2000 ms") != NULL,
              "still running at the deadline: %s", r.results[4].ok ? "ok" : r.results[4].error.message);
        /* WaitAllResults.counts, from synap_wait_all_count_in. */
        CHECK(r.counts[SYNAP_WAIT_COMPLETED] == 1 && r.counts[SYNAP_WAIT_FAILED] == 2 &&
                  r.counts[SYNAP_WAIT_PARTIAL_SUCCESS] == 0 && r.counts[SYNAP_WAIT_ERROR] == 2,
              "counts in: %zu completed, %zu failed, %zu errors", r.counts[SYNAP_WAIT_COMPLETED],
              r.counts[SYNAP_WAIT_FAILED], r.counts[SYNAP_WAIT_ERROR]);
        CHECK(r.counts[SYNAP_WAIT_PENDING] == 0 && r.counts[SYNAP_WAIT_QUEUED] == 0 &&
                  r.counts[SYNAP_WAIT_PROCESSING] == 0,
              "nothing unfinished at the end");
        wait_all_copy_free(&r);
    } else {
        CHECK(false, "wait_all: %s", err.message);
        error_free(&err);
    }
    /* WaitProgress for a wait-all: the total, counts adding up to it, no
     * status; the first report comes before any poll. */
    CHECK(p.calls >= 2 && p.inconsistent == 0 && p.last_total == 5 && !p.last_has_status, "%d calls, %d off",
          p.calls, p.inconsistent);
    CHECK(p.first_counts[SYNAP_WAIT_PENDING] + p.first_counts[SYNAP_WAIT_ERROR] == 5, "first report: %zu pending",
          p.first_counts[SYNAP_WAIT_PENDING]);
    CHECK(p.last_counts[SYNAP_WAIT_COMPLETED] == 1 && p.last_counts[SYNAP_WAIT_FAILED] == 2 &&
              p.last_counts[SYNAP_WAIT_ERROR] >= 1,
          "last report: %zu completed, %zu failed, %zu errors", p.last_counts[SYNAP_WAIT_COMPLETED],
          p.last_counts[SYNAP_WAIT_FAILED], p.last_counts[SYNAP_WAIT_ERROR]);

    /* The progress closure returning false ends unfinished jobs as cancelled. */
    const char *never[2] = {fixture("NEVER"), chat->ingestion_id};
    struct progress stop = {0};
    stop.stop_after = 1;
    struct wait_options stopping = {0};
    stopping.timeout_ms = &(uint32_t){30000};
    stopping.poll_interval_ms = &(uint32_t){20};
    stopping.max_in_flight = &(uint32_t){1};
    stopping.progress = &stop;
    if (wait_all(client, never, 1, &stopping, &r, &err)) {
        CHECK(r.count == 1 && !r.results[0].ok && r.results[0].error.code == SYNAP_CANCELLED && stop.calls == 1,
              "%d calls", stop.calls);
        CHECK(r.counts[SYNAP_WAIT_ERROR] == 1 && r.counts[SYNAP_WAIT_PENDING] == 0, "a cancelled job is an error");
        wait_all_copy_free(&r);
    } else {
        CHECK(false, "wait_all: %s", err.message);
        error_free(&err);
    }
    /* A Cancel triggered from another thread; no progress closure. */
    SynapCancel *cancel = synap_cancel_new();
    struct wait_options cancelled = {0};
    cancelled.timeout_ms = &(uint32_t){30000};
    cancelled.poll_interval_ms = &(uint32_t){20};
    cancelled.cancel = cancel;
    pthread_t thread;
    pthread_create(&thread, NULL, trigger_after_a_second, cancel);
    bool ran = wait_all(client, never, 2, &cancelled, &r, &err);
    pthread_join(thread, NULL);
    if (ran) {
        CHECK(r.count == 2 && !r.results[0].ok && r.results[0].error.code == SYNAP_CANCELLED, "cancelled");
        CHECK(r.results[1].ok && str_eq(r.results[1].status.state, "completed"), "a finished job keeps its status");
        CHECK(r.counts[SYNAP_WAIT_ERROR] == 1 && r.counts[SYNAP_WAIT_COMPLETED] == 1, "counts after a cancel");
        wait_all_copy_free(&r);
    } else {
        CHECK(false, "wait_all: %s", err.message);
        error_free(&err);
    }
    synap_cancel_free(cancel);
    /* Max in flight out of 1 to 64 throws before any request. */
    struct wait_options crowded = {0};
    crowded.max_in_flight = &(uint32_t){0};
    CHECK(!wait_all(client, never, 1, &crowded, &r, &err), "max in flight 0");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.http_status == 0 && strstr(err.message, "max_in_flight") != NULL,
          "%s", err.message);
    error_free(&err);
    crowded.max_in_flight = &(uint32_t){65};
    CHECK(!wait_all(client, never, 1, &crowded, &r, &err), "max in flight 65");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "65") != NULL, "%s", err.message);
    error_free(&err);
    crowded.max_in_flight = &(uint32_t){64};
    crowded.timeout_ms = &(uint32_t){5000};
    if (wait_all(client, never + 1, 1, &crowded, &r, &err)) {
        CHECK(r.count == 1 && r.results[0].ok && r.counts[SYNAP_WAIT_COMPLETED] == 1, "max in flight 64");
        wait_all_copy_free(&r);
    } else {
        CHECK(false, "wait_all with 64 in flight: %s", err.message);
        error_free(&err);
    }
    /* Every default: no options set. */
    struct wait_options defaults = {0};
    if (wait_all(client, never, 0, &defaults, &r, &err)) {
        CHECK(r.count == 0 && r.counts[SYNAP_WAIT_ERROR] == 0, "no ids, no results: %zu", r.count);
        wait_all_copy_free(&r);
    } else {
        CHECK(false, "wait_all without ids: %s", err.message);
        error_free(&err);
    }
}

static void get_calls(const SynapClient *client, char **ids) {
    struct memory_copy m;
    struct error_copy err;
    if (ids[0] != NULL && get(client, ids[0], &m, &err)) {
        CHECK(str_eq(m.memory_id, ids[0]) && str_eq(m.content, "I only drink decaf after 3pm."), "%s", m.content);
        CHECK(str_eq(m.memory_type, "preference") && str_eq(m.category, "preferences") &&
                  str_eq(m.subcategory, "only"),
              "%s %s %s", m.memory_type, m.category, m.subcategory);
        CHECK(m.confidence >= 0.55 && m.confidence <= 0.99, "%f", m.confidence);
        CHECK(m.created_at > 1736937000412000 && !m.updated && m.updated_at == 0, "times");
        CHECK(str_eq(m.source_document_id, "swift-chat-1"), "%s", m.source_document_id);
        memory_copy_free(&m);
    } else {
        CHECK(false, "get: %s", ids[0] ? err.message : "no memory id");
        if (ids[0] != NULL) error_free(&err);
    }
    if (ids[1] != NULL && get(client, ids[1], &m, &err)) {
        CHECK(str_eq(m.memory_type, "episode") && str_eq(m.category, "experiences") && m.subcategory == NULL,
              "%s %s", m.memory_type, m.category);
        CHECK(str_eq(m.content, "I visited Lisbon with my family last spring."), "%s", m.content);
        memory_copy_free(&m);
    } else {
        CHECK(false, "get: %s", ids[1] ? err.message : "no memory id");
        if (ids[1] != NULL) error_free(&err);
    }
    /* After whoami, correlation ids carry the instance's prefix. */
    CHECK(!get(client, "00000000-0000-4000-8000-000000000000", &m, &err), "unknown memory");
    CHECK(err.code == SYNAP_NOT_FOUND && err.http_status == 404 && starts_with(err.correlation_id, "syn_inst_4_"),
          "%s: %s (%s)", err.code_name, err.message, err.correlation_id);
    error_free(&err);
    CHECK(!get(client, "../status/x", &m, &err), "malformed memory id");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.http_status == 0, "%s", err.message);
    error_free(&err);
}

static void ingest_calls(const SynapClient *client) {
    create_refusals(client);
    struct ingestion_copy chat;
    if (!create_chat(client, &chat)) {
        return;
    }
    struct create_request doomed = {0};
    doomed.json = "{\"subject\":\"FAIL_INGEST\",\"body\":\"This one cannot be read.\"}";
    doomed.document_type = "email";
    struct ingestion_copy failing;
    struct error_copy err;
    if (!create(client, &doomed, &failing, &err)) {
        CHECK(false, "create: %s", err.message);
        error_free(&err);
        ingestion_copy_free(&chat);
        return;
    }
    CHECK(starts_with(failing.document_id, "doc-") && failing.accepted, "assigned %s", failing.document_id);
    struct batch_copy b;
    batch_calls(client, &b);
    whoami_calls(client);
    char *memory_ids[2] = {NULL, NULL};
    wait_all_calls(client, &chat, &failing, &b, memory_ids);
    get_calls(client, memory_ids);
    free(memory_ids[0]);
    free(memory_ids[1]);
    batch_copy_free(&b);
    ingestion_copy_free(&failing);
    ingestion_copy_free(&chat);
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* A client the options refuse: the setter's or synap_client_new's failure,
 * read before the options are freed. */
static struct error_copy refused_client(const struct client_options *o) {
    struct error_copy err;
    SynapClient *client = client_new("synap_dev_emulator", o, &err);
    if (client != NULL) {
        synap_client_free(client);
        err = job_error(SYNAP_OK, "the client was made");
    }
    return err;
}

static void client_options_calls(void) {
    struct client_options o = {0};
    o.base_url = fixture("BASE_URL");
    o.proxy = "";
    o.max_attempts = &(uint32_t){1000}; /* over the limit: the setter refuses it */
    struct error_copy err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "attempts") != NULL, "%s", err.message);
    CHECK(str_eq(err.code_name, "SYNAP_INVALID_ARGUMENT") && err.correlation_id == NULL, "%s", err.code_name);
    error_free(&err);
    o.max_attempts = NULL;

    /* What milliseconds(_:) makes of a 0 (or negative) TimeInterval. */
    o.connect_timeout_ms = &(uint32_t){0};
    err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "connect timeout") != NULL, "%s", err.message);
    error_free(&err);
    o.connect_timeout_ms = NULL;
    o.request_timeout_ms = &(uint32_t){0};
    err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "request timeout") != NULL, "%s", err.message);
    error_free(&err);
    o.request_timeout_ms = NULL;
    o.max_body_bytes = &(uint64_t){0};
    err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.http_status == 0, "max body bytes 0: %s", err.message);
    error_free(&err);
    o.max_body_bytes = NULL;
    o.retry_backoff_ms = (const uint32_t[]){2000, 1000};
    err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.http_status == 0, "a cap under the base: %s", err.message);
    error_free(&err);
    o.retry_backoff_ms = NULL;

    o.ca_file = "/nonexistent/ca.pem";
    err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "/nonexistent/ca.pem") != NULL, "%s",
          err.message);
    error_free(&err);
    o.ca_file = NULL;

    /* The proxy URL is checked when the client is made. */
    o.proxy = "socks5://127.0.0.1:1080";
    err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "socks5") != NULL, "%s", err.message);
    error_free(&err);
    o.proxy = "";

    /* The system's roots, here a store that holds none. */
    const char *cert_file = getenv("SSL_CERT_FILE");
    char *saved_cert_file = copy(cert_file);
    const char *cert_dir = getenv("SSL_CERT_DIR");
    char *saved_cert_dir = copy(cert_dir);
    setenv("SSL_CERT_FILE", "/nonexistent/roots.pem", 1);
    unsetenv("SSL_CERT_DIR");
    o.system_roots = true;
    err = refused_client(&o);
    CHECK(err.code == SYNAP_TLS && strstr(err.message, "system root certificates") != NULL, "%s: %s",
          err.code_name, err.message);
    error_free(&err);
    o.system_roots = false;
    if (saved_cert_file) setenv("SSL_CERT_FILE", saved_cert_file, 1); else unsetenv("SSL_CERT_FILE");
    if (saved_cert_dir) setenv("SSL_CERT_DIR", saved_cert_dir, 1);
    free(saved_cert_file);
    free(saved_cert_dir);

    /* Plain http to a host that is not loopback needs allowInsecureHTTP. */
    o.base_url = "http://192.0.2.7:8787";
    err = refused_client(&o);
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "not loopback") != NULL, "%s", err.message);
    error_free(&err);
    o.allow_insecure_http = true;
    err = refused_client(&o);
    CHECK(err.code == SYNAP_OK, "allowed: %s", err.message);
    error_free(&err);
    o.allow_insecure_http = false;

    /* The body cap: the status answer is longer than 64 bytes. */
    o.base_url = fixture("BASE_URL");
    o.max_body_bytes = &(uint64_t){64};
    o.max_attempts = &(uint32_t){1};
    SynapClient *capped = client_new("synap_dev_emulator", &o, &err);
    if (capped != NULL) {
        struct status_copy c;
        CHECK(!status(capped, fixture("COMPLETED"), &c, &err), "a body over the cap");
        CHECK(err.code == SYNAP_PROTOCOL && err.http_status == 200, "%s: %s (%u)", err.code_name, err.message,
              err.http_status);
        error_free(&err);
        synap_client_free(capped);
    } else {
        CHECK(false, "capped client: %s", err.message);
        error_free(&err);
    }
}

static void wait_calls(const SynapClient *client) {
    struct status_copy c;
    struct error_copy err;
    /* A wait with a progress closure, until the job is done: each report
     * follows one job and carries the status just polled. */
    struct progress p = {0};
    struct wait_options w = {0};
    w.timeout_ms = &(uint32_t){30000};
    w.poll_interval_ms = &(uint32_t){50};
    w.progress = &p;
    if (wait_for(client, fixture("PROGRESSING"), &w, &c, &err)) {
        CHECK(str_eq(c.state, "completed") && p.calls >= 1 && str_eq(p.last_state, "completed"), "%d calls", p.calls);
        CHECK(p.inconsistent == 0 && p.last_total == 1 && p.last_has_status, "%d reports off", p.inconsistent);
        CHECK(p.last_counts[SYNAP_WAIT_COMPLETED] == 1 && p.first_counts[SYNAP_WAIT_PENDING] == 0,
              "counted in its state");
        status_copy_free(&c);
    } else {
        CHECK(false, "wait: %s", err.message);
        error_free(&err);
    }
    /* The closure returning false stops it. */
    struct progress stop = {0};
    stop.stop_after = 2;
    w.poll_interval_ms = &(uint32_t){10};
    w.progress = &stop;
    CHECK(!wait_for(client, fixture("NEVER"), &w, &c, &err), "stopped by progress");
    CHECK(err.code == SYNAP_CANCELLED && stop.calls == 2, "%s after %d calls", err.code_name, stop.calls);
    CHECK(stop.inconsistent == 0 && stop.last_total == 1 && stop.last_has_status, "a running job's reports");
    error_free(&err);
    /* A Cancel triggered from another thread; no progress closure. */
    SynapCancel *cancel = synap_cancel_new();
    struct wait_options cancelled = {0};
    cancelled.timeout_ms = &(uint32_t){30000};
    cancelled.poll_interval_ms = &(uint32_t){20};
    cancelled.cancel = cancel;
    pthread_t thread;
    pthread_create(&thread, NULL, trigger_later, cancel);
    CHECK(!wait_for(client, fixture("NEVER"), &cancelled, &c, &err), "cancelled");
    pthread_join(thread, NULL);
    CHECK(err.code == SYNAP_CANCELLED && synap_cancel_is_triggered(cancel), "%s", err.code_name);
    error_free(&err);
    synap_cancel_free(cancel);
    /* The timeout. */
    struct wait_options brief = {0};
    brief.timeout_ms = &(uint32_t){200};
    brief.poll_interval_ms = &(uint32_t){20};
    CHECK(!wait_for(client, fixture("NEVER"), &brief, &c, &err), "timed out");
    CHECK(err.code == SYNAP_TIMEOUT, "%s", err.code_name);
    error_free(&err);
    /* A 0 timeout or interval (what milliseconds(_:) makes of 0 s) throws
     * before any request. */
    struct wait_options zero = {0};
    zero.timeout_ms = &(uint32_t){0};
    CHECK(!wait_for(client, fixture("COMPLETED"), &zero, &c, &err), "timeout 0");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.http_status == 0 && err.correlation_id == NULL &&
              strstr(err.message, "timeout") != NULL,
          "%s", err.message);
    error_free(&err);
    zero.timeout_ms = NULL;
    zero.poll_interval_ms = &(uint32_t){0};
    CHECK(!wait_for(client, fixture("COMPLETED"), &zero, &c, &err), "poll interval 0");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.correlation_id == NULL && strstr(err.message, "interval") != NULL,
          "%s", err.message);
    error_free(&err);
    /* Every default: a finished job is returned at the first poll. */
    struct wait_options defaults = {0};
    if (wait_for(client, fixture("COMPLETED"), &defaults, &c, &err)) {
        CHECK(str_eq(c.state, "completed"), "%s", c.state);
        status_copy_free(&c);
    } else {
        CHECK(false, "wait: %s", err.message);
        error_free(&err);
    }
}

static void log_calls(const SynapClient *client) {
    struct error_copy err;
    struct status_copy c;
    struct log_lines debug = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, ""};
    if (!set_log_handler(SYNAP_LOG_DEBUG, &debug, &err)) {
        CHECK(false, "setLogHandler: %s", err.message);
        error_free(&err);
        return;
    }
    /* The request's debug line ends with the correlation id its error
     * carries, and never holds the key. */
    CHECK(!status(client, "00000000-0000-4000-8000-000000000000", &c, &err), "unknown id");
    char tail[160];
    snprintf(tail, sizeof tail, "[%s]", err.correlation_id ? err.correlation_id : "no correlation id");
    CHECK(debug.debug >= 1 && ends_with(debug.last_debug, tail) &&
              strstr(debug.last_debug, "/memories/status/00000000-0000-4000-8000-000000000000") != NULL,
          "%d debug lines, last: %s", debug.debug, debug.last_debug);
    error_free(&err);

    /* A new handler replaces it (the old one released once the call has
     * returned): info lines only, a retry among them, after the backoff
     * the options asked for instead of the default second. */
    struct log_lines info = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, ""};
    CHECK(set_log_handler(SYNAP_LOG_INFO, &info, &err), "replaced");
    int heard = debug.count;
    struct client_options o = {0};
    o.base_url = fixture("BASE_URL");
    o.max_attempts = &(uint32_t){2};
    o.retry_backoff_ms = (const uint32_t[]){10, 20};
    o.proxy = "";
    SynapClient *retrying = client_new("synap_dev_emulator", &o, &err);
    if (retrying != NULL) {
        double start = now_ms();
        CHECK(status(retrying, fixture("R503_ONCE"), &c, &err), "retried: %s", err.message);
        double took = now_ms() - start;
        status_copy_free(&c);
        CHECK(took < 900.0, "a 20 ms backoff cap, not the default: %.0f ms", took);
        CHECK(info.retrying == 1 && info.debug == 0, "%d retry lines, %d debug", info.retrying, info.debug);
        synap_client_free(retrying);
    } else {
        CHECK(false, "retrying client: %s", err.message);
        error_free(&err);
    }
    CHECK(debug.count == heard, "the replaced handler hears nothing more");

    /* nil turns logging off. */
    CHECK(set_log_handler(SYNAP_LOG_INFO, NULL, &err), "removed");
    heard = info.count;
    CHECK(!status(client, "00000000-0000-4000-8000-000000000000", &c, &err), "unknown id");
    error_free(&err);
    CHECK(info.count == heard && installed_log_handler == NULL, "nothing logged once removed");
    CHECK(debug.key_seen == 0 && info.key_seen == 0, "no line holds the key");
}

int main(void) {
    CHECK(strcmp(synap_version(), SYNAP_VERSION) == 0, "%s", synap_version()); /* version() */
    client_options_calls();

    /* Every option set, as ClientOptions(...) with all of them given. */
    struct client_options options = {0};
    options.base_url = fixture("BASE_URL");
    options.connect_timeout_ms = &(uint32_t){2000};
    options.request_timeout_ms = &(uint32_t){5000};
    options.max_body_bytes = &(uint64_t){1 << 20};
    options.deadline_ms = &(uint32_t){10000};
    options.max_attempts = &(uint32_t){1};
    options.retry_backoff_ms = (const uint32_t[]){100, 200};
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
        CHECK(str_eq(c.state, "completed") && c.ingest_state == SYNAP_INGEST_COMPLETED && c.terminal &&
                  c.memories == 2 && c.id_count == 2,
              "%s", c.state);
        CHECK(c.started && c.completed && c.completed_at >= c.queued_at && c.error_message == NULL, "times");
        CHECK(c.memory_ids[0] != NULL && c.memory_ids[1] != NULL && c.memory_ids[2] == NULL, "memory ids");
        status_copy_free(&c);
    } else {
        CHECK(false, "status: %s", err.message);
        error_free(&err);
    }
    if (status(client, fixture("FAILED"), &c, &err)) {
        CHECK(str_eq(c.state, "failed") && c.ingest_state == SYNAP_INGEST_FAILED && str_eq(c.error_message, "boom"),
              "%s", c.state);
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

    wait_calls(client);
    log_calls(client);
    ingest_calls(client);

    synap_client_free(client);
    return finish();
}
