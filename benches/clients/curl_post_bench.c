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

struct bench_thread {
    CURL *curl;
    struct curl_slist *headers;
    /* The X-Correlation-ID node's text, rewritten in place for each call:
     * libcurl copies headers into the request it sends, and a fixed-width
     * id fits the node it was made with. */
    char *correlation;
    uint64_t rng;
    char *body;
    size_t len, cap;
};

static const char *api_key;
static const char *path;
static const char *request_body;
static size_t answer_bytes;
/* Who is speaking in messages: the program and the path it POSTs to. */
static char who[256] = "curl_post_bench";

static size_t on_body(char *data, size_t size, size_t n, void *user) {
    struct bench_thread *t = user;
    size_t bytes = size * n;
    if (t->len + bytes + 1 > t->cap) {
        size_t cap = (t->len + bytes + 1) * 2;
        char *grown = realloc(t->body, cap);
        if (grown == NULL) {
            return 0;
        }
        t->body = grown;
        t->cap = cap;
    }
    memcpy(t->body + t->len, data, bytes);
    t->len += bytes;
    t->body[t->len] = '\0';
    return bytes;
}

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    struct bench_thread *t = calloc(1, sizeof *t);
    char line[512], url[512];
    if (t == NULL || (t->curl = curl_easy_init()) == NULL) {
        free(t);
        return NULL;
    }
    t->rng = (uint64_t)bench_now_us() ^ (uint64_t)(uintptr_t)t;
    snprintf(url, sizeof url, "%s%s", args->base_url, path);
    snprintf(line, sizeof line, "Authorization: Bearer %s", api_key);
    t->headers = curl_slist_append(NULL, line);
    strcpy(line, "X-Correlation-ID: ");
    bench_correlation_id(line + strlen(line), sizeof line - strlen(line), &t->rng);
    t->headers = curl_slist_append(t->headers, line);
    t->correlation = t->headers->next->data + strlen("X-Correlation-ID: ");
    t->headers = curl_slist_append(t->headers, "Content-Type: application/json");
    curl_easy_setopt(t->curl, CURLOPT_URL, url);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, t->headers);
    /* Sent from the caller's buffer on every perform, as libsynap sends its
     * serialized request. */
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, request_body);
    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(request_body));
    /* What libsynap sends besides: a User-Agent and gzip accepted. */
    snprintf(line, sizeof line, "libcurl/%s", curl_version_info(CURLVERSION_NOW)->version);
    curl_easy_setopt(t->curl, CURLOPT_USERAGENT, line);
    curl_easy_setopt(t->curl, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, t);
    return t;
}

static int bench_call(struct bench_thread *t) {
    long http = 0;
    char id[32];
    CURLcode rc;
    bench_correlation_id(id, sizeof id, &t->rng);
    memcpy(t->correlation, id, strlen(id));
    t->len = 0;
    rc = curl_easy_perform(t->curl);
    if (rc != CURLE_OK) {
        fprintf(stderr, "%s: %s\n", who, curl_easy_strerror(rc));
        return 1;
    }
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &http);
    if (http != 200 || t->len != answer_bytes) {
        fprintf(stderr, "%s: unexpected answer: HTTP %ld, %zu bytes (expected %zu): %.200s\n", who, http, t->len,
                answer_bytes, t->body ? t->body : "");
        return 1;
    }
    return 0;
}

static void bench_thread_free(struct bench_thread *t) {
    curl_easy_cleanup(t->curl);
    curl_slist_free_all(t->headers);
    free(t->body);
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
