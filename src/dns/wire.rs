//! The DNS message side of a query: building the bytes to send, judging whether bytes
//! that came back are the reply, and what that reply says. No sockets and no clocks here.

use std::net::{IpAddr, SocketAddr};

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::opt::{ClientSubnet, EdnsCode, EdnsOption};
use hickory_proto::rr::{DNSClass, Name, RecordType};

use crate::dns::rrtype::Mnemonic;

/// EDNS option codes dnscope encodes or decodes itself (hickory-proto leaves them opaque).
pub(crate) mod option_code {
    /// RFC 5001.
    pub(crate) const NSID: u16 = 3;
    /// RFC 7871.
    pub(crate) const SUBNET: u16 = 8;
    /// RFC 7873.
    pub(crate) const COOKIE: u16 = 10;
    /// RFC 8914.
    pub(crate) const EDE: u16 = 15;
    /// RFC 7830.
    pub(crate) const PADDING: u16 = 12;
    /// RFC 7314.
    pub(crate) const EXPIRE: u16 = 9;
    /// RFC 7828.
    pub(crate) const KEEPALIVE: u16 = 11;
}

/// The question of one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The name asked for, fully qualified.
    pub name: Name,
    /// The record type asked for.
    pub rtype: RecordType,
    /// The class asked for.
    pub class: DNSClass,
}

/// EDNS(0) settings of a query (RFC 6891).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EdnsSettings {
    /// EDNS version, 0 unless `+edns=N`.
    pub version: u8,
    /// Advertised UDP payload size; hickory raises anything below 512 to 512.
    pub udp_size: u16,
    /// DNSSEC OK bit.
    pub dnssec_ok: bool,
    /// Ask for the server's NSID.
    pub nsid: bool,
    /// Client cookie (8 bytes), optionally followed by a server cookie to echo.
    pub cookie: Option<Vec<u8>>,
    /// EDNS Client Subnet: address and source prefix length.
    pub subnet: Option<(IpAddr, u8)>,
    /// Pad the query to a multiple of [`PADDING_BLOCK`] bytes (RFC 7830, RFC 8467).
    pub padding: bool,
    /// `+ednsflags=N`: the must-be-zero flag bits (the DO bit is `dnssec_ok`).
    pub z_flags: u16,
    /// `+expire`: ask for the zone's expire timer (RFC 7314).
    pub expire: bool,
    /// `+keepalive`: ask for the server's TCP idle timeout (RFC 7828).
    pub keepalive: bool,
    /// `+ednsopt=CODE[:HEX]`: options sent as given, in order.
    pub extra: Vec<(u16, Vec<u8>)>,
}

/// RFC 8467 §4.1: queries padded to a multiple of 128 octets.
pub(crate) const PADDING_BLOCK: usize = 128;

impl EdnsSettings {
    /// EDNS version 0 with a `udp_size` buffer, no DO bit and no options.
    #[cfg(test)]
    pub(crate) fn new(udp_size: u16) -> Self {
        Self {
            version: 0,
            udp_size,
            dnssec_ok: false,
            nsid: false,
            cookie: None,
            subnet: None,
            padding: false,
            z_flags: 0,
            expire: false,
            keepalive: false,
            extra: Vec::new(),
        }
    }
}

/// Header bits and EDNS of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryFlags {
    /// RD: ask the server to recurse.
    pub recurse: bool,
    /// CD: checking disabled.
    pub checking_disabled: bool,
    /// AD: ask for the authentic-data bit in the reply (RFC 6840 §5.7).
    pub authentic_data: bool,
    /// EDNS, or `None` for a plain RFC 1035 query.
    pub edns: Option<EdnsSettings>,
    /// `+zflag`: the header's reserved Z bit.
    pub z: bool,
    /// `+opcode=N`: the query's opcode (0, QUERY, unless told).
    pub opcode: u8,
    /// `+header-only`: no question section.
    pub header_only: bool,
}

impl QueryFlags {
    /// RD set, CD and AD clear, with `edns`.
    #[cfg(test)]
    pub(crate) fn recursive(edns: Option<EdnsSettings>) -> Self {
        Self {
            recurse: true,
            checking_disabled: false,
            authentic_data: false,
            edns,
            z: false,
            opcode: 0,
            header_only: false,
        }
    }
}

