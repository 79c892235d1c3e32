//! Domain names in presentation format: parsing what a user typed and printing what a
//! server sent.
//!
//! hickory-proto's text parser reads `\DDD` escapes as octal and re-encodes the byte as
//! UTF-8 (see ../shared/research/deps.md §5), so both directions are done here, per
//! RFC 1035 §5.1: `\X` quotes a character, `\DDD` is a decimal byte value. Names decoded
//! from the wire are already correct; only the text forms go through this module.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::net::IpAddr;

use hickory_proto::rr::{Label, Name};

/// RFC 1035 §2.3.4: a label is at most 63 octets.
const MAX_LABEL: usize = 63;
/// RFC 1035 §2.3.4: a name is at most 255 octets on the wire, length bytes included.
const MAX_WIRE_NAME: usize = 255;

/// Why a typed name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NameError {
    #[error("empty label in '{0}'")]
    EmptyLabel(String),
    #[error("label of {len} octets in '{name}' (at most 63)")]
    LabelTooLong { name: String, len: usize },
    #[error("name '{name}' is {len} octets on the wire (at most 255)")]
    NameTooLong { name: String, len: usize },
    #[error("bad escape in '{0}' (use \\X or a decimal \\DDD from 000 to 255)")]
    BadEscape(String),
    #[error("'{name}' is not a valid internationalised name: {reason}")]
    Idn { name: String, reason: String },
}

/// Parses a name as typed on the command line into a fully qualified [`Name`].
///
/// Labels made only of ASCII keep their case and bytes (so `_sip`, `dis_allowed` and
/// escapes work); a label with any non-ASCII character goes through IDNA (UTS #46) and
/// becomes its `xn--` form.
pub(crate) fn parse(text: &str) -> Result<Name, NameError> {
    if text == "." {
        return Ok(Name::root());
    }
    let body = strip_final_dot(text);
    let mut labels: Vec<Cow<'_, [u8]>> = Vec::new();
    for raw in split_labels(body) {
        let bytes = unescape(raw).ok_or_else(|| NameError::BadEscape(text.to_owned()))?;
        if bytes.is_empty() {
            return Err(NameError::EmptyLabel(text.to_owned()));
        }
        // Escaped bytes are taken as they are; only typed non-ASCII text means IDN.
        let label = if raw.is_ascii() {
            bytes
        } else {
            Cow::Owned(idna_label(&bytes, text)?)
        };
        if label.len() > MAX_LABEL {
            return Err(NameError::LabelTooLong {
                name: text.to_owned(),
                len: label.len(),
            });
        }
        labels.push(label);
    }
    let wire_len = labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1;
    if wire_len > MAX_WIRE_NAME {
        return Err(NameError::NameTooLong {
            name: text.to_owned(),
            len: wire_len,
        });
    }
    let mut name = Name::from_labels(labels.iter().map(|l| &**l)).map_err(|e| NameError::Idn {
        name: text.to_owned(),
        reason: e.to_string(),
    })?;
    name.set_fqdn(true);
    Ok(name)
}

/// The final dot of a name is only there when it is not itself escaped (`a\.` is one label).
fn strip_final_dot(text: &str) -> &str {
    let trailing_backslashes = text
        .strip_suffix('.')
        .map(|rest| rest.bytes().rev().take_while(|&b| b == b'\\').count());
    match trailing_backslashes {
        Some(n) if n % 2 == 0 => &text[..text.len() - 1],
        _ => text,
    }
}

