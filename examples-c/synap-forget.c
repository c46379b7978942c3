/*
 * synap-forget: the privacy request from the command line. Forgets a
 * user's memories by description, deletes one memory, or deletes all of a
 * user's data and shows that it is gone.
 *
 *   synap-forget [--base-url URL] --user U [--customer C] --describe TEXT [--direct]
 *   synap-forget [--base-url URL] --memory ID
 *   synap-forget [--base-url URL] --user U [--customer C] --wait [--dry-run]
 *                [--query Q]... [--timeout S] [--interval S]
 *
 * --describe finds the user's memories that match TEXT: it previews them
 * (filed for a person to approve, nothing deleted), or with --direct
 * deletes them, and prints the outcome and the memories matched. A partial
 * outcome (hidden, but a store may still hold the text) is shown as
 * PARTIAL, with the stores named.
 *
 * --memory deletes one memory by its id.
 *
 * --wait deletes everything stored about the user (memories,
 * conversations, profile), confirmed with the user's id, and waits for the
 * deletion to end with a progress line on stderr. It prints what was
 * removed and where data is still present, and says plainly whether the
 * deletion is complete or PARTIAL. Then it asks Synap for the user's
 * memories (a context fetch with the queries given, else a general one)
 * and proves that nothing comes back. --dry-run only counts what would be
 * deleted.
 *
 * The API key is read from SYNAP_API_KEY, the base URL from --base-url,
 * else SYNAP_BASE_URL, else the production service.
 *
 * Errors go to stderr with their code, message and correlation id. Exit
 * status: 0 when done; the SynapCode of a failure (1-15); 64 for a usage
 * error; 65 when the service reports a partial result (or one this
 * program does not know); 66 when memories still come back after the
 * deletion.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "synap.h"

#define EXIT_USAGE 64
#define EXIT_PARTIAL 65
#define EXIT_STILL_FOUND 66
/* What the proving fetch asks when no --query is given. */
#define DEFAULT_QUERY "what do you remember about this user?"

/* The command line. */
typedef struct {
    const char *base_url, *user, *customer, *describe, *memory;
    const char **queries;
    size_t query_count;
    bool direct, wait, dry_run;
    uint32_t timeout_ms, interval_ms;
} Args;

static int parse_args(int argc, char **argv, Args *args);
static int open_client(const Args *args, SynapClient **client);
static int forget(const SynapClient *client, const Args *args);
static int delete_memory(const SynapClient *client, const char *id);
static int delete_user(const SynapClient *client, const Args *args);
static int prove_gone(const SynapClient *client, const Args *args);

int main(int argc, char **argv) {
    Args args = {NULL, NULL, NULL, NULL, NULL, NULL, 0, false, false, false, 300000, 1000};
    SynapClient *client = NULL;
    int status = parse_args(argc, argv, &args);
    if (status < 0) {
        status = 0; /* --help */
    } else if (status == 0) {
        status = open_client(&args, &client);
    }
    if (client != NULL) {
        status = args.describe != NULL ? forget(client, &args)
                 : args.memory != NULL ? delete_memory(client, args.memory)
                                       : delete_user(client, &args);
    }
    synap_client_free(client);
    free(args.queries);
    return status;
}

static void usage(FILE *to) {
    fprintf(to,
            "usage: synap-forget [options] --user U [--customer C] --describe TEXT [--direct]\n"
            "       synap-forget [options] --memory ID\n"
            "       synap-forget [options] --user U [--customer C] --wait [--dry-run] [--query Q]...\n"
            "  Forgets memories by description, deletes one memory, or deletes all of a user's data.\n"
            "  --base-url URL    service to use (default: $SYNAP_BASE_URL, else production)\n"
            "  --user U          the end user\n"
            "  --customer C      the user's customer (organisation), on a B2B instance\n"
            "  --describe TEXT   forget the user's memories that match TEXT (3 to 500 characters):\n"
            "                    preview them (filed for approval, nothing deleted) unless --direct\n"
            "  --direct          delete the matches at once\n"
            "  --memory ID       delete one memory\n"
            "  --wait            delete everything stored about the user, wait for the deletion to\n"
            "                    end, then check that a context fetch for the user finds nothing\n"
            "  --dry-run         with --wait: only count what would be deleted\n"
            "  --query Q         with --wait: what the checking fetch asks; repeatable\n"
            "                    (default: \"" DEFAULT_QUERY "\")\n"
            "  --timeout S       give up waiting after S seconds (default 300)\n"
            "  --interval S      seconds between polls (default 1)\n"
            "  The API key is read from $SYNAP_API_KEY.\n"
            "  Exit status: 0 done; 1-15 the SynapCode of a failure; 64 usage; 65 the service\n"
            "  reports a partial result; 66 memories still come back after the deletion.\n");
}

