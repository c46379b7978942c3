/*
 * synap-ingest: ingest a document into Synap, wait for it, and print the
 * memories it produced.
 *
 *   synap-ingest [--base-url URL] [--type TYPE] [--document-id ID] [--json-document]
 *                [--user-id ID] [--customer-id ID] [--metadata JSON]
 *                [--timeout S] [--interval S] [FILE]
 *
 * Reads the document from FILE, or from standard input when FILE is absent
 * or "-". The API key is read from SYNAP_API_KEY, the base URL from
 * --base-url, else SYNAP_BASE_URL, else the production service.
 *
 * Shows a live progress line on a terminal (plain lines otherwise) while it
 * waits; Ctrl-C cancels the wait. Exit status: 0 when the job completed (or
 * partly succeeded) and every memory was read; the SynapCode of a failure
 * (1-14); 64 for a usage error; 65 when the service could not ingest the
 * document (the job failed).
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "synap.h"

#define EXIT_USAGE 64
#define EXIT_JOB_FAILED 65
#define MAX_DOCUMENT (64u * 1024u * 1024u)

static void usage(FILE *to) {
    fprintf(to,
            "usage: synap-ingest [options] [FILE]\n"
            "  Ingests FILE (or standard input), waits for it, prints the memories produced.\n"
            "  --base-url URL     service to use (default: $SYNAP_BASE_URL, else production)\n"
            "  --type TYPE        document type (default ai-chat-conversation; also document,\n"
            "                     email, pdf, image, audio, meeting-transcript)\n"
            "  --document-id ID   your id for the document (a repeat is refused)\n"
            "  --json-document    the input is a JSON object, not text\n"
            "  --user-id ID       the end user the document is about\n"
            "  --customer-id ID   the user's customer (organisation)\n"
            "  --metadata JSON    a JSON object filed with the document, e.g.\n"
            "                     {\"conversation_id\": \"<uuid>\"} to file it in a conversation\n"
            "  --timeout S        give up waiting after S seconds (default 300)\n"
            "  --interval S       seconds between polls (default 1)\n"
            "  The API key is read from $SYNAP_API_KEY.\n");
}

/* Reads all of `in` into a NUL-terminated buffer; NULL on error or if it
 * holds a NUL byte (a document is text). */
static char *read_all(FILE *in, const char *name) {
    size_t size = 0, capacity = 64 * 1024;
    char *buf = malloc(capacity);
    while (buf != NULL) {
        size_t n = fread(buf + size, 1, capacity - size - 1, in);
        size += n;
        if (n == 0) {
            break;
        }
        if (size + 1 == capacity) {
            char *bigger = capacity >= MAX_DOCUMENT ? NULL : realloc(buf, capacity * 2);
            if (bigger == NULL) {
                fprintf(stderr, "synap-ingest: %s is larger than %u bytes\n", name, MAX_DOCUMENT);
                free(buf);
                return NULL;
            }
            buf = bigger;
            capacity *= 2;
        }
    }
    if (buf == NULL || ferror(in)) {
        fprintf(stderr, "synap-ingest: cannot read %s\n", name);
        free(buf);
        return NULL;
    }
    buf[size] = '\0';
    if (strlen(buf) != size) {
        fprintf(stderr, "synap-ingest: %s contains a NUL byte\n", name);
        free(buf);
        return NULL;
    }
    return buf;
}

static void report(const char *what, SynapCode code) {
    const char *message = synap_last_error_message();
    const char *correlation = synap_last_error_correlation_id();
    fprintf(stderr, "synap-ingest: %s: %s: %s", what, synap_code_name((int)code), message ? message : "(no message)");
    if (correlation != NULL) {
        fprintf(stderr, " (correlation id %s)", correlation);
    }
    fputc('\n', stderr);
}

struct progress {
    int live;
    struct timespec started;
    SynapIngestState last;
    int polls;
};

static bool on_progress(const SynapWaitProgress *progress, void *user_data) {
    struct progress *p = user_data;
    const SynapMemoryStatus *status = synap_wait_progress_status(progress);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - p->started.tv_sec) + (double)(now.tv_nsec - p->started.tv_nsec) / 1e9;
    SynapIngestState state = synap_status_state(status);
    if (p->live) {
        fprintf(stderr, "\r\033[K%s: %s (%.1f s)", synap_status_ingestion_id(status), synap_status_state_name(status),
                elapsed);
        if (synap_status_is_terminal(status)) {
            fputc('\n', stderr);
        }
    } else if (p->polls == 0 || state != p->last) {
        fprintf(stderr, "%s: %s after %.1f s\n", synap_status_ingestion_id(status), synap_status_state_name(status),
                elapsed);
    }
    p->last = state;
    p->polls++;
    return true;
}

