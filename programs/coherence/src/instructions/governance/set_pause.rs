//! Authority: pause or resume. Pause stops new stakes, usage and emission; it never
//! blocks claiming vested tokens, claiming rewards, unbonding or withdrawing
//! an unlocked position (I7).

use crate::errors::CoherenceError;
use crate::events::PauseSet;
use crate::state::Engine;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct SetPause<'info> {
    pub authority: Signer<'info>,
    #[account(mut, dup, has_one = authority @ CoherenceError::NotAuthority)]
    pub engine: Box<Account<'info, Engine>>,
}

impl SetPause<'_> {
    pub fn set_pause(ctx: Context<Self>, paused: bool) -> Result<()> {
        let engine = &mut ctx.accounts.engine;
        engine.paused = paused;
        let event = PauseSet { engine: engine.key(), paused };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
