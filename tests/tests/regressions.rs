//! Regression tests for the four flaws an independent review found, each
//! performed against the real program with the mint, amounts and timing the
//! attacker would choose, and each ending with a legitimate exit that must
//! still work.

use coherence::constants::{DAY, MAX_ALPHA_BPS};
use coherence::errors::CoherenceError;
use coherence::state::{Engine, Position, StakePool};
use coherence_sdk::{instructions as ix, preview};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Flaw 1 (I5): a period that does not divide the duration used to vest
/// everything at the last whole period — 365 days, 90-day cliff, 183-day
/// periods: 100 % at day 183. Now steps count against the declared duration:
/// 183/365 at day 183, nothing more until day 365.
#[tokio::test]
async fn periodic_vesting_never_vests_ahead_of_linear() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    f.fund_treasury(&mut h, 10_000_000).await.unwrap();
    let (who, to) = f.user(&mut h, 0).await;
    let start = h.now().await + 10;
    let total = 3_650_000u64;
    let v = f
        .create_vesting(&mut h, vesting_args(who.pubkey(), total, start, 90 * DAY, 365 * DAY, 183 * DAY, false))
        .await
        .unwrap();
    let claim = ix::claim_vesting(&f.keys, &who.pubkey(), &v, &to);

    h.warp_to(start + 183 * DAY as i64 - 1).await;
    assert_error(h.send(std::slice::from_ref(&claim), &[&who]).await, CoherenceError::NothingToClaim);

    h.warp_to(start + 183 * DAY as i64).await;
    h.send(std::slice::from_ref(&claim), &[&who]).await.unwrap();
    let linear = total * 183 / 365;
    assert_eq!(h.balance(&to).await, linear, "exactly the linear share at day 183, not 100 %");

    h.warp_to(start + 365 * DAY as i64 - 1).await;
    assert_error(h.send(std::slice::from_ref(&claim), &[&who]).await, CoherenceError::NothingToClaim);

    h.warp_to(start + 365 * DAY as i64).await;
    h.send(&[claim], &[&who]).await.unwrap();
    assert_eq!(h.balance(&to).await, total, "the rest at the declared end");
}

/// Flaw 2: lifetime counters were u64 with checked adds. Burned tokens are
/// re-minted, so with a 9-decimal mint at max supply u64::MAX and α = 90 %
/// lifetime usage passes u64::MAX after two recycled burns, and every later
/// `close_epoch` failed (then `record_usage` with `EpochBacklog`). Now the
/// counters are u128 statistics: the engine keeps closing epochs.
#[tokio::test]
async fn lifetime_usage_past_u64_max_keeps_closing_epochs() {
    let mut h = Harness::new().await;
    let f = Fixture::custom(&mut h, 9, u64::MAX, |a| {
        a.max_supply = u64::MAX;
        a.params.alpha_bps = MAX_ALPHA_BPS;
        a.params.cap = u64::MAX;
        a.params.gate_bps = 5_000;
        // Everything to stakers, so the sole staker recycles the whole emission.
        (a.params.stakers_bps, a.params.builders_bps, a.params.treasury_bps) = (10_000, 0, 0);
    })
    .await;
    let lock = default_params().min_lock;
    let (user, tokens) = f.user(&mut h, u64::MAX).await;
    let position = f.open(&mut h, &user, &tokens, 0, 1, lock).await.unwrap();

    let mut burned: u128 = 0;
    let mut epoch = 0;
    for _ in 0..3 {
        let amount = h.balance(&tokens).await;
        f.record(&mut h, &user, &tokens, (epoch % 4) as u8, amount, None).await.unwrap();
        burned += amount as u128;
        // Close it, let the stream run out, take the emission back.
        f.warp_to_epoch(&mut h, epoch + 1).await;
        f.crank(&mut h).await.unwrap();
        f.warp_to_epoch(&mut h, epoch + 2).await;
        f.crank(&mut h).await.unwrap();
        f.claim(&mut h, &user, &position, &tokens).await.unwrap();
        epoch += 2;
    }
    assert!(burned > u64::MAX as u128, "lifetime usage passed u64::MAX: {burned}");
    let engine: Engine = f.engine(&mut h).await;
    assert_eq!(engine.total_usage_burned, burned);
    assert!(engine.total_emitted * 10_000 <= burned * MAX_ALPHA_BPS as u128, "I1 over the lifetime");
    assert_eq!(engine.next_epoch, epoch, "every ended epoch closed");

    // The engine still takes usage and closes epochs, and the exit works.
    f.record(&mut h, &user, &tokens, 0, 1, None).await.unwrap();
    f.warp_to_epoch(&mut h, epoch + 1).await;
    f.crank(&mut h).await.unwrap();
    assert_eq!(f.engine(&mut h).await.total_usage_burned, burned + 1);
    exit_position(&mut h, &f, &user, &position, &tokens).await;
}

