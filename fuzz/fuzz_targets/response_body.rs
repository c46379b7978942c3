//! What the targets that read any bytes as a route's response body share:
//! the checks of the errors the parsers give and of the text they keep.

use synap::{Error, ErrorKind, Text};

/// Checks what reading `body` as each route gave: a value only from UTF-8,
/// otherwise a one-line protocol error "invalid <route> response: <detail>"
/// whose structure error names the body or a list `lists` gives for that
/// route. Returns each error's route and detail, for a target's own checks.
pub fn check_errors<'e>(
    body: &[u8],
    results: &[(&'e str, Option<&'e Error>)],
    lists: &[(&str, &[&str])],
) -> Vec<(&'e str, &'e str)> {
    let utf8 = std::str::from_utf8(body).is_ok();
    let mut details = Vec::new();
    for &(what, e) in results {
        let Some(e) = e else {
            assert!(utf8, "{what} read a body that is not UTF-8");
            continue;
        };
        assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
        let detail = e.message().strip_prefix(&format!("invalid {what} response: ")).unwrap_or_else(|| panic!("{e}"));
        assert!(!detail.contains('\n'), "{e}");
        assert_eq!(detail.contains("the body is not UTF-8"), !utf8, "{e}");
        // A structure error names a list of the route, or the body. (A
        // number beyond f64 fails where it is read, whatever the route.)
        if let Some(path) = detail.strip_suffix(" is not an object").or_else(|| detail.strip_suffix(" is not an array"))
        {
            let route_lists = lists.iter().find(|(route, _)| *route == what).map_or(&[][..], |&(_, l)| l);
            assert!(path == "the body" || route_lists.iter().any(|l| path.starts_with(l)), "{e}");
        }
        details.push((what, detail));
    }
    details
}

pub fn check_texts<'a>(texts: impl IntoIterator<Item = &'a Option<Text>>) {
    texts.into_iter().flatten().for_each(check_text);
}

/// Server text holds no NUL: the C API lends it out NUL-terminated.
pub fn check_text(text: &Text) {
    assert!(!text.contains('\0'), "a NUL reached a field: {text:?}");
}
