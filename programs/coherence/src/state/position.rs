use crate::errors::CoherenceError;
use crate::layout::fixed_account;
use crate::math::stake::{earned, weight};
use crate::math::{Params, SafeMath};
use anchor_lang::prelude::*;

fixed_account! {
    discriminator = [170, 188, 143, 228, 122, 64, 247, 208];
    /// One staking position. Seeds: `["position", engine, owner, id_le]`.
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
}

impl Position {
    pub fn is_unbonding(&self) -> bool {
        self.unbond_start != 0
    }

    /// Moves what the position earned since its snapshot into
    /// `pending_reward` (rounded down) and re-snapshots at `acc`. Call after
    /// the pool has accrued to now.
    pub fn settle(&mut self, acc: u128) -> std::result::Result<(), CoherenceError> {
        let gained = earned(self.weight, acc, self.acc_snapshot)?;
        self.pending_reward = self.pending_reward.safe_add(gained)?;
        self.acc_snapshot = acc;
        Ok(())
    }

    /// Weight for the current principal and lock under `params`.
    pub fn weight_for(&self, params: &Params) -> std::result::Result<u128, CoherenceError> {
        weight(self.principal, self.lock_secs, params.max_lock, params.max_boost_bps)
    }

    /// Unix time at which an unbonding position becomes withdrawable.
    pub fn withdrawable_at(&self) -> Option<i64> {
        self.unbond_start.checked_add(i64::try_from(self.lock_secs).ok()?)
    }
}
