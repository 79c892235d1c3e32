//! `+lifecycle`'s judgement: whether each resolver's cached copy is the authority's,
//! how old it is, and the verdict in the words of the usual complaints. Pure: the
//! lookup layer asks the resolvers, reads the files and connects; this decides.
//!
//! May use: dns, model.

pub(crate) mod files;

use crate::model::lifecycle::{Authority, Connect, Hosts, LifecycleVerdict, ResolverView};
use crate::model::trace::{Finding, Severity};

/// Above this, a resolver's reply or the whole trace counts as slow.
const SLOW_RESOLVER_US: u64 = 1_000_000;
const SLOW_TRACE_US: u64 = 3_000_000;

/// What was seen along the way, for the verdict.
pub(crate) struct Seen<'a> {
    /// The name asked, and the zone whose servers answered it.
    pub name: &'a str,
    pub zone: &'a str,
    pub hosts: &'a Hosts,
    pub authority: &'a Authority,
    /// Where the trace spent most of its time: the zone and the microseconds.
    pub slowest_hop: Option<(&'a str, u64)>,
    pub connect: &'a [Connect],
}

/// Marks each resolver that agrees with the authority and the age of its copy.
pub(crate) fn compare(resolvers: &mut [ResolverView], authority: &Authority) {
    for view in resolvers.iter_mut() {
        view.agrees = match authority.outcome.as_str() {
            "answer" => view.rcode.as_deref() == Some("NOERROR") && view.answer == authority.answer,
            "nxdomain" => view.rcode.as_deref() == Some("NXDOMAIN"),
            "nodata" => view.rcode.as_deref() == Some("NOERROR") && view.answer.is_empty(),
            _ => false,
        };
        // Only a positive copy has an authoritative TTL to measure the age against.
        view.age = match (authority.ttl, view.ttl) {
            (Some(full), Some(left)) if view.agrees && !view.answer.is_empty() && left <= full => {
                Some(full - left)
            }
            _ => None,
        };
    }
}

