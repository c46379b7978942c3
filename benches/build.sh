#!/usr/bin/env bash
# Builds what the benchmark runs: libsynap (release, in the default target
# directory), the C clients (status, context fetch, record message and
# upload, each through libsynap and through libcurl, one libcurl client
# serving both JSON POSTs), and the parse benchmark (its own workspace and target directory
# under BUILD_DIR, so the library's builds and tests never compile it).
#
#   benches/build.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1
cc=${CC:-cc}
cflags=(-std=c99 -O2 -g -Wall -Wextra -Werror -pedantic)

cargo build --release -p synap
mkdir -p "$build/bin"
# Shared, as the README links it; the rpath finds this build's library.
"$cc" "${cflags[@]}" -Iinclude benches/clients/synap_bench.c -o "$build/bin/synap_bench" \
    -Ltarget/release -lsynap -Wl,-rpath,"$PWD/target/release" -lpthread
"$cc" "${cflags[@]}" benches/clients/curl_bench.c -o "$build/bin/curl_bench" -lcurl -lpthread
"$cc" "${cflags[@]}" -Iinclude benches/clients/synap_context_bench.c -o "$build/bin/synap_context_bench" \
    -Ltarget/release -lsynap -Wl,-rpath,"$PWD/target/release" -lpthread
"$cc" "${cflags[@]}" -Iinclude benches/clients/synap_record_bench.c -o "$build/bin/synap_record_bench" \
    -Ltarget/release -lsynap -Wl,-rpath,"$PWD/target/release" -lpthread
"$cc" "${cflags[@]}" benches/clients/curl_post_bench.c -o "$build/bin/curl_post_bench" -lcurl -lpthread
"$cc" "${cflags[@]}" -Iinclude benches/clients/synap_upload_bench.c -o "$build/bin/synap_upload_bench" \
    -Ltarget/release -lsynap -Wl,-rpath,"$PWD/target/release" -lpthread
"$cc" "${cflags[@]}" benches/clients/curl_upload_bench.c -o "$build/bin/curl_upload_bench" -lcurl -lpthread
CARGO_TARGET_DIR=$build/target cargo build --release --manifest-path benches/parse/Cargo.toml
