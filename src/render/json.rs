//! JSON lines: one object per report, one report per line, so `jq` reads one query
//! and many the same way. The schema is documented in the README.

use std::io::{self, Write};

use crate::error::Error;
use crate::model::{ErrorReport, Report};
use crate::trace::TraceReport;

pub(super) fn report(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    line(report, out)
}

/// One object and its newline in one write: serde_json's many small writes through a
/// `dyn Write` cost more than the serialising itself in a large batch.
fn line(value: &impl serde::Serialize, out: &mut dyn Write) -> io::Result<()> {
    let mut bytes = serde_json::to_vec(value)?;
    bytes.push(b'\n');
    out.write_all(&bytes)
}

pub(super) fn error(error: &Error, out: &mut dyn Write) -> io::Result<()> {
    line(&ErrorReport::of(error), out)
}

pub(super) fn trace(report: &TraceReport, out: &mut dyn Write) -> io::Result<()> {
    line(report, out)
}
