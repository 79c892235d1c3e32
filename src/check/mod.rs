//! `dnscope check FILE`: the DNS configuration of a site as code.
//!
//! A check file (JSON, or TOML by its `.toml` ending; schema in
//! `schema/check.schema.json`) lists checks: a name to ask, how (directly against a
//! server, or `+trace`), and `--expect` assertions. Each check becomes the command line
//! a user would type and runs through the same plan, lookup and expectation code as a
//! one-off query, so a check and a command behave the same way.

pub mod junit;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::cli::args::{CheckArgs, ColorChoice};
use crate::cli::env::Env;
use crate::cli::plan::{self, Plan, Request};
use crate::expect::Verdict;
use crate::model::exit::{Error, Exit};
use crate::model::report::SCHEMA_VERSION;
use crate::render::Palette;
use crate::transport::Transport;
use crate::{Outcome, look_up};

/// How a check asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckMode {
    /// One query to the server.
    Direct,
    /// An iterative walk from the root hints.
    Trace,
}

/// One check, or (without `name`, `query` and `expect`) the defaults of every check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub rtype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<CheckMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dnssec: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_hints: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<Vec<String>>,
}

/// A whole check file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
    /// The schema the file declares, if any (ignored).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Settings every check inherits.
    #[serde(default)]
    pub defaults: CheckSpec,
    pub checks: Vec<CheckSpec>,
}

/// Reads a check file: TOML when its name ends in `.toml`, JSON otherwise.
///
/// # Errors
/// A message with the file name and, for syntax errors, the line and column.
pub fn load(path: &Path, text: &str) -> Result<CheckFile, String> {
    let shown = path.display();
    let file: CheckFile = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
        toml::from_str(text)
            .map_err(|e| format!("check file {shown}: {}", e.to_string().replace('\n', " ")))?
    } else {
        serde_json::from_str(text).map_err(|e| format!("check file {shown}: {e}"))?
    };
    let d = &file.defaults;
    if d.name.is_some() || d.query.is_some() || d.expect.is_some() {
        return Err(format!(
            "check file {shown}: defaults cannot hold name, query or expect"
        ));
    }
    if file.checks.is_empty() {
        return Err(format!("check file {shown}: no checks"));
    }
    if let Some(i) = file
        .checks
        .iter()
        .position(|c| c.query.as_deref().is_none_or(str::is_empty))
    {
        return Err(format!("check file {shown}: check {} has no query", i + 1));
    }
    Ok(file)
}

impl CheckSpec {
    /// This check with the defaults filled in.
    fn merged(&self, d: &CheckSpec) -> CheckSpec {
        CheckSpec {
            name: self.name.clone(),
            query: self.query.clone(),
            rtype: self.rtype.clone().or_else(|| d.rtype.clone()),
            class: self.class.clone().or_else(|| d.class.clone()),
            server: self.server.clone().or_else(|| d.server.clone()),
            port: self.port.or(d.port),
            mode: self.mode.or(d.mode),
            tcp: self.tcp.or(d.tcp),
            dnssec: self.dnssec.or(d.dnssec),
            timeout: self.timeout.clone().or_else(|| d.timeout.clone()),
            tries: self.tries.or(d.tries),
            root_hints: self.root_hints.clone().or_else(|| d.root_hints.clone()),
            expect: self.expect.clone(),
        }
    }

    /// The name shown for this check.
    fn title(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            format!(
                "{} {}",
                self.query.as_deref().unwrap_or_default(),
                self.rtype.as_deref().unwrap_or("A")
            )
        })
    }

    /// The command line a user would type for this check. Relative root hints are
    /// relative to the check file's folder.
    fn argv(&self, base: &Path, resolv_conf: Option<&Path>) -> Vec<String> {
        let mut argv = vec!["dnscope".to_owned()];
        if let Some(conf) = resolv_conf {
            argv.extend(["--resolv-conf".to_owned(), conf.display().to_string()]);
        }
        argv.extend(self.query.iter().cloned());
        argv.extend(self.rtype.iter().cloned());
        argv.extend(self.class.iter().cloned());
        argv.extend(self.server.iter().map(|s| format!("@{s}")));
        let mut flag = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                argv.extend([name.to_owned(), value]);
            }
        };
        flag("-p", self.port.map(|p| p.to_string()));
        flag("--timeout", self.timeout.clone());
        flag("--tries", self.tries.map(|t| t.to_string()));
        flag(
            "--root-hints",
            self.root_hints
                .as_ref()
                .map(|h| base.join(h).display().to_string()),
        );
        for expectation in self.expect.iter().flatten() {
            flag("--expect", Some(expectation.clone()));
        }
        for (on, word) in [
            (self.mode == Some(CheckMode::Trace), "+trace"),
            (self.tcp == Some(true), "+tcp"),
            (self.dnssec == Some(true), "+dnssec"),
        ] {
            if on {
                argv.push(word.to_owned());
            }
        }
        argv
    }
}

