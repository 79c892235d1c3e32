//! TSIG (RFC 8945): signing a query with a shared secret, and verifying the replies,
//! the many messages of a zone transfer included. Bytes in, bytes out: the clock is
//! passed in.
//!
//! hickory-proto has a TSIG signer, but its MACs stop at SHA-256/384/512 (ring has no
//! HMAC-SHA224 and keeps SHA-1 for legacy use), and its verifier wants every message of
//! a transfer signed, while RFC 8945 §5.3.1 lets a server leave up to 99 in a row
//! unsigned (NSD signs one message in a hundred). So the MAC runs on RustCrypto's
//! `hmac`, and the digest is built here, over the message bytes exactly as received.

mod key;

use std::fmt;

use hickory_proto::rr::Name;
use hmac::{KeyInit, Mac};

/// RFC 8945 §5.3.1: at most this many messages in a row may come without a TSIG.
const MAX_UNSIGNED_IN_A_ROW: usize = 99;
/// RFC 8945 §10: the default fudge, in seconds.
pub(crate) const FUDGE: u16 = 300;
pub(crate) use key::{from_file, from_option};

const TSIG_TYPE: u16 = 250;
const CLASS_ANY: u16 = 255;
const HEADER_LEN: usize = 12;

/// The MAC algorithms of RFC 8945 §6 that dig accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    /// Reads a name as dig's `-y` and key files write it (`hmac-sha256`), any case.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let lower = text.trim_end_matches('.').to_ascii_lowercase();
        Some(match lower.as_str() {
            "hmac-md5" | "hmac-md5.sig-alg.reg.int" => Self::Md5,
            "hmac-sha1" => Self::Sha1,
            "hmac-sha224" => Self::Sha224,
            "hmac-sha256" => Self::Sha256,
            "hmac-sha384" => Self::Sha384,
            "hmac-sha512" => Self::Sha512,
            _ => return None,
        })
    }

    /// The algorithm's name as sent (RFC 8945 §6).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Md5 => "hmac-md5.sig-alg.reg.int",
            Self::Sha1 => "hmac-sha1",
            Self::Sha224 => "hmac-sha224",
            Self::Sha256 => "hmac-sha256",
            Self::Sha384 => "hmac-sha384",
            Self::Sha512 => "hmac-sha512",
        }
    }

    /// The full MAC length, in bytes.
    fn output_len(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// A shared secret. Its `Debug` hides the bytes, so it cannot leak through a log line or
/// an error message made with `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Vec<u8>);

impl Secret {
    pub(crate) fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} bytes, hidden)", self.0.len())
    }
}

/// A TSIG key: its name, algorithm and secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Key {
    pub name: Name,
    pub algorithm: Algorithm,
    pub secret: Secret,
}

/// The MAC being computed over several pieces (RFC 8945 §5.3.1 runs one over many
/// messages).
enum Running {
    Md5(hmac::Hmac<md5::Md5>),
    Sha1(hmac::Hmac<sha1::Sha1>),
    Sha224(hmac::Hmac<sha2::Sha224>),
    Sha256(hmac::Hmac<sha2::Sha256>),
    Sha384(hmac::Hmac<sha2::Sha384>),
    Sha512(hmac::Hmac<sha2::Sha512>),
}

/// Runs `$body` with `$mac` bound to whichever HMAC `$running` holds.
macro_rules! each_mac {
    ($running:expr, $mac:ident => $body:expr) => {
        match $running {
            Running::Md5($mac) => $body,
            Running::Sha1($mac) => $body,
            Running::Sha224($mac) => $body,
            Running::Sha256($mac) => $body,
            Running::Sha384($mac) => $body,
            Running::Sha512($mac) => $body,
        }
    };
}

