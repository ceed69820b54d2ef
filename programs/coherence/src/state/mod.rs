//! Account types, one file each; seeds in [`seeds`].
pub mod engine;
pub mod position;
pub mod seeds;
pub mod stake_pool;
pub mod vesting;

pub use engine::*;
pub use position::*;
pub use stake_pool::*;
pub use vesting::*;