/// Splits on dots that are not escaped.
fn split_labels(text: &str) -> Vec<&str> {
    let mut labels = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        match (escaped, b) {
            (true, _) => escaped = false,
            (false, b'\\') => escaped = true,
            (false, b'.') => {
                labels.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    labels.push(&text[start..]);
    labels
}

/// Resolves `\X` and decimal `\DDD` escapes into raw bytes; `None` for a broken escape.
/// A label without escapes, as in nearly every name of a batch file, is borrowed as it is.
fn unescape(label: &str) -> Option<Cow<'_, [u8]>> {
    let bytes = label.as_bytes();
    if !bytes.contains(&b'\\') {
        return Some(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let rest = &bytes[i + 1..];
        match rest {
            [a, b, c, ..] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
                let value = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
                out.push(u8::try_from(value).ok()?);
                i += 4;
            }
            [d, ..] if d.is_ascii_digit() => return None,
            [other, ..] => {
                out.push(*other);
                i += 2;
            }
            [] => return None,
        }
    }
    Some(Cow::Owned(out))
}

fn idna_label(bytes: &[u8], whole: &str) -> Result<Vec<u8>, NameError> {
    let text = std::str::from_utf8(bytes).map_err(|_| NameError::Idn {
        name: whole.to_owned(),
        reason: "not UTF-8".to_owned(),
    })?;
    Label::from_utf8(text)
        .map(|l| l.as_bytes().to_vec())
        .map_err(|e| NameError::Idn {
            name: whole.to_owned(),
            reason: e.to_string(),
        })
}

/// How names are printed, and record data with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct NameStyle {
    /// Show `xn--` labels in Unicode (dig's `+idnout`).
    pub unicode: bool,
    /// Show every record's data in RFC 3597 form, known types too (dig's
    /// `+unknownformat`).
    pub rfc3597: bool,
}

/// Prints a name in presentation format with a final dot, escaping per RFC 1035 §5.1.
///
/// Bytes outside printable ASCII become `\DDD`, so control bytes never reach a terminal.
pub(crate) fn format(name: &Name, style: NameStyle) -> String {
    if name.is_root() {
        return ".".to_owned();
    }
    let mut out = String::with_capacity(name.len() + 1);
    for label in name.iter() {
        match style.unicode.then(|| unicode_label(label)).flatten() {
            Some(text) => out.push_str(&text),
            None => escape_label_into(label, &mut out),
        }
        out.push('.');
    }
    out
}

fn escape_label_into(label: &[u8], out: &mut String) {
    // Nearly every label needs no escaping: copy it whole.
    let plain = label.iter().all(|&b| is_plain(b));
    if let (true, Ok(text)) = (plain, std::str::from_utf8(label)) {
        out.push_str(text);
        return;
    }
    for &b in label {
        if is_plain(b) {
            out.push(char::from(b));
        } else if b.is_ascii_graphic() {
            out.push('\\');
            out.push(char::from(b));
        } else {
            let _ = write!(out, "\\{b:03}");
        }
    }
}

/// A byte that stands for itself in presentation format.
fn is_plain(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$')
}

/// The Unicode form of an `xn--` label, when it decodes to printable text.
fn unicode_label(label: &[u8]) -> Option<String> {
    if label.len() < 4 || !label[..4].eq_ignore_ascii_case(b"xn--") {
        return None;
    }
    let decoded = Label::from_raw_bytes(label).ok()?.to_utf8();
    let printable = decoded
        .chars()
        .all(|c| !c.is_control() && c != '.' && c != '\\' && !c.is_whitespace());
    (printable && !decoded.eq_ignore_ascii_case(std::str::from_utf8(label).ok()?)).then_some(decoded)
}

/// The reverse-lookup name of an address (`-x`): in-addr.arpa (RFC 1035 §3.5) or
/// nibble-wise ip6.arpa (RFC 3596 §2.5).
pub(crate) fn reverse(addr: IpAddr) -> Name {
    let mut text = String::new();
    match addr {
        IpAddr::V4(v4) => {
            for octet in v4.octets().iter().rev() {
                let _ = write!(text, "{octet}.");
            }
            text.push_str("in-addr.arpa.");
        }
        IpAddr::V6(v6) => {
            for byte in v6.octets().iter().rev() {
                let _ = write!(text, "{:x}.{:x}.", byte & 0x0f, byte >> 4);
            }
            text.push_str("ip6.arpa.");
        }
    }
    parse(&text).expect("a reverse name is always valid")
}

