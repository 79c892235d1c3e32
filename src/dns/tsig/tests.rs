use hickory_proto::op::{Message, MessageType, OpCode, Query};
use hickory_proto::rr::rdata::tsig::TsigAlgorithm;
use hickory_proto::rr::{Name, RData, Record, RecordType, TSigResponseContext, TSigner};
use hickory_proto::serialize::binary::BinEncodable;

use super::*;

const SECRET_B64: &str = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAxMjM0NTY3";
const NOW: u64 = 1_790_000_000;

fn key(algorithm: Algorithm) -> Key {
    Key {
        name: Name::from_ascii("Transfer-Key.").unwrap(),
        algorithm,
        secret: Secret::new(data_encoding::BASE64.decode(SECRET_B64.as_bytes()).unwrap()),
    }
}

fn hickory_signer(algorithm: TsigAlgorithm) -> TSigner {
    let secret = data_encoding::BASE64.decode(SECRET_B64.as_bytes()).unwrap();
    TSigner::new(
        secret,
        algorithm,
        Name::from_ascii("transfer-key.").unwrap(),
        FUDGE,
    )
    .unwrap()
}

fn query_bytes(id: u16) -> Vec<u8> {
    let mut message = Message::new(id, MessageType::Query, OpCode::Query);
    message.add_query(Query::query(
        Name::from_ascii("example.test.").unwrap(),
        RecordType::AXFR,
    ));
    message.to_vec().unwrap()
}

fn response_bytes(id: u16, address: [u8; 4]) -> Vec<u8> {
    let mut message = Message::new(id, MessageType::Response, OpCode::Query);
    message.add_query(Query::query(
        Name::from_ascii("example.test.").unwrap(),
        RecordType::AXFR,
    ));
    message.add_answer(Record::from_rdata(
        Name::from_ascii("www.example.test.").unwrap(),
        300,
        RData::A(std::net::Ipv4Addr::from(address).into()),
    ));
    message.to_vec().unwrap()
}

/// Appends hickory's TSIG record for a first response to `request_mac`.
fn hickory_signed_response(id: u16, time: u64, request_mac: &[u8], signer: &TSigner) -> Vec<u8> {
    let mut bytes = response_bytes(id, [192, 0, 2, 1]);
    let context = TSigResponseContext::new(id, time, signer.clone(), request_mac.to_vec(), None);
    let record = context.sign(&bytes).unwrap();
    bytes.extend_from_slice(&record.to_bytes().unwrap());
    let arcount = u16::from_be_bytes([bytes[10], bytes[11]]) + 1;
    bytes[10..12].copy_from_slice(&arcount.to_be_bytes());
    bytes
}

/// Signs a later message of a transfer as RFC 8945 §5.3.1 says, with `unsigned`
/// messages sent since `prior` (the last MAC).
fn sign_later(message: &mut Vec<u8>, key: &Key, prior: &[u8], unsigned: &[Vec<u8>], time: u64) -> Vec<u8> {
    let mut digest = Running::new(key);
    digest.update(&u16::try_from(prior.len()).unwrap().to_be_bytes());
    digest.update(prior);
    for m in unsigned {
        digest.update(m);
    }
    digest.update(message);
    digest.update(&time_bytes(time));
    digest.update(&FUDGE.to_be_bytes());
    let mac = digest.finish();
    let mut rdata = Vec::new();
    canonical_name(&algorithm_name(key.algorithm), &mut rdata);
    rdata.extend_from_slice(&time_bytes(time));
    rdata.extend_from_slice(&FUDGE.to_be_bytes());
    rdata.extend_from_slice(&u16::try_from(mac.len()).unwrap().to_be_bytes());
    rdata.extend_from_slice(&mac);
    let id = [message[0], message[1]];
    rdata.extend_from_slice(&id);
    rdata.extend_from_slice(&[0, 0, 0, 0]);
    canonical_name(&key.name, message);
    message.extend_from_slice(&TSIG_TYPE.to_be_bytes());
    message.extend_from_slice(&CLASS_ANY.to_be_bytes());
    message.extend_from_slice(&0u32.to_be_bytes());
    message.extend_from_slice(&u16::try_from(rdata.len()).unwrap().to_be_bytes());
    message.extend_from_slice(&rdata);
    let arcount = u16::from_be_bytes([message[10], message[11]]) + 1;
    message[10..12].copy_from_slice(&arcount.to_be_bytes());
    mac
}

