//! Server-made ids of the `prefix_<hex>` kind (`fr_`, `del_`, `red_`, `led_`).

use uuid::Uuid;

/// `prefix` followed by 16 random lowercase hex digits.
pub(crate) fn prefixed(prefix: &str) -> String {
    let hex = Uuid::new_v4().simple().to_string();
    format!("{prefix}{}", &hex[..16])
}
