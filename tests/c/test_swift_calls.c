/* The C calls the Swift wrapper (bindings/swift/Sources/Synap/Synap.swift)
 * makes, in the same order and pattern, since no Swift toolchain runs here:
 * options built and freed around synap_client_new, every failure's details
 * read right after it, each status copied field by field and freed, wait
 * options built around each wait, the progress callback reaching its
 * closure through user_data with the progress copied out, a Cancel
 * triggered from another thread, create requests built setter by setter
 * and freed after the call (or at the first refusal), wait-all ids copied
 * for the call and each job's result turned into a success or an error,
 * the process-wide log handler retained until it is replaced, context
 * requests built setter by setter and each context, profile and prompt
 * context copied out whole (every item, turn and summary it lends) before
 * it is freed, messages, transcripts and compact options built setter by
 * setter, each recorded message, batch, ingestion, page, compaction,
 * compacted state and compaction status copied out before it is freed (a
 * compacted state that is not there yet being nil), memory updates,
 * forget, upload and data deletion requests built setter by setter (a
 * deletion request made with its scope and id), each memory, deletion
 * record, forget answer, balance, ledger page and redemption copied out
 * before it is freed, the deletion wait's progress carrying the record,
 * and a Swift String holding a NUL byte refused before any C call sees it.
 * Run by tests/swift_calls.rs under valgrind, with the jobs and the file to
 * upload in SYNAP_FIX_<name>, the emulator's answers to the first customer,
 * client and conversation fetches scripted, and its answers to the first
 * records and batch of messages scripted. */
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

/* check(_:): false, with the failure's details read into err, for any code
 * but SYNAP_OK. */