#[test]
fn a_signed_query_verifies_with_hickory_proto_for_each_algorithm_it_has() {
    for (ours, theirs) in [
        (Algorithm::Sha256, TsigAlgorithm::HmacSha256),
        (Algorithm::Sha384, TsigAlgorithm::HmacSha384),
        (Algorithm::Sha512, TsigAlgorithm::HmacSha512),
    ] {
        let mut query = query_bytes(4242);
        let unsigned_len = query.len();
        let mac = sign(&mut query, &key(ours), NOW).unwrap();
        assert_eq!(&query[10..12], &[0, 1], "ARCOUNT counts the TSIG");
        let (their_mac, time, _) = hickory_signer(theirs.clone())
            .verify_message_byte(&query, None, true)
            .unwrap_or_else(|e| panic!("{ours:?}: {e}"));
        assert_eq!(their_mac, mac);
        assert_eq!(time, NOW);
        // One flipped bit of the question and it no longer verifies.
        query[unsigned_len - 3] ^= 1;
        assert!(
            hickory_signer(theirs)
                .verify_message_byte(&query, None, true)
                .is_err()
        );
    }
}

#[test]
fn a_reply_signed_by_hickory_proto_verifies_and_any_change_is_caught() {
    let our_key = key(Algorithm::Sha256);
    let signer = hickory_signer(TsigAlgorithm::HmacSha256);
    let mut query = query_bytes(7);
    let query_mac = sign(&mut query, &our_key, NOW).unwrap();
    let reply = hickory_signed_response(7, NOW + 2, &query_mac, &signer);

    let mut verifier = Verifier::new(&our_key, query_mac.clone(), NOW);
    assert_eq!(verifier.check(&reply), Ok(Seal::Signed));
    assert_eq!(verifier.finish(), Ok(()));

    // The address of the answer changed in flight.
    let mut tampered = reply.clone();
    let at = tampered.windows(4).position(|w| w == [192, 0, 2, 1]).unwrap();
    tampered[at + 3] = 2;
    let mut verifier = Verifier::new(&our_key, query_mac.clone(), NOW);
    assert_eq!(verifier.check(&tampered), Err(Problem::BadMac));

    // Chained to another query's MAC.
    let mut verifier = Verifier::new(&our_key, vec![0; 32], NOW);
    assert_eq!(verifier.check(&reply), Err(Problem::BadMac));

    // The right key name and algorithm, another secret.
    let mut wrong = our_key.clone();
    wrong.secret = Secret::new(b"another secret".to_vec());
    let mut verifier = Verifier::new(&wrong, query_mac.clone(), NOW);
    assert_eq!(verifier.check(&reply), Err(Problem::BadMac));

    // A clock more than the fudge away.
    let mut verifier = Verifier::new(&our_key, query_mac, NOW + 1000);
    assert_eq!(
        verifier.check(&reply),
        Err(Problem::BadTime {
            offset: -998,
            fudge: FUDGE
        })
    );
}

#[test]
fn a_reply_without_tsig_or_with_another_key_is_refused() {
    let our_key = key(Algorithm::Sha256);
    let mut query = query_bytes(7);
    let query_mac = sign(&mut query, &our_key, NOW).unwrap();
    let mut verifier = Verifier::new(&our_key, query_mac.clone(), NOW);
    assert_eq!(
        verifier.check(&response_bytes(7, [192, 0, 2, 1])),
        Err(Problem::Missing)
    );

    let other = TSigner::new(
        b"x".to_vec(),
        TsigAlgorithm::HmacSha256,
        Name::from_ascii("other-key.").unwrap(),
        FUDGE,
    )
    .unwrap();
    let reply = hickory_signed_response(7, NOW, &query_mac, &other);
    let mut verifier = Verifier::new(&our_key, query_mac, NOW);
    assert_eq!(
        verifier.check(&reply),
        Err(Problem::OtherKey("key other-key. (hmac-sha256)".to_owned()))
    );
}

