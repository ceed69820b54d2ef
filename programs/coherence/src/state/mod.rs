//! Account types, one file each; seeds in [`seeds`].
pub mod engine;
pub mod engine_view;
pub mod epoch_record;
pub mod position;
pub mod registrar;
pub mod seeds;
pub mod source;
pub mod stake_pool;
pub mod usage;
pub mod vesting;
pub mod voter_weight;

pub use engine::*;
pub use engine_view::*;
pub use epoch_record::*;
pub use position::*;
pub use registrar::*;
pub use source::*;
pub use stake_pool::*;
pub use usage::*;
pub use vesting::*;
pub use voter_weight::*;
