//! The holders' governance (DESIGN §9): plans for the realm's flow, with
//! the voter weight refreshed in the same transaction as each governance
//! action. By convention the engine's governance is the realm's governance
//! whose seed is the engine's address
//! (`["account-governance", realm, engine]`).

use crate::client::{Client, ClientResult};
use crate::instructions as ix;
use crate::spl_governance::{self as gov, account_type, Realms, Vote};
use crate::{accounts::filters, pda, EngineKeys};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::state::{Engine, Position, VoterWeightAction};

/// The realm an engine's holders vote in, if voting is applied.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # fn engine() -> coherence::state::Engine { unimplemented!() }
/// # if false {
/// let realms = coherence_sdk::ops::engine_realm(&keys, &engine());
/// # }
/// ```
pub fn engine_realm(keys: &EngineKeys, engine: &Engine) -> Option<Realms> {
    engine.voting_enabled().then(|| Realms::at(engine.voting_program, engine.voting_realm, keys.mint))
}

/// The governance that governs the engine in `realms` (seed: the engine).
pub fn engine_governance(keys: &EngineKeys, realms: &Realms) -> Pubkey {
    realms.governance(&keys.engine)
}

/// What `start_unbond`/`withdraw` need: the owner's token owner record
/// while the engine's holders vote, else nothing.
pub fn exit_record(keys: &EngineKeys, engine: &Engine, owner: &Pubkey) -> Option<Pubkey> {
    engine_realm(keys, engine).map(|r| r.token_owner_record(owner))
}

/// The owner's locked positions in the engine (the ones that weigh).
pub async fn voting_positions(client: &mut Client, keys: &EngineKeys, owner: &Pubkey) -> ClientResult<Vec<Pubkey>> {
    let list: Vec<(Pubkey, Position)> =
        client.program_accounts(&[filters::engine(&keys.engine), filters::position_owner(owner)]).await?;
    Ok(list.into_iter().filter(|(_, p)| !p.is_unbonding() && p.weight > 0).map(|(k, _)| k).collect())
}

/// `CreateTokenOwnerRecord` for `owner` if they have none yet.
pub async fn ensure_record_ixs(
    client: &mut Client,
    realms: &Realms,
    owner: &Pubkey,
    payer: &Pubkey,
) -> ClientResult<Vec<Instruction>> {
    let exists = client.account(&realms.token_owner_record(owner)).await?.is_some();
    Ok(if exists { vec![] } else { vec![realms.create_token_owner_record(owner, payer)] })
}

/// The transactions of a proposal by `proposer` whose one transaction is
/// `ixs`: create it (weight refreshed for `CreateProposal` in the same
/// transaction), insert `ixs`, sign off (voting starts). Returns the
/// proposal's address with them.
pub async fn propose_transactions(
    client: &mut Client,
    keys: &EngineKeys,
    realms: &Realms,
    proposer: &Pubkey,
    name: &str,
    ixs: &[Instruction],
) -> ClientResult<(Pubkey, Vec<Vec<Instruction>>)> {
    let governance = engine_governance(keys, realms);
    let positions = voting_positions(client, keys, proposer).await?;
    // A fresh random seed (`Pubkey::new_unique` repeats across processes).
    let seed = solana_signer::Signer::pubkey(&solana_keypair::Keypair::new());
    let proposal = realms.proposal(&governance, &seed);
    let vwr = pda::voter_weight_record(&keys.engine, proposer);
    let mut create = ensure_record_ixs(client, realms, proposer, proposer).await?;
    create.push(ix::update_voter_weight_record(
        keys,
        proposer,
        proposer,
        VoterWeightAction::CreateProposal,
        &governance,
        &positions,
    ));
    create.push(realms.create_proposal(&governance, proposer, proposer, name, "", &seed, &vwr));
    let insert = realms.insert_transaction(&governance, &proposal, proposer, proposer, 0, 0, ixs);
    let sign_off = realms.sign_off_proposal(&governance, &proposal, proposer);
    Ok((proposal, vec![create, vec![insert], vec![sign_off]]))
}

/// `voter`'s vote on `proposal`: the voter weight refreshed (their locked
/// positions) and `CastVote`, in one transaction.
pub async fn vote_ixs(
    client: &mut Client,
    keys: &EngineKeys,
    realms: &Realms,
    proposal: &Pubkey,
    voter: &Pubkey,
    vote: Vote,
) -> ClientResult<Vec<Instruction>> {
    let governance = engine_governance(keys, realms);
    let data = client.account(proposal).await?.map(|a| a.data).unwrap_or_default();
    let p: gov::Proposal = gov::decode(&data, account_type::PROPOSAL_V2)
        .ok_or_else(|| crate::ClientError::AccountNotFound(format!("proposal {proposal}")))?;
    let owner_record = client.account(&p.token_owner_record).await?.map(|a| a.data).unwrap_or_default();
    let owner: gov::TokenOwnerRecord = gov::decode(&owner_record, account_type::TOKEN_OWNER_RECORD_V2)
        .ok_or_else(|| crate::ClientError::AccountNotFound(format!("token owner record {}", p.token_owner_record)))?;
    let positions = voting_positions(client, keys, voter).await?;
    let mut ixs = ensure_record_ixs(client, realms, voter, voter).await?;
    ixs.push(ix::update_voter_weight_record(keys, voter, voter, VoterWeightAction::CastVote, proposal, &positions));
    let (vwr, max) = (pda::voter_weight_record(&keys.engine, voter), pda::max_voter_weight_record(&keys.engine));
    ixs.push(realms.cast_vote(&governance, proposal, &owner.governing_token_owner, voter, voter, vote, &vwr, &max));
    Ok(ixs)
}

/// Finalizes `proposal` if its vote is over and undecided, then executes
/// its transaction (permissionless): the instructions to send, in order.
pub async fn execute_ixs(
    client: &mut Client,
    keys: &EngineKeys,
    realms: &Realms,
    proposal: &Pubkey,
) -> ClientResult<Vec<Instruction>> {
    let governance = engine_governance(keys, realms);
    let data = client.account(proposal).await?.map(|a| a.data).unwrap_or_default();
    let p: gov::Proposal = gov::decode(&data, account_type::PROPOSAL_V2)
        .ok_or_else(|| crate::ClientError::AccountNotFound(format!("proposal {proposal}")))?;
    let mut ixs = Vec::new();
    if p.state == gov::ProposalState::Voting {
        let owner_record = client.account(&p.token_owner_record).await?.map(|a| a.data).unwrap_or_default();
        let owner: gov::TokenOwnerRecord = gov::decode(&owner_record, account_type::TOKEN_OWNER_RECORD_V2)
            .ok_or_else(|| crate::ClientError::AccountNotFound(format!("record {}", p.token_owner_record)))?;
        let max = pda::max_voter_weight_record(&keys.engine);
        ixs.push(realms.finalize_vote(&governance, proposal, &owner.governing_token_owner, &max));
    }
    let tx = gov::proposal_transaction(&realms.program, proposal, 0, 0);
    let data = client.account(&tx).await?.map(|a| a.data).unwrap_or_default();
    let stored: gov::ProposalTransaction = gov::decode(&data, account_type::PROPOSAL_TRANSACTION_V2)
        .ok_or_else(|| crate::ClientError::AccountNotFound(format!("proposal transaction {tx}")))?;
    let inner: Vec<Instruction> = stored.instructions.iter().map(gov::InstructionData::to_instruction).collect();
    ixs.push(realms.execute_transaction(&governance, proposal, 0, &inner));
    Ok(ixs)
}
