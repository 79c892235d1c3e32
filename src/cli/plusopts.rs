//! dig's `+option` words.
//!
//! Each option is a row of [`OPTIONS`]: its name, whether it has a `+no` form, what
//! value it takes, and its help line (the man page's +OPTIONS section is generated from
//! the same table). As in dig, an option may be shortened to any unique prefix
//! (`+sh` is `+short`), and `+noall +answer` works because options apply in order.

use std::net::IpAddr;

/// What an option's value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// No value.
    None,
    /// A value is required (`+bufsize=1232`).
    Required(&'static str),
    /// A value may follow (`+edns` or `+edns=0`).
    Optional(&'static str),
}

/// One row of the option table.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The name after `+`.
    pub name: &'static str,
    /// Whether `+noNAME` exists.
    pub negatable: bool,
    /// Its value.
    pub value: Value,
    /// One line of help.
    pub help: &'static str,
}

const fn flag(name: &'static str, help: &'static str) -> Spec {
    Spec {
        name,
        negatable: true,
        value: Value::None,
        help,
    }
}

/// Every `+option`, in the order the man page lists them.
pub const OPTIONS: &[Spec] = &[
    flag("short", "print only the answer data, one record per line"),
    flag("json", "print JSON, one object per query per line"),
    flag(
        "yaml",
        "print each reply in dig's YAML form (direct queries), for scripts written against dig +yaml",
    ),
    flag(
        "trace",
        "walk the delegation chain from the root hints (RD=0), following CNAMEs to the end",
    ),
    flag(
        "nsall",
        "with +trace: ask every address of every name server of each zone cut at once, and show each reply",
    ),
    flag(
        "lifecycle",
        "the name's whole path as a browser's lookup takes it: nsswitch and the hosts file, each resolver (its answer and the age of its cached copy), the authority by a trace, +connect, and a verdict",
    ),
    Spec {
        name: "connect",
        negatable: true,
        value: Value::Optional("PORT"),
        help: "with +lifecycle: a TCP connect to each address of the answer, on PORT (default 443)",
    },
    flag(
        "nssearch",
        "the SOA of the zone from every one of its name servers, one line each, as dig prints it (a +trace +nsall for ZONE SOA, with its findings)",
    ),
    flag(
        "tcpcheck",
        "with +trace +nsall: ask each server the zone's SOA over TCP too, and report a server that does not answer over TCP",
    ),
    flag("tcp", "query over TCP (also +vc)"),
    flag(
        "tls",
        "query over TLS, DNS over TLS (RFC 7858), port 853 unless -p; the certificate is verified (also @tls://SERVER[:PORT])",
    ),
    Spec {
        name: "https",
        negatable: true,
        value: Value::Optional("PATH"),
        help: "query over HTTPS, DNS over HTTPS (RFC 8484) on HTTP/2, port 443 unless -p, at PATH (default /dns-query); TLS as with +tls (also @https://SERVER[:PORT][/PATH])",
    },
    flag("https-get", "with +https: send the query as ?dns= in a GET"),
    flag(
        "https-post",
        "with +https: send the query as the body of a POST (the default)",
    ),
    Spec {
        name: "tls-ca",
        negatable: true,
        value: Value::Optional("FILE"),
        help: "with +tls: verify the certificate against the CAs of PEM FILE instead of the system's roots (+tls-ca alone: the system's roots, the default)",
    },
    Spec {
        name: "tls-hostname",
        negatable: false,
        value: Value::Required("NAME"),
        help: "with +tls: the name to verify in the certificate and send as SNI (default: the server's host name, or its IP address)",
    },
    flag(
        "tls-verify",
        "with +tls: verify the server's certificate (default on); +notls-verify accepts any, with a warning",
    ),
    flag("tls-insecure", "same as +notls-verify"),
    flag(
        "padding",
        "pad queries to a multiple of 128 bytes with the EDNS Padding option (RFC 7830, RFC 8467); default on over TLS",
    ),
    flag("vc", "same as +tcp"),
    flag(
        "ignore",
        "keep a truncated UDP reply instead of retrying over TCP",
    ),
    flag("recurse", "set RD, ask the server to recurse (default on)"),
    flag("dnssec", "set the DNSSEC OK bit (DO) and show DNSSEC records"),
    flag("cd", "set CD, checking disabled (also +cdflag)"),
    flag("cdflag", "same as +cd"),
    flag("adflag", "set AD in the query (default on, as in dig)"),
    Spec {
        name: "bufsize",
        negatable: false,
        value: Value::Required("N"),
        help: "advertise an EDNS UDP buffer of N bytes (default 1232, at least 512)",
    },
    Spec {
        name: "edns",
        negatable: true,
        value: Value::Optional("VERSION"),
        help: "send EDNS, of version VERSION (default on, version 0); +noedns sends a plain query",
    },
    flag("nsid", "ask for the server's name server identifier (NSID)"),
    flag("expire", "ask for the zone's EXPIRE timer (RFC 7314 EDNS option)"),
    flag(
        "keepalive",
        "ask for the server's TCP idle timeout (RFC 7828 EDNS TCP keepalive option)",
    ),
    Spec {
        name: "ednsopt",
        negatable: true,
        value: Value::Required("CODE[:HEX]"),
        help: "send the EDNS option CODE (a number, or NSID, EXPIRE, COOKIE, KEEPALIVE, PADDING, CHAIN, ...) with the value HEX; repeatable; +noednsopt drops them",
    },
    Spec {
        name: "ednsflags",
        negatable: true,
        value: Value::Required("N"),
        help: "set the must-be-zero EDNS flag bits to N (decimal, 0x hex or 0 octal; the DO bit is +dnssec)",
    },
    Spec {
        name: "opcode",
        negatable: true,
        value: Value::Required("N"),
        help: "send the query with opcode N: QUERY, IQUERY, STATUS, NOTIFY, UPDATE or 0 to 15 (+noopcode: QUERY)",
    },
    flag("zflag", "set the reserved Z bit of the query's header"),
    flag(
        "header-only",
        "send a query with a header and no question section",
    ),
    Spec {
        name: "cookie",
        negatable: true,
        value: Value::Optional("HEX"),
        help: "send a DNS COOKIE, random or this client+server cookie in hex (default on)",
    },
    Spec {
        name: "subnet",
        negatable: true,
        value: Value::Required("ADDR/LEN"),
        help: "send EDNS Client Subnet for ADDR/LEN",
    },
    Spec {
        name: "timeout",
        negatable: false,
        value: Value::Required("SECONDS"),
        help: "wait SECONDS for each reply (default 5)",
    },
    Spec {
        name: "tracetime",
        negatable: false,
        value: Value::Required("SECONDS"),
        help: "with +trace: stop the whole trace after SECONDS (default 10, at most 3600)",
    },
    Spec {
        name: "tries",
        negatable: false,
        value: Value::Required("N"),
        help: "make N attempts per server (default 3)",
    },
    Spec {
        name: "retry",
        negatable: false,
        value: Value::Required("N"),
        help: "retry N times per server: +tries=N+1",
    },
    flag("all", "turn every display section and comment on or off"),
    flag("question", "show the question section"),
    flag("answer", "show the answer section"),
    flag("authority", "show the authority section"),
    flag("additional", "show the additional section"),
    flag(
        "comments",
        "show headers, the OPT pseudo-section and section titles",
    ),
    flag(
        "stats",
        "show query time, server, time of day, size, attempts and ignored replies",
    ),
    flag("cmd", "show the first line naming the version and the query"),
    flag(
        "qr",
        "show the query as it was sent, before the reply (JSON: sent)",
    ),
    flag(
        "identify",
        "with +short: follow each record with the server that answered and the time (\"from server ADDR in N ms.\")",
    ),
    flag("ttlid", "show TTLs"),
    flag(
        "multiline",
        "write SOA, DNSKEY, RRSIG, DS and other long records as dig's commented multi-line form",
    ),
    flag(
        "rrcomments",
        "comment records as dig does (a DNSKEY's role, algorithm and key tag; the SOA's field names with +multiline); default on with +multiline",
    ),
    Spec {
        name: "split",
        negatable: true,
        value: Value::Required("N"),
        help: "cut base64 and hex fields (keys, signatures, digests) into chunks of N characters, rounded up to a multiple of 4; +nosplit or 0 never (default: 44 with +multiline, else none)",
    },
    flag(
        "unknownformat",
        "show every record's data in RFC 3597 form (\\# LENGTH HEX), known types too",
    ),
    flag(
        "onesoa",
        "with AXFR: print the zone's SOA once, not again at the end",
    ),
    flag("ttlunits", "show TTLs as durations (1h5m)"),
    flag("class", "show the class of each record"),
    flag(
        "idnout",
        "show internationalised names in Unicode (default on a terminal)",
    ),
    flag(
        "search",
        "try the resolv.conf search list for names without a final dot",
    ),
];