/// The result of one check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub name: String,
    /// The command line the check ran, without the program name.
    pub command: String,
    pub passed: bool,
    pub exit_code: u8,
    pub expectations: Vec<Verdict>,
    /// Why the check could not be judged (no reply), if so.
    pub error: Option<String>,
    pub duration_us: u64,
    /// The full query or trace report.
    pub result: Outcome,
}

/// The report of a check run.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub schema_version: u32,
    /// Always "check".
    pub mode: &'static str,
    pub file: String,
    pub checks: Vec<CheckResult>,
    pub summary: CheckSummary,
    pub exit_code: u8,
}

/// Totals.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CheckSummary {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub total_us: u64,
}

/// Checks run at the same time (each is a few queries at most).
const PARALLEL: usize = 8;

/// Runs `dnscope check`.
pub fn run(
    args: &CheckArgs,
    env: &dyn Env,
    transport: &dyn Transport,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let (file, plans) = match prepare(args, env) {
        Ok(prepared) => prepared,
        Err(error) => {
            let _ = crate::render::error(&error, args.json, out, err);
            return error.exit();
        }
    };
    let started = Instant::now();
    let mut results: Vec<CheckResult> = Vec::with_capacity(plans.len());
    for chunk in plans.chunks(PARALLEL) {
        let done: Vec<CheckResult> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|(title, argv, plan)| scope.spawn(move || check_one(title, argv, plan, transport)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a check thread does not panic"))
                .collect()
        });
        results.extend(done);
    }
    let passed = results.iter().filter(|r| r.passed).count();
    let exit = results
        .iter()
        .filter(|r| !r.passed)
        .fold(Exit::ANSWER, |worst, r| worst.worst(Exit::of_code(r.exit_code)));
    let report = CheckReport {
        schema_version: SCHEMA_VERSION,
        mode: "check",
        file: file.display().to_string(),
        summary: CheckSummary {
            total: results.len(),
            passed,
            failed: results.len() - passed,
            total_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        },
        checks: results,
        exit_code: exit.code(),
    };
    if let Some(path) = &args.junit {
        let xml = crate::check::junit::render(&report);
        if let Err(e) = std::fs::write(path, xml) {
            let _ = writeln!(err, "dnscope: cannot write --junit {}: {e}", path.display());
            return Exit::INTERNAL;
        }
    }
    let written = if args.json {
        serde_json::to_writer(&mut *out, &report)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        let colour = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env.var("NO_COLOR").is_none_or(|v| v.is_empty()) && env.stdout_is_terminal(),
        };
        text(&report, &Palette::new(colour), out)
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Exit::INTERNAL,
        _ => exit,
    }
}

type Prepared = (PathBuf, Vec<(String, Vec<String>, Plan)>);

/// Reads the file and plans every check before any runs, so a bad check fails the
/// whole run at once as a usage error.
fn prepare(args: &CheckArgs, env: &dyn Env) -> Result<Prepared, Error> {
    let path = &args.file;
    let text = env
        .read_file(path)
        .map_err(|e| Error::Usage(format!("cannot read check file {}: {e}", path.display())))?;
    let file = load(path, &text).map_err(Error::Usage)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut plans = Vec::new();
    for (i, spec) in file.checks.iter().enumerate() {
        let spec = spec.merged(&file.defaults);
        let argv = spec.argv(&base, args.resolv_conf.as_deref());
        let plan = match plan::build(&argv, env) {
            Ok(Request::Run(plan)) if plan.lookups.len() == 1 => *plan,
            Ok(_) => {
                return Err(Error::Usage(format!(
                    "check {} ({}): not a single query",
                    i + 1,
                    spec.title()
                )));
            }
            Err(e) => return Err(Error::Usage(format!("check {} ({}): {e}", i + 1, spec.title()))),
        };
        plans.push((spec.title(), argv, plan));
    }
    Ok((path.clone(), plans))
}

