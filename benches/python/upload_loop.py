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
import tempfile
import time
import uuid

from maximem_synap import MaximemSynapSDK, SDKConfig

from status_loop import cpu_us, peak_rss_kb


async def call(sdk: MaximemSynapSDK, path: str, user_id: str, ingestion_id: uuid.UUID, document_id: str,
               status: str) -> None:
    answer = await sdk.memories.create_from_file(user_id=user_id, file_path=path)
    if answer.ingestion_id != ingestion_id or answer.document_id != document_id or answer.status.value != status:
        raise SystemExit(f"upload_loop: unexpected answer: {answer!r}; expected ingestion {ingestion_id}, "
                         f"document {document_id}, {status}")


async def main(base_url: str, path: str, calls: int, warmup: int) -> None:
    upload = (path, os.environ["BENCH_UPLOAD_USER_ID"], uuid.UUID(os.environ["BENCH_UPLOAD_INGESTION_ID"]),
              os.environ["BENCH_UPLOAD_DOCUMENT_ID"], os.environ["BENCH_UPLOAD_STATUS"])
    with tempfile.TemporaryDirectory(prefix="synap-bench-") as folder:
        sdk = MaximemSynapSDK(config=SDKConfig(api_base_url=base_url, storage_path=folder, cache_backend=None))
        await sdk.initialize()
        for _ in range(warmup):
            await call(sdk, *upload)
        wall0, cpu0 = time.perf_counter(), cpu_us()
        for _ in range(calls):
            await call(sdk, *upload)
        wall1, cpu1 = time.perf_counter(), cpu_us()
        await sdk.shutdown()
    user, sys_ = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    print(f"calls={calls} wall_us={int((wall1 - wall0) * 1_000_000)} cpu_us={user + sys_} user_us={user} "
          f"sys_us={sys_} maxrss_kb={peak_rss_kb()}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: upload_loop.py BASE_URL FILE CALLS WARMUP")
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
