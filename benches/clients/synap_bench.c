/*
 * synap_bench: memories.status through libsynap's C API, in a loop, with
 * every answer checked through the accessors. All threads share one client,
 * as the README tells users to. The key comes from SYNAP_API_KEY.
 *
 *   synap_bench BASE_URL ID CALLS THREADS WARMUP [RSS_SAMPLES]
 */
#include "synap_run.h"

/* The fixed body the benchmark server sends has three memory ids. */
#define EXPECTED_MEMORY_IDS 3

struct bench_thread {
    const char *id;
};

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    struct bench_thread *t = malloc(sizeof *t);
    if (t != NULL) {
        t->id = args->id;
    }
    return t;
}

static int bench_call(struct bench_thread *t) {
    SynapMemoryStatus *status = NULL;
    SynapCode code = synap_memories_status(client, t->id, &status);
    int ok = code == SYNAP_OK && strcmp(synap_status_ingestion_id(status), t->id) == 0 &&
             synap_status_state(status) == SYNAP_INGEST_COMPLETED &&
             synap_status_memory_id_count(status) == EXPECTED_MEMORY_IDS;
    if (!ok) {
        const char *message = synap_last_error_message();
        fprintf(stderr, "synap_bench: %s: %s\n", synap_code_name((int)code),
                code != SYNAP_OK && message != NULL ? message : "unexpected status fields");
    }
    synap_status_free(status);
    return !ok;
}

static void bench_thread_free(struct bench_thread *t) {
    free(t);
}

int main(int argc, char **argv) {
    struct bench_args args;

    if (!bench_parse_args(argc, argv, &args)) {
        return 64;
    }
    return synap_bench_run("synap_bench", &args);
}
