//! Walks over a fake network: canned replies by (server, name, type), every question
//! recorded, so each test asserts the sequence of questions as well as the result.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use hickory_proto::op::{Message, OpCode, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, NS, SOA};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use super::*;
use crate::dns::wire::EdnsSettings;
use crate::model::trace::{HopKind, OutcomeKind};
use crate::transport::Protocol;
use crate::transport::{Failure, Reply, Request, TransportError};
use crate::walk::roots::Hint;

enum Canned {
    Reply(Message),
    Timeout,
    /// A silent server: the attempt waits its whole timeout.
    Silent,
    /// This reply, but only once every question marked so has arrived (it waits for
    /// the others at most its timeout): questions asked one after another never meet.
    Together(Message),
}

#[derive(Default)]
struct FakeNet {
    replies: HashMap<(IpAddr, String, RecordType), Canned>,
    asked: Mutex<Vec<(IpAddr, String, RecordType, bool)>>,
    /// How long each attempt at a silent server waited, in order.
    waited: Mutex<Vec<Duration>>,
    /// The `Together` questions arrived so far, and a bell for each arrival.
    gathered: (Mutex<usize>, std::sync::Condvar),
}

fn name(text: &str) -> Name {
    crate::dns::names::parse(text).unwrap()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

impl FakeNet {
    fn on(mut self, server: &str, qname: &str, qtype: RecordType, reply: Message) -> Self {
        self.replies
            .insert((ip(server), name(qname).to_ascii(), qtype), Canned::Reply(reply));
        self
    }

    fn silent(mut self, server: &str, qname: &str, qtype: RecordType) -> Self {
        self.replies
            .insert((ip(server), name(qname).to_ascii(), qtype), Canned::Silent);
        self
    }

    /// How many questions went to `server`.
    fn asked_of(&self, server: &str) -> usize {
        self.asked
            .lock()
            .unwrap()
            .iter()
            .filter(|(s, ..)| *s == ip(server))
            .count()
    }

    fn together(mut self, server: &str, qname: &str, qtype: RecordType, reply: Message) -> Self {
        self.replies.insert(
            (ip(server), name(qname).to_ascii(), qtype),
            Canned::Together(reply),
        );
        self
    }

    fn dead(mut self, server: &str, qname: &str, qtype: RecordType) -> Self {
        self.replies
            .insert((ip(server), name(qname).to_ascii(), qtype), Canned::Timeout);
        self
    }

    /// "server name TYPE" of every question but priming, in order.
    fn asked(&self) -> Vec<String> {
        self.asked
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, n, t, _)| !(n == "." && *t == RecordType::NS))
            .map(|(s, n, t, _)| format!("{s} {n} {t}"))
            .collect()
    }
}

