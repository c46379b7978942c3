/* Counts the errors libsynap logs, for the C tests that check a refused
 * call is logged:
 *
 *     struct log_capture capture = {PTHREAD_MUTEX_INITIALIZER, 0};
 *     synap_set_log_callback(SYNAP_LOG_ERROR, on_log, &capture);
 *
 * The lock because libsynap may log from any thread. Needs
 * _POSIX_C_SOURCE defined before the first include. */
#ifndef SYNAP_TEST_LOG_CAPTURE_H
#define SYNAP_TEST_LOG_CAPTURE_H

#include <pthread.h>

#include "synap.h"

struct log_capture {
    pthread_mutex_t lock;
    int errors;
};

static void on_log(SynapLogLevel level, const char *message, void *user_data) {
    struct log_capture *capture = user_data;
    (void)message;
    pthread_mutex_lock(&capture->lock);
    capture->errors += level == SYNAP_LOG_ERROR;
    pthread_mutex_unlock(&capture->lock);
}

#endif
