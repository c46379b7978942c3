/* C helpers for data deletion: start one, read its record, wait for it to
 * end. As in shim.h, each makes its libsynap calls and copies a failure's
 * details within one cgo call, and a record comes back as a view whose
 * strings the record lends. */
#ifndef SYNAP_GO_SHIM_DELETION_H
#define SYNAP_GO_SHIM_DELETION_H

#include "shim.h"

/* One deletion request as plain fields. Every pointer is NULL (not set)
 * or a NUL-terminated string. */
typedef struct synapgo_delete_request {
    int scope;                  /* a SynapDeleteScope */
    const char *id;             /* the scope's own id */
    const char *customer_id;
    const char *user_id;
    bool dry_run;
    const char *confirm;        /* the id again, to confirm a deletion */
} synapgo_delete_request;

/* One store's count of a SynapDataDeletion. */
typedef struct synapgo_deletion_count {
    const char *store;
    bool has_value;
    int64_t value;
} synapgo_deletion_count;

/* A whole SynapDataDeletion. */
typedef struct synapgo_deletion_view {
    const char *deletion_id;
    int state;                        /* a SynapDeletionState */
    const char *status;
    const char *scope;
    bool dry_run, found, fully_removed, memories_kept;
    synapgo_deletion_count *counts;
    size_t count_count;
    const char **still_present_in;
    size_t still_present_count;
    const char **kept;
    size_t kept_count;
    const char *stores_json;
    const char *note;
    const char *audit;
    const char *json;
} synapgo_deletion_view;

/* Builds the request (synap_data_delete_request_new and its setters),
 * synap_data_delete, then fills `view`. On SYNAP_OK release both with
 * synapgo_deletion_release. */
int synapgo_data_delete(const SynapClient *client, const synapgo_delete_request *request, SynapDataDeletion **out,
                        synapgo_deletion_view *view, synapgo_error *err);

/* synap_data_deletion_status, then fills `view`; released as above. */
int synapgo_data_deletion_status(const SynapClient *client, const char *deletion_id, SynapDataDeletion **out,
                                 synapgo_deletion_view *view, synapgo_error *err);

/* Builds the wait options, synap_data_deletion_wait, then fills `view`;
 * released as above. The progress handle's Go function gets a view of
 * each record polled, lent for the callback only. */
int synapgo_data_deletion_wait(const SynapClient *client, const char *deletion_id,
                               const synapgo_wait_settings *settings, SynapDataDeletion **out,
                               synapgo_deletion_view *view, synapgo_error *err);

/* Frees the view's arrays and the record. */
void synapgo_deletion_release(SynapDataDeletion *deletion, synapgo_deletion_view *view);

#endif
