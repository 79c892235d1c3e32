//! The verdict on one `--expect` assertion, as reports carry it. The assertions and
//! their judging belong to the expect layer above; this is only what it found.

use serde::Serialize;

/// The verdict on one expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Verdict {
    /// The expectation as typed.
    pub expect: String,
    pub passed: bool,
    /// What was there, in words.
    pub seen: String,
}
