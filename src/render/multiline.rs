//! dig's `+multiline`, `+split=N` and `+rrcomments`: record data laid out as dig lays it
//! out, from the same presentation text. Long base64 and hex fields (keys, signatures,
//! digests) are cut into chunks; with `+multiline` they go on lines of their own inside
//! parentheses, the SOA's numbers one per line with their names, and a DNSKEY ends with
//! its role, algorithm and key tag as a comment. TXT stays on one line, as in dig 9.18.
//! Every form still loads as a zone-file line (the parentheses and `;` comments are
//! zone-file syntax).

use crate::model::report::RecordInfo;

/// dig's continuation indent: four tabs, to column 32.
const INDENT: &str = "\n\t\t\t\t";
/// dig's chunk width with `+multiline`, when `+split` does not say.
const MULTILINE_SPLIT: usize = 44;

/// How record data is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Layout {
    /// `+multiline`.
    pub multiline: bool,
    /// `+rrcomments`: `Some` when given, else dig's default (on with `+multiline`).
    pub comments: Option<bool>,
    /// `+split=N`: `Some(0)` never splits; `None` is dig's 44 with `+multiline`, and
    /// no split without it (dnscope's one-line default keeps a field whole).
    pub split: Option<usize>,
}

impl Layout {
    /// Whether anything differs from the plain one-line form.
    pub(crate) fn plain(&self) -> bool {
        !self.multiline && !self.comments() && self.width().is_none()
    }

    fn comments(&self) -> bool {
        self.comments.unwrap_or(self.multiline)
    }

    /// The chunk width, rounded up to a multiple of 4 as dig does; `None`: no split.
    fn width(&self) -> Option<usize> {
        let width = self
            .split
            .unwrap_or(if self.multiline { MULTILINE_SPLIT } else { 0 });
        (width > 0).then(|| width.div_ceil(4) * 4)
    }
}

/// The record's data as `layout` writes it: as presented, unless a layout option says
/// otherwise.
pub(crate) fn text(record: &RecordInfo, layout: Layout) -> std::borrow::Cow<'_, str> {
    if layout.plain() {
        std::borrow::Cow::Borrowed(&record.data)
    } else {
        std::borrow::Cow::Owned(data(record, layout))
    }
}

fn data(record: &RecordInfo, layout: Layout) -> String {
    let comment = layout.comments().then(|| comment(record)).flatten();
    match record.type_code {
        6 if layout.multiline => soa(&record.data, layout.comments()),
        code => match blob_fields(code) {
            Some(head_words) => blob(&record.data, head_words, code, layout, comment),
            None => match comment {
                Some(comment) => format!("{}  ; {comment}", record.data),
                None => record.data.clone(),
            },
        },
    }
}

/// For the types whose last field is base64 or hex: how many words come before it (the
/// rest of the data is the field), and for RRSIG how many of those go on the first line.
fn blob_fields(type_code: u16) -> Option<usize> {
    Some(match type_code {
        // DS, CDS, TA, DLV: key tag, algorithm, digest type.
        43 | 59 | 32768 | 32769 => 3,
        // DNSKEY, CDNSKEY, KEY: flags, protocol, algorithm.
        48 | 60 | 25 => 3,
        // RRSIG, SIG: type, algorithm, labels, TTL, expiration, inception, tag, signer.
        46 | 24 => 8,
        // TLSA, SMIMEA: usage, selector, matching type.
        52 | 53 => 3,
        // SSHFP: algorithm, type.
        44 => 2,
        // DHCID, OPENPGPKEY: the whole.
        49 | 61 => 0,
        // CERT: type, key tag, algorithm.
        37 => 3,
        // ZONEMD: serial, scheme, hash algorithm.
        63 => 3,
        _ => return None,
    })
}

fn blob(text: &str, head_words: usize, type_code: u16, layout: Layout, comment: Option<String>) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    // An RFC 3597 form (`\# …`), or fewer words than the type has: as it is.
    if words.len() <= head_words || text.starts_with("\\#") {
        return text.to_owned();
    }
    let (head, field) = words.split_at(head_words);
    let field = field.concat();
    let chunks: Vec<String> = match layout.width() {
        Some(width) => field
            .as_bytes()
            .chunks(width)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect(),
        None => vec![field],
    };
    if !layout.multiline {
        let mut line = head
            .iter()
            .copied()
            .chain(chunks.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(comment) = comment {
            line.push_str("  ; ");
            line.push_str(&comment);
        }
        return line;
    }
    // RRSIG: the first four fields, then the times, tag and signer on a line of their own.
    let (first, second) = if matches!(type_code, 46 | 24) {
        head.split_at(4)
    } else {
        (head, &[][..])
    };
    let mut out = first.join(" ");
    out.push_str(if out.is_empty() { "(" } else { " (" });
    if !second.is_empty() {
        out.push_str(INDENT);
        out.push_str(&second.join(" "));
    }
    for chunk in &chunks {
        out.push_str(INDENT);
        out.push_str(chunk);
    }
    match comment {
        // DNSKEY: the closing parenthesis on its own line, then the comment.
        Some(comment) => {
            out.push_str(INDENT);
            out.push_str(") ; ");
            out.push_str(&comment);
        }
        None => out.push_str(" )"),
    }
    out
}

