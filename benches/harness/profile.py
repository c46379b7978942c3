"""Where a status call's cost goes, for libsynap and for the libcurl floor.

    python3 benches/harness/profile.py BUILD_DIR [CALLS]

Counts instructions (callgrind: the same count whatever else the machine
does) and system calls (strace -c), each per call: every client runs twice,
with 200 and with 200 + CALLS calls, and the difference is divided by CALLS,
so start-up and connection setup drop out. Then lists the libsynap
functions that cost the most per call, inclusive of what they call.
"""

import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import callgrind
import clients
from main import placement
from server import Nginx, pinned

BASE = 200
ROWS = 40
# Frames that hold the whole call but are not libsynap's own work.
WRAPPERS = ("bench_", "start_thread", "clone", "main", "__libc_start", "_start", "0x")


def counts_per_call(measure, calls: int) -> dict:
    small, large = measure(BASE), measure(BASE + calls)
    return {k: (large.get(k, 0) - small.get(k, 0)) / calls for k in large}


def strace_counts(argv: list, env: dict, cpu, out: Path) -> dict:
    subprocess.run(pinned(cpu, ["strace", "-f", "-c", "-o", str(out), *argv]), env=env, check=True,
                   stdout=subprocess.DEVNULL)
    counts = {}
    for line in out.read_text().splitlines():
        parts = line.split()
        if len(parts) in (5, 6) and parts[0][0].isdigit() and parts[-1] != "total":
            counts[parts[-1]] = int(parts[3])
    return counts


def callgrind_counts(argv: list, env: dict, cpu, out: Path) -> dict:
    subprocess.run(pinned(cpu, ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv]), env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {"instructions": callgrind.total(str(out)),
            "allocations": callgrind.calls_to(str(out), "malloc") + callgrind.calls_to(str(out), "realloc")}


def main() -> None:
    # A plain kill unwinds through the `finally` that stops nginx.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    build = Path(sys.argv[1]).resolve()
    calls = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    server_cpu, client_cpu = placement()
    server = Nginx(build, clients.API_KEY, server_cpu)
    server.start()
    tmp = Path(tempfile.mkdtemp(prefix="synap-profile-"))
    try:
        env = clients.client_env(server.base_url)
        synap, curl = clients.CLIENTS[0], clients.CLIENTS[2]

        def argv(client, n):
            return clients.command(client, build, server.base_url, n, 0)

        figures = {}
        for c in (synap, curl):
            sys_calls = counts_per_call(lambda n: strace_counts(argv(c, n), env, client_cpu, tmp / f"{c.kind}.{n}.st"),
                                        calls)
            cg = counts_per_call(lambda n: callgrind_counts(argv(c, n), env, client_cpu, tmp / f"{c.kind}.{n}.cg"),
                                 calls)
            figures[c.kind] = (sys_calls, cg)
        top = callgrind.inclusive(str(tmp / f"synap.{BASE + calls}.cg"))
    finally:
        server.stop()

    print(f"Per status call, difference of {BASE} and {BASE + calls} calls (one thread, nginx on loopback).\n")
    print("| per call | libsynap (a) | libcurl (c) |\n|---|---:|---:|")
    for key in ("instructions", "allocations"):
        print(f"| {key} (callgrind) | {figures['synap'][1][key]:,.0f} | {figures['curl'][1][key]:,.0f} |")
    names = sorted(set(figures["synap"][0]) | set(figures["curl"][0]),
                   key=lambda s: -max(figures["synap"][0].get(s, 0), figures["curl"][0].get(s, 0)))
    print(f"| system calls (strace) | {sum(figures['synap'][0].values()):.1f} | {sum(figures['curl'][0].values()):.1f} |")
    for s in names:
        a, c = figures["synap"][0].get(s, 0), figures["curl"][0].get(s, 0)
        if max(a, c) >= 0.05:
            print(f"| &nbsp; `{s}` | {a:.1f} | {c:.1f} |")

    n = BASE + calls
    whole = max((cost for cost, fn in top if fn == "synap_memories_status"), default=0)
    print(f"\nlibsynap functions by inclusive instructions per call ({n:,} calls; "
          f"synap_memories_status = {whole / n:,.0f}):\n")
    print("| instructions/call | function |\n|---:|---|")
    seen = set()
    for cost, fn in top:
        # Skips callers of the whole call, recursion cycles ('), and
        # callgrind_annotate's own summary lines.
        if cost > whole or fn in seen or "'" in fn or fn.startswith(WRAPPERS) or not any(ch.isalpha() for ch in fn) \
                or fn == "events annotated":
            continue
        seen.add(fn)
        print(f"| {cost / n:,.0f} | `{fn[:150]}` |")
        if len(seen) == ROWS:
            break


if __name__ == "__main__":
    main()
