//! Values into URLs: every path segment and query value percent-encoded,
//! so an id holding `/`, `?`, `#`, `%` or a space reaches the server intact
//! (the reference SDK sends some of these raw and corrupts the path).

/// Appends `value` percent-encoded: RFC 3986's unreserved characters stay,
/// every other byte of its UTF-8 becomes `%XX`.
pub(crate) fn push_encoded(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
}

/// `base` followed by each part: literal parts as they are, segments
/// (`Part::Segment`) percent-encoded.
pub(crate) fn build(base: &str, parts: &[Part<'_>]) -> String {
    let mut url = String::with_capacity(base.len() + parts.iter().map(|p| p.len_hint()).sum::<usize>());
    url.push_str(base);
    for part in parts {
        match part {
            Part::Literal(text) => url.push_str(text),
            Part::Segment(value) => push_encoded(&mut url, value),
        }
    }
    url
}

/// One piece of a URL.
pub(crate) enum Part<'a> {
    /// Written as it is: a path or `?key=` of our own.
    Literal(&'a str),
    /// A caller's value: percent-encoded.
    Segment(&'a str),
}

impl Part<'_> {
    fn len_hint(&self) -> usize {
        match self {
            Part::Literal(text) => text.len(),
            Part::Segment(value) => value.len() * 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_are_encoded() {
        let mut out = String::new();
        push_encoded(&mut out, "a/b?c#d e%f+g~h.i_j-é");
        assert_eq!(out, "a%2Fb%3Fc%23d%20e%25f%2Bg~h.i_j-%C3%A9");
    }

    #[test]
    fn parts_build_a_url() {
        let url = build(
            "http://h/v1",
            &[
                Part::Literal("/users/"),
                Part::Segment("u/1"),
                Part::Literal("/profile?customer_id="),
                Part::Segment("c 1"),
            ],
        );
        assert_eq!(url, "http://h/v1/users/u%2F1/profile?customer_id=c%201");
    }
}
