/*
 * What both C benchmark clients share: the command line, the timed loop
 * across threads, the figures they print, and correlation ids.
 *
 *   CLIENT BASE_URL ID CALLS THREADS WARMUP [RSS_SAMPLES]
 *
 * Each thread makes WARMUP untimed calls, then CALLS / THREADS timed ones.
 * Prints one line, `calls=N wall_us=W cpu_us=C user_us=U sys_us=S
 * maxrss_kb=M`, where CPU is the process's user + system time (getrusage)
 * over the timed calls only and M its peak resident set (VmHWM).
 * With RSS_SAMPLES > 0 (one thread), also prints `rss_kb=R after=N` that
 * many times, evenly spread over the timed calls.
 */
#ifndef BENCH_H
#define BENCH_H

/* Include this first: the feature macro must precede every system header. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct bench_args {
    const char *base_url;
    const char *id;
    long calls;
    int threads;
    long warmup;
    long rss_samples;
};

/* Per-thread state the client defines; `bench_call` makes one verified call
 * and returns 0, or prints why it failed and returns nonzero. */
struct bench_thread;
static struct bench_thread *bench_thread_new(const struct bench_args *args);
static int bench_call(struct bench_thread *t);
static void bench_thread_free(struct bench_thread *t);

static inline int64_t bench_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* User and system CPU time of the whole process so far. */
static inline void bench_cpu_us(int64_t *user, int64_t *sys) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec;
    *sys = (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
}

/* A "Name:   N kB" line of /proc/self/status: VmRSS now, VmHWM at peak.
 * Not getrusage's ru_maxrss, which keeps the peak of whatever forked this
 * process (a Python harness) across exec. */
static inline long bench_status_kb(const char *name) {
    char line[256];
    long kb = -1;
    size_t n = strlen(name);
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, name, n) == 0 && line[n] == ':') {
            kb = atol(line + n + 1);
            break;
        }
    }
    fclose(f);
    return kb;
}

/* A correlation id in libsynap's form, syn__<unix ms>_<6 hex>, written into
 * `out` (at least 32 bytes). Same work per call as the library does. */
static inline void bench_correlation_id(char *out, size_t size, uint64_t *state) {
    struct timespec ts;
    uint64_t z;
    clock_gettime(CLOCK_REALTIME, &ts);
    *state += 0x9E3779B97F4A7C15ULL; /* SplitMix64 */
    z = *state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    snprintf(out, size, "syn__%" PRId64 "_%06" PRIx64,
             (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, z & 0xFFFFFF);
}

struct bench_worker {
    const struct bench_args *args;
    pthread_barrier_t *start;
    long calls;
    int failed;
};

static void *bench_worker_run(void *arg) {
    struct bench_worker *w = arg;
    struct bench_thread *t = bench_thread_new(w->args);
    long samples = w->args->rss_samples;
    w->failed = t == NULL;
    for (long i = 0; !w->failed && i < w->args->warmup; i++) {
        w->failed = bench_call(t);
    }
    /* Every thread reaches the barrier, failed or not, so none waits forever. */
    pthread_barrier_wait(w->start);
    for (long i = 0; !w->failed && i < w->calls; i++) {
        w->failed = bench_call(t);
        if (samples > 0 && (i + 1) % (w->calls / samples) == 0) {
            printf("rss_kb=%ld after=%ld\n", bench_status_kb("VmRSS"), i + 1);
        }
    }
    if (t != NULL) {
        bench_thread_free(t);
    }
    return NULL;
}

static int bench_parse_args(int argc, char **argv, struct bench_args *a) {
    if (argc < 6 || argc > 7) {
        fprintf(stderr, "usage: %s BASE_URL ID CALLS THREADS WARMUP [RSS_SAMPLES]\n", argv[0]);
        return 0;
    }
    a->base_url = argv[1];
    a->id = argv[2];
    a->calls = atol(argv[3]);
    a->threads = atoi(argv[4]);
    a->warmup = atol(argv[5]);
    a->rss_samples = argc == 7 ? atol(argv[6]) : 0;
    if (a->calls <= 0 || a->threads <= 0 || a->threads > 64 || a->warmup < 0 || a->rss_samples < 0 ||
        a->calls % a->threads != 0 || (a->rss_samples > 0 && (a->threads != 1 || a->calls < a->rss_samples))) {
        fprintf(stderr, "%s: CALLS must split evenly over 1-64 THREADS; RSS_SAMPLES needs one thread\n",
                argv[0]);
        return 0;
    }
    return 1;
}

/* Runs the benchmark; returns the process exit status. */
static int bench_main(const struct bench_args *args) {
    struct bench_worker workers[64];
    pthread_t ids[64];
    pthread_barrier_t start;
    int failed = 0;
    int64_t wall0, user0, sys0, wall1, user1, sys1;

    pthread_barrier_init(&start, NULL, (unsigned)args->threads + 1);
    for (int i = 0; i < args->threads; i++) {
        workers[i] = (struct bench_worker){args, &start, args->calls / args->threads, 0};
        if (pthread_create(&ids[i], NULL, bench_worker_run, &workers[i]) != 0) {
            fprintf(stderr, "cannot start thread %d\n", i);
            exit(1);
        }
    }
    pthread_barrier_wait(&start);
    wall0 = bench_now_us();
    bench_cpu_us(&user0, &sys0);
    for (int i = 0; i < args->threads; i++) {
        pthread_join(ids[i], NULL);
        failed |= workers[i].failed;
    }
    wall1 = bench_now_us();
    bench_cpu_us(&user1, &sys1);
    pthread_barrier_destroy(&start);
    if (failed) {
        return 1;
    }
    printf("calls=%ld wall_us=%" PRId64 " cpu_us=%" PRId64 " user_us=%" PRId64 " sys_us=%" PRId64
           " maxrss_kb=%ld\n",
           args->calls, wall1 - wall0, (user1 - user0) + (sys1 - sys0), user1 - user0, sys1 - sys0,
           bench_status_kb("VmHWM"));
    return 0;
}

#endif /* BENCH_H */