/* Reports the calling thread's last error for `what` on stderr; returns the
 * code, which is the exit status. */
static int report(const char *what, SynapCode code) {
    const char *message = synap_last_error_message();
    const char *correlation = synap_last_error_correlation_id();
    fprintf(stderr, "synap-forget: %s: %s: %s", what, synap_code_name((int)code),
            message ? message : "(no message)");
    if (correlation != NULL) {
        fprintf(stderr, " (correlation id %s)", correlation);
    }
    fputc('\n', stderr);
    return (int)code;
}

static int misuse(const char *why, const char *arg) {
    fprintf(stderr, "synap-forget: %s%s\n", why, arg);
    usage(stderr);
    return EXIT_USAGE;
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

static const char *or_none(const char *s) {
    return s != NULL ? s : "(none)";
}

/* Which options go with which mode; returns NULL when they fit. */
static const char *mode_misuse(const Args *args, bool timing) {
    int modes = (args->describe != NULL) + (args->memory != NULL) + args->wait;
    if (modes != 1) {
        return modes == 0 ? "name --describe TEXT, --memory ID or --wait" : "name one of --describe, --memory, --wait";
    }
    if (args->memory != NULL && (args->user != NULL || args->customer != NULL)) {
        return "--memory takes no --user or --customer";
    }
    if (args->memory == NULL && args->user == NULL) {
        return "--user is required";
    }
    if (args->direct && args->describe == NULL) {
        return "--direct goes with --describe";
    }
    if (!args->wait && (args->dry_run || args->query_count > 0 || timing)) {
        return "--dry-run, --query, --timeout and --interval go with --wait";
    }
    return NULL;
}

/* Reads the arguments; returns 0, -1 after --help, or EXIT_USAGE. */
static int parse_args(int argc, char **argv, Args *args) {
    static const char *const names[] = {"--base-url", "--user", "--customer", "--describe", "--memory"};
    const char **slots[] = {&args->base_url, &args->user, &args->customer, &args->describe, &args->memory};
    const size_t count = sizeof names / sizeof names[0];
    bool timing = false;
    args->queries = calloc((size_t)argc, sizeof *args->queries);
    if (args->queries == NULL) {
        fputs("synap-forget: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return -1;
        }
        bool *flag = strcmp(arg, "--direct") == 0    ? &args->direct
                     : strcmp(arg, "--wait") == 0    ? &args->wait
                     : strcmp(arg, "--dry-run") == 0 ? &args->dry_run
                                                     : NULL;
        if (flag != NULL) {
            *flag = true;
            continue;
        }
        size_t k = 0;
        while (k < count && strcmp(arg, names[k]) != 0) {
            k++;
        }
        bool query = strcmp(arg, "--query") == 0;
        bool timeout = strcmp(arg, "--timeout") == 0, interval = strcmp(arg, "--interval") == 0;
        if (k == count && !query && !timeout && !interval) {
            return misuse("unknown argument ", arg);
        }
        if (i + 1 == argc) {
            return misuse("a value is missing after ", arg);
        }
        const char *value = argv[++i];
        if (query) {
            args->queries[args->query_count++] = value;
        } else if (timeout || interval) {
            if (!seconds(value, timeout ? &args->timeout_ms : &args->interval_ms)) {
                return misuse("a positive number of seconds is needed after ", arg);
            }
            timing = true;
        } else {
            *slots[k] = value;
        }
    }
    const char *why = mode_misuse(args, timing);
    return why == NULL ? 0 : misuse(why, "");
}

static int open_client(const Args *args, SynapClient **client) {
    SynapOptions *options = synap_options_new();
    SynapCode code = options ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK && args->base_url != NULL) {
        code = synap_options_set_base_url(options, args->base_url);
    }
    if (code == SYNAP_OK) {
        code = synap_client_new(NULL, options, client);
    }
    synap_options_free(options);
    return code == SYNAP_OK ? 0 : report("cannot create a client", code);
}

/* Unix microseconds as RFC 3339 UTC: 2025-01-15T10:30:00Z */
static void format_time(int64_t us, char *out, size_t size) {
    time_t t = (time_t)(us / 1000000 - (us % 1000000 < 0));
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        snprintf(out, size, "%" PRId64 "us", us);
    }
}

