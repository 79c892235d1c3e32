//! The batch's fast path: each worker keeps a window of queries in flight on one UDP
//! socket and matches replies to them by server and ID, as load generators do, instead
//! of one blocking exchange per thread. It takes the plain case (a direct query to IPv4
//! servers, one per line); every datagram is judged by the same
//! [`Awaited::judge`](crate::dns::wire::Awaited::judge), and every decision about a
//! reply or a timeout is the same [`Session`] that a one-off query runs, so the results
//! are the same as without the pipeline, only sooner.
//!
//! Nothing here blocks the window: a retry after a timeout, or without EDNS, is one more
//! query in flight with its own deadline, and a fall-back to TCP goes to the batch's
//! small TCP pool. Replies already received are handled before any deadline is judged,
//! so a reply that waited in the socket is never thrown away.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{Done, STOP, TcpJob, Ticket, Worker};
use crate::cli::plan::{Mode, Plan};
use crate::dns::wire::{self, Arrival, Awaited, Question};
use crate::lookup::{completed_outcome, failed_outcome, look_up};
use crate::transport::policy::{Ask, Next, Session};
use crate::transport::{Failure, Protocol, Reply, TransportError};

/// The plan of a line: the batch's shared plan (plain lines), or the line's own.
pub(super) enum LinePlan<'a> {
    Shared(&'a Plan),
    Own(Box<Plan>),
}

impl std::ops::Deref for LinePlan<'_> {
    type Target = Plan;
    fn deref(&self) -> &Plan {
        match self {
            LinePlan::Shared(plan) => plan,
            LinePlan::Own(plan) => plan,
        }
    }
}

/// One line's lookup, between queries or with one in flight.
pub(super) struct Line<'a> {
    pub(super) index: usize,
    pub(super) line: usize,
    pub(super) plan: LinePlan<'a>,
    pub(super) question: Question,
    pub(super) session: Session,
    /// Its place at the server's gate, given back when the line is done (or dropped).
    pub(super) _ticket: Ticket<'a>,
}

/// What a line's session asks, from the line's plan and question.
pub(super) fn ask_of<'a>(plan: &'a Plan, question: &'a Question) -> Ask<'a> {
    Ask {
        tsig: None,
        servers: &plan.servers.addresses,
        question,
        flags: &plan.flags,
        settings: &plan.transport,
    }
}

/// A query of a line in flight on the worker's socket.
struct Pending<'a> {
    line: Line<'a>,
    server: SocketAddr,
    sent: Instant,
    deadline: Instant,
    /// Datagrams from elsewhere or for another question that carried this query's ID.
    ignored: Vec<String>,
    /// A malformed reply from the server: it does not end the wait (a spoofer could
    /// send one), but a timeout after it is reported as that.
    malformed: Option<String>,
}

/// The queries a worker has in flight, by ID.
struct InFlight<'a> {
    by_id: HashMap<u16, Pending<'a>, BuildHasherDefault<IdHasher>>,
    /// No query is late before this: checking every query's deadline at every
    /// datagram showed in a batch's profile.
    earliest_deadline: Option<Instant>,
}

impl<'a> InFlight<'a> {
    fn with_capacity(window: usize) -> Self {
        Self {
            by_id: HashMap::with_capacity_and_hasher(window, BuildHasherDefault::default()),
            earliest_deadline: None,
        }
    }

    fn insert(&mut self, id: u16, entry: Pending<'a>) {
        let deadline = entry.deadline;
        self.earliest_deadline = Some(self.earliest_deadline.map_or(deadline, |d| d.min(deadline)));
        self.by_id.insert(id, entry);
    }

    /// The queries past their deadline at `now`, taken out.
    fn take_late(&mut self, now: Instant) -> Vec<Pending<'a>> {
        if self.earliest_deadline.is_none_or(|d| d > now) {
            return Vec::new();
        }
        let late: Vec<u16> = self
            .by_id
            .iter()
            .filter(|(_, p)| p.deadline <= now)
            .map(|(id, _)| *id)
            .collect();
        let late = late.iter().filter_map(|id| self.by_id.remove(id)).collect();
        self.earliest_deadline = self.by_id.values().map(|p| p.deadline).min();
        late
    }

    /// A random ID that no query in flight uses.
    fn free_id(&self) -> u16 {
        loop {
            let id = crate::dns::random::id();
            if !self.by_id.contains_key(&id) {
                return id;
            }
        }
    }
}

/// Query IDs are random (RFC 5452 §9.2), so the map needs no hash function of its
/// own; the multiplication spreads the 16 bits over the 64 hashbrown looks at.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 << 8 | u64::from(*byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u16(&mut self, id: u16) {
        self.0 = u64::from(id).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Whether a line's plan can take the fast path: one direct question to IPv4 servers
