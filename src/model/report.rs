//! What happened in one lookup, as plain data: the one model that both the text and the
//! JSON renderer read. Raw numbers stay numbers (TTL seconds, RTT microseconds); names
//! and rdata are presentation strings made at this edge, so hickory-proto's types and
//! their churn stay out of the JSON.

use std::net::SocketAddr;
use std::time::SystemTime;

use hickory_proto::op::{Edns, Message};
use hickory_proto::rr::Record;
use serde::Serialize;

use crate::dns::answer::{self, Status};
use crate::dns::names::{self, NameStyle};
use crate::dns::presentation::{self, RdataFields};
use crate::dns::rrtype::{Mnemonic, class_text, type_text};
use crate::dns::wire::{self, QueryFlags, Question, option_code};
use crate::model::exit::{Error, Exit};
use crate::transport::Protocol;
use crate::transport::policy::{Attempt, Completed, Failed};

/// The version of the JSON schema; fields are only ever added within a version.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// One lookup: the query, the server, and the response or the error.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub schema_version: u32,
    /// Always "query"; a `+trace` report is "trace".
    pub mode: &'static str,
    /// The line of the batch file (`-f`) this query came from; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub query: QueryInfo,
    pub server: ServerInfo,
    /// Round-trip time of the accepted reply, in microseconds.
    pub rtt_us: Option<u64>,
    /// When the lookup started, RFC 3339 UTC.
    pub when: String,
    /// The same moment, whole (`+yaml` gives it to the millisecond, as dig does).
    #[serde(skip)]
    pub started: SystemTime,
    /// What the reply means: answer, nodata, nxdomain, error; null without a reply.
    pub status: Option<Status>,
    /// The exit status this lookup alone would give.
    pub exit_code: u8,
    pub response: Option<Response>,
    /// Every attempt, in order (UDP, TCP after truncation, retries, other servers).
    pub attempts: Vec<Attempt>,
    /// Messages that arrived and were not accepted as the reply, with the reason.
    pub ignored: Vec<String>,
    /// What the accepted reply got wrong without losing its meaning (records outside the
    /// question, a TTL with its top bit set, truncation), one line each.
    pub warnings: Vec<String>,
    pub error: Option<ErrorInfo>,
    /// `--expect` verdicts (empty without `--expect`).
    pub expectations: Vec<crate::model::verdict::Verdict>,
    /// With a TSIG key (`-y`, `-k`): whether the reply's signature verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsig: Option<TsigInfo>,
    /// Over TLS: the session (version, cipher, ALPN, certificate, times, reuse).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<crate::transport::tls::TlsInfo>,
    /// `+qr`: the query as it was sent (the last attempt's), decoded like a reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent: Option<Response>,
}

/// TSIG on a transfer or a query. Never the secret.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TsigInfo {
    pub key: String,
    pub algorithm: &'static str,
    /// Whether every message that had to be signed was, and verified.
    pub verified: bool,
    /// Messages that came signed and verified, and unsigned (a transfer's, between signed ones).
    pub signed: usize,
    pub unsigned: usize,
    /// Why it did not verify.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The question and the header bits and EDNS the query was sent with.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QueryInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: Mnemonic,
    pub type_code: u16,
    pub class: Mnemonic,
    pub flags: QueryFlagsInfo,
    pub edns: Option<EdnsInfo>,
    /// QUERY unless `+opcode`.
    pub opcode: Mnemonic,
    /// `+header-only`: the query had no question section.
    pub header_only: bool,
}

/// Header bits of a query.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QueryFlagsInfo {
    pub rd: bool,
    pub cd: bool,
    pub ad: bool,
    /// The reserved Z bit (`+zflag`).
    pub z: bool,
}

/// The server that answered, or the last one asked.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ServerInfo {
    pub address: String,
    pub port: u16,
    pub protocol: Protocol,
    /// How the server was named on the command line (or "resolv.conf").
    pub name: String,
}

