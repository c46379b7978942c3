/* Retries, deadlines, waiting and its options, cancellation, the log hook,
 * the client options, and one client shared by many threads: the C API
 * against the emulator.
 * Run by tests/c_api.rs under valgrind, with fixtures in the environment;
 * the harness then checks the attempts the emulator saw per fixture. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "synap.h"

static const char *DEV_KEY = "synap_dev_emulator";

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A client retrying up to 3 times with a 50 ms base backoff. */
static SynapClient *retrying_client(const char *base_url) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    CHECK(synap_options_set_base_url(options, base_url) == SYNAP_OK, "base url");
    CHECK(synap_options_set_max_attempts(options, 3) == SYNAP_OK, "attempts");
    CHECK(synap_options_set_retry_backoff_ms(options, 50, 400) == SYNAP_OK, "backoff");
    CHECK(synap_client_new(DEV_KEY, options, &client) == SYNAP_OK, "client: %s", synap_last_error_message());
    synap_options_free(options);
    return client;
}

static void test_option_setters(const char *base_url) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = (SynapClient *)&client;

    CHECK(synap_options_set_max_attempts(NULL, 3) == SYNAP_INVALID_ARGUMENT, "NULL options");
    CHECK(synap_options_set_max_attempts(options, 0) == SYNAP_INVALID_ARGUMENT, "0 attempts");
    CHECK(starts_with(synap_last_error_message(), "max_attempts must be between 1 and 100"), "%s",
          synap_last_error_message());
    CHECK(synap_options_set_max_attempts(options, 101) == SYNAP_INVALID_ARGUMENT, "101 attempts");
    CHECK(synap_options_set_max_attempts(options, 1) == SYNAP_OK, "1 attempt");
    CHECK(synap_options_set_retry_backoff_ms(options, 500, 100) == SYNAP_INVALID_ARGUMENT, "cap below base");
    CHECK(synap_options_set_retry_backoff_ms(NULL, 1, 2) == SYNAP_INVALID_ARGUMENT, "NULL options backoff");
    CHECK(synap_options_set_retry_backoff_ms(options, 0, 0) == SYNAP_OK, "no backoff");
    CHECK(synap_options_set_deadline_ms(options, 0) == SYNAP_OK, "no deadline");
    CHECK(synap_options_set_deadline_ms(NULL, 5) == SYNAP_INVALID_ARGUMENT, "NULL options deadline");
    CHECK(synap_options_set_proxy(options, "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 proxy");
    CHECK(synap_options_set_proxy(NULL, NULL) == SYNAP_INVALID_ARGUMENT, "NULL options proxy");
    CHECK(synap_options_set_ca_file(options, "\xc3") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 path");
    CHECK(synap_options_set_system_roots(NULL, true) == SYNAP_INVALID_ARGUMENT, "NULL options roots");
    CHECK(synap_options_set_allow_insecure_http(NULL, true) == SYNAP_INVALID_ARGUMENT, "NULL options http");

    /* Values checked when the client is made. */
    CHECK(synap_options_set_base_url(options, base_url) == SYNAP_OK, "base url");
    CHECK(synap_options_set_ca_file(options, "/nonexistent/ca.pem") == SYNAP_OK, "path stored");
    CHECK(synap_client_new(DEV_KEY, options, &client) == SYNAP_INVALID_ARGUMENT, "unreadable CA file");
    CHECK(client == NULL, "out cleared");
    CHECK(starts_with(synap_last_error_message(), "ca_file /nonexistent/ca.pem: cannot read it"), "%s",
          synap_last_error_message());
    CHECK(synap_options_set_ca_file(options, NULL) == SYNAP_OK, "bundled roots again");

    CHECK(synap_options_set_proxy(options, "socks5://user:hunter2@127.0.0.1:1080") == SYNAP_OK, "stored");
    CHECK(synap_client_new(DEV_KEY, options, &client) == SYNAP_INVALID_ARGUMENT, "socks refused");
    CHECK(strstr(synap_last_error_message(), "unsupported scheme") != NULL, "%s", synap_last_error_message());
    CHECK(strstr(synap_last_error_message(), "hunter2") == NULL, "proxy password hidden");
    CHECK(synap_options_set_proxy(options, "") == SYNAP_OK, "no proxy");

    CHECK(synap_options_set_base_url(options, "http://synap.example.com") == SYNAP_OK, "remote http stored");
    CHECK(synap_client_new(DEV_KEY, options, &client) == SYNAP_INVALID_ARGUMENT, "remote plain http refused");
    CHECK(strstr(synap_last_error_message(), "plain http to a host that is not loopback") != NULL, "%s",
          synap_last_error_message());
    CHECK(synap_options_set_allow_insecure_http(options, true) == SYNAP_OK, "opt in");
    CHECK(synap_client_new(DEV_KEY, options, &client) == SYNAP_OK, "allowed: %s", synap_last_error_message());
    synap_client_free(client);
    synap_options_free(options);
}

static void test_retries(const char *base_url) {
    SynapClient *client = retrying_client(base_url);
    SynapMemoryStatus *status = NULL;

    double start = now_ms();
    CHECK(synap_memories_status(client, fixture("R503_TWICE"), &status) == SYNAP_OK, "503 twice then ok: %s",
          synap_last_error_message());
    double took = now_ms() - start;
    CHECK(status != NULL && synap_status_state(status) == SYNAP_INGEST_COMPLETED, "recovered status");
    CHECK(took >= 150.0, "backed off 50 + 100 ms: %.0f ms", took);
    synap_status_free(status);
    status = NULL;

    CHECK(synap_memories_status(client, fixture("R500_ALWAYS"), &status) == SYNAP_SERVER, "500 every time");
    CHECK(synap_last_error_http_status() == 500, "status 500");
    CHECK(status == NULL, "no status");

    start = now_ms();
    CHECK(synap_memories_status(client, fixture("R429_CREDIT"), &status) == SYNAP_INSUFFICIENT_CREDITS,
          "credit stop: %s", synap_last_error_message());
    CHECK(now_ms() - start < 1000.0, "no backoff for a credit stop");

    CHECK(synap_memories_status(client, fixture("R429_AFTER"), &status) == SYNAP_OK, "429 then ok: %s",
          synap_last_error_message());
    synap_status_free(status);
    status = NULL;
    synap_client_free(client);

    /* The overall deadline bounds a server that never answers. */
    SynapOptions *options = synap_options_new();
    synap_options_set_base_url(options, base_url);
    CHECK(synap_options_set_deadline_ms(options, 700) == SYNAP_OK, "deadline");
    SynapClient *bounded = NULL;
    CHECK(synap_client_new(DEV_KEY, options, &bounded) == SYNAP_OK, "client");
    synap_options_free(options);
    start = now_ms();
    CHECK(synap_memories_status(bounded, fixture("R_HANG"), &status) == SYNAP_TIMEOUT, "hang: %s",
          synap_last_error_message());
    took = now_ms() - start;
    CHECK(took >= 650.0 && took < 3000.0, "bounded by the deadline: %.0f ms", took);
    CHECK(starts_with(synap_last_error_message(), "the call's deadline passed"), "%s", synap_last_error_message());
    synap_client_free(bounded);
}

struct log_capture {
    pthread_mutex_t lock;
    int lines;
    int retry_lines;
    int key_seen;
};

static void on_log(SynapLogLevel level, const char *message, void *user_data) {
    struct log_capture *capture = user_data;
    pthread_mutex_lock(&capture->lock);
    capture->lines++;
    if (level == SYNAP_LOG_INFO && strstr(message, "retrying in") != NULL) {
        capture->retry_lines++;
    }
    if (strstr(message, DEV_KEY) != NULL) {
        capture->key_seen++;
    }
    pthread_mutex_unlock(&capture->lock);
}

static void test_log_callback(const char *base_url) {
    struct log_capture capture = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0};
    CHECK(synap_set_log_callback(0, on_log, &capture) == SYNAP_INVALID_ARGUMENT, "level 0");
    CHECK(synap_set_log_callback(5, on_log, &capture) == SYNAP_INVALID_ARGUMENT, "level 5");
    CHECK(synap_set_log_callback(SYNAP_LOG_DEBUG, on_log, &capture) == SYNAP_OK, "install");
    SynapClient *client = retrying_client(base_url);
    SynapMemoryStatus *status = NULL;
    CHECK(synap_memories_status(client, fixture("R503_ONCE"), &status) == SYNAP_OK, "recovers: %s",
          synap_last_error_message());
    synap_status_free(status);
    CHECK(synap_set_log_callback(SYNAP_LOG_DEBUG, NULL, NULL) == SYNAP_OK, "remove");
    int before = capture.lines;
    status = NULL;
    CHECK(synap_memories_status(client, fixture("R503_ONCE_MORE"), &status) == SYNAP_OK, "recovers again");
    synap_status_free(status);
    CHECK(capture.retry_lines == 1, "one retry line, got %d", capture.retry_lines);
    CHECK(capture.lines >= 3, "debug lines for each attempt, got %d", capture.lines);
    CHECK(capture.lines == before, "nothing logged once removed");
    CHECK(capture.key_seen == 0, "no line holds the key");
    synap_client_free(client);
}

