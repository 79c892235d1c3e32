//! `+nsall`'s look at each server of a cut: besides the walk's own question, what it
//! holds of the zone (SOA serial, NS set, the addresses of the zone's own name server
//! names, its EDNS, and with `+tcpcheck` whether it answers over TCP). Every question
//! to every server of the cut is one flat list asked at once, so a cut costs about its
//! slowest server's round trip, not a round trip per question.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::AtomicBool;

use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use crate::dns::names::{self, NameStyle};
use crate::dns::random;
use crate::dns::wire::{self, EdnsSettings, Question};
use crate::model::trace::{EdnsSeen, NsAddresses, ServerRef, ServerResult, TcpProbe};
use crate::transport::policy::{self, Completed, Failed};
use crate::walk::budget::Budget;
use crate::walk::classify::{Final, Step, Unusable};
use crate::walk::{Family, Settings};

/// At most this many of a zone's own name server names have their glue checked.
const GLUE_NAMES: usize = 8;

/// One question to one server of a cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Probe {
    /// The walk's question: the only one whose reply can move the walk on.
    Walk,
    Soa,
    Ns,
    /// An address of one of the zone's own name server names (to check the glue).
    Address(Name, RecordType),
    /// The zone's SOA over TCP.
    Tcp,
}

/// The questions for one server of `zone` besides the walk's: none when the server
/// was looked at already in this trace, or when the walk is resolving a name server.
pub(crate) fn extra(zone: &Name, ns_names: &[Name], family: Family, tcp_check: bool) -> Vec<Probe> {
    let mut probes = vec![Probe::Soa, Probe::Ns];
    if !zone.is_root() {
        // Only names inside the zone need (and can only be found through) glue.
        let mut inside: Vec<&Name> = ns_names.iter().filter(|n| zone.zone_of(n)).collect();
        inside.sort();
        inside.dedup();
        for name in inside.into_iter().take(GLUE_NAMES) {
            if family != Family::V6 {
                probes.push(Probe::Address(name.clone(), RecordType::A));
            }
            if family != Family::V4 {
                probes.push(Probe::Address(name.clone(), RecordType::AAAA));
            }
        }
    }
    if tcp_check {
        probes.push(Probe::Tcp);
    }
    probes
}

/// Asks `addr` one probe's question with the trace's settings, until told to stop.
pub(crate) fn ask(
    budget: &Budget<'_>,
    settings: &Settings,
    addr: IpAddr,
    question: &Question,
    tcp: bool,
    cancel: &AtomicBool,
) -> Result<Completed, Failed> {
    let mut transport = settings.transport.clone();
    if tcp {
        // One try: the question is whether TCP works at all.
        transport.tcp = true;
        transport.tries = 1;
    }
    policy::cancellable_lookup(
        budget,
        &[SocketAddr::new(addr, settings.port)],
        question,
        &settings.flags,
        &transport,
        &mut random::id,
        Some(cancel),
    )
}

/// The question a probe asks, for the walk's question `walk` at `zone`.
pub(crate) fn question(probe: &Probe, zone: &Name, walk: &Question) -> Question {
    let at = |name: &Name, rtype| Question {
        name: name.clone(),
        rtype,
        class: DNSClass::IN,
    };
    match probe {
        Probe::Walk => walk.clone(),
        Probe::Soa | Probe::Tcp => at(zone, RecordType::SOA),
        Probe::Ns => at(zone, RecordType::NS),
        Probe::Address(name, rtype) => at(name, *rtype),
    }
}

/// The records of `name` `rtype` in an authoritative reply (an empty set for an
/// authoritative NXDOMAIN or NODATA); `None` when the server gave no such reply.
fn authoritative(result: &Result<Completed, Failed>, name: &Name, rtype: RecordType) -> Option<Vec<Record>> {
    let done = result.as_ref().ok()?;
    let message = &done.reply.message;
    if !message.metadata.authoritative || !matches!(wire::rcode_number(message), 0 | 3) {
        return None;
    }
    Some(
        message
            .answers
            .iter()
            .filter(|r| r.name == *name && r.record_type() == rtype)
            .cloned()
            .collect(),
    )
}

