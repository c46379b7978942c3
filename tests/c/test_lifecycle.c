/* The memory lifecycle, data deletion and credits through the C API against
 * the emulator: update, delete, forget (preview, direct, partial), upload
 * (files of 0 and 1 byte, a name that is not UTF-8, a buffer, text, a
 * missing file, a directory), data deletion (dry run, confirmation, the
 * wait with the record lent to its progress callback, partial), and the
 * four credits calls; NULL for every argument of every function, bad
 * UTF-8 for every string. Run by tests/c_api.rs under valgrind and by
 * tests/c_sanitizers.rs, with fixtures in the environment:
 *
 *   BASE_URL     an emulator whose data deletions take two continue rounds
 *                and then 400 ms
 *   PARTIAL_URL  one whose forget and data deletions end partial
 *   DIR          an empty scratch directory for the uploaded files */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <sys/stat.h>

#include "check.h"
#include "dev_client.h"
#include "log_capture.h"
#include "synap.h"

static const char *BAD_UTF8 = "caf\xe9";
static const char *UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
#define CUSTOMER "life-customer"
#define MAX_IDS 8

typedef char MemoryId[64];

/* A string setter of `r` refuses a NULL request (given `valid`, a value it
 * takes), a NULL value and bad UTF-8; `what` names the value. A macro, so
 * that a failed check names the line that uses it. */
