//! From argv to a settled [`Plan`]: dig's free-form words classified, `+options`
//! applied in order, defaults filled in from resolv.conf, colour and format decided.
//!
//! All environment lookups go through [`Env`]; nothing here opens a socket.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use hickory_proto::rr::{DNSClass, Name, RecordType};

use crate::cli::args::{self, Cli, ColorChoice};
use crate::cli::env::Env;
use crate::cli::plusopts::{self, Setting};
use crate::cli::resolvconf::{self, ResolvConf};
use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype;
use crate::dns::wire::{EdnsSettings, QueryFlags, Question};
use crate::model::exit::Error;
use crate::transport::policy::Settings;
use crate::walk::Family;
use crate::walk::roots::{self, Hint};

/// dig's defaults.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
const DEFAULT_TRIES: u32 = 3;
/// A trace asks many servers; a dead one should cost little (the next one is tried).
const TRACE_TIMEOUT: Duration = Duration::from_millis(800);
const TRACE_TRIES: u32 = 1;
const DEFAULT_PORT: u16 = 53;
/// The DNS Flag Day 2020 recommendation, which avoids IP fragmentation.
pub const DEFAULT_BUFSIZE: u16 = 1232;
const RESOLV_CONF: &str = "/etc/resolv.conf";

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// dig-like text.
    Text,
    /// Answer data only.
    Short,
    /// JSON lines.
    Json,
}

/// What the text output shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Display {
    pub cmd: bool,
    pub comments: bool,
    pub question: bool,
    pub answer: bool,
    pub authority: bool,
    pub additional: bool,
    pub stats: bool,
    pub ttlid: bool,
    pub ttlunits: bool,
    pub class: bool,
    /// How names are written.
    pub names: NameStyle,
    /// ANSI colour on or off, decided once here.
    pub colour: bool,
}

/// One query to make: the question, or the questions the search list gives, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    /// Candidates; the first that gets an answer ends the lookup.
    pub candidates: Vec<Question>,
}

/// Whether each lookup is one query or an iterative walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Ask the servers directly (dig's default).
    Direct,
    /// Walk from the root (`+trace`).
    Trace(Box<TracePlan>),
}

/// What a `+trace` walk starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracePlan {
    /// The root servers to start from.
    pub hints: Vec<Hint>,
    /// `@server` to prime the root NS set from, when given.
    pub prime_from: Option<Vec<SocketAddr>>,
    /// `-4`/`-6`.
    pub family: Family,
    /// The port of every server of the walk.
    pub port: u16,
}

/// The servers to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Servers {
    /// How the user named them (`@ns1.example`) or where they came from.
    pub label: String,
    /// Addresses in the order they are tried.
    pub addresses: Vec<SocketAddr>,
}

/// Everything a run does, settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub mode: Mode,
    /// `--expect` assertions, judged on every lookup.
    pub expectations: Vec<crate::expect::Expectation>,
    pub lookups: Vec<Lookup>,
    pub servers: Servers,
    pub flags: QueryFlags,
    pub transport: Settings,
    pub format: Format,
    pub display: Display,
    /// The words after the program name, for the `cmd` line.
    pub command_line: String,
}

/// What argv asks for.
#[derive(Debug)]
pub enum Request {
    /// Queries to run.
    Run(Box<Plan>),
    /// Text to print on stdout, then exit 0 (`--help`, `--version`, `--generate`).
    Print(String),
    /// `dnscope check FILE`.
    Check(Box<args::CheckArgs>),
    /// `-f FILE`.
    Batch(Box<crate::batch::BatchPlan>),
}

/// Whether argv asks for JSON, so that even a usage error can be reported as JSON.
pub fn wants_json(args: &[String]) -> bool {
    args.iter()
        .skip(1)
        .any(|a| a == "--json" || a.eq_ignore_ascii_case("+json"))
}

