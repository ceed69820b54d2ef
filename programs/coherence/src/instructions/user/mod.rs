//! Instructions signed by holders, stakers, users and beneficiaries.
pub mod add_to_position;
pub mod claim_rewards;
pub mod claim_vesting;
pub mod close_position;
pub mod close_vesting;
pub mod deposit_treasury;
pub mod extend_lock;
pub mod fund_rewards;
pub mod open_position;
pub mod start_unbond;
pub mod transfer_vesting;
pub mod withdraw;

pub use add_to_position::*;
pub use claim_rewards::*;
pub use claim_vesting::*;
pub use close_position::*;
pub use close_vesting::*;
pub use deposit_treasury::*;
pub use extend_lock::*;
pub use fund_rewards::*;
pub use open_position::*;
pub use start_unbond::*;
pub use transfer_vesting::*;
pub use withdraw::*;
