//! What is wrong with the servers on a trace's path, judged from what each server of
//! each cut gave under `+nsall` (a plain trace asks too few servers to judge them).
//! The codes are stable; the README maps each to the nearest DNSViz and Zonemaster tag.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::model::report::RecordInfo;
use crate::model::trace::{CnameLink, Finding, Hop, Referral, ServerResult, Severity};

/// Below this many seconds a CNAME chain's lowest TTL is worth a note: every lookup
/// soon pays for the whole chain again.
const LOW_CHAIN_TTL: u32 = 30;

/// The findings of a trace: those of each cut (see [`findings`]), then those of the
/// result (the CNAME chain and the answer against the delegation), each said once.
pub(crate) fn of_trace(hops: &[Hop], chain: &[CnameLink], answer: &[RecordInfo]) -> Vec<Finding> {
    if !hops.iter().any(|h| !h.servers.is_empty()) {
        // Judged only under +nsall: a plain trace asks too few servers.
        return Vec::new();
    }
    let mut referrals = Vec::new();
    let mut every = Vec::new();
    collect(hops, &mut referrals, &mut every);
    let path = Path {
        referrals: &referrals,
        hops: &every,
    };
    let mut found = findings(hops, &path);
    found.extend(low_ttl_chain(chain, answer));
    found.extend(ns_ttl_short(hops, answer));
    let mut said: Vec<Finding> = Vec::new();
    for f in found {
        if !said
            .iter()
            .any(|s| s.code == f.code && s.zone == f.zone && s.message == f.message)
        {
            said.push(f);
        }
    }
    said
}

/// The whole trace, sub-walks included: a cut asked again inside a sub-walk is judged
/// against the referral that first led there, and a zone's servers over every visit.
struct Path<'a> {
    /// Every referral, with the hop whose zone gave it.
    referrals: &'a [(&'a Hop, &'a Referral)],
    hops: &'a [&'a Hop],
}

fn collect<'a>(hops: &'a [Hop], referrals: &mut Vec<(&'a Hop, &'a Referral)>, every: &mut Vec<&'a Hop>) {
    for hop in hops {
        for sub in &hop.subwalks {
            collect(&sub.hops, referrals, every);
        }
        if let Some(referral) = &hop.referral {
            referrals.push((hop, referral));
        }
        every.push(hop);
    }
}

