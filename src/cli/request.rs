//! From argv to a [`Request`]: help and generated files, `check`, a batch, or a run.
//!
//! All environment lookups go through [`Env`]; nothing here opens a socket.

use clap::error::ErrorKind;

use crate::cli::args::{self, CheckArgs};
use crate::cli::env::Env;
use crate::cli::lines::{self, BatchPlan};
use crate::cli::plan::Plan;
use crate::cli::planner::Planner;
use crate::model::exit::Error;

/// What argv asks for.
#[derive(Debug)]
pub(crate) enum Request {
    /// Queries to run.
    Run(Box<Plan>),
    /// Text to print on stdout, then exit 0 (`--help`, `--version`, `--generate`).
    Print(String),
    /// `dnscope check FILE`.
    Check(Box<CheckArgs>),
    /// `-f FILE`.
    Batch(Box<BatchPlan>),
}

/// argv with the words of `~/.digrc` after the program name, as dig reads them (its
/// default options, which the command line can override), unless `-r` is given. A
/// missing or unreadable file is no error, as in dig; `#` starts a comment line.
pub(crate) fn with_digrc(args: &[String], env: &dyn Env) -> Vec<String> {
    let skip = args.iter().skip(1).any(|a| a == "-r") || args.get(1).is_some_and(|a| a == "check");
    let text = env
        .var("HOME")
        .filter(|home| !skip && !home.is_empty())
        .and_then(|home| env.read_file(&std::path::Path::new(&home).join(".digrc")).ok());
    let Some(text) = text else {
        return args.to_vec();
    };
    let words = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(str::to_owned);
    args.iter()
        .take(1)
        .cloned()
        .chain(words)
        .chain(args.iter().skip(1).cloned())
        .collect()
}

/// Whether argv asks for JSON, so that even a usage error can be reported as JSON.
pub(crate) fn wants_json(args: &[String]) -> bool {
    args.iter()
        .skip(1)
        .any(|a| a == "--json" || a.eq_ignore_ascii_case("+json"))
}

/// Builds the plan of a run.
///
/// # Errors
/// [`Error::Usage`] for anything on the command line that makes no sense.
pub(crate) fn build(args: &[String], env: &dyn Env) -> Result<Request, Error> {
    let cli = match args::parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Ok(Request::Print(e.to_string())),
                _ => Err(args::usage(&e)),
            };
        }
    };
    if let Some(what) = cli.generate {
        return Ok(Request::Print(crate::cli::generate::render(what)));
    }
    if let Some(args::Command::Check(check)) = cli.command {
        return Ok(Request::Check(Box::new(check)));
    }
    let Some(source) = cli.batch.clone() else {
        return Planner::new(cli, env)
            .plan(args)
            .map(|p| Request::Run(Box::new(p)));
    };
    // The base command line is planned once, so that its mistakes stop the batch
    // before any line runs and its display settings apply to every line.
    let (jobs, ordered, qps, max_per_server) = (cli.jobs, cli.ordered, cli.qps, cli.max_per_server);
    let base = lines::base_args(args);
    let base_cli = cli.clone();
    let shared = lines::shared_plan(&base_cli, &base, env);
    let mut base_plan = Planner::new(cli, env).plan(&base)?;
    base_plan.display.cmd = false;
    Ok(Request::Batch(Box::new(BatchPlan {
        source,
        base,
        base_cli: Box::new(base_cli),
        shared,
        jobs: usize::try_from(jobs).unwrap_or(1),
        ordered,
        qps,
        max_per_server: usize::try_from(max_per_server).unwrap_or(1),
        format: base_plan.format,
        display: base_plan.display,
    })))
}
