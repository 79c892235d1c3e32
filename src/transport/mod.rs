//! Moving query bytes to a server and reply bytes back.
//!
//! May use: dns.
//!
//! [`Transport`] is the seam between protocol logic and sockets: [`Net`] is the real
//! one (UDP and TCP through socket2), tests use fakes, and [`policy`] (retries, TC→TCP,
//! EDNS fallback) is written against the trait so it can be tested without a network.

pub mod doh;
pub(crate) mod policy;
mod tcp;
pub mod tls;
mod udp;

use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use hickory_proto::op::Message;
use serde::Serialize;

use crate::dns::wire::Awaited;

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// RFC 1035 §4.2.1.
    Udp,
    /// RFC 1035 §4.2.2 and RFC 7766: a 2-byte length before each message.
    Tcp,
    /// RFC 7858: the TCP framing inside TLS.
    Tls,
    /// RFC 8484: DNS messages as HTTP/2 (or HTTP/1.1) bodies, over TLS.
    Https,
}

impl Protocol {
    /// Lower-case name, as in the output.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Udp => "udp",
            Protocol::Tcp => "tcp",
            Protocol::Tls => "tls",
            Protocol::Https => "https",
        }
    }
}

/// One message to send and what its reply must look like.
#[derive(Debug)]
pub struct Request<'a> {
    /// UDP or TCP.
    pub protocol: Protocol,
    /// The encoded query.
    pub wire: &'a [u8],
    /// The server, ID and question the reply must match.
    pub expect: &'a Awaited,
    /// How long to wait for the reply.
    pub timeout: Duration,
    /// Set by whoever raced this query against others once one of them won: the
    /// exchange then gives up within [`CANCEL_CHECK`] with [`Failure::Abandoned`] (over
    /// TCP, once it is connected).
    pub cancel: Option<&'a AtomicBool>,
    /// Keep the reply's bytes in [`Reply::wire`] (a TSIG-signed query's reply is
    /// verified over them).
    pub keep_wire: bool,
    /// How to reach and judge a TLS server (with [`Protocol::Tls`] and [`Protocol::Https`]).
    pub tls: Option<&'a tls::TlsSettings>,
    /// The path and method of DNS over HTTPS (with [`Protocol::Https`]).
    pub https: Option<&'a doh::HttpsSettings>,
    /// `-b ADDR[#PORT]`: the local address (and port) to send from.
    pub source: Option<SocketAddr>,
}

/// How often a cancellable exchange looks at its flag while it waits.
pub const CANCEL_CHECK: Duration = Duration::from_millis(10);

/// An accepted reply.
#[derive(Debug)]
pub struct Reply {
    /// The decoded message.
    pub message: Message,
    /// Its size on the wire, in bytes.
    pub size: usize,
    /// From sending the query to receiving the reply.
    pub rtt: Duration,
    /// Messages that arrived meanwhile and were not the reply, with the reason.
    pub ignored: Vec<String>,
    /// The reply's bytes, when the request asked to keep them.
    pub wire: Option<Vec<u8>>,
    /// Over TLS: the session it came on.
    pub tls: Option<tls::TlsInfo>,
}

/// Why no reply was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing acceptable arrived in time.
    Timeout,
    /// The server refused the connection (TCP RST, or ICMP port unreachable).
    Refused,
    /// The server sent a reply that cannot be decoded.
    Malformed(String),
    /// Any other socket error.
    Io(String),
    /// No longer waited for: another server, asked at the same time, answered first.
    Abandoned,
    /// The TLS session could not be made: the certificate does not verify (and why),
    /// or the handshake failed.
    Tls(String),
    /// A DoH server answered, but not with a DNS message (an HTTP error status, another
    /// media type).
    Http(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Timeout => f.write_str("timed out"),
            Failure::Refused => f.write_str("connection refused"),
            Failure::Malformed(why) | Failure::Io(why) | Failure::Tls(why) | Failure::Http(why) => {
                f.write_str(why)
            }
            Failure::Abandoned => f.write_str("not waited for: another server answered first"),
        }
    }
}

/// A failed exchange.
#[derive(Debug)]
pub struct TransportError {
    /// What went wrong.
    pub failure: Failure,
    /// Messages that arrived and were not the reply.
    pub ignored: Vec<String>,
}

/// Sends one query and waits for its reply.
///
/// `&self` and `Sync`, so that independent queries (priming the root NS set while the
/// first referral is asked) can run at once from scoped threads.
pub trait Transport: Sync {
    /// Exchanges one message with `request.expect.server`.
    ///
    /// # Errors
    /// When no acceptable reply arrives: see [`Failure`].
    fn exchange(&self, request: &Request<'_>) -> Result<Reply, TransportError>;

    /// Sends `wire` to `server` over a new TCP connection and returns it, to read the
    /// many reply messages of a zone transfer. A transport that cannot (a test fake made
    /// for single queries) says so.
    ///
    /// # Errors
    /// When the connection cannot be made or the query not sent.
    fn open_stream(
        &self,
        server: SocketAddr,
        source: Option<SocketAddr>,
        wire: &[u8],
        timeout: Duration,
    ) -> Result<Box<dyn MessageStream>, Failure> {
        let _ = (server, source, wire, timeout);
        Err(Failure::Io("this transport carries no zone transfers".to_owned()))
    }
}

/// The reply messages of one connection, in the order they arrive.
pub trait MessageStream {
    /// The next message's bytes, or `None` when the server closed the connection
    /// between two messages.
    ///
    /// # Errors
    /// When nothing came within `timeout`, or the connection broke inside a message.
    fn next_message(&mut self, timeout: Duration) -> Result<Option<Vec<u8>>, Failure>;
}

/// The real network, with the TLS sessions it keeps for reuse.
#[derive(Debug, Default)]
pub struct Net {
    tls: tls::Pool,
    https: doh::Client,
}

impl Transport for Net {
    fn exchange(&self, request: &Request<'_>) -> Result<Reply, TransportError> {
        match request.protocol {
            Protocol::Udp => udp::exchange(request),
            Protocol::Tcp => tcp::exchange(request),
            Protocol::Tls => match request.tls {
                Some(settings) => tls::exchange(&self.tls, request, settings),
                None => Err(TransportError {
                    failure: Failure::Io("a TLS query without TLS settings".to_owned()),
                    ignored: Vec::new(),
                }),
            },
            Protocol::Https => match (request.tls, request.https) {
                (Some(tls), Some(https)) => self.https.exchange(request, tls, https),
                _ => Err(TransportError {
                    failure: Failure::Io("a DoH query without its settings".to_owned()),
                    ignored: Vec::new(),
                }),
            },
        }
    }

    fn open_stream(
        &self,
        server: SocketAddr,
        source: Option<SocketAddr>,
        wire: &[u8],
        timeout: Duration,
    ) -> Result<Box<dyn MessageStream>, Failure> {
        Ok(Box::new(tcp::open_stream(server, source, wire, timeout)?))
    }
}

/// An unconnected UDP socket of `server`'s family on an OS-chosen port.
///
/// # Errors
/// When the socket cannot be opened.
pub(crate) fn udp_socket(server: SocketAddr) -> std::io::Result<std::net::UdpSocket> {
    udp::open(server)
}

/// A duration in whole microseconds, as reports count time.
pub(crate) fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

/// Maps a socket error to a [`Failure`].
fn failure_of(error: &std::io::Error) -> Failure {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => Failure::Timeout,
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionReset => Failure::Refused,
        _ => Failure::Io(error.to_string()),
    }
}
