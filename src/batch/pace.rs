//! Pacing a batch: `--qps` spaces queries out over all workers, and `--max-per-server`
//! caps the queries in flight to one server, by tickets that give their place back
//! when dropped.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Spaces queries `1/qps` apart across all workers.
pub(super) struct RateLimit {
    next: Mutex<Instant>,
    gap: Duration,
}

impl RateLimit {
    pub(super) fn new(qps: u32) -> Self {
        Self {
            next: Mutex::new(Instant::now()),
            gap: Duration::from_secs(1) / qps,
        }
    }

    pub(super) fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
            let slot = (*next).max(Instant::now());
            *next = super::deadline(slot, self.gap);
            slot
        };
        std::thread::sleep(slot.saturating_duration_since(Instant::now()));
    }
}

/// At most `cap` queries in flight per server.
pub(super) struct ServerGate {
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
    pub(super) fn new(cap: usize) -> Self {
        Self {
            in_flight: Mutex::new(Vec::new()),
            waiting: AtomicUsize::new(0),
            freed: Condvar::new(),
            cap,
        }
    }

    /// Enters when there is room, waiting for it.
    pub(super) fn enter(&self, server: SocketAddr) -> Ticket<'_> {
        let mut counts = self.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        while *count_of(&mut counts, server) >= self.cap {
            self.waiting.fetch_add(1, Ordering::SeqCst);
            counts = self.freed.wait(counts).unwrap_or_else(PoisonError::into_inner);
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        *count_of(&mut counts, server) += 1;
        Ticket { gate: self, server }
    }

    /// Enters when there is room, without waiting.
    pub(super) fn try_enter(&self, server: SocketAddr) -> Option<Ticket<'_>> {
        let mut counts = self.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        let n = count_of(&mut counts, server);
        if *n >= self.cap {
            return None;
        }
        *n += 1;
        Some(Ticket { gate: self, server })
    }

    fn leave(&self, server: SocketAddr) {
        let mut counts = self.in_flight.lock().unwrap_or_else(PoisonError::into_inner);
        let n = count_of(&mut counts, server);
        *n = n.saturating_sub(1);
        drop(counts);
        if self.waiting.load(Ordering::SeqCst) > 0 {
            self.freed.notify_all();
        }
    }
}

/// A query's place at the gate, given back when it is dropped: when the line is done,
/// and also when a worker that held it dies, so that no other worker waits for ever.
pub(super) struct Ticket<'g> {
    gate: &'g ServerGate,
    server: SocketAddr,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.gate.leave(self.server);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_caps_servers() {
        let gate = ServerGate::new(2);
        let server: SocketAddr = "127.0.0.1:53".parse().unwrap();
        let peak = AtomicUsize::new(0);
        let now = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let ticket = gate.enter(server);
                    let current = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(current, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(5));
                    now.fetch_sub(1, Ordering::SeqCst);
                    drop(ticket);
                });
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn the_rate_limit_spaces_queries() {
        let limit = RateLimit::new(100);
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
