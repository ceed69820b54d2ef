//! Multi-step operations on a [`Client`]: genesis with its usage shards,
//! associated token accounts, usage with automatic source settlement, the
//! epoch crank. Used by the CLI, the demo and the deploy script.

use crate::client::{Client, ClientError, ClientResult};
use crate::{instructions as ix, lookup, pda, EngineKeys};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::associated_token::{get_associated_token_address_with_program_id, spl_associated_token_account};
use coherence::instructions::InitEngineArgs;
use coherence::state::{Engine, Source};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Reads an engine and derives all of its addresses.
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let (keys, engine) = coherence_sdk::ops::engine_keys(client, &keys.engine).await?;
/// assert_eq!(keys.mint, engine.mint);
/// # Ok(()) }
/// ```
pub async fn engine_keys(client: &mut Client, engine: &Pubkey) -> ClientResult<(EngineKeys, Engine)> {
    let state: Engine = client.get(engine).await?;
    let keys = EngineKeys::new(state.mint, state.token_program);
    if keys.engine != *engine {
        return Err(ClientError::Decode(format!("{engine} is not the engine PDA of its mint")));
    }
    Ok((keys, state))
}

/// Genesis: `initialize_engine` (the payer must be the mint authority) and
/// every usage shard. Idempotent: an existing engine is left as it is and
/// only missing shards are created.
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let me = client.payer().pubkey();
/// # use solana_signer::Signer;
/// let args = coherence_sdk::defaults::init_args(me, 1_000_000_000);
/// coherence_sdk::ops::init_engine(client, keys.mint, keys.token_program, args).await?;
/// # Ok(()) }
/// ```
pub async fn init_engine(client: &mut Client, mint: Pubkey, token_program: Pubkey, args: InitEngineArgs) -> ClientResult<EngineKeys> {
    let keys = EngineKeys::new(mint, token_program);
    for tx in genesis_transactions(client, &keys, args).await? {
        client.send(&tx, &[]).await?;
    }
    Ok(keys)
}

/// Usage shards created per genesis transaction.
pub const SHARDS_PER_TX: usize = 4;

/// The instructions of every transaction genesis still needs, in order:
/// `initialize_engine` unless the engine exists (the payer is the mint
/// authority), then the missing usage shards, [`SHARDS_PER_TX`] per
/// transaction. A finished genesis needs none. [`init_engine`] sends them;
/// the CLI's `--print-tx` prints them.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys, me: anchor_lang::prelude::Pubkey) -> coherence_sdk::client::ClientResult<()> {
/// let args = coherence_sdk::defaults::init_args(me, 1_000_000_000);
/// let txs = coherence_sdk::ops::genesis_transactions(client, &keys, args).await?;
/// # Ok(()) }
/// ```
pub async fn genesis_transactions(client: &mut Client, keys: &EngineKeys, args: InitEngineArgs) -> ClientResult<Vec<Vec<Instruction>>> {
    let payer = client.payer().pubkey();
    let mut txs = Vec::new();
    let shards = if client.account(&keys.engine).await?.is_some() {
        client.get::<Engine>(&keys.engine).await?.usage_shards
    } else {
        let shards = args.usage_shards;
        txs.push(vec![ix::initialize_engine(keys, &payer, &payer, args)]);
        shards
    };
    let mut missing = Vec::new();
    for shard in 0..shards {
        // Missing shards, and version-1 shards without their escrow.
        if client.account(&pda::usage_escrow(&keys.engine, shard)).await?.is_none() {
            missing.push(ix::init_usage_shard(keys, &payer, shard));
        }
    }
    txs.extend(missing.chunks(SHARDS_PER_TX).map(<[Instruction]>::to_vec));
    Ok(txs)
}

/// The wallet's associated token account of the engine's mint.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let a = Pubkey::new_unique();
/// let x = coherence_sdk::ops::ata(&keys, &a);
/// # let _ = x;
/// ```
pub fn ata(keys: &EngineKeys, owner: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(owner, &keys.mint, &keys.token_program)
}

