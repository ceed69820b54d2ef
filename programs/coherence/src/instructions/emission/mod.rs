//! Emission: usage shards and their escrows, paying for usage, closing
//! epochs (the usage-gated mint), builder sources and their rewards.
pub mod claim_source_rewards;
pub mod close_epoch;
pub mod init_usage_shard;
pub mod record_usage;
pub mod register_source;

pub use claim_source_rewards::*;
pub use close_epoch::*;
pub use init_usage_shard::*;
pub use record_usage::*;
pub use register_source::*;
