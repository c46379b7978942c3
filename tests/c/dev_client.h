/* A client of the emulator at `base_url`, with its development key and one
 * attempt per call: for the C tests that check answers, not retries. */
#ifndef SYNAP_TEST_DEV_CLIENT_H
#define SYNAP_TEST_DEV_CLIENT_H

#include "check.h"
#include "synap.h"

static SynapClient *make_client(const char *base_url) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    CHECK(synap_options_set_base_url(options, base_url) == SYNAP_OK, "base url");
    CHECK(synap_options_set_max_attempts(options, 1) == SYNAP_OK, "one attempt");
    CHECK(synap_client_new("synap_dev_emulator", options, &client) == SYNAP_OK, "client: %s",
          synap_last_error_message());
    synap_options_free(options);
    return client;
}

#endif
