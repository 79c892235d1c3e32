pub mod glob;
pub mod names;
pub mod presentation;
pub mod random;
pub mod rrtype;
pub mod wire;
