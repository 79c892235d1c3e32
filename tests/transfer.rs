//! Zone transfers end to end: the real binary against a scripted transfer server on
//! loopback (tests/support/xfr.rs). Real servers (Knot, BIND, NSD) are in the interop
//! suite.

mod support;

use std::io::Read;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_proto::op::ResponseCode;
use support::xfr::{Script, Step, XfrServer, a, client_serial, signer, soa};
use support::{Run, json_lines};

/// The zone in three messages: SOA and two records, three records, the closing SOA.
fn axfr_script() -> Script {
    Arc::new(|_| {
        vec![
            Step::Records(vec![soa(7), a("www", 1), a("mail", 2)]),
            Step::Records(vec![a("ftp", 3), a("db", 4), a("api", 5)]),
            Step::Records(vec![soa(7)]),
        ]
    })
}

fn transfer(server: &XfrServer, words: &[&str]) -> Run {
    support::dnscope_after(
        server.at(),
        &[&["--timeout", "1s", "example.test."][..], words].concat(),
    )
}

#[test]
fn an_axfr_prints_every_record_in_zone_file_form_and_dig_s_summary() {
    let server = XfrServer::start([127, 0, 0, 1], axfr_script(), None);
    let run = transfer(&server, &["AXFR"]);
    assert_eq!(run.code, 0, "{run:?}");
    let records: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| !l.starts_with(';') && !l.is_empty())
        .collect();
    assert_eq!(records.len(), 7, "{}", run.stdout);
    assert!(
        records[0].starts_with("example.test.\t3600\tIN\tSOA\tns1.example.test. hostmaster.example.test. 7 ")
    );
    assert_eq!(records[3], "ftp.example.test.\t300\tIN\tA\t192.0.2.3");
    assert!(records[6].contains("SOA"));
    assert!(
        run.stdout.contains(";; XFR size: 7 records (messages 3, bytes "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(";; XFR: AXFR of serial 7"));
    assert!(run.stdout.contains("(TCP)"));
    let seen = server.seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].queries[0].query_type, hickory_proto::rr::RecordType::AXFR);
}

