# Builds libsynap, the C example, and runs the demo and the tests.
#   make            library (release) and examples-c programs in build/
#   make demo       start the local emulator, ingest a transcript with synap-ingest,
#                   ask synap-context what it remembers and show the prompt
#                   context, replay the chat turn by turn with synap-chat
#                   (compacting as it goes), show synap-status on the
#                   emulator's demo jobs, then forget the demo user with
#                   synap-forget and show that nothing of them comes back
#   make test       every check: lint, Rust unit and integration tests, the C
#                   tests and examples under valgrind and sanitizers, header, ABI
#                   and soname checks, then fuzzing
#   make lint       rustfmt and clippy, warnings as errors
#   make fuzz       each fuzz target for FUZZ_SECONDS (default 60, 0 skips;
#                   fuzz/run.sh), as make test does last
#   make bench      benchmarks against nginx on loopback (BENCHMARKS.md)
#   make bench-smoke  the same with tiny counts, for CI
#   make install    install the library, headers, pkg-config and CMake files
#                   (PREFIX=/usr/local DESTDIR=); make uninstall removes them
#   make clean

CARGO ?= cargo
FUZZ_SECONDS ?= 60
CC ?= cc
CFLAGS ?= -O2 -g
C_STRICT = -std=c99 -Wall -Wextra -Werror -pedantic -pthread
LIBDIR := target/release
# What libsynap.a needs from the system (rustc --print native-static-libs).
STATIC_LIBS = -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

.PHONY: all lib examples demo test lint fuzz clean

all: examples

lib:
	$(CARGO) build --workspace --release

examples: build/synap-status build/synap-status-static build/synap-ingest build/synap-context build/synap-chat \
	build/synap-forget

# Shared: found at run time through the rpath.
build/synap-status: examples-c/synap-status.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR) -lsynap -Wl,-rpath,$(abspath $(LIBDIR))

# Static: no run-time dependency on libsynap.so.
build/synap-status-static: examples-c/synap-status.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ $(LIBDIR)/libsynap.a $(STATIC_LIBS)

build/synap-ingest: examples-c/synap-ingest.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR) -lsynap -Wl,-rpath,$(abspath $(LIBDIR))

build/synap-context: examples-c/synap-context.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR) -lsynap -Wl,-rpath,$(abspath $(LIBDIR))

build/synap-chat: examples-c/synap-chat.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR) -lsynap -Wl,-rpath,$(abspath $(LIBDIR))

build/synap-forget: examples-c/synap-forget.c include/synap.h lib
	@mkdir -p build
	$(CC) $(C_STRICT) $(CFLAGS) -Iinclude $< -o $@ -L$(LIBDIR) -lsynap -Wl,-rpath,$(abspath $(LIBDIR))

demo: examples
	examples-c/demo.sh build/synap-status build/synap-ingest build/synap-context build/synap-chat \
		build/synap-forget target/release/synap-emulator

# cargo build first: the C tests link the library it makes (see tests/c_api.rs).
test: lint
	$(CARGO) build --workspace
	$(CARGO) test --workspace
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

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

# Installs what `make` built (it builds nothing itself, so it can run as
# root after `make` ran as you): the library with its soname links, the
# headers, pkg-config and CMake files. See packaging/install.sh.
#   make install PREFIX=/usr/local DESTDIR=/tmp/stage
PREFIX ?= /usr/local
VERSION := $(shell sed -n '/^\[package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)
INSTALL_ENV = FROM="$(LIBDIR)" PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" VERSION="$(VERSION)" STATIC_LIBS="$(STATIC_LIBS)"
.PHONY: install uninstall
install:
	$(INSTALL_ENV) packaging/install.sh install

uninstall:
	$(INSTALL_ENV) packaging/install.sh uninstall
