//! Asking a cut's servers in turn without waiting out a silent one (a hedged query):
//! the next server is asked as soon as every server asked so far has failed, or when
//! the newest one has been silent for the hedge delay. The first usable reply wins; the
//! servers still being waited for are told to stop, and every attempt is reported.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// At most this many servers of one cut are waited for at once.
const IN_FLIGHT: usize = 3;

/// The hedge delay: a few times the slowest round trip seen so far, so that a server
/// that is merely far away is not raced, within bounds that keep a silent one cheap.
pub(crate) fn hedge_delay(slowest_rtt: Duration) -> Duration {
    (slowest_rtt * 3).clamp(Duration::from_millis(100), Duration::from_millis(400))
}

/// What became of racing `candidates`.
pub(crate) struct Raced<R> {
    /// The result of each candidate that was asked, in the candidates' order; the
    /// candidates after the last one asked were not asked.
    pub results: Vec<R>,
    /// How long each of them took, from its start.
    pub took: Vec<Duration>,
    /// The index of the first usable result.
    pub winner: Option<usize>,
}

/// How the candidates are asked.
#[derive(Clone, Copy)]
pub(crate) enum Mode {
    /// In turn, the next one after the hedge delay; the others stop once one wins.
    Hedged(Duration),
    /// All at once (at most this many waited for), every one to its end.
    All(usize),
}

/// `+nsall`'s questions to the servers of one cut waited for at once (the walk's
/// question and the probes of every server): the threads of a cut are bounded by it,
/// however many servers the cut has (13 root servers, two families each).
pub(crate) const PROBES_IN_FLIGHT: usize = 64;

/// Runs `attempt` for the candidates as `mode` says (see the module's comment), while
/// `may_start` allows; `attempt` must give up soon once its flag is set.
pub(crate) fn race<C: Sync, R: Send>(
    candidates: &[C],
    mode: Mode,
    may_start: &dyn Fn() -> bool,
    attempt: &(dyn Fn(&C, &AtomicBool) -> R + Sync),
    usable: &dyn Fn(&R) -> bool,
) -> Raced<R> {
    let cancel = AtomicBool::new(false);
    // Most cuts a trace meets have one server left to ask: nothing to race, no thread.
    if let [only] = candidates {
        if !may_start() {
            return Raced {
                results: Vec::new(),
                took: Vec::new(),
                winner: None,
            };
        }
        let start = Instant::now();
        let result = attempt(only, &cancel);
        let winner = usable(&result).then_some(0);
        return Raced {
            results: vec![result],
            took: vec![start.elapsed()],
            winner,
        };
    }
    let mut results: Vec<Option<(R, Duration)>> = candidates.iter().map(|_| None).collect();
    let mut winner = None;
    let mut started = 0;
    std::thread::scope(|scope| {
        let (done, finished) = mpsc::channel();
        let mut running = 0;
        let mut last_start = Instant::now();
        let (delay, in_flight, all) = match mode {
            Mode::Hedged(delay) => (delay, IN_FLIGHT, false),
            Mode::All(in_flight) => (Duration::ZERO, in_flight.max(1), true),
        };
        loop {
            let hedge = running == 0 || (running < in_flight && last_start.elapsed() >= delay);
            if (all || winner.is_none()) && started < candidates.len() && hedge && may_start() {
                let (index, candidate, cancel, done) = (started, &candidates[started], &cancel, done.clone());
                scope.spawn(move || {
                    // The receiver outlives every sender in this scope.
                    let start = Instant::now();
                    let result = attempt(candidate, cancel);
                    let _ = done.send((index, result, start.elapsed()));
                });
                started += 1;
                running += 1;
                last_start = Instant::now();
                continue;
            }
            if running == 0 {
                break;
            }
            let may_hedge = !all && winner.is_none() && started < candidates.len() && running < in_flight;
            let received = if may_hedge {
                finished.recv_timeout(delay.saturating_sub(last_start.elapsed()))
            } else {
                finished.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected)
            };
            match received {
                Ok((index, result, took)) => {
                    running -= 1;
                    if winner.is_none() && usable(&result) {
                        winner = Some(index);
                        if !all {
                            cancel.store(true, Ordering::Relaxed);
                        }
                    }
                    results[index] = Some((result, took));
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
    });
    let (results, took) = results.into_iter().take(started).flatten().unzip();
    Raced {
        results,
        took,
        winner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each candidate is (delay, usable); an attempt sleeps in steps, giving up when
    /// told to.
    fn attempt(&(delay, ok): &(u64, bool), cancel: &AtomicBool) -> (bool, bool) {
        let until = Instant::now() + Duration::from_millis(delay);
        while Instant::now() < until {
            if cancel.load(Ordering::Relaxed) {
                return (false, true);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        (ok, false)
    }

    fn run(candidates: &[(u64, bool)]) -> (Raced<(bool, bool)>, Duration) {
        let started = Instant::now();
        let raced = race(
            candidates,
            Mode::Hedged(Duration::from_millis(100)),
            &|| true,
            &attempt,
            &|r| r.0,
        );
        (raced, started.elapsed())
    }

    #[test]
    fn a_silent_first_server_costs_the_hedge_delay_not_its_timeout() {
        let (raced, took) = run(&[(800, false), (10, true), (10, true)]);
        assert_eq!(raced.winner, Some(1));
        assert_eq!(raced.results.len(), 2, "the third was never asked");
        assert_eq!(raced.results[0], (false, true), "the silent one was told to stop");
        assert!(took < Duration::from_millis(400), "{took:?}");
    }

    #[test]
    fn failures_move_on_at_once_and_every_result_is_kept() {
        let (raced, took) = run(&[(5, false), (5, false), (5, true)]);
        assert_eq!(raced.winner, Some(2));
        assert_eq!(raced.results, [(false, false), (false, false), (true, false)]);
        assert!(took < Duration::from_millis(100), "{took:?}");
        let (raced, _) = run(&[(5, false), (5, false)]);
        assert_eq!(raced.winner, None);
        assert_eq!(raced.results.len(), 2);
    }

    #[test]
    fn no_more_start_than_may_start_allows() {
        let raced = race(
            &[(5, false), (5, true)],
            Mode::All(8),
            &|| false,
            &attempt,
            &|r| r.0,
        );
        assert!(raced.results.is_empty());
        assert_eq!(raced.winner, None);
    }

    #[test]
    fn all_asks_every_one_at_once_and_waits_for_each() {
        let started = Instant::now();
        let raced = race(
            &[(10, true), (300, false), (200, true)],
            Mode::All(8),
            &|| true,
            &attempt,
            &|r| r.0,
        );
        let took = started.elapsed();
        assert_eq!(raced.winner, Some(0));
        assert_eq!(
            raced.results,
            [(true, false), (false, false), (true, false)],
            "none was stopped"
        );
        // Concurrent: the slowest one's time (300 ms), not the sum (510 ms).
        assert!(took < Duration::from_millis(480), "{took:?}");
    }

    #[test]
    fn hedge_delay_bounds() {
        assert_eq!(hedge_delay(Duration::from_millis(1)), Duration::from_millis(100));
        assert_eq!(hedge_delay(Duration::from_millis(50)), Duration::from_millis(150));
        assert_eq!(hedge_delay(Duration::from_secs(1)), Duration::from_millis(400));
    }
}
