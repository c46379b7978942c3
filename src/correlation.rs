//! `X-Correlation-ID` values, in the service's format
//! `syn_{instance prefix}_{unix ms}_{6 hex}`, one per call.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::rng::next_u64;

/// A fresh correlation id. `instance_id` contributes its first six
/// characters; before the instance is known the prefix is empty (`syn__…`).
pub(crate) fn new_correlation_id(instance_id: &str) -> String {
    let prefix: String = instance_id.chars().take(6).collect();
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    format!("syn_{prefix}_{ms}_{:06x}", next_u64() & 0xFF_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_matches_the_service() {
        let id = new_correlation_id("");
        let parts: Vec<&str> = id.split('_').collect();
        assert_eq!(parts.len(), 4, "{id}");
        assert_eq!(parts[0], "syn");
        assert_eq!(parts[1], "");
        assert_eq!(parts[2].len(), 13);
        assert!(parts[2].bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(parts[3].len(), 6);
        assert!(parts[3].bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        assert!(new_correlation_id("inst_4e7a19c03b5d82f1").starts_with("syn_inst_4_"));
    }

    #[test]
    fn ids_differ() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_correlation_id("")).collect();
        assert!(ids.len() > 990);
    }
}
