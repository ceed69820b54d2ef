//! Anyone: create usage shard `shard` (0..usage_shards) of an engine. Every
//! shard must exist before epochs can close; the SDK creates them right after
//! genesis.

use crate::constants::ACCOUNT_VERSION;
use crate::errors::CoherenceError;
use crate::events::UsageShardInitialized;
use crate::pda_init::init_program_account;
use crate::state::{seeds, Engine, UsageShard, UsageSlot};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
#[instruction(shard: u8)]
pub struct InitUsageShard<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub engine: Box<Account<'info, Engine>>,
    /// CHECK: created here at `["usage", engine, shard]`.
    // `shard.to_le_bytes()` is the same single byte as `[shard]`, written so
    // that Anchor's IDL generator records the seed (an IDL-only client can
    // then derive every shard address).
    #[account(mut, seeds = [seeds::USAGE, engine.key().as_ref(), shard.to_le_bytes().as_ref()], bump)]
    pub usage_shard: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl InitUsageShard<'_> {
    fn validate(&self, shard: u8) -> Result<()> {
        require!(shard < self.engine.usage_shards, CoherenceError::InvalidShard);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(shard))]
    pub fn init_usage_shard(ctx: Context<Self>, shard: u8) -> Result<()> {
        let a = &*ctx.accounts;
        let engine_key = a.engine.key();
        let value = UsageShard {
            version: ACCOUNT_VERSION,
            bump: ctx.bumps.usage_shard,
            engine: engine_key,
            shard,
            // Epoch u64::MAX marks a never-used slot.
            slots: [UsageSlot { epoch: u64::MAX, ..UsageSlot::default() }; 2],
            reserved: [0; 32],
        };
        let shard_seeds: &[&[u8]] = &[seeds::USAGE, engine_key.as_ref(), &[shard], &[ctx.bumps.usage_shard]];
        init_program_account(&a.payer.to_account_info(), &a.usage_shard, &a.system_program.to_account_info(), shard_seeds, &value)?;
        let event = UsageShardInitialized { engine: engine_key, shard };
        emit_cpi!(event);
        Ok(())
    }
}
