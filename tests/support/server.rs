//! An in-process authoritative DNS server for tests, on a 127.0.0.x address and a free
//! port, serving zones over UDP and TCP with hickory-proto and std threads, and
//! misbehaving on command (see [`Mode`]).

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use hickory_proto::dnssec::rdata::DNSSECRData;
use hickory_proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::rdata::opt::EdnsOption;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::txt::Parser;

/// What a forged reply gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spoof {
    /// The right reply with another message ID.
    Id,
    /// The right ID, a reply for another question.
    Question,
    /// The right reply, sent from another port.
    Port,
}

/// How the server treats the next queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Answer from the zone.
    Normal,
    /// Never answer.
    Silent,
    /// Drop this many queries, then answer normally.
    SilentFor(u32),
    /// Answer after this long.
    Delay(Duration),
    /// Set TC and drop every record on UDP; answer fully over TCP.
    TruncateUdp,
    /// Answer with this rcode and no records.
    Rcode(u16),
    /// FORMERR without OPT to any query that has EDNS; answer plain queries normally.
    EdnsFormerr,
    /// Answer normally, with the first A record's address changed after signing (a
    /// tampered answer).
    TamperA,
    /// Answer normally, but never with an OPT record (a server that ignores EDNS).
    IgnoreEdns,
    /// Answer over UDP; close every TCP connection unanswered.
    UdpOnly,
    /// Our ID followed by bytes that are not a DNS message.
    Garbage,
    /// Only a forged reply.
    SpoofOnly(Spoof),
    /// A forged reply, then the right one.
    SpoofThenAnswer(Spoof),
    /// Over TCP, send the reply a few bytes at a time.
    TcpTrickle,
    /// Over TCP, close the connection after half the reply.
    TcpCutShort,
    /// NOERROR without AA and without records: a server that does not serve the zone.
    Lame,
    /// An authoritative answer whose only record belongs to another name.
    ForeignAnswer,
    /// The right reply with another opcode.
    OtherOpcode(u8),
    /// TC set and no records, over UDP and over TCP alike.
    TruncateAll,
    /// The right reply with every TTL set to 2^31 (the top bit).
    TopBitTtl,
    /// An authoritative reply whose answer section is these resource records, bytes as
    /// given (after the question, which starts at offset 12, for compression pointers).
    RawAnswer(u16, &'static [u8]),
    /// Drop the first query for each name that starts with this label prefix; answer
    /// everything else (a lossy path that a retry gets through).
    DropFirstTryOf(&'static str),
}

/// Records of one zone, parsed from zone-file text.
#[derive(Debug, Clone)]
pub(crate) struct Zone {
    pub origin: Name,
    pub records: Vec<Record>,
    /// The RRSIGs of a signed zone (see `signer.rs`), sent to queries with the DO bit.
    pub rrsigs: Vec<Record>,
}

impl Zone {
    /// Parses `text` with `$ORIGIN` `origin` (hickory's zone parser: no RFC 3597, no `@`
    /// in rdata; add such records with [`Zone::add`]).
    pub(crate) fn parse(origin: &str, text: &str) -> Zone {
        let origin = Name::from_ascii(origin).unwrap();
        let (_, sets) = Parser::new(text, None, Some(origin.clone()))
            .parse()
            .expect("test zone parses");
        let records = sets
            .values()
            .flat_map(|set| set.records_without_rrsigs().cloned())
            .collect();
        Zone {
            origin,
            records,
            rrsigs: Vec::new(),
        }
    }

    /// Adds a record built in code.
    pub(crate) fn add(&mut self, name: &str, ttl: u32, rdata: RData) {
        self.records
            .push(Record::from_rdata(Name::from_ascii(name).unwrap(), ttl, rdata));
    }

    fn at<'a>(&'a self, name: &'a Name) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.iter().filter(move |r| &r.name == name)
    }

    fn soa(&self) -> Vec<Record> {
        self.at(&self.origin)
            .filter(|r| r.record_type() == RecordType::SOA)
            .cloned()
            .collect()
    }

    fn exists(&self, name: &Name) -> bool {
        self.records.iter().any(|r| name.zone_of(&r.name))
    }

    /// The delegation (a non-apex NS set) at or above `name`, if any.
    fn cut_for(&self, name: &Name) -> Option<Name> {
        self.records
            .iter()
            .filter(|r| r.record_type() == RecordType::NS && r.name != self.origin && r.name.zone_of(name))
            .map(|r| r.name.clone())
            .max_by_key(Name::num_labels)
    }

    fn glue_for(&self, targets: &[Name], into: &mut Vec<Record>) {
        for target in targets {
            into.extend(
                self.at(target)
                    .filter(|r| matches!(r.record_type(), RecordType::A | RecordType::AAAA))
                    .cloned(),
            );
        }
    }

    /// The authoritative reply to `query`, with its RRSIGs, DS and NSEC records when
    /// the zone is signed and the query has the DO bit.
    pub(crate) fn answer(&self, query: &Message) -> Message {
        let mut reply = self.plain_answer(query);
        let dnssec_ok = query.edns.as_ref().is_some_and(|e| e.flags().dnssec_ok);
        if dnssec_ok && !self.rrsigs.is_empty() {
            self.add_dnssec(&mut reply);
        }
        reply
    }

    fn sigs_for(&self, owner: &Name, rtype: RecordType) -> Vec<Record> {
        self.rrsigs
            .iter()
            .filter(|s| {
                &s.name == owner
                    && matches!(&s.data, RData::DNSSEC(DNSSECRData::RRSIG(sig)) if sig.input().type_covered == rtype)
            })
            .cloned()
            .collect()
    }

    fn add_dnssec(&self, reply: &mut Message) {
        let mut sets: Vec<(Name, RecordType)> = reply
            .answers
            .iter()
            .filter(|r| self.origin.zone_of(&r.name))
            .map(|r| (r.name.clone(), r.record_type()))
            .collect();
        sets.dedup();
        for (owner, rtype) in sets {
            let sigs = self.sigs_for(&owner, rtype);
            reply.answers.extend(sigs);
        }
        if !reply.metadata.authoritative {
            // A referral: the DS set and its signature, or the NSEC proving there is none.
            let Some(cut) = reply.authorities.first().map(|r| r.name.clone()) else {
                return;
            };
            let ds: Vec<Record> = self
                .records
                .iter()
                .filter(|r| r.name == cut && r.record_type() == RecordType::DS)
                .cloned()
                .collect();
            let rtype = if ds.is_empty() {
                RecordType::NSEC
            } else {
                RecordType::DS
            };
            let proof: Vec<Record> = self
                .records
                .iter()
                .filter(|r| r.name == cut && r.record_type() == rtype)
                .cloned()
                .collect();
            reply.authorities.extend(proof);
            reply.authorities.extend(self.sigs_for(&cut, rtype));
        } else if reply.answers.is_empty() {
            // A denial: the SOA's signature and every NSEC of the zone (more than a
            // server needs to send, which must not prove more than it should).
            reply
                .authorities
                .extend(self.sigs_for(&self.origin, RecordType::SOA));
            let nsecs: Vec<Record> = self
                .records
                .iter()
                .filter(|r| r.record_type() == RecordType::NSEC)
                .cloned()
                .collect();
            for nsec in nsecs {
                let sigs = self.sigs_for(&nsec.name, RecordType::NSEC);
                reply.authorities.push(nsec);
                reply.authorities.extend(sigs);
            }
        }
    }

    fn plain_answer(&self, query: &Message) -> Message {
        // The opcode is copied into the response (RFC 1035 §4.1.1).
        let mut reply = Message::response(query.metadata.id, query.metadata.op_code);
        reply.metadata.recursion_desired = query.metadata.recursion_desired;
        reply.queries = query.queries.clone();
        let Some(question) = query.queries.first() else {
            reply.metadata.response_code = ResponseCode::FormErr;
            return reply;
        };
        if !self.origin.zone_of(&question.name) {
            reply.metadata.response_code = ResponseCode::Refused;
            return reply;
        }
        if let Some(cut) = self.cut_for(&question.name) {
            let ns: Vec<Record> = self
                .at(&cut)
                .filter(|r| r.record_type() == RecordType::NS)
                .cloned()
                .collect();
            let targets: Vec<Name> = ns
                .iter()
                .filter_map(|r| match &r.data {
                    RData::NS(n) => Some(n.0.clone()),
                    _ => None,
                })
                .collect();
            reply.authorities = ns;
            self.glue_for(&targets, &mut reply.additionals);
            return reply;
        }
        reply.metadata.authoritative = true;
        let wanted = question.query_type;
        let mut name = question.name.clone();
        for _ in 0..16 {
            let matching: Vec<Record> = self
                .at(&name)
                .filter(|r| wanted == RecordType::ANY || r.record_type() == wanted)
                .cloned()
                .collect();
            if !matching.is_empty() {
                let targets: Vec<Name> = matching
                    .iter()
                    .filter_map(|r| match &r.data {
                        RData::MX(mx) => Some(mx.exchange.clone()),
                        RData::NS(ns) => Some(ns.0.clone()),
                        RData::SRV(srv) => Some(srv.target.clone()),
                        _ => None,
                    })
                    .collect();
                reply.answers.extend(matching);
                self.glue_for(&targets, &mut reply.additionals);
                return reply;
            }
            let cname = self
                .at(&name)
                .find(|r| r.record_type() == RecordType::CNAME)
                .cloned();
            match cname {
                Some(record) => {
                    let RData::CNAME(target) = &record.data else {
                        unreachable!()
                    };
                    let target = target.0.clone();
                    reply.answers.push(record);
                    if !self.origin.zone_of(&target) {
                        return reply;
                    }
                    name = target;
                }
                None => {
                    if !self.exists(&name) {
                        reply.metadata.response_code = ResponseCode::NXDomain;
                    }
                    reply.authorities = self.soa();
                    return reply;
                }
            }
        }
        reply
    }
}

