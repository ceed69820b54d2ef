//! Invariant harness: reproducible random sequences of actions by many actors
//! against the real program, checking after every step
//!
//! - I1: total emitted ≤ 90 % of total usage burned;
//! - I3: mint supply ≤ max supply;
//! - I8: stake vault = Σ principal (= pool total); reward vault ≥ Σ earned-
//!   unclaimed rewards (exact SDK preview of every position); vesting vault ≥
//!   Σ owed-unclaimed; builder vault ≥ Σ sources' claimable;
//! - I7: a legitimate exit (claim of vested tokens or earned rewards,
//!   withdrawal of an unlocked position) never fails.
//!
//! `COHERENCE_INVARIANT_RUNS` (default 200) sequences of
//! `COHERENCE_INVARIANT_STEPS` (default 24) steps; `COHERENCE_INVARIANT_SEED`
//! replays one sequence. A failure prints the seed and step.

use anchor_lang::prelude::Pubkey;
use coherence::constants::{DAY, MAX_ALPHA_BPS};
use coherence::errors::CoherenceError;
use coherence::state::{Engine, Position, Source, StakePool, VestingSchedule};
use coherence_sdk::{instructions as ix, pda, preview};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const ACTORS: usize = 4;
const UNIT: u64 = 1_000_000;

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

struct World {
    h: Harness,
    f: Fixture,
    actors: Vec<Actor>,
    builder: Keypair,
    builder_tokens: Pubkey,
    source: Pubkey,
    schedules: Vec<(Pubkey, usize)>,
    paused: bool,
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
    async fn new() -> World {
        let mut h = Harness::new().await;
        let f = Fixture::new(&mut h, TOKEN).await;
        f.fund_treasury(&mut h, 1_000_000 * UNIT).await.unwrap();
        let mut actors = Vec::new();
        for _ in 0..ACTORS {
            let (kp, tokens) = f.user(&mut h, 100_000 * UNIT).await;
            actors.push(Actor { kp, tokens, positions: vec![] });
        }
        let (builder, builder_tokens) = f.user(&mut h, 0).await;
        let source = f.register_source(&mut h, &builder).await;
        World { h, f, actors, builder, builder_tokens, source, schedules: vec![], paused: false }
    }

