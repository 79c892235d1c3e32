//! The BIND-signed zones of `tests/fixtures/dnssec/` (see its `make.sh`), read as
//! dnscope's decoder gives records from a message, for the tests of this module and of
//! the walk.

use hickory_proto::dnssec::rdata::DS;
use hickory_proto::op::{Message, OpCode};
use hickory_proto::rr::{Name, Record, RecordType};

use super::keys;

pub(crate) const ZONES: [(&str, &str, &str); 7] = [
    (
        "alg8.test.",
        include_str!("../../tests/fixtures/dnssec/alg8.test.generic"),
        include_str!("../../tests/fixtures/dnssec/alg8.test.ds"),
    ),
    (
        "alg13.test.",
        include_str!("../../tests/fixtures/dnssec/alg13.test.generic"),
        include_str!("../../tests/fixtures/dnssec/alg13.test.ds"),
    ),
    (
        "alg14.test.",
        include_str!("../../tests/fixtures/dnssec/alg14.test.generic"),
        include_str!("../../tests/fixtures/dnssec/alg14.test.ds"),
    ),
    (
        "alg15.test.",
        include_str!("../../tests/fixtures/dnssec/alg15.test.generic"),
        include_str!("../../tests/fixtures/dnssec/alg15.test.ds"),
    ),
    (
        "nsec3.test.",
        include_str!("../../tests/fixtures/dnssec/nsec3.test.generic"),
        include_str!("../../tests/fixtures/dnssec/nsec3.test.ds"),
    ),
    (
        "optout.test.",
        include_str!("../../tests/fixtures/dnssec/optout.test.generic"),
        include_str!("../../tests/fixtures/dnssec/optout.test.ds"),
    ),
    (
        "rollover.test.",
        include_str!("../../tests/fixtures/dnssec/rollover.test.generic"),
        include_str!("../../tests/fixtures/dnssec/rollover.test.ds"),
    ),
];

/// The zone's records (`OWNER TTL IN TYPEnn \# LEN HEX` lines) as dnscope's decoder
/// gives them from a message: A, NS, SOA, CNAME typed, the rest kept as bytes.
pub(crate) fn decoded(text: &str) -> Vec<Record> {
    let mut message = Message::response(1, OpCode::Query);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [owner, ttl, _class, rtype, _generic, _len, hex @ ..] = fields.as_slice() else {
            panic!("{line}");
        };
        let code: u16 = rtype.trim_start_matches("TYPE").parse().unwrap();
        let hex: String = hex.concat();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        message.answers.push(Record::from_rdata(
            Name::from_ascii(owner).unwrap(),
            ttl.parse().unwrap(),
            crate::dns::decode::raw(RecordType::from(code), bytes),
        ));
    }
    let bytes = message.to_vec().unwrap();
    crate::dns::decode::message(&bytes).unwrap().answers
}

pub(crate) fn ds_of(text: &str) -> Vec<DS> {
    decoded(text).iter().filter_map(keys::ds).collect()
}

/// 2030-01-01, inside the fixtures' validity window (2026 to 2036).
pub(crate) const IN_WINDOW: u32 = 1_893_456_000;

/// The records and DS set of the fixture zone `origin`.
pub(crate) fn zone(origin: &str) -> (Vec<Record>, Vec<DS>) {
    let (_, signed, ds) = ZONES
        .iter()
        .find(|(o, _, _)| *o == origin)
        .expect("a fixture zone");
    (decoded(signed), ds_of(ds))
}
