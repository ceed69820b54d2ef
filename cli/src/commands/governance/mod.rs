//! Governance commands (the program's `instructions/governance`):
//! `engine init|show`, `params …`, `authority …`, `pause`/`unpause`,
//! `treasury deposit`.
pub mod engine;
pub mod params;
pub mod treasury;
