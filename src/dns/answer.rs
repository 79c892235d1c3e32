//! What a reply says about its question: the alias chain from the asked name, the
//! records that answer it, the records that answer nothing that was asked, and what
//! that makes of the reply. Shared by the direct query and the walk, so that both
//! refuse the same lies.

use hickory_proto::op::Message;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype::type_text;
use crate::dns::wire::{Question, rcode_number};

/// What a reply means for dnscope's status and exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    /// NOERROR and the answer holds the asked type at the end of the question's alias
    /// chain (or a chain handed on by an authoritative server to another zone).
    Answer,
    /// NOERROR and no record of the asked type.
    Nodata,
    /// NXDOMAIN.
    Nxdomain,
    /// Any other rcode.
    Error,
}

/// A reply read against its question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reading {
    /// `None` when the reply does not answer the question at all (see `problem`).
    pub status: Option<Status>,
    /// Why the reply cannot be used, when `status` is `None`.
    pub problem: Option<String>,
    /// What the reply got wrong without losing its meaning, one line each.
    pub warnings: Vec<String>,
    /// Positions in the answer section of records that neither answer the question nor
    /// lie on its alias chain.
    pub outside: Vec<usize>,
}

/// RFC 2181 §8: a TTL with the top bit set is to be read as zero.
pub(crate) fn effective_ttl(ttl: u32) -> u32 {
    if ttl > 0x7fff_ffff { 0 } else { ttl }
}

/// Reads `message` as the reply to `question`.
pub(crate) fn read(message: &Message, question: &Question) -> Reading {
    let mut reading = Reading {
        status: None,
        problem: None,
        warnings: ttl_warnings(message),
        outside: outside(&message.answers, &question.name),
    };
    if !reading.outside.is_empty() {
        let shown: Vec<String> = reading
            .outside
            .iter()
            .take(3)
            .map(|&i| describe(&message.answers[i]))
            .collect();
        let more = reading.outside.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        reading.warnings.push(format!(
            "answer records outside the question's chain, not part of the answer: {}{more}",
            shown.join(", ")
        ));
    }
    let truncated = message.metadata.truncation;
    match rcode_number(message) {
        0 => {}
        3 => {
            reading.status = Some(Status::Nxdomain);
            return reading;
        }
        _ => {
            reading.status = Some(Status::Error);
            return reading;
        }
    }
    let wanted = question.rtype;
    let any = matches!(wanted, RecordType::ANY | RecordType::AXFR | RecordType::IXFR);
    let (chain, last) = follow_chain(&message.answers, &question.name);
    let answers = message
        .answers
        .iter()
        .any(|r| r.name == last && (any || r.record_type() == wanted));
    // An authoritative server that answers with a CNAME into another zone has answered;
    // a recursive resolver (RA) that followed the chain and found nothing has not.
    let handed_on =
        !chain.is_empty() && message.metadata.authoritative && !message.metadata.recursion_available;
    reading.status = if answers || handed_on {
        if truncated {
            reading
                .warnings
                .push("truncated reply (TC=1): the answer may be incomplete".to_owned());
        }
        Some(Status::Answer)
    } else if truncated {
        reading.problem = Some(
            "truncated reply (TC=1) without the answer: it proves neither an answer nor its absence"
                .to_owned(),
        );
        None
    } else if !reading.outside.is_empty() {
        reading.problem = Some("no record in the answer section answers the question".to_owned());
        None
    } else {
        Some(Status::Nodata)
    };
    reading
}

/// Positions of answer records that answer nothing asked: not on the alias chain from
/// `start`, not at its end, and not the DNAME (or a signature) that made a step of it.
fn outside(answers: &[Record], start: &Name) -> Vec<usize> {
    let (chain, last) = follow_chain(answers, start);
    let mut names: Vec<&Name> = vec![start, &last];
    for record in &chain {
        names.push(&record.name);
        if let RData::CNAME(target) = &record.data {
            names.push(&target.0);
        }
    }
    // A DNAME above a name of the chain made a step of it, even when the server sent the
    // synthesised CNAME that the chain followed instead (RFC 6672 §3.1).
    let dnames: Vec<&Name> = answers
        .iter()
        .filter(|r| r.record_type() == RecordType::DNAME && names.iter().any(|n| r.name.zone_of(n)))
        .map(|r| &r.name)
        .collect();
    answers
        .iter()
        .enumerate()
        .filter(|(_, r)| !names.contains(&&r.name) && !dnames.contains(&&r.name))
        .map(|(i, _)| i)
        .collect()
}

