//! Closing epochs: the crank, one `close_epoch`, the engine's address
//! lookup table for it, and previews of what a close would do.

use super::tokens::{mint_supply, token_balance};
use crate::client::{Client, ClientResult};
use crate::{instructions as ix, lookup, pda, EngineKeys};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::state::Engine;
use solana_signer::Signer;

/// The `close_epoch` instruction of every epoch that has ended at `now`, in
/// order from the engine's next ([`Engine::due_epochs`]): what [`crank`]
/// sends, and what `--print-tx` prints for a multisig.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # fn engine() -> coherence::state::Engine { unimplemented!() }
/// # fn demo(keys: coherence_sdk::EngineKeys, me: Pubkey, now: i64) {
/// let engine = engine();
/// for (epoch, ix) in coherence_sdk::ops::due_closes(&keys, &engine, &me, now) {
///     println!("close epoch {epoch}: {} accounts", ix.accounts.len());
/// }
/// # }
/// ```
pub fn due_closes(keys: &EngineKeys, engine: &Engine, payer: &Pubkey, now: i64) -> Vec<(u64, Instruction)> {
    engine.due_epochs(now).map(|epoch| (epoch, ix::close_epoch(keys, payer, epoch, engine.usage_shards))).collect()
}

/// Closes every ended epoch in order; returns the epochs it closed.
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let closed: Vec<u64> = coherence_sdk::ops::crank(client, &keys).await?;
/// # Ok(()) }
/// ```
pub async fn crank(client: &mut Client, keys: &EngineKeys) -> ClientResult<Vec<u64>> {
    let now = client.now().await?;
    let payer = client.payer().pubkey();
    let engine: Engine = client.get(&keys.engine).await?;
    let plan = due_closes(keys, &engine, &payer, now);
    if plan.is_empty() {
        return Ok(Vec::new());
    }
    let tables = close_tables(client, keys, engine.usage_shards).await?;
    let mut closed = Vec::with_capacity(plan.len());
    for (epoch, close) in plan {
        match client.send_with_tables(&[close], &[], &tables).await {
            Ok(_) => closed.push(epoch),
            // Another crank closed it first: nothing is lost, go on.
            Err(e) if e.program_error() == Some(coherence::errors::CoherenceError::EpochAlreadyClosed) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(closed)
}

/// Closes `epoch` (the engine's next), with the lookup table when one is
/// known or needed (see [`crank`]).
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// coherence_sdk::ops::close_epoch(client, &keys, 0, 16).await?;
/// # Ok(()) }
/// ```
pub async fn close_epoch(client: &mut Client, keys: &EngineKeys, epoch: u64, shards: u8) -> ClientResult<String> {
    let tables = close_tables(client, keys, shards).await?;
    let payer = client.payer().pubkey();
    client.send_with_tables(&[ix::close_epoch(keys, &payer, epoch, shards)], &[], &tables).await
}

/// The tables `close_epoch` is sent with: the engine's known table when it
/// is active and holds every address; none (a legacy transaction) when that
/// fits; else a new table, created (and frozen) now. A known table that was
/// deactivated, closed, or does not cover the engine is forgotten, never
/// used: its authority must not be able to switch the crank off.
async fn close_tables(
    client: &mut Client,
    keys: &EngineKeys,
    shards: u8,
) -> ClientResult<Vec<lookup::AddressLookupTableAccount>> {
    if let Some(table) = usable_table(client, keys, shards).await? {
        return Ok(vec![table]);
    }
    if shards <= lookup::LEGACY_MAX_SHARDS {
        return Ok(vec![]);
    }
    Ok(vec![ensure_lookup_table(client, keys, shards).await?])
}

/// The engine's known table if it is usable for `close_epoch` (active, and
/// holding every address); a known table that is not is forgotten.
async fn usable_table(
    client: &mut Client,
    keys: &EngineKeys,
    shards: u8,
) -> ClientResult<Option<lookup::AddressLookupTableAccount>> {
    let Some(key) = client.lookup_table(&keys.engine) else { return Ok(None) };
    let state = match client.account(&key).await? {
        Some(account) if account.owner == lookup::PROGRAM_ID => lookup::decode_state(key, &account.data).ok(),
        _ => None,
    };
    match state {
        Some(t) if t.is_active() && lookup::covers(&t.account, &lookup::close_epoch_addresses(keys, shards)) => {
            Ok(Some(t.account))
        }
        _ => {
            client.forget_lookup_table(&keys.engine);
            Ok(None)
        }
    }
}

/// The engine's lookup table for `close_epoch`: the one the client knows
/// for it if that is active and holds every needed address, else a new one
/// — created, filled, **frozen** (so that no key can deactivate it, see
/// [`lookup::freeze_ix`]), activated (one slot later) and remembered by the
/// client. Save its address (`Client::lookup_table`) to reuse it.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let table = coherence_sdk::ops::ensure_lookup_table(client, &keys, 16).await?;
/// assert_eq!(client.lookup_table(&keys.engine), Some(table.key));
/// # Ok(()) }
/// ```
pub async fn ensure_lookup_table(
    client: &mut Client,
    keys: &EngineKeys,
    shards: u8,
) -> ClientResult<lookup::AddressLookupTableAccount> {
    if let Some(table) = usable_table(client, keys, shards).await? {
        return Ok(table);
    }
    let needed = lookup::close_epoch_addresses(keys, shards);
    let me = client.payer().pubkey();
    let slot = client.recent_slot().await?;
    let (key, mut txs) = lookup::create_txs(&me, slot, &needed);
    if let Some(last) = txs.last_mut() {
        last.push(lookup::freeze_ix(&key, &me));
    }
    for tx in txs {
        client.send(&tx, &[]).await?;
    }
    client.next_slot().await?;
    client.set_lookup_table(keys.engine, key);
    Ok(lookup::AddressLookupTableAccount { key, addresses: needed })
}

/// What closing `epoch` would do right now: reads the engine, every usage
/// shard and the mint supply, and runs the program's own emission rule
/// ([`crate::preview::preview_emission`]).
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let (outcome, split) = coherence_sdk::ops::preview_epoch(client, &keys, 0).await?;
/// println!("gate {} emission {} (stakers {})", outcome.passed, outcome.emission, split.stakers);
/// # Ok(()) }
/// ```
pub async fn preview_epoch(
    client: &mut Client,
    keys: &EngineKeys,
    epoch: u64,
) -> ClientResult<(coherence::math::emission::EpochOutcome, coherence::math::emission::Split)> {
    let engine: Engine = client.get(&keys.engine).await?;
    let mut shards = Vec::with_capacity(engine.usage_shards.into());
    for shard in 0..engine.usage_shards {
        shards.push(client.get::<coherence::state::UsageShard>(&pda::usage_shard(&keys.engine, shard)).await?);
    }
    // close_epoch burns every escrow before it computes the emission.
    let supply =
        mint_supply(client, &keys.mint).await?.saturating_sub(escrowed(client, keys, engine.usage_shards).await?);
    Ok(crate::preview::preview_emission(&engine, &shards, supply, epoch)?)
}

/// Tokens waiting in the usage escrows (paid, not yet burned).
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let waiting = coherence_sdk::ops::escrowed(client, &keys, 4).await?;
/// # Ok(()) }
/// ```
pub async fn escrowed(client: &mut Client, keys: &EngineKeys, shards: u8) -> ClientResult<u64> {
    let mut total = 0u64;
    for shard in 0..shards {
        let escrow = pda::usage_escrow(&keys.engine, shard);
        if client.account(&escrow).await?.is_some() {
            total = total.saturating_add(token_balance(client, &escrow).await?);
        }
    }
    Ok(total)
}
