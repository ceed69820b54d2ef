//! Invariant harness: reproducible random sequences of actions by many actors
//! against the real program, in three regimes — a 6-decimal mint with
//! ordinary amounts, a 0-decimal mint with whole-token amounts and fast
//! streams, and a 9-decimal mint whose supply and amounts are near u64::MAX
//! (started with the lifetime counters near u64::MAX and the reward
//! accumulator near u128::MAX: states a long-lived engine reaches by
//! recycling, see `regressions.rs`). Time moves by single seconds, minutes,
//! days and weeks, and by bursts of per-second accruals. After every step:
//!
//! - I1: total emitted ≤ 90 % of total usage burned;
//! - I3: mint supply ≤ max supply;
//! - I5: every schedule's vested amount and claimed amount ≤ the linear line
//!   over its declared duration (random cliff, period and duration); a
//!   usage-gated schedule's vested amount ≤ rate × usage since creation;
//! - usage budget: the engine's Σ rate = Σ rates of the gated schedules
//!   holding budget, and α + Σ rate ≤ 100 %; Σ (vested + unvested
//!   outstanding) of time-only schedules = the engine's time-only ledger ≤
//!   its declared budget;
//! - I7: every legitimate exit of every actor would succeed now (simulated):
//!   start_unbond of a locked position, withdraw of an unlocked one, claims of
//!   earned rewards, vested tokens and builder rewards;
//! - escrow: every token paid as usage is in a shard's escrow or burned,
//!   escrows hold no more than the open epochs' usage, and
//!   supply = start + emitted − burned (the supply history);
//! - I8: stake vault = Σ principal (= pool total); reward vault ≥ Σ earned-
//!   unclaimed rewards (exact SDK preview of every position); vesting vault ≥
//!   Σ owed-unclaimed; builder vault ≥ Σ sources' claimable;
//! - fairness (I6): over every interval in which time passes, each staked
//!   position earns its weight's share of what the stream should release
//!   linearly in that interval (within rounding), however many accruals
//!   happened inside it.
//!
//! `COHERENCE_INVARIANT_RUNS` (default 8 per regime) sequences of
//! `COHERENCE_INVARIANT_STEPS` (default 40) steps; `COHERENCE_INVARIANT_SEED`
//! (with `COHERENCE_INVARIANT_REGIME` = standard|whole|huge) replays one
//! sequence. A failure prints the regime, seed and step.

use anchor_lang::prelude::Pubkey;
use coherence::constants::{
    DAY, MAX_ALPHA_BPS, MIN_VESTING_CLIFF_FLOOR, MIN_VESTING_DURATION_FLOOR, MIN_VESTING_GRACE_SECS,
};
use coherence::errors::CoherenceError;
use coherence::instructions::InitEngineArgs;
use coherence::math::stake::ACC_SCALE;
use coherence::state::{Engine, Position, Source, StakePool, VestingSchedule};
use coherence_sdk::{instructions as ix, pda, preview};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const ACTORS: usize = 4;

/// Mint, amounts and time scale of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Regime {
    /// 6 decimals, amounts of 1 base unit to thousands of tokens, daily epochs.
    Standard,
    /// 0 decimals: every amount is whole tokens, so rounding is visible;
    /// hourly epochs, so streams release about a token per second.
    Whole,
    /// 9 decimals, supply and max supply u64::MAX, α 90 %, amounts near
    /// u64::MAX; lifetime counters and the accumulator start near their type's
    /// maximum.
    Huge,
}

impl Regime {
    const ALL: [Regime; 3] = [Regime::Standard, Regime::Whole, Regime::Huge];

    fn parse(name: &str) -> Regime {
        match name {
            "standard" => Regime::Standard,
            "whole" => Regime::Whole,
            "huge" => Regime::Huge,
            other => panic!("COHERENCE_INVARIANT_REGIME {other:?}: standard, whole or huge"),
        }
    }

    fn decimals(self) -> u8 {
        match self {
            Regime::Standard => 6,
            Regime::Whole => 0,
            Regime::Huge => 9,
        }
    }

    fn genesis_supply(self) -> u64 {
        match self {
            Regime::Standard => GENESIS_SUPPLY,
            Regime::Whole => 10_000_000,
            Regime::Huge => u64::MAX,
        }
    }