static bool checked(SynapCode code, struct error_copy *err) {
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    return true;
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

/* DataDeletion.init(_:), defined with the other data deletion calls. */
struct deletion_copy;
static struct deletion_copy *deletion_copy_new(const SynapDataDeletion *deletion);
static void deletion_copy_delete(struct deletion_copy *c);
static const char *deletion_copy_status(const struct deletion_copy *c);
static int deletion_wait_state(const struct deletion_copy *c);

/* WaitProgress.init(_:): the total, the counts state by state, for a
 * single wait the status, and for a deletion wait the record (NULL: nil). */
struct progress_copy {
    size_t total;
    size_t counts[WAIT_STATES];
    bool has_status;
    struct status_copy status;
    struct deletion_copy *deletion;
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
    const SynapDataDeletion *deletion = synap_wait_progress_deletion(p);
    c.deletion = deletion != NULL ? deletion_copy_new(deletion) : NULL;
    return c;
}

static void progress_copy_free(struct progress_copy *c) {
    if (c->has_status) {
        status_copy_free(&c->status);
    }
    deletion_copy_delete(c->deletion);
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
    int deletions;                /* reports that carried a deletion record */
    char last_deletion_status[32];
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
    if (sum != c->total || (c->has_status && c->counts[wait_state_of(c->status.state)] != 1) ||
        (c->deletion != NULL && c->counts[deletion_wait_state(c->deletion)] != 1)) {
        p->inconsistent++;
    }
    p->calls++;
    p->last_total = c->total;
    p->last_has_status = c->has_status;
    snprintf(p->last_state, sizeof p->last_state, "%s", c->has_status ? c->status.state : "");
    if (c->deletion != NULL) {
        p->deletions++;
        const char *status = deletion_copy_status(c->deletion);
        snprintf(p->last_deletion_status, sizeof p->last_deletion_status, "%s", status ? status : "");
    }
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

/* A failure the wrapper throws itself, before any C call: SynapError.refused. */
static struct error_copy refused(const char *message) {
    struct error_copy e;
    e.code = SYNAP_INVALID_ARGUMENT;
    e.code_name = copy("SYNAP_INVALID_ARGUMENT");
    e.message = copy(message);
    e.http_status = 0;
    e.correlation_id = NULL;
    e.retry_after_ms = -1;
    return e;
}

/* A Swift String as its UTF-8 bytes, which (unlike a C string) may hold a
 * NUL byte; `bytes` NULL is nil. */
struct swift_string {
    const char *bytes;
    size_t length;
};

#define SWIFT_STRING(literal) ((struct swift_string){(literal), sizeof(literal) - 1})

static struct swift_string swift_string_of(const char *text) {
    struct swift_string s;
    s.bytes = text;
    s.length = text ? strlen(text) : 0;
    return s;
}

/* cText(_:_:): a String holding a NUL byte is refused, naming it, and
 * never reaches C. */
static bool c_text(struct swift_string s, const char *name, struct error_copy *err) {
    if (memchr(s.bytes, 0, s.length) != NULL) {
        char message[128];
        snprintf(message, sizeof message, "%s contains a NUL byte", name);
        *err = refused(message);
        return false;
    }
    return true;
}

/* strings(_:_:): the strings a list lends, NULLs skipped. */
struct strings {
    size_t count;
    char **items;
};

static struct strings strings_new(size_t capacity) {
    struct strings s;
    s.count = 0;
    s.items = calloc(capacity + 1, sizeof *s.items);
    return s;
}

static void strings_push(struct strings *s, const char *value) {
    if (value != NULL) {
        s->items[s->count++] = copy(value);
    }
}

static void strings_free(struct strings *s) {
    for (size_t i = 0; i < s->count; i++) {
        free(s->items[i]);
    }
    free(s->items);
}

/* strings(count) { at($0) } into `list`, `i` standing for $0: a macro,
 * since each list is read by functions of its own owner's type. */
#define STRINGS_OF(list, count, i, at)                \
    do {                                              \
        size_t strings_count_ = (count);              \
        (list) = strings_new(strings_count_);         \
        for (size_t i = 0; i < strings_count_; i++) { \
            strings_push(&(list), (at));              \
        }                                             \
    } while (0)

/* ContextRequest.Scope and ContextList: the raw values the wrapper passes. */
enum { SCOPE_USER = 1, SCOPE_CUSTOMER = 2, SCOPE_CLIENT = 3, SCOPE_CONVERSATION = 4 };
enum { LIST_FACTS = 1, LIST_PREFERENCES, LIST_EPISODES, LIST_EMOTIONS, LIST_TEMPORAL_EVENTS, LIST_RANKED, LIST_EXCERPTS };
#define LISTS 7

/* ContextRequest: NULL (or an unset bool) is nil; string lists end with
 * NULL; scope_path is level, value, ..., NULL. The user id is the one
 * string given with its length, to hold a NUL byte where a test needs it. */
struct context_request {
    int scope;
    struct swift_string user_id;
    const char *customer_id, *conversation_id;
    const char *const *queries;
    const uint32_t *max_results;
    const char *const *types;
    const char *mode, *precision_level, *response_shape, *query_date;
    const uint32_t *max_results_per_query;
    const char *const *scope_path;
    bool summary_mode, include_profile;
    uint32_t last_conversations;
};

/* ContextRequest.handle(): the setters asked for, in the wrapper's order;
 * on a refusal (libsynap's, or cText's with no C call) the request is
 * freed. */
static SynapContextRequest *context_request_handle(const struct context_request *q, struct error_copy *err) {
    SynapContextRequest *r = synap_context_request_new(q->scope);
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = SYNAP_OK;
    bool thrown = false; /* by cText: err already set, nothing to read from libsynap */
    if (q->user_id.bytes != NULL) {
        if (c_text(q->user_id, "userId", err)) {
            code = synap_context_request_set_user_id(r, q->user_id.bytes);
        } else {
            thrown = true;
            code = SYNAP_INVALID_ARGUMENT;
        }
    }
    if (code == SYNAP_OK && q->customer_id) code = synap_context_request_set_customer_id(r, q->customer_id);
    if (code == SYNAP_OK && q->conversation_id)
        code = synap_context_request_set_conversation_id(r, q->conversation_id);
    for (const char *const *s = q->queries; code == SYNAP_OK && s && *s; s++) {
        code = synap_context_request_add_query(r, *s);
    }
    if (code == SYNAP_OK && q->max_results) code = synap_context_request_set_max_results(r, *q->max_results);
    for (const char *const *s = q->types; code == SYNAP_OK && s && *s; s++) {
        code = synap_context_request_add_type(r, *s);
    }
    if (code == SYNAP_OK && q->mode) code = synap_context_request_set_mode(r, q->mode);
    if (code == SYNAP_OK && q->precision_level)
        code = synap_context_request_set_precision_level(r, q->precision_level);
    if (code == SYNAP_OK && q->response_shape) code = synap_context_request_set_response_shape(r, q->response_shape);
    if (code == SYNAP_OK && q->query_date) code = synap_context_request_set_query_date(r, q->query_date);
    if (code == SYNAP_OK && q->max_results_per_query)
        code = synap_context_request_set_max_results_per_query(r, *q->max_results_per_query);
    for (const char *const *s = q->scope_path; code == SYNAP_OK && s && s[0]; s += 2) {
        code = synap_context_request_add_scope_level(r, s[0], s[1]);
    }
    if (code == SYNAP_OK && q->summary_mode)
        code = synap_context_request_set_summary_mode(r, q->include_profile, q->last_conversations);
    if (code != SYNAP_OK) {
        if (!thrown) {
            *err = last_error(code);
        }
        synap_context_request_free(r);
        return NULL;
    }
    return r;
}

/* ContextItem.init(_:): an optional is its flag and its value. */
struct item_copy {
    char *kind, *id, *text;
    bool has_score;
    double score;
    char *label;
    bool has_time;
    int64_t time;
    char *source;
    bool has_event_date, has_event_end, has_said_at, has_valid_until;
    int64_t event_date, event_end, said_at, valid_until;
    char *event_precision, *temporal_category;
    bool has_temporal_confidence;
    double temporal_confidence;
    struct strings matched_queries, source_evidence, participants;
    bool has_rank;
    int64_t rank;
    bool has_rank_score;
    double rank_score;
    char *metadata_json;
};

static struct item_copy item_copy(const SynapContextItem *item) {
    struct item_copy c;
    double number = 0;
    int64_t us = 0, whole = 0;
    c.kind = copy(synap_context_item_kind(item));
    c.id = copy(synap_context_item_id(item));
    c.text = copy(synap_context_item_text(item));
    c.has_score = synap_context_item_score(item, &number);
    c.score = c.has_score ? number : 0;
    c.label = copy(synap_context_item_label(item));
    c.has_time = synap_context_item_time_us(item, &us);
    c.time = c.has_time ? us : 0;
    c.source = copy(synap_context_item_source(item));
    c.has_event_date = synap_context_item_event_date_us(item, &us);
    c.event_date = c.has_event_date ? us : 0;
    c.has_event_end = synap_context_item_event_end_us(item, &us);
    c.event_end = c.has_event_end ? us : 0;
    c.has_said_at = synap_context_item_said_at_us(item, &us);
    c.said_at = c.has_said_at ? us : 0;
    c.has_valid_until = synap_context_item_valid_until_us(item, &us);
    c.valid_until = c.has_valid_until ? us : 0;
    c.event_precision = copy(synap_context_item_event_precision(item));
    c.temporal_category = copy(synap_context_item_temporal_category(item));
    c.has_temporal_confidence = synap_context_item_temporal_confidence(item, &number);
    c.temporal_confidence = c.has_temporal_confidence ? number : 0;
    size_t n = synap_context_item_matched_query_count(item);
    c.matched_queries = strings_new(n);
    for (size_t i = 0; i < n; i++) {
        strings_push(&c.matched_queries, synap_context_item_matched_query(item, i));
    }
    n = synap_context_item_source_evidence_count(item);
    c.source_evidence = strings_new(n);
    for (size_t i = 0; i < n; i++) {
        strings_push(&c.source_evidence, synap_context_item_source_evidence(item, i));
    }
    n = synap_context_item_participant_count(item);
    c.participants = strings_new(n);
    for (size_t i = 0; i < n; i++) {
        strings_push(&c.participants, synap_context_item_participant(item, i));
    }
    c.has_rank = synap_context_item_rank(item, &whole);
    c.rank = c.has_rank ? whole : 0;
    c.has_rank_score = synap_context_item_rank_score(item, &number);
    c.rank_score = c.has_rank_score ? number : 0;
    c.metadata_json = copy(synap_context_item_metadata_json(item));
    return c;
}

static void item_copy_free(struct item_copy *c) {
    free(c->kind);
    free(c->id);
    free(c->text);
    free(c->label);
    free(c->source);
    free(c->event_precision);
    free(c->temporal_category);
    strings_free(&c->matched_queries);
    strings_free(&c->source_evidence);
    strings_free(&c->participants);
    free(c->metadata_json);
}

/* Turn.init(_:) */
struct turn_copy {
    char *role, *content;
    bool has_timestamp;
    int64_t timestamp;
    char *message_id;
};

static struct turn_copy turn_copy(const SynapTurn *turn) {
    struct turn_copy c;
    int64_t us = 0;
    c.role = copy(synap_turn_role(turn));
    c.content = copy(synap_turn_content(turn));
    c.has_timestamp = synap_turn_timestamp_us(turn, &us);
    c.timestamp = c.has_timestamp ? us : 0;
    c.message_id = copy(synap_turn_message_id(turn));
    return c;
}

static void turns_free(struct turn_copy *turns, size_t count) {
    for (size_t i = 0; i < count; i++) {
        free(turns[i].role);
        free(turns[i].content);
        free(turns[i].message_id);
    }
    free(turns);
}

/* ConversationContext.init(_:) */
struct conversation_copy {
    char *conversation_id, *summary;
    size_t turn_count;
    struct turn_copy *turns;
    char *compaction_id, *compacted_at, *formatted_context, *current_state_json, *key_extractions_json;
};

static struct conversation_copy conversation_copy(const SynapConversationContext *conversation) {
    struct conversation_copy c;
    c.conversation_id = copy(synap_conversation_context_id(conversation));
    c.summary = copy(synap_conversation_context_summary(conversation));
    c.turn_count = synap_conversation_context_turn_count(conversation);
    c.turns = calloc(c.turn_count + 1, sizeof *c.turns);
    for (size_t i = 0; i < c.turn_count; i++) {
        c.turns[i] = turn_copy(synap_conversation_context_turn(conversation, i));
    }
    c.compaction_id = copy(synap_conversation_context_compaction_id(conversation));
    c.compacted_at = copy(synap_conversation_context_compacted_at(conversation));
    c.formatted_context = copy(synap_conversation_context_formatted_context(conversation));
    c.current_state_json = copy(synap_conversation_context_current_state_json(conversation));
    c.key_extractions_json = copy(synap_conversation_context_key_extractions_json(conversation));
    return c;
}

static void conversation_copy_free(struct conversation_copy *c) {
    free(c->conversation_id);
    free(c->summary);
    turns_free(c->turns, c->turn_count);
    free(c->compaction_id);
    free(c->compacted_at);
    free(c->formatted_context);
    free(c->current_state_json);
    free(c->key_extractions_json);
}

/* Retrieval.init(_:) */
struct retrieval_copy {
    bool degraded;
    char *level, *code;
    struct strings warnings;
};

static struct retrieval_copy retrieval_copy(const SynapRetrieval *retrieval) {
    struct retrieval_copy c;
    c.degraded = synap_retrieval_degraded(retrieval);
    c.level = copy(synap_retrieval_level(retrieval));
    c.code = copy(synap_retrieval_code(retrieval));
    size_t n = synap_retrieval_warning_count(retrieval);
    c.warnings = strings_new(n);
    for (size_t i = 0; i < n; i++) {
        strings_push(&c.warnings, synap_retrieval_warning(retrieval, i));
    }
    return c;
}

static void retrieval_copy_free(struct retrieval_copy *c) {
    free(c->level);
    free(c->code);
    strings_free(&c->warnings);
}

/* ProfileAttribute */
struct attribute_copy {
    char *name, *value_json;
    bool has_confidence;
    double confidence;
    bool has_updated_at;
    int64_t updated_at;
    char *source_conversation_id;
};

/* Profile.init(_:), for an owned profile and a context's lent one alike. */
struct profile_copy {
    char *overview;
    size_t attribute_count;
    struct attribute_copy *attributes;
    char *json;
};

static struct profile_copy profile_copy(const SynapProfile *profile) {
    struct profile_copy c;
    c.overview = copy(synap_profile_overview(profile));
    c.attribute_count = synap_profile_attribute_count(profile);
    c.attributes = calloc(c.attribute_count + 1, sizeof *c.attributes);
    for (size_t i = 0; i < c.attribute_count; i++) {
        struct attribute_copy *a = &c.attributes[i];
        double confidence = 0;
        int64_t us = 0;
        a->name = copy(synap_profile_attribute_name(profile, i));
        a->value_json = copy(synap_profile_attribute_value_json(profile, i));
        a->has_confidence = synap_profile_attribute_confidence(profile, i, &confidence);
        a->confidence = a->has_confidence ? confidence : 0;
        a->has_updated_at = synap_profile_attribute_updated_at_us(profile, i, &us);
        a->updated_at = a->has_updated_at ? us : 0;
        a->source_conversation_id = copy(synap_profile_attribute_source_conversation_id(profile, i));
    }
    c.json = copy(synap_profile_json(profile));
    return c;
}

static void profile_copy_free(struct profile_copy *c) {
    free(c->overview);
    for (size_t i = 0; i < c->attribute_count; i++) {
        free(c->attributes[i].name);
        free(c->attributes[i].value_json);
        free(c->attributes[i].source_conversation_id);
    }
    free(c->attributes);
    free(c->json);
}

/* The attribute named `name`, or NULL. */
static const struct attribute_copy *attribute(const struct profile_copy *p, const char *name) {
    for (size_t i = 0; i < p->attribute_count; i++) {
        if (str_eq(p->attributes[i].name, name)) {
            return &p->attributes[i];
        }
    }
    return NULL;
}

/* ConversationSummary.init(_:) */
struct summary_copy {
    char *conversation_id, *status, *summary;
    bool has_message_count;
    int64_t message_count;
    bool has_started_at, has_last_message_at;
    int64_t started_at, last_message_at;
    char *json;
};

static struct summary_copy summary_copy(const SynapConversationSummary *summary) {
    struct summary_copy c;
    int64_t count = 0, us = 0;
    c.conversation_id = copy(synap_conversation_summary_id(summary));
    c.status = copy(synap_conversation_summary_status(summary));
    c.summary = copy(synap_conversation_summary_text(summary));
    c.has_message_count = synap_conversation_summary_message_count(summary, &count);
    c.message_count = c.has_message_count ? count : 0;
    c.has_started_at = synap_conversation_summary_started_at_us(summary, &us);
    c.started_at = c.has_started_at ? us : 0;
    c.has_last_message_at = synap_conversation_summary_last_message_at_us(summary, &us);
    c.last_message_at = c.has_last_message_at ? us : 0;
    c.json = copy(synap_conversation_summary_json(summary));
    return c;
}

static void summary_copy_free(struct summary_copy *c) {
    free(c->conversation_id);
    free(c->status);
    free(c->summary);
    free(c->json);
}

/* Context.init(_:): lists[0] is facts ... lists[6] the excerpts. */
struct item_list {
    size_t count;
    struct item_copy *items;
};

struct context_copy {
    struct item_list lists[LISTS];
    bool has_conversation;
    struct conversation_copy conversation;
    bool has_retrieval;
    struct retrieval_copy retrieval;
    bool has_profile;
    struct profile_copy profile;
    size_t conversation_count;
    struct summary_copy *conversations;
    int64_t ttl_seconds;
    char *source, *correlation_id;
    int64_t retrieved_at;
    char *raw_json;
};

/* Context.items(_:_:) */
static struct item_list items_copy(const SynapContext *context, int list) {
    struct item_list l;
    l.count = synap_context_count(context, list);
    l.items = calloc(l.count + 1, sizeof *l.items);
    for (size_t i = 0; i < l.count; i++) {
        l.items[i] = item_copy(synap_context_item(context, list, i));
    }
    return l;
}

static struct context_copy context_copy(const SynapContext *context) {
    struct context_copy c;
    for (int list = LIST_FACTS; list <= LIST_EXCERPTS; list++) {
        c.lists[list - 1] = items_copy(context, list);
    }
    const SynapConversationContext *conversation = synap_context_conversation(context);
    c.has_conversation = conversation != NULL;
    if (conversation != NULL) {
        c.conversation = conversation_copy(conversation);
    }
    const SynapRetrieval *retrieval = synap_context_retrieval(context);
    c.has_retrieval = retrieval != NULL;
    if (retrieval != NULL) {
        c.retrieval = retrieval_copy(retrieval);
    }
    const SynapProfile *profile = synap_context_profile(context);
    c.has_profile = profile != NULL;
    if (profile != NULL) {
        c.profile = profile_copy(profile);
    }
    c.conversation_count = synap_context_conversation_count(context);
    c.conversations = calloc(c.conversation_count + 1, sizeof *c.conversations);
    for (size_t i = 0; i < c.conversation_count; i++) {
        c.conversations[i] = summary_copy(synap_context_conversation_summary(context, i));
    }
    c.ttl_seconds = synap_context_ttl_seconds(context);
    c.source = copy(synap_context_source(context));
    c.correlation_id = copy(synap_context_correlation_id(context));
    c.retrieved_at = synap_context_retrieved_at_us(context);
    c.raw_json = copy(synap_context_raw_json(context));
    return c;
}

static void context_copy_free(struct context_copy *c) {
    for (int list = 0; list < LISTS; list++) {
        for (size_t i = 0; i < c->lists[list].count; i++) {
            item_copy_free(&c->lists[list].items[i]);
        }
        free(c->lists[list].items);
    }
    if (c->has_conversation) {
        conversation_copy_free(&c->conversation);
    }
    if (c->has_retrieval) {
        retrieval_copy_free(&c->retrieval);
    }
    if (c->has_profile) {
        profile_copy_free(&c->profile);
    }
    for (size_t i = 0; i < c->conversation_count; i++) {
        summary_copy_free(&c->conversations[i]);
    }
    free(c->conversations);
    free(c->source);
    free(c->correlation_id);
    free(c->raw_json);
}

/* The items of `list` (LIST_FACTS ...). */
static const struct item_list *list_of(const struct context_copy *c, int list) {
    return &c->lists[list - 1];
}

/* Every item of the five typed lists. */
static size_t typed_count(const struct context_copy *c) {
    size_t n = 0;
    for (int list = LIST_FACTS; list <= LIST_TEMPORAL_EVENTS; list++) {
        n += list_of(c, list)->count;
    }
    return n;
}

/* Client.fetchContext(_:): the request freed after the context (Swift's
 * defers), and after a failure's details are read. */
static bool fetch_context(const SynapClient *client, const struct context_request *q, struct context_copy *c,
                          struct error_copy *err) {
    SynapContextRequest *r = context_request_handle(q, err);
    if (r == NULL) {
        return false;
    }
    SynapContext *out = NULL;
    SynapCode code = synap_context_fetch(client, r, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_context_request_free(r);
        return false;
    }
    *c = context_copy(out);
    synap_context_free(out);
    synap_context_request_free(r);
    return true;
}

/* Client.userProfile(_:customerId:): both ids checked by cText before any
 * C call; the customer id NULL for nil (withOptionalCString). */
static bool user_profile(const SynapClient *client, struct swift_string user_id, const char *customer_id,
                         struct profile_copy *c, struct error_copy *err) {
    if (!c_text(user_id, "userId", err)) {
        return false;
    }
    SynapProfile *out = NULL;
    SynapCode code = synap_user_profile(client, user_id.bytes, customer_id, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    *c = profile_copy(out);
    synap_profile_free(out);
    return true;
}

/* PromptContext.init(_:) */
struct prompt_copy {
    char *formatted_context;
    bool available, stale, quality_warning;
    bool has_compression_ratio, has_validation_score, has_compaction_age;
    double compression_ratio, validation_score;
    int64_t compaction_age;
    size_t turn_count;
    struct turn_copy *turns;
    int64_t recent, compacted, total;
    char *context_block, *compaction_id, *raw_json;
};

static struct prompt_copy prompt_copy(const SynapPromptContext *prompt) {
    struct prompt_copy c;
    double number = 0;
    int64_t seconds = 0;
    c.formatted_context = copy(synap_prompt_context_formatted_context(prompt));
    c.available = synap_prompt_context_available(prompt);
    c.stale = synap_prompt_context_is_stale(prompt);
    c.quality_warning = synap_prompt_context_quality_warning(prompt);
    c.has_compression_ratio = synap_prompt_context_compression_ratio(prompt, &number);
    c.compression_ratio = c.has_compression_ratio ? number : 0;
    c.has_validation_score = synap_prompt_context_validation_score(prompt, &number);
    c.validation_score = c.has_validation_score ? number : 0;
    c.has_compaction_age = synap_prompt_context_compaction_age_seconds(prompt, &seconds);
    c.compaction_age = c.has_compaction_age ? seconds : 0;
    c.turn_count = synap_prompt_context_turn_count(prompt);
    c.turns = calloc(c.turn_count + 1, sizeof *c.turns);
    for (size_t i = 0; i < c.turn_count; i++) {
        c.turns[i] = turn_copy(synap_prompt_context_turn(prompt, i));
    }
    c.recent = synap_prompt_context_recent_message_count(prompt);
    c.compacted = synap_prompt_context_compacted_message_count(prompt);
    c.total = synap_prompt_context_total_message_count(prompt);
    c.context_block = copy(synap_prompt_context_context_block(prompt));
    c.compaction_id = copy(synap_prompt_context_compaction_id(prompt));
    c.raw_json = copy(synap_prompt_context_raw_json(prompt));
    return c;
}

static void prompt_copy_free(struct prompt_copy *c) {
    free(c->formatted_context);
    turns_free(c->turns, c->turn_count);
    free(c->context_block);
    free(c->compaction_id);
    free(c->raw_json);
}

/* Client.promptContext(_:style:): the id checked, options made (and freed
 * last), the style set when given. */
static bool prompt_context(const SynapClient *client, const char *conversation_id, const char *style,
                           struct prompt_copy *c, struct error_copy *err) {
    SynapPromptOptions *o = synap_prompt_options_new();
    if (o == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return false;
    }
    SynapCode code = SYNAP_OK;
    if (style != NULL) code = synap_prompt_options_set_style(o, style);
    SynapPromptContext *out = NULL;
    if (code == SYNAP_OK) code = synap_conversation_prompt_context(client, conversation_id, o, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_prompt_options_free(o);
        return false;
    }
    *c = prompt_copy(out);
    synap_prompt_context_free(out);
    synap_prompt_options_free(o);
    return true;
}

/* Conversations: recorded messages, batches, transcripts, pages of
 * messages and compactions. */

/* Message: NULL is nil; scope is level, value, ..., NULL. The content is
 * given with its length, to hold a NUL byte where a test needs it. */
struct message {
    const char *conversation_id, *role;
    struct swift_string content;
    const char *user_id, *customer_id, *session_id, *metadata_json;
    const char *const *scope;
    const char *agent_model;
    const uint32_t *agent_context_window;
};

/* Message.handle(): the setters in the wrapper's order; on a refusal
 * (libsynap's, or cText's with no C call) the request is freed. */
static SynapMessageRequest *message_handle(const struct message *m, struct error_copy *err) {
    SynapMessageRequest *r = synap_message_request_new();
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    bool thrown = false; /* by cText: err already set, nothing to read from libsynap */
    SynapCode code = synap_message_request_set_conversation_id(r, m->conversation_id);
    if (code == SYNAP_OK) code = synap_message_request_set_role(r, m->role);
    if (code == SYNAP_OK) {
        if (c_text(m->content, "content", err)) {
            code = synap_message_request_set_content(r, m->content.bytes);
        } else {
            thrown = true;
            code = SYNAP_INVALID_ARGUMENT;
        }
    }
    if (code == SYNAP_OK && m->user_id) code = synap_message_request_set_user_id(r, m->user_id);
    if (code == SYNAP_OK && m->customer_id) code = synap_message_request_set_customer_id(r, m->customer_id);
    if (code == SYNAP_OK && m->session_id) code = synap_message_request_set_session_id(r, m->session_id);
    if (code == SYNAP_OK && m->metadata_json) code = synap_message_request_set_metadata_json(r, m->metadata_json);
    for (const char *const *s = m->scope; code == SYNAP_OK && s && s[0]; s += 2) {
        code = synap_message_request_add_scope_level(r, s[0], s[1]);
    }
    if (code == SYNAP_OK && m->agent_model) code = synap_message_request_set_agent_model(r, m->agent_model);
    if (code == SYNAP_OK && m->agent_context_window)
        code = synap_message_request_set_agent_context_window(r, *m->agent_context_window);
    if (code != SYNAP_OK) {
        if (!thrown) {
            *err = last_error(code);
        }
        synap_message_request_free(r);
        return NULL;
    }
    return r;
}

/* RecordedMessage.init(_:), for an owned message and a batch's lent one
 * alike: an optional is its flag and its value. */
struct recorded_copy {
    char *message_id, *conversation_id, *session_id;
    bool has_recorded_at, has_count;
    int64_t recorded_at, count;
};

static struct recorded_copy recorded_copy(const SynapRecordedMessage *message) {
    struct recorded_copy c;
    int64_t us = 0;
    int64_t count = 0;
    c.message_id = copy(synap_recorded_message_id(message));
    c.conversation_id = copy(synap_recorded_message_conversation_id(message));
    c.session_id = copy(synap_recorded_message_session_id(message));
    c.has_recorded_at = synap_recorded_message_recorded_at_us(message, &us);
    c.recorded_at = c.has_recorded_at ? us : 0;
    c.has_count = synap_recorded_message_conversation_message_count(message, &count);
    c.count = c.has_count ? count : 0;
    return c;
}

static void recorded_copy_free(struct recorded_copy *c) {
    free(c->message_id);
    free(c->conversation_id);
    free(c->session_id);
}

/* Client.recordMessage(_:): the request freed after the recorded message
 * (Swift's defers), and after a failure's details are read. */
static bool record_message(const SynapClient *client, const struct message *m, struct recorded_copy *c,
                           struct error_copy *err) {
    SynapMessageRequest *r = message_handle(m, err);
    if (r == NULL) {
        return false;
    }
    SynapRecordedMessage *out = NULL;
    SynapCode code = synap_conversation_record_message(client, r, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_message_request_free(r);
        return false;
    }
    *c = recorded_copy(out);
    synap_recorded_message_free(out);
    synap_message_request_free(r);
    return true;
}

/* MessageBatch.init(_:): the counts, every lent result and every refusal. */
struct refusal_copy {
    bool has_index;
    int64_t index;
    char *message;
};

struct message_batch_copy {
    bool has_total, has_succeeded, has_failed;
    int64_t total, succeeded, failed;
    size_t count;
    struct recorded_copy *results;
    size_t refusal_count;
    struct refusal_copy *refusals;
};

static struct message_batch_copy message_batch_copy(const SynapMessageBatch *b) {
    struct message_batch_copy c;
    int64_t count = 0;
    c.has_total = synap_message_batch_total(b, &count);
    c.total = c.has_total ? count : 0;
    c.has_succeeded = synap_message_batch_succeeded(b, &count);
    c.succeeded = c.has_succeeded ? count : 0;
    c.has_failed = synap_message_batch_failed(b, &count);
    c.failed = c.has_failed ? count : 0;
    c.count = synap_message_batch_result_count(b);
    c.results = calloc(c.count + 1, sizeof *c.results);
    for (size_t i = 0; i < c.count; i++) {
        c.results[i] = recorded_copy(synap_message_batch_result(b, i));
    }
    c.refusal_count = synap_message_batch_error_count(b);
    c.refusals = calloc(c.refusal_count + 1, sizeof *c.refusals);
    for (size_t i = 0; i < c.refusal_count; i++) {
        int64_t index = 0;
        c.refusals[i].has_index = synap_message_batch_error_index(b, i, &index);
        c.refusals[i].index = c.refusals[i].has_index ? index : 0;
        c.refusals[i].message = copy(synap_message_batch_error_message(b, i));
    }
    return c;
}

static void message_batch_copy_free(struct message_batch_copy *c) {
    for (size_t i = 0; i < c->count; i++) {
        recorded_copy_free(&c->results[i]);
    }
    free(c->results);
    for (size_t i = 0; i < c->refusal_count; i++) {
        free(c->refusals[i].message);
    }
    free(c->refusals);
}

/* Client.recordMessages(_:): handles made one by one (a refusal stops
 * there), every one made freed at the end. */
static bool record_messages(const SynapClient *client, const struct message *ms, size_t n,
                            struct message_batch_copy *c, struct error_copy *err) {
    SynapMessageRequest **handles = calloc(n + 1, sizeof *handles);
    size_t made = 0;
    bool ok = true;
    for (; made < n; made++) {
        handles[made] = message_handle(&ms[made], err);
        if (handles[made] == NULL) {
            ok = false;
            break;
        }
    }
    if (ok) {
        SynapMessageBatch *out = NULL;
        SynapCode code =
            synap_conversation_record_messages(client, (const SynapMessageRequest *const *)handles, n, &out);
        if (code == SYNAP_OK) {
            *c = message_batch_copy(out);
            synap_message_batch_free(out);
        } else {
            *err = last_error(code);
            ok = false;
        }
    }
    for (size_t i = 0; i < made; i++) {
        synap_message_request_free(handles[i]);
    }
    free(handles);
    return ok;
}

/* Transcript.Turn: NULL speaker is nil; has_timestamp false is nil. */
struct transcript_turn {
    const char *role, *content, *speaker;
    bool has_timestamp;
    int64_t timestamp_us;
};

/* Transcript: text set means .text, else .turns; NULL (or an unset flag)
 * is nil; scope is level, value, ..., NULL. */
struct transcript {
    const char *conversation_id, *user_id, *customer_id;
    const char *text;
    const struct transcript_turn *turns;
    size_t turn_count;
    const char *conversation_type, *analysis_json, *metadata_json;
    bool has_started_at, has_ended_at;
    int64_t started_at_us, ended_at_us;
    const char *const *scope;
};

/* Transcript.handle(): the setters in the wrapper's order, a turn with a
 * time through add_timed_turn; on a refusal its details are read, then
 * the request is freed. */
static SynapTranscriptRequest *transcript_handle(const struct transcript *t, struct error_copy *err) {
    SynapTranscriptRequest *r = synap_transcript_request_new();
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = synap_transcript_request_set_conversation_id(r, t->conversation_id);
    if (code == SYNAP_OK) code = synap_transcript_request_set_user_id(r, t->user_id);
    if (code == SYNAP_OK && t->customer_id) code = synap_transcript_request_set_customer_id(r, t->customer_id);
    if (code == SYNAP_OK && t->text) {
        code = synap_transcript_request_set_text(r, t->text);
    } else {
        for (size_t i = 0; code == SYNAP_OK && i < t->turn_count; i++) {
            const struct transcript_turn *turn = &t->turns[i];
            code = turn->has_timestamp ? synap_transcript_request_add_timed_turn(r, turn->role, turn->content,
                                                                                 turn->speaker, turn->timestamp_us)
                                       : synap_transcript_request_add_turn(r, turn->role, turn->content, turn->speaker);
        }
    }
    if (code == SYNAP_OK && t->conversation_type)
        code = synap_transcript_request_set_conversation_type(r, t->conversation_type);
    if (code == SYNAP_OK && t->analysis_json) code = synap_transcript_request_set_analysis_json(r, t->analysis_json);
    if (code == SYNAP_OK && t->metadata_json) code = synap_transcript_request_set_metadata_json(r, t->metadata_json);
    if (code == SYNAP_OK && t->has_started_at) code = synap_transcript_request_set_started_at_us(r, t->started_at_us);
    if (code == SYNAP_OK && t->has_ended_at) code = synap_transcript_request_set_ended_at_us(r, t->ended_at_us);
    for (const char *const *s = t->scope; code == SYNAP_OK && s && s[0]; s += 2) {
        code = synap_transcript_request_add_scope_level(r, s[0], s[1]);
    }
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_transcript_request_free(r);
        return NULL;
    }
    return r;
}

/* TranscriptIngestion.init(_:) */
struct ingested_copy {
    char *conversation_id, *external_conversation_id, *ingestion_id, *status;
    bool has_turns_recorded, has_queued_at;
    int64_t turns_recorded, queued_at;
    char *summary_status;
    struct strings warnings;
};

static struct ingested_copy ingested_copy(const SynapTranscriptIngestion *ingestion) {
    struct ingested_copy c;
    int64_t whole = 0;
    int64_t us = 0;
    c.conversation_id = copy(synap_transcript_ingestion_conversation_id(ingestion));
    c.external_conversation_id = copy(synap_transcript_ingestion_external_conversation_id(ingestion));
    c.ingestion_id = copy(synap_transcript_ingestion_ingestion_id(ingestion));
    c.status = copy(synap_transcript_ingestion_status(ingestion));
    c.has_turns_recorded = synap_transcript_ingestion_turns_recorded(ingestion, &whole);
    c.turns_recorded = c.has_turns_recorded ? whole : 0;
    c.summary_status = copy(synap_transcript_ingestion_summary_status(ingestion));
    c.has_queued_at = synap_transcript_ingestion_queued_at_us(ingestion, &us);
    c.queued_at = c.has_queued_at ? us : 0;
    size_t n = synap_transcript_ingestion_warning_count(ingestion);
    c.warnings = strings_new(n);
    for (size_t i = 0; i < n; i++) {
        strings_push(&c.warnings, synap_transcript_ingestion_warning(ingestion, i));
    }
    return c;
}

static void ingested_copy_free(struct ingested_copy *c) {
    free(c->conversation_id);
    free(c->external_conversation_id);
    free(c->ingestion_id);
    free(c->status);
    free(c->summary_status);
    strings_free(&c->warnings);
}

/* Client.ingestTranscript(_:): the request freed after the ingestion
 * (Swift's defers), and after a failure's details are read. */
static bool ingest_transcript(const SynapClient *client, const struct transcript *t, struct ingested_copy *c,
                              struct error_copy *err) {
    SynapTranscriptRequest *r = transcript_handle(t, err);
    if (r == NULL) {
        return false;
    }
    SynapTranscriptIngestion *out = NULL;
    SynapCode code = synap_conversation_ingest(client, r, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_transcript_request_free(r);
        return false;
    }
    *c = ingested_copy(out);
    synap_transcript_ingestion_free(out);
    synap_transcript_request_free(r);
    return true;
}

/* ConversationMessage.init(_:) */
struct message_copy {
    bool has_position, has_timestamp;
    int64_t position, timestamp;
    char *role, *content, *message_id;
};

struct page_copy {
    size_t count;
    struct message_copy *messages;
};

static struct page_copy page_copy(const SynapMessagePage *page) {
    struct page_copy c;
    c.count = synap_message_page_count(page);
    c.messages = calloc(c.count + 1, sizeof *c.messages);
    for (size_t i = 0; i < c.count; i++) {
        const SynapConversationMessage *message = synap_message_page_message(page, i);
        struct message_copy *m = &c.messages[i];
        int64_t whole = 0;
        int64_t us = 0;
        m->has_position = synap_conversation_message_position(message, &whole);
        m->position = m->has_position ? whole : 0;
        m->role = copy(synap_conversation_message_role(message));
        m->content = copy(synap_conversation_message_content(message));
        m->has_timestamp = synap_conversation_message_timestamp_us(message, &us);
        m->timestamp = m->has_timestamp ? us : 0;
        m->message_id = copy(synap_conversation_message_id(message));
    }
    return c;
}

static void page_copy_free(struct page_copy *c) {
    for (size_t i = 0; i < c->count; i++) {
        free(c->messages[i].role);
        free(c->messages[i].content);
        free(c->messages[i].message_id);
    }
    free(c->messages);
}

/* Client.messages(_:start:limit:): the page copied whole, then freed. */
static bool messages(const SynapClient *client, const char *conversation_id, uint32_t start, uint32_t limit,
                     struct page_copy *c, struct error_copy *err) {
    SynapMessagePage *out = NULL;
    SynapCode code = synap_conversation_messages(client, conversation_id, start, limit, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    *c = page_copy(out);
    synap_message_page_free(out);
    return true;
}

/* CompactOptions: NULL is nil; force is always set. */
struct compact_options {
    const char *strategy;
    const uint32_t *target_tokens;
    bool force;
};

/* CompactOptions.handle(): on a refusal its details are read, then the
 * options are freed. */
static SynapCompactOptions *compact_options_handle(const struct compact_options *o, struct error_copy *err) {
    SynapCompactOptions *h = synap_compact_options_new();
    if (h == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = SYNAP_OK;
    if (o->strategy) code = synap_compact_options_set_strategy(h, o->strategy);
    if (code == SYNAP_OK && o->target_tokens) code = synap_compact_options_set_target_tokens(h, *o->target_tokens);
    if (code == SYNAP_OK) code = synap_compact_options_set_force(h, o->force);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_compact_options_free(h);
        return NULL;
    }
    return h;
}

/* Compaction.init(_:) */
struct compaction_copy {
    char *compaction_id, *conversation_id, *status, *trigger_type, *previous_id;
    bool has_initiated_at, has_estimated;
    int64_t initiated_at, estimated;
};

static struct compaction_copy compaction_copy(const SynapCompaction *compaction) {
    struct compaction_copy c;
    int64_t us = 0;
    int64_t seconds = 0;
    c.compaction_id = copy(synap_compaction_id(compaction));
    c.conversation_id = copy(synap_compaction_conversation_id(compaction));
    c.status = copy(synap_compaction_status(compaction));
    c.trigger_type = copy(synap_compaction_trigger_type(compaction));
    c.has_initiated_at = synap_compaction_initiated_at_us(compaction, &us);
    c.initiated_at = c.has_initiated_at ? us : 0;
    c.has_estimated = synap_compaction_estimated_completion_seconds(compaction, &seconds);
    c.estimated = c.has_estimated ? seconds : 0;
    c.previous_id = copy(synap_compaction_previous_id(compaction));
    return c;
}

static void compaction_copy_free(struct compaction_copy *c) {
    free(c->compaction_id);
    free(c->conversation_id);
    free(c->status);
    free(c->trigger_type);
    free(c->previous_id);
}

/* Client.compact(_:options:): the options made (and freed last), the
 * failure read before they are freed. */
static bool compact(const SynapClient *client, const char *conversation_id, const struct compact_options *o,
                    struct compaction_copy *c, struct error_copy *err) {
    SynapCompactOptions *h = compact_options_handle(o, err);
    if (h == NULL) {
        return false;
    }
    SynapCompaction *out = NULL;
    SynapCode code = synap_conversation_compact(client, conversation_id, h, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_compact_options_free(h);
        return false;
    }
    *c = compaction_copy(out);
    synap_compaction_free(out);
    synap_compact_options_free(h);
    return true;
}

/* CompactedOptions: NULL is nil. */
struct compacted_options {
    const char *format;
    const uint32_t *version;
};

/* CompactedOptions.handle() */
static SynapCompactedOptions *compacted_options_handle(const struct compacted_options *o, struct error_copy *err) {
    SynapCompactedOptions *h = synap_compacted_options_new();
    if (h == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = SYNAP_OK;
    if (o->format) code = synap_compacted_options_set_format(h, o->format);
    if (code == SYNAP_OK && o->version) code = synap_compacted_options_set_version(h, *o->version);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_compacted_options_free(h);
        return NULL;
    }
    return h;
}

/* Compacted.init(_:) */
struct compacted_copy {
    char *compaction_id, *formatted_context, *strategy_used;
    bool has_original, has_compacted, has_ratio, has_score, has_passed, has_warning, has_ttl;
    int64_t original, compacted, ttl;
    double ratio, score;
    bool passed, warning;
    char *facts_json, *decisions_json, *preferences_json, *current_state_json, *raw_json;
};

static struct compacted_copy compacted_copy(const SynapCompacted *compacted) {
    struct compacted_copy c;
    int64_t whole = 0;
    double number = 0;
    bool flag = false;
    c.compaction_id = copy(synap_compacted_id(compacted));
    c.formatted_context = copy(synap_compacted_formatted_context(compacted));
    c.has_original = synap_compacted_original_token_count(compacted, &whole);
    c.original = c.has_original ? whole : 0;
    c.has_compacted = synap_compacted_compacted_token_count(compacted, &whole);
    c.compacted = c.has_compacted ? whole : 0;
    c.has_ratio = synap_compacted_compression_ratio(compacted, &number);
    c.ratio = c.has_ratio ? number : 0;
    c.strategy_used = copy(synap_compacted_strategy_used(compacted));
    c.has_score = synap_compacted_validation_score(compacted, &number);
    c.score = c.has_score ? number : 0;
    c.has_passed = synap_compacted_validation_passed(compacted, &flag);
    c.passed = c.has_passed && flag;
    c.has_warning = synap_compacted_quality_warning(compacted, &flag);
    c.warning = c.has_warning && flag;
    c.facts_json = copy(synap_compacted_facts_json(compacted));
    c.decisions_json = copy(synap_compacted_decisions_json(compacted));
    c.preferences_json = copy(synap_compacted_preferences_json(compacted));
    c.current_state_json = copy(synap_compacted_current_state_json(compacted));
    c.has_ttl = synap_compacted_ttl_seconds(compacted, &whole);
    c.ttl = c.has_ttl ? whole : 0;
    c.raw_json = copy(synap_compacted_raw_json(compacted));
    return c;
}

static void compacted_copy_free(struct compacted_copy *c) {
    free(c->compaction_id);
    free(c->formatted_context);
    free(c->strategy_used);
    free(c->facts_json);
    free(c->decisions_json);
    free(c->preferences_json);
    free(c->current_state_json);
    free(c->raw_json);
}

/* Client.compacted(_:options:): nil (found false) when SYNAP_OK leaves the
 * out pointer NULL; the options freed last. */
static bool compacted(const SynapClient *client, const char *conversation_id, const struct compacted_options *o,
                      bool *found, struct compacted_copy *c, struct error_copy *err) {
    SynapCompactedOptions *h = compacted_options_handle(o, err);
    if (h == NULL) {
        return false;
    }
    SynapCompacted *out = NULL;
    SynapCode code = synap_conversation_compacted(client, conversation_id, h, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        synap_compacted_options_free(h);
        return false;
    }
    *found = out != NULL;
    if (out != NULL) {
        *c = compacted_copy(out);
        synap_compacted_free(out);
    }
    synap_compacted_options_free(h);
    return true;
}

/* CompactionStatus.init(_:) */
struct compaction_status_copy {
    char *conversation_id, *status, *compaction_id, *error_message;
    bool has_completed_at, has_ratio, has_score, has_estimated, has_version;
    int64_t completed_at, estimated, version;
    double ratio, score;
};

static struct compaction_status_copy compaction_status_copy(const SynapCompactionStatus *status) {
    struct compaction_status_copy c;
    int64_t us = 0;
    int64_t whole = 0;
    double number = 0;
    c.conversation_id = copy(synap_compaction_status_conversation_id(status));
    c.status = copy(synap_compaction_status_state(status));
    c.compaction_id = copy(synap_compaction_status_compaction_id(status));
    c.has_completed_at = synap_compaction_status_completed_at_us(status, &us);
    c.completed_at = c.has_completed_at ? us : 0;
    c.has_ratio = synap_compaction_status_compression_ratio(status, &number);
    c.ratio = c.has_ratio ? number : 0;
    c.has_score = synap_compaction_status_validation_score(status, &number);
    c.score = c.has_score ? number : 0;
    c.has_estimated = synap_compaction_status_estimated_completion_seconds(status, &whole);
    c.estimated = c.has_estimated ? whole : 0;
    c.has_version = synap_compaction_status_latest_version(status, &whole);
    c.version = c.has_version ? whole : 0;
    c.error_message = copy(synap_compaction_status_error_message(status));
    return c;
}

static void compaction_status_copy_free(struct compaction_status_copy *c) {
    free(c->conversation_id);
    free(c->status);
    free(c->compaction_id);
    free(c->error_message);
}

/* Client.compactionStatus(_:) */
static bool compaction_status(const SynapClient *client, const char *conversation_id,
                              struct compaction_status_copy *c, struct error_copy *err) {
    SynapCompactionStatus *out = NULL;
    SynapCode code = synap_conversation_compaction_status(client, conversation_id, &out);
    if (code != SYNAP_OK) {
        *err = last_error(code);
        return false;
    }
    *c = compaction_status_copy(out);
    synap_compaction_status_free(out);
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

/* Context retrieval, against documents the test ingests: the decaf
 * document and a conversation, for a user whose id holds `/`, `?` and `#`. */
static const char *const CTX_USER = "swift/ctx?u#1";
static const char *const CTX_CUSTOMER = "c-swift-ctx";
static const char *const CTX_CONVERSATION = "5b0c2d1e-8f7a-4c3b-9e2d-1a0b9c8d7e6f";
static const char *const DECAF_DOC = "User: I switched to decaf after 3pm. I love dark roast in the morning.";
static const char *const DECAF = "I switched to decaf after 3pm.";
#define DECAF_QUERY "what does the user drink after 3pm?"
static const char *const DECAF_QUERIES[] = {DECAF_QUERY, NULL};
static const char *const CTX_CHAT = "User: Any news on my order?\nAssistant: It ships tomorrow.";

static int64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000 + (int64_t)t.tv_nsec / 1000;
}

/* A fetch of CTX_USER's memories for DECAF_QUERY, by type. */
static struct context_request user_request(void) {
    struct context_request q = {0};
    q.scope = SCOPE_USER;
    q.user_id = swift_string_of(CTX_USER);
    q.customer_id = CTX_CUSTOMER;
    q.queries = DECAF_QUERIES;
    return q;
}

/* A refusal the test expects: `code`, with `needle` in the message and no
 * HTTP status unless `status` says one. */
static void expect_error(bool ok, struct error_copy *err, SynapCode code, uint16_t status, const char *needle,
                         const char *what) {
    CHECK(!ok, "%s: succeeded", what);
    if (ok) {
        return;
    }
    CHECK(err->code == code && err->http_status == status, "%s: %s (%u): %s", what, err->code_name,
          err->http_status, err->message);
    CHECK(needle == NULL || strstr(err->message, needle) != NULL, "%s: %s", what, err->message);
    error_free(err);
}

/* Values libsynap (or cText) refuses, before any request. */
static void context_refusals(const SynapClient *client) {
    struct context_copy c;
    struct error_copy err;
    struct context_request q = user_request();
    q.user_id = swift_string_of("");
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "user_id", "empty user id");
    q = user_request();
    q.conversation_id = "not-a-uuid";
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "not-a-uuid",
                 "conversation id");
    q = user_request();
    q.max_results = &(uint32_t){0};
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "max_results",
                 "max results 0");
    static const char *const bad_types[] = {"facts", "notes", NULL};
    q = user_request();
    q.types = bad_types;
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "notes", "unknown type");
    q = user_request();
    q.mode = "slow";
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "slow", "unknown mode");
    q = user_request();
    q.precision_level = "low";
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "low", "unknown precision");
    q = user_request();
    q.response_shape = "flat";
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "flat", "unknown shape");
    static const char *const empty_level[] = {"", "payments", NULL};
    q = user_request();
    q.scope_path = empty_level;
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "scope level",
                 "empty scope level");
    q = user_request();
    q.summary_mode = true;
    q.last_conversations = 21;
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "last_n_conversations",
                 "21 conversations");
    q = user_request();
    q.scope = SCOPE_CUSTOMER;
    q.summary_mode = true;
    q.last_conversations = 5;
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "user scope only",
                 "summary mode on the customer scope");
    /* The scope's own id missing: refused by the fetch, before a request. */
    struct context_request bare = {0};
    bare.scope = SCOPE_CONVERSATION;
    expect_error(fetch_context(client, &bare, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "conversation_id",
                 "no conversation id");
    /* A Swift String holding a NUL byte (C would read "swift-nul"): cText
     * throws before any C call sees it. */
    q = user_request();
    q.user_id = SWIFT_STRING("swift-nul\0/../other");
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "userId contains a NUL byte",
                 "user id with a NUL");
    struct profile_copy p;
    expect_error(user_profile(client, SWIFT_STRING("swift-nul\0tail"), NULL, &p, &err), &err,
                 SYNAP_INVALID_ARGUMENT, 0, "userId contains a NUL byte", "profile user id with a NUL");
    /* Refused by the service: more results than it allows. */
    q = user_request();
    q.max_results = &(uint32_t){101};
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_INVALID_REQUEST, 422, NULL, "101 results");
}

