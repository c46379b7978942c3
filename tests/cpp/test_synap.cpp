// Tests of include/synap.hpp against the emulator, run by
// tests/cpp_binding.rs, which passes the emulators' URLs and the jobs to use
// as SYNAP_FIX_<name>.
// Prints one line per failed check and "N passed, N failed" at the end.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "check.hpp"
#include "synap.hpp"

using namespace std::chrono_literals;

namespace {

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

// A single wait's progress: one job, whose status just polled is lent to
// the callback and counted in the state it is in.
void wait_reports_progress() {
    synap::Client c = client();
    std::vector<std::string> states;
    bool one_job = true;
    synap::WaitOptions how;
    how.timeout(10s).poll_interval(50ms).progress([&](const synap::WaitProgress& p) {
        std::optional<synap::StatusView> s = p.status();
        if (!s) {
            one_job = false;
            return false;
        }
        // SynapWaitState's 1 to 5 are SynapIngestState's.
        auto state = static_cast<synap::WaitState>(s->state());
        one_job = one_job && p.total() == 1 && p.count(state) == 1 && p.count(synap::WaitState::pending) == 0 &&
                  p.count(synap::WaitState::error) == 0 && s->ingestion_id() == fixture("PROGRESSING") &&
                  p.done() == (s->is_terminal() ? 1u : 0u);
        if (states.empty() || states.back() != s->state_name()) {
            states.emplace_back(s->state_name());
        }
        return true;
    });
    synap::MemoryStatus done = c.wait(fixture("PROGRESSING"), how);
    CHECK(done.state() == synap::State::completed && done.memories_created() == 1);
    CHECK(one_job);
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
    how.poll_interval(20ms);

    // From another thread, through a Cancel.
    synap::Cancel cancel;
    how.cancel(&cancel);
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
    how.cancel(nullptr);

    // By the progress callback returning false.
    int polls = 0;
    how.progress([&](const synap::WaitProgress&) { return ++polls < 3; });
    e = error_of([&] { c.wait(fixture("NEVER"), how); });
    CHECK(e && e->code() == SYNAP_CANCELLED && polls == 3);

    // By an exception from the callback, which reaches the caller as itself
    // (ASan's leak checker sees that nothing the wait held is left).
    struct Stop {};
    polls = 0;
    how.progress([&](const synap::WaitProgress&) -> bool {
        polls++;
        throw Stop();
    });
    bool stopped = false;
    try {
        c.wait(fixture("NEVER"), how);
    } catch (const Stop&) {
        stopped = true;
    }
    CHECK(stopped && polls == 1);

    // By the timeout.
    how.progress(nullptr);
    how.timeout(200ms);
    e = error_of([&] { c.wait(fixture("NEVER"), how); });
    CHECK(e && e->code() == SYNAP_TIMEOUT);

    // Without options: the defaults, which a finished job does not wait on.
    CHECK(c.wait(fixture("COMPLETED")).state() == synap::State::completed);
}

// Each setter refuses what libsynap refuses, as SYNAP_INVALID_ARGUMENT
// before any request, and keeps the value it had.
void wait_options_refuse_bad_values() {
    auto refused = [](const std::optional<synap::Error>& e, const char* part) {
        return e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0 &&
               e->message().find(part) != std::string::npos;
    };
    synap::WaitOptions how;
    CHECK(refused(error_of([&] { how.timeout(0ms); }), "timeout"));
    CHECK(refused(error_of([&] { how.timeout(-1ms); }), "timeout"));
    CHECK(refused(error_of([&] { how.poll_interval(0s); }), "interval"));
    CHECK(refused(error_of([&] { how.poll_interval(std::chrono::hours(24 * 365 * 1000)); }), "interval"));
    CHECK(refused(error_of([&] { how.max_in_flight(0); }), "max_in_flight"));
    CHECK(refused(error_of([&] { how.max_in_flight(65); }), "max_in_flight"));
    CHECK(!error_of([&] { how.max_in_flight(1).max_in_flight(64); }));
    // Rounded up: a sub-millisecond interval is 1 ms, not the refused 0.
    CHECK(!error_of([&] { how.poll_interval(std::chrono::microseconds(10)); }));

    // What was set before a refusal still holds: a 300 ms timeout (not 0,
    // nor the 5 minute default) polling every 20 ms (not every 2 s).
    synap::Client c = client();
    int polls = 0;
    how.timeout(300ms).poll_interval(20ms).progress([&](const synap::WaitProgress&) { return ++polls > 0; });
    CHECK(error_of([&] { how.timeout(0ms); }) && error_of([&] { how.poll_interval(0ms); }));
    auto started = std::chrono::steady_clock::now();
    auto e = error_of([&] { c.wait(fixture("NEVER"), how); });
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(e && e->code() == SYNAP_TIMEOUT && took >= 250ms && took < 3s && polls >= 4);

    // A copy is a value of its own.
    synap::WaitOptions copy = how;
    copy.timeout(10s).progress(nullptr);
    polls = 0;
    e = error_of([&] { c.wait(fixture("NEVER"), how); });
    CHECK(e && e->code() == SYNAP_TIMEOUT && polls >= 4);
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

// Every setter refuses a bad value before any request, as the C API's
// SYNAP_INVALID_ARGUMENT, and leaves the request as it was: the request
// sent here keeps its earlier type and mode (tests/cpp_binding.rs reads
// the body the emulator received).
void create_request_refuses_bad_values() {
    synap::Client c = client();
    synap::CreateRequest r;
    r.document_type("email").mode("fast");
    auto refused = [](const std::optional<synap::Error>& e) {
        return e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0 && !e->correlation_id();
    };
    auto e = error_of([&] { r.document_type("support-ticket"); });
    CHECK(refused(e) && e->message().rfind("document_type \"support-ticket\" is not one of", 0) == 0);
    CHECK(refused(error_of([&] { r.mode("slow"); })));
    CHECK(refused(error_of([&] { r.document_json("[1,2]"); })));
    CHECK(refused(error_of([&] { r.document_json("{"); })));
    CHECK(refused(error_of([&] { r.metadata_json("\"x\""); })));
    CHECK(refused(error_of([&] { r.document_text("\xff"); })));
    CHECK(refused(error_of([&] { r.document_created_at(synap::TimePoint::max()); })));

    // No document yet: refused before any request.
    e = error_of([&] { c.create(r); });
    CHECK(refused(e) && e->message().rfind("the request has no document", 0) == 0);

    r.document_text("Please keep these settings in mind for later.").document_id("cpp-kept");
    synap::Ingestion kept = c.create(r);
    CHECK(kept.document_id() == "cpp-kept");

    // A moved-from request refuses everything, as a NULL handle does in C.
    synap::CreateRequest moved = std::move(r);
    CHECK(refused(error_of([&] { r.document_text("x"); })));
    CHECK(refused(error_of([&] { c.create(r); })));
    CHECK(moved.get() != nullptr && r.get() == nullptr);
}

// create -> wait -> get with every field set (tests/cpp_binding.rs checks
// the body sent), then the service's refusals.
void create_wait_and_get() {
    synap::Client c = client();
    const std::string text = "User: I only drink decaf after 3pm.\nAssistant: Noted.";
    // 999 ns past a whole microsecond: sent rounded down.
    std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds> written(
        std::chrono::microseconds(1736937000412000) + std::chrono::nanoseconds(999));
    auto before = std::chrono::system_clock::now();
    synap::Ingestion job = c.create(synap::CreateRequest()
                                        .document_text(text)
                                        .document_type("document")
                                        .mode("fast")
                                        .document_id("cpp-chat-1")
                                        .document_created_at(written)
                                        .user_id("u1")
                                        .customer_id("c1")
                                        .add_scope("team", "payments")
                                        .metadata_json(R"({"channel":"web"})"));
    CHECK(job.document_id() == "cpp-chat-1" && job.ingestion_id().size() == 36);
    CHECK(job.state() == synap::State::queued && job.state_name() == "queued");
    CHECK(job.queued_at() > before - 5min && job.queued_at() < before + 5min);
    CHECK(job.accepted() && !job.error_message() && !job.error());

    // The same document id again: 409.
    auto e = error_of([&] {
        c.create(synap::CreateRequest().document_text("again and again").document_id("cpp-chat-1"));
    });
    CHECK(e && e->code() == SYNAP_CONFLICT && e->http_status() == 409 && e->correlation_id());
    CHECK(e && e->message().find("document_id already exists: cpp-chat-1") != std::string::npos);
    // A blank document: 422. A user without a customer on a B2B instance: 400.
    e = error_of([&] { c.create(synap::CreateRequest().document_text("   ")); });
    CHECK(e && e->code() == SYNAP_INVALID_REQUEST && e->http_status() == 422);
    e = error_of([&] { c.create(synap::CreateRequest().document_text("some words here").user_id("u-only")); });
    CHECK(e && e->code() == SYNAP_INVALID_REQUEST && e->http_status() == 400);

    synap::WaitOptions how;
    how.timeout(10s).poll_interval(50ms);
    synap::MemoryStatus done = c.wait(std::string(job.ingestion_id()), how);
    CHECK(done.state() == synap::State::completed && done.document_id() == "cpp-chat-1");
    std::vector<std::string_view> ids = done.memory_ids();
    CHECK(ids.size() == 1);
    for (std::string_view id : ids) {
        synap::Memory m = c.get(std::string(id));
        CHECK(m.memory_id() == id);
        CHECK(m.content() == "I only drink decaf after 3pm.");
        CHECK(m.type() == "preference" && m.category() == std::string_view("preferences") &&
              m.subcategory() == std::string_view("only"));
        CHECK(m.confidence() > 0.0 && m.confidence() <= 1.0);
        CHECK(m.source_document_id() == std::string_view("cpp-chat-1"));
        CHECK(m.created_at() >= done.queued_at() && !m.updated_at());

        synap::Memory moved = std::move(m);
        CHECK(moved.memory_id() == id && m.memory_id().empty() && !m.category() && m.confidence() == 0.0);
    }

    e = error_of([&] { c.get(unknown_id); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404 && e->correlation_id());
    e = error_of([&] { c.get("../status/x"); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0 && !e->correlation_id());
    CHECK(e && e->message() == "memory_id is not a UUID: \"../status/x\"");

    // A document the pipeline cannot process is accepted, then fails.
    synap::Ingestion doomed = c.create(synap::CreateRequest().document_text("This says FAIL_INGEST, sadly."));
    synap::MemoryStatus failed_job = c.wait(std::string(doomed.ingestion_id()), how);
    CHECK(failed_job.state() == synap::State::failed && failed_job.memory_ids().empty());
    CHECK(failed_job.error_message() && failed_job.error_message()->find("FAIL_INGEST") != std::string_view::npos);

    synap::Ingestion moved = std::move(job);
    CHECK(moved.document_id() == "cpp-chat-1" && job.ingestion_id().empty() && !job.accepted());
}

// Per-document results in order, refused ones saying why; then every job
// of the batch, refused ones included, waited for at once.
void batch_has_per_item_results() {
    synap::Client c = client();
    std::vector<synap::CreateRequest> requests(5);
    requests[0].document_text("The first document has some words.").document_id("cpp-kb-1");
    requests[1].document_text("   ").document_id("cpp-kb-2");
    requests[2].document_json(R"({"subject":"Renewal","body":"The renewal is due in March."})").document_type("email");
    requests[3].document_text("Another document with the same id.").document_id("cpp-kb-1");
    requests[4].document_text("PARTIAL_INGEST here. The rest is fine to keep.");

    synap::Batch batch = c.batch_create(requests.begin(), requests.end());
    CHECK(batch.total() == 5 && batch.succeeded() == 3 && batch.failed() == 2);
    CHECK(batch.size() == 5 && batch.batch_id().size() == 36);
    CHECK(batch[0].accepted() && batch[0].state() == synap::State::queued && batch[0].document_id() == "cpp-kb-1");
    CHECK(!batch[1].accepted() && batch[1].state() == synap::State::failed && batch[1].state_name() == "failed");
    CHECK(batch[1].document_id() == "cpp-kb-2" && batch[1].error_message() &&
          batch[1].error_message()->find("document") != std::string_view::npos);
    auto refusal = batch[1].error();
    CHECK(refusal && refusal->code() == SYNAP_INVALID_REQUEST && batch[1].error_message() &&
          refusal->message() == *batch[1].error_message());
    auto now = std::chrono::system_clock::now();
    CHECK(batch[0].queued_at() > now - 5min && batch[0].queued_at() <= now && batch[1].queued_at() > now - 5min);
    CHECK(batch[2].accepted() && !batch[2].document_id().empty() && !batch[2].error());
    CHECK(!batch[3].accepted() && batch[3].error_message() &&
          batch[3].error_message()->find("document_id already exists: cpp-kb-1") != std::string_view::npos);
    CHECK(batch[4].accepted() && batch[4].state() == synap::State::queued);
    CHECK(batch[5].ingestion_id().empty() && !batch[5].accepted() && batch[5].state() == synap::State::unknown);
    bool out_of_range = false;
    try {
        batch.at(5);
    } catch (const std::out_of_range&) {
        out_of_range = true;
    }
    CHECK(out_of_range && batch.at(4).ingestion_id() == batch[4].ingestion_id());
    std::vector<synap::IngestionView> results = batch.results();
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < results.size(); i++) {
        ids.emplace_back(results[i].ingestion_id());
    }
    CHECK(results.size() == 5 && ids.size() == 5 && ids[2] == batch[2].ingestion_id());

    // fail_fast: the first refused document refuses the whole batch.
    auto e = error_of([&] { c.batch_create({requests[2], requests[1]}, true); });
    CHECK(e && e->code() == SYNAP_INVALID_REQUEST && e->http_status() == 422);
    std::vector<synap::CreateRequest> none;
    e = error_of([&] { c.batch_create(none.begin(), none.end()); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0);
    synap::CreateRequest gone = std::move(requests[0]);
    e = error_of([&] { c.batch_create({requests[0], gone}); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->message().rfind("requests[0] is NULL", 0) == 0);

    synap::WaitAllResults all = c.wait_all(ids, synap::WaitOptions().timeout(10s).poll_interval(50ms));
    CHECK(all.size() == 5);
    const synap::State want[5] = {synap::State::completed, synap::State::failed, synap::State::completed,
                                  synap::State::failed, synap::State::partial_success};
    for (std::size_t i = 0; i < 5 && i < all.size(); i++) {
        CHECK(all[i].has_status() && all[i].status() && all[i].status()->state() == want[i]);
        CHECK(all[i].status() && all[i].status()->ingestion_id() == ids[i]);
    }
    CHECK(all[3].status() && all[3].status()->error_message() == batch[3].error_message());
    CHECK(all.count_in(synap::WaitState::completed) == 2 && all.count_in(synap::WaitState::failed) == 2);
    CHECK(all.count_in(synap::WaitState::partial_success) == 1 && all.count_in(synap::WaitState::error) == 0);
}

void whoami_identifies_the_key() {
    synap::Client c = client();
    auto before = error_of([&] { c.status(unknown_id); });
    CHECK(before && before->correlation_id() && before->correlation_id()->rfind("syn__", 0) == 0);
    synap::Identity me = c.whoami();
    CHECK(me.client_id() == std::string_view("cli_9b2f4d6a8c0e1357"));
    CHECK(me.instance_id() == std::string_view("inst_4e7a19c03b5d82f1"));
    CHECK(!me.user_context_isolation() && !me.is_b2c());
    // From then on the client's correlation ids carry the instance.
    auto after = error_of([&] { c.status(unknown_id); });
    CHECK(after && after->correlation_id() && after->correlation_id()->rfind("syn_inst_4_", 0) == 0);

    synap::Identity moved = std::move(me);
    CHECK(moved.client_id() && !me.client_id() && !me.is_b2c());

    synap::Client stranger("synap_not_a_known_key", synap::Options().base_url(fixture("BASE_URL")).max_attempts(1));
    auto e = error_of([&] { stranger.whoami(); });
    CHECK(e && e->code() == SYNAP_AUTH && e->http_status() == 401 && e->message() == "HTTP 401: Invalid API key");
}

bool contains(std::optional<std::string_view> text, std::string_view part) {
    return text && text->find(part) != std::string_view::npos;
}

using synap::WaitState;

// One progress report, kept past the callback that saw it.
struct Report {
    std::size_t total;
    std::size_t done;
    bool has_status;
    std::size_t in[7];

    explicit Report(const synap::WaitProgress& p)
        : total(p.total()), done(p.done()), has_status(p.status().has_value()), in{} {
        for (int state = 0; state < 7; state++) {
            in[state] = p.count(static_cast<WaitState>(state));
        }
    }
    std::size_t operator[](WaitState state) const { return in[static_cast<int>(state)]; }
    std::size_t sum() const {
        std::size_t all = 0;
        for (std::size_t n : in) {
            all += n;
        }
        return all;
    }
};

// Completed, failed, malformed, never-ending and unknown jobs at once, with
// a deadline: each gets its own code, in the order given.
void wait_all_reports_each_job() {
    synap::Client c = client();
    const std::vector<std::string> ids{fixture("COMPLETED"), fixture("FAILED"), "not-a-uuid", fixture("NEVER"),
                                       unknown_id};
    std::vector<Report> seen;
    synap::WaitOptions how;
    how.timeout(1000ms).poll_interval(50ms).max_in_flight(2).progress([&](const synap::WaitProgress& p) {
        seen.emplace_back(p);
        return true;
    });
    auto started = std::chrono::steady_clock::now();
    synap::WaitAllResults results = c.wait_all(ids, how);
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(took >= 950ms && took < 3s);
    CHECK(results.size() == 5);

    CHECK(results[0].code() == SYNAP_OK && results[0].has_status());
    CHECK(!results[0].error_message() && !results[0].error());
    CHECK(results[0].status() && results[0].status()->state() == synap::State::completed &&
          results[0].status()->ingestion_id() == ids[0] && results[0].status()->memories_created() == 3);
    // A failed job is a status, not an error.
    CHECK(results[1].code() == SYNAP_OK && results[1].status() &&
          results[1].status()->state() == synap::State::failed &&
          results[1].status()->error_message() == std::string_view("boom"));
    CHECK(results[2].code() == SYNAP_INVALID_ARGUMENT && !results[2].status() &&
          contains(results[2].error_message(), "not-a-uuid"));
    CHECK(results[3].code() == SYNAP_TIMEOUT && !results[3].has_status() && !results[3].status());
    CHECK(contains(results[3].error_message(), "did not complete within 1000 ms"));
    auto e = results[3].error();
    CHECK(e && e->code() == SYNAP_TIMEOUT && e->http_status() == 0 && results[3].error_message() &&
          e->message() == *results[3].error_message());
    CHECK(results[4].code() == SYNAP_NOT_FOUND && results[4].error() && results[4].error()->code() == SYNAP_NOT_FOUND);
    CHECK(results[5].code() == SYNAP_INVALID_ARGUMENT && !results[5].status() && !results[5].error_message());
    bool out_of_range = false;
    try {
        results.at(5);
    } catch (const std::out_of_range&) {
        out_of_range = true;
    }
    CHECK(out_of_range);

    CHECK(results.count_in(WaitState::completed) == 1 && results.count_in(WaitState::failed) == 1);
    CHECK(results.count_in(WaitState::partial_success) == 0 && results.count_in(WaitState::error) == 3);
    CHECK(results.count_in(WaitState::pending) == 0 && results.count_in(WaitState::queued) == 0 &&
          results.count_in(WaitState::processing) == 0);
    CHECK(results.count_in(static_cast<WaitState>(7)) == 0 && results.count_in(static_cast<WaitState>(-1)) == 0);

    // Reported before the first poll (the malformed id is already an
    // error), then after every change; each report accounts for every job
    // once, has no single status, and what is done only grows.
    CHECK(seen.size() >= 2);
    CHECK(!seen.empty() && seen.front()[WaitState::pending] == 4 && seen.front()[WaitState::error] == 1);
    CHECK(!seen.empty() && seen.back().done >= 4);
    bool growing = true;
    for (std::size_t i = 0; i < seen.size(); i++) {
        growing = growing && seen[i].total == 5 && seen[i].sum() == 5 && !seen[i].has_status;
        growing = growing && (i == 0 || seen[i].done >= seen[i - 1].done);
    }
    CHECK(growing);

    synap::WaitAllResults moved = std::move(results);
    CHECK(moved.size() == 5 && results.size() == 0 && results[0].code() == SYNAP_INVALID_ARGUMENT);
    CHECK(results.count_in(WaitState::error) == 0);

    CHECK(c.wait_all({}, how).size() == 0);
    // Without options: the defaults, which finished jobs do not wait on.
    results = c.wait_all({fixture("COMPLETED"), fixture("FAILED")});
    CHECK(results.count_in(WaitState::completed) == 1 && results.count_in(WaitState::failed) == 1);
}

void wait_all_stops() {
    synap::Client c = client();
    const std::vector<std::string> ids{fixture("COMPLETED"), fixture("NEVER")};
    synap::WaitOptions how;
    how.timeout(10s).poll_interval(20ms);

    // By the progress callback returning false: unfinished jobs are cancelled.
    int calls = 0;
    how.progress([&](const synap::WaitProgress& p) {
        calls++;
        return p.done() < 1;
    });
    synap::WaitAllResults results = c.wait_all(ids, how);
    CHECK(results[0].has_status() && results[1].code() == SYNAP_CANCELLED && calls >= 1);
    CHECK(results.count_in(WaitState::completed) == 1 && results.count_in(WaitState::error) == 1);

    // By an exception from the callback: the wait stops, and the exception
    // reaches the caller as itself (the results it had are freed).
    struct Stop {};
    calls = 0;
    how.progress([&](const synap::WaitProgress&) -> bool {
        calls++;
        throw Stop();
    });
    bool stopped = false;
    auto started = std::chrono::steady_clock::now();
    try {
        c.wait_all(ids, how);
    } catch (const Stop&) {
        stopped = true;
    }
    CHECK(stopped && calls == 1 && std::chrono::steady_clock::now() - started < 2s);

    // From another thread, through a Cancel.
    how.progress(nullptr);
    synap::Cancel cancel;
    how.cancel(&cancel);
    std::thread trigger([&] {
        std::this_thread::sleep_for(200ms);
        cancel.trigger();
    });
    started = std::chrono::steady_clock::now();
    results = c.wait_all(ids, how);
    auto took = std::chrono::steady_clock::now() - started;
    trigger.join();
    CHECK(results[0].has_status() && results[1].code() == SYNAP_CANCELLED && cancel.triggered());
    CHECK(took >= 150ms && took < 2s);

    // A moved-from client is refused as in C, with a NULL client.
    synap::Client gone = std::move(c);
    auto e = error_of([&] { c.wait_all(ids, how); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT);
}

// A different number of jobs in each state (1 partial_success, 2 failed,
// 3 completed, 4 queued, 5 processing, 6 malformed), so a count read from
// another state's field shows.
void wait_all_counts_each_state() {
    synap::Client c = client();
    std::vector<std::string> ids;
    const std::pair<const char*, std::size_t> jobs[] = {
        {"PARTIAL", 1}, {"FAILED", 2}, {"COMPLETED", 3}, {"QUEUED", 4}, {"NEVER", 5}};
    for (const auto& [name, n] : jobs) {
        ids.insert(ids.end(), n, fixture(name));
    }
    for (int i = 0; i < 6; i++) {
        ids.push_back("malformed-" + std::to_string(i));
    }
    std::vector<Report> seen;
    synap::WaitOptions how;
    how.timeout(600ms).poll_interval(50ms).progress([&](const synap::WaitProgress& p) {
        seen.emplace_back(p);
        return true;
    });
    synap::WaitAllResults results = c.wait_all(ids, how);
    CHECK(results.size() == 21);

    // Every report accounts for each job once; the malformed ids are errors
    // from the first report on.
    bool whole = !seen.empty() && seen.front()[WaitState::error] >= 6;
    for (const Report& r : seen) {
        whole = whole && r.total == 21 && r.sum() == 21;
    }
    CHECK(whole);
    // Once every job has answered, each state has its own count.
    auto answered = std::find_if(seen.begin(), seen.end(), [](const Report& r) { return r[WaitState::pending] == 0; });
    CHECK(answered != seen.end());
    if (answered != seen.end()) {
        const Report& r = *answered;
        CHECK(r[WaitState::partial_success] == 1 && r[WaitState::failed] == 2 && r[WaitState::completed] == 3);
        CHECK(r[WaitState::queued] == 4 && r[WaitState::processing] == 5 && r[WaitState::error] == 6);
        CHECK(r.done == 1 + 2 + 3 + 6);
    }
    // At the deadline the queued and processing jobs end as errors.
    CHECK(results.count_in(WaitState::partial_success) == 1 && results.count_in(WaitState::failed) == 2 &&
          results.count_in(WaitState::completed) == 3 && results.count_in(WaitState::error) == 6 + 4 + 5);
    CHECK(results.count_in(WaitState::pending) == 0 && results.count_in(WaitState::queued) == 0 &&
          results.count_in(WaitState::processing) == 0);
    CHECK(results[0].status() && results[0].status()->state() == synap::State::partial_success &&
          results[0].status()->error_message() == std::string_view("half"));
    CHECK(results[6].code() == SYNAP_TIMEOUT && results[10].code() == SYNAP_TIMEOUT);
    CHECK(results[20].code() == SYNAP_INVALID_ARGUMENT && contains(results[20].error_message(), "malformed-5"));
}

// On a B2C instance the service refuses a customer id (400); once whoami()
// has said so, the client refuses it itself, before any request
// (tests/cpp_binding.rs checks that the service saw one such create only).
void b2c_refuses_a_customer_id_after_whoami() {
    synap::Client c = client_of("B2C_URL");
    synap::CreateRequest with_customer;
    with_customer.document_text("Words enough to remember.").customer_id("c1");
    auto e = error_of([&] { c.create(with_customer); });
    CHECK(e && e->code() == SYNAP_INVALID_REQUEST && e->http_status() == 400 && e->correlation_id());

    synap::Identity me = c.whoami();
    CHECK(me.is_b2c() && me.user_context_isolation() == std::string_view("equals_customer"));
    e = error_of([&] { c.create(with_customer); });
    CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0 && !e->correlation_id());
    CHECK(e && e->message().find("customer") != std::string::npos);
    // A user id alone is what a B2C instance takes.
    synap::Ingestion job = c.create(synap::CreateRequest().document_text("Words enough to remember.").user_id("u1"));
    CHECK(job.accepted() && job.state() == synap::State::queued);
}

// Log lines heard on any thread.
class Heard {
public:
    void add(synap::LogLevel level, std::string_view line) {
        std::lock_guard<std::mutex> lock(mutex_);
        lines_.emplace_back(level, std::string(line));
    }
    std::vector<std::pair<synap::LogLevel, std::string>> lines() {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }
    std::size_t size() { return lines().size(); }

private:
    std::mutex mutex_;
    std::vector<std::pair<synap::LogLevel, std::string>> lines_;
};

// The callback hears the client's requests at its level, a replaced one is
// destroyed and never called again, and nothing it throws reaches libsynap.
void log_callback_hears_requests() {
    synap::Client c = client();
    Heard heard;
    synap::set_log_callback(synap::LogLevel::debug,
                            [&](synap::LogLevel level, std::string_view line) { heard.add(level, line); });
    c.status(fixture("COMPLETED"));
    auto e = error_of([&] { c.status(unknown_id); });
    std::vector<std::pair<synap::LogLevel, std::string>> lines = heard.lines();
    CHECK(e && e->correlation_id() && lines.size() >= 2);
    // Each line is one line, without the key; the failed request's ends
    // with its correlation id.
    const std::string tail = e && e->correlation_id() ? "[" + *e->correlation_id() + "]" : "(no correlation id)";
    bool clean = true;
    bool quoted = false;
    for (const auto& [level, line] : lines) {
        clean = clean && level == synap::LogLevel::debug && !line.empty() && line.find('\n') == std::string::npos &&
                line.find(key) == std::string::npos;
        quoted = quoted || (line.size() > tail.size() && line.compare(line.size() - tail.size(), tail.size(), tail) == 0);
    }
    CHECK(clean && quoted);

    // A quieter level does not hear the requests.
    Heard warnings;
    synap::set_log_callback(synap::LogLevel::warn,
                            [&](synap::LogLevel level, std::string_view line) { warnings.add(level, line); });
    std::size_t before = heard.size();
    c.status(fixture("COMPLETED"));
    CHECK(warnings.size() == 0 && heard.size() == before);

    // Replacing destroys the callback replaced: nothing holds its captures.
    auto token = std::make_shared<int>(0);
    std::atomic<int> calls{0};
    synap::set_log_callback(synap::LogLevel::debug, [&calls, token](synap::LogLevel, std::string_view) { calls++; });
    CHECK(token.use_count() == 2);
    c.status(fixture("COMPLETED"));
    CHECK(calls > 0);

    // A level libsynap does not know is refused, keeping the installed
    // callback and dropping the one offered.
    auto offered = std::make_shared<int>(0);
    for (int level : {0, 5}) {
        auto unused = [offered](synap::LogLevel, std::string_view) {};
        e = error_of([&] { synap::set_log_callback(static_cast<synap::LogLevel>(level), unused); });
        CHECK(e && e->code() == SYNAP_INVALID_ARGUMENT && e->message().find("level") != std::string::npos);
    }
    CHECK(offered.use_count() == 1);
    int seen = calls;
    c.status(fixture("COMPLETED"));
    CHECK(calls > seen);

    // An exception from the callback is dropped and the call goes on; a
    // call to set_log_callback() from inside the callback is refused.
    std::atomic<int> threw{0};
    std::optional<SynapCode> inside;
    synap::set_log_callback(synap::LogLevel::debug, [&](synap::LogLevel, std::string_view) {
        if (!inside) {
            auto refused = error_of([] { synap::set_log_callback(synap::LogLevel::debug, nullptr); });
            inside = refused ? refused->code() : SYNAP_OK;
        }
        threw++;
        throw std::runtime_error("from the log callback");
    });
    CHECK(token.use_count() == 1);
    seen = calls;
    CHECK(c.status(fixture("COMPLETED")).is_terminal());
    e = error_of([&] { c.status(unknown_id); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404);
    CHECK(threw >= 2 && calls == seen && inside == SYNAP_INVALID_ARGUMENT);

    // Off: nothing is heard.
    synap::set_log_callback(synap::LogLevel::error, nullptr);
    int thrown = threw;
    c.status(fixture("COMPLETED"));
    CHECK(threw == thrown);
}

// Threads replace the callback while others make calls that log: no
// callback runs once destroyed (ASan would see it), every replaced one is
// destroyed, so nothing holds the token at the end, and a callback's own
// call to set_log_callback() is refused rather than waiting for a
// replacement that waits for the callback.
void log_callback_replaced_from_threads() {
    const synap::Client c = client();
    auto token = std::make_shared<int>(0);
    std::atomic<int> heard{0};
    std::atomic<int> wrong{0};
    std::atomic<bool> stop{false};
    // A deadlock would hang the test: fail it instead.
    std::atomic<bool> finished{false};
    std::thread watchdog([&] {
        for (int i = 0; i < 600 && !finished; i++) {
            std::this_thread::sleep_for(100ms);
        }
        if (!finished) {
            std::fprintf(stderr, "not ok: log_callback_replaced_from_threads still running after 60 s\n");
            std::abort();
        }
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; t++) {
        threads.emplace_back([&] {
            for (int i = 0; i < 30; i++) {
                synap::set_log_callback(i % 2 ? synap::LogLevel::debug : synap::LogLevel::info,
                                        [&heard, &wrong, token](synap::LogLevel, std::string_view line) {
                                            heard++;
                                            auto e = error_of([] {
                                                synap::set_log_callback(synap::LogLevel::debug, nullptr);
                                            });
                                            wrong += line.empty() || !e || e->code() != SYNAP_INVALID_ARGUMENT;
                                        });
                std::this_thread::sleep_for(1ms);
            }
        });
    }
    for (int t = 0; t < 3; t++) {
        threads.emplace_back([&] {
            while (!stop) {
                wrong += c.status(fixture("COMPLETED")).memories_created() != 3;
                wrong += !error_of([&] { c.status(unknown_id); });
            }
        });
    }
    for (std::size_t i = 0; i < 3; i++) {
        threads[i].join();
    }
    stop = true;
    for (std::size_t i = 3; i < threads.size(); i++) {
        threads[i].join();
    }
    finished = true;
    watchdog.join();
    synap::set_log_callback(synap::LogLevel::debug, nullptr);
    CHECK(wrong == 0 && heard > 0 && token.use_count() == 1);
}

// ---- Context retrieval ----------------------------------------------------

using synap::ContextList;
using synap::ContextScope;

const std::string ctx_user = "cpp-ctx-user";
const std::string ctx_customer = "cpp-ctx-cust";
// The conversation the decaf document belongs to (its metadata says so).
const std::string ctx_conversation = "5d0c3a1e-8b7f-4c2d-9e6a-1f2b3c4d5e6f";
const std::string decaf_query = "what does the user drink after 3pm?";
const std::string decaf = "I switched to decaf after 3pm.";
// A user id holding `/`, `?`, `#` and an escape of its own, each of which
// would change a URL's path if sent as it is.
const std::string odd_user = "team/a?b#c%2F";

bool refused_here(const std::optional<synap::Error>& e, std::string_view part = {}) {
    return e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0 && !e->correlation_id() &&
           e->message().find(part) != std::string::npos;
}

// Creates one document and waits for its memories; returns their ids.
std::vector<std::string> ingest(const synap::Client& c, const synap::CreateRequest& request) {
    synap::Ingestion job = c.create(request);
    synap::MemoryStatus done =
        c.wait(std::string(job.ingestion_id()), synap::WaitOptions().timeout(10s).poll_interval(50ms));
    CHECK(done.state() == synap::State::completed);
    std::vector<std::string> ids;
    for (std::string_view id : done.memory_ids()) {
        ids.emplace_back(id);
    }
    return ids;
}

// Every setter refuses a bad value before any request and keeps the value
// it had: the request sent at the end still asks for "accurate", 3 results
// and the preferences only (tests/cpp_binding.rs reads its body).
void context_request_refuses_bad_values() {
    synap::Client c = client();
    auto e = error_of([] { synap::ContextRequest r(static_cast<ContextScope>(9)); });
    CHECK(refused_here(e, "scope"));
    e = error_of([] { synap::ContextRequest r(static_cast<ContextScope>(0)); });
    CHECK(refused_here(e, "scope"));

    synap::ContextRequest r(ContextScope::user);
    r.user_id("cpp-ctx-kept").mode("accurate").max_results(3).add_type("preferences").precision_level("medium");
    CHECK(refused_here(error_of([&] { r.user_id(""); }), "user_id"));
    CHECK(refused_here(error_of([&] { r.customer_id(""); }), "customer_id"));
    CHECK(refused_here(error_of([&] { r.conversation_id("not-a-uuid"); }), "conversation_id"));
    CHECK(refused_here(error_of([&] { r.max_results(0); }), "max_results"));
    CHECK(refused_here(error_of([&] { r.add_type("notes"); }), "notes"));
    CHECK(refused_here(error_of([&] { r.mode("slow"); }), "slow"));
    CHECK(refused_here(error_of([&] { r.precision_level("low"); }), "low"));
    CHECK(refused_here(error_of([&] { r.response_shape("flat"); }), "flat"));
    CHECK(refused_here(error_of([&] { r.summary_mode(true, 21); })));
    CHECK(refused_here(error_of([&] { r.scope(static_cast<ContextScope>(5)); }), "scope"));
    CHECK(refused_here(error_of([&] { r.user_id("\xff"); })));
    CHECK(refused_here(error_of([&] { synap::ContextRequest(ContextScope::customer).summary_mode(true, 1); })));
    CHECK(refused_here(error_of([] { synap::PromptOptions().style("haiku"); }), "haiku"));
    // Summary mode is the user scope's: moving elsewhere with it on is refused.
    synap::ContextRequest summary(ContextScope::user);
    summary.summary_mode(false, 0);
    CHECK(refused_here(error_of([&] { summary.scope(ContextScope::client); })));
    // What is accepted chains.
    CHECK(!error_of([&] {
        synap::ContextRequest(ContextScope::conversation)
            .conversation_id(ctx_conversation)
            .user_id("u")
            .customer_id("c")
            .add_query("a")
            .clear_queries()
            .add_query("b")
            .response_shape("ranked")
            .query_date("2025-03-11")
            .query_date("")
            .max_results_per_query(2)
            .add_scope_level("team", "payments")
            .scope(ContextScope::customer);
    }));

    // The user scope needs a user id: refused before any request.
    e = error_of([&] { c.context_fetch(synap::ContextRequest(ContextScope::user).add_query("x")); });
    CHECK(refused_here(e, "user_id"));

    synap::Context kept = c.context_fetch(r.add_query("decaf"));
    CHECK(kept.source() == "cloud" && kept.items(ContextList::preferences).empty());

    // A moved-from request refuses everything, as a NULL handle does in C.
    synap::ContextRequest moved = std::move(r);
    CHECK(refused_here(error_of([&] { r.add_query("x"); })));
    CHECK(refused_here(error_of([&] { c.context_fetch(r); })));
    CHECK(moved.get() != nullptr && r.get() == nullptr);
}

// The decaf document, then a ranked fetch asking what the user drinks
// after 3pm: the decaf preference comes first, read into one shape.
void context_fetch_ranks_the_decaf_preference() {
    synap::Client c = client();
    auto before = std::chrono::system_clock::now() - 1s;
    std::vector<std::string> ids = ingest(c, synap::CreateRequest()
                                                 .document_text("User: I switched to decaf after 3pm. I love dark "
                                                                "roast in the morning.\nAssistant: Noted.")
                                                 .user_id(ctx_user)
                                                 .customer_id(ctx_customer)
                                                 .metadata_json(R"({"conversation_id":")" + ctx_conversation + "\"}"));
    ingest(c, synap::CreateRequest()
                  .document_text("User: I drink green tea at lunch.")
                  .user_id(ctx_user)
                  .customer_id(ctx_customer));
    std::optional<synap::Memory> decaf_memory;
    for (const std::string& id : ids) {
        synap::Memory m = c.get(id);
        if (m.content() == decaf) {
            decaf_memory.emplace(std::move(m));
        }
    }
    CHECK(decaf_memory.has_value());
    if (!decaf_memory) {
        return;
    }

    synap::ContextRequest request(ContextScope::user);
    request.user_id(ctx_user).add_query(decaf_query).response_shape("ranked");
    synap::Context context = c.context_fetch(request);
    synap::ContextItemList ranked = context.items(ContextList::ranked);
    CHECK(ranked.size() == 2 && !ranked.empty());
    synap::ContextItem first = ranked.at(0);
    CHECK(first.text() == std::string_view(decaf));
    CHECK(first.kind() == std::string_view("preferences"));
    CHECK(first.id() == decaf_memory->memory_id());
    CHECK(first.score() == decaf_memory->confidence());
    CHECK(first.rank() == 1);
    CHECK(first.rank_score() && *first.rank_score() > 0.0 && *first.rank_score() <= 1.0);
    std::vector<std::string_view> matched = first.matched_queries();
    CHECK(matched.size() == 1 && matched[0] == decaf_query);
    CHECK(first.time() == decaf_memory->created_at());
    CHECK(first.said_at() && *first.said_at() >= before && *first.said_at() < before + 5min);
    CHECK(first.source() == std::string_view("conversation"));
    CHECK(first.temporal_category() == std::string_view("perpetual") && first.temporal_confidence());
    CHECK(!first.event_date() && !first.event_end() && !first.valid_until() && !first.event_precision());
    CHECK(first.source_evidence() == std::vector<std::string_view>{decaf} && first.participants().empty());
    CHECK(contains(first.metadata_json(), "\"rank_score\""));
    // The other item is the green tea fact, below it.
    CHECK(ranked[1].kind() == std::string_view("facts") && ranked[1].rank() == 2);
    CHECK(ranked[1].rank_score() < first.rank_score());
    CHECK(contains(ranked[1].text(), "green tea"));
    // Past the end: a view that reads as empty; at() throws.
    CHECK(!ranked[2].text() && !ranked[2].score() && ranked[2].get() == nullptr && ranked[2].matched_queries().empty());
    bool threw = false;
    try {
        ranked.at(2);
    } catch (const std::out_of_range&) {
        threw = true;
    }
    CHECK(threw);

    // A range: range-for, iterators, the standard algorithms.
    std::int64_t expected_rank = 1;
    for (synap::ContextItem item : context.items(ContextList::ranked)) {
        CHECK(item.rank() == expected_rank++);
    }
    CHECK(expected_rank == 3);
    auto it = std::find_if(ranked.begin(), ranked.end(), [](const synap::ContextItem& i) {
        return i.kind() == std::string_view("facts");
    });
    CHECK(it != ranked.end() && it - ranked.begin() == 1 && it->rank() == 2 && (*it).id());
    CHECK(std::distance(ranked.begin(), ranked.end()) == 2 && ranked.end() - 1 == it && ranked.begin() < it);
    static_assert(std::is_same_v<std::iterator_traits<synap::ContextItemList::iterator>::iterator_category,
                                 std::random_access_iterator_tag>);

    // In the ranked shape the typed lists hold the same items.
    CHECK(context.items(ContextList::preferences).size() == 1 && context.items(ContextList::facts).size() == 1);
    CHECK(context.items(ContextList::preferences)[0].id() == first.id());
    CHECK(context.items(ContextList::excerpts).empty() && context.items(ContextList::emotions).empty());
    CHECK(context.items(static_cast<ContextList>(0)).empty() && context.items(static_cast<ContextList>(8)).empty());

    // The answer's own fields.
    CHECK(context.source() == "cloud" && context.ttl() == 300s && !context.retrieval() && !context.profile());
    CHECK(context.conversations().empty());
    CHECK(context.correlation_id() && context.correlation_id()->rfind("syn__", 0) == 0);
    CHECK(context.retrieved_at() >= before && context.retrieved_at() < before + 5min);
    CHECK(contains(context.raw_json(), "\"items\"") && contains(context.raw_json(), decaf));

    // Moving the context keeps what it lent valid; the moved-from one is empty.
    synap::Context moved = std::move(context);
    CHECK(first.text() == std::string_view(decaf) && moved.items(ContextList::ranked).size() == 2);
    CHECK(context.items(ContextList::ranked).empty() && context.source().empty() && !context.raw_json());

    // By type (the default): each list holds its own kind, no ranked list.
    synap::ContextRequest by_type(ContextScope::user);
    by_type.user_id(ctx_user).customer_id(ctx_customer).add_query(decaf_query);
    synap::Context typed = c.context_fetch(by_type);
    CHECK(typed.items(ContextList::ranked).empty());
    synap::ContextItemList prefs = typed.items(ContextList::preferences);
    CHECK(prefs.size() == 1 && prefs[0].text() == std::string_view(decaf));
    CHECK(prefs[0].kind() == std::string_view("preferences"));
    CHECK(prefs[0].label() == std::string_view("preferences") && !prefs[0].rank());
    CHECK(prefs[0].rank_score() == first.rank_score() && prefs[0].score() == first.score());
    CHECK(typed.items(ContextList::facts).size() == 1);
    CHECK(typed.items(ContextList::facts)[0].kind() == std::string_view("facts"));

    // The types filter: the facts only.
    by_type.add_type("facts");
    synap::Context facts = c.context_fetch(by_type);
    CHECK(facts.items(ContextList::preferences).empty() && facts.items(ContextList::facts).size() == 1);
    CHECK(contains(facts.items(ContextList::facts)[0].text(), "green tea"));

    // Without a query a user fetch answers with the user's profile.
    synap::Context profiled = c.context_fetch(synap::ContextRequest(ContextScope::user).user_id(ctx_user));
    CHECK(profiled.source() == "profile" && profiled.profile() && !profiled.raw_json());
    CHECK(profiled.items(ContextList::preferences).empty() && profiled.items(ContextList::ranked).empty());
    if (std::optional<synap::ProfileView> p = profiled.profile()) {
        CHECK(contains(p->overview(), "preferences on record") && p->attributes().size() == 2);
        CHECK(p->attribute("decaf_after_3pm") && contains(p->attribute("decaf_after_3pm")->value_json(), decaf));
    }

    // Summary mode: the profile and the user's conversations.
    synap::Context summary =
        c.context_fetch(synap::ContextRequest(ContextScope::user).user_id(ctx_user).summary_mode(true, 5));
    CHECK(summary.profile() && summary.profile()->attributes().size() == 2);
    synap::ConversationSummaryList conversations = summary.conversations();
    CHECK(conversations.size() == 1);
    for (synap::ConversationSummary s : conversations) {
        CHECK(s.conversation_id() == std::string_view(ctx_conversation) && s.status() == std::string_view("pending"));
        CHECK(s.message_count() == 2 && !s.text() && s.started_at() && s.last_message_at() >= s.started_at());
        CHECK(contains(s.json(), "\"summary_status\""));
    }
}

// A conversation fetch with a query finds the conversation's memories;
// without one it answers with the conversation's state.
void context_fetch_of_a_conversation() {
    synap::Client c = client();
    synap::ContextRequest request(ContextScope::conversation);
    request.conversation_id(ctx_conversation).add_query("decaf");
    synap::Context found = c.context_fetch(request);
    CHECK(found.source() == "cloud" && found.items(ContextList::preferences).size() == 1);
    CHECK(found.items(ContextList::preferences)[0].text() == std::string_view(decaf));

    synap::Context state = c.context_fetch(request.clear_queries());
    CHECK(state.source() == "conversation_state");
    CHECK(state.items(ContextList::preferences).empty() && state.items(ContextList::ranked).empty());
    std::optional<synap::ConversationContext> conversation = state.conversation();
    CHECK(conversation.has_value());
    if (conversation) {
        CHECK(contains(conversation->formatted_context(), "## Recent messages"));
        CHECK(contains(conversation->formatted_context(), decaf));
        CHECK(!conversation->summary() && !conversation->compaction_id());
        synap::TurnList turns = conversation->turns();
        CHECK(turns.size() == 2);
        CHECK(turns[0].role() == std::string_view("user") && contains(turns[0].content(), decaf));
        CHECK(turns[1].role() == std::string_view("assistant") && turns[1].content() == std::string_view("Noted."));
        CHECK(turns[0].timestamp() && turns[1].timestamp() >= turns[0].timestamp());
    }
}

// GET the profile: attributes from the user's preferences; 404 for a user
// with none.
void user_profile_is_read() {
    synap::Client c = client();
    synap::Profile profile = c.user_profile(ctx_user);
    CHECK(contains(profile.overview(), "2 preferences on record."));
    CHECK(contains(profile.json(), "\"attributes\""));
    synap::ProfileAttributeList attributes = profile.attributes();
    CHECK(attributes.size() == 2);
    std::size_t named = 0;
    for (synap::ProfileAttribute a : attributes) {
        named += a.name() && !a.name()->empty() && a.value_json() && a.value_json()->front() == '"';
        CHECK(a.confidence() && *a.confidence() > 0.0 && *a.confidence() <= 1.0 && a.updated_at());
        CHECK(a.source_conversation_id() == std::string_view(ctx_conversation));
    }
    CHECK(named == 2);
    std::optional<synap::ProfileAttribute> d = profile.attribute("decaf_after_3pm");
    CHECK(d && d->value_json() == "\"" + decaf + "\"");
    CHECK(!profile.attribute("no_such_attribute"));
    CHECK(!attributes[2].name() && !attributes[2].confidence() && !attributes[2].updated_at());

    // With the customer; with another customer the user has no profile.
    synap::Profile with_customer = c.user_profile(ctx_user, ctx_customer);
    CHECK(with_customer.attributes().size() == 2);
    auto e = error_of([&] { c.user_profile(ctx_user, std::string("someone-else")); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404);
    e = error_of([&] { c.user_profile("cpp-ctx-nobody"); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404 && e->correlation_id());
    CHECK(refused_here(error_of([&] { c.user_profile(""); }), "user_id"));

    synap::Profile moved = std::move(profile);
    CHECK(moved.attributes().size() == 2 && profile.attributes().empty() && !profile.overview());
}

// context-for-prompt in each style: the conversation's two messages.
void prompt_context_in_each_style() {
    synap::Client c = client();
    const std::pair<const char*, const char*> styles[] = {
        {"structured", "## Recent messages\n["},
        {"narrative", "Conversation so far. The user said: \"I switched to decaf"},
        {"bullet_points", "- user: I switched to decaf"},
    };
    for (const auto& [style, start] : styles) {
        synap::PromptContext p = c.prompt_context(ctx_conversation, synap::PromptOptions().style(style));
        CHECK(p.formatted_context() && p.formatted_context()->rfind(start, 0) == 0);
        CHECK(!p.available() && !p.is_stale() && !p.quality_warning());
        CHECK(!p.compression_ratio() && !p.validation_score() && !p.compaction_age());
        CHECK(p.recent_message_count() == 2 && p.compacted_message_count() == 0 && p.total_message_count() == 2);
        CHECK(!p.context_block() && !p.compaction_id() && contains(p.raw_json(), "\"recent_messages\""));
        synap::TurnList turns = p.turns();
        CHECK(turns.size() == 2 && turns[0].role() == std::string_view("user") && turns[0].message_id());
        CHECK(turns[1].content() == std::string_view("Noted.") && turns[1].timestamp());
    }
    // The default style is structured.
    synap::PromptContext plain = c.prompt_context(ctx_conversation);
    CHECK(contains(plain.formatted_context(), "## Recent messages"));
    synap::PromptContext moved = std::move(plain);
    CHECK(moved.turns().size() == 2 && plain.turns().empty() && !plain.formatted_context());
    // A conversation nothing was said in has no messages; an id that is
    // not a UUID is refused before any request.
    synap::PromptContext empty = c.prompt_context(unknown_id);
    CHECK(!empty.formatted_context() && empty.turns().empty() && empty.total_message_count() == 0);
    CHECK(refused_here(error_of([&] { c.prompt_context("../x"); }), "conversation_id"));
}

// A user id holding `/`, `?`, `#` and `%` reaches the emulator intact, in
// a path and in a body (tests/cpp_binding.rs reads the request log).
void odd_user_id_reaches_the_service() {
    synap::Client c = client();
    ingest(c, synap::CreateRequest()
                  .document_text("User: I love jasmine tea.")
                  .user_id(odd_user)
                  .customer_id(ctx_customer));
    synap::Profile profile = c.user_profile(odd_user);
    CHECK(contains(profile.overview(), "I love jasmine tea."));
    synap::Context context =
        c.context_fetch(synap::ContextRequest(ContextScope::user).user_id(odd_user).add_query("jasmine"));
    CHECK(context.items(ContextList::preferences).size() == 1);
    CHECK(contains(context.items(ContextList::preferences)[0].text(), "jasmine"));
}

// ---- Conversations ----------------------------------------------------------

const std::string conv_user = "cpp-conv-user";
const std::string conv_customer = "cpp-conv-cust";
// The conversation messages are recorded in, listed from and compacted.
const std::string conv_a = "3c9d6f1e-2b4a-4e8d-9f7c-1a2b3c4d5e6f";
// A conversation nothing was recorded in: it has no user.
const std::string conv_b = "8e7d6c5b-4a39-4281-9f0e-d1c2b3a4f5e6";
// The conversation of the message the refused setters leave as it was.
const std::string conv_kept = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
// The conversation of the message the NUL-refusing setters leave as it was.
const std::string conv_nul = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";
// The conversation written to the emulator whose answers are scripted faults.
const std::string conv_faults = "4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d";
// 2025-01-15T10:00:00Z.
const synap::TimePoint call_start{std::chrono::seconds(1736935200)};
// What conv_a holds once the messages and the batch are recorded, in order.
const std::vector<std::string> conv_a_contents{
    "I am planning a trip to Lisbon in May.", "I will look for flights.", "I prefer window seats.",
    "Are there trams in Lisbon?", "Yes, tram 28 is the famous one.",
};

synap::MessageRequest message(const std::string& conversation, const std::string& role, const std::string& content) {
    synap::MessageRequest m;
    m.conversation_id(conversation).role(role).content(content);
    return m;
}

// Every setter refuses a bad value before any request and keeps the value
// it had; so do the calls, for a request missing a field or an argument out
// of range. tests/cpp_binding.rs reads the bodies of the message and the
// compaction sent at the end.
void conversation_requests_refuse_bad_values() {
    synap::Client c = client();
    synap::MessageRequest kept = message(conv_kept, "assistant", "Kept as it was.");
    kept.user_id("cpp-conv-kept").customer_id(conv_customer).session_id("cpp-kept-session");
    CHECK(refused_here(error_of([&] { kept.conversation_id("not-a-uuid"); }), "conversation_id is not a UUID"));
    CHECK(refused_here(error_of([&] { kept.role("system"); }), "system"));
    CHECK(refused_here(error_of([&] { kept.user_id(""); }), "user_id"));
    CHECK(refused_here(error_of([&] { kept.customer_id(" "); }), "customer_id"));
    CHECK(refused_here(error_of([&] { kept.metadata_json("[1]"); }), "metadata"));
    CHECK(refused_here(error_of([&] { kept.metadata_json("{"); }), "metadata"));
    CHECK(refused_here(error_of([&] { kept.add_scope_level("", "payments"); }), "scope level"));
    CHECK(refused_here(error_of([&] { kept.content("\xff"); })));
    // What is accepted chains; "" and 0 clear.
    CHECK(!error_of([] {
        synap::MessageRequest()
            .conversation_id("3C9D6F1E2B4A4E8D9F7C1A2B3C4D5E6F")
            .role("user")
            .content("")
            .session_id("s")
            .session_id("")
            .metadata_json("{}")
            .add_scope_level("team", "a")
            .add_scope_level("team", "b")
            .agent_model("m")
            .agent_model("")
            .agent_context_window(8000)
            .agent_context_window(0);
    }));

    // Calls refused before any request.
    CHECK(refused_here(error_of([&] { c.record_message(synap::MessageRequest()); }), "conversation_id"));
    CHECK(refused_here(error_of([&] { c.record_message(message(conv_kept, "user", "No user.")); }), "user_id"));
    std::vector<synap::MessageRequest> none;
    CHECK(refused_here(error_of([&] { c.record_messages(none); }), "at least one"));
    std::vector<synap::MessageRequest> one_bad;
    one_bad.push_back(message(conv_kept, "user", "Fine."));
    one_bad.emplace_back();
    one_bad.back().conversation_id(conv_kept).content("No role.");
    CHECK(refused_here(error_of([&] { c.record_messages(one_bad); }), "messages[1]"));
    CHECK(refused_here(error_of([&] { c.record_messages(one_bad.begin(), one_bad.begin()); })));
    CHECK(refused_here(error_of([&] { c.messages(conv_kept, 0, 10); }), "start"));
    CHECK(refused_here(error_of([&] { c.messages(conv_kept, 1, 0); }), "limit"));
    CHECK(refused_here(error_of([&] { c.messages(conv_kept, 1, 501); }), "limit"));
    CHECK(refused_here(error_of([&] { c.messages("../x", 1, 10); }), "conversation_id"));
    CHECK(refused_here(error_of([&] { c.compact("not-a-uuid"); }), "conversation_id"));
    CHECK(refused_here(error_of([&] { c.compacted("not-a-uuid"); }), "conversation_id"));
    CHECK(refused_here(error_of([&] { c.compaction_status("not-a-uuid"); }), "conversation_id"));

    // Transcript requests.
    synap::TranscriptRequest t;
    CHECK(refused_here(error_of([&] { t.conversation_id(""); }), "conversation_id"));
    CHECK(refused_here(error_of([&] { t.user_id(" "); }), "user_id"));
    CHECK(refused_here(error_of([&] { t.customer_id(""); }), "customer_id"));
    CHECK(refused_here(error_of([&] { t.add_turn("system", "Hello."); }), "system"));
    CHECK(refused_here(error_of([&] { t.add_turn("user", "Hello.", synap::TimePoint(std::chrono::hours(24 * 366 * 8100))); }),
                       "timestamp"));
    CHECK(refused_here(error_of([&] { t.started_at(synap::TimePoint(std::chrono::hours(-24 * 366 * 1971))); }),
                       "started_at"));
    CHECK(refused_here(error_of([&] { t.ended_at(synap::TimePoint(std::chrono::hours(24 * 366 * 8100))); }),
                       "ended_at"));
    CHECK(refused_here(error_of([&] { t.analysis_json("[]"); }), "analysis"));
    CHECK(refused_here(error_of([&] { t.metadata_json("nope"); }), "metadata"));
    CHECK(refused_here(error_of([&] { t.add_scope_level(" ", "x"); }), "scope level"));
    t.conversation_id("cpp-call-refused").user_id(conv_user);
    CHECK(refused_here(error_of([&] { c.ingest_transcript(t); }), "transcript"));

    // Compaction options.
    synap::CompactOptions compact;
    compact.strategy("conservative").target_tokens(500);
    CHECK(refused_here(error_of([&] { compact.strategy("gentle"); }), "gentle"));
    CHECK(refused_here(error_of([] { synap::CompactedOptions().format("haiku"); }), "haiku"));
    CHECK(refused_here(error_of([] { synap::CompactedOptions().format("bullet_points"); }), "bullet_points"));
    CHECK(!error_of([] { synap::CompactedOptions().format("injection").version(3).version(0); }));
    CHECK(!error_of([] { synap::CompactOptions().strategy("adaptive").strategy("").target_tokens(0).force(true); }));

    // A moved-from request refuses everything, as a NULL handle does in C.
    synap::MessageRequest moved = std::move(kept);
    CHECK(refused_here(error_of([&] { kept.role("user"); })));
    CHECK(refused_here(error_of([&] { c.record_message(kept); })));
    CHECK(kept.get() == nullptr && moved.get() != nullptr);
    synap::CompactOptions moved_options = std::move(compact);
    CHECK(refused_here(error_of([&] { compact.force(true); })));
    CHECK(compact.get() == nullptr && moved_options.get() != nullptr);

    // The refusals left both as they were.
    synap::RecordedMessage recorded = c.record_message(moved);
    CHECK(recorded.conversation_id() == std::string_view(conv_kept) && recorded.conversation_message_count() == 1);
    CHECK(recorded.session_id() == std::string_view("cpp-kept-session"));
    synap::Compaction started = c.compact(conv_kept, moved_options);
    CHECK(started.conversation_id() == std::string_view(conv_kept));
}

// Three messages, one at a time: ids, order and counts.
void messages_are_recorded_in_order() {
    synap::Client c = client();
    auto before = std::chrono::system_clock::now() - 1s;
    std::vector<synap::RecordedMessage> recorded;
    for (std::size_t i = 0; i < 3; i++) {
        // The id in upper case without hyphens: the service sees it canonical.
        synap::MessageRequest m =
            message(i == 0 ? "3C9D6F1E2B4A4E8D9F7C1A2B3C4D5E6F" : conv_a, i == 1 ? "assistant" : "user",
                    conv_a_contents[i]);
        m.user_id(conv_user).customer_id(conv_customer);
        if (i == 0) {
            // Every optional field (tests/cpp_binding.rs reads the body).
            m.session_id("cpp-session-1")
                .metadata_json(R"({"channel":"web"})")
                .add_scope_level("team", "travel")
                .agent_model("gpt-4o")
                .agent_context_window(128000);
        }
        recorded.push_back(c.record_message(m));
    }
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < recorded.size(); i++) {
        const synap::RecordedMessage& r = recorded[i];
        CHECK(r.message_id() && r.message_id()->size() == 36);
        ids.emplace_back(r.message_id().value_or(""));
        CHECK(r.conversation_id() == std::string_view(conv_a));
        CHECK(r.conversation_message_count() == static_cast<std::int64_t>(i + 1));
        CHECK(r.session_id() && !r.session_id()->empty());
        CHECK(r.recorded_at() && *r.recorded_at() >= before && *r.recorded_at() < before + 5min);
        CHECK(i == 0 || r.recorded_at() >= recorded[i - 1].recorded_at());
    }
    CHECK(recorded[0].session_id() == std::string_view("cpp-session-1"));
    CHECK(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);

    // Moving hands the handle over; the moved-from message reads as empty.
    synap::RecordedMessage moved = std::move(recorded[0]);
    CHECK(moved.message_id() == std::string_view(ids[0]));
    CHECK(!recorded[0].message_id() && !recorded[0].recorded_at() && !recorded[0].conversation_message_count());
    CHECK(recorded[0].get() == nullptr);
}

// A batch the service stores but for one message: a message to a
// conversation without a user, which the service refuses.
void batch_has_one_refused_message() {
    synap::Client c = client();
    std::vector<synap::MessageRequest> batch;
    batch.push_back(message(conv_a, "user", conv_a_contents[3]));
    batch.push_back(message(conv_b, "user", "Nobody owns this conversation."));
    batch.push_back(message(conv_a, "assistant", conv_a_contents[4]));
    synap::MessageBatch result = c.record_messages(batch);
    CHECK(result.total() == 3 && result.succeeded() == 2 && result.failed() == 1);

    synap::RecordedMessageList stored = result.results();
    CHECK(stored.size() == 2 && !stored.empty());
    std::int64_t count = 4;
    std::vector<std::string_view> ids;
    for (synap::RecordedMessageView m : stored) {
        CHECK(m.conversation_id() == std::string_view(conv_a) && m.conversation_message_count() == count++);
        CHECK(m.message_id() && m.recorded_at());
        ids.push_back(m.message_id().value_or(""));
    }
    CHECK(count == 6 && ids.size() == 2 && ids[0] != ids[1]);
    CHECK(std::distance(stored.begin(), stored.end()) == 2 && stored.begin()[1].message_id() == ids[1]);
    // Past the end: a view that reads as empty; at() throws.
    CHECK(!stored[2].message_id() && stored[2].get() == nullptr);
    bool threw = false;
    try {
        stored.at(2);
    } catch (const std::out_of_range&) {
        threw = true;
    }
    CHECK(threw);

    synap::MessageBatchErrorList errors = result.errors();
    CHECK(errors.size() == 1);
    for (synap::MessageBatchError e : errors) {
        CHECK(e.index() == 1 && contains(e.message(), "user_id"));
        synap::Error as_error = e.error();
        CHECK(as_error.code() == SYNAP_INVALID_REQUEST && as_error.message() == e.message().value_or(""));
    }
    CHECK(!errors[1].index() && !errors[1].message());

    // Moving the batch keeps what it lent valid; the moved-from one is empty.
    synap::MessageBatch moved = std::move(result);
    CHECK(stored[0].message_id() == ids[0] && moved.results().size() == 2 && errors[0].index() == 1);
    CHECK(result.results().empty() && result.errors().empty() && !result.total() && result.get() == nullptr);

    // The refused message was stored nowhere.
    synap::MessagePage nothing = c.messages(conv_b, 1, 10);
    CHECK(nothing.empty() && nothing.is_last());
}

// conv_a's five messages, read two at a time, then all at once.
void messages_are_listed_in_pages() {
    synap::Client c = client();
    std::vector<std::string> contents;
    std::vector<std::int64_t> positions;
    std::optional<synap::TimePoint> last_time;
    bool in_time_order = true;
    std::uint32_t start = 1;
    int pages = 0;
    for (;;) {
        synap::MessagePage page = c.messages(conv_a, start, 2);
        pages++;
        CHECK(page.start() == start && page.limit() == 2 && page.size() <= 2);
        for (synap::ConversationMessage m : page) {
            contents.emplace_back(m.content().value_or(""));
            positions.push_back(m.position().value_or(0));
            CHECK(m.message_id() && m.role() && m.timestamp());
            in_time_order = in_time_order && (!last_time || m.timestamp() >= last_time);
            last_time = m.timestamp();
        }
        if (page.is_last() || pages == 10) {
            break;
        }
        start += page.limit();
    }
    CHECK(pages == 3 && contents == conv_a_contents && in_time_order);
    CHECK(positions == (std::vector<std::int64_t>{1, 2, 3, 4, 5}));

    // One page holding them all; random access; a range-for over a temporary.
    synap::MessagePage all = c.messages("3C9D6F1E2B4A4E8D9F7C1A2B3C4D5E6F", 1, 500);
    CHECK(all.size() == 5 && all.is_last() && !all.empty());
    CHECK(all[1].role() == std::string_view("assistant") && all.at(4).content() == std::string_view(conv_a_contents[4]));
    CHECK(all.messages().size() == 5 && (all.end() - all.begin()) == 5);
    auto it = std::find_if(all.begin(), all.end(), [](const synap::ConversationMessage& m) {
        return m.content() == std::string_view("I prefer window seats.");
    });
    CHECK(it != all.end() && it->position() == 3);
    CHECK(!all[5].content() && !all[5].position() && all[5].get() == nullptr);
    bool threw = false;
    try {
        all.at(5);
    } catch (const std::out_of_range&) {
        threw = true;
    }
    CHECK(threw);
    std::size_t seen = 0;
    for (synap::ConversationMessage m : c.messages(conv_a, 2, 3)) {
        seen += m.position() == static_cast<std::int64_t>(seen + 2);
    }
    CHECK(seen == 3);
    // A full page is not the last, though nothing follows it.
    CHECK(!c.messages(conv_a, 1, 5).is_last() && c.messages(conv_a, 6, 5).empty());

    // Moving the page keeps what it lent valid; the moved-from one is empty.
    synap::ConversationMessage first = all[0];
    synap::MessagePage moved = std::move(all);
    CHECK(first.content() == std::string_view(conv_a_contents[0]) && moved.size() == 5 && moved.start() == 1);
    CHECK(all.empty() && all.begin() == all.end() && all.get() == nullptr);

    // A conversation nothing was said in has no messages.
    synap::MessagePage empty = c.messages(unknown_id, 1, 10);
    CHECK(empty.empty() && empty.is_last());
}

// A transcript as text, its duplicate and a conflicting one; then one as
// turns, and one whose text replaced its turns.
void transcripts_are_ingested() {
    synap::Client c = client();
    auto before = std::chrono::system_clock::now() - 1s;
    const std::string text =
        "User: My order 8812 arrived damaged.\nAssistant: I will send a replacement today.\n"
        "User: Please keep me updated by email.";
    synap::TranscriptRequest request;
    request.conversation_id("cpp-call-8812")
        .user_id(conv_user)
        .customer_id(conv_customer)
        .text(text)
        .conversation_type("voice")
        .analysis_json(R"({"sentiment":"negative"})")
        .metadata_json(R"({"channel":"phone"})")
        .started_at(call_start)
        .ended_at(call_start + 6min + 41s)
        .add_scope_level("team", "support");
    synap::TranscriptIngestion first = c.ingest_transcript(request);
    std::string conversation(first.conversation_id().value_or(""));
    CHECK(conversation.size() == 36 && conversation != "cpp-call-8812");
    CHECK(first.external_conversation_id() == std::string_view("cpp-call-8812"));
    CHECK(first.status() == std::string_view("queued") && !first.is_duplicate());
    CHECK(first.turns_recorded() == 3 && first.summary_status() == std::string_view("in_progress"));
    CHECK(first.queued_at() && *first.queued_at() >= before && *first.queued_at() < before + 5min);
    CHECK(first.warnings().empty());
    std::string job(first.ingestion_id().value_or(""));
    CHECK(job.size() == 36);

    // The job is followed like a created document's.
    synap::MemoryStatus done = c.wait(job, synap::WaitOptions().timeout(10s).poll_interval(50ms));
    CHECK(done.state() == synap::State::completed && done.memories_created() >= 1);

    // Its turns are the conversation's messages, a second apart from the start.
    synap::MessagePage turns = c.messages(conversation, 1, 10);
    CHECK(turns.size() == 3 && turns.is_last());
    if (turns.size() == 3) {
        CHECK(turns[0].role() == std::string_view("user") && turns[1].role() == std::string_view("assistant"));
        CHECK(turns[0].content() == std::string_view("My order 8812 arrived damaged."));
        CHECK(turns[0].timestamp() == call_start && turns[2].timestamp() == call_start + 2s);
    }

    // The same transcript again: a duplicate of the first job.
    synap::TranscriptIngestion again = c.ingest_transcript(request);
    CHECK(again.is_duplicate() && again.status() == std::string_view("duplicate"));
    CHECK(again.ingestion_id() == std::string_view(job) && again.conversation_id() == std::string_view(conversation));
    CHECK(again.turns_recorded() == 3 && again.summary_status());

    // Another transcript under the same id: a conflict, stored nowhere.
    request.text(text + "\nUser: One more thing.");
    auto e = error_of([&] { c.ingest_transcript(request); });
    CHECK(e && e->code() == SYNAP_CONFLICT && e->http_status() == 409 && e->correlation_id());
    CHECK(c.messages(conversation, 1, 10).size() == 3);

    // As turns, one with its time and speaker (tests/cpp_binding.rs reads the body).
    synap::TranscriptRequest turned;
    turned.conversation_id("cpp-call-8813")
        .user_id(conv_user)
        .customer_id(conv_customer)
        .add_turn("user", "I want a refund.", call_start + 4s, "Caller")
        .add_turn("assistant", "I will process it now.", "Agent")
        .add_turn("user", "Thank you.");
    synap::TranscriptIngestion by_turns = c.ingest_transcript(turned);
    CHECK(by_turns.status() == std::string_view("queued") && by_turns.turns_recorded() == 3);
    CHECK(by_turns.warnings().empty() && by_turns.external_conversation_id() == std::string_view("cpp-call-8813"));
    if (by_turns.conversation_id()) {
        synap::MessagePage page = c.messages(std::string(*by_turns.conversation_id()), 1, 10);
        CHECK(page.size() == 3 && page[0].timestamp() == call_start + 4s);
        CHECK(page[1].content() == std::string_view("I will process it now."));
    }

    // Text replaces the turns; without any time the service warns.
    synap::TranscriptRequest replaced;
    replaced.conversation_id("cpp-call-8814")
        .user_id(conv_user)
        .customer_id(conv_customer)
        .add_turn("user", "This turn is replaced.")
        .text("User: Hello there, I need help.");
    synap::TranscriptIngestion warned = c.ingest_transcript(replaced);
    CHECK(warned.turns_recorded() == 1);
    std::vector<std::string_view> warnings = warned.warnings();
    CHECK(warnings.size() == 1 && warnings[0].find("dated now") != std::string_view::npos);

    synap::TranscriptIngestion moved = std::move(warned);
    CHECK(moved.turns_recorded() == 1 && !warned.turns_recorded() && warned.warnings().empty() && !warned.status());
}

// Compacts conv_a: nothing before, the job while it runs, the state after;
// then the prompt context is the compacted summary plus the turns after it.
void conversation_is_compacted() {
    synap::Client c = client();
    CHECK(!c.compacted(conv_a));
    synap::CompactionStatus none = c.compaction_status(conv_a);
    CHECK(none.state() == std::string_view("none") && !none.is_completed());
    CHECK(none.conversation_id() == std::string_view(conv_a) && !none.compaction_id() && !none.completed_at());
    CHECK(!none.latest_version() && !none.compression_ratio() && !none.error_message());
    synap::PromptContext plain = c.prompt_context(conv_a);
    CHECK(!plain.available() && plain.total_message_count() == 5 && plain.recent_message_count() == 5);

    auto before = std::chrono::system_clock::now() - 1s;
    synap::Compaction job = c.compact(conv_a, synap::CompactOptions().strategy("balanced").target_tokens(2000).force(true));
    std::string id(job.compaction_id().value_or(""));
    CHECK(id.size() == 36 && job.conversation_id() == std::string_view(conv_a));
    CHECK(job.status() == std::string_view("in_progress") && job.trigger_type() == std::string_view("manual_api"));
    CHECK(job.initiated_at() && *job.initiated_at() >= before && *job.initiated_at() < before + 5min);
    CHECK(job.estimated_completion() && *job.estimated_completion() <= 2s && !job.previous_compaction_id());

    // One at a time: another while it runs is a conflict.
    auto e = error_of([&] { c.compact(conv_a); });
    CHECK(e && e->code() == SYNAP_CONFLICT && e->http_status() == 409);

    // Followed until it completes; nothing compacted meanwhile.
    synap::CompactionStatus status = c.compaction_status(conv_a);
    CHECK(status.state() == std::string_view("in_progress") && status.compaction_id() == std::string_view(id));
    CHECK(status.estimated_completion() && !status.completed_at());
    CHECK(!c.compacted(conv_a));
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!status.is_completed() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
        status = c.compaction_status(conv_a);
    }
    CHECK(status.is_completed() && status.compaction_id() == std::string_view(id));
    CHECK(status.completed_at() && *status.completed_at() >= *job.initiated_at());
    CHECK(status.compression_ratio() && *status.compression_ratio() > 0.0);
    CHECK(status.validation_score() && status.latest_version() == 1);
    CHECK(!status.estimated_completion() && !status.error_message());

    // The compacted state, structured.
    std::optional<synap::Compacted> compacted = c.compacted(conv_a);
    CHECK(compacted.has_value());
    if (compacted) {
        CHECK(compacted->compaction_id() == std::string_view(id));
        CHECK(compacted->formatted_context() &&
              compacted->formatted_context()->rfind("## Conversation so far (compacted", 0) == 0);
        CHECK(contains(compacted->formatted_context(), "Lisbon"));
        CHECK(compacted->original_token_count() > 0 && compacted->compacted_token_count() > 0);
        CHECK(compacted->compression_ratio() == status.compression_ratio());
        CHECK(compacted->strategy_used() == std::string_view("balanced"));
        CHECK(compacted->validation_score() == status.validation_score());
        CHECK(compacted->validation_passed() == true && compacted->quality_warning() == false);
        CHECK(contains(compacted->decisions_json(), "I will look for flights."));
        CHECK(contains(compacted->facts_json(), "Lisbon") || contains(compacted->preferences_json(), "Lisbon"));
        CHECK(compacted->facts_json().value_or("x").front() == '[');
        CHECK(compacted->preferences_json().value_or("x").front() == '[');
        CHECK(contains(compacted->current_state_json(), "\"messages_covered\":5"));
        CHECK(compacted->ttl() == 300s && contains(compacted->raw_json(), "\"version\":1"));
        synap::Compacted moved = std::move(*compacted);
        CHECK(moved.compaction_id() == std::string_view(id) && !compacted->compaction_id() && !compacted->ttl());
    }
    // In the other formats, and by version: there is no version 2.
    std::optional<synap::Compacted> narrative = c.compacted(conv_a, synap::CompactedOptions().format("narrative"));
    CHECK(narrative && narrative->formatted_context() &&
          narrative->formatted_context()->rfind("So far in this conversation (5 messages)", 0) == 0);
    std::optional<synap::Compacted> injection =
        c.compacted(conv_a, synap::CompactedOptions().format("injection").version(1));
    CHECK(injection && injection->compaction_id() == std::string_view(id) &&
          injection->formatted_context().value_or("").rfind("<conversation_context>", 0) == 0);
    CHECK(!c.compacted(conv_a, synap::CompactedOptions().version(2)));

    // A turn after the cut-off: the prompt is the summary, then that turn.
    synap::MessageRequest later = message(conv_a, "user", "Any news on the flights?");
    later.user_id(conv_user).customer_id(conv_customer);
    CHECK(c.record_message(later).conversation_message_count() == 6);
    synap::PromptContext prompt = c.prompt_context(conv_a);
    CHECK(prompt.available() && prompt.is_stale() && prompt.compaction_id() == std::string_view(id));
    CHECK(prompt.compacted_message_count() == 5 && prompt.recent_message_count() == 1);
    CHECK(prompt.total_message_count() == 6);
    CHECK(prompt.context_block() && prompt.context_block()->rfind("## Conversation so far (compacted", 0) == 0);
    CHECK(contains(prompt.context_block(), "Lisbon") && !contains(prompt.context_block(), "Any news"));
    if (prompt.formatted_context() && prompt.context_block()) {
        CHECK(prompt.formatted_context()->rfind(*prompt.context_block(), 0) == 0);
        CHECK(contains(prompt.formatted_context(), "Any news on the flights?"));
    }
    synap::TurnList turns = prompt.turns();
    CHECK(turns.size() == 1 && turns[0].content() == std::string_view("Any news on the flights?"));
    CHECK(c.compaction_status(conv_a).state() == std::string_view("stale"));

    synap::CompactionStatus moved = std::move(status);
    CHECK(moved.is_completed() && !status.state() && !status.latest_version() && status.get() == nullptr);
}

// The writes are not idempotent: a message answered with a 500 or a
// dropped connection may have been recorded, so it is sent once and fails;
// a 503 proves it was not, so it is resent. The emulator at
// SYNAP_FIX_FAULTS_URL answers as tests/cpp_binding.rs scripted it, and
// counts the requests.
void conversation_writes_are_not_resent() {
    synap::Client c(key, synap::Options().base_url(fixture("FAULTS_URL")).max_attempts(3).retry_backoff(1ms, 20ms));
    synap::MessageRequest m = message(conv_faults, "user", "Is my parcel on its way?");
    m.user_id(conv_user).customer_id(conv_customer);
    // A 500, sent once.
    auto e = error_of([&] { c.record_message(m); });
    CHECK(e && e->code() == SYNAP_SERVER && e->http_status() == 500);
    // A dropped connection, sent once.
    e = error_of([&] { c.record_message(m); });
    CHECK(e && e->code() == SYNAP_NETWORK && e->http_status() == 0);
    // A 503, then the message recorded: the only one the conversation holds.
    synap::RecordedMessage recorded = c.record_message(m);
    CHECK(recorded.conversation_message_count() == 1);
    CHECK(c.messages(conv_faults, 1, 10).size() == 1);

    // The other writes alike: a batch answered with a 500, a transcript
    // whose connection dropped, a compaction answered with a 503 first.
    std::vector<synap::MessageRequest> batch;
    batch.push_back(message(conv_faults, "assistant", "It is."));
    e = error_of([&] { c.record_messages(batch); });
    CHECK(e && e->code() == SYNAP_SERVER && e->http_status() == 500);
    e = error_of([&] {
        c.ingest_transcript(synap::TranscriptRequest()
                                .conversation_id("cpp-call-dropped")
                                .user_id(conv_user)
                                .customer_id(conv_customer)
                                .text("User: Hello?"));
    });
    CHECK(e && e->code() == SYNAP_NETWORK);
    CHECK(c.compact(conv_faults).status() == std::string_view("in_progress"));
}

// Once whoami() has reported a B2C instance, a message or a transcript
// naming a customer is refused before any request.
void b2c_conversation_writes_refuse_a_customer_id() {
    synap::Client c = client_of("B2C_URL");
    c.whoami();
    synap::MessageRequest m = message(conv_a, "user", "Hello.");
    m.user_id("u1").customer_id("c1");
    CHECK(refused_here(error_of([&] { c.record_message(m); }), "customer"));
    std::vector<synap::MessageRequest> batch;
    batch.push_back(std::move(m));
    CHECK(refused_here(error_of([&] { c.record_messages(batch); }), "customer"));
    CHECK(refused_here(error_of([&] {
                           c.ingest_transcript(synap::TranscriptRequest()
                                                   .conversation_id("cpp-b2c-call")
                                                   .user_id("u1")
                                                   .customer_id("c1")
                                                   .text("User: Hello."));
                       }),
                       "customer"));
}

// C reads a string up to its first NUL byte, so a string holding one is
// refused before any libsynap call, naming the parameter, though each value
// cut at the NUL would be accepted. Nothing here reaches the emulator at
// SYNAP_FIX_NUL_URL (tests/cpp_binding.rs checks its request log is empty).
// A refusing setter leaves the request as it was: the two requests sent to
// the main emulator at the end carry only what was set before
// (tests/cpp_binding.rs reads their bodies).
void nul_bytes_are_refused_before_any_call() {
    using namespace std::string_literals;
    const std::string url = fixture("NUL_URL");
    auto nul = [](const std::optional<synap::Error>& e, const std::string& what) {
        return refused_here(e) && e->message() == what + " contains a NUL byte";
    };

    // Options and the API key.
    CHECK(nul(error_of([&] { synap::Options().base_url(url + "\0.example.com"s); }), "base_url"));
    CHECK(nul(error_of([&] { synap::Options().proxy(url + "\0tail"s); }), "proxy"));
    CHECK(nul(error_of([&] { synap::Options().ca_file("/nonexistent/ca.pem\0.bak"s); }), "ca_file"));
    CHECK(nul(error_of([&] { synap::Client(key + "\0tail"s, synap::Options().base_url(url)); }), "api_key"));
    CHECK(nul(error_of([&] { synap::Client(key + "\0tail"s); }), "api_key"));

    synap::Client c(key, synap::Options().base_url(url).max_attempts(1));

    // Create request fields.
    synap::CreateRequest create;
    create.document_text("User: keep me as I am.").document_id("cpp-nul-kept").user_id("cpp-nul-user");
    create.customer_id(ctx_customer);
    CHECK(nul(error_of([&] { create.document_text("User: hi\0Assistant: hidden"s); }), "document_text"));
    CHECK(nul(error_of([&] { create.document_json("{}\0tail"s); }), "document_json"));
    CHECK(nul(error_of([&] { create.document_type("email\0"s); }), "document_type"));
    CHECK(nul(error_of([&] { create.mode("fast\0"s); }), "mode"));
    CHECK(nul(error_of([&] { create.document_id("cpp-nul\0other"s); }), "document_id"));
    CHECK(nul(error_of([&] { create.user_id("a\0b"s); }), "user_id"));
    CHECK(nul(error_of([&] { create.customer_id("c\0"s); }), "customer_id"));
    CHECK(nul(error_of([&] { create.add_scope("team\0x"s, "payments"); }), "scope level"));
    CHECK(nul(error_of([&] { create.add_scope("team", "pay\0ments"s); }), "scope value"));
    CHECK(nul(error_of([&] { create.metadata_json("{\"channel\":\"web\"}\0{"s); }), "metadata_json"));

    // Id arguments, and the prompt style.
    const std::string job = fixture("COMPLETED");
    CHECK(nul(error_of([&] { c.status(job + "\0x"s); }), "ingestion_id"));
    CHECK(nul(error_of([&] { c.wait(job + "\0x"s, synap::WaitOptions().timeout(1s)); }), "ingestion_id"));
    CHECK(nul(error_of([&] { c.get(unknown_id + "\0"s); }), "memory_id"));
    CHECK(nul(error_of([&] { c.wait_all({job, job + "\0x"s}); }), "ingestion_ids[1]"));
    CHECK(nul(error_of([&] { c.user_profile("a\0b"s); }), "user_id"));
    CHECK(nul(error_of([&] { c.user_profile("a", "c\0"s); }), "customer_id"));
    CHECK(nul(error_of([&] { c.prompt_context(ctx_conversation + "\0"s); }), "conversation_id"));
    CHECK(nul(error_of([&] { c.prompt_context(ctx_conversation + "\0"s, synap::PromptOptions()); }),
              "conversation_id"));
    CHECK(nul(error_of([] { synap::PromptOptions().style("narrative\0x"s); }), "style"));

    // Context request fields.
    synap::ContextRequest fetch(ContextScope::user);
    fetch.user_id("cpp-nul-ctx").customer_id(ctx_customer).add_query("decaf");
    CHECK(nul(error_of([&] { fetch.user_id("a\0b"s); }), "user_id"));
    CHECK(nul(error_of([&] { fetch.customer_id("c\0"s); }), "customer_id"));
    CHECK(nul(error_of([&] { fetch.conversation_id(ctx_conversation + "\0"s); }), "conversation_id"));
    CHECK(nul(error_of([&] { fetch.add_query("tea\0coffee"s); }), "query"));
    CHECK(nul(error_of([&] { fetch.add_type("facts\0"s); }), "type"));
    CHECK(nul(error_of([&] { fetch.mode("accurate\0"s); }), "mode"));
    CHECK(nul(error_of([&] { fetch.precision_level("medium\0"s); }), "precision_level"));
    CHECK(nul(error_of([&] { fetch.response_shape("ranked\0"s); }), "response_shape"));
    CHECK(nul(error_of([&] { fetch.query_date("2025-03-11\0junk"s); }), "query_date"));
    CHECK(nul(error_of([&] { fetch.add_scope_level("team\0"s, "payments"); }), "scope level"));
    CHECK(nul(error_of([&] { fetch.add_scope_level("team", "pay\0"s); }), "scope value"));

    // Conversation requests, options and id arguments.
    synap::MessageRequest msg;
    msg.conversation_id(conv_nul).role("user").content("Keep me as I am.").user_id("cpp-nul-user");
    msg.customer_id(ctx_customer);
    CHECK(nul(error_of([&] { msg.conversation_id(conv_nul + "\0"s); }), "conversation_id"));
    CHECK(nul(error_of([&] { msg.role("assistant\0"s); }), "role"));
    CHECK(nul(error_of([&] { msg.content("Hi\0hidden"s); }), "content"));
    CHECK(nul(error_of([&] { msg.user_id("a\0b"s); }), "user_id"));
    CHECK(nul(error_of([&] { msg.customer_id("c\0"s); }), "customer_id"));
    CHECK(nul(error_of([&] { msg.session_id("s\0"s); }), "session_id"));
    CHECK(nul(error_of([&] { msg.metadata_json("{}\0{"s); }), "metadata_json"));
    CHECK(nul(error_of([&] { msg.add_scope_level("team\0"s, "x"); }), "scope level"));
    CHECK(nul(error_of([&] { msg.add_scope_level("team", "x\0"s); }), "scope value"));
    CHECK(nul(error_of([&] { msg.agent_model("gpt\0"s); }), "agent_model"));
    synap::TranscriptRequest transcript;
    transcript.conversation_id("cpp-nul-call").user_id("cpp-nul-user").customer_id(ctx_customer);
    transcript.text("User: Keep me as I am.");
    CHECK(nul(error_of([&] { transcript.conversation_id("call\0"s); }), "conversation_id"));
    CHECK(nul(error_of([&] { transcript.user_id("a\0b"s); }), "user_id"));
    CHECK(nul(error_of([&] { transcript.customer_id("c\0"s); }), "customer_id"));
    CHECK(nul(error_of([&] { transcript.text("User: hi\0Assistant: hidden"s); }), "transcript"));
    CHECK(nul(error_of([&] { transcript.add_turn("user\0"s, "hi"); }), "role"));
    CHECK(nul(error_of([&] { transcript.add_turn("user", "hi\0"s, "Caller"); }), "content"));
    CHECK(nul(error_of([&] { transcript.add_turn("user", "hi", "Caller\0"s); }), "speaker"));
    CHECK(nul(error_of([&] { transcript.add_turn("user", "hi", call_start, "Caller\0"s); }), "speaker"));
    CHECK(nul(error_of([&] { transcript.add_turn("user", "hi\0"s, call_start); }), "content"));
    CHECK(nul(error_of([&] { transcript.conversation_type("voice\0"s); }), "conversation_type"));
    CHECK(nul(error_of([&] { transcript.analysis_json("{}\0"s); }), "analysis_json"));
    CHECK(nul(error_of([&] { transcript.metadata_json("{}\0"s); }), "metadata_json"));
    CHECK(nul(error_of([&] { transcript.add_scope_level("team\0"s, "x"); }), "scope level"));
    CHECK(nul(error_of([&] { transcript.add_scope_level("team", "x\0"s); }), "scope value"));
    CHECK(nul(error_of([] { synap::CompactOptions().strategy("balanced\0"s); }), "strategy"));
    CHECK(nul(error_of([] { synap::CompactedOptions().format("narrative\0"s); }), "format"));
    const std::string bad_conversation = conv_nul + "\0"s;
    CHECK(nul(error_of([&] { c.messages(bad_conversation, 1, 10); }), "conversation_id"));
    CHECK(nul(error_of([&] { c.compact(bad_conversation); }), "conversation_id"));
    CHECK(nul(error_of([&] { c.compact(bad_conversation, synap::CompactOptions()); }), "conversation_id"));
    CHECK(nul(error_of([&] { c.compacted(bad_conversation); }), "conversation_id"));
    CHECK(nul(error_of([&] { c.compacted(bad_conversation, synap::CompactedOptions()); }), "conversation_id"));
    CHECK(nul(error_of([&] { c.compaction_status(bad_conversation); }), "conversation_id"));

    // The refusals left every request as it was.
    synap::Client main_client = client();
    CHECK(main_client.create(create).document_id() == "cpp-nul-kept");
    CHECK(main_client.context_fetch(fetch).source() == "cloud");
    CHECK(main_client.record_message(msg).conversation_id() == std::string_view(conv_nul));
    CHECK(main_client.ingest_transcript(transcript).turns_recorded() == 1);
}

// Answers the scripted emulator (tests/cpp_binding.rs) changed: a degraded
// retrieval, malformed items read tolerantly, and a structure error.
void scripted_answers_are_read_tolerantly() {
    synap::Client c = client_of("CTX_URL");

    // The customer route: retrieval broke, nothing came back.
    synap::Context degraded =
        c.context_fetch(synap::ContextRequest(ContextScope::customer).customer_id("acme").add_query("anything"));
    std::optional<synap::Retrieval> retrieval = degraded.retrieval();
    CHECK(retrieval && retrieval->degraded());
    if (retrieval) {
        CHECK(retrieval->level() == std::string_view("partial") && retrieval->code() == std::string_view("timeout"));
        CHECK(retrieval->warnings() == (std::vector<std::string_view>{"vector store slow", "retried once"}));
    }
    bool all_empty = true;
    for (int list = SYNAP_LIST_FACTS; list <= SYNAP_LIST_EXCERPTS; list++) {
        all_empty = all_empty && degraded.items(static_cast<ContextList>(list)).empty();
    }
    CHECK(all_empty);

    // The user route: a malformed item, and a conversation block.
    synap::Context odd = c.context_fetch(synap::ContextRequest(ContextScope::user).user_id("u").add_query("tea"));
    synap::ContextItemList prefs = odd.items(ContextList::preferences);
    CHECK(prefs.size() == 2);
    if (prefs.size() == 2) {
        synap::ContextItem bad = prefs[0];
        CHECK(!bad.id() && bad.text() == std::string_view("I like tea."));
        CHECK(bad.kind() == std::string_view("preferences"));
        CHECK(bad.score() == 1.5);
        CHECK(!bad.time() && !bad.said_at() && !bad.label() && !bad.source());
        CHECK(bad.matched_queries().empty() && !bad.metadata_json() && !bad.rank() && !bad.rank_score());
        CHECK(!bad.temporal_confidence() && bad.event_precision() == std::string_view("day"));
        synap::ContextItem odder = prefs[1];
        CHECK(odder.id() == std::string_view("p-2") && !odder.text() && odder.score() == 0.25);
        CHECK(contains(odder.metadata_json(), "\"surprise\""));
    }
    std::optional<synap::ConversationContext> block = odd.conversation();
    CHECK(block.has_value());
    if (block) {
        CHECK(block->summary() == std::string_view("Asked about tea.") &&
              block->compacted_at() == std::string_view("not parsed"));
        CHECK(block->conversation_id() == std::string_view(ctx_conversation));
        CHECK(block->compaction_id() == std::string_view("b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"));
        CHECK(block->current_state_json() == std::string_view(R"({"stage":"ordering"})"));
        CHECK(!block->key_extractions_json() && !block->formatted_context());
        synap::TurnList turns = block->turns();
        CHECK(turns.size() == 2 && turns[0].content() == std::string_view("and tea?") && turns[0].timestamp());
        CHECK(turns[1].role() == std::string_view("assistant") && !turns[1].timestamp() && !turns[1].message_id());
    }

    // The client route: an item that is not an object fails the fetch,
    // naming the field; the next answer is clean again.
    auto e = error_of([&] { c.context_fetch(synap::ContextRequest(ContextScope::client).add_query("tea")); });
    CHECK(e && e->code() == SYNAP_PROTOCOL && e->message().find("facts") != std::string::npos && e->correlation_id());
    synap::Context clean = c.context_fetch(synap::ContextRequest(ContextScope::client).add_query("tea"));
    CHECK(clean.items(ContextList::facts).empty() && !clean.retrieval());
}

// Once whoami() has reported a B2C instance, a fetch naming a customer is
// refused before any request.
void b2c_context_fetch_refuses_a_customer_id() {
    synap::Client c = client_of("B2C_URL");
    c.whoami();
    auto e = error_of([&] {
        c.context_fetch(synap::ContextRequest(ContextScope::customer).customer_id("c1").add_query("x"));
    });
    CHECK(refused_here(e, "customer"));
}

}  // namespace

// What an owner lends is refused while it is a temporary, which would be
// destroyed while the views are in use; an lvalue lends.
template <class T, class = void>
struct lends_items : std::false_type {};
template <class T>
struct lends_items<T, std::void_t<decltype(std::declval<T>().items(synap::ContextList::ranked))>> : std::true_type {};
template <class T, class = void>
struct lends_attributes : std::false_type {};
template <class T>
struct lends_attributes<T, std::void_t<decltype(std::declval<T>().attributes())>> : std::true_type {};
template <class T, class = void>
struct lends_turns : std::false_type {};
template <class T>
struct lends_turns<T, std::void_t<decltype(std::declval<T>().turns())>> : std::true_type {};
static_assert(lends_items<const synap::Context&>::value && !lends_items<synap::Context>::value);
static_assert(lends_attributes<synap::Profile&>::value && !lends_attributes<synap::Profile>::value);
static_assert(lends_attributes<synap::ProfileView>::value, "a view lends what its owner does");
static_assert(lends_turns<synap::PromptContext&>::value && !lends_turns<synap::PromptContext>::value);
static_assert(!std::is_copy_constructible_v<synap::Context> && std::is_nothrow_move_constructible_v<synap::Context>);
static_assert(!std::is_copy_constructible_v<synap::Profile> && !std::is_copy_constructible_v<synap::PromptContext>);
template <class T, class = void>
struct lends_results : std::false_type {};
template <class T>
struct lends_results<T, std::void_t<decltype(std::declval<T>().results())>> : std::true_type {};
template <class T, class = void>
struct lends_errors : std::false_type {};
template <class T>
struct lends_errors<T, std::void_t<decltype(std::declval<T>().errors())>> : std::true_type {};
template <class T, class = void>
struct lends_messages : std::false_type {};
template <class T>
struct lends_messages<T, std::void_t<decltype(std::declval<T>().messages()), decltype(std::declval<T>().begin()),
                                     decltype(std::declval<T>().end()), decltype(std::declval<T>()[0]),
                                     decltype(std::declval<T>().at(0))>> : std::true_type {};
template <class T, class = void>
struct lends_any_message : std::false_type {};
template <class T>
struct lends_any_message<T, std::void_t<decltype(std::declval<T>().begin())>> : std::true_type {};
static_assert(lends_results<const synap::MessageBatch&>::value && !lends_results<synap::MessageBatch>::value);
static_assert(lends_errors<synap::MessageBatch&>::value && !lends_errors<synap::MessageBatch>::value);
static_assert(lends_messages<const synap::MessagePage&>::value && !lends_any_message<synap::MessagePage>::value);
static_assert(!lends_messages<synap::MessagePage>::value);
static_assert(std::is_same_v<std::iterator_traits<synap::MessagePage::iterator>::iterator_category,
                             std::random_access_iterator_tag>);
static_assert(!std::is_copy_constructible_v<synap::MessageRequest> &&
              std::is_nothrow_move_constructible_v<synap::MessageRequest>);
static_assert(!std::is_copy_constructible_v<synap::RecordedMessage> && !std::is_copy_constructible_v<synap::MessageBatch>);
static_assert(!std::is_copy_constructible_v<synap::TranscriptRequest> &&
              !std::is_copy_constructible_v<synap::TranscriptIngestion>);
static_assert(!std::is_copy_constructible_v<synap::MessagePage> && std::is_nothrow_move_constructible_v<synap::MessagePage>);
static_assert(!std::is_copy_constructible_v<synap::CompactOptions> && !std::is_copy_constructible_v<synap::Compaction>);
static_assert(!std::is_copy_constructible_v<synap::CompactedOptions> && !std::is_copy_constructible_v<synap::Compacted>);
static_assert(!std::is_copy_constructible_v<synap::CompactionStatus> &&
              std::is_nothrow_move_constructible_v<synap::CompactionStatus>);

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
    wait_options_refuse_bad_values();
    threads_share_one_client();
    create_request_refuses_bad_values();
    create_wait_and_get();
    batch_has_per_item_results();
    whoami_identifies_the_key();
    wait_all_reports_each_job();
    wait_all_stops();
    wait_all_counts_each_state();
    b2c_refuses_a_customer_id_after_whoami();
    log_callback_hears_requests();
    log_callback_replaced_from_threads();
    context_request_refuses_bad_values();
    context_fetch_ranks_the_decaf_preference();
    context_fetch_of_a_conversation();
    user_profile_is_read();
    prompt_context_in_each_style();
    odd_user_id_reaches_the_service();
    nul_bytes_are_refused_before_any_call();
    scripted_answers_are_read_tolerantly();
    b2c_context_fetch_refuses_a_customer_id();
    conversation_requests_refuse_bad_values();
    messages_are_recorded_in_order();
    batch_has_one_refused_message();
    messages_are_listed_in_pages();
    transcripts_are_ingested();
    conversation_is_compacted();
    conversation_writes_are_not_resent();
    b2c_conversation_writes_refuse_a_customer_id();

    // A client moves; the moved-to one works.
    synap::Client a = client();
    synap::Client b = std::move(a);
    CHECK(b.status(fixture("COMPLETED")).is_terminal());

    return finish();
}