/// One record in a warning: owner, type and TTL.
fn describe(record: &Record) -> String {
    format!(
        "{} {}",
        names::format(&record.name, NameStyle::default()),
        type_text(record.record_type())
    )
}

/// A warning for each record whose TTL has the top bit set.
fn ttl_warnings(message: &Message) -> Vec<String> {
    message
        .answers
        .iter()
        .chain(&message.authorities)
        .chain(&message.additionals)
        .filter(|r| r.ttl != effective_ttl(r.ttl))
        .map(|r| {
            format!(
                "TTL {} of {} has its top bit set: read as 0 (RFC 2181 §8)",
                r.ttl,
                describe(r)
            )
        })
        .collect()
}

/// Follows CNAME and DNAME records from `start` through `answers` (in any order, at most
/// as many steps as there are records, so a loop inside one reply ends). Returns the
/// chain's records and the last name reached.
pub(crate) fn follow_chain(answers: &[Record], start: &Name) -> (Vec<Record>, Name) {
    let mut chain = Vec::new();
    let mut name = start.clone();
    for _ in 0..answers.len() {
        let cname = answers
            .iter()
            .find(|r| r.name == name && r.record_type() == RecordType::CNAME);
        if let Some(record) = cname
            && let RData::CNAME(target) = &record.data
        {
            chain.push(record.clone());
            name = target.0.clone();
            continue;
        }
        let dname = answers
            .iter()
            .find(|r| r.record_type() == RecordType::DNAME && r.name != name && r.name.zone_of(&name));
        match dname.and_then(|r| dname_target(r, &name).map(|t| (r, t))) {
            Some((record, target)) => {
                chain.push(record.clone());
                name = target;
            }
            None => break,
        }
    }
    (chain, name)
}

/// RFC 6672 §2.2: the name that `name` becomes under a DNAME record.
fn dname_target(record: &Record, name: &Name) -> Option<Name> {
    let target_bytes = match &record.data {
        RData::Unknown { rdata, .. } => rdata.anything.clone(),
        _ => return None,
    };
    let mut labels: Vec<Vec<u8>> = name
        .iter()
        .take(usize::from(name.num_labels() - record.name.num_labels()))
        .map(<[u8]>::to_vec)
        .collect();
    let mut at = 0;
    while let Some(&len) = target_bytes.get(at) {
        if len == 0 {
            break;
        }
        labels.push(target_bytes.get(at + 1..at + 1 + usize::from(len))?.to_vec());
        at += 1 + usize::from(len);
    }
    let mut target = Name::from_labels(labels.iter().map(Vec::as_slice)).ok()?;
    target.set_fqdn(true);
    Some(target)
}

#[cfg(test)]
mod tests {
    use hickory_proto::op::{Message, OpCode, ResponseCode};
    use hickory_proto::rr::rdata::{A, CNAME, NULL};
    use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

    use super::*;

    fn name(text: &str) -> Name {
        crate::dns::names::parse(text).unwrap()
    }

    fn question() -> Question {
        Question {
            name: name("www.example.test"),
            rtype: RecordType::A,
            class: DNSClass::IN,
        }
    }

    fn reply() -> Message {
        let mut reply = Message::response(7, OpCode::Query);
        reply
            .queries
            .push(hickory_proto::op::Query::query(question().name, RecordType::A));
        reply
    }

    fn a(owner: &str, ttl: u32) -> Record {
        Record::from_rdata(name(owner), ttl, RData::A(A::new(192, 0, 2, 66)))
    }

    fn cname(owner: &str, target: &str) -> Record {
        Record::from_rdata(name(owner), 300, RData::CNAME(CNAME(name(target))))
    }