impl Running {
    fn new(key: &Key) -> Self {
        let secret = &key.secret.0;
        // HMAC takes a key of any length (RFC 2104 §2): `new_from_slice` cannot fail.
        let expect = "HMAC accepts keys of any length";
        match key.algorithm {
            Algorithm::Md5 => Self::Md5(KeyInit::new_from_slice(secret).expect(expect)),
            Algorithm::Sha1 => Self::Sha1(KeyInit::new_from_slice(secret).expect(expect)),
            Algorithm::Sha224 => Self::Sha224(KeyInit::new_from_slice(secret).expect(expect)),
            Algorithm::Sha256 => Self::Sha256(KeyInit::new_from_slice(secret).expect(expect)),
            Algorithm::Sha384 => Self::Sha384(KeyInit::new_from_slice(secret).expect(expect)),
            Algorithm::Sha512 => Self::Sha512(KeyInit::new_from_slice(secret).expect(expect)),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        each_mac!(self, mac => mac.update(bytes));
    }

    fn finish(self) -> Vec<u8> {
        each_mac!(self, mac => mac.finalize().into_bytes().to_vec())
    }

    /// Whether `tag` is the MAC, or its leftmost part (a truncated MAC), in constant time.
    fn matches(self, tag: &[u8]) -> bool {
        each_mac!(self, mac => mac.verify_truncated_left(tag).is_ok())
    }
}

/// A name in canonical wire form (RFC 4034 §6.2: lower case, uncompressed), as the MAC
/// covers it (RFC 8945 §4.3.3).
fn canonical_name(name: &Name, out: &mut Vec<u8>) {
    for label in name.iter() {
        // `Name` holds labels of at most 63 bytes.
        out.push(u8::try_from(label.len()).unwrap_or(63));
        out.extend(label.iter().map(u8::to_ascii_lowercase));
    }
    out.push(0);
}

fn algorithm_name(algorithm: Algorithm) -> Name {
    Name::from_ascii(algorithm.name()).expect("the algorithm names are valid names")
}

/// The 48-bit time of RFC 8945 §4.2.
fn time_bytes(time: u64) -> [u8; 6] {
    let all = time.to_be_bytes();
    [all[2], all[3], all[4], all[5], all[6], all[7]]
}

/// Seconds since the epoch of `when`, as TSIG counts time (the caller reads the clock).
pub(crate) fn seconds(when: std::time::SystemTime) -> u64 {
    when.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Signs `query` (a whole encoded message, ID included) with `key` at `now` (seconds
/// since the epoch): appends the TSIG record and counts it in ARCOUNT. Returns the MAC,
/// which the replies' MACs are chained to.
///
/// # Errors
/// When `query` is shorter than a header or already holds 65535 additional records.
pub(crate) fn sign(query: &mut Vec<u8>, key: &Key, now: u64) -> Result<Vec<u8>, String> {
    if query.len() < HEADER_LEN {
        return Err("a query shorter than its header cannot be signed".to_owned());
    }
    let arcount = u16::from_be_bytes([query[10], query[11]])
        .checked_add(1)
        .ok_or("a query with 65535 additional records cannot be signed")?;
    let original_id = [query[0], query[1]];
    let mut variables = Vec::with_capacity(64);
    canonical_name(&key.name, &mut variables);
    variables.extend_from_slice(&CLASS_ANY.to_be_bytes());
    variables.extend_from_slice(&0u32.to_be_bytes());
    canonical_name(&algorithm_name(key.algorithm), &mut variables);
    variables.extend_from_slice(&time_bytes(now));
    variables.extend_from_slice(&FUDGE.to_be_bytes());
    // Error 0, no other data.
    variables.extend_from_slice(&[0, 0, 0, 0]);

    let mut running = Running::new(key);
    running.update(query);
    running.update(&variables);
    let mac = running.finish();

    let mut rdata = Vec::with_capacity(64 + mac.len());
    canonical_name(&algorithm_name(key.algorithm), &mut rdata);
    rdata.extend_from_slice(&time_bytes(now));
    rdata.extend_from_slice(&FUDGE.to_be_bytes());
    rdata.extend_from_slice(&u16::try_from(mac.len()).unwrap_or(0).to_be_bytes());
    rdata.extend_from_slice(&mac);
    rdata.extend_from_slice(&original_id);
    rdata.extend_from_slice(&[0, 0, 0, 0]);

    canonical_name(&key.name, query);
    query.extend_from_slice(&TSIG_TYPE.to_be_bytes());
    query.extend_from_slice(&CLASS_ANY.to_be_bytes());
    query.extend_from_slice(&0u32.to_be_bytes());
    query.extend_from_slice(&u16::try_from(rdata.len()).unwrap_or(0).to_be_bytes());
    query.extend_from_slice(&rdata);
    query[10..12].copy_from_slice(&arcount.to_be_bytes());
    Ok(mac)
}

/// The TSIG record of a received message, as read from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Received {
    /// Where the TSIG record starts: the message without it is `bytes[..start]`.
    start: usize,
    pub key_name: Name,
    pub algorithm: Name,
    pub time: u64,
    pub fudge: u16,
    pub mac: Vec<u8>,
    pub original_id: u16,
    /// The TSIG error (RFC 8945 §3: BADSIG 16, BADKEY 17, BADTIME 18, BADTRUNC 22).
    pub error: u16,
    pub other: Vec<u8>,
}

/// A TSIG error's mnemonic.
pub(crate) fn error_text(error: u16) -> String {
    match error {
        0 => "NOERROR".to_owned(),
        16 => "BADSIG".to_owned(),
        17 => "BADKEY".to_owned(),
        18 => "BADTIME".to_owned(),
        22 => "BADTRUNC".to_owned(),
        other => format!("error {other}"),
    }
}

/// Why a reply's TSIG does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A reply to a signed query came without a TSIG record.
    Missing,
    /// The server reports a TSIG error (BADSIG, BADKEY, BADTIME, BADTRUNC).
    Server(u16),
    /// Signed with another key or algorithm than the query's.
    OtherKey(String),
    /// The MAC is not the one the key gives.
    BadMac,
    /// The signing time is outside the fudge of the local clock.
    BadTime { offset: i64, fudge: u16 },
    /// More than 99 messages of a transfer in a row without a TSIG.
    TooManyUnsigned,
    /// The transfer's last message carries no TSIG.
    UnsignedEnd,
    /// The TSIG record cannot be read.
    Malformed(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("the reply to a signed query carries no TSIG"),
            Self::Server(error) => write!(f, "the server answered TSIG error {}", error_text(*error)),
            Self::OtherKey(what) => write!(f, "the reply is signed with {what}, not the query's key"),
            Self::BadMac => f.write_str("the reply's TSIG MAC does not verify with the key"),
            Self::BadTime { offset, fudge } => write!(
                f,
                "the reply was signed {offset} s from the local time (more than the fudge of {fudge} s)"
            ),
            Self::TooManyUnsigned => write!(
                f,
                "more than {MAX_UNSIGNED_IN_A_ROW} messages in a row without a TSIG (RFC 8945 §5.3.1)"
            ),
            Self::UnsignedEnd => f.write_str("the transfer's last message carries no TSIG"),
            Self::Malformed(why) => write!(f, "the reply's TSIG record cannot be read: {why}"),
        }
    }
}