#[test]
fn short_gives_the_data_and_json_one_line_per_message_then_the_summary() {
    let server = XfrServer::start([127, 0, 0, 1], axfr_script(), None);
    let run = transfer(&server, &["AXFR", "+short"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 7);
    assert_eq!(run.stdout.lines().nth(1), Some("192.0.2.1"));

    let run = transfer(&server, &["AXFR", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 4);
    for (i, message) in lines[..3].iter().enumerate() {
        assert_eq!(message["mode"], "transfer_message");
        assert_eq!(message["schema_version"], 1);
        assert_eq!(message["index"], i);
    }
    assert_eq!(lines[1]["records"][0]["name"], "ftp.example.test.");
    assert_eq!(lines[1]["records"][0]["data"], "192.0.2.3");
    assert_eq!(lines[1]["records"][0]["change"], "zone");
    assert_eq!(lines[2]["records"][0]["change"], "closing");
    let summary = &lines[3];
    assert_eq!(summary["mode"], "transfer");
    assert_eq!(summary["kind"], "axfr");
    assert_eq!(summary["serial"], 7);
    assert_eq!(summary["records"], 7);
    assert_eq!(summary["messages"], 3);
    assert_eq!(summary["exit_code"], 0);
    assert_eq!(summary["server"]["protocol"], "tcp");
    let bytes: u64 = lines[..3].iter().map(|m| m["size"].as_u64().unwrap()).sum();
    assert_eq!(summary["bytes"], bytes);
}

#[test]
fn onesoa_prints_the_soa_once() {
    let server = XfrServer::start([127, 0, 0, 1], axfr_script(), None);
    let run = transfer(&server, &["AXFR", "+onesoa", "+short"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 6);
    assert_eq!(run.stdout.lines().filter(|l| l.contains("hostmaster")).count(), 1);
    // JSON is the data: the closing SOA stays, labelled.
    let run = transfer(&server, &["AXFR", "+onesoa", "--json"]);
    assert_eq!(json_lines(&run.stdout).last().unwrap()["records"], 7);
}

#[test]
fn records_are_printed_as_they_arrive() {
    let script: Script = Arc::new(|_| {
        vec![
            Step::Records(vec![soa(7), a("www", 1)]),
            Step::Pause(Duration::from_millis(1500)),
            Step::Records(vec![soa(7)]),
        ]
    });
    let server = XfrServer::start([127, 0, 0, 1], script, None);
    let mut args = server.at();
    args.extend(["--timeout", "3s", "example.test.", "AXFR", "+short"].map(str::to_owned));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let mut child = support::command(&refs, &[])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let n = stdout.read(&mut first).unwrap();
    let first_seen = started.elapsed();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("ns1.example.test."));
    // The first message is printed while the server still holds back the last one.
    assert!(first_seen < Duration::from_millis(1200), "{first_seen:?}");
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(started.elapsed() >= Duration::from_millis(1500));
}

#[test]
fn an_ixfr_shows_each_step_s_deletions_and_additions() {
    let script: Script = Arc::new(|query| {
        assert_eq!(client_serial(query), Some(5));
        vec![
            Step::Records(vec![soa(7), soa(5), a("old", 1), soa(6), a("new", 2)]),
            Step::Records(vec![soa(6), soa(7), a("newer", 3), a("newest", 4), soa(7)]),
        ]
    });
    let server = XfrServer::start([127, 0, 0, 1], script, None);
    let run = transfer(&server, &["IXFR=5"]);
    assert_eq!(run.code, 0, "{run:?}");
    let text = &run.stdout;
    let deleted5 = text.find("; deleted from serial 5:").expect(text);
    let added6 = text.find("; added in serial 6:").expect(text);
    let deleted6 = text.find("; deleted from serial 6:").expect(text);
    let added7 = text.find("; added in serial 7:").expect(text);
    assert!(deleted5 < text.find("old.example.test.").unwrap());
    assert!(deleted5 < added6 && added6 < deleted6 && deleted6 < added7);
    assert!(added7 < text.find("newest.example.test.").unwrap());
    assert!(
        text.contains(";; XFR: IXFR in 2 step(s): 5 → 6 (-1 +1), 6 → 7 (-0 +2)"),
        "{text}"
    );

    let run = transfer(&server, &["IXFR=5", "--json"]);
    let lines = json_lines(&run.stdout);
    let changes: Vec<String> = lines[..2]
        .iter()
        .flat_map(|m| m["records"].as_array().unwrap().clone())
        .map(|r| format!("{}:{}", r["change"].as_str().unwrap(), r["serial"]))
        .collect();
    assert_eq!(
        changes,
        [
            "opening:null",
            "deleted:5",
            "deleted:5",
            "added:6",
            "added:6",
            "deleted:6",
            "added:7",
            "added:7",
            "added:7",
            "closing:null"
        ]
    );
    assert_eq!(lines[2]["kind"], "incremental");
    assert_eq!(lines[2]["client_serial"], 5);
    assert_eq!(
        lines[2]["steps"][1],
        serde_json::json!({"from": 6, "to": 7, "deleted": 0, "added": 2})
    );
}

#[test]
fn an_ixfr_from_the_current_serial_is_up_to_date() {
    let server = XfrServer::start(
        [127, 0, 0, 1],
        Arc::new(|_| vec![Step::Records(vec![soa(7)])]),
        None,
    );
    let run = transfer(&server, &["IXFR=7"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains(";; XFR: up to date: the server has serial 7, the query said 7")
    );
}

#[test]
fn a_refused_cut_stalled_or_malformed_transfer_says_what_went_wrong() {
    let cases: Vec<(Script, i32, &str)> = vec![
        (
            Arc::new(|_| vec![Step::Rcode(ResponseCode::Refused)]),
            5,
            "example.test. AXFR: the server answered REFUSED",
        ),
        (
            Arc::new(|_| vec![Step::Records(vec![soa(7), a("www", 1)]), Step::Close]),
            9,
            "the transfer was cut short after 2 record(s) in 1 message(s): no closing SOA",
        ),
        (
            Arc::new(|_| {
                vec![
                    Step::Records(vec![soa(7), a("www", 1)]),
                    Step::HalfThenClose(vec![a("db", 2), soa(7)]),
                ]
            }),
            9,
            "server closed the TCP connection after",
        ),
        (
            Arc::new(|_| vec![Step::Records(vec![soa(7)]), Step::Pause(Duration::from_secs(3))]),
            9,
            "timed out after 1 record(s) in 1 message(s)",
        ),
        (
            Arc::new(|_| vec![Step::Records(vec![soa(7), a("www", 1), soa(8)])]),
            9,
            "the closing SOA has serial 8, the opening one 7",
        ),
        (
            Arc::new(|_| vec![Step::Records(vec![a("www", 1), soa(7)])]),
            9,
            "the transfer starts with www.example.test. A, not the SOA of example.test.",
        ),
    ];
    for (script, code, says) in cases {
        let server = XfrServer::start([127, 0, 0, 1], script, None);
        let run = transfer(&server, &["AXFR"]);
        assert_eq!(run.code, code, "{says}: {run:?}");
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn a_closed_port_is_no_reply() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    drop(listener);
    let run = support::dnscope(&[
        "@127.0.0.1",
        "-p",
        &port,
        "--timeout",
        "1s",
        "example.test.",
        "AXFR",
    ]);
    assert_eq!(run.code, 9, "{run:?}");
    assert!(
        run.stderr.contains("no connection for the transfer: 127.0.0.1:"),
        "{}",
        run.stderr
    );
}

const SECRET: &[u8] = b"a shared secret of thirty-two b.";
const SECRET_B64: &str = "YSBzaGFyZWQgc2VjcmV0IG9mIHRoaXJ0eS10d28gYi4=";

#[test]
fn tsig_signs_the_transfer_and_verifies_the_reply() {
    let script: Script = Arc::new(|_| vec![Step::Records(vec![soa(7), a("www", 1), soa(7)])]);
    let server = XfrServer::start([127, 0, 0, 1], script, Some(signer(SECRET)));
    let key = format!("hmac-sha256:transfer-key:{SECRET_B64}");
    let run = transfer(&server, &["AXFR", "-y", &key]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains(
            ";; TSIG: verified with key transfer-key. (hmac-sha256): 1 message(s) signed, 0 unsigned"
        ),
        "{}",
        run.stdout
    );

    // The same key from a BIND key file.
    let file = support::temp_file(
        "transfer.key",
        &format!("key \"transfer-key\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{SECRET_B64}\";\n}};\n"),
    );
    let run = transfer(&server, &["AXFR", "-k", file.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let summary = json_lines(&run.stdout).pop().unwrap();
    assert_eq!(
        summary["tsig"],
        serde_json::json!({"key": "transfer-key.", "algorithm": "hmac-sha256", "verified": true, "signed": 1, "unsigned": 0})
    );
}

#[test]
fn a_wrong_secret_is_badsig_and_the_secret_is_never_printed() {
    let script: Script = Arc::new(|_| vec![Step::Records(vec![soa(7), soa(7)])]);
    let server = XfrServer::start([127, 0, 0, 1], script, Some(signer(SECRET)));
    let wrong = "d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCB3cm9uZyE=";
    for format in ["+cmd", "--json", "+short"] {
        let key = format!("transfer-key:{wrong}");
        let run = transfer(&server, &["AXFR", "-y", &key, format]);
        assert_eq!(run.code, 5, "{run:?}");
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(all.contains("TSIG error BADSIG"), "{all}");
        assert!(!all.contains(wrong), "the secret leaked: {all}");
        if format == "+cmd" {
            assert!(all.contains("-y transfer-key:(secret hidden)"), "{all}");
        }
    }
}

#[test]
fn transfers_are_refused_where_they_make_no_sense() {
    for (words, says) in [
        (
            vec!["example.test.", "IXFR"],
            "IXFR needs the serial the client holds: IXFR=SERIAL",
        ),
        (
            vec!["example.test.", "AXFR", "+trace"],
            "a zone transfer (AXFR, IXFR) asks a server directly",
        ),
        (
            vec!["example.test.", "AXFR", "other.test."],
            "a zone transfer is the only query of its command line",
        ),
        (
            vec!["example.test.", "AXFR", "--expect", "answers>=1"],
            "judges a query's answer, not a zone transfer",
        ),
        (
            vec!["example.test.", "AXFR", "-y", "k:%%%"],
            "-y: the secret is not valid base64",
        ),
    ] {
        let mut args = vec!["@127.0.0.1"];
        args.extend(words.iter());
        support::assert_usage_error(&args, says);
    }
    let batch = support::temp_file("xfr-lines", "example.test. AXFR\n");
    let run = support::dnscope(&["@127.0.0.1", "-f", batch.to_str().unwrap()]);
    assert!(
        run.stderr.contains("zone transfers are not run in a batch"),
        "{run:?}"
    );
}

#[test]
fn a_check_file_can_ask_that_a_zone_transfers() {
    let good = XfrServer::start([127, 0, 0, 1], axfr_script(), None);
    let refusing = XfrServer::start(
        [127, 0, 0, 1],
        Arc::new(|_| vec![Step::Rcode(ResponseCode::Refused)]),
        None,
    );
    let dir = std::env::temp_dir().join(format!("dnscope-xfr-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("transfers.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"defaults": {{"server": "127.0.0.1", "timeout": "1s"}},
               "checks": [
                 {{"name": "secondary transfers", "query": "example.test", "type": "AXFR", "port": {good}}},
                 {{"name": "closed to the world", "query": "example.test", "type": "AXFR", "port": {refusing}}}
               ]}}"#,
            good = good.addr.port(),
            refusing = refusing.addr.port()
        ),
    )
    .unwrap();
    let run = support::check(&file, &["--json"]);
    assert_eq!(run.code, 5, "{run:?}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["checks"][0]["passed"], true);
    assert_eq!(doc["checks"][0]["result"]["records"], 7);
    assert_eq!(doc["checks"][1]["passed"], false);
    assert_eq!(doc["checks"][1]["error"], "the server answered REFUSED");
}

/// A server that answers any question with one record, signing with `key` if given.
fn answering(key: Option<hickory_proto::rr::TSigner>) -> XfrServer {
    let script: Script = Arc::new(|query| {
        let name = query.queries[0].name().clone();
        let address = std::net::Ipv4Addr::new(192, 0, 2, 10).into();
        vec![Step::Records(vec![hickory_proto::rr::Record::from_rdata(
            name,
            300,
            hickory_proto::rr::RData::A(address),
        )])]
    });
    XfrServer::start([127, 0, 0, 1], script, key)
}

#[test]
fn a_signed_query_shows_whether_the_reply_s_signature_verified() {
    let server = answering(Some(signer(SECRET)));
    let key = format!("transfer-key:{SECRET_B64}");
    let run = transfer(&server, &["A", "+tcp", "-y", &key]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("192.0.2.10"));
    assert!(
        run.stdout
            .contains(";; TSIG: verified with key transfer-key. (hmac-sha256)"),
        "{}",
        run.stdout
    );
    // The reply's TSIG record, written as BIND writes it.
    assert!(
        run.stdout.contains("transfer-key.\t0\tANY\tTSIG\thmac-sha256. "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(" 32 ") && run.stdout.contains(" NOERROR 0\n"),
        "{}",
        run.stdout
    );
    let doc = &json_lines(&transfer(&server, &["A", "+tcp", "-y", &key, "--json"]).stdout)[0];
    assert_eq!(doc["tsig"]["verified"], true);
    assert_eq!(doc["exit_code"], 0);
    // The query the server got carried the TSIG record.
    let seen = server.seen.lock().unwrap();
    assert!(seen.iter().all(|m| m.signature().is_some()), "{seen:?}");
}

#[test]
fn a_signed_query_fails_on_badsig_or_an_unsigned_reply_and_never_shows_the_secret() {
    let wrong = "d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCB3cm9uZyE=";
    let server = answering(Some(signer(SECRET)));
    let run = transfer(&server, &["A", "+tcp", "-y", &format!("transfer-key:{wrong}")]);
    assert_eq!(run.code, 5, "{run:?}");
    assert!(
        run.stderr.contains("TSIG: the server answered TSIG error BADSIG"),
        "{}",
        run.stderr
    );
    assert!(!format!("{}{}", run.stdout, run.stderr).contains(wrong));

    // A server that does not sign at all: its reply is shown, and not trusted.
    let server = answering(None);
    let run = transfer(
        &server,
        &["A", "+tcp", "-y", &format!("transfer-key:{SECRET_B64}"), "--json"],
    );
    assert_eq!(run.code, 5, "{run:?}");
    let doc = &json_lines(&run.stdout)[0];
    assert_eq!(doc["tsig"]["verified"], false);
    assert_eq!(
        doc["tsig"]["problem"],
        "TSIG: the reply to a signed query carries no TSIG"
    );
    assert_eq!(doc["response"]["answer"][0]["data"], "192.0.2.10");
    assert!(!run.stdout.contains(SECRET_B64));

    let run = support::dnscope(&["+trace", "example.test.", "-y", "k:c2VjcmV0"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("+trace asks servers that do not share the key"),
        "{}",
        run.stderr
    );
}
