//! ISO 8601 timestamps as the service's reference SDK reads them (Python's
//! `datetime.fromisoformat`, 3.11 rules), turned into Unix microseconds, UTC.
//!
//! The grammar is small and hand-written so every accepted form is explicit;
//! calendar arithmetic (days in month, ISO weeks, offsets) is jiff's.

use jiff::civil::{Date, DateTime, ISOWeekDate, Weekday};

/// Formats Unix microseconds as RFC 3339 UTC with six fraction digits
/// (`2025-01-15T10:30:00.412000Z`), for years 1 to 9999; `None` outside.
pub(crate) fn format_rfc3339_micros(us: i64) -> Option<String> {
    let epoch = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);
    let dt = epoch.checked_add(jiff::SignedDuration::from_micros(us)).ok()?;
    // jiff reaches back to year -9999; the service reads only 1 to 9999.
    if dt.year() < 1 {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.subsec_nanosecond() / 1000
    ))
}

/// Parses `text` and returns Unix microseconds in UTC. A timestamp without an
/// offset is read as UTC. Digits beyond the sixth fractional one are dropped
/// (truncated, not rounded), as the reference SDK does.
pub fn parse_unix_micros(text: &str) -> Option<i64> {
    let (date_part, rest) = split_date(text)?;
    let date = parse_date(date_part)?;
    let (time, offset_seconds) = match rest {
        None => (Time::MIDNIGHT, 0),
        Some(rest) => {
            // Python allows any one character between date and time.
            let mut chars = rest.chars();
            chars.next()?;
            parse_time_and_offset(chars.as_str())?
        }
    };
    let dt =
        DateTime::new(date.year(), date.month(), date.day(), time.hour, time.minute, time.second, time.micro * 1000)
            .ok()?;
    // Civil arithmetic rather than jiff's Timestamp, whose range stops a day
    // short of the year 9999 end that Python accepts.
    let since_epoch = dt.duration_since(DateTime::constant(1970, 1, 1, 0, 0, 0, 0)).as_micros();
    i64::try_from(since_epoch - i128::from(offset_seconds) * 1_000_000).ok()
}

#[derive(Clone, Copy)]
struct Time {
    hour: i8,
    minute: i8,
    second: i8,
    micro: i32,
}

impl Time {
    const MIDNIGHT: Time = Time { hour: 0, minute: 0, second: 0, micro: 0 };
}

/// Splits off the date: `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-Www[-D]`, `YYYYWww[D]`.
fn split_date(text: &str) -> Option<(&str, Option<&str>)> {
    let b = text.as_bytes();
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
    if b.len() < len {
        return None;
    }
    let (date, rest) = text.split_at_checked(len)?;
    Some((date, (!rest.is_empty()).then_some(rest)))
}

fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let year = digits(&b[..4])? as i16;
    if year < 1 {
        return None;
    }
    let date = match b {
        [_, _, _, _, b'-', b'W', w @ .., b'-', d] | [_, _, _, _, b'W', w @ .., d]
            if w.len() == 2 && d.is_ascii_digit() =>
        {
            week_date(year, w, *d)?
        }
        [_, _, _, _, b'-', b'W', w @ ..] | [_, _, _, _, b'W', w @ ..] if w.len() == 2 => week_date(year, w, b'1')?,
        [_, _, _, _, b'-', m1, m2, b'-', d1, d2] | [_, _, _, _, m1, m2, d1, d2] => {
            let month = digits(&[*m1, *m2])? as i8;
            let day = digits(&[*d1, *d2])? as i8;
            Date::new(year, month, day).ok()?
        }
        _ => return None,
    };
    Some(date)
}

fn week_date(year: i16, week: &[u8], weekday: u8) -> Option<Date> {
    let week = digits(week)? as i8;
    let weekday = Weekday::from_monday_one_offset(digits(&[weekday])? as i8).ok()?;
    Some(ISOWeekDate::new(year, week, weekday).ok()?.date())
}

