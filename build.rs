//! Generates the C header from `src/ffi` with cbindgen into `OUT_DIR`.
//! The committed `include/synap.h` must equal it: `tests/header.rs` checks
//! that, and rewrites the file when `SYNAP_UPDATE_HEADER=1`.

use std::env;
use std::path::PathBuf;

fn main() {
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
