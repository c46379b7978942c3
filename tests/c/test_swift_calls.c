/* The C calls the Swift wrapper (bindings/swift/Sources/Synap/Synap.swift)
 * makes, in the same order and pattern, since no Swift toolchain runs here:
 * options built and freed around synap_client_new, every failure's details
 * read right after it, each status copied field by field and freed, the
 * progress callback reaching its closure through user_data, a Cancel
 * triggered from another thread, create requests built setter by setter
 * and freed after the call (or at the first refusal), wait-all ids copied
 * for the call and each job's result turned into a success or an error.
 * Run by tests/swift_calls.rs under valgrind, with the jobs in
 * SYNAP_FIX_<name>. */
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

/* The Progress box a wait-all's user_data points to, and its closure,
 * which gets WaitCounts copied out of the borrowed C counts. */
struct counts_progress {
    int calls;
    int stop_after; /* 0: never stops */
    SynapWaitCounts last;
};

static bool counts_to_closure(const SynapWaitCounts *counts, void *user_data) {
    struct counts_progress *p = user_data;
    p->last = *counts;
    p->calls++;
    return p->stop_after == 0 || p->calls < p->stop_after;
}

/* One element of waitAll's [Result<MemoryStatus, SynapError>]. */
struct wait_result {
    bool ok;
    struct status_copy status;
    struct error_copy error;
};

static void wait_results_free(struct wait_result *results, size_t count) {
    for (size_t i = 0; i < count; i++) {
        if (results[i].ok) {
            status_copy_free(&results[i].status);
        } else {
            error_free(&results[i].error);
        }
    }
    free(results);
}

/* Client.waitAll(_:timeout:pollInterval:maxInFlight:cancel:progress:): the
 * ids copied (strdup) for the call, the results freed before the copies. */
static bool wait_all(const SynapClient *client, const char *const *ids, size_t n, uint32_t timeout_ms,
                     uint32_t interval_ms, uint32_t max_in_flight, const SynapCancel *cancel,
                     struct counts_progress *p, struct wait_result **results, size_t *count,
                     struct error_copy *err) {
    char **copies = calloc(n + 1, sizeof *copies);
    for (size_t i = 0; i < n; i++) {
        copies[i] = copy(ids[i]);
    }
    const char *const *c_ids = (const char *const *)copies;
    SynapWaitAllResults *out = NULL;
    SynapCode code = p ? synap_memories_wait_all(client, c_ids, n, timeout_ms, interval_ms, max_in_flight,
                                                 counts_to_closure, p, cancel, &out)
                       : synap_memories_wait_all(client, c_ids, n, timeout_ms, interval_ms, max_in_flight, NULL,
                                                 NULL, cancel, &out);
    bool ok = code == SYNAP_OK;
    if (ok) {
        *count = synap_wait_all_count(out);
        *results = calloc(*count + 1, sizeof **results);
        for (size_t i = 0; i < *count; i++) {
            const SynapMemoryStatus *status = synap_wait_all_status(out, i);
            (*results)[i].ok = status != NULL;
            if (status != NULL) {
                (*results)[i].status = status_copy(status);
            } else {
                (*results)[i].error =
                    job_error(synap_wait_all_code(out, i), synap_wait_all_error_message(out, i));
            }
        }
        synap_wait_all_free(out);
    } else {
        *err = last_error(code);
    }
    for (size_t i = 0; i < n; i++) {
        free(copies[i]);
    }
    free(copies);
    return ok;
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
    struct counts_progress p = {0, 0, {0, 0, 0, 0, 0, 0, 0}};
    struct wait_result *r = NULL;
    size_t n = 0;
    struct error_copy err;
    if (wait_all(client, ids, 5, 2000, 50, 2, NULL, &p, &r, &n, &err)) {
        CHECK(n == 5, "one result per id: %zu", n);
        CHECK(r[0].ok && str_eq(r[0].status.state, "completed") && r[0].status.id_count == 2, "chat: %s",
              r[0].ok ? r[0].status.state : r[0].error.message);
        if (r[0].ok && r[0].status.id_count == 2) {
            chat_memory_ids[0] = copy(r[0].status.memory_ids[0]);
            chat_memory_ids[1] = copy(r[0].status.memory_ids[1]);
        }
        CHECK(r[1].ok && str_eq(r[1].status.state, "failed") && r[1].status.terminal &&
                  strstr(r[1].status.error_message, "FAIL_INGEST") != NULL,
              "a failed job is a status");
        CHECK(r[2].ok && str_eq(r[2].status.state, "failed") && r[2].status.error_message != NULL,
              "a refused batch item's job is failed");
        CHECK(!r[3].ok && r[3].error.code == SYNAP_INVALID_ARGUMENT &&
                  str_eq(r[3].error.code_name, "SYNAP_INVALID_ARGUMENT") && strstr(r[3].error.message, "not-a-uuid"),
              "malformed id");
        CHECK(!r[4].ok && r[4].error.code == SYNAP_TIMEOUT && r[4].error.http_status == 0 &&
                  r[4].error.correlation_id == NULL && strstr(r[4].error.message, "2000 ms") != NULL,
              "still running at the deadline: %s", r[4].ok ? "ok" : r[4].error.message);
        CHECK(p.calls >= 2 && p.last.completed == 1 && p.last.failed == 2 && p.last.errors >= 1, "%d calls", p.calls);
        CHECK(p.last.completed + p.last.failed + p.last.partial_success + p.last.errors >= 4, "finished");
        wait_results_free(r, n);
    } else {
        CHECK(false, "wait_all: %s", err.message);
        error_free(&err);
    }

    /* The progress closure returning false ends unfinished jobs as cancelled. */
    const char *never[2] = {fixture("NEVER"), chat->ingestion_id};
    struct counts_progress stop = {0, 1, {0, 0, 0, 0, 0, 0, 0}};
    if (wait_all(client, never, 1, 30000, 20, 1, NULL, &stop, &r, &n, &err)) {
        CHECK(n == 1 && !r[0].ok && r[0].error.code == SYNAP_CANCELLED && stop.calls == 1, "%d calls", stop.calls);
        wait_results_free(r, n);
    } else {
        CHECK(false, "wait_all: %s", err.message);
        error_free(&err);
    }
    /* A Cancel triggered from another thread; no progress closure. */
    SynapCancel *cancel = synap_cancel_new();
    pthread_t thread;
    pthread_create(&thread, NULL, trigger_after_a_second, cancel);
    bool ran = wait_all(client, never, 2, 30000, 20, 2, cancel, NULL, &r, &n, &err);
    pthread_join(thread, NULL);
    if (ran) {
        CHECK(n == 2 && !r[0].ok && r[0].error.code == SYNAP_CANCELLED, "cancelled");
        CHECK(r[1].ok && str_eq(r[1].status.state, "completed"), "a finished job keeps its status");
        wait_results_free(r, n);
    } else {
        CHECK(false, "wait_all: %s", err.message);
        error_free(&err);
    }
    synap_cancel_free(cancel);
    /* Bad arguments throw. */
    CHECK(!wait_all(client, never, 1, 1000, 20, 0, NULL, NULL, &r, &n, &err), "max in flight 0");
    CHECK(err.code == SYNAP_INVALID_ARGUMENT && strstr(err.message, "max_in_flight") != NULL, "%s", err.message);
    error_free(&err);
    if (wait_all(client, never, 0, 1000, 20, 1, NULL, NULL, &r, &n, &err)) {
        CHECK(n == 0, "no ids, no results: %zu", n);
        wait_results_free(r, n);
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

    ingest_calls(client);

    synap_client_free(client);
    return finish();
}
