//! Addresses, names, strings and the small fixed layouts of RFC 1035, RFC 1183 and
//! their successors.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::AplItem;
use super::reader::Reader;
use super::{RdataFields, Shown, escape_string, quoted};

pub(super) fn address(address: IpAddr) -> Shown {
    (address.to_string(), RdataFields::Address { address })
}

pub(super) fn a(r: &mut Reader<'_>) -> Option<Shown> {
    Some(address(Ipv4Addr::from(r.array::<4>()?).into()))
}

pub(super) fn aaaa(r: &mut Reader<'_>) -> Option<Shown> {
    Some(address(Ipv6Addr::from(r.array::<16>()?).into()))
}

pub(super) fn named(target: String) -> Shown {
    (target.clone(), RdataFields::Target { target })
}

/// NS, CNAME, PTR, DNAME, MB, MG, MR, MD, MF: one name.
pub(super) fn target(r: &mut Reader<'_>) -> Option<Shown> {
    Some(named(r.name()?))
}

/// MX, KX, RT: a preference and a name.
pub(super) fn mx(r: &mut Reader<'_>) -> Option<Shown> {
    let (preference, exchange) = (r.u16()?, r.name()?);
    Some((
        format!("{preference} {exchange}"),
        RdataFields::Mx { preference, exchange },
    ))
}

pub(super) fn afsdb(r: &mut Reader<'_>) -> Option<Shown> {
    let (subtype, hostname) = (r.u16()?, r.name()?);
    Some((
        format!("{subtype} {hostname}"),
        RdataFields::Afsdb { subtype, hostname },
    ))
}

pub(super) fn px(r: &mut Reader<'_>) -> Option<Shown> {
    let (preference, map822, mapx400) = (r.u16()?, r.name()?, r.name()?);
    Some((
        format!("{preference} {map822} {mapx400}"),
        RdataFields::Px {
            preference,
            map822,
            mapx400,
        },
    ))
}

pub(super) fn soa(r: &mut Reader<'_>) -> Option<Shown> {
    let (mname, rname) = (r.name()?, r.name()?);
    let (serial, refresh, retry, expire, minimum) = (r.u32()?, r.u32()?, r.u32()?, r.u32()?, r.u32()?);
    Some((
        format!("{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}"),
        RdataFields::Soa {
            mname,
            rname,
            serial,
            refresh,
            retry,
            expire,
            minimum,
        },
    ))
}

pub(super) fn srv(r: &mut Reader<'_>) -> Option<Shown> {
    let (priority, weight, port, target) = (r.u16()?, r.u16()?, r.u16()?, r.name()?);
    Some((
        format!("{priority} {weight} {port} {target}"),
        RdataFields::Srv {
            priority,
            weight,
            port,
            target,
        },
    ))
}

/// TXT and the types that share its layout: one or more character-strings.
pub(super) fn txt(r: &mut Reader<'_>) -> Option<Shown> {
    let mut strings = Vec::new();
    let mut text = Vec::new();
    while !r.done() {
        let string = r.character_string()?;
        text.push(quoted(string));
        strings.push(escape_string(string));
    }
    (!strings.is_empty()).then(|| (text.join(" "), RdataFields::Txt { strings }))
}

pub(super) fn hinfo(r: &mut Reader<'_>) -> Option<Shown> {
    let (cpu, os) = (r.character_string()?, r.character_string()?);
    Some((
        format!("{} {}", quoted(cpu), quoted(os)),
        RdataFields::Hinfo {
            cpu: escape_string(cpu),
            os: escape_string(os),
        },
    ))
}

pub(super) fn minfo(r: &mut Reader<'_>) -> Option<Shown> {
    let (rmailbx, emailbx) = (r.name()?, r.name()?);
    Some((
        format!("{rmailbx} {emailbx}"),
        RdataFields::Minfo { rmailbx, emailbx },
    ))
}

pub(super) fn rp(r: &mut Reader<'_>) -> Option<Shown> {
    let (mbox, txt) = (r.name()?, r.name()?);
    Some((format!("{mbox} {txt}"), RdataFields::Rp { mbox, txt }))
}

pub(super) fn naptr(r: &mut Reader<'_>) -> Option<Shown> {
    let (order, preference) = (r.u16()?, r.u16()?);
    let (flags, services, regexp) = (
        r.character_string()?,
        r.character_string()?,
        r.character_string()?,
    );
    let replacement = r.name()?;
    let text = format!(
        "{order} {preference} {} {} {} {replacement}",
        quoted(flags),
        quoted(services),
        quoted(regexp)
    );
    let fields = RdataFields::Naptr {
        order,
        preference,
        flags: escape_string(flags),
        services: escape_string(services),
        regexp: escape_string(regexp),
        replacement,
    };
    Some((text, fields))
}

