/*
 * synap-status: print the status of Synap ingestion jobs.
 *
 *   synap-status [--base-url URL] [--json] [--wait [--timeout S] [--interval S]]
 *                [--ca-file FILE] [--system-roots] [--verbose] ID...
 *
 * The API key is read from SYNAP_API_KEY (never from the command line,
 * where other users could see it in the process list); the base URL from
 * --base-url, else SYNAP_BASE_URL, else the production service.
 *
 * Prints each job's fields, human-readable or as one JSON object per line.
 * With --wait it first waits for each job to finish, showing a live
 * progress line on a terminal (plain lines otherwise); Ctrl-C cancels the
 * wait cleanly through a SynapCancel handle.
 * A job that cannot be read is reported on stderr with its error code,
 * message and correlation id, and the others are still printed. Exit
 * status: 0 if every job was read, else the SynapCode of the first failure
 * (1-14), or 64 for a usage error.
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

static void usage(FILE *to) {
    fprintf(to,
            "usage: synap-status [options] ID...\n"
            "  Prints the status of each Synap ingestion job ID.\n"
            "  --base-url URL   service to ask (default: $SYNAP_BASE_URL, else production)\n"
            "  --json           one JSON object per line instead of text\n"
            "  --wait           wait for each job to finish first (Ctrl-C cancels)\n"
            "  --timeout S      give up waiting after S seconds (default 300)\n"
            "  --interval S     seconds between polls while waiting (default 2)\n"
            "  --ca-file FILE   trust the CAs in this PEM file instead of the bundled roots\n"
            "  --system-roots   trust the system's root certificates instead\n"
            "  --verbose        log retries and warnings to stderr\n"
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

/* Live progress while waiting: one rewritten line on a terminal, else a
 * plain line per change of state. */
struct progress {
    FILE *to;
    int live;
    const char *id;
    struct timespec started;
    SynapIngestState last;
    int polls;
};

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static bool on_progress(const SynapWaitProgress *progress, void *user_data) {
    struct progress *p = user_data;
    const SynapMemoryStatus *status = synap_wait_progress_status(progress);
    SynapIngestState state = synap_status_state(status);
    double elapsed = seconds_since(&p->started);
    if (p->live) {
        fprintf(p->to, "\r\033[K%s: %s (%.1f s, %" PRIu64 " memories)", p->id, synap_status_state_name(status),
                elapsed, synap_status_memories_created(status));
        if (synap_status_is_terminal(status)) {
            fputc('\n', p->to);
        }
    } else if (p->polls == 0 || state != p->last) {
        fprintf(p->to, "%s: %s after %.1f s\n", p->id, synap_status_state_name(status), elapsed);
    }
    fflush(p->to);
    p->last = state;
    p->polls++;
    return true;
}

static void log_to_stderr(SynapLogLevel level, const char *message, void *user_data) {
    (void)user_data;
    fprintf(stderr, "synap-status: [%s] %s\n", level == SYNAP_LOG_WARN ? "warn" : "info", message);
}

/* Ctrl-C while waiting: a thread turns SIGINT into a cancel, since
 * synap_cancel_trigger() may not be called from a signal handler. SIGUSR1
 * ends the thread when the program is done. */
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

static int parse_seconds(const char *text, uint32_t *ms) {
    char *end = NULL;
    double s = strtod(text, &end);
    if (end == text || *end != '\0' || !(s > 0.0) || s > 4000000.0) {
        return 0;
    }
    *ms = (uint32_t)(s * 1000.0 + 0.5);
    return *ms > 0;
}

