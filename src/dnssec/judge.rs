//! Verdicts: one per zone cut (is the child's key set secure, from its parent's DS or
//! the proof that there is none) and one for the final answer or denial, in the four
//! words validators use (RFC 4033 §5): secure, insecure, bogus, indeterminate.

use hickory_proto::dnssec::rdata::{DNSKEY, DS, RRSIG};
use hickory_proto::rr::{Name, Record, RecordType};

use super::denial::{Chain, Proven};
use super::keys;
use super::verify::{self, Clock, Problem, Signature};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Security {
    Secure,
    Insecure,
    Bogus,
    Indeterminate,
}

/// A verdict with its reason in a line (`DS 2 → KSK 20326 alg 8, DNSKEY signed`,
/// `no DS (NSEC3 opt-out proof)`, the exact bogus reason), and the records it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub security: Security,
    pub reason: String,
    /// The DS that matched: key tag, algorithm, digest type.
    pub ds: Option<(u16, u8, u8)>,
    /// The key tags of the zone's DNSKEY RRset, when it was validated.
    pub keys: Vec<u16>,
    /// The signatures that validated (the DNSKEY RRset's, or the answer's).
    pub signatures: Vec<Signature>,
}

impl Verdict {
    pub(crate) fn new(security: Security, reason: impl Into<String>) -> Self {
        Verdict {
            security,
            reason: reason.into(),
            ds: None,
            keys: Vec::new(),
            signatures: Vec::new(),
        }
    }
}

/// A zone cut judged: its verdict, and the zone's keys when it is secure (for the
/// signatures below it).
#[derive(Debug, Clone)]
pub(crate) struct Cut {
    pub verdict: Verdict,
    pub keys: Option<Vec<DNSKEY>>,
}

/// What the parent side says of a cut.
pub(crate) enum Parent<'a> {
    /// Trust anchors for the zone (the root, or a private one).
    Anchors(&'a [DS]),
    /// The parent zone, secure with `keys`, and the authority section of its referral
    /// (DS and its RRSIG, or NSEC/NSEC3 and theirs).
    Secure {
        zone: &'a Name,
        keys: &'a [DNSKEY],
        authority: &'a [Record],
    },
    /// The parent is insecure (or bogus): so is everything below it.
    NotSecure,
    /// The parent's security could not be established: nor can its children's.
    Unknown,
}

