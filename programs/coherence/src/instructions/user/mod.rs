//! Instructions signed by holders, stakers, users and beneficiaries.
pub mod deposit_treasury;

pub use deposit_treasury::*;
