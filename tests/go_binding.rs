//! The Go binding (bindings/go): gofmt-clean, `go vet`-clean, and its own
//! tests pass against the emulator and the library `cargo build` made,
//! with cgo's pointer checks at their strictest.

mod common;
mod tools;

use std::process::Command;

use common::cprog::{lib_dir, root, run, text};

/// The header and library from the tree. Through the C toolchain's own
/// variables rather than CGO_CFLAGS/CGO_LDFLAGS, which would make Go
/// rebuild its standard library's cgo packages (tens of seconds).
fn in_tree(cmd: &mut Command) -> &mut Command {
    let lib = lib_dir();
    cmd.env("C_INCLUDE_PATH", root().join("include"))
        .env("LIBRARY_PATH", &lib)
        .env("LD_LIBRARY_PATH", &lib)
        .env("SYNAP_EMULATOR", lib.join("synap-emulator"))
}

#[test]
fn go_binding_is_formatted_and_vetted() {
    let Some(mut vet) = tools::go() else { return };
    let out = run(Command::new("gofmt").arg("-l").arg(tools::go_binding_dir()));
    assert!(out.status.success() && out.stdout.is_empty(), "gofmt -l: {}{}", text(&out.stdout), text(&out.stderr));
    let out = run(in_tree(vet.args(["vet", "./..."])));
    assert!(out.status.success(), "go vet:\n{}", text(&out.stderr));
}

#[test]
fn go_binding_tests_pass_against_the_emulator() {
    let Some(mut go) = tools::go() else { return };
    let started = std::time::Instant::now();
    // cgocheck=2 checks every pointer the binding hands to C.
    let out = run(in_tree(go.args(["test", "-count=1", "-v", "./..."])).env("GODEBUG", "cgocheck=2"));
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "go test failed:\n{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("--- PASS: TestManyGoroutinesShareOneClient"), "{stdout}");
    assert!(stdout.contains("--- PASS: TestGoroutinesRecordIntoOneConversation"), "{stdout}");
    assert!(stdout.contains("--- PASS: TestConversationWritesAreSentOnceUnlessNothingHappened"), "{stdout}");
    assert!(!stdout.contains("--- SKIP"), "no Go test may skip:\n{stdout}");
    eprintln!("go test: {:?}", started.elapsed());
}