/// Encodes a query message.
///
/// # Errors
/// Only when hickory-proto cannot encode the message (a name it rejects).
pub(crate) fn build_query(question: &Question, flags: &QueryFlags, id: u16) -> Result<Vec<u8>, String> {
    let encode = |message: &Message| {
        message
            .to_vec()
            .map_err(|e| format!("cannot encode the query: {e}"))
    };
    let mut message = query_message(question, flags, id);
    let bytes = encode(&message)?;
    match (&mut message.edns, flags.edns.as_ref().is_some_and(|e| e.padding)) {
        (Some(edns), true) => {
            // The option's own 4 bytes of code and length count towards the block.
            let length = (PADDING_BLOCK - (bytes.len() + 4) % PADDING_BLOCK) % PADDING_BLOCK;
            edns.options_mut()
                .insert(EdnsOption::Unknown(option_code::PADDING, vec![0; length]));
            encode(&message)
        }
        _ => Ok(bytes),
    }
    .map(|mut bytes| {
        set_header_bits(&mut bytes, flags);
        bytes
    })
}

/// The header bits hickory-proto does not set: the opcode's four bits and Z
/// (RFC 1035 §4.1.1; dig's `+opcode` and `+zflag`).
fn set_header_bits(bytes: &mut [u8], flags: &QueryFlags) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    bytes[2] = (bytes[2] & !0x78) | ((flags.opcode & 0x0f) << 3);
    if flags.z {
        bytes[3] |= 0x40;
    }
}

/// The query message, for callers that add to it (a transfer's IXFR serial).
pub(crate) fn query_message(question: &Question, flags: &QueryFlags, id: u16) -> Message {
    let mut message = Message::new(id, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = flags.recurse;
    message.metadata.checking_disabled = flags.checking_disabled;
    message.metadata.authentic_data = flags.authentic_data;
    if !flags.header_only {
        let mut query = Query::query(question.name.clone(), question.rtype);
        query.set_query_class(question.class);
        message.add_query(query);
    }
    if let Some(settings) = &flags.edns {
        message.set_edns(edns_of(settings));
    }
    message
}

/// A query's bytes with the question cut out, for many queries that differ only in ID
/// and question (a batch's plain lines): encoding a whole hickory-proto Message for each
/// was a tenth of a batch's time. The template is hickory's own encoding of the query
/// for the root name, so header bits and the OPT record are its bytes; a query's single
/// name is never compressed, so splicing the question in gives the bytes
/// [`build_query`] would (a unit test holds the two to that).
#[derive(Debug, Clone)]
pub(crate) struct QueryTemplate {
    /// The header.
    head: [u8; HEADER_LEN],
    /// Everything after the question: the OPT record, if any.
    tail: Vec<u8>,
}

const HEADER_LEN: usize = 12;

impl QueryTemplate {
    /// The template of queries sent with `flags`.
    ///
    /// # Errors
    /// When hickory-proto cannot encode the query.
    pub(crate) fn new(flags: &QueryFlags) -> Result<Self, String> {
        let probe = Question {
            name: Name::root(),
            rtype: RecordType::A,
            class: DNSClass::IN,
        };
        let bytes = build_query(&probe, flags, 0)?;
        // The root name is one byte, then type and class.
        let question_end = HEADER_LEN + 1 + 4;
        let head = bytes.get(..HEADER_LEN).and_then(|h| h.try_into().ok());
        match (head, bytes.get(question_end..)) {
            (Some(head), Some(tail)) => Ok(Self {
                head,
                tail: tail.to_vec(),
            }),
            _ => Err("cannot encode the query: too short".to_owned()),
        }
    }

    /// Writes the query for `question` with `id` into `out`.
    pub(crate) fn encode(&self, question: &Question, id: u16, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&self.head[2..]);
        for label in question.name.iter() {
            // Labels are at most 63 bytes: `Name` enforces it.
            out.push(u8::try_from(label.len()).unwrap_or(63));
            out.extend_from_slice(label);
        }
        out.push(0);
        out.extend_from_slice(&u16::from(question.rtype).to_be_bytes());
        out.extend_from_slice(&u16::from(question.class).to_be_bytes());
        out.extend_from_slice(&self.tail);
    }
}

