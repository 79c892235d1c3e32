//! Judging expectations against what a query or a trace observed. Pure: no I/O.

use std::net::IpAddr;

use hickory_proto::rr::RecordType;

use crate::dns::answer::effective_ttl;
use crate::dns::rrtype::type_text;
use crate::expect::{Check, Expectation, Op};
use crate::model::report::{RecordInfo, Report};
use crate::model::trace::{HopKind, Severity, TraceReport};
use crate::model::verdict::Verdict;

/// What an expectation is judged against: the same view of a query and of a trace.
#[derive(Debug, Clone, Default)]
pub(crate) struct Observed {
    /// The final rcode; `None` without a usable reply.
    pub rcode: Option<String>,
    /// The answer: the CNAME chain and the final records.
    pub records: Vec<RecordInfo>,
    /// NS targets of the zone that answered.
    pub ns: Vec<String>,
    /// The type asked for.
    pub qtype: String,
    /// The diagnosis of `+trace +nsall`: each finding's code and severity.
    pub findings: Vec<(&'static str, Severity)>,
    /// A validating trace's verdict on the answer.
    pub dnssec: Option<&'static str>,
    /// The AD bit of a direct query's reply.
    pub ad: Option<bool>,
}

impl Observed {
    /// The view of a direct query.
    pub(crate) fn of_query(report: &Report) -> Self {
        let Some(response) = report.response.as_ref().filter(|_| report.status.is_some()) else {
            return Observed {
                qtype: report.query.rtype.to_string(),
                ..Observed::default()
            };
        };
        let ns = response
            .answering()
            .chain(&response.authority)
            .filter(|r| r.rtype == "NS")
            .map(|r| r.data.clone())
            .collect();
        Observed {
            rcode: Some(response.header.rcode.to_string()),
            records: response.answering().cloned().collect(),
            ns,
            qtype: report.query.rtype.to_string(),
            findings: Vec::new(),
            dnssec: None,
            ad: Some(response.header.flags.ad),
        }
    }

    /// The view of a trace.
    pub(crate) fn of_trace(report: &TraceReport) -> Self {
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
            findings: report.findings.iter().map(|f| (f.code, f.severity)).collect(),
            dnssec: report.dnssec.as_ref().map(|d| d.verdict),
            ad: None,
        }
    }
}

impl Expectation {
    /// Judges this expectation against what was observed.
    pub(crate) fn judge(&self, seen: &Observed) -> Verdict {
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
                let ttls: Vec<u32> = seen.records.iter().map(|r| effective_ttl(r.ttl)).collect();
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
            Check::Findings(wanted) | Check::Errors(wanted) => {
                let least = if matches!(self.check, Check::Errors(_)) {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let counted: Vec<&str> = seen
                    .findings
                    .iter()
                    .filter(|(_, s)| *s >= least)
                    .map(|(code, _)| *code)
                    .collect();
                let what = if counted.is_empty() {
                    "none".to_owned()
                } else {
                    format!("{} ({})", counted.len(), counted.join(", "))
                };
                (self.op.holds(counted.len() as u64, *wanted), what)
            }
            Check::Finding(pattern) => {
                let hit = seen
                    .findings
                    .iter()
                    .any(|(code, _)| name_like_match(pattern, code));
                let codes: Vec<&str> = seen.findings.iter().map(|(code, _)| *code).collect();
                let what = if codes.is_empty() {
                    "no finding".to_owned()
                } else {
                    codes.join(", ")
                };
                (self.any(hit), what)
            }
            Check::Dnssec(wanted) => match seen.dnssec {
                Some(verdict) => (self.any(verdict == wanted), verdict.to_owned()),
                None => (false, "not validated".to_owned()),
            },
            Check::Ad => match seen.ad {
                Some(ad) => (ad, if ad { "AD set" } else { "AD clear" }.to_owned()),
                None => (false, "no reply".to_owned()),
            },
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
pub(crate) fn judge_all(expectations: &[Expectation], seen: &Observed) -> Vec<Verdict> {
    expectations.iter().map(|e| e.judge(seen)).collect()
}
