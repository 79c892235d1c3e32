//! The iterative walk behind `+trace`: from the root hints down the delegation chain,
//! RD=0, to the authoritative answer, following CNAMEs to the final records and
//! resolving glueless name server names with walks of their own.
//!
//! The walker is written against [`Transport`] (not as a sans-IO state machine): the
//! tool is synchronous, and a trait object lets the unit tests in `walk/tests.rs` run
//! whole hierarchies on a fake network and assert the exact sequence of questions.
//! Every decision about a reply is [`classify`]'s; this module decides whom to ask
//! next and records what happened in the [`trace`](crate::model::trace) model.
//!
//! Bounds, so that a hostile hierarchy cannot make dnscope send unbounded traffic:
//! referrals per descent, CNAME hops, nested glueless walks, and a query budget for the
//! whole trace; each one ends the walk with an error that names it.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Instant, SystemTime};

use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use crate::dns::names::{self, NameStyle};
use crate::dns::random;
use crate::dns::rrtype::{class_text, type_text};
use crate::dns::wire::{QueryFlags, Question};
use crate::model::report::{self, RecordInfo};
use crate::model::trace::{
    CnameLink, Hop, HopAttempt, HopKind, Outcome, OutcomeKind, Priming, Referral, ServerRef, Subwalk,
    Summary, TraceQuery, TraceReport,
};
use crate::transport::policy::{self, Completed};
use crate::transport::{Failure, Reply, Request, Transport, TransportError};
use crate::walk::classify::{Delegated, Final, Step, Unusable};
use crate::walk::roots::Hint;

#[cfg(test)]
mod tests;

pub mod classify;
pub mod providers;
pub mod roots;

/// Which address families of name servers may be asked (`-4`, `-6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Any,
    V4,
    V6,
}

impl Family {
    fn allows(self, addr: &IpAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => addr.is_ipv4(),
            Family::V6 => addr.is_ipv6(),
        }
    }
}

/// How the walk talks to servers.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Per-attempt timeout, tries, TCP and truncation handling.
    pub transport: policy::Settings,
    /// Header bits and EDNS of every query; RD is cleared by the walk.
    pub flags: QueryFlags,
    /// The port of every server asked (`-p`), so a lab can run on unprivileged ports.
    pub port: u16,
    pub family: Family,
    pub names: NameStyle,
}

/// The bounds of one trace.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Referrals in one descent from a cached cut to an answer.
    pub referrals: usize,
    /// CNAME and DNAME hops.
    pub cnames: usize,
    /// Glueless walks inside glueless walks.
    pub subwalk_depth: usize,
    /// Queries sent by the whole trace.
    pub queries: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            referrals: 32,
            cnames: 16,
            subwalk_depth: 4,
            queries: 150,
        }
    }
}

/// Where the root NS set comes from.
#[derive(Debug, Clone)]
pub enum Start {
    /// The hints; a root server is primed for the current set at the same time as the
    /// first referral is asked, so priming costs no round trip on the critical path.
    Hints,
    /// `@server` is asked for `. NS` (RD=1) first, as dig does.
    Server(Vec<SocketAddr>),
}

/// Walks for `question` and reports every step.
pub fn trace(
    transport: &dyn Transport,
    settings: &Settings,
    limits: Limits,
    hints: &[Hint],
    start: &Start,
    question: &Question,
    when: SystemTime,
) -> TraceReport {
    let started = Instant::now();
    let budget = Budget {
        inner: transport,
        limit: limits.queries,
        sent: AtomicU32::new(0),
    };
    let mut settings = settings.clone();
    settings.flags.recurse = false;
    let query = TraceQuery {
        name: names::format(&question.name, settings.names),
        rtype: type_text(question.rtype).into_owned(),
        type_code: u16::from(question.rtype),
        class: class_text(question.class).into_owned(),
    };
    let mut report = TraceReport::new(query, humantime::format_rfc3339_seconds(when).to_string());
    let hinted = Delegation {
        zone: Name::root(),
        servers: hints
            .iter()
            .map(|h| NameServer {
                name: Some(h.name.clone()),
                addrs: h.addrs.clone(),
            })
            .collect(),
    };
    let mut walker = Walker {
        budget: &budget,
        settings: &settings,
        limits,
        cache: Vec::new(),
        resolving: Vec::new(),
        failures: 0,
        descents: 0,
    };
    let walk = match start {
        Start::Hints => {
            walker.cache.push(hinted.clone());
            std::thread::scope(|scope| {
                let priming = scope.spawn(|| prime(&budget, &settings, &hinted, None).0);
                let walk = walker.resolve(&question.name, question.rtype, 0);
                report.priming = priming.join().ok();
                walk
            })
        }
        Start::Server(servers) => {
            let (priming, roots) = prime(&budget, &settings, &hinted, Some(servers));
            report.priming = Some(priming);
            walker.cache.push(roots);
            walker.resolve(&question.name, question.rtype, 0)
        }
    };
    report.summary = Summary {
        min_ttl: min_ttl(&walk.hops, &walk.chain, &walk.answer),
        answer_ttl: walk
            .chain
            .iter()
            .map(|c| c.ttl)
            .chain(walk.answer.iter().map(|r| r.ttl))
            .min(),
        total_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        queries: budget.sent.load(Ordering::Relaxed),
        failures: walker.failures,
    };
    report.status = walk.outcome.status();
    report.exit_code = crate::model::exit::Exit::from_status(report.status).code();
    report.hops = walk.hops;
    report.cname_chain = walk.chain;
    report.answer = walk.answer;
    report.outcome = walk.outcome;
    report
}

