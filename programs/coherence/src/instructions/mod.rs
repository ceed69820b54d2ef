//! One file per instruction, grouped by domain (DESIGN §4), as the SDK's
//! builders and the CLI's commands are. Who may call a handler is the first
//! line of its file's docs.
//!
//! - [`governance`]: genesis, parameters, authority, pause, treasury deposits;
//! - [`emission`]: usage shards, paying for usage, closing epochs, builder sources;
//! - [`staking`]: positions and the stakers' reward stream;
//! - [`vesting`]: schedules, time-only and usage-gated;
//! - [`voting`]: the voter-weight plugin for SPL Governance (Realms).
//!
//! **The same writable account twice.** Every writable typed account
//! (`Account<T>`, `InterfaceAccount<T>`) is marked `dup`, which takes it out
//! of Anchor's duplicate check: that check builds a `std` `HashSet` of keys
//! in every instruction, about 850 compute units per writable account
//! (measured on the SBF build: 3,450 of `withdraw`'s units for its four).
//! What it guarded against — one account behind two fields, the second
//! write-back overwriting the first — is ruled out here instead: two typed
//! accounts of different types cannot be one account (a program account's
//! discriminator, or SPL Token's layout, decides which type it reads as),
//! and where two token accounts could be, the later one's first constraint
//! refuses it with the same `ConstraintDuplicateMutableAccount`. The fuzz
//! test passes every writable account of every instruction in place of
//! every other and expects a named refusal that changes nothing.
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
