//! Governance: genesis, parameters (propose → timelock → apply), the
//! two-step authority transfer, pause, and treasury deposits.
pub mod accept_authority;
pub mod apply_params;
pub mod cancel_params;
pub mod deposit_treasury;
pub mod initialize_engine;
pub mod lower_time_only_budget;
pub mod propose_authority;
pub mod propose_params;
pub mod set_pause;

pub use accept_authority::*;
pub use apply_params::*;
pub use cancel_params::*;
pub use deposit_treasury::*;
pub use initialize_engine::*;
pub use lower_time_only_budget::*;
pub use propose_authority::*;
pub use propose_params::*;
pub use set_pause::*;
