//! Anyone: add tokens to the treasury (e.g. the genesis allocation minted
//! before the mint authority was handed to the engine). Tokens leave the
//! treasury only through vesting schedules (I5).

use crate::errors::CoherenceError;
use crate::events::TreasuryDeposited;
use crate::state::{EngineView, Vaults};
use crate::support::event_cpi;
use crate::support::token_cpi::transfer_from_user;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
pub struct DepositTreasury<'info> {
    pub depositor: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = treasury @ CoherenceError::EngineMismatch)]
    pub engine: Box<InterfaceAccount<'info, EngineView<Vaults>>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        mut, dup,
        constraint = from.mint == engine.mint @ CoherenceError::WrongMint,
        constraint = from.owner == depositor.key() @ CoherenceError::WrongTokenOwner,
    )]
    pub from: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = treasury.key() != from.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
}

impl DepositTreasury<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, CoherenceError::ZeroAmount);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(amount))]
    pub fn deposit_treasury(ctx: Context<Self>, amount: u64) -> Result<()> {
        let a = &mut *ctx.accounts;
        transfer_from_user(&a.depositor, &a.token_program, &a.mint, &a.from, &a.treasury.to_account_info(), amount)?;
        a.treasury.reload()?;
        let event = TreasuryDeposited {
            engine: a.engine.key(),
            depositor: a.depositor.key(),
            amount,
            treasury_balance: a.treasury.amount,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
