//! The validator's core against zones signed by BIND's dnssec-signzone (an independent
//! signer; `tests/fixtures/dnssec/make.sh`), one per algorithm, with mixed-case names
//! in RDATA and a wildcard. The records go through dnscope's own decoder first, as the
//! trace will give them.

use std::collections::BTreeMap;

use hickory_proto::dnssec::rdata::{DNSKEY, DS, RRSIG};
use hickory_proto::dnssec::{Algorithm, DigestType, PublicKey, PublicKeyBuf, TrustAnchors, Verifier};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::anchors;
use super::fixtures;
use super::keys;
use super::verify::{self, Clock, Problem};

/// 2030-01-01, inside the fixtures' validity window (2026 to 2036).
use fixtures::IN_WINDOW;

fn clock(now: u32) -> Clock {
    Clock {
        now,
        skew: Clock::SKEW,
    }
}

struct Zone {
    name: Name,
    records: Vec<Record>,
    ds: Vec<DS>,
}

fn zones() -> Vec<Zone> {
    fixtures::ZONES
        .iter()
        .map(|(origin, signed, ds)| Zone {
            name: Name::from_ascii(origin).unwrap(),
            records: fixtures::decoded(signed),
            ds: fixtures::ds_of(ds),
        })
        .collect()
}

impl Zone {
    /// Every RRset but the RRSIGs, by owner and type.
    fn rrsets(&self) -> BTreeMap<(Name, RecordType), Vec<Record>> {
        let mut sets: BTreeMap<(Name, RecordType), Vec<Record>> = BTreeMap::new();
        for r in self
            .records
            .iter()
            .filter(|r| r.record_type() != RecordType::RRSIG)
        {
            sets.entry((r.name.clone(), r.record_type()))
                .or_default()
                .push(r.clone());
        }
        sets
    }

    fn sigs(&self, owner: &Name) -> Vec<RRSIG> {
        self.records
            .iter()
            .filter(|r| &r.name == owner)
            .filter_map(keys::rrsig)
            .collect()
    }

    fn dnskey_records(&self) -> Vec<Record> {
        self.records
            .iter()
            .filter(|r| r.record_type() == RecordType::DNSKEY)
            .cloned()
            .collect()
    }

    fn dnskey_sigs(&self) -> Vec<RRSIG> {
        self.sigs(&self.name)
            .into_iter()
            .filter(|s| s.input().type_covered == RecordType::DNSKEY)
            .collect()
    }

    /// The zone's key set judged under `ds` instead of its own DS file.
    fn keys_under(&self, ds: &[DS]) -> Result<verify::SecureKeys, Problem> {
        verify::key_set(
            &self.name,
            ds,
            &self.dnskey_records(),
            &self.dnskey_sigs(),
            clock(IN_WINDOW),
        )
    }

    fn keys(&self, now: u32) -> Result<verify::SecureKeys, Problem> {
        verify::key_set(
            &self.name,
            &self.ds,
            &self.dnskey_records(),
            &self.dnskey_sigs(),
            clock(now),
        )
    }
}

