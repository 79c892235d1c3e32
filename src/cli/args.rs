//! The raw command-line surface, as clap sees it. Doc comments are the help text.
//!
//! dig's free-form words (`@server`, `name`, `type`, `class`, `+option`) do not start
//! with `-`, so clap collects them as positionals in order; the planner classifies
//! them. Nothing here looks at the environment.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::exit::Error;

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when stdout is a terminal, unless NO_COLOR is set or CLICOLOR_FORCE asks for it.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// What `--generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Generate {
    /// Bash completion.
    Bash,
    /// Zsh completion.
    Zsh,
    /// Fish completion.
    Fish,
    /// PowerShell completion.
    Powershell,
    /// Elvish completion.
    Elvish,
    /// The man page (roff).
    Man,
}

/// A dig-like DNS query tool.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "dnscope",
    version,
    override_usage = "dnscope [@SERVER] [NAME] [TYPE] [CLASS] [+OPTION]... [OPTIONS]\n       dnscope check FILE [--json] [--junit FILE]",
    args_conflicts_with_subcommands = true,
    about = "Ask DNS servers questions and show the whole answer, dig-style",
    long_about = "Ask DNS servers questions and show the whole answer, dig-style.\n\n\
        Words are read as in dig: @SERVER names the server, a record type (A, MX, TYPE65534) or \
        class (IN, CH, CLASS3) applies to the name before it (or the next one), +OPTION sets a \
        query or display option, and anything else is a name to look up. Several names on one \
        line make several queries.",
    after_help = "Examples:\n  dnscope example.com MX @1.1.1.1\n  dnscope +trace www.example.com\n  dnscope +short -x 192.0.2.1\n  dnscope --json example.com AAAA | jq .answer\n\nSee the man page for every +option and the exit codes.",
    max_term_width = 100
)]
pub(crate) struct Cli {
    /// Run a file of checks instead of a query.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Query words: [@SERVER] [NAME] [TYPE] [CLASS] [+OPTION]..., in any order, repeatable.
    #[arg(value_name = "WORDS")]
    pub words: Vec<String>,

    /// Record type for names given without one (dig -t).
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub qtype: Option<String>,

    /// Class for names given without one (dig -c).
    #[arg(short = 'c', long = "class", value_name = "CLASS")]
    pub qclass: Option<String>,

    /// Reverse lookup: query the PTR record of this IPv4 or IPv6 address (repeatable).
    #[arg(short = 'x', long = "reverse", value_name = "ADDR")]
    pub reverse: Vec<String>,

