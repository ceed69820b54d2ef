//! Owner: add principal to a locked position. Rewards are settled first at the
//! old weight; the lock stays the same.

use crate::errors::CoherenceError;
use crate::events::PositionIncreased;
use crate::math::SafeMath;
use crate::state::{EngineView, Position, StakePool};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_user;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct AddToPosition<'info> {
    pub owner: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = stake_vault @ CoherenceError::EngineMismatch)]
    pub engine: Box<InterfaceAccount<'info, EngineView>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    #[account(
        mut, dup,
        has_one = engine @ CoherenceError::EngineMismatch,
        has_one = owner @ CoherenceError::NotPositionOwner,
    )]
    pub position: Box<Account<'info, Position>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut, dup,
        constraint = from.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = from.owner == owner.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub from: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = stake_vault.key() != from.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl AddToPosition<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(!self.engine.paused, CoherenceError::Paused);
        require!(amount > 0, CoherenceError::ZeroAmount);
        require!(!self.position.is_unbonding(), CoherenceError::PositionUnbonding);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(amount))]
    pub fn add_to_position(ctx: Context<Self>, amount: u64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        a.stake_pool.reweight(&mut a.position, &a.engine.params, now, |p| {
            p.principal = p.principal.safe_add(amount)?;
            Ok(())
        })?;
        a.stake_pool.total_principal = a.stake_pool.total_principal.safe_add(amount)?;
        transfer_from_user(&a.owner, &a.token_program, &a.mint, &a.from, &a.stake_vault.to_account_info(), amount)?;

        let event = PositionIncreased {
            position: a.position.key(),
            amount,
            principal: a.position.principal,
            weight: a.position.weight,
            total_weight: a.stake_pool.stream.total_weight,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
