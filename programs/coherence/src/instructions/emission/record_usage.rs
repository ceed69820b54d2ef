//! User: pay for the service with `amount` from the payer's token account;
//! the usage is credited to the current epoch (by Clock) in the chosen
//! shard, and optionally attributed to a builder source.
//!
//! The tokens move into the shard's escrow, which only `close_epoch` can
//! empty, by burning it (DESIGN §4.5c). A burn here would write the mint,
//! which every payer of the engine would then share; a transfer writes only
//! the payer's token account, the shard and the shard's escrow (plus the
//! builder's source when attributed), and reads the mint and the engine. So
//! payers on different shards never contend. At most one ended epoch may
//! still be open: otherwise `EpochBacklog` asks for a (permissionless)
//! `close_epoch` first.

use crate::errors::CoherenceError;
use crate::events::UsageRecorded;
use crate::math::SafeMath;
use crate::state::{Engine, EpochRecord, Source, UsageShard};
use crate::support::token_cpi::transfer_from_user;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[event_cpi]
#[derive(Accounts)]
pub struct RecordUsage<'info> {
    pub payer: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint)]
    pub engine: Box<Account<'info, Engine>>,
    /// One of the engine's shards: `["usage", engine, [shard]]`, any `shard`
    /// below `engine.usage_shards` (see `init_usage_shard`).
    #[account(
        mut,
        has_one = engine @ CoherenceError::EngineMismatch,
        constraint = usage_shard.escrow != Pubkey::default() @ CoherenceError::ShardWithoutEscrow,
    )]
    pub usage_shard: Box<Account<'info, UsageShard>>,
    /// CHECK: the shard's escrow token account, `["usage_escrow", engine,
    /// [shard]]`, pinned by the address the shard stores (the token program
    /// checks its mint). Unchecked so that a shard without one fails with
    /// `ShardWithoutEscrow`, not with a decoding error.
    #[account(mut, address = usage_shard.escrow @ CoherenceError::WrongShardAccounts)]
    pub usage_escrow: UncheckedAccount<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut,
        constraint = payer_tokens.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = payer_tokens.owner == payer.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub payer_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Builder source the usage is attributed to, if any.
    #[account(mut, has_one = engine @ CoherenceError::SourceMismatch)]
    pub source: Option<Box<Account<'info, Source>>>,
    /// Epoch record of the source's last epoch, when that usage must be settled first.
    #[account(has_one = engine @ CoherenceError::EngineMismatch)]
    pub source_record: Option<Box<Account<'info, EpochRecord>>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl RecordUsage<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        let engine = &self.engine;
        require!(!engine.paused, CoherenceError::Paused);
        require!(amount > 0, CoherenceError::ZeroAmount);
        let epoch = engine.epoch_at(Clock::get()?.unix_timestamp);
        require!(epoch <= engine.next_epoch.safe_add(1)?, CoherenceError::EpochBacklog);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(amount))]
    pub fn record_usage(ctx: Context<Self>, amount: u64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        let epoch = a.engine.epoch_at(now);
        let next_epoch = a.engine.next_epoch;

        let mut source_key = None;
        if let Some(source) = a.source.as_mut() {
            if source.epoch != epoch {
                if source.needs_settlement(epoch) {
                    require!(source.epoch < next_epoch, CoherenceError::SourceEpochNotClosed);
                    let record = a.source_record.as_ref().ok_or(CoherenceError::EpochRecordRequired)?;
                    source.settle(record)?;
                }
                source.epoch = epoch;
            }
            source.usage = source.usage.safe_add(amount)?;
            source_key = Some(source.key());
        }

        let slot = a.usage_shard.credit(epoch, amount, source_key.is_some())?;
        transfer_from_user(
            &a.payer,
            &a.token_program,
            &a.mint,
            &a.payer_tokens,
            &a.usage_escrow.to_account_info(),
            amount,
        )?;

        let event = UsageRecorded {
            engine: a.engine.key(),
            payer: a.payer.key(),
            epoch,
            shard: a.usage_shard.shard,
            amount,
            source: source_key,
            shard_usage: slot.usage,
        };
        emit_cpi!(event);
        Ok(())
    }
}