/// The child's DNSKEY RRset with its RRSIGs, `None` when it could not be fetched.
pub(crate) fn cut(child: &Name, parent: &Parent<'_>, dnskeys: Option<&[Record]>, clock: Clock) -> Cut {
    let insecure = |why: &str| Cut {
        verdict: Verdict::new(Security::Insecure, why),
        keys: None,
    };
    let bogus = |why: String| Cut {
        verdict: Verdict::new(Security::Bogus, why),
        keys: None,
    };
    let ds: Vec<DS> = match parent {
        Parent::NotSecure => return insecure("below a zone that is not secure"),
        Parent::Unknown => {
            return Cut {
                verdict: Verdict::new(Security::Indeterminate, "below a zone whose security is unknown"),
                keys: None,
            };
        }
        Parent::Anchors(anchors) => anchors.to_vec(),
        Parent::Secure {
            zone,
            keys,
            authority,
        } => {
            let ds_records: Vec<Record> = authority
                .iter()
                .filter(|r| r.record_type() == RecordType::DS && r.name == *child)
                .cloned()
                .collect();
            if ds_records.is_empty() {
                return match no_ds(child, zone, keys, authority, clock) {
                    Ok(why) => insecure(why),
                    Err(problem) => bogus(format!("no DS, and no valid proof of its absence: {problem}")),
                };
            }
            if let Err(problem) = verify::rrset(&ds_records, &sigs(authority, child), keys, zone, clock) {
                return bogus(format!("the DS RRset of {child} does not validate: {problem}"));
            }
            ds_records.iter().filter_map(keys::ds).collect()
        }
    };
    let Some(dnskeys) = dnskeys else {
        let why = if matches!(parent, Parent::Anchors(_)) {
            format!(
                "no DNSKEY RRset for {child}, whose trust anchor says it is signed (a private or unsigned root needs --trust-anchor)"
            )
        } else {
            "the DNSKEY RRset could not be fetched".to_owned()
        };
        return Cut {
            verdict: Verdict::new(Security::Indeterminate, why),
            keys: None,
        };
    };
    let key_records: Vec<Record> = dnskeys
        .iter()
        .filter(|r| r.record_type() == RecordType::DNSKEY && r.name == *child)
        .cloned()
        .collect();
    let key_sigs: Vec<RRSIG> = sigs(dnskeys, child)
        .into_iter()
        .filter(|s| s.input().type_covered == RecordType::DNSKEY)
        .collect();
    match verify::key_set(child, &ds, &key_records, &key_sigs, clock) {
        Ok(secure) => {
            let kind = if secure
                .keys
                .iter()
                .any(|k| k.calculate_key_tag().ok() == Some(secure.ds_tag) && k.secure_entry_point())
            {
                "KSK"
            } else {
                "key"
            };
            let note = secure
                .note
                .as_ref()
                .map_or_else(String::new, |n| format!("; {n}"));
            let mut verdict = Verdict::new(
                Security::Secure,
                format!(
                    "DS {} → {kind} {} alg {}, DNSKEY signed{note}",
                    secure.digest_type, secure.ds_tag, secure.algorithm
                ),
            );
            verdict.ds = Some((secure.ds_tag, secure.algorithm, secure.digest_type));
            verdict.keys = secure
                .keys
                .iter()
                .filter_map(|k| k.calculate_key_tag().ok())
                .collect();
            verdict.signatures = vec![secure.signature];
            Cut {
                verdict,
                keys: Some(secure.keys),
            }
        }
        Err(problem) if !problem.is_bogus() => insecure(&problem.to_string()),
        Err(problem) => bogus(problem.to_string()),
    }
}

fn sigs(records: &[Record], owner: &Name) -> Vec<RRSIG> {
    records
        .iter()
        .filter(|r| &r.name == owner)
        .filter_map(keys::rrsig)
        .collect()
}

/// The NSEC/NSEC3 records of `records` whose signatures validate with `keys`: only
/// those may prove anything.
fn validated_denials(
    zone: &Name,
    keys: &[DNSKEY],
    records: &[Record],
    clock: Clock,
) -> Result<Vec<Record>, Problem> {
    let mut valid = Vec::new();
    for record in records
        .iter()
        .filter(|r| matches!(r.record_type(), RecordType::NSEC | RecordType::NSEC3))
    {
        verify::rrset(
            std::slice::from_ref(record),
            &sigs(records, &record.name),
            keys,
            zone,
            clock,
        )?;
        valid.push(record.clone());
    }
    Ok(valid)
}

/// That the delegation to `child` has no DS, by the signed NSEC/NSEC3 records of
/// `authority` (validated with `zone`'s keys), in the words of a verdict.
pub(crate) fn no_ds(
    child: &Name,
    zone: &Name,
    keys: &[DNSKEY],
    authority: &[Record],
    clock: Clock,
) -> Result<&'static str, Problem> {
    let denials = validated_denials(zone, keys, authority, clock)?;
    Ok(match Chain::of(zone, &denials).no_ds(child)? {
        Proven::OptOut => "no DS (NSEC3 opt-out proof)",
        _ if denials.iter().any(|r| r.record_type() == RecordType::NSEC3) => "no DS (NSEC3 proof)",
        _ => "no DS (NSEC proof)",
    })
}

/// The sections of the final reply that matter: the answer, the authority (denial
/// proofs), and whether the rcode was NXDOMAIN.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sections<'a> {
    pub answer: &'a [Record],
    pub authority: &'a [Record],
    pub nxdomain: bool,
}

