//! What is wrong with the servers on a trace's path, judged from what each server of
//! each cut gave under `+nsall` (a plain trace asks too few servers to judge them).
//! The codes are stable; the README maps each to the nearest DNSViz and Zonemaster tag.

use crate::model::trace::{Finding, Hop, Referral, ServerResult, Severity};

/// The findings of `hops` and of the walks that resolved their glueless name servers,
/// in the order of the path.
pub(crate) fn findings(hops: &[Hop]) -> Vec<Finding> {
    let mut found = Vec::new();
    for (i, hop) in hops.iter().enumerate() {
        for sub in &hop.subwalks {
            found.extend(findings(&sub.hops));
        }
        if hop.servers.is_empty() {
            continue;
        }
        let total = hop.servers.len();
        let lame: Vec<&ServerResult> = hop.servers.iter().filter(|s| is_lame(s)).collect();
        if !lame.is_empty() {
            found.push(finding(
                "lame_delegation",
                Severity::Error,
                hop,
                &lame,
                format!(
                    "{} of the {total} servers listed for {} do not serve it: resolvers that pick one get no answer",
                    lame.len(),
                    hop.zone
                ),
            ));
        }
        let silent: Vec<&ServerResult> = hop.servers.iter().filter(|s| is_unreachable(s)).collect();
        if !silent.is_empty() {
            found.push(finding(
                "unreachable_server",
                Severity::Error,
                hop,
                &silent,
                format!(
                    "{} of the {total} servers listed for {} did not answer: resolvers that pick one wait, then retry elsewhere",
                    silent.len(),
                    hop.zone
                ),
            ));
        }
        // The referral that led here, from the parent's side.
        let parent = hops[..i]
            .iter()
            .rev()
            .find_map(|h| h.referral.as_ref().filter(|r| r.zone == hop.zone).map(|r| (h, r)));
        if let Some((parent_hop, referral)) = parent {
            found.extend(parent_child(parent_hop, referral, hop));
        }
        found.extend(answers_differ(hop));
        found.extend(serials_differ(hop));
    }
    found
}

/// A reply that was no step of the walk came from a server that answered, but not for
/// this zone (REFUSED, SERVFAIL, not authoritative, upward).
fn is_lame(s: &ServerResult) -> bool {
    s.rcode.is_some() && !s.usable
}

/// No reply at all; a query the trace's own budget kept back is not the server's fault.
fn is_unreachable(s: &ServerResult) -> bool {
    s.rcode.is_none() && !s.outcome.starts_with("not asked")
}

/// Answers that differ between the servers of one zone; addresses that differ while
/// the answers agree on everything else look like geo or latency routing.
fn answers_differ(hop: &Hop) -> Option<Finding> {
    let answers: Vec<&ServerResult> = hop.servers.iter().filter(|s| s.outcome == "answer").collect();
    let first = answers.first()?;
    if answers.iter().all(|s| s.records == first.records) {
        return None;
    }
    let routing = matches!(hop.qtype.as_str(), "A" | "AAAA");
    let why = if routing {
        "; the addresses differ, as with geo or latency routing (CloudFront, Route 53 latency records), or a server is out of date"
    } else {
        "; a server may be out of date"
    };
    Some(finding(
        "answers_differ",
        Severity::Warning,
        hop,
        &answers,
        format!(
            "the servers of {} give different answers for {} {}{why}",
            hop.zone, hop.qname, hop.qtype
        ),
    ))
}

/// Servers that hold different versions of the zone: a secondary that has not caught
/// up (RFC 1982 order is not needed to see that they differ).
fn serials_differ(hop: &Hop) -> Option<Finding> {
    let known: Vec<&ServerResult> = hop.servers.iter().filter(|s| s.serial.is_some()).collect();
    let first = known.first()?.serial;
    if known.iter().all(|s| s.serial == first) {
        return None;
    }
    let mut serials: Vec<u32> = known.iter().filter_map(|s| s.serial).collect();
    serials.sort_unstable();
    serials.dedup();
    let serials: Vec<String> = serials.iter().map(u32::to_string).collect();
    let mut differ = finding(
        "serial_differs",
        Severity::Warning,
        hop,
        &known,
        format!(
            "the servers of {} hold different versions of the zone (SOA serials {}): a secondary has not caught up, and answers depend on which server a resolver asks",
            hop.zone,
            serials.join(", ")
        ),
    );
    differ.detail = known
        .iter()
        .map(|s| format!("{}: serial {}", server_name(s), s.serial.unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("; ");
    Some(differ)
}

/// The NS set the parent delegates with against the one the zone's own servers give;
/// both sides are shown, each with its TTL (the referral's and the authoritative one).
fn parent_child(parent_hop: &Hop, referral: &Referral, hop: &Hop) -> Option<Finding> {
    let children: Vec<&ServerResult> = hop.servers.iter().filter(|s| !s.ns.is_empty()).collect();
    let child = children.first()?;
    let mut parent_ns: Vec<String> = referral.ns.iter().map(|r| r.data.clone()).collect();
    parent_ns.sort();
    if parent_ns == child.ns {
        return None;
    }
    let only = |these: &[String], those: &[String]| -> String {
        let left: Vec<&str> = these
            .iter()
            .filter(|n| !those.contains(n))
            .map(String::as_str)
            .collect();
        if left.is_empty() {
            "none".to_owned()
        } else {
            left.join(", ")
        }
    };
    let mut differ = finding(
        "ns_differs",
        Severity::Warning,
        hop,
        &children,
        format!(
            "{} delegates {} to other name servers than the zone itself lists: only at the parent: {}; only in the zone: {}",
            parent_hop.zone,
            hop.zone,
            only(&parent_ns, &child.ns),
            only(&child.ns, &parent_ns)
        ),
    );
    differ.detail = format!(
        "parent {} (TTL {}): {}; child {} (TTL {}): {}",
        parent_hop.zone,
        referral.ttl,
        parent_ns.join(", "),
        server_name(child),
        child.ns_ttl.map_or_else(|| "-".to_owned(), |t| t.to_string()),
        child.ns.join(", ")
    );
    Some(differ)
}

/// A server as findings name it: `name (address)`.
fn server_name(s: &ServerResult) -> String {
    match &s.server.name {
        Some(name) => format!("{name} ({})", s.server.address),
        None => s.server.address.clone(),
    }
}

fn finding(
    code: &'static str,
    severity: Severity,
    hop: &Hop,
    servers: &[&ServerResult],
    message: String,
) -> Finding {
    let detail = servers
        .iter()
        .map(|s| {
            let gave = if s.records.is_empty() {
                s.outcome.clone()
            } else {
                format!("{}: {}", s.outcome, s.records.join(", "))
            };
            format!("{}: {gave}", server_name(s))
        })
        .collect::<Vec<_>>()
        .join("; ");
    Finding {
        code,
        severity,
        zone: hop.zone.clone(),
        servers: servers.iter().map(|s| server_name(s)).collect(),
        message,
        detail,
    }
}
