//! Owner: lock `amount` for a constant `lock_secs` (min_lock ≤ D ≤ max_lock).
//! Weight = amount × (1 + boost × D / max_lock). The pool accrues first, so
//! the new weight earns only from this second on (I6).

use crate::constants::ACCOUNT_VERSION;
use crate::errors::CoherenceError;
use crate::events::PositionOpened;
use crate::math::stake::weight;
use crate::math::SafeMath;
use crate::state::{seeds, EngineView, Position, StakePool};
use crate::support::event_cpi;
use crate::support::pda_init::init_program_account;
use crate::support::token_cpi::transfer_from_user;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
#[instruction(id: u64)]
pub struct OpenPosition<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(has_one = mint @ CoherenceError::WrongMint, has_one = stake_vault @ CoherenceError::EngineMismatch)]
    pub engine: Box<InterfaceAccount<'info, EngineView>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    /// CHECK: created here at `["position", engine, owner, id]`.
    #[account(mut, seeds = [seeds::POSITION, engine.key().as_ref(), owner.key().as_ref(), &id.to_le_bytes()], bump)]
    pub position: UncheckedAccount<'info>,
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
    pub system_program: Program<'info, System>,
}

impl OpenPosition<'_> {
    fn validate(&self, amount: u64, lock_secs: u64) -> Result<()> {
        let p = &self.engine.params;
        require!(!self.engine.paused, CoherenceError::Paused);
        require!(amount > 0, CoherenceError::ZeroAmount);
        require!((p.min_lock..=p.max_lock).contains(&lock_secs), CoherenceError::LockOutOfBounds);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(amount, lock_secs))]
    pub fn open_position(ctx: Context<Self>, id: u64, amount: u64, lock_secs: u64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &mut *ctx.accounts;
        let (engine_key, owner_key) = (a.engine.key(), a.owner.key());
        let params = a.engine.params;
        let pool = &mut a.stake_pool;
        pool.stream.accrue(now)?;
        let w = weight(amount, lock_secs, params.max_lock, params.max_boost_bps)?;
        pool.stream.add_weight(w)?;
        pool.total_principal = pool.total_principal.safe_add(amount)?;
        pool.positions = pool.positions.safe_add(1)?;

        let position = Position {
            version: ACCOUNT_VERSION,
            bump: ctx.bumps.position,
            engine: engine_key,
            owner: owner_key,
            id,
            principal: amount,
            lock_secs,
            weight: w,
            acc_snapshot: pool.stream.acc,
            pending_reward: 0,
            unbond_start: 0,
            opened_at: now,
            reserved: [0; 32],
        };
        let id_bytes = id.to_le_bytes();
        let position_seeds: &[&[u8]] =
            &[seeds::POSITION, engine_key.as_ref(), owner_key.as_ref(), &id_bytes, &[ctx.bumps.position]];
        init_program_account(
            &a.owner.to_account_info(),
            &a.position,
            &a.system_program.to_account_info(),
            position_seeds,
            &position,
        )?;
        transfer_from_user(&a.owner, &a.token_program, &a.mint, &a.from, &a.stake_vault.to_account_info(), amount)?;

        let event = PositionOpened {
            engine: engine_key,
            position: a.position.key(),
            owner: owner_key,
            id,
            amount,
            lock_secs,
            weight: w,
            total_weight: a.stake_pool.stream.total_weight,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
