//! One file per instruction, grouped by domain (DESIGN §4), as the SDK's
//! builders and the CLI's commands are. Who may call a handler is the first
//! line of its file's docs.
//!
//! - [`governance`]: genesis, parameters, authority, pause, treasury deposits;
//! - [`emission`]: usage shards, paying for usage, closing epochs, builder sources;
//! - [`staking`]: positions and the stakers' reward stream;
//! - [`vesting`]: schedules, time-only and usage-gated;
//! - [`voting`]: the voter-weight plugin for SPL Governance (Realms).
pub mod emission;
pub mod governance;
pub mod staking;
pub mod vesting;
pub mod voting;

pub use emission::*;
pub use governance::*;
pub use staking::*;
pub use vesting::*;
pub use voting::*;
