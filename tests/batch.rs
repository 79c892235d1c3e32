//! `-f FILE`: batches against the in-process server.

mod support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::{Buggy, Mode, Run, TestEnv, TestServer, command, dnscope, example_zone, json_lines};

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnscope-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn batch(server: &TestServer, file: &Path, extra: &[&str]) -> Run {
    let mut args = server.at();
    args.extend(["--timeout", "2s", "-f", file.to_str().unwrap()].map(str::to_owned));
    args.extend(extra.iter().map(|w| (*w).to_owned()));
    dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn ten_thousand_names_each_accounted_for_once() {
    let server = TestServer::start(example_zone());
    let names = [
        ("www.example.test", "A", "answer"),
        ("nope.example.test", "A", "nxdomain"),
        ("www.example.test", "TXT", "nodata"),
        ("example.test", "MX", "answer"),
    ];
    let mut text = String::new();
    for i in 0..10_000 {
        let (name, rtype, _) = names[i % names.len()];
        text.push_str(&format!("{name} {rtype}\n"));
    }
    let file = write("ten-thousand.txt", &text);
    let run = batch(&server, &file, &["--json", "-j", "16"]);
    assert_eq!(run.code, 3, "the worst outcome (NXDOMAIN) wins: {}", run.stderr);
    let docs = json_lines(&run.stdout);
    assert_eq!(docs.len(), 10_000);
    let mut seen: BTreeMap<u64, u32> = BTreeMap::new();
    for doc in &docs {
        let line = doc["line"].as_u64().unwrap();
        *seen.entry(line).or_default() += 1;
        let (name, rtype, status) = names[usize::try_from(line - 1).unwrap() % names.len()];
        assert_eq!(doc["query"]["name"], format!("{name}."), "line {line}");
        assert_eq!(doc["query"]["type"], rtype, "line {line}");
        assert_eq!(doc["status"], status, "line {line}");
    }
    assert_eq!(seen.len(), 10_000, "every line once");
    assert!(seen.values().all(|&n| n == 1), "no line twice");
    assert_eq!(seen.keys().next(), Some(&1));
    assert_eq!(seen.keys().last(), Some(&10_000));
    assert_eq!(server.seen().len(), 10_000);
}

#[test]
fn malformed_lines_are_reported_and_the_others_run() {
    let server = TestServer::start(example_zone());
    let file = write(
        "malformed.txt",
        "www.example.test\nwww.example.test +bogus\n# a comment\na..b\nexample.test MX\n",
    );
    let run = batch(&server, &file, &["--json", "--ordered"]);
    assert_eq!(run.code, 1, "a malformed line is a usage error");
    let docs = json_lines(&run.stdout);
    let lines: Vec<u64> = docs.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 4, 5]);
    assert_eq!(docs[1]["error"]["kind"], "usage");
    assert!(docs[1]["error"]["message"].as_str().unwrap().contains("'+bogus'"));
    assert!(
        docs[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("empty label")
    );
    assert_eq!(docs[3]["status"], "answer");
    let text = batch(&server, &file, &["+short", "--ordered"]);
    assert_eq!(text.code, 1);
    assert_eq!(
        text.stdout,
        "192.0.2.10\n192.0.2.11\n10 mail.example.test.\n20 mail2.other.test.\n"
    );
    assert!(
        text.stderr.contains("dnscope: line 2: unknown option '+bogus'"),
        "{}",
        text.stderr
    );
    assert!(
        text.stderr.contains("dnscope: line 4: empty label in 'a..b'"),
        "{}",
        text.stderr
    );
}

#[test]
fn ordered_output_follows_the_input() {
    let server = TestServer::start(example_zone());
    let text: String = (0..200)
        .map(|i| {
            if i % 2 == 0 {
                "www.example.test\n"
            } else {
                "example.test MX\n"
            }
        })
        .collect();
    let file = write("ordered.txt", &text);
    let run = batch(&server, &file, &["--json", "--ordered", "-j", "8"]);
    let lines: Vec<u64> = json_lines(&run.stdout)
        .iter()
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, (1..=200).collect::<Vec<u64>>());
}

