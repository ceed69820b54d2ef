//! Coherence at the source (DESIGN §4.5, §4.5d): the engine's own rules,
//! not a checklist, keep value and usefulness together.
//!
//! - the baseline follows the median of three epochs, so one paid burst
//!   cannot stall the gate for honest usage;
//! - the gate is at most 100 %, so steady usage always passes;
//! - time-only vesting draws from a budget declared at genesis and only
//!   ever lowered: the most value that can accrue without usage;
//! - a gated schedule's `U` counts only usage paid after its creation.

use anchor_lang::prelude::Pubkey;
use coherence::constants::{DAY, MIN_VESTING_GRACE_SECS};
use coherence::errors::CoherenceError;
use coherence::instructions::CreateVestingArgs;
use coherence::state::{Engine, EpochRecord, VestingSchedule};
use coherence_sdk::{instructions as ix, pda, preview};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const UNIT: u64 = 1_000_000; // one token, 6 decimals

/// Daily epochs, the treasury funded, time-only budget `budget`.
async fn setup(budget: u64, tweak: impl FnOnce(&mut coherence::instructions::InitEngineArgs)) -> (Harness, Fixture) {
    let mut h = Harness::new().await;
    let f = Fixture::with(&mut h, |a| {
        a.time_only_budget = budget;
        tweak(a);
    })
    .await;
    f.fund_treasury(&mut h, 100_000_000 * UNIT).await.unwrap();
    (h, f)
}

/// A schedule starting in 100 s: 90-day cliff, one year, linear; gated at
/// `rate` (0: time-only).
fn schedule(who: Pubkey, total: u64, rate: u16, revocable: bool, now: i64) -> CreateVestingArgs {
    let mut a = vesting_args(who, total, now + 100, 90 * DAY, 365 * DAY, 0, revocable);
    a.usage_rate_bps = rate;
    a.grace_secs = if rate > 0 { MIN_VESTING_GRACE_SECS as u32 } else { 0 };
    a
}

async fn create(h: &mut Harness, f: &Fixture, who: Pubkey, total: u64, rate: u16, revocable: bool) -> TxResult {
    let now = h.now().await;
    f.create_vesting(h, schedule(who, total, rate, revocable, now)).await.map(|_| ())
}

/// Pays `amount` in the current epoch, moves to the next and closes every
/// ended epoch; returns the closed epoch's record.
async fn epoch_of(h: &mut Harness, f: &Fixture, payer: &Keypair, tokens: &Pubkey, amount: u64) -> EpochRecord {
    let epoch = f.engine(h).await.next_epoch;
    if amount > 0 {
        f.record(h, payer, tokens, (epoch % 4) as u8, amount, None).await.expect("record_usage");
    }
    f.warp_to_epoch(h, epoch + 1).await;
    f.crank(h).await.expect("close");
    h.get(&pda::epoch_record(&f.keys.engine, epoch)).await
}

/// The simulator's baseline pumper, on the real program: honest usage
/// steady at 1,000 tokens an epoch; the pumper triples one epoch's usage;
/// the honest usage goes on. At a gate of 100 % — the strictest allowed —
/// the honest epochs pass in every epoch after the burst, and the baseline
/// is exactly what it would have been without the burst.
#[tokio::test]
async fn a_burst_of_usage_never_stalls_the_gate_for_steady_honest_usage() {
    let run = |burst: bool| async move {
        let (mut h, f) = setup(0, |a| a.params.gate_bps = 10_000).await;
        let (user, tokens) = f.user(&mut h, 100_000 * UNIT).await;
        let (pumper, pump_tokens) = f.user(&mut h, 100_000 * UNIT).await;
        let mut rows = Vec::new();
        for e in 0..16u64 {
            if burst && e == 8 {
                f.record(&mut h, &pumper, &pump_tokens, 1, 2_000 * UNIT, None).await.expect("burst");
            }
            let r = epoch_of(&mut h, &f, &user, &tokens, 1_000 * UNIT).await;
            rows.push((r.gate_passed, r.baseline, r.baseline_input, r.usage));
        }
        rows
    };
    let (honest, pumped) = (run(false).await, run(true).await);
    assert_eq!(pumped[8].3, 3_000 * UNIT, "the burst epoch holds 3x usage");
    assert!(pumped.iter().all(|r| r.0), "every epoch passes the gate: {pumped:?}");
    for e in 9..16 {
        assert_eq!(pumped[e].1, honest[e].1, "epoch {e}: the baseline ignores the burst");
        assert_eq!(pumped[e].2, 1_000 * UNIT, "epoch {e}: the median is the honest level");
    }
}

