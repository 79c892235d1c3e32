//! Record type and class mnemonics, both directions.
//!
//! hickory-proto parses only upper-case mnemonics, knows no `TYPEnnn`/`CLASSnnn`
//! (RFC 3597 §5) and displays unknown values as `Unknown`, so the text forms live here.

use std::borrow::Cow;
use std::str::FromStr;

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

/// Parses a type mnemonic in any case, or `TYPEnnn`.
pub(crate) fn parse_type(word: &str) -> Option<RecordType> {
    let mut buffer = [0u8; MNEMONIC_MAX];
    let upper = upper_case(word, &mut buffer)?;
    if let Some(number) = upper.strip_prefix("TYPE") {
        return number.parse::<u16>().ok().map(RecordType::from);
    }
    match upper {
        // dig spells the zone transfer types the same way; hickory lacks IXFR in FromStr.
        "IXFR" => Some(RecordType::IXFR),
        "*" => None,
        _ => RecordType::from_str(upper).ok(),
    }
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

/// The presentation mnemonic of a type: `A`, `TYPE65534`.
pub(crate) fn type_text(rtype: RecordType) -> Mnemonic {
    match rtype {
        RecordType::Unknown(n) => format!("TYPE{n}").into(),
        RecordType::ZERO => "TYPE0".into(),
        known => {
            let text: &'static str = known.into();
            if text.eq_ignore_ascii_case("unknown") {
                format!("TYPE{}", u16::from(known)).into()
            } else {
                text.into()
            }
        }
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