impl Transport for FakeNet {
    fn exchange(&self, request: &Request<'_>) -> Result<Reply, TransportError> {
        let query = Message::from_vec(request.wire).unwrap();
        let q = &query.queries[0];
        let key = (request.expect.server.ip(), q.name.to_ascii(), q.query_type);
        self.asked
            .lock()
            .unwrap()
            .push((key.0, key.1.clone(), key.2, query.metadata.recursion_desired));
        match self.replies.get(&key) {
            Some(Canned::Reply(reply)) => Ok(answered(reply, &query)),
            Some(Canned::Silent) => {
                self.waited.lock().unwrap().push(request.timeout);
                // Like the UDP transport: give up within a few milliseconds once told to.
                let until = std::time::Instant::now() + request.timeout;
                while std::time::Instant::now() < until {
                    if request
                        .cancel
                        .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
                    {
                        return Err(TransportError {
                            failure: Failure::Abandoned,
                            ignored: vec![],
                        });
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(TransportError {
                    failure: Failure::Timeout,
                    ignored: vec![],
                })
            }
            Some(Canned::Together(reply)) => {
                let expected = self
                    .replies
                    .values()
                    .filter(|c| matches!(c, Canned::Together(_)))
                    .count();
                let (count, bell) = &self.gathered;
                let mut arrived = count.lock().unwrap();
                *arrived += 1;
                bell.notify_all();
                let (arrived, waited) = bell
                    .wait_timeout_while(arrived, request.timeout, |n| *n < expected)
                    .unwrap();
                drop(arrived);
                if waited.timed_out() {
                    return Err(TransportError {
                        failure: Failure::Timeout,
                        ignored: vec![],
                    });
                }
                Ok(answered(reply, &query))
            }
            Some(Canned::Timeout) => Err(TransportError {
                failure: Failure::Timeout,
                ignored: vec![],
            }),
            None => Err(TransportError {
                failure: Failure::Io(format!("unexpected query {} {} {}", key.0, key.1, key.2)),
                ignored: vec![],
            }),
        }
    }
}

/// `reply` as the answer to `query`: its ID and question.
fn answered(reply: &Message, query: &Message) -> Reply {
    let mut reply = reply.clone();
    reply.metadata.id = query.metadata.id;
    reply.queries = query.queries.clone();
    Reply {
        size: 100,
        message: reply,
        rtt: Duration::from_millis(5),
        ignored: vec![],
        wire: None,
        tls: None,
    }
}

fn message() -> Message {
    Message::response(0, OpCode::Query)
}

fn referral(zone: &str, servers: &[(&str, Option<&str>)]) -> Message {
    let mut m = message();
    for (ns, addr) in servers {
        m.authorities
            .push(Record::from_rdata(name(zone), 172_800, RData::NS(NS(name(ns)))));
        if let Some(addr) = addr {
            let rdata = match ip(addr) {
                IpAddr::V4(v4) => RData::A(A(v4)),
                IpAddr::V6(v6) => RData::AAAA(AAAA(v6)),
            };
            m.additionals.push(Record::from_rdata(name(ns), 86_400, rdata));
        }
    }
    m
}

fn answer(records: Vec<Record>) -> Message {
    let mut m = message();
    m.metadata.authoritative = true;
    m.answers = records;
    m
}

fn a(owner: &str, addr: &str, ttl: u32) -> Record {
    let IpAddr::V4(v4) = ip(addr) else { panic!() };
    Record::from_rdata(name(owner), ttl, RData::A(A(v4)))
}

fn cname(owner: &str, target: &str) -> Record {
    Record::from_rdata(name(owner), 300, RData::CNAME(CNAME(name(target))))
}

fn negative(zone: &str, rcode: ResponseCode) -> Message {
    let mut m = message();
    m.metadata.authoritative = true;
    m.metadata.response_code = rcode;
    m.authorities.push(Record::from_rdata(
        name(zone),
        300,
        RData::SOA(SOA::new(name("ns.test"), name("h.test"), 1, 2, 3, 4, 60)),
    ));
    m
}

fn rcode(code: ResponseCode) -> Message {
    let mut m = message();
    m.metadata.response_code = code;
    m
}

const ROOT: &str = "127.0.0.1";
const TLD: &str = "127.0.0.2";
const AUTH: &str = "127.0.0.3";

fn hints() -> Vec<Hint> {
    vec![Hint {
        name: name("a.root.test."),
        addrs: vec![ip(ROOT)],
    }]
}

fn settings(family: Family) -> Settings {
    Settings {
        transport: policy::Settings {
            tcp: false,
            ignore_truncation: false,
            tries: 1,
            timeout: Duration::from_millis(50),
            tls: None,
            https: None,
            source: None,
        },
        flags: QueryFlags::recursive(Some(EdnsSettings::new(1232))),
        port: 53,
        family,
        names: NameStyle::default(),
        all_servers: false,
        tcp_check: false,
        validation: None,
    }
}

fn run_with(
    net: &FakeNet,
    qname: &str,
    qtype: RecordType,
    limits: Limits,
    start: &Start,
    family: Family,
) -> TraceReport {
    let question = Question {
        name: name(qname),
        rtype: qtype,
        class: DNSClass::IN,
    };
    trace(
        net,
        &settings(family),
        limits,
        &hints(),
        start,
        &question,
        SystemTime::UNIX_EPOCH,
    )
}

fn run(net: &FakeNet, qname: &str) -> TraceReport {
    run_with(
        net,
        qname,
        RecordType::A,
        Limits::default(),
        &Start::Hints,
        Family::Any,
    )
}

/// A network whose root server answers the priming query.
fn primed() -> FakeNet {
    FakeNet::default().on(
        ROOT,
        ".",
        RecordType::NS,
        answer(vec![Record::from_rdata(
            Name::root(),
            518_400,
            RData::NS(NS(name("a.root.test."))),
        )]),
    )
}

/// Root → test. → example.test., the base of most scenarios.
fn chain() -> FakeNet {
    primed()
        .on(
            ROOT,
            "www.example.test",
            RecordType::A,
            referral("test.", &[("ns.tld.test.", Some(TLD))]),
        )
        .on(
            TLD,
            "www.example.test",
            RecordType::A,
            referral("example.test.", &[("ns.example.test.", Some(AUTH))]),
        )
        .on(
            AUTH,
            "www.example.test",
            RecordType::A,
            answer(vec![a("www.example.test.", "192.0.2.1", 300)]),
        )
}

fn kinds(report: &TraceReport) -> Vec<(String, HopKind)> {
    report.hops.iter().map(|h| (h.zone.clone(), h.outcome)).collect()
}

#[test]
fn plain_delegation_chain() {
    let net = chain();
    let report = run(&net, "www.example.test");
    assert_eq!(
        net.asked(),
        [
            "127.0.0.1 www.example.test. A",
            "127.0.0.2 www.example.test. A",
            "127.0.0.3 www.example.test. A"
        ]
    );
    assert_eq!(report.outcome.kind, OutcomeKind::Answer);
    assert_eq!(report.exit_code, 0);
    assert_eq!(
        kinds(&report),
        [
            (".".into(), HopKind::Referral),
            ("test.".into(), HopKind::Referral),
            ("example.test.".into(), HopKind::Answer)
        ]
    );
    let first = &report.hops[0];
    assert_eq!(
        first.server.as_ref().unwrap().name.as_deref(),
        Some("a.root.test.")
    );
    assert_eq!(first.rtt_us, Some(5000));
    assert_eq!(first.protocol, Some(Protocol::Udp));
    let referral = first.referral.as_ref().unwrap();
    assert_eq!(
        (referral.zone.as_str(), referral.ttl, referral.glue.len()),
        ("test.", 172_800, 1)
    );
    assert_eq!(report.answer[0].data, "192.0.2.1");
    assert_eq!(report.summary.min_ttl, Some(300));
    assert_eq!(report.summary.answer_ttl, Some(300));
    assert_eq!(
        report.summary.queries, 4,
        "three referral steps and the priming query"
    );
    let priming = report.priming.as_ref().unwrap();
    assert_eq!((priming.ns.len(), priming.error.as_deref()), (1, None));
    // Every query of the walk goes out with RD=0.
    assert!(net.asked.lock().unwrap().iter().all(|q| !q.3));
}

#[test]
fn glueless_name_servers_get_their_own_walk_and_cnames_restart_from_cached_cuts() {
    let net = FakeNet::default()
        .on(ROOT, ".", RecordType::NS, answer(vec![]))
        .on(
            ROOT,
            "www.shop.test",
            RecordType::A,
            referral("test.", &[("ns.tld.test.", Some(TLD))]),
        )
        .on(
            TLD,
            "www.shop.test",
            RecordType::A,
            referral("shop.test.", &[("ns-1.awsdns-01.net.", None)]),
        )
        .on(
            ROOT,
            "ns-1.awsdns-01.net",
            RecordType::A,
            referral("net.", &[("ns.tld.net.", Some("127.0.0.4"))]),
        )
        .on(
            "127.0.0.4",
            "ns-1.awsdns-01.net",
            RecordType::A,
            referral("awsdns-01.net.", &[("ns.awsdns-01.net.", Some("127.0.0.5"))]),
        )
        .on(
            "127.0.0.5",
            "ns-1.awsdns-01.net",
            RecordType::A,
            answer(vec![a("ns-1.awsdns-01.net.", "127.0.0.6", 172_800)]),
        )
        .on(
            "127.0.0.6",
            "www.shop.test",
            RecordType::A,
            answer(vec![cname("www.shop.test.", "d111abcdef8.cloudfront.net.")]),
        )
        .on(
            "127.0.0.4",
            "d111abcdef8.cloudfront.net",
            RecordType::A,
            referral("cloudfront.net.", &[("ns.cloudfront.net.", Some("127.0.0.7"))]),
        )
        .on(
            "127.0.0.7",
            "d111abcdef8.cloudfront.net",
            RecordType::A,
            answer(vec![a("d111abcdef8.cloudfront.net.", "192.0.2.80", 60)]),
        );
    let report = run(&net, "www.shop.test");
    assert_eq!(
        net.asked(),
        [
            "127.0.0.1 www.shop.test. A",
            "127.0.0.2 www.shop.test. A",
            "127.0.0.1 ns-1.awsdns-01.net. A",
            "127.0.0.4 ns-1.awsdns-01.net. A",
            "127.0.0.5 ns-1.awsdns-01.net. A",
            "127.0.0.6 www.shop.test. A",
            // net. was learned by the glueless walk: the CNAME target starts there.
            "127.0.0.4 d111abcdef8.cloudfront.net. A",
            "127.0.0.7 d111abcdef8.cloudfront.net. A",
        ]
    );
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::Answer,
        "{}",
        report.outcome.message
    );
    let shop = &report.hops[2];
    assert_eq!(shop.zone, "shop.test.");
    assert_eq!(shop.subwalks.len(), 1);
    assert_eq!(shop.subwalks[0].name, "ns-1.awsdns-01.net.");
    assert_eq!(shop.subwalks[0].hops.len(), 3);
    assert!(
        report.hops[1].notes.iter().any(|n| n.contains("Route 53")),
        "{:?}",
        report.hops[1].notes
    );
    assert!(
        shop.notes.iter().any(|n| n.contains("CloudFront")),
        "{:?}",
        shop.notes
    );
    let restart = &report.hops[3];
    assert_eq!((restart.zone.as_str(), restart.cached), ("net.", true));
    assert_eq!(report.cname_chain.len(), 1);
    assert_eq!(report.cname_chain[0].target, "d111abcdef8.cloudfront.net.");
    assert_eq!(report.cname_chain[0].zone, "shop.test.");
    assert_eq!(report.summary.answer_ttl, Some(60));
}

#[test]
fn lame_and_dead_servers_are_skipped() {
    let mut lame = message();
    lame.metadata.authoritative = false;
    let net = chain()
        .on(
            ROOT,
            "www.example.test",
            RecordType::A,
            referral(
                "test.",
                &[
                    ("ns1.tld.test.", Some("127.0.0.8")),
                    ("ns2.tld.test.", Some("127.0.0.9")),
                    ("ns3.tld.test.", Some(TLD)),
                ],
            ),
        )
        .on("127.0.0.8", "www.example.test", RecordType::A, lame)
        .dead("127.0.0.9", "www.example.test", RecordType::A);
    let report = run(&net, "www.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::Answer);
    let tld = &report.hops[1];
    let outcomes: Vec<&str> = tld.attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["lame: not authoritative and no referral", "timed out"]);
    assert_eq!(tld.server.as_ref().unwrap().address, TLD);
    assert_eq!(report.summary.failures, 2);
}

#[test]
fn a_silent_server_is_raced_after_the_hedge_delay_not_waited_out() {
    let net = chain()
        .on(
            ROOT,
            "www.example.test",
            RecordType::A,
            referral(
                "test.",
                &[("ns1.tld.test.", Some("127.0.0.8")), ("ns2.tld.test.", Some(TLD))],
            ),
        )
        .silent("127.0.0.8", "www.example.test", RecordType::A);
    let mut slow = settings(Family::Any);
    slow.transport.timeout = Duration::from_secs(2);
    let question = Question {
        name: name("www.example.test"),
        rtype: RecordType::A,
        class: DNSClass::IN,
    };
    let started = std::time::Instant::now();
    let report = trace(
        &net,
        &slow,
        Limits::default(),
        &hints(),
        &Start::Hints,
        &question,
        SystemTime::UNIX_EPOCH,
    );
    let took = started.elapsed();
    assert_eq!(report.outcome.kind, OutcomeKind::Answer, "{:?}", report.outcome);
    let tld = &report.hops[1];
    assert_eq!(tld.server.as_ref().unwrap().address, TLD);
    let outcome = &tld.attempts[0].outcome;
    assert!(
        outcome.starts_with("no reply within 1")
            && outcome.ends_with("not waited for, another server answered first"),
        "{outcome}"
    );
    assert_eq!(*net.waited.lock().unwrap(), [Duration::from_secs(2)]);
    // The 2 s attempt was given up once the second server answered.
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[test]
fn all_servers_dead_means_no_reachable_server() {
    let net = chain().dead(TLD, "www.example.test", RecordType::A);
    let report = run(&net, "www.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::NoReachableServer);
    assert_eq!(report.exit_code, 9);
    assert_eq!(report.hops.last().unwrap().outcome, HopKind::Failed);
    assert!(
        report.outcome.message.contains("no server of test."),
        "{}",
        report.outcome.message
    );
}

#[test]
fn a_refusal_and_a_timeout_are_no_reachable_server_not_an_rcode() {
    let net = chain()
        .on(
            ROOT,
            "www.example.test",
            RecordType::A,
            referral(
                "test.",
                &[
                    ("ns1.tld.test.", Some("127.0.0.8")),
                    ("ns2.tld.test.", Some("127.0.0.9")),
                ],
            ),
        )
        .on(
            "127.0.0.8",
            "www.example.test",
            RecordType::A,
            rcode(ResponseCode::Refused),
        )
        .dead("127.0.0.9", "www.example.test", RecordType::A);
    let report = run(&net, "www.example.test");
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::NoReachableServer,
        "{:?}",
        report.outcome
    );
    assert_eq!(report.exit_code, 9);
    let outcomes: Vec<&str> = report.hops[1]
        .attempts
        .iter()
        .map(|a| a.outcome.as_str())
        .collect();
    assert_eq!(outcomes, ["REFUSED", "timed out"]);
}

#[test]
fn servfail_everywhere_is_an_error_rcode() {
    let net = chain().on(
        TLD,
        "www.example.test",
        RecordType::A,
        rcode(ResponseCode::ServFail),
    );
    let report = run(&net, "www.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::Servfail);
    assert_eq!(report.exit_code, 5);
}

#[test]
fn negative_answers_carry_their_soa() {
    let net = chain().on(
        AUTH,
        "www.example.test",
        RecordType::A,
        negative("example.test.", ResponseCode::NXDomain),
    );
    let report = run(&net, "www.example.test");
    assert_eq!(
        (report.outcome.kind, report.exit_code),
        (OutcomeKind::Nxdomain, 3)
    );
    assert_eq!(report.hops.last().unwrap().records[0].rtype, "SOA");
    let net = chain().on(
        AUTH,
        "www.example.test",
        RecordType::A,
        negative("example.test.", ResponseCode::NoError),
    );
    let report = run(&net, "www.example.test");
    assert_eq!((report.outcome.kind, report.exit_code), (OutcomeKind::Nodata, 4));
}

#[test]
fn cname_loops_and_long_chains_end_the_walk() {
    let net = chain()
        .on(
            AUTH,
            "www.example.test",
            RecordType::A,
            answer(vec![cname("www.example.test.", "b.example.test.")]),
        )
        .on(
            ROOT,
            "b.example.test",
            RecordType::A,
            referral("test.", &[("ns.tld.test.", Some(TLD))]),
        )
        .on(
            AUTH,
            "b.example.test",
            RecordType::A,
            answer(vec![cname("b.example.test.", "www.example.test.")]),
        );
    let report = run(&net, "www.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::CnameLoop);
    assert_eq!(
        report.outcome.message,
        "CNAME loop: www.example.test. → b.example.test. → www.example.test."
    );
    assert_eq!(report.exit_code, 5);
    // b.example.test is asked straight at example.test.'s server, learned before.
    assert_eq!(net.asked().len(), 4);

    let mut long = chain();
    for i in 0..20 {
        let (from, to) = (format!("c{i}.example.test"), format!("c{}.example.test.", i + 1));
        long = long.on(
            AUTH,
            &from,
            RecordType::A,
            answer(vec![cname(&format!("{from}."), &to)]),
        );
    }
    long = long
        .on(
            ROOT,
            "c0.example.test",
            RecordType::A,
            referral("test.", &[("ns.tld.test.", Some(TLD))]),
        )
        .on(
            TLD,
            "c0.example.test",
            RecordType::A,
            referral("example.test.", &[("ns.example.test.", Some(AUTH))]),
        );
    let report = run(&long, "c0.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::LimitExceeded);
    assert_eq!(report.outcome.message, "more than 16 CNAME hops");
    assert_eq!(report.cname_chain.len(), 17);
}

#[test]
fn upward_referral_is_skipped() {
    let net = chain()
        .on(
            ROOT,
            "www.example.test",
            RecordType::A,
            referral(
                "test.",
                &[("up.tld.test.", Some("127.0.0.8")), ("ns.tld.test.", Some(TLD))],
            ),
        )
        .on(
            "127.0.0.8",
            "www.example.test",
            RecordType::A,
            referral(".", &[("a.root.test.", Some(ROOT))]),
        );
    let report = run(&net, "www.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::Answer);
    assert_eq!(report.hops[1].attempts[0].outcome, "upward referral to .");
}

#[test]
fn the_query_budget_is_enforced() {
    let net = chain();
    // Two queries cannot reach the answer whichever way priming and the walk share them.
    let limits = Limits {
        queries: 2,
        ..Limits::default()
    };
    let report = run_with(
        &net,
        "www.example.test",
        RecordType::A,
        limits,
        &Start::Hints,
        Family::Any,
    );
    assert_eq!(report.outcome.kind, OutcomeKind::LimitExceeded);
    assert_eq!(report.outcome.message, "query budget of 2 queries spent");
    assert_eq!(report.summary.queries, 2);
}

#[test]
fn a_zone_reachable_only_through_itself_is_a_cycle() {
    let net = FakeNet::default()
        .on(ROOT, ".", RecordType::NS, answer(vec![]))
        .on(
            ROOT,
            "www.a.test",
            RecordType::A,
            referral("test.", &[("ns.tld.test.", Some(TLD))]),
        )
        .on(
            TLD,
            "www.a.test",
            RecordType::A,
            referral("a.test.", &[("ns.b.test.", None)]),
        )
        .on(
            TLD,
            "ns.b.test",
            RecordType::A,
            referral("b.test.", &[("ns.a.test.", None)]),
        )
        .on(
            TLD,
            "ns.a.test",
            RecordType::A,
            referral("a.test.", &[("ns.b.test.", None)]),
        );
    let report = run(&net, "www.a.test");
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::DelegationCycle,
        "{}",
        report.outcome.message
    );
    assert!(
        report
            .outcome
            .message
            .contains("ns.b.test. → ns.a.test. → ns.b.test."),
        "{}",
        report.outcome.message
    );
    assert_eq!(report.exit_code, 5);
}

#[test]
fn out_of_bailiwick_glue_is_not_trusted() {
    let net = chain()
        .on(TLD, "www.example.test", RecordType::A, {
            let mut m = referral("example.test.", &[("ns.evil.org.", Some("127.0.0.66"))]);
            m.additionals.push(a("ns.example.test.", "127.0.0.67", 60));
            m
        })
        .on(
            ROOT,
            "ns.evil.org",
            RecordType::A,
            referral("org.", &[("ns.tld.org.", Some("127.0.0.10"))]),
        )
        .on(
            "127.0.0.10",
            "ns.evil.org",
            RecordType::A,
            answer(vec![a("ns.evil.org.", AUTH, 300)]),
        );
    let report = run(&net, "www.example.test");
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::Answer,
        "{}",
        report.outcome.message
    );
    assert!(
        !net.asked().iter().any(|q| q.starts_with("127.0.0.66")),
        "{:?}",
        net.asked()
    );
    let referral = report.hops[1].referral.as_ref().unwrap();
    assert_eq!((referral.glue.len(), referral.ignored.len()), (0, 2));
    assert!(report.hops[1].notes[0].starts_with("ignored 2 additional record(s)"));
}

#[test]
fn ipv6_only_servers_with_dash_6() {
    let mut answered = answer(vec![]);
    answered.answers.push(Record::from_rdata(
        name("www.example.test."),
        300,
        RData::AAAA(AAAA("2001:db8::80".parse().unwrap())),
    ));
    let net = FakeNet::default()
        .on("::1", ".", RecordType::NS, answer(vec![]))
        .on(
            "::1",
            "www.example.test",
            RecordType::AAAA,
            referral(
                "test.",
                &[
                    ("ns.tld.test.", Some("127.0.0.2")),
                    ("ns6.tld.test.", Some("::2")),
                ],
            ),
        )
        .on(
            "::2",
            "www.example.test",
            RecordType::AAAA,
            referral(
                "example.test.",
                &[
                    ("ns.example.test.", Some("127.0.0.3")),
                    ("ns6.example.test.", Some("::3")),
                ],
            ),
        )
        .on("::3", "www.example.test", RecordType::AAAA, answered);
    let question = Question {
        name: name("www.example.test"),
        rtype: RecordType::AAAA,
        class: DNSClass::IN,
    };
    let v6_hints = vec![Hint {
        name: name("a.root.test."),
        addrs: vec![ip(ROOT), ip("::1")],
    }];
    let report = trace(
        &net,
        &settings(Family::V6),
        Limits::default(),
        &v6_hints,
        &Start::Hints,
        &question,
        SystemTime::UNIX_EPOCH,
    );
    assert_eq!(
        net.asked(),
        [
            "::1 www.example.test. AAAA",
            "::2 www.example.test. AAAA",
            "::3 www.example.test. AAAA"
        ],
        "only IPv6 servers are asked, the IPv4 glue listed first is passed over"
    );
    assert_eq!(report.outcome.kind, OutcomeKind::Answer, "{:?}", report.outcome);
    assert_eq!(report.answer[0].data, "2001:db8::80");
    assert_eq!(report.hops[2].server.as_ref().unwrap().address, "::3");
}

#[test]
fn priming_through_a_server_uses_its_root_set() {
    let mut primed = answer(vec![Record::from_rdata(
        Name::root(),
        518_400,
        RData::NS(NS(name("x.root.test."))),
    )]);
    primed.additionals.push(a("x.root.test.", "127.0.0.11", 518_400));
    let net = chain().on("127.0.0.53", ".", RecordType::NS, primed).on(
        "127.0.0.11",
        "www.example.test",
        RecordType::A,
        referral("test.", &[("ns.tld.test.", Some(TLD))]),
    );
    let start = Start::Server(vec!["127.0.0.53:53".parse().unwrap()]);
    let report = run_with(
        &net,
        "www.example.test",
        RecordType::A,
        Limits::default(),
        &start,
        Family::Any,
    );
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::Answer,
        "{}",
        report.outcome.message
    );
    let asked = net.asked.lock().unwrap().clone();
    assert_eq!(
        (asked[0].0, asked[0].1.as_str(), asked[0].3),
        (ip("127.0.0.53"), ".", true),
        "priming asks @server with RD=1"
    );
    assert_eq!(report.hops[0].server.as_ref().unwrap().address, "127.0.0.11");
}

#[test]
fn a_reply_truncated_even_over_tcp_sends_the_walk_to_the_next_server() {
    let mut truncated = answer(vec![]);
    truncated.metadata.truncation = true;
    let net = chain()
        .on(
            TLD,
            "www.example.test",
            RecordType::A,
            referral(
                "example.test.",
                &[
                    ("ns.example.test.", Some(AUTH)),
                    ("ns2.example.test.", Some("127.0.0.4")),
                ],
            ),
        )
        .on(AUTH, "www.example.test", RecordType::A, truncated)
        .on(
            "127.0.0.4",
            "www.example.test",
            RecordType::A,
            answer(vec![a("www.example.test.", "192.0.2.1", 300)]),
        );
    let report = run(&net, "www.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::Answer, "{:?}", report.outcome);
    let last = report.hops.last().unwrap();
    assert_eq!(last.server.as_ref().unwrap().address, "127.0.0.4");
    let outcomes: Vec<&str> = last.attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["truncated reply (TC=1) without the answer"]);
    // The truncated server was asked over UDP, then again over TCP.
    assert_eq!(
        net.asked().iter().filter(|q| q.starts_with(AUTH)).count(),
        2,
        "{:?}",
        net.asked()
    );
}

#[test]
fn ttls_with_the_top_bit_set_count_as_zero_in_the_summary() {
    let net = chain().on(
        AUTH,
        "www.example.test",
        RecordType::A,
        answer(vec![a("www.example.test.", "192.0.2.1", 0x8000_0000)]),
    );
    let report = run(&net, "www.example.test");
    assert_eq!(report.outcome.kind, OutcomeKind::Answer);
    assert_eq!(report.summary.answer_ttl, Some(0));
    assert_eq!(report.summary.min_ttl, Some(0));
    assert_eq!(
        report.answer[0].ttl, 0x8000_0000,
        "the record keeps its raw value"
    );
    let notes = &report.hops.last().unwrap().notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("TTL 2147483648") && n.contains("read as 0")),
        "{notes:?}"
    );
}

#[test]
fn dash_4_with_ipv6_glue_only_says_so_instead_of_a_cycle() {
    let net = chain().on(
        TLD,
        "www.example.test",
        RecordType::A,
        referral("example.test.", &[("ns6.example.test.", Some("::1"))]),
    );
    let report = run_with(
        &net,
        "www.example.test",
        RecordType::A,
        Limits::default(),
        &Start::Hints,
        Family::V4,
    );
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::NoReachableServer,
        "{:?}",
        report.outcome
    );
    assert_eq!(
        report.outcome.message,
        "no server of example.test. has an address that -4 allows (IPv4)"
    );
    assert!(
        !net.asked().iter().any(|q| q.contains("ns6.example.test.")),
        "no walk for the server's own name: {:?}",
        net.asked()
    );
}

