//! Vesting schedules funded from the treasury (I5, I7, I8).

use anchor_lang::prelude::Pubkey;
use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence::events::{VestingClaimed, VestingRevoked};
use coherence::state::VestingSchedule;
use coherence_sdk::{instructions as ix, preview};
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

/// Beneficiary wallet + token account + a schedule (cliff 3 months, 12 months, given period).
async fn schedule(
    h: &mut Harness,
    f: &Fixture,
    period: u64,
    revocable: bool,
) -> (solana_keypair::Keypair, Pubkey, Pubkey, i64) {
    let (who, tokens) = f.user(h, 0).await;
    let start = h.now().await + 100;
    let v = f
        .create_vesting(h, vesting_args(who.pubkey(), TOTAL, start, 3 * MONTH, 12 * MONTH, period, revocable))
        .await
        .unwrap();
    (who, tokens, v, start)
}

async fn claim(h: &mut Harness, f: &Fixture, who: &solana_keypair::Keypair, v: &Pubkey, to: &Pubkey) -> TxResult {
    h.send(&[ix::claim_vesting(&f.keys, &who.pubkey(), v, to)], &[who]).await
}

#[tokio::test]
async fn create_moves_total_from_treasury_to_vesting_vault() {
    let (mut h, f) = setup().await;
    let (who, _, v, start) = schedule(&mut h, &f, 0, false).await;
    let s: VestingSchedule = h.get(&v).await;
    assert_eq!((s.beneficiary, s.total, s.claimed, s.start, s.id), (who.pubkey(), TOTAL, 0, start, 0));
    assert_eq!(h.balance(&f.keys.treasury).await, 9 * TOTAL);
    assert_eq!(h.balance(&f.keys.vesting_vault).await, TOTAL);
    assert_eq!(f.engine(&mut h).await.vesting_count, 1);
}

#[tokio::test]
async fn claim_before_cliff_gets_nothing() {
    let (mut h, f) = setup().await;
    let (who, tokens, v, start) = schedule(&mut h, &f, 0, false).await;
    h.warp_to(start + 3 * MONTH as i64 - 1).await;
    assert_error(claim(&mut h, &f, &who, &v, &tokens).await, CoherenceError::NothingToClaim);
    assert_eq!(h.balance(&tokens).await, 0);
}

#[tokio::test]
async fn claim_at_each_step_gets_exactly_the_math_amount_then_close() {
    let (mut h, f) = setup().await;
    let (who, tokens, v, start) = schedule(&mut h, &f, MONTH, false).await;
    let mut total = 0;
    for step in 3..=12u64 {
        let t = start + (step * MONTH) as i64;
        h.warp_to(t).await;
        let s: VestingSchedule = h.get(&v).await;
        let expected = preview::preview_vested(&s, 0, t).unwrap();
        // 12 equal monthly steps after a 3-month cliff.
        let want = if step == 3 { 3 * TOTAL / 12 } else { TOTAL / 12 };
        assert_eq!(expected, want, "step {step}");
        let events =
            h.send_events::<VestingClaimed>(&[ix::claim_vesting(&f.keys, &who.pubkey(), &v, &tokens)], &[&who]).await;
        total += expected;
        assert_eq!(h.balance(&tokens).await, total);
        assert_eq!(events[0].amount, expected);
        // Double claim in the same second gets nothing more.
        assert_error(claim(&mut h, &f, &who, &v, &tokens).await, CoherenceError::NothingToClaim);
        // Just before the next step nothing new has unlocked.
        if step < 12 {
            h.warp_to(t + MONTH as i64 - 1).await;
            assert_error(claim(&mut h, &f, &who, &v, &tokens).await, CoherenceError::NothingToClaim);
        }
    }
    assert_eq!(total, TOTAL);
    assert_eq!(h.balance(&f.keys.vesting_vault).await, 0);

    let rent = h.lamports(&v).await;
    let before = h.lamports(&who.pubkey()).await;
    h.send(&[ix::close_vesting(&f.keys, &who.pubkey(), &v)], &[&who]).await.unwrap();
    assert!(!h.exists(&v).await);
    assert_eq!(h.lamports(&who.pubkey()).await, before + rent);
}

