//! Builder: claim the source's share of builders' pools. If the source's last
//! epoch is closed and unsettled, its epoch record must be passed and is
//! settled first (O(1): one epoch per source at a time). Never paused (I7).

use crate::errors::CoherenceError;
use crate::events::SourceRewardsClaimed;
use crate::state::{Engine, EpochRecord, Source};
use crate::support::token_cpi::transfer_from_vault;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimSourceRewards<'info> {
    pub builder: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = builder_vault @ CoherenceError::EngineMismatch)]
    pub engine: Box<Account<'info, Engine>>,
    #[account(
        mut,
        has_one = engine @ CoherenceError::SourceMismatch,
        has_one = builder @ CoherenceError::NotBuilder,
    )]
    pub source: Box<Account<'info, Source>>,
    #[account(has_one = engine @ CoherenceError::EngineMismatch)]
    pub source_record: Option<Box<Account<'info, EpochRecord>>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub builder_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut,
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
        if a.source.needs_settlement(next_epoch) {
            let record = a.source_record.as_ref().ok_or(CoherenceError::EpochRecordRequired)?;
            a.source.settle(record)?;
        }
        let amount = a.source.claimable;
        require!(amount > 0, CoherenceError::NothingToClaim);
        a.source.claimable = 0;
        a.source.claimed = a.source.claimed.saturating_add(u128::from(amount));
        transfer_from_vault(&a.engine, &a.token_program, &a.mint, &a.builder_vault, &a.destination, amount)?;
        let event = SourceRewardsClaimed { source: a.source.key(), builder: a.builder.key(), amount };
        emit_cpi!(event);
        Ok(())
    }
}
