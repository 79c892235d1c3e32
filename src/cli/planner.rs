//! The word classifier: dig's free-form words (`@server`, names, types, classes,
//! `+options`) read in order into a [`Plan`], defaults filled in from resolv.conf,
//! colour and format decided.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use hickory_proto::rr::{DNSClass, Name, RecordType};

use crate::cli::args::{Cli, ColorChoice};
use crate::cli::env::Env;
use crate::cli::options::Options;
use crate::cli::plan::{LifecyclePlan, Lookup, Mode, Plan, Servers, TracePlan};
use crate::cli::plusopts;
use crate::cli::resolvconf::{self, ResolvConf};
use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype;
use crate::dns::wire::Question;
use crate::model::exit::Error;
use crate::render::{Display, Format};
use crate::transport::policy::Settings;
use crate::walk::roots::{self, Hint};
use crate::walk::{self, Family};

/// dig's defaults.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// `--resolvers public`: Cloudflare, Google, Quad9 and OpenDNS, the large public
/// resolvers the "has my change propagated?" guides name.
const PUBLIC_RESOLVERS: [[u8; 4]; 4] = [[1, 1, 1, 1], [8, 8, 8, 8], [9, 9, 9, 9], [208, 67, 222, 222]];
const DEFAULT_TRIES: u32 = 3;
/// A trace asks many servers; a dead one should cost little (the next one is tried).
pub(crate) const TRACE_TIMEOUT: Duration = Duration::from_millis(800);
const TRACE_TRIES: u32 = 1;
const DEFAULT_PORT: u16 = 53;
/// RFC 7858 §3.1.
const DOT_PORT: u16 = 853;
const HTTPS_PORT: u16 = 443;
/// The longest wait for one reply: anything longer is a typing mistake, and a bound
/// keeps every deadline far from the clock's limits.
pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(300);
/// The longest wall-clock budget of a trace.
const MAX_TRACE_TIME: Duration = Duration::from_secs(3600);
/// The most attempts per server.
pub(crate) const MAX_TRIES: u32 = 100;
const RESOLV_CONF: &str = "/etc/resolv.conf";

/// A query being assembled from words.
#[derive(Debug, Default)]
struct Pending {
    name: Option<(String, Name)>,
    rtype: Option<RecordType>,
    class: Option<DNSClass>,
}

pub(crate) struct Planner<'a> {
    cli: Cli,
    env: &'a dyn Env,
}

impl<'a> Planner<'a> {
    pub(crate) fn new(cli: Cli, env: &'a dyn Env) -> Self {
        Self { cli, env }
    }

