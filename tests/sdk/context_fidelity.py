"""The official Python SDK (maximem-synap), unchanged, against the emulator's
context read routes: every answer must parse and carry the expected values.

    python context_fidelity.py BASE_URL FIXTURE_JSON

FIXTURE_JSON names the ids and texts of the documents the caller ingested
(see tests/sdk_fidelity.rs). The key comes from SYNAP_API_KEY. Prints one
line per check and exits non-zero at the first failure, with its traceback.
The SDK's local caches are off, so every call reaches the emulator.
"""

import json
import urllib.request

from maximem_synap import ContextNotFoundError, InvalidInputError, MaximemSynapSDK

from fidelity_common import aware, check, emulator_sdk, run_from_command_line


def control(base_url: str, name: str, body: dict) -> None:
    request = urllib.request.Request(
        f"{base_url}/_emulator/{name}", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        check(response.status == 200, f"control {name}: {response.status}")


async def user_fetches(sdk: MaximemSynapSDK, fx: dict) -> None:
    user, customer, query = fx["user"], fx["customer"], fx["query"]
    r = await sdk.user.context.fetch(user_id=user, customer_id=customer, search_query=[query])
    check(r.metadata.source == "cloud" and r.metadata.ttl_seconds == 300, f"metadata {r.metadata}")
    check([p.content for p in r.preferences] == [fx["decaf"]], f"preferences {r.preferences}")
    check([f.content for f in r.facts] == [fx["tea"]], f"facts {r.facts}")
    decaf, tea = r.preferences[0], r.facts[0]
    check(decaf.matched_queries == [query], f"matched_queries {decaf.matched_queries}")
    check(0.0 < decaf.strength <= 1.0 and decaf.category == "preferences", f"preference {decaf}")
    check(decaf.metadata["rank_score"] > tea.metadata["rank_score"] > 0.0, "rank scores")
    check(aware(decaf.extracted_at) and aware(decaf.said_at), "preference times")
    check(decaf.temporal_category == "perpetual" and 0.0 < decaf.temporal_confidence <= 1.0, "temporal fields")
    check(tea.source == "conversation" and aware(tea.extracted_at), f"fact {tea}")
    check(r.retrieval is None and r.conversation_context is None, "healthy, no conversation")
    print("ok: user fetch, by type")

    r = await sdk.user.context.fetch(user_id=user, search_query=[query], response_shape="ranked")
    check([i.content for i in r.items] == [fx["decaf"], fx["tea"]], f"items {r.items}")
    first, second = r.items
    check((first.rank, first.category, second.rank, second.category) == (1, "preferences", 2, "facts"), "ranks")
    check(first.rank_score > second.rank_score > 0.0, "ranked scores")
    check([p.content for p in r.preferences] == [fx["decaf"]] and r.excerpts == [], "typed views")
    print("ok: user fetch, ranked")

    r = await sdk.user.context.fetch(user_id=user, search_query=[query], types=["facts"])
    check(r.preferences == [] and [f.content for f in r.facts] == [fx["tea"]], "types filter")
    r = await sdk.user.context.fetch(user_id=user, search_query=[query], max_results=1)
    check(len(r.facts) + len(r.preferences) == 1 and r.preferences[0].content == fx["decaf"], "max_results")
    r = await sdk.user.context.fetch(user_id=user, search_query=["decaf", "green tea", "dark roast"],
                                     max_results_per_query=1, max_results=2)
    check(len(r.facts) + len(r.preferences) == 2, "max_results_per_query")
    r = await sdk.user.context.fetch(user_id=user, search_query=["drinks"], mode="accurate")
    check([f.content for f in r.facts] == [fx["tea"]], "accurate mode")
    print("ok: types, max_results, max_results_per_query, mode")

    try:
        await sdk.user.context.fetch(user_id=user, search_query=[query], max_results=0)
        check(False, "max_results=0 accepted")
    except InvalidInputError:
        pass
    print("ok: 422 raised as InvalidInputError")


async def other_scopes(sdk: MaximemSynapSDK, fx: dict) -> None:
    r = await sdk.customer.context.fetch(customer_id=fx["customer"], search_query=["window seats", "account renews"])
    check([p.content for p in r.preferences] == [fx["window"]], f"customer preferences {r.preferences}")
    check([t.content for t in r.temporal_events] == [fx["renewal"]], f"customer events {r.temporal_events}")
    event = r.temporal_events[0]
    check(event.temporal_category == "temporal_fact" and 0.0 < event.confidence <= 1.0, f"event {event}")
    check(event.matched_queries == ["account renews"], "event matched_queries")
    print("ok: customer fetch")

    r = await sdk.client.context.fetch(search_query=["support hours weekdays"])
    check([f.content for f in r.facts] == [fx["hours"]], f"client facts {r.facts}")
    check(r.metadata.ttl_seconds == 1800, "client ttl")
    print("ok: client fetch")

    r = await sdk.conversation.context.fetch(conversation_id=fx["conversation"], search_query=[fx["query"]],
                                             user_id=fx["user"], customer_id=fx["customer"])
    check([p.content for p in r.preferences] == [fx["decaf"]] and r.facts == [], f"conversation items {r}")
    ctx = r.conversation_context
    check(ctx is not None and ctx.conversation_id == fx["conversation"], "conversation context")
    check([t["role"] for t in ctx.recent_turns] == ["user", "assistant"], f"recent turns {ctx.recent_turns}")
    check(ctx.summary is None and ctx.compaction_id is None, "no compaction yet")
    print("ok: conversation fetch")


async def compositions(sdk: MaximemSynapSDK, fx: dict) -> None:
    r = await sdk.user.context.fetch(user_id=fx["user"], customer_id=fx["customer"])
    check(r.metadata.source == "profile", f"no-query user fetch answered by {r.metadata.source}")
    check(r.profile is not None and "decaf_after_3pm" in r.profile.attributes, f"profile {r.profile}")
    check(r.facts == [] and r.preferences == [], "profile answer has no items")
    print("ok: user fetch without a query (profile)")

    r = await sdk.conversation.context.fetch(conversation_id=fx["conversation"])
    check(r.metadata.source == "conversation_state", f"no-query conversation fetch: {r.metadata.source}")
    ctx = r.conversation_context
    check(ctx.formatted_context and fx["decaf"] in ctx.formatted_context, f"formatted {ctx.formatted_context!r}")
    check([t["content"] for t in ctx.recent_turns] == fx["conversation_messages"], f"turns {ctx.recent_turns}")
    print("ok: conversation fetch without a query (context-for-prompt)")

    texts = set()
    for style in ("structured", "narrative", "bullet_points"):
        p = await sdk.conversation.context.get_context_for_prompt(conversation_id=fx["conversation"], style=style)
        check(not p.available and p.context_block is None and p.compaction_id is None, f"{style}: {p}")
        check([m.content for m in p.recent_messages] == fx["conversation_messages"], f"{style} messages")
        check(all(aware(m.timestamp) and m.message_id for m in p.recent_messages), f"{style} message fields")
        check((p.recent_message_count, p.compacted_message_count, p.total_message_count) == (2, 0, 2), "counts")
        check(p.formatted_context and fx["decaf"] in p.formatted_context, f"{style} text")
        texts.add(p.formatted_context)
    check(len(texts) == 3, "each style renders differently")
    empty = await sdk.conversation.context.get_context_for_prompt(conversation_id=fx["empty_conversation"])
    check(empty.recent_messages == [] and empty.formatted_context is None, f"empty conversation {empty}")
    print("ok: get_context_for_prompt, every style")

    u = await sdk.fetch(conversation_id=fx["conversation"], user_id=fx["user"], customer_id=fx["customer"],
                        search_query=[fx["query"]])
    check(u.scopes_queried == ["conversation", "user", "customer"], f"scopes {u.scopes_queried}")
    check(u.preferences[0].content == fx["decaf"] and u.conversation_context is not None, "unified answer")
    check(fx["decaf"] in u.formatted_context, "unified prompt text")
    print("ok: sdk.fetch")


async def profiles_and_summaries(sdk: MaximemSynapSDK, fx: dict) -> None:
    p = await sdk.user.get_profile(fx["user"], customer_id=fx["customer"])
    decaf = p.attributes["decaf_after_3pm"]
    check(decaf.value == fx["decaf"] and 0.0 < decaf.confidence <= 1.0, f"attribute {decaf}")
    check(decaf.source_conversation_id == fx["conversation"] and decaf.updated_at.endswith("Z"), "attribute fields")
    check(p.overview and p.meta.get("version") == len(p.attributes) and p.extras == {}, f"profile {p.raw}")
    try:
        await sdk.user.get_profile("nobody")
        check(False, "a user without a profile got one")
    except ContextNotFoundError:
        pass
    accented = await sdk.user.get_profile(fx["accented_user"])
    check([a.value for a in accented.attributes.values()] == [fx["jazz"]], f"accented {accented.raw}")
    print("ok: get_profile, 404, escaped id")

    r = await sdk.user.context.fetch(user_id=fx["user"], customer_id=fx["customer"],
                                     context_mode="conversation-summary", include_profile=True,
                                     last_n_conversations=5)
    check(r.profile is not None and "dark_roast_morning" in r.profile.attributes, "summary profile")
    ids = [c.conversation_id for c in r.conversations]
    check(ids == [fx["conversation2"], fx["conversation"]], f"summary conversations {ids}")
    first = r.conversations[0]
    check(first.summary_status == "pending" and first.message_count == 2 and aware(first.started_at), f"{first}")
    r = await sdk.user.context.fetch(user_id=fx["user"], context_mode="conversation-summary",
                                     include_profile=False, last_n_conversations=0)
    check(r.profile is None and r.conversations == [], "summary without profile or conversations")
    print("ok: summary mode")


async def degraded(sdk: MaximemSynapSDK, base_url: str, fx: dict) -> None:
    block = {"degraded": True, "level": "partial", "code": "timeout", "warnings": ["vector search timed out"]}
    control(base_url, "context", {"route": "user", "retrieval": block})
    r = await sdk.user.context.fetch(user_id=fx["user"], search_query=[fx["query"]])
    ret = r.retrieval
    check(ret is not None and ret.degraded and (ret.level, ret.code) == ("partial", "timeout"), f"{ret}")
    check(ret.warnings == block["warnings"] and r.preferences[0].content == fx["decaf"], "degraded, items kept")
    r = await sdk.user.context.fetch(user_id=fx["user"], search_query=[fx["query"]])
    check(r.retrieval is None, "one fetch only")
    print("ok: degraded retrieval")


async def main(base_url: str, fx: dict) -> None:
    async with emulator_sdk(base_url) as (sdk, _):
        await user_fetches(sdk, fx)
        await other_scopes(sdk, fx)
        await compositions(sdk, fx)
        await profiles_and_summaries(sdk, fx)
        await degraded(sdk, base_url, fx)
    print("all checks passed")


if __name__ == "__main__":
    run_from_command_line(main)
