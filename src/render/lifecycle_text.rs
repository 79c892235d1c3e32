//! `+lifecycle` as text: each step of a browser's lookup on its own line, in the order
//! it happens, then the verdict.

use std::io::{self, Write};
use std::time::Duration;

use super::Palette;
use crate::model::lifecycle::Lifecycle;

pub(super) fn report(l: &Lifecycle, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", p.comment.style(";; LIFECYCLE:"))?;
    let note = |error: &Option<String>| error.as_ref().map_or_else(String::new, |e| format!(" ({e})"));
    writeln!(
        out,
        ";; 1. {}: hosts: {}{}",
        l.nsswitch.file,
        l.nsswitch.order.join(" "),
        note(&l.nsswitch.error)
    )?;
    let entry = if l.hosts.addresses.is_empty() {
        "no entry".to_owned()
    } else if l.hosts.overrides_dns {
        format!("{}, used before DNS", l.hosts.addresses.join(", "))
    } else {
        format!("{}, after DNS", l.hosts.addresses.join(", "))
    };
    writeln!(out, ";;    {}: {entry}{}", l.hosts.file, note(&l.hosts.error))?;
    for r in &l.resolvers {
        let gave = if r.answer.is_empty() {
            r.outcome.clone()
        } else {
            r.answer.join(", ")
        };
        let mut line = format!(";; 2. resolver {}: {gave}", r.server);
        if let Some(ttl) = r.ttl {
            line.push_str(&format!(", TTL {ttl} left"));
        }
        if let Some(age) = r.age {
            line.push_str(&format!(" (cached {age} s ago)"));
        }
        if let Some(us) = r.rtt_us {
            line.push_str(&format!(", in {}", ms(us)));
        }
        line.push_str(if r.agrees { "; agrees" } else { "; DIFFERS" });
        let style = if r.agrees { p.comment } else { p.warn };
        writeln!(out, "{}", style.style(line))?;
    }
    let a = &l.authoritative;
    let gave = if a.answer.is_empty() {
        a.outcome.to_uppercase()
    } else {
        a.answer.join(", ")
    };
    let ttl = a.ttl.map_or_else(String::new, |t| format!(", TTL {t}"));
    writeln!(
        out,
        ";; 3. authority (the trace above): {gave}{ttl}, in {}",
        ms(a.time_us)
    )?;
    for c in &l.connect {
        let line = match (&c.error, c.time_us) {
            (None, Some(us)) => format!(";; 4. connect {}#{}: open, in {}", c.address, c.port, ms(us)),
            (error, _) => format!(
                ";; 4. connect {}#{}: {}",
                c.address,
                c.port,
                error.as_deref().unwrap_or("failed")
            ),
        };
        let style = if c.ok { p.comment } else { p.bad };
        writeln!(out, "{}", style.style(line))?;
    }
    let style = if l.verdict.kind == "ok" { p.good } else { p.warn };
    writeln!(out, ";; VERDICT: {}", style.style(&l.verdict.message))
}

fn ms(us: u64) -> String {
    humantime::format_duration(Duration::from_micros(us)).to_string()
}
