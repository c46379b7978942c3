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
import resource
import sys
import tempfile
import time
import uuid

from maximem_synap import MaximemSynapSDK, SDKConfig
from maximem_synap.memories.models import IngestStatus


def cpu_us() -> tuple:
    """User and system CPU time of the whole process so far."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return int(ru.ru_utime * 1_000_000), int(ru.ru_stime * 1_000_000)


def peak_rss_kb() -> int:
    """VmHWM: unlike ru_maxrss, not inherited from the forking harness."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


async def call(sdk: MaximemSynapSDK, ingestion_id: uuid.UUID) -> None:
    status = await sdk.memories.status(ingestion_id)
    if status.ingestion_id != ingestion_id or status.status != IngestStatus.COMPLETED:
        raise SystemExit(f"status_loop: unexpected answer: {status!r}")


async def main(base_url: str, ingestion_id: uuid.UUID, calls: int, warmup: int) -> None:
    # The SDK's defaults, but for the base URL and a throwaway cache folder
    # instead of ~/.synap.
    with tempfile.TemporaryDirectory(prefix="synap-bench-") as cache:
        sdk = MaximemSynapSDK(config=SDKConfig(api_base_url=base_url, storage_path=cache))
        await sdk.initialize()
        for _ in range(warmup):
            await call(sdk, ingestion_id)
        wall0, cpu0 = time.perf_counter(), cpu_us()
        for _ in range(calls):
            await call(sdk, ingestion_id)
        wall1, cpu1 = time.perf_counter(), cpu_us()
        await sdk.shutdown()
    user, sys_ = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    print(f"calls={calls} wall_us={int((wall1 - wall0) * 1_000_000)} cpu_us={user + sys_} user_us={user} "
          f"sys_us={sys_} maxrss_kb={peak_rss_kb()}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit("usage: status_loop.py BASE_URL ID CALLS WARMUP")
    asyncio.run(main(sys.argv[1], uuid.UUID(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
