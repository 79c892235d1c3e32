//! The query budget of a trace: a transport that counts what passes and refuses every
//! query past the limit, so that no hierarchy can make one trace send unbounded traffic.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::transport::{Failure, Reply, Request, Transport, TransportError};

/// Counts queries and refuses every one past the budget.
pub(crate) struct Budget<'a> {
    pub(crate) inner: &'a dyn Transport,
    pub(crate) limit: u32,
    pub(crate) sent: AtomicU32,
}

impl Budget<'_> {
    pub(crate) fn spent(&self) -> bool {
        self.sent.load(Ordering::Relaxed) >= self.limit
    }
}

impl Transport for Budget<'_> {
    fn exchange(&self, request: &Request<'_>) -> Result<Reply, TransportError> {
        if self.sent.fetch_add(1, Ordering::Relaxed) >= self.limit {
            self.sent.fetch_sub(1, Ordering::Relaxed);
            return Err(TransportError {
                failure: Failure::Io("query budget spent".to_owned()),
                ignored: vec![],
            });
        }
        self.inner.exchange(request)
    }
}
