//! dig's `+yaml`: a query's reply as dig 9.18 writes it, so that scripts written against
//! `dig +yaml` read dnscope's the same way. Every value comes from the one report the
//! other renderers read; records are quoted lines as in dig.

use std::io::{self, Write};
use std::time::Duration;

use crate::model::report::{EdnsInfo, Report, Response};

pub(super) fn report(report: &Report, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
    let Some(response) = &report.response else {
        if let Some(line) = super::error_line(report) {
            writeln!(err, "{line}")?;
        }
        return Ok(());
    };
    let (query_time, response_time) = times(report);
    let server = &report.server;
    let v6 = server.address.contains(':');
    let kind = if report.query.flags.rd {
        "RECURSIVE_RESPONSE"
    } else {
        "AUTH_RESPONSE"
    };
    let mut y = String::new();
    y.push_str("- type: MESSAGE\n  message:\n");
    y.push_str(&format!("    type: {kind}\n"));
    y.push_str(&format!("    query_time: !!timestamp {query_time}\n"));
    y.push_str(&format!("    response_time: !!timestamp {response_time}\n"));
    y.push_str(&format!("    message_size: {}b\n", response.size));
    y.push_str(&format!(
        "    socket_family: {}\n",
        if v6 { "INET6" } else { "INET" }
    ));
    y.push_str(&format!(
        "    socket_protocol: {}\n",
        server.protocol.as_str().to_ascii_uppercase()
    ));
    y.push_str(&format!("    response_address: \"{}\"\n", server.address));
    y.push_str(&format!("    response_port: {}\n", server.port));
    // dig does not know its own address either: it writes the unspecified one.
    y.push_str(&format!(
        "    query_address: \"{}\"\n    query_port: 0\n",
        if v6 { "::" } else { "0.0.0.0" }
    ));
    y.push_str("    response_message_data:\n");
    message_data(response, &mut y);
    out.write_all(y.as_bytes())?;
    if let Some(line) = super::error_line(report) {
        writeln!(err, "{line}")?;
    }
    Ok(())
}

/// The start of the lookup, and it plus the round trip, to the millisecond.
fn times(report: &Report) -> (String, String) {
    let start = report.started;
    let end = start + Duration::from_micros(report.rtt_us.unwrap_or(0));
    (
        humantime::format_rfc3339_millis(start).to_string(),
        humantime::format_rfc3339_millis(end).to_string(),
    )
}

fn message_data(response: &Response, y: &mut String) {
    let h = &response.header;
    y.push_str(&format!("      opcode: {}\n", h.opcode));
    y.push_str(&format!("      status: {}\n", h.rcode));
    y.push_str(&format!("      id: {}\n", h.id));
    y.push_str(&format!("      flags: {}\n", super::flag_names(&h.flags)));
    y.push_str(&format!("      QUESTION: {}\n", response.question.len()));
    y.push_str(&format!("      ANSWER: {}\n", response.answer.len()));
    y.push_str(&format!("      AUTHORITY: {}\n", response.authority.len()));
    y.push_str(&format!(
        "      ADDITIONAL: {}\n",
        super::additional_count(response)
    ));
    if let Some(edns) = &response.edns {
        opt(edns, y);
    }
    if !response.question.is_empty() {
        y.push_str("      QUESTION_SECTION:\n");
        for q in &response.question {
            item(&format!("{} {} {}", q.name, q.class, q.rtype), y);
        }
    }
    for (title, records) in [
        ("ANSWER_SECTION", &response.answer),
        ("AUTHORITY_SECTION", &response.authority),
        ("ADDITIONAL_SECTION", &response.additional),
    ] {
        if records.is_empty() {
            continue;
        }
        y.push_str(&format!("      {title}:\n"));
        for r in records {
            item(
                &format!("{} {} {} {} {}", r.name, r.ttl, r.class, r.rtype, r.data),
                y,
            );
        }
    }
}

fn opt(edns: &EdnsInfo, y: &mut String) {
    y.push_str("      OPT_PSEUDOSECTION:\n        EDNS:\n");
    y.push_str(&format!("          version: {}\n", edns.version));
    y.push_str(&format!(
        "          flags:{}\n",
        if edns.dnssec_ok { " do" } else { "" }
    ));
    y.push_str(&format!("          udp: {}\n", edns.udp_size));
    for o in &edns.options {
        let value = match (&o.client, o.client_matches) {
            // dig's COOKIE line: the whole option in hex, and whether it came back.
            (Some(_), Some(true)) => format!("{} (good)", o.hex),
            (Some(_), _) => o.hex.clone(),
            (None, _) => match &o.text {
                Some(text) => format!("{} (\"{text}\")", o.hex),
                None => o.hex.clone(),
            },
        };
        y.push_str(&format!("          {}: {}\n", o.name, quoted_if_needed(&value)));
    }
}

/// A list item: a record as a single-quoted YAML string (a quote is doubled).
fn item(line: &str, y: &mut String) {
    y.push_str(&format!("        - '{}'\n", line.replace('\'', "''")));
}

/// A plain scalar unless YAML would read it as something else.
fn quoted_if_needed(value: &str) -> String {
    if value.is_empty()
        || value.contains(": ")
        || value.contains(" #")
        || value.starts_with(['\'', '"', '{', '[', '&', '*', '!', '|', '>', '%', '@', '`'])
    {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        value.to_owned()
    }
}
