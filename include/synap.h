/*
 * synap.h: the C API of libsynap, a client for the Synap memory service.
 *
 * Conventions (see README.md, "API conventions"):
 *  - Fallible calls return a SynapCode; SYNAP_OK is 0. Details of a failure
 *    are read with the synap_last_error_* functions on the same thread.
 *  - Handles are opaque: make them with synap_*_new or a call, free each
 *    exactly once with its synap_*_free (every _free accepts NULL).
 *  - Out-parameters are set to NULL on entry and filled only on SYNAP_OK.
 *  - Strings passed in are NUL-terminated UTF-8 and are copied; strings
 *    returned are owned by the handle (or by libsynap) and never freed by
 *    the caller. Absent values are NULL, never "".
 *  - No call aborts or unwinds into the caller, whatever it is passed.
 */

#ifndef SYNAP_H
#define SYNAP_H

/* Generated from src/ffi by cbindgen. Edit the Rust doc comments, not this file. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Version of this header: major, minor, patch, and as a string. Compare
 *  SYNAP_VERSION with synap_version() to check the linked library. */
#define SYNAP_VERSION_MAJOR 0
#define SYNAP_VERSION_MINOR 2
#define SYNAP_VERSION_PATCH 0
#define SYNAP_VERSION "0.2.0"

/**
 * The result of every fallible libsynap call. `SYNAP_OK` is 0; any other
 * value is a failure whose details `synap_last_error_message()` and the
 * other `synap_last_error_*` functions give.
 *
 * Codes are stable: new ones are only added at the end, and a number is
 * never reused. Treat an unknown value like `SYNAP_INTERNAL`.
 */
typedef enum SynapCode {
  /**
   * Success.
   */
  SYNAP_OK = 0,
  /**
   * An argument or option was refused before any request was made: a
   * NULL pointer where one is required, a string that is not UTF-8, an
   * ingestion id that is not a UUID, a malformed URL, a zero timeout.
   */
  SYNAP_INVALID_ARGUMENT = 1,
  /**
   * HTTP 401 or 403 (a missing, malformed or unknown API key), or no API
   * key was given and `SYNAP_API_KEY` is unset.
   */
  SYNAP_AUTH = 2,
  /**
   * HTTP 404: the ingestion id is unknown, or outside the key's scope.
   */
  SYNAP_NOT_FOUND = 3,
  /**
   * HTTP 400, 422 or another 4xx refusing the request as invalid.
   */
  SYNAP_INVALID_REQUEST = 4,
  /**
   * HTTP 402, or a 429 whose body says credits or the trial ran out
   * (waiting will not help, so it is not `SYNAP_RATE_LIMITED`).
   */
  SYNAP_INSUFFICIENT_CREDITS = 5,
  /**
   * HTTP 409.
   */
  SYNAP_CONFLICT = 6,
  /**
   * HTTP 429, a plain rate limit. `synap_last_error_retry_after_ms()`
   * says how long the server asked to wait, if it did.
   */
  SYNAP_RATE_LIMITED = 7,
  /**
   * HTTP 5xx.
   */
  SYNAP_SERVER = 8,
  /**
   * The connect or request timeout passed, or HTTP 408.
   */
  SYNAP_TIMEOUT = 9,
  /**
   * The host could not be resolved or reached, the connection was refused
   * or reset, or the server closed it before the response was complete.
   */
  SYNAP_NETWORK = 10,
  /**
   * The TLS handshake failed or the server's certificate was refused.
   */
  SYNAP_TLS = 11,
  /**
   * The server's answer was not valid: malformed HTTP or JSON, a missing
   * or ill-typed field (the message names it), a body over the size cap,
   * a redirect (never followed), or another unexpected status.
   */
  SYNAP_PROTOCOL = 12,
  /**
   * The caller cancelled the operation.
   */
  SYNAP_CANCELLED = 13,
  /**
   * A bug in libsynap was caught at the API boundary. The message says
   * what; please report it.
   */
  SYNAP_INTERNAL = 14,
  /**
   * A local file could not be opened or read, or changed size while it
   * was sent (an upload's source). The message names the file and the
   * reason; nothing was sent complete.
   */
  SYNAP_FILE = 15,
} SynapCode;

/**
 * An ingestion job's state. `SYNAP_INGEST_UNKNOWN` is a state this version
 * of libsynap does not know; `synap_status_state_name()` gives it as sent.
 *
 * New states are only added at the end.
 */
typedef enum SynapIngestState {
  /**
   * A state this version does not know (or a NULL status handle).
   */
  SYNAP_INGEST_UNKNOWN = 0,
  /**
   * `"queued"`: accepted, not yet picked up.
   */
  SYNAP_INGEST_QUEUED = 1,
  /**
   * `"processing"`: in the pipeline.
   */
  SYNAP_INGEST_PROCESSING = 2,
  /**
   * `"completed"`: every stage succeeded. Terminal.
   */
  SYNAP_INGEST_COMPLETED = 3,
  /**
   * `"failed"`: processing failed; see `synap_status_error_message()`.
   * Terminal.
   */
  SYNAP_INGEST_FAILED = 4,
  /**
   * `"partial_success"`: some extractions failed; see
   * `synap_status_error_message()`. Terminal.
   */
  SYNAP_INGEST_PARTIAL_SUCCESS = 5,
} SynapIngestState;

/**
 * What a forget request came to, from `synap_forget_result_outcome()`.
 * Read `SYNAP_FORGET_UNKNOWN` as "not done".
 */
typedef enum SynapForgetOutcome {
  /**
   * A status this version does not know.
   */
  SYNAP_FORGET_UNKNOWN = 0,
  /**
   * No memory of the user matched; nothing changed.
   */
  SYNAP_FORGET_NOTHING_MATCHES = 1,
  /**
   * The matches were filed for approval; nothing was deleted.
   */
  SYNAP_FORGET_PREVIEW = 2,
  /**
   * Every match was deleted.
   */
  SYNAP_FORGET_DELETED = 3,
  /**
   * The matches are hidden, but the stores that
   * `synap_forget_result_still_present_in()` names may still hold their
   * text.
   */
  SYNAP_FORGET_PARTIAL = 4,
} SynapForgetOutcome;

/**
 * Where a data deletion stands, from `synap_data_deletion_state()`.
 */
typedef enum SynapDeletionState {
  /**
   * No status, or one this version does not know: read it as not done.
   */
  SYNAP_DELETION_UNKNOWN = 0,
  /**
   * Still running: wait with `synap_data_deletion_wait()`.
   */
  SYNAP_DELETION_IN_PROGRESS = 1,
  /**
   * Done. `synap_data_deletion_fully_removed()` says whether the
   * service vouches that no store holds anything of the target.
   */
  SYNAP_DELETION_COMPLETE = 2,
  /**
   * Ended, but the stores `synap_data_deletion_still_present_in()` names
   * still hold data of the target.
   */
  SYNAP_DELETION_PARTIAL = 3,
  /**
   * A dry run: nothing was deleted; the counts say what would be.
   */
  SYNAP_DELETION_DRY_RUN = 4,
} SynapDeletionState;

/**
 * How much the log callback hears; each level includes the ones before it.
 */
typedef enum SynapLogLevel {
  /**
   * Failures the caller may not see otherwise.
   */
  SYNAP_LOG_ERROR = 1,
  /**
   * Things to know: plain http to a remote host, a `Retry-After` longer
   * than the backoff cap, a retry a deadline did not leave time for.
   */
  SYNAP_LOG_WARN = 2,
  /**
   * Retries and the backoff waited, the proxy in use.
   */
  SYNAP_LOG_INFO = 3,
  /**
   * Every request with its outcome and time, every poll of a wait.
   */
  SYNAP_LOG_DEBUG = 4,
} SynapLogLevel;

/**
 * Where one job of a wait stands, as a progress report or wait-all
 * results count it. Values 1 to 5 equal the `SynapIngestState` of the
 * same name. Functions that take one take it as an `int`, so that any
 * value is safe to pass; a value that is not one of these counts nothing.
 */
typedef enum SynapWaitState {
  /**
   * Not polled yet.
   */
  SYNAP_WAIT_PENDING = 0,
  /**
   * Last seen queued.
   */
  SYNAP_WAIT_QUEUED = 1,
  /**
   * Last seen processing, or in a state this version does not know.
   */
  SYNAP_WAIT_PROCESSING = 2,
  /**
   * Finished: completed (a deletion: complete, or a dry run).
   */
  SYNAP_WAIT_COMPLETED = 3,
  /**
   * Finished: failed.
   */
  SYNAP_WAIT_FAILED = 4,
  /**
   * Finished: partial_success (a deletion: partial).
   */
  SYNAP_WAIT_PARTIAL_SUCCESS = 5,
  /**
   * Ended by an error: a malformed id, a status error after its retries,
   * or still running when the wait timed out or was cancelled.
   */
  SYNAP_WAIT_ERROR = 6,
} SynapWaitState;

/**
 * The scope of a context fetch: whose memories it reads. Taken as an
 * `int`, so any value is safe to pass; another value is refused.
 */
typedef enum SynapContextScope {
  /**
   * One end user's memories (`POST /v1/context/user/fetch`); needs a
   * user id.
   */
  SYNAP_SCOPE_USER = 1,
  /**
   * One customer's (organisation's); needs a customer id.
   */
  SYNAP_SCOPE_CUSTOMER = 2,
  /**
   * The whole account's.
   */
  SYNAP_SCOPE_CLIENT = 3,
  /**
   * One conversation's; needs a conversation id.
   */
  SYNAP_SCOPE_CONVERSATION = 4,
} SynapContextScope;

/**
 * The lists of a `SynapContext`. Taken as an `int`; another value is an
 * empty list.
 */
typedef enum SynapContextList {
  /**
   * `facts`.
   */
  SYNAP_LIST_FACTS = 1,
  /**
   * `preferences`.
   */
  SYNAP_LIST_PREFERENCES = 2,
  /**
   * `episodes`.
   */
  SYNAP_LIST_EPISODES = 3,
  /**
   * `emotions`.
   */
  SYNAP_LIST_EMOTIONS = 4,
  /**
   * `temporal_events`.
   */
  SYNAP_LIST_TEMPORAL_EVENTS = 5,
  /**
   * The ranked shape's items, best first across types.
   */
  SYNAP_LIST_RANKED = 6,
  /**
   * Document excerpts (ranked shape, `source` `chunks`).
   */
  SYNAP_LIST_EXCERPTS = 7,
} SynapContextList;

/**
 * What a data deletion removes. Functions take it as an `int`, so that
 * any value is safe to pass; other values are refused.
 */
typedef enum SynapDeleteScope {
  /**
   * One user: memories, conversations, profile.
   */
  SYNAP_DELETE_USER = 0,
  /**
   * One conversation: its turns, summaries and buffer; the memories made
   * from it are kept.
   */
  SYNAP_DELETE_CONVERSATION = 1,
  /**
   * One customer and all its users (needs a management key).
   */
  SYNAP_DELETE_CUSTOMER = 2,
} SynapDeleteScope;

/**
 * The answer to `synap_memories_batch_create()`: counts and one
 * `SynapIngestion` per document sent, in order.
 *
 * Freed by `synap_batch_free()`. Immutable.
 */
typedef struct SynapBatch SynapBatch;

/**
 * A flag that stops a wait from another thread.
 *
 * Made by `synap_cancel_new()`, freed by `synap_cancel_free()`. Any
 * number of threads may trigger it and waits may watch it at once; it must
 * outlive every wait it is passed to. Once triggered it stays triggered:
 * use a new one for the next wait.
 */
typedef struct SynapCancel SynapCancel;

/**
 * A connection to the Synap service: API key, base URL, timeouts and a
 * pool of kept-alive connections.
 *
 * Made by `synap_client_new()`, freed by `synap_client_free()`. Immutable
 * once made: one client may be used by any number of threads at once, and
 * sharing one is how connections get reused.
 */
typedef struct SynapClient SynapClient;

/**
 * How `synap_conversation_compact()` compacts: strategy, target size,
 * force.
 *
 * Made by `synap_compact_options_new()`, freed by
 * `synap_compact_options_free()`. Setters check their value and leave the
 * options unchanged when they refuse it.
 */
typedef struct SynapCompactOptions SynapCompactOptions;

/**
 * A conversation's compacted state.
 *
 * Made by `synap_conversation_compacted()`, freed by
 * `synap_compacted_free()`. Immutable.
 */
typedef struct SynapCompacted SynapCompacted;

/**
 * How `synap_conversation_compacted()` reads: the format and the version.
 *
 * Made by `synap_compacted_options_new()`, freed by
 * `synap_compacted_options_free()`. Setters check their value and leave
 * the options unchanged when they refuse it.
 */
typedef struct SynapCompactedOptions SynapCompactedOptions;

/**
 * A compaction the service started.
 *
 * Made by `synap_conversation_compact()`, freed by
 * `synap_compaction_free()`. Immutable.
 */
typedef struct SynapCompaction SynapCompaction;

/**
 * Where a conversation's compaction stands.
 *
 * Made by `synap_conversation_compaction_status()`, freed by
 * `synap_compaction_status_free()`. Immutable.
 */
typedef struct SynapCompactionStatus SynapCompactionStatus;

/**
 * What a context fetch returned: the memories (typed lists, ranked list,
 * excerpts), the conversation state, the retrieval block, the profile and
 * conversation summaries of summary mode, and the answer's metadata.
 *
 * Made by `synap_context_fetch()`, freed by `synap_context_free()`.
 * Immutable: any thread may read it. Everything it lends (items, turns,
 * strings) is valid until it is freed. Absent values are NULL, or false
 * from the `bool f(handle, &out)` accessors.
 *
 * It is tolerant where the reference SDK fails a whole fetch over one
 * item: an explicit `null` is absent; a score is kept as sent, inside 0..1
 * or not; a time, number or text that does not read as its type is
 * absent. Only a body whose structure is wrong (a list that is not an
 * array, an item that is not an object) fails the fetch, with
 * `SYNAP_PROTOCOL` naming the field. Keys this version does not read
 * stay in an item's metadata JSON or in `synap_context_raw_json()`.
 */
typedef struct SynapContext SynapContext;

/**
 * One remembered item of a `SynapContext`, lent by it.
 *
 * Each memory type names its fields differently on the wire; they are
 * read into one shape (text, score, label, time), as the table in
 * README.md ("Context retrieval") shows.
 */
typedef struct SynapContextItem SynapContextItem;

/**
 * A context fetch: its scope and ids, queries, and how to rank and shape
 * the answer (contract part 2, §3.2).
 *
 * Made by `synap_context_request_new()`, freed by
 * `synap_context_request_free()`. Setters copy their strings, check their
 * value and leave the request unchanged when they refuse it. Use from one
 * thread at a time; a fetch only reads it, so it may be sent again or
 * changed afterwards.
 */
typedef struct SynapContextRequest SynapContextRequest;

/**
 * A conversation's state as a context fetch returns it, lent by its
 * `SynapContext`.
 */
typedef struct SynapConversationContext SynapConversationContext;

/**
 * One message of a `SynapMessagePage`, lent by it.
 */
typedef struct SynapConversationMessage SynapConversationMessage;

/**
 * One conversation's summary in summary mode, lent by its `SynapContext`.
 */
typedef struct SynapConversationSummary SynapConversationSummary;

/**
 * One document to ingest and how to file it: the request builder for
 * `synap_memories_create()` and `synap_memories_batch_create()`.
 *
 * Made by `synap_create_request_new()`, freed by
 * `synap_create_request_free()`. Set the document with
 * `synap_create_request_set_document_text()` or `_json()`; everything else
 * is optional. Setters copy their strings, check their value and leave the
 * request unchanged when they refuse it. Use from one thread at a time; a
 * call only reads it, so it may be sent again or changed afterwards.
 */
typedef struct SynapCreateRequest SynapCreateRequest;

/**
 * The account's credit balance, from `synap_credits_balance()`.
 *
 * Freed by `synap_credit_balance_free()`. Immutable.
 */
typedef struct SynapCreditBalance SynapCreditBalance;

/**
 * A permanent deletion of one user's, conversation's or customer's data, for
 * `synap_data_delete()`.
 *
 * Made by `synap_data_delete_request_new()` with its scope and the scope's own
 * id, freed by `synap_data_delete_request_free()`. Unless it is a dry run, it
 * must be confirmed with `synap_data_delete_request_set_confirm()`, repeating
 * that id: the service requires this second, deliberate naming of what goes.
 * Setters copy their strings, check their value and leave the request
 * unchanged when they refuse it. Use from one thread at a time; a call only
 * reads it.
 */
typedef struct SynapDataDeleteRequest SynapDataDeleteRequest;

/**
 * A data deletion's record: its state, what was removed and what is still
 * present.
 *
 * Made by `synap_data_delete()`, `synap_data_deletion_status()` and
 * `synap_data_deletion_wait()`, freed by `synap_data_deletion_free()`; or lent
 * to a wait's progress callback by `synap_wait_progress_deletion()` (never
 * freed then). Immutable; strings it returns live as long as it does.
 */
typedef struct SynapDataDeletion SynapDataDeletion;

/**
 * A memory deleted by `synap_memories_delete()`.
 *
 * Freed by `synap_deleted_memory_free()`. Immutable.
 */
typedef struct SynapDeletedMemory SynapDeletedMemory;

/**
 * What `synap_credits_estimate()` prices: a metric type and a number of units,
 * optionally an item count, an endpoint and a mode.
 *
 * Made by `synap_estimate_request_new()`, freed by
 * `synap_estimate_request_free()`. Setters copy their strings, check their
 * value and leave the request unchanged when they refuse it.
 */
typedef struct SynapEstimateRequest SynapEstimateRequest;

/**
 * A request to forget one user's memories that match a description, for
 * `synap_memories_forget()`.
 *
 * Made by `synap_forget_request_new()`, freed by
 * `synap_forget_request_free()`. Set its description and user; the mode is
 * `preview` unless set. Setters copy their strings, check their value and
 * leave the request unchanged when they refuse it. Use from one thread at a
 * time; a call only reads it.
 */
typedef struct SynapForgetRequest SynapForgetRequest;

/**
 * The answer to `synap_memories_forget()`: its outcome, the memories matched
 * and those deleted.
 *
 * Freed by `synap_forget_result_free()`. Immutable; strings it returns live as
 * long as it does.
 */
typedef struct SynapForgetResult SynapForgetResult;

/**
 * The account behind an API key, as `synap_client_whoami()` returned it.
 *
 * Freed by `synap_identity_free()`. Immutable; absent values are NULL.
 */
typedef struct SynapIdentity SynapIdentity;

/**
 * An accepted ingestion: the job `synap_memories_status()` and
 * `synap_memories_wait()` follow.
 *
 * Made by `synap_memories_create()` and freed by `synap_ingestion_free()`,
 * or lent, as a `const SynapIngestion *`, by `synap_batch_result()` and
 * owned by its batch. Immutable; strings it returns live as long as it
 * does.
 */
typedef struct SynapIngestion SynapIngestion;

/**
 * One page of the credit ledger, newest first, from `synap_credits_ledger()`.
 *
 * Freed by `synap_ledger_page_free()`. Immutable; strings it returns live as
 * long as it does.
 */
typedef struct SynapLedgerPage SynapLedgerPage;

/**
 * Which ledger rows `synap_credits_ledger()` reads: a page of `limit` rows
 * (100 unless set) from `offset` (0), optionally of one entry type and within
 * a time range.
 *
 * Made by `synap_ledger_query_new()`, freed by `synap_ledger_query_free()`.
 * Setters check their value and leave the query unchanged when they refuse it.
 */
