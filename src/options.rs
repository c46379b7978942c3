//! `ClientOptions`: what a `Client` is built from. Each setter checks its
//! value, so a bad value is refused where it is set, from Rust or from C;
//! the client checks only what depends on the environment or on two values
//! at once.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use ureq::http::Uri;

use crate::error::{Error, one_line};
use crate::proxy::ProxySetting;
use crate::retry::RetryPolicy;

/// The production service, used when neither the options nor
/// `SYNAP_BASE_URL` name another.
pub const DEFAULT_BASE_URL: &str = "https://synap-cloud-prod.maximem.ai";
/// Environment variable read for the API key when none is given.
pub const API_KEY_ENV: &str = "SYNAP_API_KEY";
/// Environment variable read for the base URL when none is given.
pub const BASE_URL_ENV: &str = "SYNAP_BASE_URL";

/// Default time allowed to open a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one whole request, from connecting to the last
/// byte of the body.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default cap on a response body. A status with 100k memory ids is about
/// 4 MB, so 16 MiB leaves room without letting a broken server exhaust memory.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// Settings for a [`Client`](crate::Client). Each value is checked when it
/// is set; the `Debug` output never shows the API key.
#[derive(Clone)]
pub struct ClientOptions {
    pub(crate) api_key: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_body_bytes: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) deadline: Option<Duration>,
    pub(crate) proxy: ProxySetting,
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) system_roots: bool,
    pub(crate) allow_insecure_http: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            api_key: None,
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            retry: RetryPolicy::default(),
            deadline: None,
            proxy: ProxySetting::FromEnv,
            ca_file: None,
            system_roots: false,
            allow_insecure_http: false,
        }
    }
}

impl ClientOptions {
    /// Defaults: key from `SYNAP_API_KEY`, base URL from `SYNAP_BASE_URL` or
    /// the production service, 5 s to connect, 30 s per attempt, no overall
    /// deadline, 3 attempts with backoff from 1 s up to 10 s, 16 MiB bodies,
    /// the bundled Mozilla roots, the proxy from the environment.
    ///
    /// Each setter checks its value and leaves the options unchanged when it
    /// refuses one, so a value is checked once, where it is set:
    ///
    /// ```
    /// # use std::time::Duration;
    /// let mut options = synap::ClientOptions::new();
    /// options.api_key("synap_abc")?.base_url("http://127.0.0.1:8787")?.request_timeout(Duration::from_secs(5))?;
    /// # Ok::<(), synap::Error>(())
    /// ```
    pub fn new() -> ClientOptions {
        ClientOptions::default()
    }

    /// The API key; an empty key means "read `SYNAP_API_KEY`". Refused if it
    /// has a space, a control or a non-ASCII character (the message never
    /// repeats the key).
    pub fn api_key(&mut self, key: &str) -> Result<&mut Self, Error> {
        check_api_key(key)?;
        self.api_key = (!key.is_empty()).then(|| key.to_owned());
        Ok(self)
    }

    /// The service's base URL (`http` or `https`, optionally with a path
    /// prefix, no query or credentials); overrides `SYNAP_BASE_URL`.
    pub fn base_url(&mut self, url: &str) -> Result<&mut Self, Error> {
        self.base_url = Some(normalize_base_url(url)?);
        Ok(self)
    }

    /// Back to the base URL of `SYNAP_BASE_URL`, else the production service.
    pub fn default_base_url(&mut self) -> &mut Self {
        self.base_url = None;
        self
    }

    /// Time allowed to open a connection, TCP and TLS handshake included;
    /// greater than zero.
    pub fn connect_timeout(&mut self, timeout: Duration) -> Result<&mut Self, Error> {
        check_timeout("connect timeout", timeout)?;
        self.connect_timeout = timeout;
        Ok(self)
    }

    /// Time allowed for one attempt of a request, connection to last body
    /// byte; greater than zero. Each retry gets this again, within the
    /// overall deadline.
    pub fn request_timeout(&mut self, timeout: Duration) -> Result<&mut Self, Error> {
        check_timeout("request timeout", timeout)?;
        self.request_timeout = timeout;
        Ok(self)
    }

    /// Largest response body accepted, greater than zero; a longer one is a
    /// protocol error.
    pub fn max_body_bytes(&mut self, bytes: u64) -> Result<&mut Self, Error> {
        if bytes == 0 {
            return Err(Error::invalid_argument("max_body_bytes must be greater than zero"));
        }
        self.max_body_bytes = bytes;
        Ok(self)
    }

    /// How transient failures are retried.
    pub fn retry(&mut self, policy: RetryPolicy) -> Result<&mut Self, Error> {
        policy.check()?;
        self.retry = policy;
        Ok(self)
    }

    /// The retry policy in force, for changing one part of it.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The most one call may take, every attempt and backoff included;
    /// `None` (the default) leaves each attempt bounded by the request
    /// timeout only. A deadline must be greater than zero.
    pub fn deadline(&mut self, deadline: Option<Duration>) -> Result<&mut Self, Error> {
        if let Some(deadline) = deadline {
            check_timeout("deadline", deadline)?;
        }
        self.deadline = deadline;
        Ok(self)
    }

    /// Where the proxy comes from; the environment by default. A proxy URL
    /// is read when the client is built, together with the environment.
    pub fn proxy(&mut self, proxy: ProxySetting) -> &mut Self {
        self.proxy = proxy;
        self
    }

    /// Trust the certificate authorities in this PEM file instead of the
    /// bundled roots (together with the system's, if those are on too);
    /// `None` restores the bundled roots. The file is read when the client
    /// is built.
    pub fn ca_file(&mut self, path: Option<PathBuf>) -> &mut Self {
        self.ca_file = path;
        self
    }

