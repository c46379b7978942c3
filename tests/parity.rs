//! Binding parity: every function `include/synap.h` declares is called by
//! the C++ header, the Go binding and the Swift wrapper, unless
//! `bindings/parity-exclusions.txt` names it for that binding with a
//! reason. A new C function therefore cannot land without its wrappers,
//! and an exclusion cannot outlive its reason.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::cprog::{declared_functions, root, used_functions};

const EXCLUSIONS: &str = "bindings/parity-exclusions.txt";

/// Each binding and the sources that make its C calls.
fn bindings() -> Vec<(&'static str, Vec<String>)> {
    let go_dir = root().join("bindings/go");
    let mut go: Vec<String> = std::fs::read_dir(&go_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| (n.ends_with(".go") && !n.ends_with("_test.go")) || n.ends_with(".c") || n.ends_with(".h"))
        .map(|n| format!("bindings/go/{n}"))
        .collect();
    go.sort();
    vec![
        ("cpp", vec!["include/synap.hpp".to_owned()]),
        ("go", go),
        ("swift", vec!["bindings/swift/Sources/Synap/Synap.swift".to_owned()]),
    ]
}

/// `binding function reason...` lines; `#` starts a comment.
fn parse_exclusions(text: &str) -> Result<BTreeMap<(String, String), String>, String> {
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.splitn(3, char::is_whitespace);
        let (Some(binding), Some(function), Some(reason)) = (words.next(), words.next(), words.next()) else {
            return Err(format!("{EXCLUSIONS}:{}: want `binding function reason`: {line}", n + 1));
        };
        if !["cpp", "go", "swift"].contains(&binding) {
            return Err(format!("{EXCLUSIONS}:{}: binding must be cpp, go or swift: {line}", n + 1));
        }
        out.insert((binding.to_owned(), function.to_owned()), reason.trim().to_owned());
    }
    Ok(out)
}

/// Every problem: a declared function a binding neither uses nor excludes,
/// and an exclusion that is stale (the function is gone or now wrapped).
fn problems(
    declared: &BTreeSet<String>,
    called: &BTreeMap<&str, BTreeSet<String>>,
    excluded: &BTreeMap<(String, String), String>,
) -> Vec<String> {
    let mut found = Vec::new();
    for (binding, calls) in called {
        for function in declared {
            let is_excluded = excluded.contains_key(&(binding.to_string(), function.clone()));
            if !calls.contains(function) && !is_excluded {
                found.push(format!("{binding} does not wrap {function}"));
            }
        }
    }
    for (binding, function) in excluded.keys() {
        if !declared.contains(function) {
            found.push(format!("{EXCLUSIONS} names {function}, which synap.h does not declare"));
        } else if called.get(binding.as_str()).is_some_and(|calls| calls.contains(function)) {
            found.push(format!("{EXCLUSIONS} excludes {function} from {binding}, which now wraps it"));
        }
    }
    found
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_header_function_is_wrapped_by_every_binding() {
    let declared = declared_functions(&read("include/synap.h"));
    assert!(declared.len() > 80, "the header parser found only {declared:?}");
    let called: BTreeMap<&str, BTreeSet<String>> = bindings()
        .into_iter()
        .map(|(binding, files)| (binding, files.iter().flat_map(|f| used_functions(&read(f))).collect()))
        .collect();
    let excluded = parse_exclusions(&read(EXCLUSIONS)).unwrap();
    let found = problems(&declared, &called, &excluded);
    assert!(
        found.is_empty(),
        "binding parity:\n  {}\nWrap each function in every binding, or name it in {EXCLUSIONS} with the reason.",
        found.join("\n  ")
    );
}

#[test]
fn a_function_added_without_wrappers_is_caught() {
    let header = "SynapCode synap_client_new(const char *api_key,\n\
                  void synap_client_free(struct SynapClient *client);\n\
                  const char *synap_thing_new(void);\n";
    let declared = declared_functions(header);
    assert_eq!(declared.len(), 3, "{declared:?}");
    let wrapped: BTreeSet<String> = ["synap_client_new", "synap_client_free"].map(str::to_owned).into();
    let called: BTreeMap<&str, BTreeSet<String>> =
        [("cpp", wrapped.clone()), ("go", wrapped.clone()), ("swift", wrapped)].into();
    let none = BTreeMap::new();
    assert_eq!(
        problems(&declared, &called, &none),
        [
            "cpp does not wrap synap_thing_new",
            "go does not wrap synap_thing_new",
            "swift does not wrap synap_thing_new"
        ]
    );

    let excluded = parse_exclusions("go synap_thing_new  Go has its own\nswift synap_client_new  stale").unwrap();
    assert_eq!(
        problems(&declared, &called, &excluded),
        [
            "cpp does not wrap synap_thing_new",
            "swift does not wrap synap_thing_new",
            "bindings/parity-exclusions.txt excludes synap_client_new from swift, which now wraps it",
        ]
    );
    assert!(parse_exclusions("rust synap_x reason").is_err());
    assert!(parse_exclusions("go synap_x").is_err(), "a reason is required");
}

#[test]
fn uses_are_read_from_source_text_outside_comments() {
    let go = "C.synap_client_new(key, nil, &out)\nC.synap_status_free\n  // synap_version()\nxsynap_nope()\n\
              /* synap_a(\n synap_b() */ f(\"http://x\", synap_c(1))";
    let calls = used_functions(go);
    assert_eq!(calls, ["synap_client_new", "synap_status_free", "synap_c"].map(str::to_owned).into());
}
