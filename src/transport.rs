//! HTTP through one ureq `Agent`: keep-alive pool, rustls, no redirects.
//! Turns every transport failure into an `Error` with the right kind.

use std::io::{self, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use ureq::http::{HeaderValue, Response};
use ureq::tls::{RootCerts, TlsConfig};
use ureq::unversioned::transport::DefaultConnector;
use ureq::{Agent, Proxy};

use crate::error::{Error, ErrorKind};
use crate::resolver::CachingResolver;
use crate::response_error::error_for_response;
use crate::retry_after::parse_retry_after;

/// The `User-Agent` every request carries.
pub(crate) const USER_AGENT: &str = concat!("libsynap/", env!("CARGO_PKG_VERSION"));

/// Error bodies are only read for their message; more is not worth holding.
const ERROR_BODY_CAP: u64 = 64 * 1024;

/// Idle connections kept per host in each shard's pool, so that several
/// threads on one shard each find a warm connection.
const IDLE_PER_HOST: usize = 16;
/// At most this many pools per client, however many cores.
const MAX_SHARDS: usize = 8;
static NEXT_TURN: AtomicUsize = AtomicUsize::new(0);

/// What a transport is built from; the client has checked every value.
pub(crate) struct Settings {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub max_body_bytes: u64,
    pub proxy: Option<Proxy>,
    pub roots: RootCerts,
}

/// What every request of a call carries.
pub(crate) struct Call<'a> {
    pub url: &'a str,
    pub authorization: &'a HeaderValue,
    pub correlation_id: &'a str,
    /// `X-Client-ID` and `X-Instance-ID`, once whoami has told them.
    pub identity: Option<(&'a str, &'a str)>,
    pub time_left: Option<Duration>,
}

impl Call<'_> {
    fn headers<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        let request =
            request.header("Authorization", self.authorization.clone()).header("X-Correlation-ID", self.correlation_id);
        match self.identity {
            Some((client_id, instance_id)) => {
                request.header("X-Client-ID", client_id).header("X-Instance-ID", instance_id)
            }
            None => request,
        }
    }
}

/// A request body streamed from a source (a file, a buffer) rather than
/// held in one slice.
pub(crate) struct StreamBody {
    pub content_type: String,
    /// The exact number of bytes `reader` yields.
    pub length: u64,
    pub reader: Box<dyn Read + Send>,
}

/// Why a streamed body's own source failed (a file that vanished, shrank,
/// grew or could not be read), carried through the HTTP stack inside an
/// `io::Error` and told apart from network failures.
#[derive(Debug)]
pub(crate) struct SourceError(pub String);

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SourceError {}

pub(crate) struct Transport {
    /// One agent (pool) per shard; a thread always uses the same shard, so
    /// threads sharing a client rarely wait on each other's pool lock.
    agents: Box<[Agent]>,
    max_body_bytes: u64,
    request_timeout: Duration,
    connect_timeout: Duration,
}

