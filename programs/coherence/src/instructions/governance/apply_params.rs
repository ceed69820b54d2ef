//! Anyone: apply pending parameters (governance step 2) once the
//! timelock has elapsed. The running emission cap can only go down here, and
//! α may not rise above what the usage budget leaves (`α + Σ rate ≤ 100 %`).

use crate::errors::CoherenceError;
use crate::events::ParamsApplied;
use crate::math::params::{check_usage_budget, validate_params};
use crate::state::Engine;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct ApplyParams<'info> {
    #[account(mut, dup)]
    pub engine: Box<Account<'info, Engine>>,
}

impl ApplyParams<'_> {
    fn validate(&self) -> Result<()> {
        let engine = &self.engine;
        let pending = engine.pending_params.ok_or(CoherenceError::NoPendingParams)?;
        require!(Clock::get()?.unix_timestamp >= engine.pending_eta, CoherenceError::TimelockNotElapsed);
        // Bounds are compiled in; re-check so no stored value can bypass them.
        validate_params(&pending, engine.epoch_secs, engine.max_supply)?;
        // Gated schedules may have taken budget since the proposal.
        check_usage_budget(pending.alpha_bps, u64::from(engine.gated_rate_bps))?;
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn apply_params(ctx: Context<Self>) -> Result<()> {
        let engine = &mut ctx.accounts.engine;
        let params = engine.pending_params.take().ok_or(CoherenceError::NoPendingParams)?;
        engine.params = params;
        engine.pending_eta = 0;
        engine.cap = engine.cap.min(params.cap);
        let event = ParamsApplied { engine: engine.key(), params, cap: engine.cap };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
