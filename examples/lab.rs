//! The test hierarchy of `tests/support/lab.rs` as a process, for benchmarks and for
//! trying `+trace` by hand. Every server is on 127.0.0.x (and ::1), one shared port.
//!
//! ```sh
//! cargo run --example lab -- [--delay ROOT_MS,TLD_MS,AUTH_MS]
//! cargo run --example lab -- --spread ROOT_MS,TLD_MS,AUTH_MS
//! cargo run --example lab -- --signed ROOT_MS,TLD_MS,AUTH_MS
//! ```
//! It prints `port=N hints=FILE` on one line, then serves until it is killed. With
//! `--spread` it serves instead the small hierarchy of four servers per zone (root,
//! `com.`, `four.com.`) whose slowest server per level has the given delay.

#![allow(dead_code)] // the test modules carry helpers only the tests use

#[path = "../tests/support/lab.rs"]
mod lab;
#[path = "../tests/support/server.rs"]
mod server;
#[path = "../tests/support/signer.rs"]
mod signer;

use std::io::Write;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let three = |value: &str| -> [Duration; 3] {
        let ms: Vec<u64> = value.split(',').filter_map(|v| v.parse().ok()).collect();
        match ms.as_slice() {
            [root, tld, auth] => [*root, *tld, *auth].map(Duration::from_millis),
            _ => usage(),
        }
    };
    let delays = match args.as_slice() {
        [] => None,
        [flag, value] if flag == "--delay" => Some(three(value)),
        [flag, value] if flag == "--signed" => {
            let [root, tld, auth] = three(value);
            let signed = lab::SignedLab::start();
            for (i, server) in signed.servers.iter().enumerate() {
                let delay = match i {
                    0 => root,
                    1 => tld,
                    _ => auth,
                };
                server.set_mode(if i == 4 {
                    server::Mode::TamperA
                } else {
                    server::Mode::Delay(delay)
                });
            }
            println!(
                "port={} hints={} anchor={}",
                signed.port,
                signed.hints.display(),
                signed.anchor.display()
            );
            let _ = std::io::stdout().flush();
            loop {
                std::thread::park();
            }
        }
        [flag, value] if flag == "--spread" => {
            let spread = lab::Spread::start(three(value));
            println!("port={} hints={}", spread.port, spread.hints.display());
            let _ = std::io::stdout().flush();
            loop {
                std::thread::park();
            }
        }
        _ => usage(),
    };
    let lab = lab::Lab::start();
    if let Some([root, tld, auth]) = delays {
        lab.set_delays(root, tld, auth);
    }
    println!("port={} hints={}", lab.port, lab.hints.display());
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}

fn usage() -> ! {
    eprintln!("usage: lab [--delay | --spread | --signed ROOT_MS,TLD_MS,AUTH_MS]");
    std::process::exit(1);
}
