//! `+trace` end to end: the binary walks a whole hierarchy of test servers on
//! 127.0.0.x (and ::1), all on one port, from a root hints file the test writes.

mod support;

use support::lab::Lab;
use support::{Run, json_lines};

fn lab() -> &'static Lab {
    static LAB: std::sync::OnceLock<Lab> = std::sync::OnceLock::new();
    LAB.get_or_init(Lab::start)
}

fn trace(words: &[&str]) -> Run {
    let mut args = lab().args();
    args.extend(["+trace", "--timeout", "300ms"].map(str::to_owned));
    args.extend(words.iter().map(|w| (*w).to_owned()));
    support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn trace_json(words: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["--json"];
    all.extend(words);
    let run = trace(&all);
    let doc = json_lines(&run.stdout).remove(0);
    (run.code, doc)
}

fn zones(doc: &serde_json::Value) -> Vec<String> {
    doc["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["zone"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn plain_delegation_chain() {
    let (code, doc) = trace_json(&["www.shop.com"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["mode"], "trace");
    assert_eq!(zones(&doc), [".", "com.", "shop.com."]);
    assert_eq!(doc["hops"][0]["server"]["name"], "a.root.lab.");
    assert_eq!(doc["hops"][0]["server"]["address"], "127.0.0.10");
    assert_eq!(doc["hops"][0]["referral"]["zone"], "com.");
    assert_eq!(doc["hops"][0]["referral"]["ttl"], 172_800);
    assert_eq!(doc["hops"][2]["aa"], true);
    assert_eq!(doc["answer"][0]["data"], "192.0.2.31");
    assert_eq!(doc["outcome"]["kind"], "answer");
    assert_eq!(doc["priming"]["ns"][0]["data"], "a.root.lab.");
    assert_eq!(doc["summary"]["queries"], 4);
    assert!(doc["summary"]["total_us"].is_u64());
    assert!(doc["hops"][0]["rtt_us"].is_u64());
}

#[test]
fn route53_site_with_cloudfront_cname() {
    let (code, doc) = trace_json(&["www.palette.com"]);
    assert_eq!(code, 0, "{doc}");
    // net. was not learned on the way (the name server resolved through org.), so the
    // CNAME target is walked from the root.
    assert_eq!(
        zones(&doc),
        [".", "com.", "palette.com.", ".", "net.", "cloudfront.net."]
    );
    let palette = &doc["hops"][2];
    assert_eq!(palette["server"]["name"], "ns-1.awsdns-01.org.");
    let subwalk = &palette["subwalks"][0];
    assert_eq!(subwalk["name"], "ns-1.awsdns-01.org.");
    let sub_zones: Vec<&str> = subwalk["hops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["zone"].as_str().unwrap())
        .collect();
    assert_eq!(sub_zones, [".", "org.", "awsdns-01.org."]);
    assert_eq!(subwalk["answer"][0]["data"], "127.0.0.30");
    let restart = &doc["hops"][3];
    assert_eq!(restart["qname"], "d111abcdef8.cloudfront.net.");
    assert_eq!(restart["cached"], false, "the root is never called cached");
    assert_eq!(doc["cname_chain"][0]["owner"], "www.palette.com.");
    assert_eq!(doc["cname_chain"][0]["target"], "d111abcdef8.cloudfront.net.");
    assert_eq!(doc["cname_chain"][0]["zone"], "palette.com.");
    assert_eq!(doc["answer"].as_array().unwrap().len(), 2);
    assert_eq!(doc["summary"]["answer_ttl"], 60);
    let notes: Vec<String> = doc["hops"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| {
            h["notes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap().to_owned())
        })
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("Amazon Route 53 name server")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("Amazon CloudFront (CDN)")),
        "{notes:?}"
    );
}

#[test]
fn s3_website_endpoint_under_a_sub_delegation() {
    let (code, doc) = trace_json(&["static.palette.com"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(
        zones(&doc),
        [
            ".",
            "com.",
            "palette.com.",
            "com.",
            "amazonaws.com.",
            "s3-website-us-east-1.amazonaws.com."
        ]
    );
    assert_eq!(
        doc["hops"][3]["cached"], true,
        "com. was learned on the way to palette.com."
    );
    assert_eq!(doc["answer"][0]["data"], "192.0.2.90");
    assert_eq!(doc["summary"]["min_ttl"], 5);
}

#[test]
fn lame_server_then_a_good_one() {
    let (code, doc) = trace_json(&["www.lame.com"]);
    assert_eq!(code, 0, "{doc}");
    let hop = &doc["hops"][2];
    assert_eq!(hop["attempts"][0]["server"]["address"], "127.0.0.50");
    assert_eq!(
        hop["attempts"][0]["outcome"],
        "lame: not authoritative and no referral"
    );
    assert_eq!(hop["server"]["address"], "127.0.0.51");
}

/// The outcome of a silent server whose cut another server answered: it was asked,
/// waited for the hedge delay (100 ms at least), and then no longer.
fn passed_over_while_silent(outcome: &str) -> bool {
    outcome
        .strip_prefix("no reply within ")
        .and_then(|rest| rest.split_once(" ms; "))
        .is_some_and(|(ms, rest)| {
            ms.parse::<u64>().is_ok_and(|ms| (100..300).contains(&ms))
                && rest == "not waited for, another server answered first"
        })
}

#[test]
fn dead_server_then_a_good_one() {
    let (code, doc) = trace_json(&["www.dead.com"]);
    assert_eq!(code, 0, "{doc}");
    let hop = &doc["hops"][2];
    let outcome = hop["attempts"][0]["outcome"].as_str().unwrap();
    assert!(passed_over_while_silent(outcome), "{outcome}");
    assert_eq!(hop["server"]["address"], "127.0.0.53");
    assert_eq!(doc["summary"]["failures"], 1);
    let text = trace(&["www.dead.com"]);
    assert!(
        text.stdout
            .contains(";; servers that failed: ns1.dead.com. (no reply within "),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("✗ ns1.dead.com. (127.0.0.52#"),
        "{}",
        text.stdout
    );
}

#[test]
fn all_servers_dead() {
    let run = trace(&["www.alldead.com"]);
    assert_eq!(run.code, 9, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("no server of alldead.com. gave a usable reply"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(";; OUTCOME: NO_REACHABLE_SERVER"),
        "{}",
        run.stdout
    );
}

#[test]
fn cname_loop() {
    let (code, doc) = trace_json(&["loop1.palette.com"]);
    assert_eq!(code, 5);
    assert_eq!(doc["outcome"]["kind"], "cname_loop");
}

#[test]
fn seventeen_cname_hops_is_past_the_limit() {
    let (code, doc) = trace_json(&["c0.palette.com"]);
    assert_eq!(code, 5, "{doc}");
    assert_eq!(doc["outcome"]["kind"], "limit_exceeded");
    assert_eq!(doc["outcome"]["message"], "more than 16 CNAME hops");
}

#[test]
fn nxdomain_and_nodata() {
    let (code, doc) = trace_json(&["nope.palette.com"]);
    assert_eq!(code, 3);
    assert_eq!(doc["outcome"]["kind"], "nxdomain");
    assert_eq!(
        doc["hops"].as_array().unwrap().last().unwrap()["records"][0]["type"],
        "SOA"
    );
    let (code, doc) = trace_json(&["palette.com", "TXT"]);
    assert_eq!(code, 4);
    assert_eq!(doc["outcome"]["kind"], "nodata");
}

#[test]
fn a_referral_too_large_for_udp_comes_over_tcp() {
    let (code, doc) = trace_json(&["www.big.com"]);
    assert_eq!(code, 0, "{doc}");
    let com = &doc["hops"][1];
    assert_eq!(com["protocol"], "tcp");
    assert_eq!(com["referral"]["ns"].as_array().unwrap().len(), 40);
}

#[test]
fn upward_referral_is_skipped() {
    let (code, doc) = trace_json(&["www.up.com"]);
    assert_eq!(code, 0, "{doc}");
    let hop = &doc["hops"][2];
    assert_eq!(hop["attempts"][0]["outcome"], "upward referral to up.com.");
    assert_eq!(hop["server"]["address"], "127.0.0.62");
}

#[test]
fn referral_loop_ends_the_walk() {
    let (code, doc) = trace_json(&["www.loop.com"]);
    assert_eq!(code, 9, "{doc}");
    assert_eq!(
        doc["hops"][2]["attempts"][0]["outcome"],
        "upward referral to loop.com."
    );
}

#[test]
fn a_delegation_to_160_nonexistent_name_servers_is_cut_short() {
    // Before the glueless cap this trace spent its whole budget of 150 queries, most of
    // them NXDOMAIN lookups at the NS names' zone (NXNS-style amplification).
    let (code, doc) = trace_json(&["www.budget.com"]);
    assert_eq!(code, 9, "{doc}");
    assert_eq!(doc["outcome"]["kind"], "no_reachable_server");
    assert_eq!(
        doc["outcome"]["message"],
        "no server of budget.com. gave a usable reply (4 attempt(s); 156 glueless name server(s) not tried)"
    );
    assert_eq!(doc["hops"][2]["subwalks"].as_array().unwrap().len(), 4);
    assert_eq!(doc["summary"]["queries"], 10);
}

#[test]
fn delegation_cycle() {
    let (code, doc) = trace_json(&["www.cycle.com"]);
    assert_eq!(code, 5, "{doc}");
    assert_eq!(doc["outcome"]["kind"], "delegation_cycle");
    assert!(
        doc["outcome"]["message"]
            .as_str()
            .unwrap()
            .contains("ns.cycle2.com. → ns.cycle.com. → ns.cycle2.com."),
        "{doc}"
    );
}

#[test]
fn ipv6_only_name_server() {
    let (code, doc) = trace_json(&["www.v6only.com"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["hops"][2]["server"]["address"], "::1");
}

#[test]
fn short_prints_only_the_final_answer() {
    let run = trace(&["www.palette.com", "+short"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "192.0.2.80\n192.0.2.81\n");
}

#[test]
fn priming_through_a_server() {
    let mut args = lab().args();
    args.extend(["+trace", "@127.0.0.10", "www.shop.com", "--json"].map(str::to_owned));
    let run = support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(doc["priming"]["server"]["address"], "127.0.0.10");
    assert_eq!(zones(&doc), [".", "com.", "shop.com."]);
}

#[test]
fn text_output() {
    let run = trace(&["www.palette.com", "+nocmd"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let port = lab().port.to_string();
    let text: String = run
        .stdout
        .lines()
        .map(|l| {
            let l = l.replace(&format!("#{port}"), "#PORT");
            match (l.find(" in "), l.starts_with(";;")) {
                (Some(at), false) if l.contains(") in ") => l[..at].to_owned(),
                _ if l.starts_with(";; root NS set primed") => ";; root NS set primed [..]".to_owned(),
                _ if l.starts_with(";; ") && l.contains(" queries, ") => ";; [TOTALS]".to_owned(),
                _ => l,
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn a_refusing_and_a_silent_server_are_passed_over_and_recorded() {
    let (code, doc) = trace_json(&["www.faulty.com"]);
    assert_eq!(code, 0, "{doc}");
    let hop = &doc["hops"][2];
    assert_eq!(hop["zone"], "faulty.com.");
    let attempts: Vec<(&str, &str)> = hop["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["server"]["name"].as_str().unwrap(),
                a["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(attempts[0], ("ns1.faulty.com.", "REFUSED"));
    assert_eq!(attempts[1].0, "ns2.faulty.com.");
    assert!(passed_over_while_silent(attempts[1].1), "{attempts:?}");
    // The stale secondary answers; the answer is the zone's.
    assert_eq!(hop["server"]["address"], "127.0.0.56");
    assert_eq!(doc["answer"][0]["data"], "192.0.2.57");
}

#[test]
fn a_refusal_and_a_timeout_are_no_reachable_server_not_servfail() {
    let (code, doc) = trace_json(&["www.mixfail.com"]);
    assert_eq!(code, 9, "{doc}");
    assert_eq!(doc["outcome"]["kind"], "no_reachable_server");
    assert_eq!(
        doc["outcome"]["message"],
        "no server of mixfail.com. gave a usable reply (2 attempt(s))"
    );
}

#[test]
fn a_cname_to_a_name_without_the_type_or_that_does_not_exist() {
    let (code, doc) = trace_json(&["www.palette.com", "AAAA"]);
    assert_eq!(code, 4, "{doc}");
    assert_eq!(doc["outcome"]["kind"], "nodata");
    assert_eq!(doc["cname_chain"][0]["target"], "d111abcdef8.cloudfront.net.");
    assert_eq!(
        doc["outcome"]["message"],
        "d111abcdef8.cloudfront.net. has no AAAA record"
    );

    let (code, doc) = trace_json(&["gone.palette.com"]);
    assert_eq!(code, 3, "{doc}");
    assert_eq!(doc["outcome"]["kind"], "nxdomain");
    assert_eq!(
        doc["outcome"]["message"],
        "missing.cloudfront.net. does not exist"
    );
}

#[test]
fn a_parent_and_child_that_disagree_on_the_ns_set_are_both_shown_as_sent() {
    let (code, doc) = trace_json(&["faulty.com", "NS"]);
    assert_eq!(code, 0, "{doc}");
    let targets = |records: &serde_json::Value| -> Vec<String> {
        records
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rdata"]["target"].as_str().unwrap().to_owned())
            .collect()
    };
    let parent = &doc["hops"][1]["referral"];
    assert_eq!(parent["zone"], "faulty.com.");
    assert_eq!(
        targets(&parent["ns"]),
        [
            "ns1.faulty.com.",
            "ns2.faulty.com.",
            "ns3.faulty.com.",
            "ns4.faulty.com."
        ]
    );
    // The child's own set (ns3-ns5) is the answer, not merged with the parent's.
    assert_eq!(
        targets(&doc["answer"]),
        ["ns3.faulty.com.", "ns4.faulty.com.", "ns5.faulty.com."]
    );
    assert_eq!(doc["hops"][2]["aa"], true);
}

#[test]
fn nsall_asks_every_server_of_every_cut_and_shows_each_reply() {
    let started = std::time::Instant::now();
    let (code, doc) = trace_json(&["www.faulty.com", "+nsall"]);
    let took = started.elapsed();
    assert_eq!(code, 8, "a lame and a silent server are errors: {doc}");
    let hop = &doc["hops"][2];
    assert_eq!(hop["zone"], "faulty.com.");
    let rows: Vec<(&str, &str, &str)> = hop["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["server"]["name"].as_str().unwrap(),
                s["outcome"].as_str().unwrap(),
                s["rcode"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ns1.faulty.com.", "REFUSED", "REFUSED"),
            ("ns2.faulty.com.", "timed out", "-"),
            ("ns3.faulty.com.", "answer", "NOERROR"),
            ("ns4.faulty.com.", "answer", "NOERROR"),
        ]
    );
    assert_eq!(hop["servers"][2]["records"][0], "192.0.2.57");
    assert_eq!(hop["servers"][2]["aa"], true);
    assert_eq!(
        doc["summary"]["failures"], 2,
        "ns3 and ns4 both answered; neither failed"
    );
    // The root and com. levels list their two servers each.
    assert_eq!(doc["hops"][0]["servers"].as_array().unwrap().len(), 2);
    assert_eq!(doc["hops"][1]["servers"].as_array().unwrap().len(), 2);
    // All at once: one 300 ms timeout for the silent server, not one per server.
    assert!(took < std::time::Duration::from_millis(900), "{took:?}");

    let text = trace(&["www.faulty.com", "+nsall"]);
    assert!(
        text.stdout.contains("· ns1.faulty.com. (127.0.0.55#"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("REFUSED: REFUSED"), "{}", text.stdout);
    assert!(
        text.stdout
            .contains(" NOERROR aa serial 2024010101: answer (192.0.2.57)"),
        "{}",
        text.stdout
    );
    // Each server's version of the zone: the stale secondary is one behind; the lame and
    // the silent servers gave none.
    let serials: Vec<&serde_json::Value> = hop["servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["serial"])
        .collect();
    assert_eq!(
        serials,
        [
            &serde_json::Value::Null,
            &serde_json::Value::Null,
            &serde_json::json!(2024010100),
            &serde_json::json!(2024010101)
        ]
    );
    // Without +nsall there is no table.
    let (_, plain) = trace_json(&["www.faulty.com"]);
    assert!(plain["hops"][2].get("servers").is_none(), "{plain}");
}

fn findings(doc: &serde_json::Value) -> Vec<(String, String, String, Vec<String>)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["zone"].as_str().unwrap().to_owned(),
                f["servers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn nsall_findings_name_the_lame_and_the_silent_server_and_exit_8() {
    let (code, doc) = trace_json(&["www.faulty.com", "+nsall"]);
    assert_eq!(code, 8, "{doc}");
    assert_eq!(doc["exit_code"], 8);
    assert_eq!(doc["status"], "answer", "the name still resolves");
    let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        findings(&doc),
        [
            (
                "lame_delegation".into(),
                "error".into(),
                "faulty.com.".into(),
                s(&["ns1.faulty.com. (127.0.0.55)"])
            ),
            (
                "unreachable_server".into(),
                "error".into(),
                "faulty.com.".into(),
                s(&["ns2.faulty.com. (127.0.0.54)"])
            ),
            (
                "ns_differs".into(),
                "warning".into(),
                "faulty.com.".into(),
                s(&["ns3.faulty.com. (127.0.0.56)", "ns4.faulty.com. (127.0.0.57)"])
            ),
            (
                "serial_differs".into(),
                "warning".into(),
                "faulty.com.".into(),
                s(&["ns3.faulty.com. (127.0.0.56)", "ns4.faulty.com. (127.0.0.57)"])
            ),
            (
                "ns_diversity".into(),
                "warning".into(),
                "faulty.com.".into(),
                s(&[
                    "ns1.faulty.com. (127.0.0.55)",
                    "ns2.faulty.com. (127.0.0.54)",
                    "ns3.faulty.com. (127.0.0.56)",
                    "ns4.faulty.com. (127.0.0.57)"
                ])
            ),
            // The zone has no ns1 or ns2 of its own: the parent's glue for them is
            // addresses the zone does not know.
            (
                "glue_mismatch".into(),
                "error".into(),
                "faulty.com.".into(),
                s(&["ns3.faulty.com. (127.0.0.56)", "ns4.faulty.com. (127.0.0.57)"])
            ),
            (
                "glue_mismatch".into(),
                "error".into(),
                "faulty.com.".into(),
                s(&["ns3.faulty.com. (127.0.0.56)", "ns4.faulty.com. (127.0.0.57)"])
            ),
        ]
    );
    assert_eq!(
        doc["findings"][5]["message"],
        "the parent gives glue for ns1.faulty.com. (127.0.0.55), but the zone itself has no address for that name: resolvers are sent to a server the zone does not list"
    );
    // Parent against child: both sides, each with its NS TTL.
    assert_eq!(
        doc["findings"][2]["message"],
        "com. delegates faulty.com. to other name servers than the zone itself lists: only at the parent: ns1.faulty.com., ns2.faulty.com.; only in the zone: ns5.faulty.com."
    );
    assert_eq!(
        doc["findings"][2]["detail"],
        "parent com. (TTL 172800): ns1.faulty.com., ns2.faulty.com., ns3.faulty.com., ns4.faulty.com.; child ns3.faulty.com. (127.0.0.56) (TTL 3600): ns3.faulty.com., ns4.faulty.com., ns5.faulty.com."
    );
    assert_eq!(
        doc["findings"][3]["detail"],
        "ns3.faulty.com. (127.0.0.56): serial 2024010100; ns4.faulty.com. (127.0.0.57): serial 2024010101"
    );
    assert_eq!(
        doc["findings"][0]["detail"],
        "ns1.faulty.com. (127.0.0.55): REFUSED"
    );
    let text = trace(&["www.faulty.com", "+nsall"]);
    assert_eq!(text.code, 8);
    assert!(
        text.stdout.contains(
            ";; ERROR lame_delegation faulty.com.: 1 of the 4 servers listed for faulty.com. do not serve it"
        ),
        "{}",
        text.stdout
    );

    // The stale secondary gives another address for geo.faulty.com.: a warning, with
    // the routing hint, next to the same two errors.
    let (_, doc) = trace_json(&["geo.faulty.com", "+nsall"]);
    let differ = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "answers_differ")
        .unwrap();
    assert_eq!(
        (differ["code"].as_str(), differ["severity"].as_str()),
        (Some("answers_differ"), Some("warning"))
    );
    assert!(
        differ["message"]
            .as_str()
            .unwrap()
            .contains("geo or latency routing"),
        "{differ}"
    );
    assert_eq!(
        differ["detail"],
        "ns3.faulty.com. (127.0.0.56): answer: 192.0.2.0; ns4.faulty.com. (127.0.0.57): answer: 192.0.2.1"
    );
}

#[test]
fn a_healthy_zone_raises_no_finding_and_a_plain_trace_judges_nothing() {
    // Two servers in two /24s at every level, glue as the zone says, one serial, one
    // TTL per record set: nothing to say, --strict or not, TCP probed too.
    for extra in [
        &["www.healthy.com", "--strict"][..],
        &["www.healthy.com", "--strict", "+tcpcheck"],
        &["healthy.com", "+tcpcheck", "-t", "NS"],
    ] {
        let mut words = vec!["+nsall"];
        words.extend(extra);
        let (code, doc) = trace_json(&words);
        assert_eq!(code, 0, "{doc}");
        assert_eq!(doc["findings"], serde_json::json!([]), "{extra:?}: {doc}");
    }
    // The lab's other sites are healthy but for their networks: every server of
    // shop.com. and palette.com. sits in 127.0.0.0/24 (ns_diversity, only a warning).
    let (code, doc) = trace_json(&["www.palette.com", "+nsall"]);
    assert_eq!(code, 0, "{doc}");
    let zones: Vec<(String, String)> = findings(&doc).into_iter().map(|f| (f.0, f.2)).collect();
    assert_eq!(
        zones,
        [
            ("ns_diversity".to_owned(), "awsdns-01.org.".to_owned()),
            ("ns_diversity".to_owned(), "awsdns-02.net.".to_owned()),
            ("ns_diversity".to_owned(), "palette.com.".to_owned()),
            ("ns_diversity".to_owned(), "cloudfront.net.".to_owned()),
        ]
    );
    let palette = &doc["findings"][2]["message"];
    assert_eq!(
        palette,
        "its 2 name servers all have one address, 127.0.0.30: one outage can take the whole zone down (RFC 2182 asks for servers on different networks)"
    );
    // Without +nsall the faulty zone's trace has nothing to judge from: exit 0.
    let (code, doc) = trace_json(&["www.faulty.com"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["findings"], serde_json::json!([]));
}

#[test]
fn a_stale_secondary_alone_is_a_warning_and_strict_makes_it_count() {
    let (code, doc) = trace_json(&["www.drift.com", "+nsall"]);
    assert_eq!(code, 0, "warnings do not change the exit code: {doc}");
    let codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["serial_differs", "ns_diversity"]);
    assert_eq!(
        doc["findings"][0]["message"],
        "the servers of drift.com. hold different versions of the zone (SOA serials 7, 8): a secondary has not caught up, and answers depend on which server a resolver asks"
    );
    let (code, doc) = trace_json(&["www.drift.com", "+nsall", "--strict"]);
    assert_eq!(code, 8, "{doc}");
    assert_eq!(doc["exit_code"], 8);
}

/// `(code, severity, zone)` of each finding.
fn finding_codes(doc: &serde_json::Value) -> Vec<(String, String, String)> {
    findings(doc).into_iter().map(|(c, s, z, _)| (c, s, z)).collect()
}

#[test]
fn each_fault_of_the_diagnosis_lab_gives_its_own_finding() {
    let owned = |v: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        v.iter()
            .map(|(c, s, z)| ((*c).to_owned(), (*s).to_owned(), (*z).to_owned()))
            .collect()
    };
    type Case<'a> = (&'a [&'a str], i32, &'a [(&'a str, &'a str, &'a str)]);
    let cases: &[Case<'_>] = &[
        (
            &["www.glue.com"],
            8,
            &[
                ("glue_incomplete", "warning", "glue.com."),
                ("glue_mismatch", "error", "glue.com."),
            ],
        ),
        (
            &["www.noglue.com"],
            8,
            &[
                ("missing_glue", "error", "noglue.com."),
                ("ns_diversity", "warning", "noglue.com."),
            ],
        ),
        (
            &["www.ttls.com"],
            0,
            &[
                ("ttl_differs", "warning", "ttls.com."),
                ("ttl_differs", "warning", "ttls.com."),
            ],
        ),
        (
            &["apex.com"],
            8,
            &[
                ("cname_at_apex", "error", "apex.com."),
                ("ns_diversity", "warning", "shop.com."),
            ],
        ),
        (
            &["www.nsfail.com"],
            8,
            &[
                ("ns_unresolvable", "error", "nsfail.com."),
                ("ns_diversity", "warning", "nsfail.com."),
            ],
        ),
        (
            &["www.circ.com"],
            0,
            &[
                ("ns_diversity", "warning", "circ-dns.net."),
                ("ns_depends_on_zone", "warning", "circ.com."),
            ],
        ),
        (&["www.edns.com"], 0, &[("edns_problem", "warning", "edns.com.")]),
        (
            &["www.notcp.com", "+tcpcheck"],
            8,
            &[("tcp_unavailable", "error", "notcp.com.")],
        ),
        // TCP is probed only when asked: the quick default has nothing to say.
        (&["www.notcp.com"], 0, &[]),
        (
            &["long.drift.com"],
            0,
            &[
                ("serial_differs", "warning", "drift.com."),
                ("ns_diversity", "warning", "drift.com."),
                ("ns_ttl_short", "info", "drift.com."),
            ],
        ),
        (
            &["static.palette.com"],
            0,
            &[
                ("ns_diversity", "warning", "awsdns-01.org."),
                ("ns_diversity", "warning", "awsdns-02.net."),
                ("ns_diversity", "warning", "palette.com."),
                ("ns_diversity", "warning", "amazonaws.com."),
                ("ns_diversity", "warning", "s3-website-us-east-1.amazonaws.com."),
                ("low_ttl_chain", "info", "palette.com."),
            ],
        ),
    ];
    for (words, exit, expected) in cases {
        let mut all = vec!["+nsall"];
        all.extend(*words);
        let (code, doc) = trace_json(&all);
        assert_eq!(finding_codes(&doc), owned(expected), "{words:?}: {doc}");
        assert_eq!(code, *exit, "{words:?}");
        assert_eq!(
            doc["status"], "answer",
            "{words:?}: every fault leaves the name resolving"
        );
    }
}

#[test]
fn findings_say_what_each_side_gave() {
    let (_, doc) = trace_json(&["www.glue.com", "+nsall"]);
    assert_eq!(
        doc["findings"][1]["message"],
        "the parent's glue for ns2.glue.com. (127.0.4.74) is not what the zone itself says (127.0.4.75): resolvers are sent to an address the zone does not list"
    );
    assert_eq!(
        doc["findings"][1]["detail"],
        "glue in the referral for glue.com. (TTL 172800): 127.0.4.74; the zone's servers ns1.glue.com. (127.0.0.73), ns2.glue.com. (127.0.4.74) (TTL 172800): 127.0.4.75"
    );
    assert!(
        doc["findings"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("the glue for ns1.glue.com. lists only 1 of its addresses (127.0.0.73, 127.0.4.73)"),
        "{doc}"
    );
    // Each server's own view of the zone's name servers, in servers[].
    let rows = doc["hops"][2]["servers"].as_array().unwrap();
    assert_eq!(
        rows[0]["ns_addresses"],
        serde_json::json!([
            {"name": "ns1.glue.com.", "addresses": ["127.0.0.73", "127.0.4.73"], "ttl": 172800},
            {"name": "ns2.glue.com.", "addresses": ["127.0.4.75"], "ttl": 172800},
        ])
    );
    assert_eq!(
        rows[0]["edns"],
        serde_json::json!({"version": 0, "udp_size": 1232})
    );
    assert_eq!(rows[0]["ttl"], 300);

    let (_, doc) = trace_json(&["www.noglue.com", "+nsall"]);
    assert_eq!(
        doc["findings"][0]["message"],
        "com. delegates noglue.com. to ns2.noglue.com. inside the zone itself, but gives no address for it: resolvers cannot reach that server without glue"
    );

    let (_, doc) = trace_json(&["www.ttls.com", "+nsall"]);
    assert_eq!(
        doc["findings"][0]["detail"],
        "ns1.ttls.com. (127.0.0.78): TTL 300; ns2.ttls.com. (127.0.4.78): TTL 600"
    );
    assert_eq!(
        doc["findings"][1]["detail"],
        "ns1.ttls.com. (127.0.0.78): TTL 172800; ns2.ttls.com. (127.0.4.78): TTL 86400"
    );

    let (_, doc) = trace_json(&["www.nsfail.com", "+nsall"]);
    assert_eq!(
        doc["findings"][0]["servers"],
        serde_json::json!(["ns.nowhere-dns.net."])
    );
    assert_eq!(
        doc["findings"][0]["detail"],
        "ns.nowhere-dns.net. A: ns.nowhere-dns.net. does not exist"
    );

    let (_, doc) = trace_json(&["www.circ.com", "+nsall"]);
    assert_eq!(
        doc["findings"][1]["detail"],
        "resolving ns.circ-dns.net. asked the servers of . → net. → circ.com. → circ-dns.net."
    );

    let (_, doc) = trace_json(&["www.edns.com", "+nsall"]);
    assert_eq!(
        doc["findings"][0]["detail"],
        "ns1.edns.com. (127.0.0.82): FORMERR to a query with EDNS; it answered only without EDNS; ns2.edns.com. (127.0.7.82): no OPT record in its reply to a query with EDNS"
    );
    let rows = doc["hops"][2]["servers"].as_array().unwrap();
    assert_eq!(
        (&rows[0]["edns"], &rows[1]["edns"]),
        (&serde_json::Value::Null, &serde_json::Value::Null)
    );

    let (_, doc) = trace_json(&["www.notcp.com", "+nsall", "+tcpcheck"]);
    let rows = doc["hops"][2]["servers"].as_array().unwrap();
    assert_eq!(rows[0]["tcp"]["ok"], false, "{doc}");
    assert_eq!(rows[1]["tcp"]["ok"], true);
    assert_eq!(rows[1]["tcp"]["outcome"], "NOERROR");
    let text = trace(&["www.notcp.com", "+nsall", "+tcpcheck"]);
    assert!(
        text.stdout
            .contains(";; ERROR tcp_unavailable notcp.com.: 1 of the servers of notcp.com. answer over UDP but not over TCP"),
        "{}",
        text.stdout
    );
    let info = trace(&["long.drift.com", "+nsall", "--strict"]);
    assert!(
        info.stdout.contains(";; INFO ns_ttl_short drift.com.: "),
        "{}",
        info.stdout
    );
}

#[test]
fn tcpcheck_without_nsall_is_a_usage_error() {
    let run = trace(&["www.notcp.com", "+tcpcheck"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("+tcpcheck and --tcp-check apply only to +trace +nsall"),
        "{}",
        run.stderr
    );
}

#[test]
fn findings_in_expectations_and_short_output() {
    let healthy = trace(&[
        "www.healthy.com",
        "+nsall",
        "--expect",
        "findings=0",
        "--expect",
        "errors=0",
    ]);
    assert_eq!(healthy.code, 0, "{}", healthy.stdout);
    // drift.com.: warnings only.
    let drift = trace(&["www.drift.com", "+nsall", "--expect", "errors=0"]);
    assert_eq!(drift.code, 0, "{}", drift.stdout);
    let drift = trace(&["www.drift.com", "+nsall", "--json", "--expect", "findings=0"]);
    assert_eq!(drift.code, 6);
    let doc = &json_lines(&drift.stdout)[0];
    assert_eq!(doc["expectations"][0]["seen"], "2 (serial_differs, ns_diversity)");
    let faulty = trace(&["www.faulty.com", "+nsall", "--expect", "finding!=lame*"]);
    assert_eq!(
        faulty.code, 6,
        "a failed expectation wins over exit 8: {}",
        faulty.stdout
    );
    let faulty = trace(&["www.faulty.com", "+nsall", "--expect", "finding=lame_delegation"]);
    assert_eq!(
        faulty.code, 0,
        "expectations decide when given: {}",
        faulty.stdout
    );
    // Findings need +nsall: without it there is nothing to judge, so saying "no lame
    // server" would pass for nothing.
    let plain = trace(&["www.faulty.com", "--expect", "finding!=lame*"]);
    assert_eq!(plain.code, 1);
    assert_eq!(
        plain.stderr,
        "dnscope: --expect 'finding!=lame*' judges the findings of +trace +nsall (or +lifecycle); add them\n"
    );

    let short = trace(&["www.drift.com", "+nsall", "+short"]);
    assert_eq!(
        short.stdout,
        "192.0.2.71\n\
         warning serial_differs drift.com.: the servers of drift.com. hold different versions of the zone (SOA serials 7, 8): a secondary has not caught up, and answers depend on which server a resolver asks\n\
         warning ns_diversity drift.com.: every IPv4 address of its servers is in 127.0.0.0/24: one outage can take the whole zone down (RFC 2182 asks for servers on different networks)\n"
    );
}

#[test]
fn nssearch_prints_each_servers_soa_as_dig_does() {
    let run = trace(&["drift.com", "+nssearch"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    for (line, (serial, addr)) in lines.iter().zip([(7, "127.0.0.71"), (8, "127.0.0.72")]) {
        let head = format!(
            "SOA ns1.drift.com. hostmaster.drift.com. {serial} 7200 3600 1209600 300 from server {addr} in "
        );
        assert!(line.starts_with(&head) && line.ends_with(" ms."), "{line}");
    }
    assert!(
        lines[2].starts_with(";; WARNING serial_differs drift.com.: "),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with(";; WARNING ns_diversity drift.com.: "),
        "{}",
        lines[3]
    );
    assert_eq!(run.code, 0, "warnings only");

    // Whatever type is typed, the SOA is asked; a lame and a silent server say why.
    let run = trace(&["faulty.com", "MX", "+nssearch", "+short"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            ";; no SOA of faulty.com. from server 127.0.0.55 (ns1.faulty.com.): REFUSED",
            ";; no SOA of faulty.com. from server 127.0.0.54 (ns2.faulty.com.): timed out",
        ],
        "{}",
        run.stdout
    );
    assert!(
        lines[2].starts_with("SOA ns3.faulty.com. hostmaster.faulty.com. 2024010100 "),
        "{}",
        run.stdout
    );
    assert!(
        lines[3].starts_with("SOA ns3.faulty.com. hostmaster.faulty.com. 2024010101 "),
        "{}",
        run.stdout
    );
    assert!(
        lines[4].starts_with(";; ERROR lame_delegation faulty.com.: "),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 8);

    // JSON is the trace's own document.
    let (_, doc) = trace_json(&["healthy.com", "+nssearch"]);
    assert_eq!(doc["query"]["type"], "SOA");
    assert_eq!(doc["hops"][2]["servers"].as_array().unwrap().len(), 2);
    assert_eq!(doc["findings"], serde_json::json!([]));
}

#[test]
fn nsall_asks_every_server_of_a_level_and_its_probes_at_once() {
    // Four servers per zone, the slowest 40 ms per level.
    let spread = support::lab::Spread::start([std::time::Duration::from_millis(40); 3]);
    let mut args = spread.args();
    args.extend(["+trace", "+nsall", "--json", "www.four.com"].map(str::to_owned));
    let run = support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let doc = json_lines(&run.stdout).remove(0);
    assert_eq!(
        doc["findings"],
        serde_json::json!([]),
        "four servers in four /24s: {doc}"
    );
    for (level, hop) in doc["hops"].as_array().unwrap().iter().enumerate() {
        let rows = hop["servers"].as_array().unwrap();
        assert_eq!(rows.len(), 4, "every server of level {level}");
        for (i, row) in rows.iter().enumerate() {
            // Each reply waited for its own server's delay: 10, 20, 30, 40 ms.
            let floor = 10_000 * (i as u64 + 1);
            assert!(row["rtt_us"].as_u64().unwrap() >= floor, "{row}");
            assert!(row["serial"].is_u64(), "the SOA probe answered: {row}");
        }
    }
    // The walk's question, SOA, NS and the glue names' A and AAAA were held by each
    // delaying server at the same moment, not asked one after another.
    for server in &spread.servers[8..] {
        assert!(
            server.peak_in_flight() >= 3,
            "{}: {}",
            server.addr,
            server.peak_in_flight()
        );
    }
}

#[test]
fn nsall_text_shows_parent_and_child_and_a_diagnosis_line() {
    let text = trace(&["www.faulty.com", "+nsall"]);
    assert!(
        text.stdout.contains(
            "· NS at the parent com. (TTL 172800): ns1.faulty.com., ns2.faulty.com., ns3.faulty.com., ns4.faulty.com.; in the zone (TTL 3600): ns3.faulty.com., ns4.faulty.com., ns5.faulty.com. (differs)"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains(";; DIAGNOSIS: 4 error(s), 3 warning(s), 0 note(s)"),
        "{}",
        text.stdout
    );
    let healthy = trace(&["www.healthy.com", "+nsall"]);
    assert!(
        healthy.stdout.contains(
            "· NS at the parent com. (TTL 172800): ns1.healthy.com., ns2.healthy.com.; in the zone (TTL 172800): the same names"
        ),
        "{}",
        healthy.stdout
    );
    assert!(
        healthy.stdout.contains(";; DIAGNOSIS: no problem found"),
        "{}",
        healthy.stdout
    );
    // Findings of a zone stay together, whatever order they were found in.
    let drift = trace(&["long.drift.com", "+nsall"]);
    let codes: Vec<&str> = drift
        .stdout
        .lines()
        .filter_map(|l| {
            l.strip_prefix(";; WARNING ")
                .or_else(|| l.strip_prefix(";; INFO "))
        })
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(codes, ["serial_differs", "ns_diversity", "ns_ttl_short"]);
    // Without +nsall, no diagnosis is claimed.
    assert!(!trace(&["www.healthy.com"]).stdout.contains("DIAGNOSIS"));
}

#[test]
fn a_validating_trace_of_an_unsigned_private_root_says_it_needs_an_anchor() {
    let (code, doc) = trace_json(&["www.shop.com", "+dnssec"]);
    assert_eq!(code, 0, "an unknown security is not bogus: {doc}");
    assert_eq!(doc["hops"][0]["dnssec"]["verdict"], "indeterminate");
    assert_eq!(
        doc["hops"][0]["dnssec"]["reason"],
        "no DNSKEY RRset for ., whose trust anchor says it is signed (a private or unsigned root needs --trust-anchor)"
    );
    assert_eq!(
        doc["hops"][1]["dnssec"]["reason"],
        "below a zone whose security is unknown"
    );
    assert_eq!(doc["dnssec"]["verdict"], "indeterminate");
    let text = trace(&["www.shop.com", "+dnssec"]);
    assert!(
        text.stdout
            .contains(";; DNSSEC: INDETERMINATE: the security of shop.com. is unknown"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("    DNSSEC indeterminate: no DNSKEY RRset for ."),
        "{}",
        text.stdout
    );
    let short = trace(&["www.shop.com", "+dnssec", "+short"]);
    assert_eq!(short.stdout, "192.0.2.31\nindeterminate\n");
    // Without +dnssec a trace does not validate.
    let (_, plain) = trace_json(&["www.shop.com"]);
    assert!(
        plain.get("dnssec").is_none() && plain["hops"][0].get("dnssec").is_none(),
        "{plain}"
    );
    // --expect dnssec= judges the verdict.
    let expect = trace(&["www.shop.com", "+dnssec", "--expect", "dnssec=secure"]);
    assert_eq!(expect.code, 6);
}

#[test]
fn validation_options_are_checked() {
    let run = trace(&["www.shop.com", "--expect", "dnssec=secure"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "dnscope: --expect 'dnssec=secure' judges the verdict of a validating trace; add +trace +dnssec\n"
    );
    let run = trace(&["www.shop.com", "--dnssec-time", "2030-01-01T00:00:00Z"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--trust-anchor and --dnssec-time apply only to +trace +dnssec"),
        "{}",
        run.stderr
    );
    let dir = std::env::temp_dir().join(format!("dnscope-anchor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.anchor");
    std::fs::write(&bad, "example. 3600 IN A 192.0.2.1\n").unwrap();
    let run = trace(&["www.shop.com", "+dnssec", "--trust-anchor", bad.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no DS or DNSKEY (with the SEP bit) record in it"),
        "{}",
        run.stderr
    );
    // An anchor for another zone than the root: the root has none, so it is unknown.
    let good = dir.join("good.anchor");
    std::fs::write(
        &good,
        // As dnssec-dsfromkey writes it: no TTL.
        "alg13.test. IN DS 33841 13 2 BAE6580DAFBDAE3E6E3BCF78CFD6FD23C651ADEEBD1741684BDCEB791553B8FD\n",
    )
    .unwrap();
    let run = trace(&[
        "www.shop.com",
        "+dnssec",
        "--json",
        "--trust-anchor",
        good.to_str().unwrap(),
    ]);
    let doc = &json_lines(&run.stdout)[0];
    assert_eq!(
        doc["hops"][0]["dnssec"]["reason"],
        "no trust anchor for . (give one with --trust-anchor)"
    );
    // --expect ad reads a resolver's AD bit: the lab's servers never set it.
    let mut args = lab().args();
    args.retain(|a| a != "--root-hints" && !a.ends_with(".hints"));
    args.extend(["@127.0.0.31", "www.shop.com", "--expect", "ad", "--json"].map(str::to_owned));
    let run = support::dnscope(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert_eq!(json_lines(&run.stdout)[0]["expectations"][0]["seen"], "AD clear");
}
