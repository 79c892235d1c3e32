//! TCP exchange (RFC 1035 §4.2.2, RFC 7766 §8): each message is preceded by its length
//! as two bytes in network order. Reads are bounded by one deadline for the whole
//! exchange, so a server that trickles bytes cannot hold dnscope past its timeout; a
//! raced exchange also stops reading within [`CANCEL_CHECK`] once told to. (The
//! connect itself is not cut short: std and socket2 have no resumable connect, and a
//! refused or unreachable one fails at once.)

use std::io::{BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol as SockProtocol, SockAddr, Socket, Type};

use super::{CANCEL_CHECK, Failure, Reply, Request, TransportError, failure_of};
use crate::dns::wire::Arrival;

pub(super) fn exchange(request: &Request<'_>) -> Result<Reply, TransportError> {
    let fail = |failure| TransportError {
        failure,
        ignored: Vec::new(),
    };
    let started = Instant::now();
    let deadline = started + request.timeout;
    let framed = framed(request.wire).map_err(fail)?;
    let mut stream = connect(request.expect.server, request).map_err(fail)?;
    stream.write_all(&framed).map_err(|e| fail(failure_of(&e)))?;
    read_reply(&mut BufReader::new(stream), request, started, deadline)
}

/// `wire` with its 2-byte length in front (RFC 1035 §4.2.2).
pub(super) fn framed(wire: &[u8]) -> Result<Vec<u8>, Failure> {
    let len =
        u16::try_from(wire.len()).map_err(|_| Failure::Io("query longer than 65535 bytes".to_owned()))?;
    let mut framed = Vec::with_capacity(wire.len() + 2);
    framed.extend_from_slice(&len.to_be_bytes());
    framed.extend_from_slice(wire);
    Ok(framed)
}

/// A byte stream whose reads a framed exchange can bound in time: a buffered TCP
/// connection, or a TLS session over one.
pub(super) trait Timed: Read {
    /// What the stream is, for a message about it closing.
    const NAME: &'static str;
    /// Makes the next read wait at most `wait`.
    ///
    /// # Errors
    /// When the socket refuses the timeout.
    fn wait_at_most(&mut self, wait: Duration) -> std::io::Result<()>;
    /// What a read error means.
    fn failure(error: &std::io::Error) -> Failure {
        failure_of(error)
    }
}

impl Timed for BufReader<TcpStream> {
    const NAME: &'static str = "TCP connection";

    fn wait_at_most(&mut self, wait: Duration) -> std::io::Result<()> {
        // Bytes already buffered need no wait (and no system call to set one).
        if self.buffer().is_empty() {
            self.get_ref().set_read_timeout(Some(wait))?;
        }
        Ok(())
    }
}

/// Reads framed messages until the reply to `request` comes, before `deadline`; the
/// others are counted as ignored.
pub(super) fn read_reply<R: Timed>(
    reader: &mut R,
    request: &Request<'_>,
    started: Instant,
    deadline: Instant,
) -> Result<Reply, TransportError> {
    let mut ignored = Vec::new();
    let fail = |failure, ignored| TransportError { failure, ignored };
    loop {
        let mut length = [0u8; 2];
        read_full(reader, &mut length, deadline, request.cancel).map_err(|f| {
            fail(
                closed_before::<R>(f, "the length of a reply"),
                std::mem::take(&mut ignored),
            )
        })?;
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(length))];
        read_full(reader, &mut body, deadline, request.cancel).map_err(|f| {
            fail(
                closed_before::<R>(f, &format!("the {}-byte reply", body.len())),
                std::mem::take(&mut ignored),
            )
        })?;
        let rtt = started.elapsed();
        match request.expect.judge(request.expect.server, &body) {
            Arrival::Reply(message) => {
                return Ok(Reply {
                    message: *message,
                    size: body.len(),
                    rtt,
                    ignored,
                    wire: request.keep_wire.then_some(body),
                    tls: None,
                });
            }
            Arrival::Ignored(why) => ignored.push(why),
            Arrival::Malformed(why) => return Err(fail(Failure::Malformed(why), ignored)),
        }
    }
}

/// Connects to `server`, sends `wire`, and returns the connection to read the reply
/// messages from: a zone transfer's many.
pub(super) fn open_stream(
    server: SocketAddr,
    source: Option<SocketAddr>,
    wire: &[u8],
    timeout: Duration,
) -> Result<Messages, Failure> {
    let framed = framed(wire)?;
    let mut stream = connect_within(server, source, timeout)?;
    stream.write_all(&framed).map_err(|e| failure_of(&e))?;
    Ok(Messages {
        reader: BufReader::with_capacity(64 * 1024, stream),
    })
}

/// The reply messages of one TCP connection, each read within its own deadline.
#[derive(Debug)]
pub(crate) struct Messages {
    reader: BufReader<TcpStream>,
}

