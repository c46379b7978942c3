#!/usr/bin/env bash
# Builds the fuzz targets and runs each for FUZZ_SECONDS (default 60; 0
# skips fuzzing), starting from the committed seeds in fuzz/corpus/<target>.
# Fails on the first panic, crash, leak or hang, and leaves that input in
# fuzz/artifacts/<target>/ (replay it: <binary> <file>).
#   fuzz/run.sh [target...]      (make fuzz runs them all)
set -euo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-60}
case $seconds in
    0) echo "fuzz: skipped (FUZZ_SECONDS=0)"; exit 0 ;;
    *[!0-9]*|'') echo "fuzz: FUZZ_SECONDS must be a number of seconds, not '$seconds'" >&2; exit 2 ;;
esac
if [ $# -eq 0 ]; then set -- status_json context_json conversation_json lifecycle_json timestamp c_api c_ingest c_context c_conversation c_lifecycle; fi
host=$(rustc -vV | sed -n 's/^host: //p')
target_dir=${FUZZ_TARGET_DIR:-../target/fuzz}

# The flags cargo-fuzz passes for libFuzzer's coverage hooks, and a
# sanitizer: LeakSanitizer by default, which needs no instrumentation, so the
# build stays quick and each target runs over 100k inputs a minute;
# FUZZ_SANITIZER=address adds AddressSanitizer for a slower, deeper run.
# Stable rustc takes -Zsanitizer under RUSTC_BOOTSTRAP; the runtimes ship with
# the toolchain. --target keeps the flags off build scripts. Debug assertions
# and overflow checks stay on, so an overflow is a finding too.
export RUSTC_BOOTSTRAP=1
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
-Zsanitizer=${FUZZ_SANITIZER:-leak} -Cdebug-assertions -Coverflow-checks --cfg fuzzing"
cargo build --release --target "$host" --target-dir "$target_dir" --bins

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in "$@"; do
    # New inputs go to a scratch directory; the committed seeds are only read.
    rm -rf "${work:?}"/*
    mkdir -p "$work/corpus" "artifacts/$target"
    echo "fuzz: $target for ${seconds}s"
    if ! "$target_dir/$host/release/$target" "$work/corpus" "corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/" >"$work/log" 2>&1; then
        tail -n 80 "$work/log"
        echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$work/log"
done