#[tokio::test]
async fn linear_claim_after_end_gets_the_rest() {
    let (mut h, f) = setup().await;
    let (who, tokens, v, start) = schedule(&mut h, &f, 0, false).await;
    h.warp_to(start + 6 * MONTH as i64).await;
    claim(&mut h, &f, &who, &v, &tokens).await.unwrap();
    assert_eq!(h.balance(&tokens).await, TOTAL / 2);
    assert_error(
        h.send(&[ix::close_vesting(&f.keys, &who.pubkey(), &v)], &[&who]).await,
        CoherenceError::ScheduleNotEmpty,
    );
    h.warp_to(start + 13 * MONTH as i64).await;
    claim(&mut h, &f, &who, &v, &tokens).await.unwrap();
    assert_eq!(h.balance(&tokens).await, TOTAL);
}

#[tokio::test]
async fn schedule_below_minimums_or_backdated_rejected() {
    let (mut h, f) = setup().await;
    let who = Pubkey::new_unique();
    let now = h.now().await;
    let p = default_params();
    let cases = [
        (
            vesting_args(who, TOTAL, now, p.min_vesting_cliff - 1, 12 * MONTH, 0, false),
            CoherenceError::VestingCliffTooShort,
        ),
        (
            vesting_args(who, TOTAL, now, p.min_vesting_cliff, p.min_vesting_duration - 1, 0, false),
            CoherenceError::VestingDurationTooShort,
        ),
        (vesting_args(who, TOTAL, now - 1, 3 * MONTH, 12 * MONTH, 0, false), CoherenceError::VestingStartInPast),
        (vesting_args(who, 0, now, 3 * MONTH, 12 * MONTH, 0, false), CoherenceError::ZeroAmount),
        (
            vesting_args(who, TOTAL, now, 3 * MONTH, 12 * MONTH, 13 * MONTH, false),
            CoherenceError::InvalidVestingSchedule,
        ),
        (vesting_args(who, 10 * TOTAL + 1, now, 3 * MONTH, 12 * MONTH, 0, false), CoherenceError::InsufficientTreasury),
        (vesting_args(who, u64::MAX, now, 3 * MONTH, 12 * MONTH, 0, false), CoherenceError::InsufficientTreasury),
    ];
    for (args, err) in cases {
        assert_error(f.create_vesting(&mut h, args).await.map(|_| ()), err);
    }
    assert_eq!(f.engine(&mut h).await.vesting_count, 0);
    assert_eq!(h.balance(&f.keys.treasury).await, 10 * TOTAL);
}

#[tokio::test]
async fn create_by_non_authority_rejected() {
    let (mut h, f) = setup().await;
    let intruder = h.wallet().await;
    let now = h.now().await;
    let args = vesting_args(intruder.pubkey(), TOTAL, now, 3 * MONTH, 12 * MONTH, 0, false);
    let create = ix::create_vesting(&f.keys, &intruder.pubkey(), &intruder.pubkey(), 0, args, 4);
    assert_error(h.send(&[create], &[&intruder]).await, CoherenceError::NotAuthority);
}

#[tokio::test]
async fn revoke_returns_exactly_the_unvested_part_and_vested_stays_claimable() {
    let (mut h, f) = setup().await;
    let (who, tokens, v, start) = schedule(&mut h, &f, 0, true).await;
    let treasury = h.balance(&f.keys.treasury).await;
    h.warp_to(start + 4 * MONTH as i64).await;
    let revoke = ix::revoke_vesting(&f.keys, &f.authority.pubkey(), &v);
    let events = h.send_events::<VestingRevoked>(std::slice::from_ref(&revoke), &[&f.authority]).await;
    let vested = TOTAL / 3;
    assert_eq!(events[0].vested, vested);
    assert_eq!(events[0].returned, TOTAL - vested);
    assert_eq!(h.balance(&f.keys.treasury).await, treasury + TOTAL - vested);
    assert_error(h.send(&[revoke], &[&f.authority]).await, CoherenceError::AlreadyRevoked);

    // Vesting is frozen at revocation; the vested part is still claimable later.
    h.warp_to(start + 12 * MONTH as i64).await;
    claim(&mut h, &f, &who, &v, &tokens).await.unwrap();
    assert_eq!(h.balance(&tokens).await, vested);
    assert_error(claim(&mut h, &f, &who, &v, &tokens).await, CoherenceError::NothingToClaim);
    assert_eq!(h.balance(&f.keys.vesting_vault).await, 0);
    h.send(&[ix::close_vesting(&f.keys, &who.pubkey(), &v)], &[&who]).await.unwrap();
}

