//! Economic attacks on emission (I1–I3, I9).
//!
//! Defenses: emission is at most α·U of the epoch's *burned* usage with α
//! hard-capped at 90 %, gated on the usage baseline, under a decaying cap and
//! max supply; governance is timelocked and bounded.

use anchor_lang::prelude::Pubkey;
use coherence::constants::{DAY, MAX_ALPHA_BPS};
use coherence::errors::CoherenceError;
use coherence_sdk::{instructions as ix, pda};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const U: u64 = 1_000_000_000;
const WEEK: u64 = 7 * DAY;

/// Raises α to its hard maximum through governance (the worst case for wash usage).
async fn max_alpha(h: &mut Harness, f: &Fixture) {
    let mut p = default_params();
    p.alpha_bps = MAX_ALPHA_BPS;
    h.send(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority]).await.unwrap();
    h.warp_by(p.timelock_secs as i64).await;
    h.send(&[ix::apply_params(&f.keys)], &[]).await.unwrap();
}

/// Attack: one wallet holds 100 % of the stake weight and owns the only
/// builder source, then burns W as "usage" over several epochs to mint
/// itself emission. Asserted: with α at its 90 % maximum it recovers at most
/// 0.9 × 0.9 × W (the treasury share is not its), so it ends with strictly
/// less than it started with.
#[tokio::test]
async fn wash_usage_by_sole_staker_and_sole_builder_loses_money() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let start_balance = 100 * U;
    let (whale, tokens) = f.user(&mut h, start_balance).await;
    let stake = 50 * U;
    let position = f.open(&mut h, &whale, &tokens, 1, stake, WEEK).await.unwrap();
    let source = f.register_source(&mut h, &whale).await;
    max_alpha(&mut h, &f).await;

    let epoch0 = f.engine(&mut h).await.epoch_at(h.now().await);
    let per_epoch = 10 * U;
    let epochs = 4;
    for e in epoch0..epoch0 + epochs {
        f.crank(&mut h).await.unwrap();
        f.record(&mut h, &whale, &tokens, (e % 4) as u8, per_epoch, Some(source)).await.unwrap();
        f.warp_to_epoch(&mut h, e + 1).await;
    }
    f.crank(&mut h).await.unwrap();
    // Collect everything: stream fully released, builder rewards, principal.
    h.warp_by(2 * DAY as i64).await;
    f.claim(&mut h, &whale, &position, &tokens).await.unwrap();
    f.claim_source(&mut h, &whale, &source, &tokens).await.unwrap();
    h.send(&[ix::start_unbond(&f.keys, &whale.pubkey(), &position)], &[&whale]).await.unwrap();
    h.warp_by(WEEK as i64).await;
    h.send(&[ix::withdraw(&f.keys, &whale.pubkey(), &position, &tokens)], &[&whale]).await.unwrap();

    let burned = per_epoch * epochs;
    let end_balance = h.balance(&tokens).await;
    let engine = f.engine(&mut h).await;
    assert_eq!(engine.total_usage_burned, burned as u128);
    assert!(engine.total_emitted as u128 * 10_000 <= burned as u128 * MAX_ALPHA_BPS as u128, "I1");
    // Recovered = emission − treasury share; at most 0.81 W.
    let recovered = end_balance + burned - start_balance;
    assert!(recovered <= burned * 81 / 100, "recovered {recovered} of {burned}");
    assert!(end_balance < start_balance, "wash usage must lose money: {end_balance} vs {start_balance}");
}

/// Attack: emission on declining usage. Asserted: an epoch below the gate
/// mints nothing at all.
#[tokio::test]
async fn emission_on_declining_usage_is_zero() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 200 * U).await;
    // Two epochs at 50 U set the baseline (the median trusts a level from its second epoch).
    for e in 0..2 {
        f.record(&mut h, &user, &tokens, 0, 50 * U, None).await.unwrap();
        f.warp_to_epoch(&mut h, e + 1).await;
        f.close(&mut h, e).await.unwrap();
    }
    let supply = h.mint_state(&f.keys.mint).await.supply;
    f.record(&mut h, &user, &tokens, 0, U, None).await.unwrap();
    f.warp_to_epoch(&mut h, 3).await;
    f.close(&mut h, 2).await.unwrap();
    assert!(!f.record_of(&mut h, 2).await.gate_passed);
    assert_eq!(h.mint_state(&f.keys.mint).await.supply, supply - U);
}