static void *watch_signals(void *arg) {
    sigset_t set;
    int sig = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    if (sigwait(&set, &sig) == 0 && sig == SIGINT) {
        synap_cancel_trigger((const SynapCancel *)arg);
    }
    return NULL;
}

static int seconds(const char *text, uint32_t *ms) {
    char *end = NULL;
    double s = strtod(text, &end);
    if (end == text || *end != '\0' || !(s > 0.0) || s > 4000000.0) {
        return 0;
    }
    *ms = (uint32_t)(s * 1000.0 + 0.5);
    return *ms > 0;
}

static void print_memory(const SynapMemory *m) {
    const char *category = synap_memory_category(m);
    printf("- [%s] %s (confidence %.2f%s%s)\n", synap_memory_type(m), synap_memory_content(m),
           synap_memory_confidence(m), category ? ", " : "", category ? category : "");
}

/* Prints every memory the finished job produced; returns the first failure. */
static SynapCode print_memories(const SynapClient *client, const SynapMemoryStatus *status) {
    size_t n = synap_status_memory_id_count(status);
    SynapCode first = SYNAP_OK;
    printf("%s: %s, %" PRIu64 " memories\n", synap_status_ingestion_id(status), synap_status_state_name(status),
           synap_status_memories_created(status));
    for (size_t i = 0; i < n; i++) {
        SynapMemory *memory = NULL;
        const char *id = synap_status_memory_id(status, i);
        SynapCode code = synap_memories_get(client, id, &memory);
        if (code == SYNAP_OK) {
            print_memory(memory);
        } else {
            report(id, code);
            if (first == SYNAP_OK) {
                first = code;
            }
        }
        synap_memory_free(memory);
    }
    if (synap_status_error_message(status) != NULL) {
        printf("error: %s\n", synap_status_error_message(status));
    }
    return first;
}