/// One server's row of a `+nsall` table: its reply to the walk's question (`walk`,
/// with the step it was) and what its other probes found.
pub(crate) fn server_result(
    server: ServerRef,
    zone: &Name,
    walk: (&Result<Completed, Failed>, Option<&Result<Step, Unusable>>),
    probes: &[(Probe, Result<Completed, Failed>)],
    planned: Option<&EdnsSettings>,
    style: NameStyle,
) -> ServerResult {
    let mut row = ServerResult {
        server,
        outcome: String::new(),
        rtt_us: None,
        rcode: None,
        aa: None,
        records: Vec::new(),
        usable: false,
        serial: None,
        ns: Vec::new(),
        ns_ttl: None,
        ttl: None,
        edns: None,
        edns_problem: None,
        tcp: None,
        ns_addresses: Vec::new(),
    };
    apex(&mut row, zone, probes, style);
    let (done, step) = match walk {
        (Ok(done), Some(step)) => (done, step),
        (Err(failed), _) => {
            row.outcome = failed.last.to_string();
            return row;
        }
        (Ok(_), None) => unreachable!("a reply is always classified"),
    };
    let show = |records: &[Record]| -> Vec<String> {
        let mut data: Vec<String> = records
            .iter()
            .map(|r| crate::model::report::record_info(r, style).data)
            .collect();
        data.sort();
        data
    };
    let (outcome, given): (String, &[Record]) = match step {
        Ok(Step::Referral(delegated)) => (
            format!("referral to {}", names::format(&delegated.zone, style)),
            &delegated.ns,
        ),
        Ok(Step::Final(Final::Answer { records, .. })) => ("answer".to_owned(), records),
        Ok(Step::Final(Final::Alias { chain, .. })) => ("alias".to_owned(), chain),
        Ok(Step::Final(Final::NxDomain { .. })) => ("nxdomain".to_owned(), &[]),
        Ok(Step::Final(Final::NoData { .. })) => ("nodata".to_owned(), &[]),
        Err(unusable) => (unusable.to_string(), &[]),
    };
    let message = &done.reply.message;
    row.outcome = outcome;
    row.records = show(given);
    row.ttl = given.iter().map(|r| r.ttl).min();
    row.rtt_us = u64::try_from(done.reply.rtt.as_micros()).ok();
    row.rcode = Some(wire::rcode_text(wire::rcode_number(message)).into_owned());
    row.aa = Some(message.metadata.authoritative);
    row.usable = step.is_ok();
    row.edns = message.edns.as_ref().map(|e| EdnsSeen {
        version: e.version(),
        udp_size: e.max_payload(),
    });
    row.edns_problem = edns_problem(done, planned);
    row
}

/// What the apex probes found: the serial, the NS set, the addresses of the zone's
/// own name server names, TCP.
fn apex(
    row: &mut ServerResult,
    zone: &Name,
    probes: &[(Probe, Result<Completed, Failed>)],
    style: NameStyle,
) {
    let mut addresses: Vec<NsAddresses> = Vec::new();
    for (probe, result) in probes {
        match probe {
            Probe::Walk => {}
            Probe::Soa => {
                row.serial = authoritative(result, zone, RecordType::SOA)
                    .unwrap_or_default()
                    .iter()
                    .find_map(|r| match &r.data {
                        RData::SOA(soa) => Some(soa.serial),
                        _ => None,
                    });
            }
            Probe::Ns => {
                let records = authoritative(result, zone, RecordType::NS).unwrap_or_default();
                let mut ns: Vec<String> = records
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::NS(target) => Some(names::format(&target.0, style)),
                        _ => None,
                    })
                    .collect();
                ns.sort();
                row.ns = ns;
                row.ns_ttl = records.iter().map(|r| r.ttl).min();
            }
            Probe::Address(name, rtype) => {
                let Some(records) = authoritative(result, name, *rtype) else {
                    continue;
                };
                let shown = names::format(name, style);
                let entry = match addresses.iter_mut().position(|a| a.name == shown) {
                    Some(at) => &mut addresses[at],
                    None => {
                        addresses.push(NsAddresses {
                            name: shown,
                            addresses: Vec::new(),
                            ttl: None,
                            asked: Vec::new(),
                        });
                        addresses.last_mut().expect("just pushed")
                    }
                };
                entry.asked.push(u16::from(*rtype));
                for record in &records {
                    let addr = match &record.data {
                        RData::A(a) => IpAddr::V4(a.0),
                        RData::AAAA(a) => IpAddr::V6(a.0),
                        _ => continue,
                    };
                    entry.addresses.push(addr.to_string());
                    entry.ttl = Some(entry.ttl.map_or(record.ttl, |t| t.min(record.ttl)));
                }
                entry.addresses.sort();
            }
            Probe::Tcp => {
                row.tcp = Some(match result {
                    Ok(done) => TcpProbe {
                        ok: true,
                        rtt_us: u64::try_from(done.reply.rtt.as_micros()).ok(),
                        outcome: wire::rcode_text(wire::rcode_number(&done.reply.message)).into_owned(),
                    },
                    Err(failed) => TcpProbe {
                        ok: false,
                        rtt_us: None,
                        outcome: failed.last.to_string(),
                    },
                });
            }
        }
    }
    row.ns_addresses = addresses;
}

/// EDNS trouble seen in the reply to the walk's question (RFC 6891): EDNS refused, an
/// OPT record missing from a reply to an EDNS query, or a version that was not asked.
fn edns_problem(done: &Completed, planned: Option<&EdnsSettings>) -> Option<String> {
    let message = &done.reply.message;
    if let Some(rcode) = done.edns_rejected {
        // BADVERS to a version it does not know is the right answer (RFC 6891 §6.1.3).
        if rcode == 16 && planned.is_some_and(|e| e.version > 0) {
            return None;
        }
        return Some(format!(
            "{} to a query with EDNS; it answered only without EDNS",
            wire::rcode_text(rcode)
        ));
    }
    let sent = done.flags.edns.as_ref()?;
    if !matches!(wire::rcode_number(message), 0 | 3) {
        return None;
    }
    match &message.edns {
        None => Some("no OPT record in its reply to a query with EDNS".to_owned()),
        Some(got) if got.version() != sent.version => Some(format!(
            "EDNS version {} in its reply to a version {} query, without BADVERS",
            got.version(),
            sent.version
        )),
        Some(_) => None,
    }
}
