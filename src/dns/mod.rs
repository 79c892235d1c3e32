//! The DNS wire layer: names, record types and classes, presentation of rdata, building
//! queries and decoding replies, random IDs, and name patterns. Plain functions over
//! hickory-proto's types.
//!
//! May use: nothing (every other folder stands on this one).

pub(crate) mod answer;
pub(crate) mod decode;
pub(crate) mod glob;
pub(crate) mod names;
pub(crate) mod presentation;
pub(crate) mod random;
pub(crate) mod rrtype;
pub(crate) mod tsig;
pub(crate) mod wire;
