//! Usage-gated emission: burn-to-use, sharded usage, epoch close, builder
//! sources (I1–I3).

use coherence::errors::CoherenceError;
use coherence::events::{EpochClosed, UsageRecorded};
use coherence::state::{Engine, Source, UsageShard};
use coherence_sdk::{instructions as ix, pda, preview};
use coherence_tests::*;
use solana_signer::Signer;

const U: u64 = 1_000_000_000;

async fn setup() -> (Harness, Fixture) {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    (h, f)
}

async fn shards(h: &mut Harness, f: &Fixture) -> Vec<UsageShard> {
    let mut out = Vec::new();
    for i in 0..USAGE_SHARDS {
        out.push(h.get(&pda::usage_shard(&f.keys.engine, i)).await);
    }
    out
}

#[tokio::test]
async fn usage_burns_and_epoch_close_emits_alpha_share_split_three_ways() {
    let (mut h, f) = setup().await;
    let (user, tokens) = f.user(&mut h, 10 * U).await;
    let supply0 = h.mint_state(&f.keys.mint).await.supply;
    for shard in 0..USAGE_SHARDS {
        let ixr = ix::record_usage(&f.keys, &user.pubkey(), &tokens, shard, U, None, None);
        let ev = h.send_events::<UsageRecorded>(&[ixr], &[&user]).await;
        assert_eq!((ev[0].epoch, ev[0].shard, ev[0].amount, ev[0].shard_usage), (0, shard, U, U));
    }
    assert_eq!(h.balance(&tokens).await, 6 * U);
    // Paid into the shards' escrows, burned only when the epoch closes.
    assert_eq!(h.mint_state(&f.keys.mint).await.supply, supply0);
    for shard in 0..USAGE_SHARDS {
        assert_eq!(h.balance(&pda::usage_escrow(&f.keys.engine, shard)).await, U);
    }

    // Too early: the epoch has not ended.
    assert_error(f.close(&mut h, 0).await, CoherenceError::EpochNotEnded);
    f.warp_to_epoch(&mut h, 1).await;
    let engine: Engine = f.engine(&mut h).await;
    let supply = h.mint_state(&f.keys.mint).await.supply - 4 * U;
    let (outcome, split) = preview::preview_emission(&engine, &shards(&mut h, &f).await, supply, 0).unwrap();
    let payer = h.payer().pubkey();
    let closed = h.send_events::<EpochClosed>(&[ix::close_epoch(&f.keys, &payer, 0, USAGE_SHARDS)], &[]).await;

    // Baseline 0: any usage passes; E = U·α = 2 U; no attribution → builders 0.
    assert_eq!((closed[0].usage, closed[0].escrow_burned), (4 * U, 4 * U));
    assert!(closed[0].gate_passed);
    assert_eq!(closed[0].emission, 2 * U);
    assert_eq!((closed[0].treasury_amount, closed[0].builders_amount, closed[0].stakers_amount), (U / 5, 0, 9 * U / 5));
    assert_eq!(outcome.emission, closed[0].emission, "SDK preview is exact");
    assert_eq!(split.stakers, closed[0].stakers_amount);
    assert_eq!(h.balance(&f.keys.treasury).await, U / 5);
    assert_eq!(h.balance(&f.keys.reward_vault).await, 9 * U / 5);
    assert_eq!(h.mint_state(&f.keys.mint).await.supply, supply0 - 4 * U + 2 * U, "escrows burned, emission minted");
    for shard in 0..USAGE_SHARDS {
        assert_eq!(h.balance(&pda::usage_escrow(&f.keys.engine, shard)).await, 0);
    }

    let record = f.record_of(&mut h, 0).await;
    assert_eq!((record.usage, record.emission, record.baseline, record.gate_passed), (4 * U, 2 * U, 0, true));
    let engine: Engine = f.engine(&mut h).await;
    assert_eq!(engine.next_epoch, 1);
    assert_eq!(engine.baseline, 0, "the median of (0, 0, 4 U) is 0: one epoch alone is not yet a level");
    assert_eq!(engine.recent_usage, [0, 4 * U]);
    assert_eq!(record.baseline_input, 0);
    assert_eq!(engine.total_emitted, 2 * U as u128);
    assert_eq!(engine.total_usage_burned, 4 * U as u128);
    assert_eq!(engine.cap, default_params().cap * 99 / 100);
}

