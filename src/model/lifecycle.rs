//! `+lifecycle`: the path a browser's lookup takes for a name, each step with what it
//! gave and how long it took: the hosts order of nsswitch.conf and the hosts file, each
//! resolver with the age of its cached copy, the authority (the trace), a TCP connect
//! to each address, and a verdict in the words of the usual complaints.

use serde::Serialize;

/// Every step of the lifecycle; the trace it belongs to is the authority.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Lifecycle {
    pub nsswitch: NsSwitch,
    pub hosts: Hosts,
    pub resolvers: Vec<ResolverView>,
    pub authoritative: Authority,
    pub connect: Vec<Connect>,
    pub verdict: LifecycleVerdict,
}

/// The `hosts:` line of nsswitch.conf.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NsSwitch {
    pub file: String,
    /// The sources in order (`files`, `dns`, `myhostname`, …).
    pub order: Vec<String>,
    /// Why the file could not be read (then `files dns` is assumed, the usual order).
    pub error: Option<String>,
}

/// What the hosts file says of the name.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Hosts {
    pub file: String,
    /// Its addresses of the asked family; empty without an entry.
    pub addresses: Vec<String>,
    /// An entry that nsswitch consults before DNS: DNS is never asked.
    pub overrides_dns: bool,
    pub error: Option<String>,
}

/// One resolver's answer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ResolverView {
    /// `address#port`.
    pub server: String,
    /// The rcode, or what went wrong.
    pub outcome: String,
    pub rcode: Option<String>,
    /// The data of its records of the asked type, sorted.
    pub answer: Vec<String>,
    /// The TTL it has left (the lowest of those records, or of the SOA of a negative
    /// answer).
    pub ttl: Option<u32>,
    /// How long ago it fetched its copy: the authoritative TTL minus what is left.
    pub age: Option<u32>,
    pub rtt_us: Option<u64>,
    /// Its answer is the authority's.
    pub agrees: bool,
}

/// The authoritative truth, from the trace.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Authority {
    /// The trace's outcome kind (`answer`, `nxdomain`, …).
    pub outcome: String,
    pub answer: Vec<String>,
    pub ttl: Option<u32>,
    pub time_us: u64,
}

/// A TCP connect to one address of the answer (`+connect`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Connect {
    pub address: String,
    pub port: u16,
    pub ok: bool,
    pub time_us: Option<u64>,
    pub error: Option<String>,
}

/// The one-line verdict.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LifecycleVerdict {
    /// `ok`, `hosts_override`, `stale_cache`, `nxdomain`, `nodata`, `resolver_failed`,
    /// `endpoint_unreachable`, `slow`, `no_answer`.
    pub kind: &'static str,
    pub message: String,
}
