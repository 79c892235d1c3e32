//! `dnscope check`: a site's checks against the in-process server, passing, then
//! failing after one record changes; the JSON report; JUnit parsed back; the schema.

mod support;

use std::path::{Path, PathBuf};

use support::{TestServer, example_zone, json_lines};

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnscope-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn site(server: &TestServer) -> String {
    format!(
        r#"{{
  "defaults": {{"server": "127.0.0.1", "port": {port}, "timeout": "500ms"}},
  "checks": [
    {{"name": "www A", "query": "www.example.test", "expect": ["A=192.0.2.10", "ttl<=300"]}},
    {{"name": "cdn on CloudFront", "query": "cdn.example.test", "expect": ["CNAME=*.cloudfront.net"]}},
    {{"name": "mail", "query": "example.test", "type": "MX", "expect": ["MX=10 mail.example.test", "answers=2"]}},
    {{"name": "SPF", "query": "txt.example.test", "type": "TXT", "expect": ["TXT=\"v=spf1 *"]}},
    {{"name": "CAA", "query": "example.test", "type": "CAA", "expect": ["CAA=0 issue \"letsencrypt.org\""]}},
    {{"name": "gone", "query": "legacy.example.test", "expect": ["rcode=NXDOMAIN"]}},
    {{"query": "www.example.test", "type": "AAAA"}}
  ]
}}"#,
        port = server.addr.port()
    )
}

fn run(file: &Path, extra: &[&str]) -> support::Run {
    support::check(file, extra)
}

#[test]
fn a_site_passes_then_fails_when_a_record_changes() {
    let server = TestServer::start(example_zone());
    let file = write("site.json", &site(&server));
    let good = run(&file, &[]);
    assert_eq!(good.code, 0, "{}{}", good.stdout, good.stderr);
    assert!(
        good.stdout.contains("✓ www A  www.example.test @127.0.0.1"),
        "{}",
        good.stdout
    );
    assert!(
        good.stdout.ends_with("7 checks: 7 passed, 0 failed\n"),
        "{}",
        good.stdout
    );

    // The site's www moves to another address.
    let mut zone = example_zone();
    zone.records.retain(|r| {
        !(r.name.to_ascii() == "www.example.test." && r.record_type() == hickory_proto::rr::RecordType::A)
    });
    zone.add(
        "www.example.test.",
        300,
        hickory_proto::rr::RData::A(hickory_proto::rr::rdata::A::new(198, 51, 100, 7)),
    );
    server.replace_zone(zone);
    let bad = run(&file, &[]);
    assert_eq!(bad.code, 6, "{}", bad.stdout);
    assert!(bad.stdout.contains("✗ www A"), "{}", bad.stdout);
    assert!(
        bad.stdout.contains("    ✗ A=192.0.2.10 (seen: 198.51.100.7)"),
        "{}",
        bad.stdout
    );
    assert!(
        bad.stdout.contains("    ✓ ttl<=300 (seen: TTL 300)"),
        "{}",
        bad.stdout
    );
    assert!(
        bad.stdout.ends_with("7 checks: 6 passed, 1 failed\n"),
        "{}",
        bad.stdout
    );
}

