//! How one query is carried to an answer: which server, how many tries, when to switch
//! to TCP, when to drop EDNS. Written against [`Transport`] so every branch is tested
//! with a scripted fake.
//!
//! The rules follow dig: each server gets `tries` attempts over UDP (or TCP with
//! `+tcp`); a truncated UDP reply is asked again over TCP at once unless `+ignore`; a
//! FORMERR, NOTIMP or BADVERS reply to an EDNS query is asked again once without EDNS
//! (RFC 6891 §7); a refused connection moves on to the next server without more tries.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Serialize;

use super::{Failure, Protocol, Reply, Request, Transport, micros};
use crate::dns::tsig;
use crate::dns::wire::{self, Awaited, QueryFlags, Question};

/// The transport settings of a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// Start with TCP (`+tcp`).
    pub tcp: bool,
    /// Keep a truncated UDP reply (`+ignore`).
    pub ignore_truncation: bool,
    /// Attempts per server, at least 1.
    pub tries: u32,
    /// Wait per attempt.
    pub timeout: Duration,
    /// `+tls`: every query over TLS (RFC 7858), judged so; with `+https` the TLS of
    /// DNS over HTTPS.
    pub tls: Option<super::tls::TlsSettings>,
    /// `+https`: every query over HTTPS (RFC 8484).
    pub https: Option<super::doh::HttpsSettings>,
    /// `-b ADDR[#PORT]`: send from this address.
    pub source: Option<SocketAddr>,
}

/// What happened to one attempt that did not end the lookup, or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Attempt {
    /// The server asked.
    pub server: SocketAddr,
    /// How.
    pub protocol: Protocol,
    /// What came of it: an rcode mnemonic, or what went wrong.
    pub outcome: std::borrow::Cow<'static, str>,
    /// Round-trip time, when a reply came.
    pub rtt_us: Option<u64>,
}

/// A lookup that got its reply.
#[derive(Debug)]
pub(crate) struct Completed {
    /// The reply.
    pub reply: Reply,
    /// Who sent it.
    pub server: SocketAddr,
    /// Over what.
    pub protocol: Protocol,
    /// The header bits and EDNS of the query that got it (EDNS may have been dropped).
    pub flags: QueryFlags,
    /// Every attempt, the final one included.
    pub attempts: Vec<Attempt>,
    /// Messages received and not accepted, over all attempts.
    pub ignored: Vec<String>,
    /// The rcode with which the server refused the query's EDNS (FORMERR, NOTIMP,
    /// BADVERS), when the reply came only once EDNS was left out.
    pub edns_rejected: Option<u16>,
    /// With a TSIG key: whether the reply's TSIG verified, and why not.
    pub tsig: Option<Result<(), tsig::Problem>>,
    /// The bytes of the query that got the reply (`+qr` shows them).
    pub query: Vec<u8>,
}

/// A lookup that got no usable reply.
#[derive(Debug)]
pub(crate) struct Failed {
    /// Every attempt.
    pub attempts: Vec<Attempt>,
    /// Messages received and not accepted.
    pub ignored: Vec<String>,
    /// The last failure.
    pub last: Failure,
    /// Attempts that ended having seen only malformed replies from the server.
    pub malformed: usize,
}

impl Failed {
    /// A one-line description of why the lookup failed.
    pub(crate) fn describe(&self) -> String {
        let servers: Vec<String> = dedup(self.attempts.iter().map(|a| a.server.to_string()));
        if self.malformed > 0 && self.malformed == self.attempts.len() {
            // A malformed reply does not end an attempt (a spoofer could send one), so
            // a server that only ever sends them costs every try: say so plainly.
            return format!(
                "only malformed replies from {} in {} attempt(s), the last: {}",
                servers.join(", "),
                self.attempts.len(),
                self.last
            );
        }
        let what = match &self.last {
            Failure::Timeout => "no reply".to_owned(),
            other => other.to_string(),
        };
        format!(
            "{what} from {} after {} attempt(s)",
            servers.join(", "),
            self.attempts.len()
        )
    }
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// What one lookup asks: the servers in order, the question, and how.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ask<'a> {
    pub servers: &'a [SocketAddr],
    pub question: &'a Question,
    /// Header bits and EDNS as planned (EDNS may be dropped on the way).
    pub flags: &'a QueryFlags,
    pub settings: &'a Settings,
    /// `-y`, `-k`: sign each query and verify the reply.
    pub tsig: Option<&'a tsig::Key>,
}

