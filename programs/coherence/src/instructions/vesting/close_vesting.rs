//! Beneficiary: close a schedule that owes nothing more (fully claimed, or
//! revoked or expired and its vested part claimed); the rent returns to the
//! beneficiary. A fully claimed usage-gated schedule gives its rate back to
//! the engine's usage budget here (until then it keeps holding it, the
//! strict side; after `end + grace` anyone can release it with
//! `expire_vesting`). Ids come from a counter, so a closed schedule's
//! address is never reused.

use crate::errors::CoherenceError;
use crate::events::VestingClosed;
use crate::state::{Engine, VestingSchedule};
use crate::support::event_cpi;
use crate::support::vesting_exit::release_budget;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct CloseVesting<'info> {
    #[account(mut)]
    pub beneficiary: Signer<'info>,
    #[account(mut, dup)]
    pub engine: Box<Account<'info, Engine>>,
    #[account(
        mut, dup,
        close = beneficiary,
        has_one = beneficiary @ CoherenceError::NotBeneficiary,
        has_one = engine @ CoherenceError::EngineMismatch,
    )]
    pub vesting: Box<Account<'info, VestingSchedule>>,
}

impl CloseVesting<'_> {
    fn validate(&self) -> Result<()> {
        let v = &self.vesting;
        let owed_total = v.final_amount()?.unwrap_or(v.total);
        require!(v.claimed >= owed_total, CoherenceError::ScheduleNotEmpty);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn close_vesting(ctx: Context<Self>) -> Result<()> {
        let a = &mut *ctx.accounts;
        let released = release_budget(&mut a.engine, &mut a.vesting)?;
        let event = VestingClosed { vesting: a.vesting.key(), beneficiary: a.beneficiary.key() };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        if let Some(event) = released {
            event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        }
        Ok(())
    }
}
