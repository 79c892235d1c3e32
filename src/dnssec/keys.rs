//! The DNSSEC record types as hickory's values, from a record as dnscope decodes it:
//! the tolerant decoder keeps their RDATA as bytes (`RData::Unknown`), a zone-file
//! parser gives them typed.

use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData, DS, RRSIG};
use hickory_proto::rr::{RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinDecoder, Restrict};

/// The typed RDATA of `record`, decoding kept bytes when needed; `None` when the bytes
/// are not a valid record of its type.
pub(crate) fn typed(record: &Record) -> Option<RData> {
    match &record.data {
        RData::Unknown { code, rdata } => {
            let bytes = &rdata.anything;
            let mut decoder = BinDecoder::new(bytes);
            let data = RData::read(
                &mut decoder,
                *code,
                Restrict::new(u16::try_from(bytes.len()).ok()?),
            )
            .ok()?;
            // Trailing bytes would make it another record than the one signed.
            decoder.is_empty().then_some(data)
        }
        other => Some(other.clone()),
    }
}

/// The DNSSEC RDATA of `record` when it is of type `rtype`.
fn dnssec(record: &Record, rtype: RecordType) -> Option<DNSSECRData> {
    if record.record_type() != rtype {
        return None;
    }
    match typed(record)? {
        RData::DNSSEC(data) => Some(data),
        _ => None,
    }
}

pub(crate) fn dnskey(record: &Record) -> Option<DNSKEY> {
    match dnssec(record, RecordType::DNSKEY)? {
        DNSSECRData::DNSKEY(key) => Some(key),
        _ => None,
    }
}

pub(crate) fn ds(record: &Record) -> Option<DS> {
    match dnssec(record, RecordType::DS)? {
        DNSSECRData::DS(ds) => Some(ds),
        _ => None,
    }
}

pub(crate) fn rrsig(record: &Record) -> Option<RRSIG> {
    match dnssec(record, RecordType::RRSIG)? {
        DNSSECRData::RRSIG(sig) => Some(sig),
        _ => None,
    }
}
