//! What a reply means to an iterative walk: the walk's decisions, with no I/O.
//!
//! A server of zone `cut` was asked (RD=0) for `qname`/`qtype`. Its reply is a
//! referral further down, the answer, an alias to follow, a proof that the name or the
//! data does not exist, or something the walk cannot use (an error rcode, a lame or
//! upward referral), in which case the walk asks the next server.

use hickory_proto::op::Message;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use crate::dns::answer::follow_chain;
use crate::dns::wire;

/// Why a reply cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// An error rcode (SERVFAIL, REFUSED, …), by mnemonic.
    Rcode(String),
    /// Not authoritative, and no referral: the server does not serve the zone.
    Lame,
    /// A referral to the zone being asked or one above it.
    Upward(Name),
    /// A referral to a zone that does not contain the name.
    Sideways(Name),
    /// Answer records that do not answer the question.
    Mismatch,
    /// Truncated (TC=1) even over TCP, without the answer: it proves nothing.
    Truncated,
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = |n: &Name| crate::dns::names::format(n, crate::dns::names::NameStyle::default());
        match self {
            Unusable::Rcode(rcode) => write!(f, "{rcode}"),
            Unusable::Lame => f.write_str("lame: not authoritative and no referral"),
            Unusable::Upward(zone) => write!(f, "upward referral to {}", name(zone)),
            Unusable::Sideways(zone) => {
                write!(f, "referral to {}, which does not contain the name", name(zone))
            }
            Unusable::Mismatch => f.write_str("answer records that do not answer the question"),
            Unusable::Truncated => f.write_str("truncated reply (TC=1) without the answer"),
        }
    }
}

/// What a usable reply says: go one zone deeper, or this is where the walk ends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Referral(Delegated),
    Final(Final),
}

/// A delegation to `zone`, strictly below the cut and containing the name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Delegated {
    pub zone: Name,
    pub ns: Vec<Record>,
    /// Addresses of the NS names that lie inside the cut (in bailiwick).
    pub glue: Vec<Record>,
    /// Additional records the walk does not trust: outside the cut.
    pub ignored: Vec<Record>,
}

/// A reply that ends a descent.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Final {
    /// The records of the asked type, after any CNAME/DNAME chain inside this reply.
    Answer {
        chain: Vec<Record>,
        records: Vec<Record>,
    },
    /// An alias whose target this reply does not answer: walk again for `target`.
    Alias { chain: Vec<Record>, target: Name },
    /// The name (or the last name of the chain) does not exist.
    NxDomain { chain: Vec<Record>, soa: Option<Record> },
    /// The name exists without data of the asked type.
    NoData { chain: Vec<Record>, soa: Option<Record> },
}

impl Final {
    /// The CNAME/DNAME records this reply followed.
    pub(crate) fn chain(&self) -> &[Record] {
        match self {
            Final::Answer { chain, .. }
            | Final::Alias { chain, .. }
            | Final::NxDomain { chain, .. }
            | Final::NoData { chain, .. } => chain,
        }
    }
}

/// Judges `reply` from a server of `cut` for `qname`/`qtype`.
pub(crate) fn classify(
    reply: &Message,
    cut: &Name,
    qname: &Name,
    qtype: RecordType,
) -> Result<Step, Unusable> {
    let rcode = wire::rcode_number(reply);
    if rcode != 0 && rcode != 3 {
        return Err(Unusable::Rcode(wire::rcode_text(rcode).into_owned()));
    }
    // Only the zone's own data is followed: a CNAME target in another zone is walked to
    // from its own servers, even when this server sent its records along (RFC 2181
    // §5.4.1 ranks them below an authoritative answer; resolvers ask again).
    let in_zone: Vec<Record> = reply
        .answers
        .iter()
        .filter(|r| cut.zone_of(&r.name))
        .cloned()
        .collect();
    let (chain, last) = follow_chain(&in_zone, qname);
    if !chain.is_empty() && !cut.zone_of(&last) {
        return Ok(Step::Final(Final::Alias { chain, target: last }));
    }
    let soa = reply
        .authorities
        .iter()
        .find(|r| r.record_type() == RecordType::SOA)
        .cloned();
    if rcode == 3 {
        return if reply.metadata.authoritative || soa.is_some() {
            Ok(Step::Final(Final::NxDomain { chain, soa }))
        } else {
            Err(Unusable::Lame)
        };
    }
    let wanted = |r: &&Record| r.name == last && (qtype == RecordType::ANY || r.record_type() == qtype);
    let records: Vec<Record> = in_zone.iter().filter(wanted).cloned().collect();
    if !records.is_empty() {
        return Ok(Step::Final(Final::Answer { chain, records }));
    }
    // The header's rcode survives truncation; the sections do not (RFC 2181 §9).
    if reply.metadata.truncation {
        return Err(Unusable::Truncated);
    }
    if !chain.is_empty() {
        return Ok(Step::Final(Final::Alias { chain, target: last }));
    }
    if !reply.answers.is_empty() {
        return Err(Unusable::Mismatch);
    }
    if let Some(zone) = reply
        .authorities
        .iter()
        .find(|r| r.record_type() == RecordType::NS)
        .map(|r| r.name.clone())
    {
        return referral(reply, cut, qname, zone);
    }
    if reply.metadata.authoritative {
        Ok(Step::Final(Final::NoData { chain, soa }))
    } else {
        Err(Unusable::Lame)
    }
}