#[test]
fn every_rrset_of_every_algorithm_validates_from_its_ds() {
    for zone in zones() {
        assert!(
            matches!(zone.records[0].data, RData::SOA(_)),
            "decoded as the trace decodes"
        );
        let secure = zone
            .keys(IN_WINDOW)
            .unwrap_or_else(|p| panic!("{}: {p}", zone.name));
        assert_eq!(secure.digest_type, 2);
        let sets = zone.rrsets();
        // The delegations' NS sets and glue are the child's, unsigned in the parent.
        let mut unsigned: Vec<String> = sets
            .keys()
            .filter(|(owner, rtype)| !zone.sigs(owner).iter().any(|s| s.input().type_covered == *rtype))
            .map(|(owner, rtype)| format!("{owner} {rtype}"))
            .collect();
        let z = zone.name.to_ascii();
        unsigned.sort();
        assert_eq!(
            unsigned,
            [
                format!("ns.secure.{z} A"),
                format!("ns.sub.{z} A"),
                format!("secure.{z} NS"),
                format!("sub.{z} NS")
            ],
            "{z}"
        );
        for ((owner, rtype), set) in sets
            .iter()
            .filter(|(k, _)| !unsigned.contains(&format!("{} {}", k.0, k.1)))
        {
            // Servers send an RRset in any order; the signed data is in canonical order.
            let mut reversed = set.clone();
            reversed.reverse();
            let tag = verify::rrset(
                &reversed,
                &zone.sigs(owner),
                &secure.keys,
                &zone.name,
                clock(IN_WINDOW),
            );
            assert!(
                tag.is_ok(),
                "{} {owner} {rtype} reversed: {}",
                zone.name,
                tag.unwrap_err()
            );
            let tag = verify::rrset(set, &zone.sigs(owner), &secure.keys, &zone.name, clock(IN_WINDOW));
            assert!(tag.is_ok(), "{} {owner} {rtype}: {}", zone.name, tag.unwrap_err());
        }
    }
}

#[test]
fn a_wildcard_expansion_validates_under_its_own_name_and_case_does_not_matter() {
    for zone in zones() {
        let secure = zone.keys(IN_WINDOW).unwrap();
        let wildcard = Name::from_ascii("*.wild")
            .unwrap()
            .append_domain(&zone.name)
            .unwrap();
        let sigs = zone.sigs(&wildcard);
        let mut expanded: Vec<Record> = zone.rrsets()[&(wildcard, RecordType::TXT)].clone();
        let asked = Name::from_ascii("Some.Deep.WILD")
            .unwrap()
            .append_domain(&zone.name)
            .unwrap();
        for r in &mut expanded {
            r.name = asked.clone();
        }
        assert!(
            verify::rrset(&expanded, &sigs, &secure.keys, &zone.name, clock(IN_WINDOW)).is_ok(),
            "{}",
            zone.name
        );
        // The owner and the names in RDATA in upper case sign the same canonical data.
        let mx_owner = zone.name.clone();
        let mut shouting = zone.rrsets()[&(mx_owner.clone(), RecordType::MX)].clone();
        for r in &mut shouting {
            r.name = Name::from_ascii(r.name.to_ascii().to_uppercase()).unwrap();
        }
        assert!(
            verify::rrset(
                &shouting,
                &zone.sigs(&mx_owner),
                &secure.keys,
                &zone.name,
                clock(IN_WINDOW)
            )
            .is_ok()
        );
    }
}

