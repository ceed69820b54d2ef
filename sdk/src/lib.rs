//! # coherence-sdk
//!
//! Everything a client needs to talk to the Coherence program: addresses
//! ([`pda`]), instruction builders ([`instructions`]), account decoders
//! ([`accounts`]), exact previews with the program's own math ([`preview`]),
//! error-name mapping ([`error`]), and SPL Governance (Realms)
//! instructions and accounts for the holders' governance ([`spl_governance`]).

#![warn(missing_docs)]

pub mod accounts;
pub mod audit;
pub mod client;
pub mod compute;
pub mod defaults;
pub mod deployment;
pub mod error;
pub mod instructions;
pub mod lookup;
pub mod ops;
pub mod params;
pub mod pda;
pub mod preview;
pub mod spl_governance;

pub use client::{Client, ClientError};
pub use coherence;
pub use error::SdkError;
pub use pda::EngineKeys;
