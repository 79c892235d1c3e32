//! Zone transfers (AXFR, RFC 5936; IXFR, RFC 1995): the query, and the judging of the
//! stream of messages that answers it, record by record. No sockets here: the lookup
//! layer feeds the messages in as they arrive.
//!
//! May use: dns.

pub(crate) mod judge;
pub(crate) mod query;

#[cfg(test)]
mod tests;