/// `HH[:MM[:SS[.f+]]]` or `HH[MM[SS[.f+]]]`, then nothing, `Z`, or a
/// `±HH[:MM[:SS]]` offset (optionally after one space).
fn parse_time_and_offset(s: &str) -> Option<(Time, i32)> {
    let tz_at = s.find(['+', '-', 'Z']);
    let (time_text, tz_text) = match tz_at {
        Some(i) => (s[..i].strip_suffix(' ').unwrap_or(&s[..i]), &s[i..]),
        None => (s, ""),
    };
    let time = parse_time(time_text)?;
    let offset = match tz_text.as_bytes() {
        [] => 0,
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let seconds = parse_offset(rest)?;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    Some((time, offset))
}

fn parse_time(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    let extended = b.len() > 2 && b[2] == b':';
    let mut fields = [0i8; 3];
    let mut pos = 0;
    let mut count = 0;
    while count < 3 && pos < b.len() {
        if count > 0 && extended {
            if b[pos] != b':' {
                break;
            }
            pos += 1;
        }
        fields[count] = digits(b.get(pos..pos + 2)?)? as i8;
        pos += 2;
        count += 1;
    }
    if count == 0 {
        return None;
    }
    let mut micro = 0;
    if pos < b.len() {
        // Only seconds may carry a fraction, written with '.' or ','.
        if count != 3 || !matches!(b[pos], b'.' | b',') {
            return None;
        }
        micro = fraction_micros(&b[pos + 1..])?;
    }
    let [hour, minute, second] = fields;
    (hour < 24 && minute < 60 && second < 60).then_some(Time { hour, minute, second, micro })
}

fn fraction_micros(b: &[u8]) -> Option<i32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut micro = 0i32;
    for i in 0..6 {
        micro = micro * 10 + b.get(i).map_or(0, |d| i32::from(d - b'0'));
    }
    Some(micro)
}

