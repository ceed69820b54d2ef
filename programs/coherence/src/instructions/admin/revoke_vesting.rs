//! Authority: revoke a revocable schedule. Vesting stops now; only the
//! unvested part returns, and only to the treasury. The vested part stays
//! claimable by the beneficiary (I5). For a usage-gated schedule "vested"
//! is `min(time, rate · U)`, and its rate goes back to the usage budget.

use crate::errors::CoherenceError;
use crate::events::{UsageBudgetReleased, VestingRevoked};
use crate::state::{Engine, VestingSchedule};
use crate::token_cpi::transfer_from_vault;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

/// Stops `vesting` at `now` (revocation or expiry): the vested part stays
/// claimable, the rest goes back to the treasury, and a gated schedule's rate
/// goes back to the budget. Returns `(vested, returned, budget event)`.
#[allow(clippy::too_many_arguments)]
pub fn stop_vesting<'info>(
    engine: &mut Account<'info, Engine>,
    vesting: &mut Account<'info, VestingSchedule>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vesting_vault: &InterfaceAccount<'info, TokenAccount>,
    treasury: &InterfaceAccount<'info, TokenAccount>,
    now: i64,
) -> Result<(u64, u64, Option<UsageBudgetReleased>)> {
    let (vested, returned) = vesting.freeze(now, engine.total_usage_burned)?;
    let released = release_budget(engine, vesting)?;
    transfer_from_vault(engine, token_program, mint, vesting_vault, treasury, returned)?;
    Ok((vested, returned, released))
}

/// Gives a schedule's rate back to the engine's usage budget if it still
/// holds it (finished, revoked or expired); the event to emit if so.
pub fn release_budget(engine: &mut Account<Engine>, vesting: &mut Account<VestingSchedule>) -> Result<Option<UsageBudgetReleased>> {
    let Some(rate_bps) = vesting.take_budget() else { return Ok(None) };
    engine.release_budget(rate_bps);
    Ok(Some(UsageBudgetReleased { engine: engine.key(), vesting: vesting.key(), rate_bps, gated_rate_bps: engine.gated_rate_bps }))
}

#[event_cpi]
#[derive(Accounts)]
pub struct RevokeVesting<'info> {
    pub authority: Signer<'info>,
    #[account(
        mut,
        has_one = authority @ CoherenceError::NotAuthority,
        has_one = mint @ CoherenceError::WrongMint,
        has_one = treasury @ CoherenceError::EngineMismatch,
        has_one = vesting_vault @ CoherenceError::EngineMismatch,
    )]
    pub engine: Box<Account<'info, Engine>>,
    #[account(mut, has_one = engine @ CoherenceError::EngineMismatch)]
    pub vesting: Box<Account<'info, VestingSchedule>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
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
        let event = VestingRevoked { vesting: a.vesting.key(), revoked_at: now, returned, vested };
        emit_cpi!(event);
        if let Some(event) = released {
            emit_cpi!(event);
        }
        Ok(())
    }
}
