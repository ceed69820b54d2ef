//! Economic attacks on staking (I6, I8).
//!
//! Defenses: rewards stream continuously (an accumulator settled on every
//! weight change), every position has a constant lock of at least `min_lock`,
//! unbonding positions have weight 0, payouts round down, and `fund_rewards`
//! can only raise the rate of a running stream, never move its end.

use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence::math::stake::ACC_SCALE;
use coherence::state::StakePool;
use coherence_sdk::instructions as ix;
use coherence_tests::*;
use solana_signer::Signer;

const AMOUNT: u64 = 1_000_000_000;
const WEEK: u64 = 7 * DAY;

async fn setup() -> (Harness, Fixture) {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    (h, f)
}

/// Attack: stake one second before a stream ends, unbond right after, and
/// collect a share of the whole distribution. Asserted: the sniper earns
/// exactly its weight's share of the last second's release.
#[tokio::test]
async fn reward_sniping_earns_only_its_seconds() {
    let (mut h, f) = setup().await;
    let (honest, honest_tokens) = f.user(&mut h, AMOUNT).await;
    let (sniper, sniper_tokens) = f.user(&mut h, AMOUNT).await;
    f.open(&mut h, &honest, &honest_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let per_second = 1_000u64;
    f.fund_rewards(&mut h, per_second * DAY).await.unwrap();
    let end = h.get::<StakePool>(&f.keys.stake_pool).await.stream.end;

    h.warp_to(end - 1).await;
    let ps = f.open(&mut h, &sniper, &sniper_tokens, 1, AMOUNT, WEEK).await.unwrap();
    h.warp_to(end).await;
    h.send(&[ix::start_unbond(&f.keys, &sniper.pubkey(), &ps)], &[&sniper]).await.unwrap();
    let got = f.claim(&mut h, &sniper, &ps, &sniper_tokens).await.unwrap();

    // Both positions have the same weight w; the last second released
    // `per_second` tokens over 2w: acc += per_second·SCALE/2w, sniper earns w·Δacc/SCALE.
    let weight = coherence::math::stake::weight(AMOUNT, WEEK, default_params().max_lock, 10_000).unwrap();
    let expected = (weight * (per_second as u128 * ACC_SCALE / (2 * weight)) / ACC_SCALE) as u64;
    assert_eq!(got, expected);
    assert!(got <= per_second / 2, "at most half of one second's release");

    // The sniper's balance sheet after waiting out the lock: principal back, dust of reward.
    h.warp_by(WEEK as i64).await;
    h.send(&[ix::withdraw(&f.keys, &sniper.pubkey(), &ps, &sniper_tokens)], &[&sniper]).await.unwrap();
    assert_eq!(h.balance(&sniper_tokens).await, AMOUNT + expected);
}

/// Attack: open and withdraw a position in one transaction (flash stake).
#[tokio::test]
async fn flash_stake_impossible() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let pa = coherence_sdk::pda::position(&f.keys.engine, &a.pubkey(), 1);
    let open = ix::open_position(&f.keys, &a.pubkey(), &a_tokens, 1, AMOUNT, WEEK);
    let unbond = ix::start_unbond(&f.keys, &a.pubkey(), &pa);
    let withdraw = ix::withdraw(&f.keys, &a.pubkey(), &pa, &a_tokens);
    assert_error(h.send(&[open.clone(), withdraw.clone()], &[&a]).await, CoherenceError::PositionNotUnbonding);
    assert_error(h.send(&[open, unbond, withdraw], &[&a]).await, CoherenceError::StillLocked);
    assert_eq!(h.balance(&a_tokens).await, AMOUNT);
    assert!(!h.exists(&pa).await);
}

/// Attack: withdraw a locked position early.
#[tokio::test]
async fn early_withdrawal_of_locked_position_rejected() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    h.warp_by(10 * WEEK as i64).await;
    assert_error(
        h.send(&[ix::withdraw(&f.keys, &a.pubkey(), &pa, &a_tokens)], &[&a]).await,
        CoherenceError::PositionNotUnbonding,
    );
}

