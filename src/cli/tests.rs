//! argv → Plan, as tables: every test goes through the same entry as a real run.

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::cli::env::Env;
use crate::cli::lines::plain_question;
use crate::cli::plan::{Mode, Plan};
use crate::cli::planner::TRACE_TIMEOUT;
use crate::cli::request::{Request, build};
use crate::dns::names::{self, NameStyle};
use crate::dns::rrtype;
use crate::model::exit::Error;
use crate::render::Format;
use crate::walk::Family;

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
    // Every mnemonic of IANA's registry is a type, not a name, in every place a type goes.
    for (mnemonic, number) in [
        ("LOC", 29),
        ("spf", 99),
        ("Zonemd", 63),
        ("URI", 256),
        ("L64", 106),
        ("DLV", 32769),
    ] {
        let p = plan(&["loc.example", mnemonic, "@127.0.0.1"]);
        assert_eq!(p.lookups.len(), 1, "{mnemonic}");
        assert_eq!(u16::from(p.lookups[0].candidates[0].rtype), number);
        let p = plan(&["-t", mnemonic, "loc.example", "@127.0.0.1"]);
        assert_eq!(u16::from(p.lookups[0].candidates[0].rtype), number);
    }
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
    assert!(!t.all_servers);
    for all in [
        &["+trace", "a.test", "+nsall"][..],
        &["--all-servers", "+trace", "a.test"],
    ] {
        let p = plan_with(&e, all).unwrap();
        let Mode::Trace(t) = &p.mode else { panic!() };
        assert!(t.all_servers, "{all:?}");
    }
    assert!(usage_error(&["a.test", "+nsall"]).contains("only to +trace"));
    assert!(usage_error(&["a.test", "--all-servers"]).contains("only to +trace"));
    assert!(usage_error(&["a.test", "--strict"]).contains("only to +trace +nsall"));
    assert!(usage_error(&["+trace", "a.test", "--strict"]).contains("only to +trace +nsall"));
    let p = plan_with(&e, &["+trace", "+nsall", "--strict", "a.test"]).unwrap();
    let Mode::Trace(t) = &p.mode else { panic!() };
    assert!(t.strict);
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
        "loc.test LOC",
        "a.test eui48",
        "a.test NSAP-PTR",
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
    assert!(usage_error(&["a.test", "IXFR"]).contains("IXFR=SERIAL"));
    assert!(usage_error(&["a.test", "AXFR", "b.test"]).contains("the only query"));
    assert!(usage_error(&["a.test", "AXFR", "+trace"]).contains("asks a server directly"));
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

/// Random argument vectors from dnscope's own vocabulary and a hostile one: planning
/// never panics, and every usage error is one printable line.
#[test]
fn random_command_lines_plan_or_fail_in_one_line() {
    let mut words: Vec<String> = [
        "-t",
        "-c",
        "-x",
        "-p",
        "-4",
        "-6",
        "-f",
        "-j",
        "--json",
        "--short",
        "--tcp",
        "--trace",
        "--root-hints",
        "--expect",
        "--ordered",
        "--qps",
        "--max-per-server",
        "--timeout",
        "--trace-timeout",
        "--tries",
        "--color",
        "--resolv-conf",
        "/lab/resolv.conf",
        "check",
        "A",
        "AAAA",
        "MX",
        "TXT",
        "ANY",
        "AXFR",
        "IXFR=5",
        "TYPE65535",
        "TYPE0",
        "TYPE99999",
        "CH",
        "IN",
        "CLASS9",
        "www.example.test",
        "www",
        ".",
        "",
        "-",
        "--",
        "a..b",
        "@127.0.0.1",
        "@::1",
        "@[::1]:53",
        "@127.0.0.1#0",
        "@127.0.0.1#99999",
        "@ns.lab",
        "@nowhere.lab",
        "@",
        "@-1",
        "0",
        "1",
        "-1",
        "53",
        "65535",
        "65536",
        "1s",
        "300ms",
        "5m",
        "1h",
        "2h",
        "18446744073709551615",
        "18446744073709551616s",
        "9223372036854775807",
        "never",
        "always",
        "auto",
        "A=192.0.2.1",
        "ttl<=300",
        "rcode=NXDOMAIN",
        "ns=ns-*",
        "x\u{202e}y",
        "\u{1b}[31mred",
        "\u{0}",
        "é.test",
        "xn--",
        "192.0.2.1",
        "2001:db8::1",
        "not-an-ip",
        "+",
        "+no",
        "+=",
        "++short",
    ]
    .map(str::to_owned)
    .to_vec();
    words.push("a".repeat(64));
    words.push(vec!["abcdefghij"; 30].join("."));
    for spec in crate::cli::plusopts::OPTIONS {
        words.push(format!("+{}", spec.name));
        words.push(format!("+no{}", spec.name));
        for value in [
            "0",
            "1",
            "4294967296",
            "-3",
            "",
            "x",
            "65535",
            "deadbeef",
            "192.0.2.0/24",
            "::/0/9",
        ] {
            words.push(format!("+{}={value}", spec.name));
        }
    }
    let env = env();
    let mut state: u64 = 0x005e_ed0f_a16e;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap()
    };
    let (mut planned, mut refused) = (0, 0);
    for case in 0..20_000 {
        let mut args = vec!["dnscope".to_owned()];
        for _ in 0..=next(7) {
            args.push(words[next(words.len())].clone());
        }
        let result = std::panic::catch_unwind(|| build(&args, &env));
        match result {
            Err(_) => panic!("case {case} panicked: {args:?}"),
            Ok(Ok(_)) => planned += 1,
            Ok(Err(error)) => {
                refused += 1;
                let shown = error.to_string();
                assert!(!shown.is_empty(), "{args:?}");
                assert!(!shown.contains('\n'), "{args:?}: {shown}");
                assert!(
                    !shown
                        .chars()
                        .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
                    "{args:?}: {shown:?}"
                );
            }
        }
    }
    // Both sides are exercised.
    assert!(
        planned > 500 && refused > 1_000,
        "{planned} planned, {refused} refused"
    );
}

