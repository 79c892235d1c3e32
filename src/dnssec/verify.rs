//! One signature over one RRset, checked in full; a zone's DNSKEY set against the DS
//! set its parent publishes.

use std::fmt;

use hickory_proto::dnssec::rdata::{DNSKEY, DS, RRSIG};
use hickory_proto::dnssec::{Algorithm, DigestType, Verifier};
use hickory_proto::rr::{Name, Record};

use super::canonical;

/// The moment validation is done as of (seconds since the epoch, RFC 1982 arithmetic
/// over 32 bits, as RRSIG times are), and the clock skew allowed on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clock {
    pub now: u32,
    pub skew: u32,
}

impl Clock {
    /// DNSViz's allowance for a validator's clock (300 s).
    pub(crate) const SKEW: u32 = 300;
}

/// Why a signature, or a key set, does not validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// An algorithm this validator does not verify (SHA-1 ones, unknown ones): the zone
    /// counts as insecure, not bogus (RFC 6840 §5.2).
    Unsupported(u8),
    /// No RRSIG by the zone covers the RRset.
    Missing,
    SignerNotZone {
        signer: String,
        zone: String,
    },
    MoreLabelsThanOwner {
        labels: u8,
        owner: u8,
    },
    NoKey {
        key_tag: u16,
        algorithm: u8,
    },
    Expired {
        expiration: u32,
    },
    NotYetValid {
        inception: u32,
    },
    BadSignature {
        key_tag: u16,
    },
    /// A record that cannot be put in canonical form.
    Malformed,
    /// No DNSKEY of the zone matches any DS of its parent.
    NoKeyForDs {
        ds_tags: Vec<u16>,
    },
    /// An NSEC or NSEC3 proof is missing or does not cover the name.
    NoProof(String),
    /// The DNSKEY RRset is not signed by a key a DS names.
    KeySetNotSigned {
        key_tags: Vec<u16>,
        why: Box<Problem>,
    },
}

impl Problem {
    /// Unsupported algorithms make a zone insecure; everything else is bogus.
    pub(crate) fn is_bogus(&self) -> bool {
        !matches!(self, Problem::Unsupported(_))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unsupported(alg) => write!(f, "algorithm {alg} is not supported (treated as insecure)"),
            Problem::Missing => f.write_str("RRSIG missing"),
            Problem::SignerNotZone { signer, zone } => {
                write!(f, "signed by {signer}, not by the zone {zone}")
            }
            Problem::MoreLabelsThanOwner { labels, owner } => {
                write!(f, "RRSIG label count {labels} is more than the owner's {owner}")
            }
            Problem::NoKey { key_tag, algorithm } => {
                write!(f, "no DNSKEY with key tag {key_tag} and algorithm {algorithm}")
            }
            Problem::Expired { expiration } => write!(f, "signature expired at {}", time(*expiration)),
            Problem::NotYetValid { inception } => {
                write!(f, "signature not valid before {}", time(*inception))
            }
            Problem::BadSignature { key_tag } => write!(f, "signature by key {key_tag} does not verify"),
            Problem::Malformed => f.write_str("a record of the RRset cannot be put in canonical form"),
            Problem::NoKeyForDs { ds_tags } => write!(f, "no DNSKEY matches the DS ({})", tags(ds_tags)),
            Problem::NoProof(why) => f.write_str(why),
            Problem::KeySetNotSigned { key_tags, why } => write!(
                f,
                "DNSKEY RRset not signed by a key the DS names ({}): {why}",
                tags(key_tags)
            ),
        }
    }
}