/// The SOA with each number on its own line, named and with its duration in words when
/// `comments`.
fn soa(text: &str, comments: bool) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let [mname, rname, numbers @ ..] = words.as_slice() else {
        return text.to_owned();
    };
    if numbers.len() != 5 {
        return text.to_owned();
    }
    let mut out = format!("{mname} {rname} (");
    for (i, (number, name)) in numbers
        .iter()
        .zip(["serial", "refresh", "retry", "expire", "minimum"])
        .enumerate()
    {
        out.push_str(INDENT);
        if !comments {
            out.push_str(number);
            if i == 4 {
                out.push(')');
            }
            continue;
        }
        let words = if i == 0 {
            String::new()
        } else {
            number
                .parse::<u32>()
                .map(|n| format!(" ({})", duration_words(n)))
                .unwrap_or_default()
        };
        out.push_str(&format!("{number:<10} ; {name}{words}"));
    }
    if comments {
        out.push_str(INDENT);
        out.push(')');
    }
    out
}

/// A duration as dig writes it in an SOA comment: `2 hours`, `1 week 1 day`.
pub(crate) fn duration_words(seconds: u32) -> String {
    if seconds == 0 {
        return "0 seconds".to_owned();
    }
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (unit, size) in [
        ("week", 604_800),
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        let count = rest / size;
        if count > 0 {
            parts.push(format!("{count} {unit}{}", if count == 1 { "" } else { "s" }));
            rest %= size;
        }
    }
    parts.join(" ")
}

/// dig's comment on a record: a DNSKEY's role, algorithm and key tag.
fn comment(record: &RecordInfo) -> Option<String> {
    if !matches!(record.type_code, 48 | 60 | 25) {
        return None;
    }
    let fields = serde_json::to_value(&record.rdata).ok()?;
    let flags = fields.get("flags")?.as_u64()?;
    let algorithm = u8::try_from(fields.get("algorithm")?.as_u64()?).ok()?;
    let tag = fields.get("key_tag")?.as_u64()?;
    let role = if flags & 1 == 1 { "KSK" } else { "ZSK" };
    Some(format!(
        "{role}; alg = {} ; key id = {tag}",
        algorithm_name(algorithm)
    ))
}

/// DNSSEC algorithm mnemonics (IANA), as dig names them.
fn algorithm_name(number: u8) -> String {
    match number {
        1 => "RSAMD5".to_owned(),
        3 => "DSA".to_owned(),
        5 => "RSASHA1".to_owned(),
        6 => "NSEC3DSA".to_owned(),
        7 => "NSEC3RSASHA1".to_owned(),
        8 => "RSASHA256".to_owned(),
        10 => "RSASHA512".to_owned(),
        12 => "ECCGOST".to_owned(),
        13 => "ECDSAP256SHA256".to_owned(),
        14 => "ECDSAP384SHA384".to_owned(),
        15 => "ED25519".to_owned(),
        16 => "ED448".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_written_as_dig_writes_them() {
        assert_eq!(duration_words(7200), "2 hours");
        assert_eq!(duration_words(3600), "1 hour");
        assert_eq!(duration_words(1_209_600), "2 weeks");
        assert_eq!(duration_words(300), "5 minutes");
        assert_eq!(duration_words(694_861), "1 week 1 day 1 hour 1 minute 1 second");
    }

    #[test]
    fn split_widths_round_up_to_four_and_zero_keeps_fields_whole() {
        let layout = |multiline, split| Layout {
            multiline,
            comments: None,
            split,
        };
        assert_eq!(layout(true, None).width(), Some(44));
        assert_eq!(layout(false, None).width(), None);
        assert_eq!(layout(false, Some(6)).width(), Some(8));
        assert_eq!(layout(true, Some(0)).width(), None);
        assert!(layout(false, None).plain());
    }
}