#[test]
fn lines_from_standard_input() {
    let server = TestServer::start(example_zone());
    let mut args = server.at();
    args.extend(["-f", "-", "+short", "--ordered"].map(str::to_owned));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = command(&refs, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"www.example.test AAAA\nexample.test MX\n")
        .unwrap();
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(out, "2001:db8::10\n10 mail.example.test.\n20 mail2.other.test.\n");
}

#[test]
fn qps_spaces_the_queries_out() {
    let server = TestServer::start(example_zone());
    let file = write("qps.txt", &"www.example.test\n".repeat(20));
    let started = Instant::now();
    let run = batch(&server, &file, &["+short", "--qps", "100"]);
    assert_eq!(run.code, 0);
    // 20 queries at 100 per second cannot all be sent in less than 190 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(190),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn one_server_never_gets_more_than_its_cap() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::Delay(Duration::from_millis(30)));
    let file = write("cap.txt", &"www.example.test\n".repeat(40));
    let run = batch(&server, &file, &["+short", "-j", "16", "--max-per-server", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.peak_in_flight(), 3);
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::Delay(Duration::from_millis(30)));
    let run = batch(&server, &file, &["+short", "-j", "8"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        server.peak_in_flight() > 3,
        "without a tighter cap, -j 8 runs 8 at once: {}",
        server.peak_in_flight()
    );
}

#[test]
fn ctrl_c_stops_cleanly_and_says_how_far_it_got() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::Delay(Duration::from_millis(50)));
    let file = write("interrupt.txt", &"www.example.test\n".repeat(200));
    let mut args = server.at();
    args.extend(["-f", file.to_str().unwrap(), "--json", "-j", "2"].map(str::to_owned));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let child = command(&refs, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    let docs = json_lines(&String::from_utf8_lossy(&output.stdout));
    assert!(!docs.is_empty() && docs.len() < 200, "{} results", docs.len());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        format!("dnscope: interrupted after {} of 200 lines\n", docs.len())
    );
}

#[test]
fn an_unreadable_batch_file_is_a_usage_error() {
    let server = TestServer::start(example_zone());
    let run = batch(&server, &PathBuf::from("/nonexistent/names.txt"), &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("cannot read batch file /nonexistent/names.txt"),
        "{}",
        run.stderr
    );
}

#[test]
fn unusual_replies_take_the_ordinary_path_with_the_same_results() {
    let server = TestServer::start(example_zone());
    let file = write(
        "fallback.txt",
        "big.example.test TXT\nwww.example.test\nbig.example.test TXT +ignore\n",
    );
    let run = batch(&server, &file, &["--json", "--ordered"]);
    // The truncated reply kept with +ignore carries no answer: it proves nothing.
    assert_eq!(run.code, 9, "{}", run.stderr);
    let docs = json_lines(&run.stdout);
    assert_eq!(docs[0]["server"]["protocol"], "tcp", "TC went on over TCP");
    assert_eq!(docs[0]["response"]["answer"].as_array().unwrap().len(), 12);
    assert_eq!(docs[0]["exit_code"], 0);
    assert_eq!(docs[1]["server"]["protocol"], "udp");
    assert_eq!(
        docs[2]["response"]["header"]["flags"]["tc"], true,
        "+ignore keeps the truncated reply"
    );
    assert_eq!(docs[2]["status"], serde_json::Value::Null);
    assert_eq!(docs[2]["exit_code"], 9);
    let message = docs[2]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("truncated reply (TC=1) without the answer"),
        "{message}"
    );
}