/// What the server learned from each query, for assertions.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub message: Message,
    pub over_tcp: bool,
    /// The query's bytes, for what hickory-proto does not decode (the Z bit).
    pub bytes: Vec<u8>,
    /// Where it came from.
    pub from: SocketAddr,
}

/// The reply of a server holding `zones`: from the deepest zone containing the name.
fn answer_from(zones: &[Zone], query: &Message) -> Message {
    let zone = query.queries.first().and_then(|q| {
        zones
            .iter()
            .filter(|z| z.origin.zone_of(&q.name))
            .max_by_key(|z| z.origin.num_labels())
    });
    match zone {
        Some(zone) => zone.answer(query),
        None => {
            let mut reply = Message::response(query.metadata.id, OpCode::Query);
            reply.queries = query.queries.clone();
            reply.metadata.response_code = ResponseCode::Refused;
            reply
        }
    }
}

#[derive(Debug)]
struct State {
    zones: Mutex<Vec<Zone>>,
    mode: Mutex<Mode>,
    seen: Mutex<Vec<Seen>>,
    nsid: Mutex<Option<Vec<u8>>>,
    ede: Mutex<Option<(u16, String)>>,
    /// Delayed UDP replies being held, now and at most.
    in_flight: std::sync::atomic::AtomicUsize,
    peak: std::sync::atomic::AtomicUsize,
}