/// A rise sustained for two epochs is real: it enters the baseline in full
/// at its second epoch (and the gate still passes, since usage rose).
#[tokio::test]
async fn a_sustained_rise_enters_the_baseline_at_its_second_epoch() {
    let (mut h, f) = setup(0, |_| {}).await;
    let (user, tokens) = f.user(&mut h, 100_000 * UNIT).await;
    for _ in 0..4 {
        epoch_of(&mut h, &f, &user, &tokens, 1_000 * UNIT).await;
    }
    let first = epoch_of(&mut h, &f, &user, &tokens, 2_000 * UNIT).await;
    let second = epoch_of(&mut h, &f, &user, &tokens, 2_000 * UNIT).await;
    assert_eq!(first.baseline_input, 1_000 * UNIT);
    assert_eq!(second.baseline_input, 2_000 * UNIT);
    assert!(first.gate_passed && second.gate_passed);
}

/// A gate above 100 % is refused by name, at genesis and in a proposal;
/// an engine already running one (set before this bound) keeps closing
/// epochs, and a proposal that keeps it is refused until it is lowered.
#[tokio::test]
async fn a_gate_above_100_percent_is_refused_by_name_and_a_running_one_keeps_working() {
    let mut h = Harness::new().await;
    let mint_authority = h.wallet().await;
    let mint = h.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
    let keys = coherence_sdk::EngineKeys::new(mint, TOKEN);
    let mut args = default_args(mint_authority.pubkey());
    args.params.gate_bps = 10_001;
    let init = init_ix(&h, &keys, &mint_authority, args);
    assert_error(h.send(&[init], &[&mint_authority]).await, CoherenceError::GateOutOfBounds);

    let (mut h, f) = setup(0, |_| {}).await;
    let authority = f.authority.pubkey();
    let mut p = f.engine(&mut h).await.params;
    p.gate_bps = 10_001;
    assert_error(
        h.send(&[ix::propose_params(&f.keys, &authority, p)], &[&f.authority]).await,
        CoherenceError::GateOutOfBounds,
    );
    p.gate_bps = 10_000;
    h.send(&[ix::propose_params(&f.keys, &authority, p)], &[&f.authority]).await.expect("100 % is allowed");

    // An engine set to 150 % before the bound existed.
    let mut e: Engine = f.engine(&mut h).await;
    e.params.gate_bps = 15_000;
    e.pending_params = None;
    h.overwrite(&f.keys.engine, &e).await;
    let (user, tokens) = f.user(&mut h, 10_000 * UNIT).await;
    for _ in 0..3 {
        let r = epoch_of(&mut h, &f, &user, &tokens, 1_000 * UNIT).await;
        assert_eq!(r.usage, 1_000 * UNIT);
    }
    assert_eq!(f.engine(&mut h).await.next_epoch, 3, "epochs keep closing");
    assert_error(
        h.send(&[ix::propose_params(&f.keys, &authority, e.params)], &[&f.authority]).await,
        CoherenceError::GateOutOfBounds,
    );
    e.params.gate_bps = 9_000;
    h.send(&[ix::propose_params(&f.keys, &authority, e.params)], &[&f.authority]).await.expect("lowered");
}

