//! dig-like text: header, OPT pseudo-section, sections, stats. The only place that
//! formats TTLs and durations for people (humantime) and applies colour.

use std::io::{self, Write};
use std::time::Duration;

use super::{Options, Palette};
use crate::model::report::{EdnsInfo, EdnsOptionInfo, RecordInfo, Report, Response};
use crate::render::Display;

pub(super) fn report(
    report: &Report,
    options: &Options<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    let d = options.display;
    let p = Palette::new(d.colour);
    super::preamble(options, &p, out)?;
    let Some(response) = &report.response else {
        if let Some(line) = super::error_line(report) {
            writeln!(err, "{line}")?;
        }
        return Ok(());
    };
    let verdicts = super::verdict_lines(&report.expectations, &p);
    // +qr: the query as it was sent, before the reply.
    if let Some(sent) = &report.sent {
        message(sent, ";; Sending:", &[], &d, &p, out)?;
        writeln!(out, "\n;; QUERY SIZE: {}\n", sent.size)?;
    }
    message(response, ";; Got answer:", &report.warnings, &d, &p, out)?;
    if d.stats {
        stats(report, response, &p, out)?;
    }
    if !verdicts.is_empty() {
        writeln!(out)?;
        for line in verdicts {
            writeln!(out, "{line}")?;
        }
    }
    // A reply that answers nothing is shown, and said to stderr like a missing one.
    if let Some(line) = super::error_line(report) {
        writeln!(err, "{line}")?;
    }
    Ok(())
}

/// One message as dig prints it: the header with `title`, the warnings about it, the OPT
/// pseudo-section and the sections the display shows.
fn message(
    response: &Response,
    title: &str,
    warnings: &[String],
    d: &Display,
    p: &Palette,
    out: &mut dyn Write,
) -> io::Result<()> {
    if d.comments {
        header(response, title, p, out)?;
        for warning in warnings {
            writeln!(out, "{}", p.warn.style(format!(";; WARNING: {warning}")))?;
        }
        if let Some(edns) = &response.edns {
            opt_section(edns, p, out)?;
        }
    }
    if d.question {
        if d.comments {
            writeln!(out, "\n{}", p.comment.style(";; QUESTION SECTION:"))?;
        }
        for q in &response.question {
            writeln!(
                out,
                ";{}\t\t{}\t{}",
                p.owner.style(&q.name),
                p.class.style(&q.class),
                p.rtype.style(&q.rtype)
            )?;
        }
    }
    for (shown, title, records) in [
        (d.answer, "ANSWER", &response.answer),
        (d.authority, "AUTHORITY", &response.authority),
        (d.additional, "ADDITIONAL", &response.additional),
    ] {
        if !shown || records.is_empty() {
            continue;
        }
        if d.comments {
            writeln!(out, "\n{}", p.comment.style(format!(";; {title} SECTION:")))?;
        }
        for record in records {
            writeln!(out, "{}", record_line(record, d, p))?;
        }
    }
    Ok(())
}

fn header(response: &Response, title: &str, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let h = &response.header;
    let status = if h.rcode_code == 0 { p.good } else { p.bad };
    writeln!(out, "{}", p.comment.style(title))?;
    writeln!(
        out,
        ";; ->>HEADER<<- opcode: {}, status: {}, id: {}",
        h.opcode,
        status.style(&h.rcode),
        h.id
    )?;
    writeln!(
        out,
        ";; flags: {}; QUERY: {}, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}",
        super::flag_names(&h.flags),
        response.question.len(),
        response.answer.len(),
        response.authority.len(),
        super::additional_count(response)
    )
}

fn opt_section(edns: &EdnsInfo, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n{}", p.comment.style(";; OPT PSEUDOSECTION:"))?;
    let flags = if edns.dnssec_ok { " do" } else { "" };
    let mbz = if edns.mbz == 0 {
        String::new()
    } else {
        format!("; MBZ: {:#06x}", edns.mbz)
    };
    writeln!(
        out,
        "; EDNS: version: {}, flags:{flags}{mbz}; udp: {}",
        edns.version, edns.udp_size
    )?;
    for option in &edns.options {
        writeln!(out, "; {}: {}", option.name, option_text(option, p))?;
    }
    Ok(())
}

fn option_text(o: &EdnsOptionInfo, p: &Palette) -> String {
    if let Some(text) = &o.text {
        return format!("{} (\"{text}\")", spaced_hex(&o.hex));
    }
    if let Some(client) = &o.client {
        let server = o
            .server
            .as_ref()
            .map(|s| format!(" server {s}"))
            .unwrap_or_default();
        let verdict = match o.client_matches {
            Some(true) => format!(" {}", p.good.style("(client cookie echoed)")),
            Some(false) => format!(" {}", p.bad.style("(client cookie NOT echoed)")),
            None => String::new(),
        };
        return format!("client {client}{server}{verdict}");
    }
    if let (Some(code), Some(purpose)) = (o.info_code, &o.purpose) {
        let extra = o
            .extra_text
            .as_ref()
            .map(|t| format!(": \"{t}\""))
            .unwrap_or_default();
        return format!("{} ({purpose}){extra}", p.warn.style(code));
    }
    if let Some(expire) = o.expire {
        return format!("{expire} ({})", ttl_units(expire));
    }
    if let Some(ms) = o.timeout_ms {
        return format!(
            "{}",
            humantime::format_duration(Duration::from_millis(u64::from(ms)))
        );
    }
    if let Some(subnet) = &o.subnet {
        return format!("{subnet} scope /{}", o.scope_prefix.unwrap_or(0));
    }
    spaced_hex(&o.hex)
}

