# Builds libsynap, the C example, and runs the demo and the tests.
#   make            library (release) and examples-c programs in build/
#   make demo       start the local emulator and show synap-status on its demo jobs
#   make test       every test: Rust unit and integration tests, the C tests
#                   under valgrind, header checks, the examples against the emulator
#   make bench      benchmarks against nginx on loopback (BENCHMARKS.md)
#   make bench-smoke  the same with tiny counts, for CI
#   make clean

CARGO ?= cargo
CC ?= cc
CFLAGS ?= -O2 -g
C_STRICT = -std=c99 -Wall -Wextra -Werror -pedantic -pthread
LIBDIR := target/release
# What libsynap.a needs from the system (rustc --print native-static-libs).
STATIC_LIBS = -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

.PHONY: all lib examples demo test clean

all: examples

lib:
	$(CARGO) build --workspace --release

examples: build/synap-status build/synap-status-static

# Shared: found at run time through the rpath.
build/synap-status: examples-c/synap-status.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR) -lsynap -Wl,-rpath,$(abspath $(LIBDIR))

# Static: no run-time dependency on libsynap.so.
build/synap-status-static: examples-c/synap-status.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ $(LIBDIR)/libsynap.a $(STATIC_LIBS)

demo: examples
	examples-c/demo.sh build/synap-status target/release/synap-emulator

# cargo build first: the C tests link the library it makes (see tests/c_api.rs).
test:
	$(CARGO) build --workspace
	$(CARGO) test --workspace

clean:
	$(CARGO) clean
	rm -rf build

# Benchmarks against nginx on loopback (see BENCHMARKS.md); they install what
# they need. bench-smoke runs every part with tiny counts: it checks that the
# harness works, not how fast.
.PHONY: bench bench-smoke
bench:
	benches/run.sh

bench-smoke:
	benches/run.sh --smoke