    /// What each actor starts with (the genesis holder keeps the rest).
    fn actor_balance(self) -> u64 {
        match self {
            Regime::Standard => 100_000_000_000,
            Regime::Whole => 200_000,
            Regime::Huge => u64::MAX / 6,
        }
    }

    /// A random amount for a stake, burn, funding or schedule.
    fn amount(self, rng: &mut Rng) -> u64 {
        match self {
            Regime::Standard => 1 + rng.below(5_000_000_000),
            Regime::Whole => 1 + rng.below(5_000),
            Regime::Huge => match rng.below(4) {
                0 => 1 + rng.below(1_000),
                1 => 1 + rng.below(u64::MAX / 64),
                _ => u64::MAX / 32 + rng.below(u64::MAX / 32),
            },
        }
    }

    fn epoch_secs(self) -> u64 {
        match self {
            Regime::Whole => 3_600,
            _ => DAY,
        }
    }

    /// Genesis: vesting minimums at their floors (so schedules end within a
    /// run), locks from one epoch, and the regime's mint and epochs.
    fn tweak(self, a: &mut InitEngineArgs) {
        a.epoch_secs = self.epoch_secs();
        a.params.min_lock = self.epoch_secs();
        a.params.min_vesting_cliff = MIN_VESTING_CLIFF_FLOOR;
        a.params.min_vesting_duration = MIN_VESTING_DURATION_FLOOR;
        // A time-only budget that a few random schedules fill: later
        // time-only grants are refused (TimeOnlyBudgetExceeded) and
        // revocations make room again.
        match self {
            Regime::Standard => a.time_only_budget = 15_000_000_000,
            Regime::Whole => {
                a.max_supply = 100_000_000;
                a.params.cap = 1_000_000;
                a.params.max_lock = 30 * DAY;
                a.time_only_budget = 15_000;
            }
            Regime::Huge => {
                a.max_supply = u64::MAX;
                a.params.cap = u64::MAX;
                a.params.alpha_bps = MAX_ALPHA_BPS;
                a.time_only_budget = u64::MAX / 8;
            }
        }
    }

    /// Longest single warp: long enough to pass whole vesting schedules, short
    /// enough that cranking the epochs it skips stays cheap.
    fn long_warp(self) -> u64 {
        match self {
            Regime::Whole => 12 * 3_600,
            _ => 20 * DAY,
        }
    }
}

/// xorshift64*: tiny, reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Actor {
    kp: Keypair,
    tokens: Pubkey,
    positions: Vec<u64>,
}

/// A 1-token position whose owner accrues the pool every second
/// (`extend_lock(lock + 1)`): per-second accrual, at weight 1.
struct Poker {
    kp: Keypair,
    tokens: Pubkey,
    position: Pubkey,
    lock: u64,
}

/// The linear release the stream owes since the last time its funding
/// changed: `remaining(t) = base · (end − t) / (end − since)`.
#[derive(Clone, Copy, Debug)]
struct Ideal {
    base: u64,
    since: i64,
    end: i64,
}

impl Ideal {
    /// From the pool's stored stream: `remaining()` as of its last accrual.
    fn of(pool: &StakePool) -> Ideal {
        Ideal { base: pool.stream.remaining(), since: pool.stream.last_update, end: pool.stream.end }
    }

    fn remaining(&self, t: i64) -> f64 {
        if t >= self.end || self.end <= self.since {
            return 0.0;
        }
        self.base as f64 * (self.end - t.max(self.since)) as f64 / (self.end - self.since) as f64
    }
}

struct World {
    regime: Regime,
    h: Harness,
    f: Fixture,
    actors: Vec<Actor>,
    builder: Keypair,
    builder_tokens: Pubkey,
    source: Pubkey,
    schedules: Vec<(Pubkey, usize)>,
    poker: Option<Poker>,
    ideal: Ideal,
    paused: bool,
    /// Mint supply and lifetime counters when the sequence starts.
    start: Ledger,
}

/// Where every token paid as usage is: the escrow, or burned.
#[derive(Clone, Copy, Debug)]
struct Ledger {
    supply: u64,
    emitted: u128,
    usage_burned: u128,
}

/// Outcomes a random (not necessarily valid) action may legitimately get.
fn tolerated(result: TxResult, allowed: &[CoherenceError]) {
    if let Err(e) = &result {
        let code = custom_code(&result);
        let ok = allowed.iter().any(|a| code == Some(6000 + *a as u32)) || code == Some(1); // 1: token InsufficientFunds
        assert!(ok, "unexpected failure {e:?}");
    }
}

