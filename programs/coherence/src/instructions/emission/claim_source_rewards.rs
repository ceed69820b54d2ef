//! Builder: claim the source's share of builders' pools. Every closed epoch
//! the source still holds usage of (at most two) is settled first, with its
//! epoch record (`EpochRecordRequired` when one is missing). Never paused (I7).

use crate::errors::CoherenceError;
use crate::events::SourceRewardsClaimed;
use crate::state::{EngineView, EpochRecord, Source, Vaults};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_vault;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimSourceRewards<'info> {
    pub builder: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = builder_vault @ CoherenceError::EngineMismatch)]
    pub engine: Box<InterfaceAccount<'info, EngineView<Vaults>>>,
    #[account(
        mut, dup,
        has_one = engine @ CoherenceError::SourceMismatch,
        has_one = builder @ CoherenceError::NotBuilder,
    )]
    pub source: Box<Account<'info, Source>>,
    /// CHECK: the record of one closed epoch the source still holds usage of
    /// (`Source::settles_with`), checked by `EpochRecord::load`.
    pub source_record: Option<UncheckedAccount<'info>>,
    /// CHECK: the record of the other one, if both of its epochs are closed.
    pub source_record_b: Option<UncheckedAccount<'info>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, dup)]
    pub builder_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        constraint = destination.key() != builder_vault.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
        constraint = destination.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = destination.owner == builder.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClaimSourceRewards<'_> {
    pub fn claim_source_rewards(ctx: Context<Self>) -> Result<()> {
        let a = &mut *ctx.accounts;
        let next_epoch = a.engine.next_epoch;
        let engine_key = a.engine.key();
        let records = [&a.source_record, &a.source_record_b]
            .into_iter()
            .flatten()
            .map(|info| EpochRecord::load(info, &engine_key))
            .collect::<Result<Vec<_>>>()?;
        a.source.settle_closed(next_epoch, &records)?;
        let amount = a.source.claimable;
        require!(amount > 0, CoherenceError::NothingToClaim);
        a.source.claimable = 0;
        a.source.claimed = a.source.claimed.saturating_add(u128::from(amount));
        transfer_from_vault(&*a.engine, &a.token_program, &a.mint, &a.builder_vault, &a.destination, amount)?;
        let event = SourceRewardsClaimed { source: a.source.key(), builder: a.builder.key(), amount };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