/// The findings of the lifecycle, and its verdict.
pub(crate) fn judge(seen: &Seen<'_>, resolvers: &[ResolverView]) -> (Vec<Finding>, LifecycleVerdict) {
    let mut findings = Vec::new();
    let finding = |code, severity, servers: Vec<String>, message: String, detail: String| Finding {
        code,
        severity,
        zone: seen.zone.to_owned(),
        servers,
        message,
        detail,
    };
    let authority = seen.authority;
    let hosts = seen.hosts;
    let hosts_differ = hosts.overrides_dns && hosts.addresses != authority.answer;
    if hosts_differ {
        findings.push(finding(
            "hosts_override",
            Severity::Warning,
            vec![hosts.file.clone()],
            format!(
                "{} gives {} for {}, before DNS is asked: this machine never sees the DNS answer ({})",
                hosts.file,
                hosts.addresses.join(", "),
                seen.name,
                shown(&authority.answer, &authority.outcome)
            ),
            String::new(),
        ));
    }
    let answered =
        authority.outcome == "answer" || authority.outcome == "nxdomain" || authority.outcome == "nodata";
    let mut stale = Vec::new();
    let mut failed = Vec::new();
    for view in resolvers {
        if view.agrees || !answered {
            continue;
        }
        match view.rcode.as_deref() {
            Some("NOERROR" | "NXDOMAIN") => {
                let expires = view
                    .ttl
                    .map_or_else(String::new, |t| format!("; its copy expires in {t} s"));
                let geo = if authority.outcome == "answer" && !view.answer.is_empty() {
                    " (or the name is routed by location, and the resolver sees another site)"
                } else {
                    ""
                };
                stale.push(view);
                findings.push(finding(
                    "stale_cache",
                    Severity::Warning,
                    vec![view.server.clone()],
                    format!(
                        "the resolver {} still gives {} where the authority gives {}{expires}{geo}",
                        view.server,
                        shown(&view.answer, &view.outcome.to_ascii_lowercase()),
                        shown(&authority.answer, &authority.outcome)
                    ),
                    format!(
                        "resolver TTL left {}",
                        view.ttl.map_or_else(|| "-".to_owned(), |t| t.to_string())
                    ),
                ));
            }
            _ => {
                failed.push(view);
                findings.push(finding(
                    "resolver_failed",
                    Severity::Error,
                    vec![view.server.clone()],
                    format!(
                        "the resolver {} gives no answer ({}) while the authority answers: clients behind it fail",
                        view.server, view.outcome
                    ),
                    String::new(),
                ));
            }
        }
    }
    let unreachable: Vec<&Connect> = seen.connect.iter().filter(|c| !c.ok).collect();
    if !seen.connect.is_empty() && unreachable.len() == seen.connect.len() {
        findings.push(finding(
            "endpoint_unreachable",
            Severity::Error,
            unreachable
                .iter()
                .map(|c| format!("{}#{}", c.address, c.port))
                .collect(),
            format!(
                "DNS is fine, the endpoint is not: no address of {} accepts a connection on port {}",
                seen.name, unreachable[0].port
            ),
            unreachable
                .iter()
                .map(|c| format!("{}#{}: {}", c.address, c.port, c.error.as_deref().unwrap_or("")))
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    let verdict = verdict(seen, resolvers, &stale, &failed, unreachable.len());
    (findings, verdict)
}

fn verdict(
    seen: &Seen<'_>,
    resolvers: &[ResolverView],
    stale: &[&ResolverView],
    failed: &[&ResolverView],
    unreachable: usize,
) -> LifecycleVerdict {
    let say = |kind, message: String| LifecycleVerdict { kind, message };
    let authority = seen.authority;
    if seen.hosts.overrides_dns {
        let same = if seen.hosts.addresses == authority.answer {
            "the same as DNS, but DNS changes will not reach this machine"
        } else {
            "not what DNS gives"
        };
        return say(
            "hosts_override",
            format!(
                "hosts-file override: {} gives {} ({same})",
                seen.hosts.file,
                seen.hosts.addresses.join(", ")
            ),
        );
    }
    match authority.outcome.as_str() {
        "nxdomain" if stale.is_empty() => {
            return say(
                "nxdomain",
                format!(
                    "NXDOMAIN at the authority: {} does not exist in {}",
                    seen.name, seen.zone
                ),
            );
        }
        "nodata" if stale.is_empty() => {
            return say(
                "nodata",
                format!("{} exists but has no record of the asked type", seen.name),
            );
        }
        "answer" | "nxdomain" | "nodata" => {}
        other => {
            return say("no_answer", format!("the authority gave no answer ({other})"));
        }
    }
    if let Some(view) = stale.first() {
        let nx = if view.rcode.as_deref() == Some("NXDOMAIN") {
            "NXDOMAIN at the resolver, not at the authority: "
        } else {
            ""
        };
        let expires = view.ttl.map_or_else(
            || "its copy's TTL is unknown".to_owned(),
            |t| format!("expires in {t} s"),
        );
        return say(
            "stale_cache",
            format!("{nx}stale cache at {} ({expires})", view.server),
        );
    }
    if let Some(view) = failed.first() {
        return say(
            "resolver_failed",
            format!(
                "the resolver {} fails ({}) while the authority answers",
                view.server, view.outcome
            ),
        );
    }
    if unreachable > 0 && unreachable == seen.connect.len() {
        return say(
            "endpoint_unreachable",
            format!(
                "DNS resolves and agrees, the endpoint is unreachable on port {}",
                seen.connect[0].port
            ),
        );
    }
    let slow_resolver = resolvers
        .iter()
        .filter(|r| r.rtt_us.is_some_and(|t| t > SLOW_RESOLVER_US))
        .max_by_key(|r| r.rtt_us);
    if let Some(view) = slow_resolver {
        return say(
            "slow",
            format!(
                "slow: the resolver {} took {} ms",
                view.server,
                view.rtt_us.unwrap_or(0) / 1000
            ),
        );
    }
    if authority.time_us > SLOW_TRACE_US {
        let place = seen.slowest_hop.map_or_else(String::new, |(zone, us)| {
            format!(", most of it at {zone} ({} ms)", us / 1000)
        });
        return say(
            "slow",
            format!(
                "slow: the walk from the root took {} ms{place}",
                authority.time_us / 1000
            ),
        );
    }
    let agreeing = if resolvers.is_empty() {
        String::new()
    } else {
        format!(", and all {} resolver(s) agree", resolvers.len())
    };
    say("ok", format!("{} resolves{agreeing}", seen.name))
}

fn shown(answer: &[String], outcome: &str) -> String {
    if answer.is_empty() {
        outcome.to_uppercase()
    } else {
        answer.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(server: &str, rcode: &str, answer: &[&str], ttl: u32, rtt_ms: u64) -> ResolverView {
        ResolverView {
            server: server.to_owned(),
            outcome: rcode.to_owned(),
            rcode: Some(rcode.to_owned()),
            answer: answer.iter().map(|a| (*a).to_owned()).collect(),
            ttl: Some(ttl),
            age: None,
            rtt_us: Some(rtt_ms * 1000),
            agrees: false,
        }
    }

    fn authority(time_ms: u64) -> Authority {
        Authority {
            outcome: "answer".to_owned(),
            answer: vec!["192.0.2.1".to_owned()],
            ttl: Some(300),
            time_us: time_ms * 1000,
        }
    }

    fn no_hosts() -> Hosts {
        Hosts {
            file: "/etc/hosts".to_owned(),
            addresses: Vec::new(),
            overrides_dns: false,
            error: None,
        }
    }

    fn judged(
        resolvers: &mut [ResolverView],
        authority: &Authority,
        connect: &[Connect],
    ) -> (Vec<Finding>, LifecycleVerdict) {
        compare(resolvers, authority);
        let hosts = no_hosts();
        let seen = Seen {
            name: "www.example.test.",
            zone: "example.test.",
            hosts: &hosts,
            authority,
            slowest_hop: Some(("example.test.", 3_400_000)),
            connect,
        };
        judge(&seen, resolvers)
    }

    #[test]
    fn ages_are_measured_only_on_agreeing_positive_copies() {
        let mut resolvers = [
            view("a", "NOERROR", &["192.0.2.1"], 100, 5),
            view("b", "NOERROR", &["192.0.2.9"], 100, 5),
            // A TTL above the authority's (a resolver that stretches TTLs): no age.
            view("c", "NOERROR", &["192.0.2.1"], 900, 5),
        ];
        compare(&mut resolvers, &authority(10));
        let seen: Vec<(bool, Option<u32>)> = resolvers.iter().map(|r| (r.agrees, r.age)).collect();
        assert_eq!(seen, [(true, Some(200)), (false, None), (true, None)]);
    }

    #[test]
    fn slowness_names_where_the_time_went() {
        let (findings, verdict) = judged(
            &mut [view("a", "NOERROR", &["192.0.2.1"], 100, 1500)],
            &authority(10),
            &[],
        );
        assert!(findings.is_empty());
        assert_eq!(
            (verdict.kind, verdict.message.as_str()),
            ("slow", "slow: the resolver a took 1500 ms")
        );
        let (_, verdict) = judged(&mut [], &authority(4000), &[]);
        assert_eq!(
            verdict.message,
            "slow: the walk from the root took 4000 ms, most of it at example.test. (3400 ms)"
        );
        let (_, verdict) = judged(&mut [], &authority(40), &[]);
        assert_eq!(
            (verdict.kind, verdict.message.as_str()),
            ("ok", "www.example.test. resolves")
        );
    }

    #[test]
    fn an_endpoint_is_unreachable_only_when_no_address_answers() {
        let connect = |ok| Connect {
            address: "192.0.2.1".to_owned(),
            port: 443,
            ok,
            time_us: None,
            error: (!ok).then(|| "connection refused".to_owned()),
        };
        let (findings, verdict) = judged(&mut [], &authority(10), &[connect(false), connect(true)]);
        assert!(findings.is_empty());
        assert_eq!(verdict.kind, "ok");
        let (findings, verdict) = judged(&mut [], &authority(10), &[connect(false)]);
        assert_eq!(
            (findings[0].code, findings[0].severity),
            ("endpoint_unreachable", Severity::Error)
        );
        assert_eq!(verdict.kind, "endpoint_unreachable");
    }
}