/// The time-only budget: a time-only schedule beyond it is refused by name,
/// a gated one of any size (within the usage budget) is not; revoking a
/// time-only schedule gives back exactly its unvested part; the budget is
/// only ever lowered, never below what is committed.
#[tokio::test]
async fn time_only_vesting_draws_from_a_budget_declared_at_genesis() {
    let (mut h, f) = setup(1_000 * UNIT, |_| {}).await;
    let who = h.wallet().await.pubkey();
    create(&mut h, &f, who, 600 * UNIT, 0, true).await.expect("600 of 1,000");
    assert_error(create(&mut h, &f, who, 400 * UNIT + 1, 0, false).await, CoherenceError::TimeOnlyBudgetExceeded);
    create(&mut h, &f, who, 50_000_000 * UNIT, 4_000, false).await.expect("a gated grant does not touch it");
    let e = f.engine(&mut h).await;
    assert_eq!((e.time_only_budget, e.time_only_used), (1_000 * UNIT, 600 * UNIT));

    // Revoked at 6 months of a 12-month schedule with a 3-month cliff: half vested.
    let start = h.get::<VestingSchedule>(&pda::vesting(&f.keys.engine, 0)).await.start;
    h.warp_to(start + 365 * DAY as i64 / 2).await;
    let v = pda::vesting(&f.keys.engine, 0);
    h.send(&[ix::revoke_vesting(&f.keys, &f.authority.pubkey(), &v)], &[&f.authority]).await.expect("revoke");
    let s: VestingSchedule = h.get(&v).await;
    let returned = 600 * UNIT - s.frozen_vested;
    assert!(returned > 0 && s.frozen_vested > 0);
    assert_eq!(f.engine(&mut h).await.time_only_used, s.frozen_vested, "the unvested part went back");
    create(&mut h, &f, who, 1_000 * UNIT - s.frozen_vested, 0, false).await.expect("exactly what is left");
    assert_error(create(&mut h, &f, who, 1, 0, false).await, CoherenceError::TimeOnlyBudgetExceeded);

    // Lowering: never up, never below what is committed, only by the authority.
    let lower = |b: u64| ix::lower_time_only_budget(&f.keys, &f.authority.pubkey(), b);
    assert_error(h.send(&[lower(1_000 * UNIT + 1)], &[&f.authority]).await, CoherenceError::TimeOnlyBudgetCannotRise);
    assert_error(h.send(&[lower(1_000 * UNIT - 1)], &[&f.authority]).await, CoherenceError::TimeOnlyBudgetBelowUsed);
    let intruder = h.wallet().await;
    let foreign = ix::lower_time_only_budget(&f.keys, &intruder.pubkey(), 0);
    assert_error(h.send(&[foreign], &[&intruder]).await, CoherenceError::NotAuthority);
    h.send(&[lower(1_000 * UNIT)], &[&f.authority]).await.expect("lowering to the same value is allowed");

    // At the bounds: a budget above max supply is refused at genesis, and 0
    // refuses every time-only grant (a 1-base-unit one too).
    let mut h2 = Harness::new().await;
    let mint_authority = h2.wallet().await;
    let mint = h2.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
    let keys = coherence_sdk::EngineKeys::new(mint, TOKEN);
    let mut args = default_args(mint_authority.pubkey());
    args.time_only_budget = args.max_supply + 1;
    assert_error(
        h2.send(&[init_ix(&h2, &keys, &mint_authority, args)], &[&mint_authority]).await,
        CoherenceError::TimeOnlyBudgetAboveMaxSupply,
    );
    let (mut h, f) = setup(0, |_| {}).await;
    assert_error(create(&mut h, &f, who, 1, 0, false).await, CoherenceError::TimeOnlyBudgetExceeded);
    create(&mut h, &f, who, 1, 1, false).await.expect("gated");
}

