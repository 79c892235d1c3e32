//! The budget of a trace: a transport that counts what passes and refuses every query
//! past the limits (queries in all, queries to any one server, wall-clock time), so
//! that no hierarchy can make one trace send unbounded traffic or run for ever.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::transport::{Failure, Reply, Request, Transport, TransportError};

/// Counts queries, and refuses every one past a limit or after the deadline.
pub(crate) struct Budget<'a> {
    inner: &'a dyn Transport,
    limit: u32,
    per_server: u32,
    deadline: Instant,
    sent: AtomicU32,
    by_server: Mutex<HashMap<SocketAddr, u32>>,
}

impl<'a> Budget<'a> {
    /// A budget of `limit` queries, `per_server` to any one address and port, ending
    /// `time` after now.
    pub(crate) fn new(inner: &'a dyn Transport, limit: u32, per_server: u32, time: Duration) -> Self {
        let now = Instant::now();
        Budget {
            inner,
            limit,
            per_server,
            deadline: now.checked_add(time).unwrap_or(now),
            sent: AtomicU32::new(0),
            by_server: Mutex::new(HashMap::new()),
        }
    }

    /// Queries sent so far.
    pub(crate) fn sent(&self) -> u32 {
        self.sent.load(Ordering::Relaxed)
    }

    pub(crate) fn spent(&self) -> bool {
        self.sent() >= self.limit
    }

    pub(crate) fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }

    fn refuse(why: String) -> Result<Reply, TransportError> {
        Err(TransportError {
            failure: Failure::Io(why),
            ignored: vec![],
        })
    }
}

impl Transport for Budget<'_> {
    fn exchange(&self, request: &Request<'_>) -> Result<Reply, TransportError> {
        let Some(left) = self
            .deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return Self::refuse("not asked: the trace's time budget is spent".to_owned());
        };
        {
            let mut by_server = self.by_server.lock().unwrap_or_else(PoisonError::into_inner);
            let count = by_server.entry(request.expect.server).or_insert(0);
            if *count >= self.per_server {
                return Self::refuse(format!(
                    "not asked: {} queries already went to this server in this trace",
                    self.per_server
                ));
            }
            if self.sent.fetch_add(1, Ordering::Relaxed) >= self.limit {
                self.sent.fetch_sub(1, Ordering::Relaxed);
                return Self::refuse("not asked: query budget spent".to_owned());
            }
            *count += 1;
        }
        // No attempt outlives the trace's deadline.
        let request = Request {
            timeout: request.timeout.min(left),
            ..*request
        };
        self.inner.exchange(&request)
    }
}
