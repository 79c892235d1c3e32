//! `+trace +dnssec` end to end over a signed hierarchy on loopback (`SignedLab`): the
//! test servers sign with hickory-proto's signer, dnscope validates with its own code.

mod support;

use support::lab::SignedLab;
use support::{Run, json_lines};

fn lab() -> &'static SignedLab {
    static LAB: std::sync::OnceLock<SignedLab> = std::sync::OnceLock::new();
    LAB.get_or_init(SignedLab::start)
}

fn validate(words: &[&str]) -> Run {
    let mut args = lab().args();
    args.extend(["+trace", "+dnssec", "--timeout", "500ms"].map(str::to_owned));
    args.extend(words.iter().map(|w| (*w).to_owned()));
    support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn json(words: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["--json"];
    all.extend(words);
    let run = validate(&all);
    (run.code, json_lines(&run.stdout).remove(0))
}

/// `(zone, verdict)` of each hop, and the answer's verdict and reason.
fn verdicts(doc: &serde_json::Value) -> (Vec<(String, String)>, String, String) {
    let hops = doc["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["zone"].as_str().unwrap().to_owned(),
                h["dnssec"]["verdict"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    (
        hops,
        doc["dnssec"]["verdict"].as_str().unwrap_or("-").to_owned(),
        doc["dnssec"]["reason"].as_str().unwrap_or("-").to_owned(),
    )
}

fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn a_secure_chain_from_the_anchor_to_the_answer() {
    let (code, doc) = json(&["www.signed.com"]);
    let (hops, verdict, reason) = verdicts(&doc);
    assert_eq!(
        hops,
        owned(&[(".", "secure"), ("com.", "secure"), ("signed.com.", "secure")]),
        "{doc}"
    );
    assert_eq!(verdict, "secure", "{reason}");
    assert!(reason.starts_with("signed by key "), "{reason}");
    assert_eq!(code, 0);
    assert!(
        doc["hops"][0]["dnssec"]["reason"]
            .as_str()
            .unwrap()
            .ends_with("alg 13, DNSKEY signed"),
        "{doc}"
    );
    // The records each verdict rests on: the DS and keys of a cut, the signatures and
    // their validity window (a day ago to thirty days on, as the lab signs).
    let cut = &doc["hops"][2]["dnssec"];
    let tag = cut["ds"]["key_tag"].as_u64().unwrap();
    assert_eq!(
        (cut["ds"]["algorithm"].as_u64(), cut["ds"]["digest_type"].as_u64()),
        (Some(13), Some(2))
    );
    assert_eq!(cut["keys"], serde_json::json!([tag]));
    let signature = &cut["signatures"][0];
    assert_eq!(signature["key_tag"].as_u64(), Some(tag));
    let window = signature["expiration"].as_u64().unwrap() - signature["inception"].as_u64().unwrap();
    assert_eq!(window, 31 * 86_400);
    assert_eq!(
        doc["dnssec"]["signatures"][0]["key_tag"].as_u64(),
        Some(tag),
        "the answer is signed by the same key"
    );
    let text = validate(&["www.signed.com"]);
    assert!(
        text.stdout.contains(";; DNSSEC: SECURE: signed by key "),
        "{}",
        text.stdout
    );
    let expect = validate(&["www.signed.com", "--expect", "dnssec=secure"]);
    assert_eq!(expect.code, 0);
}

#[test]
fn an_unsigned_delegation_and_a_cname_into_it_are_insecure() {
    let (code, doc) = json(&["www.unsigned.com"]);
    let (hops, verdict, _) = verdicts(&doc);
    assert_eq!(
        hops[2],
        ("unsigned.com.".to_owned(), "insecure".to_owned()),
        "{doc}"
    );
    assert_eq!(doc["hops"][2]["dnssec"]["reason"], "no DS (NSEC proof)");
    assert_eq!((verdict.as_str(), code), ("insecure", 0));
    // A CNAME from the secure zone into the insecure one: insecure, not secure.
    let (code, doc) = json(&["cdn.signed.com"]);
    let (_, verdict, _) = verdicts(&doc);
    assert_eq!((verdict.as_str(), code), ("insecure", 0), "{doc}");
}

#[test]
fn a_tampered_answer_and_expired_signatures_are_bogus_and_exit_7() {
    let (code, doc) = json(&["www.bogus.com"]);
    let (hops, verdict, reason) = verdicts(&doc);
    assert_eq!(
        hops[2],
        ("bogus.com.".to_owned(), "secure".to_owned()),
        "the keys are fine: {doc}"
    );
    assert_eq!(verdict, "bogus");
    assert!(
        reason.starts_with("www.bogus.com. A: signature by key "),
        "{reason}"
    );
    assert_eq!(code, 7);
    let (code, doc) = json(&["www.expired.com"]);
    let (hops, verdict, _) = verdicts(&doc);
    assert_eq!(hops[2].1, "bogus", "{doc}");
    let why = doc["hops"][2]["dnssec"]["reason"].as_str().unwrap();
    assert!(why.contains("signature expired at "), "{why}");
    assert_eq!((verdict.as_str(), code), ("bogus", 7), "{doc}");
    let text = validate(&["www.expired.com"]);
    assert!(text.stdout.contains(";; DNSSEC: BOGUS: "), "{}", text.stdout);
}

#[test]
fn nxdomain_and_nodata_are_proved() {
    let (code, doc) = json(&["nope.signed.com"]);
    let (_, verdict, reason) = verdicts(&doc);
    assert_eq!(
        (code, verdict.as_str(), reason.as_str()),
        (3, "secure", "NXDOMAIN proved"),
        "{doc}"
    );
    let (code, doc) = json(&["www.signed.com", "TXT"]);
    let (_, verdict, reason) = verdicts(&doc);
    assert_eq!(
        (code, verdict.as_str(), reason.as_str()),
        (4, "secure", "no TXT record, proved"),
        "{doc}"
    );
}

#[test]
fn without_its_anchor_a_private_root_says_so() {
    let mut args: Vec<String> = lab().args();
    args.truncate(4);
    args.extend(["+trace", "+dnssec", "--json", "www.signed.com"].map(str::to_owned));
    let run = support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["hops"][0]["dnssec"]["verdict"], "indeterminate");
    assert_eq!(
        doc["hops"][0]["dnssec"]["reason"],
        "the keys of . match no trust anchor (a private root needs --trust-anchor)"
    );
    assert_eq!(doc["dnssec"]["verdict"], "indeterminate");
    assert_eq!(run.code, 0);
}

#[test]
fn a_zones_keys_are_asked_while_its_question_is() {
    // A lab of its own, its signed zone's server slow: the DNSKEY query and the walk's
    // question are held by it at the same moment, not one after the other.
    let slow = SignedLab::start();
    slow.servers[2].set_mode(support::server::Mode::Delay(std::time::Duration::from_millis(
        150,
    )));
    let mut args = slow.args();
    args.extend(["+trace", "+dnssec", "--json", "www.signed.com"].map(str::to_owned));
    let run = support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["dnssec"]["verdict"], "secure", "{doc}");
    assert!(
        slow.servers[2].peak_in_flight() >= 2,
        "peak {}",
        slow.servers[2].peak_in_flight()
    );
}

#[test]
fn a_check_file_can_require_a_secure_answer() {
    let lab = lab();
    let dir = std::env::temp_dir().join(format!("dnscope-dnssec-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("signed.toml");
    std::fs::write(
        &file,
        format!(
            "[defaults]\nmode = \"trace\"\ndnssec = true\nport = {}\nroot_hints = \"{}\"\ntrust_anchor = \"{}\"\ntimeout = \"500ms\"\n\n\
             [[checks]]\nname = \"www is signed\"\nquery = \"www.signed.com\"\nexpect = [\"dnssec=secure\"]\n\n\
             [[checks]]\nname = \"the tampered zone\"\nquery = \"www.bogus.com\"\nexpect = [\"dnssec=secure\"]\n",
            lab.port,
            lab.hints.display(),
            lab.anchor.display()
        ),
    )
    .unwrap();
    let run = support::check(&file, &["--json"]);
    let doc = &json_lines(&run.stdout)[0];
    let passed: Vec<bool> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["passed"].as_bool().unwrap())
        .collect();
    assert_eq!(passed, [true, false], "{doc}");
    assert!(
        doc["checks"][0]["command"]
            .as_str()
            .unwrap()
            .contains("--trust-anchor"),
        "{doc}"
    );
}

#[test]
fn dnssec_time_validates_as_of_another_moment() {
    // Sixty days on, every signature of the lab (valid for thirty) has expired.
    let later = humantime::format_rfc3339_seconds(
        std::time::SystemTime::now() + std::time::Duration::from_secs(60 * 86_400),
    )
    .to_string();
    let (code, doc) = json(&["www.signed.com", "--dnssec-time", &later]);
    assert_eq!(code, 7, "{doc}");
    let root = doc["hops"][0]["dnssec"]["reason"].as_str().unwrap();
    assert!(root.contains("signature expired at "), "{root}");
    // And now, the same trace is secure.
    let (code, _) = json(&["www.signed.com"]);
    assert_eq!(code, 0);
}
