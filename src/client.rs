//! `Client`: resolves credentials and the base URL once, then makes calls.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use ureq::http::HeaderValue;
use uuid::Uuid;

use crate::call::{Idempotence, Limits, with_retries};
use crate::correlation::new_correlation_id;
use crate::create::{Batch, CreateRequest, Ingestion};
use crate::error::{Error, ErrorKind, one_line};
use crate::identity::Identity;
use crate::log::{LogLevel, log};
use crate::memory::Memory;
use crate::options::{
    API_KEY_ENV, BASE_URL_ENV, ClientOptions, DEFAULT_BASE_URL, check_api_key, check_transport_security, env_value,
    normalize_base_url, url_host,
};
use crate::proxy;
use crate::retry::RetryPolicy;
use crate::status::MemoryStatus;
use crate::tls::root_certs;
use crate::transport::{Call, Settings, StreamBody, Transport};
use crate::wire::identity::parse_identity;
use crate::wire::ingestion::{parse_batch, parse_ingestion};
use crate::wire::memory::parse_memory;
use crate::wire::status::parse_status;

/// A Synap client. Cheap to share: every method takes `&self`, and one
/// client used from many threads reuses its pooled connections.
pub struct Client {
    transport: Transport,
    api_key: String,
    /// Built once: marked sensitive, and cloned per request without copying.
    authorization: HeaderValue,
    base_url: String,
    status_prefix: String,
    retry: RetryPolicy,
    deadline: Option<Duration>,
    /// What whoami told, once it has answered.
    known: RwLock<Option<Arc<Known>>>,
}

#[derive(Clone, Debug)]
struct Known {
    client_id: String,
    instance_id: String,
    b2c: bool,
}

impl Client {
    /// Builds a client. The API key comes from the options, else from
    /// `SYNAP_API_KEY`; the base URL from the options, else `SYNAP_BASE_URL`,
    /// else the production service. Makes no network request.
    ///
    /// Fails with `Auth` when no key is found and `InvalidArgument` when a
    /// value is malformed.
    pub fn new(options: &ClientOptions) -> Result<Client, Error> {
        // Values set on the options were checked there; what comes from the
        // environment is checked here.
        let api_key = match &options.api_key {
            Some(key) => key.clone(),
            None => match env_value(API_KEY_ENV) {
                Some(key) => {
                    check_api_key(&key)
                        .map_err(|e| Error::invalid_argument(format!("{API_KEY_ENV}: {}", e.message())))?;
                    key
                }
                None => {
                    return Err(Error::new(ErrorKind::Auth, format!("no API key: pass one or set {API_KEY_ENV}")));
                }
            },
        };
        let base_url = match &options.base_url {
            Some(url) => url.clone(),
            None => match env_value(BASE_URL_ENV) {
                Some(url) => normalize_base_url(&url)
                    .map_err(|e| Error::invalid_argument(format!("{BASE_URL_ENV}: {}", e.message())))?,
                None => DEFAULT_BASE_URL.to_owned(),
            },
        };
        check_transport_security(&base_url, options.allow_insecure_http)?;
        let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", &base_url));
        let chosen = proxy::choose(&options.proxy, scheme, url_host(rest), |name| std::env::var(name).ok())?;
        if let Some(chosen) = &chosen {
            log(LogLevel::Info, || format!("using proxy {} (from {}) for {base_url}", chosen.shown, chosen.source));
        }
        if scheme == "http" && options.allow_insecure_http {
            log(LogLevel::Warn, || format!("plain http to {base_url}: the API key is sent unencrypted"));
        }
        let roots = root_certs(options.ca_file.as_deref(), options.system_roots)?;
        let transport = Transport::new(Settings {
            connect_timeout: options.connect_timeout,
            request_timeout: options.request_timeout,
            max_body_bytes: options.max_body_bytes,
            proxy: chosen.map(|c| c.proxy),
            roots,
        });
        Ok(Client {
            transport,
            authorization: bearer(&api_key)?,
            status_prefix: format!("{base_url}/api/v1/memories/status/"),
            api_key,
            base_url,
            retry: options.retry,
            deadline: options.deadline,
            known: RwLock::new(None),
        })
    }