/// The next thing a [`Session`] wants.
#[derive(Debug)]
pub(crate) enum Next {
    /// Send a query with this ID to this server, over this protocol, then report what
    /// came of it with [`Session::record`].
    Send {
        server: SocketAddr,
        protocol: Protocol,
        id: u16,
    },
    /// Every server and try is used up.
    Failed(Failed),
}

/// The state of one lookup under the policy, without I/O: what to send next and what
/// each reply or failure means. [`lookup`] drives it with blocking exchanges; the
/// batch pipeline drives many at once from one socket, so that a retry is just another
/// query in flight.
#[derive(Debug)]
pub(crate) struct Session {
    server_at: usize,
    tries_left: u32,
    protocol: Protocol,
    /// The rcode with which the current server refused EDNS; EDNS is left out from now on.
    edns_rejected: Option<u16>,
    /// The server, protocol and ID of the query in flight.
    sent: Option<(SocketAddr, Protocol, u16)>,
    attempts: Vec<Attempt>,
    ignored: Vec<String>,
    last: Failure,
    malformed: usize,
}

impl Session {
    /// A lookup about to send its first query.
    pub(crate) fn new(ask: Ask<'_>) -> Self {
        Self {
            server_at: 0,
            tries_left: ask.settings.tries.max(1),
            protocol: first_protocol(ask.settings),
            edns_rejected: None,
            sent: None,
            attempts: Vec::new(),
            ignored: Vec::new(),
            last: Failure::Io("no server to ask".to_owned()),
            malformed: 0,
        }
    }

    /// The header bits and EDNS the next query carries.
    pub(crate) fn flags<'a>(&self, ask: Ask<'a>) -> std::borrow::Cow<'a, QueryFlags> {
        if self.edns_rejected.is_some() {
            let mut flags = ask.flags.clone();
            flags.edns = None;
            std::borrow::Cow::Owned(flags)
        } else {
            std::borrow::Cow::Borrowed(ask.flags)
        }
    }

    /// What to do next: send one more query, or give up.
    pub(crate) fn next(&mut self, ask: Ask<'_>, next_id: &mut dyn FnMut() -> u16) -> Next {
        while self.tries_left == 0 {
            self.server_at += 1;
            self.tries_left = ask.settings.tries.max(1);
            self.protocol = first_protocol(ask.settings);
            self.edns_rejected = None;
        }
        let Some(&server) = ask.servers.get(self.server_at) else {
            return Next::Failed(self.failed());
        };
        let id = next_id();
        self.sent = Some((server, self.protocol, id));
        Next::Send {
            server,
            protocol: self.protocol,
            id,
        }
    }

    /// Ends the lookup because the query could not even be built or sent.
    pub(crate) fn abort(mut self, failure: Failure) -> Failed {
        self.last = failure;
        self.failed()
    }

    /// Records what came of the query in flight: the completed lookup when the reply
    /// ends it, `None` when [`Session::next`] has more to send.
    pub(crate) fn record(
        &mut self,
        ask: Ask<'_>,
        result: Result<Reply, super::TransportError>,
    ) -> Option<Completed> {
        let (server, protocol, _) = self.sent.take()?;
        let mut attempt = Attempt {
            server,
            protocol,
            outcome: "".into(),
            rtt_us: None,
        };
        let mut reply = match result {
            Err(error) => {
                self.ignored.extend(error.ignored);
                attempt.outcome = error.failure.to_string().into();
                self.attempts.push(attempt);
                self.malformed += usize::from(matches!(error.failure, Failure::Malformed(_)));
                // A refused connection, or a certificate that does not verify, moves on
                // to the next server without more tries.
                self.tries_left = if matches!(
                    error.failure,
                    Failure::Refused | Failure::Tls(_) | Failure::Http(_)
                ) {
                    0
                } else {
                    self.tries_left - 1
                };
                self.last = error.failure;
                return None;
            }
            Ok(reply) => reply,
        };
        self.ignored.append(&mut reply.ignored);
        attempt.rtt_us = Some(micros(reply.rtt));
        if protocol == Protocol::Udp && reply.message.metadata.truncation && !ask.settings.ignore_truncation {
            attempt.outcome = "truncated, retrying over TCP".into();
            self.attempts.push(attempt);
            self.protocol = Protocol::Tcp;
            return None;
        }
        let flags = self.flags(ask).into_owned();
        if flags.edns.is_some() && wire::rejects_edns(&reply.message) {
            attempt.outcome = format!(
                "{} to an EDNS query, retrying without EDNS",
                wire::rcode_text(wire::rcode_number(&reply.message))
            )
            .into();
            self.attempts.push(attempt);
            self.edns_rejected = Some(wire::rcode_number(&reply.message));
            return None;
        }
        attempt.outcome = wire::rcode_text(wire::rcode_number(&reply.message));
        self.attempts.push(attempt);
        Some(Completed {
            reply,
            server,
            protocol,
            flags,
            attempts: std::mem::take(&mut self.attempts),
            ignored: std::mem::take(&mut self.ignored),
            edns_rejected: self.edns_rejected,
            tsig: None,
            query: Vec::new(),
        })
    }

    fn failed(&mut self) -> Failed {
        Failed {
            attempts: std::mem::take(&mut self.attempts),
            ignored: std::mem::take(&mut self.ignored),
            last: std::mem::replace(&mut self.last, Failure::Timeout),
            malformed: self.malformed,
        }
    }
}

