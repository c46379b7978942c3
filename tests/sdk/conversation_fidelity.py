"""The official Python SDK (maximem-synap), unchanged, against the emulator's
conversation routes: every call must parse and carry the expected values.

    python conversation_fidelity.py BASE_URL FIXTURE_JSON

FIXTURE_JSON names the ids and texts to use (see tests/sdk_fidelity.rs); the
emulator must start empty, with ingestion jobs that finish at once and
compactions that take a few seconds. The key comes from SYNAP_API_KEY.
Prints one line per check and exits non-zero at the first failure, with its
traceback. The SDK's local response cache is off, so every call reaches the
emulator.
"""

import asyncio
from datetime import datetime, timezone
from uuid import UUID

from maximem_synap import (CompactionLevel, ConflictError, InvalidInputError, MaximemSynapSDK,
                           TranscriptConflictError, TranscriptTurn)

from fidelity_common import aware, check, emulator_sdk, run_from_command_line


def is_uuid(value) -> bool:
    try:
        UUID(str(value))
        return True
    except ValueError:
        return False


async def messages(sdk: MaximemSynapSDK, fx: dict) -> None:
    conv, user, customer = fx["conversation"], fx["user"], fx["customer"]
    rows = []
    for role, content in fx["turns"]:
        rows.append(await sdk.conversation.record_message(
            conversation_id=conv, role=role, content=content, user_id=user, customer_id=customer, model="gpt-4o"))
    check([r["conversation_message_count"] for r in rows] == [1, 2, 3], f"counts {rows}")
    check(all(is_uuid(r["message_id"]) and r["conversation_id"] == conv for r in rows), f"ids {rows}")
    check(len({r["session_id"] for r in rows}) == 1 and is_uuid(rows[0]["session_id"]), "one generated session")
    check(all(r["recorded_at"].endswith("Z") and datetime.fromisoformat(r["recorded_at"]) for r in rows), "recorded_at")
    try:
        await sdk.conversation.record_message(conversation_id=conv, role="system", content="x", user_id=user,
                                              customer_id=customer)
        check(False, "a bad role was sent")
    except InvalidInputError:
        pass
    print("ok: record_message")

    batch = await sdk.conversation.record_messages_batch([
        {"conversation_id": conv, "role": "user", "content": fx["batch"][0], "user_id": user, "customer_id": customer},
        {"conversation_id": conv, "role": "user", "content": "refused by the server", "user_id": ""},
        {"conversation_id": conv, "role": "assistant", "content": fx["batch"][1], "user_id": user,
         "customer_id": customer, "model": "gpt-4o", "scope_path": None},
    ])
    check((batch["total"], batch["succeeded"], batch["failed"]) == (3, 2, 1), f"batch {batch}")
    check([e["index"] for e in batch["errors"]] == [1] and "user_id" in batch["errors"][0]["error"], "batch errors")
    check([r["conversation_message_count"] for r in batch["results"]] == [4, 5], f"batch rows {batch['results']}")
    check(all(is_uuid(r["message_id"]) for r in batch["results"]), "batch message ids")
    print("ok: record_messages_batch")


