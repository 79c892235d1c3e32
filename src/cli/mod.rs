//! From argv to a settled plan: the clap surface and dig's `+options`, the word
//! classifier, resolv.conf and the environment, line plans for batches, and the
//! generated completions and man page.
//!
//! May use: dns, transport, model, walk, render, expect (it configures each of them).

pub mod args;
pub mod env;
pub mod generate;
pub mod lines;
pub mod options;
pub mod plan;
pub mod planner;
pub mod plusopts;
pub mod request;
pub mod resolvconf;

#[cfg(test)]
mod tests;
