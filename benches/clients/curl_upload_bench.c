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

#include "curl_client.h"

#define UPLOAD_PATH "/api/v1/memories/upload"

struct bench_thread {
    struct curl_client c;
    curl_mime *form;
};

static const char *api_key;
static const char *user_id;
static const char *content_type;
static size_t answer_bytes;

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
    /* libcurl would ask for 100-continue before a body this large and wait
     * for it; libsynap and the Python SDK send the body straight away. */
    static const char *const no_expect[] = {"Expect:", NULL};
    struct bench_thread *t = calloc(1, sizeof *t);
    char url[512];
    snprintf(url, sizeof url, "%s%s", args->base_url, UPLOAD_PATH);
    if (t == NULL || !curl_client_init(&t->c, url, api_key, no_expect)) {
        free(t);
        return NULL;
    }
    if ((t->form = make_form(t->c.curl, args->id)) == NULL) {
        fprintf(stderr, "curl_upload_bench: cannot make the form for %s\n", args->id);
        curl_client_cleanup(&t->c);
        free(t);
        return NULL;
    }
    curl_easy_setopt(t->c.curl, CURLOPT_MIMEPOST, t->form);
    return t;
}

static int bench_call(struct bench_thread *t) {
    long http;
    curl_off_t sent = 0;
    if (curl_client_perform(&t->c, "curl_upload_bench", &http) != 0) {
        return 1;
    }
    curl_easy_getinfo(t->c.curl, CURLINFO_SIZE_UPLOAD_T, &sent);
    if (http != 200 || t->c.len != answer_bytes) {
        fprintf(stderr, "curl_upload_bench: unexpected answer after %" CURL_FORMAT_CURL_OFF_T
                        " bytes sent: HTTP %ld, %zu bytes (expected %zu): %.200s\n",
                sent, http, t->c.len, answer_bytes, t->c.body ? t->c.body : "");
        return 1;
    }
    return 0;
}

static void bench_thread_free(struct bench_thread *t) {
    curl_client_cleanup(&t->c);
    curl_mime_free(t->form);
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