int main(int argc, char **argv) {
    const char *base_url = NULL;
    const char *ca_file = NULL;
    bool json = false, wait = false, system_roots = false, verbose = false;
    uint32_t timeout_ms = 300000, interval_ms = 2000;
    int first_id = argc;
    int exit_code = 0;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int takes_value = strcmp(arg, "--base-url") == 0 || strcmp(arg, "--timeout") == 0 ||
                          strcmp(arg, "--interval") == 0 || strcmp(arg, "--ca-file") == 0;
        if (takes_value && ++i == argc) {
            fprintf(stderr, "synap-status: %s needs a value\n", arg);
            usage(stderr);
            return EXIT_USAGE;
        }
        if (strcmp(arg, "--json") == 0) {
            json = true;
        } else if (strcmp(arg, "--wait") == 0) {
            wait = true;
        } else if (strcmp(arg, "--system-roots") == 0) {
            system_roots = true;
        } else if (strcmp(arg, "--verbose") == 0) {
            verbose = true;
        } else if (strcmp(arg, "--base-url") == 0) {
            base_url = argv[i];
        } else if (strcmp(arg, "--ca-file") == 0) {
            ca_file = argv[i];
        } else if (strcmp(arg, "--timeout") == 0 || strcmp(arg, "--interval") == 0) {
            if (!parse_seconds(argv[i], strcmp(arg, "--timeout") == 0 ? &timeout_ms : &interval_ms)) {
                fprintf(stderr, "synap-status: %s needs a positive number of seconds, not \"%s\"\n", arg, argv[i]);
                return EXIT_USAGE;
            }
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

    if (verbose) {
        synap_set_log_callback(SYNAP_LOG_INFO, log_to_stderr, NULL);
    }
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    SynapCode code = options ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK && base_url != NULL) {
        code = synap_options_set_base_url(options, base_url);
    }
    if (code == SYNAP_OK && ca_file != NULL) {
        code = synap_options_set_ca_file(options, ca_file);
    }
    if (code == SYNAP_OK && system_roots) {
        code = synap_options_set_system_roots(options, true);
    }
    if (code == SYNAP_OK) {
        code = synap_client_new(NULL, options, &client);
    }
    synap_options_free(options);
    if (code != SYNAP_OK) {
        report("cannot create a client", code);
        return (int)code;
    }

    SynapCancel *cancel = NULL;
    SynapWaitOptions *how = NULL;
    pthread_t watcher;
    int watching = 0;
    if (wait) {
        /* Block the signals in every thread; the watcher takes them. */
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGUSR1);
        pthread_sigmask(SIG_BLOCK, &set, NULL);
        cancel = synap_cancel_new();
        watching = cancel != NULL && pthread_create(&watcher, NULL, watch_signals, cancel) == 0;
        how = synap_wait_options_new();
        code = how ? SYNAP_OK : SYNAP_INTERNAL;
        if (code == SYNAP_OK) {
            code = synap_wait_options_set_timeout_ms(how, timeout_ms);
        }
        if (code == SYNAP_OK) {
            code = synap_wait_options_set_poll_interval_ms(how, interval_ms);
        }
        if (code == SYNAP_OK) {
            code = synap_wait_options_set_cancel(how, cancel);
        }
        if (code != SYNAP_OK) {
            report("cannot wait", code);
            exit_code = (int)code;
            first_id = argc;
        }
    }

    for (int i = first_id; i < argc; i++) {
        SynapMemoryStatus *status = NULL;
        if (wait) {
            struct progress p = {json ? stderr : stdout, 0, argv[i], {0, 0}, SYNAP_INGEST_UNKNOWN, 0};
            p.live = isatty(fileno(p.to));
            clock_gettime(CLOCK_MONOTONIC, &p.started);
            code = synap_wait_options_set_progress(how, on_progress, &p);
            if (code == SYNAP_OK) {
                code = synap_memories_wait(client, argv[i], how, &status);
            }
            if (p.live && code != SYNAP_OK && p.polls > 0) {
                fputc('\n', p.to);
            }
        } else {
            code = synap_memories_status(client, argv[i], &status);
        }
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
        if (code == SYNAP_CANCELLED) {
            break; /* Ctrl-C stops the whole run, not just one job */
        }
    }
    if (watching) {
        pthread_kill(watcher, SIGUSR1);
        pthread_join(watcher, NULL);
    }
    synap_wait_options_free(how);
    synap_cancel_free(cancel);
    synap_client_free(client);
    return exit_code;
}
