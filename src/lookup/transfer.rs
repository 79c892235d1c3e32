//! Runs a zone transfer: sends the query (signed with the TSIG key, if any), reads the
//! messages as they come, verifies each one's TSIG, judges it, and hands it on at once,
//! so that a zone of any size streams through without being held.

use std::io;
use std::time::{Instant, SystemTime};

use crate::cli::plan::Plan;
use crate::dns::tsig::{self, Seal, Verifier};
use crate::dns::wire::Question;
use crate::dns::{decode, random};
use crate::model::exit::Exit;
use crate::model::report::{self, Context, ErrorInfo, SCHEMA_VERSION, TsigInfo};
use crate::model::transfer::{TransferMessage, TransferRecord, TransferReport};
use crate::transport::{MessageStream, Protocol, Transport, micros};
use crate::xfr::judge::{Failure, Transfer};
use crate::xfr::query;

/// Transfers the zone of `question` from the plan's servers (the first that accepts the
/// connection), calling `emit` with each message as it arrives.
///
/// # Errors
/// Only when `emit` fails (a closed pipe): the transfer stops there.
pub(crate) fn transfer(
    plan: &Plan,
    question: &Question,
    serial: Option<u32>,
    transport: &dyn Transport,
    emit: &mut dyn FnMut(&TransferMessage) -> io::Result<()>,
) -> io::Result<TransferReport> {
    let when = SystemTime::now();
    let ctx = Context {
        question,
        server_name: &plan.servers.label,
        when,
        names: plan.display.names,
    };
    let mut report = TransferReport {
        schema_version: SCHEMA_VERSION,
        mode: "transfer",
        query: report::query_info(ctx, &plan.flags),
        client_serial: serial,
        server: report::server_info(plan.servers.addresses[0], Protocol::Tcp, &plan.servers.label),
        when: report::rfc3339(when),
        kind: None,
        serial: None,
        records: 0,
        messages: 0,
        bytes: 0,
        time_us: 0,
        first_message_us: None,
        steps: Vec::new(),
        tsig: plan.tsig.as_ref().map(|key| TsigInfo {
            key: key.name.to_ascii(),
            algorithm: key.algorithm.name(),
            verified: false,
            signed: 0,
            unsigned: 0,
            problem: None,
        }),
        exit_code: 0,
        error: None,
    };
    let id = random::id();
    let now = tsig::seconds(when);
    let sent = query::build(question, serial, &plan.flags, id).and_then(|mut wire| {
        let mac = plan
            .tsig
            .as_ref()
            .map(|key| tsig::sign(&mut wire, key, now))
            .transpose()?;
        Ok((wire, mac))
    });
    let (wire, query_mac) = match sent {
        Ok(sent) => sent,
        Err(why) => return Ok(failed(report, Exit::INTERNAL, "internal", why)),
    };
    let started = Instant::now();
    let mut refusals = Vec::new();
    let mut stream = None;
    for &server in &plan.servers.addresses {
        match transport.open_stream(server, plan.transport.source, &wire, plan.transport.timeout) {
            Ok(opened) => {
                report.server = report::server_info(server, Protocol::Tcp, &plan.servers.label);
                stream = Some(opened);
                break;
            }
            Err(failure) => refusals.push(format!("{server}: {failure}")),
        }
    }
    let Some(mut stream) = stream else {
        let why = format!("no connection for the transfer: {}", refusals.join("; "));
        return Ok(failed(report, Exit::NO_REPLY, "no_reply", why));
    };
    let mut verifier = plan
        .tsig
        .as_ref()
        .zip(query_mac)
        .map(|(key, mac)| Verifier::new(key, mac, now));
    let mut judge = Transfer::new(question.clone(), id, serial);
    let result = read_all(
        plan,
        &mut *stream,
        &mut judge,
        verifier.as_mut(),
        &mut report,
        started,
        emit,
    )?;
    report.time_us = micros(started.elapsed());
    (report.records, report.messages) = judge.counts();
    report.kind = judge.kind();
    report.serial = judge.serial();
    report.steps = judge.steps().to_vec();
    let end = result.and_then(|()| match &verifier {
        Some(v) => v
            .finish()
            .map_err(|p| (Exit::RCODE, "tsig", format!("TSIG: {p}"))),
        None => Ok(()),
    });
    Ok(match end {
        Ok(()) => {
            if let Some(info) = &mut report.tsig {
                info.verified = true;
            }
            report
        }
        Err((exit, kind, why)) => failed(report, exit, kind, why),
    })
}

