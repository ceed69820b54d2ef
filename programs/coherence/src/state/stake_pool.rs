use crate::layout::fixed_account;
use crate::math::stake::Stream;
use anchor_lang::prelude::*;

fixed_account! {
    discriminator = [121, 34, 206, 21, 79, 127, 255, 28];
    /// Staking totals and the reward stream. Seeds: `["stake_pool", engine]`.
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
        /// Free space for later versions (64 bytes before the stream gained its
        /// segment and carry fields; the account size is unchanged).
        pub reserved: [u8; 32],
    }
}

impl StakePool {
    /// Settles `position` at the pool's accumulator as of `now`, applies
    /// `change` to it, and re-weights it under `params` — the one sequence
    /// every weight-changing instruction must follow so that rewards up to
    /// now are paid at the old weight (I6, I8).
    pub fn reweight(
        &mut self,
        position: &mut crate::state::Position,
        params: &crate::math::Params,
        now: i64,
        change: impl FnOnce(&mut crate::state::Position) -> std::result::Result<(), crate::errors::CoherenceError>,
    ) -> std::result::Result<(), crate::errors::CoherenceError> {
        self.stream.accrue(now)?;
        position.settle(self.stream.acc)?;
        self.stream.remove_weight(position.weight)?;
        change(position)?;
        position.weight = position.weight_for(params)?;
        self.stream.add_weight(position.weight)
    }
}
