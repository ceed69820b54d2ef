//! Anyone: close epoch `epoch` once it has ended — strictly in order, exactly
//! once. Sums the usage shards and burns their escrows (passed as remaining
//! accounts: the shards in index order, then their escrows in the same
//! order), applies the usage gate, α, the decaying cap and max supply (pure
//! rule in `math::emission`, on the supply after the burn), moves the
//! baseline by the median of the last three epochs' usage, mints the
//! emission with the engine PDA and splits it: treasury, the epoch's
//! builders' pool, and a new stakers' reward stream. This is the only
//! instruction that mints (I1, I4) and the only one that burns usage.

use crate::constants::ACCOUNT_VERSION;
use crate::errors::CoherenceError;
use crate::events::EpochClosed;
use crate::math::emission::EpochClose;
use crate::math::SafeMath;
use crate::state::{seeds, Engine, EpochRecord, StakePool, UsageShard, UsageSlot};
use crate::support::event_cpi;
use crate::support::pda_init::init_program_account;
use crate::support::token_cpi::{burn_escrow, mint_to_vault};
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

#[event_cpi]
#[derive(Accounts)]
#[instruction(epoch: u64)]
pub struct CloseEpoch<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(
        mut, dup,
        has_one = mint @ CoherenceError::WrongMint,
        has_one = treasury @ CoherenceError::EngineMismatch,
        has_one = reward_vault @ CoherenceError::EngineMismatch,
        has_one = builder_vault @ CoherenceError::EngineMismatch,
    )]
    pub engine: Box<Account<'info, Engine>>,
    #[account(mut, dup, has_one = engine @ CoherenceError::EngineMismatch)]
    pub stake_pool: Box<Account<'info, StakePool>>,
    /// CHECK: created here at `["epoch", engine, epoch]`.
    #[account(mut, seeds = [seeds::EPOCH, engine.key().as_ref(), &epoch.to_le_bytes()], bump)]
    pub epoch_record: UncheckedAccount<'info>,
    #[account(mut, dup)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(mut, dup)]
    pub treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = reward_vault.key() != treasury.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub reward_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut, dup,
        constraint = builder_vault.key() != treasury.key() && builder_vault.key() != reward_vault.key() @ anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount)]
    pub builder_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(address = engine.token_program @ CoherenceError::WrongTokenProgram)]
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

/// The engine's shards' usage slots for `epoch`, and each shard's escrow
/// address, in shard order ([`UsageShard::load_all`] checks the accounts).
fn read_shards(engine: &Account<Engine>, shards: &[AccountInfo], epoch: u64) -> Result<(Vec<UsageSlot>, Vec<Pubkey>)> {
    let shards = UsageShard::load_all(&engine.key(), engine.usage_shards, shards)?;
    let mut slots = Vec::with_capacity(shards.len());
    let mut escrows = Vec::with_capacity(shards.len());
    for shard in shards {
        require!(shard.usage_escrow != Pubkey::default(), CoherenceError::ShardWithoutEscrow);
        slots.push(shard.usage_of(epoch));
        escrows.push(shard.usage_escrow);
    }
    Ok((slots, escrows))
}

/// The amount held by an escrow (a token account of either token program,
/// read by its layout: `support::token_layout`).
fn token_amount(info: &AccountInfo) -> Result<u64> {
    let data = info.try_borrow_data()?;
    let escrow = TokenAccount::read(&data).ok_or(CoherenceError::WrongShardAccounts)?;
    Ok(escrow.amount)
}

