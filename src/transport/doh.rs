//! DNS over HTTPS (RFC 8484): the query as an `application/dns-message` body (POST) or a
//! `?dns=` base64url parameter (GET), over HTTP/2, or HTTP/1.1 when the server's ALPN
//! offers only that.
//!
//! HTTP/2 needs an async runtime: no synchronous HTTP/2 client is kept up, and the `h2`
//! crate runs on tokio. So this module, and nothing else of dnscope, runs a
//! current-thread tokio runtime, on a thread of its own made the first time a DoH query
//! is sent and kept with its connections for the rest of the run: later queries to the
//! same server are streams of the same HTTP/2 connection (a batch's, at once), and an
//! HTTP/1.1 connection is kept alive. The caller blocks on its own query's reply. TLS and
//! its verification are the DoT transport's ([`super::tls`]), through tokio-rustls.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use data_encoding::BASE64URL_NOPAD;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::tls::{self, TlsInfo, TlsSettings};
use super::{Failure, Reply, Request, TransportError};
use crate::dns::wire::Arrival;

/// RFC 8484 §6.
const MEDIA_TYPE: &str = "application/dns-message";
/// The largest HTTP/1.1 header block read.
const MAX_HEAD: usize = 16 * 1024;
/// The most idle HTTP/1.1 connections kept per server.
const IDLE_HTTP1: usize = 8;

/// How DoH queries are sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsSettings {
    /// The URI path, `/dns-query` by default.
    pub path: String,
    /// GET with `?dns=` instead of POST (`+https-get`).
    pub get: bool,
}

/// The DoH side of a run: a thread with a current-thread tokio runtime, started by the
/// first DoH query, which serves every DoH query of the run. Each query is a task on it,
/// so a batch's queries to one server go out at once as HTTP/2 streams of one
/// connection; the callers block on their own reply.
#[derive(Default)]
pub(crate) struct Client {
    worker: std::sync::OnceLock<Result<Worker, String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("doh::Client")
    }
}

type Worker = tokio::sync::mpsc::UnboundedSender<Job>;

/// One query for the worker, with where to send what came of it.
struct Job {
    server: SocketAddr,
    source: Option<SocketAddr>,
    tls: TlsSettings,
    https: HttpsSettings,
    wire: Vec<u8>,
    timeout: Duration,
    reply: std::sync::mpsc::SyncSender<Result<Answered, Failure>>,
}

/// A response body, the time it took, and the session it came on.
type Answered = (Vec<u8>, Duration, TlsInfo);

/// The connections of one server (and verified name).
#[derive(Default)]
struct Slot {
    /// The HTTP/2 connection every query shares.
    h2: Option<Connection>,
    /// Idle HTTP/1.1 connections, one query at a time each.
    http1: Vec<Connection>,
}

type Slots = Mutex<HashMap<(SocketAddr, Option<String>), Arc<tokio::sync::Mutex<Slot>>>>;

struct Connection {
    server: SocketAddr,
    name: Option<String>,
    link: Link,
    info: TlsInfo,
}

enum Link {
    H2(h2::client::SendRequest<Bytes>),
    Http1(Box<TlsStream<TcpStream>>),
}

impl Slot {
    /// A connection an earlier query opened: a handle on the HTTP/2 one, or an idle
    /// HTTP/1.1 one, marked reused.
    fn reusable(&mut self) -> Option<Connection> {
        let mut connection = match self.h2.as_ref().and_then(Connection::shared) {
            Some(shared) => shared,
            None => self.http1.pop()?,
        };
        connection.info.reused = true;
        Some(connection)
    }
}

impl Connection {
    /// Another handle on an HTTP/2 connection (streams multiplex); `None` for HTTP/1.1.
    fn shared(&self) -> Option<Connection> {
        match &self.link {
            Link::H2(send) => Some(Connection {
                server: self.server,
                name: self.name.clone(),
                link: Link::H2(send.clone()),
                info: self.info.clone(),
            }),
            Link::Http1(_) => None,
        }
    }
}

