//! Whether a string is an ISO 8601 datetime of the forms in contract
//! section 9 (what `document_created_at` may carry). Only validity is
//! checked here; `timefmt::parse` reads the value where it can.

use jiff::civil::{Date, ISOWeekDate, Weekday};

pub(crate) fn is_datetime(s: &str) -> bool {
    let Some((date_len, rest)) = split_date(s) else {
        return false;
    };
    if !valid_date(&s.as_bytes()[..date_len]) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    // Any one character may separate date and time, as in Python.
    let mut chars = rest.chars();
    chars.next();
    time_and_offset(chars.as_str())
}

/// Length of the date part: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-Www[-D]` or
/// `YYYYWww[D]`, and what follows it.
fn split_date(s: &str) -> Option<(usize, &str)> {
    let b = s.as_bytes();
    if b.len() < 7 {
        return None;
    }
    let len = match (b[4], b[5]) {
        (b'-', b'W') if b.len() > 8 && b[8] == b'-' => 10,
        (b'-', b'W') => 8,
        (b'-', _) => 10,
        (b'W', _) if b.len() > 7 && b[7].is_ascii_digit() => 8,
        (b'W', _) => 7,
        _ => 8,
    };
    Some((len, s.get(len..)?))
}

fn valid_date(b: &[u8]) -> bool {
    let Some(year) = number(&b[..4]).filter(|y| *y >= 1) else {
        return false;
    };
    let year = year as i16;
    match &b[4..] {
        [b'-', b'W', w1, w2, b'-', d] | [b'W', w1, w2, d] => week_date(year, [*w1, *w2], *d),
        [b'-', b'W', w1, w2] | [b'W', w1, w2] => week_date(year, [*w1, *w2], b'1'),
        [b'-', m1, m2, b'-', d1, d2] | [m1, m2, d1, d2] => match (number(&[*m1, *m2]), number(&[*d1, *d2])) {
            (Some(m), Some(d)) => Date::new(year, m as i8, d as i8).is_ok(),
            _ => false,
        },
        _ => false,
    }
}

fn week_date(year: i16, week: [u8; 2], day: u8) -> bool {
    let (Some(week), Some(day)) = (number(&week), number(&[day])) else {
        return false;
    };
    Weekday::from_monday_one_offset(day as i8).is_ok_and(|wd| ISOWeekDate::new(year, week as i8, wd).is_ok())
}

/// `HH[:MM[:SS[.f+]]]` (or without colons), then nothing, `Z`, or an offset
/// `±HH[[:]MM[[:]SS]]` below 24 hours, optionally after one space.
fn time_and_offset(s: &str) -> bool {
    let (time, offset) = match s.find(['+', '-', 'Z']) {
        Some(i) => (s[..i].strip_suffix(' ').unwrap_or(&s[..i]), &s[i..]),
        None => (s, ""),
    };
    let offset_ok = match offset.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', rest @ ..] => clock(rest, false),
        _ => false,
    };
    offset_ok && clock(time.as_bytes(), true)
}

/// Hours, minutes and seconds, each optional after the hours, either all
/// colon-separated or none; a fraction (`.` or `,`) only after seconds.
fn clock(b: &[u8], fraction: bool) -> bool {
    let (whole, frac) = match b.iter().position(|c| *c == b'.' || *c == b',') {
        Some(i) => (&b[..i], Some(&b[i + 1..])),
        None => (b, None),
    };
    let parts: Vec<&[u8]> =
        if whole.contains(&b':') { whole.split(|c| *c == b':').collect() } else { whole.chunks(2).collect() };
    let limits = [23, 59, 59];
    let fields_ok = !parts.is_empty()
        && parts.len() <= 3
        && parts.iter().zip(limits).all(|(p, max)| p.len() == 2 && number(p).is_some_and(|n| n <= max));
    let frac_ok = match frac {
        None => true,
        Some(f) => fraction && parts.len() == 3 && !f.is_empty() && f.iter().all(u8::is_ascii_digit),
    };
    fields_ok && frac_ok
}

fn number(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::is_datetime;

    #[test]
    fn section_9_forms_are_accepted() {
        for s in [
            "2025-01-15T10:30:00Z",
            "2025-01-15T10:30:00+00:00",
            "2025-01-15T10:30:00-0000",
            "2025-01-15T10:30:00-08:00",
            "2025-01-15T10:30:00+05:30",
            "2025-01-15T10:30:00+0530",
            "2025-01-15T10:30:00+05",
            "2025-01-15T10:30:00+14:00",
            "2025-01-15T10:30:00.1Z",
            "2025-01-15T10:30:00.123456Z",
            "2025-01-15T10:30:00.123456789+00:00",
            "2025-01-15T10:30:00,123Z",
            "2025-01-15T10:30:00",
            "2025-01-15T10:30:00.12345",
            "2025-01-15 10:30:00",
            "2025-01-15t10:30:00",
            "2025-01-15T10:30:00 +00:00",
            "2025-01-15T10:30",
            "2025-01-15T10",
            "2025-01-15",
            "20250115T103000Z",
            "2025-01-15T103000",
            "2025-W03-3T10:30:00",
            "2024-02-29T00:00:00Z",
        ] {
            assert!(is_datetime(s), "{s}");
        }
    }

    #[test]
    fn other_strings_are_refused() {
        for s in [
            "",
            "yesterday",
            "2025-01-15T",
            "2025-01-15T10:30:00z",
            "2025-01-15T24:00:00",
            "2025-01-15T10:30:60",
            "2025-1-5",
            " 2025-01-15",
            "2025-01-15T10:30:00 ",
            "2025-01-15T10:30:00 UTC",
            "Wed, 15 Jan 2025 10:30:00 GMT",
            "2025-01-15T10:30:00+24:00",
            "2025-01-15T10:30:00.",
            "2025-02-30",
            "2025-W54-1",
            "2025-01-15T10:3",
            "2025-01-15T10:30.5",
            "1736937000",
        ] {
            assert!(!is_datetime(s), "{s}");
        }
    }
}