typedef struct SynapLedgerQuery SynapLedgerQuery;

/**
 * One memory, as `synap_memories_get()` returned it.
 *
 * Freed by `synap_memory_free()`. Immutable; the strings it returns are
 * NUL-terminated UTF-8 owned by it. Absent values are NULL.
 */
typedef struct SynapMemory SynapMemory;

/**
 * One ingestion job's status, as `memories.status` returned it.
 *
 * Made by `synap_memories_status()` and `synap_memories_wait()`, freed by
 * `synap_status_free()`; or lent, as a `const SynapMemoryStatus *`, by
 * `synap_wait_all_status()` and `synap_wait_progress_status()`, and then
 * owned by the lender and never freed on its own.
 * Immutable: any thread may read it. Every string an accessor returns is
 * NUL-terminated UTF-8 owned by the handle: valid until the handle is
 * freed, never freed by the caller. Absent values are NULL, never `""`.
 */
typedef struct SynapMemoryStatus SynapMemoryStatus;

/**
 * What `synap_conversation_record_messages()` came to: the counts, a
 * lent `SynapRecordedMessage` per stored message, and the refused ones.
 *
 * Freed by `synap_message_batch_free()`. Immutable.
 */
typedef struct SynapMessageBatch SynapMessageBatch;

/**
 * One page of a conversation's messages, oldest first.
 *
 * Made by `synap_conversation_messages()`, freed by
 * `synap_message_page_free()`. Immutable.
 */
typedef struct SynapMessagePage SynapMessagePage;

/**
 * One message of a conversation, for `synap_conversation_record_message()`
 * or a batch (`synap_conversation_record_messages()`).
 *
 * Made by `synap_message_request_new()`, freed by
 * `synap_message_request_free()`. Set its conversation, role and content
 * (and, to record it alone, its user). Setters copy their strings, check
 * their value and leave the request unchanged when they refuse it. Use
 * from one thread at a time; a call only reads it.
 */
typedef struct SynapMessageRequest SynapMessageRequest;

/**
 * Settings for `synap_client_new()`: base URL, timeouts and deadline,
 * retries, body cap, proxy, trust roots.
 *
 * Made by `synap_options_new()`, freed by `synap_options_free()`. Setters
 * check their value and leave the options unchanged when they refuse it.
 * Use from one thread at a time. `synap_client_new()` copies what it needs,
 * so the options may be freed, or reused for another client, right after.
 */
typedef struct SynapOptions SynapOptions;

/**
 * A user's profile: what the service has learnt of them (contract part
 * 2, §7.1).
 *
 * Made by `synap_user_profile()` and freed by `synap_profile_free()`, or
 * lent by `synap_context_profile()` and owned by its context. Immutable;
 * everything it returns lives as long as it does.
 */
typedef struct SynapProfile SynapProfile;

/**
 * A conversation's prompt context: its compacted history plus every
 * message after the compaction cut-off (all of them before the first
 * compaction), as one prompt-ready string and its parts.
 *
 * Made by `synap_conversation_prompt_context()`, freed by
 * `synap_prompt_context_free()`. Immutable; everything it returns lives
 * as long as it does.
 */
typedef struct SynapPromptContext SynapPromptContext;

/**
 * How `synap_conversation_prompt_context()` renders: the style, for now.
 *
 * Made by `synap_prompt_options_new()`, freed by
 * `synap_prompt_options_free()`. Setters check their value and leave the
 * options unchanged when they refuse it.
 */
typedef struct SynapPromptOptions SynapPromptOptions;

/**
 * A message the service recorded.
 *
 * Made by `synap_conversation_record_message()` and freed by
 * `synap_recorded_message_free()`, or lent, as a `const
 * SynapRecordedMessage *`, by `synap_message_batch_result()` and owned by
 * its batch. Immutable.
 */
typedef struct SynapRecordedMessage SynapRecordedMessage;

/**
 * A redeemed credit code, from `synap_credits_redeem()`.
 *
 * Freed by `synap_redemption_free()`. Immutable.
 */
typedef struct SynapRedemption SynapRedemption;

/**
 * The retrieval block of a `SynapContext`, lent by it: how the service
 * says "nothing came back because retrieval broke", as against "nothing
 * relevant".
 */
typedef struct SynapRetrieval SynapRetrieval;

/**
 * An ingested transcript: the job that turns it into memories, followed
 * with `synap_memories_status()` and the waits like a created document's.
 *
 * Made by `synap_conversation_ingest()`, freed by
 * `synap_transcript_ingestion_free()`. Immutable.
 */
typedef struct SynapTranscriptIngestion SynapTranscriptIngestion;

/**
 * A finished conversation to ingest in one go, for
 * `synap_conversation_ingest()`: its id (any text), its user, and the
 * transcript as text or as turns.
 *
 * Made by `synap_transcript_request_new()`, freed by
 * `synap_transcript_request_free()`. Setters copy their strings, check
 * their value and leave the request unchanged when they refuse it.
 */
typedef struct SynapTranscriptRequest SynapTranscriptRequest;

/**
 * One conversation turn, lent by a `SynapConversationContext` or a
 * `SynapPromptContext`.
 */
typedef struct SynapTurn SynapTurn;

/**
 * The new document of one memory and how to merge it, for
 * `synap_memories_update()`.
 *
 * Made by `synap_update_request_new()`, freed by
 * `synap_update_request_free()`. Set the document with
 * `synap_update_request_set_document_text()` or `_json()`; the merge strategy
 * is `smart-merge` unless set. Setters copy their strings, check their value
 * and leave the request unchanged when they refuse it. Use from one thread at
 * a time; a call only reads it.
 */
typedef struct SynapUpdateRequest SynapUpdateRequest;

/**
 * One upload for `synap_memories_upload()`: a file, a buffer or text, for one
 * user, ingested as a document.
 *
 * Made by `synap_upload_request_new()`, freed by
 * `synap_upload_request_free()`. Set its user and one source:
 * `synap_upload_request_set_file()`, `_set_bytes()` or `_set_text()` (each
 * replaces the source set before). Setters copy what they are given, check
 * their value and leave the request unchanged when they refuse it. Use from
 * one thread at a time; a call only reads it.
 */
typedef struct SynapUploadRequest SynapUploadRequest;

/**
 * The outcome of `synap_memories_wait_all()`: one result per id, in the
 * order given. Freed by `synap_wait_all_free()`; immutable.
 */
typedef struct SynapWaitAllResults SynapWaitAllResults;

/**
 * How a wait polls, for `synap_memories_wait()`,
 * `synap_memories_wait_all()` and `synap_data_deletion_wait()`: timeout,
 * poll interval, requests in flight, a progress callback and a cancel
 * handle.
 *
 * Made by `synap_wait_options_new()`, freed by `synap_wait_options_free()`.
 * Setters check their value and leave the options unchanged when they
 * refuse it. Use from one thread at a time; a wait only reads the options,
 * so they may be reused for any number of waits.
 */
typedef struct SynapWaitOptions SynapWaitOptions;

/**
 * What a wait's progress callback is told: how many jobs are in each
 * state and, for `synap_memories_wait()`, the status just polled (for
 * `synap_data_deletion_wait()`, the deletion record).
 *
 * Lent to the callback for the duration of the call only: read it with
 * `synap_wait_progress_count()`, `_total()`, `_status()` and
 * `_deletion()`, copy what you need, never keep or free it.
 */
typedef struct SynapWaitProgress SynapWaitProgress;

/**
 * Called by a wait on the thread that called it: by
 * `synap_memories_wait()` and `synap_data_deletion_wait()` after every
 * poll (the last one included), by `synap_memories_wait_all()` once before
 * any poll and then after every change (its last call sees every change). Return true to go on, false
 * to stop the wait with `SYNAP_CANCELLED`.
 *
 * It must not unwind (no C++ throw, no longjmp) out of the call. Calling
 * `synap_*` functions inside it replaces the thread's last error.
 */
typedef bool (*SynapWaitProgressFn)(const struct SynapWaitProgress *progress, void *user_data);

/**
 * Receives one log line: `message` is NUL-terminated UTF-8, one line, no
 * trailing newline, borrowed for the duration of the call only. It never
 * contains the API key or proxy credentials; it ends with the request's
 * correlation id in brackets when there is one.
 *
 * Called on the thread whose libsynap call logs, so possibly from several
 * threads at once: the callback must be thread-safe. It may call libsynap
 * functions, but their own log lines are dropped, and it must not call
 * `synap_set_log_callback()`.
 */
typedef void (*SynapLogFn)(enum SynapLogLevel level, const char *message, void *user_data);

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The library's version, `"MAJOR.MINOR.PATCH"`, e.g. `"0.1.0"`.
 *
 * The string is static: never free it. Compare with `SYNAP_VERSION` to
 * check that the header and the linked library agree.
 */
const char *synap_version(void);

/**
 * The name of a result code, e.g. `"SYNAP_NOT_FOUND"` for
 * `SYNAP_NOT_FOUND`; `"SYNAP_UNKNOWN_CODE"` for a value that is not a code.
 *
 * Takes a plain `int` so any value is safe to pass. The string is static:
 * never free it.
 */
const char *synap_code_name(int code);

/**
 * The message of the calling thread's last failed call: one line of UTF-8
 * that names the problem (and never contains the API key). NULL if the
 * last fallible call on this thread succeeded, or none was made.
 *
 * The string belongs to libsynap: do not free it. It stays valid until the
 * next fallible `synap_*` call on the same thread. Each thread has its own
 * last error.
 */
const char *synap_last_error_message(void);

/**
 * The HTTP status of the server's answer to the calling thread's last
 * failed call, or 0 if the failure came before or without an answer
 * (invalid argument, network error, timeout).
 */
uint16_t synap_last_error_http_status(void);

/**
 * The `X-Correlation-ID` libsynap sent with the calling thread's last
 * failed request, e.g. `"syn__1736937000412_9c41e7"`; quote it when
 * reporting a problem to the service. NULL if no request was made.
 *
 * Owned and valid as for `synap_last_error_message()`.
 */
const char *synap_last_error_correlation_id(void);

/**
 * How long, in milliseconds, the server asked the caller to wait before
 * trying again (its `Retry-After` header, in seconds, decimal seconds or
 * an HTTP date), for the calling thread's last failed call; -1 if the
 * server gave none.
 */
int64_t synap_last_error_retry_after_ms(void);

/**
 * Makes options with the defaults: base URL from `SYNAP_BASE_URL`, else
 * the production service; 5000 ms to connect; 30000 ms per attempt; no
 * overall deadline; 3 attempts with backoff from 1000 ms up to 10000 ms;
 * 16 MiB response bodies; the proxy from the environment; the bundled
 * Mozilla roots; plain http to loopback hosts only.
 *
 * Returns NULL only if memory runs out. Free with `synap_options_free()`.
 */
struct SynapOptions *synap_options_new(void);

/**
 * Frees options made by `synap_options_new()`. NULL is ignored.
 *
 * # Safety
 * `options` is NULL or a live handle from `synap_options_new()`, freed
 * exactly once and not used afterwards.
 */
void synap_options_free(struct SynapOptions *options);

/**
 * Sets the service's base URL: `http://` or `https://`, a host, an
 * optional port and path prefix, no query or credentials, e.g.
 * `"http://127.0.0.1:8787"`. A trailing slash is ignored. NULL restores
 * the default (`SYNAP_BASE_URL`, else the production service).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * the URL is malformed or not UTF-8. The string is copied.
 *
 * # Safety
 * `options` is NULL or a live handle; `url` is NULL or a NUL-terminated
 * string.
 */
enum SynapCode synap_options_set_base_url(struct SynapOptions *options, const char *url);

/**
 * Sets how long opening a connection (TCP and TLS handshake) may take, in
 * milliseconds; must be greater than 0. Default 5000.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `ms` is 0.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_connect_timeout_ms(struct SynapOptions *options, uint32_t ms);

/**
 * Sets how long one attempt of a request may take, from connecting to the
 * last byte of the response, in milliseconds; must be greater than 0.
 * Default 30000. A server that answers slowly, trickles, or does not answer
 * at all fails the attempt with `SYNAP_TIMEOUT` once this has passed; a
 * retry gets the same again (see `synap_options_set_deadline_ms()` for a
 * bound on the whole call).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `ms` is 0.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_request_timeout_ms(struct SynapOptions *options, uint32_t ms);

/**
 * Sets the largest response body accepted, in bytes; must be greater than
 * 0. Default 16 MiB. A longer body fails the call with `SYNAP_PROTOCOL`
 * after reading no more than this, so a broken server cannot exhaust memory.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `bytes` is 0.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_max_body_bytes(struct SynapOptions *options, uint64_t bytes);

/**
 * Sets the most one call may take, in milliseconds, every attempt and
 * every backoff wait included; 0 (the default) means no overall deadline,
 * so each attempt is bounded by the request timeout only. An attempt gets
 * no more than what is left; a retry whose backoff would end past the
 * deadline is not made, and the call returns the last attempt's error.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_deadline_ms(struct SynapOptions *options, uint32_t ms);

/**
 * Sets how many attempts a call makes at most, the first included: 1
 * means no retries; at most 100. Default 3.
 *
 * Only transient failures are retried: HTTP 429 (not a credit stop), 5xx,
 * timeouts, and connections refused, reset or closed before the answer was
 * complete. Every attempt of a call carries the same `X-Correlation-ID`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `attempts` is out of range.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_max_attempts(struct SynapOptions *options, uint32_t attempts);

/**
 * Sets the backoff between attempts, in milliseconds. After failed attempt
 * `n` a call waits `min(base_ms * 2^(n-1), cap_ms)` plus up to 25 % jitter,
 * at most `cap_ms`. A `Retry-After` from the server (seconds, decimal
 * seconds or an HTTP date) replaces that wait, still at most `cap_ms`.
 * Defaults 1000 and 10000; `cap_ms` must be at least `base_ms`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `cap_ms` is less than `base_ms`.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_retry_backoff_ms(struct SynapOptions *options,
                                                  uint32_t base_ms,
                                                  uint32_t cap_ms);

/**
 * Sets the proxy, as curl's `CURLOPT_PROXY` does:
 *
 * - NULL (the default): from the environment, as curl reads it. For an
 *   `https` base URL `https_proxy`, else `HTTPS_PROXY`; for `http`,
 *   `http_proxy`, else `HTTP_PROXY`; then `all_proxy`, else `ALL_PROXY`.
 *   `no_proxy` (else `NO_PROXY`) lists hosts reached directly: `*`,
 *   domains (`example.com` also matches its subdomains), IP addresses and
 *   CIDR ranges.
 * - `""`: no proxy, whatever the environment says.
 * - a URL, `http://[user:password@]host:port` (or `https://` for TLS to the
 *   proxy): this proxy, whatever the environment says.
 *
 * Requests go through the proxy as a `CONNECT` tunnel, so TLS runs end to
 * end and the proxy never sees the API key. The string is copied; the
 * proxy URL is checked when the client is made.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `url` is not UTF-8.
 *
 * # Safety
 * `options` is NULL or a live handle; `url` is NULL or a NUL-terminated
 * string.
 */
enum SynapCode synap_options_set_proxy(struct SynapOptions *options, const char *url);

/**
 * Trusts the certificate authorities in the PEM file at `path` instead of
 * the bundled Mozilla roots, as curl's `--cacert` does (with
 * `synap_options_set_system_roots()` on as well, both are trusted). NULL
 * restores the bundled roots. The path is copied; the file is read by
 * `synap_client_new()`, which fails with `SYNAP_INVALID_ARGUMENT` if it
 * cannot be read or holds no certificate.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `path` is not UTF-8.
 *
 * # Safety
 * `options` is NULL or a live handle; `path` is NULL or a NUL-terminated
 * string.
 */
enum SynapCode synap_options_set_ca_file(struct SynapOptions *options, const char *path);

/**
 * Trusts the operating system's root certificates instead of the bundled
 * Mozilla roots when `on` is true (default false). They are read by
 * `synap_client_new()`, from the usual places or `SSL_CERT_FILE` and
 * `SSL_CERT_DIR`; finding none fails it with `SYNAP_TLS`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_system_roots(struct SynapOptions *options, bool on);

/**
 * Allows a plain `http://` base URL to a host that is not loopback when
 * `allow` is true (default false). Without it `synap_client_new()` refuses
 * such a URL with `SYNAP_INVALID_ARGUMENT`, because the API key would cross
 * the network unencrypted. Loopback hosts (`127.0.0.0/8`, `::1`,
 * `localhost`) are always allowed.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_options_set_allow_insecure_http(struct SynapOptions *options, bool allow);

/**
 * Makes a client. Makes no network request, so a wrong key or URL shows up
 * on the first call.
 *
 * - `api_key`: the API key (`"synap_..."`), or NULL or `""` to read
 *   `SYNAP_API_KEY` from the environment. Copied.
 * - `options`: NULL for the defaults, else options from
 *   `synap_options_new()`; copied, so they may be freed right after.
 * - `out_client`: receives the new client on `SYNAP_OK`; set to NULL on
 *   entry, so it is NULL after any failure.
 *
 * Returns `SYNAP_OK`; `SYNAP_AUTH` if there is no key at all;
 * `SYNAP_INVALID_ARGUMENT` if `out_client` is NULL, the key is not UTF-8 or
 * has spaces or control characters, or `SYNAP_BASE_URL` is malformed.
 * Free the client with `synap_client_free()`.
 *
 * # Safety
 * `api_key` is NULL or a NUL-terminated string; `options` is NULL or a live
 * options handle; `out_client` is NULL or valid for writing a pointer.
 */
enum SynapCode synap_client_new(const char *api_key,
                                const struct SynapOptions *options,
                                struct SynapClient **out_client);

/**
 * Frees a client and closes its connections. NULL is ignored. No call may
 * be using the client, on any thread, when it is freed; status handles it
 * returned stay valid.
 *
 * # Safety
 * `client` is NULL or a live handle from `synap_client_new()`, freed
 * exactly once and not used afterwards.
 */
void synap_client_free(struct SynapClient *client);

/**
 * Asks the service how far the ingestion job `ingestion_id` has come
 * (`GET /api/v1/memories/status/{ingestion_id}`).
 *
 * - `client`: from `synap_client_new()`; may be shared with other threads.
 * - `ingestion_id`: the job's UUID as returned when it was created, in any
 *   case, with or without hyphens. Anything else is refused before a
 *   request is made. Sent in canonical lowercase form.
 * - `out_status`: receives the status on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_status_free()`.
 *
 * A failed job is a status (`SYNAP_INGEST_FAILED`), not an error. Returns
 * `SYNAP_OK` or any failure code: `SYNAP_INVALID_ARGUMENT` (NULL or bad
 * argument), `SYNAP_AUTH`, `SYNAP_NOT_FOUND` (unknown id), `SYNAP_TIMEOUT`,
 * `SYNAP_NETWORK`, `SYNAP_PROTOCOL` and the other HTTP codes; the
 * `synap_last_error_*` functions give the details. Blocks the calling
 * thread for at most the request timeout.
 *
 * # Safety
 * `client` is NULL or a live client; `ingestion_id` is NULL or a
 * NUL-terminated string; `out_status` is NULL or valid for writing a pointer.
 */
enum SynapCode synap_memories_status(const struct SynapClient *client,
                                     const char *ingestion_id,
                                     struct SynapMemoryStatus **out_status);

/**
 * Frees a status. NULL is ignored, and so is a status lent by another
 * handle (a wait-all result's, a progress report's): that one is freed
 * with its owner, and the refusal is logged at `SYNAP_LOG_ERROR`. Every
 * string its accessors returned becomes invalid.
 *
 * # Safety
 * `status` is NULL or a live handle, freed exactly once and not used after.
 */
