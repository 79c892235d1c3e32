//! A whole DNS hierarchy on loopback, every server on the same port: a root, `com.`,
//! `net.`, `org.`, a site hosted on Route 53-style glueless name servers whose `www`
//! is a CNAME to a CloudFront-like distribution, an S3 website endpoint under a
//! sub-delegated `amazonaws.com.`, and zones that misbehave the ways real ones do.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::server::{Mode, TestServer, Zone};

/// Address, role, zones, and how the server behaves.
struct Spec {
    ip: &'static str,
    level: Level,
    zones: Vec<Zone>,
    mode: Mode,
}

/// Where a server sits in the hierarchy, for per-level delays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Root,
    Tld,
    Auth,
}

pub(crate) struct Lab {
    pub servers: Vec<(IpAddr, Level, TestServer)>,
    pub port: u16,
    pub hints: PathBuf,
}

fn soa(origin: &str) -> String {
    let base = if origin == "." { "root.lab." } else { origin };
    format!("$TTL 86400\n{origin} 3600 IN SOA ns.{base} hostmaster.{base} 2024010101 7200 3600 1209600 300\n")
}

fn zone(origin: &str, body: &str) -> Zone {
    Zone::parse(origin, &format!("{}{body}", soa(origin)))
}

fn root_zone() -> Zone {
    zone(
        ".",
        ". 518400 IN NS a.root.lab.\n\
         . 518400 IN NS b.root.lab.\n\
         a.root.lab. 518400 IN A 127.0.0.10\n\
         b.root.lab. 518400 IN A 127.0.1.10\n\
         com. 172800 IN NS a.gtld.com.\n\
         com. 172800 IN NS b.gtld.com.\n\
         a.gtld.com. 172800 IN A 127.0.0.20\n\
         b.gtld.com. 172800 IN A 127.0.1.20\n\
         net. 172800 IN NS a.gtld.net.\n\
         net. 172800 IN NS b.gtld.net.\n\
         a.gtld.net. 172800 IN A 127.0.0.21\n\
         b.gtld.net. 172800 IN A 127.0.1.21\n\
         org. 172800 IN NS a.gtld.org.\n\
         org. 172800 IN NS b.gtld.org.\n\
         a.gtld.org. 172800 IN A 127.0.0.22\n\
         b.gtld.org. 172800 IN A 127.0.1.22\n",
    )
}