#[test]
fn an_unsigned_badsig_reply_is_the_servers_error() {
    let our_key = key(Algorithm::Sha256);
    let mut query = query_bytes(9);
    let query_mac = sign(&mut query, &our_key, NOW).unwrap();
    let mut reply = response_bytes(9, [192, 0, 2, 1]);
    let record = TSigResponseContext::bad_signature(9, NOW, hickory_signer(TsigAlgorithm::HmacSha256))
        .sign(&reply)
        .unwrap();
    reply.extend_from_slice(&record.to_bytes().unwrap());
    reply[11] += 1;
    let mut verifier = Verifier::new(&our_key, query_mac, NOW);
    let problem = verifier.check(&reply).unwrap_err();
    assert_eq!(problem, Problem::Server(16));
    assert_eq!(problem.to_string(), "the server answered TSIG error BADSIG");
}

#[test]
fn a_transfer_may_leave_messages_unsigned_between_signed_ones() {
    for algorithm in [
        Algorithm::Md5,
        Algorithm::Sha1,
        Algorithm::Sha224,
        Algorithm::Sha512,
    ] {
        let our_key = key(algorithm);
        let mut query = query_bytes(11);
        let query_mac = sign(&mut query, &our_key, NOW).unwrap();
        // The first reply, signed as a first message: ours, as hickory lacks these MACs.
        let mut first = response_bytes(11, [192, 0, 2, 1]);
        let first_mac = {
            let mut digest = Running::new(&our_key);
            digest.update(&u16::try_from(query_mac.len()).unwrap().to_be_bytes());
            digest.update(&query_mac);
            digest.update(&first);
            let mut variables = Vec::new();
            canonical_name(&our_key.name, &mut variables);
            variables.extend_from_slice(&CLASS_ANY.to_be_bytes());
            variables.extend_from_slice(&0u32.to_be_bytes());
            canonical_name(&algorithm_name(algorithm), &mut variables);
            variables.extend_from_slice(&time_bytes(NOW));
            variables.extend_from_slice(&FUDGE.to_be_bytes());
            variables.extend_from_slice(&[0, 0, 0, 0]);
            digest.update(&variables);
            let mac = digest.finish();
            let mut rdata = Vec::new();
            canonical_name(&algorithm_name(algorithm), &mut rdata);
            rdata.extend_from_slice(&time_bytes(NOW));
            rdata.extend_from_slice(&FUDGE.to_be_bytes());
            rdata.extend_from_slice(&u16::try_from(mac.len()).unwrap().to_be_bytes());
            rdata.extend_from_slice(&mac);
            rdata.extend_from_slice(&11u16.to_be_bytes());
            rdata.extend_from_slice(&[0, 0, 0, 0]);
            canonical_name(&our_key.name, &mut first);
            first.extend_from_slice(&TSIG_TYPE.to_be_bytes());
            first.extend_from_slice(&CLASS_ANY.to_be_bytes());
            first.extend_from_slice(&0u32.to_be_bytes());
            first.extend_from_slice(&u16::try_from(rdata.len()).unwrap().to_be_bytes());
            first.extend_from_slice(&rdata);
            first[11] += 1;
            mac
        };
        let middle: Vec<Vec<u8>> = (2..5).map(|i| response_bytes(11, [192, 0, 2, i])).collect();
        let mut last = response_bytes(11, [192, 0, 2, 9]);
        sign_later(&mut last, &our_key, &first_mac, &middle, NOW + 1);

        let mut verifier = Verifier::new(&our_key, query_mac.clone(), NOW);
        assert_eq!(verifier.check(&first), Ok(Seal::Signed), "{algorithm:?}");
        for m in &middle {
            assert_eq!(verifier.check(m), Ok(Seal::Unsigned));
        }
        assert_eq!(verifier.finish(), Err(Problem::UnsignedEnd));
        assert_eq!(verifier.check(&last), Ok(Seal::Signed), "{algorithm:?}");
        assert_eq!(verifier.finish(), Ok(()));

        // Leaving out one unsigned message breaks the chain.
        let mut verifier = Verifier::new(&our_key, query_mac, NOW);
        verifier.check(&first).unwrap();
        verifier.check(&middle[0]).unwrap();
        verifier.check(&middle[2]).unwrap();
        assert_eq!(verifier.check(&last), Err(Problem::BadMac));
    }
}