void synap_status_free(struct SynapMemoryStatus *status);

/**
 * The job's ingestion id, canonical lowercase UUID
 * (`"6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"`). NULL if `status` is NULL.
 * Owned by `status`.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
const char *synap_status_ingestion_id(const struct SynapMemoryStatus *status);

/**
 * The id of the document the job ingests: the caller's own id, or one the
 * server assigned. NULL if `status` is NULL. Owned by `status`.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
const char *synap_status_document_id(const struct SynapMemoryStatus *status);

/**
 * The job's state; `SYNAP_INGEST_UNKNOWN` for a state this version does
 * not know, or if `status` is NULL.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
enum SynapIngestState synap_status_state(const struct SynapMemoryStatus *status);

/**
 * The state exactly as the server sent it, e.g. `"partial_success"`; the
 * way to see a state reported as `SYNAP_INGEST_UNKNOWN`. NULL if `status`
 * is NULL. Owned by `status`.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
const char *synap_status_state_name(const struct SynapMemoryStatus *status);

/**
 * True if the job will not change any more: completed, failed or
 * partial_success. False for queued, processing, an unknown state, or a
 * NULL `status`.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
bool synap_status_is_terminal(const struct SynapMemoryStatus *status);

/**
 * When the job was queued, in microseconds since the Unix epoch, UTC (a
 * time the server sent without an offset is read as UTC). 0 if `status`
 * is NULL.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
int64_t synap_status_queued_at_us(const struct SynapMemoryStatus *status);

/**
 * When processing started, in Unix microseconds, UTC. Returns true and
 * writes `*out_us` if the job has started; returns false and leaves
 * `*out_us` alone if it is still queued, or if either pointer is NULL.
 *
 * # Safety
 * `status` is NULL or a live status handle; `out_us` is NULL or writable.
 */
bool synap_status_started_at_us(const struct SynapMemoryStatus *status, int64_t *out_us);

/**
 * When processing finished, in Unix microseconds, UTC. Returns true and
 * writes `*out_us` if the job has finished; returns false and leaves
 * `*out_us` alone if it is still in progress, or if either pointer is NULL.
 *
 * # Safety
 * `status` is NULL or a live status handle; `out_us` is NULL or writable.
 */
bool synap_status_completed_at_us(const struct SynapMemoryStatus *status, int64_t *out_us);

/**
 * How many memories the job has produced so far, as the server counts
 * them. 0 if `status` is NULL.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
uint64_t synap_status_memories_created(const struct SynapMemoryStatus *status);

/**
 * How many memory ids the status lists (see `synap_status_memory_id()`).
 * 0 if `status` is NULL.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
size_t synap_status_memory_id_count(const struct SynapMemoryStatus *status);

/**
 * The memory id at `index`, from 0 to `synap_status_memory_id_count() - 1`,
 * in the server's order; NULL past the end or if `status` is NULL. Owned
 * by `status`.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
const char *synap_status_memory_id(const struct SynapMemoryStatus *status, size_t index);

/**
 * What went wrong, for a failed or partially successful job; NULL when the
 * server gave no message, or if `status` is NULL. Owned by `status`.
 *
 * # Safety
 * `status` is NULL or a live status handle.
 */
const char *synap_status_error_message(const struct SynapMemoryStatus *status);

/**
 * Makes a cancel handle, not triggered. Returns NULL only if memory runs
 * out. Free with `synap_cancel_free()`.
 */
struct SynapCancel *synap_cancel_new(void);

/**
 * Triggers `cancel`: every wait watching it returns `SYNAP_CANCELLED`
 * within milliseconds if it is sleeping between polls, or as soon as the
 * status request in flight ends (bounded by the request timeout). Safe to
 * call from any thread, any number of times; not from a signal handler.
 * NULL is ignored.
 *
 * # Safety
 * `cancel` is NULL or a live handle.
 */
void synap_cancel_trigger(const struct SynapCancel *cancel);

/**
 * Whether `cancel` has been triggered; false for NULL.
 *
 * # Safety
 * `cancel` is NULL or a live handle.
 */
bool synap_cancel_is_triggered(const struct SynapCancel *cancel);

/**
 * Frees a cancel handle. NULL is ignored. No wait may still be using it.
 *
 * # Safety
 * `cancel` is NULL or a live handle, freed exactly once and not used after.
 */
void synap_cancel_free(struct SynapCancel *cancel);

/**
 * How many jobs of the wait are in `state`, a `SynapWaitState` value (for
 * `synap_memories_wait()`, 1 in the job's state and 0 elsewhere). 0 for
 * any other `state` value, or if `progress` is NULL.
 *
 * # Safety
 * `progress` is NULL or the report a progress callback was given, during
 * that call.
 */
size_t synap_wait_progress_count(const struct SynapWaitProgress *progress, int state);

/**
 * How many jobs the wait follows: 1 for `synap_memories_wait()`, the
 * number of ids for `synap_memories_wait_all()`. 0 if `progress` is NULL.
 *
 * # Safety
 * As for `synap_wait_progress_count()`.
 */
size_t synap_wait_progress_total(const struct SynapWaitProgress *progress);

/**
 * For `synap_memories_wait()`, the status just polled, lent by the report
 * for the duration of the callback only: copy what you need, never free
 * it. NULL for `synap_memories_wait_all()`, or if `progress` is NULL.
 *
 * # Safety
 * As for `synap_wait_progress_count()`.
 */
const struct SynapMemoryStatus *synap_wait_progress_status(const struct SynapWaitProgress *progress);

/**
 * For `synap_data_deletion_wait()`, the deletion record just polled, lent
 * by the report for the duration of the callback only: copy what you need,
 * never free it. NULL for the ingestion waits, or if `progress` is NULL.
 *
 * # Safety
 * As for `synap_wait_progress_count()`.
 */
const struct SynapDataDeletion *synap_wait_progress_deletion(const struct SynapWaitProgress *progress);

/**
 * Makes wait options with the defaults: 300000 ms in all, a poll every
 * 2000 ms, 8 status requests in flight (wait-all), no progress callback,
 * no cancel handle. Returns NULL only if memory runs out. Free with
 * `synap_wait_options_free()`.
 */
struct SynapWaitOptions *synap_wait_options_new(void);

/**
 * Frees wait options. NULL is ignored. A wait that was given them has
 * already returned, so they may be freed at any time after it.
 *
 * # Safety
 * `options` is NULL or a live handle, freed exactly once.
 */
void synap_wait_options_free(struct SynapWaitOptions *options);

/**
 * Sets the most a whole wait may take, status requests included, in
 * milliseconds; must be greater than 0. Default 300000. Measured on a
 * monotonic clock. When it passes the wait ends: the last pause is cut
 * short to end on time, and a status request gets no more time than is
 * left.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `ms` is 0.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_wait_options_set_timeout_ms(struct SynapWaitOptions *options, uint32_t ms);

/**
 * Sets the pause between one poll's answer and that job's next poll, in
 * milliseconds; must be greater than 0. Default 2000.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `ms` is 0.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_wait_options_set_poll_interval_ms(struct SynapWaitOptions *options,
                                                       uint32_t ms);

/**
 * Sets how many status requests `synap_memories_wait_all()` has in flight
 * at once, 1 to 64; default 8. `synap_memories_wait()` has one.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * `requests` is out of range.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_wait_options_set_max_in_flight(struct SynapWaitOptions *options,
                                                    uint32_t requests);

/**
 * Sets the progress callback (see `SynapWaitProgressFn`) and the
 * `user_data` passed to it untouched; NULL `progress` means none (the
 * default).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
 *
 * # Safety
 * `options` is NULL or a live handle; `progress` is NULL or a function
 * that may be called as `SynapWaitProgressFn` documents, with `user_data`,
 * during every wait given these options.
 */
enum SynapCode synap_wait_options_set_progress(struct SynapWaitOptions *options,
                                               SynapWaitProgressFn progress,
                                               void *user_data);

/**
 * Sets a cancel handle another thread may trigger to stop the wait with
 * `SYNAP_CANCELLED`; NULL means none (the default). The handle is not
 * copied: it must outlive every wait given these options.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
 *
 * # Safety
 * `options` is NULL or a live handle; `cancel` is NULL or a handle that
 * stays live during every wait given these options.
 */
enum SynapCode synap_wait_options_set_cancel(struct SynapWaitOptions *options,
                                             const struct SynapCancel *cancel);

/**
 * Waits for the ingestion job `ingestion_id` to finish: polls
 * `memories.status` until the job is completed, failed or partial_success,
 * and returns that status. A failed job is a status, not an error.
 *
 * - `client`, `ingestion_id`: as for `synap_memories_status()`.
 * - `options`: NULL for the defaults (300000 ms, a poll every 2000 ms),
 *   else from `synap_wait_options_new()`; only read. The progress callback
 *   is called after every poll, with the status just read; returning
 *   false stops the wait with `SYNAP_CANCELLED`, and so does triggering
 *   the cancel handle.
 * - `out_status`: receives the terminal status on `SYNAP_OK`; set to NULL
 *   on entry. Free it with `synap_status_free()`.
 *
 * Each poll is a status call with its own retries. A status error (after
 * those retries) ends the wait with that error; the timeout passing ends
 * it with `SYNAP_TIMEOUT`; the `synap_last_error_*` functions give the
 * details. Blocks the calling thread.
 *
 * # Safety
 * `client`, `ingestion_id` and `out_status` as for
 * `synap_memories_status()`; `options` is NULL or a live handle whose
 * callback and cancel handle keep their setters' contracts.
 */
enum SynapCode synap_memories_wait(const struct SynapClient *client,
                                   const char *ingestion_id,
                                   const struct SynapWaitOptions *options,
                                   struct SynapMemoryStatus **out_status);

/**
 * Waits for many ingestion jobs at once, polling a bounded number of them
 * at a time, until every job is completed, failed or partial_success or
 * has an error, or the timeout passes, or the wait is cancelled.
 *
 * - `ingestion_ids`: `count` ids. A malformed one is that job's
 *   `SYNAP_INVALID_ARGUMENT`; a NULL or non-UTF-8 one fails the call.
 * - `options`: NULL for the defaults (300000 ms in all, a poll every
 *   2000 ms per job, 8 requests in flight), else from
 *   `synap_wait_options_new()`; only read. The progress callback is called
 *   on this thread once before any poll and then after every change (the
 *   last call sees every change), with counts per state and no status;
 *   returning false stops the wait, and so does triggering the cancel
 *   handle.
 * - `out_results`: receives the results on `SYNAP_OK`; set to NULL on
 *   entry. Free them with `synap_wait_all_free()`.
 *
 * Returns `SYNAP_OK` whenever the wait ran, whatever became of each job:
 * read each job's code with `synap_wait_all_code()` (`SYNAP_TIMEOUT` for a
 * job still running at the deadline, `SYNAP_CANCELLED` if the wait was
 * stopped first). Fails with `SYNAP_INVALID_ARGUMENT` only for bad
 * arguments. Blocks the calling thread; uses up to the in-flight bound of
 * threads.
 *
 * # Safety
 * `client` is NULL or live; `ingestion_ids` is NULL or points to `count`
 * pointers; `options` is NULL or a live handle whose callback and cancel
 * handle keep their setters' contracts; `out_results` is NULL or writable.
 */
enum SynapCode synap_memories_wait_all(const struct SynapClient *client,
                                       const char *const *ingestion_ids,
                                       size_t count,
                                       const struct SynapWaitOptions *options,
                                       struct SynapWaitAllResults **out_results);

/**
 * Frees wait-all results and every status they lent. NULL is ignored.
 *
 * # Safety
 * `results` is NULL or a live handle, freed exactly once.
 */
void synap_wait_all_free(struct SynapWaitAllResults *results);

/**
 * How many results: the `count` ids passed. 0 if `results` is NULL.
 *
 * # Safety
 * `results` is NULL or a live handle.
 */
size_t synap_wait_all_count(const struct SynapWaitAllResults *results);

/**
 * How many jobs ended in `state`, a `SynapWaitState` value. Nothing is
 * left pending, queued or processing at the end: a job that did not
 * finish counts as `SYNAP_WAIT_ERROR`. 0 for any other `state` value, or
 * if `results` is NULL.
 *
 * # Safety
 * `results` is NULL or a live handle.
 */
size_t synap_wait_all_count_in(const struct SynapWaitAllResults *results, int state);

/**
 * Job `index`'s code: `SYNAP_OK` if it reached a terminal state (read it
 * with `synap_wait_all_status()`), else what ended it. `SYNAP_INVALID_ARGUMENT`
 * if `results` is NULL or `index` out of range.
 *
 * # Safety
 * `results` is NULL or a live handle.
 */
enum SynapCode synap_wait_all_code(const struct SynapWaitAllResults *results, size_t index);

/**
 * Job `index`'s terminal status, lent by `results`: valid until
 * `synap_wait_all_free()`, never freed on its own (`synap_status_free()`
 * refuses it). NULL if the job ended with an error or `index` is out of
 * range.
 *
 * # Safety
 * `results` is NULL or a live handle.
 */
const struct SynapMemoryStatus *synap_wait_all_status(const struct SynapWaitAllResults *results,
                                                      size_t index);

/**
 * Why job `index` ended without a terminal status, one line; NULL if it
 * has one or `index` is out of range. Owned by `results`.
 *
 * # Safety
 * `results` is NULL or a live handle.
 */
const char *synap_wait_all_error_message(const struct SynapWaitAllResults *results, size_t index);

/**
 * Makes an empty request: no document yet, type `ai-chat-conversation`,
 * mode `long-range`, no ids, scope or metadata. Returns NULL only if
 * memory runs out. Free with `synap_create_request_free()`.
 */
struct SynapCreateRequest *synap_create_request_new(void);

/**
 * Frees a request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_create_request_free(struct SynapCreateRequest *request);

/**
 * Sets the document to plain text (a conversation, an email body, ...).
 * Returns `SYNAP_INVALID_ARGUMENT` if `request` or `text` is NULL or `text`
 * is not UTF-8.
 *
 * # Safety
 * `request` is NULL or a live handle; `text` is NULL or NUL-terminated.
 */
enum SynapCode synap_create_request_set_document_text(struct SynapCreateRequest *request,
                                                      const char *text);

/**
 * Sets the document to a JSON object given as text, e.g.
 * `"{\"subject\":\"Renewal\",\"body\":\"...\"}"`. Returns
 * `SYNAP_INVALID_ARGUMENT` if it is not valid JSON or not an object.
 *
 * # Safety
 * `request` is NULL or a live handle; `json` is NULL or NUL-terminated.
 */
enum SynapCode synap_create_request_set_document_json(struct SynapCreateRequest *request,
                                                      const char *json);

/**
 * Sets the document type: `ai-chat-conversation` (default), `document`,
 * `email`, `pdf`, `image`, `audio` or `meeting-transcript`. Any other
 * value is `SYNAP_INVALID_ARGUMENT`, before any request.
 *
 * # Safety
 * `request` is NULL or a live handle; `document_type` is NULL or
 * NUL-terminated.
 */
enum SynapCode synap_create_request_set_document_type(struct SynapCreateRequest *request,
                                                      const char *document_type);

/**
 * Sets the mode: `long-range` (default) or `fast`; anything else is
 * `SYNAP_INVALID_ARGUMENT`.
 *
 * # Safety
 * `request` is NULL or a live handle; `mode` is NULL or NUL-terminated.
 */
enum SynapCode synap_create_request_set_mode(struct SynapCreateRequest *request, const char *mode);

/**
 * Sets your id for the document. The service refuses a second document
 * with the same id (`SYNAP_CONFLICT`), which makes a create you are unsure
 * about safe to repeat.
 *
 * # Safety
 * `request` is NULL or a live handle; `document_id` is NULL or
 * NUL-terminated.
 */
enum SynapCode synap_create_request_set_document_id(struct SynapCreateRequest *request,
                                                    const char *document_id);

/**
 * Sets when the document was written, in Unix microseconds UTC (years 1
 * to 9999). Without it the service uses the time of ingestion.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_create_request_set_document_created_at_us(struct SynapCreateRequest *request,
                                                               int64_t unix_us);

/**
 * Sets the end user the memories belong to.
 *
 * # Safety
 * `request` is NULL or a live handle; `user_id` is NULL or NUL-terminated.
 */
enum SynapCode synap_create_request_set_user_id(struct SynapCreateRequest *request,
                                                const char *user_id);

/**
 * Sets the customer (organisation) the memories belong to. On an instance
 * `synap_client_whoami()` reported as B2C, `synap_memories_create()`
 * refuses it with `SYNAP_INVALID_ARGUMENT`.
 *
 * # Safety
 * `request` is NULL or a live handle; `customer_id` is NULL or
 * NUL-terminated.
 */
enum SynapCode synap_create_request_set_customer_id(struct SynapCreateRequest *request,
                                                    const char *customer_id);

/**
 * Adds one level of the scope path, e.g. `("team", "payments")`, for
 * accounts with levels between customer and user.
 *
 * # Safety
 * `request` is NULL or a live handle; `level` and `value` are NULL or
 * NUL-terminated.
 */
enum SynapCode synap_create_request_add_scope(struct SynapCreateRequest *request,
                                              const char *level,
                                              const char *value);

/**
 * Sets free-form metadata, a JSON object given as text, e.g.
 * `"{\"channel\":\"web\"}"`; anything else is `SYNAP_INVALID_ARGUMENT`.
 *
 * # Safety
 * `request` is NULL or a live handle; `json` is NULL or NUL-terminated.
 */
enum SynapCode synap_create_request_set_metadata_json(struct SynapCreateRequest *request,
                                                      const char *json);

/**
 * `memories.create`: queues one document for ingestion.
 *
 * - `client`: from `synap_client_new()`.
 * - `request`: a request with its document set; only read.
 * - `out_ingestion`: receives the accepted job on `SYNAP_OK`; set to NULL
 *   on entry. Free it with `synap_ingestion_free()`.
 *
 * Not idempotent, so it is retried only when the failure proves the
 * request had no effect: a refused connection or connect timeout, HTTP 429
 * (not a credit stop) or 503. It is never retried after a read timeout, a
 * dropped connection or another 5xx, where the service may already have
 * queued the document: resending could ingest it twice. Set a document id
 * to make your own retry safe (a repeat is `SYNAP_CONFLICT`).
 *
 * Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT` (NULL, no document);
 * `SYNAP_INVALID_REQUEST` (the service refused a field: HTTP 400/422);
 * `SYNAP_CONFLICT` (duplicate document id, or the instance is not ready);
 * `SYNAP_INSUFFICIENT_CREDITS`; or the transport codes.
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_ingestion` is NULL
 * or valid for writing a pointer.
 */
enum SynapCode synap_memories_create(const struct SynapClient *client,
                                     const struct SynapCreateRequest *request,
                                     struct SynapIngestion **out_ingestion);

/**
 * `memories.batch_create`: queues `count` documents in one request.
 *
 * - `requests`: an array of `count` requests, each with its document set.
 * - `fail_fast`: true to have the service refuse the whole batch at the
 *   first invalid document (`SYNAP_INVALID_REQUEST`); false to get invalid
 *   ones back as refused items while the rest are queued.
 * - `out_batch`: receives the results on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_batch_free()`.
 *
 * Retried only as `synap_memories_create()` is.
 *
 * # Safety
 * `client` is NULL or live; `requests` is NULL or points to `count`
 * pointers, each NULL or a live request; `out_batch` is NULL or writable.
 */