/// `U` counts only usage paid after the schedule exists: usage paid earlier
/// in the same epoch, and the usage of an ended epoch that is not closed
/// yet, are kept out (they are in the snapshot), whether the authority
/// creates the schedule before or after closing that epoch.
#[tokio::test]
async fn a_gated_schedule_counts_only_usage_paid_after_its_creation() {
    let (mut h, f) = setup(0, |_| {}).await;
    let (payer, tokens) = f.user(&mut h, 100_000 * UNIT).await;
    let (who, _) = f.user(&mut h, 0).await;
    // Epoch 0: 1,000 paid before the grant, 300 after; epoch 1: 200.
    f.record(&mut h, &payer, &tokens, 0, 1_000 * UNIT, None).await.unwrap();
    create(&mut h, &f, who.pubkey(), 10_000_000 * UNIT, 4_000, false).await.unwrap();
    let a = pda::vesting(&f.keys.engine, 0);
    f.record(&mut h, &payer, &tokens, 1, 300 * UNIT, None).await.unwrap();
    epoch_of(&mut h, &f, &payer, &tokens, 0).await;
    epoch_of(&mut h, &f, &payer, &tokens, 200 * UNIT).await;
    let usage = f.engine(&mut h).await.total_usage_burned;
    assert_eq!(usage, 1_500 * UNIT as u128);
    let s: VestingSchedule = h.get(&a).await;
    assert_eq!(s.usage_snapshot, 1_000 * UNIT as u128, "what was paid before creation");
    let limits = preview::preview_limits(&s, usage, s.end).unwrap();
    assert_eq!(limits.usage, Some(200 * UNIT), "40 % of the 300 + 200 paid after creation");

    // An ended epoch not closed yet (epoch 2 with 700 paid): a grant made
    // before its close and one bundled after it both exclude it.
    f.record(&mut h, &payer, &tokens, 2, 700 * UNIT, None).await.unwrap();
    let next = f.engine(&mut h).await.next_epoch;
    f.warp_to_epoch(&mut h, next + 1).await;
    create(&mut h, &f, who.pubkey(), 1_000 * UNIT, 10, false).await.unwrap();
    let now = h.now().await;
    let close = ix::close_epoch(&f.keys, &h.payer().pubkey(), next, 4);
    let args = schedule(who.pubkey(), 1_000 * UNIT, 10, false, now);
    let bundled = ix::create_vesting(&f.keys, &h.payer().pubkey(), &f.authority.pubkey(), 2, args, 4);
    h.send(&[close, bundled], &[&f.authority]).await.expect("close, then grant, in one transaction");
    let paid = 2_200 * UNIT as u128;
    for id in [1, 2] {
        let s: VestingSchedule = h.get(&pda::vesting(&f.keys.engine, id)).await;
        assert_eq!(s.usage_snapshot, paid, "schedule {id}: everything paid so far is in its snapshot");
    }
}

/// A gated grant needs every shard, in order, so nobody can hide open usage.
#[tokio::test]
async fn a_gated_grant_without_every_shard_is_refused() {
    let (mut h, f) = setup(0, |_| {}).await;
    let who = h.wallet().await.pubkey();
    let now = h.now().await;
    let payer = h.payer().pubkey();
    let args = schedule(who, UNIT, 100, false, now);
    let mut missing = ix::create_vesting(&f.keys, &payer, &f.authority.pubkey(), 0, args, 4);
    missing.accounts.pop();
    assert_error(h.send(&[missing], &[&f.authority]).await, CoherenceError::WrongShardAccounts);
    let mut swapped = ix::create_vesting(&f.keys, &payer, &f.authority.pubkey(), 0, args, 4);
    let n = swapped.accounts.len();
    swapped.accounts.swap(n - 1, n - 2);
    assert_error(h.send(&[swapped], &[&f.authority]).await, CoherenceError::WrongShardAccounts);
}

