#!/usr/bin/env bash
# Where a status call's cost goes: instructions and allocations per call
# (callgrind), system calls per call (strace), for libsynap and the libcurl
# floor, and libsynap's costliest functions. Markdown on stdout, also kept
# in BUILD_DIR/profile.md.
#
#   benches/profile.sh [CALLS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BENCH_BUILD_DIR:-build/bench}
mkdir -p "$build"

benches/install.sh "$build"
for tool in valgrind strace; do
    if ! command -v "$tool" >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$tool" >/dev/null
    fi
done
benches/build.sh "$build"
python3 -B benches/harness/profile.py "$build" "$@" | tee "$build/profile.md"