/// An option as the user set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Setting {
    /// A yes/no option.
    Flag(&'static str, bool),
    /// `+bufsize=N`.
    BufSize(u16),
    /// `+edns[=N]` (`Some`) or `+noedns` (`None`).
    Edns(Option<u8>),
    /// `+cookie[=HEX]`, `+nocookie`.
    Cookie(Option<Option<Vec<u8>>>),
    /// `+subnet=ADDR/LEN`, `+nosubnet`.
    Subnet(Option<(IpAddr, u8)>),
    /// `+timeout=SECONDS`.
    Timeout(u64),
    /// `+tracetime=SECONDS`.
    TraceTime(u64),
    /// `+tries=N` (`+retry=N` gives N+1).
    Tries(u32),
    /// `+connect[=PORT]` (`Some`), `+noconnect` (`None`).
    Connect(Option<u16>),
    /// `+tls-ca[=FILE]` (`Some`, with the file), `+notls-ca` (`None`).
    TlsCa(Option<Option<String>>),
    /// `+tls-hostname=NAME`.
    TlsHostname(String),
    /// `+https[=PATH]` (`Some`), `+nohttps` (`None`).
    Https(Option<String>),
    /// `+ednsopt=CODE[:HEX]` (`Some`), `+noednsopt` (`None`: drop them all).
    EdnsOpt(Option<(u16, Vec<u8>)>),
    /// `+ednsflags=N`.
    EdnsFlags(u16),
    /// `+opcode=N`.
    Opcode(u8),
    /// `+split=N`, `+nosplit` (0).
    Split(usize),
}

