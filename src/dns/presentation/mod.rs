//! Record data as a dig user reads it (zone-file presentation format, as the RFC that
//! defines each type gives it) and as a script reads it (structured fields).
//!
//! Every type is presented from its uncompressed wire bytes (see `decode`), not from
//! hickory-proto's model: that model lacks many types (LOC, APL, URI, EUI48, …) and
//! prints others in forms no zone parser accepts (CERT, CSYNC, SVCB). What does not parse
//! as its type is shown in RFC 3597 form with a note saying why, never guessed at.

mod basic;
mod loc;
mod reader;
mod security;
mod svcb;

use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::{Duration, UNIX_EPOCH};

use data_encoding::{BASE64, HEXUPPER};
use hickory_proto::rr::{RData, RecordType};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder, NameEncoding};
use serde::Serialize;

use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype::type_text;
use reader::Reader;

/// Structured rdata for JSON: one shape per type family, opaque wire hex for the rest.
/// Field names follow the defining RFCs; numbers stay numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub(crate) enum RdataFields {
    /// A, AAAA.
    Address { address: IpAddr },
    /// NS, CNAME, PTR, DNAME, MB, MG, MR, MD, MF.
    Target { target: String },
    /// MX, KX, RT.
    Mx { preference: u16, exchange: String },
    /// AFSDB.
    Afsdb { subtype: u16, hostname: String },
    /// PX.
    Px {
        preference: u16,
        map822: String,
        mapx400: String,
    },
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
    /// TXT, SPF, AVC, RESINFO, WALLET: each character-string with RFC 1035 escapes, no quotes.
    Txt { strings: Vec<String> },
    /// CAA.
    Caa { flags: u8, tag: String, value: String },
    /// URI.
    Uri {
        priority: u16,
        weight: u16,
        target: String,
    },
    /// HINFO.
    Hinfo { cpu: String, os: String },
    /// MINFO.
    Minfo { rmailbx: String, emailbx: String },
    /// RP.
    Rp { mbox: String, txt: String },
    /// NAPTR.
    Naptr {
        order: u16,
        preference: u16,
        flags: String,
        services: String,
        regexp: String,
        replacement: String,
    },
    /// DS, CDS, TA, DLV.
    Ds {
        key_tag: u16,
        algorithm: u8,
        digest_type: u8,
        digest: String,
    },
    /// DNSKEY, CDNSKEY, KEY.
    Dnskey {
        flags: u16,
        protocol: u8,
        algorithm: u8,
        key_tag: u16,
        public_key: String,
    },
    /// RRSIG, SIG: times are seconds since the epoch.
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
    /// NSEC3: `salt` in hex ("" for none), `next` in base32hex.
    Nsec3 {
        algorithm: u8,
        flags: u8,
        iterations: u16,
        salt: String,
        next: String,
        types: Vec<String>,
    },
    /// NSEC3PARAM.
    Nsec3param {
        algorithm: u8,
        flags: u8,
        iterations: u16,
        salt: String,
    },
    /// CSYNC.
    Csync {
        serial: u32,
        flags: u16,
        types: Vec<String>,
    },
    /// ZONEMD.
    Zonemd {
        serial: u32,
        scheme: u8,
        hash_algorithm: u8,
        digest: String,
    },
    /// TLSA, SMIMEA.
    Tlsa {
        usage: u8,
        selector: u8,
        matching_type: u8,
        data: String,
    },
    /// SSHFP.
    Sshfp {
        algorithm: u8,
        fp_type: u8,
        fingerprint: String,
    },
    /// IPSECKEY: `gateway` null for gateway type 0.
    Ipseckey {
        precedence: u8,
        gateway_type: u8,
        algorithm: u8,
        gateway: Option<String>,
        public_key: String,
    },
    /// CERT: `cert_type` as a number, `certificate` in base64.
    Cert {
        cert_type: u16,
        key_tag: u16,
        algorithm: u8,
        certificate: String,
    },
    /// OPENPGPKEY.
    Openpgpkey { public_key: String },
    /// DHCID.
    Dhcid { digest: String },
    /// TSIG (RFC 8945 §4.2), as a signed message carries it.
    Tsig {
        algorithm: String,
        /// Seconds since the epoch (48 bits on the wire).
        time_signed: u64,
        fudge: u16,
        /// The MAC, base64.
        mac: String,
        original_id: u16,
        /// BADSIG, BADKEY, BADTIME, BADTRUNC, NOERROR.
        error: String,
        /// Other data, base64 (a BADTIME reply's server time).
        other: String,
    },
    /// SVCB, HTTPS: `params` in wire order, each value typed by its key.
    Svcb {
        priority: u16,
        target: String,
        params: Vec<SvcParam>,
    },
    /// LOC: degrees (north and east positive) and metres.
    Loc {
        version: u8,
        latitude: serde_json::Number,
        longitude: serde_json::Number,
        altitude: serde_json::Number,
        size: serde_json::Number,
        horizontal_precision: serde_json::Number,
        vertical_precision: serde_json::Number,
    },
    /// EUI48, EUI64.
    Eui { address: String },
    /// L32.
    L32 { preference: u16, locator32: String },
    /// L64.
    L64 { preference: u16, locator64: String },
    /// NID.
    Nid { preference: u16, node_id: String },
    /// LP.
    Lp { preference: u16, fqdn: String },
    /// APL: each address prefix; `negation` for the `!` form.
    Apl { items: Vec<AplItem> },
    /// A type whose rdata schema version 1 first gave as `rdlength` and `hex` alone: its
    /// named fields, and those two still (fields are only ever added within a version).
    WithWire(serde_json::Map<String, serde_json::Value>),
    /// Any other type, or rdata that does not parse as its type: its length and bytes,
    /// with `note` saying why a known type is shown this way.
    Opaque {
        rdlength: usize,
        hex: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

/// One SVCB/HTTPS parameter: `key` by name (`keyNNNNN` when unnamed), `value` typed:
/// a list of strings (alpn, mandatory), a list of addresses (ipv4hint, ipv6hint), a
/// number (port), a string (ech in base64, dohpath, unknown keys with RFC 1035 escapes)
/// or null (no-default-alpn, ohttp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SvcParam {
    pub key: String,
    pub value: serde_json::Value,
}

