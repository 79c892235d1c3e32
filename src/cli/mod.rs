pub mod args;
pub mod env;
pub mod generate;
pub mod plan;
pub mod plusopts;
pub mod resolvconf;
