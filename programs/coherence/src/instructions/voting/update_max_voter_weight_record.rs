//! Anyone: write the engine's `MaxVoterWeightRecord` from the applied
//! registrar: the fixed `max_voter_weight` chosen through the timelock, with
//! no expiry (it is a constant: no lock, unbond or burn moves it; DESIGN
//! §9.3). Created on first use (`payer` pays its rent); run again after a
//! new configuration is applied.

use crate::errors::CoherenceError;
use crate::events::MaxVoterWeightUpdated;
use crate::state::{seeds, Engine, MaxVoterWeightRecord, Registrar};
use crate::support::event_cpi;
use crate::support::pda_init::{init_program_account, update_program_account};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateMaxVoterWeightRecord<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub engine: Box<Account<'info, Engine>>,
    #[account(
        seeds = [seeds::REGISTRAR, engine.key().as_ref()],
        bump = registrar.bump,
        has_one = engine @ CoherenceError::EngineMismatch,
    )]
    pub registrar: Box<Account<'info, Registrar>>,
    /// CHECK: created on first use; address fixed by seeds.
    #[account(mut, seeds = [seeds::MAX_VOTER_WEIGHT, engine.key().as_ref()], bump)]
    pub max_voter_weight_record: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl UpdateMaxVoterWeightRecord<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.registrar.config.is_some(), CoherenceError::VotingNotConfigured);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn update_max_voter_weight_record(ctx: Context<Self>) -> Result<()> {
        let a = &*ctx.accounts;
        let config = a.registrar.config.ok_or(CoherenceError::VotingNotConfigured)?;
        let engine_key = a.engine.key();
        let record = MaxVoterWeightRecord {
            realm: config.realm,
            governing_token_mint: a.engine.mint,
            max_voter_weight: config.max_voter_weight,
            max_voter_weight_expiry: None,
            reserved: [0; 8],
        };
        let info = a.max_voter_weight_record.to_account_info();
        if info.data_is_empty() {
            let signer: &[&[u8]] =
                &[seeds::MAX_VOTER_WEIGHT, engine_key.as_ref(), &[ctx.bumps.max_voter_weight_record]];
            let (payer, system) = (a.payer.to_account_info(), a.system_program.to_account_info());
            init_program_account(&payer, &info, &system, signer, &record)?;
        } else {
            update_program_account(&info, |stored: &mut MaxVoterWeightRecord| *stored = record)?;
        }
        let event = MaxVoterWeightUpdated { engine: engine_key, max_voter_weight: config.max_voter_weight };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
