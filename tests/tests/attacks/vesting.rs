//! Attacks on vesting and the treasury (I5).
//!
//! Defenses: schedules are funded only from the treasury by the authority,
//! with cliff and duration at least the engine's minimums and a start not in
//! the past; revocation freezes vesting and returns only the unvested part to
//! the treasury; ids come from a counter so closed schedules never reappear.

use anchor_lang::error::ErrorCode as AnchorError;
use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence_sdk::instructions as ix;
use coherence_tests::*;
use solana_signer::Signer;

const TOTAL: u64 = 1_200_000_000;
const MONTH: u64 = 31 * DAY;

async fn setup() -> (Harness, Fixture) {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    f.fund_treasury(&mut h, 10 * TOTAL).await.unwrap();
    (h, f)
}

/// Attack: an insider claims before the cliff.
#[tokio::test]
async fn vesting_claim_before_cliff_rejected() {
    let (mut h, f) = setup().await;
    let (who, tokens) = f.user(&mut h, 0).await;
    let start = h.now().await;
    let v = f
        .create_vesting(&mut h, vesting_args(who.pubkey(), TOTAL, start, 3 * MONTH, 12 * MONTH, 0, false))
        .await
        .unwrap();
    h.warp_to(start + 3 * MONTH as i64 - 1).await;
    assert_error(
        h.send(&[ix::claim_vesting(&f.keys, &who.pubkey(), &v, &tokens)], &[&who]).await,
        CoherenceError::NothingToClaim,
    );
}

/// Attack: claim the same vested tokens twice (two claims in one transaction).
#[tokio::test]
async fn vesting_double_claim_gets_nothing_more() {
    let (mut h, f) = setup().await;
    let (who, tokens) = f.user(&mut h, 0).await;
    let start = h.now().await;
    let v = f
        .create_vesting(&mut h, vesting_args(who.pubkey(), TOTAL, start, 3 * MONTH, 12 * MONTH, 0, false))
        .await
        .unwrap();
    h.warp_to(start + 6 * MONTH as i64).await;
    let claim = ix::claim_vesting(&f.keys, &who.pubkey(), &v, &tokens);
    assert_error(h.send(&[claim.clone(), claim.clone()], &[&who]).await, CoherenceError::NothingToClaim);
    h.send(std::slice::from_ref(&claim), &[&who]).await.unwrap();
    assert_error(h.send(&[claim], &[&who]).await, CoherenceError::NothingToClaim);
    assert_eq!(h.balance(&tokens).await, TOTAL / 2);
}

/// Attack: the authority revokes to take back vested tokens. Asserted: the
/// treasury gains only the unvested part; the beneficiary still gets the rest.
#[tokio::test]
async fn revoke_cannot_take_vested_tokens() {
    let (mut h, f) = setup().await;
    let (who, tokens) = f.user(&mut h, 0).await;
    let start = h.now().await;
    let v = f
        .create_vesting(&mut h, vesting_args(who.pubkey(), TOTAL, start, 3 * MONTH, 12 * MONTH, 0, true))
        .await
        .unwrap();
    let treasury = h.balance(&f.keys.treasury).await;
    h.warp_to(start + 9 * MONTH as i64).await;
    h.send(&[ix::revoke_vesting(&f.keys, &f.authority.pubkey(), &v)], &[&f.authority]).await.unwrap();
    assert_eq!(h.balance(&f.keys.treasury).await, treasury + TOTAL / 4);
    h.send(&[ix::claim_vesting(&f.keys, &who.pubkey(), &v, &tokens)], &[&who]).await.unwrap();
    assert_eq!(h.balance(&tokens).await, 3 * TOTAL / 4);
}

