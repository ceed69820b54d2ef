//! What each kind of agent does in an epoch. Phase A runs an hour into the
//! epoch, phase B a minute before it ends (when a sniper moves); the crank
//! closes the epoch right after. Users, the wash coalition and the pumper
//! buy what they burn from the market; stakers, builders and insiders sell
//! their share of what they receive into it; speculators trade it in phase A.

use crate::agent::Kind;
use crate::rng::Rng;
use crate::world::World;
use crate::SimError;
use coherence::state::VestingSchedule;
use coherence_sdk::{instructions as ix, ops, pda, preview};
use solana_signer::Signer;

/// Phase A of `epoch` for agent `i`.
pub async fn phase_a(w: &mut World, i: usize, epoch: u64) -> Result<(), SimError> {
    match w.agents[i].kind.clone() {
        Kind::User { weight, source } => {
            let total_weight = w.total_user_weight;
            let amount = (w.usage[epoch as usize] as u128 * weight as u128 / total_weight.max(1) as u128) as u64;
            let buy = !w.scenario.population.airdropped_usage;
            pay_usage(w, i, amount, source, buy).await?;
        }
        Kind::Staker { claim_every, restake, .. } if (epoch + 1).is_multiple_of(claim_every) => {
            for id in w.agents[i].positions.clone() {
                w.claim_rewards(i, id, restake).await?;
            }
        }
        Kind::Builder { source } if epoch % 4 == 3 => claim_source(w, i, source).await?,
        Kind::Insider { schedule, .. } => claim_vested(w, i, schedule, false).await?,
        Kind::WashCoalition { source, share_bps } => {
            let amount = (w.usage[epoch as usize] as u128 * share_bps as u128 / 10_000) as u64;
            pay_usage(w, i, amount, Some(source), true).await?
        }
        Kind::BaselinePumper { pump_epoch } if epoch == pump_epoch => {
            let pump = 3 * w.usage[epoch as usize];
            pay_usage(w, i, pump, None, true).await?;
        }
        Kind::Griefer => grief(w, i).await?,
        Kind::Churner => churn(w, i).await?,
        Kind::EarlySeller { schedule } => claim_vested(w, i, schedule, true).await?,
        Kind::StakingTwin { .. } => twin_step(w, i).await?,
        Kind::Momentum { .. } | Kind::MeanReverting { .. } => speculate(w, i, epoch).await?,
        _ => {}
    }
    Ok(())
}

/// Phase B of `epoch` for agent `i`: the sniper, its twin, the griefer again.
pub async fn phase_b(w: &mut World, i: usize, epoch: u64) -> Result<(), SimError> {
    match w.agents[i].kind {
        Kind::Sniper => snipe(w, i, epoch).await,
        Kind::StakingTwin { .. } => twin_step(w, i).await,
        Kind::Griefer => grief(w, i).await,
        _ => Ok(()),
    }
}

/// Buys `amount` from the market when `buy`, then burns it as usage,
/// naming `source` (settling the source's last epoch when due).
async fn pay_usage(w: &mut World, i: usize, amount: u64, source: Option<u64>, buy: bool) -> Result<(), SimError> {
    if amount == 0 {
        return Ok(());
    }
    let who = w.agents[i].key.pubkey();
    let (mut ixs, fill) = if buy { w.buy(i, amount).map(|(ixs, f)| (ixs, Some(f)))? } else { (Vec::new(), None) };
    let source = source.map(|s| pda::source(&w.keys.engine, s));
    let shard = (i % 4) as u8;
    ixs.extend(ops::record_usage_ixs(&mut w.client, &w.keys, &who, shard, amount, source).await?);
    w.send_as(i, ixs).await?;
    if let Some(fill) = fill {
        w.settle(i, &fill)?;
    }
    w.agents[i].ledger.paid += amount;
    Ok(())
}

