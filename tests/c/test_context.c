/* Context retrieval through the C API against the emulator: the request
 * builder and each of its refusals, every accessor on NULL, a real fetch
 * (the decaf preference ranked first, every item accessor), the
 * conversation's state and turns, profiles (owned, lent, missing), the
 * prompt context in each style, summary mode, and hostile bodies the
 * emulator serves on the client-scope fetch route. Run by tests/c_api.rs
 * under valgrind and by tests/c_sanitizers.rs, with fixtures in the
 * environment (tests/common/cprog.rs, context_fixtures). */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <limits.h>
#include <stdint.h>

#include "check.h"
#include "synap.h"

static const char *DEV_KEY = "synap_dev_emulator";
static const char *USER = "c-user";
static const char *CUSTOMER = "c-customer";
static const char *QUESTION = "what does the user drink after 3pm?";
static const char *DECAF = "I switched to decaf after 3pm.";
/* 2025-01-15T10:30:00Z */
static const int64_t JAN15_1030_US = 1736937000000000;

static SynapClient *make_client(const char *base_url, uint64_t max_body_bytes) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    CHECK(synap_options_set_base_url(options, base_url) == SYNAP_OK, "base url");
    CHECK(synap_options_set_max_attempts(options, 1) == SYNAP_OK, "one attempt");
    if (max_body_bytes > 0) {
        CHECK(synap_options_set_max_body_bytes(options, max_body_bytes) == SYNAP_OK, "body cap");
    }
    CHECK(synap_client_new(DEV_KEY, options, &client) == SYNAP_OK, "client: %s", synap_last_error_message());
    synap_options_free(options);
    return client;
}