async def transcripts(sdk: MaximemSynapSDK, fx: dict) -> None:
    user, customer = fx["user"], fx["customer"]
    utc = timezone.utc
    turns = [
        TranscriptTurn(role="user", content=fx["call_user_turn"], timestamp=datetime(2025, 1, 15, 10, 0, 4, tzinfo=utc),
                       speaker="Caller"),
        {"role": "assistant", "content": "I will process it today.", "speaker": "Agent"},
    ]
    call = dict(conversation_id=fx["call_id"], user_id=user, customer_id=customer, transcript=turns,
                conversation_type="voice", started_at=datetime(2025, 1, 15, 10, 0, tzinfo=utc),
                ended_at=datetime(2025, 1, 15, 10, 6, 41, tzinfo=utc))
    r = await sdk.conversation.ingest_transcript(**call)
    check((r.conversation_id, r.external_conversation_id) == (fx["call_uuid"], fx["call_id"]), f"ids {r}")
    check((r.status, r.turns_recorded, r.summary_status) == ("queued", 2, "in_progress"), f"ingest {r}")
    check(isinstance(r.ingestion_id, UUID) and aware(r.queued_at) and r.warnings == [], f"ingest fields {r}")
    done = await sdk.memories.wait_for_completion(r.ingestion_id, timeout_seconds=30, poll_interval_seconds=1)
    check(done.status.value == "completed" and done.memories_created == 1, f"ingestion job {done}")
    check(done.document_id == fx["call_id"], f"job document {done.document_id}")
    print("ok: ingest_transcript, its job")

    again = await sdk.conversation.ingest_transcript(**call)
    check((again.status, again.ingestion_id) == ("duplicate", r.ingestion_id), f"duplicate {again}")
    check(again.summary_status in ("in_progress", "already_compacted"), f"duplicate summary {again.summary_status}")
    try:
        await sdk.conversation.ingest_transcript(**{**call, "transcript": "User: a different call altogether."})
        check(False, "a conflicting transcript was accepted")
    except TranscriptConflictError:
        pass
    print("ok: ingest_transcript duplicate and conflict")


async def compaction(sdk: MaximemSynapSDK, fx: dict) -> str:
    conv = fx["conversation"]
    ctx = sdk.conversation.context
    check(await ctx.get_compacted(conv) is None, "compacted before any compaction")
    s = await ctx.get_compaction_status(conv)
    check((s.conversation_id, s.status, s.compaction_id) == (conv, "none", None), f"status before {s}")
    t = await ctx.compact(conv)
    check(is_uuid(t.compaction_id) and (t.conversation_id, t.status) == (conv, "in_progress"), f"trigger {t}")
    check(t.trigger_type == "manual_api" and aware(t.initiated_at) and t.estimated_completion_seconds >= 1, f"{t}")
    check(t.previous_context is None and t.previous_compaction_id is None, "no previous compaction")
    try:
        await ctx.compact(conv, strategy="balanced")
        check(False, "a second compaction started while one runs")
    except ConflictError as e:
        check(not isinstance(e, TranscriptConflictError), f"conflict type {type(e)}")
    s = await ctx.get_compaction_status(conv)
    check(s.status == "in_progress" and s.compaction_id == t.compaction_id, f"running {s}")
    check(s.estimated_completion_seconds >= 1 and s.latest_version is None, f"running fields {s}")
    check(await ctx.get_compacted(conv) is None, "compacted while running")
    print("ok: compact, 409 while running, status in_progress, get_compacted None")

    for _ in range(300):
        s = await ctx.get_compaction_status(conv)
        if s.status != "in_progress":
            break
        await asyncio.sleep(0.1)
    check(s.status == "completed" and s.compaction_id == t.compaction_id, f"finished {s}")
    check(aware(s.completed_at) and aware(s.latest_created_at) and s.latest_version == 1, f"finished fields {s}")
    check(s.compression_ratio > 1.0 and 0.0 < s.validation_score <= 1.0, f"finished scores {s}")

    c = await ctx.get_compacted(conv)
    check(c is not None and c.compaction_id == t.compaction_id, f"compacted {c}")
    check(c.compacted_context.startswith("## Conversation so far (compacted, 5 messages)\n" + fx["summary_start"]),
          f"compacted text {c.compacted_context!r}")
    check(c.level_applied == CompactionLevel.ADAPTIVE and c.strategy_used == "adaptive", "strategy")
    check(c.original_token_count > c.compacted_token_count > 0 and c.compression_ratio > 1.0, "token counts")
    check([f["content"] for f in c.facts] == fx["facts"], f"facts {c.facts}")
    check([p["content"] for p in c.preferences] == fx["preferences"], f"preferences {c.preferences}")
    check([d["content"] for d in c.decisions] == fx["decisions"], f"decisions {c.decisions}")
    check(c.current_state["messages_covered"] == 5 and c.validation_passed and c.quality_warning is False, "state")
    check(c.metadata.ttl_seconds == 300 and c.metadata.source == "cloud", f"metadata {c.metadata}")
    v1 = await ctx.get_compacted(conv, version=1, format="narrative")
    check(v1.compacted_context.startswith("So far in this conversation (5 messages): "), f"narrative {v1}")
    print("ok: get_compaction_status completed, get_compacted (latest, version, format)")
    return t.compaction_id