/// `www.victim.test` delegated to `count` glueless name servers `nsN.other.test.`,
/// whose zone's only server (AUTH) answers every name with `third_party`'s behaviour.
fn nxns(count: usize, silent: bool) -> FakeNet {
    let names: Vec<String> = (1..=count).map(|i| format!("ns{i}.other.test.")).collect();
    let servers: Vec<(&str, Option<&str>)> = names.iter().map(|n| (n.as_str(), None)).collect();
    let mut net = chain()
        .on(
            TLD,
            "www.victim.test",
            RecordType::A,
            referral("victim.test.", &servers),
        )
        .on(
            ROOT,
            "www.victim.test",
            RecordType::A,
            referral("test.", &[("ns.tld.test.", Some(TLD))]),
        );
    for ns in &names {
        net = net.on(
            TLD,
            ns,
            RecordType::A,
            referral("other.test.", &[("ns.other.test.", Some(AUTH))]),
        );
        net = if silent {
            net.silent(AUTH, ns, RecordType::A)
        } else {
            net.on(
                AUTH,
                ns,
                RecordType::A,
                negative("other.test.", ResponseCode::NXDomain),
            )
        };
    }
    net
}

#[test]
fn nxns_delegations_resolve_only_a_few_glueless_names_per_cut() {
    let net = nxns(500, false);
    let report = run(&net, "www.victim.test");
    // One NXDOMAIN per name tried, the zone cut of other.test. learned once.
    assert_eq!(net.asked_of(AUTH), 4, "{:?}", net.asked());
    assert_eq!(report.outcome.kind, OutcomeKind::NoReachableServer);
    assert_eq!(
        report.outcome.message,
        "no server of victim.test. gave a usable reply (4 attempt(s); 496 glueless name server(s) not tried)"
    );
    let hop = report.hops.last().unwrap();
    assert_eq!(hop.zone, "victim.test.");
    assert_eq!(
        hop.notes,
        [
            "resolved 4 of 500 glueless name servers (at most 4 per zone cut, against NXNS-style amplification); 496 not tried"
        ]
    );
    assert!(report.summary.queries < 12, "{}", report.summary.queries);
}

