use crate::errors::CoherenceError;
use crate::math::emission::source_share;
use crate::math::SafeMath;
use crate::state::EpochRecord;
use anchor_lang::prelude::*;

/// A builder's usage source (an integration). Usage attributed to it earns a
/// pro-rata share of its epoch's builders' pool.
/// Seeds: `["source", engine, id_le]`; id from `Engine::source_count`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Source {
    pub version: u8,
    pub bump: u8,
    pub engine: Pubkey,
    pub id: u64,
    /// Wallet that claims the source's rewards.
    pub builder: Pubkey,
    /// Last epoch in which usage was attributed to this source.
    pub epoch: u64,
    /// Usage attributed in `epoch`, base units (0 once settled).
    pub usage: u64,
    /// Settled, unclaimed builder rewards, base units.
    pub claimable: u64,
    /// Σ builder rewards ever claimed (u128, saturating: statistics only,
    /// never bounded by the supply since emission recycles burned tokens).
    pub claimed: u128,
    pub reserved: [u8; 24],
}

impl Source {
    /// Whether `usage` of an earlier epoch still awaits settlement.
    pub fn needs_settlement(&self, current_epoch: u64) -> bool {
        self.usage > 0 && self.epoch < current_epoch
    }

    /// The closed epoch whose record settles this source's pending usage,
    /// given the engine's `next_epoch`: its last epoch, once that is closed
    /// (a client passes that record with `record_usage` or a claim).
    pub fn settles_with(&self, next_epoch: u64) -> Option<u64> {
        (self.usage > 0 && self.epoch < next_epoch).then_some(self.epoch)
    }

    /// Converts the usage of `record.epoch` into claimable tokens.
    pub fn settle(&mut self, record: &EpochRecord) -> std::result::Result<(), CoherenceError> {
        if record.epoch != self.epoch || record.engine != self.engine {
            return Err(CoherenceError::WrongEpochRecord);
        }
        let share = source_share(record.builders_amount, self.usage, record.attributed)?;
        self.claimable = self.claimable.safe_add(share)?;
        self.usage = 0;
        Ok(())
    }
}
