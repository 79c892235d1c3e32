//! The settled plan of a run: what to ask, whom, how, and how to show it. Plain data,
//! made by the planner and read by the lookup, check and batch
//! layers above.

use std::net::SocketAddr;
use std::time::Duration;

use crate::dns::wire::{QueryFlags, Question};
use crate::expect::Expectation;
use crate::render::{Display, Format};
use crate::transport::policy::Settings;
use crate::walk::Family;
use crate::walk::roots::Hint;

/// One query to make: the question, or the questions the search list gives, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lookup {
    /// Candidates; the first that gets an answer ends the lookup.
    pub candidates: Vec<Question>,
}

/// Whether each lookup is one query or an iterative walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Ask the servers directly (dig's default).
    Direct,
    /// Walk from the root (`+trace`).
    Trace(Box<TracePlan>),
    /// A zone transfer (AXFR, or IXFR from the client's serial) over TCP.
    Transfer {
        /// `IXFR=SERIAL`: the version the client holds.
        serial: Option<u32>,
    },
}

/// What a `+trace` walk starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TracePlan {
    /// The root servers to start from.
    pub hints: Vec<Hint>,
    /// `@server` to prime the root NS set from, when given.
    pub prime_from: Option<Vec<SocketAddr>>,
    /// `-4`/`-6`.
    pub family: Family,
    /// The port of every server of the walk.
    pub port: u16,
    /// The wall-clock budget of the whole trace.
    pub time: Duration,
    /// `+nsall`, `--all-servers`.
    pub all_servers: bool,
    /// `+tcpcheck`, `--tcp-check`: with `+nsall`, probe TCP too.
    pub tcp_check: bool,
    /// `+dnssec` on a trace: validate, from these anchors, as of this moment.
    pub validation: Option<crate::walk::Validation>,
    /// `+lifecycle`: the resolvers to ask, the files read, the connect port.
    pub lifecycle: Option<LifecyclePlan>,
    /// `--strict`: a warning finding sets exit 8 too.
    pub strict: bool,
}

/// What `+lifecycle` asks besides the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LifecyclePlan {
    /// Each one asked on its own (`@server` words, `--resolvers public`, resolv.conf).
    pub resolvers: Vec<SocketAddr>,
    /// The hosts file as named, and its text or why it could not be read.
    pub hosts: (String, Result<String, String>),
    /// nsswitch.conf likewise.
    pub nsswitch: (String, Result<String, String>),
    /// `+connect[=PORT]`.
    pub connect: Option<u16>,
}

/// The servers to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Servers {
    /// How the user named them (`@ns1.example`) or where they came from.
    pub label: String,
    /// Addresses in the order they are tried.
    pub addresses: Vec<SocketAddr>,
}

/// Everything a run does, settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub mode: Mode,
    /// `--expect` assertions, judged on every lookup.
    pub expectations: Vec<Expectation>,
    pub lookups: Vec<Lookup>,
    pub servers: Servers,
    pub flags: QueryFlags,
    pub transport: Settings,
    /// `-y`, `-k`: the TSIG key queries and transfers are signed with.
    pub tsig: Option<crate::dns::tsig::Key>,
    pub format: Format,
    pub display: Display,
    /// The words after the program name, for the `cmd` line.
    pub command_line: String,
}