/// A decoded response.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Response {
    /// Bytes on the wire.
    pub size: usize,
    pub header: Header,
    pub edns: Option<EdnsInfo>,
    pub question: Vec<QuestionInfo>,
    pub answer: Vec<RecordInfo>,
    pub authority: Vec<RecordInfo>,
    pub additional: Vec<RecordInfo>,
    /// Positions in `answer` of records that neither answer the question nor lie on its
    /// alias chain: shown, never taken for the answer.
    pub outside_answer: Vec<usize>,
}

impl Response {
    /// The answer records that answer the question (its alias chain included).
    pub(crate) fn answering(&self) -> impl Iterator<Item = &RecordInfo> {
        self.answer
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.outside_answer.contains(i))
            .map(|(_, r)| r)
    }
}

/// The response header.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Header {
    pub id: u16,
    pub opcode: Mnemonic,
    pub rcode: Mnemonic,
    pub rcode_code: u16,
    pub flags: HeaderFlags,
}

/// Header bits of a response.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HeaderFlags {
    pub qr: bool,
    pub aa: bool,
    pub tc: bool,
    pub rd: bool,
    pub ra: bool,
    pub ad: bool,
    pub cd: bool,
}

/// The OPT pseudo-record (RFC 6891).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EdnsInfo {
    pub version: u8,
    pub udp_size: u16,
    #[serde(rename = "do")]
    pub dnssec_ok: bool,
    /// The must-be-zero flag bits besides DO (`+ednsflags`), as dig's `MBZ`.
    pub mbz: u16,
    pub options: Vec<EdnsOptionInfo>,
}

/// One EDNS option: always its code, name and bytes; decoded fields where known.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct EdnsOptionInfo {
    pub code: u16,
    pub name: Mnemonic,
    pub hex: String,
    /// NSID: the identifier as text (escaped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// COOKIE: client part (hex).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// COOKIE: server part (hex), absent when the server sent none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// COOKIE in a response: whether the client part is the one sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_matches: Option<bool>,
    /// EDE: the info-code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info_code: Option<u16>,
    /// EDE: the info-code's purpose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// EDE: extra text (escaped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_text: Option<String>,
    /// EXPIRE (RFC 7314): the zone's expire timer, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire: Option<u32>,
    /// TCP-KEEPALIVE (RFC 7828): the server's idle timeout, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// CLIENT-SUBNET: address/source prefix, and scope prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_prefix: Option<u8>,
}

/// An entry of the question section.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuestionInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: Mnemonic,
    pub class: Mnemonic,
}

/// A resource record.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecordInfo {
    pub name: String,
    /// Seconds.
    pub ttl: u32,
    pub class: Mnemonic,
    #[serde(rename = "type")]
    pub rtype: Mnemonic,
    pub type_code: u16,
    /// Presentation text of the rdata.
    pub data: String,
    /// Structured rdata fields.
    pub rdata: RdataFields,
}

impl RecordInfo {
    /// Why a record of a type dnscope knows is shown in RFC 3597 form.
    pub(crate) fn note(&self) -> Option<&str> {
        match &self.rdata {
            RdataFields::Opaque { note, .. } => note.as_deref(),
            _ => None,
        }
    }
}

/// Why a lookup has no response.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorInfo {
    pub kind: &'static str,
    pub message: String,
}

/// An error with no query behind it (a usage error), for JSON mode.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorReport {
    pub schema_version: u32,
    /// The batch line (`-f`) the error is about; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub exit_code: u8,
    pub error: ErrorInfo,
}

impl ErrorReport {
    /// The report of `error`.
    pub(crate) fn of(error: &Error) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            line: None,
            exit_code: error.exit().code(),
            error: ErrorInfo {
                kind: error.kind(),
                message: error.to_string(),
            },
        }
    }
}

