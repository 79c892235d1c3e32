//! The walker: from the deepest known cut down to a final reply, asking a cut's
//! servers in turn, resolving glueless name servers with walks of their own and
//! following aliases, each target from the deepest cut already known.

use std::net::IpAddr;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use hickory_proto::dnssec::rdata::DNSKEY;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use crate::dns::answer::effective_ttl;
use crate::dns::names;
use crate::dns::rrtype::type_text;
use crate::dns::wire::{self, Question};
use crate::model::report::RecordInfo;
use crate::model::trace::{
    CnameLink, Hop, HopAttempt, HopKind, Outcome, OutcomeKind, Referral, ServerRef, Subwalk,
};
use crate::transport::Failure;
use crate::transport::policy::{Completed, Failed};
use crate::walk::budget::Budget;
use crate::walk::classify::{self, Delegated, Final, Step, Unusable};
use crate::walk::delegation::{Delegation, NameServer, delegation_of};
use crate::walk::hops::{self, outcome};
use crate::walk::probe::{self, Probe};
use crate::walk::race;
use crate::walk::security;
use crate::walk::{Family, Limits, Settings};

/// A finished walk, before it becomes a report or a sub-walk.
pub(crate) struct Walk {
    pub(crate) hops: Vec<Hop>,
    pub(crate) chain: Vec<CnameLink>,
    pub(crate) answer: Vec<RecordInfo>,
    pub(crate) answer_records: Vec<Record>,
    pub(crate) outcome: Outcome,
}

/// Glueless name servers of one cut: resolved, and left out by the caps.
#[derive(Default)]
struct GluelessCount {
    tried: usize,
    skipped: usize,
}

/// A server's reply to the walk's question and the step it was.
type Asked = (Result<Completed, Failed>, Option<Result<Step, Unusable>>);

/// How one descent ended.
pub(crate) enum End {
    /// The reply that ended the descent, and the zone whose server gave it.
    Final(Box<Final>, String),
    Failed(Outcome),
}

pub(crate) struct Walker<'a> {
    pub(crate) budget: &'a Budget<'a>,
    pub(crate) settings: &'a Settings,
    pub(crate) limits: Limits,
    /// Zone cuts learned so far, the root first.
    pub(crate) cache: Vec<Delegation>,
    /// Name server names being resolved, outermost first: a repeat is a cycle.
    pub(crate) resolving: Vec<Name>,
    pub(crate) failures: u32,
    /// Glueless name server lookups that found no address, in the whole trace.
    pub(crate) glueless_failed: u32,
    pub(crate) descents: u32,
    /// The slowest usable reply so far, for the hedge delay.
    pub(crate) slowest_rtt: Duration,
    /// Zones and server addresses `+nsall` has probed already in this trace.
    pub(crate) probed: Vec<(Name, IpAddr)>,
    /// With validation: the reply the last hop used (its RRSIGs, DS and NSEC records).
    pub(crate) last_reply: Option<hickory_proto::op::Message>,
    /// With validation: what each cut and answer was judged.
    pub(crate) security: crate::walk::security::Security,
    /// The keys asked for at the same time as a cut's question: the zone, the server,
    /// and its DNSKEY RRset with RRSIGs (`None` when that query failed).
    pub(crate) prefetched: Option<(Name, Option<IpAddr>, Option<Vec<Record>>)>,
}

