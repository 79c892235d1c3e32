//! Decoding a reply so that no record is lost to a library's gaps.
//!
//! hickory-proto rejects a whole message for one record it cannot decode (empty rdata
//! outside UPDATE, an empty APL, a type it models wrongly), and keeps the rdata of types
//! it does not know exactly as received: compression pointers and all, meaningless
//! without the message. Here the framing (header, question, owner names, types,
//! lengths) is read as hickory reads it, but each record's rdata is taken as bytes,
//! its names decompressed against the whole message where RFC 3597 §4 allows
//! compression, and only the types the walk reasons about (A, AAAA, NS, CNAME, PTR,
//! SOA) are turned into hickory's typed values. Every other record is kept as its
//! exact uncompressed bytes (`RData::Unknown` with the record's own type) for the
//! presentation code, which knows each type's layout.

use hickory_proto::op::{Edns, Header, Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::NULL;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder, Restrict};

/// Decodes a whole message. An error means the message cannot be framed (its header,
/// question or a record's fixed fields run past the end, an owner name is malformed,
/// two OPT records); an odd rdata never is one.
pub(crate) fn message(bytes: &[u8]) -> Result<Message, String> {
    let mut decoder = BinDecoder::new(bytes);
    let header = Header::read(&mut decoder).map_err(|e| e.to_string())?;
    let mut message = Message::new(header.metadata.id, MessageType::Response, OpCode::Query);
    message.metadata = header.metadata;
    let counts = header.counts;
    for _ in 0..counts.queries {
        message
            .queries
            .push(Query::read(&mut decoder).map_err(|e| format!("question: {e}"))?);
    }
    for _ in 0..counts.answers {
        message.answers.push(record(&mut decoder, bytes)?);
    }
    for _ in 0..counts.authorities {
        message.authorities.push(record(&mut decoder, bytes)?);
    }
    for _ in 0..counts.additionals {
        let record = record(&mut decoder, bytes)?;
        if record.record_type() != RecordType::OPT {
            message.additionals.push(record);
            continue;
        }
        if message.edns.is_some() {
            return Err("more than one OPT record".to_owned());
        }
        let edns = opt(&record).ok_or("an OPT record whose options do not decode")?;
        message.metadata.merge_response_code(edns.rcode_high());
        message.edns = Some(edns);
    }
    Ok(message)
}

/// One resource record; its rdata as described in the module's comment.
fn record(decoder: &mut BinDecoder<'_>, message: &[u8]) -> Result<Record, String> {
    let name = Name::read(decoder).map_err(|e| format!("owner name: {e}"))?;
    let mut fixed = || {
        decoder
            .read_u16()
            .map(Restrict::unverified)
            .map_err(|_| "a record cut short in its fixed fields".to_owned())
    };
    let rtype = RecordType::from(fixed()?);
    let class = fixed()?;
    let ttl = u32::from(fixed()?) << 16 | u32::from(fixed()?);
    let rdlength = usize::from(fixed()?);
    let start = decoder.index();
    decoder
        .read_slice(rdlength)
        .map_err(|_| format!("a {rdlength}-byte rdata runs past the end of the message"))?;
    let rdata = rdata(rtype, message, start, start + rdlength);
    let mut record = Record::from_rdata(name, ttl, rdata);
    record.dns_class = DNSClass::from(class);
    Ok(record)
}

/// The rdata between `start` and `end` of `message`.
fn rdata(rtype: RecordType, message: &[u8], start: usize, end: usize) -> RData {
    match decompress(rtype, message, start, end) {
        Some(bytes) => typed(rtype, &bytes).unwrap_or_else(|| raw(rtype, bytes)),
        None => {
            let bytes = &message[start..end];
            typed(rtype, bytes).unwrap_or_else(|| raw(rtype, bytes.to_vec()))
        }
    }
}

/// Record data kept as bytes, under its own type.
pub(crate) fn raw(rtype: RecordType, bytes: Vec<u8>) -> RData {
    let mut rdata = NULL::new();
    rdata.anything = bytes;
    RData::Unknown { code: rtype, rdata }
}

/// hickory's value for the types the walk reads, when the bytes are exactly one.
fn typed(rtype: RecordType, bytes: &[u8]) -> Option<RData> {
    if !matches!(
        rtype,
        RecordType::A
            | RecordType::AAAA
            | RecordType::NS
            | RecordType::CNAME
            | RecordType::PTR
            | RecordType::SOA
    ) {
        return None;
    }
    let mut decoder = BinDecoder::new(bytes);
    let length = Restrict::new(u16::try_from(bytes.len()).ok()?);
    let rdata = RData::read(&mut decoder, rtype, length).ok()?;
    (decoder.index() == bytes.len()).then_some(rdata)
}

fn opt(record: &Record) -> Option<Edns> {
    let RData::Unknown { rdata, .. } = &record.data else {
        return None;
    };
    let bytes = &rdata.anything;
    let mut decoder = BinDecoder::new(bytes);
    let options = RData::read(
        &mut decoder,
        RecordType::OPT,
        Restrict::new(u16::try_from(bytes.len()).ok()?),
    )
    .ok()?;
    let mut opt = Record::from_rdata(record.name.clone(), record.ttl, options);
    opt.dns_class = record.dns_class;
    Some(Edns::from(&opt))
}

/// One field of an rdata layout, for the types whose names may be compressed.
#[derive(Clone, Copy)]
enum Field {
    Name,
    Fixed(usize),
    CharacterString,
    Rest,
}