impl Report {
    /// The exit status of this lookup.
    pub(crate) fn exit(&self) -> Exit {
        match &self.error {
            Some(e) if self.status.is_none() && e.kind == "internal" => Exit::INTERNAL,
            // A reply whose signature fails is shown, but is no answer to trust.
            _ if self.tsig.as_ref().is_some_and(|t| !t.verified) => {
                Exit::from_status(self.status).worst(Exit::RCODE)
            }
            _ => Exit::from_status(self.status),
        }
    }

    /// Adds the query as sent (`+qr`), from its bytes.
    pub(crate) fn show_sent(&mut self, query: &[u8], style: NameStyle) {
        if let Ok(message) = crate::dns::decode::message(query) {
            self.sent = Some(response(&message, query.len(), style, None));
        }
    }

    /// Adds what came of the reply's TSIG (signed with `key`), and its effect on the exit.
    pub(crate) fn judge_tsig(
        &mut self,
        key: &crate::dns::tsig::Key,
        verdict: &Result<(), crate::dns::tsig::Problem>,
    ) {
        let problem = verdict.as_ref().err().map(|p| format!("TSIG: {p}"));
        self.tsig = Some(TsigInfo {
            key: key.name.to_ascii(),
            algorithm: key.algorithm.name(),
            verified: verdict.is_ok(),
            signed: usize::from(verdict.is_ok()),
            unsigned: 0,
            problem: problem.clone(),
        });
        if let (Some(message), None) = (problem, &self.error) {
            self.error = Some(ErrorInfo {
                kind: "tsig",
                message,
            });
        }
        self.exit_code = self.exit().code();
    }
}

/// What the model needs besides the policy's result.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    pub question: &'a Question,
    pub server_name: &'a str,
    pub when: SystemTime,
    pub names: NameStyle,
}

/// The report of a lookup that got a reply.
pub(crate) fn completed(ctx: Context<'_>, done: &Completed) -> Report {
    let message = &done.reply.message;
    let reading = answer::read(message, ctx.question);
    let sent_cookie = done.flags.edns.as_ref().and_then(|e| e.cookie.as_deref());
    let mut response = response(message, done.reply.size, ctx.names, sent_cookie);
    response.outside_answer = reading.outside;
    let mut warnings = reading.warnings;
    if done.reply.tls.as_ref().is_some_and(|t| !t.verified) {
        warnings.insert(
            0,
            "+notls-verify: the server's certificate was not verified; anyone on the path could have answered"
                .to_owned(),
        );
    }
    let mut report = Report {
        tls: done.reply.tls.clone(),
        schema_version: SCHEMA_VERSION,
        mode: "query",
        line: None,
        query: query_info(ctx, &done.flags),
        server: server_info(done.server, done.protocol, ctx.server_name),
        rtt_us: Some(u64::try_from(done.reply.rtt.as_micros()).unwrap_or(u64::MAX)),
        when: rfc3339(ctx.when),
        started: ctx.when,
        status: reading.status,
        exit_code: 0,
        response: Some(response),
        attempts: done.attempts.clone(),
        ignored: done.ignored.clone(),
        warnings,
        error: reading.problem.map(|problem| ErrorInfo {
            kind: Error::NoReply(String::new()).kind(),
            message: problem,
        }),
        expectations: Vec::new(),
        tsig: None,
        sent: None,
    };
    report.exit_code = report.exit().code();
    report
}

