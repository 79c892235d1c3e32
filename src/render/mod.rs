//! Writing reports: dig-like text, `+short`, and JSON lines. Each renderer reads the
//! same [`Report`](crate::model::report::Report) and writes to a `&mut dyn Write`.
//!
//! May use: dns, transport, model, xfr (a transfer's labels). Colour is decided by the planner and arrives here.

mod json;
mod lifecycle_text;
pub(crate) mod multiline;
mod nssearch;
mod palette;
mod short;
mod text;
mod trace_text;
pub(crate) mod transfer;
mod yaml;

use std::io::{self, Write};

pub(crate) use palette::Palette;

use crate::dns::names::NameStyle;
use crate::model::exit::Error;
use crate::model::report::Report;
use crate::model::trace::{OutcomeKind, TraceReport};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// dig-like text.
    Text,
    /// Answer data only.
    Short,
    /// JSON lines.
    Json,
    /// `+nssearch`: each server's SOA of the zone, one line each, as dig prints them.
    NsSearch,
    /// `+yaml`: dig's YAML form of a reply.
    Yaml,
}

/// What the text output shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Display {
    pub cmd: bool,
    pub comments: bool,
    pub question: bool,
    pub answer: bool,
    pub authority: bool,
    pub additional: bool,
    pub stats: bool,
    pub ttlid: bool,
    pub ttlunits: bool,
    pub class: bool,
    /// `+identify`: with `+short`, each record followed by the server and the time.
    pub identify: bool,
    /// `+onesoa`: a transfer's closing SOA is not printed.
    pub onesoa: bool,
    /// `+qr`: the query as sent is printed before the reply.
    pub qr: bool,
    /// `+multiline`, `+split`, `+rrcomments`: how record data is laid out.
    pub layout: multiline::Layout,
    /// How names are written.
    pub names: NameStyle,
    /// ANSI colour on or off, decided once by the planner.
    pub colour: bool,
}

/// Settings every renderer may need.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    pub format: Format,
    pub display: Display,
    /// The `cmd` line's words.
    pub command_line: &'a str,
    /// Position of this report in the run (0 for the first).
    pub index: usize,
}

/// Writes one report: data to `out`, a one-line error to `err` (text and short formats).
///
/// # Errors
/// When writing fails (a closed pipe, among others).
pub(crate) fn report(
    report: &Report,
    options: &Options<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match options.format {
        Format::Json => json::report(report, out),
        // +nssearch always traces; a direct report cannot meet it.
        Format::Short | Format::NsSearch => {
            short::report(report, options.display.identify, options.display.layout, out, err)
        }
        Format::Text => text::report(report, options, out, err),
        Format::Yaml => yaml::report(report, out, err),
    }
}

/// Writes one lookup's outcome.
///
/// # Errors
/// When writing fails.
pub(crate) fn outcome(
    outcome: &crate::model::outcome::Outcome,
    options: &Options<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match outcome {
        crate::model::outcome::Outcome::Query(r) => report(r, options, out, err),
        crate::model::outcome::Outcome::Trace(r) => trace(r, options, out, err),
        crate::model::outcome::Outcome::Transfer(r) => transfer::Printer::new(options).finish(r, out, err),
    }
}

/// Writes one trace.
///
/// # Errors
/// When writing fails.
pub(crate) fn trace(
    report: &TraceReport,
    options: &Options<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match options.format {
        Format::Json => json::trace(report, out)?,
        Format::Short => {
            for record in &report.answer {
                writeln!(out, "{}", record.data)?;
            }
            // +nsall: one line per finding after the answer, severity first.
            for f in &report.findings {
                let severity = serde_json::to_value(f.severity)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                writeln!(out, "{severity} {} {}: {}", f.code, f.zone, f.message)?;
            }
            if let Some(dnssec) = &report.dnssec {
                writeln!(out, "{}", dnssec.verdict)?;
            }
            if let Some(lifecycle) = &report.lifecycle {
                writeln!(
                    out,
                    "verdict {}: {}",
                    lifecycle.verdict.kind, lifecycle.verdict.message
                )?;
            }
            write_failed_verdicts(&report.expectations, err)?;
        }
        // The planner refuses +yaml for a trace.
        Format::Text | Format::Yaml => trace_text::report(report, options, out)?,
        Format::NsSearch => {
            nssearch::trace(report, out)?;
            write_failed_verdicts(&report.expectations, err)?;
        }
    }
    if options.format != Format::Json
        && !matches!(
            report.outcome.kind,
            OutcomeKind::Answer | OutcomeKind::Nxdomain | OutcomeKind::Nodata
        )
    {
        writeln!(
            err,
            "{}",
            failure_line(&report.query.name, &report.query.rtype, &report.outcome.message)
        )?;
    }
    Ok(())
}

