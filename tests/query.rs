//! End-to-end queries: the real binary against the in-process test server on loopback.

mod support;

use std::io::Read;
use std::net::IpAddr;
use std::process::Stdio;

use support::{Mode, Run, Spoof, TestServer, Zone, command, dnscope, example_zone, json_lines};

fn server() -> TestServer {
    TestServer::start(example_zone())
}

/// Runs dnscope against `server` with short timers.
fn query(server: &TestServer, words: &[&str]) -> Run {
    query_with(server, words, &[])
}

fn query_with(server: &TestServer, words: &[&str], vars: &[(&str, &str)]) -> Run {
    let args = args_for(server, words);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    support::dnscope_with(&refs, vars)
}

fn args_for(server: &TestServer, words: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = server.at();
    args.extend(["--timeout", "300ms"].map(str::to_owned));
    args.extend(words.iter().map(|w| (*w).to_owned()));
    args
}

fn answers(server: &TestServer, words: &[&str]) -> String {
    let mut all = vec!["+noall", "+answer"];
    all.extend(words);
    let run = query(server, &all);
    assert_eq!(run.stderr, "", "{words:?}");
    run.stdout
}

/// Replaces what changes from run to run (ID, port, times, cookies) with fixed text.
fn normalise(text: &str, server: &TestServer) -> String {
    let port = server.addr.port().to_string();
    text.lines()
        .map(|line| {
            let line = line.replace(&port, "PORT");
            let line = match line.split_once("--resolv-conf ") {
                Some((before, after)) => format!(
                    "{before}--resolv-conf [CONF] {}",
                    after.split_once(' ').map_or("", |(_, rest)| rest)
                ),
                None => line,
            };
            if line.starts_with(";; Query time:") {
                ";; Query time: [RTT]".to_owned()
            } else if line.starts_with(";; WHEN:") {
                ";; WHEN: [WHEN]".to_owned()
            } else if line.starts_with("; COOKIE:") {
                "; COOKIE: [COOKIE]".to_owned()
            } else if let Some(at) = line.find(", id: ") {
                format!("{}, id: [ID]", &line[..at])
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn text_output_of_a_full_reply() {
    let s = server();
    let run = query(&s, &["example.test", "MX"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(normalise(&run.stdout, &s));
}

#[test]
fn answers_of_each_type_as_text() {
    let s = server();
    let mut text = String::new();
    for words in [
        &["www.example.test"][..],
        &["www.example.test", "AAAA"],
        &["example.test", "MX"],
        &["example.test", "NS"],
        &["example.test", "SOA"],
        &["txt.example.test", "TXT"],
        &["multi.example.test", "TXT"],
        &["bin.example.test", "TXT"],
        &["chain.example.test"],
        &["_sip._tcp.example.test", "SRV"],
        &["example.test", "CAA"],
        &["unknown.example.test", "TYPE65534"],
        &["example.test", "SOA", "+ttlunits"],
        &["www.example.test", "+nottlid", "+noclass"],
    ] {
        text.push_str(&format!("## {}\n{}", words.join(" "), answers(&s, words)));
    }
    insta::assert_snapshot!(text);
}

/// A zone with DNSSEC records built from their wire form (hickory's zone parser will not
/// read DNSKEY, RRSIG or NSEC text).
fn signed_zone() -> Zone {
    use hickory_proto::rr::rdata::NULL;
    use hickory_proto::rr::{RData, RecordType};
    let mut zone = Zone::parse(
        "sec.test.",
        "$TTL 300\n@ IN SOA ns.sec.test. h.sec.test. 1 2 3 4 5\n\
         @ IN DS 47730 13 2 8B1A3A8A1B1A2E4F4E0E6C4C1D3E2F7A6B5C4D3E2F1A0B9C8D7E6F5A4B3C2D1E\n",
    );
    let key = data_encoding::BASE64
        .decode(b"mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==")
        .unwrap();
    let mut dnskey = vec![1, 1, 3, 13];
    dnskey.extend(&key);
    let epoch = |t: &str| {
        let secs = humantime::parse_rfc3339(t)
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        u32::try_from(secs).unwrap().to_be_bytes()
    };
    let mut rrsig = vec![0, 1, 13, 2, 0, 0, 1, 44];
    rrsig.extend(epoch("2026-12-01T00:00:00Z"));
    rrsig.extend(epoch("2026-11-01T00:00:00Z"));
    rrsig.extend(2990u16.to_be_bytes());
    rrsig.extend(b"\x03sec\x04test\x00");
    rrsig.extend([0x30, 0x45, 0x02, 0x21, 0x00, 0xf1]);
    let mut nsec = b"\x04next\x03sec\x04test\x00".to_vec();
    nsec.extend([0, 6, 0b0110_0010, 0, 0, 0, 0, 0b0000_0011, 1, 1, 0b0100_0000]);
    for (rtype, bytes) in [
        (RecordType::DNSKEY, dnskey),
        (RecordType::RRSIG, rrsig),
        (RecordType::NSEC, nsec),
    ] {
        zone.add(
            "sec.test.",
            300,
            RData::Unknown {
                code: rtype,
                rdata: NULL::with(bytes),
            },
        );
    }
    zone
}

#[test]
fn dnssec_records_as_dig_prints_them() {
    let s = TestServer::start(signed_zone());
    let mut text = String::new();
    for rtype in ["DS", "DNSKEY", "RRSIG", "NSEC"] {
        text.push_str(&answers(&s, &["sec.test", rtype, "+dnssec"]));
    }
    insta::assert_snapshot!(text);
    let json = query(&s, &["sec.test", "RRSIG", "--json"]);
    let rrsig = json_lines(&json.stdout).remove(0)["response"]["answer"][0]["rdata"].clone();
    assert_eq!(rrsig["type_covered"], "A");
    assert_eq!(rrsig["key_tag"], 2990);
    assert_eq!(rrsig["signer"], "sec.test.");
    assert_eq!(rrsig["expiration"], 1_796_083_200u32);
    let json = query(&s, &["sec.test", "DNSKEY", "--json"]);
    let dnskey = json_lines(&json.stdout).remove(0)["response"]["answer"][0]["rdata"].clone();
    assert_eq!(
        (dnskey["flags"].as_u64(), dnskey["algorithm"].as_u64()),
        (Some(257), Some(13))
    );
    assert!(dnskey["key_tag"].is_u64());
    let json = query(&s, &["sec.test", "NSEC", "--json"]);
    let nsec = json_lines(&json.stdout).remove(0)["response"]["answer"][0]["rdata"].clone();
    assert_eq!(
        nsec["types"],
        serde_json::json!(["A", "NS", "SOA", "RRSIG", "NSEC", "CAA"])
    );
}

#[test]
fn control_bytes_never_reach_the_terminal() {
    let s = server();
    let out = answers(&s, &["bin.example.test", "TXT"]);
    assert!(!out.contains('\x1b'), "{out:?}");
    assert!(out.contains(r#""esc\027[31mred" "tab\009here\255""#), "{out}");
}

#[test]
fn json_records_carry_structured_rdata() {
    let s = server();
    let record = |words: &[&str]| {
        let mut all = vec!["--json"];
        all.extend(words);
        let run = query(&s, &all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        json_lines(&run.stdout).remove(0)["response"]["answer"][0].clone()
    };
    let a = record(&["www.example.test"]);
    assert_eq!(a["name"], "www.example.test.");
    assert_eq!(a["ttl"], 300);
    assert_eq!(
        (a["class"].as_str(), a["type"].as_str(), a["type_code"].as_u64()),
        (Some("IN"), Some("A"), Some(1))
    );
    assert_eq!(a["rdata"]["address"], "192.0.2.10");
    let mx = record(&["example.test", "MX"]);
    assert_eq!(
        (
            mx["rdata"]["preference"].as_u64(),
            mx["rdata"]["exchange"].as_str()
        ),
        (Some(10), Some("mail.example.test."))
    );
    let soa = record(&["example.test", "SOA"]);
    for (field, value) in [
        ("serial", 2024010101u64),
        ("refresh", 7200),
        ("retry", 3600),
        ("expire", 1209600),
        ("minimum", 300),
    ] {
        assert_eq!(soa["rdata"][field].as_u64(), Some(value), "{field}");
    }
    assert_eq!(soa["rdata"]["mname"], "ns1.example.test.");
    assert_eq!(soa["rdata"]["rname"], "hostmaster.example.test.");
    let txt = record(&["multi.example.test", "TXT"]);
    assert_eq!(
        txt["rdata"]["strings"],
        serde_json::json!(["first string", "second \\\"quoted\\\" string"])
    );
    let srv = record(&["_sip._tcp.example.test", "SRV"]);
    assert_eq!(
        srv["rdata"],
        serde_json::json!({"priority": 10, "weight": 60, "port": 5060, "target": "sip.example.test."})
    );
    let caa = record(&["example.test", "CAA"]);
    assert_eq!(
        caa["rdata"],
        serde_json::json!({"flags": 0, "tag": "issue", "value": "letsencrypt.org"})
    );
    let unknown = record(&["unknown.example.test", "TYPE65534"]);
    assert_eq!(unknown["type"], "TYPE65534");
    assert_eq!(unknown["data"], "\\# 4 DEADBEEF");
    assert_eq!(
        unknown["rdata"],
        serde_json::json!({"rdlength": 4, "hex": "DEADBEEF"})
    );
    let cname = record(&["alias.example.test"]);
    assert_eq!(cname["rdata"]["target"], "www.example.test.");
}

#[test]
fn json_document_has_the_documented_shape() {
    let s = server();
    let run = query(&s, &["--json", "+nsid", "www.example.test"]);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["query"]["name"], "www.example.test.");
    assert_eq!(doc["query"]["type"], "A");
    assert_eq!(doc["query"]["class"], "IN");
    assert_eq!(
        doc["query"]["flags"],
        serde_json::json!({"rd": true, "cd": false, "ad": true, "z": false})
    );
    assert_eq!(doc["query"]["edns"]["udp_size"], 1232);
    assert_eq!(doc["server"]["address"], "127.0.0.1");
    assert_eq!(doc["server"]["port"], s.addr.port());
    assert_eq!(doc["server"]["protocol"], "udp");
    assert!(doc["rtt_us"].is_u64(), "{}", doc["rtt_us"]);
    assert_eq!(doc["status"], "answer");
    assert_eq!(doc["exit_code"], 0);
    let header = &doc["response"]["header"];
    assert_eq!(
        (
            header["rcode"].as_str(),
            header["rcode_code"].as_u64(),
            header["opcode"].as_str()
        ),
        (Some("NOERROR"), Some(0), Some("QUERY"))
    );
    assert_eq!(header["flags"]["aa"], true);
    assert_eq!(header["flags"]["qr"], true);
    assert_eq!(doc["response"]["question"][0]["name"], "www.example.test.");
    assert_eq!(doc["response"]["answer"].as_array().unwrap().len(), 2);
    assert!(doc["response"]["authority"].as_array().unwrap().is_empty());
    assert_eq!(doc["response"]["edns"]["version"], 0);
    assert!(doc["error"].is_null());
    assert!(humantime::parse_rfc3339(doc["when"].as_str().unwrap()).is_ok());
}

#[test]
fn truncated_reply_is_asked_again_over_tcp() {
    let s = server();
    let run = query(&s, &["big.example.test", "TXT"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().filter(|l| l.contains("\tTXT\t")).count(), 12);
    assert!(run.stdout.contains("(TCP)"), "{}", run.stdout);
    assert!(
        run.stdout.contains(";; ATTEMPTS: udp 127.0.0.1:"),
        "{}",
        run.stdout
    );
    let transports: Vec<bool> = s.seen().iter().map(|q| q.over_tcp).collect();
    assert_eq!(transports, [false, true]);
}

#[test]
fn a_server_that_always_truncates_udp_is_asked_over_tcp() {
    let s = server();
    s.set_mode(Mode::TruncateUdp);
    let run = query(&s, &["www.example.test", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["server"]["protocol"], "tcp");
    assert_eq!(doc["attempts"][0]["outcome"], "truncated, retrying over TCP");
    assert_eq!(doc["response"]["answer"].as_array().unwrap().len(), 2);
}

#[test]
fn a_slow_server_is_waited_for_within_the_timeout() {
    let s = server();
    s.set_mode(Mode::Delay(std::time::Duration::from_millis(120)));
    let run = query(&s, &["www.example.test", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rtt = json_lines(&run.stdout)[0]["rtt_us"].as_u64().unwrap();
    assert!((120_000..300_000).contains(&rtt), "rtt {rtt} us");
    s.set_mode(Mode::Delay(std::time::Duration::from_millis(500)));
    let late = query(&s, &["www.example.test", "--tries", "1"]);
    assert_eq!(late.code, 9, "a reply after the timeout does not count");
}

#[test]
fn ignore_keeps_the_truncated_reply() {
    let s = server();
    let run = query(&s, &["+ignore", "big.example.test", "TXT"]);
    // Shown as it came, and said to prove nothing: an empty truncated reply is neither
    // an answer nor its absence.
    assert_eq!(run.code, 9, "{}", run.stderr);
    assert!(run.stdout.contains("flags: qr aa tc rd"), "{}", run.stdout);
    assert!(run.stdout.contains("ANSWER: 0"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("truncated reply (TC=1) without the answer: it proves neither"),
        "{}",
        run.stderr
    );
    assert!(s.seen().iter().all(|q| !q.over_tcp));
}

#[test]
fn a_larger_buffer_avoids_tcp() {
    let s = server();
    let run = query(&s, &["+bufsize=4096", "big.example.test", "TXT", "--json"]);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["server"]["protocol"], "udp");
    assert_eq!(doc["response"]["answer"].as_array().unwrap().len(), 12);
    assert!(doc["response"]["size"].as_u64().unwrap() > 1232);
}

#[test]
fn tcp_only_with_plus_tcp_and_partial_reads() {
    let s = server();
    s.set_mode(Mode::TcpTrickle);
    let run = query(&s, &["+tcp", "www.example.test", "+short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "192.0.2.10\n192.0.2.11\n");
    assert!(s.seen().iter().all(|q| q.over_tcp));
}

#[test]
fn tcp_connection_closed_mid_reply() {
    let s = server();
    s.set_mode(Mode::TcpCutShort);
    let run = query(&s, &["--tcp", "www.example.test"]);
    assert_eq!(run.code, 9);
    assert!(
        run.stderr.contains("closed the TCP connection after"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn spoofed_replies_are_ignored_and_counted() {
    for spoof in [Spoof::Id, Spoof::Question, Spoof::Port] {
        let s = server();
        s.set_mode(Mode::SpoofThenAnswer(spoof));
        let run = query(&s, &["www.example.test"]);
        assert_eq!(run.code, 0, "{spoof:?}: {}", run.stderr);
        assert!(run.stdout.contains("192.0.2.10"), "{spoof:?}");
        assert!(!run.stdout.contains("6.6.6.6"), "{spoof:?}");
        assert!(
            run.stdout.contains(";; IGNORED: 1 message(s)"),
            "{spoof:?}: {}",
            run.stdout
        );
        let json = query(&s, &["www.example.test", "--json"]);
        assert_eq!(
            json_lines(&json.stdout)[0]["ignored"].as_array().unwrap().len(),
            1,
            "{spoof:?}"
        );
    }
}

#[test]
fn only_spoofed_replies_mean_no_reply() {
    for spoof in [Spoof::Id, Spoof::Question, Spoof::Port] {
        let s = server();
        s.set_mode(Mode::SpoofOnly(spoof));
        let run = query(&s, &["www.example.test"]);
        assert_eq!(run.code, 9, "{spoof:?}");
        assert!(
            run.stderr.contains("no reply from 127.0.0.1:"),
            "{spoof:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn garbage_is_a_malformed_reply_naming_the_server() {
    let s = server();
    s.set_mode(Mode::Garbage);
    let run = query(&s, &["www.example.test"]);
    assert_eq!(run.code, 9);
    assert!(run.stderr.contains("malformed reply"), "{}", run.stderr);
    assert!(run.stderr.contains(&s.addr.to_string()), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn timeouts_are_retried_then_reported() {
    let s = server();
    s.set_mode(Mode::Silent);
    let run = query(&s, &["www.example.test", "--tries", "3"]);
    assert_eq!(run.code, 9);
    assert_eq!(s.seen().len(), 3);
    assert_eq!(
        run.stderr.trim(),
        format!(
            "dnscope: www.example.test. A: no reply from {} after 3 attempt(s)",
            s.addr
        )
    );
    let json = query(&s, &["www.example.test", "--json"]);
    assert_eq!(json.code, 9);
    let doc = json_lines(&json.stdout).remove(0);
    assert_eq!(doc["error"]["kind"], "no_reply");
    assert_eq!(doc["exit_code"], 9);
    assert!(doc["response"].is_null());
    assert_eq!(doc["attempts"].as_array().unwrap().len(), 3);
}

#[test]
fn a_retry_can_succeed() {
    let s = server();
    s.set_mode(Mode::SilentFor(2));
    let run = query(&s, &["www.example.test", "+tries=3", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(s.seen().len(), 3);
    let doc = json_lines(&run.stdout).remove(0);
    let outcomes: Vec<&str> = doc["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["timed out", "timed out", "NOERROR"]);
}

#[test]
fn retry_option_counts_retries() {
    let s = server();
    s.set_mode(Mode::Silent);
    let mut args = s.at();
    args.extend(["--timeout", "200ms", "+retry=1", "www.example.test"].map(str::to_owned));
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 9);
    assert_eq!(s.seen().len(), 2);
}

#[test]
fn refused_tcp_connection_is_no_reply() {
    // A port with no listener: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = dnscope(&[
        "@127.0.0.1",
        "-p",
        &port.to_string(),
        "+tcp",
        "--timeout",
        "2s",
        "a.test",
    ]);
    assert_eq!(run.code, 9);
    assert!(run.stderr.contains("connection refused"), "{}", run.stderr);
}

#[test]
fn edns_formerr_is_retried_without_edns() {
    let s = server();
    s.set_mode(Mode::EdnsFormerr);
    let run = query(&s, &["www.example.test"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("OPT PSEUDOSECTION"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("FORMERR to an EDNS query, retrying without EDNS"),
        "{}",
        run.stdout
    );
    let edns: Vec<bool> = s.seen().iter().map(|q| q.message.edns.is_some()).collect();
    assert_eq!(edns, [true, false]);
}

#[test]
fn badvers_is_retried_without_edns() {
    let s = server();
    let run = query(&s, &["www.example.test", "+edns=1", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json_lines(&run.stdout).remove(0);
    assert!(
        doc["attempts"][0]["outcome"]
            .as_str()
            .unwrap()
            .starts_with("BADVERS"),
        "{}",
        doc["attempts"]
    );
    assert!(doc["query"]["edns"].is_null());
    assert_eq!(s.seen()[0].message.edns.as_ref().unwrap().version(), 1);
}

#[test]
fn exit_codes_follow_the_outcome() {
    let s = server();
    assert_eq!(query(&s, &["www.example.test"]).code, 0);
    assert_eq!(query(&s, &["nope.example.test"]).code, 3);
    assert_eq!(query(&s, &["www.example.test", "TXT"]).code, 4);
    assert_eq!(
        query(&s, &["cdn.example.test"]).code,
        0,
        "an authoritative CNAME out of zone is an answer"
    );
    assert_eq!(
        query(&s, &["deep.example.test"]).code,
        4,
        "an empty non-terminal is NODATA"
    );
    s.set_mode(Mode::Rcode(2));
    let servfail = query(&s, &["www.example.test"]);
    assert_eq!(servfail.code, 5);
    assert!(
        servfail.stdout.contains("status: SERVFAIL"),
        "{}",
        servfail.stdout
    );
    s.set_mode(Mode::Rcode(5));
    assert_eq!(query(&s, &["www.example.test"]).code, 5);
}

#[test]
fn several_queries_worst_code_wins() {
    let s = server();
    let run = query(
        &s,
        &[
            "www.example.test",
            "nope.example.test",
            "www.example.test",
            "TXT",
            "--json",
        ],
    );
    assert_eq!(run.code, 3);
    let docs = json_lines(&run.stdout);
    let statuses: Vec<&str> = docs.iter().map(|d| d["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["answer", "nxdomain", "nodata"]);
    let names: Vec<&str> = docs
        .iter()
        .map(|d| d["query"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["www.example.test.", "nope.example.test.", "www.example.test."]
    );
    let text = query(
        &s,
        &["www.example.test", "A", "example.test", "MX", "+noall", "+answer"],
    );
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("\tA\t192.0.2.10") && text.stdout.contains("\tMX\t10 mail.example.test."));
}

#[test]
fn nxdomain_shows_the_soa() {
    let s = server();
    let run = query(&s, &["nope.example.test", "--json"]);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["response"]["header"]["rcode"], "NXDOMAIN");
    assert_eq!(doc["response"]["authority"][0]["type"], "SOA");
}

#[test]
fn edns_options_are_shown_decoded() {
    let s = server();
    s.set_nsid(b"test-ns1");
    s.set_ede(18, "blocked by policy");
    let run = query(&s, &["www.example.test", "+nsid", "+subnet=192.0.2.0/24"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains(r#"; NSID: 74 65 73 74 2d 6e 73 31 ("test-ns1")"#),
        "{out}"
    );
    assert!(
        out.contains(r#"; EDE: 18 (Prohibited): "blocked by policy""#),
        "{out}"
    );
    assert!(out.contains("; CLIENT-SUBNET: 192.0.2.0/24 scope /24"), "{out}");
    assert!(
        out.contains(" server 737276636f6f6b6965 (client cookie echoed)"),
        "{out}"
    );
    let json = query(&s, &["www.example.test", "+nsid", "--json"]);
    let options = json_lines(&json.stdout).remove(0)["response"]["edns"]["options"].clone();
    let by_name = |n: &str| {
        options
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == n)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_name("NSID")["text"], "test-ns1");
    assert_eq!(by_name("EDE")["info_code"], 18);
    assert_eq!(by_name("COOKIE")["client_matches"], true);
}

#[test]
fn query_flags_reach_the_server() {
    let s = server();
    query(
        &s,
        &[
            "www.example.test",
            "+norecurse",
            "+cd",
            "+dnssec",
            "+bufsize=4096",
            "+nocookie",
            "+noadflag",
        ],
    );
    query(&s, &["www.example.test", "+noedns"]);
    query(&s, &["www.example.test", "CH", "TXT"]);
    let seen = s.seen();
    let first = &seen[0].message;
    assert!(
        !first.metadata.recursion_desired
            && first.metadata.checking_disabled
            && !first.metadata.authentic_data
    );
    let edns = first.edns.as_ref().unwrap();
    assert!(edns.flags().dnssec_ok);
    assert_eq!(edns.max_payload(), 4096);
    assert!(
        edns.options().options.is_empty(),
        "no cookie: {:?}",
        edns.options()
    );
    assert!(seen[1].message.edns.is_none());
    assert!(seen[1].message.metadata.recursion_desired);
    assert_eq!(
        seen[2].message.queries[0].query_class,
        hickory_proto::rr::DNSClass::CH
    );
    let cookie = seen[2]
        .message
        .edns
        .as_ref()
        .unwrap()
        .options()
        .options
        .first()
        .cloned();
    assert!(
        matches!(cookie, Some((hickory_proto::rr::rdata::opt::EdnsCode::Cookie, _))),
        "{cookie:?}"
    );
}

#[test]
fn ids_are_random() {
    let s = server();
    for _ in 0..24 {
        query(&s, &["www.example.test", "+short"]);
    }
    let ids: Vec<u16> = s.seen().iter().map(|q| q.message.metadata.id).collect();
    assert_eq!(ids.len(), 24);
    let distinct: std::collections::HashSet<u16> = ids.iter().copied().collect();
    // 24 uniform draws from 65 536 collide about once in 240 runs; three times, never.
    assert!(distinct.len() >= 22, "{ids:?}");
    // Each process draws its own: IDs that follow a counter, the clock or the process
    // ID land near the one before; uniform ones do so (within 64) one time in 250.
    let near = ids
        .windows(2)
        .filter(|pair| pair[0].abs_diff(pair[1]) <= 64)
        .count();
    assert!(near < 3, "{ids:?}");
    let spread = ids.iter().max().unwrap() - ids.iter().min().unwrap();
    assert!(spread > 16_384, "{ids:?}");
}

#[test]
fn ipv6_server() {
    let s = TestServer::start_on("::1".parse::<IpAddr>().unwrap(), example_zone());
    let run = query(&s, &["www.example.test", "+short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "192.0.2.10\n192.0.2.11\n");
    let stats = query(&s, &["www.example.test"]);
    assert!(
        stats
            .stdout
            .contains(&format!(";; SERVER: [::1]#{}", s.addr.port())),
        "{}",
        stats.stdout
    );
    assert_eq!(query(&s, &["www.example.test", "-4"]).code, 1);
}

#[test]
fn other_loopback_addresses_work() {
    let s = TestServer::start_on("127.0.0.42".parse::<IpAddr>().unwrap(), example_zone());
    let run = query(&s, &["www.example.test", "+short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn idn_in_and_out() {
    let s = server();
    let ascii = answers(&s, &["café.example.test", "+noidnout"]);
    assert_eq!(ascii, "xn--caf-dma.example.test.\t300\tIN\tA\t192.0.2.80\n");
    let unicode = answers(&s, &["café.example.test", "+idnout"]);
    assert_eq!(unicode, "café.example.test.\t300\tIN\tA\t192.0.2.80\n");
    assert_eq!(
        s.seen()[0].message.queries[0].name.to_ascii(),
        "xn--caf-dma.example.test."
    );
}

#[test]
fn reverse_lookups() {
    let zone = Zone::parse(
        "2.0.192.in-addr.arpa.",
        "$TTL 60\n@ IN SOA ns.example.test. h.example.test. 1 2 3 4 5\n10 IN PTR www.example.test.\n",
    );
    let s = TestServer::start(zone);
    let run = query(&s, &["-x", "192.0.2.10", "+short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "www.example.test.\n");
    assert_eq!(
        s.seen()[0].message.queries[0].query_type,
        hickory_proto::rr::RecordType::PTR
    );
}

#[test]
fn short_output() {
    let s = server();
    assert_eq!(
        query(&s, &["chain.example.test", "+short"]).stdout,
        "alias.example.test.\nwww.example.test.\n192.0.2.10\n192.0.2.11\n"
    );
    assert_eq!(
        query(&s, &["example.test", "MX", "--short"]).stdout,
        "10 mail.example.test.\n20 mail2.other.test.\n"
    );
    let none = query(&s, &["nope.example.test", "+short"]);
    assert_eq!((none.code, none.stdout.as_str()), (3, ""));
}

#[test]
fn colour_follows_the_rules() {
    let s = server();
    let has_escapes = |run: &Run| run.stdout.contains('\x1b');
    assert!(
        !has_escapes(&query(&s, &["www.example.test"])),
        "not a terminal: no colour"
    );
    assert!(has_escapes(&query(
        &s,
        &["www.example.test", "--color", "always"]
    )));
    assert!(has_escapes(&query_with(
        &s,
        &["www.example.test"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(!has_escapes(&query_with(
        &s,
        &["www.example.test"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    assert!(!has_escapes(&query_with(
        &s,
        &["www.example.test", "--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(!has_escapes(&query(
        &s,
        &["www.example.test", "--color", "always", "--json"]
    )));
}

#[test]
fn closed_pipe_exits_quietly() {
    let s = server();
    let mut words: Vec<&str> = vec!["+tcp"];
    for _ in 0..60 {
        words.extend(["big.example.test", "TXT"]);
    }
    let args = args_for(&s, &words);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = command(&refs, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn output_to_a_full_disk_is_an_internal_error() {
    let s = server();
    let args = args_for(&s, &["www.example.test"]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output = command(&refs, &[]).stdout(full).output().unwrap();
    assert_eq!(output.status.code(), Some(10));
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("dnscope: cannot write output:"));
}

#[test]
fn identify_names_the_server_after_each_short_record() {
    let s = server();
    s.set_mode(support::server::Mode::Delay(std::time::Duration::from_millis(20)));
    let run = query(&s, &["www.example.test", "+short", "+identify"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    for (line, address) in lines.iter().zip(["192.0.2.10", "192.0.2.11"]) {
        let rest = line
            .strip_prefix(&format!("{address} from server {} in ", s.addr.ip()))
            .unwrap_or_else(|| panic!("{line}"));
        let ms: u64 = rest.strip_suffix(" ms.").unwrap().parse().unwrap();
        assert!(ms >= 20, "the round trip, delayed 20 ms: {line}");
    }
    // Without +short it changes nothing; +noidentify turns it off.
    let plain = query(&s, &["www.example.test", "+short", "+identify", "+noidentify"]);
    assert_eq!(plain.stdout, "192.0.2.10\n192.0.2.11\n");
}

/// The EDNS options of a query the server saw: (code, value).
fn options_seen(seen: &support::Seen) -> Vec<(u16, Vec<u8>)> {
    let edns = seen.message.edns.as_ref().expect("an EDNS query");
    // hickory-proto keeps the options it does not model as they came.
    edns.options()
        .as_ref()
        .iter()
        .map(|(code, option)| {
            let value = match option {
                hickory_proto::rr::rdata::opt::EdnsOption::Unknown(_, v) => v.clone(),
                _ => Vec::new(),
            };
            (u16::from(*code), value)
        })
        .collect()
}

#[test]
fn edns_options_and_flags_of_dig_are_sent_as_asked() {
    let s = server();
    let run = query(
        &s,
        &[
            "www.example.test",
            "+ednsopt=65001:abcd",
            "+ednsopt=nsid",
            "+expire",
            "+keepalive",
            "+ednsflags=0x5",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let seen = s.seen();
    let options = options_seen(&seen[0]);
    for (code, value) in [
        (65001u16, vec![0xab, 0xcd]),
        (3, vec![]),
        (9, vec![]),
        (11, vec![]),
    ] {
        assert!(
            options.contains(&(code, value.clone())),
            "option {code} {value:?} not in {options:?}"
        );
    }
    // The OPT TTL's flag bits: DO clear, MBZ 5 (RFC 6891 §6.1.3).
    let opt_flags = seen[0].message.edns.as_ref().unwrap().flags().z;
    assert_eq!(opt_flags, 5);
    let doc = &json_lines(&run.stdout)[0];
    assert_eq!(doc["query"]["edns"]["mbz"], 5);
    let names: Vec<&str> = doc["query"]["edns"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"EXPIRE") && names.contains(&"TCP-KEEPALIVE") && names.contains(&"OPT65001"),
        "{names:?}"
    );

    // +noednsopt drops them; +noexpire, +nokeepalive, +ednsflags=0 too.
    let run = query(
        &s,
        &[
            "www.example.test",
            "+ednsopt=65001:ab",
            "+noednsopt",
            "+expire",
            "+noexpire",
        ],
    );
    assert_eq!(run.code, 0);
    let options = options_seen(s.seen().last().unwrap());
    assert!(
        options.iter().all(|(code, _)| ![65001, 9].contains(code)),
        "{options:?}"
    );

    for (word, says) in [
        ("+ednsopt=70000", "expected an option code from 0 to 65535"),
        ("+ednsopt=8:zz", "expected the value in hex digits"),
        ("+ednsflags=0x8000", "the top bit is DO"),
    ] {
        let run = query(&s, &["www.example.test", word]);
        assert_eq!(run.code, 1, "{word}");
        assert!(run.stderr.contains(says), "{word}: {}", run.stderr);
    }
    let run = query(&s, &["www.example.test", "+noedns", "+expire"]);
    assert!(run.stderr.contains("+expire needs EDNS"), "{}", run.stderr);
}

#[test]
fn header_bits_opcode_and_header_only_are_sent_as_asked() {
    let s = server();
    let run = query(&s, &["www.example.test", "+zflag", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(s.seen()[0].bytes[3] & 0x40, 0x40, "Z bit");
    assert_eq!(json_lines(&run.stdout)[0]["query"]["flags"]["z"], true);

    // A NOTIFY: the server copies the opcode, and the reply is accepted.
    let run = query(&s, &["example.test", "SOA", "+opcode=notify", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let seen = s.seen();
    assert_eq!(seen.last().unwrap().bytes[2] >> 3 & 0x0f, 4);
    let doc = &json_lines(&run.stdout)[0];
    assert_eq!(doc["query"]["opcode"], "NOTIFY");
    assert_eq!(doc["response"]["header"]["opcode"], "NOTIFY");
    assert_eq!(query(&s, &["www.example.test", "+opcode=16"]).code, 1);

    // No question at all: the test server refuses it, and the reply without a question
    // section is taken as the reply.
    let run = query(&s, &["www.example.test", "+header-only", "--json"]);
    let last = s.seen().last().unwrap().bytes.clone();
    assert_eq!(&last[4..6], &[0, 0], "QDCOUNT");
    let doc = &json_lines(&run.stdout)[0];
    assert_eq!(doc["query"]["header_only"], true);
    assert_eq!(doc["response"]["header"]["rcode"], "REFUSED");
    assert_eq!(doc["response"]["question"].as_array().unwrap().len(), 0);
    assert_eq!(run.code, 5, "{run:?}");
    let traced = support::dnscope(&["@127.0.0.1", "+header-only", "+trace", "a.test"]);
    assert_eq!(traced.code, 1);
    assert!(
        traced
            .stderr
            .contains("+header-only sends a query without a question"),
        "{}",
        traced.stderr
    );
}

#[test]
fn digrc_words_come_first_and_minus_r_skips_them() {
    let s = server();
    let home = std::env::temp_dir().join(format!("dnscope-digrc-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join(".digrc"), "# defaults\n+short +nocookie\n").unwrap();
    let home = home.to_str().unwrap();
    let run = query_with(&s, &["www.example.test"], &[("HOME", home)]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "192.0.2.10\n192.0.2.11\n");
    // The command line overrides what ~/.digrc says.
    let run = query_with(&s, &["www.example.test", "+noshort"], &[("HOME", home)]);
    assert!(run.stdout.contains(";; ANSWER SECTION:"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("COOKIE"),
        "+nocookie from ~/.digrc: {}",
        run.stdout
    );
    let run = query_with(&s, &["-r", "www.example.test"], &[("HOME", home)]);
    assert!(run.stdout.contains(";; ANSWER SECTION:"), "{}", run.stdout);
    assert!(run.stdout.contains("COOKIE"), "{}", run.stdout);
}

#[test]
fn minus_b_sends_from_the_address_given() {
    let s = server();
    for words in [
        &["-b", "127.0.0.9", "www.example.test"][..],
        &["-b", "127.0.0.9", "+tcp", "www.example.test"],
    ] {
        let run = query(&s, words);
        assert_eq!(run.code, 0, "{run:?}");
        assert_eq!(
            s.seen().last().unwrap().from.ip(),
            "127.0.0.9".parse::<IpAddr>().unwrap(),
            "{words:?}"
        );
    }
    let port = {
        let probe = std::net::UdpSocket::bind("127.0.0.9:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let run = query(&s, &["-b", &format!("127.0.0.9#{port}"), "www.example.test"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(s.seen().last().unwrap().from.port(), port);
    // Only servers of the source's family are asked.
    let run = support::dnscope(&["@::1", "-b", "127.0.0.9", "a.test"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("no IPv4 address for the server"),
        "{}",
        run.stderr
    );
    let run = support::dnscope(&["@127.0.0.1", "-b", "nowhere", "a.test"]);
    assert!(
        run.stderr
            .contains("-b needs a local address, ADDR or ADDR#PORT, not 'nowhere'"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknownformat_shows_every_type_in_rfc_3597_form() {
    let s = server();
    let run = query(&s, &["www.example.test", "+unknownformat", "+short"]);
    assert_eq!(run.stdout, "\\# 4 C000020A\n\\# 4 C000020B\n", "{run:?}");
    let run = query(&s, &["example.test", "MX", "+unknownformat", "--json"]);
    let doc = &json_lines(&run.stdout)[0];
    let first = &doc["response"]["answer"][0];
    assert!(first["data"].as_str().unwrap().starts_with("\\# "), "{first}");
    assert!(
        first["rdata"]["hex"].as_str().unwrap().starts_with("000A04"),
        "{first}"
    );
    // Names inside the rdata are written out in full, never compressed (RFC 3597 §4).
    let run = query(&s, &["alias.example.test", "CNAME", "+unknownformat", "+short"]);
    assert_eq!(run.stdout, "\\# 18 03777777076578616D706C65047465737400\n");
}

#[test]
fn qr_shows_the_query_as_sent_before_the_reply() {
    let s = server();
    let run = query(&s, &["www.example.test", "+qr", "+nsid"]);
    assert_eq!(run.code, 0, "{run:?}");
    let sending = run.stdout.find(";; Sending:").expect(&run.stdout);
    let got = run.stdout.find(";; Got answer:").unwrap();
    assert!(sending < got);
    let sent = &run.stdout[sending..got];
    assert!(
        sent.contains(";; flags: rd ad; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1"),
        "{sent}"
    );
    assert!(sent.contains("; NSID:"), "{sent}");
    assert!(sent.contains(";www.example.test.\t\tIN\tA"), "{sent}");
    let size = s.seen()[0].bytes.len();
    assert!(sent.contains(&format!(";; QUERY SIZE: {size}")), "{sent}");

    let doc = &json_lines(&query(&s, &["www.example.test", "+qr", "--json"]).stdout)[0];
    assert_eq!(doc["sent"]["header"]["id"], doc["response"]["header"]["id"]);
    assert_eq!(doc["sent"]["header"]["flags"]["qr"], false);
    assert_eq!(doc["sent"]["question"][0]["name"], "www.example.test.");
    let doc = &json_lines(&query(&s, &["www.example.test", "--json"]).stdout)[0];
    assert!(doc.get("sent").is_none());
}

#[test]
fn multiline_split_and_rrcomments_lay_records_out_as_dig_does() {
    let mut zone = example_zone();
    zone.records.extend(
        Zone::parse(
            "example.test.",
            "ds 300 IN DS 12345 13 2 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
        )
        .records,
    );
    let s = support::TestServer::start(zone);
    let run = query(&s, &["example.test", "SOA", "+multiline", "+noall", "+answer"]);
    assert_eq!(
        run.stdout,
        "example.test.\t3600 IN SOA ns1.example.test. hostmaster.example.test. (\n\
         \t\t\t\t2024010101 ; serial\n\
         \t\t\t\t7200       ; refresh (2 hours)\n\
         \t\t\t\t3600       ; retry (1 hour)\n\
         \t\t\t\t1209600    ; expire (2 weeks)\n\
         \t\t\t\t300        ; minimum (5 minutes)\n\
         \t\t\t\t)\n"
    );
    let run = query(&s, &["ds.example.test", "DS", "+multiline", "+noall", "+answer"]);
    assert_eq!(
        run.stdout,
        "ds.example.test.\t300 IN DS 12345 13 2 (\n\
         \t\t\t\tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n\
         \t\t\t\tAAAAAAAAAAAAAAAAAAAA )\n"
    );
    let run = query(&s, &["ds.example.test", "DS", "+split=6", "+short"]);
    assert_eq!(
        run.stdout,
        format!("12345 13 2 {}AAAAAAAA\n", "AAAAAAAA ".repeat(7))
    );
    let run = query(
        &s,
        &["example.test", "SOA", "+multiline", "+norrcomments", "+short"],
    );
    assert!(run.stdout.ends_with("\t\t\t\t300)\n"), "{}", run.stdout);
    // JSON is data: the layout does not touch it.
    let doc = &json_lines(&query(&s, &["ds.example.test", "DS", "+multiline", "--json"]).stdout)[0];
    assert!(
        !doc["response"]["answer"][0]["data"]
            .as_str()
            .unwrap()
            .contains('(')
    );
}

#[test]
fn yaml_writes_the_reply_as_dig_does() {
    let s = server();
    let run = query(&s, &["www.example.test", "+yaml", "+norec"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        &lines[..3],
        ["- type: MESSAGE", "  message:", "    type: AUTH_RESPONSE"]
    );
    assert!(
        lines[3].starts_with("    query_time: !!timestamp 20"),
        "{}",
        lines[3]
    );
    for expected in [
        "    socket_family: INET",
        "    socket_protocol: UDP",
        "    response_address: \"127.0.0.1\"",
        &format!("    response_port: {}", s.addr.port()),
        "      status: NOERROR",
        "      flags: qr aa",
        "      ANSWER: 2",
        "      QUESTION_SECTION:",
        "        - 'www.example.test. IN A'",
        "        - 'www.example.test. 300 IN A 192.0.2.10'",
    ] {
        assert!(lines.contains(&expected), "no {expected:?} in\n{}", run.stdout);
    }
    let run = query(&s, &["www.example.test", "+yaml", "+short"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("+yaml cannot be combined"), "{}", run.stderr);
    let run = support::dnscope(&["@127.0.0.1", "+yaml", "+trace", "a.test"]);
    assert!(
        run.stderr.contains("a trace or a transfer has text or JSON"),
        "{}",
        run.stderr
    );
}