impl super::MessageStream for Messages {
    fn next_message(&mut self, timeout: Duration) -> Result<Option<Vec<u8>>, Failure> {
        let deadline = Instant::now() + timeout;
        let mut length = [0u8; 2];
        match read_full(&mut self.reader, &mut length, deadline, None) {
            Ok(()) => {}
            // Closed between two messages: the stream ended, which the caller judges.
            Err(ReadStop::Closed { got: 0 }) => return Ok(None),
            Err(stop) => {
                return Err(closed_before::<BufReader<TcpStream>>(
                    stop,
                    "the length of a message",
                ));
            }
        }
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(length))];
        read_full(&mut self.reader, &mut body, deadline, None).map_err(|stop| {
            closed_before::<BufReader<TcpStream>>(stop, &format!("a {}-byte message", body.len()))
        })?;
        Ok(Some(body))
    }
}

fn connect(server: SocketAddr, request: &Request<'_>) -> Result<TcpStream, Failure> {
    connect_within(server, request.source, request.timeout)
}

/// A TCP connection to `server`, from `source` when given (`-b`).
pub(super) fn connect_within(
    server: SocketAddr,
    source: Option<SocketAddr>,
    timeout: Duration,
) -> Result<TcpStream, Failure> {
    let socket = Socket::new(Domain::for_address(server), Type::STREAM, Some(SockProtocol::TCP))
        .map_err(|e| Failure::Io(format!("cannot open a TCP socket: {e}")))?;
    if let Some(source) = source {
        socket
            .bind(&SockAddr::from(source))
            .map_err(|e| Failure::Io(format!("cannot bind to {source}: {e}")))?;
    }
    socket
        .connect_timeout(&SockAddr::from(server), timeout)
        .map_err(|e| failure_of(&e))?;
    socket
        .set_tcp_nodelay(true)
        .map_err(|e| Failure::Io(e.to_string()))?;
    socket
        .set_write_timeout(Some(timeout))
        .map_err(|e| Failure::Io(e.to_string()))?;
    Ok(socket.into())
}

/// Why a read stopped: the deadline, the peer closing, or a socket error.
enum ReadStop {
    Failure(Failure),
    Closed { got: usize },
}

fn closed_before<R: Timed>(stop: ReadStop, what: &str) -> Failure {
    match stop {
        ReadStop::Failure(f) => f,
        ReadStop::Closed { got } => Failure::Malformed(format!(
            "server closed the {} after {got} bytes of {what}",
            R::NAME
        )),
    }
}

/// Fills `buffer`, however the bytes are split across segments, before `deadline`,
/// unless `cancel` is set first.
fn read_full<R: Timed>(
    reader: &mut R,
    buffer: &mut [u8],
    deadline: Instant,
    cancel: Option<&AtomicBool>,
) -> Result<(), ReadStop> {
    let mut got = 0;
    while got < buffer.len() {
        let now = Instant::now();
        if now >= deadline {
            return Err(ReadStop::Failure(Failure::Timeout));
        }
        let wait = match cancel {
            Some(flag) if flag.load(Ordering::Relaxed) => return Err(ReadStop::Failure(Failure::Abandoned)),
            Some(_) => (deadline - now).min(CANCEL_CHECK),
            None => deadline - now,
        };
        reader
            .wait_at_most(wait)
            .map_err(|e| ReadStop::Failure(Failure::Io(e.to_string())))?;
        match reader.read(&mut buffer[got..]) {
            Ok(0) => return Err(ReadStop::Closed { got }),
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => match R::failure(&e) {
                // A slice of the wait ended: look at the flag and the deadline again.
                Failure::Timeout => {}
                other => return Err(ReadStop::Failure(other)),
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use Duration;
    use std::net::TcpListener;

    use super::*;
    use crate::dns::wire::{self, QueryFlags, Question};

    #[test]
    fn a_raced_tcp_exchange_stops_reading_once_told_to() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = listener.local_addr().unwrap();
        // Accepts and holds the connection without a word.
        let holder = std::thread::spawn(move || listener.accept().map(|(stream, _)| stream));
        let question = Question {
            name: hickory_proto::rr::Name::from_ascii("example.test.").unwrap(),
            rtype: hickory_proto::rr::RecordType::A,
            class: hickory_proto::rr::DNSClass::IN,
        };
        let bytes = wire::build_query(&question, &QueryFlags::recursive(None), 7).unwrap();
        let expect = wire::Awaited {
            server,
            id: 7,
            question,
            opcode: 0,
            header_only: false,
        };
        let cancel = AtomicBool::new(false);
        let started = Instant::now();
        let result = std::thread::scope(|scope| {
            scope.spawn(|| {
                std::thread::sleep(Duration::from_millis(50));
                cancel.store(true, Ordering::Relaxed);
            });
            exchange(&Request {
                protocol: super::super::Protocol::Tcp,
                wire: &bytes,
                expect: &expect,
                timeout: Duration::from_secs(5),
                cancel: Some(&cancel),
                keep_wire: false,
                tls: None,
                https: None,
                source: None,
            })
        });
        let took = started.elapsed();
        assert_eq!(result.unwrap_err().failure, Failure::Abandoned);
        // Told after 50 ms: well before the 5 s timeout.
        assert!(took < Duration::from_secs(2), "{took:?}");
        drop(holder.join());
    }
}
