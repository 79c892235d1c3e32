//! A DNS-over-HTTPS server for tests (RFC 8484): HTTP/2 (or HTTP/1.1 only, by ALPN) over
//! TLS with a certificate from the test CA, answering from a [`Zone`] on any path, or
//! misbehaving on command (an HTTP error status, another media type). It runs on its own
//! thread's tokio runtime, counts connections and records each request.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use bytes::Bytes;
use hickory_proto::op::Message;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::certs::TestCa;
use super::server::Zone;

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// A DNS answer from the zone, over HTTP/2.
    Answer,
    /// The same over HTTP/1.1: the server's ALPN offers only `http/1.1`.
    Http1Only,
    /// This HTTP status, no body.
    Status(u16),
    /// 200 with `text/html`.
    Html,
    /// A DNS answer after this many milliseconds.
    Slow(u64),
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    /// The DNS query it carried (body or `?dns=`).
    pub query: Vec<u8>,
}

/// A running DoH server.
pub(crate) struct DohServer {
    pub addr: SocketAddr,
    pub ca_file: PathBuf,
    pub connections: Arc<AtomicUsize>,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// The most requests of one connection it held at one moment.
    pub most_at_once: Arc<AtomicUsize>,
}

impl DohServer {
    pub(crate) fn start(zone: Zone, behaviour: Behaviour) -> DohServer {
        let ca = TestCa::new();
        let issued = ca.issue(&["doh.test", "127.0.0.1"], false);
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![issued.cert], issued.key)
            .unwrap();
        config.alpn_protocols = match behaviour {
            Behaviour::Http1Only => vec![b"http/1.1".to_vec()],
            _ => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        };
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let dir = std::env::temp_dir().join(format!("dnscope-doh-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca_file = dir.join(format!("ca-{}.pem", addr.port()));
        std::fs::write(&ca_file, &ca.pem).unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let (count, log, zone) = (Arc::clone(&connections), Arc::clone(&seen), Arc::new(zone));
        let most = Arc::clone(&most_at_once);
        thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let Ok((tcp, _)) = listener.accept().await else {
                        continue;
                    };
                    count.fetch_add(1, Ordering::SeqCst);
                    let (acceptor, log, zone) = (acceptor.clone(), Arc::clone(&log), Arc::clone(&zone));
                    let most = Arc::clone(&most);
                    tokio::spawn(async move {
                        let Ok(tls) = acceptor.accept(tcp).await else {
                            return;
                        };
                        if behaviour == Behaviour::Http1Only {
                            serve_http1(tls, &zone, &log).await;
                        } else {
                            serve_h2(tls, behaviour, zone, log, most).await;
                        }
                    });
                }
            });
        });
        DohServer {
            addr,
            ca_file,
            connections,
            seen,
            most_at_once,
        }
    }

    /// `@ADDR -p PORT +https +tls-ca=CA`.
    pub(crate) fn at(&self) -> Vec<String> {
        vec![
            format!("@{}", self.addr.ip()),
            "-p".to_owned(),
            self.addr.port().to_string(),
            "+https".to_owned(),
            format!("+tls-ca={}", self.ca_file.display()),
        ]
    }
}

/// The reply to one DoH request: (status, content type, body).
fn respond(behaviour: Behaviour, zone: &Zone, seen: &Seen) -> (u16, &'static str, Vec<u8>) {
    match behaviour {
        Behaviour::Status(status) => (status, "text/plain", Vec::new()),
        Behaviour::Html => (200, "text/html", b"<html>no</html>".to_vec()),
        Behaviour::Answer | Behaviour::Http1Only | Behaviour::Slow(_) => {
            let query = Message::from_vec(&seen.query).unwrap();
            (
                200,
                "application/dns-message",
                zone.answer(&query).to_vec().unwrap(),
            )
        }
    }
}

fn query_of(method: &str, path: &str, body: Vec<u8>) -> Vec<u8> {
    if method == "GET" {
        let encoded = path.split("dns=").nth(1).unwrap_or_default();
        data_encoding::BASE64URL_NOPAD
            .decode(encoded.as_bytes())
            .unwrap_or_default()
    } else {
        body
    }
}

async fn serve_h2<T>(
    tls: T,
    behaviour: Behaviour,
    zone: Arc<Zone>,
    log: Arc<Mutex<Vec<Seen>>>,
    most: Arc<AtomicUsize>,
) where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let Ok(mut connection) = h2::server::handshake(tls).await else {
        return;
    };
    let in_flight = Arc::new(AtomicUsize::new(0));
    while let Some(Ok((request, respond_to))) = connection.accept().await {
        let (zone, log) = (Arc::clone(&zone), Arc::clone(&log));
        let (most, in_flight) = (Arc::clone(&most), Arc::clone(&in_flight));
        // Each request on its own task: the streams of one connection are answered at once.
        tokio::spawn(async move {
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            answer_h2(request, respond_to, behaviour, &zone, &log).await;
            in_flight.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

async fn answer_h2(
    request: http::Request<h2::RecvStream>,
    mut respond_to: h2::server::SendResponse<Bytes>,
    behaviour: Behaviour,
    zone: &Zone,
    log: &Mutex<Vec<Seen>>,
) {
    let (parts, mut body) = request.into_parts();
    let mut bytes = Vec::new();
    while let Some(Ok(chunk)) = body.data().await {
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    if let Behaviour::Slow(ms) = behaviour {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    let path = parts
        .uri
        .path_and_query()
        .map(ToString::to_string)
        .unwrap_or_default();
    let seen = Seen {
        method: parts.method.to_string(),
        content_type: parts
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        query: query_of(parts.method.as_str(), &path, bytes),
        path,
    };
    let (status, content_type, reply) = respond(behaviour, zone, &seen);
    log.lock().unwrap().push(seen);
    let response = http::Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("content-length", reply.len())
        .body(())
        .unwrap();
    let Ok(mut stream) = respond_to.send_response(response, reply.is_empty()) else {
        return;
    };
    if !reply.is_empty() {
        let _ = stream.send_data(Bytes::from(reply), true);
    }
}

async fn serve_http1<T>(mut tls: T, zone: &Zone, log: &Mutex<Vec<Seen>>)
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut buffer = Vec::new();
    loop {
        let end = loop {
            if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let mut chunk = [0u8; 4096];
            match tls.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        let mut words = head.split_whitespace();
        let (method, path) = (
            words.next().unwrap_or("").to_owned(),
            words.next().unwrap_or("").to_owned(),
        );
        let header = |name: &str| {
            head.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        };
        let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        while buffer.len() < end + length {
            let mut chunk = [0u8; 4096];
            match tls.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buffer[end..end + length].to_vec();
        buffer.drain(..end + length);
        let seen = Seen {
            content_type: header("content-type"),
            query: query_of(&method, &path, body),
            method,
            path,
        };
        let (status, content_type, reply) = respond(Behaviour::Http1Only, zone, &seen);
        log.lock().unwrap().push(seen);
        let head = format!(
            "HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            reply.len()
        );
        if tls.write_all(head.as_bytes()).await.is_err() || tls.write_all(&reply).await.is_err() {
            return;
        }
    }
}
