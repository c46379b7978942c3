/*
 * curl_upload_bench: the floor for an upload. A bare libcurl multipart POST
 * (curl_mime, the file part from curl_mime_filedata, which streams the file
 * from disk with its size known up front, so the request carries a
 * Content-Length) of the same form fields libsynap sends, to the same URL
 * with the same headers, on one kept-alive easy handle per thread; the
 * answer read into a reused buffer and not parsed, every answer checked:
 * status 200 and the body's size.
 *
 *   curl_upload_bench BASE_URL FILE CALLS THREADS WARMUP
 *
 * The key comes from SYNAP_API_KEY; the rest from the harness
 * (benches/harness/upload.py):
 *   BENCH_UPLOAD_USER_ID       the user_id form field
 *   BENCH_UPLOAD_CONTENT_TYPE  the file part's Content-Type
 *   BENCH_UPLOAD_ANSWER_BYTES  the answer's size in bytes
 */
#include "bench.h"

#include <curl/curl.h>

#define UPLOAD_PATH "/api/v1/memories/upload"

struct bench_thread {
    CURL *curl;
    curl_mime *form;
    struct curl_slist *headers;
    /* The X-Correlation-ID node's text, rewritten in place for each call,
     * as in curl_post_bench.c. */
    char *correlation;
    uint64_t rng;
    char *body;
    size_t len, cap;
};

static const char *api_key;
static const char *user_id;
static const char *content_type;
static size_t answer_bytes;

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

/* One text part of the form; 0 if libcurl refused it. */
static int add_field(curl_mime *form, const char *name, const char *value) {
    curl_mimepart *part = curl_mime_addpart(form);
    return part != NULL && curl_mime_name(part, name) == CURLE_OK &&
           curl_mime_data(part, value, CURL_ZERO_TERMINATED) == CURLE_OK;
}

/* The form libsynap and the Python SDK send, in their order: the user, the
 * relationship type and the mode at their defaults, then the file, named by
 * its base name. Built once; libcurl reads the file again on every perform. */
static curl_mime *make_form(CURL *curl, const char *path) {
    curl_mime *form = curl_mime_init(curl);
    curl_mimepart *file;
    if (form == NULL || !add_field(form, "user_id", user_id) || !add_field(form, "relationship_type", "b2c") ||
        !add_field(form, "mode", "long-range") || (file = curl_mime_addpart(form)) == NULL ||
        curl_mime_name(file, "file") != CURLE_OK || curl_mime_filedata(file, path) != CURLE_OK ||
        curl_mime_type(file, content_type) != CURLE_OK) {
        curl_mime_free(form);
        return NULL;
    }
    return form;
}

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    struct bench_thread *t = calloc(1, sizeof *t);
    char line[512], url[512];
    if (t == NULL || (t->curl = curl_easy_init()) == NULL) {
        free(t);
        return NULL;
    }
    if ((t->form = make_form(t->curl, args->id)) == NULL) {
        fprintf(stderr, "curl_upload_bench: cannot make the form for %s\n", args->id);
        curl_easy_cleanup(t->curl);
        free(t);
        return NULL;
    }
    t->rng = (uint64_t)bench_now_us() ^ (uint64_t)(uintptr_t)t;
    snprintf(url, sizeof url, "%s%s", args->base_url, UPLOAD_PATH);
    snprintf(line, sizeof line, "Authorization: Bearer %s", api_key);
    t->headers = curl_slist_append(NULL, line);
    strcpy(line, "X-Correlation-ID: ");
    bench_correlation_id(line + strlen(line), sizeof line - strlen(line), &t->rng);
    t->headers = curl_slist_append(t->headers, line);
    t->correlation = t->headers->next->data + strlen("X-Correlation-ID: ");
    /* libcurl would ask for 100-continue before a body this large and wait
     * for it; libsynap and the Python SDK send the body straight away. */
    t->headers = curl_slist_append(t->headers, "Expect:");
    curl_easy_setopt(t->curl, CURLOPT_URL, url);
    curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(t->curl, CURLOPT_MIMEPOST, t->form);
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
    curl_off_t sent = 0;
    char id[32];
    CURLcode rc;
    bench_correlation_id(id, sizeof id, &t->rng);
    memcpy(t->correlation, id, strlen(id));
    t->len = 0;
    rc = curl_easy_perform(t->curl);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl_upload_bench: %s\n", curl_easy_strerror(rc));
        return 1;
    }
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &http);
    curl_easy_getinfo(t->curl, CURLINFO_SIZE_UPLOAD_T, &sent);
    if (http != 200 || t->len != answer_bytes) {
        fprintf(stderr, "curl_upload_bench: unexpected answer after %" CURL_FORMAT_CURL_OFF_T
                        " bytes sent: HTTP %ld, %zu bytes (expected %zu): %.200s\n",
                sent, http, t->len, answer_bytes, t->body ? t->body : "");
        return 1;
    }
    return 0;
}

static void bench_thread_free(struct bench_thread *t) {
    curl_easy_cleanup(t->curl);
    curl_mime_free(t->form);
    curl_slist_free_all(t->headers);
    free(t->body);
    free(t);
}

int main(int argc, char **argv) {
    struct bench_args args;
    const char *bytes;
    int status;

    if (!bench_parse_args(argc, argv, &args)) {
        return 64;
    }
    api_key = getenv("SYNAP_API_KEY");
    user_id = getenv("BENCH_UPLOAD_USER_ID");
    content_type = getenv("BENCH_UPLOAD_CONTENT_TYPE");
    bytes = getenv("BENCH_UPLOAD_ANSWER_BYTES");
    if (api_key == NULL || *api_key == '\0' || user_id == NULL || content_type == NULL || bytes == NULL) {
        fprintf(stderr, "curl_upload_bench: set SYNAP_API_KEY, BENCH_UPLOAD_USER_ID, BENCH_UPLOAD_CONTENT_TYPE "
                        "and BENCH_UPLOAD_ANSWER_BYTES\n");
        return 64;
    }
    answer_bytes = (size_t)strtoul(bytes, NULL, 10);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "curl_upload_bench: curl_global_init failed\n");
        return 1;
    }
    status = bench_main(&args);
    curl_global_cleanup();
    return status;
}
