//! Which certificate authorities a client trusts: the bundled Mozilla roots
//! by default, a PEM file the caller names, or the system's store.

use std::path::Path;
use std::sync::Arc;

use ureq::tls::{Certificate, PemItem, RootCerts, parse_pem};

use crate::error::{Error, ErrorKind};

/// The trust roots for a client. A CA file replaces the bundled roots, as
/// curl's `--cacert` does, so a private deployment can trust only its own
/// CA; with `system` as well, both are trusted.
pub(crate) fn root_certs(ca_file: Option<&Path>, system: bool) -> Result<RootCerts, Error> {
    if ca_file.is_none() && !system {
        return Ok(RootCerts::WebPki);
    }
    let mut roots = Vec::new();
    if let Some(path) = ca_file {
        roots.extend(read_ca_file(path)?);
    }
    if system {
        roots.extend(system_roots()?);
    }
    Ok(RootCerts::Specific(Arc::new(roots)))
}

fn read_ca_file(path: &Path) -> Result<Vec<Certificate<'static>>, Error> {
    let shown = path.display();
    let pem =
        std::fs::read(path).map_err(|e| Error::invalid_argument(format!("ca_file {shown}: cannot read it: {e}")))?;
    let mut certs = Vec::new();
    for item in parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => return Err(Error::invalid_argument(format!("ca_file {shown}: malformed PEM: {e}"))),
        }
    }
    if certs.is_empty() {
        return Err(Error::invalid_argument(format!("ca_file {shown}: no PEM certificates in it")));
    }
    Ok(certs)
}

fn system_roots() -> Result<Vec<Certificate<'static>>, Error> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        let why = found.errors.first().map_or_else(|| "none installed".to_owned(), |e| e.to_string());
        return Err(Error::new(ErrorKind::Tls, format!("no system root certificates could be loaded: {why}")));
    }
    Ok(found.certs.iter().map(|der| Certificate::from_der(der.as_ref()).to_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_bundled_roots() {
        assert!(matches!(root_certs(None, false).unwrap(), RootCerts::WebPki));
    }

    #[test]
    fn a_bad_ca_file_is_refused_with_its_path() {
        let e = root_certs(Some(Path::new("/nonexistent/ca.pem")), false).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().starts_with("ca_file /nonexistent/ca.pem: cannot read it"), "{}", e.message());
        let empty = std::env::temp_dir().join(format!("synap-empty-{}.pem", std::process::id()));
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let e = root_certs(Some(&empty), false).unwrap_err();
        std::fs::remove_file(&empty).unwrap();
        assert!(e.message().ends_with("no PEM certificates in it"), "{}", e.message());
    }
}
