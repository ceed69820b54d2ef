//! Liveness: what a stranger, a late crank or a hostile key holder can stop.
//!
//! - A builder's source holds two epochs, as a shard does: a payment through
//!   it right after an epoch boundary succeeds while the previous epoch is
//!   still open (even when a stranger's 1-base-unit payment put the source
//!   in that epoch), fails only where any payment would (`EpochBacklog`),
//!   and settles exactly when the epoch closes.
//! - A client that read the source just before another payment settled its
//!   older epoch still pays: the record it passes, now older than anything
//!   the source holds, is ignored.
//! - The crank's address lookup table can be deactivated by its authority;
//!   the SDK's crank then never uses it: it falls back to a legacy
//!   `close_epoch` where that fits (4 shards) and otherwise creates a fresh
//!   table (16 shards), which it freezes so that no key can deactivate it.

use anchor_lang::prelude::Pubkey;
use coherence::errors::CoherenceError;
use coherence::state::{Engine, EpochRecord, Source};
use coherence_sdk::{defaults, instructions as ix, lookup, ops, pda, Client, EngineKeys};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const U: u64 = 1_000_000;

#[tokio::test]
async fn payments_through_a_source_at_an_epoch_boundary_never_wait_for_the_crank() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 1_000 * U).await;
    let (stranger, stranger_tokens) = f.user(&mut h, U).await;
    let builder = h.wallet().await;
    let builder_tokens = h.token_account(&f.keys.mint, &builder.pubkey()).await;
    let source = f.register_source(&mut h, &builder).await;
    // A stranger pays 1 base unit through the builder's source at the end of
    // epoch 0: the source now holds usage of epoch 0.
    f.warp_to_epoch(&mut h, 0).await;
    f.record(&mut h, &user, &tokens, 0, 10 * U, Some(source)).await.unwrap();
    let end = f.epoch_start(&mut h, 1).await - 1;
    h.warp_to(end).await;
    f.record(&mut h, &stranger, &stranger_tokens, 1, 1, Some(source)).await.unwrap();

    // Epoch 1 begins; nobody has closed epoch 0. The builder's users pay on.
    f.warp_to_epoch(&mut h, 1).await;
    assert_eq!(f.engine(&mut h).await.next_epoch, 0, "epoch 0 is still open");
    for _ in 0..3 {
        f.record(&mut h, &user, &tokens, 2, 5 * U, Some(source)).await.expect("a payment right after the boundary");
    }
    let s: Source = h.get(&source).await;
    assert_eq!((s.epoch, s.usage, s.epoch_b, s.usage_b), (0, 10 * U + 1, 1, 15 * U));

    // Epoch 2 with epoch 0 still open: refused, exactly as a plain payment is.
    f.warp_to_epoch(&mut h, 2).await;
    assert_error(f.record(&mut h, &user, &tokens, 0, U, Some(source)).await, CoherenceError::EpochBacklog);
    assert_error(f.record(&mut h, &user, &tokens, 0, U, None).await, CoherenceError::EpochBacklog);

    // The crank closes epoch 0: the next payment (epoch 2) reuses epoch 0's
    // slot and settles it with its record, exactly its share of the pool.
    f.close(&mut h, 0).await.unwrap();
    let r0: EpochRecord = f.record_of(&mut h, 0).await;
    f.record(&mut h, &user, &tokens, 0, 7 * U, Some(source)).await.expect("epoch 2 through the source");
    let s: Source = h.get(&source).await;
    let share0 = (r0.builders_amount as u128 * (10 * U + 1) as u128 / r0.attributed as u128) as u64;
    assert_eq!((s.epoch, s.usage, s.epoch_b, s.usage_b, s.claimable), (2, 7 * U, 1, 15 * U, share0));

    // Epochs 1 and 2 close; the claim settles both, exactly.
    f.close(&mut h, 1).await.unwrap();
    f.warp_to_epoch(&mut h, 3).await;
    f.close(&mut h, 2).await.unwrap();
    let (r1, r2) = (f.record_of(&mut h, 1).await, f.record_of(&mut h, 2).await);
    let got = f.claim_source(&mut h, &builder, &source, &builder_tokens).await.unwrap();
    let share = |r: &EpochRecord, u: u64| (r.builders_amount as u128 * u as u128 / r.attributed as u128) as u64;
    assert_eq!(got, share0 + share(&r1, 15 * U) + share(&r2, 7 * U));
    assert_eq!((r1.usage, r1.attributed, r2.usage), (15 * U, 15 * U, 7 * U));
}

