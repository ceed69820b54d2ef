//! Mint authority (genesis): create the engine for an existing mint and take
//! over its mint authority in the same transaction. The mint's current authority signs the
//! hand-over, and the engine PDA is derived from the mint, so there is exactly
//! one engine per mint and nobody can front-run genesis.

use crate::constants::{ACCOUNT_VERSION, ENGINE_VERSION};
use crate::errors::CoherenceError;
use crate::events::EngineInitialized;
use crate::math::params::{validate_genesis, validate_params};
use crate::math::{stake::Stream, Params};
use crate::state::{seeds, Engine, StakePool};
use crate::support::event_cpi;
use crate::support::pda_init::{init_program_account, init_token_account};
use crate::support::token_policy::check_mint_extensions;
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::instruction::AuthorityType;
use anchor_spl::token_interface::{self, Mint, SetAuthority, TokenInterface};

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Debug, PartialEq, Eq)]
pub struct InitEngineArgs {
    /// Governance key of the new engine.
    pub authority: Pubkey,
    /// Epoch length, seconds (fixed forever).
    pub epoch_secs: u64,
    /// Number of usage shards, 1..=16 (fixed forever).
    pub usage_shards: u8,
    /// Supply ceiling, base units (fixed forever).
    pub max_supply: u64,
    /// Initial governable parameters.
    pub params: Params,
    /// Most that time-only vesting schedules may ever commit, base units
    /// (≤ max supply; only lowered afterwards): the value that can accrue
    /// without usage, declared at genesis.
    pub time_only_budget: u64,
}

