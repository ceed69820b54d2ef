//! Beneficiary: claim what has vested. Never blocked by pause (I7).
//! `claimable = vested(min(now, revoked_at)) - claimed`, where a usage-gated
//! schedule's vested amount is `min(time, rate · U)`. The engine is only
//! read, so claims never contend with usage payments (which read it too); a
//! finished gated schedule gives its rate back when it is closed.

use crate::errors::CoherenceError;
use crate::events::VestingClaimed;
use crate::math::SafeMath;
use crate::state::{EngineView, Vaults, VestingSchedule};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_vault;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimVesting<'info> {
    pub beneficiary: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = vesting_vault @ CoherenceError::EngineMismatch)]
    pub engine: Box<InterfaceAccount<'info, EngineView<Vaults>>>,
    #[account(
        mut, dup,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = beneficiary @ CoherenceError::NotBeneficiary,
    )]
    pub vesting: Box<Account<'info, VestingSchedule>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, dup)]
    pub vesting_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        constraint = destination.key() != vesting_vault.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
        constraint = destination.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = destination.owner == beneficiary.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClaimVesting<'_> {
    pub fn claim_vesting(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        let amount = a.vesting.claimable(now, a.engine.total_usage_burned)?;
        require!(amount > 0, CoherenceError::NothingToClaim);
        a.vesting.claimed = a.vesting.claimed.safe_add(amount)?;
        transfer_from_vault(&*a.engine, &a.token_program, &a.mint, &a.vesting_vault, &a.destination, amount)?;
        let event = VestingClaimed {
            vesting: a.vesting.key(),
            beneficiary: a.beneficiary.key(),
            amount,
            claimed: a.vesting.claimed,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
