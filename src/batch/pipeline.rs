//! The batch's fast path: each worker keeps a window of queries in flight on one UDP
//! socket and matches replies to them by server and ID, as load generators do, instead
//! of one blocking exchange per thread. It handles only the plain case (a direct UDP
//! query to an IPv4 server, one per line); the reply is judged by the same
//! [`Awaited::judge`](crate::dns::wire::Awaited::judge) as every other exchange.
//! Anything else (truncation, an EDNS complaint, a malformed reply, a timeout, a line
//! that is not plain) goes through the ordinary synchronous policy, so the results are
//! the same as without the pipeline, only sooner.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{Done, STOP, Worker};
use crate::cli::plan::{Mode, Plan};
use crate::dns::wire::{self, Arrival, Awaited, Question};
use crate::lookup::{completed_outcome, look_up};
use crate::model::outcome::Outcome;
use crate::transport::policy::{Attempt, Completed};
use crate::transport::{Protocol, Reply};

/// The plan of a line: the batch's shared plan (plain lines), or the line's own.
enum LinePlan<'a> {
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

/// A query sent and not yet answered.
struct Pending<'a> {
    index: usize,
    line: usize,
    plan: LinePlan<'a>,
    expect: Awaited,
    sent: Instant,
}

impl Pending<'_> {
    fn deadline(&self) -> Instant {
        self.sent + self.plan.transport.timeout
    }
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
        let deadline = entry.deadline();
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
            .filter(|(_, p)| p.deadline() <= now)
            .map(|(id, _)| *id)
            .collect();
        let late = late.iter().filter_map(|id| self.by_id.remove(id)).collect();
        self.earliest_deadline = self.by_id.values().map(Pending::deadline).min();
        late
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

/// Whether a line's plan can take the fast path.
fn plain(plan: &Plan) -> Option<(SocketAddr, Question)> {
    let server = *plan.servers.addresses.first()?;
    let [lookup] = plan.lookups.as_slice() else {
        return None;
    };
    let [question] = lookup.candidates.as_slice() else {
        return None;
    };
    (plan.mode == Mode::Direct && !plan.transport.tcp && server.is_ipv4()).then(|| (server, question.clone()))
}

/// Runs lines until there are none left (or Ctrl-C), `window` queries in flight.
pub(super) fn run<'w>(worker: &'w Worker<'w>, window: usize) {
    let socket = crate::transport::udp_socket(SocketAddr::from(([127, 0, 0, 1], 0)));
    let Ok(socket) = socket.and_then(|s| s.set_read_timeout(Some(super::BUNDLE_AGE)).map(|()| s)) else {
        return worker.run_blocking();
    };
    let mut pending = InFlight::with_capacity(window);
    let mut parked: Option<(usize, usize, LinePlan<'w>, SocketAddr, Question)> = None;
    let mut exhausted = false;
    let mut buffer = vec![0u8; 65_535];
    let template = worker
        .batch
        .shared
        .as_ref()
        .and_then(|plan| wire::QueryTemplate::new(&plan.flags).ok());
    let mut query = Vec::with_capacity(512);
    loop {
        // Fill the window.
        while pending.by_id.len() < window && !STOP.load(Ordering::SeqCst) {
            let (index, line, plan, server, question) = match parked.take() {
                Some(parked) => parked,
                None => {
                    if exhausted {
                        break;
                    }
                    match prepare(worker) {
                        Next::Exhausted => {
                            exhausted = true;
                            break;
                        }
                        Next::Handled => continue,
                        Next::Send(index, line, plan, server, question) => {
                            (index, line, plan, server, question)
                        }
                    }
                }
            };
            if !worker.gate.try_enter(server) {
                parked = Some((index, line, plan, server, question));
                break;
            }
            if let Some(limit) = worker.limit {
                limit.wait();
            }
            let id = loop {
                let id = crate::dns::random::id();
                if !pending.by_id.contains_key(&id) {
                    break id;
                }
            };
            let encoded = match (&plan, &template) {
                (LinePlan::Shared(_), Some(template)) => {
                    template.encode(&question, id, &mut query);
                    true
                }
                _ => wire::build_query(&question, &plan.flags, id)
                    .map(|bytes| query = bytes)
                    .is_ok(),
            };
            let sent = encoded && socket.send_to(&query, server).is_ok();
            let expect = Awaited { server, id, question };
            let entry = Pending {
                index,
                line,
                plan,
                expect,
                sent: Instant::now(),
            };
            if sent {
                pending.insert(id, entry);
            } else {
                fall_back(worker, entry);
            }
        }
        if pending.by_id.is_empty() {
            worker.flush();
            if parked.is_none() && (exhausted || STOP.load(Ordering::SeqCst)) {
                return;
            }
            // Parked behind a full gate with nothing of ours in flight: others will free it.
            std::thread::sleep(Duration::from_micros(200));
            continue;
        }
        worker.flush_if_old();
        receive(worker, &socket, &mut pending, &mut buffer);
    }
}

