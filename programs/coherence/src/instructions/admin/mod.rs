//! Instructions signed by the engine authority (plus permissionless
//! `apply_params` and the new authority's `accept_authority`).
pub mod accept_authority;
pub mod apply_params;
pub mod cancel_params;
pub mod create_vesting;
pub mod initialize_engine;
pub mod propose_authority;
pub mod propose_params;
pub mod revoke_vesting;
pub mod set_pause;

pub use accept_authority::*;
pub use apply_params::*;
pub use cancel_params::*;
pub use create_vesting::*;
pub use initialize_engine::*;
pub use propose_authority::*;
pub use propose_params::*;
pub use revoke_vesting::*;
pub use set_pause::*;
