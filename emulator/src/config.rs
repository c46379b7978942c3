//! Emulator settings.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use crate::DEV_API_KEY;
use crate::tls::TlsIdentity;

/// How timestamps are written in status bodies, to exercise client parsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// `2025-01-15T10:30:00.412512Z`; the 6-digit fraction only when non-zero.
    #[default]
    Z,
    /// `2025-01-15T10:30:00.412512`: no zone at all.
    Naive,
    /// `2025-01-15T10:30:00.412512+00:00`.
    Offset,
    /// `2025-01-15T10:30:00.412Z`: always 3 fraction digits.
    Millis,
    /// `2025-01-15T10:30:00.412512345+00:00`: always 9 fraction digits.
    Nanos,
}

impl TimeFormat {
    /// The name used on the command line and by the control endpoint.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeFormat::Z => "z",
            TimeFormat::Naive => "naive",
            TimeFormat::Offset => "offset",
            TimeFormat::Millis => "millis",
            TimeFormat::Nanos => "nanos",
        }
    }

    pub(crate) const ALL: [TimeFormat; 5] =
        [TimeFormat::Z, TimeFormat::Naive, TimeFormat::Offset, TimeFormat::Millis, TimeFormat::Nanos];
}

impl fmt::Display for TimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for an unknown time format name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTimeFormat(pub String);

impl fmt::Display for UnknownTimeFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown time format {:?} (expected z, naive, offset, millis or nanos)", self.0)
    }
}

impl std::error::Error for UnknownTimeFormat {}

impl FromStr for TimeFormat {
    type Err = UnknownTimeFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TimeFormat::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownTimeFormat(s.to_owned()))
    }
}

/// Settings for [`crate::Emulator::start`]. Build with struct update syntax
/// (`Config { control: true, ..Config::default() }`) so new fields don't break
/// callers. `Debug` shows how many API keys there are, never the keys (nor
/// the TLS key).
#[derive(Clone)]
pub struct Config {
    /// Address to bind; loopback by default.
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// Keys accepted in `Authorization: Bearer <key>`.
    pub api_keys: Vec<String>,
    /// Serve the test-only `/_emulator/...` control endpoint.
    pub control: bool,
    /// Timestamp format in status bodies (changeable at run time via control).
    pub time_format: TimeFormat,
    /// Seed the three demo jobs at start.
    pub seed_demo: bool,
    /// A job made by `memories.create` or `.batch` is `queued` this long
    /// after queued_at, then `processing`.
    pub create_processing_after_ms: u64,
    /// ... and terminal this long after queued_at (at least the above).
    pub create_done_after_ms: u64,
    /// A compaction (`POST /v1/conversations/compact`, or the one an ingested
    /// transcript starts) is `in_progress` this long, then `completed`.
    pub compaction_done_after_ms: u64,
    /// `client_id` reported by whoami.
    pub client_id: String,
    /// `instance_id` reported by whoami.
    pub instance_id: String,
    /// `user_context_isolation` reported by whoami (`Some("equals_customer")` = B2C).
    pub user_context_isolation: Option<String>,
    /// Serve HTTPS with this identity: then every connection is TLS (see
    /// [`crate::tls`]), except a proxy client's CONNECT before its tunnel.
    pub tls: Option<TlsIdentity>,
    /// Act as an HTTP proxy whose tunnels all lead back to this emulator:
    /// `CONNECT host:port` gets `200 Connection established` and the same
    /// connection then carries requests to the emulator itself (over TLS
    /// when [`Config::tls`] is set), whatever the target. Off: CONNECT gets
    /// 405 and a close.
    pub proxy: bool,
    /// Largest body `POST /api/v1/memories/upload` takes (413 beyond);
    /// such bodies are streamed, never held whole.
    pub upload_max_bytes: u64,
    /// `memories.forget` in direct mode answers `partial` (the text may
    /// remain in the graph store) instead of `deleted`.
    pub forget_partial: bool,
    /// How many answers of a data deletion say `continue: true` before the
    /// one that does not (the client re-sends the same body meanwhile).
    pub data_delete_continue_rounds: u32,
    /// A data deletion completes this long after it started, and not before
    /// its continue rounds are over (0: on the round that ends them).
    pub data_delete_done_after_ms: u64,
    /// Data deletions end `partial`: everything is gone from the API, but
    /// the graph store is reported as still holding some of it.
    pub data_delete_partial: bool,
    /// The credit balance the account starts with.
    pub credit_balance: f64,
    /// Codes `POST /v1/credits/redeem` accepts, each once, and their credits.
    pub redeem_codes: BTreeMap<String, f64>,
}

/// 512 MiB.
pub const DEFAULT_UPLOAD_MAX_BYTES: u64 = 512 * 1024 * 1024;
/// The code a default [`Config`] redeems, worth [`DEFAULT_REDEEM_CREDITS`].
pub const DEFAULT_REDEEM_CODE: &str = "SYN-TEST-CODE-0001-A";
pub const DEFAULT_REDEEM_CREDITS: f64 = 500.0;

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            api_keys: vec![DEV_API_KEY.to_owned()],
            control: false,
            time_format: TimeFormat::Z,
            seed_demo: true,
            create_processing_after_ms: 500,
            create_done_after_ms: 2000,
            compaction_done_after_ms: 1500,
            client_id: "cli_9b2f4d6a8c0e1357".to_owned(),
            instance_id: "inst_4e7a19c03b5d82f1".to_owned(),
            user_context_isolation: None,
            tls: None,
            proxy: false,
            upload_max_bytes: DEFAULT_UPLOAD_MAX_BYTES,
            forget_partial: false,
            data_delete_continue_rounds: 1,
            data_delete_done_after_ms: 0,
            data_delete_partial: false,
            credit_balance: 1_000_000.0,
            redeem_codes: BTreeMap::from([(DEFAULT_REDEEM_CODE.to_owned(), DEFAULT_REDEEM_CREDITS)]),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("api_keys", &format_args!("[{} redacted]", self.api_keys.len()))
            .field("control", &self.control)
            .field("time_format", &self.time_format)
            .field("seed_demo", &self.seed_demo)
            .field("create_processing_after_ms", &self.create_processing_after_ms)
            .field("create_done_after_ms", &self.create_done_after_ms)
            .field("compaction_done_after_ms", &self.compaction_done_after_ms)
            .field("client_id", &self.client_id)
            .field("instance_id", &self.instance_id)
            .field("user_context_isolation", &self.user_context_isolation)
            .field("tls", &self.tls)
            .field("proxy", &self.proxy)
            .field("upload_max_bytes", &self.upload_max_bytes)
            .field("forget_partial", &self.forget_partial)
            .field("data_delete_continue_rounds", &self.data_delete_continue_rounds)
            .field("data_delete_done_after_ms", &self.data_delete_done_after_ms)
            .field("data_delete_partial", &self.data_delete_partial)
            .field("credit_balance", &self.credit_balance)
            .field("redeem_codes", &format_args!("[{} codes]", self.redeem_codes.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_keys() {
        let text = format!("{:?}", Config::default());
        assert!(!text.contains(DEV_API_KEY), "{text}");
        assert!(text.contains("[1 redacted]"), "{text}");
    }

    #[test]
    fn time_format_names_round_trip() {
        for f in TimeFormat::ALL {
            assert_eq!(f.as_str().parse::<TimeFormat>(), Ok(f));
        }
        assert_eq!("MILLIS".parse::<TimeFormat>(), Ok(TimeFormat::Millis));
        assert!("iso".parse::<TimeFormat>().is_err());
    }
}
