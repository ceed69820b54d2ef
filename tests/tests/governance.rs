//! Bounded, slow governance (I9): hard bounds on every parameter, the
//! timelock, two-step authority transfer, pause, and signer checks.

use anchor_lang::error::ErrorCode as AnchorError;
use coherence::constants::*;
use coherence::errors::CoherenceError;
use coherence::events::{ParamsApplied, ParamsProposed};
use coherence::math::Params;
use coherence_sdk::instructions as ix;
use coherence_tests::*;
use solana_signer::Signer;

type Mutation = (&'static str, fn(&mut Params), CoherenceError);

/// Each parameter pushed just past each of its hard bounds.
fn out_of_bounds() -> Vec<Mutation> {
    use CoherenceError::*;
    vec![
        ("alpha above", |p| p.alpha_bps = MAX_ALPHA_BPS + 1, AlphaOutOfBounds),
        ("gate below", |p| p.gate_bps = MIN_GATE_BPS - 1, GateOutOfBounds),
        ("gate above", |p| p.gate_bps = MAX_GATE_BPS + 1, GateOutOfBounds),
        ("ema below", |p| p.ema_bps = MIN_EMA_BPS - 1, EmaOutOfBounds),
        ("ema above", |p| p.ema_bps = MAX_EMA_BPS + 1, EmaOutOfBounds),
        ("cap zero", |p| p.cap = 0, CapOutOfBounds),
        ("cap above max supply", |p| p.cap = MAX_SUPPLY + 1, CapOutOfBounds),
        ("cap decay below", |p| p.cap_decay_bps = MIN_CAP_DECAY_BPS - 1, CapDecayOutOfBounds),
        ("cap decay above", |p| p.cap_decay_bps = MAX_CAP_DECAY_BPS + 1, CapDecayOutOfBounds),
        ("min lock below epoch", |p| p.min_lock = EPOCH_SECS - 1, MinLockOutOfBounds),
        ("min lock above max lock", |p| p.min_lock = p.max_lock + 1, MinLockOutOfBounds),
        ("max lock above", |p| p.max_lock = MAX_LOCK_SECS + 1, MaxLockOutOfBounds),
        ("boost above", |p| p.max_boost_bps = MAX_BOOST_BPS + 1, BoostOutOfBounds),
        (
            "treasury above",
            |p| {
                p.treasury_bps = MAX_TREASURY_BPS + 1;
                p.stakers_bps = 10_000 - p.treasury_bps - p.builders_bps;
            },
            TreasuryShareOutOfBounds,
        ),
        (
            "builders above",
            |p| {
                p.builders_bps = MAX_BUILDERS_BPS + 1;
                p.stakers_bps = 10_000 - p.treasury_bps - p.builders_bps;
            },
            BuildersShareOutOfBounds,
        ),
        ("splits below 10000", |p| p.stakers_bps -= 1, SplitsMustSumToBps),
        ("splits above 10000", |p| p.stakers_bps += 1, SplitsMustSumToBps),
        (
            "vesting cliff floor below",
            |p| p.min_vesting_cliff = MIN_VESTING_CLIFF_FLOOR - 1,
            VestingCliffFloorOutOfBounds,
        ),
        ("vesting cliff floor above", |p| p.min_vesting_cliff = MAX_VESTING_MIN_SECS + 1, VestingCliffFloorOutOfBounds),
        (
            "vesting duration floor below",
            |p| p.min_vesting_duration = MIN_VESTING_DURATION_FLOOR - 1,
            VestingDurationFloorOutOfBounds,
        ),
        (
            "vesting duration floor above",
            |p| p.min_vesting_duration = MAX_VESTING_MIN_SECS + 1,
            VestingDurationFloorOutOfBounds,
        ),
        ("timelock below", |p| p.timelock_secs = MIN_TIMELOCK_SECS - 1, TimelockOutOfBounds),
        ("timelock above", |p| p.timelock_secs = MAX_TIMELOCK_SECS + 1, TimelockOutOfBounds),
    ]
}

#[tokio::test]
async fn every_parameter_bound_rejected_at_propose_and_init() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    for (name, mutate, err) in out_of_bounds() {
        let mut p = default_params();
        mutate(&mut p);
        let propose = ix::propose_params(&f.keys, &f.authority.pubkey(), p);
        let result = h.send(&[propose], &[&f.authority]).await;
        assert_eq!(custom_code(&result), Some(6000 + err as u32), "propose: {name}");
    }
    assert!(f.engine(&mut h).await.pending_params.is_none());

    // The same bounds hold at genesis.
    for (name, mutate, err) in out_of_bounds() {
        let mint_authority = h.wallet().await;
        let mint = h.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
        let keys = coherence_sdk::EngineKeys::new(mint, TOKEN);
        let mut args = default_args(mint_authority.pubkey());
        mutate(&mut args.params);
        let result = h.send(&[init_ix(&h, &keys, &mint_authority, args)], &[&mint_authority]).await;
        assert_eq!(custom_code(&result), Some(6000 + err as u32), "init: {name}");
    }
}