fn com_zone() -> Zone {
    let mut body = String::from(
        "com. 172800 IN NS a.gtld.com.\n\
         com. 172800 IN NS b.gtld.com.\n\
         a.gtld.com. 172800 IN A 127.0.0.20\n\
         b.gtld.com. 172800 IN A 127.0.1.20\n\
         palette.com. 172800 IN NS ns-1.awsdns-01.org.\n\
         palette.com. 172800 IN NS ns-2.awsdns-02.net.\n\
         shop.com. 172800 IN NS ns1.shop.com.\n\
         ns1.shop.com. 172800 IN A 127.0.0.31\n\
         amazonaws.com. 172800 IN NS ns1.amazonaws.com.\n\
         ns1.amazonaws.com. 172800 IN A 127.0.0.40\n\
         lame.com. 172800 IN NS ns1.lame.com.\n\
         lame.com. 172800 IN NS ns2.lame.com.\n\
         ns1.lame.com. 172800 IN A 127.0.0.50\n\
         ns2.lame.com. 172800 IN A 127.0.0.51\n\
         dead.com. 172800 IN NS ns1.dead.com.\n\
         dead.com. 172800 IN NS ns2.dead.com.\n\
         ns1.dead.com. 172800 IN A 127.0.0.52\n\
         ns2.dead.com. 172800 IN A 127.0.0.53\n\
         alldead.com. 172800 IN NS ns1.alldead.com.\n\
         ns1.alldead.com. 172800 IN A 127.0.0.54\n\
         up.com. 172800 IN NS ns1.up.com.\n\
         up.com. 172800 IN NS ns2.up.com.\n\
         ns1.up.com. 172800 IN A 127.0.0.61\n\
         ns2.up.com. 172800 IN A 127.0.0.62\n\
         loop.com. 172800 IN NS ns1.loop.com.\n\
         ns1.loop.com. 172800 IN A 127.0.0.63\n\
         v6only.com. 172800 IN NS ns6.v6only.com.\n\
         ns6.v6only.com. 172800 IN AAAA ::1\n\
         cycle.com. 172800 IN NS ns.cycle2.com.\n\
         cycle2.com. 172800 IN NS ns.cycle.com.\n\
         faulty.com. 172800 IN NS ns1.faulty.com.\n\
         faulty.com. 172800 IN NS ns2.faulty.com.\n\
         faulty.com. 172800 IN NS ns3.faulty.com.\n\
         faulty.com. 172800 IN NS ns4.faulty.com.\n\
         ns1.faulty.com. 172800 IN A 127.0.0.55\n\
         ns2.faulty.com. 172800 IN A 127.0.0.54\n\
         ns3.faulty.com. 172800 IN A 127.0.0.56\n\
         ns4.faulty.com. 172800 IN A 127.0.0.57\n\
         mixfail.com. 172800 IN NS ns1.mixfail.com.\n\
         mixfail.com. 172800 IN NS ns2.mixfail.com.\n\
         ns1.mixfail.com. 172800 IN A 127.0.0.55\n\
         ns2.mixfail.com. 172800 IN A 127.0.0.54\n\
         drift.com. 172800 IN NS ns1.drift.com.\n\
         drift.com. 172800 IN NS ns2.drift.com.\n\
         ns1.drift.com. 172800 IN A 127.0.0.71\n\
         ns2.drift.com. 172800 IN A 127.0.0.72\n\
         healthy.com. 172800 IN NS ns1.healthy.com.\n\
         healthy.com. 172800 IN NS ns2.healthy.com.\n\
         ns1.healthy.com. 172800 IN A 127.0.2.1\n\
         ns2.healthy.com. 172800 IN A 127.0.3.1\n\
         glue.com. 172800 IN NS ns1.glue.com.\n\
         glue.com. 172800 IN NS ns2.glue.com.\n\
         ns1.glue.com. 172800 IN A 127.0.0.73\n\
         ns2.glue.com. 172800 IN A 127.0.4.74\n\
         noglue.com. 172800 IN NS ns1.noglue.com.\n\
         noglue.com. 172800 IN NS ns2.noglue.com.\n\
         ns1.noglue.com. 172800 IN A 127.0.0.77\n\
         ttls.com. 172800 IN NS ns1.ttls.com.\n\
         ttls.com. 172800 IN NS ns2.ttls.com.\n\
         ns1.ttls.com. 172800 IN A 127.0.0.78\n\
         ns2.ttls.com. 172800 IN A 127.0.4.78\n\
         apex.com. 172800 IN NS ns1.apex.com.\n\
         apex.com. 172800 IN NS ns2.apex.com.\n\
         ns1.apex.com. 172800 IN A 127.0.0.79\n\
         ns2.apex.com. 172800 IN A 127.0.5.79\n\
         nsfail.com. 172800 IN NS ns1.nsfail.com.\n\
         nsfail.com. 172800 IN NS ns.nowhere-dns.net.\n\
         ns1.nsfail.com. 172800 IN A 127.0.0.80\n\
         circ.com. 172800 IN NS ns1.circ.com.\n\
         circ.com. 172800 IN NS ns.circ-dns.net.\n\
         ns1.circ.com. 172800 IN A 127.0.0.81\n\
         edns.com. 172800 IN NS ns1.edns.com.\n\
         edns.com. 172800 IN NS ns2.edns.com.\n\
         ns1.edns.com. 172800 IN A 127.0.0.82\n\
         ns2.edns.com. 172800 IN A 127.0.7.82\n\
         notcp.com. 172800 IN NS ns1.notcp.com.\n\
         notcp.com. 172800 IN NS ns2.notcp.com.\n\
         ns1.notcp.com. 172800 IN A 127.0.0.83\n\
         ns2.notcp.com. 172800 IN A 127.0.8.83\n",
    );
    // A delegation whose referral does not fit in 1232 bytes: TC, then TCP.
    for i in 0..40 {
        body.push_str(&format!(
            "big.com. 172800 IN NS ns{i:02}.a-rather-long-name-server-label-for-big.com.\n\
             ns{i:02}.a-rather-long-name-server-label-for-big.com. 172800 IN A 127.0.0.60\n"
        ));
    }
    // So many glueless name servers that resolving them all would pass the query budget.
    for i in 0..160 {
        body.push_str(&format!("budget.com. 172800 IN NS ns{i}.budget-dns.net.\n"));
    }
    zone("com.", &body)
}

