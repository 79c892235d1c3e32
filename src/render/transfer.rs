//! A zone transfer, printed as it arrives: in text, each record in zone-file form with a
//! comment line where an IXFR step's deletions or additions begin, then dig's summary
//! (`;; XFR size: …`) and what kind of transfer it was; `+short`, the record data only;
//! JSON, one line per message and a last line with the summary.

use std::io::{self, Write};
use std::time::Duration;

use super::{Format, Options, Palette, json, text};
use crate::model::transfer::{TransferMessage, TransferReport};
use crate::xfr::judge::{Change, Kind};

/// Prints one transfer; remembers where the last record belonged, so that a step's
/// heading is printed once however its records are split into messages.
pub(crate) struct Printer<'a> {
    options: &'a Options<'a>,
    palette: Palette,
    group: Option<Change>,
}

impl<'a> Printer<'a> {
    /// A printer of one transfer.
    pub(crate) fn new(options: &'a Options<'a>) -> Self {
        Self {
            options,
            palette: Palette::new(options.display.colour),
            group: None,
        }
    }

    /// What comes before the first message: dig's command line.
    ///
    /// # Errors
    /// When writing fails.
    pub(crate) fn start(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.options.format == Format::Text {
            super::preamble(self.options, &self.palette, out)?;
        }
        Ok(())
    }

    /// One message's records.
    ///
    /// # Errors
    /// When writing fails.
    pub(crate) fn message(&mut self, message: &TransferMessage, out: &mut dyn Write) -> io::Result<()> {
        match self.options.format {
            Format::Json => json::line(message, out),
            Format::Short | Format::NsSearch => {
                let (onesoa, layout) = (self.options.display.onesoa, self.options.display.layout);
                for r in message.records.iter().filter(|r| shown(onesoa, r.change)) {
                    writeln!(out, "{}", super::multiline::text(&r.record, layout))?;
                }
                Ok(())
            }
            // The planner refuses +yaml for a transfer.
            Format::Text | Format::Yaml => {
                let d = self.options.display;
                let p = self.palette;
                let onesoa = self.options.display.onesoa;
                for r in message.records.iter().filter(|r| shown(onesoa, r.change)) {
                    if let Some(heading) = self.heading(r.change) {
                        writeln!(out, "{}", p.comment.style(heading))?;
                    }
                    writeln!(out, "{}", text::record_line(&r.record, &d, &p))?;
                }
                Ok(())
            }
        }
    }

    /// A comment line where a step's deletions or additions begin.
    fn heading(&mut self, change: Change) -> Option<String> {
        let previous = self.group.replace(change);
        let heading = match change {
            Change::Deleted { serial } => format!("; deleted from serial {serial}:"),
            Change::Added { serial } => format!("; added in serial {serial}:"),
            Change::Closing if matches!(previous, Some(Change::Added { .. })) => {
                "; end of changes:".to_owned()
            }
            _ => return None,
        };
        (previous != Some(change)).then_some(heading)
    }

    /// The summary, and the error on stderr (text and `+short`).
    ///
    /// # Errors
    /// When writing fails.
    pub(crate) fn finish(
        &self,
        report: &TransferReport,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> io::Result<()> {
        let error = report
            .error
            .as_ref()
            .map(|e| super::failure_line(&report.query.name, &report.query.rtype, &e.message));
        match self.options.format {
            Format::Json => return json::line(report, out),
            Format::Text if self.options.display.stats => self.stats(report, out)?,
            _ => {}
        }
        if let Some(line) = error {
            writeln!(err, "{line}")?;
        }
        Ok(())
    }

    fn stats(&self, report: &TransferReport, out: &mut dyn Write) -> io::Result<()> {
        let p = &self.palette;
        writeln!(out)?;
        writeln!(
            out,
            ";; Query time: {}",
            humantime::format_duration(Duration::from_micros(report.time_us))
        )?;
        writeln!(out, "{}", super::server_line(&report.server))?;
        writeln!(out, ";; WHEN: {}", report.when)?;
        writeln!(
            out,
            ";; XFR size: {} records (messages {}, bytes {})",
            report.records, report.messages, report.bytes
        )?;
        if let Some(line) = kind_line(report) {
            writeln!(out, "{}", p.comment.style(line))?;
        }
        if let Some(tsig) = &report.tsig {
            let state = if tsig.verified {
                p.good.style("verified")
            } else {
                p.bad.style("NOT verified")
            };
            writeln!(
                out,
                ";; TSIG: {state} with key {} ({}): {} message(s) signed, {} unsigned",
                tsig.key, tsig.algorithm, tsig.signed, tsig.unsigned
            )?;
        }
        Ok(())
    }
}

/// Whether a record is printed: `+onesoa` leaves out the closing SOA.
fn shown(onesoa: bool, change: Change) -> bool {
    !(onesoa && change == Change::Closing)
}

fn kind_line(report: &TransferReport) -> Option<String> {
    let serial = report.serial?;
    Some(match report.kind? {
        Kind::Axfr => format!(";; XFR: AXFR of serial {serial}"),
        Kind::Full => format!(";; XFR: IXFR answered with the whole zone, serial {serial}"),
        Kind::UpToDate => format!(
            ";; XFR: up to date: the server has serial {serial}, the query said {}",
            report.client_serial.unwrap_or_default()
        ),
        Kind::Incremental => {
            let steps: Vec<String> = report
                .steps
                .iter()
                .map(|s| format!("{} → {} (-{} +{})", s.from, s.to, s.deleted, s.added))
                .collect();
            format!(
                ";; XFR: IXFR in {} step(s): {}",
                report.steps.len(),
                steps.join(", ")
            )
        }
    })
}