struct progress_log {
    int polls;
    int stop_after; /* 0: never stop */
    int broken;     /* reports that did not add up */
    SynapIngestState last;
};

/* Every report of a single wait: one job, counted once, in the state of the
 * status lent with it (a state this version does not know is PROCESSING). */
static bool on_progress(const SynapWaitProgress *progress, void *user_data) {
    struct progress_log *log = user_data;
    const SynapMemoryStatus *status = synap_wait_progress_status(progress);
    log->polls++;
    size_t sum = 0;
    for (int state = SYNAP_WAIT_PENDING; state <= SYNAP_WAIT_ERROR; state++) {
        sum += synap_wait_progress_count(progress, state);
    }
    SynapIngestState state = synap_status_state(status);
    int expected = state == SYNAP_INGEST_UNKNOWN ? (int)SYNAP_WAIT_PROCESSING : (int)state;
    if (status == NULL || synap_wait_progress_total(progress) != 1 || sum != 1 ||
        synap_wait_progress_count(progress, expected) != 1 || synap_wait_progress_count(progress, -1) != 0 ||
        synap_wait_progress_count(progress, SYNAP_WAIT_ERROR + 1) != 0 ||
        synap_status_is_terminal(status) != (state >= SYNAP_INGEST_COMPLETED)) {
        log->broken++;
    }
    log->last = state;
    return log->stop_after == 0 || log->polls < log->stop_after;
}

