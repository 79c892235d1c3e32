//! The command line without a server: usage errors, help, resolv.conf handling.

mod support;

use support::{TestServer, dnscope, dnscope_bare, example_zone, json_lines, resolv_conf};

#[test]
fn usage_errors_are_one_line_and_exit_1() {
    let long_label = "a".repeat(64);
    let long_name = vec!["a".repeat(63); 4].join(".");
    for (args, needle) in [
        (vec!["@127.0.0.1", "+bogus", "a.test"], "unknown option '+bogus'"),
        (vec!["@127.0.0.1", "+a", "a.test"], "ambiguous option '+a'"),
        (
            vec!["@127.0.0.1", "+bufsize=lots", "a.test"],
            "bad value in '+bufsize=lots'",
        ),
        (
            vec!["@127.0.0.1", "-t", "BOGUS", "a.test"],
            "unknown record type 'BOGUS'",
        ),
        (vec!["@127.0.0.1", "-c", "XX", "a.test"], "unknown class 'XX'"),
        (vec!["@127.0.0.1", "-x", "300.1.1.1"], "-x needs an IP address"),
        (vec!["@127.0.0.1", &long_label], "at most 63"),
        (vec!["@127.0.0.1", &long_name], "at most 255"),
        (vec!["@127.0.0.1", "a..b"], "empty label"),
        (vec!["@127.0.0.1", "a.test", "--timeout", "soon"], "soon"),
        (vec!["@127.0.0.1", "a.test", "--bogus"], "--bogus"),
        (vec!["@127.0.0.1", "a.test", "-p", "99999"], "99999"),
        (vec!["@", "a.test"], "needs a server"),
        (vec!["@127.0.0.1#x", "a.test"], "bad port"),
        (vec!["@127.0.0.1", "a.test", "IXFR"], "IXFR needs the serial"),
        (
            vec!["@127.0.0.1", "a.test", "+noedns", "+dnssec"],
            "+dnssec needs EDNS",
        ),
        (vec!["@127.0.0.1", "a.test", "-4", "-6"], "cannot be used with"),
    ] {
        let run = dnscope(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("dnscope: "), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn usage_errors_in_json_mode_are_json() {
    let combined = dnscope(&["@127.0.0.1", "a.test", "--short", "+json"]);
    assert_eq!(combined.code, 1);
    assert!(
        json_lines(&combined.stdout)[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cannot be combined")
    );
    let run = dnscope(&["@127.0.0.1", "--json", "+bogus"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["exit_code"], 1);
    assert_eq!(doc["error"]["kind"], "usage");
    assert!(doc["error"]["message"].as_str().unwrap().contains("+bogus"));
}

#[test]
fn help_and_version() {
    let help = dnscope(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Usage: dnscope"), "{}", help.stdout);
    assert!(help.stdout.contains("--resolv-conf"));
    let version = dnscope(&["--version"]);
    assert_eq!(
        (version.code, version.stdout.trim()),
        (0, concat!("dnscope ", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn non_utf8_argument_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    // Were the argument taken for a name, the query would go to the test resolv.conf's
    // (silent) server, never this machine's resolver.
    let output = support::command(&[], &[])
        .arg(std::ffi::OsStr::from_bytes(b"\xffname"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "dnscope: argument 3 is not valid UTF-8\n"
    );
}

#[test]
fn missing_resolv_conf_file_is_a_usage_error() {
    let run = dnscope_bare(&["--resolv-conf", "/nonexistent/resolv.conf", "a.test"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("/nonexistent/resolv.conf"), "{}", run.stderr);
}

#[test]
fn default_server_search_and_timers_come_from_resolv_conf() {
    let s = TestServer::start(example_zone());
    let conf = resolv_conf(
        "nameserver 127.0.0.1\nsearch nowhere.test example.test\noptions ndots:1 timeout:1 attempts:1\n",
    );
    let conf = conf.to_str().unwrap();
    let port = s.addr.port().to_string();
    let run = dnscope_bare(&["--resolv-conf", conf, "-p", &port, "www", "+search", "+short"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "192.0.2.10\n192.0.2.11\n");
    let asked: Vec<String> = s
        .seen()
        .iter()
        .map(|q| q.message.queries[0].name.to_ascii())
        .collect();
    // nowhere.test is not served (REFUSED), so the search moves on, as the C library's does.
    assert_eq!(asked, ["www.nowhere.test.", "www.example.test."]);
    let run = dnscope_bare(&["--resolv-conf", conf, "-p", &port, "www.", "+search", "+short"]);
    assert_eq!(run.code, 5, "the root is not served: REFUSED");
    let last = s.seen().last().unwrap().message.queries[0].name.to_ascii();
    assert_eq!(last, "www.", "a name with a final dot is never searched");

    s.set_mode(support::Mode::Silent);
    let before = s.seen().len();
    let started = std::time::Instant::now();
    let run = dnscope_bare(&["--resolv-conf", conf, "-p", &port, "www.example.test"]);
    assert_eq!(run.code, 9);
    assert_eq!(s.seen().len() - before, 1, "attempts:1 means one query");
    assert!(run.stderr.contains("after 1 attempt(s)"), "{}", run.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn search_reports_the_last_candidate_without_an_answer() {
    let s = TestServer::start(example_zone());
    let conf = resolv_conf("nameserver 127.0.0.1\nsearch example.test\n");
    let port = s.addr.port().to_string();
    let run = dnscope_bare(&[
        "--resolv-conf",
        conf.to_str().unwrap(),
        "-p",
        &port,
        "nope",
        "+search",
        "--json",
    ]);
    assert_eq!(run.code, 5, "the root is not served: REFUSED");
    let asked: Vec<String> = s
        .seen()
        .iter()
        .map(|q| q.message.queries[0].name.to_ascii())
        .collect();
    assert_eq!(asked, ["nope.example.test.", "nope."]);
    assert_eq!(json_lines(&run.stdout)[0]["query"]["name"], "nope.");
}