enum SynapCode synap_memories_batch_create(const struct SynapClient *client,
                                           const struct SynapCreateRequest *const *requests,
                                           size_t count,
                                           bool fail_fast,
                                           struct SynapBatch **out_batch);

/**
 * Frees an ingestion from `synap_memories_create()`. NULL is ignored, and
 * so is one lent by `synap_batch_result()`, which is freed with its batch
 * (the refusal is logged at `SYNAP_LOG_ERROR`).
 *
 * # Safety
 * `ingestion` is NULL or a live handle from `synap_memories_create()`,
 * freed exactly once.
 */
void synap_ingestion_free(struct SynapIngestion *ingestion);

/**
 * The job's ingestion id (canonical lowercase UUID), for
 * `synap_memories_status()` and `synap_memories_wait()`. NULL if
 * `ingestion` is NULL. Owned by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_ingestion_id(const struct SynapIngestion *ingestion);

/**
 * Your document id, or the one the service assigned. NULL if `ingestion`
 * is NULL. Owned by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_ingestion_document_id(const struct SynapIngestion *ingestion);

/**
 * The job's state when accepted: normally `SYNAP_INGEST_QUEUED`; a batch
 * item the service refused is `SYNAP_INGEST_FAILED`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
enum SynapIngestState synap_ingestion_state(const struct SynapIngestion *ingestion);

/**
 * The state as the service sent it. NULL if `ingestion` is NULL. Owned by
 * `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_ingestion_state_name(const struct SynapIngestion *ingestion);

/**
 * When the job was queued, Unix microseconds UTC; 0 if `ingestion` is NULL.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
int64_t synap_ingestion_queued_at_us(const struct SynapIngestion *ingestion);

/**
 * Why the service refused a batch item; NULL when it was accepted (and for
 * every `synap_memories_create()` result). Owned by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_ingestion_error_message(const struct SynapIngestion *ingestion);

/**
 * Frees a batch and every ingestion it lent. NULL is ignored.
 *
 * # Safety
 * `batch` is NULL or a live handle, freed exactly once.
 */
void synap_batch_free(struct SynapBatch *batch);

/**
 * The batch's id (UUID). NULL if `batch` is NULL. Owned by `batch`.
 *
 * # Safety
 * `batch` is NULL or a live handle.
 */
const char *synap_batch_id(const struct SynapBatch *batch);

/**
 * How many documents the service accepted (`out_succeeded`) and refused
 * (`out_failed`) out of `out_total`; each out pointer may be NULL. Returns
 * false and writes nothing if `batch` is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle; each out pointer is NULL or writable.
 */
bool synap_batch_counts(const struct SynapBatch *batch,
                        uint64_t *out_total,
                        uint64_t *out_succeeded,
                        uint64_t *out_failed);

/**
 * How many results the batch holds: one per document sent. 0 if `batch`
 * is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle.
 */
size_t synap_batch_result_count(const struct SynapBatch *batch);

/**
 * The result for document `index` (0-based, in the order sent), lent by
 * the batch: valid until `synap_batch_free()`, never freed on its own
 * (`synap_ingestion_free()` refuses it).
 * NULL if `batch` is NULL or `index` is out of range.
 *
 * # Safety
 * `batch` is NULL or a live handle.
 */
const struct SynapIngestion *synap_batch_result(const struct SynapBatch *batch, size_t index);

/**
 * `memories.get`: one memory by id (`GET /api/v1/memories/{memory_id}`).
 *
 * - `memory_id`: a UUID, e.g. from `synap_status_memory_id()`; anything
 *   else is refused before a request. Sent in canonical lowercase form.
 * - `out_memory`: receives the memory on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_memory_free()`.
 *
 * Retried as `synap_memories_status()` is. Returns `SYNAP_OK`,
 * `SYNAP_NOT_FOUND` (unknown id, or outside the key's scope), or the other
 * codes of `synap_memories_status()`.
 *
 * # Safety
 * `client` is NULL or live; `memory_id` is NULL or NUL-terminated;
 * `out_memory` is NULL or writable.
 */
enum SynapCode synap_memories_get(const struct SynapClient *client,
                                  const char *memory_id,
                                  struct SynapMemory **out_memory);

/**
 * Frees a memory. NULL is ignored.
 *
 * # Safety
 * `memory` is NULL or a live handle, freed exactly once.
 */
void synap_memory_free(struct SynapMemory *memory);

/**
 * The memory's id, canonical lowercase UUID. NULL if `memory` is NULL.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
const char *synap_memory_id(const struct SynapMemory *memory);

/**
 * Its kind as sent: `fact`, `preference`, `episode`, `emotion`,
 * `temporal_event`, or one the service adds later. NULL if `memory` is NULL.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
const char *synap_memory_type(const struct SynapMemory *memory);

/**
 * What was remembered, as text. NULL if `memory` is NULL.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
const char *synap_memory_content(const struct SynapMemory *memory);

/**
 * How sure the service is, usually 0.0 to 1.0; 0.0 if `memory` is NULL.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
double synap_memory_confidence(const struct SynapMemory *memory);

/**
 * Its category, or NULL when it has none.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
const char *synap_memory_category(const struct SynapMemory *memory);

/**
 * Its subcategory, or NULL when it has none.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
const char *synap_memory_subcategory(const struct SynapMemory *memory);

/**
 * When the memory was made, Unix microseconds UTC; 0 if `memory` is NULL.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
int64_t synap_memory_created_at_us(const struct SynapMemory *memory);

/**
 * When it last changed: returns true and writes `*out_us` if it has
 * changed; false (leaving `*out_us` alone) if not, or if a pointer is NULL.
 *
 * # Safety
 * `memory` is NULL or a live handle; `out_us` is NULL or writable.
 */
bool synap_memory_updated_at_us(const struct SynapMemory *memory, int64_t *out_us);

/**
 * The document the memory came from, or NULL when unknown.
 *
 * # Safety
 * `memory` is NULL or a live handle.
 */
const char *synap_memory_source_document_id(const struct SynapMemory *memory);

/**
 * `whoami`: the account behind the client's API key.
 * (`GET /api/v1/auth/whoami`). Once it has answered, the client's later
 * requests carry `X-Client-ID` and `X-Instance-ID`, its correlation ids
 * start with the instance id's first six characters, and a customer id on
 * create is refused locally on a B2C instance, as the reference SDK does.
 *
 * - `out_identity`: receives the identity on `SYNAP_OK`; set to NULL on
 *   entry. Free it with `synap_identity_free()`.
 *
 * Returns `SYNAP_OK`, `SYNAP_AUTH` for a key the service does not know, or
 * the other codes of `synap_memories_status()`.
 *
 * # Safety
 * `client` is NULL or live; `out_identity` is NULL or writable.
 */
enum SynapCode synap_client_whoami(const struct SynapClient *client,
                                   struct SynapIdentity **out_identity);

/**
 * Frees an identity. NULL is ignored.
 *
 * # Safety
 * `identity` is NULL or a live handle, freed exactly once.
 */
void synap_identity_free(struct SynapIdentity *identity);

/**
 * The client (account) id, or NULL if the service did not say.
 *
 * # Safety
 * `identity` is NULL or a live handle.
 */
const char *synap_identity_client_id(const struct SynapIdentity *identity);

/**
 * The instance id, or NULL if the service did not say.
 *
 * # Safety
 * `identity` is NULL or a live handle.
 */
const char *synap_identity_instance_id(const struct SynapIdentity *identity);

/**
 * The instance's user-context isolation: `"equals_customer"` on a B2C
 * instance (each customer is one user), else NULL or another value.
 *
 * # Safety
 * `identity` is NULL or a live handle.
 */
const char *synap_identity_user_context_isolation(const struct SynapIdentity *identity);

/**
 * Makes a request for `scope` (a `SynapContextScope`) with the defaults:
 * no ids, no query, 10 results, every type, mode `fast`, precision
 * `high`, by type. Returns NULL if `scope` is not a `SynapContextScope`
 * (the last error says so) or memory runs out. Free with
 * `synap_context_request_free()`.
 */
struct SynapContextRequest *synap_context_request_new(int scope);

/**
 * Frees a request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_context_request_free(struct SynapContextRequest *request);

/**
 * Moves the request to another scope (a `SynapContextScope`); the ids set
 * stay. Refused for a value that is not a scope, and for a scope other
 * than the user's while summary mode is on.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_context_request_set_scope(struct SynapContextRequest *request, int scope);

/**
 * Sets the end user: the user scope's id, required there, and a filter on
 * the conversation scope. Refused if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
 */
enum SynapCode synap_context_request_set_user_id(struct SynapContextRequest *request,
                                                 const char *user_id);

/**
 * Sets the customer (organisation): the customer scope's id, required
 * there, and the tenant of a user on a B2B instance. Refused if empty; a
 * fetch naming one on an instance `synap_client_whoami()` reported as B2C
 * fails with `SYNAP_INVALID_ARGUMENT` before any request.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
 */
enum SynapCode synap_context_request_set_customer_id(struct SynapContextRequest *request,
                                                     const char *customer_id);

/**
 * Sets the conversation: the conversation scope's id, required there, and
 * the current conversation on the other scopes. A UUID in any case, with
 * or without hyphens; anything else is refused.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `conversation_id` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_context_request_set_conversation_id(struct SynapContextRequest *request,
                                                         const char *conversation_id);

/**
 * Adds a search query (copied). Without a query (none, or only blank
 * ones) a conversation fetch answers with the conversation's prompt
 * context, and a user fetch with the user's profile when there is one,
 * as the reference SDK does (see `synap_context_fetch()`).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `query` NULL or NUL-terminated.
 */
enum SynapCode synap_context_request_add_query(struct SynapContextRequest *request,
                                               const char *query);

/**
 * Removes every query.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_context_request_clear_queries(struct SynapContextRequest *request);

/**
 * Sets how many memories at most, at least 1; default 10. The service
 * sets the upper bound, and refuses more with `SYNAP_INVALID_REQUEST`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_context_request_set_max_results(struct SynapContextRequest *request,
                                                     uint32_t max_results);

/**
 * Adds a memory type to fetch: `facts`, `preferences`, `episodes`,
 * `emotions`, `temporal_events` or `all`; none added means `all`. Any
 * other value is refused.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `memory_type` NULL or NUL-terminated.
 */
enum SynapCode synap_context_request_add_type(struct SynapContextRequest *request,
                                              const char *memory_type);

/**
 * Sets the retrieval mode: `fast` (default) or `accurate`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
 */
enum SynapCode synap_context_request_set_mode(struct SynapContextRequest *request,
                                              const char *mode);

/**
 * Sets the precision level: `high` (default) or `medium`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `precision_level` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_context_request_set_precision_level(struct SynapContextRequest *request,
                                                         const char *precision_level);

/**
 * Sets the answer's shape: `by_type` (default: the five typed lists) or
 * `ranked` (`SYNAP_LIST_RANKED`, best first across types, plus the
 * excerpts and the typed lists as views of it).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `response_shape` NULL or NUL-terminated.
 */
enum SynapCode synap_context_request_set_response_shape(struct SynapContextRequest *request,
                                                        const char *response_shape);

/**
 * Sets the day the queries are asked, as text the service reads
 * (`2025-03-11`, `2025/03/11 21:26`; anything else means now). NULL or
 * `""` clears it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `query_date` NULL or NUL-terminated.
 */
enum SynapCode synap_context_request_set_query_date(struct SynapContextRequest *request,
                                                    const char *query_date);

/**
 * Sets how many memories each query may contribute; 0 (the default)
 * means no bound per query.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_context_request_set_max_results_per_query(struct SynapContextRequest *request,
                                                               uint32_t max_results);

/**
 * Adds (or replaces) one rung of the scope path, e.g. `("team",
 * "payments")`, for accounts with levels between customer and user. The
 * service refuses a path that skips a rung.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle; `level` and `value` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_context_request_add_scope_level(struct SynapContextRequest *request,
                                                     const char *level,
                                                     const char *value);

/**
 * Turns on summary mode (user scope only): the fetch answers with the
 * user's profile (when `include_profile`) and the summaries of the last
 * `last_n_conversations` conversations (0 to 20) instead of memories.
 * Refused on another scope or out of range.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_context_request_set_summary_mode(struct SynapContextRequest *request,
                                                      bool include_profile,
                                                      uint32_t last_n_conversations);

/**
 * `context.fetch`: the memories of the request's scope relevant to its
 * queries (`POST /v1/context/{user,customer,client,conversation}/fetch`).
 *
 * - `client`: from `synap_client_new()`.
 * - `request`: from `synap_context_request_new()`, with the scope's own
 *   id set; only read.
 * - `out_context`: receives the answer on `SYNAP_OK`; set to NULL on
 *   entry. Free it with `synap_context_free()`.
 *
 * Without a query (none, or only blank ones), as the reference SDK does:
 * a conversation fetch reads the conversation's prompt context instead
 * (`GET .../context-for-prompt?style=structured`) and answers with no
 * memories, that state as its conversation context and source
 * `conversation_state`; a user fetch (not in summary mode) reads the
 * user's profile first and answers with it when it has attributes or an
 * overview (source `profile`), else makes the fetch. A ranked fetch whose
 * answer has no ranked list gets one merged from the typed lists.
 *
 * Idempotent, so retried as reads are. Returns `SYNAP_OK`;
 * `SYNAP_INVALID_ARGUMENT` (NULL, the scope's id missing, a customer id on
 * a B2C instance); `SYNAP_INVALID_REQUEST` (the service refused a value:
 * HTTP 400/422); `SYNAP_NOT_FOUND`; `SYNAP_CONFLICT` (the instance is not
 * ready); `SYNAP_PROTOCOL` (a body whose structure is wrong); or the
 * transport codes.
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_context` is NULL
 * or valid for writing a pointer.
 */
enum SynapCode synap_context_fetch(const struct SynapClient *client,
                                   const struct SynapContextRequest *request,
                                   struct SynapContext **out_context);

/**
 * Frees a context and everything it lent. NULL is ignored.
 *
 * # Safety
 * `context` is NULL or a live handle, freed exactly once.
 */
void synap_context_free(struct SynapContext *context);

/**
 * How many items `list` (a `SynapContextList`) holds; 0 for another
 * value, or if `context` is NULL.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
size_t synap_context_count(const struct SynapContext *context, int list);

/**
 * Item `index` of `list` (a `SynapContextList`), in the service's order
 * (best first), lent by `context`; NULL past the end, for another `list`
 * value, or if `context` is NULL.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const struct SynapContextItem *synap_context_item(const struct SynapContext *context,
                                                  int list,
                                                  size_t index);

/**
 * The conversation's state, when the service sent one (or a conversation
 * fetch without a query read it), lent by `context`; else NULL.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const struct SynapConversationContext *synap_context_conversation(const struct SynapContext *context);

/**
 * The retrieval block, when the service sent one, lent by `context`; NULL
 * on a healthy fetch.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const struct SynapRetrieval *synap_context_retrieval(const struct SynapContext *context);

/**
 * The user's profile (summary mode, or a user fetch without a query),
 * lent by `context` (`synap_profile_free()` refuses it); else NULL.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const struct SynapProfile *synap_context_profile(const struct SynapContext *context);

/**
 * How many conversation summaries summary mode returned; 0 otherwise.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
size_t synap_context_conversation_count(const struct SynapContext *context);

/**
 * Conversation summary `index`, lent by `context`; NULL past the end.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const struct SynapConversationSummary *synap_context_conversation_summary(const struct SynapContext *context,
                                                                          size_t index);

/**
 * How long the answer may be cached, in seconds (300 when the service
 * did not say); 0 if `context` is NULL.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
int64_t synap_context_ttl_seconds(const struct SynapContext *context);

/**
 * Where the answer came from: `cloud` (a fetch), `profile` or
 * `conversation_state` (a fetch without a query). Static; NULL if
 * `context` is NULL.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const char *synap_context_source(const struct SynapContext *context);

/**
 * The `X-Correlation-ID` of the request that answered; quote it when
 * reporting a problem. Owned by `context`.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const char *synap_context_correlation_id(const struct SynapContext *context);

/**
 * When the answer was received, Unix microseconds UTC; 0 if `context` is
 * NULL.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
int64_t synap_context_retrieved_at_us(const struct SynapContext *context);

/**
 * The response body as JSON text, for what this version does not read;
 * NULL when no body was read (a profile answer). Owned by `context`.
 *
 * # Safety
 * `context` is NULL or a live handle.
 */
const char *synap_context_raw_json(const struct SynapContext *context);

/**
 * The item's type: the list it came from (`facts`, `preferences`, `episodes`,
 * `emotions`, `temporal_events`, `excerpts`), or for a ranked item its
 * `category` as sent. Valid as long as the handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_kind(const struct SynapContextItem *item);

/**
 * The memory's id. Valid as long as the handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_id(const struct SynapContextItem *item);

/**
 * What was remembered (`content`; an episode's `summary`, an emotion's
 * `context`). Valid as long as the handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_text(const struct SynapContextItem *item);

/**
 * How sure or how strong, usually 0 to 1, kept as sent (`confidence`; a
 * preference's `strength`, an episode's `significance`, an emotion's
 * `intensity`). The words `explicit`, `inferred` and `assumed` read as 1.0,
 * 0.75 and 0.5. Returns true and writes `*out` when present; false, leaving
 * `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_score(const struct SynapContextItem *item, double *out);

/**
 * A preference's category, an emotion's type or a temporal event's temporal
 * category. Valid as long as the handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_label(const struct SynapContextItem *item);

/**
 * When it was extracted (an episode's `occurred_at`, an emotion's
 * `detected_at`), Unix microseconds UTC. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_time_us(const struct SynapContextItem *item, int64_t *out);

/**
 * Where it came from (`conversation`, `chunks`, ...). Valid as long as the
 * handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_source(const struct SynapContextItem *item);

/**
 * The start of the time window the memory is about, Unix microseconds UTC.
 * Returns true and writes `*out` when present; false, leaving `*out` alone,
 * when absent or a pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_event_date_us(const struct SynapContextItem *item, int64_t *out);

/**
 * The end of that window, Unix microseconds UTC. Returns true and writes
 * `*out` when present; false, leaving `*out` alone, when absent or a pointer
 * is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_event_end_us(const struct SynapContextItem *item, int64_t *out);

/**
 * The day it was said, Unix microseconds UTC. Returns true and writes `*out`
 * when present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_said_at_us(const struct SynapContextItem *item, int64_t *out);

/**
 * Until when it holds, Unix microseconds UTC. Returns true and writes `*out`
 * when present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_valid_until_us(const struct SynapContextItem *item, int64_t *out);

/**
 * How precise the window is (`day`, `month`, `approximate`, ...). Valid as
 * long as the handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_event_precision(const struct SynapContextItem *item);

/**
 * `perpetual`, `temporal_fact`, `episode`, ... Valid as long as the handle
 * that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_temporal_category(const struct SynapContextItem *item);

/**
 * How sure the temporal reading is. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_temporal_confidence(const struct SynapContextItem *item, double *out);

/**
 * How many of the fetch's queries found the item. 0 if `item` is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
size_t synap_context_item_matched_query_count(const struct SynapContextItem *item);

/**
 * The query at `index` that found the item. NULL past the end. Valid as long
 * as the handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_matched_query(const struct SynapContextItem *item, size_t index);

/**
 * How many quotes the memory rests on. 0 if `item` is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
size_t synap_context_item_source_evidence_count(const struct SynapContextItem *item);

/**
 * The quote at `index` the memory rests on. NULL past the end. Valid as long
 * as the handle that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_source_evidence(const struct SynapContextItem *item, size_t index);

/**
 * How many participants an episode names. 0 if `item` is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
size_t synap_context_item_participant_count(const struct SynapContextItem *item);

/**
 * The participant at `index`. NULL past the end. Valid as long as the handle
 * that lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_participant(const struct SynapContextItem *item, size_t index);

/**
 * The item's rank (1 = best), which the ranked shape sends. Returns true and
 * writes `*out` when present; false, leaving `*out` alone, when absent or a
 * pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_rank(const struct SynapContextItem *item, int64_t *out);

/**
 * Its rank score (`metadata.rank_score`), which the ranked shape sends.
 * Returns true and writes `*out` when present; false, leaving `*out` alone,
 * when absent or a pointer is NULL.
 *
 * # Safety
 * `item` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_context_item_rank_score(const struct SynapContextItem *item, double *out);

/**
 * The item's `metadata` object as JSON text. Valid as long as the handle that
 * lent it.
 *
 * # Safety
 * `item` is NULL or a live handle.
 */
