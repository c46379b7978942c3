/*
 * synap.hpp: a header-only C++17 interface over synap.h, the C API of
 * libsynap. Link with libsynap as for C (-lsynap, pkg-config synap, or the
 * CMake target synap::synap).
 *
 *   synap::Client client(api_key, synap::Options().base_url(url));
 *   synap::MemoryStatus status = client.status(id);
 *   std::cout << status.state_name() << ": " << status.memories_created() << "\n";
 *
 * - Handles are RAII types: Options, Client, MemoryStatus and Cancel free
 *   their C handle when destroyed. They move; they do not copy.
 * - A failed call throws synap::Error, which carries the result code, the
 *   HTTP status, the correlation id and the server's Retry-After, read from
 *   the calling thread right after the call failed.
 * - Strings are std::string_view into the status they came from: valid
 *   while that MemoryStatus lives. Absent values are std::nullopt.
 * - Times are system_clock time points with microsecond precision (UTC).
 * - Threads: as in C. One Client may be used by any number of threads.
 */

#ifndef SYNAP_HPP
#define SYNAP_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
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

    /** The result code, never SYNAP_OK. */
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

/** A string from the C API; NULL (a moved-from handle) is "". */
inline std::string_view view(const char* text) noexcept { return text ? std::string_view(text) : std::string_view(); }

template <class T>
T* not_null(T* handle) {
    if (handle == nullptr) {
        throw std::bad_alloc();
    }
    return handle;
}

inline std::optional<TimePoint> optional_time(bool (*get)(const SynapMemoryStatus*, std::int64_t*),
                                              const SynapMemoryStatus* status) noexcept {
    std::int64_t us = 0;
    if (!get(status, &us)) {
        return std::nullopt;
    }
    return TimePoint(std::chrono::microseconds(us));
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
    Options& base_url(const std::string& url) { return set(synap_options_set_base_url(handle_, url.c_str())); }
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
    Options& proxy(const std::string& url) { return set(synap_options_set_proxy(handle_, url.c_str())); }
    /** Trusts the CAs in this PEM file instead of the bundled roots. */
    Options& ca_file(const std::string& path) { return set(synap_options_set_ca_file(handle_, path.c_str())); }
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

/** A borrowed view of a status: every accessor of MemoryStatus. What a
 *  wait's progress callback sees; valid for that call only. */
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

/** Stops a Client::wait() from another thread. Once triggered it stays so. */
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

/** How Client::wait() waits. */
struct WaitOptions {
    /** The most the whole wait may take; then it throws SYNAP_TIMEOUT. */
    std::chrono::milliseconds timeout{std::chrono::minutes(5)};
    /** The pause between polls; 0 for the library's default (2 s). */
    std::chrono::milliseconds poll_interval{0};
    /** Called after every poll on the waiting thread; false stops the wait
     *  (SYNAP_CANCELLED). An exception it throws ends the wait and is
     *  rethrown from wait(). */
    std::function<bool(const StatusView&)> progress;
    /** Another thread may trigger it to stop the wait (SYNAP_CANCELLED). */
    const Cancel* cancel = nullptr;
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
        detail::check(synap_memories_status(handle_, ingestion_id.c_str(), &out));
        return MemoryStatus(out);
    }

    /** Polls until the job is completed, failed or partial_success and
     *  returns that status. Throws synap::Error (SYNAP_TIMEOUT,
     *  SYNAP_CANCELLED, or a poll's error), or what `progress` threw. */
    MemoryStatus wait(const std::string& ingestion_id, const WaitOptions& how = WaitOptions()) const {
        Progress progress{&how.progress, nullptr};
        SynapMemoryStatus* out = nullptr;
        SynapCode code = synap_memories_wait(handle_, ingestion_id.c_str(), detail::to_ms(how.timeout, "timeout"),
                                             detail::to_ms(how.poll_interval, "poll interval"),
                                             how.progress ? &Progress::call : nullptr, &progress,
                                             how.cancel ? how.cancel->get() : nullptr, &out);
        // Read the details before anything else can make a libsynap call.
        std::optional<Error> error;
        if (code != SYNAP_OK) {
            error = Error::last(code);
        }
        if (progress.thrown) {
            std::rethrow_exception(progress.thrown);
        }
        if (error) {
            throw *error;
        }
        return MemoryStatus(out);
    }

    /** The C handle, still owned by this client. */
    const SynapClient* get() const noexcept { return handle_; }

private:
    // No exception may unwind through libsynap: the trampoline keeps it
    // and stops the wait, and wait() rethrows it.
    struct Progress {
        const std::function<bool(const StatusView&)>* fn;
        std::exception_ptr thrown;

        static bool call(const SynapMemoryStatus* status, void* user_data) noexcept {
            auto* self = static_cast<Progress*>(user_data);
            try {
                return (*self->fn)(StatusView(status));
            } catch (...) {
                self->thrown = std::current_exception();
                return false;
            }
        }
    };

    void make(const std::string& api_key, const SynapOptions* options) {
        detail::check(synap_client_new(api_key.c_str(), options, &handle_));
    }

    SynapClient* handle_ = nullptr;
};

}  // namespace synap

#endif /* SYNAP_HPP */