#[test]
fn failed_glueless_lookups_stop_glueless_resolution_for_the_whole_trace() {
    let net = nxns(10, false);
    let limits = Limits {
        glueless_per_cut: 10,
        glueless_failures: 3,
        ..Limits::default()
    };
    let report = run_with(
        &net,
        "www.victim.test",
        RecordType::A,
        limits,
        &Start::Hints,
        Family::Any,
    );
    assert_eq!(net.asked_of(AUTH), 3, "{:?}", net.asked());
    assert_eq!(
        report.hops.last().unwrap().notes,
        [
            "7 glueless name server(s) not resolved: 3 glueless lookups already failed in this trace (the limit)"
        ]
    );
}

#[test]
fn no_server_gets_more_than_its_share_of_one_trace() {
    let net = nxns(10, false);
    let limits = Limits {
        glueless_per_cut: 10,
        glueless_failures: 10,
        per_server: 3,
        ..Limits::default()
    };
    let report = run_with(
        &net,
        "www.victim.test",
        RecordType::A,
        limits,
        &Start::Hints,
        Family::Any,
    );
    assert_eq!(net.asked_of(AUTH), 3, "{:?}", net.asked());
    // The TLD server was asked for the referral and for other.test. once.
    assert_eq!(net.asked_of(TLD), 2, "{:?}", net.asked());
    let subwalk = &report.hops.last().unwrap().subwalks[3];
    assert_eq!(
        subwalk.outcome.message,
        "no server of other.test. gave a usable reply (1 attempt(s))"
    );
    assert_eq!(
        subwalk.hops[0].attempts[0].outcome,
        "not asked: 3 queries already went to this server in this trace"
    );
}