    /// Trust the operating system's root store instead of the bundled
    /// Mozilla roots (read when the client is built; honours
    /// `SSL_CERT_FILE` and `SSL_CERT_DIR`).
    pub fn system_roots(&mut self, on: bool) -> &mut Self {
        self.system_roots = on;
        self
    }

    /// Allow a plain `http://` base URL to a host that is not loopback. Off
    /// by default: the API key would cross the network unencrypted.
    pub fn allow_insecure_http(&mut self, allow: bool) -> &mut Self {
        self.allow_insecure_http = allow;
        self
    }
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("proxy", &self.proxy)
            .field("ca_file", &self.ca_file)
            .field("system_roots", &self.system_roots)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

/// Checks an API key: visible ASCII only, since it goes into a header.
/// The message never repeats the key.
pub(crate) fn check_api_key(key: &str) -> Result<(), Error> {
    match key.bytes().position(|b| !b.is_ascii_graphic()) {
        None => Ok(()),
        Some(at) => {
            Err(Error::invalid_argument(format!("api_key has a space, control or non-ASCII character at byte {at}")))
        }
    }
}

/// Checks a base URL and returns it normalised: lowercase scheme, no
/// trailing slash, so endpoint paths can be appended directly.
pub(crate) fn normalize_base_url(url: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::invalid_argument(format!("base_url {why}: \"{}\"", one_line(url, 200)));
    if url.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err(bad("contains a space or control character"));
    }
    let uri: Uri = url.parse().map_err(|_| bad("is not a valid URL"))?;
    let scheme = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("http") => "http",
        Some("https") => "https",
        _ => return Err(bad("must start with http:// or https://")),
    };
    let authority = uri.authority().ok_or_else(|| bad("has no host"))?;
    if authority.host().is_empty() {
        return Err(bad("has no host"));
    }
    if authority.as_str().contains('@') {
        return Err(bad("must not contain credentials"));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(bad("must not have a query or fragment"));
    }
    let path = uri.path().trim_end_matches('/');
    Ok(format!("{scheme}://{authority}{path}"))
}

/// Refuses plain http to anything but loopback unless allowed: the bearer
/// key would otherwise cross a network in clear text. `base_url` is
/// normalised.
pub(crate) fn check_transport_security(base_url: &str, allow_insecure_http: bool) -> Result<(), Error> {
    let Some(rest) = base_url.strip_prefix("http://") else { return Ok(()) };
    if allow_insecure_http || is_loopback_host(url_host(rest)) {
        return Ok(());
    }
    Err(Error::invalid_argument(format!(
        "base_url \"{}\" is plain http to a host that is not loopback, so the API key would cross the network \
         unencrypted: use https, or allow insecure http explicitly",
        one_line(base_url, 200)
    )))
}

/// The host of `authority[/path]`, without port or IPv6 brackets.
pub(crate) fn url_host(rest: &str) -> &str {
    let authority = rest.split('/').next().unwrap_or_default();
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Timeouts must be positive: zero would fail every request.
pub(crate) fn check_timeout(name: &str, timeout: Duration) -> Result<(), Error> {
    if timeout.is_zero() {
        return Err(Error::invalid_argument(format!("{name} must be greater than zero")));
    }
    Ok(())
}

/// An environment variable's value, trimmed; empty counts as unset.
pub(crate) fn env_value(name: &str) -> Option<String> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised() {
        for (given, expected) in [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("HTTPS://api.example.com/pfx/", "https://api.example.com/pfx"),
            ("https://[::1]:9/a/b", "https://[::1]:9/a/b"),
        ] {
            assert_eq!(normalize_base_url(given).unwrap(), expected);
        }
    }

    #[test]
    fn bad_base_urls_are_refused() {
        for bad in [
            "",
            "127.0.0.1:8080",
            "ftp://x",
            "http://",
            "http://a b",
            "http://x/\n",
            "http://user:pw@host",
            "http://host/?q=1",
            "http://host/#f",
            "/relative",
        ] {
            let e = normalize_base_url(bad).expect_err(bad);
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
            assert!(e.message().starts_with("base_url "), "{}", e.message());
        }
    }

    #[test]
    fn api_keys_must_be_header_safe() {
        assert!(check_api_key("synap_abc123").is_ok());
        for bad in ["synap key", "synap\r\nX: y", "synap_é", "synap\t"] {
            let e = check_api_key(bad).unwrap_err();
            assert!(!e.message().contains("synap"), "key leaked: {}", e.message());
        }
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        for ok in
            ["http://127.0.0.1:8080", "http://127.3.4.5/p", "http://[::1]:9", "http://localhost:1", "https://x.example"]
        {
            assert!(check_transport_security(ok, false).is_ok(), "{ok}");
        }
        for remote in
            ["http://api.example.com", "http://10.0.0.1:8080/p", "http://[fd00::1]:1", "http://localhost.example"]
        {
            let e = check_transport_security(remote, false).unwrap_err();
            assert!(e.message().contains("plain http to a host that is not loopback"), "{}", e.message());
            assert!(check_transport_security(remote, true).is_ok());
        }
    }

    #[test]
    fn debug_hides_the_key() {
        let mut options = ClientOptions::new();
        options.api_key("synap_secret").unwrap().proxy(ProxySetting::Url("http://user:proxysecret@p:1".into()));
        let dump = format!("{options:?}");
        assert!(!dump.contains("synap_secret") && !dump.contains("proxysecret"), "{dump}");
    }
}
