"""The clients compared, and how one run of one client is made and read."""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import context
import record
import upload
from server import pinned

# The job whose status every client asks for (the server's fixed body).
INGESTION_ID = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"
API_KEY = "synap_bench_0123456789abcdef0123456789abcdef"


@dataclass(frozen=True)
class Client:
    key: str  # (a) .. (n)
    label: str
    kind: str  # "synap", "curl" or "python"
    threads: int
    # What it asks for: "status" (a memories.status), "context" (a user's
    # context.fetch, see context.py), "record" (a conversation message
    # recorded, see record.py) or "upload" (a file uploaded, see upload.py).
    call: str = "status"


CLIENTS = [
    Client("a", "libsynap, C API, 1 thread", "synap", 1),
    Client("b", "libsynap, 2 threads, one client", "synap", 2),
    Client("c", "libcurl, 1 easy handle (floor)", "curl", 1),
    Client("d", "libcurl, 2 threads, 2 handles", "curl", 2),
    Client("e", "Python SDK maximem-synap 0.6.9", "python", 1),
]

# The same three kinds of client, each fetching a user's context.
CONTEXT_CLIENTS = [
    Client("f", "libsynap, C API, 1 thread", "synap", 1, "context"),
    Client("g", "libcurl, 1 easy handle, no parse (floor)", "curl", 1, "context"),
    Client("h", "Python SDK maximem-synap 0.6.9", "python", 1, "context"),
]

# The same three kinds of client, each recording one message.
RECORD_CLIENTS = [
    Client("i", "libsynap, C API, 1 thread", "synap", 1, "record"),
    Client("j", "libcurl, 1 easy handle, no parse (floor)", "curl", 1, "record"),
    Client("k", "Python SDK maximem-synap 0.6.9", "python", 1, "record"),
]

# The same three kinds of client, each uploading one file: libsynap streams
# it from its path, libcurl's floor streams it too, the SDK reads it whole.
UPLOAD_CLIENTS = [
    Client("l", "libsynap, C API, file path (streamed)", "synap", 1, "upload"),
    Client("m", "libcurl, curl_mime_filedata (streamed, floor)", "curl", 1, "upload"),
    Client("n", "Python SDK maximem-synap 0.6.9, file_path (read whole)", "python", 1, "upload"),
]


def client_env(base_url: str, call: str = "status") -> dict:
    """A clean environment: the key, the base URL, and no proxy, so every
    client talks to loopback directly; for a context, record or upload
    client, also the request and the answer to expect."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and not k.startswith("SYNAP_")}
    env.update(SYNAP_API_KEY=API_KEY, SYNAP_BASE_URL=base_url, NO_PROXY="127.0.0.1,localhost",
               # Belt and braces for the Python SDK: no model download, and
               # its gRPC side (unused by these calls) pointed at loopback.
               SYNAP_SDK_LOCAL_MODEL="off", SYNAP_GRPC_HOST="127.0.0.1", SYNAP_GRPC_PORT="9",
               SYNAP_GRPC_USE_TLS="false")
    if call == "context":
        env.update(context.env())
    elif call == "record":
        env.update(record.env())
    elif call == "upload":
        env.update(upload.env())
    return env


def command(client: Client, build: Path, base_url: str, calls: int, warmup: int, rss_samples: int = 0,
            upload_file: Path | None = None) -> list:
    """The client's command line; an upload client is given the file to
    upload as its ID."""
    what = {"status": INGESTION_ID, "context": context.USER_ID, "record": record.CONVERSATION_ID,
            "upload": str(upload_file)}[client.call]
    if client.kind == "python":
        script = Path(__file__).resolve().parent.parent / "python" / f"{client.call}_loop.py"
        return [str(build / "venv" / "bin" / "python"), str(script), base_url, what, str(calls), str(warmup)]
    if client.call == "status":
        program = f"{client.kind}_bench"
    elif client.kind == "curl" and client.call != "upload":
        # One libcurl floor for every JSON POST: the call's env() says which.
        program = "curl_post_bench"
    else:
        program = f"{client.kind}_{client.call}_bench"
    argv = [str(build / "bin" / program), base_url, what, str(calls), str(client.threads), str(warmup)]
    return argv + [str(rss_samples)] if rss_samples else argv


def run(argv: list, env: dict, cpu) -> dict:
    """Runs one client; returns its figures (and `rss` samples, if any)."""
    done = subprocess.run(pinned(cpu, argv), env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({done.returncode}):\n{done.stderr.strip()}")
    result = {"rss": []}
    for line in done.stdout.splitlines():
        fields = dict(part.split("=", 1) for part in line.split())
        if "rss_kb" in fields:
            result["rss"].append((int(fields["after"]), int(fields["rss_kb"])))
        elif "calls" in fields:
            result.update({k: int(v) for k, v in fields.items()})
    if "calls" not in result:
        raise SystemExit(f"{argv[0]} printed no result:\n{done.stdout}{done.stderr}")
    return result