/// Every created account is an `UncheckedAccount` constrained to its PDA and
/// created by [`crate::support::pda_init`], so a griefer who prefunds an address
/// cannot block genesis.
#[event_cpi]
#[derive(Accounts)]
pub struct InitializeEngine<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    /// The mint's current mint authority: signs the hand-over to the engine.
    pub mint_authority: Signer<'info>,
    #[account(mut, dup, mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    /// CHECK: created here; address fixed by seeds.
    #[account(mut, seeds = [seeds::ENGINE, mint.key().as_ref()], bump)]
    pub engine: UncheckedAccount<'info>,
    /// CHECK: created here; address fixed by seeds.
    #[account(mut, seeds = [seeds::STAKE_POOL, engine.key().as_ref()], bump)]
    pub stake_pool: UncheckedAccount<'info>,
    /// CHECK: created here as a token account owned by the engine.
    #[account(mut, seeds = [seeds::STAKE_VAULT, engine.key().as_ref()], bump)]
    pub stake_vault: UncheckedAccount<'info>,
    /// CHECK: created here as a token account owned by the engine.
    #[account(mut, seeds = [seeds::REWARD_VAULT, engine.key().as_ref()], bump)]
    pub reward_vault: UncheckedAccount<'info>,
    /// CHECK: created here as a token account owned by the engine.
    #[account(mut, seeds = [seeds::TREASURY, engine.key().as_ref()], bump)]
    pub treasury: UncheckedAccount<'info>,
    /// CHECK: created here as a token account owned by the engine.
    #[account(mut, seeds = [seeds::VESTING_VAULT, engine.key().as_ref()], bump)]
    pub vesting_vault: UncheckedAccount<'info>,
    /// CHECK: created here as a token account owned by the engine.
    #[account(mut, seeds = [seeds::BUILDER_VAULT, engine.key().as_ref()], bump)]
    pub builder_vault: UncheckedAccount<'info>,
    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl InitializeEngine<'_> {
    fn validate(&self, args: &InitEngineArgs) -> Result<()> {
        // Extensions first: a default-frozen mint must report that, not its
        // (required) freeze authority.
        check_mint_extensions(&self.mint.to_account_info())?;
        require!(self.mint.freeze_authority.is_none(), CoherenceError::FreezeAuthorityNotAllowed);
        require!(
            Option::<Pubkey>::from(self.mint.mint_authority) == Some(self.mint_authority.key()),
            CoherenceError::NotMintAuthority
        );
        validate_genesis(args.epoch_secs, args.usage_shards, args.max_supply, args.time_only_budget)?;
        validate_params(&args.params, args.epoch_secs, args.max_supply)?;
        require!(self.mint.supply <= args.max_supply, CoherenceError::SupplyExceedsMax);
        Ok(())
    }

    #[access_control(ctx.accounts.validate(&args))]
    pub fn initialize_engine(ctx: Context<Self>, args: InitEngineArgs) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &*ctx.accounts;
        let bumps = &ctx.bumps;
        let engine_key = a.engine.key();
        let mint_key = a.mint.key();
        let (payer, system) = (a.payer.to_account_info(), a.system_program.to_account_info());

        let engine = Box::new(Engine {
            version: ENGINE_VERSION,
            bump: bumps.engine,
            mint: mint_key,
            token_program: a.token_program.key(),
            authority: args.authority,
            pending_authority: None,
            paused: false,
            epoch_secs: args.epoch_secs,
            usage_shards: args.usage_shards,
            max_supply: args.max_supply,
            genesis_ts: now,
            params: args.params,
            pending_params: None,
            pending_eta: 0,
            next_epoch: 0,
            baseline: 0,
            cap: args.params.cap,
            total_emitted: 0,
            total_usage_burned: 0,
            stake_vault: a.stake_vault.key(),
            reward_vault: a.reward_vault.key(),
            treasury: a.treasury.key(),
            vesting_vault: a.vesting_vault.key(),
            builder_vault: a.builder_vault.key(),
            vesting_count: 0,
            source_count: 0,
            gated_rate_bps: 0,
            recent_usage: [0; 2],
            time_only_budget: args.time_only_budget,
            time_only_used: 0,
            time_only_scanned: 0,
            time_only_synced: true,
            voting_realm: Pubkey::default(),
            voting_program: Pubkey::default(),
            reserved: [0; 5],
        });
        let engine_seeds: &[&[u8]] = &[seeds::ENGINE, mint_key.as_ref(), &[bumps.engine]];
        init_program_account(&payer, &a.engine, &system, engine_seeds, engine.as_ref())?;

        let pool = StakePool {
            version: ACCOUNT_VERSION,
            bump: bumps.stake_pool,
            engine: engine_key,
            stream: Stream { start: now, last_update: now, end: now, ..Stream::default() },
            total_principal: 0,
            positions: 0,
            reserved: [0; 32],
        };
        let pool_seeds: &[&[u8]] = &[seeds::STAKE_POOL, engine_key.as_ref(), &[bumps.stake_pool]];
        init_program_account(&payer, &a.stake_pool, &system, pool_seeds, &pool)?;

        let vaults = [
            (&a.stake_vault, seeds::STAKE_VAULT, bumps.stake_vault),
            (&a.reward_vault, seeds::REWARD_VAULT, bumps.reward_vault),
            (&a.treasury, seeds::TREASURY, bumps.treasury),
            (&a.vesting_vault, seeds::VESTING_VAULT, bumps.vesting_vault),
            (&a.builder_vault, seeds::BUILDER_VAULT, bumps.builder_vault),
        ];
        let (token_program, mint_info) = (a.token_program.to_account_info(), a.mint.to_account_info());
        for (vault, seed, bump) in vaults {
            let vault_seeds: &[&[u8]] = &[seed, engine_key.as_ref(), &[bump]];
            init_token_account(&payer, vault, &system, &token_program, &mint_info, &a.engine, vault_seeds)?;
        }

        // Hand the mint authority to the engine PDA (I4).
        token_interface::set_authority(
            CpiContext::new(
                a.token_program.key(),
                SetAuthority { current_authority: a.mint_authority.to_account_info(), account_or_mint: mint_info },
            ),
            AuthorityType::MintTokens,
            Some(engine_key),
        )?;

        let event = EngineInitialized {
            engine: engine_key,
            mint: mint_key,
            authority: args.authority,
            max_supply: args.max_supply,
            epoch_secs: args.epoch_secs,
            usage_shards: args.usage_shards,
            genesis_ts: now,
            params: args.params,
            time_only_budget: args.time_only_budget,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
