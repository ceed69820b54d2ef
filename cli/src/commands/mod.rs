//! One file per subcommand noun.
pub mod check;
pub mod demo;
pub mod engine;
pub mod epoch;
pub mod governance;
pub mod local;
pub mod simulate;
pub mod source;
pub mod stake;
pub mod status;
pub mod treasury;
pub mod usage;
pub mod vesting;
