//! Staking: constant-lock positions with a duration boost, and the stakers'
//! streamed rewards.
pub mod add_to_position;
pub mod claim_rewards;
pub mod close_position;
pub mod extend_lock;
pub mod fund_rewards;
pub mod open_position;
pub mod start_unbond;
pub mod withdraw;

pub use add_to_position::*;
pub use claim_rewards::*;
pub use close_position::*;
pub use extend_lock::*;
pub use fund_rewards::*;
pub use open_position::*;
pub use start_unbond::*;
pub use withdraw::*;