/// Flaw 3: the accumulator grows by `released·1e18/total_weight`. A sole
/// staker of weight 1 recycling u64::MAX tokens through fund/claim cycles
/// pushed it past u128::MAX in ~19 cycles; then every accrual overflowed and
/// a later staker's principal was stuck. Now it wraps, exactly: the attacker
/// gains nothing, and the victim claims, unbonds and withdraws.
#[tokio::test]
async fn recycled_rewards_cannot_overflow_accumulator_and_lock_principal() {
    let mut h = Harness::new().await;
    let f = Fixture::custom(&mut h, 0, u64::MAX, |a| a.max_supply = u64::MAX).await;
    let lock = default_params().min_lock;
    let victim_stake = 1_000_000u64;
    let (victim, victim_tokens) = f.user(&mut h, victim_stake).await;
    let (attacker, tokens) = f.user(&mut h, u64::MAX - victim_stake - 10_000).await;
    let position = f.open(&mut h, &attacker, &tokens, 0, 1, lock).await.unwrap();
    assert_eq!(h.get::<Position>(&position).await.weight, 1);
    let start_balance = h.balance(&tokens).await;

    let mut wrapped = false;
    for cycle in 0..24 {
        let before = h.get::<StakePool>(&f.keys.stake_pool).await.stream.acc;
        let all = h.balance(&tokens).await;
        h.send(&[ix::fund_rewards(&f.keys, &attacker.pubkey(), &tokens, all)], &[&attacker])
            .await
            .unwrap_or_else(|e| panic!("cycle {cycle}: fund {all}: {e:?}"));
        h.warp_by(EPOCH_SECS as i64).await;
        f.claim(&mut h, &attacker, &position, &tokens).await.unwrap();
        wrapped |= h.get::<StakePool>(&f.keys.stake_pool).await.stream.acc < before;
    }
    assert!(wrapped, "the accumulator went around u128::MAX");
    assert_eq!(h.balance(&tokens).await, start_balance, "recycling pays the attacker nothing");

    // A later staker: rewards, unbond and withdraw all work, to the unit.
    let vp = f.open(&mut h, &victim, &victim_tokens, 0, victim_stake, lock).await.unwrap();
    f.fund_rewards(&mut h, 10_000).await.unwrap(); // what the genesis holder has left
    h.warp_by(EPOCH_SECS as i64).await;
    let owed = preview::preview_rewards(&h.get(&vp).await, &h.get(&f.keys.stake_pool).await, h.now().await).unwrap();
    let w = h.get::<Position>(&vp).await.weight;
    assert_eq!(owed as u128, 10_000 * w / (w + 1), "the victim's exact weight share");
    assert_eq!(f.claim(&mut h, &victim, &vp, &victim_tokens).await.unwrap(), owed);
    exit_position(&mut h, &f, &victim, &vp, &victim_tokens).await;
    assert_eq!(h.balance(&victim_tokens).await, victim_stake + owed);
    exit_position(&mut h, &f, &attacker, &position, &tokens).await;
}

