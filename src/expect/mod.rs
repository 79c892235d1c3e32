//! `--expect`: assertions on the final result of a query or a trace, for CI checks.
//!
//! May use: dns, model (it judges reports; reports carry only its verdicts).
//!
//! Grammar (one expectation per `--expect`):
//!
//! ```text
//! expectation = subject op value
//! subject     = TYPE | "rcode" | "ttl" | "answers" | "ns"
//!             | "findings" | "errors" | "finding" | "dnssec"   (any case)
//! expectation = "ad"                                           (the AD bit is set)
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
//! - `findings OP N`: the number of findings of `+trace +nsall` that are errors or
//!   warnings (info findings are not counted); `errors OP N`: of errors alone.
//! - `finding=PATTERN` / `finding!=PATTERN`: some / no finding (of any severity) has a
//!   code matching the pattern (`finding!=lame_delegation`, `finding!=glue*`).
//!
//! - `dnssec=VERDICT` / `dnssec!=VERDICT`: the verdict of a validating trace
//!   (`+trace +dnssec`) on the answer: `secure`, `insecure`, `bogus`, `indeterminate`.
//! - `ad`: the reply of a direct query has the AD bit (a validating resolver vouched
//!   for it).
//!
//! Only `=` and `!=` apply to records, rcode, ns, finding and dnssec. The findings subjects need
//! `+trace +nsall` (the planner says so). Pure: no I/O.

pub(crate) mod judge;
#[cfg(test)]
mod tests;

use std::net::IpAddr;
use std::time::Duration;

use hickory_proto::rr::RecordType;

use crate::dns::rrtype::parse_type;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub(crate) fn holds(self, seen: u64, wanted: u64) -> bool {
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
pub(crate) enum Check {
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
    /// Errors and warnings of the diagnosis.
    Findings(u64),
    Errors(u64),
    /// A finding code pattern.
    Finding(String),
    /// A DNSSEC verdict word.
    Dnssec(String),
    /// The AD bit.
    Ad,
}

impl Check {
    /// Judged on `+trace +nsall`'s findings.
    pub(crate) fn needs_findings(&self) -> bool {
        matches!(self, Check::Findings(_) | Check::Errors(_) | Check::Finding(_))
    }
}

/// A parsed `--expect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expectation {
    /// As typed.
    pub text: String,
    pub(crate) op: Op,
    pub(crate) check: Check,
}

/// Parses one expectation.
///
/// # Errors
/// A one-line message naming the column of the first character that does not fit.
pub(crate) fn parse(text: &str) -> Result<Expectation, String> {
    let bad = |column: usize, what: &str| format!("bad --expect '{text}': {what} at column {}", column + 1);
    if text.eq_ignore_ascii_case("ad") {
        return Ok(Expectation {
            text: text.to_owned(),
            op: Op::Eq,
            check: Check::Ad,
        });
    }
    let subject_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(text.len());
    if subject_len == 0 {
        return Err(bad(
            0,
            "expected a record type, rcode, ttl, answers, ns, findings, errors or finding",
        ));
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
    let numeric = matches!(lower.as_str(), "ttl" | "answers" | "findings" | "errors");
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
        "findings" => {
            Check::Findings(count(value).map_err(|offset| bad(at + offset, "expected a whole number"))?)
        }
        "errors" => {
            Check::Errors(count(value).map_err(|offset| bad(at + offset, "expected a whole number"))?)
        }
        "finding" => Check::Finding(value.to_owned()),
        "dnssec" => {
            let verdict = value.to_ascii_lowercase();
            if !matches!(
                verdict.as_str(),
                "secure" | "insecure" | "bogus" | "indeterminate"
            ) {
                return Err(bad(at, "expected secure, insecure, bogus or indeterminate"));
            }
            Check::Dnssec(verdict)
        }
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
