use crate::errors::CoherenceError;
use anchor_lang::prelude::*;

/// What holders vote with, as proposed and applied through the timelock:
/// the realm, its governance program and the fixed maximum voter weight.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct VotingConfig {
    /// The Realms realm (its community mint must be the engine's mint).
    pub realm: Pubkey,
    /// The SPL Governance program that owns `realm`.
    pub governance_program: Pubkey,
    /// The fixed figure the `MaxVoterWeightRecord` carries: quorum and vote
    /// thresholds are percentages of it (DESIGN §9.3). Neither locking,
    /// unbonding nor burning moves it; only this timelocked path does.
    pub max_voter_weight: u64,
}

impl VotingConfig {
    /// `InvalidVotingConfig` unless every field is set.
    pub fn validate(&self) -> std::result::Result<(), CoherenceError> {
        let set = self.realm != Pubkey::default()
            && self.governance_program != Pubkey::default()
            && self.max_voter_weight > 0;
        if set {
            Ok(())
        } else {
            Err(CoherenceError::InvalidVotingConfig)
        }
    }
}

/// The engine's voter-weight plugin for SPL Governance (Realms).
/// Seeds: `["registrar", engine]`. Created by the first `propose_voting`;
/// its configuration takes effect through `apply_voting` after the
/// engine's parameter timelock, like parameters do.
#[account]
#[derive(InitSpace, Debug)]
pub struct Registrar {
    /// Layout version (`REGISTRAR_VERSION`).
    pub version: u8,
    pub bump: u8,
    pub engine: Pubkey,
    /// The governing token mint (the engine's mint).
    pub governing_token_mint: Pubkey,
    /// The applied configuration (`None` until the first `apply_voting`).
    pub config: Option<VotingConfig>,
    /// The proposed configuration, applicable once `pending_eta` has passed.
    pub pending: Option<VotingConfig>,
    /// Unix time after which `pending` may be applied.
    pub pending_eta: i64,
    /// Free space for later versions.
    pub reserved: [u8; 64],
}
