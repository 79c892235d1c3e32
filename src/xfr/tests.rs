use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::SOA;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use super::judge::{Change, Failure, Kind, Step, Transfer};
use crate::dns::wire::Question;

fn name(text: &str) -> Name {
    Name::from_ascii(text).unwrap()
}

fn question(rtype: RecordType) -> Question {
    Question {
        name: name("example.test."),
        rtype,
        class: DNSClass::IN,
    }
}

fn soa(serial: u32) -> Record {
    let data = SOA::new(
        name("ns.example.test."),
        name("admin.example.test."),
        serial,
        1,
        1,
        1,
        1,
    );
    Record::from_rdata(name("example.test."), 3600, RData::SOA(data))
}

fn a(owner: &str, last: u8) -> Record {
    Record::from_rdata(
        name(owner),
        300,
        RData::A(std::net::Ipv4Addr::new(192, 0, 2, last).into()),
    )
}

fn message(id: u16, rtype: Option<RecordType>, records: Vec<Record>) -> Message {
    let mut m = Message::new(id, MessageType::Response, OpCode::Query);
    if let Some(rtype) = rtype {
        m.add_query(Query::query(name("example.test."), rtype));
    }
    for r in records {
        m.add_answer(r);
    }
    m
}

#[test]
fn an_axfr_over_several_messages_ends_at_the_closing_soa() {
    let mut t = Transfer::new(question(RecordType::AXFR), 5, None);
    let first = t
        .feed(&message(
            5,
            Some(RecordType::AXFR),
            vec![soa(7), a("www.example.test.", 1)],
        ))
        .unwrap();
    assert_eq!(first, [Change::Zone, Change::Zone]);
    assert!(!t.done());
    // Later messages may leave the question out (RFC 5936 §2.2.1).
    let middle = t
        .feed(&message(5, None, vec![a("mail.example.test.", 2)]))
        .unwrap();
    assert_eq!(middle, [Change::Zone]);
    let last = t
        .feed(&message(5, None, vec![a("ftp.example.test.", 3), soa(7)]))
        .unwrap();
    assert_eq!(last, [Change::Zone, Change::Closing]);
    assert!(t.done());
    assert_eq!(t.kind(), Some(Kind::Axfr));
    assert_eq!(t.serial(), Some(7));
    assert_eq!(t.counts(), (5, 3));
}

#[test]
fn a_transfer_that_breaks_its_form_fails_with_the_reason() {
    let cases: Vec<(Vec<Message>, &str)> = vec![
        (
            vec![message(
                5,
                Some(RecordType::AXFR),
                vec![soa(7), soa(7), a("x.example.test.", 1)],
            )],
            "a record after the closing SOA (x.example.test. A)",
        ),
        (
            vec![message(
                5,
                Some(RecordType::AXFR),
                vec![soa(7), a("x.example.test.", 1), soa(8)],
            )],
            "the closing SOA has serial 8, the opening one 7",
        ),
        (
            vec![message(5, Some(RecordType::AXFR), vec![a("x.example.test.", 1)])],
            "the transfer starts with x.example.test. A, not the SOA of example.test.",
        ),
        (
            vec![message(6, Some(RecordType::AXFR), vec![soa(7)])],
            "a message with ID 6, not the query's 5",
        ),
        (
            vec![message(5, Some(RecordType::A), vec![soa(7)])],
            "a message for another question",
        ),
        (
            vec![message(5, None, vec![soa(7)])],
            "a message for another question",
        ),
    ];
    for (messages, says) in cases {
        let mut t = Transfer::new(question(RecordType::AXFR), 5, None);
        let error = messages.iter().map(|m| t.feed(m)).find_map(Result::err).unwrap();
        assert_eq!(error, Failure::Form(says.to_owned()));
    }
}

#[test]
fn a_refused_transfer_is_its_rcode() {
    let mut refused = message(5, Some(RecordType::AXFR), vec![]);
    refused.metadata.response_code = ResponseCode::Refused;
    let mut t = Transfer::new(question(RecordType::AXFR), 5, None);
    let error = t.feed(&refused).unwrap_err();
    assert_eq!(error, Failure::Rcode(5));
    assert_eq!(error.to_string(), "the server answered REFUSED");
    assert_eq!(t.unfinished(), "the connection closed before the transfer began");
}