/* --- forget by description --- */

static void print_candidates(const SynapForgetResult *result) {
    for (size_t i = 0; i < synap_forget_result_candidate_count(result); i++) {
        const char *type = synap_forget_result_candidate_memory_type(result, i);
        printf("  - [%s] %s  (memory %s, store %s)\n", type ? type : "?",
               or_none(synap_forget_result_candidate_content(result, i)),
               or_none(synap_forget_result_candidate_memory_id(result, i)),
               or_none(synap_forget_result_candidate_store(result, i)));
    }
    for (size_t i = 0; i < synap_forget_result_failed_count(result); i++) {
        printf("  not deleted: %s\n", or_none(synap_forget_result_failed_id(result, i)));
    }
    if (synap_forget_result_may_be_incomplete(result)) {
        puts("note: the service says its matching may have missed some memories");
    }
}

/* Prints the outcome first, in words; returns the exit status it makes. */
static int print_forget(const SynapForgetResult *result, const char *user) {
    size_t matched = synap_forget_result_candidate_count(result);
    size_t deleted = synap_forget_result_deleted_count(result);
    int status = 0;
    switch (synap_forget_result_outcome(result)) {
    case SYNAP_FORGET_NOTHING_MATCHES:
        printf("nothing matches: no memory of %s fits the description; nothing changed\n", user);
        break;
    case SYNAP_FORGET_PREVIEW:
        printf("preview: %zu memor%s match, filed as request %s for approval; nothing deleted\n", matched,
               matched == 1 ? "y" : "ies", or_none(synap_forget_result_request_id(result)));
        break;
    case SYNAP_FORGET_DELETED:
        printf("deleted: %zu of %zu matching memor%s\n", deleted, matched, matched == 1 ? "y" : "ies");
        break;
    case SYNAP_FORGET_PARTIAL:
        printf("PARTIAL: %zu of %zu matching memor%s hidden, but still present in:", deleted, matched,
               matched == 1 ? "y" : "ies");
        for (size_t i = 0; i < synap_forget_result_still_present_count(result); i++) {
            printf("%s %s", i == 0 ? "" : ",", synap_forget_result_still_present_in(result, i));
        }
        putchar('\n');
        status = EXIT_PARTIAL;
        break;
    default:
        printf("unknown outcome \"%s\": read it as not done\n", or_none(synap_forget_result_status(result)));
        status = EXIT_PARTIAL;
    }
    print_candidates(result);
    return status;
}

static int forget(const SynapClient *client, const Args *args) {
    SynapForgetRequest *request = synap_forget_request_new();
    SynapForgetResult *result = NULL;
    SynapCode code = request ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK) {
        code = synap_forget_request_set_description(request, args->describe);
    }
    if (code == SYNAP_OK) {
        code = synap_forget_request_set_user_id(request, args->user);
    }
    if (code == SYNAP_OK && args->customer != NULL) {
        code = synap_forget_request_set_customer_id(request, args->customer);
    }
    if (code == SYNAP_OK && args->direct) {
        code = synap_forget_request_set_mode(request, "direct");
    }
    if (code == SYNAP_OK) {
        code = synap_memories_forget(client, request, &result);
    }
    synap_forget_request_free(request);
    int status = code == SYNAP_OK ? print_forget(result, args->user) : report("forget", code);
    synap_forget_result_free(result);
    return status;
}

/* --- one memory --- */

static int delete_memory(const SynapClient *client, const char *id) {
    SynapDeletedMemory *deleted = NULL;
    SynapCode code = synap_memories_delete(client, id, &deleted);
    if (code != SYNAP_OK) {
        return report(id, code);
    }
    int64_t at = 0;
    char when[64] = "an unknown time";
    if (synap_deleted_memory_deleted_at_us(deleted, &at)) {
        format_time(at, when, sizeof when);
    }
    const char *deleted_id = synap_deleted_memory_id(deleted);
    printf("deleted memory %s at %s\n", deleted_id ? deleted_id : id, when);
    synap_deleted_memory_free(deleted);
    return 0;
}

/* --- all of a user's data --- */

/* The progress line: live on a terminal, else a line per change of state. */
typedef struct {
    const char *user;
    bool live;
    struct timespec started;
    char last[32];
} Progress;

