"""memories.status through the official Python SDK (maximem-synap), in a loop.

    python status_loop.py BASE_URL ID CALLS WARMUP

`initialize()` once, then WARMUP untimed and CALLS timed calls, each answer
checked. Prints the same line as the C clients:
`calls=N wall_us=W cpu_us=C user_us=U sys_us=S maxrss_kb=M`. The key comes
from SYNAP_API_KEY.
Every URL the SDK uses (whoami, status, /health, telemetry) is derived from
the base URL given here, so nothing leaves the machine.
"""

import asyncio
import sys
import uuid

from maximem_synap import MaximemSynapSDK
from maximem_synap.memories.models import IngestStatus

import sdk_loop


async def call(sdk: MaximemSynapSDK, ingestion_id: uuid.UUID) -> None:
    status = await sdk.memories.status(ingestion_id)
    if status.ingestion_id != ingestion_id or status.status != IngestStatus.COMPLETED:
        raise SystemExit(f"status_loop: unexpected answer: {status!r}")


async def main(base_url: str, ingestion_id: uuid.UUID, calls: int, warmup: int) -> None:
    # The SDK's defaults, its response cache included.
    await sdk_loop.run(base_url, calls, warmup, lambda sdk: call(sdk, ingestion_id))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: status_loop.py BASE_URL ID CALLS WARMUP")
    asyncio.run(main(sys.argv[1], uuid.UUID(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
