//! Record type and class mnemonics, both directions.
//!
//! hickory-proto knows only part of IANA's type registry (no LOC, APL, URI, EUI48, …),
//! parses only upper-case mnemonics, knows no `TYPEnnn`/`CLASSnnn` (RFC 3597 §5) and
//! displays unknown values as `Unknown`, so the table and the text forms live here.

use std::borrow::Cow;

use hickory_proto::rr::{DNSClass, RecordType};

/// Longer than any type or class mnemonic, `TYPE65535` and `CLASS65535` included.
const MNEMONIC_MAX: usize = 16;

/// `word` in upper case, in `buffer`; None when it is too long to be a mnemonic. Batch
/// files ask this of every word, so it does not allocate.
fn upper_case<'b>(word: &str, buffer: &'b mut [u8; MNEMONIC_MAX]) -> Option<&'b str> {
    let upper = buffer.get_mut(..word.len())?;
    upper.copy_from_slice(word.as_bytes());
    upper.make_ascii_uppercase();
    std::str::from_utf8(upper).ok()
}

/// IANA's "Resource Record (RR) TYPEs" registry: every type with a mnemonic, meta and
/// obsolete ones included, as of 2025 (RFC 6895 §3.1 lists the ranges).
const TYPES: &[(u16, &str)] = &[
    (1, "A"),
    (2, "NS"),
    (3, "MD"),
    (4, "MF"),
    (5, "CNAME"),
    (6, "SOA"),
    (7, "MB"),
    (8, "MG"),
    (9, "MR"),
    (10, "NULL"),
    (11, "WKS"),
    (12, "PTR"),
    (13, "HINFO"),
    (14, "MINFO"),
    (15, "MX"),
    (16, "TXT"),
    (17, "RP"),
    (18, "AFSDB"),
    (19, "X25"),
    (20, "ISDN"),
    (21, "RT"),
    (22, "NSAP"),
    (23, "NSAP-PTR"),
    (24, "SIG"),
    (25, "KEY"),
    (26, "PX"),
    (27, "GPOS"),
    (28, "AAAA"),
    (29, "LOC"),
    (30, "NXT"),
    (31, "EID"),
    (32, "NIMLOC"),
    (33, "SRV"),
    (34, "ATMA"),
    (35, "NAPTR"),
    (36, "KX"),
    (37, "CERT"),
    (38, "A6"),
    (39, "DNAME"),
    (40, "SINK"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS"),
    (44, "SSHFP"),
    (45, "IPSECKEY"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (49, "DHCID"),
    (50, "NSEC3"),
    (51, "NSEC3PARAM"),
    (52, "TLSA"),
    (53, "SMIMEA"),
    (55, "HIP"),
    (56, "NINFO"),
    (57, "RKEY"),
    (58, "TALINK"),
    (59, "CDS"),
    (60, "CDNSKEY"),
    (61, "OPENPGPKEY"),
    (62, "CSYNC"),
    (63, "ZONEMD"),
    (64, "SVCB"),
    (65, "HTTPS"),
    (66, "DSYNC"),
    (67, "HHIT"),
    (68, "BRID"),
    (99, "SPF"),
    (100, "UINFO"),
    (101, "UID"),
    (102, "GID"),
    (103, "UNSPEC"),
    (104, "NID"),
    (105, "L32"),
    (106, "L64"),
    (107, "LP"),
    (108, "EUI48"),
    (109, "EUI64"),
    (128, "NXNAME"),
    (249, "TKEY"),
    (250, "TSIG"),
    (251, "IXFR"),
    (252, "AXFR"),
    (253, "MAILB"),
    (254, "MAILA"),
    (255, "ANY"),
    (256, "URI"),
    (257, "CAA"),
    (258, "AVC"),
    (259, "DOA"),
    (260, "AMTRELAY"),
    (261, "RESINFO"),
    (262, "WALLET"),
    (263, "CLA"),
    (264, "IPN"),
    (32768, "TA"),
    (32769, "DLV"),
];

/// The registry's mnemonic for a type number.
pub(crate) fn mnemonic(number: u16) -> Option<&'static str> {
    TYPES
        .binary_search_by_key(&number, |(n, _)| *n)
        .ok()
        .map(|i| TYPES[i].1)
}

/// Parses a type mnemonic in any case, or `TYPEnnn`.
pub(crate) fn parse_type(word: &str) -> Option<RecordType> {
    let mut buffer = [0u8; MNEMONIC_MAX];
    let upper = upper_case(word, &mut buffer)?;
    if let Some(number) = upper.strip_prefix("TYPE") {
        // RFC 3597 §5: decimal digits only, no sign.
        if !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return number.parse::<u16>().ok().map(RecordType::from);
    }
    // dig's `IXFR=SERIAL`; the planner reads the serial with `ixfr_serial`.
    if let Some(serial) = upper.strip_prefix("IXFR=") {
        return serial.parse::<u32>().is_ok().then_some(RecordType::IXFR);
    }
    TYPES
        .iter()
        .find(|(_, name)| *name == upper)
        .map(|(number, _)| RecordType::from(*number))
}

/// The serial of dig's `IXFR=SERIAL`, any case.
pub(crate) fn ixfr_serial(word: &str) -> Option<u32> {
    let (kind, serial) = word.split_once('=')?;
    kind.eq_ignore_ascii_case("IXFR")
        .then(|| serial.parse().ok())
        .flatten()
}

/// Parses a class mnemonic in any case, or `CLASSnnn`.
pub(crate) fn parse_class(word: &str) -> Option<DNSClass> {
    let mut buffer = [0u8; MNEMONIC_MAX];
    let upper = upper_case(word, &mut buffer)?;
    if let Some(number) = upper.strip_prefix("CLASS") {
        return number.parse::<u16>().ok().map(class_from_u16);
    }
    match upper {
        "IN" => Some(DNSClass::IN),
        "CH" | "CHAOS" => Some(DNSClass::CH),
        "HS" | "HESIOD" => Some(DNSClass::HS),
        "NONE" => Some(DNSClass::NONE),
        "ANY" => Some(DNSClass::ANY),
        _ => None,
    }
}

fn class_from_u16(value: u16) -> DNSClass {
    match value {
        1 => DNSClass::IN,
        3 => DNSClass::CH,
        4 => DNSClass::HS,
        254 => DNSClass::NONE,
        255 => DNSClass::ANY,
        other => DNSClass::Unknown(other),
    }
}

/// The numeric value of a class.
pub(crate) fn class_number(class: DNSClass) -> u16 {
    u16::from(class)
}

/// A mnemonic: a static string for the known ones, so the model of every record need
/// not allocate one.
pub(crate) type Mnemonic = Cow<'static, str>;

/// The presentation mnemonic of a type: `A`, `LOC`, `TYPE65534`.
pub(crate) fn type_text(rtype: RecordType) -> Mnemonic {
    let number = u16::from(rtype);
    match mnemonic(number) {
        Some(text) => text.into(),
        None => format!("TYPE{number}").into(),
    }
}

/// The presentation mnemonic of a class: `IN`, `CLASS42`.
pub(crate) fn class_text(class: DNSClass) -> Mnemonic {
    match class {
        DNSClass::IN => "IN".into(),
        DNSClass::CH => "CH".into(),
        DNSClass::HS => "HS".into(),
        DNSClass::NONE => "NONE".into(),
        DNSClass::ANY => "ANY".into(),
        other => format!("CLASS{}", class_number(other)).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_parse_in_any_case_and_by_number() {
        assert_eq!(parse_type("mx"), Some(RecordType::MX));
        assert_eq!(parse_type("Aaaa"), Some(RecordType::AAAA));
        assert_eq!(parse_type("TYPE65534"), Some(RecordType::Unknown(65534)));
        assert_eq!(parse_type("type1"), Some(RecordType::A));
        assert_eq!(parse_type("TYPE70000"), None);
        assert_eq!(parse_type("example"), None);
        assert_eq!(parse_type("ANY"), Some(RecordType::ANY));
    }

    #[test]
    fn the_table_is_sorted_and_round_trips_every_number() {
        assert!(TYPES.windows(2).all(|w| w[0].0 < w[1].0));
        for number in 0..=u16::MAX {
            let text = type_text(RecordType::from(number));
            assert_eq!(u16::from(parse_type(&text).unwrap()), number, "{text}");
            assert_eq!(u16::from(parse_type(&text.to_lowercase()).unwrap()), number);
        }
        for (word, number) in [
            ("loc", 29),
            ("Spf", 99),
            ("nsap-ptr", 23),
            ("ZONEMD", 63),
            ("dlv", 32769),
        ] {
            assert_eq!(parse_type(word).map(u16::from), Some(number), "{word}");
        }
        assert_eq!(parse_type("TYPE+1"), None);
        assert_eq!(parse_type("TYPE"), None);
    }

    #[test]
    fn type_text_round_trips() {
        for word in ["A", "AAAA", "MX", "RRSIG", "HTTPS", "TYPE65534", "CAA", "IXFR"] {
            assert_eq!(type_text(parse_type(word).unwrap()), word);
        }
    }

    #[test]
    fn classes() {
        assert_eq!(parse_class("ch"), Some(DNSClass::CH));
        assert_eq!(parse_class("CLASS1"), Some(DNSClass::IN));
        assert_eq!(class_text(parse_class("CLASS42").unwrap()), "CLASS42");
        assert_eq!(parse_class("example"), None);
    }
}
