//! Shell completions and the man page, generated from the clap definition and the
//! `+option` table so they cannot drift from the binary. The committed copies in
//! `completions/` and `man/` are checked against this by `tests/generated.rs`.

use std::fmt::Write as _;

use clap_complete::Shell;

use crate::cli::args::{self, Generate};
use crate::cli::plusopts::{OPTIONS, Value};

/// The text `--generate WHAT` prints.
pub(crate) fn render(what: Generate) -> String {
    match what {
        Generate::Bash => completion(Shell::Bash),
        Generate::Zsh => completion(Shell::Zsh),
        Generate::Fish => completion(Shell::Fish),
        Generate::Powershell => completion(Shell::PowerShell),
        Generate::Elvish => completion(Shell::Elvish),
        Generate::Man => man(),
    }
}

/// Every generated file with its path in the repository.
pub fn files() -> Vec<(&'static str, String)> {
    vec![
        ("completions/dnscope.bash", render(Generate::Bash)),
        ("completions/_dnscope", render(Generate::Zsh)),
        ("completions/dnscope.fish", render(Generate::Fish)),
        ("completions/_dnscope.ps1", render(Generate::Powershell)),
        ("completions/dnscope.elv", render(Generate::Elvish)),
        ("man/dnscope.1", render(Generate::Man)),
        ("man/dnscope-check.1", check_man()),
    ]
}