/// RFC 3597 §4: the well-known types, whose names receivers must decompress, and the
/// types whose names they should decompress because old servers compress them.
fn layout(rtype: RecordType) -> Option<&'static [Field]> {
    use Field::{CharacterString as S, Fixed, Name as N, Rest};
    Some(match u16::from(rtype) {
        // NS MD MF CNAME MB MG MR PTR
        2..=5 | 7..=9 | 12 => &[N],
        6 => &[N, N, Fixed(20)],        // SOA
        14 | 17 => &[N, N],             // MINFO, RP
        15 | 18 | 21 => &[Fixed(2), N], // MX, AFSDB, RT
        26 => &[Fixed(2), N, N],        // PX
        33 => &[Fixed(6), N],           // SRV
        35 => &[Fixed(4), S, S, S, N],  // NAPTR
        24 => &[Fixed(18), N, Rest],    // SIG
        30 => &[N, Rest],               // NXT
        _ => return None,
    })
}

/// The rdata with every name written out in full; None when the type has no names that
/// may be compressed, or when the bytes do not fit its layout (then they are shown as
/// they came).
fn decompress(rtype: RecordType, message: &[u8], start: usize, end: usize) -> Option<Vec<u8>> {
    let fields = layout(rtype)?;
    let mut out = Vec::with_capacity(end - start + 16);
    let mut at = start;
    for field in fields {
        match field {
            Field::Name => {
                let mut decoder = BinDecoder::new(&message[..end]).clone(u16::try_from(at).ok()?);
                let name = Name::read(&mut decoder).ok()?;
                at = decoder.index();
                for label in name.iter() {
                    out.push(u8::try_from(label.len()).ok()?);
                    out.extend_from_slice(label);
                }
                out.push(0);
            }
            Field::Fixed(n) => {
                out.extend_from_slice(message.get(at..at + n).filter(|_| at + n <= end)?);
                at += n;
            }
            Field::CharacterString => {
                let n = usize::from(*message.get(at).filter(|_| at < end)?) + 1;
                out.extend_from_slice(message.get(at..at + n).filter(|_| at + n <= end)?);
                at += n;
            }
            Field::Rest => {
                out.extend_from_slice(&message[at..end]);
                at = end;
            }
        }
    }
    (at == end).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reply to `example.test. MINFO` whose MINFO names point back into the question.
    fn compressed_minfo() -> Vec<u8> {
        let mut m = vec![0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0];
        m.extend(b"\x07example\x04test\x00\x00\x0e\x00\x01");
        m.extend(b"\xc0\x0c\x00\x0e\x00\x01\x00\x00\x01\x2c");
        let rdata = b"\x05rmail\xc0\x0c\x05email\xc0\x0c";
        m.extend([0, u8::try_from(rdata.len()).unwrap()]);
        m.extend(rdata);
        m
    }

    fn bytes_of(record: &Record) -> &[u8] {
        match &record.data {
            RData::Unknown { rdata, .. } => &rdata.anything,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_inside_minfo_are_decompressed_against_the_message() {
        let message = message(&compressed_minfo()).unwrap();
        assert_eq!(message.answers[0].record_type(), RecordType::from(14));
        assert_eq!(
            bytes_of(&message.answers[0]),
            b"\x05rmail\x07example\x04test\x00\x05email\x07example\x04test\x00"
        );
    }

    #[test]
    fn a_pointer_out_of_the_rdata_layout_keeps_the_bytes_as_sent() {
        let mut bytes = compressed_minfo();
        let at = bytes.len() - 2;
        bytes[at + 1] = 0xff; // the second pointer now points past the message
        let message = message(&bytes).unwrap();
        assert_eq!(
            bytes_of(&message.answers[0]),
            b"\x05rmail\xc0\x0c\x05email\xc0\xff"
        );
    }

    #[test]
    fn empty_rdata_and_unknown_types_do_not_cost_the_reply() {
        let mut m = vec![0, 1, 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0];
        m.extend(b"\x00\xff\x00\x00\x01\x00\x00\x00\x3c\x00\x00"); // TYPE65280 \# 0
        m.extend(b"\x00\x00\x2a\x00\x01\x00\x00\x00\x3c\x00\x00"); // an empty APL
        m.extend(b"\x00\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x03\x01\x02\x03"); // a 3-byte A
        let message = message(&m).unwrap();
        let kept: Vec<(u16, usize)> = message
            .answers
            .iter()
            .map(|r| (u16::from(r.record_type()), bytes_of(r).len()))
            .collect();
        assert_eq!(kept, [(65280, 0), (42, 0), (1, 3)]);
    }

    #[test]
    fn the_types_the_walk_reads_are_typed() {
        let mut m = vec![0, 1, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 1];
        m.extend(b"\x00\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x01");
        m.extend(b"\x00\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x03\x01a\x00");
        m.extend(b"\x00\x00\x29\x04\xd0\x01\x00\x80\x00\x00\x00"); // OPT, rcode high 1, DO
        let message = message(&m).unwrap();
        assert!(matches!(message.answers[0].data, RData::A(_)));
        assert!(matches!(message.answers[1].data, RData::CNAME(_)));
        let edns = message.edns.unwrap();
        assert_eq!((edns.max_payload(), edns.flags().dnssec_ok), (1232, true));
        assert_eq!(
            u16::from(message.metadata.response_code),
            16,
            "BADVERS from the extended bits"
        );
    }

    #[test]
    fn framing_errors_are_errors() {
        let mut m = vec![0, 1, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0];
        m.extend(b"\x00\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x09\x01");
        assert!(message(&m).unwrap_err().contains("past the end"));
        assert!(message(&m[..20]).is_err());
    }
}
