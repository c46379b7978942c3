// The C++ tests' reporter and fixtures: CHECK counts each check and prints
// one line per failed one; finish() prints "N passed, N failed" and gives
// the exit status. Fixtures come from tests/cpp_binding.rs as
// SYNAP_FIX_<name>.
#ifndef SYNAP_TEST_CHECK_HPP
#define SYNAP_TEST_CHECK_HPP

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "synap.hpp"

namespace {

int passed = 0;
int failed = 0;

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (cond) {                                                                \
            passed++;                                                              \
        } else {                                                                   \
            failed++;                                                              \
            std::fprintf(stderr, "not ok %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                          \
    } while (0)

inline std::string fixture(const char* name) {
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

// A client of the emulator whose URL is the fixture `url_fixture`, trying
// each request once so that a scripted fault is seen as it is.
inline synap::Client client_of(const char* url_fixture) {
    return synap::Client(key, synap::Options().base_url(fixture(url_fixture)).max_attempts(1));
}

inline synap::Client client() { return client_of("BASE_URL"); }

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

// The closing report and the exit status main returns.
inline int finish() {
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace

#endif
