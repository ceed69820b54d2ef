//! Genesis: the engine and every usage shard, idempotently.

use crate::client::{Client, ClientError, ClientResult};
use crate::{instructions as ix, pda, EngineKeys};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::instructions::InitEngineArgs;
use coherence::state::Engine;
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
pub async fn init_engine(
    client: &mut Client,
    mint: Pubkey,
    token_program: Pubkey,
    args: InitEngineArgs,
) -> ClientResult<EngineKeys> {
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
pub async fn genesis_transactions(
    client: &mut Client,
    keys: &EngineKeys,
    args: InitEngineArgs,
) -> ClientResult<Vec<Vec<Instruction>>> {
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