fn check_one(title: &str, argv: &[String], plan: &Plan, transport: &dyn Transport) -> CheckResult {
    let started = Instant::now();
    let outcome = look_up(plan, &plan.lookups[0], transport);
    let exit = outcome.exit();
    let error = match &outcome {
        Outcome::Query(r) => r.error.as_ref().map(|e| e.message.clone()),
        Outcome::Trace(r) => (r.status.is_none() || !matches!(exit.code(), 0 | 6))
            .then(|| r.outcome.message.clone())
            .filter(|_| exit != Exit::ANSWER),
    };
    CheckResult {
        name: title.to_owned(),
        command: argv[1..].join(" "),
        passed: exit == Exit::ANSWER,
        exit_code: exit.code(),
        expectations: outcome.expectations().to_vec(),
        error,
        duration_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        result: outcome,
    }
}

fn text(report: &CheckReport, p: &Palette, out: &mut dyn Write) -> io::Result<()> {
    for check in &report.checks {
        let mark = if check.passed {
            p.good.style("✓")
        } else {
            p.bad.style("✗")
        };
        writeln!(
            out,
            "{mark} {}  {}",
            p.owner.style(&check.name),
            p.comment.style(&check.command)
        )?;
        if check.passed {
            continue;
        }
        for v in &check.expectations {
            let mark = if v.passed {
                p.good.style("✓")
            } else {
                p.bad.style("✗")
            };
            writeln!(out, "    {mark} {} (seen: {})", v.expect, v.seen)?;
        }
        if let Some(error) = &check.error {
            writeln!(out, "    {}", p.bad.style(format!("error: {error}")))?;
        } else if check.expectations.is_empty() {
            writeln!(
                out,
                "    {}",
                p.bad.style(format!("exit code {}", check.exit_code))
            )?;
        }
    }
    let s = &report.summary;
    let failed = if s.failed == 0 {
        p.good.style(format!("{} failed", s.failed))
    } else {
        p.bad.style(format!("{} failed", s.failed))
    };
    writeln!(out, "{} checks: {} passed, {failed}", s.total, s.passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = r#"{
        "defaults": {"server": "127.0.0.1", "port": 5300, "timeout": "2s"},
        "checks": [
            {"name": "apex A", "query": "example.test", "expect": ["A=192.0.2.30"]},
            {"query": "www.example.test", "mode": "trace", "root_hints": "lab.hints", "server": "127.0.0.10",
             "expect": ["CNAME=*.cloudfront.net"]},
            {"query": "example.test", "type": "MX", "tcp": true, "dnssec": true, "tries": 1, "class": "IN"}
        ]
    }"#;

    #[test]
    fn checks_become_command_lines() {
        let file = load(Path::new("site.json"), SITE).unwrap();
        let argv: Vec<String> = file
            .checks
            .iter()
            .map(|c| c.merged(&file.defaults).argv(Path::new("/etc/dns"), None)[1..].join(" "))
            .collect();
        assert_eq!(
            argv,
            [
                "example.test @127.0.0.1 -p 5300 --timeout 2s --expect A=192.0.2.30",
                "www.example.test @127.0.0.10 -p 5300 --timeout 2s --root-hints /etc/dns/lab.hints --expect CNAME=*.cloudfront.net +trace",
                "example.test MX IN @127.0.0.1 -p 5300 --timeout 2s --tries 1 +tcp +dnssec",
            ]
        );
        assert_eq!(file.checks[1].title(), "www.example.test A");
    }

    #[test]
    fn toml_is_read_the_same_way() {
        let toml = "[defaults]\nserver = \"127.0.0.1\"\nport = 5300\ntimeout = \"2s\"\n\n\
                    [[checks]]\nname = \"apex A\"\nquery = \"example.test\"\nexpect = [\"A=192.0.2.30\"]\n";
        let file = load(Path::new("site.toml"), toml).unwrap();
        let json = load(Path::new("site.json"), SITE).unwrap();
        assert_eq!(file.checks[0], json.checks[0]);
        assert_eq!(file.defaults, json.defaults);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, needle) in [
            (r#"{"checks": [{"querry": "a.test"}]}"#, "unknown field `querry`"),
            (r#"{"checks": []}"#, "no checks"),
            (r#"{"checks": [{"name": "x"}]}"#, "check 1 has no query"),
            (
                r#"{"defaults": {"query": "a"}, "checks": [{"query": "b"}]}"#,
                "defaults cannot hold",
            ),
            ("{\"checks\": [\n{\"query\": }]}", "line 2 column"),
            (
                r#"{"checks": [{"query": "a", "mode": "recursive"}]}"#,
                "unknown variant `recursive`",
            ),
        ] {
            let error = load(Path::new("f.json"), text).unwrap_err();
            assert!(error.contains(needle), "{text}: {error}");
            assert!(error.starts_with("check file f.json: "), "{error}");
        }
    }
}