/// Attack: push emission past max supply. With max supply equal to the
/// genesis supply there is no room at all: every epoch's emission is
/// clamped so that supply never exceeds the ceiling. (Since emission is at
/// most α < 1 of what was burned, I1 alone already keeps supply below its
/// starting point; the max-supply clamp is the second, independent wall,
/// unit-tested in `math::emission`.)
#[tokio::test]
async fn emission_past_max_supply_impossible() {
    let mut h = Harness::new().await;
    let f = Fixture::with(&mut h, |a| a.max_supply = GENESIS_SUPPLY).await;
    let (user, tokens) = f.user(&mut h, 100 * U).await;
    let mut burned = 0;
    for epoch in 0..3u64 {
        f.record(&mut h, &user, &tokens, 0, 30 * U, None).await.unwrap();
        burned += 30 * U;
        f.warp_to_epoch(&mut h, epoch + 1).await;
        f.close(&mut h, epoch).await.unwrap();
        assert!(h.mint_state(&f.keys.mint).await.supply <= GENESIS_SUPPLY);
    }
    let emitted = u64::try_from(f.engine(&mut h).await.total_emitted).unwrap();
    assert!(emitted > 0);
    assert_eq!(h.mint_state(&f.keys.mint).await.supply, GENESIS_SUPPLY - burned + emitted);
}

/// One epoch of the pumping attack: the honest user pays `U`, the attacker
/// its burst if any; then the clock moves to the next epoch.
async fn pump_epoch(
    h: &mut Harness,
    f: &Fixture,
    epoch: u64,
    (honest, honest_tokens): (&Keypair, Pubkey),
    burst: Option<((&Keypair, Pubkey), u64)>,
) {
    f.record(h, honest, &honest_tokens, 0, U, None).await.unwrap();
    if let Some(((attacker, tokens), amount)) = burst {
        f.record(h, attacker, &tokens, 1, amount, None).await.unwrap();
    }
    f.warp_to_epoch(h, epoch + 1).await;
}