#[tokio::test]
async fn closing_twice_early_or_out_of_order_rejected() {
    let (mut h, f) = setup().await;
    f.warp_to_epoch(&mut h, 3).await;
    assert_error(f.close(&mut h, 1).await, CoherenceError::EpochOutOfOrder);
    f.close(&mut h, 0).await.unwrap();
    assert_error(f.close(&mut h, 0).await, CoherenceError::EpochAlreadyClosed);
    f.close(&mut h, 1).await.unwrap();
    f.close(&mut h, 2).await.unwrap();
    assert_error(f.close(&mut h, 3).await, CoherenceError::EpochNotEnded);
}

#[tokio::test]
async fn declining_usage_emits_nothing() {
    let (mut h, f) = setup().await;
    let (user, tokens) = f.user(&mut h, 20 * U).await;
    for e in 0..2 {
        f.record(&mut h, &user, &tokens, 0, 5 * U, None).await.unwrap();
        f.warp_to_epoch(&mut h, e + 1).await;
        f.close(&mut h, e).await.unwrap();
    }
    // Baseline is now U (20 % of the median 5 U); the gate needs 90 % of it.
    assert_eq!(f.engine(&mut h).await.baseline, U);
    f.record(&mut h, &user, &tokens, 1, 9 * U / 10 - 1, None).await.unwrap();
    f.warp_to_epoch(&mut h, 3).await;
    f.close(&mut h, 2).await.unwrap();
    let r = f.record_of(&mut h, 2).await;
    assert!(!r.gate_passed);
    assert_eq!(r.emission, 0);
    // Exactly at the gate it emits again.
    let baseline = f.engine(&mut h).await.baseline;
    f.record(&mut h, &user, &tokens, 2, (baseline * 9).div_ceil(10), None).await.unwrap();
    f.warp_to_epoch(&mut h, 4).await;
    f.close(&mut h, 3).await.unwrap();
    assert!(f.record_of(&mut h, 3).await.gate_passed);
}

#[tokio::test]
async fn emission_stops_at_max_supply_and_cap_decays() {
    let mut h = Harness::new().await;
    let f = Fixture::with(&mut h, |a| {
        a.max_supply = GENESIS_SUPPLY + 3 * U;
        a.params.cap = 10 * U;
    })
    .await;
    let (user, tokens) = f.user(&mut h, 200 * U).await;
    let mut supply = h.mint_state(&f.keys.mint).await.supply;
    let mut cap = 10 * U;
    for epoch in 0..4u64 {
        f.record(&mut h, &user, &tokens, 0, 40 * U, None).await.unwrap();
        supply -= 40 * U;
        f.warp_to_epoch(&mut h, epoch + 1).await;
        f.close(&mut h, epoch).await.unwrap();
        let r = f.record_of(&mut h, epoch).await;
        assert_eq!(r.cap, cap);
        // α·U = 20 U; capped by the decaying cap, then by max supply − supply.
        let expected = (20 * U).min(cap).min(GENESIS_SUPPLY + 3 * U - supply);
        assert_eq!(r.emission, expected, "epoch {epoch}");
        supply += r.emission;
        assert!(h.mint_state(&f.keys.mint).await.supply <= GENESIS_SUPPLY + 3 * U);
        cap = cap * 99 / 100;
        assert_eq!(f.engine(&mut h).await.cap, cap);
    }
}

