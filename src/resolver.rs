//! Host name resolution for the agent. ureq resolves before it looks in its
//! connection pool, and with a timeout set it does so on a new thread per
//! request: for one client talking to one host that is most of the system
//! calls of a kept-alive call. This resolver answers IP literals at once
//! and remembers names for a short while.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a resolved name is reused: short enough to follow DNS changes
/// (fail-over) within a minute, long enough that a busy client resolves
/// rarely.
const NAME_TTL: Duration = Duration::from_secs(30);
/// A client talks to its base host and perhaps a proxy; a few entries do.
const MAX_ENTRIES: usize = 8;

#[derive(Default)]
pub(crate) struct CachingResolver {
    fallback: DefaultResolver,
    names: Mutex<Vec<Entry>>,
}

struct Entry {
    key: String,
    addrs: ResolvedSocketAddrs,
    until: Instant,
}

impl fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingResolver").finish_non_exhaustive()
    }
}

impl Resolver for CachingResolver {
    fn resolve(&self, uri: &Uri, config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(authority) = uri.authority() else {
            return self.fallback.resolve(uri, config, timeout);
        };
        let port = authority.port_u16().or_else(|| match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        });
        let host = authority.host().trim_start_matches('[').trim_end_matches(']');
        if let (Ok(ip), Some(port)) = (host.parse::<IpAddr>(), port) {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = authority.as_str().to_ascii_lowercase();
        let now = Instant::now();
        if let Some(hit) = self.lock().iter().find(|e| e.key == key && e.until > now) {
            return Ok(hit.addrs.clone());
        }
        let addrs = self.fallback.resolve(uri, config, timeout)?;
        let mut names = self.lock();
        names.retain(|e| e.key != key && e.until > now);
        if names.len() >= MAX_ENTRIES {
            names.remove(0);
        }
        names.push(Entry { key, addrs: addrs.clone(), until: now + NAME_TTL });
        Ok(addrs)
    }
}

impl CachingResolver {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Entry>> {
        self.names.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(r: &CachingResolver, url: &str) -> Result<Vec<SocketAddr>, ureq::Error> {
        let uri: Uri = url.parse().unwrap();
        r.resolve(&uri, &Config::default(), NextTimeout::default()).map(|a| a.iter().copied().collect())
    }

    #[test]
    fn literals_answer_at_once_and_names_are_remembered() {
        let r = CachingResolver::default();
        assert_eq!(resolve(&r, "http://127.0.0.1:8080/x").unwrap(), vec!["127.0.0.1:8080".parse().unwrap()]);
        assert_eq!(resolve(&r, "https://[::1]/x").unwrap(), vec!["[::1]:443".parse().unwrap()]);
        let first = resolve(&r, "http://localhost:9/").unwrap();
        assert!(!first.is_empty() && first.iter().all(|a| a.ip().is_loopback() && a.port() == 9), "{first:?}");
        assert_eq!(r.lock().len(), 1);
        assert_eq!(resolve(&r, "http://LOCALHOST:9/").unwrap(), first, "cached, case-insensitive");
        assert_eq!(r.lock().len(), 1);
    }
}