impl<'a> Walker<'a> {
    fn show(&self, name: &Name) -> String {
        names::format(name, self.settings.names)
    }
    pub(crate) fn resolve(&mut self, qname: &Name, qtype: RecordType, depth: usize) -> Walk {
        let mut walk = Walk {
            hops: Vec::new(),
            chain: Vec::new(),
            answer: Vec::new(),
            answer_records: Vec::new(),
            outcome: outcome(OutcomeKind::NoReachableServer, ""),
        };
        let mut name = qname.clone();
        let mut seen = vec![name.clone()];
        loop {
            let (hops, end) = self.descend(&name, qtype, depth);
            walk.hops.extend(hops);
            let (step, zone) = match end {
                End::Failed(failed) => {
                    walk.outcome = failed;
                    return walk;
                }
                End::Final(step, zone) => (*step, zone),
            };
            walk.chain.extend(
                step.chain()
                    .iter()
                    .filter_map(|r| hops::link(r, &zone, self.settings.names)),
            );
            if walk.chain.len() > self.limits.cnames {
                let message = format!("more than {} CNAME hops", self.limits.cnames);
                walk.outcome = outcome(OutcomeKind::LimitExceeded, message);
                return walk;
            }
            let final_name = walk
                .chain
                .last()
                .map_or_else(|| self.show(&name), |l| l.target.clone());
            match step {
                Final::Answer { records, .. } => {
                    walk.answer = hops::info(&records, self.settings.names);
                    walk.answer_records = records;
                    walk.outcome = outcome(
                        OutcomeKind::Answer,
                        format!("{} {} found", final_name, type_text(qtype)),
                    );
                    return walk;
                }
                Final::NxDomain { .. } => {
                    walk.outcome = outcome(OutcomeKind::Nxdomain, format!("{final_name} does not exist"));
                    return walk;
                }
                Final::NoData { .. } => {
                    walk.outcome = outcome(
                        OutcomeKind::Nodata,
                        format!("{final_name} has no {} record", type_text(qtype)),
                    );
                    return walk;
                }
                Final::Alias { target, .. } => {
                    if seen.contains(&target) {
                        let mut names: Vec<String> = seen.iter().map(|n| self.show(n)).collect();
                        names.push(self.show(&target));
                        walk.outcome = outcome(
                            OutcomeKind::CnameLoop,
                            format!("CNAME loop: {}", names.join(" → ")),
                        );
                        return walk;
                    }
                    seen.push(target.clone());
                    name = target;
                }
            }
        }
    }
    fn closest(&self, name: &Name) -> Delegation {
        self.cache
            .iter()
            .filter(|d| d.zone.zone_of(name))
            .max_by_key(|d| d.zone.num_labels())
            .cloned()
            .expect("the root is always cached")
    }
    fn remember(&mut self, delegation: Delegation) {
        self.cache.retain(|d| d.zone != delegation.zone);
        self.cache.push(delegation);
    }
    fn descend(&mut self, name: &Name, qtype: RecordType, depth: usize) -> (Vec<Hop>, End) {
        let restart = self.descents > 0;
        self.descents += 1;
        let mut cut = self.closest(name);
        let mut cached = restart && !cut.zone.is_root();
        let mut hops = Vec::new();
        for _ in 0..self.limits.referrals {
            let mut hop = hops::new_hop(&cut.zone, name, qtype, cached, self.settings.names);
            cached = false;
            // DNSSEC: the zone's keys are asked of its first server while the walk's
            // question goes out, so validation costs no round trip of its own.
            let prefetch = (depth == 0 && self.expects_signed(&cut.zone))
                .then(|| {
                    cut.servers
                        .iter()
                        .flat_map(|s| &s.addrs)
                        .find(|a| self.settings.family.allows(a))
                        .copied()
                })
                .flatten();
            let (budget, settings, zone_name) = (self.budget, self.settings, cut.zone.clone());
            let (asked, prefetched) = std::thread::scope(|scope| {
                let keys =
                    prefetch.map(|addr| scope.spawn(move || dnskeys_of(budget, settings, &zone_name, addr)));
                let asked = self.ask(&cut, name, qtype, depth, &mut hop);
                (asked, keys.and_then(|h| h.join().ok()).map(|k| (prefetch, k)))
            });
            self.prefetched = prefetched.map(|(addr, keys)| (cut.zone.clone(), addr, keys));
            let step = match asked {
                Ok(step) => step,
                Err(failed) => {
                    hop.outcome = HopKind::Failed;
                    hops.push(hop);
                    return (hops, End::Failed(failed));
                }
            };
            let zone = hop.zone.clone();
            if depth == 0 && self.settings.validation.is_some() {
                self.validate(&cut.zone, name, qtype, &step, &mut hop);
            }
            match step {
                Step::Referral(Delegated {
                    zone: child,
                    ns,
                    glue,
                    ignored,
                }) => {
                    let delegation = delegation_of(&child, &ns, &glue);
                    hop.outcome = HopKind::Referral;
                    for server in &delegation.servers {
                        hops::note_provider(&mut hop, server.name.as_ref(), self.settings.names);
                    }
                    if !ignored.is_empty() {
                        hop.notes.push(format!(
                            "ignored {} additional record(s) outside the bailiwick of {}",
                            ignored.len(),
                            hop.zone
                        ));
                    }
                    hops::note_ttls(&mut hop, &ns, self.settings.names);
                    hops::note_ttls(&mut hop, &glue, self.settings.names);
                    hop.referral = Some(Referral {
                        zone: self.show(&child),
                        ttl: ns.iter().map(|r| effective_ttl(r.ttl)).min().unwrap_or(0),
                        ns: hops::info(&ns, self.settings.names),
                        glue: hops::info(&glue, self.settings.names),
                        ignored: hops::info(&ignored, self.settings.names),
                    });
                    hops.push(hop);
                    self.remember(delegation.clone());
                    cut = delegation;
                }
                Step::Final(last) => {
                    hops::fill(&mut hop, &last, self.settings.names);
                    hops.push(hop);
                    return (hops, End::Final(Box::new(last), zone));
                }
            }
        }
        let message = format!(
            "more than {} referrals below {}",
            self.limits.referrals,
            self.show(&cut.zone)
        );
        (hops, End::Failed(outcome(OutcomeKind::LimitExceeded, message)))
    }
    fn ask(
        &mut self,
        cut: &Delegation,
        name: &Name,
        qtype: RecordType,
        depth: usize,
        hop: &mut Hop,
    ) -> Result<Step, Outcome> {
        let family = self.settings.family;
        let (glued, glueless): (Vec<&NameServer>, Vec<&NameServer>) = cut
            .servers
            .iter()
            .partition(|s| s.addrs.iter().any(|a| family.allows(a)));
        let mut rcodes = 0;
        let mut special: Option<Outcome> = None;
        let mut unglued = GluelessCount::default();
        let order: Vec<&NameServer> = glued.into_iter().chain(glueless).collect();
        let mut next = 0;
        if self.settings.all_servers {
            // +nsall: every address of every name server, glueless ones resolved first
            // (within the same caps), all asked at once.
            let mut candidates: Vec<(&NameServer, IpAddr)> = Vec::new();
            // An address is asked once, under the first name that has it.
            fn add<'s>(candidates: &mut Vec<(&'s NameServer, IpAddr)>, server: &'s NameServer, addr: IpAddr) {
                if !candidates.iter().any(|&(_, known)| known == addr) {
                    candidates.push((server, addr));
                }
            }
            let mut unglued_servers = Vec::new();
            for &server in &order {
                if self.budget.spent() || self.budget.expired() {
                    break;
                }
                if wrong_family_glue_only(server, cut, family) {
                    hop.attempts.push(self.no_usable_glue(server));
                    continue;
                }
                let known: Vec<IpAddr> = server
                    .addrs
                    .iter()
                    .copied()
                    .filter(|a| family.allows(a))
                    .collect();
                if known.is_empty() {
                    unglued_servers.push(server);
                }
                for addr in known {
                    add(&mut candidates, server, addr);
                }
            }
            for (server, addr) in self.all_glueless(&unglued_servers, depth, hop, &mut unglued, &mut special)
            {
                add(&mut candidates, server, addr);
            }
            if let Some(step) = self.race_servers(&candidates, cut, name, qtype, depth, hop, &mut rcodes) {
                if unglued.skipped > 0 {
                    hop.notes
                        .push(self.glueless_cap_note(unglued.tried, unglued.skipped));
                }
                return Ok(step);
            }
            next = order.len();
        }
        while let Some(&server) = order.get(next) {
            if self.budget.spent() || self.budget.expired() {
                break;
            }
            if wrong_family_glue_only(server, cut, family) {
                hop.attempts.push(self.no_usable_glue(server));
                next += 1;
                continue;
            }
            // The servers whose addresses are known are raced as one run; a glueless one
            // is resolved first, then asked alone.
            let mut candidates = Vec::new();
            while let Some(addr) = order
                .get(next)
                .and_then(|s| s.addrs.iter().find(|a| family.allows(a)))
            {
                candidates.push((order[next], *addr));
                next += 1;
            }
            if candidates.is_empty() {
                next += 1;
                match self.capped_glueless(server, depth, hop, &mut unglued, &mut special) {
                    Some(addr) => candidates.push((server, addr)),
                    None => continue,
                }
            }
            if let Some(step) = self.race_servers(&candidates, cut, name, qtype, depth, hop, &mut rcodes) {
                return Ok(step);
            }
        }
        let zone = self.show(&cut.zone);
        if unglued.skipped > 0 {
            hop.notes
                .push(self.glueless_cap_note(unglued.tried, unglued.skipped));
        }
        if self.budget.expired() {
            if let Some(inner) = special.filter(|s| s.kind == OutcomeKind::TraceTimeout) {
                return Err(inner);
            }
            return Err(outcome(
                OutcomeKind::TraceTimeout,
                format!(
                    "the trace's time budget of {} ran out while asking the servers of {zone} for {} {}",
                    humantime::format_duration(self.limits.time),
                    self.show(name),
                    type_text(qtype)
                ),
            ));
        }
        if self.budget.spent() {
            return Err(outcome(
                OutcomeKind::LimitExceeded,
                format!("query budget of {} queries spent", self.limits.queries),
            ));
        }
        if let Some(special) = special {
            return Err(special);
        }
        if rcodes > 0 && rcodes == hop.attempts.len() {
            let codes: Vec<&str> = hop.attempts.iter().map(|a| a.outcome.as_str()).collect();
            return Err(outcome(
                OutcomeKind::Servfail,
                format!(
                    "every server of {zone} answered with an error ({})",
                    codes.join(", ")
                ),
            ));
        }
        if cut.servers.iter().all(|s| {
            s.addrs.iter().all(|a| !family.allows(a)) && s.name.is_none()
                || wrong_family_glue_only(s, cut, family)
        }) {
            return Err(outcome(
                OutcomeKind::NoReachableServer,
                format!("no server of {zone} has an address {}", family.describe()),
            ));
        }
        let untried = if unglued.skipped > 0 {
            format!("; {} glueless name server(s) not tried", unglued.skipped)
        } else {
            String::new()
        };
        Err(outcome(
            OutcomeKind::NoReachableServer,
            format!(
                "no server of {zone} gave a usable reply ({} attempt(s){untried})",
                hop.attempts.len()
            ),
        ))
    }

    /// The address of a glueless name server, by a walk of its own, unless the caps on
    /// glueless names (per cut, failures per trace) say to skip it.
    fn capped_glueless(
        &mut self,
        server: &NameServer,
        depth: usize,
        hop: &mut Hop,
        count: &mut GluelessCount,
        special: &mut Option<Outcome>,
    ) -> Option<IpAddr> {
        if count.tried >= self.limits.glueless_per_cut
            || self.glueless_failed >= self.limits.glueless_failures
        {
            count.skipped += 1;
            return None;
        }
        count.tried += 1;
        match self.glueless(server, depth, hop) {
            Ok(addr) => Some(addr),
            Err(failed) => {
                self.glueless_failed += 1;
                if failed.kind != OutcomeKind::NoReachableServer {
                    special.get_or_insert(failed);
                }
                None
            }
        }
    }

    /// Asks `candidates` for the question, racing them (see [`race`]) or, with
    /// `+nsall`, all of them at once with their probes; records every attempt that did
    /// not win in `hop`, and returns the winner's step.
    #[allow(clippy::too_many_arguments)]
    fn race_servers(
        &mut self,
        candidates: &[(&NameServer, IpAddr)],
        cut: &Delegation,
        name: &Name,
        qtype: RecordType,
        depth: usize,
        hop: &mut Hop,
        rcodes: &mut usize,
    ) -> Option<Step> {
        let question = Question {
            name: name.clone(),
            rtype: qtype,
            class: DNSClass::IN,
        };
        let raced = if self.settings.all_servers {
            self.ask_all(candidates, cut, &question, depth, hop)
        } else {
            let (budget, settings) = (self.budget, self.settings);
            let attempt = |&(_, addr): &(&NameServer, IpAddr), cancel: &AtomicBool| {
                let result = probe::ask(budget, settings, addr, &question, false, cancel);
                let step = result
                    .as_ref()
                    .ok()
                    .map(|done| classify::classify(&done.reply.message, &cut.zone, name, qtype));
                (result, step)
            };
            race::race(
                candidates,
                race::Mode::Hedged(race::hedge_delay(self.slowest_rtt)),
                &|| !budget.spent() && !budget.expired(),
                &attempt,
                &|(_, step)| matches!(step, Some(Ok(_))),
            )
        };
        let mut won = None;
        for (index, (result, step)) in raced.results.into_iter().enumerate() {
            let took = raced.took[index];
            let server_ref = self.server_ref(candidates[index]);
            let (done, step) = match (result, step) {
                (Ok(done), Some(step)) => (done, step),
                (Err(failed), _) => {
                    self.failures += 1;
                    let outcome = if failed.last == Failure::Abandoned {
                        // Not proof of a dead server, but silence where another answered.
                        format!(
                            "no reply within {} ms; not waited for, another server answered first",
                            took.as_millis()
                        )
                    } else {
                        failed.last.to_string()
                    };
                    hop.attempts.push(HopAttempt {
                        server: server_ref,
                        outcome,
                        rtt_us: None,
                    });
                    continue;
                }
                (Ok(_), None) => continue,
            };
            let rtt_us = u64::try_from(done.reply.rtt.as_micros()).ok();
            match step {
                Ok(step) if raced.winner == Some(index) => won = Some((server_ref, done, step)),
                // Not a failure: another usable reply came first (+nsall shows it).
                Ok(_) => {}
                Err(unusable) => {
                    self.failures += 1;
                    *rcodes += usize::from(matches!(unusable, Unusable::Rcode(_)));
                    hop.attempts.push(HopAttempt {
                        server: server_ref,
                        outcome: unusable.to_string(),
                        rtt_us,
                    });
                }
            }
        }
        let (server_ref, done, step) = won?;
        if self.settings.validation.is_some() {
            self.last_reply = Some(done.reply.message.clone());
        }
        let m = &done.reply.message.metadata;
        hop.server = Some(server_ref);
        hop.protocol = Some(done.protocol);
        hop.rtt_us = u64::try_from(done.reply.rtt.as_micros()).ok();
        hop.rcode = Some(wire::rcode_text(wire::rcode_number(&done.reply.message)).into_owned());
        hop.aa = Some(m.authoritative);
        self.slowest_rtt = self.slowest_rtt.max(done.reply.rtt);
        Some(step)
    }

    fn server_ref(&self, (server, addr): (&NameServer, IpAddr)) -> ServerRef {
        ServerRef {
            name: server.name.as_ref().map(|n| self.show(n)),
            address: addr.to_string(),
            port: self.settings.port,
        }
    }

    /// `+nsall`: the walk's question and each server's probes (on the main walk, once
    /// per server and zone in a trace), all as one flat list asked at once; a row per
    /// server in `hop.servers`. Gives the walk question's results as a race would.
    fn ask_all(
        &mut self,
        candidates: &[(&NameServer, IpAddr)],
        cut: &Delegation,
        question: &Question,
        depth: usize,
        hop: &mut Hop,
    ) -> race::Raced<Asked> {
        let ns_names: Vec<Name> = cut.servers.iter().filter_map(|s| s.name.clone()).collect();
        // The walk's questions first, so that a spent budget leaves out probes first.
        let mut jobs: Vec<(usize, Probe)> = (0..candidates.len()).map(|i| (i, Probe::Walk)).collect();
        for (index, &(_, addr)) in candidates.iter().enumerate() {
            let key = (cut.zone.clone(), addr);
            if depth == 0 && !self.probed.contains(&key) {
                self.probed.push(key);
                let extra = probe::extra(
                    &cut.zone,
                    &ns_names,
                    self.settings.family,
                    self.settings.tcp_check,
                );
                jobs.extend(extra.into_iter().map(|p| (index, p)));
            }
        }
        let (budget, settings) = (self.budget, self.settings);
        let attempt = |(index, job): &(usize, Probe), cancel: &AtomicBool| {
            let addr = candidates[*index].1;
            let asked = probe::question(job, &cut.zone, question);
            let result = probe::ask(budget, settings, addr, &asked, *job == Probe::Tcp, cancel);
            let step = (*job == Probe::Walk).then(|| {
                result.as_ref().ok().map(|done| {
                    classify::classify(&done.reply.message, &cut.zone, &question.name, question.rtype)
                })
            });
            (result, step.flatten())
        };
        let raced = race::race(
            &jobs,
            race::Mode::All(race::PROBES_IN_FLIGHT),
            &|| !budget.spent() && !budget.expired(),
            &attempt,
            &|(_, step)| matches!(step, Some(Ok(_))),
        );
        let mut walks = Vec::new();
        let mut took = Vec::new();
        let mut probes: Vec<Vec<(Probe, Result<Completed, Failed>)>> =
            candidates.iter().map(|_| Vec::new()).collect();
        for ((job, result), elapsed) in jobs.into_iter().zip(raced.results).zip(raced.took) {
            match job {
                (_, Probe::Walk) => {
                    walks.push(result);
                    took.push(elapsed);
                }
                (index, other) => probes[index].push((other, result.0)),
            }
        }
        for (index, (result, step)) in walks.iter().enumerate() {
            hop.servers.push(probe::server_result(
                self.server_ref(candidates[index]),
                &cut.zone,
                (result, step.as_ref()),
                &probes[index],
                self.settings.flags.edns.as_ref(),
                self.settings.names,
            ));
        }
        race::Raced {
            results: walks,
            took,
            winner: raced.winner,
        }
    }

    /// The attempt of a server whose name lies inside the zone, so only glue can give
    /// its address, and the glue is of the other family: asking for it would go round in
    /// a circle.
    fn no_usable_glue(&self, server: &NameServer) -> HopAttempt {
        HopAttempt {
            server: ServerRef {
                name: server.name.as_ref().map(|n| self.show(n)),
                address: String::new(),
                port: self.settings.port,
            },
            outcome: format!("its glue has no address {}", self.settings.family.describe()),
            rtt_us: None,
        }
    }

    /// Why some glueless name servers of a cut were not resolved.
    fn glueless_cap_note(&self, tried: usize, skipped: usize) -> String {
        if self.glueless_failed >= self.limits.glueless_failures {
            format!(
                "{skipped} glueless name server(s) not resolved: {} glueless lookups already failed in this trace (the limit)",
                self.glueless_failed
            )
        } else {
            format!(
                "resolved {tried} of {} glueless name servers (at most {} per zone cut, against NXNS-style amplification); {skipped} not tried",
                tried + skipped,
                self.limits.glueless_per_cut
            )
        }
    }
    fn glueless(&mut self, server: &NameServer, depth: usize, hop: &mut Hop) -> Result<IpAddr, Outcome> {
        let found = self.walk_for_glueless(server, depth);
        self.take_glueless(found, hop)
    }

    /// A walker for a glueless name of this cut, run on a thread of its own: it starts
    /// from what this one knows, and [`Walker::merge`] brings back what it learned.
    fn child(&self) -> Walker<'a> {
        Walker {
            budget: self.budget,
            settings: self.settings,
            limits: self.limits,
            cache: self.cache.clone(),
            resolving: self.resolving.clone(),
            failures: 0,
            glueless_failed: 0,
            descents: self.descents,
            slowest_rtt: self.slowest_rtt,
            probed: self.probed.clone(),
            last_reply: None,
            security: crate::walk::security::Security::default(),
            prefetched: None,
        }
    }

    fn merge(&mut self, child: Walker<'_>) {
        self.failures += child.failures;
        self.glueless_failed += child.glueless_failed;
        self.slowest_rtt = self.slowest_rtt.max(child.slowest_rtt);
        for delegation in child.cache {
            if !self.cache.iter().any(|d| d.zone == delegation.zone) {
                self.cache.push(delegation);
            }
        }
    }

    /// The glueless name servers of one cut under `+nsall`, within the caps: several at
    /// once (each on a walker of its own), and their addresses, in the order given.
    fn all_glueless<'s>(
        &mut self,
        servers: &[&'s NameServer],
        depth: usize,
        hop: &mut Hop,
        count: &mut GluelessCount,
        special: &mut Option<Outcome>,
    ) -> Vec<(&'s NameServer, IpAddr)> {
        if self.glueless_failed >= self.limits.glueless_failures {
            count.skipped += servers.len();
            return Vec::new();
        }
        let room = self
            .limits
            .glueless_per_cut
            .saturating_sub(count.tried)
            .min(servers.len());
        let (now, later) = servers.split_at(room);
        count.tried += now.len();
        count.skipped += later.len();
        let found: Vec<Glueless> = if let [only] = now {
            vec![self.walk_for_glueless(only, depth)]
        } else {
            let children: Vec<Walker<'a>> = now.iter().map(|_| self.child()).collect();
            let done: Vec<(Glueless, Walker<'a>)> = std::thread::scope(|scope| {
                let running: Vec<_> = children
                    .into_iter()
                    .zip(now)
                    .map(|(mut child, server)| {
                        scope.spawn(move || {
                            let found = child.walk_for_glueless(server, depth);
                            (found, child)
                        })
                    })
                    .collect();
                running
                    .into_iter()
                    .map(|h| h.join().expect("a glueless walk does not panic"))
                    .collect()
            });
            done.into_iter()
                .map(|(found, child)| {
                    self.merge(child);
                    found
                })
                .collect()
        };
        let mut addresses = Vec::new();
        for (server, found) in now.iter().zip(found) {
            match self.take_glueless(found, hop) {
                Ok(addr) => addresses.push((*server, addr)),
                Err(failed) => {
                    self.glueless_failed += 1;
                    if failed.kind != OutcomeKind::NoReachableServer {
                        special.get_or_insert(failed);
                    }
                }
            }
        }
        addresses
    }

    /// Resolves a glueless name server's name by a walk of its own; touches no hop, so
    /// that several can run at once.
    fn walk_for_glueless(&mut self, server: &NameServer, depth: usize) -> Glueless {
        let Some(name) = server.name.clone() else {
            return Glueless {
                name: None,
                subwalk: None,
                addrs: Vec::new(),
                failed: Some(outcome(
                    OutcomeKind::NoReachableServer,
                    "a server without a name or address",
                )),
            };
        };
        let shown = self.show(&name);
        let failed = |failed: Outcome| Glueless {
            name: Some(name.clone()),
            subwalk: None,
            addrs: Vec::new(),
            failed: Some(failed),
        };
        if self.resolving.contains(&name) {
            let mut cycle: Vec<String> = self.resolving.iter().map(|n| self.show(n)).collect();
            cycle.push(shown.clone());
            return failed(outcome(
                OutcomeKind::DelegationCycle,
                format!("delegation cycle: resolving {} needs itself", cycle.join(" → ")),
            ));
        }
        if depth >= self.limits.subwalk_depth {
            return failed(outcome(
                OutcomeKind::LimitExceeded,
                format!(
                    "glueless name servers nested more than {} deep at {shown}",
                    self.limits.subwalk_depth
                ),
            ));
        }
        let rtype = if self.settings.family == Family::V6 {
            RecordType::AAAA
        } else {
            RecordType::A
        };
        self.resolving.push(name.clone());
        let walk = self.resolve(&name, rtype, depth + 1);
        self.resolving.pop();
        let addrs: Vec<IpAddr> = walk
            .answer_records
            .iter()
            .filter_map(|r| match &r.data {
                RData::A(a) => Some(IpAddr::V4(a.0)),
                RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                _ => None,
            })
            .collect();
        let result = walk.outcome.clone();
        let failed = addrs.is_empty().then(|| {
            let kind = match result.kind {
                OutcomeKind::DelegationCycle | OutcomeKind::LimitExceeded | OutcomeKind::TraceTimeout => {
                    result.kind
                }
                _ => OutcomeKind::NoReachableServer,
            };
            outcome(kind, format!("no address for {shown}: {}", result.message))
        });
        Glueless {
            name: Some(name),
            subwalk: Some(Subwalk {
                name: shown,
                rtype: type_text(rtype).into_owned(),
                hops: walk.hops,
                cname_chain: walk.chain,
                answer: walk.answer,
                outcome: walk.outcome,
            }),
            addrs,
            failed,
        }
    }

    /// Records a glueless walk in `hop` (its sub-walk, or the failed attempt) and its
    /// addresses in the cache.
    fn take_glueless(&mut self, found: Glueless, hop: &mut Hop) -> Result<IpAddr, Outcome> {
        if let Some(subwalk) = found.subwalk {
            hop.subwalks.push(subwalk);
        }
        if let Some(name) = &found.name {
            for delegation in &mut self.cache {
                for known in &mut delegation.servers {
                    if known.name.as_ref() == Some(name) && known.addrs.is_empty() {
                        known.addrs.clone_from(&found.addrs);
                    }
                }
            }
        }
        match (found.failed, found.addrs.first()) {
            (None, Some(addr)) => Ok(*addr),
            (failed, _) => {
                let failed = failed.unwrap_or_else(|| outcome(OutcomeKind::NoReachableServer, "no address"));
                if let Some(name) = &found.name {
                    hop.attempts.push(HopAttempt {
                        server: ServerRef {
                            name: Some(self.show(name)),
                            address: String::new(),
                            port: self.settings.port,
                        },
                        outcome: failed.message.clone(),
                        rtt_us: None,
                    });
                }
                Err(failed)
            }
        }
    }
}

