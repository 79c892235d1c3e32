//! `+options` as they apply, in order, over dig's defaults: the display switches, the
//! query's header bits and EDNS, and the output format.

use std::net::IpAddr;
use std::time::Duration;

use crate::cli::args::Cli;
use crate::cli::plusopts::Setting;
use crate::dns::names::NameStyle;
use crate::dns::wire::{EdnsSettings, QueryFlags};
use crate::model::exit::Error;
use crate::render::{Display, Format};

/// The DNS Flag Day 2020 recommendation, which avoids IP fragmentation.
pub(crate) const DEFAULT_BUFSIZE: u16 = 1232;

/// Option state while `+options` apply in order.
pub(crate) struct Options {
    pub(crate) display: Display,
    pub(crate) flags: QueryFlags,
    pub(crate) edns_version: Option<u8>,
    pub(crate) bufsize: u16,
    pub(crate) nsid: bool,
    pub(crate) expire: bool,
    pub(crate) keepalive: bool,
    /// `+ednsopt` values, in order.
    pub(crate) edns_extra: Vec<(u16, Vec<u8>)>,
    pub(crate) edns_flags: u16,
    pub(crate) cookie: Option<Option<Vec<u8>>>,
    pub(crate) subnet: Option<(IpAddr, u8)>,
    pub(crate) dnssec: bool,
    pub(crate) explicit_edns_users: Vec<&'static str>,
    pub(crate) tcp: bool,
    /// `+tls`, `@tls://`.
    pub(crate) tls: bool,
    /// `+tls-ca=FILE`: the PEM file of the CAs to trust.
    pub(crate) tls_ca: Option<String>,
    pub(crate) tls_hostname: Option<String>,
    pub(crate) tls_verify: bool,
    /// `+https[=PATH]`, `@https://`: the path.
    pub(crate) https: Option<String>,
    /// `+https-get`.
    pub(crate) https_get: bool,
    /// `+[no]padding`; unset, on over TLS.
    pub(crate) padding: Option<bool>,
    pub(crate) ignore: bool,
    pub(crate) short: bool,
    pub(crate) json: bool,
    pub(crate) yaml: bool,
    pub(crate) search: bool,
    pub(crate) trace: bool,
    pub(crate) all_servers: bool,
    pub(crate) tcp_check: bool,
    pub(crate) nssearch: bool,
    pub(crate) lifecycle: bool,
    /// `+connect[=PORT]`.
    pub(crate) connect: Option<u16>,
    pub(crate) idnout: Option<bool>,
    pub(crate) unknown_format: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) trace_time: Option<Duration>,
    pub(crate) tries: Option<u32>,
}