#[test]
fn a_hundredth_unsigned_message_in_a_row_is_refused() {
    let our_key = key(Algorithm::Sha256);
    let signer = hickory_signer(TsigAlgorithm::HmacSha256);
    let mut query = query_bytes(7);
    let query_mac = sign(&mut query, &our_key, NOW).unwrap();
    let mut verifier = Verifier::new(&our_key, query_mac.clone(), NOW);
    verifier
        .check(&hickory_signed_response(7, NOW, &query_mac, &signer))
        .unwrap();
    let unsigned = response_bytes(7, [192, 0, 2, 1]);
    for _ in 0..99 {
        assert_eq!(verifier.check(&unsigned), Ok(Seal::Unsigned));
    }
    assert_eq!(verifier.check(&unsigned), Err(Problem::TooManyUnsigned));
}

#[test]
fn keys_are_read_as_dig_reads_them_and_no_error_quotes_the_secret() {
    let k = from_option("transfer-key:c2VjcmV0").unwrap();
    assert_eq!(k.algorithm, Algorithm::Sha256);
    assert_eq!(k.name, Name::from_ascii("transfer-key.").unwrap());
    assert_eq!(k.secret, Secret::new(b"secret".to_vec()));
    let k = from_option("hmac-sha1:transfer-key:c2VjcmV0").unwrap();
    assert_eq!(k.algorithm, Algorithm::Sha1);
    assert_eq!(
        from_option("HMAC-MD5:k:c2VjcmV0").unwrap().algorithm,
        Algorithm::Md5
    );
    assert!(!format!("{k:?}").contains("c2VjcmV0"));
    assert!(!format!("{k:?}").contains("secret\""));

    for (bad, says) in [
        ("hmac-sha999:k:c2VjcmV0", "unknown TSIG algorithm 'hmac-sha999'"),
        ("k:not*base64", "not valid base64"),
        ("onlyone", "-y needs [hmac:]name:secret"),
        ("k:", "the secret is empty"),
    ] {
        let error = from_option(bad).unwrap_err();
        assert!(error.contains(says), "{bad}: {error}");
        assert!(
            !error.contains("not*base64") && !error.contains("c2VjcmV0"),
            "{error}"
        );
    }

    let file = "# made by tsig-keygen\nkey \"xfr.example\" {\n\talgorithm hmac-sha512; // strong\n\tsecret \"c2VjcmV0\"; /* not\n shown */\n};\n";
    let k = from_file(file, "xfr.key").unwrap();
    assert_eq!(k.algorithm, Algorithm::Sha512);
    assert_eq!(k.name, Name::from_ascii("xfr.example.").unwrap());
    assert_eq!(k.secret, Secret::new(b"secret".to_vec()));
    let error = from_file("key \"k\" { algorithm hmac-sha256; secret \"%%%\"; };", "bad.key").unwrap_err();
    assert_eq!(error, "bad.key: the secret is not valid base64");
    let error = from_file("key \"k\" { secret \"c2VjcmV0\"; };", "nokey.key").unwrap_err();
    assert_eq!(error, "nokey.key: the key clause has no algorithm");
    assert!(from_file("options { };", "x").unwrap_err().contains("no 'key"));
}

#[test]
fn a_signed_badtime_reply_is_the_servers_error_once_its_mac_verifies() {
    let our_key = key(Algorithm::Sha256);
    let signer = hickory_signer(TsigAlgorithm::HmacSha256);
    let mut query = query_bytes(21);
    let query_mac = sign(&mut query, &our_key, NOW).unwrap();
    let mut reply = response_bytes(21, [192, 0, 2, 1]);
    let context = TSigResponseContext::new(
        21,
        NOW + 5000,
        signer,
        query_mac.clone(),
        Some(hickory_proto::rr::rdata::tsig::TsigError::BadTime),
    );
    let record = context.sign(&reply).unwrap();
    reply.extend_from_slice(&record.to_bytes().unwrap());
    reply[11] += 1;
    let mut verifier = Verifier::new(&our_key, query_mac, NOW);
    let problem = verifier.check(&reply).unwrap_err();
    assert_eq!(problem, Problem::Server(18));
    assert_eq!(problem.to_string(), "the server answered TSIG error BADTIME");
}