#[test]
fn each_way_of_being_bogus_says_why() {
    let zone = &zones()[1];
    let secure = zone.keys(IN_WINDOW).unwrap();
    let www = Name::from_ascii("www")
        .unwrap()
        .append_domain(&zone.name)
        .unwrap();
    let set = zone.rrsets()[&(www.clone(), RecordType::A)].clone();
    let sigs = zone.sigs(&www);
    let at = |now| verify::rrset(&set, &sigs, &secure.keys, &zone.name, clock(now));
    // 2037 and 2025: past the expiration, before the inception.
    assert!(
        matches!(at(2_114_380_800), Err(Problem::Expired { .. })),
        "{:?}",
        at(2_114_380_800)
    );
    assert!(matches!(at(1_735_689_600), Err(Problem::NotYetValid { .. })));
    assert_eq!(
        at(2_114_380_800).unwrap_err().to_string(),
        "signature expired at 2036-01-01T00:00:00Z"
    );
    // Within the skew of the edges it still holds.
    assert!(
        at(1_767_225_600 - 200).is_ok(),
        "inception 2026-01-01, 200 s early"
    );
    // A tampered answer.
    let mut tampered = set.clone();
    tampered[0].data = RData::A("192.0.2.66".parse().unwrap());
    let bad = verify::rrset(&tampered, &sigs, &secure.keys, &zone.name, clock(IN_WINDOW));
    assert!(matches!(bad, Err(Problem::BadSignature { .. })), "{bad:?}");
    // No RRSIG at all.
    assert_eq!(
        verify::rrset(&set, &[], &secure.keys, &zone.name, clock(IN_WINDOW)),
        Err(Problem::Missing)
    );
    // Checked as a record of another zone: the signer is not that zone.
    let other = Name::from_ascii("test.").unwrap();
    assert!(matches!(
        verify::rrset(&set, &sigs, &secure.keys, &other, clock(IN_WINDOW)),
        Err(Problem::SignerNotZone { .. })
    ));
    // Keys the DS does not name: a DS for another key matches nothing.
    let mut wrong_ds = zone.ds.clone();
    wrong_ds[0] = DS::new(
        wrong_ds[0].key_tag(),
        wrong_ds[0].algorithm(),
        DigestType::SHA256,
        vec![0; 32],
    );
    let problem = verify::key_set(
        &zone.name,
        &wrong_ds,
        &zone.dnskey_records(),
        &zone.dnskey_sigs(),
        clock(IN_WINDOW),
    );
    assert!(matches!(problem, Err(Problem::NoKeyForDs { .. })), "{problem:?}");
    // The DNSKEY RRset signed only by the ZSK, which the DS does not name.
    let zsk_only: Vec<RRSIG> = zone
        .dnskey_sigs()
        .into_iter()
        .filter(|s| s.input().key_tag != zone.ds[0].key_tag())
        .collect();
    let problem = verify::key_set(
        &zone.name,
        &zone.ds,
        &zone.dnskey_records(),
        &zsk_only,
        clock(IN_WINDOW),
    );
    assert!(
        matches!(&problem, Err(Problem::KeySetNotSigned { key_tags, .. }) if key_tags == &[zone.ds[0].key_tag()]),
        "{problem:?}"
    );
    assert!(
        problem
            .unwrap_err()
            .to_string()
            .starts_with("DNSKEY RRset not signed by a key the DS names")
    );
    // A DS of an algorithm this validator does not verify: insecure, not bogus.
    let sha1 = vec![DS::new(1, Algorithm::from_u8(7), DigestType::SHA256, vec![0; 32])];
    let unsupported = verify::key_set(
        &zone.name,
        &sha1,
        &zone.dnskey_records(),
        &zone.dnskey_sigs(),
        clock(IN_WINDOW),
    );
    assert_eq!(unsupported.clone().unwrap_err(), Problem::Unsupported(7));
    assert!(!unsupported.unwrap_err().is_bogus());
}

#[test]
fn the_embedded_root_anchors_are_the_root_ksks() {
    // hickory-proto ships the root KSKs' public keys: the embedded DS digests must be
    // theirs, so a typo in a digest cannot pass unnoticed.
    let shipped = TrustAnchors::default();
    let mut from_keys = Vec::new();
    for i in 0..shipped.len() {
        let key = shipped.get(i).unwrap();
        let dnskey = DNSKEY::with_flags(
            257,
            PublicKeyBuf::new(key.public_bytes().to_vec(), Algorithm::RSASHA256),
        );
        let digest = dnskey.to_digest(&Name::root(), DigestType::SHA256).unwrap();
        from_keys.push((dnskey.calculate_key_tag().unwrap(), digest.as_ref().to_vec()));
    }
    from_keys.sort();
    let mut embedded: Vec<(u16, Vec<u8>)> = anchors::root()
        .iter()
        .map(|ds| (ds.key_tag(), ds.digest().to_vec()))
        .collect();
    embedded.sort();
    assert_eq!(embedded, from_keys);
    assert_eq!(
        embedded.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        [20326, 38696]
    );
}

fn named(zone: &Zone, relative: &str) -> Name {
    Name::from_ascii(relative)
        .unwrap()
        .append_domain(&zone.name)
        .unwrap()
}

