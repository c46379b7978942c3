/* The C API end to end against the emulator: success, every error path,
 * NULL and malformed arguments, ownership, and per-thread last errors.
 * Run by tests/c_api.rs under valgrind, with fixtures in the environment. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>

#include "check.h"
#include "synap.h"

static const char *DEV_KEY = "synap_dev_emulator";
static const char *UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

static SynapClient *make_client(const char *key, const char *base_url, uint32_t timeout_ms, uint64_t max_body) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    CHECK(options != NULL, "synap_options_new");
    CHECK(synap_options_set_base_url(options, base_url) == SYNAP_OK, "%s", synap_last_error_message());
    /* Error mapping, one attempt each; test_resilience.c covers retries. */
    CHECK(synap_options_set_max_attempts(options, 1) == SYNAP_OK, "one attempt");
    if (timeout_ms > 0) {
        CHECK(synap_options_set_request_timeout_ms(options, timeout_ms) == SYNAP_OK, "timeout");
    }
    if (max_body > 0) {
        CHECK(synap_options_set_max_body_bytes(options, max_body) == SYNAP_OK, "max body");
    }
    SynapCode code = synap_client_new(key, options, &client);
    CHECK(code == SYNAP_OK, "client_new: %s", synap_last_error_message());
    synap_options_free(options);
    return client;
}

/* Calls status on `id`, expects `want`, and checks the last-error details
 * every failure must have. Returns nothing: the status must stay NULL. */
static void expect_failure(const SynapClient *client, const char *id, SynapCode want, uint16_t http_status,
                           const char *message_prefix) {
    SynapMemoryStatus *status = (SynapMemoryStatus *)&status; /* not NULL: must be cleared */
    SynapCode code = synap_memories_status(client, id, &status);
    const char *message = synap_last_error_message();
    CHECK(code == want, "%s: got %s (%s), want %s", id ? id : "(null)", synap_code_name((int)code),
          message ? message : "no message", synap_code_name((int)want));
    CHECK(status == NULL, "out_status cleared on failure");
    CHECK(message != NULL && strchr(message, '\n') == NULL, "one-line message");
    CHECK(message == NULL || strstr(message, DEV_KEY) == NULL, "key in message: %s", message);
    CHECK(starts_with(message, message_prefix), "message \"%s\" should start with \"%s\"", message,
          message_prefix);
    CHECK(synap_last_error_http_status() == http_status, "%s: http status %u, want %u (%s)",
          id ? id : "(null)", (unsigned)synap_last_error_http_status(), (unsigned)http_status, message);
    synap_status_free(status);
}

static void test_version_and_codes(void) {
    CHECK(str_eq(synap_version(), SYNAP_VERSION), "version %s vs header %s", synap_version(), SYNAP_VERSION);
    CHECK(str_eq(synap_code_name(SYNAP_OK), "SYNAP_OK"), "OK name");
    CHECK(str_eq(synap_code_name(SYNAP_NOT_FOUND), "SYNAP_NOT_FOUND"), "NOT_FOUND name");
    CHECK(str_eq(synap_code_name(SYNAP_INTERNAL), "SYNAP_INTERNAL"), "INTERNAL name");
    CHECK(str_eq(synap_code_name(-1), "SYNAP_UNKNOWN_CODE"), "negative code");
    CHECK(str_eq(synap_code_name(99999), "SYNAP_UNKNOWN_CODE"), "large code");
}