/// What a verified message carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seal {
    /// A TSIG whose MAC verifies.
    Signed,
    /// No TSIG, allowed between signed messages of a transfer; covered by the next MAC.
    Unsigned,
}

/// Verifies the replies to a signed query, in the order they arrive.
pub(crate) struct Verifier<'k> {
    key: &'k Key,
    /// The MAC the next signed message's digest starts from: the query's, then the last
    /// signed reply's.
    prior: Vec<u8>,
    /// The digest of the unsigned messages since the last signed one.
    pending: Option<Running>,
    unsigned: usize,
    signed_any: bool,
    now: u64,
}

impl fmt::Debug for Verifier<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("unsigned", &self.unsigned)
            .finish()
    }
}

impl<'k> Verifier<'k> {
    /// A verifier of the replies to a query signed with `key`, whose MAC was `query_mac`,
    /// judged against the local time `now`.
    pub(crate) fn new(key: &'k Key, query_mac: Vec<u8>, now: u64) -> Self {
        Self {
            key,
            prior: query_mac,
            pending: None,
            unsigned: 0,
            signed_any: false,
            now,
        }
    }

    /// Judges the next message.
    ///
    /// # Errors
    /// When its TSIG is missing where it must be, cannot be read, or does not verify.
    pub(crate) fn check(&mut self, message: &[u8]) -> Result<Seal, Problem> {
        let Some(tsig) = find(message)? else {
            if !self.signed_any {
                return Err(Problem::Missing);
            }
            self.unsigned += 1;
            if self.unsigned > MAX_UNSIGNED_IN_A_ROW {
                return Err(Problem::TooManyUnsigned);
            }
            self.pending_digest().update(message);
            return Ok(Seal::Unsigned);
        };
        // BADSIG and BADKEY come unsigned (RFC 8945 §5.3.2): nothing to verify.
        if tsig.error != 0 && tsig.mac.is_empty() {
            return Err(Problem::Server(tsig.error));
        }
        let algorithm = Algorithm::parse(&tsig.algorithm.to_ascii());
        if !names_equal(&tsig.key_name, &self.key.name) || algorithm != Some(self.key.algorithm) {
            return Err(Problem::OtherKey(format!(
                "key {} ({})",
                tsig.key_name,
                tsig.algorithm.to_ascii().trim_end_matches('.')
            )));
        }
        let full = self.key.algorithm.output_len();
        // RFC 8945 §5.2.2.1: a truncated MAC keeps at least half the bits, and 10 bytes.
        if tsig.mac.len() > full || tsig.mac.len() < (full / 2).max(10) {
            return Err(Problem::BadMac);
        }
        let mut digest = self.pending_digest_or_new();
        let body = &message[..tsig.start];
        let mut head = [0u8; HEADER_LEN];
        head.copy_from_slice(&body[..HEADER_LEN]);
        head[..2].copy_from_slice(&tsig.original_id.to_be_bytes());
        let arcount = u16::from_be_bytes([head[10], head[11]]).saturating_sub(1);
        head[10..12].copy_from_slice(&arcount.to_be_bytes());
        digest.update(&head);
        digest.update(&body[HEADER_LEN..]);
        let mut variables = Vec::with_capacity(64);
        if self.signed_any {
            // Later messages: the timers only (RFC 8945 §5.3.1).
            variables.extend_from_slice(&time_bytes(tsig.time));
            variables.extend_from_slice(&tsig.fudge.to_be_bytes());
        } else {
            canonical_name(&tsig.key_name, &mut variables);
            variables.extend_from_slice(&CLASS_ANY.to_be_bytes());
            variables.extend_from_slice(&0u32.to_be_bytes());
            canonical_name(&tsig.algorithm, &mut variables);
            variables.extend_from_slice(&time_bytes(tsig.time));
            variables.extend_from_slice(&tsig.fudge.to_be_bytes());
            variables.extend_from_slice(&tsig.error.to_be_bytes());
            variables.extend_from_slice(&u16::try_from(tsig.other.len()).unwrap_or(0).to_be_bytes());
            variables.extend_from_slice(&tsig.other);
        }
        digest.update(&variables);
        if !digest.matches(&tsig.mac) {
            return Err(Problem::BadMac);
        }
        // A signed BADTIME says the server's clock, not ours, disagrees.
        if tsig.error != 0 {
            return Err(Problem::Server(tsig.error));
        }
        let offset =
            i64::try_from(tsig.time).unwrap_or(i64::MAX) - i64::try_from(self.now).unwrap_or(i64::MAX);
        if offset.unsigned_abs() > u64::from(tsig.fudge) {
            return Err(Problem::BadTime {
                offset,
                fudge: tsig.fudge,
            });
        }
        self.prior = tsig.mac;
        self.unsigned = 0;
        self.signed_any = true;
        Ok(Seal::Signed)
    }