#[test]
fn denials_by_nsec_and_nsec3_prove_what_they_prove_and_nothing_more() {
    use super::denial::{Chain, Proven};
    for zone in zones() {
        let chain = Chain::of(&zone.name, &zone.records);
        let z = zone.name.to_ascii();
        let optout = z == "optout.test.";
        // A name that does not exist, and one that does.
        assert_eq!(chain.nxdomain(&named(&zone, "nope")), Ok(Proven::NxDomain), "{z}");
        assert_eq!(
            chain.nxdomain(&named(&zone, "zzz.deep")),
            Ok(Proven::NxDomain),
            "{z}"
        );
        assert!(chain.nxdomain(&named(&zone, "www")).is_err(), "{z}: www exists");
        // Under *.wild a wildcard answers: not an NXDOMAIN, but the exact name is absent.
        assert!(chain.nxdomain(&named(&zone, "x.wild")).is_err(), "{z}");
        assert_eq!(
            chain.no_exact_match(&named(&zone, "x.wild")),
            Ok(Proven::NoExactMatch),
            "{z}"
        );
        assert!(chain.no_exact_match(&named(&zone, "www")).is_err(), "{z}");
        // NODATA: www has A, not TXT; alias is a CNAME, so nothing is denied there.
        assert_eq!(
            chain.nodata(&named(&zone, "www"), RecordType::TXT),
            Ok(Proven::NoData),
            "{z}"
        );
        assert!(chain.nodata(&named(&zone, "www"), RecordType::A).is_err(), "{z}");
        assert!(
            chain.nodata(&named(&zone, "alias"), RecordType::A).is_err(),
            "{z}"
        );
        // The unsigned delegation has no DS (opt-out leaves it out of the chain); the
        // signed one has one.
        let expected = if optout { Proven::OptOut } else { Proven::NoDs };
        assert_eq!(chain.no_ds(&named(&zone, "sub")), Ok(expected), "{z}");
        assert!(chain.no_ds(&named(&zone, "secure")).is_err(), "{z}");
        assert!(
            chain.no_ds(&named(&zone, "www")).is_err(),
            "{z}: not a delegation"
        );
        // A name in no chain: only an opt-out span lets it be an unsigned delegation.
        let nowhere = chain.no_ds(&named(&zone, "nosuch"));
        if optout {
            assert_eq!(nowhere, Ok(Proven::OptOut));
        } else {
            assert!(nowhere.is_err(), "{z}");
        }
        // Nothing proves anything below a delegation (RFC 6840 §4.1).
        if z.starts_with("alg") {
            assert!(chain.nxdomain(&named(&zone, "a.sub")).is_err(), "{z}");
        }
    }
    // Without the records, nothing is proved, and the reason says what is missing.
    let empty = Chain::of(&Name::from_ascii("alg13.test.").unwrap(), &[]);
    let missing = empty
        .nxdomain(&Name::from_ascii("nope.alg13.test.").unwrap())
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "no NSEC proves that nope.alg13.test. does not exist"
    );
}

/// The records of `zone` at `owner` of the given types.
fn at(zone: &Zone, owner: &Name, types: &[RecordType]) -> Vec<Record> {
    zone.records
        .iter()
        .filter(|r| &r.name == owner && types.contains(&r.record_type()))
        .cloned()
        .collect()
}

/// Every NSEC and NSEC3 of the zone with its RRSIGs: more than a server sends, which
/// must not prove more than it should.
fn denials(zone: &Zone) -> Vec<Record> {
    let owners: Vec<Name> = zone
        .records
        .iter()
        .filter(|r| matches!(r.record_type(), RecordType::NSEC | RecordType::NSEC3))
        .map(|r| r.name.clone())
        .collect();
    zone.records
        .iter()
        .filter(|r| {
            owners.contains(&r.name)
                && match r.record_type() {
                    RecordType::NSEC | RecordType::NSEC3 => true,
                    RecordType::RRSIG => keys::rrsig(r).is_some_and(|s| {
                        matches!(s.input().type_covered, RecordType::NSEC | RecordType::NSEC3)
                    }),
                    _ => false,
                }
        })
        .cloned()
        .collect()
}