const char *synap_context_item_metadata_json(const struct SynapContextItem *item);

/**
 * The conversation's id. Valid as long as the handle that lent it.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const char *synap_conversation_context_id(const struct SynapConversationContext *conversation);

/**
 * The compaction narrative. Valid as long as the handle that lent it.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const char *synap_conversation_context_summary(const struct SynapConversationContext *conversation);

/**
 * The compaction the summary comes from. Valid as long as the handle that lent
 * it.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const char *synap_conversation_context_compaction_id(const struct SynapConversationContext *conversation);

/**
 * When it was compacted, as the service wrote it (not parsed). Valid as long
 * as the handle that lent it.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const char *synap_conversation_context_compacted_at(const struct SynapConversationContext *conversation);

/**
 * The prompt-ready text, when given. Valid as long as the handle that lent it.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const char *synap_conversation_context_formatted_context(const struct SynapConversationContext *conversation);

/**
 * `current_state` as JSON text. Valid as long as the handle that lent it.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const char *synap_conversation_context_current_state_json(const struct SynapConversationContext *conversation);

/**
 * `key_extractions` as JSON text. Valid as long as the handle that lent it.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const char *synap_conversation_context_key_extractions_json(const struct SynapConversationContext *conversation);

/**
 * How many turns came after the compaction cut-off. 0 if `conversation` is
 * NULL.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
size_t synap_conversation_context_turn_count(const struct SynapConversationContext *conversation);

/**
 * The turn at `index`, oldest first. Lent; NULL past the end.
 *
 * # Safety
 * `conversation` is NULL or a live handle.
 */
const struct SynapTurn *synap_conversation_context_turn(const struct SynapConversationContext *conversation,
                                                        size_t index);

/**
 * Who spoke: `user`, `assistant`, ... Valid as long as the handle that lent
 * it.
 *
 * # Safety
 * `turn` is NULL or a live handle.
 */
const char *synap_turn_role(const struct SynapTurn *turn);

/**
 * What was said. Valid as long as the handle that lent it.
 *
 * # Safety
 * `turn` is NULL or a live handle.
 */
const char *synap_turn_content(const struct SynapTurn *turn);

/**
 * When, Unix microseconds UTC. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `turn` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_turn_timestamp_us(const struct SynapTurn *turn, int64_t *out);

/**
 * The message's id, where the service gives one. Valid as long as the handle
 * that lent it.
 *
 * # Safety
 * `turn` is NULL or a live handle.
 */
const char *synap_turn_message_id(const struct SynapTurn *turn);

/**
 * True when the answer is incomplete because retrieval broke. False if
 * `retrieval` is NULL.
 *
 * # Safety
 * `retrieval` is NULL or a live handle.
 */
bool synap_retrieval_degraded(const struct SynapRetrieval *retrieval);

/**
 * How much broke: `partial`, `minimal` or `failed`. Valid as long as the
 * handle that lent it.
 *
 * # Safety
 * `retrieval` is NULL or a live handle.
 */
const char *synap_retrieval_level(const struct SynapRetrieval *retrieval);

/**
 * Why: `timeout`, `overloaded`, `unavailable` or `internal`. Valid as long as
 * the handle that lent it.
 *
 * # Safety
 * `retrieval` is NULL or a live handle.
 */
const char *synap_retrieval_code(const struct SynapRetrieval *retrieval);

/**
 * How many warnings the service gave. 0 if `retrieval` is NULL.
 *
 * # Safety
 * `retrieval` is NULL or a live handle.
 */
size_t synap_retrieval_warning_count(const struct SynapRetrieval *retrieval);

/**
 * The warning at `index`. NULL past the end. Valid as long as the handle that
 * lent it.
 *
 * # Safety
 * `retrieval` is NULL or a live handle.
 */
const char *synap_retrieval_warning(const struct SynapRetrieval *retrieval, size_t index);

/**
 * The conversation's id. Valid as long as the handle that lent it.
 *
 * # Safety
 * `summary` is NULL or a live handle.
 */
const char *synap_conversation_summary_id(const struct SynapConversationSummary *summary);

/**
 * Whether its summary is ready: `available`, `pending` or `failed`. Valid as
 * long as the handle that lent it.
 *
 * # Safety
 * `summary` is NULL or a live handle.
 */
const char *synap_conversation_summary_status(const struct SynapConversationSummary *summary);

/**
 * The summary's prompt text. Valid as long as the handle that lent it.
 *
 * # Safety
 * `summary` is NULL or a live handle.
 */
const char *synap_conversation_summary_text(const struct SynapConversationSummary *summary);

/**
 * How many messages the conversation has. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `summary` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_conversation_summary_message_count(const struct SynapConversationSummary *summary,
                                              int64_t *out);

/**
 * When it started, Unix microseconds UTC. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `summary` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_conversation_summary_started_at_us(const struct SynapConversationSummary *summary,
                                              int64_t *out);

/**
 * When its last message came, Unix microseconds UTC. Returns true and writes
 * `*out` when present; false, leaving `*out` alone, when absent or a pointer
 * is NULL.
 *
 * # Safety
 * `summary` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_conversation_summary_last_message_at_us(const struct SynapConversationSummary *summary,
                                                   int64_t *out);

/**
 * The whole summary element as JSON text. Valid as long as the handle that
 * lent it.
 *
 * # Safety
 * `summary` is NULL or a live handle.
 */
const char *synap_conversation_summary_json(const struct SynapConversationSummary *summary);

/**
 * A user's profile (`GET /v1/users/{user_id}/profile`).
 *
 * - `user_id`: the user, not empty; percent-encoded into the path, so any
 *   text (`/`, `?`, `#` included) reaches the service intact.
 * - `customer_id`: the user's customer on a B2B instance, where the
 *   service needs it; NULL on a B2C instance (where one is refused before
 *   any request, once `synap_client_whoami()` has told).
 * - `out_profile`: receives the profile on `SYNAP_OK`; set to NULL on
 *   entry. Free it with `synap_profile_free()`.
 *
 * Returns `SYNAP_OK`; `SYNAP_NOT_FOUND` when the user has no profile yet;
 * `SYNAP_INVALID_ARGUMENT`; or the other codes of
 * `synap_memories_status()`. Retried as reads are.
 *
 * # Safety
 * `client` is NULL or live; `user_id` and `customer_id` are NULL or
 * NUL-terminated; `out_profile` is NULL or writable.
 */
enum SynapCode synap_user_profile(const struct SynapClient *client,
                                  const char *user_id,
                                  const char *customer_id,
                                  struct SynapProfile **out_profile);

/**
 * Frees a profile from `synap_user_profile()`. NULL is ignored, and so is
 * one lent by `synap_context_profile()`, which is freed with its context
 * (the refusal is logged at `SYNAP_LOG_ERROR`).
 *
 * # Safety
 * `profile` is NULL or a live handle, freed exactly once.
 */
void synap_profile_free(struct SynapProfile *profile);

/**
 * The free-text overview. Owned by `profile`.
 *
 * # Safety
 * `profile` is NULL or a live handle.
 */
const char *synap_profile_overview(const struct SynapProfile *profile);

/**
 * The whole profile document as JSON text. Owned by `profile`.
 *
 * # Safety
 * `profile` is NULL or a live handle.
 */
const char *synap_profile_json(const struct SynapProfile *profile);

/**
 * How many attributes the profile has. 0 if `profile` is NULL.
 *
 * # Safety
 * `profile` is NULL or a live handle.
 */
size_t synap_profile_attribute_count(const struct SynapProfile *profile);

/**
 * The name of attribute `index` (e.g. `preferred_name`). NULL past the end or
 * when absent. Owned by `profile`.
 *
 * # Safety
 * `profile` is NULL or a live handle.
 */
const char *synap_profile_attribute_name(const struct SynapProfile *profile, size_t index);

/**
 * The value of attribute `index` as JSON text (a string keeps its quotes).
 * NULL past the end or when absent. Owned by `profile`.
 *
 * # Safety
 * `profile` is NULL or a live handle.
 */
const char *synap_profile_attribute_value_json(const struct SynapProfile *profile, size_t index);

/**
 * The conversation attribute `index` was learnt in. NULL past the end or when
 * absent. Owned by `profile`.
 *
 * # Safety
 * `profile` is NULL or a live handle.
 */
const char *synap_profile_attribute_source_conversation_id(const struct SynapProfile *profile,
                                                           size_t index);

/**
 * How sure the service is of attribute `index`. Returns true and writes `*out`
 * when present; false, leaving
 * `*out` alone, when absent, past the end, or a pointer is NULL.
 *
 * # Safety
 * `profile` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_profile_attribute_confidence(const struct SynapProfile *profile,
                                        size_t index,
                                        double *out);

/**
 * When attribute `index` last changed, Unix microseconds UTC. Returns true and
 * writes `*out` when present; false, leaving
 * `*out` alone, when absent, past the end, or a pointer is NULL.
 *
 * # Safety
 * `profile` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_profile_attribute_updated_at_us(const struct SynapProfile *profile,
                                           size_t index,
                                           int64_t *out);

/**
 * Makes prompt options with the defaults (style `structured`). Returns
 * NULL only if memory runs out. Free with `synap_prompt_options_free()`.
 */
struct SynapPromptOptions *synap_prompt_options_new(void);

/**
 * Frees prompt options. NULL is ignored.
 *
 * # Safety
 * `options` is NULL or a live handle, freed exactly once.
 */
void synap_prompt_options_free(struct SynapPromptOptions *options);

/**
 * Sets the style: `structured` (default), `narrative` or `bullet_points`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * the style is not one of those.
 *
 * # Safety
 * `options` is NULL or a live handle; `style` is NULL or NUL-terminated.
 */
enum SynapCode synap_prompt_options_set_style(struct SynapPromptOptions *options,
                                              const char *style);

/**
 * `context-for-prompt` (`GET /v1/conversations/{id}/context-for-prompt`).
 *
 * - `conversation_id`: a UUID, as for
 *   `synap_context_request_set_conversation_id()`.
 * - `options`: NULL for the defaults, else from `synap_prompt_options_new()`.
 * - `out_prompt`: receives the prompt context on `SYNAP_OK`; set to NULL
 *   on entry. Free it with `synap_prompt_context_free()`.
 *
 * Returns `SYNAP_OK`; `SYNAP_NOT_FOUND` for an unknown conversation;
 * `SYNAP_INVALID_ARGUMENT`; or the other codes of
 * `synap_memories_status()`. Retried as reads are.
 *
 * # Safety
 * `client` and `options` are NULL or live handles; `conversation_id` is
 * NULL or NUL-terminated; `out_prompt` is NULL or writable.
 */
enum SynapCode synap_conversation_prompt_context(const struct SynapClient *client,
                                                 const char *conversation_id,
                                                 const struct SynapPromptOptions *options,
                                                 struct SynapPromptContext **out_prompt);

/**
 * Frees a prompt context. NULL is ignored.
 *
 * # Safety
 * `prompt` is NULL or a live handle, freed exactly once.
 */
void synap_prompt_context_free(struct SynapPromptContext *prompt);

/**
 * The prompt-ready text: the compaction block, then the recent messages. Owned
 * by `prompt`.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
const char *synap_prompt_context_formatted_context(const struct SynapPromptContext *prompt);

/**
 * True when a compaction exists. False if `prompt` is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
bool synap_prompt_context_available(const struct SynapPromptContext *prompt);

/**
 * True when the compaction lags the conversation. False if `prompt` is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
bool synap_prompt_context_is_stale(const struct SynapPromptContext *prompt);

/**
 * True when the service doubts the compaction's quality. False if `prompt` is
 * NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
bool synap_prompt_context_quality_warning(const struct SynapPromptContext *prompt);

/**
 * How much the compaction shrank the history. Returns true and writes `*out`
 * when present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_prompt_context_compression_ratio(const struct SynapPromptContext *prompt, double *out);

/**
 * The compaction's validation score. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_prompt_context_validation_score(const struct SynapPromptContext *prompt, double *out);

/**
 * How old the compaction is, in seconds. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_prompt_context_compaction_age_seconds(const struct SynapPromptContext *prompt,
                                                 int64_t *out);

/**
 * How many messages came after the cut-off, as the service counts them. 0 if
 * `prompt` is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
int64_t synap_prompt_context_recent_message_count(const struct SynapPromptContext *prompt);

/**
 * How many messages the compaction covers. 0 if `prompt` is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
int64_t synap_prompt_context_compacted_message_count(const struct SynapPromptContext *prompt);

/**
 * How many messages the conversation has. 0 if `prompt` is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
int64_t synap_prompt_context_total_message_count(const struct SynapPromptContext *prompt);

/**
 * The compaction block alone. Owned by `prompt`.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
const char *synap_prompt_context_context_block(const struct SynapPromptContext *prompt);

/**
 * The compaction it comes from. Owned by `prompt`.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
const char *synap_prompt_context_compaction_id(const struct SynapPromptContext *prompt);

/**
 * How many recent messages the answer holds. 0 if `prompt` is NULL.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
size_t synap_prompt_context_turn_count(const struct SynapPromptContext *prompt);

/**
 * The recent message at `index`, oldest first. Lent by `prompt`; NULL past the
 * end.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
const struct SynapTurn *synap_prompt_context_turn(const struct SynapPromptContext *prompt,
                                                  size_t index);

/**
 * The response body as JSON text. Owned by `prompt`.
 *
 * # Safety
 * `prompt` is NULL or a live handle.
 */
const char *synap_prompt_context_raw_json(const struct SynapPromptContext *prompt);

/**
 * Makes an empty message request. Returns NULL only if memory runs out. Free
 * with
 * `synap_message_request_free()`.
 */
struct SynapMessageRequest *synap_message_request_new(void);

/**
 * Frees a message request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_message_request_free(struct SynapMessageRequest *request);

/**
 * Sets the conversation: a UUID in any case, with or without hyphens.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `conversation_id` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_message_request_set_conversation_id(struct SynapMessageRequest *request,
                                                         const char *conversation_id);

/**
 * Sets who spoke: `user` or `assistant`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `role` NULL or NUL-terminated.
 */
enum SynapCode synap_message_request_set_role(struct SynapMessageRequest *request,
                                              const char *role);

/**
 * Sets what was said (copied; may be empty).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `content` NULL or NUL-terminated.
 */
enum SynapCode synap_message_request_set_content(struct SynapMessageRequest *request,
                                                 const char *content);

/**
 * Sets the end user; required to record the message alone. Refused if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
 */
enum SynapCode synap_message_request_set_user_id(struct SynapMessageRequest *request,
                                                 const char *user_id);

/**
 * Sets the customer on a B2B instance. Refused if empty; a call naming one on
 * an instance `synap_client_whoami()` reported as B2C fails with
 * `SYNAP_INVALID_ARGUMENT` before any request.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
 */
enum SynapCode synap_message_request_set_customer_id(struct SynapMessageRequest *request,
                                                     const char *customer_id);

/**
 * Sets the session; the service makes one when none is given. NULL or `""`
 * clears it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `session_id` NULL or NUL-terminated.
 */
enum SynapCode synap_message_request_set_session_id(struct SynapMessageRequest *request,
                                                    const char *session_id);

/**
 * Sets free-form metadata, a JSON object given as text.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `json` NULL or NUL-terminated.
 */
enum SynapCode synap_message_request_set_metadata_json(struct SynapMessageRequest *request,
                                                       const char *json);

/**
 * Adds (or replaces) one rung of the scope path.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `level` and `value` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_message_request_add_scope_level(struct SynapMessageRequest *request,
                                                     const char *level,
                                                     const char *value);

/**
 * Sets the model the agent runs (folded into the metadata as `agent_model`;
 * the service sizes compaction to its window). NULL or `""` clears it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `model` NULL or NUL-terminated.
 */
enum SynapCode synap_message_request_set_agent_model(struct SynapMessageRequest *request,
                                                     const char *model);

/**
 * Sets the agent's context window in tokens (folded into the metadata as
 * `agent_context_window`); 0 clears it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_message_request_set_agent_context_window(struct SynapMessageRequest *request,
                                                              uint32_t tokens);

/**
 * Records one message of a conversation (`POST /v1/conversations/messages`).
 *
 * - `request`: a message with its conversation, role, content and user
 *   set; only read.
 * - `out_message`: receives what the service recorded on `SYNAP_OK`; set
 *   to NULL on entry. Free it with `synap_recorded_message_free()`.
 *
 * Not idempotent: resent only when the failure proves it had no effect
 * (a refused connection, HTTP 429, HTTP 503); after a timeout, a dropped
 * connection or another 5xx it is not resent, since the service may have
 * recorded it already. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT` (NULL,
 * a field missing, a customer id on a B2C instance);
 * `SYNAP_INVALID_REQUEST`; `SYNAP_CONFLICT` (the instance is not ready); or
 * the transport codes.
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_message` is NULL
 * or writable.
 */
enum SynapCode synap_conversation_record_message(const struct SynapClient *client,
                                                 const struct SynapMessageRequest *request,
                                                 struct SynapRecordedMessage **out_message);

/**
 * Frees a recorded message from `synap_conversation_record_message()`.
 * NULL is ignored, and so is one lent by a batch (logged at
 * `SYNAP_LOG_ERROR`).
 *
 * # Safety
 * `message` is NULL or a live handle, freed exactly once.
 */
void synap_recorded_message_free(struct SynapRecordedMessage *message);

/**
 * The message's id, as the service gave it. Owned by `message`.
 *
 * # Safety
 * `message` is NULL or a live handle.
 */
const char *synap_recorded_message_id(const struct SynapRecordedMessage *message);

/**
 * The conversation. Owned by `message`.
 *
 * # Safety
 * `message` is NULL or a live handle.
 */
const char *synap_recorded_message_conversation_id(const struct SynapRecordedMessage *message);

/**
 * The session, given or made by the service. Owned by `message`.
 *
 * # Safety
 * `message` is NULL or a live handle.
 */
const char *synap_recorded_message_session_id(const struct SynapRecordedMessage *message);

/**
 * When the service recorded it, Unix microseconds UTC. Returns true and writes
 * `*out` when present; false, leaving `*out` alone, when absent or a pointer
 * is NULL.
 *
 * # Safety
 * `message` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_recorded_message_recorded_at_us(const struct SynapRecordedMessage *message,
                                           int64_t *out);

/**
 * How many messages the conversation holds after this one. Returns true and
 * writes `*out` when present; false, leaving `*out` alone, when absent or a
 * pointer is NULL.
 *
 * # Safety
 * `message` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_recorded_message_conversation_message_count(const struct SynapRecordedMessage *message,
                                                       int64_t *out);

/**
 * Records several messages in one request
 * (`POST /v1/conversations/messages/batch`).
 *
 * - `requests`: `count` (at least 1) messages, each with its conversation,
 *   role and content set; only read.
 * - `out_batch`: receives the outcome on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_message_batch_free()`.
 *
 * A message the service refuses is an error row of the batch
 * (`synap_message_batch_error_index()`), and the others are stored. Not
 * idempotent: resent only as `synap_conversation_record_message()` is.
 *
 * # Safety
 * `client` is NULL or live; `requests` is NULL or points to `count`
 * pointers, each NULL or a live request; `out_batch` is NULL or writable.
 */
