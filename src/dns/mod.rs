//! The DNS wire layer: names, record types and classes, presentation of rdata, building
//! queries and decoding replies, random IDs, and name patterns. Plain functions over
//! hickory-proto's types.
//!
//! May use: nothing (every other folder stands on this one).

pub mod glob;
pub mod names;
pub mod presentation;
pub mod random;
pub mod rrtype;
pub mod wire;