/// Parses one `+word` (with its leading `+`).
///
/// # Errors
/// A message naming the option when it is unknown, ambiguous or its value is malformed.
pub(crate) fn parse(word: &str) -> Result<Setting, String> {
    let body = word.strip_prefix('+').unwrap_or(word);
    let (key, value) = match body.split_once('=') {
        Some((k, v)) => (k, Some(v)),
        None => (body, None),
    };
    let lower = key.to_ascii_lowercase();
    let (spec, on) = find(&lower).map_err(|matches| match matches.as_slice() {
        [] => format!("unknown option '{word}'"),
        many => format!("ambiguous option '{word}': {}", many.join(", ")),
    })?;
    let bad = |why: &str| format!("bad value in '{word}': {why}");
    match (spec.value, value, on) {
        (Value::None, Some(_), _) => Err(format!("option '+{}' takes no value ('{word}')", spec.name)),
        (Value::Required(_), None, true) => Err(format!(
            "option '+{}' needs a value: +{}={}",
            spec.name,
            spec.name,
            value_name(spec)
        )),
        (_, Some(_), false) => Err(format!("'+no{}' takes no value ('{word}')", spec.name)),
        _ => setting(spec, value, on).map_err(|why| bad(&why)),
    }
}

fn value_name(spec: &Spec) -> &'static str {
    match spec.value {
        Value::Required(v) | Value::Optional(v) => v,
        Value::None => "",
    }
}

