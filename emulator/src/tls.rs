//! HTTPS: the identity the emulator serves with, and [`TestPki`] to make one.
//!
//! With [`crate::Config::tls`] set, every connection is TLS (1.2 or 1.3,
//! HTTP/1.1 only, on rustls with the ring provider). A handshake that fails,
//! e.g. a client that rejects the certificate or speaks plain HTTP, just
//! closes that connection.

mod pki;

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

pub use pki::TestPki;

/// A certificate chain (server certificate first) and its private key, in
/// PEM. `Debug` never shows the key.
#[derive(Clone)]
pub struct TlsIdentity {
    cert_chain_pem: String,
    key_pem: String,
}

impl TlsIdentity {
    /// Checks that the chain holds a certificate and that the key is one
    /// rustls accepts for it (PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem(cert_chain_pem: impl Into<String>, key_pem: impl Into<String>) -> io::Result<TlsIdentity> {
        let identity = TlsIdentity { cert_chain_pem: cert_chain_pem.into(), key_pem: key_pem.into() };
        identity.server_config()?;
        Ok(identity)
    }

    /// Reads and checks PEM files, as [`TlsIdentity::from_pem`] does.
    pub fn from_files(cert_chain: impl AsRef<Path>, key: impl AsRef<Path>) -> io::Result<TlsIdentity> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
        };
        TlsIdentity::from_pem(read(cert_chain.as_ref())?, read(key.as_ref())?)
    }

    /// The certificate chain as given.
    pub fn cert_chain_pem(&self) -> &str {
        &self.cert_chain_pem
    }

    pub(crate) fn server_config(&self) -> io::Result<Arc<ServerConfig>> {
        let invalid =
            |what: &str, e: &dyn fmt::Display| io::Error::new(io::ErrorKind::InvalidData, format!("{what}: {e}"));
        let certs = CertificateDer::pem_slice_iter(self.cert_chain_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid("certificate chain", &e))?;
        if certs.is_empty() {
            return Err(invalid("certificate chain", &"no CERTIFICATE in the PEM"));
        }
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes()).map_err(|e| invalid("private key", &e))?;
        // An explicit provider: the process-wide default may be unset, or be
        // another one installed by the program embedding the emulator.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid("TLS versions", &e))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| invalid("certificate and key", &e))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let certs = self.cert_chain_pem.matches("-----BEGIN CERTIFICATE-----").count();
        f.debug_struct("TlsIdentity").field("certificates", &certs).field("key", &format_args!("redacted")).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_rustls_cannot_use() {
        let pki = TestPki::generate(&["localhost"]).unwrap();
        let other = TestPki::generate(&["localhost"]).unwrap();
        assert!(TlsIdentity::from_pem(&pki.cert_pem, &pki.key_pem).is_ok());
        assert!(TlsIdentity::from_pem("", &pki.key_pem).is_err());
        assert!(TlsIdentity::from_pem(&pki.cert_pem, "").is_err());
        assert!(TlsIdentity::from_pem(&pki.key_pem, &pki.key_pem).is_err(), "a key is not a certificate");
        assert!(TlsIdentity::from_pem(&pki.cert_pem, &other.key_pem).is_err(), "key of another certificate");
    }

    #[test]
    fn debug_hides_the_key() {
        let pki = TestPki::generate(&["localhost"]).unwrap();
        let text = format!("{:?}", pki.identity());
        assert_eq!(text, "TlsIdentity { certificates: 1, key: redacted }");
        let text = format!("{pki:?}");
        assert!(!text.contains(&pki.key_pem[40..80]), "{text}");
    }
}
