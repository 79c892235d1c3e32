//! The dnscope binary: real stdout, stderr, network and environment, then [`dnscope::run`].

use std::io::{self, Write};
use std::process::ExitCode;

use dnscope::model::exit::Exit;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A bug must not look like a DNS outcome: one line on stderr and the internal-error
    // status, never a backtrace dump with Rust's status 101. The hook only writes: exiting
    // from it could wait for ever on a lock another thread holds (stdout's, in a batch),
    // so the panic unwinds to `catch_unwind` below, or to the batch worker that catches it.
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(io::stderr(), "dnscope: internal error: {info}");
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
    let exit = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        dnscope::run(
            &args,
            &dnscope::cli::env::System,
            &dnscope::transport::Net::default(),
            &mut out,
            &mut err,
        )
    }));
    ExitCode::from(exit.unwrap_or(Exit::INTERNAL).code())
}
