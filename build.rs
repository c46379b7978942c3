//! Generates the C header from `src/ffi` with cbindgen into `OUT_DIR`.
//! The committed `include/synap.h` must equal it: `tests/header.rs` checks
//! that, and rewrites the file when `SYNAP_UPDATE_HEADER=1`.
//!
//! On ELF systems it also gives the shared library its soname, the part of
//! the version that changes with the ABI: `libsynap.so.<major>`, or
//! `libsynap.so.0.<minor>` while the major is 0 (where, as in Cargo's own
//! rules, every minor release may break the ABI). A program built against
//! one ABI loads only a library of that ABI, never an incompatible one.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
    let minor = env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets the version");
    if is_elf() {
        let abi = if major == "0" { format!("0.{minor}") } else { major };
        let soname = format!("libsynap.so.{abi}");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
        link_soname_beside_library(&soname);
    }

    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("synap.h");
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");

    let mut config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml is readable and valid");
    let version = |part: &str| env::var(format!("CARGO_PKG_VERSION_{part}")).expect("cargo sets the version");
    // The version macros come from Cargo.toml, so they cannot drift from it.
    config.after_includes = Some(format!(
        "\n/** Version of this header: major, minor, patch, and as a string. Compare\n \
         *  SYNAP_VERSION with synap_version() to check the linked library. */\n\
         #define SYNAP_VERSION_MAJOR {}\n#define SYNAP_VERSION_MINOR {}\n#define SYNAP_VERSION_PATCH {}\n\
         #define SYNAP_VERSION \"{}\"",
        version("MAJOR"),
        version("MINOR"),
        version("PATCH"),
        env::var("CARGO_PKG_VERSION").expect("cargo sets the version"),
    ));
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen can read src/ffi")
        .write_to_file(&out);
}

/// Linux, the BSDs, illumos and the like; not Apple, Windows or wasm.
fn is_elf() -> bool {
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let family = env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    let vendor = env::var("CARGO_CFG_TARGET_VENDOR").unwrap_or_default();
    family.split(',').any(|f| f == "unix") && vendor != "apple" && os != "emscripten"
}

/// A program linked against `libsynap.so` asks the loader for the soname,
/// which cargo does not make: a link `libsynap.so.<abi> -> libsynap.so`
/// beside the library lets programs built in the tree (the tests, the
/// examples) run from it. OUT_DIR is `<profile dir>/build/synap-<hash>/out`.
fn link_soname_beside_library(soname: &str) {
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let Some(profile_dir) = out.ancestors().nth(3) else { return };
    let link = profile_dir.join(soname);
    if std::fs::read_link(&link).is_ok_and(|target| target == Path::new("libsynap.so")) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    #[cfg(unix)]
    if let Err(e) = std::os::unix::fs::symlink("libsynap.so", &link) {
        println!("cargo:warning=cannot link {} to libsynap.so: {e}", link.display());
    }
}
