"""Reads callgrind profiles through callgrind_annotate: totals, inclusive
costs per function, and how often a function was called."""

import re
import subprocess

# "  1,234 (12.34%)  file:function [object]", with "< " or "> " before the
# name in caller trees, and "(N x)" after callers' names.
LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(?:([<*>])\s+)?(.*)$")
CALLS = re.compile(r"\(([\d,]+)x\)")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def name(entry: str) -> str:
    """`function` out of `file:function (Nx) [object]`."""
    entry = CALLS.sub("", re.sub(r"\s*\[[^\]]*\]\s*$", "", entry)).strip()
    return entry.split(":", 1)[1] if ":" in entry and not entry.startswith("???:") else entry.removeprefix("???:")


def annotate(path: str, *flags: str) -> str:
    return subprocess.run(["callgrind_annotate", *flags, path], check=True, capture_output=True,
                          text=True).stdout


def total(path: str) -> int:
    for line in annotate(path).splitlines():
        if "PROGRAM TOTALS" in line:
            return number(line.split()[0])
    raise SystemExit(f"no totals in {path}")


def inclusive(path: str) -> list:
    """(instructions, function) for every function, most costly first. The
    same function may appear once per object file it is inlined from."""
    rows = []
    for line in annotate(path, "--inclusive=yes", "--threshold=100").splitlines():
        m = LINE.match(line)
        if m and m.group(2) is None and "PROGRAM TOTALS" not in line:
            rows.append((number(m.group(1)), name(m.group(3))))
    return rows


def calls_to(path: str, function: str) -> int:
    """How many times `function` (exact name) was called, from anywhere."""
    count = 0
    for block in annotate(path, "--tree=caller", "--threshold=100").split("\n\n"):
        lines = [LINE.match(line) for line in block.splitlines()]
        me = [m for m in lines if m and m.group(2) == "*"]
        if me and name(me[0].group(3)) == function:
            for m in lines:
                if m and m.group(2) == "<":
                    found = CALLS.search(m.group(3))
                    count += number(found.group(1)) if found else 0
    return count
