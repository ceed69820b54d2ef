//! Permissionless instructions anyone may crank.
pub mod close_epoch;
pub mod expire_vesting;
pub mod init_usage_shard;

pub use close_epoch::*;
pub use expire_vesting::*;
pub use init_usage_shard::*;
