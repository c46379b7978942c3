//! The build tools the packaging and binding tests drive besides the C
//! compiler: cmake, pkg-config and Go. Where one is missing its tests are
//! skipped with a note, except in CI (`CI=true`), which installs them all:
//! there a missing tool fails the test.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use crate::common::cprog::root;

/// Whether `program` runs (`program <version_arg>`). If not: a panic in CI,
/// else a note naming the Debian package to install, and false.
pub fn available(program: &str, version_arg: &str, package: &str) -> bool {
    if Command::new(program).arg(version_arg).output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    let ci = std::env::var_os("CI").is_some_and(|v| v == "true");
    assert!(!ci, "{program} is not installed; .ci/run installs it (Debian: {package})");
    eprintln!("note: {program} is not installed (Debian: {package}), so this test is skipped here; CI runs it");
    false
}

pub fn go_binding_dir() -> PathBuf {
    root().join("bindings/go")
}

/// `go` in bindings/go, offline (the binding uses the standard library
/// only), with its build cache in the target directory; `None` where Go is
/// not installed (see `available`).
pub fn go() -> Option<Command> {
    if !available("go", "version", "golang-go") {
        return None;
    }
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let mut cmd = Command::new("go");
    cmd.current_dir(go_binding_dir())
        .env("GOCACHE", scratch.join("go-build"))
        .env("GOPATH", scratch.join("go-path"))
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=mod")
        .env("GOTOOLCHAIN", "local")
        .env("GOWORK", "off")
        .env("CGO_ENABLED", "1");
    Some(cmd)
}
