//! The CLI's commands, grouped by the program's domains (DESIGN §4), as the
//! program's instructions and the SDK's builders are: [`governance`],
//! [`emission`], [`staking`], [`vesting`], and [`gov`] (the holders' vote
//! through SPL Governance). Then the operator's tools:
//! `status`, `check` (the audit), `demo`, `simulate`, and `local` (helpers
//! for the in-process ledger).
pub mod check;
pub mod demo;
pub mod demo_governance;
pub mod emission;
pub mod gov;
pub mod governance;
pub mod local;
pub mod simulate;
pub mod staking;
pub mod status;
pub mod vesting;
