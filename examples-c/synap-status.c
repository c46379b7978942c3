/*
 * synap-status: print the status of Synap ingestion jobs.
 *
 *   synap-status [--base-url URL] [--json] ID...
 *
 * The API key is read from SYNAP_API_KEY (never from the command line,
 * where other users could see it in the process list); the base URL from
 * --base-url, else SYNAP_BASE_URL, else the production service.
 *
 * Prints each job's fields, human-readable or as one JSON object per line.
 * A job that cannot be read is reported on stderr with its error code,
 * message and correlation id, and the others are still printed. Exit
 * status: 0 if every job was read, else the SynapCode of the first failure
 * (1-14), or 64 for a usage error.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "synap.h"

#define EXIT_USAGE 64

static void usage(FILE *to) {
    fprintf(to,
            "usage: synap-status [--base-url URL] [--json] ID...\n"
            "  Prints the status of each Synap ingestion job ID.\n"
            "  --base-url URL  service to ask (default: $SYNAP_BASE_URL, else production)\n"
            "  --json          one JSON object per line instead of text\n"
            "  The API key is read from $SYNAP_API_KEY.\n");
}

/* Unix microseconds as RFC 3339 UTC with microseconds: 2025-01-15T10:30:00.412000Z */
static void format_time(int64_t us, char *out, size_t size) {
    int64_t secs = us / 1000000;
    int64_t frac = us % 1000000;
    if (frac < 0) {
        frac += 1000000;
        secs -= 1;
    }
    time_t t = (time_t)secs;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL) {
        snprintf(out, size, "%" PRId64 "us", us);
        return;
    }
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%06" PRId64 "Z", date, frac);
}

static void json_string(FILE *to, const char *s) {
    if (s == NULL) {
        fputs("null", to);
        return;
    }
    fputc('"', to);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", to); break;
        case '\\': fputs("\\\\", to); break;
        case '\n': fputs("\\n", to); break;
        case '\r': fputs("\\r", to); break;
        case '\t': fputs("\\t", to); break;
        default:
            if (c < 0x20) {
                fprintf(to, "\\u%04x", c);
            } else {
                fputc(c, to);
            }
        }
    }
    fputc('"', to);
}

/* A timestamp as a JSON string, or null when absent. */
static void json_time(FILE *to, bool present, int64_t us) {
    char buf[64];
    if (!present) {
        fputs("null", to);
        return;
    }
    format_time(us, buf, sizeof buf);
    json_string(to, buf);
}

static void print_json(const SynapMemoryStatus *s) {
    int64_t started = 0, completed = 0;
    bool has_started = synap_status_started_at_us(s, &started);
    bool has_completed = synap_status_completed_at_us(s, &completed);
    size_t n = synap_status_memory_id_count(s);

    fputs("{\"ingestion_id\":", stdout);
    json_string(stdout, synap_status_ingestion_id(s));
    fputs(",\"document_id\":", stdout);
    json_string(stdout, synap_status_document_id(s));
    fputs(",\"status\":", stdout);
    json_string(stdout, synap_status_state_name(s));
    fputs(",\"queued_at\":", stdout);
    json_time(stdout, true, synap_status_queued_at_us(s));
    fputs(",\"started_at\":", stdout);
    json_time(stdout, has_started, started);
    fputs(",\"completed_at\":", stdout);
    json_time(stdout, has_completed, completed);
    printf(",\"memories_created\":%" PRIu64 ",\"memory_ids\":[", synap_status_memories_created(s));
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            fputc(',', stdout);
        }
        json_string(stdout, synap_status_memory_id(s, i));
    }
    fputs("],\"error_message\":", stdout);
    json_string(stdout, synap_status_error_message(s));
    fputs("}\n", stdout);
}

static void print_text(const SynapMemoryStatus *s) {
    char buf[64];
    int64_t us = 0;
    size_t n = synap_status_memory_id_count(s);
    const char *error = synap_status_error_message(s);

    printf("%s\n", synap_status_ingestion_id(s));
    printf("  document:     %s\n", synap_status_document_id(s));
    printf("  status:       %s%s\n", synap_status_state_name(s),
           synap_status_is_terminal(s) ? " (final)" : "");
    format_time(synap_status_queued_at_us(s), buf, sizeof buf);
    printf("  queued at:    %s\n", buf);
    if (synap_status_started_at_us(s, &us)) {
        format_time(us, buf, sizeof buf);
        printf("  started at:   %s\n", buf);
    } else {
        printf("  started at:   -\n");
    }
    if (synap_status_completed_at_us(s, &us)) {
        format_time(us, buf, sizeof buf);
        printf("  completed at: %s\n", buf);
    } else {
        printf("  completed at: -\n");
    }
    printf("  memories:     %" PRIu64 "\n", synap_status_memories_created(s));
    for (size_t i = 0; i < n; i++) {
        printf("    %s\n", synap_status_memory_id(s, i));
    }
    if (error != NULL) {
        printf("  error:        %s\n", error);
    }
}

/* Reports the calling thread's last error for `what` on stderr. */
static void report(const char *what, SynapCode code) {
    const char *message = synap_last_error_message();
    const char *correlation = synap_last_error_correlation_id();
    fprintf(stderr, "synap-status: %s: %s: %s", what, synap_code_name((int)code),
            message ? message : "(no message)");
    if (correlation != NULL) {
        fprintf(stderr, " (correlation id %s)", correlation);
    }
    fputc('\n', stderr);
}

int main(int argc, char **argv) {
    const char *base_url = NULL;
    bool json = false;
    int first_id = argc;
    int exit_code = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--base-url") == 0) {
            if (++i == argc) {
                fprintf(stderr, "synap-status: --base-url needs a URL\n");
                usage(stderr);
                return EXIT_USAGE;
            }
            base_url = argv[i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--") == 0) {
            first_id = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "synap-status: unknown option %s\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        } else {
            first_id = i;
            break;
        }
    }
    if (first_id >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }

    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    SynapCode code = options ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK && base_url != NULL) {
        code = synap_options_set_base_url(options, base_url);
    }
    if (code == SYNAP_OK) {
        code = synap_client_new(NULL, options, &client);
    }
    synap_options_free(options);
    if (code != SYNAP_OK) {
        report("cannot create a client", code);
        return (int)code;
    }

    for (int i = first_id; i < argc; i++) {
        SynapMemoryStatus *status = NULL;
        code = synap_memories_status(client, argv[i], &status);
        if (code == SYNAP_OK) {
            if (json) {
                print_json(status);
            } else {
                print_text(status);
            }
        } else {
            report(argv[i], code);
            if (exit_code == 0) {
                exit_code = (int)code;
            }
        }
        synap_status_free(status);
    }
    synap_client_free(client);
    return exit_code;
}