/// A running test server. Its threads live until the test process ends.
#[derive(Debug, Clone)]
pub(crate) struct TestServer {
    pub addr: SocketAddr,
    state: Arc<State>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1.
    pub(crate) fn start(zone: Zone) -> TestServer {
        TestServer::start_on(IpAddr::V4(Ipv4Addr::LOCALHOST), zone)
    }

    /// Starts a server on `ip` (any 127.0.0.x, or ::1), UDP and TCP on one free port.
    pub(crate) fn start_on(ip: IpAddr, zone: Zone) -> TestServer {
        let (udp, tcp) = bind_pair(ip);
        TestServer::spawn(udp, tcp, vec![zone])
    }

    /// Starts one server per (address, zones), all on the same free port, as a whole
    /// hierarchy on loopback needs (`-p` applies to every server of a walk).
    pub(crate) fn start_many(servers: Vec<(IpAddr, Vec<Zone>)>) -> Vec<TestServer> {
        let ips: Vec<IpAddr> = servers.iter().map(|(ip, _)| *ip).collect();
        let sockets = bind_all(&ips);
        sockets
            .into_iter()
            .zip(servers)
            .map(|((udp, tcp), (_, zones))| TestServer::spawn(udp, tcp, zones))
            .collect()
    }

    fn spawn(udp: UdpSocket, tcp: TcpListener, zones: Vec<Zone>) -> TestServer {
        let addr = udp.local_addr().unwrap();
        let state = Arc::new(State {
            zones: Mutex::new(zones),
            mode: Mutex::new(Mode::Normal),
            seen: Mutex::new(Vec::new()),
            nsid: Mutex::new(None),
            ede: Mutex::new(None),
            in_flight: std::sync::atomic::AtomicUsize::new(0),
            peak: std::sync::atomic::AtomicUsize::new(0),
        });
        let udp_state = Arc::clone(&state);
        thread::spawn(move || serve_udp(udp, udp_state));
        let tcp_state = Arc::clone(&state);
        thread::spawn(move || serve_tcp(tcp, tcp_state));
        TestServer { addr, state }
    }