/// What to do with the next line.
enum Next<'w> {
    /// No line left.
    Exhausted,
    /// Already answered (an error, or a line that is not plain and ran the ordinary way).
    Handled,
    /// Send this query.
    Send(usize, usize, LinePlan<'w>, SocketAddr, Question),
}

/// Takes the next line and plans it: plain lines share the batch's plan.
fn prepare<'w>(worker: &'w Worker<'w>) -> Next<'w> {
    let Some((index, line, words)) = worker.take() else {
        return Next::Exhausted;
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
                        return Next::Handled;
                    }
                }
            }
        };
    if let Some((server, question)) = plain(&plan) {
        return Next::Send(index, line, plan, server, own_question.unwrap_or(question));
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
    Next::Handled
}

/// Waits for one reply (at most [`super::BUNDLE_AGE`], the socket's fixed read
/// timeout, so that finished results never wait behind a slow server), deals with it,
/// and hands queries past their timeout to the ordinary policy.
fn receive(worker: &Worker<'_>, socket: &UdpSocket, pending: &mut InFlight<'_>, buffer: &mut [u8]) {
    let received = socket.recv_from(buffer);
    // Queries past their timeout go through the ordinary policy (which retries them).
    for entry in pending.take_late(Instant::now()) {
        fall_back(worker, entry);
    }
    let Ok((len, from)) = received else { return };
    handle(worker, pending, &buffer[..len], from);
    // Take every reply already queued before sleeping again: one wake-up per reply
    // cost more than the replies themselves.
    if socket.set_nonblocking(true).is_ok() {
        while let Ok((len, from)) = socket.recv_from(buffer) {
            handle(worker, pending, &buffer[..len], from);
        }
        let _ = socket.set_nonblocking(false);
    }
}

/// Deals with one datagram that arrived on the worker's socket.
fn handle(worker: &Worker<'_>, pending: &mut InFlight<'_>, bytes: &[u8], from: SocketAddr) {
    let len = bytes.len();
    let Some(id) = bytes.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
        return;
    };
    let Some(entry) = pending.by_id.get(&id) else {
        return;
    };
    match entry.expect.judge(from, bytes) {
        Arrival::Ignored(_) => {}
        Arrival::Malformed(_) => {
            let entry = pending.by_id.remove(&id).expect("present");
            fall_back(worker, entry);
        }
        Arrival::Reply(message) => {
            let entry = pending.by_id.remove(&id).expect("present");
            let needs_policy = message.metadata.truncation
                || (entry.plan.flags.edns.is_some() && wire::rejects_edns(&message));
            if needs_policy {
                return fall_back(worker, entry);
            }
            worker.gate.leave(entry.expect.server);
            let rtt = entry.sent.elapsed();
            let rtt_us = u64::try_from(rtt.as_micros()).ok();
            let server = entry.expect.server;
            let done = Completed {
                attempts: vec![Attempt {
                    server,
                    protocol: Protocol::Udp,
                    outcome: wire::rcode_text(wire::rcode_number(&message)),
                    rtt_us,
                }],
                reply: Reply {
                    message: *message,
                    size: len,
                    rtt,
                    ignored: Vec::new(),
                },
                server,
                protocol: Protocol::Udp,
                flags: entry.plan.flags.clone(),
                ignored: Vec::new(),
            };
            let outcome = completed_outcome(&entry.plan, &entry.expect.question, &done);
            worker.send(Done {
                index: entry.index,
                line: entry.line,
                result: Ok(vec![outcome]),
            });
        }
    }
}

/// Runs a query the ordinary way: the reply was unusual, or did not come in time.
fn fall_back(worker: &Worker<'_>, entry: Pending<'_>) {
    worker.gate.leave(entry.expect.server);
    let lookup = crate::cli::plan::Lookup {
        candidates: vec![entry.expect.question.clone()],
    };
    let outcome: Outcome = look_up(&entry.plan, &lookup, worker.transport);
    worker.send(Done {
        index: entry.index,
        line: entry.line,
        result: Ok(vec![outcome]),
    });
}