/// Runs dnscope under `script(1)`, so that its standard error is a terminal, with its
/// standard output sent to `out`; returns the exit status and what reached the terminal.
fn on_a_terminal(args: &[String], out: &Path) -> (Option<i32>, String) {
    let quote = |word: &str| format!("'{}'", word.replace('\'', r"'\''"));
    let conf = support::resolv_conf("nameserver 127.0.0.254\n");
    let mut line = vec![quote(env!("CARGO_BIN_EXE_dnscope")), "--resolv-conf".to_owned()];
    line.push(quote(conf.to_str().unwrap()));
    line.extend(args.iter().map(|a| quote(a)));
    line.push(format!("> {}", quote(out.to_str().unwrap())));
    let output = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &line.join(" "), "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .expect("script(1) runs (util-linux)");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

/// The start of what reached a terminal, for a failure message.
fn start_of(terminal: &str) -> String {
    terminal.chars().take(300).collect()
}

#[test]
fn a_progress_bar_on_a_terminal_for_text_but_never_for_json() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::Delay(Duration::from_millis(2)));
    let file = write("progress.txt", &"www.example.test\n".repeat(150));
    let out = file.with_extension("out");
    let mut args = server.at();
    args.extend(["-f", file.to_str().unwrap(), "-j", "2"].map(str::to_owned));

    let (code, terminal) = on_a_terminal(&[args.clone(), vec!["+short".to_owned()]].concat(), &out);
    assert_eq!(code, Some(0), "{}", start_of(&terminal));
    let results = std::fs::read_to_string(&out).unwrap();
    assert_eq!(results.lines().filter(|l| *l == "192.0.2.10").count(), 150);
    assert!(
        terminal.contains("/150"),
        "no bar drawn: {:?}",
        start_of(&terminal)
    );
    assert!(
        !terminal.contains("192.0.2.10"),
        "results stay on stdout: {:?}",
        start_of(&terminal)
    );

    let (code, terminal) = on_a_terminal(&[args, vec!["--json".to_owned()]].concat(), &out);
    assert_eq!(code, Some(0), "{}", start_of(&terminal));
    assert_eq!(json_lines(&std::fs::read_to_string(&out).unwrap()).len(), 150);
    assert!(
        !terminal.contains("/150"),
        "a bar in JSON mode: {:?}",
        start_of(&terminal)
    );
}

fn lines_of(docs: &[serde_json::Value]) -> Vec<u64> {
    let mut lines: Vec<u64> = docs.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    lines.sort_unstable();
    lines
}

#[test]
fn silent_lines_cost_one_query_each_and_block_nothing() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::Silent);
    let text: String = (0..32).map(|i| format!("n{i}.example.test\n")).collect();
    let file = write("silent.txt", &text);
    let mut args = server.at();
    args.extend(
        [
            "--timeout",
            "300ms",
            "--tries",
            "1",
            "-f",
            file.to_str().unwrap(),
            "--json",
        ]
        .map(str::to_owned),
    );
    let started = Instant::now();
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let took = started.elapsed();
    assert_eq!(run.code, 9, "{}", run.stderr);
    let docs = json_lines(&run.stdout);
    assert_eq!(lines_of(&docs), (1..=32).collect::<Vec<_>>(), "every line once");
    assert_eq!(
        server.seen().len(),
        32,
        "one try means one query per line, not a second one from a synchronous fall-back"
    );
    println!("32 silent lines at --timeout 300ms --tries 1: {took:?}");
}

#[test]
fn a_retry_is_one_more_query_in_flight() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::DropFirstTryOf("lost"));
    let text: String = (0..50)
        .map(|i| format!("lost{i}.example.test\nkept{i}.example.test\n"))
        .collect();
    let file = write("lossy.txt", &text);
    let mut args = server.at();
    args.extend(
        [
            "--timeout",
            "200ms",
            "--tries",
            "2",
            "-f",
            file.to_str().unwrap(),
            "--json",
        ]
        .map(str::to_owned),
    );
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 3, "every line answered (NXDOMAIN): {}", run.stderr);
    let docs = json_lines(&run.stdout);
    assert_eq!(lines_of(&docs), (1..=100).collect::<Vec<_>>());
    for doc in &docs {
        assert_eq!(doc["status"], "nxdomain", "{doc}");
        let attempts = doc["attempts"].as_array().unwrap();
        let lost = doc["query"]["name"].as_str().unwrap().starts_with("lost");
        assert_eq!(attempts.len(), if lost { 2 } else { 1 }, "{doc}");
        if lost {
            assert_eq!(attempts[0]["outcome"], "timed out");
        }
    }
    assert_eq!(
        server.seen().len(),
        150,
        "50 lost first tries, 100 answered queries"
    );
}