#[test]
fn a_trace_stops_when_its_time_is_spent_and_says_where() {
    let net = nxns(500, true);
    let limits = Limits {
        time: Duration::from_millis(120),
        ..Limits::default()
    };
    let started = std::time::Instant::now();
    let report = run_with(
        &net,
        "www.victim.test",
        RecordType::A,
        limits,
        &Start::Hints,
        Family::Any,
    );
    let took = started.elapsed();
    assert!(took < Duration::from_millis(400), "{took:?}");
    assert_eq!(
        report.outcome.kind,
        OutcomeKind::TraceTimeout,
        "{:?}",
        report.outcome
    );
    assert_eq!(report.status, None);
    assert_eq!(report.exit_code, 9);
    // Which step the budget ran out on (a glueless name of other.test., or victim.test.
    // itself just after) depends on how busy the machine is; that it names the step,
    // and that no attempt outlived the budget, does not.
    let message = &report.outcome.message;
    assert!(
        message.contains("the trace's time budget of 120ms ran out while asking the servers of ")
            && (message.starts_with("no address for ns")
                || message.contains("of victim.test. for www.victim.test. A")),
        "{message}"
    );
    // Each silent attempt waits 50ms at most, and the last is cut to what was left: left
    // uncut, three would sum to 150ms.
    let timeouts = net.waited.lock().unwrap().clone();
    assert!(
        timeouts.iter().all(|t| *t <= Duration::from_millis(50)),
        "{timeouts:?}"
    );
    assert!(
        timeouts.iter().sum::<Duration>() <= Duration::from_millis(120),
        "{timeouts:?}"
    );
}