type Stop = (Exit, &'static str, String);

/// Reads and judges messages until the closing SOA, or until something ends the
/// transfer in failure.
fn read_all(
    plan: &Plan,
    stream: &mut dyn MessageStream,
    judge: &mut Transfer,
    mut verifier: Option<&mut Verifier<'_>>,
    report: &mut TransferReport,
    started: Instant,
    emit: &mut dyn FnMut(&TransferMessage) -> io::Result<()>,
) -> io::Result<Result<(), Stop>> {
    let no_reply = |why: String| Err((Exit::NO_REPLY, "no_reply", why));
    while !judge.done() {
        let bytes = match stream.next_message(plan.transport.timeout) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(no_reply(judge.unfinished())),
            Err(failure) => {
                let (records, messages) = judge.counts();
                return Ok(no_reply(format!(
                    "{failure} after {records} record(s) in {messages} message(s)"
                )));
            }
        };
        let at_us = micros(started.elapsed());
        report.first_message_us.get_or_insert(at_us);
        report.bytes += bytes.len();
        let message = match decode::message(&bytes) {
            Ok(message) => message,
            Err(why) => {
                return Ok(no_reply(format!(
                    "malformed message {} ({} bytes): {why}",
                    judge.counts().1 + 1,
                    bytes.len()
                )));
            }
        };
        let seal = match verifier.as_deref_mut().map(|v| v.check(&bytes)) {
            None => None,
            Some(Ok(seal)) => Some(seal),
            // An unsigned refusal is the refusal: the rcode says more than the missing MAC.
            Some(Err(tsig::Problem::Missing)) if crate::dns::wire::rcode_number(&message) != 0 => None,
            Some(Err(problem)) => return Ok(Err((Exit::RCODE, "tsig", format!("TSIG: {problem}")))),
        };
        if let (Some(info), Some(seal)) = (&mut report.tsig, seal) {
            match seal {
                Seal::Signed => info.signed += 1,
                Seal::Unsigned => info.unsigned += 1,
            }
        }
        let changes = match judge.feed(&message) {
            Ok(changes) => changes,
            Err(Failure::Rcode(rcode)) => {
                return Ok(Err((Exit::RCODE, "rcode", Failure::Rcode(rcode).to_string())));
            }
            Err(Failure::Form(why)) => return Ok(no_reply(why)),
        };
        let records = message
            .answers
            .iter()
            .zip(changes)
            .map(|(record, change)| TransferRecord {
                record: report::record_info(record, plan.display.names),
                change,
            })
            .collect();
        emit(&TransferMessage {
            schema_version: SCHEMA_VERSION,
            mode: "transfer_message",
            index: judge.counts().1 - 1,
            size: bytes.len(),
            at_us,
            tsig: seal.map(|s| match s {
                Seal::Signed => "signed",
                Seal::Unsigned => "unsigned",
            }),
            records,
        })?;
    }
    Ok(Ok(()))
}

fn failed(mut report: TransferReport, exit: Exit, kind: &'static str, message: String) -> TransferReport {
    report.exit_code = exit.code();
    if let (Some(tsig), "tsig") = (&mut report.tsig, kind) {
        tsig.problem = Some(message.clone());
    }
    report.error = Some(ErrorInfo { kind, message });
    report
}
