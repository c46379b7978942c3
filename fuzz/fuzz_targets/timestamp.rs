//! Any text as a timestamp: an instant or `None`, never a panic or an
//! overflow; and an instant written back as `YYYY-MM-DDTHH:MM:SS.ffffffZ`
//! reads as the same instant.
#![no_main]

use libfuzzer_sys::fuzz_target;

const MICROS_PER_DAY: i64 = 86_400_000_000;

fuzz_target!(|text: &str| {
    let Some(us) = synap::parse_unix_micros(text) else { return };
    let days = us.div_euclid(MICROS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    if !(1..=9999).contains(&year) {
        // Only reachable through an offset; the offset is at most a day.
        assert!((0..=10000).contains(&year), "{text:?} -> {us}");
        return;
    }
    let time = us.rem_euclid(MICROS_PER_DAY);
    let (secs, micro) = (time / 1_000_000, time % 1_000_000);
    let canonical =
        format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micro:06}Z", secs / 3600, secs / 60 % 60, secs % 60);
    assert_eq!(synap::parse_unix_micros(&canonical), Some(us), "{text:?} -> {canonical}");
});

/// The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's
/// algorithm), independent of the parser under test.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}