fn first_protocol(settings: &Settings) -> Protocol {
    if settings.https.is_some() {
        Protocol::Https
    } else if settings.tls.is_some() {
        Protocol::Tls
    } else if settings.tcp {
        Protocol::Tcp
    } else {
        Protocol::Udp
    }
}

/// Asks `servers` in order for `question` until one gives a usable reply, one blocking
/// exchange at a time.
///
/// # Errors
/// [`Failed`] when no server gave a usable reply.
pub(crate) fn lookup(
    transport: &dyn Transport,
    servers: &[SocketAddr],
    question: &Question,
    flags: &QueryFlags,
    settings: &Settings,
    next_id: &mut dyn FnMut() -> u16,
) -> Result<Completed, Failed> {
    cancellable_lookup(transport, servers, question, flags, settings, next_id, None)
}

/// [`lookup`] with each query signed by `key` (TSIG, `-y`, `-k`) and the reply's
/// signature judged in [`Completed::tsig`].
///
/// # Errors
/// [`Failed`] when no server gave a usable reply.
pub(crate) fn signed_lookup(
    transport: &dyn Transport,
    servers: &[SocketAddr],
    question: &Question,
    flags: &QueryFlags,
    settings: &Settings,
    key: Option<&tsig::Key>,
    next_id: &mut dyn FnMut() -> u16,
) -> Result<Completed, Failed> {
    let ask = Ask {
        servers,
        question,
        flags,
        settings,
        tsig: key,
    };
    drive(transport, ask, next_id, None)
}

/// [`lookup`], given up (with [`Failure::Abandoned`]) once `cancel` is set: no retry,
/// no fallback is sent after that, and a UDP wait ends within [`super::CANCEL_CHECK`].
///
/// # Errors
/// [`Failed`] when no server gave a usable reply.
pub(crate) fn cancellable_lookup(
    transport: &dyn Transport,
    servers: &[SocketAddr],
    question: &Question,
    flags: &QueryFlags,
    settings: &Settings,
    next_id: &mut dyn FnMut() -> u16,
    cancel: Option<&AtomicBool>,
) -> Result<Completed, Failed> {
    let ask = Ask {
        servers,
        question,
        flags,
        settings,
        tsig: None,
    };
    drive(transport, ask, next_id, cancel)
}

fn drive(
    transport: &dyn Transport,
    ask: Ask<'_>,
    next_id: &mut dyn FnMut() -> u16,
    cancel: Option<&AtomicBool>,
) -> Result<Completed, Failed> {
    let mut session = Session::new(ask);
    match session.next(ask, next_id) {
        Next::Failed(failed) => Err(failed),
        Next::Send { server, protocol, id } => {
            resume(transport, ask, session, (server, protocol, id), next_id, cancel)
        }
    }
}

