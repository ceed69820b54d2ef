//! What the handlers share: token CPIs, token accounts and mints read by
//! their layout, creating PDA accounts that a griefer cannot block, the mint
//! policy, stopping a vesting schedule, the exits' vote check, and emitting
//! events.
pub mod event_cpi;
pub mod pda_init;
pub mod profile;
pub mod token_cpi;
pub mod token_layout;
pub mod token_policy;
pub mod vesting_exit;
pub mod voting_lock;