enum SynapCode synap_conversation_record_messages(const struct SynapClient *client,
                                                  const struct SynapMessageRequest *const *requests,
                                                  size_t count,
                                                  struct SynapMessageBatch **out_batch);

/**
 * Frees a batch and every message it lent. NULL is ignored.
 *
 * # Safety
 * `batch` is NULL or a live handle, freed exactly once.
 */
void synap_message_batch_free(struct SynapMessageBatch *batch);

/**
 * How many messages were stored: the result rows. 0 if `batch` is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle.
 */
size_t synap_message_batch_result_count(const struct SynapMessageBatch *batch);

/**
 * Stored message `index`, in the order sent, lent by `batch`
 * (`synap_recorded_message_free()` refuses it); NULL past the end.
 *
 * # Safety
 * `batch` is NULL or a live handle.
 */
const struct SynapRecordedMessage *synap_message_batch_result(const struct SynapMessageBatch *batch,
                                                              size_t index);

/**
 * Error row `index`'s position in the batch sent (from 0). Returns true
 * and writes `*out` when the service said; false past the end, when
 * absent, or if a pointer is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_message_batch_error_index(const struct SynapMessageBatch *batch,
                                     size_t index,
                                     int64_t *out);

/**
 * Why error row `index` was refused, as the service said it; NULL past
 * the end or when absent. Owned by `batch`.
 *
 * # Safety
 * `batch` is NULL or a live handle.
 */
const char *synap_message_batch_error_message(const struct SynapMessageBatch *batch, size_t index);

/**
 * How many messages the service counted. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_message_batch_total(const struct SynapMessageBatch *batch, int64_t *out);

/**
 * How many it stored. Returns true and writes `*out` when present; false,
 * leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_message_batch_succeeded(const struct SynapMessageBatch *batch, int64_t *out);

/**
 * How many it refused. Returns true and writes `*out` when present; false,
 * leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_message_batch_failed(const struct SynapMessageBatch *batch, int64_t *out);

/**
 * How many error rows the batch has. 0 if `batch` is NULL.
 *
 * # Safety
 * `batch` is NULL or a live handle.
 */
size_t synap_message_batch_error_count(const struct SynapMessageBatch *batch);

/**
 * Makes an empty transcript request. Returns NULL only if memory runs out.
 * Free with
 * `synap_transcript_request_free()`.
 */
struct SynapTranscriptRequest *synap_transcript_request_new(void);

/**
 * Frees a transcript request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_transcript_request_free(struct SynapTranscriptRequest *request);

/**
 * Sets the conversation's id as you know it (a call id, a UUID, ...). Refused
 * if empty. The service answers with the UUID it keeps for it: use that for
 * later reads.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `conversation_id` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_transcript_request_set_conversation_id(struct SynapTranscriptRequest *request,
                                                            const char *conversation_id);

/**
 * Sets the end user. Refused if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
 */
enum SynapCode synap_transcript_request_set_user_id(struct SynapTranscriptRequest *request,
                                                    const char *user_id);

/**
 * Sets the customer on a B2B instance. Refused if empty, and on a B2C instance
 * when the call is made.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
 */
enum SynapCode synap_transcript_request_set_customer_id(struct SynapTranscriptRequest *request,
                                                        const char *customer_id);

/**
 * Sets the whole transcript as text, which the service splits on its turn
 * grammar (`User: ...` / `Assistant: ...` lines). Replaces any turns.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `transcript` NULL or NUL-terminated.
 */
enum SynapCode synap_transcript_request_set_text(struct SynapTranscriptRequest *request,
                                                 const char *transcript);

/**
 * Adds one turn: `role` `user` or `assistant`, what was said, and who spoke
 * (NULL: unknown). Replaces a transcript given as text. Its time is unknown
 * unless `synap_transcript_request_add_timed_turn()` is used.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `role`, `content` and `speaker` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_transcript_request_add_turn(struct SynapTranscriptRequest *request,
                                                 const char *role,
                                                 const char *content,
                                                 const char *speaker);

/**
 * As `synap_transcript_request_add_turn()`, with when the turn was said, Unix
 * microseconds UTC (years 1 to 9999).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `role`, `content` and `speaker` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_transcript_request_add_timed_turn(struct SynapTranscriptRequest *request,
                                                       const char *role,
                                                       const char *content,
                                                       const char *speaker,
                                                       int64_t timestamp_us);

/**
 * Sets the kind of conversation (`voice`, `chat`, ...). NULL or `""` clears
 * it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `kind` NULL or NUL-terminated.
 */
enum SynapCode synap_transcript_request_set_conversation_type(struct SynapTranscriptRequest *request,
                                                              const char *kind);

/**
 * Sets your analysis of the conversation, a JSON object given as text.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `json` NULL or NUL-terminated.
 */
enum SynapCode synap_transcript_request_set_analysis_json(struct SynapTranscriptRequest *request,
                                                          const char *json);

/**
 * Sets free-form metadata, a JSON object given as text.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `json` NULL or NUL-terminated.
 */
enum SynapCode synap_transcript_request_set_metadata_json(struct SynapTranscriptRequest *request,
                                                          const char *json);

/**
 * Sets when the conversation started, Unix microseconds UTC (years 1 to 9999).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_transcript_request_set_started_at_us(struct SynapTranscriptRequest *request,
                                                          int64_t unix_us);

/**
 * Sets when it ended, Unix microseconds UTC (years 1 to 9999).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_transcript_request_set_ended_at_us(struct SynapTranscriptRequest *request,
                                                        int64_t unix_us);

/**
 * Adds (or replaces) one rung of the scope path.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `level` and `value` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_transcript_request_add_scope_level(struct SynapTranscriptRequest *request,
                                                        const char *level,
                                                        const char *value);

/**
 * Ingests a finished conversation (`POST /v1/conversations/ingest`).
 *
 * - `request`: with its conversation id, user and transcript set; only
 *   read.
 * - `out_ingestion`: receives the job on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_transcript_ingestion_free()`.
 *
 * The same transcript again is answered as a `duplicate` of the first
 * job; another transcript under the same conversation id is
 * `SYNAP_CONFLICT`. Not idempotent: resent only when the failure proves it
 * had no effect (repeating it yourself is safe: it is a duplicate).
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_ingestion` is NULL
 * or writable.
 */
enum SynapCode synap_conversation_ingest(const struct SynapClient *client,
                                         const struct SynapTranscriptRequest *request,
                                         struct SynapTranscriptIngestion **out_ingestion);

/**
 * Frees an ingested transcript. NULL is ignored.
 *
 * # Safety
 * `ingestion` is NULL or a live handle, freed exactly once.
 */
void synap_transcript_ingestion_free(struct SynapTranscriptIngestion *ingestion);

/**
 * The conversation's id as the service keeps it (a UUID): use it for later
 * reads. Owned by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_transcript_ingestion_conversation_id(const struct SynapTranscriptIngestion *ingestion);

/**
 * The conversation id you gave. Owned by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_transcript_ingestion_external_conversation_id(const struct SynapTranscriptIngestion *ingestion);

/**
 * The ingestion job, for `synap_memories_status()` and the waits. Owned by
 * `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_transcript_ingestion_ingestion_id(const struct SynapTranscriptIngestion *ingestion);

/**
 * `queued`, or `duplicate` when the same transcript was ingested before. Owned
 * by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_transcript_ingestion_status(const struct SynapTranscriptIngestion *ingestion);

/**
 * How many turns were recorded. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `ingestion` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_transcript_ingestion_turns_recorded(const struct SynapTranscriptIngestion *ingestion,
                                               int64_t *out);

/**
 * `in_progress`, `already_compacted` or `skipped`. Owned by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_transcript_ingestion_summary_status(const struct SynapTranscriptIngestion *ingestion);

/**
 * When the job was queued, Unix microseconds UTC. Returns true and writes
 * `*out` when present; false, leaving `*out` alone, when absent or a pointer
 * is NULL.
 *
 * # Safety
 * `ingestion` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_transcript_ingestion_queued_at_us(const struct SynapTranscriptIngestion *ingestion,
                                             int64_t *out);

/**
 * How many warnings the service gave. 0 if `ingestion` is NULL.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
size_t synap_transcript_ingestion_warning_count(const struct SynapTranscriptIngestion *ingestion);

/**
 * The warning at `index`. NULL past the end. Owned by `ingestion`.
 *
 * # Safety
 * `ingestion` is NULL or a live handle.
 */
const char *synap_transcript_ingestion_warning(const struct SynapTranscriptIngestion *ingestion,
                                               size_t index);

/**
 * One page of a conversation's messages, oldest first
 * (`GET /v1/conversations/{id}/messages`).
 *
 * - `conversation_id`: a UUID.
 * - `start`: the position of the first message wanted (1 is the
 *   conversation's first).
 * - `limit`: how many at most, 1 to 500. A page with fewer is the last:
 *   read the next one from `start + limit`.
 * - `out_page`: receives the page on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_message_page_free()`.
 *
 * Retried as reads are.
 *
 * # Safety
 * `client` is NULL or live; `conversation_id` is NULL or NUL-terminated;
 * `out_page` is NULL or writable.
 */
enum SynapCode synap_conversation_messages(const struct SynapClient *client,
                                           const char *conversation_id,
                                           uint32_t start,
                                           uint32_t limit,
                                           struct SynapMessagePage **out_page);

/**
 * Frees a page and the messages it lent. NULL is ignored.
 *
 * # Safety
 * `page` is NULL or a live handle, freed exactly once.
 */
void synap_message_page_free(struct SynapMessagePage *page);

/**
 * How many messages the page holds; 0 if `page` is NULL.
 *
 * # Safety
 * `page` is NULL or a live handle.
 */
size_t synap_message_page_count(const struct SynapMessagePage *page);

/**
 * Message `index` of the page, lent by it; NULL past the end.
 *
 * # Safety
 * `page` is NULL or a live handle.
 */
const struct SynapConversationMessage *synap_message_page_message(const struct SynapMessagePage *page,
                                                                  size_t index);

/**
 * The message's place in the conversation, from 1. Returns true and writes
 * `*out` when present; false, leaving `*out` alone, when absent or a pointer
 * is NULL.
 *
 * # Safety
 * `message` is NULL or lent by a live page; `out` is NULL or writable.
 */
bool synap_conversation_message_position(const struct SynapConversationMessage *message,
                                         int64_t *out);

/**
 * Who spoke: `user` or `assistant`. Valid as long as its page.
 *
 * # Safety
 * `message` is NULL or lent by a live page.
 */
const char *synap_conversation_message_role(const struct SynapConversationMessage *message);

/**
 * What was said. Valid as long as its page.
 *
 * # Safety
 * `message` is NULL or lent by a live page.
 */
const char *synap_conversation_message_content(const struct SynapConversationMessage *message);

/**
 * When, Unix microseconds UTC. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `message` is NULL or lent by a live page; `out` is NULL or writable.
 */
bool synap_conversation_message_timestamp_us(const struct SynapConversationMessage *message,
                                             int64_t *out);

/**
 * The message's id. Valid as long as its page.
 *
 * # Safety
 * `message` is NULL or lent by a live page.
 */
const char *synap_conversation_message_id(const struct SynapConversationMessage *message);

/**
 * Makes compact options with the defaults: the service's strategy and size, no
 * forcing. Returns NULL only if memory runs out. Free with
 * `synap_compact_options_free()`.
 */
struct SynapCompactOptions *synap_compact_options_new(void);

/**
 * Frees compact options. NULL is ignored.
 *
 * # Safety
 * `options` is NULL or a live handle, freed exactly once.
 */
void synap_compact_options_free(struct SynapCompactOptions *options);

/**
 * Sets the strategy: `aggressive`, `balanced`, `conservative` or `adaptive`;
 * NULL or `""` means the service's choice.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `options` is NULL or a live handle; `strategy` NULL or NUL-terminated.
 */
enum SynapCode synap_compact_options_set_strategy(struct SynapCompactOptions *options,
                                                  const char *strategy);

/**
 * Sets the size to compact to, in tokens; 0 means the service's choice.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_compact_options_set_target_tokens(struct SynapCompactOptions *options,
                                                       uint32_t tokens);

/**
 * Compacts even when the service thinks it needless (default false).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * the value is refused (the handle is then unchanged).
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_compact_options_set_force(struct SynapCompactOptions *options, bool force);

/**
 * Starts compacting a conversation (`POST /v1/conversations/compact`): a
 * job that ends with a summary and a cut-off. Follow it with
 * `synap_conversation_compaction_status()`, then read
 * `synap_conversation_compacted()`.
 *
 * - `conversation_id`: a UUID.
 * - `options`: NULL for the defaults, else from `synap_compact_options_new()`.
 * - `out_compaction`: receives the compaction on `SYNAP_OK`; set to NULL
 *   on entry. Free it with `synap_compaction_free()`.
 *
 * One already running is `SYNAP_CONFLICT`. Not idempotent: resent only
 * when the failure proves it had no effect.
 *
 * # Safety
 * `client` and `options` are NULL or live handles; `conversation_id` is
 * NULL or NUL-terminated; `out_compaction` is NULL or writable.
 */
enum SynapCode synap_conversation_compact(const struct SynapClient *client,
                                          const char *conversation_id,
                                          const struct SynapCompactOptions *options,
                                          struct SynapCompaction **out_compaction);

/**
 * Frees a compaction. NULL is ignored.
 *
 * # Safety
 * `compaction` is NULL or a live handle, freed exactly once.
 */
void synap_compaction_free(struct SynapCompaction *compaction);

/**
 * The compaction's id. Owned by `compaction`.
 *
 * # Safety
 * `compaction` is NULL or a live handle.
 */
const char *synap_compaction_id(const struct SynapCompaction *compaction);

/**
 * The conversation. Owned by `compaction`.
 *
 * # Safety
 * `compaction` is NULL or a live handle.
 */
const char *synap_compaction_conversation_id(const struct SynapCompaction *compaction);

/**
 * Its status, e.g. `in_progress`. Owned by `compaction`.
 *
 * # Safety
 * `compaction` is NULL or a live handle.
 */
const char *synap_compaction_status(const struct SynapCompaction *compaction);

/**
 * What started it, e.g. `manual_api`. Owned by `compaction`.
 *
 * # Safety
 * `compaction` is NULL or a live handle.
 */
const char *synap_compaction_trigger_type(const struct SynapCompaction *compaction);

/**
 * When it started, Unix microseconds UTC. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compaction` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compaction_initiated_at_us(const struct SynapCompaction *compaction, int64_t *out);

/**
 * How long it should take, in seconds. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compaction` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compaction_estimated_completion_seconds(const struct SynapCompaction *compaction,
                                                   int64_t *out);

/**
 * The compaction it replaces. Owned by `compaction`.
 *
 * # Safety
 * `compaction` is NULL or a live handle.
 */
const char *synap_compaction_previous_id(const struct SynapCompaction *compaction);

/**
 * Makes compacted options with the defaults: format `structured`, the
 * latest version. Returns NULL only if memory runs out. Free with
 * `synap_compacted_options_free()`.
 */
struct SynapCompactedOptions *synap_compacted_options_new(void);

/**
 * Frees compacted options. NULL is ignored.
 *
 * # Safety
 * `options` is NULL or a live handle, freed exactly once.
 */
void synap_compacted_options_free(struct SynapCompactedOptions *options);

/**
 * Sets the format: `structured` (default), `narrative` or `injection`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL or
 * the format is not one of those.
 *
 * # Safety
 * `options` is NULL or a live handle; `format` is NULL or NUL-terminated.
 */
enum SynapCode synap_compacted_options_set_format(struct SynapCompactedOptions *options,
                                                  const char *format);

/**
 * Sets the version to read; 0 (the default) means the latest.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `options` is NULL.
 *
 * # Safety
 * `options` is NULL or a live handle.
 */
enum SynapCode synap_compacted_options_set_version(struct SynapCompactedOptions *options,
                                                   uint32_t version);

/**
 * A conversation's compacted state (`GET /v1/conversations/{id}/compacted`).
 *
 * - `conversation_id`: a UUID.
 * - `options`: NULL for the defaults, else from
 *   `synap_compacted_options_new()`.
 * - `out_compacted`: set to NULL on entry; on `SYNAP_OK` it receives the
 *   compacted state, or stays NULL when the conversation has not been
 *   compacted yet (the service's 404, which is "none yet", not an error).
 *   Free it with `synap_compacted_free()`.
 *
 * Retried as reads are.
 *
 * # Safety
 * `client` and `options` are NULL or live handles; `conversation_id` is
 * NULL or NUL-terminated; `out_compacted` is NULL or writable.
 */
enum SynapCode synap_conversation_compacted(const struct SynapClient *client,
                                            const char *conversation_id,
                                            const struct SynapCompactedOptions *options,
                                            struct SynapCompacted **out_compacted);

/**
 * Frees a compacted state. NULL is ignored.
 *
 * # Safety
 * `compacted` is NULL or a live handle, freed exactly once.
 */
void synap_compacted_free(struct SynapCompacted *compacted);

/**
 * The compaction's id. Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_id(const struct SynapCompacted *compacted);

/**
 * The compacted history, in the format asked for. Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_formatted_context(const struct SynapCompacted *compacted);

/**
 * Tokens before compaction. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compacted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compacted_original_token_count(const struct SynapCompacted *compacted, int64_t *out);

/**
 * Tokens after. Returns true and writes `*out` when present; false, leaving
 * `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compacted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compacted_compacted_token_count(const struct SynapCompacted *compacted, int64_t *out);

/**
 * How much it shrank the history. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compacted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compacted_compression_ratio(const struct SynapCompacted *compacted, double *out);

/**
 * The strategy applied (`balanced`, `adaptive`, ...). Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_strategy_used(const struct SynapCompacted *compacted);

/**
 * The compaction's validation score. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compacted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compacted_validation_score(const struct SynapCompacted *compacted, double *out);

/**
 * Whether it passed validation. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compacted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compacted_validation_passed(const struct SynapCompacted *compacted, bool *out);

/**
 * Whether the service doubts its quality. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compacted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compacted_quality_warning(const struct SynapCompacted *compacted, bool *out);

/**
 * `facts` as JSON text. Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_facts_json(const struct SynapCompacted *compacted);

/**
 * `decisions` as JSON text. Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_decisions_json(const struct SynapCompacted *compacted);

/**
 * `preferences` as JSON text. Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_preferences_json(const struct SynapCompacted *compacted);

/**
 * `current_state` as JSON text. Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_current_state_json(const struct SynapCompacted *compacted);

/**
 * How long it may be cached, in seconds. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `compacted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compacted_ttl_seconds(const struct SynapCompacted *compacted, int64_t *out);

/**
 * The response body as JSON text. Owned by `compacted`.
 *
 * # Safety
 * `compacted` is NULL or a live handle.
 */
const char *synap_compacted_raw_json(const struct SynapCompacted *compacted);

/**
 * Where a conversation's compaction stands
 * (`GET /v1/conversations/{id}/compaction/status`).
 *
 * - `conversation_id`: a UUID.
 * - `out_status`: receives the status on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_compaction_status_free()`.
 *
 * Retried as reads are.
 *
 * # Safety
 * `client` is NULL or live; `conversation_id` is NULL or NUL-terminated;
 * `out_status` is NULL or writable.
 */
