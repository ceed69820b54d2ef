//! Owner: refresh their `VoterWeightRecord` for one governance action.
//! Voter weight = Σ weight of the owner's locked positions in this engine
//! (the duration-boosted weight that earns rewards; unbonding positions
//! weigh 0). The record expires at the end of the current slot, so it must
//! be refreshed in the same transaction as the `CastVote` or
//! `CreateProposal` it serves (the voter-stake-registry pattern), and it
//! names that action and its target, so it serves nothing else.
//!
//! Remaining accounts: the positions to count, each the owner's, of this
//! engine, at most once (`NotPositionOwner`, `EngineMismatch`,
//! `DuplicateAccount`). Leaving a position out only lowers the weight.

use crate::errors::CoherenceError;
use crate::events::VoterWeightUpdated;
use crate::math::voting::voter_weight;
use crate::state::{seeds, Engine, Position, VoterWeightAction, VoterWeightRecord};
use crate::support::event_cpi;
use crate::support::pda_init::{init_program_account, update_program_account};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateVoterWeightRecord<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    pub owner: Signer<'info>,
    pub engine: Box<Account<'info, Engine>>,
    /// CHECK: created on first use; address fixed by seeds.
    #[account(mut, seeds = [seeds::VOTER_WEIGHT, engine.key().as_ref(), owner.key().as_ref()], bump)]
    pub voter_weight_record: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl<'info> UpdateVoterWeightRecord<'info> {
    fn validate(&self) -> Result<()> {
        require!(self.engine.voting_enabled(), CoherenceError::VotingNotConfigured);
        Ok(())
    }

    /// The weights of `positions`, checked to be distinct positions of
    /// `owner` in `engine`.
    fn weights(engine: &Pubkey, owner: &Pubkey, positions: &'info [AccountInfo<'info>]) -> Result<Vec<(u128, bool)>> {
        let mut seen: Vec<Pubkey> = Vec::with_capacity(positions.len());
        let mut weights = Vec::with_capacity(positions.len());
        for info in positions {
            require!(!seen.contains(info.key), CoherenceError::DuplicateAccount);
            seen.push(*info.key);
            let position = Account::<Position>::try_from(info)?;
            require_keys_eq!(position.engine, *engine, CoherenceError::EngineMismatch);
            require_keys_eq!(position.owner, *owner, CoherenceError::NotPositionOwner);
            weights.push((position.weight, position.is_unbonding()));
        }
        Ok(weights)
    }

    #[access_control(ctx.accounts.validate())]
    pub fn update_voter_weight_record(
        ctx: Context<'info, Self>,
        action: VoterWeightAction,
        target: Pubkey,
    ) -> Result<()> {
        let slot = Clock::get()?.slot;
        let a = &*ctx.accounts;
        let (engine_key, owner) = (a.engine.key(), a.owner.key());
        let weights = Self::weights(&engine_key, &owner, ctx.remaining_accounts)?;
        let counted: u8 = weights
            .iter()
            .filter(|(_, unbonding)| !unbonding)
            .count()
            .try_into()
            .map_err(|_| CoherenceError::CastOverflow)?;
        let weight = voter_weight(weights)?;
        let record = VoterWeightRecord {
            realm: a.engine.voting_realm,
            governing_token_mint: a.engine.mint,
            governing_token_owner: owner,
            voter_weight: weight,
            voter_weight_expiry: Some(slot),
            weight_action: Some(action),
            weight_action_target: Some(target),
            reserved: [0; 8],
        };
        let info = a.voter_weight_record.to_account_info();
        if info.data_is_empty() {
            let signer: &[&[u8]] =
                &[seeds::VOTER_WEIGHT, engine_key.as_ref(), owner.as_ref(), &[ctx.bumps.voter_weight_record]];
            let (payer, system) = (a.payer.to_account_info(), a.system_program.to_account_info());
            init_program_account(&payer, &info, &system, signer, &record)?;
        } else {
            update_program_account(&info, |stored: &mut VoterWeightRecord| *stored = record)?;
        }
        let event = VoterWeightUpdated {
            engine: engine_key,
            owner,
            voter_weight: weight,
            positions: counted,
            slot,
            action,
            target,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