/// What a walk for a glueless name server found.
struct Glueless {
    name: Option<Name>,
    subwalk: Option<Subwalk>,
    addrs: Vec<IpAddr>,
    /// Why it gave no address.
    failed: Option<Outcome>,
}

impl Walker<'_> {
    /// DNSSEC: judges the cut `zone` (once per trace), records the referral a step
    /// gives, and judges a final reply with the zone's keys.
    fn validate(&mut self, zone: &Name, name: &Name, qtype: RecordType, step: &Step, hop: &mut Hop) {
        use crate::dnssec::judge::{self, Parent, Sections, Security as Level, Verdict};
        let Some(validation) = self.settings.validation.clone() else {
            return;
        };
        let reply = self.last_reply.take();
        if let Some(cut) = self.security.judged(zone) {
            hop.dnssec = Some(security::view(&cut.verdict));
        } else {
            let anchors = validation
                .anchors
                .iter()
                .find(|(z, _)| z == zone)
                .map(|(_, ds)| ds.clone());
            let referral = self
                .security
                .referral_to(zone)
                .map(|(p, a)| (p.clone(), a.to_vec()));
            let parent_keys = referral
                .as_ref()
                .and_then(|(p, _)| self.security.keys(p))
                .map(<[DNSKEY]>::to_vec);
            let parent_security = referral
                .as_ref()
                .and_then(|(p, _)| self.security.judged(p))
                .map(|c| c.verdict.security);
            let parent_unknown = parent_security == Some(Level::Indeterminate);
            let parent = match (&anchors, &referral, &parent_keys) {
                (Some(ds), _, _) => Parent::Anchors(ds),
                (None, Some((p, authority)), Some(keys)) => Parent::Secure {
                    zone: p,
                    keys,
                    authority,
                },
                _ if parent_unknown => Parent::Unknown,
                _ => Parent::NotSecure,
            };
            // Keys are needed only where a DS (or an anchor) says the zone is signed.
            let signed = match &parent {
                Parent::Anchors(_) => true,
                Parent::Secure { authority, .. } => authority
                    .iter()
                    .any(|r| r.record_type() == RecordType::DS && r.name == *zone),
                Parent::NotSecure | Parent::Unknown => false,
            };
            let server = hop.server.as_ref().and_then(|s| s.address.parse::<IpAddr>().ok());
            let prefetched = self
                .prefetched
                .take()
                .filter(|(z, _, keys)| z == zone && keys.is_some());
            let dnskeys = match (server, prefetched) {
                (_, Some((_, _, keys))) if signed => keys,
                (Some(addr), None) if signed => dnskeys_of(self.budget, self.settings, zone, addr),
                _ => None,
            };
            let mut cut = judge::cut(zone, &parent, dnskeys.as_deref(), validation.clock);
            if anchors.is_none() && parent_security == Some(Level::Bogus) {
                cut.verdict = Verdict::new(Level::Bogus, "below a zone that is bogus".to_owned());
            } else if anchors.is_none() && referral.is_none() {
                cut.verdict = Verdict::new(
                    Level::Indeterminate,
                    format!(
                        "no trust anchor for {} (give one with --trust-anchor)",
                        self.show(zone)
                    ),
                );
            } else if anchors.is_some() && cut.verdict.reason.starts_with("no DNSKEY matches the DS") {
                cut.verdict = Verdict::new(
                    Level::Indeterminate,
                    format!(
                        "the keys of {} match no trust anchor (a private root needs --trust-anchor)",
                        self.show(zone)
                    ),
                );
            }
            hop.dnssec = Some(security::view(&cut.verdict));
            self.security.record_cut(zone, cut);
        }
        let Some(reply) = reply else {
            return;
        };
        match step {
            Step::Referral(delegated) => {
                self.security
                    .record_referral(&delegated.zone, zone, reply.authorities.clone());
            }
            Step::Final(last) => {
                let sections = Sections {
                    answer: &reply.answers,
                    authority: &reply.authorities,
                    nxdomain: matches!(last, Final::NxDomain { .. }),
                };
                let mut verdict = judge::answer(
                    zone,
                    self.security.keys(zone),
                    &sections,
                    name,
                    qtype,
                    validation.clock,
                );
                // A server that also serves a child zone answers from it without a
                // referral: an unsigned answer there is insecure if the child is proved
                // to have no DS (what validators find with DS queries down the name).
                if verdict.security == Level::Bogus
                    && let Some(keys) = self.security.keys(zone).map(<[DNSKEY]>::to_vec)
                    && let Some(addr) = hop.server.as_ref().and_then(|s| s.address.parse::<IpAddr>().ok())
                    && let Some((child, proof)) =
                        self.hidden_unsigned_cut(zone, name, &keys, addr, validation.clock)
                {
                    verdict = Verdict::new(
                        Level::Insecure,
                        format!("{} is not secure: {proof}", self.show(&child)),
                    );
                }
                match self.security.judged(zone).map(|c| c.verdict.security) {
                    Some(Level::Indeterminate) => {
                        verdict = Verdict::new(
                            Level::Indeterminate,
                            format!("the security of {} is unknown", self.show(zone)),
                        );
                    }
                    Some(Level::Bogus) => {
                        verdict =
                            Verdict::new(Level::Bogus, format!("the keys of {} are bogus", self.show(zone)));
                    }
                    _ => {}
                }
                self.security.record_answer(verdict);
            }
        }
    }

    /// The first name between `zone` and `name` (both excluded from the top, `name`
    /// included) that `zone`'s server proves, with `zone`'s keys, to be a delegation
    /// without DS; and the proof's words.
    fn hidden_unsigned_cut(
        &self,
        zone: &Name,
        name: &Name,
        keys: &[DNSKEY],
        addr: IpAddr,
        clock: crate::dnssec::verify::Clock,
    ) -> Option<(Name, &'static str)> {
        let below = usize::from(name.num_labels()).checked_sub(usize::from(zone.num_labels()))?;
        for depth in 1..=below {
            let candidate = name.trim_to(usize::from(zone.num_labels()) + depth);
            let question = Question {
                name: candidate.clone(),
                rtype: RecordType::DS,
                class: DNSClass::IN,
            };
            let done = probe::ask(
                self.budget,
                self.settings,
                addr,
                &question,
                false,
                &AtomicBool::new(false),
            )
            .ok()?;
            let authority = &done.reply.message.authorities;
            if let Ok(why) = crate::dnssec::judge::no_ds(&candidate, zone, keys, authority, clock) {
                return Some((candidate, why));
            }
        }
        None
    }

    /// Whether validation will need `zone`'s keys: an anchor names it, or the referral
    /// that led to it carries a DS from a secure parent.
    fn expects_signed(&self, zone: &Name) -> bool {
        let Some(validation) = &self.settings.validation else {
            return false;
        };
        if self.security.judged(zone).is_some() {
            return false;
        }
        validation.anchors.iter().any(|(z, _)| z == zone)
            || self
                .security
                .referral_to(zone)
                .is_some_and(|(parent, authority)| {
                    self.security.keys(parent).is_some()
                        && authority
                            .iter()
                            .any(|r| r.record_type() == RecordType::DS && r.name == *zone)
                })
    }
}

/// A zone's DNSKEY RRset with its RRSIGs, asked of `addr`; `None` when none came.
fn dnskeys_of(budget: &Budget<'_>, settings: &Settings, zone: &Name, addr: IpAddr) -> Option<Vec<Record>> {
    let question = Question {
        name: zone.clone(),
        rtype: RecordType::DNSKEY,
        class: DNSClass::IN,
    };
    let done = probe::ask(budget, settings, addr, &question, false, &AtomicBool::new(false)).ok()?;
    let answers = done.reply.message.answers;
    (!answers.is_empty()).then_some(answers)
}

/// A server whose name lies inside the zone it serves and whose glue holds only
/// addresses of the family `-4`/`-6` rules out: nothing but that glue can reach it.
fn wrong_family_glue_only(server: &NameServer, cut: &Delegation, family: Family) -> bool {
    !server.addrs.is_empty()
        && !server.addrs.iter().any(|a| family.allows(a))
        && server.name.as_ref().is_some_and(|n| cut.zone.zone_of(n))
}