impl Transport {
    pub(crate) fn new(settings: Settings) -> Transport {
        let config = Agent::config_builder()
            .http_status_as_error(false)
            // Never follow: a redirect could carry the bearer key elsewhere.
            .max_redirects(0)
            .user_agent(USER_AGENT)
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_global(Some(settings.request_timeout))
            .max_idle_connections(IDLE_PER_HOST)
            .max_idle_connections_per_host(IDLE_PER_HOST)
            // The client chose the proxy (see proxy.rs); without this ureq
            // would read the environment itself, by other rules.
            .proxy(settings.proxy)
            .tls_config(TlsConfig::builder().root_certs(settings.roots).build())
            .build();
        let shards = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_SHARDS);
        let agents = (0..shards)
            .map(|_| Agent::with_parts(config.clone(), DefaultConnector::default(), CachingResolver::default()))
            .collect();
        Transport {
            agents,
            max_body_bytes: settings.max_body_bytes,
            request_timeout: settings.request_timeout,
            connect_timeout: settings.connect_timeout,
        }
    }

    /// GETs `url` and returns the body of a 200 answer; any other answer or
    /// failure is an `Error` (not yet tagged with the correlation id).
    /// `time_left` is what remains of the call's deadline: when it is
    /// shorter than the request timeout, this attempt gets only that.
    pub(crate) fn get(&self, call: &Call<'_>) -> Result<Vec<u8>, Error> {
        self.exchange(call, call.headers(self.agent().get(call.url)), |request| request.call())
    }

    /// POSTs a JSON body to `url`; otherwise as [`Transport::get`].
    pub(crate) fn post_json(&self, call: &Call<'_>, body: &[u8]) -> Result<Vec<u8>, Error> {
        let request = call.headers(self.agent().post(call.url)).content_type("application/json");
        self.exchange(call, request, |request| request.send(body))
    }

    /// PATCHes a JSON body to `url`; otherwise as [`Transport::get`].
    pub(crate) fn patch_json(&self, call: &Call<'_>, body: &[u8]) -> Result<Vec<u8>, Error> {
        let request = call.headers(self.agent().patch(call.url)).content_type("application/json");
        self.exchange(call, request, |request| request.send(body))
    }

    /// DELETEs `url`; otherwise as [`Transport::get`].
    pub(crate) fn delete(&self, call: &Call<'_>) -> Result<Vec<u8>, Error> {
        self.exchange(call, call.headers(self.agent().delete(call.url)), |request| request.call())
    }

    /// POSTs a body read from `body` as it is sent, never held whole, with
    /// its length announced up front; otherwise as [`Transport::get`]. A
    /// failure of the body's own source ends the request before its last
    /// byte, so the server never sees a complete body, and comes back as
    /// [`ErrorKind::File`].
    pub(crate) fn post_stream(&self, call: &Call<'_>, body: StreamBody) -> Result<Vec<u8>, Error> {
        let StreamBody { content_type, length, mut reader } = body;
        let request =
            call.headers(self.agent().post(call.url)).content_type(content_type).header("Content-Length", length);
        self.exchange(call, request, |request| request.send(ureq::SendBody::from_reader(&mut reader)))
    }

    /// Sends `request` with `send`, within what is left of the call's
    /// deadline, and reads the answer.
    fn exchange<B>(
        &self,
        call: &Call<'_>,
        request: ureq::RequestBuilder<B>,
        send: impl FnOnce(ureq::RequestBuilder<B>) -> Result<Response<ureq::Body>, ureq::Error>,
    ) -> Result<Vec<u8>, Error> {
        let cut = self.cut(call.time_left);
        let request = match cut {
            // Per-request configuration costs an allocation: only when needed.
            Some(left) => request.config().timeout_global(Some(left)).build(),
            None => request,
        };
        let response = send(request).map_err(|e| self.transport_error(e, cut))?;
        self.read_answer(response, cut)
    }

    /// This thread's agent: threads are dealt shards in turn as they first
    /// call, so up to one thread per core has a pool to itself.
    fn agent(&self) -> &Agent {
        thread_local! {
            static TURN: usize = NEXT_TURN.fetch_add(1, Ordering::Relaxed);
        }
        &self.agents[TURN.with(|turn| *turn) % self.agents.len()]
    }

    fn cut(&self, time_left: Option<Duration>) -> Option<Duration> {
        time_left.filter(|left| *left < self.request_timeout)
    }

    fn read_answer(&self, mut response: Response<ureq::Body>, cut: Option<Duration>) -> Result<Vec<u8>, Error> {
        let status = response.status().as_u16();
        if status == 200 {
            return self.read_body(response, cut).map_err(|e| e.with_http_status(status));
        }
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let location = header("location");
        // The body only supplies a message: if it cannot be read, the status
        // alone still says what happened.
        let body = response.body_mut().with_config().limit(ERROR_BODY_CAP).read_to_vec().unwrap_or_default();
        Err(error_for_response(status, &body, retry_after, location.as_deref()))
    }

    /// Reads a 200 body up to the cap into a buffer sized from
    /// `Content-Length`, so a typical body is read without regrowing.
    fn read_body(&self, mut response: Response<ureq::Body>, cut: Option<Duration>) -> Result<Vec<u8>, Error> {
        let announced = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(8 * 1024);
        // One byte over the announced length lets read_to_end see the end
        // without growing the buffer.
        let capacity = announced.saturating_add(1).min(self.max_body_bytes.saturating_add(1));
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(usize::MAX));
        let mut reader = response.body_mut().with_config().limit(self.max_body_bytes).reader();
        match reader.read_to_end(&mut body) {
            Ok(_) => Ok(body),
            // ureq reports its own failures (the cap, a timeout) inside io::Error.
            Err(e) if e.get_ref().is_some_and(|inner| inner.is::<ureq::Error>()) => {
                match e.into_inner().map(|inner| inner.downcast::<ureq::Error>()) {
                    Some(Ok(ureq_error)) => Err(self.transport_error(*ureq_error, cut)),
                    _ => Err(Error::new(ErrorKind::Network, "the response body could not be read")),
                }
            }
            Err(e) => Err(self.io_error(e)),
        }
    }

    fn transport_error(&self, error: ureq::Error, cut: Option<Duration>) -> Error {
        use ureq::Error as U;
        let (kind, message) = match error {
            U::Timeout(which @ (ureq::Timeout::Connect | ureq::Timeout::Resolve)) => {
                return Error::new(ErrorKind::Timeout, self.timeout_message(which, cut)).not_sent();
            }
            U::Timeout(which) => (ErrorKind::Timeout, self.timeout_message(which, cut)),
            U::HostNotFound => {
                return Error::new(ErrorKind::Network, "could not resolve the host name").permanent();
            }
            U::ConnectionFailed => {
                return Error::new(ErrorKind::Network, "could not connect to the server").not_sent();
            }
            U::Io(e) => return self.io_error(e),
            U::BodyExceedsLimit(limit) => {
                (ErrorKind::Protocol, format!("response body is larger than the {limit}-byte cap"))
            }
            U::LargeResponseHeader(size, limit) => {
                (ErrorKind::Protocol, format!("response headers of {size} bytes exceed the {limit}-byte limit"))
            }
            U::Protocol(e) => (ErrorKind::Protocol, format!("malformed HTTP response: {e}")),
            U::Decompress(codec, e) => (ErrorKind::Protocol, format!("could not decode the {codec} body: {e}")),
            U::Tls(e) => (ErrorKind::Tls, format!("TLS failed: {e}")),
            U::Pem(e) => (ErrorKind::Tls, format!("bad PEM data: {e}")),
            U::Rustls(e) => (ErrorKind::Tls, format!("TLS failed: {e}")),
            U::ConnectProxyFailed(e) => (ErrorKind::Network, format!("the proxy refused the connection: {e}")),
            U::InvalidProxyUrl => {
                (ErrorKind::InvalidArgument, "the proxy URL in the environment is invalid".to_owned())
            }
            U::BadUri(e) => (ErrorKind::InvalidArgument, format!("bad request URL: {e}")),
            U::Http(e) => (ErrorKind::InvalidArgument, format!("bad request: {e}")),
            other => (ErrorKind::Network, format!("request failed: {other}")),
        };
        Error::new(kind, message)
    }

    fn io_error(&self, e: io::Error) -> Error {
        if let Some(source) = e.get_ref().and_then(|inner| inner.downcast_ref::<SourceError>()) {
            return Error::new(ErrorKind::File, source.0.clone());
        }
        if let Some(tls) = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
            return Error::new(ErrorKind::Tls, format!("TLS failed: {tls}"));
        }
        use io::ErrorKind as K;
        let (kind, message) = match e.kind() {
            K::ConnectionRefused => return Error::new(ErrorKind::Network, "connection refused").not_sent(),
            K::TimedOut | K::WouldBlock => (ErrorKind::Timeout, format!("request timed out: {e}")),
            K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => {
                (ErrorKind::Network, "the server closed the connection before the response was complete".to_owned())
            }
            _ => (ErrorKind::Network, format!("network error: {e}")),
        };
        Error::new(kind, message)
    }

    fn timeout_message(&self, which: ureq::Timeout, cut: Option<Duration>) -> String {
        let connecting = matches!(which, ureq::Timeout::Connect | ureq::Timeout::Resolve);
        match cut {
            Some(left) if !connecting || left < self.connect_timeout => {
                format!("the call's deadline passed ({} ms were left for the last attempt)", left.as_millis())
            }
            _ if connecting => format!("could not connect within {} ms", self.connect_timeout.as_millis()),
            _ => format!("no complete response within {} ms", self.request_timeout.as_millis()),
        }
    }
}