fn net_zone() -> Zone {
    zone(
        "net.",
        "net. 172800 IN NS a.gtld.net.\n\
         net. 172800 IN NS b.gtld.net.\n\
         a.gtld.net. 172800 IN A 127.0.0.21\n\
         b.gtld.net. 172800 IN A 127.0.1.21\n\
         circ-dns.net. 172800 IN NS ns1.circ.com.\n\
         cloudfront.net. 172800 IN NS ns.cloudfront.net.\n\
         ns.cloudfront.net. 172800 IN A 127.0.0.24\n\
         awsdns-02.net. 172800 IN NS ns.awsdns-02.net.\n\
         ns.awsdns-02.net. 172800 IN A 127.0.0.25\n\
         budget-dns.net. 172800 IN NS ns.budget-dns.net.\n\
         ns.budget-dns.net. 172800 IN A 127.0.0.70\n",
    )
}

fn org_zone() -> Zone {
    zone(
        "org.",
        "org. 172800 IN NS a.gtld.org.\n\
         org. 172800 IN NS b.gtld.org.\n\
         a.gtld.org. 172800 IN A 127.0.0.22\n\
         b.gtld.org. 172800 IN A 127.0.1.22\n\
         awsdns-01.org. 172800 IN NS ns.awsdns-01.org.\n\
         ns.awsdns-01.org. 172800 IN A 127.0.0.23\n",
    )
}

fn palette_zone() -> Zone {
    let mut body = String::from(
        "palette.com. 172800 IN NS ns-1.awsdns-01.org.\n\
         palette.com. 172800 IN NS ns-2.awsdns-02.net.\n\
         palette.com. 300 IN A 192.0.2.30\n\
         www 300 IN CNAME d111abcdef8.cloudfront.net.\n\
         static 300 IN CNAME bucket.s3-website-us-east-1.amazonaws.com.\n\
         loop1 300 IN CNAME loop2.palette.com.\n\
         loop2 300 IN CNAME loop1.palette.com.\n\
         hop0 300 IN CNAME d111abcdef8.cloudfront.net.\n\
         gone 300 IN CNAME missing.cloudfront.net.\n",
    );
    // c0 → c1 → … → c17: 17 CNAME hops, one past the limit.
    for i in 0..17 {
        body.push_str(&format!("c{i} 300 IN CNAME c{}.palette.com.\n", i + 1));
    }
    body.push_str("c17 300 IN A 192.0.2.17\n");
    zone("palette.com.", &body)
}

/// `faulty.com.` as its servers hold it: the parent lists ns1-ns4, the child's own NS
/// set lists ns3-ns5 (a parent/child mismatch); `serial` tells the stale secondary.
fn faulty_zone(serial: u32) -> Zone {
    Zone::parse(
        "faulty.com.",
        &format!(
            "faulty.com. 3600 IN SOA ns3.faulty.com. hostmaster.faulty.com. {serial} 7200 3600 1209600 300\n\
             faulty.com. 3600 IN NS ns3.faulty.com.\n\
             faulty.com. 3600 IN NS ns4.faulty.com.\n\
             faulty.com. 3600 IN NS ns5.faulty.com.\n\
             ns3.faulty.com. 3600 IN A 127.0.0.56\n\
             ns4.faulty.com. 3600 IN A 127.0.0.57\n\
             ns5.faulty.com. 3600 IN A 127.0.0.58\n\
             www.faulty.com. 300 IN A 192.0.2.57\n\
             geo.faulty.com. 60 IN A 192.0.2.{}\n",
            serial % 100
        ),
    )
}

/// A zone with two name servers inside it, `ns1` and `ns2` at `ns1_ip` and `ns2_ip` as
/// the zone itself gives them, and `rest` (records relative to the origin).
fn pair(origin: &str, ns1_ip: &str, ns2_ip: &str, ns_ttl: u32, rest: &str) -> Zone {
    zone(
        origin,
        &format!(
            "{origin} {ns_ttl} IN NS ns1.{origin}\n{origin} {ns_ttl} IN NS ns2.{origin}\n\
             ns1 172800 IN A {ns1_ip}\nns2 172800 IN A {ns2_ip}\n{rest}"
        ),
    )
}

