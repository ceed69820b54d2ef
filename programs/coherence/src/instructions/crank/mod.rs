//! Permissionless instructions anyone may crank.
pub mod close_epoch;
pub mod init_usage_shard;

pub use close_epoch::*;
pub use init_usage_shard::*;
