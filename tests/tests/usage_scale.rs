//! Usage at scale (DESIGN §4.5c): payments write nothing another shard's
//! payer writes; every escrowed token is burned at (or before) its epoch's
//! close; a 16-shard `close_epoch` fits in well under 1,000 bytes with the
//! engine's address lookup table, which the crank creates when none exists.

use anchor_lang::prelude::Pubkey;
use coherence::errors::CoherenceError;
use coherence::events::UsageShardInitialized;
use coherence::state::{EpochRecord, UsageShard};
use coherence_sdk::{instructions as ix, lookup, ops, pda, Client};
use coherence_tests::*;
use solana_message::Message;
use solana_signer::Signer;
use std::collections::BTreeSet;

const U: u64 = 1_000_000;

/// The accounts a transaction write-locks, read from its compiled message.
fn write_locks(ixs: &[anchor_lang::solana_program::instruction::Instruction], payer: &Pubkey) -> BTreeSet<Pubkey> {
    let message = Message::new(ixs, Some(payer));
    (0..message.account_keys.len())
        .filter(|&i| message.is_maybe_writable(i, None))
        .map(|i| message.account_keys[i])
        .collect()
}

#[test]
fn record_usage_write_locks_nothing_another_shards_payer_writes() {
    let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
    let mut seen: Vec<BTreeSet<Pubkey>> = Vec::new();
    for shard in 0..16u8 {
        // Each payer pays for itself, from its own token account, half of
        // them through their own builder's source.
        let (payer, tokens) = (Pubkey::new_unique(), Pubkey::new_unique());
        let source = (shard % 2 == 0).then(|| pda::source(&keys.engine, u64::from(shard)));
        let record = source.map(|_| pda::epoch_record(&keys.engine, 3));
        let locks = write_locks(&[ix::record_usage(&keys, &payer, &tokens, shard, U, source, record)], &payer);
        let mut expected: BTreeSet<Pubkey> =
            [payer, tokens, pda::usage_shard(&keys.engine, shard), pda::usage_escrow(&keys.engine, shard)].into();
        expected.extend(source);
        assert_eq!(
            locks, expected,
            "shard {shard}: exactly the payer, its tokens, its shard, its escrow (and its source)"
        );
        for shared in [keys.mint, keys.engine, keys.stake_pool, keys.treasury, keys.reward_vault, keys.builder_vault] {
            assert!(!locks.contains(&shared), "shard {shard} write-locks an engine-wide account {shared}");
        }
        for (other, earlier) in seen.iter().enumerate() {
            assert!(locks.is_disjoint(earlier), "shard {shard} and shard {other} write-lock a common account");
        }
        seen.push(locks);
    }
}