    /// Judges the end of a transfer: its last message must have been signed.
    ///
    /// # Errors
    /// [`Problem::UnsignedEnd`] when it was not.
    pub(crate) fn finish(&self) -> Result<(), Problem> {
        if self.unsigned > 0 {
            return Err(Problem::UnsignedEnd);
        }
        Ok(())
    }

    /// The digest that unsigned messages are added to, started from the prior MAC.
    fn pending_digest(&mut self) -> &mut Running {
        if self.pending.is_none() {
            self.pending = Some(self.started());
        }
        self.pending.as_mut().expect("just set")
    }

    fn pending_digest_or_new(&mut self) -> Running {
        self.pending.take().unwrap_or_else(|| self.started())
    }

    fn started(&self) -> Running {
        let mut digest = Running::new(self.key);
        digest.update(&u16::try_from(self.prior.len()).unwrap_or(0).to_be_bytes());
        digest.update(&self.prior);
        digest
    }
}

fn names_equal(a: &Name, b: &Name) -> bool {
    let mut x = Vec::new();
    let mut y = Vec::new();
    canonical_name(a, &mut x);
    canonical_name(b, &mut y);
    x == y
}

/// The TSIG record of `message`, when its last additional record is one.
///
/// # Errors
/// When the message cannot be framed, or its TSIG record cannot be read.
pub(crate) fn find(message: &[u8]) -> Result<Option<Received>, Problem> {
    let malformed = |why: &str| Problem::Malformed(why.to_owned());
    let count = |at: usize| {
        message
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .ok_or_else(|| malformed("a message shorter than its header"))
    };
    let (questions, records) = (count(4)?, count(6)? + count(8)? + count(10)?);
    if count(10)? == 0 {
        return Ok(None);
    }
    let mut at = HEADER_LEN;
    for _ in 0..questions {
        at = skip_name(message, at).ok_or_else(|| malformed("a question runs past the end"))? + 4;
    }
    let mut last = None;
    for _ in 0..records {
        let start = at;
        let fixed = skip_name(message, at).ok_or_else(|| malformed("a record runs past the end"))?;
        let field = |offset: usize| {
            message
                .get(fixed + offset..fixed + offset + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| malformed("a record runs past the end"))
        };
        let rtype = field(0)?;
        let rdlength = usize::from(field(8)?);
        at = fixed + 10 + rdlength;
        if at > message.len() {
            return Err(malformed("a record runs past the end"));
        }
        last = Some((start, rtype, fixed));
    }
    match last {
        Some((start, TSIG_TYPE, fixed)) => read_tsig(message, start, fixed).map(Some),
        _ => Ok(None),
    }
}