/// A version-1 source (its second slot's bytes zero) keeps working, and a
/// record passed for nothing, or for another epoch, is refused by name.
#[tokio::test]
async fn a_version_1_source_upgrades_in_place_and_a_wrong_record_is_named() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 1_000 * U).await;
    let builder = h.wallet().await;
    let source = f.register_source(&mut h, &builder).await;
    let mut s: Source = h.get(&source).await;
    s.version = 1;
    h.overwrite(&source, &s).await;
    f.record(&mut h, &user, &tokens, 0, U, Some(source)).await.unwrap();
    assert_eq!(h.get::<Source>(&source).await.version, 2);
    // One epoch held: no record is needed, so none may be passed.
    let stray = pda::epoch_record(&f.keys.engine, 0);
    let pay = |record| ix::record_usage(&f.keys, &user.pubkey(), &tokens, 0, U, Some(source), Some(record));
    assert_error(h.send(&[pay(stray)], &[&user]).await, CoherenceError::WrongEpochRecord);
    // Two epochs held (0 and 1): only epoch 0's record, even before it exists.
    f.warp_to_epoch(&mut h, 1).await;
    f.record(&mut h, &user, &tokens, 0, U, Some(source)).await.unwrap();
    assert_error(
        h.send(&[pay(pda::epoch_record(&f.keys.engine, 1))], &[&user]).await,
        CoherenceError::WrongEpochRecord,
    );
    h.send(&[pay(pda::epoch_record(&f.keys.engine, 0))], &[&user]).await.expect("passed early: harmless");
    assert_error(h.send(&[pay(Pubkey::new_unique())], &[&user]).await, CoherenceError::WrongEpochRecord);
}

/// Two clients read the source while it holds epochs 0 and 1 and both pass
/// epoch 0's record; the first payment of epoch 2 settles epoch 0, and the
/// second, whose record is now stale, still pays (the record, older than
/// anything the source holds, is ignored). A newer epoch's record is still
/// refused.
#[tokio::test]
async fn a_client_that_read_the_source_before_another_payment_settled_it_still_pays() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 1_000 * U).await;
    let (other, other_tokens) = f.user(&mut h, 1_000 * U).await;
    let builder = h.wallet().await;
    let source = f.register_source(&mut h, &builder).await;
    f.record(&mut h, &user, &tokens, 0, 3 * U, Some(source)).await.unwrap();
    f.warp_to_epoch(&mut h, 1).await;
    f.record(&mut h, &user, &tokens, 0, 5 * U, Some(source)).await.unwrap();
    f.close(&mut h, 0).await.unwrap();
    f.warp_to_epoch(&mut h, 2).await;
    let s: Source = h.get(&source).await;
    assert_eq!(s.record_for_payment(), Some(0), "both clients are told: epoch 0's record");
    let record0 = pda::epoch_record(&f.keys.engine, 0);
    let first = ix::record_usage(&f.keys, &user.pubkey(), &tokens, 0, U, Some(source), Some(record0));
    let second = ix::record_usage(&f.keys, &other.pubkey(), &other_tokens, 1, 2 * U, Some(source), Some(record0));
    h.send(&[first], &[&user]).await.expect("the first settles epoch 0");
    let s: Source = h.get(&source).await;
    assert_eq!(s.record_for_payment(), Some(1));
    h.send(&[second], &[&other]).await.expect("the stale client pays too");
    let s: Source = h.get(&source).await;
    let r0 = f.record_of(&mut h, 0).await;
    let share0 = (r0.builders_amount as u128 * (3 * U) as u128 / r0.attributed as u128) as u64;
    assert_eq!(
        (s.claimable, s.epoch, s.usage, s.epoch_b, s.usage_b),
        (share0, 2, 3 * U, 1, 5 * U),
        "epoch 0 settled once"
    );
    // Epoch 1 closes: a record newer than the one the source needs (1) is refused.
    f.close(&mut h, 1).await.unwrap();
    f.warp_to_epoch(&mut h, 3).await;
    f.close(&mut h, 2).await.unwrap();
    let newer = pda::epoch_record(&f.keys.engine, 2);
    let pay = ix::record_usage(&f.keys, &user.pubkey(), &tokens, 0, U, Some(source), Some(newer));
    assert_error(h.send(&[pay], &[&user]).await, CoherenceError::WrongEpochRecord);
}