impl<'info> CloseEpoch<'info> {
    fn validate(&self, epoch: u64) -> Result<()> {
        let engine = &self.engine;
        require!(!engine.paused, CoherenceError::Paused);
        require!(epoch >= engine.next_epoch, CoherenceError::EpochAlreadyClosed);
        require!(epoch == engine.next_epoch, CoherenceError::EpochOutOfOrder);
        require!(engine.is_due(epoch, Clock::get()?.unix_timestamp), CoherenceError::EpochNotEnded);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(epoch))]
    pub fn close_epoch(ctx: Context<'info, Self>, epoch: u64) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let n = usize::from(ctx.accounts.engine.usage_shards);
        require!(ctx.remaining_accounts.len() == 2 * n, CoherenceError::WrongShardAccounts);
        let (shards, escrows) = ctx.remaining_accounts.split_at(n);
        let (slots, expected) = read_shards(&ctx.accounts.engine, shards, epoch)?;
        let a = &mut *ctx.accounts;
        a.engine.upgrade();
        // Burn every escrow in full: this epoch's usage, and whatever was
        // already paid into the next one (burned early, never late).
        let mut escrow_burned = 0u64;
        for (info, key) in escrows.iter().zip(&expected) {
            require_keys_eq!(info.key(), *key, CoherenceError::WrongShardAccounts);
            let amount = token_amount(info)?;
            if amount > 0 {
                burn_escrow(&a.engine, &a.token_program, &a.mint, info, amount)?;
                escrow_burned = escrow_burned.safe_add(amount)?;
            }
        }
        a.mint.reload()?;
        let engine_key = a.engine.key();
        let (baseline, cap, supply) = (a.engine.baseline, a.engine.cap, a.mint.supply);
        let EpochClose { usage, attributed, outcome, split } = a.engine.close_outcome(slots, supply)?;

        mint_to_vault(&a.engine, &a.token_program, &a.mint, &a.treasury, split.treasury)?;
        mint_to_vault(&a.engine, &a.token_program, &a.mint, &a.builder_vault, split.builders)?;
        mint_to_vault(&a.engine, &a.token_program, &a.mint, &a.reward_vault, split.stakers)?;
        let stream = &mut a.stake_pool.stream;
        if split.stakers > 0 || (!stream.is_running(now) && stream.undistributed > 0) {
            stream.restart(split.stakers, now, a.engine.epoch_secs)?;
        } else {
            stream.accrue(now)?;
        }

        let engine = &mut a.engine;
        engine.baseline = outcome.next_baseline;
        engine.recent_usage = outcome.next_recent;
        engine.cap = outcome.next_cap;
        engine.next_epoch = epoch.safe_add(1)?;
        // Statistics: saturating, so they can never block a close (lifetime
        // usage is not bounded by the supply; burned tokens are re-minted).
        engine.total_emitted = engine.total_emitted.saturating_add(u128::from(outcome.emission));
        engine.total_usage_burned = engine.total_usage_burned.saturating_add(u128::from(usage));

        let record = EpochRecord {
            version: ACCOUNT_VERSION,
            bump: ctx.bumps.epoch_record,
            engine: engine_key,
            epoch,
            usage,
            attributed,
            baseline,
            cap,
            supply_before: supply,
            gate_passed: outcome.passed,
            emission: outcome.emission,
            treasury_amount: split.treasury,
            builders_amount: split.builders,
            stakers_amount: split.stakers,
            closed_at: now,
            escrow_burned,
            baseline_input: outcome.baseline_input,
            reserved: [0; 16],
        };
        let epoch_bytes = epoch.to_le_bytes();
        let record_seeds: &[&[u8]] = &[seeds::EPOCH, engine_key.as_ref(), &epoch_bytes, &[ctx.bumps.epoch_record]];
        init_program_account(
            &a.payer.to_account_info(),
            &a.epoch_record,
            &a.system_program.to_account_info(),
            record_seeds,
            &record,
        )?;

        let event = EpochClosed {
            engine: engine_key,
            epoch,
            usage,
            attributed,
            baseline,
            baseline_input: outcome.baseline_input,
            next_baseline: outcome.next_baseline,
            gate_passed: outcome.passed,
            emission: outcome.emission,
            treasury_amount: split.treasury,
            builders_amount: split.builders,
            stakers_amount: split.stakers,
            next_cap: outcome.next_cap,
            total_emitted: a.engine.total_emitted,
            escrow_burned,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
