"""Runs the benchmark and prints its markdown report.

    python3 benches/harness/main.py BUILD_DIR [--smoke]

Expects BUILD_DIR to hold what benches/build.sh made: bin/synap_bench,
bin/curl_bench, bin/synap_context_bench, bin/synap_record_bench,
bin/curl_post_bench (the libcurl floor of both), bin/synap_upload_bench,
bin/curl_upload_bench, the venv with the Python SDK, and the parse
benchmark. The file the upload clients send is made there too
(upload/document.bin, BENCH_UPLOAD_MIB MiB; 100 unless set, 8 for --smoke).
Exits nonzero if any client fails to verify an answer, if nginx answered
fewer record-message requests than a record client made calls, or if it
answered an upload without reading its whole body.
"""

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

import clients
import context
import report
import upload
from server import Nginx, pinned

FULL = dict(rounds=5, calls=20_000, py_calls=1_000, warmup=500, py_warmup=50, rss_calls=1_000_000,
            parse_rounds=5, parse_budget=64 << 20, upload_rounds=3, uploads=5, upload_warmup=1, upload_mib=100)
SMOKE = dict(rounds=1, calls=200, py_calls=20, warmup=20, py_warmup=5, rss_calls=2_000,
             parse_rounds=1, parse_budget=1 << 20, upload_rounds=1, uploads=2, upload_warmup=1, upload_mib=8)


def placement():
    """Server on CPU 0, clients on CPU 1; no pinning without two CPUs."""
    cpus = sorted(os.sched_getaffinity(0))
    return (cpus[0], cpus[1]) if len(cpus) >= 2 else (None, None)


def check_records(server: Nginx, before: int, made: int, client: clients.Client) -> None:
    """Fails the run if nginx answered fewer record-message requests since
    `before` than the client made calls (warm-up included): a call answered
    without a request would make it look faster than it is."""
    seen = server.records_seen() - before
    # nginx logs a request just after sending its answer: give a last line
    # a moment to land.
    for _ in range(20):
        if seen >= made:
            return
        time.sleep(0.05)
        seen = server.records_seen() - before
    raise SystemExit(f"client ({client.key}) made {made} record-message calls, but nginx answered only {seen} "
                     f"requests")


def run_rounds(server: Nginx, build: Path, cfg: dict, client_cpu) -> list:
    """Each round runs the status clients, then the context clients, then
    the record-message clients; a round's results are keyed by client, (a)
    to (k)."""
    rounds = []
    for n in range(cfg["rounds"]):
        results = {}
        for group in (clients.CLIENTS, clients.CONTEXT_CLIENTS, clients.RECORD_CLIENTS):
            env = clients.client_env(server.base_url, group[0].call)
            # Each round starts with a different client, so none always runs
            # first or last in a round.
            shift = n % len(group)
            for c in group[shift:] + group[:shift]:
                python = c.kind == "python"
                calls, warmup = cfg["py_calls" if python else "calls"], cfg["py_warmup" if python else "warmup"]
                argv = clients.command(c, build, server.base_url, calls, warmup)
                before = server.records_seen()
                results[c.key] = clients.run(argv, env, client_cpu)
                if c.call == "record":
                    check_records(server, before, calls + warmup, c)
        rounds.append(results)
        print(f"round {n + 1}/{cfg['rounds']} done", file=sys.stderr)
    return rounds


def check_uploads(server: Nginx, before: int, made: int, file_bytes: int, client: clients.Client) -> None:
    """Fails the run unless nginx answered the client's `made` uploads
    (warm-up included), each after reading its whole body."""
    lines = server.uploads_seen()[before:]
    # As for the records: the last line lands just after the answer.
    for _ in range(20):
        if len(lines) >= made:
            break
        time.sleep(0.05)
        lines = server.uploads_seen()[before:]
    upload.check_log(lines, made, file_bytes, f"client ({client.key})")


def run_uploads(server: Nginx, build: Path, cfg: dict, client_cpu, path: Path) -> list:
    """The upload rounds, fewer and with far fewer calls than the others:
    each runs the three upload clients, again starting with a different one
    each round; a round's results are keyed by client, (l) to (n)."""
    group = clients.UPLOAD_CLIENTS
    env = clients.client_env(server.base_url, "upload")
    made = cfg["uploads"] + cfg["upload_warmup"]
    rounds = []
    for n in range(cfg["upload_rounds"]):
        results = {}
        shift = n % len(group)
        for c in group[shift:] + group[:shift]:
            argv = clients.command(c, build, server.base_url, cfg["uploads"], cfg["upload_warmup"], upload_file=path)
            before = len(server.uploads_seen())
            results[c.key] = clients.run(argv, env, client_cpu)
            check_uploads(server, before, made, path.stat().st_size, c)
        rounds.append(results)
        print(f"upload round {n + 1}/{cfg['upload_rounds']} done", file=sys.stderr)
    return rounds


def run_rss(server: Nginx, build: Path, cfg: dict, client_cpu) -> list:
    argv = clients.command(clients.CLIENTS[0], build, server.base_url, cfg["rss_calls"], cfg["warmup"],
                           rss_samples=10)
    return clients.run(argv, clients.client_env(server.base_url), client_cpu)["rss"]