    /// TSIG: sign queries and transfers with this key, as dig -y ([HMAC:]NAME:SECRET,
    /// base64 secret; hmac-sha256 unless named). Other users of this machine may see it
    /// in the process list: prefer -k.
    #[arg(
        short = 'y',
        long = "tsig",
        value_name = "[HMAC:]NAME:SECRET",
        conflicts_with = "tsig_file"
    )]
    pub tsig: Option<String>,

    /// TSIG: read the key from a BIND key file, as dig -k (what tsig-keygen writes).
    #[arg(short = 'k', long = "tsig-file", value_name = "FILE")]
    pub tsig_file: Option<PathBuf>,

    /// Send from this local address (and port), as dig -b; only servers of its family are asked.
    #[arg(short = 'b', long = "source", value_name = "ADDR[#PORT]")]
    pub source: Option<String>,

    /// Do not read ~/.digrc (whose words dnscope takes as the first of the command line, as dig does).
    #[arg(short = 'r')]
    pub no_digrc: bool,

    /// Server port (default 53).
    #[arg(short = 'p', long = "port", value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,

    /// Use IPv4 servers only.
    #[arg(short = '4', conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// Use IPv6 servers only.
    #[arg(short = '6')]
    pub ipv6: bool,

    /// Print JSON: one object per query, one per line (same as +json).
    #[arg(long)]
    pub json: bool,

    /// Print only the answer data, one record per line (same as +short).
    #[arg(long)]
    pub short: bool,

    /// Walk the delegation chain from the root hints to the final answer (same as +trace).
    #[arg(long)]
    pub trace: bool,

    /// Root hints for +trace, in named.root format, instead of the embedded IANA list.
    #[arg(long = "root-hints", value_name = "FILE")]
    pub root_hints: Option<PathBuf>,

    /// Assert on the result, e.g. A=192.0.2.10, 'CNAME=*.cloudfront.net', rcode=NXDOMAIN,
    /// 'ttl<=300', answers>=2, 'ns=ns-*.awsdns-*' (repeatable; exit 6 when one fails).
    #[arg(long = "expect", value_name = "EXPR")]
    pub expect: Vec<String>,

    /// Batch: one query per line of FILE ('-' for standard input), in dig's syntax; the
    /// rest of the command line applies to every line.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub batch: Option<String>,

    /// Batch: queries in flight at once.
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: u32,

    /// Batch: print results in input order instead of as they complete.
    #[arg(long)]
    pub ordered: bool,

    /// Batch: send at most N queries per second.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub qps: Option<u32>,

    /// Batch: at most N queries in flight to any one server.
    #[arg(long = "max-per-server", value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_per_server: u32,

    /// Query over TCP (same as +tcp).
    #[arg(long)]
    pub tcp: bool,

    /// Wait this long for each reply, e.g. 1500ms or 2s (default 5s, or resolv.conf's; at most 5m).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub timeout: Option<Duration>,

    /// With +trace: ask every address of every name server of each zone cut at once (+nsall).
    #[arg(long = "all-servers")]
    pub all_servers: bool,

    /// With +trace +nsall: ask each server the zone's SOA over TCP too (+tcpcheck).
    #[arg(long = "tcp-check")]
    pub tcp_check: bool,

    /// The name's whole path, from the hosts file to the endpoint (+lifecycle).
    #[arg(long)]
    pub lifecycle: bool,

    /// With --lifecycle: the hosts file to read (default /etc/hosts).
    #[arg(long, value_name = "FILE")]
    pub hosts: Option<PathBuf>,

    /// With --lifecycle: the nsswitch.conf to read (default /etc/nsswitch.conf).
    #[arg(long, value_name = "FILE")]
    pub nsswitch: Option<PathBuf>,

    /// With --lifecycle: ask these resolvers instead of resolv.conf's; `public` is
    /// Cloudflare 1.1.1.1, Google 8.8.8.8, Quad9 9.9.9.9 and OpenDNS 208.67.222.222.
    #[arg(long, value_name = "LIST", value_parser = ["public"])]
    pub resolvers: Option<String>,

    /// With +trace +dnssec: trust anchors in zone-file syntax (DS or DNSKEY records, for
    /// a private root or a zone of its own) instead of the embedded root anchors.
    #[arg(long = "trust-anchor", value_name = "FILE")]
    pub trust_anchor: Option<PathBuf>,

    /// With +trace +dnssec: validate as of this moment (RFC 3339, e.g. 2030-01-01T00:00:00Z).
    #[arg(long = "dnssec-time", value_name = "TIME", value_parser = humantime::parse_rfc3339)]
    pub dnssec_time: Option<std::time::SystemTime>,

    /// With +trace +nsall: warnings count as errors (exit 8 on any finding).
    #[arg(long)]
    pub strict: bool,

    /// With +trace: stop the whole trace after this long, e.g. 30s (default 10s; at most 1h).
    #[arg(long = "trace-timeout", value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub trace_timeout: Option<Duration>,

    /// Attempts per server (default 3, or resolv.conf's attempts; at most 100).
    #[arg(long, value_name = "N")]
    pub tries: Option<u32>,

    /// When to use colour.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Read servers, search list and options from this file instead of /etc/resolv.conf.
    #[arg(long = "resolv-conf", value_name = "FILE")]
    pub resolv_conf: Option<PathBuf>,

    /// Print a shell completion script or the man page, then exit.
    #[arg(long, value_enum, value_name = "WHAT", hide = true, exclusive = true)]
    pub generate: Option<Generate>,
}

/// Subcommands.
#[derive(Debug, Clone, Subcommand)]
pub(crate) enum Command {
    /// Run every check of a check file (JSON, or TOML by its .toml ending) and report each.
    Check(CheckArgs),
}

/// `dnscope check`.
#[derive(Debug, Clone, Args)]
pub(crate) struct CheckArgs {
    /// The check file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,

    /// Also write a JUnit XML report to this file, for CI systems that display it.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// When to use colour.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// resolv.conf for checks that name no server.
    #[arg(long = "resolv-conf", value_name = "FILE")]
    pub resolv_conf: Option<PathBuf>,
}

/// The clap command, for parsing and for generating completions and the man page.
pub(crate) fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Parses argv (program name first).
///
/// # Errors
/// clap's error, which also carries `--help` and `--version` requests.
pub(crate) fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    <Cli as clap::Parser>::try_parse_from(args)
}

/// A clap error as one line of a usage error.
pub(crate) fn usage(error: &clap::Error) -> Error {
    let text = error.to_string();
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments");
    Error::Usage(line.trim_start_matches("error: ").to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_valid() {
        command().debug_assert();
    }

    #[test]
    fn every_option_has_help_and_value_names() {
        for arg in command().get_arguments() {
            assert!(arg.get_help().is_some(), "{} has no help", arg.get_id());
            let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
            if takes_value && !arg.is_positional() {
                assert!(
                    arg.get_value_names().is_some(),
                    "{} has no value name",
                    arg.get_id()
                );
            }
        }
    }

    #[test]
    fn words_and_flags_mix() {
        let cli = parse([
            "dnscope",
            "example.com",
            "-t",
            "MX",
            "+short",
            "@127.0.0.1",
            "--timeout",
            "1500ms",
        ])
        .unwrap();
        assert_eq!(cli.words, ["example.com", "+short", "@127.0.0.1"]);
        assert_eq!(cli.qtype.as_deref(), Some("MX"));
        assert_eq!(cli.timeout, Some(Duration::from_millis(1500)));
    }
}
