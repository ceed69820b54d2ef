//! What the handlers share: token CPIs, creating PDA accounts that a
//! griefer cannot block, the mint policy, and stopping a vesting schedule.
pub mod pda_init;
pub mod profile;
pub mod token_cpi;
pub mod token_policy;
pub mod vesting_exit;