#[test]
fn each_cut_gets_its_verdict_and_its_reason() {
    use super::judge::{Parent, Security, cut};
    let zones = zones();
    for zone in &zones[1..] {
        let z = zone.name.to_ascii();
        let dnskeys = at(zone, &zone.name, &[RecordType::DNSKEY, RecordType::RRSIG]);
        let top = cut(
            &zone.name,
            &Parent::Anchors(&zone.ds),
            Some(&dnskeys),
            clock(IN_WINDOW),
        );
        assert_eq!(
            top.verdict.security,
            Security::Secure,
            "{z}: {}",
            top.verdict.reason
        );
        assert_eq!(
            top.verdict.reason,
            format!(
                "DS 2 → KSK {} alg {}, DNSKEY signed",
                zone.ds[0].key_tag(),
                u8::from(zone.ds[0].algorithm())
            )
        );
        let keys = top.keys.unwrap();
        let parent = |authority| Parent::Secure {
            zone: &zone.name,
            keys: &keys,
            authority,
        };
        // sub: unsigned, proved by NSEC, NSEC3 or an opt-out span.
        let sub = named(zone, "sub");
        let proof = denials(zone);
        let insecure = cut(&sub, &parent(&proof), None, clock(IN_WINDOW)).verdict;
        let expected = match z.as_str() {
            "nsec3.test." => "no DS (NSEC3 proof)",
            "optout.test." => "no DS (NSEC3 opt-out proof)",
            _ => "no DS (NSEC proof)",
        };
        assert_eq!(
            (insecure.security, insecure.reason.as_str()),
            (Security::Insecure, expected),
            "{z}"
        );
        let unproved = cut(&sub, &parent(&[]), None, clock(IN_WINDOW)).verdict;
        assert_eq!(
            unproved.security,
            Security::Bogus,
            "{z}: a missing DS needs its proof"
        );
        assert!(
            unproved
                .reason
                .starts_with("no DS, and no valid proof of its absence: "),
            "{}",
            unproved.reason
        );
        // secure: its DS validates; the child's keys decide.
        let secure = named(zone, "secure");
        let ds = at(zone, &secure, &[RecordType::DS, RecordType::RRSIG]);
        let pending = cut(&secure, &parent(&ds), None, clock(IN_WINDOW)).verdict;
        assert_eq!(pending.security, Security::Indeterminate, "{z}");
        // The fixture's DS digest (all zeros) matches no key at all.
        let mut strangers = at(
            &zones[0],
            &zones[0].name,
            &[RecordType::DNSKEY, RecordType::RRSIG],
        );
        for r in &mut strangers {
            r.name = secure.clone();
        }
        let mismatch = cut(&secure, &parent(&ds), Some(&strangers), clock(IN_WINDOW)).verdict;
        assert_eq!(
            (mismatch.security, mismatch.reason.as_str()),
            (Security::Bogus, "no DNSKEY matches the DS (key tag 12345)"),
            "{z}"
        );
        // A DS that is not the one signed.
        let mut forged = ds.clone();
        let at_ds = forged
            .iter()
            .position(|r| r.record_type() == RecordType::DS)
            .unwrap();
        forged[at_ds] = Record::from_rdata(
            secure.clone(),
            forged[at_ds].ttl,
            RData::DNSSEC(hickory_proto::dnssec::rdata::DNSSECRData::DS(DS::new(
                54321,
                Algorithm::ECDSAP256SHA256,
                DigestType::SHA256,
                vec![1; 32],
            ))),
        );
        let tampered = cut(&secure, &parent(&forged), Some(&strangers), clock(IN_WINDOW)).verdict;
        assert_eq!(tampered.security, Security::Bogus);
        assert!(
            tampered.reason.starts_with(&format!(
                "the DS RRset of secure.{z} does not validate: signature by key"
            )),
            "{}",
            tampered.reason
        );
    }
    let below = cut(
        &Name::from_ascii("x.test.").unwrap(),
        &Parent::NotSecure,
        None,
        clock(IN_WINDOW),
    );
    assert_eq!(below.verdict.security, Security::Insecure);
}