    pub(crate) fn plan(self, args: &[String]) -> Result<Plan, Error> {
        let usage = |m: String| Error::Usage(m);
        let mut options = Options::defaults();
        let mut server_words = Vec::new();
        let mut pending = Pending::default();
        let mut queries: Vec<Pending> = Vec::new();
        let mut ixfr_serial = self.cli.qtype.as_deref().and_then(rrtype::ixfr_serial);

        for word in &self.cli.words {
            if let Some(server) = word.strip_prefix('@') {
                let (scheme, server) = server_url(server)?;
                match scheme {
                    Scheme::Plain => {}
                    Scheme::Tls => options.tls = true,
                    Scheme::Https(path) => options.https = Some(path),
                }
                server_words.push(server);
            } else if word.starts_with('+') {
                options.apply(plusopts::parse(word).map_err(usage)?);
            } else if let Some(rtype) = (!word.ends_with('.')).then(|| rrtype::parse_type(word)).flatten() {
                if pending.rtype.is_some() {
                    queries.push(std::mem::take(&mut pending));
                }
                pending.rtype = Some(rtype);
                ixfr_serial = ixfr_serial.or(rrtype::ixfr_serial(word));
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
        // +nssearch is a trace of ZONE SOA that asks every server of every cut; the
        // lifecycle's authority is a trace too.
        let lifecycle = options.lifecycle || self.cli.lifecycle;
        let trace = options.trace || self.cli.trace || options.nssearch || lifecycle;
        if !lifecycle {
            let given = [
                (options.connect.is_some(), "+connect"),
                (self.cli.hosts.is_some(), "--hosts"),
                (self.cli.nsswitch.is_some(), "--nsswitch"),
                (self.cli.resolvers.is_some(), "--resolvers"),
            ];
            if let Some((_, flag)) = given.iter().find(|(on, _)| *on) {
                return Err(usage(format!("{flag} applies only to +lifecycle")));
            }
        }
        if (self.cli.trust_anchor.is_some() || self.cli.dnssec_time.is_some()) && !(trace && options.dnssec) {
            return Err(usage(
                "--trust-anchor and --dnssec-time apply only to +trace +dnssec (a trace that validates)"
                    .to_owned(),
            ));
        }
        if self.cli.resolvers.is_some() && !server_words.is_empty() {
            return Err(usage("give @servers or --resolvers public, not both".to_owned()));
        }
        if self.cli.root_hints.is_some() && !trace {
            return Err(usage("--root-hints only applies to +trace".to_owned()));
        }
        // The lifecycle asks the system's resolvers unless told which.
        let needs_conf = (server_words.is_empty() && (!trace || lifecycle) && self.cli.resolvers.is_none())
            || options.search;
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
        if options.nssearch {
            // As dig: +nssearch asks for the SOA, whatever type was typed.
            for candidate in lookups.iter_mut().flat_map(|l| l.candidates.iter_mut()) {
                candidate.rtype = RecordType::SOA;
            }
        }
        let transfer = lookups
            .iter()
            .any(|l| matches!(l.candidates[0].rtype, RecordType::AXFR | RecordType::IXFR));
        if transfer {
            check_transfer(&lookups, trace, ixfr_serial)?;
        }

        let source = self.source()?;
        let lifecycle_plan = if lifecycle {
            Some(self.lifecycle(&server_words, &conf, options.connect, source)?)
        } else {
            None
        };
        let servers = if trace && (server_words.is_empty() || lifecycle) {
            Servers {
                label: "root hints".to_owned(),
                addresses: Vec::new(),
            }
        } else {
            self.servers(&server_words, &conf, default_port(&options), source)?
        };
        let flags = options.query_flags()?;
        let (default_timeout, default_tries) = if trace {
            (TRACE_TIMEOUT, TRACE_TRIES)
        } else {
            (DEFAULT_TIMEOUT, DEFAULT_TRIES)
        };
        let transport = Settings {
            // A transfer always goes over TCP (RFC 5936 §4.2).
            tcp: options.tcp || transfer,
            tls: self.tls_settings(&options, &server_words)?,
            source,
            https: options
                .https
                .clone()
                .map(|path| crate::transport::doh::HttpsSettings {
                    path,
                    get: options.https_get,
                }),
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
                prime_from: (!server_words.is_empty() && !lifecycle).then(|| servers.addresses.clone()),
                family: match (self.cli.ipv4, self.cli.ipv6, source) {
                    (true, _, _) => Family::V4,
                    (_, true, _) => Family::V6,
                    (_, _, Some(source)) if source.is_ipv4() => Family::V4,
                    (_, _, Some(_)) => Family::V6,
                    _ => Family::Any,
                },
                port: self.cli.port.unwrap_or(DEFAULT_PORT),
                time: self.trace_time(options.trace_time)?,
                all_servers: self.cli.all_servers || options.all_servers || options.nssearch,
                tcp_check: self.cli.tcp_check || options.tcp_check,
                lifecycle: lifecycle_plan,
                validation: if options.dnssec {
                    Some(self.validation()?)
                } else {
                    None
                },
                strict: self.cli.strict,
            }))
        } else {
            if self.cli.strict {
                return Err(usage("--strict applies only to +trace +nsall".to_owned()));
            }
            if self.cli.tcp_check || options.tcp_check {
                return Err(usage(
                    "+tcpcheck and --tcp-check apply only to +trace +nsall".to_owned(),
                ));
            }
            if self.cli.all_servers || options.all_servers {
                return Err(usage("+nsall and --all-servers apply only to +trace".to_owned()));
            }
            if self.cli.trace_timeout.is_some() || options.trace_time.is_some() {
                return Err(usage(
                    "--trace-timeout and +tracetime apply only to +trace".to_owned(),
                ));
            }
            if transfer {
                Mode::Transfer { serial: ixfr_serial }
            } else {
                Mode::Direct
            }
        };
        if let Mode::Trace(t) = &mode
            && t.strict
            && !t.all_servers
        {
            return Err(usage("--strict applies only to +trace +nsall".to_owned()));
        }
        if let Mode::Trace(t) = &mode
            && t.tcp_check
            && !t.all_servers
        {
            return Err(usage(
                "+tcpcheck and --tcp-check apply only to +trace +nsall".to_owned(),
            ));
        }
        if transport.timeout.is_zero() {
            return Err(usage("--timeout must be longer than zero".to_owned()));
        }
        if transport.timeout > MAX_TIMEOUT {
            return Err(usage(format!(
                "a timeout of {} is longer than the {} maximum (--timeout, +timeout)",
                humantime::format_duration(transport.timeout),
                humantime::format_duration(MAX_TIMEOUT)
            )));
        }
        if transport.tries > MAX_TRIES {
            return Err(usage(format!(
                "{} tries per server is more than the {MAX_TRIES} maximum (--tries, +tries, +retry)",
                transport.tries
            )));
        }
        let display = self.display(options.display, options.idnout, options.unknown_format, format);
        let expectations = self
            .cli
            .expect
            .iter()
            .map(|e| crate::expect::parse(e))
            .collect::<Result<Vec<_>, _>>()
            .map_err(usage)?;
        let diagnosed = matches!(&mode, Mode::Trace(t) if t.all_servers || t.lifecycle.is_some());
        let validating = matches!(&mode, Mode::Trace(t) if t.validation.is_some());
        if let Some(e) = expectations
            .iter()
            .find(|e| matches!(e.check, crate::expect::Check::Dnssec(_)) && !validating)
        {
            return Err(usage(format!(
                "--expect '{}' judges the verdict of a validating trace; add +trace +dnssec",
                e.text
            )));
        }
        if let Some(e) = expectations
            .iter()
            .find(|e| e.check == crate::expect::Check::Ad && matches!(mode, Mode::Trace(_)))
        {
            return Err(usage(format!(
                "--expect '{}' reads the AD bit of a resolver's reply: a direct query, not +trace",
                e.text
            )));
        }
        if let Some(e) = expectations
            .iter()
            .find(|e| e.check.needs_findings() && !diagnosed)
        {
            return Err(usage(format!(
                "--expect '{}' judges the findings of +trace +nsall (or +lifecycle); add them",
                e.text
            )));
        }
        if options.flags.header_only && (trace || transfer) {
            return Err(usage(
                "+header-only sends a query without a question: a direct query, not a trace or a transfer"
                    .to_owned(),
            ));
        }
        if format == Format::Yaml && (trace || transfer) {
            return Err(usage(
                "+yaml writes a direct query's reply as dig does; a trace or a transfer has text or JSON"
                    .to_owned(),
            ));
        }
        if options.encrypted() && (trace || transfer) {
            return Err(usage(
                "+tls and +https ask one server directly; +trace walks with UDP and TCP, and zone transfers over TLS (RFC 9103) are not supported yet"
                    .to_owned(),
            ));
        }
        if options.tls && options.https.is_some() {
            return Err(usage("+tls and +https are two transports: pick one".to_owned()));
        }
        if options.https_get && options.https.is_none() {
            return Err(usage("+https-get applies only to +https".to_owned()));
        }
        if trace && (self.cli.tsig.is_some() || self.cli.tsig_file.is_some()) {
            return Err(usage(
                "-y and -k sign a direct query or a zone transfer; +trace asks servers that do not share the key"
                    .to_owned(),
            ));
        }
        if transfer && let Some(e) = expectations.first() {
            return Err(usage(format!(
                "--expect '{}' judges a query's answer, not a zone transfer",
                e.text
            )));
        }
        Ok(Plan {
            mode,
            expectations,
            lookups,
            servers,
            flags,
            transport,
            tsig: self.tsig_key()?,
            format,
            display,
            command_line: shown_command_line(args),
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

    /// The trace's wall-clock budget: `--trace-timeout`, `+tracetime`, or the default.
    fn trace_time(&self, option: Option<Duration>) -> Result<Duration, Error> {
        let time = self.cli.trace_timeout.or(option).unwrap_or(walk::TRACE_TIME);
        if time.is_zero() {
            return Err(Error::Usage(
                "--trace-timeout must be longer than zero".to_owned(),
            ));
        }
        if time > MAX_TRACE_TIME {
            return Err(Error::Usage(format!(
                "a trace time of {} is longer than the {} maximum (--trace-timeout, +tracetime)",
                humantime::format_duration(time),
                humantime::format_duration(MAX_TRACE_TIME)
            )));
        }
        Ok(time)
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

    /// `+tls`: the name to verify (`+tls-hostname`, else the server's host name when it
    /// was named by one) and the CAs to trust.
    fn tls_settings(
        &self,
        options: &Options,
        server_words: &[String],
    ) -> Result<Option<crate::transport::tls::TlsSettings>, Error> {
        let given = [
            (options.tls_ca.is_some(), "+tls-ca"),
            (options.tls_hostname.is_some(), "+tls-hostname"),
            (!options.tls_verify, "+notls-verify"),
        ];
        if !options.encrypted() {
            return match given.iter().find(|(on, _)| *on) {
                Some((_, option)) => Err(Error::Usage(format!("{option} applies only to +tls and +https"))),
                None => Ok(None),
            };
        }
        let ca = match &options.tls_ca {
            None => None,
            Some(path) => {
                let text = self
                    .env
                    .read_file(std::path::Path::new(path))
                    .map_err(|e| Error::Usage(format!("cannot read +tls-ca {path}: {e}")))?;
                Some(
                    crate::transport::tls::certificates(text.as_bytes())
                        .map_err(|e| Error::Usage(format!("+tls-ca {path}: {e}")))?,
                )
            }
        };
        let host_name = server_words.first().and_then(|word| {
            let host = split_port(word).ok()?.0;
            literal_ip(host).is_none().then(|| host.to_owned())
        });
        Ok(Some(crate::transport::tls::TlsSettings {
            server_name: options.tls_hostname.clone().or(host_name),
            ca,
            verify: options.tls_verify,
        }))
    }

    /// `-b ADDR[#PORT]`.
    fn source(&self) -> Result<Option<SocketAddr>, Error> {
        let Some(word) = &self.cli.source else {
            return Ok(None);
        };
        let bad = || {
            Error::Usage(format!(
                "-b needs a local address, ADDR or ADDR#PORT, not '{word}'"
            ))
        };
        let (host, port) = match word.rsplit_once('#') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad())?),
            None => (word.as_str(), 0),
        };
        let ip = literal_ip(host).ok_or_else(bad)?;
        Ok(Some(SocketAddr::new(ip, port)))
    }

