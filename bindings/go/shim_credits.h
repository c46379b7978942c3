/* C helpers for the credits calls: balance, ledger, estimate, redeem. As
 * in shim.h, each builds its request, makes the call and copies a
 * failure's details within one cgo call; a result comes back as a view
 * whose strings the result handle lends. */
#ifndef SYNAP_GO_SHIM_CREDITS_H
#define SYNAP_GO_SHIM_CREDITS_H

#include "shim.h"

/* One source of credits of a SynapCreditBalance. */
typedef struct synapgo_bucket {
    const char *source_type;
    bool has_credits, has_expires_at;
    double credits;
    int64_t expires_at_us;
} synapgo_bucket;

/* A whole SynapCreditBalance. */
typedef struct synapgo_balance_view {
    double credits;
    const char *client_id;
    bool warning_low;
    synapgo_bucket *buckets;
    size_t bucket_count;
} synapgo_balance_view;

/* synap_credits_balance, then fills `view`. On SYNAP_OK release both with
 * synapgo_balance_release. */
int synapgo_credits_balance(const SynapClient *client, SynapCreditBalance **out, synapgo_balance_view *view,
                            synapgo_error *err);

/* Frees the view's buckets and the balance. */
void synapgo_balance_release(SynapCreditBalance *balance, synapgo_balance_view *view);

/* Which ledger rows to read, as plain fields; a zero value is the
 * default. */
typedef struct synapgo_ledger_query {
    const char *entry_type;     /* NULL: any */
    bool has_from, has_to;
    int64_t from_us, to_us;
    uint32_t limit;             /* 0: the default (100) */
    uint64_t offset;
} synapgo_ledger_query;

/* One row of a SynapLedgerPage. */
typedef struct synapgo_ledger_entry {
    const char *id;
    const char *entry_type;
    const char *metric_type;
    const char *category;
    bool has_delta, has_created_at;
    double delta;
    int64_t created_at_us;
} synapgo_ledger_entry;

/* A whole SynapLedgerPage. */
typedef struct synapgo_ledger_view {
    bool has_total, has_limit, has_offset;
    int64_t total, limit, offset;
    synapgo_ledger_entry *entries;
    size_t entry_count;
} synapgo_ledger_view;

/* Builds the query (synap_ledger_query_new and its setters),
 * synap_credits_ledger, then fills `view`. On SYNAP_OK release both with
 * synapgo_ledger_release. */
int synapgo_credits_ledger(const SynapClient *client, const synapgo_ledger_query *query, SynapLedgerPage **out,
                           synapgo_ledger_view *view, synapgo_error *err);

/* Frees the view's rows and the page. */
void synapgo_ledger_release(SynapLedgerPage *page, synapgo_ledger_view *view);

/* One estimate request as plain fields. Every pointer is NULL (not set)
 * or a NUL-terminated string. */
typedef struct synapgo_estimate_request {
    const char *metric_type;
    double units;
    bool has_item_count;
    uint64_t item_count;
    const char *endpoint;
    const char *mode;
} synapgo_estimate_request;

/* Builds the request (synap_estimate_request_new and its setters), then
 * synap_credits_estimate. */
int synapgo_credits_estimate(const SynapClient *client, const synapgo_estimate_request *request, double *out,
                             synapgo_error *err);

/* A SynapRedemption, its string lent by it. */
typedef struct synapgo_redemption_view {
    const char *id;
    bool has_credits_granted, has_new_balance, has_expires_at;
    double credits_granted, new_balance;
    int64_t expires_at_us;
} synapgo_redemption_view;

/* synap_credits_redeem, then fills `view`. On SYNAP_OK free the
 * redemption with synap_redemption_free after reading the view. */
int synapgo_credits_redeem(const SynapClient *client, const char *code, SynapRedemption **out,
                           synapgo_redemption_view *view, synapgo_error *err);

#endif