impl Client {
    /// One query over HTTPS.
    pub(super) fn exchange(
        &self,
        request: &Request<'_>,
        tls: &TlsSettings,
        https: &HttpsSettings,
    ) -> Result<Reply, TransportError> {
        let fail = |failure| TransportError {
            failure,
            ignored: Vec::new(),
        };
        let worker = self
            .worker
            .get_or_init(start)
            .as_ref()
            .map_err(|why| fail(Failure::Io(why.clone())))?;
        let server = request.expect.server;
        let started = Instant::now();
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        let job = Job {
            server,
            source: request.source,
            tls: tls.clone(),
            https: https.clone(),
            wire: request.wire.to_vec(),
            timeout: request.timeout,
            reply,
        };
        worker
            .send(job)
            .map_err(|_| fail(Failure::Io("the DoH worker has stopped".to_owned())))?;
        // The worker ends the job at its timeout; the margin only covers a stopped worker.
        let (body, took, mut info) = answer
            .recv_timeout(request.timeout + Duration::from_secs(1))
            .unwrap_or(Err(Failure::Timeout))
            .map_err(fail)?;
        info.answer_us = super::micros(took);
        match request.expect.judge(server, &body) {
            Arrival::Reply(message) => Ok(Reply {
                message: *message,
                size: body.len(),
                rtt: started.elapsed(),
                ignored: Vec::new(),
                wire: request.keep_wire.then_some(body),
                tls: Some(info),
            }),
            // The HTTP exchange pairs the reply with its query: anything else is wrong.
            Arrival::Ignored(why) | Arrival::Malformed(why) => Err(fail(Failure::Malformed(format!(
                "the HTTP response is not the reply: {why}"
            )))),
        }
    }
}

/// Starts the worker thread and its runtime.
fn start() -> Result<Worker, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the DoH runtime: {e}"))?;
    let (jobs, mut queue) = tokio::sync::mpsc::unbounded_channel::<Job>();
    std::thread::Builder::new()
        .name("dnscope-doh".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let slots: Arc<Slots> = Arc::default();
                while let Some(job) = queue.recv().await {
                    let slots = Arc::clone(&slots);
                    tokio::spawn(async move {
                        let result = tokio::time::timeout(job.timeout, run(&slots, &job))
                            .await
                            .unwrap_or(Err(Failure::Timeout));
                        let _ = job.reply.send(result);
                    });
                }
            });
        })
        .map_err(|e| format!("cannot start the DoH thread: {e}"))?;
    Ok(jobs)
}

/// One job: on the server's HTTP/2 connection (or an idle HTTP/1.1 one) if there is one
/// that still works, else on a new one. New connections to a server are made one at a
/// time, so that queries sent together share the first.
async fn run(slots: &Slots, job: &Job) -> Result<Answered, Failure> {
    let slot = {
        let mut slots = slots
            .lock()
            .map_err(|_| Failure::Io("the DoH pool failed".to_owned()))?;
        Arc::clone(
            slots
                .entry((job.server, job.tls.server_name.clone()))
                .or_default(),
        )
    };
    let kept = slot.lock().await.reusable();
    if let Some(mut connection) = kept {
        match ask(&mut connection, &job.wire, &job.https).await {
            Ok((body, took)) => {
                let info = connection.info.clone();
                keep(&slot, connection).await;
                return Ok((body, took, info));
            }
            // A kept connection the server has closed: forget it, open a new one.
            Err(Failure::Refused | Failure::Malformed(_) | Failure::Io(_)) => {
                slot.lock().await.h2 = None;
            }
            Err(other) => return Err(other),
        }
    }
    let mut connection = {
        let mut held = slot.lock().await;
        // One made meanwhile by a query that held the slot first, or a new one.
        match held.reusable() {
            Some(connection) => connection,
            None => {
                let connection = connect(job.server, job.source, &job.tls, job.timeout).await?;
                held.h2 = connection.shared();
                connection
            }
        }
    };
    let (body, took) = ask(&mut connection, &job.wire, &job.https).await?;
    let info = connection.info.clone();
    keep(&slot, connection).await;
    Ok((body, took, info))
}

/// Puts an HTTP/1.1 connection back among the idle ones (an HTTP/2 one is in the slot).
async fn keep(slot: &tokio::sync::Mutex<Slot>, connection: Connection) {
    if matches!(connection.link, Link::Http1(_)) {
        let mut slot = slot.lock().await;
        if slot.http1.len() < IDLE_HTTP1 {
            slot.http1.push(connection);
        }
    }
}