/// Counts queries and refuses every one past the budget.
struct Budget<'a> {
    inner: &'a dyn Transport,
    limit: u32,
    sent: AtomicU32,
}

impl Budget<'_> {
    fn spent(&self) -> bool {
        self.sent.load(Ordering::Relaxed) >= self.limit
    }
}

impl Transport for Budget<'_> {
    fn exchange(&self, request: &Request<'_>) -> Result<Reply, TransportError> {
        if self.sent.fetch_add(1, Ordering::Relaxed) >= self.limit {
            self.sent.fetch_sub(1, Ordering::Relaxed);
            return Err(TransportError {
                failure: Failure::Io("query budget spent".to_owned()),
                ignored: vec![],
            });
        }
        self.inner.exchange(request)
    }
}

/// A name server as the walk knows it.
#[derive(Debug, Clone)]
struct NameServer {
    name: Option<Name>,
    addrs: Vec<IpAddr>,
}

/// A zone cut and its servers.
#[derive(Debug, Clone)]
struct Delegation {
    zone: Name,
    servers: Vec<NameServer>,
}

/// A finished walk, before it becomes a report or a sub-walk.
struct Walk {
    hops: Vec<Hop>,
    chain: Vec<CnameLink>,
    answer: Vec<RecordInfo>,
    answer_records: Vec<Record>,
    outcome: Outcome,
}

/// How one descent ended.
enum End {
    /// The reply that ended the descent, and the zone whose server gave it.
    Final(Box<Final>, String),
    Failed(Outcome),
}

struct Walker<'a> {
    budget: &'a Budget<'a>,
    settings: &'a Settings,
    limits: Limits,
    /// Zone cuts learned so far, the root first.
    cache: Vec<Delegation>,
    /// Name server names being resolved, outermost first: a repeat is a cycle.
    resolving: Vec<Name>,
    failures: u32,
    descents: u32,
}

fn outcome(kind: OutcomeKind, message: impl Into<String>) -> Outcome {
    Outcome {
        kind,
        message: message.into(),
    }
}

