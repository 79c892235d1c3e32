//! DNSSEC validation, the pure part: signatures checked in full (not only their bytes),
//! DS against DNSKEY, and a zone's key set against its parent's DS set, each giving a
//! verdict with the exact reason. The trace feeds it the records it fetched; no I/O here.
//!
//! hickory-proto verifies the signature bytes; everything around them is checked here:
//! the validity window (RFC 1982 arithmetic, with a clock-skew allowance), the signer
//! name, the label count (wildcards), the key tag and algorithm, the zone-key bit, and
//! the canonical form of the signed data (RFC 4034 §6, as RFC 6840 §5.1 amends it),
//! built here so that names in RDATA and the RRset order are exactly the RFC's.
//!
//! May use: dns.

pub(crate) mod anchors;
pub(crate) mod canonical;
pub(crate) mod denial;
pub(crate) mod judge;
pub(crate) mod keys;
pub(crate) mod verify;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
