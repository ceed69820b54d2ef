use crate::errors::CoherenceError;
use crate::layout::fixed_account;
use crate::math::SafeMath;
use anchor_lang::prelude::*;

crate::layout::fixed_layout! {
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
}

// The shard's two slots, element by element as Borsh writes them.
crate::layout::array_field!(UsageSlot);

fixed_account! {
    discriminator = [237, 187, 197, 120, 136, 144, 7, 95];
    /// One of the engine's `usage_shards` usage accumulators, so independent
    /// payers do not all write-lock one account. Two slots (by epoch parity) let
    /// the current epoch record while the previous one waits to be closed.
    /// Seeds: `["usage", engine, shard]`.
    ///
    /// Version 2 adds `usage_escrow` in what were 32 reserved bytes: payments go to
    /// the shard's own escrow token account instead of being burned at once
    /// (a burn writes the mint, which every payer would then share), and
    /// `close_epoch` burns every escrow. A version-1 shard (escrow zero) is
    /// upgraded in place by `init_usage_shard`.
    #[derive(InitSpace, Debug)]
    pub struct UsageShard {
        pub version: u8,
        pub bump: u8,
        pub engine: Pubkey,
        pub shard: u8,
        pub slots: [UsageSlot; 2],
        /// The escrow token account `["usage_escrow", engine, shard]`
        /// (`Pubkey::default()` until created).
        pub usage_escrow: Pubkey,
    }
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

impl UsageShard {
    /// Usage paid into epochs not closed yet (`epoch ≥ next_epoch`): both
    /// slots can hold one, the running epoch and an ended one awaiting its
    /// close.
    pub fn open_usage(&self, next_epoch: u64) -> u64 {
        self.slots.iter().filter(|s| s.epoch >= next_epoch).fold(0u64, |sum, s| sum.saturating_add(s.usage))
    }

    /// Decodes an engine's shards, which must be exactly its `usage_shards`
    /// shard accounts in index order: each owned by the program, of this
    /// engine, storing its own index equal to its position (so none can
    /// repeat or be left out; `WrongShardAccounts` otherwise).
    pub fn load_all(engine: &Pubkey, usage_shards: u8, infos: &[AccountInfo]) -> Result<Vec<UsageShard>> {
        require!(infos.len() == usize::from(usage_shards), CoherenceError::WrongShardAccounts);
        let mut shards = Vec::with_capacity(infos.len());
        for (index, info) in infos.iter().enumerate() {
            require_keys_eq!(*info.owner, crate::ID, CoherenceError::WrongShardAccounts);
            let shard = UsageShard::try_deserialize(&mut &info.try_borrow_data()?[..])
                .map_err(|_| error!(CoherenceError::WrongShardAccounts))?;
            require!(shard.engine == *engine && usize::from(shard.shard) == index, CoherenceError::WrongShardAccounts);
            shards.push(shard);
        }
        Ok(shards)
    }
}
