/*
 * synap_upload_bench: uploading one file through libsynap's C API, in a
 * loop: synap_memories_upload() with the file's path, so the file is
 * streamed from disk as multipart/form-data, its length announced up front.
 * Every answer is checked through the accessors (the ingestion id, the
 * document id and the state). All threads share one client; each thread
 * makes its request once and sends it on every call.
 *
 *   synap_upload_bench BASE_URL FILE CALLS THREADS WARMUP
 *
 * The key comes from SYNAP_API_KEY; the user and the answer to expect from
 * the harness (benches/harness/upload.py):
 *   BENCH_UPLOAD_USER_ID       the user the document belongs to
 *   BENCH_UPLOAD_INGESTION_ID  the ingestion id every answer must hold
 *   BENCH_UPLOAD_DOCUMENT_ID   the document id it must hold
 *   BENCH_UPLOAD_STATUS        the state it must hold, as sent
 */
#include "synap_run.h"

/* The user and what every answer must hold, read once from the
 * environment. */
static struct {
    const char *user_id;
    const char *ingestion_id;
    const char *document_id;
    const char *status;
} expect;

struct bench_thread {
    SynapUploadRequest *request;
};

static struct bench_thread *bench_thread_new(const struct bench_args *args) {
    struct bench_thread *t = malloc(sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->request = synap_upload_request_new();
    if (t->request == NULL || synap_upload_request_set_user_id(t->request, expect.user_id) != SYNAP_OK ||
        synap_upload_request_set_file(t->request, args->id) != SYNAP_OK) {
        fprintf(stderr, "synap_upload_bench: cannot make the request: %s\n", synap_last_error_message());
        synap_upload_request_free(t->request);
        free(t);
        return NULL;
    }
    return t;
}

/* 0 if the answer holds the expected ids and state, else prints what
 * differs. */
static int check(const SynapIngestion *ingestion) {
    const char *id = synap_ingestion_id(ingestion);
    const char *document = synap_ingestion_document_id(ingestion);
    const char *status = synap_ingestion_state_name(ingestion);
    if (id == NULL || document == NULL || status == NULL || strcmp(id, expect.ingestion_id) != 0 ||
        strcmp(document, expect.document_id) != 0 || strcmp(status, expect.status) != 0) {
        fprintf(stderr, "synap_upload_bench: ingestion %s, document %s, %s; expected %s, %s, %s\n",
                id != NULL ? id : "(none)", document != NULL ? document : "(none)",
                status != NULL ? status : "(none)", expect.ingestion_id, expect.document_id, expect.status);
        return 1;
    }
    return 0;
}

static int bench_call(struct bench_thread *t) {
    SynapIngestion *ingestion = NULL;
    SynapCode code = synap_memories_upload(client, t->request, &ingestion);
    int failed = code != SYNAP_OK;
    if (failed) {
        fprintf(stderr, "synap_upload_bench: %s: %s\n", synap_code_name((int)code), synap_last_error_message());
    } else {
        failed = check(ingestion);
    }
    synap_ingestion_free(ingestion);
    return failed;
}

static void bench_thread_free(struct bench_thread *t) {
    synap_upload_request_free(t->request);
    free(t);
}

int main(int argc, char **argv) {
    struct bench_args args;

    if (!bench_parse_args(argc, argv, &args)) {
        return 64;
    }
    expect.user_id = getenv("BENCH_UPLOAD_USER_ID");
    expect.ingestion_id = getenv("BENCH_UPLOAD_INGESTION_ID");
    expect.document_id = getenv("BENCH_UPLOAD_DOCUMENT_ID");
    expect.status = getenv("BENCH_UPLOAD_STATUS");
    if (expect.user_id == NULL || expect.ingestion_id == NULL || expect.document_id == NULL ||
        expect.status == NULL) {
        fprintf(stderr, "synap_upload_bench: set BENCH_UPLOAD_USER_ID, BENCH_UPLOAD_INGESTION_ID, "
                        "BENCH_UPLOAD_DOCUMENT_ID and BENCH_UPLOAD_STATUS\n");
        return 64;
    }
    return synap_bench_run("synap_upload_bench", &args);
}