    pub(crate) fn set_mode(&self, mode: Mode) {
        *self.state.mode.lock().unwrap() = mode;
    }

    pub(crate) fn mode(&self) -> Mode {
        self.state.mode.lock().unwrap().clone()
    }

    pub(crate) fn set_nsid(&self, nsid: &[u8]) {
        *self.state.nsid.lock().unwrap() = Some(nsid.to_vec());
    }

    pub(crate) fn set_ede(&self, code: u16, text: &str) {
        *self.state.ede.lock().unwrap() = Some((code, text.to_owned()));
    }

    pub(crate) fn replace_zone(&self, zone: Zone) {
        *self.state.zones.lock().unwrap() = vec![zone];
    }

    /// The most delayed UDP queries held at once (with [`Mode::Delay`]).
    pub(crate) fn peak_in_flight(&self) -> usize {
        self.state.peak.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Every query received so far, in order.
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// `@ADDR` and `-p PORT` for the command line.
    pub(crate) fn at(&self) -> Vec<String> {
        vec![
            format!("@{}", self.addr.ip()),
            "-p".to_owned(),
            self.addr.port().to_string(),
        ]
    }
}

/// UDP and TCP on one port that is free on every address.
fn bind_all(ips: &[IpAddr]) -> Vec<(UdpSocket, TcpListener)> {
    'port: for _ in 0..50 {
        let port = UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut bound = Vec::new();
        for ip in ips {
            let udp = UdpSocket::bind(SocketAddr::new(*ip, port));
            let tcp = TcpListener::bind(SocketAddr::new(*ip, port));
            match (udp, tcp) {
                (Ok(udp), Ok(tcp)) => bound.push((udp, tcp)),
                _ => continue 'port,
            }
        }
        return bound;
    }
    panic!("no port free on all of {ips:?}");
}

fn bind_pair(ip: IpAddr) -> (UdpSocket, TcpListener) {
    for _ in 0..50 {
        let udp = UdpSocket::bind(SocketAddr::new(ip, 0)).expect("bind UDP on loopback");
        let port = udp.local_addr().unwrap().port();
        if let Ok(tcp) = TcpListener::bind(SocketAddr::new(ip, port)) {
            return (udp, tcp);
        }
    }
    panic!("no free port with both UDP and TCP on {ip}");
}

/// One thing to send back.
struct Outgoing {
    bytes: Vec<u8>,
    from_other_port: bool,
}

