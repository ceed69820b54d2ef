//! Pending authority: take over the engine (authority transfer step 2): the
//! proposed key signs.

use crate::errors::CoherenceError;
use crate::events::AuthorityAccepted;
use crate::state::Engine;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    pub new_authority: Signer<'info>,
    #[account(mut, dup)]
    pub engine: Box<Account<'info, Engine>>,
}

impl AcceptAuthority<'_> {
    fn validate(&self) -> Result<()> {
        let pending = self.engine.pending_authority.ok_or(CoherenceError::NoPendingAuthority)?;
        require_keys_eq!(pending, self.new_authority.key(), CoherenceError::NotPendingAuthority);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn accept_authority(ctx: Context<Self>) -> Result<()> {
        let new_authority = ctx.accounts.new_authority.key();
        let engine = &mut ctx.accounts.engine;
        let previous = engine.authority;
        engine.authority = new_authority;
        engine.pending_authority = None;
        let event = AuthorityAccepted { engine: engine.key(), previous, authority: new_authority };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