/// Claims source `id`'s share (settling its last epoch first), then sells
/// the agent's share of it.
pub async fn claim_source(w: &mut World, i: usize, id: u64) -> Result<(), SimError> {
    let who = w.agents[i].key.pubkey();
    let source = pda::source(&w.keys.engine, id);
    let src: coherence::state::Source = w.client.get(&source).await?;
    if src.claimable == 0 && ops::source_claim_records(&mut w.client, &w.keys, &source).await?.is_empty() {
        return Ok(());
    }
    let before = w.balance(i).await?;
    let claim = ops::claim_source_rewards_ixs(&mut w.client, &w.keys, &who, &source).await?;
    w.claim_as(i, claim).await?;
    let got = w.balance(i).await? - before;
    w.agents[i].ledger.received += got;
    w.sell_share(i, got).await
}

/// Claims what schedule `id` has vested, selling the agent's share of it at
/// once (all of it for honest insiders by default). `always_try` makes the
/// attempt even when nothing is claimable (the early seller), so the
/// program's refusal is recorded.
pub async fn claim_vested(w: &mut World, i: usize, id: u64, always_try: bool) -> Result<(), SimError> {
    let who = w.agents[i].key.pubkey();
    let vesting = pda::vesting(&w.keys.engine, id);
    let v: VestingSchedule = w.client.get(&vesting).await?;
    let now = w.client.now().await?;
    let usage = w.client.get::<coherence::state::Engine>(&w.keys.engine).await?.total_usage_burned;
    let claimable = preview::preview_vested(&v, usage, now)?; // what claim_vesting would transfer now
    if claimable == 0 && !always_try {
        return Ok(());
    }
    let me = w.client.payer().pubkey();
    let mut ixs = ops::claim_vesting_ixs(&w.keys, &me, &who, &vesting);
    let (sale, fill) = w.sell(i, w.sale_of(i, claimable))?;
    if fill.tokens > 0 {
        ixs.push(sale);
    }
    let claimed = if always_try { w.attempt_as(i, ixs).await? } else { w.send_as(i, ixs).await.map(|()| true)? };
    if claimed {
        w.agents[i].ledger.received += claimable;
        w.settle(i, &fill)?;
    }
    Ok(())
}

/// Share of a speculator's quote it puts in on a buy signal.
const SPECULATOR_BUY_PCT: u64 = 10;
/// Chance (bps) a speculator acts on its signal in a given epoch.
const SPECULATOR_ACTS_BPS: u64 = 7_500;

/// A speculator's move in phase A, on the closes so far: a momentum trader
/// buys after a rise over its lookback and sells half its tokens after a
/// fall; a mean-reverting trader buys below its moving average and sells
/// half above it (bands of 1 % and 3 %). Whether it acts this epoch is
/// drawn from the seed (timing).
async fn speculate(w: &mut World, i: usize, epoch: u64) -> Result<(), SimError> {
    let p = &w.closes;
    let signal = match w.agents[i].kind {
        Kind::Momentum { lookback } if p.len() as u64 > lookback => {
            let (now, then) = (p[p.len() - 1], p[p.len() - 1 - lookback as usize]);
            (now > then * 1.01) as i8 - (now < then * 0.99) as i8
        }
        Kind::MeanReverting { window } if p.len() as u64 >= window => {
            let recent = &p[p.len() - window as usize..];
            let (now, mean) = (p[p.len() - 1], recent.iter().sum::<f64>() / window as f64);
            (now < mean * 0.97) as i8 - (now > mean * 1.03) as i8
        }
        _ => 0,
    };
    let mut rng = Rng::new(w.scenario.seed ^ epoch.wrapping_mul(0x9E37_79B9), 0x5BEC_0000 + i as u64);
    if signal == 0 || !rng.chance(SPECULATOR_ACTS_BPS) {
        return Ok(());
    }
    let budget = w.scenario.market.speculator_quote;
    let l = &w.agents[i].ledger;
    let cash = (budget + l.quote_received).saturating_sub(l.quote_spent);
    if signal > 0 {
        let spend = cash.min(budget * SPECULATOR_BUY_PCT / 100);
        if spend == 0 {
            return Ok(());
        }
        let (ixs, fill) = w.buy_with(i, spend)?;
        if fill.tokens == 0 {
            return Ok(());
        }
        // The token leg moves from the market wallet: the market signs it alone.
        let name = w.agents[i].name.clone();
        w.send(ixs, None).await.map_err(|e| SimError::Agent(name, e))?;
        w.settle(i, &fill)
    } else {
        let half = w.balance(i).await? / 2;
        if half == 0 {
            return Ok(());
        }
        let (ix, fill) = w.sell(i, half)?;
        w.send_as(i, vec![ix]).await?;
        w.settle(i, &fill)
    }
}

