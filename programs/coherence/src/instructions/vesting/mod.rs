//! Vesting: schedules funded from the treasury, time-only or usage-gated;
//! claims, transfers, revocation, expiry and closing.
pub mod claim_vesting;
pub mod close_vesting;
pub mod create_vesting;
pub mod expire_vesting;
pub mod revoke_vesting;
pub mod sync_time_only_budget;
pub mod transfer_vesting;

pub use claim_vesting::*;
pub use close_vesting::*;
pub use create_vesting::*;
pub use expire_vesting::*;
pub use revoke_vesting::*;
pub use sync_time_only_budget::*;
pub use transfer_vesting::*;
