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
//! `close_epoch` first. A source holds two epochs as a shard does, so a
//! payment through it fails only where a shard would.

use crate::constants::SOURCE_VERSION;
use crate::errors::CoherenceError;
use crate::events::UsageRecorded;
use crate::math::SafeMath;
use crate::state::{seeds, EngineView, EpochRecord, Source, UsageShard};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_user;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct RecordUsage<'info> {
    pub payer: Signer<'info>,
    // Constraints run in field order once every account is read: the
    // shard's escrow is checked here, before the shard's `has_one`, so a
    // version-1 shard reports `ShardWithoutEscrow`.
    #[account(
        has_one = mint @ CoherenceError::WrongMint,
        constraint = usage_shard.usage_escrow != Pubkey::default() @ CoherenceError::ShardWithoutEscrow,
    )]
    pub engine: Box<InterfaceAccount<'info, EngineView>>,
    /// One of the engine's shards: `["usage", engine, [shard]]`, any `shard`
    /// below `engine.usage_shards` (see `init_usage_shard`).
    #[account(
        mut, dup,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = usage_escrow @ CoherenceError::WrongShardAccounts,
    )]
    pub usage_shard: Box<Account<'info, UsageShard>>,
    /// CHECK: the shard's escrow token account, `["usage_escrow", engine,
    /// [shard]]`, the address the shard stores (`has_one` on the shard, so
    /// the IDL relates it; the token program checks its mint). Unchecked so
    /// that a shard without one fails with `ShardWithoutEscrow`, not with a
    /// decoding error.
    #[account(mut)]
    pub usage_escrow: UncheckedAccount<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut, dup,
        constraint = payer_tokens.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = payer_tokens.owner == payer.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub payer_tokens: Box<InterfaceAccount<'info, TokenAccount>>,
    /// Builder source the usage is attributed to, if any.
    #[account(mut, dup, has_one = engine @ CoherenceError::SourceMismatch)]
    pub source: Option<Box<Account<'info, Source>>>,
    /// CHECK: the epoch record `["epoch", engine, e]` of the source's older
    /// epoch `e` (`Source::record_for_payment`), read only when the payment
    /// reuses that epoch's slot, then checked by `EpochRecord::load` and
    /// `Source::credit`; a client may pass it before that epoch is closed,
    /// and a stale client an older epoch's record (ignored).
    pub source_record: Option<UncheckedAccount<'info>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

/// The `source_record` account, which must be the record of the source's
/// older epoch (`Source::record_for_payment`): read when that epoch is
/// closed (it is then needed if the payment lands in a third epoch);
/// before it is, the record's address, passed early, is checked and
/// nothing is read (`WrongEpochRecord` for any other account).
///
/// A record of an *older* epoch is accepted and ignored: a client that read
/// the source just before another payment settled that epoch passes the
/// record it was told to, and its payment must not fail for that (the
/// record, already used, settles nothing).
fn source_record(info: &AccountInfo, source: Option<&Source>) -> Result<Option<EpochRecord>> {
    let source = source.ok_or(CoherenceError::WrongEpochRecord)?;
    let epoch = source.record_for_payment().ok_or(CoherenceError::WrongEpochRecord)?;
    if *info.owner == crate::ID {
        let record = EpochRecord::load(info, &source.engine)?;
        require!(record.epoch <= epoch, CoherenceError::WrongEpochRecord);
        return Ok((record.epoch == epoch).then_some(record));
    }
    let seeds: &[&[u8]] = &[seeds::EPOCH, source.engine.as_ref(), &epoch.to_le_bytes()];
    require_keys_eq!(info.key(), Pubkey::find_program_address(seeds, &crate::ID).0, CoherenceError::WrongEpochRecord);
    Ok(None)
}

impl RecordUsage<'_> {
    /// The epoch `now` falls in, if a payment may be recorded in it.
    fn validate(&self, amount: u64, now: i64) -> Result<u64> {
        let engine = &self.engine;
        require!(!engine.paused, CoherenceError::Paused);
        require!(amount > 0, CoherenceError::ZeroAmount);
        let epoch = engine.epoch_at(now);
        require!(epoch <= engine.next_epoch.safe_add(1)?, CoherenceError::EpochBacklog);
        Ok(epoch)
    }

    pub fn record_usage(ctx: Context<Self>, amount: u64) -> Result<()> {
        // The clock is read once: the hottest instruction.
        let epoch = ctx.accounts.validate(amount, Clock::get()?.unix_timestamp)?;
        let a = &mut *ctx.accounts;
        let next_epoch = a.engine.next_epoch;

        let mut source_key = None;
        let record = match &a.source_record {
            Some(info) => source_record(info, a.source.as_deref().map(|s| &**s))?,
            None => None,
        };
        if let Some(source) = a.source.as_mut() {
            source.credit(epoch, amount, next_epoch, record.as_ref())?;
            source.version = SOURCE_VERSION;
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
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