    #[test]
    fn status_of_replies() {
        let q = question();
        let mut reply = reply();
        assert_eq!(read(&reply, &q).status, Some(Status::Nodata));
        reply.metadata.response_code = ResponseCode::NXDomain;
        assert_eq!(read(&reply, &q).status, Some(Status::Nxdomain));
        reply.metadata.response_code = ResponseCode::ServFail;
        assert_eq!(read(&reply, &q).status, Some(Status::Error));
        reply.metadata.response_code = ResponseCode::NoError;
        reply.answers.push(cname("www.example.test", "cdn.other.test"));
        reply.metadata.authoritative = true;
        assert_eq!(read(&reply, &q).status, Some(Status::Answer));
        reply.metadata.authoritative = false;
        reply.metadata.recursion_available = true;
        assert_eq!(read(&reply, &q).status, Some(Status::Nodata));
        reply.answers.push(a("cdn.other.test", 60));
        let reading = read(&reply, &q);
        assert_eq!(reading.status, Some(Status::Answer));
        assert!(
            reading.outside.is_empty() && reading.warnings.is_empty(),
            "{reading:?}"
        );
    }

    #[test]
    fn records_for_another_name_are_not_the_answer() {
        let q = question();
        let mut reply = reply();
        reply.answers.push(a("evil.other.test", 300));
        let reading = read(&reply, &q);
        assert_eq!(reading.status, None);
        assert_eq!(reading.outside, vec![0]);
        assert!(reading.problem.unwrap().contains("answers the question"));
        assert!(
            reading.warnings[0].contains("evil.other.test. A"),
            "{:?}",
            reading.warnings
        );

        // Beside a real answer, they are flagged and left out of it.
        reply.answers.insert(0, a("www.example.test", 300));
        let reading = read(&reply, &q);
        assert_eq!(reading.status, Some(Status::Answer));
        assert_eq!(reading.outside, vec![1]);
        assert_eq!(reading.problem, None);
    }

    #[test]
    fn a_dname_and_its_synthesised_cname_are_part_of_the_chain() {
        let q = question();
        let mut reply = reply();
        let target = {
            let mut bytes = Vec::new();
            for label in ["example", "net"] {
                bytes.push(u8::try_from(label.len()).unwrap());
                bytes.extend_from_slice(label.as_bytes());
            }
            bytes.push(0);
            bytes
        };
        reply.answers.push(Record::from_rdata(
            name("example.test"),
            300,
            RData::Unknown {
                code: RecordType::DNAME,
                rdata: NULL::with(target),
            },
        ));
        reply.answers.push(cname("www.example.test", "www.example.net"));
        reply.answers.push(a("www.example.net", 300));
        let reading = read(&reply, &q);
        assert_eq!(reading.status, Some(Status::Answer));
        assert!(reading.outside.is_empty(), "{reading:?}");
    }

    #[test]
    fn a_truncated_reply_without_the_answer_proves_nothing() {
        let q = question();
        let mut reply = reply();
        reply.metadata.truncation = true;
        let reading = read(&reply, &q);
        assert_eq!(reading.status, None);
        assert!(reading.problem.unwrap().contains("truncated"));
        reply.answers.push(a("www.example.test", 300));
        let reading = read(&reply, &q);
        assert_eq!(reading.status, Some(Status::Answer));
        assert!(reading.warnings[0].contains("may be incomplete"), "{reading:?}");
        // The rcode is in the header, which truncation does not cut.
        reply.answers.clear();
        reply.metadata.response_code = ResponseCode::NXDomain;
        assert_eq!(read(&reply, &q).status, Some(Status::Nxdomain));
    }

    #[test]
    fn a_ttl_with_its_top_bit_set_reads_as_zero() {
        assert_eq!(effective_ttl(0x7fff_ffff), 0x7fff_ffff);
        assert_eq!(effective_ttl(0x8000_0000), 0);
        assert_eq!(effective_ttl(u32::MAX), 0);
        let q = question();
        let mut reply = reply();
        reply.answers.push(a("www.example.test", 0x8000_0000));
        let reading = read(&reply, &q);
        assert_eq!(reading.status, Some(Status::Answer));
        assert_eq!(
            reading.warnings,
            vec!["TTL 2147483648 of www.example.test. A has its top bit set: read as 0 (RFC 2181 §8)"]
        );
    }
}
