//! Authority: withdraw a pending parameter proposal.

use crate::errors::CoherenceError;
use crate::events::ParamsCancelled;
use crate::state::Engine;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct CancelParams<'info> {
    pub authority: Signer<'info>,
    #[account(mut, dup, has_one = authority @ CoherenceError::NotAuthority)]
    pub engine: Box<Account<'info, Engine>>,
}

impl CancelParams<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.engine.pending_params.is_some(), CoherenceError::NoPendingParams);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn cancel_params(ctx: Context<Self>) -> Result<()> {
        let engine = &mut ctx.accounts.engine;
        engine.pending_params = None;
        engine.pending_eta = 0;
        let event = ParamsCancelled { engine: engine.key() };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