impl Options {
    pub(crate) fn defaults() -> Self {
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
                identify: false,
                onesoa: false,
                qr: false,
                layout: crate::render::multiline::Layout::default(),
                names: NameStyle::default(),
                colour: false,
            },
            flags: QueryFlags {
                recurse: true,
                checking_disabled: false,
                authentic_data: true,
                edns: None,
                z: false,
                opcode: 0,
                header_only: false,
            },
            edns_version: Some(0),
            bufsize: DEFAULT_BUFSIZE,
            nsid: false,
            expire: false,
            keepalive: false,
            edns_extra: Vec::new(),
            edns_flags: 0,
            cookie: Some(None),
            subnet: None,
            dnssec: false,
            explicit_edns_users: Vec::new(),
            tcp: false,
            tls: false,
            tls_ca: None,
            tls_hostname: None,
            tls_verify: true,
            https: None,
            https_get: false,
            padding: None,
            ignore: false,
            short: false,
            json: false,
            yaml: false,
            search: false,
            trace: false,
            idnout: None,
            unknown_format: false,
            timeout: None,
            all_servers: false,
            tcp_check: false,
            nssearch: false,
            lifecycle: false,
            connect: None,
            trace_time: None,
            tries: None,
        }
    }

    pub(crate) fn apply(&mut self, setting: Setting) {
        let d = &mut self.display;
        match setting {
            Setting::Flag(name, on) => match name {
                "short" => self.short = on,
                "json" => self.json = on,
                "yaml" => self.yaml = on,
                "tcp" => self.tcp = on,
                "tls" => self.tls = on,
                "tls-verify" => self.tls_verify = on,
                "https-get" => self.https_get = on,
                "padding" => self.padding = Some(on),
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
                "expire" => {
                    self.expire = on;
                    self.mark_edns_user("+expire", on);
                }
                "keepalive" => {
                    self.keepalive = on;
                    self.mark_edns_user("+keepalive", on);
                }
                "zflag" => self.flags.z = on,
                "header-only" => self.flags.header_only = on,
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
                "identify" => d.identify = on,
                "ttlid" => d.ttlid = on,
                "ttlunits" => d.ttlunits = on,
                "class" => d.class = on,
                "idnout" => self.idnout = Some(on),
                "unknownformat" => self.unknown_format = on,
                "onesoa" => d.onesoa = on,
                "qr" => d.qr = on,
                "multiline" => d.layout.multiline = on,
                "rrcomments" => d.layout.comments = Some(on),
                "search" => self.search = on,
                "trace" => self.trace = on,
                "nsall" => self.all_servers = on,
                "tcpcheck" => self.tcp_check = on,
                "nssearch" => self.nssearch = on,
                "lifecycle" => self.lifecycle = on,
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
            Setting::TraceTime(secs) => self.trace_time = Some(Duration::from_secs(secs)),
            Setting::Tries(n) => self.tries = Some(n),
            Setting::Connect(port) => self.connect = port,
            Setting::TlsCa(file) => self.tls_ca = file.flatten(),
            Setting::TlsHostname(name) => self.tls_hostname = Some(name),
            Setting::Https(path) => self.https = path,
            Setting::EdnsOpt(Some(option)) => {
                self.mark_edns_user("+ednsopt", true);
                self.edns_extra.push(option);
            }
            Setting::EdnsOpt(None) => {
                self.mark_edns_user("+ednsopt", false);
                self.edns_extra.clear();
            }
            Setting::EdnsFlags(bits) => {
                self.mark_edns_user("+ednsflags", bits != 0);
                self.edns_flags = bits;
            }
            Setting::Opcode(opcode) => self.flags.opcode = opcode,
            Setting::Split(width) => self.display.layout.split = Some(width),
        }
    }

    /// Whether queries go over TLS or HTTPS.
    pub(crate) fn encrypted(&self) -> bool {
        self.tls || self.https.is_some()
    }

    fn mark_edns_user(&mut self, option: &'static str, on: bool) {
        self.explicit_edns_users.retain(|o| *o != option);
        if on {
            self.explicit_edns_users.push(option);
        }
    }

    pub(crate) fn merge_flags(&mut self, cli: &Cli) {
        self.json |= cli.json;
        self.short |= cli.short;
        self.tcp |= cli.tcp;
    }

    pub(crate) fn format(&self) -> Result<Format, Error> {
        if self.yaml {
            if self.json || self.short {
                return Err(Error::Usage(
                    "+yaml cannot be combined with +short or +json: pick one output format".to_owned(),
                ));
            }
            return Ok(Format::Yaml);
        }
        match (self.json, self.short) {
            (true, true) => Err(Error::Usage(
                "+short (--short) and +json (--json) cannot be combined: pick one output format".to_owned(),
            )),
            (true, false) => Ok(Format::Json),
            // dig +nssearch prints its own lines, +short or not.
            (false, _) if self.nssearch => Ok(Format::NsSearch),
            (false, true) => Ok(Format::Short),
            (false, false) => Ok(Format::Text),
        }
    }

    pub(crate) fn query_flags(&self) -> Result<QueryFlags, Error> {
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
            padding: self.padding.unwrap_or(self.encrypted()),
            z_flags: self.edns_flags,
            expire: self.expire,
            keepalive: self.keepalive,
            extra: self.edns_extra.clone(),
        });
        Ok(flags)
    }
}
