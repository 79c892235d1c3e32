//! What a check run found, for the text, JSON and JUnit writers.

use serde::Serialize;

use crate::model::outcome::Outcome;
use crate::model::verdict::Verdict;

/// The result of one check.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CheckResult {
    pub name: String,
    /// The command line the check ran, without the program name.
    pub command: String,
    pub passed: bool,
    pub exit_code: u8,
    pub expectations: Vec<Verdict>,
    /// Why the check could not be judged (no reply), if so.
    pub error: Option<String>,
    pub duration_us: u64,
    /// The full query or trace report; `null` only when the check itself failed (an
    /// internal error).
    pub result: Option<Outcome>,
}

/// The report of a check run.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CheckReport {
    pub schema_version: u32,
    /// Always "check".
    pub mode: &'static str,
    pub file: String,
    pub checks: Vec<CheckResult>,
    pub summary: CheckSummary,
    pub exit_code: u8,
}

/// Totals.
#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct CheckSummary {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub total_us: u64,
}