#[tokio::test]
async fn usage_after_an_epoch_ended_counts_for_the_next_epoch() {
    let (mut h, f) = setup().await;
    let (user, tokens) = f.user(&mut h, 10 * U).await;
    f.record(&mut h, &user, &tokens, 0, U, None).await.unwrap();
    // Epoch 0 has ended but is not closed: recording still works, for epoch 1.
    f.warp_to_epoch(&mut h, 1).await;
    f.record(&mut h, &user, &tokens, 0, 2 * U, None).await.unwrap();
    f.close(&mut h, 0).await.unwrap();
    assert_eq!(f.record_of(&mut h, 0).await.usage, U);
    f.warp_to_epoch(&mut h, 2).await;
    f.close(&mut h, 1).await.unwrap();
    assert_eq!(f.record_of(&mut h, 1).await.usage, 2 * U);
}

#[tokio::test]
async fn a_backlog_of_ended_epochs_must_be_cranked_first() {
    let (mut h, f) = setup().await;
    let (user, tokens) = f.user(&mut h, 10 * U).await;
    f.warp_to_epoch(&mut h, 2).await;
    assert_error(f.record(&mut h, &user, &tokens, 0, U, None).await, CoherenceError::EpochBacklog);
    f.close(&mut h, 0).await.unwrap();
    f.record(&mut h, &user, &tokens, 0, U, None).await.unwrap();
    assert_eq!(h.balance(&tokens).await, 9 * U);
}

#[tokio::test]
async fn missed_epochs_close_one_by_one_emitting_nothing() {
    let (mut h, f) = setup().await;
    f.warp_to_epoch(&mut h, 10).await;
    for epoch in 0..10 {
        f.close(&mut h, epoch).await.unwrap();
        assert_eq!(f.record_of(&mut h, epoch).await.emission, 0);
    }
    let engine = f.engine(&mut h).await;
    assert_eq!(engine.next_epoch, 10);
    assert_eq!(engine.total_emitted, 0);
}

#[tokio::test]
async fn bad_usage_payments_rejected_and_nothing_recorded() {
    let (mut h, f) = setup().await;
    let (user, tokens) = f.user(&mut h, U).await;
    // A token account of another mint.
    let other_mint = h.create_mint(TOKEN, &user.pubkey(), None, &[]).await;
    let foreign = h.token_account(&other_mint, &user.pubkey()).await;
    h.mint_to(&other_mint, &foreign, &user, 10 * U).await;
    assert_error(f.record(&mut h, &user, &foreign, 0, U, None).await, CoherenceError::WrongMint);
    // A fake mint in the mint slot.
    let mut fake = ix::record_usage(&f.keys, &user.pubkey(), &foreign, 0, U, None, None);
    fake.accounts[4].pubkey = other_mint;
    assert_error(h.send(&[fake], &[&user]).await, CoherenceError::WrongMint);
    // Without the tokens to burn: the burn fails (InsufficientFunds = 1), nothing is credited.
    assert_eq!(custom_code(&f.record(&mut h, &user, &tokens, 0, 2 * U, None).await), Some(1));
    // Someone else's tokens.
    let (victim, victim_tokens) = f.user(&mut h, U).await;
    assert_error(f.record(&mut h, &user, &victim_tokens, 0, U, None).await, CoherenceError::WrongTokenOwner);
    assert_error(f.record(&mut h, &user, &tokens, 0, 0, None).await, CoherenceError::ZeroAmount);
    // A shard index past usage_shards cannot even be created.
    let payer = h.payer().pubkey();
    assert_error(
        h.send(&[ix::init_usage_shard(&f.keys, &payer, USAGE_SHARDS)], &[]).await,
        CoherenceError::InvalidShard,
    );
    assert!(shards(&mut h, &f).await.iter().all(|s| s.usage_of(0).usage == 0));
    assert_eq!(h.balance(&victim_tokens).await, U);
    let _ = victim;
}