/// (the worker's socket is IPv4), starting over UDP.
fn plain(plan: &Plan) -> Option<(SocketAddr, Question)> {
    let server = *plan.servers.addresses.first()?;
    let [lookup] = plan.lookups.as_slice() else {
        return None;
    };
    let [question] = lookup.candidates.as_slice() else {
        return None;
    };
    let ipv4 = plan.servers.addresses.iter().all(SocketAddr::is_ipv4);
    // A signed query goes the blocking way, which signs and verifies; a query without a
    // question, or padded to its own length, cannot be spliced from the template.
    (plan.mode == Mode::Direct
        && !plan.flags.header_only
        && !plan.flags.edns.as_ref().is_some_and(|e| e.padding)
        && !plan.transport.tcp
        && plan.transport.tls.is_none()
        && plan.transport.source.is_none()
        && ipv4
        && plan.tsig.is_none())
    .then(|| (server, question.clone()))
}

/// What a worker's loop works with.
struct Window<'s, 'w> {
    worker: &'w Worker<'s>,
    socket: UdpSocket,
    in_flight: InFlight<'s>,
    template: Option<wire::QueryTemplate>,
    query: Vec<u8>,
}

/// Runs lines until there are none left (or Ctrl-C), `window` queries in flight.
pub(super) fn run<'s>(worker: &Worker<'s>, window: usize) {
    let socket = crate::transport::udp_socket(SocketAddr::from(([127, 0, 0, 1], 0)));
    let Ok(socket) = socket.and_then(|s| s.set_read_timeout(Some(super::BUNDLE_AGE)).map(|()| s)) else {
        return worker.run_blocking();
    };
    let mut w = Window {
        worker,
        socket,
        in_flight: InFlight::with_capacity(window),
        template: worker
            .batch
            .shared
            .as_ref()
            .and_then(|plan| wire::QueryTemplate::new(&plan.flags).ok()),
        query: Vec::with_capacity(512),
    };
    let mut parked: Option<(usize, usize, LinePlan<'s>, SocketAddr, Question)> = None;
    let mut exhausted = false;
    let mut buffer = vec![0u8; 65_535];
    loop {
        // Fill the window.
        while w.in_flight.by_id.len() < window && !STOP.load(Ordering::SeqCst) {
            let (index, line, plan, server, question) = match parked.take() {
                Some(parked) => parked,
                None => {
                    if exhausted {
                        break;
                    }
                    match prepare(worker) {
                        Taken::Exhausted => {
                            exhausted = true;
                            break;
                        }
                        Taken::Handled => continue,
                        Taken::Send(index, line, plan, server, question) => {
                            (index, line, plan, server, question)
                        }
                    }
                }
            };
            let Some(ticket) = worker.gate.try_enter(server) else {
                parked = Some((index, line, plan, server, question));
                break;
            };
            if let Some(limit) = worker.limit {
                limit.wait();
            }
            let session = {
                let ask = Ask {
                    tsig: None,
                    servers: &plan.servers.addresses,
                    question: &question,
                    flags: &plan.flags,
                    settings: &plan.transport,
                };
                Session::new(ask)
            };
            w.dispatch(Line {
                index,
                line,
                plan,
                question,
                session,
                _ticket: ticket,
            });
        }
        if w.in_flight.by_id.is_empty() {
            worker.flush();
            if parked.is_none() && (exhausted || STOP.load(Ordering::SeqCst)) {
                return;
            }
            // Parked behind a full gate with nothing of ours in flight: others will free it.
            std::thread::sleep(Duration::from_micros(200));
            continue;
        }
        worker.flush_if_old();
        w.receive(&mut buffer);
    }
}

/// What to do with the next line.
enum Taken<'s> {
    /// No line left.
    Exhausted,
    /// Already answered (an error, or a line that is not plain and ran the ordinary way).
    Handled,
    /// Send this query.
    Send(usize, usize, LinePlan<'s>, SocketAddr, Question),
}

/// Takes the next line and plans it: plain lines share the batch's plan.
fn prepare<'s>(worker: &Worker<'s>) -> Taken<'s> {
    let Some((index, line, words)) = worker.take() else {
        return Taken::Exhausted;
    };
    let shared = worker.batch.shared.as_deref();
    let (plan, own_question) =
        match shared.and_then(|p| crate::cli::lines::plain_question(p, &words).map(|q| (p, q))) {
            Some((plan, question)) => (LinePlan::Shared(plan), Some(question)),
            None => {
                match crate::cli::lines::build_line(
                    &worker.batch.base_cli,
                    &worker.batch.base,
                    &words,
                    worker.env,
                ) {
                    Ok(plan) => (LinePlan::Own(Box::new(plan)), None),
                    Err(error) => {
                        worker.send(Done {
                            index,
                            line,
                            result: Err(error),
                        });
                        return Taken::Handled;
                    }
                }
            }
        };
    if let Some((server, question)) = plain(&plan) {
        return Taken::Send(index, line, plan, server, own_question.unwrap_or(question));
    }
    let result = match own_question {
        Some(question) => Ok(vec![look_up(
            &plan,
            &crate::cli::plan::Lookup {
                candidates: vec![question],
            },
            worker.transport,
        )]),
        None => worker.run_plan(&plan),
    };
    worker.send(Done { index, line, result });
    Taken::Handled
}

