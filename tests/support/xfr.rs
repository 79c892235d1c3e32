//! A zone-transfer server for tests: on a 127.0.0.x address and a free TCP port, it
//! reads each connection's query and answers with the messages a [`Script`] makes of
//! it, misbehaving on command (stalling, closing early), and checks TSIG as a real
//! server does.

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use hickory_proto::op::{Message, OpCode, ResponseCode};
use hickory_proto::rr::rdata::SOA;
use hickory_proto::rr::rdata::tsig::TsigAlgorithm;
use hickory_proto::rr::{Name, RData, Record, TSigResponseContext, TSigner};
use hickory_proto::serialize::binary::BinEncodable;

/// What one connection gets.
#[derive(Clone)]
pub(crate) enum Step {
    /// A message with these answer records (the question repeated in the first only).
    Records(Vec<Record>),
    /// A reply with this rcode and no records.
    Rcode(ResponseCode),
    /// Wait before the next step.
    Pause(Duration),
    /// Close the connection, whatever comes next.
    Close,
    /// Half of the next message, then close.
    HalfThenClose(Vec<Record>),
}

/// Makes the steps for a query (it sees the question and any IXFR SOA).
pub(crate) type Script = Arc<dyn Fn(&Message) -> Vec<Step> + Send + Sync>;

/// A running transfer server.
pub(crate) struct XfrServer {
    pub addr: SocketAddr,
    /// Every query received, decoded, in order.
    pub seen: Arc<Mutex<Vec<Message>>>,
}

impl XfrServer {
    /// Serves `script` on `ip`; with `key`, every query must be signed by it and every
    /// reply is signed (a single-message reply, as hickory-proto signs a first response).
    pub(crate) fn start(ip: [u8; 4], script: Script, key: Option<TSigner>) -> XfrServer {
        let listener = TcpListener::bind((std::net::Ipv4Addr::from(ip), 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (script, key, log) = (Arc::clone(&script), key.clone(), Arc::clone(&log));
                thread::spawn(move || serve(stream, &script, key.as_ref(), &log));
            }
        });
        XfrServer { addr, seen }
    }

    /// `@ADDR -p PORT`.
    pub(crate) fn at(&self) -> Vec<String> {
        vec![
            format!("@{}", self.addr.ip()),
            "-p".to_owned(),
            self.addr.port().to_string(),
        ]
    }
}

fn serve(mut stream: TcpStream, script: &Script, key: Option<&TSigner>, log: &Mutex<Vec<Message>>) {
    let Some(query) = super::server::read_framed(&mut stream) else {
        return;
    };
    let Ok(message) = Message::from_vec(&query) else {
        return;
    };
    log.lock().unwrap().push(message.clone());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut request_mac = None;
    if let Some(signer) = key {
        match signer.verify_message_byte(&query, None, true) {
            Ok((mac, _, _)) => request_mac = Some(mac),
            Err(_) => {
                // RFC 8945 §5.2.2: NOTAUTH, and an unsigned TSIG with BADSIG.
                let mut reply = Message::response(message.metadata.id, OpCode::Query);
                reply.queries = message.queries.clone();
                reply.metadata.response_code = ResponseCode::NotAuth;
                let mut bytes = reply.to_vec().unwrap();
                let tsig = TSigResponseContext::bad_signature(message.metadata.id, now, signer.clone())
                    .sign(&bytes)
                    .unwrap();
                append(&mut bytes, &tsig.to_bytes().unwrap());
                let _ = send(&mut stream, &bytes);
                return;
            }
        }
    }
    let mut first = true;
    for step in script(&message) {
        let records = match step {
            Step::Pause(wait) => {
                thread::sleep(wait);
                continue;
            }
            Step::Close => return,
            Step::Rcode(rcode) => {
                let mut reply = reply_to(&message, true, Vec::new());
                reply.metadata.response_code = rcode;
                let _ = send(&mut stream, &reply.to_vec().unwrap());
                continue;
            }
            Step::HalfThenClose(records) => {
                let bytes = reply_to(&message, first, records).to_vec().unwrap();
                let mut framed = u16::try_from(bytes.len()).unwrap().to_be_bytes().to_vec();
                framed.extend_from_slice(&bytes[..bytes.len() / 2]);
                let _ = stream.write_all(&framed);
                return;
            }
            Step::Records(records) => records,
        };
        let mut bytes = reply_to(&message, first, records).to_vec().unwrap();
        if let (Some(signer), Some(mac)) = (key, &request_mac) {
            let context =
                TSigResponseContext::new(message.metadata.id, now, signer.clone(), mac.clone(), None);
            let tsig = context.sign(&bytes).unwrap();
            append(&mut bytes, &tsig.to_bytes().unwrap());
        }
        first = false;
        if send(&mut stream, &bytes).is_err() {
            return;
        }
    }
    // Hold the connection open a little, as a server does after the last message.
    thread::sleep(Duration::from_millis(200));
}

fn reply_to(query: &Message, first: bool, records: Vec<Record>) -> Message {
    let mut reply = Message::response(query.metadata.id, OpCode::Query);
    reply.metadata.authoritative = true;
    if first {
        reply.queries = query.queries.clone();
    }
    for record in records {
        reply.add_answer(record);
    }
    reply
}

fn append(message: &mut Vec<u8>, record: &[u8]) {
    message.extend_from_slice(record);
    let count = u16::from_be_bytes([message[10], message[11]]) + 1;
    message[10..12].copy_from_slice(&count.to_be_bytes());
}

fn send(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    let mut framed = u16::try_from(bytes.len()).unwrap().to_be_bytes().to_vec();
    framed.extend_from_slice(bytes);
    stream.write_all(&framed)
}

/// The SOA of `example.test.` at `serial`.
pub(crate) fn soa(serial: u32) -> Record {
    let data = SOA::new(
        Name::from_ascii("ns1.example.test.").unwrap(),
        Name::from_ascii("hostmaster.example.test.").unwrap(),
        serial,
        7200,
        3600,
        1_209_600,
        300,
    );
    Record::from_rdata(Name::from_ascii("example.test.").unwrap(), 3600, RData::SOA(data))
}

/// An A record of `NAME.example.test.`.
pub(crate) fn a(name: &str, last: u8) -> Record {
    Record::from_rdata(
        Name::from_ascii(format!("{name}.example.test.")).unwrap(),
        300,
        RData::A(std::net::Ipv4Addr::new(192, 0, 2, last).into()),
    )
}

/// The IXFR serial a query carries in its authority section.
pub(crate) fn client_serial(query: &Message) -> Option<u32> {
    query.authorities.iter().find_map(|r| match &r.data {
        RData::SOA(soa) => Some(soa.serial),
        _ => None,
    })
}

/// A TSIG key known to the test server: hmac-sha256 `transfer-key.`.
pub(crate) fn signer(secret: &[u8]) -> TSigner {
    TSigner::new(
        secret.to_vec(),
        TsigAlgorithm::HmacSha256,
        Name::from_ascii("transfer-key.").unwrap(),
        300,
    )
    .unwrap()
}