/// The zones of the diagnosis scenarios: each is healthy but for one fault.
fn scenario_specs() -> Vec<Spec> {
    let spec = |ip, zones, mode| Spec {
        ip,
        level: Level::Auth,
        zones,
        mode,
    };
    let healthy = || {
        pair(
            "healthy.com.",
            "127.0.2.1",
            "127.0.3.1",
            172800,
            "www 300 IN A 192.0.2.101\nlocal 300 IN A 127.0.0.1\n",
        )
    };
    // Stand-ins for caching resolvers (for +lifecycle): one holds an older answer with
    // 120 s left of it, one the current answer with 250 s left, one a cached NXDOMAIN.
    let cached = |rest: &str| pair("healthy.com.", "127.0.2.1", "127.0.3.1", 172800, rest);
    // ns1's glue lacks one of its two addresses; ns2's glue is an old address.
    let glue = || {
        pair(
            "glue.com.",
            "127.0.0.73",
            "127.0.4.75",
            172800,
            "ns1 172800 IN A 127.0.4.73\nwww 300 IN A 192.0.2.73\n",
        )
    };
    let noglue = || {
        pair(
            "noglue.com.",
            "127.0.0.77",
            "127.0.0.77",
            172800,
            "www 300 IN A 192.0.2.77\n",
        )
    };
    // The same data with other TTLs on the second server.
    let ttls = |ns_ttl: u32, www_ttl: u32| {
        pair(
            "ttls.com.",
            "127.0.0.78",
            "127.0.4.78",
            ns_ttl,
            &format!("www {www_ttl} IN A 192.0.2.78\n"),
        )
    };
    let mut apex = pair("apex.com.", "127.0.0.79", "127.0.5.79", 172800, "");
    apex.add(
        "apex.com.",
        300,
        hickory_proto::rr::RData::CNAME(hickory_proto::rr::rdata::CNAME(
            hickory_proto::rr::Name::from_ascii("www.shop.com.").unwrap(),
        )),
    );
    let nsfail = zone(
        "nsfail.com.",
        "nsfail.com. 172800 IN NS ns1.nsfail.com.\nnsfail.com. 172800 IN NS ns.nowhere-dns.net.\n\
         ns1 172800 IN A 127.0.0.80\nwww 300 IN A 192.0.2.80\n",
    );
    // circ.com.'s second name server lives in circ-dns.net., which circ.com.'s own
    // first server serves.
    let circ = || {
        zone(
            "circ.com.",
            "circ.com. 172800 IN NS ns1.circ.com.\ncirc.com. 172800 IN NS ns.circ-dns.net.\n\
             ns1 172800 IN A 127.0.0.81\nwww 300 IN A 192.0.2.81\n",
        )
    };
    let circ_dns = zone(
        "circ-dns.net.",
        "circ-dns.net. 172800 IN NS ns1.circ.com.\nns 172800 IN A 127.0.6.81\n",
    );
    let edns = || {
        pair(
            "edns.com.",
            "127.0.0.82",
            "127.0.7.82",
            172800,
            "www 300 IN A 192.0.2.82\n",
        )
    };
    let notcp = || {
        pair(
            "notcp.com.",
            "127.0.0.83",
            "127.0.8.83",
            172800,
            "www 300 IN A 192.0.2.83\n",
        )
    };
    vec![
        spec("127.0.2.1", vec![healthy()], Mode::Normal),
        spec("127.0.3.1", vec![healthy()], Mode::Normal),
        spec(
            "127.0.9.1",
            vec![cached("www 120 IN A 192.0.2.99\n")],
            Mode::Normal,
        ),
        spec(
            "127.0.9.2",
            vec![cached("www 250 IN A 192.0.2.101\n")],
            Mode::Normal,
        ),
        spec("127.0.9.3", vec![cached("")], Mode::Normal),
        spec("127.0.9.4", vec![], Mode::Rcode(2)),
        spec("127.0.0.73", vec![glue()], Mode::Normal),
        spec("127.0.4.74", vec![glue()], Mode::Normal),
        spec("127.0.0.77", vec![noglue()], Mode::Normal),
        spec("127.0.0.78", vec![ttls(172800, 300)], Mode::Normal),
        spec("127.0.4.78", vec![ttls(86400, 600)], Mode::Normal),
        spec("127.0.0.79", vec![apex.clone()], Mode::Normal),
        spec("127.0.5.79", vec![apex], Mode::Normal),
        spec("127.0.0.80", vec![nsfail], Mode::Normal),
        spec("127.0.0.81", vec![circ(), circ_dns], Mode::Normal),
        spec("127.0.6.81", vec![circ()], Mode::Normal),
        spec("127.0.0.82", vec![edns()], Mode::EdnsFormerr),
        spec("127.0.7.82", vec![edns()], Mode::IgnoreEdns),
        spec("127.0.0.83", vec![notcp()], Mode::UdpOnly),
        spec("127.0.8.83", vec![notcp()], Mode::Normal),
    ]
}

