/* memories.create, batch_create, memories.get, whoami and wait_all through
 * the C API against the emulator: the loop from a document to its memories,
 * wait_all's options, progress and counts, every error path, NULL arguments
 * and ownership, lent handles included. Run by tests/c_api.rs
 * under valgrind, with fixtures in the environment. */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdint.h>

#include "check.h"
#include "dev_client.h"
#include "log_capture.h"
#include "synap.h"

static void test_request_builder(void) {
    SynapCreateRequest *r = synap_create_request_new();
    CHECK(r != NULL, "new request");
    CHECK(synap_create_request_set_document_type(r, "support-ticket") == SYNAP_INVALID_ARGUMENT, "unknown type");
    CHECK(starts_with(synap_last_error_message(), "document_type \"support-ticket\" is not one of"), "%s",
          synap_last_error_message());
    CHECK(synap_create_request_set_mode(r, "slow") == SYNAP_INVALID_ARGUMENT, "unknown mode");
    CHECK(synap_create_request_set_document_json(r, "[1,2]") == SYNAP_INVALID_ARGUMENT, "JSON not an object");
    CHECK(synap_create_request_set_document_json(r, "{") == SYNAP_INVALID_ARGUMENT, "bad JSON");
    CHECK(synap_create_request_set_metadata_json(r, "\"x\"") == SYNAP_INVALID_ARGUMENT, "metadata not an object");
    CHECK(synap_create_request_set_document_text(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL text");
    CHECK(synap_create_request_set_document_text(r, "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8");
    CHECK(synap_create_request_set_document_text(NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_create_request_set_document_created_at_us(r, INT64_MAX) == SYNAP_INVALID_ARGUMENT, "year range");
    CHECK(synap_create_request_set_document_type(r, "email") == SYNAP_OK, "email");
    CHECK(synap_create_request_set_mode(r, "fast") == SYNAP_OK, "fast");
    CHECK(synap_create_request_add_scope(r, "team", "payments") == SYNAP_OK, "scope");
    CHECK(synap_create_request_add_scope(r, NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL scope level");
    CHECK(synap_create_request_set_metadata_json(r, "{\"channel\":\"web\"}") == SYNAP_OK, "metadata");
    CHECK(synap_create_request_set_document_created_at_us(r, 1736937000412000) == SYNAP_OK, "created at");
    synap_create_request_free(r);
    synap_create_request_free(NULL);
}

static void test_ingest_wait_and_get(const SynapClient *client) {
    SynapCreateRequest *r = synap_create_request_new();
    SynapIngestion *ingestion = (SynapIngestion *)&ingestion;
    CHECK(synap_memories_create(client, r, &ingestion) == SYNAP_INVALID_ARGUMENT, "no document yet");
    CHECK(ingestion == NULL, "out cleared");
    CHECK(synap_create_request_set_document_text(r, "User: I only drink decaf after 3pm.\nAssistant: Noted.") ==
              SYNAP_OK,
          "text");
    CHECK(synap_create_request_set_document_id(r, "c-chat-1") == SYNAP_OK, "document id");
    CHECK(synap_create_request_set_user_id(r, "u1") == SYNAP_OK, "user");
    CHECK(synap_create_request_set_customer_id(r, "c1") == SYNAP_OK, "customer");
    CHECK(synap_memories_create(NULL, r, &ingestion) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_memories_create(client, r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_memories_create(client, r, &ingestion) == SYNAP_OK, "create: %s", synap_last_error_message());
    CHECK(str_eq(synap_ingestion_document_id(ingestion), "c-chat-1"), "document id echoed");
    CHECK(synap_ingestion_state(ingestion) == SYNAP_INGEST_QUEUED, "queued");
    CHECK(str_eq(synap_ingestion_state_name(ingestion), "queued"), "state name");
    CHECK(synap_ingestion_queued_at_us(ingestion) > 0, "queued at");
    CHECK(synap_ingestion_error_message(ingestion) == NULL, "no error");

    SynapIngestion *again = NULL;
    CHECK(synap_memories_create(client, r, &again) == SYNAP_CONFLICT, "same document id: %s",
          synap_last_error_message());
    CHECK(synap_last_error_http_status() == 409, "409");
    synap_create_request_free(r);

    SynapMemoryStatus *status = NULL;
    SynapWaitOptions *how = synap_wait_options_new();
    CHECK(synap_wait_options_set_timeout_ms(how, 20000) == SYNAP_OK, "timeout");
    CHECK(synap_wait_options_set_poll_interval_ms(how, 50) == SYNAP_OK, "interval");
    CHECK(synap_memories_wait(client, synap_ingestion_id(ingestion), how, &status) == SYNAP_OK, "wait: %s",
          synap_last_error_message());
    synap_wait_options_free(how);
    CHECK(synap_status_state(status) == SYNAP_INGEST_COMPLETED, "completed");
    size_t n = synap_status_memory_id_count(status);
    CHECK(n >= 1, "memories produced");
    for (size_t i = 0; i < n; i++) {
        SynapMemory *m = NULL;
        CHECK(synap_memories_get(client, synap_status_memory_id(status, i), &m) == SYNAP_OK, "get: %s",
              synap_last_error_message());
        CHECK(str_eq(synap_memory_id(m), synap_status_memory_id(status, i)), "id");
        CHECK(synap_memory_type(m) != NULL && synap_memory_content(m) != NULL, "type and content");
        CHECK(strstr(synap_memory_content(m), "decaf") != NULL, "content from the document: %s",
              synap_memory_content(m));
        CHECK(synap_memory_confidence(m) > 0.0 && synap_memory_confidence(m) <= 1.0, "confidence");
        CHECK(str_eq(synap_memory_source_document_id(m), "c-chat-1"), "source document");
        CHECK(synap_memory_created_at_us(m) > 0, "created at");
        int64_t updated = -7;
        CHECK(!synap_memory_updated_at_us(m, &updated) && updated == -7, "never updated");
        synap_memory_free(m);
    }
    synap_status_free(status);
    synap_ingestion_free(ingestion);
    synap_ingestion_free(NULL);

    SynapMemory *m = (SynapMemory *)&m;
    CHECK(synap_memories_get(client, "../status/x", &m) == SYNAP_INVALID_ARGUMENT, "malformed memory id");
    CHECK(m == NULL, "out cleared");
    CHECK(synap_memories_get(client, "00000000-0000-4000-8000-000000000000", &m) == SYNAP_NOT_FOUND, "unknown");
    CHECK(synap_memory_content(NULL) == NULL && synap_memory_confidence(NULL) == 0.0, "NULL accessors");
    synap_memory_free(NULL);
}

static void test_batch(const SynapClient *client) {
    SynapCreateRequest *good = synap_create_request_new();
    SynapCreateRequest *empty = synap_create_request_new();
    synap_create_request_set_document_text(good, "The renewal is due in March for the whole team.");
    synap_create_request_set_document_text(empty, "   ");
    const SynapCreateRequest *items[2] = {good, empty};
    SynapBatch *batch = NULL;
    CHECK(synap_memories_batch_create(client, items, 2, false, &batch) == SYNAP_OK, "batch: %s",
          synap_last_error_message());
    uint64_t total = 0, ok = 0, failed = 0;
    CHECK(synap_batch_counts(batch, &total, &ok, &failed) && total == 2 && ok == 1 && failed == 1, "counts");
    CHECK(synap_batch_id(batch) != NULL, "batch id");
    CHECK(synap_batch_result_count(batch) == 2, "two results");
    CHECK(synap_ingestion_state(synap_batch_result(batch, 0)) == SYNAP_INGEST_QUEUED, "first queued");
    CHECK(synap_ingestion_state(synap_batch_result(batch, 1)) == SYNAP_INGEST_FAILED, "second refused");
    CHECK(synap_ingestion_error_message(synap_batch_result(batch, 1)) != NULL, "why");
    CHECK(synap_batch_result(batch, 2) == NULL, "past the end");
    synap_batch_free(batch);
    batch = NULL;
    CHECK(synap_memories_batch_create(client, items, 2, true, &batch) == SYNAP_INVALID_REQUEST, "fail fast");
    CHECK(synap_memories_batch_create(client, items, 0, false, &batch) == SYNAP_INVALID_ARGUMENT, "empty");
    const SynapCreateRequest *holes[1] = {NULL};
    CHECK(synap_memories_batch_create(client, holes, 1, false, &batch) == SYNAP_INVALID_ARGUMENT, "NULL item");
    CHECK(starts_with(synap_last_error_message(), "requests[0] is NULL"), "%s", synap_last_error_message());
    synap_create_request_free(good);
    synap_create_request_free(empty);
    synap_batch_free(NULL);
}

static void test_whoami(const char *base_url) {
    SynapClient *client = make_client(base_url);
    SynapIdentity *id = NULL;
    CHECK(synap_client_whoami(client, &id) == SYNAP_OK, "whoami: %s", synap_last_error_message());
    CHECK(str_eq(synap_identity_client_id(id), "cli_9b2f4d6a8c0e1357"), "client id");
    CHECK(str_eq(synap_identity_instance_id(id), "inst_4e7a19c03b5d82f1"), "instance id");
    CHECK(synap_identity_user_context_isolation(id) == NULL, "B2B");
    synap_identity_free(id);
    SynapMemoryStatus *s = NULL;
    synap_memories_status(client, "00000000-0000-4000-8000-000000000000", &s);
    CHECK(starts_with(synap_last_error_correlation_id(), "syn_inst_4_"), "instance prefix: %s",
          synap_last_error_correlation_id());
    CHECK(synap_client_whoami(NULL, &id) == SYNAP_INVALID_ARGUMENT, "NULL client");
    synap_identity_free(NULL);
    synap_client_free(client);
}

/* Jobs per state, PENDING to ERROR, summed. */
static size_t progress_sum(const SynapWaitProgress *progress) {
    size_t sum = 0;
    for (int state = SYNAP_WAIT_PENDING; state <= SYNAP_WAIT_ERROR; state++) {
        sum += synap_wait_progress_count(progress, state);
    }
    return sum;
}

static size_t results_sum(const SynapWaitAllResults *results) {
    size_t sum = 0;
    for (int state = SYNAP_WAIT_PENDING; state <= SYNAP_WAIT_ERROR; state++) {
        sum += synap_wait_all_count_in(results, state);
    }
    return sum;
}

struct seen {
    int calls;
    int broken; /* reports that did not add up */
    int stop_at; /* 0: never stop */
    size_t total;
    size_t first_done;
    size_t last_done;
};

/* Every report of a wait_all: its jobs counted once each, and no status. */
static bool on_counts(const SynapWaitProgress *progress, void *user_data) {
    struct seen *s = user_data;
    size_t done = synap_wait_progress_count(progress, SYNAP_WAIT_COMPLETED) +
                  synap_wait_progress_count(progress, SYNAP_WAIT_FAILED) +
                  synap_wait_progress_count(progress, SYNAP_WAIT_PARTIAL_SUCCESS);
    if (s->calls == 0) {
        s->first_done = done;
    }
    s->calls++;
    s->last_done = done + synap_wait_progress_count(progress, SYNAP_WAIT_ERROR);
    if (synap_wait_progress_total(progress) != s->total || progress_sum(progress) != s->total ||
        synap_wait_progress_status(progress) != NULL || synap_wait_progress_count(progress, -1) != 0 ||
        synap_wait_progress_count(progress, SYNAP_WAIT_ERROR + 1) != 0) {
        s->broken++;
    }
    return s->stop_at == 0 || s->calls < s->stop_at;
}

static void test_wait_all(const SynapClient *client) {
    const char *ids[4] = {fixture("DONE"), fixture("FAILED"), "not-a-uuid", fixture("NEVER")};
    SynapWaitAllResults *results = NULL;
    struct seen seen = {0, 0, 0, 4, 0, 0};
    SynapWaitOptions *how = synap_wait_options_new();
    CHECK(synap_wait_options_set_timeout_ms(how, 1500) == SYNAP_OK, "timeout");
    CHECK(synap_wait_options_set_poll_interval_ms(how, 50) == SYNAP_OK, "interval");
    CHECK(synap_wait_options_set_max_in_flight(how, 2) == SYNAP_OK, "in flight");
    CHECK(synap_wait_options_set_progress(how, on_counts, &seen) == SYNAP_OK, "progress");
    CHECK(synap_memories_wait_all(client, ids, 4, how, &results) == SYNAP_OK, "wait_all: %s",
          synap_last_error_message());
    CHECK(synap_wait_all_count(results) == 4, "one result per id");
    CHECK(synap_wait_all_code(results, 0) == SYNAP_OK, "done");
    CHECK(synap_status_state(synap_wait_all_status(results, 0)) == SYNAP_INGEST_COMPLETED, "completed status");
    CHECK(synap_wait_all_code(results, 1) == SYNAP_OK, "a failed job is a status");
    CHECK(synap_status_state(synap_wait_all_status(results, 1)) == SYNAP_INGEST_FAILED, "failed status");
    CHECK(synap_wait_all_code(results, 2) == SYNAP_INVALID_ARGUMENT, "malformed id");
    CHECK(synap_wait_all_code(results, 3) == SYNAP_TIMEOUT, "still running at the deadline");
    CHECK(strstr(synap_wait_all_error_message(results, 3), "did not complete within 1500 ms") != NULL, "%s",
          synap_wait_all_error_message(results, 3));
    CHECK(synap_wait_all_status(results, 3) == NULL && synap_wait_all_error_message(results, 0) == NULL, "either");
    CHECK(synap_wait_all_code(results, 9) == SYNAP_INVALID_ARGUMENT, "out of range");

    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_COMPLETED) == 1, "1 completed");
    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_FAILED) == 1, "1 failed");
    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_PARTIAL_SUCCESS) == 0, "none partial");
    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_ERROR) == 2, "2 errors, got %zu",
          synap_wait_all_count_in(results, SYNAP_WAIT_ERROR));
    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_PENDING) == 0 &&
              synap_wait_all_count_in(results, SYNAP_WAIT_QUEUED) == 0 &&
              synap_wait_all_count_in(results, SYNAP_WAIT_PROCESSING) == 0,
          "nothing unfinished at the end");
    CHECK(results_sum(results) == 4, "the counts add up to 4, got %zu", results_sum(results));
    CHECK(synap_wait_all_count_in(results, -1) == 0 && synap_wait_all_count_in(results, SYNAP_WAIT_ERROR + 1) == 0,
          "out-of-range states count 0");
    CHECK(synap_wait_all_count_in(results, INT_MIN) == 0 && synap_wait_all_count_in(results, INT_MAX) == 0,
          "far out-of-range states count 0");
    CHECK(synap_wait_all_count_in(NULL, SYNAP_WAIT_COMPLETED) == 0, "NULL results");

    CHECK(seen.calls >= 2 && seen.last_done >= 3, "progress: %d calls, %zu done", seen.calls, seen.last_done);
    CHECK(seen.first_done == 0, "the first report comes before any poll");
    CHECK(seen.broken == 0, "%d of %d progress reports did not add up", seen.broken, seen.calls);
    synap_wait_all_free(results);
    results = NULL;

    /* A refused value leaves the options as they were. */
    CHECK(synap_wait_options_set_max_in_flight(how, 0) == SYNAP_INVALID_ARGUMENT, "zero in flight");
    CHECK(synap_wait_options_set_max_in_flight(how, 65) == SYNAP_INVALID_ARGUMENT, "65 in flight");
    CHECK(synap_wait_options_set_progress(how, NULL, NULL) == SYNAP_OK, "no progress");
    const char *finished[2] = {fixture("DONE"), fixture("FAILED")};
    CHECK(synap_memories_wait_all(client, finished, 2, how, &results) == SYNAP_OK, "still usable: %s",
          synap_last_error_message());
    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_COMPLETED) == 1 &&
              synap_wait_all_count_in(results, SYNAP_WAIT_FAILED) == 1,
          "both finished");
    synap_wait_all_free(results);
    results = NULL;

    /* NULL options: every default. */
    CHECK(synap_memories_wait_all(client, finished, 2, NULL, &results) == SYNAP_OK, "NULL options: %s",
          synap_last_error_message());
    CHECK(synap_wait_all_code(results, 0) == SYNAP_OK && synap_wait_all_code(results, 1) == SYNAP_OK, "statuses");
    CHECK(results_sum(results) == 2 && synap_wait_all_count_in(results, SYNAP_WAIT_COMPLETED) == 1, "counts");
    synap_wait_all_free(results);
    results = NULL;

    /* A progress callback returning false stops the jobs not finished. */
    const char *never[2] = {fixture("NEVER"), fixture("NEVER")};
    struct seen stopper = {0, 0, 1, 2, 0, 0};
    CHECK(synap_wait_options_set_timeout_ms(how, 60000) == SYNAP_OK, "timeout");
    CHECK(synap_wait_options_set_progress(how, on_counts, &stopper) == SYNAP_OK, "progress");
    CHECK(synap_memories_wait_all(client, never, 2, how, &results) == SYNAP_OK, "stopped: %s",
          synap_last_error_message());
    CHECK(stopper.calls == 1, "stopped at the first report, got %d", stopper.calls);
    CHECK(synap_wait_all_code(results, 0) == SYNAP_CANCELLED && synap_wait_all_code(results, 1) == SYNAP_CANCELLED,
          "cancelled");
    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_ERROR) == 2, "cancelled jobs count as errors");
    synap_wait_all_free(results);
    results = NULL;

    /* The cancel handle set on the options. */
    SynapCancel *cancel = synap_cancel_new();
    synap_cancel_trigger(cancel);
    CHECK(synap_wait_options_set_progress(how, NULL, NULL) == SYNAP_OK, "no progress");
    CHECK(synap_wait_options_set_cancel(how, cancel) == SYNAP_OK, "cancel handle");
    CHECK(synap_memories_wait_all(client, never, 2, how, &results) == SYNAP_OK, "cancelled: %s",
          synap_last_error_message());
    CHECK(synap_wait_all_code(results, 0) == SYNAP_CANCELLED && synap_wait_all_code(results, 1) == SYNAP_CANCELLED,
          "cancelled");
    CHECK(synap_wait_all_count_in(results, SYNAP_WAIT_ERROR) == 2, "cancelled jobs count as errors");
    synap_wait_all_free(results);
    results = NULL;
    CHECK(synap_wait_options_set_cancel(how, NULL) == SYNAP_OK, "no cancel handle");
    CHECK(synap_memories_wait_all(client, finished, 2, how, &results) == SYNAP_OK, "not cancelled: %s",
          synap_last_error_message());
    CHECK(synap_wait_all_code(results, 0) == SYNAP_OK, "not cancelled");
    synap_wait_all_free(results);
    results = NULL;
    synap_cancel_free(cancel);

    const char *holes[1] = {NULL};
    CHECK(synap_memories_wait_all(client, holes, 1, how, &results) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(results == NULL, "out cleared");
    CHECK(synap_memories_wait_all(NULL, finished, 2, how, &results) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_memories_wait_all(client, finished, 2, how, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    synap_wait_options_free(how);
    synap_wait_all_free(NULL);
}

struct lent_seen {
    int calls;
    int intact;
};

/* Frees the status lent to it, which must be refused: it still reads. */
static bool free_lent_status(const SynapWaitProgress *progress, void *user_data) {
    struct lent_seen *seen = user_data;
    const SynapMemoryStatus *status = synap_wait_progress_status(progress);
    SynapIngestState state = synap_status_state(status);
    seen->calls++;
    synap_status_free((SynapMemoryStatus *)status);
    if (synap_status_state(status) == state && synap_status_ingestion_id(status) != NULL) {
        seen->intact++;
    }
    return true;
}

/* Handles lent by another handle are const; a cast that frees one anyway
 * is refused, logged, and leaves the owner to free it once. */
static void test_lent_handles(const SynapClient *client) {
    struct log_capture capture = {PTHREAD_MUTEX_INITIALIZER, 0};
    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, on_log, &capture) == SYNAP_OK, "log");

    const char *finished[2] = {fixture("DONE"), fixture("FAILED")};
    SynapWaitAllResults *results = NULL;
    CHECK(synap_memories_wait_all(client, finished, 2, NULL, &results) == SYNAP_OK, "wait_all: %s",
          synap_last_error_message());
    const SynapMemoryStatus *lent = synap_wait_all_status(results, 0);
    CHECK(lent != NULL, "lent status");
    int before = capture.errors;
    synap_status_free((SynapMemoryStatus *)lent);
    CHECK(capture.errors > before, "the refused free is logged");
    CHECK(synap_wait_all_status(results, 0) == lent, "still lent");
    CHECK(synap_status_state(lent) == SYNAP_INGEST_COMPLETED, "still reads");
    CHECK(str_eq(synap_status_ingestion_id(lent), fixture("DONE")), "id intact");
    synap_wait_all_free(results);

    SynapCreateRequest *request = synap_create_request_new();
    synap_create_request_set_document_text(request, "Lent handles are read, never freed.");
    const SynapCreateRequest *items[1] = {request};
    SynapBatch *batch = NULL;
    CHECK(synap_memories_batch_create(client, items, 1, false, &batch) == SYNAP_OK, "batch: %s",
          synap_last_error_message());
    const SynapIngestion *item = synap_batch_result(batch, 0);
    CHECK(item != NULL, "lent ingestion");
    char id[64] = "";
    snprintf(id, sizeof id, "%s", synap_ingestion_id(item) ? synap_ingestion_id(item) : "");
    before = capture.errors;
    synap_ingestion_free((SynapIngestion *)item);
    CHECK(capture.errors > before, "the refused free is logged");
    CHECK(synap_batch_result(batch, 0) == item, "still lent");
    CHECK(str_eq(synap_ingestion_id(item), id) && id[0] != '\0', "still reads");
    CHECK(synap_ingestion_state(item) == SYNAP_INGEST_QUEUED, "state intact");
    synap_batch_free(batch);
    synap_create_request_free(request);

    struct lent_seen seen = {0, 0};
    SynapWaitOptions *how = synap_wait_options_new();
    CHECK(synap_wait_options_set_progress(how, free_lent_status, &seen) == SYNAP_OK, "progress");
    SynapMemoryStatus *status = NULL;
    CHECK(synap_memories_wait(client, fixture("DONE"), how, &status) == SYNAP_OK, "wait: %s",
          synap_last_error_message());
    CHECK(seen.calls >= 1 && seen.intact == seen.calls, "the status lent to progress survives a free: %d of %d",
          seen.intact, seen.calls);
    CHECK(synap_status_state(status) == SYNAP_INGEST_COMPLETED, "the wait's own status");
    synap_status_free(status);
    synap_wait_options_free(how);

    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, NULL, NULL) == SYNAP_OK, "log off");
}

int main(void) {
    const char *base_url = fixture("BASE_URL");
    SynapClient *client = make_client(base_url);
    test_request_builder();
    test_ingest_wait_and_get(client);
    test_batch(client);
    test_whoami(base_url);
    test_wait_all(client);
    test_lent_handles(client);
    synap_client_free(client);
    return finish();
}