static void test_options(void) {
    SynapOptions *options = synap_options_new();
    CHECK(synap_options_set_base_url(options, "ftp://example.com") == SYNAP_INVALID_ARGUMENT, "ftp refused");
    CHECK(starts_with(synap_last_error_message(), "base_url must start with http:// or https://"), "%s",
          synap_last_error_message());
    CHECK(synap_last_error_correlation_id() == NULL, "no request, no correlation id");
    CHECK(synap_options_set_base_url(options, "http://127.0.0.1:1/x/") == SYNAP_OK, "valid url");
    CHECK(synap_last_error_message() == NULL, "success clears the last error");
    CHECK(synap_options_set_base_url(options, "http://\xff\xfe") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 url");
    CHECK(starts_with(synap_last_error_message(), "url is not valid UTF-8"), "%s", synap_last_error_message());
    CHECK(synap_options_set_base_url(options, NULL) == SYNAP_OK, "NULL restores the default");
    CHECK(synap_options_set_connect_timeout_ms(options, 0) == SYNAP_INVALID_ARGUMENT, "zero connect timeout");
    CHECK(synap_options_set_request_timeout_ms(options, 0) == SYNAP_INVALID_ARGUMENT, "zero request timeout");
    CHECK(synap_options_set_max_body_bytes(options, 0) == SYNAP_INVALID_ARGUMENT, "zero body cap");
    CHECK(synap_options_set_connect_timeout_ms(options, 1000) == SYNAP_OK, "connect timeout");
    CHECK(synap_options_set_request_timeout_ms(NULL, 1000) == SYNAP_INVALID_ARGUMENT, "NULL options");
    CHECK(str_eq(synap_last_error_message(), "options is NULL"), "%s", synap_last_error_message());
    CHECK(synap_options_set_base_url(NULL, "http://x") == SYNAP_INVALID_ARGUMENT, "NULL options url");
    synap_options_free(options);
    synap_options_free(NULL);
}

static void test_client_new(const char *base_url) {
    SynapClient *client = (SynapClient *)&client;
    SynapOptions *options = synap_options_new();
    synap_options_set_base_url(options, base_url);

    CHECK(synap_client_new(DEV_KEY, options, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(str_eq(synap_last_error_message(), "out_client is NULL"), "%s", synap_last_error_message());

    CHECK(synap_client_new("synap_\xff", options, &client) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 key");
    CHECK(client == NULL, "out cleared");
    CHECK(synap_client_new("synap_dev\nX-Evil: 1", options, &client) == SYNAP_INVALID_ARGUMENT, "newline key");
    CHECK(strstr(synap_last_error_message(), "synap_dev") == NULL, "key not echoed: %s",
          synap_last_error_message());

    unsetenv("SYNAP_API_KEY");
    CHECK(synap_client_new(NULL, options, &client) == SYNAP_AUTH, "no key anywhere");
    CHECK(str_eq(synap_last_error_message(), "no API key: pass one or set SYNAP_API_KEY"), "%s",
          synap_last_error_message());
    CHECK(synap_client_new("", options, &client) == SYNAP_AUTH, "empty key is no key");

    /* The key and base URL from the environment. */
    setenv("SYNAP_API_KEY", DEV_KEY, 1);
    setenv("SYNAP_BASE_URL", base_url, 1);
    CHECK(synap_client_new(NULL, NULL, &client) == SYNAP_OK, "%s", synap_last_error_message());
    SynapMemoryStatus *status = NULL;
    CHECK(synap_memories_status(client, fixture("COMPLETED"), &status) == SYNAP_OK, "env client: %s",
          synap_last_error_message());
    synap_status_free(status);
    synap_client_free(client);

    setenv("SYNAP_BASE_URL", "not a url", 1);
    CHECK(synap_client_new(NULL, NULL, &client) == SYNAP_INVALID_ARGUMENT, "bad SYNAP_BASE_URL");
    CHECK(starts_with(synap_last_error_message(), "SYNAP_BASE_URL: base_url"), "%s",
          synap_last_error_message());
    unsetenv("SYNAP_BASE_URL");
    unsetenv("SYNAP_API_KEY");
    synap_client_free(NULL);
    synap_options_free(options);
}

static void test_completed(const SynapClient *client) {
    const char *id = fixture("COMPLETED");
    SynapMemoryStatus *status = NULL;
    int64_t started = -1, completed = -1;

    CHECK(synap_memories_status(client, id, &status) == SYNAP_OK, "%s", synap_last_error_message());
    CHECK(synap_last_error_message() == NULL, "no last error after success");
    CHECK(str_eq(synap_status_ingestion_id(status), id), "%s", synap_status_ingestion_id(status));
    CHECK(str_eq(synap_status_document_id(status), "c-doc"), "%s", synap_status_document_id(status));
    CHECK(synap_status_state(status) == SYNAP_INGEST_COMPLETED, "state");
    CHECK(str_eq(synap_status_state_name(status), "completed"), "state name");
    CHECK(synap_status_is_terminal(status), "terminal");
    CHECK(synap_status_queued_at_us(status) > 1700000000000000LL, "queued at");
    CHECK(synap_status_started_at_us(status, &started), "started");
    CHECK(synap_status_completed_at_us(status, &completed), "completed");
    CHECK(started >= synap_status_queued_at_us(status) && completed >= started, "ordered times");
    CHECK(synap_status_memories_created(status) == 3, "memories created");
    CHECK(synap_status_memory_id_count(status) == 3, "memory id count");
    for (size_t i = 0; i < 3; i++) {
        const char *mem = synap_status_memory_id(status, i);
        CHECK(mem != NULL && strlen(mem) == 36, "memory id %zu: %s", i, mem ? mem : "NULL");
    }
    CHECK(synap_status_memory_id(status, 3) == NULL, "past the end");
    CHECK(synap_status_memory_id(status, SIZE_MAX) == NULL, "far past the end");
    CHECK(synap_status_error_message(status) == NULL, "no error message");
    CHECK(!synap_status_started_at_us(status, NULL), "NULL out");
    synap_status_free(status);
}

static void test_queued(const SynapClient *client) {
    SynapMemoryStatus *status = NULL;
    int64_t untouched = 42;
    CHECK(synap_memories_status(client, fixture("QUEUED"), &status) == SYNAP_OK, "%s", synap_last_error_message());
    CHECK(synap_status_state(status) == SYNAP_INGEST_QUEUED, "queued");
    CHECK(!synap_status_is_terminal(status), "not terminal");
    CHECK(!synap_status_started_at_us(status, &untouched) && untouched == 42, "no start yet, out untouched");
    CHECK(!synap_status_completed_at_us(status, &untouched) && untouched == 42, "no end yet");
    CHECK(synap_status_memory_id_count(status) == 0 && synap_status_memory_id(status, 0) == NULL, "no ids");
    synap_status_free(status);
}

static void test_failed_partial_unknown(const SynapClient *client) {
    SynapMemoryStatus *status = NULL;
    CHECK(synap_memories_status(client, fixture("FAILED"), &status) == SYNAP_OK, "failed job");
    CHECK(synap_status_state(status) == SYNAP_INGEST_FAILED, "state failed");
    CHECK(str_eq(synap_status_error_message(status), "boom"), "%s", synap_status_error_message(status));
    synap_status_free(status);

    CHECK(synap_memories_status(client, fixture("PARTIAL"), &status) == SYNAP_OK, "partial job");
    CHECK(synap_status_state(status) == SYNAP_INGEST_PARTIAL_SUCCESS, "state partial");
    CHECK(synap_status_is_terminal(status), "partial is terminal");
    CHECK(str_eq(synap_status_error_message(status), "half"), "partial message");
    synap_status_free(status);

    CHECK(synap_memories_status(client, fixture("UNKNOWN_STATE"), &status) == SYNAP_OK, "%s",
          synap_last_error_message());
    CHECK(synap_status_state(status) == SYNAP_INGEST_UNKNOWN, "unknown state");
    CHECK(str_eq(synap_status_state_name(status), "archived"), "raw state name");
    CHECK(!synap_status_is_terminal(status), "unknown is not terminal");
    synap_status_free(status);
}

static void test_bad_arguments(const SynapClient *client) {
    SynapMemoryStatus *status = NULL;
    expect_failure(client, "../../x", SYNAP_INVALID_ARGUMENT, 0, "ingestion_id is not a UUID: \"../../x\"");
    CHECK(synap_last_error_correlation_id() == NULL, "refused before any request");
    expect_failure(client, "", SYNAP_INVALID_ARGUMENT, 0, "ingestion_id is not a UUID");
    expect_failure(client, "\xc3\x28", SYNAP_INVALID_ARGUMENT, 0, "ingestion_id is not valid UTF-8");
    expect_failure(client, NULL, SYNAP_INVALID_ARGUMENT, 0, "ingestion_id is NULL");
    expect_failure(NULL, fixture("COMPLETED"), SYNAP_INVALID_ARGUMENT, 0, "client is NULL");
    CHECK(synap_memories_status(client, fixture("COMPLETED"), NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(str_eq(synap_last_error_message(), "out_status is NULL"), "%s", synap_last_error_message());

    /* Every accessor is safe on NULL and gives its documented default. */
    int64_t out = 7;
    CHECK(synap_status_ingestion_id(NULL) == NULL, "NULL");
    CHECK(synap_status_document_id(NULL) == NULL, "NULL");
    CHECK(synap_status_state(NULL) == SYNAP_INGEST_UNKNOWN, "NULL");
    CHECK(synap_status_state_name(NULL) == NULL, "NULL");
    CHECK(!synap_status_is_terminal(NULL), "NULL");
    CHECK(synap_status_queued_at_us(NULL) == 0, "NULL");
    CHECK(!synap_status_started_at_us(NULL, &out) && out == 7, "NULL");
    CHECK(!synap_status_completed_at_us(NULL, &out) && out == 7, "NULL");
    CHECK(synap_status_memories_created(NULL) == 0, "NULL");
    CHECK(synap_status_memory_id_count(NULL) == 0, "NULL");
    CHECK(synap_status_memory_id(NULL, 0) == NULL, "NULL");
    CHECK(synap_status_error_message(NULL) == NULL, "NULL");
    synap_status_free(NULL);
    synap_status_free(status);
}

static void test_server_errors(const SynapClient *client, const char *base_url) {
    expect_failure(client, UNKNOWN_ID, SYNAP_NOT_FOUND, 404, "HTTP 404: Ingestion job not found");
    CHECK(starts_with(synap_last_error_correlation_id(), "syn__"), "correlation id %s",
          synap_last_error_correlation_id());
    CHECK(synap_last_error_retry_after_ms() == -1, "no Retry-After");

    expect_failure(client, fixture("F400"), SYNAP_INVALID_REQUEST, 400, "HTTP 400: bad request body");
    expect_failure(client, fixture("F422"), SYNAP_INVALID_REQUEST, 422, "HTTP 422: path.ingestion_id: bad");
    expect_failure(client, fixture("F402"), SYNAP_INSUFFICIENT_CREDITS, 402, "HTTP 402: Credit balance is exhausted.");
    expect_failure(client, fixture("F409"), SYNAP_CONFLICT, 409, "HTTP 409: conflict");
    expect_failure(client, fixture("F429"), SYNAP_RATE_LIMITED, 429, "HTTP 429: Rate limit exceeded");
    CHECK(synap_last_error_retry_after_ms() == 7000, "retry after %lld", (long long)synap_last_error_retry_after_ms());
    expect_failure(client, fixture("F500"), SYNAP_SERVER, 500, "HTTP 500: Internal Server Error");
    expect_failure(client, fixture("F302"), SYNAP_PROTOCOL, 302, "HTTP 302: redirect to http://127.0.0.2:9/x not followed");
    expect_failure(client, fixture("GARBAGE"), SYNAP_PROTOCOL, 200, "invalid status response:");
    expect_failure(client, fixture("MISSING_FIELD"), SYNAP_PROTOCOL, 200,
                   "invalid status response: field `queued_at` is missing");
    expect_failure(client, fixture("TRUNCATE"), SYNAP_NETWORK, 200, "the server closed the connection");
    expect_failure(client, fixture("DROP"), SYNAP_NETWORK, 0, "");
    expect_failure(client, fixture("ECHO_KEY"), SYNAP_AUTH, 401, "HTTP 401: key [redacted] revoked");

    SynapClient *wrong = make_client("synap_not_a_key", base_url, 0, 0);
    expect_failure(wrong, fixture("COMPLETED"), SYNAP_AUTH, 401, "HTTP 401: Invalid API key");
    synap_client_free(wrong);

    SynapClient *impatient = make_client(DEV_KEY, base_url, 300, 0);
    expect_failure(impatient, fixture("DELAY"), SYNAP_TIMEOUT, 0, "no complete response within 300 ms");
    synap_client_free(impatient);

    SynapClient *small = make_client(DEV_KEY, base_url, 0, 64);
    expect_failure(small, fixture("COMPLETED"), SYNAP_PROTOCOL, 200, "response body is larger than the 64-byte cap");
    synap_client_free(small);

    SynapClient *refused = make_client(DEV_KEY, fixture("REFUSED_URL"), 0, 0);
    expect_failure(refused, fixture("COMPLETED"), SYNAP_NETWORK, 0, "connection refused");
    synap_client_free(refused);

    char https[256];
    snprintf(https, sizeof https, "https://%s", base_url + strlen("http://"));
    SynapClient *tls = make_client(DEV_KEY, https, 0, 0);
    expect_failure(tls, fixture("COMPLETED"), SYNAP_TLS, 0, "TLS failed");
    synap_client_free(tls);
}

struct thread_result {
    const SynapClient *client;
    SynapCode code;
    int saw_own_error;
};

static void *fail_in_thread(void *arg) {
    struct thread_result *r = arg;
    SynapMemoryStatus *status = NULL;
    r->code = synap_memories_status(r->client, UNKNOWN_ID, &status);
    r->saw_own_error = starts_with(synap_last_error_message(), "HTTP 404");
    synap_status_free(status);
    return NULL;
}

static void test_last_error_is_per_thread(const SynapClient *client) {
    SynapMemoryStatus *status = NULL;
    CHECK(synap_memories_status(client, "nope", &status) == SYNAP_INVALID_ARGUMENT, "main thread error");
    struct thread_result r = {client, SYNAP_OK, 0};
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, fail_in_thread, &r) == 0, "pthread_create");
    pthread_join(thread, NULL);
    CHECK(r.code == SYNAP_NOT_FOUND && r.saw_own_error, "thread saw its own error");
    CHECK(starts_with(synap_last_error_message(), "ingestion_id is not a UUID"), "main kept its own: %s",
          synap_last_error_message());
}

int main(void) {
    const char *base_url = fixture("BASE_URL");
    test_version_and_codes();
    test_options();
    test_client_new(base_url);

    SynapClient *client = make_client(DEV_KEY, base_url, 0, 0);
    test_completed(client);
    test_queued(client);
    test_failed_partial_unknown(client);
    test_bad_arguments(client);
    test_server_errors(client, base_url);
    test_last_error_is_per_thread(client);
    synap_client_free(client);
    return finish();
}
