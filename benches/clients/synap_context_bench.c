/*
 * synap_context_bench: context.fetch through libsynap's C API, in a loop: a
 * user fetch with one query, every answer checked through the accessors
 * (the number of items in each typed list, and the id of each list's first
 * item). All threads share one client, as the README tells users to; each
 * thread makes its request once and sends it on every call.
 *
 *   synap_context_bench BASE_URL USER_ID CALLS THREADS WARMUP [RSS_SAMPLES]
 *
 * The key comes from SYNAP_API_KEY; the request and the answer to expect
 * from the harness (benches/harness/clients.py):
 *   BENCH_CONTEXT_QUERY        the one search query
 *   BENCH_CONTEXT_MAX_RESULTS  max_results
 *   BENCH_CONTEXT_COUNTS       items in facts, preferences, episodes,
 *                              emotions, temporal_events: "14,12,10,6,8"
 *   BENCH_CONTEXT_FIRST_IDS    the id of each list's first item, in the same
 *                              order, comma-separated ("-" for an empty list)
 */
#include "synap_run.h"

#define TYPED_LISTS 5

/* What every answer must hold, read once from the environment. */
static struct {
    const char *query;
    uint32_t max_results;
    size_t counts[TYPED_LISTS];
    char first_ids[TYPED_LISTS][64];
} expect;

struct bench_thread {
    SynapContextRequest *request;
};

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    struct bench_thread *t = malloc(sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->request = synap_context_request_new(SYNAP_SCOPE_USER);
    if (t->request == NULL || synap_context_request_set_user_id(t->request, args->id) != SYNAP_OK ||
        synap_context_request_add_query(t->request, expect.query) != SYNAP_OK ||
        synap_context_request_set_max_results(t->request, expect.max_results) != SYNAP_OK) {
        fprintf(stderr, "synap_context_bench: cannot make the request: %s\n", synap_last_error_message());
        synap_context_request_free(t->request);
        free(t);
        return NULL;
    }
    return t;
}

/* 0 if the context holds the expected lists, else prints what differs. */
static int check(const SynapContext *context) {
    for (int i = 0; i < TYPED_LISTS; i++) {
        int list = SYNAP_LIST_FACTS + i;
        size_t count = synap_context_count(context, list);
        const char *id = synap_context_item_id(synap_context_item(context, list, 0));
        if (count != expect.counts[i] ||
            (count == 0 ? id != NULL : id == NULL || strcmp(id, expect.first_ids[i]) != 0)) {
            fprintf(stderr, "synap_context_bench: list %d: %zu items, the first %s; expected %zu, the first %s\n",
                    list, count, id != NULL ? id : "(none)", expect.counts[i], expect.first_ids[i]);
            return 1;
        }
    }
    return 0;
}

static int bench_call(struct bench_thread *t) {
    SynapContext *context = NULL;
    SynapCode code = synap_context_fetch(client, t->request, &context);
    int failed = code != SYNAP_OK;
    if (failed) {
        fprintf(stderr, "synap_context_bench: %s: %s\n", synap_code_name((int)code), synap_last_error_message());
    } else {
        failed = check(context);
    }
    synap_context_free(context);
    return failed;
}

static void bench_thread_free(struct bench_thread *t) {
    synap_context_request_free(t->request);
    free(t);
}

/* Reads the BENCH_CONTEXT_* variables into `expect`; 0 if one is missing
 * or malformed. */
static int read_expectations(void) {
    const char *max = getenv("BENCH_CONTEXT_MAX_RESULTS");
    const char *counts = getenv("BENCH_CONTEXT_COUNTS");
    const char *ids = getenv("BENCH_CONTEXT_FIRST_IDS");
    expect.query = getenv("BENCH_CONTEXT_QUERY");
    if (expect.query == NULL || max == NULL || counts == NULL || ids == NULL) {
        return 0;
    }
    expect.max_results = (uint32_t)strtoul(max, NULL, 10);
    for (int i = 0; i < TYPED_LISTS; i++) {
        char *end;
        size_t n = strcspn(ids, ",");
        expect.counts[i] = (size_t)strtoul(counts, &end, 10);
        if (end == counts || (*end != (i + 1 < TYPED_LISTS ? ',' : '\0')) || n == 0 ||
            n >= sizeof expect.first_ids[i] || (ids[n] == '\0') != (i + 1 == TYPED_LISTS)) {
            return 0;
        }
        memcpy(expect.first_ids[i], ids, n);
        expect.first_ids[i][n] = '\0';
        counts = end + 1;
        ids += n + 1;
    }
    return expect.max_results > 0;
}

int main(int argc, char **argv) {
    struct bench_args args;

    if (!bench_parse_args(argc, argv, &args)) {
        return 64;
    }
    if (!read_expectations()) {
        fprintf(stderr, "synap_context_bench: set BENCH_CONTEXT_QUERY, BENCH_CONTEXT_MAX_RESULTS, "
                        "BENCH_CONTEXT_COUNTS (5 numbers) and BENCH_CONTEXT_FIRST_IDS (5 ids)\n");
        return 64;
    }
    return synap_bench_run("synap_context_bench", &args);
}
