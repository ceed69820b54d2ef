//! SPL Governance (Realms) 3.1, spoken directly: the instructions the
//! holders' governance flow needs, encoded in the program's borsh layouts,
//! and decoders of the accounts it reads. Written from the governance
//! program's source (`governance/program/src/instruction.rs`, `state/`):
//! the published `spl-governance` crates pin older Solana crates.
//!
//! Instruction data is a one-byte tag and the borsh arguments. Governance
//! accounts start with a one-byte account type, no discriminator, and are
//! variable-length (an `Option`, `String` or `Vec` shifts what follows):
//! they are decoded in sequence, ignoring trailing bytes, as the program
//! itself reads them.

pub mod instruction;
pub mod state;

pub use instruction::*;
pub use state::*;

use anchor_lang::prelude::Pubkey;

/// The SPL Governance instance Realms uses on mainnet (any id works with
/// one's own deployment).
pub const REALMS_PROGRAM_ID: Pubkey = Pubkey::from_str_const("GovER5Lthms3bLBqWub97yVrMmEogzX7xNjdXpPPCVZw");

/// The prefix of most governance PDAs.
pub const SEED: &[u8] = b"governance";

/// Realm: `["governance", name]`.
///
/// ```
/// # let p = anchor_lang::prelude::Pubkey::new_unique();
/// assert_ne!(coherence_sdk::spl_governance::realm(&p, "a"), coherence_sdk::spl_governance::realm(&p, "b"));
/// ```
pub fn realm(program: &Pubkey, name: &str) -> Pubkey {
    Pubkey::find_program_address(&[SEED, name.as_bytes()], program).0
}

/// The realm's holding account for `mint`: `["governance", realm, mint]`.
pub fn holding(program: &Pubkey, realm: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED, realm.as_ref(), mint.as_ref()], program).0
}

/// Token owner record: `["governance", realm, mint, owner]` (also
/// [`crate::pda::token_owner_record`]).
pub fn token_owner_record(program: &Pubkey, realm: &Pubkey, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    crate::pda::token_owner_record(program, realm, mint, owner)
}

/// Realm config: `["realm-config", realm]`.
pub fn realm_config(program: &Pubkey, realm: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"realm-config", realm.as_ref()], program).0
}

/// Governance: `["account-governance", realm, governed_account]`.
pub fn governance(program: &Pubkey, realm: &Pubkey, governed: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"account-governance", realm.as_ref(), governed.as_ref()], program).0
}

/// Proposal: `["governance", governance, mint, seed]`.
pub fn proposal(program: &Pubkey, governance: &Pubkey, mint: &Pubkey, seed: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED, governance.as_ref(), mint.as_ref(), seed.as_ref()], program).0
}

/// Proposal transaction: `["governance", proposal, [option], index_le_u16]`.
pub fn proposal_transaction(program: &Pubkey, proposal: &Pubkey, option: u8, index: u16) -> Pubkey {
    Pubkey::find_program_address(&[SEED, proposal.as_ref(), &[option], &index.to_le_bytes()], program).0
}

/// Vote record: `["governance", proposal, voter_token_owner_record]`.
pub fn vote_record(program: &Pubkey, proposal: &Pubkey, token_owner_record: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED, proposal.as_ref(), token_owner_record.as_ref()], program).0
}

/// Native treasury (a system account the governance signs for):
/// `["native-treasury", governance]`.
pub fn native_treasury(program: &Pubkey, governance: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"native-treasury", governance.as_ref()], program).0
}

/// Proposal deposit: `["proposal-deposit", proposal, payer]`.
pub fn proposal_deposit(program: &Pubkey, proposal: &Pubkey, payer: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"proposal-deposit", proposal.as_ref(), payer.as_ref()], program).0
}