enum SynapCode synap_conversation_compaction_status(const struct SynapClient *client,
                                                    const char *conversation_id,
                                                    struct SynapCompactionStatus **out_status);

/**
 * Frees a compaction status. NULL is ignored.
 *
 * # Safety
 * `status` is NULL or a live handle, freed exactly once.
 */
void synap_compaction_status_free(struct SynapCompactionStatus *status);

/**
 * The conversation. Owned by `status`.
 *
 * # Safety
 * `status` is NULL or a live handle.
 */
const char *synap_compaction_status_conversation_id(const struct SynapCompactionStatus *status);

/**
 * The status as the service sent it (`completed`, `in_progress`, ...). Owned
 * by `status`.
 *
 * # Safety
 * `status` is NULL or a live handle.
 */
const char *synap_compaction_status_state(const struct SynapCompactionStatus *status);

/**
 * The latest compaction's id. Owned by `status`.
 *
 * # Safety
 * `status` is NULL or a live handle.
 */
const char *synap_compaction_status_compaction_id(const struct SynapCompactionStatus *status);

/**
 * When it completed, Unix microseconds UTC. Returns true and writes `*out`
 * when present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `status` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compaction_status_completed_at_us(const struct SynapCompactionStatus *status,
                                             int64_t *out);

/**
 * How much it shrank the history. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `status` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compaction_status_compression_ratio(const struct SynapCompactionStatus *status,
                                               double *out);

/**
 * Its validation score. Returns true and writes `*out` when present; false,
 * leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `status` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compaction_status_validation_score(const struct SynapCompactionStatus *status,
                                              double *out);

/**
 * How long a running one should still take, in seconds. Returns true and
 * writes `*out` when present; false, leaving `*out` alone, when absent or a
 * pointer is NULL.
 *
 * # Safety
 * `status` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compaction_status_estimated_completion_seconds(const struct SynapCompactionStatus *status,
                                                          int64_t *out);

/**
 * The latest version. Returns true and writes `*out` when present; false,
 * leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `status` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_compaction_status_latest_version(const struct SynapCompactionStatus *status,
                                            int64_t *out);

/**
 * What went wrong, for a failed one. Owned by `status`.
 *
 * # Safety
 * `status` is NULL or a live handle.
 */
const char *synap_compaction_status_error_message(const struct SynapCompactionStatus *status);

/**
 * Makes an empty update request. Its merge strategy is `smart-merge`. Returns
 * NULL only if memory runs out. Free with `synap_update_request_free()`.
 */
struct SynapUpdateRequest *synap_update_request_new(void);

/**
 * Frees a update request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_update_request_free(struct SynapUpdateRequest *request);

/**
 * Sets the new document to text (copied).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `text` NULL or NUL-terminated.
 */
enum SynapCode synap_update_request_set_document_text(struct SynapUpdateRequest *request,
                                                      const char *text);

/**
 * Sets the new document to a structured one: `json` must be a JSON object.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `json` NULL or NUL-terminated.
 */
enum SynapCode synap_update_request_set_document_json(struct SynapUpdateRequest *request,
                                                      const char *json);

/**
 * Sets how the new document combines with the memory: `replace`, `append` or
 * `smart-merge` (the default).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `strategy` NULL or NUL-terminated.
 */
enum SynapCode synap_update_request_set_merge_strategy(struct SynapUpdateRequest *request,
                                                       const char *strategy);

/**
 * Sets the document type: `ai-chat-conversation`, `document`, `email`, `pdf`,
 * `image`, `audio` or `meeting-transcript`. Sent only when set.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `document_type` NULL or NUL-terminated.
 */
enum SynapCode synap_update_request_set_document_type(struct SynapUpdateRequest *request,
                                                      const char *document_type);

/**
 * Sets metadata, a JSON object given as text. Sent only when set (`{}`
 * included).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `json` NULL or NUL-terminated.
 */
enum SynapCode synap_update_request_set_metadata_json(struct SynapUpdateRequest *request,
                                                      const char *json);

/**
 * Updates one memory (`PATCH /api/v1/memories/{memory_id}`) and returns it as
 * the service now holds it.
 *
 * - `memory_id`: a UUID in any case, with or without hyphens; checked before
 *   any request.
 * - `request`: from `synap_update_request_new()` with its document set; only
 *   read.
 * - `out_memory`: receives the memory on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_memory_free()`.
 *
 * Not idempotent (an `append` sent twice appends twice): resent only when the
 * failure proves it had no effect. Returns `SYNAP_OK`;
 * `SYNAP_INVALID_ARGUMENT` (NULL, a malformed id, no document);
 * `SYNAP_NOT_FOUND` (no such memory, or deleted); `SYNAP_INVALID_REQUEST`; or
 * the transport codes.
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `memory_id` is NULL or
 * NUL-terminated; `out_memory` is NULL or writable.
 */
enum SynapCode synap_memories_update(const struct SynapClient *client,
                                     const char *memory_id,
                                     const struct SynapUpdateRequest *request,
                                     struct SynapMemory **out_memory);

/**
 * Deletes one memory (`DELETE /api/v1/memories/{memory_id}`). Afterwards
 * `synap_memories_get()` and context fetches no longer return it.
 *
 * - `memory_id`: a UUID in any case, with or without hyphens; checked before
 *   any request.
 * - `out_deleted`: receives what the service deleted on `SYNAP_OK`; set to
 *   NULL on entry. Free it with `synap_deleted_memory_free()`.
 *
 * Idempotent: retried as reads are. An empty `204 No Content` answer counts
 * as the deletion of the memory asked for, with no time. Returns `SYNAP_OK`;
 * `SYNAP_INVALID_ARGUMENT`; `SYNAP_NOT_FOUND` (no such memory, or already
 * deleted); `SYNAP_PROTOCOL` (a 200 answer that does not name the memory); or
 * the transport codes.
 *
 * # Safety
 * `client` is NULL or a live handle; `memory_id` is NULL or NUL-terminated;
 * `out_deleted` is NULL or writable.
 */
enum SynapCode synap_memories_delete(const struct SynapClient *client,
                                     const char *memory_id,
                                     struct SynapDeletedMemory **out_deleted);

/**
 * Frees a deleted-memory answer. NULL is ignored.
 *
 * # Safety
 * `deleted` is NULL or a live handle, freed exactly once.
 */
void synap_deleted_memory_free(struct SynapDeletedMemory *deleted);

/**
 * The deleted memory's id, as the service gave it. NULL when absent. Owned by
 * `deleted`.
 *
 * # Safety
 * `deleted` is NULL or a live handle.
 */
const char *synap_deleted_memory_id(const struct SynapDeletedMemory *deleted);

/**
 * When it was deleted, Unix microseconds UTC. Returns true and writes `*out`
 * when present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `deleted` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_deleted_memory_deleted_at_us(const struct SynapDeletedMemory *deleted, int64_t *out);

/**
 * Makes an empty forget request. Its mode is `preview`. Returns NULL only if
 * memory runs out. Free with `synap_forget_request_free()`.
 */
struct SynapForgetRequest *synap_forget_request_new(void);

/**
 * Frees a forget request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_forget_request_free(struct SynapForgetRequest *request);

/**
 * Sets what to forget, in words: 3 to 500 characters (required).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `description` NULL or NUL-terminated.
 */
enum SynapCode synap_forget_request_set_description(struct SynapForgetRequest *request,
                                                    const char *description);

/**
 * Sets the user whose memories are searched (required). Refused if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
 */
enum SynapCode synap_forget_request_set_user_id(struct SynapForgetRequest *request,
                                                const char *user_id);

/**
 * Sets the customer, required with the user on a B2B instance. Refused if
 * empty; a call naming one on an instance `synap_client_whoami()` reported as
 * B2C fails with `SYNAP_INVALID_ARGUMENT` before any request.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
 */
enum SynapCode synap_forget_request_set_customer_id(struct SynapForgetRequest *request,
                                                    const char *customer_id);

/**
 * Adds (or replaces) one level of the scope path, e.g. `team` = `payments`,
 * for accounts with levels between customer and user. The level must not be
 * empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `level` and `value` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_forget_request_add_scope_level(struct SynapForgetRequest *request,
                                                    const char *level,
                                                    const char *value);

/**
 * Sets the mode: `preview` (the default: the matches are filed for a person to
 * approve and nothing is deleted) or `direct` (the matches are deleted at
 * once).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
 */
enum SynapCode synap_forget_request_set_mode(struct SynapForgetRequest *request, const char *mode);

/**
 * Forgets one user's memories that match a description (`POST
 * /api/v1/memories/forget`).
 *
 * - `request`: from `synap_forget_request_new()` with its description and user
 *   set; only read.
 * - `out_result`: receives the answer on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_forget_result_free()`.
 *
 * Read `synap_forget_result_outcome()`: `SYNAP_FORGET_PARTIAL` is not
 * `SYNAP_FORGET_DELETED`. Not idempotent: resent only when the failure proves
 * it had no effect (HTTP 503 means the matcher was unavailable and nothing was
 * deleted). Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
 * `SYNAP_INVALID_REQUEST` (e.g. not scoped to one user); `SYNAP_PROTOCOL` (an
 * answer without a status); or the transport codes.
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_result` is NULL or
 * writable.
 */
enum SynapCode synap_memories_forget(const struct SynapClient *client,
                                     const struct SynapForgetRequest *request,
                                     struct SynapForgetResult **out_result);

/**
 * Frees a forget answer. NULL is ignored.
 *
 * # Safety
 * `result` is NULL or a live handle, freed exactly once.
 */
void synap_forget_result_free(struct SynapForgetResult *result);

/**
 * The outcome the answer's status names; `SYNAP_FORGET_UNKNOWN` for a status
 * this version does not know, or if `result` is NULL.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
enum SynapForgetOutcome synap_forget_result_outcome(const struct SynapForgetResult *result);

/**
 * The status as the service sent it. NULL when absent. Owned by `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_status(const struct SynapForgetResult *result);

/**
 * The request filed for approval (preview mode). NULL when absent. Owned by
 * `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_request_id(const struct SynapForgetResult *result);

/**
 * How many memories matched. 0 if `result` is NULL.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
size_t synap_forget_result_candidate_count(const struct SynapForgetResult *result);

/**
 * Matched memory `index`'s id. NULL past the end or when absent. Owned by
 * `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_candidate_memory_id(const struct SynapForgetResult *result,
                                                    size_t index);

/**
 * Matched memory `index`'s text. NULL past the end or when absent. Owned by
 * `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_candidate_content(const struct SynapForgetResult *result,
                                                  size_t index);

/**
 * Matched memory `index`'s type (`fact`, `preference`, ...). NULL past the end
 * or when absent. Owned by `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_candidate_memory_type(const struct SynapForgetResult *result,
                                                      size_t index);

/**
 * Where matched memory `index` lives: `memory`, `chunk`, `sentence`, `entity`,
 * `triple`, `profile` or `candidate`. NULL past the end or when absent. Owned
 * by `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_candidate_store(const struct SynapForgetResult *result,
                                                size_t index);

/**
 * How many memories were deleted. 0 if `result` is NULL.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
size_t synap_forget_result_deleted_count(const struct SynapForgetResult *result);

/**
 * Deleted memory `index`'s id. NULL past the end or when absent. Owned by
 * `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_deleted_id(const struct SynapForgetResult *result, size_t index);

/**
 * How many matched memories could not be deleted. 0 if `result` is NULL.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
size_t synap_forget_result_failed_count(const struct SynapForgetResult *result);

/**
 * Undeleted memory `index`'s id. NULL past the end or when absent. Owned by
 * `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_failed_id(const struct SynapForgetResult *result, size_t index);

/**
 * How many stores may still hold the text. 0 if `result` is NULL.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
size_t synap_forget_result_still_present_count(const struct SynapForgetResult *result);

/**
 * Store `index` that may still hold the text. NULL past the end or when
 * absent. Owned by `result`.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
const char *synap_forget_result_still_present_in(const struct SynapForgetResult *result,
                                                 size_t index);

/**
 * Whether the service says the matcher may have missed some memories. False if
 * `result` is NULL.
 *
 * # Safety
 * `result` is NULL or a live handle.
 */
bool synap_forget_result_may_be_incomplete(const struct SynapForgetResult *result);

/**
 * Makes an empty upload request. Returns NULL only if memory runs out. Free
 * with `synap_upload_request_free()`.
 */
struct SynapUploadRequest *synap_upload_request_new(void);

/**
 * Frees a upload request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_upload_request_free(struct SynapUploadRequest *request);

/**
 * Sets the user the document belongs to (required). Refused if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_user_id(struct SynapUploadRequest *request,
                                                const char *user_id);

/**
 * Sets the customer on a B2B instance. Refused if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_customer_id(struct SynapUploadRequest *request,
                                                    const char *customer_id);

/**
 * Sets `b2c` or `b2b`. Unless set, `b2b` when a customer id is set and `b2c`
 * otherwise.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `relationship_type` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_upload_request_set_relationship_type(struct SynapUploadRequest *request,
                                                          const char *relationship_type);

/**
 * Sets the ingestion mode, `fast` or `long-range` (the default).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_mode(struct SynapUploadRequest *request, const char *mode);

/**
 * Sets the document type: `ai-chat-conversation`, `document`, `email`, `pdf`,
 * `image`, `audio` or `meeting-transcript`. Sent only when set.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `document_type` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_document_type(struct SynapUploadRequest *request,
                                                      const char *document_type);

/**
 * Sets metadata, a JSON object given as text; sent only when not empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `json` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_metadata_json(struct SynapUploadRequest *request,
                                                      const char *json);

/**
 * Adds (or replaces) one level of the scope path, e.g. `team` = `payments`,
 * for accounts with levels between customer and user. The level must not be
 * empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `level` and `value` NULL or
 * NUL-terminated.
 */
enum SynapCode synap_upload_request_add_scope_level(struct SynapUploadRequest *request,
                                                    const char *level,
                                                    const char *value);

/**
 * Sets the source to the file at `path`: bytes as the operating system takes
 * them (they need not be UTF-8). The file is opened when the upload is sent
 * and streamed as the request goes out, never read whole into memory.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `path` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_file(struct SynapUploadRequest *request, const char *path);

/**
 * Sets the source to `len` bytes at `data` (copied), sent as a file named by
 * `synap_upload_request_set_filename()` (`upload` unless set). `data` may be
 * NULL when `len` is 0.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `data` is NULL or points to `len`
 * readable bytes.
 */
enum SynapCode synap_upload_request_set_bytes(struct SynapUploadRequest *request,
                                              const uint8_t *data,
                                              size_t len);

/**
 * Sets the source to text (copied), sent with no file part.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `text` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_text(struct SynapUploadRequest *request, const char *text);

/**
 * Sets the file name the service is told. Unless set: the file's own name
 * (bytes that are not UTF-8 shown as U+FFFD), or `upload` for a buffer.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `filename` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_filename(struct SynapUploadRequest *request,
                                                 const char *filename);

/**
 * Sets the file's content type. Unless set, it is guessed from the file name
 * (`notes.pdf` is `application/pdf`), else `application/octet-stream`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `content_type` NULL or NUL-terminated.
 */
enum SynapCode synap_upload_request_set_content_type(struct SynapUploadRequest *request,
                                                     const char *content_type);

/**
 * Uploads a file, a buffer or text as one document (`POST
 * /api/v1/memories/upload`) and returns its ingestion job, to follow with
 * `synap_memories_status()` or `synap_memories_wait()`.
 *
 * - `request`: from `synap_upload_request_new()` with its user and a source
 *   set; only read.
 * - `out_ingestion`: receives the job on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_ingestion_free()`.
 *
 * A file or buffer goes as `multipart/form-data`, text alone as
 * `application/x-www-form-urlencoded`. A file is streamed: the whole request
 * must fit in the client's request timeout (raise it for large files). A file
 * that cannot be opened, is not a regular file, or shrinks, grows or fails to
 * read while it is sent ends the call with `SYNAP_FILE` before the body is
 * complete, so the service never receives a partial file as a whole one.
 *
 * Not idempotent: resent only when the failure proves it had no effect, the
 * file then read again from its start. Returns `SYNAP_OK`;
 * `SYNAP_INVALID_ARGUMENT`; `SYNAP_FILE`; `SYNAP_INVALID_REQUEST` (HTTP 413
 * included: too large); `SYNAP_INSUFFICIENT_CREDITS`; or the transport codes.
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_ingestion` is NULL or
 * writable.
 */
enum SynapCode synap_memories_upload(const struct SynapClient *client,
                                     const struct SynapUploadRequest *request,
                                     struct SynapIngestion **out_ingestion);

/**
 * Makes a deletion request of `scope` (a `SynapDeleteScope` value) whose own
 * id is `id`: the user id, the conversation id or the customer id.
 *
 * - `out_request`: receives the request on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_data_delete_request_free()`.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` for an unknown scope, a NULL
 * or empty id, or a NULL `out_request`.
 *
 * # Safety
 * `id` is NULL or NUL-terminated; `out_request` is NULL or writable.
 */
enum SynapCode synap_data_delete_request_new(int scope,
                                             const char *id,
                                             struct SynapDataDeleteRequest **out_request);

/**
 * Frees a deletion request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_data_delete_request_free(struct SynapDataDeleteRequest *request);

/**
 * Sets the customer the user or conversation belongs to (B2B instances).
 * Refused for the customer scope and if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `customer_id` NULL or NUL-terminated.
 */
enum SynapCode synap_data_delete_request_set_customer_id(struct SynapDataDeleteRequest *request,
                                                         const char *customer_id);

/**
 * Sets the user a conversation belongs to (conversation scope only). Refused
 * if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `user_id` NULL or NUL-terminated.
 */
enum SynapCode synap_data_delete_request_set_user_id(struct SynapDataDeleteRequest *request,
                                                     const char *user_id);

/**
 * Makes the request a dry run (true) or a deletion (false, the default). A dry
 * run deletes nothing and counts what would go; it needs no confirmation.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_data_delete_request_set_dry_run(struct SynapDataDeleteRequest *request,
                                                     bool dry_run);

/**
 * Confirms the deletion: `id` must repeat the scope's id given to
 * `synap_data_delete_request_new()`. A mismatch is refused with
 * `SYNAP_INVALID_ARGUMENT` when the request is sent, before any request.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `id` NULL or NUL-terminated.
 */
enum SynapCode synap_data_delete_request_set_confirm(struct SynapDataDeleteRequest *request,
                                                     const char *id);

/**
 * Deletes, permanently, everything stored about one user, one conversation or
 * one customer (`POST /v1/data/delete`).
 *
 * - `request`: from `synap_data_delete_request_new()`, confirmed unless a dry
 *   run; only read.
 * - `out_deletion`: receives the record on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_data_deletion_free()`.
 *
 * While the service answers that it wants the request again (`continue`), it
 * is sent again at once, up to 50 requests, as the reference SDK does. The
 * record may still be `SYNAP_DELETION_IN_PROGRESS`: pass
 * `synap_data_deletion_id()` to `synap_data_deletion_wait()`. Idempotent:
 * retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT` (NULL, no
 * or a mismatched confirmation, a customer id on a B2C instance);
 * `SYNAP_INVALID_REQUEST`; `SYNAP_AUTH` (the customer scope needs a management
 * key); `SYNAP_CONFLICT` (the id belongs to another customer); or the
 * transport codes.
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_deletion` is NULL or
 * writable.
 */
enum SynapCode synap_data_delete(const struct SynapClient *client,
                                 const struct SynapDataDeleteRequest *request,
                                 struct SynapDataDeletion **out_deletion);

