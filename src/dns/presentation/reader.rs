//! A cursor over uncompressed rdata bytes; every read is checked, so rdata that is too
//! short for its type yields `None` instead of made-up values.

use hickory_proto::rr::Name;

use crate::dns::names::{self, NameStyle};

pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    style: NameStyle,
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8], style: NameStyle) -> Self {
        Self { bytes, at: 0, style }
    }

    pub(super) fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub(super) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    pub(super) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    pub(super) fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    pub(super) fn u16(&mut self) -> Option<u16> {
        self.array().map(u16::from_be_bytes)
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }

    /// Everything left (possibly nothing).
    pub(super) fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.at.min(self.bytes.len())..];
        self.at = self.bytes.len();
        rest
    }

    /// Everything left, which must not be empty (keys, digests, certificates).
    pub(super) fn rest_nonempty(&mut self) -> Option<&'a [u8]> {
        Some(self.rest()).filter(|rest| !rest.is_empty())
    }

    /// A `<character-string>` (RFC 1035 §3.3): a length octet and that many bytes.
    pub(super) fn character_string(&mut self) -> Option<&'a [u8]> {
        let len = usize::from(self.u8()?);
        self.take(len)
    }

    /// An uncompressed name (the decoder has already written compressed ones out).
    pub(super) fn raw_name(&mut self) -> Option<Name> {
        let mut labels: Vec<&[u8]> = Vec::new();
        let mut wire_len = 1;
        loop {
            let len = usize::from(self.u8()?);
            if len == 0 {
                break;
            }
            if len > 63 {
                return None;
            }
            wire_len += len + 1;
            labels.push(self.take(len)?);
        }
        if wire_len > 255 {
            return None;
        }
        let mut name = Name::from_labels(labels).ok()?;
        name.set_fqdn(true);
        Some(name)
    }

    /// A name in presentation form.
    pub(super) fn name(&mut self) -> Option<String> {
        let style = self.style;
        self.raw_name().map(|n| names::format(&n, style))
    }
}
