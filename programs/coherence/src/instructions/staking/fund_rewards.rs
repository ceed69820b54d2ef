//! Anyone: add tokens to the stakers' reward stream. A running stream absorbs
//! them over its remaining time (its end never moves, so tiny deposits cannot
//! stretch it); otherwise a new stream of `epoch_secs` starts.

use crate::errors::CoherenceError;
use crate::events::RewardsFunded;
use crate::state::{EngineView, StakePool, Vaults};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_user;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct FundRewards<'info> {
    pub funder: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = reward_vault @ CoherenceError::EngineMismatch)]
    pub engine: Box<InterfaceAccount<'info, EngineView<Vaults>>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut, dup,
        constraint = from.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = from.owner == funder.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub from: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = reward_vault.key() != from.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl FundRewards<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, CoherenceError::ZeroAmount);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(amount))]
    pub fn fund_rewards(ctx: Context<Self>, amount: u64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        transfer_from_user(&a.funder, &a.token_program, &a.mint, &a.from, &a.reward_vault.to_account_info(), amount)?;
        a.stake_pool.stream.fund(amount, now, a.engine.epoch_secs)?;
        let event = RewardsFunded {
            engine: a.engine.key(),
            funder: a.funder.key(),
            amount,
            stream_remaining: a.stake_pool.stream.remaining(),
            stream_end: a.stake_pool.stream.end,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