#[tokio::test]
async fn parameters_at_their_bounds_are_accepted() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let mut p = default_params();
    p.alpha_bps = MAX_ALPHA_BPS;
    p.gate_bps = MIN_GATE_BPS;
    p.timelock_secs = MAX_TIMELOCK_SECS;
    p.min_lock = EPOCH_SECS;
    p.max_lock = MAX_LOCK_SECS;
    h.send(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority]).await.unwrap();
    assert_eq!(f.engine(&mut h).await.pending_params, Some(p));
}

#[tokio::test]
async fn apply_before_timelock_rejected_after_timelock_works() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let mut p = default_params();
    p.alpha_bps = 7_000;
    p.timelock_secs = 3 * DAY;
    let proposed = h
        .send_events::<ParamsProposed>(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority])
        .await;
    let t0 = h.now().await;
    // The current timelock (2 days) applies, not the proposed one.
    assert_eq!(proposed[0].eta, t0 + 2 * DAY as i64);

    h.warp_to(t0 + 2 * DAY as i64 - 1).await;
    assert_error(h.send(&[ix::apply_params(&f.keys)], &[]).await, CoherenceError::TimelockNotElapsed);
    assert_eq!(f.engine(&mut h).await.params, default_params());

    h.warp_to(t0 + 2 * DAY as i64).await;
    // Anyone may apply: the transaction is signed by the harness payer only.
    let applied = h.send_events::<ParamsApplied>(&[ix::apply_params(&f.keys)], &[]).await;
    let engine = f.engine(&mut h).await;
    assert_eq!(engine.params, p);
    assert!(engine.pending_params.is_none());
    assert_eq!(applied[0].params, p);
    assert_error(h.send(&[ix::apply_params(&f.keys)], &[]).await, CoherenceError::NoPendingParams);
}

#[tokio::test]
async fn cancel_works_and_only_for_the_authority() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let intruder = h.wallet().await;
    assert_error(
        h.send(&[ix::cancel_params(&f.keys, &f.authority.pubkey())], &[&f.authority]).await,
        CoherenceError::NoPendingParams,
    );
    let mut p = default_params();
    p.alpha_bps = 9_000;
    h.send(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority]).await.unwrap();
    assert_error(
        h.send(&[ix::cancel_params(&f.keys, &intruder.pubkey())], &[&intruder]).await,
        CoherenceError::NotAuthority,
    );
    h.send(&[ix::cancel_params(&f.keys, &f.authority.pubkey())], &[&f.authority]).await.unwrap();
    h.warp_by(30 * DAY as i64).await;
    assert_error(h.send(&[ix::apply_params(&f.keys)], &[]).await, CoherenceError::NoPendingParams);
    assert_eq!(f.engine(&mut h).await.params, default_params());
}