#[test]
fn json_report() {
    let server = TestServer::start(example_zone());
    let file = write("site-json.json", &site(&server));
    let run = run(&file, &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(
        (doc["mode"].as_str(), doc["schema_version"].as_u64()),
        (Some("check"), Some(1))
    );
    assert_eq!(doc["summary"]["total"], 7);
    assert_eq!(doc["summary"]["passed"], 7);
    let first = &doc["checks"][0];
    assert_eq!(first["name"], "www A");
    assert_eq!(first["passed"], true);
    assert_eq!(first["expectations"][0]["expect"], "A=192.0.2.10");
    assert_eq!(first["result"]["mode"], "query");
    assert_eq!(first["result"]["response"]["answer"][0]["data"], "192.0.2.10");
    assert_eq!(doc["checks"][6]["name"], "www.example.test AAAA");
}

#[test]
fn junit_report_parses_back() {
    let server = TestServer::start(example_zone());
    let silent = TestServer::start(example_zone());
    silent.set_mode(support::Mode::Silent);
    let file = write(
        "junit.json",
        &format!(
            r#"{{"defaults": {{"server": "127.0.0.1", "timeout": "300ms", "tries": 1}},
               "checks": [
                 {{"name": "ok <&>", "query": "www.example.test", "port": {p}, "expect": ["A=192.0.2.10"]}},
                 {{"name": "wrong", "query": "www.example.test", "port": {p}, "expect": ["A=203.0.113.1"]}},
                 {{"name": "nxdomain", "query": "nope.example.test", "port": {p}}},
                 {{"name": "dead", "query": "www.example.test", "port": {q}}}
               ]}}"#,
            p = server.addr.port(),
            q = silent.addr.port()
        ),
    );
    let junit = std::env::temp_dir().join(format!("dnscope-junit-{}.xml", std::process::id()));
    let run = run(&file, &["--junit", junit.to_str().unwrap()]);
    assert_eq!(run.code, 9, "the worst failure (no reply) wins: {}", run.stdout);
    let xml = std::fs::read_to_string(&junit).unwrap();

    // Parse it back: suite counts, and each case's outcome element.
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut cases: Vec<(String, Option<String>, String)> = Vec::new();
    let mut suite_attrs = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attr = |name: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                .unwrap()
                                .into_owned()
                        })
                        .unwrap_or_default()
                };
                match e.name().as_ref() {
                    "testsuite" => suite_attrs = vec![attr("tests"), attr("failures"), attr("errors")],
                    "testcase" => cases.push((attr("name"), None, String::new())),
                    tag @ ("failure" | "error") => {
                        let last = cases.last_mut().unwrap();
                        last.1 = Some(tag.to_owned());
                        last.2 = attr("message");
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(suite_attrs, ["4", "2", "1"]);
    assert_eq!(cases[0], ("ok <&>".to_owned(), None, String::new()));
    assert_eq!(cases[1].1.as_deref(), Some("failure"));
    assert_eq!(cases[1].2, "A=203.0.113.1 (seen: 192.0.2.10, 192.0.2.11)");
    assert_eq!(cases[2].1.as_deref(), Some("failure"));
    assert_eq!(cases[2].2, "exit code 3");
    assert_eq!(cases[3].1.as_deref(), Some("error"));
    assert!(cases[3].2.contains("no reply from 127.0.0.1:"), "{}", cases[3].2);
}

#[test]
fn trace_checks_and_toml() {
    let lab = support::lab::Lab::start();
    let hints = lab.hints.display().to_string();
    let file = write(
        "lab.toml",
        &format!(
            "[defaults]\nport = {port}\nmode = \"trace\"\nroot_hints = \"{hints}\"\ntimeout = \"300ms\"\n\n\
             [[checks]]\nname = \"www on CloudFront\"\nquery = \"www.palette.com\"\nexpect = [\"CNAME=*.cloudfront.net\", \"ns=ns.cloudfront.net\"]\n\n\
             [[checks]]\nname = \"S3 site\"\nquery = \"static.palette.com\"\nexpect = [\"A=192.0.2.90\", \"ttl<=300\", \"ttl>=5\"]\n\n\
             [[checks]]\nname = \"healthy servers\"\nquery = \"www.healthy.com\"\nnsall = true\nexpect = [\"findings=0\"]\n\n\
             [[checks]]\nname = \"faulty has no lame server\"\nquery = \"www.faulty.com\"\nnsall = true\nexpect = [\"finding!=lame_delegation\", \"A=192.0.2.57\"]\n",
            port = lab.port
        ),
    );
    let run = run(&file, &["--json"]);
    let doc = &json_lines(&run.stdout)[0];
    let passed: Vec<bool> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["passed"].as_bool().unwrap())
        .collect();
    // The faulty zone has a lame server: that check fails, the others pass.
    assert_eq!(passed, [true, true, true, false], "{doc}");
    assert_eq!(run.code, 6, "{}{}", run.stdout, run.stderr);
    assert!(
        doc["checks"][3]["command"]
            .as_str()
            .unwrap()
            .contains("+trace +nsall"),
        "{doc}"
    );
}

#[test]
fn bad_check_files_are_usage_errors() {
    let unknown = write(
        "unknown.json",
        r#"{"checks": [{"query": "a.test", "expct": ["A=1.2.3.4"]}]}"#,
    );
    let run1 = run(&unknown, &[]);
    assert_eq!(run1.code, 1);
    assert!(run1.stderr.contains("unknown field `expct`"), "{}", run1.stderr);
    let bad_expect = write(
        "bad-expect.json",
        r#"{"checks": [{"name": "x", "query": "a.test", "server": "127.0.0.1", "expect": ["ttl<=3x0"]}]}"#,
    );
    let run2 = run(&bad_expect, &[]);
    assert_eq!(run2.code, 1);
    assert_eq!(
        run2.stderr,
        "dnscope: check 1 (x): bad --expect 'ttl<=3x0': expected seconds or a duration like 5m at column 7\n"
    );
    let run3 = run(Path::new("/nonexistent/checks.json"), &["--json"]);
    assert_eq!(run3.code, 1);
    assert_eq!(json_lines(&run3.stdout)[0]["error"]["kind"], "usage");
}