/// An engine with `shards` shards, its crank client, and a funded payer.
async fn engine(shards: u8) -> (Client, EngineKeys, Keypair) {
    let creator = Keypair::new();
    let user = Keypair::new();
    let bank = coherence_tests::token_program::local_bank(&[creator.pubkey(), user.pubkey()], |_| {}).await;
    let mut client = Client::local(bank, creator.insecure_clone());
    let mint = Keypair::new();
    let me = creator.pubkey();
    let create = ops::create_mint_ixs(&me, &mint.pubkey(), &anchor_spl::token::ID, 6, 1_000_000 * U).unwrap();
    client.send(&create, &[&mint]).await.expect("mint");
    let mut args = defaults::init_args(me, 10_000_000 * U);
    args.usage_shards = shards;
    let keys = ops::init_engine(&mut client, mint.pubkey(), anchor_spl::token::ID, args).await.expect("genesis");
    let give = anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &keys.token_program,
        &ops::ata(&keys, &me),
        &keys.mint,
        &ops::ata(&keys, &user.pubkey()),
        &me,
        &[],
        1_000 * U,
        6,
    )
    .unwrap();
    client.send(&[ops::create_ata_ix(&keys, &me, &user.pubkey()), give], &[]).await.expect("fund the payer");
    (client, keys, user)
}

/// Pays in every shard, moves to the next epoch, cranks; returns what closed.
async fn epoch(client: &mut Client, keys: &EngineKeys, user: &Keypair, shards: u8) -> Vec<u64> {
    for shard in 0..shards {
        ops::record_usage(client, keys, user, shard, U, None).await.expect("usage");
    }
    let engine: Engine = client.get(&keys.engine).await.unwrap();
    let now = client.now().await.unwrap();
    let next = engine.epoch_at(now) + 1;
    let bank = client.local_bank().unwrap();
    bank.warp_to(engine.epoch_start(next).unwrap()).await.unwrap();
    bank.next_slot().await.unwrap();
    ops::crank(client, keys).await.expect("the crank closes every ended epoch")
}

/// The deploy key made the engine's table (not frozen) and deactivates it
/// mid-life; once the cool-down has passed the table is unusable, yet the
/// crank closes every epoch: legacy with 4 shards, a fresh frozen table
/// with 16.
#[tokio::test]
async fn a_deactivated_lookup_table_never_stops_the_crank() {
    for shards in [4u8, 16] {
        let (mut client, keys, user) = engine(shards).await;
        let deployer = client.payer().insecure_clone();
        let slot = client.recent_slot().await.unwrap();
        let (table, txs) = lookup::create_txs(&deployer.pubkey(), slot, &lookup::close_epoch_addresses(&keys, shards));
        for tx in txs {
            client.send(&tx, &[]).await.expect("create the table");
        }
        client.next_slot().await.unwrap();
        client.set_lookup_table(keys.engine, table);
        assert_eq!(epoch(&mut client, &keys, &user, shards).await, vec![0], "{shards} shards: closed with the table");

        let deactivate =
            solana_address_lookup_table_interface::instruction::deactivate_lookup_table(table, deployer.pubkey());
        client.send(&[deactivate], &[]).await.expect("the deploy key deactivates the table");
        client.local_bank().unwrap().skip_slots(600).await.unwrap();
        let stale = ix::close_epoch(&keys, &deployer.pubkey(), 1, shards);
        let old =
            lookup::AddressLookupTableAccount { key: table, addresses: lookup::close_epoch_addresses(&keys, shards) };
        let bank = client.local_bank().unwrap();
        assert!(bank.send_with_tables(&[stale], &[&deployer], &[old]).await.is_err(), "the old table is unusable");

        for e in 1..4u64 {
            assert_eq!(epoch(&mut client, &keys, &user, shards).await, vec![e], "{shards} shards: epoch {e}");
        }
        assert_eq!(client.get::<Engine>(&keys.engine).await.unwrap().next_epoch, 4);
        match (shards, client.lookup_table(&keys.engine)) {
            (4, None) => {}
            (16, Some(fresh)) => {
                assert_ne!(fresh, table);
                let state = lookup::decode_state(fresh, &client.account(&fresh).await.unwrap().unwrap().data).unwrap();
                assert!(state.is_frozen() && state.is_active(), "{state:?}");
                let try_deactivate = solana_address_lookup_table_interface::instruction::deactivate_lookup_table(
                    fresh,
                    deployer.pubkey(),
                );
                assert!(client.send(&[try_deactivate], &[]).await.is_err(), "a frozen table cannot be deactivated");
            }
            other => panic!("{shards} shards: unexpected table {other:?}"),
        }
    }
}