fn completion(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut args::command(), "dnscope", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn man() -> String {
    let man = clap_mangen::Man::new(args::command());
    let mut out = Vec::new();
    let rendered = man
        .render_title(&mut out)
        .and_then(|()| man.render_name_section(&mut out))
        .and_then(|()| man.render_synopsis_section(&mut out))
        .and_then(|()| man.render_description_section(&mut out))
        .and_then(|()| man.render_options_section(&mut out))
        .and_then(|()| man.render_subcommands_section(&mut out));
    if let Err(e) = rendered {
        return format!(".\\\" cannot render the man page: {e}\n");
    }
    let mut page = String::from_utf8_lossy(&out).into_owned();
    page.push_str(&plus_options_section());
    page.push_str(EXTRA_SECTIONS);
    page
}

/// The page of `dnscope check`, which the main page's SUBCOMMANDS section names.
fn check_man() -> String {
    let Some(check) = args::command().find_subcommand("check").cloned() else {
        return String::new();
    };
    let mut out = Vec::new();
    let page = clap_mangen::Man::new(check.name("dnscope-check").bin_name("dnscope check"));
    if let Err(e) = page.render(&mut out) {
        return format!(".\\\" cannot render the man page: {e}\n");
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.push_str(".SH \"SEE ALSO\"\ndnscope(1), section CHECK FILES\n");
    text
}

/// Escapes text for roff: backslashes, and hyphens so they are not hyphenation points.
fn roff(text: &str) -> String {
    text.replace('\\', "\\e").replace('-', "\\-")
}

fn plus_options_section() -> String {
    let mut s = String::from(".SH \"QUERY OPTIONS\"\n");
    s.push_str(
        "Words starting with \\fB+\\fR set query and display options, as in dig. They apply in the order given \
         (\\fB+noall +answer\\fR shows only the answer), and any unique prefix of a name works (\\fB+sh\\fR is \
         \\fB+short\\fR). An unknown or malformed option is a usage error.\n",
    );
    for spec in OPTIONS {
        let name = match spec.value {
            Value::None => spec.name.to_owned(),
            Value::Required(v) => format!("{}={v}", spec.name),
            Value::Optional(v) => format!("{}[={v}]", spec.name),
        };
        let prefix = if spec.negatable { "+[no]" } else { "+" };
        let _ = write!(s, ".TP\n\\fB{}{}\\fR\n{}\n", prefix, roff(&name), roff(spec.help));
    }
    s
}

const EXTRA_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
An answer to the question was received.
.TP
\fB1\fR
Usage error: the command line could not be understood.
.TP
\fB3\fR
NXDOMAIN: the name does not exist.
.TP
\fB4\fR
NODATA: the name exists (NOERROR) but has no record of the asked type. A CNAME or DNAME chain counts as an answer when an authoritative server (AA set, RA clear) hands the name on to another zone.
.TP
\fB5\fR
The server answered with another error rcode (SERVFAIL, REFUSED, FORMERR, NOTIMP, ...); a zone transfer was refused; a TSIG did not verify, or the server answered BADSIG, BADKEY or BADTIME.
.TP
\fB6\fR
An \fB\-\-expect\fR assertion failed. When expectations are given and a reply came, the status is 0 if every one passed and 6 otherwise, whatever the rcode (so \fB\-\-expect rcode=NXDOMAIN\fR exits 0 on NXDOMAIN).
.TP
\fB7\fR
With \fB+trace +dnssec\fR: DNSSEC validation found the final answer bogus. Direct queries (\fB@server +dnssec\fR) do not validate: they show the AD bit of the resolver's reply.
.TP
\fB8\fR
With \fB+trace +nsall\fR or \fB+lifecycle\fR: the diagnosis found an error (a finding of severity error, such as a lame or unreachable name server, a failing resolver or an unreachable endpoint), even though the name may resolve. Warnings do not change the status, unless \fB\-\-strict\fR is given.
.TP
\fB9\fR
No usable reply from any server: timeouts, refused connections, malformed replies, and replies that do not answer the question (an answer section with records only for names off the question's CNAME/DNAME chain, or a reply still truncated over TCP, or kept with \fB+ignore\fR, without the answer). Such a reply is shown as it came, with the reason on stderr. A zone transfer cut short, or without its closing SOA, exits 9 too.
.TP
\fB10\fR
Internal error: a failure of dnscope or of this machine (opening a socket, writing output).
.TP
\fB130\fR
A batch (\fB\-f\fR) was interrupted with Ctrl-C; the results of the lines that finished were printed.
.PP
With \fB+trace\fR the final outcome of the walk counts: an answer 0, NXDOMAIN 3, NODATA 4; SERVFAIL from every server of a zone, a CNAME loop, a delegation cycle or an exhausted limit 5 (what a resolver would answer); no reachable server for a zone, or the trace's time budget spent, 9.
.PP
With several queries on one command line, or lines of a batch, the worst status wins, in this order from best to worst: 0, 4, 3, 5, 6, 7, 8, 9, 1, 10. An interrupted batch exits 130 whatever its finished lines gave.
.PP
\fBHow this differs from dig:\fR dig exits 0 whenever a reply arrives, NXDOMAIN included, so a script must parse its output to learn whether a name exists. dnscope makes the outcome the exit status, so that \fBdnscope \-\-short name || alert\fR works in shell scripts and CI checks. Codes 1, 9 and 10 mean what they mean in dig.
.SH "LIMITS OF A TRACE"
A trace asks servers that the zones themselves name, so a hostile or broken hierarchy could make it send unbounded traffic, or amplify it towards a third party (NXNS, CVE\-2020\-8616). Every trace is bounded, as resolvers bound a resolution:
.TP
\fBtime\fR
The whole trace stops after 10 seconds (\fB\-\-trace\-timeout\fR \fIDURATION\fR or \fB+tracetime\fR=\fISECONDS\fR, at most 1 hour); no attempt waits past that moment. The outcome is \fBtrace_timeout\fR, exit 9, and its message names the zone and the question the trace was on.
.TP
\fBsilent servers\fR
A server silent for the hedge delay (three times the slowest reply so far, between 100 and 400 ms) is not waited out: the next server of the cut is asked too and the first usable reply wins, with at most 3 servers of a cut waited for at once. The server passed over is recorded as not waited for.
.TP
\fBqueries\fR
150 queries in all (400 with \fB+nsall\fR, which asks every server of every cut), and 20 to any one server address; a server past its share is not asked again in that trace (the attempt says so) and the next server is tried.
.TP
\fBglueless name servers\fR
At most 4 name server names without glue are resolved for one zone cut, and none after 5 such lookups have failed (no address, NXDOMAIN) in the trace, as BIND and unbound limit them. The hop notes how many were not tried.
.TP
\fBdepth\fR
32 referrals in one descent, 16 CNAME or DNAME hops, and glueless name servers nested 4 deep.
.PP
A limit that ends the walk is named in its outcome (\fBlimit_exceeded\fR, exit 5, as a resolver would answer SERVFAIL), except the time budget (exit 9).
.SH DIAGNOSIS
With \fB+trace +nsall\fR every address of every name server of each cut is asked the walk's question and, once per server and zone, the zone's SOA and NS set and the A/AAAA of the zone's name servers inside it (with \fB+tcpcheck\fR also the SOA over TCP), all at once: at most 64 questions of a cut are waited for together. From what the servers said, each cut is judged; a finding has a stable code, a severity, the zone, the servers concerned, a message and the detail. An error sets exit 8; \fB\-\-strict\fR makes warnings count too; info never does.
.TP
\fBerrors\fR
lame_delegation, unreachable_server, glue_mismatch, missing_glue, cname_at_apex, ns_unresolvable, tcp_unavailable.
.TP
\fBwarnings\fR
ns_differs (parent and child NS sets, with both TTLs), serial_differs, answers_differ, glue_incomplete, ttl_differs, ns_depends_on_zone, ns_diversity (RFC 2182), edns_problem.
.TP
\fBinfo\fR
ns_ttl_short, low_ttl_chain.
.PP
The README maps each code to the nearest DNSViz and Zonemaster identifier.
.SH "DNSSEC VALIDATION"
\fB+trace +dnssec\fR validates along the walk: each zone cut gets a verdict (secure, insecure, bogus or indeterminate) with its reason, from the trust anchors (the root's KSKs 20326 and 38696 are built in; \fB\-\-trust\-anchor\fR \fIFILE\fR gives DS or DNSKEY records for any zone, as a private root needs) or from the parent's signed DS RRset, or a signed NSEC/NSEC3 proof that there is none (insecure). The answer's RRsets, CNAMEs included, must be signed by their zone's keys, wildcard answers need the proof that the name does not exist, and NXDOMAIN and NODATA need their proofs. Algorithms 8, 10, 13, 14 and 15 verify; others count as insecure. \fB\-\-dnssec\-time\fR validates as of another moment. A bogus answer exits 7. Direct queries (\fB@server +dnssec\fR) keep dig's behaviour: they show the AD bit and do not validate.
.SH LIFECYCLE
\fB+lifecycle\fR (\fB\-\-lifecycle\fR) follows the name as a browser's lookup does: the hosts order of nsswitch.conf and the hosts file (\fB\-\-nsswitch\fR, \fB\-\-hosts\fR; an entry read before DNS overrides it: \fBhosts_override\fR when it differs); each resolver asked on its own (every \fB@server\fR, \fB\-\-resolvers public\fR for 1.1.1.1, 8.8.8.8, 9.9.9.9 and 208.67.222.222, or resolv.conf's), with its answer, the TTL it has left and the age of its copy (\fBstale_cache\fR when it is not the authority's, with its expiry; \fBresolver_failed\fR when it fails); the authority by a trace; with \fB+connect\fR[=\fIPORT\fR] a TCP connect to each address (443 by default; \fBendpoint_unreachable\fR when none accepts); and a verdict: ok, hosts_override, stale_cache, nxdomain, nodata, resolver_failed, endpoint_unreachable, slow or no_answer.
.SH "DNS OVER TLS"
\fB+tls\fR (or a server written \fBtls://\fR\fIHOST\fR[:\fIPORT\fR]) sends each query over TLS (RFC 7858) to port 853 unless \fB\-p\fR is given. The certificate is always verified, against the system's root store or the CAs of \fB+tls\-ca=\fR\fIFILE\fR, for \fB+tls\-hostname=\fR\fINAME\fR, else the server's host name as typed, else its IP address; a certificate that does not verify (expired, another name, unknown issuer) ends the attempt with the reason, no query sent, and exit 9 when no server is left. There is no fallback to plain DNS. \fB+notls\-verify\fR (\fB+tls\-insecure\fR) accepts any certificate and says so. Queries are padded to a multiple of 128 bytes (RFC 8467) unless \fB+nopadding\fR. The stats give the TLS version, cipher suite, ALPN, the certificate's subject, issuer and expiry, and the connect and handshake times; queries to the same server reuse the session.
.SH "DNS OVER HTTPS"
\fB+https\fR[=\fIPATH\fR] (or a server written \fBhttps://\fR\fIHOST\fR[:\fIPORT\fR][/\fIPATH\fR]) sends each query over HTTPS (RFC 8484) to port 443 unless \fB\-p\fR is given, at \fB/dns\-query\fR unless a path is given: as an application/dns\-message POST body, or with \fB+https\-get\fR as the ?dns= parameter of a GET. HTTP/2 is spoken; a server that offers only http/1.1 by ALPN is asked over HTTP/1.1. TLS is verified and reported as with \fB+tls\fR, queries on one line share a connection, and an HTTP error status or another media type is said plainly and exits 9.
.SH "ZONE TRANSFERS"
\fBAXFR\fR asks a server for the whole zone and \fBIXFR=\fR\fISERIAL\fR for the changes since the version \fISERIAL\fR, over TCP. Every record is printed as its message arrives, in zone-file form; an IXFR marks each version step with \fB; deleted from serial\fR \fIN\fR and \fB; added in serial\fR \fIM\fR comments. The summary gives the records, messages, bytes and time (\fB;; XFR size:\fR, as dig), the kind (AXFR, incremental, the whole zone, up to date) and the serial. With \fB\-\-json\fR, one line per message, then the summary. \fB\-y\fR [\fIHMAC\fR:]\fINAME\fR:\fISECRET\fR or \fB\-k\fR \fIFILE\fR (a BIND key file) signs queries and transfers with TSIG (RFC 8945; hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256 (the default), hmac-sha384, hmac-sha512) and verifies every reply; the secret is never printed. A refused transfer, or a TSIG that fails or a BADSIG, BADKEY or BADTIME, exits 5; a transfer cut short or without its closing SOA exits 9. \fB\-\-timeout\fR applies to each message.
.SH EXPECTATIONS
\fB\-\-expect\fR \fIEXPR\fR (repeatable) asserts on the final result of a query or trace.
.PP
.nf
expectation = subject op value
subject     = TYPE | rcode | ttl | answers | ns
            | findings | errors | finding        (any case)
op          = "=" | "!=" | "<" | "<=" | ">" | ">="
.fi
.TP
\fBTYPE=VALUE\fR, \fBTYPE!=VALUE\fR
Some (or no) record of TYPE in the answer, CNAME chain included, matches VALUE. For A and AAAA, VALUE is an address or a CIDR prefix (\fBA=192.0.2.0/24\fR); for other types a pattern against the record's presentation data, where \fB*\fR is any run of characters and \fB?\fR one character, case-insensitive, the final dot optional (\fBCNAME=*.cloudfront.net\fR).
.TP
\fBrcode=NAME\fR, \fBrcode!=NAME\fR
The response code: NOERROR, NXDOMAIN, SERVFAIL, REFUSED, ...
.TP
\fBttl\fR \fIop\fR \fIN\fR
Every answer record's TTL satisfies the comparison; N in seconds or a duration (\fBttl<=5m\fR).
.TP
\fBanswers\fR \fIop\fR \fIN\fR
The number of records of the asked type in the answer (\fBanswers>=2\fR).
.TP
\fBns=PATTERN\fR, \fBns!=PATTERN\fR
The NS set of the zone that answered: the last referral of a trace, or NS records in the answer or authority section of a direct query (\fBns=ns\-*.awsdns\-*\fR).
.TP
\fBfindings\fR \fIop\fR \fIN\fR, \fBerrors\fR \fIop\fR \fIN\fR
With \fB+trace +nsall\fR only: the number of error and warning findings (info not counted), or of errors alone (\fBerrors=0\fR).
.TP
\fBfinding=PATTERN\fR, \fBfinding!=PATTERN\fR
With \fB+trace +nsall\fR only: some (or no) finding has a code matching the pattern (\fBfinding!=lame_delegation\fR).
.TP
\fBdnssec=VERDICT\fR, \fBdnssec!=VERDICT\fR
With \fB+trace +dnssec\fR only: the validation verdict on the answer (secure, insecure, bogus, indeterminate).
.TP
\fBad\fR
A direct query's reply has the AD bit set.
.PP
Records, rcode, ns, finding and dnssec take only = and !=. The findings subjects without \fB+trace +nsall\fR are a usage error. A malformed expectation is a usage error naming the column of the bad character. Each verdict is printed with what was seen (\fB;; EXPECT ... passed/FAILED (seen: ...)\fR; in JSON, the \fBexpectations\fR list); with +short only failures are printed, on stderr.
.SH "CHECK FILES"
\fBdnscope check\fR \fIFILE\fR [\fB\-\-json\fR] [\fB\-\-junit\fR \fIXML\fR] runs every check of a check file, JSON or (by its \fB.toml\fR ending) TOML, described by \fBschema/check.schema.json\fR. A check names a \fBquery\fR and may set \fBname\fR, \fBtype\fR, \fBclass\fR, \fBserver\fR, \fBport\fR, \fBmode\fR (direct or trace), \fBnsall\fR (with trace: ask every server and judge them, for the findings subjects), \fBtcp\fR, \fBdnssec\fR (with trace: validate), \fBtimeout\fR, \fBtries\fR, \fBroot_hints\fR, \fBtrust_anchor\fR and \fBexpect\fR (a list of expectations); \fBdefaults\fR holds settings every check inherits. Each check runs as the command line it stands for. A check passes when it exits 0: all its expectations hold, or, without expectations, the name is answered. The run exits 0 when every check passes, otherwise with the worst status of the failed checks; an unreadable or invalid file is a usage error (1). \fB\-\-json\fR prints one report object; \fB\-\-junit\fR also writes JUnit XML (failed expectations as failures, checks without a reply as errors).
.SH EXAMPLES
.TP
\fBdnscope example.com MX @1.1.1.1\fR
Ask 1.1.1.1 for the MX records of example.com.
.TP
\fBdnscope +short \-x 192.0.2.1\fR
Print the PTR record of 192.0.2.1 only.
.TP
\fBdnscope \-\-json example.com AAAA | jq '.response.answer[].data'\fR
Read the answer from a script.
.TP
\fBdnscope +trace www.example.com \-\-expect 'CNAME=*.cloudfront.net' \-\-expect 'ttl<=300'\fR
Check in CI that www still points at the CDN with a short TTL (exit 6 when not).
.TP
\fBdnscope check site.json \-\-junit dns.xml\fR
Check a whole site's DNS records in CI and write a JUnit report.
.TP
\fBdnscope +trace www.example.com\fR
Walk from the root servers to the final answer, following CNAMEs and resolving name servers that come without glue.
.TP
\fBdnscope +trace \-\-root\-hints lab.hints \-p 5300 www.example.test\fR
Walk a lab hierarchy on loopback: every server of the walk on port 5300.
.TP
\fBdnscope a.example MX b.example TXT +noall +answer\fR
Two queries, answers only.
.TP
\fBdnscope @127.0.0.1 \-p 5353 +tcp +dnssec +nsid example.test SOA\fR
Query a local server on port 5353 over TCP, with DO and NSID.
.TP
\fBdnscope +tls @1.1.1.1 example.com\fR
Ask over DNS over TLS; the certificate is verified for 1.1.1.1, and the stats show the session.
.TP
\fBdnscope @https://dns.example/dns\-query example.com AAAA\fR
Ask over DNS over HTTPS (HTTP/2).
.TP
\fBdnscope @ns1.example.com example.com AXFR \-k xfr.key\fR
Transfer the zone, signed with a TSIG key from a BIND key file; records print as they arrive.
.TP
\fBdnscope @ns1.example.com example.com IXFR=2024010101\fR
Show what changed since serial 2024010101, step by step.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set to a non-empty value, no colour (unless \fB\-\-color always\fR).
.TP
\fBCLICOLOR_FORCE\fR
When set to a non-empty value other than 0, colour even when stdout is not a terminal (NO_COLOR still wins).
.SH FILES
.TP
\fI/etc/resolv.conf\fR
Default servers (\fBnameserver\fR), search list (\fBsearch\fR, \fBdomain\fR, used with \fB+search\fR) and \fBoptions ndots: timeout: attempts:\fR. It is read only when no \fB@server\fR is given or \fB+search\fR is on; \fB\-\-resolv\-conf\fR names another file.
.TP
\fI~/.digrc\fR
Words taken as the first of every command line, as dig reads them: default options the command line can override; lines starting with # are comments; \fB\-r\fR skips the file.
.SH "SEE ALSO"
dig(1), kdig(1), drill(1), resolv.conf(5)
"#;
