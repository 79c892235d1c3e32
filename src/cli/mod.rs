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
