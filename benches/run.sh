#!/usr/bin/env bash
# The benchmark's one entry point (`make bench`, `make bench-smoke`):
# installs what it needs, builds, runs, and prints a markdown report, also
# kept in BUILD_DIR/results.md (default build/bench).
#
#   benches/run.sh [--smoke]
#
# --smoke runs every part with tiny counts, to check that it works, not how
# fast: it fails only if something does not run or an answer is wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BENCH_BUILD_DIR:-build/bench}
mkdir -p "$build"

benches/install.sh "$build"
benches/build.sh "$build"
python3 -B benches/harness/main.py "$build" "$@"