#[test]
fn the_schema_accepts_what_dnscope_reads_and_rejects_what_it_does_not() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("schema/check.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");

    // The committed example is valid for both the schema and dnscope.
    let example_path = root.join("examples/checks/example.com.json");
    let example_text = std::fs::read_to_string(&example_path).unwrap();
    let example: serde_json::Value = serde_json::from_str(&example_text).unwrap();
    assert!(
        validator.is_valid(&example),
        "{:?}",
        validator
            .iter_errors(&example)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );
    dnscope::check::file::load(&example_path, &example_text).unwrap();

    // Every field dnscope knows is in the schema: a check file with all of them set validates.
    let full = dnscope::check::file::CheckSpec {
        name: Some("n".into()),
        query: Some("q.test".into()),
        rtype: Some("A".into()),
        class: Some("IN".into()),
        server: Some("127.0.0.1".into()),
        port: Some(53),
        mode: Some(dnscope::check::file::CheckMode::Trace),
        tcp: Some(true),
        dnssec: Some(true),
        nsall: Some(true),
        timeout: Some("1s".into()),
        tries: Some(2),
        root_hints: Some("hints".into()),
        trust_anchor: Some("anchor".into()),
        expect: Some(vec!["A=192.0.2.1".into()]),
    };
    let mut defaults = full.clone();
    (defaults.name, defaults.query, defaults.expect) = (None, None, None);
    let file = dnscope::check::file::CheckFile {
        schema: Some("s".into()),
        defaults,
        checks: vec![full],
    };
    let value = serde_json::to_value(&file).unwrap();
    assert!(
        validator.is_valid(&value),
        "{:?}",
        validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    );

    // And what dnscope refuses, the schema refuses too.
    for bad in [
        r#"{"checks": [{"query": "a.test", "expct": []}]}"#,
        r#"{"checks": []}"#,
        r#"{"checks": [{"name": "no query"}]}"#,
        r#"{"checks": [{"query": "a.test", "mode": "recursive"}]}"#,
        r#"{"defaults": {"query": "a.test"}, "checks": [{"query": "b.test"}]}"#,
    ] {
        let value: serde_json::Value = serde_json::from_str(bad).unwrap();
        assert!(!validator.is_valid(&value), "schema accepted {bad}");
        assert!(
            dnscope::check::file::load(Path::new("f.json"), bad).is_err(),
            "dnscope accepted {bad}"
        );
    }
}

#[test]
fn a_check_whose_thread_fails_is_an_internal_error_and_the_others_still_count() {
    let server = TestServer::start(example_zone());
    let file = format!(
        r#"{{"defaults": {{"server": "127.0.0.1", "port": {}, "timeout": "500ms"}},
  "checks": [
    {{"name": "www", "query": "www.example.test"}},
    {{"name": "bug", "query": "boom.example.test"}},
    {{"name": "gone", "query": "legacy.example.test", "expect": ["rcode=NXDOMAIN"]}}
  ]}}"#,
        server.addr.port()
    );
    let env = support::TestEnv::stdin("").with_file("/checks/site.json", &file);
    let args = [
        "dnscope",
        "check",
        "/checks/site.json",
        "--resolv-conf",
        "/checks/resolv.conf",
        "--json",
    ]
    .map(str::to_owned);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = dnscope::run(&args, &env, &support::Buggy, &mut out, &mut err);
    assert_eq!(exit.code(), 10, "{}", String::from_utf8_lossy(&err));
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let checks = doc["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 3);
    assert_eq!(
        (checks[0]["passed"].as_bool(), checks[2]["passed"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(checks[1]["name"], "bug");
    assert_eq!(checks[1]["passed"], false);
    assert_eq!(checks[1]["exit_code"], 10);
    assert_eq!(checks[1]["result"], serde_json::Value::Null);
    assert_eq!(checks[1]["error"], "internal error: the check's thread failed");
}