/// RFC 7553: the target is the rest of the rdata, one quoted string of any length.
pub(super) fn uri(r: &mut Reader<'_>) -> Option<Shown> {
    let (priority, weight) = (r.u16()?, r.u16()?);
    let target = r.rest_nonempty()?;
    Some((
        format!("{priority} {weight} {}", quoted(target)),
        RdataFields::Uri {
            priority,
            weight,
            target: escape_string(target),
        },
    ))
}

/// RFC 8659 §4.1: the tag is letters and digits only; the value is the rest.
pub(super) fn caa(r: &mut Reader<'_>) -> Option<Shown> {
    let flags = r.u8()?;
    let tag = r.character_string()?;
    if tag.is_empty() || !tag.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let tag = String::from_utf8(tag.to_vec()).ok()?;
    let value = r.rest();
    Some((
        format!("{flags} {tag} {}", quoted(value)),
        RdataFields::Caa {
            flags,
            tag,
            value: escape_string(value),
        },
    ))
}

/// RFC 6742 §2.3: a 32-bit locator written like an IPv4 address.
pub(super) fn l32(r: &mut Reader<'_>) -> Option<Shown> {
    let preference = r.u16()?;
    let locator32 = Ipv4Addr::from(r.array::<4>()?).to_string();
    Some((
        format!("{preference} {locator32}"),
        RdataFields::L32 {
            preference,
            locator32,
        },
    ))
}

/// RFC 6742 §2.1/§2.4: 64 bits as four groups of four hex digits.
fn sixty_four(r: &mut Reader<'_>) -> Option<String> {
    let bytes = r.array::<8>()?;
    Some(
        bytes
            .chunks(2)
            .map(|pair| format!("{:02x}{:02x}", pair[0], pair[1]))
            .collect::<Vec<_>>()
            .join(":"),
    )
}

pub(super) fn l64(r: &mut Reader<'_>) -> Option<Shown> {
    let preference = r.u16()?;
    let locator64 = sixty_four(r)?;
    Some((
        format!("{preference} {locator64}"),
        RdataFields::L64 {
            preference,
            locator64,
        },
    ))
}

pub(super) fn nid(r: &mut Reader<'_>) -> Option<Shown> {
    let preference = r.u16()?;
    let node_id = sixty_four(r)?;
    Some((
        format!("{preference} {node_id}"),
        RdataFields::Nid { preference, node_id },
    ))
}

pub(super) fn lp(r: &mut Reader<'_>) -> Option<Shown> {
    let (preference, fqdn) = (r.u16()?, r.name()?);
    Some((
        format!("{preference} {fqdn}"),
        RdataFields::Lp { preference, fqdn },
    ))
}

/// RFC 7043 §3.2: hex pairs joined by hyphens.
fn eui(bytes: &[u8]) -> Shown {
    let address = bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join("-");
    (address.clone(), RdataFields::Eui { address })
}

pub(super) fn eui48(r: &mut Reader<'_>) -> Option<Shown> {
    Some(eui(&r.array::<6>()?))
}

pub(super) fn eui64(r: &mut Reader<'_>) -> Option<Shown> {
    Some(eui(&r.array::<8>()?))
}

/// RFC 3123 §4: `[!]afi:address/prefix` items, an empty list for empty rdata. Only the
/// two address families the RFC defines a text form for are shown.
pub(super) fn apl(r: &mut Reader<'_>) -> Option<Shown> {
    let mut items = Vec::new();
    let mut text = Vec::new();
    while !r.done() {
        let family = r.u16()?;
        let prefix = r.u8()?;
        let n_and_length = r.u8()?;
        let negation = n_and_length & 0x80 != 0;
        let part = r.take(usize::from(n_and_length & 0x7f))?;
        let address: IpAddr = match family {
            1 if prefix <= 32 && part.len() <= 4 => {
                let mut v4 = [0u8; 4];
                v4[..part.len()].copy_from_slice(part);
                v4.into()
            }
            2 if prefix <= 128 && part.len() <= 16 => {
                let mut v6 = [0u8; 16];
                v6[..part.len()].copy_from_slice(part);
                v6.into()
            }
            _ => return None,
        };
        let address = address.to_string();
        text.push(format!(
            "{}{family}:{address}/{prefix}",
            if negation { "!" } else { "" }
        ));
        items.push(AplItem {
            negation,
            family,
            prefix,
            address,
        });
    }
    Some((text.join(" "), RdataFields::Apl { items }))
}
