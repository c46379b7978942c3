/* Uploads one large file through synap_memories_upload and prints the
 * process's peak resident set size (getrusage's ru_maxrss, in kB), before
 * the upload and after it: a file is streamed as the request goes out,
 * never read whole into memory. Run by tests/upload_rss.rs against the
 * emulator, with SYNAP_FIX_BASE_URL and SYNAP_FIX_FILE in the environment. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "synap.h"

static long peak_rss_kb(void) {
    struct rusage usage;
    return getrusage(RUSAGE_SELF, &usage) == 0 ? usage.ru_maxrss : -1;
}

static const char *fixture(const char *name) {
    const char *value = getenv(name);
    if (value == NULL) {
        fprintf(stderr, "missing %s: run this through `cargo test --test upload_rss`\n", name);
        exit(2);
    }
    return value;
}

/* Stops at the first failure, naming the step and the library's message. */
static void must(SynapCode code, const char *what) {
    if (code != SYNAP_OK) {
        const char *message = synap_last_error_message();
        fprintf(stderr, "%s: %s: %s\n", what, synap_code_name((int)code), message ? message : "(no message)");
        exit(1);
    }
}

int main(void) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    must(options ? SYNAP_OK : SYNAP_INTERNAL, "options");
    must(synap_options_set_base_url(options, fixture("SYNAP_FIX_BASE_URL")), "base url");
    /* The whole request must fit in it: room for a slow machine. */
    must(synap_options_set_request_timeout_ms(options, 300000), "request timeout");
    must(synap_options_set_max_attempts(options, 1), "one attempt");
    must(synap_client_new("synap_dev_emulator", options, &client), "client");
    synap_options_free(options);

    SynapUploadRequest *request = synap_upload_request_new();
    must(request ? SYNAP_OK : SYNAP_INTERNAL, "request");
    must(synap_upload_request_set_user_id(request, "rss-user"), "user");
    must(synap_upload_request_set_customer_id(request, "rss-customer"), "customer");
    must(synap_upload_request_set_file(request, fixture("SYNAP_FIX_FILE")), "file");

    long before = peak_rss_kb();
    SynapIngestion *ingestion = NULL;
    must(synap_memories_upload(client, request, &ingestion), "upload");
    long after = peak_rss_kb();
    const char *id = synap_ingestion_id(ingestion);
    printf("ingestion %s\n", id ? id : "(none)");
    printf("peak rss before upload: %ld kB\n", before);
    printf("peak rss: %ld kB\n", after);

    synap_ingestion_free(ingestion);
    synap_upload_request_free(request);
    synap_client_free(client);
    return id != NULL ? 0 : 1;
}
