//! Zone cuts as the walk knows them: a zone and its name servers, with the addresses
//! that came as glue or were found since.

use std::net::IpAddr;

use hickory_proto::rr::{Name, RData, Record};

use crate::walk::classify;

/// A name server as the walk knows it.
#[derive(Debug, Clone)]
pub(crate) struct NameServer {
    pub(crate) name: Option<Name>,
    pub(crate) addrs: Vec<IpAddr>,
}

/// A zone cut and its servers.
#[derive(Debug, Clone)]
pub(crate) struct Delegation {
    pub(crate) zone: Name,
    pub(crate) servers: Vec<NameServer>,
}

/// The delegation a referral describes: NS names in order, with their glue.
pub(crate) fn delegation_of(zone: &Name, ns: &[Record], glue: &[Record]) -> Delegation {
    let servers = ns
        .iter()
        .filter_map(classify::ns_target)
        .map(|target| {
            let mut addrs: Vec<IpAddr> = glue
                .iter()
                .filter(|r| r.name == target)
                .filter_map(|r| match &r.data {
                    RData::A(a) => Some(IpAddr::V4(a.0)),
                    RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                    _ => None,
                })
                .collect();
            addrs.sort_by_key(IpAddr::is_ipv6);
            NameServer {
                name: Some(target),
                addrs,
            }
        })
        .collect();
    Delegation {
        zone: zone.clone(),
        servers,
    }
}