/// `drift.com.` at version `serial`; the same records otherwise.
fn drift_zone(serial: u32) -> Zone {
    Zone::parse(
        "drift.com.",
        &format!(
            "drift.com. 3600 IN SOA ns1.drift.com. hostmaster.drift.com. {serial} 7200 3600 1209600 300\n\
             drift.com. 172800 IN NS ns1.drift.com.\n\
             drift.com. 172800 IN NS ns2.drift.com.\n\
             ns1.drift.com. 172800 IN A 127.0.0.71\n\
             ns2.drift.com. 172800 IN A 127.0.0.72\n\
             www.drift.com. 300 IN A 192.0.2.71\n\
             long.drift.com. 604800 IN A 192.0.2.72\n"
        ),
    )
}

fn host(origin: &str, ns: &str, ns_ip: &str, www: &str) -> Zone {
    let rtype = if ns_ip.contains(':') { "AAAA" } else { "A" };
    zone(
        origin,
        &format!("{origin} 172800 IN NS {ns}\n{ns} 172800 IN {rtype} {ns_ip}\nwww.{origin} 300 IN A {www}\n"),
    )
}

fn specs() -> Vec<Spec> {
    use Level::{Auth, Root, Tld};
    let spec = |ip, level, zones, mode| Spec {
        ip,
        level,
        zones,
        mode,
    };
    let mut specs = vec![
        spec("127.0.0.10", Root, vec![root_zone()], Mode::Normal),
        // The second root and TLD servers sit in other /24s, as real ones do: the lab's
        // upper levels are diverse enough not to raise findings of their own.
        spec("127.0.1.10", Root, vec![root_zone()], Mode::Normal),
        spec("127.0.0.20", Tld, vec![com_zone()], Mode::Normal),
        spec("127.0.1.20", Tld, vec![com_zone()], Mode::Normal),
        spec("127.0.0.21", Tld, vec![net_zone()], Mode::Normal),
        spec("127.0.1.21", Tld, vec![net_zone()], Mode::Normal),
        spec("127.0.0.22", Tld, vec![org_zone()], Mode::Normal),
        spec("127.0.1.22", Tld, vec![org_zone()], Mode::Normal),
        spec(
            "127.0.0.23",
            Auth,
            vec![zone(
                "awsdns-01.org.",
                "awsdns-01.org. 172800 IN NS ns.awsdns-01.org.\nns.awsdns-01.org. 172800 IN A 127.0.0.23\nns-1.awsdns-01.org. 172800 IN A 127.0.0.30\n",
            )],
            Mode::Normal,
        ),
        spec(
            "127.0.0.25",
            Auth,
            vec![zone(
                "awsdns-02.net.",
                "awsdns-02.net. 172800 IN NS ns.awsdns-02.net.\nns.awsdns-02.net. 172800 IN A 127.0.0.25\nns-2.awsdns-02.net. 172800 IN A 127.0.0.30\n",
            )],
            Mode::Normal,
        ),
        spec(
            "127.0.0.24",
            Auth,
            vec![zone(
                "cloudfront.net.",
                "cloudfront.net. 172800 IN NS ns.cloudfront.net.\nns.cloudfront.net. 172800 IN A 127.0.0.24\nd111abcdef8.cloudfront.net. 60 IN A 192.0.2.80\nd111abcdef8.cloudfront.net. 60 IN A 192.0.2.81\n",
            )],
            Mode::Normal,
        ),
        spec("127.0.0.30", Auth, vec![palette_zone()], Mode::Normal),
        spec(
            "127.0.0.31",
            Auth,
            vec![host("shop.com.", "ns1.shop.com.", "127.0.0.31", "192.0.2.31")],
            Mode::Normal,
        ),
        spec(
            "127.0.0.40",
            Auth,
            vec![zone(
                "amazonaws.com.",
                "amazonaws.com. 172800 IN NS ns1.amazonaws.com.\nns1.amazonaws.com. 172800 IN A 127.0.0.40\ns3-website-us-east-1.amazonaws.com. 172800 IN NS ns1.s3-website-us-east-1.amazonaws.com.\nns1.s3-website-us-east-1.amazonaws.com. 172800 IN A 127.0.0.41\n",
            )],
            Mode::Normal,
        ),
        spec(
            "127.0.0.41",
            Auth,
            vec![zone(
                "s3-website-us-east-1.amazonaws.com.",
                "s3-website-us-east-1.amazonaws.com. 172800 IN NS ns1.s3-website-us-east-1.amazonaws.com.\nns1.s3-website-us-east-1.amazonaws.com. 172800 IN A 127.0.0.41\nbucket.s3-website-us-east-1.amazonaws.com. 5 IN A 192.0.2.90\n",
            )],
            Mode::Normal,
        ),
        spec("127.0.0.50", Auth, vec![], Mode::Lame),
        // faulty.com.: a server that refuses the zone, a silent one (.54), a stale
        // secondary and the primary.
        spec("127.0.0.55", Auth, vec![], Mode::Rcode(5)),
        spec("127.0.0.56", Auth, vec![faulty_zone(2024010100)], Mode::Normal),
        spec("127.0.0.57", Auth, vec![faulty_zone(2024010101)], Mode::Normal),
        // drift.com.: two healthy servers, one a version behind (only a warning).
        spec("127.0.0.71", Auth, vec![drift_zone(7)], Mode::Normal),
        spec("127.0.0.72", Auth, vec![drift_zone(8)], Mode::Normal),
        spec(
            "127.0.0.51",
            Auth,
            vec![host("lame.com.", "ns2.lame.com.", "127.0.0.51", "192.0.2.51")],
            Mode::Normal,
        ),
        spec("127.0.0.52", Auth, vec![], Mode::Silent),
        spec(
            "127.0.0.53",
            Auth,
            vec![host("dead.com.", "ns2.dead.com.", "127.0.0.53", "192.0.2.53")],
            Mode::Normal,
        ),
        spec("127.0.0.54", Auth, vec![], Mode::Silent),
        spec(
            "127.0.0.60",
            Auth,
            vec![host(
                "big.com.",
                "ns00.a-rather-long-name-server-label-for-big.com.",
                "127.0.0.60",
                "192.0.2.60",
            )],
            Mode::Normal,
        ),
        // A stale copy of com.: it refers up.com. and loop.com. to themselves.
        spec("127.0.0.61", Auth, vec![com_zone()], Mode::Normal),
        spec(
            "127.0.0.62",
            Auth,
            vec![host("up.com.", "ns2.up.com.", "127.0.0.62", "192.0.2.62")],
            Mode::Normal,
        ),
        spec("127.0.0.63", Auth, vec![com_zone()], Mode::Normal),
        spec(
            "127.0.0.70",
            Auth,
            vec![zone(
                "budget-dns.net.",
                "budget-dns.net. 172800 IN NS ns.budget-dns.net.\nns.budget-dns.net. 172800 IN A 127.0.0.70\n",
            )],
            Mode::Normal,
        ),
        spec(
            "::1",
            Auth,
            vec![host("v6only.com.", "ns6.v6only.com.", "::1", "192.0.2.66")],
            Mode::Normal,
        ),
    ];
    specs.extend(scenario_specs());
    specs
}

