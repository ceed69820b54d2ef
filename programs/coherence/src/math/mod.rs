//! Pure math shared by the program and the SDK: no accounts, no sysvars, no
//! CPIs. Every state transition the program makes is computed here first, so
//! the SDK can preview it exactly.

pub mod emission;
pub mod params;
pub mod safe_math;
pub mod stake;
pub mod vesting;
pub mod voting;

pub use params::Params;
pub use safe_math::{Cast, SafeMath};
