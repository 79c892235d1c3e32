//! `+nssearch`: the SOA of the zone from each of its name servers, one line each, as
//! dig prints it (`SOA … from server ADDR in N ms.`), then what the servers that gave
//! none said and the findings, as comment lines.

use std::io::{self, Write};

use crate::model::trace::{Severity, TraceReport};

pub(super) fn trace(report: &TraceReport, out: &mut dyn Write) -> io::Result<()> {
    // The zone's own servers: the last cut of the main walk, where every server was asked.
    let Some(zone) = report.hops.iter().rev().find(|h| !h.servers.is_empty()) else {
        return Ok(());
    };
    for row in &zone.servers {
        let soa = row.records.first().filter(|_| row.outcome == "answer");
        match (soa, row.rtt_us) {
            (Some(soa), Some(rtt)) => writeln!(
                out,
                "SOA {soa} from server {} in {} ms.",
                row.server.address,
                rtt / 1000
            )?,
            _ => {
                let name = row.server.name.as_deref().unwrap_or("");
                writeln!(
                    out,
                    ";; no SOA of {} from server {} ({name}): {}",
                    zone.zone, row.server.address, row.outcome
                )?;
            }
        }
    }
    for f in &report.findings {
        let word = match f.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Info => "INFO",
        };
        writeln!(out, ";; {word} {} {}: {}", f.code, f.zone, f.message)?;
    }
    Ok(())
}
