"""Turns the rounds' raw figures into the markdown tables.

Absolute times swing with whatever else the machine runs, so every ratio is
taken between two clients measured in the same round, and only then is the
median over rounds taken.
"""

from statistics import median

FLOOR = "c"
# The floor of the context fetch: libcurl reading the answer unparsed.
CONTEXT_FLOOR = "g"
# The floor of recording a message, likewise.
RECORD_FLOOR = "j"
# The floor of an upload: libcurl streaming the file.
UPLOAD_FLOOR = "m"


def per_call(result: dict) -> dict:
    calls = result["calls"]
    return {
        "calls_s": calls * 1e6 / result["wall_us"],
        "wall_us": result["wall_us"] / calls,
        "cpu_us": result["cpu_us"] / calls,
        "user_us": result["user_us"] / calls,
        "sys_us": result["sys_us"] / calls,
        "rss_mb": result["maxrss_kb"] * 1024 / 1e6,
    }


def round_ratios(rounds: list, key: str, other: str, figure: str) -> list:
    """Key's figure divided by other's, one ratio per round."""
    return [per_call(r[key])[figure] / per_call(r[other])[figure] for r in rounds]


def round_ratio(rounds: list, key: str, other: str, figure: str) -> float:
    """Median over rounds of key's figure divided by other's, same round."""
    return median(round_ratios(rounds, key, other, figure))


def plus_parse_ratios(rounds: list, key: str, parse_us: float) -> list:
    """Key's CPU per call divided by the context floor's plus `parse_us`
    (the cost of parsing the answer), one ratio per round."""
    return [per_call(r[key])["cpu_us"] / (per_call(r[CONTEXT_FLOOR])["cpu_us"] + parse_us) for r in rounds]


def summary(rounds: list, clients: list, floor: str = FLOOR) -> dict:
    out = {}
    for c in clients:
        figures = [per_call(r[c.key]) for r in rounds]
        row = {name: median(f[name] for f in figures) for name in figures[0] if name != "rss_mb"}
        row["rss_mb"] = max(f["rss_mb"] for f in figures)  # peak of the peaks
        for figure in ("calls_s", "wall_us", "cpu_us"):
            row[f"{figure}_vs_floor"] = round_ratio(rounds, c.key, floor, figure)
        out[c.key] = row
    return out


