//! Priming: the root NS set, asked of a root server from the hints (RD=0) or of
//! `@server` (RD=1), so the walk starts from the servers the root itself lists.

use std::net::SocketAddr;

use hickory_proto::rr::{DNSClass, Name, Record, RecordType};

use crate::dns::names;
use crate::dns::random;
use crate::dns::wire::{self, Question};
use crate::model::report;
use crate::model::trace::{Priming, ServerRef};
use crate::transport::policy;
use crate::walk::Settings;
use crate::walk::budget::Budget;
use crate::walk::delegation::{Delegation, delegation_of};

/// Asks for the root NS set: a root server from the hints (RD=0), or `@server` (RD=1).
/// Returns what to show and the root delegation to walk from.
pub(crate) fn prime(
    budget: &Budget<'_>,
    settings: &Settings,
    hinted: &Delegation,
    servers: Option<&Vec<SocketAddr>>,
) -> (Priming, Delegation) {
    let style = settings.names;
    let mut flags = settings.flags.clone();
    let targets: Vec<SocketAddr> = match servers {
        Some(addrs) => {
            flags.recurse = true;
            addrs.clone()
        }
        None => hinted
            .servers
            .iter()
            .find_map(|s| s.addrs.iter().find(|a| settings.family.allows(a)))
            .map(|a| SocketAddr::new(*a, settings.port))
            .into_iter()
            .collect(),
    };
    let server_name = |addr: SocketAddr| {
        hinted
            .servers
            .iter()
            .find(|s| servers.is_none() && s.addrs.contains(&addr.ip()))
            .and_then(|s| s.name.as_ref())
            .map(|n| names::format(n, style))
    };
    let question = Question {
        name: Name::root(),
        rtype: RecordType::NS,
        class: DNSClass::IN,
    };
    let mut priming = Priming {
        server: ServerRef {
            name: None,
            address: String::new(),
            port: settings.port,
        },
        rtt_us: None,
        ns: Vec::new(),
        glue: Vec::new(),
        error: None,
    };
    if let Some(first) = targets.first() {
        priming.server = ServerRef {
            name: server_name(*first),
            address: first.ip().to_string(),
            port: first.port(),
        };
    }
    let result = policy::lookup(
        budget,
        &targets,
        &question,
        &flags,
        &settings.transport,
        &mut random::id,
    );
    let done = match result {
        Ok(done) => done,
        Err(failed) => {
            priming.error = Some(failed.describe());
            return (priming, hinted.clone());
        }
    };
    let message = &done.reply.message;
    priming.server = ServerRef {
        name: server_name(done.server),
        address: done.server.ip().to_string(),
        port: done.server.port(),
    };
    priming.rtt_us = u64::try_from(done.reply.rtt.as_micros()).ok();
    let ns: Vec<Record> = message
        .answers
        .iter()
        .filter(|r| r.record_type() == RecordType::NS && r.name.is_root())
        .cloned()
        .collect();
    let glue: Vec<Record> = message
        .additionals
        .iter()
        .filter(|r| matches!(r.record_type(), RecordType::A | RecordType::AAAA))
        .cloned()
        .collect();
    priming.ns = ns.iter().map(|r| report::record_info(r, style)).collect();
    priming.glue = glue.iter().map(|r| report::record_info(r, style)).collect();
    if ns.is_empty() {
        priming.error = Some(format!(
            "no root NS records in the reply ({})",
            wire::rcode_text(wire::rcode_number(message))
        ));
        return (priming, hinted.clone());
    }
    let mut primed = delegation_of(&Name::root(), &ns, &glue);
    for server in &mut primed.servers {
        if server.addrs.is_empty()
            && let Some(hint) = hinted.servers.iter().find(|h| h.name == server.name)
        {
            server.addrs.clone_from(&hint.addrs);
        }
    }
    primed.servers.retain(|s| !s.addrs.is_empty());
    if primed.servers.is_empty() {
        priming.error = Some("the root NS set came without addresses; walking from the hints".to_owned());
        return (priming, hinted.clone());
    }
    (priming, primed)
}
