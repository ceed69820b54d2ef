//! Owner: start unbonding. Rewards are settled up to now; from now on the
//! position has weight 0 (earns nothing) and becomes withdrawable at
//! `unbond_start + lock_secs`. Allowed while paused (I7). While the engine's
//! holders vote, not while the owner has a vote unrelinquished (DESIGN §9.4).

use crate::errors::CoherenceError;
use crate::events::UnbondStarted;
use crate::state::{seeds, EngineView, Position, StakePool, Vaults};
use crate::support::event_cpi;
use crate::support::voting_lock::check_no_open_votes;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct StartUnbond<'info> {
    pub owner: Signer<'info>,
    pub engine: Box<InterfaceAccount<'info, EngineView<Vaults>>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    #[account(
        mut, dup,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = owner @ CoherenceError::NotPositionOwner,
    )]
    pub position: Box<Account<'info, Position>>,
    /// The owner's SPL Governance `TokenOwnerRecord` in the engine's realm:
    /// required while the engine's holders vote, omitted otherwise.
    /// CHECK: address fixed by seeds; owner, type, fields and counters read
    /// by `support::voting_lock`.
    #[account(
        seeds = [seeds::GOVERNANCE, engine.voting_realm.as_ref(), engine.mint.as_ref(), owner.key().as_ref()],
        seeds::program = engine.voting_program,
        bump,
    )]
    pub token_owner_record: Option<UncheckedAccount<'info>>,
}

impl StartUnbond<'_> {
    fn validate(&self) -> Result<()> {
        require!(!self.position.is_unbonding(), CoherenceError::PositionUnbonding);
        let record = self.token_owner_record.as_ref().map(|r| r.to_account_info());
        check_no_open_votes(&self.engine, &self.owner.key(), record.as_ref())?;
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
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
