/*
 * synap_record_bench: recording a conversation message through libsynap's C
 * API, in a loop: one user message recorded alone, every answer checked
 * through the accessors (the message id and the conversation's message
 * count). All threads share one client, as the README tells users to; each
 * thread makes its request once and sends it on every call.
 *
 *   synap_record_bench BASE_URL CONVERSATION_ID CALLS THREADS WARMUP [RSS_SAMPLES]
 *
 * The key comes from SYNAP_API_KEY; the message and the answer to expect
 * from the harness (benches/harness/record.py):
 *   BENCH_RECORD_ROLE        who spoke: user or assistant
 *   BENCH_RECORD_CONTENT     what was said
 *   BENCH_RECORD_USER_ID     the end user
 *   BENCH_RECORD_MESSAGE_ID  the message id every answer must hold
 *   BENCH_RECORD_COUNT       the conversation's message count it must hold
 */
#include "synap_run.h"

/* The message and what every answer must hold, read once from the
 * environment. */
static struct {
    const char *role;
    const char *content;
    const char *user_id;
    const char *message_id;
    int64_t count;
} expect;

struct bench_thread {
    SynapMessageRequest *request;
};

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    struct bench_thread *t = malloc(sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->request = synap_message_request_new();
    if (t->request == NULL || synap_message_request_set_conversation_id(t->request, args->id) != SYNAP_OK ||
        synap_message_request_set_role(t->request, expect.role) != SYNAP_OK ||
        synap_message_request_set_content(t->request, expect.content) != SYNAP_OK ||
        synap_message_request_set_user_id(t->request, expect.user_id) != SYNAP_OK) {
        fprintf(stderr, "synap_record_bench: cannot make the request: %s\n", synap_last_error_message());
        synap_message_request_free(t->request);
        free(t);
        return NULL;
    }
    return t;
}

/* 0 if the answer holds the expected message id and count, else prints
 * what differs. */
static int check(const SynapRecordedMessage *message) {
    const char *id = synap_recorded_message_id(message);
    int64_t count = -1;
    int has_count = synap_recorded_message_conversation_message_count(message, &count);
    if (id == NULL || strcmp(id, expect.message_id) != 0 || !has_count || count != expect.count) {
        fprintf(stderr, "synap_record_bench: message %s, count %" PRId64 "%s; expected %s, count %" PRId64 "\n",
                id != NULL ? id : "(none)", count, has_count ? "" : " (absent)", expect.message_id, expect.count);
        return 1;
    }
    return 0;
}

static int bench_call(struct bench_thread *t) {
    SynapRecordedMessage *message = NULL;
    SynapCode code = synap_conversation_record_message(client, t->request, &message);
    int failed = code != SYNAP_OK;
    if (failed) {
        fprintf(stderr, "synap_record_bench: %s: %s\n", synap_code_name((int)code), synap_last_error_message());
    } else {
        failed = check(message);
    }
    synap_recorded_message_free(message);
    return failed;
}

static void bench_thread_free(struct bench_thread *t) {
    synap_message_request_free(t->request);
    free(t);
}

/* Reads the BENCH_RECORD_* variables into `expect`; 0 if one is missing or
 * malformed. */
static int read_expectations(void) {
    const char *count = getenv("BENCH_RECORD_COUNT");
    char *end;
    expect.role = getenv("BENCH_RECORD_ROLE");
    expect.content = getenv("BENCH_RECORD_CONTENT");
    expect.user_id = getenv("BENCH_RECORD_USER_ID");
    expect.message_id = getenv("BENCH_RECORD_MESSAGE_ID");
    if (expect.role == NULL || expect.content == NULL || expect.user_id == NULL || expect.message_id == NULL ||
        *expect.message_id == '\0' || count == NULL) {
        return 0;
    }
    expect.count = (int64_t)strtoll(count, &end, 10);
    return end != count && *end == '\0' && expect.count >= 0;
}

int main(int argc, char **argv) {
    struct bench_args args;

    if (!bench_parse_args(argc, argv, &args)) {
        return 64;
    }
    if (!read_expectations()) {
        fprintf(stderr, "synap_record_bench: set BENCH_RECORD_ROLE, BENCH_RECORD_CONTENT, BENCH_RECORD_USER_ID, "
                        "BENCH_RECORD_MESSAGE_ID and BENCH_RECORD_COUNT\n");
        return 64;
    }
    return synap_bench_run("synap_record_bench", &args);
}
