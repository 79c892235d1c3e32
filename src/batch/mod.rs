//! `-f FILE`: many queries, one per line in dig's syntax, run concurrently.
//!
//! May use: dns, transport, model, walk, render, expect, cli, lookup (not check).
//!
//! Every line is planned as if its words were typed after the rest of the command line
//! (`dnscope -f names.txt @ns1 +short` asks ns1 for each line), so a batch line and a
//! one-off command behave the same way. Workers take lines in order; results stream as
//! they complete (JSON lines carry their input line number), or in input order with
//! `--ordered`. A malformed line is reported with its number and the others still run.
//! `--qps` spaces queries out and `--max-per-server` caps the queries in flight to any
//! one server, so a batch never floods a server. Ctrl-C stops taking new lines, lets
//! those in flight finish, and says how far the batch got.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use crate::cli::env::Env;
use crate::cli::lines::{self, BatchPlan};
use crate::cli::plan::Plan;
use crate::lookup::{completed_outcome, failed_outcome, look_up};
use crate::model::exit::{Error, Exit};
use crate::model::outcome::Outcome;
use crate::render;
use crate::render::Format;
use crate::transport::policy;
use crate::transport::{Protocol, Transport};
use pace::{RateLimit, ServerGate, Ticket};
use printer::Printer;

mod pace;
mod pipeline;
mod printer;

/// Set by Ctrl-C; read by the workers.
static STOP: AtomicBool = AtomicBool::new(false);

/// The lines that hold a query: (line number, text). Blank lines and lines starting
/// with `#` or `;` are skipped. The workers split a line into words when they take it:
/// splitting a large batch up front cost as much as a tenth of its run.
pub(crate) fn lines(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#') && !line.starts_with(';'))
        .collect()
}

/// What one line came to.
struct Done {
    index: usize,
    line: usize,
    result: Result<Vec<Outcome>, Error>,
}

/// The threads that carry lines on over TCP (truncated replies, `+tcp` after a
/// fall-back), so that a worker's window never waits for a blocking exchange.
const TCP_POOL: usize = 4;

/// A line whose session asks for TCP next, with the query it asks for.
struct TcpJob<'a> {
    line: pipeline::Line<'a>,
    first: (SocketAddr, Protocol, u16),
}

/// `now + wait`, or a day from now when that overflows: deadlines never panic.
fn deadline(now: Instant, wait: Duration) -> Instant {
    now.checked_add(wait)
        .or_else(|| now.checked_add(Duration::from_secs(86_400)))
        .unwrap_or(now)
}

/// Runs a batch.
pub(crate) fn run(
    batch: &BatchPlan,
    env: &dyn Env,
    transport: &dyn Transport,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let json = batch.format == Format::Json;
    let text = if batch.source == "-" {
        env.read_stdin()
    } else {
        env.read_file(std::path::Path::new(&batch.source))
    };
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            let error = Error::Usage(format!("cannot read batch file {}: {e}", batch.source));
            let _ = render::error(&error, json, out, err);
            return error.exit();
        }
    };
    let lines = lines(&text);
    STOP.store(false, Ordering::SeqCst);
    // Only the first handler of a process sticks; later batches reuse it.
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));

    let progress = (env.stderr_is_terminal() && !json && lines.len() > 100).then(|| {
        let bar = indicatif::ProgressBar::new(lines.len() as u64);
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar
    });
    let next = AtomicUsize::new(0);
    let limit = batch.qps.map(RateLimit::new);
    let gate = ServerGate::new(batch.max_per_server);
    let (send, receive) = mpsc::channel::<Vec<Done>>();
    let (tcp_send, tcp_receive) = mpsc::channel::<TcpJob<'_>>();
    let tcp_jobs = Mutex::new(tcp_receive);
    let mut printer = Printer::new(batch, lines.len(), out, err);
    // One pipelined worker per core, each with its share of the queries in flight.
    let threads = batch
        .jobs
        .min(std::thread::available_parallelism().map_or(1, usize::from))
        .min(lines.len())
        .max(1);
    let window = batch.jobs.div_ceil(threads);
    std::thread::scope(|scope| {
        for _ in 0..TCP_POOL.min(batch.jobs) {
            let sender = send.clone();
            let jobs = &tcp_jobs;
            scope.spawn(move || tcp_pool(jobs, transport, &sender));
        }
        for _ in 0..threads {
            let worker = Worker {
                batch,
                lines: &lines,
                next: &next,
                env,
                transport,
                gate: &gate,
                limit: limit.as_ref(),
                sender: send.clone(),
                tcp: tcp_send.clone(),
                bundle: std::cell::RefCell::new(Bundle {
                    done: Vec::new(),
                    since: Instant::now(),
                }),
            };
            scope.spawn(move || {
                // A worker that dies (a bug) must not take the batch with it: what it
                // finished still goes out, the lines it held are reported below, and it
                // starts again on the lines left, as long as it gets further each time.
                loop {
                    let taken = worker.next.load(Ordering::SeqCst);
                    let run = std::panic::AssertUnwindSafe(|| pipeline::run(&worker, window));
                    let finished = std::panic::catch_unwind(run).is_ok();
                    worker.flush();
                    if finished || worker.next.load(Ordering::SeqCst) == taken {
                        break;
                    }
                }
            });
        }
        drop(send);
        drop(tcp_send);
        for bundle in receive {
            for done in bundle {
                if let Some(bar) = &progress {
                    bar.inc(1);
                    bar.suspend(|| printer.accept(done));
                } else {
                    printer.accept(done);
                }
            }
            printer.flush();
            if printer.broken() {
                STOP.store(true, Ordering::SeqCst);
            }
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let stopped = STOP.load(Ordering::SeqCst);
    // Lines that were taken and never answered, and (when no worker was left to take
    // them) lines never taken: each is reported, so that none is lost silently.
    let taken = if stopped {
        next.load(Ordering::SeqCst)
    } else {
        lines.len()
    };
    for index in printer.lost(taken) {
        let error = Error::Internal("no result: the worker thread answering this line failed".to_owned());
        printer.accept(Done {
            index,
            line: lines[index].0,
            result: Err(error),
        });
    }
    let done = printer.shown_lines();
    let mut exit = printer.finish();
    if stopped && done < lines.len() {
        let _ = writeln!(err, "dnscope: interrupted after {done} of {} lines", lines.len());
        exit = Exit::INTERRUPTED;
    }
    exit
}

/// A TCP pool thread: carries lines on with blocking exchanges until the workers are
/// done. A line whose exchange panics (a bug) is dropped, and reported as lost.
fn tcp_pool(
    jobs: &Mutex<mpsc::Receiver<TcpJob<'_>>>,
    transport: &dyn Transport,
    sender: &mpsc::Sender<Vec<Done>>,
) {
    loop {
        let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(TcpJob { line, first }) = job else {
            return;
        };
        let finished = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let ask = pipeline::ask_of(&line.plan, &line.question);
            let result = policy::resume(
                transport,
                ask,
                line.session,
                first,
                &mut crate::dns::random::id,
                None,
            );
            let outcome = match &result {
                Ok(done) => completed_outcome(&line.plan, &line.question, done),
                Err(failed) => failed_outcome(&line.plan, &line.question, failed),
            };
            Done {
                index: line.index,
                line: line.line,
                result: Ok(vec![outcome]),
            }
        }));
        if let Ok(done) = finished {
            // The receiver only goes away when the run is over.
            let _ = sender.send(vec![done]);
        }
    }
}

