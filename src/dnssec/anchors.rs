//! Trust anchors: the root zone's KSK DS records, embedded, as IANA publishes them in
//! https://data.iana.org/root-anchors/root-anchors.xml (KSK-2017, key tag 20326, and
//! KSK-2024, key tag 38696; algorithm 8, SHA-256 digests).

use hickory_proto::dnssec::rdata::{DNSSECRData, DS};
use hickory_proto::dnssec::{Algorithm, DigestType, Verifier};
use hickory_proto::rr::{Name, RData};
use hickory_proto::serialize::txt::Parser;

/// Key tag and SHA-256 digest of each root KSK.
const ROOT: [(u16, &str); 2] = [
    (
        20326,
        "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
    ),
    (
        38696,
        "683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16",
    ),
];

/// The embedded root anchors as DS records.
pub(crate) fn root() -> Vec<DS> {
    ROOT.iter()
        .map(|(tag, hex)| DS::new(*tag, Algorithm::RSASHA256, DigestType::SHA256, unhex(hex)))
        .collect()
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("an embedded digest is hex"))
        .collect()
}

/// Trust anchors from zone-file text: DS records as they are, DNSKEY records (with the
/// SEP bit) as the SHA-256 DS of each; grouped by the zone they are for.
///
/// # Errors
/// A one-line reason when the text does not parse or holds no anchor.
pub(crate) fn parse(text: &str) -> Result<Vec<(Name, Vec<DS>)>, String> {
    // Anchors are often written without a TTL (dnssec-dsfromkey's output): a default
    // lets such lines parse; a TTL means nothing for an anchor.
    let text = format!("$TTL 3600\n{text}");
    let (_, sets) = Parser::new(&text, None, Some(Name::root()))
        .parse()
        .map_err(|e| e.to_string().replace('\n', " "))?;
    let mut anchors: Vec<(Name, Vec<DS>)> = Vec::new();
    for record in sets.values().flat_map(|s| s.records_without_rrsigs()) {
        let ds = match &record.data {
            RData::DNSSEC(DNSSECRData::DS(ds)) => ds.clone(),
            RData::DNSSEC(DNSSECRData::DNSKEY(key)) if key.secure_entry_point() => {
                let tag = key.calculate_key_tag().map_err(|e| e.to_string())?;
                let digest = key
                    .to_digest(&record.name, DigestType::SHA256)
                    .map_err(|e| e.to_string())?;
                DS::new(tag, key.algorithm(), DigestType::SHA256, digest.as_ref().to_vec())
            }
            _ => continue,
        };
        match anchors.iter_mut().find(|(zone, _)| *zone == record.name) {
            Some((_, list)) => list.push(ds),
            None => anchors.push((record.name.clone(), vec![ds])),
        }
    }
    if anchors.is_empty() {
        return Err("no DS or DNSKEY (with the SEP bit) record in it".to_owned());
    }
    Ok(anchors)
}