#[test]
fn nsall_resolves_the_glueless_name_servers_of_a_cut_at_once() {
    // Each name server's address is given only while the other's is being asked for:
    // walks made one after another would both time out.
    let net = FakeNet::default()
        .on(
            ROOT,
            "www.victim.test",
            RecordType::A,
            referral("test.", &[("ns.tld.test.", Some(TLD))]),
        )
        .on(
            TLD,
            "www.victim.test",
            RecordType::A,
            referral(
                "victim.test.",
                &[("ns1.other.test.", None), ("ns2.other.test.", None)],
            ),
        )
        .together(
            TLD,
            "ns1.other.test",
            RecordType::A,
            answer(vec![a("ns1.other.test.", "127.0.0.5", 300)]),
        )
        .together(
            TLD,
            "ns2.other.test",
            RecordType::A,
            answer(vec![a("ns2.other.test.", "127.0.0.6", 300)]),
        )
        .on(
            "127.0.0.5",
            "www.victim.test",
            RecordType::A,
            answer(vec![a("www.victim.test.", "192.0.2.5", 300)]),
        )
        .on(
            "127.0.0.6",
            "www.victim.test",
            RecordType::A,
            answer(vec![a("www.victim.test.", "192.0.2.5", 300)]),
        );
    let mut all = settings(Family::Any);
    all.all_servers = true;
    let question = Question {
        name: name("www.victim.test"),
        rtype: RecordType::A,
        class: DNSClass::IN,
    };
    let report = trace(
        &net,
        &all,
        Limits::default(),
        &hints(),
        &Start::Hints,
        &question,
        SystemTime::UNIX_EPOCH,
    );
    assert_eq!(report.outcome.kind, OutcomeKind::Answer, "{:?}", report.outcome);
    let cut = &report.hops[2];
    let found: Vec<(&str, usize)> = cut
        .subwalks
        .iter()
        .map(|s| (s.name.as_str(), s.answer.len()))
        .collect();
    assert_eq!(
        found,
        [("ns1.other.test.", 1), ("ns2.other.test.", 1)],
        "in the referral's order"
    );
    let asked: Vec<&str> = cut.servers.iter().map(|s| s.server.address.as_str()).collect();
    assert_eq!(asked, ["127.0.0.5", "127.0.0.6"]);
}

