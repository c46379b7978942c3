//! What the C entry point targets share: reading numbers from fuzzed
//! bytes, checking what a call left behind, and a port that refuses, with a
//! client of it. Each target uses part of this.
#![allow(dead_code)]

use std::ffi::{CStr, CString, c_char};
use std::net::TcpListener;
use std::ptr;
use std::sync::OnceLock;

use synap::ffi::*;

/// Folds bytes into a number as decimal digits, any byte allowed, so every
/// field names some value.
pub fn decimal(n: u64, &b: &u8) -> u64 {
    n.wrapping_mul(10).wrapping_add(u64::from(b.wrapping_sub(b'0')))
}

/// Checks what a call left behind: a code with a name, and a one-line UTF-8
/// message exactly when it failed.
pub fn check(code: SynapCode) -> SynapCode {
    // SAFETY: code names are static strings.
    let name = unsafe { CStr::from_ptr(synap_code_name(code as i32)) };
    assert!(name.to_bytes().starts_with(b"SYNAP_") && name != c"SYNAP_UNKNOWN_CODE", "{code:?}");
    let message = synap_last_error_message();
    if code == SynapCode::SYNAP_OK {
        assert!(message.is_null(), "a success leaves no last error");
        return code;
    }
    assert!(!message.is_null(), "{code:?} without a message");
    // SAFETY: the message is valid until the next fallible call.
    let message = unsafe { CStr::from_ptr(message) }.to_str().expect("messages are UTF-8");
    assert!(!message.is_empty() && !message.contains(['\n', '\r']), "{code:?}: {message:?}");
    let _ = (synap_last_error_http_status(), synap_last_error_retry_after_ms());
    let correlation_id: *const c_char = synap_last_error_correlation_id();
    if !correlation_id.is_null() {
        // SAFETY: as for the message.
        unsafe { CStr::from_ptr(correlation_id) }.to_str().expect("correlation ids are UTF-8");
    }
    code
}

/// A loopback URL where nothing listens: a port bound, then freed.
pub fn refused_url() -> &'static CString {
    static URL: OnceLock<CString> = OnceLock::new();
    URL.get_or_init(|| {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free loopback port").port();
        CString::new(format!("http://127.0.0.1:{port}")).expect("no NUL")
    })
}

/// A client of the refusing port, trying each call once.
pub unsafe fn client() -> *mut SynapClient {
    // SAFETY: the options handle is made, used and freed here.
    unsafe {
        let options = synap_options_new();
        assert_eq!(check(synap_options_set_base_url(options, refused_url().as_ptr())), SynapCode::SYNAP_OK);
        assert_eq!(check(synap_options_set_proxy(options, c"".as_ptr())), SynapCode::SYNAP_OK);
        assert_eq!(check(synap_options_set_max_attempts(options, 1)), SynapCode::SYNAP_OK);
        let mut client: *mut SynapClient = ptr::null_mut();
        assert_eq!(check(synap_client_new(c"synap_fuzz_key".as_ptr(), options, &mut client)), SynapCode::SYNAP_OK);
        synap_options_free(options);
        client
    }
}

/// A call to the refusing port is refused before sending or fails sending.
pub fn fails_here_or_on_the_wire(code: SynapCode) {
    let code = check(code);
    assert!(matches!(code, SynapCode::SYNAP_INVALID_ARGUMENT | SynapCode::SYNAP_NETWORK), "{code:?}");
}