/// Creates `owner`'s associated token account if it does not exist (idempotent).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let a = Pubkey::new_unique();
/// let x = coherence_sdk::ops::create_ata_ix(&keys, &a, &a);
/// # let _ = x;
/// ```
pub fn create_ata_ix(keys: &EngineKeys, payer: &Pubkey, owner: &Pubkey) -> anchor_lang::solana_program::instruction::Instruction {
    spl_associated_token_account::instruction::create_associated_token_account_idempotent(payer, owner, &keys.mint, &keys.token_program)
}

/// The wallet's associated token account of the engine's mint (created if missing).
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// # use solana_signer::Signer;
/// let me = client.payer().pubkey();
/// let tokens = coherence_sdk::ops::ensure_ata(client, &keys, &me).await?;
/// # Ok(()) }
/// ```
pub async fn ensure_ata(client: &mut Client, keys: &EngineKeys, owner: &Pubkey) -> ClientResult<Pubkey> {
    let ata = get_associated_token_address_with_program_id(owner, &keys.mint, &keys.token_program);
    if client.account(&ata).await?.is_none() {
        let payer = client.payer().pubkey();
        let create = spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            &payer,
            owner,
            &keys.mint,
            &keys.token_program,
        );
        client.send(&[create], &[]).await?;
    }
    Ok(ata)
}

/// The epoch record a source's pending usage must be settled with: its last
/// epoch's record, once that epoch is closed (before that there is nothing
/// to settle with, and the program answers `SourceEpochNotClosed`).
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let record = coherence_sdk::ops::source_record(client, &keys, &coherence_sdk::pda::source(&keys.engine, 0)).await?;
/// # Ok(()) }
/// ```
pub async fn source_record(client: &mut Client, keys: &EngineKeys, source: &Pubkey) -> ClientResult<Option<Pubkey>> {
    let src: Source = client.get(source).await?;
    let next_epoch = client.get::<Engine>(&keys.engine).await?.next_epoch;
    Ok((src.usage > 0 && src.epoch < next_epoch).then(|| pda::epoch_record(&keys.engine, src.epoch)))
}

