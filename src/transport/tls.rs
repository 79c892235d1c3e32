//! DNS over TLS (RFC 7858): the TCP framing (a 2-byte length before each message) inside
//! a TLS session, on port 853. Synchronous: rustls's `ClientConnection` over a std
//! `TcpStream`, with ring as its crypto (the one hickory-proto's DNSSEC uses already).
//!
//! The certificate is verified by default, against the system's root store
//! (rustls-native-certs: what kdig's GnuTLS and dig's OpenSSL read, so a CA installed on
//! the machine is trusted here too), or against `+tls-ca=FILE`. The name verified is
//! `+tls-hostname`, else the server's host name, else its IP address (public resolvers'
//! certificates carry their addresses). A certificate that does not verify ends the
//! attempt with [`Failure::Tls`] and the reason; there is never a fallback to plain DNS.
//!
//! Connections are kept: a later query to the same server and name reuses the session
//! (several queries on one command line, a batch's lines), up to [`IDLE_MAX`] idle ones.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use serde::Serialize;

use super::{Failure, Reply, Request, TransportError, failure_of, micros, tcp};

/// The most idle sessions kept for reuse.
const IDLE_MAX: usize = 8;

/// How a TLS server is reached and judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    /// The name to verify and send as SNI (`+tls-hostname`, or the server's host name);
    /// `None` verifies the server's IP address.
    pub server_name: Option<String>,
    /// `+tls-ca=FILE`: PEM certificates to trust instead of the system's roots.
    pub ca: Option<Vec<CertificateDer<'static>>>,
    /// `+notls-verify`, `+tls-insecure`: accept any certificate.
    pub verify: bool,
}

/// Reads the certificates of a PEM file.
///
/// # Errors
/// When the text holds no certificate, or one that cannot be read.
pub fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not a PEM certificate file: {e}"))?;
    if certs.is_empty() {
        return Err("no certificate in it (expected PEM: -----BEGIN CERTIFICATE-----)".to_owned());
    }
    Ok(certs)
}

/// What a TLS session was, for the stats line and JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsInfo {
    /// TLSv1.3, TLSv1.2.
    pub version: String,
    /// The cipher suite, as IANA names it.
    pub cipher: String,
    /// The protocol the server chose by ALPN (`dot`), if any.
    pub alpn: Option<String>,
    /// The server's certificate.
    pub certificate: Option<CertificateInfo>,
    /// Whether the certificate was verified (`false` with `+notls-verify`).
    pub verified: bool,
    /// Whether this query reused a session an earlier query opened.
    pub reused: bool,
    /// Microseconds to connect (TCP), for the query that opened the session.
    pub connect_us: u64,
    /// Microseconds of the TLS handshake, for the query that opened the session.
    pub handshake_us: u64,
    /// Microseconds from sending this query on the session to its reply.
    pub answer_us: u64,
}

/// The server's (leaf) certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    /// The end of its validity, RFC 3339 UTC.
    pub not_after: String,
}

/// An open session and what it was when it opened.
struct Session {
    server: SocketAddr,
    name: Option<String>,
    stream: rustls::StreamOwned<ClientConnection, TcpStream>,
    info: TlsInfo,
}

/// The idle sessions of a [`super::Net`].
#[derive(Default)]
pub(crate) struct Pool {
    idle: Mutex<Vec<Session>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let idle = self.idle.lock().map_or(0, |idle| idle.len());
        write!(f, "Pool({idle} idle)")
    }
}

impl Pool {
    fn take(&self, server: SocketAddr, name: Option<&String>) -> Option<Session> {
        let mut idle = self.idle.lock().ok()?;
        let at = idle
            .iter()
            .position(|s| s.server == server && s.name.as_ref() == name)?;
        Some(idle.swap_remove(at))
    }

    fn put(&self, session: Session) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < IDLE_MAX
        {
            idle.push(session);
        }
    }
}