#[test]
fn forged_replies_never_answer_a_line_nor_lose_it() {
    for spoof in [support::Spoof::Port, support::Spoof::Id, support::Spoof::Question] {
        let server = TestServer::start(example_zone());
        server.set_mode(Mode::SpoofThenAnswer(spoof));
        let text: String = (0..40).map(|_| "www.example.test\n").collect();
        let file = write(&format!("spoofed-{spoof:?}.txt"), &text);
        let run = batch(&server, &file, &["--json"]);
        assert_eq!(run.code, 0, "{spoof:?}: {}", run.stderr);
        let docs = json_lines(&run.stdout);
        assert_eq!(lines_of(&docs), (1..=40).collect::<Vec<_>>(), "{spoof:?}");
        for doc in &docs {
            let data: Vec<&str> = doc["response"]["answer"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["data"].as_str().unwrap())
                .collect();
            assert_eq!(data, ["192.0.2.10", "192.0.2.11"], "{spoof:?}: the genuine reply");
        }
        if spoof != support::Spoof::Id {
            // A forged reply with our ID is counted against the line it tried to answer.
            assert!(
                docs.iter().all(|d| !d["ignored"].as_array().unwrap().is_empty()),
                "{spoof:?}: {}",
                docs[0]
            );
        }
    }
}

#[test]
fn a_server_that_rejects_edns_is_asked_again_without_it() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::EdnsFormerr);
    let file = write("edns.txt", "www.example.test\nmail.example.test\n");
    let run = batch(&server, &file, &["--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for doc in json_lines(&run.stdout) {
        assert_eq!(doc["query"]["edns"], serde_json::Value::Null, "{doc}");
        let attempts = doc["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 2);
        assert_eq!(
            attempts[0]["outcome"],
            "FORMERR to an EDNS query, retrying without EDNS"
        );
    }
}

#[test]
fn replies_after_the_deadline_answer_no_line_and_slow_ones_in_time_cost_no_retry() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::Delay(Duration::from_millis(250)));
    let text: String = (0..20).map(|i| format!("n{i}.example.test\n")).collect();
    let file = write("late.txt", &text);
    let run_with = |timeout: &str| {
        let mut args = server.at();
        args.extend(
            [
                "--timeout",
                timeout,
                "--tries",
                "2",
                "-f",
                file.to_str().unwrap(),
                "--json",
            ]
            .map(str::to_owned),
        );
        dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };

    // Each first try's reply comes while its retry is in flight, and each retry's after
    // the retry's deadline: neither may answer the line.
    let late = run_with("150ms");
    assert_eq!(late.code, 9, "{}", late.stderr);
    let docs = json_lines(&late.stdout);
    assert_eq!(lines_of(&docs), (1..=20).collect::<Vec<_>>());
    for doc in &docs {
        assert_eq!(doc["error"]["kind"], "no_reply", "{doc}");
        assert_eq!(doc["attempts"].as_array().unwrap().len(), 2, "{doc}");
    }
    assert_eq!(server.seen().len(), 40);

    // The same server within the deadline: one query a line.
    let slow = run_with("600ms");
    assert_eq!(slow.code, 3, "{}", slow.stderr);
    assert_eq!(json_lines(&slow.stdout).len(), 20);
    assert_eq!(server.seen().len(), 60, "no retry for a reply that came in time");
}