/// The findings of `hops` and of the walks that resolved their glueless name servers,
/// in the order of the path.
fn findings(hops: &[Hop], path: &Path<'_>) -> Vec<Finding> {
    let referrals = path.referrals;
    let mut found = Vec::new();
    for hop in hops {
        for sub in &hop.subwalks {
            found.extend(findings(&sub.hops, path));
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
        let parent = referrals.iter().find(|(_, r)| r.zone == hop.zone).copied();
        if let Some((parent_hop, referral)) = parent {
            found.extend(parent_child(parent_hop, referral, hop));
        }
        found.extend(answers_differ(hop));
        found.extend(serials_differ(hop));
        found.extend(ttls_differ(hop));
        found.extend(cname_at_apex(hop));
        found.extend(name_servers_unresolved(hop));
        found.extend(diversity(hop, parent.map(|(_, r)| r), path.hops));
        found.extend(edns_trouble(hop));
        found.extend(no_tcp(hop));
        if let Some(referral) = &hop.referral {
            found.extend(missing_glue(hop, referral));
        }
        if let Some((_, referral)) = parent {
            found.extend(glue_differs(hop, referral));
        }
    }
    found
}

/// Whether `name` is `zone` or lies below it (presentation names, both absolute).
fn within(name: &str, zone: &str) -> bool {
    zone == "." || name.eq_ignore_ascii_case(zone) || {
        let (name, zone) = (name.to_ascii_lowercase(), zone.to_ascii_lowercase());
        name.ends_with(&format!(".{zone}"))
    }
}

/// A referral whose name servers lie inside the zone it delegates, with no address for
/// one of them: only glue can lead there (RFC 9471), so that name server is lost.
fn missing_glue(hop: &Hop, referral: &Referral) -> Option<Finding> {
    let bare: Vec<&str> = referral
        .ns
        .iter()
        .map(|r| r.data.as_str())
        .filter(|n| {
            within(n, &referral.zone) && !referral.glue.iter().any(|g| g.name.eq_ignore_ascii_case(n))
        })
        .collect();
    if bare.is_empty() {
        return None;
    }
    let asked: Vec<&ServerResult> = hop.servers.iter().filter(|s| s.rcode.is_some()).collect();
    let mut missing = finding(
        "missing_glue",
        Severity::Error,
        hop,
        &asked,
        format!(
            "{} delegates {} to {} inside the zone itself, but gives no address for {}: resolvers cannot reach {} without glue",
            hop.zone,
            referral.zone,
            bare.join(", "),
            if bare.len() == 1 { "it" } else { "them" },
            if bare.len() == 1 {
                "that server"
            } else {
                "those servers"
            },
        ),
    );
    missing.zone.clone_from(&referral.zone);
    missing.detail = format!(
        "referral from {} for {}: NS {}; glue for {}",
        hop.zone,
        referral.zone,
        referral
            .ns
            .iter()
            .map(|r| r.data.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        if referral.glue.is_empty() {
            "none".to_owned()
        } else {
            referral
                .glue
                .iter()
                .map(|g| format!("{} {}", g.name, g.data))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    Some(missing)
}

/// The parent's glue for a name server inside the zone against the addresses the
/// zone's own servers give for it: a mismatch sends resolvers to an address the zone
/// does not know (an error), a glue set that lacks some of them is a warning.
fn glue_differs(hop: &Hop, referral: &Referral) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut names: Vec<&str> = hop
        .servers
        .iter()
        .flat_map(|s| s.ns_addresses.iter().map(|a| a.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        if !referral.ns.iter().any(|r| r.data.eq_ignore_ascii_case(name)) {
            continue;
        }
        let glue_records: Vec<&RecordInfo> = referral
            .glue
            .iter()
            .filter(|g| g.name.eq_ignore_ascii_case(name))
            .collect();
        // Only the types asked are compared (-4 and -6 ask one of them).
        let asked: Vec<u16> = hop
            .servers
            .iter()
            .flat_map(|s| s.ns_addresses.iter().filter(|a| a.name == name))
            .flat_map(|a| a.asked.iter().copied())
            .collect();
        let glue: Vec<IpAddr> = sorted_addresses(
            glue_records
                .iter()
                .filter(|g| asked.contains(&g.type_code))
                .map(|g| g.data.as_str()),
        );
        // Servers grouped by the address set they give.
        let mut views: BTreeMap<Vec<IpAddr>, Vec<&ServerResult>> = BTreeMap::new();
        for server in &hop.servers {
            if let Some(given) = server.ns_addresses.iter().find(|a| a.name == name) {
                views
                    .entry(sorted_addresses(given.addresses.iter().map(String::as_str)))
                    .or_default()
                    .push(server);
            }
        }
        for (child, servers) in views {
            // No glue at all is missing_glue's, said at the referral.
            if child == glue || glue.is_empty() {
                continue;
            }
            let show = |set: &[IpAddr]| -> String {
                if set.is_empty() {
                    "no address".to_owned()
                } else {
                    set.iter().map(IpAddr::to_string).collect::<Vec<_>>().join(", ")
                }
            };
            let partial = !glue.is_empty() && glue.iter().all(|g| child.contains(g));
            let (code, severity, message) = if partial {
                (
                    "glue_incomplete",
                    Severity::Warning,
                    format!(
                        "the glue for {name} lists only {} of its addresses ({}): resolvers never use the others",
                        glue.len(),
                        show(&child)
                    ),
                )
            } else if child.is_empty() {
                (
                    "glue_mismatch",
                    Severity::Error,
                    format!(
                        "the parent gives glue for {name} ({}), but the zone itself has no address for that name: resolvers are sent to a server the zone does not list",
                        show(&glue)
                    ),
                )
            } else {
                (
                    "glue_mismatch",
                    Severity::Error,
                    format!(
                        "the parent's glue for {name} ({}) is not what the zone itself says ({}): resolvers are sent to an address the zone does not list",
                        show(&glue),
                        show(&child)
                    ),
                )
            };
            let mut differs = finding(code, severity, hop, &servers, message);
            let ttl = glue_records.iter().map(|g| g.ttl).min();
            differs.detail = format!(
                "glue in the referral for {} (TTL {}): {}; the zone's servers {} (TTL {}): {}",
                referral.zone,
                ttl.map_or_else(|| "-".to_owned(), |t| t.to_string()),
                show(&glue),
                servers
                    .iter()
                    .map(|s| server_name(s))
                    .collect::<Vec<_>>()
                    .join(", "),
                servers
                    .iter()
                    .find_map(|s| s.ns_addresses.iter().find(|a| a.name == name).and_then(|a| a.ttl))
                    .map_or_else(|| "-".to_owned(), |t| t.to_string()),
                show(&child)
            );
            found.push(differs);
        }
    }
    found
}

fn sorted_addresses<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = texts.filter_map(|t| t.parse().ok()).collect();
    addresses.sort_unstable();
    addresses.dedup();
    addresses
}

/// The same records with different TTLs on different servers (the answer, or the
/// zone's NS set): caches keep the copy for as long as the server they asked says.
fn ttls_differ(hop: &Hop) -> Vec<Finding> {
    let mut found = Vec::new();
    let answered: Vec<&ServerResult> = hop
        .servers
        .iter()
        .filter(|s| s.usable && s.ttl.is_some() && !s.records.is_empty())
        .collect();
    if let Some(first) = answered.first()
        && answered.iter().all(|s| s.records == first.records)
        && answered.iter().any(|s| s.ttl != first.ttl)
    {
        let mut differ = finding(
            "ttl_differs",
            Severity::Warning,
            hop,
            &answered,
            format!(
                "the servers of {} give the same records for {} {} with different TTLs: how long caches keep them depends on the server asked",
                hop.zone, hop.qname, hop.qtype
            ),
        );
        differ.detail = ttl_detail(&answered, |s| s.ttl);
        found.push(differ);
    }
    let with_ns: Vec<&ServerResult> = hop.servers.iter().filter(|s| s.ns_ttl.is_some()).collect();
    if let Some(first) = with_ns.first()
        && with_ns.iter().all(|s| s.ns == first.ns)
        && with_ns.iter().any(|s| s.ns_ttl != first.ns_ttl)
    {
        let mut differ = finding(
            "ttl_differs",
            Severity::Warning,
            hop,
            &with_ns,
            format!(
                "the servers of {} give the zone's NS set with different TTLs",
                hop.zone
            ),
        );
        differ.detail = ttl_detail(&with_ns, |s| s.ns_ttl);
        found.push(differ);
    }
    found
}

fn ttl_detail(servers: &[&ServerResult], ttl: impl Fn(&ServerResult) -> Option<u32>) -> String {
    servers
        .iter()
        .map(|s| format!("{}: TTL {}", server_name(s), ttl(s).unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A CNAME at a zone's apex, where the SOA and NS records must be (RFC 1034 §3.6.2,
/// RFC 2181 §10.1): resolvers that follow it lose the zone's own records.
fn cname_at_apex(hop: &Hop) -> Option<Finding> {
    let apex = hop.records.iter().find(|r| {
        r.type_code == u16::from(hickory_proto::rr::RecordType::CNAME)
            && r.name.eq_ignore_ascii_case(&hop.zone)
    })?;
    let servers: Vec<&ServerResult> = hop.servers.iter().filter(|s| s.outcome == "alias").collect();
    let mut apex_cname = finding(
        "cname_at_apex",
        Severity::Error,
        hop,
        &servers,
        format!(
            "{} is a CNAME (to {}) at the top of its own zone, where only the zone's SOA and NS may be: mail and other records there break",
            hop.zone, apex.data
        ),
    );
    apex_cname.detail = format!("{} {} CNAME {}", apex.name, apex.ttl, apex.data);
    Some(apex_cname)
}

/// Name servers of the cut whose names could not be resolved, and those that resolve
/// only through the zone they serve (a circular dependency: when the zone's other
/// servers fail, these fail with them).
fn name_servers_unresolved(hop: &Hop) -> Vec<Finding> {
    let mut found = Vec::new();
    for sub in &hop.subwalks {
        if sub.answer.is_empty() {
            let mut lost = finding(
                "ns_unresolvable",
                Severity::Error,
                hop,
                &[],
                format!(
                    "the name server {} of {} does not resolve: resolvers cannot use it",
                    sub.name, hop.zone
                ),
            );
            lost.servers = vec![sub.name.clone()];
            lost.detail = format!("{} {}: {}", sub.name, sub.rtype, sub.outcome.message);
            found.push(lost);
        } else if !within(&sub.name, &hop.zone) && passes_through(&sub.hops, &hop.zone) {
            let mut circular = finding(
                "ns_depends_on_zone",
                Severity::Warning,
                hop,
                &[],
                format!(
                    "the name server {} of {} can only be found through {} itself: if the zone's other servers fail, it fails with them",
                    sub.name, hop.zone, hop.zone
                ),
            );
            circular.servers = vec![sub.name.clone()];
            circular.detail = format!(
                "resolving {} asked the servers of {}",
                sub.name,
                zones_of(&sub.hops).join(" → ")
            );
            found.push(circular);
        }
    }
    found
}

fn passes_through(hops: &[Hop], zone: &str) -> bool {
    hops.iter().any(|h| {
        h.zone.eq_ignore_ascii_case(zone) || h.subwalks.iter().any(|s| passes_through(&s.hops, zone))
    })
}

fn zones_of(hops: &[Hop]) -> Vec<String> {
    let mut zones = Vec::new();
    for hop in hops {
        for sub in &hop.subwalks {
            zones.extend(zones_of(&sub.hops));
        }
        zones.push(hop.zone.clone());
    }
    zones
}

/// Too little diversity among the zone's servers (RFC 2182 §3.1): one name server, or
/// every IPv4 address in one /24, or every IPv6 address in one /48; judged on every
/// server of the zone asked anywhere in the trace (a sub-walk may ask only some).
fn diversity(hop: &Hop, referral: Option<&Referral>, every: &[&Hop]) -> Option<Finding> {
    let mut asked: Vec<&ServerResult> = Vec::new();
    for row in every
        .iter()
        .filter(|h| h.zone == hop.zone)
        .flat_map(|h| &h.servers)
    {
        if !asked.iter().any(|a| a.server.address == row.server.address) {
            asked.push(row);
        }
    }
    let mut names: Vec<String> = match referral {
        Some(r) => r.ns.iter().map(|n| n.data.to_ascii_lowercase()).collect(),
        None => asked.iter().filter_map(|s| s.server.name.clone()).collect(),
    };
    names.sort();
    names.dedup();
    let addresses = sorted_addresses(asked.iter().map(|s| s.server.address.as_str()));
    let v4: Vec<[u8; 3]> = addresses
        .iter()
        .filter_map(|a| match a {
            IpAddr::V4(v4) => {
                let o = v4.octets();
                Some([o[0], o[1], o[2]])
            }
            IpAddr::V6(_) => None,
        })
        .collect();
    let v6: Vec<[u16; 3]> = addresses
        .iter()
        .filter_map(|a| match a {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                Some([s[0], s[1], s[2]])
            }
            IpAddr::V4(_) => None,
        })
        .collect();
    let mut reasons = Vec::new();
    if names.len() == 1 {
        reasons.push(format!("the zone has only one name server ({})", names[0]));
    }
    if let [only] = addresses.as_slice()
        && names.len() > 1
    {
        reasons.push(format!(
            "its {} name servers all have one address, {only}",
            names.len()
        ));
    } else if let Some(first) = v4.first()
        && v4.iter().all(|p| p == first)
    {
        reasons.push(format!(
            "every IPv4 address of its servers is in {}.{}.{}.0/24",
            first[0], first[1], first[2]
        ));
    }
    if let Some(first) = v6.first()
        && v6.iter().all(|p| p == first)
    {
        reasons.push(format!(
            "every IPv6 address of its servers is in {:x}:{:x}:{:x}::/48",
            first[0], first[1], first[2]
        ));
    }
    if reasons.is_empty() {
        return None;
    }
    let mut narrow = finding(
        "ns_diversity",
        Severity::Warning,
        hop,
        &asked,
        format!(
            "{}: one outage can take the whole zone down (RFC 2182 asks for servers on different networks)",
            reasons.join(", and ")
        ),
    );
    narrow.detail = format!(
        "name servers: {}; addresses: {}",
        names.join(", "),
        addresses
            .iter()
            .map(IpAddr::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Some(narrow)
}

/// EDNS trouble seen in the walk's own replies (no extra probe): EDNS refused with
/// FORMERR or NOTIMP, no OPT in the reply, a version not asked for.
fn edns_trouble(hop: &Hop) -> Option<Finding> {
    let troubled: Vec<&ServerResult> = hop.servers.iter().filter(|s| s.edns_problem.is_some()).collect();
    if troubled.is_empty() {
        return None;
    }
    let mut trouble = finding(
        "edns_problem",
        Severity::Warning,
        hop,
        &troubled,
        format!(
            "{} of the servers of {} mishandle EDNS (RFC 6891): resolvers may fall back to small replies without DNSSEC, or give up on them",
            troubled.len(),
            hop.zone
        ),
    );
    trouble.detail = troubled
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                server_name(s),
                s.edns_problem.as_deref().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(trouble)
}

/// Servers that answer over UDP but not over TCP (`+tcpcheck`): RFC 7766 requires TCP,
/// and every reply too large for UDP is lost without it.
fn no_tcp(hop: &Hop) -> Option<Finding> {
    let without: Vec<&ServerResult> = hop
        .servers
        .iter()
        .filter(|s| s.rcode.is_some() && s.tcp.as_ref().is_some_and(|t| !t.ok))
        .collect();
    if without.is_empty() {
        return None;
    }
    let mut tcp = finding(
        "tcp_unavailable",
        Severity::Error,
        hop,
        &without,
        format!(
            "{} of the servers of {} answer over UDP but not over TCP: large replies (DNSSEC, long TXT) cannot reach resolvers",
            without.len(),
            hop.zone
        ),
    );
    tcp.detail = without
        .iter()
        .map(|s| {
            format!(
                "{}: over TCP, {}",
                server_name(s),
                s.tcp.as_ref().map_or("", |t| t.outcome.as_str())
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(tcp)
}

/// A CNAME chain whose lowest TTL is very low: every lookup soon walks it again.
fn low_ttl_chain(chain: &[CnameLink], answer: &[RecordInfo]) -> Option<Finding> {
    let first = chain.first()?;
    let lowest = chain
        .iter()
        .map(|c| (c.ttl, c.owner.as_str(), c.zone.as_str()))
        .chain(answer.iter().map(|r| (r.ttl, r.name.as_str(), "")))
        .min_by_key(|(ttl, _, _)| *ttl)?;
    if lowest.0 >= LOW_CHAIN_TTL {
        return None;
    }
    let mut names = vec![first.owner.clone()];
    names.extend(chain.iter().map(|c| c.target.clone()));
    Some(Finding {
        code: "low_ttl_chain",
        severity: Severity::Info,
        zone: first.zone.clone(),
        servers: Vec::new(),
        message: format!(
            "the CNAME chain from {} can be cached for only {} s ({} has TTL {}): resolvers walk it again that often",
            first.owner, lowest.0, lowest.1, lowest.0
        ),
        detail: names.join(" → "),
    })
}

/// The delegation of the answer's zone expiring from caches before the answer does:
/// the NS set (the parent's referral TTL or the zone's own) or the glue has a shorter
/// TTL than the answer.
fn ns_ttl_short(hops: &[Hop], answer: &[RecordInfo]) -> Option<Finding> {
    let answer_ttl = answer.iter().map(|r| r.ttl).min()?;
    let last = hops
        .iter()
        .rev()
        .find(|h| h.outcome == crate::model::trace::HopKind::Answer)?;
    let referral = hops
        .iter()
        .filter_map(|h| h.referral.as_ref())
        .rfind(|r| r.zone == last.zone);
    let mut shorter = Vec::new();
    if let Some(r) = referral {
        if r.ttl < answer_ttl {
            shorter.push(format!("the parent's NS TTL is {}", r.ttl));
        }
        if let Some(glue) = r.glue.iter().map(|g| g.ttl).min()
            && glue < answer_ttl
        {
            shorter.push(format!("its glue's TTL is {glue}"));
        }
    }
    if let Some(own) = last.servers.iter().filter_map(|s| s.ns_ttl).min()
        && own < answer_ttl
    {
        shorter.push(format!("its own NS TTL is {own}"));
    }
    if shorter.is_empty() {
        return None;
    }
    Some(Finding {
        code: "ns_ttl_short",
        severity: Severity::Info,
        zone: last.zone.clone(),
        servers: Vec::new(),
        message: format!(
            "the delegation of {} expires from caches before its answer does (answer TTL {answer_ttl}; {}): resolvers ask the parent again while the answer is still cached",
            last.zone,
            shorter.join(", ")
        ),
        detail: format!(
            "answer {} TTL {answer_ttl}; {}",
            answer.first().map_or("", |r| r.name.as_str()),
            shorter.join("; ")
        ),
    })
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
    // The zone's own SOA differing is serial_differs, said with the serials.
    let own_soa = hop.qtype == "SOA" && hop.qname.eq_ignore_ascii_case(&hop.zone);
    if own_soa || answers.iter().all(|s| s.records == first.records) {
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
