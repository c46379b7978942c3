/*
 * synap.hpp: a header-only C++17 interface over synap.h, the C API of
 * libsynap. Link with libsynap as for C (-lsynap, pkg-config synap, or the
 * CMake target synap::synap).
 *
 *   synap::Client client(api_key, synap::Options().base_url(url));
 *   synap::MemoryStatus status = client.status(id);
 *   std::cout << status.state_name() << ": " << status.memories_created() << "\n";
 *
 *   synap::Ingestion job = client.create(synap::CreateRequest().document_text(chat).document_id("chat-1"));
 *   synap::MemoryStatus done =
 *       client.wait(std::string(job.ingestion_id()), synap::WaitOptions().timeout(std::chrono::minutes(1)));
 *   for (std::string_view id : done.memory_ids()) std::cout << client.get(std::string(id)).content() << "\n";
 *
 *   synap::Context context = client.context_fetch(
 *       synap::ContextRequest(synap::ContextScope::user).user_id("u1").add_query("coffee").response_shape("ranked"));
 *   for (synap::ContextItem item : context.items(synap::ContextList::ranked)) std::cout << *item.text() << "\n";
 *
 *   client.record_message(synap::MessageRequest().conversation_id(conversation).role("user")
 *                             .content("Any update on my refund?").user_id("u1"));
 *   synap::MessagePage page = client.messages(conversation, 1, 100);
 *   for (synap::ConversationMessage m : page) std::cout << *m.role() << ": " << *m.content() << "\n";
 *
 *   client.update(memory_id, synap::UpdateRequest().document_text("Prefers SMS after 6pm").merge_strategy("replace"));
 *   synap::Ingestion upload = client.upload(synap::UploadRequest().user_id("u1").file("notes.pdf"));
 *   synap::DataDeletion gone = client.delete_data(
 *       synap::DataDeleteRequest(synap::DeleteScope::user, "u1").confirm("u1"));
 *   if (!gone.is_done()) gone = client.wait_deletion(std::string(*gone.deletion_id()));
 *
 * - Handles are RAII types: Options, CreateRequest, Client, MemoryStatus,
 *   Ingestion, Batch, Memory, Identity, WaitAllResults, Cancel,
 *   ContextRequest, Context, Profile, PromptOptions, PromptContext,
 *   MessageRequest, RecordedMessage, MessageBatch, TranscriptRequest,
 *   TranscriptIngestion, MessagePage, CompactOptions, Compaction,
 *   CompactedOptions, Compacted, CompactionStatus, UpdateRequest,
 *   DeletedMemory, ForgetRequest, ForgetResult, UploadRequest,
 *   DataDeleteRequest, DataDeletion, CreditBalance, LedgerQuery,
 *   LedgerPage, EstimateRequest and Redemption free their C handle when
 *   destroyed. They move; they do not copy.
 *   WaitOptions is a value: it copies, and is turned into libsynap's
 *   options at each wait.
 * - A failed call throws synap::Error, which carries the result code (its
 *   kind: SYNAP_NOT_FOUND, SYNAP_FILE for a local file an upload could not
 *   read, ...), the HTTP status, the correlation id and the server's
 *   Retry-After, read from the calling thread right after the call failed.
 * - The credits calls (credit_balance(), credit_ledger(),
 *   estimate_credits(), redeem_credits()) follow an unconfirmed wire
 *   format: the reference SDK has never sent them.
 * - Strings are std::string_view into the object they came from: valid
 *   while it lives (a view type's, while the object that lent it lives).
 *   Absent values are std::nullopt.
 * - A string passed in that holds a NUL byte, which C would read only up
 *   to that byte, is refused with synap::Error (SYNAP_INVALID_ARGUMENT)
 *   before any call to libsynap, leaving the object as it was.
 * - View types (StatusView, ContextItem, Turn, ConversationContext,
 *   Retrieval, ProfileView, RecordedMessageView, ConversationMessage,
 *   ForgetCandidate, DataDeletionView, CreditBucket, LedgerEntry, ...)
 *   and the ViewLists that yield them hold a pointer to their owner's C
 *   handle: valid while the owner lives, even after it is moved. Context,
 *   Profile, PromptContext, MessageBatch, MessagePage, ForgetResult,
 *   DataDeletion, CreditBalance and LedgerPage refuse to lend views while
 *   they are temporaries, so
 *   `for (auto item : client.context_fetch(r).items(l))` does not
 *   compile: keep the owner in a variable.
 * - Times are system_clock time points with microsecond precision (UTC).
 * - Threads: as in C. One Client may be used by any number of threads.
 * - synap::set_log_callback() sends libsynap's log lines to a std::function.
 */

#ifndef SYNAP_HPP
#define SYNAP_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synap.h"

