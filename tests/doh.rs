//! DNS over HTTPS end to end: the real binary against an in-process DoH server on
//! loopback (tests/support/doh.rs). BIND's DoH is in the interop suite.

mod support;

use std::sync::atomic::Ordering;

use support::doh::{Behaviour, DohServer};
use support::{Run, example_zone, json_lines};

fn ask(server: &DohServer, words: &[&str]) -> Run {
    support::dnscope_after(server.at(), &[&["--timeout", "2s"][..], words].concat())
}

#[test]
fn a_post_over_http2_carries_the_query_as_a_dns_message() {
    let server = DohServer::start(example_zone(), Behaviour::Answer);
    let run = ask(&server, &["www.example.test", "A"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("192.0.2.10"), "{}", run.stdout);
    assert!(run.stdout.contains("(HTTPS)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("ALPN h2, certificate verified"),
        "{}",
        run.stdout
    );
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].path, "/dns-query");
    assert_eq!(seen[0].content_type.as_deref(), Some("application/dns-message"));
    // Padded, as over TLS (RFC 8467).
    assert_eq!(seen[0].query.len() % 128, 0, "{} bytes", seen[0].query.len());

    let doc = &json_lines(&ask(&server, &["www.example.test", "--json"]).stdout)[0];
    assert_eq!(doc["server"]["protocol"], "https");
    assert_eq!(doc["server"]["port"], server.addr.port());
    assert_eq!(doc["tls"]["alpn"], "h2");
}

#[test]
fn a_get_sends_the_query_in_the_url_at_the_path_given() {
    let server = DohServer::start(example_zone(), Behaviour::Answer);
    let run = ask(
        &server,
        &["www.example.test", "+https=/custom/path", "+https-get", "+short"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.stdout, "192.0.2.10\n192.0.2.11\n");
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, "GET");
    assert!(seen[0].path.starts_with("/custom/path?dns="), "{}", seen[0].path);
    assert!(!seen[0].path.contains('='.to_string().repeat(2).as_str()));
    let query = hickory_proto::op::Message::from_vec(&seen[0].query).unwrap();
    assert_eq!(query.queries[0].name().to_ascii(), "www.example.test.");
}

#[test]
fn queries_on_one_line_share_one_http2_connection() {
    let server = DohServer::start(example_zone(), Behaviour::Answer);
    let run = ask(
        &server,
        &[
            "www.example.test",
            "mail.example.test",
            "txt.example.test",
            "TXT",
            "--json",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(support::tls_reused(&run.stdout), [false, true, true]);
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    assert_eq!(server.seen.lock().unwrap().len(), 3);
}

#[test]
fn a_server_that_offers_only_http1_is_asked_over_http1() {
    let server = DohServer::start(example_zone(), Behaviour::Http1Only);
    let run = ask(&server, &["www.example.test", "mail.example.test", "--json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let docs = json_lines(&run.stdout);
    assert_eq!(docs[0]["tls"]["alpn"], "http/1.1");
    assert_eq!(docs[0]["response"]["answer"][0]["data"], "192.0.2.10");
    assert_eq!(docs[1]["tls"]["reused"], true);
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}

#[test]
fn http_errors_and_other_media_types_are_said_plainly() {
    for (behaviour, says) in [
        (
            Behaviour::Status(415),
            "the server answered HTTP 415 Unsupported Media Type",
        ),
        (Behaviour::Status(400), "the server answered HTTP 400 Bad Request"),
        (
            Behaviour::Status(404),
            "HTTP 404 Not Found: no DoH service at this path",
        ),
        (
            Behaviour::Html,
            "the HTTP response is text/html, not application/dns-message",
        ),
    ] {
        let server = DohServer::start(example_zone(), behaviour);
        let run = ask(&server, &["www.example.test"]);
        assert_eq!(run.code, 9, "{behaviour:?}: {run:?}");
        assert!(run.stderr.contains(says), "{behaviour:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1);
        // No retry: the server said what it thinks.
        assert_eq!(server.seen.lock().unwrap().len(), 1, "{behaviour:?}");
    }
}

#[test]
fn an_https_url_names_the_server_port_and_path() {
    let server = DohServer::start(example_zone(), Behaviour::Answer);
    let url = format!("@https://127.0.0.1:{}/q", server.addr.port());
    let ca = format!("+tls-ca={}", server.ca_file.display());
    let run = support::dnscope(&[&url, &ca, "www.example.test", "+short"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(server.seen.lock().unwrap()[0].path, "/q");
    for (words, says) in [
        (vec!["@127.0.0.1", "+https", "+tls", "a.test"], "pick one"),
        (
            vec!["@127.0.0.1", "+https-get", "a.test"],
            "+https-get applies only to +https",
        ),
        (
            vec!["@127.0.0.1", "+https", "+trace", "a.test"],
            "ask one server directly",
        ),
    ] {
        support::assert_usage_error(&words, says);
    }
}

#[test]
fn a_certificate_the_ca_did_not_sign_is_refused_before_any_request() {
    let server = DohServer::start(example_zone(), Behaviour::Answer);
    // The system's roots (or none) do not know the test CA.
    let args = [
        "@127.0.0.1".to_owned(),
        "-p".to_owned(),
        server.addr.port().to_string(),
        "+https".to_owned(),
        "www.example.test".to_owned(),
    ];
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = support::dnscope(&refs);
    assert_eq!(run.code, 9, "{run:?}");
    assert!(
        run.stderr.contains("unknown issuer") || run.stderr.contains("no root certificate"),
        "{}",
        run.stderr
    );
    assert!(server.seen.lock().unwrap().is_empty());
}

#[test]
fn a_batch_over_https_shares_the_connection() {
    let server = DohServer::start(example_zone(), Behaviour::Answer);
    let names: Vec<String> = (0..30)
        .map(|i| format!("n{i}.example.test\nwww.example.test"))
        .collect();
    let lines = support::temp_file("doh-names", &names.join("\n"));
    let run = ask(&server, &["-f", lines.to_str().unwrap(), "-j", "4", "--json"]);
    let docs = json_lines(&run.stdout);
    assert_eq!(docs.len(), 60, "{}", run.stderr);
    assert!(docs.iter().all(|d| d["server"]["protocol"] == "https"));
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    assert_eq!(server.seen.lock().unwrap().len(), 60);
}

#[test]
fn a_batch_sends_its_queries_to_one_server_as_concurrent_http2_streams() {
    let server = DohServer::start(example_zone(), Behaviour::Slow(200));
    let names: Vec<String> = (0..16).map(|i| format!("n{i}.example.test")).collect();
    let lines = support::temp_file("doh-slow-names", &names.join("\n"));
    let run = ask(&server, &["-f", lines.to_str().unwrap(), "-j", "8", "--json"]);
    assert_eq!(json_lines(&run.stdout).len(), 16, "{}", run.stderr);
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    // Workers' queries were in flight together on the one connection.
    let most = server.most_at_once.load(Ordering::SeqCst);
    assert!(most >= 2, "at most {most} request(s) at once");
}