    /// The base URL in use, normalised (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `memories.status`: how far the ingestion job `ingestion_id` has come.
    ///
    /// `ingestion_id` must be a UUID (any case, hyphenated or not); it is
    /// checked before any request and sent in canonical lowercase form.
    pub fn memories_status(&self, ingestion_id: &str) -> Result<MemoryStatus, Error> {
        let id = parse_ingestion_id(ingestion_id)?;
        self.memories_status_by_uuid(id)
    }

    /// `memories.status` for an id already held as a [`Uuid`].
    pub fn memories_status_by_uuid(&self, ingestion_id: Uuid) -> Result<MemoryStatus, Error> {
        self.status_within(ingestion_id, &self.limits(None, None))
    }

    /// The limits of one call: the client's deadline from now, cut to
    /// `outer` (a wait's deadline) when that comes first.
    pub(crate) fn limits<'a>(&self, outer: Option<Instant>, cancel: Option<&'a crate::CancelToken>) -> Limits<'a> {
        let own = self.deadline.map(|d| Instant::now() + d);
        let deadline = match (own, outer) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Limits { deadline, cancel }
    }

    /// One `memories.status` call, retried as the policy says, within `limits`.
    pub(crate) fn status_within(&self, ingestion_id: Uuid, limits: &Limits<'_>) -> Result<MemoryStatus, Error> {
        let mut url = String::with_capacity(self.status_prefix.len() + 36);
        url.push_str(&self.status_prefix);
        url.push_str(ingestion_id.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
        self.call(&url, None, limits, parse_status)
    }

    /// `memories.get`: one memory by id (a UUID, checked before any request).
    pub fn memories_get(&self, memory_id: &str) -> Result<Memory, Error> {
        let id = parse_memory_id(memory_id)?;
        let url = format!("{}/api/v1/memories/{}", self.base_url, id.hyphenated());
        self.call(&url, None, &self.limits(None, None), parse_memory)
    }

    /// `memories.create`: queues one document for ingestion and returns the
    /// job to poll. Retried only when the failure proves the request had no
    /// effect (a refused connection, 429, 503), never after a timeout or
    /// another 5xx, so a document is never ingested twice.
    pub fn memories_create(&self, request: &CreateRequest) -> Result<Ingestion, Error> {
        self.refuse_customer_id_on_b2c(request.customer_id_set())?;
        let body = serde_json::to_vec(&request.to_json()?).map_err(|e| Error::invalid_argument(e.to_string()))?;
        let url = format!("{}/api/v1/memories/create", self.base_url);
        self.call(&url, Some(&body), &self.limits(None, None), parse_ingestion)
    }

    /// `memories.batch_create`: queues several documents in one request.
    /// With `fail_fast` the service refuses the whole batch at the first
    /// invalid document; without it, invalid ones come back refused and
    /// the rest are queued. Retried as `memories_create` is.
    pub fn memories_batch_create(&self, requests: &[CreateRequest], fail_fast: bool) -> Result<Batch, Error> {
        if requests.is_empty() {
            return Err(Error::invalid_argument("a batch needs at least one document"));
        }
        let documents = requests
            .iter()
            .enumerate()
            .map(|(i, r)| r.to_json().map_err(|e| Error::invalid_argument(format!("requests[{i}]: {}", e.message()))))
            .collect::<Result<Vec<_>, Error>>()?;
        let body = serde_json::to_vec(&serde_json::json!({"documents": documents, "fail_fast": fail_fast}))
            .map_err(|e| Error::invalid_argument(e.to_string()))?;
        let url = format!("{}/api/v1/memories/batch", self.base_url);
        self.call(&url, Some(&body), &self.limits(None, None), parse_batch)
    }

    /// `whoami`: the account behind the API key. Once it has answered, the
    /// instance id prefixes this client's correlation ids and requests carry
    /// `X-Client-ID` and `X-Instance-ID`, as the reference SDK does.
    pub fn whoami(&self) -> Result<Identity, Error> {
        let url = format!("{}/api/v1/auth/whoami", self.base_url);
        let identity = self.call(&url, None, &self.limits(None, None), parse_identity)?;
        let known = Known {
            client_id: identity.client_id().unwrap_or_default().to_owned(),
            instance_id: identity.instance_id().unwrap_or_default().to_owned(),
            b2c: identity.is_b2c(),
        };
        *self.known.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(known));
        Ok(identity)
    }

    /// One call: a GET, or a POST of `json` that creates something (so it
    /// is resent only when the failure proves it had no effect); see
    /// [`Client::exchange`].
    pub(crate) fn call<T>(
        &self,
        url: &str,
        json: Option<&[u8]>,
        limits: &Limits<'_>,
        parse: fn(&[u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let request = match json {
            None => Request::Get,
            Some(body) => Request::Post(body, Idempotence::NotIdempotent),
        };
        self.exchange(url, request, limits, parse).map(|(value, _)| value)
    }

    /// One exchange, retried as the policy and the request's idempotence
    /// allow; the 200 body parsed by `parse`. Returns the value and the
    /// call's correlation id. Every error carries that id and never the key.
    pub(crate) fn exchange<T>(
        &self,
        url: &str,
        request: Request<'_>,
        limits: &Limits<'_>,
        parse: impl Fn(&[u8]) -> Result<T, Error>,
    ) -> Result<(T, String), Error> {
        let known = self.known.read().unwrap_or_else(|p| p.into_inner()).clone();
        let correlation_id = new_correlation_id(known.as_ref().map_or("", |k| k.instance_id.as_str()));
        let identity = known.as_ref().map(|k| (k.client_id.as_str(), k.instance_id.as_str()));
        let (method, idempotence) = match request {
            Request::Get => ("GET", Idempotence::Idempotent),
            Request::Delete => ("DELETE", Idempotence::Idempotent),
            Request::Post(_, idempotence) => ("POST", idempotence),
            Request::Patch(_) => ("PATCH", Idempotence::NotIdempotent),
            Request::Stream(_) => ("POST", Idempotence::NotIdempotent),
        };
        let what = || format!("{method} {}", &url[self.base_url.len()..]);
        with_retries(&self.retry, limits, idempotence, &what, &correlation_id, |time_left| {
            let started = Instant::now();
            let call =
                Call { url, authorization: &self.authorization, correlation_id: &correlation_id, identity, time_left };
            let result = match request {
                Request::Get => self.transport.get(&call),
                Request::Delete => self.transport.delete(&call),
                Request::Post(body, _) => self.transport.post_json(&call, body),
                Request::Patch(body) => self.transport.patch_json(&call, body),
                Request::Stream(body) => body().and_then(|body| self.transport.post_stream(&call, body)),
            }
            .and_then(|body| parse(&body).map_err(|e| e.with_http_status(200)))
            .map_err(|e| e.with_correlation_id(&correlation_id).redact(&self.api_key));
            log(LogLevel::Debug, || {
                let outcome = match &result {
                    Ok(_) => "200".to_owned(),
                    Err(e) => crate::retry::describe(e),
                };
                format!("{}: {outcome} in {} us [{correlation_id}]", what(), started.elapsed().as_micros())
            });
            result
        })
        .map(|value| (value, correlation_id.clone()))
        .map_err(|e| e.with_correlation_id(&correlation_id))
    }

    /// The instance id whoami reported, or "" before it has answered.
    pub(crate) fn known_instance_id(&self) -> String {
        self.known
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map_or_else(String::new, |k| k.instance_id.clone())
    }

    /// A customer id is refused locally on an instance whoami reported as
    /// B2C, as the reference SDK does (the service would refuse it too).
    pub(crate) fn refuse_customer_id_on_b2c(&self, customer_id_set: bool) -> Result<(), Error> {
        let b2c = self.known.read().unwrap_or_else(|p| p.into_inner()).as_ref().is_some_and(|k| k.b2c);
        if b2c && customer_id_set {
            return Err(Error::invalid_argument(
                "customer_id is not accepted on this instance: whoami reported user_context_isolation = equals_customer",
            ));
        }
        Ok(())
    }
}

/// What one exchange sends.
#[derive(Clone, Copy)]
pub(crate) enum Request<'a> {
    /// A GET: idempotent.
    Get,
    /// A DELETE: idempotent.
    Delete,
    /// A POST of a JSON body, retried as its idempotence allows.
    Post(&'a [u8], Idempotence),
    /// A PATCH of a JSON body: not idempotent.
    Patch(&'a [u8]),
    /// A POST of a streamed body, made afresh for each attempt: not
    /// idempotent.
    Stream(&'a dyn Fn() -> Result<StreamBody, Error>),
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.base_url).finish_non_exhaustive()
    }
}

/// The `Authorization` value; `check_api_key` has made sure it is valid.
fn bearer(api_key: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {api_key}"))
        .map_err(|_| Error::invalid_argument("api_key cannot go into an HTTP header"))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Checks a memory id before it goes into a URL path.
pub(crate) fn parse_memory_id(text: &str) -> Result<Uuid, Error> {
    Uuid::try_parse(text)
        .map_err(|_| Error::invalid_argument(format!("memory_id is not a UUID: \"{}\"", one_line(text, 64))))
}

/// Checks an ingestion id before it goes into a URL path.
pub(crate) fn parse_ingestion_id(text: &str) -> Result<Uuid, Error> {
    Uuid::try_parse(text)
        .map_err(|_| Error::invalid_argument(format!("ingestion_id is not a UUID: \"{}\"", one_line(text, 64))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingestion_ids_are_checked_and_canonical() {
        let id = parse_ingestion_id("6F1C9E2A-3B7D-4A58-9C0E-2D4B6A8F1E37").unwrap();
        assert_eq!(id.to_string(), "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37");
        for bad in [
            "",
            "../../x",
            "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e3",
            "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37/..",
            " 6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37",
        ] {
            let e = parse_ingestion_id(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.message().starts_with("ingestion_id is not a UUID"), "{}", e.message());
        }
    }

    #[test]
    fn missing_key_is_an_auth_error() {
        // An explicit empty key falls back to the environment, as in the
        // reference SDK; the environment is only read, so this stays valid
        // whatever the test process has set.
        if std::env::var_os(API_KEY_ENV).is_none() {
            let e = Client::new(ClientOptions::new().api_key("").unwrap()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Auth);
            assert_eq!(e.message(), "no API key: pass one or set SYNAP_API_KEY");
        }
    }

    #[test]
    fn values_are_refused_where_they_are_set() {
        let mut options = ClientOptions::new();
        options.api_key("k").unwrap().base_url("http://127.0.0.1:1").unwrap();
        let e = options.connect_timeout(Duration::ZERO).unwrap_err();
        assert_eq!(e.message(), "connect timeout must be greater than zero");
        let e = options.request_timeout(Duration::ZERO).unwrap_err();
        assert_eq!(e.message(), "request timeout must be greater than zero");
        let e = options.max_body_bytes(0).unwrap_err();
        assert_eq!(e.message(), "max_body_bytes must be greater than zero");
        let e = options.deadline(Some(Duration::ZERO)).unwrap_err();
        assert_eq!(e.message(), "deadline must be greater than zero");
        let e = options.retry(RetryPolicy::new(0, Duration::ZERO, Duration::ZERO)).unwrap_err();
        assert!(e.message().starts_with("max_attempts must be between 1 and 100"));
        let e = options.api_key("synap key").unwrap_err();
        assert!(!e.message().contains("synap"), "{}", e.message());
        // Every refusal left the options as they were.
        let c = Client::new(&options).unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:1");
        assert_eq!(c.retry, RetryPolicy::default());

        let e = Client::new(options.base_url("http://synap.example.com").unwrap()).unwrap_err();
        assert!(e.message().contains("plain http"), "{}", e.message());
        assert!(Client::new(options.allow_insecure_http(true)).is_ok());
        let c = Client::new(options.base_url("http://127.0.0.1:1/pfx/").unwrap()).unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:1/pfx");
    }
}