/// The griefer's 1-base-unit `fund_rewards`.
async fn grief(w: &mut World, i: usize) -> Result<(), SimError> {
    let who = w.agents[i].key.pubkey();
    let fund = ix::fund_rewards(&w.keys, &who, &ops::ata(&w.keys, &who), 1);
    if w.attempt_as(i, vec![fund]).await? {
        w.agents[i].ledger.paid += 1;
    }
    Ok(())
}

/// Agent `i`'s newest position, if it has one open.
async fn newest(w: &mut World, i: usize) -> Result<Option<(u64, coherence::state::Position)>, SimError> {
    match w.agents[i].positions.last().copied() {
        Some(id) => Ok(Some((id, w.position(i, id).await?))),
        None => Ok(None),
    }
}

/// Churner: open at min lock, unbond at once, withdraw when allowed, repeat.
async fn churn(w: &mut World, i: usize) -> Result<(), SimError> {
    let now = w.client.now().await?;
    let min_lock = w.scenario.params.min_lock;
    match newest(w, i).await? {
        None => {
            let all = w.balance(i).await?;
            w.open_position(i, all, min_lock).await
        }
        Some((id, p)) if p.unbond_start == 0 => w.start_unbond(i, id).await,
        Some((id, p)) if now >= p.unbond_start + p.lock_secs as i64 => {
            w.withdraw_and_close(i, id).await?;
            let all = w.balance(i).await?;
            w.open_position(i, all, min_lock).await
        }
        Some(_) => Ok(()),
    }
}

/// Sniper: a minute before an epoch closes with emission due, stake
/// everything at min lock; one epoch later (its stream paid) unbond; when
/// the lock has passed, withdraw and wait for the next chance.
async fn snipe(w: &mut World, i: usize, epoch: u64) -> Result<(), SimError> {
    let now = w.client.now().await?;
    match newest(w, i).await? {
        Some((id, p)) if p.unbond_start == 0 => {
            if now - p.opened_at >= w.scenario.params.min_lock as i64 {
                w.start_unbond(i, id).await?;
            }
            Ok(())
        }
        Some((id, p)) if now >= p.unbond_start + p.lock_secs as i64 => {
            w.withdraw_and_close(i, id).await?;
            Ok(())
        }
        Some(_) => Ok(()),
        None if w.emission_due(epoch).await? > 0 => {
            let all = w.balance(i).await?;
            w.open_position(i, all, w.scenario.params.min_lock).await
        }
        None => Ok(()),
    }
}

/// A staking twin opens its counterpart's capital once the counterpart has
/// staked (same time, same lock rule), then only stays.
pub async fn twin_step(w: &mut World, i: usize) -> Result<(), SimError> {
    let Kind::StakingTwin { of } = w.agents[i].kind.clone() else { return Ok(()) };
    if w.agents[i].next_position > 0 {
        return Ok(());
    }
    let Some(c) = w.agents.iter().position(|a| a.name == of) else { return Ok(()) };
    if w.agents[c].ledger.staked_max == 0 {
        return Ok(());
    }
    let lock = match w.agents[c].kind {
        Kind::WashCoalition { .. } | Kind::BaselinePumper { .. } => w.scenario.params.max_lock,
        _ => w.scenario.params.min_lock,
    };
    let capital = w.agents[i].ledger.start;
    w.open_position(i, capital, lock).await
}