    /// The TSIG key of `-y` or `-k`.
    fn tsig_key(&self) -> Result<Option<crate::dns::tsig::Key>, Error> {
        if let Some(text) = &self.cli.tsig {
            return crate::dns::tsig::from_option(text)
                .map(Some)
                .map_err(Error::Usage);
        }
        let Some(path) = &self.cli.tsig_file else {
            return Ok(None);
        };
        let text = self
            .env
            .read_file(path)
            .map_err(|e| Error::Usage(format!("cannot read the key file {}: {e}", path.display())))?;
        crate::dns::tsig::from_file(&text, &path.display().to_string())
            .map(Some)
            .map_err(Error::Usage)
    }

    /// The trust anchors (`--trust-anchor`, else the root's) and the clock of a
    /// validating trace.
    fn validation(&self) -> Result<walk::Validation, Error> {
        let anchors = match &self.cli.trust_anchor {
            None => vec![(Name::root(), crate::dnssec::anchors::root())],
            Some(path) => {
                let text = self.env.read_file(path).map_err(|e| {
                    Error::Usage(format!("cannot read --trust-anchor {}: {e}", path.display()))
                })?;
                crate::dnssec::anchors::parse(&text)
                    .map_err(|e| Error::Usage(format!("--trust-anchor {}: {e}", path.display())))?
            }
        };
        let when = self.cli.dnssec_time.unwrap_or_else(std::time::SystemTime::now);
        let seconds = when
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Ok(walk::Validation {
            anchors,
            clock: crate::dnssec::verify::Clock {
                // RRSIG times are seconds modulo 2^32 (RFC 4034 §3.1.5).
                now: u32::try_from(seconds % (1 << 32)).unwrap_or_default(),
                skew: crate::dnssec::verify::Clock::SKEW,
            },
        })
    }

