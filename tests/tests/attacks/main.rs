//! The extraction-attack suite (DESIGN §7). Each module performs one family
//! of attacks against the real program and asserts the specific error, or
//! for economic attacks, that the attacker ends with less than it put in.

mod accounts;
mod admin;
mod emission;
mod mint;
mod staking;
mod vesting;
mod voting;