/// Whether `query` is the first one this server has seen for its name
/// (the query itself is already recorded in `seen`).
fn first_try(state: &State, query: &Message) -> bool {
    let name = query.queries.first().map(|q| q.name());
    let seen = state.seen.lock().unwrap();
    seen.iter()
        .filter(|s| s.message.queries.first().map(|q| q.name()) == name)
        .count()
        == 1
}

fn respond(
    state: &State,
    query_bytes: &[u8],
    over_tcp: bool,
    from: SocketAddr,
) -> (Vec<Outgoing>, Duration, Mode) {
    let mode = {
        let mut current = state.mode.lock().unwrap();
        let mode = current.clone();
        if let Mode::SilentFor(n) = mode {
            *current = if n <= 1 {
                Mode::Normal
            } else {
                Mode::SilentFor(n - 1)
            };
        }
        mode
    };
    let Ok(query) = Message::from_vec(query_bytes) else {
        return (vec![], Duration::ZERO, mode);
    };
    state.seen.lock().unwrap().push(Seen {
        message: query.clone(),
        over_tcp,
        bytes: query_bytes.to_vec(),
        from,
    });
    let reply = |q: &Message| finish(state, q, answer_from(&state.zones.lock().unwrap(), q), over_tcp);
    let plain = |bytes| {
        vec![Outgoing {
            bytes,
            from_other_port: false,
        }]
    };
    let id = query.metadata.id;
    let outgoing = match &mode {
        Mode::Silent | Mode::SilentFor(_) => vec![],
        Mode::DropFirstTryOf(prefix) => {
            let lossy = query
                .queries
                .first()
                .is_some_and(|q| q.name().to_ascii().starts_with(prefix));
            if lossy && first_try(state, &query) {
                vec![]
            } else {
                plain(reply(&query))
            }
        }
        Mode::Lame => {
            let mut r = Message::response(id, OpCode::Query);
            r.queries = query.queries.clone();
            plain(finish(state, &query, r, over_tcp))
        }
        Mode::Normal | Mode::Delay(_) | Mode::TcpTrickle | Mode::TcpCutShort | Mode::UdpOnly => {
            plain(reply(&query))
        }
        Mode::TamperA => {
            let mut tampered = Message::from_vec(&reply(&query)).unwrap();
            if let Some(a) = tampered
                .answers
                .iter_mut()
                .find(|r| r.record_type() == RecordType::A)
            {
                a.data = RData::A(A::new(192, 0, 2, 66));
            }
            plain(tampered.to_vec().unwrap())
        }
        Mode::IgnoreEdns => {
            let mut plain_query = query.clone();
            plain_query.edns = None;
            plain(reply(&plain_query))
        }
        Mode::TruncateUdp if !over_tcp => {
            let mut r = Message::response(id, OpCode::Query);
            r.queries = query.queries.clone();
            r.metadata.truncation = true;
            r.metadata.authoritative = true;
            plain(r.to_vec().unwrap())
        }
        Mode::TruncateUdp => plain(reply(&query)),
        Mode::Rcode(code) => {
            let mut r = Message::response(id, OpCode::Query);
            r.queries = query.queries.clone();
            r.metadata.response_code = <ResponseCode as From<u16>>::from(*code);
            plain(r.to_vec().unwrap())
        }
        Mode::EdnsFormerr if query.edns.is_some() => {
            let mut r = Message::response(id, OpCode::Query);
            r.queries = query.queries.clone();
            r.metadata.response_code = ResponseCode::FormErr;
            plain(r.to_vec().unwrap())
        }
        Mode::EdnsFormerr => plain(reply(&query)),
        Mode::Garbage => {
            let mut bytes = id.to_be_bytes().to_vec();
            bytes.extend([0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 0xff]);
            plain(bytes)
        }
        Mode::ForeignAnswer => {
            let mut r = Message::response(id, OpCode::Query);
            r.queries = query.queries.clone();
            r.metadata.authoritative = true;
            r.answers.push(Record::from_rdata(
                Name::from_ascii("evil.other.").unwrap(),
                300,
                RData::A(A::new(192, 0, 2, 66)),
            ));
            plain(finish(state, &query, r, over_tcp))
        }
        Mode::OtherOpcode(code) => {
            let mut r = Message::from_vec(&reply(&query)).unwrap();
            r.metadata.op_code = OpCode::from_u8(*code);
            plain(r.to_vec().unwrap())
        }
        Mode::TruncateAll => {
            let mut r = Message::response(id, OpCode::Query);
            r.queries = query.queries.clone();
            r.metadata.truncation = true;
            r.metadata.authoritative = true;
            plain(r.to_vec().unwrap())
        }
        Mode::RawAnswer(count, records) => {
            let mut r = Message::response(id, OpCode::Query);
            r.queries = query.queries.clone();
            r.metadata.authoritative = true;
            let mut bytes = r.to_vec().unwrap();
            bytes[6..8].copy_from_slice(&count.to_be_bytes());
            bytes.extend_from_slice(records);
            plain(bytes)
        }
        Mode::TopBitTtl => {
            let mut r = Message::from_vec(&reply(&query)).unwrap();
            for record in r.answers.iter_mut().chain(r.authorities.iter_mut()) {
                record.ttl = 0x8000_0000;
            }
            plain(r.to_vec().unwrap())
        }
        Mode::SpoofOnly(spoof) => vec![forged(*spoof, &query, &reply)],
        Mode::SpoofThenAnswer(spoof) => vec![
            forged(*spoof, &query, &reply),
            Outgoing {
                bytes: reply(&query),
                from_other_port: false,
            },
        ],
    };
    let delay = match mode {
        Mode::Delay(d) => d,
        _ => Duration::ZERO,
    };
    (outgoing, delay, mode)
}