#[test]
fn an_incremental_transfer_is_labelled_step_by_step() {
    let mut t = Transfer::new(question(RecordType::IXFR), 9, Some(1));
    let records = vec![
        soa(3),
        soa(1),
        a("old.example.test.", 1),
        soa(2),
        a("new.example.test.", 2),
        soa(2),
        a("new.example.test.", 2),
        soa(3),
        a("newer.example.test.", 3),
        a("newest.example.test.", 4),
    ];
    let changes = t.feed(&message(9, Some(RecordType::IXFR), records)).unwrap();
    assert_eq!(
        changes,
        [
            Change::Opening,
            Change::Deleted { serial: 1 },
            Change::Deleted { serial: 1 },
            Change::Added { serial: 2 },
            Change::Added { serial: 2 },
            Change::Deleted { serial: 2 },
            Change::Deleted { serial: 2 },
            Change::Added { serial: 3 },
            Change::Added { serial: 3 },
            Change::Added { serial: 3 },
        ]
    );
    assert!(!t.done());
    assert_eq!(
        t.unfinished(),
        "the transfer was cut short after 10 record(s) in 1 message(s): no closing SOA"
    );
    assert_eq!(
        t.feed(&message(9, None, vec![soa(3)])).unwrap(),
        [Change::Closing]
    );
    assert!(t.done());
    assert_eq!(t.kind(), Some(Kind::Incremental));
    assert_eq!(
        t.steps(),
        [
            Step {
                from: 1,
                to: 2,
                deleted: 1,
                added: 1
            },
            Step {
                from: 2,
                to: 3,
                deleted: 1,
                added: 2
            },
        ]
    );
}

#[test]
fn an_ixfr_answered_with_the_whole_zone_or_only_the_soa() {
    let mut t = Transfer::new(question(RecordType::IXFR), 9, Some(1));
    let changes = t
        .feed(&message(
            9,
            Some(RecordType::IXFR),
            vec![soa(3), a("www.example.test.", 1), soa(3)],
        ))
        .unwrap();
    assert_eq!(changes, [Change::Opening, Change::Zone, Change::Closing]);
    assert_eq!(t.kind(), Some(Kind::Full));

    // Up to date (RFC 1995 §2): the server's SOA alone, for the client's serial or an
    // older one of the server's (serial arithmetic, RFC 1982: 4294967295 is before 3).
    for client in [3, 4, 4_294_967_295 - 1] {
        let mut t = Transfer::new(question(RecordType::IXFR), 9, Some(client));
        let changes = t.feed(&message(9, Some(RecordType::IXFR), vec![soa(3)])).unwrap();
        let expect_done = client != 4_294_967_295 - 1;
        assert_eq!(changes, [Change::Opening]);
        assert_eq!(t.done(), expect_done, "client serial {client}");
        if expect_done {
            assert_eq!(t.kind(), Some(Kind::UpToDate));
        }
    }
}

#[test]
fn a_stream_of_empty_messages_is_ended() {
    let mut t = Transfer::new(question(RecordType::AXFR), 5, None);
    t.feed(&message(5, Some(RecordType::AXFR), vec![soa(7)])).unwrap();
    let empty = message(5, None, vec![]);
    for _ in 1..super::judge::MAX_EMPTY_IN_A_ROW {
        t.feed(&empty).unwrap();
    }
    let error = t.feed(&empty).unwrap_err();
    assert_eq!(
        error,
        Failure::Form("64 messages in a row without a record: the transfer makes no progress".to_owned())
    );
    // Records in between reset the count.
    let mut t = Transfer::new(question(RecordType::AXFR), 5, None);
    t.feed(&message(5, Some(RecordType::AXFR), vec![soa(7)])).unwrap();
    for _ in 0..3 * super::judge::MAX_EMPTY_IN_A_ROW {
        t.feed(&empty).unwrap_or_else(|e| panic!("{e}"));
        if t.counts().1.is_multiple_of(10) {
            t.feed(&message(5, None, vec![a("x.example.test.", 1)])).unwrap();
        }
    }
}