impl World {
    async fn new(regime: Regime, rng: &mut Rng) -> World {
        let mut h = Harness::new().await;
        let f = Fixture::custom(&mut h, regime.decimals(), regime.genesis_supply(), |a| regime.tweak(a)).await;
        f.fund_treasury(&mut h, regime.genesis_supply() / 6).await.unwrap();
        let mut actors = Vec::new();
        for _ in 0..ACTORS {
            let (kp, tokens) = f.user(&mut h, regime.actor_balance()).await;
            actors.push(Actor { kp, tokens, positions: vec![] });
        }
        let (builder, builder_tokens) = f.user(&mut h, 0).await;
        let source = f.register_source(&mut h, &builder).await;
        if regime == Regime::Huge {
            // A long-lived engine: lifetime usage just below u64::MAX (emitted
            // 90 % of it) and an accumulator about to wrap.
            let mut engine: Engine = h.get(&f.keys.engine).await;
            let usage = u64::MAX - rng.below(1 << 40);
            engine.total_usage_burned = usage.into();
            engine.total_emitted = (usage / 10 * 9).into();
            h.overwrite(&f.keys.engine, &engine).await;
            let mut pool: StakePool = h.get(&f.keys.stake_pool).await;
            pool.stream.acc = u128::MAX - u128::from(rng.next());
            h.overwrite(&f.keys.stake_pool, &pool).await;
        }
        let pool: StakePool = h.get(&f.keys.stake_pool).await;
        let ideal = Ideal::of(&pool);
        let engine: Engine = h.get(&f.keys.engine).await;
        let start = Ledger {
            supply: h.mint_state(&f.keys.mint).await.supply,
            emitted: engine.total_emitted,
            usage_burned: engine.total_usage_burned,
        };
        World {
            regime,
            h,
            f,
            actors,
            builder,
            builder_tokens,
            source,
            schedules: vec![],
            poker: None,
            ideal,
            paused: false,
            start,
        }
    }