/// Flaw 4: each accrual released `remaining·dt/span` rounded down, so
/// accruing every second (free `extend_lock(lock + 1)` calls) held back up to
/// one base unit per second until the stream's end. 0-decimal mint, 1,800
/// tokens over 3,600 s: the honest staker got 1, a second-half sniper 1,798.
/// Now the per-second run pays exactly what an undisturbed run pays.
#[tokio::test]
async fn per_second_accrual_releases_what_daily_accrual_does() {
    let quiet = stream_half_sniped(false).await;
    let griefed = stream_half_sniped(true).await;
    assert_eq!(griefed, quiet, "payouts do not depend on accrual frequency");
    let (honest, sniper) = griefed;
    // Equal weights; honest staked 2× as long (first half shared with a weight-1 griefer).
    assert!((1_340..=1_350).contains(&honest), "honest earns ~3/4: {honest}");
    assert!((449..=450).contains(&sniper), "sniper earns ~1/4: {sniper}");
}

/// Honest stakes 1,000 at t0, a griefer holds 1 token, 1,800 tokens stream
/// over 3,600 s, a sniper stakes 1,000 at t0 + 1,800. With `per_second`, the
/// griefer calls `extend_lock(lock + 1)` every second of the first half.
/// Returns what the honest staker and the sniper earned.
async fn stream_half_sniped(per_second: bool) -> (u64, u64) {
    let mut h = Harness::new().await;
    let f = Fixture::custom(&mut h, 0, 1_000_000, |a| a.epoch_secs = 3_600).await;
    let lock = default_params().min_lock;
    let (honest, honest_tokens) = f.user(&mut h, 1_000).await;
    let (sniper, sniper_tokens) = f.user(&mut h, 1_000).await;
    let (griefer, griefer_tokens) = f.user(&mut h, 1).await;
    let hp = f.open(&mut h, &honest, &honest_tokens, 0, 1_000, lock).await.unwrap();
    let gp = f.open(&mut h, &griefer, &griefer_tokens, 0, 1, lock).await.unwrap();
    let t0 = h.now().await;
    f.fund_rewards(&mut h, 1_800).await.unwrap();
    if per_second {
        for s in 1..1_800 {
            h.warp_to(t0 + s).await;
            let ix = ix::extend_lock(&f.keys, &griefer.pubkey(), &gp, lock + s as u64);
            h.send(&[ix], &[&griefer]).await.unwrap();
        }
    }
    h.warp_to(t0 + 1_800).await;
    let sp = f.open(&mut h, &sniper, &sniper_tokens, 0, 1_000, lock).await.unwrap();
    h.warp_to(t0 + 3_600).await;
    let honest_got = f.claim(&mut h, &honest, &hp, &honest_tokens).await.unwrap();
    let sniper_got = f.claim(&mut h, &sniper, &sp, &sniper_tokens).await.unwrap();
    exit_position(&mut h, &f, &honest, &hp, &honest_tokens).await;
    (honest_got, sniper_got)
}

/// Unbonds `position`, waits out its lock and withdraws: the exit must work.
async fn exit_position(
    h: &mut Harness,
    f: &Fixture,
    owner: &Keypair,
    position: &anchor_lang::prelude::Pubkey,
    to: &anchor_lang::prelude::Pubkey,
) {
    let before = h.balance(to).await;
    let pos: Position = h.get(position).await;
    h.send(&[ix::start_unbond(&f.keys, &owner.pubkey(), position)], &[owner]).await.expect("start_unbond");
    h.warp_by(pos.lock_secs as i64).await;
    let owed =
        preview::preview_rewards(&h.get(position).await, &h.get(&f.keys.stake_pool).await, h.now().await).unwrap();
    h.send(&[ix::withdraw(&f.keys, &owner.pubkey(), position, to)], &[owner]).await.expect("withdraw");
    if owed > 0 {
        assert_eq!(f.claim(h, owner, position, to).await.expect("claim after withdraw"), owed);
    }
    assert_eq!(h.balance(to).await, before + pos.principal + owed, "principal and every earned reward back");
}
