//! The one error type of the crate: a kind callers branch on, a one-line
//! message for people, and the details the server gave.

use std::fmt;
use std::time::Duration;

/// What went wrong, coarse enough to branch on. Each kind has one C result
/// code (`SynapCode`) with the same meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument or option was refused before any request: a malformed
    /// UUID, a bad URL, a zero timeout, text with control characters.
    InvalidArgument,
    /// HTTP 401/403, or no API key was given anywhere.
    Auth,
    /// HTTP 404: the ingestion id is unknown (or outside the key's scope).
    NotFound,
    /// HTTP 400, 422 or another 4xx the server used to refuse the request.
    InvalidRequest,
    /// HTTP 402, or a 429 whose body says the credits or trial ran out.
    InsufficientCredits,
    /// HTTP 409.
    Conflict,
    /// HTTP 429 (a plain rate limit; see `retry_after`).
    RateLimited,
    /// HTTP 5xx.
    Server,
    /// A connect, request or overall deadline passed, or HTTP 408.
    Timeout,
    /// DNS failure, refused or reset connection, a connection closed early.
    Network,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The server's answer was not a valid response: malformed HTTP or JSON,
    /// a missing or ill-typed field, a body over the size cap, a redirect.
    Protocol,
    /// The caller cancelled the operation.
    Cancelled,
    /// A local file could not be opened or read, or changed while it was
    /// sent (an upload's source).
    File,
    /// A bug in this library (a caught panic).
    Internal,
}

impl ErrorKind {
    /// A short lowercase label, used in `Display`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Auth => "authentication failed",
            ErrorKind::NotFound => "not found",
            ErrorKind::InvalidRequest => "invalid request",
            ErrorKind::InsufficientCredits => "insufficient credits",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Server => "server error",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Network => "network error",
            ErrorKind::Tls => "TLS error",
            ErrorKind::Protocol => "protocol error",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::File => "file error",
            ErrorKind::Internal => "internal error",
        }
    }
}

/// An error from a libsynap call. The message is one line and never contains
/// the API key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    http_status: Option<u16>,
    correlation_id: Option<String>,
    retry_after: Option<Duration>,
    transient: bool,
    not_sent: bool,
}

impl Error {
    /// An error of `kind` with a message and no server details.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        let transient =
            matches!(kind, ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Timeout | ErrorKind::Network);
        Error {
            kind,
            message: message.into(),
            http_status: None,
            correlation_id: None,
            retry_after: None,
            transient,
            not_sent: false,
        }
    }

    /// Marks a failure that happened before the request could reach the
    /// server (refused, or no connection within the connect timeout).
    pub(crate) fn not_sent(mut self) -> Error {
        self.not_sent = true;
        self
    }

    /// Whether another attempt is safe for a request that is not idempotent
    /// (a POST that creates something): only when the request provably had
    /// no effect. A refused connection never reached the server; a 429 and a
    /// 503 are refusals to handle it. A timeout, a reset or another 5xx may
    /// come after the server acted, so a retry could ingest twice.
    pub(crate) fn is_safe_to_resend(&self) -> bool {
        self.transient
            && (self.not_sent
                || self.kind == ErrorKind::RateLimited
                || (self.kind == ErrorKind::Server && self.http_status == Some(503)))
    }

    /// Marks a failure that another attempt cannot fix, though its kind is
    /// usually transient (a host name that does not resolve).
    pub(crate) fn permanent(mut self) -> Error {
        self.transient = false;
        self
    }

    /// Whether another attempt of an idempotent request may succeed: 429
    /// (not a credit stop, which has its own kind), 5xx, timeouts and
    /// connections refused, reset or closed early.
    pub(crate) fn is_transient(&self) -> bool {
        self.transient
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Error {
        self.message = message.into();
        self
    }

    pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    pub(crate) fn protocol(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Protocol, message)
    }

    pub(crate) fn with_http_status(mut self, status: u16) -> Error {
        self.http_status = Some(status);
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Error {
        self.retry_after = retry_after;
        self
    }

    pub(crate) fn with_correlation_id(mut self, id: &str) -> Error {
        self.correlation_id = Some(id.to_owned());
        self
    }

    /// Replaces every occurrence of `secret` in the message, so that a server
    /// or transport that echoes the key cannot leak it through us.
    pub(crate) fn redact(mut self, secret: &str) -> Error {
        if !secret.is_empty() && self.message.contains(secret) {
            self.message = self.message.replace(secret, "[redacted]");
        }
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// One line describing the failure, with the datum that matters.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the server's answer, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// The `X-Correlation-ID` this library sent with the failed request, if
    /// a request was made. Quote it when reporting a problem to the service.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// How long the server asked the caller to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// Shortens server-provided text to at most `max` bytes on a char boundary and
/// folds it onto one line, so a message stays a single readable line.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let trimmed = text.trim();
    let mut end = trimmed.len().min(max);
    while !trimmed.is_char_boundary(end) {
        end -= 1;
    }
    let mut out: String = trimmed[..end].chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if end < trimmed.len() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_removes_every_copy_of_the_secret() {
        let e = Error::new(ErrorKind::Auth, "key synap_k1 refused; synap_k1 again").redact("synap_k1");
        assert_eq!(e.message(), "key [redacted] refused; [redacted] again");
    }

    #[test]
    fn only_provable_non_effects_are_safe_to_resend() {
        assert!(Error::new(ErrorKind::Network, "refused").not_sent().is_safe_to_resend());
        assert!(Error::new(ErrorKind::RateLimited, "429").with_http_status(429).is_safe_to_resend());
        assert!(Error::new(ErrorKind::Server, "503").with_http_status(503).is_safe_to_resend());
        assert!(!Error::new(ErrorKind::Server, "500").with_http_status(500).is_safe_to_resend());
        assert!(!Error::new(ErrorKind::Timeout, "read").is_safe_to_resend());
        assert!(!Error::new(ErrorKind::Network, "reset").is_safe_to_resend());
        assert!(!Error::new(ErrorKind::InsufficientCredits, "credit stop").with_http_status(429).is_safe_to_resend());
        assert!(!Error::new(ErrorKind::Network, "dns").permanent().not_sent().is_safe_to_resend());
    }

    #[test]
    fn one_line_caps_and_flattens() {
        assert_eq!(one_line("  a\nb\tc  ", 100), "a b c");
        assert_eq!(one_line("héllo", 2), "h...");
        assert_eq!(one_line("abcdef", 3), "abc...");
    }
}
