//! dnscope: a dig-like DNS diagnostic tool.
//!
//! The pipeline is argv → [`plan::Plan`] → [`transport::policy::lookup`] over a
//! [`transport::Transport`] → [`report::Report`] → [`render`]. Only `main.rs` makes the
//! real stdout, stderr, network and environment; everything else receives them, so the
//! whole run can be driven in-process by tests.

pub mod batch;
pub mod check;
pub mod cli;
pub mod dns;
pub mod expect;
pub mod model;
pub mod render;
pub mod transport;
pub mod walk;

use std::io::{self, Write};
use std::time::SystemTime;

use crate::cli::plan;
use crate::dns::{random, wire};
use crate::model::report;

use crate::cli::env::Env;
use crate::cli::plan::{Lookup, Mode, Plan, Request, TracePlan};
use crate::dns::wire::Status;
use crate::model::exit::Exit;
use crate::model::report::{Context, Report};
use crate::model::trace::TraceReport;
use crate::transport::Transport;
use crate::transport::policy;

/// Runs dnscope with `args` (program name first) and returns the exit status.
///
/// A write error other than a closed pipe is an internal error; a closed pipe ends the
/// run quietly with the status reached so far.
pub fn run(
    args: &[String],
    env: &dyn Env,
    transport: &dyn Transport,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let json = plan::wants_json(args);
    let plan = match plan::build(args, env) {
        Ok(Request::Run(plan)) => plan,
        Ok(Request::Check(check_args)) => return check::run(&check_args, env, transport, out, err),
        Ok(Request::Batch(batch_plan)) => return batch::run(&batch_plan, env, transport, out, err),
        Ok(Request::Print(text)) => {
            return match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Exit::INTERNAL,
                _ => Exit::ANSWER,
            };
        }
        Err(error) => {
            let _ = render::error(&error, json, out, err);
            return error.exit();
        }
    };
    let mut exit = Exit::ANSWER;
    for (index, lookup) in plan.lookups.iter().enumerate() {
        let options = render::Options {
            format: plan.format,
            display: plan.display,
            command_line: &plan.command_line,
            index,
        };
        let outcome = look_up(&plan, lookup, transport);
        exit = exit.worst(outcome.exit());
        let written = render::outcome(&outcome, &options, out, err);
        let written = written.and_then(|()| out.flush());
        match written {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return exit,
            Err(e) => {
                let _ = writeln!(err, "dnscope: cannot write output: {e}");
                return Exit::INTERNAL;
            }
        }
    }
    exit
}

/// What one lookup came to: a query's report or a trace, with `--expect` judged.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Outcome {
    Query(Box<report::Report>),
    Trace(Box<TraceReport>),
}

impl Outcome {
    /// The exit status of this lookup alone.
    pub fn exit(&self) -> Exit {
        Exit::of_code(match self {
            Outcome::Query(r) => r.exit_code,
            Outcome::Trace(r) => r.exit_code,
        })
    }

    /// Marks the batch line this outcome came from.
    pub fn set_line(&mut self, line: usize) {
        match self {
            Outcome::Query(r) => r.line = Some(line),
            Outcome::Trace(r) => r.line = Some(line),
        }
    }

    /// The `--expect` verdicts.
    pub fn expectations(&self) -> &[expect::Verdict] {
        match self {
            Outcome::Query(r) => &r.expectations,
            Outcome::Trace(r) => &r.expectations,
        }
    }
}

/// Runs one lookup of `plan` (a query or a trace) and judges its expectations.
pub fn look_up(plan: &Plan, lookup: &Lookup, transport: &dyn Transport) -> Outcome {
    match &plan.mode {
        Mode::Direct => judged_query(plan, execute(plan, lookup, transport)),
        Mode::Trace(trace_plan) => {
            let mut report = walk_for(plan, trace_plan, lookup, transport);
            report.expectations = expect::judge_all(&plan.expectations, &expect::Observed::of_trace(&report));
            let judged = Exit::from_status(report.status)
                .with_expectations(&report.expectations, report.status.is_some());
            report.exit_code = judged.code();
            Outcome::Trace(Box::new(report))
        }
    }
}

/// The outcome of a query that completed outside [`look_up`] (a batch's pipelined
/// exchange), judged exactly as `look_up` judges it.
pub fn completed_outcome(plan: &Plan, question: &wire::Question, done: &policy::Completed) -> Outcome {
    let ctx = Context {
        question,
        server_name: &plan.servers.label,
        when: SystemTime::now(),
        names: plan.display.names,
    };
    judged_query(plan, report::completed(ctx, done))
}

fn judged_query(plan: &Plan, mut report: report::Report) -> Outcome {
    if !plan.expectations.is_empty() {
        report.expectations = expect::judge_all(&plan.expectations, &expect::Observed::of_query(&report));
    }
    let judged = report
        .exit()
        .with_expectations(&report.expectations, report.response.is_some());
    report.exit_code = judged.code();
    Outcome::Query(Box::new(report))
}

/// Walks from the root for the lookup's (first) question.
fn walk_for(plan: &Plan, trace_plan: &TracePlan, lookup: &Lookup, transport: &dyn Transport) -> TraceReport {
    let settings = walk::Settings {
        transport: plan.transport.clone(),
        flags: plan.flags.clone(),
        port: trace_plan.port,
        family: trace_plan.family,
        names: plan.display.names,
    };
    let start = match &trace_plan.prime_from {
        Some(servers) => walk::Start::Server(servers.clone()),
        None => walk::Start::Hints,
    };
    walk::trace(
        transport,
        &settings,
        walk::Limits::default(),
        &trace_plan.hints,
        &start,
        &lookup.candidates[0],
        SystemTime::now(),
    )
}

/// Runs one lookup: each search-list candidate in turn until one gives an answer (as
/// the C library's search does); without one, the last candidate's outcome stands.
fn execute(plan: &Plan, lookup: &Lookup, transport: &dyn Transport) -> Report {
    let mut last = None;
    for question in &lookup.candidates {
        let ctx = Context {
            question,
            server_name: &plan.servers.label,
            when: SystemTime::now(),
            names: plan.display.names,
        };
        let result = policy::lookup(
            transport,
            &plan.servers.addresses,
            question,
            &plan.flags,
            &plan.transport,
            &mut random::id,
        );
        let report = match result {
            Ok(done) => report::completed(ctx, &done),
            Err(failed) => report::failed(ctx, &plan.flags, &failed, plan.servers.addresses[0]),
        };
        if report.status == Some(Status::Answer) {
            return report;
        }
        last = Some(report);
    }
    last.expect("a lookup has at least one candidate")
}