/// Attack: baseline pumping. An attacker burns a large amount to raise the
/// baseline so the next epochs' honest usage fails the gate.
/// Asserted: a one-epoch burst does not move the baseline at all (the
/// median of three epochs ignores it) and honest usage keeps emitting; a
/// burst sustained for two epochs does raise it, and then the following
/// epoch's emission is suppressed (zero), not redirected: nothing is minted
/// to anyone. The attacker (even holding all stake) recovers at most α of
/// what it burned, so it loses at least (1 − α) of it.
#[tokio::test]
async fn baseline_pumping_costs_the_attacker_and_only_suppresses() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (honest, honest_tokens) = f.user(&mut h, 100 * U).await;
    let start_balance = 2_000 * U;
    let (attacker, attacker_tokens) = f.user(&mut h, start_balance).await;
    let position = f.open(&mut h, &attacker, &attacker_tokens, 1, 10 * U, WEEK).await.unwrap();
    let pumped = 500 * U;
    let honest_payer = (&honest, honest_tokens);
    let pumper = (&attacker, attacker_tokens);
    // Epochs 0–1 honest; epoch 2 the attacker burns 500x more, once.
    for e in 0..2 {
        pump_epoch(&mut h, &f, e, honest_payer, None).await;
        f.close(&mut h, e).await.unwrap();
    }
    let baseline = f.engine(&mut h).await.baseline;
    pump_epoch(&mut h, &f, 2, honest_payer, Some((pumper, pumped))).await;
    f.close(&mut h, 2).await.unwrap();
    assert_eq!(f.record_of(&mut h, 2).await.baseline_input, U, "the burst is not the median");
    pump_epoch(&mut h, &f, 3, honest_payer, None).await;
    f.close(&mut h, 3).await.unwrap();
    let r3 = f.record_of(&mut h, 3).await;
    assert!(r3.gate_passed && r3.emission > 0, "honest usage still emits after a one-epoch burst: {r3:?}");
    assert!(r3.baseline <= baseline.max(U), "baseline {} did not follow the burst", r3.baseline);

    // Epochs 4–5: the burst sustained for two epochs raises the baseline;
    // epoch 6: honest usage as before fails the pumped gate.
    for e in 4..6 {
        pump_epoch(&mut h, &f, e, honest_payer, Some((pumper, pumped))).await;
        f.close(&mut h, e).await.unwrap();
    }
    pump_epoch(&mut h, &f, 6, honest_payer, None).await;
    let supply = h.mint_state(&f.keys.mint).await.supply;
    let vaults = [f.keys.treasury, f.keys.reward_vault, f.keys.builder_vault];
    let mut before = Vec::new();
    for v in vaults {
        before.push(h.balance(&v).await);
    }
    f.close(&mut h, 6).await.unwrap();
    let r6 = f.record_of(&mut h, 6).await;
    assert!(!r6.gate_passed);
    assert_eq!(r6.emission, 0);
    assert_eq!(r6.escrow_burned, U, "the honest payment is burned, nothing minted");
    assert_eq!(h.mint_state(&f.keys.mint).await.supply, supply - U);
    for (v, b) in vaults.iter().zip(before) {
        assert_eq!(h.balance(v).await, b, "nothing redirected");
    }

    // The attacker's balance sheet after collecting everything it can.
    h.warp_by(2 * DAY as i64).await;
    f.claim(&mut h, &attacker, &position, &attacker_tokens).await.unwrap();
    h.send(&[ix::start_unbond(&f.keys, &attacker.pubkey(), &position)], &[&attacker]).await.unwrap();
    h.warp_by(WEEK as i64).await;
    h.send(&[ix::withdraw(&f.keys, &attacker.pubkey(), &position, &attacker_tokens)], &[&attacker]).await.unwrap();
    let end_balance = h.balance(&attacker_tokens).await;
    let alpha = default_params().alpha_bps as u64;
    let loss = start_balance - end_balance;
    let burned = 3 * pumped;
    assert!(loss >= burned * (10_000 - alpha) / 10_000, "loss {loss} < (1-α)·{burned}");
}

/// Attack: close the same epoch twice, or before it ends.
#[tokio::test]
async fn closing_an_epoch_twice_or_early_rejected() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    assert_error(f.close(&mut h, 0).await, CoherenceError::EpochNotEnded);
    f.warp_to_epoch(&mut h, 1).await;
    f.close(&mut h, 0).await.unwrap();
    assert_error(f.close(&mut h, 0).await, CoherenceError::EpochAlreadyClosed);
    assert_error(f.close(&mut h, 2).await, CoherenceError::EpochOutOfOrder);
}

/// Attack: pass a duplicated, foreign or missing shard list to close_epoch
/// (remaining accounts are not covered by Anchor's duplicate check) to count
/// usage twice. Asserted: WrongShardAccounts.
#[tokio::test]
async fn duplicate_or_foreign_shards_in_close_epoch_rejected() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let other = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 10 * U).await;
    f.record(&mut h, &user, &tokens, 0, U, None).await.unwrap();
    f.warp_to_epoch(&mut h, 1).await;
    let payer = h.payer().pubkey();
    let base = ix::close_epoch(&f.keys, &payer, 0, USAGE_SHARDS);
    let n = base.accounts.len();
    let shard0 = pda::usage_shard(&f.keys.engine, 0);

    let mut duplicated = base.clone();
    duplicated.accounts[n - 1].pubkey = shard0;
    let mut foreign = base.clone();
    foreign.accounts[n - 1].pubkey = pda::usage_shard(&other.keys.engine, USAGE_SHARDS - 1);
    let mut missing = base.clone();
    missing.accounts.pop();
    let mut reordered = base.clone();
    reordered.accounts.swap(n - 1, n - 2);
    for bad in [duplicated, foreign, missing, reordered] {
        assert_error(h.send(&[bad], &[]).await, CoherenceError::WrongShardAccounts);
    }
    h.send(&[base], &[]).await.unwrap();
    assert_eq!(f.record_of(&mut h, 0).await.usage, U);
}