/// The records of the fixture zone at `owner` with the given types (RRSIGs only those
/// covering one of them).
fn signed_at(records: &[Record], owner: &str, types: &[RecordType]) -> Vec<Record> {
    records
        .iter()
        .filter(|r| r.name == name(owner))
        .filter(|r| {
            types.contains(&r.record_type())
                || crate::dnssec::keys::rrsig(r).is_some_and(|s| types.contains(&s.input().type_covered))
        })
        .cloned()
        .collect()
}

/// Root (unsigned, no anchor) → alg13.test. (signed by BIND, anchored by its DS), and
/// its unsigned delegation sub.alg13.test.
fn signed_world(tamper: bool) -> (FakeNet, Settings) {
    let (records, ds) = crate::dnssec::fixtures::zone("alg13.test.");
    let mut www = answer(signed_at(&records, "www.alg13.test.", &[RecordType::A]));
    if tamper {
        www.answers[0].data = RData::A(A::new(192, 0, 2, 66));
    }
    let mut keys = answer(signed_at(&records, "alg13.test.", &[RecordType::DNSKEY]));
    keys.metadata.authoritative = true;
    let mut to_sub = referral("sub.alg13.test.", &[("ns.sub.alg13.test.", Some("127.0.0.5"))]);
    to_sub
        .authorities
        .extend(signed_at(&records, "sub.alg13.test.", &[RecordType::NSEC]));
    let net = primed()
        .on(
            ROOT,
            "www.alg13.test",
            RecordType::A,
            referral("alg13.test.", &[("ns1.alg13.test.", Some(AUTH))]),
        )
        .on(
            ROOT,
            "www.sub.alg13.test",
            RecordType::A,
            referral("alg13.test.", &[("ns1.alg13.test.", Some(AUTH))]),
        )
        .on(AUTH, "www.alg13.test", RecordType::A, www)
        .on(AUTH, "alg13.test", RecordType::DNSKEY, keys)
        .on(AUTH, "www.sub.alg13.test", RecordType::A, to_sub)
        .on(
            "127.0.0.5",
            "www.sub.alg13.test",
            RecordType::A,
            answer(vec![a("www.sub.alg13.test.", "192.0.2.55", 300)]),
        );
    let mut validating = settings(Family::Any);
    validating.validation = Some(Validation {
        anchors: vec![(name("alg13.test."), ds)],
        clock: crate::dnssec::verify::Clock {
            now: crate::dnssec::fixtures::IN_WINDOW,
            skew: crate::dnssec::verify::Clock::SKEW,
        },
    });
    (net, validating)
}