static int contains(const char *haystack, const char *needle) {
    return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* ---- the request builder ---- */

typedef SynapCode (*TextSetter)(SynapContextRequest *, const char *);

static void test_request_refusals(void) {
    int bad_scopes[] = {0, 5, -1, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad_scopes / sizeof bad_scopes[0]; i++) {
        CHECK(synap_context_request_new(bad_scopes[i]) == NULL, "scope %d refused", bad_scopes[i]);
        CHECK(contains(synap_last_error_message(), "SynapContextScope"), "%s", synap_last_error_message());
    }
    SynapContextRequest *r = synap_context_request_new(SYNAP_SCOPE_USER);
    CHECK(r != NULL, "user request");

    /* Every setter refuses a NULL request. */
    const struct {
        const char *name;
        TextSetter set;
    } text_setters[] = {
        {"user_id", synap_context_request_set_user_id},
        {"customer_id", synap_context_request_set_customer_id},
        {"conversation_id", synap_context_request_set_conversation_id},
        {"query", synap_context_request_add_query},
        {"type", synap_context_request_add_type},
        {"mode", synap_context_request_set_mode},
        {"precision_level", synap_context_request_set_precision_level},
        {"response_shape", synap_context_request_set_response_shape},
        {"query_date", synap_context_request_set_query_date},
    };
    for (size_t i = 0; i < sizeof text_setters / sizeof text_setters[0]; i++) {
        CHECK(text_setters[i].set(NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL request: %s", text_setters[i].name);
        CHECK(str_eq(synap_last_error_message(), "request is NULL"), "%s", synap_last_error_message());
        /* Text that is not UTF-8 is refused, naming the parameter. */
        CHECK(text_setters[i].set(r, "caf\xe9") == SYNAP_INVALID_ARGUMENT, "bad UTF-8: %s", text_setters[i].name);
        CHECK(contains(synap_last_error_message(), "UTF-8"), "%s", synap_last_error_message());
    }
    CHECK(synap_context_request_set_scope(NULL, SYNAP_SCOPE_USER) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_context_request_clear_queries(NULL) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_context_request_set_max_results(NULL, 5) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_context_request_set_max_results_per_query(NULL, 5) == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_context_request_add_scope_level(NULL, "team", "x") == SYNAP_INVALID_ARGUMENT, "NULL request");
    CHECK(synap_context_request_set_summary_mode(NULL, true, 3) == SYNAP_INVALID_ARGUMENT, "NULL request");

    /* NULL values where a value is needed. */
    CHECK(synap_context_request_set_user_id(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL user id");
    CHECK(synap_context_request_set_customer_id(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL customer id");
    CHECK(synap_context_request_set_conversation_id(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL conversation id");
    CHECK(synap_context_request_add_query(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL query");
    CHECK(synap_context_request_add_type(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL type");
    CHECK(synap_context_request_set_mode(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL mode");
    CHECK(synap_context_request_set_precision_level(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL precision");
    CHECK(synap_context_request_set_response_shape(r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL shape");
    CHECK(synap_context_request_add_scope_level(r, NULL, "x") == SYNAP_INVALID_ARGUMENT, "NULL scope level");
    CHECK(synap_context_request_add_scope_level(r, "team", NULL) == SYNAP_INVALID_ARGUMENT, "NULL scope value");
    CHECK(synap_context_request_add_scope_level(r, "\xff", "x") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 level");
    CHECK(synap_context_request_add_scope_level(r, "team", "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 value");
    CHECK(synap_context_request_add_scope_level(r, "", "x") == SYNAP_INVALID_ARGUMENT, "empty scope level");

    /* Values the service would refuse, refused here, naming the field. */
    CHECK(synap_context_request_set_user_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty user id");
    CHECK(contains(synap_last_error_message(), "user_id"), "%s", synap_last_error_message());
    CHECK(synap_context_request_set_customer_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty customer id");
    CHECK(contains(synap_last_error_message(), "customer_id"), "%s", synap_last_error_message());
    CHECK(synap_context_request_set_conversation_id(r, "") == SYNAP_INVALID_ARGUMENT, "empty conversation id");
    const char *not_uuids[] = {"conv-1", "../status/x", "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c", "zzzzzzzz-9d8e-4f7a-b6c5-d4e3f2a1b0c9"};
    for (size_t i = 0; i < sizeof not_uuids / sizeof not_uuids[0]; i++) {
        CHECK(synap_context_request_set_conversation_id(r, not_uuids[i]) == SYNAP_INVALID_ARGUMENT, "%s",
              not_uuids[i]);
        CHECK(contains(synap_last_error_message(), "conversation_id"), "%s", synap_last_error_message());
    }
    CHECK(synap_context_request_set_mode(r, "slow") == SYNAP_INVALID_ARGUMENT, "unknown mode");
    CHECK(contains(synap_last_error_message(), "mode"), "%s", synap_last_error_message());
    CHECK(synap_context_request_add_type(r, "notes") == SYNAP_INVALID_ARGUMENT, "unknown type");
    CHECK(synap_context_request_add_type(r, "Facts") == SYNAP_INVALID_ARGUMENT, "types are lower case");
    CHECK(synap_context_request_set_precision_level(r, "low") == SYNAP_INVALID_ARGUMENT, "unknown precision");
    CHECK(synap_context_request_set_response_shape(r, "flat") == SYNAP_INVALID_ARGUMENT, "unknown shape");
    CHECK(synap_context_request_set_max_results(r, 0) == SYNAP_INVALID_ARGUMENT, "max_results 0");
    CHECK(contains(synap_last_error_message(), "max_results"), "%s", synap_last_error_message());
    CHECK(synap_context_request_set_summary_mode(r, true, 21) == SYNAP_INVALID_ARGUMENT, "last_n 21");
    CHECK(contains(synap_last_error_message(), "last_n_conversations"), "%s", synap_last_error_message());
    for (size_t i = 0; i < sizeof bad_scopes / sizeof bad_scopes[0]; i++) {
        CHECK(synap_context_request_set_scope(r, bad_scopes[i]) == SYNAP_INVALID_ARGUMENT, "scope %d",
              bad_scopes[i]);
    }

    /* What is accepted. */
    CHECK(synap_context_request_set_user_id(r, "u/1?#") == SYNAP_OK, "any user id text");
    CHECK(synap_context_request_set_customer_id(r, "c-1") == SYNAP_OK, "customer id");
    const char *uuids[] = {"3F2A1B0C-9D8E-4F7A-B6C5-D4E3F2A1B0C9", "3f2a1b0c9d8e4f7ab6c5d4e3f2a1b0c9",
                           "{3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9}"};
    for (size_t i = 0; i < sizeof uuids / sizeof uuids[0]; i++) {
        CHECK(synap_context_request_set_conversation_id(r, uuids[i]) == SYNAP_OK, "%s: %s", uuids[i],
              synap_last_error_message());
    }
    CHECK(synap_context_request_add_query(r, "") == SYNAP_OK, "a blank query is kept (and counts as none)");
    CHECK(synap_context_request_clear_queries(r) == SYNAP_OK, "clear queries");
    const char *types[] = {"facts", "preferences", "episodes", "emotions", "temporal_events", "all"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        CHECK(synap_context_request_add_type(r, types[i]) == SYNAP_OK, "%s", types[i]);
    }
    CHECK(synap_context_request_set_mode(r, "accurate") == SYNAP_OK, "accurate");
    CHECK(synap_context_request_set_precision_level(r, "medium") == SYNAP_OK, "medium");
    CHECK(synap_context_request_set_response_shape(r, "ranked") == SYNAP_OK, "ranked");
    CHECK(synap_context_request_set_query_date(r, "2025-03-11") == SYNAP_OK, "query date");
    CHECK(synap_context_request_set_query_date(r, NULL) == SYNAP_OK, "NULL clears the query date");
    CHECK(synap_context_request_set_query_date(r, "") == SYNAP_OK, "\"\" clears the query date");
    CHECK(synap_context_request_set_max_results(r, UINT32_MAX) == SYNAP_OK, "any positive max (the service bounds it)");
    CHECK(synap_context_request_set_max_results_per_query(r, 0) == SYNAP_OK, "0: no bound per query");
    CHECK(synap_context_request_add_scope_level(r, "team", "payments") == SYNAP_OK, "scope level");
    CHECK(synap_context_request_add_scope_level(r, "team", "billing") == SYNAP_OK, "scope level replaced");
    CHECK(synap_context_request_set_summary_mode(r, false, 20) == SYNAP_OK, "last_n 20");
    CHECK(synap_context_request_set_summary_mode(r, true, 0) == SYNAP_OK, "last_n 0");
    /* Summary mode is for the user scope only, both ways round. */
    CHECK(synap_context_request_set_scope(r, SYNAP_SCOPE_CLIENT) == SYNAP_INVALID_ARGUMENT, "summary: user only");
    CHECK(contains(synap_last_error_message(), "summary mode"), "%s", synap_last_error_message());
    synap_context_request_free(r);

    int other_scopes[] = {SYNAP_SCOPE_CUSTOMER, SYNAP_SCOPE_CLIENT, SYNAP_SCOPE_CONVERSATION};
    for (size_t i = 0; i < sizeof other_scopes / sizeof other_scopes[0]; i++) {
        r = synap_context_request_new(other_scopes[i]);
        CHECK(r != NULL, "scope %d", other_scopes[i]);
        CHECK(synap_context_request_set_summary_mode(r, true, 5) == SYNAP_INVALID_ARGUMENT, "summary off user");
        CHECK(synap_context_request_set_scope(r, SYNAP_SCOPE_USER) == SYNAP_OK, "to the user scope");
        CHECK(synap_context_request_set_summary_mode(r, true, 5) == SYNAP_OK, "summary on the user scope");
        synap_context_request_free(r);
    }
    synap_context_request_free(NULL);

    SynapPromptOptions *how = synap_prompt_options_new();
    CHECK(how != NULL, "prompt options");
    CHECK(synap_prompt_options_set_style(how, "poetic") == SYNAP_INVALID_ARGUMENT, "unknown style");
    CHECK(contains(synap_last_error_message(), "style"), "%s", synap_last_error_message());
    CHECK(synap_prompt_options_set_style(how, NULL) == SYNAP_INVALID_ARGUMENT, "NULL style");
    CHECK(synap_prompt_options_set_style(how, "\xff") == SYNAP_INVALID_ARGUMENT, "bad UTF-8 style");
    CHECK(synap_prompt_options_set_style(NULL, "narrative") == SYNAP_INVALID_ARGUMENT, "NULL options");
    CHECK(synap_prompt_options_set_style(how, "narrative") == SYNAP_OK, "narrative");
    synap_prompt_options_free(how);
    synap_prompt_options_free(NULL);
}

/* ---- every accessor on NULL: the documented defaults ---- */

static void test_null_handles(void) {
    double d = -7.0;
    int64_t n = -7;
    CHECK(synap_context_count(NULL, SYNAP_LIST_FACTS) == 0, "count");
    CHECK(synap_context_item(NULL, SYNAP_LIST_FACTS, 0) == NULL, "item");
    CHECK(synap_context_conversation(NULL) == NULL, "conversation");
    CHECK(synap_context_retrieval(NULL) == NULL, "retrieval");
    CHECK(synap_context_profile(NULL) == NULL, "profile");
    CHECK(synap_context_conversation_count(NULL) == 0, "conversation count");
    CHECK(synap_context_conversation_summary(NULL, 0) == NULL, "conversation summary");
    CHECK(synap_context_ttl_seconds(NULL) == 0, "ttl");
    CHECK(synap_context_source(NULL) == NULL, "source");
    CHECK(synap_context_correlation_id(NULL) == NULL, "correlation id");
    CHECK(synap_context_retrieved_at_us(NULL) == 0, "retrieved at");
    CHECK(synap_context_raw_json(NULL) == NULL, "raw json");
    synap_context_free(NULL);

    const SynapContextItem *item = NULL;
    CHECK(synap_context_item_kind(item) == NULL && synap_context_item_id(item) == NULL, "kind, id");
    CHECK(synap_context_item_text(item) == NULL && synap_context_item_label(item) == NULL, "text, label");
    CHECK(synap_context_item_source(item) == NULL && synap_context_item_event_precision(item) == NULL, "source");
    CHECK(synap_context_item_temporal_category(item) == NULL, "temporal category");
    CHECK(synap_context_item_metadata_json(item) == NULL, "metadata");
    CHECK(!synap_context_item_score(item, &d) && !synap_context_item_temporal_confidence(item, &d), "doubles");
    CHECK(!synap_context_item_rank_score(item, &d) && d == -7.0, "rank score, out untouched");
    CHECK(!synap_context_item_time_us(item, &n) && !synap_context_item_event_date_us(item, &n), "times");
    CHECK(!synap_context_item_event_end_us(item, &n) && !synap_context_item_said_at_us(item, &n), "times");
    CHECK(!synap_context_item_valid_until_us(item, &n) && !synap_context_item_rank(item, &n) && n == -7, "times");
    CHECK(synap_context_item_matched_query_count(item) == 0 && synap_context_item_matched_query(item, 0) == NULL,
          "matched queries");
    CHECK(synap_context_item_source_evidence_count(item) == 0 &&
              synap_context_item_source_evidence(item, 0) == NULL,
          "source evidence");
    CHECK(synap_context_item_participant_count(item) == 0 && synap_context_item_participant(item, 0) == NULL,
          "participants");

    const SynapConversationContext *conversation = NULL;
    CHECK(synap_conversation_context_id(conversation) == NULL, "conversation id");
    CHECK(synap_conversation_context_summary(conversation) == NULL, "summary");
    CHECK(synap_conversation_context_compaction_id(conversation) == NULL, "compaction id");
    CHECK(synap_conversation_context_compacted_at(conversation) == NULL, "compacted at");
    CHECK(synap_conversation_context_formatted_context(conversation) == NULL, "formatted");
    CHECK(synap_conversation_context_current_state_json(conversation) == NULL, "current state");
    CHECK(synap_conversation_context_key_extractions_json(conversation) == NULL, "key extractions");
    CHECK(synap_conversation_context_turn_count(conversation) == 0, "turn count");
    CHECK(synap_conversation_context_turn(conversation, 0) == NULL, "turn");

    const SynapTurn *turn = NULL;
    CHECK(synap_turn_role(turn) == NULL && synap_turn_content(turn) == NULL, "turn role, content");
    CHECK(synap_turn_message_id(turn) == NULL && !synap_turn_timestamp_us(turn, &n) && n == -7, "turn id, time");

    const SynapRetrieval *retrieval = NULL;
    CHECK(!synap_retrieval_degraded(retrieval), "degraded");
    CHECK(synap_retrieval_level(retrieval) == NULL && synap_retrieval_code(retrieval) == NULL, "level, code");
    CHECK(synap_retrieval_warning_count(retrieval) == 0 && synap_retrieval_warning(retrieval, 0) == NULL,
          "warnings");

    const SynapConversationSummary *summary = NULL;
    CHECK(synap_conversation_summary_id(summary) == NULL && synap_conversation_summary_status(summary) == NULL,
          "summary id, status");
    CHECK(synap_conversation_summary_text(summary) == NULL && synap_conversation_summary_json(summary) == NULL,
          "summary text, json");
    CHECK(!synap_conversation_summary_message_count(summary, &n) &&
              !synap_conversation_summary_started_at_us(summary, &n) &&
              !synap_conversation_summary_last_message_at_us(summary, &n) && n == -7,
          "summary numbers");

    const SynapProfile *profile = NULL;
    CHECK(synap_profile_overview(profile) == NULL && synap_profile_json(profile) == NULL, "overview, json");
    CHECK(synap_profile_attribute_count(profile) == 0, "attribute count");
    CHECK(synap_profile_attribute_name(profile, 0) == NULL && synap_profile_attribute_value_json(profile, 0) == NULL,
          "attribute");
    CHECK(synap_profile_attribute_source_conversation_id(profile, 0) == NULL, "attribute source");
    CHECK(!synap_profile_attribute_confidence(profile, 0, &d) && !synap_profile_attribute_updated_at_us(profile, 0, &n),
          "attribute numbers");
    synap_profile_free(NULL);

    const SynapPromptContext *prompt = NULL;
    CHECK(synap_prompt_context_formatted_context(prompt) == NULL, "formatted");
    CHECK(!synap_prompt_context_available(prompt) && !synap_prompt_context_is_stale(prompt), "flags");
    CHECK(!synap_prompt_context_quality_warning(prompt), "quality warning");
    CHECK(!synap_prompt_context_compression_ratio(prompt, &d) && !synap_prompt_context_validation_score(prompt, &d),
          "ratios");
    CHECK(!synap_prompt_context_compaction_age_seconds(prompt, &n) && n == -7 && d == -7.0, "age");
    CHECK(synap_prompt_context_recent_message_count(prompt) == 0, "recent count");
    CHECK(synap_prompt_context_compacted_message_count(prompt) == 0, "compacted count");
    CHECK(synap_prompt_context_total_message_count(prompt) == 0, "total count");
    CHECK(synap_prompt_context_context_block(prompt) == NULL && synap_prompt_context_compaction_id(prompt) == NULL,
          "block, compaction id");
    CHECK(synap_prompt_context_turn_count(prompt) == 0 && synap_prompt_context_turn(prompt, 0) == NULL, "turns");
    CHECK(synap_prompt_context_raw_json(prompt) == NULL, "raw json");
    synap_prompt_context_free(NULL);
}

/* ---- a real conversation: ingest it, then ask ---- */

static void ingest(const SynapClient *client, const char *text, const char *conversation) {
    SynapCreateRequest *r = synap_create_request_new();
    SynapIngestion *job = NULL;
    SynapMemoryStatus *done = NULL;
    SynapWaitOptions *how = synap_wait_options_new();
    char metadata[128];
    CHECK(synap_create_request_set_document_text(r, text) == SYNAP_OK, "text");
    CHECK(synap_create_request_set_user_id(r, USER) == SYNAP_OK, "user");
    CHECK(synap_create_request_set_customer_id(r, CUSTOMER) == SYNAP_OK, "customer");
    if (conversation != NULL) {
        snprintf(metadata, sizeof metadata, "{\"conversation_id\":\"%s\"}", conversation);
        CHECK(synap_create_request_set_metadata_json(r, metadata) == SYNAP_OK, "metadata");
    }
    CHECK(synap_wait_options_set_poll_interval_ms(how, 50) == SYNAP_OK, "interval");
    CHECK(synap_wait_options_set_timeout_ms(how, 20000) == SYNAP_OK, "timeout");
    CHECK(synap_memories_create(client, r, &job) == SYNAP_OK, "create: %s", synap_last_error_message());
    CHECK(synap_memories_wait(client, synap_ingestion_id(job), how, &done) == SYNAP_OK, "wait: %s",
          synap_last_error_message());
    CHECK(synap_status_state(done) == SYNAP_INGEST_COMPLETED, "completed");
    synap_status_free(done);
    synap_ingestion_free(job);
    synap_wait_options_free(how);
    synap_create_request_free(r);
}

static SynapContextRequest *user_request(const char *query, const char *shape) {
    SynapContextRequest *r = synap_context_request_new(SYNAP_SCOPE_USER);
    CHECK(synap_context_request_set_user_id(r, USER) == SYNAP_OK, "user");
    if (query != NULL) {
        CHECK(synap_context_request_add_query(r, query) == SYNAP_OK, "query");
    }
    if (shape != NULL) {
        CHECK(synap_context_request_set_response_shape(r, shape) == SYNAP_OK, "shape");
    }
    return r;
}

static SynapContext *fetch_ok(const SynapClient *client, const SynapContextRequest *r, const char *what) {
    SynapContext *context = (SynapContext *)&context;
    SynapCode code = synap_context_fetch(client, r, &context);
    CHECK(code == SYNAP_OK, "%s: %s: %s", what, synap_code_name((int)code), synap_last_error_message());
    return code == SYNAP_OK ? context : NULL;
}

/* The decaf preference, as both shapes return it: every accessor. */
static void check_decaf_item(const SynapContextItem *item, bool ranked) {
    double score = 0.0, rank_score = 0.0, temporal = 0.0;
    int64_t at = 0, rank = 0, unset = -7;
    CHECK(str_eq(synap_context_item_text(item), DECAF), "%s", synap_context_item_text(item));
    CHECK(str_eq(synap_context_item_kind(item), "preferences"), "kind %s", synap_context_item_kind(item));
    CHECK(synap_context_item_id(item) != NULL && strlen(synap_context_item_id(item)) == 36, "id");
    CHECK(synap_context_item_score(item, &score) && score > 0.5 && score < 1.0, "score %f", score);
    CHECK(!synap_context_item_score(item, NULL), "NULL out: false");
    CHECK(ranked || str_eq(synap_context_item_label(item), "preferences"), "label %s",
          synap_context_item_label(item));
    CHECK(synap_context_item_time_us(item, &at) && at > JAN15_1030_US, "extracted at");
    CHECK(str_eq(synap_context_item_source(item), "conversation"), "source %s", synap_context_item_source(item));
    CHECK(synap_context_item_said_at_us(item, &at) && at > JAN15_1030_US, "said at");
    CHECK(!synap_context_item_event_date_us(item, &unset) && !synap_context_item_event_end_us(item, &unset) &&
              !synap_context_item_valid_until_us(item, &unset) && unset == -7,
          "no event window");
    CHECK(synap_context_item_event_precision(item) == NULL, "no precision");
    CHECK(synap_context_item_temporal_category(item) != NULL, "temporal category");
    CHECK(synap_context_item_temporal_confidence(item, &temporal) && temporal >= 0.0 && temporal <= 1.0,
          "temporal confidence");
    CHECK(synap_context_item_matched_query_count(item) == 1, "one query matched");
    CHECK(str_eq(synap_context_item_matched_query(item, 0), QUESTION), "matched %s",
          synap_context_item_matched_query(item, 0));
    CHECK(synap_context_item_matched_query(item, 1) == NULL, "past the end");
    CHECK(synap_context_item_source_evidence_count(item) == 1 && str_eq(synap_context_item_source_evidence(item, 0), DECAF),
          "the sentence it rests on");
    CHECK(synap_context_item_source_evidence(item, 1) == NULL, "past the end");
    CHECK(synap_context_item_participant_count(item) == 0 && synap_context_item_participant(item, 0) == NULL,
          "no participants");
    CHECK(synap_context_item_rank_score(item, &rank_score) && rank_score > 0.0 && rank_score < 1.0, "rank score");
    CHECK(synap_context_item_rank(item, &rank) == ranked && (!ranked || rank == 1), "rank %lld", (long long)rank);
    CHECK(contains(synap_context_item_metadata_json(item), "\"rank_score\""), "metadata %s",
          synap_context_item_metadata_json(item));
}

static void test_fetch(const SynapClient *client, const char *conversation) {
    ingest(client, "User: I switched to decaf after 3pm. I love dark roast in the morning.\nAssistant: Noted.",
           conversation);
    ingest(client, "User: I drink green tea at lunch.", NULL);

    SynapContextRequest *r = user_request(QUESTION, "ranked");
    SynapContext *c = fetch_ok(client, r, "ranked fetch");
    size_t n = synap_context_count(c, SYNAP_LIST_RANKED);
    CHECK(n >= 1, "ranked items: %zu", n);
    check_decaf_item(synap_context_item(c, SYNAP_LIST_RANKED, 0), true);
    CHECK(synap_context_item(c, SYNAP_LIST_RANKED, n) == NULL, "past the end");
    /* In the ranked shape the typed lists are views of the ranked one. */
    CHECK(synap_context_count(c, SYNAP_LIST_PREFERENCES) >= 1, "the typed lists too");
    check_decaf_item(synap_context_item(c, SYNAP_LIST_PREFERENCES, 0), true);
    CHECK(synap_context_count(c, SYNAP_LIST_EXCERPTS) == 0, "no excerpts");
    int bad_lists[] = {0, 8, -1, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad_lists / sizeof bad_lists[0]; i++) {
        CHECK(synap_context_count(c, bad_lists[i]) == 0, "count of list %d", bad_lists[i]);
        CHECK(synap_context_item(c, bad_lists[i], 0) == NULL, "item of list %d", bad_lists[i]);
    }
    CHECK(synap_context_ttl_seconds(c) == 300, "ttl %lld", (long long)synap_context_ttl_seconds(c));
    CHECK(str_eq(synap_context_source(c), "cloud"), "source");
    CHECK(starts_with(synap_context_correlation_id(c), "syn_"), "correlation id %s", synap_context_correlation_id(c));
    CHECK(synap_context_retrieved_at_us(c) > JAN15_1030_US, "retrieved at");
    CHECK(starts_with(synap_context_raw_json(c), "{") && contains(synap_context_raw_json(c), DECAF), "raw json");
    CHECK(synap_context_retrieval(c) == NULL, "a healthy retrieval sends no block");
    CHECK(synap_context_conversation(c) == NULL, "no conversation named");
    CHECK(synap_context_profile(c) == NULL && synap_context_conversation_count(c) == 0, "no summary mode");
    synap_context_free(c);

    /* By type, with every option set; the service takes them all. */
    CHECK(synap_context_request_set_response_shape(r, "by_type") == SYNAP_OK, "by type");
    CHECK(synap_context_request_add_type(r, "preferences") == SYNAP_OK, "preferences only");
    CHECK(synap_context_request_set_mode(r, "accurate") == SYNAP_OK, "accurate");
    CHECK(synap_context_request_set_precision_level(r, "medium") == SYNAP_OK, "medium");
    CHECK(synap_context_request_set_query_date(r, "2025-03-11") == SYNAP_OK, "query date");
    CHECK(synap_context_request_set_max_results_per_query(r, 2) == SYNAP_OK, "per query");
    CHECK(synap_context_request_add_scope_level(r, "customer", CUSTOMER) == SYNAP_OK, "scope path");
    CHECK(synap_context_request_set_customer_id(r, CUSTOMER) == SYNAP_OK, "customer");
    /* In upper case: sent canonical (tests/c_api.rs reads the body). */
    char upper[64];
    snprintf(upper, sizeof upper, "%s", conversation);
    for (char *u = upper; *u; u++) {
        *u = (char)toupper((unsigned char)*u);
    }
    CHECK(synap_context_request_set_conversation_id(r, upper) == SYNAP_OK, "conversation %s", upper);
    CHECK(synap_context_request_set_max_results(r, 3) == SYNAP_OK, "max 3");
    c = fetch_ok(client, r, "by-type fetch");
    CHECK(synap_context_count(c, SYNAP_LIST_RANKED) == 0, "no ranked list by type");
    CHECK(synap_context_count(c, SYNAP_LIST_FACTS) == 0, "preferences only");
    CHECK(synap_context_count(c, SYNAP_LIST_PREFERENCES) >= 1, "preferences");
    check_decaf_item(synap_context_item(c, SYNAP_LIST_PREFERENCES, 0), false);
    /* A fetch naming a conversation with messages gets its state. */
    const SynapConversationContext *state = synap_context_conversation(c);
    CHECK(str_eq(synap_conversation_context_id(state), conversation), "conversation id");
    CHECK(synap_conversation_context_turn_count(state) == 2, "two turns: %zu",
          synap_conversation_context_turn_count(state));
    CHECK(str_eq(synap_conversation_context_current_state_json(state), "{}"), "current state");
    CHECK(str_eq(synap_conversation_context_key_extractions_json(state), "{}"), "key extractions");
    synap_context_free(c);

    /* Refused before any request, or by the service. */
    SynapContext *none = (SynapContext *)&none;
    CHECK(synap_context_fetch(NULL, r, &none) == SYNAP_INVALID_ARGUMENT && none == NULL, "NULL client");
    none = (SynapContext *)&none;
    CHECK(synap_context_fetch(client, NULL, &none) == SYNAP_INVALID_ARGUMENT && none == NULL, "NULL request");
    CHECK(synap_context_fetch(client, r, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
    CHECK(synap_context_request_set_max_results(r, 101) == SYNAP_OK, "101 is the service's to refuse");
    none = (SynapContext *)&none;
    CHECK(synap_context_fetch(client, r, &none) == SYNAP_INVALID_REQUEST && none == NULL, "max 101: %s",
          synap_last_error_message());
    CHECK(synap_last_error_http_status() == 422, "422");
    synap_context_request_free(r);
    int scopes[] = {SYNAP_SCOPE_USER, SYNAP_SCOPE_CUSTOMER, SYNAP_SCOPE_CONVERSATION};
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
        r = synap_context_request_new(scopes[i]);
        CHECK(synap_context_request_add_query(r, "decaf") == SYNAP_OK, "query");
        none = (SynapContext *)&none;
        CHECK(synap_context_fetch(client, r, &none) == SYNAP_INVALID_ARGUMENT && none == NULL,
              "scope %d without its id", scopes[i]);
        synap_context_request_free(r);
    }
}

static void test_conversation_state(const SynapClient *client, const char *conversation) {
    /* Without a query, a conversation fetch answers with its state. */
    SynapContextRequest *r = synap_context_request_new(SYNAP_SCOPE_CONVERSATION);
    CHECK(synap_context_request_set_conversation_id(r, conversation) == SYNAP_OK, "conversation");
    SynapContext *c = fetch_ok(client, r, "conversation state");
    CHECK(str_eq(synap_context_source(c), "conversation_state"), "source %s", synap_context_source(c));
    CHECK(synap_context_count(c, SYNAP_LIST_RANKED) == 0 && synap_context_count(c, SYNAP_LIST_FACTS) == 0, "no items");
    CHECK(synap_context_raw_json(c) != NULL, "the prompt context body");
    const SynapConversationContext *state = synap_context_conversation(c);
    CHECK(str_eq(synap_conversation_context_id(state), conversation), "id");
    CHECK(synap_conversation_context_summary(state) == NULL, "no compaction yet");
    CHECK(synap_conversation_context_compaction_id(state) == NULL, "no compaction id");
    CHECK(synap_conversation_context_compacted_at(state) == NULL, "not compacted");
    CHECK(starts_with(synap_conversation_context_formatted_context(state), "## Recent messages"), "%s",
          synap_conversation_context_formatted_context(state));
    CHECK(synap_conversation_context_turn_count(state) == 2, "two turns");
    const SynapTurn *first = synap_conversation_context_turn(state, 0);
    const SynapTurn *second = synap_conversation_context_turn(state, 1);
    int64_t t0 = 0, t1 = 0;
    CHECK(str_eq(synap_turn_role(first), "user") && str_eq(synap_turn_role(second), "assistant"), "roles");
    CHECK(str_eq(synap_turn_content(first), "I switched to decaf after 3pm. I love dark roast in the morning."),
          "content %s", synap_turn_content(first));
    CHECK(synap_turn_timestamp_us(first, &t0) && synap_turn_timestamp_us(second, &t1) && t0 < t1, "times");
    CHECK(synap_turn_message_id(first) != NULL, "message id");
    CHECK(synap_conversation_context_turn(state, 2) == NULL, "past the end");
    synap_context_free(c);

    /* With a query: memories of that conversation only, and its state. */
    CHECK(synap_context_request_add_query(r, "decaf") == SYNAP_OK, "query");
    c = fetch_ok(client, r, "conversation fetch");
    CHECK(str_eq(synap_context_source(c), "cloud"), "source");
    CHECK(synap_context_count(c, SYNAP_LIST_PREFERENCES) == 1, "the decaf preference");
    CHECK(synap_context_count(c, SYNAP_LIST_FACTS) == 0, "not the other document's");
    CHECK(synap_conversation_context_turn_count(synap_context_conversation(c)) == 2, "the state too");
    synap_context_free(c);
    synap_context_request_free(r);

    /* The customer route is scripted: a degraded retrieval and a full block. */
    r = synap_context_request_new(SYNAP_SCOPE_CUSTOMER);
    CHECK(synap_context_request_set_customer_id(r, CUSTOMER) == SYNAP_OK, "customer");
    CHECK(synap_context_request_add_query(r, "decaf") == SYNAP_OK, "query");
    c = fetch_ok(client, r, "scripted customer fetch");
    const SynapRetrieval *retrieval = synap_context_retrieval(c);
    CHECK(synap_retrieval_degraded(retrieval), "degraded");
    CHECK(str_eq(synap_retrieval_level(retrieval), "partial") && str_eq(synap_retrieval_code(retrieval), "timeout"),
          "level and code");
    CHECK(synap_retrieval_warning_count(retrieval) == 2, "the number is skipped: %zu",
          synap_retrieval_warning_count(retrieval));
    CHECK(str_eq(synap_retrieval_warning(retrieval, 0), "vector index timed out"), "warning 0");
    CHECK(str_eq(synap_retrieval_warning(retrieval, 1), "graph skipped"), "warning 1");
    CHECK(synap_retrieval_warning(retrieval, 2) == NULL, "past the end");
    state = synap_context_conversation(c);
    CHECK(str_eq(synap_conversation_context_id(state), conversation), "id");
    CHECK(str_eq(synap_conversation_context_summary(state), "Talked about coffee."), "summary");
    CHECK(str_eq(synap_conversation_context_compaction_id(state), "cmp-1"), "compaction id");
    CHECK(str_eq(synap_conversation_context_compacted_at(state), "2025-01-15T10:00:00Z"), "compacted at, as sent");
    CHECK(str_eq(synap_conversation_context_formatted_context(state), "## Summary\nTalked about coffee."), "text");
    CHECK(str_eq(synap_conversation_context_current_state_json(state), "{\"topic\":\"coffee\"}"), "%s",
          synap_conversation_context_current_state_json(state));
    CHECK(str_eq(synap_conversation_context_key_extractions_json(state), "{\"drink\":\"decaf\"}"), "%s",
          synap_conversation_context_key_extractions_json(state));
    CHECK(synap_conversation_context_turn_count(state) == 2, "two turns");
    first = synap_conversation_context_turn(state, 0);
    second = synap_conversation_context_turn(state, 1);
    CHECK(str_eq(synap_turn_message_id(first), "m-1") && str_eq(synap_turn_content(first), "Any decaf left?"), "turn");
    CHECK(synap_turn_timestamp_us(first, &t0) && t0 == JAN15_1030_US, "timestamp");
    t1 = -7;
    CHECK(synap_turn_content(second) == NULL && !synap_turn_timestamp_us(second, &t1) && t1 == -7,
          "null content and a bad time are absent");
    CHECK(synap_turn_message_id(second) == NULL, "no message id");
    synap_context_free(c);
    /* Used up: the next one is healthy. */
    c = fetch_ok(client, r, "customer fetch");
    CHECK(synap_context_retrieval(c) == NULL, "no retrieval block");
    CHECK(synap_context_count(c, SYNAP_LIST_PREFERENCES) == 1, "the customer's decaf preference");
    synap_context_free(c);
    synap_context_request_free(r);
}

static int refusals_logged = 0;

static void on_log(SynapLogLevel level, const char *message, void *user_data) {
    (void)user_data;
    if (level == SYNAP_LOG_ERROR && contains(message, "refused to free a SynapProfile")) {
        refusals_logged++;
    }
}

static void check_profile(const SynapProfile *p, const char *conversation) {
    size_t n = synap_profile_attribute_count(p);
    CHECK(n == 2, "two preferences: %zu", n);
    CHECK(contains(synap_profile_overview(p), "2 preferences on record."), "%s", synap_profile_overview(p));
    CHECK(starts_with(synap_profile_json(p), "{") && contains(synap_profile_json(p), "\"attributes\""), "json");
    int decaf = 0;
    for (size_t i = 0; i < n; i++) {
        double confidence = 0.0;
        int64_t updated = 0;
        const char *value = synap_profile_attribute_value_json(p, i);
        CHECK(synap_profile_attribute_name(p, i) != NULL, "name");
        CHECK(starts_with(value, "\""), "a string keeps its quotes: %s", value);
        decaf += str_eq(value, "\"I switched to decaf after 3pm.\"");
        CHECK(str_eq(synap_profile_attribute_source_conversation_id(p, i), conversation), "source conversation");
        CHECK(synap_profile_attribute_confidence(p, i, &confidence) && confidence > 0.0 && confidence <= 1.0,
              "confidence");
        CHECK(synap_profile_attribute_updated_at_us(p, i, &updated) && updated > JAN15_1030_US, "updated at");
    }
    CHECK(decaf == 1, "the decaf attribute");
    double untouched = -7.0;
    CHECK(synap_profile_attribute_name(p, n) == NULL && synap_profile_attribute_value_json(p, n) == NULL, "past end");
    CHECK(synap_profile_attribute_source_conversation_id(p, n) == NULL, "past the end");
    CHECK(!synap_profile_attribute_confidence(p, n, &untouched) && untouched == -7.0, "past the end");
}

static void test_profiles(const SynapClient *client, const char *conversation) {
    SynapProfile *p = (SynapProfile *)&p;
    CHECK(synap_user_profile(client, USER, CUSTOMER, &p) == SYNAP_OK, "profile: %s", synap_last_error_message());
    check_profile(p, conversation);
    synap_profile_free(p);
    p = (SynapProfile *)&p;
    CHECK(synap_user_profile(client, USER, NULL, &p) == SYNAP_OK, "without a customer");
    synap_profile_free(p);

    p = (SynapProfile *)&p;
    CHECK(synap_user_profile(client, "nobody", NULL, &p) == SYNAP_NOT_FOUND && p == NULL, "no profile yet");
    CHECK(synap_last_error_http_status() == 404, "404");
    CHECK(synap_last_error_correlation_id() != NULL, "correlation id");
    p = (SynapProfile *)&p;
    CHECK(synap_user_profile(client, "", NULL, &p) == SYNAP_INVALID_ARGUMENT && p == NULL, "empty user");
    CHECK(synap_user_profile(client, NULL, NULL, &p) == SYNAP_INVALID_ARGUMENT, "NULL user");
    CHECK(synap_user_profile(client, "\xff", NULL, &p) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 user");
    CHECK(synap_user_profile(client, USER, "\xff", &p) == SYNAP_INVALID_ARGUMENT, "bad UTF-8 customer");
    CHECK(synap_user_profile(NULL, USER, NULL, &p) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_user_profile(client, USER, NULL, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");

    /* A user fetch without a query answers with the profile, lent. */
    SynapContextRequest *r = user_request(NULL, NULL);
    SynapContext *c = fetch_ok(client, r, "profile fetch");
    CHECK(str_eq(synap_context_source(c), "profile"), "source %s", synap_context_source(c));
    CHECK(synap_context_raw_json(c) == NULL, "no fetch body");
    CHECK(synap_context_count(c, SYNAP_LIST_FACTS) == 0, "no memories");
    const SynapProfile *lent = synap_context_profile(c);
    check_profile(lent, conversation);
    /* Freeing the lent profile is refused (and logged); it stays readable. */
    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, on_log, NULL) == SYNAP_OK, "log callback");
    synap_profile_free((SynapProfile *)lent);
    CHECK(synap_set_log_callback(SYNAP_LOG_ERROR, NULL, NULL) == SYNAP_OK, "log off");
    CHECK(refusals_logged == 1, "the refusal was logged: %d", refusals_logged);
    check_profile(synap_context_profile(c), conversation);
    synap_context_free(c);

    /* Summary mode: the profile and the user's conversations. */
    CHECK(synap_context_request_set_summary_mode(r, true, 5) == SYNAP_OK, "summary mode");
    c = fetch_ok(client, r, "summary mode");
    CHECK(str_eq(synap_context_source(c), "cloud"), "a fetch");
    check_profile(synap_context_profile(c), conversation);
    CHECK(synap_context_conversation_count(c) == 1, "one conversation: %zu", synap_context_conversation_count(c));
    const SynapConversationSummary *s = synap_context_conversation_summary(c, 0);
    int64_t count = 0, started = 0, last = 0;
    CHECK(str_eq(synap_conversation_summary_id(s), conversation), "id");
    CHECK(str_eq(synap_conversation_summary_status(s), "pending"), "status %s", synap_conversation_summary_status(s));
    CHECK(synap_conversation_summary_text(s) == NULL, "no summary yet");
    CHECK(synap_conversation_summary_message_count(s, &count) && count == 2, "two messages");
    CHECK(synap_conversation_summary_started_at_us(s, &started) && started > JAN15_1030_US, "started");
    CHECK(synap_conversation_summary_last_message_at_us(s, &last) && last > started, "last message");
    CHECK(contains(synap_conversation_summary_json(s), "\"message_count\":2"), "%s", synap_conversation_summary_json(s));
    CHECK(synap_context_conversation_summary(c, 1) == NULL, "past the end");
    synap_context_free(c);
    CHECK(synap_context_request_set_summary_mode(r, false, 1) == SYNAP_OK, "without the profile");
    c = fetch_ok(client, r, "summary mode without the profile");
    CHECK(synap_context_profile(c) == NULL && synap_context_conversation_count(c) == 1, "conversations only");
    synap_context_free(c);
    synap_context_request_free(r);
}

static void test_prompt_context(const SynapClient *client, const char *conversation) {
    const struct {
        const char *style;
        const char *starts;
    } styles[] = {
        {"structured", "## Recent messages\n["},
        {"narrative", "Conversation so far. The user said: \"I switched to decaf after 3pm."},
        {"bullet_points", "- user: I switched to decaf after 3pm."},
    };
    SynapPromptOptions *how = synap_prompt_options_new();
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        SynapPromptContext *p = (SynapPromptContext *)&p;
        CHECK(synap_prompt_options_set_style(how, styles[i].style) == SYNAP_OK, "%s", styles[i].style);
        CHECK(synap_conversation_prompt_context(client, conversation, how, &p) == SYNAP_OK, "%s: %s",
              styles[i].style, synap_last_error_message());
        CHECK(starts_with(synap_prompt_context_formatted_context(p), styles[i].starts), "%s: %s", styles[i].style,
              synap_prompt_context_formatted_context(p));
        CHECK(synap_prompt_context_turn_count(p) == 2, "two messages");
        synap_prompt_context_free(p);
    }
    synap_prompt_options_free(how);

    SynapPromptContext *p = NULL;
    double d = -7.0;
    int64_t n = -7, at = 0;
    CHECK(synap_conversation_prompt_context(client, conversation, NULL, &p) == SYNAP_OK, "default options");
    CHECK(starts_with(synap_prompt_context_formatted_context(p), "## Recent messages"), "structured by default");
    CHECK(!synap_prompt_context_available(p) && !synap_prompt_context_is_stale(p), "no compaction, not stale");
    CHECK(!synap_prompt_context_quality_warning(p), "no quality warning");
    CHECK(!synap_prompt_context_compression_ratio(p, &d) && !synap_prompt_context_validation_score(p, &d), "nulls");
    CHECK(!synap_prompt_context_compaction_age_seconds(p, &n) && n == -7 && d == -7.0, "no age");
    CHECK(synap_prompt_context_recent_message_count(p) == 2, "recent");
    CHECK(synap_prompt_context_compacted_message_count(p) == 0, "compacted");
    CHECK(synap_prompt_context_total_message_count(p) == 2, "total");
    CHECK(synap_prompt_context_context_block(p) == NULL && synap_prompt_context_compaction_id(p) == NULL, "no block");
    const SynapTurn *turn = synap_prompt_context_turn(p, 1);
    CHECK(str_eq(synap_turn_role(turn), "assistant") && str_eq(synap_turn_content(turn), "Noted."), "turn");
    CHECK(synap_turn_message_id(turn) != NULL && synap_turn_timestamp_us(turn, &at) && at > JAN15_1030_US, "id, at");
    CHECK(synap_prompt_context_turn(p, 2) == NULL, "past the end");
    CHECK(contains(synap_prompt_context_raw_json(p), "\"recent_messages\""), "raw json");
    synap_prompt_context_free(p);

    /* A conversation nothing was said in. */
    p = NULL;
    CHECK(synap_conversation_prompt_context(client, "00000000-0000-4000-8000-000000000000", NULL, &p) == SYNAP_OK,
          "empty conversation: %s", synap_last_error_message());
    CHECK(synap_prompt_context_formatted_context(p) == NULL && synap_prompt_context_turn_count(p) == 0, "empty");
    synap_prompt_context_free(p);

    p = (SynapPromptContext *)&p;
    CHECK(synap_conversation_prompt_context(client, "conv-1", NULL, &p) == SYNAP_INVALID_ARGUMENT && p == NULL,
          "not a UUID");
    p = (SynapPromptContext *)&p;
    CHECK(synap_conversation_prompt_context(client, NULL, NULL, &p) == SYNAP_INVALID_ARGUMENT && p == NULL, "NULL id");
    CHECK(synap_conversation_prompt_context(NULL, conversation, NULL, &p) == SYNAP_INVALID_ARGUMENT, "NULL client");
    CHECK(synap_conversation_prompt_context(client, conversation, NULL, NULL) == SYNAP_INVALID_ARGUMENT, "NULL out");
}

/* ---- hostile bodies on the client-scope fetch route ---- */

/* Every accessor of an item whose every field is absent (its kind aside). */
static int item_is_empty(const SynapContextItem *item) {
    double d = -7.0;
    int64_t n = -7;
    return item != NULL && synap_context_item_id(item) == NULL &&
           synap_context_item_text(item) == NULL && !synap_context_item_score(item, &d) &&
           synap_context_item_label(item) == NULL && !synap_context_item_time_us(item, &n) &&
           synap_context_item_source(item) == NULL && !synap_context_item_event_date_us(item, &n) &&
           !synap_context_item_event_end_us(item, &n) && !synap_context_item_said_at_us(item, &n) &&
           !synap_context_item_valid_until_us(item, &n) && synap_context_item_event_precision(item) == NULL &&
           synap_context_item_temporal_category(item) == NULL && !synap_context_item_temporal_confidence(item, &d) &&
           synap_context_item_matched_query_count(item) == 0 && synap_context_item_source_evidence_count(item) == 0 &&
           synap_context_item_participant_count(item) == 0 && !synap_context_item_rank(item, &n) &&
           !synap_context_item_rank_score(item, &d) && synap_context_item_metadata_json(item) == NULL && d == -7.0 &&
           n == -7;
}

/* A client-scope fetch: the next scripted body answers it. */
static SynapCode fetch_client_scope(const SynapClient *client, SynapContext **out) {
    SynapContextRequest *r = synap_context_request_new(SYNAP_SCOPE_CLIENT);
    CHECK(synap_context_request_add_query(r, "decaf") == SYNAP_OK, "query");
    *out = (SynapContext *)out;
    SynapCode code = synap_context_fetch(client, r, out);
    synap_context_request_free(r);
    return code;
}

static void expect_refused(const SynapClient *client, SynapCode expected, const char *what, const char *says) {
    SynapContext *c = NULL;
    SynapCode code = fetch_client_scope(client, &c);
    CHECK(code == expected && c == NULL, "%s: %s: %s", what, synap_code_name((int)code), synap_last_error_message());
    CHECK(says == NULL || contains(synap_last_error_message(), says), "%s: %s", what, synap_last_error_message());
    synap_context_free(c);
}

/* In the order tests/common/cprog.rs scripts them. */
static void test_hostile_bodies(const SynapClient *client, const SynapClient *capped) {
    size_t many = (size_t)strtoul(fixture("MANY_ITEMS"), NULL, 10);
    size_t depth = (size_t)strtoul(fixture("DEPTH"), NULL, 10);
    SynapContext *c = NULL;

    CHECK(fetch_client_scope(client, &c) == SYNAP_OK, "many items: %s", synap_last_error_message());
    CHECK(synap_context_count(c, SYNAP_LIST_FACTS) == many, "%zu items", synap_context_count(c, SYNAP_LIST_FACTS));
    CHECK(item_is_empty(synap_context_item(c, SYNAP_LIST_FACTS, 0)), "an empty item reads as absent fields");
    CHECK(str_eq(synap_context_item_kind(synap_context_item(c, SYNAP_LIST_FACTS, 0)), "facts"), "its list");
    CHECK(str_eq(synap_context_item_id(synap_context_item(c, SYNAP_LIST_FACTS, many - 1)), "last"), "in order");
    CHECK(synap_context_item(c, SYNAP_LIST_FACTS, many) == NULL, "past the end");
    synap_context_free(c);

    CHECK(fetch_client_scope(client, &c) == SYNAP_OK, "deep metadata: %s", synap_last_error_message());
    const char *metadata = synap_context_item_metadata_json(synap_context_item(c, SYNAP_LIST_FACTS, 0));
    CHECK(starts_with(metadata, "{\"a\":{\"a\":") && metadata != NULL && strlen(metadata) == 6 * depth + 1,
          "captured whole, %zu levels deep", depth);
    CHECK(str_eq(synap_context_item_text(synap_context_item(c, SYNAP_LIST_FACTS, 0)), "deep one"), "text");
    synap_context_free(c);

    CHECK(fetch_client_scope(client, &c) == SYNAP_OK, "nulls: %s", synap_last_error_message());
    for (int list = SYNAP_LIST_FACTS; list <= SYNAP_LIST_TEMPORAL_EVENTS; list++) {
        CHECK(synap_context_count(c, list) == 1 && item_is_empty(synap_context_item(c, list, 0)),
              "list %d: every null is absent", list);
    }
    /* A typed item's kind is its list. */
    CHECK(str_eq(synap_context_item_kind(synap_context_item(c, SYNAP_LIST_EMOTIONS, 0)), "emotions"), "kind");
    CHECK(synap_context_count(c, SYNAP_LIST_RANKED) == 0, "no ranked list sent");
    CHECK(synap_context_ttl_seconds(c) == 300, "default ttl");
    CHECK(synap_context_retrieval(c) == NULL && synap_context_profile(c) == NULL, "null blocks are absent");
    CHECK(synap_context_conversation_count(c) == 0, "null conversations");
    const SynapConversationContext *state = synap_context_conversation(c);
    CHECK(state != NULL && synap_conversation_context_id(state) == NULL &&
              synap_conversation_context_summary(state) == NULL &&
              synap_conversation_context_formatted_context(state) == NULL &&
              synap_conversation_context_current_state_json(state) == NULL &&
              synap_conversation_context_turn_count(state) == 0,
          "a block of nulls");
    synap_context_free(c);

    CHECK(fetch_client_scope(client, &c) == SYNAP_OK, "a ranked item of nulls: %s", synap_last_error_message());
    CHECK(synap_context_count(c, SYNAP_LIST_RANKED) == 1 && item_is_empty(synap_context_item(c, SYNAP_LIST_RANKED, 0)),
          "every null is absent");
    /* A ranked item's kind is its `category`, null here: in no typed view. */
    CHECK(synap_context_item_kind(synap_context_item(c, SYNAP_LIST_RANKED, 0)) == NULL, "kind absent");
    CHECK(synap_context_count(c, SYNAP_LIST_FACTS) == 0 && synap_context_count(c, SYNAP_LIST_EXCERPTS) == 0, "views");
    synap_context_free(c);

    CHECK(fetch_client_scope(client, &c) == SYNAP_OK, "ill-typed values: %s", synap_last_error_message());
    const SynapContextItem *item = synap_context_item(c, SYNAP_LIST_PREFERENCES, 0);
    double score = 0.0;
    int64_t at = -7;
    CHECK(synap_context_item_id(item) == NULL && synap_context_item_text(item) == NULL, "not text: absent");
    CHECK(synap_context_item_score(item, &score) && score == 1.0, "explicit reads as 1.0: %f", score);
    CHECK(synap_context_item_label(item) == NULL && !synap_context_item_time_us(item, &at), "bad label, time");
    CHECK(!synap_context_item_said_at_us(item, &at) && at == -7, "a number is no time");
    CHECK(synap_context_item_matched_query_count(item) == 0, "not an array: empty");
    CHECK(synap_context_item_source_evidence_count(item) == 1 &&
              str_eq(synap_context_item_source_evidence(item, 0), "quote"),
          "only the strings");
    CHECK(synap_context_item_metadata_json(item) == NULL, "metadata not an object: absent");
    item = synap_context_item(c, SYNAP_LIST_FACTS, 0);
    CHECK(synap_context_item_score(item, &score) && score == 1.5, "a score over 1 is kept: %f", score);
    CHECK(synap_context_item_time_us(item, &at) && at == JAN15_1030_US, "time");
    CHECK(!synap_context_item_temporal_confidence(item, &score), "a word is no number");
    CHECK(synap_context_ttl_seconds(c) == 300, "a bad ttl is the default");
    /* A retrieval block is there to say something broke: a `degraded` that
     * does not read as a boolean reads as true. */
    CHECK(synap_context_retrieval(c) != NULL && synap_retrieval_degraded(synap_context_retrieval(c)) &&
              synap_retrieval_warning_count(synap_context_retrieval(c)) == 0,
          "a retrieval block of wrong types");
    synap_context_free(c);

    /* JSON escapes of lone UTF-16 halves: no text C could be lent. */
    expect_refused(client, SYNAP_PROTOCOL, "lone surrogates", "invalid context response");
    expect_refused(client, SYNAP_PROTOCOL, "not JSON", "invalid context response");
    expect_refused(client, SYNAP_PROTOCOL, "JSON cut short", "invalid context response");
    expect_refused(client, SYNAP_PROTOCOL, "a list that is not an array", "context.facts");
    expect_refused(client, SYNAP_PROTOCOL, "an item that is not an object", "context.facts[1] is not an object");
    expect_refused(client, SYNAP_NETWORK, "a body cut short on the wire", NULL);
    expect_refused(capped, SYNAP_PROTOCOL, "a body that never ends, over the cap", NULL);

    /* Scripts used up: the route answers normally again. */
    CHECK(fetch_client_scope(client, &c) == SYNAP_OK, "after the scripts: %s", synap_last_error_message());
    synap_context_free(c);
}

/* A conversation whose prompt context is BIG_BYTES of messages (twice over
 * in the body: the formatted text and the messages). */
static void test_big_conversation(const char *base_url, const SynapClient *capped) {
    const char *id = fixture("BIG_CONVERSATION");
    size_t bytes = (size_t)strtoul(fixture("BIG_BYTES"), NULL, 10);
    SynapClient *roomy = make_client(base_url, 3 * (uint64_t)bytes);
    SynapClient *plain = make_client(base_url, 0);
    SynapContextRequest *r = synap_context_request_new(SYNAP_SCOPE_CONVERSATION);
    CHECK(synap_context_request_set_conversation_id(r, id) == SYNAP_OK, "conversation");

    SynapContext *c = fetch_ok(roomy, r, "big conversation under a raised cap");
    const char *formatted = synap_conversation_context_formatted_context(synap_context_conversation(c));
    CHECK(formatted != NULL && strlen(formatted) > bytes, "the whole prompt text: %zu bytes",
          formatted ? strlen(formatted) : 0);
    synap_context_free(c);
    SynapPromptContext *p = NULL;
    CHECK(synap_conversation_prompt_context(roomy, id, NULL, &p) == SYNAP_OK, "prompt context: %s",
          synap_last_error_message());
    formatted = synap_prompt_context_formatted_context(p);
    CHECK(formatted != NULL && strlen(formatted) > bytes, "the whole prompt text");
    synap_prompt_context_free(p);

    /* The default cap (16 MiB) holds a body up to its size, no more. */
    bool over_default = 2 * (uint64_t)bytes > 16u * 1024u * 1024u;
    c = (SynapContext *)&c;
    SynapCode code = synap_context_fetch(plain, r, &c);
    CHECK(code == (over_default ? SYNAP_PROTOCOL : SYNAP_OK), "default cap: %s: %s", synap_code_name((int)code),
          synap_last_error_message());
    CHECK((code == SYNAP_OK) == (c != NULL), "out set only on success");
    synap_context_free(code == SYNAP_OK ? c : NULL);

    c = (SynapContext *)&c;
    CHECK(synap_context_fetch(capped, r, &c) == SYNAP_PROTOCOL && c == NULL, "over a 1 MB cap: %s",
          synap_last_error_message());
    p = (SynapPromptContext *)&p;
    CHECK(synap_conversation_prompt_context(capped, id, NULL, &p) == SYNAP_PROTOCOL && p == NULL, "over the cap");
    synap_context_request_free(r);
    synap_client_free(plain);
    synap_client_free(roomy);
}

/* Sent, but nothing listens: each call is SYNAP_NETWORK. */
static void test_refused_port(const char *refused_url) {
    SynapClient *client = make_client(refused_url, 0);
    SynapContextRequest *r = user_request("decaf", NULL);
    SynapContext *c = (SynapContext *)&c;
    CHECK(synap_context_fetch(client, r, &c) == SYNAP_NETWORK && c == NULL, "fetch: %s", synap_last_error_message());
    SynapProfile *p = (SynapProfile *)&p;
    CHECK(synap_user_profile(client, USER, NULL, &p) == SYNAP_NETWORK && p == NULL, "profile");
    SynapPromptContext *prompt = (SynapPromptContext *)&prompt;
    CHECK(synap_conversation_prompt_context(client, "00000000-0000-4000-8000-000000000000", NULL, &prompt) ==
                  SYNAP_NETWORK &&
              prompt == NULL,
          "prompt");
    synap_context_request_free(r);
    synap_client_free(client);
}

int main(void) {
    const char *base_url = fixture("BASE_URL");
    const char *conversation = fixture("CONVERSATION");
    SynapClient *client = make_client(base_url, 0);
    SynapClient *capped = make_client(base_url, 1024 * 1024);

    test_request_refusals();
    test_null_handles();
    test_fetch(client, conversation);
    test_conversation_state(client, conversation);
    test_profiles(client, conversation);
    test_prompt_context(client, conversation);
    test_hostile_bodies(client, capped);
    test_big_conversation(base_url, capped);
    test_refused_port(fixture("REFUSED_URL"));

    synap_client_free(capped);
    synap_client_free(client);
    return finish();
}
