/* Conversations through the C API against the emulator: the message,
 * transcript and compaction builders and each of their refusals, calls
 * refused before any request, every accessor on NULL; then recorded
 * messages listed back (order, positions, paging), a batch with a message
 * the service refuses, transcripts ingested as text and as turns (and
 * again: a duplicate, a conflict), a compaction followed to its end and
 * read in each format, the prompt context after it, and eight threads
 * recording into one conversation on one client.
 *
 * The writes are never sent twice when the first attempt may have had an
 * effect: tests/common/cprog.rs (conversation_fixtures) scripts, on each
 * write route, a 500, a connection dropped after the write was applied, a
 * delay past the request timeout, then a 503, which this test meets with
 * its first four calls to the route (test_writes_are_not_repeated runs
 * first for that reason). The test checks the codes and what was stored;
 * the harness counts the requests from the emulator's log.
 *
 * Run by tests/c_api.rs under valgrind and by tests/c_sanitizers.rs, with
 * fixtures in the environment. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "synap.h"

static const char *DEV_KEY = "synap_dev_emulator";
static const char *USER = "conv-user";
static const char *CUSTOMER = "conv-customer";
/* 2025-01-15T10:00:00Z and 10:00:04Z. */
static const int64_t JAN15_1000_US = 1736935200000000;
static const int64_t JAN15_1004_US = 1736935204000000;
/* The first and the last microsecond of years 1 to 9999. */
static const int64_t YEAR1_US = -62135596800000000;
static const int64_t YEAR9999_END_US = 253402300799999999;
/* What the writes of test_writes_are_not_repeated meet, in order. */
static const char *const FAULTS[] = {"500", "drop", "timeout", "503"};
#define FAULT_COUNT 4
/* Each attempt of those writes may take this long: less than the delay
 * the harness scripts. */
#define REQUEST_TIMEOUT_MS 1000
#define THREADS 8
#define PER_THREAD 50

static SynapClient *make_client(uint32_t attempts, uint32_t request_timeout_ms) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    CHECK(synap_options_set_base_url(options, fixture("BASE_URL")) == SYNAP_OK, "base url");
    CHECK(synap_options_set_max_attempts(options, attempts) == SYNAP_OK, "attempts");
    CHECK(synap_options_set_retry_backoff_ms(options, 10, 50) == SYNAP_OK, "backoff");
    if (request_timeout_ms > 0) {
        CHECK(synap_options_set_request_timeout_ms(options, request_timeout_ms) == SYNAP_OK, "timeout");
    }
    CHECK(synap_client_new(DEV_KEY, options, &client) == SYNAP_OK, "client: %s", synap_last_error_message());
    synap_options_free(options);
    return client;
}

static int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

static int error_names(const char *what) {
    return contains(synap_last_error_message(), what);
}

/* A pointer that is not NULL and not a handle: the calls must overwrite it
 * with NULL on entry. */
static char not_a_handle;
#define DANGLING(type) ((type *)(void *)&not_a_handle)

/* A message request with its conversation, role, content, user and customer. */
static SynapMessageRequest *message(const char *conversation, const char *role, const char *content) {
    SynapMessageRequest *m = synap_message_request_new();
    CHECK(m != NULL, "message request");
    CHECK(synap_message_request_set_conversation_id(m, conversation) == SYNAP_OK, "%s", synap_last_error_message());
    CHECK(synap_message_request_set_role(m, role) == SYNAP_OK, "role %s", role);
    CHECK(synap_message_request_set_content(m, content) == SYNAP_OK, "content");
    CHECK(synap_message_request_set_user_id(m, USER) == SYNAP_OK, "user");
    CHECK(synap_message_request_set_customer_id(m, CUSTOMER) == SYNAP_OK, "customer");
    return m;
}

/* Records one message; returns the code. */
static SynapCode record(const SynapClient *client, const char *conversation, const char *role, const char *content) {
    SynapMessageRequest *m = message(conversation, role, content);
    SynapRecordedMessage *recorded = NULL;
    SynapCode code = synap_conversation_record_message(client, m, &recorded);
    CHECK(code == SYNAP_OK ? recorded != NULL : recorded == NULL, "out set exactly on success");
    synap_recorded_message_free(recorded);
    synap_message_request_free(m);
    return code;
}

/* Reads the whole conversation, `limit` messages a page, into `contents`
 * (up to `max`, each malloc'd, with their roles) and returns how many it
 * holds. Checks positions run 1, 2, ... and that a short page is the last. */
static size_t read_all(const SynapClient *client, const char *conversation, uint32_t limit, char **contents,
                       char **roles, size_t max) {
    size_t total = 0;
    for (uint32_t start = 1;; start += limit) {
        SynapMessagePage *page = NULL;
        SynapCode code = synap_conversation_messages(client, conversation, start, limit, &page);
        CHECK(code == SYNAP_OK, "page from %u: %s", start, synap_last_error_message());
        if (code != SYNAP_OK) {
            return total;
        }
        size_t n = synap_message_page_count(page);
        CHECK(n <= limit, "a page holds at most limit: %zu", n);
        for (size_t i = 0; i < n; i++) {
            const SynapConversationMessage *m = synap_message_page_message(page, i);
            int64_t position = 0;
            CHECK(synap_conversation_message_position(m, &position) && position == (int64_t)(total + 1),
                  "position %" PRId64 " for message %zu", position, total + 1);
            if (total < max) {
                const char *content = synap_conversation_message_content(m);
                const char *role = synap_conversation_message_role(m);
                contents[total] = content ? strdup(content) : NULL;
                roles[total] = role ? strdup(role) : NULL;
            }
            total++;
        }
        CHECK(synap_message_page_message(page, n) == NULL, "NULL past the end");
        synap_message_page_free(page);
        if (n < limit) {
            return total;
        }
    }
}

static void free_all(char **texts, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(texts[i]);
    }
}

/* How many of the first `n` texts equal `text`. */
static size_t count_of(char **texts, size_t n, const char *text) {
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        found += str_eq(texts[i], text);
    }
    return found;
}

