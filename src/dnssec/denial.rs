//! Proofs of non-existence (RFC 4035 §5.4 for NSEC, RFC 5155 §8 for NSEC3): that a
//! name does not exist, that it has no record of a type, that a delegation has no DS
//! (an insecure delegation, by NSEC, NSEC3 or NSEC3 opt-out), and that the name a
//! wildcard answered does not exist itself. The NSEC and NSEC3 records given must
//! already have had their signatures checked.

use std::cmp::Ordering;

use hickory_proto::dnssec::Nsec3HashAlgorithm;
use hickory_proto::dnssec::rdata::DNSSECRData;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::keys;
use super::verify::Problem;

/// What a denial proved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proven {
    NxDomain,
    NoData,
    /// The delegation has no DS: its child zone is unsigned (insecure).
    NoDs,
    /// An NSEC3 opt-out span covers the delegation: it may be unsigned (insecure).
    OptOut,
    /// The name itself does not exist (so a wildcard could answer for it).
    NoExactMatch,
}

struct Nsec {
    owner: Name,
    next: Name,
    types: Vec<RecordType>,
}

struct Nsec3 {
    owner: Vec<u8>,
    next: Vec<u8>,
    types: Vec<RecordType>,
    opt_out: bool,
    algorithm: Nsec3HashAlgorithm,
    salt: Vec<u8>,
    iterations: u16,
}

/// The NSEC or NSEC3 records of one zone in a reply.
pub(crate) struct Chain {
    zone: Name,
    nsec: Vec<Nsec>,
    nsec3: Vec<Nsec3>,
}

impl Chain {
    pub(crate) fn of(zone: &Name, records: &[Record]) -> Chain {
        let mut chain = Chain {
            zone: zone.to_lowercase(),
            nsec: Vec::new(),
            nsec3: Vec::new(),
        };
        for record in records.iter().filter(|r| zone.zone_of(&r.name)) {
            match keys::typed(record) {
                Some(RData::DNSSEC(DNSSECRData::NSEC(nsec))) => chain.nsec.push(Nsec {
                    owner: record.name.to_lowercase(),
                    next: nsec.next_domain_name().to_lowercase(),
                    types: nsec.type_bit_maps().collect(),
                }),
                Some(RData::DNSSEC(DNSSECRData::NSEC3(nsec3))) => {
                    let Some(owner) = record.name.iter().next().and_then(base32hex) else {
                        continue;
                    };
                    chain.nsec3.push(Nsec3 {
                        owner,
                        next: nsec3.next_hashed_owner_name().to_vec(),
                        types: nsec3.type_bit_maps().collect(),
                        opt_out: nsec3.opt_out(),
                        algorithm: nsec3.hash_algorithm(),
                        salt: nsec3.salt().to_vec(),
                        iterations: nsec3.iterations(),
                    });
                }
                _ => {}
            }
        }
        chain
    }

    /// That `qname` does not exist, nor a wildcard that could answer for it.
    pub(crate) fn nxdomain(&self, qname: &Name) -> Result<Proven, Problem> {
        let qname = qname.to_lowercase();
        if !self.nsec3.is_empty() {
            let (encloser, _) = self.closest_encloser(&qname)?;
            let wildcard = wildcard_at(&encloser)?;
            self.nsec3_covering(&wildcard)
                .map(|_| Proven::NxDomain)
                .ok_or_else(|| no_proof(format!("no NSEC3 proves that {wildcard} does not exist")))
        } else {
            let covering = self
                .nsec_covering(&qname)
                .ok_or_else(|| no_proof(format!("no NSEC proves that {qname} does not exist")))?;
            // The closest encloser is the deepest ancestor shared with either end.
            let encloser = deeper(common(&qname, &covering.owner), common(&qname, &covering.next));
            let wildcard = wildcard_at(&encloser)?;
            if self.nsec_matching(&wildcard).is_some() {
                return Err(no_proof(format!(
                    "{wildcard} exists: it would answer for {qname}"
                )));
            }
            self.nsec_covering(&wildcard)
                .map(|_| Proven::NxDomain)
                .ok_or_else(|| no_proof(format!("no NSEC proves that {wildcard} does not exist")))
        }
    }

    /// That `qname` exists without a record of `qtype` (nor a CNAME).
    pub(crate) fn nodata(&self, qname: &Name, qtype: RecordType) -> Result<Proven, Problem> {
        let qname = qname.to_lowercase();
        let types = if self.nsec3.is_empty() {
            self.nsec_matching(&qname).map(|n| &n.types)
        } else {
            self.nsec3_matching(&qname).map(|n| &n.types)
        }
        .ok_or_else(|| no_proof(format!("no NSEC or NSEC3 at {qname} proves it has no {qtype}")))?;
        for listed in [qtype, RecordType::CNAME] {
            if types.contains(&listed) {
                return Err(no_proof(format!("the NSEC record at {qname} lists {listed}")));
            }
        }
        Ok(Proven::NoData)
    }