def run_parse(build: Path, cfg: dict, client_cpu, *bodies: str) -> list:
    """The parse benchmark's rows: its default bodies, or `bodies`."""
    argv = [str(build / "target" / "release" / "synap-parse-bench"), str(cfg["parse_rounds"]),
            str(cfg["parse_budget"]), *bodies]
    out = subprocess.run(pinned(client_cpu, argv), check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        fields = dict(part.split("=", 1) for part in line.split())
        # A status row has `ids`, a context row `items` and `shape`, a row
        # for a body read from a file `file` and `clock`.
        rows.append({k: (v if k in ("shape", "file", "clock") else int(v) if k in ("ids", "items", "bytes")
                         else float(v)) for k, v in fields.items()})
    return rows


def check_paths(paths: list) -> None:
    """A fetch with a query must not read the user's profile first."""
    profile = [p for p in paths if "/profile" in p]
    if profile:
        raise SystemExit(f"a client read a profile during the context fetches: {profile}")


def library_version() -> str:
    """Which libsynap was measured: the commit, and whether src/ differs."""
    root = Path(__file__).resolve().parent.parent.parent

    def git(*args):
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    return f"libsynap at {commit}" + (" with uncommitted changes in src/" if git("status", "--porcelain", "src") else "")


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    return f"{model}, {os.cpu_count()} CPUs, Linux {platform.release()}"


def main() -> None:
    # A plain kill unwinds through the `finally` that stops nginx.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser()
    parser.add_argument("build", type=Path)
    parser.add_argument("--smoke", action="store_true", help="tiny counts: checks that it runs, not how fast")
    args = parser.parse_args()
    cfg = dict(SMOKE if args.smoke else FULL)
    if os.environ.get("BENCH_UPLOAD_MIB"):
        cfg["upload_mib"] = int(os.environ["BENCH_UPLOAD_MIB"])
    build = args.build.resolve()
    server_cpu, client_cpu = placement()
    upload_file = upload.make_file(build, cfg["upload_mib"])

    server = Nginx(build, clients.API_KEY, server_cpu)
    server.start()
    try:
        rounds = run_rounds(server, build, cfg, client_cpu)
        rss = run_rss(server, build, cfg, client_cpu)
        upload_rounds = run_uploads(server, build, cfg, client_cpu, upload_file)
        paths = server.paths_seen()
        records = server.records_seen()
        uploads = server.uploads_seen()
    finally:
        server.stop()
    check_paths(paths)
    parse = run_parse(build, cfg, client_cpu)
    # The per-call parse cost the context floor (g) leaves out: the body the
    # server sends, parsed into a serde_json::Value, in CPU time.
    fetch_parse = run_parse(build, cfg, client_cpu, f"file={context.ANSWER}")[0]

    rows = report.summary(rounds, clients.CLIENTS)
    context_rows = report.summary(rounds, clients.CONTEXT_CLIENTS, floor=report.CONTEXT_FLOOR)
    record_rows = report.summary(rounds, clients.RECORD_CLIENTS, floor=report.RECORD_FLOOR)
    upload_rows = report.summary(upload_rounds, clients.UPLOAD_CLIENTS, floor=report.UPLOAD_FLOOR)
    file_bytes = upload_file.stat().st_size
    placed = (f"nginx on CPU {server_cpu}, clients on CPU {client_cpu}" if server_cpu is not None
              else "not pinned (fewer than two CPUs)")
    python_paths = sorted(set(paths))
    text = "\n\n".join([
        f"{'Smoke run (tiny counts: not a measurement)' if args.smoke else 'Benchmark'}: "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {library_version()}; {machine()}; {placed}; "
        f"median of {cfg['rounds']} round(s) of {cfg['calls']:,} calls per C client and "
        f"{cfg['py_calls']:,} for Python.",
        report.clients_table(rows, clients.CLIENTS),
        report.parse_table(parse),
        report.context_parse_table(parse),
        report.rss_line(rss, cfg["rss_calls"]),
        report.context_table(context_rows, clients.CONTEXT_CLIENTS, rounds, fetch_parse),
        report.fetch_parse_line(fetch_parse, sum(context.answer()["counts"])),
        report.record_table(record_rows, clients.RECORD_CLIENTS),
        report.records_line(records, cfg),
        report.upload_line(file_bytes, cfg),
        report.upload_table(upload_rows, clients.UPLOAD_CLIENTS, file_bytes),
        report.uploads_read_line(uploads, cfg, file_bytes),
        report.targets_table(rounds, rows, parse, fetch_parse),
        "Requests besides the status, context fetch, record-message and upload paths (method, path, answer), all "
        "to nginx on loopback: "
        + (", ".join(f"`{p}`" for p in python_paths) or "none"),
    ])
    print(text)
    (build / "results.md").write_text(text + "\n")
    (build / "rounds.json").write_text(json.dumps({"rounds": rounds, "parse": parse, "fetch_parse": fetch_parse,
                                                   "rss": rss, "upload_rounds": upload_rounds}, indent=1))


if __name__ == "__main__":
    main()
