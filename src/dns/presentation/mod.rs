//! Record data as a dig user reads it (zone-file presentation format) and as a script
//! reads it (structured fields).
//!
//! hickory-proto's `Display` is right for most types but wrong for a dig user on a few
//! (deps.md §5): TXT loses its quotes and string boundaries, unknown types print base64
//! instead of RFC 3597 `\# len hex`, RRSIG prints algorithm mnemonics and epoch seconds,
//! and names are shown in Unicode. Those types are formatted here; the DNSSEC ones are
//! read from their fixed wire layout (RFC 4034), which also gives the structured fields.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::{Duration, UNIX_EPOCH};

use data_encoding::{BASE64, HEXUPPER};
use hickory_proto::rr::{Name, RData, RecordType};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder};
use serde::Serialize;

use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype::type_text;

/// Structured rdata for JSON: one shape per type family, opaque wire hex for the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub(crate) enum RdataFields {
    /// A, AAAA.
    Address { address: IpAddr },
    /// NS, CNAME, PTR, DNAME, ANAME.
    Target { target: String },
    /// MX.
    Mx { preference: u16, exchange: String },
    /// SOA: all seven fields (RFC 1035 §3.3.13).
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
    /// SRV.
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    /// TXT: each character-string with RFC 1035 escapes, no quotes.
    Txt { strings: Vec<String> },
    /// CAA.
    Caa { flags: u8, tag: String, value: String },
    /// HINFO.
    Hinfo { cpu: String, os: String },
    /// NAPTR.
    Naptr {
        order: u16,
        preference: u16,
        flags: String,
        services: String,
        regexp: String,
        replacement: String,
    },
    /// DS, CDS.
    Ds {
        key_tag: u16,
        algorithm: u8,
        digest_type: u8,
        digest: String,
    },
    /// DNSKEY, CDNSKEY.
    Dnskey {
        flags: u16,
        protocol: u8,
        algorithm: u8,
        key_tag: u16,
        public_key: String,
    },
    /// RRSIG: times are seconds since the epoch.
    Rrsig {
        type_covered: String,
        algorithm: u8,
        labels: u8,
        original_ttl: u32,
        expiration: u32,
        inception: u32,
        key_tag: u16,
        signer: String,
        signature: String,
    },
    /// NSEC.
    Nsec { next: String, types: Vec<String> },
    /// Any other type: its rdata length and bytes.
    Opaque { rdlength: usize, hex: String },
}

/// One record's data: the text and the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Presented {
    /// Presentation text as in a zone file.
    pub text: String,
    /// Structured fields.
    pub fields: RdataFields,
}

/// Presents record data of type `rtype`.
pub(crate) fn present(rtype: RecordType, rdata: &RData, style: NameStyle) -> Presented {
    let name = |n: &Name| names::format(n, style);
    let (text, fields) = match rdata {
        RData::A(a) => (
            a.0.to_string(),
            RdataFields::Address {
                address: IpAddr::V4(a.0),
            },
        ),
        RData::AAAA(a) => (
            a.0.to_string(),
            RdataFields::Address {
                address: IpAddr::V6(a.0),
            },
        ),
        RData::NS(n) => target(name(&n.0)),
        RData::CNAME(n) => target(name(&n.0)),
        RData::PTR(n) => target(name(&n.0)),
        RData::ANAME(n) => target(name(&n.0)),
        RData::MX(mx) => {
            let exchange = name(&mx.exchange);
            (
                format!("{} {exchange}", mx.preference),
                RdataFields::Mx {
                    preference: mx.preference,
                    exchange,
                },
            )
        }
        RData::SOA(soa) => soa_of(soa, style),
        RData::SRV(srv) => {
            let t = name(&srv.target);
            (
                format!("{} {} {} {t}", srv.priority, srv.weight, srv.port),
                RdataFields::Srv {
                    priority: srv.priority,
                    weight: srv.weight,
                    port: srv.port,
                    target: t,
                },
            )
        }
        RData::TXT(txt) => {
            let strings: Vec<String> = txt.txt_data.iter().map(|s| escape_string(s)).collect();
            let text = strings
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(" ");
            (text, RdataFields::Txt { strings })
        }
        RData::CAA(caa) => {
            let flags = u8::from(caa.issuer_critical) << 7 | caa.reserved_flags;
            let value = escape_string(&caa.value);
            (
                format!("{flags} {} \"{value}\"", caa.tag),
                RdataFields::Caa {
                    flags,
                    tag: caa.tag.clone(),
                    value,
                },
            )
        }
        RData::HINFO(h) => {
            let (cpu, os) = (escape_string(&h.cpu), escape_string(&h.os));
            (format!("\"{cpu}\" \"{os}\""), RdataFields::Hinfo { cpu, os })
        }
        RData::NAPTR(n) => {
            let (flags, services, regexp) = (
                escape_string(&n.flags),
                escape_string(&n.services),
                escape_string(&n.regexp),
            );
            let replacement = name(&n.replacement);
            let text = format!(
                "{} {} \"{flags}\" \"{services}\" \"{regexp}\" {replacement}",
                n.order, n.preference
            );
            let fields = RdataFields::Naptr {
                order: n.order,
                preference: n.preference,
                flags,
                services,
                regexp,
                replacement,
            };
            (text, fields)
        }
        _ => return from_wire(rtype, rdata, style),
    };
    Presented { text, fields }
}

