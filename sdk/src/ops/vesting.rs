//! Claiming a vesting schedule; syncing an older engine's time-only ledger.

use super::tokens::{ata, create_ata_ix};
use crate::client::{Client, ClientResult};
use crate::{instructions as ix, EngineKeys};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::state::Engine;

/// Schedules counted per `sync_time_only_budget` transaction.
pub const SCHEDULES_PER_SYNC: u64 = 20;

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

/// The transactions that sync an engine created before version 3 into its
/// time-only ledger: one `sync_time_only_budget` per [`SCHEDULES_PER_SYNC`]
/// schedules from the engine's cursor (none when already synced). Anyone
/// may send them, in order.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// for tx in coherence_sdk::ops::sync_time_only_transactions(client, &keys).await? {
///     client.send(&tx, &[]).await?;
/// }
/// # Ok(()) }
/// ```
pub async fn sync_time_only_transactions(
    client: &mut Client,
    keys: &EngineKeys,
) -> ClientResult<Vec<Vec<Instruction>>> {
    let engine: Engine = client.get(&keys.engine).await?;
    if engine.time_only_synced {
        return Ok(Vec::new());
    }
    let mut txs = Vec::new();
    let mut from = engine.time_only_scanned;
    loop {
        let count = engine.vesting_count.saturating_sub(from).min(SCHEDULES_PER_SYNC);
        txs.push(vec![ix::sync_time_only_budget(keys, from, count)]);
        from += count;
        if from >= engine.vesting_count {
            return Ok(txs);
        }
    }
}
