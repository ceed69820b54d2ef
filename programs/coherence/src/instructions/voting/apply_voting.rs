//! Anyone: apply the pending voting configuration (voting step 2) once the
//! timelock has elapsed. From then on the engine is version 4: it knows its
//! realm, so exits check the owner's votes there (DESIGN §9.4), and the
//! registrar's max voter weight is what `update_max_voter_weight_record`
//! writes.

use crate::constants::ENGINE_VOTING_VERSION;
use crate::errors::CoherenceError;
use crate::events::VotingApplied;
use crate::state::{seeds, Engine, Registrar};
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct ApplyVoting<'info> {
    #[account(mut, dup)]
    pub engine: Box<Account<'info, Engine>>,
    #[account(
        mut, dup,
        seeds = [seeds::REGISTRAR, engine.key().as_ref()],
        bump = registrar.bump,
        has_one = engine @ CoherenceError::EngineMismatch,
    )]
    pub registrar: Box<Account<'info, Registrar>>,
}

impl ApplyVoting<'_> {
    fn validate(&self) -> Result<()> {
        let pending = self.registrar.pending.ok_or(CoherenceError::NoPendingVoting)?;
        require!(Clock::get()?.unix_timestamp >= self.registrar.pending_eta, CoherenceError::TimelockNotElapsed);
        pending.validate()?;
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn apply_voting(ctx: Context<Self>) -> Result<()> {
        let a = &mut *ctx.accounts;
        let config = a.registrar.pending.take().ok_or(CoherenceError::NoPendingVoting)?;
        a.registrar.config = Some(config);
        a.registrar.pending_eta = 0;
        let engine = &mut a.engine;
        engine.upgrade();
        engine.version = ENGINE_VOTING_VERSION;
        engine.voting_realm = config.realm;
        engine.voting_program = config.governance_program;
        let event = VotingApplied { engine: engine.key(), config };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
