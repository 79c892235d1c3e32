//! `+short`: the answer's data, one record per line, as dig +short prints it.

use std::io::{self, Write};

use crate::model::report::Report;

pub(super) fn report(report: &Report, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
    if let Some(line) = super::error_line(report) {
        return writeln!(err, "{line}");
    }
    for record in report.response.iter().flat_map(|r| r.answering()) {
        writeln!(out, "{}", record.data)?;
    }
    super::write_failed_verdicts(&report.expectations, err)
}