#[test]
fn a_usage_error_line_outranks_a_line_without_a_reply() {
    let server = TestServer::start(example_zone());
    server.set_mode(Mode::Silent);
    let file = write("worst.txt", "www.example.test\nbad..name\n");
    let mut args = server.at();
    args.extend(["--timeout", "200ms", "--tries", "1", "-f", file.to_str().unwrap()].map(str::to_owned));
    let run = dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        run.code, 1,
        "usage (1) is worse than no reply (9): {}",
        run.stderr
    );
}

#[test]
fn a_worker_that_fails_loses_only_its_line_and_the_batch_ends() {
    let s = TestServer::start(example_zone());
    // +tcp lines run the ordinary way inside the worker, through the transport; one
    // worker, so the failure hits the only one there is.
    let mut text = String::new();
    for i in 1..=10 {
        let name = if i == 5 || i == 10 { "boom" } else { "www" };
        text.push_str(&format!("{name}.example.test +tcp\n"));
    }
    let port = s.addr.port().to_string();
    let args: Vec<String> = [
        "dnscope",
        "--resolv-conf",
        "/test/resolv.conf",
        "-f",
        "-",
        "-j",
        "1",
        "@127.0.0.1",
        "-p",
        &port,
        "--json",
    ]
    .map(str::to_owned)
    .to_vec();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let started = Instant::now();
    let exit = dnscope::run(&args, &TestEnv::stdin(&text), &Buggy, &mut out, &mut err);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(exit.code(), 10);
    let docs = json_lines(&String::from_utf8(out).unwrap());
    let mut by_line = BTreeMap::new();
    for doc in &docs {
        assert!(
            by_line
                .insert(doc["line"].as_u64().unwrap(), doc.clone())
                .is_none(),
            "{doc}"
        );
    }
    assert_eq!(
        by_line.keys().copied().collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    for (line, doc) in &by_line {
        if *line == 5 || *line == 10 {
            assert_eq!(doc["error"]["kind"], "internal", "{doc}");
            assert_eq!(
                doc["error"]["message"],
                "no result: the worker thread answering this line failed"
            );
            assert_eq!(doc["exit_code"], 10);
        } else {
            assert_eq!(
                doc["status"], "answer",
                "line {line} after the failure still runs: {doc}"
            );
        }
    }
}

#[test]
fn a_batch_sends_the_opcode_and_header_only_form_it_was_given() {
    let server = TestServer::start(example_zone());
    let file = write("opcode-lines", "example.test SOA\nwww.example.test\n");
    // The server repeats the opcode, as servers do: the replies must be taken.
    let run = batch(&server, &file, &["+opcode=notify", "--json"]);
    let docs = json_lines(&run.stdout);
    assert_eq!(docs.len(), 2, "{run:?}");
    assert!(
        docs.iter().all(|d| d["response"]["header"]["opcode"] == "NOTIFY"),
        "{}",
        run.stdout
    );
    assert!(server.seen().iter().all(|q| q.bytes[2] >> 3 & 0x0f == 4));
    let before = server.seen().len();
    let run = batch(&server, &file, &["+header-only", "--json"]);
    assert_eq!(json_lines(&run.stdout).len(), 2, "{run:?}");
    assert!(
        server.seen()[before..].iter().all(|q| q.bytes[4..6] == [0, 0]),
        "a question was sent"
    );
}

#[test]
fn a_padded_batch_pads_each_query_to_its_own_length() {
    let server = TestServer::start(example_zone());
    let file = write(
        "padded-lines",
        "example.test SOA\nwww.example.test\nmail.example.test\n",
    );
    let run = batch(&server, &file, &["+padding", "--json"]);
    assert_eq!(json_lines(&run.stdout).len(), 3, "{run:?}");
    assert!(
        server.seen().iter().all(|q| q.bytes.len() % 128 == 0),
        "a query was not padded to 128"
    );
}
