//! Beneficiary: close a schedule that owes nothing more (fully claimed, or
//! revoked and its vested part claimed); the rent returns to the beneficiary.
//! Ids come from a counter, so a closed schedule's address is never reused.

use crate::errors::CoherenceError;
use crate::events::VestingClosed;
use crate::state::VestingSchedule;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct CloseVesting<'info> {
    #[account(mut)]
    pub beneficiary: Signer<'info>,
    #[account(mut, close = beneficiary, has_one = beneficiary @ CoherenceError::NotBeneficiary)]
    pub vesting: Box<Account<'info, VestingSchedule>>,
}

impl CloseVesting<'_> {
    fn validate(&self) -> Result<()> {
        let v = &self.vesting;
        let owed_total = v.final_amount()?.unwrap_or(v.total);
        // A schedule that still holds usage budget is still vesting.
        require!(v.claimed >= owed_total && !v.holds_budget, CoherenceError::ScheduleNotEmpty);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn close_vesting(ctx: Context<Self>) -> Result<()> {
        let event = VestingClosed { vesting: ctx.accounts.vesting.key(), beneficiary: ctx.accounts.beneficiary.key() };
        emit_cpi!(event);
        Ok(())
    }
}
