use std::ffi::c_char;

static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library's version, `"MAJOR.MINOR.PATCH"`, e.g. `"0.1.0"`.
///
/// The string is static: never free it. Compare with `SYNAP_VERSION` to
/// check that the header and the linked library agree.
#[unsafe(no_mangle)]
pub extern "C" fn synap_version() -> *const c_char {
    VERSION.as_ptr().cast()
}
