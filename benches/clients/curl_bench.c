/*
 * curl_bench: the floor for memories.status. A bare libcurl GET of the same
 * URL with the same headers on one kept-alive easy handle per thread, the
 * body read into a reused buffer, and every answer checked: status 200, and
 * the body's ingestion_id and status fields. The key comes from
 * SYNAP_API_KEY.
 *
 *   curl_bench BASE_URL ID CALLS THREADS WARMUP [RSS_SAMPLES]
 */
#include "bench.h"

#include <curl/curl.h>

#include "curl_client.h"

struct bench_thread {
    struct curl_client c;
    char want_id[96];
};

static const char *api_key;

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    struct bench_thread *t = calloc(1, sizeof *t);
    char url[512];
    snprintf(url, sizeof url, "%s/api/v1/memories/status/%s", args->base_url, args->id);
    if (t == NULL || !curl_client_init(&t->c, url, api_key, NULL)) {
        free(t);
        return NULL;
    }
    snprintf(t->want_id, sizeof t->want_id, "\"ingestion_id\":\"%s\"", args->id);
    return t;
}

static int bench_call(struct bench_thread *t) {
    long http;
    if (curl_client_perform(&t->c, "curl_bench", &http) != 0) {
        return 1;
    }
    if (http != 200 || t->c.body == NULL || strstr(t->c.body, t->want_id) == NULL ||
        strstr(t->c.body, "\"status\":\"completed\"") == NULL) {
        fprintf(stderr, "curl_bench: unexpected answer: HTTP %ld: %.200s\n", http, t->c.body ? t->c.body : "");
        return 1;
    }
    return 0;
}

static void bench_thread_free(struct bench_thread *t) {
    curl_client_cleanup(&t->c);
    free(t);
}

int main(int argc, char **argv) {
    struct bench_args args;
    int status;

    if (!bench_parse_args(argc, argv, &args)) {
        return 64;
    }
    api_key = getenv("SYNAP_API_KEY");
    if (api_key == NULL || *api_key == '\0') {
        fprintf(stderr, "curl_bench: set SYNAP_API_KEY\n");
        return 1;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "curl_bench: curl_global_init failed\n");
        return 1;
    }
    status = bench_main(&args);
    curl_global_cleanup();
    return status;
}