impl Lab {
    /// Starts every server and writes a root hints file naming only the lab's root.
    pub(crate) fn start() -> Lab {
        let specs = specs();
        let modes: Vec<(Level, Mode)> = specs.iter().map(|s| (s.level, s.mode.clone())).collect();
        let servers = TestServer::start_many(
            specs
                .into_iter()
                .map(|s| (s.ip.parse().unwrap(), s.zones))
                .collect(),
        );
        let port = servers[0].addr.port();
        let servers: Vec<(IpAddr, Level, TestServer)> = servers
            .into_iter()
            .zip(modes)
            .map(|(server, (level, mode))| {
                server.set_mode(mode);
                (server.addr.ip(), level, server)
            })
            .collect();
        let hints = std::env::temp_dir().join(format!("dnscope-lab-{}-{port}.hints", std::process::id()));
        std::fs::write(
            &hints,
            ". 3600000 NS a.root.lab.\n. 3600000 NS b.root.lab.\na.root.lab. 3600000 A 127.0.0.10\nb.root.lab. 3600000 A 127.0.1.10\n",
        )
        .unwrap();
        Lab { servers, port, hints }
    }

    /// The server on `ip`.
    pub(crate) fn server(&self, ip: &str) -> &TestServer {
        let ip: IpAddr = ip.parse().unwrap();
        &self
            .servers
            .iter()
            .find(|(i, _, _)| *i == ip)
            .expect("a lab server")
            .2
    }