/// Attack: drain the treasury through a schedule below the minimum cliff or
/// duration, or back-dated so its cliff has already passed.
#[tokio::test]
async fn treasury_drain_via_short_or_backdated_schedule_rejected() {
    let (mut h, f) = setup().await;
    let accomplice = h.wallet().await;
    let now = h.now().await;
    let p = default_params();
    let long_ago = now - 2 * 365 * DAY as i64;
    let cases = [
        (vesting_args(accomplice.pubkey(), TOTAL, now, 0, 12 * MONTH, 0, false), CoherenceError::VestingCliffTooShort),
        (
            vesting_args(accomplice.pubkey(), TOTAL, now, p.min_vesting_cliff, p.min_vesting_cliff, 0, false),
            CoherenceError::VestingDurationTooShort,
        ),
        (
            vesting_args(accomplice.pubkey(), TOTAL, long_ago, 3 * MONTH, 12 * MONTH, 0, false),
            CoherenceError::VestingStartInPast,
        ),
    ];
    for (args, err) in cases {
        assert_error(f.create_vesting(&mut h, args).await.map(|_| ()), err);
    }
    assert_eq!(h.balance(&f.keys.treasury).await, 10 * TOTAL);
}

/// Attack: cycle create/revoke to move treasury tokens out. Asserted: after
/// any sequence, treasury + vesting vault + claimed == what was deposited and
/// the beneficiary received only vested amounts.
#[tokio::test]
async fn create_revoke_cycles_cannot_drain_the_treasury() {
    let (mut h, f) = setup().await;
    let (who, tokens) = f.user(&mut h, 0).await;
    let mut vested_total = 0;
    for months in [0u64, 2, 4, 7] {
        let start = h.now().await;
        let args = vesting_args(who.pubkey(), TOTAL, start, 3 * MONTH, 12 * MONTH, 0, true);
        let v = f.create_vesting(&mut h, args).await.unwrap();
        let revoked_at = start + (months * MONTH) as i64;
        h.warp_to(revoked_at).await;
        h.send(&[ix::revoke_vesting(&f.keys, &f.authority.pubkey(), &v)], &[&f.authority]).await.unwrap();
        let vested = args.curve().vested(revoked_at).unwrap();
        vested_total += vested;
        let claim = h.send(&[ix::claim_vesting(&f.keys, &who.pubkey(), &v, &tokens)], &[&who]).await;
        if vested == 0 {
            assert_error(claim, CoherenceError::NothingToClaim);
        } else {
            claim.unwrap();
        }
    }
    // Only what had vested at each revocation left the treasury, and all of it reached the beneficiary.
    assert_eq!(vested_total, TOTAL / 3 + 7 * TOTAL / 12);
    assert_eq!(h.balance(&tokens).await, vested_total);
    assert_eq!(h.balance(&f.keys.treasury).await, 10 * TOTAL - vested_total);
    assert_eq!(h.balance(&f.keys.vesting_vault).await, 0);
}

/// Attack: close a fully claimed schedule and use its address again.
/// Asserted: the closed account is gone for good (Anchor refuses it as
/// uninitialized) and a new schedule gets a new id and address.
#[tokio::test]
async fn closed_schedule_cannot_be_revived() {
    let (mut h, f) = setup().await;
    let (who, tokens) = f.user(&mut h, 0).await;
    let start = h.now().await;
    let v = f
        .create_vesting(&mut h, vesting_args(who.pubkey(), TOTAL, start, 3 * MONTH, 12 * MONTH, 0, false))
        .await
        .unwrap();
    h.warp_to(start + 12 * MONTH as i64).await;
    let claim = ix::claim_vesting(&f.keys, &who.pubkey(), &v, &tokens);
    h.send(std::slice::from_ref(&claim), &[&who]).await.unwrap();
    h.send(&[ix::close_vesting(&f.keys, &who.pubkey(), &v)], &[&who]).await.unwrap();
    assert_anchor_error(h.send(&[claim], &[&who]).await, AnchorError::AccountNotInitialized);

    // Reusing the old id's address for a new schedule is refused by its seeds.
    let now = h.now().await;
    let args = vesting_args(who.pubkey(), TOTAL, now, 3 * MONTH, 12 * MONTH, 0, false);
    let stale = ix::create_vesting(&f.keys, &h.payer().pubkey(), &f.authority.pubkey(), 0, args, 4);
    assert_anchor_error(h.send(&[stale], &[&f.authority]).await, AnchorError::ConstraintSeeds);
    let fresh = f.create_vesting(&mut h, args).await.unwrap();
    assert_ne!(fresh, v);
    assert_eq!(h.balance(&tokens).await, TOTAL);
}