/// Attack: withdraw during unbonding, one second before it ends.
#[tokio::test]
async fn withdrawal_during_unbonding_rejected() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    h.send(&[ix::start_unbond(&f.keys, &a.pubkey(), &pa)], &[&a]).await.unwrap();
    h.warp_by(WEEK as i64 - 1).await;
    assert_error(
        h.send(&[ix::withdraw(&f.keys, &a.pubkey(), &pa, &a_tokens)], &[&a]).await,
        CoherenceError::StillLocked,
    );
}

/// Attack: keep earning after unbonding started.
#[tokio::test]
async fn earning_while_unbonding_impossible() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let (b, b_tokens) = f.user(&mut h, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let pb = f.open(&mut h, &b, &b_tokens, 1, AMOUNT, WEEK).await.unwrap();
    h.send(&[ix::start_unbond(&f.keys, &a.pubkey(), &pa)], &[&a]).await.unwrap();
    f.fund_rewards(&mut h, 1_000_000).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    assert_error(f.claim(&mut h, &a, &pa, &a_tokens).await.map(|_| ()), CoherenceError::NothingToClaim);
    // The whole stream went to the only locked position.
    assert!(f.claim(&mut h, &b, &pb, &b_tokens).await.unwrap() >= 1_000_000 - 1);
}

/// Attack: grief the stream with many tiny `fund_rewards` calls to stretch it
/// or dilute honest stakers. Asserted: the end never moves and the honest
/// staker receives everything that was funded (minus rounding).
#[tokio::test]
async fn tiny_fund_rewards_cannot_grief_the_stream() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let (griefer, griefer_tokens) = f.user(&mut h, 100).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    f.fund_rewards(&mut h, 86_400_000).await.unwrap();
    let end = h.get::<StakePool>(&f.keys.stake_pool).await.stream.end;
    for _ in 0..50 {
        h.warp_by(1_000).await;
        h.send(&[ix::fund_rewards(&f.keys, &griefer.pubkey(), &griefer_tokens, 1)], &[&griefer]).await.unwrap();
        assert_eq!(h.get::<StakePool>(&f.keys.stake_pool).await.stream.end, end);
    }
    h.warp_to(end).await;
    let got = f.claim(&mut h, &a, &pa, &a_tokens).await.unwrap();
    assert!((86_400_000 + 50 - 1..=86_400_050).contains(&got), "{got}");
    assert_error(
        h.send(&[ix::fund_rewards(&f.keys, &griefer.pubkey(), &griefer_tokens, 0)], &[&griefer]).await,
        CoherenceError::ZeroAmount,
    );
}