    async fn step(&mut self, rng: &mut Rng) {
        let a = rng.below(ACTORS as u64) as usize;
        let (kp, tokens) = (self.actors[a].kp.insecure_clone(), self.actors[a].tokens);
        let k = self.f.keys;
        let p = self.f.engine(&mut self.h).await.params;
        let regime = self.regime;
        match rng.below(18) {
            0 | 1 => {
                let id = self.actors[a].positions.len() as u64;
                let amount = regime.amount(rng);
                let lock = p.min_lock + rng.below(p.max_lock - p.min_lock + 1);
                let r = self.h.send(&[ix::open_position(&k, &kp.pubkey(), &tokens, id, amount, lock)], &[&kp]).await;
                if r.is_ok() {
                    self.actors[a].positions.push(id);
                }
                tolerated(r, &[CoherenceError::Paused]);
            }
            2 => {
                if let Some(id) = self.pick(a, rng) {
                    let r = self
                        .h
                        .send(
                            &[ix::add_to_position(
                                &k,
                                &kp.pubkey(),
                                &pda::position(&k.engine, &kp.pubkey(), id),
                                &tokens,
                                regime.amount(rng),
                            )],
                            &[&kp],
                        )
                        .await;
                    tolerated(r, &[CoherenceError::Paused, CoherenceError::PositionUnbonding]);
                }
            }
            3 => {
                if let Some(id) = self.pick(a, rng) {
                    let lock = p.min_lock + rng.below(p.max_lock - p.min_lock + 1);
                    let r = self
                        .h
                        .send(
                            &[ix::extend_lock(&k, &kp.pubkey(), &pda::position(&k.engine, &kp.pubkey(), id), lock)],
                            &[&kp],
                        )
                        .await;
                    tolerated(
                        r,
                        &[CoherenceError::Paused, CoherenceError::PositionUnbonding, CoherenceError::LockNotExtended],
                    );
                }
            }
            4 => {
                if let Some(id) = self.pick(a, rng) {
                    let r = self
                        .h
                        .send(
                            &[ix::start_unbond(&k, &kp.pubkey(), &pda::position(&k.engine, &kp.pubkey(), id))],
                            &[&kp],
                        )
                        .await;
                    tolerated(r, &[CoherenceError::PositionUnbonding]);
                }
            }
            5 => {
                // Exits: withdraw when unlocked must succeed; claims with something owed must succeed.
                if let Some(id) = self.pick(a, rng) {
                    let key = pda::position(&k.engine, &kp.pubkey(), id);
                    let pos: Position = self.h.get(&key).await;
                    let now = self.h.now().await;
                    let unlocked =
                        pos.unbond_start != 0 && pos.withdrawable_at().is_some_and(|t| now >= t) && pos.principal > 0;
                    let r = self.h.send(&[ix::withdraw(&k, &kp.pubkey(), &key, &tokens)], &[&kp]).await;
                    if unlocked {
                        r.expect("I7: withdrawing an unlocked position must never fail");
                    } else {
                        tolerated(
                            r,
                            &[
                                CoherenceError::PositionNotUnbonding,
                                CoherenceError::StillLocked,
                                CoherenceError::NothingToClaim,
                            ],
                        );
                    }
                }
            }
            6 => {
                if let Some(id) = self.pick(a, rng) {
                    let key = pda::position(&k.engine, &kp.pubkey(), id);
                    let now = self.h.now().await;
                    let owed = preview::preview_rewards(&self.h.get(&key).await, &self.h.get(&k.stake_pool).await, now)
                        .unwrap();
                    let restake = rng.below(3) == 0;
                    let r = self.h.send(&[ix::claim_rewards(&k, &kp.pubkey(), &key, &tokens, restake)], &[&kp]).await;
                    if owed > 0 && !restake {
                        r.expect("I7: claiming earned rewards must never fail");
                    } else {
                        tolerated(
                            r,
                            &[
                                CoherenceError::NothingToClaim,
                                CoherenceError::Paused,
                                CoherenceError::PositionUnbonding,
                            ],
                        );
                    }
                }
            }
            7 | 8 => {
                let amount = match rng.below(3) {
                    0 => self.h.balance(&tokens).await.max(1), // everything it holds
                    _ => regime.amount(rng),
                };
                let source = (rng.below(2) == 0).then_some(self.source);
                let r = self
                    .f
                    .record(&mut self.h, &kp, &tokens, rng.below(USAGE_SHARDS as u64) as u8, amount, source)
                    .await;
                tolerated(
                    r,
                    &[CoherenceError::Paused, CoherenceError::EpochBacklog, CoherenceError::SourceEpochNotClosed],
                );
            }
            9 => {
                let r = self.f.crank(&mut self.h).await;
                tolerated(r, &[CoherenceError::Paused]);
            }
            10 | 16 => match rng.below(4) {
                0 | 3 => {
                    let now = self.h.now().await;
                    // Random cliff, period and duration: periods that do and
                    // do not divide the duration, from 1 s to all of it.
                    let duration = p.min_vesting_duration + rng.below(2 * p.min_vesting_duration);
                    let cliff = match rng.below(2) {
                        0 => p.min_vesting_cliff,
                        _ => p.min_vesting_cliff + rng.below(duration - p.min_vesting_cliff + 1),
                    };
                    let period = match rng.below(4) {
                        0 => 0,
                        1 => 1 + rng.below(duration),
                        2 => duration / (1 + rng.below(12)),
                        _ => 1 + rng.below(DAY),
                    };
                    let mut args = vesting_args(
                        kp.pubkey(),
                        regime.amount(rng),
                        now + rng.below(DAY) as i64,
                        cliff,
                        duration,
                        period,
                        rng.below(2) == 0,
                    );
                    if rng.below(2) == 0 {
                        // Usage-gated: random rate, some refused by the budget.
                        args.usage_rate_bps = 1 + rng.below(4_000) as u16;
                        args.grace_secs = MIN_VESTING_GRACE_SECS as u32;
                    }
                    if let Ok(v) = self.f.create_vesting(&mut self.h, args).await {
                        self.schedules.push((v, a));
                    }
                }
                1 => {
                    if let Some(&(v, owner)) = self.schedules.get(rng.below(self.schedules.len() as u64 + 1) as usize) {
                        let who = self.actors[owner].kp.insecure_clone();
                        let to = self.actors[owner].tokens;
                        let now = self.h.now().await;
                        let owed = preview::preview_vested(
                            &self.h.get::<VestingSchedule>(&v).await,
                            self.h.get::<Engine>(&k.engine).await.total_usage_burned,
                            now,
                        )
                        .unwrap();
                        let r = self.h.send(&[ix::claim_vesting(&k, &who.pubkey(), &v, &to)], &[&who]).await;
                        if owed > 0 {
                            r.expect("I7: claiming vested tokens must never fail");
                        } else {
                            tolerated(r, &[CoherenceError::NothingToClaim]);
                        }
                    }
                }
                _ => {
                    if let Some(&(v, _)) = self.schedules.get(rng.below(self.schedules.len() as u64 + 1) as usize) {
                        if rng.below(2) == 0 {
                            let r = self
                                .h
                                .send(&[ix::revoke_vesting(&k, &self.f.authority.pubkey(), &v)], &[&self.f.authority])
                                .await;
                            tolerated(r, &[CoherenceError::NotRevocable, CoherenceError::AlreadyRevoked]);
                        } else {
                            let r = self.h.send(&[ix::expire_vesting(&k, &v)], &[]).await;
                            let expected = [
                                CoherenceError::NotUsageGated,
                                CoherenceError::AlreadyRevoked,
                                CoherenceError::GraceNotElapsed,
                                CoherenceError::ExpiryEpochOpen,
                            ];
                            tolerated(r, &expected);
                        }
                    }
                }
            },
            11 => match rng.below(4) {
                0 => {
                    let r =
                        self.h.send(&[ix::fund_rewards(&k, &kp.pubkey(), &tokens, regime.amount(rng))], &[&kp]).await;
                    tolerated(r, &[]);
                }
                1 => {
                    let owed = self.h.get::<Source>(&self.source).await;
                    let r = self
                        .f
                        .claim_source(&mut self.h, &self.builder, &self.source, &self.builder_tokens)
                        .await
                        .map(|_| ());
                    if owed.claimable > 0 {
                        r.expect("I7: claiming builder rewards must never fail");
                    } else {
                        tolerated(r, &[CoherenceError::NothingToClaim, CoherenceError::EpochRecordRequired]);
                    }
                }
                _ => {
                    self.paused = !self.paused;
                    self.f.pause(&mut self.h, self.paused).await;
                }
            },
            12 | 17 => self.burst(rng).await,
            _ => {
                // 13..=15: time passes.
                let secs = match rng.below(5) {
                    0 => 1,
                    1 => 1 + rng.below(3_600),
                    2 => 1 + rng.below(3 * DAY),
                    _ => 1 + rng.below(regime.long_warp()),
                };
                self.pass_time(|h| Box::pin(h.warp_by(secs as i64))).await;
            }
        }
    }

