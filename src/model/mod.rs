pub mod exit;
pub mod report;
pub mod trace;
