//! Everything dnscope learns from the machine it runs on, behind one trait, so that
//! planning a run is a pure function of argv and an [`Env`] in tests.

use std::io::{self, IsTerminal};
use std::net::{IpAddr, ToSocketAddrs};
use std::path::Path;

/// The environment of a run; `Sync`, so that batch workers plan their lines at once.
pub trait Env: Sync {
    /// An environment variable, if set.
    fn var(&self, key: &str) -> Option<String>;
    /// Whether standard output is a terminal.
    fn stdout_is_terminal(&self) -> bool;
    /// Whether standard error is a terminal (for progress bars).
    fn stderr_is_terminal(&self) -> bool {
        false
    }
    /// Reads all of standard input (`-f -`).
    ///
    /// # Errors
    /// When standard input cannot be read.
    fn read_stdin(&self) -> io::Result<String> {
        Err(io::Error::other("no standard input here"))
    }
    /// Reads a whole text file.
    ///
    /// # Errors
    /// When the file cannot be read.
    fn read_file(&self, path: &Path) -> io::Result<String>;
    /// Resolves a server's host name with the system resolver.
    ///
    /// # Errors
    /// When the name does not resolve.
    fn lookup_host(&self, host: &str) -> io::Result<Vec<IpAddr>>;
}

/// The real machine.
#[derive(Debug, Default)]
pub struct System;

impl Env for System {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok()
    }

    fn stdout_is_terminal(&self) -> bool {
        io::stdout().is_terminal()
    }

    fn read_file(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn stderr_is_terminal(&self) -> bool {
        io::stderr().is_terminal()
    }

    fn read_stdin(&self) -> io::Result<String> {
        io::read_to_string(io::stdin())
    }

    fn lookup_host(&self, host: &str) -> io::Result<Vec<IpAddr>> {
        Ok((host, 0).to_socket_addrs()?.map(|a| a.ip()).collect())
    }
}