    /// That the delegation to `child` has no DS.
    pub(crate) fn no_ds(&self, child: &Name) -> Result<Proven, Problem> {
        let child = child.to_lowercase();
        let delegation = |types: &[RecordType]| {
            types.contains(&RecordType::NS)
                && !types.contains(&RecordType::DS)
                && !types.contains(&RecordType::SOA)
        };
        if self.nsec3.is_empty() {
            return match self.nsec_matching(&child) {
                Some(nsec) if delegation(&nsec.types) => Ok(Proven::NoDs),
                Some(_) => Err(no_proof(format!(
                    "the NSEC record at {child} does not show a delegation without DS"
                ))),
                None => Err(no_proof(format!("no NSEC at {child} proves it has no DS"))),
            };
        }
        if let Some(nsec3) = self.nsec3_matching(&child) {
            return if delegation(&nsec3.types) {
                Ok(Proven::NoDs)
            } else {
                Err(no_proof(format!(
                    "the NSEC3 record for {child} does not show a delegation without DS"
                )))
            };
        }
        // Opt-out: the next closer name lies in a span that may hold unsigned delegations.
        let (_, next_closer) = self.closest_encloser(&child)?;
        match self.nsec3_covering(&next_closer) {
            Some(nsec3) if nsec3.opt_out => Ok(Proven::OptOut),
            _ => Err(no_proof(format!("no opt-out NSEC3 covers {next_closer}"))),
        }
    }

    /// That `qname` itself does not exist: what a wildcard answer must come with
    /// (RFC 4035 §5.3.4, RFC 5155 §8.8).
    pub(crate) fn no_exact_match(&self, qname: &Name) -> Result<Proven, Problem> {
        let qname = qname.to_lowercase();
        let covered = if self.nsec3.is_empty() {
            self.nsec_covering(&qname).is_some()
        } else {
            self.closest_encloser(&qname)
                .is_ok_and(|(_, next_closer)| self.nsec3_covering(&next_closer).is_some())
        };
        if covered {
            Ok(Proven::NoExactMatch)
        } else {
            Err(no_proof(format!(
                "no proof that {qname} does not exist, for the wildcard that answered"
            )))
        }
    }

    fn nsec_matching(&self, name: &Name) -> Option<&Nsec> {
        self.nsec.iter().find(|n| &n.owner == name)
    }

    /// An NSEC whose span holds `name` (the last one wraps to the apex), and that is not
    /// a delegation above it (RFC 6840 §4.1).
    fn nsec_covering(&self, name: &Name) -> Option<&Nsec> {
        self.nsec.iter().find(|n| {
            let inside = match n.owner.cmp(&n.next) {
                Ordering::Less => &n.owner < name && name < &n.next,
                _ => &n.owner < name || name < &n.next,
            };
            let delegation_above = n.owner.zone_of(name)
                && n.types.contains(&RecordType::NS)
                && !n.types.contains(&RecordType::SOA);
            inside && !delegation_above
        })
    }

    fn hash(&self, name: &Name) -> Option<Vec<u8>> {
        let first = self.nsec3.first()?;
        first
            .algorithm
            .hash(&first.salt, name, first.iterations)
            .ok()
            .map(|d| d.as_ref().to_vec())
    }

    fn nsec3_matching(&self, name: &Name) -> Option<&Nsec3> {
        let hash = self.hash(name)?;
        self.nsec3.iter().find(|n| n.owner == hash)
    }

    fn nsec3_covering(&self, name: &Name) -> Option<&Nsec3> {
        let hash = self.hash(name)?;
        self.nsec3.iter().find(|n| match n.owner.cmp(&n.next) {
            Ordering::Less => n.owner < hash && hash < n.next,
            _ => n.owner < hash || hash < n.next,
        })
    }

    /// The closest encloser of `name` and the next closer name (RFC 5155 §8.3): the
    /// deepest ancestor with a matching NSEC3, and the name one label below it, which
    /// must be covered.
    fn closest_encloser(&self, name: &Name) -> Result<(Name, Name), Problem> {
        let mut next_closer = name.clone();
        let mut candidate = name.base_name();
        while self.zone.zone_of(&candidate) {
            if self.nsec3_matching(&candidate).is_some() {
                return if self.nsec3_covering(&next_closer).is_some() {
                    Ok((candidate, next_closer))
                } else {
                    Err(no_proof(format!(
                        "no NSEC3 covers the next closer name {next_closer}"
                    )))
                };
            }
            if candidate.is_root() {
                break;
            }
            next_closer = candidate.clone();
            candidate = candidate.base_name();
        }
        Err(no_proof(format!("no NSEC3 proves a closest encloser of {name}")))
    }
}

fn no_proof(message: String) -> Problem {
    Problem::NoProof(message)
}

fn wildcard_at(encloser: &Name) -> Result<Name, Problem> {
    encloser
        .prepend_label("*")
        .map_err(|_| no_proof(format!("no wildcard name fits under {encloser}")))
}

/// The longest common ancestor of two names.
fn common(a: &Name, b: &Name) -> Name {
    let mut name = a.clone();
    while !name.zone_of(b) && !name.is_root() {
        name = name.base_name();
    }
    name
}

fn deeper(a: Name, b: Name) -> Name {
    if a.num_labels() >= b.num_labels() { a } else { b }
}

/// Decodes an NSEC3 owner label (base32hex, RFC 4648 §7, no padding).
fn base32hex(label: &[u8]) -> Option<Vec<u8>> {
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for &c in label {
        let value = match c.to_ascii_uppercase() {
            d @ b'0'..=b'9' => d - b'0',
            l @ b'A'..=b'V' => l - b'A' + 10,
            _ => return None,
        };
        bits = (bits << 5) | u64::from(value);
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).ok()?);
        }
    }
    Some(out)
}