    /// Delays every answering server by its level (the benchmark's per-level latency).
    pub(crate) fn set_delays(&self, root: Duration, tld: Duration, auth: Duration) {
        for (_, level, server) in &self.servers {
            if server.mode() == Mode::Normal {
                server.set_mode(Mode::Delay(match level {
                    Level::Root => root,
                    Level::Tld => tld,
                    Level::Auth => auth,
                }));
            }
        }
    }

    /// `--root-hints FILE -p PORT`.
    pub(crate) fn args(&self) -> Vec<String> {
        hints_and_port(&self.hints, self.port)
    }
}

/// A second, small hierarchy for `+nsall`'s speed: the root, `com.` and `four.com.`
/// each have four servers, each server in a /24 of its own and slower than the last
/// (a quarter of the level's delay, a half, three quarters, all of it).
pub(crate) struct Spread {
    pub servers: Vec<TestServer>,
    pub port: u16,
    pub hints: PathBuf,
}

impl Spread {
    /// Starts it, with `delays` (root, TLD, authoritative) the slowest server's of each level.
    pub(crate) fn start(delays: [Duration; 3]) -> Spread {
        let addr = |level: usize, i: usize| format!("127.{}.{}.1", 10 + level, i + 1);
        let mut root = String::new();
        let mut com = String::new();
        let mut four = String::new();
        for i in 0..4 {
            let letter = char::from(b'a' + u8::try_from(i).unwrap());
            root.push_str(&format!(
                ". 518400 IN NS {letter}.root.spread.\n{letter}.root.spread. 518400 IN A {}\n\
                 com. 172800 IN NS {letter}.nic.com.\n{letter}.nic.com. 172800 IN A {}\n",
                addr(0, i),
                addr(1, i)
            ));
            com.push_str(&format!(
                "com. 172800 IN NS {letter}.nic.com.\n{letter}.nic.com. 172800 IN A {}\n\
                 four.com. 172800 IN NS ns{i}.four.com.\nns{i}.four.com. 172800 IN A {}\n",
                addr(1, i),
                addr(2, i)
            ));
            four.push_str(&format!(
                "four.com. 172800 IN NS ns{i}.four.com.\nns{i}.four.com. 172800 IN A {}\n",
                addr(2, i)
            ));
        }
        four.push_str("www.four.com. 300 IN A 192.0.2.4\n");
        let zones = [zone(".", &root), zone("com.", &com), zone("four.com.", &four)];
        let mut at = Vec::new();
        for (level, zone) in zones.iter().enumerate() {
            for i in 0..4 {
                at.push((addr(level, i).parse().unwrap(), vec![zone.clone()]));
            }
        }
        let servers = TestServer::start_many(at);
        for (n, server) in servers.iter().enumerate() {
            let (level, i) = (n / 4, n % 4);
            server.set_mode(Mode::Delay(delays[level] * u32::try_from(i + 1).unwrap() / 4));
        }
        let port = servers[0].addr.port();
        let hints = std::env::temp_dir().join(format!("dnscope-spread-{}-{port}.hints", std::process::id()));
        let text: String = (0..4)
            .map(|i| {
                let letter = char::from(b'a' + u8::try_from(i).unwrap());
                format!(
                    ". 3600000 NS {letter}.root.spread.\n{letter}.root.spread. 3600000 A {}\n",
                    addr(0, i)
                )
            })
            .collect();
        std::fs::write(&hints, text).unwrap();
        Spread { servers, port, hints }
    }

    /// `--root-hints FILE -p PORT`.
    pub(crate) fn args(&self) -> Vec<String> {
        hints_and_port(&self.hints, self.port)
    }
}

/// A small signed hierarchy for DNSSEC validation: a signed root and `com.`, and under
/// `com.` a signed zone (whose `cdn` is a CNAME into the next), an unsigned one (NSEC
/// proves its DS absent), one whose server tampers with answers after signing, and one
/// whose signatures expired. One ECDSA P-256 key per zone, made afresh.
pub(crate) struct SignedLab {
    pub servers: Vec<TestServer>,
    pub port: u16,
    pub hints: PathBuf,
    /// The root's DS, as a `--trust-anchor` file.
    pub anchor: PathBuf,
}

