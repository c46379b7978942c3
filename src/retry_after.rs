//! The `Retry-After` header in all three forms servers send: whole seconds,
//! decimal seconds, and an HTTP-date.

use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use jiff::fmt::rfc2822::DateTimeParser;

static HTTP_DATE: DateTimeParser = DateTimeParser::new();

/// Longest wait we accept from a header; a larger value is clamped, so that
/// a typo on the server cannot overflow the caller's arithmetic.
const MAX: Duration = Duration::from_secs(24 * 3600);

/// Reads a `Retry-After` value. A date in the past means "now" (zero); a
/// value that is none of the three forms is ignored.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let seconds: f64 = value.parse().ok()?;
        return Some(Duration::try_from_secs_f64(seconds).map_or(MAX, |d| d.min(MAX)));
    }
    let at = HTTP_DATE.parse_timestamp(value).ok()?;
    let now = Timestamp::try_from(now).ok()?;
    let wait = now.duration_until(at);
    Some(if wait.is_negative() { Duration::ZERO } else { Duration::try_from(wait).ok()?.min(MAX) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(unix: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(unix)
    }

    #[test]
    fn whole_and_decimal_seconds() {
        assert_eq!(parse_retry_after("7", at(0)), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", at(0)), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("1.5", at(0)), Some(Duration::from_millis(1500)));
        assert_eq!(parse_retry_after("99999999999999999999", at(0)), Some(MAX));
    }

    #[test]
    fn http_dates() {
        // Wed, 15 Jan 2025 10:30:00 GMT = 1736937000
        let now = at(1_736_937_000 - 30);
        assert_eq!(parse_retry_after("Wed, 15 Jan 2025 10:30:00 GMT", now), Some(Duration::from_secs(30)));
        let later = at(1_736_937_000 + 30);
        assert_eq!(parse_retry_after("Wed, 15 Jan 2025 10:30:00 GMT", later), Some(Duration::ZERO));
    }

    #[test]
    fn garbage_is_ignored() {
        for bad in ["", "soon", "-1", "1.2.3", ".", "1e3", "Wed, 99 Jan 2025"] {
            assert_eq!(parse_retry_after(bad, at(0)), None, "{bad:?}");
        }
    }
}