impl Walker<'_> {
    fn show(&self, name: &Name) -> String {
        names::format(name, self.settings.names)
    }

    fn info(&self, records: &[Record]) -> Vec<RecordInfo> {
        records
            .iter()
            .map(|r| report::record_info(r, self.settings.names))
            .collect()
    }

    /// Resolves `qname`/`qtype`, following aliases, each target from the deepest cut
    /// already known.
    fn resolve(&mut self, qname: &Name, qtype: RecordType, depth: usize) -> Walk {
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
            walk.chain
                .extend(step.chain().iter().filter_map(|r| self.link(r, &zone)));
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
                    walk.answer = self.info(&records);
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

    fn link(&self, record: &Record, zone: &str) -> Option<CnameLink> {
        let info = report::record_info(record, self.settings.names);
        let target = match &record.data {
            RData::CNAME(target) => self.show(&target.0),
            _ => info.data.clone(),
        };
        Some(CnameLink {
            owner: info.name,
            target,
            ttl: record.ttl,
            rtype: info.rtype.into_owned(),
            zone: zone.to_owned(),
        })
    }

    /// The deepest known cut that contains `name`.
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

    /// Asks down from the deepest known cut until a reply that is not a referral.
    fn descend(&mut self, name: &Name, qtype: RecordType, depth: usize) -> (Vec<Hop>, End) {
        let restart = self.descents > 0;
        self.descents += 1;
        let mut cut = self.closest(name);
        let mut cached = restart && !cut.zone.is_root();
        let mut hops = Vec::new();
        for _ in 0..self.limits.referrals {
            let mut hop = self.new_hop(&cut.zone, name, qtype, cached);
            cached = false;
            let step = match self.ask(&cut, name, qtype, depth, &mut hop) {
                Ok(step) => step,
                Err(failed) => {
                    hop.outcome = HopKind::Failed;
                    hops.push(hop);
                    return (hops, End::Failed(failed));
                }
            };
            let zone = hop.zone.clone();
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
                        self.note_provider(&mut hop, server.name.as_ref());
                    }
                    if !ignored.is_empty() {
                        hop.notes.push(format!(
                            "ignored {} additional record(s) outside the bailiwick of {}",
                            ignored.len(),
                            hop.zone
                        ));
                    }
                    hop.referral = Some(Referral {
                        zone: self.show(&child),
                        ttl: ns.iter().map(|r| r.ttl).min().unwrap_or(0),
                        ns: self.info(&ns),
                        glue: self.info(&glue),
                        ignored: self.info(&ignored),
                    });
                    hops.push(hop);
                    self.remember(delegation.clone());
                    cut = delegation;
                }
                Step::Final(last) => {
                    self.fill(&mut hop, &last);
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

    fn new_hop(&self, zone: &Name, name: &Name, qtype: RecordType, cached: bool) -> Hop {
        Hop {
            zone: self.show(zone),
            qname: self.show(name),
            qtype: type_text(qtype).into_owned(),
            cached,
            server: None,
            protocol: None,
            rtt_us: None,
            rcode: None,
            aa: None,
            outcome: HopKind::Failed,
            referral: None,
            records: Vec::new(),
            attempts: Vec::new(),
            subwalks: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn note_provider(&self, hop: &mut Hop, name: Option<&Name>) {
        if let Some(name) = name {
            let shown = self.show(name);
            if let Some(note) = providers::note(&shown) {
                let text = format!("{shown}: {note}");
                if !hop.notes.contains(&text) {
                    hop.notes.push(text);
                }
            }
        }
    }

    /// Records what a final (non-referral) reply said.
    fn fill(&self, hop: &mut Hop, last: &Final) {
        let (kind, records): (HopKind, Vec<Record>) = match last {
            Final::Answer { chain, records } => {
                (HopKind::Answer, chain.iter().chain(records).cloned().collect())
            }
            Final::Alias { chain, .. } => (HopKind::Alias, chain.clone()),
            Final::NxDomain { chain, soa } => (HopKind::Nxdomain, chain.iter().chain(soa).cloned().collect()),
            Final::NoData { chain, soa } => (HopKind::Nodata, chain.iter().chain(soa).cloned().collect()),
        };
        hop.outcome = kind;
        for record in &records {
            if let RData::CNAME(target) = &record.data {
                self.note_provider(hop, Some(&target.0));
            }
        }
        if let Final::Answer { records: answer, .. } = last
            && let Some(first) = answer.first()
        {
            self.note_provider(hop, Some(&first.name));
        }
        if hop.aa == Some(false) && kind == HopKind::Answer {
            hop.notes
                .push("answer without the AA bit: the server is not authoritative for it".to_owned());
        }
        hop.records = self.info(&records);
    }

    /// Asks the servers of `cut`, glued ones first, until one gives a usable reply.
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
        for server in glued.into_iter().chain(glueless) {
            let addr = match server.addrs.iter().find(|a| family.allows(a)) {
                Some(addr) => *addr,
                None => match self.glueless(server, depth, hop) {
                    Ok(addr) => addr,
                    Err(failed) => {
                        if failed.kind != OutcomeKind::NoReachableServer {
                            special.get_or_insert(failed);
                        }
                        continue;
                    }
                },
            };
            if self.budget.spent() {
                break;
            }
            let server_ref = ServerRef {
                name: server.name.as_ref().map(|n| self.show(n)),
                address: addr.to_string(),
                port: self.settings.port,
            };
            let question = Question {
                name: name.clone(),
                rtype: qtype,
                class: DNSClass::IN,
            };
            let result = policy::lookup(
                self.budget,
                &[SocketAddr::new(addr, self.settings.port)],
                &question,
                &self.settings.flags,
                &self.settings.transport,
                &mut random::id,
            );
            let done: Completed = match result {
                Ok(done) => done,
                Err(failed) => {
                    self.failures += 1;
                    hop.attempts.push(HopAttempt {
                        server: server_ref,
                        outcome: failed.last.to_string(),
                        rtt_us: None,
                    });
                    continue;
                }
            };
            let rtt_us = u64::try_from(done.reply.rtt.as_micros()).ok();
            match classify::classify(&done.reply.message, &cut.zone, name, qtype) {
                Ok(step) => {
                    let m = &done.reply.message.metadata;
                    hop.server = Some(server_ref);
                    hop.protocol = Some(done.protocol);
                    hop.rtt_us = rtt_us;
                    hop.rcode = Some(
                        crate::dns::wire::rcode_text(crate::dns::wire::rcode_number(&done.reply.message))
                            .into_owned(),
                    );
                    hop.aa = Some(m.authoritative);
                    return Ok(step);
                }
                Err(unusable) => {
                    self.failures += 1;
                    rcodes += usize::from(matches!(unusable, Unusable::Rcode(_)));
                    hop.attempts.push(HopAttempt {
                        server: server_ref,
                        outcome: unusable.to_string(),
                        rtt_us,
                    });
                }
            }
        }
        let zone = self.show(&cut.zone);
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
        if cut
            .servers
            .iter()
            .all(|s| s.addrs.iter().all(|a| !family.allows(a)) && s.name.is_none())
        {
            return Err(outcome(
                OutcomeKind::NoReachableServer,
                format!("no server of {zone} has an address of the allowed family"),
            ));
        }
        Err(outcome(
            OutcomeKind::NoReachableServer,
            format!(
                "no server of {zone} gave a usable reply ({} attempt(s))",
                hop.attempts.len()
            ),
        ))
    }

    /// Finds the address of a name server that came without glue, by a walk of its own.
    fn glueless(&mut self, server: &NameServer, depth: usize, hop: &mut Hop) -> Result<IpAddr, Outcome> {
        let Some(name) = server.name.clone() else {
            return Err(outcome(
                OutcomeKind::NoReachableServer,
                "a server without a name or address",
            ));
        };
        let shown = self.show(&name);
        let fail = |hop: &mut Hop, failed: Outcome| {
            hop.attempts.push(HopAttempt {
                server: ServerRef {
                    name: Some(shown.clone()),
                    address: String::new(),
                    port: self.settings.port,
                },
                outcome: failed.message.clone(),
                rtt_us: None,
            });
            Err(failed)
        };
        if self.resolving.contains(&name) {
            let mut cycle: Vec<String> = self.resolving.iter().map(|n| self.show(n)).collect();
            cycle.push(shown.clone());
            return fail(
                hop,
                outcome(
                    OutcomeKind::DelegationCycle,
                    format!("delegation cycle: resolving {} needs itself", cycle.join(" → ")),
                ),
            );
        }
        if depth >= self.limits.subwalk_depth {
            return fail(
                hop,
                outcome(
                    OutcomeKind::LimitExceeded,
                    format!(
                        "glueless name servers nested more than {} deep at {shown}",
                        self.limits.subwalk_depth
                    ),
                ),
            );
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
        hop.subwalks.push(Subwalk {
            name: shown.clone(),
            rtype: type_text(rtype).into_owned(),
            hops: walk.hops,
            cname_chain: walk.chain,
            answer: walk.answer,
            outcome: walk.outcome,
        });
        for delegation in &mut self.cache {
            for known in &mut delegation.servers {
                if known.name.as_ref() == Some(&name) && known.addrs.is_empty() {
                    known.addrs.clone_from(&addrs);
                }
            }
        }
        match addrs.first() {
            Some(addr) => Ok(*addr),
            None => {
                let kind = match result.kind {
                    OutcomeKind::DelegationCycle | OutcomeKind::LimitExceeded => result.kind,
                    _ => OutcomeKind::NoReachableServer,
                };
                fail(
                    hop,
                    outcome(kind, format!("no address for {shown}: {}", result.message)),
                )
            }
        }
    }
}

/// The delegation a referral describes: NS names in order, with their glue.
fn delegation_of(zone: &Name, ns: &[Record], glue: &[Record]) -> Delegation {
    let servers = ns
        .iter()
        .filter_map(classify::ns_target)
        .map(|target| {
            let mut addrs: Vec<IpAddr> = glue
                .iter()
                .filter(|r| r.name == target)
                .filter_map(|r| match &r.data {
                    RData::A(a) => Some(IpAddr::V4(a.0)),
                    RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                    _ => None,
                })
                .collect();
            addrs.sort_by_key(IpAddr::is_ipv6);
            NameServer {
                name: Some(target),
                addrs,
            }
        })
        .collect();
    Delegation {
        zone: zone.clone(),
        servers,
    }
}

/// Asks for the root NS set: a root server from the hints (RD=0), or `@server` (RD=1).
/// Returns what to show and the root delegation to walk from.
fn prime(
    budget: &Budget<'_>,
    settings: &Settings,
    hinted: &Delegation,
    servers: Option<&Vec<SocketAddr>>,
) -> (Priming, Delegation) {
    let style = settings.names;
    let mut flags = settings.flags.clone();
    let targets: Vec<SocketAddr> = match servers {
        Some(addrs) => {
            flags.recurse = true;
            addrs.clone()
        }
        None => hinted
            .servers
            .iter()
            .find_map(|s| s.addrs.iter().find(|a| settings.family.allows(a)))
            .map(|a| SocketAddr::new(*a, settings.port))
            .into_iter()
            .collect(),
    };
    let server_name = |addr: SocketAddr| {
        hinted
            .servers
            .iter()
            .find(|s| servers.is_none() && s.addrs.contains(&addr.ip()))
            .and_then(|s| s.name.as_ref())
            .map(|n| names::format(n, style))
    };
    let question = Question {
        name: Name::root(),
        rtype: RecordType::NS,
        class: DNSClass::IN,
    };
    let mut priming = Priming {
        server: ServerRef {
            name: None,
            address: String::new(),
            port: settings.port,
        },
        rtt_us: None,
        ns: Vec::new(),
        glue: Vec::new(),
        error: None,
    };
    if let Some(first) = targets.first() {
        priming.server = ServerRef {
            name: server_name(*first),
            address: first.ip().to_string(),
            port: first.port(),
        };
    }
    let result = policy::lookup(
        budget,
        &targets,
        &question,
        &flags,
        &settings.transport,
        &mut random::id,
    );
    let done = match result {
        Ok(done) => done,
        Err(failed) => {
            priming.error = Some(failed.describe());
            return (priming, hinted.clone());
        }
    };
    let message = &done.reply.message;
    priming.server = ServerRef {
        name: server_name(done.server),
        address: done.server.ip().to_string(),
        port: done.server.port(),
    };
    priming.rtt_us = u64::try_from(done.reply.rtt.as_micros()).ok();
    let ns: Vec<Record> = message
        .answers
        .iter()
        .filter(|r| r.record_type() == RecordType::NS && r.name.is_root())
        .cloned()
        .collect();
    let glue: Vec<Record> = message
        .additionals
        .iter()
        .filter(|r| matches!(r.record_type(), RecordType::A | RecordType::AAAA))
        .cloned()
        .collect();
    priming.ns = ns.iter().map(|r| report::record_info(r, style)).collect();
    priming.glue = glue.iter().map(|r| report::record_info(r, style)).collect();
    if ns.is_empty() {
        priming.error = Some(format!(
            "no root NS records in the reply ({})",
            crate::dns::wire::rcode_text(crate::dns::wire::rcode_number(message))
        ));
        return (priming, hinted.clone());
    }
    let mut primed = delegation_of(&Name::root(), &ns, &glue);
    for server in &mut primed.servers {
        if server.addrs.is_empty()
            && let Some(hint) = hinted.servers.iter().find(|h| h.name == server.name)
        {
            server.addrs.clone_from(&hint.addrs);
        }
    }
    primed.servers.retain(|s| !s.addrs.is_empty());
    if primed.servers.is_empty() {
        priming.error = Some("the root NS set came without addresses; walking from the hints".to_owned());
        return (priming, hinted.clone());
    }
    (priming, primed)
}

/// The lowest TTL of everything the result depends on.
fn min_ttl(hops: &[Hop], chain: &[CnameLink], answer: &[RecordInfo]) -> Option<u32> {
    let referrals = hops
        .iter()
        .filter_map(|h| h.referral.as_ref())
        .flat_map(|r| r.ns.iter().chain(&r.glue).map(|x| x.ttl));
    referrals
        .chain(chain.iter().map(|c| c.ttl))
        .chain(answer.iter().map(|r| r.ttl))
        .min()
}
