//! A seeded random-mutation test of the whole reply path: 100 000 mutated replies, each
//! judged as a reply to its query ([`Awaited::judge`]), read into a report, rendered as
//! text, `+short` and JSON, and classified as the walk would. Nothing may panic, the
//! JSON must parse, and no control or bidi character may reach the terminal unescaped.
//!
//! `cargo fuzz` needs a nightly toolchain; this runs in every `cargo test`, in seconds.
//! `DNSCOPE_MUTATIONS=N` runs N cases instead (and `DNSCOPE_MUTATION_SEED=S` another
//! seed) for a longer hunt.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use hickory_proto::op::{Edns, Message, OpCode, ResponseCode};
use hickory_proto::rr::rdata::opt::EdnsOption;
use hickory_proto::rr::{DNSClass, Name, Record, RecordType};
use hickory_proto::serialize::txt::Parser;

use crate::cli::options::Options;
use crate::dns::names::NameStyle;
use crate::dns::wire::{Arrival, Awaited, QueryFlags, Question};
use crate::model::report::{self, Context};
use crate::render::{self, Format};
use crate::transport::policy::Completed;
use crate::transport::{Protocol, Reply};
use crate::walk::classify;

/// Records of most types dig users meet, in zone-file form.
const ZONE: &str = r#"
$TTL 300
@        IN SOA   ns1 hostmaster 2024010101 7200 3600 1209600 300
@        IN NS    ns1
@        IN NS    ns2.other.test.
ns1      IN A     192.0.2.53
ns1      IN AAAA  2001:db8::53
www      IN A     192.0.2.10
www      IN A     192.0.2.11
www      IN AAAA  2001:db8::10
cdn      IN CNAME d111abcdef8.cloudfront.net.
@        IN MX    10 mail
@        IN TXT   "v=spf1 include:_spf.example.test ~all" "second string"
@        IN CAA   0 issue "letsencrypt.org"
_sip._tcp IN SRV  10 60 5060 sip
4.2.0.192.in-addr.arpa. IN PTR www
@        IN NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp
@        IN SSHFP 1 1 123456789abcdef67890123456789abcdef67890
_443._tcp IN TLSA 3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6
svc      IN HTTPS 1 . alpn="h2,h3" port=8443 ipv4hint=192.0.2.1
sub      IN NS    ns.sub
ns.sub   IN A     192.0.2.99
"#;

fn corpus_records() -> Vec<Record> {
    let origin = Name::from_ascii("example.test.").unwrap();
    let (_, sets) = Parser::new(ZONE, None, Some(origin))
        .parse()
        .expect("the corpus zone parses");
    sets.values()
        .flat_map(|set| set.records_without_rrsigs().cloned())
        .collect()
}

fn edns() -> Edns {
    let mut edns = Edns::new();
    edns.set_max_payload(1232);
    edns.options_mut()
        .insert(EdnsOption::Unknown(3, b"ns1.example".to_vec()));
    edns.options_mut().insert(EdnsOption::Unknown(
        10,
        vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    ));
    edns.options_mut()
        .insert(EdnsOption::Unknown(15, b"\x00\x06stale".to_vec()));
    edns
}