impl<'s> Window<'s, '_> {
    /// Sends the line's next query, or ends the line when its session has none left.
    fn dispatch(&mut self, mut line: Line<'s>) {
        loop {
            let next = {
                let in_flight = &self.in_flight;
                line.session
                    .next(ask_of(&line.plan, &line.question), &mut || in_flight.free_id())
            };
            let (server, protocol, id) = match next {
                Next::Failed(failed) => {
                    let outcome = failed_outcome(&line.plan, &line.question, &failed);
                    return self.finish(line, outcome);
                }
                Next::Send { server, protocol, id } => (server, protocol, id),
            };
            if protocol == Protocol::Tcp {
                // Over TCP the exchange blocks: the pool carries the line on from here.
                return self.worker.tcp(TcpJob {
                    line,
                    first: (server, protocol, id),
                });
            }
            let sent = self.encode(&line, id) && self.socket.send_to(&self.query, server).is_ok();
            if !sent {
                let error = TransportError {
                    failure: Failure::Io(format!("cannot send to {server}")),
                    ignored: Vec::new(),
                };
                if let Some(done) = line
                    .session
                    .record(ask_of(&line.plan, &line.question), Err(error))
                {
                    let outcome = completed_outcome(&line.plan, &line.question, &done);
                    return self.finish(line, outcome);
                }
                continue;
            }
            let now = Instant::now();
            let deadline = super::deadline(now, line.plan.transport.timeout);
            self.in_flight.insert(
                id,
                Pending {
                    line,
                    server,
                    sent: now,
                    deadline,
                    ignored: Vec::new(),
                    malformed: None,
                },
            );
            return;
        }
    }

    /// Encodes the line's next query into `self.query`: spliced into the batch's
    /// template when the line shares the batch's plan and flags, built otherwise.
    fn encode(&mut self, line: &Line<'_>, id: u16) -> bool {
        let flags = line.session.flags(ask_of(&line.plan, &line.question));
        match (&line.plan, &self.template, &flags) {
            (LinePlan::Shared(_), Some(template), std::borrow::Cow::Borrowed(_)) => {
                template.encode(&line.question, id, &mut self.query);
                true
            }
            _ => wire::build_query(&line.question, &flags, id)
                .map(|bytes| self.query = bytes)
                .is_ok(),
        }
    }

    /// Hands a finished line to the printer.
    fn finish(&self, line: Line<'s>, outcome: crate::model::outcome::Outcome) {
        self.worker.send(Done {
            index: line.index,
            line: line.line,
            result: Ok(vec![outcome]),
        });
    }

    /// Waits for one datagram (at most [`super::BUNDLE_AGE`], the socket's fixed read
    /// timeout, so that finished results never wait behind a slow server), takes every
    /// other one already queued, and only then judges the deadlines.
    fn receive(&mut self, buffer: &mut [u8]) {
        if let Ok((len, from)) = self.socket.recv_from(buffer) {
            self.handle(&buffer[..len], from);
            // Take every reply already queued before sleeping again: one wake-up per
            // reply cost more than the replies themselves.
            if self.socket.set_nonblocking(true).is_ok() {
                while let Ok((len, from)) = self.socket.recv_from(buffer) {
                    self.handle(&buffer[..len], from);
                }
                let _ = self.socket.set_nonblocking(false);
            }
        }
        for late in self.in_flight.take_late(Instant::now()) {
            let failure = late.malformed.map_or(Failure::Timeout, Failure::Malformed);
            let error = TransportError {
                failure,
                ignored: late.ignored,
            };
            self.record(late.line, Err(error));
        }
    }

    /// Deals with one datagram that arrived on the worker's socket.
    fn handle(&mut self, bytes: &[u8], from: SocketAddr) {
        let Some(id) = bytes.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
            return;
        };
        // A datagram whose ID nothing in flight uses answers nothing of ours.
        let Some(entry) = self.in_flight.by_id.get_mut(&id) else {
            return;
        };
        let expect = Awaited {
            server: entry.server,
            id,
            question: entry.line.question.clone(),
            opcode: entry.line.plan.flags.opcode,
            header_only: false,
        };
        match expect.judge(from, bytes) {
            Arrival::Ignored(why) => entry.ignored.push(why),
            Arrival::Malformed(why) => {
                entry.ignored.push(why.clone());
                entry.malformed = Some(why);
            }
            Arrival::Reply(message) => {
                let entry = self.in_flight.by_id.remove(&id).expect("present");
                let reply = Reply {
                    wire: None,
                    tls: None,
                    message: *message,
                    size: bytes.len(),
                    rtt: entry.sent.elapsed(),
                    ignored: entry.ignored,
                };
                self.record(entry.line, Ok(reply));
            }
        }
    }

    /// Records what came of a line's query, then ends the line or sends its next query.
    fn record(&mut self, mut line: Line<'s>, result: Result<Reply, TransportError>) {
        match line.session.record(ask_of(&line.plan, &line.question), result) {
            Some(done) => {
                let outcome = completed_outcome(&line.plan, &line.question, &done);
                self.finish(line, outcome);
            }
            None => self.dispatch(line),
        }
    }
}
