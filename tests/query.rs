//! End-to-end queries against the in-process test server.

mod support;

use support::{Mode, TestServer, dnscope, example_zone, json_lines};

fn server() -> TestServer {
    TestServer::start(example_zone())
}

fn query(server: &TestServer, words: &[&str]) -> support::Run {
    let mut args: Vec<String> = server.at();
    args.extend([
        "--timeout".to_owned(),
        "400ms".to_owned(),
        "--tries".to_owned(),
        "2".to_owned(),
    ]);
    args.extend(words.iter().map(|w| (*w).to_owned()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    dnscope(&refs)
}

#[test]
fn smoke() {
    let s = server();
    let run = query(&s, &["www.example.test"]);
    println!("{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.code, 0);
    let _ = json_lines;
    let _ = Mode::Normal;
}