    async fn step(&mut self, rng: &mut Rng) {
        let a = rng.below(ACTORS as u64) as usize;
        let (kp, tokens) = (self.actors[a].kp.insecure_clone(), self.actors[a].tokens);
        let k = self.f.keys;
        let p = default_params();
        match rng.below(13) {
            0 | 1 => {
                let id = self.actors[a].positions.len() as u64;
                let amount = 1 + rng.below(5_000 * UNIT);
                let lock = p.min_lock + rng.below(p.max_lock - p.min_lock + 1);
                let r = self.h.send(&[ix::open_position(&k, &kp.pubkey(), &tokens, id, amount, lock)], &[&kp]).await;
                if r.is_ok() {
                    self.actors[a].positions.push(id);
                }
                tolerated(r, &[CoherenceError::Paused]);
            }
            2 => {
                if let Some(id) = self.pick(a, rng) {
                    let r = self.h.send(&[ix::add_to_position(&k, &kp.pubkey(), &pda::position(&k.engine, &kp.pubkey(), id), &tokens, 1 + rng.below(1_000 * UNIT))], &[&kp]).await;
                    tolerated(r, &[CoherenceError::Paused, CoherenceError::PositionUnbonding]);
                }
            }
            3 => {
                if let Some(id) = self.pick(a, rng) {
                    let lock = p.min_lock + rng.below(p.max_lock - p.min_lock + 1);
                    let r = self.h.send(&[ix::extend_lock(&k, &kp.pubkey(), &pda::position(&k.engine, &kp.pubkey(), id), lock)], &[&kp]).await;
                    tolerated(r, &[CoherenceError::Paused, CoherenceError::PositionUnbonding, CoherenceError::LockNotExtended]);
                }
            }
            4 => {
                if let Some(id) = self.pick(a, rng) {
                    let r = self.h.send(&[ix::start_unbond(&k, &kp.pubkey(), &pda::position(&k.engine, &kp.pubkey(), id))], &[&kp]).await;
                    tolerated(r, &[CoherenceError::PositionUnbonding]);
                }
            }
            5 => {
                // Exits: withdraw when unlocked must succeed; claims with something owed must succeed.
                if let Some(id) = self.pick(a, rng) {
                    let key = pda::position(&k.engine, &kp.pubkey(), id);
                    let pos: Position = self.h.get(&key).await;
                    let now = self.h.now().await;
                    let unlocked = pos.unbond_start != 0 && pos.withdrawable_at().is_some_and(|t| now >= t) && pos.principal > 0;
                    let r = self.h.send(&[ix::withdraw(&k, &kp.pubkey(), &key, &tokens)], &[&kp]).await;
                    if unlocked {
                        r.expect("I7: withdrawing an unlocked position must never fail");
                    } else {
                        tolerated(r, &[CoherenceError::PositionNotUnbonding, CoherenceError::StillLocked, CoherenceError::NothingToClaim]);
                    }
                }
            }
            6 => {
                if let Some(id) = self.pick(a, rng) {
                    let key = pda::position(&k.engine, &kp.pubkey(), id);
                    let now = self.h.now().await;
                    let owed = preview::preview_rewards(&self.h.get(&key).await, &self.h.get(&k.stake_pool).await, now).unwrap();
                    let restake = rng.below(3) == 0;
                    let r = self.h.send(&[ix::claim_rewards(&k, &kp.pubkey(), &key, &tokens, restake)], &[&kp]).await;
                    if owed > 0 && !restake {
                        r.expect("I7: claiming earned rewards must never fail");
                    } else {
                        tolerated(r, &[CoherenceError::NothingToClaim, CoherenceError::Paused, CoherenceError::PositionUnbonding]);
                    }
                }
            }
            7 | 8 => {
                let amount = 1 + rng.below(3_000 * UNIT);
                let source = (rng.below(2) == 0).then_some(self.source);
                let r = self.f.record(&mut self.h, &kp, &tokens, rng.below(USAGE_SHARDS as u64) as u8, amount, source).await;
                tolerated(r, &[CoherenceError::Paused, CoherenceError::EpochBacklog, CoherenceError::SourceEpochNotClosed]);
            }
            9 => {
                let r = self.f.crank(&mut self.h).await;
                tolerated(r, &[CoherenceError::Paused]);
            }
            10 => match rng.below(3) {
                0 => {
                    let now = self.h.now().await;
                    let args = vesting_args(kp.pubkey(), 1 + rng.below(10_000 * UNIT), now + rng.below(DAY) as i64, p.min_vesting_cliff, p.min_vesting_duration + rng.below(365 * DAY), rng.below(2) * 30 * DAY, rng.below(2) == 0);
                    if let Ok(v) = self.f.create_vesting(&mut self.h, args).await {
                        self.schedules.push((v, a));
                    }
                }
                1 => {
                    if let Some(&(v, owner)) = self.schedules.get(rng.below(self.schedules.len() as u64 + 1) as usize) {
                        let who = self.actors[owner].kp.insecure_clone();
                        let to = self.actors[owner].tokens;
                        let now = self.h.now().await;
                        let owed = preview::preview_vested(&self.h.get::<VestingSchedule>(&v).await, now).unwrap();
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
                        let r = self.h.send(&[ix::revoke_vesting(&k, &self.f.authority.pubkey(), &v)], &[&self.f.authority]).await;
                        tolerated(r, &[CoherenceError::NotRevocable, CoherenceError::AlreadyRevoked]);
                    }
                }
            },
            11 => match rng.below(4) {
                0 => {
                    let r = self.h.send(&[ix::fund_rewards(&k, &kp.pubkey(), &tokens, 1 + rng.below(1_000 * UNIT))], &[&kp]).await;
                    tolerated(r, &[]);
                }
                1 => {
                    let owed = self.h.get::<Source>(&self.source).await;
                    let r = self.f.claim_source(&mut self.h, &self.builder, &self.source, &self.builder_tokens).await.map(|_| ());
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
            _ => self.h.warp_by((3_600 + rng.below(3 * DAY)) as i64).await,
        }
    }

    fn pick(&self, a: usize, rng: &mut Rng) -> Option<u64> {
        let ps = &self.actors[a].positions;
        (!ps.is_empty()).then(|| ps[rng.below(ps.len() as u64) as usize])
    }

    async fn check(&mut self) {
        let k = self.f.keys;
        let engine: Engine = self.h.get(&k.engine).await;
        let pool: StakePool = self.h.get(&k.stake_pool).await;
        assert!(engine.total_emitted as u128 * 10_000 <= engine.total_usage_burned as u128 * MAX_ALPHA_BPS as u128, "I1");
        assert!(self.h.mint_state(&k.mint).await.supply <= engine.max_supply, "I3");
        let now = self.h.now().await;
        let (mut principal, mut owed) = (0u64, 0u64);
        for a in &self.actors {
            for id in &a.positions {
                let key = pda::position(&k.engine, &a.kp.pubkey(), *id);
                if let Some(data) = self.h.account_data(&key).await {
                    let p: Position = coherence_sdk::accounts::position(&data).unwrap();
                    principal += p.principal;
                    owed += preview::preview_rewards(&p, &pool, now).unwrap();
                }
            }
        }
        assert_eq!(pool.total_principal, principal, "I8: pool total = Σ principal");
        assert_eq!(self.h.balance(&k.stake_vault).await, principal, "I8: stake vault = Σ principal");
        assert!(self.h.balance(&k.reward_vault).await >= owed, "I8: reward vault ≥ Σ earned-unclaimed");
        let mut vesting_owed = 0u64;
        for (v, _) in &self.schedules {
            let s: VestingSchedule = self.h.get(v).await;
            let total = match s.revoked() {
                Some(at) => s.curve().vested(at).unwrap(),
                None => s.total,
            };
            vesting_owed += total - s.claimed;
        }
        assert!(self.h.balance(&k.vesting_vault).await >= vesting_owed, "I8: vesting vault ≥ Σ owed");
        let src: Source = self.h.get(&self.source).await;
        assert!(self.h.balance(&k.builder_vault).await >= src.claimable, "builder vault ≥ claimable");
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test]
async fn random_multi_actor_sequences_keep_every_invariant() {
    let steps = env("COHERENCE_INVARIANT_STEPS", 24);
    let seeds: Vec<u64> = match std::env::var("COHERENCE_INVARIANT_SEED") {
        Ok(s) => vec![s.parse().expect("seed")],
        Err(_) => (1..=env("COHERENCE_INVARIANT_RUNS", 200)).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect(),
    };
    for seed in seeds {
        let mut rng = Rng(seed | 1);
        let mut world = World::new().await;
        for step in 0..steps {
            let outcome = std::panic::AssertUnwindSafe(async {
                world.step(&mut rng).await;
                world.check().await;
            });
            if let Err(panic) = futures_catch(outcome).await {
                panic!("seed {seed} step {step}: {panic}");
            }
        }
    }
}

/// Runs a future, turning a panic into an error message (to report the seed).
async fn futures_catch<F: std::future::Future<Output = ()>>(f: std::panic::AssertUnwindSafe<F>) -> Result<(), String> {
    use std::pin::pin;
    use std::task::Poll;
    let mut f = pin!(f.0);
    std::future::poll_fn(move |cx| match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.as_mut().poll(cx))) {
        Ok(Poll::Ready(())) => Poll::Ready(Ok(())),
        Ok(Poll::Pending) => Poll::Pending,
        Err(e) => Poll::Ready(Err(e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into()))),
    })
    .await
}