/* Client.wait for the job `id` (`what`, in a failed check), polling every
 * 50 ms for up to 30 s: true, with its last status in `done`, when the wait
 * ended. */
static bool wait_for_job(const SynapClient *client, const char *id, const char *what, struct status_copy *done) {
    struct wait_options w = {0};
    w.timeout_ms = &(uint32_t){30000};
    w.poll_interval_ms = &(uint32_t){50};
    struct error_copy err;
    if (!wait_for(client, id, &w, done, &err)) {
        CHECK(false, "wait for %s: %s", what, err.message);
        error_free(&err);
        return false;
    }
    return true;
}

/* Client.create then Client.wait, for one document of `user` (and
 * `customer`): as wait_for_job. */
static bool ingest_document(const SynapClient *client, const char *text, const char *document_id, const char *user,
                            const char *customer, struct status_copy *done) {
    struct create_request q = {0};
    q.text = text;
    q.document_id = document_id;
    q.user_id = user;
    q.customer_id = customer;
    struct ingestion_copy ingestion;
    struct error_copy err;
    if (!create(client, &q, &ingestion, &err)) {
        CHECK(false, "create %s: %s", document_id, err.message);
        error_free(&err);
        return false;
    }
    bool ok = wait_for_job(client, ingestion.ingestion_id, document_id, done);
    ingestion_copy_free(&ingestion);
    return ok;
}

/* Client.create then Client.wait, for one document of CTX_USER's. */
static bool ingest_for_context(const SynapClient *client, const char *text, const char *document_id) {
    struct status_copy done;
    if (!ingest_document(client, text, document_id, CTX_USER, CTX_CUSTOMER, &done)) {
        return false;
    }
    bool ok = str_eq(done.state, "completed") && done.memories >= 2;
    CHECK(ok, "%s: %s, %llu memories", document_id, done.state, (unsigned long long)done.memories);
    status_copy_free(&done);
    return ok;
}

/* The decaf memory ranks first for the question, with every field read. */
static void ranked_calls(const SynapClient *client, int64_t started) {
    struct context_copy c;
    struct error_copy err;
    struct context_request q = user_request();
    q.response_shape = "ranked";
    if (!fetch_context(client, &q, &c, &err)) {
        CHECK(false, "ranked fetch: %s", err.message);
        error_free(&err);
        return;
    }
    const struct item_list *ranked = list_of(&c, LIST_RANKED);
    CHECK(ranked->count >= 1, "%zu ranked items", ranked->count);
    if (ranked->count >= 1) {
        const struct item_copy *first = &ranked->items[0];
        CHECK(str_eq(first->text, DECAF) && str_eq(first->kind, "preferences"), "first: [%s] %s", first->kind,
              first->text);
        CHECK(first->has_score && first->score > 0.0 && first->score <= 1.0, "score %f", first->score);
        CHECK(first->has_rank && first->rank == 1 && first->has_rank_score && first->rank_score > 0.0, "rank %lld",
              (long long)first->rank);
        CHECK(first->matched_queries.count == 1 && str_eq(first->matched_queries.items[0], DECAF_QUERY),
              "%zu matched queries", first->matched_queries.count);
        CHECK(first->has_time && first->time >= started - 60000000 && first->time <= now_us() + 60000000,
              "extracted at %lld", (long long)first->time);
        CHECK(first->has_said_at && !first->has_event_date && !first->has_event_end && !first->has_valid_until,
              "said at, and no window");
        CHECK(first->id != NULL && strlen(first->id) == 36 && str_eq(first->source, "conversation"), "%s %s",
              first->id, first->source);
        CHECK(str_eq(first->temporal_category, "perpetual") && first->has_temporal_confidence, "%s",
              first->temporal_category);
        CHECK(first->source_evidence.count == 1 && first->participants.count == 0, "evidence");
        CHECK(first->metadata_json != NULL && strstr(first->metadata_json, "rank_score") != NULL, "%s",
              first->metadata_json);
        for (size_t i = 1; i < ranked->count; i++) {
            CHECK(ranked->items[i].rank == (int64_t)i + 1, "rank of item %zu", i);
        }
    }
    /* The typed lists are views of the ranked list. */
    const struct item_list *preferences = list_of(&c, LIST_PREFERENCES);
    CHECK(preferences->count >= 1 && str_eq(preferences->items[0].text, DECAF), "preferences view");
    CHECK(list_of(&c, LIST_EXCERPTS)->count == 0 && !c.has_retrieval && !c.has_profile && c.conversation_count == 0,
          "no excerpts, retrieval block or profile");
    CHECK(str_eq(c.source, "cloud") && c.ttl_seconds == 300 && starts_with(c.correlation_id, "syn"), "%s %lld %s",
          c.source, (long long)c.ttl_seconds, c.correlation_id);
    CHECK(c.retrieved_at >= started && c.raw_json != NULL && strstr(c.raw_json, "\"items\"") != NULL, "raw body");
    context_copy_free(&c);
}

