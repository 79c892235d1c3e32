//! DNS over TLS end to end: the real binary against an in-process DoT server on loopback
//! (tests/support/dot.rs) with certificates from a test CA. Real servers (BIND, unbound)
//! are in the interop suite.

mod support;

use std::sync::atomic::Ordering;

use support::dot::{DotServer, Leaf};
use support::{Run, example_zone, json_lines};

fn ask(server: &DotServer, words: &[&str]) -> Run {
    support::dnscope_after(server.at(), &[&["--timeout", "2s"][..], words].concat())
}

#[test]
fn a_query_over_tls_verifies_the_certificate_and_says_what_the_session_was() {
    let server = DotServer::start(example_zone(), Leaf::Good);
    let run = ask(&server, &["www.example.test", "A"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("192.0.2.10"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            ";; SERVER: 127.0.0.1#{}(127.0.0.1) (TLS)",
            server.addr.port()
        )),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(";; TLS: TLSv1.3 TLS13_"), "{}", run.stdout);
    assert!(
        run.stdout.contains("ALPN dot, certificate verified"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            ";; CERTIFICATE: CN=dns.test, issued by CN=dnscope test CA, expires 4096-01-01T00:00:00Z"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(";; SESSION: new: connect "), "{}", run.stdout);

    let doc = &json_lines(&ask(&server, &["www.example.test", "A", "--json"]).stdout)[0];
    assert_eq!(doc["server"]["protocol"], "tls");
    assert_eq!(doc["tls"]["version"], "TLSv1.3");
    assert_eq!(doc["tls"]["alpn"], "dot");
    assert_eq!(doc["tls"]["verified"], true);
    assert_eq!(doc["tls"]["reused"], false);
    assert_eq!(doc["tls"]["certificate"]["subject"], "CN=dns.test");
    assert!(doc["tls"]["handshake_us"].as_u64().unwrap() > 0);
    let answer = doc["tls"]["answer_us"].as_u64().unwrap();
    assert!(answer > 0 && answer <= doc["rtt_us"].as_u64().unwrap(), "{doc}");
}

#[test]
fn queries_on_one_line_share_one_session_and_are_padded() {
    let server = DotServer::start(example_zone(), Leaf::Good);
    let run = ask(
        &server,
        &[
            "www.example.test",
            "A",
            "mail.example.test",
            "A",
            "txt.example.test",
            "TXT",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let docs = json_lines(&run.stdout);
    assert_eq!(docs.len(), 3);
    assert_eq!(support::tls_reused(&run.stdout), [false, true, true]);
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    // RFC 8467: each query padded to a multiple of 128 bytes with option 12.
    let queries = server.queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 3);
    for q in &queries {
        assert_eq!(q.len() % 128, 0, "{} bytes", q.len());
        let message = hickory_proto::op::Message::from_vec(q).unwrap();
        let edns = message.edns.unwrap();
        assert!(
            edns.options()
                .as_ref()
                .iter()
                .any(|(code, _)| u16::from(*code) == 12)
        );
    }
    assert!(
        docs[0]["query"]["edns"]["options"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "PADDING")
    );

    let run = ask(&server, &["www.example.test", "A", "+nopadding"]);
    assert_eq!(run.code, 0);
    let last = server.queries.lock().unwrap().last().unwrap().clone();
    let message = hickory_proto::op::Message::from_vec(&last).unwrap();
    assert!(
        !message
            .edns
            .unwrap()
            .options()
            .as_ref()
            .iter()
            .any(|(code, _)| u16::from(*code) == 12)
    );
}

#[test]
fn a_certificate_that_does_not_verify_says_why_and_no_query_goes_in_clear() {
    for (leaf, says) in [
        (
            Leaf::Expired,
            "the server's certificate does not verify: it has expired",
        ),
        (
            Leaf::OtherName,
            "it is not valid for 127.0.0.1 (it names other.test",
        ),
        (Leaf::SelfSigned, "unknown issuer"),
    ] {
        let server = DotServer::start(example_zone(), leaf);
        let run = ask(&server, &["www.example.test", "A"]);
        assert_eq!(run.code, 9, "{leaf:?}: {run:?}");
        assert!(run.stderr.contains(says), "{leaf:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        // One try only: a certificate does not get better by asking again.
        assert_eq!(server.connections.load(Ordering::SeqCst), 1, "{leaf:?}");
        assert!(
            server.queries.lock().unwrap().is_empty(),
            "{leaf:?}: a query was sent"
        );
    }
}

#[test]
fn the_name_to_verify_and_skipping_verification() {
    // A certificate for dns.test only: the address does not match; the name does.
    let server = DotServer::start(example_zone(), Leaf::NameOnly);
    assert_eq!(ask(&server, &["www.example.test"]).code, 9);
    let run = ask(&server, &["www.example.test", "+tls-hostname=dns.test"]);
    assert_eq!(run.code, 0, "{run:?}");

    let server = DotServer::start(example_zone(), Leaf::SelfSigned);
    let run = ask(&server, &["www.example.test", "+notls-verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains(";; WARNING: +notls-verify: the server's certificate was not verified"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("certificate NOT verified (+notls-verify)"),
        "{}",
        run.stdout
    );
    let run = ask(&server, &["www.example.test", "+tls-insecure", "--json"]);
    assert_eq!(json_lines(&run.stdout)[0]["tls"]["verified"], false);
}

#[test]
fn a_tls_url_names_the_server_and_its_port() {
    let server = DotServer::start(example_zone(), Leaf::Good);
    let url = format!("@tls://127.0.0.1:{}", server.addr.port());
    let ca = format!("+tls-ca={}", server.ca_file.display());
    let run = support::dnscope(&[&url, &ca, "www.example.test", "+short"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "192.0.2.10\n192.0.2.11\n");
}

#[test]
fn tls_options_that_make_no_sense_are_usage_errors() {
    for (words, says) in [
        (
            vec!["@127.0.0.1", "+tls", "+trace", "a.test"],
            "+tls and +https ask one server directly",
        ),
        (
            vec!["@127.0.0.1", "+tls-ca=/x.pem", "a.test"],
            "+tls-ca applies only to +tls",
        ),
        (
            vec!["@127.0.0.1", "+notls-verify", "a.test"],
            "+notls-verify applies only to +tls",
        ),
        (
            vec!["@127.0.0.1", "+tls", "+tls-ca=/no/such/ca.pem", "a.test"],
            "cannot read +tls-ca /no/such/ca.pem",
        ),
        (
            vec!["@quic://127.0.0.1", "a.test"],
            "the server schemes are tls://",
        ),
    ] {
        support::assert_usage_error(&words, says);
    }
}

#[test]
fn a_batch_over_tls_keeps_a_few_sessions_for_all_its_lines() {
    let server = DotServer::start(example_zone(), Leaf::Good);
    let names: Vec<String> = (0..40)
        .map(|i| format!("n{i}.example.test\nwww.example.test"))
        .collect();
    let lines = support::temp_file("dot-names", &names.join("\n"));
    let run = ask(&server, &["-f", lines.to_str().unwrap(), "-j", "4", "--json"]);
    let docs = json_lines(&run.stdout);
    assert_eq!(docs.len(), 80, "{}", run.stderr);
    assert!(docs.iter().all(|d| d["server"]["protocol"] == "tls"));
    let connections = server.connections.load(Ordering::SeqCst);
    // At most one session per worker, kept for every later line.
    assert!(
        (1..=4).contains(&connections),
        "{connections} connections for 80 lines"
    );
}

#[test]
fn a_server_that_never_speaks_tls_costs_the_timeout_and_no_more() {
    // Accepts the connection and says nothing: the handshake never completes.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    for transport in ["+tls", "+https"] {
        let started = std::time::Instant::now();
        let run = support::dnscope(&[
            "@127.0.0.1",
            "-p",
            &port,
            transport,
            "+tries=1",
            "--timeout",
            "500ms",
            "www.example.test",
        ]);
        let took = started.elapsed();
        assert_eq!(run.code, 9, "{transport}: {run:?}");
        assert!(
            run.stderr.contains("timed out") || run.stderr.contains("no reply"),
            "{}",
            run.stderr
        );
        assert!(took < std::time::Duration::from_secs(3), "{transport}: {took:?}");
    }
}
