"""What the SDK fidelity scripts share: their checks, and the SDK they drive.

Each script imports it from its own directory, which Python puts first on
the module path when it runs a script.
"""

import asyncio
import json
import os
import sys
import tempfile
from contextlib import asynccontextmanager
from datetime import datetime

from maximem_synap import MaximemSynapSDK, SDKConfig


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def aware(value) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None


@asynccontextmanager
async def emulator_sdk(base_url: str):
    """The SDK on base_url, its local caches off so every call reaches the
    emulator; yields it with the temporary directory it stores in."""
    with tempfile.TemporaryDirectory(prefix="synap-fidelity-") as storage:
        config = SDKConfig(api_base_url=base_url, cache_backend=None, storage_path=storage,
                           history_search_model=None, retry_policy=None)
        sdk = MaximemSynapSDK(api_key=os.environ["SYNAP_API_KEY"], config=config)
        await sdk.initialize()
        try:
            yield sdk, storage
        finally:
            await sdk.shutdown()


def run_from_command_line(checks) -> None:
    """Runs checks(BASE_URL, fixture) with the script's arguments,
    BASE_URL FIXTURE_JSON."""
    if len(sys.argv) != 3:
        raise SystemExit(f"usage: {os.path.basename(sys.argv[0])} BASE_URL FIXTURE_JSON")
    asyncio.run(checks(sys.argv[1], json.loads(sys.argv[2])))
