//! Certificates for TLS tests, made by rcgen: a test CA, and leaf certificates from it
//! (current or expired, for given names and addresses) or self-signed.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, date_time_ymd};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A leaf certificate and its key, as DER and PEM.
pub(crate) struct Issued {
    pub cert: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
    pub cert_pem: String,
    pub key_pem: String,
}

/// The test CA.
pub(crate) struct TestCa {
    /// Its certificate, PEM, for `+tls-ca=` and `kdig +tls-ca=`.
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub(crate) fn new() -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "dnscope test CA");
        let pem = params.self_signed(&key).unwrap().pem();
        TestCa {
            pem,
            issuer: Issuer::new(params, key),
        }
    }

    /// A certificate for `names` (host names or addresses, the first also its CN), valid
    /// now, or expired in 2020.
    pub(crate) fn issue(&self, names: &[&str], expired: bool) -> Issued {
        let (params, key) = leaf(names, expired);
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        issued(&cert, &key)
    }
}

/// A certificate for `names` that no CA vouches for.
pub(crate) fn self_signed(names: &[&str]) -> Issued {
    let (params, key) = leaf(names, false);
    let cert = params.self_signed(&key).unwrap();
    issued(&cert, &key)
}

fn leaf(names: &[&str], expired: bool) -> (CertificateParams, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, names[0]);
    if expired {
        params.not_before = date_time_ymd(2019, 1, 1);
        params.not_after = date_time_ymd(2020, 1, 1);
    }
    (params, key)
}

fn issued(cert: &rcgen::Certificate, key: &KeyPair) -> Issued {
    Issued {
        cert: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    }
}
