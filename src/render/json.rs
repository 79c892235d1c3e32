//! JSON lines: one object per report, one report per line, so `jq` reads one query
//! and many the same way. The schema is documented in the README.

use std::io::{self, Write};

use crate::model::exit::Error;
use crate::model::report::{ErrorReport, Report};
use crate::model::trace::TraceReport;

pub(super) fn report(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    line(report, out)
}

/// One object and its newline in one write: serde_json's many small writes through a
/// `dyn Write` cost more than the serialising itself in a large batch. The buffer is
/// kept, as growing a fresh one for every object of a batch showed in its profile.
pub(super) fn line(value: &impl serde::Serialize, out: &mut dyn Write) -> io::Result<()> {
    BUFFER.with_borrow_mut(|bytes| {
        bytes.clear();
        serde_json::to_writer(&mut *bytes, value)?;
        bytes.push(b'\n');
        out.write_all(bytes)
    })
}

thread_local! {
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

pub(super) fn error(error: &Error, out: &mut dyn Write) -> io::Result<()> {
    line(&ErrorReport::of(error), out)
}

pub(super) fn trace(report: &TraceReport, out: &mut dyn Write) -> io::Result<()> {
    line(report, out)
}
