"""The timed loop the Python SDK clients share, and the figures it prints.

Each client defines one checked call; `run` makes the SDK with the
client's settings, calls it WARMUP times untimed and CALLS times timed,
and prints the same line as the C clients:
`calls=N wall_us=W cpu_us=C user_us=U sys_us=S maxrss_kb=M`.
"""

import resource
import tempfile
import time
from typing import Awaitable, Callable

from maximem_synap import MaximemSynapSDK, SDKConfig


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


async def run(base_url: str, calls: int, warmup: int, call: Callable[[MaximemSynapSDK], Awaitable[None]],
              **settings) -> None:
    """`initialize()` once, then the untimed and the timed calls.

    The SDK's defaults, but for the base URL, a throwaway folder instead of
    ~/.synap, and the client's `settings` (SDKConfig fields).
    """
    with tempfile.TemporaryDirectory(prefix="synap-bench-") as folder:
        sdk = MaximemSynapSDK(config=SDKConfig(api_base_url=base_url, storage_path=folder, **settings))
        await sdk.initialize()
        for _ in range(warmup):
            await call(sdk)
        wall0, cpu0 = time.perf_counter(), cpu_us()
        for _ in range(calls):
            await call(sdk)
        wall1, cpu1 = time.perf_counter(), cpu_us()
        await sdk.shutdown()
    user, sys_ = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    print(f"calls={calls} wall_us={int((wall1 - wall0) * 1_000_000)} cpu_us={user + sys_} user_us={user} "
          f"sys_us={sys_} maxrss_kb={peak_rss_kb()}")