fn spaced_hex(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn record_line(r: &RecordInfo, d: &Display, p: &Palette) -> String {
    let mut line = format!("{}", p.owner.style(&r.name));
    // dig's multi-line form puts spaces between the fields after the owner.
    let mut separator = '\t';
    if d.ttlid {
        let ttl = if d.ttlunits {
            ttl_units(r.ttl)
        } else {
            r.ttl.to_string()
        };
        line.push(separator);
        line.push_str(&p.ttl.style(ttl).to_string());
        if d.layout.multiline {
            separator = ' ';
        }
    }
    if d.class {
        line.push(separator);
        line.push_str(&p.class.style(&r.class).to_string());
        if d.layout.multiline {
            separator = ' ';
        }
    }
    line.push(separator);
    line.push_str(&p.rtype.style(&r.rtype).to_string());
    line.push(if d.layout.multiline { ' ' } else { '\t' });
    line.push_str(&p.data.style(super::multiline::text(r, d.layout)).to_string());
    // A zone-file comment, so the line still loads where the record is shown raw.
    if let Some(note) = r.note() {
        line.push_str(" ; ");
        line.push_str(note);
    }
    line
}

/// A TTL as dig's `+ttlunits` prints it: weeks, days, hours, minutes, seconds, with the
/// zero units left out (`1h5m`, `2d`, `0s`).
pub(crate) fn ttl_units(ttl: u32) -> String {
    if ttl == 0 {
        return "0s".to_owned();
    }
    let mut rest = ttl;
    let mut text = String::new();
    for (unit, secs) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if rest >= secs {
            text.push_str(&format!("{}{unit}", rest / secs));
            rest %= secs;
        }
    }
    text
}

fn stats(report: &Report, response: &Response, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let rtt = Duration::from_micros(report.rtt_us.unwrap_or(0));
    let s = &report.server;
    writeln!(out)?;
    writeln!(out, ";; Query time: {}", humantime::format_duration(rtt))?;
    writeln!(out, "{}", super::server_line(s))?;
    writeln!(out, ";; WHEN: {}", report.when)?;
    writeln!(out, ";; MSG SIZE  rcvd: {}", response.size)?;
    if let Some(tls) = &report.tls {
        tls_lines(tls, p, out)?;
    }
    if let Some(tsig) = &report.tsig {
        let state = match &tsig.problem {
            None => p.good.style("verified".to_owned()),
            Some(problem) => p.bad.style(format!("NOT verified ({problem})")),
        };
        writeln!(out, ";; TSIG: {state} with key {} ({})", tsig.key, tsig.algorithm)?;
    }
    if report.attempts.len() > 1 {
        let steps: Vec<String> = report
            .attempts
            .iter()
            .map(|a| format!("{} {}: {}", a.protocol.as_str(), a.server, a.outcome))
            .collect();
        writeln!(out, ";; ATTEMPTS: {}", p.warn.style(steps.join("; ")))?;
    }
    if !report.ignored.is_empty() {
        writeln!(
            out,
            ";; IGNORED: {} message(s) that were not the reply: {}",
            p.warn.style(report.ignored.len()),
            report.ignored.join("; ")
        )?;
    }
    Ok(())
}

/// The TLS session: what was agreed, the certificate, and where the time went.
fn tls_lines(tls: &crate::transport::tls::TlsInfo, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let ms = |us: u64| humantime::format_duration(Duration::from_micros(us)).to_string();
    let alpn = tls.alpn.as_deref().unwrap_or("none");
    let verified = if tls.verified {
        p.good.style("verified".to_owned())
    } else {
        p.bad.style("NOT verified (+notls-verify)".to_owned())
    };
    writeln!(
        out,
        ";; TLS: {} {}, ALPN {alpn}, certificate {verified}",
        tls.version, tls.cipher
    )?;
    if let Some(cert) = &tls.certificate {
        writeln!(
            out,
            ";; CERTIFICATE: {}, issued by {}, expires {}",
            cert.subject, cert.issuer, cert.not_after
        )?;
    }
    if tls.reused {
        writeln!(
            out,
            ";; SESSION: reused, opened by an earlier query; answer {}",
            ms(tls.answer_us)
        )?;
    } else {
        writeln!(
            out,
            ";; SESSION: new: connect {}, TLS handshake {}, answer {}",
            ms(tls.connect_us),
            ms(tls.handshake_us),
            ms(tls.answer_us)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_units_are_compact() {
        assert_eq!(ttl_units(0), "0s");
        assert_eq!(ttl_units(300), "5m");
        assert_eq!(ttl_units(3900), "1h5m");
        assert_eq!(ttl_units(172_800), "2d");
        assert_eq!(ttl_units(694_861), "1w1d1h1m1s");
    }
}