/// What a worker thread shares with the others.
struct Worker<'a> {
    batch: &'a BatchPlan,
    lines: &'a [(usize, &'a str)],
    next: &'a AtomicUsize,
    env: &'a dyn Env,
    transport: &'a dyn Transport,
    gate: &'a ServerGate,
    limit: Option<&'a RateLimit>,
    sender: mpsc::Sender<Vec<Done>>,
    tcp: mpsc::Sender<TcpJob<'a>>,
    bundle: std::cell::RefCell<Bundle>,
}

/// Results waiting to go to the printer: handing them over one by one woke the
/// printer thread once per query.
struct Bundle {
    done: Vec<Done>,
    since: Instant,
}

/// Results go to the printer at least this often, and in bundles of at most this many.
const BUNDLE_AGE: Duration = Duration::from_millis(20);
const BUNDLE_SIZE: usize = 64;

impl<'a> Worker<'a> {
    /// The next line nobody has taken: (index, line number, words).
    fn take(&self) -> Option<(usize, usize, Vec<&'a str>)> {
        if STOP.load(Ordering::SeqCst) {
            return None;
        }
        let index = self.next.fetch_add(1, Ordering::SeqCst);
        self.lines
            .get(index)
            .map(|(line, text)| (index, *line, text.split_whitespace().collect()))
    }

    fn send(&self, done: Done) {
        let full = {
            let mut bundle = self.bundle.borrow_mut();
            if bundle.done.is_empty() {
                bundle.since = Instant::now();
            }
            bundle.done.push(done);
            bundle.done.len() >= BUNDLE_SIZE || bundle.since.elapsed() >= BUNDLE_AGE
        };
        if full {
            self.flush();
        }
    }

    /// Hands a line over to the TCP pool.
    fn tcp(&self, job: TcpJob<'a>) {
        // The pool only goes away when the workers are done.
        let _ = self.tcp.send(job);
    }

    /// Hands the waiting results over if the oldest has waited [`BUNDLE_AGE`].
    fn flush_if_old(&self) {
        let old = {
            let bundle = self.bundle.borrow();
            !bundle.done.is_empty() && bundle.since.elapsed() >= BUNDLE_AGE
        };
        if old {
            self.flush();
        }
    }

    /// Hands the waiting results to the printer.
    fn flush(&self) {
        let done = std::mem::take(&mut self.bundle.borrow_mut().done);
        if !done.is_empty() {
            // The receiver only goes away when the run is over.
            let _ = self.sender.send(done);
        }
    }

    /// Runs every lookup of a plan one after another, the ordinary way.
    fn run_plan(&self, plan: &Plan) -> Result<Vec<Outcome>, Error> {
        let server = plan.servers.addresses.first().copied();
        let mut outcomes = Vec::with_capacity(plan.lookups.len());
        for lookup in &plan.lookups {
            if let Some(limit) = self.limit {
                limit.wait();
            }
            let ticket = server.map(|server| self.gate.enter(server));
            outcomes.push(look_up(plan, lookup, self.transport));
            drop(ticket);
        }
        Ok(outcomes)
    }

    /// Takes lines one at a time and runs each the ordinary way.
    fn run_blocking(&self) {
        while let Some((index, line, words)) = self.take() {
            let result = lines::build_line(&self.batch.base_cli, &self.batch.base, &words, self.env)
                .and_then(|plan| self.run_plan(&plan));
            self.send(Done { index, line, result });
            self.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_blanks_and_comments() {
        let parsed =
            lines("www.example.test A\n\n# comment\n; dig comment\n  mail.example.test MX @127.0.0.2  \n");
        assert_eq!(
            parsed,
            vec![(1, "www.example.test A"), (5, "mail.example.test MX @127.0.0.2")]
        );
    }
}
