#!/usr/bin/env bash
# Starts the local Synap emulator on a free loopback port, ingests a chat
# transcript for a user with synap-ingest (create, wait with progress, print
# the memories it produced), asks synap-context what the user drinks after
# 3pm (the decaf preference must rank first) and prints the conversation's
# prompt context, replays the chat turn by turn with synap-chat (each turn
# recorded, a compaction every two turns, the prompt context after each
# user turn), runs synap-status on the emulator's demo jobs (one that
# moves queued -> processing -> completed a few seconds after the emulator
# starts, one failed, one partial_success), then honours a privacy request
# with synap-forget: forgets one memory by description (previewed first),
# deletes all of the user's data, waits for the deletion and shows that a
# context fetch for the user no longer returns what it did.
#   demo.sh SYNAP_STATUS_BINARY SYNAP_INGEST_BINARY SYNAP_CONTEXT_BINARY SYNAP_CHAT_BINARY
#           SYNAP_FORGET_BINARY EMULATOR_BINARY
set -euo pipefail

usage="usage: demo.sh SYNAP_STATUS_BINARY SYNAP_INGEST_BINARY SYNAP_CONTEXT_BINARY SYNAP_CHAT_BINARY \
SYNAP_FORGET_BINARY EMULATOR_BINARY"
status_bin=${1:?$usage}
ingest_bin=${2:?$usage}
context_bin=${3:?$usage}
chat_bin=${4:?$usage}
forget_bin=${5:?$usage}
emulator_bin=${6:?$usage}
sample="$(dirname "$0")/sample-chat.txt"

# The transcript's user, their customer, and the conversation it is filed in.
user=demo-user
customer=demo-customer
conversation=5b0f3c2e-8d41-4a7b-9c6e-1f2a3b4c5d6e
# The conversation synap-chat records the same chat in, turn by turn.
live_conversation=7d2e4f60-1a3b-4c5d-8e9f-0a1b2c3d4e5f
question="what does the user drink after 3pm?"

# The demo jobs the emulator seeds at start, and its development key.
progressing=6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37
failed=2c5d8e1f-4a7b-4c9d-8e0f-1a2b3c4d5e6f
partial=1b4e7a90-5c3d-4f28-b6e1-7a9c0d2e4f81

tmp=$(mktemp -d)
# A created job turns processing after 100 ms and completes after 400 ms,
# a compaction after 300 ms (the emulator's defaults are 0.5 s, 2 s and
# 1.5 s), and a data deletion after 1.5 s, so the demo stays quick and still
# shows a deletion in progress.
"$emulator_bin" --port 0 --create-processing-after-ms 100 --create-done-after-ms 400 \
    --compaction-done-after-ms 300 --data-delete-done-after-ms 1500 >"$tmp/emulator.out" 2>"$tmp/emulator.err" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT

# The emulator prints its base URL as its first line once it listens.
for _ in $(seq 100); do
    [ -s "$tmp/emulator.out" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$tmp/emulator.err" >&2; exit 1; }
    sleep 0.1
done
base_url=$(head -n 1 "$tmp/emulator.out")
[ -n "$base_url" ] || { echo "demo: the emulator did not start" >&2; exit 1; }
echo "== emulator listening at $base_url"

export SYNAP_API_KEY=synap_dev_emulator
run() {
    echo "\$ synap-status $*"
    "$status_bin" --base-url "$base_url" "$@"
}

ingest_args=(--document-id demo-chat-1 --user-id "$user" --customer-id "$customer"
             --metadata "{\"conversation_id\": \"$conversation\"}")
echo "== ingest a chat transcript for $user, wait for it, print the memories it produced"
echo "\$ synap-ingest --document-id demo-chat-1 --user-id $user --customer-id $customer \\"
echo "    --metadata '{\"conversation_id\": \"$conversation\"}' $sample"
"$ingest_bin" --base-url "$base_url" --interval 0.2 "${ingest_args[@]}" "$sample"

echo "== the same document id again: the service refuses a duplicate (exit status 6, SYNAP_CONFLICT)"
set +e
"$ingest_bin" --base-url "$base_url" "${ingest_args[@]}" "$sample"
code=$?
set -e
[ "$code" -eq 6 ] || { echo "demo: expected exit status 6 (SYNAP_CONFLICT), got $code" >&2; exit 1; }

echo "== ask what Synap remembers: the memories of $user that bear on the question, best first"
echo "\$ synap-context --user $user --ranked --query \"$question\""
answer=$("$context_bin" --base-url "$base_url" --user "$user" --ranked --query "$question")
printf '%s\n' "$answer"
first=$(printf '%s\n' "$answer" | grep -m 1 '^ *1\. ' || true)
case $first in
    *"I switched to decaf after 3pm."*) ;;
    *) echo "demo: expected the decaf preference ranked first, got: ${first:-nothing}" >&2; exit 1 ;;
