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

from maximem_synap import MaximemSynapSDK

import sdk_loop


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
    await sdk_loop.run(base_url, calls, warmup, lambda sdk: call(sdk, *message), cache_backend=None)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: record_loop.py BASE_URL CONVERSATION_ID CALLS WARMUP")
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