/// The report of a lookup that got no usable reply.
pub(crate) fn failed(ctx: Context<'_>, flags: &QueryFlags, failure: &Failed, fallback: SocketAddr) -> Report {
    let last = failure.attempts.last();
    let server = last.map_or(fallback, |a| a.server);
    let protocol = last.map_or(Protocol::Udp, |a| a.protocol);
    let internal = matches!(failure.last, crate::transport::Failure::Io(_)) && failure.attempts.is_empty();
    let error = if internal {
        Error::Internal(failure.describe())
    } else {
        Error::NoReply(failure.describe())
    };
    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        mode: "query",
        line: None,
        query: query_info(ctx, flags),
        server: server_info(server, protocol, ctx.server_name),
        rtt_us: None,
        when: rfc3339(ctx.when),
        started: ctx.when,
        status: None,
        exit_code: 0,
        response: None,
        attempts: failure.attempts.clone(),
        ignored: failure.ignored.clone(),
        warnings: Vec::new(),
        error: Some(ErrorInfo {
            kind: error.kind(),
            message: error.to_string(),
        }),
        expectations: Vec::new(),
        tsig: None,
        tls: None,
        sent: None,
    };
    report.exit_code = report.exit().code();
    report
}

/// The last text made for a key, kept per thread.
type Kept<K> = std::cell::RefCell<Option<(K, String)>>;

/// The text for `key`: the kept one when the key is the last one asked for, else
/// `make`'s. A batch reports tens of thousands of lookups a second, nearly all to the
/// same server within the same second.
fn kept_text<K: PartialEq + Copy>(
    kept: &'static std::thread::LocalKey<Kept<K>>,
    key: K,
    make: impl FnOnce() -> String,
) -> String {
    kept.with_borrow_mut(|last| match last.as_ref() {
        Some((k, text)) if *k == key => text.clone(),
        _ => {
            let text = make();
            *last = Some((key, text.clone()));
            text
        }
    })
}

/// `when` to the second.
pub(crate) fn rfc3339(when: SystemTime) -> String {
    thread_local! {
        static SECOND: Kept<u64> = const { std::cell::RefCell::new(None) };
    }
    let text = || humantime::format_rfc3339_seconds(when).to_string();
    match when.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => kept_text(&SECOND, since.as_secs(), text),
        Err(_) => text(),
    }
}

pub(crate) fn query_info(ctx: Context<'_>, flags: &QueryFlags) -> QueryInfo {
    let q = ctx.question;
    QueryInfo {
        name: names::format(&q.name, ctx.names),
        rtype: type_text(q.rtype),
        type_code: u16::from(q.rtype),
        class: class_text(q.class),
        flags: QueryFlagsInfo {
            rd: flags.recurse,
            cd: flags.checking_disabled,
            ad: flags.authentic_data,
            z: flags.z,
        },
        opcode: wire::opcode_text(hickory_proto::op::OpCode::from_u8(flags.opcode)),
        header_only: flags.header_only,
        edns: flags.edns.as_ref().map(|e| {
            let mut options = Vec::new();
            if e.nsid {
                options.push(option(option_code::NSID, &[], None));
            }
            if let Some(cookie) = &e.cookie {
                options.push(option(option_code::COOKIE, cookie, None));
            }
            if let Some((addr, prefix)) = e.subnet {
                let mut info = option(option_code::SUBNET, &[], None);
                info.subnet = Some(format!("{addr}/{prefix}"));
                options.push(info);
            }
            if e.padding {
                options.push(option(option_code::PADDING, &[], None));
            }
            if e.expire {
                options.push(option(option_code::EXPIRE, &[], None));
            }
            if e.keepalive {
                options.push(option(option_code::KEEPALIVE, &[], None));
            }
            for (code, bytes) in &e.extra {
                options.push(option(*code, bytes, None));
            }
            EdnsInfo {
                version: e.version,
                udp_size: e.udp_size,
                dnssec_ok: e.dnssec_ok,
                mbz: e.z_flags,
                options,
            }
        }),
    }
}

pub(crate) fn server_info(addr: SocketAddr, protocol: Protocol, name: &str) -> ServerInfo {
    thread_local! {
        static ADDRESS: Kept<std::net::IpAddr> = const { std::cell::RefCell::new(None) };
    }
    ServerInfo {
        address: kept_text(&ADDRESS, addr.ip(), || addr.ip().to_string()),
        port: addr.port(),
        protocol,
        name: name.to_owned(),
    }
}