/// The spec named by `key`, exactly or as a unique prefix, with or without `no`;
/// otherwise every option it could abbreviate (none when it is unknown).
fn find(key: &str) -> Result<(&'static Spec, bool), Vec<String>> {
    let negated = key.strip_prefix("no").filter(|rest| !rest.is_empty());
    let positive = OPTIONS
        .iter()
        .filter(|s| s.name.starts_with(key))
        .map(|s| (s, true));
    let negative = OPTIONS
        .iter()
        .filter(|s| s.negatable && negated.is_some_and(|rest| s.name.starts_with(rest)))
        .map(|s| (s, false));
    let found: Vec<(&'static Spec, bool)> = positive.chain(negative).collect();
    let exact = found.iter().find(|(s, on)| {
        if *on {
            s.name == key
        } else {
            Some(s.name) == negated
        }
    });
    match (exact, found.as_slice()) {
        (Some(&hit), _) | (None, &[hit]) => Ok(hit),
        _ => Err(found
            .iter()
            .map(|(s, on)| format!("+{}{}", if *on { "" } else { "no" }, s.name))
            .collect()),
    }
}

fn setting(spec: &'static Spec, value: Option<&str>, on: bool) -> Result<Setting, String> {
    Ok(match spec.name {
        "bufsize" => Setting::BufSize(number(value, "a size from 0 to 65535")?),
        "edns" if !on => Setting::Edns(None),
        "edns" => Setting::Edns(Some(
            value.map_or(Ok(0), |v| number(Some(v), "a version from 0 to 255"))?,
        )),
        "cookie" if !on => Setting::Cookie(None),
        "cookie" => Setting::Cookie(Some(value.map(cookie).transpose()?)),
        "subnet" if !on => Setting::Subnet(None),
        "subnet" => Setting::Subnet(Some(subnet(value.unwrap_or_default())?)),
        "timeout" => Setting::Timeout(number::<u64>(value, "whole seconds")?.max(1)),
        "tracetime" => Setting::TraceTime(number::<u64>(value, "whole seconds")?),
        "tries" => Setting::Tries(number::<u32>(value, "a count")?.max(1)),
        "retry" => Setting::Tries(number::<u32>(value, "a count")?.saturating_add(1)),
        "connect" if !on => Setting::Connect(None),
        "connect" => Setting::Connect(Some(
            value.map_or(Ok(443), |v| number(Some(v), "a port from 1 to 65535"))?,
        )),
        "vc" => Setting::Flag("tcp", on),
        "tls-insecure" => Setting::Flag("tls-verify", !on),
        "https-post" => Setting::Flag("https-get", !on),
        "ednsopt" if !on => Setting::EdnsOpt(None),
        "ednsopt" => Setting::EdnsOpt(Some(edns_option(value.unwrap_or_default())?)),
        "ednsflags" if !on => Setting::EdnsFlags(0),
        "ednsflags" => Setting::EdnsFlags(
            integer(value.unwrap_or_default())
                .and_then(|n| u16::try_from(n).ok())
                .filter(|&n| n < 0x8000)
                .ok_or("expected flag bits from 0 to 0x7fff (the top bit is DO: +dnssec)")?,
        ),
        "split" if !on => Setting::Split(0),
        "split" => Setting::Split(number(value, "a width in characters")?),
        "opcode" if !on => Setting::Opcode(0),
        "opcode" => Setting::Opcode(opcode(value.unwrap_or_default())?),
        "https" if !on => Setting::Https(None),
        "https" => Setting::Https(Some(value.unwrap_or("/dns-query").to_owned())),
        "tls-ca" if !on => Setting::TlsCa(None),
        "tls-ca" => Setting::TlsCa(Some(value.map(str::to_owned))),
        "tls-hostname" => Setting::TlsHostname(value.unwrap_or_default().to_owned()),
        "cdflag" => Setting::Flag("cd", on),
        name => Setting::Flag(name, on),
    })
}

/// A number as dig reads one: decimal, `0x` hex or `0` octal.
fn integer(text: &str) -> Option<u32> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if text.len() > 1
        && let Some(octal) = text.strip_prefix('0')
    {
        u32::from_str_radix(octal, 8).ok()
    } else {
        text.parse().ok()
    }
}

/// `CODE[:HEX]`: a number or an option's name, and its value in hex.
fn edns_option(text: &str) -> Result<(u16, Vec<u8>), String> {
    let (code, hex) = text.split_once(':').unwrap_or((text, ""));
    let names = [
        ("LLQ", 1),
        ("UL", 2),
        ("NSID", 3),
        ("DAU", 5),
        ("DHU", 6),
        ("N3U", 7),
        ("ECS", 8),
        ("CLIENT-SUBNET", 8),
        ("EXPIRE", 9),
        ("COOKIE", 10),
        ("KEEPALIVE", 11),
        ("TCP-KEEPALIVE", 11),
        ("PADDING", 12),
        ("CHAIN", 13),
        ("KEY-TAG", 14),
        ("EDE", 15),
    ];
    let code = names
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(code))
        .map(|(_, n)| *n)
        .or_else(|| integer(code).and_then(|n| u16::try_from(n).ok()))
        .ok_or_else(|| format!("expected an option code from 0 to 65535 or a name, not '{code}'"))?;
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(hex.as_bytes())
        .map_err(|_| format!("expected the value in hex digits, not '{hex}'"))?;
    Ok((code, bytes))
}