fn forged(spoof: Spoof, query: &Message, reply: &dyn Fn(&Message) -> Vec<u8>) -> Outgoing {
    match spoof {
        Spoof::Id => {
            let mut other = query.clone();
            other.metadata.id = query.metadata.id.wrapping_add(1);
            Outgoing {
                bytes: reply(&other),
                from_other_port: false,
            }
        }
        Spoof::Question => {
            let mut other = query.clone();
            other.queries[0].name = Name::from_ascii("forged.invalid.").unwrap();
            let mut forged = Message::response(query.metadata.id, OpCode::Query);
            forged.queries = other.queries;
            forged.answers.push(Record::from_rdata(
                Name::from_ascii("forged.invalid.").unwrap(),
                60,
                RData::A(hickory_proto::rr::rdata::A::new(6, 6, 6, 6)),
            ));
            Outgoing {
                bytes: forged.to_vec().unwrap(),
                from_other_port: false,
            }
        }
        Spoof::Port => Outgoing {
            bytes: reply(query),
            from_other_port: true,
        },
    }
}

/// Adds the OPT record, and applies the UDP size limit (RFC 6891 §7: TC and no records).
fn finish(state: &State, query: &Message, mut reply: Message, over_tcp: bool) -> Vec<u8> {
    reply.metadata.message_type = MessageType::Response;
    let mut limit = 512usize;
    if let Some(edns) = &query.edns {
        let mut opt = Edns::new();
        opt.set_max_payload(1232);
        if edns.version() > 0 {
            reply.metadata.response_code = ResponseCode::BADVERS;
            reply.answers.clear();
            reply.authorities.clear();
            reply.additionals.clear();
        }
        opt.set_dnssec_ok(edns.flags().dnssec_ok);
        for (_, option) in &edns.options().options {
            match option {
                EdnsOption::Unknown(3, _) | EdnsOption::NSID(_) => {
                    if let Some(nsid) = state.nsid.lock().unwrap().clone() {
                        opt.options_mut().insert(EdnsOption::Unknown(3, nsid));
                    }
                }
                EdnsOption::Unknown(10, cookie) if cookie.len() >= 8 => {
                    let mut both = cookie[..8].to_vec();
                    both.extend(b"srvcookie");
                    opt.options_mut().insert(EdnsOption::Unknown(10, both));
                }
                EdnsOption::Subnet(subnet) => {
                    let mut echoed = *subnet;
                    echoed.set_scope_prefix(subnet.source_prefix());
                    opt.options_mut().insert(EdnsOption::Subnet(echoed));
                }
                _ => {}
            }
        }
        if let Some((code, text)) = state.ede.lock().unwrap().clone() {
            let mut payload = code.to_be_bytes().to_vec();
            payload.extend(text.as_bytes());
            opt.options_mut().insert(EdnsOption::Unknown(15, payload));
        }
        limit = usize::from(edns.max_payload().max(512));
        reply.set_edns(opt);
    }
    let bytes = reply.to_vec().unwrap();
    if over_tcp || bytes.len() <= limit {
        return bytes;
    }
    reply.metadata.truncation = true;
    reply.answers.clear();
    reply.authorities.clear();
    reply.additionals.clear();
    reply.to_vec().unwrap()
}

