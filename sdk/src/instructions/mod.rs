//! Instruction builders: typed arguments in, `Instruction` out. Sending is a
//! separate layer. Account lists follow the program's `Accounts` structs; the
//! last two accounts of every instruction are Anchor's event authority and the
//! program itself (for `emit_cpi!`).

mod emission;
mod governance;
mod staking;
mod vesting;
mod voting;

pub use emission::*;
pub use governance::*;
pub use staking::*;
pub use vesting::*;
pub use voting::*;

use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{InstructionData, ToAccountMetas};

pub(crate) fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: coherence::ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

/// The engine's first `count` usage shards, read-only, in index order.
pub(crate) fn shard_metas(keys: &crate::EngineKeys, count: u8) -> impl Iterator<Item = AccountMeta> + '_ {
    (0..count).map(|i| AccountMeta::new_readonly(crate::pda::usage_shard(&keys.engine, i), false))
}

pub(crate) fn event_authority() -> Pubkey {
    crate::pda::event_authority()
}

/// Removes the signer flag from an account (for tests and multisig tooling
/// that must show what happens without a signature).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::set_pause(&keys, &a, true);
/// let unsigned = coherence_sdk::instructions::without_signer(ix, &a);
/// assert!(unsigned.accounts.iter().all(|m| !m.is_signer));
/// ```
pub fn without_signer(mut ix: Instruction, key: &Pubkey) -> Instruction {
    for meta in ix.accounts.iter_mut().filter(|m: &&mut AccountMeta| m.pubkey == *key) {
        meta.is_signer = false;
    }
    ix
}
