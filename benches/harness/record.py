"""The message every record-message client records, and the answer it gets.

The request is one user message recorded alone (`POST
/v1/conversations/messages`); the answer is the server's fixed body,
benches/server/record.json, the shape of the service's answer. The clients
are told both through the variables of `env()`: BENCH_RECORD_* for
libsynap's and the Python SDK's, BENCH_POST_* for the libcurl floor.
"""

import json
from pathlib import Path

ANSWER = Path(__file__).resolve().parent.parent / "server" / "record.json"

PATH = "/v1/conversations/messages"
CONVERSATION_ID = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"
ROLE = "user"
CONTENT = "Any update on my refund? I was charged twice for the March invoice."
USER_ID = "user-789"


def request_body() -> str:
    """The JSON body libsynap sends for this message, byte for byte: its
    keys in sorted order, with no spaces, `customer_id` null and `metadata`
    empty (no agent model is set). The Python SDK sends the same keys and
    values in another order, so a body as long."""
    return json.dumps({
        "content": CONTENT,
        "conversation_id": CONVERSATION_ID,
        "customer_id": None,
        "metadata": {},
        "role": ROLE,
        "user_id": USER_ID,
    }, sort_keys=True, separators=(",", ":"))


def answer_text() -> str:
    """The body nginx sends, as one line."""
    return ANSWER.read_text().strip()


def answer() -> dict:
    """What every answer must hold: the size of the body, the message id and
    the conversation's message count."""
    text = answer_text()
    body = json.loads(text)
    return {"bytes": len(text.encode()), "message_id": body["message_id"],
            "count": body["conversation_message_count"]}


def env() -> dict:
    """The variables the record clients read: BENCH_RECORD_* for
    synap_record_bench and record_loop.py, BENCH_POST_* for curl_post_bench
    (its body names CONVERSATION_ID, the id it is given)."""
    expect = answer()
    return {
        "BENCH_RECORD_ROLE": ROLE,
        "BENCH_RECORD_CONTENT": CONTENT,
        "BENCH_RECORD_USER_ID": USER_ID,
        "BENCH_RECORD_MESSAGE_ID": expect["message_id"],
        "BENCH_RECORD_COUNT": str(expect["count"]),
        "BENCH_POST_PATH": PATH,
        "BENCH_POST_ID_FIELD": "conversation_id",
        "BENCH_POST_BODY": request_body(),
        "BENCH_POST_BYTES": str(expect["bytes"]),
    }
