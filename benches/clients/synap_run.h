/*
 * What the libsynap benchmark clients share: the one client every thread
 * uses, as the README tells users to, made from BASE_URL (the key comes
 * from SYNAP_API_KEY), and the run around it.
 */
#ifndef SYNAP_RUN_H
#define SYNAP_RUN_H

#include "bench.h"
#include "synap.h"

static SynapClient *client;

/* Makes the client, runs bench_main, frees the client; `name` prefixes
 * the message when the client cannot be made. Returns the exit status. */
static int synap_bench_run(const char *name, const struct bench_args *args) {
    SynapOptions *options = synap_options_new();
    SynapCode code = options == NULL ? SYNAP_INTERNAL : synap_options_set_base_url(options, args->base_url);
    int status;
    if (code == SYNAP_OK) {
        code = synap_client_new(NULL, options, &client);
    }
    synap_options_free(options);
    if (code != SYNAP_OK) {
        fprintf(stderr, "%s: cannot create a client: %s: %s\n", name, synap_code_name((int)code),
                synap_last_error_message());
        return 1;
    }
    status = bench_main(args);
    synap_client_free(client);
    return status;
}

#endif
