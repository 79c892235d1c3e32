//! A zone transfer as data: each message as it arrives (records with where each belongs:
//! the zone, or a version step's deletions and additions), then the summary.

use serde::Serialize;

use crate::model::report::{ErrorInfo, QueryInfo, RecordInfo, ServerInfo, TsigInfo};
use crate::xfr::judge::{Change, Kind, Step};

/// One message of a transfer, with its records. In JSON, one line per message.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TransferMessage {
    pub schema_version: u32,
    /// Always "transfer_message".
    pub mode: &'static str,
    /// 0 for the first message.
    pub index: usize,
    /// Bytes on the wire.
    pub size: usize,
    /// Microseconds from sending the query to this message's arrival.
    pub at_us: u64,
    /// With a TSIG key: "signed" or "unsigned" (a message between signed ones,
    /// RFC 8945 §5.3.1, covered by the next signed one's MAC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsig: Option<&'static str>,
    pub records: Vec<TransferRecord>,
}

/// A record of a transfer and where it belongs.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TransferRecord {
    #[serde(flatten)]
    pub record: RecordInfo,
    #[serde(flatten)]
    pub change: Change,
}

/// What a transfer came to. In JSON, the last line, after the messages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TransferReport {
    pub schema_version: u32,
    /// Always "transfer".
    pub mode: &'static str,
    pub query: QueryInfo,
    /// IXFR: the serial the query said the client holds.
    pub client_serial: Option<u32>,
    pub server: ServerInfo,
    /// When the transfer started, RFC 3339 UTC.
    pub when: String,
    /// axfr, incremental, full (IXFR answered with the whole zone), up_to_date; null
    /// when the transfer failed before it was known.
    pub kind: Option<Kind>,
    /// The serial of the server's SOA.
    pub serial: Option<u32>,
    pub records: usize,
    pub messages: usize,
    /// Bytes of all messages, without the 2-byte TCP length prefixes.
    pub bytes: usize,
    /// Microseconds from connecting to the last message.
    pub time_us: u64,
    /// Microseconds from sending the query to the first message.
    pub first_message_us: Option<u64>,
    /// The version steps of an incremental transfer.
    pub steps: Vec<Step>,
    /// With a TSIG key (`-y`, `-k`): what came of it.
    pub tsig: Option<TsigInfo>,
    pub exit_code: u8,
    pub error: Option<ErrorInfo>,
}
