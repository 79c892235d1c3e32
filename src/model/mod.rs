//! What happened, as plain data: a query's report, a trace's report, the verdicts of
//! `--expect`, a lookup's outcome, errors and exit codes. The one model that the text
//! and JSON renderers both read; serialised as the documented JSON schema.
//!
//! May use: dns, transport, xfr (the attempts a report records; a transfer's labels). Knows nothing of how it is
//! rendered, judged or planned.

pub mod exit;
pub(crate) mod lifecycle;
pub(crate) mod outcome;
pub(crate) mod report;
pub(crate) mod trace;
pub(crate) mod transfer;
pub(crate) mod verdict;