#[tokio::test]
async fn revoke_of_non_revocable_schedule_rejected() {
    let (mut h, f) = setup().await;
    let (_, _, v, _) = schedule(&mut h, &f, 0, false).await;
    let revoke = ix::revoke_vesting(&f.keys, &f.authority.pubkey(), &v);
    assert_error(h.send(&[revoke], &[&f.authority]).await, CoherenceError::NotRevocable);
}

#[tokio::test]
async fn another_wallet_cannot_claim_revoke_or_transfer() {
    let (mut h, f) = setup().await;
    let (_, _, v, start) = schedule(&mut h, &f, 0, true).await;
    let (thief, thief_tokens) = f.user(&mut h, 0).await;
    h.warp_to(start + 6 * MONTH as i64).await;
    assert_error(claim(&mut h, &f, &thief, &v, &thief_tokens).await, CoherenceError::NotBeneficiary);
    assert_error(
        h.send(&[ix::revoke_vesting(&f.keys, &thief.pubkey(), &v)], &[&thief]).await,
        CoherenceError::NotAuthority,
    );
    assert_error(
        h.send(&[ix::transfer_vesting(&thief.pubkey(), &v, thief.pubkey())], &[&thief]).await,
        CoherenceError::NotBeneficiary,
    );
    assert_error(
        h.send(&[ix::close_vesting(&f.keys, &thief.pubkey(), &v)], &[&thief]).await,
        CoherenceError::NotBeneficiary,
    );
    assert_eq!(h.balance(&thief_tokens).await, 0);
}

#[tokio::test]
async fn wrong_destination_token_account_rejected() {
    let (mut h, f) = setup().await;
    let (who, _, v, start) = schedule(&mut h, &f, 0, false).await;
    h.warp_to(start + 6 * MONTH as i64).await;
    // Someone else's account of the right mint.
    let (other, other_tokens) = f.user(&mut h, 0).await;
    assert_error(claim(&mut h, &f, &who, &v, &other_tokens).await, CoherenceError::WrongTokenOwner);
    // The beneficiary's account of another mint.
    let other_mint = h.create_mint(TOKEN, &other.pubkey(), None, &[]).await;
    let foreign = h.token_account(&other_mint, &who.pubkey()).await;
    assert_error(claim(&mut h, &f, &who, &v, &foreign).await, CoherenceError::WrongMint);
    // The vesting vault itself as destination: the same mutable account twice.
    assert_anchor_error(
        claim(&mut h, &f, &who, &v, &f.keys.vesting_vault).await,
        anchor_lang::error::ErrorCode::ConstraintDuplicateMutableAccount,
    );
    // The treasury (engine-owned, right mint) as destination.
    assert_error(claim(&mut h, &f, &who, &v, &f.keys.treasury).await, CoherenceError::WrongTokenOwner);
}

#[tokio::test]
async fn transfer_hands_the_schedule_over() {
    let (mut h, f) = setup().await;
    let (who, tokens, v, start) = schedule(&mut h, &f, 0, false).await;
    let (heir, heir_tokens) = f.user(&mut h, 0).await;
    h.send(&[ix::transfer_vesting(&who.pubkey(), &v, heir.pubkey())], &[&who]).await.unwrap();
    h.warp_to(start + 6 * MONTH as i64).await;
    assert_error(claim(&mut h, &f, &who, &v, &tokens).await, CoherenceError::NotBeneficiary);
    claim(&mut h, &f, &heir, &v, &heir_tokens).await.unwrap();
    assert_eq!(h.balance(&heir_tokens).await, TOTAL / 2);
}

#[tokio::test]
async fn claim_works_while_paused() {
    let (mut h, f) = setup().await;
    let (who, tokens, v, start) = schedule(&mut h, &f, 0, false).await;
    f.pause(&mut h, true).await;
    h.warp_to(start + 12 * MONTH as i64).await;
    claim(&mut h, &f, &who, &v, &tokens).await.unwrap();
    assert_eq!(h.balance(&tokens).await, TOTAL);
}
