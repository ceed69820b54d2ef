//! Staking: constant locks with a duration boost, streamed rewards (I6–I8).

use anchor_lang::prelude::Pubkey;
use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence::math::stake::weight;
use coherence::state::{Position, StakePool};
use coherence_sdk::{instructions as ix, preview};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const AMOUNT: u64 = 1_000_000_000;
const WEEK: u64 = 7 * DAY;

async fn setup() -> (Harness, Fixture) {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    (h, f)
}

async fn staker(h: &mut Harness, f: &Fixture, amount: u64) -> (Keypair, Pubkey) {
    f.user(h, amount).await
}

#[tokio::test]
async fn open_moves_principal_and_weights_by_the_boost_formula() {
    let (mut h, f) = setup().await;
    let p = default_params();
    let (a, a_tokens) = staker(&mut h, &f, 2 * AMOUNT).await;
    let min = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, p.min_lock).await.unwrap();
    let max = f.open(&mut h, &a, &a_tokens, 2, AMOUNT, p.max_lock).await.unwrap();
    let (pmin, pmax): (Position, Position) = (h.get(&min).await, h.get(&max).await);
    // weight = amount * (10_000 + boost * min(D, max_lock) / max_lock) / 10_000
    let boost_min = 10_000u128 * p.min_lock as u128 / p.max_lock as u128;
    assert_eq!(pmin.weight, AMOUNT as u128 * (10_000 + boost_min) / 10_000);
    assert_eq!(pmax.weight, 2 * AMOUNT as u128, "max lock doubles the weight at a 100 % boost");
    let pool: StakePool = h.get(&f.keys.stake_pool).await;
    assert_eq!(pool.stream.total_weight, pmin.weight + pmax.weight);
    assert_eq!(pool.total_principal, 2 * AMOUNT);
    assert_eq!(h.balance(&f.keys.stake_vault).await, 2 * AMOUNT);
    assert_eq!(h.balance(&a_tokens).await, 0);
}

#[tokio::test]
async fn lock_bounds_and_zero_amount_rejected() {
    let (mut h, f) = setup().await;
    let p = default_params();
    let (a, a_tokens) = staker(&mut h, &f, AMOUNT).await;
    assert_error(
        f.open(&mut h, &a, &a_tokens, 1, AMOUNT, p.min_lock - 1).await.map(|_| ()),
        CoherenceError::LockOutOfBounds,
    );
    assert_error(
        f.open(&mut h, &a, &a_tokens, 1, AMOUNT, p.max_lock + 1).await.map(|_| ()),
        CoherenceError::LockOutOfBounds,
    );
    assert_error(f.open(&mut h, &a, &a_tokens, 1, 0, p.min_lock).await.map(|_| ()), CoherenceError::ZeroAmount);
}

#[tokio::test]
async fn reopening_an_existing_id_rejected() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = staker(&mut h, &f, 2 * AMOUNT).await;
    f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    assert_error(
        f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.map(|_| ()),
        CoherenceError::AccountAlreadyInitialized,
    );
}

#[tokio::test]
async fn rewards_stream_in_proportion_to_weight() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = staker(&mut h, &f, AMOUNT).await;
    let (b, b_tokens) = staker(&mut h, &f, 3 * AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let pb = f.open(&mut h, &b, &b_tokens, 1, 3 * AMOUNT, WEEK).await.unwrap();
    let funded = 86_400_000;
    f.fund_rewards(&mut h, funded).await.unwrap();
    h.warp_by(DAY as i64 / 2).await;
    // Half-way: the SDK preview is exact.
    let now = h.now().await;
    let pool: StakePool = h.get(&f.keys.stake_pool).await;
    let pos_a: Position = h.get(&pa).await;
    let half = preview::preview_rewards(&pos_a, &pool, now).unwrap();
    assert_eq!(f.claim(&mut h, &a, &pa, &a_tokens).await.unwrap(), half);
    h.warp_by(DAY as i64).await;
    let ea = half + f.claim(&mut h, &a, &pa, &a_tokens).await.unwrap();
    let eb = f.claim(&mut h, &b, &pb, &b_tokens).await.unwrap();
    assert!(ea + eb <= funded);
    // Each settlement rounds down by < 1 unit: three claims leave at most 3.
    assert!(funded - (ea + eb) <= 3, "only rounding dust stays: {}", funded - (ea + eb));
    // a settled twice (< 1 unit lost each time), so 3·ea may trail eb by < 3·2.
    assert!((eb as i128 - 3 * ea as i128).abs() <= 6, "ratio 1:3, got {ea}:{eb}");
    // Double claim gets nothing more.
    assert_error(f.claim(&mut h, &a, &pa, &a_tokens).await.map(|_| ()), CoherenceError::NothingToClaim);
}

