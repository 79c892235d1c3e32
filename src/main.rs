//! The dnscope binary: real stdout, stderr, network and environment, then [`dnscope::run`].

use std::io::{self, Write};
use std::process::ExitCode;

use dnscope::model::exit::Exit;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A bug must not look like a DNS outcome: one line on stderr and the internal-error
    // status, never a backtrace dump with Rust's status 101.
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(io::stderr(), "dnscope: internal error: {info}");
        std::process::exit(i32::from(Exit::INTERNAL.code()));
    }));
    let args = match std::env::args_os()
        .enumerate()
        .map(|(i, a)| a.into_string().map_err(|_| i))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(args) => args,
        Err(position) => {
            let _ = writeln!(io::stderr(), "dnscope: argument {position} is not valid UTF-8");
            return ExitCode::from(Exit::USAGE.code());
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = io::stderr().lock();
    let exit = dnscope::run(
        &args,
        &dnscope::cli::env::System,
        &dnscope::transport::Net,
        &mut out,
        &mut err,
    );
    ExitCode::from(exit.code())
}
