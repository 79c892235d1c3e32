//! Trust anchors: the root zone's KSK DS records, embedded, as IANA publishes them in
//! https://data.iana.org/root-anchors/root-anchors.xml (KSK-2017, key tag 20326, and
//! KSK-2024, key tag 38696; algorithm 8, SHA-256 digests).

use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData, DS};
use hickory_proto::dnssec::{Algorithm, DigestType, PublicKeyBuf, Verifier};
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
/// SEP bit; one line each, as `.key` files and dig print them) as the SHA-256 DS of
/// each; grouped by the zone they are for.
///
/// # Errors
/// A one-line reason when the text does not parse or holds no anchor.
pub(crate) fn parse(text: &str) -> Result<Vec<(Name, Vec<DS>)>, String> {
    let mut anchors: Vec<(Name, Vec<DS>)> = Vec::new();
    let mut add = |zone: Name, ds: DS| match anchors.iter_mut().find(|(z, _)| *z == zone) {
        Some((_, list)) => list.push(ds),
        None => anchors.push((zone, vec![ds])),
    };
    // hickory's zone parser refuses DNSKEY text (it expects to make keys itself): those
    // lines are read here, the rest by it.
    let is_key = |line: &&str| {
        line.split(';')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("DNSKEY"))
    };
    let (keys, rest): (Vec<&str>, Vec<&str>) = text.lines().partition(is_key);
    for line in keys {
        let (zone, key) = dnskey_line(line)?;
        if key.secure_entry_point() {
            let tag = key.calculate_key_tag().map_err(|e| e.to_string())?;
            let digest = key
                .to_digest(&zone, DigestType::SHA256)
                .map_err(|e| e.to_string())?;
            add(
                zone,
                DS::new(tag, key.algorithm(), DigestType::SHA256, digest.as_ref().to_vec()),
            );
        }
    }
    // Anchors are often written without a TTL (dnssec-dsfromkey's output): a default
    // lets such lines parse; a TTL means nothing for an anchor.
    let text = format!("$TTL 3600\n{}\n", rest.join("\n"));
    let (_, sets) = Parser::new(&text, None, Some(Name::root()))
        .parse()
        .map_err(|e| e.to_string().replace('\n', " "))?;
    for record in sets.values().flat_map(|s| s.records_without_rrsigs()) {
        if let RData::DNSSEC(DNSSECRData::DS(ds)) = &record.data {
            add(record.name.clone(), ds.clone());
        }
    }
    if anchors.is_empty() {
        return Err("no DS or DNSKEY (with the SEP bit) record in it".to_owned());
    }
    Ok(anchors)
}

/// `NAME [TTL] [IN] DNSKEY FLAGS 3 ALGORITHM BASE64...` on one line.
fn dnskey_line(line: &str) -> Result<(Name, DNSKEY), String> {
    let words: Vec<&str> = line
        .split(';')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let bad = || format!("not a DNSKEY record on one line: {}", line.trim());
    let at = words
        .iter()
        .position(|w| w.eq_ignore_ascii_case("DNSKEY"))
        .ok_or_else(bad)?;
    let zone = Name::from_ascii(words.first().ok_or_else(bad)?).map_err(|e| e.to_string())?;
    let [flags, _protocol, algorithm, key @ ..] = &words[at + 1..] else {
        return Err(bad());
    };
    let flags: u16 = flags.parse().map_err(|_| bad())?;
    let algorithm: u8 = algorithm.parse().map_err(|_| bad())?;
    let bytes = base64(&key.concat()).ok_or_else(bad)?;
    Ok((
        zone,
        DNSKEY::with_flags(flags, PublicKeyBuf::new(bytes, Algorithm::from_u8(algorithm))),
    ))
}

/// Standard base64 (RFC 4648 §4), padding optional.
fn base64(text: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).ok()?);
        }
    }
    Some(out)
}
