//! Authority: propose new parameters (governance step 1). They take effect only through
//! `apply_params`, after the *current* `timelock_secs` (I9).

use crate::errors::CoherenceError;
use crate::events::ParamsProposed;
use crate::math::params::{check_usage_budget, validate_params};
use crate::math::Params;
use crate::state::Engine;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct ProposeParams<'info> {
    pub authority: Signer<'info>,
    #[account(mut, dup, has_one = authority @ CoherenceError::NotAuthority)]
    pub engine: Box<Account<'info, Engine>>,
}

impl ProposeParams<'_> {
    fn validate(&self, params: &Params) -> Result<()> {
        validate_params(params, self.engine.epoch_secs, self.engine.max_supply)?;
        // Refused now rather than at apply: α + Σ rate of gated schedules ≤ 100 %.
        check_usage_budget(params.alpha_bps, u64::from(self.engine.gated_rate_bps))?;
        Ok(())
    }

    /// Replaces any earlier proposal; its timelock restarts.
    #[access_control(ctx.accounts.validate(&params))]
    pub fn propose_params(ctx: Context<Self>, params: Params) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let engine = &mut ctx.accounts.engine;
        let delay = i64::try_from(engine.params.timelock_secs).map_err(|_| CoherenceError::CastOverflow)?;
        let eta = now.checked_add(delay).ok_or(CoherenceError::MathOverflow)?;
        engine.pending_params = Some(params);
        engine.pending_eta = eta;
        let event = ParamsProposed { engine: engine.key(), params, eta };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
