/* C helpers for a memory's lifecycle: update, delete, forget, upload. As
 * in shim.h, each builds its request from plain fields, makes the call and
 * copies a failure's details, all within one cgo call; a result with lists
 * comes back as a view whose strings the result handle lends. */
#ifndef SYNAP_GO_SHIM_LIFECYCLE_H
#define SYNAP_GO_SHIM_LIFECYCLE_H

#include "shim.h"

/* One memory update as plain fields. Every pointer is NULL (not set: the
 * default) or a NUL-terminated string. */
typedef struct synapgo_update_request {
    const char *text;           /* the new document as text */
    const char *json;           /* or as a JSON object */
    const char *merge_strategy;
    const char *document_type;
    const char *metadata_json;
} synapgo_update_request;

/* Builds the request (synap_update_request_new and its setters), then
 * synap_memories_update. */
int synapgo_memories_update(const SynapClient *client, const char *memory_id, const synapgo_update_request *request,
                            SynapMemory **out, synapgo_error *err);

/* A SynapDeletedMemory, its string lent by it. */
typedef struct synapgo_deleted_view {
    const char *memory_id;
    bool has_deleted_at;
    int64_t deleted_at_us;
} synapgo_deleted_view;

/* synap_memories_delete, then fills `view`. On SYNAP_OK free the answer
 * with synap_deleted_memory_free after reading the view. */
int synapgo_memories_delete(const SynapClient *client, const char *memory_id, SynapDeletedMemory **out,
                            synapgo_deleted_view *view, synapgo_error *err);

/* One forget request as plain fields; pointers as in synapgo_update_request. */
typedef struct synapgo_forget_request {
    const char *description;
    const char *user_id;
    const char *customer_id;
    const char *mode;
    const char *const *scope_path;    /* scope_path_count (level, value) pairs, in order */
    size_t scope_path_count;
} synapgo_forget_request;

/* One matched memory of a SynapForgetResult. */
typedef struct synapgo_forget_candidate {
    const char *memory_id;
    const char *content;
    const char *memory_type;
    const char *store;
} synapgo_forget_candidate;

/* A whole SynapForgetResult. */
typedef struct synapgo_forget_view {
    int outcome;                      /* a SynapForgetOutcome */
    const char *status;
    const char *request_id;
    synapgo_forget_candidate *candidates;
    size_t candidate_count;
    const char **deleted_ids;
    size_t deleted_count;
    const char **failed_ids;
    size_t failed_count;
    const char **still_present_in;
    size_t still_present_count;
    bool may_be_incomplete;
} synapgo_forget_view;

/* Builds the request, synap_memories_forget, then fills `view`. On
 * SYNAP_OK release both with synapgo_forget_release. */
int synapgo_memories_forget(const SynapClient *client, const synapgo_forget_request *request,
                            SynapForgetResult **out, synapgo_forget_view *view, synapgo_error *err);

/* Frees the view's arrays and the result. */
void synapgo_forget_release(SynapForgetResult *result, synapgo_forget_view *view);

/* One upload as plain fields; pointers as in synapgo_update_request. The
 * source is `file` (a path), the `byte_count` bytes at `bytes` when
 * `has_bytes`, or `text`. */
typedef struct synapgo_upload_request {
    const char *user_id;
    const char *customer_id;
    const char *relationship_type;
    const char *mode;
    const char *document_type;
    const char *metadata_json;
    const char *const *scope_path;    /* scope_path_count (level, value) pairs, in order */
    size_t scope_path_count;
    const char *file;
    bool has_bytes;
    const uint8_t *bytes;
    size_t byte_count;
    const char *text;
    const char *filename;
    const char *content_type;
} synapgo_upload_request;

/* Builds the request (synap_upload_request_new and its setters), then
 * synap_memories_upload. */
int synapgo_memories_upload(const SynapClient *client, const synapgo_upload_request *request, SynapIngestion **out,
                            synapgo_error *err);

#endif
