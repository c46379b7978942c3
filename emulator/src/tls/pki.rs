//! Throwaway certificates for tests and demos: a CA, and a server
//! certificate it signed, so clients trust the CA the way they would a real
//! one instead of pinning a self-signed leaf.

use std::fmt;
use std::io;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};

use super::TlsIdentity;
use crate::config::Config;

/// A fresh certificate authority and a server certificate it issued. All in
/// PEM; `Debug` never shows the key.
#[derive(Clone)]
pub struct TestPki {
    /// The CA certificate: the trust root to give clients.
    pub ca_cert_pem: String,
    /// The server certificate, for the names passed to [`TestPki::generate`].
    pub cert_pem: String,
    /// The server certificate's private key (PKCS#8, ECDSA P-256).
    pub key_pem: String,
}

impl TestPki {
    /// Makes a new CA and a server certificate for `names`: each an IP
    /// address (an IP SAN) or a DNS name, e.g. `["localhost", "127.0.0.1",
    /// "::1"]`. Fails only for a name that is neither.
    pub fn generate(names: &[&str]) -> io::Result<TestPki> {
        let fail = |e: rcgen::Error| io::Error::new(io::ErrorKind::InvalidInput, format!("test certificate: {e}"));

        let ca_key = KeyPair::generate().map_err(fail)?;
        let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
        ca.distinguished_name.push(DnType::CommonName, "synap-emulator test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).map_err(fail)?;
        let issuer = Issuer::new(ca, ca_key);

        let key = KeyPair::generate().map_err(fail)?;
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut leaf = CertificateParams::new(names).map_err(fail)?;
        leaf.distinguished_name.push(DnType::CommonName, "synap-emulator");
        leaf.is_ca = IsCa::ExplicitNoCa;
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf.use_authority_key_identifier_extension = true;
        let cert = leaf.signed_by(&key, &issuer).map_err(fail)?;

        Ok(TestPki { ca_cert_pem: ca_cert.pem(), cert_pem: cert.pem(), key_pem: key.serialize_pem() })
    }

    /// The server certificate and key, to serve with.
    pub fn identity(&self) -> TlsIdentity {
        TlsIdentity::from_pem(&self.cert_pem, &self.key_pem).expect("a generated certificate suits rustls")
    }

    /// The default [`Config`], serving HTTPS with [`TestPki::identity`].
    /// Change other fields with `Config { control: true, ..pki.config() }`.
    pub fn config(&self) -> Config {
        Config { tls: Some(self.identity()), ..Config::default() }
    }
}

impl fmt::Debug for TestPki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestPki")
            .field("ca_cert_pem", &self.ca_cert_pem)
            .field("cert_pem", &self.cert_pem)
            .field("key_pem", &format_args!("redacted"))
            .finish()
    }
}
