//! `dnscope check FILE`: the DNS configuration of a site as code.
//!
//! May use: dns, transport, model, walk, render, expect, cli, lookup (not batch).
//!
//! A check file (JSON, or TOML by its `.toml` ending; schema in
//! `schema/check.schema.json`) lists checks: a name to ask, how (directly against a
//! server, or `+trace`), and `--expect` assertions. Each check becomes the command line
//! a user would type and runs through the same plan, lookup and expectation code as a
//! one-off query, so a check and a command behave the same way.

pub mod file;
pub(crate) mod junit;
pub(crate) mod report;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::check::file::load;
use crate::check::report::{CheckReport, CheckResult, CheckSummary};

use crate::cli::args::{CheckArgs, ColorChoice};
use crate::cli::env::Env;
use crate::cli::plan::Plan;
use crate::cli::request::{self, Request};
use crate::lookup::look_up;
use crate::model::exit::{Error, Exit};
use crate::model::outcome::Outcome;
use crate::model::report::SCHEMA_VERSION;
use crate::render::Palette;
use crate::transport::Transport;

/// Checks run at the same time (each is a few queries at most).
const PARALLEL: usize = 8;

/// Runs `dnscope check`.
pub(crate) fn run(
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
                .zip(chunk)
                // A check whose thread panicked (a bug) is an internal error of its own;
                // the other checks still count.
                .map(|(h, (title, argv, _))| h.join().unwrap_or_else(|_| crashed(title, argv)))
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
        let plan = match request::build(&argv, env) {
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

/// The result of a check whose thread panicked.
fn crashed(title: &str, argv: &[String]) -> CheckResult {
    CheckResult {
        name: title.to_owned(),
        command: crate::cli::planner::shown_command_line(argv),
        passed: false,
        exit_code: Exit::INTERNAL.code(),
        expectations: Vec::new(),
        error: Some("internal error: the check's thread failed".to_owned()),
        duration_us: 0,
        result: None,
    }
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
        Outcome::Transfer(r) => r.error.as_ref().map(|e| e.message.clone()),
    };
    CheckResult {
        name: title.to_owned(),
        command: crate::cli::planner::shown_command_line(argv),
        passed: exit == Exit::ANSWER,
        exit_code: exit.code(),
        expectations: outcome.expectations().to_vec(),
        error,
        duration_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        result: Some(outcome),
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
