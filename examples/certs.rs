//! Certificates for the interop suite's TLS servers, from the test CA of
//! `tests/support/certs.rs`: writes into DIR `ca.pem`, and for each kind a certificate
//! and key: `good` (for NAME and each ADDRESS), `expired` (the same names, expired in
//! 2020), `other` (for `other.interop` only), `self` (self-signed, for the same names).
//!
//! ```sh
//! cargo run --example certs -- DIR NAME ADDRESS...
//! ```

#![allow(dead_code)] // the module carries DER forms only the tests use

#[path = "../tests/support/certs.rs"]
mod certs;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, names @ ..] = args.as_slice() else {
        eprintln!("usage: certs DIR NAME ADDRESS...");
        std::process::exit(1);
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).unwrap();
    let ca = certs::TestCa::new();
    std::fs::write(dir.join("ca.pem"), &ca.pem).unwrap();
    for (kind, issued) in [
        ("good", ca.issue(&names, false)),
        ("expired", ca.issue(&names, true)),
        ("other", ca.issue(&["other.interop"], false)),
        ("self", certs::self_signed(&names)),
    ] {
        std::fs::write(dir.join(format!("{kind}.pem")), &issued.cert_pem).unwrap();
        std::fs::write(dir.join(format!("{kind}.key")), &issued.key_pem).unwrap();
    }
}
