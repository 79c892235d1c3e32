//! What one lookup came to, whichever way it was made: the unit that renderers print,
//! batches stream and checks judge.

use crate::model::exit::Exit;
use crate::model::report::Report;
use crate::model::trace::TraceReport;
use crate::model::transfer::TransferReport;
use crate::model::verdict::Verdict;

/// What one lookup came to: a query's report or a trace, with `--expect` judged.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub(crate) enum Outcome {
    Query(Box<Report>),
    Trace(Box<TraceReport>),
    /// A zone transfer's summary (its records were streamed as they came).
    Transfer(Box<TransferReport>),
}

impl Outcome {
    /// The exit status of this lookup alone.
    pub(crate) fn exit(&self) -> Exit {
        Exit::of_code(match self {
            Outcome::Query(r) => r.exit_code,
            Outcome::Trace(r) => r.exit_code,
            Outcome::Transfer(r) => r.exit_code,
        })
    }

    /// Marks the batch line this outcome came from.
    pub(crate) fn set_line(&mut self, line: usize) {
        match self {
            Outcome::Query(r) => r.line = Some(line),
            Outcome::Trace(r) => r.line = Some(line),
            // A batch never transfers a zone (the planner refuses it).
            Outcome::Transfer(_) => {}
        }
    }

    /// The `--expect` verdicts.
    pub(crate) fn expectations(&self) -> &[Verdict] {
        match self {
            Outcome::Query(r) => &r.expectations,
            Outcome::Trace(r) => &r.expectations,
            Outcome::Transfer(_) => &[],
        }
    }
}