/// One query over TLS: on a kept session to the server if there is one (a new one if
/// the server closed it meanwhile), else on a new session.
pub(super) fn exchange(
    pool: &Pool,
    request: &Request<'_>,
    settings: &TlsSettings,
) -> Result<Reply, TransportError> {
    let server = request.expect.server;
    let fail = |failure| TransportError {
        failure,
        ignored: Vec::new(),
    };
    let started = Instant::now();
    let deadline = started + request.timeout;
    if let Some(mut session) = pool.take(server, settings.server_name.as_ref()) {
        session.info.reused = true;
        match ask(&mut session, request, started, deadline) {
            Ok(reply) => {
                pool.put(session);
                return Ok(reply);
            }
            // A kept session the server has closed: open a new one.
            Err(error) if matches!(error.failure, Failure::Refused | Failure::Malformed(_)) => {}
            Err(error) => return Err(error),
        }
    }
    let mut session = open(server, request.source, settings, request.timeout).map_err(fail)?;
    let reply = ask(&mut session, request, started, deadline)?;
    pool.put(session);
    Ok(reply)
}

/// Sends the query on `session` and waits for its reply until `deadline`.
fn ask(
    session: &mut Session,
    request: &Request<'_>,
    started: Instant,
    deadline: Instant,
) -> Result<Reply, TransportError> {
    let fail = |failure| TransportError {
        failure,
        ignored: Vec::new(),
    };
    let framed = tcp::framed(request.wire).map_err(fail)?;
    let stream = &mut session.stream;
    let sent = Instant::now();
    stream
        .write_all(&framed)
        .and_then(|()| stream.flush())
        .map_err(|e| fail(failure_of(&e)))?;
    let mut reply = tcp::read_reply(stream, request, started, deadline)?;
    let mut info = session.info.clone();
    info.answer_us = micros(sent.elapsed());
    reply.tls = Some(info);
    Ok(reply)
}

impl tcp::Timed for rustls::StreamOwned<ClientConnection, TcpStream> {
    const NAME: &'static str = "TLS session";

    fn wait_at_most(&mut self, wait: Duration) -> std::io::Result<()> {
        self.sock.set_read_timeout(Some(wait))
    }

    fn failure(error: &std::io::Error) -> Failure {
        tls_failure(error)
    }
}

/// Connects and completes the handshake, within `timeout` for each.
fn open(
    server: SocketAddr,
    source: Option<SocketAddr>,
    settings: &TlsSettings,
    timeout: Duration,
) -> Result<Session, Failure> {
    let config = config(settings, &[b"dot"])?;
    let name = server_name(server, settings)?;
    let started = Instant::now();
    // Connected with no delay and a write timeout; the handshake's reads get one too.
    let tcp = tcp::connect_within(server, source, timeout)?;
    let connected = started.elapsed();
    tcp.set_read_timeout(Some(timeout))
        .map_err(|e| Failure::Io(e.to_string()))?;
    let connection = ClientConnection::new(config, name).map_err(|e| Failure::Tls(format!("TLS: {e}")))?;
    let mut stream = rustls::StreamOwned::new(connection, tcp);
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|e| tls_failure(&e))?;
    }
    let handshake = started.elapsed() - connected;
    let info = session_info(&stream.conn, settings.verify, connected, handshake);
    Ok(Session {
        server,
        name: settings.server_name.clone(),
        stream,
        info,
    })
}

/// The name the certificate must carry and the client sends as SNI.
pub(super) fn server_name(
    server: SocketAddr,
    settings: &TlsSettings,
) -> Result<ServerName<'static>, Failure> {
    match &settings.server_name {
        Some(name) => ServerName::try_from(name.clone())
            .map_err(|_| Failure::Tls(format!("'{name}' is not a valid TLS server name"))),
        None => Ok(ServerName::IpAddress(server.ip().into())),
    }
}

