//! Following a transfer's messages to its end.
//!
//! AXFR (RFC 5936 §2.2): the zone's SOA, every record, the same SOA again. IXFR
//! (RFC 1995 §4): the server's SOA, then either the whole zone as AXFR has it, or for
//! each version step the old SOA and the records deleted, the new SOA and the records
//! added, and the server's SOA again; or only the server's SOA when the client is up to
//! date. Every record is labelled with where it belongs, so that it can be printed the
//! moment it arrives and nothing is held.

use hickory_proto::op::{Message, MessageType, OpCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use serde::Serialize;

use crate::dns::wire::{self, Question};

/// A transfer that sends this many messages in a row without a record makes no progress
/// (RFC 5936 §2.2 has every message carry records): it is ended rather than read for
/// ever, each message arriving within the timeout.
pub(crate) const MAX_EMPTY_IN_A_ROW: usize = 64;

/// Where one record of a transfer belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub(crate) enum Change {
    /// The opening SOA: the server's version.
    Opening,
    /// A record of the zone (AXFR, or IXFR sent in AXFR form).
    Zone,
    /// Deleted in the step from version `serial` (its old SOA included).
    Deleted { serial: u32 },
    /// Added in the step to version `serial` (its new SOA included).
    Added { serial: u32 },
    /// The closing SOA.
    Closing,
}

/// What kind of transfer the server sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// A whole zone, asked with AXFR.
    Axfr,
    /// Changes, step by step.
    Incremental,
    /// Asked with IXFR, answered with the whole zone.
    Full,
    /// Asked with IXFR; the client's serial is current: only the server's SOA came.
    UpToDate,
}

/// One version step of an incremental transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Step {
    pub from: u32,
    pub to: u32,
    /// Records deleted and added, the two SOAs not counted.
    pub deleted: usize,
    pub added: usize,
}

/// Why a transfer failed, as judged from its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server answered with an error rcode (a refused transfer, NOTAUTH, …).
    Rcode(u16),
    /// A message broke the transfer's form (RFC 5936 §2.2, RFC 1995 §4).
    Form(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Rcode(rcode) => write!(f, "the server answered {}", wire::rcode_text(*rcode)),
            Failure::Form(why) => f.write_str(why),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    /// IXFR: the opening SOA was read; the next record tells the form.
    Opened,
    Zone,
    Deleting {
        from: u32,
    },
    Adding {
        to: u32,
    },
    Done,
}

/// The judge of one transfer.
#[derive(Debug)]
pub(crate) struct Transfer {
    question: Question,
    id: u16,
    /// IXFR: the serial the client holds.
    client_serial: Option<u32>,
    state: State,
    /// The serial of the opening SOA.
    serial: Option<u32>,
    kind: Option<Kind>,
    steps: Vec<Step>,
    records: usize,
    messages: usize,
    /// Messages in a row without a record.
    empty: usize,
}

impl Transfer {
    /// A judge of the replies to the query with `id` for `question`.
    pub(crate) fn new(question: Question, id: u16, client_serial: Option<u32>) -> Self {
        Self {
            question,
            id,
            client_serial,
            state: State::Start,
            serial: None,
            kind: None,
            steps: Vec::new(),
            records: 0,
            messages: 0,
            empty: 0,
        }
    }

    /// Judges the next message; the change of each of its answer records, in order.
    ///
    /// # Errors
    /// When the message ends the transfer in failure: an error rcode, another ID or
    /// question, a record after the closing SOA, an opening that is not the zone's SOA.
    pub(crate) fn feed(&mut self, message: &Message) -> Result<Vec<Change>, Failure> {
        self.check_header(message)?;
        self.messages += 1;
        self.empty = if message.answers.is_empty() {
            self.empty + 1
        } else {
            0
        };
        if self.empty >= MAX_EMPTY_IN_A_ROW {
            return Err(Failure::Form(format!(
                "{MAX_EMPTY_IN_A_ROW} messages in a row without a record: the transfer makes no progress"
            )));
        }
        let mut changes = Vec::with_capacity(message.answers.len());
        for record in &message.answers {
            changes.push(self.record(record)?);
            self.records += 1;
        }
        if self.state == State::Opened
            && let (Some(server), Some(client)) = (self.serial, self.client_serial)
            && !newer(server, client)
        {
            // RFC 1995 §2: only the server's SOA, when the client's version is current.
            self.kind = Some(Kind::UpToDate);
            self.state = State::Done;
        }
        Ok(changes)
    }

    /// Whether the closing SOA has come.
    pub(crate) fn done(&self) -> bool {
        self.state == State::Done
    }

    /// The kind of transfer, once known.
    pub(crate) fn kind(&self) -> Option<Kind> {
        self.kind
    }

    /// The server's serial, once the opening SOA came.
    pub(crate) fn serial(&self) -> Option<u32> {
        self.serial
    }