fn response(message: &Message, size: usize, style: NameStyle, sent_cookie: Option<&[u8]>) -> Response {
    let m = &message.metadata;
    let rcode = wire::rcode_number(message);
    let records = |rs: &[Record]| rs.iter().map(|r| record_info(r, style)).collect();
    Response {
        size,
        header: Header {
            id: m.id,
            opcode: wire::opcode_text(m.op_code),
            rcode: wire::rcode_text(rcode),
            rcode_code: rcode,
            flags: HeaderFlags {
                qr: m.message_type == hickory_proto::op::MessageType::Response,
                aa: m.authoritative,
                tc: m.truncation,
                rd: m.recursion_desired,
                ra: m.recursion_available,
                ad: m.authentic_data,
                cd: m.checking_disabled,
            },
        },
        edns: message.edns.as_ref().map(|e| edns_info(e, sent_cookie)),
        question: message
            .queries
            .iter()
            .map(|q| QuestionInfo {
                name: names::format(&q.name, style),
                rtype: type_text(q.query_type),
                class: class_text(q.query_class),
            })
            .collect(),
        answer: records(&message.answers),
        authority: records(&message.authorities),
        additional: records(&message.additionals),
        outside_answer: Vec::new(),
    }
}

/// A record as the model shows it.
pub(crate) fn record_info(r: &Record, style: NameStyle) -> RecordInfo {
    let rtype = r.record_type();
    let presented = presentation::present(rtype, &r.data, style);
    RecordInfo {
        name: names::format(&r.name, style),
        ttl: r.ttl,
        class: class_text(r.dns_class),
        rtype: type_text(rtype),
        type_code: u16::from(rtype),
        data: presented.text,
        rdata: presented.fields,
    }
}

fn edns_info(edns: &Edns, sent_cookie: Option<&[u8]>) -> EdnsInfo {
    EdnsInfo {
        version: edns.version(),
        udp_size: edns.max_payload(),
        dnssec_ok: edns.flags().dnssec_ok,
        mbz: edns.flags().z,
        options: wire::edns_options(edns)
            .iter()
            .map(|(code, bytes)| option(*code, bytes, sent_cookie))
            .collect(),
    }
}

/// Decodes the options dnscope knows; every option keeps its raw hex.
fn option(code: u16, bytes: &[u8], sent_cookie: Option<&[u8]>) -> EdnsOptionInfo {
    let mut info = EdnsOptionInfo {
        code,
        name: wire::option_name(code),
        hex: data_encoding::HEXLOWER.encode(bytes),
        ..EdnsOptionInfo::default()
    };
    match code {
        option_code::NSID if !bytes.is_empty() => info.text = Some(presentation::escape_string(bytes)),
        option_code::COOKIE if bytes.len() >= 8 => {
            let (client, server) = bytes.split_at(8);
            info.client = Some(data_encoding::HEXLOWER.encode(client));
            info.server = (!server.is_empty()).then(|| data_encoding::HEXLOWER.encode(server));
            info.client_matches = sent_cookie.map(|sent| sent.get(..8) == Some(client));
        }
        option_code::EDE if bytes.len() >= 2 => {
            let info_code = u16::from_be_bytes([bytes[0], bytes[1]]);
            info.info_code = Some(info_code);
            info.purpose = Some(wire::ede_purpose(info_code).to_owned());
            info.extra_text = (bytes.len() > 2).then(|| presentation::escape_string(&bytes[2..]));
        }
        option_code::EXPIRE if bytes.len() == 4 => {
            info.expire = Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
        }
        // RFC 7828 §3.1: in units of 100 milliseconds.
        option_code::KEEPALIVE if bytes.len() == 2 => {
            info.timeout_ms = Some(u32::from(u16::from_be_bytes([bytes[0], bytes[1]])) * 100);
        }
        option_code::SUBNET if bytes.len() >= 4 => {
            let family = u16::from_be_bytes([bytes[0], bytes[1]]);
            let (source, scope) = (bytes[2], bytes[3]);
            let address = subnet_address(family, &bytes[4..]);
            info.subnet = address.map(|a| format!("{a}/{source}"));
            info.scope_prefix = Some(scope);
        }
        _ => {}
    }
    info
}

