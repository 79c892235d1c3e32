//! `+trace` as text: a block per zone cut asked, with the server and its round-trip
//! time, failed attempts dimmed, glueless sub-walks indented under the hop that needed
//! them, a line where a CNAME makes the walk start again, and a closing summary.

use std::io::{self, Write};
use std::time::Duration;

use super::text::{record_line, ttl_units};
use super::{Options, Palette};
use crate::model::trace::{Hop, OutcomeKind, ServerRef, Severity, TraceReport};
use crate::render::Display;

/// Indentation of a hop's records under its header, and of a sub-walk under its hop.
const STEP: usize = 4;

pub(super) fn report(r: &TraceReport, options: &Options<'_>, out: &mut dyn Write) -> io::Result<()> {
    let d = options.display;
    let p = Palette::new(d.colour);
    super::preamble(options, &p, out)?;
    if d.comments
        && let Some(priming) = &r.priming
    {
        let line = match &priming.error {
            Some(error) => format!(
                ";; priming the root NS set from {} failed: {error}",
                server(&priming.server)
            ),
            None => format!(
                ";; root NS set primed from {}{}: {} server(s), TTL {}",
                server(&priming.server),
                rtt(priming.rtt_us),
                priming.ns.len(),
                priming
                    .ns
                    .iter()
                    .map(|n| ttl(n.ttl, &d))
                    .next()
                    .unwrap_or_default()
            ),
        };
        writeln!(out, "{}", p.comment.style(line))?;
    }
    hops(out, &r.hops, 0, &d, &p)?;
    if d.stats {
        summary(r, &d, &p, out)?;
    }
    for line in super::verdict_lines(&r.expectations, &p) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn summary(r: &TraceReport, d: &Display, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let (d, p) = (*d, *p);
    writeln!(out)?;
    if d.answer && !r.answer.is_empty() {
        writeln!(out, "{}", p.comment.style(";; ANSWER:"))?;
        for record in &r.answer {
            writeln!(out, "{}", record_line(record, &d, &p))?;
        }
    }
    if let Some(first) = r.cname_chain.first() {
        let mut names = vec![first.owner.clone()];
        names.extend(r.cname_chain.iter().map(|c| c.target.clone()));
        writeln!(out, ";; CNAME chain: {}", names.join(" → "))?;
    }
    let verdict = match r.outcome.kind {
        OutcomeKind::Answer => p.good,
        OutcomeKind::Nxdomain | OutcomeKind::Nodata => p.warn,
        _ => p.bad,
    };
    let kind = serde_json::to_value(r.outcome.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    writeln!(
        out,
        ";; OUTCOME: {}: {}",
        verdict.style(kind.to_uppercase()),
        r.outcome.message
    )?;
    // Grouped by zone, in the order the zones first appear on the path.
    let mut zones: Vec<&str> = Vec::new();
    for f in &r.findings {
        if !zones.contains(&f.zone.as_str()) {
            zones.push(&f.zone);
        }
    }
    let grouped = zones
        .iter()
        .flat_map(|zone| r.findings.iter().filter(move |f| f.zone == *zone));
    for f in grouped {
        let (word, style) = match f.severity {
            Severity::Error => ("ERROR", p.bad),
            Severity::Warning => ("WARNING", p.warn),
            Severity::Info => ("INFO", p.comment),
        };
        writeln!(
            out,
            ";; {} {} {}: {}",
            style.style(word),
            f.code,
            f.zone,
            f.message
        )?;
        if !f.detail.is_empty() {
            writeln!(out, ";;   {}", f.detail)?;
        }
    }
    if r.hops.iter().any(|h| !h.servers.is_empty()) {
        let count = |severity| r.findings.iter().filter(|f| f.severity == severity).count();
        let (errors, warnings, notes) = (
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info),
        );
        let line = if r.findings.is_empty() {
            p.good.style("no problem found".to_owned())
        } else {
            let style = if errors > 0 { p.bad } else { p.warn };
            style.style(format!(
                "{errors} error(s), {warnings} warning(s), {notes} note(s)"
            ))
        };
        writeln!(out, ";; DIAGNOSIS: {line}")?;
    }
    if let Some(dnssec) = &r.dnssec {
        let style = match dnssec.verdict {
            "secure" => p.good,
            "bogus" => p.bad,
            _ => p.warn,
        };
        writeln!(
            out,
            ";; DNSSEC: {}: {}",
            style.style(dnssec.verdict.to_uppercase()),
            dnssec.reason
        )?;
    }
    let failed = failed_servers(&r.hops);
    if !failed.is_empty() {
        writeln!(out, ";; servers that failed: {}", p.warn.style(few(&failed)))?;
    }
    let s = &r.summary;
    if let (Some(min), Some(answer)) = (s.min_ttl, s.answer_ttl) {
        writeln!(
            out,
            ";; lowest TTL on the path: {}; the answer may be cached for {}",
            ttl(min, &d),
            ttl(answer, &d)
        )?;
    }
    writeln!(
        out,
        ";; {} queries, {} failed attempt(s), {} in all",
        s.queries,
        s.failures,
        humantime::format_duration(Duration::from_micros(s.total_us))
    )?;
    if let Some(lifecycle) = &r.lifecycle {
        super::lifecycle_text::report(lifecycle, &p, out)?;
    }
    Ok(())
}

fn hops(out: &mut dyn Write, hops: &[Hop], indent: usize, d: &Display, p: &Palette) -> io::Result<()> {
    let pad = " ".repeat(indent);
    let inner = " ".repeat(indent + STEP);
    for (i, hop) in hops.iter().enumerate() {
        if i > 0 && hop.qname != hops[i - 1].qname && d.comments {
            let cached = if hop.cached {
                " (cached from this trace)"
            } else {
                ""
            };
            let line = format!(
                ";; CNAME → {}: walking again from {}{cached}",
                hop.qname, hop.zone
            );
            writeln!(out, "{pad}{}", p.comment.style(line))?;
        }
        let asked = match &hop.server {
            Some(s) => format!("{}{}", server(s), rtt(hop.rtt_us)),
            None => p.bad.style("no usable reply").to_string(),
        };
        let mut flags = String::new();
        if hop.aa == Some(true) {
            flags.push_str(" aa");
        }
        if hop.protocol == Some(crate::transport::Protocol::Tcp) {
            flags.push_str(" tcp");
        }
        writeln!(
            out,
            "{pad}{}  {asked}{}",
            p.owner.style(&hop.zone),
            p.comment.style(flags)
        )?;
        if let Some(dnssec) = &hop.dnssec {
            let line = format!("DNSSEC {}: {}", dnssec.verdict, dnssec.reason);
            let style = if dnssec.verdict == "bogus" {
                p.bad
            } else {
                p.comment
            };
            writeln!(out, "{inner}{}", style.style(line))?;
        }
        for row in &hop.servers {
            let mut line = format!("· {}{}", server(&row.server), rtt(row.rtt_us));
            if let Some(rcode) = &row.rcode {
                line.push_str(&format!(" {rcode}"));
            }
            if row.aa == Some(true) {
                line.push_str(" aa");
            }
            if let Some(serial) = row.serial {
                line.push_str(&format!(" serial {serial}"));
            }
            match &row.tcp {
                Some(tcp) if tcp.ok => line.push_str(" tcp ok"),
                Some(_) => line.push_str(" no tcp"),
                None => {}
            }
            line.push_str(&format!(": {}", row.outcome));
            if !row.records.is_empty() {
                line.push_str(&format!(" ({})", row.records.join(", ")));
            }
            let style = if row.usable { p.comment } else { p.warn };
            writeln!(out, "{inner}{}", style.style(line))?;
        }
        if let Some(line) = parent_and_child(&hops[..i], hop) {
            writeln!(out, "{inner}{}", p.comment.style(line))?;
        }
        // Under +nsall the table above has every server asked; the failures not in it
        // (a name server without usable glue, one whose name did not resolve) follow.
        let in_table = |address: &str| hop.servers.iter().any(|row| row.server.address == address);
        for attempt in hop.attempts.iter().filter(|a| !in_table(&a.server.address)) {
            let who = if attempt.server.address.is_empty() {
                attempt.server.name.clone().unwrap_or_default()
            } else {
                server(&attempt.server)
            };
            writeln!(
                out,
                "{inner}{}",
                p.comment.style(format!("✗ {who}: {}", attempt.outcome))
            )?;
        }
        for sub in &hop.subwalks {
            writeln!(
                out,
                "{inner}{}",
                p.comment.style(format!(
                    "↳ {} has no glue: walking for its {} record",
                    sub.name, sub.rtype
                ))
            )?;
            self::hops(out, &sub.hops, indent + 2 * STEP, d, p)?;
            let found = if sub.answer.is_empty() {
                sub.outcome.message.clone()
            } else {
                sub.answer
                    .iter()
                    .map(|r| r.data.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            writeln!(
                out,
                "{inner}{}",
                p.comment.style(format!("↳ {} = {found}", sub.name))
            )?;
        }
        if let Some(referral) = &hop.referral {
            for record in referral.ns.iter().chain(&referral.glue) {
                writeln!(out, "{inner}{}", record_line(record, d, p))?;
            }
        }
        for record in &hop.records {
            writeln!(out, "{inner}{}", record_line(record, d, p))?;
        }
        if d.comments {
            for note in &hop.notes {
                writeln!(out, "{inner}{}", p.warn.style(format!("; {note}")))?;
            }
        }
    }
    Ok(())
}

/// The failed servers shown in the summary; the hops above list every one.
const FAILED_SHOWN: usize = 5;

/// The first few of `failed`, and how many more, so that the line stays readable when
/// hundreds of servers failed.
fn few(failed: &[String]) -> String {
    if failed.len() <= FAILED_SHOWN {
        return failed.join("; ");
    }
    format!(
        "{}; and {} more ({} in all)",
        failed[..FAILED_SHOWN].join("; "),
        failed.len() - FAILED_SHOWN,
        failed.len()
    )
}

/// Every failed attempt of the walk and its sub-walks, once per server and reason.
fn failed_servers(hops: &[Hop]) -> Vec<String> {
    let mut failed: Vec<String> = Vec::new();
    for hop in hops {
        for attempt in &hop.attempts {
            let who = attempt
                .server
                .name
                .clone()
                .unwrap_or_else(|| attempt.server.address.clone());
            let line = format!("{who} ({})", attempt.outcome);
            if !failed.contains(&line) {
                failed.push(line);
            }
        }
        for sub in &hop.subwalks {
            for line in failed_servers(&sub.hops) {
                if !failed.contains(&line) {
                    failed.push(line);
                }
            }
        }
    }
    failed
}

/// `name (address)`, with `#port` when it is not 53.
fn server(s: &ServerRef) -> String {
    let address = super::bracketed(&s.address);
    let port = if s.port == 53 {
        String::new()
    } else {
        format!("#{}", s.port)
    };
    match &s.name {
        Some(name) => format!("{name} ({address}{port})"),
        None => format!("{address}{port}"),
    }
}

fn rtt(us: Option<u64>) -> String {
    us.map(|us| format!(" in {}", humantime::format_duration(Duration::from_micros(us))))
        .unwrap_or_default()
}

fn ttl(seconds: u32, d: &Display) -> String {
    if d.ttlunits {
        ttl_units(seconds)
    } else {
        format!("{seconds}s")
    }
}

/// Under `+nsall`, the NS set as the parent delegates it and as the zone's own servers
/// give it, each with its TTL, side by side.
fn parent_and_child(before: &[Hop], hop: &Hop) -> Option<String> {
    let child = hop.servers.iter().find(|s| !s.ns.is_empty())?;
    let (parent, referral) = before
        .iter()
        .rev()
        .find_map(|h| h.referral.as_ref().filter(|r| r.zone == hop.zone).map(|r| (h, r)))?;
    let mut delegated: Vec<&str> = referral.ns.iter().map(|r| r.data.as_str()).collect();
    delegated.sort_unstable();
    let own: Vec<&str> = child.ns.iter().map(String::as_str).collect();
    let same = if delegated == own {
        "the same names".to_owned()
    } else {
        format!("{} (differs)", own.join(", "))
    };
    Some(format!(
        "· NS at the parent {} (TTL {}): {}; in the zone (TTL {}): {same}",
        parent.zone,
        referral.ttl,
        delegated.join(", "),
        child.ns_ttl.map_or_else(|| "-".to_owned(), |t| t.to_string())
    ))
}