/// Replies as servers send them: answers of each type, a referral with glue, NXDOMAIN
/// and NODATA with a SOA, with and without EDNS, encoded with name compression.
fn corpus() -> Vec<(Question, Vec<u8>)> {
    let records = corpus_records();
    let soa: Vec<Record> = records
        .iter()
        .filter(|r| r.record_type() == RecordType::SOA)
        .cloned()
        .collect();
    let mut replies = Vec::new();
    let mut push = |question: Question, build: &dyn Fn(&mut Message)| {
        for with_edns in [false, true] {
            let mut m = Message::response(0x4242, OpCode::Query);
            m.metadata.authoritative = true;
            m.add_query(hickory_proto::op::Query::query(
                question.name.clone(),
                question.rtype,
            ));
            build(&mut m);
            if with_edns {
                m.edns = Some(edns());
            }
            replies.push((question.clone(), m.to_vec().expect("the corpus encodes")));
        }
    };
    let mut owners: Vec<(Name, RecordType)> = records
        .iter()
        .map(|r| (r.name.clone(), r.record_type()))
        .collect();
    owners.dedup();
    for (owner, rtype) in owners {
        let set: Vec<Record> = records
            .iter()
            .filter(|r| r.name == owner && r.record_type() == rtype)
            .cloned()
            .collect();
        let question = Question {
            name: owner,
            rtype,
            class: DNSClass::IN,
        };
        push(question, &|m| {
            m.answers = set.clone();
            m.authorities = records
                .iter()
                .filter(|r| r.record_type() == RecordType::NS && r.name.num_labels() == 2)
                .cloned()
                .collect();
            m.additionals = records
                .iter()
                .filter(|r| r.name.to_ascii() == "ns1.example.test.")
                .cloned()
                .collect();
        });
    }
    let name = |text: &str| Name::from_ascii(text).unwrap();
    push(
        Question {
            name: name("www.sub.example.test."),
            rtype: RecordType::A,
            class: DNSClass::IN,
        },
        &|m| {
            m.metadata.authoritative = false;
            m.authorities = records
                .iter()
                .filter(|r| r.name.to_ascii() == "sub.example.test.")
                .cloned()
                .collect();
            m.additionals = records
                .iter()
                .filter(|r| r.name.to_ascii() == "ns.sub.example.test.")
                .cloned()
                .collect();
        },
    );
    // Escape sequences and bidi controls in a label and in text, as a hostile zone
    // serves them.
    let hostile = Name::from_labels([&b"\x1b[2Jevil\xe2\x80\xae"[..], b"example", b"test"]).unwrap();
    let text = hickory_proto::rr::rdata::TXT::new(vec!["ab\u{202e}cd\x1b]0;title\x07".to_owned()]);
    push(
        Question {
            name: hostile.clone(),
            rtype: RecordType::TXT,
            class: DNSClass::IN,
        },
        &|m| {
            m.answers = vec![Record::from_rdata(
                hostile.clone(),
                60,
                hickory_proto::rr::RData::TXT(text.clone()),
            )];
        },
    );
    for rcode in [ResponseCode::NXDomain, ResponseCode::NoError] {
        push(
            Question {
                name: name("nowhere.example.test."),
                rtype: RecordType::A,
                class: DNSClass::IN,
            },
            &|m| {
                m.metadata.response_code = rcode;
                m.authorities.clone_from(&soa);
            },
        );
    }
    replies
}

/// xorshift64*: a fixed seed gives the same cases on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
    fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }
}

/// One to four edits of the kinds that break decoders: bits, bytes, 16-bit fields
/// (counts, lengths, types), truncation, insertion, deletion, compression pointers and
/// spliced copies of the message's own bytes. The header's ID is kept, so most cases
/// reach the decoder instead of stopping at the ID check.
fn mutate(rng: &mut Rng, wire: &[u8]) -> Vec<u8> {
    let mut bytes = wire.to_vec();
    for _ in 0..=rng.below(4) {
        let len = bytes.len();
        let at = 2 + rng.below(len.saturating_sub(2));
        match rng.below(8) {
            0 if at < len => bytes[at] ^= 1 << rng.below(8),
            1 if at < len => bytes[at] = rng.byte(),
            2 if at + 1 < len => {
                let value = if rng.below(2) == 0 {
                    [0xff, rng.byte()]
                } else {
                    [rng.byte(), rng.byte()]
                };
                bytes[at..at + 2].copy_from_slice(&value);
            }
            3 => bytes.truncate(at),
            4 => {
                let extra: Vec<u8> = (0..=rng.below(8)).map(|_| rng.byte()).collect();
                bytes.splice(at.min(len)..at.min(len), extra);
            }
            5 if at < len => {
                let end = (at + 1 + rng.below(16)).min(len);
                bytes.drain(at..end);
            }
            6 if at + 1 < len => {
                bytes[at] = 0xc0 | (rng.byte() & 0x3f);
                bytes[at + 1] = rng.byte();
            }
            _ if len > 12 => {
                let from = 12 + rng.below(len - 12);
                let end = (from + 1 + rng.below(32)).min(len);
                let piece = bytes[from..end].to_vec();
                let to = 12 + rng.below(bytes.len() - 12);
                bytes.splice(to..to, piece);
            }
            _ => {}
        }
    }
    bytes
}

