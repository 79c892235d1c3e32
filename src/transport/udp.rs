//! UDP exchange (RFC 1035 §4.2.1).
//!
//! The socket is deliberately not connected: a connected socket lets the kernel drop
//! datagrams from other sources silently, and dnscope wants to see and count them
//! (spoofing attempts, servers answering from another address). Every datagram is
//! judged by [`Awaited::judge`](crate::dns::wire::Awaited::judge).

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::Ordering;
use std::time::Instant;

use socket2::{Domain, Protocol as SockProtocol, Socket, Type};

use super::{CANCEL_CHECK, Failure, Reply, Request, TransportError, failure_of};
use crate::dns::wire::Arrival;

/// The largest UDP payload there is.
const MAX_DATAGRAM: usize = 65_535;

pub(super) fn exchange(request: &Request<'_>) -> Result<Reply, TransportError> {
    let server = request.expect.server;
    let fail = |failure, ignored| TransportError { failure, ignored };
    let socket = open_from(server, request.source).map_err(|e| {
        fail(
            Failure::Io(format!(
                "cannot open a UDP socket{}: {e}",
                bound_to(request.source)
            )),
            vec![],
        )
    })?;
    let started = Instant::now();
    socket
        .send_to(request.wire, server)
        .map_err(|e| fail(failure_of(&e), vec![]))?;

    BUFFER.with_borrow_mut(|buffer| {
        if buffer.len() < MAX_DATAGRAM {
            buffer.resize(MAX_DATAGRAM, 0);
        }
        receive(request, &socket, started, buffer)
    })
}

thread_local! {
    /// One receive buffer per thread: zeroing 64 KiB for every query showed up as a
    /// tenth of a batch's time.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn receive(
    request: &Request<'_>,
    socket: &UdpSocket,
    started: Instant,
    buffer: &mut [u8],
) -> Result<Reply, TransportError> {
    let fail = |failure, ignored| TransportError { failure, ignored };
    let deadline = started + request.timeout;
    let mut ignored = Vec::new();
    let mut malformed = None;
    loop {
        let now = Instant::now();
        if now >= deadline {
            return Err(fail(
                malformed.map_or(Failure::Timeout, Failure::Malformed),
                ignored,
            ));
        }
        let wait = match request.cancel {
            Some(cancel) if cancel.load(Ordering::Relaxed) => return Err(fail(Failure::Abandoned, ignored)),
            Some(_) => (deadline - now).min(CANCEL_CHECK),
            None => deadline - now,
        };
        if let Err(e) = socket.set_read_timeout(Some(wait)) {
            return Err(fail(Failure::Io(e.to_string()), ignored));
        }
        let (len, from) = match socket.recv_from(buffer) {
            Ok(received) => received,
            Err(e) => match failure_of(&e) {
                Failure::Timeout => continue,
                other => return Err(fail(other, ignored)),
            },
        };
        let rtt = started.elapsed();
        match request.expect.judge(from, &buffer[..len]) {
            Arrival::Reply(message) => {
                return Ok(Reply {
                    message: *message,
                    size: len,
                    rtt,
                    ignored,
                    wire: request.keep_wire.then(|| buffer[..len].to_vec()),
                    tls: None,
                });
            }
            Arrival::Ignored(why) => ignored.push(why),
            Arrival::Malformed(why) => {
                ignored.push(why.clone());
                malformed = Some(why);
            }
        }
    }
}

/// An unconnected socket of the server's address family on an OS-chosen port.
pub(super) fn open(server: SocketAddr) -> std::io::Result<UdpSocket> {
    open_from(server, None)
}

/// An unconnected socket bound to `source` (`-b`), else to the server's family's
/// unspecified address and an OS-chosen port.
fn open_from(server: SocketAddr, source: Option<SocketAddr>) -> std::io::Result<UdpSocket> {
    let socket = Socket::new(Domain::for_address(server), Type::DGRAM, Some(SockProtocol::UDP))?;
    let local: SocketAddr = source.unwrap_or(match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    });
    socket.bind(&local.into())?;
    Ok(socket.into())
}

/// `" from ADDR"` for an error about a socket bound with `-b`.
fn bound_to(source: Option<SocketAddr>) -> String {
    source.map(|s| format!(" from {s}")).unwrap_or_default()
}
