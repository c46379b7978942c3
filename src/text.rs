//! `Text`: server text kept NUL-terminated, so that it reads as `&str` in
//! Rust and is lent to C as a `const char *` without a copy.

use std::ffi::c_char;
use std::fmt;

/// A string from a response body, stored with one trailing NUL. The wire
/// parsers refuse a NUL inside server text, so the only NUL is the last
/// byte.
#[derive(Clone, PartialEq, Eq)]
pub struct Text(Box<str>);

impl Text {
    /// `None` if `text` holds a NUL byte.
    pub(crate) fn new(text: &str) -> Option<Text> {
        if text.contains('\0') {
            return None;
        }
        let mut owned = String::with_capacity(text.len() + 1);
        owned.push_str(text);
        owned.push('\0');
        Some(Text(owned.into_boxed_str()))
    }

    /// The text, without its terminator.
    pub fn as_str(&self) -> &str {
        &self.0[..self.0.len() - 1]
    }

    /// The text as C reads it: NUL-terminated, valid as long as `self`.
    pub(crate) fn as_ptr(&self) -> *const c_char {
        self.0.as_ptr().cast()
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_as_str_and_as_c() {
        let t = Text::new("decaf after 3pm").unwrap();
        assert_eq!(t.as_str(), "decaf after 3pm");
        // SAFETY: as_ptr points to the text and its one NUL, alive with `t`.
        let c = unsafe { std::ffi::CStr::from_ptr(t.as_ptr()) };
        assert_eq!(c.to_str().unwrap(), "decaf after 3pm");
        assert_eq!(Text::new("").unwrap().as_str(), "");
        assert!(Text::new("a\0b").is_none());
    }
}
