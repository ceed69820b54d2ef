//! What each kind of agent does in an epoch. Phase A runs an hour into the
//! epoch, phase B a minute before it ends (when a sniper moves); the crank
//! closes the epoch right after.

use crate::agent::Kind;
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
            pay_usage(w, i, amount, source, true).await?;
        }
        Kind::Staker { claim_every, restake, .. } if (epoch + 1).is_multiple_of(claim_every) => {
            for id in w.agents[i].positions.clone() {
                w.claim_rewards(i, id, restake).await?;
            }
        }
        Kind::Builder { source } if epoch % 4 == 3 => claim_source(w, i, source).await?,
        Kind::Insider { schedule, .. } => claim_vested(w, i, schedule, true, false).await?,
        Kind::WashCoalition { source, share_bps } => {
            let amount = (w.usage[epoch as usize] as u128 * share_bps as u128 / 10_000) as u64;
            pay_usage(w, i, amount, Some(source), false).await?
        }
        Kind::BaselinePumper { pump_epoch } if epoch == pump_epoch => {
            let pump = 3 * w.usage[epoch as usize];
            pay_usage(w, i, pump, None, false).await?;
        }
        Kind::Griefer => grief(w, i).await?,
        Kind::Churner => churn(w, i).await?,
        Kind::EarlySeller { schedule } => claim_vested(w, i, schedule, true, true).await?,
        Kind::StakingTwin { .. } => twin_step(w, i).await?,
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

/// Buys `amount` from the market when `buy` (users), then burns it as usage,
/// naming `source` (settling the source's last epoch when due).
async fn pay_usage(w: &mut World, i: usize, amount: u64, source: Option<u64>, buy: bool) -> Result<(), SimError> {
    if amount == 0 {
        return Ok(());
    }
    let who = w.agents[i].key.pubkey();
    let mut ixs = if buy { w.buy_from_market(&who, amount)? } else { Vec::new() };
    let source = source.map(|s| pda::source(&w.keys.engine, s));
    let shard = (i % 4) as u8;
    ixs.extend(ops::record_usage_ixs(&mut w.client, &w.keys, &who, shard, amount, source).await?);
    w.send_as(i, ixs).await?;
    let l = &mut w.agents[i].ledger;
    l.bought += if buy { amount } else { 0 };
    l.paid += amount;
    Ok(())
}

/// Claims source `id`'s share (settling its last epoch first).
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
    Ok(())
}

/// Claims what schedule `id` has vested, selling it at once when `sell`.
/// `always_try` makes the attempt even when nothing is claimable (the early
/// seller), so the program's refusal is recorded.
pub async fn claim_vested(w: &mut World, i: usize, id: u64, sell: bool, always_try: bool) -> Result<(), SimError> {
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
    if sell && claimable > 0 {
        ixs.push(w.to_market(i, claimable)?);
    }
    let claimed = if always_try { w.attempt_as(i, ixs).await? } else { w.send_as(i, ixs).await.map(|()| true)? };
    if claimed {
        let l = &mut w.agents[i].ledger;
        l.received += claimable;
        l.sold += if sell { claimable } else { 0 };
    }
    Ok(())
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