/// 16 shards: payments in every shard; the crank finds no lookup table,
/// creates one and closes; the next close is a v0 transaction of at most
/// 1,000 bytes; every escrow is burned in full at each close.
#[tokio::test]
async fn sixteen_shard_close_creates_the_table_then_fits_in_1000_bytes_and_burns_every_escrow() {
    let mut h = Harness::new().await;
    let f = Fixture::with(&mut h, |a| a.usage_shards = 16).await;
    let (user, tokens) = f.user(&mut h, 100 * U).await;
    for shard in 0..16u8 {
        f.record(&mut h, &user, &tokens, shard, U + u64::from(shard), None).await.unwrap();
    }
    let paid: u64 = (0..16).map(|s| U + s).sum();
    let supply = h.mint_state(&f.keys.mint).await.supply;
    // Without a table the transaction is too large to send.
    let payer = h.payer();
    let legacy = h.bank.transaction(&[ix::close_epoch(&f.keys, &payer.pubkey(), 0, 16)], &[&payer]).unwrap();
    assert!(bincode::serialize(&legacy).unwrap().len() > 1_232);

    let mut client = Client::local(h.bank, payer.insecure_clone());
    let engine: coherence::state::Engine = client.get(&f.keys.engine).await.unwrap();
    let bank = client.local_bank().unwrap();
    bank.warp_to(engine.epoch_start(1).unwrap()).await.unwrap();
    assert_eq!(client.lookup_table(&f.keys.engine), None);
    assert_eq!(ops::crank(&mut client, &f.keys).await.unwrap(), vec![0]);
    let table_key = client.lookup_table(&f.keys.engine).expect("the crank created the engine's table");
    let table = lookup::decode(table_key, &client.account(&table_key).await.unwrap().unwrap().data).unwrap();
    assert_eq!(table.addresses, lookup::close_epoch_addresses(&f.keys, 16));

    let r: EpochRecord = client.get(&pda::epoch_record(&f.keys.engine, 0)).await.unwrap();
    assert_eq!((r.usage, r.escrow_burned), (paid, paid));
    for shard in 0..16 {
        assert_eq!(ops::token_balance(&mut client, &pda::usage_escrow(&f.keys.engine, shard)).await.unwrap(), 0);
    }
    let after = ops::mint_supply(&mut client, &f.keys.mint).await.unwrap();
    assert_eq!(after, supply - paid + r.emission, "escrows burned before the emission was minted");

    // Epoch 1: the same close with the table is ≤ 1,000 bytes, and works.
    let bank = client.local_bank().unwrap();
    bank.warp_to(engine.epoch_start(2).unwrap()).await.unwrap();
    let close = ix::close_epoch(&f.keys, &payer.pubkey(), 1, 16);
    let v0 = bank.transaction_v0(std::slice::from_ref(&close), &[&payer], std::slice::from_ref(&table)).unwrap();
    let bytes = bincode::serialize(&v0).unwrap().len();
    assert!(bytes <= 1_000, "close_epoch with 16 shards and the table: {bytes} bytes");
    client.send_with_tables(&[close], &[], &[table]).await.unwrap();
    assert_eq!(client.get::<coherence::state::Engine>(&f.keys.engine).await.unwrap().next_epoch, 2);
    // The next crank reuses the table the client knows.
    let bank = client.local_bank().unwrap();
    bank.warp_to(engine.epoch_start(3).unwrap()).await.unwrap();
    assert_eq!(ops::crank(&mut client, &f.keys).await.unwrap(), vec![2]);
    assert_eq!(client.lookup_table(&f.keys.engine), Some(table_key));
}

/// Tokens paid in the next epoch before the crank closes the previous one
/// are burned early (never late), and counted in their own epoch.
#[tokio::test]
async fn payments_into_the_next_epoch_are_burned_early_and_counted_once() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 100 * U).await;
    f.record(&mut h, &user, &tokens, 0, 3 * U, None).await.unwrap();
    f.warp_to_epoch(&mut h, 1).await;
    // Epoch 0 has ended but is still open: this payment belongs to epoch 1.
    f.record(&mut h, &user, &tokens, 0, 5 * U, None).await.unwrap();
    let supply = h.mint_state(&f.keys.mint).await.supply;
    f.close(&mut h, 0).await.unwrap();
    let r0 = f.record_of(&mut h, 0).await;
    assert_eq!((r0.usage, r0.escrow_burned), (3 * U, 8 * U));
    assert_eq!(h.mint_state(&f.keys.mint).await.supply, supply - 8 * U + r0.emission);
    f.warp_to_epoch(&mut h, 2).await;
    f.close(&mut h, 1).await.unwrap();
    let r1 = f.record_of(&mut h, 1).await;
    assert_eq!((r1.usage, r1.escrow_burned), (5 * U, 0), "counted in epoch 1, already burned");
    assert_eq!(f.engine(&mut h).await.total_usage_burned, 8 * U as u128);
}

