//! Owner: withdraw the principal of a position whose unbonding has run its
//! full lock. Allowed while paused (I7); locked positions cannot be withdrawn
//! early by anyone (I6). While the engine's holders vote, not while the owner
//! has a vote unrelinquished (DESIGN §9.4).

use crate::errors::CoherenceError;
use crate::events::PositionWithdrawn;
use crate::math::SafeMath;
use crate::state::{seeds, EngineView, Position, StakePool, Vaults};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_vault;
use crate::support::token_layout::{Mint, TokenAccount};
use crate::support::voting_lock::check_no_open_votes;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub owner: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = stake_vault @ CoherenceError::EngineMismatch)]
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
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        mut, dup,
        constraint = destination.key() != stake_vault.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
        constraint = destination.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = destination.owner == owner.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub destination: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
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

impl Withdraw<'_> {
    fn validate(&self) -> Result<()> {
        let position = &self.position;
        require!(position.is_unbonding(), CoherenceError::PositionNotUnbonding);
        let ready = position.withdrawable_at().ok_or(CoherenceError::MathOverflow)?;
        require!(Clock::get()?.unix_timestamp >= ready, CoherenceError::StillLocked);
        require!(position.principal > 0, CoherenceError::NothingToClaim);
        let record = self.token_owner_record.as_ref().map(|r| r.to_account_info());
        check_no_open_votes(&self.engine, &self.owner.key(), record.as_ref())?;
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn withdraw(ctx: Context<Self>) -> Result<()> {
        let a = &mut *ctx.accounts;
        let amount = a.position.principal;
        a.position.principal = 0;
        a.stake_pool.total_principal = a.stake_pool.total_principal.safe_sub(amount)?;
        transfer_from_vault(&*a.engine, &a.token_program, &a.mint, &a.stake_vault, &a.destination, amount)?;
        let event =
            PositionWithdrawn { position: a.position.key(), amount, total_principal: a.stake_pool.total_principal };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
