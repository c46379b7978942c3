/* A minimal test reporter for the C tests: one line per check, a closing
 * "N passed, N failed" line, and a failing exit status on any failure. */
#ifndef SYNAP_TEST_CHECK_H
#define SYNAP_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks_passed = 0;
static int checks_failed = 0;

#define CHECK(cond, ...)                                                 \
    do {                                                                 \
        if (cond) {                                                      \
            checks_passed++;                                             \
        } else {                                                         \
            checks_failed++;                                             \
            fprintf(stderr, "not ok %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                \
            fputc('\n', stderr);                                         \
        }                                                                \
    } while (0)

/* Compares two strings, either of which may be NULL. */
static int str_eq(const char *a, const char *b) {
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

static int starts_with(const char *s, const char *prefix) {
    return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A fixture the test harness passes in the environment. */
static const char *fixture(const char *name) {
    char key[128];
    snprintf(key, sizeof key, "SYNAP_FIX_%s", name);
    const char *value = getenv(key);
    if (value == NULL) {
        fprintf(stderr, "missing fixture %s: run this test through `cargo test --test c_api`\n", key);
        exit(2);
    }
    return value;
}

static int finish(void) {
    printf("%d passed, %d failed\n", checks_passed, checks_failed);
    return checks_failed == 0 ? 0 : 1;
}

#endif
