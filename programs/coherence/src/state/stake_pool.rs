use crate::math::stake::Stream;
use anchor_lang::prelude::*;

/// Staking totals and the reward stream. Seeds: `["stake_pool", engine]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct StakePool {
    pub version: u8,
    pub bump: u8,
    pub engine: Pubkey,
    /// Accumulator, total weight and the running reward stream.
    pub stream: Stream,
    /// Σ principal of all positions (locked and unbonding), base units.
    /// Equals the stake vault's balance (I8).
    pub total_principal: u64,
    /// Number of open positions.
    pub positions: u64,
    pub reserved: [u8; 64],
}
