"""Recording a conversation message through the official Python SDK
(maximem-synap), in a loop.

    python record_loop.py BASE_URL CONVERSATION_ID CALLS WARMUP

`initialize()` once, then WARMUP untimed and CALLS timed calls of
`sdk.conversation.record_message(conversation_id=..., role=..., content=...,
user_id=...)`, each answer checked (the message id and the conversation's
message count). Prints the same line as the C clients:
`calls=N wall_us=W cpu_us=C user_us=U sys_us=S maxrss_kb=M`.

Every call is a request: the SDK answers no write from a local store (its
short-term store and turn archive only mirror a turn after the server has
answered; the one thing that refuses a call locally, the instance_not_ready
cooldown, raises instead of answering), and the harness counts nginx's
answers to make sure. The local response cache is off
(`cache_backend=None`), as in context_loop.py, which also keeps the SDK's
turn archive in memory instead of a SQLite file on disk: each call then
costs the SDK less than with its defaults (no disk write per call). As the
answer is always the same, the mirror holds that one message and skips it
on every later call, the least local work a call can cost.

The key comes from SYNAP_API_KEY; the message and the answer to expect from
BENCH_RECORD_ROLE, BENCH_RECORD_CONTENT, BENCH_RECORD_USER_ID,
BENCH_RECORD_MESSAGE_ID and BENCH_RECORD_COUNT (see
benches/clients/synap_record_bench.c).
"""

import asyncio
import os
import sys
import tempfile
import time

from maximem_synap import MaximemSynapSDK, SDKConfig

from status_loop import cpu_us, peak_rss_kb


async def call(sdk: MaximemSynapSDK, conversation_id: str, role: str, content: str, user_id: str,
               message_id: str, count: int) -> None:
    answer = await sdk.conversation.record_message(conversation_id=conversation_id, role=role, content=content,
                                                   user_id=user_id)
    if answer.get("message_id") != message_id or answer.get("conversation_message_count") != count:
        raise SystemExit(f"record_loop: unexpected answer: {answer!r}; expected message {message_id}, "
                         f"count {count}")


async def main(base_url: str, conversation_id: str, calls: int, warmup: int) -> None:
    message = (conversation_id, os.environ["BENCH_RECORD_ROLE"], os.environ["BENCH_RECORD_CONTENT"],
               os.environ["BENCH_RECORD_USER_ID"], os.environ["BENCH_RECORD_MESSAGE_ID"],
               int(os.environ["BENCH_RECORD_COUNT"]))
    # The SDK's defaults, but for the base URL, a throwaway folder instead
    # of ~/.synap, and no local response cache.
    with tempfile.TemporaryDirectory(prefix="synap-bench-") as folder:
        sdk = MaximemSynapSDK(config=SDKConfig(api_base_url=base_url, storage_path=folder, cache_backend=None))
        await sdk.initialize()
        for _ in range(warmup):
            await call(sdk, *message)
        wall0, cpu0 = time.perf_counter(), cpu_us()
        for _ in range(calls):
            await call(sdk, *message)
        wall1, cpu1 = time.perf_counter(), cpu_us()
        await sdk.shutdown()
    user, sys_ = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    print(f"calls={calls} wall_us={int((wall1 - wall0) * 1_000_000)} cpu_us={user + sys_} user_us={user} "
          f"sys_us={sys_} maxrss_kb={peak_rss_kb()}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: record_loop.py BASE_URL CONVERSATION_ID CALLS WARMUP")
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