/* By type (the default), and the types filter. */
static void by_type_calls(const SynapClient *client) {
    struct context_copy c;
    struct error_copy err;
    struct context_request q = user_request();
    if (fetch_context(client, &q, &c, &err)) {
        const struct item_list *preferences = list_of(&c, LIST_PREFERENCES);
        CHECK(preferences->count >= 1 && str_eq(preferences->items[0].text, DECAF), "decaf first by type");
        CHECK(str_eq(preferences->items[0].kind, "preferences") && !preferences->items[0].has_rank,
              "a typed item has no rank");
        CHECK(list_of(&c, LIST_RANKED)->count == 0 && list_of(&c, LIST_EXCERPTS)->count == 0, "no ranked list");
        context_copy_free(&c);
    } else {
        CHECK(false, "by type: %s", err.message);
        error_free(&err);
    }
    /* Only temporal events: "It ships tomorrow." */
    static const char *const temporal[] = {"temporal_events", NULL};
    static const char *const when[] = {"when does my order ship tomorrow", NULL};
    q = user_request();
    q.types = temporal;
    q.queries = when;
    if (fetch_context(client, &q, &c, &err)) {
        const struct item_list *events = list_of(&c, LIST_TEMPORAL_EVENTS);
        CHECK(events->count == 1 && str_eq(events->items[0].text, "It ships tomorrow.") && typed_count(&c) == 1,
              "%zu events, %zu items", events->count, typed_count(&c));
        CHECK(events->count == 1 && str_eq(events->items[0].temporal_category, "temporal_fact"), "temporal");
        context_copy_free(&c);
    } else {
        CHECK(false, "types: %s", err.message);
        error_free(&err);
    }
    static const char *const facts[] = {"facts", NULL};
    q = user_request();
    q.types = facts;
    if (fetch_context(client, &q, &c, &err)) {
        CHECK(list_of(&c, LIST_PREFERENCES)->count == 0, "facts only: no preferences");
        context_copy_free(&c);
    } else {
        CHECK(false, "facts: %s", err.message);
        error_free(&err);
    }
}

/* Every setter at once; tests/swift_calls.rs checks the body sent. */
static void every_setter_call(const SynapClient *client) {
    static const char *const queries[] = {DECAF_QUERY, "dark roast", NULL};
    static const char *const types[] = {"preferences", "facts", NULL};
    static const char *const path[] = {"team", "payments", NULL};
    struct context_request q = user_request();
    q.conversation_id = CTX_CONVERSATION;
    q.queries = queries;
    q.max_results = &(uint32_t){5};
    q.types = types;
    q.mode = "accurate";
    q.precision_level = "medium";
    q.response_shape = "by_type";
    q.query_date = "2025-03-11";
    q.max_results_per_query = &(uint32_t){2};
    q.scope_path = path;
    struct context_copy c;
    struct error_copy err;
    if (fetch_context(client, &q, &c, &err)) {
        const struct item_list *preferences = list_of(&c, LIST_PREFERENCES);
        CHECK(preferences->count == 2, "two preferences: %zu", preferences->count);
        /* The conversation named is the current one: its state comes along. */
        CHECK(c.has_conversation && c.conversation.turn_count == 2, "conversation context");
        context_copy_free(&c);
    } else {
        CHECK(false, "every setter: %s", err.message);
        error_free(&err);
    }
}

/* Without a query: the user's profile, then the conversation's state. */
static void no_query_calls(const SynapClient *client) {
    struct context_copy c;
    struct error_copy err;
    struct context_request q = user_request();
    q.queries = NULL;
    if (fetch_context(client, &q, &c, &err)) {
        CHECK(str_eq(c.source, "profile") && c.has_profile && typed_count(&c) == 0, "source %s", c.source);
        CHECK(c.has_profile && attribute(&c.profile, "decaf_after_3pm") != NULL, "the decaf attribute");
        CHECK(c.raw_json == NULL && c.retrieved_at > 0, "no body read");
        context_copy_free(&c);
    } else {
        CHECK(false, "no-query user fetch: %s", err.message);
        error_free(&err);
    }
    static const char *const blank[] = {"  ", NULL};
    struct context_request conversation = {0};
    conversation.scope = SCOPE_CONVERSATION;
    conversation.conversation_id = CTX_CONVERSATION;
    conversation.queries = blank;
    if (fetch_context(client, &conversation, &c, &err)) {
        CHECK(str_eq(c.source, "conversation_state") && typed_count(&c) == 0 && c.has_conversation, "source %s",
              c.source);
        if (c.has_conversation) {
            CHECK(c.conversation.turn_count == 2 && str_eq(c.conversation.turns[0].role, "user") &&
                      str_eq(c.conversation.turns[0].content, "Any news on my order?") &&
                      str_eq(c.conversation.turns[1].role, "assistant"),
                  "%zu turns", c.conversation.turn_count);
            CHECK(starts_with(c.conversation.formatted_context, "## Recent messages"), "%s",
                  c.conversation.formatted_context);
        }
        context_copy_free(&c);
    } else {
        CHECK(false, "no-query conversation fetch: %s", err.message);
        error_free(&err);
    }
}

static void summary_calls(const SynapClient *client) {
    struct context_request q = user_request();
    q.summary_mode = true;
    q.include_profile = true;
    q.last_conversations = 5;
    struct context_copy c;
    struct error_copy err;
    if (!fetch_context(client, &q, &c, &err)) {
        CHECK(false, "summary mode: %s", err.message);
        error_free(&err);
        return;
    }
    CHECK(typed_count(&c) == 0 && c.has_profile && c.conversation_count == 1, "%zu conversations",
          c.conversation_count);
    if (c.conversation_count == 1) {
        const struct summary_copy *s = &c.conversations[0];
        CHECK(str_eq(s->conversation_id, CTX_CONVERSATION) && str_eq(s->status, "pending"), "%s %s",
              s->conversation_id, s->status);
        CHECK(s->has_message_count && s->message_count == 2, "%lld messages", (long long)s->message_count);
        CHECK(s->has_started_at && s->has_last_message_at && s->last_message_at >= s->started_at, "times");
        CHECK(s->json != NULL && strstr(s->json, CTX_CONVERSATION) != NULL, "%s", s->json);
    }
    context_copy_free(&c);
}

/* A conversation fetch: the scripted compaction block, then the real one;
 * a user fetch naming the conversation brings its state too. */
static void conversation_calls(const SynapClient *client) {
    static const char *const order[] = {"order", NULL};
    struct context_request q = {0};
    q.scope = SCOPE_CONVERSATION;
    q.conversation_id = CTX_CONVERSATION;
    q.queries = order;
    struct context_copy c;
    struct error_copy err;
    if (fetch_context(client, &q, &c, &err)) {
        CHECK(c.has_conversation, "a conversation context");
        if (c.has_conversation) {
            const struct conversation_copy *s = &c.conversation;
            CHECK(str_eq(s->summary, "Asked about an order.") && str_eq(s->compacted_at, "2025-01-15T10:40:00Z"),
                  "%s", s->summary);
            CHECK(str_eq(s->compaction_id, "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e") &&
                      str_eq(s->conversation_id, CTX_CONVERSATION),
                  "%s", s->compaction_id);
            CHECK(str_eq(s->current_state_json, "{\"stage\":\"shipping\"}") &&
                      str_eq(s->formatted_context, "Order asked about."),
                  "%s", s->current_state_json);
            CHECK(s->key_extractions_json != NULL && strstr(s->key_extractions_json, "order") != NULL, "%s",
                  s->key_extractions_json);
            CHECK(s->turn_count == 1 && str_eq(s->turns[0].message_id, "m-1") && s->turns[0].has_timestamp &&
                      s->turns[0].timestamp == 1736937662000000,
                  "the scripted turn");
        }
        CHECK(list_of(&c, LIST_FACTS)->count == 1 && str_eq(list_of(&c, LIST_FACTS)->items[0].text,
                                                            "Any news on my order?"),
              "the conversation's fact");
        context_copy_free(&c);
    } else {
        CHECK(false, "conversation fetch: %s", err.message);
        error_free(&err);
    }
    if (fetch_context(client, &q, &c, &err)) {
        CHECK(c.has_conversation && c.conversation.turn_count == 2 && c.conversation.summary == NULL,
              "the real state");
        if (c.has_conversation && c.conversation.turn_count == 2) {
            CHECK(str_eq(c.conversation.turns[1].content, "It ships tomorrow.") &&
                      c.conversation.turns[1].has_timestamp &&
                      c.conversation.turns[1].timestamp >= c.conversation.turns[0].timestamp,
                  "turns in order");
        }
        context_copy_free(&c);
    } else {
        CHECK(false, "conversation fetch: %s", err.message);
        error_free(&err);
    }
}

/* The customer route's two scripted answers: degraded with its items, then
 * failed with none. */
static void degraded_calls(const SynapClient *client) {
    struct context_request q = user_request();
    q.scope = SCOPE_CUSTOMER;
    q.user_id.bytes = NULL;
    struct context_copy c;
    struct error_copy err;
    if (fetch_context(client, &q, &c, &err)) {
        CHECK(c.has_retrieval && c.retrieval.degraded && str_eq(c.retrieval.level, "partial") &&
                  str_eq(c.retrieval.code, "timeout"),
              "degraded");
        CHECK(c.has_retrieval && c.retrieval.warnings.count == 1 &&
                  str_eq(c.retrieval.warnings.items[0], "vector store slow"),
              "warnings");
        CHECK(list_of(&c, LIST_PREFERENCES)->count >= 1, "the items found still come");
        context_copy_free(&c);
    } else {
        CHECK(false, "degraded fetch: %s", err.message);
        error_free(&err);
    }
    if (fetch_context(client, &q, &c, &err)) {
        CHECK(c.has_retrieval && c.retrieval.degraded && str_eq(c.retrieval.level, "failed") &&
                  str_eq(c.retrieval.code, "unavailable") && c.retrieval.warnings.count == 0,
              "failed");
        CHECK(typed_count(&c) == 0, "nothing, because retrieval broke");
        context_copy_free(&c);
    } else {
        CHECK(false, "failed fetch: %s", err.message);
        error_free(&err);
    }
    if (fetch_context(client, &q, &c, &err)) {
        CHECK(!c.has_retrieval, "scripts used up");
        context_copy_free(&c);
    } else {
        CHECK(false, "clean fetch: %s", err.message);
        error_free(&err);
    }
}

/* The client route's scripted answers: malformed values read as absent,
 * then a list holding a number, which fails the fetch. */
static void tolerance_calls(const SynapClient *client) {
    struct context_request q = user_request();
    q.scope = SCOPE_CLIENT;
    q.user_id.bytes = NULL;
    q.customer_id = NULL;
    struct context_copy c;
    struct error_copy err;
    if (fetch_context(client, &q, &c, &err)) {
        const struct item_list *facts = list_of(&c, LIST_FACTS);
        CHECK(facts->count >= 1, "%zu facts", facts->count);
        if (facts->count >= 1) {
            const struct item_copy *raw = &facts->items[0];
            CHECK(raw->id == NULL && str_eq(raw->text, "raw") && raw->has_score && raw->score == 0.75, "%s %f",
                  raw->text, raw->score);
            CHECK(!raw->has_said_at && !raw->has_time && !raw->has_rank && raw->matched_queries.count == 0 &&
                      str_eq(raw->kind, "facts"),
                  "a bad time, rank or list is absent");
        }
        const struct item_list *preferences = list_of(&c, LIST_PREFERENCES);
        CHECK(preferences->count >= 1, "%zu preferences", preferences->count);
        for (size_t i = 0; i < preferences->count; i++) {
            const struct item_copy *p = &preferences->items[i];
            CHECK(p->source == NULL && p->has_score && p->score == 1.5 && !p->has_time && p->has_said_at,
                  "patched item %zu: %s %f", i, p->source, p->score);
        }
        CHECK(c.raw_json != NULL && strstr(c.raw_json, "surprise") != NULL, "unread keys stay in the body");
        context_copy_free(&c);
    } else {
        CHECK(false, "tolerant fetch: %s", err.message);
        error_free(&err);
    }
    expect_error(fetch_context(client, &q, &c, &err), &err, SYNAP_PROTOCOL, 200, "facts[0]",
                 "an item that is not an object");
}

static void profile_calls(const SynapClient *client) {
    struct profile_copy p;
    struct error_copy err;
    if (user_profile(client, swift_string_of(CTX_USER), CTX_CUSTOMER, &p, &err)) {
        const struct attribute_copy *decaf = attribute(&p, "decaf_after_3pm");
        CHECK(p.attribute_count == 2 && decaf != NULL, "%zu attributes", p.attribute_count);
        if (decaf != NULL) {
            CHECK(str_eq(decaf->value_json, "\"I switched to decaf after 3pm.\""), "%s", decaf->value_json);
            CHECK(decaf->has_confidence && decaf->confidence > 0 && decaf->confidence <= 1 && decaf->has_updated_at,
                  "confidence and time");
            CHECK(decaf->source_conversation_id == NULL, "%s", decaf->source_conversation_id);
        }
        CHECK(starts_with(p.overview, "2 preferences on record.") && p.json != NULL, "%s", p.overview);
        profile_copy_free(&p);
    } else {
        CHECK(false, "profile: %s", err.message);
        error_free(&err);
    }
    /* Without the customer (NULL), as on a B2C instance. */
    if (user_profile(client, swift_string_of(CTX_USER), NULL, &p, &err)) {
        CHECK(p.attribute_count == 2, "%zu attributes", p.attribute_count);
        profile_copy_free(&p);
    } else {
        CHECK(false, "profile without customer: %s", err.message);
        error_free(&err);
    }
    expect_error(user_profile(client, swift_string_of("swift-nobody"), NULL, &p, &err), &err, SYNAP_NOT_FOUND, 404,
                 NULL, "no profile yet");
    expect_error(user_profile(client, swift_string_of(CTX_USER), "c-other", &p, &err), &err, SYNAP_NOT_FOUND, 404,
                 NULL, "another customer's user");
    expect_error(user_profile(client, swift_string_of(""), NULL, &p, &err), &err, SYNAP_INVALID_ARGUMENT, 0, NULL,
                 "empty user id");
}

static void prompt_calls(const SynapClient *client) {
    struct prompt_copy p;
    struct error_copy err;
    char *structured = NULL;
    if (prompt_context(client, CTX_CONVERSATION, "structured", &p, &err)) {
        CHECK(!p.available && !p.stale && !p.quality_warning && p.recent == 2 && p.total == 2 && p.compacted == 0,
              "%lld of %lld recent", (long long)p.recent, (long long)p.total);
        CHECK(!p.has_compression_ratio && !p.has_validation_score && !p.has_compaction_age &&
                  p.context_block == NULL && p.compaction_id == NULL,
              "no compaction");
        CHECK(p.turn_count == 2 && str_eq(p.turns[0].role, "user") && str_eq(p.turns[1].content, "It ships tomorrow."),
              "%zu turns", p.turn_count);
        CHECK(p.turn_count == 2 && strlen(p.turns[0].message_id ? p.turns[0].message_id : "") == 36 &&
                  p.turns[0].has_timestamp,
              "message ids and times");
        CHECK(starts_with(p.formatted_context, "## Recent messages\n[") && p.raw_json != NULL, "%s",
              p.formatted_context);
        structured = copy(p.formatted_context);
        prompt_copy_free(&p);
    } else {
        CHECK(false, "structured: %s", err.message);
        error_free(&err);
    }
    if (prompt_context(client, CTX_CONVERSATION, NULL, &p, &err)) {
        CHECK(str_eq(p.formatted_context, structured), "the default style is structured");
        prompt_copy_free(&p);
    } else {
        CHECK(false, "default style: %s", err.message);
        error_free(&err);
    }
    free(structured);
    if (prompt_context(client, CTX_CONVERSATION, "bullet_points", &p, &err)) {
        CHECK(starts_with(p.formatted_context, "- user: Any news on my order?"), "%s", p.formatted_context);
        prompt_copy_free(&p);
    } else {
        CHECK(false, "bullet points: %s", err.message);
        error_free(&err);
    }
    if (prompt_context(client, CTX_CONVERSATION, "narrative", &p, &err)) {
        CHECK(p.formatted_context != NULL &&
                  strstr(p.formatted_context, "The user said: \"Any news on my order?\"") != NULL,
              "%s", p.formatted_context);
        prompt_copy_free(&p);
    } else {
        CHECK(false, "narrative: %s", err.message);
        error_free(&err);
    }
    /* The upper-case form of the id finds the same conversation. */
    if (prompt_context(client, "5B0C2D1E-8F7A-4C3B-9E2D-1A0B9C8D7E6F", "narrative", &p, &err)) {
        CHECK(p.total == 2, "%lld messages", (long long)p.total);
        prompt_copy_free(&p);
    } else {
        CHECK(false, "upper case: %s", err.message);
        error_free(&err);
    }
    if (prompt_context(client, "00000000-0000-4000-8000-000000000000", NULL, &p, &err)) {
        CHECK(p.total == 0 && p.turn_count == 0 && p.formatted_context == NULL, "an empty conversation");
        prompt_copy_free(&p);
    } else {
        CHECK(false, "unknown conversation: %s", err.message);
        error_free(&err);
    }
    expect_error(prompt_context(client, CTX_CONVERSATION, "injection", &p, &err), &err, SYNAP_INVALID_ARGUMENT, 0,
                 "injection", "unknown style");
    expect_error(prompt_context(client, "not-a-uuid", NULL, &p, &err), &err, SYNAP_INVALID_ARGUMENT, 0,
                 "not-a-uuid", "conversation id");
}

static void context_calls(const SynapClient *client) {
    int64_t started = now_us();
    context_refusals(client);
    if (!ingest_for_context(client, DECAF_DOC, "swift-decaf") ||
        !ingest_for_context(client, CTX_CHAT, CTX_CONVERSATION)) {
        return;
    }
    ranked_calls(client, started);
    by_type_calls(client);
    every_setter_call(client);
    no_query_calls(client);
    summary_calls(client);
    conversation_calls(client);
    degraded_calls(client);
    tolerance_calls(client);
    profile_calls(client);
    prompt_calls(client);
}

/* Conversations the test records, ingests and compacts, for a user of a
 * B2B customer. */
