//! # Metered service: a program whose users pay per call in an engine's token
//!
//! An example of metering usage by CPI. The operator sets a fee per call
//! and, optionally, its own builder source; each `call` pays the fee from
//! the caller's tokens into a Coherence usage shard by CPI into
//! `record_usage`. The caller signs the transaction, and that signature is
//! what lets the CPI spend its tokens: Coherence requires the payer to sign,
//! and a program cannot sign for a wallet. The service only ever attributes
//! usage to its own source.

#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;
use coherence::cpi::accounts::RecordUsage;
use coherence::state::{Engine, Source};

#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

declare_id!("HrtJbZ41nQ16UYdpWCnEqoWvM9Zz7QqGVU3j5DaBaKYD");

#[program]
pub mod metered_service {
    use super::*;

    /// Operator: open a service on `engine` at `["service", engine, operator]`,
    /// charging `fee` base units per call, attributed to `source` if given.
    pub fn init_service(ctx: Context<InitService>, fee: u64, source: Option<Pubkey>) -> Result<()> {
        require!(fee > 0, ServiceError::ZeroFee);
        if let Some(key) = source {
            let info = ctx.remaining_accounts.first().ok_or(ServiceError::NotOurSource)?;
            let src = Account::<Source>::try_from(info).map_err(|_| error!(ServiceError::NotOurSource))?;
            // Only a source this operator registered: builders' shares are not the service's to give.
            require!(info.key() == key && src.builder == ctx.accounts.operator.key(), ServiceError::NotOurSource);
            require_keys_eq!(src.engine, ctx.accounts.engine.key(), ServiceError::NotOurSource);
        }
        let service = &mut ctx.accounts.service;
        service.set_inner(Service {
            operator: ctx.accounts.operator.key(),
            engine: ctx.accounts.engine.key(),
            fee,
            source,
            calls: 0,
            bump: ctx.bumps.service,
        });
        Ok(())
    }

    /// User: call the service, paying its fee as usage in shard `usage_shard`.
    pub fn call(ctx: Context<Call>) -> Result<()> {
        let a = &ctx.accounts;
        require!(a.source.as_ref().map(|s| s.key()) == a.service.source, ServiceError::NotOurSource);
        let accounts = RecordUsage {
            payer: a.user.to_account_info(),
            engine: a.engine.to_account_info(),
            usage_shard: a.usage_shard.to_account_info(),
            usage_escrow: a.usage_escrow.to_account_info(),
            mint: a.mint.to_account_info(),
            payer_tokens: a.user_tokens.to_account_info(),
            source: a.source.as_ref().map(|s| s.to_account_info()),
            source_record: a.source_record.as_ref().map(|r| r.to_account_info()),
            token_program: a.token_program.to_account_info(),
            event_authority: a.event_authority.to_account_info(),
            program: a.coherence_program.to_account_info(),
        };
        coherence::cpi::record_usage(CpiContext::new(a.coherence_program.key(), accounts), a.service.fee)?;
        let service = &mut ctx.accounts.service;
        service.calls = service.calls.saturating_add(1); // statistics only
        Ok(())
    }
}

#[account]
#[derive(InitSpace)]
pub struct Service {
    pub operator: Pubkey,
    pub engine: Pubkey,
    /// Base units of the engine's token per call.
    pub fee: u64,
    /// The operator's own builder source, if any.
    pub source: Option<Pubkey>,
    pub calls: u64,
    pub bump: u8,
}

#[derive(Accounts)]
pub struct InitService<'info> {
    #[account(mut)]
    pub operator: Signer<'info>,
    pub engine: Box<Account<'info, Engine>>,
    #[account(init, payer = operator, space = 8 + Service::INIT_SPACE, seeds = [b"service", engine.key().as_ref(), operator.key().as_ref()], bump)]
    pub service: Account<'info, Service>,
    pub system_program: Program<'info, System>,
}

#[derive(Accounts)]
pub struct Call<'info> {
    /// CHECK: the paying user. Deliberately not checked here: Coherence's
    /// `record_usage` requires its signature, which no program can forge.
    pub user: UncheckedAccount<'info>,
    #[account(mut, has_one = engine)]
    pub service: Account<'info, Service>,
    /// CHECK: every Coherence account below is checked by `record_usage`.
    pub engine: UncheckedAccount<'info>,
    /// CHECK: see `engine`.
    #[account(mut)]
    pub usage_shard: UncheckedAccount<'info>,
    /// CHECK: see `engine`.
    #[account(mut)]
    pub usage_escrow: UncheckedAccount<'info>,
    /// CHECK: see `engine`.
    pub mint: UncheckedAccount<'info>,
    /// CHECK: see `engine`.
    #[account(mut)]
    pub user_tokens: UncheckedAccount<'info>,
    /// CHECK: must be the service's own source (checked in `call`).
    #[account(mut)]
    pub source: Option<UncheckedAccount<'info>>,
    /// CHECK: see `engine`.
    pub source_record: Option<UncheckedAccount<'info>>,
    /// CHECK: see `engine`.
    pub token_program: UncheckedAccount<'info>,
    /// CHECK: Coherence's event authority.
    pub event_authority: UncheckedAccount<'info>,
    #[account(address = coherence::ID)]
    /// CHECK: the Coherence program.
    pub coherence_program: UncheckedAccount<'info>,
}

#[error_code]
pub enum ServiceError {
    #[msg("The fee must be positive")]
    ZeroFee,
    #[msg("Usage may only be attributed to the service operator's own source")]
    NotOurSource,
}
