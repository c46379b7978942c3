//! Writes timestamps in each [`TimeFormat`], always in UTC, and reads the
//! ones clients send.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

use crate::config::TimeFormat;

pub(crate) fn format(ts: Timestamp, fmt: TimeFormat) -> String {
    let dt = Offset::UTC.to_datetime(ts);
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    let nanos = dt.subsec_nanosecond();
    let micros = nanos / 1_000;
    // Python's isoformat prints the 6-digit fraction only when it is non-zero.
    let micro_frac = if micros == 0 { String::new() } else { format!(".{micros:06}") };
    match fmt {
        TimeFormat::Z => format!("{base}{micro_frac}Z"),
        TimeFormat::Naive => format!("{base}{micro_frac}"),
        TimeFormat::Offset => format!("{base}{micro_frac}+00:00"),
        TimeFormat::Millis => format!("{base}.{:03}Z", nanos / 1_000_000),
        TimeFormat::Nanos => format!("{base}.{nanos:09}+00:00"),
    }
}

/// A client's datetime (say `document_created_at`): with a zone, naive
/// (read as UTC) or a bare date (its midnight, UTC). `None` for forms jiff
/// does not read, such as ISO week dates.
pub(crate) fn parse(s: &str) -> Option<Timestamp> {
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Some(ts);
    }
    let naive = s
        .parse::<DateTime>()
        .ok()
        .or_else(|| s.parse::<Date>().ok().map(|d| d.to_datetime(jiff::civil::time(0, 0, 0, 0))))?;
    Offset::UTC.to_timestamp(naive).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_zoned_naive_and_dates() {
        let utc = ts("2025-01-15T10:30:00Z");
        assert_eq!(parse("2025-01-15T10:30:00Z"), Some(utc));
        assert_eq!(parse("2025-01-15T12:30:00+02:00"), Some(utc));
        assert_eq!(parse("2025-01-15T10:30:00"), Some(utc));
        assert_eq!(parse("2025-01-15"), Some(ts("2025-01-15T00:00:00Z")));
        assert_eq!(parse("yesterday"), None);
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn every_format() {
        let t = ts("2025-01-15T10:30:00.412512345Z");
        assert_eq!(format(t, TimeFormat::Z), "2025-01-15T10:30:00.412512Z");
        assert_eq!(format(t, TimeFormat::Naive), "2025-01-15T10:30:00.412512");
        assert_eq!(format(t, TimeFormat::Offset), "2025-01-15T10:30:00.412512+00:00");
        assert_eq!(format(t, TimeFormat::Millis), "2025-01-15T10:30:00.412Z");
        assert_eq!(format(t, TimeFormat::Nanos), "2025-01-15T10:30:00.412512345+00:00");
    }

    #[test]
    fn whole_seconds() {
        let t = ts("2025-01-15T10:30:00Z");
        assert_eq!(format(t, TimeFormat::Z), "2025-01-15T10:30:00Z");
        assert_eq!(format(t, TimeFormat::Naive), "2025-01-15T10:30:00");
        assert_eq!(format(t, TimeFormat::Offset), "2025-01-15T10:30:00+00:00");
        assert_eq!(format(t, TimeFormat::Millis), "2025-01-15T10:30:00.000Z");
        assert_eq!(format(t, TimeFormat::Nanos), "2025-01-15T10:30:00.000000000+00:00");
    }

    #[test]
    fn sub_microsecond_is_truncated_not_rounded() {
        let t = ts("2025-01-15T10:30:00.000000999Z");
        assert_eq!(format(t, TimeFormat::Z), "2025-01-15T10:30:00Z");
        let t = ts("2025-01-15T10:30:00.999999999Z");
        assert_eq!(format(t, TimeFormat::Millis), "2025-01-15T10:30:00.999Z");
    }
}