fn tags(tags: &[u16]) -> String {
    tags.iter()
        .map(|t| format!("key tag {t}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn time(seconds: u32) -> String {
    humantime::format_rfc3339_seconds(
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::from(seconds)),
    )
    .to_string()
}

/// Whether this validator verifies `algorithm`: RSA/SHA-256 and SHA-512, ECDSA P-256 and
/// P-384, Ed25519 (8, 10, 13, 14, 15). The SHA-1 algorithms (5, 7) are left out on
/// purpose: a zone signed only with them counts as insecure (RFC 6840 §5.2, as issue 12
/// asks), where unbound 1.17 and BIND 9.18 still verify them and say secure; the
/// interop suite pins that difference (tests/interop/dnssec.py, sha1.test.).
pub(crate) fn supported(algorithm: Algorithm) -> bool {
    matches!(
        algorithm,
        Algorithm::RSASHA256
            | Algorithm::RSASHA512
            | Algorithm::ECDSAP256SHA256
            | Algorithm::ECDSAP384SHA384
            | Algorithm::ED25519
    )
}

/// `a <= b` in RFC 1982 serial arithmetic over 32 bits.
fn serial_le(a: u32, b: u32) -> bool {
    a == b || b.wrapping_sub(a) < 1 << 31
}

/// Checks `sig` over `rrset` with `key`, as a record of `zone`: everything, then the
/// signature bytes.
pub(crate) fn check(
    rrset: &[Record],
    sig: &RRSIG,
    key: &DNSKEY,
    zone: &Name,
    clock: Clock,
) -> Result<(), Problem> {
    let input = sig.input();
    let algorithm = u8::from(input.algorithm);
    if !supported(input.algorithm) {
        return Err(Problem::Unsupported(algorithm));
    }
    if input.signer_name.to_lowercase() != zone.to_lowercase() {
        return Err(Problem::SignerNotZone {
            signer: input.signer_name.to_string(),
            zone: zone.to_string(),
        });
    }
    let owner = rrset.first().map_or(0, |r| r.name.num_labels());
    if input.num_labels > owner {
        return Err(Problem::MoreLabelsThanOwner {
            labels: input.num_labels,
            owner,
        });
    }
    let tag = key.calculate_key_tag().map_err(|_| Problem::Malformed)?;
    if tag != input.key_tag || key.algorithm() != input.algorithm || !key.zone_key() || key.revoke() {
        return Err(Problem::NoKey {
            key_tag: input.key_tag,
            algorithm,
        });
    }
    let (inception, expiration) = (input.sig_inception.get(), input.sig_expiration.get());
    if !serial_le(clock.now.wrapping_sub(clock.skew), expiration) {
        return Err(Problem::Expired { expiration });
    }
    if !serial_le(inception, clock.now.wrapping_add(clock.skew)) {
        return Err(Problem::NotYetValid { inception });
    }
    let data = canonical::signed_data(rrset, sig).ok_or(Problem::Malformed)?;
    key.verify(&data, sig.sig())
        .map_err(|_| Problem::BadSignature { key_tag: tag })
}

/// The signature that validated an RRset: by which key, and for when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signature {
    pub key_tag: u16,
    pub algorithm: u8,
    /// Seconds since the epoch (modulo 2^32), as in the RRSIG.
    pub inception: u32,
    pub expiration: u32,
}

/// The first of `sigs` that validates `rrset` with one of `keys` (the key tag that
/// did), or the most telling problem: a signature that names a key and fails says more
/// than one whose key is absent.
pub(crate) fn rrset(
    rrset: &[Record],
    sigs: &[RRSIG],
    keys: &[DNSKEY],
    zone: &Name,
    clock: Clock,
) -> Result<Signature, Problem> {
    let Some(first) = rrset.first() else {
        return Err(Problem::Missing);
    };
    let covering: Vec<&RRSIG> = sigs
        .iter()
        .filter(|s| s.input().type_covered == first.record_type())
        .collect();
    let mut best: Option<Problem> = None;
    for sig in &covering {
        let input = sig.input();
        let candidates: Vec<&DNSKEY> = keys
            .iter()
            .filter(|k| k.calculate_key_tag().ok() == Some(input.key_tag) && k.algorithm() == input.algorithm)
            .collect();
        if candidates.is_empty() {
            let problem = if supported(input.algorithm) {
                Problem::NoKey {
                    key_tag: input.key_tag,
                    algorithm: u8::from(input.algorithm),
                }
            } else {
                Problem::Unsupported(u8::from(input.algorithm))
            };
            best = Some(worse(best, problem));
            continue;
        }
        for key in candidates {
            match check(rrset, sig, key, zone, clock) {
                Ok(()) => {
                    return Ok(Signature {
                        key_tag: input.key_tag,
                        algorithm: u8::from(input.algorithm),
                        inception: input.sig_inception.get(),
                        expiration: input.sig_expiration.get(),
                    });
                }
                Err(problem) => best = Some(worse(best, problem)),
            }
        }
    }
    Err(best.unwrap_or(Problem::Missing))
}

