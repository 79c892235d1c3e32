//! A DNS-over-TLS server for tests (RFC 7858): on a 127.0.0.x address and a free port,
//! with a certificate from a test CA made by rcgen (good, expired, for another name, or
//! self-signed), answering from a [`Zone`]. It counts connections and keeps every query's
//! bytes, so tests can see session reuse and padding.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use hickory_proto::op::Message;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::certs::{TestCa, self_signed};
use super::server::{Zone, read_framed};

/// Which certificate the server presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leaf {
    /// For `dns.test` and the server's address, from the test CA.
    Good,
    /// For `dns.test` only (no address), from the test CA.
    NameOnly,
    /// Expired in 2020, from the test CA.
    Expired,
    /// For `other.test` only, from the test CA.
    OtherName,
    /// Self-signed: no CA vouches for it.
    SelfSigned,
}

/// A running DoT server.
pub(crate) struct DotServer {
    pub addr: SocketAddr,
    /// The test CA's certificate, as a PEM file for `+tls-ca=`.
    pub ca_file: PathBuf,
    /// TCP connections accepted.
    pub connections: Arc<AtomicUsize>,
    /// Every query's bytes, in order.
    pub queries: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl DotServer {
    pub(crate) fn start(zone: Zone, leaf: Leaf) -> DotServer {
        let ip = Ipv4Addr::LOCALHOST;
        let (chain, key, ca_pem) = certificates(IpAddr::V4(ip), leaf);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        config.alpn_protocols = vec![b"dot".to_vec()];
        let config = Arc::new(config);
        let listener = TcpListener::bind((ip, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let dir = std::env::temp_dir().join(format!("dnscope-dot-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca_file = dir.join(format!("ca-{}.pem", addr.port()));
        std::fs::write(&ca_file, ca_pem).unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let queries = Arc::new(Mutex::new(Vec::new()));
        let (count, log, zone) = (Arc::clone(&connections), Arc::clone(&queries), Arc::new(zone));
        thread::spawn(move || {
            for tcp in listener.incoming().flatten() {
                count.fetch_add(1, Ordering::SeqCst);
                let (config, log, zone) = (Arc::clone(&config), Arc::clone(&log), Arc::clone(&zone));
                thread::spawn(move || {
                    let Ok(connection) = rustls::ServerConnection::new(config) else {
                        return;
                    };
                    let mut stream = rustls::StreamOwned::new(connection, tcp);
                    while let Some(query) = read_framed(&mut stream) {
                        log.lock().unwrap().push(query.clone());
                        let Ok(message) = Message::from_vec(&query) else {
                            return;
                        };
                        let reply = zone.answer(&message).to_vec().unwrap();
                        let mut framed = u16::try_from(reply.len()).unwrap().to_be_bytes().to_vec();
                        framed.extend_from_slice(&reply);
                        if std::io::Write::write_all(&mut stream, &framed).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        DotServer {
            addr,
            ca_file,
            connections,
            queries,
        }
    }

    /// `@ADDR -p PORT +tls +tls-ca=CA`.
    pub(crate) fn at(&self) -> Vec<String> {
        vec![
            format!("@{}", self.addr.ip()),
            "-p".to_owned(),
            self.addr.port().to_string(),
            "+tls".to_owned(),
            format!("+tls-ca={}", self.ca_file.display()),
        ]
    }
}

/// The leaf's chain and key, and the CA's certificate as PEM.
fn certificates(ip: IpAddr, leaf: Leaf) -> (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, String) {
    let ca = TestCa::new();
    let address = ip.to_string();
    let issued = match leaf {
        Leaf::Good => ca.issue(&["dns.test", &address], false),
        Leaf::NameOnly => ca.issue(&["dns.test"], false),
        Leaf::Expired => ca.issue(&["dns.test", &address], true),
        Leaf::OtherName => ca.issue(&["other.test"], false),
        Leaf::SelfSigned => self_signed(&["dns.test", &address]),
    };
    (vec![issued.cert], issued.key, ca.pem)
}
