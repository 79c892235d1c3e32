//! dnscope: a dig-like DNS diagnostic tool.
//!
//! The pipeline is argv → [`cli`] (a [`Plan`](cli::plan::Plan)) → [`lookup`] over a
//! [`transport`] (a `+trace` through [`walk`], a zone transfer through [`xfr`]) →
//! [`model`] → [`render`], with the DNS
//! wire layer ([`dns`]) underneath, and [`check`] files and [`batch`]es on top. A folder
//! uses only the folders below it (`tests/layers.rs` holds that order). Only `main.rs`
//! makes the real stdout, stderr, network and environment; everything else receives
//! them, so the whole run can be driven in-process by tests.

pub(crate) mod batch;
pub mod check;
pub mod cli;
pub(crate) mod dns;
pub(crate) mod dnssec;
pub(crate) mod expect;
pub(crate) mod lifecycle;
pub(crate) mod lookup;
pub mod model;
pub(crate) mod render;
pub mod transport;
pub(crate) mod walk;
pub(crate) mod xfr;

use std::io::{self, Write};

use crate::cli::env::Env;
use crate::cli::request::{self, Request};
use crate::lookup::look_up;
use crate::model::exit::Exit;
use crate::transport::Transport;

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
    let args = &request::with_digrc(args, env);
    let json = request::wants_json(args);
    let plan = match request::build(args, env) {
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
    if let cli::plan::Mode::Transfer { serial } = plan.mode {
        return transfer(&plan, serial, transport, out, err);
    }
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

/// Runs a zone transfer, printing each message as it arrives.
fn transfer(
    plan: &cli::plan::Plan,
    serial: Option<u32>,
    transport: &dyn Transport,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let options = render::Options {
        format: plan.format,
        display: plan.display,
        command_line: &plan.command_line,
        index: 0,
    };
    let mut printer = render::transfer::Printer::new(&options);
    let question = &plan.lookups[0].candidates[0];
    let written = printer.start(out).and_then(|()| {
        // Each message is out as soon as it is in: a transfer can be long.
        let report = lookup::transfer::transfer(plan, question, serial, transport, &mut |message| {
            printer.message(message, out)?;
            out.flush()
        })?;
        printer.finish(&report, out, err)?;
        out.flush()?;
        Ok(Exit::of_code(report.exit_code))
    });
    match written {
        Ok(exit) => exit,
        // A closed pipe (`| head`) ends the transfer quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Exit::ANSWER,
        Err(e) => {
            let _ = writeln!(err, "dnscope: cannot write output: {e}");
            Exit::INTERNAL
        }
    }
}