/// Carries a session on with blocking exchanges, from the query `first` that its
/// [`Session::next`] asked for, to the end.
///
/// # Errors
/// [`Failed`] when no server gave a usable reply.
pub(crate) fn resume(
    transport: &dyn Transport,
    ask: Ask<'_>,
    mut session: Session,
    first: (SocketAddr, Protocol, u16),
    next_id: &mut dyn FnMut() -> u16,
    cancel: Option<&AtomicBool>,
) -> Result<Completed, Failed> {
    let mut send = first;
    loop {
        let (server, protocol, id) = send;
        // The clock is read only for a signed query.
        let signing = ask
            .tsig
            .map(|key| (key, tsig::seconds(std::time::SystemTime::now())));
        let built = wire::build_query(ask.question, &session.flags(ask), id).and_then(|mut query| {
            let mac = signing
                .map(|(key, now)| tsig::sign(&mut query, key, now))
                .transpose()?;
            Ok((query, mac))
        });
        let (query, mac) = match built {
            Ok(built) => built,
            Err(e) => return Err(session.abort(Failure::Io(e))),
        };
        let expect = Awaited {
            server,
            id,
            question: ask.question.clone(),
            opcode: ask.flags.opcode,
            header_only: ask.flags.header_only,
        };
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(session.abort(Failure::Abandoned));
        }
        let request = Request {
            protocol,
            wire: &query,
            expect: &expect,
            timeout: ask.settings.timeout,
            cancel,
            keep_wire: mac.is_some(),
            tls: ask.settings.tls.as_ref(),
            https: ask.settings.https.as_ref(),
            source: ask.settings.source,
        };
        if let Some(mut done) = session.record(ask, transport.exchange(&request)) {
            if let (Some((key, now)), Some(mac)) = (signing, mac) {
                let bytes = done.reply.wire.take().unwrap_or_default();
                done.tsig = Some(tsig::Verifier::new(key, mac, now).check(&bytes).map(drop));
            }
            done.query = query;
            return Ok(done);
        }
        send = match session.next(ask, next_id) {
            Next::Failed(failed) => return Err(failed),
            Next::Send { server, protocol, id } => (server, protocol, id),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::wire::EdnsSettings;
    use crate::transport::TransportError;
    use hickory_proto::op::{Message, OpCode, ResponseCode};
    use hickory_proto::rr::{DNSClass, RecordType};
    use std::collections::VecDeque;
    use std::sync::Mutex;

    /// What the scripted server does with the next request.
    enum Step {
        Answer,
        Truncate,
        Rcode(ResponseCode),
        Fail(Failure),
    }

    /// (server, protocol, whether the query had EDNS) of one request.
    type Asked = (SocketAddr, Protocol, bool);

    /// Replays `steps` and records (server, protocol, had EDNS) of every request.
    struct Scripted {
        steps: Mutex<VecDeque<Step>>,
        asked: Mutex<Vec<Asked>>,
    }

    impl Transport for Scripted {
        fn exchange(&self, request: &Request<'_>) -> Result<Reply, TransportError> {
            let query = Message::from_vec(request.wire).unwrap();
            self.asked
                .lock()
                .unwrap()
                .push((request.expect.server, request.protocol, query.edns.is_some()));
            let mut reply = Message::response(query.metadata.id, OpCode::Query);
            reply.queries = query.queries.clone();
            match self
                .steps
                .lock()
                .unwrap()
                .pop_front()
                .expect("an unexpected request")
            {
                Step::Answer => {}
                Step::Truncate => reply.metadata.truncation = true,
                Step::Rcode(rcode) => reply.metadata.response_code = rcode,
                Step::Fail(failure) => {
                    return Err(TransportError {
                        failure,
                        ignored: vec!["noise".into()],
                    });
                }
            }
            Ok(Reply {
                message: reply,
                size: 12,
                rtt: Duration::from_micros(250),
                ignored: vec![],
                wire: None,
                tls: None,
            })
        }
    }

    fn run(steps: Vec<Step>, servers: &[&str], tcp: bool) -> (Result<Completed, Failed>, Vec<Asked>) {
        let net = Scripted {
            steps: Mutex::new(steps.into()),
            asked: Mutex::new(vec![]),
        };
        let servers: Vec<SocketAddr> = servers.iter().map(|s| s.parse().unwrap()).collect();
        let question = Question {
            name: crate::dns::names::parse("a.test").unwrap(),
            rtype: RecordType::A,
            class: DNSClass::IN,
        };
        let flags = QueryFlags::recursive(Some(EdnsSettings::new(1232)));
        let settings = Settings {
            tcp,
            ignore_truncation: false,
            tries: 2,
            timeout: Duration::from_millis(10),
            tls: None,
            https: None,
            source: None,
        };
        let mut id = 0u16;
        let result = lookup(&net, &servers, &question, &flags, &settings, &mut || {
            id += 1;
            id
        });
        (result, net.asked.into_inner().unwrap())
    }

    const A: &str = "127.0.0.1:53";
    const B: &str = "127.0.0.2:53";

    #[test]
    fn truncation_switches_to_tcp() {
        let (result, asked) = run(vec![Step::Truncate, Step::Answer], &[A], false);
        let done = result.unwrap();
        assert_eq!(done.protocol, Protocol::Tcp);
        assert_eq!(
            asked.iter().map(|a| a.1).collect::<Vec<_>>(),
            [Protocol::Udp, Protocol::Tcp]
        );
        assert_eq!(done.attempts[0].outcome, "truncated, retrying over TCP");
    }

    #[test]
    fn timeouts_retry_then_move_to_next_server() {
        let (result, asked) = run(
            vec![
                Step::Fail(Failure::Timeout),
                Step::Fail(Failure::Timeout),
                Step::Answer,
            ],
            &[A, B],
            false,
        );
        let done = result.unwrap();
        assert_eq!(done.server, B.parse().unwrap());
        let servers: Vec<String> = asked.iter().map(|a| a.0.to_string()).collect();
        assert_eq!(servers, [A, A, B]);
        assert_eq!(done.ignored, ["noise", "noise"]);
    }

    #[test]
    fn refused_skips_remaining_tries() {
        let (result, asked) = run(vec![Step::Fail(Failure::Refused), Step::Answer], &[A, B], false);
        assert!(result.is_ok());
        assert_eq!(asked.len(), 2);
        assert_eq!(asked[1].0, B.parse().unwrap());
    }

    #[test]
    fn edns_rejection_retries_once_without_edns() {
        let (result, asked) = run(
            vec![
                Step::Rcode(ResponseCode::FormErr),
                Step::Rcode(ResponseCode::FormErr),
            ],
            &[A],
            false,
        );
        let done = result.unwrap();
        assert_eq!(asked.iter().map(|a| a.2).collect::<Vec<_>>(), [true, false]);
        assert!(done.flags.edns.is_none());
        // The second FORMERR, without EDNS, is the server's final word.
        assert_eq!(wire::rcode_number(&done.reply.message), 1);
    }

    #[test]
    fn notimp_and_badvers_also_drop_edns() {
        for rcode in [ResponseCode::NotImp, ResponseCode::BADVERS] {
            let (result, asked) = run(vec![Step::Rcode(rcode), Step::Answer], &[A], false);
            assert!(result.unwrap().flags.edns.is_none(), "{rcode:?}");
            assert_eq!(
                asked.iter().map(|a| a.2).collect::<Vec<_>>(),
                [true, false],
                "{rcode:?}"
            );
        }
        // SERVFAIL is the server's answer, not a complaint about EDNS.
        let (result, asked) = run(vec![Step::Rcode(ResponseCode::ServFail)], &[A], false);
        assert!(result.unwrap().flags.edns.is_some());
        assert_eq!(asked.len(), 1);
    }

    #[test]
    fn all_failing_reports_every_attempt() {
        let (result, asked) = run(
            vec![
                Step::Fail(Failure::Timeout),
                Step::Fail(Failure::Timeout),
                Step::Fail(Failure::Timeout),
                Step::Fail(Failure::Timeout),
            ],
            &[A, B],
            true,
        );
        let failed = result.unwrap_err();
        assert_eq!(asked.len(), 4);
        assert!(asked.iter().all(|a| a.1 == Protocol::Tcp));
        assert_eq!(
            failed.describe(),
            "no reply from 127.0.0.1:53, 127.0.0.2:53 after 4 attempt(s)"
        );
    }
}