static const char *const CONV = "e0c5a7d2-3b41-4f8e-9a6c-1d2e3f4a5b6c";
static const char *const CONV_FAULTS = "f1d6b8e3-4c52-4a9f-8b7d-2e3f4a5b6c7d";
static const char *const CONV_USER = "u-swift-conv";
static const char *const CONV_CUSTOMER = "c-swift-conv";
static const char *const M1 = "My order 8812 arrived damaged. I prefer a refund over a replacement.";
static const char *const M2 = "Sorry about that. I will file the refund today.";
static const char *const M3 = "Thanks, how long does it take?";
static const char *const M4 = "Refunds take five business days.";
static const char *const M5 = "Great, thanks for the help.";
static const char *const CALL_TEXT = "User: I want a refund for order 8812.\nAssistant: I will process it today.";
/* 2025-01-15T10:00:00Z, 10:06:41Z and 10:00:04Z. */
#define CALL_STARTED_US INT64_C(1736935200000000)
#define CALL_ENDED_US INT64_C(1736935601000000)
#define TURN_AT_US INT64_C(1736935204000000)

/* Message(conversationId: CONV, role:, content:, userId:, customerId:). */
static struct message conv_message(const char *role, const char *content) {
    struct message m = {0};
    m.conversation_id = CONV;
    m.role = role;
    m.content = swift_string_of(content);
    m.user_id = CONV_USER;
    m.customer_id = CONV_CUSTOMER;
    return m;
}

/* The writes are not resent after a 500 or a dropped connection (the
 * service may have stored them), and are after a 503; the emulator's
 * answers to the first three records and the first batch are scripted,
 * and tests/swift_calls.rs counts what reached it. */
static void no_duplicate_calls(void) {
    struct client_options o = {0};
    o.base_url = fixture("BASE_URL");
    o.max_attempts = &(uint32_t){3};
    o.retry_backoff_ms = (const uint32_t[]){10, 20};
    o.proxy = "";
    struct error_copy err;
    SynapClient *retrying = client_new("synap_dev_emulator", &o, &err);
    if (retrying == NULL) {
        CHECK(false, "retrying client: %s", err.message);
        error_free(&err);
        return;
    }
    struct message m = conv_message("user", "swift-dup-500");
    m.conversation_id = CONV_FAULTS;
    struct recorded_copy r;
    expect_error(record_message(retrying, &m, &r, &err), &err, SYNAP_SERVER, 500, NULL, "a record answered with 500");
    m.content = swift_string_of("swift-dup-drop");
    CHECK(!record_message(retrying, &m, &r, &err), "a record whose connection dropped");
    CHECK(err.code == SYNAP_NETWORK && err.http_status == 0, "dropped: %s (%u): %s", err.code_name,
          err.http_status, err.message);
    error_free(&err);
    m.content = swift_string_of("swift-dup-503");
    if (record_message(retrying, &m, &r, &err)) {
        CHECK(r.has_count && r.count == 1 && str_eq(r.conversation_id, CONV_FAULTS), "%lld messages",
              (long long)r.count);
        recorded_copy_free(&r);
    } else {
        CHECK(false, "a record answered with 503 is resent: %s", err.message);
        error_free(&err);
    }
    struct message batch[1];
    batch[0] = m;
    batch[0].content = swift_string_of("swift-dup-batch-500");
    struct message_batch_copy b;
    expect_error(record_messages(retrying, batch, 1, &b, &err), &err, SYNAP_SERVER, 500, NULL,
                 "a batch answered with 500");
    struct page_copy page;
    if (messages(retrying, CONV_FAULTS, 1, 10, &page, &err)) {
        CHECK(page.count == 1 && str_eq(page.messages[0].content, "swift-dup-503"), "%zu messages", page.count);
        page_copy_free(&page);
    } else {
        CHECK(false, "messages: %s", err.message);
        error_free(&err);
    }
    synap_client_free(retrying);
}

