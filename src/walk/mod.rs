//! The iterative walk behind `+trace`: from the root hints down the delegation chain,
//! RD=0, to the authoritative answer, following CNAMEs to the final records and
//! resolving glueless name server names with walks of their own.
//!
//! May use: dns, dnssec, transport, model.
//!
//! The walker is written against [`Transport`] (not as a sans-IO state machine): the
//! tool is synchronous, and a trait object lets the unit tests in `walk/tests.rs` run
//! whole hierarchies on a fake network and assert the exact sequence of questions.
//! Every decision about a reply is [`classify`]'s; this module decides whom to ask
//! next and records what happened in the [`trace`](crate::model::trace) model.
//!
//! Bounds, so that a hostile hierarchy cannot make dnscope send unbounded traffic or run
//! for ever: referrals per descent, CNAME hops, nested glueless walks, glueless names
//! resolved per zone cut (NXNS, CVE-2020-8616), and a budget of queries, queries per
//! server and wall-clock time for the whole trace; each one that ends the walk names
//! itself, and one that cuts a referral short says so on that hop.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant, SystemTime};

use hickory_proto::rr::Name;

use crate::dns::answer::effective_ttl;
use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype::{class_text, type_text};
use crate::dns::wire::{QueryFlags, Question};
use crate::model::report::RecordInfo;
use crate::model::trace::{CnameLink, Hop, Severity, Summary, TraceQuery, TraceReport};
use crate::transport::Transport;
use crate::transport::policy;
use crate::walk::budget::Budget;
use crate::walk::delegation::{Delegation, NameServer};
use crate::walk::prime::prime;
use crate::walk::roots::Hint;
use crate::walk::walker::Walker;

mod budget;
pub(crate) mod classify;
mod delegation;
mod findings;
mod hops;
mod prime;
mod probe;
pub(crate) mod providers;
mod race;
pub(crate) mod roots;
mod security;
mod walker;

#[cfg(test)]
mod tests;

/// Which address families of name servers may be asked (`-4`, `-6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Any,
    V4,
    V6,
}

impl Family {
    /// "of the allowed family", in words that name the flag.
    fn describe(self) -> &'static str {
        match self {
            Family::Any => "of either family",
            Family::V4 => "that -4 allows (IPv4)",
            Family::V6 => "that -6 allows (IPv6)",
        }
    }

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
pub(crate) struct Settings {
    /// Per-attempt timeout, tries, TCP and truncation handling.
    pub transport: policy::Settings,
    /// Header bits and EDNS of every query; RD is cleared by the walk.
    pub flags: QueryFlags,
    /// The port of every server asked (`-p`), so a lab can run on unprivileged ports.
    pub port: u16,
    pub family: Family,
    pub names: NameStyle,
    /// `+nsall`: ask every address of every name server of each cut, all at once.
    pub all_servers: bool,
    /// `+tcpcheck`: with `+nsall`, ask each server the zone's SOA over TCP too.
    pub tcp_check: bool,
    /// `+dnssec` on a trace: validate each cut and the answer.
    pub validation: Option<Validation>,
}

/// What DNSSEC validation starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Validation {
    /// Trust anchors, by the zone they are for (the root's are embedded).
    pub anchors: Vec<(Name, Vec<hickory_proto::dnssec::rdata::DS>)>,
    /// The moment validation is done as of.
    pub clock: crate::dnssec::verify::Clock,
}

/// The bounds of one trace.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Referrals in one descent from a cached cut to an answer.
    pub referrals: usize,
    /// CNAME and DNAME hops.
    pub cnames: usize,
    /// Glueless walks inside glueless walks.
    pub subwalk_depth: usize,
    /// Queries sent by the whole trace.
    pub queries: u32,
    /// Queries sent to any one server address by the whole trace.
    pub per_server: u32,
    /// Glueless name server names resolved for one zone cut.
    pub glueless_per_cut: usize,
    /// Glueless name server lookups that may fail (no address) before the trace stops
    /// resolving glueless names at all.
    pub glueless_failures: u32,
    /// Wall-clock time of the whole trace.
    pub time: Duration,
}

/// The query budget of a trace with `+nsall`, which asks every server of every cut.
pub(crate) const ALL_SERVERS_QUERIES: u32 = 400;

/// The default wall-clock budget of a trace (`+tracetime`, `--trace-timeout`).
pub(crate) const TRACE_TIME: Duration = Duration::from_secs(10);

impl Default for Limits {
    fn default() -> Self {
        Self {
            referrals: 32,
            cnames: 16,
            subwalk_depth: 4,
            queries: 150,
            // BIND and unbound resolve a handful of glueless names at a time and give up
            // after about five failures (unbound's MAX_TARGET_NX); so does the trace.
            per_server: 20,
            glueless_per_cut: 4,
            glueless_failures: 5,
            time: TRACE_TIME,
        }
    }
}

/// Where the root NS set comes from.
#[derive(Debug, Clone)]
pub(crate) enum Start {
    /// The hints; a root server is primed for the current set at the same time as the
    /// first referral is asked, so priming costs no round trip on the critical path.
    Hints,
    /// `@server` is asked for `. NS` (RD=1) first, as dig does.
    Server(Vec<SocketAddr>),
}

/// Walks for `question` and reports every step.
pub(crate) fn trace(
    transport: &dyn Transport,
    settings: &Settings,
    limits: Limits,
    hints: &[Hint],
    start: &Start,
    question: &Question,
    when: SystemTime,
) -> TraceReport {
    let started = Instant::now();
    let budget = Budget::new(transport, limits.queries, limits.per_server, limits.time);
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
        glueless_failed: 0,
        descents: 0,
        slowest_rtt: Duration::ZERO,
        probed: Vec::new(),
        last_reply: None,
        security: crate::walk::security::Security::default(),
        prefetched: None,
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
            .map(|c| effective_ttl(c.ttl))
            .chain(walk.answer.iter().map(|r| effective_ttl(r.ttl)))
            .min(),
        total_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        queries: budget.sent(),
        failures: walker.failures,
    };
    report.status = walk.outcome.status();
    report.dnssec = walker.security.answer_view();
    report.findings = findings::of_trace(&walk.hops, &walk.chain, &walk.answer);
    let mut exit = crate::model::exit::Exit::from_status(report.status);
    if report.dnssec.as_ref().is_some_and(|d| d.verdict == "bogus") {
        exit = exit.worst(crate::model::exit::Exit::BOGUS);
    }
    report.exit_code = if report.findings.iter().any(|f| f.severity == Severity::Error) {
        exit.worst(crate::model::exit::Exit::DIAGNOSIS).code()
    } else {
        exit.code()
    };
    report.hops = walk.hops;
    report.cname_chain = walk.chain;
    report.answer = walk.answer;
    report.outcome = walk.outcome;
    report
}

/// The lowest TTL of everything the result depends on.
fn min_ttl(hops: &[Hop], chain: &[CnameLink], answer: &[RecordInfo]) -> Option<u32> {
    let referrals = hops
        .iter()
        .filter_map(|h| h.referral.as_ref())
        .flat_map(|r| r.ns.iter().chain(&r.glue).map(|x| effective_ttl(x.ttl)));
    referrals
        .chain(chain.iter().map(|c| effective_ttl(c.ttl)))
        .chain(answer.iter().map(|r| effective_ttl(r.ttl)))
        .min()
}