/// Keeps the problem that says the most: one found on a key that exists.
fn worse(kept: Option<Problem>, new: Problem) -> Problem {
    let weight = |p: &Problem| match p {
        Problem::Unsupported(_) => 0,
        Problem::Missing | Problem::NoKey { .. } => 1,
        _ => 2,
    };
    match kept {
        Some(kept) if weight(&kept) >= weight(&new) => kept,
        _ => new,
    }
}

/// A zone's key set, validated from its parent's DS set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SecureKeys {
    /// The DS and the key it matched: key tag, algorithm, digest type.
    pub ds_tag: u16,
    pub algorithm: u8,
    pub digest_type: u8,
    /// A note, e.g. that the DS uses SHA-1 (accepted, but weak).
    pub note: Option<String>,
    /// Every key of the validated DNSKEY RRset, for the zone's other signatures.
    pub keys: Vec<DNSKEY>,
    /// The signature over the DNSKEY RRset.
    pub signature: Signature,
}

/// Whether `dnskeys` (the zone's DNSKEY RRset) is secure under the parent's `ds_set`:
/// a DS (algorithm and digest supported) matches a zone key, and that key signs the
/// RRset. All DS algorithms unsupported is [`Problem::Unsupported`].
pub(crate) fn key_set(
    zone: &Name,
    ds_set: &[DS],
    dnskeys: &[Record],
    sigs: &[RRSIG],
    clock: Clock,
) -> Result<SecureKeys, Problem> {
    let keys: Vec<DNSKEY> = dnskeys.iter().filter_map(super::keys::dnskey).collect();
    let usable: Vec<&DS> = ds_set
        .iter()
        .filter(|ds| {
            supported(ds.algorithm())
                && matches!(
                    ds.digest_type(),
                    DigestType::SHA1 | DigestType::SHA256 | DigestType::SHA384
                )
        })
        .collect();
    if usable.is_empty() {
        let algorithm = ds_set.first().map_or(0, |ds| u8::from(ds.algorithm()));
        return Err(Problem::Unsupported(algorithm));
    }
    let mut signing_problem = None;
    let mut matched_tags = Vec::new();
    for ds in &usable {
        for key in keys.iter().filter(|k| k.zone_key() && !k.revoke()) {
            if !ds.covers(zone, key).unwrap_or(false) {
                continue;
            }
            let tag = key.calculate_key_tag().unwrap_or_default();
            matched_tags.push(tag);
            let own: Vec<RRSIG> = sigs
                .iter()
                .filter(|s| s.input().key_tag == tag)
                .cloned()
                .collect();
            match rrset(dnskeys, &own, std::slice::from_ref(key), zone, clock) {
                Ok(signature) => {
                    let digest_type = u8::from(ds.digest_type());
                    return Ok(SecureKeys {
                        ds_tag: ds.key_tag(),
                        algorithm: u8::from(ds.algorithm()),
                        digest_type,
                        note: (digest_type == 1)
                            .then(|| "the DS uses SHA-1 (digest type 1), accepted but weak".to_owned()),
                        keys,
                        signature,
                    });
                }
                Err(problem) => signing_problem = Some(worse(signing_problem, problem)),
            }
        }
    }
    match signing_problem {
        Some(why) => Err(Problem::KeySetNotSigned {
            key_tags: matched_tags,
            why: Box::new(why),
        }),
        None => Err(Problem::NoKeyForDs {
            ds_tags: usable.iter().map(|ds| ds.key_tag()).collect(),
        }),
    }
}
