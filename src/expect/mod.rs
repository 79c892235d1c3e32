//! `--expect`: assertions on the final result of a query or a trace, for CI checks.
//!
//! Grammar (one expectation per `--expect`):
//!
//! ```text
//! expectation = subject op value
//! subject     = TYPE | "rcode" | "ttl" | "answers" | "ns"     (any case)
//! op          = "=" | "!=" | "<" | "<=" | ">" | ">="
//! ```
//!
//! - `TYPE=VALUE`: some record of TYPE in the answer (CNAME chain included) matches;
//!   `TYPE!=VALUE`: none does. For A and AAAA the value is an address or a CIDR
//!   prefix (`192.0.2.0/24`); for other types a pattern (`*` any run, `?` one
//!   character, case-insensitive, the final dot optional) against the presentation data.
//! - `rcode=NAME` / `rcode!=NAME`: the response code (`NOERROR`, `NXDOMAIN`, …).
//! - `ttl OP N`: every answer record's TTL satisfies the comparison; N in seconds or a
//!   duration (`5m`).
//! - `answers OP N`: the number of records of the asked type in the answer.
//! - `ns=PATTERN` / `ns!=PATTERN`: the NS set of the zone that answered (the last
//!   referral of a trace; NS records in the answer or authority of a direct query).
//!
//! Only `=` and `!=` apply to records, rcode and ns. Pure: no I/O.

use std::net::IpAddr;
use std::time::Duration;

use hickory_proto::rr::RecordType;

use crate::dns::rrtype::{parse_type, type_text};
use crate::model::report::{RecordInfo, Report};
use crate::model::trace::{HopKind, TraceReport};
use crate::model::verdict::Verdict;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn holds(self, seen: u64, wanted: u64) -> bool {
        match self {
            Op::Eq => seen == wanted,
            Op::Ne => seen != wanted,
            Op::Lt => seen < wanted,
            Op::Le => seen <= wanted,
            Op::Gt => seen > wanted,
            Op::Ge => seen >= wanted,
        }
    }
}

/// What an expectation looks at, and the value it wants.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    Address {
        rtype: RecordType,
        addr: IpAddr,
        prefix: u8,
    },
    Data {
        rtype: RecordType,
        pattern: String,
    },
    Rcode(String),
    Ttl(u64),
    Answers(u64),
    Ns(String),
}

/// A parsed `--expect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// As typed.
    pub text: String,
    op: Op,
    check: Check,
}

/// Parses one expectation.
///
/// # Errors
/// A one-line message naming the column of the first character that does not fit.
pub fn parse(text: &str) -> Result<Expectation, String> {
    let bad = |column: usize, what: &str| format!("bad --expect '{text}': {what} at column {}", column + 1);
    let subject_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(text.len());
    if subject_len == 0 {
        return Err(bad(0, "expected a record type, rcode, ttl, answers or ns"));
    }
    let subject = &text[..subject_len];
    let rest = &text[subject_len..];
    let (op, op_len) = match rest.as_bytes() {
        [b'<', b'=', ..] => (Op::Le, 2),
        [b'>', b'=', ..] => (Op::Ge, 2),
        [b'!', b'=', ..] => (Op::Ne, 2),
        [b'=', ..] => (Op::Eq, 1),
        [b'<', ..] => (Op::Lt, 1),
        [b'>', ..] => (Op::Gt, 1),
        _ => return Err(bad(subject_len, "expected =, !=, <, <=, > or >=")),
    };
    let at = subject_len + op_len;
    let value = &text[at..];
    if value.is_empty() {
        return Err(bad(at, "expected a value"));
    }
    let lower = subject.to_ascii_lowercase();
    let numeric = matches!(lower.as_str(), "ttl" | "answers");
    if !numeric && !matches!(op, Op::Eq | Op::Ne) {
        return Err(bad(subject_len, &format!("'{subject}' takes only = or !=")));
    }
    let check = match lower.as_str() {
        "ttl" => Check::Ttl(
            seconds(value).map_err(|offset| bad(at + offset, "expected seconds or a duration like 5m"))?,
        ),
        "answers" => {
            Check::Answers(count(value).map_err(|offset| bad(at + offset, "expected a whole number"))?)
        }
        "rcode" => Check::Rcode(
            rcode(value).ok_or_else(|| bad(at, "expected an rcode such as NOERROR or NXDOMAIN"))?,
        ),
        "ns" => Check::Ns(value.to_owned()),
        _ => {
            let rtype = parse_type(subject).ok_or_else(|| bad(0, &format!("unknown subject '{subject}'")))?;
            match rtype {
                RecordType::A | RecordType::AAAA => {
                    let (addr, prefix) =
                        address(value, rtype).map_err(|(offset, what)| bad(at + offset, what))?;
                    Check::Address { rtype, addr, prefix }
                }
                _ => Check::Data {
                    rtype,
                    pattern: value.to_owned(),
                },
            }
        }
    };
    Ok(Expectation {
        text: text.to_owned(),
        op,
        check,
    })
}