/// One APL item (RFC 3123 §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct AplItem {
    pub negation: bool,
    pub family: u16,
    pub prefix: u8,
    pub address: String,
}

/// One record's data: the text and the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Presented {
    /// Presentation text as in a zone file.
    pub text: String,
    /// Structured fields.
    pub fields: RdataFields,
    /// Why a type dnscope knows is shown in RFC 3597 form.
    pub note: Option<String>,
}

/// What a type's presenter yields: the text and the fields.
type Shown = (String, RdataFields);

/// Presents record data of type `rtype`.
pub(crate) fn present(rtype: RecordType, rdata: &RData, style: NameStyle) -> Presented {
    if style.rfc3597 {
        let bytes = match rdata {
            RData::Unknown { rdata, .. } => rdata.anything.clone(),
            RData::NULL(null) => null.anything.clone(),
            typed => uncompressed(typed),
        };
        return Presented {
            text: rfc3597(&bytes),
            fields: RdataFields::Opaque {
                rdlength: bytes.len(),
                hex: HEXUPPER.encode(&bytes),
                note: None,
            },
            note: None,
        };
    }
    match rdata {
        RData::Unknown { rdata, .. } => present_wire(rtype, &rdata.anything, style),
        RData::NULL(null) => present_wire(rtype, &null.anything, style),
        // The values the decoder types are exact, and the commonest: no round trip
        // through their bytes.
        RData::A(a) => shown(basic::address(a.0.into())),
        RData::AAAA(aaaa) => shown(basic::address(aaaa.0.into())),
        RData::NS(n) => shown(basic::named(names::format(&n.0, style))),
        RData::CNAME(n) => shown(basic::named(names::format(&n.0, style))),
        RData::PTR(n) => shown(basic::named(names::format(&n.0, style))),
        typed => present_wire(rtype, &uncompressed(typed), style),
    }
}

fn shown((text, fields): Shown) -> Presented {
    Presented {
        text,
        fields,
        note: None,
    }
}

/// Presents uncompressed rdata bytes of type `rtype`.
pub(crate) fn present_wire(rtype: RecordType, bytes: &[u8], style: NameStyle) -> Presented {
    let number = u16::from(rtype);
    let mut reader = Reader::new(bytes, style);
    let shown = presenter(number).map(|show| show(&mut reader).filter(|_| reader.done()));
    match shown {
        Some(Some((text, fields))) if first_named(number) => Presented {
            text,
            fields,
            note: None,
        },
        Some(Some((text, fields))) => Presented {
            text,
            fields: with_wire(fields, bytes),
            note: None,
        },
        known => {
            let note =
                known.map(|_| format!("not a valid {} rdata; shown in RFC 3597 form", type_text(rtype)));
            Presented {
                text: rfc3597(bytes),
                fields: RdataFields::Opaque {
                    rdlength: bytes.len(),
                    hex: HEXUPPER.encode(bytes),
                    note: note.clone(),
                },
                note,
            }
        }
    }
}