/// Applies the resolv.conf search list rule (`ndots`): a name typed without a final dot
/// and with fewer dots than `ndots` is tried with each search domain first.
///
/// dig only does this with `+search`; we expose the candidates so the caller decides.
pub(crate) fn search_candidates(typed: &str, name: &Name, search: &[Name], ndots: u8) -> Vec<Name> {
    if typed.ends_with('.') || search.is_empty() {
        return vec![name.clone()];
    }
    let dots = typed.bytes().filter(|&b| b == b'.').count();
    let mut relative = name.clone();
    relative.set_fqdn(false);
    let mut with_search: Vec<Name> = search
        .iter()
        .filter_map(|domain| relative.clone().append_domain(domain).ok())
        .collect();
    if dots >= usize::from(ndots) {
        with_search.insert(0, name.clone());
    } else {
        with_search.push(name.clone());
    }
    with_search
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(name: &Name) -> String {
        format(name, NameStyle::default())
    }

    #[test]
    fn decimal_escapes_are_bytes() {
        let name = parse("odd\\200label.test").unwrap();
        assert_eq!(name.iter().next().unwrap(), b"odd\xc8label");
        assert_eq!(ascii(&name), "odd\\200label.test.");
    }

    #[test]
    fn escaped_dot_stays_in_label() {
        let name = parse("a\\.b.test.").unwrap();
        assert_eq!(name.num_labels(), 2);
        assert_eq!(ascii(&name), "a\\.b.test.");
        let trailing = parse("ab\\.").unwrap();
        assert_eq!(trailing.num_labels(), 1);
    }

    #[test]
    fn case_and_underscores_survive() {
        let name = parse("_Sip._TCP.Example.test").unwrap();
        assert_eq!(ascii(&name), "_Sip._TCP.Example.test.");
        assert!(parse("dis_allowed.test").is_ok());
    }

    #[test]
    fn idn_round_trip() {
        let name = parse("café.test").unwrap();
        assert_eq!(ascii(&name), "xn--caf-dma.test.");
        assert_eq!(
            format(
                &name,
                NameStyle {
                    unicode: true,
                    ..NameStyle::default()
                }
            ),
            "café.test."
        );
    }

    #[test]
    fn limits_are_enforced() {
        let long_label = "a".repeat(64);
        assert!(matches!(
            parse(&long_label),
            Err(NameError::LabelTooLong { len: 64, .. })
        ));
        let long_name = vec!["a".repeat(63); 4].join(".");
        assert!(matches!(
            parse(&long_name),
            Err(NameError::NameTooLong { len: 257, .. })
        ));
        let just_fits = format!("{}.{}", vec!["a".repeat(63); 3].join("."), "a".repeat(61));
        assert!(parse(&just_fits).is_ok());
        assert!(matches!(parse("a..b"), Err(NameError::EmptyLabel(_))));
        assert!(matches!(parse("a\\25x"), Err(NameError::BadEscape(_))));
        assert!(matches!(parse("a\\300"), Err(NameError::BadEscape(_))));
    }

    #[test]
    fn special_characters_are_escaped_on_output() {
        let name = Name::from_labels(vec![&b"a.b\\c\"d(e)f;g@h$i j~"[..], b"test"]).unwrap();
        assert_eq!(ascii(&name), "a\\.b\\\\c\\\"d\\(e\\)f\\;g\\@h\\$i\\032j~.test.");
        assert_eq!(parse(&ascii(&name)).unwrap().iter().next(), name.iter().next());
    }

    #[test]
    fn control_bytes_are_escaped_on_output() {
        let name = Name::from_labels(vec![&b"a\x1b[31m"[..], b"test"]).unwrap();
        assert_eq!(ascii(&name), "a\\027[31m.test.");
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            ascii(&reverse("192.0.2.1".parse().unwrap())),
            "1.2.0.192.in-addr.arpa."
        );
        let v6 = ascii(&reverse("2001:db8::1".parse().unwrap()));
        assert!(v6.starts_with("1.0.0.0.0.0.0.0."), "{v6}");
        assert!(v6.ends_with("8.b.d.0.1.0.0.2.ip6.arpa."), "{v6}");
    }

    #[test]
    fn search_list_follows_ndots() {
        let search = vec![parse("corp.test").unwrap()];
        let short = search_candidates("www", &parse("www").unwrap(), &search, 1);
        assert_eq!(
            short.iter().map(ascii).collect::<Vec<_>>(),
            ["www.corp.test.", "www."]
        );
        let dotted = search_candidates("a.b", &parse("a.b").unwrap(), &search, 1);
        assert_eq!(ascii(&dotted[0]), "a.b.");
        assert_eq!(
            search_candidates("a.", &parse("a.").unwrap(), &search, 1).len(),
            1
        );
    }
}