#[tokio::test]
async fn pause_stops_usage_and_emission_but_not_builder_claims() {
    let (mut h, f) = setup().await;
    let (user, tokens) = f.user(&mut h, 10 * U).await;
    let (builder, builder_tokens) = f.user(&mut h, 0).await;
    let source = f.register_source(&mut h, &builder).await;
    f.record(&mut h, &user, &tokens, 0, U, Some(source)).await.unwrap();
    f.warp_to_epoch(&mut h, 1).await;
    f.close(&mut h, 0).await.unwrap();
    f.pause(&mut h, true).await;
    assert_error(f.record(&mut h, &user, &tokens, 0, U, None).await, CoherenceError::Paused);
    f.warp_to_epoch(&mut h, 2).await;
    assert_error(f.close(&mut h, 1).await, CoherenceError::Paused);
    assert!(f.claim_source(&mut h, &builder, &source, &builder_tokens).await.unwrap() > 0);
}

#[tokio::test]
async fn builder_sources_claim_pro_rata_to_their_usage() {
    let (mut h, f) = setup().await;
    let (user, tokens) = f.user(&mut h, 100 * U).await;
    let (b1, b1_tokens) = f.user(&mut h, 0).await;
    let (b2, b2_tokens) = f.user(&mut h, 0).await;
    let s1 = f.register_source(&mut h, &b1).await;
    let s2 = f.register_source(&mut h, &b2).await;
    f.record(&mut h, &user, &tokens, 0, U, Some(s1)).await.unwrap();
    f.record(&mut h, &user, &tokens, 1, 3 * U, Some(s2)).await.unwrap();
    f.record(&mut h, &user, &tokens, 2, 4 * U, None).await.unwrap();
    f.warp_to_epoch(&mut h, 1).await;
    f.close(&mut h, 0).await.unwrap();
    let r = f.record_of(&mut h, 0).await;
    // E = 4 U; builders' pool = 20 % of E × attributed (4 U) / usage (8 U).
    assert_eq!((r.usage, r.attributed, r.emission), (8 * U, 4 * U, 4 * U));
    assert_eq!(r.builders_amount, 4 * U / 5 / 2);
    assert_eq!(r.treasury_amount + r.builders_amount + r.stakers_amount, r.emission);

    // The wrong builder, or the wrong epoch record, is refused.
    assert_error(
        h.send(
            &[ix::claim_source_rewards(
                &f.keys,
                &b2.pubkey(),
                &s1,
                &[pda::epoch_record(&f.keys.engine, 0)],
                &b2_tokens,
            )],
            &[&b2],
        )
        .await,
        CoherenceError::NotBuilder,
    );
    assert_error(
        h.send(&[ix::claim_source_rewards(&f.keys, &b1.pubkey(), &s1, &[], &b1_tokens)], &[&b1]).await,
        CoherenceError::EpochRecordRequired,
    );
    let g1 = f.claim_source(&mut h, &b1, &s1, &b1_tokens).await.unwrap();
    assert_eq!(g1, r.builders_amount / 4);
    assert_error(f.claim_source(&mut h, &b1, &s1, &b1_tokens).await.map(|_| ()), CoherenceError::NothingToClaim);

    // s2 keeps earning in epoch 1, in its second slot (epoch 0 waits for a claim or a reuse).
    f.record(&mut h, &user, &tokens, 0, U, Some(s2)).await.unwrap();
    let src: Source = h.get(&s2).await;
    assert_eq!((src.epoch, src.usage, src.epoch_b, src.usage_b, src.claimable), (0, 3 * U, 1, U, 0));
    f.warp_to_epoch(&mut h, 2).await;
    f.close(&mut h, 1).await.unwrap();
    let r1 = f.record_of(&mut h, 1).await;
    let g2 = f.claim_source(&mut h, &b2, &s2, &b2_tokens).await.unwrap();
    assert_eq!(g2, 3 * r.builders_amount / 4 + r1.builders_amount);
    assert!(h.balance(&f.keys.builder_vault).await <= 2, "only rounding dust remains");
}