static void sleep_ms(long ms) {
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* ---- the builders and their refusals ---- */

typedef SynapCode (*MessageSetter)(SynapMessageRequest *, const char *);
typedef SynapCode (*TranscriptSetter)(SynapTranscriptRequest *, const char *);

static void test_message_request_refusals(void) {
    SynapMessageRequest *r = synap_message_request_new();
    CHECK(r != NULL, "message request");
    const struct {
        const char *name;
        MessageSetter set;
        int null_clears;
    } setters[] = {
        {"conversation_id", synap_message_request_set_conversation_id, 0},
        {"role", synap_message_request_set_role, 0},
        {"content", synap_message_request_set_content, 0},
        {"user_id", synap_message_request_set_user_id, 0},
        {"customer_id", synap_message_request_set_customer_id, 0},
        {"session_id", synap_message_request_set_session_id, 1},
        {"json", synap_message_request_set_metadata_json, 0},
        {"model", synap_message_request_set_agent_model, 1},
    };
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++) {
        CHECK(setters[i].set(NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL request: %s", setters[i].name);
        CHECK(str_eq(synap_last_error_message(), "request is NULL"), "%s", synap_last_error_message());
        CHECK(setters[i].set(r, "caf\xe9") == SYNAP_INVALID_ARGUMENT, "bad UTF-8: %s", setters[i].name);
        CHECK(error_names("UTF-8") && error_names(setters[i].name), "%s", synap_last_error_message());
        SynapCode null_code = setters[i].set(r, NULL);
        CHECK(null_code == (setters[i].null_clears ? SYNAP_OK : SYNAP_INVALID_ARGUMENT), "NULL %s",
              setters[i].name);
    }
    CHECK(synap_message_request_add_scope_level(NULL, "team", "x") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_message_request_set_agent_context_window(NULL, 8000) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_message_request_add_scope_level(r, NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL level");
    CHECK(synap_message_request_add_scope_level(r, "team", NULL) == SYNAP_INVALID_ARGUMENT, "NULL value");
    CHECK(synap_message_request_add_scope_level(r, "\xff", "x") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 level");
    CHECK(synap_message_request_add_scope_level(r, "team", "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 value");
    CHECK(synap_message_request_add_scope_level(r, "", "x") == SYNAP_INVALID_ARGUMENT, "empty level");

    /* Empty ids, a conversation id that is not a UUID, a role, JSON. */
    CHECK(synap_message_request_set_user_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty user id");
    CHECK(error_names("user_id"), "%s", synap_last_error_message());
    CHECK(synap_message_request_set_user_id(r, "  ") == SYNAP_INVALID_ARGUMENT, "blank user id");
    CHECK(synap_message_request_set_customer_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty customer id");
    CHECK(error_names("customer_id"), "%s", synap_last_error_message());
    const char *not_uuids[] = {"", "conv-1", "../messages", "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e3",
                               "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37-00", "zzzzzzzz-3b7d-4a58-9c0e-2d4b6a8f1e37"};
    for (size_t i = 0; i < sizeof not_uuids / sizeof not_uuids[0]; i++) {
        CHECK(synap_message_request_set_conversation_id(r, not_uuids[i]) == SYNAP_INVALID_ARGUMENT, "%s",
              not_uuids[i]);
        CHECK(error_names("conversation_id"), "%s", synap_last_error_message());
    }
    const char *roles[] = {"system", "User", "", "tool", "assistant "};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        CHECK(synap_message_request_set_role(r, roles[i]) == SYNAP_INVALID_ARGUMENT, "role %s", roles[i]);
        CHECK(error_names("role"), "%s", synap_last_error_message());
    }
    const char *bad_json[] = {"{", "[1]", "null", "\"text\"", "{\"a\":1} x", ""};
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        CHECK(synap_message_request_set_metadata_json(r, bad_json[i]) == SYNAP_INVALID_ARGUMENT, "metadata %s",
              bad_json[i]);
        CHECK(error_names("metadata"), "%s", synap_last_error_message());
    }

    /* What is accepted. */
    const char *uuids[] = {"6F1C9E2A-3B7D-4A58-9C0E-2D4B6A8F1E37", "6f1c9e2a3b7d4a589c0e2d4b6a8f1e37",
                           "{6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37}", "urn:uuid:6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"};
    for (size_t i = 0; i < sizeof uuids / sizeof uuids[0]; i++) {
        CHECK(synap_message_request_set_conversation_id(r, uuids[i]) == SYNAP_OK, "%s: %s", uuids[i],
              synap_last_error_message());
    }
    CHECK(synap_message_request_set_role(r, "user") == SYNAP_OK, "user");
    CHECK(synap_message_request_set_role(r, "assistant") == SYNAP_OK, "assistant");
    CHECK(synap_message_request_set_content(r, "") == SYNAP_OK, "empty content");
    CHECK(synap_message_request_set_user_id(r, "u/1?#") == SYNAP_OK, "any user id text");
    CHECK(synap_message_request_set_session_id(r, "") == SYNAP_OK, "\"\" clears the session");
    CHECK(synap_message_request_set_metadata_json(r, "{\"k\":[1,{\"x\":null}]}") == SYNAP_OK, "metadata");
    CHECK(synap_message_request_set_agent_model(r, "") == SYNAP_OK, "\"\" clears the model");
    CHECK(synap_message_request_set_agent_context_window(r, 0) == SYNAP_OK, "0 clears the window");
    CHECK(synap_message_request_set_agent_context_window(r, UINT32_MAX) == SYNAP_OK, "any window");
    CHECK(synap_message_request_add_scope_level(r, "team", "") == SYNAP_OK, "an empty scope value");
    synap_message_request_free(r);
    synap_message_request_free(NULL);
}

static void test_transcript_request_refusals(void) {
    SynapTranscriptRequest *r = synap_transcript_request_new();
    CHECK(r != NULL, "transcript request");
    const struct {
        const char *name;
        TranscriptSetter set;
        int null_clears;
    } setters[] = {
        {"conversation_id", synap_transcript_request_set_conversation_id, 0},
        {"user_id", synap_transcript_request_set_user_id, 0},
        {"customer_id", synap_transcript_request_set_customer_id, 0},
        {"transcript", synap_transcript_request_set_text, 0},
        {"kind", synap_transcript_request_set_conversation_type, 1},
        {"json", synap_transcript_request_set_analysis_json, 0},
        {"json", synap_transcript_request_set_metadata_json, 0},
    };
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++) {
        CHECK(setters[i].set(NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL request: %s", setters[i].name);
        CHECK(str_eq(synap_last_error_message(), "request is NULL"), "%s", synap_last_error_message());
        CHECK(setters[i].set(r, "\xc3\x28") == SYNAP_INVALID_ARGUMENT, "bad UTF-8: %s", setters[i].name);
        CHECK(error_names("UTF-8") && error_names(setters[i].name), "%s", synap_last_error_message());
        CHECK(setters[i].set(r, NULL) == (setters[i].null_clears ? SYNAP_OK : SYNAP_INVALID_ARGUMENT), "NULL %s",
              setters[i].name);
    }
    CHECK(synap_transcript_request_add_turn(NULL, "user", "hi", NULL) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_transcript_request_add_timed_turn(NULL, "user", "hi", NULL, 0) == SYNAP_INVALID_ARGUMENT, "NULL");
    CHECK(synap_transcript_request_set_started_at_us(NULL, 0) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_transcript_request_set_ended_at_us(NULL, 0) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_transcript_request_add_scope_level(NULL, "team", "x") == SYNAP_INVALID_ARGUMENT, "NULL request");

    /* Empty ids; any other text is a conversation id here. */
    CHECK(synap_transcript_request_set_conversation_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty conversation id");
    CHECK(error_names("conversation_id"), "%s", synap_last_error_message());
    CHECK(synap_transcript_request_set_conversation_id(r, " \t") == SYNAP_INVALID_ARGUMENT, "blank conversation id");
    CHECK(synap_transcript_request_set_user_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty user id");
    CHECK(synap_transcript_request_set_customer_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty customer id");
    CHECK(synap_transcript_request_set_conversation_id(r, "call-8812") == SYNAP_OK, "any text");
    CHECK(synap_transcript_request_add_scope_level(r, "", "x") == SYNAP_INVALID_ARGUMENT, "empty scope level");
    CHECK(synap_transcript_request_add_scope_level(r, NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL scope level");
    CHECK(synap_transcript_request_add_scope_level(r, "team", "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8");

    /* Turns: a role, text, and a time in years 1 to 9999. */
    const char *roles[] = {"system", "User", "", "caller"};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        CHECK(synap_transcript_request_add_turn(r, roles[i], "hi", NULL) == SYNAP_INVALID_ARGUMENT, "%s", roles[i]);
        CHECK(error_names("role"), "%s", synap_last_error_message());
    }
    CHECK(synap_transcript_request_add_turn(r, NULL, "hi", NULL) == SYNAP_INVALID_ARGUMENT, "NULL role");
    CHECK(synap_transcript_request_add_turn(r, "user", NULL, NULL) == SYNAP_INVALID_ARGUMENT, "NULL content");
    CHECK(synap_transcript_request_add_turn(r, "user", "\xff", NULL) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 text");
    CHECK(synap_transcript_request_add_turn(r, "user", "hi", "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 speaker");
    const int64_t out_of_range[] = {INT64_MIN, YEAR1_US - 1, YEAR9999_END_US + 1, INT64_MAX};
    for (size_t i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++) {
        int64_t t = out_of_range[i];
        CHECK(synap_transcript_request_add_timed_turn(r, "user", "hi", NULL, t) == SYNAP_INVALID_ARGUMENT,
              "turn at %" PRId64, t);
        CHECK(error_names("years 1 to 9999"), "%s", synap_last_error_message());
        CHECK(synap_transcript_request_set_started_at_us(r, t) == SYNAP_INVALID_ARGUMENT, "start %" PRId64, t);
        CHECK(error_names("started_at"), "%s", synap_last_error_message());
        CHECK(synap_transcript_request_set_ended_at_us(r, t) == SYNAP_INVALID_ARGUMENT, "end %" PRId64, t);
        CHECK(error_names("ended_at"), "%s", synap_last_error_message());
    }
    CHECK(synap_transcript_request_add_timed_turn(r, "user", "first", "Caller", YEAR1_US) == SYNAP_OK, "year 1");
    CHECK(synap_transcript_request_add_timed_turn(r, "assistant", "", NULL, YEAR9999_END_US) == SYNAP_OK, "9999");
    CHECK(synap_transcript_request_add_turn(r, "assistant", "untimed", NULL) == SYNAP_OK, "a turn");
    CHECK(synap_transcript_request_set_started_at_us(r, YEAR1_US) == SYNAP_OK, "start in year 1");
    CHECK(synap_transcript_request_set_ended_at_us(r, YEAR9999_END_US) == SYNAP_OK, "end in 9999");

    const char *bad_json[] = {"{", "[]", "7", "null", ""};
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        CHECK(synap_transcript_request_set_analysis_json(r, bad_json[i]) == SYNAP_INVALID_ARGUMENT, "analysis %s",
              bad_json[i]);
        CHECK(error_names("analysis"), "%s", synap_last_error_message());
        CHECK(synap_transcript_request_set_metadata_json(r, bad_json[i]) == SYNAP_INVALID_ARGUMENT, "metadata %s",
              bad_json[i]);
        CHECK(error_names("metadata"), "%s", synap_last_error_message());
    }
    CHECK(synap_transcript_request_set_analysis_json(r, "{}") == SYNAP_OK, "analysis");
    CHECK(synap_transcript_request_set_conversation_type(r, "") == SYNAP_OK, "\"\" clears the type");
    CHECK(synap_transcript_request_set_text(r, "") == SYNAP_OK, "text (the service judges it)");
    synap_transcript_request_free(r);
    synap_transcript_request_free(NULL);
}

static void test_compaction_option_refusals(void) {
    SynapCompactOptions *o = synap_compact_options_new();
    CHECK(o != NULL, "compact options");
    const char *strategies[] = {"fast", "Balanced", "low", " adaptive"};
    for (size_t i = 0; i < sizeof strategies / sizeof strategies[0]; i++) {
        CHECK(synap_compact_options_set_strategy(o, strategies[i]) == SYNAP_INVALID_ARGUMENT, "%s", strategies[i]);
        CHECK(error_names("strategy"), "%s", synap_last_error_message());
    }
    CHECK(synap_compact_options_set_strategy(o, "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8");
    CHECK(synap_compact_options_set_strategy(NULL, "balanced") == SYNAP_INVALID_ARGUMENT, "NULL options");
    CHECK(synap_compact_options_set_target_tokens(NULL, 100) == SYNAP_INVALID_ARGUMENT, "NULL options");
    CHECK(synap_compact_options_set_force(NULL, true) == SYNAP_INVALID_ARGUMENT, "NULL options");
    const char *known[] = {"aggressive", "balanced", "conservative", "adaptive", "", NULL};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        CHECK(synap_compact_options_set_strategy(o, known[i]) == SYNAP_OK, "%s", known[i] ? known[i] : "NULL");
    }
    CHECK(synap_compact_options_set_target_tokens(o, 0) == SYNAP_OK, "0: the service's size");
    CHECK(synap_compact_options_set_force(o, false) == SYNAP_OK, "force");
    synap_compact_options_free(o);
    synap_compact_options_free(NULL);

    SynapCompactedOptions *c = synap_compacted_options_new();
    CHECK(c != NULL, "compacted options");
    const char *formats[] = {"bullet_points", "Structured", "", "markdown"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        CHECK(synap_compacted_options_set_format(c, formats[i]) == SYNAP_INVALID_ARGUMENT, "%s", formats[i]);
        CHECK(error_names("format"), "%s", synap_last_error_message());
    }
    CHECK(synap_compacted_options_set_format(c, NULL) == SYNAP_INVALID_ARGUMENT, "NULL format");
    CHECK(synap_compacted_options_set_format(c, "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8");
    CHECK(synap_compacted_options_set_format(NULL, "narrative") == SYNAP_INVALID_ARGUMENT, "NULL options");
    CHECK(synap_compacted_options_set_version(NULL, 1) == SYNAP_INVALID_ARGUMENT, "NULL options");
    CHECK(synap_compacted_options_set_version(c, 0) == SYNAP_OK, "0: the latest");
    CHECK(synap_compacted_options_set_format(c, "injection") == SYNAP_OK, "injection");
    synap_compacted_options_free(c);
    synap_compacted_options_free(NULL);
}

/* Calls refused before any request: the harness checks none of these ids
 * reached the emulator. */
static void test_call_refusals(const SynapClient *client) {
    const char *conversation = fixture("CONVERSATION");
    SynapMessageRequest *m = message(conversation, "user", "never sent");
    SynapRecordedMessage *recorded = DANGLING(SynapRecordedMessage);
    CHECK(synap_conversation_record_message(NULL, m, &recorded) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(recorded == NULL, "out NULL on failure");
    CHECK(synap_conversation_record_message(client, NULL, &recorded) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_conversation_record_message(client, m, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    SynapMessageRequest *empty = synap_message_request_new();
    recorded = DANGLING(SynapRecordedMessage);
    CHECK(synap_conversation_record_message(client, empty, &recorded) == SYNAP_INVALID_ARGUMENT, "nothing set");
    CHECK(error_names("conversation_id") && recorded == NULL, "%s", synap_last_error_message());
    CHECK(synap_message_request_set_conversation_id(empty, conversation) == SYNAP_OK, "conversation");
    CHECK(synap_message_request_set_role(empty, "user") == SYNAP_OK, "role");
    CHECK(synap_conversation_record_message(client, empty, &recorded) == SYNAP_INVALID_ARGUMENT, "no content");
    CHECK(error_names("content"), "%s", synap_last_error_message());
    CHECK(synap_message_request_set_content(empty, "never sent") == SYNAP_OK, "content");
    CHECK(synap_conversation_record_message(client, empty, &recorded) == SYNAP_INVALID_ARGUMENT, "no user");
    CHECK(error_names("user_id"), "%s", synap_last_error_message());

    /* A batch: at least one message, none NULL, each complete but for its user. */
    const SynapMessageRequest *batch[3] = {m, NULL, m};
    SynapMessageBatch *out = DANGLING(SynapMessageBatch);
    CHECK(synap_conversation_record_messages(client, batch, 0, &out) == SYNAP_INVALID_ARGUMENT, "empty batch");
    CHECK(out == NULL, "out NULL on failure");
    CHECK(synap_conversation_record_messages(client, NULL, 2, &out) == SYNAP_INVALID_ARGUMENT, "NULL requests");
    CHECK(synap_conversation_record_messages(client, batch, 3, &out) == SYNAP_INVALID_ARGUMENT, "a NULL request");
    CHECK(error_names("requests[1]"), "%s", synap_last_error_message());
    CHECK(synap_conversation_record_messages(NULL, batch, 1, &out) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_conversation_record_messages(client, batch, 1, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    SynapMessageRequest *no_role = synap_message_request_new();
    CHECK(synap_message_request_set_conversation_id(no_role, conversation) == SYNAP_OK, "conversation");
    CHECK(synap_message_request_set_content(no_role, "never sent") == SYNAP_OK, "content");
    const SynapMessageRequest *incomplete[2] = {m, no_role};
    CHECK(synap_conversation_record_messages(client, incomplete, 2, &out) == SYNAP_INVALID_ARGUMENT, "no role");
    CHECK(error_names("messages[1]") && error_names("role"), "%s", synap_last_error_message());
    synap_message_request_free(no_role);
    synap_message_request_free(empty);
    synap_message_request_free(m);

    /* Ingest: an id, a user and a transcript. */
    SynapTranscriptRequest *t = synap_transcript_request_new();
    SynapTranscriptIngestion *ingestion = DANGLING(SynapTranscriptIngestion);
    CHECK(synap_conversation_ingest(client, t, &ingestion) == SYNAP_INVALID_ARGUMENT, "nothing set");
    CHECK(error_names("conversation_id") && ingestion == NULL, "%s", synap_last_error_message());
    CHECK(synap_transcript_request_set_conversation_id(t, "never-sent-call") == SYNAP_OK, "id");
    CHECK(synap_conversation_ingest(client, t, &ingestion) == SYNAP_INVALID_ARGUMENT, "no user");
    CHECK(error_names("user_id"), "%s", synap_last_error_message());
    CHECK(synap_transcript_request_set_user_id(t, USER) == SYNAP_OK, "user");
    CHECK(synap_conversation_ingest(client, t, &ingestion) == SYNAP_INVALID_ARGUMENT, "no transcript");
    CHECK(error_names("transcript"), "%s", synap_last_error_message());
    CHECK(synap_conversation_ingest(NULL, t, &ingestion) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_conversation_ingest(client, NULL, &ingestion) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_conversation_ingest(client, t, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    synap_transcript_request_free(t);

    /* Listing: a UUID, start from 1, limit 1 to 500. */
    SynapMessagePage *page = DANGLING(SynapMessagePage);
    CHECK(synap_conversation_messages(client, conversation, 0, 10, &page) == SYNAP_INVALID_ARGUMENT, "start 0");
    CHECK(error_names("start") && page == NULL, "%s", synap_last_error_message());
    CHECK(synap_conversation_messages(client, conversation, 1, 0, &page) == SYNAP_INVALID_ARGUMENT, "limit 0");
    CHECK(error_names("limit"), "%s", synap_last_error_message());
    CHECK(synap_conversation_messages(client, conversation, 1, 501, &page) == SYNAP_INVALID_ARGUMENT, "limit 501");
    CHECK(error_names("limit"), "%s", synap_last_error_message());
    CHECK(synap_conversation_messages(client, conversation, 1, UINT32_MAX, &page) == SYNAP_INVALID_ARGUMENT, "max");
    const char *bad_ids[] = {"conv-1", "", "../compact", "\xff"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        const char *id = bad_ids[i];
        CHECK(synap_conversation_messages(client, id, 1, 10, &page) == SYNAP_INVALID_ARGUMENT, "list %s", id);
        CHECK(error_names("conversation_id"), "%s", synap_last_error_message());
        SynapCompaction *compaction = DANGLING(SynapCompaction);
        CHECK(synap_conversation_compact(client, id, NULL, &compaction) == SYNAP_INVALID_ARGUMENT, "compact %s", id);
        CHECK(compaction == NULL && error_names("conversation_id"), "%s", synap_last_error_message());
        SynapCompacted *compacted = DANGLING(SynapCompacted);
        CHECK(synap_conversation_compacted(client, id, NULL, &compacted) == SYNAP_INVALID_ARGUMENT, "%s", id);
        CHECK(compacted == NULL && error_names("conversation_id"), "%s", synap_last_error_message());
        SynapCompactionStatus *status = DANGLING(SynapCompactionStatus);
        CHECK(synap_conversation_compaction_status(client, id, &status) == SYNAP_INVALID_ARGUMENT, "status %s", id);
        CHECK(status == NULL && error_names("conversation_id"), "%s", synap_last_error_message());
    }
    CHECK(synap_conversation_messages(client, NULL, 1, 10, &page) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_conversation_messages(NULL, conversation, 1, 10, &page) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_conversation_messages(client, conversation, 1, 10, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    SynapCompaction *compaction = NULL;
    CHECK(synap_conversation_compact(client, NULL, NULL, &compaction) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_conversation_compact(NULL, conversation, NULL, &compaction) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_conversation_compact(client, conversation, NULL, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    SynapCompacted *compacted = NULL;
    CHECK(synap_conversation_compacted(client, NULL, NULL, &compacted) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_conversation_compacted(NULL, conversation, NULL, &compacted) == SYNAP_INVALID_ARGUMENT, "NULL");
    CHECK(synap_conversation_compacted(client, conversation, NULL, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    SynapCompactionStatus *status = NULL;
    CHECK(synap_conversation_compaction_status(client, NULL, &status) == SYNAP_INVALID_ARGUMENT, "NULL id");
    CHECK(synap_conversation_compaction_status(NULL, conversation, &status) == SYNAP_INVALID_ARGUMENT, "NULL");
    CHECK(synap_conversation_compaction_status(client, conversation, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
}

/* ---- every accessor on NULL: the documented defaults ---- */

static void test_null_handles(void) {
    int64_t n = -7;
    double d = -7.0;
    bool b = true;

    CHECK(synap_recorded_message_id(NULL) == NULL, "id");
    CHECK(synap_recorded_message_conversation_id(NULL) == NULL, "conversation id");
    CHECK(synap_recorded_message_session_id(NULL) == NULL, "session id");
    CHECK(!synap_recorded_message_recorded_at_us(NULL, &n), "recorded at");
    CHECK(!synap_recorded_message_conversation_message_count(NULL, &n), "count");
    synap_recorded_message_free(NULL);

    CHECK(synap_message_batch_result_count(NULL) == 0, "result count");
    CHECK(synap_message_batch_result(NULL, 0) == NULL, "result");
    CHECK(synap_message_batch_error_count(NULL) == 0, "error count");
    CHECK(!synap_message_batch_error_index(NULL, 0, &n), "error index");
    CHECK(synap_message_batch_error_message(NULL, 0) == NULL, "error message");
    CHECK(!synap_message_batch_total(NULL, &n), "total");
    CHECK(!synap_message_batch_succeeded(NULL, &n), "succeeded");
    CHECK(!synap_message_batch_failed(NULL, &n), "failed");
    synap_message_batch_free(NULL);

    CHECK(synap_transcript_ingestion_conversation_id(NULL) == NULL, "conversation id");
    CHECK(synap_transcript_ingestion_external_conversation_id(NULL) == NULL, "external id");
    CHECK(synap_transcript_ingestion_ingestion_id(NULL) == NULL, "ingestion id");
    CHECK(synap_transcript_ingestion_status(NULL) == NULL, "status");
    CHECK(!synap_transcript_ingestion_turns_recorded(NULL, &n), "turns");
    CHECK(synap_transcript_ingestion_summary_status(NULL) == NULL, "summary status");
    CHECK(!synap_transcript_ingestion_queued_at_us(NULL, &n), "queued at");
    CHECK(synap_transcript_ingestion_warning_count(NULL) == 0, "warning count");
    CHECK(synap_transcript_ingestion_warning(NULL, 0) == NULL, "warning");
    synap_transcript_ingestion_free(NULL);

    CHECK(synap_message_page_count(NULL) == 0, "page count");
    CHECK(synap_message_page_message(NULL, 0) == NULL, "page message");
    CHECK(!synap_conversation_message_position(NULL, &n), "position");
    CHECK(synap_conversation_message_role(NULL) == NULL, "role");
    CHECK(synap_conversation_message_content(NULL) == NULL, "content");
    CHECK(!synap_conversation_message_timestamp_us(NULL, &n), "timestamp");
    CHECK(synap_conversation_message_id(NULL) == NULL, "message id");
    synap_message_page_free(NULL);

    CHECK(synap_compaction_id(NULL) == NULL, "compaction id");
    CHECK(synap_compaction_conversation_id(NULL) == NULL, "conversation id");
    CHECK(synap_compaction_status(NULL) == NULL, "status");
    CHECK(synap_compaction_trigger_type(NULL) == NULL, "trigger");
    CHECK(!synap_compaction_initiated_at_us(NULL, &n), "initiated at");
    CHECK(!synap_compaction_estimated_completion_seconds(NULL, &n), "estimate");
    CHECK(synap_compaction_previous_id(NULL) == NULL, "previous id");
    synap_compaction_free(NULL);

    CHECK(synap_compacted_id(NULL) == NULL, "id");
    CHECK(synap_compacted_formatted_context(NULL) == NULL, "formatted");
    CHECK(!synap_compacted_original_token_count(NULL, &n), "original tokens");
    CHECK(!synap_compacted_compacted_token_count(NULL, &n), "compacted tokens");
    CHECK(!synap_compacted_compression_ratio(NULL, &d), "ratio");
    CHECK(synap_compacted_strategy_used(NULL) == NULL, "strategy");
    CHECK(!synap_compacted_validation_score(NULL, &d), "score");
    CHECK(!synap_compacted_validation_passed(NULL, &b), "passed");
    CHECK(!synap_compacted_quality_warning(NULL, &b), "warning");
    CHECK(synap_compacted_facts_json(NULL) == NULL, "facts");
    CHECK(synap_compacted_decisions_json(NULL) == NULL, "decisions");
    CHECK(synap_compacted_preferences_json(NULL) == NULL, "preferences");
    CHECK(synap_compacted_current_state_json(NULL) == NULL, "current state");
    CHECK(!synap_compacted_ttl_seconds(NULL, &n), "ttl");
    CHECK(synap_compacted_raw_json(NULL) == NULL, "raw");
    synap_compacted_free(NULL);

    CHECK(synap_compaction_status_conversation_id(NULL) == NULL, "conversation id");
    CHECK(synap_compaction_status_state(NULL) == NULL, "state");
    CHECK(synap_compaction_status_compaction_id(NULL) == NULL, "compaction id");
    CHECK(!synap_compaction_status_completed_at_us(NULL, &n), "completed at");
    CHECK(!synap_compaction_status_compression_ratio(NULL, &d), "ratio");
    CHECK(!synap_compaction_status_validation_score(NULL, &d), "score");
    CHECK(!synap_compaction_status_estimated_completion_seconds(NULL, &n), "estimate");
    CHECK(!synap_compaction_status_latest_version(NULL, &n), "version");
    CHECK(synap_compaction_status_error_message(NULL) == NULL, "error");
    synap_compaction_status_free(NULL);

    CHECK(n == -7 && d == -7.0 && b, "out values left alone");
}

/* ---- the writes are never sent twice when they may have had an effect ---- */

/* One write of each route, made by `write` for each scripted fault in
 * order: a 500, a connection dropped after the write, a timeout (each sent
 * once, and failing), then a 503 (sent again, and recorded). */
typedef SynapCode (*Write)(const SynapClient *client, const char *fault);

static const SynapCode EXPECTED[FAULT_COUNT] = {SYNAP_SERVER, SYNAP_NETWORK, SYNAP_TIMEOUT, SYNAP_OK};

static SynapCode write_message(const SynapClient *client, const char *fault) {
    char content[64];
    snprintf(content, sizeof content, "no-dup record %s", fault);
    return record(client, fixture("NO_DUP"), "user", content);
}

static SynapCode write_batch(const SynapClient *client, const char *fault) {
    char content[64];
    snprintf(content, sizeof content, "no-dup batch %s", fault);
    SynapMessageRequest *m = message(fixture("NO_DUP"), "assistant", content);
    const SynapMessageRequest *one[1] = {m};
    SynapMessageBatch *batch = NULL;
    SynapCode code = synap_conversation_record_messages(client, one, 1, &batch);
    CHECK(code != SYNAP_OK || synap_message_batch_result_count(batch) == 1, "stored");
    synap_message_batch_free(batch);
    synap_message_request_free(m);
    return code;
}

static SynapCode write_transcript(const SynapClient *client, const char *fault) {
    char id[64];
    snprintf(id, sizeof id, "no-dup-ingest-%s", fault);
    SynapTranscriptRequest *t = synap_transcript_request_new();
    CHECK(synap_transcript_request_set_conversation_id(t, id) == SYNAP_OK, "id");
    CHECK(synap_transcript_request_set_user_id(t, USER) == SYNAP_OK, "user");
    CHECK(synap_transcript_request_set_customer_id(t, CUSTOMER) == SYNAP_OK, "customer");
    CHECK(synap_transcript_request_set_text(t, "User: I want a refund.\nAssistant: Sure.") == SYNAP_OK, "text");
    SynapTranscriptIngestion *ingestion = NULL;
    SynapCode code = synap_conversation_ingest(client, t, &ingestion);
    CHECK(code != SYNAP_OK || str_eq(synap_transcript_ingestion_status(ingestion), "queued"), "queued once");
    synap_transcript_ingestion_free(ingestion);
    synap_transcript_request_free(t);
    return code;
}

static SynapCode write_compaction(const SynapClient *client, const char *fault) {
    char name[64];
    snprintf(name, sizeof name, "COMPACT_%s", fault);
    SynapCompaction *compaction = NULL;
    SynapCode code = synap_conversation_compact(client, fixture(name), NULL, &compaction);
    synap_compaction_free(compaction);
    return code;
}

static void test_writes_are_not_repeated(void) {
    /* Three attempts, so a write that were resent would be. */
    SynapClient *client = make_client(3, REQUEST_TIMEOUT_MS);
    const struct {
        const char *name;
        Write write;
    } routes[] = {
        {"record", write_message},
        {"batch", write_batch},
        {"ingest", write_transcript},
        {"compact", write_compaction},
    };
    for (size_t r = 0; r < sizeof routes / sizeof routes[0]; r++) {
        if (routes[r].write == write_compaction) {
            /* Something to compact, now that the record route's faults are spent. */
            for (size_t f = 0; f < FAULT_COUNT; f++) {
                char name[64];
                snprintf(name, sizeof name, "COMPACT_%s", FAULTS[f]);
                CHECK(record(client, fixture(name), "user", "Something worth compacting.") == SYNAP_OK, "%s: %s",
                      name, synap_last_error_message());
            }
        }
        for (size_t f = 0; f < FAULT_COUNT; f++) {
            SynapCode code = routes[r].write(client, FAULTS[f]);
            CHECK(code == EXPECTED[f], "%s after a %s: %s, expected %s (%s)", routes[r].name, FAULTS[f],
                  synap_code_name((int)code), synap_code_name((int)EXPECTED[f]), synap_last_error_message());
        }
    }

    /* What was stored: the dropped message once (the service had it), the
     * refused one never, the one resent after the 503 once. */
    char *contents[64] = {NULL}, *roles[64] = {NULL};
    size_t n = read_all(client, fixture("NO_DUP"), 500, contents, roles, 64);
    CHECK(count_of(contents, n, "no-dup record 500") == 0, "a 500 stored nothing");
    CHECK(count_of(contents, n, "no-dup record drop") == 1, "stored once before the drop");
    CHECK(count_of(contents, n, "no-dup record 503") == 1, "stored once after the 503");
    CHECK(count_of(contents, n, "no-dup batch 500") == 0, "a 500 stored nothing");
    CHECK(count_of(contents, n, "no-dup batch drop") == 1, "stored once before the drop");
    CHECK(count_of(contents, n, "no-dup batch 503") == 1, "stored once after the 503");
    free_all(contents, n < 64 ? n : 64);
    free_all(roles, n < 64 ? n : 64);
    synap_client_free(client);
}

/* ---- recording and listing ---- */

static void check_recorded(const SynapRecordedMessage *m, const char *conversation, int64_t count) {
    int64_t at = 0, n = 0;
    CHECK(synap_recorded_message_id(m) != NULL && strlen(synap_recorded_message_id(m)) == 36, "message id");
    CHECK(str_eq(synap_recorded_message_conversation_id(m), conversation), "canonical conversation id: %s",
          synap_recorded_message_conversation_id(m));
    CHECK(synap_recorded_message_session_id(m) != NULL, "a session");
    CHECK(synap_recorded_message_recorded_at_us(m, &at) && at > JAN15_1000_US, "recorded at %" PRId64, at);
    CHECK(synap_recorded_message_conversation_message_count(m, &n) && n == count, "count %" PRId64 " of %" PRId64,
          n, count);
}

static void test_record_and_list(const SynapClient *client) {
    const char *conversation = fixture("CONVERSATION");
    char upper[64];
    snprintf(upper, sizeof upper, "%s", conversation);
    for (char *c = upper; *c; c++) {
        *c = (char)(*c >= 'a' && *c <= 'f' ? *c - 'a' + 'A' : *c);
    }
    /* Every setter, the conversation in upper case: sent canonical. */
    SynapMessageRequest *r = message(upper, "user", "I switched to decaf after 3pm.");
    CHECK(synap_message_request_set_session_id(r, "session-1") == SYNAP_OK, "session");
    CHECK(synap_message_request_set_metadata_json(r, "{\"channel\":\"web\"}") == SYNAP_OK, "metadata");
    CHECK(synap_message_request_add_scope_level(r, "team", "support") == SYNAP_OK, "scope");
    CHECK(synap_message_request_set_agent_model(r, "gpt-4o") == SYNAP_OK, "model");
    CHECK(synap_message_request_set_agent_context_window(r, 128000) == SYNAP_OK, "window");
    SynapRecordedMessage *m = DANGLING(SynapRecordedMessage);
    CHECK(synap_conversation_record_message(client, r, &m) == SYNAP_OK, "record: %s", synap_last_error_message());
    check_recorded(m, conversation, 1);
    CHECK(str_eq(synap_recorded_message_session_id(m), "session-1"), "the session given");
    synap_recorded_message_free(m);

    /* A refused value leaves the request as it was. */
    CHECK(synap_message_request_set_conversation_id(r, "conv-1") == SYNAP_INVALID_ARGUMENT, "refused");
    CHECK(synap_message_request_set_role(r, "system") == SYNAP_INVALID_ARGUMENT, "refused");
    CHECK(synap_message_request_set_role(r, "assistant") == SYNAP_OK, "assistant");
    CHECK(synap_message_request_set_content(r, "Noted: decaf after 3pm.") == SYNAP_OK, "content");
    CHECK(synap_message_request_set_session_id(r, NULL) == SYNAP_OK, "no session: the service's");
    m = NULL;
    CHECK(synap_conversation_record_message(client, r, &m) == SYNAP_OK, "record: %s", synap_last_error_message());
    check_recorded(m, conversation, 2);
    synap_recorded_message_free(m);
    synap_message_request_free(r);

    const char *more[][2] = {{"user", "My sister Dana visits on Friday."},
                             {"assistant", "I will block Friday afternoon."},
                             {"user", ""},
                             {"user", "Thanks!"}};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        CHECK(record(client, conversation, more[i][0], more[i][1]) == SYNAP_OK, "record %zu: %s", i,
              synap_last_error_message());
    }

    /* One page of everything, in order, with every field. */
    const char *expected[][2] = {{"user", "I switched to decaf after 3pm."},
                                 {"assistant", "Noted: decaf after 3pm."},
                                 {"user", "My sister Dana visits on Friday."},
                                 {"assistant", "I will block Friday afternoon."},
                                 {"user", ""},
                                 {"user", "Thanks!"}};
    const size_t total = sizeof expected / sizeof expected[0];
    SynapMessagePage *page = DANGLING(SynapMessagePage);
    CHECK(synap_conversation_messages(client, conversation, 1, 500, &page) == SYNAP_OK, "list: %s",
          synap_last_error_message());
    CHECK(synap_message_page_count(page) == total, "%zu messages", synap_message_page_count(page));
    int64_t previous = 0;
    for (size_t i = 0; i < synap_message_page_count(page) && i < total; i++) {
        const SynapConversationMessage *msg = synap_message_page_message(page, i);
        int64_t position = 0, at = 0;
        CHECK(synap_conversation_message_position(msg, &position) && position == (int64_t)i + 1, "position");
        CHECK(str_eq(synap_conversation_message_role(msg), expected[i][0]), "role %zu", i);
        CHECK(str_eq(synap_conversation_message_content(msg), expected[i][1]), "content %zu: %s", i,
              synap_conversation_message_content(msg));
        CHECK(synap_conversation_message_id(msg) != NULL, "id");
        CHECK(synap_conversation_message_timestamp_us(msg, &at) && at >= previous, "in time order");
        previous = at;
    }
    synap_message_page_free(page);

    /* Pages of two: 1-2, 3-4, 5-6, then an empty one. */
    char *contents[8] = {NULL}, *roles[8] = {NULL};
    size_t n = read_all(client, conversation, 2, contents, roles, 8);
    CHECK(n == total, "paged: %zu", n);
    for (size_t i = 0; i < n && i < total; i++) {
        CHECK(str_eq(contents[i], expected[i][1]) && str_eq(roles[i], expected[i][0]), "paged %zu", i);
    }
    free_all(contents, n < 8 ? n : 8);
    free_all(roles, n < 8 ? n : 8);
    /* A page from the middle, one short of its limit: the last. */
    page = NULL;
    CHECK(synap_conversation_messages(client, conversation, 4, 4, &page) == SYNAP_OK, "from 4");
    int64_t first = 0;
    CHECK(synap_message_page_count(page) == 3, "3 left: %zu", synap_message_page_count(page));
    CHECK(synap_conversation_message_position(synap_message_page_message(page, 0), &first) && first == 4, "from 4");
    synap_message_page_free(page);
    page = NULL;
    CHECK(synap_conversation_messages(client, conversation, 7, 500, &page) == SYNAP_OK, "past the end");
    CHECK(synap_message_page_count(page) == 0, "an empty page");
    synap_message_page_free(page);
    /* A conversation nothing was said in has no messages. */
    page = NULL;
    CHECK(synap_conversation_messages(client, "00000000-0000-4000-8000-000000000000", 1, 1, &page) == SYNAP_OK,
          "unknown conversation: %s", synap_last_error_message());
    CHECK(synap_message_page_count(page) == 0, "no messages");
    synap_message_page_free(page);
}

/* ---- a batch ---- */

static int refusals_logged = 0;

static void on_log(SynapLogLevel level, const char *message, void *user_data) {
    (void)user_data;
    if (level == SYNAP_LOG_ERROR && contains(message, "refused to free a SynapRecordedMessage")) {
        refusals_logged++;
    }
}

static void test_batch(const SynapClient *client) {
    const char *conversation = fixture("BATCH");
    SynapMessageRequest *first = message(conversation, "user", "batch one");
    /* Without a customer: this instance refuses a user alone. */
    SynapMessageRequest *refused = synap_message_request_new();
    CHECK(synap_message_request_set_conversation_id(refused, conversation) == SYNAP_OK, "conversation");
    CHECK(synap_message_request_set_role(refused, "user") == SYNAP_OK, "role");
    CHECK(synap_message_request_set_content(refused, "batch two") == SYNAP_OK, "content");
    CHECK(synap_message_request_set_user_id(refused, "lonely-user") == SYNAP_OK, "user");
    /* Without a user: the conversation's. */
    SynapMessageRequest *third = synap_message_request_new();
    CHECK(synap_message_request_set_conversation_id(third, conversation) == SYNAP_OK, "conversation");
    CHECK(synap_message_request_set_role(third, "assistant") == SYNAP_OK, "role");
    CHECK(synap_message_request_set_content(third, "batch three") == SYNAP_OK, "content");
    CHECK(synap_message_request_set_session_id(third, "session-b") == SYNAP_OK, "session");

    const SynapMessageRequest *requests[3] = {first, refused, third};
    SynapMessageBatch *batch = DANGLING(SynapMessageBatch);
    CHECK(synap_conversation_record_messages(client, requests, 3, &batch) == SYNAP_OK, "batch: %s",
          synap_last_error_message());
    int64_t total = 0, succeeded = 0, failed = 0, index = -1;
    CHECK(synap_message_batch_total(batch, &total) && total == 3, "total %" PRId64, total);
    CHECK(synap_message_batch_succeeded(batch, &succeeded) && succeeded == 2, "succeeded %" PRId64, succeeded);
    CHECK(synap_message_batch_failed(batch, &failed) && failed == 1, "failed %" PRId64, failed);
    CHECK(synap_message_batch_result_count(batch) == 2, "two stored");
    CHECK(synap_message_batch_error_count(batch) == 1, "one refused");
    CHECK(synap_message_batch_error_index(batch, 0, &index) && index == 1, "the second: %" PRId64, index);
    CHECK(contains(synap_message_batch_error_message(batch, 0), "customer_id"), "why: %s",
          synap_message_batch_error_message(batch, 0));
    index = -1;
    CHECK(!synap_message_batch_error_index(batch, 1, &index) && index == -1, "past the end");
    CHECK(synap_message_batch_error_message(batch, 1) == NULL, "past the end");
    CHECK(!synap_message_batch_error_index(batch, 0, NULL), "NULL out");

    /* The results, lent, in the order sent. */
    const SynapRecordedMessage *one = synap_message_batch_result(batch, 0);
    const SynapRecordedMessage *three = synap_message_batch_result(batch, 1);
    CHECK(synap_message_batch_result(batch, 2) == NULL, "NULL past the end");
    check_recorded(one, conversation, 1);
    check_recorded(three, conversation, 2);
    CHECK(str_eq(synap_recorded_message_session_id(three), "session-b"), "session");
    /* Freeing a lent result is refused (and logged); it stays readable. */
    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, on_log, NULL) == SYNAP_OK, "log callback");
    synap_recorded_message_free((SynapRecordedMessage *)one);
    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, NULL, NULL) == SYNAP_OK, "log off");
    CHECK(refusals_logged == 1, "the refusal was logged: %d", refusals_logged);
    check_recorded(synap_message_batch_result(batch, 0), conversation, 1);
    synap_message_batch_free(batch);

    char *contents[8] = {NULL}, *roles[8] = {NULL};
    size_t n = read_all(client, conversation, 500, contents, roles, 8);
    CHECK(n == 2 && str_eq(contents[0], "batch one") && str_eq(contents[1], "batch three"), "stored in order");
    CHECK(n == 2 && str_eq(roles[1], "assistant"), "roles");
    free_all(contents, n < 8 ? n : 8);
    free_all(roles, n < 8 ? n : 8);
    synap_message_request_free(first);
    synap_message_request_free(refused);
    synap_message_request_free(third);
}

/* ---- ingesting transcripts ---- */

static SynapTranscriptIngestion *ingest_ok(const SynapClient *client, const SynapTranscriptRequest *t,
                                           const char *what) {
    SynapTranscriptIngestion *ingestion = DANGLING(SynapTranscriptIngestion);
    SynapCode code = synap_conversation_ingest(client, t, &ingestion);
    CHECK(code == SYNAP_OK && ingestion != NULL, "%s: %s", what, synap_last_error_message());
    return code == SYNAP_OK ? ingestion : NULL;
}

static void test_ingest(const SynapClient *client) {
    const char *text = "User: I want a refund.\nIt arrived broken.\nAssistant: I will file it today.\nUser: Thanks.";
    SynapTranscriptRequest *t = synap_transcript_request_new();
    CHECK(synap_transcript_request_set_conversation_id(t, "call-8812-c") == SYNAP_OK, "id");
    CHECK(synap_transcript_request_set_user_id(t, USER) == SYNAP_OK, "user");
    CHECK(synap_transcript_request_set_customer_id(t, CUSTOMER) == SYNAP_OK, "customer");
    CHECK(synap_transcript_request_set_text(t, text) == SYNAP_OK, "text");
    SynapTranscriptIngestion *first = ingest_ok(client, t, "ingest text");
    const char *conversation = synap_transcript_ingestion_conversation_id(first);
    int64_t turns = 0, queued = 0;
    CHECK(conversation != NULL && strlen(conversation) == 36, "the service's UUID: %s", conversation);
    CHECK(str_eq(synap_transcript_ingestion_external_conversation_id(first), "call-8812-c"), "the id given");
    CHECK(str_eq(synap_transcript_ingestion_status(first), "queued"), "%s", synap_transcript_ingestion_status(first));
    CHECK(synap_transcript_ingestion_turns_recorded(first, &turns) && turns == 3, "turns %" PRId64, turns);
    CHECK(str_eq(synap_transcript_ingestion_summary_status(first), "in_progress"), "summary");
    CHECK(synap_transcript_ingestion_queued_at_us(first, &queued) && queued > JAN15_1000_US, "queued at");
    CHECK(synap_transcript_ingestion_warning_count(first) == 1, "undated: a warning");
    CHECK(contains(synap_transcript_ingestion_warning(first, 0), "started_at"), "%s",
          synap_transcript_ingestion_warning(first, 0));
    CHECK(synap_transcript_ingestion_warning(first, 1) == NULL, "NULL past the end");

    /* Its turns are the conversation's messages, under the service's id. */
    char *contents[8] = {NULL}, *roles[8] = {NULL};
    size_t n = read_all(client, conversation, 500, contents, roles, 8);
    CHECK(n == 3, "three turns: %zu", n);
    CHECK(n == 3 && str_eq(contents[0], "I want a refund.\nIt arrived broken."), "%s", contents[0]);
    CHECK(n == 3 && str_eq(roles[1], "assistant") && str_eq(contents[2], "Thanks."), "turns");
    free_all(contents, n < 8 ? n : 8);
    free_all(roles, n < 8 ? n : 8);

    /* The ingestion job is followed like a created document's. */
    SynapWaitOptions *wait = synap_wait_options_new();
    CHECK(synap_wait_options_set_poll_interval_ms(wait, 50) == SYNAP_OK, "interval");
    CHECK(synap_wait_options_set_timeout_ms(wait, 20000) == SYNAP_OK, "timeout");
    SynapMemoryStatus *status = NULL;
    CHECK(synap_memories_wait(client, synap_transcript_ingestion_ingestion_id(first), wait, &status) == SYNAP_OK,
          "wait: %s", synap_last_error_message());
    CHECK(synap_status_state(status) == SYNAP_INGEST_COMPLETED, "completed");
    synap_status_free(status);
    synap_wait_options_free(wait);

    /* The same transcript again: a duplicate of the first job. */
    SynapTranscriptIngestion *again = ingest_ok(client, t, "ingest again");
    CHECK(str_eq(synap_transcript_ingestion_status(again), "duplicate"), "%s", synap_transcript_ingestion_status(again));
    CHECK(str_eq(synap_transcript_ingestion_ingestion_id(again), synap_transcript_ingestion_ingestion_id(first)),
          "the first job");
    CHECK(str_eq(synap_transcript_ingestion_conversation_id(again), conversation), "the same conversation");
    synap_transcript_ingestion_free(again);
    /* Another transcript under that id: a conflict. */
    CHECK(synap_transcript_request_set_text(t, "User: a different call") == SYNAP_OK, "text");
    SynapTranscriptIngestion *conflict = DANGLING(SynapTranscriptIngestion);
    CHECK(synap_conversation_ingest(client, t, &conflict) == SYNAP_CONFLICT, "conflict: %s",
          synap_last_error_message());
    CHECK(conflict == NULL && synap_last_error_http_status() == 409, "409");
    synap_transcript_ingestion_free(first);
    synap_transcript_request_free(t);

    /* Turns, with their times, and every other field. */
    t = synap_transcript_request_new();
    CHECK(synap_transcript_request_set_conversation_id(t, "call-turns-c") == SYNAP_OK, "id");
    CHECK(synap_transcript_request_set_user_id(t, USER) == SYNAP_OK, "user");
    CHECK(synap_transcript_request_set_customer_id(t, CUSTOMER) == SYNAP_OK, "customer");
    CHECK(synap_transcript_request_set_text(t, "User: replaced by the turns") == SYNAP_OK, "text");
    CHECK(synap_transcript_request_add_timed_turn(t, "user", "I want a refund.", "Caller", JAN15_1004_US) == SYNAP_OK,
          "timed turn");
    CHECK(synap_transcript_request_add_turn(t, "assistant", "Sure.", NULL) == SYNAP_OK, "turn");
    CHECK(synap_transcript_request_set_conversation_type(t, "voice") == SYNAP_OK, "type");
    CHECK(synap_transcript_request_set_analysis_json(t, "{\"sentiment\":\"negative\"}") == SYNAP_OK, "analysis");
    CHECK(synap_transcript_request_set_metadata_json(t, "{\"queue\":\"refunds\"}") == SYNAP_OK, "metadata");
    CHECK(synap_transcript_request_set_started_at_us(t, JAN15_1000_US) == SYNAP_OK, "started");
    CHECK(synap_transcript_request_set_ended_at_us(t, JAN15_1004_US + 60000000) == SYNAP_OK, "ended");
    CHECK(synap_transcript_request_add_scope_level(t, "team", "refunds") == SYNAP_OK, "scope");
    SynapTranscriptIngestion *timed = ingest_ok(client, t, "ingest turns");
    CHECK(synap_transcript_ingestion_turns_recorded(timed, &turns) && turns == 2, "turns %" PRId64, turns);
    CHECK(synap_transcript_ingestion_warning_count(timed) == 0, "dated: no warning");
    SynapMessagePage *page = NULL;
    CHECK(synap_conversation_messages(client, synap_transcript_ingestion_conversation_id(timed), 1, 10, &page) ==
              SYNAP_OK,
          "list: %s", synap_last_error_message());
    int64_t at = 0;
    const SynapConversationMessage *said = synap_message_page_message(page, 0);
    CHECK(synap_message_page_count(page) == 2, "two turns");
    CHECK(synap_conversation_message_timestamp_us(said, &at) && at == JAN15_1004_US, "its time: %" PRId64, at);
    CHECK(str_eq(synap_conversation_message_content(said), "I want a refund."), "the turns, not the text");
    synap_message_page_free(page);
    synap_transcript_ingestion_free(timed);
    synap_transcript_request_free(t);
}

/* ---- compaction ---- */

/* Polls the status until the compaction is no longer in progress. */
static SynapCompactionStatus *wait_compacted(const SynapClient *client, const char *conversation) {
    for (int i = 0; i < 400; i++) {
        SynapCompactionStatus *status = NULL;
        CHECK(synap_conversation_compaction_status(client, conversation, &status) == SYNAP_OK, "status: %s",
              synap_last_error_message());
        if (!str_eq(synap_compaction_status_state(status), "in_progress")) {
            return status;
        }
        synap_compaction_status_free(status);
        sleep_ms(25);
    }
    CHECK(0, "the compaction never completed");
    return NULL;
}

static void test_compaction(const SynapClient *client) {
    const char *conversation = fixture("CONVERSATION");

    /* Before: no compacted state (SYNAP_OK, out NULL), status none. */
    SynapCompacted *compacted = DANGLING(SynapCompacted);
    CHECK(synap_conversation_compacted(client, conversation, NULL, &compacted) == SYNAP_OK, "none yet: %s",
          synap_last_error_message());
    CHECK(compacted == NULL, "NULL: not compacted yet");
    SynapCompactionStatus *status = DANGLING(SynapCompactionStatus);
    CHECK(synap_conversation_compaction_status(client, conversation, &status) == SYNAP_OK, "status");
    int64_t n = -1;
    CHECK(str_eq(synap_compaction_status_state(status), "none"), "%s", synap_compaction_status_state(status));
    CHECK(synap_compaction_status_compaction_id(status) == NULL, "no compaction");
    CHECK(!synap_compaction_status_latest_version(status, &n) && n == -1, "no version");
    synap_compaction_status_free(status);

    SynapCompactOptions *how = synap_compact_options_new();
    CHECK(synap_compact_options_set_strategy(how, "balanced") == SYNAP_OK, "strategy");
    CHECK(synap_compact_options_set_target_tokens(how, 2000) == SYNAP_OK, "target");
    CHECK(synap_compact_options_set_force(how, true) == SYNAP_OK, "force");
    SynapCompaction *compaction = DANGLING(SynapCompaction);
    CHECK(synap_conversation_compact(client, conversation, how, &compaction) == SYNAP_OK, "compact: %s",
          synap_last_error_message());
    synap_compact_options_free(how);
    char id[64] = "";
    snprintf(id, sizeof id, "%s", synap_compaction_id(compaction) ? synap_compaction_id(compaction) : "");
    int64_t initiated = 0, estimate = -1;
    CHECK(strlen(id) == 36, "compaction id %s", id);
    CHECK(str_eq(synap_compaction_conversation_id(compaction), conversation), "conversation");
    CHECK(str_eq(synap_compaction_status(compaction), "in_progress"), "%s", synap_compaction_status(compaction));
    CHECK(str_eq(synap_compaction_trigger_type(compaction), "manual_api"), "trigger");
    CHECK(synap_compaction_initiated_at_us(compaction, &initiated) && initiated > JAN15_1000_US, "initiated");
    CHECK(synap_compaction_estimated_completion_seconds(compaction, &estimate) && estimate >= 0, "estimate");
    CHECK(synap_compaction_previous_id(compaction) == NULL, "the first");
    synap_compaction_free(compaction);

    /* One at a time. */
    compaction = DANGLING(SynapCompaction);
    CHECK(synap_conversation_compact(client, conversation, NULL, &compaction) == SYNAP_CONFLICT, "409: %s",
          synap_last_error_message());
    CHECK(compaction == NULL, "out NULL");
    status = NULL;
    CHECK(synap_conversation_compaction_status(client, conversation, &status) == SYNAP_OK, "status");
    CHECK(str_eq(synap_compaction_status_state(status), "in_progress"), "%s", synap_compaction_status_state(status));
    CHECK(str_eq(synap_compaction_status_compaction_id(status), id), "this one");
    CHECK(synap_compaction_status_estimated_completion_seconds(status, &estimate), "estimate");
    synap_compaction_status_free(status);

    status = wait_compacted(client, conversation);
    int64_t completed = 0, version = 0;
    double ratio = 0.0, score = 0.0;
    CHECK(str_eq(synap_compaction_status_state(status), "completed"), "%s", synap_compaction_status_state(status));
    CHECK(str_eq(synap_compaction_status_conversation_id(status), conversation), "conversation");
    CHECK(str_eq(synap_compaction_status_compaction_id(status), id), "this one");
    CHECK(synap_compaction_status_completed_at_us(status, &completed) && completed >= initiated, "completed at");
    CHECK(synap_compaction_status_compression_ratio(status, &ratio) && ratio > 0.0, "ratio");
    CHECK(synap_compaction_status_validation_score(status, &score) && score > 0.0 && score <= 1.0, "score");
    CHECK(synap_compaction_status_latest_version(status, &version) && version == 1, "version 1");
    CHECK(synap_compaction_status_error_message(status) == NULL, "no error");
    synap_compaction_status_free(status);

    /* The compacted state, with the defaults (structured, the latest). */
    compacted = DANGLING(SynapCompacted);
    CHECK(synap_conversation_compacted(client, conversation, NULL, &compacted) == SYNAP_OK, "compacted: %s",
          synap_last_error_message());
    CHECK(compacted != NULL, "compacted now");
    int64_t original = 0, tokens = 0, ttl = 0;
    bool passed = false, warning = true;
    CHECK(str_eq(synap_compacted_id(compacted), id), "this one");
    CHECK(starts_with(synap_compacted_formatted_context(compacted), "## Conversation so far (compacted, 6 messages)"),
          "%s", synap_compacted_formatted_context(compacted));
    CHECK(contains(synap_compacted_formatted_context(compacted), "I switched to decaf after 3pm."), "summary");
    CHECK(synap_compacted_original_token_count(compacted, &original) && original > 0, "original tokens");
    CHECK(synap_compacted_compacted_token_count(compacted, &tokens) && tokens > 0, "tokens");
    CHECK(synap_compacted_compression_ratio(compacted, &ratio) && ratio > 0.0, "ratio");
    CHECK(str_eq(synap_compacted_strategy_used(compacted), "balanced"), "%s", synap_compacted_strategy_used(compacted));
    CHECK(synap_compacted_validation_score(compacted, &score) && score > 0.0, "score");
    CHECK(synap_compacted_validation_passed(compacted, &passed) && passed, "passed");
    CHECK(synap_compacted_quality_warning(compacted, &warning) && !warning, "no warning");
    CHECK(starts_with(synap_compacted_facts_json(compacted), "["), "facts %s", synap_compacted_facts_json(compacted));
    CHECK(contains(synap_compacted_decisions_json(compacted), "I will block Friday afternoon."), "decisions %s",
          synap_compacted_decisions_json(compacted));
    CHECK(starts_with(synap_compacted_preferences_json(compacted), "["), "preferences");
    CHECK(contains(synap_compacted_current_state_json(compacted), "\"messages_covered\":6"), "state %s",
          synap_compacted_current_state_json(compacted));
    CHECK(synap_compacted_ttl_seconds(compacted, &ttl) && ttl == 300, "ttl %" PRId64, ttl);
    CHECK(contains(synap_compacted_raw_json(compacted), id), "raw");
    synap_compacted_free(compacted);

    /* In another format, at a version; a version not made yet is none. */
    SynapCompactedOptions *read = synap_compacted_options_new();
    CHECK(synap_compacted_options_set_format(read, "narrative") == SYNAP_OK, "narrative");
    CHECK(synap_compacted_options_set_version(read, 1) == SYNAP_OK, "version 1");
    compacted = NULL;
    CHECK(synap_conversation_compacted(client, conversation, read, &compacted) == SYNAP_OK, "narrative");
    CHECK(starts_with(synap_compacted_formatted_context(compacted), "So far in this conversation (6 messages): "),
          "%s", synap_compacted_formatted_context(compacted));
    synap_compacted_free(compacted);
    CHECK(synap_compacted_options_set_format(read, "injection") == SYNAP_OK, "injection");
    compacted = NULL;
    CHECK(synap_conversation_compacted(client, conversation, read, &compacted) == SYNAP_OK, "injection");
    CHECK(starts_with(synap_compacted_formatted_context(compacted), "<conversation_context>"), "%s",
          synap_compacted_formatted_context(compacted));
    synap_compacted_free(compacted);
    CHECK(synap_compacted_options_set_version(read, 2) == SYNAP_OK, "version 2");
    compacted = DANGLING(SynapCompacted);
    CHECK(synap_conversation_compacted(client, conversation, read, &compacted) == SYNAP_OK, "version 2: none");
    CHECK(compacted == NULL, "not made yet");
    synap_compacted_options_free(read);

    /* The prompt after it: the summary, then what was said after the cut-off. */
    CHECK(record(client, conversation, "user", "Is the oat milk latte decaf too?") == SYNAP_OK, "after the cut-off");
    SynapPromptContext *prompt = NULL;
    CHECK(synap_conversation_prompt_context(client, conversation, NULL, &prompt) == SYNAP_OK, "prompt: %s",
          synap_last_error_message());
    const char *text = synap_prompt_context_formatted_context(prompt);
    CHECK(synap_prompt_context_available(prompt), "available");
    CHECK(synap_prompt_context_is_stale(prompt), "stale: a message came after");
    CHECK(synap_prompt_context_compacted_message_count(prompt) == 6, "6 compacted");
    CHECK(synap_prompt_context_total_message_count(prompt) == 7, "7 in all");
    CHECK(synap_prompt_context_recent_message_count(prompt) == 1, "1 recent");
    CHECK(str_eq(synap_prompt_context_compaction_id(prompt), id), "this compaction");
    CHECK(starts_with(synap_prompt_context_context_block(prompt), "## Conversation so far (compacted, 6 messages)"),
          "%s", synap_prompt_context_context_block(prompt));
    CHECK(starts_with(text, "## Conversation so far (compacted, 6 messages)\nI switched to decaf after 3pm."), "%s",
          text);
    CHECK(contains(text, "user: Is the oat milk latte decaf too?"), "the turn after the cut-off: %s", text);
    CHECK(!contains(text, "user: My sister Dana"), "no compacted turn verbatim: %s", text);
    CHECK(synap_prompt_context_turn_count(prompt) == 1, "one recent turn");
    CHECK(str_eq(synap_turn_content(synap_prompt_context_turn(prompt, 0)), "Is the oat milk latte decaf too?"),
          "the recent turn");
    synap_prompt_context_free(prompt);
    status = NULL;
    CHECK(synap_conversation_compaction_status(client, conversation, &status) == SYNAP_OK, "status");
    CHECK(str_eq(synap_compaction_status_state(status), "stale"), "%s", synap_compaction_status_state(status));
    synap_compaction_status_free(status);

    /* The next one replaces it. */
    compaction = NULL;
    CHECK(synap_conversation_compact(client, conversation, NULL, &compaction) == SYNAP_OK, "again: %s",
          synap_last_error_message());
    CHECK(str_eq(synap_compaction_previous_id(compaction), id), "replaces %s", id);
    synap_compaction_free(compaction);
    status = wait_compacted(client, conversation);
    CHECK(synap_compaction_status_latest_version(status, &version) && version == 2, "version 2");
    synap_compaction_status_free(status);
}

/* ---- eight threads, one client, one conversation ---- */

struct recorder {
    const SynapClient *client;
    const char *conversation;
    int thread;
    int failures;
    SynapCode first_failure;
};

static void *record_fifty(void *arg) {
    struct recorder *r = arg;
    SynapMessageRequest *m = synap_message_request_new();
    if (synap_message_request_set_conversation_id(m, r->conversation) != SYNAP_OK ||
        synap_message_request_set_user_id(m, USER) != SYNAP_OK ||
        synap_message_request_set_customer_id(m, CUSTOMER) != SYNAP_OK) {
        r->failures = PER_THREAD;
        synap_message_request_free(m);
        return NULL;
    }
    for (int i = 0; i < PER_THREAD; i++) {
        char content[64];
        snprintf(content, sizeof content, "thread %d message %d", r->thread, i);
        SynapRecordedMessage *recorded = NULL;
        SynapCode code = synap_message_request_set_role(m, i % 2 == 0 ? "user" : "assistant");
        if (code == SYNAP_OK) {
            code = synap_message_request_set_content(m, content);
        }
        if (code == SYNAP_OK) {
            code = synap_conversation_record_message(r->client, m, &recorded);
        }
        if (code != SYNAP_OK && r->failures++ == 0) {
            r->first_failure = code;
        }
        synap_recorded_message_free(recorded);
    }
    synap_message_request_free(m);
    return NULL;
}

static void test_threads(const SynapClient *client) {
    const char *conversation = fixture("THREADS");
    pthread_t threads[THREADS];
    struct recorder recorders[THREADS];
    for (int t = 0; t < THREADS; t++) {
        recorders[t] = (struct recorder){client, conversation, t, 0, SYNAP_OK};
        CHECK(pthread_create(&threads[t], NULL, record_fifty, &recorders[t]) == 0, "thread %d", t);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(recorders[t].failures == 0, "thread %d: %d failures, the first %s", t, recorders[t].failures,
              synap_code_name((int)recorders[t].first_failure));
    }

    /* Every message once, each thread's in its own order, read 37 a page. */
    enum { ALL = THREADS * PER_THREAD };
    static char *contents[ALL + 1], *roles[ALL + 1];
    size_t n = read_all(client, conversation, 37, contents, roles, ALL + 1);
    CHECK(n == ALL, "%zu stored of %d", n, ALL);
    int seen[THREADS][PER_THREAD] = {{0}};
    int next[THREADS] = {0};
    int in_order = 1, malformed = 0;
    for (size_t i = 0; i < n && i < ALL; i++) {
        int t = -1, k = -1;
        if (contents[i] == NULL || sscanf(contents[i], "thread %d message %d", &t, &k) != 2 || t < 0 ||
            t >= THREADS || k < 0 || k >= PER_THREAD) {
            malformed++;
            continue;
        }
        seen[t][k]++;
        in_order &= k == next[t];
        next[t] = k + 1;
        malformed += !str_eq(roles[i], k % 2 == 0 ? "user" : "assistant");
    }
    int once = 1;
    for (int t = 0; t < THREADS; t++) {
        for (int k = 0; k < PER_THREAD; k++) {
            once &= seen[t][k] == 1;
        }
    }
    CHECK(malformed == 0, "%d messages not as recorded", malformed);
    CHECK(once, "every message stored exactly once");
    CHECK(in_order, "each thread's messages in the order it recorded them");
    free_all(contents, n < ALL + 1 ? n : ALL + 1);
    free_all(roles, n < ALL + 1 ? n : ALL + 1);
}

int main(void) {
    test_message_request_refusals();
    test_transcript_request_refusals();
    test_compaction_option_refusals();
    test_null_handles();
    /* First of the calls that reach the emulator: its scripted faults are
     * for the first four requests of each write route. */
    test_writes_are_not_repeated();

    SynapClient *client = make_client(1, 0);
    test_call_refusals(client);
    test_record_and_list(client);
    test_batch(client);
    test_ingest(client);
    test_compaction(client);
    synap_client_free(client);

    client = make_client(3, 0);
    test_threads(client);
    synap_client_free(client);
    return finish();
}
