// Tests of include/synap.hpp's memory lifecycle, data deletion and credits
// calls against the emulator, run by tests/cpp_binding.rs, which passes the
// emulators' URLs and the file to upload as SYNAP_FIX_<name>.
// Prints one line per failed check and "N passed, N failed" at the end.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "check.hpp"
#include "synap.hpp"

using namespace std::chrono_literals;
using namespace std::string_view_literals;

namespace {

const std::string user = "cpp-life-user";
const std::string customer = "cpp-life-cust";

bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Refused before any request: SYNAP_INVALID_ARGUMENT, no HTTP status, `part`
// in the message.
bool refused_here(const std::optional<synap::Error>& e, std::string_view part = {}) {
    return e && e->code() == SYNAP_INVALID_ARGUMENT && e->http_status() == 0 && has(e->message(), part);
}

synap::WaitOptions quick() {
    synap::WaitOptions how;
    how.timeout(30s).poll_interval(50ms);
    return how;
}

// Creates a document of `user_id` (of `customer`), waits for its job and
// returns its memories' ids.
std::vector<std::string> ingest(const synap::Client& c, const std::string& text, const std::string& user_id) {
    synap::Ingestion job = c.create(synap::CreateRequest().document_text(text).user_id(user_id).customer_id(customer));
    synap::MemoryStatus done = c.wait(std::string(job.ingestion_id()), quick());
    CHECK(done.state() == synap::State::completed);
    std::vector<std::string> ids;
    for (std::string_view id : done.memory_ids()) {
        ids.emplace_back(id);
    }
    return ids;
}

// The id among `ids` of the memory whose content holds `part`.
std::string memory_saying(const synap::Client& c, const std::vector<std::string>& ids, std::string_view part) {
    for (const std::string& id : ids) {
        if (has(c.get(id).content(), part)) {
            return id;
        }
    }
    return "";
}

void update_get_back(const synap::Client& c, const std::string& id) {
    synap::UpdateRequest request;
    request.document_text("I moved to Porto in 2021.").merge_strategy("replace");
    // A refused setter leaves the request as it was: still "replace".
    CHECK(refused_here(error_of([&] { request.merge_strategy("merge"); }), "merge"));
    CHECK(refused_here(error_of([&] { request.document_type("note"); }), "note"));
    auto before = std::chrono::system_clock::now();
    synap::Memory updated = c.update(id, request);
    CHECK(updated.memory_id() == id && updated.content() == "I moved to Porto in 2021.");
    CHECK(updated.updated_at() && *updated.updated_at() > before - 5min);
    CHECK(c.get(id).content() == "I moved to Porto in 2021.");

    synap::Memory appended = c.update(id, synap::UpdateRequest()
                                              .document_json(R"({"text":"I moved there for work."})")
                                              .merge_strategy("append")
                                              .document_type("document")
                                              .metadata_json(R"({"source":"cpp-update"})"));
    CHECK(appended.content() == "I moved to Porto in 2021.\nI moved there for work.");

    auto e = error_of([&] { c.update(unknown_id, request); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404);
    CHECK(refused_here(error_of([&] { c.update("cpp-not-a-uuid", request); })));
    CHECK(refused_here(error_of([&] { c.update(id, synap::UpdateRequest()); })));
}

void delete_then_get_is_not_found(const synap::Client& c, const std::string& id) {
    auto before = std::chrono::system_clock::now();
    synap::DeletedMemory deleted = c.delete_memory(id);
    CHECK(deleted.memory_id() == std::optional<std::string_view>(id));
    CHECK(deleted.deleted_at() && *deleted.deleted_at() > before - 5min);
    auto e = error_of([&] { c.get(id); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND);
    e = error_of([&] { c.delete_memory(id); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404);
    e = error_of([&] { c.update(id, synap::UpdateRequest().document_text("Back again.")); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND);

    synap::DeletedMemory moved = std::move(deleted);
    CHECK(moved.memory_id() && !deleted.memory_id() && !deleted.deleted_at());
}

void forget_preview_then_direct(const synap::Client& c, const std::string& id) {
    synap::ForgetRequest request;
    request.description("old home address").user_id(user).customer_id(customer);
    CHECK(refused_here(error_of([&] { request.mode("later"); }), "later"));
    CHECK(refused_here(error_of([&] { request.description("no"); }), "description"));
    synap::ForgetResult preview = c.forget(request);
    CHECK(preview.outcome() == synap::ForgetOutcome::preview && preview.status() == "preview"sv);
    CHECK(preview.request_id() && preview.deleted_ids().empty() && !preview.may_be_incomplete());
    CHECK(preview.candidates().size() == 1);
    for (synap::ForgetCandidate candidate : preview.candidates()) {
        CHECK(candidate.memory_id() == std::optional<std::string_view>(id));
        CHECK(candidate.content() && has(*candidate.content(), "12 Elm Street"));
        CHECK(candidate.store() == "memory"sv && candidate.memory_type());
    }
    CHECK(!preview.candidates()[1].memory_id());
    CHECK(c.get(id).memory_id() == id);

    synap::ForgetResult direct = c.forget(request.mode("direct").add_scope_level("team", "travel"));
    CHECK(direct.outcome() == synap::ForgetOutcome::deleted);
    CHECK(direct.deleted_ids() == std::vector<std::string_view>{id});
    CHECK(direct.failed_ids().empty() && direct.still_present_in().empty());
    auto e = error_of([&] { c.get(id); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND);

    synap::ForgetResult none =
        c.forget(synap::ForgetRequest().description("zebra crossing").user_id(user).customer_id(customer));
    CHECK(none.outcome() == synap::ForgetOutcome::nothing_matches && none.candidates().empty() && !none.request_id());
    // The service needs the customer on this B2B instance.
    e = error_of([&] { c.forget(synap::ForgetRequest().description("passport drawer").user_id(user)); });
    CHECK(e && e->code() == SYNAP_INVALID_REQUEST && e->http_status() == 400);

    synap::ForgetResult moved = std::move(direct);
    CHECK(moved.outcome() == synap::ForgetOutcome::deleted && direct.outcome() == synap::ForgetOutcome::unknown);
    CHECK(direct.candidates().empty() && direct.deleted_ids().empty());
}

void memory_lifecycle() {
    synap::Client c = client();
    std::vector<std::string> ids = ingest(
        c,
        "User: I moved to Porto last spring. I prefer window seats on long flights. My old home address was 12 Elm "
        "Street.",
        user);
    CHECK(ids.size() == 3);
    std::string moved = memory_saying(c, ids, "Porto");
    std::string seats = memory_saying(c, ids, "window seats");
    std::string address = memory_saying(c, ids, "12 Elm Street");
    CHECK(!moved.empty() && !seats.empty() && !address.empty());
    if (moved.empty() || seats.empty() || address.empty()) {
        return;
    }
    update_get_back(c, moved);
    delete_then_get_is_not_found(c, seats);
    forget_preview_then_direct(c, address);
}

// A job an upload queued completes.
bool completes(const synap::Client& c, const synap::Ingestion& job) {
    return c.wait(std::string(job.ingestion_id()), quick()).state() == synap::State::completed;
}

void uploads_then_wait() {
    synap::Client c = client();
    synap::UploadRequest file;
    file.user_id(user).customer_id(customer).mode("fast").document_type("document");
    file.metadata_json(R"({"channel":"cpp-upload"})").add_scope_level("team", "travel").file(fixture("UPLOAD_FILE"));
    CHECK(refused_here(error_of([&] { file.mode("slow"); }), "slow"));
    synap::Ingestion from_file = c.upload(file);
    CHECK(from_file.state() == synap::State::queued && from_file.accepted());
    CHECK(completes(c, from_file));

    // Any bytes, NUL included: not a C string.
    synap::Ingestion from_bytes = c.upload(synap::UploadRequest()
                                               .user_id(user)
                                               .customer_id(customer)
                                               .relationship_type("b2b")
                                               .bytes("cpp\0\xff\xfe bytes\n"sv)
                                               .filename("cpp-notes.bin")
                                               .content_type("application/x-cpp"));
    CHECK(completes(c, from_bytes));
    synap::Ingestion from_text = c.upload(
        synap::UploadRequest().user_id(user).customer_id(customer).text("User: I keep my passport in the top drawer."));
    CHECK(completes(c, from_text));

    // A file that is not there: SYNAP_FILE, naming it, and nothing sent.
    auto e = error_of(
        [&] { c.upload(synap::UploadRequest().user_id(user).file("/nonexistent/cpp-missing-upload.txt")); });
    CHECK(e && e->code() == SYNAP_FILE && e->code_name() == "SYNAP_FILE" && e->http_status() == 0);
    CHECK(e && has(e->what(), "SYNAP_FILE: ") && has(e->message(), "cpp-missing-upload.txt"));
    CHECK(refused_here(error_of([&] { c.upload(synap::UploadRequest().text("no user")); })));
    CHECK(refused_here(error_of([] { synap::UploadRequest().user_id(""); }), "user_id"));
}

void data_deletion_dry_run_confirm_wait() {
    synap::Client c = client();
    const std::string gone = "cpp-del-user";
    std::vector<std::string> ids =
        ingest(c, "User: I drink green tea every morning. I work from a cafe on Fridays.", gone);
    CHECK(ids.size() == 2);

    synap::DataDeleteRequest request(synap::DeleteScope::user, gone);
    request.customer_id(customer).dry_run(true);
    synap::DataDeletion dry = c.delete_data(request);
    CHECK(dry.state() == synap::DeletionState::dry_run && dry.is_dry_run() && dry.is_done() && !dry.deletion_id());
    CHECK(dry.found() && dry.scope() == "user"sv && dry.count_of("memories") == std::int64_t(ids.size()));
    bool counted = false;
    for (synap::DeletionCount count : dry.counts()) {
        counted = counted || (count.store() == "memories"sv && count.value() == std::int64_t(ids.size()));
    }
    CHECK(counted && !dry.count_of("cpp-no-such-store"));
    CHECK(dry.json() && has(*dry.json(), "\"dry_run\""));
    CHECK(c.get(ids[0]).memory_id() == ids[0]);

    request.dry_run(false);
    CHECK(refused_here(error_of([&] { c.delete_data(request); }), "confirm"));
    request.confirm("cpp-del-other");
    CHECK(refused_here(error_of([&] { c.delete_data(request); }), "confirm"));
    CHECK(refused_here(error_of([] { synap::DataDeleteRequest(synap::DeleteScope::user, ""); })));
    CHECK(refused_here(error_of([] { synap::DataDeleteRequest(static_cast<synap::DeleteScope>(7), "x"); })));
    CHECK(refused_here(error_of([] { synap::DataDeleteRequest(synap::DeleteScope::customer, "c").customer_id("c"); })));

    synap::DataDeletion started = c.delete_data(request.confirm(gone));
    CHECK(started.state() == synap::DeletionState::in_progress && !started.is_done() && started.deletion_id());
    CHECK(started.audit() && has(*started.audit(), "/v1/data/delete/"));
    std::string id(started.deletion_id().value_or(""));

    int reports = 0;
    bool consistent = true;
    std::string last;
    synap::WaitOptions how = quick();
    how.progress([&](const synap::WaitProgress& p) {
        std::optional<synap::DataDeletionView> d = p.deletion();
        reports++;
        if (!d || p.status() || p.total() != 1) {
            consistent = false;
            return true;
        }
        auto counted_as = d->state() == synap::DeletionState::complete ? synap::WaitState::completed
                                                                         : synap::WaitState::processing;
        consistent = consistent && p.count(counted_as) == 1 && d->deletion_id() == std::optional<std::string_view>(id);
        last = std::string(d->status().value_or(""));
        return true;
    });
    synap::DataDeletion done = c.wait_deletion(id, how);
    CHECK(done.state() == synap::DeletionState::complete && done.fully_removed() && done.is_done());
    CHECK(done.count_of("memories") == std::int64_t(ids.size()) && done.still_present_in().empty());
    CHECK(done.stores_json() && done.deletion_id() == std::optional<std::string_view>(id));
    CHECK(reports >= 1 && consistent && last == "complete");
    CHECK(c.deletion_status(id).state() == synap::DeletionState::complete);
    for (const std::string& memory : ids) {
        auto e = error_of([&] { c.get(memory); });
        CHECK(e && e->code() == SYNAP_NOT_FOUND);
    }
    auto e = error_of([&] { c.deletion_status("del_cpp_unknown"); });
    CHECK(e && e->code() == SYNAP_NOT_FOUND && e->http_status() == 404);
    CHECK(refused_here(error_of([&] { c.deletion_status("  "); })));

    // The progress callback stops a wait, or throws out of it.
    synap::DataDeletion stopping = c.delete_data(synap::DataDeleteRequest(synap::DeleteScope::user, "cpp-del-stop")
                                                     .customer_id(customer)
                                                     .confirm("cpp-del-stop"));
    std::string stop_id(stopping.deletion_id().value_or(""));
    synap::WaitOptions stop = quick();
    stop.progress([](const synap::WaitProgress&) { return false; });
    e = error_of([&] { c.wait_deletion(stop_id, stop); });
    CHECK(e && e->code() == SYNAP_CANCELLED);
    stop.progress([](const synap::WaitProgress&) -> bool { throw std::logic_error("cpp progress threw"); });
    bool rethrown = false;
    try {
        c.wait_deletion(stop_id, stop);
    } catch (const std::logic_error& thrown) {
        rethrown = std::string(thrown.what()) == "cpp progress threw";
    }
    CHECK(rethrown);

    synap::DataDeletion conversation = c.delete_data(
        synap::DataDeleteRequest(synap::DeleteScope::conversation, "a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d")
            .user_id(gone)
            .customer_id(customer)
            .dry_run(true));
    CHECK(conversation.memories_kept() && conversation.kept() == std::vector<std::string_view>{"memories"});
    CHECK(conversation.scope() == "conversation"sv && conversation.note());

    synap::DataDeletion moved = std::move(done);
    CHECK(moved.is_done() && done.state() == synap::DeletionState::unknown && done.counts().empty());
}

// On an emulator that reports forgets and deletions as partial.
void partial_outcomes() {
    synap::Client c = client_of("PARTIAL_URL");
    std::vector<std::string> ids = ingest(c, "User: My old home address was 12 Elm Street.", user);
    synap::ForgetResult partial = c.forget(
        synap::ForgetRequest().description("old home address").user_id(user).customer_id(customer).mode("direct"));
    CHECK(partial.outcome() == synap::ForgetOutcome::partial && partial.may_be_incomplete());
    CHECK(partial.still_present_in() == std::vector<std::string_view>{"graph"} && partial.deleted_ids().size() == 1);

    synap::DataDeletion started =
        c.delete_data(synap::DataDeleteRequest(synap::DeleteScope::user, user).customer_id(customer).confirm(user));
    // A partial deletion is a record, not an error.
    synap::DataDeletion done = started.is_done() ? std::move(started)
                                                 : c.wait_deletion(std::string(*started.deletion_id()), quick());
    CHECK(done.state() == synap::DeletionState::partial && !done.fully_removed());
    CHECK(done.still_present_in() == std::vector<std::string_view>{"graph"});
}

void credits_balance_ledger_estimate_redeem() {
    synap::Client c = client();
    synap::CreditBalance balance = c.credit_balance();
    CHECK(balance.credits() > 0 && !balance.warning_low() && balance.client_id());
    CHECK(!balance.buckets().empty() && balance.buckets()[0].source_type() == "grant"sv);
    CHECK(balance.buckets()[0].credits() && !balance.buckets()[0].expires_at());
    CHECK(!balance.buckets()[balance.buckets().size()].source_type());

    double estimate = c.estimate_credits(synap::EstimateRequest()
                                             .metric_type("llm_input_tokens")
                                             .units(1000)
                                             .item_count(4)
                                             .endpoint("/v1/context/user/fetch")
                                             .mode("fast"));
    CHECK(estimate > 0.999 && estimate < 1.001);
    CHECK(refused_here(error_of([] { synap::EstimateRequest().units(-1); })));
    CHECK(refused_here(error_of([] { synap::EstimateRequest().metric_type(""); })));
    CHECK(refused_here(error_of([&] { c.estimate_credits(synap::EstimateRequest().units(1)); })));

    synap::Redemption redeemed = c.redeem_credits(" SYN-TEST-CODE-0001-A ");
    CHECK(redeemed.redemption_id() && redeemed.credits_granted() == 500.0);
    CHECK(redeemed.new_balance() && *redeemed.new_balance() > balance.credits() && !redeemed.expires_at());
    auto e = error_of([&] { c.redeem_credits("SYN-TEST-CODE-0001-A"); });
    CHECK(e && e->code() == SYNAP_INSUFFICIENT_CREDITS && e->http_status() == 402);
    e = error_of([&] { c.redeem_credits("cpp-malformed-code"); });
    CHECK(e && e->code() == SYNAP_INVALID_REQUEST && e->http_status() == 422);

    synap::LedgerPage all = c.credit_ledger();
    CHECK(all.size() >= 3 && all.total() >= std::int64_t(all.size()));
    CHECK(all.limit() == 100 && all.offset() == 0);
    synap::LedgerEntry newest = all.entries()[0];
    CHECK(newest.entry_type() == "redeem"sv && newest.delta() == 500.0 && newest.entry_id() && newest.created_at());
    auto now = std::chrono::system_clock::now();
    synap::LedgerPage usage =
        c.credit_ledger(synap::LedgerQuery().entry_type("usage").limit(2).offset(1).from(now - 1h));
    CHECK(usage.size() == 2 && usage.limit() == 2 && usage.offset() == 1 && usage.total() > 2);
    for (synap::LedgerEntry entry : usage.entries()) {
        CHECK(entry.entry_type() == "usage"sv && entry.delta().value_or(0.0) < 0.0);
    }
    synap::LedgerPage future = c.credit_ledger(synap::LedgerQuery().from(now + 30min).to(now + 1h));
    CHECK(future.size() == 0 && future.entries().empty() && future.total() == 0);
    CHECK(refused_here(error_of([] { synap::LedgerQuery().limit(0); })));
    CHECK(refused_here(error_of([] { synap::LedgerQuery().limit(501); })));
}

// Every new call handed a string holding a NUL byte refuses it before any
// request (the emulator behind NUL_URL must see none), leaving the request
// as it was.
void nul_bytes_are_refused_before_any_call() {
    synap::Client c = client_of("NUL_URL");
    const std::string nul("cpp\0nul", 7);
    auto nul_refused = [](const std::optional<synap::Error>& e) { return refused_here(e, "contains a NUL byte"); };
    synap::UpdateRequest update;
    update.document_text("kept");
    CHECK(nul_refused(error_of([&] { update.document_text(nul); })));
    CHECK(nul_refused(error_of([&] { update.metadata_json(nul); })));
    CHECK(nul_refused(error_of([&] { c.update(unknown_id + nul, update); })));
    CHECK(nul_refused(error_of([&] { c.delete_memory(nul); })));
    synap::ForgetRequest forget;
    CHECK(nul_refused(error_of([&] { forget.description(nul); })));
    CHECK(nul_refused(error_of([&] { forget.add_scope_level("team", nul); })));
    synap::UploadRequest upload;
    CHECK(nul_refused(error_of([&] { upload.file("/tmp/" + nul); })));
    CHECK(nul_refused(error_of([&] { upload.text(nul); })));
    CHECK(nul_refused(error_of([&] { upload.filename(nul); })));
    CHECK(nul_refused(error_of([&] { synap::DataDeleteRequest(synap::DeleteScope::user, nul); })));
    synap::DataDeleteRequest deletion(synap::DeleteScope::user, "cpp-nul");
    CHECK(nul_refused(error_of([&] { deletion.confirm(nul); })));
    CHECK(nul_refused(error_of([&] { c.deletion_status(nul); })));
    CHECK(nul_refused(error_of([&] { c.wait_deletion(nul); })));
    CHECK(nul_refused(error_of([&] { synap::LedgerQuery().entry_type(nul); })));
    CHECK(nul_refused(error_of([&] { synap::EstimateRequest().metric_type(nul); })));
    CHECK(nul_refused(error_of([&] { c.redeem_credits("SYN-TEST-CODE-0001-A" + nul); })));
}

}  // namespace

// What an owner lends is refused while it is a temporary; an lvalue lends.
template <class T, class = void>
struct lends_candidates : std::false_type {};
template <class T>
struct lends_candidates<T, std::void_t<decltype(std::declval<T>().candidates())>> : std::true_type {};
template <class T, class = void>
struct lends_counts : std::false_type {};
template <class T>
struct lends_counts<T, std::void_t<decltype(std::declval<T>().counts())>> : std::true_type {};
template <class T, class = void>
struct lends_buckets : std::false_type {};
template <class T>
struct lends_buckets<T, std::void_t<decltype(std::declval<T>().buckets())>> : std::true_type {};
template <class T, class = void>
struct lends_entries : std::false_type {};
template <class T>
struct lends_entries<T, std::void_t<decltype(std::declval<T>().entries())>> : std::true_type {};
static_assert(lends_candidates<const synap::ForgetResult&>::value && !lends_candidates<synap::ForgetResult>::value);
static_assert(lends_counts<synap::DataDeletion&>::value && !lends_counts<synap::DataDeletion>::value);
static_assert(lends_counts<synap::DataDeletionView>::value, "a view lends what its owner does");
static_assert(lends_buckets<const synap::CreditBalance&>::value && !lends_buckets<synap::CreditBalance>::value);
static_assert(lends_entries<synap::LedgerPage&>::value && !lends_entries<synap::LedgerPage>::value);
static_assert(!std::is_copy_constructible_v<synap::UpdateRequest> &&
              std::is_nothrow_move_constructible_v<synap::UpdateRequest>);
static_assert(!std::is_copy_constructible_v<synap::ForgetRequest> &&
              !std::is_copy_constructible_v<synap::ForgetResult>);
static_assert(!std::is_copy_constructible_v<synap::UploadRequest> &&
              !std::is_copy_constructible_v<synap::DataDeleteRequest>);
static_assert(!std::is_copy_constructible_v<synap::DataDeletion> &&
              std::is_nothrow_move_constructible_v<synap::DataDeletion>);
static_assert(!std::is_copy_constructible_v<synap::CreditBalance> && !std::is_copy_constructible_v<synap::LedgerPage>);
static_assert(!std::is_copy_constructible_v<synap::LedgerQuery> && !std::is_copy_constructible_v<synap::Redemption>);
static_assert(!std::is_copy_constructible_v<synap::EstimateRequest> &&
              !std::is_copy_constructible_v<synap::DeletedMemory>);
static_assert(static_cast<int>(synap::ForgetOutcome::partial) == SYNAP_FORGET_PARTIAL);
static_assert(static_cast<int>(synap::DeletionState::dry_run) == SYNAP_DELETION_DRY_RUN);
static_assert(static_cast<int>(synap::DeleteScope::customer) == SYNAP_DELETE_CUSTOMER);

int main() {
    memory_lifecycle();
    uploads_then_wait();
    data_deletion_dry_run_confirm_wait();
    partial_outcomes();
    credits_balance_ledger_estimate_redeem();
    nul_bytes_are_refused_before_any_call();

    return finish();
}
