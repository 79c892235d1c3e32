//! Reading a TSIG key as dig takes one: `-y [hmac:]name:secret`, or `-k FILE` in BIND's
//! `key "name" { algorithm hmac-sha256; secret "…"; };` form (what tsig-keygen writes).
//! No message made here quotes the secret.

use data_encoding::BASE64;

use super::{Algorithm, Key, Secret};
use crate::dns::names;

const ALGORITHMS: &str = "hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512";

/// Reads dig's `-y [hmac:]name:secret`; without an algorithm, hmac-sha256 (dig 9.18's
/// default).
///
/// # Errors
/// A one-line reason that never holds the secret.
pub(crate) fn from_option(text: &str) -> Result<Key, String> {
    let parts: Vec<&str> = text.splitn(3, ':').collect();
    let (algorithm, name, secret) = match parts.as_slice() {
        [name, secret] => ("hmac-sha256", *name, *secret),
        [algorithm, name, secret] => (*algorithm, *name, *secret),
        _ => return Err("-y needs [hmac:]name:secret".to_owned()),
    };
    make(algorithm, name, secret, "-y")
}

/// Reads the first `key` clause of a BIND key file.
///
/// # Errors
/// A one-line reason (the clause's syntax, an unknown algorithm, a secret that is not
/// base64) that never holds the secret.
pub(crate) fn from_file(text: &str, path: &str) -> Result<Key, String> {
    let words = tokens(text);
    let mut words = words.iter().map(String::as_str);
    let fail = |why: &str| format!("{path}: {why}");
    loop {
        match words.next() {
            Some("key") => break,
            Some(_) => {}
            None => return Err(fail("no 'key \"name\" { … };' clause")),
        }
    }
    let name = words.next().ok_or_else(|| fail("a key clause without a name"))?;
    if words.next() != Some("{") {
        return Err(fail("a key clause without '{'"));
    }
    let (mut algorithm, mut secret) = (None, None);
    loop {
        match words.next() {
            Some("}") => break,
            Some("algorithm") => algorithm = words.next(),
            Some("secret") => secret = words.next(),
            Some(";") => continue,
            Some(other) => return Err(fail(&format!("unknown statement '{other}' in the key clause"))),
            None => return Err(fail("the key clause does not end with '}'")),
        }
        if words.next() != Some(";") {
            return Err(fail("a statement of the key clause does not end with ';'"));
        }
    }
    let algorithm = algorithm.ok_or_else(|| fail("the key clause has no algorithm"))?;
    let secret = secret.ok_or_else(|| fail("the key clause has no secret"))?;
    make(algorithm, name, secret, path)
}

fn make(algorithm: &str, name: &str, secret: &str, source: &str) -> Result<Key, String> {
    let algorithm = Algorithm::parse(algorithm)
        .ok_or_else(|| format!("{source}: unknown TSIG algorithm '{algorithm}' (known: {ALGORITHMS})"))?;
    let name = names::parse(name).map_err(|e| format!("{source}: the key name: {e}"))?;
    let secret = BASE64
        .decode(secret.trim().as_bytes())
        .map_err(|_| format!("{source}: the secret is not valid base64"))?;
    if secret.is_empty() {
        return Err(format!("{source}: the secret is empty"));
    }
    Ok(Key {
        name,
        algorithm,
        secret: Secret::new(secret),
    })
}

/// BIND configuration words: quoted strings unquoted, `{`, `}` and `;` on their own,
/// comments (`#`, `//`, `/* */`) left out.
fn tokens(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                flush(&mut word, &mut words);
                let quoted: String = chars.by_ref().take_while(|&c| c != '"').collect();
                words.push(quoted);
            }
            '#' => {
                flush(&mut word, &mut words);
                chars.by_ref().take_while(|&c| c != '\n').for_each(drop);
            }
            '/' if chars.peek() == Some(&'/') => {
                flush(&mut word, &mut words);
                chars.by_ref().take_while(|&c| c != '\n').for_each(drop);
            }
            '/' if chars.peek() == Some(&'*') => {
                flush(&mut word, &mut words);
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            '{' | '}' | ';' => {
                flush(&mut word, &mut words);
                words.push(c.to_string());
            }
            c if c.is_whitespace() => flush(&mut word, &mut words),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut words);
    words
}
