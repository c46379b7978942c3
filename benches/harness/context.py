"""The context fetch every context client makes, and the answer it gets.

The request is a user fetch with one query (`POST /v1/context/user/fetch`);
the answer is the server's fixed body, benches/server/context.json. The
clients are told both through the variables of `env()`: BENCH_CONTEXT_* for
libsynap's and the Python SDK's, BENCH_POST_* for the libcurl floor.
"""

import json
from pathlib import Path

ANSWER = Path(__file__).resolve().parent.parent / "server" / "context.json"

PATH = "/v1/context/user/fetch"
USER_ID = "user-789"
QUERY = "what does the user drink after 3pm?"
# As many as the answer holds.
MAX_RESULTS = 50

LISTS = ("facts", "preferences", "episodes", "emotions", "temporal_events")


def request_body() -> str:
    """The JSON body libsynap sends for this fetch, byte for byte: its
    request's keys in sorted order, with no spaces. The Python SDK sends
    the same keys and values in another order, so a body as long."""
    return json.dumps({
        "conversation_id": None,
        "customer_id": None,
        "max_results": MAX_RESULTS,
        "mode": "fast",
        "search_query": [QUERY],
        "types": ["all"],
        "user_id": USER_ID,
    }, sort_keys=True, separators=(",", ":"))


def answer() -> dict:
    """What every answer must hold: the size of the body, and the number of
    items and the first item's id of each typed list."""
    raw = ANSWER.read_bytes()
    lists = json.loads(raw)["context"]
    return {
        "bytes": len(raw),
        "counts": [len(lists.get(name) or []) for name in LISTS],
        "first_ids": [(lists.get(name) or [{"id": "-"}])[0]["id"] for name in LISTS],
    }


def env() -> dict:
    """The variables the context clients read: BENCH_CONTEXT_* for
    synap_context_bench and context_loop.py, BENCH_POST_* for
    curl_post_bench (its body names USER_ID, the id it is given)."""
    expect = answer()
    return {
        "BENCH_CONTEXT_QUERY": QUERY,
        "BENCH_CONTEXT_MAX_RESULTS": str(MAX_RESULTS),
        "BENCH_CONTEXT_COUNTS": ",".join(map(str, expect["counts"])),
        "BENCH_CONTEXT_FIRST_IDS": ",".join(expect["first_ids"]),
        "BENCH_POST_PATH": PATH,
        "BENCH_POST_ID_FIELD": "user_id",
        "BENCH_POST_BODY": request_body(),
        "BENCH_POST_BYTES": str(expect["bytes"]),
    }
