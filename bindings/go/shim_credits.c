#include "shim_credits.h"

#include <stdlib.h>
#include <string.h>

#include "shim_common.h"

void synapgo_balance_release(SynapCreditBalance *balance, synapgo_balance_view *view) {
    free(view->buckets);
    memset(view, 0, sizeof *view);
    synap_credit_balance_free(balance);
}

int synapgo_credits_balance(const SynapClient *client, SynapCreditBalance **out, synapgo_balance_view *view,
                            synapgo_error *err) {
    SynapCode code = synap_credits_balance(client, out);
    if (code != SYNAP_OK) {
        return synapgo_fail(code, err);
    }
    const SynapCreditBalance *b = *out;
    bool failed = false;
    size_t count = synap_credit_balance_bucket_count(b);
    view->buckets = synapgo_array(count, sizeof *view->buckets, &failed);
    if (failed) {
        synap_credit_balance_free(*out);
        *out = NULL;
        return synapgo_out_of_memory(err);
    }
    view->bucket_count = count;
    for (size_t i = 0; i < count; i++) {
        synapgo_bucket *bucket = &view->buckets[i];
        bucket->source_type = synap_credit_balance_bucket_source_type(b, i);
        bucket->has_credits = synap_credit_balance_bucket_credits(b, i, &bucket->credits);
        bucket->has_expires_at = synap_credit_balance_bucket_expires_at_us(b, i, &bucket->expires_at_us);
    }
    view->credits = synap_credit_balance_credits(b);
    view->client_id = synap_credit_balance_client_id(b);
    view->warning_low = synap_credit_balance_warning_low(b);
    return SYNAP_OK;
}

/* Applies every field `in` sets to a new ledger query. On failure it
 * copies the error into `err`, frees the query and returns the code. */
static int build_ledger_query(const synapgo_ledger_query *in, SynapLedgerQuery **out, synapgo_error *err) {
    SynapLedgerQuery *q = synap_ledger_query_new();
    if (q == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (in->entry_type != NULL) {
        code = synap_ledger_query_set_entry_type(q, in->entry_type);
    }
    if (code == SYNAP_OK && in->has_from) {
        code = synap_ledger_query_set_from_us(q, in->from_us);
    }
    if (code == SYNAP_OK && in->has_to) {
        code = synap_ledger_query_set_to_us(q, in->to_us);
    }
    if (code == SYNAP_OK && in->limit > 0) {
        code = synap_ledger_query_set_limit(q, in->limit);
    }
    if (code == SYNAP_OK && in->offset > 0) {
        code = synap_ledger_query_set_offset(q, in->offset);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_ledger_query_free(q);
        return code;
    }
    *out = q;
    return SYNAP_OK;
}

void synapgo_ledger_release(SynapLedgerPage *page, synapgo_ledger_view *view) {
    free(view->entries);
    memset(view, 0, sizeof *view);
    synap_ledger_page_free(page);
}

/* Fills `view` from `page`; false when memory ran out (nothing to free). */
static bool read_ledger_page(const SynapLedgerPage *page, synapgo_ledger_view *view) {
    bool failed = false;
    size_t count = synap_ledger_page_count(page);
    view->entries = synapgo_array(count, sizeof *view->entries, &failed);
    if (failed) {
        return false;
    }
    view->entry_count = count;
    for (size_t i = 0; i < count; i++) {
        synapgo_ledger_entry *e = &view->entries[i];
        e->id = synap_ledger_page_entry_id(page, i);
        e->entry_type = synap_ledger_page_entry_type(page, i);
        e->metric_type = synap_ledger_page_entry_metric_type(page, i);
        e->category = synap_ledger_page_entry_category(page, i);
        e->has_delta = synap_ledger_page_entry_delta(page, i, &e->delta);
        e->has_created_at = synap_ledger_page_entry_created_at_us(page, i, &e->created_at_us);
    }
    view->has_total = synap_ledger_page_total(page, &view->total);
    view->has_limit = synap_ledger_page_limit(page, &view->limit);
    view->has_offset = synap_ledger_page_offset(page, &view->offset);
    return true;
}

int synapgo_credits_ledger(const SynapClient *client, const synapgo_ledger_query *query, SynapLedgerPage **out,
                           synapgo_ledger_view *view, synapgo_error *err) {
    SynapLedgerQuery *q = NULL;
    int code = build_ledger_query(query, &q, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_credits_ledger(client, q, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    } else if (!read_ledger_page(*out, view)) {
        synap_ledger_page_free(*out);
        *out = NULL;
        code = synapgo_out_of_memory(err);
    }
    synap_ledger_query_free(q);
    return code;
}

/* Applies every field `in` sets to a new estimate request; as
 * build_ledger_query. */
static int build_estimate_request(const synapgo_estimate_request *in, SynapEstimateRequest **out,
                                  synapgo_error *err) {
    SynapEstimateRequest *r = synap_estimate_request_new();
    if (r == NULL) {
        return synapgo_out_of_memory(err);
    }
    SynapCode code = SYNAP_OK;
    if (in->metric_type != NULL) {
        code = synap_estimate_request_set_metric_type(r, in->metric_type);
    }
    if (code == SYNAP_OK) {
        code = synap_estimate_request_set_units(r, in->units);
    }
    if (code == SYNAP_OK && in->has_item_count) {
        code = synap_estimate_request_set_item_count(r, in->item_count);
    }
    if (code == SYNAP_OK && in->endpoint != NULL) {
        code = synap_estimate_request_set_endpoint(r, in->endpoint);
    }
    if (code == SYNAP_OK && in->mode != NULL) {
        code = synap_estimate_request_set_mode(r, in->mode);
    }
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
        synap_estimate_request_free(r);
        return code;
    }
    *out = r;
    return SYNAP_OK;
}

int synapgo_credits_estimate(const SynapClient *client, const synapgo_estimate_request *request, double *out,
                             synapgo_error *err) {
    SynapEstimateRequest *r = NULL;
    int code = build_estimate_request(request, &r, err);
    if (code != SYNAP_OK) {
        return code;
    }
    code = synap_credits_estimate(client, r, out);
    if (code != SYNAP_OK) {
        synapgo_fail(code, err);
    }
    synap_estimate_request_free(r);
    return code;
}

int synapgo_credits_redeem(const SynapClient *client, const char *code, SynapRedemption **out,
                           synapgo_redemption_view *view, synapgo_error *err) {
    SynapCode result = synap_credits_redeem(client, code, out);
    if (result != SYNAP_OK) {
        return synapgo_fail(result, err);
    }
    const SynapRedemption *r = *out;
    view->id = synap_redemption_id(r);
    view->has_credits_granted = synap_redemption_credits_granted(r, &view->credits_granted);
    view->has_new_balance = synap_redemption_new_balance(r, &view->new_balance);
    view->has_expires_at = synap_redemption_expires_at_us(r, &view->expires_at_us);
    return SYNAP_OK;
}