#define CHECK_TEXT_SETTER(set, r, valid, what)                                                   \
    do {                                                                                         \
        CHECK(set(NULL, valid) == SYNAP_INVALID_ARGUMENT, "NULL request, setting the %s", what); \
        CHECK(set(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL %s", what);                          \
        CHECK(set(r, BAD_UTF8) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 %s", what);                 \
    } while (0)

/* As CHECK_TEXT_SETTER, and an empty value refused too. */
#define CHECK_NONEMPTY_SETTER(set, r, valid, what)                     \
    do {                                                               \
        CHECK_TEXT_SETTER(set, r, valid, what);                        \
        CHECK(set(r, "") == SYNAP_INVALID_ARGUMENT, "empty %s", what); \
    } while (0)

/* Waits for ingestion `id`; copies the ids of the memories it made into
 * `ids` and returns how many. */
static size_t wait_memories(const SynapClient *client, const char *id, MemoryId *ids) {
    SynapWaitOptions *how = synap_wait_options_new();
    SynapMemoryStatus *status = NULL;
    synap_wait_options_set_timeout_ms(how, 20000);
    synap_wait_options_set_poll_interval_ms(how, 50);
    CHECK(synap_memories_wait(client, id, how, &status) == SYNAP_OK, "wait: %s", synap_last_error_message());
    synap_wait_options_free(how);
    CHECK(synap_status_state(status) == SYNAP_INGEST_COMPLETED, "completed");
    size_t n = synap_status_memory_id_count(status);
    n = n > MAX_IDS ? MAX_IDS : n;
    for (size_t i = 0; i < n; i++) {
        snprintf(ids[i], sizeof ids[i], "%s", synap_status_memory_id(status, i));
    }
    synap_status_free(status);
    return n;
}

/* Ingests `text` for `user` of CUSTOMER and returns its memories' ids. */
static size_t ingest(const SynapClient *client, const char *user, const char *text, MemoryId *ids) {
    SynapCreateRequest *r = synap_create_request_new();
    SynapIngestion *ingestion = NULL;
    synap_create_request_set_document_text(r, text);
    synap_create_request_set_user_id(r, user);
    synap_create_request_set_customer_id(r, CUSTOMER);
    CHECK(synap_memories_create(client, r, &ingestion) == SYNAP_OK, "create: %s", synap_last_error_message());
    synap_create_request_free(r);
    size_t n = ingestion ? wait_memories(client, synap_ingestion_id(ingestion), ids) : 0;
    synap_ingestion_free(ingestion);
    return n;
}

/* The content of memory `id` as the service holds it now, copied. */
static void content_of(const SynapClient *client, const char *id, char *out, size_t size) {
    SynapMemory *m = NULL;
    out[0] = '\0';
    if (synap_memories_get(client, id, &m) == SYNAP_OK) {
        snprintf(out, size, "%s", synap_memory_content(m));
    }
    synap_memory_free(m);
}

static void test_update_request(void) {
    SynapUpdateRequest *r = synap_update_request_new();
    CHECK(r != NULL, "new request");
    CHECK_TEXT_SETTER(synap_update_request_set_document_text, r, "x", "text");
    CHECK(synap_update_request_set_document_json(NULL, "{}") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_update_request_set_document_json(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL JSON");
    CHECK(synap_update_request_set_document_json(r, "[1]") == SYNAP_INVALID_ARGUMENT, "not an object");
    CHECK(synap_update_request_set_document_json(r, "{") == SYNAP_INVALID_ARGUMENT, "bad JSON");
    CHECK(synap_update_request_set_document_json(r, "{\"a\":\"caf\xe9\"}") == SYNAP_INVALID_ARGUMENT, "bad UTF-8");
    CHECK_TEXT_SETTER(synap_update_request_set_merge_strategy, r, "replace", "strategy");
    CHECK(synap_update_request_set_merge_strategy(r, "merge") == SYNAP_INVALID_ARGUMENT, "unknown strategy");
    CHECK(starts_with(synap_last_error_message(), "merge_strategy"), "%s", synap_last_error_message());
    CHECK_TEXT_SETTER(synap_update_request_set_document_type, r, "email", "type");
    CHECK(synap_update_request_set_document_type(r, "support-ticket") == SYNAP_INVALID_ARGUMENT, "unknown type");
    CHECK_TEXT_SETTER(synap_update_request_set_metadata_json, r, "{}", "metadata");
    CHECK(synap_update_request_set_metadata_json(r, "\"x\"") == SYNAP_INVALID_ARGUMENT, "not an object");
    CHECK(synap_update_request_set_merge_strategy(r, "append") == SYNAP_OK, "append");
    CHECK(synap_update_request_set_document_type(r, "email") == SYNAP_OK, "email");
    CHECK(synap_update_request_set_metadata_json(r, "{}") == SYNAP_OK, "empty metadata");
    CHECK(synap_update_request_set_document_json(r, "{\"note\":\"x\"}") == SYNAP_OK, "JSON document");
    CHECK(synap_update_request_set_document_text(r, "plain text again") == SYNAP_OK, "text replaces it");
    synap_update_request_free(r);
    synap_update_request_free(NULL);
}

static void test_update(const SynapClient *client) {
    MemoryId ids[MAX_IDS];
    size_t n = ingest(client, "life-update", "User: My favourite colour is green and always has been.", ids);
    CHECK(n == 1, "one memory: %zu", n);
    if (n < 1) {
        return;
    }
    SynapUpdateRequest *r = synap_update_request_new();
    SynapMemory *m = (SynapMemory *)&m;
    CHECK(synap_memories_update(client, ids[0], r, &m) == SYNAP_INVALID_ARGUMENT, "no document yet");
    CHECK(m == NULL, "out cleared");
    synap_update_request_set_document_text(r, "My favourite colour is blue now.");
    synap_update_request_set_merge_strategy(r, "replace");
    CHECK(synap_memories_update(NULL, ids[0], r, &m) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_memories_update(client, NULL, r, &m) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_memories_update(client, ids[0], NULL, &m) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_memories_update(client, ids[0], r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_memories_update(client, "../status/x", r, &m) == SYNAP_INVALID_ARGUMENT, "malformed id");
    CHECK(synap_memories_update(client, BAD_UTF8, r, &m) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 id");
    CHECK(synap_memories_update(client, UNKNOWN_ID, r, &m) == SYNAP_NOT_FOUND, "unknown id");
    CHECK(synap_last_error_http_status() == 404, "404");

    CHECK(synap_memories_update(client, ids[0], r, &m) == SYNAP_OK, "replace: %s", synap_last_error_message());
    CHECK(str_eq(synap_memory_id(m), ids[0]), "same memory");
    CHECK(str_eq(synap_memory_content(m), "My favourite colour is blue now."), "%s", synap_memory_content(m));
    int64_t created = synap_memory_created_at_us(m), updated = 0;
    CHECK(synap_memory_updated_at_us(m, &updated) && updated >= created, "updated at");
    synap_memory_free(m);

    synap_update_request_set_document_text(r, "It was green before.");
    synap_update_request_set_merge_strategy(r, "append");
    m = NULL;
    CHECK(synap_memories_update(client, ids[0], r, &m) == SYNAP_OK, "append: %s", synap_last_error_message());
    const char *content = synap_memory_content(m);
    CHECK(content != NULL && strstr(content, "blue now.") && strstr(content, "It was green before."), "%s", content);
    synap_memory_free(m);
    char held[512];
    content_of(client, ids[0], held, sizeof held);
    CHECK(strstr(held, "It was green before.") != NULL, "the service holds it: %s", held);
    synap_update_request_free(r);
}

static void test_delete(const SynapClient *client) {
    MemoryId ids[MAX_IDS];
    size_t n = ingest(client, "life-delete",
                      "User: The spare key is under the blue flower pot. My locker code is 4821 at the gym.", ids);
    CHECK(n == 2, "two memories: %zu", n);
    if (n < 2) {
        return;
    }
    SynapDeletedMemory *deleted = (SynapDeletedMemory *)&deleted;
    CHECK(synap_memories_delete(NULL, ids[0], &deleted) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(deleted == NULL, "out cleared");
    CHECK(synap_memories_delete(client, NULL, &deleted) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_memories_delete(client, ids[0], NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_memories_delete(client, "not-a-uuid", &deleted) == SYNAP_INVALID_ARGUMENT, "malformed id");
    CHECK(synap_memories_delete(client, BAD_UTF8, &deleted) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 id");
    CHECK(synap_memories_delete(client, UNKNOWN_ID, &deleted) == SYNAP_NOT_FOUND, "unknown id");

    CHECK(synap_memories_delete(client, ids[0], &deleted) == SYNAP_OK, "delete: %s", synap_last_error_message());
    CHECK(str_eq(synap_deleted_memory_id(deleted), ids[0]), "the deleted id: %s", synap_deleted_memory_id(deleted));
    int64_t at = 0;
    CHECK(synap_deleted_memory_deleted_at_us(deleted, &at) && at > 1700000000000000LL, "deleted at");
    CHECK(!synap_deleted_memory_deleted_at_us(deleted, NULL), "NULL out");
    synap_deleted_memory_free(deleted);
    deleted = NULL;
    CHECK(synap_memories_delete(client, ids[0], &deleted) == SYNAP_NOT_FOUND, "deleted once only");
    SynapMemory *m = NULL;
    CHECK(synap_memories_get(client, ids[0], &m) == SYNAP_NOT_FOUND, "gone for get");

    /* Any case, without hyphens: sent canonical. */
    char loud[64];
    size_t k = 0;
    for (const char *c = ids[1]; *c && k + 1 < sizeof loud; c++) {
        if (*c != '-') {
            loud[k++] = (char)(*c >= 'a' && *c <= 'f' ? *c - 'a' + 'A' : *c);
        }
    }
    loud[k] = '\0';
    CHECK(synap_memories_delete(client, loud, &deleted) == SYNAP_OK, "%s: %s", loud, synap_last_error_message());
    CHECK(str_eq(synap_deleted_memory_id(deleted), ids[1]), "canonical id");
    synap_deleted_memory_free(deleted);
    synap_deleted_memory_free(NULL);
}

static void test_forget_request(void) {
    SynapForgetRequest *r = synap_forget_request_new();
    char long_text[502];
    memset(long_text, 'x', 501);
    long_text[501] = '\0';
    CHECK(r != NULL, "new request");
    CHECK(synap_forget_request_set_description(NULL, "abc") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_forget_request_set_description(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL description");
    CHECK(synap_forget_request_set_description(r, "ab") == SYNAP_INVALID_ARGUMENT, "too short");
    CHECK(synap_forget_request_set_description(r, long_text) == SYNAP_INVALID_ARGUMENT, "too long");
    CHECK(synap_forget_request_set_description(r, "caf\xe9 au lait") == SYNAP_INVALID_ARGUMENT, "bad UTF-8");
    CHECK(synap_forget_request_set_description(r, "\xc3\xa9\xc3\xa9\xc3\xa9") == SYNAP_OK, "3 code points");
    long_text[500] = '\0';
    CHECK(synap_forget_request_set_description(r, long_text) == SYNAP_OK, "500 characters");
    CHECK_NONEMPTY_SETTER(synap_forget_request_set_user_id, r, "u", "user");
    CHECK_NONEMPTY_SETTER(synap_forget_request_set_customer_id, r, "c", "customer");
    CHECK(synap_forget_request_add_scope_level(NULL, "team", "x") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_forget_request_add_scope_level(r, NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL level");
    CHECK(synap_forget_request_add_scope_level(r, "team", NULL) == SYNAP_INVALID_ARGUMENT, "NULL value");
    CHECK(synap_forget_request_add_scope_level(r, "", "x") == SYNAP_INVALID_ARGUMENT, "empty level");
    CHECK(synap_forget_request_add_scope_level(r, BAD_UTF8, "x") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 level");
    CHECK(synap_forget_request_add_scope_level(r, "team", "payments") == SYNAP_OK, "scope level");
    CHECK_TEXT_SETTER(synap_forget_request_set_mode, r, "direct", "mode");
    CHECK(synap_forget_request_set_mode(r, "later") == SYNAP_INVALID_ARGUMENT, "unknown mode");
    CHECK(synap_forget_request_set_mode(r, "direct") == SYNAP_OK, "direct");
    CHECK(synap_forget_request_set_mode(r, "preview") == SYNAP_OK, "preview");
    synap_forget_request_free(r);
    synap_forget_request_free(NULL);
}

/* Forgets `description` for `user`; the answer, or NULL on a failure. */
static SynapForgetResult *forget(const SynapClient *client, const char *user, const char *description, bool direct) {
    SynapForgetRequest *r = synap_forget_request_new();
    SynapForgetResult *result = NULL;
    synap_forget_request_set_description(r, description);
    synap_forget_request_set_user_id(r, user);
    synap_forget_request_set_customer_id(r, CUSTOMER);
    synap_forget_request_set_mode(r, direct ? "direct" : "preview");
    CHECK(synap_memories_forget(client, r, &result) == SYNAP_OK, "forget: %s", synap_last_error_message());
    synap_forget_request_free(r);
    return result;
}

static void test_forget(const SynapClient *client) {
    MemoryId ids[MAX_IDS];
    size_t n = ingest(client, "life-forget", "User: I used to live at 12 Elm Street in Springfield.", ids);
    CHECK(n == 1, "one memory: %zu", n);

    SynapForgetRequest *r = synap_forget_request_new();
    SynapForgetResult *result = (SynapForgetResult *)&result;
    CHECK(synap_memories_forget(client, r, &result) == SYNAP_INVALID_ARGUMENT, "no description");
    CHECK(result == NULL, "out cleared");
    synap_forget_request_set_description(r, "Elm Street address");
    CHECK(synap_memories_forget(client, r, &result) == SYNAP_INVALID_ARGUMENT, "no user");
    synap_forget_request_set_user_id(r, "life-forget");
    CHECK(synap_memories_forget(client, r, &result) == SYNAP_INVALID_REQUEST, "no customer on a B2B instance: %s",
          synap_last_error_message());
    CHECK(synap_last_error_http_status() == 400, "400");
    CHECK(synap_memories_forget(NULL, r, &result) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_memories_forget(client, NULL, &result) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_memories_forget(client, r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    synap_forget_request_free(r);

    result = forget(client, "life-forget", "Elm Street", false);
    CHECK(synap_forget_result_outcome(result) == SYNAP_FORGET_PREVIEW, "preview");
    CHECK(str_eq(synap_forget_result_status(result), "preview"), "status");
    CHECK(starts_with(synap_forget_result_request_id(result), "fr_"), "request id");
    CHECK(synap_forget_result_candidate_count(result) == 1, "one candidate");
    CHECK(n == 1 && str_eq(synap_forget_result_candidate_memory_id(result, 0), ids[0]), "the memory");
    CHECK(str_eq(synap_forget_result_candidate_content(result, 0), "I used to live at 12 Elm Street in Springfield."),
          "content");
    CHECK(synap_forget_result_candidate_memory_type(result, 0) != NULL, "type");
    CHECK(str_eq(synap_forget_result_candidate_store(result, 0), "memory"), "store");
    CHECK(synap_forget_result_candidate_memory_id(result, 1) == NULL, "past the end");
    CHECK(synap_forget_result_candidate_content(result, 1) == NULL, "past the end");
    CHECK(synap_forget_result_candidate_memory_type(result, 1) == NULL, "past the end");
    CHECK(synap_forget_result_candidate_store(result, 1) == NULL, "past the end");
    CHECK(synap_forget_result_deleted_count(result) == 0, "nothing deleted");
    CHECK(synap_forget_result_deleted_id(result, 0) == NULL, "past the end");
    CHECK(synap_forget_result_failed_count(result) == 0 && synap_forget_result_failed_id(result, 0) == NULL, "none");
    CHECK(synap_forget_result_still_present_count(result) == 0, "nothing left behind");
    CHECK(synap_forget_result_still_present_in(result, 0) == NULL, "past the end");
    CHECK(!synap_forget_result_may_be_incomplete(result), "complete match");
    synap_forget_result_free(result);
    char held[256];
    content_of(client, ids[0], held, sizeof held);
    CHECK(held[0] != '\0', "a preview deletes nothing");

    result = forget(client, "life-forget", "Elm Street", true);
    CHECK(synap_forget_result_outcome(result) == SYNAP_FORGET_DELETED, "deleted");
    CHECK(synap_forget_result_deleted_count(result) == 1 && str_eq(synap_forget_result_deleted_id(result, 0), ids[0]),
          "the deleted id");
    synap_forget_result_free(result);
    content_of(client, ids[0], held, sizeof held);
    CHECK(held[0] == '\0', "gone: %s", held);

    result = forget(client, "life-forget", "Elm Street", true);
    CHECK(synap_forget_result_outcome(result) == SYNAP_FORGET_NOTHING_MATCHES, "nothing left to match");
    CHECK(synap_forget_result_request_id(result) == NULL, "no request filed");
    CHECK(synap_forget_result_candidate_count(result) == 0, "no candidates");
    synap_forget_result_free(result);
    synap_forget_result_free(NULL);
}

/* The emulator behind `client` answers a direct forget with `partial`. */
static void test_forget_partial(const SynapClient *client) {
    MemoryId ids[MAX_IDS];
    size_t n = ingest(client, "life-forget-partial", "User: My old phone number was 555 0100 for years.", ids);
    CHECK(n == 1, "one memory: %zu", n);
    SynapForgetResult *result = forget(client, "life-forget-partial", "old phone number", true);
    CHECK(synap_forget_result_outcome(result) == SYNAP_FORGET_PARTIAL, "partial, never read as deleted");
    CHECK(str_eq(synap_forget_result_status(result), "partial"), "status");
    CHECK(synap_forget_result_deleted_count(result) == 1, "hidden");
    CHECK(synap_forget_result_still_present_count(result) == 1, "one store");
    CHECK(str_eq(synap_forget_result_still_present_in(result, 0), "graph"), "the graph store");
    CHECK(synap_forget_result_still_present_in(result, 1) == NULL, "past the end");
    CHECK(synap_forget_result_may_be_incomplete(result), "may be incomplete");
    synap_forget_result_free(result);
}

static void test_upload_request(void) {
    SynapUploadRequest *r = synap_upload_request_new();
    const uint8_t byte = 'x';
    CHECK(r != NULL, "new request");
    CHECK_NONEMPTY_SETTER(synap_upload_request_set_user_id, r, "u", "user");
    CHECK_NONEMPTY_SETTER(synap_upload_request_set_customer_id, r, "c", "customer");
    CHECK_TEXT_SETTER(synap_upload_request_set_relationship_type, r, "b2b", "type");
    CHECK(synap_upload_request_set_relationship_type(r, "b2x") == SYNAP_INVALID_ARGUMENT, "unknown type");
    CHECK_TEXT_SETTER(synap_upload_request_set_mode, r, "fast", "mode");
    CHECK(synap_upload_request_set_mode(r, "slow") == SYNAP_INVALID_ARGUMENT, "unknown mode");
    CHECK_TEXT_SETTER(synap_upload_request_set_document_type, r, "pdf", "type");
    CHECK(synap_upload_request_set_document_type(r, "spreadsheet") == SYNAP_INVALID_ARGUMENT, "unknown type");
    CHECK_TEXT_SETTER(synap_upload_request_set_metadata_json, r, "{}", "metadata");
    CHECK(synap_upload_request_set_metadata_json(r, "[]") == SYNAP_INVALID_ARGUMENT, "not an object");
    CHECK(synap_upload_request_add_scope_level(NULL, "team", "x") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_upload_request_add_scope_level(r, NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL level");
    CHECK(synap_upload_request_add_scope_level(r, "team", NULL) == SYNAP_INVALID_ARGUMENT, "NULL value");
    CHECK(synap_upload_request_add_scope_level(r, "", "x") == SYNAP_INVALID_ARGUMENT, "empty level");
    CHECK(synap_upload_request_add_scope_level(r, "team", BAD_UTF8) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 value");
    CHECK(synap_upload_request_set_file(NULL, "/x") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_upload_request_set_file(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL path");
    CHECK(synap_upload_request_set_bytes(NULL, &byte, 1) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_upload_request_set_bytes(r, NULL, 1) == SYNAP_INVALID_ARGUMENT, "NULL data with a length");
    CHECK(synap_upload_request_set_bytes(r, NULL, 0) == SYNAP_OK, "NULL data, no bytes");
    CHECK_TEXT_SETTER(synap_upload_request_set_text, r, "x", "text");
    CHECK_TEXT_SETTER(synap_upload_request_set_filename, r, "a.txt", "filename");
    CHECK_TEXT_SETTER(synap_upload_request_set_content_type, r, "text/plain", "content type");
    CHECK(synap_upload_request_set_relationship_type(r, "b2b") == SYNAP_OK, "b2b");
    CHECK(synap_upload_request_set_mode(r, "fast") == SYNAP_OK, "fast");
    CHECK(synap_upload_request_set_document_type(r, "pdf") == SYNAP_OK, "pdf");
    CHECK(synap_upload_request_set_metadata_json(r, "{\"source\":\"scan\"}") == SYNAP_OK, "metadata");
    CHECK(synap_upload_request_add_scope_level(r, "team", "payments") == SYNAP_OK, "scope level");
    CHECK(synap_upload_request_set_filename(r, "scan.pdf") == SYNAP_OK, "filename");
    CHECK(synap_upload_request_set_content_type(r, "application/pdf") == SYNAP_OK, "content type");
    synap_upload_request_free(r);
    synap_upload_request_free(NULL);
}

static void write_file(const char *path, const char *bytes, size_t len) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "cannot write %s", path);
    if (f != NULL) {
        CHECK(fwrite(bytes, 1, len, f) == len, "short write to %s", path);
        fclose(f);
    }
}

/* Uploads `r` and waits for its job; returns the code of the upload. */
static SynapCode upload(const SynapClient *client, const SynapUploadRequest *r, const char *what) {
    SynapIngestion *ingestion = (SynapIngestion *)&ingestion;
    SynapCode code = synap_memories_upload(client, r, &ingestion);
    if (code != SYNAP_OK) {
        CHECK(ingestion == NULL, "%s: out cleared", what);
        return code;
    }
    CHECK(synap_ingestion_state(ingestion) == SYNAP_INGEST_QUEUED, "%s: queued", what);
    MemoryId ids[MAX_IDS];
    CHECK(wait_memories(client, synap_ingestion_id(ingestion), ids) >= 1, "%s: a memory", what);
    synap_ingestion_free(ingestion);
    return code;
}

/* An upload of user `user` of CUSTOMER, its source set by the caller. */
static SynapUploadRequest *upload_request(const char *user) {
    SynapUploadRequest *r = synap_upload_request_new();
    synap_upload_request_set_user_id(r, user);
    synap_upload_request_set_customer_id(r, CUSTOMER);
    return r;
}

static void test_upload(const SynapClient *client, const char *dir) {
    char path[1024];
    SynapIngestion *ingestion = NULL;
    SynapUploadRequest *r = synap_upload_request_new();
    CHECK(synap_memories_upload(client, r, &ingestion) == SYNAP_INVALID_ARGUMENT, "no user, no source");
    synap_upload_request_set_user_id(r, "life-upload");
    CHECK(synap_memories_upload(client, r, &ingestion) == SYNAP_INVALID_ARGUMENT, "no source");
    synap_upload_request_set_text(r, "User: I keep my passport in the top drawer of the desk.");
    CHECK(synap_memories_upload(NULL, r, &ingestion) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_memories_upload(client, NULL, &ingestion) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_memories_upload(client, r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_memories_upload(client, r, &ingestion) == SYNAP_INVALID_REQUEST, "no customer on B2B: %s",
          synap_last_error_message());
    synap_upload_request_free(r);

    r = upload_request("life-upload");
    synap_upload_request_set_text(r, "User: I keep my passport in the top drawer of the desk.");
    CHECK(upload(client, r, "text") == SYNAP_OK, "text: %s", synap_last_error_message());
    synap_upload_request_free(r);

    r = upload_request("life-upload");
    static const uint8_t buffer[] = "User: My bike is a green Brompton with a basket.";
    synap_upload_request_set_bytes(r, buffer, sizeof buffer - 1);
    synap_upload_request_set_filename(r, "bike.txt");
    CHECK(upload(client, r, "buffer") == SYNAP_OK, "buffer: %s", synap_last_error_message());
    synap_upload_request_free(r);

    /* Files: 1 byte, a name that is not UTF-8, and 0 bytes, which the
     * service refuses as an empty document (HTTP 422): sent well formed. */
    static const struct {
        const char *name, *bytes;
        SynapCode code;
    } files[] = {
        {"one.txt", "x", SYNAP_OK},
        {"caf\xe9.txt", "User: The caf\xc3\xa9 on the corner makes my favourite croissant.", SYNAP_OK},
        {"empty.txt", "", SYNAP_INVALID_REQUEST},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        write_file(path, files[i].bytes, strlen(files[i].bytes));
        r = upload_request("life-upload");
        CHECK(synap_upload_request_set_file(r, path) == SYNAP_OK, "%s: %s", path, synap_last_error_message());
        CHECK(upload(client, r, path) == files[i].code, "%s: %s", path, synap_last_error_message());
        synap_upload_request_free(r);
    }
    CHECK(synap_last_error_http_status() == 422, "the empty file refused by the service");
    CHECK(strstr(synap_last_error_message(), "empty") != NULL, "%s", synap_last_error_message());

    /* A missing file and a directory: SYNAP_FILE, naming the file. */
    snprintf(path, sizeof path, "%s/missing.txt", dir);
    r = upload_request("life-upload");
    synap_upload_request_set_file(r, path);
    CHECK(upload(client, r, "missing") == SYNAP_FILE, "missing file: %s", synap_last_error_message());
    CHECK(strstr(synap_last_error_message(), "missing.txt") != NULL, "%s", synap_last_error_message());
    CHECK(str_eq(synap_code_name(SYNAP_FILE), "SYNAP_FILE"), "the code's name");
    synap_upload_request_free(r);
    snprintf(path, sizeof path, "%s/folder", dir);
    CHECK(mkdir(path, 0700) == 0, "mkdir %s", path);
    r = upload_request("life-upload");
    synap_upload_request_set_file(r, path);
    CHECK(upload(client, r, "directory") == SYNAP_FILE, "a directory: %s", synap_last_error_message());
    CHECK(strstr(synap_last_error_message(), "folder") != NULL, "%s", synap_last_error_message());
    synap_upload_request_free(r);
}

static void test_delete_request(void) {
    SynapDataDeleteRequest *r = (SynapDataDeleteRequest *)&r;
    CHECK(synap_data_delete_request_new(99, "u", &r) == SYNAP_INVALID_ARGUMENT, "unknown scope");
    CHECK(r == NULL, "out cleared");
    CHECK(synap_data_delete_request_new(-1, "u", &r) == SYNAP_INVALID_ARGUMENT, "negative scope");
    CHECK(synap_data_delete_request_new(SYNAP_DELETE_USER, NULL, &r) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_data_delete_request_new(SYNAP_DELETE_USER, "", &r) == SYNAP_INVALID_ARGUMENT, "empty id");
    CHECK(synap_data_delete_request_new(SYNAP_DELETE_USER, BAD_UTF8, &r) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 id");
    CHECK(synap_data_delete_request_new(SYNAP_DELETE_USER, "u", NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");

    CHECK(synap_data_delete_request_new(SYNAP_DELETE_CUSTOMER, "c", &r) == SYNAP_OK, "customer scope");
    CHECK(synap_data_delete_request_set_customer_id(r, "c") == SYNAP_INVALID_ARGUMENT, "its own customer");
    CHECK(synap_data_delete_request_set_user_id(r, "u") == SYNAP_INVALID_ARGUMENT, "a user of a customer scope");
    synap_data_delete_request_free(r);

    CHECK(synap_data_delete_request_new(SYNAP_DELETE_CONVERSATION, UNKNOWN_ID, &r) == SYNAP_OK, "conversation");
    CHECK_NONEMPTY_SETTER(synap_data_delete_request_set_user_id, r, "u", "user");
    CHECK(synap_data_delete_request_set_user_id(r, "u") == SYNAP_OK, "the conversation's user");
    CHECK_NONEMPTY_SETTER(synap_data_delete_request_set_customer_id, r, "c", "customer");
    CHECK(synap_data_delete_request_set_customer_id(r, "c") == SYNAP_OK, "customer");
    CHECK(synap_data_delete_request_set_dry_run(NULL, true) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_data_delete_request_set_dry_run(r, true) == SYNAP_OK, "dry run");
    CHECK_TEXT_SETTER(synap_data_delete_request_set_confirm, r, "x", "confirm");
    synap_data_delete_request_free(r);

    CHECK(synap_data_delete_request_new(SYNAP_DELETE_USER, "u", &r) == SYNAP_OK, "user scope");
    CHECK(synap_data_delete_request_set_user_id(r, "u") == SYNAP_INVALID_ARGUMENT, "user_id apart: conversations");
    synap_data_delete_request_free(r);
    synap_data_delete_request_free(NULL);
}

struct deletion_seen {
    int calls;
    int in_progress;
    int intact; /* reports whose lent record survived a free and read right */
    int stop_at; /* 0: never stop */
};

/* Reads the record lent to the callback, frees it (which must be refused),
 * and reads it again. */
static bool on_deletion(const SynapWaitProgress *progress, void *user_data) {
    struct deletion_seen *seen = user_data;
    const SynapDataDeletion *d = synap_wait_progress_deletion(progress);
    seen->calls++;
    SynapDeletionState state = synap_data_deletion_state(d);
    seen->in_progress += state == SYNAP_DELETION_IN_PROGRESS;
    bool counted = synap_wait_progress_total(progress) == 1 && synap_wait_progress_status(progress) == NULL &&
                   synap_wait_progress_count(progress, state == SYNAP_DELETION_IN_PROGRESS ? SYNAP_WAIT_PROCESSING
                                                                                           : SYNAP_WAIT_COMPLETED) == 1;
    synap_data_deletion_free((SynapDataDeletion *)d);
    if (counted && synap_data_deletion_state(d) == state && starts_with(synap_data_deletion_id(d), "del_")) {
        seen->intact++;
    }
    return seen->stop_at == 0 || seen->calls < seen->stop_at;
}

/* A deletion of user `user` of CUSTOMER, confirmed. */
static SynapDataDeleteRequest *delete_request(const char *user) {
    SynapDataDeleteRequest *r = NULL;
    synap_data_delete_request_new(SYNAP_DELETE_USER, user, &r);
    synap_data_delete_request_set_customer_id(r, CUSTOMER);
    synap_data_delete_request_set_confirm(r, user);
    return r;
}

static void check_null_deletion(void) {
    int64_t n = -7;
    CHECK(synap_data_deletion_id(NULL) == NULL && synap_data_deletion_state(NULL) == SYNAP_DELETION_UNKNOWN, "NULL");
    CHECK(synap_data_deletion_status_text(NULL) == NULL && synap_data_deletion_scope(NULL) == NULL, "NULL");
    CHECK(!synap_data_deletion_is_dry_run(NULL) && !synap_data_deletion_found(NULL), "NULL");
    CHECK(!synap_data_deletion_fully_removed(NULL) && !synap_data_deletion_memories_kept(NULL), "NULL");
    CHECK(synap_data_deletion_count_count(NULL) == 0 && synap_data_deletion_count_store(NULL, 0) == NULL, "NULL");
    CHECK(!synap_data_deletion_count_value(NULL, 0, &n) && !synap_data_deletion_count_of(NULL, "memories", &n), "NULL");
    CHECK(synap_data_deletion_still_present_count(NULL) == 0, "NULL");
    CHECK(synap_data_deletion_still_present_in(NULL, 0) == NULL, "NULL");
    CHECK(synap_data_deletion_kept_count(NULL) == 0 && synap_data_deletion_kept(NULL, 0) == NULL, "NULL");
    CHECK(synap_data_deletion_stores_json(NULL) == NULL && synap_data_deletion_note(NULL) == NULL, "NULL");
    CHECK(synap_data_deletion_audit(NULL) == NULL && synap_data_deletion_json(NULL) == NULL, "NULL");
    CHECK(synap_wait_progress_deletion(NULL) == NULL, "NULL progress");
    CHECK(n == -7, "out left alone");
    synap_data_deletion_free(NULL);
}

static void test_data_delete(const SynapClient *client) {
    MemoryId ids[MAX_IDS];
    const char *user = "life-erase";
    size_t n = ingest(client, user, "User: My daughter Mia starts school in September this year.", ids);
    CHECK(n == 1, "one memory: %zu", n);

    /* Unconfirmed, or confirmed with another id: refused before sending. */
    SynapDataDeleteRequest *r = NULL;
    SynapDataDeletion *d = (SynapDataDeletion *)&d;
    synap_data_delete_request_new(SYNAP_DELETE_USER, user, &r);
    synap_data_delete_request_set_customer_id(r, CUSTOMER);
    CHECK(synap_data_delete(client, r, &d) == SYNAP_INVALID_ARGUMENT, "unconfirmed");
    CHECK(d == NULL, "out cleared");
    CHECK(strstr(synap_last_error_message(), "confirm") != NULL, "%s", synap_last_error_message());
    synap_data_delete_request_set_confirm(r, "someone-else");
    CHECK(synap_data_delete(client, r, &d) == SYNAP_INVALID_ARGUMENT, "confirmed with another id");
    CHECK(synap_data_delete(NULL, r, &d) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_data_delete(client, NULL, &d) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_data_delete(client, r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");

    synap_data_delete_request_free(r);

    /* A dry run: needs no confirmation, deletes nothing, counts. */
    synap_data_delete_request_new(SYNAP_DELETE_USER, user, &r);
    synap_data_delete_request_set_customer_id(r, CUSTOMER);
    synap_data_delete_request_set_dry_run(r, true);
    CHECK(synap_data_delete(client, r, &d) == SYNAP_OK, "dry run: %s", synap_last_error_message());
    CHECK(synap_data_deletion_state(d) == SYNAP_DELETION_DRY_RUN && synap_data_deletion_is_dry_run(d), "dry run");
    int64_t memories = -1;
    CHECK(synap_data_deletion_count_of(d, "memories", &memories) && memories == 1, "would remove: %lld",
          (long long)memories);
    synap_data_deletion_free(d);
    synap_data_delete_request_free(r);
    char held[256];
    content_of(client, ids[0], held, sizeof held);
    CHECK(held[0] != '\0', "a dry run deletes nothing");

    /* The deletion: in progress after its continue rounds, then waited for. */
    r = delete_request(user);
    d = NULL;
    CHECK(synap_data_delete(client, r, &d) == SYNAP_OK, "delete: %s", synap_last_error_message());
    synap_data_delete_request_free(r);
    CHECK(synap_data_deletion_state(d) == SYNAP_DELETION_IN_PROGRESS, "in progress: %s",
          synap_data_deletion_status_text(d));
    char id[64] = "";
    snprintf(id, sizeof id, "%s", synap_data_deletion_id(d) ? synap_data_deletion_id(d) : "");
    CHECK(starts_with(id, "del_"), "deletion id %s", id);
    synap_data_deletion_free(d);

    struct log_capture capture = {PTHREAD_MUTEX_INITIALIZER, 0};
    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, on_log, &capture) == SYNAP_OK, "log");
    struct deletion_seen seen = {0, 0, 0, 0};
    SynapWaitOptions *how = synap_wait_options_new();
    synap_wait_options_set_timeout_ms(how, 20000);
    synap_wait_options_set_poll_interval_ms(how, 50);
    synap_wait_options_set_progress(how, on_deletion, &seen);
    SynapDataDeletion *done = (SynapDataDeletion *)&done;
    CHECK(synap_data_deletion_wait(NULL, id, how, &done) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(done == NULL, "out cleared");
    CHECK(synap_data_deletion_wait(client, NULL, how, &done) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_data_deletion_wait(client, " ", how, &done) == SYNAP_INVALID_ARGUMENT, "blank id");
    CHECK(synap_data_deletion_wait(client, BAD_UTF8, how, &done) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 id");
    CHECK(synap_data_deletion_wait(client, id, how, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_data_deletion_wait(client, id, how, &done) == SYNAP_OK, "wait: %s", synap_last_error_message());
    CHECK(seen.calls >= 2 && seen.in_progress >= 1, "progress while running: %d calls", seen.calls);
    CHECK(seen.intact == seen.calls, "the record lent to progress survives a free: %d of %d", seen.intact, seen.calls);
    CHECK(capture.errors >= seen.calls, "each refused free is logged: %d", capture.errors);
    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, NULL, NULL) == SYNAP_OK, "log off");

    CHECK(synap_data_deletion_state(done) == SYNAP_DELETION_COMPLETE, "complete");
    CHECK(str_eq(synap_data_deletion_id(done), id) && str_eq(synap_data_deletion_status_text(done), "complete"), "id");
    CHECK(str_eq(synap_data_deletion_scope(done), "user") && synap_data_deletion_found(done), "the user was found");
    CHECK(synap_data_deletion_fully_removed(done) && !synap_data_deletion_is_dry_run(done), "fully removed");
    CHECK(!synap_data_deletion_memories_kept(done), "memories go with a user");
    CHECK(synap_data_deletion_still_present_count(done) == 0, "nothing left");
    CHECK(synap_data_deletion_still_present_in(done, 0) == NULL, "past the end");
    size_t stores = synap_data_deletion_count_count(done);
    bool counted = false;
    for (size_t i = 0; i < stores; i++) {
        int64_t value = -1;
        CHECK(synap_data_deletion_count_store(done, i) != NULL, "store %zu named", i);
        CHECK(synap_data_deletion_count_value(done, i, &value) && value >= 0, "count %zu", i);
        counted |= str_eq(synap_data_deletion_count_store(done, i), "memories") && value == 1;
    }
    CHECK(counted, "one memory removed, of %zu counts", stores);
    int64_t left = -7;
    CHECK(synap_data_deletion_count_store(done, stores) == NULL, "past the end");
    CHECK(!synap_data_deletion_count_value(done, stores, &left) && left == -7, "past the end");
    CHECK(!synap_data_deletion_count_of(done, "nowhere", &left) && !synap_data_deletion_count_of(done, NULL, &left),
          "no such store");
    CHECK(!synap_data_deletion_count_of(done, "memories", NULL), "NULL out");
    CHECK(synap_data_deletion_kept(done, synap_data_deletion_kept_count(done)) == NULL, "past the end");
    const char *json = synap_data_deletion_json(done);
    CHECK(json != NULL && strstr(json, id) != NULL, "the whole record");
    const char *stores_json = synap_data_deletion_stores_json(done);
    CHECK(stores_json == NULL || stores_json[0] == '{', "stores: %s", stores_json);
    (void)synap_data_deletion_note(done);
    (void)synap_data_deletion_audit(done);
    synap_data_deletion_free(done);
    content_of(client, ids[0], held, sizeof held);
    CHECK(held[0] == '\0', "the user's memory is gone: %s", held);

    /* Its audit record, read again. */
    d = (SynapDataDeletion *)&d;
    CHECK(synap_data_deletion_status(NULL, id, &d) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(d == NULL, "out cleared");
    CHECK(synap_data_deletion_status(client, NULL, &d) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_data_deletion_status(client, "", &d) == SYNAP_INVALID_ARGUMENT, "empty id");
    CHECK(synap_data_deletion_status(client, BAD_UTF8, &d) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 id");
    CHECK(synap_data_deletion_status(client, id, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_data_deletion_status(client, "del_unknown", &d) == SYNAP_NOT_FOUND, "unknown deletion");
    CHECK(synap_data_deletion_status(client, id, &d) == SYNAP_OK, "status: %s", synap_last_error_message());
    CHECK(synap_data_deletion_state(d) == SYNAP_DELETION_COMPLETE && str_eq(synap_data_deletion_id(d), id), "same");
    synap_data_deletion_free(d);

    /* A wait its progress callback stops, and another deletion to stop. */
    n = ingest(client, "life-erase-2", "User: My cat Pixel is afraid of the vacuum cleaner.", ids);
    r = delete_request("life-erase-2");
    d = NULL;
    CHECK(synap_data_delete(client, r, &d) == SYNAP_OK, "delete: %s", synap_last_error_message());
    synap_data_delete_request_free(r);
    seen = (struct deletion_seen){0, 0, 0, 1};
    done = NULL;
    CHECK(synap_data_deletion_wait(client, synap_data_deletion_id(d), how, &done) == SYNAP_CANCELLED, "stopped");
    CHECK(done == NULL && seen.calls == 1, "one report, then stopped");
    synap_data_deletion_free(d);
    synap_wait_options_free(how);
    check_null_deletion();
}

/* The emulator behind `client` ends data deletions partial. */
static void test_data_delete_partial(const SynapClient *client) {
    MemoryId ids[MAX_IDS];
    const char *user = "life-erase-partial";
    ingest(client, user, "User: I am allergic to peanuts and to shellfish.", ids);
    SynapDataDeleteRequest *r = delete_request(user);
    SynapDataDeletion *d = NULL, *done = NULL;
    CHECK(synap_data_delete(client, r, &d) == SYNAP_OK, "delete: %s", synap_last_error_message());
    synap_data_delete_request_free(r);
    const SynapDataDeletion *last = d;
    if (synap_data_deletion_state(d) == SYNAP_DELETION_IN_PROGRESS) {
        CHECK(synap_data_deletion_wait(client, synap_data_deletion_id(d), NULL, &done) == SYNAP_OK, "wait: %s",
              synap_last_error_message());
        last = done;
    }
    CHECK(synap_data_deletion_state(last) == SYNAP_DELETION_PARTIAL, "partial, never read as complete");
    CHECK(str_eq(synap_data_deletion_status_text(last), "partial"), "status");
    CHECK(!synap_data_deletion_fully_removed(last), "not fully removed");
    CHECK(synap_data_deletion_still_present_count(last) >= 1, "a store still holds data");
    CHECK(str_eq(synap_data_deletion_still_present_in(last, 0), "graph"), "%s",
          synap_data_deletion_still_present_in(last, 0));
    synap_data_deletion_free(done);
    synap_data_deletion_free(d);
}

static void test_credits(const SynapClient *client) {
    SynapCreditBalance *balance = (SynapCreditBalance *)&balance;
    CHECK(synap_credits_balance(NULL, &balance) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(balance == NULL, "out cleared");
    CHECK(synap_credits_balance(client, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_credits_balance(client, &balance) == SYNAP_OK, "balance: %s", synap_last_error_message());
    double before = synap_credit_balance_credits(balance), credits = -1;
    int64_t at = -7;
    CHECK(before > 0, "credits: %f", before);
    CHECK(str_eq(synap_credit_balance_client_id(balance), "cli_9b2f4d6a8c0e1357"), "client id");
    CHECK(!synap_credit_balance_warning_low(balance), "not low");
    size_t buckets = synap_credit_balance_bucket_count(balance);
    CHECK(buckets >= 1, "buckets");
    CHECK(synap_credit_balance_bucket_source_type(balance, 0) != NULL, "source type");
    CHECK(synap_credit_balance_bucket_credits(balance, 0, &credits) && credits > 0, "bucket credits");
    CHECK(!synap_credit_balance_bucket_expires_at_us(balance, 0, &at) && at == -7, "no expiry");
    CHECK(synap_credit_balance_bucket_source_type(balance, buckets) == NULL, "past the end");
    CHECK(!synap_credit_balance_bucket_credits(balance, buckets, &credits), "past the end");
    CHECK(!synap_credit_balance_bucket_credits(balance, 0, NULL), "NULL out");
    synap_credit_balance_free(balance);

    SynapEstimateRequest *e = synap_estimate_request_new();
    double estimate = -1;
    CHECK(synap_credits_estimate(client, e, &estimate) == SYNAP_INVALID_ARGUMENT, "no metric type");
    CHECK_NONEMPTY_SETTER(synap_estimate_request_set_metric_type, e, "x", "metric");
    CHECK(synap_estimate_request_set_units(NULL, 1) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_estimate_request_set_units(e, -1) == SYNAP_INVALID_ARGUMENT, "negative units");
    CHECK(synap_estimate_request_set_units(e, NAN) == SYNAP_INVALID_ARGUMENT, "NaN units");
    CHECK(synap_estimate_request_set_units(e, INFINITY) == SYNAP_INVALID_ARGUMENT, "infinite units");
    CHECK(synap_estimate_request_set_item_count(NULL, 1) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK_TEXT_SETTER(synap_estimate_request_set_endpoint, e, "x", "endpoint");
    CHECK_TEXT_SETTER(synap_estimate_request_set_mode, e, "fast", "mode");
    CHECK(synap_estimate_request_set_metric_type(e, "llm_input_tokens") == SYNAP_OK, "metric");
    CHECK(synap_estimate_request_set_units(e, 1000) == SYNAP_OK, "units");
    CHECK(synap_estimate_request_set_item_count(e, 4) == SYNAP_OK, "item count");
    CHECK(synap_estimate_request_set_endpoint(e, "/v1/context/user/fetch") == SYNAP_OK, "endpoint");
    CHECK(synap_estimate_request_set_mode(e, "fast") == SYNAP_OK, "mode");
    CHECK(synap_credits_estimate(NULL, e, &estimate) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_credits_estimate(client, NULL, &estimate) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_credits_estimate(client, e, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(estimate == -1, "left alone on failure");
    CHECK(synap_credits_estimate(client, e, &estimate) == SYNAP_OK, "estimate: %s", synap_last_error_message());
    CHECK(estimate > 0.999999 && estimate < 1.000001, "1000 input tokens: %f credits", estimate);
    synap_estimate_request_free(e);
    synap_estimate_request_free(NULL);

    SynapRedemption *redeemed = (SynapRedemption *)&redeemed;
    CHECK(synap_credits_redeem(NULL, "SYN-TEST-CODE-0001-A", &redeemed) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(redeemed == NULL, "out cleared");
    CHECK(synap_credits_redeem(client, NULL, &redeemed) == SYNAP_INVALID_ARGUMENT, "NULL code");
    CHECK(synap_credits_redeem(client, BAD_UTF8, &redeemed) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 code");
    CHECK(synap_credits_redeem(client, "SYN-TEST-CODE-0001-A", NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_credits_redeem(client, "not a code", &redeemed) == SYNAP_INVALID_REQUEST, "malformed code");
    CHECK(synap_credits_redeem(client, "SYN-AAAA-BBBB-CCCC-D", &redeemed) == SYNAP_INVALID_REQUEST, "unknown code");
    CHECK(synap_credits_redeem(client, "  SYN-TEST-CODE-0001-A\n", &redeemed) == SYNAP_OK, "redeem: %s",
          synap_last_error_message());
    double granted = 0, after = 0;
    CHECK(synap_redemption_id(redeemed) != NULL, "redemption id");
    CHECK(synap_redemption_credits_granted(redeemed, &granted) && granted == 500, "granted %f", granted);
    CHECK(synap_redemption_new_balance(redeemed, &after) && after > before, "new balance %f", after);
    at = -7;
    CHECK(!synap_redemption_expires_at_us(redeemed, &at) || at > 0, "expiry");
    CHECK(!synap_redemption_credits_granted(redeemed, NULL), "NULL out");
    synap_redemption_free(redeemed);
    redeemed = NULL;
    CHECK(synap_credits_redeem(client, "SYN-TEST-CODE-0001-A", &redeemed) == SYNAP_INSUFFICIENT_CREDITS,
          "redeemed once only: %s", synap_last_error_message());
    CHECK(synap_last_error_http_status() == 402, "402");
    synap_redemption_free(NULL);

    SynapLedgerQuery *q = synap_ledger_query_new();
    CHECK_TEXT_SETTER(synap_ledger_query_set_entry_type, q, "redeem", "entry type");
    CHECK(synap_ledger_query_set_from_us(NULL, 0) == SYNAP_INVALID_ARGUMENT, "NULL query");
    CHECK(synap_ledger_query_set_from_us(q, INT64_MAX) == SYNAP_INVALID_ARGUMENT, "past year 9999");
    CHECK(synap_ledger_query_set_to_us(NULL, 0) == SYNAP_INVALID_ARGUMENT, "NULL query");
    CHECK(synap_ledger_query_set_to_us(q, INT64_MIN) == SYNAP_INVALID_ARGUMENT, "before year 1");
    CHECK(synap_ledger_query_set_limit(NULL, 10) == SYNAP_INVALID_ARGUMENT, "NULL query");
    CHECK(synap_ledger_query_set_limit(q, 0) == SYNAP_INVALID_ARGUMENT, "limit 0");
    CHECK(synap_ledger_query_set_limit(q, 501) == SYNAP_INVALID_ARGUMENT, "limit 501");
    CHECK(synap_ledger_query_set_offset(NULL, 0) == SYNAP_INVALID_ARGUMENT, "NULL query");
    CHECK(synap_ledger_query_set_entry_type(q, "redeem") == SYNAP_OK, "entry type");
    CHECK(synap_ledger_query_set_from_us(q, 0) == SYNAP_OK, "from 1970");
    CHECK(synap_ledger_query_set_to_us(q, 253402300799999999LL) == SYNAP_OK, "to the end of 9999");
    CHECK(synap_ledger_query_set_to_us(q, 4102444800000000LL) == SYNAP_OK, "to 2100");
    CHECK(synap_ledger_query_set_limit(q, 500) == SYNAP_OK, "limit");
    CHECK(synap_ledger_query_set_offset(q, 0) == SYNAP_OK, "offset");

    SynapLedgerPage *page = (SynapLedgerPage *)&page;
    CHECK(synap_credits_ledger(NULL, q, &page) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(page == NULL, "out cleared");
    CHECK(synap_credits_ledger(client, q, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_credits_ledger(client, q, &page) == SYNAP_OK, "ledger: %s", synap_last_error_message());
    int64_t total = -1, limit = -1, offset = -1, created = -1;
    double delta = 0;
    CHECK(synap_ledger_page_count(page) == 1, "one redeem row: %zu", synap_ledger_page_count(page));
    CHECK(synap_ledger_page_total(page, &total) && total == 1, "total");
    CHECK(synap_ledger_page_limit(page, &limit) && limit == 500, "limit");
    CHECK(synap_ledger_page_offset(page, &offset) && offset == 0, "offset");
    CHECK(synap_ledger_page_entry_id(page, 0) != NULL, "row id");
    CHECK(str_eq(synap_ledger_page_entry_type(page, 0), "redeem"), "row type");
    CHECK(synap_ledger_page_entry_delta(page, 0, &delta) && delta == 500, "delta %f", delta);
    (void)synap_ledger_page_entry_metric_type(page, 0);
    (void)synap_ledger_page_entry_category(page, 0);
    CHECK(synap_ledger_page_entry_created_at_us(page, 0, &created) && created > 0, "created at");
    CHECK(synap_ledger_page_entry_id(page, 1) == NULL && synap_ledger_page_entry_type(page, 1) == NULL, "past end");
    CHECK(synap_ledger_page_entry_metric_type(page, 1) == NULL, "past the end");
    CHECK(synap_ledger_page_entry_category(page, 1) == NULL, "past the end");
    CHECK(!synap_ledger_page_entry_delta(page, 1, &delta) && !synap_ledger_page_entry_created_at_us(page, 1, &created),
          "past the end");
    synap_ledger_page_free(page);
    synap_ledger_query_free(q);
    synap_ledger_query_free(NULL);

    /* No query: the first rows of every type, usage included. */
    page = NULL;
    CHECK(synap_credits_ledger(client, NULL, &page) == SYNAP_OK, "ledger: %s", synap_last_error_message());
    bool usage = false;
    for (size_t i = 0; i < synap_ledger_page_count(page); i++) {
        usage |= str_eq(synap_ledger_page_entry_type(page, i), "usage");
    }
    CHECK(usage, "ingestion is charged");
    synap_ledger_page_free(page);
    synap_ledger_page_free(NULL);
}

/* Every accessor on NULL gives its documented default. */
static void test_null_handles(void) {
    double d = -7;
    int64_t n = -7;
    CHECK(synap_deleted_memory_id(NULL) == NULL && !synap_deleted_memory_deleted_at_us(NULL, &n), "NULL");
    CHECK(synap_forget_result_outcome(NULL) == SYNAP_FORGET_UNKNOWN && synap_forget_result_status(NULL) == NULL,
          "NULL");
    CHECK(synap_forget_result_request_id(NULL) == NULL && synap_forget_result_candidate_count(NULL) == 0, "NULL");
    CHECK(synap_forget_result_candidate_memory_id(NULL, 0) == NULL, "NULL");
    CHECK(synap_forget_result_deleted_count(NULL) == 0 && synap_forget_result_failed_count(NULL) == 0, "NULL");
    CHECK(synap_forget_result_still_present_count(NULL) == 0 && !synap_forget_result_may_be_incomplete(NULL), "NULL");
    CHECK(synap_credit_balance_credits(NULL) == 0 && synap_credit_balance_client_id(NULL) == NULL, "NULL");
    CHECK(!synap_credit_balance_warning_low(NULL) && synap_credit_balance_bucket_count(NULL) == 0, "NULL");
    CHECK(synap_credit_balance_bucket_source_type(NULL, 0) == NULL, "NULL");
    CHECK(!synap_credit_balance_bucket_credits(NULL, 0, &d), "NULL");
    CHECK(!synap_credit_balance_bucket_expires_at_us(NULL, 0, &n), "NULL");
    CHECK(synap_ledger_page_count(NULL) == 0 && !synap_ledger_page_total(NULL, &n), "NULL");
    CHECK(!synap_ledger_page_limit(NULL, &n) && !synap_ledger_page_offset(NULL, &n), "NULL");
    CHECK(synap_ledger_page_entry_id(NULL, 0) == NULL && synap_ledger_page_entry_type(NULL, 0) == NULL, "NULL");
    CHECK(!synap_ledger_page_entry_delta(NULL, 0, &d), "NULL");
    CHECK(!synap_ledger_page_entry_created_at_us(NULL, 0, &n), "NULL");
    CHECK(synap_redemption_id(NULL) == NULL && !synap_redemption_credits_granted(NULL, &d), "NULL");
    CHECK(!synap_redemption_new_balance(NULL, &d) && !synap_redemption_expires_at_us(NULL, &n), "NULL");
    CHECK(d == -7 && n == -7, "out values left alone");
    synap_credit_balance_free(NULL);
}

int main(void) {
    SynapClient *client = make_client(fixture("BASE_URL"));
    SynapClient *partial = make_client(fixture("PARTIAL_URL"));
    test_update_request();
    test_update(client);
    test_delete(client);
    test_forget_request();
    test_forget(client);
    test_forget_partial(partial);
    test_upload_request();
    test_upload(client, fixture("DIR"));
    test_delete_request();
    test_data_delete(client);
    test_data_delete_partial(partial);
    test_credits(client);
    test_null_handles();
    synap_client_free(partial);
    synap_client_free(client);
    return finish();
}