#[tokio::test]
async fn add_and_extend_resettle_at_the_old_weight_first() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = staker(&mut h, &f, 2 * AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    f.fund_rewards(&mut h, 86_400_000).await.unwrap();
    h.warp_by(DAY as i64 / 4).await;
    let now = h.now().await;
    let owed = preview::preview_rewards(&h.get(&pa).await, &h.get(&f.keys.stake_pool).await, now).unwrap();
    h.send(&[ix::add_to_position(&f.keys, &a.pubkey(), &pa, &a_tokens, AMOUNT)], &[&a]).await.unwrap();
    let pos: Position = h.get(&pa).await;
    assert_eq!(pos.pending_reward, owed);
    assert_eq!(pos.principal, 2 * AMOUNT);
    assert_eq!(pos.weight, weight(2 * AMOUNT, WEEK, default_params().max_lock, 10_000).unwrap());

    h.warp_by(DAY as i64 / 4).await;
    let now = h.now().await;
    let owed = preview::preview_rewards(&h.get(&pa).await, &h.get(&f.keys.stake_pool).await, now).unwrap();
    let max_lock = default_params().max_lock;
    h.send(&[ix::extend_lock(&f.keys, &a.pubkey(), &pa, max_lock)], &[&a]).await.unwrap();
    let pos: Position = h.get(&pa).await;
    assert_eq!(pos.pending_reward, owed);
    assert_eq!(pos.weight, 4 * AMOUNT as u128);
    assert_error(
        h.send(&[ix::extend_lock(&f.keys, &a.pubkey(), &pa, max_lock)], &[&a]).await,
        CoherenceError::LockNotExtended,
    );
}

#[tokio::test]
async fn unbond_then_withdraw_after_the_full_lock_then_close() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = staker(&mut h, &f, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let withdraw = ix::withdraw(&f.keys, &a.pubkey(), &pa, &a_tokens);
    assert_error(h.send(std::slice::from_ref(&withdraw), &[&a]).await, CoherenceError::PositionNotUnbonding);
    h.warp_by(30 * DAY as i64).await;
    // Constant lock: time already staked does not shorten the unbonding.
    h.send(&[ix::start_unbond(&f.keys, &a.pubkey(), &pa)], &[&a]).await.unwrap();
    let start = h.now().await;
    assert_error(
        h.send(&[ix::start_unbond(&f.keys, &a.pubkey(), &pa)], &[&a]).await,
        CoherenceError::PositionUnbonding,
    );
    h.warp_to(start + WEEK as i64 - 1).await;
    assert_error(h.send(std::slice::from_ref(&withdraw), &[&a]).await, CoherenceError::StillLocked);
    h.warp_to(start + WEEK as i64).await;
    h.send(std::slice::from_ref(&withdraw), &[&a]).await.unwrap();
    assert_eq!(h.balance(&a_tokens).await, AMOUNT);
    assert_eq!(h.balance(&f.keys.stake_vault).await, 0);
    assert_error(h.send(&[withdraw], &[&a]).await, CoherenceError::NothingToClaim);
    let rent = h.lamports(&pa).await;
    let before = h.lamports(&a.pubkey()).await;
    h.send(&[ix::close_position(&f.keys, &a.pubkey(), &pa)], &[&a]).await.unwrap();
    assert_eq!(h.lamports(&a.pubkey()).await, before + rent);
    let pool: StakePool = h.get(&f.keys.stake_pool).await;
    assert_eq!((pool.positions, pool.total_principal, pool.stream.total_weight), (0, 0, 0));
}

