#!/usr/bin/env bash
# Installs what the benchmark needs on a fresh Debian machine: nginx, the
# libcurl headers, a C compiler and venv support from Debian, then the
# official Python SDK (pinned) into a virtualenv under BUILD_DIR.
#
#   benches/install.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=$1

missing=()
for pkg in nginx libcurl4-openssl-dev build-essential python3-venv; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "benches: needs the Debian packages ${missing[*]}; install them as root" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The SDK needs Python 3.11 or newer.
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "benches: the Python SDK needs python3 >= 3.11, found $(python3 --version)" >&2
    exit 1
}
# Reinstalled only when the pinned list changes.
venv=$build/venv
if ! cmp -s benches/python/requirements.txt "$venv/requirements.txt"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r benches/python/requirements.txt
    cp benches/python/requirements.txt "$venv/requirements.txt"
fi