#[tokio::test]
async fn applying_a_higher_cap_never_raises_the_running_cap() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let mut p = default_params();
    p.cap = default_params().cap * 2;
    h.send(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority]).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    h.send(&[ix::apply_params(&f.keys)], &[]).await.unwrap();
    assert_eq!(f.engine(&mut h).await.cap, default_params().cap);

    p.cap = default_params().cap / 2;
    h.send(&[ix::propose_params(&f.keys, &f.authority.pubkey(), p)], &[&f.authority]).await.unwrap();
    h.warp_by(2 * DAY as i64).await;
    h.send(&[ix::apply_params(&f.keys)], &[]).await.unwrap();
    assert_eq!(f.engine(&mut h).await.cap, default_params().cap / 2);
}

#[tokio::test]
async fn authority_transfer_needs_both_steps_and_the_right_signer() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let next = h.wallet().await;
    let intruder = h.wallet().await;

    assert_error(
        h.send(&[ix::accept_authority(&f.keys, &next.pubkey())], &[&next]).await,
        CoherenceError::NoPendingAuthority,
    );
    assert_error(
        h.send(&[ix::propose_authority(&f.keys, &intruder.pubkey(), intruder.pubkey())], &[&intruder]).await,
        CoherenceError::NotAuthority,
    );
    h.send(&[ix::propose_authority(&f.keys, &f.authority.pubkey(), next.pubkey())], &[&f.authority]).await.unwrap();
    // Step one changes nothing yet.
    assert_eq!(f.engine(&mut h).await.authority, f.authority.pubkey());
    assert_error(
        h.send(&[ix::accept_authority(&f.keys, &intruder.pubkey())], &[&intruder]).await,
        CoherenceError::NotPendingAuthority,
    );
    h.send(&[ix::accept_authority(&f.keys, &next.pubkey())], &[&next]).await.unwrap();
    let engine = f.engine(&mut h).await;
    assert_eq!(engine.authority, next.pubkey());
    assert!(engine.pending_authority.is_none());
    // The old authority has lost its powers.
    assert_error(
        h.send(&[ix::set_pause(&f.keys, &f.authority.pubkey(), true)], &[&f.authority]).await,
        CoherenceError::NotAuthority,
    );
    h.send(&[ix::set_pause(&f.keys, &next.pubkey(), true)], &[&next]).await.unwrap();
    assert!(f.engine(&mut h).await.paused);
}

#[tokio::test]
async fn pause_only_by_the_authority() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let intruder = h.wallet().await;
    assert_error(
        h.send(&[ix::set_pause(&f.keys, &intruder.pubkey(), true)], &[&intruder]).await,
        CoherenceError::NotAuthority,
    );
    h.send(&[ix::set_pause(&f.keys, &f.authority.pubkey(), true)], &[&f.authority]).await.unwrap();
    assert!(f.engine(&mut h).await.paused);
    h.send(&[ix::set_pause(&f.keys, &f.authority.pubkey(), false)], &[&f.authority]).await.unwrap();
    assert!(!f.engine(&mut h).await.paused);
}

#[tokio::test]
async fn missing_signer_on_every_admin_instruction() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let a = f.authority.pubkey();
    let next = h.wallet().await;
    h.send(&[ix::propose_authority(&f.keys, &a, next.pubkey())], &[&f.authority]).await.unwrap();
    h.send(&[ix::propose_params(&f.keys, &a, default_params())], &[&f.authority]).await.unwrap();
    let unsigned = [
        ("propose_params", ix::without_signer(ix::propose_params(&f.keys, &a, default_params()), &a)),
        ("cancel_params", ix::without_signer(ix::cancel_params(&f.keys, &a), &a)),
        ("propose_authority", ix::without_signer(ix::propose_authority(&f.keys, &a, a), &a)),
        ("accept_authority", ix::without_signer(ix::accept_authority(&f.keys, &next.pubkey()), &next.pubkey())),
        ("set_pause", ix::without_signer(ix::set_pause(&f.keys, &a, true), &a)),
    ];
    for (name, ix) in unsigned {
        let result = h.send(&[ix], &[]).await;
        assert_eq!(custom_code(&result), Some(AnchorError::AccountNotSigner as u32), "{name}: {result:?}");
    }
    let engine = f.engine(&mut h).await;
    assert_eq!(engine.authority, a);
    assert!(!engine.paused);
}
