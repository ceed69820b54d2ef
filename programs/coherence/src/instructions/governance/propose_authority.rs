//! Authority: name the next authority (authority transfer step 1). Nothing changes until
//! that key signs `accept_authority`.

use crate::errors::CoherenceError;
use crate::events::AuthorityProposed;
use crate::state::Engine;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    pub authority: Signer<'info>,
    #[account(mut, dup, has_one = authority @ CoherenceError::NotAuthority)]
    pub engine: Box<Account<'info, Engine>>,
}

impl ProposeAuthority<'_> {
    pub fn propose_authority(ctx: Context<Self>, new_authority: Pubkey) -> Result<()> {
        let engine = &mut ctx.accounts.engine;
        engine.pending_authority = Some(new_authority);
        let event =
            AuthorityProposed { engine: engine.key(), authority: engine.authority, pending_authority: new_authority };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
