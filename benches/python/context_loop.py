"""A user's context.fetch through the official Python SDK (maximem-synap), in
a loop.

    python context_loop.py BASE_URL USER_ID CALLS WARMUP

`initialize()` once, then WARMUP untimed and CALLS timed calls of
`sdk.user.context.fetch(user_id=..., search_query=[QUERY], max_results=N)`,
each parsed answer checked (the number of items in each typed list and the
id of each list's first item). With a query, the SDK goes straight to
`POST /v1/context/user/fetch` (no profile read). Its local response cache is
off (`cache_backend=None`), so every call is a request, as in the C clients.
Prints the same line as the C clients:
`calls=N wall_us=W cpu_us=C user_us=U sys_us=S maxrss_kb=M`.

The key comes from SYNAP_API_KEY; the query, max results and the answer to
expect from BENCH_CONTEXT_QUERY, BENCH_CONTEXT_MAX_RESULTS,
BENCH_CONTEXT_COUNTS and BENCH_CONTEXT_FIRST_IDS (see
benches/clients/synap_context_bench.c).
"""

import asyncio
import os
import sys

from maximem_synap import MaximemSynapSDK

import sdk_loop

LISTS = ("facts", "preferences", "episodes", "emotions", "temporal_events")


def expected() -> list:
    """(list name, item count, first id or None) for each typed list."""
    counts = [int(n) for n in os.environ["BENCH_CONTEXT_COUNTS"].split(",")]
    ids = [None if i == "-" else i for i in os.environ["BENCH_CONTEXT_FIRST_IDS"].split(",")]
    if len(counts) != len(LISTS) or len(ids) != len(LISTS):
        raise SystemExit("context_loop: BENCH_CONTEXT_COUNTS and BENCH_CONTEXT_FIRST_IDS need 5 values each")
    return list(zip(LISTS, counts, ids))


async def call(sdk: MaximemSynapSDK, user_id: str, query: list, max_results: int, expect: list) -> None:
    context = await sdk.user.context.fetch(user_id=user_id, search_query=query, max_results=max_results)
    for name, count, first in expect:
        items = getattr(context, name)
        if len(items) != count or (items[0].id if items else None) != first:
            raise SystemExit(f"context_loop: {name}: {len(items)} items, the first "
                             f"{items[0].id if items else None}; expected {count}, the first {first}")


async def main(base_url: str, user_id: str, calls: int, warmup: int) -> None:
    query = [os.environ["BENCH_CONTEXT_QUERY"]]
    max_results = int(os.environ["BENCH_CONTEXT_MAX_RESULTS"])
    expect = expected()
    await sdk_loop.run(base_url, calls, warmup, lambda sdk: call(sdk, user_id, query, max_results, expect),
                       cache_backend=None)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: context_loop.py BASE_URL USER_ID CALLS WARMUP")
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
