//! The shared library's binary interface: the soname, and the exact set of
//! exported symbols, which must match the committed `abi/libsynap.symbols`.
//! Run with `SYNAP_UPDATE_ABI=1` to rewrite that list after an intended
//! change.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::cprog::{declared_functions, lib_dir, root, run, text};

const SYMBOLS_FILE: &str = "abi/libsynap.symbols";

const SYMBOLS_PREAMBLE: &str = "\
# The dynamic symbols libsynap.so exports: type (T: function) and name, as
# `nm -D --defined-only` prints them. tests/abi.rs fails when the library
# differs. Adding a function is compatible; removing or changing one breaks
# programs linked against the soname and needs a new soname (a new minor
# version while the major is 0, else a new major). After an intended
# change: SYNAP_UPDATE_ABI=1 cargo test --test abi
";

/// `"T synap_version"` for each symbol the built libsynap.so defines.
fn exported() -> BTreeSet<String> {
    let out = run(Command::new("nm").args(["-D", "--defined-only"]).arg(lib_dir().join("libsynap.so")));
    assert!(out.status.success(), "nm failed: {}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .filter_map(|line| match line.split_whitespace().collect::<Vec<_>>()[..] {
            [_address, kind, name] => Some(format!("{kind} {name}")),
            _ => None,
        })
        .collect()
}

#[test]
fn exported_symbols_match_the_committed_list() {
    let path = root().join(SYMBOLS_FILE);
    let actual = exported();
    if std::env::var_os("SYNAP_UPDATE_ABI").is_some_and(|v| v == "1") {
        let list: String = actual.iter().map(|s| format!("{s}\n")).collect();
        std::fs::write(&path, format!("{SYMBOLS_PREAMBLE}{list}")).expect("abi/libsynap.symbols is writable");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let committed: BTreeSet<String> =
        committed.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(str::to_owned).collect();
    let added: Vec<&String> = actual.difference(&committed).collect();
    let removed: Vec<&String> = committed.difference(&actual).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "libsynap.so exports differ from {SYMBOLS_FILE}:\n  added:   {added:?}\n  removed: {removed:?}\n\
         Removing or changing an exported function breaks programs built against {soname}. \
         If the change is intended, run `SYNAP_UPDATE_ABI=1 cargo test --test abi` and commit {SYMBOLS_FILE}.",
        soname = soname(),
    );
}

#[test]
fn shared_library_exports_only_synap_functions() {
    let exported = exported();
    let foreign: Vec<&String> = exported.iter().filter(|s| !s.starts_with("T synap_")).collect();
    assert!(foreign.is_empty(), "exported outside the namespace, or not a function: {foreign:?}");
    // Every function the header declares is exported, and nothing more.
    let header = std::fs::read_to_string(root().join("include/synap.h")).unwrap();
    let declared: BTreeSet<String> = declared_functions(&header).iter().map(|n| format!("T {n}")).collect();
    assert_eq!(exported, declared, "exported (left) and declared in include/synap.h (right)");
}

/// The soname carries the part of the version that changes with the ABI:
/// `0.<minor>` while the major is 0, else the major.
fn soname() -> String {
    match (env!("CARGO_PKG_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MINOR")) {
        ("0", minor) => format!("libsynap.so.0.{minor}"),
        (major, _) => format!("libsynap.so.{major}"),
    }
}

#[test]
fn soname_carries_the_abi_version() {
    let soname = soname();
    assert_eq!(soname, "libsynap.so.0.2", "update this line and the README when the version changes");
    let lib = lib_dir().join("libsynap.so");
    let out = run(Command::new("readelf").arg("-d").arg(&lib));
    assert!(out.status.success(), "readelf failed: {}", text(&out.stderr));
    let dynamic = text(&out.stdout);
    assert!(
        dynamic.contains(&format!("Library soname: [{soname}]")),
        "{} has no soname {soname}:\n{dynamic}",
        lib.display()
    );
    // A program linked against this library asks the loader for exactly
    // this soname, so it cannot load a library of another ABI (0.1's was
    // libsynap.so.0).
    let program = common::cprog::compile("tests/c/test_status.c", "test_status_abi");
    let needed = text(&run(Command::new("readelf").arg("-d").arg(&program)).stdout);
    assert!(needed.contains(&format!("Shared library: [{soname}]")), "{needed}");
    assert!(!needed.contains("Shared library: [libsynap.so.0]"), "{needed}");
    // Programs linked in the tree ask the loader for the soname.
    let link = lib_dir().join(&soname);
    assert_eq!(
        std::fs::canonicalize(&link).ok(),
        std::fs::canonicalize(&lib).ok(),
        "{} must lead to libsynap.so",
        link.display()
    );
}