int main(int argc, char **argv) {
    const char *base_url = NULL, *type = NULL, *document_id = NULL, *path = NULL;
    const char *user_id = NULL, *customer_id = NULL, *metadata = NULL;
    bool json = false;
    uint32_t timeout_ms = 300000, interval_ms = 1000;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int takes_value = strcmp(arg, "--base-url") == 0 || strcmp(arg, "--type") == 0 ||
                          strcmp(arg, "--document-id") == 0 || strcmp(arg, "--timeout") == 0 ||
                          strcmp(arg, "--interval") == 0 || strcmp(arg, "--user-id") == 0 ||
                          strcmp(arg, "--customer-id") == 0 || strcmp(arg, "--metadata") == 0;
        if (takes_value && ++i == argc) {
            fprintf(stderr, "synap-ingest: %s needs a value\n", arg);
            return EXIT_USAGE;
        }
        if (strcmp(arg, "--base-url") == 0) {
            base_url = argv[i];
        } else if (strcmp(arg, "--type") == 0) {
            type = argv[i];
        } else if (strcmp(arg, "--document-id") == 0) {
            document_id = argv[i];
        } else if (strcmp(arg, "--user-id") == 0) {
            user_id = argv[i];
        } else if (strcmp(arg, "--customer-id") == 0) {
            customer_id = argv[i];
        } else if (strcmp(arg, "--metadata") == 0) {
            metadata = argv[i];
        } else if (strcmp(arg, "--json-document") == 0) {
            json = true;
        } else if (strcmp(arg, "--timeout") == 0 || strcmp(arg, "--interval") == 0) {
            if (!seconds(argv[i], strcmp(arg, "--timeout") == 0 ? &timeout_ms : &interval_ms)) {
                fprintf(stderr, "synap-ingest: %s needs a positive number of seconds\n", arg);
                return EXIT_USAGE;
            }
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (arg[0] == '-' && arg[1] == '-') {
            fprintf(stderr, "synap-ingest: unknown option %s\n", arg);
            usage(stderr);
            return EXIT_USAGE;
        } else if (path == NULL) {
            path = arg;
        } else {
            usage(stderr);
            return EXIT_USAGE;
        }
    }

    FILE *in = (path == NULL || strcmp(path, "-") == 0) ? stdin : fopen(path, "rb");
    if (in == NULL) {
        fprintf(stderr, "synap-ingest: cannot open %s\n", path);
        return EXIT_USAGE;
    }
    char *document = read_all(in, path ? path : "standard input");
    if (in != stdin) {
        fclose(in);
    }
    if (document == NULL) {
        return EXIT_USAGE;
    }

    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    SynapCreateRequest *request = synap_create_request_new();
    SynapCode code = (options && request) ? SYNAP_OK : SYNAP_INTERNAL;
    const char *step = "cannot create a client";
    if (code == SYNAP_OK && base_url != NULL) {
        code = synap_options_set_base_url(options, base_url);
    }
    if (code == SYNAP_OK) {
        code = synap_client_new(NULL, options, &client);
    }
    if (code == SYNAP_OK) {
        step = "bad document or option";
        code = json ? synap_create_request_set_document_json(request, document)
                    : synap_create_request_set_document_text(request, document);
    }
    if (code == SYNAP_OK && type != NULL) {
        code = synap_create_request_set_document_type(request, type);
    }
    if (code == SYNAP_OK && document_id != NULL) {
        code = synap_create_request_set_document_id(request, document_id);
    }
    if (code == SYNAP_OK && user_id != NULL) {
        code = synap_create_request_set_user_id(request, user_id);
    }
    if (code == SYNAP_OK && customer_id != NULL) {
        code = synap_create_request_set_customer_id(request, customer_id);
    }
    if (code == SYNAP_OK && metadata != NULL) {
        code = synap_create_request_set_metadata_json(request, metadata);
    }
    free(document);
    synap_options_free(options);

    SynapIngestion *ingestion = NULL;
    if (code == SYNAP_OK) {
        step = "cannot ingest";
        code = synap_memories_create(client, request, &ingestion);
    }
    synap_create_request_free(request);
    if (code != SYNAP_OK) {
        report(step, code);
        synap_client_free(client);
        return (int)code;
    }
    fprintf(stderr, "synap-ingest: queued %s (document %s)\n", synap_ingestion_id(ingestion),
            synap_ingestion_document_id(ingestion));

    /* Ctrl-C cancels the wait: a thread turns SIGINT into a cancel. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    SynapCancel *cancel = synap_cancel_new();
    pthread_t watcher;
    int watching = cancel != NULL && pthread_create(&watcher, NULL, watch_signals, cancel) == 0;

    struct progress p = {isatty(fileno(stderr)), {0, 0}, SYNAP_INGEST_UNKNOWN, 0};
    SynapWaitOptions *how = synap_wait_options_new();
    code = how ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK) {
        code = synap_wait_options_set_timeout_ms(how, timeout_ms);
    }
    if (code == SYNAP_OK) {
        code = synap_wait_options_set_poll_interval_ms(how, interval_ms);
    }
    if (code == SYNAP_OK) {
        code = synap_wait_options_set_progress(how, on_progress, &p);
    }
    if (code == SYNAP_OK) {
        code = synap_wait_options_set_cancel(how, cancel);
    }
    clock_gettime(CLOCK_MONOTONIC, &p.started);
    SynapMemoryStatus *status = NULL;
    if (code == SYNAP_OK) {
        code = synap_memories_wait(client, synap_ingestion_id(ingestion), how, &status);
    }
    synap_wait_options_free(how);
    if (p.live && code != SYNAP_OK && p.polls > 0) {
        fputc('\n', stderr);
    }
    int exit_code = 0;
    if (code != SYNAP_OK) {
        report(synap_ingestion_id(ingestion), code);
        exit_code = (int)code;
    } else {
        code = print_memories(client, status);
        exit_code = code != SYNAP_OK ? (int)code : synap_status_state(status) == SYNAP_INGEST_FAILED ? EXIT_JOB_FAILED : 0;
    }

    if (watching) {
        pthread_kill(watcher, SIGUSR1);
        pthread_join(watcher, NULL);
    }
    synap_status_free(status);
    synap_ingestion_free(ingestion);
    synap_cancel_free(cancel);
    synap_client_free(client);
    return exit_code;
}
