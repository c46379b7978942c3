/*
 * What the libcurl floors share: one kept-alive easy handle per thread that
 * sends the headers libsynap sends (the key, a fresh correlation id per
 * call, its User-Agent, gzip accepted) and reads each answer, unparsed,
 * into a reused buffer. Include after bench.h and <curl/curl.h>.
 */
#ifndef CURL_CLIENT_H
#define CURL_CLIENT_H

struct curl_client {
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

static size_t curl_client_on_body(char *data, size_t size, size_t n, void *user) {
    struct curl_client *c = user;
    size_t bytes = size * n;
    if (c->len + bytes + 1 > c->cap) {
        size_t cap = (c->len + bytes + 1) * 2;
        char *grown = realloc(c->body, cap);
        if (grown == NULL) {
            return 0;
        }
        c->body = grown;
        c->cap = cap;
    }
    memcpy(c->body + c->len, data, bytes);
    c->len += bytes;
    c->body[c->len] = '\0';
    return bytes;
}

/* Sets `c` up to send to `url`, with the Authorization and X-Correlation-ID
 * headers followed by `extra` (header lines, NULL-terminated; NULL for
 * none). Returns 0 if libcurl could not make the handle. */
static int curl_client_init(struct curl_client *c, const char *url, const char *api_key,
                            const char *const *extra) {
    char line[512];
    memset(c, 0, sizeof *c);
    if ((c->curl = curl_easy_init()) == NULL) {
        return 0;
    }
    c->rng = (uint64_t)bench_now_us() ^ (uint64_t)(uintptr_t)c;
    snprintf(line, sizeof line, "Authorization: Bearer %s", api_key);
    c->headers = curl_slist_append(NULL, line);
    strcpy(line, "X-Correlation-ID: ");
    bench_correlation_id(line + strlen(line), sizeof line - strlen(line), &c->rng);
    c->headers = curl_slist_append(c->headers, line);
    c->correlation = c->headers->next->data + strlen("X-Correlation-ID: ");
    for (; extra != NULL && *extra != NULL; extra++) {
        c->headers = curl_slist_append(c->headers, *extra);
    }
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
    /* What libsynap sends besides: a User-Agent and gzip accepted. */
    snprintf(line, sizeof line, "libcurl/%s", curl_version_info(CURLVERSION_NOW)->version);
    curl_easy_setopt(c->curl, CURLOPT_USERAGENT, line);
    curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, curl_client_on_body);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
    return 1;
}

/* One request with a fresh correlation id; its HTTP status in `*http` and
 * its body in `c->body` (`c->len` bytes). Returns 0, or prints why libcurl
 * failed, prefixed by `who`, and returns 1. */
static int curl_client_perform(struct curl_client *c, const char *who, long *http) {
    char id[32];
    CURLcode rc;
    bench_correlation_id(id, sizeof id, &c->rng);
    memcpy(c->correlation, id, strlen(id));
    c->len = 0;
    *http = 0;
    rc = curl_easy_perform(c->curl);
    if (rc != CURLE_OK) {
        fprintf(stderr, "%s: %s\n", who, curl_easy_strerror(rc));
        return 1;
    }
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, http);
    return 0;
}

static void curl_client_cleanup(struct curl_client *c) {
    curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->headers);
    free(c->body);
}

#endif