static void show_progress(Progress *p, const SynapDataDeletion *deletion) {
    const char *status = synap_data_deletion_status_text(deletion);
    SynapDeletionState state = synap_data_deletion_state(deletion);
    bool running = state == SYNAP_DELETION_IN_PROGRESS || state == SYNAP_DELETION_UNKNOWN;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - p->started.tv_sec) + (double)(now.tv_nsec - p->started.tv_nsec) / 1e9;
    status = status ? status : "unknown";
    if (p->live) {
        fprintf(stderr, "\r\033[Kdeleting %s: %s%s (%.1f s)%s", p->user, status, running ? " ..." : "", elapsed,
                running ? "" : "\n");
    } else if (strcmp(p->last, status) != 0) {
        fprintf(stderr, "deleting %s: %s%s (%.1f s)\n", p->user, status, running ? " ..." : "", elapsed);
    }
    snprintf(p->last, sizeof p->last, "%s", status);
}

static bool on_progress(const SynapWaitProgress *progress, void *user_data) {
    show_progress(user_data, synap_wait_progress_deletion(progress));
    return true;
}

/* Waits for deletion `id` to end; the final record, or NULL after an error. */
static SynapDataDeletion *wait_for(const SynapClient *client, const Args *args, const char *id, Progress *p,
                                   int *status) {
    SynapWaitOptions *how = synap_wait_options_new();
    SynapDataDeletion *done = NULL;
    SynapCode code = how ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK) {
        code = synap_wait_options_set_timeout_ms(how, args->timeout_ms);
    }
    if (code == SYNAP_OK) {
        code = synap_wait_options_set_poll_interval_ms(how, args->interval_ms);
    }
    if (code == SYNAP_OK) {
        code = synap_wait_options_set_progress(how, on_progress, p);
    }
    if (code == SYNAP_OK) {
        code = synap_data_deletion_wait(client, id, how, &done);
    }
    synap_wait_options_free(how);
    if (code != SYNAP_OK) {
        if (p->live) {
            fputc('\n', stderr);
        }
        *status = report(id, code);
    }
    return done;
}

static void print_counts(const SynapDataDeletion *deletion, const char *verb) {
    for (size_t i = 0; i < synap_data_deletion_count_count(deletion); i++) {
        int64_t n = 0;
        const char *store = synap_data_deletion_count_store(deletion, i);
        if (synap_data_deletion_count_value(deletion, i, &n)) {
            printf("  %s %s: %" PRId64 "\n", verb, store ? store : "?", n);
        }
    }
    size_t still = synap_data_deletion_still_present_count(deletion);
    if (still > 0) {
        fputs("  still present in:", stdout);
        for (size_t i = 0; i < still; i++) {
            printf("%s %s", i == 0 ? "" : ",", synap_data_deletion_still_present_in(deletion, i));
        }
        putchar('\n');
    }
    for (size_t i = 0; i < synap_data_deletion_kept_count(deletion); i++) {
        printf("  kept on purpose: %s\n", synap_data_deletion_kept(deletion, i));
    }
    if (synap_data_deletion_note(deletion) != NULL) {
        printf("  note: %s\n", synap_data_deletion_note(deletion));
    }
}

/* Prints where the deletion ended, plainly first; returns the exit status
 * it makes. */
static int print_deletion(const SynapDataDeletion *deletion, const char *user) {
    const char *id = or_none(synap_data_deletion_id(deletion));
    switch (synap_data_deletion_state(deletion)) {
    case SYNAP_DELETION_COMPLETE:
        printf("complete: deletion %s of %s%s\n", id, user,
               synap_data_deletion_fully_removed(deletion) ? ", fully removed from every store"
                                                           : " (the service does not vouch for every store)");
        print_counts(deletion, "removed");
        return 0;
    case SYNAP_DELETION_PARTIAL:
        printf("PARTIAL: deletion %s of %s ended, but some data is still present\n", id, user);
        print_counts(deletion, "removed");
        return EXIT_PARTIAL;
    case SYNAP_DELETION_DRY_RUN:
        printf("dry run: nothing deleted; deleting %s would remove:\n", user);
        print_counts(deletion, "would remove");
        return 0;
    default:
        printf("not done: deletion %s of %s is %s\n", id, user, or_none(synap_data_deletion_status_text(deletion)));
        return EXIT_PARTIAL;
    }
}

