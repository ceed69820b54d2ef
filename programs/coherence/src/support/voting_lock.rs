//! No double voting (DESIGN §9.4): while an engine's holders vote, a
//! position cannot leave (start unbonding, withdraw) as long as its owner
//! has a vote not yet relinquished, or a proposal not yet finalized, in the
//! engine's realm — the rule SPL Governance applies to its own deposits and
//! voter-stake-registry to its withdrawals. Without it, a position could
//! vote, unbond, be withdrawn after its lock, relocked by another wallet and
//! vote the same proposal again.

use crate::errors::CoherenceError;
use crate::state::{token_owner_record_counts, EngineView, Vaults};
use anchor_lang::prelude::*;

/// Ok if the engine has no voting configured. Otherwise the owner's
/// `TokenOwnerRecord` must be passed (`TokenOwnerRecordRequired`; its
/// address is checked against its seeds by the instruction's constraint):
/// an address without data has never voted nor proposed; one with data must
/// belong to the governance program and show no unrelinquished vote
/// (`VotesNotRelinquished`) and no outstanding proposal (`ProposalsOutstanding`).
pub fn check_no_open_votes(engine: &EngineView<Vaults>, owner: &Pubkey, record: Option<&AccountInfo>) -> Result<()> {
    if !engine.voting_enabled() {
        return Ok(());
    }
    let record = record.ok_or(CoherenceError::TokenOwnerRecordRequired)?;
    if record.data_is_empty() {
        return Ok(());
    }
    require_keys_eq!(*record.owner, engine.voting_program, CoherenceError::WrongTokenOwnerRecord);
    let data = record.try_borrow_data()?;
    let (votes, proposals) = token_owner_record_counts(&data, &engine.voting_realm, &engine.mint, owner)?;
    require!(votes == 0, CoherenceError::VotesNotRelinquished);
    require!(proposals == 0, CoherenceError::ProposalsOutstanding);
    Ok(())
}