/// Attack: many tiny positions harvest rounding. Asserted: the sum of all
/// claims never exceeds what was funded, and the vault keeps the dust.
#[tokio::test]
async fn rounding_dust_many_tiny_positions_cannot_overclaim() {
    let (mut h, f) = setup().await;
    let n: u64 = std::env::var("COHERENCE_DUST_POSITIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let (a, a_tokens) = f.user(&mut h, n).await;
    let (whale, whale_tokens) = f.user(&mut h, AMOUNT).await;
    let pw = f.open(&mut h, &whale, &whale_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let mut positions = Vec::new();
    for id in 0..n {
        positions.push(f.open(&mut h, &a, &a_tokens, id, 1, WEEK).await.unwrap());
    }
    let funded = 1_000_003;
    f.fund_rewards(&mut h, funded).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    let mut claimed = f.claim(&mut h, &whale, &pw, &whale_tokens).await.unwrap();
    for p in &positions {
        match f.claim(&mut h, &a, p, &a_tokens).await {
            Ok(got) => claimed += got,
            Err(e) => assert_error(Err(e), CoherenceError::NothingToClaim),
        }
    }
    assert!(claimed <= funded);
    assert_eq!(h.balance(&f.keys.reward_vault).await, funded - claimed);
}

/// Attack: split one position into many to earn more. Asserted: two halves
/// never earn more than the single position.
#[tokio::test]
async fn splitting_a_position_never_earns_more() {
    let (mut h, f) = setup().await;
    let (one, one_tokens) = f.user(&mut h, 2 * AMOUNT + 1).await;
    let (split, split_tokens) = f.user(&mut h, 2 * AMOUNT + 1).await;
    let p1 = f.open(&mut h, &one, &one_tokens, 1, 2 * AMOUNT + 1, WEEK).await.unwrap();
    let s1 = f.open(&mut h, &split, &split_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let s2 = f.open(&mut h, &split, &split_tokens, 2, AMOUNT + 1, WEEK).await.unwrap();
    f.fund_rewards(&mut h, 999_999_937).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    let single = f.claim(&mut h, &one, &p1, &one_tokens).await.unwrap();
    let halves = f.claim(&mut h, &split, &s1, &split_tokens).await.unwrap()
        + f.claim(&mut h, &split, &s2, &split_tokens).await.unwrap();
    assert!(halves <= single, "split {halves} > single {single}");
}

/// Attack: close a fully withdrawn position and recreate it at the same
/// address to claim again. Asserted: the new position starts at the current
/// accumulator and has nothing to claim.
#[tokio::test]
async fn close_and_recreate_position_claims_nothing_twice() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let (b, b_tokens) = f.user(&mut h, AMOUNT).await;
    f.open(&mut h, &b, &b_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    f.fund_rewards(&mut h, 1_000_000).await.unwrap();
    h.warp_by(DAY as i64 / 2).await;
    let first = f.claim(&mut h, &a, &pa, &a_tokens).await.unwrap();
    h.send(&[ix::start_unbond(&f.keys, &a.pubkey(), &pa)], &[&a]).await.unwrap();
    h.warp_by(WEEK as i64).await;
    h.send(&[ix::withdraw(&f.keys, &a.pubkey(), &pa, &a_tokens)], &[&a]).await.unwrap();
    let _ = f.claim(&mut h, &a, &pa, &a_tokens).await;
    h.send(&[ix::close_position(&f.keys, &a.pubkey(), &pa)], &[&a]).await.unwrap();

    let again = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    assert_eq!(again, pa);
    assert_error(f.claim(&mut h, &a, &pa, &a_tokens).await.map(|_| ()), CoherenceError::NothingToClaim);
    assert!(first > 0);
}

/// Attack: u64::MAX amounts everywhere. Asserted: each fails cleanly (the
/// token program refuses the transfer, error 1 = InsufficientFunds) and
/// nothing moves.
#[tokio::test]
async fn u64_max_amounts_fail_cleanly() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT / 2, WEEK).await.unwrap();
    // Checked math refuses first where a total would overflow (MathOverflow,
    // 6000); otherwise the token program refuses the transfer (1).
    let overflow = Some(6000 + CoherenceError::MathOverflow as u32);
    let attempts = [
        (ix::open_position(&f.keys, &a.pubkey(), &a_tokens, 2, u64::MAX, WEEK), overflow),
        (ix::add_to_position(&f.keys, &a.pubkey(), &pa, &a_tokens, u64::MAX), overflow),
        (ix::fund_rewards(&f.keys, &a.pubkey(), &a_tokens, u64::MAX), Some(1)),
        (ix::deposit_treasury(&f.keys, &a.pubkey(), &a_tokens, u64::MAX), Some(1)),
    ];
    for (attempt, code) in attempts {
        assert_eq!(custom_code(&h.send(&[attempt], &[&a]).await), code);
    }
    assert_eq!(h.balance(&a_tokens).await, AMOUNT / 2);
}

/// Attack: claim the same rewards twice (two claims in one transaction, then again).
#[tokio::test]
async fn reward_double_claim_gets_nothing_more() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = f.user(&mut h, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    f.fund_rewards(&mut h, 1_000_000).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    let claim = ix::claim_rewards(&f.keys, &a.pubkey(), &pa, &a_tokens, false);
    assert_error(h.send(&[claim.clone(), claim.clone()], &[&a]).await, CoherenceError::NothingToClaim);
    h.send(std::slice::from_ref(&claim), &[&a]).await.unwrap();
    let once = h.balance(&a_tokens).await;
    assert_error(h.send(&[claim], &[&a]).await, CoherenceError::NothingToClaim);
    assert_eq!(h.balance(&a_tokens).await, once);
    assert!(once <= 1_000_000);
}
