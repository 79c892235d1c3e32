pub mod exit;
pub mod outcome;
pub mod report;
pub mod trace;
pub mod verdict;
