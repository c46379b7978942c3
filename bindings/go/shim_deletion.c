#include "shim_deletion.h"

#include <stdlib.h>
#include <string.h>

#include "_cgo_export.h"
#include "shim_common.h"

/* Applies every field `in` sets to a new deletion request. On failure it
 * copies the error into `err` and returns the code, with `*out` left NULL. */
static int build_delete_request(const synapgo_delete_request *in, SynapDataDeleteRequest **out,
                                synapgo_error *err) {
    SynapDataDeleteRequest *r = NULL;
    SynapCode code = synap_data_delete_request_new(in->scope, in->id, &r);
    if (code != SYNAP_OK) {
        return synapgo_fail(code, err);
    }
    if (in->customer_id != NULL) {
        code = synap_data_delete_request_set_customer_id(r, in->customer_id);
    }
    if (code == SYNAP_OK && in->user_id != NULL) {
        code = synap_data_delete_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->dry_run) {
        code = synap_data_delete_request_set_dry_run(r, true);
    }
    if (code == SYNAP_OK && in->confirm != NULL) {
        code = synap_data_delete_request_set_confirm(r, in->confirm);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_data_delete_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

static void free_deletion_view(synapgo_deletion_view *view) {
    free(view->counts);
    free(view->still_present_in);
    free(view->kept);
    memset(view, 0, sizeof *view);
}

void synapgo_deletion_release(SynapDataDeletion *deletion, synapgo_deletion_view *view) {
    free_deletion_view(view);
    synap_data_deletion_free(deletion);
}

/* Fills `view` from `deletion`; false when memory ran out (nothing to free). */
static bool read_deletion(const SynapDataDeletion *deletion, synapgo_deletion_view *view) {
    bool failed = false;
    size_t counts = synap_data_deletion_count_count(deletion);
    size_t still_present = synap_data_deletion_still_present_count(deletion);
    size_t kept = synap_data_deletion_kept_count(deletion);
    view->counts = synapgo_array(counts, sizeof *view->counts, &failed);
    view->still_present_in = synapgo_array(still_present, sizeof *view->still_present_in, &failed);
    view->kept = synapgo_array(kept, sizeof *view->kept, &failed);
    if (failed) {
        free_deletion_view(view);
        return false;
    }
    view->count_count = counts;
    view->still_present_count = still_present;
    view->kept_count = kept;
    for (size_t i = 0; i < counts; i++) {
        synapgo_deletion_count *c = &view->counts[i];
        c->store = synap_data_deletion_count_store(deletion, i);
        c->has_value = synap_data_deletion_count_value(deletion, i, &c->value);
    }
    for (size_t i = 0; i < still_present; i++) {
        view->still_present_in[i] = synap_data_deletion_still_present_in(deletion, i);
    }
    for (size_t i = 0; i < kept; i++) {
        view->kept[i] = synap_data_deletion_kept(deletion, i);
    }
    view->deletion_id = synap_data_deletion_id(deletion);
    view->state = (int)synap_data_deletion_state(deletion);
    view->status = synap_data_deletion_status_text(deletion);
    view->scope = synap_data_deletion_scope(deletion);
    view->dry_run = synap_data_deletion_is_dry_run(deletion);
    view->found = synap_data_deletion_found(deletion);
    view->fully_removed = synap_data_deletion_fully_removed(deletion);
    view->memories_kept = synap_data_deletion_memories_kept(deletion);
    view->stores_json = synap_data_deletion_stores_json(deletion);
    view->note = synap_data_deletion_note(deletion);
    view->audit = synap_data_deletion_audit(deletion);
    view->json = synap_data_deletion_json(deletion);
    return true;
}

/* After a call that made `*out`: fills `view`, or frees the record when
 * memory runs out. */
static int finish(int code, SynapDataDeletion **out, synapgo_deletion_view *view, synapgo_error *err) {
    if (code != SYNAP_OK) {
        return synapgo_fail(code, err);
    }
    if (!read_deletion(*out, view)) {
        synap_data_deletion_free(*out);
        *out = NULL;
        return synapgo_out_of_memory(err);
    }
    return SYNAP_OK;
}

int synapgo_data_delete(const SynapClient *client, const synapgo_delete_request *request, SynapDataDeletion **out,
                        synapgo_deletion_view *view, synapgo_error *err) {
    SynapDataDeleteRequest *r = NULL;
    int code = build_delete_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = finish(synap_data_delete(client, r, out), out, view, err);
    synap_data_delete_request_free(r);
    return code;
}

int synapgo_data_deletion_status(const SynapClient *client, const char *deletion_id, SynapDataDeletion **out,
                                 synapgo_deletion_view *view, synapgo_error *err) {
    return finish(synap_data_deletion_status(client, deletion_id, out), out, view, err);
}

/* Hands a view of each record polled to the Go function behind the
 * handle. A record that cannot be copied for want of memory is not
 * reported; the wait goes on. */
static bool deletion_to_go(const SynapWaitProgress *progress, void *user_data) {
    const SynapDataDeletion *deletion = synap_wait_progress_deletion(progress);
    synapgo_deletion_view view = {0};
    if (deletion == NULL || !read_deletion(deletion, &view)) {
        return true;
    }
    bool go_on = synapgoDeletionProgress(&view, (uintptr_t)user_data);
    free_deletion_view(&view);
    return go_on;
}

int synapgo_data_deletion_wait(const SynapClient *client, const char *deletion_id,
                               const synapgo_wait_settings *settings, SynapDataDeletion **out,
                               synapgo_deletion_view *view, synapgo_error *err) {
    SynapWaitOptions *options = NULL;
    int code = synapgo_wait_options(settings, deletion_to_go, &options, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = finish(synap_data_deletion_wait(client, deletion_id, options, out), out, view, err);
    synap_wait_options_free(options);
    return code;
}
