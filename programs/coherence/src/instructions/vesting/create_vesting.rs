//! Authority: fund a vesting schedule for a beneficiary from the treasury
//! (I5). The schedule's cliff and duration must be at least the engine's
//! minimums, and it may not start in the past (a back-dated start would
//! release tokens without waiting out the cliff).
//!
//! With `usage_rate_bps > 0` the schedule is usage-gated (DESIGN §4.5b): it
//! vests `min(time_vested, rate · U)` and takes `rate` from the engine's
//! usage budget, which must keep `α + Σ rate ≤ 100 %` (`UsageBudgetExceeded`).
//! `U` counts only usage paid after creation: the remaining accounts are the
//! engine's usage shards (all, in index order), whose open epochs' usage is
//! added to the snapshot. A time-only schedule draws its `total` from the
//! engine's time-only budget instead (`TimeOnlyBudgetExceeded`).

use crate::constants::VESTING_VERSION;
use crate::errors::CoherenceError;
use crate::events::VestingCreated;
use crate::math::params::{check_usage_budget, validate_usage_gate};
use crate::math::vesting::Curve;
use crate::math::SafeMath;
use crate::state::{seeds, Engine, UsageShard, VestingSchedule};
use crate::support::event_cpi;
use crate::support::pda_init::init_program_account;
use crate::support::token_cpi::transfer_from_vault;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreateVestingArgs {
    pub beneficiary: Pubkey,
    /// Tokens committed, base units.
    pub total: u64,
    pub start: i64,
    pub cliff: i64,
    pub end: i64,
    /// Seconds per unlock step; 0 = linear.
    pub period: u64,
    pub revocable: bool,
    /// 0 = time-only; otherwise base units unlocked per 10 000 base units
    /// of usage burned in epochs closed after creation.
    pub usage_rate_bps: u16,
    /// Gated schedules only (0 otherwise): seconds after `end` before an
    /// unfinished schedule can be expired.
    pub grace_secs: u32,
}

impl CreateVestingArgs {
    pub fn curve(&self) -> Curve {
        Curve { total: self.total, start: self.start, cliff: self.cliff, end: self.end, period: self.period }
    }
}

#[event_cpi]
#[derive(Accounts)]
pub struct CreateVesting<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub authority: Signer<'info>,
    #[account(
        mut, dup,
        has_one = authority @ CoherenceError::NotAuthority,
        has_one = mint @ CoherenceError::WrongMint,
        has_one = treasury @ CoherenceError::EngineMismatch,
        has_one = vesting_vault @ CoherenceError::EngineMismatch,
    )]
    pub engine: Box<Account<'info, Engine>>,
    /// CHECK: created here at `["vesting", engine, engine.vesting_count]`.
    #[account(mut, seeds = [seeds::VESTING, engine.key().as_ref(), &engine.vesting_count.to_le_bytes()], bump)]
    pub vesting: UncheckedAccount<'info>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, dup)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = vesting_vault.key() != treasury.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub vesting_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl CreateVesting<'_> {
    fn validate(&self, args: &CreateVestingArgs) -> Result<()> {
        let p = &self.engine.params;
        args.curve().validate(p.min_vesting_cliff, p.min_vesting_duration)?;
        require!(args.start >= Clock::get()?.unix_timestamp, CoherenceError::VestingStartInPast);
        require!(self.treasury.amount >= args.total, CoherenceError::InsufficientTreasury);
        validate_usage_gate(args.usage_rate_bps, args.grace_secs)?;
        if args.usage_rate_bps > 0 {
            let gated = u64::from(self.engine.gated_rate_bps).safe_add(u64::from(args.usage_rate_bps))?;
            check_usage_budget(self.engine.budget_alpha_bps(), gated)?;
        } else {
            require!(args.total <= self.engine.time_only_room()?, CoherenceError::TimeOnlyBudgetExceeded);
        }
        Ok(())
    }

    /// Usage paid so far, the gated schedule's snapshot: what closed epochs
    /// burned plus what the shards hold for epochs not closed yet.
    fn usage_paid(&self, shards: &[AccountInfo]) -> Result<u128> {
        let engine = &self.engine;
        let open = UsageShard::load_all(&engine.key(), engine.usage_shards, shards)?
            .iter()
            .fold(0u128, |sum, shard| sum.saturating_add(u128::from(shard.open_usage(engine.next_epoch))));
        Ok(engine.total_usage_burned.saturating_add(open))
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn create_vesting(ctx: Context<Self>, args: CreateVestingArgs) -> Result<()> {
        let usage_snapshot = match args.usage_rate_bps {
            0 => ctx.accounts.engine.total_usage_burned,
            _ => ctx.accounts.usage_paid(ctx.remaining_accounts)?,
        };
        let a = &mut *ctx.accounts;
        a.engine.upgrade();
        let id = a.engine.vesting_count;
        let engine_key = a.engine.key();
        let schedule = VestingSchedule {
            version: VESTING_VERSION,
            bump: ctx.bumps.vesting,
            engine: engine_key,
            id,
            beneficiary: args.beneficiary,
            total: args.total,
            claimed: 0,
            start: args.start,
            cliff: args.cliff,
            end: args.end,
            period: args.period,
            revocable: args.revocable,
            revoked_at: 0,
            usage_rate_bps: args.usage_rate_bps,
            usage_snapshot,
            grace_secs: args.grace_secs,
            frozen_vested: 0,
            holds_budget: args.usage_rate_bps > 0,
            reserved: [0; 1],
        };
        let id_bytes = id.to_le_bytes();
        let vesting_seeds: &[&[u8]] = &[seeds::VESTING, engine_key.as_ref(), &id_bytes, &[ctx.bumps.vesting]];
        init_program_account(
            &a.payer.to_account_info(),
            &a.vesting,
            &a.system_program.to_account_info(),
            vesting_seeds,
            &schedule,
        )?;
        transfer_from_vault(&*a.engine, &a.token_program, &a.mint, &a.treasury, &a.vesting_vault, args.total)?;
        a.engine.vesting_count = id.safe_add(1)?;
        a.engine.gated_rate_bps = a.engine.gated_rate_bps.safe_add(args.usage_rate_bps)?;
        if args.usage_rate_bps == 0 {
            a.engine.time_only_used = a.engine.time_only_used.safe_add(args.total)?;
        }
        a.treasury.reload()?;
        let event = VestingCreated {
            engine: engine_key,
            vesting: a.vesting.key(),
            id,
            beneficiary: args.beneficiary,
            total: args.total,
            start: args.start,
            cliff: args.cliff,
            end: args.end,
            period: args.period,
            revocable: args.revocable,
            usage_rate_bps: args.usage_rate_bps,
            usage_snapshot: schedule.usage_snapshot,
            grace_secs: args.grace_secs,
            gated_rate_bps: a.engine.gated_rate_bps,
            treasury_balance: a.treasury.amount,
            time_only_used: a.engine.time_only_used,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