/// Writes an error that ends the run before any query: JSON on stdout in JSON mode, a
/// line on stderr otherwise.
///
/// # Errors
/// When writing fails.
pub(crate) fn error(error: &Error, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
    if json {
        json::error(error, out)
    } else {
        writeln!(err, "dnscope: {error}")
    }
}

/// What starts every text report: a blank line between reports, and dig's `cmd` line.
fn preamble(options: &Options<'_>, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    if options.index > 0 {
        writeln!(out)?;
    }
    if options.display.cmd {
        let version = env!("CARGO_PKG_VERSION");
        let line = format!("; <<>> dnscope {version} <<>> {}", options.command_line);
        writeln!(out, "{}", p.comment.style(line))?;
    }
    Ok(())
}

/// The header bits that are set, as dig names them (`qr rd ra`).
fn flag_names(f: &crate::model::report::HeaderFlags) -> String {
    [
        (f.qr, "qr"),
        (f.aa, "aa"),
        (f.tc, "tc"),
        (f.rd, "rd"),
        (f.ra, "ra"),
        (f.ad, "ad"),
        (f.cd, "cd"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect::<Vec<_>>()
    .join(" ")
}

/// ADDITIONAL as dig counts it: the OPT pseudo-record too, as it is on the wire.
fn additional_count(response: &crate::model::report::Response) -> usize {
    response.additional.len() + usize::from(response.edns.is_some())
}

/// An address ready for `#port` after it: an IPv6 one in brackets.
fn bracketed(address: &str) -> std::borrow::Cow<'_, str> {
    if address.contains(':') {
        std::borrow::Cow::Owned(format!("[{address}]"))
    } else {
        std::borrow::Cow::Borrowed(address)
    }
}

/// dig's `;; SERVER: ADDR#PORT(NAME) (PROTOCOL)` line.
fn server_line(s: &crate::model::report::ServerInfo) -> String {
    format!(
        ";; SERVER: {}#{}({}) ({})",
        bracketed(&s.address),
        s.port,
        s.name,
        s.protocol.as_str().to_ascii_uppercase()
    )
}

/// One line per `--expect` verdict, for the end of the text output.
fn verdict_lines(verdicts: &[crate::model::verdict::Verdict], p: &Palette) -> Vec<String> {
    verdicts
        .iter()
        .map(|v| {
            let mark = if v.passed {
                p.good.style("✓ passed")
            } else {
                p.bad.style("✗ FAILED")
            };
            format!(";; EXPECT {} {mark} (seen: {})", v.expect, v.seen)
        })
        .collect()
}

/// Failed expectations, for stderr in `+short` mode.
fn write_failed_verdicts(verdicts: &[crate::model::verdict::Verdict], err: &mut dyn Write) -> io::Result<()> {
    for v in verdicts.iter().filter(|v| !v.passed) {
        writeln!(
            err,
            "dnscope: expectation failed: {} (seen: {})",
            v.expect, v.seen
        )?;
    }
    Ok(())
}

/// The one-line error of a report without a response, for stderr.
fn error_line(report: &Report) -> Option<String> {
    report
        .error
        .as_ref()
        .map(|e| failure_line(&report.query.name, &report.query.rtype, &e.message))
}

/// `dnscope: NAME TYPE: MESSAGE`, the one line on stderr of a lookup that failed.
fn failure_line(name: &str, rtype: &dyn std::fmt::Display, message: &str) -> String {
    format!("dnscope: {name} {rtype}: {message}")
}
