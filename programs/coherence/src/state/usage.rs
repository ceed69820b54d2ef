use crate::errors::CoherenceError;
use crate::math::SafeMath;
use anchor_lang::prelude::*;

/// Usage of one epoch in one shard.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UsageSlot {
    pub epoch: u64,
    /// Tokens paid in `epoch` through this shard, base units (escrowed at
    /// payment, burned by `close_epoch`).
    pub usage: u64,
    /// Part of `usage` attributed to builder sources.
    pub attributed: u64,
}

/// One of the engine's `usage_shards` usage accumulators, so independent
/// payers do not all write-lock one account. Two slots (by epoch parity) let
/// the current epoch record while the previous one waits to be closed.
/// Seeds: `["usage", engine, shard]`.
///
/// Version 2 adds `escrow` in what were 32 reserved bytes: payments go to
/// the shard's own escrow token account instead of being burned at once
/// (a burn writes the mint, which every payer would then share), and
/// `close_epoch` burns every escrow. A version-1 shard (escrow zero) is
/// upgraded in place by `init_usage_shard`.
#[account]
#[derive(InitSpace, Debug)]
pub struct UsageShard {
    pub version: u8,
    pub bump: u8,
    pub engine: Pubkey,
    pub shard: u8,
    pub slots: [UsageSlot; 2],
    /// The escrow token account `["usage_escrow", engine, shard]`
    /// (`Pubkey::default()` until created).
    pub escrow: Pubkey,
}

impl UsageShard {
    /// The slot for `epoch`, if it holds that epoch.
    pub fn usage_of(&self, epoch: u64) -> UsageSlot {
        let slot = self.slots[(epoch % 2) as usize];
        if slot.epoch == epoch {
            slot
        } else {
            UsageSlot { epoch, ..UsageSlot::default() }
        }
    }

    /// Adds usage to `epoch`. The caller guarantees that the epoch sharing
    /// the slot (epoch − 2 or older) is already closed.
    pub fn credit(
        &mut self,
        epoch: u64,
        amount: u64,
        attributed: bool,
    ) -> std::result::Result<UsageSlot, CoherenceError> {
        let slot = &mut self.slots[(epoch % 2) as usize];
        if slot.epoch != epoch {
            *slot = UsageSlot { epoch, usage: 0, attributed: 0 };
        }
        slot.usage = slot.usage.safe_add(amount)?;
        if attributed {
            slot.attributed = slot.attributed.safe_add(amount)?;
        }
        Ok(*slot)
    }
}
