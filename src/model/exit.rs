//! Errors and exit codes.
//!
//! The exit status is part of the interface (README "Exit codes", man page EXIT STATUS),
//! so every code is a named constant here and nowhere else. Unlike dig, which exits 0
//! on NXDOMAIN, dnscope tells the outcome of the lookup apart, so that a shell script or
//! CI job can test a name with `dnscope name || …` without parsing output.

use std::fmt;

use crate::dns::presentation::terminal_safe;

/// The exit status of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(into = "u8")]
pub struct Exit(u8);

impl Exit {
    /// An answer to the question was received.
    pub const ANSWER: Exit = Exit(0);
    /// The command line could not be understood.
    pub const USAGE: Exit = Exit(1);
    /// The name does not exist (NXDOMAIN).
    pub const NXDOMAIN: Exit = Exit(3);
    /// The name exists but has no record of the asked type (NOERROR, no data).
    pub const NODATA: Exit = Exit(4);
    /// The server answered with another error rcode (SERVFAIL, REFUSED, FORMERR, …).
    pub const RCODE: Exit = Exit(5);
    /// An `--expect` assertion failed.
    pub const EXPECTATION: Exit = Exit(6);
    /// DNSSEC validation of a trace found the final answer bogus.
    pub const BOGUS: Exit = Exit(7);
    /// The diagnosis (`+nsall`) found an error: a lame or unreachable name server.
    pub const DIAGNOSIS: Exit = Exit(8);
    /// No usable reply from any server: timeouts, refused connections, malformed replies.
    pub const NO_REPLY: Exit = Exit(9);
    /// A failure of dnscope itself or of the machine (cannot open a socket, write output).
    pub const INTERNAL: Exit = Exit(10);
    /// Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: Exit = Exit(130);

    /// The status whose code is `code` (as stored in a report).
    pub(crate) fn of_code(code: u8) -> Exit {
        Exit(code)
    }

    /// The numeric status.
    pub fn code(self) -> u8 {
        self.0
    }

    /// How bad an outcome is, for "the worst code wins" over several queries: an error
    /// of ours beats a usage error, no reply, a failed expectation, an error rcode,
    /// NXDOMAIN, NODATA, success.
    fn severity(self) -> u8 {
        match self.0 {
            0 => 0,
            4 => 1,
            3 => 2,
            5 => 3,
            6 => 4,
            7 => 5,
            8 => 6,
            9 => 7,
            1 => 8,
            _ => 9,
        }
    }

    /// The exit status of a lookup's status; `None` means no usable reply.
    pub(crate) fn from_status(status: Option<crate::dns::answer::Status>) -> Exit {
        use crate::dns::answer::Status;
        match status {
            Some(Status::Answer) => Exit::ANSWER,
            Some(Status::Nodata) => Exit::NODATA,
            Some(Status::Nxdomain) => Exit::NXDOMAIN,
            Some(Status::Error) => Exit::RCODE,
            None => Exit::NO_REPLY,
        }
    }

    /// The exit status of a lookup judged by `--expect`: 6 when an expectation failed,
    /// 0 when all passed, whatever the rcode; without a reply the lookup's own status
    /// stands, since nothing could be judged.
    pub(crate) fn with_expectations(
        self,
        verdicts: &[crate::model::verdict::Verdict],
        replied: bool,
    ) -> Exit {
        match (verdicts.is_empty(), replied) {
            (true, _) | (false, false) => self,
            (false, true) if verdicts.iter().all(|v| v.passed) => Exit::ANSWER,
            (false, true) => Exit::EXPECTATION,
        }
    }

    /// The worse of two outcomes.
    #[must_use]
    pub(crate) fn worst(self, other: Exit) -> Exit {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }
}

impl From<Exit> for u8 {
    fn from(exit: Exit) -> u8 {
        exit.0
    }
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An error that ends a query (or the whole run) with a message and an exit status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum Error {
    /// The command line could not be understood.
    #[error("{}", terminal_safe(.0))]
    Usage(String),
    /// No server gave a usable reply.
    #[error("{}", terminal_safe(.0))]
    NoReply(String),
    /// Something failed on this machine.
    #[error("{}", terminal_safe(.0))]
    Internal(String),
}

impl Error {
    /// The exit status this error ends the run with.
    pub(crate) fn exit(&self) -> Exit {
        match self {
            Error::Usage(_) => Exit::USAGE,
            Error::NoReply(_) => Exit::NO_REPLY,
            Error::Internal(_) => Exit::INTERNAL,
        }
    }

    /// A short machine-readable name of the kind of error, used in JSON output.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Usage(_) => "usage",
            Error::NoReply(_) => "no_reply",
            Error::Internal(_) => "internal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_code_wins() {
        assert_eq!(Exit::ANSWER.worst(Exit::NXDOMAIN), Exit::NXDOMAIN);
        assert_eq!(Exit::NXDOMAIN.worst(Exit::NODATA), Exit::NXDOMAIN);
        assert_eq!(Exit::RCODE.worst(Exit::NXDOMAIN), Exit::RCODE);
        assert_eq!(Exit::NO_REPLY.worst(Exit::RCODE), Exit::NO_REPLY);
        assert_eq!(Exit::EXPECTATION.worst(Exit::RCODE), Exit::EXPECTATION);
        assert_eq!(Exit::EXPECTATION.worst(Exit::NO_REPLY), Exit::NO_REPLY);
        assert_eq!(Exit::EXPECTATION.worst(Exit::DIAGNOSIS), Exit::DIAGNOSIS);
        assert_eq!(Exit::EXPECTATION.worst(Exit::BOGUS), Exit::BOGUS);
        assert_eq!(Exit::BOGUS.worst(Exit::DIAGNOSIS), Exit::DIAGNOSIS);
        assert_eq!(Exit::DIAGNOSIS.worst(Exit::NO_REPLY), Exit::NO_REPLY);
        assert_eq!(Exit::NXDOMAIN.worst(Exit::DIAGNOSIS), Exit::DIAGNOSIS);
        assert_eq!(Exit::INTERNAL.worst(Exit::NO_REPLY), Exit::INTERNAL);
        assert_eq!(Exit::ANSWER.worst(Exit::ANSWER), Exit::ANSWER);
    }
}