static int delete_user(const SynapClient *client, const Args *args) {
    SynapDataDeleteRequest *request = NULL;
    SynapDataDeletion *started = NULL, *done = NULL;
    SynapCode code = synap_data_delete_request_new(SYNAP_DELETE_USER, args->user, &request);
    if (code == SYNAP_OK && args->customer != NULL) {
        code = synap_data_delete_request_set_customer_id(request, args->customer);
    }
    /* The service requires the id named twice: once as the target, once as
     * the confirmation. A dry run needs none. */
    if (code == SYNAP_OK && args->dry_run) {
        code = synap_data_delete_request_set_dry_run(request, true);
    } else if (code == SYNAP_OK) {
        code = synap_data_delete_request_set_confirm(request, args->user);
    }
    Progress progress = {args->user, isatty(fileno(stderr)) == 1, {0, 0}, ""};
    clock_gettime(CLOCK_MONOTONIC, &progress.started);
    if (code == SYNAP_OK) {
        code = synap_data_delete(client, request, &started);
    }
    synap_data_delete_request_free(request);
    if (code != SYNAP_OK) {
        return report("data deletion", code);
    }

    int status = 0;
    if (!args->dry_run) {
        show_progress(&progress, started);
    }
    const SynapDataDeletion *last = started;
    if (synap_data_deletion_state(started) == SYNAP_DELETION_IN_PROGRESS) {
        const char *id = synap_data_deletion_id(started);
        if (id == NULL) {
            fputs("synap-forget: the deletion is in progress but has no id to follow\n", stderr);
            status = SYNAP_PROTOCOL;
        } else {
            done = wait_for(client, args, id, &progress, &status);
            last = done;
        }
    }
    if (status == 0) {
        status = print_deletion(last, args->user);
        /* A dry run deleted nothing: there is nothing to prove. */
        int proof = args->dry_run ? 0 : prove_gone(client, args);
        status = proof != 0 ? proof : status;
    }
    synap_data_deletion_free(done);
    synap_data_deletion_free(started);
    return status;
}

/* --- the proof --- */

/* Every list a fetch may return memories in, typed lists and excerpts. */
static const int LISTS[] = {SYNAP_LIST_FACTS,    SYNAP_LIST_PREFERENCES,     SYNAP_LIST_EPISODES,
                            SYNAP_LIST_EMOTIONS, SYNAP_LIST_TEMPORAL_EVENTS, SYNAP_LIST_EXCERPTS};

static size_t count_found(const SynapContext *context) {
    size_t found = 0;
    for (size_t l = 0; l < sizeof LISTS / sizeof LISTS[0]; l++) {
        found += synap_context_count(context, LISTS[l]);
    }
    return found;
}

static void print_found(const SynapContext *context) {
    for (size_t l = 0; l < sizeof LISTS / sizeof LISTS[0]; l++) {
        for (size_t i = 0; i < synap_context_count(context, LISTS[l]); i++) {
            const SynapContextItem *item = synap_context_item(context, LISTS[l], i);
            const char *kind = synap_context_item_kind(item);
            printf("  - [%s] %s\n", kind ? kind : "?", or_none(synap_context_item_text(item)));
        }
    }
}

/* Asks for the user's memories after the deletion: nothing may come back. */
static int prove_gone(const SynapClient *client, const Args *args) {
    SynapContextRequest *request = synap_context_request_new(SYNAP_SCOPE_USER);
    SynapContext *context = NULL;
    SynapCode code = request ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK) {
        code = synap_context_request_set_user_id(request, args->user);
    }
    if (code == SYNAP_OK && args->customer != NULL) {
        code = synap_context_request_set_customer_id(request, args->customer);
    }
    for (size_t i = 0; code == SYNAP_OK && i < args->query_count; i++) {
        code = synap_context_request_add_query(request, args->queries[i]);
    }
    if (code == SYNAP_OK && args->query_count == 0) {
        code = synap_context_request_add_query(request, DEFAULT_QUERY);
    }
    if (code == SYNAP_OK) {
        code = synap_context_fetch(client, request, &context);
    }
    synap_context_request_free(request);
    if (code != SYNAP_OK) {
        return report("the context fetch after the deletion", code);
    }
    printf("context fetch for %s, \"%s\"%s:", args->user, args->query_count > 0 ? args->queries[0] : DEFAULT_QUERY,
           args->query_count > 1 ? " and more" : "");
    size_t n = count_found(context);
    if (n == 0) {
        puts(" nothing comes back");
    } else {
        printf(" %zu memor%s still come%s back:\n", n, n == 1 ? "y" : "ies", n == 1 ? "s" : "");
        print_found(context);
    }
    synap_context_free(context);
    return n == 0 ? 0 : EXIT_STILL_FOUND;
}
