//! The C and C++ compilers the C-facing tests build with: gcc always, and
//! clang where it is installed. CI (`CI=true`) installs clang, so there a
//! missing clang fails the test rather than quietly narrowing it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use crate::common::cprog::compile_using;

#[derive(Clone, Copy, Debug)]
pub struct Compiler {
    pub name: &'static str,
    pub c: &'static str,
    pub cxx: &'static str,
}

pub const GCC: Compiler = Compiler { name: "gcc", c: "gcc", cxx: "g++" };
pub const CLANG: Compiler = Compiler { name: "clang", c: "clang", cxx: "clang++" };

fn installed(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// `Some(compiler)` if both of its drivers run; `None`, with a note on
/// stderr, if it is not installed here. Panics in CI, and for gcc anywhere.
pub fn available(compiler: Compiler) -> Option<Compiler> {
    if installed(compiler.c) && installed(compiler.cxx) {
        return Some(compiler);
    }
    let required = compiler.name == "gcc" || std::env::var_os("CI").is_some_and(|v| v == "true");
    assert!(
        !required,
        "{} is not installed ({} and {} must run); .ci/run installs it",
        compiler.name, compiler.c, compiler.cxx
    );
    eprintln!("note: {} is not installed; its checks are skipped here (CI runs them)", compiler.name);
    None
}

/// Compiles and links one C program with `compiler`, as
/// `common::cprog::compile_with` does with `cc`.
pub fn compile_c(compiler: Compiler, source: &str, name: &str, flags: &[&str]) -> PathBuf {
    compile_using(compiler.c, source, &format!("{name}-{}", compiler.name), flags)
}