/// Burns `amount` from `payer`'s token account as usage.
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// # let payer = solana_keypair::Keypair::new();
/// coherence_sdk::ops::record_usage(client, &keys, &payer, 0, 1_000, None).await?;
/// # Ok(()) }
/// ```
pub async fn record_usage(
    client: &mut Client,
    keys: &EngineKeys,
    payer: &Keypair,
    shard: u8,
    amount: u64,
    source: Option<Pubkey>,
) -> ClientResult<String> {
    let tokens = ensure_ata(client, keys, &payer.pubkey()).await?;
    let record = match source {
        Some(s) => source_record(client, keys, &s).await?,
        None => None,
    };
    client.send(&[ix::record_usage(keys, &payer.pubkey(), &tokens, shard, amount, source, record)], &[payer]).await
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
    let mut closed = Vec::new();
    let mut tables = None;
    loop {
        let engine: Engine = client.get(&keys.engine).await?;
        let next = engine.next_epoch;
        match engine.epoch_start(next + 1) {
            Some(end) if now >= end => {
                if tables.is_none() {
                    tables = Some(close_tables(client, keys, engine.usage_shards).await?);
                }
                let tables = tables.as_deref().unwrap_or_default();
                client.send_with_tables(&[ix::close_epoch(keys, &payer, next, engine.usage_shards)], &[], tables).await?;
                closed.push(next);
            }
            _ => return Ok(closed),
        }
    }
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

/// The tables `close_epoch` is sent with: the engine's known table when
/// the client has one; none (a legacy transaction) when that fits; else a
/// new table, created now.
async fn close_tables(client: &mut Client, keys: &EngineKeys, shards: u8) -> ClientResult<Vec<lookup::AddressLookupTableAccount>> {
    if client.lookup_table(&keys.engine).is_none() && shards <= lookup::LEGACY_MAX_SHARDS {
        return Ok(vec![]);
    }
    Ok(vec![ensure_lookup_table(client, keys, shards).await?])
}

/// The engine's lookup table for `close_epoch`: the one the client knows
/// for it if that holds every needed address, else a new one — created,
/// filled, activated (one slot later) and remembered by the client. Save
/// its address (`Client::lookup_table`) to reuse it.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let table = coherence_sdk::ops::ensure_lookup_table(client, &keys, 16).await?;
/// assert_eq!(client.lookup_table(&keys.engine), Some(table.key));
/// # Ok(()) }
/// ```
pub async fn ensure_lookup_table(client: &mut Client, keys: &EngineKeys, shards: u8) -> ClientResult<lookup::AddressLookupTableAccount> {
    let needed = lookup::close_epoch_addresses(keys, shards);
    if let Some(key) = client.lookup_table(&keys.engine) {
        if let Some(account) = client.account(&key).await? {
            let table = lookup::decode(key, &account.data)?;
            if lookup::covers(&table, &needed) {
                return Ok(table);
            }
        }
    }
    let me = client.payer().pubkey();
    let slot = client.recent_slot().await?;
    let (key, txs) = lookup::create_txs(&me, slot, &needed);
    for tx in txs {
        client.send(&tx, &[]).await?;
    }
    client.next_slot().await?;
    client.set_lookup_table(keys.engine, key);
    Ok(lookup::AddressLookupTableAccount { key, addresses: needed })
}

/// The instructions that create a mint (`mint` must sign; `payer` becomes its
/// mint authority), the payer's associated token account, and mint `supply`
/// base units into it. Genesis hands the authority to the engine afterwards.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// let (payer, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ixs = coherence_sdk::ops::create_mint_ixs(&payer, &mint, &anchor_spl::token::ID, 6, 1_000_000).unwrap();
/// assert_eq!(ixs.len(), 4);
/// ```
pub fn create_mint_ixs(payer: &Pubkey, mint: &Pubkey, token_program: &Pubkey, decimals: u8, supply: u64) -> ClientResult<Vec<Instruction>> {
    use anchor_spl::token_2022::spl_token_2022 as t22;
    /// Rent-exempt minimum of an 82-byte mint.
    const MINT_RENT: u64 = 1_461_600;
    let ata = get_associated_token_address_with_program_id(payer, mint, token_program);
    let bad = |e: anchor_lang::solana_program::program_error::ProgramError| ClientError::Decode(e.to_string());
    Ok(vec![
        solana_system_interface::instruction::create_account(payer, mint, MINT_RENT, 82, token_program),
        t22::instruction::initialize_mint2(token_program, mint, payer, None, decimals).map_err(bad)?,
        spl_associated_token_account::instruction::create_associated_token_account_idempotent(payer, payer, mint, token_program),
        t22::instruction::mint_to_checked(token_program, mint, &ata, payer, &[], supply, decimals).map_err(bad)?,
    ])
}

/// A token account's balance (SPL Token or Token-2022 layout); 0 when the
/// account does not exist.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let in_treasury = coherence_sdk::ops::token_balance(client, &keys.treasury).await?;
/// # Ok(()) }
/// ```
pub async fn token_balance(client: &mut Client, account: &Pubkey) -> ClientResult<u64> {
    match client.account(account).await? {
        None => Ok(0),
        Some(a) => a
            .data
            .get(64..72)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| ClientError::Decode(format!("{account} is not a token account"))),
    }
}

/// A mint's supply in base units.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let supply = coherence_sdk::ops::mint_supply(client, &keys.mint).await?;
/// # Ok(()) }
/// ```
pub async fn mint_supply(client: &mut Client, mint: &Pubkey) -> ClientResult<u64> {
    let a = client.account(mint).await?.ok_or_else(|| ClientError::Decode(format!("mint {mint} does not exist")))?;
    a.data
        .get(36..44)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| ClientError::Decode(format!("{mint} is not a mint")))
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
    let supply = mint_supply(client, &keys.mint).await?.saturating_sub(escrowed(client, keys, engine.usage_shards).await?);
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