fn with_wire(fields: RdataFields, bytes: &[u8]) -> RdataFields {
    let mut map = match serde_json::to_value(fields) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    map.insert("rdlength".to_owned(), bytes.len().into());
    map.insert("hex".to_owned(), HEXUPPER.encode(bytes).into());
    RdataFields::WithWire(map)
}

/// The types whose `rdata` had named fields from the first release of the schema.
fn first_named(rtype: u16) -> bool {
    matches!(
        rtype,
        1 | 2 | 5 | 6 | 12 | 13 | 15 | 16 | 28 | 33 | 35 | 39 | 43 | 46 | 47 | 48 | 59 | 60 | 257
    )
}

type Presenter = fn(&mut Reader<'_>) -> Option<Shown>;

/// The presenter of each type dnscope knows the layout of; RFC 3597 for the rest.
fn presenter(rtype: u16) -> Option<Presenter> {
    Some(match rtype {
        1 => basic::a,
        28 => basic::aaaa,
        2..=5 | 7..=9 | 12 | 39 => basic::target,
        15 | 21 | 36 => basic::mx,
        18 => basic::afsdb,
        26 => basic::px,
        6 => basic::soa,
        33 => basic::srv,
        16 | 99 | 258 | 261 | 262 => basic::txt,
        13 => basic::hinfo,
        14 => basic::minfo,
        17 => basic::rp,
        35 => basic::naptr,
        256 => basic::uri,
        257 => basic::caa,
        105 => basic::l32,
        106 => basic::l64,
        104 => basic::nid,
        107 => basic::lp,
        108 => basic::eui48,
        109 => basic::eui64,
        42 => basic::apl,
        43 | 59 | 32768 | 32769 => security::ds,
        48 | 60 | 25 => security::dnskey,
        46 | 24 => security::rrsig,
        47 => security::nsec,
        50 => security::nsec3,
        51 => security::nsec3param,
        62 => security::csync,
        63 => security::zonemd,
        52 | 53 => security::tlsa,
        44 => security::sshfp,
        45 => security::ipseckey,
        37 => security::cert,
        61 => security::openpgpkey,
        49 => security::dhcid,
        250 => security::tsig,
        64 | 65 => svcb::svcb,
        29 => loc::loc,
        _ => return None,
    })
}

/// The wire form of a value hickory decoded, names written out in full.
fn uncompressed(rdata: &RData) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = BinEncoder::new(&mut bytes);
    encoder.set_name_encoding(NameEncoding::Uncompressed);
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

/// A character-string in quotes, escaped.
fn quoted(bytes: &[u8]) -> String {
    format!("\"{}\"", escape_string(bytes))
}

/// Base64 for keys, signatures and certificates (RFC 4648 §4, with padding).
fn base64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// Hex for digests and fingerprints, upper case as dig prints it.
fn hex(bytes: &[u8]) -> String {
    HEXUPPER.encode(bytes)
}

/// RFC 4034 §4.1.2 type bit maps; None when malformed (a window out of order, a
/// length of 0 or over 32, bytes cut short).
fn type_bitmap(bytes: &[u8]) -> Option<Vec<String>> {
    let mut r = Reader::new(bytes, NameStyle::default());
    let mut types = Vec::new();
    let mut last_window = None;
    while !r.done() {
        let window = r.u8()?;
        if last_window.is_some_and(|last| window <= last) {
            return None;
        }
        last_window = Some(window);
        let len = r.u8()?;
        if len == 0 || len > 32 {
            return None;
        }
        for (index, &octet) in r.take(usize::from(len))?.iter().enumerate() {
            for bit in 0..8u16 {
                if octet & (0x80 >> bit) != 0 {
                    let index = u16::try_from(index).ok()?;
                    let number = u16::from(window) * 256 + index * 8 + bit;
                    types.push(type_text(RecordType::from(number)).into_owned());
                }
            }
        }
    }
    Some(types)
}

/// A name followed by the types of a bitmap, as NSEC and CSYNC print them.
fn with_types(mut text: String, types: &[String]) -> String {
    for t in types {
        text.push(' ');
        text.push_str(t);
    }
    text
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

    fn wire(rtype: u16, bytes: &[u8]) -> Presented {
        present_wire(RecordType::from(rtype), bytes, NameStyle::default())
    }

    #[test]
    fn rdata_that_does_not_parse_as_its_type_is_rfc3597_with_a_note() {
        for (rtype, bytes) in [
            (1, &b"\x01\x02\x03"[..]),
            (29, b"\x01\x12"),
            (16, b""),
            (15, b"\x00\x0a\x04mail"),
        ] {
            let shown = wire(rtype, bytes);
            assert_eq!(shown.text, rfc3597(bytes));
            let note = shown.note.unwrap();
            assert!(note.starts_with("not a valid "), "{note}");
            assert!(matches!(shown.fields, RdataFields::Opaque { note: Some(_), .. }));
        }
        // Types without a presenter are RFC 3597 without a note.
        assert_eq!(wire(65280, b"").note, None);
        assert_eq!(wire(65280, b"").text, "\\# 0");
    }

    #[test]
    fn svcb_value_lists_escape_commas_and_backslashes() {
        let mut rdata = vec![0, 1, 0];
        rdata.extend([0, 1, 0, 12, 8]); // alpn: "f\oo,bar", "h2"
        rdata.extend(b"f\\oo,bar\x02h2");
        rdata.extend([0, 2, 0, 0]); // no-default-alpn
        rdata.extend([0, 8, 0, 0]); // ohttp
        rdata.extend([0xff, 0x35, 0, 2, b'a', b'"']); // key65333
        let shown = wire(64, &rdata);
        assert_eq!(
            shown.text,
            r#"1 . alpn="f\\\\oo\\,bar,h2" no-default-alpn key8 key65333="a\"""#
        );
        let json = serde_json::to_string(&shown.fields).unwrap();
        assert!(json.contains(r#"{"key":"ohttp","value":null}"#), "{json}");
        assert!(
            json.contains(r#"{"key":"alpn","value":["f\\\\oo,bar","h2"]}"#),
            "{json}"
        );
        // Keys out of order make the record malformed (RFC 9460 §2.2).
        let mut swapped = vec![0, 1, 0, 0, 3, 0, 2, 1, 187, 0, 1, 0, 3, 2, b'h', b'2'];
        assert!(wire(64, &swapped).note.is_some());
        swapped.truncate(9);
        assert_eq!(wire(64, &swapped).text, "1 . port=443");
    }

    #[test]
    fn loc_as_dig_prints_it() {
        let rdata = [
            0, 0x12, 0x16, 0x13, 0x8b, 0x0d, 0x2c, 0x8c, 0x7f, 0xf8, 0xfc, 0xa5, 0, 0x98, 0x96, 0x80,
        ];
        let shown = wire(29, &rdata);
        assert_eq!(shown.text, "51 30 12.748 N 0 7 39.611 W 0.00m 1m 10000m 10m");
        let json = serde_json::to_value(&shown.fields).unwrap();
        assert!(
            (json["latitude"].as_f64().unwrap() - 51.503541).abs() < 1e-6,
            "{json}"
        );
        assert!(json["longitude"].as_f64().unwrap() < 0.0);
        assert_eq!(json["size"], 1.0);
        let mut version_1 = rdata;
        version_1[0] = 1;
        assert!(wire(29, &version_1).note.is_some());
    }

    #[test]
    fn cert_csync_apl_and_the_locators() {
        let cert = wire(37, b"\x00\x03\x00\x00\x00\x01\x02");
        assert_eq!(cert.text, "PGP 0 0 AQI=");
        assert_eq!(wire(37, b"\xfd\xe8\x00\x00\x00\x01").text, "65000 0 0 AQ==");
        // CSYNC serial 66, flags 3, A NS and TYPE1234 (window 4, bit 210).
        let mut csync = vec![0, 0, 0, 66, 0, 3, 0, 1, 0x60, 4, 27];
        csync.extend(std::iter::repeat_n(0, 26).chain([0x20]));
        assert_eq!(wire(62, &csync).text, "66 3 A NS TYPE1234");
        let apl = [
            0, 1, 21, 3, 192, 168, 32, 0, 1, 28, 0x83, 192, 168, 38, 0, 2, 8, 1, 0xff,
        ];
        assert_eq!(
            wire(42, &apl).text,
            "1:192.168.32.0/21 !1:192.168.38.0/28 2:ff00::/8"
        );
        assert_eq!(wire(42, b"").text, "");
        assert_eq!(
            wire(106, &[0, 10, 0x20, 0x01, 0x0d, 0xb8, 0x11, 0x40, 0x10, 0]).text,
            "10 2001:0db8:1140:1000"
        );
        assert_eq!(wire(108, &[0, 0, 0x5e, 0, 0x53, 0x2a]).text, "00-00-5e-00-53-2a");
        assert_eq!(wire(45, b"\x0a\x00\x02").text, "10 0 2 .");
    }

    #[test]
    fn names_inside_rdata_are_escaped_like_owner_names() {
        let shown = wire(15, b"\x00\x0a\x03a.b\x06sp ace\x01\xc8\x04test\x00");
        assert_eq!(shown.text, "10 a\\.b.sp\\032ace.\\200.test.");
        let shown = wire(17, b"\x00\x00");
        assert_eq!(shown.text, ". .");
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
        assert_eq!(u32::from(security::key_tag(&rdata)), expected);
    }
}