/// Builds the plan of a run.
///
/// # Errors
/// [`Error::Usage`] for anything on the command line that makes no sense.
pub fn build(args: &[String], env: &dyn Env) -> Result<Request, Error> {
    let cli = match args::parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Ok(Request::Print(e.to_string())),
                _ => Err(Error::Usage(first_line(&e.to_string()))),
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
    let base = crate::batch::base_args(args);
    let base_cli = cli.clone();
    let shared = shared_plan(&base_cli, &base, env);
    let mut base_plan = Planner::new(cli, env).plan(&base)?;
    base_plan.display.cmd = false;
    Ok(Request::Batch(Box::new(crate::batch::BatchPlan {
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

/// Plans one batch line: its words after the base command line. A line of dig words
/// only (no `-` flag, the usual case) reuses the base command line as clap parsed it
/// once, instead of parsing it again for every line.
///
/// # Errors
/// [`Error::Usage`] for a line that makes no sense.
pub fn build_line(
    base_cli: &Cli,
    base_args: &[String],
    words: &[&str],
    env: &dyn Env,
) -> Result<Plan, Error> {
    let mut argv = base_args.to_vec();
    argv.extend(words.iter().map(|w| (*w).to_owned()));
    if words.iter().any(|w| w.starts_with('-')) {
        return match build(&argv, env)? {
            Request::Run(plan) => Ok(*plan),
            _ => Err(Error::Usage("a batch line must be a query".to_owned())),
        };
    }
    let mut cli = base_cli.clone();
    cli.words.extend(words.iter().map(|w| (*w).to_owned()));
    Planner::new(cli, env).plan(&argv)
}

/// The plan every plain batch line can share: the base command line planned with a
/// one-word probe line. It is shared only when that gives one query with one candidate
/// (no name on the base command line, no `-x`, no `+search`), so a line's own question
/// is all that differs.
fn shared_plan(base_cli: &Cli, base: &[String], env: &dyn Env) -> Option<Box<Plan>> {
    let mut cli = base_cli.clone();
    cli.words.push("x".to_owned());
    let plan = Planner::new(cli, env).plan(base).ok()?;
    let single = matches!(plan.lookups.as_slice(), [lookup] if lookup.candidates.len() == 1);
    (single && plan.mode == Mode::Direct).then(|| Box::new(plan))
}

/// The question of a batch line of the plain shape `name [type] [class]`, read the way
/// the planner reads words, with the shared plan's default type and class; `None` for
/// any other line, which then takes the full path (and gets its usage errors there).
pub fn plain_question(shared: &Plan, words: &[&str]) -> Option<Question> {
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
    refuse_transfers(&Question {
        name: Name::root(),
        rtype: rtype.unwrap_or(default.rtype),
        class: DNSClass::IN,
    })
    .ok()?;
    Some(Question {
        name: names::parse(name).ok()?,
        rtype: rtype.unwrap_or(default.rtype),
        class: class.unwrap_or(default.class),
    })
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("invalid arguments");
    line.trim_start_matches("error: ").to_owned()
}

/// A query being assembled from words.
#[derive(Debug, Default)]
struct Pending {
    name: Option<(String, Name)>,
    rtype: Option<RecordType>,
    class: Option<DNSClass>,
}

/// Option state while `+options` apply in order.
struct Options {
    display: Display,
    flags: QueryFlags,
    edns_version: Option<u8>,
    bufsize: u16,
    nsid: bool,
    cookie: Option<Option<Vec<u8>>>,
    subnet: Option<(IpAddr, u8)>,
    dnssec: bool,
    explicit_edns_users: Vec<&'static str>,
    tcp: bool,
    ignore: bool,
    short: bool,
    json: bool,
    search: bool,
    trace: bool,
    idnout: Option<bool>,
    timeout: Option<Duration>,
    tries: Option<u32>,
}

struct Planner<'a> {
    cli: Cli,
    env: &'a dyn Env,
}

impl<'a> Planner<'a> {
    fn new(cli: Cli, env: &'a dyn Env) -> Self {
        Self { cli, env }
    }

    fn plan(self, args: &[String]) -> Result<Plan, Error> {
        let usage = |m: String| Error::Usage(m);
        let mut options = Options::defaults();
        let mut server_words = Vec::new();
        let mut pending = Pending::default();
        let mut queries: Vec<Pending> = Vec::new();

        for word in &self.cli.words {
            if let Some(server) = word.strip_prefix('@') {
                server_words.push(server.to_owned());
            } else if word.starts_with('+') {
                options.apply(plusopts::parse(word).map_err(usage)?);
            } else if let Some(rtype) = (!word.ends_with('.')).then(|| rrtype::parse_type(word)).flatten() {
                if pending.rtype.is_some() {
                    queries.push(std::mem::take(&mut pending));
                }
                pending.rtype = Some(rtype);
            } else if let Some(class) = (!word.ends_with('.'))
                .then(|| rrtype::parse_class(word))
                .flatten()
            {
                if pending.class.is_some() {
                    queries.push(std::mem::take(&mut pending));
                }
                pending.class = Some(class);
            } else {
                let name = names::parse(word).map_err(|e| usage(e.to_string()))?;
                if pending.name.is_some() {
                    queries.push(std::mem::take(&mut pending));
                }
                pending.name = Some((word.clone(), name));
            }
        }
        let typed_something = pending.name.is_some() || pending.rtype.is_some() || pending.class.is_some();
        if typed_something || (queries.is_empty() && self.cli.reverse.is_empty()) {
            queries.push(pending);
        }

        let default_type = self.cli.qtype.as_deref().map(parse_type_flag).transpose()?;
        let default_class = self.cli.qclass.as_deref().map(parse_class_flag).transpose()?;
        options.merge_flags(&self.cli);
        let format = options.format()?;
        let trace = options.trace || self.cli.trace;
        if self.cli.root_hints.is_some() && !trace {
            return Err(usage("--root-hints only applies to +trace".to_owned()));
        }
        let needs_conf = (server_words.is_empty() && !trace) || options.search;
        let conf = if needs_conf {
            self.resolv_conf()?
        } else {
            ResolvConf {
                ndots: 1,
                ..ResolvConf::default()
            }
        };

        let mut lookups = Vec::new();
        for query in queries {
            lookups.push(self.lookup(query, default_type, default_class, &options, &conf)?);
        }
        for addr in &self.cli.reverse {
            let ip: IpAddr = addr
                .parse()
                .map_err(|_| usage(format!("-x needs an IP address, not '{addr}'")))?;
            let question = Question {
                name: names::reverse(ip),
                rtype: RecordType::PTR,
                class: default_class.unwrap_or(DNSClass::IN),
            };
            lookups.push(Lookup {
                candidates: vec![question],
            });
        }
        for lookup in &lookups {
            refuse_transfers(&lookup.candidates[0])?;
        }

        let servers = if trace && server_words.is_empty() {
            Servers {
                label: "root hints".to_owned(),
                addresses: Vec::new(),
            }
        } else {
            self.servers(&server_words, &conf)?
        };
        let flags = options.query_flags()?;
        let (default_timeout, default_tries) = if trace {
            (TRACE_TIMEOUT, TRACE_TRIES)
        } else {
            (DEFAULT_TIMEOUT, DEFAULT_TRIES)
        };
        let transport = Settings {
            tcp: options.tcp,
            ignore_truncation: options.ignore,
            tries: self
                .cli
                .tries
                .or(options.tries)
                .or(conf.attempts)
                .unwrap_or(default_tries)
                .max(1),
            timeout: self
                .cli
                .timeout
                .or(options.timeout)
                .or(conf.timeout)
                .unwrap_or(default_timeout),
        };
        let mode = if trace {
            Mode::Trace(Box::new(TracePlan {
                hints: self.hints()?,
                prime_from: (!server_words.is_empty()).then(|| servers.addresses.clone()),
                family: match (self.cli.ipv4, self.cli.ipv6) {
                    (true, _) => Family::V4,
                    (_, true) => Family::V6,
                    _ => Family::Any,
                },
                port: self.cli.port.unwrap_or(DEFAULT_PORT),
            }))
        } else {
            Mode::Direct
        };
        if transport.timeout.is_zero() {
            return Err(usage("--timeout must be longer than zero".to_owned()));
        }
        let display = self.display(options.display, options.idnout, format);
        let expectations = self
            .cli
            .expect
            .iter()
            .map(|e| crate::expect::parse(e))
            .collect::<Result<Vec<_>, _>>()
            .map_err(usage)?;
        Ok(Plan {
            mode,
            expectations,
            lookups,
            servers,
            flags,
            transport,
            format,
            display,
            command_line: args.iter().skip(1).cloned().collect::<Vec<_>>().join(" "),
        })
    }

    fn lookup(
        &self,
        query: Pending,
        default_type: Option<RecordType>,
        default_class: Option<DNSClass>,
        options: &Options,
        conf: &ResolvConf,
    ) -> Result<Lookup, Error> {
        // dig asks for the root's NS set when no name is given.
        let no_name = query.name.is_none();
        let (typed, name) = query.name.unwrap_or_else(|| (".".to_owned(), Name::root()));
        let default = if no_name && query.rtype.is_none() {
            RecordType::NS
        } else {
            RecordType::A
        };
        let rtype = query.rtype.or(default_type).unwrap_or(default);
        let class = query.class.or(default_class).unwrap_or(DNSClass::IN);
        let names = if options.search {
            names::search_candidates(&typed, &name, &conf.search, conf.ndots)
        } else {
            vec![name]
        };
        Ok(Lookup {
            candidates: names
                .into_iter()
                .map(|name| Question { name, rtype, class })
                .collect(),
        })
    }

    fn hints(&self) -> Result<Vec<Hint>, Error> {
        let Some(path) = &self.cli.root_hints else {
            return Ok(roots::embedded());
        };
        let text = self
            .env
            .read_file(path)
            .map_err(|e| Error::Usage(format!("cannot read --root-hints {}: {e}", path.display())))?;
        roots::parse(&text).map_err(|e| Error::Usage(format!("--root-hints {}: {e}", path.display())))
    }

    fn resolv_conf(&self) -> Result<ResolvConf, Error> {
        match &self.cli.resolv_conf {
            Some(path) => self
                .env
                .read_file(path)
                .map(|text| resolvconf::parse(&text))
                .map_err(|e| Error::Usage(format!("cannot read --resolv-conf {}: {e}", path.display()))),
            // A missing system file is not an error: dig falls back to localhost too.
            None => Ok(self
                .env
                .read_file(&PathBuf::from(RESOLV_CONF))
                .map(|t| resolvconf::parse(&t))
                .unwrap_or_default()),
        }
    }

    fn servers(&self, words: &[String], conf: &ResolvConf) -> Result<Servers, Error> {
        let port = self.cli.port.unwrap_or(DEFAULT_PORT);
        let family_ok = |ip: &IpAddr| !(self.cli.ipv4 && ip.is_ipv6() || self.cli.ipv6 && ip.is_ipv4());
        let mut addresses = Vec::new();
        let label;
        if words.is_empty() {
            let from_conf: Vec<IpAddr> = if conf.nameservers.is_empty() {
                vec![
                    IpAddr::from([127, 0, 0, 1]),
                    IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
                ]
            } else {
                conf.nameservers.clone()
            };
            label = "resolv.conf".to_owned();
            addresses.extend(
                from_conf
                    .into_iter()
                    .filter(family_ok)
                    .map(|ip| SocketAddr::new(ip, port)),
            );
        } else {
            label = words.join(", ");
            for word in words {
                let (host, word_port) = split_port(word)?;
                let ips = match host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                {
                    Ok(ip) => vec![ip],
                    Err(_) if host.is_empty() => {
                        return Err(Error::Usage("'@' needs a server address or name".to_owned()));
                    }
                    Err(_) => self
                        .env
                        .lookup_host(host)
                        .map_err(|e| Error::Usage(format!("cannot resolve server '{host}': {e}")))?,
                };
                let port = word_port.unwrap_or(port);
                addresses.extend(
                    ips.into_iter()
                        .filter(family_ok)
                        .map(|ip| SocketAddr::new(ip, port)),
                );
            }
        }
        if addresses.is_empty() {
            let family = if self.cli.ipv4 { "IPv4" } else { "IPv6" };
            return Err(Error::Usage(format!(
                "no {family} address for the server ({label})"
            )));
        }
        Ok(Servers { label, addresses })
    }

    fn display(&self, mut display: Display, idnout: Option<bool>, format: Format) -> Display {
        let terminal = self.env.stdout_is_terminal();
        display.names = NameStyle {
            unicode: format != Format::Json && idnout.unwrap_or(terminal),
        };
        display.colour = format == Format::Text
            && match self.cli.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    let set = |k: &str| self.env.var(k).is_some_and(|v| !v.is_empty());
                    let forced = self
                        .env
                        .var("CLICOLOR_FORCE")
                        .is_some_and(|v| !v.is_empty() && v != "0");
                    !set("NO_COLOR") && (forced || terminal)
                }
            };
        display
    }
}

fn split_port(word: &str) -> Result<(&str, Option<u16>), Error> {
    match word.rsplit_once('#') {
        Some((host, port)) => {
            let port = port
                .parse()
                .map_err(|_| Error::Usage(format!("bad port in '@{word}'")))?;
            Ok((host, Some(port)))
        }
        None => Ok((word, None)),
    }
}

fn parse_type_flag(word: &str) -> Result<RecordType, Error> {
    rrtype::parse_type(word).ok_or_else(|| Error::Usage(format!("unknown record type '{word}'")))
}

fn parse_class_flag(word: &str) -> Result<DNSClass, Error> {
    rrtype::parse_class(word).ok_or_else(|| Error::Usage(format!("unknown class '{word}'")))
}

fn refuse_transfers(question: &Question) -> Result<(), Error> {
    if matches!(question.rtype, RecordType::AXFR | RecordType::IXFR) {
        return Err(Error::Usage(format!(
            "zone transfers ({}) are not supported; use dig or kdig for them",
            rrtype::type_text(question.rtype)
        )));
    }
    Ok(())
}

impl Options {
    fn defaults() -> Self {
        Options {
            display: Display {
                cmd: true,
                comments: true,
                question: true,
                answer: true,
                authority: true,
                additional: true,
                stats: true,
                ttlid: true,
                ttlunits: false,
                class: true,
                names: NameStyle::default(),
                colour: false,
            },
            flags: QueryFlags {
                recurse: true,
                checking_disabled: false,
                authentic_data: true,
                edns: None,
            },
            edns_version: Some(0),
            bufsize: DEFAULT_BUFSIZE,
            nsid: false,
            cookie: Some(None),
            subnet: None,
            dnssec: false,
            explicit_edns_users: Vec::new(),
            tcp: false,
            ignore: false,
            short: false,
            json: false,
            search: false,
            trace: false,
            idnout: None,
            timeout: None,
            tries: None,
        }
    }

    fn apply(&mut self, setting: Setting) {
        let d = &mut self.display;
        match setting {
            Setting::Flag(name, on) => match name {
                "short" => self.short = on,
                "json" => self.json = on,
                "tcp" => self.tcp = on,
                "ignore" => self.ignore = on,
                "recurse" => self.flags.recurse = on,
                "dnssec" => {
                    self.dnssec = on;
                    self.mark_edns_user("+dnssec", on);
                }
                "cd" => self.flags.checking_disabled = on,
                "adflag" => self.flags.authentic_data = on,
                "nsid" => {
                    self.nsid = on;
                    self.mark_edns_user("+nsid", on);
                }
                "all" => {
                    d.cmd = on;
                    d.comments = on;
                    d.question = on;
                    d.answer = on;
                    d.authority = on;
                    d.additional = on;
                    d.stats = on;
                }
                "question" => d.question = on,
                "answer" => d.answer = on,
                "authority" => d.authority = on,
                "additional" => d.additional = on,
                "comments" => d.comments = on,
                "stats" => d.stats = on,
                "cmd" => d.cmd = on,
                "ttlid" => d.ttlid = on,
                "ttlunits" => d.ttlunits = on,
                "class" => d.class = on,
                "idnout" => self.idnout = Some(on),
                "search" => self.search = on,
                "trace" => self.trace = on,
                other => unreachable!("+{other} is in the option table but not applied"),
            },
            // RFC 6891 §6.2.5: a requestor's size below 512 is treated as 512.
            Setting::BufSize(size) => self.bufsize = size.max(512),
            Setting::Edns(version) => self.edns_version = version,
            Setting::Cookie(cookie) => {
                self.mark_edns_user("+cookie", matches!(cookie, Some(Some(_))));
                self.cookie = cookie;
            }
            Setting::Subnet(subnet) => {
                self.mark_edns_user("+subnet", subnet.is_some());
                self.subnet = subnet;
            }
            Setting::Timeout(secs) => self.timeout = Some(Duration::from_secs(secs)),
            Setting::Tries(n) => self.tries = Some(n),
        }
    }

    fn mark_edns_user(&mut self, option: &'static str, on: bool) {
        self.explicit_edns_users.retain(|o| *o != option);
        if on {
            self.explicit_edns_users.push(option);
        }
    }

    fn merge_flags(&mut self, cli: &Cli) {
        self.json |= cli.json;
        self.short |= cli.short;
        self.tcp |= cli.tcp;
    }

    fn format(&self) -> Result<Format, Error> {
        match (self.json, self.short) {
            (true, true) => Err(Error::Usage(
                "+short (--short) and +json (--json) cannot be combined: pick one output format".to_owned(),
            )),
            (true, false) => Ok(Format::Json),
            (false, true) => Ok(Format::Short),
            (false, false) => Ok(Format::Text),
        }
    }

    fn query_flags(&self) -> Result<QueryFlags, Error> {
        let mut flags = self.flags.clone();
        let Some(version) = self.edns_version else {
            if let Some(option) = self.explicit_edns_users.first() {
                return Err(Error::Usage(format!(
                    "{option} needs EDNS, but +noedns was given"
                )));
            }
            return Ok(flags);
        };
        let cookie = match &self.cookie {
            None => None,
            Some(Some(bytes)) => Some(bytes.clone()),
            Some(None) => Some(crate::dns::random::u64().to_be_bytes().to_vec()),
        };
        flags.edns = Some(EdnsSettings {
            version,
            udp_size: self.bufsize,
            dnssec_ok: self.dnssec,
            nsid: self.nsid,
            cookie,
            subnet: self.subnet,
        });
        Ok(flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::io;
    use std::path::Path;

    #[derive(Default)]
    struct Fixed {
        vars: HashMap<&'static str, &'static str>,
        terminal: bool,
        files: HashMap<PathBuf, &'static str>,
    }

    impl Env for Fixed {
        fn var(&self, key: &str) -> Option<String> {
            self.vars.get(key).map(|v| (*v).to_owned())
        }
        fn stdout_is_terminal(&self) -> bool {
            self.terminal
        }
        fn read_file(&self, path: &Path) -> io::Result<String> {
            self.files
                .get(path)
                .map(|t| (*t).to_owned())
                .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
        }
        fn lookup_host(&self, host: &str) -> io::Result<Vec<IpAddr>> {
            match host {
                "ns.lab" => Ok(vec!["127.0.0.9".parse().unwrap(), "::1".parse().unwrap()]),
                _ => Err(io::Error::other("no such host")),
            }
        }
    }

    fn env() -> Fixed {
        let mut env = Fixed::default();
        env.files.insert(
            PathBuf::from("/lab/resolv.conf"),
            "nameserver 127.0.0.7\nsearch corp.test\noptions timeout:2 attempts:4\n",
        );
        env
    }

    fn plan_with(env: &Fixed, words: &[&str]) -> Result<Plan, Error> {
        let mut args = vec![
            "dnscope".to_owned(),
            "--resolv-conf".to_owned(),
            "/lab/resolv.conf".to_owned(),
        ];
        args.extend(words.iter().map(|w| (*w).to_owned()));
        match build(&args, env)? {
            Request::Run(plan) => Ok(*plan),
            Request::Print(text) => panic!("unexpected print: {text}"),
            Request::Check(args) => panic!("unexpected check: {args:?}"),
            Request::Batch(batch) => panic!("unexpected batch: {batch:?}"),
        }
    }

    fn plan(words: &[&str]) -> Plan {
        plan_with(&env(), words).unwrap()
    }

    fn usage_error(words: &[&str]) -> String {
        match plan_with(&env(), words) {
            Err(Error::Usage(message)) => message,
            other => panic!("expected a usage error for {words:?}, got {other:?}"),
        }
    }

    fn questions(plan: &Plan) -> Vec<String> {
        plan.lookups
            .iter()
            .map(|l| {
                let q = &l.candidates[0];
                format!(
                    "{} {} {}",
                    names::format(&q.name, NameStyle::default()),
                    rrtype::type_text(q.rtype),
                    rrtype::class_text(q.class)
                )
            })
            .collect()
    }

    #[test]
    fn free_form_words_as_in_dig() {
        let p = plan(&["a.test", "A", "b.test", "MX", "CH", "@127.0.0.1"]);
        assert_eq!(questions(&p), ["a.test. A IN", "b.test. MX CH"]);
        assert_eq!(questions(&plan(&["mx", "example.test"])), ["example.test. MX IN"]);
        assert_eq!(questions(&plan(&["mx."])), ["mx. A IN"]);
        assert_eq!(questions(&plan(&[])), [". NS IN"]);
        assert_eq!(
            questions(&plan(&["-t", "AAAA", "a.test", "b.test", "TXT"])),
            ["a.test. AAAA IN", "b.test. TXT IN"]
        );
        assert_eq!(
            questions(&plan(&["-x", "192.0.2.1"])),
            ["1.2.0.192.in-addr.arpa. PTR IN"]
        );
        assert_eq!(questions(&plan(&["a.test", "-x", "::1"])).len(), 2);
        assert_eq!(
            questions(&plan(&["a.test", "TYPE65534"])),
            ["a.test. TYPE65534 IN"]
        );
    }

    #[test]
    fn servers_from_words_flags_and_resolv_conf() {
        let p = plan(&["a.test", "@127.0.0.2", "-p", "5353"]);
        assert_eq!(p.servers.addresses, ["127.0.0.2:5353".parse().unwrap()]);
        let p = plan(&["a.test", "@127.0.0.2#5300"]);
        assert_eq!(p.servers.addresses, ["127.0.0.2:5300".parse().unwrap()]);
        let p = plan(&["a.test", "@::1"]);
        assert_eq!(p.servers.addresses, ["[::1]:53".parse().unwrap()]);
        let p = plan(&["a.test", "@ns.lab", "-4"]);
        assert_eq!(p.servers.addresses, ["127.0.0.9:53".parse().unwrap()]);
        let p = plan(&["a.test"]);
        assert_eq!(p.servers.addresses, ["127.0.0.7:53".parse().unwrap()]);
        assert_eq!(p.transport.timeout, Duration::from_secs(2));
        assert_eq!(p.transport.tries, 4);
    }

    #[test]
    fn flags_override_resolv_conf() {
        let p = plan(&["a.test", "+timeout=3", "+tries=1"]);
        assert_eq!(
            (p.transport.timeout, p.transport.tries),
            (Duration::from_secs(3), 1)
        );
        let p = plan(&["a.test", "+timeout=3", "--timeout", "250ms", "--tries", "2"]);
        assert_eq!(
            (p.transport.timeout, p.transport.tries),
            (Duration::from_millis(250), 2)
        );
    }

    #[test]
    fn search_list_only_with_plus_search() {
        let p = plan(&["www", "+search"]);
        let names: Vec<String> = p.lookups[0]
            .candidates
            .iter()
            .map(|q| names::format(&q.name, NameStyle::default()))
            .collect();
        assert_eq!(names, ["www.corp.test.", "www."]);
        assert_eq!(plan(&["www"]).lookups[0].candidates.len(), 1);
    }

    #[test]
    fn query_flags_and_edns() {
        let p = plan(&[
            "a.test",
            "+norecurse",
            "+dnssec",
            "+nsid",
            "+bufsize=100",
            "+cookie=0102030405060708",
            "+cd",
        ]);
        assert!(!p.flags.recurse && p.flags.checking_disabled);
        let edns = p.flags.edns.unwrap();
        assert!(edns.dnssec_ok && edns.nsid);
        assert_eq!(edns.udp_size, 512);
        assert_eq!(edns.cookie, Some(vec![1, 2, 3, 4, 5, 6, 7, 8]));
        let plain = plan(&["a.test", "+noedns"]);
        assert!(plain.flags.edns.is_none());
        let default = plan(&["a.test"]).flags.edns.unwrap();
        assert_eq!(default.udp_size, 1232);
        assert_eq!(default.cookie.map(|c| c.len()), Some(8));
    }

    #[test]
    fn display_options_apply_in_order() {
        let d = plan(&["a.test", "+noall", "+answer"]).display;
        assert!(d.answer && !d.question && !d.stats && !d.cmd);
        let d = plan(&["a.test", "+answer", "+noall"]).display;
        assert!(!d.answer);
    }

    #[test]
    fn colour_rules() {
        let colour = |vars: &[(&'static str, &'static str)], terminal: bool, extra: &[&str]| {
            let mut e = env();
            e.terminal = terminal;
            e.vars = vars.iter().copied().collect();
            let mut words = vec!["a.test"];
            words.extend(extra);
            plan_with(&e, &words).unwrap().display.colour
        };
        assert!(colour(&[], true, &[]));
        assert!(!colour(&[], false, &[]));
        assert!(!colour(&[("NO_COLOR", "1")], true, &[]));
        assert!(colour(&[("NO_COLOR", "")], true, &[]));
        assert!(colour(&[("CLICOLOR_FORCE", "1")], false, &[]));
        assert!(!colour(&[("CLICOLOR_FORCE", "0")], false, &[]));
        assert!(!colour(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], false, &[]));
        assert!(colour(&[("NO_COLOR", "1")], false, &["--color", "always"]));
        assert!(!colour(&[], true, &["--color", "never"]));
        assert!(!colour(&[], true, &["--json"]));
    }

    #[test]
    fn idn_output_follows_the_terminal() {
        let mut e = env();
        e.terminal = true;
        assert!(plan_with(&e, &["a.test"]).unwrap().display.names.unicode);
        assert!(
            !plan_with(&e, &["a.test", "+noidnout"])
                .unwrap()
                .display
                .names
                .unicode
        );
        assert!(!plan(&["a.test"]).display.names.unicode);
        assert!(plan(&["a.test", "+idnout"]).display.names.unicode);
    }

    #[test]
    fn trace_mode() {
        let mut e = env();
        e.files.insert(
            PathBuf::from("/lab/hints"),
            ". NS a.root.lab.\na.root.lab. A 127.0.0.10\n",
        );
        let p = plan_with(
            &e,
            &[
                "+trace",
                "www.example.test",
                "--root-hints",
                "/lab/hints",
                "-p",
                "5300",
            ],
        )
        .unwrap();
        let Mode::Trace(t) = &p.mode else {
            panic!("{:?}", p.mode)
        };
        assert_eq!(t.hints.len(), 1);
        assert_eq!(
            (t.port, t.prime_from.as_ref(), t.family),
            (5300, None, Family::Any)
        );
        assert_eq!((p.transport.timeout, p.transport.tries), (TRACE_TIMEOUT, 1));
        let p = plan_with(
            &e,
            &["--trace", "www.example.test", "@::1", "-6", "--timeout", "2s"],
        )
        .unwrap();
        let Mode::Trace(t) = &p.mode else { panic!() };
        assert_eq!(t.hints.len(), 13, "embedded hints");
        assert_eq!(t.prime_from.as_deref(), Some(&["[::1]:53".parse().unwrap()][..]));
        assert_eq!(
            (t.family, p.transport.timeout),
            (Family::V6, Duration::from_secs(2))
        );
        assert_eq!(plan(&["a.test"]).mode, Mode::Direct);
        // Without @server a trace needs no resolv.conf at all.
        assert!(plan_with(&Fixed::default(), &["+trace", "a.test"]).is_ok());
    }

    #[test]
    fn plain_batch_lines_read_like_the_planner_reads_them() {
        let e = env();
        let base = plan_with(&e, &["@127.0.0.1", "-t", "AAAA", "x"]).unwrap();
        let words = |text: &'static str| text.split_whitespace().collect::<Vec<_>>();
        for line in [
            "www.example.test",
            "www.example.test MX",
            "mx. TXT CH",
            "a.test TYPE65534",
        ] {
            let fast = plain_question(&base, &words(line)).unwrap();
            let mut full = vec!["@127.0.0.1", "-t", "AAAA"];
            full.extend(line.split_whitespace());
            let slow = plan_with(&e, &full)
                .unwrap()
                .lookups
                .remove(0)
                .candidates
                .remove(0);
            assert_eq!(fast, slow, "{line}");
        }
        for line in [
            "mx",
            "a.test +short",
            "@ns a.test",
            "a.test MX CH extra",
            "a.test bogus",
            "a.test AXFR",
            "a..b",
            "a.test -t MX",
        ] {
            assert_eq!(plain_question(&base, &words(line)), None, "{line}");
        }
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        assert!(usage_error(&["a.test", "+bogus"]).contains("'+bogus'"));
        assert!(usage_error(&["-t", "BOGUS", "a.test"]).contains("'BOGUS'"));
        assert!(usage_error(&["-x", "not-an-ip"]).contains("not-an-ip"));
        assert!(usage_error(&[&"a".repeat(64)]).contains("63"));
        assert!(usage_error(&["a.test", "+short", "--json"]).contains("cannot be combined"));
        assert!(usage_error(&["a.test", "+noedns", "+nsid"]).contains("+nsid needs EDNS"));
        assert!(usage_error(&["a.test", "@nowhere.invalid"]).contains("cannot resolve server"));
        assert!(usage_error(&["a.test", "@::1", "-4"]).contains("no IPv4 address"));
        assert!(usage_error(&["a.test", "AXFR"]).contains("zone transfers"));
        assert!(usage_error(&["a.test", "--timeout", "0s"]).contains("longer than zero"));
        assert!(usage_error(&["a.test", "--bogus"]).contains("--bogus"));
        assert!(usage_error(&["a.test", "-4", "-6"]).contains("cannot be used with"));
        assert!(usage_error(&["a.test", "--root-hints", "/lab/hints"]).contains("only applies to +trace"));
        assert!(usage_error(&["a.test", "--expect", "ttl<=3x0"]).contains("at column 7"));
        assert_eq!(
            plan(&["a.test", "--expect", "A=192.0.2.1", "--expect", "ttl<=60"])
                .expectations
                .len(),
            2
        );
        assert!(
            usage_error(&["+trace", "a.test", "--root-hints", "/nope"])
                .contains("cannot read --root-hints /nope")
        );
        assert!(usage_error(&["+trace", "a.test", "--root-hints", "/lab/resolv.conf"]).contains("line 1"));
        let missing = plan_with(&Fixed::default(), &["a.test"]).unwrap_err();
        assert!(missing.to_string().contains("/lab/resolv.conf"), "{missing}");
    }
}