fn referral(reply: &Message, cut: &Name, qname: &Name, zone: Name) -> Result<Step, Unusable> {
    if !zone.zone_of(qname) {
        return Err(Unusable::Sideways(zone));
    }
    if zone.zone_of(cut) {
        // The cut itself or an ancestor: a referral that makes no progress.
        return Err(Unusable::Upward(zone));
    }
    let ns: Vec<Record> = reply
        .authorities
        .iter()
        .filter(|r| r.record_type() == RecordType::NS && r.name == zone)
        .cloned()
        .collect();
    let targets: Vec<Name> = ns.iter().filter_map(ns_target).collect();
    let (glue, ignored) = reply
        .additionals
        .iter()
        .filter(|r| matches!(r.record_type(), RecordType::A | RecordType::AAAA))
        .cloned()
        .partition(|r| cut.zone_of(&r.name) && targets.contains(&r.name));
    Ok(Step::Referral(Delegated {
        zone,
        ns,
        glue,
        ignored,
    }))
}

/// The target of an NS record.
pub(crate) fn ns_target(record: &Record) -> Option<Name> {
    match &record.data {
        RData::NS(ns) => Some(ns.0.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::op::{Message, OpCode, Query, ResponseCode};
    use hickory_proto::rr::rdata::{A, CNAME, NS, NULL, SOA};

    fn name(text: &str) -> Name {
        crate::dns::names::parse(text).unwrap()
    }

    fn reply(qname: &str) -> Message {
        let mut m = Message::response(1, OpCode::Query);
        m.queries.push(Query::query(name(qname), RecordType::A));
        m
    }

    fn ns(owner: &str, target: &str) -> Record {
        Record::from_rdata(name(owner), 172_800, RData::NS(NS(name(target))))
    }

    fn a(owner: &str, last: u8) -> Record {
        Record::from_rdata(name(owner), 300, RData::A(A::new(192, 0, 2, last)))
    }

    fn soa(owner: &str) -> Record {
        Record::from_rdata(
            name(owner),
            300,
            RData::SOA(SOA::new(name("ns.test"), name("h.test"), 1, 2, 3, 4, 5)),
        )
    }

    fn cname(owner: &str, target: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::CNAME(CNAME(name(target))))
    }

    #[test]
    fn referral_keeps_only_in_bailiwick_glue() {
        let mut m = reply("www.example.com");
        m.authorities = vec![ns("com.", "a.gtld.net."), ns("com.", "b.nic.com.")];
        m.additionals = vec![a("a.gtld.net.", 1), a("b.nic.com.", 2), a("unrelated.org.", 3)];
        // Asked at the root: every name is inside the cut, but only NS targets are glue.
        let Ok(Step::Referral(Delegated {
            zone,
            ns: set,
            glue,
            ignored,
        })) = classify(&m, &Name::root(), &name("www.example.com"), RecordType::A)
        else {
            panic!()
        };
        assert_eq!(
            (zone, set.len(), glue.len(), ignored.len()),
            (name("com."), 2, 2, 1)
        );
        // Asked at com.: a.gtld.net is outside com., so it is not trusted.
        m.authorities = vec![
            ns("example.com.", "a.gtld.net."),
            ns("example.com.", "b.nic.com."),
        ];
        let Ok(Step::Referral(Delegated { glue, ignored, .. })) =
            classify(&m, &name("com."), &name("www.example.com"), RecordType::A)
        else {
            panic!()
        };
        assert_eq!(glue, [a("b.nic.com.", 2)]);
        assert_eq!(ignored.len(), 2);
    }

    #[test]
    fn upward_and_sideways_referrals_are_unusable() {
        let q = name("www.example.com");
        let mut m = reply("www.example.com");
        m.authorities = vec![ns(".", "a.root.")];
        assert_eq!(
            classify(&m, &name("com."), &q, RecordType::A),
            Err(Unusable::Upward(Name::root()))
        );
        m.authorities = vec![ns("com.", "a.gtld.")];
        assert_eq!(
            classify(&m, &name("com."), &q, RecordType::A),
            Err(Unusable::Upward(name("com.")))
        );
        m.authorities = vec![ns("example.org.", "a.org.")];
        assert_eq!(
            classify(&m, &name("com."), &q, RecordType::A),
            Err(Unusable::Sideways(name("example.org.")))
        );
    }

    #[test]
    fn answers_aliases_and_negative_replies() {
        let q = name("www.example.com");
        let cut = name("example.com.");
        let mut m = reply("www.example.com");
        m.metadata.authoritative = true;
        m.answers = vec![a("www.example.com.", 1)];
        assert!(
            matches!(classify(&m, &cut, &q, RecordType::A), Ok(Step::Final(Final::Answer { chain, records })) if chain.is_empty() && records.len() == 1)
        );

        m.answers = vec![cname("www.example.com.", "d1.cdn.net.")];
        let Ok(Step::Final(Final::Alias { chain, target })) = classify(&m, &cut, &q, RecordType::A) else {
            panic!()
        };
        assert_eq!((chain.len(), target), (1, name("d1.cdn.net.")));

        m.answers = vec![
            a("alias.example.com.", 9),
            cname("www.example.com.", "alias.example.com."),
        ];
        assert!(
            matches!(classify(&m, &cut, &q, RecordType::A), Ok(Step::Final(Final::Answer { chain, .. })) if chain.len() == 1)
        );

        m.answers.clear();
        m.authorities = vec![soa("example.com.")];
        assert!(matches!(
            classify(&m, &cut, &q, RecordType::A),
            Ok(Step::Final(Final::NoData { soa: Some(_), .. }))
        ));
        m.metadata.response_code = ResponseCode::NXDomain;
        assert!(matches!(
            classify(&m, &cut, &q, RecordType::A),
            Ok(Step::Final(Final::NxDomain { soa: Some(_), .. }))
        ));

        m.metadata.response_code = ResponseCode::ServFail;
        assert_eq!(
            classify(&m, &cut, &q, RecordType::A),
            Err(Unusable::Rcode("SERVFAIL".into()))
        );
        m.metadata.response_code = ResponseCode::NoError;
        m.metadata.authoritative = false;
        m.authorities.clear();
        assert_eq!(classify(&m, &cut, &q, RecordType::A), Err(Unusable::Lame));
        m.answers = vec![a("other.example.com.", 1)];
        assert_eq!(classify(&m, &cut, &q, RecordType::A), Err(Unusable::Mismatch));
    }

    #[test]
    fn another_zones_records_in_the_reply_are_walked_to_not_taken() {
        // A server of example.com. that also serves cdn.net. sends the target's address
        // along: the walk must still ask cdn.net.'s own servers.
        let q = name("www.example.com");
        let cut = name("example.com.");
        let mut m = reply("www.example.com");
        m.metadata.authoritative = true;
        m.answers = vec![cname("www.example.com.", "d1.cdn.net."), a("d1.cdn.net.", 7)];
        let Ok(Step::Final(Final::Alias { chain, target })) = classify(&m, &cut, &q, RecordType::A) else {
            panic!("{:?}", classify(&m, &cut, &q, RecordType::A))
        };
        assert_eq!((chain.len(), target), (1, name("d1.cdn.net.")));
        // Within the zone the chain is followed to the records.
        m.answers = vec![
            cname("www.example.com.", "web.example.com."),
            a("web.example.com.", 7),
        ];
        assert!(matches!(
            classify(&m, &cut, &q, RecordType::A),
            Ok(Step::Final(Final::Answer { chain, records })) if chain.len() == 1 && records.len() == 1
        ));
    }

    #[test]
    fn chains_stop_on_loops_and_follow_dname() {
        let loop_answers = vec![cname("a.test.", "b.test."), cname("b.test.", "a.test.")];
        let (chain, last) = follow_chain(&loop_answers, &name("a.test"));
        assert_eq!((chain.len(), last), (2, name("a.test.")));
        let dname = Record::from_rdata(
            name("old.test."),
            300,
            RData::Unknown {
                code: RecordType::DNAME,
                rdata: NULL::with(b"\x03new\x04test\x00".to_vec()),
            },
        );
        let (chain, last) = follow_chain(&[dname], &name("www.old.test"));
        assert_eq!((chain.len(), last), (1, name("www.new.test.")));
    }
}