/* Values libsynap (or cText) refuses, before any request. */
static void conversation_refusals(const SynapClient *client) {
    struct error_copy err;
    struct recorded_copy r;
    struct message m = conv_message("user", "swift-refused-id");
    m.conversation_id = "not-a-uuid";
    expect_error(record_message(client, &m, &r, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "not-a-uuid",
                 "a conversation id that is not a UUID");
    m = conv_message("system", "swift-refused-role");
    expect_error(record_message(client, &m, &r, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "system", "role system");
    m = conv_message("user", "swift-refused-no-user");
    m.user_id = NULL;
    expect_error(record_message(client, &m, &r, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "user_id",
                 "a message recorded alone without its user");
    m = conv_message("user", "swift-refused-empty-user");
    m.user_id = "";
    expect_error(record_message(client, &m, &r, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "user_id", "empty user id");
    m = conv_message("user", "swift-refused-metadata");
    m.metadata_json = "[1,2]";
    expect_error(record_message(client, &m, &r, &err), &err, SYNAP_INVALID_ARGUMENT, 0, NULL, "metadata not an object");
    m = conv_message("user", "");
    m.content = SWIFT_STRING("swift-nul\0tail");
    expect_error(record_message(client, &m, &r, &err), &err, SYNAP_INVALID_ARGUMENT, 0,
                 "content contains a NUL byte", "content with a NUL");

    struct message_batch_copy b;
    expect_error(record_messages(client, NULL, 0, &b, &err), &err, SYNAP_INVALID_ARGUMENT, 0, NULL, "an empty batch");
    struct message two[2];
    two[0] = conv_message("user", "swift-refused-batch-first");
    two[1] = conv_message("narrator", "swift-refused-batch-second");
    expect_error(record_messages(client, two, 2, &b, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "narrator",
                 "a batch with a refused role");

    struct ingested_copy i;
    struct transcript t = {0};
    t.conversation_id = "";
    t.user_id = CONV_USER;
    t.customer_id = CONV_CUSTOMER;
    t.text = "User: swift-refused-transcript";
    expect_error(ingest_transcript(client, &t, &i, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "conversation_id",
                 "an empty transcript id");
    t.conversation_id = "swift-refused-call";
    const struct transcript_turn narrator[] = {{"narrator", "swift-refused-turn", NULL, false, 0}};
    t.text = NULL;
    t.turns = narrator;
    t.turn_count = 1;
    expect_error(ingest_transcript(client, &t, &i, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "narrator",
                 "a turn of a narrator");
    t.turn_count = 0;
    expect_error(ingest_transcript(client, &t, &i, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "transcript",
                 "no transcript");
    t.text = "User: swift-refused-year";
    t.has_started_at = true;
    t.started_at_us = INT64_C(253402300800000000); /* 10000-01-01 */
    expect_error(ingest_transcript(client, &t, &i, &err), &err, SYNAP_INVALID_ARGUMENT, 0, NULL, "year 10000");

    struct page_copy page;
    expect_error(messages(client, CONV, 0, 10, &page, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "start", "start 0");
    expect_error(messages(client, CONV, 1, 0, &page, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "limit", "limit 0");
    expect_error(messages(client, CONV, 1, 501, &page, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "limit", "limit 501");
    expect_error(messages(client, "not-a-uuid", 1, 10, &page, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "not-a-uuid",
                 "messages of a conversation id that is not a UUID");

    struct compaction_copy c;
    struct compact_options gentle = {"gentle", NULL, false};
    expect_error(compact(client, CONV, &gentle, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "gentle",
                 "an unknown strategy");
    struct compact_options defaults = {0};
    expect_error(compact(client, "not-a-uuid", &defaults, &c, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "not-a-uuid",
                 "compact a conversation id that is not a UUID");
    bool found = false;
    struct compacted_copy d;
    struct compacted_options bullets = {"bullet_points", NULL};
    expect_error(compacted(client, CONV, &bullets, &found, &d, &err), &err, SYNAP_INVALID_ARGUMENT, 0,
                 "bullet_points", "an unknown format");
    struct compaction_status_copy s;
    expect_error(compaction_status(client, "not-a-uuid", &s, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "not-a-uuid",
                 "the status of a conversation id that is not a UUID");
}

/* Two messages recorded one by one, every setter used on the first; then a
 * batch of three, one refused by the service. `ids` receives the four
 * stored messages' ids, in order. */
static void record_calls(const SynapClient *client, char **ids) {
    static const char *const scope[] = {"team", "payments", NULL};
    struct message m = conv_message("user", M1);
    m.session_id = "swift-session-1";
    m.metadata_json = "{\"channel\": \"web\"}";
    m.scope = scope;
    m.agent_model = "gpt-4o";
    m.agent_context_window = &(uint32_t){128000};
    struct recorded_copy r;
    struct error_copy err;
    if (record_message(client, &m, &r, &err)) {
        CHECK(strlen(r.message_id ? r.message_id : "") == 36 && str_eq(r.conversation_id, CONV), "%s", r.message_id);
        CHECK(str_eq(r.session_id, "swift-session-1") && r.has_recorded_at && r.has_count && r.count == 1,
              "%s, %lld messages", r.session_id, (long long)r.count);
        CHECK(r.recorded_at > now_us() - INT64_C(600000000), "recorded now: %lld", (long long)r.recorded_at);
        ids[0] = copy(r.message_id);
        recorded_copy_free(&r);
    } else {
        CHECK(false, "record: %s", err.message);
        error_free(&err);
        return;
    }
    m = conv_message("assistant", M2);
    if (record_message(client, &m, &r, &err)) {
        CHECK(r.count == 2 && strlen(r.session_id ? r.session_id : "") == 36, "a session made by the service: %s",
              r.session_id);
        ids[1] = copy(r.message_id);
        recorded_copy_free(&r);
    } else {
        CHECK(false, "record: %s", err.message);
        error_free(&err);
        return;
    }
    /* The second has a user and no customer, which this B2B instance
     * refuses; the third has no user and takes the conversation's. */
    struct message batch[3];
    batch[0] = conv_message("user", M3);
    batch[1] = conv_message("user", "swift-batch-refused");
    batch[1].customer_id = NULL;
    batch[2] = conv_message("assistant", M4);
    batch[2].user_id = NULL;
    batch[2].customer_id = NULL;
    struct message_batch_copy b;
    if (!record_messages(client, batch, 3, &b, &err)) {
        CHECK(false, "batch: %s", err.message);
        error_free(&err);
        return;
    }
    CHECK(b.has_total && b.total == 3 && b.has_succeeded && b.succeeded == 2 && b.has_failed && b.failed == 1,
          "%lld of %lld", (long long)b.succeeded, (long long)b.total);
    CHECK(b.count == 2 && b.refusal_count == 1, "%zu results, %zu refusals", b.count, b.refusal_count);
    if (b.count == 2) {
        CHECK(b.results[0].count == 3 && b.results[1].count == 4, "counts %lld, %lld", (long long)b.results[0].count,
              (long long)b.results[1].count);
        CHECK(str_eq(b.results[0].conversation_id, CONV) && b.results[1].has_recorded_at, "batch rows");
        ids[2] = copy(b.results[0].message_id);
        ids[3] = copy(b.results[1].message_id);
    }
    if (b.refusal_count == 1) {
        CHECK(b.refusals[0].has_index && b.refusals[0].index == 1, "index %lld", (long long)b.refusals[0].index);
        CHECK(b.refusals[0].message != NULL && strstr(b.refusals[0].message, "customer_id") != NULL, "%s",
              b.refusals[0].message);
    }
    message_batch_copy_free(&b);
}

/* The four messages, whole and a page at a time. */
static void page_calls(const SynapClient *client, char *const *ids) {
    static const char *const roles[] = {"user", "assistant", "user", "assistant"};
    const char *contents[] = {M1, M2, M3, M4};
    struct page_copy page;
    struct error_copy err;
    if (messages(client, CONV, 1, 500, &page, &err)) {
        CHECK(page.count == 4, "%zu messages", page.count);
        for (size_t i = 0; i < page.count && i < 4; i++) {
            const struct message_copy *m = &page.messages[i];
            CHECK(m->has_position && m->position == (int64_t)i + 1, "position %lld", (long long)m->position);
            CHECK(str_eq(m->role, roles[i]) && str_eq(m->content, contents[i]), "%zu: %s: %s", i, m->role, m->content);
            CHECK(str_eq(m->message_id, ids[i]) && m->has_timestamp, "%zu: %s", i, m->message_id);
            CHECK(i == 0 || m->timestamp >= page.messages[i - 1].timestamp, "in time order");
        }
        page_copy_free(&page);
    } else {
        CHECK(false, "messages: %s", err.message);
        error_free(&err);
    }
    /* A page shorter than the limit is the last. */
    const uint32_t starts[] = {1, 4, 5};
    const size_t counts[] = {3, 1, 0};
    for (size_t i = 0; i < 3; i++) {
        if (messages(client, CONV, starts[i], 3, &page, &err)) {
            CHECK(page.count == counts[i], "from %u: %zu messages", starts[i], page.count);
            CHECK(page.count == 0 || (page.messages[0].position == (int64_t)starts[i] &&
                                      str_eq(page.messages[0].message_id, ids[starts[i] - 1])),
                  "from %u", starts[i]);
            page_copy_free(&page);
        } else {
            CHECK(false, "page from %u: %s", starts[i], err.message);
            error_free(&err);
        }
    }
    /* A conversation nothing was said in has no messages. */
    if (messages(client, "00000000-0000-4000-8000-000000000000", 1, 10, &page, &err)) {
        CHECK(page.count == 0, "%zu messages", page.count);
        page_copy_free(&page);
    } else {
        CHECK(false, "an unknown conversation: %s", err.message);
        error_free(&err);
    }
}

/* Client.compacted(_:options:) returning nil. */
static void expect_no_compaction(const SynapClient *client, const char *conversation_id,
                                 const struct compacted_options *o, const char *what) {
    bool found = false;
    struct compacted_copy d;
    struct error_copy err;
    if (compacted(client, conversation_id, o, &found, &d, &err)) {
        CHECK(!found, "%s: a compaction", what);
        if (found) {
            compacted_copy_free(&d);
        }
    } else {
        CHECK(false, "%s: %s", what, err.message);
        error_free(&err);
    }
}

/* Client.compacted(_:options:) returning a compaction, copied into `d`. */
static bool read_compacted(const SynapClient *client, const struct compacted_options *o, struct compacted_copy *d,
                           const char *what) {
    bool found = false;
    struct error_copy err;
    if (!compacted(client, CONV, o, &found, d, &err)) {
        CHECK(false, "%s: %s", what, err.message);
        error_free(&err);
        return false;
    }
    CHECK(found, "%s: nil", what);
    return found;
}

/* Client.compactionStatus until it is `want`, 100 ms apart, 30 s at most. */
static bool status_becomes(const SynapClient *client, const char *conversation_id, const char *want,
                           struct compaction_status_copy *s) {
    struct error_copy err;
    for (int i = 0; i < 300; i++) {
        if (!compaction_status(client, conversation_id, s, &err)) {
            CHECK(false, "compaction status: %s", err.message);
            error_free(&err);
            return false;
        }
        if (str_eq(s->status, want)) {
            return true;
        }
        compaction_status_copy_free(s);
        struct timespec pause = {0, 100 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    CHECK(false, "compaction never %s", want);
    return false;
}

/* Compact CONV and wait for it; read it in each format; the prompt context
 * after it, and after one more message. */
static void compaction_calls(const SynapClient *client) {
    struct error_copy err;
    struct compaction_status_copy s;
    if (compaction_status(client, CONV, &s, &err)) {
        CHECK(str_eq(s.status, "none") && str_eq(s.conversation_id, CONV) && s.compaction_id == NULL, "%s", s.status);
        CHECK(!s.has_completed_at && !s.has_version && s.error_message == NULL, "nothing compacted");
        compaction_status_copy_free(&s);
    } else {
        CHECK(false, "status: %s", err.message);
        error_free(&err);
    }
    struct compacted_options latest = {0};
    expect_no_compaction(client, CONV, &latest, "not compacted yet");

    struct compact_options o = {"balanced", &(uint32_t){2000}, true};
    struct compaction_copy c;
    if (!compact(client, CONV, &o, &c, &err)) {
        CHECK(false, "compact: %s", err.message);
        error_free(&err);
        return;
    }
    CHECK(str_eq(c.status, "in_progress") && str_eq(c.trigger_type, "manual_api") && str_eq(c.conversation_id, CONV),
          "%s %s", c.status, c.trigger_type);
    CHECK(strlen(c.compaction_id ? c.compaction_id : "") == 36 && c.has_initiated_at && c.has_estimated &&
              c.previous_id == NULL,
          "%s", c.compaction_id);
    struct compaction_copy again;
    expect_error(compact(client, CONV, &o, &again, &err), &err, SYNAP_CONFLICT, 409, NULL, "one already running");
    if (compaction_status(client, CONV, &s, &err)) {
        CHECK(str_eq(s.status, "in_progress") && str_eq(s.compaction_id, c.compaction_id) && s.has_estimated, "%s",
              s.status);
        compaction_status_copy_free(&s);
    } else {
        CHECK(false, "status: %s", err.message);
        error_free(&err);
    }
    if (status_becomes(client, CONV, "completed", &s)) {
        CHECK(str_eq(s.compaction_id, c.compaction_id) && s.has_completed_at && s.has_ratio && s.ratio > 1.0,
              "ratio %f", s.ratio);
        CHECK(s.has_score && s.has_version && s.version == 1 && !s.has_estimated, "version %lld", (long long)s.version);
        compaction_status_copy_free(&s);
    }

    struct compacted_copy d;
    if (read_compacted(client, &latest, &d, "the latest, structured")) {
        CHECK(str_eq(d.compaction_id, c.compaction_id) && str_eq(d.strategy_used, "balanced"), "%s", d.strategy_used);
        CHECK(starts_with(d.formatted_context, "## Conversation so far (compacted, 4 messages)\n"), "%s",
              d.formatted_context);
        CHECK(d.has_original && d.has_compacted && d.original > d.compacted && d.has_ratio && d.ratio > 1.0,
              "%lld to %lld tokens", (long long)d.original, (long long)d.compacted);
        CHECK(d.has_score && d.has_passed && d.passed && d.has_warning && !d.warning && d.has_ttl && d.ttl > 0,
              "validation");
        CHECK(d.facts_json && strstr(d.facts_json, "8812") && d.preferences_json &&
                  strstr(d.preferences_json, "I prefer a refund"),
              "%s %s", d.facts_json, d.preferences_json);
        CHECK(d.decisions_json && strstr(d.decisions_json, "I will file the refund today."), "%s", d.decisions_json);
        CHECK(d.current_state_json && strstr(d.current_state_json, "\"messages_covered\":4"), "%s",
              d.current_state_json);
        CHECK(d.raw_json != NULL && strstr(d.raw_json, c.compaction_id) != NULL, "raw JSON");
        compacted_copy_free(&d);
    }
    struct compacted_options narrative = {"narrative", &(uint32_t){1}};
    if (read_compacted(client, &narrative, &d, "version 1, narrative")) {
        CHECK(starts_with(d.formatted_context, "So far in this conversation (4 messages): "), "%s",
              d.formatted_context);
        compacted_copy_free(&d);
    }
    struct compacted_options injection = {"injection", NULL};
    if (read_compacted(client, &injection, &d, "injection")) {
        CHECK(starts_with(d.formatted_context, "<conversation_context>\n"), "%s", d.formatted_context);
        compacted_copy_free(&d);
    }
    struct compacted_options second = {NULL, &(uint32_t){2}};
    expect_no_compaction(client, CONV, &second, "version 2");
    expect_no_compaction(client, CONV_FAULTS, &latest, "a conversation never compacted");

    /* The prompt context: the compaction block and nothing after it, then
     * the one message recorded since. */
    struct prompt_copy p;
    if (prompt_context(client, CONV, NULL, &p, &err)) {
        CHECK(p.available && !p.stale && p.compacted == 4 && p.recent == 0 && p.total == 4 && p.turn_count == 0,
              "%lld compacted, %lld recent", (long long)p.compacted, (long long)p.recent);
        CHECK(str_eq(p.compaction_id, c.compaction_id) && starts_with(p.context_block, "## Conversation so far") &&
                  str_eq(p.formatted_context, p.context_block) && p.has_compression_ratio,
              "%s", p.formatted_context);
        prompt_copy_free(&p);
    } else {
        CHECK(false, "prompt context: %s", err.message);
        error_free(&err);
    }
    struct message m = conv_message("user", M5);
    struct recorded_copy r;
    if (record_message(client, &m, &r, &err)) {
        CHECK(r.count == 5, "%lld messages", (long long)r.count);
        recorded_copy_free(&r);
    } else {
        CHECK(false, "record: %s", err.message);
        error_free(&err);
    }
    if (prompt_context(client, CONV, "bullet_points", &p, &err)) {
        CHECK(p.available && p.stale && p.compacted == 4 && p.recent == 1 && p.total == 5, "%lld recent",
              (long long)p.recent);
        CHECK(p.turn_count == 1 && str_eq(p.turns[0].content, M5) && str_eq(p.turns[0].role, "user"), "%zu turns",
              p.turn_count);
        CHECK(p.formatted_context != NULL && starts_with(p.formatted_context, p.context_block) &&
                  strstr(p.formatted_context, "- user: Great, thanks for the help.") != NULL,
              "%s", p.formatted_context);
        prompt_copy_free(&p);
    } else {
        CHECK(false, "prompt context: %s", err.message);
        error_free(&err);
    }
    if (compaction_status(client, CONV, &s, &err)) {
        CHECK(str_eq(s.status, "stale"), "%s", s.status);
        compaction_status_copy_free(&s);
    } else {
        CHECK(false, "status: %s", err.message);
        error_free(&err);
    }
    /* A compaction with every option left to the service replaces the first. */
    struct compact_options defaults = {0};
    struct compaction_copy next;
    if (compact(client, CONV, &defaults, &next, &err)) {
        CHECK(str_eq(next.previous_id, c.compaction_id) && !str_eq(next.compaction_id, c.compaction_id), "%s",
              next.previous_id);
        compaction_copy_free(&next);
    } else {
        CHECK(false, "compact again: %s", err.message);
        error_free(&err);
    }
    compaction_copy_free(&c);
}

/* A transcript as text, followed to its job's end, repeated (a duplicate)
 * and contradicted (a conflict); another as turns. */
static void transcript_calls(const SynapClient *client) {
    static const char *const scope[] = {"team", "payments", NULL};
    struct transcript t = {0};
    t.conversation_id = "swift-call-8812";
    t.user_id = CONV_USER;
    t.customer_id = CONV_CUSTOMER;
    t.text = CALL_TEXT;
    t.conversation_type = "voice";
    t.analysis_json = "{\"sentiment\": \"negative\"}";
    t.metadata_json = "{\"channel\": \"phone\"}";
    t.has_started_at = true;
    t.started_at_us = CALL_STARTED_US;
    t.has_ended_at = true;
    t.ended_at_us = CALL_ENDED_US;
    t.scope = scope;
    struct ingested_copy first;
    struct error_copy err;
    if (!ingest_transcript(client, &t, &first, &err)) {
        CHECK(false, "ingest: %s", err.message);
        error_free(&err);
        return;
    }
    CHECK(str_eq(first.status, "queued") && str_eq(first.external_conversation_id, "swift-call-8812"), "%s %s",
          first.status, first.external_conversation_id);
    CHECK(strlen(first.conversation_id ? first.conversation_id : "") == 36 &&
              strlen(first.ingestion_id ? first.ingestion_id : "") == 36,
          "%s %s", first.conversation_id, first.ingestion_id);
    CHECK(first.has_turns_recorded && first.turns_recorded == 2 && str_eq(first.summary_status, "in_progress") &&
              first.has_queued_at && first.warnings.count == 0,
          "%lld turns, %s, %zu warnings", (long long)first.turns_recorded, first.summary_status, first.warnings.count);
    /* Its job, followed like a created document's. */
    struct wait_options w = {0};
    w.timeout_ms = &(uint32_t){30000};
    w.poll_interval_ms = &(uint32_t){50};
    struct status_copy done;
    if (wait_for(client, first.ingestion_id, &w, &done, &err)) {
        CHECK(str_eq(done.state, "completed") && done.memories >= 1, "%s, %llu memories", done.state,
              (unsigned long long)done.memories);
        status_copy_free(&done);
    } else {
        CHECK(false, "wait: %s", err.message);
        error_free(&err);
    }
    /* The service's id for it reads its turns. */
    struct page_copy page;
    if (messages(client, first.conversation_id, 1, 10, &page, &err)) {
        CHECK(page.count == 2, "%zu messages", page.count);
        if (page.count == 2) {
            CHECK(str_eq(page.messages[0].role, "user") &&
                      str_eq(page.messages[0].content, "I want a refund for order 8812.") &&
                      page.messages[0].timestamp == CALL_STARTED_US,
                  "%s at %lld", page.messages[0].content, (long long)page.messages[0].timestamp);
            CHECK(str_eq(page.messages[1].role, "assistant") &&
                      page.messages[1].timestamp == CALL_STARTED_US + INT64_C(1000000),
                  "%s", page.messages[1].role);
        }
        page_copy_free(&page);
    } else {
        CHECK(false, "messages: %s", err.message);
        error_free(&err);
    }
    /* The same transcript again is a duplicate of the first job. */
    struct ingested_copy repeat;
    if (ingest_transcript(client, &t, &repeat, &err)) {
        CHECK(str_eq(repeat.status, "duplicate") && str_eq(repeat.ingestion_id, first.ingestion_id) &&
                  str_eq(repeat.conversation_id, first.conversation_id),
              "%s %s", repeat.status, repeat.ingestion_id);
        ingested_copy_free(&repeat);
    } else {
        CHECK(false, "repeat: %s", err.message);
        error_free(&err);
    }
    /* Another transcript under the same id is a conflict. */
    t.text = "User: I want a replacement instead.";
    expect_error(ingest_transcript(client, &t, &repeat, &err), &err, SYNAP_CONFLICT, 409, NULL,
                 "a different transcript under the same id");
    ingested_copy_free(&first);

    /* As turns: one timed, with its speaker; one neither. */
    const struct transcript_turn turns[] = {
        {"user", "I want a refund.", "Caller", true, TURN_AT_US},
        {"assistant", "Refund filed.", NULL, false, 0},
    };
    struct transcript turned = {0};
    turned.conversation_id = "swift-call-turns";
    turned.user_id = CONV_USER;
    turned.customer_id = CONV_CUSTOMER;
    turned.turns = turns;
    turned.turn_count = 2;
    struct ingested_copy i;
    if (!ingest_transcript(client, &turned, &i, &err)) {
        CHECK(false, "ingest turns: %s", err.message);
        error_free(&err);
        return;
    }
    CHECK(str_eq(i.status, "queued") && i.turns_recorded == 2 && str_eq(i.external_conversation_id, "swift-call-turns"),
          "%s, %lld turns", i.status, (long long)i.turns_recorded);
    if (messages(client, i.conversation_id, 1, 10, &page, &err)) {
        CHECK(page.count == 2 && str_eq(page.messages[0].content, "I want a refund.") &&
                  page.messages[0].timestamp == TURN_AT_US && str_eq(page.messages[1].content, "Refund filed."),
              "%zu messages", page.count);
        page_copy_free(&page);
    } else {
        CHECK(false, "messages: %s", err.message);
        error_free(&err);
    }
    struct ingested_copy turned_again;
    if (ingest_transcript(client, &turned, &turned_again, &err)) {
        CHECK(str_eq(turned_again.status, "duplicate") && str_eq(turned_again.ingestion_id, i.ingestion_id), "%s",
              turned_again.status);
        ingested_copy_free(&turned_again);
    } else {
        CHECK(false, "turns again: %s", err.message);
        error_free(&err);
    }
    ingested_copy_free(&i);
}

static void conversation_route_calls(const SynapClient *client) {
    no_duplicate_calls();
    conversation_refusals(client);
    char *ids[4] = {NULL, NULL, NULL, NULL};
    record_calls(client, ids);
    if (ids[3] != NULL) {
        page_calls(client, ids);
        compaction_calls(client);
    }
    for (size_t i = 0; i < 4; i++) {
        free(ids[i]);
    }
    transcript_calls(client);
}

/* ---- Memory lifecycle, data deletion, credits ------------------------- */

/* UpdateRequest: json set means .json, else .text; NULL is nil. */
struct update_request {
    const char *text, *json;
    const char *merge_strategy, *document_type, *metadata_json;
};

/* UpdateRequest.handle(): the setters asked for, in the wrapper's order; on
 * a refusal its details are read, then the request is freed. */
static SynapUpdateRequest *update_request_handle(const struct update_request *q, struct error_copy *err) {
    SynapUpdateRequest *r = synap_update_request_new();
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = q->json ? synap_update_request_set_document_json(r, q->json)
                             : synap_update_request_set_document_text(r, q->text);
    if (code == SYNAP_OK && q->merge_strategy) code = synap_update_request_set_merge_strategy(r, q->merge_strategy);
    if (code == SYNAP_OK && q->document_type) code = synap_update_request_set_document_type(r, q->document_type);
    if (code == SYNAP_OK && q->metadata_json) code = synap_update_request_set_metadata_json(r, q->metadata_json);
    if (!checked(code, err)) {
        synap_update_request_free(r);
        return NULL;
    }
    return r;
}

/* Client.update(_:with:): the id checked by cText, the request built, the
 * memory copied and freed before the request (Swift's defers). */
static bool update(const SynapClient *client, struct swift_string memory_id, const struct update_request *q,
                   struct memory_copy *c, struct error_copy *err) {
    if (!c_text(memory_id, "memoryId", err)) {
        return false;
    }
    SynapUpdateRequest *r = update_request_handle(q, err);
    if (r == NULL) {
        return false;
    }
    SynapMemory *out = NULL;
    bool ok = checked(synap_memories_update(client, memory_id.bytes, r, &out), err);
    if (ok) {
        *c = memory_copy(out);
        synap_memory_free(out);
    }
    synap_update_request_free(r);
    return ok;
}

/* DeletedMemory.init(_:) */
struct deleted_copy {
    char *memory_id;
    bool has_deleted_at;
    int64_t deleted_at;
};

/* Client.deleteMemory(_:) */
static bool delete_memory(const SynapClient *client, const char *id, struct deleted_copy *c, struct error_copy *err) {
    SynapDeletedMemory *out = NULL;
    if (!checked(synap_memories_delete(client, id, &out), err)) {
        return false;
    }
    int64_t us = 0;
    c->memory_id = copy(synap_deleted_memory_id(out));
    c->has_deleted_at = synap_deleted_memory_deleted_at_us(out, &us);
    c->deleted_at = us;
    synap_deleted_memory_free(out);
    return true;
}

/* ForgetRequest: NULL is nil; scope is level, value, ..., NULL. */
struct forget_request {
    const char *description, *user_id, *customer_id;
    const char *const *scope;
    const char *mode;
};

/* ForgetRequest.handle() */
static SynapForgetRequest *forget_request_handle(const struct forget_request *q, struct error_copy *err) {
    SynapForgetRequest *r = synap_forget_request_new();
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = synap_forget_request_set_description(r, q->description);
    if (code == SYNAP_OK) code = synap_forget_request_set_user_id(r, q->user_id);
    if (code == SYNAP_OK && q->customer_id) code = synap_forget_request_set_customer_id(r, q->customer_id);
    for (const char *const *s = q->scope; code == SYNAP_OK && s && s[0]; s += 2) {
        code = synap_forget_request_add_scope_level(r, s[0], s[1]);
    }
    if (code == SYNAP_OK && q->mode) code = synap_forget_request_set_mode(r, q->mode);
    if (!checked(code, err)) {
        synap_forget_request_free(r);
        return NULL;
    }
    return r;
}

/* ForgetResult.Candidate */
struct candidate_copy {
    char *memory_id, *content, *memory_type, *store;
};

/* ForgetResult.init(_:) */
struct forget_copy {
    SynapForgetOutcome outcome;
    char *status, *request_id;
    size_t candidate_count;
    struct candidate_copy *candidates;
    struct strings deleted_ids, failed_ids, still_present_in;
    bool may_be_incomplete;
};

static struct forget_copy forget_copy(const SynapForgetResult *r) {
    struct forget_copy c;
    c.outcome = synap_forget_result_outcome(r);
    c.status = copy(synap_forget_result_status(r));
    c.request_id = copy(synap_forget_result_request_id(r));
    c.candidate_count = synap_forget_result_candidate_count(r);
    c.candidates = calloc(c.candidate_count + 1, sizeof *c.candidates);
    for (size_t i = 0; i < c.candidate_count; i++) {
        c.candidates[i].memory_id = copy(synap_forget_result_candidate_memory_id(r, i));
        c.candidates[i].content = copy(synap_forget_result_candidate_content(r, i));
        c.candidates[i].memory_type = copy(synap_forget_result_candidate_memory_type(r, i));
        c.candidates[i].store = copy(synap_forget_result_candidate_store(r, i));
    }
    STRINGS_OF(c.deleted_ids, synap_forget_result_deleted_count(r), i, synap_forget_result_deleted_id(r, i));
    STRINGS_OF(c.failed_ids, synap_forget_result_failed_count(r), i, synap_forget_result_failed_id(r, i));
    STRINGS_OF(c.still_present_in, synap_forget_result_still_present_count(r), i,
               synap_forget_result_still_present_in(r, i));
    c.may_be_incomplete = synap_forget_result_may_be_incomplete(r);
    return c;
}

static void forget_copy_free(struct forget_copy *c) {
    free(c->status);
    free(c->request_id);
    for (size_t i = 0; i < c->candidate_count; i++) {
        free(c->candidates[i].memory_id);
        free(c->candidates[i].content);
        free(c->candidates[i].memory_type);
        free(c->candidates[i].store);
    }
    free(c->candidates);
    strings_free(&c->deleted_ids);
    strings_free(&c->failed_ids);
    strings_free(&c->still_present_in);
}

/* Client.forget(_:): the answer copied and freed before the request. */
static bool forget(const SynapClient *client, const struct forget_request *q, struct forget_copy *c,
                   struct error_copy *err) {
    SynapForgetRequest *r = forget_request_handle(q, err);
    if (r == NULL) {
        return false;
    }
    SynapForgetResult *out = NULL;
    bool ok = checked(synap_memories_forget(client, r, &out), err);
    if (ok) {
        *c = forget_copy(out);
        synap_forget_result_free(out);
    }
    synap_forget_request_free(r);
    return ok;
}

/* UploadRequest.Source */
enum upload_source { SOURCE_FILE, SOURCE_BYTES, SOURCE_TEXT };

/* UploadRequest: NULL is nil; scope is level, value, ..., NULL. The file
 * path is given with its length, to hold a NUL byte where a test needs it;
 * `bytes` is Data, any bytes. */
struct upload_request {
    const char *user_id, *customer_id, *relationship_type, *mode, *document_type, *metadata_json;
    const char *const *scope;
    enum upload_source source;
    struct swift_string file;
    const uint8_t *bytes;
    size_t bytes_len;
    const char *text;
    const char *filename, *content_type;
};

/* UploadRequest.handle(): the setters asked for, in the wrapper's order; a
 * file path holding a NUL byte is refused by cText at its turn. */
static SynapUploadRequest *upload_request_handle(const struct upload_request *q, struct error_copy *err) {
    SynapUploadRequest *r = synap_upload_request_new();
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = synap_upload_request_set_user_id(r, q->user_id);
    if (code == SYNAP_OK && q->customer_id) code = synap_upload_request_set_customer_id(r, q->customer_id);
    if (code == SYNAP_OK && q->relationship_type)
        code = synap_upload_request_set_relationship_type(r, q->relationship_type);
    if (code == SYNAP_OK && q->mode) code = synap_upload_request_set_mode(r, q->mode);
    if (code == SYNAP_OK && q->document_type) code = synap_upload_request_set_document_type(r, q->document_type);
    if (code == SYNAP_OK && q->metadata_json) code = synap_upload_request_set_metadata_json(r, q->metadata_json);
    for (const char *const *s = q->scope; code == SYNAP_OK && s && s[0]; s += 2) {
        code = synap_upload_request_add_scope_level(r, s[0], s[1]);
    }
    if (code == SYNAP_OK) {
        switch (q->source) {
        case SOURCE_FILE:
            if (!c_text(q->file, "file path", err)) {
                synap_upload_request_free(r);
                return NULL;
            }
            code = synap_upload_request_set_file(r, q->file.bytes);
            break;
        case SOURCE_BYTES:
            code = synap_upload_request_set_bytes(r, q->bytes, q->bytes_len);
            break;
        case SOURCE_TEXT:
            code = synap_upload_request_set_text(r, q->text);
            break;
        }
    }
    if (code == SYNAP_OK && q->filename) code = synap_upload_request_set_filename(r, q->filename);
    if (code == SYNAP_OK && q->content_type) code = synap_upload_request_set_content_type(r, q->content_type);
    if (!checked(code, err)) {
        synap_upload_request_free(r);
        return NULL;
    }
    return r;
}

/* Client.upload(_:): the ingestion copied and freed before the request. */
static bool upload(const SynapClient *client, const struct upload_request *q, struct ingestion_copy *c,
                   struct error_copy *err) {
    SynapUploadRequest *r = upload_request_handle(q, err);
    if (r == NULL) {
        return false;
    }
    SynapIngestion *out = NULL;
    bool ok = checked(synap_memories_upload(client, r, &out), err);
    if (ok) {
        *c = ingestion_copy(out);
        synap_ingestion_free(out);
    }
    synap_upload_request_free(r);
    return ok;
}

/* DeleteScope: the raw values the wrapper passes. */
enum { DELETE_USER = 0, DELETE_CONVERSATION = 1, DELETE_CUSTOMER = 2 };

/* DataDeleteRequest: NULL is nil; dry_run is always set. */
struct data_delete_request {
    int scope;
    const char *id, *customer_id, *user_id;
    bool dry_run;
    const char *confirm;
};

/* DataDeleteRequest.handle(): the request made with its scope and id (a
 * refusal leaves nothing to free), then the setters. */
static SynapDataDeleteRequest *data_delete_request_handle(const struct data_delete_request *q,
                                                          struct error_copy *err) {
    SynapDataDeleteRequest *r = NULL;
    SynapCode code = synap_data_delete_request_new(q->scope, q->id, &r);
    if (!checked(code, err)) {
        return NULL;
    }
    if (q->customer_id) code = synap_data_delete_request_set_customer_id(r, q->customer_id);
    if (code == SYNAP_OK && q->user_id) code = synap_data_delete_request_set_user_id(r, q->user_id);
    if (code == SYNAP_OK) code = synap_data_delete_request_set_dry_run(r, q->dry_run);
    if (code == SYNAP_OK && q->confirm) code = synap_data_delete_request_set_confirm(r, q->confirm);
    if (!checked(code, err)) {
        synap_data_delete_request_free(r);
        return NULL;
    }
    return r;
}

/* DataDeletion: counts is the [String: Int] dictionary, a store set twice
 * keeping its last value. */
struct deletion_copy {
    char *deletion_id;
    SynapDeletionState state;
    char *status, *scope;
    bool dry_run, found, fully_removed, memories_kept;
    size_t count_count;
    char **count_stores;
    int64_t *count_values;
    struct strings still_present_in, kept;
    char *stores_json, *note, *audit, *json;
};

static struct deletion_copy *deletion_copy_new(const SynapDataDeletion *d) {
    struct deletion_copy *c = calloc(1, sizeof *c);
    c->deletion_id = copy(synap_data_deletion_id(d));
    c->state = synap_data_deletion_state(d);
    c->status = copy(synap_data_deletion_status_text(d));
    c->scope = copy(synap_data_deletion_scope(d));
    c->dry_run = synap_data_deletion_is_dry_run(d);
    c->found = synap_data_deletion_found(d);
    c->fully_removed = synap_data_deletion_fully_removed(d);
    c->memories_kept = synap_data_deletion_memories_kept(d);
    size_t n = synap_data_deletion_count_count(d);
    c->count_stores = calloc(n + 1, sizeof *c->count_stores);
    c->count_values = calloc(n + 1, sizeof *c->count_values);
    for (size_t i = 0; i < n; i++) {
        int64_t value = 0;
        const char *store = synap_data_deletion_count_store(d, i);
        if (store == NULL || !synap_data_deletion_count_value(d, i, &value)) {
            continue;
        }
        size_t at = 0;
        while (at < c->count_count && strcmp(c->count_stores[at], store) != 0) {
            at++;
        }
        if (at == c->count_count) {
            c->count_stores[c->count_count++] = copy(store);
        }
        c->count_values[at] = value;
    }
    STRINGS_OF(c->still_present_in, synap_data_deletion_still_present_count(d), i,
               synap_data_deletion_still_present_in(d, i));
    STRINGS_OF(c->kept, synap_data_deletion_kept_count(d), i, synap_data_deletion_kept(d, i));
    c->stores_json = copy(synap_data_deletion_stores_json(d));
    c->note = copy(synap_data_deletion_note(d));
    c->audit = copy(synap_data_deletion_audit(d));
    c->json = copy(synap_data_deletion_json(d));
    return c;
}

static void deletion_copy_delete(struct deletion_copy *c) {
    if (c == NULL) {
        return;
    }
    free(c->deletion_id);
    free(c->status);
    free(c->scope);
    for (size_t i = 0; i < c->count_count; i++) {
        free(c->count_stores[i]);
    }
    free(c->count_stores);
    free(c->count_values);
    strings_free(&c->still_present_in);
    strings_free(&c->kept);
    free(c->stores_json);
    free(c->note);
    free(c->audit);
    free(c->json);
    free(c);
}

static const char *deletion_copy_status(const struct deletion_copy *c) {
    return c->status;
}

/* The WaitState a deletion wait counts a record in. */
static int deletion_wait_state(const struct deletion_copy *c) {
    switch (c->state) {
    case SYNAP_DELETION_COMPLETE:
        return SYNAP_WAIT_COMPLETED;
    case SYNAP_DELETION_PARTIAL:
        return SYNAP_WAIT_PARTIAL_SUCCESS;
    default:
        return SYNAP_WAIT_PROCESSING;
    }
}

/* counts[store]: -1 when the dictionary has no such key. */
static int64_t count_of(const struct deletion_copy *c, const char *store) {
    for (size_t i = 0; i < c->count_count; i++) {
        if (strcmp(c->count_stores[i], store) == 0) {
            return c->count_values[i];
        }
    }
    return -1;
}

/* Client.deleteData(_:): NULL on failure; the record copied and freed
 * before the request. */
static struct deletion_copy *delete_data(const SynapClient *client, const struct data_delete_request *q,
                                         struct error_copy *err) {
    SynapDataDeleteRequest *r = data_delete_request_handle(q, err);
    if (r == NULL) {
        return NULL;
    }
    SynapDataDeletion *out = NULL;
    struct deletion_copy *c = NULL;
    if (checked(synap_data_delete(client, r, &out), err)) {
        c = deletion_copy_new(out);
        synap_data_deletion_free(out);
    }
    synap_data_delete_request_free(r);
    return c;
}

/* Client.deletionStatus(_:) */
static struct deletion_copy *deletion_status(const SynapClient *client, const char *id, struct error_copy *err) {
    SynapDataDeletion *out = NULL;
    if (!checked(synap_data_deletion_status(client, id, &out), err)) {
        return NULL;
    }
    struct deletion_copy *c = deletion_copy_new(out);
    synap_data_deletion_free(out);
    return c;
}

/* Client.waitForDeletion(_:options:): as Client.wait. */
static struct deletion_copy *wait_for_deletion(const SynapClient *client, const char *id,
                                               const struct wait_options *w, struct error_copy *err) {
    SynapWaitOptions *o = wait_options_handle(w, err);
    if (o == NULL) {
        return NULL;
    }
    SynapDataDeletion *out = NULL;
    bool ok = checked(synap_data_deletion_wait(client, id, o, &out), err);
    synap_wait_options_free(o);
    if (!ok) {
        return NULL;
    }
    struct deletion_copy *c = deletion_copy_new(out);
    synap_data_deletion_free(out);
    return c;
}

/* CreditBalance.Bucket */
struct bucket_copy {
    char *source_type;
    bool has_credits, has_expires_at;
    double credits;
    int64_t expires_at;
};

/* CreditBalance.init(_:) */
struct balance_copy {
    double credits;
    char *client_id;
    bool warning_low;
    size_t bucket_count;
    struct bucket_copy *buckets;
};

static void balance_copy_free(struct balance_copy *c) {
    free(c->client_id);
    for (size_t i = 0; i < c->bucket_count; i++) {
        free(c->buckets[i].source_type);
    }
    free(c->buckets);
}

/* Client.creditBalance() */
static bool credit_balance(const SynapClient *client, struct balance_copy *c, struct error_copy *err) {
    SynapCreditBalance *out = NULL;
    if (!checked(synap_credits_balance(client, &out), err)) {
        return false;
    }
    c->credits = synap_credit_balance_credits(out);
    c->client_id = copy(synap_credit_balance_client_id(out));
    c->warning_low = synap_credit_balance_warning_low(out);
    c->bucket_count = synap_credit_balance_bucket_count(out);
    c->buckets = calloc(c->bucket_count + 1, sizeof *c->buckets);
    for (size_t i = 0; i < c->bucket_count; i++) {
        double number = 0;
        int64_t us = 0;
        c->buckets[i].source_type = copy(synap_credit_balance_bucket_source_type(out, i));
        c->buckets[i].has_credits = synap_credit_balance_bucket_credits(out, i, &number);
        c->buckets[i].credits = number;
        c->buckets[i].has_expires_at = synap_credit_balance_bucket_expires_at_us(out, i, &us);
        c->buckets[i].expires_at = us;
    }
    synap_credit_balance_free(out);
    return true;
}

/* LedgerQuery: NULL is nil. */
struct ledger_query {
    const char *entry_type;
    const int64_t *from_us, *to_us;
    const uint32_t *limit;
    const uint64_t *offset;
};

/* LedgerQuery.handle() */
static SynapLedgerQuery *ledger_query_handle(const struct ledger_query *q, struct error_copy *err) {
    SynapLedgerQuery *l = synap_ledger_query_new();
    if (l == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = SYNAP_OK;
    if (q->entry_type) code = synap_ledger_query_set_entry_type(l, q->entry_type);
    if (code == SYNAP_OK && q->from_us) code = synap_ledger_query_set_from_us(l, *q->from_us);
    if (code == SYNAP_OK && q->to_us) code = synap_ledger_query_set_to_us(l, *q->to_us);
    if (code == SYNAP_OK && q->limit) code = synap_ledger_query_set_limit(l, *q->limit);
    if (code == SYNAP_OK && q->offset) code = synap_ledger_query_set_offset(l, *q->offset);
    if (!checked(code, err)) {
        synap_ledger_query_free(l);
        return NULL;
    }
    return l;
}

/* LedgerPage.Entry */
struct entry_copy {
    char *entry_id, *entry_type;
    bool has_delta;
    double delta;
    char *metric_type, *category;
    bool has_created_at;
    int64_t created_at;
};

/* LedgerPage.init(_:) */
struct ledger_copy {
    size_t count;
    struct entry_copy *entries;
    bool has_total, has_limit, has_offset;
    int64_t total, limit, offset;
};

static void ledger_copy_free(struct ledger_copy *c) {
    for (size_t i = 0; i < c->count; i++) {
        free(c->entries[i].entry_id);
        free(c->entries[i].entry_type);
        free(c->entries[i].metric_type);
        free(c->entries[i].category);
    }
    free(c->entries);
}

/* Client.creditLedger(_:): the page copied and freed before the query. */
static bool credit_ledger(const SynapClient *client, const struct ledger_query *q, struct ledger_copy *c,
                          struct error_copy *err) {
    SynapLedgerQuery *l = ledger_query_handle(q, err);
    if (l == NULL) {
        return false;
    }
    SynapLedgerPage *out = NULL;
    bool ok = checked(synap_credits_ledger(client, l, &out), err);
    if (ok) {
        c->count = synap_ledger_page_count(out);
        c->entries = calloc(c->count + 1, sizeof *c->entries);
        for (size_t i = 0; i < c->count; i++) {
            double number = 0;
            int64_t us = 0;
            struct entry_copy *e = &c->entries[i];
            e->entry_id = copy(synap_ledger_page_entry_id(out, i));
            e->entry_type = copy(synap_ledger_page_entry_type(out, i));
            e->has_delta = synap_ledger_page_entry_delta(out, i, &number);
            e->delta = number;
            e->metric_type = copy(synap_ledger_page_entry_metric_type(out, i));
            e->category = copy(synap_ledger_page_entry_category(out, i));
            e->has_created_at = synap_ledger_page_entry_created_at_us(out, i, &us);
            e->created_at = us;
        }
        c->has_total = synap_ledger_page_total(out, &c->total);
        c->has_limit = synap_ledger_page_limit(out, &c->limit);
        c->has_offset = synap_ledger_page_offset(out, &c->offset);
        synap_ledger_page_free(out);
    }
    synap_ledger_query_free(l);
    return ok;
}

/* EstimateRequest: NULL is nil. */
struct estimate_request {
    const char *metric_type;
    double units;
    const uint64_t *item_count;
    const char *endpoint, *mode;
};

/* EstimateRequest.handle() */
static SynapEstimateRequest *estimate_request_handle(const struct estimate_request *q, struct error_copy *err) {
    SynapEstimateRequest *r = synap_estimate_request_new();
    if (r == NULL) {
        *err = job_error(SYNAP_INTERNAL, "out of memory");
        return NULL;
    }
    SynapCode code = synap_estimate_request_set_metric_type(r, q->metric_type);
    if (code == SYNAP_OK) code = synap_estimate_request_set_units(r, q->units);
    if (code == SYNAP_OK && q->item_count) code = synap_estimate_request_set_item_count(r, *q->item_count);
    if (code == SYNAP_OK && q->endpoint) code = synap_estimate_request_set_endpoint(r, q->endpoint);
    if (code == SYNAP_OK && q->mode) code = synap_estimate_request_set_mode(r, q->mode);
    if (!checked(code, err)) {
        synap_estimate_request_free(r);
        return NULL;
    }
    return r;
}

/* Client.estimateCredits(_:) */
static bool estimate_credits(const SynapClient *client, const struct estimate_request *q, double *credits,
                             struct error_copy *err) {
    SynapEstimateRequest *r = estimate_request_handle(q, err);
    if (r == NULL) {
        return false;
    }
    *credits = 0;
    bool ok = checked(synap_credits_estimate(client, r, credits), err);
    synap_estimate_request_free(r);
    return ok;
}

/* Redemption.init(_:) */
struct redemption_copy {
    char *redemption_id;
    bool has_granted, has_new_balance, has_expires_at;
    double granted, new_balance;
    int64_t expires_at;
};

/* Client.redeemCredits(_:): the code checked by cText, then sent. */
static bool redeem_credits(const SynapClient *client, struct swift_string code_text, struct redemption_copy *c,
                           struct error_copy *err) {
    if (!c_text(code_text, "code", err)) {
        return false;
    }
    SynapRedemption *out = NULL;
    if (!checked(synap_credits_redeem(client, code_text.bytes, &out), err)) {
        return false;
    }
    double number = 0;
    int64_t us = 0;
    c->redemption_id = copy(synap_redemption_id(out));
    c->has_granted = synap_redemption_credits_granted(out, &number);
    c->granted = number;
    c->has_new_balance = synap_redemption_new_balance(out, &number);
    c->new_balance = number;
    c->has_expires_at = synap_redemption_expires_at_us(out, &us);
    c->expires_at = us;
    synap_redemption_free(out);
    return true;
}

/* ---- The lifecycle calls, against the emulator ------------------------ */

static const char *const LIFE_USER = "u-swift-life";
static const char *const LIFE_CUSTOMER = "c-swift-life";
static const char *const LIFE_DOC =
    "User: I moved to Porto last spring. I prefer window seats on long flights. My old home address was 12 Elm "
    "Street.";
static const char *const DEL_USER = "u-swift-del";
static const char *const DEL_CONVERSATION = "a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d";

/* Client.create then Client.wait for `text` of `user` (and `customer`);
 * the memory ids, NULL-terminated, in `ids` (at most `max`). */
static size_t ingest_memories(const SynapClient *client, const char *text, const char *document_id,
                              const char *user, const char *customer, char **ids, size_t max) {
    struct status_copy done;
    if (!ingest_document(client, text, document_id, user, customer, &done)) {
        return 0;
    }
    size_t n = 0;
    for (; n < done.id_count && n < max; n++) {
        ids[n] = copy(done.memory_ids[n]);
    }
    status_copy_free(&done);
    return n;
}

/* The id, among `ids`, of the memory whose content holds `part`; NULL if
 * none does. */
static const char *memory_saying(const SynapClient *client, char *const *ids, size_t n, const char *part) {
    for (size_t i = 0; i < n; i++) {
        struct memory_copy m;
        struct error_copy err;
        if (!get(client, ids[i], &m, &err)) {
            error_free(&err);
            continue;
        }
        bool says = strstr(m.content, part) != NULL;
        memory_copy_free(&m);
        if (says) {
            return ids[i];
        }
    }
    return NULL;
}

/* Update (text and JSON), get it back; refusals before any request. */
static void update_calls(const SynapClient *client, const char *id) {
    struct memory_copy m;
    struct error_copy err;
    struct update_request q = {0};
    q.text = "I moved to Porto in 2021.";
    q.merge_strategy = "replace";
    if (update(client, swift_string_of(id), &q, &m, &err)) {
        CHECK(str_eq(m.memory_id, id) && str_eq(m.content, "I moved to Porto in 2021."), "%s", m.content);
        CHECK(m.updated && m.updated_at >= m.created_at, "updated at");
        memory_copy_free(&m);
    } else {
        CHECK(false, "update: %s", err.message);
        error_free(&err);
    }
    if (get(client, id, &m, &err)) {
        CHECK(str_eq(m.content, "I moved to Porto in 2021.") && m.updated, "get after update: %s", m.content);
        memory_copy_free(&m);
    } else {
        CHECK(false, "get after update: %s", err.message);
        error_free(&err);
    }
    struct update_request json = {0};
    json.json = "{\"text\": \"I moved there for work.\"}";
    json.merge_strategy = "append";
    json.document_type = "document";
    json.metadata_json = "{\"source\": \"swift-update\"}";
    if (update(client, swift_string_of(id), &json, &m, &err)) {
        CHECK(str_eq(m.content, "I moved to Porto in 2021.\nI moved there for work."), "%s", m.content);
        memory_copy_free(&m);
    } else {
        CHECK(false, "update with JSON: %s", err.message);
        error_free(&err);
    }

    struct update_request refused_strategy = q;
    refused_strategy.merge_strategy = "swift-refused-merge";
    expect_error(update(client, swift_string_of(id), &refused_strategy, &m, &err), &err, SYNAP_INVALID_ARGUMENT, 0,
                 "swift-refused-merge", "unknown merge strategy");
    expect_error(update(client, swift_string_of("swift-refused-id"), &q, &m, &err), &err, SYNAP_INVALID_ARGUMENT, 0,
                 NULL, "memory id that is not a UUID");
    expect_error(update(client, SWIFT_STRING("00000000-0000-4000-8000-000000000000\0swift-nul"), &q, &m, &err), &err,
                 SYNAP_INVALID_ARGUMENT, 0, "memoryId contains a NUL byte", "memory id with a NUL");
    expect_error(update(client, swift_string_of("00000000-0000-4000-8000-000000000000"), &q, &m, &err), &err,
                 SYNAP_NOT_FOUND, 404, NULL, "update of an unknown memory");
}

/* Delete, then get and delete again: not found. */
static void delete_calls(const SynapClient *client, const char *id) {
    struct deleted_copy d;
    struct error_copy err;
    int64_t before = now_us();
    if (delete_memory(client, id, &d, &err)) {
        CHECK(str_eq(d.memory_id, id), "%s", d.memory_id);
        CHECK(d.has_deleted_at && d.deleted_at >= before - 5000000 && d.deleted_at <= now_us() + 5000000, "deleted at");
        free(d.memory_id);
    } else {
        CHECK(false, "delete: %s", err.message);
        error_free(&err);
    }
    struct memory_copy m;
    expect_error(get(client, id, &m, &err), &err, SYNAP_NOT_FOUND, 404, NULL, "get after delete");
    expect_error(delete_memory(client, id, &d, &err), &err, SYNAP_NOT_FOUND, 404, NULL, "delete again");
    struct update_request q = {0};
    q.text = "Back again.";
    expect_error(update(client, swift_string_of(id), &q, &m, &err), &err, SYNAP_NOT_FOUND, 404, NULL,
                 "update after delete");
}

/* Forget in preview (nothing deleted), then directly; nothing matching. */
static void forget_calls(const SynapClient *client, const char *id) {
    struct forget_copy f;
    struct error_copy err;
    struct forget_request q = {0};
    q.description = "old home address";
    q.user_id = LIFE_USER;
    q.customer_id = LIFE_CUSTOMER;
    if (forget(client, &q, &f, &err)) {
        CHECK(f.outcome == SYNAP_FORGET_PREVIEW && str_eq(f.status, "preview"), "%s", f.status);
        CHECK(f.request_id != NULL && f.candidate_count == 1 && f.deleted_ids.count == 0, "%zu candidates",
              f.candidate_count);
        CHECK(f.candidate_count == 1 && str_eq(f.candidates[0].memory_id, id) &&
                  strstr(f.candidates[0].content, "12 Elm Street") != NULL && str_eq(f.candidates[0].store, "memory") &&
                  f.candidates[0].memory_type != NULL,
              "candidate");
        CHECK(!f.may_be_incomplete && f.failed_ids.count == 0 && f.still_present_in.count == 0, "preview flags");
        forget_copy_free(&f);
    } else {
        CHECK(false, "forget preview: %s", err.message);
        error_free(&err);
    }
    struct memory_copy m;
    if (get(client, id, &m, &err)) {
        memory_copy_free(&m);
    } else {
        CHECK(false, "a preview deleted the memory: %s", err.message);
        error_free(&err);
    }

    static const char *const team[] = {"team", "travel", NULL};
    q.mode = "direct";
    q.scope = team;
    if (forget(client, &q, &f, &err)) {
        CHECK(f.outcome == SYNAP_FORGET_DELETED && str_eq(f.status, "deleted"), "%s", f.status);
        CHECK(f.deleted_ids.count == 1 && str_eq(f.deleted_ids.items[0], id), "%zu deleted", f.deleted_ids.count);
        forget_copy_free(&f);
    } else {
        CHECK(false, "forget direct: %s", err.message);
        error_free(&err);
    }
    expect_error(get(client, id, &m, &err), &err, SYNAP_NOT_FOUND, 404, NULL, "get after forget");

    q.description = "zebra crossing";
    q.scope = NULL;
    if (forget(client, &q, &f, &err)) {
        CHECK(f.outcome == SYNAP_FORGET_NOTHING_MATCHES && f.candidate_count == 0 && f.request_id == NULL, "%s",
              f.status);
        forget_copy_free(&f);
    } else {
        CHECK(false, "forget nothing: %s", err.message);
        error_free(&err);
    }
    q.description = "no";
    expect_error(forget(client, &q, &f, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "description", "short description");
    q.description = "swift-refused forget";
    q.mode = "later";
    expect_error(forget(client, &q, &f, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "later", "unknown forget mode");
    /* Not scoped to one user on this B2B instance: the service refuses it. */
    q.description = "passport drawer";
    q.mode = NULL;
    q.customer_id = NULL;
    expect_error(forget(client, &q, &f, &err), &err, SYNAP_INVALID_REQUEST, 400, "customer_id", "no customer");
}

/* The bytes the Data source carries: NUL and bytes that are not UTF-8. */
static const uint8_t UPLOAD_BYTES[] = {'s', 'w', 'i', 'f', 't', 0, 0xff, 0xfe, 'b', 'y', 't', 'e', 's', '\n'};

/* Client.upload, then Client.wait for its job: a failed check, naming the
 * `what` upload, unless the job was queued and completed. */
static void upload_completes(const SynapClient *client, const struct upload_request *q, const char *what) {
    struct ingestion_copy job;
    struct error_copy err;
    if (!upload(client, q, &job, &err)) {
        CHECK(false, "%s upload: %s", what, err.message);
        error_free(&err);
        return;
    }
    CHECK(str_eq(job.state, "queued") && job.accepted, "%s upload: %s", what, job.state);
    char job_name[64];
    snprintf(job_name, sizeof job_name, "the %s upload", what);
    struct status_copy done;
    if (wait_for_job(client, job.ingestion_id, job_name, &done)) {
        CHECK(str_eq(done.state, "completed"), "%s upload: %s", what, done.state);
        status_copy_free(&done);
    }
    ingestion_copy_free(&job);
}

/* Upload a file, bytes and text, each waited for; a missing file is
 * SYNAP_FILE; refusals before any request. */
static void upload_calls(const SynapClient *client) {
    struct ingestion_copy job;
    struct error_copy err;
    static const char *const team[] = {"team", "travel", NULL};
    struct upload_request file = {0};
    file.user_id = LIFE_USER;
    file.customer_id = LIFE_CUSTOMER;
    file.mode = "fast";
    file.document_type = "document";
    file.metadata_json = "{\"channel\": \"swift-upload\"}";
    file.scope = team;
    file.source = SOURCE_FILE;
    file.file = swift_string_of(fixture("UPLOAD_FILE"));
    upload_completes(client, &file, "file");

    struct upload_request bytes = {0};
    bytes.user_id = LIFE_USER;
    bytes.customer_id = LIFE_CUSTOMER;
    bytes.relationship_type = "b2b";
    bytes.source = SOURCE_BYTES;
    bytes.bytes = UPLOAD_BYTES;
    bytes.bytes_len = sizeof UPLOAD_BYTES;
    bytes.filename = "swift-notes.bin";
    bytes.content_type = "application/x-swift";
    upload_completes(client, &bytes, "bytes");

    struct upload_request text = {0};
    text.user_id = LIFE_USER;
    text.customer_id = LIFE_CUSTOMER;
    text.source = SOURCE_TEXT;
    text.text = "User: I keep my passport in the top drawer of my desk.";
    upload_completes(client, &text, "text");

    /* A file that is not there: SYNAP_FILE, naming it, and nothing sent. */
    struct upload_request missing = file;
    missing.file = swift_string_of("/nonexistent/swift-missing-upload.txt");
    bool ok = upload(client, &missing, &job, &err);
    CHECK(!ok, "missing file uploaded");
    if (!ok) {
        CHECK(err.code == SYNAP_FILE && str_eq(err.code_name, "SYNAP_FILE") && err.http_status == 0, "%s: %s",
              err.code_name, err.message);
        CHECK(strstr(err.message, "swift-missing-upload.txt") != NULL, "%s", err.message);
        error_free(&err);
    }
    struct upload_request nul = file;
    nul.file = SWIFT_STRING("/tmp/swift-nul\0.txt");
    expect_error(upload(client, &nul, &job, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "file path contains a NUL byte",
                 "file path with a NUL");
    struct upload_request no_user = text;
    no_user.user_id = "";
    expect_error(upload(client, &no_user, &job, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "user_id", "empty user");
    struct upload_request bad_mode = text;
    bad_mode.mode = "swift-refused-mode";
    expect_error(upload(client, &bad_mode, &job, &err), &err, SYNAP_INVALID_ARGUMENT, 0, "swift-refused-mode",
                 "unknown upload mode");
}

/* A dry run, refusals, a confirmed deletion waited for with progress, its
 * status; a conversation's dry run keeps the memories. */
static void data_delete_calls(const SynapClient *client) {
    char *ids[4] = {NULL, NULL, NULL, NULL};
    size_t n = ingest_memories(client, "User: I drink green tea every morning. I work from a cafe on Fridays.",
                               "swift-del-doc", DEL_USER, LIFE_CUSTOMER, ids, 3);
    CHECK(n >= 2, "%zu memories to delete", n);
    struct error_copy err;
    struct data_delete_request q = {0};
    q.scope = DELETE_USER;
    q.id = DEL_USER;
    q.customer_id = LIFE_CUSTOMER;
    q.dry_run = true;
    struct deletion_copy *d = delete_data(client, &q, &err);
    if (d != NULL) {
        CHECK(d->state == SYNAP_DELETION_DRY_RUN && d->dry_run && d->deletion_id == NULL, "%s", d->status);
        CHECK(d->found && count_of(d, "memories") == (int64_t)n && str_eq(d->scope, "user"), "%lld memories",
              (long long)count_of(d, "memories"));
        CHECK(d->json != NULL && strstr(d->json, "\"dry_run\"") != NULL, "json");
        deletion_copy_delete(d);
    } else {
        CHECK(false, "dry run: %s", err.message);
        error_free(&err);
    }
    struct memory_copy m;
    if (n > 0 && get(client, ids[0], &m, &err)) {
        memory_copy_free(&m);
    } else {
        CHECK(false, "a dry run deleted the memory");
        if (n > 0) error_free(&err);
    }

    q.dry_run = false;
    CHECK(delete_data(client, &q, &err) == NULL, "unconfirmed deletion sent");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && err.http_status == 0, "%s: %s", err.code_name, err.message);
    error_free(&err);
    q.confirm = "u-swift-refused";
    CHECK(delete_data(client, &q, &err) == NULL, "mismatched confirmation sent");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "confirm") != NULL, "%s", err.message);
    error_free(&err);
    struct data_delete_request bad_scope = {0};
    bad_scope.scope = 7;
    bad_scope.id = DEL_USER;
    CHECK(delete_data(client, &bad_scope, &err) == NULL && err.code == SYNAP_INVALID_ARGUMENT, "scope 7");
    error_free(&err);

    q.confirm = DEL_USER;
    d = delete_data(client, &q, &err);
    if (d == NULL) {
        CHECK(false, "delete: %s", err.message);
        error_free(&err);
    } else {
        CHECK(d->state == SYNAP_DELETION_IN_PROGRESS && d->deletion_id != NULL, "%s", d->status);
        CHECK(starts_with(d->audit, "/v1/data/delete/"), "%s", d->audit);
        struct progress p = {0};
        struct wait_options w = {0};
        w.timeout_ms = &(uint32_t){10000};
        w.poll_interval_ms = &(uint32_t){50};
        w.progress = &p;
        struct deletion_copy *done = wait_for_deletion(client, d->deletion_id, &w, &err);
        if (done != NULL) {
            CHECK(done->state == SYNAP_DELETION_COMPLETE && done->fully_removed && !done->dry_run, "%s",
                  done->status);
            CHECK(str_eq(done->deletion_id, d->deletion_id) && count_of(done, "memories") == (int64_t)n, "counts");
            CHECK(done->still_present_in.count == 0 && done->stores_json != NULL, "stores");
            CHECK(p.deletions >= 1 && p.deletions == p.calls && p.inconsistent == 0 && !p.last_has_status, "%d of %d",
                  p.deletions, p.calls);
            CHECK(str_eq(p.last_deletion_status, "complete") && p.last_total == 1, "%s", p.last_deletion_status);
            deletion_copy_delete(done);
        } else {
            CHECK(false, "wait for the deletion: %s", err.message);
            error_free(&err);
        }
        struct deletion_copy *status = deletion_status(client, d->deletion_id, &err);
        if (status != NULL) {
            CHECK(status->state == SYNAP_DELETION_COMPLETE && str_eq(status->deletion_id, d->deletion_id), "%s",
                  status->status);
            deletion_copy_delete(status);
        } else {
            CHECK(false, "deletion status: %s", err.message);
            error_free(&err);
        }
        deletion_copy_delete(d);
    }
    for (size_t i = 0; i < n; i++) {
        expect_error(get(client, ids[i], &m, &err), &err, SYNAP_NOT_FOUND, 404, NULL, "get after data deletion");
        free(ids[i]);
    }
    CHECK(deletion_status(client, "del_swift_unknown", &err) == NULL && err.code == SYNAP_NOT_FOUND, "unknown id");
    error_free(&err);
    /* A progress closure that stops the wait: cancelled. */
    struct progress stop = {0};
    stop.stop_after = 1;
    struct wait_options w = {0};
    w.poll_interval_ms = &(uint32_t){50};
    w.progress = &stop;
    q.id = "u-swift-del-stop";
    q.confirm = "u-swift-del-stop";
    d = delete_data(client, &q, &err);
    if (d != NULL) {
        struct deletion_copy *never = wait_for_deletion(client, d->deletion_id, &w, &err);
        CHECK(never == NULL && err.code == SYNAP_CANCELLED && stop.calls == 1, "%d calls", stop.calls);
        if (never == NULL) error_free(&err);
        deletion_copy_delete(never);
        deletion_copy_delete(d);
    } else {
        CHECK(false, "delete to stop: %s", err.message);
        error_free(&err);
    }

    struct data_delete_request conversation = {0};
    conversation.scope = DELETE_CONVERSATION;
    conversation.id = DEL_CONVERSATION;
    conversation.user_id = DEL_USER;
    conversation.customer_id = LIFE_CUSTOMER;
    conversation.dry_run = true;
    d = delete_data(client, &conversation, &err);
    if (d != NULL) {
        CHECK(d->state == SYNAP_DELETION_DRY_RUN && d->memories_kept && str_eq(d->scope, "conversation"), "%s",
              d->scope);
        CHECK(d->kept.count == 1 && str_eq(d->kept.items[0], "memories") && d->note != NULL, "kept");
        deletion_copy_delete(d);
    } else {
        CHECK(false, "conversation dry run: %s", err.message);
        error_free(&err);
    }
}

/* Balance, estimate, redeem (once), ledger pages. */
static void credit_calls(const SynapClient *client) {
    struct error_copy err;
    struct balance_copy b;
    double before = 0;
    if (credit_balance(client, &b, &err)) {
        before = b.credits;
        CHECK(b.credits > 0 && !b.warning_low && b.client_id != NULL, "%f", b.credits);
        CHECK(b.bucket_count >= 1 && str_eq(b.buckets[0].source_type, "grant") && b.buckets[0].has_credits &&
                  !b.buckets[0].has_expires_at,
              "%zu buckets", b.bucket_count);
        balance_copy_free(&b);
    } else {
        CHECK(false, "balance: %s", err.message);
        error_free(&err);
    }

    double credits = -1;
    struct estimate_request e = {0};
    e.metric_type = "llm_input_tokens";
    e.units = 1000;
    e.item_count = &(uint64_t){4};
    e.endpoint = "/v1/context/user/fetch";
    e.mode = "fast";
    CHECK(estimate_credits(client, &e, &credits, &err) && credits > 0.999 && credits < 1.001, "%f", credits);
    struct estimate_request negative = {0};
    negative.metric_type = "llm_input_tokens";
    negative.units = -1;
    expect_error(estimate_credits(client, &negative, &credits, &err), &err, SYNAP_INVALID_ARGUMENT, 0, NULL,
                 "negative units");
    struct estimate_request unnamed = {0};
    unnamed.metric_type = "";
    unnamed.units = 1;
    expect_error(estimate_credits(client, &unnamed, &credits, &err), &err, SYNAP_INVALID_ARGUMENT, 0, NULL,
                 "empty metric type");

    struct redemption_copy r;
    if (redeem_credits(client, swift_string_of(" SYN-TEST-CODE-0001-A "), &r, &err)) {
        CHECK(r.redemption_id != NULL && r.has_granted && r.granted == 500, "%f", r.granted);
        CHECK(r.has_new_balance && r.new_balance > before && !r.has_expires_at, "%f", r.new_balance);
        free(r.redemption_id);
    } else {
        CHECK(false, "redeem: %s", err.message);
        error_free(&err);
    }
    expect_error(redeem_credits(client, swift_string_of("SYN-TEST-CODE-0001-A"), &r, &err), &err,
                 SYNAP_INSUFFICIENT_CREDITS, 402, NULL, "a code redeemed twice");
    expect_error(redeem_credits(client, swift_string_of("swift-malformed-code"), &r, &err), &err, SYNAP_INVALID_REQUEST,
                 422, NULL, "a malformed code");
    expect_error(redeem_credits(client, SWIFT_STRING("SYN-TEST-CODE-0001-A\0swift-nul"), &r, &err), &err,
                 SYNAP_INVALID_ARGUMENT, 0, "code contains a NUL byte", "code with a NUL");

    struct ledger_copy page;
    struct ledger_query all = {0};
    if (credit_ledger(client, &all, &page, &err)) {
        CHECK(page.count >= 3 && page.has_total && page.total == (int64_t)page.count, "%zu rows", page.count);
        CHECK(page.has_limit && page.limit == 100 && page.has_offset && page.offset == 0, "limit %lld",
              (long long)page.limit);
        CHECK(page.count > 0 && str_eq(page.entries[0].entry_type, "redeem") && page.entries[0].has_delta &&
                  page.entries[0].delta == 500 && page.entries[0].has_created_at && page.entries[0].entry_id != NULL,
              "newest first");
        CHECK(page.count > 0 && str_eq(page.entries[page.count - 1].entry_type, "grant"), "the grant is oldest");
        ledger_copy_free(&page);
    } else {
        CHECK(false, "ledger: %s", err.message);
        error_free(&err);
    }
    struct ledger_query usage = {0};
    usage.entry_type = "usage";
    usage.limit = &(uint32_t){2};
    usage.offset = &(uint64_t){1};
    usage.from_us = &(int64_t){now_us() - 3600000000LL};
    if (credit_ledger(client, &usage, &page, &err)) {
        CHECK(page.count == 2 && page.limit == 2 && page.offset == 1 && page.total > 2, "%zu of %lld", page.count,
              (long long)page.total);
        for (size_t i = 0; i < page.count; i++) {
            CHECK(str_eq(page.entries[i].entry_type, "usage") && page.entries[i].delta < 0, "row %zu", i);
        }
        ledger_copy_free(&page);
    } else {
        CHECK(false, "usage ledger: %s", err.message);
        error_free(&err);
    }
    struct ledger_query future = {0};
    future.to_us = &(int64_t){now_us() + 3600000000LL};
    future.from_us = &(int64_t){now_us() + 1800000000LL};
    if (credit_ledger(client, &future, &page, &err)) {
        CHECK(page.count == 0 && page.total == 0, "%zu rows in the future", page.count);
        ledger_copy_free(&page);
    } else {
        CHECK(false, "future ledger: %s", err.message);
        error_free(&err);
    }
    struct ledger_query too_many = {0};
    too_many.limit = &(uint32_t){501};
    expect_error(credit_ledger(client, &too_many, &page, &err), &err, SYNAP_INVALID_ARGUMENT, 0, NULL,
                 "501 rows");
}

static void lifecycle_calls(const SynapClient *client) {
    char *ids[4] = {NULL, NULL, NULL, NULL};
    size_t n = ingest_memories(client, LIFE_DOC, "swift-life-doc", LIFE_USER, LIFE_CUSTOMER, ids, 3);
    CHECK(n == 3, "%zu memories", n);
    const char *moved = memory_saying(client, ids, n, "Porto");
    const char *seats = memory_saying(client, ids, n, "window seats");
    const char *address = memory_saying(client, ids, n, "12 Elm Street");
    CHECK(moved && seats && address, "the three memories");
    if (moved && seats && address) {
        update_calls(client, moved);
        delete_calls(client, seats);
        forget_calls(client, address);
    }
    for (size_t i = 0; i < n; i++) {
        free(ids[i]);
    }
    upload_calls(client);
    data_delete_calls(client);
    credit_calls(client);
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
    context_calls(client);
    conversation_route_calls(client);
    lifecycle_calls(client);

    synap_client_free(client);
    return finish();
}
