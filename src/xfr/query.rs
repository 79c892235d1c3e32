//! The transfer query: AXFR is a plain question; IXFR carries the client's SOA, of which
//! only the serial counts, in the authority section (RFC 1995 §3).

use hickory_proto::op::Message;
use hickory_proto::rr::rdata::SOA;
use hickory_proto::rr::{Name, RData, Record};

use crate::dns::wire::{self, QueryFlags, Question};

/// The bytes of the transfer query for `question` (type AXFR or IXFR); `serial` is the
/// IXFR version the client holds.
///
/// # Errors
/// When hickory-proto cannot encode the message.
pub(crate) fn build(
    question: &Question,
    serial: Option<u32>,
    flags: &QueryFlags,
    id: u16,
) -> Result<Vec<u8>, String> {
    let mut message: Message = wire::query_message(question, flags, id);
    if let Some(serial) = serial {
        let soa = SOA::new(Name::root(), Name::root(), serial, 0, 0, 0, 0);
        let mut record = Record::from_rdata(question.name.clone(), 0, RData::SOA(soa));
        record.dns_class = question.class;
        message.add_authority(record);
    }
    message
        .to_vec()
        .map_err(|e| format!("cannot encode the query: {e}"))
}
