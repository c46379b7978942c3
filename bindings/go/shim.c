#include "shim.h"
#include "shim_common.h"

#include <stdlib.h>
#include <string.h>

#include "_cgo_export.h"

static char *copy(const char *text) {
    if (text == NULL) {
        return NULL;
    }
    size_t size = strlen(text) + 1;
    char *out = malloc(size);
    if (out != NULL) {
        memcpy(out, text, size);
    }
    return out;
}

/* Copies the calling thread's last error for a call that returned `code`. */
int synapgo_fail(int code, synapgo_error *err) {
    err->code = code;
    err->http_status = synap_last_error_http_status();
    err->retry_after_ms = synap_last_error_retry_after_ms();
    err->message = copy(synap_last_error_message());
    err->correlation_id = copy(synap_last_error_correlation_id());
    return code;
}

int synapgo_out_of_memory(synapgo_error *err) {
    err->code = SYNAP_INTERNAL;
    err->message = copy("out of memory");
    return SYNAP_INTERNAL;
}

static SynapCode apply(SynapOptions *o, const synapgo_settings *s) {
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && (s->set & SYNAPGO_BASE_URL)) {
        code = synap_options_set_base_url(o, s->base_url);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_CONNECT_TIMEOUT)) {
        code = synap_options_set_connect_timeout_ms(o, s->connect_timeout_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_REQUEST_TIMEOUT)) {
        code = synap_options_set_request_timeout_ms(o, s->request_timeout_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_DEADLINE)) {
        code = synap_options_set_deadline_ms(o, s->deadline_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_MAX_ATTEMPTS)) {
        code = synap_options_set_max_attempts(o, s->max_attempts);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_RETRY_BACKOFF)) {
        code = synap_options_set_retry_backoff_ms(o, s->backoff_base_ms, s->backoff_cap_ms);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_PROXY)) {
        code = synap_options_set_proxy(o, s->proxy);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_CA_FILE)) {
        code = synap_options_set_ca_file(o, s->ca_file);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_SYSTEM_ROOTS)) {
        code = synap_options_set_system_roots(o, s->system_roots);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_MAX_BODY_BYTES)) {
        code = synap_options_set_max_body_bytes(o, s->max_body_bytes);
    }
    if (code == SYNAP_OK && (s->set & SYNAPGO_ALLOW_INSECURE_HTTP)) {
        code = synap_options_set_allow_insecure_http(o, s->allow_insecure_http);
    }
    return code;
}

int synapgo_client_new(const char *api_key, const synapgo_settings *settings, SynapClient **out,
                       synapgo_error *err) {
    SynapOptions *options = synap_options_new();
    if (options == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = apply(options, settings);
    if (code == SYNAP_OK) {
        code = synap_client_new(api_key, options, out);
    }
    /* Read before anything else runs, as after every failure. */
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    }
    synap_options_free(options);
    return code;
}

int synapgo_status(const SynapClient *client, const char *id, SynapMemoryStatus **out, synapgo_error *err) {
    SynapCode code = synap_memories_status(client, id, out);
    return code == SYNAP_OK ? SYNAP_OK : synapgo_fail(code, err);
}

/* Builds the options `s` describes, with `to_go` as the progress callback
 * when `s` has a handle. On failure it copies the error into `err` and
 * returns the code. */