/// Connects, completes the TLS handshake offering `h2` and `http/1.1`, and, for HTTP/2,
/// the HTTP/2 handshake, whose connection task runs on the runtime from then on.
async fn connect(
    server: SocketAddr,
    source: Option<SocketAddr>,
    settings: &TlsSettings,
    timeout: Duration,
) -> Result<Connection, Failure> {
    let config = tls::config(settings, &[b"h2", b"http/1.1"])?;
    let name = tls::server_name(server, settings)?;
    let started = Instant::now();
    let socket = if server.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    }
    .map_err(|e| Failure::Io(format!("cannot open a TCP socket: {e}")))?;
    if let Some(source) = source {
        socket
            .bind(source)
            .map_err(|e| Failure::Io(format!("cannot bind to {source}: {e}")))?;
    }
    let tcp = tokio::time::timeout(timeout, socket.connect(server))
        .await
        .map_err(|_| Failure::Timeout)?
        .map_err(|e| super::failure_of(&e))?;
    tcp.set_nodelay(true).map_err(|e| Failure::Io(e.to_string()))?;
    let connected = started.elapsed();
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| tls::tls_failure(&e))?;
    let handshake = started.elapsed() - connected;
    let info = tls::session_info(stream.get_ref().1, settings.verify, connected, handshake);
    let link = if info.alpn.as_deref() == Some("h2") {
        let (send, driver) = h2::client::handshake(stream)
            .await
            .map_err(|e| Failure::Io(format!("HTTP/2 handshake failed: {e}")))?;
        tokio::spawn(async move {
            // Ends when the server closes the connection; the next query reconnects.
            let _ = driver.await;
        });
        Link::H2(send)
    } else {
        Link::Http1(Box::new(stream))
    };
    Ok(Connection {
        server,
        name: settings.server_name.clone(),
        link,
        info,
    })
}

/// Sends the query on `connection`; the response body and the time it took.
async fn ask(
    connection: &mut Connection,
    wire: &[u8],
    https: &HttpsSettings,
) -> Result<(Vec<u8>, Duration), Failure> {
    let authority = authority(connection);
    let sent = Instant::now();
    let (status, content_type, body) = match &mut connection.link {
        Link::H2(send) => h2_exchange(send, &authority, wire, https).await?,
        Link::Http1(stream) => http1_exchange(stream, &authority, wire, https).await?,
    };
    judge_response(status, content_type.as_deref(), &body)?;
    Ok((body, sent.elapsed()))
}

/// The `:authority` (or `Host`): the name verified, else the address; with the port
/// unless it is 443.
fn authority(connection: &Connection) -> String {
    let host = match &connection.name {
        Some(name) => name.clone(),
        None if connection.server.is_ipv6() => format!("[{}]", connection.server.ip()),
        None => connection.server.ip().to_string(),
    };
    match connection.server.port() {
        443 => host,
        port => format!("{host}:{port}"),
    }
}

/// The path of the request: the query as `?dns=` base64url without padding (RFC 8484
/// §4.1) for GET, the plain path for POST.
fn target(https: &HttpsSettings, wire: &[u8]) -> String {
    if https.get {
        let separator = if https.path.contains('?') { '&' } else { '?' };
        format!("{}{separator}dns={}", https.path, BASE64URL_NOPAD.encode(wire))
    } else {
        https.path.clone()
    }
}

async fn h2_exchange(
    send: &mut h2::client::SendRequest<Bytes>,
    authority: &str,
    wire: &[u8],
    https: &HttpsSettings,
) -> Result<(u16, Option<String>, Vec<u8>), Failure> {
    let h2_failure = |e: h2::Error| {
        if e.is_io() || e.is_go_away() {
            Failure::Refused
        } else {
            Failure::Malformed(format!("HTTP/2: {e}"))
        }
    };
    let uri = format!("https://{authority}{}", target(https, wire));
    let mut builder = http::Request::builder().uri(uri).header("accept", MEDIA_TYPE);
    builder = if https.get {
        builder.method("GET")
    } else {
        builder
            .method("POST")
            .header("content-type", MEDIA_TYPE)
            .header("content-length", wire.len())
    };
    let request = builder
        .body(())
        .map_err(|e| Failure::Io(format!("cannot build the HTTP request: {e}")))?;
    let mut ready = send.clone().ready().await.map_err(h2_failure)?;
    let (response, mut stream) = ready.send_request(request, https.get).map_err(h2_failure)?;
    if !https.get {
        stream
            .send_data(Bytes::copy_from_slice(wire), true)
            .map_err(h2_failure)?;
    }
    let response = response.await.map_err(h2_failure)?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut body = response.into_body();
    let mut bytes = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.map_err(h2_failure)?;
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
        if bytes.len() > usize::from(u16::MAX) {
            return Err(Failure::Malformed(
                "an HTTP response longer than any DNS message".to_owned(),
            ));
        }
    }
    Ok((status, content_type, bytes))
}