async def prompts(sdk: MaximemSynapSDK, fx: dict, compaction_id: str) -> None:
    conv, ctx = fx["conversation"], sdk.conversation.context
    p = await ctx.get_context_for_prompt(conversation_id=conv)
    check(p.available and not p.is_stale and p.compaction_id == compaction_id, f"prompt {p}")
    check(p.context_block.startswith("## Conversation so far (compacted, 5 messages)"), f"block {p.context_block!r}")
    check((p.recent_message_count, p.compacted_message_count, p.total_message_count) == (0, 5, 5), "counts")
    check(p.formatted_context.startswith(p.context_block) and p.recent_messages == [], "text")
    check(p.compression_ratio > 1.0 and p.compaction_age_seconds >= 0, "compaction fields")
    print("ok: get_context_for_prompt after compaction")

    # The call's turns came from an ingest, so this process never archived
    # them: once its compaction is done, the SDK backfills them from the
    # messages route in the background, then searches them.
    call = fx["call_uuid"]
    for _ in range(300):
        if (await ctx.get_compaction_status(call)).status == "completed":
            break
        await asyncio.sleep(0.1)
    p = await ctx.get_context_for_prompt(conversation_id=call)
    check(p.available and p.recent_messages == [] and p.total_message_count == 2, f"call prompt {p}")
    await asyncio.sleep(1.0)
    p = await ctx.get_context_for_prompt(conversation_id=call, query="refund for order 8812")
    check([h.text for h in p.history_excerpts][:1] == [fx["call_user_turn"]], f"excerpts {p.history_excerpts}")
    check(p.history_excerpts[0].position == 1 and p.history_block in p.formatted_context, "excerpt fields")
    print("ok: turn backfill from GET .../messages, history search over it")

    await sdk.conversation.record_message(conversation_id=conv, role="user", content=fx["later"],
                                          user_id=fx["user"], customer_id=fx["customer"])
    for style in ("structured", "narrative", "bullet_points"):
        p = await ctx.get_context_for_prompt(conversation_id=conv, style=style)
        check(p.is_stale and [m.content for m in p.recent_messages] == [fx["later"]], f"{style}: {p}")
        check((p.recent_message_count, p.compacted_message_count, p.total_message_count) == (1, 5, 6), "counts")
        m = p.recent_messages[0]
        check(aware(m.timestamp) and is_uuid(m.message_id) and m.role == "user", f"recent message {m}")
        check(fx["later"] in p.formatted_context and p.context_block in p.formatted_context, f"{style} text")
    s = await ctx.get_compaction_status(conv)
    check(s.status == "stale", f"status after a later message {s}")
    print("ok: get_context_for_prompt with a message after the cut-off, status stale")

    r = await sdk.conversation.context.fetch(conversation_id=conv)
    check(r.metadata.source == "conversation_state", f"no-query fetch {r.metadata.source}")
    cc = r.conversation_context
    check(cc.summary.startswith("## Conversation so far") and cc.compaction_id == compaction_id, f"state {cc}")
    check([t["content"] for t in cc.recent_turns] == [fx["later"]], f"recent turns {cc.recent_turns}")
    r = await sdk.conversation.context.fetch(conversation_id=conv, search_query=["refund"])
    cc = r.conversation_context
    check(cc.summary.startswith(fx["summary_start"]) and cc.compaction_id == compaction_id, f"fetch state {cc}")
    check(cc.compacted_at and cc.current_state["messages_covered"] == 5, f"fetch state fields {cc}")
    print("ok: conversation fetches after compaction")


async def main(base_url: str, fx: dict) -> None:
    async with emulator_sdk(base_url) as (sdk, _):
        await messages(sdk, fx)
        await transcripts(sdk, fx)
        compaction_id = await compaction(sdk, fx)
        await prompts(sdk, fx, compaction_id)
    print("all checks passed")


if __name__ == "__main__":
    run_from_command_line(main)