namespace synap {

/** A point in time, UTC, to the microsecond; converts to system_clock::time_point. */
using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

/** An ingestion job's state (SynapIngestState). */
enum class State : int {
    unknown = SYNAP_INGEST_UNKNOWN,  ///< a state this version does not know: see state_name()
    queued = SYNAP_INGEST_QUEUED,
    processing = SYNAP_INGEST_PROCESSING,
    completed = SYNAP_INGEST_COMPLETED,
    failed = SYNAP_INGEST_FAILED,
    partial_success = SYNAP_INGEST_PARTIAL_SUCCESS,
};

/** The linked library's version, "MAJOR.MINOR.PATCH". */
inline std::string_view version() noexcept { return synap_version(); }

/** A failed libsynap call: what() is "SYNAP_<CODE>: <message>". */
class Error : public std::runtime_error {
public:
    /** An error with the given details; Error::last() reads them from libsynap. */
    Error(SynapCode code, const std::string& message, std::uint16_t http_status = 0,
          std::optional<std::string> correlation_id = std::nullopt,
          std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
        : std::runtime_error(std::string(synap_code_name(code)) + ": " + message),
          code_(code),
          message_(message),
          http_status_(http_status),
          correlation_id_(std::move(correlation_id)),
          retry_after_(retry_after) {}

    /** The calling thread's last failure, which returned `code`. Call it
     *  right after the failed call, before any other libsynap call. */
    static Error last(SynapCode code) {
        const char* message = synap_last_error_message();
        const char* correlation_id = synap_last_error_correlation_id();
        std::int64_t retry_after_ms = synap_last_error_retry_after_ms();
        return Error(code, message ? message : synap_code_name(code), synap_last_error_http_status(),
                     correlation_id ? std::optional<std::string>(correlation_id) : std::nullopt,
                     retry_after_ms >= 0 ? std::optional<std::chrono::milliseconds>(retry_after_ms)
                                         : std::nullopt);
    }

    /** The result code, never SYNAP_OK: what kind of failure it is, e.g.
     *  SYNAP_NOT_FOUND, or SYNAP_FILE for a local file an upload could not
     *  open or read (the message names the file and the reason). */
    SynapCode code() const noexcept { return code_; }
    /** The code's name, e.g. "SYNAP_NOT_FOUND". */
    std::string_view code_name() const noexcept { return synap_code_name(code_); }
    /** The message alone, without the code's name. */
    const std::string& message() const noexcept { return message_; }
    /** The HTTP status of the server's answer; 0 if there was none. */
    std::uint16_t http_status() const noexcept { return http_status_; }
    /** The X-Correlation-ID of the failed request, to quote to the service. */
    const std::optional<std::string>& correlation_id() const noexcept { return correlation_id_; }
    /** How long the server asked to wait before trying again, if it did. */
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

private:
    SynapCode code_;
    std::string message_;
    std::uint16_t http_status_;
    std::optional<std::string> correlation_id_;
    std::optional<std::chrono::milliseconds> retry_after_;
};

namespace detail {

inline void check(SynapCode code) {
    if (code != SYNAP_OK) {
        throw Error::last(code);
    }
}

/** A duration as the C API's milliseconds: rounded up, so a positive
 *  duration never becomes 0; out of range is refused as C would be. */
template <class Rep, class Period>
std::uint32_t to_ms(std::chrono::duration<Rep, Period> d, const char* what) {
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
    if (ms < 0 || ms > static_cast<decltype(ms)>(std::numeric_limits<std::uint32_t>::max())) {
        throw Error(SYNAP_INVALID_ARGUMENT, std::string(what) + " is out of range (0 to 2^32-1 ms)");
    }
    return static_cast<std::uint32_t>(ms);
}

/** `text` as a C string. C reads a string up to its first NUL byte, so
 *  one inside `text` would cut it short: refused as SYNAP_INVALID_ARGUMENT
 *  ("<what> contains a NUL byte") before any call to libsynap. */
inline const char* c_str(const std::string& text, std::string_view what) {
    if (text.find('\0') != std::string::npos) {
        throw Error(SYNAP_INVALID_ARGUMENT, std::string(what) + " contains a NUL byte");
    }
    return text.c_str();
}

/** A string from the C API; NULL (a moved-from handle) is "". */
inline std::string_view view(const char* text) noexcept { return text ? std::string_view(text) : std::string_view(); }

template <class T>
T* not_null(T* handle) {
    if (handle == nullptr) {
        throw std::bad_alloc();
    }
    return handle;
}

/** A string from the C API where NULL means absent. */
inline std::optional<std::string_view> optional_view(const char* text) noexcept {
    return text ? std::optional<std::string_view>(text) : std::nullopt;
}

inline TimePoint from_us(std::int64_t us) noexcept { return TimePoint(std::chrono::microseconds(us)); }

template <class Handle>
std::optional<TimePoint> optional_time(bool (*get)(const Handle*, std::int64_t*), const Handle* handle) noexcept {
    std::int64_t us = 0;
    if (!get(handle, &us)) {
        return std::nullopt;
    }
    return from_us(us);
}

}  // namespace detail

/** Settings for a Client. Each setter throws synap::Error if libsynap
 *  refuses the value, and returns *this for chaining. */
class Options {
public:
    /** The defaults (see synap_options_new()). */
    Options() : handle_(detail::not_null(synap_options_new())) {}
    ~Options() { synap_options_free(handle_); }
    Options(Options&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Options& operator=(Options&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Options(const Options&) = delete;
    Options& operator=(const Options&) = delete;

    /** The service's base URL, e.g. "http://127.0.0.1:8787". */
    Options& base_url(const std::string& url) {
        return set(synap_options_set_base_url(handle_, detail::c_str(url, "base_url")));
    }
    /** How long opening a connection may take; more than 0. */
    template <class Rep, class Period>
    Options& connect_timeout(std::chrono::duration<Rep, Period> d) {
        return set(synap_options_set_connect_timeout_ms(handle_, detail::to_ms(d, "connect timeout")));
    }
    /** How long one attempt of a request may take; more than 0. */
    template <class Rep, class Period>
    Options& request_timeout(std::chrono::duration<Rep, Period> d) {
        return set(synap_options_set_request_timeout_ms(handle_, detail::to_ms(d, "request timeout")));
    }
    /** The most one call may take, retries included; 0 for none. */
    template <class Rep, class Period>
    Options& deadline(std::chrono::duration<Rep, Period> d) {
        return set(synap_options_set_deadline_ms(handle_, detail::to_ms(d, "deadline")));
    }
    /** How many attempts a call makes at most (1 to 100). */
    Options& max_attempts(std::uint32_t attempts) { return set(synap_options_set_max_attempts(handle_, attempts)); }
    /** The backoff between attempts: base, doubling up to cap. */
    template <class Rep1, class Period1, class Rep2, class Period2>
    Options& retry_backoff(std::chrono::duration<Rep1, Period1> base, std::chrono::duration<Rep2, Period2> cap) {
        return set(synap_options_set_retry_backoff_ms(handle_, detail::to_ms(base, "backoff base"),
                                                      detail::to_ms(cap, "backoff cap")));
    }
    /** The largest response body accepted, in bytes. */
    Options& max_body_bytes(std::uint64_t bytes) { return set(synap_options_set_max_body_bytes(handle_, bytes)); }
    /** The proxy URL; "" for none (the default reads the environment). */
    Options& proxy(const std::string& url) {
        return set(synap_options_set_proxy(handle_, detail::c_str(url, "proxy")));
    }
    /** Trusts the CAs in this PEM file instead of the bundled roots. */
    Options& ca_file(const std::string& path) {
        return set(synap_options_set_ca_file(handle_, detail::c_str(path, "ca_file")));
    }
    /** Trusts the operating system's roots instead of the bundled ones. */
    Options& system_roots(bool on) { return set(synap_options_set_system_roots(handle_, on)); }
    /** Allows plain http to a host that is not loopback. */
    Options& allow_insecure_http(bool allow) { return set(synap_options_set_allow_insecure_http(handle_, allow)); }

    /** The C handle, still owned by these options. */
    const SynapOptions* get() const noexcept { return handle_; }

private:
    Options& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapOptions* handle_;
};

/** One document to ingest and how to file it, for Client::create() and
 *  Client::batch_create(). Set the document with document_text() or
 *  document_json(); everything else is optional. Each setter throws
 *  synap::Error (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value,
 *  before any request and leaving the request as it was, and returns *this
 *  for chaining. A call only reads the request, so it may be sent again. */
class CreateRequest {
public:
    /** No document yet; type ai-chat-conversation, mode long-range. */
    CreateRequest() : handle_(detail::not_null(synap_create_request_new())) {}
    ~CreateRequest() { synap_create_request_free(handle_); }
    CreateRequest(CreateRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    CreateRequest& operator=(CreateRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    CreateRequest(const CreateRequest&) = delete;
    CreateRequest& operator=(const CreateRequest&) = delete;

    /** The document as plain text: a conversation, an email body, ... */
    CreateRequest& document_text(const std::string& text) {
        return set(synap_create_request_set_document_text(handle_, detail::c_str(text, "document_text")));
    }
    /** The document as a JSON object given as text, e.g. {"subject":"Renewal","body":"..."}. */
    CreateRequest& document_json(const std::string& json) {
        return set(synap_create_request_set_document_json(handle_, detail::c_str(json, "document_json")));
    }
    /** ai-chat-conversation (the default), document, email, pdf, image,
     *  audio or meeting-transcript: what the service extracts depends on it. */
    CreateRequest& document_type(const std::string& type) {
        return set(synap_create_request_set_document_type(handle_, detail::c_str(type, "document_type")));
    }
    /** long-range (the default) or fast. */
    CreateRequest& mode(const std::string& mode) {
        return set(synap_create_request_set_mode(handle_, detail::c_str(mode, "mode")));
    }
    /** Your id for the document. The service refuses a second document with
     *  it (SYNAP_CONFLICT), which makes a create you are unsure about safe
     *  to repeat. */
    CreateRequest& document_id(const std::string& id) {
        return set(synap_create_request_set_document_id(handle_, detail::c_str(id, "document_id")));
    }
    /** When the document was written (years 1 to 9999), to the microsecond
     *  (rounded down); without it the service uses the time of ingestion. */
    template <class Duration>
    CreateRequest& document_created_at(std::chrono::time_point<std::chrono::system_clock, Duration> when) {
        auto us = std::chrono::floor<std::chrono::microseconds>(when).time_since_epoch().count();
        return set(synap_create_request_set_document_created_at_us(handle_, static_cast<std::int64_t>(us)));
    }
    /** The end user the memories belong to. */
    CreateRequest& user_id(const std::string& id) {
        return set(synap_create_request_set_user_id(handle_, detail::c_str(id, "user_id")));
    }
    /** The customer (organisation) the memories belong to. A B2C instance
     *  (Identity::is_b2c()) refuses it: the service does, and so does a
     *  client whose whoami() has answered, before any request. */
    CreateRequest& customer_id(const std::string& id) {
        return set(synap_create_request_set_customer_id(handle_, detail::c_str(id, "customer_id")));
    }
    /** Adds one level of the scope path, e.g. add_scope("team", "payments"),
     *  for accounts with levels between customer and user. */
    CreateRequest& add_scope(const std::string& level, const std::string& value) {
        return set(synap_create_request_add_scope(handle_, detail::c_str(level, "scope level"),
                                                   detail::c_str(value, "scope value")));
    }
    /** Free-form metadata, a JSON object given as text, e.g. {"channel":"web"}. */
    CreateRequest& metadata_json(const std::string& json) {
        return set(synap_create_request_set_metadata_json(handle_, detail::c_str(json, "metadata_json")));
    }

    /** The C handle, still owned by this request. */
    const SynapCreateRequest* get() const noexcept { return handle_; }

private:
    CreateRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapCreateRequest* handle_;
};

/** A borrowed view of a status: every accessor of MemoryStatus. What
 *  WaitProgress::status() and WaitAllResult::status() lend; valid while
 *  the object that lent it is. */
class StatusView {
public:
    /** A view of `status`, which must outlive it. */
    explicit StatusView(const SynapMemoryStatus* status) noexcept : status_(status) {}

    /** The job's ingestion id, canonical lowercase UUID. */
    std::string_view ingestion_id() const noexcept { return detail::view(synap_status_ingestion_id(status_)); }
    /** The id of the document the job ingests. */
    std::string_view document_id() const noexcept { return detail::view(synap_status_document_id(status_)); }
    /** The state; State::unknown for one this version does not know. */
    State state() const noexcept { return static_cast<State>(synap_status_state(status_)); }
    /** The state exactly as the server sent it, e.g. "partial_success". */
    std::string_view state_name() const noexcept { return detail::view(synap_status_state_name(status_)); }
    /** Whether the job will not change any more. */
    bool is_terminal() const noexcept { return synap_status_is_terminal(status_); }
    /** When the job was queued. */
    TimePoint queued_at() const noexcept {
        return TimePoint(std::chrono::microseconds(synap_status_queued_at_us(status_)));
    }
    /** When processing started, if it has. */
    std::optional<TimePoint> started_at() const noexcept {
        return detail::optional_time(synap_status_started_at_us, status_);
    }
    /** When processing finished, if it has. */
    std::optional<TimePoint> completed_at() const noexcept {
        return detail::optional_time(synap_status_completed_at_us, status_);
    }
    /** How many memories the job has produced so far. */
    std::uint64_t memories_created() const noexcept { return synap_status_memories_created(status_); }
    /** The memory ids, in the server's order. */
    std::vector<std::string_view> memory_ids() const {
        std::vector<std::string_view> ids(synap_status_memory_id_count(status_));
        for (std::size_t i = 0; i < ids.size(); i++) {
            ids[i] = detail::view(synap_status_memory_id(status_, i));
        }
        return ids;
    }
    /** What went wrong, for a failed or partially successful job. */
    std::optional<std::string_view> error_message() const noexcept {
        const char* message = synap_status_error_message(status_);
        return message ? std::optional<std::string_view>(message) : std::nullopt;
    }

    /** The C handle, not owned. */
    const SynapMemoryStatus* get() const noexcept { return status_; }

protected:
    const SynapMemoryStatus* status_;
};

/** One ingestion job's status, owned: the views it returns live as long as it. */
class MemoryStatus : public StatusView {
public:
    /** Takes ownership of a status from the C API. */
    explicit MemoryStatus(SynapMemoryStatus* owned) noexcept : StatusView(owned) {}
    ~MemoryStatus() { synap_status_free(const_cast<SynapMemoryStatus*>(status_)); }
    MemoryStatus(MemoryStatus&& other) noexcept : StatusView(std::exchange(other.status_, nullptr)) {}
    MemoryStatus& operator=(MemoryStatus&& other) noexcept {
        std::swap(status_, other.status_);
        return *this;
    }
    MemoryStatus(const MemoryStatus&) = delete;
    MemoryStatus& operator=(const MemoryStatus&) = delete;
};

/** A borrowed view of an ingestion: every accessor of Ingestion. What a
 *  Batch lends for each document; valid while that Batch lives. */
class IngestionView {
public:
    /** A view of `ingestion`, which must outlive it. */
    explicit IngestionView(const SynapIngestion* ingestion) noexcept : ingestion_(ingestion) {}

    /** The job's ingestion id, canonical lowercase UUID: what Client::wait()
     *  and Client::status() follow. */
    std::string_view ingestion_id() const noexcept { return detail::view(synap_ingestion_id(ingestion_)); }
    /** Your document id, or the one the service assigned. */
    std::string_view document_id() const noexcept { return detail::view(synap_ingestion_document_id(ingestion_)); }
    /** The state when accepted: State::queued, or State::failed for a
     *  batch item the service refused. */
    State state() const noexcept { return static_cast<State>(synap_ingestion_state(ingestion_)); }
    /** The state exactly as the server sent it. */
    std::string_view state_name() const noexcept { return detail::view(synap_ingestion_state_name(ingestion_)); }
    /** When the job was queued. */
    TimePoint queued_at() const noexcept { return detail::from_us(synap_ingestion_queued_at_us(ingestion_)); }
    /** Why the service refused a batch item; nullopt when it was queued. */
    std::optional<std::string_view> error_message() const noexcept {
        return detail::optional_view(synap_ingestion_error_message(ingestion_));
    }
    /** Whether the service queued the document: a batch may refuse some
     *  documents and queue the rest. */
    bool accepted() const noexcept { return ingestion_ != nullptr && !error_message(); }
    /** A refused batch item's reason as a synap::Error with
     *  SYNAP_INVALID_REQUEST (a batch gives no code per document), to throw
     *  or report like a failed call; nullopt when the document was queued. */
    std::optional<Error> error() const {
        std::optional<std::string_view> message = error_message();
        if (!message) {
            return std::nullopt;
        }
        return Error(SYNAP_INVALID_REQUEST, std::string(*message));
    }

    /** The C handle, not owned. */
    const SynapIngestion* get() const noexcept { return ingestion_; }

protected:
    const SynapIngestion* ingestion_;
};

/** A job Client::create() queued, owned: its views live as long as it. */
class Ingestion : public IngestionView {
public:
    /** Takes ownership of an ingestion from synap_memories_create(). */
    explicit Ingestion(SynapIngestion* owned) noexcept : IngestionView(owned) {}
    ~Ingestion() { synap_ingestion_free(const_cast<SynapIngestion*>(ingestion_)); }
    Ingestion(Ingestion&& other) noexcept : IngestionView(std::exchange(other.ingestion_, nullptr)) {}
    Ingestion& operator=(Ingestion&& other) noexcept {
        std::swap(ingestion_, other.ingestion_);
        return *this;
    }
    Ingestion(const Ingestion&) = delete;
    Ingestion& operator=(const Ingestion&) = delete;
};

/** The answer to Client::batch_create(): counts and one result per document
 *  sent, in the order sent. Owns the results it lends. */
class Batch {
public:
    /** Takes ownership of a batch from the C API. */
    explicit Batch(SynapBatch* owned) noexcept : handle_(owned) {}
    ~Batch() { synap_batch_free(handle_); }
    Batch(Batch&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Batch& operator=(Batch&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;

    /** The batch's id (UUID), to quote to the service. */
    std::string_view batch_id() const noexcept { return detail::view(synap_batch_id(handle_)); }
    /** How many documents were sent. */
    std::uint64_t total() const noexcept { return count(0); }
    /** How many the service queued. */
    std::uint64_t succeeded() const noexcept { return count(1); }
    /** How many it refused; their results say why. */
    std::uint64_t failed() const noexcept { return count(2); }
    /** How many results: one per document sent. */
    std::size_t size() const noexcept { return synap_batch_result_count(handle_); }
    /** Document `index`'s result (0-based, in the order sent); one past the
     *  end reads as empty, as a moved-from Ingestion does. */
    IngestionView operator[](std::size_t index) const noexcept {
        return IngestionView(synap_batch_result(handle_, index));
    }
    /** Document `index`'s result; throws std::out_of_range past the end. */
    IngestionView at(std::size_t index) const {
        if (index >= size()) {
            throw std::out_of_range("synap::Batch::at: index " + std::to_string(index) + " >= size " +
                                    std::to_string(size()));
        }
        return (*this)[index];
    }
    /** Every result, in the order sent. */
    std::vector<IngestionView> results() const {
        std::vector<IngestionView> all;
        all.reserve(size());
        for (std::size_t i = 0; i < size(); i++) {
            all.push_back((*this)[i]);
        }
        return all;
    }

    /** The C handle, still owned by this batch. */
    const SynapBatch* get() const noexcept { return handle_; }

private:
    std::uint64_t count(int which) const noexcept {
        std::uint64_t counts[3] = {0, 0, 0};
        synap_batch_counts(handle_, &counts[0], &counts[1], &counts[2]);
        return counts[which];
    }

    SynapBatch* handle_;
};

/** One memory, as Client::get() returned it, owned: the views it returns
 *  live as long as it. */
class Memory {
public:
    /** Takes ownership of a memory from the C API. */
    explicit Memory(SynapMemory* owned) noexcept : handle_(owned) {}
    ~Memory() { synap_memory_free(handle_); }
    Memory(Memory&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Memory& operator=(Memory&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;

    /** The memory's id, canonical lowercase UUID. */
    std::string_view memory_id() const noexcept { return detail::view(synap_memory_id(handle_)); }
    /** Its kind as sent: fact, preference, episode, emotion, temporal_event,
     *  or one the service adds later. */
    std::string_view type() const noexcept { return detail::view(synap_memory_type(handle_)); }
    /** What was remembered, as text. */
    std::string_view content() const noexcept { return detail::view(synap_memory_content(handle_)); }
    /** How sure the service is, usually 0.0 to 1.0. */
    double confidence() const noexcept { return synap_memory_confidence(handle_); }
    /** Its category, if it has one. */
    std::optional<std::string_view> category() const noexcept {
        return detail::optional_view(synap_memory_category(handle_));
    }
    /** Its subcategory, if it has one. */
    std::optional<std::string_view> subcategory() const noexcept {
        return detail::optional_view(synap_memory_subcategory(handle_));
    }
    /** When the memory was made. */
    TimePoint created_at() const noexcept { return detail::from_us(synap_memory_created_at_us(handle_)); }
    /** When it last changed, if it has. */
    std::optional<TimePoint> updated_at() const noexcept {
        return detail::optional_time(synap_memory_updated_at_us, handle_);
    }
    /** The document it came from, when known. */
    std::optional<std::string_view> source_document_id() const noexcept {
        return detail::optional_view(synap_memory_source_document_id(handle_));
    }

    /** The C handle, still owned by this memory. */
    const SynapMemory* get() const noexcept { return handle_; }

private:
    SynapMemory* handle_;
};

/** The account behind an API key, as Client::whoami() returned it. */
class Identity {
public:
    /** Takes ownership of an identity from the C API. */
    explicit Identity(SynapIdentity* owned) noexcept : handle_(owned) {}
    ~Identity() { synap_identity_free(handle_); }
    Identity(Identity&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Identity& operator=(Identity&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Identity(const Identity&) = delete;
    Identity& operator=(const Identity&) = delete;

    /** The client (account) id, if the service said. */
    std::optional<std::string_view> client_id() const noexcept {
        return detail::optional_view(synap_identity_client_id(handle_));
    }
    /** The instance id, if the service said. */
    std::optional<std::string_view> instance_id() const noexcept {
        return detail::optional_view(synap_identity_instance_id(handle_));
    }
    /** The instance's user-context isolation, e.g. "equals_customer". */
    std::optional<std::string_view> user_context_isolation() const noexcept {
        return detail::optional_view(synap_identity_user_context_isolation(handle_));
    }
    /** Whether each customer is one user here, so a create must not name a
     *  customer id. */
    bool is_b2c() const noexcept { return user_context_isolation() == std::string_view("equals_customer"); }

    /** The C handle, still owned by this identity. */
    const SynapIdentity* get() const noexcept { return handle_; }

private:
    SynapIdentity* handle_;
};

/** Stops a Client::wait() or Client::wait_all() from another thread. Once
 *  triggered it stays so: use a new one for the next wait. */
class Cancel {
public:
    /** A handle not yet triggered. */
    Cancel() : handle_(detail::not_null(synap_cancel_new())) {}
    ~Cancel() { synap_cancel_free(handle_); }
    Cancel(const Cancel&) = delete;
    Cancel& operator=(const Cancel&) = delete;

    /** Stops every wait watching this handle; safe from any thread. */
    void trigger() const noexcept { synap_cancel_trigger(handle_); }
    /** Whether trigger() was called. */
    bool triggered() const noexcept { return synap_cancel_is_triggered(handle_); }
    /** The C handle, still owned by this object. */
    const SynapCancel* get() const noexcept { return handle_; }

private:
    SynapCancel* handle_;
};

/** Where one job of a wait stands (SynapWaitState). */
enum class WaitState : int {
    pending = SYNAP_WAIT_PENDING,                  ///< not polled yet
    queued = SYNAP_WAIT_QUEUED,                    ///< last seen queued
    processing = SYNAP_WAIT_PROCESSING,            ///< last seen processing, or in a state this version does not know
    completed = SYNAP_WAIT_COMPLETED,              ///< finished: completed
    failed = SYNAP_WAIT_FAILED,                    ///< finished: failed
    partial_success = SYNAP_WAIT_PARTIAL_SUCCESS,  ///< finished: partial_success
    error = SYNAP_WAIT_ERROR,  ///< ended by an error: a malformed id, a status error, the timeout, a cancel
};

class DataDeletionView;

/** Where a wait stands, as its progress callback sees it. A borrowed view:
 *  valid during that call of the callback only. */
class WaitProgress {
public:
    /** A view of `progress`, which must outlive it. */
    explicit WaitProgress(const SynapWaitProgress* progress) noexcept : progress_(progress) {}

    /** How many jobs are in `state`. */
    std::size_t count(WaitState state) const noexcept {
        return synap_wait_progress_count(progress_, static_cast<int>(state));
    }
    /** How many jobs the wait follows: 1 for Client::wait(). */
    std::size_t total() const noexcept { return synap_wait_progress_total(progress_); }
    /** How many jobs will not change any more: completed, failed,
     *  partial_success or ended by an error. */
    std::size_t done() const noexcept {
        return count(WaitState::completed) + count(WaitState::failed) + count(WaitState::partial_success) +
               count(WaitState::error);
    }
    /** Client::wait(): the status just polled, valid during this call of
     *  the callback only. Client::wait_all() and wait_deletion(): nullopt. */
    std::optional<StatusView> status() const noexcept {
        const SynapMemoryStatus* status = synap_wait_progress_status(progress_);
        return status ? std::optional<StatusView>(StatusView(status)) : std::nullopt;
    }
    /** Client::wait_deletion(): the deletion record just polled, valid
     *  during this call of the callback only (a complete deletion counts
     *  as WaitState::completed, a partial one as partial_success, anything
     *  else as processing). The ingestion waits: nullopt. */
    std::optional<DataDeletionView> deletion() const noexcept;

    /** The C handle, not owned. */
    const SynapWaitProgress* get() const noexcept { return progress_; }

private:
    const SynapWaitProgress* progress_;
};

/** A wait's progress callback: true to go on, false to stop the wait. */
using WaitProgressFn = std::function<bool(const WaitProgress&)>;

namespace detail {

/** An owned SynapWaitOptions, made for one call. */
class WaitHandle {
public:
    WaitHandle() : handle_(not_null(synap_wait_options_new())) {}
    ~WaitHandle() { synap_wait_options_free(handle_); }
    WaitHandle(const WaitHandle&) = delete;
    WaitHandle& operator=(const WaitHandle&) = delete;

    SynapWaitOptions* get() const noexcept { return handle_; }

private:
    SynapWaitOptions* handle_;
};

/** One wait's progress callback. No exception may unwind through
 *  libsynap: the first one the callback throws is kept, the wait stops and
 *  the callback is not called again, and the wait rethrows it. */
struct ProgressCall {
    const WaitProgressFn& fn;
    std::exception_ptr thrown;

    static bool call(const SynapWaitProgress* progress, void* user_data) noexcept {
        auto* self = static_cast<ProgressCall*>(user_data);
        if (self->thrown) {
            return false;
        }
        try {
            return self->fn(WaitProgress(progress));
        } catch (...) {
            self->thrown = std::current_exception();
            return false;
        }
    }

    void rethrow() const {
        if (thrown) {
            std::rethrow_exception(thrown);
        }
    }
};

}  // namespace detail

/** How Client::wait() and Client::wait_all() wait: a value, copied freely;
 *  a wait only reads it. What is not set is libsynap's default: a timeout
 *  of 5 minutes, a poll interval of 2 s, 8 requests in flight, no progress
 *  callback, no cancel handle. Each setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, leaving the
 *  options as they were, and returns *this for chaining. */
class WaitOptions {
public:
    /** Every setting at libsynap's default. */
    WaitOptions() = default;

    /** The most the whole wait may take; more than 0. Then wait() throws
     *  SYNAP_TIMEOUT, and wait_all()'s unfinished jobs end with it. */
    template <class Rep, class Period>
    WaitOptions& timeout(std::chrono::duration<Rep, Period> d) {
        timeout_ms_ = refused_or(synap_wait_options_set_timeout_ms, detail::to_ms(d, "timeout"));
        return *this;
    }
    /** The pause between a job's answer and its next poll; more than 0. */
    template <class Rep, class Period>
    WaitOptions& poll_interval(std::chrono::duration<Rep, Period> d) {
        poll_interval_ms_ = refused_or(synap_wait_options_set_poll_interval_ms, detail::to_ms(d, "poll interval"));
        return *this;
    }
    /** How many status requests wait_all() may have in flight at once, 1 to
     *  64; wait() has one. */
    WaitOptions& max_in_flight(std::uint32_t n) {
        max_in_flight_ = refused_or(synap_wait_options_set_max_in_flight, n);
        return *this;
    }
    /** Called on the waiting thread: by wait() after every poll, by
     *  wait_all() once before any poll and then after every change.
     *  Returning false stops the wait (SYNAP_CANCELLED); so does an
     *  exception, which the wait then rethrows. Empty for none. */
    WaitOptions& progress(WaitProgressFn callback) {
        progress_ = std::move(callback);
        return *this;
    }
    /** A handle another thread may trigger to stop the wait
     *  (SYNAP_CANCELLED); it must outlive every wait using these options.
     *  nullptr for none. */
    WaitOptions& cancel(const Cancel* handle) noexcept {
        cancel_ = handle;
        return *this;
    }

private:
    friend class Client;

    /** `value` if libsynap takes it, else throws its refusal. */
    static std::uint32_t refused_or(SynapCode (*set)(SynapWaitOptions*, std::uint32_t), std::uint32_t value) {
        detail::WaitHandle probe;
        detail::check(set(probe.get(), value));
        return value;
    }

    /** These options as libsynap's, reporting progress to `call`. */
    void apply(const detail::WaitHandle& handle, detail::ProgressCall& call) const {
        SynapWaitOptions* options = handle.get();
        if (timeout_ms_) {
            detail::check(synap_wait_options_set_timeout_ms(options, *timeout_ms_));
        }
        if (poll_interval_ms_) {
            detail::check(synap_wait_options_set_poll_interval_ms(options, *poll_interval_ms_));
        }
        if (max_in_flight_) {
            detail::check(synap_wait_options_set_max_in_flight(options, *max_in_flight_));
        }
        if (progress_) {
            detail::check(synap_wait_options_set_progress(options, &detail::ProgressCall::call, &call));
        }
        if (cancel_) {
            detail::check(synap_wait_options_set_cancel(options, cancel_->get()));
        }
    }

    std::optional<std::uint32_t> timeout_ms_;
    std::optional<std::uint32_t> poll_interval_ms_;
    std::optional<std::uint32_t> max_in_flight_;
    WaitProgressFn progress_;
    const Cancel* cancel_ = nullptr;
};

/** One job's outcome in WaitAllResults: its terminal status, or the code
 *  and message of what ended it. Borrowed: valid while the results live. */
class WaitAllResult {
public:
    /** Job `index` of `results`, which must outlive it. */
    WaitAllResult(const SynapWaitAllResults* results, std::size_t index) noexcept
        : results_(results), index_(index) {}

    /** SYNAP_OK if the job reached a terminal state (a failed job is a
     *  status, not an error); else what ended it: SYNAP_TIMEOUT (still
     *  running at the deadline), SYNAP_CANCELLED, SYNAP_INVALID_ARGUMENT (a
     *  malformed id), or the status call's error, e.g. SYNAP_NOT_FOUND. */
    SynapCode code() const noexcept { return synap_wait_all_code(results_, index_); }
    /** Whether the job reached a terminal state, so status() has it. */
    bool has_status() const noexcept { return code() == SYNAP_OK; }
    /** The job's terminal status; nullopt if it ended with an error. */
    std::optional<StatusView> status() const noexcept {
        const SynapMemoryStatus* status = synap_wait_all_status(results_, index_);
        return status ? std::optional<StatusView>(StatusView(status)) : std::nullopt;
    }
    /** Why the job ended without a terminal status; nullopt if it has one. */
    std::optional<std::string_view> error_message() const noexcept {
        return detail::optional_view(synap_wait_all_error_message(results_, index_));
    }
    /** What ended the job as a synap::Error, to throw or report (without an
     *  HTTP status or correlation id); nullopt if it has a status. */
    std::optional<Error> error() const {
        SynapCode ended = code();
        if (ended == SYNAP_OK) {
            return std::nullopt;
        }
        return Error(ended, std::string(error_message().value_or(synap_code_name(ended))));
    }

private:
    const SynapWaitAllResults* results_;
    std::size_t index_;
};

/** The outcome of Client::wait_all(): one result per id, in the order
 *  given. Owns the statuses its results lend. */
class WaitAllResults {
public:
    /** Takes ownership of results from the C API. */
    explicit WaitAllResults(SynapWaitAllResults* owned) noexcept : handle_(owned) {}
    ~WaitAllResults() { synap_wait_all_free(handle_); }
    WaitAllResults(WaitAllResults&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    WaitAllResults& operator=(WaitAllResults&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    WaitAllResults(const WaitAllResults&) = delete;
    WaitAllResults& operator=(const WaitAllResults&) = delete;

    /** How many results: one per id passed. */
    std::size_t size() const noexcept { return synap_wait_all_count(handle_); }
    /** How many jobs ended in `state`. Nothing is left pending, queued or
     *  processing: jobs that did not finish count as WaitState::error. */
    std::size_t count_in(WaitState state) const noexcept {
        return synap_wait_all_count_in(handle_, static_cast<int>(state));
    }
    /** Job `index`'s result; past the end its code is SYNAP_INVALID_ARGUMENT. */
    WaitAllResult operator[](std::size_t index) const noexcept { return WaitAllResult(handle_, index); }
    /** Job `index`'s result; throws std::out_of_range past the end. */
    WaitAllResult at(std::size_t index) const {
        if (index >= size()) {
            throw std::out_of_range("synap::WaitAllResults::at: index " + std::to_string(index) + " >= size " +
                                    std::to_string(size()));
        }
        return (*this)[index];
    }

    /** The C handle, still owned by these results. */
    const SynapWaitAllResults* get() const noexcept { return handle_; }

private:
    SynapWaitAllResults* handle_;
};

/* ---- Context retrieval: what Synap remembers -------------------------- */

/** Whose memories a context fetch reads (SynapContextScope). */
enum class ContextScope : int {
    user = SYNAP_SCOPE_USER,                  ///< one end user's; needs a user id
    customer = SYNAP_SCOPE_CUSTOMER,          ///< one customer's (organisation's); needs a customer id
    client = SYNAP_SCOPE_CLIENT,              ///< the whole account's
    conversation = SYNAP_SCOPE_CONVERSATION,  ///< one conversation's; needs a conversation id
};

/** The lists of a Context (SynapContextList). */
enum class ContextList : int {
    facts = SYNAP_LIST_FACTS,
    preferences = SYNAP_LIST_PREFERENCES,
    episodes = SYNAP_LIST_EPISODES,
    emotions = SYNAP_LIST_EMOTIONS,
    temporal_events = SYNAP_LIST_TEMPORAL_EVENTS,
    ranked = SYNAP_LIST_RANKED,      ///< the ranked shape's items, best first across types
    excerpts = SYNAP_LIST_EXCERPTS,  ///< document excerpts (ranked shape)
};

namespace detail {

template <class Handle, class T>
std::optional<T> optional_value(bool (*get)(const Handle*, T*), const Handle* handle) noexcept {
    T value{};
    if (!get(handle, &value)) {
        return std::nullopt;
    }
    return value;
}

/** Strings `get(handle, i)` for i below `count(handle)`. */
template <class Handle>
std::vector<std::string_view> strings(std::size_t (*count)(const Handle*),
                                      const char* (*get)(const Handle*, std::size_t), const Handle* handle) {
    std::vector<std::string_view> all(count(handle));
    for (std::size_t i = 0; i < all.size(); i++) {
        all[i] = view(get(handle, i));
    }
    return all;
}

/** A random-access iterator over a ViewList: a copy of the list's source
 *  (the owner's C handle) and an index. Dereferencing makes the view. */
template <class Source>
class IndexIterator {
public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = typename Source::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = value_type;
    /** What operator-> returns: the view, held by value. */
    struct pointer {
        value_type value;
        const value_type* operator->() const noexcept { return &value; }
    };

    IndexIterator() = default;
    IndexIterator(Source source, std::size_t index) noexcept : source_(source), index_(index) {}

    reference operator*() const noexcept { return source_.at(index_); }
    pointer operator->() const noexcept { return pointer{**this}; }
    reference operator[](difference_type n) const noexcept { return source_.at(index_ + n); }

    IndexIterator& operator++() noexcept { return *this += 1; }
    IndexIterator operator++(int) noexcept { return std::exchange(*this, *this + 1); }
    IndexIterator& operator--() noexcept { return *this -= 1; }
    IndexIterator operator--(int) noexcept { return std::exchange(*this, *this - 1); }
    IndexIterator& operator+=(difference_type n) noexcept {
        index_ = static_cast<std::size_t>(static_cast<difference_type>(index_) + n);
        return *this;
    }
    IndexIterator& operator-=(difference_type n) noexcept { return *this += -n; }
    friend IndexIterator operator+(IndexIterator it, difference_type n) noexcept { return it += n; }
    friend IndexIterator operator+(difference_type n, IndexIterator it) noexcept { return it += n; }
    friend IndexIterator operator-(IndexIterator it, difference_type n) noexcept { return it -= n; }
    friend difference_type operator-(const IndexIterator& a, const IndexIterator& b) noexcept {
        return static_cast<difference_type>(a.index_) - static_cast<difference_type>(b.index_);
    }
    friend bool operator==(const IndexIterator& a, const IndexIterator& b) noexcept { return a.index_ == b.index_; }
    friend bool operator!=(const IndexIterator& a, const IndexIterator& b) noexcept { return a.index_ != b.index_; }
    friend bool operator<(const IndexIterator& a, const IndexIterator& b) noexcept { return a.index_ < b.index_; }
    friend bool operator>(const IndexIterator& a, const IndexIterator& b) noexcept { return a.index_ > b.index_; }
    friend bool operator<=(const IndexIterator& a, const IndexIterator& b) noexcept { return a.index_ <= b.index_; }
    friend bool operator>=(const IndexIterator& a, const IndexIterator& b) noexcept { return a.index_ >= b.index_; }

private:
    Source source_{};
    std::size_t index_ = 0;
};

}  // namespace detail

/** A list lent by an owned object (a Context, a Profile, a PromptContext):
 *  size(), operator[], at(), and begin()/end() for range-for and the
 *  standard algorithms. Each element is a view made on demand. The list,
 *  its iterators and its elements hold the owner's C handle, not a copy:
 *  valid while the owner lives (moving the owner keeps them valid). */
template <class Source>
class ViewList {
public:
    /** The view each element is. */
    using value_type = typename Source::value_type;
    /** An index or a count. */
    using size_type = std::size_t;
    /** A random-access iterator yielding value_type by value. */
    using iterator = detail::IndexIterator<Source>;
    /** The same iterator: the list is read-only. */
    using const_iterator = iterator;

    /** The list `source` describes. */
    explicit ViewList(Source source) noexcept : source_(source) {}

    /** How many elements. */
    std::size_t size() const noexcept { return source_.size(); }
    /** Whether there are none. */
    bool empty() const noexcept { return size() == 0; }
    /** Element `index`; past the end, a view that reads as empty. */
    value_type operator[](std::size_t index) const noexcept { return source_.at(index); }
    /** Element `index`; throws std::out_of_range past the end. */
    value_type at(std::size_t index) const {
        if (index >= size()) {
            throw std::out_of_range("synap::ViewList::at: index " + std::to_string(index) + " >= size " +
                                    std::to_string(size()));
        }
        return source_.at(index);
    }
    /** The first element. */
    iterator begin() const noexcept { return iterator(source_, 0); }
    /** One past the last element. */
    iterator end() const noexcept { return iterator(source_, size()); }

private:
    Source source_;
};

/** One remembered item of a Context: a view, valid while that Context
 *  lives. Every type names its fields differently on the wire; each item
 *  is read into one shape (README.md, "Context retrieval", has the table).
 *  Read tolerantly: an explicit null, and a time, number or text that does
 *  not read as its type, are nullopt; a score is kept as sent, even
 *  outside 0..1. */
class ContextItem {
public:
    /** A view of `item`, whose owner must outlive it. */
    explicit ContextItem(const SynapContextItem* item) noexcept : item_(item) {}

    /** The list it came from ("facts", "preferences", "episodes",
     *  "emotions", "temporal_events", "excerpts"); for a ranked item, its
     *  category as sent. */
    std::optional<std::string_view> kind() const noexcept {
        return detail::optional_view(synap_context_item_kind(item_));
    }
    /** The memory's id. */
    std::optional<std::string_view> id() const noexcept { return detail::optional_view(synap_context_item_id(item_)); }
    /** What was remembered (an episode's summary, an emotion's context). */
    std::optional<std::string_view> text() const noexcept {
        return detail::optional_view(synap_context_item_text(item_));
    }
    /** How sure or how strong, usually 0 to 1, kept as sent (a
     *  preference's strength, an episode's significance, an emotion's
     *  intensity, else the confidence). */
    std::optional<double> score() const noexcept { return detail::optional_value(synap_context_item_score, item_); }
    /** A preference's category, an emotion's type or a temporal event's
     *  temporal category. */
    std::optional<std::string_view> label() const noexcept {
        return detail::optional_view(synap_context_item_label(item_));
    }
    /** When it was extracted (an episode's occurred_at, an emotion's detected_at). */
    std::optional<TimePoint> time() const noexcept { return detail::optional_time(synap_context_item_time_us, item_); }
    /** Where it came from ("conversation", "chunks", ...). */
    std::optional<std::string_view> source() const noexcept {
        return detail::optional_view(synap_context_item_source(item_));
    }
    /** The start of the time window the memory is about. */
    std::optional<TimePoint> event_date() const noexcept {
        return detail::optional_time(synap_context_item_event_date_us, item_);
    }
    /** The end of that window. */
    std::optional<TimePoint> event_end() const noexcept {
        return detail::optional_time(synap_context_item_event_end_us, item_);
    }
    /** The day it was said. */
    std::optional<TimePoint> said_at() const noexcept {
        return detail::optional_time(synap_context_item_said_at_us, item_);
    }
    /** Until when it holds. */
    std::optional<TimePoint> valid_until() const noexcept {
        return detail::optional_time(synap_context_item_valid_until_us, item_);
    }
    /** How precise the window is ("day", "month", "approximate", ...). */
    std::optional<std::string_view> event_precision() const noexcept {
        return detail::optional_view(synap_context_item_event_precision(item_));
    }
    /** "perpetual", "temporal_fact", "episode", ... */
    std::optional<std::string_view> temporal_category() const noexcept {
        return detail::optional_view(synap_context_item_temporal_category(item_));
    }
    /** How sure the temporal reading is. */
    std::optional<double> temporal_confidence() const noexcept {
        return detail::optional_value(synap_context_item_temporal_confidence, item_);
    }
    /** The fetch's queries that found the item, in the order sent. */
    std::vector<std::string_view> matched_queries() const {
        return detail::strings(synap_context_item_matched_query_count, synap_context_item_matched_query, item_);
    }
    /** The quotes the memory rests on. */
    std::vector<std::string_view> source_evidence() const {
        return detail::strings(synap_context_item_source_evidence_count, synap_context_item_source_evidence, item_);
    }
    /** The participants an episode names. */
    std::vector<std::string_view> participants() const {
        return detail::strings(synap_context_item_participant_count, synap_context_item_participant, item_);
    }
    /** In the ranked shape, its rank (1 = best). */
    std::optional<std::int64_t> rank() const noexcept {
        return detail::optional_value(synap_context_item_rank, item_);
    }
    /** In the ranked shape, its rank score. */
    std::optional<double> rank_score() const noexcept {
        return detail::optional_value(synap_context_item_rank_score, item_);
    }
    /** Its metadata object as JSON text, unknown keys included. */
    std::optional<std::string_view> metadata_json() const noexcept {
        return detail::optional_view(synap_context_item_metadata_json(item_));
    }

    /** The C handle, lent by its Context. */
    const SynapContextItem* get() const noexcept { return item_; }

private:
    const SynapContextItem* item_;
};

/** One conversation turn: a view, valid while the Context or
 *  PromptContext that lent it lives. */
class Turn {
public:
    /** A view of `turn`, whose owner must outlive it. */
    explicit Turn(const SynapTurn* turn) noexcept : turn_(turn) {}

    /** Who spoke: "user", "assistant", ... */
    std::optional<std::string_view> role() const noexcept { return detail::optional_view(synap_turn_role(turn_)); }
    /** What was said. */
    std::optional<std::string_view> content() const noexcept {
        return detail::optional_view(synap_turn_content(turn_));
    }
    /** When. */
    std::optional<TimePoint> timestamp() const noexcept {
        return detail::optional_time(synap_turn_timestamp_us, turn_);
    }
    /** The message's id, where the service gives one. */
    std::optional<std::string_view> message_id() const noexcept {
        return detail::optional_view(synap_turn_message_id(turn_));
    }

    /** The C handle, lent by its owner. */
    const SynapTurn* get() const noexcept { return turn_; }

private:
    const SynapTurn* turn_;
};

namespace detail {

/** The items of one list of a context. */
struct ContextItems {
    using value_type = ContextItem;
    const SynapContext* context = nullptr;
    int list = 0;
    std::size_t size() const noexcept { return synap_context_count(context, list); }
    ContextItem at(std::size_t i) const noexcept { return ContextItem(synap_context_item(context, list, i)); }
};

/** The turns of a conversation context or of a prompt context. */
struct Turns {
    using value_type = Turn;
    const SynapConversationContext* conversation = nullptr;
    const SynapPromptContext* prompt = nullptr;
    std::size_t size() const noexcept {
        return conversation ? synap_conversation_context_turn_count(conversation)
                            : synap_prompt_context_turn_count(prompt);
    }
    Turn at(std::size_t i) const noexcept {
        return Turn(conversation ? synap_conversation_context_turn(conversation, i)
                                 : synap_prompt_context_turn(prompt, i));
    }
};

}  // namespace detail

/** The items of one list of a Context, best first. */
using ContextItemList = ViewList<detail::ContextItems>;
/** Conversation turns, oldest first. */
using TurnList = ViewList<detail::Turns>;

/** A conversation's state, as a context fetch returns it: a view, valid
 *  while its Context lives. */
class ConversationContext {
public:
    /** A view of `conversation`, whose owner must outlive it. */
    explicit ConversationContext(const SynapConversationContext* conversation) noexcept
        : conversation_(conversation) {}

    /** The conversation's id. */
    std::optional<std::string_view> conversation_id() const noexcept {
        return detail::optional_view(synap_conversation_context_id(conversation_));
    }
    /** The compaction narrative. */
    std::optional<std::string_view> summary() const noexcept {
        return detail::optional_view(synap_conversation_context_summary(conversation_));
    }
    /** The compaction the summary comes from. */
    std::optional<std::string_view> compaction_id() const noexcept {
        return detail::optional_view(synap_conversation_context_compaction_id(conversation_));
    }
    /** When it was compacted, as the service wrote it (not parsed). */
    std::optional<std::string_view> compacted_at() const noexcept {
        return detail::optional_view(synap_conversation_context_compacted_at(conversation_));
    }
    /** The prompt-ready text, when given. */
    std::optional<std::string_view> formatted_context() const noexcept {
        return detail::optional_view(synap_conversation_context_formatted_context(conversation_));
    }
    /** current_state as JSON text. */
    std::optional<std::string_view> current_state_json() const noexcept {
        return detail::optional_view(synap_conversation_context_current_state_json(conversation_));
    }
    /** key_extractions as JSON text. */
    std::optional<std::string_view> key_extractions_json() const noexcept {
        return detail::optional_view(synap_conversation_context_key_extractions_json(conversation_));
    }
    /** The turns after the compaction cut-off, oldest first. */
    TurnList turns() const noexcept { return TurnList(detail::Turns{conversation_, nullptr}); }

    /** The C handle, lent by its Context. */
    const SynapConversationContext* get() const noexcept { return conversation_; }

private:
    const SynapConversationContext* conversation_;
};

/** A context's retrieval block: how the service says "nothing came back
 *  because retrieval broke", as against "nothing relevant". A view, valid
 *  while its Context lives. */
class Retrieval {
public:
    /** A view of `retrieval`, whose owner must outlive it. */
    explicit Retrieval(const SynapRetrieval* retrieval) noexcept : retrieval_(retrieval) {}

    /** Whether the answer is incomplete because retrieval broke. */
    bool degraded() const noexcept { return synap_retrieval_degraded(retrieval_); }
    /** How much broke: "partial", "minimal" or "failed". */
    std::optional<std::string_view> level() const noexcept {
        return detail::optional_view(synap_retrieval_level(retrieval_));
    }
    /** Why: "timeout", "overloaded", "unavailable" or "internal". */
    std::optional<std::string_view> code() const noexcept {
        return detail::optional_view(synap_retrieval_code(retrieval_));
    }
    /** The service's warnings, as sent. */
    std::vector<std::string_view> warnings() const {
        return detail::strings(synap_retrieval_warning_count, synap_retrieval_warning, retrieval_);
    }

    /** The C handle, lent by its Context. */
    const SynapRetrieval* get() const noexcept { return retrieval_; }

private:
    const SynapRetrieval* retrieval_;
};

/** One conversation's summary, in summary mode: a view, valid while its
 *  Context lives. */
class ConversationSummary {
public:
    /** A view of `summary`, whose owner must outlive it. */
    explicit ConversationSummary(const SynapConversationSummary* summary) noexcept : summary_(summary) {}

    /** The conversation's id. */
    std::optional<std::string_view> conversation_id() const noexcept {
        return detail::optional_view(synap_conversation_summary_id(summary_));
    }
    /** Whether its summary is ready: "available", "pending" or "failed". */
    std::optional<std::string_view> status() const noexcept {
        return detail::optional_view(synap_conversation_summary_status(summary_));
    }
    /** The summary's prompt text. */
    std::optional<std::string_view> text() const noexcept {
        return detail::optional_view(synap_conversation_summary_text(summary_));
    }
    /** How many messages the conversation has. */
    std::optional<std::int64_t> message_count() const noexcept {
        return detail::optional_value(synap_conversation_summary_message_count, summary_);
    }
    /** When it started. */
    std::optional<TimePoint> started_at() const noexcept {
        return detail::optional_time(synap_conversation_summary_started_at_us, summary_);
    }
    /** When its last message came. */
    std::optional<TimePoint> last_message_at() const noexcept {
        return detail::optional_time(synap_conversation_summary_last_message_at_us, summary_);
    }
    /** The whole summary element as JSON text. */
    std::optional<std::string_view> json() const noexcept {
        return detail::optional_view(synap_conversation_summary_json(summary_));
    }

    /** The C handle, lent by its Context. */
    const SynapConversationSummary* get() const noexcept { return summary_; }

private:
    const SynapConversationSummary* summary_;
};

/** One attribute of a profile: a view, valid while the Profile (or the
 *  Context that lent the profile) lives. */
class ProfileAttribute {
public:
    /** Attribute `index` of `profile`, whose owner must outlive it. */
    ProfileAttribute(const SynapProfile* profile, std::size_t index) noexcept : profile_(profile), index_(index) {}

    /** Its name, e.g. "preferred_name". */
    std::optional<std::string_view> name() const noexcept {
        return detail::optional_view(synap_profile_attribute_name(profile_, index_));
    }
    /** Its value as JSON text: a string keeps its quotes. */
    std::optional<std::string_view> value_json() const noexcept {
        return detail::optional_view(synap_profile_attribute_value_json(profile_, index_));
    }
    /** The conversation it was learnt in. */
    std::optional<std::string_view> source_conversation_id() const noexcept {
        return detail::optional_view(synap_profile_attribute_source_conversation_id(profile_, index_));
    }
    /** How sure the service is of it. */
    std::optional<double> confidence() const noexcept {
        double value = 0.0;
        return synap_profile_attribute_confidence(profile_, index_, &value) ? std::optional<double>(value)
                                                                             : std::nullopt;
    }
    /** When it last changed. */
    std::optional<TimePoint> updated_at() const noexcept {
        std::int64_t us = 0;
        return synap_profile_attribute_updated_at_us(profile_, index_, &us)
                   ? std::optional<TimePoint>(detail::from_us(us))
                   : std::nullopt;
    }

private:
    const SynapProfile* profile_;
    std::size_t index_;
};

namespace detail {

/** The attributes of a profile. */
struct ProfileAttributes {
    using value_type = ProfileAttribute;
    const SynapProfile* profile = nullptr;
    std::size_t size() const noexcept { return synap_profile_attribute_count(profile); }
    ProfileAttribute at(std::size_t i) const noexcept { return ProfileAttribute(profile, i); }
};

/** The conversation summaries of a context. */
struct ConversationSummaries {
    using value_type = ConversationSummary;
    const SynapContext* context = nullptr;
    std::size_t size() const noexcept { return synap_context_conversation_count(context); }
    ConversationSummary at(std::size_t i) const noexcept {
        return ConversationSummary(synap_context_conversation_summary(context, i));
    }
};

}  // namespace detail

/** A profile's attributes, in the order sent. */
using ProfileAttributeList = ViewList<detail::ProfileAttributes>;
/** A context's conversation summaries (summary mode). */
using ConversationSummaryList = ViewList<detail::ConversationSummaries>;

/** A user's profile, borrowed: what Context::profile() lends, valid while
 *  that Context lives. Profile has the same accessors and owns its handle. */
class ProfileView {
public:
    /** A view of `profile`, whose owner must outlive it. */
    explicit ProfileView(const SynapProfile* profile) noexcept : profile_(profile) {}

    /** The free-text overview. */
    std::optional<std::string_view> overview() const noexcept {
        return detail::optional_view(synap_profile_overview(profile_));
    }
    /** The whole profile document as JSON text. */
    std::optional<std::string_view> json() const noexcept {
        return detail::optional_view(synap_profile_json(profile_));
    }
    /** The attributes, in the order sent. */
    ProfileAttributeList attributes() const noexcept {
        return ProfileAttributeList(detail::ProfileAttributes{profile_});
    }
    /** The first attribute called `name`, if there is one. */
    std::optional<ProfileAttribute> attribute(std::string_view name) const noexcept {
        for (ProfileAttribute a : attributes()) {
            if (a.name() == name) {
                return a;
            }
        }
        return std::nullopt;
    }

    /** The C handle, not owned. */
    const SynapProfile* get() const noexcept { return profile_; }

protected:
    const SynapProfile* profile_;
};

/** A user's profile, owned, as Client::user_profile() returned it. What
 *  it lends (strings, attributes) is valid while it lives; attributes()
 *  and attribute() are refused on a temporary, which would be destroyed
 *  while they are in use. */
class Profile : public ProfileView {
public:
    /** Takes ownership of a profile from synap_user_profile(). */
    explicit Profile(SynapProfile* owned) noexcept : ProfileView(owned) {}
    ~Profile() { synap_profile_free(const_cast<SynapProfile*>(profile_)); }
    Profile(Profile&& other) noexcept : ProfileView(std::exchange(other.profile_, nullptr)) {}
    Profile& operator=(Profile&& other) noexcept {
        std::swap(profile_, other.profile_);
        return *this;
    }
    Profile(const Profile&) = delete;
    Profile& operator=(const Profile&) = delete;

    /** The attributes, in the order sent: valid while this profile lives. */
    ProfileAttributeList attributes() const& noexcept { return ProfileView::attributes(); }
    /** Refused: the profile is a temporary. Keep it in a variable first. */
    ProfileAttributeList attributes() const&& = delete;
    /** The first attribute called `name`: valid while this profile lives. */
    std::optional<ProfileAttribute> attribute(std::string_view name) const& noexcept {
        return ProfileView::attribute(name);
    }
    /** Refused: the profile is a temporary. Keep it in a variable first. */
    std::optional<ProfileAttribute> attribute(std::string_view name) const&& = delete;
};

/** A context fetch for Client::context_fetch(): its scope and ids,
 *  queries, and how to rank and shape the answer. Each setter throws
 *  synap::Error (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value,
 *  before any request and leaving the request as it was, and returns *this
 *  for chaining. A fetch only reads the request, so it may be sent again. */
class ContextRequest {
public:
    /** A request on `scope` with the defaults: no ids, no query, 10
     *  results, every type, mode "fast", precision "high", shape "by_type".
     *  Throws synap::Error for a value that is not a ContextScope. */
    explicit ContextRequest(ContextScope scope) : handle_(synap_context_request_new(static_cast<int>(scope))) {
        if (handle_ == nullptr) {
            if (synap_last_error_message() == nullptr) {
                throw std::bad_alloc();
            }
            throw Error::last(SYNAP_INVALID_ARGUMENT);
        }
    }
    ~ContextRequest() { synap_context_request_free(handle_); }
    ContextRequest(ContextRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    ContextRequest& operator=(ContextRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    ContextRequest(const ContextRequest&) = delete;
    ContextRequest& operator=(const ContextRequest&) = delete;

    /** Moves the request to another scope; the ids set stay. Refused for a
     *  scope other than the user's while summary mode is on. */
    ContextRequest& scope(ContextScope scope) {
        return set(synap_context_request_set_scope(handle_, static_cast<int>(scope)));
    }
    /** The end user: the user scope's id, and a filter on the conversation
     *  scope. Not empty; any text (`/`, `?`, `#` included) reaches the
     *  service intact. */
    ContextRequest& user_id(const std::string& id) {
        return set(synap_context_request_set_user_id(handle_, detail::c_str(id, "user_id")));
    }
    /** The customer (organisation): the customer scope's id, and a user's
     *  tenant on a B2B instance. Not empty; a fetch naming one is refused
     *  once whoami() has reported a B2C instance. */
    ContextRequest& customer_id(const std::string& id) {
        return set(synap_context_request_set_customer_id(handle_, detail::c_str(id, "customer_id")));
    }
    /** The conversation: the conversation scope's id, and the current
     *  conversation on the other scopes. A UUID. */
    ContextRequest& conversation_id(const std::string& id) {
        return set(synap_context_request_set_conversation_id(handle_, detail::c_str(id, "conversation_id")));
    }
    /** Adds a search query. Without one, a conversation fetch answers with
     *  the conversation's state (source "conversation_state") and a user
     *  fetch with the user's profile when there is one (source "profile"). */
    ContextRequest& add_query(const std::string& query) {
        return set(synap_context_request_add_query(handle_, detail::c_str(query, "query")));
    }
    /** Removes every query. */
    ContextRequest& clear_queries() { return set(synap_context_request_clear_queries(handle_)); }
    /** How many memories at most, at least 1 (default 10). */
    ContextRequest& max_results(std::uint32_t n) { return set(synap_context_request_set_max_results(handle_, n)); }
    /** Adds a memory type to fetch: "facts", "preferences", "episodes",
     *  "emotions", "temporal_events" or "all"; none added means all. */
    ContextRequest& add_type(const std::string& type) {
        return set(synap_context_request_add_type(handle_, detail::c_str(type, "type")));
    }
    /** "fast" (the default) or "accurate". */
    ContextRequest& mode(const std::string& mode) {
        return set(synap_context_request_set_mode(handle_, detail::c_str(mode, "mode")));
    }
    /** "high" (the default) or "medium". */
    ContextRequest& precision_level(const std::string& level) {
        return set(synap_context_request_set_precision_level(handle_, detail::c_str(level, "precision_level")));
    }
    /** "by_type" (the default: the five typed lists) or "ranked"
     *  (ContextList::ranked, best first across types, plus the excerpts). */
    ContextRequest& response_shape(const std::string& shape) {
        return set(synap_context_request_set_response_shape(handle_, detail::c_str(shape, "response_shape")));
    }
    /** The day the queries are asked, as text the service reads
     *  ("2025-03-11", "2025/03/11 21:26"); "" clears it (now). */
    ContextRequest& query_date(const std::string& date) {
        return set(synap_context_request_set_query_date(handle_, detail::c_str(date, "query_date")));
    }
    /** How many memories each query may contribute; 0 (the default) for no bound. */
    ContextRequest& max_results_per_query(std::uint32_t n) {
        return set(synap_context_request_set_max_results_per_query(handle_, n));
    }
    /** Adds (or replaces) one level of the scope path, e.g.
     *  add_scope_level("team", "payments"). */
    ContextRequest& add_scope_level(const std::string& level, const std::string& value) {
        return set(synap_context_request_add_scope_level(handle_, detail::c_str(level, "scope level"),
                                                          detail::c_str(value, "scope value")));
    }
    /** Summary mode (user scope only): the answer holds the user's profile
     *  (when `include_profile`) and the summaries of the last
     *  `last_n_conversations` conversations (0 to 20) instead of memories. */
    ContextRequest& summary_mode(bool include_profile, std::uint32_t last_n_conversations) {
        return set(synap_context_request_set_summary_mode(handle_, include_profile, last_n_conversations));
    }

    /** The C handle, still owned by this request. */
    const SynapContextRequest* get() const noexcept { return handle_; }

private:
    ContextRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapContextRequest* handle_;
};

/** What Client::context_fetch() returned, owned: the memories (typed
 *  lists, ranked list, excerpts), the conversation state, the retrieval
 *  block, the profile and conversation summaries of summary mode, and the
 *  answer's metadata. Immutable; any thread may read it.
 *
 *  What it lends (lists, items, views, strings) holds its C handle, so it
 *  is valid while this context lives, moves included, and no longer. The
 *  calls that lend views are refused on a temporary context (a range-for
 *  over `client.context_fetch(r).items(...)` would read freed memory):
 *  keep the context in a variable first. */
class Context {
public:
    /** Takes ownership of a context from synap_context_fetch(). */
    explicit Context(SynapContext* owned) noexcept : handle_(owned) {}
    ~Context() { synap_context_free(handle_); }
    Context(Context&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Context& operator=(Context&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    /** The items of `list`, best first; empty for a list the answer did
     *  not have. */
    ContextItemList items(ContextList list) const& noexcept {
        return ContextItemList(detail::ContextItems{handle_, static_cast<int>(list)});
    }
    /** Refused: the context is a temporary. Keep it in a variable first. */
    ContextItemList items(ContextList list) const&& = delete;
    /** The conversation's state, when the service sent one (or a
     *  conversation fetch without a query read it). */
    std::optional<ConversationContext> conversation() const& noexcept {
        const SynapConversationContext* c = synap_context_conversation(handle_);
        return c ? std::optional<ConversationContext>(ConversationContext(c)) : std::nullopt;
    }
    /** Refused: the context is a temporary. Keep it in a variable first. */
    std::optional<ConversationContext> conversation() const&& = delete;
    /** The retrieval block; nullopt on a healthy fetch. */
    std::optional<Retrieval> retrieval() const& noexcept {
        const SynapRetrieval* r = synap_context_retrieval(handle_);
        return r ? std::optional<Retrieval>(Retrieval(r)) : std::nullopt;
    }
    /** Refused: the context is a temporary. Keep it in a variable first. */
    std::optional<Retrieval> retrieval() const&& = delete;
    /** The user's profile (summary mode, or a user fetch without a query). */
    std::optional<ProfileView> profile() const& noexcept {
        const SynapProfile* p = synap_context_profile(handle_);
        return p ? std::optional<ProfileView>(ProfileView(p)) : std::nullopt;
    }
    /** Refused: the context is a temporary. Keep it in a variable first. */
    std::optional<ProfileView> profile() const&& = delete;
    /** The conversation summaries of summary mode; empty otherwise. */
    ConversationSummaryList conversations() const& noexcept {
        return ConversationSummaryList(detail::ConversationSummaries{handle_});
    }
    /** Refused: the context is a temporary. Keep it in a variable first. */
    ConversationSummaryList conversations() const&& = delete;

    /** How long the answer may be cached (300 s when the service did not say). */
    std::chrono::seconds ttl() const noexcept { return std::chrono::seconds(synap_context_ttl_seconds(handle_)); }
    /** Where the answer came from: "cloud" (a fetch), "profile" or
     *  "conversation_state" (a fetch without a query). */
    std::string_view source() const noexcept { return detail::view(synap_context_source(handle_)); }
    /** The X-Correlation-ID of the request that answered. */
    std::optional<std::string_view> correlation_id() const noexcept {
        return detail::optional_view(synap_context_correlation_id(handle_));
    }
    /** When the answer was received. */
    TimePoint retrieved_at() const noexcept { return detail::from_us(synap_context_retrieved_at_us(handle_)); }
    /** The response body as JSON text, for what this version does not
     *  read; nullopt when no body was read (a profile answer). */
    std::optional<std::string_view> raw_json() const noexcept {
        return detail::optional_view(synap_context_raw_json(handle_));
    }

    /** The C handle, still owned by this context. */
    const SynapContext* get() const noexcept { return handle_; }

private:
    SynapContext* handle_;
};

/** How Client::prompt_context() renders. The setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, leaving the
 *  options as they were, and returns *this for chaining. */
class PromptOptions {
public:
    /** The defaults: style "structured". */
    PromptOptions() : handle_(detail::not_null(synap_prompt_options_new())) {}
    ~PromptOptions() { synap_prompt_options_free(handle_); }
    PromptOptions(PromptOptions&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    PromptOptions& operator=(PromptOptions&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    PromptOptions(const PromptOptions&) = delete;
    PromptOptions& operator=(const PromptOptions&) = delete;

    /** "structured" (the default), "narrative" or "bullet_points". */
    PromptOptions& style(const std::string& style) {
        detail::check(synap_prompt_options_set_style(handle_, detail::c_str(style, "style")));
        return *this;
    }

    /** The C handle, still owned by these options. */
    const SynapPromptOptions* get() const noexcept { return handle_; }

private:
    SynapPromptOptions* handle_;
};

/** A conversation's prompt context, owned, as Client::prompt_context()
 *  returned it: the compacted history plus every message after the
 *  cut-off (all of them before the first compaction), as one prompt-ready
 *  text and its parts. What it lends is valid while it lives; turns() is
 *  refused on a temporary. */
class PromptContext {
public:
    /** Takes ownership of a prompt context from the C API. */
    explicit PromptContext(SynapPromptContext* owned) noexcept : handle_(owned) {}
    ~PromptContext() { synap_prompt_context_free(handle_); }
    PromptContext(PromptContext&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    PromptContext& operator=(PromptContext&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    PromptContext(const PromptContext&) = delete;
    PromptContext& operator=(const PromptContext&) = delete;

    /** The prompt-ready text: the compaction block, then the recent messages. */
    std::optional<std::string_view> formatted_context() const noexcept {
        return detail::optional_view(synap_prompt_context_formatted_context(handle_));
    }
    /** Whether a compaction exists. */
    bool available() const noexcept { return synap_prompt_context_available(handle_); }
    /** Whether the compaction lags the conversation. */
    bool is_stale() const noexcept { return synap_prompt_context_is_stale(handle_); }
    /** Whether the service doubts the compaction's quality. */
    bool quality_warning() const noexcept { return synap_prompt_context_quality_warning(handle_); }
    /** How much the compaction shrank the history. */
    std::optional<double> compression_ratio() const noexcept {
        return detail::optional_value(synap_prompt_context_compression_ratio, handle_);
    }
    /** The compaction's validation score. */
    std::optional<double> validation_score() const noexcept {
        return detail::optional_value(synap_prompt_context_validation_score, handle_);
    }
    /** How old the compaction is. */
    std::optional<std::chrono::seconds> compaction_age() const noexcept {
        std::optional<std::int64_t> s = detail::optional_value(synap_prompt_context_compaction_age_seconds, handle_);
        return s ? std::optional<std::chrono::seconds>(*s) : std::nullopt;
    }
    /** How many messages came after the cut-off, as the service counts them. */
    std::int64_t recent_message_count() const noexcept { return synap_prompt_context_recent_message_count(handle_); }
    /** How many messages the compaction covers. */
    std::int64_t compacted_message_count() const noexcept {
        return synap_prompt_context_compacted_message_count(handle_);
    }
    /** How many messages the conversation has. */
    std::int64_t total_message_count() const noexcept { return synap_prompt_context_total_message_count(handle_); }
    /** The compaction block alone. */
    std::optional<std::string_view> context_block() const noexcept {
        return detail::optional_view(synap_prompt_context_context_block(handle_));
    }
    /** The compaction it comes from. */
    std::optional<std::string_view> compaction_id() const noexcept {
        return detail::optional_view(synap_prompt_context_compaction_id(handle_));
    }
    /** The recent messages, oldest first: valid while this lives. */
    TurnList turns() const& noexcept { return TurnList(detail::Turns{nullptr, handle_}); }
    /** Refused: the prompt context is a temporary. Keep it in a variable first. */
    TurnList turns() const&& = delete;
    /** The response body as JSON text. */
    std::optional<std::string_view> raw_json() const noexcept {
        return detail::optional_view(synap_prompt_context_raw_json(handle_));
    }

    /** The C handle, still owned by this prompt context. */
    const SynapPromptContext* get() const noexcept { return handle_; }

private:
    SynapPromptContext* handle_;
};

/* ---- Conversations: messages, transcripts, compaction ----------------- */

namespace detail {

/** A time point as Unix microseconds, rounded down. */
template <class Duration>
std::int64_t unix_us(std::chrono::time_point<std::chrono::system_clock, Duration> when) noexcept {
    return static_cast<std::int64_t>(
        std::chrono::floor<std::chrono::microseconds>(when).time_since_epoch().count());
}

/** A count of seconds from the C API, where false means absent. */
template <class Handle>
std::optional<std::chrono::seconds> optional_seconds(bool (*get)(const Handle*, std::int64_t*),
                                                     const Handle* handle) noexcept {
    std::optional<std::int64_t> s = optional_value(get, handle);
    return s ? std::optional<std::chrono::seconds>(*s) : std::nullopt;
}

}  // namespace detail

/** One message of a conversation, for Client::record_message() (set its
 *  conversation, role, content and user) or Client::record_messages() (the
 *  user may be left out). Each setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, before any
 *  request and leaving the request as it was, and returns *this for
 *  chaining. A call only reads the request. */
class MessageRequest {
public:
    /** An empty message: nothing set. */
    MessageRequest() : handle_(detail::not_null(synap_message_request_new())) {}
    ~MessageRequest() { synap_message_request_free(handle_); }
    MessageRequest(MessageRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    MessageRequest& operator=(MessageRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    MessageRequest(const MessageRequest&) = delete;
    MessageRequest& operator=(const MessageRequest&) = delete;

    /** The conversation: a UUID, in any case, with or without hyphens. */
    MessageRequest& conversation_id(const std::string& id) {
        return set(synap_message_request_set_conversation_id(handle_, detail::c_str(id, "conversation_id")));
    }
    /** Who spoke: "user" or "assistant". */
    MessageRequest& role(const std::string& role) {
        return set(synap_message_request_set_role(handle_, detail::c_str(role, "role")));
    }
    /** What was said; may be empty. */
    MessageRequest& content(const std::string& content) {
        return set(synap_message_request_set_content(handle_, detail::c_str(content, "content")));
    }
    /** The end user; needed to record the message alone. Not empty. */
    MessageRequest& user_id(const std::string& id) {
        return set(synap_message_request_set_user_id(handle_, detail::c_str(id, "user_id")));
    }
    /** The customer on a B2B instance. Not empty; a call naming one is
     *  refused once whoami() has reported a B2C instance. */
    MessageRequest& customer_id(const std::string& id) {
        return set(synap_message_request_set_customer_id(handle_, detail::c_str(id, "customer_id")));
    }
    /** The session; without one the service makes one. "" clears it. */
    MessageRequest& session_id(const std::string& id) {
        return set(synap_message_request_set_session_id(handle_, detail::c_str(id, "session_id")));
    }
    /** Free-form metadata, a JSON object given as text. */
    MessageRequest& metadata_json(const std::string& json) {
        return set(synap_message_request_set_metadata_json(handle_, detail::c_str(json, "metadata_json")));
    }
    /** Adds (or replaces) one level of the scope path, e.g.
     *  add_scope_level("team", "payments"). */
    MessageRequest& add_scope_level(const std::string& level, const std::string& value) {
        return set(synap_message_request_add_scope_level(handle_, detail::c_str(level, "scope level"),
                                                          detail::c_str(value, "scope value")));
    }
    /** The model the agent runs, sent in the metadata (the service sizes
     *  compaction to its window). "" clears it. */
    MessageRequest& agent_model(const std::string& model) {
        return set(synap_message_request_set_agent_model(handle_, detail::c_str(model, "agent_model")));
    }
    /** The agent's context window in tokens, sent in the metadata; 0 clears it. */
    MessageRequest& agent_context_window(std::uint32_t tokens) {
        return set(synap_message_request_set_agent_context_window(handle_, tokens));
    }

    /** The C handle, still owned by this request. */
    const SynapMessageRequest* get() const noexcept { return handle_; }

private:
    MessageRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapMessageRequest* handle_;
};

/** A recorded message, borrowed: what a MessageBatch lends for each stored
 *  message, valid while that batch lives. RecordedMessage has the same
 *  accessors and owns its handle. */
class RecordedMessageView {
public:
    /** A view of `message`, whose owner must outlive it. */
    explicit RecordedMessageView(const SynapRecordedMessage* message) noexcept : message_(message) {}

    /** The message's id, as the service gave it. */
    std::optional<std::string_view> message_id() const noexcept {
        return detail::optional_view(synap_recorded_message_id(message_));
    }
    /** The conversation. */
    std::optional<std::string_view> conversation_id() const noexcept {
        return detail::optional_view(synap_recorded_message_conversation_id(message_));
    }
    /** The session, given or made by the service. */
    std::optional<std::string_view> session_id() const noexcept {
        return detail::optional_view(synap_recorded_message_session_id(message_));
    }
    /** When the service recorded it. */
    std::optional<TimePoint> recorded_at() const noexcept {
        return detail::optional_time(synap_recorded_message_recorded_at_us, message_);
    }
    /** How many messages the conversation holds after this one. */
    std::optional<std::int64_t> conversation_message_count() const noexcept {
        return detail::optional_value(synap_recorded_message_conversation_message_count, message_);
    }

    /** The C handle, not owned. */
    const SynapRecordedMessage* get() const noexcept { return message_; }

protected:
    const SynapRecordedMessage* message_;
};

/** A message Client::record_message() recorded, owned. */
class RecordedMessage : public RecordedMessageView {
public:
    /** Takes ownership of a message from synap_conversation_record_message(). */
    explicit RecordedMessage(SynapRecordedMessage* owned) noexcept : RecordedMessageView(owned) {}
    ~RecordedMessage() { synap_recorded_message_free(const_cast<SynapRecordedMessage*>(message_)); }
    RecordedMessage(RecordedMessage&& other) noexcept : RecordedMessageView(std::exchange(other.message_, nullptr)) {}
    RecordedMessage& operator=(RecordedMessage&& other) noexcept {
        std::swap(message_, other.message_);
        return *this;
    }
    RecordedMessage(const RecordedMessage&) = delete;
    RecordedMessage& operator=(const RecordedMessage&) = delete;
};

/** A message of a batch the service refused: a view, valid while its
 *  MessageBatch lives. */
class MessageBatchError {
public:
    /** Error row `index` of `batch`, whose owner must outlive it. */
    MessageBatchError(const SynapMessageBatch* batch, std::size_t index) noexcept : batch_(batch), index_(index) {}

    /** The refused message's position in the batch sent, from 0, when the
     *  service said. */
    std::optional<std::int64_t> index() const noexcept {
        std::int64_t value = 0;
        return synap_message_batch_error_index(batch_, index_, &value) ? std::optional<std::int64_t>(value)
                                                                        : std::nullopt;
    }
    /** Why, as the service said it. */
    std::optional<std::string_view> message() const noexcept {
        return detail::optional_view(synap_message_batch_error_message(batch_, index_));
    }
    /** The refusal as a synap::Error with SYNAP_INVALID_REQUEST (a batch
     *  gives no code per message), to throw or report like a failed call. */
    Error error() const { return Error(SYNAP_INVALID_REQUEST, std::string(message().value_or("message refused"))); }

private:
    const SynapMessageBatch* batch_;
    std::size_t index_;
};

namespace detail {

/** The stored messages of a batch. */
struct BatchMessages {
    using value_type = RecordedMessageView;
    const SynapMessageBatch* batch = nullptr;
    std::size_t size() const noexcept { return synap_message_batch_result_count(batch); }
    RecordedMessageView at(std::size_t i) const noexcept {
        return RecordedMessageView(synap_message_batch_result(batch, i));
    }
};

/** The refused messages of a batch. */
struct BatchErrors {
    using value_type = MessageBatchError;
    const SynapMessageBatch* batch = nullptr;
    std::size_t size() const noexcept { return synap_message_batch_error_count(batch); }
    MessageBatchError at(std::size_t i) const noexcept { return MessageBatchError(batch, i); }
};

}  // namespace detail

/** A batch's stored messages, in the order sent. */
using RecordedMessageList = ViewList<detail::BatchMessages>;
/** A batch's refused messages. */
using MessageBatchErrorList = ViewList<detail::BatchErrors>;

/** What Client::record_messages() came to, owned: the counts, one result
 *  per stored message and one error per refused one. What it lends is
 *  valid while it lives; results() and errors() are refused on a
 *  temporary. */
class MessageBatch {
public:
    /** Takes ownership of a batch from synap_conversation_record_messages(). */
    explicit MessageBatch(SynapMessageBatch* owned) noexcept : handle_(owned) {}
    ~MessageBatch() { synap_message_batch_free(handle_); }
    MessageBatch(MessageBatch&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    MessageBatch& operator=(MessageBatch&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    MessageBatch(const MessageBatch&) = delete;
    MessageBatch& operator=(const MessageBatch&) = delete;

    /** How many messages the service counted. */
    std::optional<std::int64_t> total() const noexcept {
        return detail::optional_value(synap_message_batch_total, handle_);
    }
    /** How many it stored. */
    std::optional<std::int64_t> succeeded() const noexcept {
        return detail::optional_value(synap_message_batch_succeeded, handle_);
    }
    /** How many it refused. */
    std::optional<std::int64_t> failed() const noexcept {
        return detail::optional_value(synap_message_batch_failed, handle_);
    }
    /** The stored messages, in the order sent (refused ones left out). */
    RecordedMessageList results() const& noexcept { return RecordedMessageList(detail::BatchMessages{handle_}); }
    /** Refused: the batch is a temporary. Keep it in a variable first. */
    RecordedMessageList results() const&& = delete;
    /** The refused messages, each with its position in the batch sent. */
    MessageBatchErrorList errors() const& noexcept { return MessageBatchErrorList(detail::BatchErrors{handle_}); }
    /** Refused: the batch is a temporary. Keep it in a variable first. */
    MessageBatchErrorList errors() const&& = delete;

    /** The C handle, still owned by this batch. */
    const SynapMessageBatch* get() const noexcept { return handle_; }

private:
    SynapMessageBatch* handle_;
};

/** A finished conversation to ingest in one go, for
 *  Client::ingest_transcript(): its id (any text: a call id, a UUID, ...),
 *  its user, and the transcript as text() or as turns (add_turn()). Each
 *  setter throws synap::Error (SYNAP_INVALID_ARGUMENT) if libsynap refuses
 *  the value, before any request and leaving the request as it was, and
 *  returns *this for chaining. */
class TranscriptRequest {
public:
    /** An empty request: nothing set. */
    TranscriptRequest() : handle_(detail::not_null(synap_transcript_request_new())) {}
    ~TranscriptRequest() { synap_transcript_request_free(handle_); }
    TranscriptRequest(TranscriptRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    TranscriptRequest& operator=(TranscriptRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    TranscriptRequest(const TranscriptRequest&) = delete;
    TranscriptRequest& operator=(const TranscriptRequest&) = delete;

    /** The conversation's id as you know it; not empty. The service answers
     *  with the UUID it keeps for it (TranscriptIngestion::conversation_id()):
     *  use that for later reads. */
    TranscriptRequest& conversation_id(const std::string& id) {
        return set(synap_transcript_request_set_conversation_id(handle_, detail::c_str(id, "conversation_id")));
    }
    /** The end user; not empty. */
    TranscriptRequest& user_id(const std::string& id) {
        return set(synap_transcript_request_set_user_id(handle_, detail::c_str(id, "user_id")));
    }
    /** The customer on a B2B instance. Not empty; refused on a B2C instance. */
    TranscriptRequest& customer_id(const std::string& id) {
        return set(synap_transcript_request_set_customer_id(handle_, detail::c_str(id, "customer_id")));
    }
    /** The whole transcript as text, which the service splits on its turn
     *  grammar ("User: ..." / "Assistant: ..." lines). Replaces any turns. */
    TranscriptRequest& text(const std::string& transcript) {
        return set(synap_transcript_request_set_text(handle_, detail::c_str(transcript, "transcript")));
    }
    /** Adds one turn: `role` "user" or "assistant", what was said, and who
     *  spoke (nullopt: unknown); its time unknown. Replaces a transcript
     *  given as text. */
    TranscriptRequest& add_turn(const std::string& role, const std::string& content,
                                const std::optional<std::string>& speaker = std::nullopt) {
        const char* r = detail::c_str(role, "role");
        const char* c = detail::c_str(content, "content");
        const char* s = speaker ? detail::c_str(*speaker, "speaker") : nullptr;
        return set(synap_transcript_request_add_turn(handle_, r, c, s));
    }
    /** Adds one turn said at `when` (years 1 to 9999, to the microsecond,
     *  rounded down), as add_turn(role, content, speaker) does. */
    template <class Duration>
    TranscriptRequest& add_turn(const std::string& role, const std::string& content,
                                std::chrono::time_point<std::chrono::system_clock, Duration> when,
                                const std::optional<std::string>& speaker = std::nullopt) {
        const char* r = detail::c_str(role, "role");
        const char* c = detail::c_str(content, "content");
        const char* s = speaker ? detail::c_str(*speaker, "speaker") : nullptr;
        return set(synap_transcript_request_add_timed_turn(handle_, r, c, s, detail::unix_us(when)));
    }
    /** The kind of conversation ("voice", "chat", ...); "" clears it. */
    TranscriptRequest& conversation_type(const std::string& type) {
        return set(synap_transcript_request_set_conversation_type(handle_, detail::c_str(type, "conversation_type")));
    }
    /** Your analysis of the conversation, a JSON object given as text. */
    TranscriptRequest& analysis_json(const std::string& json) {
        return set(synap_transcript_request_set_analysis_json(handle_, detail::c_str(json, "analysis_json")));
    }
    /** Free-form metadata, a JSON object given as text. */
    TranscriptRequest& metadata_json(const std::string& json) {
        return set(synap_transcript_request_set_metadata_json(handle_, detail::c_str(json, "metadata_json")));
    }
    /** When the conversation started (years 1 to 9999, to the microsecond,
     *  rounded down). */
    template <class Duration>
    TranscriptRequest& started_at(std::chrono::time_point<std::chrono::system_clock, Duration> when) {
        return set(synap_transcript_request_set_started_at_us(handle_, detail::unix_us(when)));
    }
    /** When it ended (years 1 to 9999, to the microsecond, rounded down). */
    template <class Duration>
    TranscriptRequest& ended_at(std::chrono::time_point<std::chrono::system_clock, Duration> when) {
        return set(synap_transcript_request_set_ended_at_us(handle_, detail::unix_us(when)));
    }
    /** Adds (or replaces) one level of the scope path. */
    TranscriptRequest& add_scope_level(const std::string& level, const std::string& value) {
        return set(synap_transcript_request_add_scope_level(handle_, detail::c_str(level, "scope level"),
                                                             detail::c_str(value, "scope value")));
    }

    /** The C handle, still owned by this request. */
    const SynapTranscriptRequest* get() const noexcept { return handle_; }

private:
    TranscriptRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapTranscriptRequest* handle_;
};

/** An ingested transcript, owned, as Client::ingest_transcript() returned
 *  it: the ingestion job that turns it into memories, followed with
 *  Client::wait() and Client::status() like a created document's. */
class TranscriptIngestion {
public:
    /** Takes ownership of an ingestion from synap_conversation_ingest(). */
    explicit TranscriptIngestion(SynapTranscriptIngestion* owned) noexcept : handle_(owned) {}
    ~TranscriptIngestion() { synap_transcript_ingestion_free(handle_); }
    TranscriptIngestion(TranscriptIngestion&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    TranscriptIngestion& operator=(TranscriptIngestion&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    TranscriptIngestion(const TranscriptIngestion&) = delete;
    TranscriptIngestion& operator=(const TranscriptIngestion&) = delete;

    /** The conversation's id as the service keeps it (a UUID): use it for
     *  Client::messages(), compact() and the other reads. */
    std::optional<std::string_view> conversation_id() const noexcept {
        return detail::optional_view(synap_transcript_ingestion_conversation_id(handle_));
    }
    /** The conversation id you gave. */
    std::optional<std::string_view> external_conversation_id() const noexcept {
        return detail::optional_view(synap_transcript_ingestion_external_conversation_id(handle_));
    }
    /** The ingestion job, for Client::wait() and Client::status(). */
    std::optional<std::string_view> ingestion_id() const noexcept {
        return detail::optional_view(synap_transcript_ingestion_ingestion_id(handle_));
    }
    /** "queued", or "duplicate" when the same transcript was ingested
     *  before (the job is then the first one's). */
    std::optional<std::string_view> status() const noexcept {
        return detail::optional_view(synap_transcript_ingestion_status(handle_));
    }
    /** Whether the service answered that the same transcript was ingested before. */
    bool is_duplicate() const noexcept { return status() == std::string_view("duplicate"); }
    /** How many turns were recorded. */
    std::optional<std::int64_t> turns_recorded() const noexcept {
        return detail::optional_value(synap_transcript_ingestion_turns_recorded, handle_);
    }
    /** "in_progress", "already_compacted" or "skipped". */
    std::optional<std::string_view> summary_status() const noexcept {
        return detail::optional_view(synap_transcript_ingestion_summary_status(handle_));
    }
    /** When the job was queued. */
    std::optional<TimePoint> queued_at() const noexcept {
        return detail::optional_time(synap_transcript_ingestion_queued_at_us, handle_);
    }
    /** The service's warnings, as sent. */
    std::vector<std::string_view> warnings() const {
        return detail::strings(synap_transcript_ingestion_warning_count, synap_transcript_ingestion_warning, handle_);
    }

    /** The C handle, still owned by this ingestion. */
    const SynapTranscriptIngestion* get() const noexcept { return handle_; }

private:
    SynapTranscriptIngestion* handle_;
};

/** One message of a MessagePage: a view, valid while that page lives. */
class ConversationMessage {
public:
    /** A view of `message`, whose page must outlive it. */
    explicit ConversationMessage(const SynapConversationMessage* message) noexcept : message_(message) {}

    /** Its place in the conversation, from 1. */
    std::optional<std::int64_t> position() const noexcept {
        return detail::optional_value(synap_conversation_message_position, message_);
    }
    /** Who spoke: "user" or "assistant". */
    std::optional<std::string_view> role() const noexcept {
        return detail::optional_view(synap_conversation_message_role(message_));
    }
    /** What was said. */
    std::optional<std::string_view> content() const noexcept {
        return detail::optional_view(synap_conversation_message_content(message_));
    }
    /** When. */
    std::optional<TimePoint> timestamp() const noexcept {
        return detail::optional_time(synap_conversation_message_timestamp_us, message_);
    }
    /** The message's id. */
    std::optional<std::string_view> message_id() const noexcept {
        return detail::optional_view(synap_conversation_message_id(message_));
    }

    /** The C handle, lent by its page. */
    const SynapConversationMessage* get() const noexcept { return message_; }

private:
    const SynapConversationMessage* message_;
};

namespace detail {

/** The messages of a page. */
struct PageMessages {
    using value_type = ConversationMessage;
    const SynapMessagePage* page = nullptr;
    std::size_t size() const noexcept { return synap_message_page_count(page); }
    ConversationMessage at(std::size_t i) const noexcept {
        return ConversationMessage(synap_message_page_message(page, i));
    }
};

}  // namespace detail

/** A page's messages, oldest first. */
using ConversationMessageList = ViewList<detail::PageMessages>;

/** One page of a conversation's messages, oldest first, owned, as
 *  Client::messages() returned it: a random-access range of
 *  ConversationMessage views, valid while the page lives (moves included).
 *  A range-for over the page itself, even a temporary one, is safe; the
 *  calls that lend views to keep are refused on a temporary. */
class MessagePage {
public:
    /** The view each element is. */
    using value_type = ConversationMessage;
    /** A random-access iterator yielding ConversationMessage by value. */
    using iterator = ConversationMessageList::iterator;
    /** The same iterator: the page is read-only. */
    using const_iterator = iterator;

    /** Takes ownership of a page from synap_conversation_messages(), read
     *  from `start` with at most `limit` messages. */
    MessagePage(SynapMessagePage* owned, std::uint32_t start, std::uint32_t limit) noexcept
        : handle_(owned), start_(start), limit_(limit) {}
    ~MessagePage() { synap_message_page_free(handle_); }
    MessagePage(MessagePage&& other) noexcept
        : handle_(std::exchange(other.handle_, nullptr)), start_(other.start_), limit_(other.limit_) {}
    MessagePage& operator=(MessagePage&& other) noexcept {
        std::swap(handle_, other.handle_);
        std::swap(start_, other.start_);
        std::swap(limit_, other.limit_);
        return *this;
    }
    MessagePage(const MessagePage&) = delete;
    MessagePage& operator=(const MessagePage&) = delete;

    /** How many messages the page holds. */
    std::size_t size() const noexcept { return synap_message_page_count(handle_); }
    /** Whether it holds none. */
    bool empty() const noexcept { return size() == 0; }
    /** The position asked for first (1 is the conversation's first message). */
    std::uint32_t start() const noexcept { return start_; }
    /** The most messages asked for. */
    std::uint32_t limit() const noexcept { return limit_; }
    /** Whether this is the last page: it holds fewer than limit() messages.
     *  Otherwise read the next one from start() + limit(). */
    bool is_last() const noexcept { return size() < limit_; }
    /** The messages, as a list: valid while this page lives. */
    ConversationMessageList messages() const& noexcept { return ConversationMessageList(detail::PageMessages{handle_}); }
    /** Refused: the page is a temporary. Keep it in a variable first. */
    ConversationMessageList messages() const&& = delete;
    /** Message `index`; past the end, a view that reads as empty. */
    ConversationMessage operator[](std::size_t index) const& noexcept { return messages()[index]; }
    /** Refused: the page is a temporary. Keep it in a variable first. */
    ConversationMessage operator[](std::size_t index) const&& = delete;
    /** Message `index`; throws std::out_of_range past the end. */
    ConversationMessage at(std::size_t index) const& { return messages().at(index); }
    /** Refused: the page is a temporary. Keep it in a variable first. */
    ConversationMessage at(std::size_t index) const&& = delete;
    /** The first message. */
    iterator begin() const& noexcept { return messages().begin(); }
    /** Refused: the page is a temporary. Keep it in a variable first. */
    iterator begin() const&& = delete;
    /** One past the last message. */
    iterator end() const& noexcept { return messages().end(); }
    /** Refused: the page is a temporary. Keep it in a variable first. */
    iterator end() const&& = delete;

    /** The C handle, still owned by this page. */
    const SynapMessagePage* get() const noexcept { return handle_; }

private:
    SynapMessagePage* handle_;
    std::uint32_t start_;
    std::uint32_t limit_;
};

/** How Client::compact() compacts. Each setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, leaving the
 *  options as they were, and returns *this for chaining. Moved-from
 *  options refuse every setter and, like NULL in C, compact with the
 *  defaults. */
class CompactOptions {
public:
    /** The defaults: the service's strategy and size, not forced. */
    CompactOptions() : handle_(detail::not_null(synap_compact_options_new())) {}
    ~CompactOptions() { synap_compact_options_free(handle_); }
    CompactOptions(CompactOptions&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    CompactOptions& operator=(CompactOptions&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    CompactOptions(const CompactOptions&) = delete;
    CompactOptions& operator=(const CompactOptions&) = delete;

    /** "aggressive", "balanced", "conservative" or "adaptive"; "" for the
     *  service's choice. */
    CompactOptions& strategy(const std::string& strategy) {
        return set(synap_compact_options_set_strategy(handle_, detail::c_str(strategy, "strategy")));
    }
    /** The size to compact to, in tokens; 0 for the service's choice. */
    CompactOptions& target_tokens(std::uint32_t tokens) {
        return set(synap_compact_options_set_target_tokens(handle_, tokens));
    }
    /** Compacts even when the service thinks it needless (default false). */
    CompactOptions& force(bool force) { return set(synap_compact_options_set_force(handle_, force)); }

    /** The C handle, still owned by these options. */
    const SynapCompactOptions* get() const noexcept { return handle_; }

private:
    CompactOptions& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapCompactOptions* handle_;
};

/** A compaction Client::compact() started, owned. Follow it with
 *  Client::compaction_status(), then read Client::compacted(). */
class Compaction {
public:
    /** Takes ownership of a compaction from synap_conversation_compact(). */
    explicit Compaction(SynapCompaction* owned) noexcept : handle_(owned) {}
    ~Compaction() { synap_compaction_free(handle_); }
    Compaction(Compaction&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Compaction& operator=(Compaction&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Compaction(const Compaction&) = delete;
    Compaction& operator=(const Compaction&) = delete;

    /** The compaction's id. */
    std::optional<std::string_view> compaction_id() const noexcept {
        return detail::optional_view(synap_compaction_id(handle_));
    }
    /** The conversation. */
    std::optional<std::string_view> conversation_id() const noexcept {
        return detail::optional_view(synap_compaction_conversation_id(handle_));
    }
    /** Its status, e.g. "in_progress". */
    std::optional<std::string_view> status() const noexcept {
        return detail::optional_view(synap_compaction_status(handle_));
    }
    /** What started it, e.g. "manual_api". */
    std::optional<std::string_view> trigger_type() const noexcept {
        return detail::optional_view(synap_compaction_trigger_type(handle_));
    }
    /** When it started. */
    std::optional<TimePoint> initiated_at() const noexcept {
        return detail::optional_time(synap_compaction_initiated_at_us, handle_);
    }
    /** How long it should take. */
    std::optional<std::chrono::seconds> estimated_completion() const noexcept {
        return detail::optional_seconds(synap_compaction_estimated_completion_seconds, handle_);
    }
    /** The compaction it replaces. */
    std::optional<std::string_view> previous_compaction_id() const noexcept {
        return detail::optional_view(synap_compaction_previous_id(handle_));
    }

    /** The C handle, still owned by this compaction. */
    const SynapCompaction* get() const noexcept { return handle_; }

private:
    SynapCompaction* handle_;
};

/** How Client::compacted() reads. Each setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, leaving the
 *  options as they were, and returns *this for chaining. Moved-from
 *  options refuse every setter and, like NULL in C, read with the
 *  defaults. */
class CompactedOptions {
public:
    /** The defaults: format "structured", the latest version. */
    CompactedOptions() : handle_(detail::not_null(synap_compacted_options_new())) {}
    ~CompactedOptions() { synap_compacted_options_free(handle_); }
    CompactedOptions(CompactedOptions&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    CompactedOptions& operator=(CompactedOptions&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    CompactedOptions(const CompactedOptions&) = delete;
    CompactedOptions& operator=(const CompactedOptions&) = delete;

    /** "structured" (the default), "narrative" or "injection". */
    CompactedOptions& format(const std::string& format) {
        return set(synap_compacted_options_set_format(handle_, detail::c_str(format, "format")));
    }
    /** The version to read; 0 (the default) for the latest. */
    CompactedOptions& version(std::uint32_t version) {
        return set(synap_compacted_options_set_version(handle_, version));
    }

    /** The C handle, still owned by these options. */
    const SynapCompactedOptions* get() const noexcept { return handle_; }

private:
    CompactedOptions& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapCompactedOptions* handle_;
};

/** A conversation's compacted state, owned, as Client::compacted()
 *  returned it. */
class Compacted {
public:
    /** Takes ownership of a compacted state from synap_conversation_compacted(). */
    explicit Compacted(SynapCompacted* owned) noexcept : handle_(owned) {}
    ~Compacted() { synap_compacted_free(handle_); }
    Compacted(Compacted&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Compacted& operator=(Compacted&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Compacted(const Compacted&) = delete;
    Compacted& operator=(const Compacted&) = delete;

    /** The compaction's id. */
    std::optional<std::string_view> compaction_id() const noexcept {
        return detail::optional_view(synap_compacted_id(handle_));
    }
    /** The compacted history, in the format asked for. */
    std::optional<std::string_view> formatted_context() const noexcept {
        return detail::optional_view(synap_compacted_formatted_context(handle_));
    }
    /** Tokens before compaction. */
    std::optional<std::int64_t> original_token_count() const noexcept {
        return detail::optional_value(synap_compacted_original_token_count, handle_);
    }
    /** Tokens after. */
    std::optional<std::int64_t> compacted_token_count() const noexcept {
        return detail::optional_value(synap_compacted_compacted_token_count, handle_);
    }
    /** How much it shrank the history. */
    std::optional<double> compression_ratio() const noexcept {
        return detail::optional_value(synap_compacted_compression_ratio, handle_);
    }
    /** The strategy applied ("balanced", "adaptive", ...), as sent. */
    std::optional<std::string_view> strategy_used() const noexcept {
        return detail::optional_view(synap_compacted_strategy_used(handle_));
    }
    /** Its validation score. */
    std::optional<double> validation_score() const noexcept {
        return detail::optional_value(synap_compacted_validation_score, handle_);
    }
    /** Whether it passed validation. */
    std::optional<bool> validation_passed() const noexcept {
        return detail::optional_value(synap_compacted_validation_passed, handle_);
    }
    /** Whether the service doubts its quality. */
    std::optional<bool> quality_warning() const noexcept {
        return detail::optional_value(synap_compacted_quality_warning, handle_);
    }
    /** The facts kept, a JSON array as text. */
    std::optional<std::string_view> facts_json() const noexcept {
        return detail::optional_view(synap_compacted_facts_json(handle_));
    }
    /** The decisions kept, a JSON array as text. */
    std::optional<std::string_view> decisions_json() const noexcept {
        return detail::optional_view(synap_compacted_decisions_json(handle_));
    }
    /** The preferences kept, a JSON array as text. */
    std::optional<std::string_view> preferences_json() const noexcept {
        return detail::optional_view(synap_compacted_preferences_json(handle_));
    }
    /** The conversation's current state, a JSON object as text. */
    std::optional<std::string_view> current_state_json() const noexcept {
        return detail::optional_view(synap_compacted_current_state_json(handle_));
    }
    /** How long it may be cached. */
    std::optional<std::chrono::seconds> ttl() const noexcept {
        return detail::optional_seconds(synap_compacted_ttl_seconds, handle_);
    }
    /** The response body as JSON text. */
    std::optional<std::string_view> raw_json() const noexcept {
        return detail::optional_view(synap_compacted_raw_json(handle_));
    }

    /** The C handle, still owned by this compacted state. */
    const SynapCompacted* get() const noexcept { return handle_; }

private:
    SynapCompacted* handle_;
};

/** Where a conversation's compaction stands, owned, as
 *  Client::compaction_status() returned it. */
class CompactionStatus {
public:
    /** Takes ownership of a status from synap_conversation_compaction_status(). */
    explicit CompactionStatus(SynapCompactionStatus* owned) noexcept : handle_(owned) {}
    ~CompactionStatus() { synap_compaction_status_free(handle_); }
    CompactionStatus(CompactionStatus&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    CompactionStatus& operator=(CompactionStatus&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    CompactionStatus(const CompactionStatus&) = delete;
    CompactionStatus& operator=(const CompactionStatus&) = delete;

    /** The conversation. */
    std::optional<std::string_view> conversation_id() const noexcept {
        return detail::optional_view(synap_compaction_status_conversation_id(handle_));
    }
    /** The status as the service sent it ("completed", "in_progress", ...). */
    std::optional<std::string_view> state() const noexcept {
        return detail::optional_view(synap_compaction_status_state(handle_));
    }
    /** Whether the state is "completed". */
    bool is_completed() const noexcept { return state() == std::string_view("completed"); }
    /** The latest compaction's id. */
    std::optional<std::string_view> compaction_id() const noexcept {
        return detail::optional_view(synap_compaction_status_compaction_id(handle_));
    }
    /** When it completed. */
    std::optional<TimePoint> completed_at() const noexcept {
        return detail::optional_time(synap_compaction_status_completed_at_us, handle_);
    }
    /** How much it shrank the history. */
    std::optional<double> compression_ratio() const noexcept {
        return detail::optional_value(synap_compaction_status_compression_ratio, handle_);
    }
    /** Its validation score. */
    std::optional<double> validation_score() const noexcept {
        return detail::optional_value(synap_compaction_status_validation_score, handle_);
    }
    /** How long a running one should still take. */
    std::optional<std::chrono::seconds> estimated_completion() const noexcept {
        return detail::optional_seconds(synap_compaction_status_estimated_completion_seconds, handle_);
    }
    /** The latest version. */
    std::optional<std::int64_t> latest_version() const noexcept {
        return detail::optional_value(synap_compaction_status_latest_version, handle_);
    }
    /** What went wrong, for a failed one. */
    std::optional<std::string_view> error_message() const noexcept {
        return detail::optional_view(synap_compaction_status_error_message(handle_));
    }

    /** The C handle, still owned by this status. */
    const SynapCompactionStatus* get() const noexcept { return handle_; }

private:
    SynapCompactionStatus* handle_;
};

/* ---- Memory lifecycle: update, delete, forget, upload ---------------- */

namespace detail {

/** Value `index` of a list from the C API, where false means absent (or
 *  past the end). */
template <class Handle, class T>
std::optional<T> optional_at(bool (*get)(const Handle*, std::size_t, T*), const Handle* handle,
                             std::size_t index) noexcept {
    T value{};
    if (!get(handle, index, &value)) {
        return std::nullopt;
    }
    return value;
}

/** Time `index` of a list from the C API, where false means absent. */
template <class Handle>
std::optional<TimePoint> optional_time_at(bool (*get)(const Handle*, std::size_t, std::int64_t*),
                                          const Handle* handle, std::size_t index) noexcept {
    std::optional<std::int64_t> us = optional_at(get, handle, index);
    return us ? std::optional<TimePoint>(from_us(*us)) : std::nullopt;
}

}  // namespace detail

/** What a forget request came to (SynapForgetOutcome). */
enum class ForgetOutcome : int {
    unknown = SYNAP_FORGET_UNKNOWN,                  ///< a status this version does not know: read it as "not done"
    nothing_matches = SYNAP_FORGET_NOTHING_MATCHES,  ///< no memory matched; nothing changed
    preview = SYNAP_FORGET_PREVIEW,                  ///< the matches were filed for approval; nothing was deleted
    deleted = SYNAP_FORGET_DELETED,                  ///< every match was deleted
    partial = SYNAP_FORGET_PARTIAL,  ///< hidden, but the stores still_present_in() names may still hold the text
};

/** A memory's new document and how to merge it, for Client::update(). Set
 *  the document with document_text() or document_json(); the merge
 *  strategy is "smart-merge" unless set. Each setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, before any
 *  request and leaving the request as it was, and returns *this for
 *  chaining. An update only reads the request. */
class UpdateRequest {
public:
    /** No document yet; merge strategy "smart-merge". */
    UpdateRequest() : handle_(detail::not_null(synap_update_request_new())) {}
    ~UpdateRequest() { synap_update_request_free(handle_); }
    UpdateRequest(UpdateRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    UpdateRequest& operator=(UpdateRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    UpdateRequest(const UpdateRequest&) = delete;
    UpdateRequest& operator=(const UpdateRequest&) = delete;

    /** The new document as plain text. */
    UpdateRequest& document_text(const std::string& text) {
        return set(synap_update_request_set_document_text(handle_, detail::c_str(text, "document_text")));
    }
    /** The new document as a JSON object given as text. */
    UpdateRequest& document_json(const std::string& json) {
        return set(synap_update_request_set_document_json(handle_, detail::c_str(json, "document_json")));
    }
    /** How the document combines with the memory: "replace", "append" or
     *  "smart-merge" (the default). */
    UpdateRequest& merge_strategy(const std::string& strategy) {
        return set(synap_update_request_set_merge_strategy(handle_, detail::c_str(strategy, "merge_strategy")));
    }
    /** ai-chat-conversation, document, email, pdf, image, audio or
     *  meeting-transcript; sent only when set. */
    UpdateRequest& document_type(const std::string& type) {
        return set(synap_update_request_set_document_type(handle_, detail::c_str(type, "document_type")));
    }
    /** Metadata, a JSON object given as text; sent only when set ({} included). */
    UpdateRequest& metadata_json(const std::string& json) {
        return set(synap_update_request_set_metadata_json(handle_, detail::c_str(json, "metadata_json")));
    }

    /** The C handle, still owned by this request. */
    const SynapUpdateRequest* get() const noexcept { return handle_; }

private:
    UpdateRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapUpdateRequest* handle_;
};

/** A memory Client::delete_memory() deleted, owned. */
class DeletedMemory {
public:
    /** Takes ownership of an answer from synap_memories_delete(). */
    explicit DeletedMemory(SynapDeletedMemory* owned) noexcept : handle_(owned) {}
    ~DeletedMemory() { synap_deleted_memory_free(handle_); }
    DeletedMemory(DeletedMemory&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    DeletedMemory& operator=(DeletedMemory&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    DeletedMemory(const DeletedMemory&) = delete;
    DeletedMemory& operator=(const DeletedMemory&) = delete;

    /** The deleted memory's id, as the service gave it. */
    std::optional<std::string_view> memory_id() const noexcept {
        return detail::optional_view(synap_deleted_memory_id(handle_));
    }
    /** When it was deleted. */
    std::optional<TimePoint> deleted_at() const noexcept {
        return detail::optional_time(synap_deleted_memory_deleted_at_us, handle_);
    }

    /** The C handle, still owned by this answer. */
    const SynapDeletedMemory* get() const noexcept { return handle_; }

private:
    SynapDeletedMemory* handle_;
};

/** A request to forget one user's memories that match a description, for
 *  Client::forget(). Set its description and user (and the customer on a
 *  B2B instance); the mode is "preview" unless set. Each setter throws
 *  synap::Error (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value,
 *  before any request and leaving the request as it was, and returns
 *  *this for chaining. */
class ForgetRequest {
public:
    /** Nothing set; mode "preview". */
    ForgetRequest() : handle_(detail::not_null(synap_forget_request_new())) {}
    ~ForgetRequest() { synap_forget_request_free(handle_); }
    ForgetRequest(ForgetRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    ForgetRequest& operator=(ForgetRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    ForgetRequest(const ForgetRequest&) = delete;
    ForgetRequest& operator=(const ForgetRequest&) = delete;

    /** What to forget, in words: 3 to 500 characters. */
    ForgetRequest& description(const std::string& text) {
        return set(synap_forget_request_set_description(handle_, detail::c_str(text, "description")));
    }
    /** The user whose memories are searched; not empty. */
    ForgetRequest& user_id(const std::string& id) {
        return set(synap_forget_request_set_user_id(handle_, detail::c_str(id, "user_id")));
    }
    /** The user's customer, required on a B2B instance; not empty, refused
     *  once whoami() has reported a B2C instance. */
    ForgetRequest& customer_id(const std::string& id) {
        return set(synap_forget_request_set_customer_id(handle_, detail::c_str(id, "customer_id")));
    }
    /** Adds (or replaces) one level of the scope path, e.g.
     *  add_scope_level("team", "payments"). */
    ForgetRequest& add_scope_level(const std::string& level, const std::string& value) {
        return set(synap_forget_request_add_scope_level(handle_, detail::c_str(level, "scope level"),
                                                         detail::c_str(value, "scope value")));
    }
    /** "preview" (the default: the matches are filed for a person to
     *  approve, nothing is deleted) or "direct" (deleted at once). */
    ForgetRequest& mode(const std::string& mode) {
        return set(synap_forget_request_set_mode(handle_, detail::c_str(mode, "mode")));
    }

    /** The C handle, still owned by this request. */
    const SynapForgetRequest* get() const noexcept { return handle_; }

private:
    ForgetRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapForgetRequest* handle_;
};

/** A memory a forget request matched: a view, valid while its
 *  ForgetResult lives. */
class ForgetCandidate {
public:
    /** Candidate `index` of `result`, whose owner must outlive it. */
    ForgetCandidate(const SynapForgetResult* result, std::size_t index) noexcept : result_(result), index_(index) {}

    /** The memory's id. */
    std::optional<std::string_view> memory_id() const noexcept {
        return detail::optional_view(synap_forget_result_candidate_memory_id(result_, index_));
    }
    /** What it says. */
    std::optional<std::string_view> content() const noexcept {
        return detail::optional_view(synap_forget_result_candidate_content(result_, index_));
    }
    /** Its type: "fact", "preference", ... */
    std::optional<std::string_view> memory_type() const noexcept {
        return detail::optional_view(synap_forget_result_candidate_memory_type(result_, index_));
    }
    /** Where it lives: "memory", "chunk", "sentence", "entity", "triple",
     *  "profile" or "candidate". */
    std::optional<std::string_view> store() const noexcept {
        return detail::optional_view(synap_forget_result_candidate_store(result_, index_));
    }

private:
    const SynapForgetResult* result_;
    std::size_t index_;
};

namespace detail {

/** The candidates of a forget answer. */
struct ForgetCandidates {
    using value_type = ForgetCandidate;
    const SynapForgetResult* result = nullptr;
    std::size_t size() const noexcept { return synap_forget_result_candidate_count(result); }
    ForgetCandidate at(std::size_t i) const noexcept { return ForgetCandidate(result, i); }
};

}  // namespace detail

/** A forget answer's matched memories, in the order sent. */
using ForgetCandidateList = ViewList<detail::ForgetCandidates>;

/** What Client::forget() came to, owned: the outcome, the memories matched
 *  and those deleted. What it lends is valid while it lives; candidates()
 *  is refused on a temporary. Read outcome(): partial is not deleted. */
class ForgetResult {
public:
    /** Takes ownership of an answer from synap_memories_forget(). */
    explicit ForgetResult(SynapForgetResult* owned) noexcept : handle_(owned) {}
    ~ForgetResult() { synap_forget_result_free(handle_); }
    ForgetResult(ForgetResult&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    ForgetResult& operator=(ForgetResult&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    ForgetResult(const ForgetResult&) = delete;
    ForgetResult& operator=(const ForgetResult&) = delete;

    /** The outcome the status names; ForgetOutcome::unknown for one this
     *  version does not know. */
    ForgetOutcome outcome() const noexcept { return static_cast<ForgetOutcome>(synap_forget_result_outcome(handle_)); }
    /** The status as the service sent it. */
    std::optional<std::string_view> status() const noexcept {
        return detail::optional_view(synap_forget_result_status(handle_));
    }
    /** The request filed for approval (preview mode). */
    std::optional<std::string_view> request_id() const noexcept {
        return detail::optional_view(synap_forget_result_request_id(handle_));
    }
    /** The memories that matched: valid while this answer lives. */
    ForgetCandidateList candidates() const& noexcept { return ForgetCandidateList(detail::ForgetCandidates{handle_}); }
    /** Refused: the answer is a temporary. Keep it in a variable first. */
    ForgetCandidateList candidates() const&& = delete;
    /** The ids of the memories deleted. */
    std::vector<std::string_view> deleted_ids() const {
        return detail::strings(synap_forget_result_deleted_count, synap_forget_result_deleted_id, handle_);
    }
    /** The ids of the matched memories that could not be deleted. */
    std::vector<std::string_view> failed_ids() const {
        return detail::strings(synap_forget_result_failed_count, synap_forget_result_failed_id, handle_);
    }
    /** The stores that may still hold the text (a partial outcome). */
    std::vector<std::string_view> still_present_in() const {
        return detail::strings(synap_forget_result_still_present_count, synap_forget_result_still_present_in,
                               handle_);
    }
    /** Whether the service says the matcher may have missed some memories. */
    bool may_be_incomplete() const noexcept { return synap_forget_result_may_be_incomplete(handle_); }

    /** The C handle, still owned by this answer. */
    const SynapForgetResult* get() const noexcept { return handle_; }

private:
    SynapForgetResult* handle_;
};

/** One upload for Client::upload(): a file, a buffer or text, for one user,
 *  ingested as a document. Set its user and one source (file(), bytes() or
 *  text(); each replaces the one set before). Each setter throws
 *  synap::Error (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value,
 *  before any request and leaving the request as it was, and returns
 *  *this for chaining. An upload only reads the request. */
class UploadRequest {
public:
    /** Nothing set. */
    UploadRequest() : handle_(detail::not_null(synap_upload_request_new())) {}
    ~UploadRequest() { synap_upload_request_free(handle_); }
    UploadRequest(UploadRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    UploadRequest& operator=(UploadRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    UploadRequest(const UploadRequest&) = delete;
    UploadRequest& operator=(const UploadRequest&) = delete;

    /** The user the document belongs to; not empty. */
    UploadRequest& user_id(const std::string& id) {
        return set(synap_upload_request_set_user_id(handle_, detail::c_str(id, "user_id")));
    }
    /** The customer on a B2B instance; not empty. */
    UploadRequest& customer_id(const std::string& id) {
        return set(synap_upload_request_set_customer_id(handle_, detail::c_str(id, "customer_id")));
    }
    /** "b2c" or "b2b"; unless set, "b2b" when a customer is set, else "b2c". */
    UploadRequest& relationship_type(const std::string& type) {
        return set(synap_upload_request_set_relationship_type(handle_, detail::c_str(type, "relationship_type")));
    }
    /** "long-range" (the default) or "fast". */
    UploadRequest& mode(const std::string& mode) {
        return set(synap_upload_request_set_mode(handle_, detail::c_str(mode, "mode")));
    }
    /** ai-chat-conversation, document, email, pdf, image, audio or
     *  meeting-transcript; sent only when set. */
    UploadRequest& document_type(const std::string& type) {
        return set(synap_upload_request_set_document_type(handle_, detail::c_str(type, "document_type")));
    }
    /** Metadata, a JSON object given as text; sent only when not empty. */
    UploadRequest& metadata_json(const std::string& json) {
        return set(synap_upload_request_set_metadata_json(handle_, detail::c_str(json, "metadata_json")));
    }
    /** Adds (or replaces) one level of the scope path. */
    UploadRequest& add_scope_level(const std::string& level, const std::string& value) {
        return set(synap_upload_request_add_scope_level(handle_, detail::c_str(level, "scope level"),
                                                         detail::c_str(value, "scope value")));
    }
    /** The source: the file at `path`, as the operating system names it
     *  (its bytes need not be UTF-8). It is opened when the upload is sent
     *  and streamed, never read whole into memory; a file that cannot be
     *  read, or changes size while sent, fails the upload with SYNAP_FILE. */
    UploadRequest& file(const std::string& path) {
        return set(synap_upload_request_set_file(handle_, detail::c_str(path, "file path")));
    }
    /** The source: `size` bytes at `data` (copied; any bytes, NUL
     *  included), sent as a file named by filename() ("upload" unless set). */
    UploadRequest& bytes(const void* data, std::size_t size) {
        return set(synap_upload_request_set_bytes(handle_, static_cast<const std::uint8_t*>(data), size));
    }
    /** The source: the bytes of `data` (copied), as bytes(data, size). */
    UploadRequest& bytes(std::string_view data) { return bytes(data.data(), data.size()); }
    /** The source: text (copied), sent with no file part. */
    UploadRequest& text(const std::string& text) {
        return set(synap_upload_request_set_text(handle_, detail::c_str(text, "text")));
    }
    /** The file name the service is told; unless set, the file's own name,
     *  or "upload" for bytes. */
    UploadRequest& filename(const std::string& name) {
        return set(synap_upload_request_set_filename(handle_, detail::c_str(name, "filename")));
    }
    /** The file's content type; unless set, guessed from the file name
     *  ("notes.pdf" is application/pdf), else application/octet-stream. */
    UploadRequest& content_type(const std::string& type) {
        return set(synap_upload_request_set_content_type(handle_, detail::c_str(type, "content_type")));
    }

    /** The C handle, still owned by this request. */
    const SynapUploadRequest* get() const noexcept { return handle_; }

private:
    UploadRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapUploadRequest* handle_;
};

/* ---- Data deletion: a user, a conversation or a customer, for good ---- */

/** What a data deletion removes (SynapDeleteScope). */
enum class DeleteScope : int {
    user = SYNAP_DELETE_USER,                  ///< one user: memories, conversations, profile
    conversation = SYNAP_DELETE_CONVERSATION,  ///< one conversation; the memories made from it are kept
    customer = SYNAP_DELETE_CUSTOMER,          ///< one customer and all its users (needs a management key)
};

/** Where a data deletion stands (SynapDeletionState). */
enum class DeletionState : int {
    unknown = SYNAP_DELETION_UNKNOWN,          ///< no status, or one this version does not know: read it as not done
    in_progress = SYNAP_DELETION_IN_PROGRESS,  ///< still running: Client::wait_deletion()
    complete = SYNAP_DELETION_COMPLETE,        ///< done; fully_removed() says whether every store is clear
    partial = SYNAP_DELETION_PARTIAL,          ///< ended, but the stores still_present_in() names hold data
    dry_run = SYNAP_DELETION_DRY_RUN,          ///< nothing deleted; the counts say what would be
};

/** A permanent deletion of one user's, conversation's or customer's data,
 *  for Client::delete_data(). Unless it is a dry run it must be confirmed
 *  with confirm(), repeating the scope's id: the service requires that
 *  second, deliberate naming of what goes. Each setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, before any
 *  request and leaving the request as it was, and returns *this for
 *  chaining. */
class DataDeleteRequest {
public:
    /** A deletion of `scope` whose own id (the user's, the conversation's
     *  or the customer's) is `id`. Throws synap::Error
     *  (SYNAP_INVALID_ARGUMENT) for an empty id or a value that is not a
     *  DeleteScope. */
    DataDeleteRequest(DeleteScope scope, const std::string& id) {
        detail::check(synap_data_delete_request_new(static_cast<int>(scope), detail::c_str(id, "id"), &handle_));
    }
    ~DataDeleteRequest() { synap_data_delete_request_free(handle_); }
    DataDeleteRequest(DataDeleteRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    DataDeleteRequest& operator=(DataDeleteRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    DataDeleteRequest(const DataDeleteRequest&) = delete;
    DataDeleteRequest& operator=(const DataDeleteRequest&) = delete;

    /** The customer the user or conversation belongs to (B2B instances);
     *  refused for the customer scope. */
    DataDeleteRequest& customer_id(const std::string& id) {
        return set(synap_data_delete_request_set_customer_id(handle_, detail::c_str(id, "customer_id")));
    }
    /** The user a conversation belongs to (conversation scope only). */
    DataDeleteRequest& user_id(const std::string& id) {
        return set(synap_data_delete_request_set_user_id(handle_, detail::c_str(id, "user_id")));
    }
    /** A dry run (true) deletes nothing and counts what would go; it needs
     *  no confirmation. Default false. */
    DataDeleteRequest& dry_run(bool dry_run) { return set(synap_data_delete_request_set_dry_run(handle_, dry_run)); }
    /** Confirms the deletion: `id` must repeat the scope's id, or the call
     *  is refused before any request, naming both. */
    DataDeleteRequest& confirm(const std::string& id) {
        return set(synap_data_delete_request_set_confirm(handle_, detail::c_str(id, "confirm")));
    }

    /** The C handle, still owned by this request. */
    const SynapDataDeleteRequest* get() const noexcept { return handle_; }

private:
    DataDeleteRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapDataDeleteRequest* handle_ = nullptr;
};

/** One count of a deletion: a store and how much was (or, on a dry run,
 *  would be) removed from it. A view, valid while the deletion that lent
 *  it lives. */
class DeletionCount {
public:
    /** Count `index` of `deletion`, whose owner must outlive it. */
    DeletionCount(const SynapDataDeletion* deletion, std::size_t index) noexcept
        : deletion_(deletion), index_(index) {}

    /** The store: "memories", "conversations", ... */
    std::optional<std::string_view> store() const noexcept {
        return detail::optional_view(synap_data_deletion_count_store(deletion_, index_));
    }
    /** How much was removed, when the service gave a number. */
    std::optional<std::int64_t> value() const noexcept {
        return detail::optional_at(synap_data_deletion_count_value, deletion_, index_);
    }

private:
    const SynapDataDeletion* deletion_;
    std::size_t index_;
};

namespace detail {

/** The counts of a deletion. */
struct DeletionCounts {
    using value_type = DeletionCount;
    const SynapDataDeletion* deletion = nullptr;
    std::size_t size() const noexcept { return synap_data_deletion_count_count(deletion); }
    DeletionCount at(std::size_t i) const noexcept { return DeletionCount(deletion, i); }
};

}  // namespace detail

/** A deletion's counts, in the order sent. */
using DeletionCountList = ViewList<detail::DeletionCounts>;

/** A data deletion's record, borrowed: what WaitProgress::deletion() lends
 *  during one call of the progress callback. DataDeletion has the same
 *  accessors and owns its handle. */
class DataDeletionView {
public:
    /** A view of `deletion`, whose owner must outlive it. */
    explicit DataDeletionView(const SynapDataDeletion* deletion) noexcept : deletion_(deletion) {}

    /** The deletion's id, for Client::deletion_status() and wait_deletion();
     *  absent on a dry run. */
    std::optional<std::string_view> deletion_id() const noexcept {
        return detail::optional_view(synap_data_deletion_id(deletion_));
    }
    /** Where it stands; DeletionState::unknown reads as not done. */
    DeletionState state() const noexcept { return static_cast<DeletionState>(synap_data_deletion_state(deletion_)); }
    /** Whether it has ended: complete, partial or a dry run. */
    bool is_done() const noexcept {
        DeletionState s = state();
        return s == DeletionState::complete || s == DeletionState::partial || s == DeletionState::dry_run;
    }
    /** The status as the service sent it ("complete", "in_progress", ...). */
    std::optional<std::string_view> status() const noexcept {
        return detail::optional_view(synap_data_deletion_status_text(deletion_));
    }
    /** The scope: "user", "conversation" or "customer". */
    std::optional<std::string_view> scope() const noexcept {
        return detail::optional_view(synap_data_deletion_scope(deletion_));
    }
    /** Whether this was a dry run. */
    bool is_dry_run() const noexcept { return synap_data_deletion_is_dry_run(deletion_); }
    /** Whether the target existed. */
    bool found() const noexcept { return synap_data_deletion_found(deletion_); }
    /** True only when the service says nothing of the target is left in
     *  any store. */
    bool fully_removed() const noexcept { return synap_data_deletion_fully_removed(deletion_); }
    /** Whether the memories made from a deleted conversation were kept. */
    bool memories_kept() const noexcept { return synap_data_deletion_memories_kept(deletion_); }
    /** The counts per store, in the order sent. */
    DeletionCountList counts() const noexcept { return DeletionCountList(detail::DeletionCounts{deletion_}); }
    /** The count of the store named `store`, e.g. "memories". */
    std::optional<std::int64_t> count_of(const std::string& store) const {
        const char* name = detail::c_str(store, "store");
        std::int64_t value = 0;
        return synap_data_deletion_count_of(deletion_, name, &value) ? std::optional<std::int64_t>(value)
                                                                      : std::nullopt;
    }
    /** The stores that still hold data of the target. */
    std::vector<std::string_view> still_present_in() const {
        return detail::strings(synap_data_deletion_still_present_count, synap_data_deletion_still_present_in,
                               deletion_);
    }
    /** The kinds of data the deletion keeps on purpose (a conversation's
     *  memories). */
    std::vector<std::string_view> kept() const {
        return detail::strings(synap_data_deletion_kept_count, synap_data_deletion_kept, deletion_);
    }
    /** Per-store detail, a JSON object as text. */
    std::optional<std::string_view> stores_json() const noexcept {
        return detail::optional_view(synap_data_deletion_stores_json(deletion_));
    }
    /** A note from the service. */
    std::optional<std::string_view> note() const noexcept {
        return detail::optional_view(synap_data_deletion_note(deletion_));
    }
    /** The audit record's reference. */
    std::optional<std::string_view> audit() const noexcept {
        return detail::optional_view(synap_data_deletion_audit(deletion_));
    }
    /** The whole record as the service sent it, keys this version does not
     *  read included. */
    std::optional<std::string_view> json() const noexcept {
        return detail::optional_view(synap_data_deletion_json(deletion_));
    }

    /** The C handle, not owned. */
    const SynapDataDeletion* get() const noexcept { return deletion_; }

protected:
    const SynapDataDeletion* deletion_;
};

/** A data deletion's record, owned, as Client::delete_data(),
 *  deletion_status() and wait_deletion() returned it. What it lends is
 *  valid while it lives; counts() is refused on a temporary. */
class DataDeletion : public DataDeletionView {
public:
    /** Takes ownership of a record from the C API. */
    explicit DataDeletion(SynapDataDeletion* owned) noexcept : DataDeletionView(owned) {}
    ~DataDeletion() { synap_data_deletion_free(const_cast<SynapDataDeletion*>(deletion_)); }
    DataDeletion(DataDeletion&& other) noexcept : DataDeletionView(std::exchange(other.deletion_, nullptr)) {}
    DataDeletion& operator=(DataDeletion&& other) noexcept {
        std::swap(deletion_, other.deletion_);
        return *this;
    }
    DataDeletion(const DataDeletion&) = delete;
    DataDeletion& operator=(const DataDeletion&) = delete;

    /** The counts per store: valid while this record lives. */
    DeletionCountList counts() const& noexcept { return DataDeletionView::counts(); }
    /** Refused: the record is a temporary. Keep it in a variable first. */
    DeletionCountList counts() const&& = delete;
};

inline std::optional<DataDeletionView> WaitProgress::deletion() const noexcept {
    const SynapDataDeletion* deletion = synap_wait_progress_deletion(progress_);
    return deletion ? std::optional<DataDeletionView>(DataDeletionView(deletion)) : std::nullopt;
}

/* ---- Credits (unconfirmed wire format: see Client::credit_balance()) --- */

/** One source of credits of a CreditBalance: a view, valid while that
 *  balance lives. */
class CreditBucket {
public:
    /** Bucket `index` of `balance`, whose owner must outlive it. */
    CreditBucket(const SynapCreditBalance* balance, std::size_t index) noexcept : balance_(balance), index_(index) {}

    /** What granted it: "grant", "purchase", ... */
    std::optional<std::string_view> source_type() const noexcept {
        return detail::optional_view(synap_credit_balance_bucket_source_type(balance_, index_));
    }
    /** Credits left in it. */
    std::optional<double> credits() const noexcept {
        return detail::optional_at(synap_credit_balance_bucket_credits, balance_, index_);
    }
    /** When its credits expire. */
    std::optional<TimePoint> expires_at() const noexcept {
        return detail::optional_time_at(synap_credit_balance_bucket_expires_at_us, balance_, index_);
    }

private:
    const SynapCreditBalance* balance_;
    std::size_t index_;
};

/** One row of a LedgerPage: a view, valid while that page lives. */
class LedgerEntry {
public:
    /** Row `index` of `page`, whose owner must outlive it. */
    LedgerEntry(const SynapLedgerPage* page, std::size_t index) noexcept : page_(page), index_(index) {}

    /** The row's id. */
    std::optional<std::string_view> entry_id() const noexcept {
        return detail::optional_view(synap_ledger_page_entry_id(page_, index_));
    }
    /** Its type: "usage", "redeem", "grant", ... */
    std::optional<std::string_view> entry_type() const noexcept {
        return detail::optional_view(synap_ledger_page_entry_type(page_, index_));
    }
    /** Credits added (positive) or spent (negative). */
    std::optional<double> delta() const noexcept {
        return detail::optional_at(synap_ledger_page_entry_delta, page_, index_);
    }
    /** What it metered. */
    std::optional<std::string_view> metric_type() const noexcept {
        return detail::optional_view(synap_ledger_page_entry_metric_type(page_, index_));
    }
    /** Its usage category. */
    std::optional<std::string_view> category() const noexcept {
        return detail::optional_view(synap_ledger_page_entry_category(page_, index_));
    }
    /** When it was written. */
    std::optional<TimePoint> created_at() const noexcept {
        return detail::optional_time_at(synap_ledger_page_entry_created_at_us, page_, index_);
    }

private:
    const SynapLedgerPage* page_;
    std::size_t index_;
};

namespace detail {

/** The buckets of a balance. */
struct CreditBuckets {
    using value_type = CreditBucket;
    const SynapCreditBalance* balance = nullptr;
    std::size_t size() const noexcept { return synap_credit_balance_bucket_count(balance); }
    CreditBucket at(std::size_t i) const noexcept { return CreditBucket(balance, i); }
};

/** The rows of a ledger page. */
struct LedgerEntries {
    using value_type = LedgerEntry;
    const SynapLedgerPage* page = nullptr;
    std::size_t size() const noexcept { return synap_ledger_page_count(page); }
    LedgerEntry at(std::size_t i) const noexcept { return LedgerEntry(page, i); }
};

}  // namespace detail

/** A balance's buckets, in the order sent. */
using CreditBucketList = ViewList<detail::CreditBuckets>;
/** A ledger page's rows, newest first. */
using LedgerEntryList = ViewList<detail::LedgerEntries>;

/** The account's credit balance, owned, as Client::credit_balance()
 *  returned it. buckets() is refused on a temporary. */
class CreditBalance {
public:
    /** Takes ownership of a balance from synap_credits_balance(). */
    explicit CreditBalance(SynapCreditBalance* owned) noexcept : handle_(owned) {}
    ~CreditBalance() { synap_credit_balance_free(handle_); }
    CreditBalance(CreditBalance&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    CreditBalance& operator=(CreditBalance&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    CreditBalance(const CreditBalance&) = delete;
    CreditBalance& operator=(const CreditBalance&) = delete;

    /** Credits left. */
    double credits() const noexcept { return synap_credit_balance_credits(handle_); }
    /** The account. */
    std::optional<std::string_view> client_id() const noexcept {
        return detail::optional_view(synap_credit_balance_client_id(handle_));
    }
    /** Whether the service warns that the balance is low. */
    bool warning_low() const noexcept { return synap_credit_balance_warning_low(handle_); }
    /** The sources of the credits: valid while this balance lives. */
    CreditBucketList buckets() const& noexcept { return CreditBucketList(detail::CreditBuckets{handle_}); }
    /** Refused: the balance is a temporary. Keep it in a variable first. */
    CreditBucketList buckets() const&& = delete;

    /** The C handle, still owned by this balance. */
    const SynapCreditBalance* get() const noexcept { return handle_; }

private:
    SynapCreditBalance* handle_;
};

/** Which ledger rows Client::credit_ledger() reads: a page of limit() rows
 *  (100 unless set) from offset() (0), optionally of one entry type and
 *  within a time range. Each setter throws synap::Error
 *  (SYNAP_INVALID_ARGUMENT) if libsynap refuses the value, leaving the
 *  query as it was, and returns *this for chaining. */
class LedgerQuery {
public:
    /** The first 100 rows of any type. */
    LedgerQuery() : handle_(detail::not_null(synap_ledger_query_new())) {}
    ~LedgerQuery() { synap_ledger_query_free(handle_); }
    LedgerQuery(LedgerQuery&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    LedgerQuery& operator=(LedgerQuery&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    LedgerQuery(const LedgerQuery&) = delete;
    LedgerQuery& operator=(const LedgerQuery&) = delete;

    /** Only rows of this type ("usage", "redeem", ...); "" clears it. */
    LedgerQuery& entry_type(const std::string& type) {
        return set(synap_ledger_query_set_entry_type(handle_, detail::c_str(type, "entry_type")));
    }
    /** Only rows at or after `when` (years 1 to 9999, rounded down to the
     *  microsecond). */
    template <class Duration>
    LedgerQuery& from(std::chrono::time_point<std::chrono::system_clock, Duration> when) {
        return set(synap_ledger_query_set_from_us(handle_, detail::unix_us(when)));
    }
    /** Only rows before `when`. */
    template <class Duration>
    LedgerQuery& to(std::chrono::time_point<std::chrono::system_clock, Duration> when) {
        return set(synap_ledger_query_set_to_us(handle_, detail::unix_us(when)));
    }
    /** Rows per page, 1 to 500. */
    LedgerQuery& limit(std::uint32_t rows) { return set(synap_ledger_query_set_limit(handle_, rows)); }
    /** Rows to skip. */
    LedgerQuery& offset(std::uint64_t rows) { return set(synap_ledger_query_set_offset(handle_, rows)); }

    /** The C handle, still owned by this query. */
    const SynapLedgerQuery* get() const noexcept { return handle_; }

private:
    LedgerQuery& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapLedgerQuery* handle_;
};

/** One page of the credit ledger, newest first, owned, as
 *  Client::credit_ledger() returned it. entries() is refused on a
 *  temporary. */
class LedgerPage {
public:
    /** Takes ownership of a page from synap_credits_ledger(). */
    explicit LedgerPage(SynapLedgerPage* owned) noexcept : handle_(owned) {}
    ~LedgerPage() { synap_ledger_page_free(handle_); }
    LedgerPage(LedgerPage&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    LedgerPage& operator=(LedgerPage&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    LedgerPage(const LedgerPage&) = delete;
    LedgerPage& operator=(const LedgerPage&) = delete;

    /** How many rows the page holds. */
    std::size_t size() const noexcept { return synap_ledger_page_count(handle_); }
    /** Rows matching the query over all pages. */
    std::optional<std::int64_t> total() const noexcept {
        return detail::optional_value(synap_ledger_page_total, handle_);
    }
    /** The page size the service used. */
    std::optional<std::int64_t> limit() const noexcept {
        return detail::optional_value(synap_ledger_page_limit, handle_);
    }
    /** The offset of this page. */
    std::optional<std::int64_t> offset() const noexcept {
        return detail::optional_value(synap_ledger_page_offset, handle_);
    }
    /** The rows, newest first: valid while this page lives. */
    LedgerEntryList entries() const& noexcept { return LedgerEntryList(detail::LedgerEntries{handle_}); }
    /** Refused: the page is a temporary. Keep it in a variable first. */
    LedgerEntryList entries() const&& = delete;

    /** The C handle, still owned by this page. */
    const SynapLedgerPage* get() const noexcept { return handle_; }

private:
    SynapLedgerPage* handle_;
};

/** What Client::estimate_credits() prices: a metric type and a number of
 *  units (both required), optionally an item count, an endpoint and a
 *  mode. Each setter throws synap::Error (SYNAP_INVALID_ARGUMENT) if
 *  libsynap refuses the value, leaving the request as it was, and returns
 *  *this for chaining. */
class EstimateRequest {
public:
    /** Nothing set. */
    EstimateRequest() : handle_(detail::not_null(synap_estimate_request_new())) {}
    ~EstimateRequest() { synap_estimate_request_free(handle_); }
    EstimateRequest(EstimateRequest&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    EstimateRequest& operator=(EstimateRequest&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    EstimateRequest(const EstimateRequest&) = delete;
    EstimateRequest& operator=(const EstimateRequest&) = delete;

    /** What is metered, e.g. "llm_input_tokens"; not empty. */
    EstimateRequest& metric_type(const std::string& type) {
        return set(synap_estimate_request_set_metric_type(handle_, detail::c_str(type, "metric_type")));
    }
    /** How many units: finite and not negative. */
    EstimateRequest& units(double units) { return set(synap_estimate_request_set_units(handle_, units)); }
    /** How many items the units are spread over. */
    EstimateRequest& item_count(std::uint64_t count) {
        return set(synap_estimate_request_set_item_count(handle_, count));
    }
    /** The route the usage would go to; "" clears it. */
    EstimateRequest& endpoint(const std::string& endpoint) {
        return set(synap_estimate_request_set_endpoint(handle_, detail::c_str(endpoint, "endpoint")));
    }
    /** The mode the usage would run in (e.g. "fast"); "" clears it. */
    EstimateRequest& mode(const std::string& mode) {
        return set(synap_estimate_request_set_mode(handle_, detail::c_str(mode, "mode")));
    }

    /** The C handle, still owned by this request. */
    const SynapEstimateRequest* get() const noexcept { return handle_; }

private:
    EstimateRequest& set(SynapCode code) {
        detail::check(code);
        return *this;
    }

    SynapEstimateRequest* handle_;
};

/** A redeemed credit code, owned, as Client::redeem_credits() returned it. */
class Redemption {
public:
    /** Takes ownership of a redemption from synap_credits_redeem(). */
    explicit Redemption(SynapRedemption* owned) noexcept : handle_(owned) {}
    ~Redemption() { synap_redemption_free(handle_); }
    Redemption(Redemption&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Redemption& operator=(Redemption&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Redemption(const Redemption&) = delete;
    Redemption& operator=(const Redemption&) = delete;

    /** The redemption's id. */
    std::optional<std::string_view> redemption_id() const noexcept {
        return detail::optional_view(synap_redemption_id(handle_));
    }
    /** Credits the code granted. */
    std::optional<double> credits_granted() const noexcept {
        return detail::optional_value(synap_redemption_credits_granted, handle_);
    }
    /** The balance after the code. */
    std::optional<double> new_balance() const noexcept {
        return detail::optional_value(synap_redemption_new_balance, handle_);
    }
    /** When the granted credits expire. */
    std::optional<TimePoint> expires_at() const noexcept {
        return detail::optional_time(synap_redemption_expires_at_us, handle_);
    }

    /** The C handle, still owned by this redemption. */
    const SynapRedemption* get() const noexcept { return handle_; }

private:
    SynapRedemption* handle_;
};

/** A connection to the service; share one between threads. */
class Client {
public:
    /** A client with `api_key` ("" reads SYNAP_API_KEY) and `options`. */
    Client(const std::string& api_key, const Options& options) { make(api_key, options.get()); }
    /** A client with `api_key` ("" reads SYNAP_API_KEY) and the defaults. */
    explicit Client(const std::string& api_key = std::string()) { make(api_key, nullptr); }
    ~Client() { synap_client_free(handle_); }
    Client(Client&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Client& operator=(Client&& other) noexcept {
        std::swap(handle_, other.handle_);
        return *this;
    }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /** The job's status now (memories.status). Throws synap::Error. */
    MemoryStatus status(const std::string& ingestion_id) const {
        SynapMemoryStatus* out = nullptr;
        detail::check(synap_memories_status(handle_, detail::c_str(ingestion_id, "ingestion_id"), &out));
        return MemoryStatus(out);
    }

    /** Polls until the job is completed, failed or partial_success and
     *  returns that status. Throws synap::Error (SYNAP_TIMEOUT,
     *  SYNAP_CANCELLED, or a poll's error), or what the progress callback
     *  threw. */
    MemoryStatus wait(const std::string& ingestion_id, const WaitOptions& how = WaitOptions()) const {
        const char* id = detail::c_str(ingestion_id, "ingestion_id");
        return run_wait<MemoryStatus, SynapMemoryStatus>(how, [&](const SynapWaitOptions* options, auto** out) {
            return synap_memories_wait(handle_, id, options, out);
        });
    }

    /** Queues one document for ingestion (memories.create); wait() for the
     *  job, then get() its memories. Throws synap::Error:
     *  SYNAP_INVALID_ARGUMENT (no document), SYNAP_INVALID_REQUEST (the
     *  service refused a field), SYNAP_CONFLICT (a duplicate document id),
     *  SYNAP_INSUFFICIENT_CREDITS or a transport code. Not resent after a
     *  timeout or dropped connection, where the service may have queued it:
     *  set a document id to make your own retry safe. */
    Ingestion create(const CreateRequest& request) const {
        SynapIngestion* out = nullptr;
        detail::check(synap_memories_create(handle_, request.get(), &out));
        return Ingestion(out);
    }

    /** Queues many documents in one request (memories.batch_create).
     *  [first, last) yields CreateRequest references (a container of
     *  requests, or of std::reference_wrapper to them). With `fail_fast`
     *  the service refuses the whole batch at the first invalid document
     *  (SYNAP_INVALID_REQUEST); without it, invalid documents come back as
     *  refused results while the rest are queued. Throws synap::Error. */
    template <class Iterator>
    Batch batch_create(Iterator first, Iterator last, bool fail_fast = false) const {
        std::vector<const SynapCreateRequest*> handles;
        for (; first != last; ++first) {
            const CreateRequest& request = *first;
            handles.push_back(request.get());
        }
        SynapBatch* out = nullptr;
        detail::check(synap_memories_batch_create(handle_, handles.data(), handles.size(), fail_fast, &out));
        return Batch(out);
    }

    /** batch_create() of requests listed in place: batch_create({a, b}). */
    Batch batch_create(std::initializer_list<std::reference_wrapper<const CreateRequest>> requests,
                       bool fail_fast = false) const {
        return batch_create(requests.begin(), requests.end(), fail_fast);
    }

    /** One memory by id (memories.get), e.g. from StatusView::memory_ids().
     *  Throws synap::Error: SYNAP_INVALID_ARGUMENT for an id that is not a
     *  UUID (before any request), SYNAP_NOT_FOUND, or the codes of status(). */
    Memory get(const std::string& memory_id) const {
        SynapMemory* out = nullptr;
        detail::check(synap_memories_get(handle_, detail::c_str(memory_id, "memory_id"), &out));
        return Memory(out);
    }

    /** The account behind this client's API key. Once it has answered, this
     *  client's requests carry its ids and a B2C instance's creates refuse a
     *  customer id locally. Throws synap::Error (SYNAP_AUTH for a key the
     *  service does not know). */
    Identity whoami() const {
        SynapIdentity* out = nullptr;
        detail::check(synap_client_whoami(handle_, &out));
        return Identity(out);
    }

    /** Waits for many jobs at once, polling at most how's max_in_flight at
     *  a time, until each is completed, failed or partial_success or has an
     *  error, the timeout passes, or the wait is stopped (unfinished jobs
     *  then end with SYNAP_CANCELLED). Returns one result per id, whatever
     *  became of each job; throws what the progress callback threw, or
     *  synap::Error only if libsynap refuses the call itself (a moved-from
     *  client). */
    WaitAllResults wait_all(const std::vector<std::string>& ingestion_ids,
                            const WaitOptions& how = WaitOptions()) const {
        std::vector<const char*> ids;
        ids.reserve(ingestion_ids.size());
        for (const std::string& id : ingestion_ids) {
            ids.push_back(detail::c_str(id, "ingestion_ids[" + std::to_string(ids.size()) + "]"));
        }
        return run_wait<WaitAllResults, SynapWaitAllResults>(how, [&](const SynapWaitOptions* options, auto** out) {
            return synap_memories_wait_all(handle_, ids.data(), ids.size(), options, out);
        });
    }

    /** What Synap remembers for a scope (context.fetch): the memories
     *  relevant to the request's queries, with the conversation state and
     *  the retrieval block. Without a query, a conversation fetch answers
     *  with the conversation's state and a user fetch with the user's
     *  profile when there is one (Context::source() says which). Throws
     *  synap::Error: SYNAP_INVALID_ARGUMENT (the scope's id missing, a
     *  customer id on a B2C instance), SYNAP_INVALID_REQUEST (the service
     *  refused a value), SYNAP_NOT_FOUND, SYNAP_CONFLICT (the instance is
     *  not ready), SYNAP_PROTOCOL (a body whose structure is wrong) or a
     *  transport code. */
    Context context_fetch(const ContextRequest& request) const {
        SynapContext* out = nullptr;
        detail::check(synap_context_fetch(handle_, request.get(), &out));
        return Context(out);
    }

    /** What the service has learnt of a user: overview and attributes.
     *  `customer_id` is the user's customer on a B2B instance; leave it
     *  out on a B2C one. Any user id (`/`, `?`, `#` included) reaches the
     *  service intact. Throws synap::Error: SYNAP_NOT_FOUND while the user
     *  has no profile, SYNAP_INVALID_ARGUMENT, or the codes of status(). */
    Profile user_profile(const std::string& user_id,
                         const std::optional<std::string>& customer_id = std::nullopt) const {
        const char* user = detail::c_str(user_id, "user_id");
        const char* customer = customer_id ? detail::c_str(*customer_id, "customer_id") : nullptr;
        SynapProfile* out = nullptr;
        detail::check(synap_user_profile(handle_, user, customer, &out));
        return Profile(out);
    }

    /** A conversation's prompt context in the default style
     *  ("structured"). Throws synap::Error: SYNAP_INVALID_ARGUMENT for an
     *  id that is not a UUID, SYNAP_NOT_FOUND, or the codes of status(). */
    PromptContext prompt_context(const std::string& conversation_id) const {
        SynapPromptContext* out = nullptr;
        const char* id = detail::c_str(conversation_id, "conversation_id");
        detail::check(synap_conversation_prompt_context(handle_, id, nullptr, &out));
        return PromptContext(out);
    }

    /** A conversation's prompt context rendered as `options` say, e.g.
     *  prompt_context(id, synap::PromptOptions().style("narrative")).
     *  Throws as prompt_context(conversation_id) does. */
    PromptContext prompt_context(const std::string& conversation_id, const PromptOptions& options) const {
        SynapPromptContext* out = nullptr;
        const char* id = detail::c_str(conversation_id, "conversation_id");
        detail::check(synap_conversation_prompt_context(handle_, id, options.get(), &out));
        return PromptContext(out);
    }

    /** Records one message of a conversation (conversation.record_message);
     *  the request needs its conversation, role, content and user. Not
     *  idempotent: libsynap resends it only when the failure proves it had
     *  no effect (a refused connection, HTTP 429 or 503), never after a
     *  timeout, a dropped connection or another 5xx, where the service may
     *  have recorded it. Throws synap::Error: SYNAP_INVALID_ARGUMENT (a
     *  field missing, a customer id on a B2C instance), SYNAP_INVALID_REQUEST,
     *  SYNAP_CONFLICT (the instance is not ready) or a transport code. */
    RecordedMessage record_message(const MessageRequest& request) const {
        SynapRecordedMessage* out = nullptr;
        detail::check(synap_conversation_record_message(handle_, request.get(), &out));
        return RecordedMessage(out);
    }

    /** Records many messages in one request
     *  (conversation.record_messages_batch). [first, last) yields
     *  MessageRequest references (at least one), each with its conversation,
     *  role and content. A message the service refuses is one of the
     *  batch's errors() while the others are stored. Not idempotent: resent
     *  only as record_message() is. Throws synap::Error as record_message()
     *  does. */
    template <class Iterator>
    MessageBatch record_messages(Iterator first, Iterator last) const {
        std::vector<const SynapMessageRequest*> handles;
        for (; first != last; ++first) {
            const MessageRequest& request = *first;
            handles.push_back(request.get());
        }
        SynapMessageBatch* out = nullptr;
        detail::check(synap_conversation_record_messages(handle_, handles.data(), handles.size(), &out));
        return MessageBatch(out);
    }

    /** record_messages() of every request in `requests`, in order. */
    MessageBatch record_messages(const std::vector<MessageRequest>& requests) const {
        return record_messages(requests.begin(), requests.end());
    }

    /** Ingests a finished conversation in one go (conversation.ingest): an
     *  ingestion job to follow with wait(), and the UUID the service keeps
     *  for the conversation. The same transcript again is answered as a
     *  duplicate of the first job (TranscriptIngestion::is_duplicate()), so
     *  repeating it is safe; another transcript under the same conversation
     *  id throws SYNAP_CONFLICT. Not idempotent: resent only as
     *  record_message() is. Throws synap::Error as record_message() does. */
    TranscriptIngestion ingest_transcript(const TranscriptRequest& request) const {
        SynapTranscriptIngestion* out = nullptr;
        detail::check(synap_conversation_ingest(handle_, request.get(), &out));
        return TranscriptIngestion(out);
    }

    /** One page of a conversation's messages, oldest first: from position
     *  `start` (1 is the first message), at most `limit` (1 to 500). A page
     *  shorter than `limit` is the last (MessagePage::is_last()). Throws
     *  synap::Error: SYNAP_INVALID_ARGUMENT (an id that is not a UUID, a
     *  start or limit out of range), or the codes of status(). */
    MessagePage messages(const std::string& conversation_id, std::uint32_t start, std::uint32_t limit) const {
        SynapMessagePage* out = nullptr;
        const char* id = detail::c_str(conversation_id, "conversation_id");
        detail::check(synap_conversation_messages(handle_, id, start, limit, &out));
        return MessagePage(out, start, limit);
    }

    /** Starts compacting a conversation with the service's defaults
     *  (conversation.compact): a job that ends with a summary and a
     *  cut-off. Follow it with compaction_status(), then read compacted();
     *  prompt_context() then holds the summary plus the later turns. Throws
     *  synap::Error: SYNAP_CONFLICT (one already running),
     *  SYNAP_INVALID_ARGUMENT (an id that is not a UUID), or a transport
     *  code. Not idempotent: resent only as record_message() is. */
    Compaction compact(const std::string& conversation_id) const {
        SynapCompaction* out = nullptr;
        const char* id = detail::c_str(conversation_id, "conversation_id");
        detail::check(synap_conversation_compact(handle_, id, nullptr, &out));
        return Compaction(out);
    }

    /** compact() as `options` say, e.g.
     *  compact(id, synap::CompactOptions().strategy("balanced").force(true)). */
    Compaction compact(const std::string& conversation_id, const CompactOptions& options) const {
        SynapCompaction* out = nullptr;
        const char* id = detail::c_str(conversation_id, "conversation_id");
        detail::check(synap_conversation_compact(handle_, id, options.get(), &out));
        return Compaction(out);
    }

    /** A conversation's latest compacted state, structured; nullopt while it
     *  has not been compacted (the service's 404). Throws synap::Error:
     *  SYNAP_INVALID_ARGUMENT for an id that is not a UUID, or the codes of
     *  status() other than SYNAP_NOT_FOUND. */
    std::optional<Compacted> compacted(const std::string& conversation_id) const {
        return read_compacted(conversation_id, nullptr);
    }

    /** compacted() in the format and version `options` say. */
    std::optional<Compacted> compacted(const std::string& conversation_id, const CompactedOptions& options) const {
        return read_compacted(conversation_id, options.get());
    }

    /** Where a conversation's compaction stands. Throws synap::Error:
     *  SYNAP_INVALID_ARGUMENT for an id that is not a UUID, or the codes of
     *  status(). */
    CompactionStatus compaction_status(const std::string& conversation_id) const {
        SynapCompactionStatus* out = nullptr;
        const char* id = detail::c_str(conversation_id, "conversation_id");
        detail::check(synap_conversation_compaction_status(handle_, id, &out));
        return CompactionStatus(out);
    }

    /** Updates one memory (memories.update) and returns it as the service
     *  now holds it. Not idempotent (an "append" sent twice appends twice):
     *  resent only when the failure proves it had no effect. Throws
     *  synap::Error: SYNAP_INVALID_ARGUMENT (an id that is not a UUID, no
     *  document), SYNAP_NOT_FOUND (no such memory, or deleted),
     *  SYNAP_INVALID_REQUEST, or a transport code. */
    Memory update(const std::string& memory_id, const UpdateRequest& request) const {
        SynapMemory* out = nullptr;
        const char* id = detail::c_str(memory_id, "memory_id");
        detail::check(synap_memories_update(handle_, id, request.get(), &out));
        return Memory(out);
    }

    /** Deletes one memory (memories.delete): get() and context fetches no
     *  longer return it. Idempotent: retried as reads are. Throws
     *  synap::Error: SYNAP_INVALID_ARGUMENT, SYNAP_NOT_FOUND (no such
     *  memory, or already deleted), SYNAP_PROTOCOL, or a transport code. */
    DeletedMemory delete_memory(const std::string& memory_id) const {
        SynapDeletedMemory* out = nullptr;
        detail::check(synap_memories_delete(handle_, detail::c_str(memory_id, "memory_id"), &out));
        return DeletedMemory(out);
    }

    /** Forgets one user's memories that match a description
     *  (memories.forget): in preview mode files them for approval, in
     *  direct mode deletes them. Read ForgetResult::outcome(). Not
     *  idempotent: resent only when the failure proves it had no effect.
     *  Throws synap::Error: SYNAP_INVALID_ARGUMENT, SYNAP_INVALID_REQUEST
     *  (not scoped to one user), SYNAP_PROTOCOL, or a transport code. */
    ForgetResult forget(const ForgetRequest& request) const {
        SynapForgetResult* out = nullptr;
        detail::check(synap_memories_forget(handle_, request.get(), &out));
        return ForgetResult(out);
    }

    /** Uploads a file, bytes or text as one document (memories.upload) and
     *  returns its ingestion job, to follow with wait(). A file is streamed,
     *  so the whole upload must fit the request timeout (raise it for large
     *  files). Not idempotent: resent only when the failure proves it had
     *  no effect, the file then read again from its start. Throws
     *  synap::Error: SYNAP_FILE (the file could not be opened or read, or
     *  changed size while it was sent: the service never gets it as
     *  whole), SYNAP_INVALID_ARGUMENT, SYNAP_INVALID_REQUEST (HTTP 413
     *  included), SYNAP_INSUFFICIENT_CREDITS, or a transport code. */
    Ingestion upload(const UploadRequest& request) const {
        SynapIngestion* out = nullptr;
        detail::check(synap_memories_upload(handle_, request.get(), &out));
        return Ingestion(out);
    }

    /** Deletes, permanently, everything stored about one user, conversation
     *  or customer (data.delete), sending the request again while the
     *  service asks to continue. The record may still be in progress:
     *  wait_deletion() its deletion_id(). Idempotent. Throws synap::Error:
     *  SYNAP_INVALID_ARGUMENT (no or a mismatched confirmation, a customer
     *  id on a B2C instance), SYNAP_INVALID_REQUEST, SYNAP_AUTH (the
     *  customer scope needs a management key), SYNAP_CONFLICT (the id
     *  belongs to another customer), or a transport code. */
    DataDeletion delete_data(const DataDeleteRequest& request) const {
        SynapDataDeletion* out = nullptr;
        detail::check(synap_data_delete(handle_, request.get(), &out));
        return DataDeletion(out);
    }

    /** A deletion's audit record now (data.status). Throws synap::Error:
     *  SYNAP_INVALID_ARGUMENT (an empty id), SYNAP_NOT_FOUND, or the codes
     *  of status(). */
    DataDeletion deletion_status(const std::string& deletion_id) const {
        SynapDataDeletion* out = nullptr;
        detail::check(synap_data_deletion_status(handle_, detail::c_str(deletion_id, "deletion_id"), &out));
        return DataDeletion(out);
    }

    /** Polls a deletion until it is complete, partial or a dry run and
     *  returns that record: a partial deletion is a record, not an error.
     *  The progress callback reads each record polled through
     *  WaitProgress::deletion(). Throws as wait() does. */
    DataDeletion wait_deletion(const std::string& deletion_id, const WaitOptions& how = WaitOptions()) const {
        const char* id = detail::c_str(deletion_id, "deletion_id");
        return run_wait<DataDeletion, SynapDataDeletion>(how, [&](const SynapWaitOptions* options, auto** out) {
            return synap_data_deletion_wait(handle_, id, options, out);
        });
    }

    /** The account's credit balance (credits.balance). The four credits
     *  calls send and read an unconfirmed wire format: the reference SDK
     *  has never sent these requests, and libsynap follows what that SDK's
     *  code describes. Throws synap::Error: SYNAP_AUTH, SYNAP_PROTOCOL (no
     *  balance in the answer), or a transport code. */
    CreditBalance credit_balance() const {
        SynapCreditBalance* out = nullptr;
        detail::check(synap_credits_balance(handle_, &out));
        return CreditBalance(out);
    }

    /** The first 100 rows of the credit ledger, newest first
     *  (credits.ledger; unconfirmed wire format). Throws as
     *  credit_balance() does, or SYNAP_INVALID_REQUEST. */
    LedgerPage credit_ledger() const { return read_ledger(nullptr); }

    /** The ledger rows `query` selects. */
    LedgerPage credit_ledger(const LedgerQuery& query) const { return read_ledger(query.get()); }

    /** What a usage would cost, in credits (credits.estimate; unconfirmed
     *  wire format). Changes nothing. Throws synap::Error:
     *  SYNAP_INVALID_ARGUMENT (no metric type or units),
     *  SYNAP_INVALID_REQUEST, SYNAP_PROTOCOL (no estimate in the answer),
     *  or a transport code. */
    double estimate_credits(const EstimateRequest& request) const {
        double credits = 0.0;
        detail::check(synap_credits_estimate(handle_, request.get(), &credits));
        return credits;
    }

    /** Redeems a credit code such as "SYN-XXXX-XXXX-XXXX-X" (credits.redeem;
     *  unconfirmed wire format). Not idempotent. Throws synap::Error:
     *  SYNAP_INVALID_REQUEST (a malformed or unknown code),
     *  SYNAP_INSUFFICIENT_CREDITS (a code already redeemed, expired or
     *  exhausted), or a transport code. */
    Redemption redeem_credits(const std::string& code) const {
        SynapRedemption* out = nullptr;
        detail::check(synap_credits_redeem(handle_, detail::c_str(code, "code"), &out));
        return Redemption(out);
    }

    /** The C handle, still owned by this client. */
    const SynapClient* get() const noexcept { return handle_; }

private:
    void make(const std::string& api_key, const SynapOptions* options) {
        detail::check(synap_client_new(detail::c_str(api_key, "api_key"), options, &handle_));
    }

    /** One wait: `call(options, &out)` with `how` turned into libsynap's
     *  options; the answer is a `Result` owning `Handle`. Throws what the
     *  progress callback threw, else the wait's failure. */
    template <class Result, class Handle, class Call>
    static Result run_wait(const WaitOptions& how, Call call) {
        detail::ProgressCall progress{how.progress_, nullptr};
        detail::WaitHandle options;
        how.apply(options, progress);
        Handle* out = nullptr;
        SynapCode code = call(options.get(), &out);
        // Read the details before anything else can make a libsynap call.
        std::optional<Error> error;
        if (code != SYNAP_OK) {
            error = Error::last(code);
        }
        Result result(out);
        progress.rethrow();
        if (error) {
            throw *error;
        }
        return result;
    }

    /** credit_ledger() with `query` (NULL: the first 100 rows). */
    LedgerPage read_ledger(const SynapLedgerQuery* query) const {
        SynapLedgerPage* out = nullptr;
        detail::check(synap_credits_ledger(handle_, query, &out));
        return LedgerPage(out);
    }

    /** compacted() with `options` (NULL: the defaults). */
    std::optional<Compacted> read_compacted(const std::string& conversation_id,
                                            const SynapCompactedOptions* options) const {
        SynapCompacted* out = nullptr;
        const char* id = detail::c_str(conversation_id, "conversation_id");
        detail::check(synap_conversation_compacted(handle_, id, options, &out));
        return out ? std::optional<Compacted>(std::in_place, out) : std::nullopt;
    }

    SynapClient* handle_ = nullptr;
};

/** How much the log callback hears (SynapLogLevel); each level includes
 *  the ones before it. */
enum class LogLevel : int {
    error = SYNAP_LOG_ERROR,  ///< failures the caller may not see otherwise
    warn = SYNAP_LOG_WARN,    ///< plain http to a remote host, a long Retry-After, a retry a deadline cut
    info = SYNAP_LOG_INFO,    ///< retries and the backoff waited, the proxy in use
    debug = SYNAP_LOG_DEBUG,  ///< every request with its outcome and time, every poll of a wait
};

/** A log callback: the line's level and text (one line, UTF-8, without the
 *  API key; valid during the call only). */
using LogFn = std::function<void(LogLevel, std::string_view)>;

namespace detail {

/** Whether this thread is inside the log callback. */
inline bool& in_log_callback() noexcept {
    thread_local bool inside = false;
    return inside;
}

/** No exception may unwind into libsynap: the callback's are dropped. */
inline void log_line(SynapLogLevel level, const char* message, void* user_data) noexcept {
    bool& inside = in_log_callback();
    bool was_inside = std::exchange(inside, true);
    try {
        (*static_cast<const LogFn*>(user_data))(static_cast<LogLevel>(level), view(message));
    } catch (...) {
    }
    inside = was_inside;
}

/** The callback libsynap holds, owned here until libsynap has let go of it. */
class LogSlot {
public:
    static LogSlot& instance() {
        static LogSlot slot;
        return slot;
    }

    /** Installs `next` and hands back the callback it replaced in `next`;
     *  throws libsynap's refusal, keeping the installed one. */
    void swap(LogLevel level, std::unique_ptr<LogFn>& next) {
        // One at a time, so the callback owned here is always the one libsynap holds.
        std::lock_guard<std::mutex> lock(mutex_);
        check(synap_set_log_callback(static_cast<std::int32_t>(level), next ? &log_line : nullptr, next.get()));
        std::swap(installed_, next);
    }

    // At exit, libsynap must stop calling the callback before it is destroyed.
    ~LogSlot() {
        if (installed_) {
            synap_set_log_callback(SYNAP_LOG_ERROR, nullptr, nullptr);
        }
    }

private:
    LogSlot() = default;

    std::mutex mutex_;
    std::unique_ptr<LogFn> installed_;
};

}  // namespace detail

/** Installs the process-wide log callback: `callback` hears every line at
 *  `level` or more severe, on the thread whose call logs, so possibly on
 *  several threads at once (make it thread-safe). An exception it throws is
 *  dropped. An empty callback turns logging off (the default). Replaces the
 *  callback installed before: once this returns, that one is not running,
 *  will not be called again, and has been destroyed. Safe to call from
 *  several threads at once; throws synap::Error (SYNAP_INVALID_ARGUMENT),
 *  keeping the installed callback, for a level that is not a LogLevel or a
 *  call from inside the log callback. Owns libsynap's callback: do not also
 *  call synap_set_log_callback(). */
inline void set_log_callback(LogLevel level, LogFn callback) {
    // libsynap refuses this too, but the lock below would deadlock first.
    if (detail::in_log_callback()) {
        throw Error(SYNAP_INVALID_ARGUMENT, "synap::set_log_callback() cannot be called from inside a log callback");
    }
    std::unique_ptr<LogFn> next = callback ? std::make_unique<LogFn>(std::move(callback)) : nullptr;
    detail::LogSlot::instance().swap(level, next);
    // `next` now holds the replaced callback: destroyed here, outside the lock.
}

}  // namespace synap

#endif /* SYNAP_HPP */
