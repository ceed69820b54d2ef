//! Authority: revoke a revocable schedule. Vesting stops now; only the
//! unvested part returns, and only to the treasury. The vested part stays
//! claimable by the beneficiary (I5). For a usage-gated schedule "vested"
//! is `min(time, rate · U)`, and its rate goes back to the usage budget; a
//! time-only schedule gives its unvested part back to the time-only budget.

use crate::errors::CoherenceError;
use crate::events::VestingRevoked;
use crate::state::{Engine, VestingSchedule};
use crate::support::event_cpi;
use crate::support::token_layout::{Mint, TokenAccount};
use crate::support::vesting_exit::stop_vesting;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct RevokeVesting<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut, dup,
        has_one = authority @ CoherenceError::NotAuthority,
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

impl RevokeVesting<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.vesting.revocable, CoherenceError::NotRevocable);
        require!(self.vesting.revoked().is_none(), CoherenceError::AlreadyRevoked);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn revoke_vesting(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        let (vested, returned, released) =
            stop_vesting(&mut a.engine, &mut a.vesting, &a.token_program, &a.mint, &a.vesting_vault, &a.treasury, now)?;
        let event = VestingRevoked {
            vesting: a.vesting.key(),
            revoked_at: now,
            returned,
            vested,
            time_only_used: a.engine.time_only_used,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        if let Some(event) = released {
            event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        }
        Ok(())
    }
}