fn serve_udp(socket: UdpSocket, state: Arc<State>) {
    let other = UdpSocket::bind(SocketAddr::new(socket.local_addr().unwrap().ip(), 0)).unwrap();
    let socket = Arc::new(socket);
    let other = Arc::new(other);
    let mut buffer = vec![0u8; 65_535];
    loop {
        let Ok((len, from)) = socket.recv_from(&mut buffer) else {
            continue;
        };
        let (outgoing, delay, _) = respond(&state, &buffer[..len], false, from);
        let (socket, other) = (Arc::clone(&socket), Arc::clone(&other));
        let held = Arc::clone(&state);
        let send = move || {
            use std::sync::atomic::Ordering::SeqCst;
            let now = held.in_flight.fetch_add(1, SeqCst) + 1;
            held.peak.fetch_max(now, SeqCst);
            thread::sleep(delay);
            held.in_flight.fetch_sub(1, SeqCst);
            for out in outgoing {
                let via = if out.from_other_port { &other } else { &socket };
                let _ = via.send_to(&out.bytes, from);
            }
        };
        if delay.is_zero() {
            send();
        } else {
            thread::spawn(send);
        }
    }
}

fn serve_tcp(listener: TcpListener, state: Arc<State>) {
    for stream in listener.incoming().flatten() {
        let state = Arc::clone(&state);
        thread::spawn(move || serve_connection(stream, &state));
    }
}

/// One length-prefixed message of a TCP stream (RFC 1035 §4.2.2), or `None` at its end.
pub(crate) fn read_framed(stream: &mut impl Read) -> Option<Vec<u8>> {
    let mut length = [0u8; 2];
    stream.read_exact(&mut length).ok()?;
    let mut message = vec![0u8; usize::from(u16::from_be_bytes(length))];
    stream.read_exact(&mut message).ok()?;
    Some(message)
}

fn serve_connection(mut stream: TcpStream, state: &State) {
    loop {
        let Some(query) = read_framed(&mut stream) else {
            return;
        };
        if *state.mode.lock().unwrap() == Mode::UdpOnly {
            return;
        }
        let peer = stream
            .peer_addr()
            .unwrap_or_else(|_| SocketAddr::from(([0, 0, 0, 0], 0)));
        let (outgoing, delay, mode) = respond(state, &query, true, peer);
        thread::sleep(delay);
        for out in outgoing {
            let mut framed = u16::try_from(out.bytes.len()).unwrap().to_be_bytes().to_vec();
            framed.extend(&out.bytes);
            match mode {
                Mode::TcpTrickle => {
                    for chunk in framed.chunks(3) {
                        let _ = stream.write_all(chunk);
                        let _ = stream.flush();
                        thread::sleep(Duration::from_millis(2));
                    }
                }
                Mode::TcpCutShort => {
                    let _ = stream.write_all(&framed[..framed.len() / 2]);
                    return;
                }
                _ => {
                    let _ = stream.write_all(&framed);
                }
            }
        }
    }
}