esac

echo "== the conversation's prompt context: what to put before the next model call"
echo "\$ synap-context --prompt $conversation"
prompt=$("$context_bin" --base-url "$base_url" --prompt "$conversation")
printf '%s\n' "$prompt"
case $prompt in
    *"user: I switched to decaf after 3pm."*) ;;
    *) echo "demo: the prompt context lacks the user's message" >&2; exit 1 ;;
esac

echo "== the same chat live: record each turn, compact every 2 turns, print the prompt context after each user turn"
echo "\$ synap-chat --conversation $live_conversation --user $user --customer $customer --compact-every 2 < $sample"
chat=$("$chat_bin" --base-url "$base_url" --conversation "$live_conversation" --user "$user" \
    --customer "$customer" --compact-every 2 <"$sample")
printf '%s\n' "$chat"
case $chat in
    *"## Conversation so far (compacted, 2 messages)"*"user: Also, my sister Dana"*) ;;
    *) echo "demo: the last prompt context lacks the compacted summary or the turns after it" >&2; exit 1 ;;
esac

echo "== synap-status on the emulator's three demo jobs"
run "$progressing" "$failed" "$partial"

echo "== wait for the first one to finish, a line per change of state"
run --wait --timeout 30 --interval 0.5 "$progressing"

echo "== all three again, one JSON object per line"
run --json "$progressing" "$failed" "$partial"

echo "== an unknown job and a malformed id: errors on stderr, exit status = first error code"
set +e
run 00000000-0000-4000-8000-000000000000 ../../x
code=$?
set -e
echo "exit status $code"
[ "$code" -eq 3 ] || { echo "demo: expected exit status 3 (SYNAP_NOT_FOUND)" >&2; exit 1; }

forget() {
    "$forget_bin" --base-url "$base_url" --user "$user" --customer "$customer" "$@"
}
# The visit is in the transcript and in the chat synap-chat recorded.
visit="sister Dana visiting"
echo "== forget by description: first a preview, which deletes nothing"
echo "\$ synap-forget --user $user --customer $customer --describe \"$visit\""
out=$(forget --describe "$visit")
printf '%s\n' "$out"
case $out in
    "preview: "*"filed as request"*"Also, my sister Dana is visiting on Friday"*) ;;
    *) echo "demo: expected a preview of the visit" >&2; exit 1 ;;
esac

echo "== then directly: the memories are deleted and no longer found"
echo "\$ synap-forget --user $user --customer $customer --describe \"$visit\" --direct"
out=$(forget --describe "$visit" --direct)
printf '%s\n' "$out"
case $out in
    "deleted: "*"Also, my sister Dana is visiting on Friday"*) ;;
    *) echo "demo: expected the visit deleted" >&2; exit 1 ;;
esac
echo "\$ synap-context --user $user --query \"$visit\""
out=$("$context_bin" --base-url "$base_url" --user "$user" --query "$visit")
printf '%s\n' "$out"
[ "$out" = "no memories found" ] || { echo "demo: the forgotten memory still comes back" >&2; exit 1; }

echo "== delete everything stored about $user: a dry run counts what would go"
echo "\$ synap-forget --user $user --customer $customer --wait --dry-run"
forget --wait --dry-run

echo "== the deletion itself, confirmed with the user's id; then the question from before finds nothing"
echo "\$ synap-forget --user $user --customer $customer --wait --query \"$question\""
out=$(forget --wait --interval 0.2 --query "$question")
printf '%s\n' "$out"
case $out in
    "complete: "*"nothing comes back") ;;
    *) echo "demo: expected a complete deletion and nothing coming back" >&2; exit 1 ;;
esac
echo "\$ synap-context --user $user --ranked --query \"$question\""
out=$("$context_bin" --base-url "$base_url" --user "$user" --ranked --query "$question")
printf '%s\n' "$out"
[ "$out" = "no memories found" ] || { echo "demo: the deleted user's memories still come back" >&2; exit 1; }
echo "== demo done"
