//! TCP exchange (RFC 1035 §4.2.2, RFC 7766 §8): each message is preceded by its length
//! as two bytes in network order. Reads are bounded by one deadline for the whole
//! exchange, so a server that trickles bytes cannot hold dnscope past its timeout.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use socket2::{Domain, Protocol as SockProtocol, SockAddr, Socket, Type};

use super::{Failure, Reply, Request, TransportError, failure_of};
use crate::dns::wire::Arrival;

pub(super) fn exchange(request: &Request<'_>) -> Result<Reply, TransportError> {
    let server = request.expect.server;
    let started = Instant::now();
    let deadline = started + request.timeout;
    let mut ignored = Vec::new();
    let mut stream = connect(server, request).map_err(|failure| TransportError {
        failure,
        ignored: vec![],
    })?;
    let fail = |failure, ignored| TransportError { failure, ignored };

    let Ok(len) = u16::try_from(request.wire.len()) else {
        return Err(fail(
            Failure::Io("query longer than 65535 bytes".to_owned()),
            ignored,
        ));
    };
    let mut framed = Vec::with_capacity(request.wire.len() + 2);
    framed.extend_from_slice(&len.to_be_bytes());
    framed.extend_from_slice(request.wire);
    stream
        .write_all(&framed)
        .map_err(|e| fail(failure_of(&e), vec![]))?;

    loop {
        let mut length = [0u8; 2];
        read_full(&mut stream, &mut length, deadline).map_err(|f| {
            fail(
                closed_before(f, "the length of a reply"),
                std::mem::take(&mut ignored),
            )
        })?;
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(length))];
        read_full(&mut stream, &mut body, deadline).map_err(|f| {
            fail(
                closed_before(f, &format!("the {}-byte reply", body.len())),
                std::mem::take(&mut ignored),
            )
        })?;
        let rtt = started.elapsed();
        match request.expect.judge(server, &body) {
            Arrival::Reply(message) => {
                return Ok(Reply {
                    message: *message,
                    size: body.len(),
                    rtt,
                    ignored,
                });
            }
            Arrival::Ignored(why) => ignored.push(why),
            Arrival::Malformed(why) => return Err(fail(Failure::Malformed(why), ignored)),
        }
    }
}

fn connect(server: SocketAddr, request: &Request<'_>) -> Result<TcpStream, Failure> {
    let socket = Socket::new(Domain::for_address(server), Type::STREAM, Some(SockProtocol::TCP))
        .map_err(|e| Failure::Io(format!("cannot open a TCP socket: {e}")))?;
    socket
        .connect_timeout(&SockAddr::from(server), request.timeout)
        .map_err(|e| failure_of(&e))?;
    socket
        .set_tcp_nodelay(true)
        .map_err(|e| Failure::Io(e.to_string()))?;
    socket
        .set_write_timeout(Some(request.timeout))
        .map_err(|e| Failure::Io(e.to_string()))?;
    Ok(socket.into())
}

/// Why a read stopped: the deadline, the peer closing, or a socket error.
enum ReadStop {
    Failure(Failure),
    Closed { got: usize },
}

fn closed_before(stop: ReadStop, what: &str) -> Failure {
    match stop {
        ReadStop::Failure(f) => f,
        ReadStop::Closed { got } => Failure::Malformed(format!(
            "server closed the TCP connection after {got} bytes of {what}"
        )),
    }
}

/// Fills `buffer`, however the bytes are split across segments, before `deadline`.
fn read_full(stream: &mut TcpStream, buffer: &mut [u8], deadline: Instant) -> Result<(), ReadStop> {
    let mut got = 0;
    while got < buffer.len() {
        let now = Instant::now();
        if now >= deadline {
            return Err(ReadStop::Failure(Failure::Timeout));
        }
        stream
            .set_read_timeout(Some(deadline - now))
            .map_err(|e| ReadStop::Failure(Failure::Io(e.to_string())))?;
        match stream.read(&mut buffer[got..]) {
            Ok(0) => return Err(ReadStop::Closed { got }),
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ReadStop::Failure(failure_of(&e))),
        }
    }
    Ok(())
}
