//! Anyone: create usage shard `shard` (0..usage_shards) of an engine and its
//! escrow token account. Every shard must exist before epochs can close; the
//! SDK creates them right after genesis.
//!
//! Run on a version-1 shard (created before escrows existed), it creates
//! the escrow and upgrades the shard to version 2 in place; its usage slots
//! are kept. Run on a version-2 shard, it fails with
//! `AccountAlreadyInitialized`.

use crate::constants::USAGE_SHARD_VERSION;
use crate::errors::CoherenceError;
use crate::events::UsageShardInitialized;
use crate::state::{seeds, Engine, UsageShard, UsageSlot};
use crate::support::event_cpi;
use crate::support::pda_init::{init_program_account, init_token_account};
use crate::support::token_layout::Mint;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
#[instruction(shard: u8)]
pub struct InitUsageShard<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint)]
    pub engine: Box<Account<'info, Engine>>,
    /// CHECK: created here at `["usage", engine, shard]` (or upgraded).
    // `shard.to_le_bytes()` is the same single byte as `[shard]`, written so
    // that Anchor's IDL generator records the seed (an IDL-only client can
    // then derive every shard address).
    #[account(mut, seeds = [seeds::USAGE, engine.key().as_ref(), shard.to_le_bytes().as_ref()], bump)]
    pub usage_shard: UncheckedAccount<'info>,
    /// CHECK: created here as a token account owned by the engine PDA.
    #[account(mut, seeds = [seeds::USAGE_ESCROW, engine.key().as_ref(), shard.to_le_bytes().as_ref()], bump)]
    pub usage_escrow: UncheckedAccount<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
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
        let escrow = a.usage_escrow.key();
        let (payer, system) = (a.payer.to_account_info(), a.system_program.to_account_info());
        let upgraded = !a.usage_shard.data_is_empty();
        if upgraded {
            upgrade(&a.usage_shard, escrow)?;
        } else {
            let value = UsageShard {
                version: USAGE_SHARD_VERSION,
                bump: ctx.bumps.usage_shard,
                engine: engine_key,
                shard,
                // Epoch u64::MAX marks a never-used slot.
                slots: [UsageSlot { epoch: u64::MAX, ..UsageSlot::default() }; 2],
                usage_escrow: escrow,
            };
            let shard_seeds: &[&[u8]] = &[seeds::USAGE, engine_key.as_ref(), &[shard], &[ctx.bumps.usage_shard]];
            init_program_account(&payer, &a.usage_shard, &system, shard_seeds, &value)?;
        }
        let escrow_seeds: &[&[u8]] = &[seeds::USAGE_ESCROW, engine_key.as_ref(), &[shard], &[ctx.bumps.usage_escrow]];
        let (token, mint, engine) =
            (a.token_program.to_account_info(), a.mint.to_account_info(), a.engine.to_account_info());
        init_token_account(&payer, &a.usage_escrow, &system, &token, &mint, &engine, escrow_seeds)?;
        let event = UsageShardInitialized { engine: engine_key, shard, escrow, upgraded };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}

/// Version 1 → 2: the same shard (seeds already checked) gains its escrow.
fn upgrade(info: &AccountInfo, escrow: Pubkey) -> Result<()> {
    require_keys_eq!(*info.owner, crate::ID, CoherenceError::AccountAlreadyInitialized);
    let mut shard = UsageShard::try_deserialize(&mut &info.try_borrow_data()?[..])?;
    require!(shard.usage_escrow == Pubkey::default(), CoherenceError::AccountAlreadyInitialized);
    shard.version = USAGE_SHARD_VERSION;
    shard.usage_escrow = escrow;
    let mut data = info.try_borrow_mut_data()?;
    let mut cursor: &mut [u8] = &mut data;
    shard.try_serialize(&mut cursor)
}
