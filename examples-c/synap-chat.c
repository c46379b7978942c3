/*
 * synap-chat: the memory side of a chat agent. Records each turn of a
 * conversation in Synap and, after each user turn, prints the context the
 * next model call would start from.
 *
 *   synap-chat [--base-url URL] --conversation ID --user U [--customer C]
 *              [--compact-every N] [--style S]
 *
 * Reads the turns from standard input, one per line: "user: text" or
 * "assistant: text" (the role in any case; blank lines are skipped). Each
 * turn is recorded in conversation ID (a UUID) for user U, of customer C
 * on a B2B instance. After a user turn it prints the conversation's
 * prompt context in style S (structured, narrative or bullet_points): the
 * compacted history plus every message after the cut-off. With
 * --compact-every N it starts a compaction after every N turns and waits
 * for it to complete before reading on.
 *
 * The API key is read from SYNAP_API_KEY, the base URL from --base-url,
 * else SYNAP_BASE_URL, else the production service.
 *
 * Errors go to stderr with their code, message and correlation id. Exit
 * status: 0 on success, else the SynapCode of the failure (1-14), 64 for a
 * usage error, 65 for a line that is not a turn (named by its number), 74
 * if standard input cannot be read.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "synap.h"

#define EXIT_USAGE 64
#define EXIT_BAD_LINE 65
#define EXIT_IO 74
/* How long to wait for a compaction, and the longest pause between polls. */
#define COMPACTION_WAIT_MS 300000L
#define MAX_POLL_MS 2000L

/* The command line. */
typedef struct {
    const char *base_url, *conversation, *user, *customer, *compact_every, *style;
} Args;

/* What the agent loop works with: the client, one message request whose
 * conversation and user are set once (its role and text change each turn),
 * how prompts are asked for, and how often to compact. */
typedef struct {
    SynapClient *client;
    SynapMessageRequest *message;
    SynapPromptOptions *prompt;
    const char *conversation;
    unsigned long compact_every;
    unsigned long turns;
} Chat;

/* One line of input: who spoke and what was said. */
typedef struct {
    const char *role;
    const char *text;
} Turn;

static int parse_args(int argc, char **argv, Args *args);
static int open_chat(const Args *args, Chat *chat);
static void close_chat(Chat *chat);
static int is_blank(const char *line);
static int parse_turn(char *line, Turn *turn);
static int bad_line(unsigned long number);
static int record(Chat *chat, const Turn *turn);
static int print_prompt(const Chat *chat);
static int compaction_due(const Chat *chat);
static int compact_and_wait(const Chat *chat);

int main(int argc, char **argv) {
    Args args = {NULL, NULL, NULL, NULL, NULL, NULL};
    Chat chat = {NULL, NULL, NULL, NULL, 0, 0};
    int status = parse_args(argc, argv, &args);
    if (status < 0) {
        return 0; /* --help */
    }
    if (status == 0) {
        status = open_chat(&args, &chat);
    }

    /* The agent loop: record each turn as it comes; after a user turn, print
     * the context the next model call starts from (an agent would send it to
     * its model here, and record the reply as the next turn); every N turns,
     * compact the conversation and wait for it. */
    char *line = NULL;
    size_t size = 0;
    unsigned long line_number = 0;
    while (status == 0 && getline(&line, &size, stdin) != -1) {
        Turn turn = {NULL, NULL};
        line_number++;
        if (is_blank(line)) continue;
        if (!parse_turn(line, &turn)) status = bad_line(line_number);
        if (status == 0) status = record(&chat, &turn);
        if (status == 0 && strcmp(turn.role, "user") == 0) status = print_prompt(&chat);
        if (status == 0 && compaction_due(&chat)) status = compact_and_wait(&chat);
    }

    if (status == 0 && ferror(stdin)) {
        fprintf(stderr, "synap-chat: cannot read standard input: %s\n", strerror(errno));
        status = EXIT_IO;
    }
    free(line);
    close_chat(&chat);
    return status;
}

static void usage(FILE *to) {
    fprintf(to,
            "usage: synap-chat [options] --conversation ID --user U [--customer C] < TURNS\n"
            "  Records a conversation's turns, read from standard input as \"user: text\" and\n"
            "  \"assistant: text\" lines, and prints the prompt context after each user turn.\n"
            "  --base-url URL      service to use (default: $SYNAP_BASE_URL, else production)\n"
            "  --conversation ID   the conversation (a UUID)\n"
            "  --user U            the end user it belongs to\n"
            "  --customer C        the user's customer (organisation), on a B2B instance\n"
            "  --compact-every N   compact the conversation after every N turns, and wait for it\n"
            "  --style S           prompt style: structured (default), narrative, bullet_points\n"
            "  The API key is read from $SYNAP_API_KEY.\n");
}