/// The address of an ECS option (RFC 7871 §6), its trailing zero octets left out.
fn subnet_address(family: u16, octets: &[u8]) -> Option<std::net::IpAddr> {
    match family {
        1 if octets.len() <= 4 => {
            let mut v4 = [0u8; 4];
            v4[..octets.len()].copy_from_slice(octets);
            Some(v4.into())
        }
        2 if octets.len() <= 16 => {
            let mut v6 = [0u8; 16];
            v6[..octets.len()].copy_from_slice(octets);
            Some(v6.into())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_given_to_the_second_they_fall_in() {
        let at = |ms: u64| SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_000_000_000_000 + ms);
        for (ms, text) in [
            (0, "2001-09-09T01:46:40Z"),
            (999, "2001-09-09T01:46:40Z"),
            (1_000, "2001-09-09T01:46:41Z"),
            (0, "2001-09-09T01:46:40Z"),
            (86_400_000, "2001-09-10T01:46:40Z"),
        ] {
            assert_eq!(rfc3339(at(ms)), text, "{ms}");
        }
    }

    #[test]
    fn server_addresses_follow_the_server() {
        for (addr, text) in [
            ("127.0.0.1:53", "127.0.0.1"),
            ("127.0.0.1:5353", "127.0.0.1"),
            ("[::1]:53", "::1"),
            ("127.0.0.2:53", "127.0.0.2"),
            ("127.0.0.1:53", "127.0.0.1"),
        ] {
            let info = server_info(addr.parse().unwrap(), Protocol::Udp, "ns");
            assert_eq!((info.address.as_str(), info.name.as_str()), (text, "ns"));
        }
    }

    #[test]
    fn options_are_decoded() {
        let nsid = option(option_code::NSID, b"ns1\x07", None);
        assert_eq!(
            (nsid.text.as_deref(), nsid.hex.as_str()),
            (Some("ns1\\007"), "6e733107")
        );
        let cookie = option(
            option_code::COOKIE,
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9, 9, 9],
            Some(&[1, 2, 3, 4, 5, 6, 7, 8]),
        );
        assert_eq!(cookie.client.as_deref(), Some("0102030405060708"));
        assert_eq!(cookie.server.as_deref(), Some("0909090909090909"));
        assert_eq!(cookie.client_matches, Some(true));
        let ede = option(option_code::EDE, b"\x00\x12blocked by policy", None);
        assert_eq!(
            (ede.info_code, ede.purpose.as_deref()),
            (Some(18), Some("Prohibited"))
        );
        assert_eq!(ede.extra_text.as_deref(), Some("blocked by policy"));
        let ecs = option(option_code::SUBNET, &[0, 1, 24, 16, 192, 0, 2], None);
        assert_eq!(
            (ecs.subnet.as_deref(), ecs.scope_prefix),
            (Some("192.0.2.0/24"), Some(16))
        );
        let unknown = option(65001, &[0xab], None);
        assert_eq!((&*unknown.name, unknown.hex.as_str()), ("OPT65001", "ab"));
        let expire = option(option_code::EXPIRE, &604_800u32.to_be_bytes(), None);
        assert_eq!((&*expire.name, expire.expire), ("EXPIRE", Some(604_800)));
        // RFC 7828: in units of 100 ms.
        let keepalive = option(option_code::KEEPALIVE, &[0, 150], None);
        assert_eq!(
            (&*keepalive.name, keepalive.timeout_ms),
            ("TCP-KEEPALIVE", Some(15_000))
        );
        // Empty, as a query sends them: nothing to decode.
        assert_eq!(option(option_code::EXPIRE, &[], None).expire, None);
    }
}