fn validated(net: &FakeNet, settings: &Settings, qname: &str) -> TraceReport {
    let question = Question {
        name: name(qname),
        rtype: RecordType::A,
        class: DNSClass::IN,
    };
    trace(
        net,
        settings,
        Limits::default(),
        &hints(),
        &Start::Hints,
        &question,
        SystemTime::UNIX_EPOCH,
    )
}

fn verdicts(report: &TraceReport) -> Vec<(String, &'static str, String)> {
    report
        .hops
        .iter()
        .map(|h| {
            let d = h.dnssec.as_ref().unwrap();
            (h.zone.clone(), d.verdict, d.reason.clone())
        })
        .collect()
}

#[test]
fn a_trace_validates_each_cut_and_the_answer_from_its_anchor() {
    let (net, settings) = signed_world(false);
    let report = validated(&net, &settings, "www.alg13.test");
    let (_, ds) = crate::dnssec::fixtures::zone("alg13.test.");
    assert_eq!(
        verdicts(&report),
        [
            (
                ".".to_owned(),
                "indeterminate",
                "no trust anchor for . (give one with --trust-anchor)".to_owned()
            ),
            (
                "alg13.test.".to_owned(),
                "secure",
                format!("DS 2 → KSK {} alg 13, DNSKEY signed", ds[0].key_tag())
            ),
        ]
    );
    let answer = report.dnssec.as_ref().unwrap();
    assert_eq!(answer.verdict, "secure", "{answer:?}");
    assert!(answer.reason.starts_with("signed by key "), "{answer:?}");
    assert_eq!(report.exit_code, 0);
    assert!(
        net.asked().contains(&"127.0.0.3 alg13.test. DNSKEY".to_owned()),
        "{:?}",
        net.asked()
    );

    // A tampered answer: bogus, exit 7, and the reason.
    let (net, settings) = signed_world(true);
    let report = validated(&net, &settings, "www.alg13.test");
    let answer = report.dnssec.as_ref().unwrap();
    assert_eq!(answer.verdict, "bogus");
    assert!(
        answer.reason.starts_with("www.alg13.test. A: signature by key "),
        "{answer:?}"
    );
    assert_eq!(report.exit_code, 7);

    // Without validation nothing is judged and no DNSKEY is asked.
    let (net, mut plain) = signed_world(false);
    plain.validation = None;
    let report = validated(&net, &plain, "www.alg13.test");
    assert!(report.dnssec.is_none() && report.hops.iter().all(|h| h.dnssec.is_none()));
    assert!(!net.asked().iter().any(|q| q.ends_with("DNSKEY")));
}

#[test]
fn an_unsigned_delegation_proved_by_nsec_is_insecure() {
    let (net, settings) = signed_world(false);
    let report = validated(&net, &settings, "www.sub.alg13.test");
    let found = verdicts(&report);
    assert_eq!(found[1].1, "secure", "{found:?}");
    assert_eq!(
        found[2],
        (
            "sub.alg13.test.".to_owned(),
            "insecure",
            "no DS (NSEC proof)".to_owned()
        )
    );
    let answer = report.dnssec.as_ref().unwrap();
    assert_eq!(
        (answer.verdict, answer.reason.as_str()),
        ("insecure", "sub.alg13.test. is not secure")
    );
    assert_eq!(report.exit_code, 0);
    // The insecure zone's keys are not asked for.
    assert!(
        !net.asked()
            .contains(&"127.0.0.5 sub.alg13.test. DNSKEY".to_owned())
    );
}
