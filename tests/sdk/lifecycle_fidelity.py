"""The official Python SDK (maximem-synap), unchanged, against the emulator's
memory lifecycle and data deletion routes: every call must parse and carry
the expected values.

    python lifecycle_fidelity.py BASE_URL FIXTURE_JSON

FIXTURE_JSON names the ids and texts to use (see tests/sdk_fidelity.rs); the
emulator must start empty, with ingestion jobs that finish at once and data
deletions that ask to be called once more. The key comes from SYNAP_API_KEY.
Prints one line per check and exits non-zero at the first failure, with its
traceback. The SDK's local response cache is off, so every call reaches the
emulator.
"""

import io
import os
from uuid import UUID

from maximem_synap import (ContextNotFoundError, CreateMemoryResponse, DeleteDataResult, ForgetResponse,
                           InvalidInputError, MaximemSynapSDK, Memory)

from fidelity_common import aware, check, emulator_sdk, run_from_command_line


async def not_found(call) -> bool:
    try:
        await call
    except ContextNotFoundError:
        return True
    return False


async def ingest(sdk: MaximemSynapSDK, text: str, user: str, customer: str) -> list:
    """Creates a document and waits for its job; returns its memory ids."""
    ack = await sdk.memories.create(document=text, user_id=user, customer_id=customer)
    done = await sdk.memories.wait_for_completion(ack.ingestion_id, timeout_seconds=30, poll_interval_seconds=1)
    check(done.status.value == "completed", f"job {done}")
    return done.memory_ids


async def update_and_delete(sdk: MaximemSynapSDK, fx: dict) -> None:
    user, customer = fx["user"], fx["customer"]
    memory_id = (await ingest(sdk, fx["tea"], user, customer))[0]
    before = await sdk.memories.get(UUID(memory_id))
    m = await sdk.memories.update(UUID(memory_id), fx["sms"], merge_strategy="replace")
    check(isinstance(m, Memory) and m.memory_id == UUID(memory_id), f"update {m}")
    check(m.content == fx["sms"] and aware(m.updated_at) and m.created_at == before.created_at, f"updated {m}")
    check(m.source_document_id == before.source_document_id and 0.0 <= m.confidence <= 1.0, f"fields {m}")
    got = await sdk.memories.get(UUID(memory_id))
    check(got.content == fx["sms"] and got.updated_at == m.updated_at, f"read back {got}")
    m = await sdk.memories.update(memory_id, fx["oslo"], merge_strategy="append", document_type="document",
                                  metadata={})
    check(m.content == fx["sms"] + "\n" + fx["oslo"], f"append {m.content!r}")
    m = await sdk.memories.update(memory_id, fx["oslo"].lower())
    check(m.content == fx["sms"] + "\n" + fx["oslo"], f"smart-merge kept it {m.content!r}")
    print("ok: memories.update (replace, append, smart-merge), memories.get reads it back")

    r = await sdk.memories.delete(UUID(memory_id))
    check(r["memory_id"] == UUID(memory_id) and aware(r["deleted_at"]), f"delete {r}")
    check(await not_found(sdk.memories.get(UUID(memory_id))), "a deleted memory is still readable")
    check(await not_found(sdk.memories.delete(UUID(memory_id))), "a deleted memory deleted again")
    check(await not_found(sdk.memories.update(UUID(memory_id), "x", merge_strategy="replace")), "updated after delete")
    print("ok: memories.delete, then 404 for get, delete and update")


async def forget(sdk: MaximemSynapSDK, fx: dict) -> None:
    user, customer = fx["user"], fx["customer"]
    ids = await ingest(sdk, fx["coffee_doc"], user, customer)
    r = await sdk.memories.forget(fx["coffee_description"], user_id=user, customer_id=customer)
    check(isinstance(r, ForgetResponse) and r.status == "preview", f"preview {r}")
    check(r.request_id.startswith("fr_") and r.deleted_ids == [] and not r.may_be_incomplete, f"preview fields {r}")
    check([(c.memory_id, c.content, c.store) for c in r.candidates] == [(ids[0], fx["coffee"], "memory")],
          f"candidates {r.candidates}")
    check((await sdk.memories.get(UUID(ids[0]))).content == fx["coffee"], "a preview deleted")
    r = await sdk.memories.forget("tea with honey", user_id=user, customer_id=customer, mode="direct")
    check(r.status == "nothing_matches" and r.candidates == [] and r.request_id is None, f"nothing {r}")
    r = await sdk.memories.forget(fx["coffee_description"], user_id=user, customer_id=customer, mode="direct")
    check(r.status == "deleted" and r.deleted_ids == [ids[0]] and r.still_present_in == [], f"direct {r}")
    check(await not_found(sdk.memories.get(UUID(ids[0]))), "forgotten memory still readable")
    check((await sdk.memories.get(UUID(ids[1]))).content == fx["jazz"], "the other memory went too")
    try:
        await sdk.memories.forget(fx["coffee_description"], user_id=user)
        check(False, "a forget without the customer on a B2B instance")
    except InvalidInputError:
        pass
    print("ok: memories.forget preview, nothing_matches, direct; 400 unscoped")