    fn lifecycle(
        &self,
        words: &[String],
        conf: &ResolvConf,
        connect: Option<u16>,
        source: Option<SocketAddr>,
    ) -> Result<LifecyclePlan, Error> {
        let resolvers = if self.cli.resolvers.is_some() {
            PUBLIC_RESOLVERS
                .iter()
                .map(|ip| SocketAddr::new(IpAddr::from(*ip), DEFAULT_PORT))
                .collect()
        } else {
            self.servers(words, conf, DEFAULT_PORT, source)?.addresses
        };
        let read = |given: &Option<PathBuf>, default: &str| {
            let path = given.clone().unwrap_or_else(|| PathBuf::from(default));
            let text = self.env.read_file(&path).map_err(|e| e.to_string());
            (path.display().to_string(), text)
        };
        Ok(LifecyclePlan {
            resolvers,
            hosts: read(&self.cli.hosts, "/etc/hosts"),
            nsswitch: read(&self.cli.nsswitch, "/etc/nsswitch.conf"),
            connect,
        })
    }

    fn servers(
        &self,
        words: &[String],
        conf: &ResolvConf,
        default_port: u16,
        source: Option<SocketAddr>,
    ) -> Result<Servers, Error> {
        let port = self.cli.port.unwrap_or(default_port);
        // -b sends from one address: only servers of its family can be asked.
        let (v4_only, v6_only) = match source {
            Some(source) => (source.is_ipv4(), source.is_ipv6()),
            None => (self.cli.ipv4, self.cli.ipv6),
        };
        let family_ok = |ip: &IpAddr| !(v4_only && ip.is_ipv6() || v6_only && ip.is_ipv4());
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
                let ips = match literal_ip(host) {
                    Some(ip) => vec![ip],
                    None if host.is_empty() => {
                        return Err(Error::Usage("'@' needs a server address or name".to_owned()));
                    }
                    None => self
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
            let family = if v4_only { "IPv4" } else { "IPv6" };
            return Err(Error::Usage(format!(
                "no {family} address for the server ({label})"
            )));
        }
        Ok(Servers { label, addresses })
    }