async fn http1_exchange(
    stream: &mut TlsStream<TcpStream>,
    authority: &str,
    wire: &[u8],
    https: &HttpsSettings,
) -> Result<(u16, Option<String>, Vec<u8>), Failure> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => Failure::Refused,
        _ => super::failure_of(&e),
    };
    let method = if https.get { "GET" } else { "POST" };
    let mut head = format!(
        "{method} {} HTTP/1.1\r\nHost: {authority}\r\nAccept: {MEDIA_TYPE}\r\n",
        target(https, wire)
    );
    if !https.get {
        head.push_str(&format!(
            "Content-Type: {MEDIA_TYPE}\r\nContent-Length: {}\r\n",
            wire.len()
        ));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    if !https.get {
        out.extend_from_slice(wire);
    }
    stream.write_all(&out).await.map_err(io)?;
    stream.flush().await.map_err(io)?;
    // The head, up to the blank line.
    let mut received = Vec::new();
    let end = loop {
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if received.len() > MAX_HEAD {
            return Err(Failure::Malformed(
                "an HTTP/1.1 response head of more than 16 KiB".to_owned(),
            ));
        }
        let mut buffer = [0u8; 4096];
        let n = stream.read(&mut buffer).await.map_err(io)?;
        if n == 0 {
            return Err(Failure::Refused);
        }
        received.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&received[..end]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| Failure::Malformed("not an HTTP/1.1 response".to_owned()))?;
    let header = |name: &str| {
        head.lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        return Err(Failure::Malformed(
            "a chunked HTTP/1.1 response (DoH replies carry a Content-Length)".to_owned(),
        ));
    }
    let length = header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n <= usize::from(u16::MAX))
        .ok_or_else(|| {
            Failure::Malformed("an HTTP/1.1 response without a usable Content-Length".to_owned())
        })?;
    let mut body = received[end..].to_vec();
    while body.len() < length {
        let mut buffer = vec![0u8; length - body.len()];
        let n = stream.read(&mut buffer).await.map_err(io)?;
        if n == 0 {
            return Err(Failure::Malformed(format!(
                "the server closed the connection after {} of {length} body bytes",
                body.len()
            )));
        }
        body.extend_from_slice(&buffer[..n]);
    }
    body.truncate(length);
    Ok((status, header("content-type"), body))
}

/// An HTTP status other than 200, or a body that is not a DNS message, is the server's
/// refusal, said plainly (RFC 8484 §4.2.1).
fn judge_response(status: u16, content_type: Option<&str>, body: &[u8]) -> Result<(), Failure> {
    if status != 200 {
        let meaning = match status {
            400 => " Bad Request: the server could not read the query",
            404 => " Not Found: no DoH service at this path (+https=PATH sets it)",
            405 => " Method Not Allowed (+https-get or +https-post switches the method)",
            413 => " Payload Too Large",
            414 => " URI Too Long (a GET query too long for the server; POST is the default)",
            415 => " Unsupported Media Type: the server does not take application/dns-message",
            429 => " Too Many Requests",
            500..=599 => ": the server failed",
            _ => "",
        };
        return Err(Failure::Http(format!(
            "the server answered HTTP {status}{meaning}"
        )));
    }
    let media = content_type.map(|c| c.split(';').next().unwrap_or(c).trim().to_ascii_lowercase());
    if media.as_deref() != Some(MEDIA_TYPE) {
        return Err(Failure::Http(format!(
            "the HTTP response is {}, not {MEDIA_TYPE} ({} bytes)",
            content_type.unwrap_or("of no content type"),
            body.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_get_carries_the_query_in_base64url_without_padding() {
        let get = HttpsSettings {
            path: "/dns-query".to_owned(),
            get: true,
        };
        // RFC 8484 §4.1.1's example query.
        let wire = data_encoding::HEXLOWER
            .decode(b"abcd0100000100000000000003777777076578616d706c6503636f6d0000010001")
            .unwrap();
        assert_eq!(
            target(&get, &wire),
            "/dns-query?dns=q80BAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"
        );
        let post = HttpsSettings { get: false, ..get };
        assert_eq!(target(&post, &wire), "/dns-query");
    }

    #[test]
    fn http_errors_and_other_media_types_are_said_plainly() {
        let said = |status, content_type: Option<&str>| {
            judge_response(status, content_type, b"x")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            said(415, None),
            "the server answered HTTP 415 Unsupported Media Type: the server does not take application/dns-message"
        );
        assert!(said(400, None).contains("Bad Request"));
        assert!(said(404, None).contains("+https=PATH"));
        assert_eq!(
            said(200, Some("text/html; charset=utf-8")),
            "the HTTP response is text/html; charset=utf-8, not application/dns-message (1 bytes)"
        );
        assert!(judge_response(200, Some("application/dns-message"), b"x").is_ok());
        assert!(judge_response(200, Some("Application/DNS-Message; q=1"), b"x").is_ok());
    }
}