/// Digits, or a humantime duration; on error the offset of the first bad character.
fn seconds(value: &str) -> Result<u64, usize> {
    if let Ok(n) = value.parse::<u64>() {
        return Ok(n);
    }
    humantime::parse_duration(value)
        .map(|d: Duration| d.as_secs())
        .map_err(|_| {
            // The bad character is past the digits and past the longest prefix that parses.
            let parsed = (1..=value.len())
                .rev()
                .find(|&n| value.is_char_boundary(n) && humantime::parse_duration(&value[..n]).is_ok())
                .unwrap_or(0);
            first_bad(value, |c| c.is_ascii_digit()).max(parsed)
        })
}

fn count(value: &str) -> Result<u64, usize> {
    value
        .parse::<u64>()
        .map_err(|_| first_bad(value, |c| c.is_ascii_digit()))
}

fn first_bad(value: &str, ok: impl Fn(char) -> bool) -> usize {
    value.char_indices().find(|(_, c)| !ok(*c)).map_or(0, |(i, _)| i)
}

fn rcode(value: &str) -> Option<String> {
    let upper = value.to_ascii_uppercase();
    let known = (0..=23u16).map(crate::dns::wire::rcode_text).any(|t| t == upper);
    let numbered = upper
        .strip_prefix("RCODE")
        .is_some_and(|n| n.parse::<u16>().is_ok());
    (known || numbered).then_some(upper)
}

fn address(value: &str, rtype: RecordType) -> Result<(IpAddr, u8), (usize, &'static str)> {
    let (addr_text, prefix_text) = value.split_once('/').map_or((value, None), |(a, p)| (a, Some(p)));
    let addr: IpAddr = addr_text
        .parse()
        .map_err(|_| (0, "expected an IP address or CIDR prefix"))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    if (rtype == RecordType::A) != addr.is_ipv4() {
        return Err((0, "the address family does not match the record type"));
    }
    let prefix = match prefix_text {
        None => max,
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|&p| p <= max)
            .ok_or((addr_text.len() + 1, "expected a prefix length"))?,
    };
    Ok((addr, prefix))
}

/// What an expectation is judged against: the same view of a query and of a trace.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// The final rcode; `None` without a usable reply.
    pub rcode: Option<String>,
    /// The answer: the CNAME chain and the final records.
    pub records: Vec<RecordInfo>,
    /// NS targets of the zone that answered.
    pub ns: Vec<String>,
    /// The type asked for.
    pub qtype: String,
}

impl Observed {
    /// The view of a direct query.
    pub fn of_query(report: &Report) -> Self {
        let Some(response) = &report.response else {
            return Observed {
                qtype: report.query.rtype.to_string(),
                ..Observed::default()
            };
        };
        let ns = response
            .answer
            .iter()
            .chain(&response.authority)
            .filter(|r| r.rtype == "NS")
            .map(|r| r.data.clone())
            .collect();
        Observed {
            rcode: Some(response.header.rcode.to_string()),
            records: response.answer.clone(),
            ns,
            qtype: report.query.rtype.to_string(),
        }
    }

    /// The view of a trace.
    pub fn of_trace(report: &TraceReport) -> Self {
        let last = report.hops.last();
        let rcode = last
            .and_then(|h| h.rcode.clone())
            .filter(|_| report.status.is_some());
        let records = report
            .hops
            .iter()
            .filter(|h| matches!(h.outcome, HopKind::Answer | HopKind::Alias))
            .flat_map(|h| h.records.iter().cloned())
            .collect();
        let ns = report
            .hops
            .iter()
            .rev()
            .find_map(|h| h.referral.as_ref())
            .map(|r| r.ns.iter().map(|n| n.data.clone()).collect())
            .unwrap_or_default();
        Observed {
            rcode,
            records,
            ns,
            qtype: report.query.rtype.to_string(),
        }
    }
}

