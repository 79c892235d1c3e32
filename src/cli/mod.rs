//! From argv to a settled plan: the clap surface and dig's `+options`, the word
//! classifier, resolv.conf and the environment, line plans for batches, and the
//! generated completions and man page.
//!
//! May use: dns, dnssec, transport, model, walk, render, expect (it configures each of them).

pub(crate) mod args;
pub mod env;
pub mod generate;
pub(crate) mod lines;
pub(crate) mod options;
pub(crate) mod plan;
pub(crate) mod planner;
pub mod plusopts;
pub(crate) mod request;
pub(crate) mod resolvconf;

#[cfg(test)]
mod tests;
