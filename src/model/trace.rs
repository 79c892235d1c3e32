//! What happened in a `+trace` walk, as plain data for both renderers. Numbers stay
//! numbers (TTL seconds, RTT microseconds); names and rdata are presentation strings.

use serde::Serialize;

use crate::dns::answer::Status;
use crate::model::report::{RecordInfo, SCHEMA_VERSION};
use crate::transport::Protocol;

/// A whole trace: the walk for the name, CNAME restarts included.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TraceReport {
    pub schema_version: u32,
    /// Always "trace"; direct queries are "query".
    pub mode: &'static str,
    /// The line of the batch file (`-f`) this trace came from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub query: TraceQuery,
    pub when: String,
    pub status: Option<Status>,
    pub exit_code: u8,
    pub priming: Option<Priming>,
    pub hops: Vec<Hop>,
    pub cname_chain: Vec<CnameLink>,
    pub answer: Vec<RecordInfo>,
    pub outcome: Outcome,
    pub summary: Summary,
    /// `--expect` verdicts (empty without `--expect`).
    pub expectations: Vec<crate::model::verdict::Verdict>,
    /// What is wrong with the servers on the path (`+nsall`; empty without it).
    pub findings: Vec<Finding>,
    /// DNSSEC validation (`+dnssec` on a trace): the verdict on the final answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dnssec: Option<DnssecView>,
    /// `+lifecycle`: the name's whole path, from the hosts file to the endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<crate::model::lifecycle::Lifecycle>,
}

/// One thing wrong (or worth knowing) about the servers of a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Finding {
    /// Stable identifier, e.g. `lame_delegation`.
    pub code: &'static str,
    pub severity: Severity,
    pub zone: String,
    /// The servers concerned, as `name (address)`.
    pub servers: Vec<String>,
    /// One line a non-expert understands.
    pub message: String,
    /// What each server concerned gave.
    pub detail: String,
}

/// How much a finding matters: an error sets exit code 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    /// Worth knowing; never changes the exit code, `--strict` or not.
    Info,
    Warning,
    Error,
}

impl TraceReport {
    /// A report for `query` with the walk's parts filled in by the walker.
    pub(crate) fn new(query: TraceQuery, when: String) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            mode: "trace",
            line: None,
            query,
            when,
            status: None,
            exit_code: 0,
            priming: None,
            hops: Vec::new(),
            cname_chain: Vec::new(),
            answer: Vec::new(),
            outcome: Outcome {
                kind: OutcomeKind::NoReachableServer,
                message: String::new(),
            },
            summary: Summary::default(),
            expectations: Vec::new(),
            findings: Vec::new(),
            lifecycle: None,
            dnssec: None,
        }
    }
}

/// The question of a trace.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TraceQuery {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub type_code: u16,
    pub class: String,
}

/// A name server as the walk knew it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ServerRef {
    /// Its name, when known (root hints, referrals); null for `@server` addresses.
    pub name: Option<String>,
    pub address: String,
    pub port: u16,
}

/// The root NS set as asked for before the walk (RFC 8109).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Priming {
    pub server: ServerRef,
    pub rtt_us: Option<u64>,
    pub ns: Vec<RecordInfo>,
    pub glue: Vec<RecordInfo>,
    /// Why priming failed, when it did (the walk then uses the hints as they are).
    pub error: Option<String>,
}

/// What came of asking one zone cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum HopKind {
    Referral,
    Answer,
    Alias,
    Nxdomain,
    Nodata,
    Failed,
}

/// One zone cut asked: the server whose reply was used, and every failed attempt.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Hop {
    /// The zone whose servers were asked.
    pub zone: String,
    pub qname: String,
    pub qtype: String,
    /// The zone's servers were learned earlier in this trace (after a CNAME restart).
    pub cached: bool,
    pub server: Option<ServerRef>,
    pub protocol: Option<Protocol>,
    pub rtt_us: Option<u64>,
    pub rcode: Option<String>,
    pub aa: Option<bool>,
    pub outcome: HopKind,
    pub referral: Option<Referral>,
    /// Answer, alias or SOA records of the reply used.
    pub records: Vec<RecordInfo>,
    /// Attempts that failed, in order, before the reply used (all of them when none was).
    pub attempts: Vec<HopAttempt>,
    /// Walks that resolved glueless name server names for this hop.
    pub subwalks: Vec<Subwalk>,
    /// Provider hints and warnings.
    pub notes: Vec<String>,
    /// With `+nsall`: every address of every name server of the cut asked, in the
    /// referral's order, with what each gave.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<ServerResult>,
    /// DNSSEC validation: the verdict on this zone cut's keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dnssec: Option<DnssecView>,
}

