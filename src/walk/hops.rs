//! What a step of the walk looks like in the trace model: hops, records, alias links and
//! provider notes, written from hickory's types at this edge.

use hickory_proto::rr::{Name, RData, Record, RecordType};

use crate::dns::answer::effective_ttl;
use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype::type_text;
use crate::model::report::{self, RecordInfo};
use crate::model::trace::{CnameLink, Hop, HopKind, Outcome, OutcomeKind};
use crate::walk::classify::Final;
use crate::walk::providers;

/// An outcome of the walk.
pub(crate) fn outcome(kind: OutcomeKind, message: impl Into<String>) -> Outcome {
    Outcome {
        kind,
        message: message.into(),
    }
}

/// The records as the model shows them.
pub(crate) fn info(records: &[Record], style: NameStyle) -> Vec<RecordInfo> {
    records.iter().map(|r| report::record_info(r, style)).collect()
}

/// A hop before its server is asked.
pub(crate) fn new_hop(zone: &Name, name: &Name, qtype: RecordType, cached: bool, style: NameStyle) -> Hop {
    Hop {
        servers: Vec::new(),
        zone: names::format(zone, style),
        qname: names::format(name, style),
        qtype: type_text(qtype).into_owned(),
        cached,
        server: None,
        protocol: None,
        rtt_us: None,
        rcode: None,
        aa: None,
        outcome: HopKind::Failed,
        referral: None,
        records: Vec::new(),
        attempts: Vec::new(),
        subwalks: Vec::new(),
        notes: Vec::new(),
        dnssec: None,
    }
}

/// Notes the hosting provider a server or target name belongs to, once per hop.
pub(crate) fn note_provider(hop: &mut Hop, name: Option<&Name>, style: NameStyle) {
    if let Some(name) = name {
        let shown = names::format(name, style);
        if let Some(note) = providers::note(&shown) {
            let text = format!("{shown}: {note}");
            if !hop.notes.contains(&text) {
                hop.notes.push(text);
            }
        }
    }
}

/// Records what a final (non-referral) reply said.
pub(crate) fn fill(hop: &mut Hop, last: &Final, style: NameStyle) {
    let (kind, records): (HopKind, Vec<Record>) = match last {
        Final::Answer { chain, records } => (HopKind::Answer, chain.iter().chain(records).cloned().collect()),
        Final::Alias { chain, .. } => (HopKind::Alias, chain.clone()),
        Final::NxDomain { chain, soa } => (HopKind::Nxdomain, chain.iter().chain(soa).cloned().collect()),
        Final::NoData { chain, soa } => (HopKind::Nodata, chain.iter().chain(soa).cloned().collect()),
    };
    hop.outcome = kind;
    for record in &records {
        if let RData::CNAME(target) = &record.data {
            note_provider(hop, Some(&target.0), style);
        }
    }
    if let Final::Answer { records: answer, .. } = last
        && let Some(first) = answer.first()
    {
        note_provider(hop, Some(&first.name), style);
    }
    if hop.aa == Some(false) && kind == HopKind::Answer {
        hop.notes
            .push("answer without the AA bit: the server is not authoritative for it".to_owned());
    }
    note_ttls(hop, &records, style);
    hop.records = info(&records, style);
}

/// A CNAME or DNAME hop of the chain, with the zone that gave it.
pub(crate) fn link(record: &Record, zone: &str, style: NameStyle) -> Option<CnameLink> {
    let info = report::record_info(record, style);
    let target = match &record.data {
        RData::CNAME(target) => names::format(&target.0, style),
        _ => info.data.clone(),
    };
    Some(CnameLink {
        owner: info.name,
        target,
        ttl: record.ttl,
        rtype: info.rtype.into_owned(),
        zone: zone.to_owned(),
    })
}

/// Notes each record whose TTL has the top bit set, which the walk reads as 0.
pub(crate) fn note_ttls(hop: &mut Hop, records: &[Record], style: NameStyle) {
    for record in records.iter().filter(|r| r.ttl != effective_ttl(r.ttl)) {
        hop.notes.push(format!(
            "TTL {} of {} {} has its top bit set: read as 0 (RFC 2181 §8)",
            record.ttl,
            names::format(&record.name, style),
            type_text(record.record_type())
        ));
    }
}
