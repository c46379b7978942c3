/*
 * synap-context: ask Synap what it remembers.
 *
 *   synap-context [--base-url URL] SCOPE [--query Q]... [--types T1,T2]
 *                 [--max N] [--ranked] [--json]
 *   synap-context [--base-url URL] --prompt CONVERSATION_ID [--style S] [--json]
 *
 * SCOPE is one of --user ID (with --customer ID for the user's customer on
 * a B2B instance), --customer ID, --client or --conversation ID.
 *
 * The API key is read from SYNAP_API_KEY, the base URL from --base-url,
 * else SYNAP_BASE_URL, else the production service.
 *
 * Prints the memories found with their scores: the ranked list with
 * --ranked, else each typed list; the warning of a degraded retrieval (on
 * stderr); the user's profile when the answer is one (a user fetch without
 * a query), the conversation's state when it is that (a conversation fetch
 * without a query). With --json: one JSON object per item, or the whole
 * answer when it is not made of items. --prompt prints a conversation's
 * prompt context instead, in the --style asked.
 *
 * Errors go to stderr with their code, message and correlation id. Exit
 * status: 0 on success, else the SynapCode of the failure (1-14), or 64
 * for a usage error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "synap.h"

#define EXIT_USAGE 64

static void usage(FILE *to) {
    fprintf(to,
            "usage: synap-context [options] (--user ID | --customer ID | --client | --conversation ID)\n"
            "       synap-context [options] --prompt CONVERSATION_ID [--style STYLE]\n"
            "  Prints what Synap remembers in a scope that bears on the queries.\n"
            "  --base-url URL      service to ask (default: $SYNAP_BASE_URL, else production)\n"
            "  --user ID           one end user's memories (--customer ID: the user's customer)\n"
            "  --customer ID       one customer's memories\n"
            "  --client            the whole account's memories\n"
            "  --conversation ID   one conversation's memories (a UUID)\n"
            "  --query Q           what to look for; repeatable. Without one, a user fetch\n"
            "                      answers with the profile, a conversation fetch with its state\n"
            "  --types T1,T2       facts, preferences, episodes, emotions, temporal_events, all\n"
            "  --max N             at most N memories (default 10)\n"
            "  --ranked            one list, best first across types\n"
            "  --json              one JSON object per line for each memory, or the whole\n"
            "                      answer when it is a profile or a conversation's state\n"
            "  --prompt ID         print the prompt context of conversation ID instead\n"
            "  --style S           its style: structured (default), narrative, bullet_points\n"
            "  The API key is read from $SYNAP_API_KEY.\n");
}

/* Reports the calling thread's last error for `what` on stderr. */
static void report(const char *what, SynapCode code) {
    const char *message = synap_last_error_message();
    const char *correlation = synap_last_error_correlation_id();
    fprintf(stderr, "synap-context: %s: %s: %s", what, synap_code_name((int)code),
            message ? message : "(no message)");
    if (correlation != NULL) {
        fprintf(stderr, " (correlation id %s)", correlation);
    }
    fputc('\n', stderr);
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

static void json_string(const char *s) {
    if (s == NULL) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        default:
            if (c < 0x20) {
                printf("\\u%04x", c);
            } else {
                putchar(c);
            }
        }
    }
    putchar('"');
}

/* JSON text the service sent (already valid JSON), or null. */
static void json_raw(const char *json) {
    fputs(json != NULL ? json : "null", stdout);
}

static void json_number(bool present, double value) {
    if (present) {
        printf("%.15g", value);
    } else {
        fputs("null", stdout);
    }
}

static void json_time(bool present, int64_t us) {
    char buf[64];
    if (!present) {
        fputs("null", stdout);
        return;
    }
    format_time(us, buf, sizeof buf);
    json_string(buf);
}