    /// Per-second accrual: the poker calls `extend_lock(lock + 1)` once a
    /// second for 1–30 seconds (opening its 1-token position first).
    async fn burst(&mut self, rng: &mut Rng) {
        if self.paused {
            return;
        }
        if self.poker.is_none() {
            let (kp, tokens) = self.f.user(&mut self.h, self.regime.actor_balance() / 4).await;
            let lock = self.f.engine(&mut self.h).await.params.min_lock;
            let position = self.f.open(&mut self.h, &kp, &tokens, 0, 1, lock).await.expect("poker opens");
            self.poker = Some(Poker { kp, tokens, position, lock });
            return;
        }
        let keys = self.f.keys;
        let (kp, tokens, position) = {
            let p = self.poker.as_ref().unwrap();
            (p.kp.insecure_clone(), p.tokens, p.position)
        };
        // Per-second accrual matters while a stream runs: start one if none does.
        let now = self.h.now().await;
        let pool: StakePool = self.h.get(&keys.stake_pool).await;
        if !pool.stream.is_running(now) {
            let amount = self.regime.amount(rng).min(self.h.balance(&tokens).await);
            if amount > 0 {
                self.h
                    .send(&[ix::fund_rewards(&keys, &kp.pubkey(), &tokens, amount)], &[&kp])
                    .await
                    .expect("poker funds the stream");
                self.ideal = Ideal::of(&self.h.get(&keys.stake_pool).await);
            }
        }
        let seconds = 1 + rng.below(60);
        let poker = self.poker.as_mut().unwrap();
        let first_lock = poker.lock;
        poker.lock += seconds;
        self.pass_time(move |h| {
            Box::pin(async move {
                for s in 1..=seconds {
                    h.warp_by(1).await;
                    let ix = ix::extend_lock(&keys, &kp.pubkey(), &position, first_lock + s);
                    h.send(&[ix], &[&kp]).await.expect("poker extends its lock");
                }
            })
        })
        .await;
    }

