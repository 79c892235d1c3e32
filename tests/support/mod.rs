//! Test support: an in-process DNS server ([`server`]), a whole hierarchy of them
//! ([`lab`]), and running the dnscope binary. Every test binary includes this module and
//! uses a different part of it, hence the `dead_code` allowance.
#![allow(dead_code)]

pub(crate) mod certs;
pub(crate) mod doh;
pub(crate) mod dot;
pub(crate) mod lab;
pub(crate) mod server;
pub(crate) mod signer;
pub(crate) mod xfr;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use hickory_proto::rr::{RData, RecordType};

pub(crate) use server::*;

/// What a run of the binary printed and how it exited.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A resolv.conf written by the test, so that no test reads the machine's own.
pub(crate) fn resolv_conf(text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnscope-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("resolv-{:x}.conf", fxhash(text)));
    std::fs::write(&path, text).unwrap();
    path
}

fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Runs the dnscope binary with exactly `args` and an empty environment (for calls
/// that must not get the test resolv.conf, such as `--help` or `check`).
pub(crate) fn dnscope_bare(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_dnscope"))
        .args(args)
        .env_clear()
        .output()
        .expect("run dnscope");
    finish_run(&output)
}

/// `dnscope check FILE EXTRA...`; a check that names no server would read resolv.conf,
/// so it gets a test-written one, never this machine's.
pub(crate) fn check(file: &Path, extra: &[&str]) -> Run {
    let conf = resolv_conf("nameserver 127.0.0.254\n");
    let mut args = vec![
        "check",
        file.to_str().unwrap(),
        "--resolv-conf",
        conf.to_str().unwrap(),
    ];
    args.extend(extra);
    dnscope_bare(&args)
}

/// Runs the dnscope binary with `args`, a test-written resolv.conf naming no real
/// server, and an environment cleared of everything that changes output.
pub(crate) fn dnscope(args: &[&str]) -> Run {
    dnscope_with(args, &[])
}

/// As [`dnscope`], with extra environment variables.
pub(crate) fn dnscope_with(args: &[&str], vars: &[(&str, &str)]) -> Run {
    let output = command(args, vars).output().expect("run dnscope");
    finish_run(&output)
}

/// The command [`dnscope`] runs, for tests that need its pipes.
pub(crate) fn command(args: &[&str], vars: &[(&str, &str)]) -> Command {
    let conf = resolv_conf("nameserver 127.0.0.254\n");
    let mut command = Command::new(env!("CARGO_BIN_EXE_dnscope"));
    command.arg("--resolv-conf").arg(conf).args(args);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in vars {
        command.env(k, v);
    }
    command.stdin(Stdio::null());
    command
}

fn finish_run(output: &Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs [`dnscope`] with `first` (a server's `@ADDR -p PORT …`), then `words`.
pub(crate) fn dnscope_after(mut first: Vec<String>, words: &[&str]) -> Run {
    first.extend(words.iter().map(|w| (*w).to_owned()));
    dnscope(&first.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Asserts that `args` is a usage error (exit 1) whose message says `says`.
pub(crate) fn assert_usage_error(args: &[&str], says: &str) {
    let run = dnscope(args);
    assert_eq!(run.code, 1, "{args:?}: {run:?}");
    assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
}

/// Writes `text` to a file named `name` in this test run's temporary folder.
pub(crate) fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnscope-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// For each JSON report of `stdout`, whether its TLS session was one an earlier query opened.
pub(crate) fn tls_reused(stdout: &str) -> Vec<bool> {
    json_lines(stdout)
        .iter()
        .map(|d| d["tls"]["reused"].as_bool().unwrap())
        .collect()
}

/// Parses each line of JSON output.
pub(crate) fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// A zone for most tests: every common type, a CNAME chain, a delegation, a big RRset.
pub(crate) fn example_zone() -> Zone {
    let mut text = String::from(
        "$TTL 300\n\
         example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2024010101 7200 3600 1209600 300\n\
         example.test. 3600 IN NS ns1.example.test.\n\
         example.test. 3600 IN NS ns2.example.test.\n\
         ns1 IN A 127.0.0.1\n\
         ns2 IN AAAA ::1\n\
         www IN A 192.0.2.10\n\
         www IN A 192.0.2.11\n\
         www IN AAAA 2001:db8::10\n\
         example.test. IN MX 10 mail.example.test.\n\
         example.test. IN MX 20 mail2.other.test.\n\
         mail IN A 192.0.2.25\n\
         txt IN TXT \"v=spf1 -all\"\n\
         multi IN TXT \"first string\" \"second \\\"quoted\\\" string\"\n\
         alias IN CNAME www.example.test.\n\
         chain IN CNAME alias.example.test.\n\
         cdn IN CNAME d111abcdef8.cloudfront.net.\n\
         _sip._tcp IN SRV 10 60 5060 sip.example.test.\n\
         example.test. IN CAA 0 issue \"letsencrypt.org\"\n\
         sub IN NS ns.sub.example.test.\n\
         ns.sub IN A 127.0.0.53\n\
         empty.nonterminal.deep IN A 192.0.2.99\n\
         xn--caf-dma IN A 192.0.2.80\n\
         mixed 60 IN A 192.0.2.60\n\
         mixed 600 IN A 192.0.2.61\n",
    );
    for i in 0..12 {
        text.push_str(&format!("big IN TXT \"{}{}\"\n", i, "x".repeat(200)));
    }
    let mut zone = Zone::parse("example.test.", &text);
    zone.add(
        "unknown.example.test.",
        300,
        RData::Unknown {
            code: RecordType::Unknown(65534),
            rdata: hickory_proto::rr::rdata::NULL::with(vec![0xde, 0xad, 0xbe, 0xef]),
        },
    );
    zone.add(
        "bin.example.test.",
        300,
        RData::TXT(hickory_proto::rr::rdata::TXT::from_bytes(vec![
            b"esc\x1b[31mred",
            b"tab\there\xff",
        ])),
    );
    zone
}

/// An environment for calling `dnscope::run` in-process: standard input and files are
/// what the test gives (any other file is a test-written resolv.conf naming no real
/// server), and no variable is set.
pub(crate) struct TestEnv {
    stdin: String,
    files: Vec<(PathBuf, String)>,
}

impl TestEnv {
    pub(crate) fn stdin(text: &str) -> TestEnv {
        TestEnv {
            stdin: text.to_owned(),
            files: Vec::new(),
        }
    }

    pub(crate) fn with_file(mut self, path: &str, text: &str) -> TestEnv {
        self.files.push((PathBuf::from(path), text.to_owned()));
        self
    }
}

impl dnscope::cli::env::Env for TestEnv {
    fn var(&self, _: &str) -> Option<String> {
        None
    }
    fn stdout_is_terminal(&self) -> bool {
        false
    }
    fn read_stdin(&self) -> std::io::Result<String> {
        Ok(self.stdin.clone())
    }
    fn read_file(&self, path: &std::path::Path) -> std::io::Result<String> {
        Ok(self
            .files
            .iter()
            .find(|(p, _)| p == path)
            .map_or_else(|| "nameserver 127.0.0.254\n".to_owned(), |(_, text)| text.clone()))
    }
    fn lookup_host(&self, host: &str) -> std::io::Result<Vec<std::net::IpAddr>> {
        Err(std::io::Error::other(format!(
            "no name lookups in tests ({host})"
        )))
    }
}

/// The real network, except that asking for a name starting with `boom` is a bug (a
/// panic), to test that a failing thread never hangs a run nor loses other results.
pub(crate) struct Buggy;

impl dnscope::transport::Transport for Buggy {
    fn exchange(
        &self,
        request: &dnscope::transport::Request<'_>,
    ) -> Result<dnscope::transport::Reply, dnscope::transport::TransportError> {
        let name = request.expect.question.name.to_ascii();
        assert!(!name.starts_with("boom"), "a deliberate bug for {name}");
        dnscope::transport::Net::default().exchange(request)
    }
}
