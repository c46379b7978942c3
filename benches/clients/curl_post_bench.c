/*
 * curl_post_bench: the floor for a call libsynap makes as a POST of a JSON
 * body (context.fetch, recording a conversation message). A bare libcurl
 * POST of the body libsynap sends, to the same URL with the same headers,
 * on one kept-alive easy handle per thread, the answer read into a reused
 * buffer and not parsed; every answer checked: status 200 and the body's
 * size.
 *
 *   curl_post_bench BASE_URL ID CALLS THREADS WARMUP [RSS_SAMPLES]
 *
 * The key comes from SYNAP_API_KEY; the call, from the harness
 * (`env()` in benches/harness/context.py and record.py):
 *
 *   BENCH_POST_PATH      the path POSTed to, after BASE_URL
 *   BENCH_POST_ID_FIELD  the body's key that holds ID (user_id,
 *                        conversation_id): the body must hold
 *                        "ID_FIELD":"ID"
 *   BENCH_POST_BODY      the request body
 *   BENCH_POST_BYTES     the answer's size in bytes
 */
#include "bench.h"

#include <curl/curl.h>

#include "curl_client.h"

struct bench_thread {
    struct curl_client c;
};

static const char *api_key;
static const char *path;
static const char *request_body;
static size_t answer_bytes;
/* Who is speaking in messages: the program and the path it POSTs to. */
static char who[256] = "curl_post_bench";

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    static const char *const json[] = {"Content-Type: application/json", NULL};
    struct bench_thread *t = calloc(1, sizeof *t);
    char url[512];
    snprintf(url, sizeof url, "%s%s", args->base_url, path);
    if (t == NULL || !curl_client_init(&t->c, url, api_key, json)) {
        free(t);
        return NULL;
    }
    /* Sent from the caller's buffer on every perform, as libsynap sends its
     * serialized request. */
    curl_easy_setopt(t->c.curl, CURLOPT_POSTFIELDS, request_body);
    curl_easy_setopt(t->c.curl, CURLOPT_POSTFIELDSIZE, (long)strlen(request_body));
    return t;
}

static int bench_call(struct bench_thread *t) {
    long http;
    if (curl_client_perform(&t->c, who, &http) != 0) {
        return 1;
    }
    if (http != 200 || t->c.len != answer_bytes) {
        fprintf(stderr, "%s: unexpected answer: HTTP %ld, %zu bytes (expected %zu): %.200s\n", who, http, t->c.len,
                answer_bytes, t->c.body ? t->c.body : "");
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
    const char *field, *bytes;
    char named[256];
    int status;

    if (!bench_parse_args(argc, argv, &args)) {
        return 64;
    }
    api_key = getenv("SYNAP_API_KEY");
    path = getenv("BENCH_POST_PATH");
    field = getenv("BENCH_POST_ID_FIELD");
    request_body = getenv("BENCH_POST_BODY");
    bytes = getenv("BENCH_POST_BYTES");
    if (api_key == NULL || *api_key == '\0' || path == NULL || *path != '/' || field == NULL || *field == '\0' ||
        request_body == NULL || bytes == NULL) {
        fprintf(stderr, "%s: set SYNAP_API_KEY, BENCH_POST_PATH (from /), BENCH_POST_ID_FIELD, BENCH_POST_BODY "
                        "and BENCH_POST_BYTES\n", who);
        return 64;
    }
    snprintf(who, sizeof who, "curl_post_bench %s", path);
    answer_bytes = (size_t)strtoul(bytes, NULL, 10);
    snprintf(named, sizeof named, "\"%s\":\"%s\"", field, args.id);
    if (strstr(request_body, named) == NULL) {
        fprintf(stderr, "%s: BENCH_POST_BODY does not hold %s\n", who, named);
        return 64;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "%s: curl_global_init failed\n", who);
        return 1;
    }
    status = bench_main(&args);
    curl_global_cleanup();
    return status;
}
