//! DNSSEC (RFC 4034, 5155, 7344, 7477, 8976) and the key and certificate types (RFC 4025,
//! 4255, 4398, 4701, 6698, 7929, 8162), read from their fixed wire layouts.

use std::net::{Ipv4Addr, Ipv6Addr};

use data_encoding::BASE32HEX_NOPAD;
use hickory_proto::rr::RecordType;

use super::reader::Reader;
use super::{RdataFields, Shown, base64, hex, rrsig_time, type_bitmap, with_types};
use crate::dns::rrtype::type_text;

/// DS, CDS, TA, DLV.
pub(super) fn ds(r: &mut Reader<'_>) -> Option<Shown> {
    let (key_tag, algorithm, digest_type) = (r.u16()?, r.u8()?, r.u8()?);
    let digest = hex(r.rest_nonempty()?);
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

/// DNSKEY, CDNSKEY, KEY.
pub(super) fn dnskey(r: &mut Reader<'_>) -> Option<Shown> {
    let (flags, protocol, algorithm) = (r.u16()?, r.u8()?, r.u8()?);
    let key = r.rest_nonempty()?;
    let mut whole = Vec::with_capacity(key.len() + 4);
    whole.extend(flags.to_be_bytes());
    whole.extend([protocol, algorithm]);
    whole.extend(key);
    let public_key = base64(key);
    Some((
        format!("{flags} {protocol} {algorithm} {public_key}"),
        RdataFields::Dnskey {
            flags,
            protocol,
            algorithm,
            key_tag: key_tag(&whole),
            public_key,
        },
    ))
}

/// RFC 4034 Appendix B: the key tag of a DNSKEY's rdata.
pub(super) fn key_tag(rdata: &[u8]) -> u16 {
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

/// RRSIG, SIG.
pub(super) fn rrsig(r: &mut Reader<'_>) -> Option<Shown> {
    let type_covered = type_text(RecordType::from(r.u16()?)).into_owned();
    let (algorithm, labels, original_ttl) = (r.u8()?, r.u8()?, r.u32()?);
    let (expiration, inception, key_tag) = (r.u32()?, r.u32()?, r.u16()?);
    let signer = r.name()?;
    let signature = base64(r.rest_nonempty()?);
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

pub(super) fn nsec(r: &mut Reader<'_>) -> Option<Shown> {
    let next = r.name()?;
    let types = type_bitmap(r.rest())?;
    Some((
        with_types(next.clone(), &types),
        RdataFields::Nsec { next, types },
    ))
}

/// RFC 5155 §3.3: the salt in hex, `-` when empty.
fn salt(r: &mut Reader<'_>) -> Option<String> {
    let len = usize::from(r.u8()?);
    Some(hex(r.take(len)?))
}

fn salt_text(salt: &str) -> &str {
    if salt.is_empty() { "-" } else { salt }
}

pub(super) fn nsec3(r: &mut Reader<'_>) -> Option<Shown> {
    let (algorithm, flags, iterations) = (r.u8()?, r.u8()?, r.u16()?);
    let salt = salt(r)?;
    let hash_len = usize::from(r.u8()?);
    let next = BASE32HEX_NOPAD.encode(r.take(hash_len).filter(|h| !h.is_empty())?);
    let types = type_bitmap(r.rest())?;
    let text = format!("{algorithm} {flags} {iterations} {} {next}", salt_text(&salt));
    Some((
        with_types(text, &types),
        RdataFields::Nsec3 {
            algorithm,
            flags,
            iterations,
            salt,
            next,
            types,
        },
    ))
}

pub(super) fn nsec3param(r: &mut Reader<'_>) -> Option<Shown> {
    let (algorithm, flags, iterations) = (r.u8()?, r.u8()?, r.u16()?);
    let salt = salt(r)?;
    Some((
        format!("{algorithm} {flags} {iterations} {}", salt_text(&salt)),
        RdataFields::Nsec3param {
            algorithm,
            flags,
            iterations,
            salt,
        },
    ))
}

pub(super) fn csync(r: &mut Reader<'_>) -> Option<Shown> {
    let (serial, flags) = (r.u32()?, r.u16()?);
    let types = type_bitmap(r.rest())?;
    Some((
        with_types(format!("{serial} {flags}"), &types),
        RdataFields::Csync { serial, flags, types },
    ))
}

pub(super) fn zonemd(r: &mut Reader<'_>) -> Option<Shown> {
    let (serial, scheme, hash_algorithm) = (r.u32()?, r.u8()?, r.u8()?);
    // RFC 8976 §2.2.4: a digest shorter than 12 octets is not a ZONEMD.
    let digest = hex(Some(r.rest()).filter(|d| d.len() >= 12)?);
    Some((
        format!("{serial} {scheme} {hash_algorithm} {digest}"),
        RdataFields::Zonemd {
            serial,
            scheme,
            hash_algorithm,
            digest,
        },
    ))
}

/// TLSA, SMIMEA.
pub(super) fn tlsa(r: &mut Reader<'_>) -> Option<Shown> {
    let (usage, selector, matching_type) = (r.u8()?, r.u8()?, r.u8()?);
    let data = hex(r.rest_nonempty()?);
    Some((
        format!("{usage} {selector} {matching_type} {data}"),
        RdataFields::Tlsa {
            usage,
            selector,
            matching_type,
            data,
        },
    ))
}

pub(super) fn sshfp(r: &mut Reader<'_>) -> Option<Shown> {
    let (algorithm, fp_type) = (r.u8()?, r.u8()?);
    let fingerprint = hex(r.rest_nonempty()?);
    Some((
        format!("{algorithm} {fp_type} {fingerprint}"),
        RdataFields::Sshfp {
            algorithm,
            fp_type,
            fingerprint,
        },
    ))
}

/// RFC 4025 §2: the gateway's form follows its type; the key may be absent.
pub(super) fn ipseckey(r: &mut Reader<'_>) -> Option<Shown> {
    let (precedence, gateway_type, algorithm) = (r.u8()?, r.u8()?, r.u8()?);
    let gateway = match gateway_type {
        0 => None,
        1 => Some(Ipv4Addr::from(r.array::<4>()?).to_string()),
        2 => Some(Ipv6Addr::from(r.array::<16>()?).to_string()),
        3 => Some(r.name()?),
        _ => return None,
    };
    let public_key = base64(r.rest());
    let mut text = format!(
        "{precedence} {gateway_type} {algorithm} {}",
        gateway.as_deref().unwrap_or(".")
    );
    if !public_key.is_empty() {
        text.push(' ');
        text.push_str(&public_key);
    }
    Some((
        text,
        RdataFields::Ipseckey {
            precedence,
            gateway_type,
            algorithm,
            gateway,
            public_key,
        },
    ))
}

/// RFC 4398 §2.1 certificate type mnemonics.
fn cert_type(number: u16) -> Option<&'static str> {
    Some(match number {
        1 => "PKIX",
        2 => "SPKI",
        3 => "PGP",
        4 => "IPKIX",
        5 => "ISPKI",
        6 => "IPGP",
        7 => "ACPKIX",
        8 => "IACPKIX",
        253 => "URI",
        254 => "OID",
        _ => return None,
    })
}

/// RFC 4398 §2.2: the type as its mnemonic or number, the algorithm as a number (both
/// forms load; the number never depends on a mnemonic table).
pub(super) fn cert(r: &mut Reader<'_>) -> Option<Shown> {
    let (number, key_tag, algorithm) = (r.u16()?, r.u16()?, r.u8()?);
    let certificate = base64(r.rest_nonempty()?);
    let type_word = cert_type(number).map_or_else(|| number.to_string(), str::to_owned);
    Some((
        format!("{type_word} {key_tag} {algorithm} {certificate}"),
        RdataFields::Cert {
            cert_type: number,
            key_tag,
            algorithm,
            certificate,
        },
    ))
}

pub(super) fn openpgpkey(r: &mut Reader<'_>) -> Option<Shown> {
    let public_key = base64(r.rest_nonempty()?);
    Some((public_key.clone(), RdataFields::Openpgpkey { public_key }))
}

pub(super) fn dhcid(r: &mut Reader<'_>) -> Option<Shown> {
    let digest = base64(r.rest_nonempty()?);
    Some((digest.clone(), RdataFields::Dhcid { digest }))
}

/// RFC 8945 §4.2, written as BIND writes it: algorithm, time, fudge, MAC size, MAC
/// (base64), original ID, error, other length, other data (base64).
pub(super) fn tsig(r: &mut Reader<'_>) -> Option<Shown> {
    let algorithm = r.name()?;
    let time = r.array::<6>()?;
    let time_signed = time.iter().fold(0u64, |t, &b| t << 8 | u64::from(b));
    let fudge = r.u16()?;
    let mac_len = usize::from(r.u16()?);
    let mac = base64(r.take(mac_len)?);
    let original_id = r.u16()?;
    let error = crate::dns::tsig::error_text(r.u16()?);
    let other_len = usize::from(r.u16()?);
    let other = base64(r.take(other_len)?);
    let mut text =
        format!("{algorithm} {time_signed} {fudge} {mac_len} {mac} {original_id} {error} {other_len}");
    if other_len > 0 {
        text.push(' ');
        text.push_str(&other);
    }
    Some((
        text,
        RdataFields::Tsig {
            algorithm,
            time_signed,
            fudge,
            mac,
            original_id,
            error,
            other,
        },
    ))
}
