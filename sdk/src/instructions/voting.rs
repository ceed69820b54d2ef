//! Voting: the registrar (through the timelock) and the records SPL
//! Governance reads.

use super::{build, event_authority};
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use coherence::state::{VoterWeightAction, VotingConfig};
use coherence::{accounts as acc, instruction as ix};

use crate::pda::{self, EngineKeys};

/// Authority proposes the voting configuration; `payer` pays the
/// registrar's rent the first time.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let a = Pubkey::new_unique();
/// let config = coherence::state::VotingConfig { realm: a, governance_program: a, max_voter_weight: 1 };
/// let ix = coherence_sdk::instructions::propose_voting(&keys, &a, &a, config);
/// assert_eq!(ix.accounts[3].pubkey, coherence_sdk::pda::registrar(&keys.engine));
/// ```
pub fn propose_voting(keys: &EngineKeys, authority: &Pubkey, payer: &Pubkey, config: VotingConfig) -> Instruction {
    build(
        acc::ProposeVoting {
            authority: *authority,
            payer: *payer,
            engine: keys.engine,
            registrar: pda::registrar(&keys.engine),
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ProposeVoting { config },
    )
}

/// Anyone applies the pending voting configuration after its timelock.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// let ix = coherence_sdk::instructions::apply_voting(&keys);
/// assert_eq!(ix.accounts[0].pubkey, keys.engine);
/// ```
pub fn apply_voting(keys: &EngineKeys) -> Instruction {
    build(
        acc::ApplyVoting {
            engine: keys.engine,
            registrar: pda::registrar(&keys.engine),
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ApplyVoting {},
    )
}

/// Owner refreshes their voter weight for `action` on `target`, counting
/// `positions` (theirs, in this engine). Send it in the same transaction
/// as the governance instruction it serves: it expires with the slot.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (owner, proposal) = (Pubkey::new_unique(), Pubkey::new_unique());
/// use coherence::state::VoterWeightAction;
/// let p = coherence_sdk::pda::position(&keys.engine, &owner, 0);
/// let ix = coherence_sdk::instructions::update_voter_weight_record(&keys, &owner, &owner, VoterWeightAction::CastVote, &proposal, &[p]);
/// assert_eq!(ix.accounts.last().unwrap().pubkey, p);
/// ```
pub fn update_voter_weight_record(
    keys: &EngineKeys,
    payer: &Pubkey,
    owner: &Pubkey,
    action: VoterWeightAction,
    target: &Pubkey,
    positions: &[Pubkey],
) -> Instruction {
    let mut ix = build(
        acc::UpdateVoterWeightRecord {
            payer: *payer,
            owner: *owner,
            engine: keys.engine,
            voter_weight_record: pda::voter_weight_record(&keys.engine, owner),
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::UpdateVoterWeightRecord { action, target: *target },
    );
    ix.accounts.extend(positions.iter().map(|p| AccountMeta::new_readonly(*p, false)));
    ix
}

/// Anyone writes the engine's max voter weight record from its registrar.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let payer = Pubkey::new_unique();
/// let ix = coherence_sdk::instructions::update_max_voter_weight_record(&keys, &payer);
/// assert_eq!(ix.accounts[3].pubkey, coherence_sdk::pda::max_voter_weight_record(&keys.engine));
/// ```
pub fn update_max_voter_weight_record(keys: &EngineKeys, payer: &Pubkey) -> Instruction {
    build(
        acc::UpdateMaxVoterWeightRecord {
            payer: *payer,
            engine: keys.engine,
            registrar: pda::registrar(&keys.engine),
            max_voter_weight_record: pda::max_voter_weight_record(&keys.engine),
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::UpdateMaxVoterWeightRecord {},
    )
}
