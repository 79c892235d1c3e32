//! Hostile servers and bad input (issue "Hostile servers and bad input"): each test
//! keeps one of the holes found by a scripted hostile DNS world closed. The servers are
//! the in-process test server on loopback, misbehaving on purpose.

mod support;

use std::time::{Duration, Instant};

use support::{Mode, Run, TestServer, dnscope, example_zone, json_lines};

fn server() -> TestServer {
    TestServer::start(example_zone())
}

fn query(server: &TestServer, words: &[&str]) -> Run {
    let mut args = server.at();
    args.extend(["--timeout", "300ms", "--tries", "1"].map(str::to_owned));
    args.extend(words.iter().map(|w| (*w).to_owned()));
    dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn huge_timeouts_are_usage_errors_not_panics() {
    let s = server();
    for words in [
        &["--timeout", "18446744073709551615s", "www.example.test"][..],
        &["+timeout=9223372036854775807", "www.example.test"],
        &["--timeout", "301s", "www.example.test"],
        &["+tries=4294967295", "www.example.test"],
    ] {
        let mut args = s.at();
        args.extend(words.iter().map(|w| (*w).to_owned()));
        let started = Instant::now();
        let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(run.code, 1, "{words:?}: {}", run.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{words:?} took {:?}",
            started.elapsed()
        );
        assert_eq!(run.stderr.lines().count(), 1, "{words:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    // The largest allowed values are accepted.
    let mut args = s.at();
    args.extend(["--timeout", "300s", "+tries=100", "www.example.test", "+short"].map(str::to_owned));
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn answer_records_for_another_name_are_not_the_answer() {
    let s = server();
    s.set_mode(Mode::ForeignAnswer);
    let short = query(&s, &["www.example.test", "+short"]);
    assert_eq!(short.code, 9, "{}", short.stderr);
    assert_eq!(
        short.stdout, "",
        "+short prints no address that was not the answer"
    );
    assert!(
        short
            .stderr
            .contains("no record in the answer section answers the question"),
        "{}",
        short.stderr
    );

    let expect = query(&s, &["www.example.test", "--expect", "A=192.0.2.66"]);
    assert_ne!(expect.code, 0, "an expectation must not pass on a foreign record");

    let json = query(&s, &["www.example.test", "--json"]);
    let doc = &json_lines(&json.stdout)[0];
    assert_eq!(doc["status"], serde_json::Value::Null);
    assert_eq!(doc["exit_code"], 9);
    assert_eq!(doc["response"]["outside_answer"], serde_json::json!([0]));
    assert_eq!(
        doc["response"]["answer"][0]["name"], "evil.other.",
        "shown, not hidden"
    );
    assert!(
        doc["warnings"][0].as_str().unwrap().contains("evil.other. A"),
        "{doc}"
    );

    let text = query(&s, &["www.example.test"]);
    assert!(
        text.stdout
            .contains(";; WARNING: answer records outside the question's chain"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("evil.other."), "{}", text.stdout);
}

#[test]
fn a_reply_of_another_opcode_is_ignored() {
    let s = server();
    for opcode in [4, 15] {
        s.set_mode(Mode::OtherOpcode(opcode));
        let run = query(&s, &["www.example.test", "--json"]);
        assert_eq!(run.code, 9, "opcode {opcode}: {}", run.stdout);
        let doc = &json_lines(&run.stdout)[0];
        let ignored = doc["ignored"][0].as_str().unwrap();
        assert!(ignored.contains("opcode"), "{ignored}");
    }
}

#[test]
fn a_ttl_with_its_top_bit_set_counts_as_zero() {
    let s = server();
    s.set_mode(Mode::TopBitTtl);
    let text = query(&s, &["www.example.test"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("2147483648"),
        "the raw value is shown: {}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("has its top bit set: read as 0 (RFC 2181 §8)"),
        "{}",
        text.stdout
    );
    let low = query(&s, &["www.example.test", "--expect", "ttl<=300"]);
    assert_eq!(low.code, 0, "read as 0, the TTL is below 300: {}", low.stdout);
    let high = query(&s, &["www.example.test", "--expect", "ttl>=300"]);
    assert_eq!(high.code, 6, "read as 0, the TTL is not 300 or more");
}

#[test]
fn a_truncated_reply_over_tcp_proves_nothing() {
    let s = server();
    s.set_mode(Mode::TruncateAll);
    let run = query(&s, &["www.example.test", "--json"]);
    assert_eq!(run.code, 9, "{}", run.stdout);
    let doc = &json_lines(&run.stdout)[0];
    assert_eq!(
        doc["server"]["protocol"], "tcp",
        "UDP truncation went on over TCP"
    );
    assert_eq!(doc["status"], serde_json::Value::Null);
    assert!(
        doc["error"]["message"].as_str().unwrap().contains("truncated"),
        "{doc}"
    );
}

#[test]
fn nonsense_flags_are_one_line_usage_errors() {
    let s = server();
    for words in [
        &["-p", "0", "www.example.test"][..],
        &["@127.0.0.1#0", "www.example.test"],
        &["@127.0.0.1#65536", "www.example.test"],
    ] {
        let run = dnscope(words);
        assert_eq!(run.code, 1, "{words:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
    let mut args = s.at();
    args.push("ex\u{202e}ample..test".to_owned());
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("ex\\u{202e}ample"), "{}", run.stderr);
    assert!(
        !run.stderr.contains('\u{202e}'),
        "a raw bidi override reached the terminal"
    );
    let control = dnscope(&["+bogus\u{1b}[31m"]);
    assert_eq!(control.code, 1);
    assert!(!control.stderr.contains('\u{1b}'), "{:?}", control.stderr);
}

#[test]
fn a_server_that_only_sends_malformed_replies_is_named_as_such() {
    let s = server();
    s.set_mode(Mode::Garbage);
    let mut args = s.at();
    args.extend(["--timeout", "200ms", "--tries", "2", "www.example.test"].map(str::to_owned));
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 9);
    assert!(
        run.stderr.contains("only malformed replies from") && run.stderr.contains("in 2 attempt(s)"),
        "{}",
        run.stderr
    );
}