/* Reports the calling thread's last error for `what` on stderr; returns the
 * code, which is the exit status. */
static int report(const char *what, SynapCode code) {
    const char *message = synap_last_error_message();
    const char *correlation = synap_last_error_correlation_id();
    fprintf(stderr, "synap-chat: %s: %s: %s", what, synap_code_name((int)code), message ? message : "(no message)");
    if (correlation != NULL) {
        fprintf(stderr, " (correlation id %s)", correlation);
    }
    fputc('\n', stderr);
    return (int)code;
}

static int misuse(const char *why, const char *arg) {
    fprintf(stderr, "synap-chat: %s%s\n", why, arg);
    usage(stderr);
    return EXIT_USAGE;
}

/* Reads the arguments; returns 0, -1 after --help, or EXIT_USAGE. */
static int parse_args(int argc, char **argv, Args *args) {
    static const char *const names[] = {"--base-url", "--conversation", "--user",
                                        "--customer", "--compact-every", "--style"};
    const char **slots[] = {&args->base_url, &args->conversation,  &args->user,
                            &args->customer, &args->compact_every, &args->style};
    const size_t count = sizeof names / sizeof names[0];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return -1;
        }
        size_t k = 0;
        while (k < count && strcmp(argv[i], names[k]) != 0) {
            k++;
        }
        if (k == count) {
            return misuse("unknown argument ", argv[i]);
        }
        if (i + 1 == argc) {
            return misuse("a value is missing after ", argv[i]);
        }
        *slots[k] = argv[++i];
    }
    if (args->conversation == NULL || args->user == NULL) {
        return misuse("--conversation and --user are required", "");
    }
    if (args->compact_every != NULL) {
        const char *every = args->compact_every;
        char *end = NULL;
        errno = 0;
        unsigned long n = strtoul(every, &end, 10);
        if (end == every || *end != '\0' || every[0] == '-' || errno != 0 || n == 0) {
            return misuse("--compact-every needs a whole number of turns, at least 1, not ", every);
        }
    }
    return 0;
}

/* Makes the client, the message request (its conversation, user and
 * customer set once, so a bad id is refused before any turn is read) and
 * the prompt options. Returns 0 or the failure's code. */
static int open_chat(const Args *args, Chat *chat) {
    SynapOptions *options = synap_options_new();
    SynapCode code = options ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK && args->base_url != NULL) {
        code = synap_options_set_base_url(options, args->base_url);
    }
    if (code == SYNAP_OK) {
        code = synap_client_new(NULL, options, &chat->client);
    }
    synap_options_free(options);
    if (code != SYNAP_OK) {
        return report("cannot create a client", code);
    }

    chat->conversation = args->conversation;
    chat->compact_every = args->compact_every ? strtoul(args->compact_every, NULL, 10) : 0;
    chat->message = synap_message_request_new();
    chat->prompt = synap_prompt_options_new();
    code = chat->message && chat->prompt ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK) {
        code = synap_message_request_set_conversation_id(chat->message, args->conversation);
    }
    if (code == SYNAP_OK) {
        code = synap_message_request_set_user_id(chat->message, args->user);
    }
    if (code == SYNAP_OK && args->customer != NULL) {
        code = synap_message_request_set_customer_id(chat->message, args->customer);
    }
    if (code == SYNAP_OK && args->style != NULL) {
        code = synap_prompt_options_set_style(chat->prompt, args->style);
    }
    return code == SYNAP_OK ? 0 : report("bad argument", code);
}

static void close_chat(Chat *chat) {
    synap_prompt_options_free(chat->prompt);
    synap_message_request_free(chat->message);
    synap_client_free(chat->client);
}

static int is_blank(const char *line) {
    while (isspace((unsigned char)*line)) {
        line++;
    }
    return *line == '\0';
}

/* Reads "role: text" in place: the role, user or assistant in any case,
 * before the first colon; the text after it, without the spaces around it.
 * Returns 0 if the line is not a turn. */
static int parse_turn(char *line, Turn *turn) {
    char *colon = strchr(line, ':');
    if (colon == NULL) {
        return 0;
    }
    char *end = colon;
    while (end > line && isspace((unsigned char)end[-1])) {
        end--;
    }
    while (isspace((unsigned char)*line)) {
        line++;
    }
    *end = '\0';
    for (char *c = line; *c; c++) {
        *c = (char)tolower((unsigned char)*c);
    }
    turn->role = strcmp(line, "user") == 0 ? "user" : strcmp(line, "assistant") == 0 ? "assistant" : NULL;

    char *text = colon + 1;
    while (isspace((unsigned char)*text)) {
        text++;
    }
    size_t len = strlen(text);
    while (len > 0 && isspace((unsigned char)text[len - 1])) {
        text[--len] = '\0';
    }
    turn->text = text;
    return turn->role != NULL;
}