/* One memory as one line of JSON: what every accessor reads. */
static void print_item_json(const char *list, const SynapContextItem *item) {
    double score = 0.0, rank_score = 0.0;
    int64_t rank = 0, at = 0;
    bool has_score = synap_context_item_score(item, &score);
    bool has_rank_score = synap_context_item_rank_score(item, &rank_score);
    bool has_rank = synap_context_item_rank(item, &rank);
    bool has_time = synap_context_item_time_us(item, &at);

    fputs("{\"list\":", stdout);
    json_string(list);
    fputs(",\"rank\":", stdout);
    if (has_rank) {
        printf("%" PRId64, rank);
    } else {
        fputs("null", stdout);
    }
    fputs(",\"kind\":", stdout);
    json_string(synap_context_item_kind(item));
    fputs(",\"id\":", stdout);
    json_string(synap_context_item_id(item));
    fputs(",\"text\":", stdout);
    json_string(synap_context_item_text(item));
    fputs(",\"score\":", stdout);
    json_number(has_score, score);
    fputs(",\"rank_score\":", stdout);
    json_number(has_rank_score, rank_score);
    fputs(",\"label\":", stdout);
    json_string(synap_context_item_label(item));
    fputs(",\"time\":", stdout);
    json_time(has_time, at);
    fputs(",\"source\":", stdout);
    json_string(synap_context_item_source(item));
    fputs(",\"matched_queries\":[", stdout);
    for (size_t i = 0; i < synap_context_item_matched_query_count(item); i++) {
        if (i > 0) {
            putchar(',');
        }
        json_string(synap_context_item_matched_query(item, i));
    }
    fputs("],\"metadata\":", stdout);
    json_raw(synap_context_item_metadata_json(item));
    fputs("}\n", stdout);
}

/* One memory as text: its text, then its scores and label. */
static void print_item_text(const char *bullet, const SynapContextItem *item, bool show_kind) {
    double score = 0.0, rank_score = 0.0;
    const char *text = synap_context_item_text(item);
    const char *label = synap_context_item_label(item);
    printf("  %s ", bullet);
    if (show_kind) {
        printf("[%s] ", synap_context_item_kind(item) ? synap_context_item_kind(item) : "?");
    }
    printf("%s", text ? text : "(no text)");
    const char *sep = "  (";
    if (synap_context_item_rank_score(item, &rank_score)) {
        printf("%srank score %.3f", sep, rank_score);
        sep = ", ";
    }
    if (synap_context_item_score(item, &score)) {
        printf("%sscore %.2f", sep, score);
        sep = ", ";
    }
    if (label != NULL && !show_kind) {
        printf("%s%s", sep, label);
        sep = ", ";
    }
    puts(sep[0] == ',' ? ")" : "");
}

static const struct {
    int list;
    const char *name;
} TYPED[] = {
    {SYNAP_LIST_FACTS, "facts"},
    {SYNAP_LIST_PREFERENCES, "preferences"},
    {SYNAP_LIST_EPISODES, "episodes"},
    {SYNAP_LIST_EMOTIONS, "emotions"},
    {SYNAP_LIST_TEMPORAL_EVENTS, "temporal_events"},
};

static void print_profile(const SynapProfile *profile, bool json) {
    if (json) {
        fputs("{\"profile\":", stdout);
        json_raw(synap_profile_json(profile));
        fputs("}\n", stdout);
        return;
    }
    const char *overview = synap_profile_overview(profile);
    printf("profile: %s\n", overview ? overview : "(no overview)");
    for (size_t i = 0; i < synap_profile_attribute_count(profile); i++) {
        const char *name = synap_profile_attribute_name(profile, i);
        const char *value = synap_profile_attribute_value_json(profile, i);
        double confidence = 0.0;
        printf("  %s = %s", name ? name : "?", value ? value : "null");
        if (synap_profile_attribute_confidence(profile, i, &confidence)) {
            printf("  (confidence %.2f)", confidence);
        }
        putchar('\n');
    }
}

static void print_turns(const SynapConversationContext *conversation) {
    for (size_t i = 0; i < synap_conversation_context_turn_count(conversation); i++) {
        const SynapTurn *turn = synap_conversation_context_turn(conversation, i);
        const char *role = synap_turn_role(turn);
        const char *content = synap_turn_content(turn);
        printf("  %s: %s\n", role ? role : "?", content ? content : "");
    }
}

static void print_conversation(const SynapConversationContext *conversation) {
    const char *id = synap_conversation_context_id(conversation);
    const char *summary = synap_conversation_context_summary(conversation);
    const char *formatted = synap_conversation_context_formatted_context(conversation);
    printf("conversation %s: %zu recent turns\n", id ? id : "(no id)",
           synap_conversation_context_turn_count(conversation));
    if (summary != NULL) {
        printf("summary: %s\n", summary);
    }
    if (formatted != NULL) {
        printf("%s\n", formatted);
    } else {
        print_turns(conversation);
    }
}

/* The degraded-retrieval warning, on stderr: an answer that may miss
 * memories because retrieval broke, not because nothing matched. */
static void warn_degraded(const SynapRetrieval *retrieval) {
    if (retrieval == NULL || !synap_retrieval_degraded(retrieval)) {
        return;
    }
    const char *level = synap_retrieval_level(retrieval);
    const char *why = synap_retrieval_code(retrieval);
    fprintf(stderr, "synap-context: warning: retrieval degraded (level %s, code %s)", level ? level : "unknown",
            why ? why : "unknown");
    for (size_t i = 0; i < synap_retrieval_warning_count(retrieval); i++) {
        fprintf(stderr, "%s%s", i == 0 ? ": " : "; ", synap_retrieval_warning(retrieval, i));
    }
    fputs(": some memories may be missing\n", stderr);
}

