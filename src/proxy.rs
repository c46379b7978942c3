//! Which proxy, if any, a client goes through: set explicitly, turned off,
//! or read from the environment the way curl reads it.
//!
//! From the environment: for an `https` base URL `https_proxy`, then
//! `HTTPS_PROXY`; for `http`, `http_proxy`, then `HTTP_PROXY`; then
//! `all_proxy`, then `ALL_PROXY`. `no_proxy` (else `NO_PROXY`) lists hosts
//! that are reached directly: `*` for all, a domain (`example.com` or
//! `.example.com`, matching it and its subdomains), an IP address, or an
//! IP range in CIDR form (`10.0.0.0/8`). Empty values count as unset.

use std::net::IpAddr;

use ureq::Proxy;

use crate::error::{Error, one_line};

/// Where the proxy comes from. `Debug` never shows a proxy URL, which may
/// hold a password.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum ProxySetting {
    /// The environment, as curl reads it (the default).
    #[default]
    FromEnv,
    /// No proxy, whatever the environment says.
    Off,
    /// This proxy URL (`http://[user:password@]host:port`, or `https://`
    /// for TLS to the proxy), for every request.
    Url(String),
}

impl std::fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ProxySetting::FromEnv => "FromEnv",
            ProxySetting::Off => "Off",
            ProxySetting::Url(_) => "Url([hidden])",
        })
    }
}

/// The proxy chosen for one base URL.
#[derive(Debug)]
pub(crate) struct Chosen {
    pub proxy: Proxy,
    /// For log lines: scheme, host and port, never credentials.
    pub shown: String,
    /// The variable it came from, or "options".
    pub source: &'static str,
}

/// Chooses the proxy for `scheme://host`; `env` looks a variable up.
pub(crate) fn choose(
    setting: &ProxySetting,
    scheme: &str,
    host: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<Chosen>, Error> {
    let (url, source) = match setting {
        ProxySetting::Off => return Ok(None),
        ProxySetting::Url(url) => (url.clone(), "options"),
        ProxySetting::FromEnv => {
            let names: [&'static str; 4] = if scheme == "https" {
                ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
            } else {
                ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
            };
            let found = names.iter().find_map(|name| non_empty(env(name)).map(|value| (value, *name)));
            let Some((url, source)) = found else { return Ok(None) };
            let no_proxy = non_empty(env("no_proxy")).or_else(|| non_empty(env("NO_PROXY")));
            if no_proxy.is_some_and(|list| bypasses(&list, host)) {
                return Ok(None);
            }
            (url, source)
        }
    };
    parse(&url, source).map(Some)
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn parse(url: &str, source: &'static str) -> Result<Chosen, Error> {
    let bad = |why: &str| Error::invalid_argument(format!("proxy URL from {source} {why}"));
    if url.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err(bad("contains a space or control character"));
    }
    let with_scheme = if url.contains("://") { url.to_owned() } else { format!("http://{url}") };
    let scheme = with_scheme.split("://").next().unwrap_or_default().to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad(&format!(
            "has the unsupported scheme \"{}\" (http and https proxies are supported)",
            one_line(&scheme, 20)
        )));
    }
    // Never echo the URL itself: it may hold a password.
    let proxy = Proxy::new(&with_scheme).map_err(|_| bad("is not a valid URL"))?;
    let shown = format!("{scheme}://{}:{}", proxy.host(), proxy.port());
    Ok(Chosen { proxy, shown, source })
}

/// Whether the `no_proxy` list `list` sends `host` direct.
fn bypasses(list: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']').trim_end_matches('.').to_ascii_lowercase();
    let host_ip: Option<IpAddr> = host.parse().ok();
    list.split([',', ' ']).map(str::trim).filter(|e| !e.is_empty()).any(|entry| {
        if entry == "*" {
            return true;
        }
        let entry = entry.to_ascii_lowercase();
        if let Some(ip) = host_ip {
            return ip_matches(&entry, ip);
        }
        let domain = entry.trim_start_matches('*').trim_start_matches('.').trim_end_matches('.');
        let domain = strip_port(domain);
        !domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}")))
    })
}

fn strip_port(entry: &str) -> &str {
    match entry.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => entry,
    }
}

