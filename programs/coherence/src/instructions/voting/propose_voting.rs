//! Authority: propose the realm the engine's holders vote in (voting step
//! 1). It takes effect only through `apply_voting`, after the current
//! `timelock_secs`, like parameters (I9). The registrar is created by the
//! first proposal (`payer` pays its rent); a new proposal replaces a pending
//! one and restarts its timelock.

use crate::constants::REGISTRAR_VERSION;
use crate::errors::CoherenceError;
use crate::events::VotingProposed;
use crate::state::{seeds, Engine, Registrar, VotingConfig};
use crate::support::event_cpi;
use crate::support::pda_init::{init_program_account, update_program_account};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct ProposeVoting<'info> {
    pub authority: Signer<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(has_one = authority @ CoherenceError::NotAuthority)]
    pub engine: Box<Account<'info, Engine>>,
    /// CHECK: created by the first proposal; address fixed by seeds.
    #[account(mut, seeds = [seeds::REGISTRAR, engine.key().as_ref()], bump)]
    pub registrar: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl ProposeVoting<'_> {
    fn validate(&self, config: &VotingConfig) -> Result<()> {
        config.validate()?;
        Ok(())
    }

    #[access_control(ctx.accounts.validate(&config))]
    pub fn propose_voting(ctx: Context<Self>, config: VotingConfig) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let a = &*ctx.accounts;
        let delay = i64::try_from(a.engine.params.timelock_secs).map_err(|_| CoherenceError::CastOverflow)?;
        let eta = now.checked_add(delay).ok_or(CoherenceError::MathOverflow)?;
        let engine_key = a.engine.key();
        let info = a.registrar.to_account_info();
        if info.data_is_empty() {
            let registrar = Registrar {
                version: REGISTRAR_VERSION,
                bump: ctx.bumps.registrar,
                engine: engine_key,
                governing_token_mint: a.engine.mint,
                config: None,
                pending: Some(config),
                pending_eta: eta,
                reserved: [0; 64],
            };
            let signer: &[&[u8]] = &[seeds::REGISTRAR, engine_key.as_ref(), &[ctx.bumps.registrar]];
            let (payer, system) = (a.payer.to_account_info(), a.system_program.to_account_info());
            init_program_account(&payer, &info, &system, signer, &registrar)?;
        } else {
            update_program_account(&info, |registrar: &mut Registrar| {
                registrar.pending = Some(config);
                registrar.pending_eta = eta;
            })?;
        }
        let event = VotingProposed { engine: engine_key, config, eta };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
