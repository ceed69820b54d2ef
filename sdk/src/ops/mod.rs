//! Multi-step operations on a [`Client`](crate::Client), each split into a
//! plan and a sender: a plan (`*_ixs`, `*_transactions`, [`due_closes`])
//! reads what it needs from the chain and returns the instructions a task
//! takes; the sender sends that plan. The CLI (which may print a plan for a
//! multisig instead of sending it), the demo, the simulator and the deploy
//! script all send these plans rather than rebuilding them.
//!
//! - [`genesis`]: the engine, its usage shards, reading an engine's keys;
//! - [`usage`]: paying for usage and claiming a source's builder rewards
//!   (settling the source's last epoch when due);
//! - [`epoch`]: the crank, closing one epoch, its lookup table, previews;
//! - [`vesting`]: claiming a schedule;
//! - [`tokens`]: associated token accounts, mints and balances;
//! - [`voting`]: the holders' governance through SPL Governance (Realms).

pub mod epoch;
pub mod genesis;
pub mod tokens;
pub mod usage;
pub mod vesting;
pub mod voting;

pub use epoch::*;
pub use genesis::*;
pub use tokens::*;
pub use usage::*;
pub use vesting::*;
pub use voting::*;