fn edns_of(settings: &EdnsSettings) -> Edns {
    let mut edns = Edns::new();
    edns.set_max_payload(settings.udp_size)
        .set_version(settings.version)
        .set_dnssec_ok(settings.dnssec_ok);
    edns.flags_mut().z = settings.z_flags & 0x7fff;
    let options = edns.options_mut();
    if settings.expire {
        options.insert(EdnsOption::Unknown(option_code::EXPIRE, Vec::new()));
    }
    if settings.keepalive {
        options.insert(EdnsOption::Unknown(option_code::KEEPALIVE, Vec::new()));
    }
    for (code, bytes) in &settings.extra {
        options.insert(EdnsOption::Unknown(*code, bytes.clone()));
    }
    if settings.nsid {
        options.insert(EdnsOption::Unknown(option_code::NSID, Vec::new()));
    }
    if let Some(cookie) = &settings.cookie {
        options.insert(EdnsOption::Unknown(option_code::COOKIE, cookie.clone()));
    }
    if let Some((addr, prefix)) = settings.subnet {
        options.insert(EdnsOption::Subnet(ClientSubnet::new(addr, prefix, 0)));
    }
    edns
}

/// The reply a query waits for: RFC 5452 §4.1 asks for the same ID, question and server
/// address and port before bytes are accepted as the answer.
#[derive(Debug, Clone)]
pub struct Awaited {
    /// The server the query went to.
    pub server: SocketAddr,
    /// The message ID of the query.
    pub id: u16,
    /// The question of the query.
    pub question: Question,
    /// The opcode of the query, which the reply repeats (RFC 1035 §4.1.1).
    pub opcode: u8,
    /// `+header-only`: the query had no question, and the reply need not repeat one.
    pub header_only: bool,
}

/// What became of one datagram or stream message received while waiting for a reply.
#[derive(Debug)]
pub enum Arrival {
    /// It is the reply.
    Reply(Box<Message>),
    /// It is not the reply (another source, ID or question): keep waiting.
    Ignored(String),
    /// It came from the server with our ID but cannot be decoded.
    Malformed(String),
}

impl Awaited {
    /// Judges bytes that arrived from `from`.
    pub fn judge(&self, from: SocketAddr, bytes: &[u8]) -> Arrival {
        if !same_endpoint(from, self.server) {
            return Arrival::Ignored(format!("reply from unexpected source {from}"));
        }
        let Some(id) = bytes.get(..2).map(|b| u16::from_be_bytes([b[0], b[1]])) else {
            return Arrival::Ignored(format!("{}-byte datagram, too short for a header", bytes.len()));
        };
        if id != self.id {
            return Arrival::Ignored(format!("reply with ID {id}, expected {}", self.id));
        }
        let message = match crate::dns::decode::message(bytes) {
            Ok(message) => message,
            Err(e) => return Arrival::Malformed(format!("malformed reply ({} bytes): {e}", bytes.len())),
        };
        if message.metadata.message_type != MessageType::Response {
            return Arrival::Ignored("a query, not a response (QR=0)".to_owned());
        }
        // The opcode is copied into the response (RFC 1035 §4.1.1): another one answers
        // something else.
        if u8::from(message.metadata.op_code) != self.opcode {
            return Arrival::Ignored(format!(
                "reply with opcode {} to a query of opcode {}",
                opcode_text(message.metadata.op_code),
                opcode_text(OpCode::from_u8(self.opcode))
            ));
        }
        match message.queries.as_slice() {
            [q] if q.name == self.question.name
                && q.query_type == self.question.rtype
                && q.query_class == self.question.class => {}
            // RFC 1035 allows an empty question section in some error replies (FORMERR, NOTIMP).
            [] if message.metadata.response_code != hickory_proto::op::ResponseCode::NoError
                || self.header_only => {}
            _ => {
                return Arrival::Ignored(format!(
                    "reply for another question ({})",
                    describe_questions(&message.queries)
                ));
            }
        }
        Arrival::Reply(Box::new(message))
    }
}