fn ip_matches(entry: &str, ip: IpAddr) -> bool {
    let entry = entry.trim_start_matches('[').trim_end_matches(']');
    let (net, bits) = match entry.split_once('/') {
        Some((net, bits)) => match bits.parse::<u32>() {
            Ok(bits) => (net, Some(bits)),
            Err(_) => return false,
        },
        None => (entry, None),
    };
    let Ok(net) = net.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_eq(&net.octets(), &ip.octets(), bits.unwrap_or(32)),
        (IpAddr::V6(net), IpAddr::V6(ip)) => prefix_eq(&net.octets(), &ip.octets(), bits.unwrap_or(128)),
        _ => false,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u32) -> bool {
    let bits = bits.min(a.len() as u32 * 8) as usize;
    let (whole, rest) = (bits / 8, bits % 8);
    if a[..whole] != b[..whole] {
        return false;
    }
    rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    fn chosen(vars: &[(&str, &str)], scheme: &str, host: &str) -> Option<(String, &'static str)> {
        choose(&ProxySetting::FromEnv, scheme, host, env(vars)).unwrap().map(|c| (c.shown, c.source))
    }

    #[test]
    fn scheme_specific_variables_come_before_all_proxy() {
        let vars = [("HTTPS_PROXY", "http://s:1"), ("http_proxy", "h:2"), ("ALL_PROXY", "http://a:3")];
        assert_eq!(chosen(&vars, "https", "api.x"), Some(("http://s:1".into(), "HTTPS_PROXY")));
        assert_eq!(chosen(&vars, "http", "api.x"), Some(("http://h:2".into(), "http_proxy")));
        assert_eq!(chosen(&[("ALL_PROXY", "http://a:3")], "https", "x"), Some(("http://a:3".into(), "ALL_PROXY")));
        assert_eq!(
            chosen(&[("https_proxy", "http://l:4"), ("HTTPS_PROXY", "http://u:5")], "https", "x").unwrap().1,
            "https_proxy"
        );
        assert_eq!(chosen(&[("HTTPS_PROXY", " "), ("ALL_PROXY", "http://a:3")], "https", "x").unwrap().1, "ALL_PROXY");
        assert_eq!(chosen(&[("HTTP_PROXY", "http://h:1")], "https", "x"), None, "an http proxy is not used for https");
        assert_eq!(chosen(&[], "https", "x"), None);
    }

    #[test]
    fn no_proxy_matches_like_curl() {
        let proxied = |no_proxy: &str, host: &str| {
            chosen(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", no_proxy)], "https", host).is_some()
        };
        assert!(!proxied("*", "api.example.com"));
        assert!(!proxied("example.com", "api.example.com"));
        assert!(!proxied(".example.com", "api.example.com"));
        assert!(!proxied("*.example.com", "example.com"));
        assert!(!proxied("a.b, example.com:443", "EXAMPLE.com"));
        assert!(proxied("example.com", "notexample.com"));
        assert!(!proxied("10.0.0.0/8", "10.1.2.3"));
        assert!(proxied("10.0.0.0/8", "11.1.2.3"));
        assert!(!proxied("127.0.0.1", "127.0.0.1"));
        assert!(!proxied("::1", "[::1]"));
        assert!(!proxied("fd00::/8", "[fd12::1]"));
        assert!(proxied("example.com", "10.1.2.3"));
        assert!(proxied("", "api.example.com"));
        let lower_first = [("HTTPS_PROXY", "http://p:1"), ("no_proxy", "a.com"), ("NO_PROXY", "*")];
        assert!(chosen(&lower_first, "https", "b.com").is_some());
    }

    #[test]
    fn explicit_settings_and_bad_urls() {
        let none = |_: &str| None;
        assert!(choose(&ProxySetting::Off, "https", "x", env(&[("HTTPS_PROXY", "http://p:1")])).unwrap().is_none());
        let c =
            choose(&ProxySetting::Url("http://user:secret@proxy:3128".into()), "https", "x", none).unwrap().unwrap();
        assert_eq!((c.shown.as_str(), c.source), ("http://proxy:3128", "options"));
        let e = choose(&ProxySetting::Url("socks5://user:secret@p:1".into()), "https", "x", none).unwrap_err();
        assert!(e.message().contains("unsupported scheme \"socks5\""), "{}", e.message());
        assert!(!e.message().contains("secret"));
        let e = choose(&ProxySetting::FromEnv, "https", "x", env(&[("HTTPS_PROXY", "http://a b")])).unwrap_err();
        assert_eq!(e.message(), "proxy URL from HTTPS_PROXY contains a space or control character");
    }
}
