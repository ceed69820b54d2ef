//! Claiming a vesting schedule.

use super::tokens::{ata, create_ata_ix};
use crate::{instructions as ix, EngineKeys};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;

/// The instructions that claim what `vesting` has vested into the
/// beneficiary's associated token account, created first if missing
/// (`payer` pays its rent).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// let (me, vesting) = (Pubkey::new_unique(), coherence_sdk::pda::vesting(&keys.engine, 0));
/// let ixs = coherence_sdk::ops::claim_vesting_ixs(&keys, &me, &me, &vesting);
/// assert_eq!(ixs.len(), 2);
/// ```
pub fn claim_vesting_ixs(
    keys: &EngineKeys,
    payer: &Pubkey,
    beneficiary: &Pubkey,
    vesting: &Pubkey,
) -> Vec<Instruction> {
    vec![
        create_ata_ix(keys, payer, beneficiary),
        ix::claim_vesting(keys, beneficiary, vesting, &ata(keys, beneficiary)),
    ]
}