static void print_context(const SynapContext *context, bool ranked, bool json) {
    const char *source = synap_context_source(context);
    const SynapProfile *profile = synap_context_profile(context);
    const SynapConversationContext *conversation = synap_context_conversation(context);
    warn_degraded(synap_context_retrieval(context));

    if (source != NULL && strcmp(source, "profile") == 0 && profile != NULL) {
        print_profile(profile, json);
        return;
    }
    if (source != NULL && strcmp(source, "conversation_state") == 0) {
        if (json) {
            json_raw(synap_context_raw_json(context));
            putchar('\n');
        } else if (conversation != NULL) {
            print_conversation(conversation);
        }
        return;
    }

    size_t found = 0;
    if (ranked) {
        size_t n = synap_context_count(context, SYNAP_LIST_RANKED);
        if (!json && n > 0) {
            printf("ranked (%zu):\n", n);
        }
        for (size_t i = 0; i < n; i++) {
            const SynapContextItem *item = synap_context_item(context, SYNAP_LIST_RANKED, i);
            if (json) {
                print_item_json("ranked", item);
            } else {
                char bullet[32];
                snprintf(bullet, sizeof bullet, "%zu.", i + 1);
                print_item_text(bullet, item, true);
            }
        }
        found += n;
    } else {
        for (size_t t = 0; t < sizeof TYPED / sizeof TYPED[0]; t++) {
            size_t n = synap_context_count(context, TYPED[t].list);
            if (!json && n > 0) {
                printf("%s (%zu):\n", TYPED[t].name, n);
            }
            for (size_t i = 0; i < n; i++) {
                const SynapContextItem *item = synap_context_item(context, TYPED[t].list, i);
                if (json) {
                    print_item_json(TYPED[t].name, item);
                } else {
                    print_item_text("-", item, false);
                }
            }
            found += n;
        }
    }
    if (!json && found == 0) {
        puts("no memories found");
    }
    if (profile != NULL) {
        print_profile(profile, json);
    }
    if (!json && conversation != NULL) {
        print_conversation(conversation);
    }
}

static void print_prompt(const SynapPromptContext *prompt, const char *id, bool json) {
    if (json) {
        json_raw(synap_prompt_context_raw_json(prompt));
        putchar('\n');
        return;
    }
    const char *formatted = synap_prompt_context_formatted_context(prompt);
    printf("conversation %s: %" PRId64 " messages, %" PRId64 " compacted%s%s%s\n", id,
           synap_prompt_context_total_message_count(prompt), synap_prompt_context_compacted_message_count(prompt),
           synap_prompt_context_available(prompt) ? "" : " (no compaction yet)",
           synap_prompt_context_is_stale(prompt) ? " (stale)" : "",
           synap_prompt_context_quality_warning(prompt) ? " (quality warning)" : "");
    puts(formatted != NULL ? formatted : "(nothing said yet)");
}

