//! `+lifecycle` end to end: the hosts order and hosts file the test writes, test servers
//! standing in for caching resolvers (a current copy, an older one, a cached NXDOMAIN, a
//! failing one), the lab hierarchy as the authority, and `+connect` against a local
//! listener and a closed port.

mod support;

use std::net::TcpListener;
use std::path::PathBuf;

use support::lab::Lab;
use support::{Run, json_lines};

fn lab() -> &'static Lab {
    static LAB: std::sync::OnceLock<Lab> = std::sync::OnceLock::new();
    LAB.get_or_init(Lab::start)
}

fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dnscope-lifecycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `+lifecycle` over the lab with a hosts file and nsswitch.conf of the test's.
fn lifecycle(hosts: &str, nsswitch: &str, words: &[&str]) -> Run {
    let hosts = file(&format!("hosts-{:x}", text_key(hosts)), hosts);
    let nsswitch = file(&format!("nsswitch-{:x}", text_key(nsswitch)), nsswitch);
    let mut args = lab().args();
    args.extend(["+lifecycle", "--timeout", "300ms", "--tries", "1"].map(str::to_owned));
    args.extend(["--hosts".to_owned(), hosts.display().to_string()]);
    args.extend(["--nsswitch".to_owned(), nsswitch.display().to_string()]);
    args.extend(words.iter().map(|w| (*w).to_owned()));
    support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn text_key(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

const NO_ENTRY: &str = "127.0.0.1 localhost\n";
const FILES_FIRST: &str = "passwd: files\nhosts: files dns\n";

fn json(hosts: &str, nsswitch: &str, words: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["--json"];
    all.extend(words);
    let run = lifecycle(hosts, nsswitch, &all);
    (run.code, json_lines(&run.stdout).remove(0))
}

#[test]
fn a_current_copy_agrees_and_its_age_is_the_ttl_it_has_used() {
    let (code, doc) = json(NO_ENTRY, FILES_FIRST, &["www.healthy.com", "@127.0.9.2"]);
    assert_eq!(code, 0, "{doc}");
    let l = &doc["lifecycle"];
    assert_eq!(l["nsswitch"]["order"], serde_json::json!(["files", "dns"]));
    assert_eq!(l["hosts"]["addresses"], serde_json::json!([]));
    let r = &l["resolvers"][0];
    assert_eq!(r["answer"], serde_json::json!(["192.0.2.101"]));
    assert_eq!(
        (r["ttl"].as_u64(), r["age"].as_u64(), r["agrees"].as_bool()),
        (Some(250), Some(50), Some(true))
    );
    assert_eq!(l["authoritative"]["answer"], serde_json::json!(["192.0.2.101"]));
    assert_eq!(l["authoritative"]["ttl"], 300);
    assert_eq!(l["verdict"]["kind"], "ok");
    assert_eq!(
        l["verdict"]["message"],
        "www.healthy.com. resolves, and all 1 resolver(s) agree"
    );
    assert_eq!(doc["findings"], serde_json::json!([]));
}

#[test]
fn an_older_copy_is_a_stale_cache_with_its_expiry() {
    let (code, doc) = json(
        NO_ENTRY,
        FILES_FIRST,
        &["www.healthy.com", "@127.0.9.1", "@127.0.9.2"],
    );
    assert_eq!(code, 0, "a stale cache heals itself: a warning, {doc}");
    let l = &doc["lifecycle"];
    let agrees: Vec<bool> = l["resolvers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["agrees"].as_bool().unwrap())
        .collect();
    assert_eq!(agrees, [false, true]);
    assert_eq!(
        l["resolvers"][0]["age"],
        serde_json::Value::Null,
        "no age for another answer"
    );
    assert_eq!(l["verdict"]["kind"], "stale_cache");
    assert_eq!(
        l["verdict"]["message"],
        "stale cache at 127.0.9.1#".to_owned() + &lab().port.to_string() + " (expires in 120 s)"
    );
    assert_eq!(doc["findings"][0]["code"], "stale_cache");
    assert_eq!(doc["findings"][0]["severity"], "warning");
    assert!(
        doc["findings"][0]["message"].as_str().unwrap().contains(
            "still gives 192.0.2.99 where the authority gives 192.0.2.101; its copy expires in 120 s"
        ),
        "{doc}"
    );
    let text = lifecycle(NO_ENTRY, FILES_FIRST, &["www.healthy.com", "@127.0.9.1"]);
    assert!(
        text.stdout.contains(";; 2. resolver 127.0.9.1#"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(": 192.0.2.99, TTL 120 left, in "),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("; DIFFERS"), "{}", text.stdout);
    assert!(
        text.stdout.contains(";; VERDICT: stale cache at 127.0.9.1#"),
        "{}",
        text.stdout
    );
    let short = lifecycle(
        NO_ENTRY,
        FILES_FIRST,
        &["www.healthy.com", "@127.0.9.1", "+short"],
    );
    assert!(
        short
            .stdout
            .starts_with("192.0.2.101\nwarning stale_cache healthy.com.: "),
        "{}",
        short.stdout
    );
    assert!(
        short.stdout.ends_with(
            &("\nverdict stale_cache: stale cache at 127.0.9.1#".to_owned()
                + &lab().port.to_string()
                + " (expires in 120 s)\n")
        ),
        "{}",
        short.stdout
    );
}

#[test]
fn nxdomain_at_the_resolver_is_not_nxdomain_at_the_authority() {
    let (_, doc) = json(NO_ENTRY, FILES_FIRST, &["www.healthy.com", "@127.0.9.3"]);
    let l = &doc["lifecycle"];
    assert_eq!(l["resolvers"][0]["rcode"], "NXDOMAIN");
    assert_eq!(
        l["resolvers"][0]["ttl"], 300,
        "the SOA minimum of the negative answer"
    );
    assert!(
        l["verdict"]["message"]
            .as_str()
            .unwrap()
            .starts_with("NXDOMAIN at the resolver, not at the authority: stale cache at 127.0.9.3#"),
        "{doc}"
    );
    // A name that does not exist: the authority says so, and the resolver agrees.
    let (code, doc) = json(NO_ENTRY, FILES_FIRST, &["nope.healthy.com", "@127.0.9.3"]);
    assert_eq!(code, 3);
    assert_eq!(doc["lifecycle"]["resolvers"][0]["agrees"], true);
    assert_eq!(doc["lifecycle"]["verdict"]["kind"], "nxdomain");
    assert_eq!(
        doc["lifecycle"]["verdict"]["message"],
        "NXDOMAIN at the authority: nope.healthy.com. does not exist in healthy.com."
    );
}

#[test]
fn a_failing_resolver_is_an_error() {
    let (code, doc) = json(
        NO_ENTRY,
        FILES_FIRST,
        &["www.healthy.com", "@127.0.9.4", "@127.0.9.2"],
    );
    assert_eq!(code, 8, "{doc}");
    assert_eq!(doc["findings"][0]["code"], "resolver_failed");
    assert_eq!(doc["lifecycle"]["verdict"]["kind"], "resolver_failed");
}

#[test]
fn a_hosts_entry_read_before_dns_overrides_it() {
    let hosts = "127.0.0.1 localhost\n192.0.2.5 www.healthy.com www\n";
    let (code, doc) = json(hosts, FILES_FIRST, &["www.healthy.com", "@127.0.9.2"]);
    assert_eq!(code, 0, "{doc}");
    let l = &doc["lifecycle"];
    assert_eq!(l["hosts"]["addresses"], serde_json::json!(["192.0.2.5"]));
    assert_eq!(l["hosts"]["overrides_dns"], true);
    assert_eq!(l["verdict"]["kind"], "hosts_override");
    assert_eq!(doc["findings"][0]["code"], "hosts_override");
    // The same entry with DNS first: DNS answers, the hosts file is never read for it.
    let (_, doc) = json(
        hosts,
        "hosts: dns [!UNAVAIL=return] files\n",
        &["www.healthy.com", "@127.0.9.2"],
    );
    assert_eq!(
        doc["lifecycle"]["nsswitch"]["order"],
        serde_json::json!(["dns", "files"])
    );
    assert_eq!(doc["lifecycle"]["hosts"]["overrides_dns"], false);
    assert_eq!(doc["lifecycle"]["verdict"]["kind"], "ok");
    assert_eq!(doc["findings"], serde_json::json!([]));
    // The same address as DNS: still an override (DNS changes will not reach it), no finding.
    let (_, doc) = json(
        "192.0.2.101 www.healthy.com\n",
        FILES_FIRST,
        &["www.healthy.com", "@127.0.9.2"],
    );
    assert_eq!(doc["lifecycle"]["verdict"]["kind"], "hosts_override");
    assert_eq!(doc["findings"], serde_json::json!([]));
}

#[test]
fn connect_tells_an_open_endpoint_from_a_closed_one() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let open = listener.local_addr().unwrap().port();
    let closed = {
        let gone = TcpListener::bind("127.0.0.1:0").unwrap();
        gone.local_addr().unwrap().port()
    };
    let connect = format!("+connect={open}");
    let (code, doc) = json(
        NO_ENTRY,
        FILES_FIRST,
        &["local.healthy.com", "@127.0.9.2", &connect],
    );
    let c = &doc["lifecycle"]["connect"][0];
    assert_eq!(
        (c["address"].as_str(), c["port"].as_u64(), c["ok"].as_bool()),
        (Some("127.0.0.1"), Some(u64::from(open)), Some(true))
    );
    assert!(c["time_us"].is_u64());
    // 127.0.9.2 has no local.healthy.com: a stale NXDOMAIN there, but the endpoint is up.
    assert_eq!(code, 0, "{doc}");
    let connect = format!("+connect={closed}");
    let (code, doc) = json(NO_ENTRY, FILES_FIRST, &["local.healthy.com", &connect]);
    assert_eq!(code, 8, "{doc}");
    let c = &doc["lifecycle"]["connect"][0];
    assert_eq!(c["ok"], false);
    assert!(c["error"].as_str().unwrap().contains("refused"), "{c}");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"endpoint_unreachable"), "{codes:?}");
    drop(listener);
}

#[test]
fn the_resolvers_of_resolv_conf_are_asked_each_on_its_own() {
    let conf = file("resolv.conf", "nameserver 127.0.9.1\nnameserver 127.0.9.2\n");
    let hosts = file("hosts-none", NO_ENTRY);
    let nsswitch = file("nsswitch-files", FILES_FIRST);
    let mut args = vec!["--resolv-conf".to_owned(), conf.display().to_string()];
    args.extend(lab().args());
    args.extend(
        [
            "--lifecycle",
            "--json",
            "--timeout",
            "300ms",
            "--hosts",
            &hosts.display().to_string(),
            "--nsswitch",
            &nsswitch.display().to_string(),
            "www.healthy.com",
        ]
        .map(str::to_owned),
    );
    let run = support::dnscope_bare(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let doc = json_lines(&run.stdout).remove(0);
    let servers: Vec<&str> = doc["lifecycle"]["resolvers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["server"].as_str().unwrap())
        .collect();
    let port = lab().port;
    assert_eq!(
        servers,
        [format!("127.0.9.1#{port}"), format!("127.0.9.2#{port}")]
    );
}

#[test]
fn lifecycle_options_need_lifecycle() {
    for (words, flag) in [
        (&["www.healthy.com", "+connect"][..], "+connect"),
        (&["www.healthy.com", "--resolvers", "public"], "--resolvers"),
        (&["www.healthy.com", "--hosts", "/nonexistent"], "--hosts"),
    ] {
        let run = support::dnscope(words);
        assert_eq!(run.code, 1, "{words:?}");
        assert_eq!(
            run.stderr,
            format!("dnscope: {flag} applies only to +lifecycle\n")
        );
    }
    let run = support::dnscope(&[
        "www.healthy.com",
        "+lifecycle",
        "--resolvers",
        "public",
        "@127.0.9.2",
    ]);
    assert_eq!(
        run.stderr,
        "dnscope: give @servers or --resolvers public, not both\n"
    );
}

#[test]
fn lifecycle_with_nsall_carries_both_kinds_of_finding() {
    let (code, doc) = json(NO_ENTRY, FILES_FIRST, &["www.faulty.com", "+nsall", "@127.0.9.2"]);
    assert_eq!(code, 8, "the lame server is an error: {doc}");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"lame_delegation"), "{codes:?}");
    // 127.0.9.2 does not serve faulty.com.: it refuses, a failing resolver.
    assert!(codes.contains(&"resolver_failed"), "{codes:?}");
    assert_eq!(doc["lifecycle"]["verdict"]["kind"], "resolver_failed");
}
