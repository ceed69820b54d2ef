//! Anyone: expire a usage-gated schedule once `end + grace_secs` has passed
//! and the epoch containing that moment is closed (DESIGN §4.2b). Vesting stops now: what usage and time have vested stays
//! claimable by the beneficiary; the rest returns to the treasury, and the
//! schedule's rate goes back to the usage budget. A grant the product never
//! earned does not stay locked, nor hold budget, forever.

use crate::errors::CoherenceError;
use crate::events::VestingExpired;
use crate::state::{Engine, VestingSchedule};
use crate::support::event_cpi;
use crate::support::token_layout::{Mint, TokenAccount};
use crate::support::vesting_exit::stop_vesting;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct ExpireVesting<'info> {
    #[account(
        mut, dup,
        has_one = mint @ CoherenceError::WrongMint,
        has_one = treasury @ CoherenceError::EngineMismatch,
        has_one = vesting_vault @ CoherenceError::EngineMismatch,
    )]
    pub engine: Box<Account<'info, Engine>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub vesting: Box<Account<'info, VestingSchedule>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, dup)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = vesting_vault.key() != treasury.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub vesting_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl ExpireVesting<'_> {
    fn validate(&self) -> Result<()> {
        let v = &self.vesting;
        require!(v.gate().is_some(), CoherenceError::NotUsageGated);
        require!(v.revoked().is_none(), CoherenceError::AlreadyRevoked);
        let expiry = v.end.checked_add(i64::from(v.grace_secs)).ok_or(CoherenceError::MathOverflow)?;
        require!(Clock::get()?.unix_timestamp >= expiry, CoherenceError::GraceNotElapsed);
        // Usage counts once its epoch is closed: every payment made up to the
        // expiry must have had its chance to vest (and a paused engine, which
        // cannot close epochs, cannot expire schedules either).
        require!(self.engine.epoch_at(expiry) < self.engine.next_epoch, CoherenceError::ExpiryEpochOpen);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn expire_vesting(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        let (vested, returned, released) =
            stop_vesting(&mut a.engine, &mut a.vesting, &a.token_program, &a.mint, &a.vesting_vault, &a.treasury, now)?;
        let event = VestingExpired { vesting: a.vesting.key(), expired_at: now, returned, vested };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        if let Some(event) = released {
            event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        }
        Ok(())
    }
}
