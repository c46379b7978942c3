// Tests of include/synap.hpp against the emulator, run by
// tests/cpp_binding.rs, which passes the jobs to use as SYNAP_FIX_<name>.
// Prints one line per failed check and "N passed, N failed" at the end.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "synap.hpp"

using namespace std::chrono_literals;

namespace {

int passed = 0;
int failed = 0;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            std::fprintf(stderr, "not ok %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                      \
    } while (0)

std::string fixture(const char* name) {
    std::string key = std::string("SYNAP_FIX_") + name;
    const char* value = std::getenv(key.c_str());
    if (value == nullptr) {
        std::fprintf(stderr, "missing fixture %s: run this test through `cargo test --test cpp_binding`\n",
                     key.c_str());
        std::exit(2);
    }
    return value;
}

const std::string key = "synap_dev_emulator";
const std::string unknown_id = "00000000-0000-4000-8000-000000000000";

synap::Client client() {
    return synap::Client(key, synap::Options().base_url(fixture("BASE_URL")).max_attempts(1));
}

// The synap::Error a call throws, or nullopt if it throws none.
template <class F>
std::optional<synap::Error> error_of(F call) {
    try {
        call();
    } catch (const synap::Error& e) {
        return e;
    }
    return std::nullopt;
}

void completed_status_is_read() {
    synap::Client c = client();
    auto before = std::chrono::system_clock::now();
    synap::MemoryStatus s = c.status(fixture("COMPLETED"));
    CHECK(s.ingestion_id() == fixture("COMPLETED"));
    CHECK(s.document_id() == "cpp-doc");
    CHECK(s.state() == synap::State::completed);
    CHECK(s.state_name() == "completed");
    CHECK(s.is_terminal());
    CHECK(s.memories_created() == 3);
    std::vector<std::string_view> ids = s.memory_ids();
    CHECK(ids.size() == 3 && !ids[0].empty() && ids[0] != ids[1]);
    CHECK(!s.error_message());
    std::chrono::system_clock::time_point queued = s.queued_at();
    CHECK(queued > before - 5min && queued < before + 5min);
    CHECK(s.started_at() && s.completed_at() && *s.completed_at() >= s.queued_at());

    // Moving hands the handle over; the moved-from status reads as empty.
    synap::MemoryStatus moved = std::move(s);
    CHECK(moved.ingestion_id() == fixture("COMPLETED"));
    CHECK(s.ingestion_id().empty() && s.state() == synap::State::unknown && s.memory_ids().empty());
}

void queued_and_failed_jobs() {
    synap::Client c = client();
    synap::MemoryStatus queued = c.status(fixture("QUEUED"));
    CHECK(queued.state() == synap::State::queued && !queued.is_terminal());
    CHECK(!queued.started_at() && !queued.completed_at() && queued.memory_ids().empty());

    synap::MemoryStatus failed_job = c.status(fixture("FAILED"));
    CHECK(failed_job.state() == synap::State::failed);
    CHECK(failed_job.error_message() && *failed_job.error_message() == "boom");
}

void errors_carry_their_details() {
    synap::Client c = client();
    auto e = error_of([&] { c.status(unknown_id); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404);
    CHECK(e && e->code_name() == "SYNAP_NOT_FOUND" && e->message() == "HTTP 404: Ingestion job not found");
    CHECK(e && std::string(e->what()) == "SYNAP_NOT_FOUND: HTTP 404: Ingestion job not found");
    CHECK(e && e->correlation_id() && e->correlation_id()->rfind("syn__", 0) == 0 && !e->retry_after());

    e = error_of([&] { c.status("../../x"); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0 && !e->correlation_id());

    e = error_of([&] { c.status(fixture("R429")); });
    CHECK(e && e->code() == SYNAP_RATE_LIMITED && e->retry_after() == std::chrono::milliseconds(7000));

    // Catchable as what it derives from.
    bool caught = false;
    try {
        c.status(unknown_id);
    } catch (const std::runtime_error& e) {
        caught = std::string(e.what()).find("404") != std::string::npos;
    }
    CHECK(caught);
}

void refused_options_throw() {
    auto e = error_of([] { synap::Options().max_attempts(0); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->message().find("attempts") != std::string::npos);
    e = error_of([] { synap::Options().base_url("not a url"); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT);
    e = error_of([] { synap::Options().connect_timeout(-1s); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT);
    e = error_of([] { synap::Options().request_timeout(std::chrono::hours(24 * 365 * 1000)); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT);
    // Rounded up: a sub-millisecond timeout is 1 ms, not the refused 0.
    CHECK(!error_of([] { synap::Options().connect_timeout(std::chrono::microseconds(10)); }));
    e = error_of([] { synap::Client(key, synap::Options().ca_file("/nonexistent/ca.pem")); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->message().find("/nonexistent/ca.pem") != std::string::npos);
    e = error_of([] { synap::Client("key with spaces"); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT);
}

void wait_reports_progress() {
    synap::Client c = client();
    std::vector<std::string> states;
    synap::WaitOptions how;
    how.timeout = 10s;
    how.poll_interval = 50ms;
    how.progress = [&](const synap::StatusView& s) {
        if (states.empty() || states.back() != s.state_name()) {
            states.emplace_back(s.state_name());
        }
        return true;
    };
    synap::MemoryStatus done = c.wait(fixture("PROGRESSING"), how);
    CHECK(done.state() == synap::State::completed && done.memories_created() == 1);
    // In order, ending with completed; the job is queued for 1 s, so a slow
    // start may miss that state, but not all before the last.
    const std::vector<std::string> order{"queued", "processing", "completed"};
    bool in_order = states.size() >= 2 && states.back() == "completed";
    for (std::size_t i = 1; in_order && i < states.size(); i++) {
        in_order = std::find(order.begin(), order.end(), states[i - 1]) < std::find(order.begin(), order.end(), states[i]);
    }
    CHECK(in_order);
}

void wait_stops() {
    synap::Client c = client();
    synap::WaitOptions how;
    how.poll_interval = 20ms;

    // From another thread, through a Cancel.
    synap::Cancel cancel;
    how.cancel = &cancel;
    std::thread trigger([&] {
        std::this_thread::sleep_for(200ms);
        cancel.trigger();
    });
    auto started = std::chrono::steady_clock::now();
    auto e = error_of([&] { c.wait(fixture("NEVER"), how); });
    auto took = std::chrono::steady_clock::now() - started;
    trigger.join();
    CHECK(e && e->code() == SYNAP_CANCELLED && cancel.triggered());
    CHECK(took >= 150ms && took < 2s);
    how.cancel = nullptr;

    // By the progress callback returning false.
    int polls = 0;
    how.progress = [&](const synap::StatusView&) { return ++polls < 3; };
    e = error_of([&] { c.wait(fixture("NEVER"), how); });
    CHECK(e && e->code() == SYNAP_CANCELLED && polls == 3);

    // By an exception from the callback, which reaches the caller as itself.
    struct Stop {};
    how.progress = [](const synap::StatusView&) -> bool { throw Stop(); };
    bool stopped = false;
    try {
        c.wait(fixture("NEVER"), how);
    } catch (const Stop&) {
        stopped = true;
    }
    CHECK(stopped);

    // By the timeout.
    how.progress = nullptr;
    how.timeout = 200ms;
    e = error_of([&] { c.wait(fixture("NEVER"), how); });
    CHECK(e && e->code() == SYNAP_TIMEOUT);
}

// Each thread's errors are its own calls', read right after they failed.
void threads_share_one_client() {
    const synap::Client c = client();
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; t++) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; i++) {
                switch ((t + i) % 3) {
                case 0:
                    wrong += c.status(fixture("COMPLETED")).memories_created() != 3;
                    break;
                case 1: {
                    auto e = error_of([&] { c.status(unknown_id); });
                    wrong += !(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404 && e->correlation_id());
                    break;
                }
                default: {
                    auto e = error_of([&] { c.status("not-a-uuid-" + std::to_string(i)); });
                    wrong += !(e && e->code() == SYNAP_INVALID_ARGUMENT && !e->correlation_id());
                }
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(wrong == 0);
}

}  // namespace

static_assert(std::is_same_v<synap::TimePoint::duration, std::chrono::microseconds>);
static_assert(std::is_same_v<synap::TimePoint::clock, std::chrono::system_clock>);

int main() {
    // First: the job it waits for started its timeline when the test began.
    wait_reports_progress();
    CHECK(synap::version() == SYNAP_VERSION);
    completed_status_is_read();
    queued_and_failed_jobs();
    errors_carry_their_details();
    refused_options_throw();
    wait_stops();
    threads_share_one_client();

    // A client moves; the moved-to one works.
    synap::Client a = client();
    synap::Client b = std::move(a);
    CHECK(b.status(fixture("COMPLETED")).is_terminal());

    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