#[test]
fn answers_and_denials_get_their_verdict() {
    use super::judge::{Sections, Security, answer};
    for zone in zones() {
        let z = zone.name.to_ascii();
        let dnskeys = at(&zone, &zone.name, &[RecordType::DNSKEY, RecordType::RRSIG]);
        let keys = zone.keys(IN_WINDOW).unwrap().keys;
        assert!(!dnskeys.is_empty());
        let judge = |records: &[Record], authority: &[Record], qname: &Name, qtype, nxdomain| {
            let reply = Sections {
                answer: records,
                authority,
                nxdomain,
            };
            answer(&zone.name, Some(&keys), &reply, qname, qtype, clock(IN_WINDOW))
        };
        let www = named(&zone, "www");
        let a = at(&zone, &www, &[RecordType::A, RecordType::RRSIG])
            .into_iter()
            .filter(|r| {
                r.record_type() == RecordType::A
                    || keys::rrsig(r).is_some_and(|s| s.input().type_covered == RecordType::A)
            })
            .collect::<Vec<_>>();
        assert_eq!(
            judge(&a, &[], &www, RecordType::A, false).security,
            Security::Secure,
            "{z}"
        );
        let mut tampered = a.clone();
        tampered[0].data = RData::A("192.0.2.66".parse().unwrap());
        let bogus = judge(&tampered, &[], &www, RecordType::A, false);
        assert_eq!(bogus.security, Security::Bogus);
        assert!(
            bogus.reason.starts_with(&format!("www.{z} A: signature by key")),
            "{}",
            bogus.reason
        );
        // A wildcard answer needs the proof that the name asked does not exist.
        let asked = named(&zone, "x.wild");
        let mut expanded = at(
            &zone,
            &named(&zone, "*.wild"),
            &[RecordType::TXT, RecordType::RRSIG],
        )
        .into_iter()
        .filter(|r| {
            r.record_type() == RecordType::TXT
                || keys::rrsig(r).is_some_and(|s| s.input().type_covered == RecordType::TXT)
        })
        .collect::<Vec<_>>();
        for r in &mut expanded {
            r.name = asked.clone();
        }
        let proof = denials(&zone);
        assert_eq!(
            judge(&expanded, &proof, &asked, RecordType::TXT, false).security,
            Security::Secure,
            "{z}"
        );
        let unproved = judge(&expanded, &[], &asked, RecordType::TXT, false);
        assert_eq!(unproved.security, Security::Bogus, "{z}");
        assert!(
            unproved.reason.starts_with("wildcard answer without its proof: "),
            "{}",
            unproved.reason
        );
        // Denials.
        let nope = named(&zone, "nope");
        let nx = judge(&[], &proof, &nope, RecordType::A, true);
        assert_eq!(
            (nx.security, nx.reason.as_str()),
            (Security::Secure, "NXDOMAIN proved"),
            "{z}"
        );
        assert_eq!(
            judge(&[], &proof, &www, RecordType::A, true).security,
            Security::Bogus,
            "{z}: www exists"
        );
        assert_eq!(
            judge(&[], &proof, &www, RecordType::TXT, false).security,
            Security::Secure,
            "{z}"
        );
        assert_eq!(
            judge(&[], &[], &nope, RecordType::A, true).security,
            Security::Bogus,
            "{z}: no proof"
        );
        // A forged NSEC proves nothing.
        let mut forged = proof.clone();
        if let Some(first) = forged
            .iter_mut()
            .find(|r| matches!(r.record_type(), RecordType::NSEC | RecordType::NSEC3))
        {
            first.ttl = first.ttl.wrapping_add(0);
            first.name = named(&zone, "forged");
        }
        assert_eq!(
            judge(&[], &forged, &nope, RecordType::A, true).security,
            Security::Bogus,
            "{z}"
        );
    }
    let insecure = answer(
        &Name::from_ascii("x.test.").unwrap(),
        None,
        &Sections {
            answer: &[],
            authority: &[],
            nxdomain: false,
        },
        &Name::from_ascii("a.x.test.").unwrap(),
        RecordType::A,
        clock(IN_WINDOW),
    );
    assert_eq!(insecure.security, Security::Insecure);
}