struct canceller {
    SynapCancel *cancel;
    long after_ms;
    double fired_at;
};

static void *cancel_later(void *arg) {
    struct canceller *c = arg;
    sleep_ms(c->after_ms);
    c->fired_at = now_ms();
    synap_cancel_trigger(c->cancel);
    return NULL;
}

/* Wait options with this timeout and poll interval, and nothing else set. */
static SynapWaitOptions *wait_options(uint32_t timeout_ms, uint32_t interval_ms) {
    SynapWaitOptions *how = synap_wait_options_new();
    CHECK(how != NULL, "wait options");
    CHECK(synap_wait_options_set_timeout_ms(how, timeout_ms) == SYNAP_OK, "timeout %u", (unsigned)timeout_ms);
    CHECK(synap_wait_options_set_poll_interval_ms(how, interval_ms) == SYNAP_OK, "interval %u",
          (unsigned)interval_ms);
    return how;
}

static void test_wait(const SynapClient *client) {
    SynapMemoryStatus *status = (SynapMemoryStatus *)&status;
    struct progress_log log = {0, 0, 0, SYNAP_INGEST_UNKNOWN};

    SynapWaitOptions *how = wait_options(30000, 100);
    CHECK(synap_wait_options_set_progress(how, on_progress, &log) == SYNAP_OK, "progress");
    CHECK(synap_memories_wait(client, fixture("W_PROGRESSING"), how, &status) == SYNAP_OK, "wait: %s",
          synap_last_error_message());
    CHECK(status != NULL && synap_status_state(status) == SYNAP_INGEST_COMPLETED, "completed");
    CHECK(log.polls >= 2, "progress saw %d polls", log.polls);
    CHECK(log.broken == 0, "%d of %d progress reports did not add up", log.broken, log.polls);
    CHECK(log.last == SYNAP_INGEST_COMPLETED, "the last report is the final status");
    synap_status_free(status);
    synap_wait_options_free(how);

    how = wait_options(10000, 50);
    CHECK(synap_memories_wait(client, fixture("W_FAILED"), how, &status) == SYNAP_OK, "a failed job is a status");
    CHECK(synap_status_state(status) == SYNAP_INGEST_FAILED, "failed state");
    synap_status_free(status);
    synap_wait_options_free(how);

    how = wait_options(600, 250);
    double start = now_ms();
    CHECK(synap_memories_wait(client, fixture("W_NEVER"), how, &status) == SYNAP_TIMEOUT, "deadline");
    double took = now_ms() - start;
    CHECK(took >= 590.0 && took < 2000.0, "ended at the deadline: %.0f ms", took);
    CHECK(strstr(synap_last_error_message(), "did not complete within 600 ms") != NULL, "%s",
          synap_last_error_message());
    CHECK(status == NULL, "no status on timeout");
    synap_wait_options_free(how);

    struct progress_log stopper = {0, 2, 0, SYNAP_INGEST_UNKNOWN};
    how = wait_options(10000, 10);
    CHECK(synap_wait_options_set_progress(how, on_progress, &stopper) == SYNAP_OK, "progress");
    CHECK(synap_memories_wait(client, fixture("W_NEVER"), how, &status) == SYNAP_CANCELLED, "callback cancels");
    CHECK(stopper.polls == 2, "stopped after 2 polls, got %d", stopper.polls);
    CHECK(stopper.broken == 0, "%d progress reports did not add up", stopper.broken);
    synap_wait_options_free(how);

    SynapCancel *cancel = synap_cancel_new();
    CHECK(cancel != NULL && !synap_cancel_is_triggered(cancel), "new cancel handle");
    struct canceller c = {cancel, 300, 0.0};
    pthread_t thread;
    how = wait_options(60000, 30000);
    CHECK(synap_wait_options_set_cancel(how, cancel) == SYNAP_OK, "cancel handle");
    CHECK(pthread_create(&thread, NULL, cancel_later, &c) == 0, "thread");
    CHECK(synap_memories_wait(client, fixture("W_NEVER"), how, &status) == SYNAP_CANCELLED,
          "cancelled mid-sleep: %s", synap_last_error_message());
    double lag = now_ms() - c.fired_at;
    pthread_join(thread, NULL);
    /* 50 ms natively (tests/wait.rs measures it); valgrind slows threads. */
    CHECK(lag < 1000.0, "returned %.0f ms after the trigger", lag);
    CHECK(synap_cancel_is_triggered(cancel), "stays triggered");
    start = now_ms();
    CHECK(synap_memories_wait(client, fixture("W_NEVER"), how, &status) == SYNAP_CANCELLED,
          "a triggered handle stops the next wait too");
    CHECK(now_ms() - start < 1000.0, "at once");
    CHECK(status == NULL, "no status when cancelled");
    /* Taken off the options, the triggered handle no longer stops a wait. */
    CHECK(synap_wait_options_set_cancel(how, NULL) == SYNAP_OK, "no cancel handle");
    CHECK(synap_memories_wait(client, fixture("W_FAILED"), how, &status) == SYNAP_OK, "not cancelled: %s",
          synap_last_error_message());
    CHECK(synap_status_state(status) == SYNAP_INGEST_FAILED, "failed state");
    synap_status_free(status);
    synap_cancel_trigger(cancel);
    synap_cancel_free(cancel);
    synap_cancel_trigger(NULL);
    CHECK(!synap_cancel_is_triggered(NULL), "NULL is not triggered");
    synap_cancel_free(NULL);
    synap_wait_options_free(how);

    how = wait_options(1000, 10);
    CHECK(synap_memories_wait(client, "../../x", how, &status) == SYNAP_INVALID_ARGUMENT, "bad id");
    CHECK(synap_memories_wait(NULL, fixture("W_NEVER"), how, &status) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_memories_wait(client, NULL, how, &status) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_memories_wait(client, fixture("W_NEVER"), how, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_memories_wait(client, "00000000-0000-4000-8000-000000000000", how, &status) == SYNAP_NOT_FOUND,
          "status errors end the wait");
    synap_wait_options_free(how);
}

/* A refused value leaves the options as they were, so a wait with them
 * still has the timeout and interval set before. */
static void test_wait_options(const SynapClient *client) {
    SynapWaitOptions *how = synap_wait_options_new();
    SynapCancel *cancel = synap_cancel_new();
    struct progress_log log = {0, 0, 0, SYNAP_INGEST_UNKNOWN};
    SynapMemoryStatus *status = NULL;
    CHECK(how != NULL, "new wait options");

    CHECK(synap_wait_options_set_timeout_ms(NULL, 1000) == SYNAP_INVALID_ARGUMENT, "NULL options timeout");
    CHECK(synap_last_error_message() != NULL, "says why");
    CHECK(synap_wait_options_set_poll_interval_ms(NULL, 10) == SYNAP_INVALID_ARGUMENT, "NULL options interval");
    CHECK(synap_wait_options_set_max_in_flight(NULL, 8) == SYNAP_INVALID_ARGUMENT, "NULL options in flight");
    CHECK(synap_wait_options_set_progress(NULL, on_progress, &log) == SYNAP_INVALID_ARGUMENT,
          "NULL options progress");
    CHECK(synap_wait_options_set_cancel(NULL, cancel) == SYNAP_INVALID_ARGUMENT, "NULL options cancel");

    /* The defaults: 2000 ms between polls, so one poll fits in 1000 ms. */
    CHECK(synap_wait_options_set_timeout_ms(how, 1000) == SYNAP_OK, "timeout");
    CHECK(synap_wait_options_set_progress(how, on_progress, &log) == SYNAP_OK, "progress");
    CHECK(synap_memories_wait(client, fixture("W_NEVER"), how, &status) == SYNAP_TIMEOUT, "default interval: %s",
          synap_last_error_message());
    CHECK(log.polls == 1, "one poll at the default interval, got %d", log.polls);

    CHECK(synap_wait_options_set_timeout_ms(how, 700) == SYNAP_OK, "timeout 700");
    CHECK(synap_wait_options_set_poll_interval_ms(how, 50) == SYNAP_OK, "interval 50");
    CHECK(synap_wait_options_set_max_in_flight(how, 1) == SYNAP_OK, "1 in flight");
    CHECK(synap_wait_options_set_max_in_flight(how, 64) == SYNAP_OK, "64 in flight");
    CHECK(synap_wait_options_set_timeout_ms(how, 0) == SYNAP_INVALID_ARGUMENT, "zero timeout");
    CHECK(synap_last_error_message() != NULL, "says why");
    CHECK(synap_wait_options_set_poll_interval_ms(how, 0) == SYNAP_INVALID_ARGUMENT, "zero interval");
    CHECK(synap_last_error_message() != NULL, "says why");
    CHECK(synap_wait_options_set_max_in_flight(how, 0) == SYNAP_INVALID_ARGUMENT, "0 in flight");
    CHECK(synap_last_error_message() != NULL, "says why");
    CHECK(synap_wait_options_set_max_in_flight(how, 65) == SYNAP_INVALID_ARGUMENT, "65 in flight");
    CHECK(synap_last_error_message() != NULL, "says why");
    CHECK(synap_wait_options_set_max_in_flight(how, UINT32_MAX) == SYNAP_INVALID_ARGUMENT, "UINT32_MAX in flight");

    log.polls = 0;
    double start = now_ms();
    CHECK(synap_memories_wait(client, fixture("W_NEVER"), how, &status) == SYNAP_TIMEOUT, "still usable: %s",
          synap_last_error_message());
    double took = now_ms() - start;
    CHECK(strstr(synap_last_error_message(), "did not complete within 700 ms") != NULL, "timeout kept: %s",
          synap_last_error_message());
    CHECK(took >= 690.0 && took < 3000.0, "ended at the kept deadline: %.0f ms", took);
    CHECK(log.polls >= 2, "interval kept: %d polls in 700 ms", log.polls);
    CHECK(log.broken == 0, "%d progress reports did not add up", log.broken);
    CHECK(status == NULL, "no status on timeout");

    /* Progress taken off the options: the callback is not called again. */
    CHECK(synap_wait_options_set_progress(how, NULL, &log) == SYNAP_OK, "no progress");
    log.polls = 0;
    CHECK(synap_memories_wait(client, fixture("W_FAILED"), how, &status) == SYNAP_OK, "wait: %s",
          synap_last_error_message());
    CHECK(log.polls == 0, "progress removed, called %d times", log.polls);
    synap_status_free(status);
    status = NULL;

    /* NULL options: every default. A finished job ends the wait at once. */
    CHECK(synap_memories_wait(client, fixture("COMPLETED"), NULL, &status) == SYNAP_OK, "NULL options: %s",
          synap_last_error_message());
    CHECK(synap_status_state(status) == SYNAP_INGEST_COMPLETED, "completed with the defaults");
    synap_status_free(status);

    synap_wait_options_free(how);
    synap_wait_options_free(NULL);
    synap_cancel_free(cancel);
}

struct worker {
    const SynapClient *client;
    const char *id;
    int calls;
    int ok;
    SynapCode first_error;
};

static void *hammer(void *arg) {
    struct worker *w = arg;
    for (int i = 0; i < w->calls; i++) {
        SynapMemoryStatus *status = NULL;
        SynapCode code = synap_memories_status(w->client, w->id, &status);
        if (code == SYNAP_OK && str_eq(synap_status_ingestion_id(status), w->id) &&
            synap_status_state(status) == SYNAP_INGEST_COMPLETED && synap_status_memory_id_count(status) == 2) {
            w->ok++;
        } else if (w->first_error == SYNAP_OK) {
            w->first_error = code == SYNAP_OK ? SYNAP_PROTOCOL : code;
        }
        synap_status_free(status);
    }
    return NULL;
}

static void test_threads(const SynapClient *client) {
    enum { THREADS = 8 };
    int calls = atoi(fixture("THREAD_CALLS"));
    struct worker workers[THREADS];
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){client, fixture("COMPLETED"), calls, 0, SYNAP_OK};
        CHECK(pthread_create(&threads[i], NULL, hammer, &workers[i]) == 0, "thread %d", i);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].ok == calls, "thread %d: %d of %d correct, first error %s", i, workers[i].ok, calls,
              synap_code_name((int)workers[i].first_error));
    }
}

int main(void) {
    const char *base_url = fixture("BASE_URL");
    SynapClient *client = retrying_client(base_url);
    test_wait(client); /* first, while W_PROGRESSING is still running */
    test_wait_options(client);
    test_option_setters(base_url);
    test_retries(base_url);
    test_log_callback(base_url);
    test_threads(client);
    synap_client_free(client);
    return finish();
}
