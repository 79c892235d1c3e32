//! SVCB and HTTPS (RFC 9460), written so that a zone parser reads back the same record:
//! no trailing commas, no `=` after a key without a value, value lists with a comma in
//! an item escaped per Appendix A.1, and unnamed keys as `keyNNNNN="…"`.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::Value;

use super::reader::Reader;
use super::{RdataFields, Shown, SvcParam, base64, escape_string};

pub(super) fn svcb(r: &mut Reader<'_>) -> Option<Shown> {
    let priority = r.u16()?;
    let target = r.name()?;
    let mut text = format!("{priority} {target}");
    let mut params = Vec::new();
    let mut last_key = None;
    while !r.done() {
        let key = r.u16()?;
        // §2.2: keys in strictly increasing order, or the record is malformed.
        if last_key.is_some_and(|last| key <= last) {
            return None;
        }
        last_key = Some(key);
        let len = usize::from(r.u16()?);
        let value = r.take(len)?;
        let (value_text, value) = param(key, value)?;
        text.push(' ');
        // RFC 9540's `ohttp` is newer than the zone parsers deployed (BIND 9.18 and NSD
        // 4.6 reject it); `key8`, which RFC 9460 §2.1 allows for any key, loads in all.
        text.push_str(&if key == 8 {
            format!("key{key}")
        } else {
            key_name(key)
        });
        if let Some(value_text) = value_text {
            text.push('=');
            text.push_str(&value_text);
        }
        params.push(SvcParam {
            key: key_name(key),
            value,
        });
    }
    Some((
        text,
        RdataFields::Svcb {
            priority,
            target,
            params,
        },
    ))
}

/// The registry's name of a key (RFC 9460 §14.3.2, RFC 9461, RFC 9540), or `keyNNNNN`.
fn key_name(key: u16) -> String {
    match key {
        0 => "mandatory",
        1 => "alpn",
        2 => "no-default-alpn",
        3 => "port",
        4 => "ipv4hint",
        5 => "ech",
        6 => "ipv6hint",
        7 => "dohpath",
        8 => "ohttp",
        _ => return format!("key{key}"),
    }
    .to_owned()
}

/// A value's text (None for a key written without `=`) and its JSON; None when the
/// value does not fit its key.
fn param(key: u16, value: &[u8]) -> Option<(Option<String>, Value)> {
    if key > 8 {
        let escaped = escape_string(value);
        return Some((Some(format!("\"{escaped}\"")), Value::from(escaped)));
    }
    let chunks = |size: usize| {
        Some(value.chunks_exact(size)).filter(|_| !value.is_empty() && value.len().is_multiple_of(size))
    };
    let listed = |items: Vec<String>| (Some(items.join(",")), Value::from(items));
    Some(match key {
        0 => {
            let keys = chunks(2)?
                .map(|k| key_name(u16::from_be_bytes([k[0], k[1]])))
                .collect();
            listed(keys)
        }
        1 => {
            let mut r = Reader::new(value, Default::default());
            let mut ids = Vec::new();
            while !r.done() {
                ids.push(r.character_string().filter(|id| !id.is_empty())?);
            }
            if ids.is_empty() {
                return None;
            }
            let text: Vec<String> = ids.iter().map(|id| escape_string(&list_item(id))).collect();
            let json: Vec<String> = ids.iter().map(|id| escape_string(id)).collect();
            (Some(format!("\"{}\"", text.join(","))), Value::from(json))
        }
        2 | 8 if value.is_empty() => (None, Value::Null),
        3 if value.len() == 2 => {
            let port = u16::from_be_bytes([value[0], value[1]]);
            (Some(port.to_string()), Value::from(port))
        }
        4 => listed(
            chunks(4)?
                .map(|a| Ipv4Addr::new(a[0], a[1], a[2], a[3]).to_string())
                .collect(),
        ),
        6 => listed(
            chunks(16)?
                .map(|a| Ipv6Addr::from(<[u8; 16]>::try_from(a).unwrap_or_default()).to_string())
                .collect(),
        ),
        5 if !value.is_empty() => {
            let ech = base64(value);
            (Some(ech.clone()), Value::from(ech))
        }
        7 => {
            let path = escape_string(value);
            (Some(format!("\"{path}\"")), Value::from(path))
        }
        _ => return None,
    })
}

/// RFC 9460 §A.1: inside a value list, a comma or backslash of an item is escaped with
/// a backslash before the list is written as a character-string.
fn list_item(item: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(item.len());
    for &b in item {
        if b == b',' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}
