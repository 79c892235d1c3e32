//! `+lifecycle`'s I/O: the files, each resolver asked on its own (all at once), and a
//! TCP connect to each address of the answer; [`crate::lifecycle`] judges.

use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use hickory_proto::rr::{RData, Record, RecordType};

use crate::cli::plan::{LifecyclePlan, Plan};
use crate::dns::random;
use crate::dns::wire::{self, Question};
use crate::lifecycle::{self, Seen, files};
use crate::model::lifecycle::{Authority, Connect, Hosts, Lifecycle, NsSwitch, ResolverView};
use crate::model::report::record_info;
use crate::model::trace::TraceReport;
use crate::transport::Transport;
use crate::transport::policy;

/// A connect waits at most this long: "is the endpoint there", not "how slow is it".
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Adds the lifecycle of `question` to its trace `report`, and its findings.
pub(super) fn observe(
    plan: &Plan,
    steps: &LifecyclePlan,
    question: &Question,
    report: &mut TraceReport,
    transport: &dyn Transport,
) {
    let nsswitch = nsswitch(&steps.nsswitch);
    let hosts = hosts(&steps.hosts, &nsswitch, question);
    let mut resolvers: Vec<ResolverView> = std::thread::scope(|scope| {
        let asked: Vec<_> = steps
            .resolvers
            .iter()
            .map(|&server| scope.spawn(move || ask_resolver(plan, server, question, transport)))
            .collect();
        asked
            .into_iter()
            .zip(&steps.resolvers)
            .map(|(h, server)| {
                h.join()
                    .unwrap_or_else(|_| failed_view(*server, "internal error"))
            })
            .collect()
    });
    let outcome = serde_json::to_value(report.outcome.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut answer: Vec<String> = report.answer.iter().map(|r| r.data.clone()).collect();
    answer.sort();
    let authority = Authority {
        outcome,
        answer,
        ttl: report.answer.iter().map(|r| r.ttl).min(),
        time_us: report.summary.total_us,
    };
    let connect = match steps.connect {
        Some(port) => connect_all(
            &authority.answer,
            port,
            plan.transport.timeout.min(CONNECT_TIMEOUT),
        ),
        None => Vec::new(),
    };
    lifecycle::compare(&mut resolvers, &authority);
    let zone = report.hops.last().map(|h| h.zone.clone()).unwrap_or_default();
    let slowest_hop = report
        .hops
        .iter()
        .filter_map(|h| h.rtt_us.map(|t| (h.zone.as_str(), t)))
        .max_by_key(|(_, t)| *t);
    let seen = Seen {
        name: &report.query.name,
        zone: &zone,
        hosts: &hosts,
        authority: &authority,
        slowest_hop,
        connect: &connect,
    };
    let (findings, verdict) = lifecycle::judge(&seen, &resolvers);
    report.findings.extend(findings);
    report.lifecycle = Some(Lifecycle {
        nsswitch,
        hosts,
        resolvers,
        authoritative: authority,
        connect,
        verdict,
    });
}

fn nsswitch((file, text): &(String, Result<String, String>)) -> NsSwitch {
    let usual = || vec!["files".to_owned(), "dns".to_owned()];
    match text {
        Ok(text) => match files::hosts_order(text) {
            Some(order) => NsSwitch {
                file: file.clone(),
                order,
                error: None,
            },
            None => NsSwitch {
                file: file.clone(),
                order: usual(),
                error: Some("no hosts: line; files dns assumed".to_owned()),
            },
        },
        Err(e) => NsSwitch {
            file: file.clone(),
            order: usual(),
            error: Some(format!("{e}; files dns assumed")),
        },
    }
}

fn hosts((file, text): &(String, Result<String, String>), nsswitch: &NsSwitch, question: &Question) -> Hosts {
    let want_v6 = match question.rtype {
        RecordType::A => Some(false),
        RecordType::AAAA => Some(true),
        // The hosts file holds addresses only.
        _ => None,
    };
    let addresses: Vec<String> = match (text, want_v6) {
        (Ok(text), Some(v6)) => {
            let mut found: Vec<String> = files::addresses(text, &question.name.to_ascii(), v6)
                .iter()
                .map(IpAddr::to_string)
                .collect();
            found.sort();
            found
        }
        _ => Vec::new(),
    };
    let at = |source: &str| nsswitch.order.iter().position(|s| s == source);
    let first = match (at("files"), at("dns")) {
        (Some(files), Some(dns)) => files < dns,
        (Some(_), None) => true,
        _ => false,
    };
    Hosts {
        file: file.clone(),
        overrides_dns: first && !addresses.is_empty(),
        addresses,
        error: text.as_ref().err().cloned(),
    }
}

fn failed_view(server: SocketAddr, outcome: &str) -> ResolverView {
    ResolverView {
        server: format!("{}#{}", server.ip(), server.port()),
        outcome: outcome.to_owned(),
        rcode: None,
        answer: Vec::new(),
        ttl: None,
        age: None,
        rtt_us: None,
        agrees: false,
    }
}

/// One resolver asked the question with RD=1: its records of the asked type and the
/// TTL it has left for them (for a negative answer, the SOA's).
fn ask_resolver(
    plan: &Plan,
    server: SocketAddr,
    question: &Question,
    transport: &dyn Transport,
) -> ResolverView {
    let mut flags = plan.flags.clone();
    flags.recurse = true;
    let done = match policy::lookup(
        transport,
        &[server],
        question,
        &flags,
        &plan.transport,
        &mut random::id,
    ) {
        Ok(done) => done,
        Err(failed) => return failed_view(server, &failed.describe()),
    };
    let message = &done.reply.message;
    let rcode = wire::rcode_text(wire::rcode_number(message)).into_owned();
    let records: Vec<&Record> = message
        .answers
        .iter()
        .filter(|r| r.record_type() == question.rtype)
        .collect();
    let mut answer: Vec<String> = records
        .iter()
        .map(|r| record_info(r, plan.display.names).data)
        .collect();
    answer.sort();
    let ttl = if records.is_empty() {
        message.authorities.iter().find_map(|r| match &r.data {
            RData::SOA(soa) => Some(r.ttl.min(soa.minimum)),
            _ => None,
        })
    } else {
        records.iter().map(|r| r.ttl).min()
    };
    ResolverView {
        server: format!("{}#{}", server.ip(), server.port()),
        outcome: rcode.clone(),
        rcode: Some(rcode),
        answer,
        ttl,
        age: None,
        rtt_us: u64::try_from(done.reply.rtt.as_micros()).ok(),
        agrees: false,
    }
}

/// A TCP connect to each address, all at once.
fn connect_all(addresses: &[String], port: u16, timeout: Duration) -> Vec<Connect> {
    let targets: Vec<IpAddr> = addresses.iter().filter_map(|a| a.parse().ok()).collect();
    std::thread::scope(|scope| {
        let tried: Vec<_> = targets
            .iter()
            .map(|&ip| {
                scope.spawn(move || {
                    let started = Instant::now();
                    let result = TcpStream::connect_timeout(&SocketAddr::new(ip, port), timeout);
                    let took = u64::try_from(started.elapsed().as_micros()).ok();
                    Connect {
                        address: ip.to_string(),
                        port,
                        ok: result.is_ok(),
                        time_us: result.is_ok().then_some(took).flatten(),
                        error: result.err().map(|e| e.to_string()),
                    }
                })
            })
            .collect();
        tried
            .into_iter()
            .zip(&targets)
            .map(|(h, ip)| {
                h.join().unwrap_or_else(|_| Connect {
                    address: ip.to_string(),
                    port,
                    ok: false,
                    time_us: None,
                    error: Some("internal error".to_owned()),
                })
            })
            .collect()
    })
}