/// An engine created before the time-only budget (version 2) loads and
/// keeps working; no time-only grant is possible until its ledger is
/// synced; the sync (resumable, permissionless) counts every older
/// time-only schedule — a revoked one at its vested part, a closed one at
/// 0, gated ones not at all — so its budget equals exactly what its
/// time-only schedules hold, and nothing more fits.
#[tokio::test]
async fn an_engine_from_before_the_budget_reads_a_budget_equal_to_its_time_only_commitments() {
    // Monthly epochs: a year passes in twelve closes.
    let (mut h, f) = setup(MAX_SUPPLY, |a| {
        a.epoch_secs = 30 * DAY;
        a.params.min_lock = 30 * DAY;
    })
    .await;
    let (a, a_tokens) = f.user(&mut h, 0).await;
    let who = h.wallet().await.pubkey();
    create(&mut h, &f, who, 1_000 * UNIT, 0, true).await.unwrap(); // 0: revoked below
    create(&mut h, &f, who, 2_000 * UNIT, 0, false).await.unwrap(); // 1
    create(&mut h, &f, who, 5_000 * UNIT, 1_000, false).await.unwrap(); // 2: gated
    create(&mut h, &f, a.pubkey(), 300 * UNIT, 0, false).await.unwrap(); // 3: claimed and closed below
                                                                         // Make it an engine and schedules of before version 3.
    let mut e: Engine = f.engine(&mut h).await;
    (e.version, e.time_only_budget, e.time_only_used, e.time_only_synced) = (2, 0, 0, false);
    h.overwrite(&f.keys.engine, &e).await;
    for id in 0..4 {
        let key = pda::vesting(&f.keys.engine, id);
        let mut s: VestingSchedule = h.get(&key).await;
        s.version = 2;
        h.overwrite(&key, &s).await;
    }
    assert_error(create(&mut h, &f, who, 1, 0, false).await, CoherenceError::TimeOnlyBudgetNotSynced);
    let start = h.get::<VestingSchedule>(&pda::vesting(&f.keys.engine, 0)).await.start;
    h.warp_to(start + 365 * DAY as i64).await;
    let v0 = pda::vesting(&f.keys.engine, 0);
    h.send(&[ix::revoke_vesting(&f.keys, &f.authority.pubkey(), &v0)], &[&f.authority]).await.unwrap();
    let v3 = pda::vesting(&f.keys.engine, 3);
    h.send(&[ix::claim_vesting(&f.keys, &a.pubkey(), &v3, &a_tokens)], &[&a]).await.unwrap();
    h.send(&[ix::close_vesting(&f.keys, &a.pubkey(), &v3)], &[&a]).await.unwrap();
    f.crank(&mut h).await.unwrap(); // closes epochs on the old engine: it becomes version 3
    let upgraded = f.engine(&mut h).await;
    assert_eq!((upgraded.version, upgraded.time_only_synced), (3, false));
    let gated = create(&mut h, &f, who, 10 * UNIT, 100, false).await; // 4: gated grants go on
    gated.expect("gated grant on the old engine");

    // Sync in two transactions: 0..2, then 2..5.
    // Sent by the harness payer: anyone may sync.
    h.send(&[ix::sync_time_only_budget(&f.keys, 0, 2)], &[]).await.expect("first part");
    let mid = f.engine(&mut h).await;
    assert_eq!((mid.time_only_scanned, mid.time_only_synced), (2, false));
    assert_error(h.send(&[ix::sync_time_only_budget(&f.keys, 3, 2)], &[]).await, CoherenceError::WrongVestingAccounts);
    h.send(&[ix::sync_time_only_budget(&f.keys, 2, 3)], &[]).await.expect("the rest");
    let s0: VestingSchedule = h.get(&v0).await;
    let synced = f.engine(&mut h).await;
    let commitments = s0.frozen_vested + 2_000 * UNIT;
    assert!(synced.time_only_synced);
    assert_eq!((synced.time_only_budget, synced.time_only_used), (commitments, commitments));
    assert_error(create(&mut h, &f, who, 1, 0, false).await, CoherenceError::TimeOnlyBudgetExceeded);
    assert_error(
        h.send(&[ix::sync_time_only_budget(&f.keys, 5, 0)], &[]).await,
        CoherenceError::TimeOnlyLedgerAlreadySynced,
    );
}
