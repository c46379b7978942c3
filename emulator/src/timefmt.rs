//! Writes timestamps in each [`TimeFormat`], always in UTC.

use jiff::Timestamp;
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

#[cfg(test)]
mod tests {
    use super::*;

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
