//! Owner: claim the position's earned rewards, or restake them into the
//! (locked) position. Claiming is never blocked by pause (I7); restaking is a
//! new stake and is.

use crate::errors::CoherenceError;
use crate::events::RewardsClaimed;
use crate::math::SafeMath;
use crate::state::{EngineView, Position, StakePool, Vaults};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_vault;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimRewards<'info> {
    pub owner: Signer<'info>,
    #[account(
        has_one = mint @ CoherenceError::WrongMint,
        has_one = reward_vault @ CoherenceError::EngineMismatch,
        has_one = stake_vault @ CoherenceError::EngineMismatch,
    )]
    pub engine: Box<InterfaceAccount<'info, EngineView<Vaults>>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    #[account(
        mut, dup,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = owner @ CoherenceError::NotPositionOwner,
    )]
    pub position: Box<Account<'info, Position>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, dup)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = stake_vault.key() != reward_vault.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        constraint = destination.key() != reward_vault.key() && destination.key() != stake_vault.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
        constraint = destination.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = destination.owner == owner.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl ClaimRewards<'_> {
    fn validate(&self, restake: bool) -> Result<()> {
        if restake {
            require!(!self.engine.paused, CoherenceError::Paused);
            require!(!self.position.is_unbonding(), CoherenceError::PositionUnbonding);
        }
        Ok(())
    }

    #[access_control(ctx.accounts.validate(restake))]
    pub fn claim_rewards(ctx: Context<Self>, restake: bool) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        a.stake_pool.stream.accrue(now)?;
        a.position.settle(a.stake_pool.stream.acc)?;
        let amount = a.position.pending_reward;
        require!(amount > 0, CoherenceError::NothingToClaim);
        a.position.pending_reward = 0;

        if restake {
            // Already settled to now above, so re-weighting settles nothing more.
            a.stake_pool.reweight(&mut a.position, &a.engine.params, now, |p| {
                p.principal = p.principal.safe_add(amount)?;
                Ok(())
            })?;
            a.stake_pool.total_principal = a.stake_pool.total_principal.safe_add(amount)?;
            transfer_from_vault(&*a.engine, &a.token_program, &a.mint, &a.reward_vault, &a.stake_vault, amount)?;
        } else {
            transfer_from_vault(&*a.engine, &a.token_program, &a.mint, &a.reward_vault, &a.destination, amount)?;
        }
        let event = RewardsClaimed { position: a.position.key(), owner: a.owner.key(), amount, restaked: restake };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
