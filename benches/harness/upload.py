"""The file every upload client sends, and the answer it gets.

The request is one file uploaded as a document (`POST
/api/v1/memories/upload`, multipart/form-data: the user, the relationship
type and mode at their defaults, and the file part); the answer is the
server's fixed create answer, benches/server/upload.json. The file is made
once in the build directory and read from the page cache by every client.
The clients are told the user and the answer through `env()`, and given the
file's path as their ID argument.
"""

import json
import os
from pathlib import Path

ANSWER = Path(__file__).resolve().parent.parent / "server" / "upload.json"

PATH = "/api/v1/memories/upload"
USER_ID = "user-789"
# `.bin`: libsynap, curl (told so) and the Python SDK (httpx, guessing from
# the name) all send the file part as application/octet-stream.
FILE_NAME = "document.bin"
CONTENT_TYPE = "application/octet-stream"
MIB = 1 << 20


def make_file(build: Path, mib: int) -> Path:
    """The file to upload, `mib` MiB of random bytes (nothing along the way
    compresses them), made again only when its size changes."""
    path = build / "upload" / FILE_NAME
    size = mib * MIB
    if not path.exists() or path.stat().st_size != size:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        with open(part, "wb") as out:
            for _ in range(mib):
                out.write(os.urandom(MIB))
        part.replace(path)
    return path


def answer() -> dict:
    """What every answer must hold: the size of the body (nginx sends the
    file as it is), the ingestion id, the document id and the state."""
    raw = ANSWER.read_bytes()
    body = json.loads(raw)
    return {"bytes": len(raw), "ingestion_id": body["ingestion_id"], "document_id": body["document_id"],
            "status": body["status"]}


def env() -> dict:
    """The variables the upload clients read (BENCH_UPLOAD_*)."""
    expect = answer()
    return {
        "BENCH_UPLOAD_USER_ID": USER_ID,
        "BENCH_UPLOAD_CONTENT_TYPE": CONTENT_TYPE,
        "BENCH_UPLOAD_INGESTION_ID": expect["ingestion_id"],
        "BENCH_UPLOAD_DOCUMENT_ID": expect["document_id"],
        "BENCH_UPLOAD_STATUS": expect["status"],
        "BENCH_UPLOAD_ANSWER_BYTES": str(expect["bytes"]),
    }


def check_log(lines: list, made: int, file_bytes: int, who: str) -> None:
    """Fails the run unless nginx logged `made` uploads answered with 200,
    each with its whole body read before the answer: a line is `status
    request_length content_length`, and a body nginx drops unread (as a
    plain `return` does, answering at once) adds nothing to the request's
    length."""
    if len(lines) < made:
        raise SystemExit(f"{who} made {made} uploads, but nginx logged only {len(lines)}")
    for line in lines:
        status, read, announced = (int(v) if v.isdigit() else -1 for v in line.split())
        if status != 200 or announced < file_bytes or read < announced:
            raise SystemExit(f"{who}: nginx logged `{line}` (status, bytes read, Content-Length) for a "
                             f"{file_bytes}-byte file; expected 200 and the whole body read")
