//! Trust anchors: the root zone's KSK DS records, embedded, as IANA publishes them in
//! https://data.iana.org/root-anchors/root-anchors.xml (KSK-2017, key tag 20326, and
//! KSK-2024, key tag 38696; algorithm 8, SHA-256 digests).

use hickory_proto::dnssec::rdata::DS;
use hickory_proto::dnssec::{Algorithm, DigestType};

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
