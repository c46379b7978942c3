"""Uploading one file through the official Python SDK (maximem-synap), in a
loop.

    python upload_loop.py BASE_URL FILE CALLS WARMUP

`initialize()` once, then WARMUP untimed and CALLS timed calls of
`sdk.memories.create_from_file(user_id=..., file_path=FILE)`, each answer
checked (the ingestion id, the document id and the state). Prints the same
line as the C clients:
`calls=N wall_us=W cpu_us=C user_us=U sys_us=S maxrss_kb=M`.

The SDK reads the whole file into memory on every call and hands the bytes
to httpx, which sends them as multipart/form-data: that is the SDK's only
way to upload a path (`file=` with an open file is read whole as well).
Uploads use no cache; the settings are those of the other loops (a
throwaway folder instead of ~/.synap, no local response cache).

The key comes from SYNAP_API_KEY; the user and the answer to expect from
BENCH_UPLOAD_USER_ID, BENCH_UPLOAD_INGESTION_ID, BENCH_UPLOAD_DOCUMENT_ID
and BENCH_UPLOAD_STATUS (see benches/clients/synap_upload_bench.c).
"""

import asyncio
import os
import sys
import uuid

from maximem_synap import MaximemSynapSDK

import sdk_loop


async def call(sdk: MaximemSynapSDK, path: str, user_id: str, ingestion_id: uuid.UUID, document_id: str,
               status: str) -> None:
    answer = await sdk.memories.create_from_file(user_id=user_id, file_path=path)
    if answer.ingestion_id != ingestion_id or answer.document_id != document_id or answer.status.value != status:
        raise SystemExit(f"upload_loop: unexpected answer: {answer!r}; expected ingestion {ingestion_id}, "
                         f"document {document_id}, {status}")


async def main(base_url: str, path: str, calls: int, warmup: int) -> None:
    upload = (path, os.environ["BENCH_UPLOAD_USER_ID"], uuid.UUID(os.environ["BENCH_UPLOAD_INGESTION_ID"]),
              os.environ["BENCH_UPLOAD_DOCUMENT_ID"], os.environ["BENCH_UPLOAD_STATUS"])
    await sdk_loop.run(base_url, calls, warmup, lambda sdk: call(sdk, *upload), cache_backend=None)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: upload_loop.py BASE_URL FILE CALLS WARMUP")
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