/// IPv4-mapped IPv6 sources are the same endpoint as their IPv4 address.
fn same_endpoint(a: SocketAddr, b: SocketAddr) -> bool {
    let canonical = |s: SocketAddr| (s.ip().to_canonical(), s.port());
    canonical(a) == canonical(b)
}

fn describe_questions(queries: &[Query]) -> String {
    if queries.is_empty() {
        return "none".to_owned();
    }
    queries
        .iter()
        .map(|q| {
            format!(
                "{} {}",
                crate::dns::names::format(&q.name, crate::dns::names::NameStyle::default()),
                crate::dns::rrtype::type_text(q.query_type)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The numeric rcode of a reply, EDNS extended bits included.
pub(crate) fn rcode_number(message: &Message) -> u16 {
    u16::from(message.metadata.response_code)
}

/// The mnemonic of an rcode (RFC 6895 §2.3), as dig prints it.
pub(crate) fn rcode_text(rcode: u16) -> Mnemonic {
    let known = match rcode {
        0 => "NOERROR",
        1 => "FORMERR",
        2 => "SERVFAIL",
        3 => "NXDOMAIN",
        4 => "NOTIMP",
        5 => "REFUSED",
        6 => "YXDOMAIN",
        7 => "YXRRSET",
        8 => "NXRRSET",
        9 => "NOTAUTH",
        10 => "NOTZONE",
        11 => "DSOTYPENI",
        16 => "BADVERS",
        17 => "BADKEY",
        18 => "BADTIME",
        19 => "BADMODE",
        20 => "BADNAME",
        21 => "BADALG",
        22 => "BADTRUNC",
        23 => "BADCOOKIE",
        other => return format!("RCODE{other}").into(),
    };
    known.into()
}

/// The mnemonic of an opcode.
pub(crate) fn opcode_text(opcode: OpCode) -> Mnemonic {
    match opcode {
        OpCode::Query => "QUERY".into(),
        OpCode::Status => "STATUS".into(),
        OpCode::Notify => "NOTIFY".into(),
        OpCode::Update => "UPDATE".into(),
        other => format!("OPCODE{}", u8::from(other)).into(),
    }
}

/// Whether a reply to an EDNS query says the server does not speak EDNS, so that the
/// query should be sent again without it (dig does the same): FORMERR, NOTIMP, or
/// BADVERS for a version it does not know (RFC 6891 §6.1.3, §7).
pub(crate) fn rejects_edns(message: &Message) -> bool {
    matches!(rcode_number(message), 1 | 4 | 16)
}

/// The EDNS options of a reply as (code, payload) pairs, in wire order.
pub(crate) fn edns_options(edns: &Edns) -> Vec<(u16, Vec<u8>)> {
    edns.options()
        .options
        .iter()
        .map(|(code, option)| (u16::from(*code), Vec::<u8>::try_from(option).unwrap_or_default()))
        .collect()
}

/// The name of an EDNS option code (IANA registry).
pub(crate) fn option_name(code: u16) -> Mnemonic {
    let known = match EdnsCode::from(code) {
        EdnsCode::LLQ => "LLQ",
        EdnsCode::UL => "UL",
        EdnsCode::NSID => "NSID",
        EdnsCode::DAU => "DAU",
        EdnsCode::DHU => "DHU",
        EdnsCode::N3U => "N3U",
        EdnsCode::Subnet => "CLIENT-SUBNET",
        EdnsCode::Expire => "EXPIRE",
        EdnsCode::Cookie => "COOKIE",
        EdnsCode::Keepalive => "TCP-KEEPALIVE",
        EdnsCode::Padding => "PADDING",
        EdnsCode::Chain => "CHAIN",
        _ if code == option_code::EDE => "EDE",
        _ => return format!("OPT{code}").into(),
    };
    known.into()
}

/// The purpose text of an Extended DNS Error info-code (RFC 8914 §4 and IANA).
pub(crate) fn ede_purpose(info_code: u16) -> &'static str {
    match info_code {
        0 => "Other Error",
        1 => "Unsupported DNSKEY Algorithm",
        2 => "Unsupported DS Digest Type",
        3 => "Stale Answer",
        4 => "Forged Answer",
        5 => "DNSSEC Indeterminate",
        6 => "DNSSEC Bogus",
        7 => "Signature Expired",
        8 => "Signature Not Yet Valid",
        9 => "DNSKEY Missing",
        10 => "RRSIGs Missing",
        11 => "No Zone Key Bit Set",
        12 => "NSEC Missing",
        13 => "Cached Error",
        14 => "Not Ready",
        15 => "Blocked",
        16 => "Censored",
        17 => "Filtered",
        18 => "Prohibited",
        19 => "Stale NXDOMAIN Answer",
        20 => "Not Authoritative",
        21 => "Not Supported",
        22 => "No Reachable Authority",
        23 => "Network Error",
        24 => "Invalid Data",
        25 => "Signature Expired before Valid",
        26 => "Too Early",
        27 => "Unsupported NSEC3 Iterations Value",
        28 => "Unable to conform to policy",
        29 => "Synthesized",
        30 => "Invalid Query Type",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::{RData, Record, rdata};

    fn question() -> Question {
        Question {
            name: crate::dns::names::parse("www.example.test").unwrap(),
            rtype: RecordType::A,
            class: DNSClass::IN,
        }
    }

    fn flags() -> QueryFlags {
        QueryFlags::recursive(Some(EdnsSettings {
            dnssec_ok: true,
            nsid: true,
            cookie: Some(vec![1, 2, 3, 4, 5, 6, 7, 8]),
            subnet: Some(("192.0.2.0".parse().unwrap(), 24)),
            ..EdnsSettings::new(1232)
        }))
    }

    fn reply_to(query: &[u8]) -> Message {
        let request = Message::from_vec(query).unwrap();
        let mut reply = Message::response(request.metadata.id, OpCode::Query);
        reply.queries = request.queries.clone();
        reply
    }

    const SERVER: &str = "127.0.0.1:53";

    fn awaited(id: u16) -> Awaited {
        Awaited {
            server: SERVER.parse().unwrap(),
            id,
            question: question(),
            opcode: 0,
            header_only: false,
        }
    }

    #[test]
    fn query_carries_flags_and_edns_options() {
        let bytes = build_query(&question(), &flags(), 4242).unwrap();
        let message = Message::from_vec(&bytes).unwrap();
        assert_eq!(message.metadata.id, 4242);
        assert!(message.metadata.recursion_desired);
        let edns = message.edns.expect("EDNS present");
        assert_eq!(edns.max_payload(), 1232);
        assert!(edns.flags().dnssec_ok);
        let codes: Vec<u16> = edns_options(&edns).iter().map(|(c, _)| *c).collect();
        assert_eq!(
            codes,
            [option_code::NSID, option_code::COOKIE, option_code::SUBNET]
        );
    }

    #[test]
    fn the_template_encodes_what_build_query_encodes() {
        let mut no_edns = flags();
        no_edns.edns = None;
        no_edns.checking_disabled = true;
        let mut plain_edns = QueryFlags::recursive(Some(EdnsSettings::new(4096)));
        plain_edns.recurse = false;
        plain_edns.authentic_data = true;
        let questions = [
            ("www.example.test", RecordType::A, DNSClass::IN),
            ("MiXeD.Case.Example", RecordType::AAAA, DNSClass::CH),
            ("a\\.b.example", RecordType::Unknown(65534), DNSClass::Unknown(42)),
            (".", RecordType::NS, DNSClass::IN),
            ("xn--bcher-kva.example", RecordType::MX, DNSClass::HS),
        ];
        let long = format!(
            "{}.example",
            ["a".repeat(63), "b".repeat(63), "c".repeat(60)].join(".")
        );
        let mut out = Vec::new();
        for flags in [flags(), no_edns, plain_edns] {
            let template = QueryTemplate::new(&flags).unwrap();
            for (name, rtype, class) in
                questions
                    .iter()
                    .copied()
                    .chain([(long.as_str(), RecordType::TXT, DNSClass::IN)])
            {
                let question = Question {
                    name: crate::dns::names::parse(name).unwrap(),
                    rtype,
                    class,
                };
                for id in [0, 1, 0xbeef, u16::MAX] {
                    template.encode(&question, id, &mut out);
                    assert_eq!(
                        out,
                        build_query(&question, &flags, id).unwrap(),
                        "{name} {flags:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn plain_query_has_no_opt() {
        let mut plain = flags();
        plain.edns = None;
        plain.recurse = false;
        let message = Message::from_vec(&build_query(&question(), &plain, 1).unwrap()).unwrap();
        assert!(message.edns.is_none());
        assert!(!message.metadata.recursion_desired);
    }

    #[test]
    fn only_the_matching_reply_is_accepted() {
        let query = build_query(&question(), &flags(), 7).unwrap();
        let good = reply_to(&query).to_vec().unwrap();
        let server: SocketAddr = SERVER.parse().unwrap();
        assert!(matches!(awaited(7).judge(server, &good), Arrival::Reply(_)));
        let other_port: SocketAddr = "127.0.0.1:5353".parse().unwrap();
        assert!(matches!(awaited(7).judge(other_port, &good), Arrival::Ignored(_)));
        assert!(matches!(awaited(8).judge(server, &good), Arrival::Ignored(_)));
        let mut other_question = reply_to(&query);
        other_question.queries[0].name = crate::dns::names::parse("evil.test").unwrap();
        let bytes = other_question.to_vec().unwrap();
        match awaited(7).judge(server, &bytes) {
            Arrival::Ignored(why) => assert!(why.contains("evil.test."), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(awaited(7).judge(server, &[0]), Arrival::Ignored(_)));
        assert!(matches!(
            awaited(7).judge(server, &[0, 7, 0xff]),
            Arrival::Malformed(_)
        ));
    }

    #[test]
    fn a_reply_of_another_opcode_is_not_the_reply() {
        let query = build_query(&question(), &flags(), 7).unwrap();
        let server: SocketAddr = SERVER.parse().unwrap();
        for opcode in [
            OpCode::Notify,
            OpCode::Update,
            OpCode::Status,
            OpCode::Unknown(15),
        ] {
            let mut reply = reply_to(&query);
            reply.metadata.op_code = opcode;
            match awaited(7).judge(server, &reply.to_vec().unwrap()) {
                Arrival::Ignored(why) => assert!(why.contains("opcode"), "{why}"),
                other => panic!("{opcode:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn mapped_ipv4_source_is_the_same_server() {
        let query = build_query(&question(), &flags(), 9).unwrap();
        let good = reply_to(&query).to_vec().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:53".parse().unwrap();
        assert!(matches!(awaited(9).judge(mapped, &good), Arrival::Reply(_)));
    }

    #[test]
    fn garbage_never_panics() {
        let query = build_query(&question(), &flags(), 7).unwrap();
        let mut reply = reply_to(&query);
        reply.answers.push(Record::from_rdata(
            question().name,
            60,
            RData::A(rdata::A::new(192, 0, 2, 1)),
        ));
        let good = reply.to_vec().unwrap();
        let server: SocketAddr = SERVER.parse().unwrap();
        // Every truncation, and a deterministic spray of byte flips, of a valid reply.
        for len in 0..good.len() {
            let _ = awaited(7).judge(server, &good[..len]);
        }
        let mut state: u32 = 0x1234_5678;
        for _ in 0..20_000 {
            let mut bytes = good.clone();
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let at = usize::try_from(state).unwrap() % bytes.len();
                bytes[at] = state.to_be_bytes()[2];
            }
            bytes[0] = 0;
            bytes[1] = 7;
            let _ = awaited(7).judge(server, &bytes);
        }
    }

    #[test]
    fn rcode_names() {
        assert_eq!(rcode_text(0), "NOERROR");
        assert_eq!(rcode_text(3), "NXDOMAIN");
        assert_eq!(rcode_text(16), "BADVERS");
        assert_eq!(rcode_text(4000), "RCODE4000");
    }
}
