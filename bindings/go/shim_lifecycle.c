#include "shim_lifecycle.h"

#include <stdlib.h>
#include <string.h>

#include "shim_common.h"

/* Applies every field `in` sets to a new update request. On failure it
 * copies the error into `err`, frees the request and returns the code. */
static int build_update_request(const synapgo_update_request *in, SynapUpdateRequest **out, synapgo_error *err) {
    SynapUpdateRequest *r = synap_update_request_new();
    if (r == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (in->text != NULL) {
        code = synap_update_request_set_document_text(r, in->text);
    }
    if (code == SYNAP_OK && in->json != NULL) {
        code = synap_update_request_set_document_json(r, in->json);
    }
    if (code == SYNAP_OK && in->merge_strategy != NULL) {
        code = synap_update_request_set_merge_strategy(r, in->merge_strategy);
    }
    if (code == SYNAP_OK && in->document_type != NULL) {
        code = synap_update_request_set_document_type(r, in->document_type);
    }
    if (code == SYNAP_OK && in->metadata_json != NULL) {
        code = synap_update_request_set_metadata_json(r, in->metadata_json);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_update_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

int synapgo_memories_update(const SynapClient *client, const char *memory_id, const synapgo_update_request *request,
                            SynapMemory **out, synapgo_error *err) {
    SynapUpdateRequest *r = NULL;
    int code = build_update_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_update(client, memory_id, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    }
    synap_update_request_free(r);
    return code;
}

int synapgo_memories_delete(const SynapClient *client, const char *memory_id, SynapDeletedMemory **out,
                            synapgo_deleted_view *view, synapgo_error *err) {
    SynapCode code = synap_memories_delete(client, memory_id, out);
    if (code != SYNAP_OK) {
        return synapgo_fail(code, err);
    }
    view->memory_id = synap_deleted_memory_id(*out);
    view->has_deleted_at = synap_deleted_memory_deleted_at_us(*out, &view->deleted_at_us);
    return SYNAP_OK;
}

/* Applies every field `in` sets to a new forget request; as
 * build_update_request. */
static int build_forget_request(const synapgo_forget_request *in, SynapForgetRequest **out, synapgo_error *err) {
    SynapForgetRequest *r = synap_forget_request_new();
    if (r == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (in->description != NULL) {
        code = synap_forget_request_set_description(r, in->description);
    }
    if (code == SYNAP_OK && in->user_id != NULL) {
        code = synap_forget_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->customer_id != NULL) {
        code = synap_forget_request_set_customer_id(r, in->customer_id);
    }
    if (code == SYNAP_OK && in->mode != NULL) {
        code = synap_forget_request_set_mode(r, in->mode);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->scope_path_count; i++) {
        code = synap_forget_request_add_scope_level(r, in->scope_path[2 * i], in->scope_path[2 * i + 1]);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_forget_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

void synapgo_forget_release(SynapForgetResult *result, synapgo_forget_view *view) {
    free(view->candidates);
    free(view->deleted_ids);
    free(view->failed_ids);
    free(view->still_present_in);
    memset(view, 0, sizeof *view);
    synap_forget_result_free(result);
}

/* Fills `view` from `result`; false when memory ran out (nothing to free). */
static bool read_forget_result(const SynapForgetResult *result, synapgo_forget_view *view) {
    bool failed = false;
    size_t candidates = synap_forget_result_candidate_count(result);
    size_t deleted = synap_forget_result_deleted_count(result);
    size_t undeleted = synap_forget_result_failed_count(result);
    size_t still_present = synap_forget_result_still_present_count(result);
    view->candidates = synapgo_array(candidates, sizeof *view->candidates, &failed);
    view->deleted_ids = synapgo_array(deleted, sizeof *view->deleted_ids, &failed);
    view->failed_ids = synapgo_array(undeleted, sizeof *view->failed_ids, &failed);
    view->still_present_in = synapgo_array(still_present, sizeof *view->still_present_in, &failed);
    if (failed) {
        free(view->candidates);
        free(view->deleted_ids);
        free(view->failed_ids);
        free(view->still_present_in);
        memset(view, 0, sizeof *view);
        return false;
    }
    view->candidate_count = candidates;
    view->deleted_count = deleted;
    view->failed_count = undeleted;
    view->still_present_count = still_present;
    for (size_t i = 0; i < candidates; i++) {
        synapgo_forget_candidate *c = &view->candidates[i];
        c->memory_id = synap_forget_result_candidate_memory_id(result, i);
        c->content = synap_forget_result_candidate_content(result, i);
        c->memory_type = synap_forget_result_candidate_memory_type(result, i);
        c->store = synap_forget_result_candidate_store(result, i);
    }
    for (size_t i = 0; i < deleted; i++) {
        view->deleted_ids[i] = synap_forget_result_deleted_id(result, i);
    }
    for (size_t i = 0; i < undeleted; i++) {
        view->failed_ids[i] = synap_forget_result_failed_id(result, i);
    }
    for (size_t i = 0; i < still_present; i++) {
        view->still_present_in[i] = synap_forget_result_still_present_in(result, i);
    }
    view->outcome = (int)synap_forget_result_outcome(result);
    view->status = synap_forget_result_status(result);
    view->request_id = synap_forget_result_request_id(result);
    view->may_be_incomplete = synap_forget_result_may_be_incomplete(result);
    return true;
}

int synapgo_memories_forget(const SynapClient *client, const synapgo_forget_request *request,
                            SynapForgetResult **out, synapgo_forget_view *view, synapgo_error *err) {
    SynapForgetRequest *r = NULL;
    int code = build_forget_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_forget(client, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else if (!read_forget_result(*out, view)) {
        synap_forget_result_free(*out);
        *out = NULL;
        code = synapgo_out_of_memory(err);
    }
    synap_forget_request_free(r);
    return code;
}

/* Sets the source `in` names, if any: a file, bytes or text. */
static SynapCode set_upload_source(SynapUploadRequest *r, const synapgo_upload_request *in) {
    if (in->file != NULL) {
        return synap_upload_request_set_file(r, in->file);
    }
    if (in->has_bytes) {
        return synap_upload_request_set_bytes(r, in->bytes, in->byte_count);
    }
    if (in->text != NULL) {
        return synap_upload_request_set_text(r, in->text);
    }
    return SYNAP_OK;
}

/* Applies every field `in` sets to a new upload request; as
 * build_update_request. */
static int build_upload_request(const synapgo_upload_request *in, SynapUploadRequest **out, synapgo_error *err) {
    SynapUploadRequest *r = synap_upload_request_new();
    if (r == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (in->user_id != NULL) {
        code = synap_upload_request_set_user_id(r, in->user_id);
    }
    if (code == SYNAP_OK && in->customer_id != NULL) {
        code = synap_upload_request_set_customer_id(r, in->customer_id);
    }
    if (code == SYNAP_OK && in->relationship_type != NULL) {
        code = synap_upload_request_set_relationship_type(r, in->relationship_type);
    }
    if (code == SYNAP_OK && in->mode != NULL) {
        code = synap_upload_request_set_mode(r, in->mode);
    }
    if (code == SYNAP_OK && in->document_type != NULL) {
        code = synap_upload_request_set_document_type(r, in->document_type);
    }
    if (code == SYNAP_OK && in->metadata_json != NULL) {
        code = synap_upload_request_set_metadata_json(r, in->metadata_json);
    }
    for (size_t i = 0; code == SYNAP_OK && i < in->scope_path_count; i++) {
        code = synap_upload_request_add_scope_level(r, in->scope_path[2 * i], in->scope_path[2 * i + 1]);
    }
    if (code == SYNAP_OK) {
        code = set_upload_source(r, in);
    }
    if (code == SYNAP_OK && in->filename != NULL) {
        code = synap_upload_request_set_filename(r, in->filename);
    }
    if (code == SYNAP_OK && in->content_type != NULL) {
        code = synap_upload_request_set_content_type(r, in->content_type);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_upload_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

int synapgo_memories_upload(const SynapClient *client, const synapgo_upload_request *request, SynapIngestion **out,
                            synapgo_error *err) {
    SynapUploadRequest *r = NULL;
    int code = build_upload_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_memories_upload(client, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    }
    synap_upload_request_free(r);
    return code;
}
