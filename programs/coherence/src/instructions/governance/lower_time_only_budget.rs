//! Authority: lower the engine's time-only budget, the most that time-only
//! vesting may ever commit. It never rises (`TimeOnlyBudgetCannotRise`), and
//! never goes below what time-only schedules already committed
//! (`TimeOnlyBudgetBelowUsed`): the value that can accrue without usage only
//! shrinks after genesis. No timelock: lowering only binds the authority.

use crate::errors::CoherenceError;
use crate::events::TimeOnlyBudgetLowered;
use crate::state::Engine;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct LowerTimeOnlyBudget<'info> {
    pub authority: Signer<'info>,
    #[account(mut, dup, has_one = authority @ CoherenceError::NotAuthority)]
    pub engine: Box<Account<'info, Engine>>,
}

impl LowerTimeOnlyBudget<'_> {
    fn validate(&self, budget: u64) -> Result<()> {
        let engine = &self.engine;
        require!(engine.time_only_synced, CoherenceError::TimeOnlyBudgetNotSynced);
        require!(budget <= engine.time_only_budget, CoherenceError::TimeOnlyBudgetCannotRise);
        require!(budget >= engine.time_only_used, CoherenceError::TimeOnlyBudgetBelowUsed);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(budget))]
    pub fn lower_time_only_budget(ctx: Context<Self>, budget: u64) -> Result<()> {
        let engine = &mut ctx.accounts.engine;
        engine.upgrade();
        engine.time_only_budget = budget;
        let event = TimeOnlyBudgetLowered {
            engine: engine.key(),
            time_only_budget: budget,
            time_only_used: engine.time_only_used,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
