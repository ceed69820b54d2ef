//! Owner: close a position with no principal and no unclaimed rewards; the
//! rent returns to the owner. Re-opening the same id later starts from the
//! pool's current accumulator, so it cannot claim anything twice.

use crate::errors::CoherenceError;
use crate::events::PositionClosed;
use crate::math::SafeMath;
use crate::state::{Engine, Position, StakePool};
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct ClosePosition<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    pub engine: Box<Account<'info, Engine>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    #[account(
        mut, dup,
        close = owner,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = owner @ CoherenceError::NotPositionOwner,
    )]
    pub position: Box<Account<'info, Position>>,
}

impl ClosePosition<'_> {
    fn validate(&self) -> Result<()> {
        let p = &self.position;
        require!(p.principal == 0 && p.pending_reward == 0 && p.weight == 0, CoherenceError::PositionNotEmpty);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn close_position(ctx: Context<Self>) -> Result<()> {
        let pool = &mut ctx.accounts.stake_pool;
        pool.positions = pool.positions.safe_sub(1)?;
        let event = PositionClosed { position: ctx.accounts.position.key(), owner: ctx.accounts.owner.key() };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