/// Attack: the authority raises α above the 90 % bound (I1, I9).
#[tokio::test]
async fn admin_raising_alpha_above_bound_rejected() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let mut p = default_params();
    p.alpha_bps = MAX_ALPHA_BPS + 1;
    assert_error(
        h.send(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority]).await,
        CoherenceError::AlphaOutOfBounds,
    );
    p.alpha_bps = u16::MAX;
    assert_error(
        h.send(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority]).await,
        CoherenceError::AlphaOutOfBounds,
    );
    assert_eq!(f.engine(&mut h).await.params.alpha_bps, default_params().alpha_bps);
}

/// Attack: apply a parameter change before its timelock.
#[tokio::test]
async fn parameter_change_before_timelock_rejected() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let mut p = default_params();
    p.alpha_bps = MAX_ALPHA_BPS;
    let propose = ix::propose_params(&f.keys, &f.authority.pubkey(), p);
    // Propose and apply in the same transaction.
    assert_error(
        h.send(&[propose.clone(), ix::apply_params(&f.keys)], &[&f.authority]).await,
        CoherenceError::TimelockNotElapsed,
    );
    h.send(&[propose], &[&f.authority]).await.unwrap();
    h.warp_by(p.timelock_secs as i64 - 1).await;
    assert_error(h.send(&[ix::apply_params(&f.keys)], &[]).await, CoherenceError::TimelockNotElapsed);
    assert_eq!(f.engine(&mut h).await.params.alpha_bps, default_params().alpha_bps);
}

/// Attack: the authority triggers emission without usage. Asserted: closing
/// usage-free epochs (anyone may, the authority included) mints nothing.
#[tokio::test]
async fn authority_cannot_trigger_emission_without_usage() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let supply = h.mint_state(&f.keys.mint).await.supply;
    f.warp_to_epoch(&mut h, 3).await;
    for epoch in 0..3u64 {
        let ixc = ix::close_epoch(&f.keys, &f.authority.pubkey(), epoch, USAGE_SHARDS);
        h.send(&[ixc], &[&f.authority]).await.unwrap();
    }
    assert_eq!(h.mint_state(&f.keys.mint).await.supply, supply);
}

/// Attack: record usage with a fake mint, a token account of another mint,
/// someone else's tokens, or without the tokens to burn. Asserted: each is
/// refused by name (or by the token program's InsufficientFunds) and no
/// usage is credited.
#[tokio::test]
async fn usage_with_fake_mint_or_without_burn_rejected() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, U).await;
    let other_mint = h.create_mint(TOKEN, &user.pubkey(), None, &[]).await;
    let foreign = h.token_account(&other_mint, &user.pubkey()).await;
    h.mint_to(&other_mint, &foreign, &user, 10 * U).await;
    let mut fake_mint = ix::record_usage(&f.keys, &user.pubkey(), &foreign, 0, U, None, None);
    fake_mint.accounts[4].pubkey = other_mint;
    assert_error(h.send(&[fake_mint], &[&user]).await, CoherenceError::WrongMint);
    assert_error(f.record(&mut h, &user, &foreign, 0, U, None).await, CoherenceError::WrongMint);
    let (_, victim_tokens) = f.user(&mut h, U).await;
    assert_error(f.record(&mut h, &user, &victim_tokens, 0, U, None).await, CoherenceError::WrongTokenOwner);
    assert_eq!(custom_code(&f.record(&mut h, &user, &tokens, 0, 2 * U, None).await), Some(1));
    f.warp_to_epoch(&mut h, 1).await;
    f.close(&mut h, 0).await.unwrap();
    assert_eq!(f.record_of(&mut h, 0).await.usage, 0);
    assert_eq!(f.engine(&mut h).await.total_emitted, 0);
}