fn target(t: String) -> (String, RdataFields) {
    (t.clone(), RdataFields::Target { target: t })
}

fn soa_of(soa: &hickory_proto::rr::rdata::SOA, style: NameStyle) -> (String, RdataFields) {
    // The timers are unsigned 32-bit on the wire (RFC 1035 §3.3.13); hickory stores i32.
    let timer = |v: i32| u32::from_ne_bytes(v.to_ne_bytes());
    let (mname, rname) = (names::format(&soa.mname, style), names::format(&soa.rname, style));
    let (serial, minimum) = (soa.serial, soa.minimum);
    let (refresh, retry, expire) = (timer(soa.refresh), timer(soa.retry), timer(soa.expire));
    let text = format!("{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}");
    (
        text,
        RdataFields::Soa {
            mname,
            rname,
            serial,
            refresh,
            retry,
            expire,
            minimum,
        },
    )
}

/// Types presented from their wire bytes: the DNSSEC family, DNAME, and anything unknown.
fn from_wire(rtype: RecordType, rdata: &RData, style: NameStyle) -> Presented {
    let bytes = wire_bytes(rdata);
    let parsed = match rtype {
        RecordType::DS | RecordType::CDS => ds(&bytes),
        RecordType::DNSKEY | RecordType::CDNSKEY => dnskey(&bytes),
        RecordType::RRSIG => rrsig(&bytes, style),
        RecordType::NSEC => nsec(&bytes, style),
        RecordType::DNAME => WireReader::new(&bytes).name(style).map(target),
        _ => None,
    };
    if let Some((text, fields)) = parsed {
        return Presented { text, fields };
    }
    let opaque = RdataFields::Opaque {
        rdlength: bytes.len(),
        hex: HEXUPPER.encode(&bytes),
    };
    let known_display = !matches!(rdata, RData::Unknown { .. } | RData::NULL(_));
    let text = known_display
        .then(|| display(rdata))
        .flatten()
        .unwrap_or_else(|| rfc3597(&bytes));
    Presented { text, fields: opaque }
}

/// hickory's `Display`, refused where it fails (OPT) or where its text would carry
/// control characters to a terminal.
fn display(rdata: &RData) -> Option<String> {
    let mut text = String::new();
    write!(text, "{rdata}").ok()?;
    (!text.chars().any(char::is_control)).then_some(text)
}

fn wire_bytes(rdata: &RData) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = BinEncoder::new(&mut bytes);
    if rdata.emit(&mut encoder).is_err() {
        bytes.clear();
    }
    bytes
}

/// RFC 3597 §5 generic rdata: `\# length hex`.
pub(crate) fn rfc3597(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "\\# 0".to_owned()
    } else {
        format!("\\# {} {}", bytes.len(), HEXUPPER.encode(bytes))
    }
}