impl Expectation {
    /// Judges this expectation against what was observed.
    pub fn judge(&self, seen: &Observed) -> Verdict {
        let (passed, what) = match &self.check {
            Check::Address { rtype, addr, prefix } => {
                let data = of_type(seen, *rtype);
                let hit = data
                    .iter()
                    .any(|d| d.parse::<IpAddr>().is_ok_and(|a| in_prefix(a, *addr, *prefix)));
                (self.any(hit), listed(&data, *rtype))
            }
            Check::Data { rtype, pattern } => {
                let data = of_type(seen, *rtype);
                (
                    self.any(data.iter().any(|d| name_like_match(pattern, d))),
                    listed(&data, *rtype),
                )
            }
            Check::Ns(pattern) => {
                let hit = seen.ns.iter().any(|d| name_like_match(pattern, d));
                let what = if seen.ns.is_empty() {
                    "no NS set".to_owned()
                } else {
                    seen.ns.join(", ")
                };
                (self.any(hit), what)
            }
            Check::Rcode(wanted) => match &seen.rcode {
                Some(rcode) => (self.any(rcode == wanted), rcode.clone()),
                None => (false, "no reply".to_owned()),
            },
            Check::Ttl(wanted) => {
                let ttls: Vec<u32> = seen.records.iter().map(|r| r.ttl).collect();
                let holds = !ttls.is_empty() && ttls.iter().all(|&t| self.op.holds(u64::from(t), *wanted));
                let what = if ttls.is_empty() {
                    "no records".to_owned()
                } else {
                    format!(
                        "TTL {}",
                        ttls.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                    )
                };
                (holds, what)
            }
            Check::Answers(wanted) => {
                let n = seen.records.iter().filter(|r| r.rtype == seen.qtype).count() as u64;
                (self.op.holds(n, *wanted), format!("{n} {} record(s)", seen.qtype))
            }
        };
        Verdict {
            expect: self.text.clone(),
            passed,
            seen: what,
        }
    }

    /// `=` wants a hit, `!=` wants none.
    fn any(&self, hit: bool) -> bool {
        if self.op == Op::Ne { !hit } else { hit }
    }
}

fn of_type(seen: &Observed, rtype: RecordType) -> Vec<String> {
    let name = type_text(rtype);
    seen.records
        .iter()
        .filter(|r| r.rtype == name)
        .map(|r| r.data.clone())
        .collect()
}

fn listed(data: &[String], rtype: RecordType) -> String {
    if data.is_empty() {
        format!("no {} record", type_text(rtype))
    } else {
        data.join(", ")
    }
}

/// Names match with or without their final dot.
fn name_like_match(pattern: &str, data: &str) -> bool {
    crate::dns::glob::matches(pattern, data) || crate::dns::glob::matches(pattern, data.trim_end_matches('.'))
}

fn in_prefix(addr: IpAddr, net: IpAddr, prefix: u8) -> bool {
    let bits = |ip: IpAddr| -> (u128, u32) {
        match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        }
    };
    let ((a, width), (n, net_width)) = (bits(addr), bits(net));
    if width != net_width {
        return false;
    }
    let shift = width - u32::from(prefix);
    shift >= width || (a >> shift) == (n >> shift)
}

/// Judges every expectation.
pub fn judge_all(expectations: &[Expectation], seen: &Observed) -> Vec<Verdict> {
    expectations.iter().map(|e| e.judge(seen)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::presentation::RdataFields;

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
        let none = parse("rcode=NOERROR").unwrap().judge(&Observed::default());
        assert_eq!((none.passed, none.seen.as_str()), (false, "no reply"));
        let empty = parse("ttl<=300").unwrap().judge(&Observed::default());
        assert!(!empty.passed, "no records cannot satisfy a TTL bound");
    }

    #[test]
    fn errors_point_at_the_bad_character() {
        for (text, needle) in [
            ("", "column 1"),
            (
                "=1.2.3.4",
                "expected a record type, rcode, ttl, answers or ns at column 1",
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
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(needle), "{text}: {error}");
            assert!(error.starts_with(&format!("bad --expect '{text}'")), "{error}");
        }
    }
}
