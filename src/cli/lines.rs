//! Line plans for batches (`-f`): the base command line without the batch flags, and
//! each line planned as if its words were typed after it.

use clap::error::ErrorKind;
use hickory_proto::rr::RecordType;

use crate::cli::args::{self, Cli};
use crate::cli::env::Env;
use crate::cli::plan::{Mode, Plan};
use crate::cli::planner::Planner;
use crate::dns::names;
use crate::dns::rrtype;
use crate::dns::wire::Question;
use crate::model::exit::Error;
use crate::render::{Display, Format};

/// A batch, as the command line asked for it.
#[derive(Debug, Clone)]
pub(crate) struct BatchPlan {
    /// The file, or "-" for standard input.
    pub source: String,
    /// The command line without the batch flags: what every line is added to.
    pub base: Vec<String>,
    /// The same, as clap parsed it.
    pub base_cli: Box<Cli>,
    /// The plan plain lines (`name [type] [class]`) share, when the base allows it.
    pub shared: Option<Box<Plan>>,
    pub jobs: usize,
    pub ordered: bool,
    pub qps: Option<u32>,
    pub max_per_server: usize,
    pub format: Format,
    /// Display settings of the base command line (a line cannot change them).
    pub display: Display,
}

/// Flags that belong to the batch itself, with whether they take a value.
const BATCH_FLAGS: &[(&str, bool)] = &[
    ("-f", true),
    ("--file", true),
    ("-j", true),
    ("--jobs", true),
    ("--ordered", false),
    ("--qps", true),
    ("--max-per-server", true),
];

/// The command line without the batch flags.
pub(crate) fn base_args(args: &[String]) -> Vec<String> {
    let mut base = Vec::with_capacity(args.len());
    let mut skip_value = false;
    for arg in args {
        if std::mem::take(&mut skip_value) {
            continue;
        }
        let flag = BATCH_FLAGS
            .iter()
            .find(|(name, _)| arg == name || arg.starts_with(&format!("{name}=")));
        match flag {
            Some((name, takes_value)) => skip_value = *takes_value && arg == name,
            None => base.push(arg.clone()),
        }
    }
    base
}

/// Plans one batch line: its words after the base command line. A line of dig words
/// only (no `-` flag, the usual case) reuses the base command line as clap parsed it
/// once, instead of parsing it again for every line.
///
/// # Errors
/// [`Error::Usage`] for a line that makes no sense.
pub(crate) fn build_line(
    base_cli: &Cli,
    base_args: &[String],
    words: &[&str],
    env: &dyn Env,
) -> Result<Plan, Error> {
    let mut argv = base_args.to_vec();
    argv.extend(words.iter().map(|w| (*w).to_owned()));
    if words.iter().any(|w| w.starts_with('-')) {
        let not_a_query = || Error::Usage("a batch line must be a query".to_owned());
        let cli = match args::parse(&argv) {
            Ok(cli) => cli,
            Err(e) if e.kind() == ErrorKind::DisplayHelp || e.kind() == ErrorKind::DisplayVersion => {
                return Err(not_a_query());
            }
            Err(e) => return Err(args::usage(&e)),
        };
        if cli.generate.is_some() || cli.command.is_some() || cli.batch.is_some() {
            return Err(not_a_query());
        }
        return no_transfer(Planner::new(cli, env).plan(&argv)?);
    }
    let mut cli = base_cli.clone();
    cli.words.extend(words.iter().map(|w| (*w).to_owned()));
    no_transfer(Planner::new(cli, env).plan(&argv)?)
}

/// A batch prints one result per line; a transfer streams a zone: each on its own.
fn no_transfer(plan: Plan) -> Result<Plan, Error> {
    if matches!(plan.mode, Mode::Transfer { .. }) {
        return Err(Error::Usage(
            "zone transfers are not run in a batch (-f): run each on its own command line".to_owned(),
        ));
    }
    Ok(plan)
}

/// The plan every plain batch line can share: the base command line planned with a
/// one-word probe line. It is shared only when that gives one query with one candidate
/// (no name on the base command line, no `-x`, no `+search`), so a line's own question
/// is all that differs.
pub(crate) fn shared_plan(base_cli: &Cli, base: &[String], env: &dyn Env) -> Option<Box<Plan>> {
    let mut cli = base_cli.clone();
    cli.words.push("x".to_owned());
    let plan = Planner::new(cli, env).plan(base).ok()?;
    let single = matches!(plan.lookups.as_slice(), [lookup] if lookup.candidates.len() == 1);
    (single && plan.mode == Mode::Direct).then(|| Box::new(plan))
}

/// The question of a batch line of the plain shape `name [type] [class]`, read the way
/// the planner reads words, with the shared plan's default type and class; `None` for
/// any other line, which then takes the full path (and gets its usage errors there).
pub(crate) fn plain_question(shared: &Plan, words: &[&str]) -> Option<Question> {
    let default = &shared.lookups.first()?.candidates.first()?;
    let (name, rest) = words.split_first()?;
    let keyword =
        |w: &str| !w.ends_with('.') && (rrtype::parse_type(w).is_some() || rrtype::parse_class(w).is_some());
    if name.starts_with(['@', '+', '-']) || keyword(name) || rest.len() > 2 {
        return None;
    }
    let rtype = match rest.first() {
        Some(word) => Some(rrtype::parse_type(word).filter(|_| !word.ends_with('.'))?),
        None => None,
    };
    let class = match rest.get(1) {
        Some(word) => Some(rrtype::parse_class(word).filter(|_| !word.ends_with('.'))?),
        None => None,
    };
    // A transfer goes through the planner, which refuses it with its reason.
    if matches!(
        rtype.unwrap_or(default.rtype),
        RecordType::AXFR | RecordType::IXFR
    ) {
        return None;
    }
    Some(Question {
        name: names::parse(name).ok()?,
        rtype: rtype.unwrap_or(default.rtype),
        class: class.unwrap_or(default.class),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn batch_flags_are_taken_out_of_the_base_command_line() {
        let args = strings(&[
            "dnscope",
            "-f",
            "names.txt",
            "@127.0.0.1",
            "-j",
            "8",
            "--ordered",
            "--qps=100",
            "+short",
            "--max-per-server",
            "4",
        ]);
        assert_eq!(base_args(&args), strings(&["dnscope", "@127.0.0.1", "+short"]));
    }
}
