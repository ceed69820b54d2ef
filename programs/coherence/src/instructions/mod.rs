//! One file per instruction, grouped by actor.
pub mod admin;
pub mod crank;
pub mod user;

pub use admin::*;
pub use crank::*;
pub use user::*;