/// The final answer of `zone` for `qname`/`qtype`: every RRset of the answer section
/// validated with the zone's keys (a wildcard expansion with the proof that the name
/// itself does not exist), or, for an empty answer, the denial proof.
pub(crate) fn answer(
    zone: &Name,
    keys: Option<&[DNSKEY]>,
    reply: &Sections<'_>,
    qname: &Name,
    qtype: RecordType,
    clock: Clock,
) -> Verdict {
    let Sections {
        answer,
        authority,
        nxdomain,
    } = *reply;
    let Some(keys) = keys else {
        return Verdict::new(Security::Insecure, format!("{zone} is not secure"));
    };
    let mut sets: Vec<Vec<Record>> = Vec::new();
    for record in answer
        .iter()
        .filter(|r| r.record_type() != RecordType::RRSIG && zone.zone_of(&r.name))
    {
        match sets
            .iter_mut()
            .find(|s| s[0].name == record.name && s[0].record_type() == record.record_type())
        {
            Some(set) => set.push(record.clone()),
            None => sets.push(vec![record.clone()]),
        }
    }
    if sets.is_empty() {
        let denials = match validated_denials(zone, keys, authority, clock) {
            Ok(d) => d,
            Err(problem) => {
                return Verdict::new(
                    Security::Bogus,
                    format!("the denial does not validate: {problem}"),
                );
            }
        };
        let chain = Chain::of(zone, &denials);
        let proof = if nxdomain {
            chain.nxdomain(qname)
        } else {
            chain.nodata(qname, qtype)
        };
        return match proof {
            Ok(Proven::NxDomain) => Verdict::new(Security::Secure, "NXDOMAIN proved"),
            Ok(_) => Verdict::new(Security::Secure, format!("no {qtype} record, proved")),
            Err(problem) => Verdict::new(Security::Bogus, problem.to_string()),
        };
    }
    let mut tags = Vec::new();
    // A CNAME synthesized from a DNAME of the answer is not signed (RFC 6672 §5.3.3):
    // the DNAME's own signature covers it.
    let dnames: Vec<Name> = sets
        .iter()
        .filter(|s| s[0].record_type() == RecordType::DNAME)
        .map(|s| s[0].name.clone())
        .collect();
    for set in &sets {
        let owner = &set[0].name;
        let own_sigs = sigs(answer, owner);
        let synthesized = set[0].record_type() == RecordType::CNAME
            && own_sigs.is_empty()
            && dnames.iter().any(|d| d != owner && d.zone_of(owner));
        if synthesized {
            continue;
        }
        match verify::rrset(set, &own_sigs, keys, zone, clock) {
            Ok(tag) => tags.push(tag),
            Err(problem) => {
                return Verdict::new(
                    Security::Bogus,
                    format!("{owner} {}: {problem}", set[0].record_type()),
                );
            }
        }
        // A signature over fewer labels than the owner: a wildcard answered, so the
        // name itself must be proved absent (RFC 4035 §5.3.4).
        let expanded = own_sigs
            .iter()
            .filter(|s| s.input().type_covered == set[0].record_type())
            .all(|s| s.input().num_labels < owner.num_labels());
        if expanded {
            let proof = validated_denials(zone, keys, authority, clock)
                .and_then(|denials| Chain::of(zone, &denials).no_exact_match(owner));
            if let Err(problem) = proof {
                return Verdict::new(
                    Security::Bogus,
                    format!("wildcard answer without its proof: {problem}"),
                );
            }
        }
    }
    let mut keys: Vec<u16> = tags.iter().map(|s| s.key_tag).collect();
    keys.sort_unstable();
    keys.dedup();
    let shown: Vec<String> = keys.iter().map(u16::to_string).collect();
    let mut verdict = Verdict::new(Security::Secure, format!("signed by key {}", shown.join(", ")));
    verdict.signatures = tags;
    verdict
}