fn read_tsig(message: &[u8], start: usize, fixed: usize) -> Result<Received, Problem> {
    use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};
    let malformed = |why: String| Problem::Malformed(why);
    let name_at = |offset: usize| {
        let mut decoder = BinDecoder::new(message);
        decoder.read_slice(offset).map_err(|e| malformed(e.to_string()))?;
        let name = Name::read(&mut decoder).map_err(|e| malformed(e.to_string()))?;
        Ok::<_, Problem>((name, decoder.index()))
    };
    let (key_name, _) = name_at(start)?;
    let rdata_start = fixed + 10;
    let (algorithm, mut at) = name_at(rdata_start)?;
    let mut take = |n: usize| {
        let bytes = message
            .get(at..at + n)
            .ok_or_else(|| malformed("the TSIG rdata is cut short".to_owned()))?;
        at += n;
        Ok::<_, Problem>(bytes)
    };
    let time = take(6)?.iter().fold(0u64, |t, &b| t << 8 | u64::from(b));
    let u16_of = |b: &[u8]| u16::from_be_bytes([b[0], b[1]]);
    let fudge = u16_of(take(2)?);
    let mac_len = usize::from(u16_of(take(2)?));
    let mac = take(mac_len)?.to_vec();
    let original_id = u16_of(take(2)?);
    let error = u16_of(take(2)?);
    let other_len = usize::from(u16_of(take(2)?));
    let other = take(other_len)?.to_vec();
    Ok(Received {
        start,
        key_name,
        algorithm,
        time,
        fudge,
        mac,
        original_id,
        error,
        other,
    })
}

/// The offset just past the name at `at`: its labels up to the root, or up to a
/// compression pointer.
fn skip_name(message: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let length = *message.get(at)?;
        match length {
            0 => return Some(at + 1),
            l if l & 0xC0 == 0xC0 => return (at + 2 <= message.len()).then_some(at + 2),
            l if l & 0xC0 == 0 => at += 1 + usize::from(l),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests;