/**
 * A deletion's audit record (`GET /v1/data/delete/{deletion_id}`).
 *
 * - `deletion_id`: as `synap_data_deletion_id()` gave it; white space around
 *   it is ignored, and it must not be empty.
 * - `out_deletion`: receives the record on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_data_deletion_free()`.
 *
 * Retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
 * `SYNAP_NOT_FOUND` (no such deletion); or the transport codes.
 *
 * # Safety
 * `client` is NULL or a live handle; `deletion_id` is NULL or NUL-terminated;
 * `out_deletion` is NULL or writable.
 */
enum SynapCode synap_data_deletion_status(const struct SynapClient *client,
                                          const char *deletion_id,
                                          struct SynapDataDeletion **out_deletion);

/**
 * Waits for a deletion to end: polls its record until it is complete, partial
 * or a dry run, and returns that record. A partial deletion is a record, not
 * an error: read `synap_data_deletion_state()`.
 *
 * - `deletion_id`: as for `synap_data_deletion_status()`.
 * - `options`: NULL for the defaults (300000 ms, a poll every 2000 ms), else
 *   from `synap_wait_options_new()`, as for `synap_memories_wait()`; only
 *   read. The progress callback is called after every poll;
 *   `synap_wait_progress_deletion()` gives the record just read (complete
 *   counts as `SYNAP_WAIT_COMPLETED`, partial as `SYNAP_WAIT_PARTIAL_SUCCESS`,
 *   anything else as `SYNAP_WAIT_PROCESSING`). Returning false stops the wait
 *   with `SYNAP_CANCELLED`, and so does triggering the cancel handle.
 * - `out_deletion`: receives the final record on `SYNAP_OK`; set to NULL on
 *   entry. Free it with `synap_data_deletion_free()`.
 *
 * A status error (after its retries) ends the wait with that error; the
 * timeout passing ends it with `SYNAP_TIMEOUT`. Blocks the calling thread.
 *
 * # Safety
 * `client` is NULL or a live handle; `deletion_id` is NULL or NUL-terminated;
 * `options` is NULL or a live handle whose callback and cancel handle keep
 * their setters' contracts; `out_deletion` is NULL or writable.
 */
enum SynapCode synap_data_deletion_wait(const struct SynapClient *client,
                                        const char *deletion_id,
                                        const struct SynapWaitOptions *options,
                                        struct SynapDataDeletion **out_deletion);

/**
 * Frees a deletion record. NULL is ignored, and so is one lent to a progress
 * callback (logged at `SYNAP_LOG_ERROR`).
 *
 * # Safety
 * `deletion` is NULL or a live handle, freed exactly once.
 */
void synap_data_deletion_free(struct SynapDataDeletion *deletion);

/**
 * The deletion's id, for `synap_data_deletion_status()` and `_wait()`; absent
 * on a dry run. NULL when absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_id(const struct SynapDataDeletion *deletion);

/**
 * Where the deletion stands; `SYNAP_DELETION_UNKNOWN` when the status is
 * absent or unknown, or if `deletion` is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
enum SynapDeletionState synap_data_deletion_state(const struct SynapDataDeletion *deletion);

/**
 * The status as the service sent it (`complete`, `partial`, `in_progress`,
 * `dry_run`, ...). NULL when absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_status_text(const struct SynapDataDeletion *deletion);

/**
 * The scope: `user`, `conversation` or `customer`. NULL when absent. Owned by
 * `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_scope(const struct SynapDataDeletion *deletion);

/**
 * Whether this was a dry run. False if `deletion` is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
bool synap_data_deletion_is_dry_run(const struct SynapDataDeletion *deletion);

/**
 * Whether the target existed. False if `deletion` is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
bool synap_data_deletion_found(const struct SynapDataDeletion *deletion);

/**
 * True only when the service says nothing of the target is left in any store.
 * False if `deletion` is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
bool synap_data_deletion_fully_removed(const struct SynapDataDeletion *deletion);

/**
 * Whether the memories made from a deleted conversation were kept. False if
 * `deletion` is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
bool synap_data_deletion_memories_kept(const struct SynapDataDeletion *deletion);

/**
 * How many stores the counts name. 0 if `deletion` is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
size_t synap_data_deletion_count_count(const struct SynapDataDeletion *deletion);

/**
 * The store count `index` is about (`memories`, `conversations`, ...). NULL
 * past the end or when absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_count_store(const struct SynapDataDeletion *deletion, size_t index);

/**
 * What count `index` says was removed (on a dry run: would be). Returns true
 * and writes `*out` when present; false, leaving `*out` alone, past the end,
 * when absent or if a pointer is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_data_deletion_count_value(const struct SynapDataDeletion *deletion,
                                     size_t index,
                                     int64_t *out);

/**
 * The count of the store named `store`, e.g. `memories`. Returns true and
 * writes `*out` when present; false, leaving `*out` alone, when absent or a
 * pointer is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle; `store` is NULL or NUL-terminated; `out` is NULL or writable.
 */
bool synap_data_deletion_count_of(const struct SynapDataDeletion *deletion,
                                  const char *store,
                                  int64_t *out);

/**
 * How many stores still hold data of the target. 0 if `deletion` is NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
size_t synap_data_deletion_still_present_count(const struct SynapDataDeletion *deletion);

/**
 * Store `index` that still holds data of the target. NULL past the end or when
 * absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_still_present_in(const struct SynapDataDeletion *deletion,
                                                 size_t index);

/**
 * How many kinds of data the deletion keeps on purpose. 0 if `deletion` is
 * NULL.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
size_t synap_data_deletion_kept_count(const struct SynapDataDeletion *deletion);

/**
 * Kept kind `index`. NULL past the end or when absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_kept(const struct SynapDataDeletion *deletion, size_t index);

/**
 * Per-store detail, as JSON text (an object). NULL when absent. Owned by
 * `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_stores_json(const struct SynapDataDeletion *deletion);

/**
 * A note from the service. NULL when absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_note(const struct SynapDataDeletion *deletion);

/**
 * The audit record's reference. NULL when absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_audit(const struct SynapDataDeletion *deletion);

/**
 * The whole record as the service sent it, keys this version does not read
 * included. NULL when absent. Owned by `deletion`.
 *
 * # Safety
 * `deletion` is NULL or a live handle.
 */
const char *synap_data_deletion_json(const struct SynapDataDeletion *deletion);

/**
 * The account's credit balance (`GET /v1/credits/balance`).
 *
 * - `out_balance`: receives the balance on `SYNAP_OK`; set to NULL on entry.
 *   Free it with `synap_credit_balance_free()`.
 *
 * Retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
 * `SYNAP_AUTH`; `SYNAP_PROTOCOL` (no balance in the answer); or the transport
 * codes. Unconfirmed wire format: the reference SDK has never sent this
 * request; libsynap sends and reads what that SDK's code describes (contract
 * part 2, §7.2).
 *
 * # Safety
 * `client` is NULL or a live handle; `out_balance` is NULL or writable.
 */
enum SynapCode synap_credits_balance(const struct SynapClient *client,
                                     struct SynapCreditBalance **out_balance);

/**
 * Frees a balance. NULL is ignored.
 *
 * # Safety
 * `balance` is NULL or a live handle, freed exactly once.
 */
void synap_credit_balance_free(struct SynapCreditBalance *balance);

/**
 * Credits left; 0 if `balance` is NULL.
 *
 * # Safety
 * `balance` is NULL or a live handle.
 */
double synap_credit_balance_credits(const struct SynapCreditBalance *balance);

/**
 * The account. NULL when absent. Owned by `balance`.
 *
 * # Safety
 * `balance` is NULL or a live handle.
 */
const char *synap_credit_balance_client_id(const struct SynapCreditBalance *balance);

/**
 * Whether the service warns that the balance is low. False if `balance` is
 * NULL.
 *
 * # Safety
 * `balance` is NULL or a live handle.
 */
bool synap_credit_balance_warning_low(const struct SynapCreditBalance *balance);

/**
 * How many sources of credits the balance lists. 0 if `balance` is NULL.
 *
 * # Safety
 * `balance` is NULL or a live handle.
 */
size_t synap_credit_balance_bucket_count(const struct SynapCreditBalance *balance);

/**
 * What granted bucket `index` (`grant`, `purchase`, ...). NULL past the end or
 * when absent. Owned by `balance`.
 *
 * # Safety
 * `balance` is NULL or a live handle.
 */
const char *synap_credit_balance_bucket_source_type(const struct SynapCreditBalance *balance,
                                                    size_t index);

/**
 * Credits left in bucket `index`. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, past the end, when absent or if a pointer is
 * NULL.
 *
 * # Safety
 * `balance` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_credit_balance_bucket_credits(const struct SynapCreditBalance *balance,
                                         size_t index,
                                         double *out);

/**
 * When bucket `index`'s credits expire, Unix microseconds UTC. Returns true
 * and writes `*out` when present; false, leaving `*out` alone, past the end,
 * when absent or if a pointer is NULL.
 *
 * # Safety
 * `balance` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_credit_balance_bucket_expires_at_us(const struct SynapCreditBalance *balance,
                                               size_t index,
                                               int64_t *out);

/**
 * Makes a ledger query for the first 100 rows of any type. Returns NULL only
 * if memory runs out. Free with `synap_ledger_query_free()`.
 */
struct SynapLedgerQuery *synap_ledger_query_new(void);

/**
 * Frees a ledger query. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_ledger_query_free(struct SynapLedgerQuery *request);

/**
 * Only rows of this entry type (e.g. `usage`, `redeem`); empty clears it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `entry_type` NULL or NUL-terminated.
 */
enum SynapCode synap_ledger_query_set_entry_type(struct SynapLedgerQuery *request,
                                                 const char *entry_type);

/**
 * Only rows at or after this time, Unix microseconds UTC (years 1 to 9999).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_ledger_query_set_from_us(struct SynapLedgerQuery *request, int64_t us);

/**
 * Only rows before this time, Unix microseconds UTC (years 1 to 9999).
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_ledger_query_set_to_us(struct SynapLedgerQuery *request, int64_t us);

/**
 * Rows per page, 1 to 500; 100 unless set.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_ledger_query_set_limit(struct SynapLedgerQuery *request, uint32_t limit);

/**
 * Rows to skip; 0 unless set.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_ledger_query_set_offset(struct SynapLedgerQuery *request, uint64_t offset);

/**
 * One page of the credit ledger, newest first (`GET /v1/credits/ledger`).
 *
 * - `query`: NULL for the first 100 rows, else from
 *   `synap_ledger_query_new()`; only read.
 * - `out_page`: receives the page on `SYNAP_OK`; set to NULL on entry. Free it
 *   with `synap_ledger_page_free()`.
 *
 * Retried as reads are. Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`;
 * `SYNAP_INVALID_REQUEST`; `SYNAP_AUTH`; or the transport codes. Unconfirmed
 * wire format: the reference SDK has never sent this request; libsynap sends
 * and reads what that SDK's code describes (contract part 2, §7.2).
 *
 * # Safety
 * `client` and `query` are NULL or live handles; `out_page` is NULL or
 * writable.
 */
enum SynapCode synap_credits_ledger(const struct SynapClient *client,
                                    const struct SynapLedgerQuery *query,
                                    struct SynapLedgerPage **out_page);

/**
 * Frees a ledger page. NULL is ignored.
 *
 * # Safety
 * `page` is NULL or a live handle, freed exactly once.
 */
void synap_ledger_page_free(struct SynapLedgerPage *page);

/**
 * How many rows the page holds. 0 if `page` is NULL.
 *
 * # Safety
 * `page` is NULL or a live handle.
 */
size_t synap_ledger_page_count(const struct SynapLedgerPage *page);

/**
 * Rows matching the query over all pages. Returns true and writes `*out` when
 * present; false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `page` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_ledger_page_total(const struct SynapLedgerPage *page, int64_t *out);

/**
 * The page size the service used. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `page` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_ledger_page_limit(const struct SynapLedgerPage *page, int64_t *out);

/**
 * The offset of this page. Returns true and writes `*out` when present; false,
 * leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `page` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_ledger_page_offset(const struct SynapLedgerPage *page, int64_t *out);

/**
 * Row `index`'s id. NULL past the end or when absent. Owned by `page`.
 *
 * # Safety
 * `page` is NULL or a live handle.
 */
const char *synap_ledger_page_entry_id(const struct SynapLedgerPage *page, size_t index);

/**
 * Row `index`'s entry type (`usage`, `redeem`, `grant`, ...). NULL past the
 * end or when absent. Owned by `page`.
 *
 * # Safety
 * `page` is NULL or a live handle.
 */
const char *synap_ledger_page_entry_type(const struct SynapLedgerPage *page, size_t index);

/**
 * Credits row `index` added (positive) or spent (negative). Returns true and
 * writes `*out` when present; false, leaving `*out` alone, past the end, when
 * absent or if a pointer is NULL.
 *
 * # Safety
 * `page` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_ledger_page_entry_delta(const struct SynapLedgerPage *page, size_t index, double *out);

/**
 * What row `index` metered. NULL past the end or when absent. Owned by `page`.
 *
 * # Safety
 * `page` is NULL or a live handle.
 */
const char *synap_ledger_page_entry_metric_type(const struct SynapLedgerPage *page, size_t index);

/**
 * Row `index`'s usage category. NULL past the end or when absent. Owned by
 * `page`.
 *
 * # Safety
 * `page` is NULL or a live handle.
 */
const char *synap_ledger_page_entry_category(const struct SynapLedgerPage *page, size_t index);

/**
 * When row `index` was written, Unix microseconds UTC. Returns true and writes
 * `*out` when present; false, leaving `*out` alone, past the end, when absent
 * or if a pointer is NULL.
 *
 * # Safety
 * `page` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_ledger_page_entry_created_at_us(const struct SynapLedgerPage *page,
                                           size_t index,
                                           int64_t *out);

/**
 * Makes an empty estimate request. Returns NULL only if memory runs out. Free
 * with `synap_estimate_request_free()`.
 */
struct SynapEstimateRequest *synap_estimate_request_new(void);

/**
 * Frees a estimate request. NULL is ignored.
 *
 * # Safety
 * `request` is NULL or a live handle, freed exactly once.
 */
void synap_estimate_request_free(struct SynapEstimateRequest *request);

/**
 * Sets what is metered, e.g. `llm_input_tokens` (required). Refused if empty.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `metric_type` NULL or NUL-terminated.
 */
enum SynapCode synap_estimate_request_set_metric_type(struct SynapEstimateRequest *request,
                                                      const char *metric_type);

/**
 * Sets how many units (required): finite and not negative.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_estimate_request_set_units(struct SynapEstimateRequest *request, double units);

/**
 * Sets how many items the units are spread over.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL.
 *
 * # Safety
 * `request` is NULL or a live handle.
 */
enum SynapCode synap_estimate_request_set_item_count(struct SynapEstimateRequest *request,
                                                     uint64_t count);

/**
 * Sets the route the usage would go to; empty clears it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `endpoint` NULL or NUL-terminated.
 */
enum SynapCode synap_estimate_request_set_endpoint(struct SynapEstimateRequest *request,
                                                   const char *endpoint);

/**
 * Sets the mode the usage would run in (e.g. `fast`); empty clears it.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `request` is NULL or the
 * value is refused (the handle is then unchanged).
 *
 * # Safety
 * `request` is NULL or a live handle; `mode` NULL or NUL-terminated.
 */
enum SynapCode synap_estimate_request_set_mode(struct SynapEstimateRequest *request,
                                               const char *mode);

/**
 * What a usage would cost, in credits (`POST /v1/credits/estimate`).
 *
 * - `request`: from `synap_estimate_request_new()` with its metric type and
 *   units set; only read.
 * - `out_credits`: receives the estimate on `SYNAP_OK`; left alone otherwise.
 *
 * Changes nothing, so it is retried as reads are. Returns `SYNAP_OK`;
 * `SYNAP_INVALID_ARGUMENT`; `SYNAP_INVALID_REQUEST`; `SYNAP_PROTOCOL` (no
 * estimate in the answer); or the transport codes. Unconfirmed wire format:
 * the reference SDK has never sent this request; libsynap sends and reads what
 * that SDK's code describes (contract part 2, §7.2).
 *
 * # Safety
 * `client` and `request` are NULL or live handles; `out_credits` is NULL or
 * writable.
 */
enum SynapCode synap_credits_estimate(const struct SynapClient *client,
                                      const struct SynapEstimateRequest *request,
                                      double *out_credits);

/**
 * Redeems a credit code (`POST /v1/credits/redeem`).
 *
 * - `code`: the code, e.g. `SYN-XXXX-XXXX-XXXX-X`; white space around it is
 *   ignored.
 * - `out_redemption`: receives what the code granted on `SYNAP_OK`; set to
 *   NULL on entry. Free it with `synap_redemption_free()`.
 *
 * Not idempotent: resent only when the failure proves it had no effect.
 * Returns `SYNAP_OK`; `SYNAP_INVALID_ARGUMENT`; `SYNAP_INVALID_REQUEST` (a
 * malformed or unknown code); `SYNAP_INSUFFICIENT_CREDITS` (a code already
 * redeemed, expired or exhausted); or the transport codes. Unconfirmed wire
 * format: the reference SDK has never sent this request; libsynap sends and
 * reads what that SDK's code describes (contract part 2, §7.2).
 *
 * # Safety
 * `client` is NULL or a live handle; `code` is NULL or NUL-terminated;
 * `out_redemption` is NULL or writable.
 */
enum SynapCode synap_credits_redeem(const struct SynapClient *client,
                                    const char *code,
                                    struct SynapRedemption **out_redemption);

/**
 * Frees a redemption. NULL is ignored.
 *
 * # Safety
 * `redemption` is NULL or a live handle, freed exactly once.
 */
void synap_redemption_free(struct SynapRedemption *redemption);

/**
 * The redemption's id. NULL when absent. Owned by `redemption`.
 *
 * # Safety
 * `redemption` is NULL or a live handle.
 */
const char *synap_redemption_id(const struct SynapRedemption *redemption);

/**
 * Credits the code granted. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `redemption` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_redemption_credits_granted(const struct SynapRedemption *redemption, double *out);

/**
 * The balance after the code. Returns true and writes `*out` when present;
 * false, leaving `*out` alone, when absent or a pointer is NULL.
 *
 * # Safety
 * `redemption` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_redemption_new_balance(const struct SynapRedemption *redemption, double *out);

/**
 * When the granted credits expire, Unix microseconds UTC. Returns true and
 * writes `*out` when present; false, leaving `*out` alone, when absent or a
 * pointer is NULL.
 *
 * # Safety
 * `redemption` is NULL or a live handle; `out` is NULL or writable.
 */
bool synap_redemption_expires_at_us(const struct SynapRedemption *redemption, int64_t *out);

/**
 * Installs the process-wide log callback: `callback` hears every message
 * at `level` or more severe, with `user_data` passed back untouched.
 * NULL `callback` turns logging off (the default). Replaces any callback
 * installed before; when this returns, the old one is not running and will
 * not be called again, so its `user_data` may be freed.
 *
 * Returns `SYNAP_OK`, or `SYNAP_INVALID_ARGUMENT` if `level` is not a
 * `SynapLogLevel` or this is called from inside a log callback.
 *
 * # Safety
 * `callback` is NULL or a function that may be called as `SynapLogFn`
 * documents, with `user_data`, from any thread, until it is replaced.
 */
enum SynapCode synap_set_log_callback(int32_t level, SynapLogFn callback, void *user_data);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* SYNAP_H */
