//! The --expect language: parsing with column-accurate errors, and judging.

use crate::dns::presentation::RdataFields;
use crate::expect::judge::Observed;
use crate::expect::parse;
use crate::model::report::RecordInfo;
use crate::model::trace::Severity;
use crate::model::verdict::Verdict;

fn record(rtype: &str, data: &str, ttl: u32) -> RecordInfo {
    RecordInfo {
        name: "www.example.test.".into(),
        ttl,
        class: "IN".into(),
        rtype: rtype.to_owned().into(),
        type_code: 0,
        data: data.into(),
        rdata: RdataFields::Opaque {
            rdlength: 0,
            hex: String::new(),
            note: None,
        },
    }
}

fn seen() -> Observed {
    Observed {
        rcode: Some("NOERROR".into()),
        records: vec![
            record("CNAME", "d111abcdef8.cloudfront.net.", 300),
            record("A", "192.0.2.10", 60),
            record("A", "192.0.2.11", 60),
        ],
        ns: vec!["ns-1.awsdns-01.org.".into(), "ns-2.awsdns-02.net.".into()],
        qtype: "A".into(),
        findings: vec![
            ("serial_differs", Severity::Warning),
            ("lame_delegation", Severity::Error),
            ("low_ttl_chain", Severity::Info),
        ],
        dnssec: Some("secure"),
        ad: Some(true),
    }
}

fn verdict(text: &str) -> Verdict {
    parse(text).unwrap().judge(&seen())
}

#[test]
fn each_kind_passes_and_fails() {
    for (text, passed) in [
        ("A=192.0.2.10", true),
        ("A=192.0.2.99", false),
        ("a=192.0.2.0/24", true),
        ("A=198.51.100.0/24", false),
        ("A!=203.0.113.1", true),
        ("A!=192.0.2.11", false),
        ("CNAME=*.cloudfront.net.", true),
        ("CNAME=*.cloudfront.net", true),
        ("CNAME=*.akamaiedge.net", false),
        ("rcode=NOERROR", true),
        ("rcode=nxdomain", false),
        ("ttl<=300", true),
        ("ttl<=5m", true),
        ("ttl<60", false),
        ("ttl>=60", true),
        ("answers>=2", true),
        ("answers=3", false),
        ("ns=ns-*.awsdns-*", true),
        ("ns!=*.cloudflare.com", true),
        ("ns=*.cloudflare.com", false),
        ("AAAA=2001:db8::/32", false),
        ("TXT=v=spf1*", false),
        // Info findings are not counted; finding= sees every severity.
        ("findings=2", true),
        ("findings=0", false),
        ("errors<=1", true),
        ("errors=0", false),
        ("finding!=lame_delegation", false),
        ("finding!=lame*", false),
        ("finding=serial_*", true),
        ("finding=low_ttl_chain", true),
        ("finding!=glue*", true),
        ("dnssec=secure", true),
        ("DNSSEC=Secure", true),
        ("dnssec!=bogus", true),
        ("dnssec=insecure", false),
        ("ad", true),
    ] {
        assert_eq!(verdict(text).passed, passed, "{text}: {:?}", verdict(text));
    }
}

#[test]
fn verdicts_say_what_was_seen() {
    assert_eq!(verdict("A=192.0.2.99").seen, "192.0.2.10, 192.0.2.11");
    assert_eq!(verdict("AAAA=2001:db8::1").seen, "no AAAA record");
    assert_eq!(verdict("ttl<60").seen, "TTL 300, 60, 60");
    assert_eq!(verdict("answers=3").seen, "2 A record(s)");
    assert_eq!(verdict("findings=0").seen, "2 (serial_differs, lame_delegation)");
    assert_eq!(verdict("errors=0").seen, "1 (lame_delegation)");
    assert_eq!(
        verdict("finding!=lame*").seen,
        "serial_differs, lame_delegation, low_ttl_chain"
    );
    let none = parse("rcode=NOERROR").unwrap().judge(&Observed::default());
    assert_eq!((none.passed, none.seen.as_str()), (false, "no reply"));
    let unvalidated = parse("dnssec=secure").unwrap().judge(&Observed::default());
    assert_eq!(
        (unvalidated.passed, unvalidated.seen.as_str()),
        (false, "not validated")
    );
    let clear = Observed {
        ad: Some(false),
        ..Observed::default()
    };
    let ad = parse("ad").unwrap().judge(&clear);
    assert_eq!((ad.passed, ad.seen.as_str()), (false, "AD clear"));
    let empty = parse("ttl<=300").unwrap().judge(&Observed::default());
    assert!(!empty.passed, "no records cannot satisfy a TTL bound");
}

#[test]
fn errors_point_at_the_bad_character() {
    for (text, needle) in [
        ("", "column 1"),
        (
            "=1.2.3.4",
            "expected a record type, rcode, ttl, answers, ns, findings, errors or finding at column 1",
        ),
        ("ttl~300", "expected =, !=, <, <=, > or >= at column 4"),
        ("ttl<=3x0", "at column 7"),
        ("answers>=two", "at column 10"),
        ("A=", "expected a value at column 3"),
        ("A<1.2.3.4", "'A' takes only = or != at column 2"),
        ("A=1.2.3.400", "at column 3"),
        ("A=192.0.2.0/33", "expected a prefix length at column 13"),
        ("A=2001:db8::1", "family does not match"),
        ("BOGUS=x", "unknown subject 'BOGUS' at column 1"),
        ("rcode=SOMETIMES", "expected an rcode"),
        ("finding<lame", "'finding' takes only = or != at column 8"),
        ("errors=none", "expected a whole number at column 8"),
        (
            "dnssec=valid",
            "expected secure, insecure, bogus or indeterminate at column 8",
        ),
        ("dnssec<secure", "'dnssec' takes only = or != at column 7"),
    ] {
        let error = parse(text).unwrap_err();
        assert!(error.contains(needle), "{text}: {error}");
        assert!(error.starts_with(&format!("bad --expect '{text}'")), "{error}");
    }
}