/// What a session that just finished its handshake is.
pub(super) fn session_info(
    conn: &ClientConnection,
    verified: bool,
    connected: Duration,
    handshake: Duration,
) -> TlsInfo {
    TlsInfo {
        version: conn
            .protocol_version()
            .and_then(|v| v.as_str())
            .unwrap_or("?")
            .replace("TLSv1_", "TLSv1."),
        cipher: conn
            .negotiated_cipher_suite()
            .and_then(|s| s.suite().as_str())
            .unwrap_or("?")
            .to_owned(),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        certificate: conn
            .peer_certificates()
            .and_then(|certs| certs.first())
            .and_then(|leaf| certificate_info(leaf)),
        verified,
        reused: false,
        connect_us: micros(connected),
        handshake_us: micros(handshake),
        answer_us: 0,
    }
}

fn certificate_info(der: &CertificateDer<'_>) -> Option<CertificateInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).ok()?;
    let seconds = u64::try_from(cert.validity().not_after.timestamp()).unwrap_or(0);
    let not_after = SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
    Some(CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_after: humantime::format_rfc3339_seconds(not_after).to_string(),
    })
}

/// The client configuration: roots (or none, unverified), and the ALPN protocols
/// offered (`dot`, RFC 7858 §3.2; `h2` and `http/1.1` for DNS over HTTPS).
pub(super) fn config(settings: &TlsSettings, alpn: &[&[u8]]) -> Result<Arc<ClientConfig>, Failure> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| Failure::Tls(format!("TLS: {e}")))?;
    let mut config = if settings.verify {
        let roots = match &settings.ca {
            Some(certs) => {
                let mut store = RootCertStore::empty();
                store.add_parsable_certificates(certs.iter().cloned());
                Arc::new(store)
            }
            None => system_roots()?,
        };
        builder.with_root_certificates(roots).with_no_client_auth()
    } else {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth()
    };
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(Arc::new(config))
}

/// The system's root store, read once per run.
fn system_roots() -> Result<Arc<RootCertStore>, Failure> {
    static ROOTS: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    let roots = ROOTS.get_or_init(|| {
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        Arc::new(store)
    });
    if roots.is_empty() {
        return Err(Failure::Tls(
            "no root certificate in the system's store (install ca-certificates, or give +tls-ca=FILE)"
                .to_owned(),
        ));
    }
    Ok(Arc::clone(roots))
}

/// Accepts any certificate (`+notls-verify`); the handshake's own signatures are still
/// checked, so the session is with whoever holds the certificate's key.
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A socket or TLS error as a failure; a certificate that does not verify says why.
pub(super) fn tls_failure(error: &std::io::Error) -> Failure {
    let Some(tls) = error.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) else {
        return failure_of(error);
    };
    Failure::Tls(match tls {
        rustls::Error::InvalidCertificate(why) => certificate_problem(why),
        other => format!("TLS handshake failed: {other}"),
    })
}

fn certificate_problem(why: &CertificateError) -> String {
    let refused = "the server's certificate does not verify";
    match why {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            format!("{refused}: it has expired")
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            format!("{refused}: it is not valid yet")
        }
        CertificateError::NotValidForNameContext { expected, presented } => format!(
            "{refused}: it is not valid for {} (it names {}; +tls-hostname=NAME sets the name to verify)",
            expected.to_str(),
            if presented.is_empty() {
                "nothing".to_owned()
            } else {
                // webpki writes each as `DnsName("a.example")`: the name is what matters.
                presented
                    .iter()
                    .map(|p| p.split('"').nth(1).unwrap_or(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        CertificateError::NotValidForName => format!("{refused}: it is not valid for the server's name"),
        CertificateError::UnknownIssuer => {
            format!("{refused}: unknown issuer (no trusted CA signed it; +tls-ca=FILE names the CA to trust)")
        }
        CertificateError::BadSignature => format!("{refused}: its signature is bad"),
        CertificateError::Revoked => format!("{refused}: it is revoked"),
        other => format!("{refused}: {other:?}"),
    }
}