#[test]
fn during_a_ksk_rollover_either_ksk_is_a_way_in() {
    let (records, ds) = fixtures::zone("rollover.test.");
    let zone = Zone {
        name: Name::from_ascii("rollover.test.").unwrap(),
        records,
        ds,
    };
    assert!(zone.keys(IN_WINDOW).is_ok(), "the published DS names the new KSK");
    let ksks: Vec<DNSKEY> = zone
        .dnskey_records()
        .iter()
        .filter_map(keys::dnskey)
        .filter(DNSKEY::secure_entry_point)
        .collect();
    assert_eq!(ksks.len(), 2);
    for ksk in &ksks {
        let secure = zone.keys_under(&[ds_for(ksk, &zone.name, DigestType::SHA256)]);
        assert_eq!(secure.map(|s| s.ds_tag), Ok(ksk.calculate_key_tag().unwrap()));
    }
}

#[test]
fn ds_digest_types_two_and_four_match_and_one_with_a_note() {
    let zone = &zones()[1];
    let ksk = zone
        .dnskey_records()
        .iter()
        .filter_map(keys::dnskey)
        .find(DNSKEY::secure_entry_point)
        .unwrap();
    for (digest_type, note) in [
        (DigestType::SHA256, None),
        (DigestType::SHA384, None),
        (
            DigestType::SHA1,
            Some("the DS uses SHA-1 (digest type 1), accepted but weak"),
        ),
    ] {
        let secure = zone
            .keys_under(&[ds_for(&ksk, &zone.name, digest_type)])
            .unwrap_or_else(|p| panic!("{digest_type:?}: {p}"));
        assert_eq!(secure.digest_type, u8::from(digest_type));
        assert_eq!(secure.note.as_deref(), note);
    }
}

#[test]
fn trust_anchor_files_hold_ds_and_dnskey_records_of_several_zones() {
    let zone = &zones()[1];
    let ksk = zone
        .dnskey_records()
        .into_iter()
        .find(|r| keys::dnskey(r).is_some_and(|k| k.secure_entry_point()))
        .unwrap();
    let text = format!(
        "; a comment\n{} 3600 IN DNSKEY {}\nexample. IN DS 12345 8 2 {}\nexample. IN DS 23456 13 2 {}\n",
        zone.name,
        keys::dnskey(&ksk).unwrap(),
        "AB".repeat(32),
        "CD".repeat(32)
    );
    let anchors = anchors::parse(&text).unwrap();
    assert_eq!(anchors.len(), 2);
    // The DNSKEY becomes its SHA-256 DS, which validates the zone's keys.
    let (name, ds) = &anchors[0];
    assert_eq!(name, &zone.name);
    assert!(
        verify::key_set(
            &zone.name,
            ds,
            &zone.dnskey_records(),
            &zone.dnskey_sigs(),
            clock(IN_WINDOW)
        )
        .is_ok()
    );
    assert_eq!(anchors[1].1.len(), 2);
    assert!(anchors::parse("example. IN A 192.0.2.1\n").is_err());
    assert!(anchors::parse("not a zone file at all (\n").is_err());
}

/// The DS of `key` with `digest_type`.
fn ds_for(key: &DNSKEY, zone: &Name, digest_type: DigestType) -> DS {
    let digest = key.to_digest(zone, digest_type).unwrap();
    DS::new(
        key.calculate_key_tag().unwrap(),
        key.algorithm(),
        digest_type,
        digest.as_ref().to_vec(),
    )
}