/// Attacks on the escrow: another shard's escrow, a vault in an escrow's
/// place, escrows left out, and moving tokens out of an escrow directly.
#[tokio::test]
async fn escrows_cannot_be_swapped_skipped_or_drained() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 10 * U).await;
    // record_usage into shard 0 naming shard 1's escrow.
    let mut swapped = ix::record_usage(&f.keys, &user.pubkey(), &tokens, 0, U, None, None);
    swapped.accounts[3].pubkey = pda::usage_escrow(&f.keys.engine, 1);
    assert_error(h.send(&[swapped], &[&user]).await, CoherenceError::WrongShardAccounts);
    f.record(&mut h, &user, &tokens, 0, U, None).await.unwrap();
    f.warp_to_epoch(&mut h, 1).await;
    let payer = h.payer().pubkey();
    // The treasury in escrow 0's place (burning it would destroy treasury funds).
    let mut close = ix::close_epoch(&f.keys, &payer, 0, USAGE_SHARDS);
    let escrow0 = close.accounts.len() - USAGE_SHARDS as usize;
    close.accounts[escrow0].pubkey = f.keys.treasury;
    assert_error(h.send(&[close], &[]).await, CoherenceError::WrongShardAccounts);
    // Escrows left out.
    let mut short = ix::close_epoch(&f.keys, &payer, 0, USAGE_SHARDS);
    short.accounts.truncate(short.accounts.len() - USAGE_SHARDS as usize);
    assert_error(h.send(&[short], &[]).await, CoherenceError::WrongShardAccounts);
    // The escrow belongs to the engine PDA: no wallet can move its tokens.
    let escrow = pda::usage_escrow(&f.keys.engine, 0);
    let theft = anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &TOKEN,
        &escrow,
        &f.keys.mint,
        &tokens,
        &user.pubkey(),
        &[],
        U,
        DECIMALS,
    )
    .unwrap();
    assert_eq!(custom_code(&h.send(&[theft], &[&user]).await), Some(4), "token program: OwnerMismatch");
    assert_eq!(h.balance(&escrow).await, U);
    // The honest close still works and burns it.
    f.close(&mut h, 0).await.unwrap();
    assert_eq!(h.balance(&escrow).await, 0);
}

/// A version-1 shard (no escrow) refuses payments by name until
/// `init_usage_shard` adds its escrow in place; its usage is kept.
#[tokio::test]
async fn version_1_shard_is_upgraded_in_place() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 10 * U).await;
    f.record(&mut h, &user, &tokens, 2, U, None).await.unwrap();
    f.warp_to_epoch(&mut h, 1).await;
    f.close(&mut h, 0).await.unwrap();
    // Make shard 2 what an engine from before escrows has: version 1, no
    // escrow (its tokens were burned at payment then).
    let (shard_key, escrow) = (pda::usage_shard(&f.keys.engine, 2), pda::usage_escrow(&f.keys.engine, 2));
    let mut shard: UsageShard = h.get(&shard_key).await;
    shard.version = 1;
    shard.usage_escrow = Pubkey::default();
    h.overwrite(&shard_key, &shard).await;
    assert_eq!(h.balance(&escrow).await, 0);
    h.bank.ctx.set_account(&escrow, &solana_account::Account::default().into());
    assert_error(f.record(&mut h, &user, &tokens, 2, U, None).await, CoherenceError::ShardWithoutEscrow);
    let payer = h.payer().pubkey();
    f.warp_to_epoch(&mut h, 2).await;
    assert_error(f.close(&mut h, 1).await, CoherenceError::ShardWithoutEscrow);

    let events = h.send_events::<UsageShardInitialized>(&[ix::init_usage_shard(&f.keys, &payer, 2)], &[]).await;
    assert!(events[0].upgraded && events[0].escrow == escrow);
    let upgraded: UsageShard = h.get(&shard_key).await;
    assert_eq!(
        (upgraded.version, upgraded.usage_escrow, upgraded.usage_of(0).usage),
        (2, escrow, U),
        "usage slots kept"
    );
    // Once upgraded, a second run is refused; payments and closes work.
    assert_error(
        h.send(&[ix::init_usage_shard(&f.keys, &payer, 2)], &[]).await,
        CoherenceError::AccountAlreadyInitialized,
    );
    f.close(&mut h, 1).await.unwrap();
    f.record(&mut h, &user, &tokens, 2, 2 * U, None).await.unwrap();
    f.warp_to_epoch(&mut h, 3).await;
    f.close(&mut h, 2).await.unwrap();
    let r = f.record_of(&mut h, 2).await;
    assert_eq!((r.usage, r.escrow_burned), (2 * U, 2 * U));
}