int synapgo_wait_options(const synapgo_wait_settings *s, SynapWaitProgressFn to_go, SynapWaitOptions **out,
                         synapgo_error *err) {
    SynapWaitOptions *o = synap_wait_options_new();
    if (o == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = synap_wait_options_set_timeout_ms(o, s->timeout_ms);
    if (code == SYNAP_OK && s->poll_interval_ms > 0) {
        code = synap_wait_options_set_poll_interval_ms(o, s->poll_interval_ms);
    }
    if (code == SYNAP_OK && s->max_in_flight > 0) {
        code = synap_wait_options_set_max_in_flight(o, s->max_in_flight);
    }
    if (code == SYNAP_OK && s->progress != 0) {
        code = synap_wait_options_set_progress(o, to_go, (void *)s->progress);
    }
    if (code == SYNAP_OK && s->cancel != NULL) {
        code = synap_wait_options_set_cancel(o, s->cancel);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_wait_options_free(o);
        return code;
    }
    *out = o;
    return SYNAP_OK;
}

/* Hands each poll's progress to the Go function behind the handle. */
static bool progress_to_go(const SynapWaitProgress *progress, void *user_data) {
    return synapgoProgress((SynapWaitProgress *)progress, (uintptr_t)user_data);
}

int synapgo_wait(const SynapClient *client, const char *id, const synapgo_wait_settings *settings,
                 SynapMemoryStatus **out, synapgo_error *err) {
    SynapWaitOptions *options = NULL;
    int code = synapgo_wait_options(settings, progress_to_go, &options, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_wait(client, id, options, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    }
    synap_wait_options_free(options);
    return code;
}

/* Applies every field `in` sets to a new request. On failure it copies the
 * error into `err`, frees the request and returns the code. */
static int build(const synapgo_request *in, SynapCreateRequest **out, synapgo_error *err) {
    SynapCreateRequest *r = synap_create_request_new();
    if (r == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && in->text != NULL) {
        code = synap_create_request_set_document_text(r, in->text);
    }
    if (code == SYNAP_OK && in->json != NULL) {
        code = synap_create_request_set_document_json(r, in->json);
    }
    if (code == SYNAP_OK && in->document_type != NULL) {
        code = synap_create_request_set_document_type(r, in->document_type);
    }
    if (code == SYNAP_OK && in->mode != NULL) {
        code = synap_create_request_set_mode(r, in->mode);
    }
    if (code == SYNAP_OK && in->document_id != NULL) {
        code = synap_create_request_set_document_id(r, in->document_id);
    }
    if (code == SYNAP_OK && in->has_created_at) {
        code = synap_create_request_set_document_created_at_us(r, in->created_at_us);
    }
    if (code == SYNAP_OK && in->user_id != NULL) {
        code = synap_create_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->customer_id != NULL) {
        code = synap_create_request_set_customer_id(r, in->customer_id);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->scope_count; i++) {
        code = synap_create_request_add_scope(r, in->scope[2 * i], in->scope[2 * i + 1]);
    }
    if (code == SYNAP_OK && in->metadata_json != NULL) {
        code = synap_create_request_set_metadata_json(r, in->metadata_json);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_create_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

int synapgo_create(const SynapClient *client, const synapgo_request *request, SynapIngestion **out,
                   synapgo_error *err) {
    SynapCreateRequest *r = NULL;
    int code = build(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_create(client, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    }
    synap_create_request_free(r);
    return code;
}

int synapgo_batch_create(const SynapClient *client, const synapgo_request *requests, size_t count, bool fail_fast,
                         SynapBatch **out, size_t *bad_index, synapgo_error *err) {
    SynapCreateRequest **built = NULL;
    if (count > 0) {
        built = calloc(count, sizeof *built);
        if (built == NULL) {
            return synapgo_out_of_memory(err);
        }
    }
    int code = SYNAP_OK;
    size_t made = 0;
    for (; made < count; made++) {
        code = build(&requests[made], &built[made], err);
        if (code != SYNAP_OK) {
            *bad_index = made;
            break;
        }
    }
    if (code == SYNAP_OK) {
        code = synap_memories_batch_create(client, (const SynapCreateRequest *const *)built, count, fail_fast, out);
        if (code != SYNAP_OK) {
            synapgo_fail(code, err);
        }
    }
    for (size_t i = 0; i < made; i++) {
        synap_create_request_free(built[i]);
    }
    free(built);
    return code;
}

int synapgo_get(const SynapClient *client, const char *id, SynapMemory **out, synapgo_error *err) {
    SynapCode code = synap_memories_get(client, id, out);
    return code == SYNAP_OK ? SYNAP_OK : synapgo_fail(code, err);
}

int synapgo_whoami(const SynapClient *client, SynapIdentity **out, synapgo_error *err) {
    SynapCode code = synap_client_whoami(client, out);
    return code == SYNAP_OK ? SYNAP_OK : synapgo_fail(code, err);
}

/* Hands each change of the counts to the Go function behind the handle. */
static bool counts_to_go(const SynapWaitProgress *progress, void *user_data) {
    return synapgoWaitAllProgress((SynapWaitProgress *)progress, (uintptr_t)user_data);
}

int synapgo_wait_all(const SynapClient *client, const char *const *ids, size_t count,
                     const synapgo_wait_settings *settings, SynapWaitAllResults **out, synapgo_error *err) {
    SynapWaitOptions *options = NULL;
    int code = synapgo_wait_options(settings, counts_to_go, &options, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_wait_all(client, ids, count, options, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    }
    synap_wait_options_free(options);
    return code;
}

/* Applies every field `in` sets to a new context request. On failure it
 * copies the error into `err` and returns the code. */
static int build_context_request(const synapgo_context_request *in, SynapContextRequest **out, synapgo_error *err) {
    SynapContextRequest *r = synap_context_request_new(in->scope);
    if (r == NULL) {
        /* A refused scope sets the last error; running out of memory does not. */
        return synap_last_error_message() != NULL ? synapgo_fail(SYNAP_INVALID_ARGUMENT, err)
                                                  : synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (code == SYNAP_OK && in->user_id != NULL) {
        code = synap_context_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->customer_id != NULL) {
        code = synap_context_request_set_customer_id(r, in->customer_id);
    }
    if (code == SYNAP_OK && in->conversation_id != NULL) {
        code = synap_context_request_set_conversation_id(r, in->conversation_id);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->query_count; i++) {
        code = synap_context_request_add_query(r, in->queries[i]);
    }
    if (code == SYNAP_OK && in->max_results > 0) {
        code = synap_context_request_set_max_results(r, in->max_results);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->type_count; i++) {
        code = synap_context_request_add_type(r, in->types[i]);
    }
    if (code == SYNAP_OK && in->mode != NULL) {
        code = synap_context_request_set_mode(r, in->mode);
    }
    if (code == SYNAP_OK && in->precision_level != NULL) {
        code = synap_context_request_set_precision_level(r, in->precision_level);
    }
    if (code == SYNAP_OK && in->response_shape != NULL) {
        code = synap_context_request_set_response_shape(r, in->response_shape);
    }
    if (code == SYNAP_OK && in->query_date != NULL) {
        code = synap_context_request_set_query_date(r, in->query_date);
    }
    if (code == SYNAP_OK && in->max_results_per_query > 0) {
        code = synap_context_request_set_max_results_per_query(r, in->max_results_per_query);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->scope_path_count; i++) {
        code = synap_context_request_add_scope_level(r, in->scope_path[2 * i], in->scope_path[2 * i + 1]);
    }
    if (code == SYNAP_OK && in->summary_mode) {
        code = synap_context_request_set_summary_mode(r, in->include_profile, in->last_n_conversations);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_context_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

/* `n` zeroed elements of `size` bytes, or NULL for none; sets `*failed`
 * when memory runs out. */
void *synapgo_array(size_t n, size_t size, bool *failed) {
    if (n == 0) {
        return NULL;
    }
    void *p = calloc(n, size);
    if (p == NULL) {
        *failed = true;
    }
    return p;
}

static void read_turn(const SynapTurn *turn, synapgo_turn *out) {
    out->role = synap_turn_role(turn);
    out->content = synap_turn_content(turn);
    out->message_id = synap_turn_message_id(turn);
    out->has_timestamp = synap_turn_timestamp_us(turn, &out->timestamp_us);
}

/* Fills `view` from `profile`; false when memory ran out (nothing to free). */
static bool read_profile(const SynapProfile *profile, synapgo_profile *view) {
    bool failed = false;
    size_t count = synap_profile_attribute_count(profile);
    view->attributes = synapgo_array(count, sizeof *view->attributes, &failed);
    if (failed) {
        return false;
    }
    view->attribute_count = count;
    view->overview = synap_profile_overview(profile);
    view->json = synap_profile_json(profile);
    for (size_t i = 0; i < count; i++) {
        synapgo_attribute *a = &view->attributes[i];
        a->name = synap_profile_attribute_name(profile, i);
        a->value_json = synap_profile_attribute_value_json(profile, i);
        a->source_conversation_id = synap_profile_attribute_source_conversation_id(profile, i);
        a->has_confidence = synap_profile_attribute_confidence(profile, i, &a->confidence);
        a->has_updated_at = synap_profile_attribute_updated_at_us(profile, i, &a->updated_at_us);
    }
    return true;
}

/* How many strings an item's lists hold. */
static size_t item_strings(const SynapContextItem *item) {
    return synap_context_item_matched_query_count(item) + synap_context_item_source_evidence_count(item) +
           synap_context_item_participant_count(item);
}

/* Fills `out` from `item`, its string lists into `strings` (room for
 * item_strings(item)); returns how many it used. */
static size_t read_item(const SynapContextItem *item, synapgo_item *out, const char **strings) {
    out->kind = synap_context_item_kind(item);
    out->id = synap_context_item_id(item);
    out->text = synap_context_item_text(item);
    out->label = synap_context_item_label(item);
    out->source = synap_context_item_source(item);
    out->event_precision = synap_context_item_event_precision(item);
    out->temporal_category = synap_context_item_temporal_category(item);
    out->metadata_json = synap_context_item_metadata_json(item);
    out->has_score = synap_context_item_score(item, &out->score);
    out->has_temporal_confidence = synap_context_item_temporal_confidence(item, &out->temporal_confidence);
    out->has_rank_score = synap_context_item_rank_score(item, &out->rank_score);
    out->has_time = synap_context_item_time_us(item, &out->time_us);
    out->has_event_date = synap_context_item_event_date_us(item, &out->event_date_us);
    out->has_event_end = synap_context_item_event_end_us(item, &out->event_end_us);
    out->has_said_at = synap_context_item_said_at_us(item, &out->said_at_us);
    out->has_valid_until = synap_context_item_valid_until_us(item, &out->valid_until_us);
    out->has_rank = synap_context_item_rank(item, &out->rank);
    size_t used = 0;
    out->matched_query_count = synap_context_item_matched_query_count(item);
    if (out->matched_query_count > 0) {
        out->matched_queries = strings + used;
        for (size_t i = 0; i < out->matched_query_count; i++) {
            strings[used++] = synap_context_item_matched_query(item, i);
        }
    }
    out->source_evidence_count = synap_context_item_source_evidence_count(item);
    if (out->source_evidence_count > 0) {
        out->source_evidence = strings + used;
        for (size_t i = 0; i < out->source_evidence_count; i++) {
            strings[used++] = synap_context_item_source_evidence(item, i);
        }
    }
    out->participant_count = synap_context_item_participant_count(item);
    if (out->participant_count > 0) {
        out->participants = strings + used;
        for (size_t i = 0; i < out->participant_count; i++) {
            strings[used++] = synap_context_item_participant(item, i);
        }
    }
    return used;
}

static void free_context_view(synapgo_context_view *view) {
    free(view->items);
    free(view->strings);
    free(view->turns);
    free(view->warnings);
    free(view->summaries);
    free(view->profile.attributes);
    memset(view, 0, sizeof *view);
}

/* Fills `view` from `context`; false when memory ran out (nothing to free). */
static bool read_context(const SynapContext *context, synapgo_context_view *view) {
    /* Sizes first, so that every array is allocated before any is filled. */
    size_t items = 0;
    size_t strings = 0;
    for (int list = SYNAP_LIST_FACTS; list <= SYNAP_LIST_EXCERPTS; list++) {
        size_t count = synap_context_count(context, list);
        view->counts[list - SYNAP_LIST_FACTS] = count;
        items += count;
        for (size_t i = 0; i < count; i++) {
            strings += item_strings(synap_context_item(context, list, i));
        }
    }
    const SynapConversationContext *conversation = synap_context_conversation(context);
    const SynapRetrieval *retrieval = synap_context_retrieval(context);
    const SynapProfile *profile = synap_context_profile(context);
    bool failed = false;
    view->items = synapgo_array(items, sizeof *view->items, &failed);
    view->strings = synapgo_array(strings, sizeof *view->strings, &failed);
    view->turn_count = synap_conversation_context_turn_count(conversation);
    view->turns = synapgo_array(view->turn_count, sizeof *view->turns, &failed);
    view->warning_count = synap_retrieval_warning_count(retrieval);
    view->warnings = synapgo_array(view->warning_count, sizeof *view->warnings, &failed);
    view->summary_count = synap_context_conversation_count(context);
    view->summaries = synapgo_array(view->summary_count, sizeof *view->summaries, &failed);
    if (failed || (profile != NULL && !read_profile(profile, &view->profile))) {
        free_context_view(view);
        return false;
    }

    size_t at = 0;
    size_t used = 0;
    for (int list = SYNAP_LIST_FACTS; list <= SYNAP_LIST_EXCERPTS; list++) {
        for (size_t i = 0; i < view->counts[list - SYNAP_LIST_FACTS]; i++, at++) {
            used += read_item(synap_context_item(context, list, i), &view->items[at], view->strings + used);
        }
    }
    view->has_conversation = conversation != NULL;
    view->conversation_id = synap_conversation_context_id(conversation);
    view->summary = synap_conversation_context_summary(conversation);
    view->compaction_id = synap_conversation_context_compaction_id(conversation);
    view->compacted_at = synap_conversation_context_compacted_at(conversation);
    view->formatted_context = synap_conversation_context_formatted_context(conversation);
    view->current_state_json = synap_conversation_context_current_state_json(conversation);
    view->key_extractions_json = synap_conversation_context_key_extractions_json(conversation);
    for (size_t i = 0; i < view->turn_count; i++) {
        read_turn(synap_conversation_context_turn(conversation, i), &view->turns[i]);
    }
    view->has_retrieval = retrieval != NULL;
    view->degraded = synap_retrieval_degraded(retrieval);
    view->level = synap_retrieval_level(retrieval);
    view->code = synap_retrieval_code(retrieval);
    for (size_t i = 0; i < view->warning_count; i++) {
        view->warnings[i] = synap_retrieval_warning(retrieval, i);
    }
    view->has_profile = profile != NULL;
    for (size_t i = 0; i < view->summary_count; i++) {
        const SynapConversationSummary *s = synap_context_conversation_summary(context, i);
        synapgo_summary *out = &view->summaries[i];
        out->id = synap_conversation_summary_id(s);
        out->status = synap_conversation_summary_status(s);
        out->text = synap_conversation_summary_text(s);
        out->json = synap_conversation_summary_json(s);
        out->has_message_count = synap_conversation_summary_message_count(s, &out->message_count);
        out->has_started_at = synap_conversation_summary_started_at_us(s, &out->started_at_us);
        out->has_last_message_at = synap_conversation_summary_last_message_at_us(s, &out->last_message_at_us);
    }
    view->ttl_seconds = synap_context_ttl_seconds(context);
    view->retrieved_at_us = synap_context_retrieved_at_us(context);
    view->source = synap_context_source(context);
    view->correlation_id = synap_context_correlation_id(context);
    view->raw_json = synap_context_raw_json(context);
    return true;
}

int synapgo_context_fetch(const SynapClient *client, const synapgo_context_request *request, SynapContext **out,
                          synapgo_context_view *view, synapgo_error *err) {
    SynapContextRequest *r = NULL;
    int code = build_context_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_context_fetch(client, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else if (!read_context(*out, view)) {
        synap_context_free(*out);
        *out = NULL;
        code = synapgo_out_of_memory(err);
    }
    synap_context_request_free(r);
    return code;
}

void synapgo_context_release(SynapContext *context, synapgo_context_view *view) {
    free_context_view(view);
    synap_context_free(context);
}

int synapgo_user_profile(const SynapClient *client, const char *user_id, const char *customer_id,
                         SynapProfile **out, synapgo_profile *view, synapgo_error *err) {
    SynapCode code = synap_user_profile(client, user_id, customer_id, out);
    if (code != SYNAP_OK) {
        return synapgo_fail(code, err);
    }
    if (!read_profile(*out, view)) {
        synap_profile_free(*out);
        *out = NULL;
        return synapgo_out_of_memory(err);
    }
    return SYNAP_OK;
}

void synapgo_profile_release(SynapProfile *profile, synapgo_profile *view) {
    free(view->attributes);
    memset(view, 0, sizeof *view);
    synap_profile_free(profile);
}

/* Fills `view` from `prompt`; false when memory ran out (nothing to free). */
static bool read_prompt(const SynapPromptContext *prompt, synapgo_prompt_view *view) {
    bool failed = false;
    size_t count = synap_prompt_context_turn_count(prompt);
    view->turns = synapgo_array(count, sizeof *view->turns, &failed);
    if (failed) {
        return false;
    }
    view->turn_count = count;
    for (size_t i = 0; i < count; i++) {
        read_turn(synap_prompt_context_turn(prompt, i), &view->turns[i]);
    }
    view->formatted_context = synap_prompt_context_formatted_context(prompt);
    view->context_block = synap_prompt_context_context_block(prompt);
    view->compaction_id = synap_prompt_context_compaction_id(prompt);
    view->raw_json = synap_prompt_context_raw_json(prompt);
    view->available = synap_prompt_context_available(prompt);
    view->is_stale = synap_prompt_context_is_stale(prompt);
    view->quality_warning = synap_prompt_context_quality_warning(prompt);
    view->has_compression_ratio = synap_prompt_context_compression_ratio(prompt, &view->compression_ratio);
    view->has_validation_score = synap_prompt_context_validation_score(prompt, &view->validation_score);
    view->has_compaction_age = synap_prompt_context_compaction_age_seconds(prompt, &view->compaction_age_seconds);
    view->recent_message_count = synap_prompt_context_recent_message_count(prompt);
    view->compacted_message_count = synap_prompt_context_compacted_message_count(prompt);
    view->total_message_count = synap_prompt_context_total_message_count(prompt);
    return true;
}

int synapgo_prompt_context(const SynapClient *client, const char *conversation_id, const char *style,
                           SynapPromptContext **out, synapgo_prompt_view *view, synapgo_error *err) {
    SynapPromptOptions *options = NULL;
    SynapCode code = SYNAP_OK;
    if (style != NULL) {
        options = synap_prompt_options_new();
        if (options == NULL) {
            return synapgo_out_of_memory(err);
        }
        code = synap_prompt_options_set_style(options, style);
    }
    if (code == SYNAP_OK) {
        code = synap_conversation_prompt_context(client, conversation_id, options, out);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else if (!read_prompt(*out, view)) {
        synap_prompt_context_free(*out);
        *out = NULL;
        code = synapgo_out_of_memory(err);
    }
    synap_prompt_options_free(options);
    return code;
}

void synapgo_prompt_release(SynapPromptContext *prompt, synapgo_prompt_view *view) {
    free(view->turns);
    memset(view, 0, sizeof *view);
    synap_prompt_context_free(prompt);
}

/* Builds a message request from `in`. On failure it copies the error
 * into `err` and returns the code, with `*out` left NULL. */
static int build_message_request(const synapgo_message_request *in, SynapMessageRequest **out, synapgo_error *err) {
    SynapMessageRequest *r = synap_message_request_new();
    if (r == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (in->conversation_id != NULL) {
        code = synap_message_request_set_conversation_id(r, in->conversation_id);
    }
    if (code == SYNAP_OK && in->role != NULL) {
        code = synap_message_request_set_role(r, in->role);
    }
    if (code == SYNAP_OK && in->content != NULL) {
        code = synap_message_request_set_content(r, in->content);
    }
    if (code == SYNAP_OK && in->user_id != NULL) {
        code = synap_message_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->customer_id != NULL) {
        code = synap_message_request_set_customer_id(r, in->customer_id);
    }
    if (code == SYNAP_OK && in->session_id != NULL) {
        code = synap_message_request_set_session_id(r, in->session_id);
    }
    if (code == SYNAP_OK && in->metadata_json != NULL) {
        code = synap_message_request_set_metadata_json(r, in->metadata_json);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->scope_path_count; i++) {
        code = synap_message_request_add_scope_level(r, in->scope_path[2 * i], in->scope_path[2 * i + 1]);
    }
    if (code == SYNAP_OK && in->agent_model != NULL) {
        code = synap_message_request_set_agent_model(r, in->agent_model);
    }
    if (code == SYNAP_OK && in->agent_context_window > 0) {
        code = synap_message_request_set_agent_context_window(r, in->agent_context_window);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_message_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

static void read_recorded(const SynapRecordedMessage *message, synapgo_recorded *out) {
    out->message_id = synap_recorded_message_id(message);
    out->conversation_id = synap_recorded_message_conversation_id(message);
    out->session_id = synap_recorded_message_session_id(message);
    out->has_recorded_at = synap_recorded_message_recorded_at_us(message, &out->recorded_at_us);
    out->has_message_count = synap_recorded_message_conversation_message_count(message, &out->message_count);
}

int synapgo_record_message(const SynapClient *client, const synapgo_message_request *request,
                           SynapRecordedMessage **out, synapgo_recorded *view, synapgo_error *err) {
    SynapMessageRequest *r = NULL;
    int code = build_message_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_conversation_record_message(client, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else {
        read_recorded(*out, view);
    }
    synap_message_request_free(r);
    return code;
}

void synapgo_message_batch_release(SynapMessageBatch *batch, synapgo_message_batch_view *view) {
    free(view->results);
    free(view->errors);
    memset(view, 0, sizeof *view);
    synap_message_batch_free(batch);
}

/* Fills `view` from `batch`; false when memory ran out (nothing to free). */
static bool read_message_batch(const SynapMessageBatch *batch, synapgo_message_batch_view *view) {
    bool failed = false;
    size_t results = synap_message_batch_result_count(batch);
    size_t errors = synap_message_batch_error_count(batch);
    view->results = synapgo_array(results, sizeof *view->results, &failed);
    view->errors = synapgo_array(errors, sizeof *view->errors, &failed);
    if (failed) {
        free(view->results);
        free(view->errors);
        memset(view, 0, sizeof *view);
        return false;
    }
    view->result_count = results;
    view->error_count = errors;
    for (size_t i = 0; i < results; i++) {
        read_recorded(synap_message_batch_result(batch, i), &view->results[i]);
    }
    for (size_t i = 0; i < errors; i++) {
        synapgo_batch_error *e = &view->errors[i];
        e->has_index = synap_message_batch_error_index(batch, i, &e->index);
        e->message = synap_message_batch_error_message(batch, i);
    }
    view->has_total = synap_message_batch_total(batch, &view->total);
    view->has_succeeded = synap_message_batch_succeeded(batch, &view->succeeded);
    view->has_failed = synap_message_batch_failed(batch, &view->failed);
    return true;
}

int synapgo_record_messages(const SynapClient *client, const synapgo_message_request *requests, size_t count,
                            SynapMessageBatch **out, synapgo_message_batch_view *view, size_t *bad_index,
                            synapgo_error *err) {
    bool failed = false;
    SynapMessageRequest **built = synapgo_array(count, sizeof *built, &failed);
    if (failed) {
        return synapgo_out_of_memory(err);
    }
    int code = SYNAP_OK;
    for (size_t i = 0; code == SYNAP_OK && i < count; i++) {
        code = build_message_request(&requests[i], &built[i], err);
        if (code != SYNAP_OK) {
            *bad_index = i;
        }
    }
    if (code == SYNAP_OK) {
        code = synap_conversation_record_messages(client, (const SynapMessageRequest *const *)built, count, out);
        if (code != SYNAP_OK) {
            synapgo_fail(code, err);
        } else if (!read_message_batch(*out, view)) {
            synap_message_batch_free(*out);
            *out = NULL;
            code = synapgo_out_of_memory(err);
        }
    }
    for (size_t i = 0; i < count; i++) {
        synap_message_request_free(built[i]);
    }
    free(built);
    return code;
}

/* Builds a transcript request from `in`. On failure it copies the error
 * into `err` and returns the code, with `*out` left NULL. */
static int build_transcript_request(const synapgo_transcript_request *in, SynapTranscriptRequest **out,
                                    synapgo_error *err) {
    SynapTranscriptRequest *r = synap_transcript_request_new();
    if (r == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (in->conversation_id != NULL) {
        code = synap_transcript_request_set_conversation_id(r, in->conversation_id);
    }
    if (code == SYNAP_OK && in->user_id != NULL) {
        code = synap_transcript_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->customer_id != NULL) {
        code = synap_transcript_request_set_customer_id(r, in->customer_id);
    }
    if (code == SYNAP_OK && in->text != NULL) {
        code = synap_transcript_request_set_text(r, in->text);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->turn_count; i++) {
        const synapgo_transcript_turn *t = &in->turns[i];
        if (t->has_timestamp) {
            code = synap_transcript_request_add_timed_turn(r, t->role, t->content, t->speaker, t->timestamp_us);
        } else {
            code = synap_transcript_request_add_turn(r, t->role, t->content, t->speaker);
        }
    }
    if (code == SYNAP_OK && in->conversation_type != NULL) {
        code = synap_transcript_request_set_conversation_type(r, in->conversation_type);
    }
    if (code == SYNAP_OK && in->analysis_json != NULL) {
        code = synap_transcript_request_set_analysis_json(r, in->analysis_json);
    }
    if (code == SYNAP_OK && in->metadata_json != NULL) {
        code = synap_transcript_request_set_metadata_json(r, in->metadata_json);
    }
    if (code == SYNAP_OK && in->has_started_at) {
        code = synap_transcript_request_set_started_at_us(r, in->started_at_us);
    }
    if (code == SYNAP_OK && in->has_ended_at) {
        code = synap_transcript_request_set_ended_at_us(r, in->ended_at_us);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->scope_path_count; i++) {
        code = synap_transcript_request_add_scope_level(r, in->scope_path[2 * i], in->scope_path[2 * i + 1]);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_transcript_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

void synapgo_transcript_release(SynapTranscriptIngestion *ingestion, synapgo_transcript_view *view) {
    free(view->warnings);
    memset(view, 0, sizeof *view);
    synap_transcript_ingestion_free(ingestion);
}

/* Fills `view` from `ingestion`; false when memory ran out (nothing to free). */
static bool read_transcript(const SynapTranscriptIngestion *ingestion, synapgo_transcript_view *view) {
    bool failed = false;
    size_t count = synap_transcript_ingestion_warning_count(ingestion);
    view->warnings = synapgo_array(count, sizeof *view->warnings, &failed);
    if (failed) {
        return false;
    }
    view->warning_count = count;
    for (size_t i = 0; i < count; i++) {
        view->warnings[i] = synap_transcript_ingestion_warning(ingestion, i);
    }
    view->conversation_id = synap_transcript_ingestion_conversation_id(ingestion);
    view->external_conversation_id = synap_transcript_ingestion_external_conversation_id(ingestion);
    view->ingestion_id = synap_transcript_ingestion_ingestion_id(ingestion);
    view->status = synap_transcript_ingestion_status(ingestion);
    view->summary_status = synap_transcript_ingestion_summary_status(ingestion);
    view->has_turns_recorded = synap_transcript_ingestion_turns_recorded(ingestion, &view->turns_recorded);
    view->has_queued_at = synap_transcript_ingestion_queued_at_us(ingestion, &view->queued_at_us);
    return true;
}

int synapgo_ingest(const SynapClient *client, const synapgo_transcript_request *request,
                   SynapTranscriptIngestion **out, synapgo_transcript_view *view, synapgo_error *err) {
    SynapTranscriptRequest *r = NULL;
    int code = build_transcript_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_conversation_ingest(client, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else if (!read_transcript(*out, view)) {
        synap_transcript_ingestion_free(*out);
        *out = NULL;
        code = synapgo_out_of_memory(err);
    }
    synap_transcript_request_free(r);
    return code;
}

int synapgo_conversation_messages(const SynapClient *client, const char *conversation_id, uint32_t start,
                                  uint32_t limit, SynapMessagePage **out, synapgo_message **messages,
                                  size_t *count, synapgo_error *err) {
    SynapCode code = synap_conversation_messages(client, conversation_id, start, limit, out);
    if (code != SYNAP_OK) {
        return synapgo_fail(code, err);
    }
    bool failed = false;
    size_t n = synap_message_page_count(*out);
    synapgo_message *list = synapgo_array(n, sizeof *list, &failed);
    if (failed) {
        synap_message_page_free(*out);
        *out = NULL;
        return synapgo_out_of_memory(err);
    }
    for (size_t i = 0; i < n; i++) {
        const SynapConversationMessage *m = synap_message_page_message(*out, i);
        list[i].role = synap_conversation_message_role(m);
        list[i].content = synap_conversation_message_content(m);
        list[i].message_id = synap_conversation_message_id(m);
        list[i].has_position = synap_conversation_message_position(m, &list[i].position);
        list[i].has_timestamp = synap_conversation_message_timestamp_us(m, &list[i].timestamp_us);
    }
    *messages = list;
    *count = n;
    return SYNAP_OK;
}

void synapgo_message_page_release(SynapMessagePage *page, synapgo_message *messages) {
    free(messages);
    synap_message_page_free(page);
}

int synapgo_compact(const SynapClient *client, const char *conversation_id, const synapgo_compact_settings *settings,
                    SynapCompaction **out, synapgo_compaction_view *view, synapgo_error *err) {
    SynapCompactOptions *options = synap_compact_options_new();
    if (options == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (settings->strategy != NULL) {
        code = synap_compact_options_set_strategy(options, settings->strategy);
    }
    if (code == SYNAP_OK && settings->target_tokens > 0) {
        code = synap_compact_options_set_target_tokens(options, settings->target_tokens);
    }
    if (code == SYNAP_OK && settings->force) {
        code = synap_compact_options_set_force(options, true);
    }
    if (code == SYNAP_OK) {
        code = synap_conversation_compact(client, conversation_id, options, out);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else {
        const SynapCompaction *c = *out;
        view->compaction_id = synap_compaction_id(c);
        view->conversation_id = synap_compaction_conversation_id(c);
        view->status = synap_compaction_status(c);
        view->trigger_type = synap_compaction_trigger_type(c);
        view->previous_compaction_id = synap_compaction_previous_id(c);
        view->has_initiated_at = synap_compaction_initiated_at_us(c, &view->initiated_at_us);
        view->has_estimated_completion =
            synap_compaction_estimated_completion_seconds(c, &view->estimated_completion_seconds);
    }
    synap_compact_options_free(options);
    return code;
}

int synapgo_compacted(const SynapClient *client, const char *conversation_id, const char *format, uint32_t version,
                      SynapCompacted **out, synapgo_compacted_view *view, synapgo_error *err) {
    SynapCompactedOptions *options = synap_compacted_options_new();
    if (options == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (format != NULL) {
        code = synap_compacted_options_set_format(options, format);
    }
    if (code == SYNAP_OK && version > 0) {
        code = synap_compacted_options_set_version(options, version);
    }
    if (code == SYNAP_OK) {
        code = synap_conversation_compacted(client, conversation_id, options, out);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else if (*out != NULL) {
        const SynapCompacted *c = *out;
        view->compaction_id = synap_compacted_id(c);
        view->formatted_context = synap_compacted_formatted_context(c);
        view->strategy_used = synap_compacted_strategy_used(c);
        view->facts_json = synap_compacted_facts_json(c);
        view->decisions_json = synap_compacted_decisions_json(c);
        view->preferences_json = synap_compacted_preferences_json(c);
        view->current_state_json = synap_compacted_current_state_json(c);
        view->raw_json = synap_compacted_raw_json(c);
        view->has_original_tokens = synap_compacted_original_token_count(c, &view->original_token_count);
        view->has_compacted_tokens = synap_compacted_compacted_token_count(c, &view->compacted_token_count);
        view->has_ttl = synap_compacted_ttl_seconds(c, &view->ttl_seconds);
        view->has_compression_ratio = synap_compacted_compression_ratio(c, &view->compression_ratio);
        view->has_validation_score = synap_compacted_validation_score(c, &view->validation_score);
        view->has_validation_passed = synap_compacted_validation_passed(c, &view->validation_passed);
        view->has_quality_warning = synap_compacted_quality_warning(c, &view->quality_warning);
    }
    synap_compacted_options_free(options);
    return code;
}

int synapgo_compaction_status(const SynapClient *client, const char *conversation_id, SynapCompactionStatus **out,
                              synapgo_compaction_status_view *view, synapgo_error *err) {
    SynapCode code = synap_conversation_compaction_status(client, conversation_id, out);
    if (code != SYNAP_OK) {
        return synapgo_fail(code, err);
    }
    const SynapCompactionStatus *s = *out;
    view->conversation_id = synap_compaction_status_conversation_id(s);
    view->state = synap_compaction_status_state(s);
    view->compaction_id = synap_compaction_status_compaction_id(s);
    view->error_message = synap_compaction_status_error_message(s);
    view->has_completed_at = synap_compaction_status_completed_at_us(s, &view->completed_at_us);
    view->has_estimated_completion =
        synap_compaction_status_estimated_completion_seconds(s, &view->estimated_completion_seconds);
    view->has_latest_version = synap_compaction_status_latest_version(s, &view->latest_version);
    view->has_compression_ratio = synap_compaction_status_compression_ratio(s, &view->compression_ratio);
    view->has_validation_score = synap_compaction_status_validation_score(s, &view->validation_score);
    return SYNAP_OK;
}

/* Set while this thread runs the Go log callback, so that SetLogCallback
 * can refuse a call from inside it before taking its lock: a replacement
 * holding that lock waits for the callback to return. */
static _Thread_local bool in_log;

bool synapgo_in_log_callback(void) {
    return in_log;
}

/* Hands each log line to the Go function behind the handle. */
static void log_to_go(SynapLogLevel level, const char *message, void *user_data) {
    bool was = in_log;
    in_log = true;
    synapgoLog((int)level, (char *)message, (uintptr_t)user_data);
    in_log = was;
}

int synapgo_set_log_callback(int level, uintptr_t handle, synapgo_error *err) {
    SynapCode code = synap_set_log_callback(level, handle ? log_to_go : NULL, (void *)handle);
    return code == SYNAP_OK ? SYNAP_OK : synapgo_fail(code, err);
}
