//! `--expect` end to end: every kind of expectation passing and failing, exit codes,
//! the verdicts in text, +short and JSON, and expectations on a trace.

mod support;

use support::lab::Lab;
use support::{Run, TestServer, dnscope, example_zone, json_lines};

fn server() -> &'static TestServer {
    static SERVER: std::sync::OnceLock<TestServer> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| TestServer::start(example_zone()))
}

fn query(words: &[&str]) -> Run {
    let mut args = server().at();
    args.extend(words.iter().map(|w| (*w).to_owned()));
    dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn expect(name_and_type: &[&str], expectation: &str) -> Run {
    let mut words = name_and_type.to_vec();
    words.extend(["--expect", expectation]);
    query(&words)
}

#[test]
fn each_kind_passes_and_fails() {
    for (words, expectation, code) in [
        (&["www.example.test"][..], "A=192.0.2.10", 0),
        (&["www.example.test"], "A=192.0.2.12", 6),
        (&["www.example.test"], "A=192.0.2.0/24", 0),
        (&["www.example.test"], "A=198.51.100.0/24", 6),
        (&["www.example.test"], "A!=192.0.2.99", 0),
        (&["www.example.test", "AAAA"], "AAAA=2001:db8::10", 0),
        (&["cdn.example.test"], "CNAME=*.cloudfront.net.", 0),
        (&["cdn.example.test"], "CNAME=*.akamaiedge.net", 6),
        (&["txt.example.test", "TXT"], "TXT=\"v=spf1 *", 0),
        (&["example.test", "MX"], "MX=10 mail.example.test", 0),
        (&["nope.example.test"], "rcode=NXDOMAIN", 0),
        (&["www.example.test"], "rcode=NXDOMAIN", 6),
        (&["www.example.test"], "ttl<=300", 0),
        (&["www.example.test"], "ttl<300", 6),
        (&["www.example.test"], "ttl>=5m", 0),
        // One RRset with two TTLs (servers do send them): every record must hold.
        (&["mixed.example.test"], "ttl<=600", 0),
        (&["mixed.example.test"], "ttl<=300", 6),
        (&["mixed.example.test"], "ttl>=60", 0),
        (&["mixed.example.test"], "ttl>=100", 6),
        (&["www.example.test"], "answers>=2", 0),
        (&["www.example.test"], "answers>2", 6),
        (&["example.test", "NS"], "ns=ns1.example.test", 0),
        (&["example.test", "NS"], "ns=ns-*.awsdns-*", 6),
    ] {
        let run = expect(words, expectation);
        assert_eq!(
            run.code, code,
            "{words:?} --expect {expectation}: {}{}",
            run.stdout, run.stderr
        );
        let mark = if code == 0 { "✓ passed" } else { "✗ FAILED" };
        assert!(
            run.stdout.contains(&format!(";; EXPECT {expectation} {mark}")),
            "{expectation}: {}",
            run.stdout
        );
    }
}

#[test]
fn verdicts_in_json_and_short() {
    let run = query(&[
        "www.example.test",
        "--json",
        "--expect",
        "A=192.0.2.10",
        "--expect",
        "ttl<60",
    ]);
    assert_eq!(run.code, 6);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["exit_code"], 6);
    assert_eq!(
        doc["expectations"],
        serde_json::json!([
            {"expect": "A=192.0.2.10", "passed": true, "seen": "192.0.2.10, 192.0.2.11"},
            {"expect": "ttl<60", "passed": false, "seen": "TTL 300, 300"}
        ])
    );
    let short = query(&["www.example.test", "+short", "--expect", "A=192.0.2.99"]);
    assert_eq!(short.code, 6);
    assert_eq!(short.stdout, "192.0.2.10\n192.0.2.11\n");
    assert_eq!(
        short.stderr,
        "dnscope: expectation failed: A=192.0.2.99 (seen: 192.0.2.10, 192.0.2.11)\n"
    );
    let without = query(&["www.example.test", "--json"]);
    assert_eq!(
        json_lines(&without.stdout)[0]["expectations"],
        serde_json::json!([])
    );
}

#[test]
fn no_reply_keeps_its_own_exit_code() {
    let silent = TestServer::start(example_zone());
    silent.set_mode(support::Mode::Silent);
    let mut args = silent.at();
    args.extend(
        [
            "--timeout",
            "200ms",
            "--tries",
            "1",
            "www.example.test",
            "--expect",
            "rcode=NOERROR",
        ]
        .map(str::to_owned),
    );
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 9);
}

#[test]
fn malformed_expectation_is_a_usage_error() {
    let run = query(&["www.example.test", "--expect", "ttl<=3x0"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "dnscope: bad --expect 'ttl<=3x0': expected seconds or a duration like 5m at column 7\n"
    );
}

#[test]
fn expectations_on_a_trace() {
    let lab = Lab::start();
    let mut args = lab.args();
    args.extend(
        [
            "+trace",
            "www.palette.com",
            "--expect",
            "CNAME=*.cloudfront.net",
            "--expect",
            "ns=ns-*.cloudfront.net",
            "--expect",
            "A=192.0.2.80",
            "--expect",
            "answers=2",
            "--json",
        ]
        .map(str::to_owned),
    );
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let doc = json_lines(&run.stdout).remove(0);
    let passed: Vec<bool> = doc["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["passed"].as_bool().unwrap())
        .collect();
    // The last referral is to cloudfront.net., whose NS is ns.cloudfront.net.
    assert_eq!(passed, [true, false, true, true], "{}", doc["expectations"]);
    assert_eq!(run.code, 6);
    let mut zone_ns = lab.args();
    zone_ns.extend(["+trace", "www.palette.com", "--expect", "ns=ns.cloudfront.net"].map(str::to_owned));
    assert_eq!(
        dnscope(&zone_ns.iter().map(String::as_str).collect::<Vec<_>>()).code,
        0
    );
}
