//! `+short`: the answer's data, one record per line, as dig +short prints it.

use std::io::{self, Write};

use crate::model::report::Report;

pub(super) fn report(
    report: &Report,
    identify: bool,
    layout: super::multiline::Layout,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    if let Some(line) = super::error_line(report) {
        return writeln!(err, "{line}");
    }
    // +identify, as dig prints it: the server that answered and the round trip.
    let from = if identify {
        format!(
            " from server {} in {} ms.",
            report.server.address,
            report.rtt_us.unwrap_or_default() / 1000
        )
    } else {
        String::new()
    };
    for record in report.response.iter().flat_map(|r| r.answering()) {
        writeln!(out, "{}{from}", super::multiline::text(record, layout))?;
    }
    super::write_failed_verdicts(&report.expectations, err)
}