async def uploads(sdk: MaximemSynapSDK, fx: dict, workdir: str) -> None:
    user, customer = fx["user"], fx["customer"]
    path = os.path.join(workdir, fx["file_name"])
    with open(path, "w", encoding="utf-8") as f:
        f.write(fx["file_text"])
    sources = [
        dict(file_path=path),
        dict(file=io.BytesIO(fx["stream_text"].encode()), filename=fx["stream_name"]),
        dict(text=fx["form_text"]),
    ]
    for source, text in zip(sources, (fx["file_text"], fx["stream_text"], fx["form_text"])):
        ack = await sdk.memories.create_from_file(user_id=user, customer_id=customer, **source)
        check(isinstance(ack, CreateMemoryResponse) and ack.status.value == "queued", f"upload {ack}")
        check(aware(ack.queued_at) and ack.document_id, f"upload fields {ack}")
        done = await sdk.memories.wait_for_completion(ack.ingestion_id, timeout_seconds=30, poll_interval_seconds=1)
        check(done.status.value == "completed" and done.memories_created == 1, f"upload job {done}")
        m = await sdk.memories.get(UUID(done.memory_ids[0]))
        check(m.content == text, f"uploaded memory {m.content!r}")
    print("ok: memories.create_from_file with file_path, file + filename and text, then wait_for_completion")


async def deletion(sdk: MaximemSynapSDK, fx: dict) -> None:
    user, customer = fx["doomed_user"], fx["customer"]
    ids = await ingest(sdk, fx["tea"], user, customer)
    dry = await sdk.data.delete(scope="user", user_id=user, customer_id=customer, dry_run=True)
    check(isinstance(dry, DeleteDataResult) and dry.status == "dry_run" and dry.dry_run, f"dry run {dry}")
    check(dry.deletion_id is None and dry.found and dry.counts["memories"] == 1, f"dry run fields {dry}")
    check(not dry.continue_ and not dry.fully_removed, f"dry run flags {dry}")
    check((await sdk.memories.get(UUID(ids[0]))).content == fx["tea"], "a dry run deleted")

    r = await sdk.data.delete(scope="user", user_id=user, customer_id=customer, confirm=user)
    check(r.status == "complete" and r.fully_removed and not r.continue_, f"delete {r}")
    check(r.deletion_id.startswith("del_") and r.counts["memories"] == 1 and r.still_present_in == [], f"fields {r}")
    check(r.scope == "user" and r.found and not r.memories_kept, f"scope fields {r}")
    check(await not_found(sdk.memories.get(UUID(ids[0]))), "a deleted user's memory is still readable")
    s = await sdk.data.status(r.deletion_id)
    check(s.deletion_id == r.deletion_id and s.status == "complete" and s.counts == r.counts, f"status {s}")
    check(await not_found(sdk.data.status("del_0000000000000000")), "an unknown deletion was found")
    print("ok: data.delete dry_run, data.delete over the continue loop, data.status")

    conv = fx["conversation"]
    await sdk.conversation.record_message(conversation_id=conv, role="user", content=fx["coffee"], user_id=fx["user"],
                                          customer_id=customer)
    r = await sdk.data.delete(scope="conversation", conversation_id=conv, confirm=conv)
    check(r.status == "complete" and r.memories_kept and r.kept == ["memories"], f"conversation delete {r}")
    check(r.counts["messages"] == 1 and r.counts["memories"] == 0, f"conversation counts {r.counts}")
    print("ok: data.delete of a conversation keeps its memories")


async def main(base_url: str, fx: dict) -> None:
    async with emulator_sdk(base_url) as (sdk, storage):
        await update_and_delete(sdk, fx)
        await forget(sdk, fx)
        await uploads(sdk, fx, storage)
        await deletion(sdk, fx)
    print("all checks passed")


if __name__ == "__main__":
    run_from_command_line(main)
