use anchor_lang::prelude::*;

/// One staking position. Seeds: `["position", engine, owner, id_le]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Position {
    pub version: u8,
    pub bump: u8,
    pub engine: Pubkey,
    pub owner: Pubkey,
    /// Owner-chosen id; several positions per owner.
    pub id: u64,
    /// Staked tokens, base units.
    pub principal: u64,
    /// Constant lock duration D, seconds.
    pub lock_secs: u64,
    /// Current weight (0 while unbonding).
    pub weight: u128,
    /// Pool accumulator at the last settlement (× ACC_SCALE).
    pub acc_snapshot: u128,
    /// Settled but unclaimed reward, base units.
    pub pending_reward: u64,
    /// Unix time unbonding started; 0 while locked.
    pub unbond_start: i64,
    pub opened_at: i64,
    pub reserved: [u8; 32],
}

impl Position {
    pub fn is_unbonding(&self) -> bool {
        self.unbond_start != 0
    }
}
