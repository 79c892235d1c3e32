//! The data an RRSIG signs (RFC 4034 §3.1.8.1): the RRSIG RDATA without its signature,
//! then each record of the RRset in canonical form (§6.2: owner lowercased, the
//! wildcard owner restored from the label count, the original TTL, names in RDATA
//! lowercased for the types §6.2 lists less NSEC, RFC 6840 §5.1), in canonical order
//! (§6.3: by RDATA as unsigned octets, duplicates removed).

use hickory_proto::dnssec::rdata::RRSIG;
use hickory_proto::rr::{Name, Record};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder, NameEncoding};

use super::keys;

/// The signed data for `rrset` (the records of one owner, class and type) under `sig`;
/// `None` when a record cannot be put in canonical form.
pub(crate) fn signed_data(rrset: &[Record], sig: &RRSIG) -> Option<Vec<u8>> {
    let first = rrset.first()?;
    let input = sig.input();
    let owner = owner(&first.name, input.num_labels)?;
    let mut rdatas: Vec<Vec<u8>> = rrset.iter().map(canonical_rdata).collect::<Option<_>>()?;
    rdatas.sort();
    rdatas.dedup();
    let mut out = Vec::new();
    let mut encoder = BinEncoder::new(&mut out);
    encoder.set_canonical_form(true);
    encoder.set_name_encoding(NameEncoding::UncompressedLowercase);
    input.emit(&mut encoder).ok()?;
    for rdata in rdatas {
        owner.emit(&mut encoder).ok()?;
        input.type_covered.emit(&mut encoder).ok()?;
        first.dns_class.emit(&mut encoder).ok()?;
        encoder.emit_u32(input.original_ttl).ok()?;
        encoder.emit_u16(u16::try_from(rdata.len()).ok()?).ok()?;
        encoder.emit_vec(&rdata).ok()?;
    }
    Some(out)
}

/// The owner as signed: lowercased, and `*.` plus its rightmost `labels` labels when
/// the record was expanded from a wildcard (RFC 4035 §5.3.2).
pub(crate) fn owner(name: &Name, labels: u8) -> Option<Name> {
    let name = name.to_lowercase();
    match name.num_labels().cmp(&labels) {
        std::cmp::Ordering::Equal => Some(name),
        std::cmp::Ordering::Greater => name.trim_to(usize::from(labels)).prepend_label("*").ok(),
        std::cmp::Ordering::Less => None,
    }
}

/// A record's RDATA in canonical form.
fn canonical_rdata(record: &Record) -> Option<Vec<u8>> {
    let data = keys::typed(record)?;
    let mut out = Vec::new();
    let mut encoder = BinEncoder::new(&mut out);
    // hickory lowercases the names of the §6.2 types in canonical form, and leaves
    // NSEC's as they are (RFC 6840 §5.1); the fixtures signed by BIND hold both.
    encoder.set_canonical_form(true);
    data.emit(&mut encoder).ok()?;
    Some(out)
}
