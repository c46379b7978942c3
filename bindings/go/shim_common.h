/* What the shim's C files share: the failure and allocation helpers of
 * shim.c. Not for Go; each file of the shim includes it. */
#ifndef SYNAP_GO_SHIM_COMMON_H
#define SYNAP_GO_SHIM_COMMON_H

#include "shim.h"

/* Copies the calling thread's last error for a call that returned `code`,
 * and returns `code`. */
int synapgo_fail(int code, synapgo_error *err);

/* Fills `err` for memory that ran out; returns SYNAP_INTERNAL. */
int synapgo_out_of_memory(synapgo_error *err);

/* `n` zeroed elements of `size` bytes, or NULL for none; sets `*failed`
 * when memory runs out. */
void *synapgo_array(size_t n, size_t size, bool *failed);

/* Builds the wait options `s` describes, with `to_go` as the progress
 * callback when `s` has a handle. On failure it copies the error into
 * `err` and returns the code. */
int synapgo_wait_options(const synapgo_wait_settings *s, SynapWaitProgressFn to_go, SynapWaitOptions **out,
                         synapgo_error *err);

#endif