/// An opcode by its name (RFC 1035, RFC 1996, RFC 2136) or number.
fn opcode(text: &str) -> Result<u8, String> {
    let named = [
        ("QUERY", 0),
        ("IQUERY", 1),
        ("STATUS", 2),
        ("NOTIFY", 4),
        ("UPDATE", 5),
    ];
    named
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(text))
        .map(|(_, n)| *n)
        .or_else(|| {
            integer(text)
                .and_then(|n| u8::try_from(n).ok())
                .filter(|&n| n < 16)
        })
        .ok_or_else(|| "expected QUERY, IQUERY, STATUS, NOTIFY, UPDATE or 0 to 15".to_owned())
}

fn number<T: std::str::FromStr>(value: Option<&str>, what: &str) -> Result<T, String> {
    value
        .unwrap_or_default()
        .parse()
        .map_err(|_| format!("expected {what}"))
}

fn cookie(hex: &str) -> Result<Vec<u8>, String> {
    let bytes = data_encoding::HEXLOWER_PERMISSIVE
        .decode(hex.as_bytes())
        .map_err(|_| "expected hex digits".to_owned())?;
    // RFC 7873 §4: an 8-byte client cookie, then nothing or an 8 to 32-byte server cookie.
    if bytes.len() == 8 || (16..=40).contains(&bytes.len()) {
        Ok(bytes)
    } else {
        Err(format!(
            "a cookie is 8 bytes, or 16 to 40 with the server part; got {}",
            bytes.len()
        ))
    }
}

fn subnet(text: &str) -> Result<(IpAddr, u8), String> {
    let (addr, len) = text.split_once('/').map_or((text, None), |(a, l)| (a, Some(l)));
    let addr: IpAddr = addr
        .parse()
        .map_err(|_| format!("'{addr}' is not an IP address"))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len = match len {
        None => max,
        Some(l) => l
            .parse::<u8>()
            .ok()
            .filter(|&l| l <= max)
            .ok_or_else(|| format!("prefix length must be 0 to {max}"))?,
    };
    Ok((addr, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_negations() {
        assert_eq!(parse("+short"), Ok(Setting::Flag("short", true)));
        assert_eq!(parse("+noshort"), Ok(Setting::Flag("short", false)));
        assert_eq!(parse("+norecurse"), Ok(Setting::Flag("recurse", false)));
        assert_eq!(parse("+vc"), Ok(Setting::Flag("tcp", true)));
        assert_eq!(parse("+NoAll"), Ok(Setting::Flag("all", false)));
    }

    #[test]
    fn unique_prefixes_as_in_dig() {
        assert_eq!(parse("+sh"), Ok(Setting::Flag("short", true)));
        assert_eq!(parse("+noans"), Ok(Setting::Flag("answer", false)));
        assert_eq!(parse("+ttlu"), Ok(Setting::Flag("ttlunits", true)));
        let ambiguous = parse("+a").unwrap_err();
        assert!(
            ambiguous.contains("ambiguous") && ambiguous.contains("+answer"),
            "{ambiguous}"
        );
    }

    #[test]
    fn values() {
        assert_eq!(parse("+bufsize=4096"), Ok(Setting::BufSize(4096)));
        assert_eq!(parse("+edns"), Ok(Setting::Edns(Some(0))));
        assert_eq!(parse("+edns=1"), Ok(Setting::Edns(Some(1))));
        assert_eq!(parse("+noedns"), Ok(Setting::Edns(None)));
        assert_eq!(parse("+timeout=2"), Ok(Setting::Timeout(2)));
        assert_eq!(parse("+retry=1"), Ok(Setting::Tries(2)));
        assert_eq!(
            parse("+subnet=192.0.2.0/24"),
            Ok(Setting::Subnet(Some(("192.0.2.0".parse().unwrap(), 24))))
        );
        assert_eq!(
            parse("+cookie=0102030405060708"),
            Ok(Setting::Cookie(Some(Some(vec![1, 2, 3, 4, 5, 6, 7, 8]))))
        );
        assert_eq!(parse("+cookie"), Ok(Setting::Cookie(Some(None))));
    }

    #[test]
    fn errors_name_the_option() {
        for (word, needle) in [
            ("+bogus", "unknown option '+bogus'"),
            ("+bufsize", "needs a value"),
            ("+bufsize=big", "bad value in '+bufsize=big'"),
            ("+short=1", "takes no value"),
            ("+subnet=1.2.3.4/33", "prefix length"),
            ("+cookie=abc", "bad value"),
            ("+nobufsize", "unknown option"),
        ] {
            let error = parse(word).unwrap_err();
            assert!(error.contains(needle), "{word}: {error}");
        }
    }
}
