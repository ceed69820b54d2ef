//! Owner: start unbonding. Rewards are settled up to now; from now on the
//! position has weight 0 (earns nothing) and becomes withdrawable at
//! `unbond_start + lock_secs`. Allowed while paused (I7).

use crate::errors::CoherenceError;
use crate::events::UnbondStarted;
use crate::state::{Engine, Position, StakePool};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct StartUnbond<'info> {
    pub owner: Signer<'info>,
    pub engine: Box<Account<'info, Engine>>,
    #[account(mut, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    #[account(
        mut,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = owner @ CoherenceError::NotPositionOwner,
    )]
    pub position: Box<Account<'info, Position>>,
}

impl StartUnbond<'_> {
    fn validate(&self) -> Result<()> {
        require!(!self.position.is_unbonding(), CoherenceError::PositionUnbonding);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn start_unbond(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        let pool = &mut a.stake_pool;
        let position = &mut a.position;
        pool.stream.accrue(now)?;
        position.settle(pool.stream.acc)?;
        pool.stream.remove_weight(position.weight)?;
        position.weight = 0;
        position.unbond_start = now;

        let event = UnbondStarted {
            position: a.position.key(),
            unbond_start: now,
            withdrawable_at: a.position.withdrawable_at().ok_or(CoherenceError::MathOverflow)?,
            total_weight: a.stake_pool.stream.total_weight,
        };
        emit_cpi!(event);
        Ok(())
    }
}
