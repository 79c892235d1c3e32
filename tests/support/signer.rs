//! Signing a test zone, as an authoritative server's signer does: one ECDSA P-256 key
//! (zone and SEP bits), an NSEC chain, and an RRSIG over every authoritative RRset,
//! built with hickory-proto's own TBS (an implementation independent of dnscope's).

use hickory_proto::dnssec::crypto::EcdsaSigningKey;
use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData, DS, NSEC, RRSIG, SigInput};
use hickory_proto::dnssec::{Algorithm, DigestType, SigningKey, TBS};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType, SerialNumber};

use super::server::Zone;

/// Signs `zone` in place, signatures valid from `inception` to `expiration` (seconds
/// since the epoch); returns the DS record its parent must publish.
pub(crate) fn sign(zone: &mut Zone, inception: u32, expiration: u32) -> Record {
    let algorithm = Algorithm::ECDSAP256SHA256;
    let pkcs8 = EcdsaSigningKey::generate_pkcs8(algorithm).unwrap();
    let key = EcdsaSigningKey::from_pkcs8(&pkcs8, algorithm).unwrap();
    let dnskey = DNSKEY::with_flags(257, key.to_public_key().unwrap());
    let tag = dnskey.calculate_key_tag().unwrap();
    let apex = zone.origin.clone();
    zone.records.push(Record::from_rdata(
        apex.clone(),
        3600,
        RData::DNSSEC(DNSSECRData::DNSKEY(dnskey.clone())),
    ));
    // Owners the zone is authoritative for: not below a delegation (glue).
    let cuts: Vec<Name> = zone
        .records
        .iter()
        .filter(|r| r.record_type() == RecordType::NS && r.name != apex)
        .map(|r| r.name.clone())
        .collect();
    let below_cut = |name: &Name| cuts.iter().any(|c| c != name && c.zone_of(name));
    let mut owners: Vec<Name> = zone
        .records
        .iter()
        .map(|r| r.name.clone())
        .filter(|n| !below_cut(n))
        .collect();
    owners.sort();
    owners.dedup();
    for (i, owner) in owners.iter().enumerate() {
        let next = owners[(i + 1) % owners.len()].clone();
        let mut types: Vec<RecordType> = zone
            .records
            .iter()
            .filter(|r| &r.name == owner)
            .map(Record::record_type)
            .collect();
        types.extend([RecordType::NSEC, RecordType::RRSIG]);
        types.sort();
        types.dedup();
        zone.records.push(Record::from_rdata(
            owner.clone(),
            300,
            RData::DNSSEC(DNSSECRData::NSEC(NSEC::new(next, types))),
        ));
    }
    let mut sets: Vec<(Name, RecordType)> = zone
        .records
        .iter()
        .filter(|r| !below_cut(&r.name))
        // A delegation's NS set is the child's: unsigned here.
        .filter(|r| !(r.record_type() == RecordType::NS && cuts.contains(&r.name)))
        .map(|r| (r.name.clone(), r.record_type()))
        .collect();
    sets.sort();
    sets.dedup();
    for (owner, rtype) in sets {
        let records: Vec<&Record> = zone
            .records
            .iter()
            .filter(|r| r.name == owner && r.record_type() == rtype)
            .collect();
        let input = SigInput {
            type_covered: rtype,
            algorithm,
            num_labels: owner.num_labels(),
            original_ttl: records[0].ttl,
            sig_expiration: SerialNumber::new(expiration),
            sig_inception: SerialNumber::new(inception),
            key_tag: tag,
            signer_name: apex.clone(),
        };
        let tbs = TBS::from_input(&owner, DNSClass::IN, &input, records.iter().copied()).unwrap();
        let signature = key.sign(&tbs).unwrap();
        zone.rrsigs.push(Record::from_rdata(
            owner,
            records[0].ttl,
            RData::DNSSEC(DNSSECRData::RRSIG(RRSIG::from_sig(input, signature))),
        ));
    }
    let digest = dnskey.to_digest(&apex, DigestType::SHA256).unwrap();
    Record::from_rdata(
        apex,
        3600,
        RData::DNSSEC(DNSSECRData::DS(DS::new(
            tag,
            algorithm,
            DigestType::SHA256,
            digest.as_ref().to_vec(),
        ))),
    )
}