#[test]
fn the_command_line_shown_hides_a_tsig_secret_however_it_is_written() {
    let args = |words: &[&str]| {
        std::iter::once("dnscope")
            .chain(words.iter().copied())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    for (words, shown) in [
        (
            &["-y", "hmac-sha1:k:c2VjcmV0", "a.test", "AXFR"][..],
            "-y hmac-sha1:k:(secret hidden) a.test AXFR",
        ),
        (&["-yk:c2VjcmV0", "a.test"][..], "-yk:(secret hidden) a.test"),
        (&["--tsig", "k:c2VjcmV0"][..], "--tsig k:(secret hidden)"),
        (
            &["--tsig=k:c2VjcmV0", "-k", "file.key"][..],
            "--tsig=k:(secret hidden) -k file.key",
        ),
        (&["a.test", "+short"][..], "a.test +short"),
    ] {
        let line = crate::cli::planner::shown_command_line(&args(words));
        assert_eq!(line, shown);
        assert!(!line.contains("c2VjcmV0"));
    }
}

#[test]
fn a_transfer_is_planned_over_tcp_with_its_serial_and_key() {
    let p = plan(&["a.test", "AXFR"]);
    assert_eq!(p.mode, Mode::Transfer { serial: None });
    assert!(p.transport.tcp);
    assert_eq!(
        plan(&["a.test", "IXFR=2024010101"]).mode,
        Mode::Transfer {
            serial: Some(2_024_010_101)
        }
    );
    assert_eq!(
        plan(&["a.test", "-t", "ixfr=5"]).mode,
        Mode::Transfer { serial: Some(5) }
    );
    let p = plan(&["a.test", "AXFR", "-y", "hmac-sha512:xfr:c2VjcmV0"]);
    let key = p.tsig.unwrap();
    assert_eq!(key.algorithm, crate::dns::tsig::Algorithm::Sha512);
    assert_eq!(key.name.to_ascii(), "xfr.");
    assert!(p.command_line.contains("-y hmac-sha512:xfr:(secret hidden)"));
    assert!(usage_error(&["a.test", "AXFR", "-y", "k:c2VjcmV0", "-k", "f"]).contains("cannot be used with"));
}

#[test]
fn each_option_of_issue_13_is_planned_and_its_no_form_undoes_it() {
    let on = |words: &[&str]| plan(&[&["@127.0.0.1", "a.test"][..], words].concat());
    let edns = |p: &Plan| p.flags.edns.clone().unwrap();
    // (what, with the option, with the option then its +no form)
    type Holds = Box<dyn Fn(&Plan) -> bool>;
    let cases: Vec<(&str, Holds, Vec<&str>, Vec<&str>)> = vec![
        (
            "qr",
            Box::new(|p| p.display.qr),
            vec!["+qr"],
            vec!["+qr", "+noqr"],
        ),
        (
            "multiline",
            Box::new(|p| p.display.layout.multiline),
            vec!["+multiline"],
            vec!["+multiline", "+nomultiline"],
        ),
        (
            "rrcomments",
            Box::new(|p| p.display.layout.comments == Some(true)),
            vec!["+rrcomments"],
            vec!["+rrcomments", "+norrcomments"],
        ),
        (
            "split",
            Box::new(|p| p.display.layout.split == Some(8)),
            vec!["+split=8"],
            vec!["+split=8", "+nosplit"],
        ),
        (
            "onesoa",
            Box::new(|p| p.display.onesoa),
            vec!["+onesoa"],
            vec!["+onesoa", "+noonesoa"],
        ),
        (
            "unknownformat",
            Box::new(|p| p.display.names.rfc3597),
            vec!["+unknownformat"],
            vec!["+unknownformat", "+nounknownformat"],
        ),
        (
            "yaml",
            Box::new(|p| p.format == Format::Yaml),
            vec!["+yaml"],
            vec!["+yaml", "+noyaml"],
        ),
        (
            "zflag",
            Box::new(|p| p.flags.z),
            vec!["+zflag"],
            vec!["+zflag", "+nozflag"],
        ),
        (
            "header-only",
            Box::new(|p| p.flags.header_only),
            vec!["+header-only"],
            vec!["+header-only", "+noheader-only"],
        ),
        (
            "opcode",
            Box::new(|p| p.flags.opcode == 5),
            vec!["+opcode=update"],
            vec!["+opcode=5", "+noopcode"],
        ),
        (
            "ednsflags",
            Box::new(move |p| edns(p).z_flags == 0x10),
            vec!["+ednsflags=0x10"],
            vec!["+ednsflags=16", "+noednsflags"],
        ),
        (
            "ednsopt",
            Box::new(move |p| edns(p).extra == [(65001, vec![0xab])]),
            vec!["+ednsopt=65001:ab"],
            vec!["+ednsopt=65001:ab", "+noednsopt"],
        ),
        (
            "expire",
            Box::new(move |p| edns(p).expire),
            vec!["+expire"],
            vec!["+expire", "+noexpire"],
        ),
        (
            "keepalive",
            Box::new(move |p| edns(p).keepalive),
            vec!["+keepalive"],
            vec!["+keepalive", "+nokeepalive"],
        ),
        (
            "tls",
            Box::new(|p| p.transport.tls.is_some()),
            vec!["+tls"],
            vec!["+tls", "+notls"],
        ),
        (
            "https",
            Box::new(|p| p.transport.https.is_some()),
            vec!["+https"],
            vec!["+https", "+nohttps"],
        ),
        (
            "https-get",
            Box::new(|p| p.transport.https.as_ref().is_some_and(|h| h.get)),
            vec!["+https", "+https-get"],
            vec!["+https", "+https-get", "+nohttps-get"],
        ),
        (
            "tls-verify",
            Box::new(|p| p.transport.tls.as_ref().is_some_and(|t| !t.verify)),
            vec!["+tls", "+notls-verify"],
            vec!["+tls", "+notls-verify", "+tls-verify"],
        ),
        (
            "tls-insecure",
            Box::new(|p| p.transport.tls.as_ref().is_some_and(|t| !t.verify)),
            vec!["+tls", "+tls-insecure"],
            vec!["+tls", "+tls-insecure", "+notls-insecure"],
        ),
        (
            "tls-hostname",
            Box::new(|p| {
                p.transport
                    .tls
                    .as_ref()
                    .is_some_and(|t| t.server_name.as_deref() == Some("dns.test"))
            }),
            vec!["+tls", "+tls-hostname=dns.test"],
            vec!["+tls"],
        ),
        (
            "padding",
            Box::new(move |p| edns(p).padding),
            vec!["+padding"],
            vec!["+tls", "+nopadding"],
        ),
    ];
    for (what, holds, with, undone) in cases {
        assert!(holds(&on(&with)), "{what}: {with:?}");
        assert!(!holds(&on(&undone)), "{what}: {undone:?}");
    }
    // Padding is on by itself over TLS and HTTPS only.
    assert!(edns(&on(&["+tls"])).padding && edns(&on(&["+https"])).padding && !edns(&on(&[])).padding);
    assert_eq!(on(&["+tls"]).servers.addresses[0].port(), 853);
    assert_eq!(on(&["+https"]).servers.addresses[0].port(), 443);
}