/// Text that came from outside (a command-line word, a server's message) made safe for
/// a terminal: control characters and the Unicode bidirectional formatting characters,
/// which can make a line read differently from what it holds (CVE-2021-42574), become
/// `\u{…}` escapes. Everything else, non-ASCII letters included, stays as it is.
pub(crate) fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Escapes a character-string (RFC 1035 §5.1) without its quotes: `"` and `\` quoted,
/// bytes outside printable ASCII as decimal `\DDD`.
pub(crate) fn escape_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
    out
}

/// An RRSIG time (RFC 4034 §3.2) as `YYYYMMDDHHMMSS`.
pub(crate) fn rrsig_time(epoch: u32) -> String {
    let rfc3339 = humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(u64::from(epoch)));
    rfc3339.to_string().chars().filter(char::is_ascii_digit).collect()
}

/// A cursor over rdata bytes; every read is checked, so short rdata yields `None`.
struct WireReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> WireReader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.at.min(self.bytes.len())..];
        self.at = self.bytes.len();
        rest
    }
    /// An uncompressed name, as RFC 4034 §6.2 and RFC 6672 require inside these types.
    fn name(&mut self, style: NameStyle) -> Option<String> {
        let mut labels: Vec<&[u8]> = Vec::new();
        loop {
            let len = usize::from(self.u8()?);
            if len == 0 {
                break;
            }
            if len > 63 {
                return None;
            }
            labels.push(self.take(len)?);
        }
        let mut name = Name::from_labels(labels).ok()?;
        name.set_fqdn(true);
        Some(names::format(&name, style))
    }
}

fn ds(bytes: &[u8]) -> Option<(String, RdataFields)> {
    let mut r = WireReader::new(bytes);
    let (key_tag, algorithm, digest_type) = (r.u16()?, r.u8()?, r.u8()?);
    let digest = HEXUPPER.encode(r.rest());
    Some((
        format!("{key_tag} {algorithm} {digest_type} {digest}"),
        RdataFields::Ds {
            key_tag,
            algorithm,
            digest_type,
            digest,
        },
    ))
}

fn dnskey(bytes: &[u8]) -> Option<(String, RdataFields)> {
    let mut r = WireReader::new(bytes);
    let (flags, protocol, algorithm) = (r.u16()?, r.u8()?, r.u8()?);
    let public_key = BASE64.encode(r.rest());
    let key_tag = key_tag(bytes);
    Some((
        format!("{flags} {protocol} {algorithm} {public_key}"),
        RdataFields::Dnskey {
            flags,
            protocol,
            algorithm,
            key_tag,
            public_key,
        },
    ))
}

/// RFC 4034 Appendix B: the key tag of a DNSKEY's rdata.
pub(crate) fn key_tag(rdata: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for (i, &b) in rdata.iter().enumerate() {
        sum += if i % 2 == 0 {
            u32::from(b) << 8
        } else {
            u32::from(b)
        };
    }
    sum += (sum >> 16) & 0xffff;
    u16::try_from(sum & 0xffff).unwrap_or_default()
}

fn rrsig(bytes: &[u8], style: NameStyle) -> Option<(String, RdataFields)> {
    let mut r = WireReader::new(bytes);
    let type_covered = type_text(RecordType::from(r.u16()?)).into_owned();
    let (algorithm, labels, original_ttl) = (r.u8()?, r.u8()?, r.u32()?);
    let (expiration, inception, key_tag) = (r.u32()?, r.u32()?, r.u16()?);
    let signer = r.name(style)?;
    let signature = BASE64.encode(r.rest());
    Some((
        format!(
            "{type_covered} {algorithm} {labels} {original_ttl} {} {} {key_tag} {signer} {signature}",
            rrsig_time(expiration),
            rrsig_time(inception)
        ),
        RdataFields::Rrsig {
            type_covered,
            algorithm,
            labels,
            original_ttl,
            expiration,
            inception,
            key_tag,
            signer,
            signature,
        },
    ))
}

fn nsec(bytes: &[u8], style: NameStyle) -> Option<(String, RdataFields)> {
    let mut r = WireReader::new(bytes);
    let next = r.name(style)?;
    let types = type_bitmap(r.rest())?;
    let mut text = next.clone();
    for t in &types {
        text.push(' ');
        text.push_str(t);
    }
    Some((text, RdataFields::Nsec { next, types }))
}

/// RFC 4034 §4.1.2 type bit maps.
fn type_bitmap(bytes: &[u8]) -> Option<Vec<String>> {
    let mut r = WireReader::new(bytes);
    let mut types = Vec::new();
    while r.at < bytes.len() {
        let window = u16::from(r.u8()?);
        let len = r.u8()?;
        if len == 0 || len > 32 {
            return None;
        }
        for (index, &octet) in r.take(usize::from(len))?.iter().enumerate() {
            for bit in 0..8u16 {
                if octet & (0x80 >> bit) != 0 {
                    let index = u16::try_from(index).ok()?;
                    types.push(type_text(RecordType::from(window * 256 + index * 8 + bit)).into_owned());
                }
            }
        }
    }
    Some(types)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{self, NULL, TXT};

    fn text(rtype: RecordType, rdata: &RData) -> String {
        present(rtype, rdata, NameStyle::default()).text
    }

    #[test]
    fn txt_keeps_strings_and_escapes() {
        let txt = RData::TXT(TXT::from_bytes(vec![b"a", b"b c", b"q\"\\", b"\x00\xff"]));
        assert_eq!(text(RecordType::TXT, &txt), r#""a" "b c" "q\"\\" "\000\255""#);
        let fields = present(RecordType::TXT, &txt, NameStyle::default()).fields;
        assert_eq!(
            fields,
            RdataFields::Txt {
                strings: vec!["a".into(), "b c".into(), "q\\\"\\\\".into(), "\\000\\255".into()]
            }
        );
    }

    #[test]
    fn unknown_type_is_rfc3597() {
        let unknown = RData::Unknown {
            code: RecordType::Unknown(65534),
            rdata: NULL::with(vec![1, 2, 3, 0xab]),
        };
        assert_eq!(text(RecordType::Unknown(65534), &unknown), "\\# 4 010203AB");
        let empty = RData::Unknown {
            code: RecordType::Unknown(65000),
            rdata: NULL::new(),
        };
        assert_eq!(text(RecordType::Unknown(65000), &empty), "\\# 0");
    }

    #[test]
    fn soa_has_all_fields() {
        let soa = RData::SOA(rdata::SOA::new(
            names::parse("ns1.test").unwrap(),
            names::parse("hostmaster.test").unwrap(),
            2024010101,
            7200,
            3600,
            1209600,
            300,
        ));
        let p = present(RecordType::SOA, &soa, NameStyle::default());
        assert_eq!(
            p.text,
            "ns1.test. hostmaster.test. 2024010101 7200 3600 1209600 300"
        );
        let json = serde_json::to_string(&p.fields).unwrap();
        assert_eq!(
            json,
            r#"{"mname":"ns1.test.","rname":"hostmaster.test.","serial":2024010101,"refresh":7200,"retry":3600,"expire":1209600,"minimum":300}"#
        );
    }

    #[test]
    fn rrsig_time_format() {
        assert_eq!(rrsig_time(0), "19700101000000");
        assert_eq!(rrsig_time(1_700_000_000), "20231114221320");
    }

    #[test]
    fn type_bitmaps() {
        // Window 0: A(1), NS(2), SOA(6), RRSIG(46), NSEC(47); window 1: CAA(257).
        let mut bitmap = vec![0, 6, 0b0110_0010, 0, 0, 0, 0, 0b0000_0011];
        bitmap.extend([1, 1, 0b0100_0000]);
        assert_eq!(
            type_bitmap(&bitmap).unwrap(),
            ["A", "NS", "SOA", "RRSIG", "NSEC", "CAA"]
        );
        assert_eq!(type_bitmap(&[0, 40]), None);
    }

    #[test]
    fn key_tag_of_rfc_example() {
        // Bytes of a DNSKEY rdata give the same tag as a reference implementation would:
        // flags 257, protocol 3, algorithm 8 and a short key, summed per Appendix B.
        let rdata = [1u8, 1, 3, 8, 0xAA, 0xBB];
        let expected = (0x0101u32 + 0x0308 + 0xAABB) & 0xffff;
        assert_eq!(u32::from(key_tag(&rdata)), expected);
    }
}