    fn display(&self, mut display: Display, idnout: Option<bool>, rfc3597: bool, format: Format) -> Display {
        let terminal = self.env.stdout_is_terminal();
        display.names = NameStyle {
            unicode: format != Format::Json && idnout.unwrap_or(terminal),
            rfc3597,
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

/// The port of a transport: 53, 853 for DNS over TLS (RFC 7858 §3.1), 443 for HTTPS.
fn default_port(options: &Options) -> u16 {
    if options.https.is_some() {
        HTTPS_PORT
    } else if options.tls {
        DOT_PORT
    } else {
        DEFAULT_PORT
    }
}

/// The transport a server word names by its scheme.
enum Scheme {
    Plain,
    Tls,
    /// With the path, `/dns-query` when none is given.
    Https(String),
}

/// A server word as doggo and q take it, `tls://HOST[:PORT]` or
/// `https://HOST[:PORT][/PATH]`, made dig's `HOST#PORT`, with its transport.
fn server_url(word: &str) -> Result<(Scheme, String), Error> {
    let (scheme, rest) = if let Some(rest) = word.strip_prefix("tls://") {
        (Scheme::Tls, rest.trim_end_matches('/'))
    } else if let Some(rest) = word.strip_prefix("https://") {
        let (host, path) = rest
            .find('/')
            .map_or((rest, "/dns-query"), |at| rest.split_at(at));
        (Scheme::Https(path.to_owned()), host)
    } else if word.contains("://") {
        return Err(Error::Usage(format!(
            "'@{word}': the server schemes are tls:// and https:// (DNS over QUIC is not supported)"
        )));
    } else {
        return Ok((Scheme::Plain, word.to_owned()));
    };
    // [v6]:port, host:port, or a bare host or address.
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && (host.ends_with(']') || !host.contains(':')) => {
            (host, Some(port))
        }
        _ => (rest, None),
    };
    Ok((
        scheme,
        port.map_or_else(|| host.to_owned(), |p| format!("{host}#{p}")),
    ))
}

/// An IPv4 or IPv6 address as typed, brackets allowed (`[::1]`).
fn literal_ip(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

fn split_port(word: &str) -> Result<(&str, Option<u16>), Error> {
    match word.rsplit_once('#') {
        Some((host, port)) => {
            let port = port
                .parse()
                .ok()
                .filter(|&p: &u16| p != 0)
                .ok_or_else(|| Error::Usage(format!("bad port in '@{word}': expected 1 to 65535")))?;
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

/// A transfer is the one query of its command line, asked directly, and an IXFR says
/// which version the client holds.
fn check_transfer(lookups: &[Lookup], trace: bool, ixfr_serial: Option<u32>) -> Result<(), Error> {
    let usage = |m: &str| Err(Error::Usage(m.to_owned()));
    if trace {
        return usage("+trace walks to one answer; a zone transfer (AXFR, IXFR) asks a server directly");
    }
    if lookups.len() > 1 || lookups[0].candidates.len() > 1 {
        return usage("a zone transfer is the only query of its command line (and takes no search list)");
    }
    if lookups[0].candidates[0].rtype == RecordType::IXFR && ixfr_serial.is_none() {
        return usage("IXFR needs the serial the client holds: IXFR=SERIAL, as in dig");
    }
    Ok(())
}

/// The words after the program name as the `cmd` line and a check's report show them,
/// with a TSIG secret (`-y`) hidden: output, logs and CI reports must never hold it.
pub(crate) fn shown_command_line(args: &[String]) -> String {
    let mut shown = Vec::with_capacity(args.len());
    let mut secret_next = false;
    for arg in args.iter().skip(1) {
        let hidden = if secret_next {
            Some(hide_secret(arg))
        } else if let Some(value) = arg.strip_prefix("--tsig=") {
            Some(format!("--tsig={}", hide_secret(value)))
        } else {
            arg.strip_prefix("-y")
                .filter(|v| !v.is_empty())
                .map(|value| format!("-y{}", hide_secret(value)))
        };
        secret_next = arg == "-y" || arg == "--tsig";
        shown.push(hidden.unwrap_or_else(|| arg.clone()));
    }
    shown.join(" ")
}

/// `[hmac:]name:secret` with the secret replaced.
fn hide_secret(value: &str) -> String {
    match value.rsplit_once(':') {
        Some((key, _)) => format!("{key}:(secret hidden)"),
        None => "(secret hidden)".to_owned(),
    }
}