/// A DNSSEC verdict: `secure`, `insecure`, `bogus` or `indeterminate`, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DnssecView {
    pub verdict: &'static str,
    pub reason: String,
    /// The DS that matched a key of the zone (a cut's verdict).
    pub ds: Option<DsUsed>,
    /// The key tags of the validated DNSKEY RRset.
    pub keys: Vec<u16>,
    /// The signatures that validated, with their validity window.
    pub signatures: Vec<SignatureUsed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DsUsed {
    pub key_tag: u16,
    pub algorithm: u8,
    pub digest_type: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SignatureUsed {
    pub key_tag: u16,
    pub algorithm: u8,
    /// Seconds since the epoch.
    pub inception: u64,
    pub expiration: u64,
}

/// What one server of a cut gave, under `+nsall`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServerResult {
    pub server: ServerRef,
    /// `answer`, `referral`, `nxdomain`, `nodata`, …: the step the reply was, or why it was
    /// not usable (`REFUSED`, `lame: …`, `timed out`).
    pub outcome: String,
    pub rtt_us: Option<u64>,
    pub rcode: Option<String>,
    pub aa: Option<bool>,
    /// The NS targets of its referral, or the data of its answer records, sorted.
    pub records: Vec<String>,
    /// Its reply was a step of the walk (a referral or a final answer), not a refusal,
    /// a lame or upward reply, or silence.
    #[serde(skip)]
    pub usable: bool,
    /// The serial of the zone's SOA as this server holds it (an authoritative answer to
    /// `ZONE SOA`); null when it gave none.
    pub serial: Option<u32>,
    /// The zone's NS set as this server holds it (authoritative, sorted targets), and
    /// its TTL: the child's side of the delegation.
    pub ns: Vec<String>,
    pub ns_ttl: Option<u32>,
    /// The lowest TTL of the records it gave (answer, alias or referral NS set).
    pub ttl: Option<u32>,
    /// The EDNS of its reply: null when the reply had no OPT record.
    pub edns: Option<EdnsSeen>,
    /// What was wrong with its EDNS handling, seen in passing (no extra probe).
    pub edns_problem: Option<String>,
    /// Whether it answers over TCP (`+tcpcheck`): null when not probed.
    pub tcp: Option<TcpProbe>,
    /// The addresses it gives (authoritatively) for the zone's own name server names,
    /// the ones inside the zone: what the parent's glue must match.
    pub ns_addresses: Vec<NsAddresses>,
}

/// The OPT record of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct EdnsSeen {
    pub version: u8,
    pub udp_size: u16,
}

/// A server asked the zone's SOA over TCP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TcpProbe {
    pub ok: bool,
    pub rtt_us: Option<u64>,
    /// The rcode, or what went wrong.
    pub outcome: String,
}

/// A name server name's addresses as one of the zone's own servers gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NsAddresses {
    pub name: String,
    /// Sorted; empty when the server has none (NXDOMAIN or no A/AAAA).
    pub addresses: Vec<String>,
    pub ttl: Option<u32>,
    /// The types asked (1 for A, 28 for AAAA): `-4` and `-6` ask one.
    #[serde(skip)]
    pub asked: Vec<u16>,
}

/// A delegation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Referral {
    pub zone: String,
    pub ns: Vec<RecordInfo>,
    pub glue: Vec<RecordInfo>,
    /// Additional records outside the bailiwick of the server asked: not used.
    pub ignored: Vec<RecordInfo>,
    /// The lowest TTL of the NS set.
    pub ttl: u32,
}

/// A failed attempt.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HopAttempt {
    pub server: ServerRef,
    pub outcome: String,
    pub rtt_us: Option<u64>,
}

/// The walk that found the addresses of a glueless name server.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Subwalk {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub hops: Vec<Hop>,
    pub cname_chain: Vec<CnameLink>,
    pub answer: Vec<RecordInfo>,
    pub outcome: Outcome,
}

/// One CNAME or DNAME on the way.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CnameLink {
    pub owner: String,
    pub target: String,
    pub ttl: u32,
    #[serde(rename = "type")]
    pub rtype: String,
    /// The zone whose server gave it.
    pub zone: String,
}

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum OutcomeKind {
    Answer,
    Nxdomain,
    Nodata,
    /// Every server of a zone answered with an error rcode.
    Servfail,
    /// No server of a zone gave a usable reply.
    NoReachableServer,
    /// Referral depth, CNAME hops, sub-walk depth or the query budget ran out.
    LimitExceeded,
    /// The trace's wall-clock budget ran out (`--trace-timeout`).
    TraceTimeout,
    CnameLoop,
    /// A zone whose name servers can only be found through itself.
    DelegationCycle,
}

/// The end of a walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Outcome {
    pub kind: OutcomeKind,
    pub message: String,
}

impl Outcome {
    /// The status and exit code this outcome gives (a resolver would answer SERVFAIL
    /// for loops and exhausted limits, so they count as an error rcode).
    pub(crate) fn status(&self) -> Option<Status> {
        match self.kind {
            OutcomeKind::Answer => Some(Status::Answer),
            OutcomeKind::Nxdomain => Some(Status::Nxdomain),
            OutcomeKind::Nodata => Some(Status::Nodata),
            OutcomeKind::NoReachableServer | OutcomeKind::TraceTimeout => None,
            _ => Some(Status::Error),
        }
    }
}

/// Totals.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Summary {
    /// The lowest TTL on the path: referrals, glue, CNAMEs and the answer.
    pub min_ttl: Option<u32>,
    /// How long a resolver may cache the result: the lowest TTL of the CNAME chain and answer.
    pub answer_ttl: Option<u32>,
    /// Wall time of the whole trace.
    pub total_us: u64,
    /// Queries sent.
    pub queries: u32,
    /// Attempts that failed.
    pub failures: u32,
}
