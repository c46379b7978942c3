"""Writes the benchmark server's context fetch answer, context.json: a user
fetch answered by type with 50 items (14 facts, 12 preferences, 10
episodes, 6 emotions, 8 temporal events), each in the generic item shape
the service sends in every typed list: id, content, confidence, source,
extracted_at, metadata (memory_type, source_document_id, rank_score), the
type's label fields, the temporal fields, source_evidence and
matched_queries. Items are best first within each list.

    python3 benches/server/context_body.py > benches/server/context.json

The same output on every run: ids and times come from a fixed seed.
"""

import json
import random
import sys
import uuid

# The query the benchmark clients send (benches/harness/context.py).
QUERY = "what does the user drink after 3pm?"

FACTS = [
    "Works as a backend engineer at a logistics company in Rotterdam",
    "Has a golden retriever named Biscuit who is nine years old",
    "Switched to decaf coffee after 3pm on the advice of a sleep clinic",
    "Lives in a third-floor apartment without a lift",
    "Is allergic to tree nuts, including almond milk",
    "Runs the weekly on-call rotation for the payments team",
    "Speaks Dutch, English and some conversational Portuguese",
    "Owns a Breville espresso machine bought in 2023",
    "Plays five-a-side football on Thursday evenings",
    "Has two children, aged 6 and 9",
    "Account is on the Pro plan, billed annually in March",
    "Commutes by bike, about 25 minutes each way",
    "Keeps a standing order for oat milk delivered every Monday",
    "Completed a half marathon in October 2024 in 1:52",
]
PREFERENCES = [
    ("food_drink", "Prefers dark roast in the morning and decaf after 3pm"),
    ("communication", "Prefers email over phone for anything billing related"),
    ("food_drink", "Likes oat milk in coffee, never almond milk"),
    ("scheduling", "Prefers meetings before noon; keeps Friday afternoons free"),
    ("communication", "Wants short answers with the key number first"),
    ("travel", "Prefers aisle seats and trains over short flights"),
    ("food_drink", "Drinks green tea in the late afternoon when not having decaf"),
    ("shopping", "Buys beans from a local roaster instead of supermarket brands"),
    ("communication", "Dislikes being called by a first-name nickname"),
    ("scheduling", "Blocks 7-8am for running on weekdays"),
    ("food_drink", "Avoids energy drinks entirely"),
    ("support", "Prefers a ticket reference in every support reply"),
]
EPISODES = [
    "Asked support to move the annual renewal date from March to April",
    "Described a week of poor sleep after late espresso during a product launch",
    "Planned a family trip to Lisbon for the May school holidays",
    "Reported that the mobile app logged them out after every update",
    "Talked through switching the team's on-call tool to a new vendor",
    "Mentioned a visit to a coffee farm in Colombia in 2019",
    "Requested a refund for a duplicate invoice in January",
    "Shared that Biscuit had knee surgery and needs short walks for a month",
    "Discussed cutting caffeine after a doctor's appointment about headaches",
    "Set up a shared calendar with their partner for school pick-ups",
]
EMOTIONS = [
    ("frustration", "Frustrated that the duplicate invoice took three replies to resolve"),
    ("relief", "Relieved once the decaf switch improved their sleep"),
    ("anxiety", "Anxious about the renewal price going up in March"),
    ("joy", "Excited about the Lisbon trip with the kids"),
    ("frustration", "Annoyed by repeated logouts in the mobile app"),
    ("gratitude", "Thankful the support agent explained the plan change clearly"),
]
TEMPORAL = [
    ("Annual plan renews on 2025-03-14", "2025-03-14", None, "day"),
    ("Family trip to Lisbon from 2025-05-03 to 2025-05-10", "2025-05-03", "2025-05-10", "day"),
    ("Cutting caffeine to one cup a day during February", "2025-02-01", "2025-02-28", "month"),
    ("On call for the payments team the week of 2025-01-20", "2025-01-20", "2025-01-26", "week"),
    ("Biscuit's follow-up vet appointment in early February", "2025-02-03", None, "approximate"),
    ("Half marathon training block starts in spring", "2025-03-01", "2025-05-31", "season"),
    ("Office closed for a move during the last week of January", "2025-01-27", "2025-01-31", "day"),
    ("Sleep clinic review scheduled for April", "2025-04-01", "2025-04-30", "month"),
]


def main() -> None:
    rng = random.Random(0x5E1EC7)
    lists = {name: [] for name in ("facts", "preferences", "episodes", "emotions", "temporal_events")}

    def item(list_name: str, memory_type: str, content: str, rank: int, count: int) -> dict:
        # Said during a January conversation, extracted an hour later.
        day, hour, rest = rng.randrange(2, 28), rng.randrange(8, 20), rng.randrange(3_600_000)
        at = f"{rest // 60_000:02d}:{rest // 1000 % 60:02d}.{rest % 1000:03d}Z"
        # Best first: the rank score falls along the list.
        rank_score = round(0.92 - 0.6 * rank / count - rng.random() * 0.02, 4)
        confidence = round(0.55 + rng.random() * 0.45, 2)
        matched = [QUERY] if rank < count // 2 or rng.random() < 0.3 else []
        return {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "content": content,
            "confidence": confidence,
            "source": "conversation" if rng.random() < 0.8 else "document",
            "extracted_at": f"2025-01-{day:02d}T{hour + 1:02d}:{at}",
            "metadata": {
                "memory_type": memory_type,
                "source_document_id": f"chat-2025-01-{day:02d}-user-789",
                "rank_score": rank_score,
            },
        } | extra_fields(list_name, rank) | {
            "event_date": None,
            "event_end": None,
            "event_precision": None,
            "valid_until": None,
            "said_at": f"2025-01-{day:02d}T{hour:02d}:{at}",
            "temporal_category": {"temporal_events": "temporal_fact", "episodes": "episode",
                                  "emotions": "episode"}.get(list_name, "perpetual"),
            "temporal_confidence": round(0.6 + rng.random() * 0.4, 2),
            "source_evidence": [f"User: {content}."],
            "matched_queries": matched,
        }

    def extra_fields(list_name: str, rank: int) -> dict:
        if list_name == "preferences":
            return {"category": PREFERENCES[rank][0], "subcategory": "general"}
        if list_name == "episodes":
            return {"participants": ["user", "agent"]}
        if list_name == "emotions":
            return {"emotion_type": EMOTIONS[rank][0]}
        return {}

    for i, text in enumerate(FACTS):
        lists["facts"].append(item("facts", "fact", text, i, len(FACTS)))
    for i, (_, text) in enumerate(PREFERENCES):
        lists["preferences"].append(item("preferences", "preference", text, i, len(PREFERENCES)))
    for i, text in enumerate(EPISODES):
        lists["episodes"].append(item("episodes", "episode", text, i, len(EPISODES)))
    for i, (_, text) in enumerate(EMOTIONS):
        lists["emotions"].append(item("emotions", "emotion", text, i, len(EMOTIONS)))
    for i, (text, start, end, precision) in enumerate(TEMPORAL):
        event = item("temporal_events", "temporal_event", text, i, len(TEMPORAL))
        event.update(event_date=f"{start}T00:00:00Z", event_end=f"{end}T23:59:59Z" if end else None,
                     event_precision=precision, valid_until=f"{end or start}T23:59:59Z")
        lists["temporal_events"].append(event)

    body = {"context": lists, "conversation_context": None, "retrieval": None, "ttl_seconds": 300}
    sys.stdout.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
