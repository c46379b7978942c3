//! The committed `include/synap.h` must be the one cbindgen generates from
//! `src/ffi`. Run with `SYNAP_UPDATE_HEADER=1` to rewrite it.

use std::path::Path;

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/synap.h"));

#[test]
fn committed_header_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/synap.h");
    if std::env::var_os("SYNAP_UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(&path, GENERATED).expect("include/synap.h is writable");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == GENERATED,
        "include/synap.h differs from the header generated from src/ffi; \
         run `SYNAP_UPDATE_HEADER=1 cargo test --test header` and commit the result"
    );
}

#[test]
fn header_exports_only_synap_names() {
    for line in GENERATED.lines() {
        let decl = line.trim_start();
        if let Some(name) = decl.strip_prefix("#define ") {
            assert!(name.starts_with("SYNAP_"), "macro outside the namespace: {line}");
        }
        if let Some(paren) = decl.find('(') {
            if !decl.starts_with('*') && !decl.starts_with("/*") && !decl.starts_with("#") && decl.contains(' ') {
                let before = &decl[..paren];
                let name = before.rsplit([' ', '*']).next().unwrap_or("");
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    assert!(name.starts_with("synap_"), "function outside the namespace: {line}");
                }
            }
        }
        if let Some(rest) = decl.strip_prefix("typedef ") {
            // A function pointer type is named inside `(*Name)`.
            let name = match rest.split_once("(*") {
                Some((_, after)) => after.split(')').next().unwrap_or(""),
                None => rest.trim_end_matches(';').rsplit(' ').next().unwrap_or(""),
            };
            assert!(name.starts_with("Synap") || name == "{", "type outside the namespace: {line}");
        }
    }
}

#[test]
fn version_macros_match_the_package() {
    let version = env!("CARGO_PKG_VERSION");
    assert!(GENERATED.contains(&format!("#define SYNAP_VERSION \"{version}\"")));
    let mut parts = version.split('.');
    for name in ["MAJOR", "MINOR", "PATCH"] {
        let want = format!("#define SYNAP_VERSION_{name} {}", parts.next().unwrap());
        assert!(GENERATED.contains(&want), "missing {want}");
    }
    // SAFETY: synap_version returns a static NUL-terminated string.
    let linked = unsafe { std::ffi::CStr::from_ptr(synap::ffi::synap_version()) };
    assert_eq!(linked.to_str().unwrap(), version);
}

#[test]
fn every_function_is_documented() {
    // Each prototype must be preceded by a doc comment ending in "*/".
    let lines: Vec<&str> = GENERATED.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let is_prototype = line.contains("synap_") && line.contains('(') && !line.trim_start().starts_with('*');
        if is_prototype && !line.starts_with(' ') {
            assert_eq!(lines[i - 1].trim(), "*/", "undocumented: {line}");
        }
    }
}
