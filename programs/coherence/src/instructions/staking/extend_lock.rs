//! Owner: lengthen a locked position's constant lock (more boost). Rewards are
//! settled first at the old weight.

use crate::errors::CoherenceError;
use crate::events::LockExtended;
use crate::state::{EngineView, Position, StakePool};
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct ExtendLock<'info> {
    pub owner: Signer<'info>,
    pub engine: Box<InterfaceAccount<'info, EngineView>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    #[account(
        mut, dup,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = owner @ CoherenceError::NotPositionOwner,
    )]
    pub position: Box<Account<'info, Position>>,
}

impl ExtendLock<'_> {
    fn validate(&self, lock_secs: u64) -> Result<()> {
        require!(!self.engine.paused, CoherenceError::Paused);
        require!(!self.position.is_unbonding(), CoherenceError::PositionUnbonding);
        require!(lock_secs > self.position.lock_secs, CoherenceError::LockNotExtended);
        require!(lock_secs <= self.engine.params.max_lock, CoherenceError::LockOutOfBounds);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(lock_secs))]
    pub fn extend_lock(ctx: Context<Self>, lock_secs: u64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        a.stake_pool.reweight(&mut a.position, &a.engine.params, now, |p| {
            p.lock_secs = lock_secs;
            Ok(())
        })?;

        let event = LockExtended {
            position: a.position.key(),
            lock_secs,
            weight: a.position.weight,
            total_weight: a.stake_pool.stream.total_weight,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