def clients_table(rows: dict, clients: list) -> str:
    lines = [
        "| client | calls/s | wall µs/call | CPU µs/call (user + sys) | peak RSS MB "
        "| calls/s vs (c) | wall vs (c) | CPU vs (c) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in clients:
        r = rows[c.key]
        lines.append(
            f"| ({c.key}) {c.label} | {r['calls_s']:,.0f} | {r['wall_us']:.1f} "
            f"| {r['cpu_us']:.1f} ({r['user_us']:.1f} + {r['sys_us']:.1f}) | {r['rss_mb']:.1f} "
            f"| {r['calls_s_vs_floor']:.2f}x | {r['wall_us_vs_floor']:.2f}x | {r['cpu_us_vs_floor']:.2f}x |")
    return "\n".join(lines)


def parse_table(parse: list) -> str:
    lines = [
        "| memory ids | body bytes | libsynap µs/parse | serde_json Value µs/parse | libsynap vs serde_json |",
        "|---:|---:|---:|---:|---:|",
    ]
    for p in (p for p in parse if "ids" in p):
        lines.append(f"| {p['ids']:,} | {p['bytes']:,} | {p['synap_us']:,.1f} | {p['serde_us']:,.1f} "
                     f"| {p['ratio']:.2f}x |")
    return "\n".join(lines)


def context_parse_table(parse: list) -> str:
    lines = [
        "| context items | shape | body bytes | libsynap µs/parse | serde_json Value µs/parse "
        "| libsynap vs serde_json |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for p in (p for p in parse if "items" in p):
        lines.append(f"| {p['items']:,} | {p['shape']} | {p['bytes']:,} | {p['synap_us']:,.1f} | {p['serde_us']:,.1f} "
                     f"| {p['ratio']:.2f}x |")
    return "\n".join(lines)


def context_table(rows: dict, clients: list, rounds: list, fetch_parse: dict) -> str:
    """The context fetch clients, against (g), and against (g) plus parsing
    the answer into a serde_json::Value."""
    lines = [
        "| context fetch client | calls/s | wall µs/call | CPU µs/call (user + sys) | peak RSS MB "
        "| calls/s vs (g) | wall vs (g) | CPU vs (g) | CPU vs (g) + parse |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in clients:
        r = rows[c.key]
        plus = median(plus_parse_ratios(rounds, c.key, fetch_parse["serde_us"]))
        lines.append(
            f"| ({c.key}) {c.label} | {r['calls_s']:,.0f} | {r['wall_us']:.1f} "
            f"| {r['cpu_us']:.1f} ({r['user_us']:.1f} + {r['sys_us']:.1f}) | {r['rss_mb']:.1f} "
            f"| {r['calls_s_vs_floor']:.2f}x | {r['wall_us_vs_floor']:.2f}x | {r['cpu_us_vs_floor']:.2f}x "
            f"| {plus:.2f}x |")
    return "\n".join(lines)


def record_table(rows: dict, clients: list) -> str:
    """The record-message clients, against (j)."""
    lines = [
        "| record message client | calls/s | wall µs/call | CPU µs/call (user + sys) | peak RSS MB "
        "| calls/s vs (j) | wall vs (j) | CPU vs (j) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in clients:
        r = rows[c.key]
        lines.append(
            f"| ({c.key}) {c.label} | {r['calls_s']:,.0f} | {r['wall_us']:.1f} "
            f"| {r['cpu_us']:.1f} ({r['user_us']:.1f} + {r['sys_us']:.1f}) | {r['rss_mb']:.1f} "
            f"| {r['calls_s_vs_floor']:.2f}x | {r['wall_us_vs_floor']:.2f}x | {r['cpu_us_vs_floor']:.2f}x |")
    return "\n".join(lines)


def records_line(seen: int, cfg: dict) -> str:
    """What nginx answered on the record-message path, against the calls
    the record clients made, warm-up included."""
    per_round = 2 * (cfg["calls"] + cfg["warmup"]) + cfg["py_calls"] + cfg["py_warmup"]
    made = per_round * cfg["rounds"]
    return (f"Record-message requests nginx answered with 200: {seen:,}, for {made:,} calls made by (i), (j) and (k) "
            f"(warm-up included; each client's own count is checked after each of its runs).")


def upload_line(file_bytes: int, cfg: dict) -> str:
    return (f"Upload of one {file_bytes:,}-byte file ({file_bytes / (1 << 20):,.0f} MiB), from the page cache: median "
            f"of {cfg['upload_rounds']} round(s) of {cfg['uploads']} timed uploads per client, after "
            f"{cfg['upload_warmup']} untimed.")


def upload_table(rows: dict, clients: list, file_bytes: int) -> str:
    """The upload clients, per upload, against (m); MB/s is the file's bytes
    over the wall time, and peak RSS is compared as well, since holding the
    file or not is what sets it apart."""
    floor = rows[UPLOAD_FLOOR]
    lines = [
        "| upload client | wall ms/upload | MB/s | CPU ms/upload (user + sys) | peak RSS MB "
        "| wall vs (m) | CPU vs (m) | peak RSS vs (m) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in clients:
        r = rows[c.key]
        lines.append(
            f"| ({c.key}) {c.label} | {r['wall_us'] / 1e3:,.1f} | {file_bytes / r['wall_us']:,.0f} "
            f"| {r['cpu_us'] / 1e3:,.1f} ({r['user_us'] / 1e3:,.1f} + {r['sys_us'] / 1e3:,.1f}) | {r['rss_mb']:,.1f} "
            f"| {r['wall_us_vs_floor']:.2f}x | {r['cpu_us_vs_floor']:.2f}x | {r['rss_mb'] / floor['rss_mb']:.2f}x |")
    return "\n".join(lines)


def uploads_read_line(lines: list, cfg: dict, file_bytes: int) -> str:
    """What nginx logged for the uploads: how many it answered, each after
    reading its whole body, and how long the bodies were."""
    made = 3 * (cfg["uploads"] + cfg["upload_warmup"]) * cfg["upload_rounds"]
    bodies = [int(line.split()[2]) for line in lines]
    return (f"Uploads nginx answered with 200 after reading the whole body: {len(lines):,}, for {made:,} uploads "
            f"made by (l), (m) and (n) (warm-up included; each client's lines are checked after each of its runs); "
            f"bodies of {min(bodies):,} to {max(bodies):,} bytes, the file plus each client's form fields and "
            f"boundaries ({min(bodies) - file_bytes:,} to {max(bodies) - file_bytes:,} bytes).")


def fetch_parse_line(p: dict, items: int) -> str:
    return (f"Parse, the per-call cost added to (g): the server's {items}-item answer ({p['bytes']:,} bytes, "
            f"`{p['file']}`) parsed into a `serde_json::Value` takes {p['serde_us']:,.1f} µs of CPU "
            f"(libsynap's `Context::from_json` {p['synap_us']:,.1f} µs, {p['ratio']:.2f}x), "
            f"median of the parse benchmark's rounds.")


def rss_line(samples: list, calls: int) -> str:
    """RSS over a long run. Flat means no more than 256 KiB of growth between
    the first sample and the last: a leak of even one byte per call would
    grow it by most of a megabyte over 1M calls."""
    if len(samples) < 2:
        return "RSS samples: too few to judge"
    first, last = samples[0][1], samples[-1][1]
    shown = ", ".join(f"{kb * 1024 / 1e6:.2f}" for _, kb in samples)
    verdict = "flat" if last - first <= 256 else "GROWING"
    return (f"RSS of client (a) over {calls:,} calls, MB at each tenth: {shown} "
            f"(growth {last - first:+d} KiB from first to last sample: {verdict})")


def targets_table(rounds: list, rows: dict, parse: list, fetch_parse: dict) -> str:
    """Each target with its median and, for ratios between clients, the
    lowest and highest round, which show how noisy the machine was."""

    def with_range(values):
        return median(values), f"{min(values):.2f} to {max(values):.2f}"

    def ratio(key, other, figure):
        return with_range(round_ratios(rounds, key, other, figure))

    checks = [
        ("CPU per call, (a) vs (c)", "at most 0.90x", *ratio("a", "c", "cpu_us"), lambda v: v <= 0.90, "x"),
        ("wall per call, (a) vs (c)", "at most 1.00x", *ratio("a", "c", "wall_us"), lambda v: v <= 1.00, "x"),
        ("calls/s, (b) vs (d)", "at least 1.00x", *ratio("b", "d", "calls_s"), lambda v: v >= 1.0, "x"),
        ("peak RSS of (a)", "under 6 MB", rows["a"]["rss_mb"], "", lambda v: v < 6.0, " MB"),
    ]
    for p in parse:
        spread = f"{p['ratio_min']:.2f} to {p['ratio_max']:.2f}"
        if p.get("ids", 0) >= 10_000:
            checks.append((f"parse {p['ids']:,} ids vs serde_json", "at most 1.20x", p["ratio"], spread,
                           lambda v: v <= 1.2, "x"))
        elif "items" in p:
            checks.append((f"parse {p['items']:,} context items ({p['shape']}) vs serde_json", "at most 1.00x",
                           p["ratio"], spread, lambda v: v <= 1.0, "x"))
    checks.append(("calls/s, (a) vs (e)", "at least 10x", *ratio("a", "e", "calls_s"), lambda v: v >= 10, "x"))
    checks.append(("context fetch calls/s, (f) vs (h)", "at least 10x", *ratio("f", "h", "calls_s"),
                   lambda v: v >= 10, "x"))
    checks.append(("context fetch CPU per call, (f) vs (g) + parse", "at most 1.50x",
                   *with_range(plus_parse_ratios(rounds, "f", fetch_parse["serde_us"])), lambda v: v <= 1.5, "x"))
    checks.append(("record message calls/s, (i) vs (k)", "at least 10x", *ratio("i", "k", "calls_s"),
                   lambda v: v >= 10, "x"))
    # Reported, with no goal set.
    checks.append(("record message CPU per call, (i) vs (j)", "none (reported)", *ratio("i", "j", "cpu_us"), None,
                   "x"))
    lines = ["| target | goal | measured (median) | lowest to highest round | met |", "|---|---|---:|---|---|"]
    for name, goal, value, spread, ok, unit in checks:
        met = "n/a" if ok is None else "yes" if ok(value) else "no"
        lines.append(f"| {name} | {goal} | {value:.2f}{unit} | {spread} | {met} |")
    return "\n".join(lines)