    /// Runs `advance` (which only moves time and accrues) and checks that
    /// every staked position earned its weight's share of what the stream
    /// should have released linearly meanwhile (fairness).
    async fn pass_time(
        &mut self,
        advance: impl for<'a> FnOnce(&'a mut Harness) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>,
    ) {
        let before = self.earnings().await;
        let pool0: StakePool = self.h.get(&self.f.keys.stake_pool).await;
        let t0 = self.h.now().await;
        advance(&mut self.h).await;
        let t1 = self.h.now().await;
        let pool: StakePool = self.h.get(&self.f.keys.stake_pool).await;
        let total = pool.stream.total_weight;
        if total == 0 {
            return;
        }
        let released = self.ideal.remaining(t0) - self.ideal.remaining(t1);
        let after = self.earnings().await;
        for ((key, weight, e0), (_, _, e1)) in before.iter().zip(&after) {
            let expected = released * *weight as f64 / total as f64;
            let got = e1.saturating_sub(*e0) as f64;
            // Rounding: the position's own floor and the stream's (≤ 2 units),
            // one unit of `acc` worth weight / ACC_SCALE tokens (the division
            // remainder waits in `acc_carry` for the next release), f64 error.
            let tolerance = 3.0 + (*weight as f64 / ACC_SCALE as f64).ceil() + expected * 1e-9;
            assert!(
                (got - expected).abs() <= tolerance,
                "fairness: position {key} (weight {weight} of {total}) earned {got} over [{t0}, {t1}], its share of the linear release is {expected:.2} (ideal {:?}, stream before {:?}, after {:?})", self.ideal, pool0.stream, pool.stream
            );
        }
    }

    /// (position, weight, earned-unclaimed) of every locked position, in order.
    async fn earnings(&mut self) -> Vec<(Pubkey, u128, u64)> {
        let pool: StakePool = self.h.get(&self.f.keys.stake_pool).await;
        let now = self.h.now().await;
        let mut keys: Vec<Pubkey> = self.position_keys();
        keys.extend(self.poker.as_ref().map(|p| p.position));
        let mut out = Vec::new();
        for key in keys {
            if let Some(data) = self.h.account_data(&key).await {
                let p: Position = coherence_sdk::accounts::position(&data).unwrap();
                out.push((key, p.weight, owed_rewards(&key, &p, &pool, now)));
            }
        }
        out
    }

    /// Addresses of every actor's positions.
    fn position_keys(&self) -> Vec<Pubkey> {
        let k = &self.f.keys;
        self.actors
            .iter()
            .flat_map(|a| a.positions.iter().map(|id| pda::position(&k.engine, &a.kp.pubkey(), *id)))
            .collect()
    }

    fn pick(&self, a: usize, rng: &mut Rng) -> Option<u64> {
        let ps = &self.actors[a].positions;
        (!ps.is_empty()).then(|| ps[rng.below(ps.len() as u64) as usize])
    }

    async fn check(&mut self) {
        let k = self.f.keys;
        let engine: Engine = self.h.get(&k.engine).await;
        let pool: StakePool = self.h.get(&k.stake_pool).await;
        assert!(
            engine.total_emitted as u128 * 10_000 <= engine.total_usage_burned as u128 * MAX_ALPHA_BPS as u128,
            "I1"
        );
        let supply = self.h.mint_state(&k.mint).await.supply;
        assert!(supply <= engine.max_supply, "I3");
        // Escrow (DESIGN §4.5c): every token paid as usage is escrowed or
        // burned; escrows hold only usage of epochs not yet closed; supply
        // moves only by emission and escrow burns.
        let (mut escrowed, mut open_usage) = (0u128, 0u128);
        for shard in 0..USAGE_SHARDS {
            escrowed += u128::from(self.h.balance(&pda::usage_escrow(&k.engine, shard)).await);
            let s: coherence::state::UsageShard = self.h.get(&pda::usage_shard(&k.engine, shard)).await;
            for slot in s.slots.iter().filter(|sl| sl.epoch != u64::MAX && sl.epoch >= engine.next_epoch) {
                open_usage += u128::from(slot.usage);
            }
        }
        assert!(escrowed <= open_usage, "escrows {escrowed} hold more than the open epochs' usage {open_usage}");
        let paid = (engine.total_usage_burned - self.start.usage_burned) + open_usage;
        let burned = paid - escrowed;
        let minted = engine.total_emitted - self.start.emitted;
        assert_eq!(
            u128::from(supply) + burned,
            u128::from(self.start.supply) + minted,
            "supply = start + emitted − (paid − escrowed)"
        );
        let now = self.h.now().await;
        let (mut principal, mut owed) = (0u64, 0u64);
        let mut keys = self.position_keys();
        keys.extend(self.poker.as_ref().map(|p| p.position));
        for key in &keys {
            if let Some(data) = self.h.account_data(key).await {
                let p: Position = coherence_sdk::accounts::position(&data).unwrap();
                principal += p.principal;
                owed += owed_rewards(key, &p, &pool, now);
            }
        }
        assert_eq!(pool.total_principal, principal, "I8: pool total = Σ principal");
        assert_eq!(self.h.balance(&k.stake_vault).await, principal, "I8: stake vault = Σ principal");
        assert!(self.h.balance(&k.reward_vault).await >= owed, "I8: reward vault ≥ Σ earned-unclaimed");
        let mut vesting_owed = 0u64;
        let mut budget_held = 0u64;
        // Time-only: Σ (vested + unvested still outstanding) of every
        // time-only schedule, i.e. what each commits.
        let mut time_only = 0u128;
        for (v, _) in &self.schedules {
            let s: VestingSchedule = self.h.get(v).await;
            let until = s.revoked().map_or(now, |r| r.min(now));
            let linear = linear_vested(&s, until);
            let vested = s.vested(now, engine.total_usage_burned).unwrap();
            assert!(
                vested as u128 <= linear,
                "I5: schedule {v} vested {vested} > linear {linear} at {until} ({:?})",
                s.curve()
            );
            assert!(s.claimed as u128 <= linear, "I5: schedule {v} claimed {} > linear {linear}", s.claimed);
            if let Some(g) = s.gate().filter(|_| s.revoked().is_none()) {
                assert!(
                    vested <= g.limit(engine.total_usage_burned),
                    "gated schedule {v} vested {vested} above rate × usage"
                );
            }
            budget_held += if s.in_budget() { u64::from(s.usage_rate_bps) } else { 0 };
            if s.gate().is_none() {
                let unvested_outstanding = s.committed().unwrap() - vested;
                time_only += u128::from(vested) + u128::from(unvested_outstanding);
            }
            vesting_owed += s.final_amount().unwrap().unwrap_or(s.total) - s.claimed;
        }
        assert_eq!(u64::from(engine.gated_rate_bps), budget_held, "usage budget = Σ rates of schedules holding it");
        assert!(u64::from(engine.budget_alpha_bps()) + budget_held <= 10_000, "usage budget: α + Σ rate ≤ 100 %");
        assert!(
            time_only <= u128::from(engine.time_only_budget),
            "time-only vested + outstanding {time_only} above the budget {}",
            engine.time_only_budget
        );
        assert_eq!(
            u128::from(engine.time_only_used),
            time_only,
            "time-only ledger = Σ committed by time-only schedules"
        );
        assert!(self.h.balance(&k.vesting_vault).await >= vesting_owed, "I8: vesting vault ≥ Σ owed");
        let src: Source = self.h.get(&self.source).await;
        assert!(self.h.balance(&k.builder_vault).await >= src.claimable, "builder vault ≥ claimable");
        self.check_exits(now).await;
        // What the stream owes from here on (fairness baseline for the next step).
        self.ideal = Ideal::of(&pool);
    }

    /// I7 for everyone: every exit an actor is entitled to right now would
    /// succeed (simulated, so the sequence itself is not changed).
    async fn check_exits(&mut self, now: i64) {
        let k = self.f.keys;
        let pool: StakePool = self.h.get(&k.stake_pool).await;
        let mut owners: Vec<(Keypair, Pubkey, Pubkey)> = Vec::new();
        for a in &self.actors {
            for id in &a.positions {
                owners.push((a.kp.insecure_clone(), a.tokens, pda::position(&k.engine, &a.kp.pubkey(), *id)));
            }
        }
        for (kp, tokens, key) in owners {
            let Some(data) = self.h.account_data(&key).await else { continue };
            let p: Position = coherence_sdk::accounts::position(&data).unwrap();
            let me = kp.pubkey();
            if !p.is_unbonding() {
                let r = self.h.would_succeed(&[ix::start_unbond(&k, &me, &key)], &[&kp]).await;
                r.unwrap_or_else(|e| panic!("I7: start_unbond of {key} would fail: {e}"));
            } else if p.principal > 0 && p.withdrawable_at().is_some_and(|t| now >= t) {
                let r = self.h.would_succeed(&[ix::withdraw(&k, &me, &key, &tokens)], &[&kp]).await;
                r.unwrap_or_else(|e| panic!("I7: withdraw of unlocked {key} would fail: {e}"));
            }
            if owed_rewards(&key, &p, &pool, now) > 0 {
                let r = self.h.would_succeed(&[ix::claim_rewards(&k, &me, &key, &tokens, false)], &[&kp]).await;
                r.unwrap_or_else(|e| panic!("I7: claiming the rewards of {key} would fail: {e}"));
            }
        }
        let usage = self.h.get::<Engine>(&k.engine).await.total_usage_burned;
        for (v, owner) in self.schedules.clone() {
            let s: VestingSchedule = self.h.get(&v).await;
            if preview::preview_vested(&s, usage, now).unwrap() > 0 {
                let (who, to) = (self.actors[owner].kp.insecure_clone(), self.actors[owner].tokens);
                let r = self.h.would_succeed(&[ix::claim_vesting(&k, &who.pubkey(), &v, &to)], &[&who]).await;
                r.unwrap_or_else(|e| panic!("I7: claiming vested tokens of {v} would fail: {e}"));
            }
        }
    }
}