fn parse_offset(b: &[u8]) -> Option<i32> {
    let (h, m, s) = match b {
        [h1, h2] => ([*h1, *h2], [b'0'; 2], [b'0'; 2]),
        [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => ([*h1, *h2], [*m1, *m2], [b'0'; 2]),
        [h1, h2, m1, m2, s1, s2] | [h1, h2, b':', m1, m2, b':', s1, s2] => ([*h1, *h2], [*m1, *m2], [*s1, *s2]),
        _ => return None,
    };
    let (h, m, s) = (digits(&h)?, digits(&m)?, digits(&s)?);
    (h < 24 && m < 60 && s < 60).then_some((h * 3600 + m * 60 + s) as i32)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::parse_unix_micros as p;

    /// 2025-01-15T10:30:00Z in Unix microseconds.
    const BASE: i64 = 1_736_937_000_000_000;
    const HOUR: i64 = 3_600_000_000;
    const MINUTE: i64 = 60_000_000;

    #[test]
    fn utc_forms() {
        assert_eq!(p("2025-01-15T10:30:00Z"), Some(BASE));
        assert_eq!(p("2025-01-15T10:30:00+00:00"), Some(BASE));
        assert_eq!(p("2025-01-15T10:30:00-0000"), Some(BASE));
    }

    #[test]
    fn offsets() {
        assert_eq!(p("2025-01-15T10:30:00-08:00"), Some(BASE + 8 * HOUR));
        assert_eq!(p("2025-01-15T10:30:00+05:30"), Some(BASE - 5 * HOUR - 30 * MINUTE));
        assert_eq!(p("2025-01-15T10:30:00+0530"), Some(BASE - 5 * HOUR - 30 * MINUTE));
        assert_eq!(p("2025-01-15T10:30:00+05"), Some(BASE - 5 * HOUR));
        assert_eq!(p("2025-01-15T10:30:00+14:00"), Some(BASE - 14 * HOUR));
        assert_eq!(p("2025-01-15T10:30:00+05:30:15"), Some(BASE - 5 * HOUR - 30 * MINUTE - 15_000_000));
    }

    #[test]
    fn fractions_of_one_to_six_digits() {
        assert_eq!(p("2025-01-15T10:30:00.1Z"), Some(BASE + 100_000));
        assert_eq!(p("2025-01-15T10:30:00.12Z"), Some(BASE + 120_000));
        assert_eq!(p("2025-01-15T10:30:00.123Z"), Some(BASE + 123_000));
        assert_eq!(p("2025-01-15T10:30:00.123456Z"), Some(BASE + 123_456));
    }

    #[test]
    fn long_fractions_truncate_to_microseconds() {
        assert_eq!(p("2025-01-15T10:30:00.1234567Z"), Some(BASE + 123_456));
        assert_eq!(p("2025-01-15T10:30:00.123456789+00:00"), Some(BASE + 123_456));
        assert_eq!(p("2025-01-15T10:30:00.9999999Z"), Some(BASE + 999_999));
    }

    #[test]
    fn comma_as_decimal_mark() {
        assert_eq!(p("2025-01-15T10:30:00,123Z"), Some(BASE + 123_000));
    }

    #[test]
    fn naive_is_utc() {
        assert_eq!(p("2025-01-15T10:30:00"), Some(BASE));
        assert_eq!(p("2025-01-15T10:30:00.12345"), Some(BASE + 123_450));
    }

    #[test]
    fn any_single_separator() {
        assert_eq!(p("2025-01-15 10:30:00"), Some(BASE));
        assert_eq!(p("2025-01-15t10:30:00"), Some(BASE));
    }

    #[test]
    fn space_before_offset() {
        assert_eq!(p("2025-01-15T10:30:00 +00:00"), Some(BASE));
        assert_eq!(p("2025-01-15T10:30:00 -01:00"), Some(BASE + HOUR));
    }

    #[test]
    fn missing_seconds_and_minutes() {
        assert_eq!(p("2025-01-15T10:30"), Some(BASE));
        assert_eq!(p("2025-01-15T10"), Some(BASE - 30 * MINUTE));
    }

    #[test]
    fn date_only_is_midnight() {
        assert_eq!(p("2025-01-15"), Some(BASE - 10 * HOUR - 30 * MINUTE));
    }

    #[test]
    fn basic_format() {
        assert_eq!(p("20250115T103000Z"), Some(BASE));
        assert_eq!(p("2025-01-15T103000"), Some(BASE));
        assert_eq!(p("20250115T103000.5+0100"), Some(BASE + 500_000 - HOUR));
    }

    #[test]
    fn iso_week_dates() {
        assert_eq!(p("2025-W03-3T10:30:00"), Some(BASE));
        assert_eq!(p("2025W033T10:30:00"), Some(BASE));
        // A week without a weekday is its Monday (2025-01-13).
        assert_eq!(p("2025-W03"), Some(BASE - 2 * 24 * HOUR - 10 * HOUR - 30 * MINUTE));
    }

    #[test]
    fn epoch_and_far_dates() {
        assert_eq!(p("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(p("1969-12-31T23:59:59.999999Z"), Some(-1));
        assert_eq!(p("9999-12-31T23:59:59Z"), Some(253_402_300_799_000_000));
        assert_eq!(p("0001-01-01T00:00:00Z"), Some(-62_135_596_800_000_000));
    }

    #[test]
    fn rejected_like_the_reference_sdk() {
        for bad in [
            "",
            "2025-01-15T10:30:00z",
            "2025-01-15T24:00:00",
            "2025-01-15T10:30:60",
            "2025-1-5",
            " 2025-01-15T10:30:00",
            "2025-01-15T10:30:00 ",
            "2025-01-15T10:30:00 UTC",
            "2025-01-15T10:30:00GMT",
            "Wed, 15 Jan 2025 10:30:00 GMT",
            "2025-01-15T10:30:00+24:00",
            "2025-01-15T10:30:00.",
            "2025-01-15T",
            "2025-02-30T10:30:00",
            "0000-01-01T00:00:00",
            "2025-W54-1",
            "2025-W03-8",
            "1736937000",
            "2025-01-15T10:30:00Z+01:00",
            "2025-01-15T10:3",
            "2025-01-15T10:30.5",
            "２０２５-01-15",
        ] {
            assert_eq!(p(bad), None, "{bad:?} should be refused");
        }
    }

    #[test]
    fn formats_years_1_to_9999_only() {
        use super::format_rfc3339_micros as f;
        assert_eq!(f(BASE + 412_000).as_deref(), Some("2025-01-15T10:30:00.412000Z"));
        let year_1 = p("0001-01-01T00:00:00Z").unwrap();
        assert_eq!(f(year_1).as_deref(), Some("0001-01-01T00:00:00.000000Z"));
        assert_eq!(f(year_1 - 1), None, "year 0");
        let last = p("9999-12-31T23:59:59.999999Z").unwrap();
        assert_eq!(f(last).as_deref(), Some("9999-12-31T23:59:59.999999Z"));
        assert_eq!(f(last + 1), None, "year 10000");
        assert_eq!(f(i64::MIN), None);
        for us in [year_1, BASE, last] {
            assert_eq!(p(&f(us).unwrap()), Some(us), "round trip");
        }
    }
}