    /// The version steps of an incremental transfer.
    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Records and messages judged so far.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.records, self.messages)
    }

    /// Why the transfer is not complete, for a stream that ended here.
    pub(crate) fn unfinished(&self) -> String {
        match self.state {
            State::Start => "the connection closed before the transfer began".to_owned(),
            State::Done => "the transfer is complete".to_owned(),
            _ => format!(
                "the transfer was cut short after {} record(s) in {} message(s): no closing SOA",
                self.records, self.messages
            ),
        }
    }

    fn check_header(&self, message: &Message) -> Result<(), Failure> {
        let form = |why: String| Err(Failure::Form(why));
        let meta = &message.metadata;
        if meta.id != self.id {
            return form(format!(
                "a message with ID {}, not the query's {}",
                meta.id, self.id
            ));
        }
        if meta.message_type != MessageType::Response || meta.op_code != OpCode::Query {
            return form("a message that is not a response to a QUERY".to_owned());
        }
        let rcode = wire::rcode_number(message);
        if rcode != 0 {
            return Err(Failure::Rcode(rcode));
        }
        // RFC 5936 §2.2.1: the first message repeats the question; later ones may not.
        match message.queries.as_slice() {
            [] if self.messages > 0 => {}
            [q] if q.name == self.question.name
                && q.query_type == self.question.rtype
                && q.query_class == self.question.class => {}
            _ => return form("a message for another question".to_owned()),
        }
        Ok(())
    }

    fn record(&mut self, record: &Record) -> Result<Change, Failure> {
        let soa_serial = self.zone_soa(record);
        let change = match (self.state, soa_serial) {
            (State::Done, _) => {
                return Err(Failure::Form(format!(
                    "a record after the closing SOA ({} {})",
                    record.name,
                    crate::dns::rrtype::type_text(record.record_type())
                )));
            }
            (State::Start, Some(serial)) => {
                self.serial = Some(serial);
                if self.client_serial.is_some() {
                    self.state = State::Opened;
                    Change::Opening
                } else {
                    self.kind = Some(Kind::Axfr);
                    self.state = State::Zone;
                    Change::Zone
                }
            }
            (State::Start, None) => {
                return Err(Failure::Form(format!(
                    "the transfer starts with {} {}, not the SOA of {}",
                    record.name,
                    crate::dns::rrtype::type_text(record.record_type()),
                    self.question.name
                )));
            }
            // An SOA right after the opening one: the first step's old version, unless
            // it is the same version (a zone of nothing but its SOA, sent whole).
            (State::Opened, Some(serial)) if Some(serial) == self.serial => self.close(serial)?,
            (State::Opened, Some(serial)) => {
                self.kind = Some(Kind::Incremental);
                self.start_step(serial)
            }
            (State::Opened, None) => {
                self.kind = Some(Kind::Full);
                self.state = State::Zone;
                Change::Zone
            }
            (State::Zone, Some(serial)) => self.close(serial)?,
            (State::Zone, None) => Change::Zone,
            (State::Deleting { .. }, Some(to)) => {
                if let Some(step) = self.steps.last_mut() {
                    step.to = to;
                }
                self.state = State::Adding { to };
                Change::Added { serial: to }
            }
            (State::Deleting { from }, None) => {
                if let Some(step) = self.steps.last_mut() {
                    step.deleted += 1;
                }
                Change::Deleted { serial: from }
            }
            // The server's own version closes the last step; any other starts a step.
            (State::Adding { to }, Some(serial)) if Some(serial) == self.serial && to == serial => {
                self.close(serial)?
            }
            (State::Adding { .. }, Some(serial)) => self.start_step(serial),
            (State::Adding { to }, None) => {
                if let Some(step) = self.steps.last_mut() {
                    step.added += 1;
                }
                Change::Added { serial: to }
            }
        };
        Ok(change)
    }

    /// A version step from `from`, whose old SOA is `Deleted` like its records; its end
    /// is known when the new SOA comes.
    fn start_step(&mut self, from: u32) -> Change {
        self.steps.push(Step {
            from,
            to: from,
            deleted: 0,
            added: 0,
        });
        self.state = State::Deleting { from };
        Change::Deleted { serial: from }
    }

    fn close(&mut self, serial: u32) -> Result<Change, Failure> {
        if Some(serial) != self.serial {
            return Err(Failure::Form(format!(
                "the closing SOA has serial {serial}, the opening one {}",
                self.serial.unwrap_or_default()
            )));
        }
        if self.kind.is_none() {
            self.kind = Some(Kind::Full);
        }
        self.state = State::Done;
        Ok(Change::Closing)
    }

    /// The serial of `record` when it is the SOA of the zone transferred.
    fn zone_soa(&self, record: &Record) -> Option<u32> {
        match &record.data {
            RData::SOA(soa)
                if record.record_type() == RecordType::SOA
                    && same_name(&record.name, &self.question.name) =>
            {
                Some(soa.serial)
            }
            _ => None,
        }
    }
}

fn same_name(a: &Name, b: &Name) -> bool {
    a == b
}

/// RFC 1982 serial arithmetic: whether `a` is newer than `b`.
fn newer(a: u32, b: u32) -> bool {
    a != b && a.wrapping_sub(b) < 1 << 31
}
