//! `include/synap.h` compiles cleanly with gcc and clang, as C99, C11,
//! C++11 and C++17, with `-Wall -Wextra -Werror -pedantic`; it may be
//! included twice; and from C++ its declarations link to the library
//! (they are inside `extern "C"`).

mod common;
mod compilers;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::cprog::{lib_dir, root, run, text};
use compilers::Compiler;

const WARNINGS: [&str; 4] = ["-Wall", "-Wextra", "-Werror", "-pedantic"];

/// Calls into the library, so a C++ build fails to link if a declaration
/// lacks C linkage; exits 0 when the linked library is the header's version.
const USES_THE_LIBRARY: &str = r#"#include <string.h>
#include "synap.h"
int main(void) {
    SynapOptions *options = synap_options_new();
    SynapClient *client = NULL;
    SynapCode code = synap_client_new("synap_header_check", options, &client);
    synap_client_free(client);
    synap_options_free(options);
    if (code != SYNAP_OK || synap_code_name(code) == NULL) return 2;
    return strcmp(synap_version(), SYNAP_VERSION) != 0;
}
"#;

const INCLUDED_TWICE: &str = "#include \"synap.h\"\n#include \"synap.h\"\nint main(void) { return SYNAP_OK; }\n";

fn write(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// (driver, standard, source) for every language and standard of `compiler`.
fn builds(compiler: Compiler, stem: &str, text: &str) -> Vec<(&'static str, &'static str, PathBuf)> {
    let c = write(&format!("{stem}.c"), text);
    let cpp = write(&format!("{stem}.cpp"), text);
    vec![
        (compiler.c, "-std=c99", c.clone()),
        (compiler.c, "-std=c11", c),
        (compiler.cxx, "-std=c++11", cpp.clone()),
        (compiler.cxx, "-std=c++17", cpp),
    ]
}

fn check(compiler: Compiler) {
    let include = root().join("include");
    for (driver, std, source) in builds(compiler, "header_twice", INCLUDED_TWICE) {
        let out =
            run(Command::new(driver).arg(std).args(WARNINGS).arg("-fsyntax-only").arg("-I").arg(&include).arg(&source));
        assert!(out.status.success(), "{driver} {std} {}:\n{}", source.display(), text(&out.stderr));
    }
    let lib = lib_dir();
    for (driver, std, source) in builds(compiler, "header_use", USES_THE_LIBRARY) {
        let binary = source.with_extension(format!("{}{}", compiler.name, std.trim_start_matches("-std=")));
        let out = run(Command::new(driver)
            .arg(std)
            .args(WARNINGS)
            .arg("-I")
            .arg(&include)
            .arg(&source)
            .arg("-o")
            .arg(&binary)
            .arg("-L")
            .arg(&lib)
            .arg("-lsynap")
            .arg(format!("-Wl,-rpath,{}", lib.display())));
        assert!(out.status.success(), "{driver} {std} {}:\n{}", source.display(), text(&out.stderr));
        let ran = run(Command::new(&binary).env_remove("SYNAP_BASE_URL"));
        assert_eq!(ran.status.code(), Some(0), "{driver} {std}: {}", text(&ran.stderr));
    }
}

#[test]
fn header_compiles_cleanly_with_gcc() {
    check(compilers::available(compilers::GCC).unwrap());
}

#[test]
fn header_compiles_cleanly_with_clang() {
    if let Some(clang) = compilers::available(compilers::CLANG) {
        check(clang);
    }
}