static int bad_line(unsigned long number) {
    fprintf(stderr, "synap-chat: line %lu: expected \"user: text\" or \"assistant: text\"\n", number);
    return EXIT_BAD_LINE;
}

/* Records one turn: one request, never repeated after a failure that may
 * have recorded it. */
static int record(Chat *chat, const Turn *turn) {
    SynapRecordedMessage *recorded = NULL;
    SynapCode code = synap_message_request_set_role(chat->message, turn->role);
    if (code == SYNAP_OK) {
        code = synap_message_request_set_content(chat->message, turn->text);
    }
    if (code == SYNAP_OK) {
        code = synap_conversation_record_message(chat->client, chat->message, &recorded);
    }
    synap_recorded_message_free(recorded);
    if (code != SYNAP_OK) {
        char what[64];
        snprintf(what, sizeof what, "recording turn %lu", chat->turns + 1);
        return report(what, code);
    }
    chat->turns++;
    return 0;
}

/* Prints the prompt context: a line with the counts, then the text. */
static int print_prompt(const Chat *chat) {
    SynapPromptContext *prompt = NULL;
    SynapCode code = synap_conversation_prompt_context(chat->client, chat->conversation, chat->prompt, &prompt);
    if (code != SYNAP_OK) {
        return report("reading the prompt context", code);
    }
    const char *text = synap_prompt_context_formatted_context(prompt);
    int64_t total = synap_prompt_context_total_message_count(prompt);
    printf("--- prompt after turn %lu: %" PRId64 " message%s, %" PRId64 " compacted\n", chat->turns, total,
           total == 1 ? "" : "s", synap_prompt_context_compacted_message_count(prompt));
    puts(text != NULL ? text : "(nothing said yet)");
    fflush(stdout);
    synap_prompt_context_free(prompt);
    return 0;
}

static int compaction_due(const Chat *chat) {
    return chat->compact_every > 0 && chat->turns % chat->compact_every == 0;
}

static void sleep_ms(long ms) {
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) == -1 && errno == EINTR) {
    }
}

/* Starts a compaction, then polls its status, 100 ms apart at first and at
 * most MAX_POLL_MS, until it is done: `completed`, or `stale` (done, and
 * messages came after its cut-off). A failed one is a warning: the prompt
 * context is then the uncompacted history, and the chat goes on. */
static int compact_and_wait(const Chat *chat) {
    SynapCompaction *compaction = NULL;
    SynapCode code = synap_conversation_compact(chat->client, chat->conversation, NULL, &compaction);
    if (code != SYNAP_OK) {
        return report("starting a compaction", code);
    }
    char id[64];
    snprintf(id, sizeof id, "%s", synap_compaction_id(compaction) ? synap_compaction_id(compaction) : "(no id)");
    synap_compaction_free(compaction);

    long waited = 0, pause = 100;
    for (;;) {
        SynapCompactionStatus *status = NULL;
        code = synap_conversation_compaction_status(chat->client, chat->conversation, &status);
        if (code != SYNAP_OK) {
            return report("reading the compaction status", code);
        }
        const char *state = synap_compaction_status_state(status);
        int done = state != NULL && (strcmp(state, "completed") == 0 || strcmp(state, "stale") == 0);
        if (done) {
            double ratio = 0.0;
            printf("--- compacted after turn %lu: compaction %s", chat->turns, id);
            if (synap_compaction_status_compression_ratio(status, &ratio)) {
                printf(", compression ratio %.2f", ratio);
            }
            putchar('\n');
            fflush(stdout);
        } else if (state != NULL && strcmp(state, "failed") == 0) {
            const char *why = synap_compaction_status_error_message(status);
            fprintf(stderr, "synap-chat: warning: the compaction failed: %s\n", why ? why : "(no reason given)");
            done = 1;
        }
        synap_compaction_status_free(status);
        if (done) {
            return 0;
        }
        if (waited >= COMPACTION_WAIT_MS) {
            fprintf(stderr, "synap-chat: the compaction did not complete within %ld s\n", COMPACTION_WAIT_MS / 1000);
            return SYNAP_TIMEOUT;
        }
        sleep_ms(pause);
        waited += pause;
        pause = pause * 2 > MAX_POLL_MS ? MAX_POLL_MS : pause * 2;
    }
}
