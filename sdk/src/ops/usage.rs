//! Paying for usage, and a builder source's rewards: both settle the
//! source's last epoch first when that is due.

use super::tokens::{ata, create_ata_ix};
use crate::client::{Client, ClientResult};
use crate::{instructions as ix, pda, EngineKeys};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::state::{Engine, Source};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The epoch record to pass with a payment through `source`: that of the
/// source's older epoch when it holds usage of two (a payment that lands in
/// a third epoch reuses that slot and settles it; any other payment ignores
/// the record, so passing it early is harmless).
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let record = coherence_sdk::ops::source_record(client, &keys, &coherence_sdk::pda::source(&keys.engine, 0)).await?;
/// # Ok(()) }
/// ```
pub async fn source_record(client: &mut Client, keys: &EngineKeys, source: &Pubkey) -> ClientResult<Option<Pubkey>> {
    let src: Source = client.get(source).await?;
    Ok(src.record_for_payment().map(|epoch| pda::epoch_record(&keys.engine, epoch)))
}

/// The epoch records a claim of `source`'s rewards needs: those of the
/// closed epochs it still holds usage of (none, one or two).
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let records = coherence_sdk::ops::source_claim_records(client, &keys, &coherence_sdk::pda::source(&keys.engine, 0)).await?;
/// assert!(records.len() <= 2);
/// # Ok(()) }
/// ```
pub async fn source_claim_records(
    client: &mut Client,
    keys: &EngineKeys,
    source: &Pubkey,
) -> ClientResult<Vec<Pubkey>> {
    let src: Source = client.get(source).await?;
    let next_epoch = client.get::<Engine>(&keys.engine).await?.next_epoch;
    Ok(src.settles_with(next_epoch).map(|epoch| pda::epoch_record(&keys.engine, epoch)).collect())
}

/// The instructions that pay `amount` from `payer`'s token account as usage
/// through `shard` (attributed to `source`, if any): the payer's associated
/// token account when it does not exist yet (the client's payer pays its
/// rent), then `record_usage` with the source's epoch record when its last
/// epoch must be settled first.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let me = solana_signer::Signer::pubkey(client.payer());
/// let ixs = coherence_sdk::ops::record_usage_ixs(client, &keys, &me, 0, 1_000, None).await?;
/// client.send(&ixs, &[]).await?;
/// # Ok(()) }
/// ```
pub async fn record_usage_ixs(
    client: &mut Client,
    keys: &EngineKeys,
    payer: &Pubkey,
    shard: u8,
    amount: u64,
    source: Option<Pubkey>,
) -> ClientResult<Vec<Instruction>> {
    let tokens = ata(keys, payer);
    let mut ixs = Vec::with_capacity(2);
    if client.account(&tokens).await?.is_none() {
        ixs.push(create_ata_ix(keys, &client.payer().pubkey(), payer));
    }
    let record = match source {
        Some(s) => source_record(client, keys, &s).await?,
        None => None,
    };
    ixs.push(ix::record_usage(keys, payer, &tokens, shard, amount, source, record));
    Ok(ixs)
}

/// Pays `amount` from `payer`'s token account as usage: sends
/// [`record_usage_ixs`].
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
    let ixs = record_usage_ixs(client, keys, &payer.pubkey(), shard, amount, source).await?;
    client.send(&ixs, &[payer]).await
}

/// The instructions that claim source `source`'s builder rewards into the
/// builder's associated token account (created if missing), settling the
/// closed epochs it still holds first.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let me = solana_signer::Signer::pubkey(client.payer());
/// let source = coherence_sdk::pda::source(&keys.engine, 0);
/// let ixs = coherence_sdk::ops::claim_source_rewards_ixs(client, &keys, &me, &source).await?;
/// # Ok(()) }
/// ```
pub async fn claim_source_rewards_ixs(
    client: &mut Client,
    keys: &EngineKeys,
    builder: &Pubkey,
    source: &Pubkey,
) -> ClientResult<Vec<Instruction>> {
    let records = source_claim_records(client, keys, source).await?;
    let payer = client.payer().pubkey();
    Ok(vec![
        create_ata_ix(keys, &payer, builder),
        ix::claim_source_rewards(keys, builder, source, &records, &ata(keys, builder)),
    ])
}
