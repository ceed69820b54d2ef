//! Shared by the instructions that stop a schedule or take it out of the
//! usage budget (and, for a time-only schedule, give its unvested part back
//! to the time-only budget): `revoke_vesting` and `expire_vesting` stop it,
//! `close_vesting` releases a finished one's budget (DESIGN §4.5b).

use crate::events::UsageBudgetReleased;
use crate::state::{Engine, VestingSchedule};
use crate::support::token_cpi::transfer_from_vault;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

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
    if engine.counts_time_only(vesting) {
        // The part that never vested goes back to the time-only budget.
        engine.release_time_only(returned);
    }
    let released = release_budget(engine, vesting)?;
    transfer_from_vault(engine, token_program, mint, vesting_vault, treasury, returned)?;
    Ok((vested, returned, released))
}

/// Gives a schedule's rate back to the engine's usage budget if it still
/// holds it (finished, revoked or expired); the event to emit if so.
pub fn release_budget(
    engine: &mut Account<Engine>,
    vesting: &mut Account<VestingSchedule>,
) -> Result<Option<UsageBudgetReleased>> {
    let Some(rate_bps) = vesting.take_budget() else { return Ok(None) };
    engine.release_budget(rate_bps);
    Ok(Some(UsageBudgetReleased {
        engine: engine.key(),
        vesting: vesting.key(),
        rate_bps,
        gated_rate_bps: engine.gated_rate_bps,
    }))
}