/// What `position` could claim now, with the program's own math. That math
/// failing means every exit of the position fails too (I7).
fn owed_rewards(key: &Pubkey, position: &Position, pool: &StakePool, now: i64) -> u64 {
    preview::preview_rewards(position, pool, now)
        .unwrap_or_else(|e| panic!("I7: the rewards of {key} cannot be computed, so its exits would fail: {e:?}"))
}

/// `total · (t − start) / (end − start)`, clamped to the schedule: the line
/// no schedule may be above (I5).
fn linear_vested(s: &VestingSchedule, t: i64) -> u128 {
    let span = (s.end - s.start) as u128;
    let elapsed = (t.clamp(s.start, s.end) - s.start) as u128;
    s.total as u128 * elapsed / span
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test]
async fn random_multi_actor_sequences_keep_every_invariant() {
    let steps = env("COHERENCE_INVARIANT_STEPS", 40);
    let runs: Vec<(Regime, u64)> = match std::env::var("COHERENCE_INVARIANT_SEED") {
        Ok(s) => {
            let regime = std::env::var("COHERENCE_INVARIANT_REGIME").map_or(Regime::Standard, |r| Regime::parse(&r));
            vec![(regime, s.parse().expect("seed"))]
        }
        Err(_) => Regime::ALL
            .iter()
            .flat_map(|&regime| {
                (1..=env("COHERENCE_INVARIANT_RUNS", 8)).map(move |i| (regime, i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
            })
            .collect(),
    };
    for (regime, seed) in runs {
        let mut rng = Rng(seed | 1);
        let mut world = World::new(regime, &mut rng).await;
        for step in 0..steps {
            let outcome = std::panic::AssertUnwindSafe(async {
                world.step(&mut rng).await;
                world.check().await;
            });
            if let Err(panic) = futures_catch(outcome).await {
                panic!("{regime:?} seed {seed} step {step}: {panic}");
            }
        }
    }
}

/// Runs a future, turning a panic into an error message (to report the seed).
async fn futures_catch<F: std::future::Future<Output = ()>>(f: std::panic::AssertUnwindSafe<F>) -> Result<(), String> {
    use std::pin::pin;
    use std::task::Poll;
    let mut f = pin!(f.0);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.as_mut().poll(cx))) {
            Ok(Poll::Ready(())) => Poll::Ready(Ok(())),
            Ok(Poll::Pending) => Poll::Pending,
            Err(e) => Poll::Ready(Err(e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into()))),
        }
    })
    .await
}
