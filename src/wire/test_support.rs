//! Helpers the parsers' unit tests share.

use std::fmt;

use crate::error::{Error, ErrorKind};
use crate::text::Text;

/// `Some` of the text `s`.
pub(crate) fn t(s: &str) -> Option<Text> {
    Some(Text::new(s).unwrap())
}

/// The strings of `items`, for comparing a list at once.
pub(crate) fn texts(items: &[Text]) -> Vec<&str> {
    items.iter().map(Text::as_str).collect()
}

/// What `parse` makes of `json`; fails the test, naming the body, on error.
pub(crate) fn ok<T>(parse: fn(&[u8]) -> Result<T, Error>, json: &str) -> T {
    parse(json.as_bytes()).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// The message of the protocol error `parse` must make of `body`.
pub(crate) fn error<T: fmt::Debug>(parse: fn(&[u8]) -> Result<T, Error>, body: &[u8]) -> String {
    let e = parse(body).expect_err(&String::from_utf8_lossy(body));
    assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
    e.message().to_owned()
}
