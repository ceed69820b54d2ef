//! Address lookup tables for `close_epoch`.
//!
//! `close_epoch` names every usage shard and every shard's escrow; with 16
//! shards that is 32 remaining accounts, and the legacy transaction does not
//! fit in 1,232 bytes. An address lookup table per engine holds the
//! instruction's fixed accounts (engine, pool, mint, vaults, token and system
//! programs, event authority) and every shard and escrow, so a v0 message
//! names each with one byte. [`crate::ops::crank`] uses the table the client
//! remembers for the engine, falls back to a legacy transaction when that
//! fits ([`LEGACY_MAX_SHARDS`]), and otherwise creates the table first.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_address_lookup_table_interface::instruction as alt;
use solana_address_lookup_table_interface::state::AddressLookupTable;
pub use solana_message::AddressLookupTableAccount;

use crate::error::SdkError;
use crate::pda::{self, EngineKeys};

/// The address lookup table program.
pub const PROGRAM_ID: Pubkey = solana_address_lookup_table_interface::program::ID;

/// Most shards whose `close_epoch` still fits a legacy transaction (with
/// the compute-budget instruction): measured by `cargo run -p
/// coherence-tests --example sizes`.
pub const LEGACY_MAX_SHARDS: u8 = 9;

/// Addresses added per transaction (each costs 32 bytes of instruction data).
const PER_EXTEND: usize = 20;

/// Every address `close_epoch` names except the fee payer, the program id
/// (invoked programs must be named in the message itself) and the epoch
/// record (a new one each epoch): 9 fixed accounts, then the shards, then
/// their escrows.
///
/// ```
/// # let keys = coherence_sdk::EngineKeys::new(anchor_lang::prelude::Pubkey::new_unique(), anchor_spl::token::ID);
/// assert_eq!(coherence_sdk::lookup::close_epoch_addresses(&keys, 16).len(), 9 + 32);
/// ```
pub fn close_epoch_addresses(keys: &EngineKeys, shards: u8) -> Vec<Pubkey> {
    let mut out = vec![
        keys.engine,
        keys.stake_pool,
        keys.mint,
        keys.treasury,
        keys.reward_vault,
        keys.builder_vault,
        keys.token_program,
        anchor_lang::system_program::ID,
        crate::instructions::event_authority(),
    ];
    out.extend((0..shards).map(|i| pda::usage_shard(&keys.engine, i)));
    out.extend((0..shards).map(|i| pda::usage_escrow(&keys.engine, i)));
    out
}

/// The table's address and the transactions that create and fill it:
/// `create_lookup_table` with the first addresses, then further extends.
/// `recent_slot` must be a slot the cluster still lists in `SlotHashes`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// let addresses: Vec<Pubkey> = (0..41).map(|_| Pubkey::new_unique()).collect();
/// let me = Pubkey::new_unique();
/// let (table, txs) = coherence_sdk::lookup::create_txs(&me, 7, &addresses);
/// assert_eq!(txs.len(), 3);
/// assert_eq!(txs[0].len(), 2, "create, then the first extend");
/// assert_ne!(table, me);
/// ```
pub fn create_txs(authority: &Pubkey, recent_slot: u64, addresses: &[Pubkey]) -> (Pubkey, Vec<Vec<Instruction>>) {
    let (create, table) = alt::create_lookup_table(*authority, *authority, recent_slot);
    let mut txs: Vec<Vec<Instruction>> = addresses
        .chunks(PER_EXTEND)
        .map(|chunk| vec![alt::extend_lookup_table(table, *authority, Some(*authority), chunk.to_vec())])
        .collect();
    match txs.first_mut() {
        Some(first) => first.insert(0, create),
        None => txs.push(vec![create]),
    }
    (table, txs)
}

/// Freezes `table` (its authority signs): no one can extend, deactivate or
/// close it from then on, so no key can switch the crank's table off. The
/// SDK freezes every table it creates ([`crate::ops::ensure_lookup_table`]):
/// an engine's `close_epoch` addresses never change.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// let ix = coherence_sdk::lookup::freeze_ix(&Pubkey::new_unique(), &Pubkey::new_unique());
/// assert_eq!(ix.program_id, coherence_sdk::lookup::PROGRAM_ID);
/// ```
pub fn freeze_ix(table: &Pubkey, authority: &Pubkey) -> Instruction {
    alt::freeze_lookup_table(*table, *authority)
}

/// What a lookup table account says beyond its addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableState {
    /// The table's key and addresses (what a v0 message is compiled against).
    pub account: AddressLookupTableAccount,
    /// Who may extend, deactivate or close it; `None` once frozen.
    pub authority: Option<Pubkey>,
    /// `u64::MAX` while active; the slot its authority deactivated it in
    /// otherwise (after ~512 slots it can no longer be used, then closed).
    pub deactivation_slot: u64,
}

impl TableState {
    /// Not deactivated (a deactivating table still works for a while, but
    /// the crank never relies on one).
    pub fn is_active(&self) -> bool {
        self.deactivation_slot == u64::MAX
    }

    /// No authority: nobody can deactivate it.
    pub fn is_frozen(&self) -> bool {
        self.authority.is_none()
    }
}

/// Decodes a lookup table account with its authority and deactivation slot.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// assert!(coherence_sdk::lookup::decode_state(Pubkey::new_unique(), &[1, 2, 3]).is_err());
/// ```
pub fn decode_state(key: Pubkey, data: &[u8]) -> Result<TableState, SdkError> {
    let table = AddressLookupTable::deserialize(data)
        .map_err(|e| SdkError::Decode(format!("{key}: not a lookup table ({e})")))?;
    Ok(TableState {
        account: AddressLookupTableAccount { key, addresses: table.addresses.to_vec() },
        authority: table.meta.authority,
        deactivation_slot: table.meta.deactivation_slot,
    })
}

/// Decodes a lookup table account.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// assert!(coherence_sdk::lookup::decode(Pubkey::new_unique(), &[1, 2, 3]).is_err());
/// ```
pub fn decode(key: Pubkey, data: &[u8]) -> Result<AddressLookupTableAccount, SdkError> {
    let table = AddressLookupTable::deserialize(data)
        .map_err(|e| SdkError::Decode(format!("{key}: not a lookup table ({e})")))?;
    Ok(AddressLookupTableAccount { key, addresses: table.addresses.to_vec() })
}

/// True when `table` holds every address in `needed`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// let a = Pubkey::new_unique();
/// let table = coherence_sdk::lookup::AddressLookupTableAccount { key: Pubkey::new_unique(), addresses: vec![a] };
/// assert!(coherence_sdk::lookup::covers(&table, &[a]));
/// assert!(!coherence_sdk::lookup::covers(&table, &[Pubkey::new_unique()]));
/// ```
pub fn covers(table: &AddressLookupTableAccount, needed: &[Pubkey]) -> bool {
    needed.iter().all(|k| table.addresses.contains(k))
}
