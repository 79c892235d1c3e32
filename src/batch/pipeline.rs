//! The batch's fast path: each worker keeps a window of queries in flight on one UDP
//! socket and matches replies to them by server and ID, as load generators do, instead
//! of one blocking exchange per thread. It handles only the plain case (a direct UDP
//! query to an IPv4 server, one per line); the reply is judged by the same
//! [`Awaited::judge`](crate::wire::Awaited::judge) as every other exchange.
//! Anything else (truncation, an EDNS complaint, a malformed reply, a timeout, a line
//! that is not plain) goes through the ordinary synchronous policy, so the results are
//! the same as without the pipeline, only sooner.

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::{Done, STOP, Worker};
use crate::plan::{Mode, Plan};
use crate::transport::policy::{Attempt, Completed};
use crate::transport::{Protocol, Reply};
use crate::wire::{self, Arrival, Awaited, Question};
use crate::{Outcome, completed_outcome, look_up};

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
    let mut pending: HashMap<u16, Pending<'w>> = HashMap::with_capacity(window);
    let mut parked: Option<(usize, usize, LinePlan<'w>, SocketAddr, Question)> = None;
    let mut exhausted = false;
    let mut buffer = vec![0u8; 65_535];
    loop {
        // Fill the window.
        while pending.len() < window && !STOP.load(Ordering::SeqCst) {
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
                let id = crate::random::id();
                if !pending.contains_key(&id) {
                    break id;
                }
            };
            let sent = wire::build_query(&question, &plan.flags, id)
                .ok()
                .and_then(|query| socket.send_to(&query, server).ok());
            let expect = Awaited { server, id, question };
            let entry = Pending {
                index,
                line,
                plan,
                expect,
                sent: Instant::now(),
            };
            if sent.is_some() {
                pending.insert(id, entry);
            } else {
                fall_back(worker, entry);
            }
        }
        if pending.is_empty() {
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
        match shared.and_then(|p| crate::plan::plain_question(p, words).map(|q| (p, q))) {
            Some((plan, question)) => (LinePlan::Shared(plan), Some(question)),
            None => {
                match crate::plan::build_line(&worker.batch.base_cli, &worker.batch.base, words, worker.env) {
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
            &crate::plan::Lookup {
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
fn receive(
    worker: &Worker<'_>,
    socket: &UdpSocket,
    pending: &mut HashMap<u16, Pending<'_>>,
    buffer: &mut [u8],
) {
    let received = socket.recv_from(buffer);
    let now = Instant::now();
    if pending.values().any(|p| p.sent + p.plan.transport.timeout <= now) {
        sweep(worker, pending, now);
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
fn handle(worker: &Worker<'_>, pending: &mut HashMap<u16, Pending<'_>>, bytes: &[u8], from: SocketAddr) {
    let len = bytes.len();
    let Some(id) = bytes.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
        return;
    };
    let Some(entry) = pending.get(&id) else { return };
    match entry.expect.judge(from, bytes) {
        Arrival::Ignored(_) => {}
        Arrival::Malformed(_) => {
            let entry = pending.remove(&id).expect("present");
            fall_back(worker, entry);
        }
        Arrival::Reply(message) => {
            let entry = pending.remove(&id).expect("present");
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

/// Queries past their timeout go through the ordinary policy (which retries them).
fn sweep(worker: &Worker<'_>, pending: &mut HashMap<u16, Pending<'_>>, now: Instant) {
    let late: Vec<u16> = pending
        .iter()
        .filter(|(_, p)| p.sent + p.plan.transport.timeout <= now)
        .map(|(id, _)| *id)
        .collect();
    for id in late {
        if let Some(entry) = pending.remove(&id) {
            fall_back(worker, entry);
        }
    }
}

/// Runs a query the ordinary way: the reply was unusual, or did not come in time.
fn fall_back(worker: &Worker<'_>, entry: Pending<'_>) {
    worker.gate.leave(entry.expect.server);
    let lookup = crate::plan::Lookup {
        candidates: vec![entry.expect.question.clone()],
    };
    let outcome: Outcome = look_up(&entry.plan, &lookup, worker.transport);
    worker.send(Done {
        index: entry.index,
        line: entry.line,
        result: Ok(vec![outcome]),
    });
}
