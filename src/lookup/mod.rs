//! Runs one lookup of a plan: a direct query (through the search list), a `+trace`
//! walk, or a zone transfer, then judges its `--expect` assertions. Called by a run, a
//! check and a batch.
//!
//! May use: dns, transport, model, walk, render, expect, cli, lifecycle, xfr (render
//! only in the reply-path mutation test, which runs a reply all the way to its output).

use std::time::SystemTime;

use crate::cli::plan::{Lookup, Mode, Plan, TracePlan};
use crate::dns::answer::Status;
use crate::dns::random;
use crate::dns::wire;
use crate::expect;
use crate::model::exit::Exit;
use crate::model::outcome::Outcome;
use crate::model::report::{self, Context, Report};
use crate::model::trace::{Severity, TraceReport};
use crate::transport::Transport;
use crate::transport::policy;
use crate::walk;

/// Runs one lookup of `plan` (a query or a trace) and judges its expectations.
pub(crate) fn look_up(plan: &Plan, lookup: &Lookup, transport: &dyn Transport) -> Outcome {
    match &plan.mode {
        Mode::Direct => judged_query(plan, execute(plan, lookup, transport)),
        // Unstreamed: only the summary is kept (a run streams through `transfer` itself).
        Mode::Transfer { serial } => {
            let report = transfer::transfer(plan, &lookup.candidates[0], *serial, transport, &mut |_| Ok(()));
            Outcome::Transfer(Box::new(report.expect("a sink that cannot fail")))
        }
        Mode::Trace(trace_plan) => {
            let mut report = walk_for(plan, trace_plan, lookup, transport);
            if let Some(steps) = &trace_plan.lifecycle {
                lifecycle::observe(plan, steps, &lookup.candidates[0], &mut report, transport);
            }
            report.expectations =
                expect::judge::judge_all(&plan.expectations, &expect::judge::Observed::of_trace(&report));
            // The walk's own code: its status, worsened by error findings (exit 8), and
            // with --strict by any warning too (info never counts).
            let mut exit = Exit::of_code(report.exit_code);
            if report.findings.iter().any(|f| f.severity == Severity::Error) {
                exit = exit.worst(Exit::DIAGNOSIS);
            }
            if trace_plan.strict && report.findings.iter().any(|f| f.severity >= Severity::Warning) {
                exit = exit.worst(Exit::DIAGNOSIS);
            }
            let judged = exit.with_expectations(&report.expectations, report.status.is_some());
            report.exit_code = judged.code();
            Outcome::Trace(Box::new(report))
        }
    }
}

/// The outcome of a query that completed outside [`look_up`] (a batch's pipelined
/// exchange), judged exactly as `look_up` judges it.
pub(crate) fn completed_outcome(plan: &Plan, question: &wire::Question, done: &policy::Completed) -> Outcome {
    let ctx = Context {
        question,
        server_name: &plan.servers.label,
        when: SystemTime::now(),
        names: plan.display.names,
    };
    judged_query(plan, report::completed(ctx, done))
}

/// The outcome of a query that failed outside [`look_up`] (a batch's pipelined
/// exchange), judged exactly as `look_up` judges it.
pub(crate) fn failed_outcome(plan: &Plan, question: &wire::Question, failed: &policy::Failed) -> Outcome {
    let ctx = Context {
        question,
        server_name: &plan.servers.label,
        when: SystemTime::now(),
        names: plan.display.names,
    };
    judged_query(
        plan,
        report::failed(ctx, &plan.flags, failed, plan.servers.addresses[0]),
    )
}

fn judged_query(plan: &Plan, mut report: report::Report) -> Outcome {
    if !plan.expectations.is_empty() {
        report.expectations =
            expect::judge::judge_all(&plan.expectations, &expect::judge::Observed::of_query(&report));
    }
    let judged = report
        .exit()
        .with_expectations(&report.expectations, report.status.is_some());
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
        all_servers: trace_plan.all_servers,
        tcp_check: trace_plan.tcp_check,
        validation: trace_plan.validation.clone(),
    };
    let start = match &trace_plan.prime_from {
        Some(servers) => walk::Start::Server(servers.clone()),
        None => walk::Start::Hints,
    };
    walk::trace(
        transport,
        &settings,
        walk::Limits {
            time: trace_plan.time,
            // Every server of every cut: a larger share of queries (the per-server cap stays).
            queries: if trace_plan.all_servers {
                walk::ALL_SERVERS_QUERIES
            } else {
                walk::Limits::default().queries
            },
            ..walk::Limits::default()
        },
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
        let result = policy::signed_lookup(
            transport,
            &plan.servers.addresses,
            question,
            &plan.flags,
            &plan.transport,
            plan.tsig.as_ref(),
            &mut random::id,
        );
        let report = match result {
            Ok(done) => {
                let mut report = report::completed(ctx, &done);
                if plan.display.qr {
                    report.show_sent(&done.query, plan.display.names);
                }
                if let (Some(key), Some(verdict)) = (&plan.tsig, &done.tsig) {
                    report.judge_tsig(key, verdict);
                }
                report
            }
            Err(failed) => report::failed(ctx, &plan.flags, &failed, plan.servers.addresses[0]),
        };
        if report.status == Some(Status::Answer) {
            return report;
        }
        last = Some(report);
    }
    last.expect("a lookup has at least one candidate")
}

mod lifecycle;
#[cfg(test)]
mod mutation_tests;
pub(crate) mod transfer;