/// Control characters other than newline and tab, and the bidi controls that reorder
/// what a terminal shows.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Runs one reply through everything that reads replies; returns whether it was taken
/// as the reply (decoded and matched).
fn exercise(question: &Question, server: SocketAddr, bytes: &[u8], display: crate::render::Display) -> bool {
    let awaited = Awaited {
        server,
        id: 0x4242,
        question: question.clone(),
        opcode: 0,
        header_only: false,
    };
    let message = match awaited.judge(server, bytes) {
        Arrival::Reply(message) => *message,
        Arrival::Ignored(why) | Arrival::Malformed(why) => {
            assert!(!why.chars().any(unsafe_char), "{why:?}");
            return false;
        }
    };
    let cut = Name::from_ascii("test.").unwrap();
    let _ = classify::classify(&message, &Name::root(), &question.name, question.rtype);
    let _ = classify::classify(&message, &cut, &question.name, question.rtype);
    let done = Completed {
        reply: Reply {
            message,
            size: bytes.len(),
            rtt: Duration::from_micros(1234),
            ignored: Vec::new(),
            wire: None,
            tls: None,
        },
        server,
        protocol: Protocol::Udp,
        flags: QueryFlags::recursive(None),
        attempts: Vec::new(),
        edns_rejected: None,
        ignored: Vec::new(),
        tsig: None,
        query: Vec::new(),
    };
    let ctx = Context {
        question,
        server_name: "127.0.0.1",
        when: SystemTime::UNIX_EPOCH,
        names: NameStyle::default(),
    };
    let report = report::completed(ctx, &done);
    for format in [Format::Text, Format::Short, Format::Json] {
        let options = render::Options {
            format,
            display,
            command_line: "www.example.test",
            index: 0,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render::report(&report, &options, &mut out, &mut err).expect("writing to memory");
        let out = String::from_utf8(out).expect("output is UTF-8");
        let err = String::from_utf8(err).expect("errors are UTF-8");
        if format == Format::Json {
            let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON output parses");
            assert_eq!(doc["schema_version"], 1);
        }
        let bad = out.chars().chain(err.chars()).find(|c| unsafe_char(*c));
        assert!(
            bad.is_none(),
            "{bad:?} reached the terminal in {format:?}:\n{out}{err}"
        );
        assert!(err.lines().count() <= 1, "more than one error line: {err}");
    }
    true
}

#[test]
fn mutated_replies_never_panic_and_never_reach_the_terminal_raw() {
    let cases: usize = std::env::var("DNSCOPE_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let seed: u64 = std::env::var("DNSCOPE_MUTATION_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x00d0_5c09_e5ee_d001);
    let corpus = corpus();
    assert!(corpus.len() >= 40, "a corpus of {} replies", corpus.len());
    let server: SocketAddr = "127.0.0.1:53".parse().unwrap();
    let display = Options::defaults().display;
    // The corpus itself is taken whole.
    for (question, wire) in &corpus {
        assert!(
            exercise(question, server, wire, display),
            "corpus reply for {}",
            question.name
        );
    }
    let mut rng = Rng(seed);
    let mut taken = 0;
    for case in 0..cases {
        let (question, wire) = &corpus[case % corpus.len()];
        let bytes = mutate(&mut rng, wire);
        let result = std::panic::catch_unwind(|| exercise(question, server, &bytes, display));
        match result {
            Ok(true) => taken += 1,
            Ok(false) => {}
            Err(_) => panic!("case {case} (seed {seed:#x}) panicked on {bytes:02x?}"),
        }
    }
    // Enough mutants get past the decoder for the test to reach the renderers.
    assert!(taken > cases / 10, "only {taken} of {cases} mutants were decoded");
}