static int takes_value(const char *arg) {
    static const char *const with_value[] = {"--base-url", "--user", "--customer", "--conversation", "--query",
                                             "--types",    "--max",  "--prompt",   "--style"};
    for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++) {
        if (strcmp(arg, with_value[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Adds each comma-separated type of `list` to the request. */
static SynapCode add_types(SynapContextRequest *request, const char *list) {
    SynapCode code = SYNAP_OK;
    while (code == SYNAP_OK) {
        size_t len = strcspn(list, ",");
        char *type = strndup(list, len);
        code = type ? synap_context_request_add_type(request, type) : SYNAP_INTERNAL;
        free(type);
        if (list[len] == '\0') {
            break;
        }
        list += len + 1;
    }
    return code;
}

int main(int argc, char **argv) {
    const char *base_url = NULL, *user = NULL, *customer = NULL, *conversation = NULL, *types = NULL;
    const char *prompt_id = NULL, *style = NULL, *max_text = NULL;
    bool client_scope = false, ranked = false, json = false;
    int queries = 0;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (takes_value(arg) && ++i == argc) {
            fprintf(stderr, "synap-context: %s needs a value\n", arg);
            usage(stderr);
            return EXIT_USAGE;
        }
        if (strcmp(arg, "--base-url") == 0) {
            base_url = argv[i];
        } else if (strcmp(arg, "--user") == 0) {
            user = argv[i];
        } else if (strcmp(arg, "--customer") == 0) {
            customer = argv[i];
        } else if (strcmp(arg, "--conversation") == 0) {
            conversation = argv[i];
        } else if (strcmp(arg, "--client") == 0) {
            client_scope = true;
        } else if (strcmp(arg, "--query") == 0) {
            queries++;
        } else if (strcmp(arg, "--types") == 0) {
            types = argv[i];
        } else if (strcmp(arg, "--max") == 0) {
            max_text = argv[i];
        } else if (strcmp(arg, "--ranked") == 0) {
            ranked = true;
        } else if (strcmp(arg, "--json") == 0) {
            json = true;
        } else if (strcmp(arg, "--prompt") == 0) {
            prompt_id = argv[i];
        } else if (strcmp(arg, "--style") == 0) {
            style = argv[i];
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "synap-context: unknown argument %s\n", arg);
            usage(stderr);
            return EXIT_USAGE;
        }
    }

    /* One scope: --customer goes with --user as the user's customer. */
    int scopes = (user != NULL) + (conversation != NULL) + client_scope + (customer != NULL && user == NULL);
    const char *misuse = NULL;
    if (prompt_id != NULL) {
        if (scopes > 0 || queries > 0 || types != NULL || max_text != NULL || ranked) {
            misuse = "--prompt takes only --style, --json and --base-url";
        }
    } else if (scopes != 1) {
        misuse = scopes == 0 ? "name a scope" : "name one scope";
    } else if (style != NULL) {
        misuse = "--style goes with --prompt";
    }
    unsigned long max = 0;
    if (misuse == NULL && max_text != NULL) {
        char *end = NULL;
        errno = 0;
        max = strtoul(max_text, &end, 10);
        if (end == max_text || *end != '\0' || max_text[0] == '-' || errno != 0 || max > UINT32_MAX) {
            misuse = "--max needs a whole number";
        }
    }
    if (misuse != NULL) {
        fprintf(stderr, "synap-context: %s\n", misuse);
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

    if (prompt_id != NULL) {
        SynapPromptOptions *how = synap_prompt_options_new();
        SynapPromptContext *prompt = NULL;
        const char *step = "bad style";
        code = how ? SYNAP_OK : SYNAP_INTERNAL;
        if (code == SYNAP_OK && style != NULL) {
            code = synap_prompt_options_set_style(how, style);
        }
        if (code == SYNAP_OK) {
            step = prompt_id;
            code = synap_conversation_prompt_context(client, prompt_id, how, &prompt);
        }
        if (code == SYNAP_OK) {
            print_prompt(prompt, prompt_id, json);
        } else {
            report(step, code);
        }
        synap_prompt_context_free(prompt);
        synap_prompt_options_free(how);
        synap_client_free(client);
        return (int)code;
    }

    int scope = user != NULL           ? SYNAP_SCOPE_USER
                : conversation != NULL ? SYNAP_SCOPE_CONVERSATION
                : client_scope         ? SYNAP_SCOPE_CLIENT
                                       : SYNAP_SCOPE_CUSTOMER;
    SynapContextRequest *request = synap_context_request_new(scope);
    code = request ? SYNAP_OK : SYNAP_INTERNAL;
    if (code == SYNAP_OK && user != NULL) {
        code = synap_context_request_set_user_id(request, user);
    }
    if (code == SYNAP_OK && customer != NULL) {
        code = synap_context_request_set_customer_id(request, customer);
    }
    if (code == SYNAP_OK && conversation != NULL) {
        code = synap_context_request_set_conversation_id(request, conversation);
    }
    /* The queries, in order: a second pass over the arguments. */
    for (int i = 1; code == SYNAP_OK && i < argc; i++) {
        if (strcmp(argv[i], "--query") == 0) {
            code = synap_context_request_add_query(request, argv[i + 1]);
        }
        i += takes_value(argv[i]);
    }
    if (code == SYNAP_OK && types != NULL) {
        code = add_types(request, types);
    }
    if (code == SYNAP_OK && max_text != NULL) {
        code = synap_context_request_set_max_results(request, (uint32_t)max);
    }
    if (code == SYNAP_OK && ranked) {
        code = synap_context_request_set_response_shape(request, "ranked");
    }
    const char *step = "bad scope or option";
    SynapContext *context = NULL;
    if (code == SYNAP_OK) {
        step = "fetch";
        code = synap_context_fetch(client, request, &context);
    }
    if (code == SYNAP_OK) {
        print_context(context, ranked, json);
    } else {
        report(step, code);
    }
    synap_context_free(context);
    synap_context_request_free(request);
    synap_client_free(client);
    return (int)code;
}