#[tokio::test]
async fn close_with_principal_or_rewards_rejected() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = staker(&mut h, &f, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    assert_error(
        h.send(&[ix::close_position(&f.keys, &a.pubkey(), &pa)], &[&a]).await,
        CoherenceError::PositionNotEmpty,
    );
}

#[tokio::test]
async fn restake_moves_rewards_into_the_position() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = staker(&mut h, &f, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    f.fund_rewards(&mut h, 1_000_000).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    h.send(&[ix::claim_rewards(&f.keys, &a.pubkey(), &pa, &a_tokens, true)], &[&a]).await.unwrap();
    let pos: Position = h.get(&pa).await;
    assert!(pos.principal > AMOUNT && pos.principal <= AMOUNT + 1_000_000);
    assert_eq!(h.balance(&f.keys.stake_vault).await, pos.principal);
    let pool: StakePool = h.get(&f.keys.stake_pool).await;
    assert_eq!(pool.total_principal, pos.principal);
    assert_eq!(pool.stream.total_weight, pos.weight);
}

#[tokio::test]
async fn pause_blocks_new_stakes_but_never_exits() {
    let (mut h, f) = setup().await;
    let (a, a_tokens) = staker(&mut h, &f, 3 * AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    f.fund_rewards(&mut h, 1_000_000).await.unwrap();
    h.warp_by(DAY as i64).await;
    f.pause(&mut h, true).await;

    assert_error(f.open(&mut h, &a, &a_tokens, 2, AMOUNT, WEEK).await.map(|_| ()), CoherenceError::Paused);
    assert_error(
        h.send(&[ix::add_to_position(&f.keys, &a.pubkey(), &pa, &a_tokens, 1)], &[&a]).await,
        CoherenceError::Paused,
    );
    assert_error(h.send(&[ix::extend_lock(&f.keys, &a.pubkey(), &pa, 2 * WEEK)], &[&a]).await, CoherenceError::Paused);
    assert_error(
        h.send(&[ix::claim_rewards(&f.keys, &a.pubkey(), &pa, &a_tokens, true)], &[&a]).await,
        CoherenceError::Paused,
    );

    // Exits: claim rewards, unbond, withdraw.
    assert!(f.claim(&mut h, &a, &pa, &a_tokens).await.unwrap() > 0);
    h.send(&[ix::start_unbond(&f.keys, &a.pubkey(), &pa)], &[&a]).await.unwrap();
    h.warp_by(WEEK as i64).await;
    h.send(&[ix::withdraw(&f.keys, &a.pubkey(), &pa, &a_tokens)], &[&a]).await.unwrap();
    assert!(h.balance(&a_tokens).await > 3 * AMOUNT);
}

#[tokio::test]
async fn funding_while_nobody_stakes_is_carried_forward() {
    let (mut h, f) = setup().await;
    f.fund_rewards(&mut h, 1_000_000).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    let (a, a_tokens) = staker(&mut h, &f, AMOUNT).await;
    let pa = f.open(&mut h, &a, &a_tokens, 1, AMOUNT, WEEK).await.unwrap();
    let pool: StakePool = h.get(&f.keys.stake_pool).await;
    assert_eq!(pool.stream.undistributed, 1_000_000);
    // The next funding restarts the stream with the carried tokens.
    f.fund_rewards(&mut h, 1).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    let got = f.claim(&mut h, &a, &pa, &a_tokens).await.unwrap();
    assert!((1_000_000 - 1..=1_000_001).contains(&got), "{got}");
}
