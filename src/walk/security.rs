//! DNSSEC validation along the walk (`+dnssec` on a trace): what each zone cut was
//! judged, the referral that led to each zone, and the verdicts on the answers. The
//! judging itself is [`crate::dnssec::judge`]'s; this keeps the walk's state.

use hickory_proto::dnssec::rdata::DNSKEY;
use hickory_proto::rr::{Name, Record};

use crate::dnssec::judge::{Cut, Security as Level, Verdict};
use crate::model::trace::{DnssecView, DsUsed, SignatureUsed};

#[derive(Default)]
pub(crate) struct Security {
    /// Zones judged so far.
    cuts: Vec<(Name, Cut)>,
    /// Each referral: the child, the parent zone, the referral's authority section.
    referrals: Vec<(Name, Name, Vec<Record>)>,
    /// Verdicts on the final replies of the main walk (a CNAME chain gives several).
    answers: Vec<Verdict>,
}

impl Security {
    pub(crate) fn judged(&self, zone: &Name) -> Option<&Cut> {
        self.cuts.iter().find(|(z, _)| z == zone).map(|(_, c)| c)
    }

    /// The keys of `zone` when it was judged secure.
    pub(crate) fn keys(&self, zone: &Name) -> Option<&[DNSKEY]> {
        self.judged(zone).and_then(|c| c.keys.as_deref())
    }

    /// The parent zone and authority section of the referral that led to `zone`.
    pub(crate) fn referral_to(&self, zone: &Name) -> Option<(&Name, &[Record])> {
        self.referrals
            .iter()
            .rev()
            .find(|(child, _, _)| child == zone)
            .map(|(_, parent, authority)| (parent, authority.as_slice()))
    }

    pub(crate) fn record_cut(&mut self, zone: &Name, cut: Cut) {
        self.cuts.push((zone.clone(), cut));
    }

    pub(crate) fn record_referral(&mut self, child: &Name, parent: &Name, authority: Vec<Record>) {
        self.referrals.push((child.clone(), parent.clone(), authority));
    }

    pub(crate) fn record_answer(&mut self, verdict: Verdict) {
        self.answers.push(verdict);
    }

    /// The verdict on the whole answer: the worst of its parts (a CNAME from a secure
    /// zone into an insecure one is insecure); none when nothing was validated.
    pub(crate) fn answer_view(&self) -> Option<DnssecView> {
        let rank = |v: &Verdict| match v.security {
            Level::Secure => 0,
            Level::Insecure => 1,
            Level::Indeterminate => 2,
            Level::Bogus => 3,
        };
        self.answers.iter().max_by_key(|v| rank(v)).map(view)
    }
}

pub(crate) fn view(verdict: &Verdict) -> DnssecView {
    DnssecView {
        verdict: match verdict.security {
            Level::Secure => "secure",
            Level::Insecure => "insecure",
            Level::Bogus => "bogus",
            Level::Indeterminate => "indeterminate",
        },
        reason: verdict.reason.clone(),
        ds: verdict.ds.map(|(key_tag, algorithm, digest_type)| DsUsed {
            key_tag,
            algorithm,
            digest_type,
        }),
        keys: verdict.keys.clone(),
        signatures: verdict
            .signatures
            .iter()
            .map(|s| SignatureUsed {
                key_tag: s.key_tag,
                algorithm: s.algorithm,
                inception: u64::from(s.inception),
                expiration: u64::from(s.expiration),
            })
            .collect(),
    }
}
