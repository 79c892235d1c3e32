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

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::cli::env::Env;
use crate::cli::lines::{self, BatchPlan};
use crate::cli::plan::Plan;
use crate::lookup::look_up;
use crate::model::exit::{Error, Exit};
use crate::model::outcome::Outcome;
use crate::model::report::ErrorReport;
use crate::render;
use crate::render::Format;
use crate::transport::Transport;

mod pipeline;

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

/// Spaces queries `1/qps` apart across all workers.
struct RateLimit {
    next: Mutex<Instant>,
    gap: Duration,
}

impl RateLimit {
    fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().expect("rate limit lock");
            let slot = (*next).max(Instant::now());
            *next = slot + self.gap;
            slot
        };
        std::thread::sleep(slot.saturating_duration_since(Instant::now()));
    }
}

/// At most `cap` queries in flight per server.
struct ServerGate {
    /// Queries in flight per server. A batch asks few servers and enters and leaves the
    /// gate for every query, so a short list beats hashing the address each time.
    in_flight: Mutex<Vec<(SocketAddr, usize)>>,
    /// Threads blocked in `enter`: `leave` wakes them only when there are some, since a
    /// wake-up is a system call and a batch leaves the gate once per query.
    waiting: AtomicUsize,
    freed: Condvar,
    cap: usize,
}

impl ServerGate {
    fn enter(&self, server: SocketAddr) {
        let mut counts = self.in_flight.lock().expect("gate lock");
        while *count_of(&mut counts, server) >= self.cap {
            self.waiting.fetch_add(1, Ordering::SeqCst);
            counts = self.freed.wait(counts).expect("gate lock");
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        *count_of(&mut counts, server) += 1;
    }

    /// Enters when there is room, without waiting.
    fn try_enter(&self, server: SocketAddr) -> bool {
        let mut counts = self.in_flight.lock().expect("gate lock");
        let n = count_of(&mut counts, server);
        if *n >= self.cap {
            return false;
        }
        *n += 1;
        true
    }

    fn leave(&self, server: SocketAddr) {
        let mut counts = self.in_flight.lock().expect("gate lock");
        let n = count_of(&mut counts, server);
        *n = n.saturating_sub(1);
        drop(counts);
        if self.waiting.load(Ordering::SeqCst) > 0 {
            self.freed.notify_all();
        }
    }
}

/// The count of `server` in `counts`, added at zero when missing.
fn count_of(counts: &mut Vec<(SocketAddr, usize)>, server: SocketAddr) -> &mut usize {
    let at = match counts.iter().position(|(s, _)| *s == server) {
        Some(at) => at,
        None => {
            counts.push((server, 0));
            counts.len() - 1
        }
    };
    &mut counts[at].1
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
    let limit = batch.qps.map(|qps| RateLimit {
        next: Mutex::new(Instant::now()),
        gap: Duration::from_secs(1) / qps,
    });
    let gate = ServerGate {
        in_flight: Mutex::new(Vec::new()),
        waiting: AtomicUsize::new(0),
        freed: Condvar::new(),
        cap: batch.max_per_server,
    };
    let (send, receive) = mpsc::channel::<Vec<Done>>();

    let mut printer = Printer {
        batch,
        out,
        err,
        exit: Exit::ANSWER,
        shown: 0,
        broken: false,
        pending: BTreeMap::new(),
        next_index: 0,
    };
    // One pipelined worker per core, each with its share of the queries in flight.
    let threads = batch
        .jobs
        .min(std::thread::available_parallelism().map_or(1, usize::from))
        .min(lines.len())
        .max(1);
    let window = batch.jobs.div_ceil(threads);
    std::thread::scope(|scope| {
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
                bundle: std::cell::RefCell::new(Bundle {
                    done: Vec::new(),
                    since: Instant::now(),
                }),
            };
            scope.spawn(move || {
                pipeline::run(&worker, window);
                worker.flush();
            });
        }
        drop(send);
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
            if printer.broken {
                STOP.store(true, Ordering::SeqCst);
            }
        }
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let done = printer.shown_lines();
    let mut exit = printer.finish();
    if STOP.load(Ordering::SeqCst) && done < lines.len() {
        let _ = writeln!(err, "dnscope: interrupted after {done} of {} lines", lines.len());
        exit = Exit::INTERRUPTED;
    }
    exit
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

impl Worker<'_> {
    /// The next line nobody has taken: (index, line number, words).
    fn take(&self) -> Option<(usize, usize, Vec<&str>)> {
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
            if let Some(server) = server {
                self.gate.enter(server);
            }
            outcomes.push(look_up(plan, lookup, self.transport));
            if let Some(server) = server {
                self.gate.leave(server);
            }
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

/// Writes results as they come, or in input order.
struct Printer<'a> {
    batch: &'a BatchPlan,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    exit: Exit,
    shown: usize,
    broken: bool,
    pending: BTreeMap<usize, Done>,
    next_index: usize,
}

impl Printer<'_> {
    fn accept(&mut self, done: Done) {
        if !self.batch.ordered {
            self.next_index += 1;
            return self.show(done);
        }
        self.pending.insert(done.index, done);
        while let Some(done) = self.pending.remove(&self.next_index) {
            self.next_index += 1;
            self.show(done);
        }
    }

    /// Lines shown so far.
    fn shown_lines(&self) -> usize {
        self.next_index
    }

    fn show(&mut self, done: Done) {
        if self.broken {
            return;
        }
        let json = self.batch.format == Format::Json;
        let written = match done.result {
            Err(error) => {
                self.exit = self.exit.worst(error.exit());
                if json {
                    let mut report = ErrorReport::of(&error);
                    report.line = Some(done.line);
                    serde_json::to_writer(&mut *self.out, &report)
                        .map_err(io::Error::from)
                        .and_then(|()| writeln!(self.out))
                } else {
                    writeln!(self.err, "dnscope: line {}: {error}", done.line)
                }
            }
            Ok(outcomes) => outcomes.into_iter().try_for_each(|mut outcome| {
                self.exit = self.exit.worst(outcome.exit());
                outcome.set_line(done.line);
                let options = render::Options {
                    format: self.batch.format,
                    display: self.batch.display,
                    command_line: "",
                    index: self.shown,
                };
                self.shown += 1;
                render::outcome(&outcome, &options, self.out, self.err)
            }),
        };
        if written.is_err() {
            self.broken = true;
        }
    }

    /// Flushes what was written; once per bundle of results, not once per result.
    fn flush(&mut self) {
        if !self.broken && self.out.flush().is_err() {
            self.broken = true;
        }
    }

    fn finish(mut self) -> Exit {
        self.flush();
        self.exit
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

    #[test]
    fn the_gate_caps_servers() {
        let gate = ServerGate {
            in_flight: Mutex::new(Vec::new()),
            waiting: AtomicUsize::new(0),
            freed: Condvar::new(),
            cap: 2,
        };
        let server: SocketAddr = "127.0.0.1:53".parse().unwrap();
        let peak = AtomicUsize::new(0);
        let now = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    gate.enter(server);
                    let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(current, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                    now.fetch_sub(1, Ordering::SeqCst);
                    gate.leave(server);
                });
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn the_rate_limit_spaces_queries() {
        let limit = RateLimit {
            next: Mutex::new(Instant::now()),
            gap: Duration::from_millis(10),
        };
        let started = Instant::now();
        for _ in 0..6 {
            limit.wait();
        }
        assert!(
            started.elapsed() >= Duration::from_millis(50),
            "{:?}",
            started.elapsed()
        );
    }
}