impl SignedLab {
    pub(crate) fn start() -> SignedLab {
        use super::signer::sign;
        let now = u32::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .unwrap();
        let (from, until) = (now - 86_400, now + 30 * 86_400);
        let mut signed = zone(
            "signed.com.",
            "signed.com. 3600 IN NS ns.signed.com.\nns 3600 IN A 127.30.2.1\nwww 300 IN A 192.0.2.1\n\
             cdn 300 IN CNAME www.unsigned.com.\n",
        );
        let unsigned = zone(
            "unsigned.com.",
            "unsigned.com. 3600 IN NS ns.unsigned.com.\nns 3600 IN A 127.30.3.1\nwww 300 IN A 192.0.2.3\n",
        );
        let mut bogus = zone(
            "bogus.com.",
            "bogus.com. 3600 IN NS ns.bogus.com.\nns 3600 IN A 127.30.4.1\nwww 300 IN A 192.0.2.4\n",
        );
        let mut expired = zone(
            "expired.com.",
            "expired.com. 3600 IN NS ns.expired.com.\nns 3600 IN A 127.30.5.1\nwww 300 IN A 192.0.2.5\n",
        );
        let ds = [
            sign(&mut signed, from, until),
            sign(&mut bogus, from, until),
            // Valid for a day, a year ago.
            sign(&mut expired, now - 366 * 86_400, now - 365 * 86_400),
        ];
        let mut com = zone(
            "com.",
            "com. 3600 IN NS a.nic.com.\na.nic.com. 3600 IN A 127.30.1.1\n\
             signed.com. 3600 IN NS ns.signed.com.\nns.signed.com. 3600 IN A 127.30.2.1\n\
             unsigned.com. 3600 IN NS ns.unsigned.com.\nns.unsigned.com. 3600 IN A 127.30.3.1\n\
             bogus.com. 3600 IN NS ns.bogus.com.\nns.bogus.com. 3600 IN A 127.30.4.1\n\
             expired.com. 3600 IN NS ns.expired.com.\nns.expired.com. 3600 IN A 127.30.5.1\n",
        );
        com.records.extend(ds);
        let com_ds = sign(&mut com, from, until);
        let mut root = zone(
            ".",
            ". 3600 IN NS a.root.signed.\na.root.signed. 3600 IN A 127.30.0.1\n\
             com. 3600 IN NS a.nic.com.\na.nic.com. 3600 IN A 127.30.1.1\n",
        );
        root.records.push(com_ds);
        let root_ds = sign(&mut root, from, until);
        let servers = TestServer::start_many(vec![
            ("127.30.0.1".parse().unwrap(), vec![root]),
            ("127.30.1.1".parse().unwrap(), vec![com]),
            ("127.30.2.1".parse().unwrap(), vec![signed]),
            ("127.30.3.1".parse().unwrap(), vec![unsigned]),
            ("127.30.4.1".parse().unwrap(), vec![bogus]),
            ("127.30.5.1".parse().unwrap(), vec![expired]),
        ]);
        servers[4].set_mode(Mode::TamperA);
        let port = servers[0].addr.port();
        let dir = std::env::temp_dir().join(format!("dnscope-signed-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let hints = dir.join("hints");
        std::fs::write(
            &hints,
            ". 3600000 NS a.root.signed.\na.root.signed. 3600000 A 127.30.0.1\n",
        )
        .unwrap();
        let anchor = dir.join("anchor");
        std::fs::write(&anchor, format!(". 3600 IN DS {}\n", root_ds.data)).unwrap();
        SignedLab {
            servers,
            port,
            hints,
            anchor,
        }
    }

    /// `--root-hints FILE -p PORT --trust-anchor FILE`.
    pub(crate) fn args(&self) -> Vec<String> {
        let mut args = hints_and_port(&self.hints, self.port);
        args.extend(["--trust-anchor".into(), self.anchor.display().to_string()]);
        args
    }
}

/// `--root-hints FILE -p PORT`: how every lab is reached.
fn hints_and_port(hints: &std::path::Path, port: u16) -> Vec<String> {
    vec![
        "--root-hints".into(),
        hints.display().to_string(),
        "-p".into(),
        port.to_string(),
    ]
}
