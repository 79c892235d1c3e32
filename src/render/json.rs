//! JSON lines: one object per report, one report per line, so `jq` reads one query
//! and many the same way. The schema is documented in the README.

use std::io::{self, Write};

use crate::error::Error;
use crate::model::{ErrorReport, Report};
use crate::trace::TraceReport;

pub(super) fn report(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    writeln!(out)
}

pub(super) fn error(error: &Error, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &ErrorReport::of(error))?;
    writeln!(out)
}

pub(super) fn trace(report: &TraceReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    writeln!(out)
}
